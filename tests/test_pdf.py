"""The PDF layer (diz_portal/pdf.py): templates to PDF, and board packs put together from cover
sheets and the papers presenters upload.

The board pack used by most tests: a cover; item 1 with Paper A (three A4 pages); item 2 with
Paper B (two US Letter pages), a damaged paper, a password-protected one and Paper C (two A3
landscape pages). So: cover (page 1), contents (2), item 1 (3), Paper A (4-6), item 2 (7),
Paper B (8-9), Paper C (10-11).
"""

import io
import re
import socket

import pytest
from django.template import engines
from PIL import Image
from pypdf import PdfReader, PdfWriter

from diz_portal.pdf import (
    DAMAGED,
    ENCRYPTED,
    MISSING,
    NO_PAGES,
    IncludedSection,
    PdfCheck,
    PortalURLFetcher,
    Section,
    Skipped,
    build_pack,
    html_to_pdf,
    inspect_pdf,
    render_pdf,
)
from tests.support.tagged_pdf import assert_tagged, descendants, structure, top_element

A4_WIDTH, A4_HEIGHT = 595.28, 841.89


def paper(label: str, pages: int, size: str = "A4") -> bytes:
    """A PDF whose page n says "<label> page n"."""
    body = "".join(f'<p style="break-before: page">{label} page {number}</p>' for number in range(1, pages + 1))
    return html_to_pdf(f"<style>@page {{ size: {size}; }}</style>{body}")


def cover_sheet(heading: str) -> str:
    return (
        engines["django"]
        .from_string('{% extends "pdf/base.html" %}{% block content %}<h1>{{ heading }}</h1>{% endblock %}')
        .render({"heading": heading, "title": heading})
    )


def encrypted(data: bytes, password: str = "secret") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(password)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def with_rotation(data: bytes, degrees: int) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        page.rotation = degrees
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def split(data: bytes) -> list[bytes]:
    """One single-page PDF per page of `data`."""
    reader = PdfReader(io.BytesIO(data))
    papers = []
    for page in reader.pages:
        writer = PdfWriter()
        writer.add_page(page)
        output = io.BytesIO()
        writer.write(output)
        papers.append(output.getvalue())
    return papers


def texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def bookmarks(pdf: bytes) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) for each bookmark, in order."""
    reader = PdfReader(io.BytesIO(pdf))
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


def contents_lines(text: str) -> dict[str, int]:
    """{title: page} for each "Title . . . . 7" line of a contents page."""
    return {match[1]: int(match[2]) for match in re.finditer(r"^(.+?)[ .]*\.[ .]*?(\d+)$", text, re.M)}


def multiply(a, b):
    """a × b for PDF matrices (a applies first)."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def number_position(page) -> tuple[float, float, float]:
    """Where "Page n of N" starts on the page as a reader sees it: (x, y, displayed width).

    pypdf reports text inside a form XObject in the form's own space, so follow the page's top-level
    q/Q/cm to the form's Do, then turn user space into displayed space (crop box and /Rotate).
    """
    inside = []

    def visit(text, cm, tm, *_):
        if text.startswith("Page "):
            inside.append(multiply((1, 0, 0, 1, tm[4], tm[5]), tuple(cm))[4:])

    page.extract_text(visitor_text=visit)
    assert len(inside) == 1, inside
    ctm, stack, at_do = (1, 0, 0, 1, 0, 0), [], None
    for operands, operator in page.get_contents().operations:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q":
            ctm = stack.pop()
        elif operator == b"cm":
            ctm = multiply(tuple(float(value) for value in operands), ctm)
        elif operator == b"Do" and operands[0] == "/DizPageNumber":
            at_do = ctm
    x, y = multiply((1, 0, 0, 1, *inside[0]), at_do)[4:]
    box = page.cropbox
    u, v = x - float(box.left), y - float(box.bottom)
    width, height = float(box.width), float(box.height)
    return {
        0: (u, v, width),
        90: (v, width - u, height),
        180: (width - u, height - v, width),
        270: (height - v, u, height),
    }[page.rotation % 360]


def assert_at_bottom_centre(page):
    x, y, displayed_width = number_position(page)
    # "Page 10 of 11" in 9pt is about 60pt wide: it starts a little left of the centre.
    assert displayed_width / 2 - 50 < x < displayed_width / 2 - 15, (x, displayed_width)
    assert 10 < y < 30, y


@pytest.fixture(scope="module")
def papers():
    a4 = paper("Paper A", 3)
    return {
        "a": a4,
        "b": paper("Paper B", 2, "letter"),
        "c": paper("Paper C", 2, "A3 landscape"),
        "damaged": a4[: len(a4) // 2],
        "locked": encrypted(a4),
    }


@pytest.fixture(scope="module")
def board_pack(papers):
    return build_pack(
        title="Board, 14 May 2026",
        sections=[
            Section(title="Board, 14 May 2026", key="cover", html=cover_sheet("Board meeting cover")),
            Section(title="1. Welcome", key="item-1", html=cover_sheet("Item 1 cover sheet")),
            Section(title="Paper A", key="paper-a", level=1, pdf=papers["a"]),
            Section(title="2. Finance", key="item-2", html=cover_sheet("Item 2 cover sheet")),
            Section(title="Paper B", key="paper-b", level=1, pdf=papers["b"]),
            Section(title="Damaged paper", key="paper-damaged", level=1, pdf=papers["damaged"]),
            Section(title="Locked paper", key="paper-locked", level=1, pdf=papers["locked"]),
            Section(title="Paper C", key="paper-c", level=1, pdf=papers["c"]),
        ],
    )


def test_a_pack_is_the_cover_then_the_contents_then_each_section_in_order(board_pack):
    pages = texts(board_pack.pdf)
    assert board_pack.page_count == len(pages) == 1 + 1 + (1 + 3) + (1 + 2 + 2)
    starts = [page.splitlines()[0] for page in pages]
    assert starts == [
        "Board meeting cover",
        "Contents",
        "Item 1 cover sheet",
        "Paper A page 1",
        "Paper A page 2",
        "Paper A page 3",
        "Item 2 cover sheet",
        "Paper B page 1",
        "Paper B page 2",
        "Paper C page 1",
        "Paper C page 2",
    ]


def test_the_result_says_where_each_included_section_starts(board_pack):
    assert board_pack.included == [
        IncludedSection(key="cover", title="Board, 14 May 2026", first_page=1, page_count=1),
        IncludedSection(key="item-1", title="1. Welcome", first_page=3, page_count=1),
        IncludedSection(key="paper-a", title="Paper A", first_page=4, page_count=3),
        IncludedSection(key="item-2", title="2. Finance", first_page=7, page_count=1),
        IncludedSection(key="paper-b", title="Paper B", first_page=8, page_count=2),
        IncludedSection(key="paper-c", title="Paper C", first_page=10, page_count=2),
    ]


def test_a_damaged_paper_and_a_password_protected_one_are_left_out_and_reported(board_pack):
    assert board_pack.skipped == [
        Skipped(key="paper-damaged", title="Damaged paper", reason="the file is damaged or is not a PDF"),
        Skipped(key="paper-locked", title="Locked paper", reason="the file is password-protected"),
    ]


def test_the_contents_lists_every_included_section_after_the_cover_with_its_first_page(board_pack):
    contents = texts(board_pack.pdf)[1]
    assert contents_lines(contents) == {
        "1. Welcome": 3,
        "Paper A": 4,
        "2. Finance": 7,
        "Paper B": 8,
        "Paper C": 10,
    }
    assert "Damaged paper" not in contents
    assert "Locked paper" not in contents


def test_each_contents_line_links_to_its_section(board_pack):
    reader = PdfReader(io.BytesIO(board_pack.pdf))
    # WeasyPrint makes a link for each part of a line (the title, the leader, the page number).
    lines: dict[float, set[int]] = {}
    for annotation in reader.pages[1]["/Annots"]:
        annotation = annotation.get_object()
        assert annotation["/Subtype"] == "/Link"
        top = round(float(annotation["/Rect"][3]))
        lines.setdefault(-top, set()).add(reader.get_page_number(annotation["/Dest"][0].get_object()) + 1)
    assert [pages for _top, pages in sorted(lines.items())] == [{3}, {4}, {7}, {8}, {10}]


def test_every_page_says_page_n_of_n_once(board_pack):
    for number, text in enumerate(texts(board_pack.pdf), start=1):
        assert f"Page {number} of 11" in text
        assert len(re.findall(r"Page \d+ of \d+", text)) == 1


def test_page_numbers_sit_at_the_bottom_centre_of_a4_letter_and_a3_landscape_pages(board_pack):
    reader = PdfReader(io.BytesIO(board_pack.pdf))
    sizes = {}
    for number in (1, 2, 4, 8, 10):  # cover, contents, A4 paper, Letter paper, A3 landscape paper
        page = reader.pages[number - 1]
        sizes[number] = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        assert_at_bottom_centre(page)
    assert sizes == {1: (595, 842), 2: (595, 842), 4: (595, 842), 8: (612, 792), 10: (1191, 842)}


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_rotated_paper_is_numbered_along_the_bottom_it_is_read_from(degrees):
    rotated = with_rotation(paper("Turned paper", 1), degrees)
    pack = build_pack(title="Pack", sections=[Section(title="Turned", key="turned", pdf=rotated)], contents=False)
    page = PdfReader(io.BytesIO(pack.pdf)).pages[0]
    assert page.rotation == degrees
    assert "Page 1 of 1" in page.extract_text()
    assert_at_bottom_centre(page)


def test_a_pack_uploaded_as_a_paper_shows_only_its_new_page_numbers(board_pack):
    pack = build_pack(
        title="Next meeting",
        sections=[
            Section(title="Cover", key="cover", html=cover_sheet("Cover")),
            Section(title="Last meeting's pack", key="old", pdf=board_pack.pdf),
        ],
        contents=False,
    )
    pages = texts(pack.pdf)
    assert pack.page_count == 12
    assert pages[10].startswith("Paper C page 1")
    for number, text in enumerate(pages, start=1):
        assert re.findall(r"Page \d+ of \d+", text) == [f"Page {number} of 12"]


def test_bookmarks_nest_each_paper_under_its_agenda_item_and_point_at_its_first_page(board_pack):
    assert bookmarks(board_pack.pdf) == [
        (0, "Board, 14 May 2026", 1),
        (0, "Contents", 2),
        (0, "1. Welcome", 3),
        (1, "Paper A", 4),
        (0, "2. Finance", 7),
        (1, "Paper B", 8),
        (1, "Paper C", 10),
    ]


def test_the_pack_is_titled_and_opens_with_its_bookmarks_showing(board_pack):
    reader = PdfReader(io.BytesIO(board_pack.pdf))
    assert reader.metadata.title == "Board, 14 May 2026"
    assert reader.page_mode == "/UseOutlines"


# --- Tagged packs -------------------------------------------------------------------------------


def test_a_pack_is_a_tagged_pdf_whose_tree_reads_every_page_in_order(board_pack):
    reader, pages_read = assert_tagged(board_pack.pdf)
    assert pages_read == list(range(11))  # the papers' pages among them, where they are
    papers = [title for kind, title in structure(reader) if kind == "/Sect"]
    assert papers == ["Paper A", "Paper B", "Paper C"]
    assert reader.metadata.title == "Board, 14 May 2026"
    # The contents' links are tagged as links (assert_tagged follows each one to a /Link element).
    assert reader.pages[1]["/Annots"]


def test_a_tagged_paper_brings_its_own_structure_tree_into_the_pack(board_pack):
    pack = build_pack(
        title="Next meeting",
        sections=[
            Section(title="Cover", key="cover", html=cover_sheet("Cover")),
            Section(title="Last meeting's pack", key="old", pdf=board_pack.pdf),
        ],
    )
    reader, pages_read = assert_tagged(pack.pdf)
    assert pages_read == list(range(pack.page_count))
    old = top_element(reader, "Last meeting's pack")
    # Its headings and its own papers' sections, not one blob per page.
    assert {"/H1", "/Sect", "/Link"} <= set(descendants(old))


def test_a_pack_of_papers_alone_is_tagged_too(papers):
    pack = build_pack(title="Papers", sections=[Section(title="Paper A", key="a", pdf=papers["a"])], contents=False)
    reader, pages_read = assert_tagged(pack.pdf)
    assert pages_read == [0, 1, 2]
    assert structure(reader) == [("/Sect", "Paper A")]


def test_papers_under_an_agenda_item_that_was_left_out_are_not_filed_under_the_item_before(papers):
    pack = build_pack(
        title="Pack",
        sections=[
            Section(title="Cover", key="cover", html=cover_sheet("Cover")),
            Section(title="Item 1", key="item-1", pdf=papers["a"]),
            Section(title="Item 2", key="item-2", pdf=papers["damaged"]),
            Section(title="Paper for item 2", key="paper", level=1, pdf=papers["b"]),
        ],
        contents=False,
        number_pages=False,
    )
    assert bookmarks(pack.pdf) == [(0, "Cover", 1), (0, "Item 1", 2), (0, "Paper for item 2", 5)]


def test_a_contents_too_long_for_one_page_moves_every_number_on_by_its_length():
    many = split(paper("Agenda paper", 60))
    sections = [Section(title="Cover", key="cover", html=cover_sheet("Cover"))]
    sections += [Section(title=f"Paper {number:02}", key=str(number), pdf=data) for number, data in enumerate(many, 1)]
    pack = build_pack(title="A long agenda", sections=sections)

    pages = texts(pack.pdf)
    contents_length = pack.page_count - 1 - 60
    assert contents_length == 2
    assert pages[1].startswith("Contents") and pages[2].splitlines()[0].startswith("Paper ")
    listed = contents_lines(pages[1]) | contents_lines(pages[2])
    assert listed == {f"Paper {number:02}": 1 + contents_length + number for number in range(1, 61)}
    for title, page in listed.items():
        number = int(title.split()[1])
        assert pages[page - 1].startswith(f"Agenda paper page {number}\n")
        assert f"Page {page} of {pack.page_count}" in pages[page - 1]


def test_a_pack_can_leave_out_the_contents_and_the_page_numbers(papers):
    pack = build_pack(
        title="Plain",
        sections=[
            Section(title="Cover", key="cover", html=cover_sheet("Cover")),
            Section(title="Paper A", key="a", pdf=papers["a"]),
        ],
        contents=False,
        number_pages=False,
    )
    pages = texts(pack.pdf)
    assert pack.page_count == len(pages) == 4
    assert not any("Page 1 of" in text or "Contents" in text for text in pages)
    assert bookmarks(pack.pdf) == [(0, "Cover", 1), (0, "Paper A", 2)]


def test_a_pack_with_one_section_has_no_contents(papers):
    pack = build_pack(title="Just a paper", sections=[Section(title="Paper A", key="a", pdf=papers["a"])])
    assert pack.page_count == 3
    assert "Page 3 of 3" in texts(pack.pdf)[2]


def test_papers_can_be_read_from_disk_and_a_missing_file_is_reported(tmp_path, papers):
    (tmp_path / "a.pdf").write_bytes(papers["a"])
    pack = build_pack(
        title="From disk",
        sections=[
            Section(title="Cover", key="cover", html=cover_sheet("Cover")),
            Section(title="On disk", key="disk", pdf_path=tmp_path / "a.pdf"),
            Section(title="Gone", key="gone", pdf_path=str(tmp_path / "gone.pdf")),
        ],
    )
    assert [section.key for section in pack.included] == ["cover", "disk"]
    assert pack.skipped == [Skipped(key="gone", title="Gone", reason=MISSING)]
    assert pack.page_count == 1 + 1 + 3


def test_a_pack_whose_papers_are_all_unusable_is_empty(papers):
    pack = build_pack(title="Nothing", sections=[Section(title="Broken", key="x", pdf=b"not a pdf at all")])
    assert (pack.pdf, pack.page_count, pack.included) == (b"", 0, [])
    assert pack.skipped == [Skipped(key="x", title="Broken", reason=DAMAGED)]


@pytest.mark.parametrize(
    "sources",
    [{}, {"html": "<p>x</p>", "pdf": b"%PDF-"}, {"pdf": b"%PDF-", "pdf_path": "x.pdf"}],
    ids=["none", "html and pdf", "pdf and path"],
)
def test_a_section_needs_exactly_one_source(sources):
    with pytest.raises(ValueError, match="exactly one"):
        Section(title="Item", key="item", **sources)


def test_inspect_pdf_accepts_a_good_paper_and_counts_its_pages(papers):
    assert inspect_pdf(papers["a"]).ok
    assert inspect_pdf(papers["a"]).pages == 3
    assert inspect_pdf(papers["a"]).reason is None


def corrupt_content(data: bytes) -> bytes:
    # Scribble over the middle of the first compressed stream: the file still opens, but a page
    # cannot be drawn.
    start = data.index(b"stream", data.index(b"/FlateDecode")) + 20
    return data[:start] + b"\x00garbage\xff" * 4 + data[start + 36 :]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data[:-20],
        lambda data: b"",
        lambda data: b"Minutes of the last meeting, saved as text",
        lambda data: b"%PDF-1.7\n" + bytes(range(256)) * 8,
        corrupt_content,
    ],
    ids=["truncated in half", "truncated at the end", "empty", "text", "garbage", "scribbled stream"],
)
def test_inspect_pdf_and_build_pack_refuse_a_damaged_file(papers, damage):
    damaged = damage(rewritten_by_pypdf(papers["a"]))
    assert inspect_pdf(damaged) == PdfCheck(ok=False, pages=0, reason=DAMAGED)
    pack = build_pack(
        title="Pack",
        sections=[
            Section(title="Cover", key="cover", html=cover_sheet("Cover")),
            Section(title="Damaged", key="bad", pdf=damaged),
        ],
        number_pages=False,
    )
    assert pack.skipped == [Skipped(key="bad", title="Damaged", reason=DAMAGED)]
    assert pack.page_count == 1


def rewritten_by_pypdf(data: bytes) -> bytes:
    """The same paper written by pypdf: a classic cross-reference table and no object streams,
    the layout most office software produces (WeasyPrint compresses objects into streams)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


@pytest.mark.parametrize("password", ["secret", ""], ids=["with a password", "with an empty password"])
def test_inspect_pdf_refuses_an_encrypted_file(papers, password):
    check = inspect_pdf(encrypted(papers["a"], password))
    assert (check.ok, check.pages, check.reason) == (False, 0, ENCRYPTED)


def test_inspect_pdf_refuses_a_pdf_without_pages():
    output = io.BytesIO()
    PdfWriter().write(output)
    assert inspect_pdf(output.getvalue()).reason == NO_PAGES


def test_render_pdf_renders_a_template_on_a4():
    pdf = render_pdf("pdf/contents.html", {"title": "Steering Group", "entries": []})
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == (A4_WIDTH, A4_HEIGHT)
    assert "Steering Group" in page.extract_text()


def test_static_urls_are_read_through_the_static_files_finders(settings, tmp_path):
    folder = tmp_path / "static"
    folder.mkdir()
    Image.new("RGB", (40, 20), "purple").save(folder / "logo.png")
    settings.STATICFILES_DIRS = [folder]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    html = engines["django"].from_string('{% load static %}<img src="{% static "logo.png" %}" alt="Logo">').render({})
    assert 'src="/static/logo.png"' in html
    page = PdfReader(io.BytesIO(html_to_pdf(html))).pages[0]
    assert len(page.images) == 1


def test_hashed_static_names_from_collectstatic_are_read_from_static_root(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STATIC_ROOT.mkdir()
    Image.new("RGB", (40, 20), "purple").save(settings.STATIC_ROOT / "logo.0123abcd.png")
    page = PdfReader(io.BytesIO(html_to_pdf('<img src="/static/logo.0123abcd.png" alt="Logo">'))).pages[0]
    assert len(page.images) == 1


def test_the_fetcher_serves_static_and_data_urls():
    fetcher = PortalURLFetcher()
    stylesheet = fetcher.fetch("file:///static/css/diz.css")
    assert stylesheet.content_type == "text/css"
    assert stylesheet.read()
    assert fetcher.fetch("data:text/plain;base64,aGVsbG8=").read() == b"hello"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/logo.png",
        "http://127.0.0.1:9/logo.png",
        "ftp://example.org/logo.png",
        "file:///etc/passwd",
        "file:///static/../diz_portal/settings.py",
        "file:///static/%2e%2e/diz_portal/settings.py",
    ],
)
def test_the_fetcher_refuses_the_network_and_files_outside_static_and_media(url):
    with pytest.raises(ValueError):
        PortalURLFetcher().fetch(url)


def test_the_fetcher_refuses_project_files_that_are_not_static(settings):
    for path in (settings.BASE_DIR / "diz_portal" / "settings.py", settings.BASE_DIR / "pyproject.toml"):
        with pytest.raises(ValueError):
            PortalURLFetcher().fetch(path.as_uri())


def test_rendering_never_opens_a_network_connection(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    html = (
        '<link rel="stylesheet" href="https://fonts.example.org/font.css">'
        '<img src="https://example.org/logo.png" alt="Logo"><p>Offline</p>'
    )
    page = PdfReader(io.BytesIO(html_to_pdf(html))).pages[0]
    assert attempts == []
    assert "Offline" in page.extract_text()
    assert len(page.images) == 0


def test_building_leaves_the_cycle_collector_as_it_found_it(papers):
    """Builds pause Python's cycle collector (a third of a pack's CPU time) and must restore it."""
    import gc

    sections = [
        Section(title="Cover", key="cover", html=cover_sheet("Cover")),
        Section(title="A", key="a", pdf=papers["a"]),
    ]
    build_pack(title="Pack", sections=sections)
    assert gc.isenabled()
    gc.disable()
    try:
        build_pack(title="Pack", sections=sections)
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()
    with pytest.raises(ValueError):
        build_pack(title="Pack", sections=[])
    assert gc.isenabled()  # restored when a build raises, too

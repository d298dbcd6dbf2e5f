"""Every PDF the portal makes goes through this module (STYLE.md point 5).

Two jobs:

- `render_pdf` / `html_to_pdf` turn a template or HTML into PDF bytes with WeasyPrint. They fetch
  nothing from the network: `{% static %}` paths are read from the static files finders, and the
  only other resources allowed are data: URLs and files under the static and media folders.
- `build_pack` puts a board pack together: a cover, a contents page, agenda item cover sheets and
  the papers presenters uploaded, numbered "Page n of N" throughout, with bookmarks. A paper that
  cannot be used (damaged, not a PDF, password-protected) is left out and reported, never raised;
  `inspect_pdf` gives the same verdict at upload time, so presenters can be told straight away.

The module knows nothing about meetings: callers hand it titles, HTML and bytes.
"""

from __future__ import annotations

import bisect
import functools
import gc
import io
import logging
import mimetypes
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import pydyf
import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

logger = logging.getLogger(__name__)
# WeasyPrint logs every step of every page at INFO ("Step 5 - Creating layout - Page 3"), which
# would bury a worker's log; quieten it unless LOGGING has set a level for it.
if logging.getLogger("weasyprint.progress").level == logging.NOTSET:
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

DAMAGED = "the file is damaged or is not a PDF"
ENCRYPTED = "the file is password-protected"
NO_PAGES = "the file has no pages"
MISSING = "the file is missing"

CONTENTS_TEMPLATE = "pdf/contents.html"
CONTENTS_TITLE = "Contents"
CONTENTS_ENTRIES_PER_PAGE = 35
# The name the page-number stamp goes by in each page's resources.
STAMP_NAME = "/DizPageNumber"
# Page numbers: 9 pt Helvetica in the portal's text colour (#0b0c0c), with its baseline 18 pt above
# the bottom of the page (the middle of a 1.5 cm margin), and the font's advance widths in 1/1000 em
# (from Adobe's Helvetica AFM) for the characters a page number uses.
NUMBER_FONT_SIZE = 9
NUMBER_BASELINE = 18
NUMBER_COLOUR = "0.043 0.047 0.047"
HELVETICA_WIDTHS = {"P": 667, "a": 556, "g": 556, "e": 556, "o": 556, "f": 278, " ": 278} | dict.fromkeys(
    "0123456789", 556
)
# In a tagged PDF the page number is an artifact (a screen reader skips it): a page's footer.
_PAGE_NUMBER_ARTIFACT = "/Artifact <</Type /Pagination /Subtype /Footer>>"
# The contents' lines are anchors by these names, which its links point at until build_pack
# points them at the sections' pages.
_CONTENTS_ANCHOR = "diz-part-"
# WeasyPrint lays pages out in CSS pixels (96 to the inch); PDF user space has 72 points to the inch.
PX_TO_PT = 0.75


# WeasyPrint ---------------------------------------------------------------------------------------


class PortalURLFetcher(weasyprint.URLFetcher):
    """Gives WeasyPrint static files, media files and data: URLs, and refuses everything else.

    `/static/...` (what `{% static %}` writes) is looked up with the static files finders, so PDFs
    work the same with or without `collectstatic`. A file: URL is read only when it points inside
    a static folder, STATIC_ROOT or MEDIA_ROOT: not anywhere in the project, because HTML that
    reaches a template unescaped could otherwise embed `.env` or the database as an image or an
    attachment. No URL ever leaves the machine. A refusal raises ValueError, which WeasyPrint
    logs as a warning before carrying on without the resource.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url[:5].lower() == "data:":
            return super().fetch(url, headers)
        path = _local_path(url)
        if path is None:
            raise ValueError(f"a PDF may only use static files, media files and data: URLs, not {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        # The answer keeps the URL it was asked for, so relative URLs inside a stylesheet
        # (fonts, images) resolve against /static/... and go through the finders too.
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def _static_url() -> str:
    # settings.STATIC_URL comes back with the script prefix added: "/static/" here.
    return str(settings.STATIC_URL)


def _find_static(relative: str) -> Path | None:
    relative = unquote(relative).lstrip("/")
    if not relative:
        return None
    try:
        found = finders.find(relative)
    except Exception:  # SuspiciousFileOperation for "../", anything odd: refuse
        return None
    if isinstance(found, list):
        found = found[0] if found else None
    if found and Path(found).is_file():
        return Path(found)
    # With the manifest storage (production), {% static %} writes the hashed name that
    # collectstatic gave the file ("css/diz.4f3a9c.css"), which only STATIC_ROOT has.
    if settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        candidate = (root / relative).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    return None


def _allowed_roots() -> list[Path]:
    roots = [settings.STATIC_ROOT, settings.MEDIA_ROOT]
    for entry in settings.STATICFILES_DIRS:
        roots.append(entry[1] if isinstance(entry, tuple | list) else entry)
    return [Path(root).resolve() for root in roots if root]


def _local_path(url: str) -> Path | None:
    """The file a URL may be answered with, or None when it must be refused."""
    static_url = _static_url()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        # Only when static files are served from another host (a CDN): read the local copy.
        if urlsplit(static_url).scheme and url.startswith(static_url):
            return _find_static(url[len(static_url) :].split("?")[0].split("#")[0])
        return None
    if scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = unquote(parts.path)
    static_path = urlsplit(static_url).path
    if not urlsplit(static_url).scheme and static_path.startswith("/") and path.startswith(static_path):
        return _find_static(path[len(static_path) :])
    try:
        candidate = Path(url2pathname(parts.path)).resolve()
    except (OSError, ValueError):
        return None
    if candidate.is_file() and any(candidate.is_relative_to(root) for root in _allowed_roots()):
        return candidate
    return None


def _base_url() -> str:
    # "/static/x.css" joins onto this as file:///static/x.css, which the fetcher maps to the finders.
    return Path(settings.BASE_DIR).resolve().as_uri() + "/"


# A pack's bookmarks are its sections' (build_pack adds them), not every heading's.
_NO_HEADING_BOOKMARKS = "h1, h2, h3, h4, h5, h6 { bookmark-level: none }"


def _document(html: str, font_config: FontConfiguration | None = None, *, pack: bool = False) -> weasyprint.Document:
    stylesheets = [weasyprint.CSS(string=_NO_HEADING_BOOKMARKS)] if pack else None
    return weasyprint.HTML(string=html, base_url=_base_url(), url_fetcher=PortalURLFetcher()).render(
        font_config=font_config, stylesheets=stylesheets
    )


def html_to_pdf(html: str) -> bytes:
    """Lay out an HTML document with WeasyPrint and return the PDF.

    Resources come only through `PortalURLFetcher` (static and media files, data: URLs); anything
    else is left out with a warning in the log rather than fetched.
    """
    return _document(html).write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template (usually one extending `pdf/base.html`) and return it as a PDF.

    The template is rendered without a request, so context processors do not run: pass
    everything the template needs in `context`.
    """
    return html_to_pdf(render_to_string(template_name, context))


# Checking uploaded papers -------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfCheck:
    ok: bool
    pages: int
    reason: str | None = None


class _Unusable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _DecodeErrors(logging.Handler):
    """Counts the broken compressed streams pypdf meets on this thread.

    pypdf does not raise for a stream it cannot fully decompress: it recovers what it can and
    logs the zlib error as a warning on "pypdf.filters". A page drawn from half a stream is
    damaged as far as a presenter is concerned, so `_open_paper` listens for those warnings.
    (Only those: pypdf warns about many harmless quirks that viewers take in their stride.)
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread and "while decompressing" in record.getMessage():
            self.count += 1


def _open_paper(source: bytes | str | Path, *, decode: bool = True) -> PdfReader:
    """Open a paper and check everything a pack needs from it, or raise _Unusable with a reason.

    Checks the whole file once, up front (each page's size, and that its content streams
    decompress), so that putting the pack together never meets a surprise half-way. Encrypted
    files are refused even when they open with an empty password: what the presenter sent is
    not a plain PDF, and the pack would either break or carry someone's restrictions. Images and
    fonts are not decoded (that would cost far more than it finds). With `decode` False the
    content streams are not decompressed either: for a paper already checked at upload.
    """
    decode_errors = _DecodeErrors()
    filters_logger = logging.getLogger("pypdf.filters")
    filters_logger.addHandler(decode_errors)
    try:
        reader = PdfReader(io.BytesIO(source) if isinstance(source, bytes | bytearray) else source)
        if reader.is_encrypted:
            raise _Unusable(ENCRYPTED)
        if len(reader.pages) == 0:
            raise _Unusable(NO_PAGES)
        for page in reader.pages:
            box = page.cropbox
            if float(box.width) == 0 or float(box.height) == 0:
                raise _Unusable(DAMAGED)
            contents = page.get_contents() if decode else None
            if contents is not None:
                contents.get_data()
            if decode_errors.count:
                raise _Unusable(DAMAGED)
    except _Unusable:
        raise
    except FileNotFoundError as exc:
        raise _Unusable(MISSING) from exc
    except Exception as exc:  # pypdf raises many kinds of error for broken files: all mean the same
        raise _Unusable(DAMAGED) from exc
    finally:
        filters_logger.removeHandler(decode_errors)
    return reader


def inspect_pdf(data: bytes) -> PdfCheck:
    """Can this upload go into a pack? Same verdict and reason `build_pack` would give.

    `ok` is False with a human reason ("the file is damaged or is not a PDF", "the file is
    password-protected", "the file has no pages") for a file a pack would leave out. Reads the
    whole file; never raises for bad bytes.
    """
    try:
        reader = _open_paper(data)
    except _Unusable as exc:
        return PdfCheck(ok=False, pages=0, reason=exc.reason)
    return PdfCheck(ok=True, pages=len(reader.pages))


# Packs --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Section:
    """One part of a pack: exactly one of `html` (a complete HTML document), `pdf` (the bytes of
    an uploaded paper) or `pdf_path`. `level` is the bookmark depth: 0 for an agenda item (or the
    cover), 1 for a paper under it. `key` is the caller's id, echoed back in the result.

    `checked`: the caller had this paper through `inspect_pdf` when it was uploaded, and its bytes
    have not changed since; the pack then opens it without decompressing every page again (a
    tenth of a pack's cost), still leaving it out if it turns out missing, encrypted or empty."""

    title: str
    key: str
    level: int = 0
    html: str | None = None
    pdf: bytes | None = None
    pdf_path: str | Path | None = None
    checked: bool = False

    def __post_init__(self) -> None:
        if sum(source is not None for source in (self.html, self.pdf, self.pdf_path)) != 1:
            raise ValueError(f"section {self.key!r} needs exactly one of html, pdf or pdf_path")
        if self.level < 0:
            raise ValueError(f"section {self.key!r} has a negative level")


@dataclass(frozen=True)
class IncludedSection:
    key: str
    title: str
    first_page: int  # 1-based, as printed in the contents and the page numbers
    page_count: int


@dataclass(frozen=True)
class Skipped:
    key: str
    title: str
    reason: str


@dataclass(frozen=True)
class PackResult:
    pdf: bytes
    page_count: int
    included: list[IncludedSection]
    skipped: list[Skipped]


@dataclass
class _Part:
    """A section that made it into the pack (or the contents, when `section` is None)."""

    section: Section | None
    page_count: int
    document: weasyprint.Document | None = None  # HTML, laid out
    first_page: int = 0  # where its pages start in `document` (several sections may share one)
    reader: PdfReader | None = None  # an uploaded paper
    first_weasy_page: int = 0  # where its pages start in the one WeasyPrint PDF
    first_index: int = 0  # where its pages start in the pack, from 0


def _collect_cycles_once(build):
    """Run `build` with Python's cycle collector paused, then collect what it left once.

    Laying out and binding a pack makes millions of short-lived objects, and the collector kept
    interrupting to look through all of them and the whole Django heap besides: a third of a
    pack's CPU time. With it paused the garbage still goes (reference counting frees most of it;
    the young generation is collected once at the end, so the worker's memory does not grow).
    """

    @functools.wraps(build)
    def paused(*args, **kwargs):
        if not gc.isenabled():  # an outer build paused it already
            return build(*args, **kwargs)
        gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            gc.enable()
            gc.collect(0)

    return paused


@_collect_cycles_once
def build_pack(
    *, title: str, sections: Sequence[Section], contents: bool = True, number_pages: bool = True
) -> PackResult:
    """Put sections together, in order, into one PDF.

    Promises:
    - A paper that cannot be used (damaged, truncated, not a PDF, no pages, missing from disk,
      encrypted even with an empty password) is left out and listed in `skipped` with a reason
      a presenter can act on. Bad papers never raise. (HTML that WeasyPrint cannot render is a
      bug in the caller's template and does raise.)
    - With `contents`, contents pages follow the first included section (the cover), listing
      every later included section with the page it starts on; each line is a link. The
      numbers allow for the contents' own length. With only one section included, no contents.
    - With `number_pages`, every page, the papers' included, says "Page n of N" at the bottom
      centre of the page as it is displayed, whatever its size and rotation.
    - Bookmarks: one per section, nested by `level` under the closest earlier section of a
      smaller level (a paper under its agenda item), plus one for the contents.
    - The document title is `title`.

    Only a paper's pages and its bookmarks come across (the bookmarks under the paper's own),
    with their links and annotations: not its form-field definitions (the fields still show as they look) or document-level scripts.

    `included` lists the sections in the pack with their first page (1-based) and length, the
    contents not among them; `page_count` counts every page. If every section is skipped the
    result has `pdf=b""` and `page_count=0`.

    Each paper is parsed once; all the HTML (cover sheets, contents, page numbers) goes to
    WeasyPrint as one PDF write, so fonts are embedded once for the whole pack.
    """
    if not sections:
        raise ValueError("a pack needs at least one section")
    font_config = FontConfiguration()
    parts: list[_Part] = []
    skipped: list[Skipped] = []
    laid_out = _lay_out_html_sections(sections, font_config)
    # Every section in order, with the part it became (None when skipped): for the bookmarks.
    placed: list[tuple[Section, _Part | None]] = []
    for section in sections:
        part = laid_out.get(id(section)) or _prepare(section, skipped)
        placed.append((section, part))
        if part is not None:
            parts.append(part)
    if not parts:
        return PackResult(pdf=b"", page_count=0, included=[], skipped=skipped)

    toc = _contents(title, parts, font_config) if contents and len(parts) > 1 else None
    ordered = [parts[0], *([toc] if toc else []), *parts[1:]]
    total = sum(part.page_count for part in ordered)

    # One WeasyPrint write for every HTML page (cover, contents, dividers, cover sheets), in pack
    # order, as tagged PDF: the fonts they share are embedded once, and its structure tree is the
    # pack's. The papers' pages then go in between, each paper tagged under its own element.
    first_document = next((part.document for part in ordered if part.document is not None), None)
    weasy_pages: list[weasyprint.Page] = []
    for part in ordered:
        if part.document is not None:
            part.first_weasy_page = len(weasy_pages)
            weasy_pages.extend(part.document.pages[part.first_page : part.first_page + part.page_count])
    if weasy_pages:
        html_pdf = _write_tagged(first_document.copy(weasy_pages), title, conforms=False)
        writer = PdfWriter(clone_from=io.BytesIO(html_pdf))
    else:
        writer = PdfWriter()
    # The layouts are in the writer now: let them go before the papers are copied.
    del first_document, weasy_pages
    for part in ordered:
        part.document = None

    tags = _Tags(writer, title)
    included: list[IncludedSection] = []
    index = html_pages = 0
    for part in ordered:
        part.first_index = index
        if part.reader is not None:
            pages = [writer.insert_page(page, index + offset) for offset, page in enumerate(part.reader.pages)]
            tags.add_paper(part.section.title, part.reader, pages, after_html_pages=html_pages)
        else:
            html_pages += part.page_count
        index += part.page_count
        if part.section is not None:
            included.append(
                IncludedSection(
                    key=part.section.key,
                    title=part.section.title,
                    first_page=part.first_index + 1,
                    page_count=part.page_count,
                )
            )
    tags.finish()

    if toc:
        _point_contents_links(writer, toc, parts)
    _add_bookmarks(writer, placed, toc)
    if number_pages:
        _stamp_page_numbers(writer)

    writer.add_metadata({"/Title": title, "/Creator": settings.PORTAL_NAME})
    writer.page_mode = "/UseOutlines"
    if not str(writer.root_object.get("/Lang", "")):  # the HTML's lang, or the site's language
        writer.root_object[NameObject("/Lang")] = TextStringObject(settings.LANGUAGE_CODE)
    output = io.BytesIO()
    writer.write(output)
    return PackResult(pdf=output.getvalue(), page_count=total, included=included, skipped=skipped)


@_collect_cycles_once
def build_tagged_pdf(*, html: str, title: str) -> PackResult:
    """A document made only of HTML (an agenda, minutes, an attendance sheet) as tagged PDF
    (PDF/UA-1): a structure tree screen readers follow, the document's language (the HTML's
    `lang`) and `title` shown as its title. Page numbers come from the template's CSS, not an
    overlay, so the tags stay whole."""
    document = _document(html)
    return PackResult(pdf=_write_tagged(document, title), page_count=len(document.pages), included=[], skipped=[])


def _write_tagged(document: weasyprint.Document, title: str, *, conforms: bool = True) -> bytes:
    """Tagged PDF: the structure tree, /MarkInfo, the language from the HTML's `lang`, and `title`
    as the title (shown in the viewer's title bar), with the portal as its creator.

    `conforms`: WeasyPrint's PDF/UA-1 variant, which also says so in the XMP metadata (with the
    title there too). A pack is tagged the same way but makes no such claim: the papers bound into
    it are whatever their authors made (fonts not embedded, images without text alternatives),
    and its page numbers are drawn in a standard font that is not embedded."""
    document.metadata.title = title
    document.metadata.generator = str(settings.PORTAL_NAME)
    options = {"pdf_variant": "pdf/ua-1"} if conforms else {"pdf_tags": True, "pdf_version": "1.7"}
    return document.write_pdf(finisher=_margin_boxes_as_artifacts, **options)


def _margin_boxes_as_artifacts(document: weasyprint.Document, pdf) -> None:
    """Mark what the page margins hold (the CSS "Page n of N") as artifacts, as PDF/UA asks.

    WeasyPrint 70 marks a margin box's text as content with its own structure element, but leaves
    that element out of the tree (PDF/UA-1 has no place for it there): content a screen reader
    cannot reach, and which checkers reject. Such elements are found here, before the PDF is
    written, and their marked content becomes a pagination artifact, which readers skip.
    """
    number = lambda reference: int(bytes(reference).split()[0])  # noqa: E731  b"12 0 R" -> 12
    elements = {}
    for item in pdf.objects:
        if isinstance(item, pydyf.Dictionary) and item.get("Type") == "/StructElem":
            elements[item.number] = item
    reached, stack = set(), [number(kid) for kid in pdf.objects[number(pdf.catalog["StructTreeRoot"])]["K"]]
    while stack:
        current = stack.pop()
        if current in reached or current not in elements:
            continue
        reached.add(current)
        stack.extend(number(kid) for kid in elements[current]["K"] if not isinstance(kid, int))
    pages = {kid: pdf.objects[kid] for kid in pdf.pages["Kids"][0::3]}  # pydyf lists them as n 0 R
    orphans: dict[int, set[int]] = {}  # page object number -> MCIDs no element in the tree holds
    for key, element in elements.items():
        if key not in reached and "Pg" in element:
            mcids = {kid for kid in element["K"] if isinstance(kid, int)}
            orphans.setdefault(number(element["Pg"]), set()).update(mcids)
    for page_number, mcids in orphans.items():
        stream = pdf.objects[number(pages[page_number]["Contents"])]
        operations = stream.stream
        for index, operation in enumerate(operations):
            if isinstance(operation, pydyf.Dictionary) and operation.get("MCID") in mcids and index > 0:
                operations[index - 1] = "/Artifact"
                operations[index] = pydyf.Dictionary({"Type": "/Pagination"})


# An HTML section as the pack sees it: what its <head> and <html> say (the title aside), and its body.
_HTML_SPLIT = re.compile(
    r"\A\s*(?:<!doctype[^>]*>)?\s*(<html\b[^>]*>)\s*<head\b[^>]*>(.*?)</head>\s*<body\b([^>]*)>(.*)</body>\s*</html>\s*\Z",
    re.IGNORECASE | re.DOTALL,
)
_TITLE = re.compile(r"<title\b[^>]*>.*?</title>", re.IGNORECASE | re.DOTALL)
_PART_ID = "diz-pack-part-"


def _lay_out_html_sections(sections: Sequence[Section], font_config: FontConfiguration) -> dict[int, _Part]:
    """Lay out every HTML section, rendering sections that share a stylesheet as one document.

    WeasyPrint's cost is mostly per document (parsing, the cascade, the page set-up), not per
    page: a pack's twenty cover sheets and twenty item dividers, rendered one by one, took four of
    the five seconds a pack cost. Sections whose <html> tag, <head> (the <title> aside) and <body>
    attributes are the same go into one document, each in its own block starting on a new page;
    the page each block starts on is read back from WeasyPrint's anchors. A section with a head
    of its own (its own styles, its own @page) is laid out alone, as before, so combining never
    changes how a section looks.

    Returns {id(section): part} for the HTML sections.
    """
    groups: dict[tuple[str, str, str], list[tuple[Section, str]]] = {}
    for section in sections:
        if section.html is None:
            continue
        match = _HTML_SPLIT.match(section.html)
        if match is None:  # not a document this can take apart: on its own
            groups[("", section.key, str(id(section)))] = [(section, "")]
            continue
        html_tag, head, body_attributes, body = match.groups()
        groups.setdefault((html_tag, _TITLE.sub("", head), body_attributes), []).append((section, body))
    laid_out: dict[int, _Part] = {}
    for (html_tag, head, body_attributes), members in groups.items():
        if len(members) == 1:
            section = members[0][0]
            document = _document(section.html, font_config, pack=True)
            laid_out[id(section)] = _Part(section=section, page_count=len(document.pages), document=document)
            continue
        blocks = "".join(
            f'<div class="diz-pack-part" id="{_PART_ID}{number}">{body}</div>'
            for number, (_section, body) in enumerate(members)
        )
        html = (
            f"<!DOCTYPE html>{html_tag}<head>{head}"
            "<style>.diz-pack-part + .diz-pack-part { break-before: page; }</style>"
            f"</head><body{body_attributes}>{blocks}</body></html>"
        )
        document = _document(html, font_config, pack=True)
        starts = {}
        for index, page in enumerate(document.pages):
            for anchor in page.anchors:
                if anchor.startswith(_PART_ID):
                    starts.setdefault(int(anchor.removeprefix(_PART_ID)), index)
        if len(starts) != len(members):
            raise RuntimeError(f"{len(members) - len(starts)} pack sections did not appear in their layout")
        ends = [starts.get(number + 1, len(document.pages)) for number in range(len(members))]
        for number, (section, _body) in enumerate(members):
            laid_out[id(section)] = _Part(
                section=section,
                page_count=ends[number] - starts[number],
                document=document,
                first_page=starts[number],
            )
    return laid_out


def _prepare(section: Section, skipped: list[Skipped]) -> _Part | None:
    """An uploaded paper, opened and checked; None (and a reason in `skipped`) if it cannot be used."""
    try:
        reader = _open_paper(section.pdf if section.pdf is not None else section.pdf_path, decode=not section.checked)
    except _Unusable as exc:
        logger.warning("Left %r (%s) out of a pack: %s", section.title, section.key, exc.reason)
        skipped.append(Skipped(key=section.key, title=section.title, reason=exc.reason))
        return None
    return _Part(section=section, page_count=len(reader.pages), reader=reader)


def _contents(title: str, parts: list[_Part], font_config: FontConfiguration) -> _Part:
    """Lay out the contents for the parts after the cover.

    The numbers depend on how many pages the contents itself takes, which depends on the
    entries: start by assuming one page and lay out again until the assumption holds (twice
    at most in practice; the numbers' widths do not change the line count).
    """
    # About 35 entries fit on a page: start from that, so a long contents is usually laid out once.
    assumed = max(1, -(-(len(parts) - 1) // CONTENTS_ENTRIES_PER_PAGE))
    for _attempt in range(10):
        page = parts[0].page_count + assumed + 1
        entries = []
        for number, part in enumerate(parts[1:], start=1):
            entries.append(
                {
                    "title": part.section.title,
                    "level": min(part.section.level, 2),
                    "page": page,
                    "anchor": f"{_CONTENTS_ANCHOR}{number}",
                }
            )
            page += part.page_count
        html = render_to_string(CONTENTS_TEMPLATE, {"title": title, "entries": entries})
        document = _document(html, font_config, pack=True)
        if len(document.pages) == assumed:
            return _Part(section=None, page_count=assumed, document=document)
        assumed = len(document.pages)
    raise RuntimeError("the contents' length did not settle")


def _point_contents_links(writer: PdfWriter, toc: _Part, parts: list[_Part]) -> None:
    """Point the contents' links at the pages their sections start on.

    WeasyPrint made the links (tagged, as a screen reader needs them) to anchors on the contents'
    own lines, since it never sees the papers; each now goes to its section's first page, and the
    placeholder names go.
    """
    for page in writer.pages[toc.first_index : toc.first_index + toc.page_count]:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            target = annotation.get("/Dest")
            if isinstance(target, str) and target.startswith(_CONTENTS_ANCHOR):
                part = parts[int(target.removeprefix(_CONTENTS_ANCHOR))]
                annotation[NameObject("/Dest")] = ArrayObject(
                    [writer.pages[part.first_index].indirect_reference, NameObject("/Fit")]
                )
    names = writer.root_object.get("/Names")
    dests = names.get_object().get("/Dests") if names is not None else None
    if dests is not None and "/Names" in dests.get_object():
        flat = dests.get_object()["/Names"]
        kept = ArrayObject()
        for name, destination in zip(flat[0::2], flat[1::2], strict=True):
            if not str(name).startswith(("diz-part-", _PART_ID)):
                kept.extend([name, destination])
        dests.get_object()[NameObject("/Names")] = kept


class _Tags:
    """The pack's structure tree, which screen readers follow: WeasyPrint's for the HTML pages, with
    each paper under an element of its own (a section titled with the paper's title) placed after
    the HTML that comes before it, so the tree reads in page order.

    A tagged paper (one with a structure tree: a Word document exported as tagged PDF, a portal
    pack) brings its tree across. An untagged paper's pages are each marked as one division of
    content, in the order the paper draws it, with its links tagged as links: what a screen
    reader would read of the paper anyway, now inside the pack's tree instead of outside it.
    """

    def __init__(self, writer: PdfWriter, title: str) -> None:
        self.writer = writer
        root = writer.root_object
        if "/StructTreeRoot" not in root:  # no HTML in the pack: a tree of its own
            document = DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/StructElem"),
                    NameObject("/S"): NameObject("/Document"),
                    NameObject("/K"): ArrayObject(),
                }
            )
            tree = DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/StructTreeRoot"),
                    NameObject("/K"): ArrayObject([writer._add_object(document)]),
                    NameObject("/ParentTree"): writer._add_object(
                        DictionaryObject({NameObject("/Nums"): ArrayObject()})
                    ),
                }
            )
            document[NameObject("/P")] = writer._add_object(tree)
            root[NameObject("/StructTreeRoot")] = tree.indirect_reference
            root[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
            root[NameObject("/ViewerPreferences")] = DictionaryObject(
                {NameObject("/DisplayDocTitle"): BooleanObject(True)}
            )
        self.tree = root["/StructTreeRoot"].get_object()
        top = self.tree["/K"]
        self.document_ref = top[0] if isinstance(top.get_object(), ArrayObject) else top
        self.document = self.document_ref.get_object()
        parent_tree = self.tree["/ParentTree"].get_object()
        if "/Nums" not in parent_tree:  # a tree of several levels: one flat list is as valid
            parent_tree[NameObject("/Nums")] = ArrayObject(item for pair in _number_tree(parent_tree) for item in pair)
            parent_tree.pop("/Kids", None)
        self.nums = parent_tree["/Nums"]
        self.next_key = max((int(key) for key in self.nums[0::2]), default=-1) + 1
        # The HTML page each top-level element sits on, in order: where a paper's element goes.
        html_page = {page.indirect_reference.idnum: number for number, page in enumerate(writer.pages)}
        self.kid_pages = []
        for kid in self.document["/K"]:
            on = kid.get_object().get("/Pg") if isinstance(kid.get_object(), DictionaryObject) else None
            self.kid_pages.append(html_page.get(on.idnum, 0) if isinstance(on, IndirectObject) else 0)
        self.kid_pages = [max(self.kid_pages[: n + 1]) for n in range(len(self.kid_pages))]
        self.insertions: list[tuple[int, IndirectObject]] = []
        self.open_mark = writer._add_object(_stream(b"/Div <</MCID 0>> BDC\n"))
        self.close_mark = writer._add_object(_stream(b"\nEMC\n"))

    def _key(self) -> NumberObject:
        key = NumberObject(self.next_key)
        self.next_key += 1
        return key

    def _element(self, kind: str, parent: IndirectObject, page: PageObject | None, kids, **entries) -> IndirectObject:
        element = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): NameObject(kind),
                NameObject("/P"): parent,
                NameObject("/K"): kids,
            }
        )
        if page is not None:
            element[NameObject("/Pg")] = page.indirect_reference
        for key, value in entries.items():
            element[NameObject(f"/{key}")] = value
        return self.writer._add_object(element)

    def add_paper(self, title: str, reader: PdfReader, pages: list[PageObject], *, after_html_pages: int) -> None:
        section = self._element("/Sect", self.document_ref, None, ArrayObject(), T=TextStringObject(title))
        self.insertions.append((bisect.bisect_left(self.kid_pages, after_html_pages), section))
        if not self._graft(reader, pages, section):
            for page in pages:
                self._mark(page, section)

    def _graft(self, reader: PdfReader, pages: list[PageObject], section: IndirectObject) -> bool:
        """Bring a tagged paper's structure tree across, under `section`. False if it has none."""
        root = reader.trailer["/Root"]
        source = root.get("/StructTreeRoot")
        if source is None or not root.get("/MarkInfo", {}).get("/Marked", False):
            return False
        source = source.get_object()
        top = source.get("/K")
        if top is None:
            return False
        kids = list(top.get_object()) if isinstance(top.get_object(), ArrayObject) else [top]
        # /P is left behind (it leads back up to the paper's own root) and set again below.
        cloned = ArrayObject(kid.clone(self.writer, ignore_fields=["/P"]) for kid in kids)
        for kid in cloned:
            element = kid.get_object()
            if isinstance(element, DictionaryObject) and element.get("/S") == "/Document":
                element[NameObject("/S")] = NameObject("/Div")  # one Document per file
            _set_parents(kid, section)
        section.get_object()[NameObject("/K")] = cloned
        entries = dict(_number_tree(source.get("/ParentTree")))
        for original, page in zip(reader.pages, pages, strict=True):
            old = original.get("/StructParents")
            if old is not None and int(old) in entries:
                key = self._key()
                page[NameObject("/StructParents")] = key
                self.nums.extend([key, entries[int(old)].clone(self.writer, ignore_fields=["/P"])])
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                old = annotation.get("/StructParent")
                if old is not None and int(old) in entries:
                    key = self._key()
                    annotation[NameObject("/StructParent")] = key
                    self.nums.extend([key, entries[int(old)].clone(self.writer, ignore_fields=["/P"])])
                elif old is not None:
                    del annotation["/StructParent"]
        for name in ("/RoleMap", "/ClassMap"):
            if name in source:
                mine = self.tree.get(name)
                mine = mine.get_object() if mine is not None else DictionaryObject()
                for key, value in source[name].get_object().items():
                    if key not in mine:
                        mine[NameObject(key)] = value.clone(self.writer)
                self.tree[NameObject(name)] = mine
        return True

    def _mark(self, page: PageObject, section: IndirectObject) -> None:
        """Tag an untagged paper's page: its content as one division, its links as links."""
        key = self._key()
        division = self._element("/Div", section, page, NumberObject(0))
        section.get_object()["/K"].append(division)
        self.nums.extend([key, ArrayObject([division])])
        page[NameObject("/StructParents")] = key
        page[NameObject("/Tabs")] = NameObject("/S")
        page[NameObject("/Contents")] = ArrayObject(
            [self.open_mark, *_content_streams(self.writer, page), self.close_mark]
        )
        links = []
        for annotation in page.get("/Annots") or []:
            if not isinstance(annotation, IndirectObject) or annotation.get_object().get("/Subtype") != "/Link":
                continue
            reference = DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/OBJR"),
                    NameObject("/Obj"): annotation,
                    NameObject("/Pg"): page.indirect_reference,
                }
            )
            link = self._element("/Link", division, page, reference)
            link_key = self._key()
            annotation.get_object()[NameObject("/StructParent")] = link_key
            self.nums.extend([link_key, link])
            links.append(link)
        if links:
            division.get_object()[NameObject("/K")] = ArrayObject([NumberObject(0), *links])

    def finish(self) -> None:
        kids = self.document["/K"]
        for position, element in reversed(self.insertions):
            kids.insert(position, element)
        self.tree[NameObject("/ParentTreeNextKey")] = NumberObject(self.next_key)


def _number_tree(node):
    """A number tree's (key, value) pairs, in order."""
    if node is None:
        return
    node = node.get_object()
    nums = node.get("/Nums")
    if nums is not None:
        for key, value in zip(nums[0::2], nums[1::2], strict=False):
            yield int(key), value
    for kid in node.get("/Kids") or []:
        yield from _number_tree(kid)


def _set_parents(reference, parent: IndirectObject) -> None:
    """Give each structure element under `reference` its parent (/P), as a copied tree lacks them."""
    stack = [(reference, parent)]
    while stack:
        reference, parent = stack.pop()
        if not isinstance(reference, IndirectObject):
            continue
        element = reference.get_object()
        if not isinstance(element, DictionaryObject) or element.get("/Type", "/StructElem") != "/StructElem":
            continue
        if "/S" not in element:
            continue
        element[NameObject("/P")] = parent
        kids = element.get("/K")
        if kids is None:
            continue
        kids = kids.get_object()
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            stack.append((kid, reference))


def _content_streams(writer: PdfWriter, page: PageObject) -> list:
    """A page's content streams, as references a new /Contents array can hold."""
    contents = page.get("/Contents")
    if contents is None:
        return []
    resolved = contents.get_object()
    if isinstance(resolved, ArrayObject):
        return list(resolved)
    if isinstance(contents, IndirectObject):
        return [contents]
    return [writer._add_object(resolved)]


def _add_bookmarks(writer: PdfWriter, placed: list[tuple[Section, _Part | None]], toc: _Part | None) -> None:
    # (level, bookmark) for the sections that could be parents of the next one. A skipped
    # section still takes its place (with no bookmark), so its papers do not end up under the
    # agenda item before it: they go to the top level instead.
    open_levels: list[tuple[int, IndirectObject | None]] = []
    toc_done = toc is None
    for section, part in placed:
        if part is None:
            while open_levels and open_levels[-1][0] >= section.level:
                open_levels.pop()
            open_levels.append((section.level, None))
            continue
        if not toc_done and part.first_index > toc.first_index:
            writer.add_outline_item(title=CONTENTS_TITLE, page_number=toc.first_index)
            open_levels.clear()
            toc_done = True
        while open_levels and open_levels[-1][0] >= section.level:
            open_levels.pop()
        parent = open_levels[-1][1] if open_levels else None
        bookmark = writer.add_outline_item(
            title=" ".join(section.title.split()), page_number=part.first_index, parent=parent
        )
        open_levels.append((section.level, bookmark))
        if part.reader is not None:
            _copy_outline(writer, part.reader, part.reader.outline, parent=bookmark, first_index=part.first_index)


def _copy_outline(writer: PdfWriter, reader: PdfReader, outline, *, parent, first_index: int) -> None:
    """A paper's own bookmarks, under the paper's bookmark, pointing at its pages in the pack. A
    bookmark whose target cannot be found is left out (a damaged outline never stops a pack)."""
    last = None
    for entry in outline:
        if isinstance(entry, list):
            if last is not None:
                _copy_outline(writer, reader, entry, parent=last, first_index=first_index)
            continue
        try:
            page = reader.get_destination_page_number(entry)
        except Exception:
            page = None
        if page is None or page < 0:
            continue
        title = " ".join(str(entry.title or "").split()) or "Untitled"
        last = writer.add_outline_item(title=title, page_number=first_index + page, parent=parent)


def _stamp_page_numbers(writer: PdfWriter) -> None:
    """Stamp "Page n of N" at the bottom centre of every page.

    Each stamp is a form XObject drawn by one extra content stream, with the page's own content
    wrapped in q/Q so its graphics state cannot move the stamp. Unlike `merge_page`, this never
    decodes or rewrites a paper's content (which stays compressed, and cannot fail on a stream
    pypdf dislikes). The stamp is turned and moved so it sits at the bottom centre of the page as
    displayed (crop box, /Rotate and /UserUnit allowed for).

    The text is drawn directly in Helvetica, one of the PDF standard fonts every viewer has, with
    its published widths for centring: laying out a page per pack page with WeasyPrint cost more
    than a second for a 145-page pack, for one line of text.

    A page that already carries a portal page number (a pack uploaded as a paper) has the old
    number blanked rather than printed over.
    """
    # pypdf has no public way to add a free-standing object; _add_object is what it uses itself.
    save_state = writer._add_object(_stream(b"q\n"))
    blank = writer._add_object(_stream(b"", _form_entries([0, 0, 1, 1], DictionaryObject())))
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    resources = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    total = len(writer.pages)
    drawings: dict[tuple, IndirectObject] = {}  # the same drawing serves every page of one shape
    for index, page in enumerate(writer.pages):
        text = f"Page {index + 1} of {total}"
        width = sum(HELVETICA_WIDTHS[character] for character in text) * NUMBER_FONT_SIZE / 1000
        drawing = (f"BT /F1 {NUMBER_FONT_SIZE} Tf {NUMBER_COLOUR} rg 0 {NUMBER_BASELINE} Td ({text}) Tj ET").encode()
        form = _stream(drawing, _form_entries([0, 0, width, NUMBER_BASELINE * 2], resources))
        name = _give_resource(page, writer._add_object(form), blank)
        matrix = _stamp_matrix(page, width)
        if (matrix, name) not in drawings:
            operators = " ".join(f"{value:.4f}" for value in matrix[0]) + " cm "
            operators += " ".join(f"{value:.4f}" for value in matrix[1]) + " cm "
            drawings[matrix, name] = writer._add_object(
                _stream(f"\nQ\n{_PAGE_NUMBER_ARTIFACT} BDC q {operators}{name} Do Q EMC\n".encode())
            )
        streams = _content_streams(writer, page)
        page[NameObject("/Contents")] = ArrayObject([save_state, *streams, drawings[matrix, name]])


def _stream(data: bytes, entries: dict | None = None) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    for key, value in (entries or {}).items():
        stream[NameObject(key)] = value
    return stream


def _form_entries(bbox, resources: DictionaryObject) -> dict:
    return {
        "/Type": NameObject("/XObject"),
        "/Subtype": NameObject("/Form"),
        "/BBox": ArrayObject(FloatObject(value) for value in bbox),
        "/Resources": resources,
    }


def _give_resource(page, form: IndirectObject, blank: IndirectObject) -> str:
    """Add the stamp to the page's resources and return the name it goes by there."""
    # Copy the resources rather than change them: pages of a paper often share one dictionary.
    resources = page.get("/Resources")
    resources = DictionaryObject(resources.get_object()) if resources is not None else DictionaryObject()
    xobjects = resources.get("/XObject")
    xobjects = DictionaryObject(xobjects.get_object()) if xobjects is not None else DictionaryObject()
    earlier = [name for name in xobjects if name.startswith(STAMP_NAME)]
    for name in earlier:  # the page number of the pack this page came from
        xobjects[NameObject(name)] = blank
    name = STAMP_NAME
    while name in xobjects:
        name = f"{STAMP_NAME}{len(earlier) + 1}"
        earlier.append(name)
    xobjects[NameObject(name)] = form
    resources[NameObject("/XObject")] = xobjects
    if "/ProcSet" not in resources:
        resources[NameObject("/ProcSet")] = ArrayObject([NameObject("/PDF"), NameObject("/Text")])
    page[NameObject("/Resources")] = resources
    return name


def _stamp_matrix(page, overlay_width: float) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Two matrices: the page's displayed orientation, then scale-and-centre along its bottom."""
    box = page.cropbox
    left, right = sorted((float(box.left), float(box.right)))
    bottom, top = sorted((float(box.bottom), float(box.top)))
    width, height = right - left, top - bottom
    rotation = (round(page.rotation / 90) * 90) % 360
    user_unit = float(page.user_unit or 1)
    scale = 1 / user_unit if user_unit > 0 else 1
    # Map "displayed" coordinates (origin at the bottom left of the page as seen) to user space.
    orient = {
        0: (1, 0, 0, 1, left, bottom),
        90: (0, 1, -1, 0, left + width, bottom),
        180: (-1, 0, 0, -1, left + width, bottom + height),
        270: (0, -1, 1, 0, left, bottom + height),
    }[rotation]
    displayed_width = width if rotation in (0, 180) else height
    centre = (scale, 0, 0, scale, displayed_width / 2 - overlay_width * scale / 2, 0)
    return tuple(float(value) for value in orient), tuple(float(value) for value in centre)


__all__ = [
    "DAMAGED",
    "ENCRYPTED",
    "MISSING",
    "NO_PAGES",
    "IncludedSection",
    "PackResult",
    "PdfCheck",
    "PortalURLFetcher",
    "Section",
    "Skipped",
    "build_pack",
    "html_to_pdf",
    "inspect_pdf",
    "render_pdf",
]

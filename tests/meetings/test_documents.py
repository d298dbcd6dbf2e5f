"""meetings/documents.py and meetings/conversion.py: what goes into each audience's agenda, pack,
supplement and minutes, as the PDFs themselves say (read back with pypdf)."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from diz_portal.models import DocumentStatus, SentEmail
from meetings import conversion, documents, services
from meetings.demo import _docx
from meetings.models import PaperVersion
from tests.factories import MembershipFactory, UserFactory
from tests.meetings.conftest import a_meeting, make_pdf, pdf_text, pdf_upload
from tests.support.tagged_pdf import assert_tagged, descendants, top_element


def build(meeting, kind):
    return documents.render_document(meeting, kind)


@pytest.fixture
def last_and_next(board, alice, carol, bob, harlow, django_capture_on_commit_callbacks):
    """Last month's Board meeting (draft minutes, with an action on a public item) and the next one,
    published, with a public report, its exempt appendix and a restricted item."""
    last = a_meeting(board, alice, days=-28)
    inclusion = services.add_item(meeting=last, title="Inclusion", by=alice)
    services.save_minute(item=inclusion, text="The Board discussed digital inclusion.", by=alice)
    services.record_action(
        item=inclusion, description="Circulate the survey", owner=carol, due_on=date(2099, 1, 1), by=alice
    )
    upcoming = a_meeting(board, alice, days=14)
    fibre = services.add_item(meeting=upcoming, title="Fibre", presenter=bob, presenter_organisation=harlow, by=alice)
    services.add_paper(item=fibre, title="Fibre report", purpose="x", upload=pdf_upload(text="Fibre report"), by=alice)
    services.add_paper(
        item=fibre,
        title="Appendix A: valuations",
        purpose="The valuations",
        upload=pdf_upload(text="Valuation figures"),
        visibility="restricted",
        restriction_reason="Property valuations",
        by=alice,
    )
    with django_capture_on_commit_callbacks(execute=False):
        services.circulate_draft_minutes(meeting=last, by=alice)
        upcoming = services.publish_agenda(meeting=upcoming, by=alice)
    return last, upcoming


def test_the_public_pack_lists_no_action_from_minutes_that_are_not_approved(last_and_next):
    _last, upcoming = last_and_next
    public = pdf_text(build(upcoming, "pack:public").pdf)
    assert "Circulate the survey" not in public
    assert "No open actions from approved minutes." in public
    assert "Circulate the survey" in pdf_text(build(upcoming, "pack:members").pdf)


def test_an_exempt_appendix_is_in_the_members_pack_only(last_and_next):
    _last, upcoming = last_and_next
    public = pdf_text(build(upcoming, "pack:public").pdf)
    members = pdf_text(build(upcoming, "pack:members").pdf)
    assert "Fibre report" in public and "Valuation figures" not in public and "Appendix A" not in public
    assert "Valuation figures" in members
    assert "Restricted (an exempt paper on a public item): Property valuations" in members


def test_the_members_pack_has_the_last_meetings_draft_minutes_and_the_public_one_does_not(last_and_next):
    _last, upcoming = last_and_next
    members = build(upcoming, "pack:members")
    assert "The Board discussed digital inclusion." in pdf_text(members.pdf)
    assert any(s.title.startswith("Minutes of the meeting of") for s in members.included)
    public = pdf_text(build(upcoming, "pack:public").pdf)
    assert "The Board discussed digital inclusion." not in public
    assert "are for members until they are approved" in public


def test_a_withdrawn_items_papers_leave_the_pack_and_the_supplement_says_so(
    last_and_next, alice, django_capture_on_commit_callbacks
):
    _last, upcoming = last_and_next
    fibre = upcoming.items.get(title="Fibre")
    with django_capture_on_commit_callbacks(execute=False):
        services.withdraw_item(item=fibre, reason="Deferred to March", by=alice)
    pack = pdf_text(build(upcoming, "pack:public").pdf)
    assert "Fibre report page 1" not in pack and "Withdrawn: Deferred to March" in pack
    supplement = pdf_text(build(upcoming, "supplement:public").pdf)
    assert "Supplementary papers" in supplement and "Withdrawn: Deferred to March" in supplement


def test_a_late_item_and_its_paper_are_in_the_supplement(last_and_next, alice, django_capture_on_commit_callbacks):
    _last, upcoming = last_and_next
    with django_capture_on_commit_callbacks(execute=False):
        late = services.add_item(meeting=upcoming, title="Urgent bid", by=alice)
        services.add_paper(item=late, title="Bid summary", purpose="x", upload=pdf_upload(text="Bid text"), by=alice)
    supplement = build(upcoming, "supplement:public")
    titles = [s.title for s in supplement.included]
    assert "5A. Urgent bid (added late)" in titles and "Bid summary" in titles
    assert "Fibre report" not in titles  # unchanged since publication


# --- Tagged PDFs ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", documents.DOCUMENT_ORDER)
def test_every_document_is_a_tagged_pdf_with_its_language_and_title(last_and_next, kind):
    """Packs and supplements too: their papers' pages are in the structure tree, in page order."""
    last, upcoming = last_and_next
    meeting = last if kind.startswith("minutes") else upcoming
    reader, pages_read = assert_tagged(build(meeting, kind).pdf)
    assert pages_read == list(range(len(reader.pages)))  # every page, in order
    assert reader.metadata.title.startswith(documents.DOCUMENT_NAMES[kind.split(":")[0]])
    assert "Board meeting" in reader.metadata.title
    # Only what the portal makes wholly claims PDF/UA: a pack binds papers it cannot vouch for.
    xmp = reader.trailer["/Root"].get("/Metadata")
    claims_ua = xmp is not None and b"pdfuaid" in xmp.get_object().get_data()
    assert claims_ua is (kind.split(":")[0] not in ("pack", "supplement"))


# --- Papers' own bookmarks ----------------------------------------------------------------------


def _pdf_with_bookmarks() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(3, "Chaptered"))))
    first = writer.add_outline_item(title="1. Background", page_number=0)
    writer.add_outline_item(title="1.1 History", page_number=1, parent=first)
    writer.add_outline_item(title="2. Proposal", page_number=2)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_pack_keeps_each_papers_own_bookmarks_under_its_item(board, alice, django_capture_on_commit_callbacks):
    meeting = a_meeting(board, alice, days=14)
    item = services.add_item(meeting=meeting, title="Fibre", by=alice)
    upload = SimpleUploadedFile("chaptered.pdf", _pdf_with_bookmarks(), content_type="application/pdf")
    services.add_paper(item=item, title="Chaptered report", purpose="x", upload=upload, by=alice)
    with django_capture_on_commit_callbacks(execute=False):
        meeting = services.publish_agenda(meeting=meeting, by=alice)
    result = build(meeting, "pack:members")
    reader = PdfReader(io.BytesIO(result.pdf))

    def find(outline, title):
        for index, entry in enumerate(outline):
            if not isinstance(entry, list) and entry.title == title:
                children = (
                    outline[index + 1] if index + 1 < len(outline) and isinstance(outline[index + 1], list) else []
                )
                return entry, children
        return None, []

    _item, under_item = find(reader.outline, "5. Fibre")
    paper_entry, under_paper = find(under_item, "Chaptered report")
    assert paper_entry is not None
    assert [e.title for e in under_paper if not isinstance(e, list)] == ["1. Background", "2. Proposal"]
    _background, history = find(under_paper, "1. Background")
    assert [e.title for e in history] == ["1.1 History"]
    paper_start = reader.get_destination_page_number(paper_entry)
    assert reader.get_destination_page_number(find(under_paper, "2. Proposal")[0]) == paper_start + 2


# --- Word, ODF and PowerPoint papers -------------------------------------------------------------


def _word_upload():
    return SimpleUploadedFile(
        "evaluation.docx",
        _docx("Living Smart evaluation", "The evaluation framework for Living Smart At Home."),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def test_a_word_paper_is_converted_on_the_worker_and_bound_into_the_pack_as_pdf_pages(
    board, alice, django_capture_on_commit_callbacks
):
    if conversion.soffice() is None:
        pytest.skip("LibreOffice is not installed (make system-deps installs it)")
    meeting = a_meeting(board, alice, days=14)
    item = services.add_item(meeting=meeting, title="Living Smart", by=alice)
    with django_capture_on_commit_callbacks(execute=True):  # the conversion task runs (eagerly) after commit
        paper = services.add_paper(item=item, title="Evaluation", purpose="x", upload=_word_upload(), by=alice)
    version = PaperVersion.objects.get(paper=paper)
    assert version.rendition and not version.rendition_problem and version.page_count >= 1
    with django_capture_on_commit_callbacks(execute=False):
        meeting = services.publish_agenda(meeting=meeting, by=alice)
    pack = build(meeting, "pack:public")
    assert "Evaluation" in [s.title for s in pack.included]
    assert "The evaluation framework for Living Smart At Home." in pdf_text(pack.pdf)
    # Exported as tagged PDF, so the pack carries the document's own structure, not a page blob.
    reader, _pages = assert_tagged(pack.pdf)
    # Word's own paragraph styles ("Standard") come with the role map saying what they are.
    roles = reader.trailer["/Root"]["/StructTreeRoot"].get("/RoleMap", {})
    assert "/P" in {str(roles.get(kind, kind)) for kind in descendants(top_element(reader, "Evaluation"))}
    assert conversion.convert_version(version_id=version.pk) == "done already"


def test_without_libreoffice_a_word_paper_is_linked_and_the_page_says_why(
    board, alice, client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("PATH", "/nonexistent")  # no soffice on this machine
    meeting = a_meeting(board, alice, days=14)
    item = services.add_item(meeting=meeting, title="Living Smart", by=alice)
    with django_capture_on_commit_callbacks(execute=True):
        paper = services.add_paper(item=item, title="Evaluation", purpose="x", upload=_word_upload(), by=alice)
    version = PaperVersion.objects.get(paper=paper)
    assert not version.rendition and version.rendition_problem == conversion.NOT_INSTALLED
    with django_capture_on_commit_callbacks(execute=False):
        meeting = services.publish_agenda(meeting=meeting, by=alice)
    pack = build(meeting, "pack:public")
    assert "Evaluation" not in [s.title for s in pack.included]
    assert "LibreOffice is not installed on the server" in pdf_text(pack.pdf)
    assert "LibreOffice is not installed on the server" in client.get(meeting.get_absolute_url()).content.decode()


def test_the_portals_name_comes_from_settings_not_the_code(last_and_next, settings, client):
    settings.PORTAL_NAME = "Community Safety Partnership Portal"
    settings.SEMINARS_TITLE = "Safer Streets Seminars"
    _last, upcoming = last_and_next
    for kind in ("agenda:public", "pack:public"):
        assert PdfReader(io.BytesIO(build(upcoming, kind).pdf)).metadata.creator == settings.PORTAL_NAME
    feed = client.get(reverse("meetings:calendar_public")).content.decode()
    assert "PRODID:-//Community Safety Partnership Portal//Meetings//EN" in feed
    assert "Safer Streets Seminars" in client.get(reverse("meetings:seminars")).content.decode()


# --- Publishing: every document built, each audience's pack, emails once ----------------------------


def text_of(document) -> str:
    document.refresh_from_db()
    reader = PdfReader(document.file.path)
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def two_item_agenda(meeting, alice, bob, carol, harlow):
    public = services.add_item(meeting=meeting, title="Digital inclusion update", presenter=bob, by=alice)
    services.add_paper(
        item=public,
        title="Inclusion report",
        purpose="To note progress",
        upload=pdf_upload(pages=2, text="Inclusion"),
        by=alice,
    )
    secret = services.add_item(
        meeting=meeting,
        title="Bid pricing",
        visibility="restricted",
        restriction_reason="Commercially sensitive until the bid is submitted",
        by=alice,
    )
    services.add_paper(
        item=secret, title="Pricing schedule", purpose="To agree prices", upload=pdf_upload(text="Pricing"), by=alice
    )
    return meeting


@pytest.fixture
def published_and_built(two_item_agenda, alice, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        return services.publish_agenda(meeting=two_item_agenda, by=alice)


def test_publishing_builds_every_document(published_and_built):
    docs = {d.kind: d for d in documents.documents_for(published_and_built)}
    assert set(docs) == set(documents.PUBLICATION_KINDS)
    assert {d.status for d in docs.values()} == {DocumentStatus.READY}


def test_the_public_pack_leaves_the_restricted_item_out(published_and_built):
    docs = {d.kind: d for d in documents.documents_for(published_and_built)}
    public = text_of(docs["pack:public"])
    assert "Digital inclusion update" in public and "Inclusion page 2" in public
    assert "Bid pricing" not in public and "Pricing page 1" not in public
    for kind in ("agenda:public", "pack:partners"):
        assert "Bid pricing" not in text_of(docs[kind])


def test_the_members_pack_has_the_restricted_item_with_its_reason(published_and_built):
    members = text_of({d.kind: d for d in documents.documents_for(published_and_built)}["pack:members"])
    assert "Bid pricing" in members
    assert "Commercially sensitive until the bid is submitted" in members
    assert "Pricing page 1" in members
    assert "Members' copy" in members


def test_members_are_emailed_once_even_if_the_pack_is_built_again(published_and_built, carol, mailoutbox):
    to_carol = [m for m in mailoutbox if m.to == ["carol@example.org"]]
    assert len(to_carol) == 1
    assert "because you sit on the Board" in to_carol[0].body
    pack = {d.kind: d for d in documents.documents_for(published_and_built)}["pack:members"]
    assert documents.build(document_id=pack.pk) == "unchanged"
    assert len([m for m in mailoutbox if m.to == ["carol@example.org"]]) == 1
    assert SentEmail.objects.filter(to="carol@example.org").count() == 1


def test_a_document_left_building_by_a_dead_worker_is_built_again(published_and_built):
    pack = {d.kind: d for d in documents.documents_for(published_and_built)}["pack:public"]
    type(pack).objects.filter(pk=pack.pk).update(status=DocumentStatus.BUILDING, fingerprint="")
    assert documents.build(document_id=pack.pk) == "built"
    pack.refresh_from_db()
    assert pack.status == DocumentStatus.READY and pack.version == 2


def test_a_damaged_paper_is_left_out_and_the_programme_manager_told(
    two_item_agenda, alice, django_capture_on_commit_callbacks, mailoutbox
):
    item = two_item_agenda.items.get(title="Digital inclusion update")
    damaged = SimpleUploadedFile("broken.pdf", b"%PDF-1.7\n1 0 obj <<>> endobj garbage")
    services.add_paper(item=item, title="Broken annex", purpose="x", upload=damaged, by=alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(meeting=two_item_agenda, by=alice)
    pack = {d.kind: d for d in documents.documents_for(two_item_agenda)}["pack:public"]
    pack.refresh_from_db()
    assert pack.status == DocumentStatus.READY
    assert pack.problems and pack.problems[0]["title"] == "Broken annex"
    assert "Inclusion page 1" in text_of(pack)
    told = [m for m in mailoutbox if m.to == ["alice@example.org"]]
    assert told and "Broken annex" in told[0].body


def test_a_paper_replaced_after_publication_produces_a_supplement(
    published_and_built, alice, django_capture_on_commit_callbacks
):
    paper = published_and_built.items.get(title="Digital inclusion update").papers.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.replace_paper(paper=paper, upload=pdf_upload(text="Revised inclusion"), by=alice)
    docs = {d.kind: d for d in documents.documents_for(published_and_built)}
    supplement = text_of(docs["supplement:public"])
    assert "Revised inclusion page 1" in supplement
    assert "Pricing" not in supplement
    assert "Revised inclusion page 1" in text_of(docs["pack:public"])
    # Item numbers are kept: the item is still number 5.
    assert "5. Digital inclusion update" in text_of(docs["pack:members"])


def test_the_members_pack_shows_only_members_their_documents(published_and_built, bob, carol):
    dave = UserFactory()
    MembershipFactory(body=published_and_built.body, person=dave)
    assert [d.kind for d in documents.visible_documents(published_and_built, carol)] == [
        "agenda:members",
        "pack:members",
        "attendance:members",  # the printable attendance sheet
    ]
    assert [d.kind for d in documents.visible_documents(published_and_built, bob)] == ["agenda:public", "pack:partners"]

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, Paper, PaperVersion
from tests.meetings.conftest import docx_upload, exe_upload, pdf_upload


@pytest.fixture
def item(meeting, alice, bob, harlow):
    return services.add_item(
        meeting=meeting, title="Full fibre bid", presenter=bob, presenter_organisation=harlow, by=alice
    )


def test_a_pdf_paper_is_stored_with_its_cover_sheet(item, bob):
    paper = services.add_paper(
        item=item, title="LFFN bid", purpose="To agree the bid", upload=pdf_upload(pages=3), by=bob
    )
    version = paper.versions.get()
    assert (version.extension, version.page_count, version.problem) == ("pdf", 3, "")
    assert not version.is_late


def test_word_documents_are_accepted(item, bob):
    paper = services.add_paper(item=item, title="Notes", purpose="For information", upload=docx_upload(), by=bob)
    assert paper.versions.get().extension == "docx"


def test_an_executable_renamed_pdf_is_refused_and_nothing_is_written(item, bob):
    with pytest.raises(ValidationError) as error:
        services.add_paper(item=item, title="Bad", purpose="x", upload=exe_upload(), by=bob)
    assert "its content is EXE" in error.value.messages[0]
    assert not Paper.objects.exists() and not PaperVersion.objects.exists()


def test_a_file_whose_name_does_not_match_its_content_is_refused(item, bob):
    with pytest.raises(ValidationError) as error:
        services.add_paper(item=item, title="Odd", purpose="x", upload=pdf_upload(name="paper.docx"), by=bob)
    assert "its content is a PDF file" in error.value.messages[0]


def test_a_paper_over_the_size_limit_is_refused(item, bob, settings):
    settings.PAPER_MAX_BYTES = 1_000_000
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * 1_100_000)
    with pytest.raises(ValidationError) as error:
        services.add_paper(item=item, title="Big", purpose="x", upload=big, by=bob)
    assert "at most 1 MB" in error.value.messages[0]


def test_a_type_not_allowed_is_refused(item, bob):
    png = SimpleUploadedFile("chart.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(ValidationError) as error:
        services.add_paper(item=item, title="Chart", purpose="x", upload=png, by=bob)
    assert "must be a PDF, Word, OpenDocument, Excel or PowerPoint document" in error.value.messages[0]


def test_replacing_a_paper_keeps_the_earlier_version(item, bob):
    paper = services.add_paper(item=item, title="LFFN bid", purpose="x", upload=pdf_upload(), by=bob)
    services.replace_paper(paper=paper, upload=pdf_upload(pages=2), by=bob)
    assert list(paper.versions.order_by("number").values_list("number", "page_count")) == [(1, 1), (2, 2)]


def test_a_paper_after_the_deadline_is_marked_late(item, bob):
    Meeting.objects.filter(pk=item.meeting_id).update(papers_due_at=timezone.now() - timedelta(hours=1))
    item.meeting.refresh_from_db()
    paper = services.add_paper(item=item, title="LFFN bid", purpose="x", upload=pdf_upload(), by=bob)
    assert paper.versions.get().is_late


def test_an_encrypted_pdf_is_accepted_but_flagged(item, bob):
    import io

    from pypdf import PdfReader, PdfWriter

    from tests.meetings.conftest import make_pdf

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(make_pdf())).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    paper = services.add_paper(
        item=item, title="Locked", purpose="x", upload=SimpleUploadedFile("locked.pdf", out.getvalue()), by=bob
    )
    assert "password" in paper.versions.get().problem

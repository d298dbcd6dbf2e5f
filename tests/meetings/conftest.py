import io
import zipfile
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetings import services
from meetings.models import LONDON


def make_pdf(pages: int = 1, text: str = "Paper") -> bytes:
    from diz_portal.pdf import html_to_pdf

    body = "".join(f'<p style="break-after: page">{text} page {n}</p>' for n in range(1, pages + 1))
    return html_to_pdf(f"<html><body>{body}</body></html>")


def pdf_upload(name="paper.pdf", pages=1, text="Paper"):
    return SimpleUploadedFile(name, make_pdf(pages, text), content_type="application/pdf")


def docx_upload(name="paper.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><document/>')
    return SimpleUploadedFile(name, buffer.getvalue())


def exe_upload(name="paper.pdf"):
    return SimpleUploadedFile(name, b"MZ" + b"\x90" * 62 + b"PE\x00\x00" + b"\x00" * 200)


@pytest.fixture
def meeting(board, alice):
    """A Board meeting a fortnight away, its papers due in a week."""
    day = timezone.localdate() + timedelta(days=14)
    starts = datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON)
    return services.schedule_meeting(
        body=board, starts_at=starts, ends_at=starts + timedelta(hours=2), location="Civic Offices, Epping", by=alice
    )

"""Word, OpenDocument and PowerPoint papers, converted to PDF so packs can bind them.

LibreOffice runs headless on a worker (never in a request), in a fresh profile directory, with a
time limit. Where LibreOffice is not installed, or a file will not convert, the paper is still
listed and linked in the pack, and `rendition_problem` says why (the meeting and papers pages
show it)."""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction

from meetings.models import Meeting, PaperVersion

logger = logging.getLogger(__name__)

NOT_INSTALLED = "LibreOffice is not installed on the server, so this paper is linked rather than bound into the pack."
TIMED_OUT = "Converting this paper to PDF took too long, so it is linked rather than bound into the pack."
FAILED = "This paper could not be converted to PDF, so it is linked rather than bound into the pack."


# LibreOffice's PDF export filter for each kind of paper, asked for tagged PDF: the paper's
# headings, lists and tables then reach a screen reader, and the pack keeps its structure tree.
_TAGGED = '{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
EXPORT_FILTERS = {
    "doc": "writer_pdf_Export",
    "docx": "writer_pdf_Export",
    "odt": "writer_pdf_Export",
    "ppt": "impress_pdf_Export",
    "pptx": "impress_pdf_Export",
    "odp": "impress_pdf_Export",
}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(source: Path, workdir: Path) -> Path:
    """Run LibreOffice on `source`; return the PDF it wrote. Raises subprocess.TimeoutExpired or
    RuntimeError."""
    export_filter = EXPORT_FILTERS.get(source.suffix.lower().lstrip("."))
    command = [
        soffice(),
        f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        f"pdf:{export_filter}:{_TAGGED}" if export_filter else "pdf",
        "--outdir",
        str(workdir / "out"),
        str(source),
    ]
    completed = subprocess.run(
        command,
        capture_output=True,
        timeout=settings.PAPER_CONVERSION_TIMEOUT,
        env={"HOME": str(workdir), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    output = workdir / "out" / (source.stem + ".pdf")
    if completed.returncode != 0 or not output.exists():
        raise RuntimeError(completed.stderr.decode(errors="replace")[-500:] or "no PDF was written")
    return output


def _record_problem(version: PaperVersion, problem: str) -> None:
    """Say on the version why it has no PDF rendition (the meeting page shows it)."""
    from diz_portal import caching

    PaperVersion.objects.filter(pk=version.pk).update(rendition_problem=problem)
    caching.bump("meetings")


def convert_version(*, version_id: int) -> str:
    """Make the PDF rendition of one paper version. Safe to run twice: a version that has one, or
    needs none, is left alone. Returns what happened."""
    from diz_portal.pdf import inspect_pdf

    version = PaperVersion.objects.select_related("paper__item").filter(pk=version_id).first()
    if version is None or not version.converts_to_pdf:
        return "not needed"
    if version.rendition:
        return "done already"
    if soffice() is None:
        _record_problem(version, NOT_INSTALLED)
        return "unavailable"
    with tempfile.TemporaryDirectory(prefix="diz-convert-") as tmp:
        workdir = Path(tmp)
        source = workdir / f"paper.{version.extension}"
        with version.file.open("rb") as handle, source.open("wb") as out:
            shutil.copyfileobj(handle, out)
        try:
            pdf = convert_to_pdf(source, workdir)
        except subprocess.TimeoutExpired:
            logger.warning("Converting paper version %s timed out", version.pk)
            _record_problem(version, TIMED_OUT)
            return "timed out"
        except RuntimeError as error:
            logger.warning("Converting paper version %s failed: %s", version.pk, error)
            _record_problem(version, FAILED)
            return "failed"
        data = pdf.read_bytes()
        check = inspect_pdf(data)
        if not check.ok:
            _record_problem(version, FAILED)
            return "failed"
        with transaction.atomic():
            version = PaperVersion.objects.select_for_update().get(pk=version.pk)
            if version.rendition:
                return "done already"
            name = version.original_name.rsplit(".", 1)[0] + ".pdf"
            with pdf.open("rb") as handle:
                version.rendition.save(name, File(handle), save=False)
            version.rendition_problem = ""
            version.page_count = check.pages
            version.save(update_fields=["rendition", "rendition_problem", "page_count"])
    meeting = Meeting.objects.select_related("body").get(pk=version.paper.item.meeting_id)
    if meeting.is_published:
        from meetings import documents

        documents.request_documents(meeting=meeting, reason="a paper was converted to PDF")
    return "converted"

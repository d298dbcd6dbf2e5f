"""Building a Board report's PDF on a worker, as meetings/documents.py builds packs.

`build` is what the task runs. Safe to run twice and after a crash: a report whose inputs (the
data it would print, reports/content.py) have not changed since its last build is not built again;
a rebuilt one replaces its file; a worker that dies leaves it "building" and the sweep
(`requeue_stale_reports`) builds it again. The page shows the stage and per cent reached.
"""

from __future__ import annotations

import logging

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from diz_portal import caching
from diz_portal.models import DocumentStatus, GeneratedDocument
from diz_portal.queue import send_task_now
from reports import content
from reports.models import Report, report_filename

logger = logging.getLogger(__name__)


def _progress(report_id: int, progress: int, stage: str) -> None:
    # An update() sends no signal: the reports pages' cached copies are told here.
    Report.objects.filter(pk=report_id).update(progress=progress, stage=stage)
    caching.bump("reports")


def document_title(report: Report) -> str:
    return f"{report.get_kind_display()}: {report.body.name}, {report.period_label}"


def render(report: Report, data: dict):
    """The report as tagged PDF (PDF/UA-1): contents, headings, table headers and page numbers."""
    from diz_portal.pdf import build_tagged_pdf

    html = render_to_string("pdf/reports/report.html", content.render_context(report, data))
    return build_tagged_pdf(html=html, title=document_title(report))


def build(*, document_id: int) -> str:
    """Build one report. Returns "built", "unchanged" or "gone". On an error the document is
    marked failed with the error, and the error re-raised so the task retries."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None:
            return "gone"
        report = Report.objects.select_related("body").filter(pk=document.object_id).first()
        if report is None:
            return "gone"
        _progress(report.pk, 10, "Gathering the figures")
        data = content.gather(report)
        current = content.fingerprint(data)
        if document.fingerprint == current and document.file:
            document.status = DocumentStatus.READY
            document.finished_at = timezone.now()
            document.save(update_fields=["status", "finished_at"])
            _progress(report.pk, 100, f"Up to date: nothing has changed since version {document.version}")
            return "unchanged"
        document.status = DocumentStatus.BUILDING
        document.started_at = timezone.now()
        document.attempts += 1
        document.save(update_fields=["status", "started_at", "attempts"])
    _progress(report.pk, 40, "Laying out the pages")
    try:
        result = render(report, data)
    except Exception as error:
        GeneratedDocument.objects.filter(pk=document.pk).update(
            status=DocumentStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now()
        )
        caching.bump("documents")
        _progress(report.pk, 0, "Failed")
        raise
    _progress(report.pk, 90, "Saving")
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
        old_name = document.file.name if document.file else ""
        document.version += 1
        document.file.save(report_filename(report, document.version), ContentFile(result.pdf), save=False)
        document.status = DocumentStatus.READY
        document.fingerprint = current
        document.page_count = result.page_count
        document.error = ""
        document.finished_at = timezone.now()
        document.save()
    if old_name and old_name != document.file.name:
        document.file.storage.delete(old_name)
    _progress(report.pk, 100, "Ready")
    from reports.agenda import after_build

    after_build(report=report, document=document, pdf=result.pdf)
    return "built"


def report_documents():
    return GeneratedDocument.objects.filter(content_type=ContentType.objects.get_for_model(Report))


def failed_documents() -> list[GeneratedDocument]:
    """Reports a worker could not build, each with its `report` (for the dashboard's link)."""
    documents = list(report_documents().filter(status=DocumentStatus.FAILED).order_by("-requested_at"))
    reports = Report.objects.select_related("body").in_bulk({d.object_id for d in documents})
    for document in documents:
        document.report = reports.get(document.object_id)
    return [d for d in documents if d.report is not None]


def requeue_stale_reports() -> int:
    """Reports queued while the broker was down, or left building by a worker that died."""
    from meetings.documents import stale_document_ids
    from reports.tasks import build_report

    ids = stale_document_ids(model=Report)
    for pk in ids:
        send_task_now(build_report, pk)
    return len(ids)

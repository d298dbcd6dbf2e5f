"""Board reports against a real Redis and Celery worker: asked for, built once, rebuilt after a
worker dies mid-build, and built once Redis is back after an outage."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from diz_portal.models import DocumentStatus, GeneratedDocument
from meetings import services
from meetings.models import LONDON
from reports import periods
from reports.models import Report, ReportKind
from reports.services import request_report
from reports.tasks import build_report, requeue_stale_reports
from tests.workers.conftest import wait_for

pytestmark = pytest.mark.services


@pytest.fixture
def quarter(board, alice, carol):
    """The Board met this quarter and minuted many decisions (a report of several pages)."""
    period = periods.quarter_of(timezone.localdate())
    day = max(period.start, timezone.localdate() - timedelta(days=1))
    starts = datetime(day.year, day.month, day.day, 10, tzinfo=LONDON)
    meeting = services.schedule_meeting(body=board, starts_at=starts, ends_at=starts + timedelta(hours=2), by=alice)
    item = services.add_item(meeting=meeting, title="Workstream reports", by=alice)
    for n in range(120):
        services.record_decision(item=item, text=f"Agreed the workstream {n} report and its next steps.", by=alice)
    services.circulate_draft_minutes(meeting=meeting, by=alice)
    return period


def document_of(report) -> GeneratedDocument:
    return report.documents.get()


def ready(report) -> bool:
    return document_of(report).status == DocumentStatus.READY


def test_a_request_returns_at_once_and_a_worker_builds_the_report(worker, quarter, board, carol):
    report = request_report(kind=ReportKind.HIGHLIGHT, body=board, period=quarter, by=carol)
    assert document_of(report).status in {DocumentStatus.QUEUED, DocumentStatus.BUILDING}
    assert wait_for(lambda: ready(report), timeout=60)
    document = document_of(report)
    pages = PdfReader(document.file.path).pages
    assert document.version == 1 and len(pages) == document.page_count > 3
    # The decisions table runs over several pages, its header row repeated on each.
    with_header = [page for page in pages if "Reference Date Decision" in " ".join(page.extract_text().split())]
    assert len(with_header) >= 2


def test_building_a_report_twice_gives_the_same_document(worker, quarter, board, carol):
    report = request_report(kind=ReportKind.HIGHLIGHT, body=board, period=quarter, by=carol)
    assert wait_for(lambda: ready(report), timeout=60)
    document = document_of(report)
    assert build_report.delay(document.pk).get(timeout=60) == "unchanged"
    request_report(kind=ReportKind.HIGHLIGHT, body=board, period=quarter, by=carol)
    assert wait_for(lambda: ready(report), timeout=60)
    again = document_of(report)
    assert (again.version, again.file.name) == (1, document.file.name)
    assert Report.objects.count() == 1 and report.requests.count() == 2


def test_a_worker_killed_mid_build_leaves_the_report_building_and_the_sweep_completes_it(
    worker_factory, quarter, board, carol
):
    worker = worker_factory().start()
    report = request_report(kind=ReportKind.HIGHLIGHT, body=board, period=quarter, by=carol)
    assert wait_for(lambda: document_of(report).status == DocumentStatus.BUILDING, timeout=60, interval=0.02)
    worker.kill()
    assert document_of(report).status == DocumentStatus.BUILDING
    # Left building for longer than a task may run: the sweep sends it again.
    GeneratedDocument.objects.filter(pk=document_of(report).pk).update(started_at=timezone.now() - timedelta(hours=1))
    worker_factory().start()
    assert requeue_stale_reports.delay().get(timeout=30) == 1
    assert wait_for(lambda: ready(report), timeout=90)
    assert PdfReader(document_of(report).file.path).pages


def test_a_report_asked_for_while_redis_is_down_is_built_when_it_is_back(worker_factory, redis, quarter, board, carol):
    redis.stop()
    report = request_report(kind=ReportKind.HIGHLIGHT, body=board, period=quarter, by=carol)
    assert document_of(report).status == DocumentStatus.QUEUED
    assert report.requests.count() == 1
    redis.start()
    worker_factory().start()
    GeneratedDocument.objects.update(requested_at=timezone.now() - timedelta(minutes=5))
    assert requeue_stale_reports.delay().get(timeout=30) == 1
    assert wait_for(lambda: ready(report), timeout=90)

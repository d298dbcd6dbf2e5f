"""Asking for a Board report. The request records what is wanted and returns at once; a worker
builds the PDF (reports/documents.py)."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from diz_portal import caching
from diz_portal.models import GeneratedDocument
from diz_portal.queue import enqueue
from reports import periods
from reports.models import Report, ReportKind, ReportRequest
from reports.periods import Period

logger = logging.getLogger(__name__)

# Reports that cover a quarter; the others cover a financial year.
QUARTERLY = {ReportKind.HIGHLIGHT, ReportKind.ENDORSEMENT}
WAITING_STAGE = "Waiting for a worker"


def partnership_began() -> date | None:
    """The earliest date the partnership's records go back to: its first meeting, or the day its
    first partner joined."""
    from meetings.models import Meeting
    from partners.models import Organisation

    def find():
        first_meeting = Meeting.objects.aggregate(first=Min("starts_at"))["first"]
        first_joined = Organisation.objects.aggregate(first=Min("joined_on"))["first"]
        dates = [d for d in (first_meeting and timezone.localtime(first_meeting).date(), first_joined) if d]
        return min(dates) if dates else None

    return caching.cached_value("partnership-began", ["meetings", "partners"], find)


def periods_for(kind: str, *, today: date | None = None) -> list[Period]:
    """The periods a report of `kind` can be asked for, newest first: from the one the partnership
    began in up to the one under way."""
    today = today or timezone.localdate()
    began = partnership_began() or today
    step = periods.quarter_of if kind in QUARTERLY else periods.year_of
    chosen, current = [], step(today)
    while current.end >= began:
        chosen.append(current)
        current = step(current.start - timedelta(days=1))
    return chosen


def check_period(kind: str, period: Period, *, today: date | None = None) -> None:
    """Raise ValidationError (on "period") for a period that cannot be reported on."""
    today = today or timezone.localdate()
    if kind in QUARTERLY and not period.is_quarter:
        raise ValidationError({"period": "This report covers a quarter: choose a quarter, not a whole year."})
    if kind not in QUARTERLY and period.is_quarter:
        raise ValidationError({"period": "This report covers a whole financial year: choose a year."})
    if period.start > today:
        raise ValidationError({"period": "That period has not started yet: choose one that has."})
    began = partnership_began()
    if began is not None and period.end < began:
        raise ValidationError(
            {"period": f"The partnership's records start on {began:%-d %B %Y}: choose a period after that."}
        )


def request_report(*, kind: str, body, period: Period, by, scheduled: bool = False, meeting=None) -> Report:
    """Record a request for a report and queue its build (after commit). Safe to call twice: the
    report and its document are one row each, and a worker builds only if the inputs changed.

    Raises ValidationError for a period that cannot be reported on; nothing is written then."""
    if kind not in ReportKind.values:
        raise ValidationError({"kind": "Choose a kind of report."})
    check_period(kind, period)
    with transaction.atomic():
        report, _ = Report.objects.select_for_update().get_or_create(
            kind=kind, body=body, period_start=period.start, defaults={"period_end": period.end}
        )
        if meeting is not None and report.meeting_id is None:
            report.meeting = meeting
        report.stage, report.progress = WAITING_STAGE, 0
        report.save(update_fields=["meeting", "stage", "progress"])
        ReportRequest.objects.create(report=report, requested_by=by, scheduled=scheduled)
        queue_build(report)
    logger.info("Report %s requested (%s)", report, "scheduled" if scheduled else by)
    return report


def queue_build(report: Report) -> GeneratedDocument:
    from reports.tasks import build_report

    document, _ = GeneratedDocument.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(Report), object_id=report.pk, kind=report.kind
    )
    document.mark_queued()
    enqueue(build_report, document.pk)
    return document

"""The quarterly highlight report on the Board's agenda.

Celery beat runs `schedule_highlight_reports` daily. A week before the Board's first meeting of a
quarter it asks for the highlight report of the quarter just ended; once a worker has built it,
`after_build` puts it on that meeting's agenda as a members' paper (an item of its own) and tells
the programme manager. Both are safe to run again: the report remembers its meeting and its item,
a rebuilt report replaces the paper with a new version, and each email goes once per version.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from diz_portal.mail import send_once, subject
from reports import periods
from reports.models import Report, ReportKind

logger = logging.getLogger(__name__)

# How long before the meeting the report is built.
LEAD_TIME = timedelta(days=7)
# The body that receives the highlight report, by its code (GoverningBody.code).
BOARD_CODE = getattr(settings, "HIGHLIGHT_REPORT_BODY_CODE", "BRD")


def first_meeting_of_quarter(body, quarter: periods.Period):
    from meetings.models import Meeting, MeetingStatus

    return (
        Meeting.objects.filter(
            body=body,
            status=MeetingStatus.SCHEDULED,
            starts_at__date__gte=quarter.start,
            starts_at__date__lte=quarter.end,
        )
        .order_by("starts_at")
        .first()
    )


def schedule_highlight_reports(*, today: date | None = None) -> int:
    """Ask for the highlight report for the Board's first meeting of a quarter once that meeting is
    a week away (or less), covering the quarter before it. Returns how many were asked for."""
    from meetings.models import Meeting, MeetingStatus
    from partners.models import GoverningBody
    from reports.services import request_report

    today = today or timezone.localdate()
    board = GoverningBody.objects.filter(code=BOARD_CODE).first()
    if board is None:
        return 0
    coming = Meeting.objects.filter(
        body=board,
        status=MeetingStatus.SCHEDULED,
        starts_at__date__gte=today,
        starts_at__date__lte=today + LEAD_TIME,
    ).order_by("starts_at")
    asked = 0
    for meeting in coming:
        quarter = periods.quarter_of(meeting.local_date)
        if first_meeting_of_quarter(board, quarter) != meeting:
            continue
        covers = periods.previous_quarter(quarter)
        if Report.objects.filter(
            kind=ReportKind.HIGHLIGHT, body=board, period_start=covers.start, meeting=meeting
        ).exists():
            continue
        try:
            request_report(
                kind=ReportKind.HIGHLIGHT, body=board, period=covers, by=None, scheduled=True, meeting=meeting
            )
        except ValidationError as error:  # e.g. the partnership began this quarter: nothing to report yet
            logger.info("No highlight report for %s: %s", meeting, error)
            continue
        asked += 1
    return asked


def after_build(*, report: Report, document, pdf: bytes) -> None:
    if report.meeting_id is None or report.kind != ReportKind.HIGHLIGHT:
        return
    if put_on_agenda(report=report, pdf=pdf, version=document.version):
        tell_programme_managers(report=report, version=document.version)


def put_on_agenda(*, report: Report, pdf: bytes, version: int) -> bool:
    """Put the report's PDF on its meeting's agenda: an item and a paper the first time, a new
    version of the paper after a rebuild. Returns whether the agenda changed."""
    from meetings import services
    from meetings.models import Meeting, Paper, Purpose, Visibility

    meeting = Meeting.objects.select_related("body").get(pk=report.meeting_id)
    upload = SimpleUploadedFile(f"{report.body.slug}-highlight-report-v{version}.pdf", pdf, "application/pdf")
    title = f"Quarterly highlight report, {report.period_label}"
    try:
        with transaction.atomic():
            report = Report.objects.select_for_update().get(pk=report.pk)
            paper = Paper.objects.filter(item_id=report.agenda_item_id).prefetch_related("versions").first()
            if paper is None:
                item = services.add_item(
                    meeting=meeting,
                    title="Quarterly highlight report",
                    purpose=Purpose.INFORMATION,
                    visibility=Visibility.MEMBERS,
                    duration_minutes=10,
                    description=f"Projects, funding, endorsement, decisions and attendance: {report.period_label}.",
                    by=None,
                )
                services.add_paper(
                    item=item,
                    title=title,
                    purpose="The partnership's highlight report for the quarter, built by the portal.",
                    upload=upload,
                    by=None,
                )
                report.agenda_item = item
                report.save(update_fields=["agenda_item"])
                return True
            latest = max(paper.versions.all(), key=lambda v: v.number, default=None)
            if latest is not None and latest.sha256 == hashlib.sha256(pdf).hexdigest():
                return False
            services.replace_paper(paper=paper, upload=upload, by=None)
            return True
    except ValidationError as error:  # the meeting was cancelled, or the item withdrawn
        logger.warning("Could not put %s on the agenda of %s: %s", report, meeting, error)
        return False


def tell_programme_managers(*, report: Report, version: int) -> int:
    from partners.models import Partnership
    from partners.permissions import programme_managers

    sent = 0
    for manager in programme_managers():
        body = render_to_string(
            "reports/email/on_agenda.txt",
            {
                "person": manager,
                "report": report,
                "meeting": report.meeting,
                "version": version,
                "partnership": Partnership.current(),
                "link": settings.SITE_URL + f"/manage/meetings/{report.meeting_id}/agenda/",
            },
        )
        sent += send_once(
            key=f"reports.on-agenda:{report.pk}:v{version}:{manager.pk}",
            to=manager.email,
            subject=subject(f"The highlight report is on the agenda: {report.meeting}"),
            body=body,
        )
    return sent

"""Demo data for the reports: the quarterly highlight report on the Board's agenda.

The quarterly schedule (reports.agenda) puts the highlight report on the Board's first meeting of a
quarter a week before it. The demo runs that schedule as of the day it would next act, so the
report is there on the next such meeting's agenda. Safe to run again: the schedule never asks twice.
"""

from __future__ import annotations

from django.utils import timezone

from meetings.models import Meeting, MeetingStatus
from partners.models import GoverningBody
from reports import agenda, periods


def load(*, stdout=None) -> None:
    board = GoverningBody.objects.filter(code=agenda.BOARD_CODE).first()
    if board is None:
        return
    today = timezone.localdate()
    coming = Meeting.objects.filter(body=board, status=MeetingStatus.SCHEDULED, starts_at__date__gte=today)
    for meeting in coming.order_by("starts_at"):
        if agenda.first_meeting_of_quarter(board, periods.quarter_of(meeting.local_date)) == meeting:
            asked = agenda.schedule_highlight_reports(today=max(today, meeting.local_date - agenda.LEAD_TIME))
            if stdout is not None and asked:
                stdout.write(f"Highlight report scheduled for the {meeting}")
            return

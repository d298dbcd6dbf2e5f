"""Reminder emails sent by Celery beat. Each says why it was sent and goes at most once per
reminder (SentEmail keys), however often beat runs."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from diz_portal.mail import send_once
from meetings.models import Action, AgendaItem, MeetingStatus
from partners.models import Partnership

REMINDER_WINDOW = timedelta(days=3)


def items_needing_papers(now: datetime | None = None):
    """Business items of meetings whose papers are due within three days, with a presenter and no
    paper yet."""
    now = now or timezone.now()
    return (
        AgendaItem.objects.filter(
            meeting__status=MeetingStatus.SCHEDULED,
            meeting__papers_due_at__gt=now,
            meeting__papers_due_at__lte=now + REMINDER_WINDOW,
            standing_kind="",
            presenter__isnull=False,
            papers__isnull=True,
        )
        .select_related("meeting__body", "presenter")
        .order_by("meeting__starts_at", "number", "suffix")
    )


def send_paper_reminders(now: datetime | None = None) -> int:
    sent = 0
    partnership = Partnership.current()
    for item in items_needing_papers(now):
        meeting = item.meeting
        body = render_to_string(
            "meetings/email/paper_reminder.txt",
            {
                "item": item,
                "meeting": meeting,
                "partnership": partnership,
                "link": settings.SITE_URL + meeting.get_absolute_url(),
            },
        )
        sent += send_once(
            key=f"meetings.paper-reminder:{item.pk}:{meeting.papers_due_at:%Y%m%d%H%M}",
            to=item.presenter.email,
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your paper for the {meeting} is due "
            f"{timezone.localtime(meeting.papers_due_at):%A %-d %B}",
            body=body,
        )
    return sent


def send_action_chasers(today=None) -> int:
    """Weekly: each owner of overdue actions gets one email listing them."""
    today = today or timezone.localdate()
    overdue = Action.objects.overdue(today).select_related("owner", "meeting__body").order_by("owner_id", "due_on")
    by_owner: dict = {}
    for action in overdue:
        by_owner.setdefault(action.owner, []).append(action)
    year, week, _ = today.isocalendar()
    partnership = Partnership.current()
    sent = 0
    for owner, actions in by_owner.items():
        body = render_to_string(
            "meetings/email/action_chaser.txt",
            {
                "owner": owner,
                "actions": actions,
                "partnership": partnership,
                "link": settings.SITE_URL + "/meetings/actions/mine/",
            },
        )
        sent += send_once(
            key=f"meetings.chaser:{owner.pk}:{year}-W{week:02d}",
            to=owner.email,
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{len(actions)} overdue action{'s' if len(actions) != 1 else ''}",
            body=body,
        )
    return sent

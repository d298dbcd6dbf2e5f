"""Reminders before funding deadlines, sent by Celery beat (daily). Each goes at most once
(diz_portal.mail.send_once keys name the record, the kind of deadline and its date, so a moved
deadline is reminded again, a repeated run never)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from diz_portal.mail import send_once, subject
from funding.models import OPEN_STAGES, Bid, Claim, ReportingDeadline
from partners.models import Partnership, User
from partners.permissions import MANAGE_PERMISSION


def programme_managers():
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename=MANAGE_PERMISSION.split(".")[1])
            | Q(user_permissions__codename=MANAGE_PERMISSION.split(".")[1])
        )
        .distinct()
    )


def due_deadlines(today: date | None = None) -> list[dict]:
    """Deadlines from today to FUNDING_REMINDER_DAYS ahead: open bids' internal and funder
    deadlines, claims not yet submitted and funder reports not yet sent."""
    today = today or timezone.localdate()
    until = today + timedelta(days=settings.FUNDING_REMINDER_DAYS)
    found = []
    bids = Bid.objects.filter(stage__in=OPEN_STAGES).select_related("lead_officer", "opportunity__funder")
    for kind, label in (("internal_deadline", "internal deadline"), ("funder_deadline", "funder's deadline")):
        for bid in bids.filter(**{f"{kind}__gte": today, f"{kind}__lte": until}):
            found.append(
                {
                    "key": f"bid:{bid.pk}:{kind}",
                    "what": f"The {label} for the bid “{bid}”",
                    "due": getattr(bid, kind),
                    "owner": bid.lead_officer,
                    "link": bid.get_absolute_url(),
                }
            )
    claims = Claim.objects.filter(submitted_on__isnull=True, due_on__gte=today, due_on__lte=until)
    for claim in claims.select_related("award__bid__lead_officer"):
        bid = claim.award.bid
        found.append(
            {
                "key": f"claim:{claim.pk}",
                "what": f"The claim “{claim.period}” on the award for “{bid}”",
                "due": claim.due_on,
                "owner": bid.lead_officer,
                "link": claim.award.get_absolute_url(),
            }
        )
    reports = ReportingDeadline.objects.filter(submitted_on__isnull=True, due_on__gte=today, due_on__lte=until)
    for report in reports.select_related("award__bid__lead_officer"):
        bid = report.award.bid
        found.append(
            {
                "key": f"report:{report.pk}",
                "what": f"The report “{report.title}” to the funder of “{bid}”",
                "due": report.due_on,
                "owner": bid.lead_officer,
                "link": report.award.get_absolute_url(),
            }
        )
    return sorted(found, key=lambda d: d["due"])


def send_deadline_reminders(today: date | None = None) -> int:
    """Email each deadline's lead officer and the programme managers, once per deadline date."""
    sent = 0
    partnership = Partnership.current()
    managers = list(programme_managers())
    for deadline in due_deadlines(today):
        people = {person.pk: person for person in [deadline["owner"], *managers] if person and person.is_active}
        for person in people.values():
            body = render_to_string(
                "funding/email/deadline_reminder.txt",
                {
                    "deadline": deadline,
                    "person": person,
                    "partnership": partnership,
                    "link": settings.SITE_URL + deadline["link"],
                },
            )
            sent += send_once(
                key=f"funding.deadline:{deadline['key']}:{deadline['due']:%Y%m%d}:{person.pk}",
                to=person.email,
                subject=subject(f"Due {deadline['due']:%-d %B}: {deadline['what']}"),
                body=body,
            )
    return sent

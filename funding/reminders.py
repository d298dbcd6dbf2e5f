"""Reminders before funding deadlines, sent by Celery beat (daily). Each goes at most once
(diz_portal.mail.send_once keys name the record, the kind of deadline and its date, so a moved
deadline is reminded again, a repeated run never)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Case, F, Q, When
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


def deadlines_between(start: date, until: date, limit: int | None = None) -> list[dict]:
    """Deadlines from `start` to `until`, soonest first: open bids' internal and funder deadlines,
    claims not yet submitted and funder reports not yet sent; with `limit`, only the first that
    many (each source is cut at `limit` in the database, which is enough to find them). Three
    queries, whatever the number found."""
    found = []
    kinds = (("internal_deadline", "internal deadline"), ("funder_deadline", "funder's deadline"))
    either = Q(internal_deadline__range=(start, until)) | Q(funder_deadline__range=(start, until))
    # A bid's first deadline in the window: its internal one, unless that has already passed.
    first_due = Case(When(internal_deadline__gte=start, then=F("internal_deadline")), default=F("funder_deadline"))
    bids = (
        Bid.objects.filter(either, stage__in=OPEN_STAGES)
        .select_related("lead_officer")
        .annotate(first_due=first_due)
        .order_by("first_due", "pk")[:limit]
    )
    for bid in bids:
        for kind, label in kinds:
            due = getattr(bid, kind)
            if due and start <= due <= until:
                found.append(_deadline(f"bid:{bid.pk}:{kind}", f"The {label} for the bid “{bid}”", due, bid, bid))
    claims = Claim.objects.filter(submitted_on__isnull=True, due_on__gte=start, due_on__lte=until)
    for claim in claims.select_related("award__bid__lead_officer").order_by("due_on", "pk")[:limit]:
        what = f"The claim “{claim.period}” on the award for “{claim.award.bid}”"
        found.append(_deadline(f"claim:{claim.pk}", what, claim.due_on, claim.award.bid, claim.award))
    reports = ReportingDeadline.objects.filter(submitted_on__isnull=True, due_on__gte=start, due_on__lte=until)
    for report in reports.select_related("award__bid__lead_officer").order_by("due_on", "pk")[:limit]:
        what = f"The report “{report.title}” to the funder of “{report.award.bid}”"
        found.append(_deadline(f"report:{report.pk}", what, report.due_on, report.award.bid, report.award))
    return sorted(found, key=lambda d: d["due"])[:limit]


def _deadline(key: str, what: str, due: date, bid: Bid, page) -> dict:
    return {"key": key, "what": what, "due": due, "owner": bid.lead_officer, "link": page.get_absolute_url()}


def due_deadlines(today: date | None = None) -> list[dict]:
    """Deadlines from today to FUNDING_REMINDER_DAYS ahead."""
    today = today or timezone.localdate()
    return deadlines_between(today, today + timedelta(days=settings.FUNDING_REMINDER_DAYS))


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

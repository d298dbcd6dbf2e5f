"""The emails the strategy sends. Each says why it was sent and goes at most once
(diz_portal.mail `send_once`, keyed by what it is about), however often a worker retries.

- Re-endorsement requested: when a material version becomes final, to each representative of a
  partner that had endorsed an earlier version, once per person per version, with what changed.
- An amendment request answered: to the person who asked, once per request.
- Every partner has endorsed: to the programme managers, once per version, proposing the launch.
- A scheduled decision date has passed with no outcome: to the partner's officers, once per date.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from diz_portal.mail import send_once, subject
from partners.models import Membership, Partnership, User
from partners.permissions import PROGRAMME_MANAGER_GROUP
from strategy.models import AmendmentRequest, Endorsement, EndorsementStatus, Strategy, StrategyVersion


def _url(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs or None)


def representatives(organisation_ids) -> dict[int, set[int]]:
    """Who speaks for each organisation: the people who work for it and those holding (or
    deputising in) its seats on a governing body now. {person id: {organisation ids}}."""
    people: dict[int, set[int]] = {}
    for pk, org in User.objects.filter(organisation_id__in=organisation_ids, is_active=True).values_list(
        "pk", "organisation_id"
    ):
        people.setdefault(pk, set()).add(org)
    seats = Membership.objects.current().filter(organisation_id__in=organisation_ids)
    for person, deputy, org in seats.values_list("person_id", "deputy_id", "organisation_id"):
        for pk in (person, deputy):
            if pk is not None:
                people.setdefault(pk, set()).add(org)
    return people


def send_re_endorsement_requests(*, version_id: int) -> int:
    from strategy.services import compare_sections, diff_summary

    version = StrategyVersion.objects.select_related("strategy").get(pk=version_id)
    rows = Endorsement.objects.filter(version=version, re_endorsement=True).select_related(
        "organisation", "previous__version"
    )
    by_org = {row.organisation_id: row for row in rows}
    if not by_org:
        return 0
    earlier = next(iter(by_org.values())).previous.version
    changes = compare_sections(list(earlier.sections.all()), list(version.sections.all()))
    context = {
        "version": version,
        "earlier": earlier,
        "summary": diff_summary(changes),
        "diff_link": _url("strategy:diff", old=earlier.label, new=version.label),
        "partnership": Partnership.current(),
    }
    sent = 0
    people = representatives(by_org.keys())
    for person in User.objects.filter(pk__in=people, is_active=True).order_by("pk"):
        rows_for = [by_org[org] for org in sorted(people[person.pk])]
        body = render_to_string(
            "strategy/email/re_endorsement.txt",
            context
            | {
                "person": person,
                "rows": [(row, _url("strategy:partner", slug=row.organisation.slug)) for row in rows_for],
            },
        )
        sent += send_once(
            key=f"strategy.re-endorse:{version.pk}:user:{person.pk}",
            to=person.email,
            subject=subject(f"{version.strategy.title} {version.label}: please endorse it again"),
            body=body,
        )
    return sent


def tell_requester_of_answer(*, amendment_id: int) -> int:
    amendment = AmendmentRequest.objects.select_related(
        "requested_by", "organisation", "version__strategy", "accepted_into"
    ).get(pk=amendment_id)
    person = amendment.requested_by
    if person is None or not person.is_active or amendment.answered_at is None:
        return 0
    body = render_to_string(
        "strategy/email/amendment_answered.txt",
        {
            "amendment": amendment,
            "person": person,
            "link": _url("strategy:amendments"),
            "partnership": Partnership.current(),
        },
    )
    return int(
        send_once(
            key=f"strategy.amendment-answered:{amendment.pk}",
            to=person.email,
            subject=subject(f"Your amendment to “{amendment.section_heading}”: {amendment.get_status_display()}"),
            body=body,
        )
    )


def tell_managers_all_endorsed(*, strategy_id: int, version_id: int) -> int:
    strategy = Strategy.objects.get(pk=strategy_id)
    version = StrategyVersion.objects.get(pk=version_id)
    managers = User.objects.filter(groups__name=PROGRAMME_MANAGER_GROUP, is_active=True).order_by("pk")
    sent = 0
    for person in managers:
        body = render_to_string(
            "strategy/email/all_endorsed.txt",
            {
                "person": person,
                "strategy": strategy,
                "version": version,
                "link": _url("manage_strategy:tracker"),
                "partnership": Partnership.current(),
            },
        )
        sent += send_once(
            key=f"strategy.all-endorsed:{version.pk}:user:{person.pk}",
            to=person.email,
            subject=subject(f"Every partner has endorsed {strategy.title} {version.label}"),
            body=body,
        )
    return sent


def overdue_endorsements(today=None):
    """Scheduled decisions whose date has passed with no outcome recorded."""
    today = today or timezone.localdate()
    return Endorsement.objects.filter(status=EndorsementStatus.SCHEDULED, scheduled_for__lt=today).select_related(
        "organisation", "version__strategy"
    )


def send_overdue_reminders(*, today=None) -> int:
    """To each officer of a partner whose scheduled date has passed: once per person per date."""
    sent = 0
    partnership = Partnership.current()
    for row in overdue_endorsements(today):
        officers = User.objects.filter(
            Q(organisation=row.organisation)
            | Q(memberships__in=Membership.objects.current().filter(organisation=row.organisation)),
            is_active=True,
        ).distinct()
        for person in officers.order_by("pk"):
            body = render_to_string(
                "strategy/email/overdue.txt",
                {
                    "person": person,
                    "row": row,
                    "link": _url("strategy:partner", slug=row.organisation.slug),
                    "partnership": partnership,
                },
            )
            sent += send_once(
                key=f"strategy.overdue:{row.pk}:{row.scheduled_for:%Y-%m-%d}:user:{person.pk}",
                to=person.email,
                subject=subject(
                    f"{row.organisation.display_name}: was the strategy endorsed on {row.scheduled_for:%-d %B}?"
                ),
                body=body,
            )
    return sent


# --- The delivery plan -----------------------------------------------------------------------

REPORTING_STAGES = ["assessment", "experimentation", "scaling", "bau"]


def next_board_meeting(today):
    """The Board's meeting a week from `today`, if there is one: updates are chased then. Which body
    the portfolio reports to is a setting (its code), as bodies are data."""
    from datetime import timedelta

    from meetings.models import Meeting, MeetingStatus

    code = getattr(settings, "PORTFOLIO_BODY_CODE", "BRD")
    day = today + timedelta(days=7)
    return (
        Meeting.objects.filter(body__code=code, starts_at__date=day)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("body")
        .first()
    )


def projects_missing_an_update(today):
    """Projects being delivered with no update for this month (nor this quarter)."""
    from strategy.delivery import period_start_for
    from strategy.models import Project

    month, quarter = period_start_for("month", today), period_start_for("quarter", today)
    return (
        Project.objects.filter(stage__in=REPORTING_STAGES)
        .exclude(updates__period="month", updates__period_start=month)
        .exclude(updates__period="quarter", updates__period_start=quarter)
        .select_related("lead_person", "lead_organisation")
        .order_by("pk")
    )


def send_update_reminders(*, today=None) -> int:
    """A week before the Board meets: each project lead whose update for the period is missing is
    asked for it, once per project and meeting. A project with no named lead asks its lead
    organisation's officers."""
    today = today or timezone.localdate()
    meeting = next_board_meeting(today)
    if meeting is None:
        return 0
    partnership = Partnership.current()
    sent = 0
    for project in projects_missing_an_update(today):
        if project.lead_person_id and project.lead_person.is_active:
            people = [project.lead_person]
        else:
            people = list(User.objects.filter(organisation=project.lead_organisation, is_active=True).order_by("pk"))
        for person in people:
            body = render_to_string(
                "strategy/email/update_reminder.txt",
                {
                    "person": person,
                    "project": project,
                    "meeting": meeting,
                    "link": _url("projects:update", slug=project.slug),
                    "partnership": partnership,
                },
            )
            sent += send_once(
                key=f"strategy.update-reminder:{project.pk}:meeting:{meeting.pk}:user:{person.pk}",
                to=person.email,
                subject=subject(f"{project.title}: your progress update for the {meeting.body.name}"),
                body=body,
            )
    return sent

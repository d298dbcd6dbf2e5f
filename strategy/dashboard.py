"""What the strategy app tells the dashboards and Board reports (see reports/dashboards.py for
what each function is for): where each partner stands with the strategy, as `services.adoption`
works it out, so "endorsed" means here what it means on /strategy/.

The delivery plan (projects, milestones, risks) is not built yet: its `delivery_*` functions are
missing on purpose, and the dashboards say so.
"""

from __future__ import annotations

from datetime import date, datetime

from django.urls import reverse

from reports.dashboards import Panel, Row
from reports.registers import Column, Register
from strategy.models import PUBLIC_VERSION_STATUSES, Endorsement, Strategy, VersionStatus
from strategy.permissions import version_statuses_for
from strategy.services import adoption

LIST_LIMIT = 8
# Partners read consultation versions as well as final ones; drafts are the programme manager's.
PARTNER_STATUSES = PUBLIC_VERSION_STATUSES | {VersionStatus.CONSULTATION}


def _next_step(standing) -> str:
    endorsement = standing.endorsement
    parts = [standing.label]
    if endorsement.deciding_body:
        parts.append(endorsement.deciding_body)
    if endorsement.scheduled_for and not endorsement.has_outcome:
        parts.append(f"next on {endorsement.scheduled_for:%-d %b %Y}")
    return ", ".join(parts)


def manager_panels(*, now: datetime | None = None) -> list[Panel]:
    """Partners whose endorsement of the version that counts is still to come, overdue first."""
    strategy = Strategy.current()
    title = "Endorsements outstanding or overdue"
    if strategy is None:
        return [Panel(key="endorsements", title=title, empty="There is no strategy to endorse yet.")]
    outstanding = sorted((s for s in adoption(strategy).standings if not s.counts), key=lambda s: s.chase_rank)
    rows = [
        Row(
            text=standing.organisation.name,
            url=reverse("strategy:partner", kwargs={"slug": standing.organisation.slug}),
            detail=_next_step(standing),
            tag="Overdue" if standing.endorsement.is_overdue else "",
            tag_colour="red",
        )
        for standing in outstanding[:LIST_LIMIT]
    ]
    return [
        Panel(
            key="endorsements",
            title=title,
            rows=rows,
            count=len(outstanding),
            more_url=reverse("manage_strategy:tracker"),
            more_text="The endorsement tracker",
            empty="Every partner has endorsed the strategy.",
        )
    ]


def organisation_panels(*, now: datetime | None = None, organisation) -> list[Panel]:
    """Where `organisation` stands, and what it needs to do next."""
    title = "My organisation's endorsement of the strategy"
    strategy = Strategy.current()
    standing = adoption(strategy, statuses=PARTNER_STATUSES).standing_of(organisation.pk) if strategy else None
    if standing is None:
        return [Panel(key="endorsement", title=title, empty="Your organisation has not been asked to endorse it.")]
    link = reverse("strategy:partner", kwargs={"slug": organisation.slug})
    if standing.counts:
        rows = [Row(text=standing.label, url=link, tag="Done", tag_colour="green")]
    else:
        rows = [
            Row(
                text="Record your organisation's decision",
                url=link,
                detail=_next_step(standing),
                tag="Overdue" if standing.endorsement.is_overdue else "To do",
                tag_colour="red" if standing.endorsement.is_overdue else "yellow",
            )
        ]
    return [Panel(key="endorsement", title=title, rows=rows, count=0 if standing.counts else 1)]


def report_endorsement(*, start: date, end: date, body) -> dict:
    """The strategy's endorsement for a Board report: every partner's standing now, and the
    decisions partners took in the period."""
    strategy = Strategy.current()
    if strategy is None:
        return {"paragraphs": ["There is no strategy to endorse yet."], "tables": []}
    found = adoption(strategy, statuses=PARTNER_STATUSES)
    standings = [
        [
            s.organisation.name,
            s.label,
            s.endorsement.deciding_body,
            _date(s.endorsement.decision_date or s.endorsement.scheduled_for),
        ]
        for s in found.standings
    ]
    decided = [
        s for s in found.standings if s.endorsement.decision_date and start <= s.endorsement.decision_date <= end
    ]
    return {
        "paragraphs": [found.headline + "."],
        "tables": [
            {
                "heading": "Where each partner stands",
                "caption": "Each partner's latest endorsement: its status, deciding body and date",
                "columns": ["Partner", "Status", "Deciding body", "Decided or next"],
                "rows": standings,
                "empty": "No partner has been asked to endorse the strategy yet.",
            },
            {
                "heading": "Decisions in the period",
                "caption": "Endorsement decisions partners took in the period",
                "columns": ["Partner", "Outcome", "Version", "Date"],
                "rows": [
                    [
                        s.organisation.name,
                        s.endorsement.get_status_display(),
                        s.endorsement.version.label,
                        _date(s.endorsement.decision_date),
                    ]
                    for s in decided
                ],
                "empty": "No partner took a decision in the period.",
            },
        ],
    }


def _date(value) -> str:
    return f"{value:%-d %b %Y}" if value else ""


def _endorsements(user):
    strategy = Strategy.current()
    if strategy is None:
        return Endorsement.objects.none()
    return (
        Endorsement.objects.for_strategy(strategy)
        .filter(version__status__in=version_statuses_for(user))
        .order_by("organisation__name", "version__created_at")
    )


REGISTERS = [
    Register(
        key="endorsements",
        title="Endorsements",
        app="strategy",
        rows=_endorsements,
        columns=[
            Column("Partner", lambda e: e.organisation.name),
            Column("Version", lambda e: e.version.label),
            Column("Status", lambda e: e.get_status_display()),
            Column("Deciding body", lambda e: e.deciding_body),
            Column("Next date", lambda e: e.scheduled_for, "date"),
            Column("Decision date", lambda e: e.decision_date, "date"),
            Column("Resolution", lambda e: e.resolution),
            Column("Amendments", lambda e: e.amendments),
            Column("Evidence", lambda e: e.evidence_url),
        ],
    )
]

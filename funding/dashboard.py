"""What the funding app tells the dashboards (reports/dashboards.py): the programme manager's
panel of deadlines coming up, the pipeline chart under her to-do lists, and a partner officer's
panel of what their organisation has put into bids. Each answers in a fixed number of queries."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from diz_portal.caching import cached_value
from funding import figures
from funding.models import OPEN_STAGES, Contribution
from funding.reminders import deadlines_between

DEADLINE_WINDOW = timedelta(days=30)
# Kept until funding (or a partner's name, or a person's) changes: the dashboards are read often.
TOPICS = ["funding", "partners"]
LIST_LIMIT = 8


def manager_panels(*, now: datetime | None = None) -> list:
    from reports.dashboards import Panel, Row

    today = timezone.localdate(now or timezone.now())
    deadlines = cached_value(
        ("funding-deadlines", today),
        TOPICS,
        lambda: deadlines_between(today, today + DEADLINE_WINDOW, limit=LIST_LIMIT + 1),
    )
    rows = [
        Row(text=deadline["what"], url=deadline["link"], detail=f"due {deadline['due']:%a %-d %b %Y}")
        for deadline in deadlines[:LIST_LIMIT]
    ]
    return [
        Panel(
            key="bids",
            title="Bids due and claims",
            rows=rows,
            count=len(rows),
            more_url=reverse("funding:figures") if len(deadlines) > LIST_LIMIT else "",
            more_text="More deadlines, with the funding figures",
            empty="No bid, claim or funder report is due in the next 30 days.",
        )
    ]


def manager_charts(*, now: datetime | None = None) -> list:
    return [figures.stage_chart(cached_value("funding-pipeline-by-stage", TOPICS, figures.pipeline_by_stage))]


def organisation_panels(*, now: datetime | None = None, organisation) -> list:
    """The open bids `organisation` contributes to, with what it pledged or confirmed. Partner
    officers do not read the pipeline, so the rows name the bid without linking to it."""
    from reports.dashboards import Panel, Row

    contributions = cached_value(
        ("funding-contributions-of", organisation.pk),
        TOPICS,
        lambda: list(
            Contribution.objects.filter(organisation=organisation, bid__stage__in=OPEN_STAGES)
            .select_related("bid")
            .order_by("bid__funder_deadline", "bid__title")
        ),
    )
    rows = [
        Row(
            text=contribution.bid.title,
            detail=f"£{contribution.amount:,.2f} {contribution.get_kind_display().lower()}",
            tag=contribution.get_status_display(),
            tag_colour="green" if contribution.status == "confirmed" else "yellow",
        )
        for contribution in contributions[:LIST_LIMIT]
    ]
    return [
        Panel(
            key="contributions",
            title="My organisation's contributions to bids",
            rows=rows,
            count=0,  # for information: nothing here needs the officer to act
            empty="Your organisation is not contributing to an open bid.",
        )
    ]


# The Board's reports and the registers as spreadsheets (reports/content.py, reports/registers.py).
from funding.board_reports import (  # noqa: E402
    REGISTERS,
    report_accountable_bodies,
    report_contributions,
    report_funding,
)

__all__ = [
    "REGISTERS",
    "manager_charts",
    "manager_panels",
    "organisation_panels",
    "report_accountable_bodies",
    "report_contributions",
    "report_funding",
]

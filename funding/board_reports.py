"""Funding in the Board's reports and registers (issue 13), read from funding's own figures and
querysets (funding.figures, BidQuerySet/AwardQuerySet.with_totals) so that a total in a report is
the total the funding pages show. Offered to the reports through funding.dashboard.

The pipeline is for the governing bodies' members and the programme manager
(funding.permissions.can_see_pipeline); a Board report is read by Board members, and a register
is refused (404) to anyone else.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.http import Http404

from funding import figures
from funding.models import OPEN_STAGES, Award, Bid, Claim
from funding.permissions import can_see_pipeline
from reports.registers import Column, Register


def _pounds(amount) -> str:
    return f"£{Decimal(amount or 0):,.2f}"


def _date(value) -> str:
    return f"{value:%-d %b %Y}" if value else ""


def report_funding(*, start: date, end: date, body) -> dict:
    stages = figures.pipeline_by_stage()
    success = figures.success_rate(stages)
    match = figures.match_levered()
    awards = list(Award.objects.with_related().with_totals().order_by("awarded_on", "pk"))
    claims = list(
        Claim.objects.filter(Q(due_on__range=(start, end)) | Q(submitted_on__isnull=True, due_on__lt=start))
        .select_related("award__bid")
        .order_by("due_on", "pk")
    )
    paragraphs = [
        f"Partners have put {_pounds(match['total'])} into successful bids ({_pounds(match['cash'])} in cash), "
        f"beside {_pounds(match['awarded'])} awarded."
    ]
    if success["decided"]:
        paragraphs.append(f"{success['won']} of {success['decided']} bids decided by funders were successful.")
    return {
        "paragraphs": paragraphs,
        "tables": [
            {
                "heading": "Pipeline by stage",
                "caption": "Bids at each stage now, and the amount they request",
                "columns": ["Stage", "Bids", "Amount requested"],
                "numeric": [1, 2],
                "rows": [[row["label"], row["count"], _pounds(row["value"])] for row in stages],
            },
            {
                "heading": "Awards made in the period",
                "caption": "Awards made between the period's first and last days",
                "columns": ["Award", "Funder", "Accountable body", "Awarded on", "Amount"],
                "numeric": [4],
                "rows": [
                    [
                        a.title,
                        a.bid.opportunity.funder.name,
                        a.bid.accountable_body.name if a.bid.accountable_body else "",
                        _date(a.awarded_on),
                        _pounds(a.amount),
                    ]
                    for a in awards
                    if start <= a.awarded_on <= end
                ],
                "empty": "No award was made in the period.",
            },
            {
                "heading": "Claims due in the period, and any still outstanding",
                "caption": "Claims on awards: when due, and where each stands",
                "columns": ["Claim", "Award", "Due", "Amount", "Status"],
                "numeric": [3],
                "rows": [[c.period, c.award.bid.title, _date(c.due_on), _pounds(c.amount), c.status] for c in claims],
                "empty": "No claim was due in the period.",
            },
            {
                "heading": "What remains of each award",
                "caption": "Each award, what has been claimed and received, and what remains to receive",
                "columns": ["Award", "Amount", "Claimed", "Received", "Remaining"],
                "numeric": [1, 2, 3, 4],
                "rows": [
                    [
                        a.title,
                        _pounds(a.amount),
                        _pounds(a.claimed),
                        _pounds(a.received),
                        _pounds(a.amount - a.received),
                    ]
                    for a in awards
                ],
                "empty": "No award yet.",
            },
        ],
    }


def report_accountable_bodies(*, start: date, end: date, body) -> dict:
    """For the accountable bodies: what each holds for the partnership, and the open bids it leads."""
    held: dict[str, list[Decimal]] = {}
    for award in Award.objects.with_related().with_totals():
        name = award.bid.accountable_body.name if award.bid.accountable_body else "No accountable body yet"
        totals = held.setdefault(name, [Decimal(0)] * 4)
        for index, value in enumerate((1, award.amount, award.received, award.allocated)):
            totals[index] += Decimal(value or 0)
    bids = Bid.objects.open().with_related().order_by("accountable_body__name", "funder_deadline", "title")
    return {
        "paragraphs": [],
        "tables": [
            {
                "heading": "Awards each accountable body holds",
                "caption": "Awards by accountable body: amount awarded, received from funders and allocated to partners",
                "columns": ["Accountable body", "Awards", "Awarded", "Received", "Allocated to partners"],
                "numeric": [1, 2, 3, 4],
                "rows": [
                    [name, int(t[0]), _pounds(t[1]), _pounds(t[2]), _pounds(t[3])] for name, t in sorted(held.items())
                ],
                "empty": "No award yet.",
            },
            {
                "heading": "Open bids by accountable body",
                "caption": "Bids still in progress, with their accountable body and the funder's deadline",
                "columns": ["Bid", "Accountable body", "Stage", "Funder's deadline", "Amount requested"],
                "numeric": [4],
                "rows": [
                    [
                        b.title,
                        b.accountable_body.name if b.accountable_body else "Not chosen yet",
                        b.get_stage_display(),
                        _date(b.funder_deadline),
                        _pounds(b.amount_requested),
                    ]
                    for b in bids
                ],
                "empty": "No bid is open.",
            },
        ],
    }


def report_contributions(*, start: date, end: date, body) -> dict:
    """What each partner put into the bids that went to a funder in the period (or are still
    open), by kind: the partner engagement report's half that funding answers."""
    from funding.models import Contribution

    rows: dict[str, dict[str, Decimal]] = {}
    contributions = Contribution.objects.filter(
        Q(bid__stage__in=OPEN_STAGES) | Q(bid__stage_changed_at__date__range=(start, end))
    ).select_related("organisation")
    for contribution in contributions:
        totals = rows.setdefault(
            contribution.organisation.name, {"bids": set(), "cash": Decimal(0), "in_kind": Decimal(0)}
        )
        totals["bids"].add(contribution.bid_id)
        totals["cash" if contribution.kind == "cash" else "in_kind"] += contribution.amount
    return {
        "paragraphs": [],
        "tables": [
            {
                "caption": "Each partner's contributions to bids open or decided in the period",
                "columns": ["Partner", "Bids", "Cash", "In kind"],
                "numeric": [1, 2, 3],
                "rows": [
                    [name, len(t["bids"]), _pounds(t["cash"]), _pounds(t["in_kind"])]
                    for name, t in sorted(rows.items())
                ],
                "empty": "No partner contributed to a bid in the period.",
            }
        ],
    }


def _pipeline(queryset):
    def rows(user):
        if not can_see_pipeline(user):
            raise Http404  # the pipeline is for the bodies' members and the programme manager
        return queryset()

    return rows


REGISTERS = [
    Register(
        key="bids",
        title="Bids",
        app="funding",
        rows=_pipeline(lambda: Bid.objects.with_related().with_totals().order_by("funder_deadline", "title")),
        columns=[
            Column("Bid", lambda b: b.title),
            Column("Funder", lambda b: b.opportunity.funder.name),
            Column("Programme", lambda b: b.opportunity.programme),
            Column("Accountable body", lambda b: b.accountable_body.name if b.accountable_body else ""),
            Column("Stage", lambda b: b.get_stage_display()),
            Column("Internal deadline", lambda b: b.internal_deadline, "date"),
            Column("Funder's deadline", lambda b: b.funder_deadline, "date"),
            Column("Amount requested", lambda b: b.amount_requested, "money"),
            Column("Total cost", lambda b: b.total_cost, "money"),
            Column("Match funding", lambda b: b.match_total, "money"),
            Column("Match confirmed", lambda b: b.match_confirmed, "money"),
        ],
    ),
    Register(
        key="awards",
        title="Awards",
        app="funding",
        rows=_pipeline(lambda: Award.objects.with_related().with_totals().order_by("awarded_on", "pk")),
        columns=[
            Column("Award", lambda a: a.title),
            Column("Bid", lambda a: a.bid.title),
            Column("Funder", lambda a: a.bid.opportunity.funder.name),
            Column("Accountable body", lambda a: a.bid.accountable_body.name if a.bid.accountable_body else ""),
            Column("Awarded on", lambda a: a.awarded_on, "date"),
            Column("Amount", lambda a: a.amount, "money"),
            Column("Claimed", lambda a: a.claimed, "money"),
            Column("Received", lambda a: a.received, "money"),
            Column("Allocated to partners", lambda a: a.allocated, "money"),
            Column("Starts", lambda a: a.starts_on, "date"),
            Column("Ends", lambda a: a.ends_on, "date"),
        ],
    ),
    Register(
        key="claims",
        title="Claims",
        app="funding",
        rows=_pipeline(lambda: Claim.objects.select_related("award__bid").order_by("due_on", "pk")),
        columns=[
            Column("Claim", lambda c: c.period),
            Column("Award", lambda c: c.award.title),
            Column("Bid", lambda c: c.award.bid.title),
            Column("Due", lambda c: c.due_on, "date"),
            Column("Amount", lambda c: c.amount, "money"),
            Column("Submitted", lambda c: c.submitted_on, "date"),
            Column("Paid", lambda c: c.paid_on, "date"),
            Column("Status", lambda c: c.status),
        ],
    ),
]

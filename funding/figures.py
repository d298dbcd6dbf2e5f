"""Figures for the programme manager and the Board: each a handful of database aggregates (no
loops over bids), so the page makes the same few queries however long the pipeline grows.

Charts are drawn on the server as SVG (diz_portal/charts.py), each with a table of the same
numbers beside it, so nothing needs JavaScript or a CDN and a screen reader reads the table."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from diz_portal.charts import BarChart
from funding.models import MONEY, ZERO, Award, Bid, Contribution, Stage
from funding.reminders import deadlines_between

DEADLINES_SHOWN = 20


def _thousands(amount: Decimal) -> float:
    # Only the bars' geometry uses the float; the table beside each chart shows the exact amount.
    return round(float(amount) / 1000, 1)


def _pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def _sum(field: str):
    return Coalesce(Sum(field), Value(ZERO), output_field=MONEY)


def pipeline_by_stage() -> list[dict]:
    """Count and value requested of the bids at each stage, in the stages' order."""
    found = {
        row["stage"]: row
        for row in Bid.objects.order_by().values("stage").annotate(count=Count("pk"), value=_sum("amount_requested"))
    }
    return [
        {
            "stage": stage,
            "label": label,
            "count": found.get(stage, {}).get("count", 0),
            "value": found.get(stage, {}).get("value", ZERO),
        }
        for stage, label in Stage.choices
    ]


def stage_chart(stages: list[dict]) -> BarChart:
    return BarChart(
        key="pipeline-by-stage",
        title="Pipeline value by stage (£ thousands requested)",
        bars=[(row["label"], _thousands(row["value"])) for row in stages],
        columns=["Bids", "Amount requested"],
        table=[[row["count"], _pounds(row["value"])] for row in stages],
        unit="k",
    )


def success_rate(stages: list[dict]) -> dict:
    """Of the bids that reached an outcome from the funder (successful or unsuccessful)."""
    by = {row["stage"]: row for row in stages}
    won, lost = by[Stage.SUCCESSFUL], by[Stage.UNSUCCESSFUL]
    count, value = won["count"] + lost["count"], won["value"] + lost["value"]
    return {
        "decided": count,
        "won": won["count"],
        "by_count": round(100 * won["count"] / count) if count else None,
        "by_value": round(100 * won["value"] / value) if value else None,
        "value_won": won["value"],
        "value_decided": value,
    }


def awarded_by_funder_and_year() -> list[dict]:
    return list(
        Award.objects.order_by()
        .annotate(year=ExtractYear("awarded_on"))
        .values("year", "bid__opportunity__funder__name")
        .annotate(total=_sum("amount"), count=Count("pk"))
        .order_by("-year", "bid__opportunity__funder__name")
    )


def match_levered() -> dict:
    """What partners put into successful bids, beside what those bids won."""
    totals = Contribution.objects.filter(bid__stage=Stage.SUCCESSFUL).aggregate(
        total=_sum("amount"),
        cash=Coalesce(Sum("amount", filter=Q(kind="cash")), Value(ZERO), output_field=MONEY),
        in_kind=Coalesce(Sum("amount", filter=Q(kind="in_kind")), Value(ZERO), output_field=MONEY),
    )
    totals["awarded"] = Award.objects.aggregate(total=_sum("amount"))["total"]
    return totals


def figures(today: date | None = None) -> dict:
    today = today or timezone.localdate()
    stages = pipeline_by_stage()
    awarded = awarded_by_funder_and_year()
    return {
        "stages": stages,
        "stage_chart": stage_chart(stages),
        "success": success_rate(stages),
        "awarded": awarded,
        "awarded_chart": BarChart(
            key="awarded-by-funder-and-year",
            title="Awarded by funder and year (£ thousands)",
            bars=[
                (f"{row['year']}: {row['bid__opportunity__funder__name']}", _thousands(row["total"])) for row in awarded
            ],
            columns=["Awards", "Awarded"],
            table=[[row["count"], _pounds(row["total"])] for row in awarded],
            unit="k",
            empty="No awards yet.",
        ),
        "match": match_levered(),
        "deadlines": deadlines_between(today, today + timedelta(days=90), limit=DEADLINES_SHOWN),
    }

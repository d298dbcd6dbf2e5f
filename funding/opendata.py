"""The partnership's awarded funding as 360Giving Data Standard 1.4.3 open data.

Two kinds of grant, both only from awards marked published:
- awards received: the funder → the accountable body, `<prefix>-award-<pk>`;
- onward allocations: the accountable body → a delivery partner, `<prefix>-allocation-<pk>`.

Identifiers are stable (the prefix is `settings.THREESIXTYGIVING_PREFIX`, the rest the record's
primary key). Organisations are named by their org-id. Nothing about people goes out: no officers,
no contacts, no funder references, conditions or agreements. A record without an identifier stops
the export, and the error names it, rather than publishing a file the standard would refuse.

The files are built once and cached (diz_portal/caching.py) until a funding record or an
organisation changes: the "funding" and "partners" topics.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from django.conf import settings

from diz_portal.caching import cached_value
from funding.models import Allocation, Award

SCHEMA_VERSION = "1.4"  # the package's `version` is major.minor (1.4.3 is a patch of 1.4)

CSV_COLUMNS = [
    ("Identifier", lambda g: g["id"]),
    ("Title", lambda g: g["title"]),
    ("Description", lambda g: g["description"]),
    ("Currency", lambda g: g["currency"]),
    ("Amount Awarded", lambda g: g["amountAwarded"]),
    ("Amount Applied For", lambda g: g.get("amountAppliedFor", "")),
    ("Award Date", lambda g: g["awardDate"]),
    ("Planned Dates:Start Date", lambda g: _planned(g, "startDate")),
    ("Planned Dates:End Date", lambda g: _planned(g, "endDate")),
    ("Recipient Org:Identifier", lambda g: g["recipientOrganization"][0]["id"]),
    ("Recipient Org:Name", lambda g: g["recipientOrganization"][0]["name"]),
    ("Funding Org:Identifier", lambda g: g["fundingOrganization"][0]["id"]),
    ("Funding Org:Name", lambda g: g["fundingOrganization"][0]["name"]),
    ("Grant Programme:Title", lambda g: g.get("grantProgramme", [{}])[0].get("title", "")),
    ("Data Source", lambda g: g["dataSource"]),
]


class OpenDataError(Exception):
    """The export cannot be made; the message names each record at fault."""


def _planned(grant: dict, key: str) -> str:
    return grant.get("plannedDates", [{}])[0].get(key, "")


def _number(amount: Decimal) -> int | float:
    """A JSON number for an amount in pounds and pence. Whole pounds are integers; otherwise the
    float's shortest representation is the exact decimal (amounts have at most 14 digits, under
    a double's 15), and nothing is computed with it."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def problems_of(award: Award, allocations=None) -> list[str]:
    """What stops `award` (and its allocations) being published, each naming the record."""
    problems = []
    funder = award.bid.opportunity.funder
    body = award.bid.accountable_body
    if not funder.org_id:
        problems.append(f"The funder “{funder}” (of the award “{award}”) has no org-id identifier.")
    if body is None:
        problems.append(f"The award “{award}” has no accountable body.")
    elif not body.org_id:
        problems.append(f"The accountable body “{body}” (of the award “{award}”) has no org-id identifier.")
    if allocations is None:
        allocations = award.allocations.select_related("organisation") if award.pk else []
    for allocation in allocations:
        if not allocation.organisation.org_id:
            problems.append(
                f"The delivery partner “{allocation.organisation}” (allocation from “{award}”) has no org-id identifier."
            )
    return problems


def _org(org_id: str, name: str) -> list[dict]:
    return [{"id": org_id, "name": name}]


def build_grants() -> list[dict]:
    """Every published award and its allocations as 360Giving grants. Raises OpenDataError naming
    every record that lacks an identifier."""
    prefix = settings.THREESIXTYGIVING_PREFIX
    source = settings.SITE_URL + "/open-data/360giving.json"
    awards = list(Award.objects.published().with_related().order_by("awarded_on", "pk"))
    allocations: dict[int, list[Allocation]] = {}
    for allocation in (
        Allocation.objects.filter(award__in=awards).select_related("organisation").order_by("allocated_on", "pk")
    ):
        allocations.setdefault(allocation.award_id, []).append(allocation)
    problems = [p for award in awards for p in problems_of(award, allocations.get(award.pk, []))]
    if problems:
        raise OpenDataError(" ".join(problems))
    grants = []
    for award in awards:
        bid = award.bid
        funder, body = bid.opportunity.funder, bid.accountable_body
        grant = {
            "id": f"{prefix}-award-{award.pk}",
            "title": award.title,
            "description": award.description,
            "currency": "GBP",
            "amountAwarded": _number(award.amount),
            "awardDate": award.awarded_on.isoformat(),
            "recipientOrganization": _org(body.org_id, body.name),
            "fundingOrganization": _org(funder.org_id, funder.name),
            "grantProgramme": [{"title": bid.opportunity.programme}],
            "dataSource": source,
        }
        if bid.amount_requested:
            grant["amountAppliedFor"] = _number(bid.amount_requested)
        if award.starts_on or award.ends_on:
            dates = {}
            if award.starts_on:
                dates["startDate"] = award.starts_on.isoformat()
            if award.ends_on:
                dates["endDate"] = award.ends_on.isoformat()
            grant["plannedDates"] = [dates]
        grants.append(grant)
        for allocation in allocations.get(award.pk, []):
            partner = allocation.organisation
            grants.append(
                {
                    "id": f"{prefix}-allocation-{allocation.pk}",
                    "title": f"{award.title}: {partner.name}",
                    "description": allocation.purpose,
                    "currency": "GBP",
                    "amountAwarded": _number(allocation.amount),
                    "awardDate": allocation.allocated_on.isoformat(),
                    "recipientOrganization": _org(partner.org_id, partner.name),
                    "fundingOrganization": _org(body.org_id, body.name),
                    "grantProgramme": [{"title": bid.opportunity.programme}],
                    "dataSource": source,
                }
            )
    return grants


def package(grants: list[dict]) -> dict:
    from partners.models import Partnership

    return {
        "version": SCHEMA_VERSION,
        "title": f"{Partnership.current().name}: funding awarded and allocated",
        "grants": grants,
    }


TOPICS = ["funding", "partners"]


def as_json() -> str:
    return cached_value(
        ("360giving", "json"), TOPICS, lambda: json.dumps(package(build_grants()), indent=2, ensure_ascii=False)
    )


def as_csv() -> str:
    def build():
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([title for title, _ in CSV_COLUMNS])
        for grant in build_grants():
            writer.writerow([value(grant) for _, value in CSV_COLUMNS])
        return out.getvalue()

    return cached_value(("360giving", "csv"), TOPICS, build)

"""Synthetic funding for the benchmark (`make bench`): N times a busy partnership's pipeline.

One scale unit: 3 funders, 6 opportunities, 30 bids spread over every stage, each with 3 partner
contributions; 6 awards (on the successful bids), each with 4 claims, 2 onward allocations and 2
funder reports, half of them published. Every row hangs off a funder named "bench-…", and a run
first deletes what an earlier run made, so running it twice gives the same data; `--scale 0` only
deletes. Rows are written with bulk_create (no history rows), after `seed_bench` has made the
partner organisations it draws on."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from itertools import cycle

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from diz_portal import caching
from funding.models import (
    Allocation,
    Award,
    Bid,
    Claim,
    Contribution,
    Funder,
    GoDecision,
    Opportunity,
    ReportingDeadline,
    Stage,
)
from partners.models import MembershipStatus, Organisation

PREFIX = "bench-"
FUNDERS_PER_UNIT = 3
OPPORTUNITIES_PER_FUNDER = 2
BIDS_PER_OPPORTUNITY = 5
STAGES = [
    Stage.IDEA,
    Stage.GO_NO_GO,
    Stage.EXPRESSION,
    Stage.FULL_BID,
    Stage.SUBMITTED,
    Stage.SUCCESSFUL,
    Stage.UNSUCCESSFUL,
    Stage.WITHDRAWN,
    Stage.SUCCESSFUL,
    Stage.FULL_BID,
]


class Command(BaseCommand):
    help = "Create synthetic funding for benchmarks, N times a busy pipeline (deletes earlier bench funding)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1)

    def handle(self, *args, scale: int, **options):
        if scale < 0:
            raise CommandError("--scale must be 0 or more.")
        with transaction.atomic():
            self.delete_previous()
            if scale:
                counts = self.create(scale)
        # bulk_create sends no signals: what the cached pages built from funding goes here.
        caching.bump("funding")
        if scale:
            created = ", ".join(f"{n} {k}" for k, n in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Created bench funding: {created}."))

    def delete_previous(self) -> None:
        bids = Bid.objects.filter(opportunity__funder__name__startswith=PREFIX)
        awards = Award.objects.filter(bid__in=bids)
        for queryset in (
            Claim.objects.filter(award__in=awards),
            Allocation.objects.filter(award__in=awards),
            ReportingDeadline.objects.filter(award__in=awards),
            awards,
            Contribution.objects.filter(bid__in=bids),
            bids,
            Opportunity.objects.filter(funder__name__startswith=PREFIX),
            Funder.objects.filter(name__startswith=PREFIX),
        ):
            queryset._raw_delete(queryset.db)

    def create(self, scale: int) -> dict[str, int]:
        today = timezone.localdate()
        partners = list(
            Organisation.objects.filter(
                is_archived=False, membership_status=MembershipStatus.ACTIVE, is_legal_entity=True
            )
            .exclude(org_id=None)
            .order_by("pk")
        )
        if len(partners) < 3:
            raise CommandError("Run seed_bench (or load_demo) first: bench funding draws on partner organisations.")
        partner = cycle(partners)
        funders = Funder.objects.bulk_create(
            Funder(name=f"{PREFIX}funder-{i}", org_id=f"GB-CHC-{1000000 + i}", funder_type="trust")
            for i in range(scale * FUNDERS_PER_UNIT)
        )
        opportunities = Opportunity.objects.bulk_create(
            Opportunity(
                funder=funder,
                programme=f"{funder.name} programme {j}",
                opens_on=today - timedelta(days=60),
                closes_on=today + timedelta(days=30 + j),
                maximum_award=Decimal("500000.00"),
                match_percent=Decimal("20"),
                decision=GoDecision.GO,
                decision_reason="Bench",
                decided_at=timezone.now(),
            )
            for funder in funders
            for j in range(OPPORTUNITIES_PER_FUNDER)
        )
        bids = Bid.objects.bulk_create(
            Bid(
                title=f"{opportunity.programme}: bid {k}",
                opportunity=opportunity,
                accountable_body=next(partner),
                amount_requested=Decimal("100000.00") + k,
                total_cost=Decimal("150000.00"),
                finance_officer="Bench finance officer",
                finance_signed_off_on=today - timedelta(days=10),
                internal_deadline=today + timedelta(days=k),
                funder_deadline=today + timedelta(days=k + 7),
                stage=STAGES[(index * BIDS_PER_OPPORTUNITY + k) % len(STAGES)],
            )
            for index, opportunity in enumerate(opportunities)
            for k in range(BIDS_PER_OPPORTUNITY)
        )
        contributions = Contribution.objects.bulk_create(
            Contribution(bid=bid, organisation=next(partner), kind=kind, amount=Decimal("5000.00"), status=status)
            for bid in bids
            for kind, status in (("cash", "confirmed"), ("in_kind", "pledged"), ("cash", "pledged"))
        )
        successful = [bid for bid in bids if bid.stage == Stage.SUCCESSFUL]
        awards = Award.objects.bulk_create(
            Award(
                bid=bid,
                amount=Decimal("100000.00"),
                awarded_on=today - timedelta(days=30 * n),
                title=bid.title,
                description="Bench award",
                is_published=n % 2 == 0,
            )
            for n, bid in enumerate(successful)
        )
        Claim.objects.bulk_create(
            Claim(
                award=award,
                period=f"Q{q}",
                due_on=today + timedelta(days=90 * (q - 2)),
                amount=Decimal("20000.00"),
                submitted_on=today - timedelta(days=5) if q < 2 else None,
                paid_on=today if q < 1 else None,
            )
            for award in awards
            for q in range(4)
        )
        Allocation.objects.bulk_create(
            Allocation(
                award=award,
                organisation=next(partner),
                amount=Decimal("30000.00"),
                purpose="Bench delivery",
                allocated_on=today,
                paid_amount=Decimal("10000.00"),
            )
            for award in awards
            for _ in range(2)
        )
        ReportingDeadline.objects.bulk_create(
            ReportingDeadline(award=award, title=f"Report {r}", due_on=today + timedelta(days=30 * r))
            for award in awards
            for r in range(2)
        )
        return {"funders": len(funders), "bids": len(bids), "contributions": len(contributions), "awards": len(awards)}

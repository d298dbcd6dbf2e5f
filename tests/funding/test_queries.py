"""Every funding page makes the same number of queries with a little data and with much more
(tests/support/queries.py): more funders, opportunities, bids, contributions, documents, awards,
claims, allocations and reports."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from funding import services
from funding.models import Funder, GoDecision, Opportunity, Stage
from tests.conftest import sign_in
from tests.factories import OrganisationFactory
from tests.support.funding import pdf, take_to
from tests.support.queries import assert_constant_queries

GROWN = itertools.count()


def more_funding(alice, n=4):
    """`n` more funders, each with an opportunity, an open bid with two contributions and a
    document, and a successful bid with a published award, claims, allocations and reports."""
    today = timezone.localdate()
    for _ in range(n):
        i = next(GROWN)
        partner = OrganisationFactory()
        funder = Funder.objects.create(name=f"Grown funder {i}", org_id=f"GB-CHC-10{i:05d}", funder_type="trust")
        opportunity = Opportunity.objects.create(
            funder=funder, programme=f"Programme {i}", closes_on=today + timedelta(days=30)
        )
        services.decide_opportunity(opportunity=opportunity, decision=GoDecision.GO, reason="Fits", by=alice)
        for title in ("open", "won"):
            bid = services.create_bid(
                title=f"Grown {title} bid {i}",
                opportunity=opportunity,
                accountable_body=partner,
                lead_officer=alice,
                amount_requested=Decimal("1000.00"),
                total_cost=Decimal("2000.00"),
                internal_deadline=today + timedelta(days=5),
                funder_deadline=today + timedelta(days=9),
                by=alice,
            )
            for kind in ("cash", "in_kind"):
                services.add_contribution(
                    bid=bid, organisation=partner, kind=kind, amount=Decimal("100.00"), letter=pdf(), by=alice
                )
            document = services.add_document(bid=bid, title="Form", kind="application", upload=pdf("f.pdf"), by=alice)
            services.replace_document(document=document, upload=pdf("f2.pdf"), by=alice)
        take_to(bid, Stage.SUCCESSFUL, alice)
        award = services.record_award(
            bid=bid,
            amount=Decimal("1000.00"),
            awarded_on=date(2020, 1, 1) + timedelta(days=400 * (i % 5)),
            title=f"Grown award {i}",
            description="Grown",
            is_published=True,
            by=alice,
        )
        for q in range(2):
            services.add_claim(
                award=award, period=f"Q{q}", due_on=today + timedelta(days=q), amount=Decimal("100.00"), by=alice
            )
            services.add_allocation(
                award=award,
                organisation=partner,
                amount=Decimal("100.00"),
                purpose="Work",
                allocated_on=today,
                by=alice,
            )
            services.add_report(award=award, title=f"Report {q}", due_on=today + timedelta(days=q), by=alice)


@pytest.fixture
def published(award, alice):
    services.add_claim(award=award, period="Q1", due_on=timezone.localdate(), amount=Decimal("100.00"), by=alice)
    return services.change_award(award=award, is_published=True, by=alice)


@pytest.mark.parametrize("name", ["funding:secured", "funding:open_data_json", "funding:open_data_csv"])
def test_public_pages_are_built_in_a_constant_number_of_queries(client, published, alice, name):
    assert_constant_queries(client, reverse(name), lambda: more_funding(alice), bound=6)


@pytest.mark.parametrize("name", ["funding:secured", "funding:open_data_json", "funding:open_data_csv"])
def test_public_pages_are_served_from_the_cache_until_funding_changes(client, published, alice, name):
    from tests.support.queries import count_queries

    client.get(reverse(name))
    _count, sql = count_queries(client, reverse(name), cold=False)
    assert not [q for q in sql if "funding_" in q], "a cached page read the funding tables"
    services.change_award(award=published, title="Renamed award", by=alice)
    assert "Renamed award" in client.get(reverse(name)).content.decode()


@pytest.mark.parametrize("name", ["funding:pipeline", "funding:bids", "funding:figures"])
def test_pipeline_pages_for_a_board_member(client, carol, published, alice, name):
    sign_in(client, carol)
    assert_constant_queries(client, reverse(name), lambda: more_funding(alice), bound=16)


def test_the_bid_and_award_pages(client, alice, published):
    sign_in(client, alice)
    bid = published.bid
    services.add_document(bid=bid, title="Form", kind="application", upload=pdf(), by=alice)

    def grow():
        more_funding(alice)
        for _ in range(3):
            services.replace_document(document=bid.documents.get(), upload=pdf("v.pdf"), by=alice)
        services.add_claim(award=published, period="Q9", due_on=timezone.localdate(), amount=Decimal("5.00"), by=alice)

    assert_constant_queries(client, bid.get_absolute_url(), grow, bound=20)
    assert_constant_queries(client, published.get_absolute_url(), grow, bound=20)


@pytest.mark.parametrize(
    "name,arg",
    [
        ("manage_funding:dashboard", None),
        ("manage_funding:bid_create", None),
        ("manage_funding:bid_edit", "bid"),
        ("manage_funding:bid_move", "bid"),
        ("manage_funding:contribution_add", "bid"),
        ("manage_funding:award_edit", "award"),
        ("manage_funding:claim_add", "award"),
        ("manage_funding:allocation_add", "award"),
    ],
)
def test_management_pages(client, alice, published, name, arg):
    sign_in(client, alice)
    args = {"bid": [published.bid_id], "award": [published.pk], None: None}[arg]
    assert_constant_queries(client, reverse(name, args=args), lambda: more_funding(alice), bound=20)

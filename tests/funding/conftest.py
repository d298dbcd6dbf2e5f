"""The funding cast, beside the shared one (tests/conftest.py): Harlow District Council acts as
accountable body; Broxbourne Borough Council contributes; the "Digital Futures Forum" is not a
legal entity; "Old Partner Ltd" has left the partnership."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from funding import services
from funding.models import Funder, GoDecision, Opportunity, Stage
from tests.factories import OrganisationFactory
from tests.support.funding import take_to


@pytest.fixture
def dcms(db):
    return Funder.objects.create(
        name="Department for Culture, Media and Sport", org_id="GB-GOR-D5", funder_type="central_government"
    )


@pytest.fixture
def lffn(dcms, alice):
    opportunity = Opportunity.objects.create(
        funder=dcms,
        programme="Local Full Fibre Networks Challenge Fund",
        opens_on=date(2019, 1, 7),
        closes_on=date(2019, 4, 30),
        maximum_award=Decimal("5000000.00"),
        match_percent=Decimal("30"),
    )
    return services.decide_opportunity(opportunity=opportunity, decision=GoDecision.GO, reason="Fits aim 1.", by=alice)


@pytest.fixture
def forum(db):
    return OrganisationFactory(name="Digital Futures Forum", is_legal_entity=False)


@pytest.fixture
def former(db):
    return OrganisationFactory(name="Old Partner Ltd", membership_status="former", left_on=date(2020, 1, 1))


@pytest.fixture
def bid(lffn, harlow, bob, alice):
    today = timezone.localdate()
    return services.create_bid(
        title="Full fibre for west Essex",
        opportunity=lffn,
        summary="Gigabit connections to public buildings.",
        lead_officer=bob,
        accountable_body=harlow,
        amount_requested=Decimal("1700000.00"),
        total_cost=Decimal("2430000.00"),
        internal_deadline=today + timedelta(days=20),
        funder_deadline=today + timedelta(days=30),
        by=alice,
    )


@pytest.fixture
def award(bid, alice):
    take_to(bid, Stage.SUCCESSFUL, alice)
    return services.record_award(
        bid=bid,
        amount=Decimal("1700000.00"),
        awarded_on=date(2019, 9, 2),
        funder_reference="LFFN-W3-017",
        title="Full fibre for west Essex public buildings",
        description="Gigabit connections to council offices, libraries and health centres.",
        by=alice,
    )

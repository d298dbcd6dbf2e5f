"""The demo funding (`manage.py load_demo`): the £1.7m DCMS LFFN award with two claims paid and
two onward allocations, the LGA / Design Council project, and a pipeline of open, submitted and
unsuccessful bids with contributions from several partners; loaded twice without duplicates."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from funding import demo as funding_demo
from funding.models import Allocation, Award, Bid, Claim, Contribution, Stage
from partners import demo as partners_demo
from strategy import demo as strategy_demo

COUNTED = [Bid, Award, Claim, Allocation, Contribution]


@pytest.fixture
def demo(db):
    partners_demo.load()
    strategy_demo.load()
    funding_demo.load()
    return {model: model.objects.count() for model in COUNTED}


def test_loading_again_duplicates_nothing(demo):
    funding_demo.load()
    assert {model: model.objects.count() for model in COUNTED} == demo


def test_the_lffn_award_is_there_with_its_claims_and_allocations(demo):
    award = Award.objects.with_totals().get(bid__title__startswith="Local Full Fibre Networks")
    assert award.amount == Decimal("1700000.00")
    assert award.bid.accountable_body.slug == "epping-forest-district-council"
    assert "Illustrative" in award.description
    assert award.claims.filter(paid_on__isnull=False).count() == 2
    assert award.allocations.count() == 2
    assert award.received == Decimal("850000.00")


def test_the_pipeline_has_bids_at_several_stages(demo):
    stages = set(Bid.objects.values_list("stage", flat=True))
    assert {Stage.IDEA, Stage.FULL_BID, Stage.SUBMITTED, Stage.SUCCESSFUL, Stage.UNSUCCESSFUL} <= stages
    assert Bid.objects.filter(title__contains="Design in the Public Sector", stage=Stage.SUCCESSFUL).exists()
    assert Contribution.objects.values("organisation").distinct().count() >= 8


def test_the_demo_award_is_in_the_open_data_and_on_the_public_page(client, demo):
    data = json.loads(client.get("/open-data/360giving.json").content)
    ids = [grant["id"] for grant in data["grants"]]
    assert len(ids) == 3  # the award and its two allocations
    assert data["grants"][0]["recipientOrganization"][0]["id"] == "GB-LAE-EPP"
    page = client.get(reverse("funding:secured")).content.decode()
    assert "Local Full Fibre Networks" in page and "Broxbourne Borough Council" in page
    assert "Living Smart at Home" not in page  # unsuccessful bids are not public


def test_demo_bids_fund_the_delivery_plans_projects(client, demo):
    bid = Bid.objects.get(title__startswith="Local Full Fibre Networks")
    assert list(bid.projects.values_list("slug", flat=True)) == ["local-full-fibre-network"]
    assert "Local Full Fibre Network programme" in client.get(reverse("funding:secured")).content.decode()

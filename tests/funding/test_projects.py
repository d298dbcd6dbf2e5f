"""Bids linked to the delivery plan's projects (strategy.Project): set from the bid form, kept in
the bid's history, and shown on the public funding page only where the project is public."""

import pytest
from django.urls import reverse

from funding import services
from funding.models import Bid, Stage
from strategy.models import Project, Workstream
from tests.conftest import sign_in
from tests.support.funding import take_to


@pytest.fixture
def projects(harlow):
    workstream = Workstream.objects.create(title="Connectivity", slug="connectivity", aim=1, lead_organisation=harlow)
    return {
        "public": Project.objects.create(
            title="Gigabit public buildings", slug="gigabit", workstream=workstream, lead_organisation=harlow
        ),
        "partners": Project.objects.create(
            title="Duct sharing pilot",
            slug="ducts",
            workstream=workstream,
            lead_organisation=harlow,
            visibility="partners",
        ),
    }


def test_the_programme_manager_links_a_bid_to_projects_and_the_history_says_so(client, alice, bid, projects):
    sign_in(client, alice)
    response = client.post(
        reverse("manage_funding:bid_edit", args=[bid.pk]),
        {
            "title": bid.title,
            "opportunity": bid.opportunity_id,
            "accountable_body": bid.accountable_body_id,
            "amount_requested": "1700000.00",
            "total_cost": "2430000.00",
            "projects": [projects["public"].pk, projects["partners"].pk],
        },
    )
    assert response.status_code == 302
    assert set(Bid.objects.get(pk=bid.pk).projects.all()) == set(projects.values())
    assert set(projects["public"].bids.all()) == {bid}
    latest = bid.history.first()
    assert {row.project_id for row in latest.projects.all()} == {p.pk for p in projects.values()}
    page = client.get(bid.get_absolute_url()).content.decode()
    assert "Gigabit public buildings" in page and "Duct sharing pilot" in page


def test_the_public_page_names_only_public_projects(client, alice, award, projects):
    services.change_bid(bid=award.bid, projects=list(projects.values()), by=alice)
    services.change_award(award=award, is_published=True, by=alice)
    page = client.get(reverse("funding:secured")).content.decode()
    assert "Gigabit public buildings" in page
    assert "Duct sharing pilot" not in page


def test_a_bid_keeps_its_projects_through_its_moves(alice, bid, projects):
    services.change_bid(bid=bid, projects=[projects["public"]], by=alice)
    take_to(bid, Stage.SUBMITTED, alice)
    assert list(Bid.objects.get(pk=bid.pk).projects.all()) == [projects["public"]]

"""The pipeline's cached parts never reach a viewer of another audience and follow every change.
Alice is the programme manager, Carol sits on the Board and Dave on the Steering Group (both read
the pipeline), Bob is Harlow's officer with no seat (no pipeline for him), and a visitor is not
signed in. Each page is read twice per viewer (the second read comes from the cache)."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from funding import services
from funding.models import Funder
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def _twice(client, url, params=None) -> str:
    first = client.get(url, params or {})
    second = client.get(url, params or {})
    assert first.status_code == second.status_code == 200
    return second.content.decode()


@pytest.fixture
def viewers(alice, bob, carol, dave):
    clients = {
        name: sign_in(Client(), user)
        for name, user in {"alice": alice, "bob": bob, "carol": carol, "dave": dave}.items()
    }
    return clients | {"visitor": Client()}


def test_the_bid_table_is_only_for_readers_of_the_pipeline_whoever_warmed_it(viewers, bid):
    url = reverse("funding:bids")
    for name in ("alice", "carol", "dave"):
        assert "Full fibre for west Essex" in _twice(viewers[name], url)
    assert viewers["bob"].get(url).status_code == 404
    assert viewers["visitor"].get(url).status_code == 302
    assert "Full fibre for west Essex" not in viewers["bob"].get(url).content.decode()


def test_the_manage_link_on_the_bid_table_is_the_programme_managers_alone_in_either_order(viewers, bid):
    url = reverse("funding:bids")
    assert "Manage funding" not in _twice(viewers["carol"], url)
    assert "Manage funding" in _twice(viewers["alice"], url)
    assert "Manage funding" not in _twice(viewers["dave"], url)


def test_the_bid_table_is_kept_per_query_string(viewers, bid, alice, lffn, broxbourne):
    services.create_bid(title="Broxbourne sensors", opportunity=lffn, accountable_body=broxbourne, by=alice)
    carol = viewers["carol"]
    url = reverse("funding:bids")
    filtered = _twice(carol, url, {"accountable_body": broxbourne.pk})
    assert "Broxbourne sensors" in filtered and "Full fibre for west Essex" not in filtered
    everything = _twice(carol, url)
    assert "Broxbourne sensors" in everything and "Full fibre for west Essex" in everything
    assert f'<option value="{broxbourne.pk}" selected>' in filtered
    assert f'<option value="{broxbourne.pk}" selected>' not in everything
    # A filter refused (a date that is no date) says so beside its field, and only for that query.
    wrong = carol.get(url, {"deadline_before": "soon"}).content.decode()
    assert "Error: Bids" in wrong and "govuk-error-message" in wrong
    assert "govuk-error-message" not in _twice(carol, url)


def test_the_bid_tables_filters_follow_changes_to_funders_bids_and_partners(viewers, bid, alice, lffn, broxbourne):
    carol = viewers["carol"]
    url = reverse("funding:bids")
    before = _twice(carol, url)
    assert "Broxbourne Borough Council</option>" not in before  # accountable for no bid yet
    funder = Funder.objects.get(pk=lffn.funder_id)
    funder.name = "DCMS (renamed)"
    funder.save()
    services.create_bid(title="Broxbourne sensors", opportunity=lffn, accountable_body=broxbourne, by=alice)
    after = _twice(carol, url)
    assert f'<option value="{funder.pk}">DCMS (renamed)</option>' in after
    assert f'<option value="{broxbourne.pk}">Broxbourne Borough Council</option>' in after
    assert "Broxbourne sensors" in after
    filtered = _twice(carol, url, {"accountable_body": broxbourne.pk})
    assert "Broxbourne sensors" in filtered and "Full fibre for west Essex" not in filtered
    broxbourne.name = "Borough of Broxbourne"
    broxbourne.save()
    assert f'<option value="{broxbourne.pk}">Borough of Broxbourne</option>' in _twice(carol, url)


def test_the_award_page_shows_the_manage_links_to_the_programme_manager_alone_in_either_order(viewers, award):
    url = award.get_absolute_url()
    change = reverse("manage_funding:award_edit", args=[award.pk])
    assert change not in _twice(viewers["carol"], url)
    assert change in _twice(viewers["alice"], url)
    assert change not in _twice(viewers["dave"], url)
    assert viewers["bob"].get(url).status_code == 404
    assert viewers["visitor"].get(url).status_code == 302


def test_the_award_page_follows_changes_to_the_award_its_claims_and_its_bid(viewers, award, alice):
    carol = viewers["carol"]
    url = award.get_absolute_url()
    page = _twice(carol, url)
    assert "Not published" in page and "No claims scheduled yet." in page
    services.add_claim(award=award, period="Q1 2020", due_on=award.awarded_on, amount=Decimal("100.00"), by=alice)
    services.change_award(award=award, title="West Essex gigabit buildings", is_published=True, by=alice)
    services.change_bid(bid=award.bid, title="Gigabit west Essex", by=alice)
    page = _twice(carol, url)
    assert "Q1 2020" in page and "Published on the funding page" in page
    assert "<title>Award: West Essex gigabit buildings" in page
    breadcrumbs = page.split('class="govuk-breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert "Gigabit west Essex" in breadcrumbs  # the bid as it is now


def test_a_page_of_an_award_that_does_not_exist_is_a_404_for_everyone(viewers, award):
    url = reverse("funding:award", args=[award.pk + 1000])
    for name in ("alice", "carol"):
        assert viewers[name].get(url).status_code == 404


def test_a_deleted_award_is_a_404_at_once_though_its_page_was_cached(viewers, award):
    url = award.get_absolute_url()
    assert "Full fibre for west Essex public buildings" in _twice(viewers["carol"], url)
    award.delete()
    assert viewers["carol"].get(url).status_code == 404


def test_the_bid_page_follows_a_change_of_title_and_a_deletion_though_it_was_cached(viewers, bid, alice):
    url = bid.get_absolute_url()
    assert "<title>Full fibre for west Essex" in _twice(viewers["carol"], url)
    assert "Move the bid" in _twice(viewers["alice"], url)
    assert "Move the bid" not in _twice(viewers["dave"], url)
    services.change_bid(bid=bid, title="Gigabit west Essex", by=alice)
    assert "<title>Gigabit west Essex" in _twice(viewers["carol"], url)
    bid.delete()
    assert viewers["carol"].get(url).status_code == 404
    assert viewers["bob"].get(url).status_code == 404


def test_the_bid_page_follows_its_linked_projects_and_their_titles(viewers, bid, harlow):
    from strategy.models import Project, Workstream

    workstream = Workstream.objects.create(title="Connectivity", slug="connectivity", aim=1, lead_organisation=harlow)
    project = Project.objects.create(
        title="Gigabit halls", slug="gigabit", workstream=workstream, lead_organisation=harlow
    )
    url = bid.get_absolute_url()
    assert "Gigabit halls" not in _twice(viewers["carol"], url)
    bid.projects.add(project)  # saves no bid
    assert "Gigabit halls" in _twice(viewers["carol"], url)
    project.title = "Gigabit village halls"
    project.save()
    assert "Gigabit village halls" in _twice(viewers["carol"], url)

"""The funding pages as their users use them: the programme manager takes a bid from idea to
award; bad input is refused beside its field with what was typed kept and nothing written; a
Board member reads the pipeline and figures; the public sees only published awards."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from funding import services
from funding.models import Allocation, Award, Bid, Claim, Contribution, Funder, Opportunity, Stage
from tests.conftest import sign_in
from tests.support.forms import field_error
from tests.support.funding import pdf, take_to


@pytest.fixture
def pm(client, alice):
    return sign_in(client, alice)


def test_the_programme_manager_takes_a_bid_from_idea_to_award(pm, alice, harlow, broxbourne, carol):
    broxbourne.org_id = "GB-LAE-BRX"
    broxbourne.save()
    response = pm.post(
        reverse("manage_funding:funder_create"),
        {"name": "Department for Culture, Media and Sport", "org_id": "GB-GOR-D5", "funder_type": "central_government"},
    )
    assert response.status_code == 302
    funder = Funder.objects.get()
    assert funder.org_id == "GB-GOR-D5"
    pm.post(
        reverse("manage_funding:opportunity_create"),
        {
            "funder": funder.pk,
            "programme": "LFFN Challenge Fund",
            "opens_on": "2019-01-07",
            "closes_on": "2019-04-30",
            "match_percent": "30",
        },
    )
    opportunity = Opportunity.objects.get()
    pm.post(
        reverse("manage_funding:opportunity_decide", args=[opportunity.pk]), {"decision": "go", "reason": "Fits aim 1"}
    )
    today = timezone.localdate()
    pm.post(
        reverse("manage_funding:bid_create"),
        {
            "title": "Full fibre for west Essex",
            "opportunity": opportunity.pk,
            "accountable_body": harlow.pk,
            "lead_officer": alice.pk,
            "amount_requested": "1700000.00",
            "total_cost": "2430000.00",
            "internal_deadline": (today + timedelta(days=10)).isoformat(),
            "funder_deadline": (today + timedelta(days=20)).isoformat(),
        },
    )
    bid = Bid.objects.get()
    for stage in ("go_no_go", "full_bid"):
        assert pm.post(reverse("manage_funding:bid_move", args=[bid.pk]), {"stage": stage}).status_code == 302
    pm.post(
        reverse("manage_funding:contribution_add", args=[bid.pk]),
        {"organisation": broxbourne.pk, "kind": "cash", "amount": "250000", "status": "confirmed", "letter": pdf()},
    )
    pm.post(
        reverse("manage_funding:bid_sign_off", args=[bid.pk]),
        {"finance_officer": "Section 151 officer, Harlow", "finance_signed_off_on": today.isoformat()},
    )
    for stage in ("submitted", "successful"):
        assert (
            pm.post(
                reverse("manage_funding:bid_move", args=[bid.pk]), {"stage": stage, "feedback": "Strong case"}
            ).status_code
            == 302
        )
    pm.post(
        reverse("manage_funding:award_create", args=[bid.pk]),
        {
            "amount": "1700000",
            "awarded_on": "2019-09-02",
            "title": "Full fibre for west Essex",
            "description": "Gigabit for public buildings.",
        },
    )
    award = Award.objects.get()
    pm.post(
        reverse("manage_funding:claim_add", args=[award.pk]),
        {"period": "Q1", "due_on": today.isoformat(), "amount": "400000"},
    )
    claim = Claim.objects.get()
    pm.post(
        reverse("manage_funding:claim_edit", args=[claim.pk]),
        {
            "period": "Q1",
            "due_on": today.isoformat(),
            "amount": "400000",
            "evidence": "Invoices",
            "submitted_on": today.isoformat(),
            "paid_on": today.isoformat(),
        },
    )
    pm.post(
        reverse("manage_funding:allocation_add", args=[award.pk]),
        {
            "organisation": broxbourne.pk,
            "amount": "300000",
            "purpose": "Ducting",
            "allocated_on": "2019-10-01",
            "paid_amount": "0",
        },
    )
    response = pm.post(
        reverse("manage_funding:award_edit", args=[award.pk]),
        {
            "amount": "1700000",
            "awarded_on": "2019-09-02",
            "title": "Full fibre for west Essex",
            "description": "Gigabit for public buildings.",
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    page = pm.get(award.get_absolute_url()).content.decode()
    assert "£400,000.00 of £400,000.00 scheduled" in page  # claimed
    assert "£1,300,000.00 still to claim; £1,400,000.00 not yet allocated" in page
    assert Claim.objects.get().paid_on == today
    assert "Full fibre for west Essex" in pm.get("/open-data/360giving.json").content.decode()
    assert "Ducting" in pm.get(reverse("funding:secured")).content.decode()
    assert [h.stage for h in bid.history.order_by("history_date")][-2:] == ["submitted", "successful"]


def test_a_closing_date_before_the_opening_date_is_refused_beside_the_field(pm, dcms):
    response = pm.post(
        reverse("manage_funding:opportunity_create"),
        {"funder": dcms.pk, "programme": "Gigabit vouchers", "opens_on": "2020-05-01", "closes_on": "2020-04-01"},
    )
    assert response.status_code == 200
    assert "on or after the opening date" in field_error(response, "closes_on")
    assert 'value="Gigabit vouchers"' in response.content.decode()
    assert not Opportunity.objects.exists()


def test_an_accountable_body_that_cannot_act_as_one_is_refused_beside_the_field(pm, lffn, forum):
    response = pm.post(
        reverse("manage_funding:bid_create"),
        {"title": "Forum bid", "opportunity": lffn.pk, "accountable_body": forum.pk},
    )
    assert "not a legal entity" in field_error(response, "accountable_body")
    assert 'value="Forum bid"' in response.content.decode()
    assert not Bid.objects.exists()


def test_a_move_that_is_not_allowed_is_refused_with_the_reason(pm, bid):
    response = pm.post(reverse("manage_funding:bid_move", args=[bid.pk]), {"stage": "successful"})
    assert "cannot move from “Idea” to “Successful”" in field_error(response, "stage")
    bid.refresh_from_db()
    assert bid.stage == Stage.IDEA


def test_submission_without_sign_off_is_refused(pm, bid, alice):
    take_to(bid, Stage.FULL_BID, alice)
    response = pm.post(reverse("manage_funding:bid_move", args=[bid.pk]), {"stage": "submitted"})
    assert response.status_code == 200
    assert "finance sign-off" in response.content.decode()
    assert Bid.objects.get(pk=bid.pk).stage == Stage.FULL_BID


def test_an_award_on_an_unsuccessful_bid_is_refused(pm, bid):
    response = pm.post(
        reverse("manage_funding:award_create", args=[bid.pk]),
        {"amount": "10", "awarded_on": "2020-01-01", "title": "T", "description": "D"},
    )
    assert response.status_code == 200
    assert "Only a successful bid has an award" in response.content.decode()
    assert not Award.objects.exists()


def test_a_contribution_from_an_organisation_that_is_not_a_partner_is_refused(pm, bid, former):
    response = pm.post(
        reverse("manage_funding:contribution_add", args=[bid.pk]),
        {"organisation": former.pk, "kind": "cash", "amount": "99.50", "status": "pledged"},
    )
    assert "not an active partner" in field_error(response, "organisation")
    assert 'value="99.50"' in response.content.decode()
    assert not Contribution.objects.exists()


def test_a_claim_larger_than_what_remains_is_refused(pm, award):
    response = pm.post(
        reverse("manage_funding:claim_add", args=[award.pk]),
        {"period": "All of it and more", "due_on": "2020-01-01", "amount": "1700000.01"},
    )
    assert "more than what remains of the award to claim" in field_error(response, "amount")
    assert not Claim.objects.exists()


def test_an_allocation_larger_than_what_remains_is_refused(pm, award, broxbourne):
    response = pm.post(
        reverse("manage_funding:allocation_add", args=[award.pk]),
        {
            "organisation": broxbourne.pk,
            "amount": "2000000",
            "purpose": "X",
            "allocated_on": "2020-01-01",
            "paid_amount": "0",
        },
    )
    assert "what remains of the award to allocate" in field_error(response, "amount")
    assert not Allocation.objects.exists()


def test_a_negative_amount_is_refused(pm, bid, harlow):
    response = pm.post(
        reverse("manage_funding:contribution_add", args=[bid.pk]),
        {"organisation": harlow.pk, "kind": "cash", "amount": "-5", "status": "pledged"},
    )
    assert "at least £0.01" in field_error(response, "amount")


def test_a_board_member_reads_the_pipeline_and_the_figures(client, carol, award, alice, lffn, harlow):
    services.create_bid(
        title="Smart parking pilot",
        opportunity=lffn,
        accountable_body=harlow,
        amount_requested=Decimal("50000"),
        by=alice,
    )
    sign_in(client, carol)
    pipeline = client.get(reverse("funding:pipeline")).content.decode()
    assert "Smart parking pilot" in pipeline and "Full fibre for west Essex" in pipeline
    assert "Manage funding" not in pipeline
    figures = client.get(reverse("funding:figures")).content.decode()
    assert "100%" in figures  # one bid decided by the funder, and it won
    assert "<svg" in figures and "Pipeline by stage" in figures
    assert "£1,700,000" in figures


def test_the_table_filters_and_exports_what_it_shows(client, carol, bid, alice, lffn, broxbourne):
    broxbourne_bid = services.create_bid(
        title="Broxbourne sensors", opportunity=lffn, accountable_body=broxbourne, by=alice
    )
    sign_in(client, carol)
    page = client.get(reverse("funding:bids"), {"accountable_body": broxbourne.pk}).content.decode()
    assert "Broxbourne sensors" in page and "Full fibre for west Essex" not in page
    response = client.get(reverse("funding:bids"), {"accountable_body": broxbourne.pk, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["Bid"] for row in rows] == [broxbourne_bid.title]
    assert rows[0]["Accountable body"] == "Broxbourne Borough Council"


def test_the_table_filters_are_the_design_systems_selects_and_keep_the_choice(client, carol, bid, harlow):
    sign_in(client, carol)
    page = client.get(reverse("funding:bids"), {"accountable_body": harlow.pk, "stage": "idea"}).content.decode()
    for name in ("funder", "stage", "accountable_body"):
        assert f'<select name="{name}" class="govuk-select" id="id_{name}">' in page
    assert f'<option value="{harlow.pk}" selected>Harlow District Council</option>' in page
    assert '<option value="idea" selected>Idea</option>' in page


def test_the_public_page_shows_only_published_awards(client, award, alice):
    assert "Full fibre for west Essex public buildings" not in client.get(reverse("funding:secured")).content.decode()
    services.change_award(award=award, is_published=True, by=alice)
    page = client.get(reverse("funding:secured")).content.decode()
    assert "Full fibre for west Essex public buildings" in page
    for private in ("LFFN-W3-017", "Section 151 officer", "Bob Baker"):
        assert private not in page


def test_deadlines_show_among_the_figures(client, carol, bid):
    sign_in(client, carol)
    page = client.get(reverse("funding:figures")).content.decode()
    assert "The internal deadline for the bid “Full fibre for west Essex”" in page


def test_the_programme_managers_dashboard_lists_deadlines_and_charts_the_pipeline(client, alice, bid):
    sign_in(client, alice)
    html = client.get(reverse("manage:index")).content.decode()
    assert "Bids due and claims" in html
    assert "The internal deadline for the bid “Full fibre for west Essex”" in html
    assert "The data: pipeline value by stage" in html


def test_a_partner_officer_sees_what_their_organisation_puts_into_bids(client, bob, bid, harlow, alice):
    services.add_contribution(bid=bid, organisation=harlow, kind="cash", amount=Decimal("400000"), by=alice)
    sign_in(client, bob)
    html = client.get(reverse("partners:dashboard")).content.decode()
    assert "organisation&#x27;s contributions to bids" in html
    assert "Full fibre for west Essex" in html and "£400,000.00 cash" in html
    assert bid.get_absolute_url() not in html  # officers do not read the pipeline


def test_cached_pipeline_pages_never_show_one_reader_what_is_for_another_and_follow_changes(client, alice, carol, bid):
    sign_in(client, alice)
    assert "Move the bid" in client.get(bid.get_absolute_url()).content.decode()
    client.get(reverse("funding:pipeline"))
    sign_in(client, carol)
    page = client.get(bid.get_absolute_url()).content.decode()
    assert "Move the bid" not in page and "Full fibre for west Essex" in page
    services.change_bid(bid=bid, title="Gigabit west Essex", by=alice)
    assert "Gigabit west Essex" in client.get(reverse("funding:pipeline")).content.decode()
    assert "Gigabit west Essex" in client.get(bid.get_absolute_url()).content.decode()

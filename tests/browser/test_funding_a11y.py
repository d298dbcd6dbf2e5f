"""axe-core on the funding pages, in headless Chromium: the public "funding secured" page, the
pipeline as a Board member reads it (board, table, figures with their SVG charts, a bid, an
award), and the programme manager's pages, forms with errors included."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from funding import services
from funding.models import Funder, GoDecision, Opportunity, Stage
from strategy.models import Project, Workstream
from tests.browser.conftest import PASSWORD, login, submit_form_with
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import ALICE_TOTP_SECRET
from tests.support.funding import pdf, take_to


@pytest.fixture
def world(cast, harlow, broxbourne, alice):
    broxbourne.org_id = "GB-LAE-BRX"
    broxbourne.save()
    funder = Funder.objects.create(
        name="Department for Culture, Media and Sport", org_id="GB-GOR-D5", funder_type="central_government"
    )
    opportunity = Opportunity.objects.create(
        funder=funder, programme="Local Full Fibre Networks", match_percent=Decimal("30")
    )
    services.decide_opportunity(opportunity=opportunity, decision=GoDecision.GO, reason="Fits", by=alice)
    today = timezone.localdate()
    bid = services.create_bid(
        title="Full fibre for west Essex",
        opportunity=opportunity,
        accountable_body=harlow,
        lead_officer=alice,
        amount_requested=Decimal("1700000"),
        total_cost=Decimal("2400000"),
        internal_deadline=today + timedelta(days=3),
        funder_deadline=today + timedelta(days=9),
        by=alice,
    )
    services.add_contribution(
        bid=bid,
        organisation=broxbourne,
        kind="cash",
        amount=Decimal("300000"),
        status="confirmed",
        letter=pdf("letter.pdf"),
        by=alice,
    )
    services.add_document(bid=bid, title="Application form", kind="application", upload=pdf("form.pdf"), by=alice)
    take_to(bid, Stage.SUCCESSFUL, alice)
    award = services.record_award(
        bid=bid,
        amount=Decimal("1700000"),
        awarded_on=date(2020, 1, 6),
        title="Full fibre for west Essex",
        description="Gigabit for public buildings.",
        by=alice,
    )
    services.add_claim(award=award, period="Q1", due_on=today, amount=Decimal("400000"), by=alice)
    services.add_allocation(
        award=award, organisation=broxbourne, amount=Decimal("300000"), purpose="Ducting", allocated_on=today, by=alice
    )
    services.add_report(award=award, title="Monitoring return", due_on=today + timedelta(days=30), by=alice)
    services.change_award(award=award, is_published=True, by=alice)
    workstream = Workstream.objects.create(title="Connectivity", slug="connectivity", aim=1, lead_organisation=harlow)
    Project.objects.create(
        title="Gigabit public buildings", slug="gigabit", workstream=workstream, lead_organisation=harlow
    )
    open_bid = services.create_bid(
        title="Digital skills bootcamps", opportunity=opportunity, accountable_body=harlow, by=alice
    )
    return {"cast": cast, "bid": bid, "award": award, "open_bid": open_bid}


def check(page, live_server, path, heading):
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    assert heading.lower() in page.locator("h1").inner_text().lower()
    assert_accessible(page)


def test_the_public_funding_page_is_accessible(page, live_server, world):
    check(page, live_server, "/funding/", "Funding secured")


def test_the_pipeline_pages_are_accessible_to_a_board_member(page, live_server, world):
    login(page, live_server, world["cast"]["carol"].email, PASSWORD)
    check(page, live_server, "/funding/pipeline/", "Funding pipeline")
    check(page, live_server, "/funding/bids/?stage=successful", "Bids")
    check(page, live_server, "/funding/figures/", "Funding figures")
    assert page.locator("svg[role=img]").count() == 2
    check(page, live_server, world["bid"].get_absolute_url(), "Full fibre for west Essex")
    check(page, live_server, world["award"].get_absolute_url(), "Full fibre for west Essex")


def test_the_programme_managers_pages_and_forms_with_errors_are_accessible(page, live_server, world):
    login(page, live_server, world["cast"]["alice"].email, PASSWORD, totp_secret=ALICE_TOTP_SECRET)
    check(page, live_server, "/manage/funding/", "Funding")
    check(page, live_server, world["bid"].get_absolute_url(), "Full fibre for west Essex")
    check(page, live_server, f"/manage/funding/bids/{world['open_bid'].pk}/", "Change the bid")
    page.locator("input[name=projects]").first.check()
    submit_form_with(page, "projects")
    assert "Gigabit public buildings" in page.locator("main").inner_text()
    check(page, live_server, f"/manage/funding/bids/{world['open_bid'].pk}/move/", "Move the bid")
    page.locator("input[name=stage][value=submitted]").check()
    submit_form_with(page, "stage")
    assert "cannot move from" in page.locator(".govuk-error-message").inner_text()
    assert_accessible(page)
    check(page, live_server, f"/manage/funding/awards/{world['award'].pk}/claims/add/", "Add a claim")
    page.locator("input[name=period]").fill("More than remains")
    page.locator("input[name=due_on]").fill("2030-01-01")
    page.locator("input[name=amount]").fill("9999999")
    submit_form_with(page, "period")
    assert "more than what remains" in page.locator(".govuk-error-summary").inner_text()
    assert page.locator("input[name=period]").input_value() == "More than remains"
    assert_accessible(page)

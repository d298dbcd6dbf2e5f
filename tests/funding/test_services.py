"""The funding rules, met through the services (as the pages, tasks and imports meet them)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from funding import services
from funding.models import Bid, Contribution, GoDecision, Opportunity, Stage
from tests.factories import OrganisationFactory
from tests.support.funding import pdf, program, take_to


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Opportunities ---------------------------------------------------------------------------


def test_a_closing_date_before_the_opening_date_is_refused(dcms, alice):
    opportunity = Opportunity(
        funder=dcms, programme="Gigabit vouchers", opens_on=date(2020, 5, 1), closes_on=date(2020, 4, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.save_record(opportunity, by=alice)
    assert "closing date must be on or after the opening date" in errors_of(excinfo)["closes_on"][0]
    assert not Opportunity.objects.exists()


def test_a_go_decision_records_who_when_and_why(dcms, alice):
    opportunity = Opportunity.objects.create(funder=dcms, programme="5G testbeds")
    services.decide_opportunity(
        opportunity=opportunity,
        decision=GoDecision.GO,
        reason="Builds on LFFN",
        board_decision_ref="BRD/2019/14",
        by=alice,
    )
    opportunity.refresh_from_db()
    assert (opportunity.decision, opportunity.decided_by, opportunity.board_decision_ref) == (
        "go",
        alice,
        "BRD/2019/14",
    )
    assert opportunity.decided_at is not None
    assert opportunity.history.first().history_user == alice


def test_a_decision_needs_a_reason(dcms, alice):
    opportunity = Opportunity.objects.create(funder=dcms, programme="5G testbeds")
    with pytest.raises(ValidationError) as excinfo:
        services.decide_opportunity(opportunity=opportunity, decision=GoDecision.NO_GO, reason=" ", by=alice)
    assert "decision_reason" in errors_of(excinfo)
    opportunity.refresh_from_db()
    assert opportunity.decision == ""


# --- The accountable body --------------------------------------------------------------------


def test_an_accountable_body_that_is_not_a_legal_entity_is_refused(lffn, forum, alice):
    with pytest.raises(ValidationError) as excinfo:
        services.create_bid(title="Forum bid", opportunity=lffn, accountable_body=forum, by=alice)
    assert "not a legal entity" in errors_of(excinfo)["accountable_body"][0]
    assert not Bid.objects.exists()


def test_an_accountable_body_that_is_not_an_active_partner_is_refused(lffn, former, alice):
    with pytest.raises(ValidationError) as excinfo:
        services.create_bid(title="Old bid", opportunity=lffn, accountable_body=former, by=alice)
    assert "not an active partner" in errors_of(excinfo)["accountable_body"][0]


def test_the_model_itself_refuses_such_an_accountable_body(bid, forum):
    """The rule is the model's: the admin and imports call full_clean and meet it too."""
    bid.accountable_body = forum
    with pytest.raises(ValidationError):
        bid.full_clean()


# --- Stages ----------------------------------------------------------------------------------


def test_a_bid_moves_only_along_the_allowed_moves(bid, alice):
    with pytest.raises(ValidationError) as excinfo:
        services.move_bid(bid=bid, to=Stage.SUBMITTED, by=alice)
    assert "cannot move from “Idea” to “Submitted”" in errors_of(excinfo)["stage"][0]
    bid.refresh_from_db()
    assert bid.stage == Stage.IDEA


def test_an_outcome_is_final(bid, alice):
    services.move_bid(bid=bid, to=Stage.WITHDRAWN, feedback="Timetable too tight.", by=alice)
    with pytest.raises(ValidationError) as excinfo:
        services.move_bid(bid=bid, to=Stage.GO_NO_GO, by=alice)
    assert "no longer changes" in errors_of(excinfo)["stage"][0]
    bid.refresh_from_db()
    assert (bid.stage, bid.outcome_feedback) == (Stage.WITHDRAWN, "Timetable too tight.")


def test_a_bid_goes_past_go_no_go_only_with_a_go(bid, alice):
    opportunity = bid.opportunity
    services.decide_opportunity(opportunity=opportunity, decision=GoDecision.NO_GO, reason="Too small", by=alice)
    services.move_bid(bid=bid, to=Stage.GO_NO_GO, by=alice)
    with pytest.raises(ValidationError) as excinfo:
        services.move_bid(bid=Bid.objects.get(pk=bid.pk), to=Stage.FULL_BID, by=alice)
    assert "“go” decision" in errors_of(excinfo)["stage"][0]


def test_submission_without_finance_sign_off_is_refused(bid, alice):
    take_to(bid, Stage.FULL_BID, alice)
    with pytest.raises(ValidationError) as excinfo:
        services.move_bid(bid=bid, to=Stage.SUBMITTED, by=alice)
    assert "finance sign-off" in errors_of(excinfo)["finance_officer"][0]
    bid.refresh_from_db()
    assert bid.stage == Stage.FULL_BID


def test_a_signed_off_bid_is_submitted_and_its_history_shows_each_stage(bid, alice):
    take_to(bid, Stage.SUBMITTED, alice)
    bid.refresh_from_db()
    assert bid.stage == Stage.SUBMITTED
    stages = [h.stage for h in bid.history.order_by("history_date")]
    assert stages == ["idea", "go_no_go", "full_bid", "full_bid", "submitted"]  # the sign-off is a change too
    assert {h.history_user for h in bid.history.all()} == {alice}


def test_sign_off_needs_who_and_when(bid, alice):
    with pytest.raises(ValidationError) as excinfo:
        services.sign_off(bid=bid, officer="", on=timezone.localdate(), by=alice)
    assert "both who signed" in errors_of(excinfo)["finance_officer"][0]


# --- Contributions and match funding ---------------------------------------------------------


def test_contributions_from_partners_make_the_match_funding(bid, harlow, broxbourne, alice):
    services.add_contribution(
        bid=bid, organisation=harlow, kind="cash", amount=Decimal("400000.00"), status="confirmed", by=alice
    )
    services.add_contribution(
        bid=bid,
        organisation=broxbourne,
        kind="in_kind",
        amount=Decimal("330000.50"),
        description="Duct access",
        by=alice,
        letter=pdf(),
    )
    totals = Bid.objects.with_totals().get(pk=bid.pk)
    assert totals.match_total == Decimal("730000.50")
    assert totals.match_confirmed == Decimal("400000.00")
    assert totals.match_cash == Decimal("400000.00")
    assert bid.match_required() == Decimal("729000.00")  # 30% of £2,430,000
    assert Contribution.objects.get(organisation=broxbourne).letter_of_support.name.endswith("letter.pdf")


def test_a_contribution_from_an_organisation_that_is_not_a_partner_is_refused(bid, former, alice):
    with pytest.raises(ValidationError) as excinfo:
        services.add_contribution(bid=bid, organisation=former, kind="cash", amount=Decimal("10.00"), by=alice)
    assert "not an active partner" in errors_of(excinfo)["organisation"][0]
    assert not Contribution.objects.exists()


def test_a_contribution_must_be_positive(bid, harlow, alice):
    with pytest.raises(ValidationError) as excinfo:
        services.add_contribution(bid=bid, organisation=harlow, kind="cash", amount=Decimal("0.00"), by=alice)
    assert "amount" in errors_of(excinfo)


def test_a_letter_of_support_is_checked_by_its_content(bid, harlow, alice):
    with pytest.raises(ValidationError):
        services.add_contribution(
            bid=bid, organisation=harlow, kind="cash", amount=Decimal("5.00"), letter=program(), by=alice
        )
    assert not Contribution.objects.exists()


# --- Documents -------------------------------------------------------------------------------


def test_documents_keep_their_versions(bid, alice):
    document = services.add_document(
        bid=bid, title="Application form", kind="application", upload=pdf("form.pdf"), by=alice
    )
    services.replace_document(document=document, upload=pdf("form-v2.pdf"), by=alice)
    assert [v.number for v in document.versions.all()] == [2, 1]


def test_a_document_that_is_not_what_it_says_is_refused(bid, alice):
    with pytest.raises(ValidationError):
        services.add_document(bid=bid, title="Budget", kind="budget", upload=program("budget.pdf"), by=alice)
    assert not bid.documents.exists()


# --- Awards, claims, allocations -------------------------------------------------------------


def test_an_award_on_a_bid_that_was_not_successful_is_refused(bid, alice):
    with pytest.raises(ValidationError) as excinfo:
        services.record_award(
            bid=bid, amount=Decimal("1.00"), awarded_on=date(2020, 1, 1), title="T", description="D", by=alice
        )
    assert "Only a successful bid" in errors_of(excinfo)["bid"][0]


def test_claims_past_what_remains_of_the_award_are_refused(award, alice):
    today = timezone.localdate()
    services.add_claim(award=award, period="Q1", due_on=today, amount=Decimal("1000000.00"), by=alice)
    with pytest.raises(ValidationError) as excinfo:
        services.add_claim(award=award, period="Q2", due_on=today, amount=Decimal("700000.01"), by=alice)
    assert "£700,000.00 of £1,700,000.00" in errors_of(excinfo)["amount"][0]
    assert award.claims.count() == 1


def test_allocations_past_what_remains_of_the_award_are_refused(award, harlow, broxbourne, alice):
    services.add_allocation(
        award=award,
        organisation=broxbourne,
        amount=Decimal("1200000.00"),
        purpose="Ducts",
        allocated_on=date(2019, 10, 1),
        by=alice,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.add_allocation(
            award=award,
            organisation=harlow,
            amount=Decimal("600000.00"),
            purpose="Fibre",
            allocated_on=date(2019, 10, 1),
            by=alice,
        )
    assert "what remains of the award to allocate" in errors_of(excinfo)["amount"][0]


def test_an_allocation_to_a_former_partner_is_refused(award, former, alice):
    with pytest.raises(ValidationError) as excinfo:
        services.add_allocation(
            award=award,
            organisation=former,
            amount=Decimal("1.00"),
            purpose="X",
            allocated_on=date(2019, 10, 1),
            by=alice,
        )
    assert "receive an allocation" in errors_of(excinfo)["organisation"][0]


def test_the_award_totals_are_computed_by_the_database(award, broxbourne, alice):
    today = timezone.localdate()
    claim = services.add_claim(award=award, period="Q1", due_on=today, amount=Decimal("500000.00"), by=alice)
    services.add_claim(
        award=award, period="Q2", due_on=today + timedelta(days=90), amount=Decimal("400000.00"), by=alice
    )
    services.change_claim(claim=claim, submitted_on=today, paid_on=today, evidence="Invoices", by=alice)
    allocation = services.add_allocation(
        award=award, organisation=broxbourne, amount=Decimal("300000.00"), purpose="Ducts", allocated_on=today, by=alice
    )
    services.change_allocation(allocation=allocation, paid_amount=Decimal("120000.00"), by=alice)
    from funding.models import Award

    totals = Award.objects.with_totals().get(pk=award.pk)
    assert (totals.scheduled, totals.claimed, totals.received) == (
        Decimal("900000"),
        Decimal("500000"),
        Decimal("500000"),
    )
    assert (totals.allocated, totals.paid_to_partners) == (Decimal("300000"), Decimal("120000"))


def test_a_claim_is_paid_only_once_submitted(award, alice):
    claim = services.add_claim(award=award, period="Q1", due_on=timezone.localdate(), amount=Decimal("10.00"), by=alice)
    with pytest.raises(ValidationError) as excinfo:
        services.change_claim(claim=claim, paid_on=timezone.localdate(), by=alice)
    assert "submitted_on" in errors_of(excinfo)


def test_an_allocation_cannot_be_paid_more_than_it_is(award, broxbourne, alice):
    allocation = services.add_allocation(
        award=award,
        organisation=broxbourne,
        amount=Decimal("100.00"),
        purpose="X",
        allocated_on=date(2019, 10, 1),
        by=alice,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.change_allocation(allocation=allocation, paid_amount=Decimal("100.01"), by=alice)
    assert "paid_amount" in errors_of(excinfo)


def test_a_partner_that_is_not_a_legal_entity_still_contributes(bid, alice):
    """Only the accountable body must be a legal entity; a forum of partners can put in time."""
    forum = OrganisationFactory(name="Smart Forum", is_legal_entity=False)
    services.add_contribution(bid=bid, organisation=forum, kind="in_kind", amount=Decimal("5000.00"), by=alice)
    assert bid.contributions.count() == 1


def test_a_reminder_goes_once_before_each_deadline(bid, award, alice, mailoutbox):
    from funding.reminders import send_deadline_reminders

    today = timezone.localdate()
    services.add_claim(award=award, period="Q3", due_on=today + timedelta(days=3), amount=Decimal("10.00"), by=alice)
    services.add_report(award=award, title="Quarterly monitoring return", due_on=today + timedelta(days=5), by=alice)
    services.add_report(award=award, title="Final report", due_on=today + timedelta(days=60), by=alice)
    sent = send_deadline_reminders()
    subjects = sorted(m.subject for m in mailoutbox)
    # The bid is successful: its own deadlines are past caring; the claim and the near report are
    # reminded to its lead officer (Bob) and the programme manager (Alice).
    assert sent == 4
    assert sum("Q3" in s for s in subjects) == 2 and sum("Quarterly monitoring" in s for s in subjects) == 2
    assert not any("Final report" in s for s in subjects)
    assert send_deadline_reminders() == 0
    assert len(mailoutbox) == 4


def test_open_bids_are_reminded_of_internal_and_funder_deadlines(bid, alice, bob, mailoutbox, settings):
    from funding.reminders import send_deadline_reminders

    settings.FUNDING_REMINDER_DAYS = 30
    assert send_deadline_reminders() == 4  # two deadlines, two people
    assert {m.to[0] for m in mailoutbox} == {alice.email, bob.email}
    assert "funder's deadline" in " ".join(m.body for m in mailoutbox)

"""The dashboards' and reports' world: a Board meeting in a fortnight (Bob's paper outstanding),
one held last week (minutes not started), an overdue action of Carol's, an invitation nobody
accepted, a document that failed to build, and a Steering Group meeting Carol does not sit on."""

from datetime import datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from diz_portal.models import DocumentStatus, GeneratedDocument
from meetings import services
from meetings.models import LONDON, Meeting
from partners import services as partner_services

_PDF: dict = {}


def pdf(name="paper.pdf", text="Paper"):
    from diz_portal.pdf import html_to_pdf

    if text not in _PDF:
        _PDF[text] = html_to_pdf(f"<html><body><p>{text}</p></body></html>")
    return SimpleUploadedFile(name, _PDF[text], content_type="application/pdf")


def meeting_in(body, by, *, days: int, hour: int = 10) -> Meeting:
    day = timezone.localdate() + timedelta(days=days)
    starts = datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)
    return services.schedule_meeting(body=body, starts_at=starts, ends_at=starts + timedelta(hours=2), by=by)


@pytest.fixture
def world(board, steering_group, cast, harlow, django_capture_on_commit_callbacks):
    alice, bob, carol, dave = cast["alice"], cast["bob"], cast["carol"], cast["dave"]
    with django_capture_on_commit_callbacks(execute=False):
        coming = meeting_in(board, alice, days=14)
        bids = services.add_item(
            meeting=coming, title="Smart parking bid", presenter=bob, presenter_organisation=harlow, by=alice
        )
        risks = services.add_item(meeting=coming, title="Risk register", visibility="members", by=alice)
        services.add_paper(item=risks, title="Strategic risk register", purpose="To note", upload=pdf(), by=alice)
        held = meeting_in(board, alice, days=-7)
        action = services.record_action(
            item=held.items.first(),
            description="Write to the funder",
            owner=carol,
            due_on=timezone.localdate() - timedelta(days=3),
            by=alice,
        )
        sg = meeting_in(steering_group, alice, days=10)
        sg_item = services.add_item(meeting=sg, title="Steering business", visibility="members", by=alice)
        services.add_paper(item=sg_item, title="Steering Group secret paper", purpose="x", upload=pdf(), by=alice)
        services.publish_agenda(meeting=sg, by=alice)
        invitation = partner_services.invite_person(
            email="erin@example.org", name="Erin Ellis", organisation=harlow, by=alice
        )
    failed = GeneratedDocument.objects.create(
        content_type=ContentType.objects.get_for_model(Meeting),
        object_id=held.pk,
        kind="minutes:members",
        status=DocumentStatus.FAILED,
        error="ValueError: the template broke",
    )
    return {
        "coming": coming,
        "bids": bids,
        "risks": risks,
        "held": held,
        "action": action,
        "sg": sg,
        "invitation": invitation,
        "failed": failed,
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "dave": dave,
    }


@pytest.fixture
def endorsements(world, harlow, broxbourne):
    """The strategy's version 1.0 is final; Broxbourne (Carol's) endorsed it last week; Harlow's
    Cabinet was to consider it three days ago and nothing is recorded since (overdue)."""
    from strategy import services as strategy_services
    from strategy.models import Strategy

    alice = world["alice"]
    strategy = Strategy.objects.create(title="Digital Innovation Strategy", slug="digital-innovation-strategy")
    version = strategy_services.create_version(strategy=strategy, label="1.0", text="# Vision\nConnected.", by=alice)
    version = strategy_services.publish_version(version=version, by=alice)
    for organisation in (harlow, broxbourne):
        strategy_services.add_partner(strategy=strategy, organisation=organisation, deciding_body="Cabinet", by=alice)
    strategy_services.record_endorsement(
        organisation=harlow,
        version=version,
        by=world["bob"],
        status="scheduled",
        deciding_body="Cabinet",
        scheduled_for=timezone.localdate() - timedelta(days=3),
    )
    strategy_services.record_endorsement(
        organisation=broxbourne,
        version=version,
        by=world["carol"],
        status="endorsed",
        deciding_body="Overview and Scrutiny Committee",
        decision_date=timezone.localdate() - timedelta(days=7),
        resolution="That the strategy be endorsed.",
    )
    return version


@pytest.fixture
def funded(world, harlow, broxbourne):
    """A bid for full fibre led through Harlow, Broxbourne putting £50,000 in, won this quarter,
    with a claim due."""
    from decimal import Decimal

    from funding import services as funding_services
    from funding.models import Funder, GoDecision, Opportunity, Stage

    alice = world["alice"]
    funder = Funder.objects.create(name="Department for Culture, Media and Sport", funder_type="central_government")
    opportunity = funding_services.decide_opportunity(
        opportunity=Opportunity.objects.create(funder=funder, programme="Local Full Fibre Networks"),
        decision=GoDecision.GO,
        reason="Fits aim 1.",
        by=alice,
    )
    bid = funding_services.create_bid(
        title="Full fibre for west Essex",
        opportunity=opportunity,
        accountable_body=harlow,
        amount_requested=Decimal("1700000.00"),
        total_cost=Decimal("2430000.00"),
        by=alice,
    )
    funding_services.add_contribution(
        bid=bid, organisation=broxbourne, kind="cash", amount=Decimal("50000.00"), status="confirmed", by=alice
    )
    for step in (Stage.GO_NO_GO, Stage.FULL_BID, Stage.SUBMITTED, Stage.SUCCESSFUL):
        if step == Stage.SUBMITTED:
            funding_services.sign_off(bid=bid, officer="Section 151 officer", on=timezone.localdate(), by=alice)
        funding_services.move_bid(bid=bid, to=step, by=alice)
    award = funding_services.record_award(
        bid=bid,
        amount=Decimal("1700000.00"),
        awarded_on=timezone.localdate(),
        title="Full fibre for west Essex public buildings",
        description="Gigabit connections to council offices.",
        by=alice,
    )
    funding_services.add_claim(
        award=award, period="First claim", amount=Decimal("400000.00"), due_on=timezone.localdate(), by=alice
    )
    return award

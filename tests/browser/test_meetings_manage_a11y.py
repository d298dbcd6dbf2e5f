"""The programme manager's meetings pages in a real browser: axe-core on each of them (and on their
forms showing errors), and the agenda's "Move up"/"Move down" buttons moving an item without a page
reload (static/js/agenda.js), or with one when JavaScript is off.

Alice signs in with her password and authenticator code, as a person would. Workers never run
here: the documents a published agenda asks for stay queued (and one is made to fail), so the
pages show every state without building PDFs."""

import re
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import NamedTuple

import pytest
from django.utils import timezone

from diz_portal.models import DocumentStatus, GeneratedDocument
from meetings import documents, services
from meetings.models import LONDON, MeetingSeries
from tests.browser.conftest import PASSWORD, login, submit_form_with
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import ALICE_TOTP_SECRET
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def a_meeting(body, alice, *, days):
    day = timezone.localdate() + timedelta(days=days)
    starts = datetime(day.year, day.month, day.day, 10, tzinfo=LONDON)
    return services.schedule_meeting(
        body=body, starts_at=starts, ends_at=starts + timedelta(hours=2), location="Civic Offices", by=alice
    )


@pytest.fixture
def world(monkeypatch, cast, board, harlow, steering_group):
    # No worker: what publishing asks for stays queued.
    monkeypatch.setattr("diz_portal.queue.send_task_now", lambda task, *args: False)
    alice, bob, carol = cast["alice"], cast["bob"], cast["carol"]
    trust = OrganisationFactory(name="Princess Alexandra Hospital", org_type="acute_trust")
    hannah = UserFactory(name="Hannah Cole", organisation=trust)
    MembershipFactory(body=board, person=hannah, organisation=trust, deputy=UserFactory(name="Dev Deputy"))

    previous = a_meeting(board, alice, days=-28)
    services.save_minute(item=previous.items.first(), text="Welcome; apologies noted.", by=alice)
    services.circulate_draft_minutes(meeting=previous, by=alice)
    meeting = a_meeting(board, alice, days=14)
    bid = services.add_item(
        meeting=meeting, title="Full fibre bid", presenter=bob, presenter_organisation=harlow, by=alice
    )
    services.add_item(meeting=meeting, title="Digital skills", duration_minutes=20, by=alice)
    services.add_item(
        meeting=meeting,
        title="Bid pricing",
        visibility="restricted",
        restriction_reason="Commercially sensitive",
        by=alice,
    )
    services.respond_to_meeting(meeting=meeting, person=carol, response="apologies")
    services.respond_to_meeting(meeting=meeting, person=hannah, response="deputy")
    services.declare_interest(item=bid, person=carol, interest="My council is bidding.")
    decision = services.record_decision(item=bid, text="The bid goes ahead.", by=alice)
    action = services.record_action(
        item=bid, description="Send the bid", owner=carol, due_on=timezone.localdate() + timedelta(days=9), by=alice
    )

    published = a_meeting(board, alice, days=42)
    annual = services.add_item(meeting=published, title="Annual report", by=alice)
    published = services.publish_agenda(meeting=published, by=alice)
    services.add_item(meeting=published, title="Urgent: bid deadline", by=alice)  # a late item, 5A
    docs = {d.kind: d for d in documents.documents_for(published)}
    GeneratedDocument.objects.filter(pk=docs["agenda:public"].pk).update(status=DocumentStatus.FAILED, error="Boom")
    GeneratedDocument.objects.filter(pk=docs["pack:members"].pk).update(
        status=DocumentStatus.READY, version=1, problems=[{"title": "Budget", "reason": "The PDF is encrypted."}]
    )

    approved = a_meeting(board, alice, days=-56)
    services.save_minute(item=approved.items.first(), text="Approved long ago.", by=alice)
    services.approve_minutes(meeting=approved, at_meeting=previous, by=alice)

    series = MeetingSeries.objects.create(
        body=steering_group, ordinal=2, weekday=1, start_time=time(10), end_time=time(12)
    )
    entry = services.propose_forward_item(
        body=board, title="Smart parking", purpose="decision", target_meeting=meeting, by=alice
    )
    return {
        "cast": cast,
        "meeting": meeting,
        "published": published,
        "previous": previous,
        "approved": approved,
        "series": series,
        "entry": entry,
        "bid": bid,
        "annual": annual,
        "decision": decision,
        "action": action,
    }


def sign_in_as_alice(page, live_server, world):
    login(page, live_server, world["cast"]["alice"].email, PASSWORD, totp_secret=ALICE_TOTP_SECRET)


class Target(NamedTuple):
    id: str
    address: Callable[[dict], str]
    heading: str


M = "/manage/meetings"
PAGES = [
    Target("dashboard", lambda w: f"{M}/", "Meetings"),
    Target("series-new", lambda w: f"{M}/series/new/", "Add a series of meetings"),
    Target("meeting-new", lambda w: f"{M}/new/", "Schedule a meeting"),
    Target("meeting-edit", lambda w: f"{M}/{w['meeting'].pk}/edit/", "Change the meeting of"),
    Target("meeting-cancel", lambda w: f"{M}/{w['meeting'].pk}/cancel/", "Cancel the meeting of"),
    Target("agenda-draft", lambda w: f"{M}/{w['meeting'].pk}/agenda/", "Agenda"),
    Target("agenda-published", lambda w: f"{M}/{w['published'].pk}/agenda/", "Agenda"),
    Target("item-add", lambda w: f"{M}/{w['meeting'].pk}/agenda/add/", "Add an item to the agenda"),
    Target("item-edit", lambda w: f"{M}/{w['meeting'].pk}/agenda/items/{w['bid'].pk}/edit/", "Edit item 5"),
    Target("publish", lambda w: f"{M}/{w['meeting'].pk}/agenda/publish/", "Publish the agenda?"),
    Target("papers", lambda w: f"{M}/{w['meeting'].pk}/papers/", "Papers"),
    Target("forward-plan", lambda w: f"{M}/forward-plan/", "Forward plan"),
    Target("forward-propose", lambda w: f"{M}/forward-plan/new/", "Propose an item"),
    Target("forward-accept", lambda w: f"{M}/forward-plan/{w['entry'].pk}/accept/", "Accept “Smart parking”"),
    Target("forward-defer", lambda w: f"{M}/forward-plan/{w['entry'].pk}/defer/", "Defer “Smart parking”"),
    Target("attendance", lambda w: f"{M}/{w['meeting'].pk}/attendance/", "Attendance"),
    Target("minutes", lambda w: f"{M}/{w['meeting'].pk}/minutes/", "Minutes"),
    Target("minutes-approving-the-last", lambda w: f"{M}/{w['previous'].pk}/minutes/", "Minutes"),
    Target("minutes-approved", lambda w: f"{M}/{w['approved'].pk}/minutes/", "Minutes"),
    Target("series-edit", lambda w: f"{M}/series/{w['series'].pk}/edit/", "Change the series"),
    Target("series-end", lambda w: f"{M}/series/{w['series'].pk}/end/", "End the series"),
    Target(
        "item-withdraw",
        lambda w: f"{M}/{w['published'].pk}/agenda/items/{w['annual'].pk}/remove/",
        "Withdraw item 5",
    ),
    Target("item-remove", lambda w: f"{M}/{w['meeting'].pk}/agenda/items/{w['bid'].pk}/remove/", "Remove item 5"),
    Target("message-members", lambda w: f"{M}/{w['meeting'].pk}/email/", "Email the members"),
    Target(
        "decision-edit",
        lambda w: f"{M}/{w['meeting'].pk}/minutes/decisions/{w['decision'].pk}/edit/",
        "Change decision",
    ),
    Target(
        "decision-delete",
        lambda w: f"{M}/{w['meeting'].pk}/minutes/decisions/{w['decision'].pk}/delete/",
        "Delete decision",
    ),
    Target(
        "action-edit", lambda w: f"{M}/{w['meeting'].pk}/minutes/actions/{w['action'].pk}/edit/", "Change an action"
    ),
    Target(
        "action-delete",
        lambda w: f"{M}/{w['meeting'].pk}/minutes/actions/{w['action'].pk}/delete/",
        "Delete this action",
    ),
]


@pytest.mark.parametrize("target", PAGES, ids=[target.id for target in PAGES])
def test_meetings_management_page_has_no_serious_accessibility_problems(page, live_server, world, target):
    sign_in_as_alice(page, live_server, world)
    path = target.address(world)
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    assert page.url == live_server.url + path
    assert target.heading.lower() in page.locator("h1").inner_text().lower()
    assert_accessible(page)


# --- Forms with errors -----------------------------------------------------------------------


def test_a_meeting_that_ends_before_it_starts_shows_an_accessible_error(page, live_server, world):
    sign_in_as_alice(page, live_server, world)
    page.goto(f"{M}/new/")
    page.locator("select[name=body]").select_option(label="Board")
    page.locator("input[name=date]").fill("2030-03-12")
    page.locator("input[name=start_time]").fill("10:00")
    page.locator("input[name=end_time]").fill("09:00")
    page.locator("input[name=location]").fill("Harlow Civic Centre")
    submit_form_with(page, "end_time")
    assert "A meeting must end after it starts." in page.locator("#id_end_time_error").inner_text()
    assert page.locator("input[name=location]").input_value() == "Harlow Civic Centre"
    # The summary's link takes the keyboard to the field.
    page.locator(".govuk-error-summary a[href='#id_end_time']").click()
    assert page.evaluate("document.activeElement.id") == "id_end_time"
    assert_accessible(page)


def test_a_restricted_item_without_a_reason_shows_an_accessible_error(page, live_server, world):
    sign_in_as_alice(page, live_server, world)
    page.goto(f"{M}/{world['meeting'].pk}/agenda/add/")
    page.locator("input[name=title]").fill("Pricing")
    page.locator("select[name=visibility]").select_option("restricted")
    submit_form_with(page, "title")
    assert "Say why the item is restricted." in page.locator("#id_restriction_reason_error").inner_text()
    assert_accessible(page)


def test_an_empty_decision_shows_an_accessible_error_beside_it(page, live_server, world):
    sign_in_as_alice(page, live_server, world)
    bid = world["bid"]
    page.goto(f"{M}/{world['meeting'].pk}/minutes/")
    page.locator(f"#item-{bid.pk} summary", has_text="Record a decision").click()
    submit_form_with(page, f"item{bid.pk}-decision-text")
    assert "Write the decision." in page.locator(f"#id_item{bid.pk}-decision-text_error").inner_text()
    assert page.locator(f"#id_item{bid.pk}-decision-text").is_visible()  # its details are open
    assert_accessible(page)


# --- Reordering the agenda -------------------------------------------------------------------


def agenda_titles(meeting) -> list[str]:
    return list(meeting.items.order_by("number").values_list("title", flat=True))


def test_the_move_buttons_reorder_the_agenda_without_reloading_the_page(page, live_server, world):
    meeting = world["meeting"]
    sign_in_as_alice(page, live_server, world)
    address = f"{live_server.url}{M}/{meeting.pk}/agenda/"
    page.goto(address)
    # A mark on this page's window: a reload or a navigation would wipe it.
    page.evaluate("window.dizNoReload = true")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)

    row = page.locator("tr", has_text="Digital skills")
    assert row.locator("th").inner_text() == "6"
    row.get_by_role("button", name=re.compile(r"^Move up\W+Digital skills$")).click()

    announcer = page.locator("[data-agenda-announcer]")
    announcer.filter(has_text="is now item 5").wait_for(state="attached")
    assert announcer.inner_text() == "“Digital skills” is now item 5 of 9, starting at 10:25."
    assert page.evaluate("window.dizNoReload") is True
    assert navigations == []
    assert page.url == address
    rows = page.locator("[data-agenda-items] tr")
    assert rows.nth(4).locator("th").inner_text() == "5" and "Digital skills" in rows.nth(4).inner_text()
    assert rows.nth(5).locator("th").inner_text() == "6" and "Full fibre bid" in rows.nth(5).inner_text()
    assert agenda_titles(meeting)[4:6] == ["Digital skills", "Full fibre bid"]
    # Focus stays with the moved item, so pressing the key again moves it again.
    assert page.evaluate("document.activeElement.textContent.trim()") == "Move up: Digital skills"
    page.keyboard.press("Enter")
    announcer.filter(has_text="is now item 4").wait_for(state="attached")
    assert agenda_titles(meeting)[3:5] == ["Digital skills", "Action log"]
    assert page.evaluate("window.dizNoReload") is True
    assert_accessible(page)


def test_without_javascript_the_move_buttons_still_work_as_plain_forms(browser, live_server, world):
    meeting = world["meeting"]
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in_as_alice(page, live_server, world)
        page.goto(f"{M}/{meeting.pk}/agenda/")
        with page.expect_navigation():
            page.get_by_role("button", name=re.compile(r"^Move down\W+Full fibre bid$")).click()
        assert page.url.endswith(f"{M}/{meeting.pk}/agenda/#item-{world['bid'].pk}")
        assert "“Full fibre bid” is now item 6 of 9" in page.locator(".govuk-notification-banner").inner_text()
        assert agenda_titles(meeting)[4:6] == ["Digital skills", "Full fibre bid"]
    finally:
        context.close()

"""axe-core on the meetings pages, in headless Chromium with the real CSS and JavaScript, and the
documents list that refreshes itself while documents are being built."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from diz_portal.models import DocumentStatus
from meetings import documents, services
from meetings.models import CalendarToken, SeminarFile
from tests.browser.conftest import PASSWORD, login, submit_form_with
from tests.browser.test_accessibility import assert_accessible
from tests.factories import SeminarFactory, UserFactory
from tests.meetings.conftest import SECRETS, build_agenda, make_ready


@pytest.fixture
def world(cast, board, alice, bob, carol, monkeypatch):
    """A published Board meeting (documents ready), with Bob presenting every item, a decision on
    each item and approved minutes, actions for Carol, a seminar, and the next meeting, where Bob
    presents an item. Documents are marked ready rather than built: WeasyPrint is slow, and building
    is tested elsewhere."""
    monkeypatch.setattr(documents, "enqueue", lambda *args: None)
    starts = timezone.now() - timedelta(days=3)
    meeting = services.schedule_meeting(
        body=board,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        location="Civic Offices, Epping",
        mode="hybrid",
        joining_link="https://meet.example.org/board",
        by=alice,
    )
    items = build_agenda(meeting, by=alice, presenter=bob)
    meeting = services.publish_agenda(meeting=meeting, by=alice)
    for level, item in items.items():
        services.record_decision(item=item, text=f"Agreed the {level} recommendation.", by=alice)
        services.record_action(
            item=item,
            description=f"Follow up the {level} item",
            owner=carol,
            due_on=timezone.localdate() + timedelta(days=-2 if level == "public" else 7),
            by=alice,
        )
    services.save_minute(item=items["public"], text="Noted.", by=alice)
    services.circulate_draft_minutes(meeting=meeting, by=alice)
    later = timezone.now() + timedelta(days=25)
    upcoming = services.schedule_meeting(body=board, starts_at=later, ends_at=later + timedelta(hours=2), by=alice)
    services.approve_minutes(meeting=meeting, at_meeting=upcoming, by=alice, today=upcoming.local_date)
    services.add_item(meeting=upcoming, title="Digital skills", presenter=bob, by=alice)
    for document in documents.documents_for(meeting):
        make_ready(document)
    seminar = SeminarFactory(
        title="Smart places and the NHS",
        slug="smart-places-nhs",
        held_on=timezone.localdate() - timedelta(days=30),
        venue="Harlow College",
        delegates=85,
        summary="What digital innovation can do for health.",
        executive_report=ContentFile(b"%PDF-1.4 report", name="report.pdf"),
    )
    SeminarFile.objects.create(seminar=seminar, title="Opening presentation", file=ContentFile(b"x", name="o.pptx"))
    CalendarToken.objects.create(user=carol)
    # A colleague at Carol's council, who could come in her place.
    UserFactory(name="Colin Clark", organisation=carol.organisation)
    services.register_interest(person=carol, category="employment", description="Trustee of a charity", by=carol)
    return {"cast": cast, "meeting": meeting, "upcoming": upcoming, "items": items, "seminar": seminar}


def visit(page, live_server, world, path, *, who=None, heading=None):
    if who:
        login(page, live_server, world["cast"][who].email, PASSWORD)
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    assert page.url == live_server.url + path
    if heading:
        assert heading.lower() in page.locator("h1").inner_text().lower()
    return page


PAGES = [
    ("meetings-list", None, lambda w: "/meetings/", "Meetings"),
    ("meeting-public", None, lambda w: w["meeting"].get_absolute_url(), "Board meeting"),
    ("meeting-member", "carol", lambda w: w["meeting"].get_absolute_url(), "Board meeting"),
    ("meeting-presenter", "bob", lambda w: w["upcoming"].get_absolute_url(), "Board meeting"),
    ("seminars", None, lambda w: "/seminars/", "Smart Place Seminars"),
    ("seminar", None, lambda w: w["seminar"].get_absolute_url(), "Smart places and the NHS"),
    ("decisions", None, lambda w: "/meetings/decisions/", "Decisions register"),
    ("decisions-member", "carol", lambda w: "/meetings/decisions/?q=agreed", "Decisions register"),
    ("declarations", "carol", lambda w: "/meetings/declarations/", "Register of interests declared at meetings"),
    ("propose-item", "carol", lambda w: "/meetings/forward-plan/propose/", "Propose an item for a meeting"),
    ("action-log", "carol", lambda w: "/meetings/actions/", "Action log"),
    ("my-actions", "carol", lambda w: "/meetings/actions/mine/", "My actions"),
    ("calendar", "carol", lambda w: "/meetings/calendar/", "Meetings in your calendar"),
    ("calendar-replace", "carol", lambda w: "/meetings/calendar/replace/", "Replace your private calendar address"),
    ("interest-register", "carol", lambda w: "/meetings/interests/", "Register of members' interests"),
    ("my-interests", "carol", lambda w: "/meetings/interests/mine/", "Your register of interests"),
]


@pytest.mark.parametrize(("name", "who", "address", "heading"), PAGES, ids=[p[0] for p in PAGES])
def test_meetings_page_has_no_serious_accessibility_problems(page, live_server, world, name, who, address, heading):
    visit(page, live_server, world, address(world), who=who, heading=heading)
    assert_accessible(page)


def test_the_member_sees_restricted_items_in_the_browser_and_the_public_does_not(page, live_server, world):
    visit(page, live_server, world, world["meeting"].get_absolute_url())
    assert SECRETS[0] not in page.content()
    visit(page, live_server, world, world["meeting"].get_absolute_url(), who="carol")
    assert page.get_by_role("heading", name=f"{world['items']['restricted'].number}. {SECRETS[0]}").is_visible()


def test_the_paper_upload_form_with_an_error_is_accessible(page, live_server, world):
    # An upcoming meeting's item: after the meeting only the programme manager changes papers.
    item = world["upcoming"].items.get(title="Digital skills")
    path = f"/meetings/items/{item.pk}/papers/add/"
    visit(page, live_server, world, path, who="bob", heading="Add a paper")
    page.locator("form [name=title]").fill("Digital skills plan")
    page.locator("form [name=purpose]").fill("To agree the plan")
    page.locator("form [name=file]").set_input_files(
        {"name": "paper.pdf", "mimeType": "application/pdf", "buffer": b"MZ" + b"\x90" * 300}
    )
    submit_form_with(page, "title")
    assert page.url == live_server.url + path
    assert page.locator("#id_file_error").is_visible()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.locator("form [name=title]").input_value() == "Digital skills plan"
    assert_accessible(page)


def test_the_attendance_form_with_an_error_is_accessible(page, live_server, world):
    upcoming = world["upcoming"]
    visit(page, live_server, world, upcoming.get_absolute_url(), who="carol")
    page.get_by_label("Sending a deputy").check()
    submit_form_with(page, "response")
    assert page.locator("#id_deputy_error").is_visible()
    assert page.get_by_label("Sending a deputy").is_checked()
    assert_accessible(page)


def test_the_documents_list_updates_itself_while_a_document_is_built(page, live_server, world):
    """The page polls the documents fragment (static/js/app.js) and shows the pack once it is ready,
    without a reload; then it stops polling."""
    meeting = world["meeting"]
    pack = documents.documents_for(meeting).get(kind="pack:public")
    pack.status = DocumentStatus.QUEUED
    pack.save(update_fields=["status"])
    visit(page, live_server, world, meeting.get_absolute_url())
    documents_list = page.locator("#documents")
    assert "Queued" in documents_list.inner_text()
    assert documents_list.get_attribute("data-diz-poll")
    page.evaluate("window.__notReloaded = true")
    make_ready(pack)
    page.locator("#documents .govuk-tag--grey").wait_for(state="detached", timeout=8000)
    assert "Queued" not in documents_list.inner_text()
    assert page.evaluate("window.__notReloaded") is True
    assert documents_list.get_attribute("data-diz-poll") is None
    assert_accessible(page)

"""The programme manager's meetings pages: schedule, agenda, publication, attendance and minutes.

Alice is the programme manager; Carol sits on the Board (and so is no manager: every page here is a
404 to her); Bob is a partner officer who presents papers."""

import json
from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from diz_portal import caching
from diz_portal.models import DocumentStatus, GeneratedDocument
from meetings import documents, services
from meetings.models import (
    LONDON,
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Erratum,
    ForwardPlanItem,
    ForwardPlanStatus,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Minute,
    MinutesStatus,
    StandingKind,
)
from tests.conftest import sign_in
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.meetings.conftest import pdf_upload
from tests.support.forms import field_error


@pytest.fixture
def pm_client(client, alice):
    return sign_in(client, alice)


def page_text(response) -> str:
    return response.content.decode()


def url(name, **kwargs):
    return reverse(f"manage_meetings:{name}", kwargs=kwargs or None)


def numbers(meeting) -> list[str]:
    return list(meeting.items.order_by("number").values_list("title", flat=True))


@pytest.fixture
def business(meeting, alice, bob, harlow):
    """Two items of business on the Board meeting, between the standing items."""
    first = services.add_item(
        meeting=meeting, title="Full fibre bid", presenter=bob, presenter_organisation=harlow, by=alice
    )
    second = services.add_item(meeting=meeting, title="Digital skills", duration_minutes=20, by=alice)
    return first, second


def a_meeting(board, alice, *, days: int, hour: int = 10) -> Meeting:
    day = timezone.localdate() + timedelta(days=days)
    starts = datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)
    return services.schedule_meeting(body=board, starts_at=starts, ends_at=starts + timedelta(hours=2), by=alice)


# --- Who may use these pages -----------------------------------------------------------------


def test_a_board_member_gets_not_found_and_the_signed_out_are_sent_to_sign_in(client, carol, meeting):
    assert client.get(url("agenda", pk=meeting.pk)).status_code == 302
    sign_in(client, carol)
    assert client.get(url("dashboard")).status_code == 404
    assert client.get(url("agenda", pk=meeting.pk)).status_code == 404


def test_a_member_posting_to_any_manage_address_gets_not_found_and_nothing_changes(
    client, carol, alice, board, meeting, business
):
    earlier = a_meeting(board, alice, days=-30)
    services.save_minute(item=earlier.items.first(), text="Noted.", by=alice)
    series = MeetingSeries.objects.create(body=board, ordinal=1, weekday=0, start_time=time(10), end_time=time(11))
    entry = services.propose_forward_item(body=board, title="Later", purpose="discussion", by=alice)
    action = services.record_action(
        item=business[0], description="Write it", owner=carol, due_on=date(2030, 1, 1), by=alice
    )
    item = business[0]
    posts = [
        (url("series_create"), {"body": board.pk, "ordinal": 1, "weekday": 0, "start_time": "10:00"}),
        (url("series_generate", pk=series.pk), {}),
        (url("meeting_create"), {"body": board.pk, "date": "2030-01-01", "start_time": "10:00", "end_time": "11:00"}),
        (url("meeting_edit", pk=meeting.pk), {"date": "2030-01-01", "start_time": "10:00", "end_time": "11:00"}),
        (url("meeting_cancel", pk=meeting.pk), {"reason": "No business"}),
        (url("item_add", pk=meeting.pk), {"title": "Sneaky", "purpose": "decision", "duration_minutes": 5}),
        (url("item_edit", pk=meeting.pk, item_pk=item.pk), {"title": "Changed", "duration_minutes": 5}),
        (url("agenda_reorder", pk=meeting.pk), {"item": item.pk, "direction": "up"}),
        (url("agenda_publish", pk=meeting.pk), {}),
        (url("documents_rebuild", pk=meeting.pk), {}),
        (url("forward_propose"), {"body": board.pk, "title": "x", "purpose": "decision"}),
        (url("forward_accept", pk=entry.pk), {"meeting": meeting.pk}),
        (url("forward_defer", pk=entry.pk), {}),
        (url("attendance", pk=meeting.pk), {"present": [carol.pk]}),
        (url("minutes", pk=meeting.pk), {"what": "decision", "item": item.pk, f"item{item.pk}-decision-text": "x"}),
        (url("minutes_circulate", pk=earlier.pk), {}),
        (url("minutes_approve_previous", pk=meeting.pk), {}),
        (url("action_complete", pk=action.pk), {}),
    ]
    snapshot = _state(meeting)
    sign_in(client, carol)
    for address, data in posts:
        assert client.post(address, data).status_code == 404, address
    assert _state(meeting) == snapshot


def _state(meeting):
    meeting.refresh_from_db()
    return {
        "meetings": list(Meeting.objects.values_list("pk", "status", "starts_at", "agenda_published_at", "sequence")),
        "items": list(AgendaItem.objects.values_list("pk", "number", "title")),
        "series_meetings": Meeting.objects.filter(series__isnull=False).count(),
        "forward": list(ForwardPlanItem.objects.values_list("pk", "status", "target_meeting")),
        "attendance": Attendance.objects.count(),
        "decisions": Decision.objects.count(),
        "actions": list(Action.objects.values_list("pk", "status")),
        "minutes": list(Meeting.objects.values_list("pk", "minutes_status")),
        "documents": GeneratedDocument.objects.count(),
    }


# --- The dashboard ---------------------------------------------------------------------------


def test_the_dashboard_shows_each_bodys_meetings_papers_and_series(pm_client, alice, board, meeting, business):
    services.add_paper(item=business[0], title="Bid", purpose="To agree", upload=pdf_upload(), by=alice)
    MeetingSeries.objects.create(body=board, ordinal=2, weekday=1, start_time=time(10), end_time=time(12))
    past = a_meeting(board, alice, days=-20)
    services.save_minute(item=past.items.first(), text="Welcome.", by=alice)

    html = page_text(pm_client.get(url("dashboard")))
    assert "Upcoming meetings of the Board" in html
    assert reverse("manage_meetings:agenda", kwargs={"pk": meeting.pk}) in html
    assert "1 of 2 received" in html  # papers for one of the two items of business
    assert "Draft" in html  # the agenda is not published
    assert "Past meetings of the Board" in html
    assert reverse("manage_meetings:minutes", kwargs={"pk": past.pk}) in html
    assert "Second Tuesday of each month, 10:00–12:00" in html
    assert "Generate the coming 12 months" in html


# --- Series ----------------------------------------------------------------------------------

SERIES = {
    "body": "",
    "ordinal": "2",
    "weekday": "1",
    "start_time": "10:00",
    "end_time": "12:00",
    "location": "Civic Offices, Epping",
    "mode": "in_person",
    "papers_due_working_days": "5",
}


def test_the_programme_manager_adds_a_series_and_generates_a_year_of_meetings(pm_client, board):
    response = pm_client.post(url("series_create"), SERIES | {"body": board.pk})
    assert response.status_code == 302
    series = MeetingSeries.objects.get()
    assert series.describe() == "Second Tuesday of each month, 10:00–12:00"

    response = pm_client.post(url("series_generate", pk=series.pk), follow=True)
    created = Meeting.objects.filter(series=series)
    assert created.count() in (11, 12)  # this month's second Tuesday may have passed
    assert f"{created.count()} meetings of the Board created for the coming 12 months" in page_text(response)
    assert all(m.items.filter(standing_kind=StandingKind.WELCOME).exists() for m in created)


def test_generating_again_creates_nothing_and_says_so(pm_client, board, alice):
    series = MeetingSeries.objects.create(body=board, ordinal=-1, weekday=4, start_time=time(14), end_time=time(16))
    services.generate_meetings(series=series, by=alice)
    before = Meeting.objects.count()
    response = pm_client.post(url("series_generate", pk=series.pk), follow=True)
    assert Meeting.objects.count() == before
    assert "No new meetings: the Board&#x27;s coming 12 months are already scheduled." in page_text(response)


def test_a_series_that_ends_before_it_starts_is_refused_beside_the_end_time(pm_client, board):
    response = pm_client.post(url("series_create"), SERIES | {"body": board.pk, "end_time": "09:00"})
    assert response.status_code == 200
    assert "A meeting must end after it starts." in field_error(response, "end_time")
    assert 'value="Civic Offices, Epping"' in page_text(response)  # what was typed is kept
    assert not MeetingSeries.objects.exists()


# --- One-off meetings ------------------------------------------------------------------------

ONE_OFF = {
    "date": "2030-03-12",
    "start_time": "10:00",
    "end_time": "12:00",
    "location": "Harlow Civic Centre",
    "mode": "in_person",
    "joining_link": "",
    "papers_due_working_days": "5",
}


def test_scheduling_a_one_off_meeting_gives_it_the_standing_items(pm_client, board):
    response = pm_client.post(url("meeting_create"), ONE_OFF | {"body": board.pk})
    meeting = Meeting.objects.get()
    assert response["Location"] == url("agenda", pk=meeting.pk)
    assert meeting.starts_at == datetime(2030, 3, 12, 10, tzinfo=LONDON)
    assert meeting.papers_due_at == datetime(2030, 3, 5, 17, tzinfo=LONDON)
    assert meeting.items.count() == 6


def test_a_meeting_that_ends_before_it_starts_is_refused_beside_the_end_field(pm_client, board):
    response = pm_client.post(url("meeting_create"), ONE_OFF | {"body": board.pk, "end_time": "09:30"})
    assert response.status_code == 200
    assert "A meeting must end after it starts." in field_error(response, "end_time")
    assert 'value="Harlow Civic Centre"' in page_text(response)
    assert not Meeting.objects.exists()


def test_moving_a_meeting_online_needs_a_joining_link(pm_client, meeting):
    data = ONE_OFF | {"mode": "online"}
    response = pm_client.post(url("meeting_edit", pk=meeting.pk), data)
    assert "An online or hybrid meeting needs a joining link." in field_error(response, "joining_link")
    meeting.refresh_from_db()
    assert (meeting.mode, meeting.sequence) == ("in_person", 0)

    pm_client.post(url("meeting_edit", pk=meeting.pk), data | {"joining_link": "https://meet.example.org/brd"})
    meeting.refresh_from_db()
    assert meeting.mode == "online"
    assert meeting.joining_link == "https://meet.example.org/brd"
    assert meeting.starts_at == datetime(2030, 3, 12, 10, tzinfo=LONDON)
    assert meeting.sequence == 1  # calendar subscribers see the change


def test_cancelling_asks_first_then_keeps_the_meeting_marked_cancelled(pm_client, meeting):
    confirmation = pm_client.get(url("meeting_cancel", pk=meeting.pk))
    assert "Cancel the meeting of" in page_text(confirmation)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED

    response = pm_client.post(url("meeting_cancel", pk=meeting.pk), {"reason": ""})
    assert "This field is required." in field_error(response, "reason")

    pm_client.post(url("meeting_cancel", pk=meeting.pk), {"reason": "Not enough business"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.cancelled_reason == "Not enough business"
    assert "Cancelled" in page_text(pm_client.get(url("agenda", pk=meeting.pk)))


# --- The agenda ------------------------------------------------------------------------------


def test_the_agenda_shows_each_item_with_its_start_time_and_the_expected_end(pm_client, meeting, business):
    html = page_text(pm_client.get(url("agenda", pk=meeting.pk)))
    # Standing items 1-4 take 25 minutes from 10:00; the two items of business 15 and 20 minutes.
    assert "Full fibre bid" in html and "Presented by Bob Baker, Harlow District Council" in html
    assert "10:25" in html and "10:40" in html
    assert "Expected to end at <strong data-agenda-ends-at>11:15</strong>" in html
    assert html.count("Move up") == 7  # every item but the first
    assert 'src="/static/js/agenda.js"' in html


def test_adding_a_restricted_item_needs_a_reason_beside_the_field(pm_client, meeting):
    data = {"title": "Bid pricing", "purpose": "decision", "duration_minutes": "10", "visibility": "restricted"}
    response = pm_client.post(url("item_add", pk=meeting.pk), data)
    assert "Say why the item is restricted." in field_error(response, "restriction_reason")
    assert 'value="Bid pricing"' in page_text(response)
    assert not meeting.items.filter(title="Bid pricing").exists()

    pm_client.post(url("item_add", pk=meeting.pk), data | {"restriction_reason": "Commercially sensitive"})
    item = meeting.items.get(title="Bid pricing")
    assert item.number == 5  # before any other business
    html = page_text(pm_client.get(url("agenda", pk=meeting.pk)))
    assert "Restricted" in html and "Commercially sensitive" in html


def test_editing_an_item_changes_it_and_keeps_who_did_it(pm_client, meeting, business, alice):
    item = business[0]
    data = {
        "title": "Full fibre bid (revised)",
        "purpose": "decision",
        "duration_minutes": "25",
        "visibility": "public",
    }
    response = pm_client.post(url("item_edit", pk=meeting.pk, item_pk=item.pk), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.duration_minutes, item.number) == ("Full fibre bid (revised)", 25, 5)
    assert item.history.first().history_user == alice


def test_an_item_of_another_meeting_is_not_found_under_this_one(pm_client, board, alice, meeting):
    other = a_meeting(board, alice, days=40)
    item = other.items.first()
    assert pm_client.get(url("item_edit", pk=meeting.pk, item_pk=item.pk)).status_code == 404


def test_move_up_without_javascript_swaps_the_numbers_and_shows_the_agenda_again(pm_client, meeting, business):
    first, second = business
    response = pm_client.post(url("agenda_reorder", pk=meeting.pk), {"item": second.pk, "direction": "up"})
    assert response.status_code == 302
    assert response["Location"] == url("agenda", pk=meeting.pk) + f"#item-{second.pk}"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.number, first.number) == (5, 6)
    html = page_text(pm_client.get(response["Location"]))
    assert "“Digital skills” is now item 5 of 8, starting at 10:25." in html


def test_reordering_with_javascript_answers_json_with_the_rows_in_their_new_order(pm_client, meeting, business):
    _first, second = business
    order = list(meeting.items.order_by("number").values_list("pk", flat=True))
    order[4], order[5] = order[5], order[4]
    response = pm_client.post(
        url("agenda_reorder", pk=meeting.pk),
        {"order": order, "item": second.pk, "direction": "up"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    data = response.json()
    assert data["order"] == order
    assert data["message"] == "“Digital skills” is now item 5 of 8, starting at 10:25."
    assert data["ends_at"] == "11:15"
    assert data["html"].index("Digital skills") < data["html"].index("Full fibre bid")
    assert numbers(meeting)[4:6] == ["Digital skills", "Full fibre bid"]


def test_an_order_that_leaves_out_an_item_is_refused(pm_client, meeting, business):
    before = numbers(meeting)
    order = list(meeting.items.order_by("number").values_list("pk", flat=True))[:-1]
    response = pm_client.post(url("agenda_reorder", pk=meeting.pk), {"order": order}, HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    assert response.json()["message"] == "The new order must list each item of this agenda once."
    assert numbers(meeting) == before


def test_a_published_agenda_cannot_be_reordered_and_the_page_says_why(pm_client, meeting, business, alice):
    services.publish_agenda(meeting=meeting, by=alice)
    before = numbers(meeting)
    response = pm_client.post(
        url("agenda_reorder", pk=meeting.pk), {"item": business[1].pk, "direction": "up"}, follow=True
    )
    assert "The agenda is published: its item numbers are fixed." in page_text(response)
    assert "Move up" not in page_text(response)
    response = pm_client.post(
        url("agenda_reorder", pk=meeting.pk),
        {"item": business[1].pk, "direction": "up"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 409
    assert json.loads(response.content)["message"] == "The agenda is published: its item numbers are fixed."
    assert numbers(meeting) == before


# --- Publication and documents ---------------------------------------------------------------


def test_publishing_asks_for_confirmation_and_names_the_items_still_without_papers(pm_client, meeting, business):
    response = pm_client.get(url("agenda_publish", pk=meeting.pk))
    html = page_text(response)
    assert "Publish the agenda?" in html
    assert "Members will be emailed when the pack is ready." in html
    assert "5. Full fibre bid" in html and "6. Digital skills" in html
    meeting.refresh_from_db()
    assert not meeting.is_published


def test_publishing_queues_the_documents_and_returns_at_once(
    pm_client, meeting, business, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = pm_client.post(url("agenda_publish", pk=meeting.pk))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_published
    # Nothing was built in the request: the builds are queued to run after the commit.
    docs = list(documents.documents_for(meeting))
    assert {d.kind for d in docs} == set(documents.PUBLICATION_KINDS)
    assert {d.status for d in docs} == {DocumentStatus.QUEUED}
    # (Besides the cache stamps being replaced on commit, which is not work.)
    builds = [c for c in callbacks if getattr(c, "func", None) is not caching._replace_stamps]
    assert len(builds) == len(documents.PUBLICATION_KINDS)
    html = page_text(pm_client.get(response["Location"]))
    assert "The agenda is published." in html
    assert "Meeting pack: agenda and papers (members' version, with restricted items)" in html
    assert "Queued" in html


def test_failed_documents_and_papers_left_out_are_named_with_a_way_to_rebuild(
    pm_client, meeting, business, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        services.publish_agenda(meeting=meeting, by=alice)
    docs = {d.kind: d for d in documents.documents_for(meeting)}
    GeneratedDocument.objects.filter(pk=docs["agenda:public"].pk).update(
        status=DocumentStatus.FAILED, error="WeasyPrint ran out of memory"
    )
    GeneratedDocument.objects.filter(pk=docs["pack:members"].pk).update(
        status=DocumentStatus.READY, problems=[{"title": "Budget", "reason": "The PDF is encrypted."}]
    )
    html = page_text(pm_client.get(url("agenda", pk=meeting.pk)))
    assert "Agenda: Public: WeasyPrint ran out of memory" in html
    assert "“Budget”: The PDF is encrypted." in html
    assert "Rebuild documents" in html

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pm_client.post(url("documents_rebuild", pk=meeting.pk))
    assert callbacks  # queued again
    assert set(documents.documents_for(meeting).values_list("status", flat=True)) == {DocumentStatus.QUEUED}


def test_a_draft_agenda_has_no_documents_to_rebuild(pm_client, meeting):
    response = pm_client.post(url("documents_rebuild", pk=meeting.pk), follow=True)
    assert "The agenda is not published yet" in page_text(response)
    content_type = ContentType.objects.get_for_model(Meeting)
    assert not GeneratedDocument.objects.filter(content_type=content_type).exists()


def test_the_papers_page_shows_who_presents_what_arrived_and_how_to_upload(pm_client, meeting, business, bob):
    services.add_paper(item=business[0], title="LFFN bid", purpose="To agree", upload=pdf_upload(), by=bob)
    Meeting.objects.filter(pk=meeting.pk).update(papers_due_at=timezone.now() - timedelta(hours=1))
    paper = business[0].papers.get()
    services.replace_paper(paper=paper, upload=pdf_upload(pages=2), by=bob)
    html = page_text(pm_client.get(url("papers", pk=meeting.pk)))
    assert "LFFN bid" in html and "Bob Baker" in html and "Harlow District Council" in html
    assert "Version 2" in html and "Version 1" in html
    assert "Late" in html  # version 2 came after the deadline
    assert "Not received" in html  # Digital skills has no paper and the deadline has passed
    assert reverse("meetings:paper_add", kwargs={"pk": business[1].pk}) in html


# --- Forward plan ----------------------------------------------------------------------------


def test_proposing_an_item_for_another_bodys_meeting_is_refused_beside_the_meeting(
    pm_client, board, steering_group, alice, meeting
):
    data = {"body": steering_group.pk, "title": "Smart parking", "purpose": "decision", "target_meeting": meeting.pk}
    response = pm_client.post(url("forward_propose"), data)
    assert "Choose a meeting of the same body." in field_error(response, "target_meeting")
    assert 'value="Smart parking"' in page_text(response)
    assert not ForwardPlanItem.objects.exists()

    pm_client.post(url("forward_propose"), data | {"body": board.pk})
    entry = ForwardPlanItem.objects.get()
    assert (entry.target_meeting, entry.proposed_by) == (meeting, alice)
    html = page_text(pm_client.get(url("forward_plan")))
    assert "Smart parking" in html and "Proposed" in html


def test_accepting_a_forward_plan_item_puts_it_on_the_agenda(pm_client, board, alice, bob, meeting):
    entry = services.propose_forward_item(
        body=board, title="Smart parking", purpose="decision", presenter=bob, target_meeting=meeting, by=alice
    )
    agenda = page_text(pm_client.get(url("agenda", pk=meeting.pk)))
    assert "Proposed for this meeting in the forward plan" in agenda
    assert url("forward_accept", pk=entry.pk) in agenda

    response = pm_client.post(url("forward_accept", pk=entry.pk), {"meeting": meeting.pk})
    item = meeting.items.get(title="Smart parking")
    assert response["Location"] == url("agenda", pk=meeting.pk) + f"#item-{item.pk}"
    entry.refresh_from_db()
    assert (entry.status, entry.agenda_item) == (ForwardPlanStatus.ACCEPTED, item)
    assert item.presenter == bob

    again = pm_client.post(url("forward_accept", pk=entry.pk), {"meeting": meeting.pk}, follow=True)
    assert "is already on an agenda" in page_text(again)
    assert meeting.items.filter(title="Smart parking").count() == 1


def test_deferring_moves_the_item_to_a_later_meeting(pm_client, board, alice, meeting):
    later = a_meeting(board, alice, days=45)
    entry = services.propose_forward_item(
        body=board, title="Smart parking", purpose="decision", target_meeting=meeting, by=alice
    )
    form = page_text(pm_client.get(url("forward_defer", pk=entry.pk)))
    assert f'value="{later.pk}"' in form and f'value="{meeting.pk}"' not in form  # only later meetings
    pm_client.post(url("forward_defer", pk=entry.pk), {"meeting": later.pk})
    entry.refresh_from_db()
    assert (entry.status, entry.target_meeting) == (ForwardPlanStatus.DEFERRED, later)


# --- Attendance ------------------------------------------------------------------------------


@pytest.fixture
def health_member(board):
    trust = OrganisationFactory(name="Princess Alexandra Hospital", org_type="acute_trust")
    person = UserFactory(name="Hannah Cole", organisation=trust)
    deputy = UserFactory(name="Dev Deputy", organisation=trust)
    MembershipFactory(body=board, person=person, organisation=trust, deputy=deputy)
    return person


def test_the_attendance_page_lists_every_member_with_their_answer(pm_client, meeting, carol, health_member):
    services.respond_to_meeting(meeting=meeting, person=health_member, response="deputy")
    services.respond_to_meeting(meeting=meeting, person=carol, response="apologies")
    html = page_text(pm_client.get(url("attendance", pk=meeting.pk)))
    assert "Carol Clark" in html and "Apologies" in html
    assert "Hannah Cole" in html and "Sending a deputy: Dev Deputy" in html
    assert "Attendance is not recorded yet." in html


@pytest.fixture
def todays_meeting(board, alice):
    """Attendance is recorded from the day of the meeting."""
    return a_meeting(board, alice, days=0)


def test_saving_attendance_records_who_was_there_and_says_whether_it_was_quorate(
    pm_client, board, todays_meeting, carol, health_member
):
    meeting = todays_meeting
    board.quorum_count, board.quorum_sectors = 2, ["local_government", "health"]
    board.save()
    response = pm_client.post(url("attendance", pk=meeting.pk), {"present": [carol.pk]}, follow=True)
    html = page_text(response)
    assert "Attendance saved." in html
    assert "Not quorate: 1 present (2 needed); no health partner present" in html

    response = pm_client.post(
        url("attendance", pk=meeting.pk), {"present": [carol.pk], "deputy_present": [health_member.pk]}, follow=True
    )
    assert "Quorate: 2 present (2 needed), including local government and health" in page_text(response)
    hannah = Attendance.objects.get(meeting=meeting, person=health_member)
    assert (hannah.present, hannah.deputy_present) == (True, True)


def test_attendance_for_someone_who_is_not_a_member_is_refused_and_nothing_is_written(
    pm_client, todays_meeting, carol, dave
):
    meeting = todays_meeting
    response = pm_client.post(url("attendance", pk=meeting.pk), {"present": [carol.pk, dave.pk]})
    assert response.status_code == 200
    assert "Attendance can only be recorded for members of the Board." in page_text(response)
    assert f'id="present-{carol.pk}" name="present" type="checkbox" value="{carol.pk}" checked' in page_text(response)
    assert not Attendance.objects.exists()


def test_attendance_that_is_not_a_list_of_people_is_refused(pm_client, meeting):
    response = pm_client.post(url("attendance", pk=meeting.pk), {"present": ["carol"]})
    assert "Tick people from the list of members." in page_text(response)
    assert not Attendance.objects.exists()


# --- Minutes ---------------------------------------------------------------------------------


def minutes_post(client, meeting, item, what, **fields):
    data = {"what": what, "item": item.pk} | {f"item{item.pk}-{what}-{k}": v for k, v in fields.items()}
    return client.post(url("minutes", pk=meeting.pk), data)


def test_saving_a_minute_starts_the_draft(pm_client, meeting, business):
    response = minutes_post(pm_client, meeting, business[0], "minute", text="The Board discussed the bid.")
    assert response["Location"] == url("minutes", pk=meeting.pk) + f"#item-{business[0].pk}"
    assert Minute.objects.get(item=business[0]).text == "The Board discussed the bid."
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.DRAFT
    assert "The Board discussed the bid." in page_text(pm_client.get(url("minutes", pk=meeting.pk)))


def test_a_decision_gets_the_next_reference_and_is_listed(pm_client, meeting, business):
    minutes_post(pm_client, meeting, business[0], "decision", text="The bid is approved.")
    minutes_post(pm_client, meeting, business[1], "decision", text="The skills plan is noted.")
    local = timezone.localtime(meeting.starts_at)
    html = page_text(pm_client.get(url("minutes", pk=meeting.pk)))
    assert f"BRD-{local.year}-{local.month}-1</strong>: The bid is approved." in html
    assert f"BRD-{local.year}-{local.month}-2</strong>: The skills plan is noted." in html


def test_an_empty_decision_is_refused_beside_its_field(pm_client, meeting, business):
    response = minutes_post(pm_client, meeting, business[0], "decision", text="")
    assert response.status_code == 200
    assert "Write the decision." in field_error(response, f"item{business[0].pk}-decision-text")
    assert not Decision.objects.exists()


def test_an_action_needs_an_owner_and_a_due_date_and_keeps_what_was_typed(pm_client, meeting, business, carol, bob):
    response = minutes_post(pm_client, meeting, business[0], "action", description="Draft the bid", owner=carol.pk)
    assert "Enter the date the action is due." in field_error(response, f"item{business[0].pk}-action-due_on")
    assert "Draft the bid</textarea>" in page_text(response)
    assert not Action.objects.exists()

    minutes_post(
        pm_client, meeting, business[0], "action", description="Draft the bid", owner=bob.pk, due_on="2030-02-01"
    )
    action = Action.objects.get()
    assert (action.owner, action.due_on, action.item) == (bob, date(2030, 2, 1), business[0])  # anyone active


def test_a_rejected_form_stays_with_its_request_and_the_kept_page_follows_each_change(pm_client, meeting, business):
    """The items and their forms are kept between visits (a fragment): what one request typed and
    had refused is never shown to the next, and every record written shows at once."""
    minutes_url = url("minutes", pk=meeting.pk)
    pm_client.get(minutes_url)
    pm_client.get(minutes_url)  # kept
    refused = minutes_post(pm_client, meeting, business[0], "action", description="Typed then refused")
    assert "Typed then refused</textarea>" in page_text(refused)
    again = page_text(pm_client.get(minutes_url))
    assert "Typed then refused" not in again and "govuk-error-message" not in again
    minutes_post(pm_client, meeting, business[1], "decision", text="The skills plan is noted.")
    assert "The skills plan is noted." in page_text(pm_client.get(minutes_url))
    business[1].title = "Skills plan, renamed"
    business[1].save()
    assert "Skills plan, renamed" in page_text(pm_client.get(minutes_url))


def test_members_declarations_are_listed_under_their_item(pm_client, meeting, business, carol):
    services.declare_interest(item=business[0], person=carol, interest="My council is bidding (pecuniary).")
    html = page_text(pm_client.get(url("minutes", pk=meeting.pk)))
    assert "Carol Clark: My council is bidding (pecuniary)." in html


def test_minutes_nobody_has_written_cannot_be_circulated(pm_client, meeting):
    assert "Circulate draft minutes" not in page_text(pm_client.get(url("minutes", pk=meeting.pk)))
    response = pm_client.post(url("minutes_circulate", pk=meeting.pk), follow=True)
    assert "Write at least one minute before circulating the draft." in page_text(response)
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.NONE


def test_circulating_the_draft_minutes(pm_client, meeting, business, django_capture_on_commit_callbacks):
    minutes_post(pm_client, meeting, business[0], "minute", text="Discussed.")
    with django_capture_on_commit_callbacks(execute=False):
        response = pm_client.post(url("minutes_circulate", pk=meeting.pk), follow=True)
    assert "The draft minutes are circulated to members." in page_text(response)
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.CIRCULATED


@pytest.fixture
def two_meetings(board, alice, django_capture_on_commit_callbacks):
    """Last month's Board meeting with circulated minutes, and this month's."""
    previous = a_meeting(board, alice, days=-28)
    services.save_minute(item=previous.items.first(), text="Welcome, apologies noted.", by=alice)
    with django_capture_on_commit_callbacks(execute=False):
        services.circulate_draft_minutes(meeting=previous, by=alice)
    current = a_meeting(board, alice, days=0)  # minutes are approved at a meeting that is happening
    return previous, current


def test_the_next_meeting_approves_the_last_meetings_minutes_once(
    pm_client, two_meetings, django_capture_on_commit_callbacks
):
    previous, current = two_meetings
    html = page_text(pm_client.get(url("minutes", pk=current.pk)))
    held = f"{timezone.localtime(previous.starts_at):%-d %B %Y}"
    assert f"Approve the minutes of the Board meeting of {held}" in html

    with django_capture_on_commit_callbacks(execute=False):
        response = pm_client.post(url("minutes_approve_previous", pk=current.pk), follow=True)
    assert f"The minutes of the Board meeting of {held} are approved and locked." in page_text(response)
    previous.refresh_from_db()
    assert previous.minutes_status == MinutesStatus.APPROVED
    assert previous.minutes_approved_at_meeting == current
    approved_at = previous.minutes_approved_at

    # A second approval, from a later meeting or by a double click, is refused and changes nothing.
    later = a_meeting(previous.body, None, days=0, hour=15)
    response = pm_client.post(url("minutes_approve_previous", pk=later.pk), follow=True)
    previous.refresh_from_db()
    assert previous.minutes_approved_at == approved_at
    assert previous.minutes_approved_at_meeting == current
    # The later meeting's previous is `current`, which has no minutes: the page says so.
    assert "There are no draft minutes to approve." in page_text(response)


def test_approving_twice_is_refused_with_a_clear_message(pm_client, two_meetings, django_capture_on_commit_callbacks):
    previous, current = two_meetings
    with django_capture_on_commit_callbacks(execute=False):
        pm_client.post(url("minutes_approve_previous", pk=current.pk))
    previous.refresh_from_db()
    approved_at = previous.minutes_approved_at
    response = pm_client.post(url("minutes_approve_previous", pk=current.pk), follow=True)
    assert f"These minutes were already approved on {timezone.localtime(approved_at):%-d %B %Y}." in page_text(response)
    previous.refresh_from_db()
    assert previous.minutes_approved_at == approved_at


def test_approved_minutes_are_read_only_with_a_form_for_an_erratum(
    pm_client, two_meetings, alice, django_capture_on_commit_callbacks
):
    previous, current = two_meetings
    with django_capture_on_commit_callbacks(execute=False):
        services.approve_minutes(meeting=previous, at_meeting=current, by=alice)
    html = page_text(pm_client.get(url("minutes", pk=previous.pk)))
    assert "They are locked" in html
    assert "Save minute" not in html and "Record a decision" not in html
    assert "Welcome, apologies noted." in html

    item = previous.items.first()
    response = minutes_post(pm_client, previous, item, "minute", text="Rewritten history")
    assert "These minutes are approved and locked" in page_text(pm_client.get(response["Location"]))
    assert Minute.objects.get(item=item).text == "Welcome, apologies noted."

    response = pm_client.post(url("minutes", pk=previous.pk), {"what": "erratum", "text": ""})
    assert "Describe the correction." in field_error(response, "text")
    assert not Erratum.objects.exists()
    with django_capture_on_commit_callbacks(execute=False):
        pm_client.post(url("minutes", pk=previous.pk), {"what": "erratum", "text": "Apologies from Dave, not Bob."})
    assert Erratum.objects.get().recorded_by == alice
    assert "Apologies from Dave, not Bob." in page_text(pm_client.get(url("minutes", pk=previous.pk)))


def test_open_actions_from_earlier_meetings_can_be_marked_done_from_the_action_log(
    pm_client, two_meetings, alice, carol
):
    previous, current = two_meetings
    action = Action.objects.create(
        meeting=previous,
        item=previous.items.first(),
        description="Book the venue",
        owner=carol,
        due_on=date(2030, 1, 1),
    )
    html = page_text(pm_client.get(url("minutes", pk=current.pk)))
    assert "Book the venue" in html and "Mark as done" in html
    next_url = url("minutes", pk=current.pk) + "#item-1"
    response = pm_client.post(url("action_complete", pk=action.pk), {"next": next_url})
    assert response["Location"] == next_url
    action.refresh_from_db()
    assert action.status == "done"


def test_completing_an_action_never_redirects_off_site(pm_client, meeting, business, carol):
    action = services.record_action(item=business[0], description="x", owner=carol, due_on=date(2030, 1, 1), by=carol)
    response = pm_client.post(url("action_complete", pk=action.pk), {"next": "https://evil.example.com/"})
    assert response["Location"] == url("minutes", pk=meeting.pk)


def test_two_meetings_on_one_day_number_their_decisions_in_one_sequence(pm_client, board, alice, meeting, business):
    afternoon = services.schedule_meeting(
        body=board,
        starts_at=meeting.starts_at + timedelta(hours=4),
        ends_at=meeting.ends_at + timedelta(hours=4),
        by=alice,
    )
    minutes_post(pm_client, meeting, business[0], "decision", text="Morning decision.")
    response = minutes_post(pm_client, afternoon, afternoon.items.first(), "decision", text="Afternoon decision.")
    assert response.status_code == 302
    local = timezone.localtime(meeting.starts_at)
    assert list(Decision.objects.order_by("pk").values_list("reference", flat=True)) == [
        f"BRD-{local.year}-{local.month}-1",
        f"BRD-{local.year}-{local.month}-2",
    ]

"""meetings/services.py: the use-cases a clerk runs, and the rules they keep. The first tests are
the eight things a democratic services officer found wrong (issue 7), each of which failed before
its fix."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from diz_portal.models import SentEmail
from meetings import documents, notices, services
from meetings.models import (
    LONDON,
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingChange,
    MeetingSeries,
    MeetingStatus,
    MinutesStatus,
    Paper,
    PaperVersion,
    StandingKind,
    Supplement,
    nth_weekday,
    working_days_before,
)
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.meetings.conftest import a_meeting, docx_upload, exe_upload, pdf_text, pdf_upload

# --- 1. Who actually came ------------------------------------------------------------------


def test_a_deputy_is_minuted_as_the_deputy_not_as_the_absent_member(
    held_meeting, sam_and_jordan, carol, alice, django_capture_on_commit_callbacks
):
    sam, jordan = sam_and_jordan
    services.record_attendance(meeting=held_meeting, present_ids={carol.pk}, deputy_present_ids={sam.pk}, by=alice)
    attendance = Attendance.objects.get(meeting=held_meeting, person=sam)
    assert (attendance.deputy, attendance.capacity, attendance.attendee) == (jordan, "deputy", jordan)

    text = pdf_text(documents.render_document(held_meeting, "minutes:members").pdf)
    present = text.split("Present")[1].split("Apologies")[0]
    assert "Jordan Ellis" in present and "(deputy for Sam Okafor)" in present
    assert "Carol Clark" in present
    assert "Sam Okafor," not in present  # not listed as present in his own right
    assert "Sam Okafor, Epping Forest District Council (represented by Jordan Ellis)" in text.split("Apologies")[1]


def test_a_deputy_nobody_named_must_be_chosen_from_the_members_organisation(held_meeting, carol, alice):
    with pytest.raises(ValidationError) as error:
        services.record_attendance(meeting=held_meeting, present_ids=set(), deputy_present_ids={carol.pk}, by=alice)
    assert "choose who came in their place" in error.value.messages[0]
    outsider = UserFactory()
    with pytest.raises(ValidationError):
        services.record_attendance(
            meeting=held_meeting,
            present_ids=set(),
            deputy_present_ids={carol.pk},
            deputies={carol.pk: outsider.pk},
            by=alice,
        )
    colleague = UserFactory(organisation=carol.organisation, name="Colin Colleague")
    services.record_attendance(
        meeting=held_meeting,
        present_ids=set(),
        deputy_present_ids={carol.pk},
        deputies={carol.pk: colleague.pk},
        by=alice,
    )
    assert Attendance.objects.get(meeting=held_meeting, person=carol).attendee == colleague


def test_officers_guests_and_observers_are_minuted_as_also_present(held_meeting, carol, alice):
    services.add_also_present(meeting=held_meeting, name="Alice Able", role="Minutes", capacity="officer", by=alice)
    services.add_also_present(
        meeting=held_meeting,
        name="Robin Gray",
        organisation="Department for Science, Innovation and Technology",
        capacity="observer",
        by=alice,
    )
    services.record_attendance(meeting=held_meeting, present_ids={carol.pk}, deputy_present_ids=set(), by=alice)
    text = pdf_text(documents.render_document(held_meeting, "minutes:public").pdf)
    also = text.split("Also present")[1].split("Apologies")[0]
    assert "Alice Able, Minutes (officer)" in also
    assert "Robin Gray, Department for Science, Innovation and Technology (observer)" in also


def test_nobody_is_recorded_as_present_before_the_meeting_day(meeting, carol, alice):
    with pytest.raises(ValidationError):
        services.add_also_present(meeting=meeting, name="A Guest", capacity="guest", by=alice)


# --- 2. Late items keep the published numbers ------------------------------------------------


def test_an_item_added_after_publication_takes_a_letter_and_numbers_stay_fixed(
    meeting, alice, django_capture_on_commit_callbacks
):
    services.add_item(meeting=meeting, title="Fibre", by=alice)
    services.add_item(meeting=meeting, title="Skills", by=alice)
    with django_capture_on_commit_callbacks(execute=False):
        services.publish_agenda(meeting=meeting, by=alice)
    before = dict(meeting.items.values_list("title", "number"))
    assert before["Any other business"] == 7

    with django_capture_on_commit_callbacks(execute=False):
        late = services.add_item(meeting=meeting, title="Urgent: the bid deadline moved", by=alice)
        second = services.add_item(meeting=meeting, title="Another late item", by=alice)
    assert (late.label, second.label) == ("6A", "6B")
    after = {i.title: i.number for i in meeting.items.exclude(pk__in=[late.pk, second.pk])}
    assert after == before  # "Any other business" is still 7, and so on
    ordered = [i.title for i in AgendaItem.objects.filter(meeting=meeting)]
    assert ordered.index("Skills") < ordered.index(late.title) < ordered.index("Any other business")
    # The documents are rebuilt with a supplement, and the change waits for the next notice.
    kinds = set(documents.documents_for(meeting).values_list("kind", flat=True))
    assert set(documents.SUPPLEMENT_KINDS) <= kinds
    assert MeetingChange.objects.filter(meeting=meeting, summary__startswith="Item 6A added").exists()


# --- 3. One rule for actions and decisions ---------------------------------------------------
# (tests/meetings/test_permissions.py and test_documents.py: the public never see an action from
# minutes that are not approved, in pages or packs.)


# --- 4. Approval at the approving meeting, attendance from the day -----------------------------


def test_minutes_cannot_be_approved_at_a_meeting_that_has_not_happened(held_meeting, board, alice):
    earlier = a_meeting(board, alice, days=-28)
    services.save_minute(item=earlier.items.first(), text="Noted.", by=alice)
    future = a_meeting(board, alice, days=28)
    with pytest.raises(ValidationError) as error:
        services.approve_minutes(meeting=earlier, at_meeting=future, by=alice)
    assert "has not happened yet" in error.value.messages[0]

    services.approve_minutes(meeting=earlier, at_meeting=held_meeting, by=alice)
    earlier.refresh_from_db()
    # The record carries the approving meeting's date, whenever it was typed in.
    assert earlier.minutes_approved_at == held_meeting.starts_at


def test_attendance_is_recorded_from_the_day_of_the_meeting(meeting, carol, alice):
    with pytest.raises(ValidationError) as error:
        services.record_attendance(meeting=meeting, present_ids={carol.pk}, deputy_present_ids=set(), by=alice)
    assert "from the day of the meeting" in error.value.messages[0]
    assert not Attendance.objects.filter(meeting=meeting, present__isnull=False).exists()
    services.record_attendance(
        meeting=meeting, present_ids={carol.pk}, deputy_present_ids=set(), by=alice, today=meeting.local_date
    )


# --- 5. Cancelled meetings, clashes, contradictory attendance ----------------------------------


def test_a_cancelled_meeting_takes_no_items(meeting, alice):
    services.cancel_meeting(meeting=meeting, reason="Not enough business", by=alice)
    with pytest.raises(ValidationError):
        services.add_item(meeting=meeting, title="Too late", by=alice)
    assert not meeting.items.filter(title="Too late").exists()


def test_a_second_meeting_of_the_body_at_the_same_time_needs_confirming(meeting, alice):
    with pytest.raises(ValidationError) as error:
        services.schedule_meeting(
            body=meeting.body,
            starts_at=meeting.starts_at + timedelta(minutes=30),
            ends_at=meeting.ends_at,
            by=alice,
        )
    assert error.value.error_dict["starts_at"][0].code == "clash"
    assert Meeting.objects.filter(body=meeting.body).count() == 1
    second = services.schedule_meeting(
        body=meeting.body,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        name="Extraordinary meeting",
        allow_clash=True,
        by=alice,
    )
    assert second.title == "Board: Extraordinary meeting"


def test_present_and_apologies_for_one_person_is_refused(held_meeting, carol, alice):
    with pytest.raises(ValidationError) as error:
        services.record_attendance(
            meeting=held_meeting, present_ids={carol.pk}, deputy_present_ids=set(), apologies_ids={carol.pk}, by=alice
        )
    assert "Carol Clark" in error.value.messages[0]
    assert not Attendance.objects.filter(meeting=held_meeting).exists()


# --- 6. One "papers updated" email per person per supplement -----------------------------------


@pytest.fixture
def published(meeting, alice, bob, carol, harlow, django_capture_on_commit_callbacks):
    """Published, with 20 more members (so the old behaviour's email count shows), the pack built
    and its "papers published" email sent."""
    for _ in range(20):
        MembershipFactory(body=meeting.body)
    item = services.add_item(meeting=meeting, title="Fibre", presenter=bob, presenter_organisation=harlow, by=alice)
    paper = services.add_paper(item=item, title="Fibre report", purpose="x", upload=pdf_upload(), by=bob)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(meeting=meeting, by=alice)
    return paper


def _emails(subject_part):
    return [m for m in mail.outbox if subject_part in m.subject]


def test_each_member_is_told_once_when_the_papers_are_published(published):
    recipients = [m.to[0] for m in _emails("Papers for the")]
    assert len(recipients) == len(set(recipients)) == 21


def test_replacing_a_paper_sends_one_papers_updated_email_per_person_saying_what_changed(
    published, alice, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.replace_paper(paper=published, upload=pdf_upload(text="Version 2"), by=alice)
    updated = _emails("Papers updated")
    assert len(updated) == 21 and len({m.to[0] for m in updated}) == 21
    assert not _emails("Papers for the")  # not the whole pack email again
    assert "“Fibre report” (item 5) replaced by version 2." in updated[0].body
    assert "because you sit on the Board" in updated[0].body


def test_changes_within_the_hour_wait_for_the_next_notice(published, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.replace_paper(paper=published, upload=pdf_upload(text="Version 2"), by=alice)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.replace_paper(paper=published, upload=pdf_upload(text="Version 3"), by=alice)
        services.add_item(meeting=published.item.meeting, title="A late item", by=alice)
    assert not _emails("Papers updated")  # the first notice went out less than an hour ago
    Supplement.objects.update(issued_at=timezone.now() - timedelta(hours=2))
    for meeting_id in notices.due_supplement_meeting_ids():
        notices.send_supplement_notice(meeting_id=meeting_id)
    updated = _emails("Papers updated (2 changes)")
    assert len(updated) == 21
    assert "version 3" in updated[0].body and "Item 5A added: A late item." in updated[0].body
    # Sending again (a retried task) sends nothing more, and an empty supplement is never issued.
    for meeting_id in [published.item.meeting_id]:
        notices.send_supplement_notice(meeting_id=meeting_id, force=True)
    assert len(_emails("Papers updated")) == 21
    assert Supplement.objects.count() == 2


def test_a_presenters_change_tells_the_programme_manager_not_the_whole_body(
    published, bob, alice, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.replace_paper(paper=published, upload=pdf_upload(text="Bob's version 2"), by=bob)
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "Bob Baker changed the papers" in mail.outbox[0].body
    # The programme manager sends the notice when ready.
    with django_capture_on_commit_callbacks(execute=True):
        supplement = services.issue_supplement_notice(meeting=published.item.meeting, by=alice)
    assert supplement.number == 1
    assert len(_emails("Papers updated")) == 21


# --- Cancelling, notices and messages ---------------------------------------------------------


def test_cancelling_a_published_meeting_tells_everyone_who_was_sent_its_papers(
    published, alice, django_capture_on_commit_callbacks
):
    meeting = published.item.meeting
    sent_papers = set(
        SentEmail.objects.filter(key__startswith=f"meetings.pack:{meeting.pk}:").values_list("to", flat=True)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting=meeting, reason="The bid deadline moved", by=alice)
    cancelled = _emails("Cancelled:")
    assert {m.to[0] for m in cancelled} == sent_papers
    assert "Reason: The bid deadline moved" in cancelled[0].body
    assert notices.send_cancellation_notice(meeting_id=meeting.pk) == 0  # at most once


def test_a_draft_meetings_cancellation_emails_nobody(meeting, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting=meeting, reason="No business", by=alice)
    assert not mail.outbox


def test_the_notice_of_meeting_goes_once_to_each_member_and_deputy(
    meeting, carol, alice, django_capture_on_commit_callbacks
):
    deputy = UserFactory(name="Derek Deputy")
    MembershipFactory(body=meeting.body, deputy=deputy)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_notice_of_meeting(meeting=meeting, by=alice)
        services.send_notice_of_meeting(meeting=meeting, by=alice)
    notices_sent = _emails("Notice of meeting")
    assert len(notices_sent) == 3  # Carol, the new member and their deputy; once each
    body = next(m.body for m in notices_sent if m.to == [carol.email])
    assert "Civic Offices, Epping" in body and "Papers are due by 17:00" in body and "Any other business" in body


def test_a_message_to_members_is_sent_once_each_and_kept(meeting, carol, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_members(meeting=meeting, subject="Room change", body="We meet in room 2.", by=alice)
    assert [m.to for m in _emails("Room change")] == [[carol.email]]
    assert notices.send_message_to_members(message_id=message.pk) == 0
    assert "We meet in room 2." in mail.outbox[0].body and "because you sit on the Board" in mail.outbox[0].body


# --- Editing the agenda ---------------------------------------------------------------------


def test_changing_an_item_keeps_its_history_and_never_its_number(meeting, alice):
    item = services.add_item(meeting=meeting, title="Fibre", by=alice)
    services.change_item(item=item, title="Full fibre", visibility="members", by=alice)
    item.refresh_from_db()
    assert (item.title, item.visibility, item.number) == ("Full fibre", "members", 5)
    assert item.history.first().history_user == alice
    with pytest.raises(ValidationError):
        services.change_item(item=item, visibility="restricted", restriction_reason="", by=alice)


def test_a_draft_item_is_removed_and_the_agenda_renumbered(meeting, alice):
    first = services.add_item(meeting=meeting, title="Fibre", by=alice)
    services.add_item(meeting=meeting, title="Skills", by=alice)
    services.remove_item(item=first, by=alice)
    assert list(meeting.items.values_list("number", "title"))[4] == (5, "Skills")


def test_after_publication_an_item_is_withdrawn_not_removed(meeting, alice, django_capture_on_commit_callbacks):
    item = services.add_item(meeting=meeting, title="Fibre", by=alice)
    with django_capture_on_commit_callbacks(execute=False):
        services.publish_agenda(meeting=meeting, by=alice)
        with pytest.raises(ValidationError):
            services.remove_item(item=item, by=alice)
        with pytest.raises(ValidationError) as error:
            services.withdraw_item(item=item, reason=" ", by=alice)
        assert "reason" in error.value.message_dict
        services.withdraw_item(item=item, reason="Deferred to March", by=alice)
    item.refresh_from_db()
    assert item.is_withdrawn and item.withdrawn_reason == "Deferred to March" and item.number == 5
    text = pdf_text(documents.render_document(meeting, "minutes:public").pdf)
    assert "Withdrawn before the meeting: Deferred to March" in text


def test_decisions_and_actions_change_until_the_minutes_are_approved(held_meeting, board, alice, carol):
    item = services.add_item(meeting=held_meeting, title="Fibre", by=alice)
    decision = services.record_decision(item=item, text="Agreed", by=alice)
    action = services.record_action(item=item, description="Write", owner=carol, due_on=date(2099, 1, 1), by=alice)
    services.change_decision(decision=decision, text="Agreed, with changes", by=alice)
    services.change_action(action=action, description="Write it up", owner=alice, due_on=date(2099, 2, 1), by=alice)
    action.refresh_from_db()
    assert (action.description, action.owner) == ("Write it up", alice)
    services.delete_decision(decision=decision, by=alice)
    assert not Decision.objects.filter(pk=decision.pk).exists()

    later = a_meeting(board, alice, days=0, hour=15)
    services.approve_minutes(meeting=held_meeting, at_meeting=later, by=alice)
    action.meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        services.change_action(action=action, description="x", owner=alice, due_on=date(2099, 1, 1), by=alice)
    with pytest.raises(ValidationError):
        services.delete_action(action=action, by=alice)
    assert Action.objects.filter(pk=action.pk).exists()


# --- Series ---------------------------------------------------------------------------------


@pytest.fixture
def series(board, alice):
    from datetime import time

    series = MeetingSeries.objects.create(body=board, ordinal=2, weekday=1, start_time=time(10), end_time=time(12))
    services.generate_meetings(series=series, by=alice, months=4)
    return series


def test_changing_a_series_moves_its_unpublished_future_meetings(series, alice, django_capture_on_commit_callbacks):
    from datetime import time

    published = services.future_meetings_of(series).first()
    with django_capture_on_commit_callbacks(execute=False):
        services.publish_agenda(meeting=published, by=alice)
        changed = services.change_series(series=series, start_time=time(14), end_time=time(16), by=alice)
    assert published not in changed and changed
    assert {timezone.localtime(m.starts_at).hour for m in changed} == {14}
    published.refresh_from_db()
    assert timezone.localtime(published.starts_at).hour == 10


def test_the_rest_of_a_series_is_cancelled_at_once_and_it_generates_no_more(series, alice):
    count = services.cancel_rest_of_series(series=series, reason="Quarterly from now on", by=alice)
    assert count and not services.future_meetings_of(series).exists()
    assert Meeting.objects.filter(series=series, status=MeetingStatus.CANCELLED).count() == count
    with pytest.raises(ValidationError):
        services.generate_meetings(series=series, by=alice)


def test_deleting_the_rest_of_a_series_is_refused_when_a_meeting_has_business(series, alice):
    services.add_item(meeting=services.future_meetings_of(series).last(), title="Fibre", by=alice)
    with pytest.raises(ValidationError) as error:
        services.delete_rest_of_series(series=series, by=alice)
    assert "cancel the rest of the series instead" in error.value.messages[0]
    assert services.future_meetings_of(series).count() >= 3


# --- Members ---------------------------------------------------------------------------------


def test_a_member_may_propose_only_to_the_bodies_they_sit_on(board, steering_group, carol):
    services.propose_forward_item(body=board, title="Fibre", purpose="decision", by=carol)
    with pytest.raises(ValidationError) as error:
        services.propose_forward_item(body=steering_group, title="Fibre", purpose="decision", by=carol)
    assert "body" in error.value.message_dict


def test_an_absent_members_declaration_is_not_minuted(held_meeting, carol, alice):
    other = UserFactory(name="Olive Other")
    MembershipFactory(body=held_meeting.body, person=other)
    item = services.add_item(meeting=held_meeting, title="Fibre", by=alice)
    services.declare_interest(item=item, person=carol, interest="Carol's interest")
    services.declare_interest(item=item, person=other, interest="Olive's interest")
    services.record_attendance(meeting=held_meeting, present_ids={carol.pk}, deputy_present_ids=set(), by=alice)
    text = pdf_text(documents.render_document(held_meeting, "minutes:members").pdf)
    assert "Carol's interest" in text and "Olive's interest" not in text


def test_the_programme_manager_records_a_declaration_made_orally(held_meeting, carol, alice):
    item = services.add_item(meeting=held_meeting, title="Fibre", by=alice)
    declaration = services.declare_interest(item=item, person=carol, interest="Said at the meeting", recorded_by=alice)
    assert declaration.recorded_by == alice and declaration.history.first().history_user == alice


# --- Scheduling, series and the agenda --------------------------------------------------------------


def test_nth_weekday_finds_the_second_tuesday_and_the_last_friday():
    assert nth_weekday(2026, 12, 1, 2) == date(2026, 12, 8)
    assert nth_weekday(2026, 12, 4, -1) == date(2026, 12, 25)


def test_working_days_skip_weekends():
    assert working_days_before(date(2026, 12, 8), 5) == date(2026, 12, 1)  # Tuesday to the Tuesday before
    assert working_days_before(date(2026, 12, 7), 1) == date(2026, 12, 4)  # Monday to Friday


@pytest.fixture
def monthly_series(board):
    return MeetingSeries.objects.create(
        body=board, ordinal=2, weekday=1, start_time=time(10), end_time=time(12), location="Civic Offices"
    )


def test_a_series_describes_its_rule(monthly_series):
    assert monthly_series.describe() == "Second Tuesday of each month, 10:00–12:00"


def test_generating_a_series_makes_a_year_of_meetings_with_standing_items(monthly_series, alice):
    meetings = services.generate_meetings(series=monthly_series, start=date(2026, 12, 1), months=12, by=alice)
    assert len(meetings) == 12
    first = meetings[0]
    assert first.starts_at == datetime(2026, 12, 8, 10, tzinfo=LONDON)
    assert first.papers_due_at == datetime(2026, 12, 1, 17, tzinfo=LONDON)
    assert [i.standing_kind for i in first.items.order_by("number")] == [
        StandingKind.WELCOME,
        StandingKind.DECLARATIONS,
        StandingKind.MINUTES,
        StandingKind.ACTIONS,
        StandingKind.AOB,
        StandingKind.NEXT_MEETING,
    ]


def test_generating_again_adds_nothing_even_after_a_meeting_moved(monthly_series, alice):
    [first, *_] = services.generate_meetings(series=monthly_series, start=date(2026, 12, 1), months=3, by=alice)
    services.change_meeting(
        meeting=first,
        starts_at=first.starts_at + timedelta(days=1),
        ends_at=first.ends_at + timedelta(days=1),
        by=alice,
    )
    assert services.generate_meetings(series=monthly_series, start=date(2026, 12, 1), months=3, by=alice) == []
    assert Meeting.objects.filter(series=monthly_series).count() == 3


def test_moving_a_meeting_raises_its_calendar_sequence_and_keeps_its_uid(meeting, alice):
    uid = meeting.uid
    services.change_meeting(
        meeting=meeting,
        starts_at=meeting.starts_at + timedelta(hours=1),
        ends_at=meeting.ends_at + timedelta(hours=1),
        by=alice,
    )
    meeting.refresh_from_db()
    assert meeting.uid == uid
    assert meeting.sequence == 1


def test_a_meeting_that_ends_before_it_starts_is_refused(board, alice):
    starts = datetime(2026, 12, 8, 10, tzinfo=LONDON)
    with pytest.raises(ValidationError) as error:
        services.schedule_meeting(body=board, starts_at=starts, ends_at=starts - timedelta(hours=1), by=alice)
    assert error.value.message_dict["ends_at"] == ["A meeting must end after it starts."]
    assert not Meeting.objects.exists()


def test_an_online_meeting_needs_a_joining_link(board, alice):
    starts = datetime(2026, 12, 8, 10, tzinfo=LONDON)
    with pytest.raises(ValidationError) as error:
        services.schedule_meeting(
            body=board, starts_at=starts, ends_at=starts + timedelta(hours=1), mode="online", by=alice
        )
    assert "joining_link" in error.value.message_dict


def test_cancelling_keeps_the_meeting(meeting, alice):
    services.cancel_meeting(meeting=meeting, reason="Not quorate", by=alice)
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.sequence == 1


def test_business_goes_before_any_other_business(meeting, alice):
    item = services.add_item(meeting=meeting, title="Full fibre bid", by=alice)
    titles = [i.title for i in meeting.items.order_by("number")]
    assert titles.index("Full fibre bid") == 4
    assert titles[-2:] == ["Any other business", "Date of next meeting"]
    assert item.number == 5


def test_a_restricted_item_needs_its_reason(meeting, alice):
    with pytest.raises(ValidationError) as error:
        services.add_item(meeting=meeting, title="Bid pricing", visibility="restricted", by=alice)
    assert "restriction_reason" in error.value.message_dict


def test_reordering_renumbers_and_timings_follow(meeting, alice):
    a = services.add_item(meeting=meeting, title="A", duration_minutes=20, by=alice)
    b = services.add_item(meeting=meeting, title="B", duration_minutes=30, by=alice)
    items = list(meeting.items.order_by("number"))
    order = [i.pk for i in items]
    i, j = order.index(a.pk), order.index(b.pk)
    order[i], order[j] = b.pk, a.pk
    services.reorder_items(meeting=meeting, ordered_ids=order, by=alice)
    items = list(meeting.items.order_by("number"))
    assert [i.title for i in items][4:6] == ["B", "A"]
    timed, ends = services.item_timings(meeting, items)
    assert timed[5][1] - timed[4][1] == timedelta(minutes=30)
    assert ends - meeting.starts_at == timedelta(minutes=sum(i.duration_minutes for i in items))


def test_reordering_must_name_every_item_once(meeting, alice):
    with pytest.raises(ValidationError):
        services.reorder_items(meeting=meeting, ordered_ids=[meeting.items.first().pk], by=alice)


def test_a_forward_plan_item_is_accepted_onto_an_agenda(meeting, alice, bob, harlow):
    proposal = services.propose_forward_item(
        body=meeting.body, title="Digital skills", purpose="decision", presenter=bob, organisation=harlow, by=alice
    )
    item = services.accept_forward_item(forward_item=proposal, meeting=meeting, by=alice)
    assert item.presenter == bob and item.purpose == "decision"
    with pytest.raises(ValidationError):
        services.accept_forward_item(forward_item=proposal, meeting=meeting, by=alice)


# --- Attendance, declarations, decisions and minutes ------------------------------------------------


@pytest.fixture
def next_meeting(meeting, alice):
    later = meeting.starts_at + timedelta(days=28)
    return services.schedule_meeting(body=meeting.body, starts_at=later, ends_at=later + timedelta(hours=2), by=alice)


def test_a_member_answers_apologies_and_a_non_member_cannot(meeting, carol, bob):
    attendance = services.respond_to_meeting(meeting=meeting, person=carol, response="apologies")
    assert attendance.response == "apologies"
    with pytest.raises(ValidationError):
        services.respond_to_meeting(meeting=meeting, person=bob, response="attending")


def test_sending_a_deputy_needs_one(meeting, carol):
    with pytest.raises(ValidationError) as error:
        services.respond_to_meeting(meeting=meeting, person=carol, response="deputy")
    assert "deputy" in error.value.message_dict


def test_attendance_cannot_be_recorded_for_someone_who_is_not_a_member(meeting, carol, bob, alice):
    with pytest.raises(ValidationError):
        services.record_attendance(
            meeting=meeting,
            present_ids={carol.pk, bob.pk},
            deputy_present_ids=set(),
            by=alice,
            today=meeting.local_date,
        )
    assert not meeting.attendances.filter(present=True).exists()


def test_quorum_counts_members_present_and_the_sectors_the_rule_names(meeting, carol, alice):
    body = meeting.body
    body.quorum_count, body.quorum_sectors = 2, ["local_government", "health"]
    body.save()
    trust = OrganisationFactory(org_type="acute_trust")
    nurse = UserFactory(organisation=trust)
    MembershipFactory(body=body, person=nurse, organisation=trust, deputy=UserFactory(organisation=trust))
    services.record_attendance(
        meeting=meeting, present_ids={carol.pk}, deputy_present_ids=set(), by=alice, today=meeting.local_date
    )
    result = services.quorum(Meeting.objects.get(pk=meeting.pk))
    assert (result["present"], result["is_quorate"], result["missing_sectors"]) == (1, False, ["Health"])
    services.record_attendance(
        meeting=meeting, present_ids={carol.pk}, deputy_present_ids={nurse.pk}, by=alice, today=meeting.local_date
    )
    result = services.quorum(Meeting.objects.get(pk=meeting.pk))
    assert (result["present"], result["is_quorate"]) == (2, True)


def test_a_member_declares_an_interest_on_an_item(item, carol, bob):
    declaration = services.declare_interest(item=item, person=carol, interest="My employer is a bidder")
    assert declaration.meeting == item.meeting
    with pytest.raises(ValidationError):
        services.declare_interest(item=item, person=bob, interest="x")


def test_decisions_are_numbered_by_body_year_month_and_order(item, alice):
    first = services.record_decision(item=item, text="Agreed to submit the bid", by=alice)
    second = services.record_decision(item=item, text="Agreed Harlow as accountable body", by=alice)
    local = timezone.localtime(item.meeting.starts_at)
    assert first.reference == f"BRD-{local:%Y}-{local.month}-1"
    assert second.reference == f"BRD-{local:%Y}-{local.month}-2"


def test_minutes_are_approved_once_at_a_later_meeting_then_locked(item, next_meeting, alice):
    meeting = item.meeting
    services.save_minute(item=item, text="The Board discussed the bid.", by=alice)
    with pytest.raises(ValidationError):
        services.approve_minutes(meeting=meeting, at_meeting=meeting, by=alice)
    services.approve_minutes(meeting=meeting, at_meeting=next_meeting, by=alice, today=next_meeting.local_date)
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.APPROVED
    with pytest.raises(ValidationError) as error:
        services.approve_minutes(meeting=meeting, at_meeting=next_meeting, by=alice, today=next_meeting.local_date)
    assert "already approved" in error.value.messages[0]
    with pytest.raises(ValidationError):
        services.save_minute(item=item, text="Rewritten", by=alice)
    assert meeting.items.get(pk=item.pk).minute.text == "The Board discussed the bid."
    erratum = services.record_erratum(meeting=meeting, text="Item 5: 'two' should read 'three'.", by=alice)
    assert erratum in meeting.errata.all()


def test_minutes_with_nothing_written_cannot_be_approved(meeting, next_meeting, alice):
    with pytest.raises(ValidationError) as error:
        services.approve_minutes(meeting=meeting, at_meeting=next_meeting, by=alice, today=next_meeting.local_date)
    assert "no draft minutes" in error.value.messages[0]


def test_observers_attend_but_do_not_count_towards_the_quorum(meeting, carol, alice):
    body = meeting.body
    body.quorum_count, body.quorum_sectors = 2, []
    body.save()
    observer = UserFactory()
    MembershipFactory(body=body, person=observer, role="observer")
    services.record_attendance(
        meeting=meeting,
        present_ids={carol.pk, observer.pk},
        deputy_present_ids=set(),
        by=alice,
        today=meeting.local_date,
    )
    result = services.quorum(Meeting.objects.get(pk=meeting.pk))
    assert (result["present"], result["is_quorate"]) == (1, False)


def test_draft_minutes_cannot_be_circulated_before_anything_is_written(meeting, alice):
    with pytest.raises(ValidationError):
        services.circulate_draft_minutes(meeting=meeting, by=alice)


def test_open_actions_appear_under_the_next_agenda_action_log_but_not_restricted_ones_for_the_public(
    meeting, next_meeting, alice, carol, client, django_capture_on_commit_callbacks
):
    public_item = services.add_item(meeting=meeting, title="Inclusion", by=alice)
    secret_item = services.add_item(
        meeting=meeting, title="Pricing", visibility="restricted", restriction_reason="Commercial", by=alice
    )
    services.record_action(
        item=public_item, description="Circulate the survey", owner=carol, due_on=date(2099, 1, 1), by=alice
    )
    services.record_action(
        item=secret_item, description="Renegotiate the price", owner=carol, due_on=date(2099, 1, 1), by=alice
    )
    # Actions are public once the minutes that recorded them are approved (tests/meetings/test_documents.py
    # has the case where they are not yet).
    with django_capture_on_commit_callbacks(execute=False):
        services.approve_minutes(meeting=meeting, at_meeting=next_meeting, by=alice, today=next_meeting.local_date)
    with django_capture_on_commit_callbacks(execute=True):
        published = services.publish_agenda(meeting=next_meeting, by=alice)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Circulate the survey" in page and "Renegotiate the price" not in page
    from pypdf import PdfReader

    from meetings import documents

    docs = {d.kind: d for d in documents.documents_for(published)}
    public_pack = "".join(p.extract_text() for p in PdfReader(docs["pack:public"].file.path).pages)
    members_pack = "".join(p.extract_text() for p in PdfReader(docs["pack:members"].file.path).pages)
    assert "Circulate the survey" in public_pack and "Renegotiate the price" not in public_pack
    assert "Renegotiate the price" in members_pack


def test_circulating_draft_minutes_emails_each_member_once(item, carol, alice, django_capture_on_commit_callbacks):
    services.save_minute(item=item, text="Discussed.", by=alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.circulate_draft_minutes(meeting=item.meeting, by=alice)
    to_carol = [m for m in mail.outbox if m.to == ["carol@example.org"] and "Draft minutes" in m.subject]
    assert len(to_carol) == 1
    assert "because you sit on the Board" in to_carol[0].body
    from meetings import documents

    members_minutes = documents.documents_for(item.meeting).get(kind="minutes:members")
    documents.build(document_id=members_minutes.pk)
    assert len([m for m in mail.outbox if m.to == ["carol@example.org"] and "Draft minutes" in m.subject]) == 1


# --- Papers: uploads checked by content, versions, lateness -----------------------------------------


@pytest.fixture
def presented_item(meeting, alice, bob, harlow):
    return services.add_item(
        meeting=meeting, title="Full fibre bid", presenter=bob, presenter_organisation=harlow, by=alice
    )


def test_a_pdf_paper_is_stored_with_its_cover_sheet(presented_item, bob):
    paper = services.add_paper(
        item=presented_item, title="LFFN bid", purpose="To agree the bid", upload=pdf_upload(pages=3), by=bob
    )
    version = paper.versions.get()
    assert (version.extension, version.page_count, version.problem) == ("pdf", 3, "")
    assert not version.is_late


def test_word_documents_are_accepted(presented_item, bob):
    paper = services.add_paper(
        item=presented_item, title="Notes", purpose="For information", upload=docx_upload(), by=bob
    )
    assert paper.versions.get().extension == "docx"


def test_an_executable_renamed_pdf_is_refused_and_nothing_is_written(presented_item, bob):
    with pytest.raises(ValidationError) as error:
        services.add_paper(item=presented_item, title="Bad", purpose="x", upload=exe_upload(), by=bob)
    assert "its content is EXE" in error.value.messages[0]
    assert not Paper.objects.exists() and not PaperVersion.objects.exists()


def test_a_file_whose_name_does_not_match_its_content_is_refused(presented_item, bob):
    with pytest.raises(ValidationError) as error:
        services.add_paper(item=presented_item, title="Odd", purpose="x", upload=pdf_upload(name="paper.docx"), by=bob)
    assert "its content is a PDF file" in error.value.messages[0]


def test_a_paper_over_the_size_limit_is_refused(presented_item, bob, settings):
    settings.PAPER_MAX_BYTES = 1_000_000
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * 1_100_000)
    with pytest.raises(ValidationError) as error:
        services.add_paper(item=presented_item, title="Big", purpose="x", upload=big, by=bob)
    assert "at most 1 MB" in error.value.messages[0]


def test_a_type_not_allowed_is_refused(presented_item, bob):
    png = SimpleUploadedFile("chart.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(ValidationError) as error:
        services.add_paper(item=presented_item, title="Chart", purpose="x", upload=png, by=bob)
    assert "must be a PDF, Word, OpenDocument, Excel or PowerPoint document" in error.value.messages[0]


def test_replacing_a_paper_keeps_the_earlier_version(presented_item, bob):
    paper = services.add_paper(item=presented_item, title="LFFN bid", purpose="x", upload=pdf_upload(), by=bob)
    services.replace_paper(paper=paper, upload=pdf_upload(pages=2), by=bob)
    assert list(paper.versions.order_by("number").values_list("number", "page_count")) == [(1, 1), (2, 2)]


def test_a_paper_after_the_deadline_is_marked_late(presented_item, bob):
    Meeting.objects.filter(pk=presented_item.meeting_id).update(papers_due_at=timezone.now() - timedelta(hours=1))
    presented_item.meeting.refresh_from_db()
    paper = services.add_paper(item=presented_item, title="LFFN bid", purpose="x", upload=pdf_upload(), by=bob)
    assert paper.versions.get().is_late


def test_an_encrypted_pdf_is_accepted_but_flagged(presented_item, bob):
    import io

    from pypdf import PdfReader, PdfWriter

    from tests.meetings.conftest import make_pdf

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(make_pdf())).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    paper = services.add_paper(
        item=presented_item,
        title="Locked",
        purpose="x",
        upload=SimpleUploadedFile("locked.pdf", out.getvalue()),
        by=bob,
    )
    assert "password" in paper.versions.get().problem

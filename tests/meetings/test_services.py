"""meetings/services.py: the use-cases a clerk runs, and the rules they keep. The first tests are
the eight things a democratic services officer found wrong (issue 7), each of which failed before
its fix."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from diz_portal.models import SentEmail
from meetings import documents, notices, services
from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingChange,
    MeetingSeries,
    MeetingStatus,
    Supplement,
)
from tests.factories import MembershipFactory, UserFactory
from tests.meetings.conftest import a_meeting, pdf_text, pdf_upload

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

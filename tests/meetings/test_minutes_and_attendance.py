from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from diz_portal.models import SentEmail
from meetings import reminders, services
from meetings.models import Action, Meeting, MinutesStatus
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def next_meeting(meeting, alice):
    later = meeting.starts_at + timedelta(days=28)
    return services.schedule_meeting(body=meeting.body, starts_at=later, ends_at=later + timedelta(hours=2), by=alice)


@pytest.fixture
def item(meeting, alice):
    return services.add_item(meeting=meeting, title="Full fibre bid", by=alice)


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


def test_overdue_action_owners_get_one_chaser_a_week(item, carol, alice):
    services.record_action(item=item, description="Circulate the bid", owner=carol, due_on=date(2026, 1, 5), by=alice)
    services.record_action(item=item, description="Not yet due", owner=carol, due_on=date(2099, 1, 1), by=alice)
    monday = date(2026, 11, 23)
    assert reminders.send_action_chasers(today=monday) == 1
    assert reminders.send_action_chasers(today=monday + timedelta(days=1)) == 0
    assert reminders.send_action_chasers(today=monday + timedelta(days=7)) == 1
    body = mail.outbox[0].body
    assert "Circulate the bid" in body and "Not yet due" not in body
    assert "because you own overdue actions" in body


def test_a_completed_action_is_no_longer_chased(item, carol, alice):
    action = services.record_action(item=item, description="Circulate", owner=carol, due_on=date(2026, 1, 5), by=alice)
    services.complete_action(action=action, update="Sent", by=carol)
    assert Action.objects.overdue(date(2026, 11, 23)).count() == 0


def test_presenters_without_a_paper_are_reminded_once_before_the_deadline(meeting, alice, bob, harlow):
    services.add_item(meeting=meeting, title="Inclusion", presenter=bob, presenter_organisation=harlow, by=alice)
    just_before = meeting.papers_due_at - timedelta(days=1)
    assert reminders.send_paper_reminders(now=just_before) == 1
    assert reminders.send_paper_reminders(now=just_before + timedelta(hours=1)) == 0
    assert SentEmail.objects.filter(to="bob@example.org").count() == 1
    assert "because you are the named presenter" in mail.outbox[0].body
    assert reminders.send_paper_reminders(now=meeting.papers_due_at - timedelta(days=10)) == 0  # too early


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

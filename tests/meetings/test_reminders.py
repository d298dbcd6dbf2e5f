"""meetings/reminders.py: chasers for overdue actions and reminders to presenters, each sent once."""

from datetime import date, timedelta

from django.core import mail

from diz_portal.models import SentEmail
from meetings import reminders, services
from meetings.models import Action


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

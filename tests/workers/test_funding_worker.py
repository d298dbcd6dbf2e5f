"""Funding's deadline reminders from a real Celery worker (as beat sends them): each goes once,
however often the task runs."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from funding import services
from funding.models import Funder, GoDecision, Opportunity
from funding.tasks import send_deadline_reminders
from tests.workers.conftest import wait_for

pytestmark = pytest.mark.services


def test_the_worker_sends_each_deadline_reminder_once(worker, alice, bob, harlow):
    funder = Funder.objects.create(name="Department for Education", funder_type="central_government")
    opportunity = Opportunity.objects.create(funder=funder, programme="Skills Bootcamps")
    services.decide_opportunity(opportunity=opportunity, decision=GoDecision.GO, reason="Skills", by=alice)
    today = timezone.localdate()
    services.create_bid(
        title="Digital skills bootcamps",
        opportunity=opportunity,
        accountable_body=harlow,
        lead_officer=bob,
        amount_requested=Decimal("600000.00"),
        internal_deadline=today + timedelta(days=2),
        funder_deadline=today + timedelta(days=6),
        by=alice,
    )
    # Two deadlines, each to the lead officer (Bob) and the programme manager (Alice).
    assert send_deadline_reminders.delay().get(timeout=60) == 4
    assert send_deadline_reminders.delay().get(timeout=60) == 0
    assert wait_for(lambda: sum("To: bob@example.org" in e for e in worker.emails()) == 2)
    to_bob = [e for e in worker.emails() if "To: bob@example.org" in e]
    assert any("internal deadline" in e for e in to_bob) and any("funder's deadline" in e for e in to_bob)

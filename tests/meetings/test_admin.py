"""The Django admin meets the same rules as the pages: approved minutes are locked there too."""

from datetime import date

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Action, Decision
from tests.conftest import sign_in
from tests.meetings.conftest import a_meeting


@pytest.fixture
def approved(board, alice, carol):
    """Last month's minutes, with a decision and an action, approved at today's meeting."""
    meeting = a_meeting(board, alice, days=-28)
    item = services.add_item(meeting=meeting, title="Fibre", by=alice)
    decision = services.record_decision(item=item, text="Agreed the bid", by=alice)
    action = services.record_action(item=item, description="Send it", owner=carol, due_on=date(2099, 1, 1), by=alice)
    services.approve_minutes(meeting=meeting, at_meeting=a_meeting(board, alice, days=0), by=alice)
    return decision, action


def test_a_decision_in_approved_minutes_cannot_be_changed_or_deleted_in_the_admin(client, approved, alice):
    decision, _action = approved
    alice.is_superuser = True  # every admin permission: only the lock stands in the way
    alice.save(update_fields=["is_superuser"])
    sign_in(client, alice)
    url = reverse("admin:meetings_decision_change", args=[decision.pk])
    response = client.post(
        url,
        {
            "meeting": decision.meeting_id,
            "item": decision.item_id,
            "reference": decision.reference,
            "text": "Rewritten",
            "created_at_0": "2026-01-01",
            "created_at_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert "These minutes are approved and locked" in response.content.decode()
    assert Decision.objects.get(pk=decision.pk).text == "Agreed the bid"
    assert (
        client.post(reverse("admin:meetings_decision_delete", args=[decision.pk]), {"post": "yes"}).status_code == 403
    )
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_an_approved_action_can_still_be_completed_but_not_rewritten(approved, carol):
    _decision, action = approved
    action.status = "done"
    action.full_clean()  # progress is not what the minutes recorded
    action.description = "Something else"
    with pytest.raises(Exception, match="locked"):
        action.full_clean()
    services.complete_action(action=Action.objects.get(pk=action.pk), update="Sent", by=carol)
    assert Action.objects.get(pk=action.pk).status == "done"

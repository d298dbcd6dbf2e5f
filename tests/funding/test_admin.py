"""The Django admin meets the funding rules, because they live in the models: an accountable body
that cannot act as one and a move between stages that is not allowed are refused there too."""

import pytest
from django.urls import reverse

from funding.models import Bid, Stage
from tests.conftest import sign_in


@pytest.fixture
def admin_client(client, alice):
    alice.is_superuser = True  # every admin permission: only the funding rules stand in the way
    alice.save(update_fields=["is_superuser"])
    return sign_in(client, alice)


def bid_form(bid, **changes) -> dict:
    data = {
        "title": bid.title,
        "opportunity": bid.opportunity_id,
        "summary": bid.summary,
        "lead_officer": bid.lead_officer_id or "",
        "accountable_body": bid.accountable_body_id or "",
        "finance_officer": bid.finance_officer,
        "finance_signed_off_on": "",
        "amount_requested": bid.amount_requested or "",
        "total_cost": bid.total_cost or "",
        "internal_deadline": bid.internal_deadline or "",
        "funder_deadline": bid.funder_deadline or "",
        "stage": bid.stage,
        "outcome_feedback": "",
        "created_at_0": bid.created_at.date().isoformat(),
        "created_at_1": "10:00:00",
        "contributions-TOTAL_FORMS": "0",
        "contributions-INITIAL_FORMS": "0",
        "contributions-MIN_NUM_FORMS": "0",
        "contributions-MAX_NUM_FORMS": "1000",
    }
    return data | changes


def test_the_admin_refuses_an_accountable_body_that_is_not_a_legal_entity(admin_client, bid, forum):
    url = reverse("admin:funding_bid_change", args=[bid.pk])
    response = admin_client.post(url, bid_form(bid, accountable_body=forum.pk))
    assert response.status_code == 200
    assert "not a legal entity" in response.content.decode()
    assert Bid.objects.get(pk=bid.pk).accountable_body != forum


def test_the_admin_refuses_a_move_that_is_not_allowed(admin_client, bid):
    url = reverse("admin:funding_bid_change", args=[bid.pk])
    response = admin_client.post(url, bid_form(bid, stage=Stage.SUCCESSFUL))
    assert response.status_code == 200
    assert "cannot move from" in response.content.decode()
    assert Bid.objects.get(pk=bid.pk).stage == Stage.IDEA


def test_the_admin_saves_an_allowed_change_with_its_history(admin_client, bid, alice):
    url = reverse("admin:funding_bid_change", args=[bid.pk])
    response = admin_client.post(url, bid_form(bid, stage=Stage.GO_NO_GO))
    assert response.status_code == 302
    assert Bid.objects.get(pk=bid.pk).stage == Stage.GO_NO_GO
    assert bid.history.first().history_user == alice

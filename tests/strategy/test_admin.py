"""The strategy's records open in the Django admin for the programme manager, with their history."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.conftest import sign_in


@pytest.mark.parametrize(
    "model_name",
    [m._meta.model_name for m in admin.site._registry if m._meta.app_label == "strategy"],
)
def test_every_strategy_model_lists_in_the_admin(client, alice, routes, project, model_name):
    sign_in(client, alice)
    assert client.get(reverse(f"admin:strategy_{model_name}_changelist")).status_code == 200


def test_an_endorsements_history_shows_in_the_admin(client, alice, routes):
    sign_in(client, alice)
    row = routes["harlow"]
    response = client.get(reverse("admin:strategy_endorsement_history", args=[row.pk]))
    assert response.status_code == 200 and "Alice Able" in response.content.decode()

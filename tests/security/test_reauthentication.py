"""Issue 6, point 3: every change that grants access, and changing an email address, asks for the
password again (allauth's re-authentication) first; nothing is written until it is given."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from partners import services
from partners.models import Invitation, Membership
from tests.conftest import sign_in
from tests.factories import UserFactory


@pytest.fixture
def seat(carol, board):
    return carol.memberships.get(body=board)


def changes(world):
    """(what, url, POST data, whether nothing changed) for each change that grants access."""
    seat, bob, board, harlow = world["seat"], world["bob"], world["board"], world["harlow"]
    return [
        (
            "a seat",
            reverse("manage:membership_create", kwargs={"slug": board.slug}),
            {"person": bob.pk, "organisation": harlow.pk, "role": "member", "started_on": "2026-01-01"},
            lambda: not Membership.objects.filter(person=bob).exists(),
        ),
        (
            "a deputy",
            reverse("manage:membership_edit", kwargs={"pk": seat.pk}),
            {
                "person": seat.person_id,
                "organisation": seat.organisation_id,
                "role": seat.role,
                "deputy": bob.pk,
                "started_on": seat.started_on.isoformat(),
            },
            lambda: Membership.objects.get(pk=seat.pk).deputy_id is None,
        ),
        (
            "a new representative",
            reverse("manage:membership_replace", kwargs={"pk": seat.pk}),
            {"person": bob.pk, "on": "2026-12-01"},
            lambda: Membership.objects.get(pk=seat.pk).ended_on is None,
        ),
        (
            "a fresh invitation",
            reverse("manage:person_resend_invitation", kwargs={"pk": world["invitation"].user_id}),
            {},
            lambda: Invitation.objects.filter(user_id=world["invitation"].user_id).count() == 1,
        ),
        (
            "a restored partner",
            reverse("manage:organisation_restore", kwargs={"slug": world["archived"].slug}),
            {},
            lambda: type(world["archived"]).objects.get(pk=world["archived"].pk).is_archived,
        ),
    ]


@pytest.fixture
def grant_world(alice, bob, seat, board, harlow, broxbourne):
    invitation = services.invite_person(email="erin@example.org", name="Erin Ellis", organisation=harlow, by=alice)
    archived = UserFactory().organisation
    services.archive_organisation(organisation=archived, by=alice)
    return {"seat": seat, "bob": bob, "board": board, "harlow": harlow, "invitation": invitation, "archived": archived}


@pytest.mark.parametrize("index", range(5))
def test_a_change_that_grants_access_asks_for_the_password_first(client, alice, grant_world, index):
    what, url, data, unchanged = changes(grant_world)[index]
    sign_in(client, alice, reauthenticated=False)
    response = client.post(url, data)
    assert response.status_code == 302, what
    assert response["Location"].startswith(reverse("account_reauthenticate")), what
    assert unchanged(), what
    # Re-authenticated, the same request goes through.
    sign_in(client, alice)
    client.post(url, data)
    assert not unchanged(), what


def test_adding_an_email_address_to_ones_own_account_asks_for_the_password_first(client, bob):
    sign_in(client, bob, reauthenticated=False)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "bob.elsewhere@example.org"})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="bob.elsewhere@example.org").exists()

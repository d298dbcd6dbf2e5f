import time
from datetime import date
from urllib.parse import urlparse

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from partners.models import Membership, Organisation, User
from tests.conftest import ALICE_TOTP_SECRET, sign_in
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.support.forms import field_error

VALID_ORGANISATION = {
    "name": "Stansted Digital Ltd",
    "short_name": "SDL",
    "slug": "stansted-digital",
    "org_type": "business",
    "county": "essex",
    "org_id": "GB-COH-12345678",
    "is_legal_entity": "on",
    "website": "https://stansted-digital.example.org",
    "membership_status": "active",
    "joined_on": "2024-01-01",
    "left_on": "",
    "description": "A <b>local</b> firm",
    "population": "",
    "businesses": "",
}


@pytest.fixture
def pm_client(client, alice):
    return sign_in(client, alice)


# --- Organisations ---------------------------------------------------------------------------


def test_the_programme_manager_adds_an_organisation_and_it_appears_in_the_directory(pm_client, alice):
    response = pm_client.post(reverse("manage:organisation_create"), VALID_ORGANISATION)
    assert response.status_code == 302
    organisation = Organisation.objects.get(slug="stansted-digital")
    assert organisation.sector == "private"
    assert organisation.history.first().history_user == alice
    directory = pm_client.get(reverse("partners:directory")).content.decode()
    assert "Stansted Digital Ltd" in directory


@pytest.mark.parametrize(
    ("org_id", "message"),
    [("GB-LAE-1", "GB-LAE identifiers are three or four capital letters"), ("GB-XYZ-1", "known list prefix")],
)
def test_a_malformed_org_id_is_explained_beside_the_field_and_nothing_is_saved(pm_client, org_id, message):
    response = pm_client.post(reverse("manage:organisation_create"), VALID_ORGANISATION | {"org_id": org_id})
    assert response.status_code == 200
    assert message in field_error(response, "org_id")
    html = response.content.decode()
    assert 'value="Stansted Digital Ltd"' in html  # what was typed is kept
    assert f'value="{org_id}"' in html
    assert not Organisation.objects.filter(slug="stansted-digital").exists()


def test_a_duplicate_org_id_is_refused_beside_the_field(pm_client, harlow):
    response = pm_client.post(reverse("manage:organisation_create"), VALID_ORGANISATION | {"org_id": harlow.org_id})
    assert "Another partner already has this org-id identifier." in field_error(response, "org_id")
    assert Organisation.objects.count() == 1  # harlow only (alice's employer)


def test_a_former_partner_leaving_before_it_joined_is_refused(pm_client):
    data = VALID_ORGANISATION | {"membership_status": "former", "joined_on": "2024-01-01", "left_on": "2023-01-01"}
    response = pm_client.post(reverse("manage:organisation_create"), data)
    assert "on or after the date it joined" in field_error(response, "left_on")
    assert not Organisation.objects.filter(slug="stansted-digital").exists()


def test_what_a_user_types_is_escaped_on_public_pages(pm_client):
    pm_client.post(reverse("manage:organisation_create"), VALID_ORGANISATION)
    html = pm_client.get(reverse("partners:organisation", kwargs={"slug": "stansted-digital"})).content.decode()
    assert "A &lt;b&gt;local&lt;/b&gt; firm" in html
    assert "<b>local</b>" not in html


def test_archiving_asks_for_confirmation_then_removes_the_partner_from_the_directory(pm_client, broxbourne, carol):
    url = reverse("manage:organisation_archive", kwargs={"slug": broxbourne.slug})
    confirm = pm_client.get(url).content.decode()
    assert "Archive Broxbourne Borough Council?" in confirm
    assert "Carol Clark" in confirm  # the seats that will end are listed
    pm_client.post(url)
    broxbourne.refresh_from_db()
    assert broxbourne.is_archived
    assert pm_client.get(reverse("partners:organisation", kwargs={"slug": broxbourne.slug})).status_code == 200
    anonymous = pm_client.__class__()
    assert anonymous.get(reverse("partners:organisation", kwargs={"slug": broxbourne.slug})).status_code == 404


def test_archiving_needs_a_fresh_reauthentication(client, alice, broxbourne):
    sign_in(client, alice, reauthenticated=False)
    response = client.post(reverse("manage:organisation_archive", kwargs={"slug": broxbourne.slug}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    broxbourne.refresh_from_db()
    assert not broxbourne.is_archived


def test_the_history_page_shows_who_changed_what(pm_client, harlow):
    data = VALID_ORGANISATION | {"name": "Harlow Council", "slug": harlow.slug, "org_id": harlow.org_id}
    pm_client.post(reverse("manage:organisation_edit", kwargs={"slug": harlow.slug}), data)
    html = pm_client.get(reverse("manage:organisation_history", kwargs={"slug": harlow.slug})).content.decode()
    assert "Alice Able" in html
    assert "Harlow District Council" in html and "Harlow Council" in html


# --- Invitations -----------------------------------------------------------------------------


def test_inviting_an_existing_account_is_refused_beside_the_email_field(pm_client, bob, mailoutbox):
    response = pm_client.post(reverse("manage:person_invite"), {"name": "Bob", "email": "bob@example.org"})
    assert "An account with this email address already exists." in field_error(response, "email")
    assert 'value="Bob"' in response.content.decode()
    assert User.objects.filter(email="bob@example.org").count() == 1
    assert mailoutbox == []


def test_an_invitee_sets_a_password_and_is_sent_to_sign_in(
    pm_client, harlow, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pm_client.post(
            reverse("manage:person_invite"),
            {"name": "Erin Ellis", "email": "erin@example.org", "organisation": harlow.pk},
        )
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/invitation/" in line)
    path = urlparse(link.strip()).path
    pm_client.logout()
    page = pm_client.get(path)
    assert page.status_code == 200
    weak = pm_client.post(path, {"password1": "short", "password2": "short"})
    assert "too short" in field_error(weak, "password1")
    response = pm_client.post(path, {"password1": "erin-strong-password", "password2": "erin-strong-password"})
    assert response["Location"] == reverse("account_login")  # signing in is allauth's (and its second factor's)
    assert pm_client.get(reverse("partners:dashboard")).status_code == 302
    assert pm_client.get(path).status_code == 404  # the link works once
    signed_in = pm_client.post(
        reverse("account_login"), {"login": "erin@example.org", "password": "erin-strong-password"}
    )
    assert signed_in["Location"] == reverse("partners:dashboard")


def test_public_sign_up_is_closed(client, db):
    response = client.post(
        reverse("account_signup"), {"email": "mallory@example.org", "password1": "x" * 12, "password2": "x" * 12}
    )
    assert "Accounts are by invitation" in response.content.decode()
    assert not User.objects.filter(email="mallory@example.org").exists()


# --- Seats -----------------------------------------------------------------------------------


def test_a_membership_ending_before_it_starts_is_refused_beside_the_field(pm_client, board, bob, harlow):
    data = {
        "person": bob.pk,
        "organisation": harlow.pk,
        "role": "member",
        "started_on": "2025-05-01",
        "ended_on": "2025-04-01",
    }
    response = pm_client.post(reverse("manage:membership_create", kwargs={"slug": board.slug}), data)
    assert "cannot end before it starts" in field_error(response, "ended_on")
    assert 'value="2025-05-01"' in response.content.decode()
    assert not Membership.objects.filter(person=bob).exists()


def test_a_second_chair_is_refused_beside_the_role_field(pm_client, board, bob, harlow):
    MembershipFactory(body=board, role="chair")
    data = {"person": bob.pk, "organisation": harlow.pk, "role": "chair", "started_on": "2025-05-01"}
    response = pm_client.post(reverse("manage:membership_create", kwargs={"slug": board.slug}), data)
    assert "already has a chair" in field_error(response, "role")
    assert not Membership.objects.filter(person=bob).exists()


def test_the_programme_manager_seats_someone_and_the_public_body_page_shows_them(pm_client, board, bob, harlow):
    data = {
        "person": bob.pk,
        "organisation": harlow.pk,
        "role": "vice_chair",
        "role_note": "Essex",
        "started_on": "2025-05-01",
    }
    pm_client.post(reverse("manage:membership_create", kwargs={"slug": board.slug}), data)
    html = pm_client.__class__().get(reverse("partners:body", kwargs={"slug": board.slug})).content.decode()
    assert "Bob Baker" in html and "Vice-chair (Essex)" in html


def test_ending_a_membership_before_it_started_is_refused(pm_client, carol, board):
    seat = carol.memberships.get(body=board)
    response = pm_client.post(reverse("manage:membership_end", kwargs={"pk": seat.pk}), {"ended_on": "2000-01-01"})
    assert "cannot end before it starts" in field_error(response, "ended_on")
    seat.refresh_from_db()
    assert seat.ended_on is None


def test_changing_the_representative_through_the_page(pm_client, carol, board, broxbourne):
    seat = carol.memberships.get(body=board)
    newcomer = UserFactory(name="Nina New", organisation=broxbourne)
    response = pm_client.post(
        reverse("manage:membership_replace", kwargs={"pk": seat.pk}),
        {"person": newcomer.pk, "on": date.today().isoformat()},
    )
    assert response.status_code == 302
    assert Membership.objects.current().get(body=board, organisation=broxbourne).person == newcomer


# --- Who may do what -------------------------------------------------------------------------


def test_a_member_editing_an_organisation_gets_404_and_nothing_changes(client, carol, harlow):
    sign_in(client, carol)
    response = client.post(reverse("manage:organisation_edit", kwargs={"slug": harlow.slug}), VALID_ORGANISATION)
    assert response.status_code == 404
    harlow.refresh_from_db()
    assert harlow.name == "Harlow District Council"


def test_a_programme_manager_without_a_second_factor_is_sent_to_set_one_up(client, alice):
    Authenticator.objects.filter(user=alice).delete()
    sign_in(client, alice)
    for url in (reverse("manage:index"), reverse("admin:index")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("partners:dashboard")).status_code == 200


def test_signing_in_as_the_programme_manager_asks_for_the_code(client, alice):
    response = client.post(reverse("account_login"), {"login": "alice@example.org", "password": "a-long-test-password"})
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("manage:index")).status_code == 302  # not signed in yet
    code = format_hotp_value(hotp_value(ALICE_TOTP_SECRET, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:index")  # her day starts from what needs her
    assert client.get(reverse("manage:index")).status_code == 200


def test_a_member_signs_in_with_a_password_alone(client, carol):
    response = client.post(reverse("account_login"), {"login": "carol@example.org", "password": "a-long-test-password"})
    assert response["Location"] == reverse("partners:dashboard")
    assert "Board" in client.get(reverse("partners:dashboard")).content.decode()


def test_the_directory_filters_by_sector_and_county(client, harlow):
    OrganisationFactory(name="Princess Alexandra Hospital", org_type="acute_trust", county="essex")
    OrganisationFactory(name="Hertford Regional College", org_type="fe_college", county="hertfordshire")
    health = client.get(reverse("partners:directory"), {"sector": "health"}).content.decode()
    assert "Princess Alexandra Hospital" in health and "Harlow District Council" not in health
    herts = client.get(reverse("partners:directory"), {"county": "hertfordshire"}).content.decode()
    assert "Hertford Regional College" in herts and "Princess Alexandra Hospital" not in herts
    nonsense = client.get(reverse("partners:directory"), {"sector": "nonsense"})
    assert nonsense.status_code == 200

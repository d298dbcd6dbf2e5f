"""Issue 6, points 1 and 2: no way round the second factor.

A programme manager's powers and audience come from one rule (`partners.permissions.
is_programme_manager`): the role *and* a second factor used in this session. Until then they are a
partner officer like any other, on every page, feed, download and pack."""

import re
import time
from urllib.parse import urlparse

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from meetings.models import CalendarToken
from meetings.permissions import audience_for, may_read_paper
from partners import services
from partners.models import User
from partners.permissions import PROGRAMME_MANAGER_GROUP, is_programme_manager
from tests.conftest import ALICE_TOTP_SECRET, sign_in
from tests.factories import UserFactory
from tests.support.matrix import REDIRECT
from tests.test_permission_matrix import ADMIN_SAMPLE, MATRIX, outcome_of

ERIN_TOTP_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"


def code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def erin_invited(alice, harlow, mailoutbox, django_capture_on_commit_callbacks):
    """Erin is invited, and (say, before she used the link) given the programme manager's role;
    she sets her password through "forgot your password" and sets up an authenticator."""
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_person(email="erin@example.org", name="Erin Ellis", organisation=harlow, by=alice)
    erin = invitation.user
    erin.groups.add(Group.objects.get(name=PROGRAMME_MANAGER_GROUP))
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/invitation/" in line)
    return erin, urlparse(link.strip()).path


def reset_password_by_email(client, mailoutbox, email, password):
    mailoutbox.clear()
    client.post(reverse("account_reset_password"), {"email": email})
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", mailoutbox[0].body).group(0)
    form = client.get(urlparse(link).path, follow=True)
    client.post(form.redirect_chain[-1][0], {"password1": password, "password2": password})


# --- 1. Invitations --------------------------------------------------------------------------


def test_an_old_invitation_link_stops_working_once_the_password_is_set_another_way(client, erin_invited, mailoutbox):
    erin, link = erin_invited
    reset_password_by_email(client, mailoutbox, erin.email, "erins-own-strong-password")
    erin.refresh_from_db()
    assert erin.check_password("erins-own-strong-password")
    TOTP.activate(erin, ERIN_TOTP_SECRET)

    assert erin.invitations.get().revoked_at is not None  # closed when the password was set
    response = client.post(link, {"password1": "attackers-password-1", "password2": "attackers-password-1"})
    assert response.status_code == 404
    erin.refresh_from_db()
    assert erin.check_password("erins-own-strong-password")
    assert client.get(reverse("manage:index")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_accepting_an_invitation_never_signs_in_past_the_second_factor(client, erin_invited):
    erin, link = erin_invited
    TOTP.activate(erin, ERIN_TOTP_SECRET)  # e.g. an account recreated for someone who had one
    response = client.post(link, {"password1": "erins-new-password-1", "password2": "erins-new-password-1"})
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("manage:index"))["Location"].startswith(reverse("account_login"))
    # Signing in asks for the code, as for anyone with an authenticator.
    response = client.post(reverse("account_login"), {"login": erin.email, "password": "erins-new-password-1"})
    assert response["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": code(ERIN_TOTP_SECRET)})
    assert client.get(reverse("manage:index")).status_code == 200


def test_setting_a_password_any_way_closes_open_invitations(erin_invited):
    erin, _ = erin_invited
    erin.set_password("set-by-a-command-1")
    erin.save()
    assert erin.invitations.get().revoked_at is not None


# --- 1. The manager gate: the code must be used in this session ------------------------------


def test_a_session_that_did_not_use_the_code_is_asked_for_it_before_managing(client, alice):
    sign_in(client, alice, code=False)
    for url in (reverse("manage:index"), reverse("manage_meetings:dashboard"), reverse("admin:index")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next={url.replace('/', '%2F')}"
    response = client.post(f"{reverse('mfa_reauthenticate')}?next=/manage/", {"code": code(ALICE_TOTP_SECRET)})
    assert response["Location"] == "/manage/"
    assert client.get(reverse("manage:index")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db(transaction=True)  # allauth tells of a new authenticator on commit, as in production
def test_setting_up_an_authenticator_counts_as_using_it(client, alice):
    Authenticator.objects.filter(user=alice).delete()
    sign_in(client, alice)
    assert client.get(reverse("manage:index"))["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("manage:index")).status_code == 200


# --- 2. One rule: without the code, a partner officer's audience everywhere -------------------


@pytest.fixture
def outsider_world(world, broxbourne):
    """Alice and Frank both work for Broxbourne (which presents nothing here) and sit on no body:
    Frank is a partner officer and nothing more."""
    alice = world["users"]["pm"]
    alice.organisation = broxbourne
    alice.save(update_fields=["organisation"])
    return world | {"frank": UserFactory(name="Frank Fox", organisation=broxbourne)}


def test_without_the_code_a_programme_manager_answers_as_a_partner_officer_on_every_url(outsider_world):
    world = outsider_world
    alice, frank = Client(), Client()
    sign_in(alice, world["users"]["pm"], code=False)
    sign_in(frank, world["frank"])
    wrong = []
    for name, (kwargs, _expected) in MATRIX.items():
        url = reverse(name, kwargs=kwargs(world) if kwargs else None)
        if name.startswith("mfa_") or name in ("account_logout",):
            continue  # about having an authenticator (she has one, Frank none), not about access
        expected = REDIRECT if url.startswith("/manage/") else outcome_of(frank.get(url))
        response = alice.get(url)
        if expected == 404 and response.get("Location", "").startswith(reverse("mfa_reauthenticate")):
            continue  # a programme manager's page elsewhere asks for the code: nothing shown either
        if (actual := outcome_of(response)) != expected:
            wrong.append(f"{name} ({url}): expected {expected} (as Frank), got {actual}")
    for name in ADMIN_SAMPLE:
        if (actual := outcome_of(alice.get(reverse(name)))) != REDIRECT:
            wrong.append(f"{name}: expected {REDIRECT}, got {actual}")
    assert not wrong, "\n".join(wrong)


def test_without_the_code_the_meeting_page_and_packs_are_a_partner_officers(client, outsider_world):
    world = outsider_world
    sign_in(client, world["users"]["pm"], code=False)
    page = client.get(reverse("meetings:meeting", kwargs={"pk": world["meeting"].pk})).content.decode()
    assert "Partners item" in page
    assert "Restricted item" not in page and "Members item" not in page
    assert client.get(reverse("meetings:document_download", kwargs={"pk": world["members_pack"].pk})).status_code == 404
    # Her own uploads too: she added the restricted paper as programme manager.
    assert (
        client.get(reverse("meetings:paper_download", kwargs={"pk": world["papers"]["restricted"].pk})).status_code
        == 404
    )
    sign_in(client, world["users"]["pm"])
    page = client.get(reverse("meetings:meeting", kwargs={"pk": world["meeting"].pk})).content.decode()
    assert "Restricted item" in page


def test_the_rule_itself_needs_a_vouched_for_user(world):
    """A user object no session vouches for (loaded afresh, as in a worker) has the role's name but
    none of its powers."""
    fresh = User.objects.get(pk=world["users"]["pm"].pk)
    assert not is_programme_manager(fresh)
    assert audience_for(fresh, world["board"].pk) == "partners"
    assert not may_read_paper(fresh, world["papers"]["restricted"])


def test_a_feed_address_issued_before_the_authenticator_gives_no_managers_feed(client, world, alice):
    token = CalendarToken.objects.create(user=alice)
    Authenticator.objects.filter(user=alice).update(created_at=token.created_at.replace(year=token.created_at.year + 1))
    feed = client.get(reverse("meetings:calendar_private", kwargs={"token": token.token})).content.decode()
    assert "BEGIN:VEVENT" not in feed  # she sits on no body
    Authenticator.objects.filter(user=alice).update(created_at=token.created_at.replace(year=2000))
    feed = client.get(reverse("meetings:calendar_private", kwargs={"token": token.token})).content.decode()
    assert "BEGIN:VEVENT" in feed


# --- The benchmark signs the programme manager in as a person does ----------------------------


def test_bench_session_signs_a_programme_manager_in_with_the_code(client, alice, settings):
    from io import StringIO

    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="second factor"):
        call_command("bench_session", alice.email, stdout=StringIO())
    out = StringIO()
    call_command(
        "bench_session",
        alice.email,
        "--password",
        "a-long-test-password",
        "--totp-secret",
        ALICE_TOTP_SECRET,
        stdout=out,
    )
    name, key = out.getvalue().strip().split("=")
    client.cookies[name] = key
    assert client.get(reverse("manage:index")).status_code == 200


def test_the_dashboard_offers_the_code_to_a_programme_manager_whose_session_has_not_used_it(client, alice):
    sign_in(client, alice, code=False)
    page = client.get(reverse("partners:dashboard")).content.decode()
    assert "Enter a code to manage the partnership" in page
    assert ">Manage</a>" not in page  # no "Manage" in the navigation
    sign_in(client, alice)
    assert "Enter a code" not in client.get(reverse("partners:dashboard")).content.decode()

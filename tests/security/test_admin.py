"""Issue 6, point 4 (and 3 in the admin): no privilege escalation in the Django admin.

A programme manager holds the permissions on the project's records; the admin withholds what would
raise anyone's access, and asks for the password again before any change that grants access or
changes someone's email."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from partners.models import Membership
from partners.permissions import PROGRAMME_MANAGER_GROUP, SECOND_FACTOR_VERIFIED
from tests.conftest import ALICE_TOTP_SECRET, sign_in
from tests.factories import UserFactory

ALL = "view add change delete"

# What the programme managers' group may do with every model in the admin. A new registration
# fails `test_every_admin_model_is_decided` until a line here says what they may do with it.
PROGRAMME_MANAGERS_MAY = {
    # Other apps' records: accounts, authenticators, groups and the portal's machinery are not theirs.
    "account.EmailAddress": "",
    "auth.Group": "",
    "mfa.Authenticator": "",
    "diz_portal.GeneratedDocument": "",
    "diz_portal.SentEmail": "",
    "reports.Report": "",  # built by the portal's workers; the reports pages are the way in
    # People: no adding here (people join by invitation); the access fields are withheld.
    "partners.User": "view change delete",
    # An invitation is a credential, made and closed only by the invitation flow.
    "partners.Invitation": "view",
    "partners.GoverningBody": ALL,
    "partners.Membership": ALL,
    "partners.Organisation": ALL,
    "partners.Partnership": ALL,
    # Meetings' records are the programme manager's own; approved minutes are locked by the models.
    "meetings.Action": ALL,
    "meetings.AgendaItem": ALL,
    "meetings.AlsoPresent": ALL,
    "meetings.Attendance": ALL,
    "meetings.Decision": ALL,
    "meetings.Declaration": ALL,
    "meetings.Erratum": ALL,
    "meetings.ForwardPlanItem": ALL,
    "meetings.InterestReview": ALL,
    "meetings.Meeting": ALL,
    "meetings.MeetingChange": ALL,
    "meetings.MeetingSeries": ALL,
    "meetings.MemberMessage": ALL,
    "meetings.Minute": ALL,
    "meetings.Paper": ALL,
    "meetings.RegisteredInterest": ALL,
    "meetings.Seminar": ALL,
    "meetings.Supplement": ALL,
    # A feed address is a credential: it may be looked at and revoked, never made or changed here.
    "meetings.CalendarToken": "view delete",
    # Funding and the public site are the programme manager's to run; uploaded files are read-only
    # in the admin (funding/admin.py), arriving only through the checked upload pages.
    "funding.Allocation": ALL,
    "funding.Award": ALL,
    "funding.Bid": ALL,
    "funding.BidDocument": ALL,
    "funding.Claim": ALL,
    "funding.Contribution": ALL,
    "funding.Funder": ALL,
    "funding.Opportunity": ALL,
    "funding.ReportingDeadline": ALL,
    "news.Delivery": ALL,
    "news.KeyFact": ALL,
    "news.NewsItem": ALL,
    "news.NewsletterIssue": ALL,
    "news.Page": ALL,
    "news.Subscriber": ALL,
    # The strategy, its endorsements and projects are the programme manager's to keep.
    "strategy.AmendmentRequest": ALL,
    "strategy.CriteriaWeights": ALL,
    "strategy.Endorsement": ALL,
    "strategy.Idea": ALL,
    "strategy.Milestone": ALL,
    "strategy.ProgressUpdate": ALL,
    "strategy.Project": ALL,
    "strategy.Risk": ALL,
    "strategy.Score": ALL,
    "strategy.Strategy": ALL,
    "strategy.StrategyVersion": ALL,
    "strategy.Workstream": ALL,
}


def test_every_admin_model_is_decided(alice):
    request = RequestFactory().get("/admin/")
    request.user = alice
    actual = {}
    for model, model_admin in admin.site._registry.items():
        allowed = [n for n in ALL.split() if getattr(model_admin, f"has_{n}_permission")(request)]
        actual[model._meta.label] = " ".join(allowed)
    undecided = sorted(set(actual) - set(PROGRAMME_MANAGERS_MAY))
    assert not undecided, f"Decide what programme managers may do with these in the admin: {undecided}"
    assert actual == {label: PROGRAMME_MANAGERS_MAY[label] for label in actual}


@pytest.fixture
def root(db):
    user = UserFactory(email="root@example.org", name="Root Admin", is_staff=True, is_superuser=True)
    TOTP.activate(user, ALICE_TOTP_SECRET)
    setattr(user, SECOND_FACTOR_VERIFIED, True)
    return user


def change_form(person, **changes):
    data = {
        "email": person.email,
        "name": person.name,
        "job_title": person.job_title,
        "organisation": person.organisation_id or "",
        "is_active": "on",
    }
    return {k: v for k, v in (data | changes).items() if v is not None}


def test_a_programme_manager_cannot_make_themselves_superuser_or_grant_groups(client, alice, bob):
    sign_in(client, alice)
    url = reverse("admin:partners_user_change", args=[alice.pk])
    page = client.get(url).content.decode()
    for field in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{field}"' not in page
    group = Group.objects.get(name=PROGRAMME_MANAGER_GROUP)
    response = client.post(url, change_form(alice, is_superuser="on", groups=[group.pk]))
    assert response.status_code == 302  # saved: the withheld fields are not part of the form
    alice.refresh_from_db()
    assert not alice.is_superuser
    response = client.post(
        reverse("admin:partners_user_change", args=[bob.pk]), change_form(bob, is_staff="on", groups=[group.pk])
    )
    bob.refresh_from_db()
    assert not bob.is_staff and not bob.groups.exists()


def test_only_a_superuser_sets_a_password_in_the_admin_and_only_re_authenticated(client, alice, bob, root):
    url = reverse("admin:auth_user_password_change", args=[bob.pk])
    data = {"password1": "mallorys-password-1", "password2": "mallorys-password-1", "set_usable_password": "true"}
    sign_in(client, alice)
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    bob.refresh_from_db()
    assert bob.check_password("a-long-test-password")
    assert (
        'href="../password/"' not in client.get(reverse("admin:partners_user_change", args=[bob.pk])).content.decode()
    )

    sign_in(client, root, reauthenticated=False)
    assert client.get(url)["Location"].startswith(reverse("account_reauthenticate"))
    sign_in(client, root)
    assert client.post(url, data).status_code == 302
    bob.refresh_from_db()
    assert bob.check_password("mallorys-password-1")


def test_a_programme_manager_cannot_change_a_superuser_nor_add_accounts(client, alice, root):
    sign_in(client, alice)
    response = client.post(
        reverse("admin:partners_user_change", args=[root.pk]), change_form(root, email="x@example.org")
    )
    assert response.status_code in (302, 403)
    root.refresh_from_db()
    assert root.email == "root@example.org"
    assert client.get(reverse("admin:partners_user_add")).status_code == 403


def test_changing_someones_email_asks_for_the_password_again_and_is_in_the_history(client, alice, bob):
    url = reverse("admin:partners_user_change", args=[bob.pk])
    sign_in(client, alice, reauthenticated=False)
    response = client.post(url, change_form(bob, email="bob.new@example.org"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    bob.refresh_from_db()
    assert bob.email == "bob@example.org"
    sign_in(client, alice)
    assert client.post(url, change_form(bob, email="bob.new@example.org")).status_code == 302
    bob.refresh_from_db()
    assert bob.email == "bob.new@example.org"
    assert bob.history.first().history_user == alice
    assert LogEntry.objects.get(object_id=str(bob.pk)).user == alice


def test_a_superusers_group_change_is_logged_with_who_made_it(client, root, bob):
    sign_in(client, root)
    group = Group.objects.get(name=PROGRAMME_MANAGER_GROUP)
    url = reverse("admin:partners_user_change", args=[bob.pk])
    data = change_form(bob, groups=[group.pk], date_joined_0="2026-01-01", date_joined_1="00:00:00")
    assert client.post(url, data).status_code == 302
    assert bob.groups.filter(pk=group.pk).exists()
    entry = LogEntry.objects.get(object_id=str(bob.pk))
    assert entry.user == root and "Groups" in entry.get_change_message()


def test_granting_a_seat_in_the_admin_asks_for_the_password_again(client, alice, bob, board, harlow):
    sign_in(client, alice, reauthenticated=False)
    data = {"person": bob.pk, "body": board.pk, "organisation": harlow.pk, "role": "member", "started_on": "2026-01-01"}
    response = client.post(reverse("admin:partners_membership_add"), data)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not Membership.objects.filter(person=bob).exists()

"""Get involved and contact: an organisation asks to join (the programme team is told once); the
programme manager accepts (a prospective partner, its contact invited) or declines with a reply;
a contact message reaches the programme team. Bad input is explained beside its field and nothing
is written; bots are refused quietly."""

import time

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.urls import reverse

from diz_portal import spam
from news.models import ContactMessage, JoinRequest, JoinRequestStatus
from partners.models import Invitation, MembershipStatus, Organisation, Partnership
from tests.conftest import sign_in
from tests.news.conftest import join_request
from tests.support.forms import field_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(db):
    cache.clear()
    Partnership.objects.create(name="Test Zone", short_name="TZ", contact_email="team@example.org")


def stamped(**data):
    return data | {"started": signing.dumps(time.time() - 10, salt=spam._SALT), "website": ""}


JOIN = {
    "organisation_name": "Cambridge Wireless",
    "org_type": "business",
    "contact_name": "Priya Shah",
    "contact_email": "priya@example.org",
    "message": "We would like to <b>join</b>.",
}


def test_asking_to_join_records_the_request_and_tells_the_programme_team_once(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("news:get_involved"), stamped(**JOIN))
    assert response.status_code == 302
    request = JoinRequest.objects.get()
    assert request.status == JoinRequestStatus.PENDING
    (message,) = mail.outbox
    assert message.to == ["team@example.org"]
    assert "Cambridge Wireless" in message.subject and "/manage/site/join-requests/" in message.body


def test_bad_join_input_is_explained_and_kept_and_nothing_is_written(client):
    data = stamped(**JOIN | {"contact_email": "priya", "org_type": "", "message": "x" * 5001})
    response = client.post(reverse("news:get_involved"), data)
    assert response.status_code == 200
    assert "correct format" in field_error(response, "contact_email")
    assert "Choose the type" in field_error(response, "org_type")
    assert "5,000 characters or fewer" in field_error(response, "message")
    assert 'value="Cambridge Wireless"' in response.content.decode()
    assert not JoinRequest.objects.exists() and not mail.outbox


def test_a_bot_filling_the_honeypot_is_thanked_and_ignored(client):
    response = client.post(reverse("news:get_involved"), stamped(**JOIN) | {"website": "spam"})
    assert response.status_code == 302 and not JoinRequest.objects.exists()
    response = client.post(
        reverse("news:contact"), {"name": "B", "email": "b@example.org", "subject": "S", "message": "M"}
    )
    assert response.status_code == 302 and not ContactMessage.objects.exists()  # no time stamp: a bot


def test_too_many_messages_from_one_address_are_refused_with_a_message(client):
    for n in range(6):
        response = client.post(
            reverse("news:contact"), stamped(name="Ann", email=f"ann{n}@example.org", subject="Hi", message="Hello")
        )
    assert ContactMessage.objects.count() == 5
    assert "try again later" in response.content.decode()


def test_a_contact_message_reaches_the_programme_team_once(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("news:contact"), stamped(name="Ann", email="ann@example.org", subject="Fibre", message="When?")
        )
    message = ContactMessage.objects.get()
    assert message.forwarded_at is not None
    (email,) = mail.outbox
    assert email.to == ["team@example.org"] and "ann@example.org" in email.body
    from news import services

    assert services.tell_programme_team(kind="contact", pk=message.pk) is False  # already sent
    assert len(mail.outbox) == 1


def test_accepting_makes_a_prospective_partner_and_invites_its_contact(
    client, alice, django_capture_on_commit_callbacks
):
    request = join_request()
    sign_in(client, alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("manage_news:join_request", kwargs={"pk": request.pk}), {"action": "accept"})
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.ACCEPTED and request.decided_by == alice
    organisation = request.organisation
    assert organisation.membership_status == MembershipStatus.PROSPECTIVE
    assert organisation not in Organisation.objects.listed()
    invitation = Invitation.objects.get(user__email="priya@example.org")
    assert invitation.user.organisation == organisation
    assert [m.to for m in mail.outbox] == [["priya@example.org"]]
    # Accepting again changes nothing.
    response = client.post(reverse("manage_news:join_request", kwargs={"pk": request.pk}), {"action": "accept"})
    assert "already been answered" in response.content.decode()
    assert Organisation.objects.filter(name="Cambridge Wireless").count() == 1


def test_declining_needs_a_reply_which_is_emailed(client, alice, django_capture_on_commit_callbacks):
    request = join_request()
    sign_in(client, alice)
    response = client.post(
        reverse("manage_news:join_request", kwargs={"pk": request.pk}), {"action": "decline", "reply": ""}
    )
    assert "Write a reply" in field_error(response, "reply")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("manage_news:join_request", kwargs={"pk": request.pk}),
            {"action": "decline", "reply": "We are not taking new partners this year."},
        )
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.DECLINED
    (email,) = mail.outbox
    assert email.to == ["priya@example.org"] and "not taking new partners" in email.body
    assert not Organisation.objects.filter(name="Cambridge Wireless").exists()

"""Invitations and health against a real Redis and a real Celery worker."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partners import services
from partners.models import Invitation
from partners.tasks import send_invitation_email, send_unsent_invitation_emails
from tests.workers.conftest import wait_for

pytestmark = pytest.mark.services


def test_healthz_is_healthy_when_a_worker_answers(client, worker):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["worker"].startswith("ok")
    assert response.json()["checks"]["broker"] == "ok"


def test_healthz_names_the_worker_when_none_answers(client, redis):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]


def test_healthz_names_the_broker_when_redis_is_down(client, redis):
    redis.stop()
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker", "worker"]


def test_a_worker_sends_the_invitation_email(worker, alice, harlow):
    invitation = services.invite_person(email="erin@example.org", name="Erin Ellis", organisation=harlow, by=alice)
    assert wait_for(lambda: Invitation.objects.get(pk=invitation.pk).sent_at is not None)
    [email] = worker.emails()
    assert "To: erin@example.org" in email
    assert invitation.get_accept_url() in email


def test_a_task_delivered_twice_sends_one_email(worker, alice, harlow):
    invitation = services.invite_person(email="erin@example.org", name="Erin Ellis", organisation=harlow, by=alice)
    send_invitation_email.delay(invitation.pk)
    send_invitation_email.delay(invitation.pk)
    assert wait_for(lambda: Invitation.objects.get(pk=invitation.pk).sent_at is not None)
    # Give the duplicates time to run; they must find the invitation sent and do nothing.
    result = send_invitation_email.delay(invitation.pk)
    assert result.get(timeout=20) is False
    assert len(worker.emails()) == 1


def test_an_invitation_made_while_redis_is_down_is_kept_and_sent_when_it_is_back(worker_factory, redis, alice, harlow):
    redis.stop()
    invitation = services.invite_person(email="erin@example.org", name="Erin Ellis", organisation=harlow, by=alice)
    invitation.refresh_from_db()
    assert invitation.sent_at is None  # recorded, not sent, and the request did not fail

    redis.start()
    worker = worker_factory().start()
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert send_unsent_invitation_emails.delay().get(timeout=20) == 1
    assert wait_for(lambda: Invitation.objects.get(pk=invitation.pk).sent_at is not None)
    assert send_unsent_invitation_emails.delay().get(timeout=20) == 0  # the sweep sends nothing twice
    assert len(worker.emails()) == 1

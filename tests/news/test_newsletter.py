"""The newsletter: double opt-in (consent recorded), one-click unsubscribe (RFC 8058), a
subscriber's data and its deletion, bots refused quietly, and an issue sent to each subscriber
exactly once however often its batches run."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from diz_portal import spam
from news import services
from news.models import Delivery, DeliveryStatus, IssueStatus, NewsletterIssue, Subscriber, SubscriberStatus
from tests.news.conftest import issue, news_item, subscriber
from tests.support.forms import field_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def form_data(email="reader@example.org", *, consent=True, seconds_ago=10, **extra):
    started = signing.dumps(time.time() - seconds_ago, salt=spam._SALT)
    data = {"email": email, "started": started, "website": ""} | extra
    if consent:
        data["consent"] = "on"
    return data


def link_in(message) -> str:
    return re.search(r"http://\S+/newsletter/confirm/\S+/", message.body).group(0)


def test_subscribing_records_consent_and_sends_one_confirmation_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("news:newsletter"), form_data())
    assert response.status_code == 302
    person = Subscriber.objects.get()
    assert person.status == SubscriberStatus.PENDING
    assert "I would like to receive" in person.consent_text
    assert person.source == "http://testserver/newsletter/"
    assert person.consented_at is not None
    (message,) = mail.outbox
    assert message.to == ["reader@example.org"]
    # Not subscribed until the link is followed.
    assert not Subscriber.objects.confirmed().exists()
    path = link_in(message).removeprefix("http://127.0.0.1:8000")
    assert client.get(path).status_code == 200
    person.refresh_from_db()
    assert person.status == SubscriberStatus.CONFIRMED


def test_a_bad_email_or_no_consent_is_explained_beside_the_field_and_nothing_is_written(client):
    response = client.post(reverse("news:newsletter"), form_data("not-an-email", consent=False))
    assert response.status_code == 200
    assert "Enter an email address in the correct format" in field_error(response, "email")
    assert "Tick the box" in field_error(response, "consent")
    assert 'value="not-an-email"' in response.content.decode()
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_subscribing_again_writes_and_sends_nothing_twice(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("news:newsletter"), form_data())
        client.post(reverse("news:newsletter"), form_data("Reader@Example.org"))
    assert Subscriber.objects.count() == 1
    assert len(mail.outbox) == 1
    subscriber("confirmed@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("news:newsletter"), form_data("confirmed@example.org"), follow=True)
    assert "If you are already subscribed, nothing has changed" in response.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"website": "http://spam.example.org"}, id="honeypot filled"),
        pytest.param({"seconds_ago": 0}, id="sent back too fast"),
        pytest.param({"started": "forged"}, id="forged time stamp"),
    ],
)
def test_a_bot_is_refused_quietly(client, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("news:newsletter"), form_data(**data))
    assert response.status_code == 302  # the same "check your email" a person sees
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_subscriptions_are_rate_limited_per_address(client):
    for n in range(12):
        client.post(reverse("news:newsletter"), form_data(f"person{n}@example.org"))
    assert Subscriber.objects.count() == 10


def test_a_tampered_or_expired_confirmation_link_subscribes_nobody(client):
    person = subscriber("pending@example.org", status=SubscriberStatus.PENDING)
    response = client.get(reverse("news:confirm", kwargs={"pk": person.pk, "token": "0" * 64}))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    person.consented_at = timezone.now() - timedelta(days=8)
    person.save()
    response = client.get(person.confirm_url())
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    person.refresh_from_db()
    assert person.status == SubscriberStatus.PENDING


def test_the_unsubscribe_link_changes_nothing_until_the_button_is_pressed(client):
    person = subscriber("reader@example.org")
    html = client.get(person.unsubscribe_url()).content.decode()
    assert "<button" in html
    person.refresh_from_db()
    assert person.status == SubscriberStatus.CONFIRMED
    client.post(person.unsubscribe_url())
    person.refresh_from_db()
    assert person.status == SubscriberStatus.UNSUBSCRIBED


def test_a_mail_clients_one_click_unsubscribe_works_without_a_cookie(db):
    from django.test import Client

    person = subscriber("reader@example.org")
    response = Client(enforce_csrf_checks=True).post(
        person.unsubscribe_url(), data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.status == SubscriberStatus.UNSUBSCRIBED


def test_a_tampered_unsubscribe_link_unsubscribes_nobody(client):
    person = subscriber("reader@example.org")
    other = subscriber("other@example.org")
    response = client.post(reverse("news:unsubscribe", kwargs={"pk": other.pk, "token": person.token("manage")}))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == SubscriberStatus.CONFIRMED


def test_a_subscriber_sees_and_deletes_their_data(client):
    person = subscriber("reader@example.org")
    html = client.get(person.data_url()).content.decode()
    assert "reader@example.org" in html and "I would like the newsletter." in html
    client.post(person.data_url())
    assert not Subscriber.objects.filter(pk=person.pk).exists()


def test_unconfirmed_addresses_are_deleted_after_30_days(db):
    old = subscriber("old@example.org", status=SubscriberStatus.PENDING)
    Subscriber.objects.filter(pk=old.pk).update(consented_at=timezone.now() - timedelta(days=31))
    recent = subscriber("recent@example.org", status=SubscriberStatus.PENDING)
    confirmed = subscriber("kept@example.org")
    Subscriber.objects.filter(pk=confirmed.pk).update(consented_at=timezone.now() - timedelta(days=400))
    assert services.delete_unconfirmed_subscribers() == 1
    assert set(Subscriber.objects.values_list("email", flat=True)) == {recent.email, confirmed.email}


# --- Sending an issue ------------------------------------------------------------------------


@pytest.fixture
def draft_issue(db):
    item = news_item("linked-news", title="Linked news")
    letter = issue("issue-one", sent=False, body="Hello **readers**. <script>x</script>")
    letter.news_items.add(item)
    return letter


def test_sending_gives_each_confirmed_subscriber_one_copy_with_text_html_and_unsubscribe_headers(
    draft_issue, alice, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://diz.example.org"
    people = [subscriber(f"reader{n}@example.org") for n in range(3)]
    subscriber("pending@example.org", status=SubscriberStatus.PENDING)
    subscriber("gone@example.org", status=SubscriberStatus.UNSUBSCRIBED)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_sending(issue=draft_issue, by=alice)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    message = mail.outbox[0]
    person = Subscriber.objects.get(email=message.to[0])
    assert message.extra_headers["List-Unsubscribe"] == f"<https://diz.example.org{person.unsubscribe_url()}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Hello **readers**" in message.body and "Linked news" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<strong>readers</strong>" in html and "<script>" not in html
    draft_issue.refresh_from_db()
    assert draft_issue.status == IssueStatus.SENT
    assert services.progress(draft_issue) == {"total": 3, "sent": 3, "failed": 0}


def test_a_batch_run_again_or_send_pressed_twice_sends_nothing_twice(
    draft_issue, alice, django_capture_on_commit_callbacks
):
    for n in range(services.BATCH_SIZE + 5):
        subscriber(f"reader{n}@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.start_sending(issue=draft_issue, by=alice)
        services.start_sending(issue=draft_issue, by=alice)
    assert services.send_batch(issue_id=draft_issue.pk, batch=0) == 0
    assert services.send_batch(issue_id=draft_issue.pk, batch=1) == 0
    assert len(mail.outbox) == services.BATCH_SIZE + 5
    assert len({m.to[0] for m in mail.outbox}) == services.BATCH_SIZE + 5
    assert Delivery.objects.filter(issue=draft_issue).count() == services.BATCH_SIZE + 5


def test_a_failed_send_is_retried_and_then_sends_once(draft_issue, alice, settings, django_capture_on_commit_callbacks):
    subscriber("reader@example.org")
    settings.EMAIL_BACKEND = "tests.news.test_newsletter.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=False):
        services.start_sending(issue=draft_issue, by=alice)
    with pytest.raises(ConnectionRefusedError):
        services.send_batch(issue_id=draft_issue.pk, batch=0)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.QUEUED and delivery.attempts == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_batch(issue_id=draft_issue.pk, batch=0) == 1
    assert services.send_batch(issue_id=draft_issue.pk, batch=0) == 0
    assert len(mail.outbox) == 1


def test_someone_who_unsubscribes_while_an_issue_is_sending_gets_no_copy(
    draft_issue, alice, django_capture_on_commit_callbacks
):
    leaving = subscriber("leaving@example.org")
    subscriber("staying@example.org")
    with django_capture_on_commit_callbacks(execute=False):
        services.start_sending(issue=draft_issue, by=alice)
    services.unsubscribe(subscriber=leaving)
    services.send_batch(issue_id=draft_issue.pk, batch=0)
    assert [m.to[0] for m in mail.outbox] == ["staying@example.org"]


def test_the_sweep_resends_only_batches_left_unsent(draft_issue, alice, django_capture_on_commit_callbacks):
    for n in range(3):
        subscriber(f"reader{n}@example.org")
    with django_capture_on_commit_callbacks(execute=False):  # the tasks were lost (Redis restarted)
        services.start_sending(issue=draft_issue, by=alice)
    assert not mail.outbox
    assert services.resume_unfinished_issues() == 0  # too soon: it may still be on its way
    NewsletterIssue.objects.filter(pk=draft_issue.pk).update(send_started_at=timezone.now() - timedelta(minutes=5))
    assert services.resume_unfinished_issues() == 1
    assert len(mail.outbox) == 3
    assert services.resume_unfinished_issues() == 0
    draft_issue.refresh_from_db()
    assert draft_issue.status == IssueStatus.SENT


def test_only_sent_issues_are_in_the_public_archive(client, draft_issue):
    sent = issue("sent-one", subject="The sent one")
    html = client.get(reverse("news:newsletter")).content.decode()
    assert "The sent one" in html and draft_issue.subject not in html
    assert client.get(sent.get_absolute_url()).status_code == 200
    assert client.get(reverse("news:issue", kwargs={"slug": draft_issue.slug})).status_code == 404


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")

"""A newsletter issue sent by real Celery workers through a real Redis: every subscriber gets
exactly one copy even when the worker dies mid-batch and Redis restarts (losing the queued batches)."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from redis import exceptions as redis_errors

from diz_portal.celery import app
from news import services
from news.models import Delivery, DeliveryStatus, IssueStatus, NewsletterIssue, Subscriber, SubscriberStatus
from news.tasks import resume_unfinished_issues
from tests.workers.conftest import point_celery_at, wait_for

pytestmark = pytest.mark.services
SUBSCRIBERS = services.BATCH_SIZE + 20  # two batches


@pytest.fixture
def newsletter(db):
    Subscriber.objects.bulk_create(
        Subscriber(
            email=f"reader{n}@example.org",
            status=SubscriberStatus.CONFIRMED,
            consent_text="Yes please",
            source="test",
            confirmed_at=timezone.now(),
        )
        for n in range(SUBSCRIBERS)
    )
    return NewsletterIssue.objects.create(subject="Full fibre news", slug="full-fibre", body="Hello **readers**.")


def recipients(worker) -> Counter:
    # The file-based backend may append several messages to one file.
    return Counter(address for text in worker.emails() for address in re.findall(r"^To: (\S+)$", text, re.M))


def sent(issue) -> int:
    return Delivery.objects.filter(issue=issue, status=DeliveryStatus.SENT).count()


def test_workers_send_an_issue_to_every_subscriber_once_with_progress(worker, newsletter, alice):
    services.start_sending(issue=newsletter, by=alice)
    assert wait_for(lambda: NewsletterIssue.objects.get(pk=newsletter.pk).status == IssueStatus.SENT, timeout=60)
    assert services.progress(newsletter) == {"total": SUBSCRIBERS, "sent": SUBSCRIBERS, "failed": 0}
    counts = recipients(worker)
    assert len(counts) == SUBSCRIBERS and set(counts.values()) == {1}
    headers = "".join(worker.emails()).count("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
    assert headers == SUBSCRIBERS


def test_a_worker_killed_mid_batch_and_redis_restarting_still_give_each_subscriber_one_copy(
    worker_factory, redis, newsletter, alice, tmp_path
):
    markers = tmp_path / "sending"
    first = worker_factory()
    first.extra_env = {
        "EMAIL_BACKEND": "tests.support.slow_mail.SlowFileBackend",
        "SLOW_MAIL_MARKERS": str(markers),
        "SLOW_MAIL_SECONDS": "0.2",
    }
    first.start()
    services.start_sending(issue=newsletter, by=alice)
    # Some copies have gone and the worker is part-way through sending the next one.
    assert wait_for(lambda: markers.exists() and len(list(markers.iterdir())) >= 10, timeout=60, interval=0.01)
    first.kill()
    done_before = sent(newsletter)
    assert 0 < done_before < SUBSCRIBERS
    # Redis restarts without persistence: the queued batches are gone with it.
    redis.stop()
    redis.start()
    point_celery_at(redis.url, eager=False)  # this process's pooled connections died with it
    for _ in range(5):  # the control channel finds its dead connection on first use, then reconnects
        try:
            app.control.ping(timeout=0.1)
            break
        except redis_errors.ConnectionError:
            continue
    second = worker_factory().start()
    # The sweep finds the issue still sending and queues its unfinished batches again.
    NewsletterIssue.objects.filter(pk=newsletter.pk).update(send_started_at=timezone.now() - timedelta(minutes=5))
    assert resume_unfinished_issues.delay().get(timeout=30) >= 1
    assert wait_for(lambda: NewsletterIssue.objects.get(pk=newsletter.pk).status == IssueStatus.SENT, timeout=90)
    counts = recipients(second)  # both workers wrote to the same folder
    assert len(counts) == SUBSCRIBERS, f"{SUBSCRIBERS - len(counts)} subscribers got nothing"
    assert set(counts.values()) == {1}, f"some got more than one copy: {[e for e, n in counts.items() if n > 1]}"
    assert sent(newsletter) == SUBSCRIBERS
    # Running every batch again sends nothing more.
    for batch in range(2):
        services.send_batch(issue_id=newsletter.pk, batch=batch)
    assert recipients(second) == counts

"""Records for the public site's tests: news at each state, a sent and a draft issue, subscribers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import (
    IssueStatus,
    JoinRequest,
    NewsItem,
    NewsletterIssue,
    PublicationStatus,
    Subscriber,
    SubscriberStatus,
)


def news_item(slug, *, state="published", days_ago=1, **extra) -> NewsItem:
    now = timezone.now()
    published_at = {"published": now - timedelta(days=days_ago), "scheduled": now + timedelta(days=3), "draft": None}
    return NewsItem.objects.create(
        slug=slug,
        title=extra.pop("title", f"{state.capitalize()} news {slug}"),
        summary=extra.pop("summary", f"Summary of {slug}"),
        body=extra.pop("body", f"Body of **{slug}**."),
        status=PublicationStatus.DRAFT if state == "draft" else PublicationStatus.PUBLISHED,
        published_at=published_at[state],
        **extra,
    )


def subscriber(email, *, status=SubscriberStatus.CONFIRMED, **extra) -> Subscriber:
    return Subscriber.objects.create(
        email=email,
        status=status,
        consent_text="I would like the newsletter.",
        source="http://testserver/newsletter/",
        confirmed_at=timezone.now() if status == SubscriberStatus.CONFIRMED else None,
        **extra,
    )


def issue(slug, *, sent=True, **extra) -> NewsletterIssue:
    return NewsletterIssue.objects.create(
        slug=slug,
        subject=extra.pop("subject", f"Issue {slug}"),
        body=extra.pop("body", f"Body of issue {slug}."),
        status=IssueStatus.SENT if sent else IssueStatus.DRAFT,
        sent_at=timezone.now() - timedelta(days=2) if sent else None,
        **extra,
    )


def join_request(**extra) -> JoinRequest:
    return JoinRequest.objects.create(
        **{
            "organisation_name": "Cambridge Wireless",
            "org_type": "business",
            "contact_name": "Priya Shah",
            "contact_email": "priya@example.org",
            "message": "We would like to join.",
        }
        | extra
    )


@pytest.fixture
def published(db):
    return news_item("published-news")


@pytest.fixture
def draft(db):
    return news_item("draft-news", state="draft")


@pytest.fixture
def scheduled(db):
    return news_item("scheduled-news", state="scheduled")

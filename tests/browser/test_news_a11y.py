"""axe-core on the public site's pages (news, about, privacy, the newsletter and subscribers'
pages), and the subscribe journey by keyboard alone: subscribe, confirm from the email, unsubscribe."""

import re

import pytest
from django.core import mail

from diz_portal import spam
from news.models import Page, PublicationStatus, Subscriber, SubscriberStatus
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_journeys import tab_to
from tests.news.conftest import issue, news_item, subscriber


@pytest.fixture
def world(transactional_db):
    from django.utils import timezone

    for slug, body in [("about", "> A quotation\n\n## Welcome\n\nWords."), ("privacy", "## Subscribers\n\n- what")]:
        Page.objects.create(
            slug=slug, title=slug, body=body, status=PublicationStatus.PUBLISHED, published_at=timezone.now()
        )
    item = news_item("a11y-news", aims=[1], body="## Section\n\nText with a [link](https://example.org).")
    sent = issue("a11y-issue")
    sent.news_items.add(item)
    reader = subscriber("reader@example.org")
    return {"item": item, "issue": sent, "reader": reader}


PAGES = [
    ("home", lambda w: "/", "Partnership portal"),
    ("about", lambda w: "/about/", "About the"),
    ("privacy", lambda w: "/privacy/", "Privacy notice"),
    ("news", lambda w: "/news/", "Matters"),
    ("news-item", lambda w: w["item"].get_absolute_url(), "Published news a11y-news"),
    ("newsletter", lambda w: "/newsletter/", "Matters"),
    ("subscribed", lambda w: "/newsletter/thank-you/", "Check your email"),
    ("issue", lambda w: w["issue"].get_absolute_url(), "Issue a11y-issue"),
    ("unsubscribe", lambda w: w["reader"].unsubscribe_url(), "Unsubscribe"),
    ("my-data", lambda w: w["reader"].data_url(), "What we keep about you"),
    ("confirm-invalid", lambda w: f"/newsletter/confirm/{w['reader'].pk}/bad/", "This link does not work"),
]


@pytest.mark.parametrize("address,heading", [(p[1], p[2]) for p in PAGES], ids=[p[0] for p in PAGES])
def test_public_site_page_has_no_serious_accessibility_problems(page, live_server, world, address, heading):
    page.goto(address(world))
    assert heading.lower() in page.locator("h1").inner_text().lower()
    assert_accessible(page)


def test_the_newsletter_form_with_errors_is_accessible(page, live_server, world):
    page.goto("/newsletter/")
    page.locator("input[name=email]").fill("not an email")
    with page.expect_navigation():
        page.locator("button", has_text="Subscribe").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.locator("input[name=email]").input_value() == "not an email"
    assert_accessible(page)


def test_subscribe_confirm_and_unsubscribe_by_keyboard(page, live_server, world, monkeypatch, settings):
    monkeypatch.setattr(spam, "MIN_SECONDS", 0)
    settings.SITE_URL = live_server.url
    page.goto("/newsletter/")
    email = page.locator("input[name=email]")
    tab_to(page, email)
    page.keyboard.type("keyboard.user@example.org")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "consent"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the privacy notice's link, read before agreeing
    assert page.evaluate("document.activeElement.textContent.trim()") == "privacy notice"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Subscribe"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Check your email" in page.locator("h1").inner_text()
    (message,) = [m for m in mail.outbox if m.to == ["keyboard.user@example.org"]]
    page.goto(re.search(r"http://\S+/newsletter/confirm/\S+/", message.body).group(0))
    assert "You are subscribed" in page.locator("h1").inner_text()
    person = Subscriber.objects.get(email="keyboard.user@example.org")
    assert person.status == SubscriberStatus.CONFIRMED
    page.goto(person.unsubscribe_url())
    tab_to(page, page.locator("main button"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "You have unsubscribed" in page.locator("h1").inner_text()
    person.refresh_from_db()
    assert person.status == SubscriberStatus.UNSUBSCRIBED

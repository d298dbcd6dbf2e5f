"""axe-core on the public site's pages (news, about, privacy, the newsletter and subscribers'
pages), and the subscribe journey by keyboard alone: subscribe, confirm from the email, unsubscribe."""

import re

import pytest
from django.core import mail

from diz_portal import spam
from news.models import Page, PublicationStatus, Subscriber, SubscriberStatus
from tests.browser.conftest import PASSWORD, login
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_journeys import tab_to
from tests.conftest import ALICE_TOTP_SECRET
from tests.factories import SeminarFactory
from tests.news.conftest import issue, join_request, news_item, subscriber


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
    ("get-involved", lambda w: "/get-involved/", "Get involved"),
    ("join-thanks", lambda w: "/get-involved/thank-you/", "Thank you"),
    ("contact", lambda w: "/contact/", "Contact the programme team"),
    ("contact-thanks", lambda w: "/contact/thank-you/", "Your message has been sent"),
    ("search", lambda w: "/search/", "Search"),
    ("search-results", lambda w: "/search/?q=news", "Search"),
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


MANAGE_PAGES = [
    ("manage-site", lambda w: "/manage/site/", "The public site"),
    ("manage-news-new", lambda w: "/manage/site/news/new/", "Write news"),
    ("manage-news-edit", lambda w: f"/manage/site/news/{w['item'].pk}/edit/", "Edit"),
    ("manage-news-history", lambda w: f"/manage/site/news/{w['item'].pk}/history/", "History"),
    ("manage-page-edit", lambda w: "/manage/site/pages/about/edit/", "Edit about"),
    ("manage-issue-new", lambda w: "/manage/site/newsletter/new/", "Write an issue"),
    ("manage-issue", lambda w: f"/manage/site/newsletter/{w['draft_issue'].pk}/", "Draft issue"),
    ("manage-subscribers", lambda w: "/manage/site/subscribers/", "Newsletter subscribers"),
    ("manage-join-requests", lambda w: "/manage/site/join-requests/", "Requests to join"),
    ("manage-join-request", lambda w: f"/manage/site/join-requests/{w['join_request'].pk}/", "Cambridge Wireless"),
    # Seminars are the public site's too (their pages live with the meetings app's).
    ("manage-seminars", lambda w: "/manage/meetings/seminars/", "Seminars"),
    ("manage-seminar-new", lambda w: "/manage/meetings/seminars/new/", "Add a seminar"),
    ("manage-seminar-edit", lambda w: f"/manage/meetings/seminars/{w['seminar'].pk}/edit/", "Edit"),
    ("manage-seminar-history", lambda w: f"/manage/meetings/seminars/{w['seminar'].pk}/history/", "History"),
]


@pytest.fixture
def manage_world(world, cast):
    return world | {
        "draft_issue": issue("draft-issue", sent=False, subject="Draft issue"),
        "join_request": join_request(),
        "seminar": SeminarFactory(
            title="Smart places and the NHS", body="## What we heard\n\nPartners **agreed** to share data."
        ),
        "cast": cast,
    }


@pytest.mark.parametrize("address,heading", [(p[1], p[2]) for p in MANAGE_PAGES], ids=[p[0] for p in MANAGE_PAGES])
def test_programme_manager_site_page_has_no_serious_accessibility_problems(
    page, live_server, manage_world, address, heading
):
    login(page, live_server, manage_world["cast"]["alice"].email, PASSWORD, totp_secret=ALICE_TOTP_SECRET)
    page.goto(address(manage_world))
    assert heading.lower() in page.locator("h1").inner_text().lower()
    assert_accessible(page)


def test_the_news_form_with_errors_and_a_preview_is_accessible(page, live_server, manage_world):
    login(page, live_server, manage_world["cast"]["alice"].email, PASSWORD, totp_secret=ALICE_TOTP_SECRET)
    page.goto("/manage/site/news/new/")
    page.locator("input[name=title]").fill("A title")
    page.locator("textarea[name=body]").fill("## Heading\n\nText")
    with page.expect_navigation():
        page.locator("button[value=preview]").click()
    assert page.locator(".govuk-error-summary").is_visible()  # slug and summary are missing
    assert_accessible(page)


def test_the_seminar_form_with_errors_and_a_preview_is_accessible(page, live_server, manage_world):
    login(page, live_server, manage_world["cast"]["alice"].email, PASSWORD, totp_secret=ALICE_TOTP_SECRET)
    page.goto("/manage/meetings/seminars/new/")
    page.locator("input[name=title]").fill("A seminar")
    page.locator("textarea[name=body]").fill("## Heading\n\nText with a [link](https://example.org).")
    with page.expect_navigation():
        page.locator("button[value=preview]").click()
    assert page.locator(".govuk-error-summary").is_visible()  # slug, date and venue are missing
    assert page.locator("input[name=title]").input_value() == "A seminar"
    assert_accessible(page)
    for name, value in [("slug", "a-seminar"), ("held_on", "2025-11-20"), ("venue", "Harlow College")]:
        page.locator(f"input[name={name}]").fill(value)
    with page.expect_navigation():
        page.locator("button[value=preview]").click()
    assert page.locator("#preview-heading").is_visible()
    assert_accessible(page)


def test_search_by_keyboard_and_results_highlight_the_words(page, live_server, world):
    page.goto("/")
    tab_to(page, page.locator("header a", has_text="Search"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, page.locator("input[name=q]"))
    page.keyboard.type("a11y")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("main mark").first.inner_text().lower() == "a11y"
    tab_to(page, page.locator("main a", has_text="Published news"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(world["item"].get_absolute_url())


def test_ask_to_join_and_send_a_message_by_keyboard_with_errors_first(page, live_server, world, monkeypatch):
    monkeypatch.setattr(spam, "MIN_SECONDS", 0)
    page.goto("/get-involved/")
    tab_to(page, page.locator("input[name=organisation_name]"))
    page.keyboard.type("Cambridge Wireless")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "org_type"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "organisation_website"
    tab_to(page, page.locator("button", has_text="Send request"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Errors first: the summary takes the focus and links to each field.
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.locator("input[name=organisation_name]").input_value() == "Cambridge Wireless"
    assert_accessible(page)
    page.locator("select[name=org_type]").select_option("business")
    page.locator("input[name=contact_name]").fill("Priya Shah")
    page.locator("input[name=contact_email]").fill("priya@example.org")
    page.locator("textarea[name=message]").fill("We would like to join.")
    tab_to(page, page.locator("button", has_text="Send request"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Thank you for asking to join" in page.locator("h1").inner_text()

    page.goto("/contact/")
    for name, value in [("name", "Ann"), ("email", "ann@example.org"), ("subject", "Fibre"), ("message", "When?")]:
        tab_to(page, page.locator(f"[name={name}]"))
        page.keyboard.type(value)
    tab_to(page, page.locator("button", has_text="Send message"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Your message has been sent" in page.locator("h1").inner_text()

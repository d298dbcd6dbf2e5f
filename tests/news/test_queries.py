"""The public site's pages make the same number of queries with a little data and with much more:
more news (with aims), issues, subscribers and deliveries, chairs and vice-chairs, district
councils and seminars (tests/support/queries.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import Delivery, DeliveryStatus, Page, PublicationStatus
from partners.models import Role
from tests.conftest import sign_in
from tests.factories import MembershipFactory, OrganisationFactory, SeminarFactory, UserFactory
from tests.news.conftest import issue, join_request, news_item, subscriber
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(board, cast):
    for slug in ["about", "privacy"]:
        Page.objects.create(
            slug=slug, title=slug, body="Text", status=PublicationStatus.PUBLISHED, published_at=timezone.now()
        )
    first = news_item("first", aims=[1])
    sent = issue("first-issue")
    sent.news_items.add(first)
    reader = subscriber("reader@example.org")
    # One of each from the start: an empty list is answered without a query.
    SeminarFactory(title="First", slug="first", held_on=timezone.localdate(), venue="Harlow", executive_report="r.pdf")
    return {
        "item": first,
        "issue": sent,
        "subscriber": reader,
        "board": board,
        "cast": cast,
        "join_request": join_request(),
    }


@pytest.fixture
def grow(world):
    def grow():
        for n in range(15):
            item = news_item(f"more-{n}", aims=[1, 2], days_ago=n + 2)
            news_item(f"draft-{n}", state="draft")
            letter = issue(f"issue-{n}")
            letter.news_items.add(item)
            Delivery.objects.create(issue=letter, subscriber=world["subscriber"], status=DeliveryStatus.SENT)
            subscriber(f"reader-{n}@example.org")
            join_request(contact_email=f"contact{n}@example.org", status="declined" if n % 2 else "pending")
            OrganisationFactory(org_type="district_council", population=1000 + n)
            MembershipFactory(body=world["board"], person=UserFactory(), role=Role.VICE_CHAIR)
            SeminarFactory(
                title=f"Seminar {n}",
                slug=f"seminar-{n}",
                held_on=timezone.localdate() - timedelta(days=n),
                venue="Harlow",
                executive_report=f"seminars/report-{n}.pdf",
            )

    return grow


PAGES = [
    ("home", lambda w: {}),
    ("news:about", lambda w: {}),
    ("news:privacy", lambda w: {}),
    ("news:list", lambda w: {}),
    ("news:feed", lambda w: {}),
    ("news:item", lambda w: {"slug": w["item"].slug}),
    ("news:newsletter", lambda w: {}),
    ("news:issue", lambda w: {"slug": w["issue"].slug}),
    ("news:unsubscribe", lambda w: {"pk": w["subscriber"].pk, "token": w["subscriber"].token("manage")}),
    ("news:my_data", lambda w: {"pk": w["subscriber"].pk, "token": w["subscriber"].token("manage")}),
    ("sitemap", lambda w: {}),
    ("news:get_involved", lambda w: {}),
    ("news:contact", lambda w: {}),
]


@pytest.mark.parametrize("name,kwargs", PAGES, ids=[name for name, _ in PAGES])
def test_public_pages_make_a_constant_number_of_queries(client, world, grow, name, kwargs):
    assert_constant_queries(client, reverse(name, kwargs=kwargs(world)), grow)


@pytest.mark.parametrize("who", [None, "carol", "alice"])
def test_search_makes_a_constant_number_of_queries(client, world, grow, who):
    if who:
        sign_in(client, world["cast"][who])
    # One query per kind of result (more kinds signed in), whatever the number of matches.
    assert_constant_queries(client, reverse("search") + "?q=news+seminar", grow, bound=20, warm_bound=20)


MANAGE_PAGES = [
    ("manage_news:index", lambda w: {}),
    ("manage_news:news_create", lambda w: {}),
    ("manage_news:news_edit", lambda w: {"pk": w["item"].pk}),
    ("manage_news:news_history", lambda w: {"pk": w["item"].pk}),
    ("manage_news:page_edit", lambda w: {"slug": "about"}),
    ("manage_news:issue_create", lambda w: {}),
    ("manage_news:issue", lambda w: {"pk": w["issue"].pk}),
    ("manage_news:subscribers", lambda w: {}),
    ("manage_news:join_requests", lambda w: {}),
    ("manage_news:join_request", lambda w: {"pk": w["join_request"].pk}),
    ("manage_news:subscribers_export", lambda w: {}),
]


@pytest.mark.parametrize("name,kwargs", MANAGE_PAGES, ids=[name for name, _ in MANAGE_PAGES])
def test_the_programme_managers_pages_make_a_constant_number_of_queries(client, world, grow, name, kwargs):
    sign_in(client, world["cast"]["alice"])
    assert_constant_queries(client, reverse(name, kwargs=kwargs(world)), grow, bound=20)


@pytest.mark.parametrize("name,kwargs", PAGES[:3], ids=[name for name, _ in PAGES[:3]])
def test_they_do_for_the_programme_manager_too(client, world, grow, name, kwargs):
    sign_in(client, world["cast"]["alice"])
    assert_constant_queries(client, reverse(name, kwargs=kwargs(world)), grow)

"""The public site as a visitor reads it: home, news, about, privacy; drafts and scheduled news
never show; Markdown typed by the programme manager is rendered safely."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import services as meeting_services
from news.models import KeyFact, NewsItem, Page, PublicationStatus
from partners.models import Partnership, Role
from tests.conftest import sign_in
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.news.conftest import news_item

pytestmark = pytest.mark.django_db


def test_the_news_page_lists_published_news_newest_first_and_never_drafts_or_scheduled(client, draft, scheduled):
    older = news_item("older", days_ago=10, title="Older news")
    newer = news_item("newer", days_ago=1, title="Newer news")
    html = client.get(reverse("news:list")).content.decode()
    assert html.index(newer.title) < html.index(older.title)
    assert draft.title not in html
    assert scheduled.title not in html


def test_a_scheduled_item_appears_by_itself_once_its_time_comes(client, scheduled):
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    scheduled.published_at = timezone.now() - timedelta(minutes=1)
    scheduled.save(update_fields=["published_at"])
    assert client.get(scheduled.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("who", ["bob", "carol", "dave"])
def test_nobody_but_the_programme_manager_finds_a_draft_or_scheduled_item(client, cast, draft, scheduled, who):
    sign_in(client, cast[who])
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_the_programme_manager_previews_a_draft_marked_as_such(client, alice, draft, scheduled):
    assert client.get(draft.get_absolute_url()).status_code == 404
    sign_in(client, alice)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "Preview: this item is draft" in html
    assert "Preview: this item is scheduled" in client.get(scheduled.get_absolute_url()).content.decode()


def test_a_news_item_shows_its_body_aims_and_image_description(client, db):
    Partnership.objects.create(name="Test Zone", short_name="TZ", aims=["Connect", "Include", "Govern"])
    item = news_item("tagged", aims=[2, 9], body="## Heading\n\nSome *words*.")
    html = client.get(item.get_absolute_url()).content.decode()
    assert '<h2 class="govuk-heading-m">Heading</h2>' in html
    assert "<em>words</em>" in html
    assert "Aim 2</strong> Include" in html
    assert "Aim 9" not in html  # an aim that no longer exists is left out


def test_markup_and_script_in_markdown_are_shown_as_text_or_stripped(client, db):
    item = news_item(
        "hostile",
        summary="<b>bold</b> summary",
        body='<script>alert("x")</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>',
    )
    html = client.get(item.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
    assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    assert "&lt;b&gt;bold&lt;/b&gt; summary" in html


def test_an_image_needs_a_description(db):
    unsaved = NewsItem(title="T", slug="t", summary="S", body="B", image="news/t/photo.png", image_alt=" ")
    with pytest.raises(ValidationError) as error:
        unsaved.full_clean()
    assert "image_alt" in error.value.message_dict


def test_home_shows_facts_from_partner_data_latest_news_next_public_meeting_and_seminar(client, board, alice):
    OrganisationFactory(name="District A", org_type="district_council", population=100_000, businesses=None)
    OrganisationFactory(name="District B", org_type="district_council", population=50_000, businesses=None)
    OrganisationFactory(name="County", org_type="county_council")
    OrganisationFactory(name="Prospect", org_type="district_council", population=1, membership_status="prospective")
    KeyFact.objects.create(key="businesses", label="businesses", value="32,500")
    KeyFact.objects.create(key="population", label="people", value="1")  # partner data wins
    news_item("home-news", title="Home news")
    starts = timezone.now() + timedelta(days=5)
    meeting = meeting_services.schedule_meeting(
        body=board, starts_at=starts, ends_at=starts + timedelta(hours=1), by=alice
    )
    meeting_services.publish_agenda(meeting=meeting, by=alice)
    html = client.get("/").content.decode()
    found = re.findall(r'margin-bottom-1">([^<]+)</p>\s*<p class="govuk-body">([^<]+)<', html)
    facts = {label: value for value, label in found}
    # Three districts (Harlow, where Alice works, and A and B; the prospective one is not a
    # partner yet), one county, the districts' people, and the partnership's own figure for
    # businesses, which no partner record holds.
    assert facts == {"districts": "3", "counties": "1", "people": "150,000", "businesses": "32,500"}
    assert "Home news" in html
    assert meeting.get_absolute_url() in html


def test_home_leaves_out_an_unpublished_meeting(client, board, alice):
    starts = timezone.now() + timedelta(days=5)
    meeting = meeting_services.schedule_meeting(
        body=board, starts_at=starts, ends_at=starts + timedelta(hours=1), by=alice
    )
    html = client.get("/").content.decode()
    assert meeting.get_absolute_url() not in html
    assert "No meeting has been published yet" in html


def test_about_shows_the_chair_and_vice_chairs_and_the_published_text(client, board):
    chair = UserFactory(name="Alan Lion")
    MembershipFactory(body=board, person=chair, role=Role.CHAIR)
    vice = UserFactory(name="Linda Haysey")
    MembershipFactory(body=board, person=vice, role=Role.VICE_CHAIR)
    MembershipFactory(body=board, person=UserFactory(name="Ordinary Member"), role=Role.MEMBER)
    Page.objects.create(
        slug="about",
        title="About",
        body="> A quotation from Jacobs",
        status=PublicationStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    html = client.get(reverse("news:about")).content.decode()
    assert "Alan Lion" in html and "Linda Haysey" in html
    assert "Ordinary Member" not in html
    assert '<blockquote class="govuk-inset-text">' in html
    assert "not a legal entity" in html


def test_a_draft_page_text_is_not_shown(client, db):
    Page.objects.create(slug="privacy", title="Privacy", body="Secret draft wording", status=PublicationStatus.DRAFT)
    html = client.get(reverse("news:privacy")).content.decode()
    assert "Secret draft wording" not in html
    assert "has not been published yet" in html


def test_every_public_section_is_in_the_navigation(client, db):
    html = client.get("/").content.decode()
    nav = html[html.index('<nav aria-label="Menu"') : html.index("</nav>")]
    for name in ["news:about", "partners:directory", "partners:bodies", "meetings:list", "meetings:seminars",
                 "news:list", "news:newsletter", "strategy:index", "funding:secured", "projects:list", "search"]:  # fmt: skip
        assert nav.count(f'href="{reverse(name)}"') == 1, name

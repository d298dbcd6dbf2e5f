"""schema.org JSON-LD on the public pages: valid JSON, the right types, and the properties each
type requires (search engines' rich results: Organization name and url; NewsArticle headline,
datePublished, author and publisher with names; Event name, startDate and location), with
absolute addresses. A meeting's joining link never appears."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services as meeting_services
from tests.factories import SeminarFactory
from tests.news.conftest import news_item

pytestmark = pytest.mark.django_db
REQUIRED = {
    "Organization": ["name", "url"],
    "NewsArticle": ["headline", "datePublished", "author", "publisher", "url"],
    "Event": ["name", "startDate", "location", "eventStatus", "eventAttendanceMode"],
}
BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(client, url) -> list[dict]:
    html = client.get(url).content.decode()
    blocks = [json.loads(block) for block in BLOCK.findall(html)]
    assert blocks, f"{url} has no JSON-LD"
    for data in blocks:
        assert data["@context"] == "https://schema.org"
        for prop in REQUIRED[data["@type"]]:
            assert data.get(prop), f"{data['@type']} on {url} lacks {prop}"
        assert data["url"].startswith("http")
    return blocks


def test_home_and_about_describe_the_organisation(client, db):
    for url in ["/", reverse("news:about")]:
        (data,) = json_ld(client, url)
        assert data["@type"] == "Organization"


def test_a_news_item_is_a_news_article(client, db):
    item = news_item("article", title="An </script><script>alert(1)</script> title")
    (data,) = json_ld(client, item.get_absolute_url())
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == item.title  # escaped in the page, intact in the data
    assert data["author"]["name"] and data["publisher"]["name"]
    assert data["datePublished"] == item.published_at.isoformat()


def test_a_published_online_meeting_is_an_event_without_its_joining_link(client, board, alice):
    starts = timezone.now() + timedelta(days=5)
    meeting = meeting_services.schedule_meeting(
        body=board,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        mode="online",
        joining_link="https://meet.example.org/secret-room",
        by=alice,
    )
    meeting_services.publish_agenda(meeting=meeting, by=alice)
    (data,) = json_ld(client, meeting.get_absolute_url())
    assert data["@type"] == "Event"
    assert data["location"]["@type"] == "VirtualLocation"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert "secret-room" not in json.dumps(data)


def test_a_seminar_is_an_event_at_its_venue(client, db):
    seminar = SeminarFactory(title="Smart", slug="smart", held_on=timezone.localdate(), venue="Harlow College")
    (data,) = json_ld(client, seminar.get_absolute_url())
    assert data["@type"] == "Event"
    assert data["location"] == {"@type": "Place", "name": "Harlow College", "address": "Harlow College"}

"""/news/feed.atom, validated against RFC 4287's rules: the feed and every entry carry exactly one
atom:id (an absolute IRI), atom:title and atom:updated (an RFC 3339 date-time); the feed has an
author (or every entry has one) and a self link; an entry without atom:content of its own has an
alternate link; ids are unique. Only published news appears."""

import re
from datetime import datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from tests.news.conftest import news_item

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def one(element, name):
    found = element.findall(f"{ATOM}{name}")
    assert len(found) == 1, f"{element.tag} has {len(found)} atom:{name}, RFC 4287 wants exactly one"
    return found[0]


def assert_date(element, name):
    text = one(element, name).text
    assert RFC3339.match(text), f"atom:{name} {text!r} is not an RFC 3339 date-time"
    datetime.fromisoformat(text.replace("Z", "+00:00"))


def assert_iri(text):
    parts = urlsplit(text)
    assert parts.scheme and (parts.netloc or parts.scheme == "tag"), f"{text!r} is not an absolute IRI"


def validate_atom(xml: bytes) -> list:
    feed = ElementTree.fromstring(xml)
    assert feed.tag == f"{ATOM}feed"
    assert_iri(one(feed, "id").text)
    assert one(feed, "title").text
    assert_date(feed, "updated")
    links = feed.findall(f"{ATOM}link")
    assert any(link.get("rel") == "self" for link in links), "a feed should have a self link"
    feed_has_author = bool(feed.findall(f"{ATOM}author"))
    for author in feed.findall(f"{ATOM}author"):
        assert one(author, "name").text
    entries = feed.findall(f"{ATOM}entry")
    ids = []
    for entry in entries:
        entry_id = one(entry, "id").text
        assert_iri(entry_id)
        ids.append(entry_id)
        assert one(entry, "title").text
        assert_date(entry, "updated")
        if entry.find(f"{ATOM}published") is not None:
            assert_date(entry, "published")
        assert feed_has_author or entry.findall(f"{ATOM}author"), "an entry needs an author"
        alternates = [link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
        assert len(alternates) == 1 and alternates[0].get("href", "").startswith("http")
        content = entry.find(f"{ATOM}content")
        if content is not None:
            assert content.get("type") in {"text", "html", "xhtml"}
    assert len(ids) == len(set(ids)), "entry ids must be unique"
    return entries


def test_the_news_feed_is_valid_atom_with_published_news_only(client, draft, scheduled):
    news_item("first", days_ago=3, title="First news", body="Some **bold** words")
    news_item("second", days_ago=1, title="Second news")
    response = client.get(reverse("news:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = validate_atom(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert titles == ["Second news", "First news"]
    content = entries[1].find(f"{ATOM}content").text
    assert "<strong>bold</strong>" in content


def test_an_entrys_id_stays_the_same_when_its_title_and_address_change(client, db):
    item = news_item("renamed")
    before = validate_atom(client.get(reverse("news:feed")).content)[0].find(f"{ATOM}id").text
    item.slug, item.title = "new-address", "New title"
    item.save()
    after = validate_atom(client.get(reverse("news:feed")).content)[0].find(f"{ATOM}id").text
    assert before == after


def test_the_feed_is_valid_when_there_is_no_news(client, draft):
    assert validate_atom(client.get(reverse("news:feed")).content) == []

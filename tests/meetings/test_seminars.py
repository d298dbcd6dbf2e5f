"""Seminars on the public site: only published ones reach the list, their pages, reports and files,
the home page, the sitemap and the search (drafts and scheduled ones answer the same 404 as an
address that does not exist, except to the programme manager, who previews them); a scheduled
seminar appears by itself when its time comes; the report text is Markdown, rendered safely."""

from datetime import timedelta
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from diz_portal import caching
from meetings.models import SeminarFile
from tests.conftest import sign_in
from tests.factories import SeminarFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def published(db):
    return SeminarFactory(
        title="Smart places and the NHS",
        slug="smart-places-nhs",
        summary="Health and councils together.",
        body="## What we heard\n\nPartners **agreed** to share data.",
        executive_report=ContentFile(b"%PDF-1.4 report", name="published-report.pdf"),
    )


@pytest.fixture
def draft(db):
    seminar = SeminarFactory(
        title="Quantum kettles draft",
        slug="quantum-kettles",
        summary="Zanzibarine secrets.",
        status="draft",
        published_at=None,
        executive_report=ContentFile(b"%PDF-1.4 draft", name="draft-report.pdf"),
    )
    SeminarFile.objects.create(seminar=seminar, title="Draft slides", file=ContentFile(b"x", name="draft.pptx"))
    return seminar


@pytest.fixture
def scheduled(db):
    return SeminarFactory(
        title="Robot ferries scheduled",
        slug="robot-ferries",
        summary="Xylophonic ferries.",
        published_at=timezone.now() + timedelta(days=2),
        executive_report=ContentFile(b"%PDF-1.4 later", name="scheduled-report.pdf"),
    )


def addresses(seminar) -> list[str]:
    """Every public address that shows this seminar or serves its files."""
    urls = [seminar.get_absolute_url(), reverse("meetings:seminar_report", kwargs={"slug": seminar.slug})]
    urls += [reverse("meetings:seminar_file", kwargs={"pk": f.pk}) for f in seminar.files.all()]
    return urls


def sitemap_paths(client) -> set[str]:
    root = ElementTree.fromstring(client.get(reverse("sitemap")).content)
    return {urlsplit(loc.text).path for loc in root.iter(f"{SITEMAP}loc")}


def test_the_list_shows_published_seminars_and_never_drafts_or_scheduled_ones(client, published, draft, scheduled):
    html = client.get(reverse("meetings:seminars")).content.decode()
    assert published.title in html
    assert draft.title not in html and scheduled.title not in html


@pytest.mark.parametrize("who", [None, "bob", "carol", "dave"])
def test_nobody_but_the_programme_manager_reaches_a_draft_or_scheduled_seminar(
    client, cast, draft, scheduled, published, who
):
    if who:
        sign_in(client, cast[who])
    for seminar in (draft, scheduled):
        for url in addresses(seminar):
            assert client.get(url).status_code == 404, url
    for url in addresses(published):
        assert client.get(url).status_code == 200, url


def test_the_programme_manager_previews_a_draft_marked_as_such(client, alice, draft, scheduled):
    sign_in(client, alice)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "Preview: this seminar is draft" in html
    assert "Preview: this seminar is scheduled" in client.get(scheduled.get_absolute_url()).content.decode()
    report = client.get(reverse("meetings:seminar_report", kwargs={"slug": draft.slug}))
    assert report.status_code == 200
    assert "no-store" in report["Cache-Control"]  # a draft's file is kept by no shared cache
    # Her list is the public's: previews are reached from her own pages.
    assert draft.title not in client.get(reverse("meetings:seminars")).content.decode()


def test_the_sitemap_lists_published_seminars_only(client, published, draft, scheduled):
    paths = sitemap_paths(client)
    assert published.get_absolute_url() in paths
    assert draft.get_absolute_url() not in paths and scheduled.get_absolute_url() not in paths


@pytest.mark.parametrize("who", [None, "carol", "alice"])
def test_search_never_finds_a_draft_or_scheduled_seminar(client, cast, published, draft, scheduled, who):
    if who:
        sign_in(client, cast[who])
    for word in ["zanzibarine", "xylophonic"]:
        html = client.get(reverse("search"), {"q": word}).content.decode()
        assert draft.get_absolute_url() not in html and scheduled.get_absolute_url() not in html
    assert published.get_absolute_url() in client.get(reverse("search"), {"q": "councils"}).content.decode()


def test_the_home_page_offers_the_latest_published_report_not_a_draft(client, published, draft):
    draft.held_on = published.held_on + timedelta(days=1)  # newer, but not public
    draft.save()
    html = client.get(reverse("home")).content.decode()
    assert published.title in html and draft.title not in html


def test_a_scheduled_seminar_appears_by_itself_once_its_time_comes(client, scheduled, monkeypatch):
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert scheduled.title not in client.get(reverse("meetings:seminars")).content.decode()
    # Nothing is saved: the clock alone moves past its publication time, and the pages the public
    # cache holds expire within their minute (a new epoch stands for that minute passing).
    later = scheduled.published_at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    caching.bump_all()
    assert client.get(scheduled.get_absolute_url()).status_code == 200
    assert scheduled.title in client.get(reverse("meetings:seminars")).content.decode()
    assert scheduled.get_absolute_url() in sitemap_paths(client)


def test_the_report_text_is_markdown_and_typed_markup_is_never_run(client):
    seminar = SeminarFactory(
        title="<script>alert('title')</script>",
        summary="<img src=x onerror=alert(1)>",
        body="**Bold** <script>alert('body')</script> [link](javascript:alert(1))",
    )
    html = client.get(seminar.get_absolute_url()).content.decode()
    assert "<strong>Bold</strong>" in html
    assert "<script>alert(" not in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html
    # Shown as the text that was typed.
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert('body')&lt;/script&gt;" in html

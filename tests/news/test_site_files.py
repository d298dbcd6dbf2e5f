"""robots.txt, /.well-known/security.txt (RFC 9116) and /sitemap.xml (every public page, nothing else)."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services as meeting_services
from tests.factories import SeminarFactory
from tests.news.conftest import issue, news_item

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_robots_txt_keeps_crawlers_out_of_private_areas_and_points_to_the_sitemap(client, settings):
    settings.SITE_URL = "https://diz.example.org"
    text = client.get("/robots.txt").content.decode()
    assert text.startswith("User-agent: *\n")
    for path in ["/manage/", "/admin/", "/accounts/", "/dashboard/", "/newsletter/unsubscribe/"]:
        assert f"Disallow: {path}\n" in text
    assert "Sitemap: https://diz.example.org/sitemap.xml\n" in text


def parse_security_txt(text: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition(": ")
            fields.setdefault(name.lower(), []).append(value)
    return fields


def test_security_txt_follows_rfc_9116_with_the_expiry_from_settings(client, settings):
    settings.SITE_URL = "https://diz.example.org"
    settings.SECURITY_TXT_EXPIRES = "2027-03-31"
    settings.SECURITY_TXT_CONTACT = "mailto:security@diz.example.org"
    response = client.get("/.well-known/security.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = parse_security_txt(response.content.decode())
    assert fields["contact"] == ["mailto:security@diz.example.org"]  # at least one Contact, a URI
    assert fields["expires"] == ["2027-03-31T00:00:00Z"]  # exactly one, RFC 3339 in UTC
    assert fields["canonical"] == ["https://diz.example.org/.well-known/security.txt"]
    assert fields["preferred-languages"] == ["en"]


def test_security_txt_without_a_setting_expires_within_a_year(client, settings):
    settings.SECURITY_TXT_EXPIRES = ""
    fields = parse_security_txt(client.get("/.well-known/security.txt").content.decode())
    expires = datetime.strptime(fields["expires"][0], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert timezone.now() < expires < timezone.now() + timedelta(days=365)


def sitemap_paths(client) -> set[str]:
    root = ElementTree.fromstring(client.get(reverse("sitemap")).content)
    return {urlsplit(loc.text).path for loc in root.iter(f"{SITEMAP}loc")}


def test_the_sitemap_lists_the_strategy_and_its_public_versions_only(client, alice):
    from strategy import services as strategy_services
    from strategy.models import Strategy

    assert "/strategy/" not in sitemap_paths(client)  # no strategy yet: /strategy/ is a 404
    strategy = Strategy.objects.create(title="Digital Innovation Strategy", slug="dis")
    final = strategy_services.create_version(strategy=strategy, label="1.0", text="# Vision\nBest connected", by=alice)
    strategy_services.publish_version(version=final, by=alice)
    draft = strategy_services.create_version(strategy=strategy, label="1.1", text="# Vision\nDraft", by=alice)
    paths = sitemap_paths(client)
    assert {"/strategy/", final.get_absolute_url()} <= paths
    assert draft.get_absolute_url() not in paths
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_the_sitemap_lists_every_public_page_and_nothing_else(client, board, alice, harlow, draft, scheduled):
    live = news_item("live-news")
    sent = issue("sent-issue")
    unsent = issue("unsent-issue", sent=False)
    starts = timezone.now() + timedelta(days=5)
    published = meeting_services.schedule_meeting(
        body=board, starts_at=starts, ends_at=starts + timedelta(hours=1), by=alice
    )
    meeting_services.publish_agenda(meeting=published, by=alice)
    unpublished = meeting_services.schedule_meeting(
        body=board, starts_at=starts + timedelta(days=30), ends_at=starts + timedelta(days=30, hours=1), by=alice
    )
    seminar = SeminarFactory(title="Smart", slug="smart", held_on=timezone.localdate(), venue="Harlow")
    paths = sitemap_paths(client)
    for name in ["home", "news:about", "news:list", "news:newsletter", "news:privacy", "partners:directory",
                 "partners:bodies", "meetings:list", "meetings:decisions", "meetings:seminars", "accessibility",
                 "funding:secured", "projects:list"]:  # fmt: skip
        assert reverse(name) in paths, name
    for page in [live, sent, published, seminar, harlow, board]:
        assert page.get_absolute_url() in paths, page
    for private in [draft, scheduled, unsent, unpublished]:
        assert private.get_absolute_url() not in paths, private
    # Nothing else: every address listed is a page the public can read.
    robots = client.get("/robots.txt").content.decode()
    disallowed = [line.split(": ")[1] for line in robots.splitlines() if line.startswith("Disallow: ")]
    for path in paths:
        assert client.get(path).status_code == 200, path
        assert not any(path.startswith(prefix) for prefix in disallowed), path


@pytest.mark.parametrize(
    ("value", "check_id"),
    [("not a date", "news.E001"), ("2020-01-01", "news.W001"), ("2099-01-01", "news.W002"), ("", None)],
)
def test_a_system_check_catches_a_stale_far_or_unreadable_expiry(settings, value, check_id):
    from news.checks import security_txt_expiry

    settings.SECURITY_TXT_EXPIRES = value
    assert [m.id for m in security_txt_expiry()] == ([check_id] if check_id else [])

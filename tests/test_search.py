"""/search/: one search over public pages, news, the strategy, seminars, meeting items and
decisions; signed in, also papers, minutes and actions — never more than the viewer may read.

The same query runs as each audience (the permission matrix's cast) over records at every level,
and every result is checked against the permission functions the pages use."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from diz_portal import search
from meetings import services
from meetings.models import LEVELS_FOR, Action, AgendaItem, Decision, Minute, MinutesStatus, Paper
from meetings.permissions import (
    actions_visible_to,
    audience_for,
    decisions_visible_to,
    get_item_for_user,
    may_read_paper,
)
from news.models import Page, PublicationStatus
from tests.conftest import sign_in
from tests.factories import SeminarFactory
from tests.meetings.conftest import pdf_upload
from tests.news.conftest import news_item

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "bob", "dave", "carol", "alice"]


@pytest.fixture
def world(cast, board, harlow, alice, django_capture_on_commit_callbacks):
    """A past Board meeting with approved minutes and the next one with circulated draft minutes,
    each with a fibre item and paper at every level, a fibre decision, minute and action on each;
    an unpublished meeting; fibre news (live, draft), a page, a seminar."""
    with django_capture_on_commit_callbacks(execute=False):
        now = timezone.now()
        past = services.schedule_meeting(
            body=board, starts_at=now - timedelta(days=40), ends_at=now - timedelta(days=40, hours=-2), by=alice
        )
        recent = services.schedule_meeting(
            body=board, starts_at=now - timedelta(days=5), ends_at=now - timedelta(days=5, hours=-2), by=alice
        )
        future = services.schedule_meeting(
            body=board, starts_at=now + timedelta(days=20), ends_at=now + timedelta(days=20, hours=2), by=alice
        )
        hidden = services.schedule_meeting(
            body=board, starts_at=now + timedelta(days=50), ends_at=now + timedelta(days=50, hours=2), by=alice
        )
        for meeting in (past, recent, hidden):
            for level in ("public", "partners", "members", "restricted"):
                item = services.add_item(
                    meeting=meeting,
                    title=f"Full fibre {level} item",
                    visibility=level,
                    restriction_reason="Commercial" if level == "restricted" else "",
                    by=alice,
                )
                services.add_paper(
                    item=item,
                    title=f"Fibre {level} paper",
                    purpose="Fibre",
                    upload=pdf_upload(),
                    visibility=level,
                    restriction_reason="Commercial" if level == "restricted" else "",
                    by=alice,
                )
            if meeting is not hidden:
                services.publish_agenda(meeting=meeting, by=alice)
                for item in meeting.items.all():
                    services.record_decision(item=item, text=f"Agreed the fibre plan ({item.visibility}).", by=alice)
                    services.save_minute(item=item, text=f"The board discussed fibre ({item.visibility}).", by=alice)
                    services.record_action(
                        item=item,
                        description=f"Report on fibre ({item.visibility})",
                        owner=cast["carol"],
                        due_on=timezone.localdate() + timedelta(days=9),
                        by=alice,
                    )
                services.circulate_draft_minutes(meeting=meeting, by=alice)
        services.approve_minutes(meeting=past, at_meeting=recent, by=alice, today=recent.local_date)
        services.publish_agenda(meeting=future, by=alice)
    news_item("fibre-news", title="Fibre arrives", body="Full fibre for everyone.")
    news_item("fibre-draft", state="draft", title="Secret fibre draft")
    Page.objects.create(
        slug="about",
        title="About",
        body="We care about fibre.",
        status=PublicationStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    SeminarFactory(
        title="Fibre futures", slug="fibre-futures", held_on=timezone.localdate(), venue="Harlow", summary="Fibre talk"
    )
    return {"users": {"bob": cast["bob"], "dave": cast["dave"], "carol": cast["carol"], "alice": cast["alice"]}}


def permitted(user, result) -> bool:
    record = result.record
    if isinstance(record, AgendaItem):
        try:
            get_item_for_user(user, record.pk)
        except Exception:
            return False
        return True
    if isinstance(record, Paper):
        return may_read_paper(user, record)
    if isinstance(record, Decision):
        return decisions_visible_to(user).filter(pk=record.pk).exists()
    if isinstance(record, Action):
        return actions_visible_to(user).filter(pk=record.pk).exists()
    if isinstance(record, Minute):
        meeting = record.item.meeting
        audience = audience_for(user, meeting.body_id)
        if audience == "members":
            return meeting.minutes_status in (MinutesStatus.CIRCULATED, MinutesStatus.APPROVED)
        return meeting.minutes_status == MinutesStatus.APPROVED and record.item.visibility in LEVELS_FOR[audience]
    return True  # news, pages, strategy, seminars: their querysets are the public pages' own


@pytest.mark.parametrize("role", ROLES)
def test_every_result_is_one_the_viewer_may_read(world, role):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if role == "anonymous" else world["users"][role]
    groups = search.search("fibre", user)
    results = [r for g in groups for r in g["results"]]
    assert results
    wrong = [f"{r.kind}: {r.title}" for r in results if not permitted(user, r)]
    assert not wrong, f"{role} was shown: {wrong}"
    titles = " | ".join(r.title for r in results)
    assert "Secret fibre draft" not in titles


def kinds(groups) -> dict[str, list[str]]:
    return {g["key"]: [r.title for r in g["results"]] for g in groups}


def test_the_public_finds_public_records_only(world):
    from django.contrib.auth.models import AnonymousUser

    found = kinds(search.search("fibre", AnonymousUser()))
    assert set(found) == {"pages", "news", "seminars", "items", "decisions"}
    assert all("public" in title for title in found["items"])
    assert not any("restricted" in t or "members" in t or "partners" in t for t in found["items"])


def test_a_board_member_also_finds_restricted_papers_and_draft_minutes_of_their_body(world):
    found = kinds(search.search("fibre", world["users"]["carol"]))
    assert {"papers", "minutes", "actions"} <= set(found)
    assert any("restricted" in title for title in found["papers"])


def test_a_partner_officer_finds_partners_items_but_not_members_ones(world):
    found = kinds(search.search("fibre", world["users"]["bob"]))
    assert any("partners" in title for title in found["items"])
    assert not any("members" in t or "restricted" in t for t in found["items"] + found.get("papers", []))
    assert "actions" not in found  # the action log is for the body's members


def test_titles_rank_above_text_and_words_are_highlighted_and_escaped(client, db):
    news_item("in-text", title="An update", body="Something about broadband here.", days_ago=1)
    news_item("in-title", title="Broadband <script>", body="Words.", days_ago=2)
    html = client.get(reverse("search"), {"q": "broadband"}).content.decode()
    assert html.index("in-title") < html.index("in-text")
    assert "<mark>Broadband</mark> &lt;script&gt;" in html
    assert "<script>" not in html.split("<main", 1)[1]


def test_an_empty_or_wordless_query_shows_the_form_only(client, db):
    for q in ["", "   ", "!!!"]:
        response = client.get(reverse("search"), {"q": q})
        assert response.status_code == 200
        assert 'aria-labelledby="group-' not in response.content.decode()


def test_search_uses_full_text_search_on_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    news_item("stemmed", title="Connecting communities", body="Partners connected schools.")
    from django.contrib.auth.models import AnonymousUser

    found = kinds(search.search("connection", AnonymousUser()))
    assert found["news"] == ["Connecting communities"]  # stemming: connection ~ connecting


def test_signed_in_search_is_not_cached_for_others(client, world):
    sign_in(client, world["users"]["carol"])
    html = client.get(reverse("search"), {"q": "fibre"}).content.decode()
    assert "restricted" in html
    client.logout()
    html = client.get(reverse("search"), {"q": "fibre"}).content.decode()
    assert "restricted" not in html.split("<main", 1)[1]


def test_the_index_follows_edits_and_deletions_and_rebuilds_after_bulk_writes(db):
    if connection.vendor != "postgresql":
        pytest.skip("the index is PostgreSQL's")
    from django.contrib.auth.models import AnonymousUser

    from news.models import NewsItem, SearchEntry

    item = news_item("indexed", title="Broadband", body="Words.")
    assert kinds(search.search("broadband", AnonymousUser()))["news"] == ["Broadband"]
    item.title = "Gigabit"
    item.save()
    assert "news" not in kinds(search.search("broadband", AnonymousUser()))
    assert kinds(search.search("gigabit", AnonymousUser()))["news"] == ["Gigabit"]
    item.delete()
    assert not SearchEntry.objects.filter(kind="news").exists()
    NewsItem.objects.bulk_create(
        [
            NewsItem(
                slug="bulk", title="Bulk fibre", summary="s", body="b", status="published", published_at=timezone.now()
            )
        ]
    )
    assert "news" not in kinds(search.search("fibre", AnonymousUser()))  # no signal for bulk writes
    search.rebuild_index()
    assert kinds(search.search("fibre", AnonymousUser()))["news"] == ["Bulk fibre"]


@pytest.mark.parametrize("role", ROLES)
def test_when_the_best_matches_are_not_the_viewers_the_rest_are_still_searched(world, role, monkeypatch):
    """Each kind checks its best-ranked matches against the viewer's rules first; when fewer pass
    than a page of results and there are more matches, it searches the kind on its own. With a
    tiny first batch, every audience must still get the same results as with a large one."""
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if role == "anonymous" else world["users"][role]
    everything = kinds(search.search("fibre", user))
    monkeypatch.setattr(search, "CANDIDATES", 1)
    assert kinds(search.search("fibre", user)) == everything
    monkeypatch.setattr(search, "PER_KIND", 1)
    assert kinds(search.search("fibre", user)) == {key: titles[:1] for key, titles in everything.items()}

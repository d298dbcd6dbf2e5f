"""Cached pages and fragments never reach a viewer of another audience, whatever changes:
an item's visibility, a seat given or ended, publication, approval of minutes. Each check reads
the page twice per viewer (the second read is served from the cache) around every change."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from diz_portal import caching
from meetings import documents, services
from meetings.models import Visibility
from tests.conftest import sign_in
from tests.factories import MembershipFactory
from tests.meetings.conftest import MEMBERS_ONLY, PARTNERS_ONLY, PUBLIC, SECRETS, make_ready
from tests.support.outage import cache_down

pytestmark = pytest.mark.django_db


def _read(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def viewers(alice, bob, carol, dave):
    """One client per audience of the Board's meeting: public, partners (Bob, and Dave who sits
    on another body), members (Carol) and the programme manager (Alice)."""
    clients = {"public": Client()}
    for name, user in {"bob": bob, "dave": dave, "carol": carol, "alice": alice}.items():
        clients[name] = sign_in(Client(), user)
    return clients


def seen_by(viewers, url) -> dict[str, set[str]]:
    """Which of the agenda's titles each viewer sees, read twice (cold, then from the cache);
    both reads must agree."""
    titles = {"public": PUBLIC[0], "partners": PARTNERS_ONLY[0], "members": MEMBERS_ONLY[0], "restricted": SECRETS[0]}
    seen = {}
    for name, client in viewers.items():
        first, second = _read(client, url), _read(client, url)
        seen[name] = {level for level, title in titles.items() if title in first}
        assert seen[name] == {level for level, title in titles.items() if title in second}, name
    return seen


EXPECTED = {
    "public": {"public"},
    "bob": {"public", "partners"},
    "dave": {"public", "partners"},
    "carol": {"public", "partners", "members", "restricted"},
    "alice": {"public", "partners", "members", "restricted"},
}


def _documents_built(meeting):
    for document in documents.documents_for(meeting):
        make_ready(document)


def test_each_audience_sees_its_own_agenda_from_a_warm_cache(viewers, published):
    _documents_built(published)
    assert seen_by(viewers, published.get_absolute_url()) == EXPECTED
    # The second anonymous read was the cached page, not a new render.
    assert viewers["public"].get(published.get_absolute_url())[caching.HIT_HEADER] == "hit"


def test_a_visibility_change_reaches_every_cached_copy(viewers, published, items, alice):
    url = published.get_absolute_url()
    assert seen_by(viewers, url) == EXPECTED
    # The public item becomes restricted: gone at once for everyone outside the Board.
    services.change_item(
        item=items["public"],
        by=alice,
        **{
            name: getattr(items["public"], name)
            for name in services.ITEM_FIELDS
            if name not in ("visibility", "restriction_reason")
        },
        visibility=Visibility.RESTRICTED,
        restriction_reason="Commercial",
    )
    seen = seen_by(viewers, url)
    assert seen["public"] == set()
    assert seen["bob"] == seen["dave"] == {"partners"}
    assert PUBLIC[0] in _read(viewers["carol"], url)


def test_a_seat_given_and_ended_changes_what_the_cached_page_shows(viewers, published, dave, board, harlow):
    url = published.get_absolute_url()
    assert seen_by(viewers, url)["dave"] == {"public", "partners"}
    seat = MembershipFactory(body=board, person=dave, organisation=harlow)
    assert seen_by(viewers, url)["dave"] == EXPECTED["carol"]
    seat.ended_on = timezone.localdate() - timedelta(days=1)
    seat.save()
    assert seen_by(viewers, url) == EXPECTED


def test_a_draft_agenda_is_the_programme_managers_until_it_is_published(viewers, items, meeting, alice):
    url = meeting.get_absolute_url()
    seen = seen_by(viewers, url)
    assert seen["alice"] == EXPECTED["alice"]
    assert all(seen[name] == set() for name in ("public", "bob", "dave", "carol"))
    services.publish_agenda(meeting=meeting, by=alice)
    assert seen_by(viewers, url) == EXPECTED


def test_each_member_gets_their_own_csrf_token_in_the_shared_agenda(published, carol, board, broxbourne):
    from tests.factories import UserFactory

    erik = UserFactory(email="erik@example.org", name="Erik Eriksen", organisation=broxbourne)
    MembershipFactory(body=board, person=erik, organisation=broxbourne)
    url = published.get_absolute_url()
    tokens = []
    for user in (carol, erik):
        client = sign_in(Client(enforce_csrf_checks=True), user)
        html = _read(client, url)
        token = html.split('name="csrfmiddlewaretoken" value="')[-1].split('"')[0]
        assert caching.CSRF_PLACEHOLDER not in html
        tokens.append(token)
        # The token in the (shared) declaration form is this member's: the declaration goes through.
        item = published.items.get(title=MEMBERS_ONLY[0])
        response = client.post(
            f"/meetings/items/{item.pk}/declare/",
            {"csrfmiddlewaretoken": token, f"item-{item.pk}-interest": f"{user.name} is a trustee of the supplier"},
        )
        assert response.status_code == 302
    assert tokens[0] != tokens[1]


def test_a_page_with_a_document_being_built_is_not_kept(client, published):
    # The documents list says "queued" and, after two minutes, "waiting for a worker".
    url = published.get_absolute_url()
    _read(client, url)
    assert client.get(url)[caching.HIT_HEADER] == "miss"


def test_a_visitor_with_a_message_waiting_gets_the_page_rendered_for_them(client, published):
    url = published.get_absolute_url()
    _documents_built(published)
    _read(client, url)
    assert client.get(url)[caching.HIT_HEADER] == "hit"
    client.cookies["messages"] = "something"
    assert caching.HIT_HEADER not in client.get(url)


def test_signing_in_changes_nothing_shown_so_keeps_the_cache(published, carol):
    before = caching.stamps(["partners"])
    carol.last_login = timezone.now()
    carol.save(update_fields=["last_login"])
    assert caching.stamps(["partners"]) == before
    carol.name = "Carol Clark-Jones"
    carol.save()
    assert caching.stamps(["partners"]) != before


@cache_down
def test_pages_are_served_while_the_cache_is_down(viewers, published):
    caching._down_until = 0.0
    assert seen_by(viewers, published.get_absolute_url()) == EXPECTED
    assert caching._down_until > 0


def test_the_joining_link_reaches_only_those_invited_whatever_was_cached_first(viewers, published, items, alice, bob):
    """The meeting's heading and facts are shared by everyone with the same answer to "invited?";
    the link is for the programme manager, the body's members and the presenters of its items."""
    link = "https://meet.example.org/board-secret-room"
    services.change_meeting(meeting=published, by=alice, mode="hybrid", joining_link=link)
    url = published.get_absolute_url()

    def who_sees_it():
        seen = set()
        for name, client in viewers.items():
            first, second = _read(client, url), _read(client, url)
            assert (link in first) == (link in second), name
            if link in first:
                seen.add(name)
        return seen

    assert who_sees_it() == {"carol", "alice"}
    # Bob comes to present an item: he is invited now, and only he of those outside the Board.
    services.change_item(
        item=items["public"],
        by=alice,
        **{name: getattr(items["public"], name) for name in services.ITEM_FIELDS} | {"presenter": bob},
    )
    assert who_sees_it() == {"carol", "alice", "bob"}

"""The session and the signed-in person are read through the cache (diz_portal.sessions,
partners.backends): a page costs no query for them, and nothing the database has ended, changed
or taken away is served from an old copy: signing out, a new password elsewhere, an account
switched off, a seat given or ended. With the cache down, everything is read from the database."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diz_portal import caching
from tests.conftest import sign_in
from tests.factories import MembershipFactory
from tests.support.outage import cache_down

pytestmark = pytest.mark.django_db

MINE = reverse("meetings:my_actions")
REGISTER = reverse("meetings:interest_register")


def _signed_in(client) -> bool:
    response = client.get(MINE)
    assert response.status_code in (200, 302)
    return response.status_code == 200


def _queries_on(tables: tuple[str, ...], client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return [q["sql"] for q in queries.captured_queries if any(f'"{t}"' in q["sql"] for t in tables)]


def test_a_warm_page_reads_neither_session_nor_person_from_the_database(carol):
    client = sign_in(Client(), carol)
    assert _signed_in(client)
    assert _queries_on(("django_session", "partners_user"), client, MINE) == []


def test_signing_out_ends_the_session_although_a_copy_was_cached(carol):
    client = sign_in(Client(), carol)
    assert _signed_in(client) and _signed_in(client)  # the second read is from the cache
    stolen = Client()
    stolen.cookies["sessionid"] = client.cookies["sessionid"].value
    assert _signed_in(stolen)

    client.post(reverse("account_logout"))

    assert not _signed_in(client)
    assert not _signed_in(stolen)


def test_a_new_password_set_elsewhere_ends_the_other_sessions(carol):
    client = sign_in(Client(), carol)
    assert _signed_in(client) and _signed_in(client)
    carol.set_password("a-completely-new-password-2026")
    carol.save(update_fields=["password"])  # changes nothing shown, but the session's proof
    assert not _signed_in(client)


def test_an_account_switched_off_is_signed_out_at_its_next_request(carol):
    client = sign_in(Client(), carol)
    assert _signed_in(client) and _signed_in(client)
    carol.is_active = False
    carol.save()
    assert not _signed_in(client)


def test_a_seat_given_and_ended_counts_at_the_next_request(bob, board, harlow):
    client = sign_in(Client(), bob)
    assert client.get(REGISTER).status_code == 404  # members only
    seat = MembershipFactory(body=board, person=bob, organisation=harlow)
    assert client.get(REGISTER).status_code == 200
    assert client.get(REGISTER).status_code == 200
    seat.delete()
    assert client.get(REGISTER).status_code == 404


def test_session_data_saved_is_read_back_not_the_cached_copy(carol):
    client = sign_in(Client(), carol)
    assert _signed_in(client) and _signed_in(client)
    session = client.session
    session["diz-test-note"] = "changed"
    session.save()
    assert client.session["diz-test-note"] == "changed"
    assert _signed_in(client)


@cache_down
def test_with_the_cache_down_sessions_come_from_the_database(carol):
    caching._down_until = 0.0
    client = sign_in(Client(), carol)
    assert _signed_in(client)
    assert caching._down_until > 0  # it was tried, and found down
    assert _queries_on(("django_session",), client, MINE)
    client.post(reverse("account_logout"))
    assert not _signed_in(client)

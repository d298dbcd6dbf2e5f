"""The public strategy pages come from the cache for anonymous visitors, are never stale after a
change commits, and never reach (or come from) a signed-in viewer."""

import pytest
from django.urls import reverse

from strategy import services
from tests.conftest import sign_in
from tests.strategy.conftest import TEXT_1_1, endorse
from tests.support.queries import count_queries


@pytest.fixture
def consultation(v1, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.create_version(
            strategy=v1.strategy, label="1.1", text=TEXT_1_1, summary_of_changes="Partners-only words.", by=alice
        )
        services.start_consultation(version=version, by=alice)
    return version


@pytest.mark.parametrize("name", ["strategy:index", "strategy:feed", "strategy:endorsements_json"])
def test_a_warm_public_page_makes_no_queries(client, routes, name):
    url = reverse(name)
    client.get(url)
    assert count_queries(client, url, cold=False)[0] == 0


def test_a_recorded_endorsement_shows_at_once(client, routes, v1, bob, harlow, django_capture_on_commit_callbacks):
    url = reverse("strategy:index")
    assert "0 of 2 partners" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        endorse(harlow, v1, bob)
    assert "1 of 2 partners" in client.get(url).content.decode()


def test_a_cached_public_page_never_reaches_a_partner_and_a_partners_page_never_the_public(
    client, routes, consultation, bob
):
    url = reverse("strategy:index")
    public = client.get(url).content.decode()
    assert "Partners-only words." not in public
    sign_in(client, bob)
    assert "Partners-only words." in client.get(url).content.decode()
    client.logout()
    assert "Partners-only words." not in client.get(url).content.decode()


def test_public_project_pages_are_cached_and_a_new_update_shows_at_once(
    client, project, bob, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from strategy import delivery

    url = project.get_absolute_url()
    client.get(url)
    assert count_queries(client, url, cold=False)[0] == 0
    with django_capture_on_commit_callbacks(execute=True):
        delivery.post_update(
            project=project, by=bob, period="month", period_start=timezone.localdate(), rag="green", narrative="News!"
        )
    assert "News!" in client.get(url).content.decode()

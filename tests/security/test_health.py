"""Issue 6, point 10: /healthz tells anyone the status and the failing parts' names only, and
answers within a second whatever is down."""

import socket
import time

import pytest
from django.urls import reverse

from tests.conftest import sign_in

REDIS_CACHE_AS_IN_PRODUCTION = {"socket_connect_timeout": 1, "socket_timeout": 1}


@pytest.fixture
def silent_server():
    """A port that accepts connections and never answers (a hung Redis)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield f"redis://127.0.0.1:{sock.getsockname()[1]}/0"
    sock.close()


def cache_at(url, **options):
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "OPTIONS": options}}


@pytest.mark.services
def test_with_redis_stopped_it_answers_within_a_second_naming_the_parts_only(client, redis, settings):
    settings.CACHES = cache_at(redis.url, **REDIS_CACHE_AS_IN_PRODUCTION)
    url = reverse("healthz")
    client.get(url)  # the first request of a process loads the code
    redis.stop()
    started = time.monotonic()
    response = client.get(url)
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert elapsed < 1.0, f"took {elapsed:.2f} s"
    body = response.json()
    assert body["failing"] == ["cache", "broker", "worker"]
    assert body["checks"] == {"database": "ok", "cache": "failing", "broker": "failing", "worker": "failing"}
    text = response.content.decode()
    assert str(redis.port) not in text and "127.0.0.1" not in text and "Error" not in text


def test_a_hung_cache_does_not_hang_the_answer(client, db, settings, silent_server):
    settings.REDIS_URL = ""
    url = reverse("healthz")
    client.get(url)  # the first request of a process loads the code
    settings.CACHES = cache_at(silent_server, socket_connect_timeout=5, socket_timeout=5)
    started = time.monotonic()
    response = client.get(url)
    assert time.monotonic() - started < 1.0
    assert response.status_code == 503 and response.json()["failing"] == ["cache"]


def test_the_details_go_to_the_log_and_to_a_programme_manager(client, alice, settings, caplog):
    settings.REDIS_URL = ""
    settings.CACHES = cache_at("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    with caplog.at_level("WARNING", logger="diz_portal.health"):
        anonymous = client.get(reverse("healthz")).json()
    assert "details" not in anonymous
    assert "127.0.0.1:1" in caplog.text or "Connection" in caplog.text
    sign_in(client, alice)
    assert client.get(reverse("healthz")).json()["details"]["cache"].startswith("failing: ")

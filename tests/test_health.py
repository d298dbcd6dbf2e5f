import pytest
from django.urls import reverse


@pytest.fixture
def without_redis(settings):
    settings.REDIS_URL = ""


def test_healthz_is_healthy_with_database_and_cache(client, db, without_redis):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    assert body["checks"]["worker"].startswith("inline")
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_names_the_cache_when_it_cannot_be_reached(client, db, settings, without_redis):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]
    assert response.json()["checks"]["database"] == "ok"

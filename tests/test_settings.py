"""The settings module, read from the environment in a fresh process each time."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x9-deploy-check-" + "k" * 48,
    "ALLOWED_HOSTS": "diz.example.org",
    "DATABASE_URL": "postgres://diz:secret@db.example.org:5432/diz",
    "REDIS_URL": "redis://redis.example.org:6379/0",
}


def run(args, env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"}}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean | env, capture_output=True, text=True, timeout=60, check=False
    )


def settings_as_seen_with(env):
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'debug': s.DEBUG, 'db': s.DATABASES['default']['ENGINE'], "
        "'cache': s.CACHES['default']['BACKEND'], 'eager': s.CELERY_TASK_ALWAYS_EAGER, "
        "'broker': s.CELERY_BROKER_URL, 'tz': s.TIME_ZONE, 'lang': s.LANGUAGE_CODE, "
        "'email': s.EMAIL_BACKEND, 'ssl': s.SECURE_SSL_REDIRECT}))"
    )
    result = run(["-c", script], env | {"DJANGO_SETTINGS_MODULE": "diz_portal.settings"})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_nothing_set_it_runs_on_sqlite_with_tasks_inline():
    seen = settings_as_seen_with({})
    assert seen["db"] == "django.db.backends.sqlite3"
    assert seen["eager"] is True
    assert seen["cache"].endswith("LocMemCache")
    assert seen["email"].endswith("console.EmailBackend")
    assert (seen["tz"], seen["lang"]) == ("Europe/London", "en-gb")
    assert seen["debug"] is False and seen["ssl"] is True  # secure unless told otherwise


def test_with_database_and_redis_urls_it_uses_postgresql_redis_and_workers():
    seen = settings_as_seen_with(PRODUCTION)
    assert seen["db"] == "django.db.backends.postgresql"
    assert seen["eager"] is False
    assert seen["broker"] == "redis://redis.example.org:6379/0"
    assert seen["cache"].endswith("RedisCache")


def test_production_settings_pass_the_deploy_checks():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_checks_refuse_the_development_secret_key():
    env = PRODUCTION | {"SECRET_KEY": ""}
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_responses_carry_the_security_headers(client, db):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"

"""/healthz: is each part the portal depends on reachable? 200 when all are, 503 naming the
failing part when not. Checks are short (about a second each at worst)."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    key = f"healthz:{get_random_string(8)}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("value written was not read back")
    cache.delete(key)
    return "ok"


def check_broker() -> str:
    from diz_portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=1)
    return "ok"


def check_worker() -> str:
    from diz_portal.celery import app

    replies = app.control.ping(timeout=1.0)
    if not replies:
        raise RuntimeError("no worker answered")
    return f"ok ({len(replies)} answering)"


def run_checks() -> dict[str, str]:
    checks = {"database": check_database, "cache": check_cache}
    if settings.REDIS_URL:
        checks |= {"broker": check_broker, "worker": check_worker}
    results = {}
    for name, check in checks.items():
        if name == "worker" and results.get("broker", "").startswith("failing"):
            results[name] = "failing: cannot reach a worker without the broker"
            continue
        try:
            results[name] = check()
        except Exception as error:  # report any failure, whatever raised it
            results[name] = f"failing: {type(error).__name__}: {error}"[:300]
    if not settings.REDIS_URL:
        results["worker"] = "inline (tasks run in the web process; REDIS_URL is not set)"
    return results


@never_cache
def healthz(request):
    results = run_checks()
    failing = [name for name, result in results.items() if result.startswith("failing")]
    body = {"status": "failing" if failing else "ok", "failing": failing, "checks": results}
    return JsonResponse(body, status=503 if failing else 200)

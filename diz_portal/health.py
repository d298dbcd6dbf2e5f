"""/healthz: is each part the portal depends on reachable? 200 when all are, 503 naming the
failing parts when not.

Anyone may ask, so the answer holds the status and the names of the parts only; what went wrong
(hosts, ports, exception text) goes to the log, and to a programme manager who asks. The checks
run side by side, each with its own short timeout, and the answer waits for them at most
CHECK_BUDGET seconds: whatever is down, the endpoint answers within a second."""

import logging
from concurrent.futures import ThreadPoolExecutor, wait

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache

from partners.permissions import is_programme_manager

logger = logging.getLogger(__name__)

CHECK_BUDGET = 0.8  # seconds for all the checks together
CHECK_TIMEOUT = 0.7  # seconds each network call may take
_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="healthz")


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()  # this thread's own connection: never left open between checks
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
        conn.ensure_connection(max_retries=1, timeout=CHECK_TIMEOUT)
    return "ok"


def check_worker() -> str:
    from diz_portal.celery import app

    replies = app.control.ping(timeout=CHECK_TIMEOUT, limit=1)  # done at the first answer
    if not replies:
        raise RuntimeError("no worker answered")
    return "ok"


def run_checks() -> dict[str, str]:
    """Each part's result: "ok…", "inline…" or "failing: <details>"."""
    checks = {"database": check_database, "cache": check_cache}
    if settings.REDIS_URL:
        checks |= {"broker": check_broker, "worker": check_worker}
    futures = {name: _pool.submit(check) for name, check in checks.items()}
    wait(futures.values(), timeout=CHECK_BUDGET)
    results = {}
    for name, future in futures.items():
        if not future.done():
            results[name] = f"failing: no answer within {CHECK_BUDGET} s"
            continue
        try:
            results[name] = future.result()
        except Exception as error:  # report any failure, whatever raised it
            results[name] = f"failing: {type(error).__name__}: {error}"[:300]
    if results.get("broker", "").startswith("failing"):
        results["worker"] = "failing: cannot reach a worker without the broker"
    if not settings.REDIS_URL:
        results["worker"] = "inline (tasks run in the web process; REDIS_URL is not set)"
    return results


def summary(result: str) -> str:
    return result.split(" ", 1)[0].rstrip(":")


@never_cache
def healthz(request):
    results = run_checks()
    failing = [name for name, result in results.items() if result.startswith("failing")]
    for name in failing:
        logger.warning("healthz: %s %s", name, results[name])
    body = {
        "status": "failing" if failing else "ok",
        "failing": failing,
        "checks": {name: summary(result) for name, result in results.items()},
    }
    if is_programme_manager(request.user):
        body["details"] = results
    return JsonResponse(body, status=503 if failing else 200)

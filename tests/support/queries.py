"""The query-count harness: a page must make the same number of queries whatever the data's size,
counted on a cold cache (nothing cached: the worst case, and what the data's size could change),
and no more than `WARM_BOUND` once what it caches is warm."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from diz_portal import caching

WARM_BOUND = 10


def count_queries(client, url, *, cold=True) -> tuple[int, list[str]]:
    if cold:
        caching.bump_all()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]


def _short(sqls) -> str:
    return "\n".join(sql[:300] for sql in sqls)[:4000]


def assert_constant_queries(client, url, grow, *, bound: int = 15, warm_bound: int = WARM_BOUND) -> int:
    """Render `url`, call `grow()` to add data, render again: the cold counts must match and stay
    under `bound`, and a warm render must stay under `warm_bound`. The page is rendered once first
    so one-off caches (content types, sessions) settle."""
    client.get(url)
    small, small_sql = count_queries(client, url)
    grow()
    large, large_sql = count_queries(client, url)
    assert small == large, (
        f"{url} made {small} queries with the small data set and {large} with the large one:\n"
        + _short(sql for sql in large_sql if sql not in small_sql)
    )
    assert large <= bound, f"{url} made {large} queries (bound {bound}):\n" + _short(large_sql)
    client.get(url)
    warm, warm_sql = count_queries(client, url, cold=False)
    assert warm <= warm_bound, f"{url} made {warm} queries on a warm cache (bound {warm_bound}):\n" + _short(warm_sql)
    return large

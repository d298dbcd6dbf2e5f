"""The query-count harness: a page must make the same number of queries whatever the data's size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]


def assert_constant_queries(client, url, grow, *, bound: int = 15) -> int:
    """Render `url`, call `grow()` to add data, render again: the counts must match and stay under
    `bound`. The page is rendered once first so one-off caches (content types, sessions) settle."""
    client.get(url)
    small, small_sql = count_queries(client, url)
    grow()
    large, large_sql = count_queries(client, url)
    assert small == large, (
        f"{url} made {small} queries with the small data set and {large} with the large one:\n"
        + "\n".join(sql for sql in large_sql if sql not in small_sql)[:4000]
    )
    assert large <= bound, f"{url} made {large} queries (bound {bound}):\n" + "\n".join(large_sql)[:4000]
    return large

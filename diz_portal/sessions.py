"""Sessions kept in the database and read through the cache (SESSION_ENGINE).

Every signed-in request reads its session; from the database that is a query on every page.
Here the session is read from the cache when it can be, in the same round trip as the other
things every page reads (`caching.read_on_every_request`), and from the database otherwise.

The database stays the record: every save and delete writes it first, then replaces the
session's own stamp (caching's topics and stamps), so a copy cached before is never served
again: after signing out, the old session is gone from the cache too. If the cache cannot be told
(it is down), caching replaces the stamps of everything as soon as it is back, so no copy from
before the outage is trusted. A copy also carries the session's expiry and is not used after it.
"""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.utils import timezone

from diz_portal import caching


def session_topic(session_key: str) -> str:
    return f"{caching.SESSION_TOPIC_PREFIX}{session_key}"


class SessionStore(DBStore):
    def load(self):
        key = self.session_key
        if not key:
            return {}
        entry, topics = caching.value_key(("session", key)), [session_topic(key)]
        caching.prefetch([(entry, topics), *caching.every_request_entries()])
        current, stored = caching._lookup(entry, topics)
        now = timezone.now()
        if stored is not None and stored[1] > now:
            return stored[0]
        found = self._get_session_from_db()
        if found is None:
            return {}
        data = self.decode(found.session_data)
        if current is not None:
            seconds = int((found.expire_date - now).total_seconds())
            caching._store(entry, current, (data, found.expire_date), max(seconds, 1))
        return data

    def save(self, must_create=False):
        super().save(must_create)
        caching.bump(session_topic(self.session_key))

    def delete(self, session_key=None):
        session_key = session_key or self.session_key
        super().delete(session_key)
        if session_key:
            caching.bump(session_topic(session_key))

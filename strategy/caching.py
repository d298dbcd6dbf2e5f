"""Anonymous visitors' strategy pages come from the shared cache (Redis in production), so the
public pages serve at a fraction of a bare view's cost.

Only anonymous GETs are cached, so a cached page is always the public audience's (and pages cached
here carry no form that needs a CSRF token): a partner or the
programme manager (who see consultation versions and amendment requests) never receives one, and
never leaves one behind. The key carries a stamp that changes whenever anything the public pages
show changes (a strategy, version, section or endorsement; an organisation's name; the
partnership's aims), and again after the change commits, so a page is never older than the data it shows;
an hour's expiry only tidies up."""

from __future__ import annotations

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

STAMP_KEY = "strategy:public-stamp"


def _seconds() -> int:
    return getattr(settings, "STRATEGY_PUBLIC_CACHE_SECONDS", 3600)


def stamp() -> str:
    value = cache.get(STAMP_KEY)
    if value is None:
        value = str(time.time_ns())
        cache.add(STAMP_KEY, value, timeout=None)
        value = cache.get(STAMP_KEY, value)
    return value


def _bump() -> None:
    cache.set(STAMP_KEY, str(time.time_ns()), timeout=None)


def changed(**kwargs) -> None:
    """Signal receiver: the public pages are stale. Bumped now (so nothing in this transaction
    reads an old page) and again once the change commits: a page cached by another request in
    between, from the data before the commit, is never served."""
    _bump()
    transaction.on_commit(_bump)


def public_cache(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        # A visitor with a message waiting (e.g. "You have signed out") gets the page made for them:
        # the message must neither be lost nor end up in everyone's copy.
        if request.method != "GET" or request.user.is_authenticated or not _seconds() or len(get_messages(request)):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"strategy:page:{stamp()}:{path}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            cache.set(key, (response.content, response["Content-Type"]), timeout=_seconds())
        return response

    return wrapped

"""Caching by audience: whole pages for anonymous visitors, shared fragments for signed-in ones.

The pattern every page follows (README, "How pages are cached"):

- **Topics and stamps.** Each kind of data belongs to a topic ("partners", "meetings", ...). A topic
  has a stamp, a random token kept in the cache. Every cache key includes the stamps of the topics
  its content was built from, so changing the data (which replaces the stamp) makes every key built
  from it unreachable at once: invalidation by change, not by expiry. `watch(Model, topics)` replaces
  the stamps whenever a row is saved or deleted; code that writes with `QuerySet.update()` calls
  `bump(topic)` itself. The stamp is replaced again when the transaction commits, so a page built
  from the old data by another request during the transaction is not kept either.
- **Audience in every key.** A key always says who the content is for ("public", "partners",
  "members", "manager", or finer), never just what it is about. Content is shared between viewers
  only when everything in it is decided by that audience.
- **Whole pages** (`@public_page`) only for visitors who are not signed in and carry no session or
  flash message; anyone else gets the page rendered for them. A page is kept only if it is a 200
  with no cookie set and no CSRF token used.
- **Fragments** (`fragment`) for the parts of signed-in pages an audience shares; what is personal
  (my answer, my forms) is rendered per request around them. A fragment may contain
  `{% csrf_token %}`: the token is swapped for a placeholder when stored and for the viewer's own
  token when served.
- **The cache is an accelerator, never a dependency**: when it is unreachable, pages are rendered
  as if nothing were cached, and it is not asked again for a few seconds.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe

logger = logging.getLogger(__name__)

PAGE_TIMEOUT = 60  # seconds: whole public pages also show the time of day (upcoming/past)
FRAGMENT_TIMEOUT = 10 * 60
VALUE_TIMEOUT = 10 * 60
OUTAGE_BACKOFF = 10  # seconds without asking the cache after it failed
HIT_HEADER = "X-DIZ-Cache"
CSRF_PLACEHOLDER = "diz-csrf-placeholder-7f3a"
SESSION_COOKIES = ("sessionid", "messages")

EPOCH = "epoch"  # a topic in every key: replaced when a change could not be announced
SESSION_TOPIC_PREFIX = "session-"  # one topic per session (diz_portal.sessions): its stamp expires
_down_until = 0.0
_epoch_pending = False


# --- Cache access that survives an outage ------------------------------------------------------


def _available() -> bool:
    return time.monotonic() >= _down_until


def _failed(error: Exception) -> None:
    global _down_until
    _down_until = time.monotonic() + OUTAGE_BACKOFF
    logger.warning("Cache unavailable (%s); rendering without it for %ss", error, OUTAGE_BACKOFF)


def _call(method: str, *args, **kwargs):
    """Call the cache, or return None (and back off) if it is unreachable."""
    if not _available():
        return None
    try:
        if _epoch_pending:
            _replace_stamps([EPOCH])
        return getattr(cache, method)(*args, **kwargs)
    except Exception as error:  # any backend error: redis' ConnectionError, TimeoutError, ...
        _failed(error)
        return None


# --- Topics and stamps -----------------------------------------------------------------------------


def _stamp_key(topic: str) -> str:
    return f"stamp:{topic}"


def _replace_stamps(topics: Iterable[str]) -> None:
    """New stamps for the topics. If the cache cannot be told, everything cached before must be
    forgotten once it can: the epoch is replaced at the next successful call."""
    global _epoch_pending
    topics = list(topics)
    try:
        for timeout, group in _by_stamp_timeout(topics).items():
            cache.set_many({_stamp_key(t): secrets.token_hex(8) for t in group}, timeout=timeout)
        if EPOCH in topics:
            _epoch_pending = False
    except Exception as error:
        _epoch_pending = True
        _failed(error)


def _stamp_timeout(topic: str) -> int | None:
    """Stamps live for ever, except a session's: it is of no use after the session has expired."""
    if topic.startswith(SESSION_TOPIC_PREFIX):
        from django.conf import settings

        return settings.SESSION_COOKIE_AGE + 60
    return None


def _by_stamp_timeout(topics: Iterable[str]) -> dict[int | None, list[str]]:
    groups: dict[int | None, list[str]] = {}
    for topic in topics:
        groups.setdefault(_stamp_timeout(topic), []).append(topic)
    return groups


def bump(*topics: str) -> None:
    """The data of these topics changed: stop serving anything built from it, now and again
    when the current transaction commits."""
    if not topics:
        return
    _replace_stamps(topics)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(functools.partial(_replace_stamps, topics))


def bump_all() -> None:
    """Forget everything cached (after loading demo or bench data, which skips signals)."""
    bump(EPOCH)


def stamps(topics: Iterable[str]) -> str | None:
    """One string of the current stamps of the topics (and the epoch), creating missing ones;
    None when the cache is unreachable."""
    names = sorted({EPOCH, *topics})
    found = _call("get_many", [_stamp_key(t) for t in names])
    if found is None:
        return None
    missing = {_stamp_key(t): secrets.token_hex(8) for t in names if _stamp_key(t) not in found}
    if missing:
        # `add` keeps a stamp another process set meanwhile; read back what won.
        for key, value in missing.items():
            if _call("add", key, value, timeout=_stamp_timeout(key.removeprefix("stamp:"))) is None:
                return None
        found = _call("get_many", [_stamp_key(t) for t in names])
        if found is None or len(found) < len(names):
            return None
    return "-".join(found[_stamp_key(t)] for t in names)


def watch(model, topics: Iterable[str] | Callable, *, ignore_fields: Iterable[str] = (), name: str = "") -> None:
    """Bump the topics whenever a row of `model` is saved or deleted. `topics` may be a function
    of the instance. A save that only touches `ignore_fields` (a user's last_login) changes
    nothing shown. A second watch of the same model needs its own `name`."""
    ignored = frozenset(ignore_fields)

    def topics_for(instance) -> list[str]:
        return list(topics(instance) if callable(topics) else topics)

    def saved(sender, instance, update_fields=None, raw=False, **kwargs):
        if raw or (update_fields and ignored.issuperset(update_fields)):
            return
        bump(*topics_for(instance))

    def deleted(sender, instance, **kwargs):
        bump(*topics_for(instance))

    uid = f"diz-caching-{model._meta.label}{'-' + name if name else ''}"
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=uid)


def watch_m2m(through, topics: Iterable[str]) -> None:
    """Bump the topics when rows are added to or removed from a many-to-many relation (a person
    joining a group, a group gaining a permission), which saves no model."""
    topics = list(topics)

    def changed(sender, action, **kwargs):
        if action in ("post_add", "post_remove", "post_clear"):
            bump(*topics)

    m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=f"diz-caching-m2m-{through._meta.label}")


def _key(kind: str, *parts) -> str:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f"{kind}:{digest}"


def _lookup(key: str, topics: Iterable[str]):
    """The topics' current stamps and what is kept under `key` if it was built from them, in one
    round trip: (stamps, value), (stamps, None) on a miss, (None, None) if the cache is down.
    Entries are stored with the stamps they were built from, so something built while the data
    changed under it is never served after the change. What `prefetch` read earlier in the same
    request is used (once) instead of asking again."""
    scope = _scope.get()
    if scope is not None and _WANTED in scope and key not in scope:
        prefetch([(key, topics)])  # with whatever the request said it will want
    if scope is not None and key in scope:
        return scope.pop(key)
    return _lookup_many([(key, topics)])[key]


def _lookup_many(entries: list[tuple[str, Iterable[str]]]) -> dict:
    """`_lookup` for several keys in one round trip: {key: (stamps, value)}."""
    names_of = {key: sorted({EPOCH, *topics}) for key, topics in entries}
    stamp_keys = sorted({_stamp_key(t) for names in names_of.values() for t in names})
    found = _call("get_many", [*stamp_keys, *names_of])
    if found is None:
        return dict.fromkeys(names_of, (None, None))
    result = {}
    for key, names in names_of.items():
        keys = [_stamp_key(t) for t in names]
        if any(k not in found for k in keys):
            result[key] = (stamps(names), None)
            continue
        current = "-".join(found[k] for k in keys)
        stored = found.get(key)
        result[key] = (current, stored[1]) if stored is not None and stored[0] == current else (current, None)
    return result


# --- One round trip for what a request will ask ------------------------------------------------------

_scope: contextvars.ContextVar[dict | None] = contextvars.ContextVar("diz_caching_scope", default=None)
_WANTED = "\x00wanted"  # in the scope: entries `want` named, not fetched yet


class RequestScopeMiddleware:
    """Gives each request a place for what `prefetch` reads ahead, and empties it afterwards."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _scope.set({})
        try:
            return self.get_response(request)
        finally:
            _scope.reset(token)


_every_request: list[tuple[str, list[str]]] = []


def read_on_every_request(name, topics: Iterable[str]) -> None:
    """A `cached_value` nearly every signed-in page reads (the partnership): it is fetched with
    the session, in the same round trip."""
    _every_request.append((value_key(name), list(topics)))


def every_request_entries() -> list[tuple[str, list[str]]]:
    return list(_every_request)


def value_key(name) -> str:
    return _key("value", name)


def fragment_key(name: str, audience) -> str:
    return _key("fragment", name, audience)


def prefetch(entries: Iterable[tuple[str, Iterable[str]]]) -> None:
    """Read several entries (`value_key(name)` or `fragment_key(name, audience)` with their topics)
    in one round trip, for the `cached_value` and `fragment` calls later in this request: a page
    that needs six cached things asks the cache once instead of six times. Outside a request (no
    scope) it does nothing."""
    scope = _scope.get()
    if scope is None:
        return
    entries = [(key, list(topics)) for key, topics in [*entries, *scope.pop(_WANTED, [])] if key not in scope]
    if entries:
        scope.update(_lookup_many(entries))


def want(entries: Iterable[tuple[str, Iterable[str]]]) -> None:
    """Entries this request will read, fetched with the next round trip it makes anyway (the
    session's, or the first lookup's): a view names the record its address points to before
    touching the signed-in user, and gets it with the session."""
    scope = _scope.get()
    if scope is not None:
        scope.setdefault(_WANTED, []).extend((key, list(topics)) for key, topics in entries)


def _store(key: str, current: str, value, timeout: int) -> None:
    _call("set", key, (current, value), timeout)


# --- Whole pages for anonymous visitors --------------------------------------------------------------


def is_plain_visitor(request) -> bool:
    """Not signed in, no session and no flash message waiting: every such visitor sees the same page."""
    return request.method in ("GET", "HEAD") and not any(name in request.COOKIES for name in SESSION_COOKIES)


def public_page(*topics: str):
    """Serve the view's page to plain visitors from the cache, keyed by address and the topics'
    stamps; everyone else gets it rendered for them."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not is_plain_visitor(request):
                return view(request, *args, **kwargs)
            key = _key("page", "public", request.get_host(), request.is_secure(), request.get_full_path())
            current, stored = _lookup(key, topics)
            if current is None:
                return view(request, *args, **kwargs)
            if stored is not None:
                content, content_type, headers = stored
                response = HttpResponse(content, content_type=content_type)
                for name, value in headers:
                    response[name] = value
                response[HIT_HEADER] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if isinstance(response, TemplateResponse) and not response.is_rendered:
                response.render()
            if _storable(request, response):
                headers = [
                    (n, v)
                    for n, v in response.items()
                    if n.lower() in ("content-disposition", "last-modified", "cache-control")
                ]
                _store(key, current, (response.content, response["Content-Type"], headers), PAGE_TIMEOUT)
            response[HIT_HEADER] = "miss"
            return response

        return wrapper

    return decorator


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(response, "do_not_store", False)
    )


# --- Fragments and values for signed-in pages --------------------------------------------------------


def fragment(
    request, name: str, audience, topics: Iterable[str], template: str, build: Callable[[], dict], *, share=True
) -> str:
    """The HTML of a fragment shared by an audience: from the cache, or rendered from `template`
    with the context `build()` returns, and kept. `audience` is everything that decides the content
    besides the topics' data (the meeting, the viewer's level, ...). A context holding
    `"keep": False` is rendered but not kept (a document still building); with `share=False`
    (a form carrying the viewer's rejected input) the cache is not used at all. The fragment's CSRF
    token is a placeholder, replaced by the viewer's own token whenever it is served."""
    key = fragment_key(name, audience)
    current, html = _lookup(key, topics) if share else (None, None)
    if html is None:
        context = build()
        html = render_to_string(template, {**context, "csrf_token": CSRF_PLACEHOLDER}, request)
        if current is not None and context.get("keep", True):
            _store(key, current, html, FRAGMENT_TIMEOUT)
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308 - rendered by our own template, escaped there


def cached_value(name: str, topics: Iterable[str], compute: Callable):
    """A computed value (a list of ids, a count) kept until the topics change."""
    key = value_key(name)
    current, found = _lookup(key, topics)
    if found is not None:
        return found[0]
    value = compute()
    if current is not None:
        _store(key, current, (value,), VALUE_TIMEOUT)
    return value


ONLY_FOR = re.compile(r"<!--diz-only:([^>]*)-->(.*?)<!--/diz-only-->", re.S)


def keep_only_for(html: str, keys: set[str]) -> str:
    """Keep the parts of a shared fragment marked `<!--diz-only:KEY-->...<!--/diz-only-->` whose
    KEY is one of `keys` (the viewer's), and drop the others: a link only its owner may follow,
    in a table everyone else shares."""
    return mark_safe(ONLY_FOR.sub(lambda m: m.group(2) if m.group(1) in keys else "", str(html)))  # noqa: S308

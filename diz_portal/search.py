"""One search over the public site and, for people signed in, the governance records they may read.

Each kind of result is one query: its records filtered by the same rules the pages use (live news,
pages and seminars, public strategy versions, meeting items at the viewer's levels on published agendas,
decisions, minutes and actions by `meetings.permissions`' minuted-record rules, papers by their item's
and their own level), then matched. On PostgreSQL the match is full-text search (English
configuration, titles weighted above bodies, ranked by ts_rank); elsewhere (SQLite) every word must
appear in the title or text, ranked by where it appears. The matching words are highlighted in a
snippet here, in Python, from escaped text: nothing a person typed is ever rendered as markup.
Delivery-plan projects: public ones for everyone, partners-only ones for partners (as /projects/)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from diz_portal import markdown
from meetings.models import LEVELS_FOR, Action, AgendaItem, Decision, Minute, MinutesStatus, Paper, Seminar
from meetings.permissions import actions_visible_to, decisions_visible_to, member_body_ids
from news.models import NewsItem, Page, SearchEntry
from partners.permissions import is_partner_officer, is_programme_manager
from strategy.models import PUBLIC_VERSION_STATUSES, Project, Section, Strategy

PER_KIND = 10
MAX_QUERY = 200
SNIPPET = 220
CONFIG = "english"


@dataclass
class Result:
    kind: str
    title: str
    url: str
    text: str
    rank: float = 0.0
    snippet: SafeString = field(default_factory=lambda: mark_safe(""))


@dataclass
class Kind:
    key: str
    label: str
    model: type
    queryset: Callable  # (user) -> QuerySet, already limited to what the user may read
    title: str  # field (or lookup) holding the title
    text: str  # field holding the body
    url: Callable  # (record) -> address
    result_title: Callable = str
    signed_in_only: bool = False


def words(query: str) -> list[str]:
    return [w for w in re.findall(r"\w+", query.lower()) if len(w) > 1][:10]


# --- Who may read what (the pages' own rules) ------------------------------------------------


def _outside_levels(user) -> set[str]:
    return LEVELS_FOR["partners" if is_partner_officer(user) else "public"]


def items_visible_to(user) -> QuerySet:
    items = AgendaItem.objects.select_related("meeting__body")
    if is_programme_manager(user):
        return items
    bodies = member_body_ids(user)
    return items.filter(meeting__agenda_published_at__isnull=False).filter(
        Q(visibility__in=_outside_levels(user)) | Q(meeting__body_id__in=bodies)
    )


def papers_visible_to(user) -> QuerySet:
    papers = Paper.objects.select_related("item__meeting__body")
    if is_programme_manager(user):
        return papers
    levels = _outside_levels(user)
    bodies = member_body_ids(user)
    return papers.filter(item__meeting__agenda_published_at__isnull=False).filter(
        Q(item__visibility__in=levels, visibility__in=levels) | Q(item__meeting__body_id__in=bodies)
    )


def minutes_visible_to(user) -> QuerySet:
    """As meetings.permissions' rule for minuted records: outside a body, approved minutes of items
    within the viewer's levels; on their bodies, circulated or approved."""
    minutes = Minute.objects.select_related("item__meeting__body").exclude(text="")
    if is_programme_manager(user):
        return minutes
    rule = Q(item__meeting__minutes_status=MinutesStatus.APPROVED, item__visibility__in=_outside_levels(user))
    bodies = member_body_ids(user)
    if bodies:
        rule |= Q(
            item__meeting__body_id__in=bodies,
            item__meeting__minutes_status__in=[MinutesStatus.CIRCULATED, MinutesStatus.APPROVED],
        )
    return minutes.filter(rule)


def _sections(user) -> QuerySet:
    current = Strategy.objects.order_by("pk").values("pk")[:1]
    return Section.objects.filter(
        version__strategy__in=current, version__status__in=PUBLIC_VERSION_STATUSES
    ).select_related("version")


PAGE_URLS = {"about": "news:about", "privacy": "news:privacy"}

KINDS = [
    Kind(
        "pages",
        "Pages",
        Page,
        lambda user: Page.objects.live().filter(slug__in=PAGE_URLS),
        "title",
        "body",
        lambda page: reverse(PAGE_URLS[page.slug]),
    ),
    Kind(
        "news",
        "News",
        NewsItem,
        lambda user: NewsItem.objects.live(),
        "title",
        "body",
        lambda item: item.get_absolute_url(),
    ),
    Kind(
        "strategy",
        "Strategy",
        Section,
        _sections,
        "heading",
        "text",
        lambda section: section.version.get_absolute_url(),
        lambda section: f"{section.heading} (strategy version {section.version.label})",
    ),
    Kind(
        "projects",
        "Projects",
        Project,
        lambda user: Project.objects.visible_to(user),
        "title",
        "summary",
        lambda project: project.get_absolute_url(),
    ),
    Kind(
        "seminars",
        "Seminars and reports",
        Seminar,
        lambda user: Seminar.objects.live(),
        "title",
        "summary",
        lambda seminar: seminar.get_absolute_url(),
    ),
    Kind(
        "items",
        "Meeting items",
        AgendaItem,
        items_visible_to,
        "title",
        "description",
        lambda item: f"{item.meeting.get_absolute_url()}#item-{item.pk}",
        lambda item: f"{item.title} ({item.meeting.body.name}, {timezone.localtime(item.meeting.starts_at):%-d %B %Y})",
    ),
    Kind(
        "decisions",
        "Decisions",
        Decision,
        decisions_visible_to,
        "reference",
        "text",
        lambda decision: f"{decision.meeting.get_absolute_url()}#item-{decision.item_id}",
        lambda decision: f"Decision {decision.reference} ({decision.meeting.body.name})",
    ),
    Kind(
        "papers",
        "Papers",
        Paper,
        papers_visible_to,
        "title",
        "purpose",
        lambda paper: f"{paper.item.meeting.get_absolute_url()}#item-{paper.item_id}",
        lambda paper: (
            f"{paper.title} ({paper.item.meeting.body.name}, {timezone.localtime(paper.item.meeting.starts_at):%-d %B %Y})"
        ),
        signed_in_only=True,
    ),
    Kind(
        "minutes",
        "Minutes",
        Minute,
        minutes_visible_to,
        "item__title",
        "text",
        lambda minute: f"{minute.item.meeting.get_absolute_url()}#item-{minute.item_id}",
        lambda minute: f"Minute: {minute.item.title} ({minute.item.meeting.body.name})",
        signed_in_only=True,
    ),
    Kind(
        "actions",
        "Actions",
        Action,
        actions_visible_to,
        "description",
        "update",
        lambda action: f"{action.meeting.get_absolute_url()}",
        lambda action: f"Action: {action.description[:80]} ({action.meeting.body.name})",
        signed_in_only=True,
    ),
]


# --- Matching --------------------------------------------------------------------------------


def _vector(kind: Kind) -> SearchVector:
    return SearchVector(kind.title, weight="A", config=CONFIG) + SearchVector(kind.text, weight="B", config=CONFIG)


CANDIDATES = 200  # per kind, the best-ranked matches checked against the viewer's rules first


def _candidates(query: str) -> dict[str, list[tuple[int, float]]]:
    """Every match in the index, ranked, by kind: one query for the whole search, so a kind with
    no match costs nothing more and the others are checked only for their best matches."""
    search = SearchQuery(query, search_type="websearch", config=CONFIG)
    found: dict[str, list[tuple[int, float]]] = {}
    best_first = [F("r").desc(), F("object_id").desc()]
    rows = (
        SearchEntry.objects.filter(vector=search)
        .annotate(r=SearchRank(F("vector"), search))
        # One more than is checked, to know whether there are more.
        .annotate(n=Window(RowNumber(), partition_by=[F("kind")], order_by=best_first))
        .filter(n__lte=CANDIDATES + 1)
        .order_by(*best_first)
        .values_list("kind", "object_id", "r")
    )
    for kind, object_id, rank in rows:
        found.setdefault(kind, []).append((object_id, rank))
    return found


def _match_candidates(qs: QuerySet, kind: Kind, query: str, candidates: list[tuple[int, float]]) -> list:
    """The best-ranked matches the viewer may read: the first CANDIDATES checked by the kind's
    rules; only if too few of them pass and there are more does the kind search on its own."""
    ranks = dict(candidates[:CANDIDATES])
    allowed = set(qs.filter(pk__in=list(ranks)).values_list("pk", flat=True))
    if len(allowed) < PER_KIND and len(candidates) > CANDIDATES:
        return _match_postgres(qs, kind, query)
    best = [pk for pk, _rank in candidates[:CANDIDATES] if pk in allowed][:PER_KIND]  # already best first
    records = list(qs.filter(pk__in=best))
    for record in records:
        record.search_rank = ranks[record.pk]
    records.sort(key=lambda r: (-r.search_rank, -r.pk))
    return records


def _match_postgres(qs: QuerySet, kind: Kind, query: str) -> list:
    """Match and rank in the index (GIN), then keep what the viewer's queryset allows."""
    search = SearchQuery(query, search_type="websearch", config=CONFIG)
    entries = SearchEntry.objects.filter(kind=kind.key, vector=search)
    rank = entries.filter(object_id=OuterRef("pk")).annotate(r=SearchRank(F("vector"), search)).values("r")[:1]
    return list(
        qs.filter(pk__in=entries.values("object_id"))
        .annotate(search_rank=Subquery(rank))
        .order_by("-search_rank", "-pk")[:PER_KIND]
    )


# --- The index (PostgreSQL) ------------------------------------------------------------------


def index(kind: Kind, pks=None) -> None:
    """Write the search vectors of a kind's records (all, or those with `pks`) into the index, in
    one INSERT ... SELECT computed by PostgreSQL."""
    if connection.vendor != "postgresql":
        return
    records = kind.model._default_manager.all()
    if pks is not None:
        records = records.filter(pk__in=list(pks))
    sql, params = (
        records.annotate(search_vector=_vector(kind)).values_list("pk", "search_vector").query.sql_with_params()
    )
    table = SearchEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (kind, object_id, vector) SELECT %s, s.pk, s.v FROM ({sql}) AS s(pk, v) "  # noqa: S608 -- our own table and compiled query; values are parameters
            "ON CONFLICT (kind, object_id) DO UPDATE SET vector = EXCLUDED.vector",
            [kind.key, *params],
        )


def rebuild_index() -> int:
    """Index every searchable record again (after data written without signals)."""
    if connection.vendor != "postgresql":
        return 0
    SearchEntry.objects.all().delete()
    for kind in KINDS:
        index(kind)
    return SearchEntry.objects.count()


def connect_signals() -> None:
    """Keep the index fresh as records are saved and deleted (bulk writes call rebuild_index)."""
    for kind in KINDS:

        def saved(sender, instance, raw=False, kind=kind, **kwargs):
            if not raw:
                index(kind, [instance.pk])

        def deleted(sender, instance, kind=kind, **kwargs):
            if connection.vendor == "postgresql":
                SearchEntry.objects.filter(kind=kind.key, object_id=instance.pk).delete()

        post_save.connect(saved, sender=kind.model, weak=False, dispatch_uid=f"search-index-{kind.key}-save")
        post_delete.connect(deleted, sender=kind.model, weak=False, dispatch_uid=f"search-index-{kind.key}-delete")


def _match_simple(qs: QuerySet, kind: Kind, terms: list[str]) -> list:
    for term in terms:
        qs = qs.filter(Q(**{f"{kind.title}__icontains": term}) | Q(**{f"{kind.text}__icontains": term}))
    records = list(qs.annotate(search_title=F(kind.title)).order_by("-pk")[: PER_KIND * 5])
    for record in records:
        title = str(record.search_title or "").lower()
        record.search_rank = sum(2 if term in title else 1 for term in terms)
    records.sort(key=lambda r: -r.search_rank)
    return records[:PER_KIND]


def highlight(text: str, terms: list[str]) -> SafeString:
    """A snippet of `text` around the first matching word, escaped, with the words in <mark>."""
    plain = re.sub(r"\s+", " ", text).strip()
    if not terms:
        return mark_safe(escape(plain[:SNIPPET]))  # noqa: S308 -- escaped
    pattern = re.compile(r"\b(" + "|".join(re.escape(t) for t in terms) + r")\w*", re.I)
    found = pattern.search(plain)
    start = max(0, (found.start() if found else 0) - SNIPPET // 3)
    piece = plain[start : start + SNIPPET]
    out, last = [], 0
    for match in pattern.finditer(piece):
        out.append(escape(piece[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(piece[last:]))
    prefix = "…" if start else ""
    suffix = "…" if start + SNIPPET < len(plain) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 -- every piece escaped above


def _text_of(record, kind: Kind) -> str:
    value = record
    for part in kind.text.split("__"):
        value = getattr(value, part, "")
    text = str(value or "")
    return markdown.plain_text(text) if kind.key in {"pages", "news"} else text


def search(query: str, user) -> list[dict]:
    """Results grouped by kind, in KINDS' order, each group ranked; kinds with no result left out."""
    query = (query or "").strip()[:MAX_QUERY]
    terms = words(query)
    if not terms:
        return []
    signed_in = bool(getattr(user, "is_authenticated", False))
    postgres = connection.vendor == "postgresql"
    candidates = _candidates(query) if postgres else {}
    groups = []
    for kind in KINDS:
        if kind.signed_in_only and not signed_in:
            continue
        if postgres and kind.key not in candidates:
            continue
        qs = kind.queryset(user)
        records = (
            _match_candidates(qs, kind, query, candidates[kind.key]) if postgres else _match_simple(qs, kind, terms)
        )
        results = []
        for record in records:
            title = kind.result_title(record)
            results.append(
                Result(
                    kind=kind.key,
                    title=title,
                    url=kind.url(record),
                    text="",
                    rank=float(record.search_rank or 0),
                    snippet=highlight(text, terms) if (text := _text_of(record, kind)) else mark_safe(""),
                )
            )
            results[-1].title_html = highlight(title, terms)
            results[-1].record = record
        if results:
            groups.append({"key": kind.key, "label": kind.label, "results": results})
    return groups

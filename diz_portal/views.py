from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from diz_portal import search as site_search
from diz_portal import structured_data
from diz_portal.caching import cached_value, public_page
from funding.models import Award
from meetings.models import Meeting, MeetingStatus, Seminar
from news.models import NewsItem
from news.services import key_facts
from partners.models import GoverningBody, Partnership
from strategy import services as strategy_services
from strategy.delivery import STAGE_ORDER
from strategy.models import PUBLIC_VERSION_STATUSES, Project, Stage, Strategy

HOME_NEWS = 3


def strategy_adoption():
    """The home page's "N of M partners have endorsed" panel, as the public sees it (None before
    there is a strategy). Three queries, whatever the number of partners, when not cached."""

    def compute():
        strategy = Strategy.current()
        if strategy is None:
            return None
        return strategy_services.adoption(strategy, statuses=set(PUBLIC_VERSION_STATUSES))

    return cached_value("home:strategy-adoption", ["strategy", "partners"], compute)


def projects_by_stage() -> list[dict]:
    """Public projects counted by stage, in the delivery plan's order (closed ones left out)."""

    def compute():
        counts = dict(
            Project.objects.public().live().values_list("stage").annotate(n=Count("pk")).values_list("stage", "n")
        )
        return [
            {"stage": stage, "label": Stage(stage).label, "count": counts[stage]}
            for stage in STAGE_ORDER
            if counts.get(stage)
        ]

    return cached_value("home:projects-by-stage", ["strategy"], compute)


def funding_secured() -> dict:
    """Published awards only: their number and total."""
    return cached_value(
        "home:funding-secured",
        ["funding"],
        lambda: Award.objects.published().aggregate(total=Sum("amount"), count=Count("pk")),
    )


@public_page("partners", "meetings", "news", "strategy", "funding")
def home(request):
    partnership = Partnership.current()
    next_meeting = Meeting.objects.published().upcoming().exclude(status=MeetingStatus.CANCELLED).with_body().first()
    return render(
        request,
        "home.html",
        {
            "bodies": GoverningBody.objects.all(),
            "facts": cached_value("home:key-facts", ["partners", "news"], key_facts),
            "latest_news": list(NewsItem.objects.live().order_by("-published_at", "-pk")[:HOME_NEWS]),
            "next_meeting": next_meeting,
            "latest_seminar": Seminar.objects.live().exclude(executive_report="").order_by("-held_on", "-pk").first(),
            "adoption": strategy_adoption(),
            "projects": projects_by_stage(),
            "funding": funding_secured(),
            "structured_data": structured_data.organisation(partnership),
        },
    )


@public_page("partners", "meetings")
def accessibility(request):
    return render(request, "accessibility.html")


@public_page("partners", "meetings", "documents", "news", "strategy")
def search(request):
    query = request.GET.get("q", "").strip()
    groups = site_search.search(query, request.user) if query else []
    return render(
        request,
        "search.html",
        {"query": query, "groups": groups, "total": sum(len(g["results"]) for g in groups)},
    )


# Private and signed-in areas: not secret (they ask for a sign-in or a token), just not for indexes.
ROBOTS_DISALLOW = ["/manage/", "/admin/", "/accounts/", "/dashboard/", "/meetings/calendar/", "/newsletter/confirm/",
                   "/newsletter/unsubscribe/", "/newsletter/your-data/", "/search/"]  # fmt: skip


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines.append(f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def security_txt_expires(now: datetime | None = None) -> datetime:
    """settings.SECURITY_TXT_EXPIRES (an ISO 8601 date or time), or, unset, 180 days from today."""
    if settings.SECURITY_TXT_EXPIRES:
        value = datetime.fromisoformat(settings.SECURITY_TXT_EXPIRES)
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    today = (now or timezone.now()).astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today + timedelta(days=180)


@require_GET
def security_txt(request):
    """RFC 9116: where to report a vulnerability, until when this file holds."""
    expires = security_txt_expires().astimezone(UTC)
    lines = [
        f"Contact: {settings.SECURITY_TXT_CONTACT}",
        f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: en",
        f"Canonical: {settings.SITE_URL}/.well-known/security.txt",
    ]
    if settings.SECURITY_TXT_POLICY:
        lines.append(f"Policy: {settings.SECURITY_TXT_POLICY}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def bare(request):
    """The benchmark's yardstick: a view that does nothing, behind the same middleware."""
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def file_response(file, *, filename: str, content_type: str | None = None, private: bool):
    """A stored file as a download (404 if it has gone from storage). `private`: for some viewers
    only, so shared caches must never keep it."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    if private:
        patch_cache_control(response, private=True, no_store=True)
    return response

"""/sitemap.xml: public pages only. Meetings appear once their agenda is published; nothing that
carries a members' or restricted item is listed (meeting pages show each visitor only their level)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Prefetch
from django.urls import reverse

from meetings.models import Meeting, Seminar
from news.models import NewsItem, NewsletterIssue
from partners.models import GoverningBody, Organisation
from strategy.models import PUBLIC_VERSION_STATUSES, Project, Strategy, StrategyVersion


class StaticSitemap(Sitemap):
    def items(self):
        return [
            "home",
            "partners:directory",
            "partners:bodies",
            "meetings:list",
            "meetings:decisions",
            "meetings:seminars",
            "funding:secured",
            "accessibility",
            "news:about",
            "news:privacy",
            "news:list",
            "news:newsletter",
            "funding:secured",
            "projects:list",
        ]

    def location(self, item):
        return reverse(item)


class OrganisationSitemap(Sitemap):
    def items(self):
        return Organisation.objects.listed().order_by("name").only("slug")


class BodySitemap(Sitemap):
    def items(self):
        return GoverningBody.objects.only("slug")


class MeetingSitemap(Sitemap):
    def items(self):
        return Meeting.objects.published().order_by("-starts_at").only("pk", "updated_at")

    def lastmod(self, meeting):
        return meeting.updated_at


class SeminarSitemap(Sitemap):
    """Published seminars only: drafts and scheduled ones are not public yet."""

    def items(self):
        return list(Seminar.objects.live().order_by("-held_on", "pk").only("slug", "updated_at"))

    def lastmod(self, seminar):
        return seminar.updated_at


class NewsSitemap(Sitemap):
    """Published news only: drafts and scheduled items are not public yet."""

    def items(self):
        # A list, so the paginator counts it without a second query.
        return list(NewsItem.objects.live().order_by("-published_at").only("slug", "updated_at"))

    def lastmod(self, item):
        return item.updated_at


class NewsletterSitemap(Sitemap):
    def items(self):
        return list(NewsletterIssue.objects.filter(status="sent").order_by("-sent_at").only("slug"))


class StrategySitemap(Sitemap):
    """The strategy's page and its final and superseded versions, once there is a strategy (drafts
    and consultation drafts are not public)."""

    def items(self):
        public = StrategyVersion.objects.filter(status__in=PUBLIC_VERSION_STATUSES).only("label", "strategy_id")
        strategy = Strategy.objects.order_by("pk").prefetch_related(Prefetch("versions", queryset=public)).first()
        if strategy is None:
            return []
        return [reverse("strategy:index"), *(version.get_absolute_url() for version in strategy.versions.all())]

    def location(self, item):
        return item


class ProjectSitemap(Sitemap):
    """The delivery plan's public projects (partners-only ones are not listed)."""

    def items(self):
        return list(Project.objects.public().only("slug"))


SITEMAPS = {
    "pages": StaticSitemap,
    "partners": OrganisationSitemap,
    "bodies": BodySitemap,
    "meetings": MeetingSitemap,
    "seminars": SeminarSitemap,
    "news": NewsSitemap,
    "newsletter": NewsletterSitemap,
    "strategy": StrategySitemap,
    "projects": ProjectSitemap,
}

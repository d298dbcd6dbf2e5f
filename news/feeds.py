"""/news/feed.atom: the latest published news as Atom (RFC 4287), built by Django's syndication
framework. Drafts and scheduled items never appear; each entry carries its summary and its body
(rendered Markdown, sanitised) as content."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from diz_portal import markdown
from news.models import NewsItem
from partners.models import Partnership

FEED_SIZE = 20


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        self.partnership = Partnership.current()
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return f"{self.partnership.short_name} Matters: news from the {self.partnership.name}"

    def subtitle(self):
        return self.partnership.strapline

    def link(self):
        return reverse("news:list")

    def feed_url(self):
        return reverse("news:feed")

    def author_name(self):
        return self.partnership.name

    def items(self):
        return NewsItem.objects.live().order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_guid(self, item):
        # A tag URI (RFC 4151): stable when the item's title or address changes.
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"tag:{host},{item.created_at:%Y-%m-%d}:news:{item.pk}"

    def item_guid_is_permalink(self, item):
        return False

    def item_author_name(self, item):
        return self.partnership.name

    def item_extra_kwargs(self, item):
        return {"content": str(markdown.render(item.body, styled=False))}


class NewsAtomFeed(Atom1Feed):
    """Atom with each entry's full body as <content type="html">."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


NewsFeed.feed_type = NewsAtomFeed

"""Who may read what on the public site. Drafts and scheduled items are the programme manager's
alone (to preview them); everyone else gets the same 404 as for an address that does not exist."""

from __future__ import annotations

from django.http import Http404

from news.models import NewsItem, NewsletterIssue, Page
from partners.permissions import is_programme_manager


def get_news_item_for_user(user, slug: str) -> NewsItem:
    items = NewsItem.objects.all() if is_programme_manager(user) else NewsItem.objects.live()
    item = items.filter(slug=slug).first()
    if item is None:
        raise Http404
    return item


def get_page(slug: str) -> Page | None:
    """A page's published text, or None while it has none (the page shows what the data gives)."""
    return Page.objects.live().filter(slug=slug).first()


def get_sent_issue(slug: str) -> NewsletterIssue:
    """Issues are public once sent (the archive); drafts and issues still sending are not."""
    issue = NewsletterIssue.objects.filter(slug=slug, status="sent").first()
    if issue is None:
        raise Http404
    return issue

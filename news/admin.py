from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from news.models import Delivery, KeyFact, NewsItem, NewsletterIssue, Page, Subscriber


@admin.register(NewsItem)
class NewsItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "published_at"]
    list_filter = ["status"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "summary"]


@admin.register(Page)
class PageAdmin(SimpleHistoryAdmin):
    list_display = ["title", "slug", "status", "published_at"]


@admin.register(KeyFact)
class KeyFactAdmin(admin.ModelAdmin):
    list_display = ["value", "label", "key", "position"]


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "consented_at", "confirmed_at"]
    list_filter = ["status"]
    search_fields = ["email"]
    readonly_fields = ["consent_text", "consented_at", "source", "confirmed_at", "unsubscribed_at"]


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(SimpleHistoryAdmin):
    list_display = ["subject", "status", "sent_at"]
    list_filter = ["status"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["issue", "subscriber", "status", "sent_at", "attempts"]
    list_filter = ["status", "issue"]
    raw_id_fields = ["subscriber"]

from django.contrib import admin

from diz_portal.models import GeneratedDocument, SentEmail


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(admin.ModelAdmin):
    list_display = ["kind", "content_type", "object_id", "status", "version", "finished_at"]
    list_filter = ["status", "kind"]
    readonly_fields = ["fingerprint", "problems", "error", "attempts", "requested_at", "started_at", "finished_at"]


@admin.register(SentEmail)
class SentEmailAdmin(admin.ModelAdmin):
    list_display = ["key", "to", "subject", "sent_at"]
    search_fields = ["key", "to"]

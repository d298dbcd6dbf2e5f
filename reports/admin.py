from django.contrib import admin

from reports.models import Report, ReportRequest


class ReportRequestInline(admin.TabularInline):
    model = ReportRequest
    extra = 0
    readonly_fields = ["requested_by", "requested_at", "scheduled"]
    can_delete = False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Reports are asked for on /reports/ and built by workers: the admin only shows them (who
    asked, where the build got to, which agenda a scheduled one went on)."""

    list_display = ["kind", "body", "period_start", "period_end", "stage", "progress"]
    list_filter = ["kind", "body"]
    readonly_fields = ["kind", "body", "period_start", "period_end", "stage", "progress", "meeting", "agenda_item"]
    inlines = [ReportRequestInline]

    def has_add_permission(self, request):
        return False

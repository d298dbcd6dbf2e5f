from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    CalendarToken,
    Decision,
    Declaration,
    Erratum,
    ForwardPlanItem,
    Meeting,
    MeetingSeries,
    Minute,
    Paper,
    PaperVersion,
    Seminar,
    SeminarFile,
)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["number", "title", "purpose", "visibility", "restriction_reason", "presenter", "duration_minutes"]
    raw_id_fields = ["presenter"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "agenda_published_at", "minutes_status"]
    list_filter = ["body", "status", "minutes_status"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline]
    readonly_fields = ["uid", "sequence"]


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "is_active"]


class PaperVersionInline(admin.TabularInline):
    model = PaperVersion
    extra = 0
    readonly_fields = ["number", "original_name", "content_type", "size", "sha256", "page_count", "problem", "is_late"]
    can_delete = False


@admin.register(Paper)
class PaperAdmin(SimpleHistoryAdmin):
    list_display = ["title", "item", "visibility"]
    list_filter = ["visibility"]
    inlines = [PaperVersionInline]
    raw_id_fields = ["item"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "meeting", "text"]
    search_fields = ["reference", "text"]
    raw_id_fields = ["item", "meeting"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["description", "owner", "due_on", "status"]
    list_filter = ["status"]
    raw_id_fields = ["item", "meeting", "owner"]


class SeminarFileInline(admin.TabularInline):
    model = SeminarFile
    extra = 0


@admin.register(Seminar)
class SeminarAdmin(admin.ModelAdmin):
    list_display = ["title", "held_on", "venue", "delegates"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SeminarFileInline]


for model in (AgendaItem, Attendance, Declaration, Minute, Erratum, ForwardPlanItem):
    admin.site.register(model, SimpleHistoryAdmin if hasattr(model, "history") else admin.ModelAdmin)
admin.site.register(CalendarToken)

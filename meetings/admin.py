from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from meetings.models import (
    Action,
    AgendaItem,
    AlsoPresent,
    Attendance,
    CalendarToken,
    Decision,
    Declaration,
    Erratum,
    ForwardPlanItem,
    InterestReview,
    Meeting,
    MeetingChange,
    MeetingSeries,
    MemberMessage,
    Minute,
    Paper,
    PaperVersion,
    RegisteredInterest,
    Seminar,
    SeminarFile,
    Supplement,
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
    # Files arrive only through the upload pages, which check them by content and record the change.
    readonly_fields = [
        "number",
        "file",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "page_count",
        "problem",
        "is_late",
    ]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Paper)
class PaperAdmin(SimpleHistoryAdmin):
    list_display = ["title", "item", "visibility"]
    list_filter = ["visibility"]
    inlines = [PaperVersionInline]
    raw_id_fields = ["item"]


class MinutedRecordAdmin(SimpleHistoryAdmin):
    """Approved minutes are locked here too: the model's clean() refuses a change to what was
    minuted, and nothing minuted is deleted (correct it with an erratum)."""

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and obj.minutes_locked)


@admin.register(Decision)
class DecisionAdmin(MinutedRecordAdmin):
    list_display = ["reference", "meeting", "text"]
    search_fields = ["reference", "text"]
    raw_id_fields = ["item", "meeting"]


@admin.register(Action)
class ActionAdmin(MinutedRecordAdmin):
    list_display = ["description", "owner", "due_on", "status"]
    list_filter = ["status"]
    raw_id_fields = ["item", "meeting", "owner"]


class SeminarFileInline(admin.TabularInline):
    model = SeminarFile
    extra = 0


@admin.register(Seminar)
class SeminarAdmin(SimpleHistoryAdmin):
    list_display = ["title", "held_on", "venue", "delegates", "status", "published_at"]
    list_filter = ["status"]
    prepopulated_fields = {"slug": ["title"]}
    # The executive report goes up through the seminar's page under /manage/, which checks it by
    # its content (meetings.services.check_executive_report); the admin would not.
    readonly_fields = ["executive_report"]
    inlines = [SeminarFileInline]


for model in (Declaration, Minute):
    admin.site.register(model, MinutedRecordAdmin)
for model in (AgendaItem, Attendance, Erratum, ForwardPlanItem, AlsoPresent, RegisteredInterest, InterestReview):
    admin.site.register(model, SimpleHistoryAdmin if hasattr(model, "history") else admin.ModelAdmin)
for model in (Supplement, MeetingChange, MemberMessage):
    admin.site.register(model)


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    """A feed address is a credential: made by its owner's calendar page, revoked here."""

    list_display = ["user", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

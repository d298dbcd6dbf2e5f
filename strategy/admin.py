"""The strategy and the delivery plan in the Django admin, for the programme manager's repairs.
The models' clean() rules apply here as on the pages; every change keeps its history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from strategy.models import (
    AmendmentRequest,
    CriteriaWeights,
    Endorsement,
    Idea,
    Milestone,
    ProgressUpdate,
    Project,
    ProjectPartner,
    Risk,
    Score,
    Section,
    Strategy,
    StrategyVersion,
    Workstream,
)


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(StrategyVersion)
class StrategyVersionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "is_material", "finalised_at"]
    list_filter = ["status", "is_material"]
    inlines = [SectionInline]


@admin.register(Endorsement)
class EndorsementAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "version", "status", "deciding_body", "scheduled_for", "decision_date"]
    list_filter = ["status", "version"]
    raw_id_fields = ["recorded_by", "previous"]


@admin.register(AmendmentRequest)
class AmendmentRequestAdmin(SimpleHistoryAdmin):
    list_display = ["section_heading", "organisation", "version", "status"]
    list_filter = ["status"]
    raw_id_fields = ["requested_by", "answered_by", "section"]


class ProjectPartnerInline(admin.TabularInline):
    model = ProjectPartner
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    readonly_fields = ["baseline_date"]


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["title", "stage", "rag", "lead_organisation", "visibility"]
    list_filter = ["stage", "rag", "visibility", "workstream"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ProjectPartnerInline, MilestoneInline]
    raw_id_fields = ["lead_person", "from_idea"]
    filter_horizontal = ["approved_by"]


@admin.register(Idea)
class IdeaAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "status"]
    list_filter = ["status"]


for model in (Strategy, Workstream, Risk, ProgressUpdate, Score, CriteriaWeights, Milestone):
    admin.site.register(model, SimpleHistoryAdmin)

"""The Django admin for funding records. Every model's clean() holds its rules, so the admin meets
them too (an accountable body that cannot act as one, a move between stages that is not allowed,
a claim past what remains). Files are uploaded through the portal's pages, which check them by
content; here they are read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from funding.models import (
    Allocation,
    Award,
    Bid,
    BidDocument,
    BidDocumentVersion,
    Claim,
    Contribution,
    Funder,
    Opportunity,
    ReportingDeadline,
)


@admin.register(Funder)
class FunderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "org_id", "funder_type"]
    search_fields = ["name", "org_id"]


@admin.register(Opportunity)
class OpportunityAdmin(SimpleHistoryAdmin):
    list_display = ["programme", "funder", "closes_on", "decision"]
    list_filter = ["funder", "decision"]
    readonly_fields = ["decided_by", "decided_at"]


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0
    fields = ["organisation", "kind", "amount", "status", "description", "letter_of_support", "letter_received_on"]
    readonly_fields = ["letter_of_support"]


@admin.register(Bid)
class BidAdmin(SimpleHistoryAdmin):
    list_display = ["title", "opportunity", "stage", "accountable_body", "funder_deadline"]
    list_filter = ["stage", "opportunity__funder", "accountable_body"]
    search_fields = ["title"]
    raw_id_fields = ["lead_officer"]
    readonly_fields = ["stage_changed_at"]
    inlines = [ContributionInline]


class BidDocumentVersionInline(admin.TabularInline):
    model = BidDocumentVersion
    extra = 0
    can_delete = False
    fields = ["number", "original_name", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BidDocument)
class BidDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "bid", "kind"]
    inlines = [BidDocumentVersionInline]


class ClaimInline(admin.TabularInline):
    model = Claim
    extra = 0
    fields = ["period", "due_on", "amount", "evidence", "submitted_on", "paid_on"]


class AllocationInline(admin.TabularInline):
    model = Allocation
    extra = 0
    fields = ["organisation", "amount", "purpose", "allocated_on", "paid_amount"]


class ReportingDeadlineInline(admin.TabularInline):
    model = ReportingDeadline
    extra = 0


@admin.register(Award)
class AwardAdmin(SimpleHistoryAdmin):
    list_display = ["title", "bid", "amount", "awarded_on", "is_published"]
    list_filter = ["is_published"]
    readonly_fields = ["grant_agreement"]
    inlines = [ClaimInline, AllocationInline, ReportingDeadlineInline]


for model in (Claim, Allocation, ReportingDeadline, Contribution):
    admin.site.register(model, SimpleHistoryAdmin)

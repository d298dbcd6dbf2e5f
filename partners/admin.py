from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from partners.models import GoverningBody, Invitation, Membership, Organisation, Partnership, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["name"]
    list_display = ["name", "email", "organisation", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["name", "email"]
    autocomplete_fields = ["organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["name", "job_title", "organisation"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]})]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "org_type", "sector", "county", "membership_status", "is_archived"]
    list_filter = ["sector", "county", "membership_status", "is_archived"]
    search_fields = ["name", "short_name", "org_id"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "organisation", "deputy"]


@admin.register(GoverningBody)
class GoverningBodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "meeting_frequency", "quorum_count"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "body", "organisation", "role", "started_on", "ended_on"]
    list_filter = ["body", "role"]
    autocomplete_fields = ["person", "organisation", "deputy"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "invited_by", "created_at", "sent_at", "accepted_at", "revoked_at"]
    readonly_fields = ["nonce"]


admin.site.register(Partnership)

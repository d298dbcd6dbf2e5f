"""The Django admin for partners and people.

The programme managers' group holds the permissions on the project's records, so the admin itself
withholds what would let a programme manager raise anyone's access, their own included: only a
superuser sees or changes `is_staff`, `is_superuser`, groups and permissions, or sets a password
here (re-authenticated); a programme manager cannot touch a superuser's record. Every change that
grants access (seats, groups, permissions) or changes someone's email asks for the password again
(allauth's re-authentication) before it is saved. tests/security/test_admin.py lists what the
programme managers may do with every admin model."""

from allauth.account.decorators import reauthentication_required
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.decorators import method_decorator
from simple_history.admin import SimpleHistoryAdmin

from partners.models import GoverningBody, Invitation, Membership, Organisation, Partnership, User

# Saving asks for a fresh re-authentication; looking does not (a suspended POST is replayed after).
reauthenticated_save = method_decorator(reauthentication_required(allow_get=True))


class ReauthenticatedChangesAdmin(admin.ModelAdmin):
    """Adding, changing or deleting these records grants or withdraws access."""

    @reauthenticated_save
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    @reauthenticated_save
    def delete_view(self, request, object_id, extra_context=None):
        return super().delete_view(request, object_id, extra_context)

    @reauthenticated_save
    def changelist_view(self, request, extra_context=None):  # bulk actions and list edits
        return super().changelist_view(request, extra_context)


class ViewOnlyForManagersAdmin(admin.ModelAdmin):
    """Records made by the portal's own flows: a programme manager may look, a superuser may fix."""

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


SUPERUSER_ACCESS_FIELDS = ["is_staff", "is_superuser", "groups", "user_permissions"]


@admin.register(User)
class UserAdmin(ReauthenticatedChangesAdmin, SimpleHistoryAdmin, DjangoUserAdmin):
    ordering = ["name"]
    list_display = ["name", "email", "organisation", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["name", "email"]
    autocomplete_fields = ["organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["name", "job_title", "organisation"]}),
        ("Access", {"fields": ["is_active", *SUPERUSER_ACCESS_FIELDS]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    manager_fieldsets = [
        (None, {"fields": ["email"]}),
        ("Person", {"fields": ["name", "job_title", "organisation"]}),
        ("Access", {"fields": ["is_active"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]})]
    readonly_fields = ["last_login", "date_joined"]

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return self.manager_fieldsets  # withheld fields are not in the form: a crafted POST sets nothing
        return super().get_fieldsets(request, obj)

    def get_list_filter(self, request):
        return self.list_filter if request.user.is_superuser else ["is_active"]

    def has_add_permission(self, request):
        # People join by invitation (/manage/people/invite/); only a superuser makes accounts here.
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    @method_decorator(reauthentication_required)
    def user_change_password(self, request, id, form_url=""):
        # People set their own passwords (/accounts/password/change/); a superuser may, re-authenticated.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ReauthenticatedChangesAdmin, DjangoGroupAdmin):
    pass


@admin.register(Organisation)
class OrganisationAdmin(ReauthenticatedChangesAdmin, SimpleHistoryAdmin):
    # Archiving or restoring an organisation withdraws or grants its officers' partner access.
    list_display = ["name", "org_type", "sector", "county", "membership_status", "is_archived"]
    list_filter = ["sector", "county", "membership_status", "is_archived"]
    search_fields = ["name", "short_name", "org_id"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "organisation", "deputy"]


@admin.register(GoverningBody)
class GoverningBodyAdmin(ReauthenticatedChangesAdmin, SimpleHistoryAdmin):
    list_display = ["name", "code", "meeting_frequency", "quorum_count"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ReauthenticatedChangesAdmin, SimpleHistoryAdmin):
    list_display = ["person", "body", "organisation", "role", "started_on", "ended_on"]
    list_filter = ["body", "role"]
    autocomplete_fields = ["person", "organisation", "deputy"]


@admin.register(Invitation)
class InvitationAdmin(ViewOnlyForManagersAdmin):
    # An invitation is a credential: made, resent and closed only by partners.services.
    list_display = ["user", "invited_by", "created_at", "sent_at", "accepted_at", "revoked_at"]
    readonly_fields = ["nonce"]


admin.site.register(Partnership)

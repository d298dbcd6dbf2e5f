"""Who may see and do what. One function per kind of record fetches *and* authorises: whoever may
not see a record gets the same 404 as for one that does not exist."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404

from partners.models import GoverningBody, Membership, Organisation, User

PROGRAMME_MANAGER_GROUP = "Programme managers"
MANAGE_PERMISSION = "partners.manage_partnership"


def is_programme_manager(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, "_diz_is_pm", None)
    if cached is None:
        cached = user._diz_is_pm = user.is_superuser or _holds_manage_permission(user)
    return cached


def _holds_manage_permission(user) -> bool:
    """What `user.has_perm(MANAGE_PERMISSION)` answers for an active user, in one query instead
    of loading every permission the user and their groups hold (two queries on every page)."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    app_label, codename = MANAGE_PERMISSION.split(".")
    return (
        Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        .filter(Q(user=user) | Q(group__user=user))
        .exists()
    )


def is_partner_officer(user) -> bool:
    """A signed-in person who works for a partner organisation that is still in the directory."""
    return bool(getattr(user, "is_authenticated", False) and user.organisation_id)


def needs_second_factor(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_staff or is_programme_manager(user)))


def has_second_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    cached = getattr(user, "_diz_has_totp", None)
    if cached is None:
        cached = user._diz_has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return cached


def programme_manager_required(view):
    """Signed out: to the sign-in page. Signed in but not the programme manager: 404."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_programme_manager(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


# --- Fetch and authorise ---------------------------------------------------------------------


def get_organisation_for_user(user, slug: str) -> Organisation:
    """Public page of an organisation. Archived and prospective partners exist only for the
    programme manager."""
    qs = Organisation.objects.all() if is_programme_manager(user) else Organisation.objects.listed()
    return get_object_or_404(qs, slug=slug)


def get_organisation_for_management(user, slug: str) -> Organisation:
    if not is_programme_manager(user):
        raise Http404
    return get_object_or_404(Organisation, slug=slug)


def get_body_for_user(user, slug: str) -> GoverningBody:
    # Who sits on the partnership's bodies is public, as on the partnership's own website.
    return get_object_or_404(GoverningBody, slug=slug)


def get_body_for_management(user, slug: str) -> GoverningBody:
    if not is_programme_manager(user):
        raise Http404
    return get_object_or_404(GoverningBody, slug=slug)


def get_membership_for_management(user, pk: int) -> Membership:
    if not is_programme_manager(user):
        raise Http404
    return get_object_or_404(Membership.objects.with_people(), pk=pk)


def get_person_for_management(user, pk: int) -> User:
    if not is_programme_manager(user):
        raise Http404
    return get_object_or_404(User.objects.select_related("organisation"), pk=pk)

"""Who may see and do what. One function per kind of record fetches *and* authorises: whoever may
not see a record gets the same 404 as for one that does not exist."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from partners.models import GoverningBody, Membership, Organisation, User

PROGRAMME_MANAGER_GROUP = "Programme managers"
MANAGE_PERMISSION = "partners.manage_partnership"


# Set on the signed-in user by `bind_session` (each request) or `bind_feed_token`: whether the
# second factor vouches for whoever is acting now. Without it a user object counts as not verified.
SECOND_FACTOR_VERIFIED = "_diz_second_factor_verified"


def holds_manager_role(user) -> bool:
    """Whether the account holds the programme manager's role (a superuser, or the manage
    permission through the group). The role alone grants nothing: see `is_programme_manager`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, "_diz_holds_pm_role", None)
    if cached is None:
        cached = user._diz_holds_pm_role = user.is_superuser or _holds_manage_permission(user)
    return cached


def programme_managers():
    """Everyone who manages the partnership, to be told of what needs them."""
    return User.objects.filter(groups__name=PROGRAMME_MANAGER_GROUP, is_active=True).order_by("pk")


def second_factor_verified(user) -> bool:
    """Whether the second factor vouches for this user *now*: enrolled and used in this session
    (allauth records each authentication method a session used, re-authentication included)."""
    return bool(getattr(user, SECOND_FACTOR_VERIFIED, False))


def is_programme_manager(user) -> bool:
    """The one rule for the programme manager's powers and audience, on every page, feed, download
    and pack: the role *and* a second factor used this session. Until then a programme manager is
    whatever else they are (a partner officer, a member of the bodies they sit on)."""
    return holds_manager_role(user) and second_factor_verified(user)


def _holds_manage_permission(user) -> bool:
    """What `user.has_perm(MANAGE_PERMISSION)` answers for an active user: one query instead of
    loading every permission the user and their groups hold (two on every page), and kept in the
    cache until a person, group or permission changes (`partners` topic, group changes included)."""
    from diz_portal.caching import cached_value

    return cached_value(("manager-role", user.pk), ["partners"], lambda: has_manage_permission(user))


def has_manage_permission(user) -> bool:
    """The manage permission, given to the person or through a group: one query, uncached."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    app_label, codename = MANAGE_PERMISSION.split(".")
    return (
        Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        .filter(Q(user=user) | Q(group__user=user))
        .exists()
    )


def is_partner_officer(user) -> bool:
    """A signed-in person who works for an *active* partner: not a prospective or former one, nor
    one archived. (The signed-in person is loaded with their organisation: partners.backends.)"""
    if not getattr(user, "is_authenticated", False) or not user.organisation_id:
        return False
    from partners.models import MembershipStatus

    organisation = user.organisation
    return not organisation.is_archived and organisation.membership_status == MembershipStatus.ACTIVE


def needs_second_factor(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_staff or holds_manager_role(user)))


def has_second_factor(user) -> bool:
    """Whether the person has enrolled an authenticator app (not whether this session used it)."""
    from allauth.mfa.models import Authenticator

    cached = getattr(user, "_diz_has_totp", None)
    if cached is None:
        cached = user._diz_has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return cached


def second_factor_used_in_session(request, user) -> bool:
    from allauth.account.authentication import get_authentication_records

    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def bind_session(request, user):
    """Mark `user` (the request's signed-in user) with whether this session used the second factor.
    partners.middleware calls it for every request's user."""
    if getattr(user, "is_authenticated", False):
        setattr(user, SECOND_FACTOR_VERIFIED, second_factor_used_in_session(request, user))
    return user


def bind_feed_token(user, token_created_at):
    """A private calendar feed has no session: its address stands in for one. It vouches like a
    second factor only if it was issued after the person enrolled their authenticator (from then
    on every session of theirs that could issue one had used it)."""
    from allauth.mfa.models import Authenticator

    enrolled = None
    if holds_manager_role(user):  # nobody else's feed depends on it
        enrolled = (
            Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP)
            .values_list("created_at", flat=True)
            .first()
        )
    setattr(user, SECOND_FACTOR_VERIFIED, bool(enrolled and token_created_at >= enrolled))
    return user


def second_factor_prompt(request):
    """Where a programme manager goes before their powers apply: to set up an authenticator app, or
    to use the one they have (allauth's re-authentication with a code), then back here."""
    from django.contrib import messages
    from django.shortcuts import redirect

    if not has_second_factor(request.user):
        messages.warning(
            request,
            "Set up an authenticator app before you manage the partnership: management pages need a second factor.",
        )
        return redirect("mfa_activate_totp")
    messages.info(request, "Enter the code from your authenticator app to manage the partnership.")
    return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")


def programme_manager_required(view):
    """Signed out: to the sign-in page. Signed in but not the programme manager: 404."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if holds_manager_role(request.user) and not second_factor_verified(request.user):
            return second_factor_prompt(request)
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

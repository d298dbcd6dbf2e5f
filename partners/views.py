from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from diz_portal.caching import public_page
from partners import services
from partners.forms import (
    AcceptInvitationForm,
    ChangeRepresentativeForm,
    DirectoryFilterForm,
    EndMembershipForm,
    InviteForm,
    MembershipForm,
    OrganisationForm,
)
from partners.models import GoverningBody, Invitation, Membership, Organisation, Role, User
from partners.permissions import (
    get_body_for_management,
    get_body_for_user,
    get_membership_for_management,
    get_organisation_for_management,
    get_organisation_for_user,
    get_person_for_management,
    has_second_factor,
    holds_manager_role,
    is_programme_manager,
    programme_manager_required,
)
from reports.dashboards import manager_dashboard, member_dashboard

DIRECTORY_PAGE_SIZE = 50


def _apply_form_errors(form, error: ValidationError):
    """Put a model's ValidationError next to the form's fields (or at the top if it has none)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Public pages ----------------------------------------------------------------------------


@public_page("partners")
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = Organisation.objects.for_directory(
        sector=filters.get("sector", ""), county=filters.get("county", "")
    )
    page = Paginator(organisations, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/directory.html",
        {"form": form, "page": page, "filter_query": query.urlencode()},
    )


@public_page("partners")
def organisation_detail(request, slug):
    organisation = get_organisation_for_user(request.user, slug)
    seats = organisation.memberships.current().with_people().ordered_by_role()
    return render(request, "partners/organisation_detail.html", {"organisation": organisation, "seats": seats})


@public_page("partners")
def body_list(request):
    bodies = GoverningBody.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__in=Membership.objects.current()))
    )
    return render(request, "partners/body_list.html", {"bodies": bodies})


@public_page("partners")
def body_detail(request, slug):
    body = get_body_for_user(request.user, slug)
    seats = list(body.memberships.current().with_people().ordered_by_role())
    return render(
        request,
        "partners/body_detail.html",
        {
            "body": body,
            "chairs": [s for s in seats if s.role == Role.CHAIR],
            "vice_chairs": [s for s in seats if s.role == Role.VICE_CHAIR],
            "members": [s for s in seats if s.role == Role.MEMBER],
            "observers": [s for s in seats if s.role == Role.OBSERVER],
            "secretariat": [s for s in seats if s.role == Role.SECRETARIAT],
        },
    )


# --- Signed in -------------------------------------------------------------------------------


@login_required
def dashboard(request):
    """Where everyone lands after signing in: their seats, and the panels reports.dashboards
    composes for them (cached per person until what they show changes)."""
    return render(
        request,
        "partners/dashboard.html",
        {
            "needs_mfa": holds_manager_role(request.user) and not has_second_factor(request.user),
            "needs_code": holds_manager_role(request.user) and not is_programme_manager(request.user),
            "dashboard": member_dashboard(request),
        },
    )


def accept_invitation(request, pk, token):
    invitation = services.find_invitation(pk=pk, token=token)
    if invitation is None:
        return render(request, "partners/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None, user=invitation.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(invitation=invitation, password=form.cleaned_data["password1"])
        except ValidationError:
            return render(request, "partners/invitation_invalid.html", status=404)
        # Never signed in from here: signing in is allauth's, with its second factor and limits.
        messages.success(request, f"Your password is set. Sign in with {user.email} and your new password.")
        return redirect("account_login")
    return render(request, "partners/accept_invitation.html", {"form": form, "invitation": invitation})


# --- Management (the programme manager) ------------------------------------------------------


@programme_manager_required
def manage_index(request):
    """The programme manager's dashboard: what needs attention, then the figures
    (reports.dashboards composes them from each app's own `dashboard` module)."""
    return render(request, "manage/index.html", {"dashboard": manager_dashboard(request)})


@programme_manager_required
def manage_organisations(request):
    organisations = Organisation.objects.annotate(
        people_count=Count("people", distinct=True),
    ).order_by("is_archived", "name")
    return render(request, "manage/organisations.html", {"organisations": organisations})


@programme_manager_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.save_organisation(organisation=form.save(commit=False), by=request.user)
        messages.success(request, f"{organisation.name} added to the directory.")
        return redirect(organisation.get_absolute_url())
    return render(request, "manage/organisation_form.html", {"form": form})


@programme_manager_required
def organisation_edit(request, slug):
    organisation = get_organisation_for_management(request.user, slug)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        organisation = services.save_organisation(organisation=form.save(commit=False), by=request.user)
        messages.success(request, f"{organisation.name} updated.")
        return redirect(organisation.get_absolute_url())
    return render(request, "manage/organisation_form.html", {"form": form, "organisation": organisation})


@programme_manager_required
def organisation_history(request, slug):
    organisation = get_organisation_for_management(request.user, slug)
    records = organisation.history.select_related("history_user").order_by("-history_date")[:100]
    changes = []
    for record in records:
        previous = record.prev_record
        diff = record.diff_against(previous).changes if previous else []
        changes.append({"record": record, "changes": diff})
    return render(request, "manage/organisation_history.html", {"organisation": organisation, "changes": changes})


@programme_manager_required
@reauthentication_required
def organisation_archive(request, slug):
    organisation = get_organisation_for_management(request.user, slug)
    seats = organisation.memberships.current().with_people()
    if request.method == "POST":
        services.archive_organisation(organisation=organisation, by=request.user)
        messages.success(
            request, f"{organisation.name} is archived: it has left the directory and its seats have ended."
        )
        return redirect("manage:organisations")
    return render(request, "manage/organisation_archive.html", {"organisation": organisation, "seats": seats})


@programme_manager_required
@reauthentication_required
@require_POST
def organisation_restore(request, slug):
    organisation = get_organisation_for_management(request.user, slug)
    services.restore_organisation(organisation=organisation, by=request.user)
    messages.success(request, f"{organisation.name} is back in the directory.")
    return redirect("manage:organisations")


@programme_manager_required
def manage_people(request):
    people = User.objects.select_related("organisation").prefetch_related(
        Prefetch("invitations", queryset=Invitation.objects.order_by("-created_at"), to_attr="all_invitations")
    )
    return render(request, "manage/people.html", {"people": people})


@programme_manager_required
@reauthentication_required
def person_invite(request):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_person(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            _apply_form_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("manage:people")
    return render(
        request, "manage/person_invite.html", {"form": form, "invitation_days": settings.INVITATION_VALID_DAYS}
    )


@programme_manager_required
@reauthentication_required
@require_POST
def person_resend_invitation(request, pk):
    person = get_person_for_management(request.user, pk)
    try:
        services.resend_invitation(user=person, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"A new invitation is on its way to {person.email}.")
    return redirect("manage:people")


@programme_manager_required
def body_memberships(request, slug):
    body = get_body_for_management(request.user, slug)
    memberships = body.memberships.with_people().ordered_by_role()
    today = timezone.localdate()
    return render(
        request,
        "manage/body_memberships.html",
        {
            "body": body,
            "current": [m for m in memberships if m.is_current(today)],
            "other": [m for m in memberships if not m.is_current(today)],
        },
    )


@programme_manager_required
@reauthentication_required
def membership_create(request, slug):
    body = get_body_for_management(request.user, slug)
    form = MembershipForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.save_membership(membership=form.save(commit=False), by=request.user)
        except ValidationError as error:  # someone else changed the body's seats meanwhile
            _apply_form_errors(form, error)
        else:
            messages.success(request, f"{membership.person} now sits on the {body.name}.")
            return redirect("manage:body_memberships", slug=body.slug)
    return render(request, "manage/membership_form.html", {"form": form, "body": body})


@programme_manager_required
@reauthentication_required
def membership_edit(request, pk):
    membership = get_membership_for_management(request.user, pk)
    form = MembershipForm(request.POST or None, instance=membership, body=membership.body)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_membership(membership=form.save(commit=False), by=request.user)
        except ValidationError as error:
            _apply_form_errors(form, error)
        else:
            messages.success(request, "Membership updated.")
            return redirect("manage:body_memberships", slug=membership.body.slug)
    return render(
        request, "manage/membership_form.html", {"form": form, "body": membership.body, "membership": membership}
    )


@programme_manager_required
def membership_end(request, pk):
    membership = get_membership_for_management(request.user, pk)
    form = EndMembershipForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        services.end_membership(membership=membership, on=form.cleaned_data["ended_on"], by=request.user)
        messages.success(
            request, f"{membership.person}'s membership ends on {form.cleaned_data['ended_on']:%-d %B %Y}."
        )
        return redirect("manage:body_memberships", slug=membership.body.slug)
    return render(request, "manage/membership_end.html", {"form": form, "membership": membership})


@programme_manager_required
@reauthentication_required
def membership_replace(request, pk):
    membership = get_membership_for_management(request.user, pk)
    form = ChangeRepresentativeForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            successor = services.change_representative(
                membership=membership, person=form.cleaned_data["person"], on=form.cleaned_data["on"], by=request.user
            )
        except ValidationError as error:
            _apply_form_errors(form, error)
        else:
            messages.success(
                request, f"{successor.person} now represents {membership.organisation} on the {membership.body.name}."
            )
            return redirect("manage:body_memberships", slug=membership.body.slug)
    return render(request, "manage/membership_replace.html", {"form": form, "membership": membership})

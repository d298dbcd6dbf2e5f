"""The programme manager's strategy pages, under /manage/strategy/ (second factor required, like
every page under /manage/): the tracker, versions, and answers to amendment requests."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from diz_portal.forms import apply_validation_error
from partners.models import Organisation
from partners.permissions import programme_manager_required
from strategy import services
from strategy.forms import AddPartnerForm, AnswerAmendmentForm, VersionForm
from strategy.models import AmendmentRequest, AmendmentStatus
from strategy.permissions import get_amendment_for_management, get_strategy, get_version_for_management


@programme_manager_required
def tracker(request):
    strategy = get_strategy(request.user)
    state = services.adoption(strategy)
    in_process = [s.organisation.pk for s in state.standings]
    form = AddPartnerForm(request.POST or None, organisations=Organisation.objects.listed().exclude(pk__in=in_process))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_partner(
                strategy=strategy,
                organisation=form.cleaned_data["organisation"],
                deciding_body=form.cleaned_data["deciding_body"],
                by=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['organisation'].name} is in the endorsement process.")
            return redirect("manage_strategy:tracker")
    open_requests = (
        AmendmentRequest.objects.filter(version__strategy=strategy, status=AmendmentStatus.OPEN)
        .select_related("organisation", "version")
        .order_by("requested_at")
    )
    return render(
        request,
        "strategy/manage/tracker.html",
        {
            "strategy": strategy,
            "state": state,
            "standings": sorted(state.standings, key=lambda s: s.chase_rank),
            "versions": list(reversed(state.versions)),
            "open_requests": open_requests,
            "form": form,
        },
    )


def _aims(form) -> list[int]:
    return [int(n) for n in form.cleaned_data["aims"]]


@programme_manager_required
def version_create(request):
    strategy = get_strategy(request.user)
    latest = max(strategy.versions.all(), key=lambda v: v.sort_key, default=None)
    initial = {"text": services.sections_as_text(latest), "aims": [str(n) for n in latest.aims]} if latest else {}
    form = VersionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.create_version(
                strategy=strategy,
                label=data["label"],
                text=data["text"],
                summary_of_changes=data["summary_of_changes"],
                is_material=data["is_material"],
                aims=_aims(form),
                document=data["document"],
                by=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Version {version.label} is saved as a draft.")
            return redirect("strategy:version", label=version.label)
    return render(request, "strategy/manage/version_form.html", {"form": form, "version": None})


@programme_manager_required
def version_edit(request, pk):
    version = get_version_for_management(request.user, pk)
    if not version.is_editable:
        raise Http404
    initial = {
        "text": services.sections_as_text(version),
        "summary_of_changes": version.summary_of_changes,
        "is_material": version.is_material,
        "aims": [str(n) for n in version.aims],
    }
    form = VersionForm(request.POST or None, request.FILES or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_version(
                version=version,
                text=data["text"],
                summary_of_changes=data["summary_of_changes"],
                is_material=data["is_material"],
                aims=_aims(form),
                document=data["document"],
                by=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error, default_field="text")
        else:
            messages.success(request, f"Version {version.label} is saved.")
            return redirect("strategy:version", label=version.label)
    return render(request, "strategy/manage/version_form.html", {"form": form, "version": version})


@programme_manager_required
@require_POST
def version_consult(request, pk):
    version = get_version_for_management(request.user, pk)
    try:
        services.start_consultation(version=version, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Version {version.label} is out for consultation: partners can read it.")
    return redirect("strategy:version", label=version.label)


@programme_manager_required
@require_POST
def version_publish(request, pk):
    version = get_version_for_management(request.user, pk)
    try:
        version = services.publish_version(version=version, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        note = (
            " Partners that endorsed an earlier version are asked to endorse it again." if version.is_material else ""
        )
        messages.success(request, f"Version {version.label} is now the final version.{note}")
    return redirect("strategy:version", label=version.label)


@programme_manager_required
def amendment_answer(request, pk):
    amendment = get_amendment_for_management(request.user, pk)
    form = AnswerAmendmentForm(request.POST or None, strategy=amendment.version.strategy)
    if amendment.status != AmendmentStatus.OPEN:
        form = None
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            services.answer_amendment(
                amendment=amendment,
                accepted=data["decision"] == "accept",
                into=data["into"],
                response=data["response"],
                by=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error, names={"accepted_into": "into"}, default_field=None)
        else:
            messages.success(request, "The answer is recorded and the partner is told.")
            return redirect("strategy:amendments")
    history = amendment.history.select_related("history_user").order_by("-history_date")
    return render(
        request, "strategy/manage/amendment_answer.html", {"amendment": amendment, "form": form, "history": history}
    )

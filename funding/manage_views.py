"""The programme manager's funding pages, under /manage/funding/ (second factor required, like every
page under /manage/). Everyone else gets a 404; signed-out visitors are sent to sign in.

Every form page has the same shape (`_form_page`): show the form; on a valid post call the
service; a service's ValidationError goes beside the field it names and nothing is written."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse

from diz_portal.forms import apply_validation_error
from funding import permissions, services
from funding.forms import (
    AllocationForm,
    AwardForm,
    BidForm,
    ClaimForm,
    ContributionForm,
    DecisionForm,
    DocumentForm,
    FunderForm,
    MoveForm,
    OpportunityForm,
    ReplaceDocumentForm,
    ReportForm,
    SignOffForm,
)
from funding.models import Allocation, Award, Claim, Contribution, Funder, Opportunity, ReportingDeadline, Stage
from partners.permissions import programme_manager_required


def _form_page(request, form, save: Callable, *, heading: str, caption: str = "", intro: str = "", back: str, done):
    """Render `form`; on a valid post call `save(cleaned_data)` and go to `done(result)`."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(dict(form.cleaned_data))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"{heading}: saved.")
            return redirect(done(result))
    return render(
        request,
        "funding/manage/form.html",
        {
            "form": form,
            "heading": heading,
            "caption": caption,
            "intro": intro,
            "back": back if back.startswith("/") else reverse(back),
        },
    )


@programme_manager_required
def dashboard(request):
    return render(
        request,
        "funding/manage/dashboard.html",
        {
            "funders": Funder.objects.annotate(opportunity_count=Count("opportunities")).order_by("name"),
            "opportunities": Opportunity.objects.select_related("funder", "decided_by")
            .annotate(bid_count=Count("bids"))
            .order_by("-closes_on"),
        },
    )


# --- Funders and opportunities ---------------------------------------------------------------


@programme_manager_required
def funder_create(request):
    form = FunderForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: services.save_record(form.instance, by=request.user),
        heading="Add a funder",
        back="manage_funding:dashboard",
        done=lambda _: "manage_funding:dashboard",
    )


@programme_manager_required
def funder_edit(request, pk: int):
    funder = permissions.get_funder_for_management(request.user, pk)
    form = FunderForm(request.POST or None, instance=funder)
    return _form_page(
        request,
        form,
        lambda data: services.save_record(form.instance, by=request.user),
        heading="Change the funder",
        caption=funder.name,
        back="manage_funding:dashboard",
        done=lambda _: "manage_funding:dashboard",
    )


@programme_manager_required
def opportunity_create(request):
    form = OpportunityForm(request.POST or None, initial={"funder": request.GET.get("funder")})
    return _form_page(
        request,
        form,
        lambda data: services.save_record(form.instance, by=request.user),
        heading="Add an opportunity",
        intro="A funding programme the partnership might bid to. Record the go / no-go decision once it is taken.",
        back="manage_funding:dashboard",
        done=lambda _: "manage_funding:dashboard",
    )


@programme_manager_required
def opportunity_edit(request, pk: int):
    opportunity = permissions.get_opportunity_for_management(request.user, pk)
    form = OpportunityForm(request.POST or None, instance=opportunity)
    return _form_page(
        request,
        form,
        lambda data: services.save_record(form.instance, by=request.user),
        heading="Change the opportunity",
        caption=str(opportunity),
        back="manage_funding:dashboard",
        done=lambda _: "manage_funding:dashboard",
    )


@programme_manager_required
def opportunity_decide(request, pk: int):
    opportunity = permissions.get_opportunity_for_management(request.user, pk)
    form = DecisionForm(
        request.POST or None,
        initial={
            "decision": opportunity.decision,
            "reason": opportunity.decision_reason,
            "board_decision_ref": opportunity.board_decision_ref,
        },
    )
    return _form_page(
        request,
        form,
        lambda data: services.decide_opportunity(opportunity=opportunity, by=request.user, **data),
        heading="Go or no go",
        caption=str(opportunity),
        intro="Who decided and when are recorded with the reason. A bid goes past the go / no-go stage only with a go.",
        back="manage_funding:dashboard",
        done=lambda _: "manage_funding:dashboard",
    )


# --- Bids ------------------------------------------------------------------------------------


@programme_manager_required
def bid_create(request):
    form = BidForm(request.POST or None, initial={"opportunity": request.GET.get("opportunity")})
    return _form_page(
        request,
        form,
        lambda data: services.create_bid(by=request.user, **data),
        heading="Start a bid",
        intro="A bid starts as an idea. Name the accountable body as soon as it is agreed.",
        back="funding:pipeline",
        done=lambda bid: bid.get_absolute_url(),
    )


@programme_manager_required
def bid_edit(request, pk: int):
    bid = permissions.get_bid_for_management(request.user, pk)
    form = BidForm(request.POST or None, instance=bid)
    return _form_page(
        request,
        form,
        lambda data: services.change_bid(bid=bid, by=request.user, **data),
        heading="Change the bid",
        caption=bid.title,
        back=bid.get_absolute_url(),
        done=lambda bid: bid.get_absolute_url(),
    )


@programme_manager_required
def bid_sign_off(request, pk: int):
    bid = permissions.get_bid_for_management(request.user, pk)
    form = SignOffForm(request.POST or None, instance=bid)
    return _form_page(
        request,
        form,
        lambda data: services.sign_off(
            bid=bid, officer=data["finance_officer"], on=data["finance_signed_off_on"], by=request.user
        ),
        heading="Record the finance sign-off",
        caption=f"{bid.title}, accountable body: {bid.accountable_body or 'not named yet'}",
        intro="The accountable body's finance officer signs the bid off before it is submitted.",
        back=bid.get_absolute_url(),
        done=lambda bid: bid.get_absolute_url(),
    )


@programme_manager_required
def bid_move(request, pk: int):
    bid = permissions.get_bid_for_management(request.user, pk)
    form = MoveForm(request.POST or None, bid=bid)
    return _form_page(
        request,
        form,
        lambda data: services.move_bid(bid=bid, to=data["stage"], feedback=data["feedback"], by=request.user),
        heading="Move the bid",
        caption=f"{bid.title}: now {bid.get_stage_display()}",
        intro=Stage(bid.stage).label + ". " + bid._moves_sentence(bid.stage),
        back=bid.get_absolute_url(),
        done=lambda bid: bid.get_absolute_url(),
    )


@programme_manager_required
def contribution_add(request, pk: int):
    bid = permissions.get_bid_for_management(request.user, pk)
    form = ContributionForm(request.POST or None, request.FILES or None, instance=Contribution(bid=bid))

    def save(data):
        letter = data.pop("letter")
        return services.add_contribution(bid=bid, letter=letter, by=request.user, **data)

    return _form_page(
        request,
        form,
        save,
        heading="Add a partner's contribution",
        caption=bid.title,
        back=bid.get_absolute_url(),
        done=lambda c: bid.get_absolute_url(),
    )


@programme_manager_required
def contribution_edit(request, pk: int):
    contribution = permissions.get_contribution_for_management(request.user, pk)
    form = ContributionForm(request.POST or None, request.FILES or None, instance=contribution)

    def save(data):
        letter = data.pop("letter")
        return services.change_contribution(contribution=contribution, letter=letter, by=request.user, **data)

    return _form_page(
        request,
        form,
        save,
        heading="Change the contribution",
        caption=f"{contribution.bid.title}: {contribution.organisation}",
        back=contribution.bid.get_absolute_url(),
        done=lambda c: c.bid.get_absolute_url(),
    )


@programme_manager_required
def document_add(request, pk: int):
    bid = permissions.get_bid_for_management(request.user, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    return _form_page(
        request,
        form,
        lambda data: services.add_document(bid=bid, by=request.user, **data),
        heading="Add a document",
        caption=bid.title,
        back=bid.get_absolute_url(),
        done=lambda d: bid.get_absolute_url(),
    )


@programme_manager_required
def document_replace(request, pk: int):
    document = permissions.get_document_for_management(request.user, pk)
    form = ReplaceDocumentForm(request.POST or None, request.FILES or None)
    return _form_page(
        request,
        form,
        lambda data: services.replace_document(document=document, by=request.user, **data),
        heading="Upload a new version",
        caption=f"{document.bid.title}: {document.title}",
        back=document.bid.get_absolute_url(),
        done=lambda v: document.bid.get_absolute_url(),
    )


# --- Awards ----------------------------------------------------------------------------------


@programme_manager_required
def award_create(request, pk: int):
    bid = permissions.get_bid_for_management(request.user, pk)
    form = AwardForm(
        request.POST or None,
        request.FILES or None,
        instance=Award(bid=bid),
        initial={"amount": bid.amount_requested, "title": bid.title, "description": bid.summary},
    )

    def save(data):
        agreement = data.pop("agreement")
        return services.record_award(bid=bid, agreement=agreement, by=request.user, **data)

    return _form_page(
        request,
        form,
        save,
        heading="Record the award",
        caption=bid.title,
        intro="Only a successful bid has an award. The public title and description appear on the funding page "
        "and in the open data once the award is published.",
        back=bid.get_absolute_url(),
        done=lambda award: award.get_absolute_url(),
    )


@programme_manager_required
def award_edit(request, pk: int):
    award = permissions.get_award_for_management(request.user, pk)
    form = AwardForm(request.POST or None, request.FILES or None, instance=award)

    def save(data):
        agreement = data.pop("agreement")
        return services.change_award(award=award, agreement=agreement, by=request.user, **data)

    return _form_page(
        request,
        form,
        save,
        heading="Change the award",
        caption=award.title,
        back=award.get_absolute_url(),
        done=lambda award: award.get_absolute_url(),
    )


def _part_page(request, award: Award, instance, form_class, *, add, change, noun: str):
    form = form_class(request.POST or None, instance=instance)
    adding = instance.pk is None
    return _form_page(
        request,
        form,
        (lambda data: add(award=award, by=request.user, **data))
        if adding
        else (lambda data: change(instance, by=request.user, **data)),
        heading=f"{'Add' if adding else 'Change'} {noun}",
        caption=award.title,
        back=award.get_absolute_url(),
        done=lambda _: award.get_absolute_url(),
    )


@programme_manager_required
def claim_add(request, pk: int):
    award = permissions.get_award_for_management(request.user, pk)
    return _part_page(
        request, award, Claim(award=award), ClaimForm, add=services.add_claim, change=None, noun="a claim"
    )


@programme_manager_required
def claim_edit(request, pk: int):
    claim = permissions.get_claim_for_management(request.user, pk)
    return _part_page(
        request,
        claim.award,
        claim,
        ClaimForm,
        add=None,
        change=lambda claim, **kw: services.change_claim(claim=claim, **kw),
        noun="the claim (or record it submitted or paid)",
    )


@programme_manager_required
def allocation_add(request, pk: int):
    award = permissions.get_award_for_management(request.user, pk)
    return _part_page(
        request,
        award,
        Allocation(award=award),
        AllocationForm,
        add=services.add_allocation,
        change=None,
        noun="an allocation to a delivery partner",
    )


@programme_manager_required
def allocation_edit(request, pk: int):
    allocation = permissions.get_allocation_for_management(request.user, pk)
    return _part_page(
        request,
        allocation.award,
        allocation,
        AllocationForm,
        add=None,
        change=lambda allocation, **kw: services.change_allocation(allocation=allocation, **kw),
        noun="the allocation (or record a payment)",
    )


@programme_manager_required
def report_add(request, pk: int):
    award = permissions.get_award_for_management(request.user, pk)
    return _part_page(
        request,
        award,
        ReportingDeadline(award=award),
        ReportForm,
        add=services.add_report,
        change=None,
        noun="a report due to the funder",
    )


@programme_manager_required
def report_edit(request, pk: int):
    report = permissions.get_report_for_management(request.user, pk)
    return _part_page(
        request,
        report.award,
        report,
        ReportForm,
        add=None,
        change=lambda report, **kw: services.change_report(report=report, **kw),
        noun="the report (or record it sent)",
    )

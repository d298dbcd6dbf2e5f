"""Use-cases for funding: each checks the model's rules (full_clean), writes in one transaction,
records who did it in the history, and refuses with a ValidationError that names the field.

Claims and allocations lock their award's row first: two people adding claims at once must not
together take more than the award, and the check reads the totals after the lock."""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from funding.models import (
    OUTCOMES,
    Allocation,
    Award,
    Bid,
    BidDocument,
    BidDocumentVersion,
    Claim,
    Contribution,
    GoDecision,
    Opportunity,
    ReportingDeadline,
    Stage,
)
from meetings.services import check_upload


def _as(instance, by):
    instance._history_user = by
    return instance


def save_record(instance, *, by, update_fields: list[str] | None = None):
    """Check every rule of the model, then save it with `by` in its history. Nothing is written
    when a rule refuses."""
    instance.full_clean()
    with transaction.atomic():
        _as(instance, by).save(update_fields=update_fields)
    return instance


def _change(instance, changes: dict, *, by, allowed: set[str]):
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"Not changed here: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(instance, name, value)
    return save_record(instance, by=by, update_fields=sorted(changes) or None)


# --- Opportunities ---------------------------------------------------------------------------


def decide_opportunity(
    *, opportunity: Opportunity, decision: str, reason: str, by, board_decision_ref: str = ""
) -> Opportunity:
    """Record go or no-go: who, when and why (and the Board's decision, if it took one)."""
    if decision not in (GoDecision.GO, GoDecision.NO_GO):
        raise ValidationError({"decision": "Choose go or no go."})
    opportunity.decision = decision
    opportunity.decision_reason = reason.strip()
    opportunity.board_decision_ref = board_decision_ref.strip()
    opportunity.decided_by = by
    opportunity.decided_at = timezone.now()
    fields = ["decision", "decision_reason", "board_decision_ref", "decided_by", "decided_at"]
    return save_record(opportunity, by=by, update_fields=fields)


# --- Bids ------------------------------------------------------------------------------------

BID_FIELDS = {
    "title",
    "opportunity",
    "summary",
    "lead_officer",
    "accountable_body",
    "amount_requested",
    "total_cost",
    "internal_deadline",
    "funder_deadline",
}


def create_bid(*, by, projects=None, **fields) -> Bid:
    unknown = set(fields) - BID_FIELDS
    if unknown:
        raise TypeError(f"Not set here: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        bid = save_record(Bid(**fields), by=by)
        if projects is not None:
            _link_projects(bid, projects, by)
    return bid


def change_bid(*, bid: Bid, by, projects=None, **changes) -> Bid:
    """Change a bid's details and its linked projects. Its stage moves only through `move_bid`;
    sign-off through `sign_off`."""
    with transaction.atomic():
        _change(bid, changes, by=by, allowed=BID_FIELDS)
        if projects is not None:
            _link_projects(bid, projects, by)
    return bid


def _link_projects(bid: Bid, projects, by) -> None:
    """Link the delivery plan's projects; the change is a line in the bid's history."""
    _as(bid, by)
    bid.projects.set(projects)


def sign_off(*, bid: Bid, officer: str, on: date, by) -> Bid:
    """The accountable body's finance sign-off, required before submission."""
    if not bid.accountable_body_id:
        raise ValidationError({"finance_officer": "Name the accountable body first: the sign-off is theirs."})
    if on and on > timezone.localdate():
        raise ValidationError({"finance_signed_off_on": "The sign-off date cannot be in the future."})
    return _change(
        bid,
        {"finance_officer": officer.strip(), "finance_signed_off_on": on},
        by=by,
        allowed={"finance_officer", "finance_signed_off_on"},
    )


def move_bid(*, bid: Bid, to: str, by, feedback: str = "") -> Bid:
    """Move a bid to another stage if the move is allowed (models.ALLOWED_MOVES), with the funder's
    feedback on an outcome. Locks the bid so two moves cannot cross."""
    if to not in Stage.values:
        raise ValidationError({"stage": "Choose a stage."})
    with transaction.atomic():
        locked = Bid.objects.select_for_update().select_related("opportunity").get(pk=bid.pk)
        locked.stage = to
        locked.stage_changed_at = timezone.now()
        fields = ["stage", "stage_changed_at"]
        if to in OUTCOMES:
            locked.outcome_feedback = feedback.strip()
            fields.append("outcome_feedback")
        save_record(locked, by=by, update_fields=fields)
    for name in [*fields]:
        setattr(bid, name, getattr(locked, name))
    bid._stored_stage = locked.stage
    return bid


# --- Contributions ---------------------------------------------------------------------------

CONTRIBUTION_FIELDS = {"organisation", "kind", "amount", "status", "description", "letter_received_on"}


def _attach(instance, field: str, upload) -> None:
    if upload:
        check_upload(upload)
        getattr(instance, field).save(upload.name, upload, save=False)


def add_contribution(*, bid: Bid, by, letter=None, **fields) -> Contribution:
    if not bid.is_open:
        raise ValidationError("This bid has its outcome: its contributions are final.")
    unknown = set(fields) - CONTRIBUTION_FIELDS
    if unknown:
        raise TypeError(f"Not set here: {', '.join(sorted(unknown))}")
    contribution = Contribution(bid=bid, **fields)
    contribution.full_clean(exclude=["letter_of_support"])
    _attach(contribution, "letter_of_support", letter)
    return save_record(contribution, by=by)


def change_contribution(*, contribution: Contribution, by, letter=None, **changes) -> Contribution:
    for name, value in changes.items():
        setattr(contribution, name, value)
    contribution.full_clean(exclude=["letter_of_support"])
    _attach(contribution, "letter_of_support", letter)
    fields = sorted(set(changes) | ({"letter_of_support"} if letter else set()))
    return save_record(contribution, by=by, update_fields=fields or None)


# --- Documents -------------------------------------------------------------------------------


def _add_version(*, document: BidDocument, upload, by) -> BidDocumentVersion:
    extension, mime = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = BidDocumentVersion(
        document=document,
        number=number,
        original_name=upload.name[-200:],
        content_type=mime,
        extension=extension,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
    )
    version.file.save(upload.name, upload, save=False)
    try:
        version.save()
    except Exception:
        version.file.delete(save=False)  # no orphan file for a row that was never written
        raise
    return version


def add_document(*, bid: Bid, title: str, kind: str, upload, by) -> BidDocument:
    """A document checked by its content (as meeting papers are), as its first version."""
    document = BidDocument(bid=bid, title=title.strip(), kind=kind)
    document.full_clean()
    check_upload(upload)
    with transaction.atomic():
        _as(document, by).save()
        _add_version(document=document, upload=upload, by=by)
    return document


def replace_document(*, document: BidDocument, upload, by) -> BidDocumentVersion:
    """A new version; the earlier ones are kept."""
    with transaction.atomic():
        BidDocument.objects.select_for_update().get(pk=document.pk)  # one version number at a time
        return _add_version(document=document, upload=upload, by=by)


# --- Awards ----------------------------------------------------------------------------------

AWARD_FIELDS = {
    "amount",
    "awarded_on",
    "funder_reference",
    "conditions",
    "title",
    "description",
    "starts_on",
    "ends_on",
    "is_published",
}


def record_award(*, bid: Bid, by, agreement=None, **fields) -> Award:
    """An award on a successful bid (the model refuses any other)."""
    unknown = set(fields) - AWARD_FIELDS
    if unknown:
        raise TypeError(f"Not set here: {', '.join(sorted(unknown))}")
    award = Award(bid=bid, **fields)
    award.full_clean(exclude=["grant_agreement"])
    if award.is_published:
        _refuse_unpublishable(award)
    _attach(award, "grant_agreement", agreement)
    return save_record(award, by=by)


def change_award(*, award: Award, by, agreement=None, **changes) -> Award:
    for name, value in changes.items():
        setattr(award, name, value)
    award.full_clean(exclude=["grant_agreement"])
    if award.is_published:
        _refuse_unpublishable(award)
    _attach(award, "grant_agreement", agreement)
    fields = sorted(set(changes) | ({"grant_agreement"} if agreement else set()))
    with transaction.atomic():
        Award.objects.select_for_update().filter(pk=award.pk).first()
        return save_record(award, by=by, update_fields=fields or None)


def _refuse_unpublishable(award: Award) -> None:
    from funding.opendata import problems_of

    problems = problems_of(award)
    if problems:
        raise ValidationError({"is_published": " ".join(problems)})


def _add_part(model, *, award: Award, by, **fields):
    with transaction.atomic():
        # Lock the award: the check of what remains must see every other claim or allocation.
        Award.objects.select_for_update().get(pk=award.pk)
        part = model(award=award, **fields)
        return save_record(part, by=by)


def _change_part(part, *, by, **changes):
    with transaction.atomic():
        Award.objects.select_for_update().get(pk=part.award_id)
        for name, value in changes.items():
            setattr(part, name, value)
        return save_record(part, by=by, update_fields=sorted(changes) or None)


def add_claim(*, award: Award, by, **fields) -> Claim:
    """A claim on the schedule; refused if it is more than what remains of the award to claim."""
    return _add_part(Claim, award=award, by=by, **fields)


def change_claim(*, claim: Claim, by, **changes) -> Claim:
    """Change a claim, or record that it was submitted (with its evidence) or paid."""
    return _change_part(claim, by=by, **changes)


def add_allocation(*, award: Award, by, **fields) -> Allocation:
    """An onward allocation to a delivery partner; refused past what remains of the award."""
    return _add_part(Allocation, award=award, by=by, **fields)


def change_allocation(*, allocation: Allocation, by, **changes) -> Allocation:
    """Change an allocation, or record what has been paid to the partner so far."""
    return _change_part(allocation, by=by, **changes)


def add_report(*, award: Award, by, **fields) -> ReportingDeadline:
    return save_record(ReportingDeadline(award=award, **fields), by=by)


def change_report(*, report: ReportingDeadline, by, **changes) -> ReportingDeadline:
    return _change(report, changes, by=by, allowed={"title", "due_on", "submitted_on"})

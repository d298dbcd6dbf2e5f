"""Who sees the funding pipeline, and the fetch-and-authorise functions its pages use.

The programme manager runs the pipeline; the members of the partnership's governing bodies (the
Board pursues funding, the Steering Group agrees each bid's accountable body) read it. Anyone
else gets the same 404 as for a record that does not exist. The public sees only published
awards (funding/opendata.py and the /funding/ page)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from diz_portal.caching import cached_value
from funding.models import Allocation, Award, Bid, BidDocumentVersion, Claim, Contribution, Funder, Opportunity
from funding.models import ReportingDeadline as Report
from meetings.permissions import member_body_ids
from partners.permissions import is_programme_manager


def can_see_pipeline(user) -> bool:
    return is_programme_manager(user) or bool(member_body_ids(user))


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def get_bid_for_user(user, pk: int) -> Bid:
    """The bid, for a reader of the pipeline, kept like the award (get_award_for_user): its
    related records and totals are read by the page only when it builds its fragment."""
    _require(can_see_pipeline(user))
    bid = cached_value(("pipeline-bid", pk), ["funding"], lambda: Bid.objects.filter(pk=pk).first())
    if bid is None:
        raise Http404
    return bid


def get_award_for_user(user, pk: int) -> Award:
    """The award and its bid, for a reader of the pipeline. The record is the same whoever reads
    it (the check above is each reader's own), so it is kept until funding changes; its totals
    (claims, allocations) are read by the page only when it builds its fragment."""
    _require(can_see_pipeline(user))
    award = cached_value(
        ("pipeline-award", pk), ["funding"], lambda: Award.objects.select_related("bid").filter(pk=pk).first()
    )
    if award is None:
        raise Http404
    return award


def get_document_version_for_user(user, pk: int) -> BidDocumentVersion:
    _require(can_see_pipeline(user))
    return get_object_or_404(BidDocumentVersion.objects.select_related("document"), pk=pk)


def get_letter_for_user(user, pk: int) -> Contribution:
    _require(can_see_pipeline(user))
    return get_object_or_404(Contribution.objects.exclude(letter_of_support=""), pk=pk)


def get_agreement_for_user(user, pk: int) -> Award:
    _require(can_see_pipeline(user))
    return get_object_or_404(Award.objects.exclude(grant_agreement=""), pk=pk)


# --- The programme manager's -----------------------------------------------------------------


def _for_management(user, queryset, pk: int):
    _require(is_programme_manager(user))
    return get_object_or_404(queryset, pk=pk)


def get_funder_for_management(user, pk: int) -> Funder:
    return _for_management(user, Funder.objects.all(), pk)


def get_opportunity_for_management(user, pk: int) -> Opportunity:
    return _for_management(user, Opportunity.objects.select_related("funder"), pk)


def get_bid_for_management(user, pk: int) -> Bid:
    return _for_management(user, Bid.objects.with_related(), pk)


def get_contribution_for_management(user, pk: int) -> Contribution:
    return _for_management(user, Contribution.objects.select_related("bid", "organisation"), pk)


def get_document_for_management(user, pk: int):
    from funding.models import BidDocument

    return _for_management(user, BidDocument.objects.select_related("bid"), pk)


def get_award_for_management(user, pk: int) -> Award:
    return _for_management(user, Award.objects.with_related(), pk)


def get_claim_for_management(user, pk: int) -> Claim:
    return _for_management(user, Claim.objects.select_related("award__bid"), pk)


def get_allocation_for_management(user, pk: int) -> Allocation:
    return _for_management(user, Allocation.objects.select_related("award__bid", "organisation"), pk)


def get_report_for_management(user, pk: int) -> Report:
    return _for_management(user, Report.objects.select_related("award__bid"), pk)

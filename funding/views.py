"""Funding pages: the public "funding secured" page and the 360Giving files, and the pipeline the
programme manager runs and the partnership's bodies read (funding.permissions says who)."""

from __future__ import annotations

import csv
from datetime import timedelta
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control

from diz_portal.caching import fragment, public_page
from diz_portal.forms import filter_query
from funding import figures, opendata, permissions
from funding.forms import PipelineFilterForm
from funding.models import OPEN_STAGES, ZERO, Allocation, Award, Bid, BidDocumentVersion, Stage
from partners.permissions import is_programme_manager
from strategy.models import Project

# Funding pages show funding records and partners' (and people's) names: both topics key their cache.
TOPICS = opendata.TOPICS


@public_page(*TOPICS)
def open_data_json(request):
    try:
        body = opendata.as_json()
    except opendata.OpenDataError as error:
        return _unavailable(error)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@public_page(*TOPICS)
def open_data_csv(request):
    try:
        body = opendata.as_csv()
    except opendata.OpenDataError as error:
        return _unavailable(error)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="360giving.csv"'
    return response


def _unavailable(error) -> HttpResponse:
    # Better no file than one the standard refuses: say which record lacks its identifier.
    response = HttpResponse(
        f"The 360Giving open data cannot be produced until this is put right: {error}",
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Cache-Control"] = "no-store"
    return response


# --- Public ----------------------------------------------------------------------------------


@public_page(*TOPICS, "strategy")
def funding_secured(request):
    """Public: the published awards, what they fund, and the partners the money goes on to. The
    same for everyone: whole page for visitors, one shared fragment for the signed in."""

    def build():
        public_projects = Prefetch(
            "bid__projects", queryset=Project.objects.public().order_by("title"), to_attr="public_projects"
        )
        awards = list(
            Award.objects.published().with_related().prefetch_related(public_projects).order_by("-awarded_on")
        )
        allocations: dict[int, list] = {}
        for allocation in Allocation.objects.filter(award__in=awards).select_related("organisation"):
            allocations.setdefault(allocation.award_id, []).append(allocation)
        rows = [{"award": award, "allocations": allocations.get(award.pk, [])} for award in awards]
        total = Award.objects.published().aggregate(total=Sum("amount"))["total"] or ZERO
        return {"rows": rows, "total": total}

    awards_html = fragment(
        request, "funding-secured", "public", [*TOPICS, "strategy"], "funding/_secured_awards.html", build
    )
    return render(request, "funding/secured.html", {"awards_html": awards_html})


# --- The pipeline (the programme manager and the bodies' members) ----------------------------


@login_required
def bid_detail(request, pk: int):
    bid = permissions.get_bid_for_user(request.user, pk)
    can_manage = is_programme_manager(request.user)

    def build():
        documents = bid.documents.prefetch_related(
            Prefetch("versions", queryset=BidDocumentVersion.objects.select_related("uploaded_by"))
        )
        return {
            "bid": Bid.objects.with_related().with_totals().get(pk=bid.pk),
            "contributions": bid.contributions.select_related("organisation"),
            "projects": bid.projects.order_by("title"),
            "documents": documents,
            "award": Award.objects.filter(bid=bid).first(),
            "history": bid.history.select_related("history_user").order_by("-history_date")[:50],
            "can_manage": can_manage,
        }

    # The linked projects' titles are the strategy's.
    body = fragment(request, "funding-bid", (bid.pk, can_manage), [*TOPICS, "strategy"], "funding/_bid.html", build)
    return render(request, "funding/bid_detail.html", {"bid": bid, "body": body})


@login_required
def award_detail(request, pk: int):
    award = permissions.get_award_for_user(request.user, pk)
    can_manage = is_programme_manager(request.user)

    def build():
        # The totals are summed by the database, only when the fragment is built.
        totalled = Award.objects.with_related().with_totals().get(pk=award.pk)
        return {
            "award": totalled,
            "bid": totalled.bid,
            "claims": award.claims.all(),
            "allocations": award.allocations.select_related("organisation"),
            "reports": award.reports.all(),
            "remaining_to_claim": totalled.amount - totalled.claimed,
            "unallocated": totalled.amount - totalled.allocated,
            "history": award.history.select_related("history_user").order_by("-history_date")[:50],
            "can_manage": can_manage,
            # "Overdue" on a claim depends on the day.
            "today": timezone.localdate(),
        }

    body = fragment(
        request, "funding-award", (award.pk, can_manage, timezone.localdate()), TOPICS, "funding/_award.html", build
    )
    return render(request, "funding/award_detail.html", {"award": award, "bid": award.bid, "body": body})


def _file(field, name: str):
    response = FileResponse(field.open("rb"), as_attachment=True, filename=name)
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
def document_version(request, pk: int):
    version = permissions.get_document_version_for_user(request.user, pk)
    return _file(version.file, version.original_name)


@login_required
def letter(request, pk: int):
    contribution = permissions.get_letter_for_user(request.user, pk)
    return _file(contribution.letter_of_support, contribution.letter_of_support.name.rsplit("/", 1)[-1])


@login_required
def agreement(request, pk: int):
    award = permissions.get_agreement_for_user(request.user, pk)
    return _file(award.grant_agreement, award.grant_agreement.name.rsplit("/", 1)[-1])


def _pipeline_reader(view):
    """Signed out: to sign in. Signed in but neither the programme manager nor a member of one of
    the partnership's bodies: the 404 of a page that does not exist."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not permissions.can_see_pipeline(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


CARDS_PER_STAGE = 8


def _board() -> dict:
    """The board: each stage's count and value, and its first cards by deadline (open bids, and
    the outcomes of the last year); the table lists the rest. Two queries at any size."""
    recent = timezone.now() - timedelta(days=365)
    shown = Bid.objects.filter(Q(stage__in=OPEN_STAGES) | Q(stage_changed_at__gte=recent))
    cards = (
        shown.annotate(
            place=Window(
                RowNumber(), partition_by=[F("stage")], order_by=[F("funder_deadline").asc(nulls_last=True), F("title")]
            )
        )
        .filter(place__lte=CARDS_PER_STAGE)
        .with_related()
        .with_totals()
        .order_by("place")
    )
    by_stage: dict[str, list] = {}
    for bid in cards:
        by_stage.setdefault(bid.stage, []).append(bid)
    totals = {
        row["stage"]: row
        for row in shown.order_by().values("stage").annotate(count=Count("pk"), value=Sum("amount_requested"))
    }
    return {
        "columns": [
            {
                "stage": stage,
                "label": label,
                "bids": by_stage.get(stage, []),
                "count": totals.get(stage, {}).get("count", 0),
                "value": totals.get(stage, {}).get("value") or ZERO,
            }
            for stage, label in Stage.choices
        ],
        "today": timezone.localdate(),
    }


@_pipeline_reader
def pipeline(request):
    """The board, the same for every reader of the pipeline: kept until funding changes."""
    today = timezone.localdate()
    body = fragment(request, "funding-board", today, TOPICS, "funding/_pipeline_board.html", _board)
    return render(request, "funding/pipeline.html", {"body": body, "can_manage": is_programme_manager(request.user)})


@_pipeline_reader
def bid_table(request):
    form = PipelineFilterForm(request.GET or None)

    def bids():
        return Bid.objects.with_related().with_totals().filtered(**form.filters()).order_by("funder_deadline", "title")

    if request.GET.get("format") == "csv":
        return _bids_csv(bids())

    def build():
        query = filter_query(request)
        page = Paginator(bids(), 50).get_page(request.GET.get("page"))
        return {"form": form, "page": page, "query": query, "filter_query": query}

    # The filter form (with what was typed, and its errors) and the bids it finds depend only on
    # the query string and the data: one fragment per query string, shared by every reader of the
    # pipeline (the programme manager and the bodies' members see the same table).
    audience = ("pipeline readers", request.GET.urlencode(), timezone.localdate())
    body = fragment(request, "funding-bids", audience, TOPICS, "funding/_bid_results.html", build)
    return render(
        request,
        "funding/bid_table.html",
        {"form": form, "body": body, "can_manage": is_programme_manager(request.user)},
    )


CSV_HEADINGS = [
    "Bid",
    "Funder",
    "Programme",
    "Stage",
    "Accountable body",
    "Lead officer",
    "Amount requested (£)",
    "Total cost (£)",
    "Match funding (£)",
    "Match confirmed (£)",
    "Internal deadline",
    "Funder's deadline",
    "Finance sign-off",
]


def _bids_csv(bids) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bids.csv"'
    patch_cache_control(response, private=True, no_store=True)
    writer = csv.writer(response)
    writer.writerow(CSV_HEADINGS)
    for bid in bids:
        writer.writerow(
            [
                bid.title,
                bid.opportunity.funder.name,
                bid.opportunity.programme,
                bid.get_stage_display(),
                bid.accountable_body.name if bid.accountable_body else "",
                bid.lead_officer.name if bid.lead_officer else "",
                bid.amount_requested or "",
                bid.total_cost or "",
                bid.match_total,
                bid.match_confirmed,
                bid.internal_deadline or "",
                bid.funder_deadline or "",
                bid.finance_signed_off_on or "",
            ]
        )
    return response


@_pipeline_reader
def figures_page(request):
    today = timezone.localdate()
    body = fragment(request, "funding-figures", today, TOPICS, "funding/_figures.html", lambda: figures.figures(today))
    return render(request, "funding/figures.html", {"body": body, "can_manage": is_programme_manager(request.user)})

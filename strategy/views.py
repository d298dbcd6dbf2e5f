"""The strategy's public and partner pages: /strategy/ (adoption), versions and their diffs, the
partner's own endorsement page (record, kit, history), amendment requests, the feed and open data.

Every record is reached through strategy.permissions; whoever may not see a record gets the same
404 as for one that does not exist. Drafts and consultation versions, and amendment requests, never
reach a public template, feed or export."""

from __future__ import annotations

import csv
import itertools
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_POST

from diz_portal import caching
from diz_portal.caching import public_page
from diz_portal.forms import apply_validation_error
from diz_portal.models import DocumentStatus, GeneratedDocument
from partners.models import Organisation, Partnership
from strategy import documents, services
from strategy.forms import AmendmentRequestForm, EndorsementForm
from strategy.models import (
    ENDORSABLE_VERSION_STATUSES,
    PUBLIC_VERSION_STATUSES,
    Endorsement,
    Section,
    StrategyVersion,
)
from strategy.permissions import (
    amendments_for,
    get_endorsement_for_kit,
    get_organisation_for_recording,
    get_public_endorsement,
    get_strategy,
    get_version_for_user,
    get_versions_for_user,
    is_partner,
    is_programme_manager,
    represented_organisation_ids,
    version_statuses_for,
    versions_for,
    versions_key,
)

PUBLIC = set(PUBLIC_VERSION_STATUSES)


def _aims(version: StrategyVersion | None) -> list[str]:
    aims = Partnership.current().aims or []
    if version is None:
        return []
    return [aims[n - 1] for n in version.aims if 0 < n <= len(aims)]


@public_page("strategy", "partners")
def index(request):
    strategy = get_strategy(request.user)
    state = services.adoption(strategy, statuses=version_statuses_for(request.user) & PUBLIC)
    visible = [v for v in state.versions if v.status in version_statuses_for(request.user)]
    for earlier, later in itertools.pairwise(visible):
        later.previous_label = earlier.label
    return render(
        request,
        "strategy/index.html",
        {
            "strategy": strategy,
            "state": state,
            "versions": list(reversed(visible)),
            "aims": _aims(state.current),
            "represented": represented_organisation_ids(request.user),
            "is_pm": is_programme_manager(request.user),
        },
    )


@public_page("strategy", "partners")
def version_detail(request, label):
    version = get_version_for_user(request.user, label)
    visible = sorted(versions_for(request.user, version.strategy), key=lambda v: v.sort_key)
    earlier = [v for v in visible if v.sort_key < version.sort_key]
    changes = version.history.select_related("history_user").order_by("-history_date")[:50]
    return render(
        request,
        "strategy/version.html",
        {
            "version": version,
            "sections": list(version.sections.all()),
            "aims": _aims(version),
            "previous": earlier[-1] if earlier else None,
            "changes": changes,
            "show_people": is_partner(request.user),
        },
    )


def version_document(request, label):
    version = get_version_for_user(request.user, label)
    if not version.document:
        raise Http404
    response = FileResponse(version.document.open("rb"), as_attachment=False, filename=f"strategy-{version.label}.pdf")
    if not version.is_public:
        patch_cache_control(response, private=True, no_store=True)
    return response


@public_page("strategy", "partners")
def diff(request, old, new):
    # The version statuses the viewer may see decide both the pickers and which pairs exist at all.
    statuses = version_statuses_for(request.user)
    audience = (old, new, sorted(statuses))
    # The two versions and the comparison, in one round trip.
    caching.prefetch(
        [
            (caching.value_key(versions_key(request.user, old, new)), ["strategy"]),
            (caching.fragment_key("strategy-diff", audience), ["strategy"]),
        ]
    )
    before, after = get_versions_for_user(request.user, old, new)

    def build() -> dict:
        changes = services.compare_sections(list(before.sections.all()), list(after.sections.all()))
        changed = [c for c in changes if c.change != "unchanged"]
        for number, change in enumerate(changed, start=1):
            change.anchor = f"section-{number}"
        visible = sorted(versions_for(request.user, before.strategy), key=lambda v: v.sort_key)
        return {"before": before, "after": after, "changes": changes, "changed": changed, "versions": visible}

    body = caching.fragment(
        request,
        "strategy-diff",
        audience,  # the labels name the versions of the one strategy
        ["strategy"],
        "strategy/_diff_body.html",
        build,
    )
    return render(request, "strategy/diff.html", {"before": before, "after": after, "body": body})


def diff_choose(request):
    """The version pickers' form submits here (GET), and lands on the diff's own address."""
    old, new = request.GET.get("old", ""), request.GET.get("new", "")
    if not old or not new:
        return redirect("strategy:index")
    get_version_for_user(request.user, old)
    get_version_for_user(request.user, new)
    return redirect("strategy:diff", old=old, new=new)


def evidence(request, pk):
    endorsement = get_public_endorsement(request.user, pk)
    if not endorsement.evidence_file:
        raise Http404
    return FileResponse(endorsement.evidence_file.open("rb"), as_attachment=False, filename="evidence.pdf")


# --- A partner's endorsement -----------------------------------------------------------------


@login_required
def partner(request, slug):
    organisation = get_organisation_for_recording(request.user, slug)
    # Everyone who records for the organisation (its officers, its representatives, the programme
    # manager) sees the same page; only the programme manager recording for a partner she does not
    # work for is told to give evidence, and "date passed" changes with the day.
    pm_for_another = is_programme_manager(request.user) and request.user.organisation_id != organisation.pk
    today = timezone.localdate()

    def context(data=None, files=None) -> dict:
        strategy = get_strategy(request.user)
        state = services.adoption(strategy)
        versions = [v for v in reversed(state.versions) if v.status in ENDORSABLE_VERSION_STATUSES]
        standing = state.standing_of(organisation.pk)
        row = standing.endorsement if standing else None
        chosen = row.version if row and row.version.can_be_endorsed else state.current
        initial = {"version": chosen.pk if chosen else None}
        if row is not None:
            initial |= {
                field: getattr(row, field)
                for field in ("status", "deciding_body", "scheduled_for", "decision_date", "resolution", "amendments")
            }
            initial["evidence_url"] = row.evidence_url
        kits = documents.kit_documents(row) if row else []
        pending = any(k.status in {DocumentStatus.QUEUED, DocumentStatus.BUILDING} for k in kits)
        return {
            "organisation": organisation,
            "strategy": strategy,
            "state": state,
            "row": row,
            "rows": sorted(state.rows.get(organisation.pk, []), key=lambda e: e.version.sort_key, reverse=True),
            "form": EndorsementForm(data, files, versions=versions, initial=initial),
            "history": Endorsement.history.filter(organisation_id=organisation.pk)
            .select_related("history_user", "version")
            .order_by("-history_date")[:50],
            "kits": kits,
            "kits_pending": pending,
            "keep": not pending,  # a kit still building changes without a save the cache hears of
            "kit_names": documents.KIT_NAMES,
            "pm_for_another": pm_for_another,
        }

    form = None
    if request.method == "POST":
        built = context(request.POST, request.FILES)
        form = built["form"]
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_endorsement(
                    organisation=organisation,
                    version=data["version"],
                    by=request.user,
                    status=data["status"],
                    deciding_body=data["deciding_body"],
                    scheduled_for=data["scheduled_for"],
                    decision_date=data["decision_date"],
                    resolution=data["resolution"],
                    amendments=data["amendments"],
                    evidence_url=data["evidence_url"],
                    evidence_file=data["evidence_file"],
                )
            except PermissionDenied as error:
                raise Http404 from error
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"{organisation.name}'s endorsement is recorded.")
                return redirect("strategy:partner", slug=organisation.slug)
    # The page with its form as the organisation's record fills it is shared; a form carrying the
    # viewer's rejected input is theirs alone (share=False).
    body = caching.fragment(
        request,
        "strategy-partner",
        (organisation.pk, pm_for_another, today.isoformat()),
        ["strategy", "partners", "documents"],
        "strategy/_partner_body.html",
        (lambda: built) if form is not None else context,
        share=form is None,
    )
    return render(
        request,
        "strategy/partner.html",
        {"organisation": organisation, "body": body, "has_errors": bool(form is not None and form.errors)},
    )


@login_required
@require_POST
def kit_request(request, pk):
    endorsement = get_endorsement_for_kit(request.user, pk)
    documents.request_kit(endorsement=endorsement)
    messages.success(request, "The endorsement kit is being prepared. This page shows when it is ready.")
    return redirect("strategy:partner", slug=endorsement.organisation.slug)


@login_required
def kit_download(request, pk):
    document = get_object_or_404(
        GeneratedDocument, pk=pk, content_type__app_label="strategy", content_type__model="endorsement"
    )
    endorsement = get_endorsement_for_kit(request.user, document.object_id)
    if not document.is_ready or not document.file:
        raise Http404
    extension = "docx" if document.kind == "kit:docx" else "pdf"
    name = f"endorsement-kit-{endorsement.organisation.slug}-{endorsement.version.label}.{extension}"
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=name)
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- Amendment requests ----------------------------------------------------------------------


@login_required
def amendments(request):
    if not is_partner(request.user):
        raise Http404
    strategy = get_strategy(request.user)
    requests = (
        amendments_for(request.user, strategy)
        .select_related("version", "organisation", "accepted_into", "requested_by")
        .order_by("status", "section_heading", "requested_at")
    )
    return render(
        request,
        "strategy/amendments.html",
        {
            "requests": requests,
            "can_ask": bool(represented_organisation_ids(request.user)) or is_programme_manager(request.user),
            "is_pm": is_programme_manager(request.user),
        },
    )


@login_required
def amendment_new(request):
    strategy = get_strategy(request.user)
    if is_programme_manager(request.user):
        organisations = Organisation.objects.listed()
    else:
        organisations = Organisation.objects.filter(pk__in=represented_organisation_ids(request.user))
    if not organisations.exists():
        raise Http404
    sections = Section.objects.filter(
        version__strategy=strategy, version__status__in=ENDORSABLE_VERSION_STATUSES
    ).select_related("version")
    form = AmendmentRequestForm(
        request.POST or None,
        organisations=organisations,
        sections=sections.order_by("-version__created_at", "position"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_amendment(
                version=data["section"].version,
                organisation=data["organisation"],
                section=data["section"],
                proposed_text=data["proposed_text"],
                reason=data["reason"],
                by=request.user,
            )
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Your amendment request is sent to the programme manager.")
            return redirect("strategy:amendments")
    return render(request, "strategy/amendment_form.html", {"form": form})


# --- Feed and open data ----------------------------------------------------------------------


def public_endorsements():
    """Outcomes recorded against public versions: what the feed and open data publish."""
    return (
        Endorsement.objects.filter(version__status__in=PUBLIC, recorded_at__isnull=False)
        .select_related("organisation", "version__strategy")
        .order_by("-recorded_at", "-pk")
    )


def _evidence_link(request, endorsement: Endorsement) -> str:
    if endorsement.evidence_url:
        return endorsement.evidence_url
    if endorsement.evidence_file:
        return request.build_absolute_uri(reverse("strategy:evidence", kwargs={"pk": endorsement.pk}))
    return ""


@public_page("strategy", "partners")
def feed(request):
    strategy = get_strategy(request.user)
    partnership = Partnership.current()
    atom = Atom1Feed(
        title=f"{partnership.short_name}: endorsements of the {strategy.title}",
        link=request.build_absolute_uri(reverse("strategy:index")),
        description=f"Each partner's decision on the {strategy.title}.",
        feed_url=request.build_absolute_uri(reverse("strategy:feed")),
        language="en-GB",
        feed_guid=request.build_absolute_uri(reverse("strategy:feed")),
    )
    for row in public_endorsements()[:50]:
        when = f" on {row.decision_date:%-d %B %Y}" if row.decision_date else ""
        atom.add_item(
            title=f"{row.organisation.name}: {row.get_status_display()} (version {row.version.label})",
            link=_evidence_link(request, row) or request.build_absolute_uri(reverse("strategy:index")),
            description=(
                f"{row.organisation.name}'s {row.deciding_body or 'deciding body'}: {row.get_status_display().lower()}"
                f"{when}. {row.resolution}"
            ).strip(),
            unique_id=f"tag:{request.get_host()},2019:strategy-endorsement-{row.pk}-{row.status}",
            updateddate=row.recorded_at,
            pubdate=row.recorded_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    return response


OPEN_DATA_FIELDS = [
    "id",
    "organisation",
    "organisation_org_id",
    "strategy",
    "version",
    "status",
    "deciding_body",
    "scheduled_for",
    "decision_date",
    "resolution",
    "amendments",
    "evidence",
    "recorded",
]


def _open_data_rows(request) -> list[dict]:
    strategy = get_strategy(request.user)
    state = services.adoption(strategy, statuses=PUBLIC)
    rows = []
    for standing in state.standings:
        row = standing.endorsement
        rows.append(
            {
                "id": f"endorsement-{row.pk}",
                "organisation": row.organisation.name,
                "organisation_org_id": row.organisation.org_id or "",
                "strategy": strategy.title,
                "version": row.version.label,
                "status": row.status,
                "deciding_body": row.deciding_body,
                "scheduled_for": row.scheduled_for.isoformat() if row.scheduled_for else "",
                "decision_date": row.decision_date.isoformat() if row.decision_date else "",
                "resolution": row.resolution if row.has_outcome else "",
                "amendments": row.amendments if row.has_outcome else "",
                "evidence": _evidence_link(request, row) if row.has_outcome else "",
                "recorded": timezone.localtime(row.recorded_at).isoformat() if row.recorded_at else "",
            }
        )
    return rows


@public_page("strategy", "partners")
def endorsements_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="endorsements.csv"'
    writer = csv.DictWriter(response, fieldnames=OPEN_DATA_FIELDS)
    writer.writeheader()
    writer.writerows(_open_data_rows(request))
    return response


@public_page("strategy", "partners")
def endorsements_json(request):
    rows = _open_data_rows(request)
    body = {
        "description": "Each partner's endorsement of the partnership's strategy. No personal data.",
        "fields": OPEN_DATA_FIELDS,
        "endorsements": rows,
    }
    return HttpResponse(json.dumps(body, indent=2, ensure_ascii=False), content_type="application/json")

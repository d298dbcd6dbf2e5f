"""Board reports and registers, under /reports/. Every record comes through reports.permissions
(fetch and authorise: 404 for whoever may not see it)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from diz_portal import caching
from diz_portal.forms import apply_validation_error
from diz_portal.models import DocumentStatus, GeneratedDocument
from diz_portal.views import file_response
from partners.permissions import is_programme_manager
from reports import periods, registers, services
from reports.forms import ReportRequestForm
from reports.models import Report
from reports.permissions import (
    BODY_TOPICS,
    body_key,
    get_body_for_reports,
    get_report_document_for_download,
    get_report_for_user,
    reportable_bodies,
)

HISTORY_LIMIT = 40


@login_required
def index(request):
    return render(
        request,
        "reports/index.html",
        {
            "bodies": list(reportable_bodies(request.user)),
            "registers": registers.registers().values(),
            "planned": registers.planned_registers(),
        },
    )


def _reports_html(request, body) -> str:
    """A body's reports and how far each has got, the same for everyone who may see them (the
    programme manager also sees why one failed): kept until a report or document changes (progress
    included, see reports.documents._progress)."""
    return caching.fragment(
        request,
        "reports-of",
        _reports_key(body.slug, request.user),
        REPORTS_TOPICS,
        "reports/_reports.html",
        lambda: _reports_of(body),
    )


# Keyed by the body's address (so it can be fetched with the body); "partners": a body's slug.
REPORTS_TOPICS = ["reports", "documents", "partners"]
FORM_TOPICS = ["meetings", "partners"]


def _reports_key(slug: str, user) -> tuple:
    return (slug, is_programme_manager(user))


def _form_html(request, form) -> str:
    """The request form. The blank one (`form` None) is the same for everyone on a given day (its
    periods run from the partnership's start to today), so it is made only when not kept; a form
    with the person's rejected input is never shared."""
    return caching.fragment(
        request,
        "report-form",
        timezone.localdate(),
        FORM_TOPICS,
        "reports/_request_form.html",
        lambda: {"form": form or ReportRequestForm()},
        share=form is None,
    )


def _reports_of(body) -> dict:
    reports = list(
        Report.objects.filter(body=body)
        .prefetch_related("requests__requested_by")
        .order_by("-period_start", "kind")[:HISTORY_LIMIT]
    )
    documents = {
        d.object_id: d
        for d in GeneratedDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(Report), object_id__in=[r.pk for r in reports]
        )
    }
    for report in reports:
        report.document = documents.get(report.pk)
        requests = list(report.requests.all())
        report.last_request = requests[0] if requests else None
        report.request_count = len(requests)
    pending = any(r.document and r.document.status in (DocumentStatus.QUEUED, DocumentStatus.BUILDING) for r in reports)
    return {"body": body, "reports": reports, "pending": pending}


@login_required
def body_reports(request, slug):
    # The body and both parts of the page, in one round trip.
    caching.prefetch(
        [
            (caching.value_key(body_key(slug)), BODY_TOPICS),
            (caching.fragment_key("reports-of", _reports_key(slug, request.user)), REPORTS_TOPICS),
            (caching.fragment_key("report-form", timezone.localdate()), FORM_TOPICS),
        ]
    )
    body = get_body_for_reports(request.user, slug)
    form = ReportRequestForm(request.POST) if request.method == "POST" else None
    if form is not None and form.is_valid():
        try:
            report = services.request_report(
                kind=form.cleaned_data["kind"], body=body, period=form.cleaned_data["period"], by=request.user
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"{report} is queued: this page shows when it is ready.")
            return redirect("reports:body", slug=body.slug)
    context = {
        "body": body,
        "form": form,
        "reports": _reports_html(request, body),
        "form_html": _form_html(request, form),
    }
    return render(request, "reports/body.html", context, status=400 if form is not None else 200)


@never_cache
@login_required
def body_status(request, slug):
    """The list of reports on its own, which the page polls while one is being built."""
    body = get_body_for_reports(request.user, slug)
    return HttpResponse(_reports_html(request, body))


@login_required
@require_POST
def regenerate(request, pk):
    report = get_report_for_user(request.user, pk)
    try:
        services.request_report(
            kind=report.kind,
            body=report.body,
            period=periods.Period(report.period_start, report.period_end),
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{report} is queued again: it is rebuilt only if something has changed.")
    return redirect("reports:body", slug=report.body.slug)


@login_required
def download(request, pk):
    document, report = get_report_document_for_download(request.user, pk)
    return file_response(
        document.file,
        filename=f"{report.body.slug}-{report.kind}-{periods.Period(report.period_start, report.period_end).key}"
        f"-v{document.version}.pdf",
        content_type="application/pdf",
        private=True,
    )


def register_export(request, key, fmt):
    register, rows = registers.get_register_rows(request.user, key)
    if fmt == "csv":
        response = HttpResponse(registers.as_csv(register, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            registers.as_xlsx(register, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{key}.{fmt}"'
    # What a register holds depends on who asks: never kept by a shared cache.
    patch_cache_control(response, private=True, no_store=True)
    return response

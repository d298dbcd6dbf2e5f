"""The documents workers build for the strategy:

- the endorsement kit: for each partner, a draft committee report to take through its own decision
  route, in the shape of the seed report (Recommendations/Decisions Required, Report, Resource
  Implications, Legal and Governance Implications, Consultation Undertaken, Background Papers, Risk
  Management), as a Word document the officer edits and as a PDF;
- the delivery plan's roadmap by financial-year quarter, as a PDF (public and partners' versions).

A request records GeneratedDocument rows (queued) and queues a build; `build` is what the worker
runs. It is safe to run twice: an unchanged document is not built again, and a rebuilt one replaces
its file. The sweep (`requeue_stale_documents`, beat) picks up documents queued while the broker
was down, or left building by a worker that died."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from diz_portal.models import DocumentStatus, GeneratedDocument
from diz_portal.queue import enqueue, send_task_now
from partners.models import Partnership
from strategy.models import Endorsement, Strategy

KIT_KINDS = ["kit:docx", "kit:pdf"]
KIT_NAMES = {"kit:docx": "Word document (to edit)", "kit:pdf": "PDF"}
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Kit:
    """What the draft report says, once, for both formats."""

    title: str
    organisation: str
    deciding_body: str
    version: str
    sections: list[tuple[str, list[str]]]  # (heading, paragraphs)


def kit_content(endorsement: Endorsement) -> Kit:
    from strategy.services import adoption

    version = endorsement.version
    strategy = version.strategy
    partnership = Partnership.current()
    organisation = endorsement.organisation
    body = endorsement.deciding_body or "the Committee"
    state = adoption(strategy)
    endorsed = [s.organisation.name for s in state.standings if s.counts and s.organisation.pk != organisation.pk]
    endorsed_text = (
        "At the time of writing the strategy has been endorsed by: " + "; ".join(endorsed) + "."
        if endorsed
        else "At the time of writing no partner has yet recorded its endorsement."
    )
    report = [
        f"{organisation.name} is a partner of the {partnership.name}. The partnership has agreed a {strategy.title}, "
        f"and asks each partner to endorse it through its own decision-making process.",
        strategy.summary or "",
        f"This report presents version {version.label} of the strategy to {body} for review and endorsement.",
        f"Concurrent with this report, partner organisations are also taking the strategy through their own "
        f"decision-making processes. {endorsed_text} This process of adoption may involve further amendments or "
        f"additions to achieve the aim of endorsement by all partners.",
        "Following the adoption of the strategy by all partners a detailed delivery plan will be drawn up and "
        "implemented, and a launch event will promote the strategy.",
    ]
    if version.summary_of_changes:
        report.append(f"Changes in version {version.label}: {version.summary_of_changes}")
    sections = [
        ("Recommendations/Decisions Required", [f"That {body} endorse the {strategy.title}, version {version.label}."]),
        ("Report", [p for p in report if p]),
        (
            "Resource Implications",
            [
                "This report has no immediate resource implications. Resources to deliver the programme and fund "
                "specific initiatives will be considered with partners as the delivery plan is drawn up."
            ],
        ),
        (
            "Legal and Governance Implications",
            [
                f"The partnership is not a legal entity: {organisation.name} endorses the strategy through its own "
                "governance, and one partner acts as accountable body for each funding bid."
            ],
        ),
        (
            "Consultation Undertaken",
            [
                "The strategy has been compiled with the ongoing support of a wide range of organisations, following "
                "interviews with representatives from all sectors."
            ],
        ),
        (
            "Background Papers",
            [f"{strategy.title}, version {version.label}: {settings.SITE_URL}{version.get_absolute_url()}"],
        ),
        ("Risk Management", ["[To be completed by the report's author.]"]),
    ]
    return Kit(
        title=f"{strategy.title}: endorsement by {organisation.name}",
        organisation=organisation.name,
        deciding_body=body,
        version=version.label,
        sections=sections,
    )


def render_docx(kit: Kit) -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.title = kit.title
    document.core_properties.author = settings.PORTAL_NAME
    document.add_heading(kit.title, level=0)
    document.add_paragraph(f"Report to {kit.deciding_body}, {kit.organisation}. Draft for the report's author to edit.")
    for heading, paragraphs in kit.sections:
        document.add_heading(heading, level=1)
        for number, text in enumerate(paragraphs, start=1):
            document.add_paragraph(f"{number}. {text}" if heading == "Report" else text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def render_pdf(kit: Kit):
    from diz_portal.pdf import build_tagged_pdf

    html = render_to_string("pdf/strategy/kit.html", {"kit": kit})
    return build_tagged_pdf(html=html, title=kit.title)


def fingerprint(endorsement: Endorsement, kind: str) -> str:
    kit = kit_content(endorsement)
    data = {"kind": kind, "kit": [kit.title, kit.deciding_body, kit.version, kit.sections]}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def kit_documents(endorsement: Endorsement) -> list[GeneratedDocument]:
    content_type = ContentType.objects.get_for_model(Endorsement)
    documents = GeneratedDocument.objects.filter(
        content_type=content_type, object_id=endorsement.pk, kind__in=KIT_KINDS
    )
    return sorted(documents, key=lambda d: KIT_KINDS.index(d.kind))


def request_kit(*, endorsement: Endorsement) -> list[GeneratedDocument]:
    from strategy.tasks import build_document

    content_type = ContentType.objects.get_for_model(Endorsement)
    requested = []
    for kind in KIT_KINDS:
        document, _ = GeneratedDocument.objects.get_or_create(
            content_type=content_type, object_id=endorsement.pk, kind=kind
        )
        if document.status != DocumentStatus.QUEUED:
            document.status = DocumentStatus.QUEUED
            document.requested_at = timezone.now()
            document.error = ""
            document.save(update_fields=["status", "requested_at", "error"])
        enqueue(build_document, document.pk)
        requested.append(document)
    return requested


def build(*, document_id: int) -> str:
    """Build one document (a kit or a roadmap). Returns "built", "unchanged" or "gone". On an error
    marks it failed (and re-raises so the task retries); a worker that dies leaves it building for
    the sweep."""
    document = GeneratedDocument.objects.filter(pk=document_id).select_related("content_type").first()
    if document is None:
        return "gone"
    if document.content_type.model == "strategy":
        return _build(document_id, _roadmap_inputs)
    return _build(document_id, _kit_inputs)


def _kit_inputs(document):
    endorsement = (
        Endorsement.objects.select_related("organisation", "version__strategy").filter(pk=document.object_id).first()
    )
    if endorsement is None:
        return None

    def render():
        kit = kit_content(endorsement)
        if document.kind == "kit:docx":
            return render_docx(kit), None, "docx"
        result = render_pdf(kit)
        return result.pdf, result.page_count, "pdf"

    name = f"endorsement-kit-{slugify(endorsement.organisation.name)}-{endorsement.version.label}"
    return fingerprint(endorsement, document.kind), render, name


def _build(document_id: int, inputs) -> str:
    """Build a document from its `inputs`: (fingerprint, render, file name), or None if its record
    is gone. An unchanged document is not built again; a rebuilt one replaces its file."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None:
            return "gone"
        found = inputs(document)
        if found is None:
            return "gone"
        current, render, base_name = found
        if document.status == DocumentStatus.READY and document.fingerprint == current and document.file:
            return "unchanged"
        document.status = DocumentStatus.BUILDING
        document.started_at = timezone.now()
        document.attempts += 1
        document.save(update_fields=["status", "started_at", "attempts"])
    try:
        data, pages, extension = render()
    except Exception as error:
        GeneratedDocument.objects.filter(pk=document.pk).update(
            status=DocumentStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
        old_name = document.file.name if document.file else ""
        document.version += 1
        name = f"{base_name}-v{document.version}.{extension}"
        document.file.save(name, ContentFile(data), save=False)
        document.status = DocumentStatus.READY
        document.fingerprint = current
        document.page_count = pages
        document.error = ""
        document.finished_at = timezone.now()
        document.save()
    if old_name and old_name != document.file.name:
        document.file.storage.delete(old_name)
    return "built"


def requeue_stale_documents() -> int:
    """Kits and roadmaps queued while the broker was down, or left building by a dead worker."""
    from meetings.documents import stale_document_ids
    from strategy.tasks import build_document

    ids = stale_document_ids(model=Endorsement) + stale_document_ids(model=Strategy)
    for pk in ids:
        send_task_now(build_document, pk)
    return len(ids)


# --- The roadmap as a PDF --------------------------------------------------------------------


def _roadmap_kind(year: int, audience: str) -> str:
    return f"roadmap:{year}:{audience}"


def roadmap_document(year: int, audience: str) -> GeneratedDocument | None:
    strategy = Strategy.current()
    if strategy is None:
        return None
    return GeneratedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(Strategy),
        object_id=strategy.pk,
        kind=_roadmap_kind(year, audience),
    ).first()


def request_roadmap(*, year: int, audience: str) -> GeneratedDocument | None:
    from strategy.tasks import build_document

    strategy = Strategy.current()
    if strategy is None:
        return None
    document, _ = GeneratedDocument.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(Strategy),
        object_id=strategy.pk,
        kind=_roadmap_kind(year, audience),
    )
    if document.status != DocumentStatus.QUEUED:
        document.status = DocumentStatus.QUEUED
        document.requested_at = timezone.now()
        document.error = ""
        document.save(update_fields=["status", "requested_at", "error"])
    enqueue(build_document, document.pk)
    return document


def _roadmap_inputs(document):
    from strategy.delivery import roadmap, roadmap_quarters
    from strategy.models import Project

    _name, year, audience = document.kind.split(":")
    year = int(year)
    projects = Project.objects.all() if audience == "partners" else Project.objects.public()
    rows = roadmap(projects, year)
    quarters = roadmap_quarters(year)
    data = [
        [
            row.workstream.title,
            [[(m.title, m.project.title, str(m.due_date), m.status) for m in cell] for cell in row.cells],
        ]
        for row in rows
    ]
    current = hashlib.sha256(json.dumps({"kind": document.kind, "rows": data}, sort_keys=True).encode()).hexdigest()
    title = f"Roadmap, financial year {year}/{(year + 1) % 100:02d}"

    def render():
        from diz_portal.pdf import build_tagged_pdf

        context = {"rows": rows, "quarters": quarters, "title": title, "partnership": Partnership.current()}
        result = build_tagged_pdf(html=render_to_string("pdf/strategy/roadmap.html", context), title=title)
        return result.pdf, result.page_count, "pdf"

    return current, render, f"roadmap-fy{year}-{audience}"

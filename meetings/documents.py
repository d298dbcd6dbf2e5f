"""The documents workers build for a meeting: agenda PDFs, packs for each audience, supplements and
minutes. Requests only record what is wanted (GeneratedDocument rows, queued) and enqueue a build;
`build` is what the worker runs. Building is safe to run twice: an unchanged document is not built
again, a rebuilt one replaces its file, and each email goes at most once (SentEmail)."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from diz_portal import caching
from diz_portal.models import DocumentStatus, GeneratedDocument
from diz_portal.queue import enqueue, send_task_now
from meetings.models import LEVELS_FOR, Meeting, MinutesStatus, Paper, PaperVersion, Visibility
from meetings.permissions import meeting_documents as documents_for
from meetings.permissions import (
    open_actions_before,
    split_kind,
    visible_documents,
)
from partners.permissions import is_programme_manager

logger = logging.getLogger(__name__)

AUDIENCE_LABELS = {"public": "Public", "partners": "Partners", "members": "Members (includes restricted items)"}
DOCUMENT_NAMES = {
    "agenda": "Agenda",
    "pack": "Pack",
    "supplement": "Supplement",
    "minutes": "Minutes",
    "attendance": "Attendance sheet",
}
# What publishing an agenda produces; each is "<document>:<audience>".
PUBLICATION_KINDS = [
    "agenda:public",
    "agenda:members",
    "pack:public",
    "pack:partners",
    "pack:members",
    "attendance:members",
]
SUPPLEMENT_KINDS = ["supplement:public", "supplement:partners", "supplement:members"]
MINUTES_KINDS = ["minutes:public", "minutes:members"]
DOCUMENT_ORDER = [*PUBLICATION_KINDS, *SUPPLEMENT_KINDS, *MINUTES_KINDS]

__all__ = ["documents_for", "split_kind", "visible_documents"]


def document_label(document: GeneratedDocument) -> str:
    """The name people read: "Pack: Members (includes restricted items)"."""
    name, audience = split_kind(document.kind)
    return f"{DOCUMENT_NAMES.get(name, name.capitalize())}: {AUDIENCE_LABELS[audience]}"


# A document queued for longer than this has not been picked up: the queue or its workers are down.
QUEUED_TOO_LONG = timedelta(minutes=2)
PENDING = {DocumentStatus.QUEUED, DocumentStatus.BUILDING}


def documents_context(meeting: Meeting, user, *, now=None, documents=None) -> dict:
    """The context templates/meetings/_documents.html needs (the management page includes it too):
    the documents this user may have, whether any is still being built (the page polls), and which
    have waited too long for a worker. `documents`: the meeting's documents, if already read."""
    visible = visible_documents(meeting, user, documents)
    waiting_since = (now or timezone.now()) - QUEUED_TOO_LONG
    for document in visible:
        document.waiting_for_worker = document.status == DocumentStatus.QUEUED and document.requested_at < waiting_since
    return {
        "meeting": meeting,
        "documents": visible,
        "documents_pending": any(document.status in PENDING for document in visible),
        "show_document_problems": is_programme_manager(user),
    }


def _request(meeting: Meeting, kinds: list[str]) -> list[GeneratedDocument]:
    content_type = ContentType.objects.get_for_model(Meeting)
    requested = []
    for kind in kinds:
        document, _ = GeneratedDocument.objects.get_or_create(
            content_type=content_type, object_id=meeting.pk, kind=kind
        )
        document.mark_queued()
        from meetings.tasks import build_document

        enqueue(build_document, document.pk)
        requested.append(document)
    return requested


def has_supplement(meeting: Meeting) -> bool:
    """Something changed after publication: a paper came or was replaced, an item was added late or
    withdrawn."""
    return (
        PaperVersion.objects.filter(paper__item__meeting=meeting, after_publication=True).exists()
        or meeting.items.filter(added_after_publication=True).exists()
        or meeting.items.filter(withdrawn_at__isnull=False).exists()
    )


def request_documents(*, meeting: Meeting, reason: str = "") -> list[GeneratedDocument]:
    kinds = list(PUBLICATION_KINDS)
    if has_supplement(meeting):
        kinds += SUPPLEMENT_KINDS
    logger.info("Documents requested for meeting %s: %s", meeting.pk, reason)
    return _request(meeting, kinds)


def request_minutes(*, meeting: Meeting) -> list[GeneratedDocument]:
    return _request(meeting, MINUTES_KINDS)


def stale_document_ids(*, older_than: timedelta = timedelta(minutes=2), model=Meeting) -> list[int]:
    """Documents of `model` still queued, or building for longer than a task may run (its worker
    died). Each app sweeps its own: a document goes back to the builder that knows its record."""
    now = timezone.now()
    documents = GeneratedDocument.objects.filter(content_type=ContentType.objects.get_for_model(model))
    queued = documents.filter(status=DocumentStatus.QUEUED, requested_at__lt=now - older_than)
    stuck = documents.filter(
        status=DocumentStatus.BUILDING, started_at__lt=now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    )
    return list(queued.values_list("pk", flat=True)) + list(stuck.values_list("pk", flat=True))


def requeue_stale_documents() -> int:
    ids = stale_document_ids()
    for pk in ids:
        from meetings.tasks import build_document

        send_task_now(build_document, pk)
    return len(ids)


# --- What goes into a document ---------------------------------------------------------------


def papers_by_item(papers) -> dict[int, list[Paper]]:
    """Papers grouped by item, each with `current` (its newest version, from prefetched versions)
    and `earlier`; papers with no version yet are left out."""
    grouped: dict[int, list[Paper]] = {}
    for paper in papers:
        versions = sorted(paper.versions.all(), key=lambda v: v.number, reverse=True)
        paper.current = versions[0] if versions else None
        paper.earlier = versions[1:]
        paper.version_count = len(versions)
        if paper.current is not None:
            grouped.setdefault(paper.item_id, []).append(paper)
    return grouped


def _agenda_context(meeting: Meeting, audience: str) -> dict:
    from meetings.services import item_timings
    from partners.models import Partnership

    levels = LEVELS_FOR[audience]
    every_item = list(meeting.items.select_related("presenter", "presenter_organisation"))
    papers = (
        Paper.objects.filter(item__meeting=meeting, item__visibility__in=levels, visibility__in=levels)
        .select_related("item")
        .prefetch_related("versions")
        .order_by("item__number", "item__suffix", "position", "pk")
    )
    grouped = papers_by_item(papers)
    # Times run over every item, so a public agenda's times agree with the members' one.
    timed, ends_at = item_timings(meeting, every_item)
    timed = [(item, at) for item, at in timed if item.visibility in levels]
    return {
        "partnership": Partnership.current(),
        "meeting": meeting,
        "audience": audience,
        "audience_label": AUDIENCE_LABELS[audience],
        "timed_items": [(item, at, grouped.get(item.pk, [])) for item, at in timed],
        "ends_at": ends_at,
        "open_actions": list(open_actions_before(meeting, audience)),
        "previous": previous_meeting(meeting),
        "site_url": settings.SITE_URL,
        "restricted": Visibility.RESTRICTED,
    }


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The body's last meeting before this one that was held (not cancelled)."""
    from meetings.models import MeetingStatus

    return (
        Meeting.objects.filter(body_id=meeting.body_id, starts_at__lt=meeting.starts_at)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("body", "minutes_approved_at_meeting__body")
        .order_by("-starts_at")
        .first()
    )


def fingerprint(meeting: Meeting, kind: str) -> str:
    """Of everything a document is built from: unchanged inputs mean the same document."""
    name, audience = split_kind(kind)
    levels = sorted(LEVELS_FOR[audience])
    data = {
        "kind": kind,
        "meeting": [
            meeting.sequence,
            meeting.name,
            str(meeting.starts_at),
            meeting.location,
            meeting.status,
            meeting.minutes_status,
        ],
        "items": list(
            meeting.items.filter(visibility__in=levels).values_list(
                "pk",
                "number",
                "suffix",
                "title",
                "purpose",
                "visibility",
                "restriction_reason",
                "duration_minutes",
                "withdrawn_at",
                "withdrawn_reason",
            )
        ),
        "versions": list(
            PaperVersion.objects.filter(
                paper__item__meeting=meeting, paper__visibility__in=levels, paper__item__visibility__in=levels
            ).values_list("pk", "sha256", "rendition", "paper__title", "paper__visibility")
        ),
        "actions": list(open_actions_before(meeting, audience).values_list("pk", "status", "due_on", "description")),
    }
    previous = previous_meeting(meeting)
    if name in {"pack", "supplement"} and audience == "members" and previous is not None:
        data["previous_minutes"] = _minutes_fingerprint(previous)
    if name == "minutes":
        data["minutes_record"] = _minutes_fingerprint(meeting)
    return hashlib.sha256(json.dumps(data, default=str, sort_keys=True).encode()).hexdigest()


def _minutes_fingerprint(meeting: Meeting) -> list:
    return [
        meeting.minutes_status,
        str(meeting.minutes_approved_at),
        list(meeting.items.values_list("pk", "minute__text")),
        list(meeting.decisions.values_list("reference", "text")),
        list(meeting.actions.values_list("pk", "description", "owner_id", "due_on")),
        list(meeting.declarations.values_list("pk", "interest")),
        list(meeting.errata.values_list("pk", "text")),
        list(
            meeting.attendances.values_list(
                "person_id", "present", "deputy_present", "deputy_id", "capacity", "response"
            )
        ),
        list(meeting.also_present.values_list("pk", "name", "organisation", "capacity", "role")),
    ]


def render_minutes_html(meeting: Meeting, audience: str, *, embedded: bool = False) -> str:
    """The minutes as HTML, for the minutes PDF (and, `embedded`, for the next meeting's pack)."""
    context = _agenda_context(meeting, audience) | _minutes_context(meeting, audience) | {"embedded": embedded}
    return render_to_string("pdf/meetings/minutes.html", context)


def _document_title(meeting: Meeting, label: str) -> str:
    return f"{label}: {meeting.title}, {timezone.localtime(meeting.starts_at):%-d %B %Y}"


def render_document(meeting: Meeting, kind: str):
    """Build the PDF for `kind`. Returns the pdf helper's PackResult.

    The agenda and the minutes are HTML only, so they are tagged PDF (PDF/UA) that screen readers
    can follow. Packs and supplements bind the papers' own PDFs (each under its item, keeping its
    own bookmarks); Word, ODF and PowerPoint papers come in as the PDF a worker made of them."""
    from diz_portal.pdf import Section, build_pack, build_tagged_pdf

    name, audience = split_kind(kind)
    context = _agenda_context(meeting, audience) | {"document": name}
    if name == "agenda":
        html = render_to_string("pdf/meetings/agenda_document.html", context)
        return build_tagged_pdf(html=html, title=_document_title(meeting, "Agenda"))
    if name == "minutes":
        return build_tagged_pdf(html=render_minutes_html(meeting, audience), title=_document_title(meeting, "Minutes"))
    if name == "attendance":
        from meetings.services import members_of

        html = render_to_string("pdf/meetings/attendance_sheet.html", context | {"seats": list(members_of(meeting))})
        return build_tagged_pdf(html=html, title=_document_title(meeting, "Attendance sheet"))
    cover = Section(key="cover", title="Cover", html=render_to_string("pdf/meetings/cover.html", context))
    agenda = Section(key="agenda", title="Agenda", html=render_to_string("pdf/meetings/agenda.html", context))
    sections = [cover, agenda]
    only_changed = name == "supplement"
    previous = context["previous"]
    for item, _at, papers in context["timed_items"]:
        chosen = papers
        if only_changed and not item.added_after_publication:
            chosen = [p for p in papers if p.current.after_publication]
        if item.is_withdrawn:
            chosen = []
        minutes_of_previous = (
            item.standing_kind == "minutes" and audience == "members" and previous is not None and not only_changed
        )
        # The supplement has a divider for each item withdrawn or added late, papers or not.
        noted = only_changed and (item.is_withdrawn or item.added_after_publication)
        if not (chosen or minutes_of_previous or noted):
            continue
        sections.append(
            Section(
                key=f"item-{item.pk}",
                title=f"{item.label}. {item.title}"
                + (" (withdrawn)" if item.is_withdrawn else " (added late)" if item.added_after_publication else ""),
                level=0,
                html=render_to_string("pdf/meetings/item_divider.html", context | {"item": item}),
            )
        )
        if minutes_of_previous and previous.minutes_status != MinutesStatus.NONE:
            sections.append(
                Section(
                    key=f"minutes-{previous.pk}",
                    title=f"Minutes of the meeting of {previous.local_date:%-d %B %Y}",
                    level=1,
                    html=render_minutes_html(previous, audience, embedded=True),
                )
            )
        for paper in chosen:
            sections.append(
                Section(
                    key=f"cover-{paper.pk}",
                    title=f"{paper.title}: cover sheet",
                    level=1,
                    html=render_to_string("pdf/meetings/cover_sheet.html", context | {"item": item, "paper": paper}),
                )
            )
            pdf = paper.current.pack_pdf
            if pdf:
                sections.append(
                    Section(
                        key=f"paper-{paper.pk}",
                        title=paper.title,
                        level=1,
                        pdf_path=pdf.path,
                        # Checked when it was uploaded (or converted): inspect_pdf counted its pages
                        # and found no problem.
                        checked=bool(paper.current.page_count) and not paper.current.problem,
                    )
                )
    label = "Supplement" if only_changed else "Pack"
    return build_pack(title=_document_title(meeting, label), sections=sections, contents=True)


def _minutes_context(meeting: Meeting, audience: str) -> dict:
    """What the minutes record, at an audience's levels. Who was there: the members who came, the
    deputies who came in a member's place (named, "deputy for ..."), then everyone else present;
    apologies. A declaration by someone who was not there is not minuted."""
    levels = LEVELS_FOR[audience]
    attendances = list(
        meeting.attendances.select_related("person", "organisation", "deputy__organisation").order_by("person__name")
    )
    recorded = any(a.present is not None for a in attendances)
    there = {a.attendee.pk for a in attendances if a.attendee is not None}
    declarations = [d for d in meeting.declarations.select_related("person", "item") if d.item.visibility in levels]
    if recorded:
        declarations = [d for d in declarations if d.person_id in there]
    return {
        "attendance_recorded": recorded,
        "present": sorted((a for a in attendances if a.present), key=lambda a: a.attendee.name),
        # A member represented by a deputy sent apologies, whether or not they answered beforehand.
        "apologies": [
            a for a in attendances if a.deputy_present or (not a.present and a.response in ("apologies", "deputy"))
        ],
        "also_present": list(meeting.also_present.all()),
        "minutes": {m.item_id: m for m in _minutes_of(meeting)},
        "decisions": [d for d in meeting.decisions.select_related("item") if d.item.visibility in levels],
        "actions": [
            a for a in meeting.actions.select_related("owner", "item") if a.item is None or a.item.visibility in levels
        ],
        "declarations": declarations,
        "errata": list(meeting.errata.all()),
    }


def _minutes_of(meeting):
    from meetings.models import Minute

    return Minute.objects.filter(item__meeting=meeting)


# --- The worker's side -----------------------------------------------------------------------


def build(*, document_id: int) -> str:
    """Build one document. Returns what happened: "built", "unchanged" or "gone".

    Leaves the document "building" if the worker dies mid-way (the sweep retries it); on an error
    marks it "failed" with the error (and re-raises so the task retries). Nothing is emailed twice.
    """
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None:
            return "gone"
        meeting = Meeting.objects.select_related("body").get(pk=document.object_id)
        current = fingerprint(meeting, document.kind)
        if document.status == DocumentStatus.READY and document.fingerprint == current and document.file:
            outcome = "unchanged"
        else:
            document.status = DocumentStatus.BUILDING
            document.started_at = timezone.now()
            document.attempts += 1
            document.save(update_fields=["status", "started_at", "attempts"])
            outcome = "build"
    if outcome == "build":
        try:
            result = render_document(meeting, document.kind)
        except Exception as error:
            GeneratedDocument.objects.filter(pk=document.pk).update(
                status=DocumentStatus.FAILED,
                error=f"{type(error).__name__}: {error}"[:2000],
                finished_at=timezone.now(),
            )
            caching.bump("documents")
            raise
        with transaction.atomic():
            document = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
            old_name = document.file.name if document.file else ""
            document.version += 1
            filename = f"{meeting.body.slug}-{meeting.local_date:%Y-%m-%d}-{document.kind.replace(':', '-')}-v{document.version}.pdf"
            document.file.save(filename, ContentFile(result.pdf), save=False)
            document.status = DocumentStatus.READY
            document.fingerprint = current
            document.page_count = result.page_count
            document.problems = [{"title": s.title, "reason": s.reason} for s in result.skipped]
            document.error = ""
            document.finished_at = timezone.now()
            document.save()
        if old_name and old_name != document.file.name:
            document.file.storage.delete(old_name)
        outcome = "built"
    from meetings import notices

    notices.after_build(document=document, meeting=meeting)
    return outcome

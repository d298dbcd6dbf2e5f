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
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from diz_portal.models import DocumentStatus, GeneratedDocument, SentEmail
from diz_portal.queue import enqueue, send_task_now
from meetings.models import LEVELS_FOR, Action, Meeting, MinutesStatus, Paper, PaperVersion, Visibility
from meetings.permissions import levels_for
from partners.permissions import is_programme_manager

logger = logging.getLogger(__name__)

AUDIENCE_LABELS = {"public": "Public", "partners": "Partners", "members": "Members (includes restricted items)"}
# What publishing an agenda produces; each is "<document>:<audience>".
PUBLICATION_KINDS = ["agenda:public", "agenda:members", "pack:public", "pack:partners", "pack:members"]
SUPPLEMENT_KINDS = ["supplement:public", "supplement:partners", "supplement:members"]
MINUTES_KINDS = ["minutes:public", "minutes:members"]


def split_kind(kind: str) -> tuple[str, str]:
    document, audience = kind.split(":")
    return document, audience


def documents_for(meeting: Meeting):
    content_type = ContentType.objects.get_for_model(Meeting)
    return GeneratedDocument.objects.filter(content_type=content_type, object_id=meeting.pk)


def visible_documents(meeting: Meeting, user, documents=None) -> list[GeneratedDocument]:
    """The documents of `meeting` this user may download, in a stable order. A members' document is
    never offered to anyone else; a draft minutes document only to members."""
    allowed = levels_for(user, meeting.body_id)
    audience_rank = {"public": 0, "partners": 1, "members": 2}
    documents = list(documents if documents is not None else documents_for(meeting))
    result = []
    for document in documents:
        name, audience = split_kind(document.kind)
        if not LEVELS_FOR[audience] <= allowed:
            continue
        if name == "minutes" and audience == "public" and meeting.minutes_status != MinutesStatus.APPROVED:
            continue
        result.append(document)
    # One of each document: the fullest version this viewer may have.
    best: dict[str, GeneratedDocument] = {}
    for document in result:
        name, audience = split_kind(document.kind)
        if name not in best or audience_rank[audience] > audience_rank[split_kind(best[name].kind)[1]]:
            best[name] = document
    order = {"agenda": 0, "pack": 1, "supplement": 2, "minutes": 3}
    return sorted(best.values(), key=lambda d: order[split_kind(d.kind)[0]])


# A document queued for longer than this has not been picked up: the queue or its workers are down.
QUEUED_TOO_LONG = timedelta(minutes=2)
PENDING = {DocumentStatus.QUEUED, DocumentStatus.BUILDING}


def documents_context(meeting: Meeting, user, *, now=None) -> dict:
    """The context templates/meetings/_documents.html needs (the management page includes it too):
    the documents this user may have, whether any is still being built (the page polls), and which
    have waited too long for a worker."""
    visible = visible_documents(meeting, user)
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
        if document.status != DocumentStatus.QUEUED:
            document.status = DocumentStatus.QUEUED
            document.requested_at = timezone.now()
            document.error = ""
            document.save(update_fields=["status", "requested_at", "error"])
        from meetings.tasks import build_document

        enqueue(build_document, document.pk)
        requested.append(document)
    return requested


def request_documents(*, meeting: Meeting, reason: str = "") -> list[GeneratedDocument]:
    kinds = list(PUBLICATION_KINDS)
    if PaperVersion.objects.filter(paper__item__meeting=meeting, after_publication=True).exists():
        kinds += SUPPLEMENT_KINDS
    logger.info("Documents requested for meeting %s: %s", meeting.pk, reason)
    return _request(meeting, kinds)


def request_minutes(*, meeting: Meeting) -> list[GeneratedDocument]:
    return _request(meeting, MINUTES_KINDS)


def stale_document_ids(*, older_than: timedelta = timedelta(minutes=2)) -> list[int]:
    """Documents still queued, or building for longer than a task may run (its worker died)."""
    now = timezone.now()
    queued = GeneratedDocument.objects.filter(status=DocumentStatus.QUEUED, requested_at__lt=now - older_than)
    stuck = GeneratedDocument.objects.filter(
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


def _agenda_context(meeting: Meeting, audience: str) -> dict:
    from meetings.services import item_timings

    levels = LEVELS_FOR[audience]
    every_item = list(meeting.items.select_related("presenter", "presenter_organisation"))
    papers = (
        Paper.objects.filter(item__meeting=meeting, item__visibility__in=levels, visibility__in=levels)
        .select_related("item")
        .prefetch_related("versions")
        .order_by("item__number", "position", "pk")
    )
    papers_by_item: dict[int, list[Paper]] = {}
    for paper in papers:
        paper.current = max(paper.versions.all(), key=lambda v: v.number, default=None)
        if paper.current is not None:
            papers_by_item.setdefault(paper.item_id, []).append(paper)
    # Times run over every item, so a public agenda's times agree with the members' one.
    timed, ends_at = item_timings(meeting, every_item)
    timed = [(item, at) for item, at in timed if item.visibility in levels]
    open_actions = list(
        Action.objects.open()
        .filter(meeting__body_id=meeting.body_id, meeting__starts_at__lt=meeting.starts_at)
        # An action from a restricted item stays out of the public and partners' packs.
        .filter(Q(item__isnull=True) | Q(item__visibility__in=levels))
        .select_related("owner", "meeting")
        .order_by("due_on")
    )
    from partners.models import Partnership

    return {
        "partnership": Partnership.current(),
        "meeting": meeting,
        "audience": audience,
        "audience_label": AUDIENCE_LABELS[audience],
        "timed_items": [(item, at, papers_by_item.get(item.pk, [])) for item, at in timed],
        "ends_at": ends_at,
        "open_actions": open_actions,
        "site_url": settings.SITE_URL,
        "restricted": Visibility.RESTRICTED,
    }


def fingerprint(meeting: Meeting, kind: str) -> str:
    """Of everything a document is built from: unchanged inputs mean the same document."""
    name, audience = split_kind(kind)
    levels = sorted(LEVELS_FOR[audience])
    data = {
        "kind": kind,
        "meeting": [meeting.sequence, str(meeting.starts_at), meeting.location, meeting.status, meeting.minutes_status],
        "items": list(
            meeting.items.filter(visibility__in=levels).values_list(
                "pk", "number", "title", "purpose", "visibility", "restriction_reason", "duration_minutes"
            )
        ),
        "versions": list(
            PaperVersion.objects.filter(
                paper__item__meeting=meeting, paper__visibility__in=levels, paper__item__visibility__in=levels
            ).values_list("pk", "sha256", "paper__title", "paper__visibility")
        ),
        "actions": list(
            Action.objects.filter(
                meeting__body_id=meeting.body_id, meeting__starts_at__lt=meeting.starts_at
            ).values_list("pk", "status", "due_on")
        ),
    }
    if name == "minutes":
        data["minutes"] = list(meeting.items.values_list("minute__text", flat=False))
        data["decisions"] = list(meeting.decisions.values_list("reference", "text"))
        data["errata"] = list(meeting.errata.values_list("pk", flat=True))
        data["attendance"] = list(meeting.attendances.values_list("person_id", "present", "deputy_present"))
    return hashlib.sha256(json.dumps(data, default=str, sort_keys=True).encode()).hexdigest()


def render_document(meeting: Meeting, kind: str):
    """Build the PDF for `kind`. Returns the pdf helper's PackResult."""
    from diz_portal.pdf import Section, build_pack

    name, audience = split_kind(kind)
    context = _agenda_context(meeting, audience)
    title = f"{meeting.body.name}, {timezone.localtime(meeting.starts_at):%-d %B %Y}"
    cover = Section(
        key="cover", title="Cover", html=render_to_string("pdf/meetings/cover.html", context | {"document": name})
    )
    agenda = Section(key="agenda", title="Agenda", html=render_to_string("pdf/meetings/agenda.html", context))
    if name == "agenda":
        return build_pack(title=f"Agenda: {title}", sections=[cover, agenda], contents=False)
    if name == "minutes":
        context |= _minutes_context(meeting, audience)
        minutes = Section(key="minutes", title="Minutes", html=render_to_string("pdf/meetings/minutes.html", context))
        return build_pack(title=f"Minutes: {title}", sections=[minutes], contents=False)
    sections = [cover, agenda]
    only_changed = name == "supplement"
    for item, _at, papers in context["timed_items"]:
        chosen = [p for p in papers if p.current.after_publication] if only_changed else papers
        if not chosen:
            continue
        sections.append(
            Section(
                key=f"item-{item.pk}",
                title=f"{item.number}. {item.title}",
                level=0,
                html=render_to_string("pdf/meetings/item_divider.html", context | {"item": item}),
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
            if paper.current.is_pdf:
                sections.append(
                    Section(
                        key=f"paper-{paper.pk}",
                        title=paper.title,
                        level=1,
                        pdf_path=paper.current.file.path,
                        # Checked at upload (inspect_pdf counted its pages and found no problem).
                        checked=bool(paper.current.page_count) and not paper.current.problem,
                    )
                )
    label = "Supplement" if only_changed else "Pack"
    return build_pack(title=f"{label}: {title}", sections=sections, contents=True)


def _minutes_context(meeting: Meeting, audience: str) -> dict:
    levels = LEVELS_FOR[audience]
    return {
        "attendances": list(
            meeting.attendances.select_related("person", "organisation", "deputy").order_by("person__name")
        ),
        "minutes": {m.item_id: m for m in _minutes_of(meeting)},
        "decisions": [d for d in meeting.decisions.select_related("item") if d.item.visibility in levels],
        "actions": [
            a for a in meeting.actions.select_related("owner", "item") if a.item is None or a.item.visibility in levels
        ],
        "declarations": [
            d for d in meeting.declarations.select_related("person", "item") if d.item.visibility in levels
        ],
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
    notify(document=document, meeting=meeting)
    return outcome


def send_once(*, key: str, to: str, subject: str, body: str) -> bool:
    """Send an email unless one with this key was sent before. The row is claimed first, so two
    workers cannot both send it; if sending fails the claim is released for a retry."""
    try:
        with transaction.atomic():
            claim = SentEmail.objects.create(key=key, to=to, subject=subject[:300])
    except IntegrityError:
        return False
    try:
        send_mail(subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[to])
    except Exception:
        claim.delete()
        raise
    return True


def notify(*, document: GeneratedDocument, meeting: Meeting) -> int:
    """After a build: members hear the pack is ready (once per version); the programme manager hears
    about papers left out of it."""
    from meetings.services import members_of
    from partners.models import Partnership, User
    from partners.permissions import PROGRAMME_MANAGER_GROUP

    sent = 0
    name, _audience = split_kind(document.kind)
    partnership = Partnership.current()
    link = settings.SITE_URL + meeting.get_absolute_url()
    if document.kind == "pack:members" and document.status == DocumentStatus.READY:
        for seat in members_of(meeting):
            for person in filter(None, [seat.person, seat.deputy]):
                subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Papers for the {meeting}"
                body = render_to_string(
                    "meetings/email/pack_ready.txt",
                    {
                        "person": person,
                        "meeting": meeting,
                        "link": link,
                        "document": document,
                        "partnership": partnership,
                        "seat": seat,
                        "as_deputy": person != seat.person,
                    },
                )
                sent += send_once(
                    key=f"meetings.pack:{meeting.pk}:v{document.version}:{person.pk}",
                    to=person.email,
                    subject=subject,
                    body=body,
                )
    if (
        document.kind == "minutes:members"
        and document.status == DocumentStatus.READY
        and meeting.minutes_status == MinutesStatus.CIRCULATED
    ):
        for seat in members_of(meeting):
            body = render_to_string(
                "meetings/email/draft_minutes.txt",
                {"person": seat.person, "meeting": meeting, "link": link, "seat": seat, "partnership": partnership},
            )
            sent += send_once(
                key=f"meetings.draft-minutes:{meeting.pk}:v{document.version}:{seat.person_id}",
                to=seat.person.email,
                subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Draft minutes of the {meeting}",
                body=body,
            )
    if document.problems:
        managers = User.objects.filter(groups__name=PROGRAMME_MANAGER_GROUP, is_active=True)
        for manager in managers:
            body = render_to_string(
                "meetings/email/pack_problems.txt",
                {"person": manager, "meeting": meeting, "document": document, "link": link, "partnership": partnership},
            )
            sent += send_once(
                key=f"meetings.pack-problems:{document.pk}:v{document.version}:{manager.pk}",
                to=manager.email,
                subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Papers left out of the {meeting} {name}",
                body=body,
            )
    return sent

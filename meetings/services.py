"""Use-cases for meetings: schedule, agenda, papers. Each checks its rules, writes in one
transaction, records who did it, and queues slow work after commit."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from meetings.models import (
    LONDON,
    STANDING_AFTER,
    STANDING_BEFORE,
    AgendaItem,
    ForwardPlanItem,
    ForwardPlanStatus,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Paper,
    PaperVersion,
    Purpose,
    Visibility,
)
from partners.models import GoverningBody


def _as(instance, by):
    instance._history_user = by
    return instance


# --- Schedule --------------------------------------------------------------------------------


def add_standing_items(*, meeting: Meeting, by=None) -> None:
    """The body's standing items, numbered around an empty middle for the meeting's business."""
    number = 1
    for kind, minutes in STANDING_BEFORE:
        _as(
            AgendaItem(
                meeting=meeting,
                number=number,
                title=kind.label,
                standing_kind=kind,
                duration_minutes=minutes,
                purpose=Purpose.INFORMATION,
            ),
            by,
        ).save()
        number += 1
    for kind, minutes in STANDING_AFTER:
        _as(
            AgendaItem(
                meeting=meeting,
                number=number,
                title=kind.label,
                standing_kind=kind,
                duration_minutes=minutes,
                purpose=Purpose.INFORMATION,
            ),
            by,
        ).save()
        number += 1


def _create_meeting(meeting: Meeting, papers_due_working_days: int, by) -> Meeting:
    meeting.papers_due_at = meeting.compute_papers_due(papers_due_working_days)
    with transaction.atomic():
        _as(meeting, by).save()
        add_standing_items(meeting=meeting, by=by)
    return meeting


def schedule_meeting(
    *,
    body: GoverningBody,
    starts_at: datetime,
    ends_at: datetime,
    location: str = "",
    mode: str = "in_person",
    joining_link: str = "",
    papers_due_working_days: int = 5,
    by=None,
) -> Meeting:
    """A one-off meeting, with the body's standing items on its agenda."""
    meeting = Meeting(
        body=body, starts_at=starts_at, ends_at=ends_at, location=location, mode=mode, joining_link=joining_link
    )
    meeting.full_clean(exclude=["uid"])
    return _create_meeting(meeting, papers_due_working_days, by)


def generate_meetings(*, series: MeetingSeries, start: date | None = None, months: int = 12, by=None) -> list[Meeting]:
    """Create the series' meetings for the coming months. Safe to run again: a date that has (or
    had, before it was moved) a meeting of this series is skipped. Online meetings get their
    joining link later, when it exists."""
    start = start or timezone.localdate()
    taken = {
        timezone.localtime(starts_at).date()
        for starts_at in Meeting.history.filter(series_id=series.pk).values_list("starts_at", flat=True)
    }
    created = []
    for day in series.dates_from(start, months):
        if day in taken:
            continue
        meeting = Meeting(
            body=series.body,
            series=series,
            location=series.location,
            mode=series.mode,
            starts_at=datetime.combine(day, series.start_time, tzinfo=LONDON),
            ends_at=datetime.combine(day, series.end_time, tzinfo=LONDON),
        )
        created.append(_create_meeting(meeting, series.papers_due_working_days, by))
    return created


def change_meeting(*, meeting: Meeting, by, **changes) -> Meeting:
    """Move the meeting or change how it is held. Calendar subscribers see the change (SEQUENCE)."""
    for field, value in changes.items():
        setattr(meeting, field, value)
    meeting.full_clean(exclude=["uid"])
    working_days = meeting.series.papers_due_working_days if meeting.series else 5
    meeting.papers_due_at = meeting.compute_papers_due(working_days)
    meeting.sequence += 1
    _as(meeting, by).save()
    return meeting


def cancel_meeting(*, meeting: Meeting, reason: str, by) -> Meeting:
    """Cancelled meetings are kept and shown as cancelled (and as STATUS:CANCELLED in feeds)."""
    if meeting.is_cancelled:
        return meeting
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = reason
    meeting.sequence += 1
    _as(meeting, by).save(update_fields=["status", "cancelled_reason", "sequence", "updated_at"])
    return meeting


# --- Agenda ----------------------------------------------------------------------------------


def _renumber(meeting: Meeting, ordered: list[AgendaItem], by) -> None:
    # Two passes so the unique (meeting, number) constraint never sees a clash mid-way.
    with transaction.atomic():
        for offset, item in enumerate(ordered):
            AgendaItem.objects.filter(pk=item.pk).update(number=1000 + offset)
        for position, item in enumerate(ordered, start=1):
            item.number = position
            _as(item, by).save(update_fields=["number"])


def add_item(
    *,
    meeting: Meeting,
    title: str,
    purpose: str = Purpose.DISCUSSION,
    presenter=None,
    presenter_organisation=None,
    duration_minutes: int = 15,
    visibility: str = Visibility.PUBLIC,
    restriction_reason: str = "",
    description: str = "",
    by,
) -> AgendaItem:
    """Add business to the agenda, before the closing standing items (any other business...)."""
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        items = list(meeting.items.order_by("number"))
        closing = [i for i in items if i.standing_kind in {k for k, _ in STANDING_AFTER}]
        opening = [i for i in items if i not in closing]
        item = AgendaItem(
            meeting=meeting,
            number=len(items) + 1000,
            title=title,
            purpose=purpose,
            presenter=presenter,
            presenter_organisation=presenter_organisation,
            duration_minutes=duration_minutes,
            visibility=visibility,
            restriction_reason=restriction_reason,
            description=description,
            added_after_publication=meeting.is_published,
        )
        item.full_clean(exclude=["number"])
        _as(item, by).save()
        _renumber(meeting, [*opening, item, *closing], by)
    return item


def reorder_items(*, meeting: Meeting, ordered_ids: list[int], by) -> list[AgendaItem]:
    """Put the agenda in the given order. After publication numbers are kept (papers and the pack
    refer to them), so reordering is refused."""
    if meeting.is_published:
        raise ValidationError("The agenda is published: its item numbers are fixed.")
    items = {item.pk: item for item in meeting.items.all()}
    if sorted(ordered_ids) != sorted(items):
        raise ValidationError("The new order must list each item of this agenda once.")
    ordered = [items[pk] for pk in ordered_ids]
    _renumber(meeting, ordered, by)
    return ordered


def item_timings(meeting: Meeting, items: list[AgendaItem]) -> tuple[list[tuple[AgendaItem, datetime]], datetime]:
    """Each item's expected start, and the expected end of the meeting."""
    at = meeting.starts_at
    timed = []
    for item in items:
        timed.append((item, at))
        at = at + timedelta(minutes=item.duration_minutes)
    return timed, at


def propose_forward_item(
    *, body, title, purpose, presenter=None, organisation=None, target_meeting=None, notes="", by
) -> ForwardPlanItem:
    if target_meeting and target_meeting.body_id != body.pk:
        raise ValidationError({"target_meeting": "Choose a meeting of the same body."})
    return ForwardPlanItem.objects.create(
        body=body,
        title=title,
        purpose=purpose,
        presenter=presenter,
        organisation=organisation,
        target_meeting=target_meeting,
        notes=notes,
        proposed_by=by,
    )


def accept_forward_item(*, forward_item: ForwardPlanItem, meeting: Meeting, by) -> AgendaItem:
    if meeting.body_id != forward_item.body_id:
        raise ValidationError("That meeting belongs to another body.")
    if forward_item.status == ForwardPlanStatus.ACCEPTED:
        raise ValidationError("This item is already on an agenda.")
    with transaction.atomic():
        item = add_item(
            meeting=meeting,
            title=forward_item.title,
            purpose=forward_item.purpose,
            presenter=forward_item.presenter,
            presenter_organisation=forward_item.organisation,
            description=forward_item.notes,
            by=by,
        )
        forward_item.status = ForwardPlanStatus.ACCEPTED
        forward_item.agenda_item = item
        forward_item.target_meeting = meeting
        forward_item.save(update_fields=["status", "agenda_item", "target_meeting"])
    return item


def defer_forward_item(*, forward_item: ForwardPlanItem, to_meeting: Meeting | None, by) -> ForwardPlanItem:
    forward_item.status = ForwardPlanStatus.DEFERRED
    forward_item.target_meeting = to_meeting
    forward_item.save(update_fields=["status", "target_meeting"])
    return forward_item


# --- Papers ----------------------------------------------------------------------------------

ALLOWED_TYPES = {
    "pdf": "PDF",
    "doc": "Word",
    "docx": "Word",
    "odt": "OpenDocument text",
    "xls": "Excel",
    "xlsx": "Excel",
    "ods": "OpenDocument spreadsheet",
    "ppt": "PowerPoint",
    "pptx": "PowerPoint",
    "odp": "OpenDocument presentation",
}


def check_upload(upload) -> tuple[str, str]:
    """Check an uploaded paper by its content, not its name. Returns (extension, MIME type).

    Refuses: files over the size limit, content of a type not allowed (an executable renamed
    ".pdf" is refused because its bytes are not a PDF's), and names whose extension does not
    match the content."""
    limit = settings.PAPER_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            "The file is %(size).1f MB: papers can be at most %(limit)d MB.",
            code="too_large",
            params={"size": upload.size / 1_000_000, "limit": limit // 1_000_000},
        )
    if upload.size == 0:
        raise ValidationError("The file is empty.", code="empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    allowed = ", ".join(sorted(set(ALLOWED_TYPES.values())))
    if kind is None or kind.extension not in ALLOWED_TYPES:
        found = f" (its content is {kind.extension.upper()})" if kind else ""
        raise ValidationError(
            "The file must be a PDF, Word, OpenDocument, Excel or PowerPoint document%(found)s.",
            code="type",
            params={"found": found, "allowed": allowed},
        )
    name_extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if name_extension != kind.extension:
        raise ValidationError(
            "The file is called “%(name)s” but its content is a %(actual)s file (.%(ext)s).",
            code="mismatch",
            params={"name": upload.name, "actual": ALLOWED_TYPES[kind.extension], "ext": kind.extension},
        )
    return kind.extension, kind.mime


def _add_version(*, paper: Paper, upload, by) -> PaperVersion:
    extension, mime = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    meeting = paper.item.meeting
    number = (paper.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PaperVersion(
        paper=paper,
        number=number,
        original_name=upload.name[-200:],
        content_type=mime,
        extension=extension,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
        is_late=meeting.papers_are_late(),
        after_publication=meeting.is_published,
    )
    if extension == "pdf":
        from diz_portal.pdf import inspect_pdf

        check = inspect_pdf(upload.read())
        upload.seek(0)
        version.page_count = check.pages if check.ok else None
        version.problem = "" if check.ok else (check.reason or "The PDF cannot be read.")
    version.file.save(upload.name, upload, save=False)
    version.save()
    return version


def add_paper(
    *,
    item: AgendaItem,
    title: str,
    purpose: str,
    upload,
    by,
    decision_sought: str = "",
    finance: str = "",
    risk: str = "",
    equality: str = "",
    data_protection: str = "",
    visibility: str | None = None,
    restriction_reason: str = "",
) -> Paper:
    paper = Paper(
        item=item,
        title=title,
        purpose=purpose,
        decision_sought=decision_sought,
        finance=finance,
        risk=risk,
        equality=equality,
        data_protection=data_protection,
        visibility=visibility or item.visibility,
        restriction_reason=restriction_reason or item.restriction_reason,
        created_by=by,
        position=item.papers.count() + 1,
    )
    paper.full_clean()
    with transaction.atomic():
        _as(paper, by).save()
        _add_version(paper=paper, upload=upload, by=by)
    _after_paper_change(item.meeting)
    return paper


def replace_paper(*, paper: Paper, upload, by) -> PaperVersion:
    """A new version; the earlier ones are kept."""
    with transaction.atomic():
        version = _add_version(paper=paper, upload=upload, by=by)
    _after_paper_change(paper.item.meeting)
    return version


def _after_paper_change(meeting: Meeting) -> None:
    """After publication, a changed paper means a supplement and rebuilt packs."""
    if meeting.is_published:
        from meetings import documents

        documents.request_documents(meeting=meeting, reason="papers changed after publication")

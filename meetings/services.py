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

from diz_portal import publishing
from diz_portal.publishing import save_as
from diz_portal.queue import enqueue
from meetings.models import (
    LONDON,
    STANDING_AFTER,
    STANDING_BEFORE,
    VISIBILITY_RANK,
    Action,
    ActionStatus,
    AgendaItem,
    AlsoPresent,
    Attendance,
    CalendarToken,
    Capacity,
    Decision,
    Declaration,
    Erratum,
    ForwardPlanItem,
    ForwardPlanStatus,
    Meeting,
    MeetingChange,
    MeetingSeries,
    MeetingStatus,
    Minute,
    MinutesStatus,
    Paper,
    PaperVersion,
    Purpose,
    Response,
    Seminar,
    Visibility,
    new_feed_token,
)
from partners.models import GoverningBody, User
from partners.permissions import is_programme_manager

CLOSING_KINDS = {kind for kind, _minutes in STANDING_AFTER}


def _as(instance, by):
    instance._history_user = by
    return instance


# --- Schedule --------------------------------------------------------------------------------


def add_standing_items(*, meeting: Meeting, by=None) -> None:
    """The body's standing items: the opening ones, then (once business is added between them,
    by `add_item`) the closing ones."""
    for number, (kind, minutes) in enumerate([*STANDING_BEFORE, *STANDING_AFTER], start=1):
        item = AgendaItem(
            meeting=meeting,
            number=number,
            title=kind.label,
            standing_kind=kind,
            duration_minutes=minutes,
            purpose=Purpose.INFORMATION,
        )
        _as(item, by).save()


def _create_meeting(meeting: Meeting, papers_due_working_days: int, by) -> Meeting:
    meeting.papers_due_at = meeting.compute_papers_due(papers_due_working_days)
    with transaction.atomic():
        _as(meeting, by).save()
        add_standing_items(meeting=meeting, by=by)
    return meeting


def clashing_meetings(*, body: GoverningBody, starts_at: datetime, ends_at: datetime, exclude_pk: int | None = None):
    """The body's scheduled meetings that overlap these times."""
    meetings = Meeting.objects.filter(
        body=body, status=MeetingStatus.SCHEDULED, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    return meetings.exclude(pk=exclude_pk) if exclude_pk else meetings


def _refuse_clash(meeting: Meeting, allow_clash: bool) -> None:
    if allow_clash:
        return
    clash = clashing_meetings(
        body=meeting.body, starts_at=meeting.starts_at, ends_at=meeting.ends_at, exclude_pk=meeting.pk
    ).first()
    if clash is not None:
        when = timezone.localtime(clash.starts_at)
        raise ValidationError(
            {
                "starts_at": ValidationError(
                    "The %(body)s already meets at that time (%(when)s). Choose another time, or confirm that "
                    "this is a second meeting.",
                    code="clash",
                    params={"body": meeting.body.name, "when": f"{when:%-d %B %Y, %H:%M}"},
                )
            }
        )


def schedule_meeting(
    *,
    body: GoverningBody,
    starts_at: datetime,
    ends_at: datetime,
    location: str = "",
    mode: str = "in_person",
    joining_link: str = "",
    name: str = "",
    papers_due_working_days: int = 5,
    allow_clash: bool = False,
    by=None,
) -> Meeting:
    """A one-off meeting, with the body's standing items on its agenda. A meeting of the same body
    at an overlapping time is refused unless `allow_clash` (the person confirmed it)."""
    meeting = Meeting(
        body=body,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        mode=mode,
        joining_link=joining_link,
        name=name,
    )
    meeting.full_clean(exclude=["uid"])
    _refuse_clash(meeting, allow_clash)
    return _create_meeting(meeting, papers_due_working_days, by)


def generate_meetings(*, series: MeetingSeries, start: date | None = None, months: int = 12, by=None) -> list[Meeting]:
    """Create the series' meetings for the coming months. Safe to run again: a date that has (or
    had, before it was moved) a meeting of this series is skipped. Online meetings get their
    joining link later, when it exists. An ended series generates nothing."""
    if not series.is_active:
        raise ValidationError("This series has ended: schedule a new series or a one-off meeting.")
    start = start or timezone.localdate()
    taken = set(Meeting.objects.filter(series=series).values_list("series_date", flat=True))
    created = []
    for day in series.dates_from(start, months):
        if day in taken:
            continue
        meeting = Meeting(
            body=series.body,
            series=series,
            series_date=day,
            location=series.location,
            mode=series.mode,
            starts_at=datetime.combine(day, series.start_time, tzinfo=LONDON),
            ends_at=datetime.combine(day, series.end_time, tzinfo=LONDON),
        )
        created.append(_create_meeting(meeting, series.papers_due_working_days, by))
    return created


def future_meetings_of(series: MeetingSeries, now: datetime | None = None):
    """The series' scheduled meetings still to come."""
    return (
        Meeting.objects.filter(series=series, status=MeetingStatus.SCHEDULED, starts_at__gt=now or timezone.now())
        .select_related("body")
        .order_by("starts_at")
    )


def change_series(*, series: MeetingSeries, by, **changes) -> list[Meeting]:
    """Change a series' times, place or deadline. Its future meetings whose agenda is not published
    change with it (a published agenda's meeting is moved on its own, so its members are told);
    returns the meetings changed."""
    for field, value in changes.items():
        setattr(series, field, value)
    series.full_clean()
    changed = []
    with transaction.atomic():
        series.save()
        for meeting in future_meetings_of(series).filter(agenda_published_at__isnull=True):
            day = meeting.local_date
            change_meeting(
                meeting=meeting,
                by=by,
                starts_at=datetime.combine(day, series.start_time, tzinfo=LONDON),
                ends_at=datetime.combine(day, series.end_time, tzinfo=LONDON),
                location=series.location,
                mode=series.mode,
            )
            changed.append(meeting)
    return changed


def cancel_rest_of_series(*, series: MeetingSeries, reason: str, by) -> int:
    """Cancel every future meeting of the series and end it (no more are generated). Anyone sent a
    cancelled meeting's papers is told, as for one meeting."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the meetings are cancelled."})
    with transaction.atomic():
        meetings = list(future_meetings_of(series))
        for meeting in meetings:
            cancel_meeting(meeting=meeting, reason=reason, by=by)
        series.is_active = False
        series.save(update_fields=["is_active"])
    return len(meetings)


def delete_rest_of_series(*, series: MeetingSeries, by) -> int:
    """Delete the series' future meetings and end it. Refused (nothing deleted) if any of them has a
    published agenda, papers or minutes: cancel those instead, so the record stays."""
    with transaction.atomic():
        meetings = list(future_meetings_of(series))
        kept = [
            m
            for m in meetings
            if m.is_published
            or m.minutes_status != MinutesStatus.NONE
            or Paper.objects.filter(item__meeting=m).exists()
            or AgendaItem.objects.filter(meeting=m, standing_kind="").exists()
        ]
        if kept:
            raise ValidationError(
                "%(count)d of the meetings have business, papers or a published agenda (the first on %(date)s): "
                "cancel the rest of the series instead, so they stay on record.",
                params={"count": len(kept), "date": f"{kept[0].local_date:%-d %B %Y}"},
            )
        for meeting in meetings:
            _as(meeting, by).delete()
        series.is_active = False
        series.save(update_fields=["is_active"])
    return len(meetings)


def change_meeting(*, meeting: Meeting, by, allow_clash: bool = False, **changes) -> Meeting:
    """Move the meeting or change how it is held. Calendar subscribers see the change (SEQUENCE);
    after publication the documents are rebuilt and the change goes into the next supplement."""
    if meeting.is_cancelled:
        raise ValidationError("This meeting is cancelled: schedule a new one instead.")
    before = (meeting.starts_at, meeting.ends_at, meeting.location, meeting.mode)
    for field, value in changes.items():
        setattr(meeting, field, value)
    meeting.full_clean(exclude=["uid"])
    _refuse_clash(meeting, allow_clash)
    working_days = meeting.series.papers_due_working_days if meeting.series else 5
    meeting.papers_due_at = meeting.compute_papers_due(working_days)
    meeting.sequence += 1
    with transaction.atomic():
        _as(meeting, by).save()
        if meeting.is_published and before != (meeting.starts_at, meeting.ends_at, meeting.location, meeting.mode):
            when = timezone.localtime(meeting.starts_at)
            where = f", {meeting.location}" if meeting.location else ""
            _published_change(
                meeting,
                f"The meeting is now on {when:%A %-d %B %Y} at {when:%H:%M}{where} ({meeting.get_mode_display()}).",
                Visibility.PUBLIC,
                by,
            )
        elif meeting.is_published:
            from meetings import documents

            documents.request_documents(meeting=meeting, reason="meeting details changed")
    return meeting


def cancel_meeting(*, meeting: Meeting, reason: str, by) -> Meeting:
    """Cancelled meetings are kept and shown as cancelled (and as STATUS:CANCELLED in feeds). If its
    papers went out, everyone who was sent them is told (once each, by a worker)."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the meeting is cancelled."})
    with transaction.atomic():
        # Read afresh and locked: whether the papers went out decides who is told.
        meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
        if meeting.is_cancelled:
            return meeting
        meeting.status = MeetingStatus.CANCELLED
        meeting.cancelled_reason = reason.strip()
        meeting.sequence += 1
        _as(meeting, by).save(update_fields=["status", "cancelled_reason", "sequence", "updated_at"])
        if meeting.is_published:
            from meetings.tasks import send_cancellation_notice

            enqueue(send_cancellation_notice, meeting.pk)
    return meeting


# --- Agenda ----------------------------------------------------------------------------------


def _renumber(meeting: Meeting, ordered: list[AgendaItem], by) -> None:
    # Two passes so the unique (meeting, number, suffix) constraint never sees a clash mid-way.
    # Only a draft agenda is renumbered, so no item has a suffix yet.
    with transaction.atomic():
        for offset, item in enumerate(ordered):
            AgendaItem.objects.filter(pk=item.pk).update(number=1000 + offset)
        for position, item in enumerate(ordered, start=1):
            item.number = position
            _as(item, by).save(update_fields=["number"])


def _published_change(meeting: Meeting, summary: str, visibility: str, by) -> MeetingChange:
    """After publication: record what changed for the next supplement notice, and rebuild the
    documents. A change by the programme manager queues the notice (sent at most once an hour); a
    presenter's change waits for the programme manager, who is told of it."""
    from meetings import documents
    from meetings.tasks import send_supplement_notice, tell_managers_of_change

    change = MeetingChange.objects.create(
        meeting=meeting, summary=summary[:400], visibility=visibility, by=by, by_manager=is_programme_manager(by)
    )
    documents.request_documents(meeting=meeting, reason=summary)
    if change.by_manager:
        enqueue(send_supplement_notice, meeting.pk)
    else:
        enqueue(tell_managers_of_change, change.pk)
    return change


def _late_item_place(items: list[AgendaItem]) -> tuple[int, str]:
    """A late item goes after the business, before the closing standing items, and takes the last
    business item's number with the next free letter: 7, 7A, 7B... (numbers already sent out
    never change)."""
    business = [i for i in items if i.standing_kind not in CLOSING_KINDS]
    anchor = max(business, key=lambda i: (i.number, i.suffix))
    taken = {i.suffix for i in items if i.number == anchor.number}
    letter = next(chr(c) for c in range(ord("A"), ord("Z") + 1) if chr(c) not in taken)
    return anchor.number, letter


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
    """Add business to the agenda, before the closing standing items (any other business...).

    Before publication the agenda is renumbered. After it, numbers are fixed: the item is "7A"
    (see `_late_item_place`), the documents are rebuilt with a supplement and members are told in
    the next supplement notice. A cancelled meeting takes no items."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
        if meeting.is_cancelled:
            raise ValidationError("This meeting is cancelled: it takes no new items.")
        items = list(meeting.items.order_by("number", "suffix"))
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
        if meeting.is_published:
            item.number, item.suffix = _late_item_place(items)
            _as(item, by).save()
            _published_change(meeting, f"Item {item.label} added: {item.title}.", item.visibility, by)
        else:
            _as(item, by).save()
            closing = [i for i in items if i.standing_kind in CLOSING_KINDS]
            opening = [i for i in items if i not in closing]
            _renumber(meeting, [*opening, item, *closing], by)
    return item


ITEM_FIELDS = [
    "title",
    "description",
    "purpose",
    "presenter",
    "presenter_organisation",
    "duration_minutes",
    "visibility",
    "restriction_reason",
]


def change_item(*, item: AgendaItem, by, **changes) -> AgendaItem:
    """Change an item's details (never its number). Kept in the item's history; after publication
    the documents are rebuilt and the change goes into the next supplement notice."""
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"change_item() cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("body").get(pk=item.meeting_id)
        # Compared with what is stored, not with the caller's copy (a ModelForm has already set
        # the new values on its instance).
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if meeting.is_cancelled:
            raise ValidationError("This meeting is cancelled: its agenda cannot change.")
        if item.is_withdrawn:
            raise ValidationError("This item is withdrawn: it cannot change.")
        changed = [field for field, value in changes.items() if getattr(item, field) != value]
        for field, value in changes.items():
            setattr(item, field, value)
        item.full_clean(exclude=["number"])
        if changed:
            _as(item, by).save(update_fields=changed)
            too_open = [
                p for p in item.papers.all() if VISIBILITY_RANK[p.visibility] < VISIBILITY_RANK[item.visibility]
            ]
            for paper in too_open:
                # A paper is never more open than its item.
                paper.visibility, paper.restriction_reason = item.visibility, item.restriction_reason
                _as(paper, by).save(update_fields=["visibility", "restriction_reason"])
            if meeting.is_published:
                _published_change(meeting, f"Item {item.label} changed: {item.title}.", item.visibility, by)
    return item


def withdraw_item(*, item: AgendaItem, reason: str, by) -> AgendaItem:
    """Take an item off a published agenda. It stays listed, marked withdrawn with the reason (and
    so in the minutes), its papers leave the packs, and members are told in the supplement notice."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the item is withdrawn."})
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("body").get(pk=item.meeting_id)
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if item.standing_kind:
            raise ValidationError("Standing items stay on the agenda.")
        if item.is_withdrawn:
            return item
        if not meeting.is_published:
            raise ValidationError("The agenda is not published yet: remove the item instead.")
        item.withdrawn_at = timezone.now()
        item.withdrawn_reason = reason.strip()
        _as(item, by).save(update_fields=["withdrawn_at", "withdrawn_reason"])
        _published_change(
            meeting,
            f"Item {item.label} withdrawn: {item.title} ({item.withdrawn_reason.rstrip('.')}).",
            item.visibility,
            by,
        )
    return item


def remove_item(*, item: AgendaItem, by) -> None:
    """Delete an item from a draft agenda, with its papers, and renumber. After publication an item
    is withdrawn instead (`withdraw_item`), so what members were sent stays explained."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if meeting.is_published:
            raise ValidationError("The agenda is published: withdraw the item instead, with the reason.")
        if item.standing_kind:
            raise ValidationError("Standing items stay on the agenda.")
        if item.decisions.exists() or item.actions.exists():
            raise ValidationError("Decisions or actions are recorded against this item: it cannot be removed.")
        files = [v.file for v in PaperVersion.objects.filter(paper__item=item)]
        ForwardPlanItem.objects.filter(agenda_item=item).update(status=ForwardPlanStatus.PROPOSED, agenda_item=None)
        _as(item, by).delete()
        _renumber(meeting, list(meeting.items.order_by("number", "suffix")), by)
    for file in files:
        transaction.on_commit(lambda f=file: f.delete(save=False))


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
    from meetings.permissions import bodies_user_may_propose_to

    if by is not None and body.pk not in bodies_user_may_propose_to(by):
        raise ValidationError({"body": "You can propose items only for the bodies you sit on."})
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
    # Read the meeting afresh: whether it is published or past its deadline decides how the
    # version is marked, and a caller's copy may be older than that.
    meeting = Meeting.objects.get(pk=paper.item.meeting_id)
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
    being_checked = False
    if extension == "pdf":
        from diz_portal.pdf import inspect_pdf

        check = inspect_pdf(upload.read(), seconds=settings.PAPER_CHECK_REQUEST_SECONDS)
        upload.seek(0)
        if check.limit and check.finished:
            raise ValidationError(
                "This file cannot be used: %(reason)s.", code="over_limit", params={"reason": check.reason}
            )
        # Not finished in the time a request may take: a worker checks it (check_paper_version).
        being_checked = not check.finished
        version.page_count = check.pages if check.ok else None
        version.problem = "" if check.ok or being_checked else (check.reason or "The PDF cannot be read.")
    version.file.save(upload.name, upload, save=False)
    try:
        version.save()
    except Exception:
        version.file.delete(save=False)  # no orphan file for a row that was never written
        raise
    if being_checked:
        from meetings.tasks import check_paper_version

        enqueue(check_paper_version, version.pk)
    return version


def check_paper_version(*, version_id: int) -> str:
    """The worker's check of a PDF that took too long to check in the web request: the same limits,
    more time. Records the page count or the problem (a limit named), then rebuilds the meeting's
    documents. Safe to run twice: a version already checked is left alone."""
    from diz_portal.pdf import inspect_pdf

    with transaction.atomic():
        version = PaperVersion.objects.select_for_update().select_related("paper__item").filter(pk=version_id).first()
        if version is None or version.extension != "pdf" or version.page_count or version.problem:
            return "checked already"
        with version.file.open("rb") as handle:
            check = inspect_pdf(handle.read(), seconds=settings.PAPER_CHECK_WORKER_SECONDS)
        if check.ok:
            version.page_count = check.pages
        else:
            version.problem = check.reason or "The PDF cannot be read."
        version.save(update_fields=["page_count", "problem"])
    meeting = Meeting.objects.get(pk=version.paper.item.meeting_id)
    if meeting.is_published:
        from meetings import documents

        documents.request_documents(meeting=meeting, reason="a paper's check finished")
    return "ok" if check.ok else "refused"


def _ensure_open_for_papers(item: AgendaItem, by) -> None:
    # After the meeting its papers are the record: only the programme manager changes them
    # (meetings.permissions.may_change_papers; who presents what is the views' business).
    if Meeting.objects.get(pk=item.meeting_id).has_ended() and not is_programme_manager(by):
        raise ValidationError("The meeting has taken place: only the programme manager can change its papers now.")
    if Meeting.objects.filter(pk=item.meeting_id, status=MeetingStatus.CANCELLED).exists():
        raise ValidationError("This meeting is cancelled: it takes no papers.")
    if AgendaItem.objects.filter(pk=item.pk, withdrawn_at__isnull=False).exists():
        raise ValidationError("This item is withdrawn: it takes no papers.")


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
    _ensure_open_for_papers(item, by)
    paper.full_clean()
    with transaction.atomic():
        _as(paper, by).save()
        version = _add_version(paper=paper, upload=upload, by=by)
        _after_paper_change(version, f"New paper for item {item.label}: {paper.title}.", by)
    return paper


def replace_paper(*, paper: Paper, upload, by) -> PaperVersion:
    """A new version; the earlier ones are kept."""
    _ensure_open_for_papers(paper.item, by)
    with transaction.atomic():
        version = _add_version(paper=paper, upload=upload, by=by)
        _after_paper_change(
            version, f"“{paper.title}” (item {paper.item.label}) replaced by version {version.number}.", by
        )
    return version


def _after_paper_change(version: PaperVersion, summary: str, by) -> None:
    """An office document is converted to PDF on a worker; after publication, a changed paper
    means a supplement, rebuilt packs and a line in the next supplement notice."""
    if version.converts_to_pdf:
        from meetings.tasks import convert_paper_version

        enqueue(convert_paper_version, version.pk)
    meeting = Meeting.objects.select_related("body").get(pk=version.paper.item.meeting_id)
    if meeting.is_published:
        paper = version.paper
        _published_change(meeting, summary, max(paper.visibility, paper.item.visibility, key=VISIBILITY_RANK.get), by)


# --- Publication -----------------------------------------------------------------------------


def publish_agenda(*, meeting: Meeting, by) -> Meeting:
    """Record the publication and return at once: workers build the agenda PDF and the packs, then
    email the members. If the broker is down, the documents stay queued (the page says so) and a
    periodic sweep sends them to a worker when it is back."""
    if meeting.is_cancelled:
        raise ValidationError("A cancelled meeting's agenda cannot be published.")
    if meeting.is_published:
        raise ValidationError("The agenda is already published.")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        meeting.agenda_published_at = timezone.now()
        meeting.agenda_published_by = by
        meeting.sequence += 1
        _as(meeting, by).save(update_fields=["agenda_published_at", "agenda_published_by", "sequence", "updated_at"])
        from meetings import documents

        documents.request_documents(meeting=meeting, reason="agenda published")
    return meeting


# --- Notices ---------------------------------------------------------------------------------


def issue_supplement_notice(*, meeting: Meeting, by):
    """The programme manager asks for the changes waiting (a presenter's included) to go to members
    now. Within an hour of the last notice they are released instead, and the periodic sweep sends
    them when the hour is up. Returns the supplement issued now, or None."""
    from meetings import notices
    from meetings.tasks import send_supplement_notice

    with transaction.atomic():
        # The programme manager has seen them: they go with the next notice like her own changes.
        MeetingChange.objects.filter(meeting=meeting, supplement__isnull=True).update(by_manager=True)
    supplement = notices.issue_supplement(meeting_id=meeting.pk, force=True)
    if supplement is not None:
        enqueue(send_supplement_notice, meeting.pk)
    return supplement


def send_notice_of_meeting(*, meeting: Meeting, by) -> None:
    """Queue the notice of meeting to each member and deputy (once per version of its details)."""
    from meetings.tasks import send_notice_of_meeting as task

    if meeting.is_cancelled:
        raise ValidationError("This meeting is cancelled: there is nothing to give notice of.")
    if meeting.ends_at < timezone.now():
        raise ValidationError("This meeting has taken place.")
    enqueue(task, meeting.pk)


def message_members(*, meeting: Meeting, subject: str, body: str, by):
    """Record a message to the body's members and deputies; a worker sends it, once to each."""
    from meetings.models import MemberMessage
    from meetings.tasks import send_message_to_members

    if not subject.strip() or not body.strip():
        raise ValidationError("Write a subject and a message.")
    message = MemberMessage.objects.create(meeting=meeting, subject=subject.strip(), body=body.strip(), sent_by=by)
    enqueue(send_message_to_members, message.pk)
    return message


# --- Attendance, quorum, declarations --------------------------------------------------------


def people_of(meeting: Meeting) -> tuple[list, dict[int, list]]:
    """The seats on the meeting's day and who could come in each member's place (the active people
    of each seat's organisation): read by the meeting page and every management page of the
    meeting, so kept until a person, seat or meeting changes."""
    from diz_portal import caching

    def load():
        seats = list(members_of(meeting))
        grouped: dict[int, list] = {}
        people = User.objects.filter(organisation_id__in={s.organisation_id for s in seats}, is_active=True)
        for person in people.order_by("name"):
            grouped.setdefault(person.organisation_id, []).append(person)
        return seats, grouped

    return caching.cached_value(("people-of", meeting.pk, timezone.localdate()), ["partners", "meetings"], load)


def colleagues_of(seat) -> list:
    """The active people of the seat's organisation, who may come in the member's place."""
    from diz_portal import caching

    return caching.cached_value(
        ("colleagues", seat.organisation_id),
        ["partners"],
        lambda: list(User.objects.filter(organisation_id=seat.organisation_id, is_active=True).order_by("name")),
    )


def members_of(meeting: Meeting):
    """The seats on the meeting's body on the day of the meeting."""
    from partners.models import Membership

    return (
        Membership.objects.current(meeting.local_date)
        .filter(body_id=meeting.body_id)
        .exclude(role="secretariat")
        .with_people()
        .ordered_by_role()
    )


def may_still_answer(meeting: Meeting, *, now: datetime | None = None) -> bool:
    """Members answer (attending, apologies, a deputy) until the meeting ends, unless it is cancelled."""
    return not meeting.is_cancelled and meeting.ends_at >= (now or timezone.now())


def respond_to_meeting(*, meeting: Meeting, person, response: str, deputy=None, now: datetime | None = None):
    """A member's answer before the meeting: attending, apologies, or sending a deputy (their named
    deputy or a colleague from the organisation they represent)."""
    seat = members_of(meeting).filter(person=person).first()
    if seat is None:
        raise ValidationError(
            "Only members of the %(body)s can answer for this meeting.", params={"body": meeting.body}
        )
    now = now or timezone.now()
    if not may_still_answer(meeting, now=now):
        raise ValidationError("This meeting is cancelled or over: answers are closed.")
    if response == Response.DEPUTY:
        deputy = deputy or seat.deputy
        if deputy is None:
            raise ValidationError({"deputy": "Name the deputy who will attend in your place."})
        if deputy.pk == person.pk:
            raise ValidationError({"deputy": "You cannot be your own deputy."})
        if deputy.pk != seat.deputy_id and deputy.organisation_id != seat.organisation_id:
            raise ValidationError(
                {"deputy": "A deputy is your named deputy or someone from %(org)s."},
                params={"org": seat.organisation.name},
            )
    attendance, _ = Attendance.objects.update_or_create(
        meeting=meeting,
        person=person,
        defaults={
            "response": response,
            "deputy": deputy if response == Response.DEPUTY else None,
            "organisation": seat.organisation,
            "responded_at": now,
        },
    )
    return attendance


def record_attendance(
    *,
    meeting: Meeting,
    present_ids: set[int],
    deputy_present_ids: set[int],
    apologies_ids: set[int] = frozenset(),
    deputies: dict[int, int] | None = None,
    by,
    today: date | None = None,
) -> None:
    """At the meeting: who was there, and in what capacity. Everyone named must hold a seat on the
    day (a deputy is recorded against the member they stand in for, and the minutes name the
    deputy). `deputies` names who came for a member (member id: deputy id) where it was not the
    deputy they named or their usual one. Recorded from the day of the meeting on; one answer per
    member."""
    deputies = deputies or {}
    if meeting.is_cancelled:
        raise ValidationError("This meeting was cancelled: nobody attended.")
    if not meeting.has_begun(today):
        raise ValidationError(
            "Attendance is recorded from the day of the meeting, %(date)s.",
            params={"date": f"{meeting.local_date:%-d %B %Y}"},
        )
    seats = {m.person_id: m for m in members_of(meeting)}
    unknown = (present_ids | deputy_present_ids | apologies_ids) - set(seats)
    if unknown:
        raise ValidationError(
            "Attendance can only be recorded for members of the %(body)s.", params={"body": meeting.body.name}
        )
    twice = (present_ids & deputy_present_ids) | (present_ids & apologies_ids) | (deputy_present_ids & apologies_ids)
    if twice:
        names = sorted(seats[pk].person.name for pk in twice)
        raise ValidationError(
            "Tick one of present, deputy present or apologies for %(names)s.", params={"names": ", ".join(names)}
        )
    with transaction.atomic():
        answers = {a.person_id: a for a in Attendance.objects.select_for_update().filter(meeting=meeting)}
        chosen = {u.pk: u for u in User.objects.filter(pk__in=set(deputies.values()))}
        for member_id, deputy_id in deputies.items():
            seat, deputy = seats.get(member_id), chosen.get(deputy_id)
            if member_id in deputy_present_ids and (
                seat is None
                or deputy is None
                or deputy.pk == member_id
                or (deputy.pk != seat.deputy_id and deputy.organisation_id != seat.organisation_id)
            ):
                raise ValidationError(
                    "A deputy for %(name)s is their usual deputy or someone from %(org)s.",
                    params={
                        "name": seat.person.name if seat else "a member",
                        "org": seat.organisation.name if seat else "their organisation",
                    },
                )
        no_deputy = [
            seats[pk].person.name
            for pk in deputy_present_ids
            if not (deputies.get(pk) or (answers.get(pk) and answers[pk].deputy_id) or seats[pk].deputy_id)
        ]
        if no_deputy:
            raise ValidationError(
                "%(names)s named no deputy and has no usual deputy: choose who came in their place.",
                params={"names": ", ".join(sorted(no_deputy))},
            )
        for person_id, seat in seats.items():
            attendance = answers.get(person_id) or Attendance(
                meeting=meeting, person_id=person_id, organisation=seat.organisation
            )
            as_deputy = person_id in deputy_present_ids
            attendance.present = person_id in present_ids or as_deputy
            attendance.deputy_present = as_deputy
            if as_deputy:
                attendance.deputy_id = deputies.get(person_id) or attendance.deputy_id or seat.deputy_id
                attendance.capacity = Capacity.DEPUTY
            elif attendance.present:
                attendance.capacity = Capacity.OBSERVER if seat.role == "observer" else Capacity.MEMBER
            else:
                attendance.capacity = ""
            if person_id in apologies_ids and attendance.response not in (Response.APOLOGIES, Response.DEPUTY):
                attendance.response = Response.APOLOGIES
            attendance.recorded_by = by
            _as(attendance, by).save()


def add_also_present(
    *, meeting: Meeting, name: str, capacity: str, organisation: str = "", role: str = "", by
) -> AlsoPresent:
    """Someone at the meeting without a seat (an officer, a guest, an observer from a body that is
    not a partner): on the attendance record and in the minutes under "Also present"."""
    _ensure_minutes_editable(meeting)
    if not meeting.has_begun():
        raise ValidationError(
            "Attendance is recorded from the day of the meeting, %(date)s.",
            params={"date": f"{meeting.local_date:%-d %B %Y}"},
        )
    entry = AlsoPresent(
        meeting=meeting,
        name=name.strip(),
        capacity=capacity,
        organisation=organisation.strip(),
        role=role.strip(),
        added_by=by,
    )
    entry.full_clean()
    _as(entry, by).save()
    return entry


def remove_also_present(*, entry: AlsoPresent, by) -> None:
    _ensure_minutes_editable(entry.meeting)
    _as(entry, by).delete()


def quorum(meeting: Meeting, attendances=None) -> dict:
    """Whether the meeting was quorate under its body's rule: a count of members present (in
    person or by deputy) and, optionally, at least one from each named sector."""
    from partners.models import Sector

    if attendances is None:
        attendances = Attendance.objects.filter(meeting=meeting, present=True).select_related("organisation")
    # Observers attend but do not count towards the quorum.
    observers = set(members_of(meeting).filter(role="observer").values_list("person_id", flat=True))
    present = [a for a in attendances if a.present and a.person_id not in observers]
    body = meeting.body
    sectors_present = {a.organisation.sector for a in present if a.organisation_id}
    missing = [Sector(s).label for s in body.quorum_sectors or [] if s not in sectors_present]
    count_ok = len(present) >= body.quorum_count
    return {
        "present": len(present),
        "needed": body.quorum_count,
        "missing_sectors": missing,
        "is_quorate": count_ok and not missing,
        "recorded": any(a.present is not None for a in attendances) or bool(present),
    }


def declare_interest(*, item: AgendaItem, person, interest: str, recorded_by=None):
    """A member declares an interest in an item: before the meeting on its page, or orally at the
    meeting, recorded by the programme manager (`recorded_by`). A deputy declares for themself."""
    meeting = item.meeting
    seated = members_of(meeting).filter(person=person).exists()
    deputising = Attendance.objects.filter(meeting=meeting, deputy=person).exists()
    if not (seated or deputising):
        raise ValidationError(
            "Only members of the %(body)s (and their deputies) declare interests at its meetings.",
            params={"body": meeting.body.name},
        )
    if not interest.strip():
        raise ValidationError({"interest": "Describe the interest."})
    if recorded_by is not None:
        _ensure_minutes_editable(meeting)
    declaration = Declaration(
        meeting=meeting, item=item, person=person, interest=interest.strip(), recorded_by=recorded_by
    )
    _as(declaration, recorded_by or person).save()
    return declaration


def attended(meeting: Meeting, attendances=None) -> set[int]:
    """The people who were at the meeting (members who came, and deputies in their place). Empty
    until attendance is recorded. `attendances`: the meeting's, if the caller has them already."""
    if attendances is None:
        attendances = meeting.attendances.filter(present=True)
    return {a.deputy_id if a.deputy_present else a.person_id for a in attendances if a.present}


# --- Minutes, decisions, actions -------------------------------------------------------------


def _ensure_minutes_editable(meeting: Meeting) -> None:
    if meeting.minutes_locked:
        raise ValidationError("These minutes are approved and locked: record an erratum instead.")


def _mark_minutes_started(meeting: Meeting, by) -> None:
    if meeting.minutes_status == MinutesStatus.NONE:
        meeting.minutes_status = MinutesStatus.DRAFT
        _as(meeting, by).save(update_fields=["minutes_status", "updated_at"])


def save_minute(*, item: AgendaItem, text: str, by):
    meeting = item.meeting
    _ensure_minutes_editable(meeting)
    minute, _ = Minute.objects.get_or_create(item=item)
    minute.text = text
    _as(minute, by).save()
    if meeting.minutes_status == MinutesStatus.NONE:
        meeting.minutes_status = MinutesStatus.DRAFT
        _as(meeting, by).save(update_fields=["minutes_status", "updated_at"])
    return minute


def record_decision(*, item: AgendaItem, text: str, by):
    """A decision with the next reference for its meeting, e.g. BRD-2026-11-3."""

    meeting = item.meeting
    _ensure_minutes_editable(meeting)
    if not text.strip():
        raise ValidationError({"text": "Write the decision."})
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        # The body's decisions of that month are numbered in order: BRD-2026-11-3 is the Board's third
        # decision in November 2026, whichever of that month's meetings made it. Never renumbered.
        local = timezone.localtime(meeting.starts_at)
        prefix = f"{meeting.body.code}-{local:%Y}-{local.month}-"
        taken = Decision.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
        number = max((int(r.removeprefix(prefix)) for r in taken if r.removeprefix(prefix).isdigit()), default=0) + 1
        reference = f"{prefix}{number}"
        decision = Decision(meeting=meeting, item=item, reference=reference, text=text.strip())
        _as(decision, by).save()
        _mark_minutes_started(meeting, by)
    return decision


def record_action(*, item: AgendaItem, description: str, owner, due_on: date, by):
    _ensure_minutes_editable(item.meeting)
    action = Action(meeting=item.meeting, item=item, description=description, owner=owner, due_on=due_on)
    action.full_clean()
    _as(action, by).save()
    _mark_minutes_started(item.meeting, by)
    return action


def complete_action(*, action, update: str = "", by, completed_at: datetime | None = None):
    """Mark an action done (`completed_at`: when it was done, if not now)."""
    if action.status == ActionStatus.DONE:
        return action
    action.status = ActionStatus.DONE
    action.completed_at = completed_at or timezone.now()
    action.update = update or action.update
    _as(action, by).save(update_fields=["status", "completed_at", "update"])
    return action


def record_action_progress(*, action: Action, update: str, by) -> Action:
    """Progress on an open action (services has `complete_action` for finishing one)."""
    action.update = update
    _as(action, by).save(update_fields=["update"])
    return action


def change_decision(*, decision: Decision, text: str, by) -> Decision:
    """Until the minutes are approved; the reference never changes. Kept in the history."""
    _ensure_minutes_editable(decision.meeting)
    if not text.strip():
        raise ValidationError({"text": "Write the decision."})
    decision.text = text.strip()
    _as(decision, by).save(update_fields=["text"])
    return decision


def delete_decision(*, decision: Decision, by) -> None:
    """Until the minutes are approved. Its reference is not reused (references are never
    renumbered), so the gap shows a decision was struck out."""
    _ensure_minutes_editable(decision.meeting)
    _as(decision, by).delete()


def change_action(*, action: Action, description: str, owner, due_on: date, by) -> Action:
    """Until the minutes that recorded it are approved (after that, its owner reports progress)."""
    _ensure_minutes_editable(action.meeting)
    action.description, action.owner, action.due_on = description, owner, due_on
    action.full_clean()
    _as(action, by).save(update_fields=["description", "owner", "due_on"])
    return action


def delete_action(*, action: Action, by) -> None:
    _ensure_minutes_editable(action.meeting)
    _as(action, by).delete()


def circulate_draft_minutes(*, meeting: Meeting, by) -> Meeting:
    meeting = Meeting.objects.select_related("body").get(pk=meeting.pk)  # the caller's copy may be stale
    _ensure_minutes_editable(meeting)
    if meeting.minutes_status == MinutesStatus.NONE:
        raise ValidationError("Write at least one minute before circulating the draft.")
    meeting.minutes_status = MinutesStatus.CIRCULATED
    _as(meeting, by).save(update_fields=["minutes_status", "updated_at"])
    from meetings import documents

    documents.request_minutes(meeting=meeting)
    return meeting


def approve_minutes(*, meeting: Meeting, at_meeting: Meeting, by, today: date | None = None) -> Meeting:
    """Minutes are approved under "minutes of the last meeting" at a later meeting of the same
    body, once; then they are locked (a later correction is an erratum)."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.minutes_locked:
            raise ValidationError(
                "These minutes were already approved on %(date)s.",
                params={"date": f"{timezone.localtime(meeting.minutes_approved_at):%-d %B %Y}"},
            )
        if at_meeting.body_id != meeting.body_id or at_meeting.starts_at <= meeting.starts_at:
            raise ValidationError("Minutes are approved at a later meeting of the same body.")
        if at_meeting.is_cancelled:
            raise ValidationError("That meeting was cancelled: minutes are approved at a meeting that is held.")
        if not at_meeting.has_begun(today):
            raise ValidationError(
                "Minutes are approved at the meeting itself: the meeting of %(date)s has not happened yet.",
                params={"date": f"{at_meeting.local_date:%-d %B %Y}"},
            )
        if meeting.minutes_status == MinutesStatus.NONE:
            raise ValidationError("There are no draft minutes to approve.")
        meeting.minutes_status = MinutesStatus.APPROVED
        # The record says when the approving meeting approved them, whenever it is typed in.
        meeting.minutes_approved_at = at_meeting.starts_at
        meeting.minutes_approved_at_meeting = at_meeting
        _as(meeting, by).save(
            update_fields=["minutes_status", "minutes_approved_at", "minutes_approved_at_meeting", "updated_at"]
        )
        from meetings import documents

        documents.request_minutes(meeting=meeting)
    return meeting


def record_erratum(*, meeting: Meeting, text: str, by):
    if not meeting.minutes_locked:
        raise ValidationError("The minutes are not approved yet: correct them directly.")
    if not text.strip():
        raise ValidationError({"text": "Describe the correction."})
    erratum = Erratum.objects.create(meeting=meeting, text=text.strip(), recorded_by=by)
    from meetings import documents

    documents.request_minutes(meeting=meeting)
    return erratum


# --- Register of members' interests ---------------------------------------------------------

REVIEW_EVERY = timedelta(days=365)


def register_interest(*, person, category: str, description: str, by, on: date | None = None):
    """Add an entry to a person's standing register (they keep their own; the programme manager may
    too)."""
    from meetings.models import RegisteredInterest

    if not description.strip():
        raise ValidationError({"description": "Describe the interest."})
    entry = RegisteredInterest(
        person=person, category=category, description=description.strip(), registered_on=on or timezone.localdate()
    )
    entry.full_clean()
    _as(entry, by).save()
    return entry


def end_interest(*, entry, by, on: date | None = None):
    """The interest has ended: the entry stays in the register with the date it ended."""
    on = on or timezone.localdate()
    if entry.ended_on:
        return entry
    if on < entry.registered_on:
        raise ValidationError({"ended_on": "An interest cannot end before it was registered."})
    entry.ended_on = on
    _as(entry, by).save(update_fields=["ended_on"])
    return entry


def confirm_register(*, person, by, on: date | None = None):
    """The person confirms their register is complete and up to date (asked yearly, and when a seat
    starts)."""
    from meetings.models import InterestReview

    review, _ = InterestReview.objects.get_or_create(
        person=person, defaults={"reviewed_on": on or timezone.localdate()}
    )
    review.reviewed_on = on or timezone.localdate()
    _as(review, by).save()
    return review


def register_review_due(person, *, today: date | None = None) -> str:
    """Why the person should review their register now ("" if they need not): never confirmed, not
    in the last year, or not since a seat of theirs started."""
    from meetings.models import InterestReview
    from partners.models import Membership

    today = today or timezone.localdate()
    seats = Membership.objects.current(today).filter(person=person)
    if not seats.exists():
        return ""
    review = InterestReview.objects.filter(person=person).first()
    if review is None:
        return "You have not yet confirmed your register of interests."
    if review.reviewed_on < today - REVIEW_EVERY:
        return f"You last confirmed your register of interests on {review.reviewed_on:%-d %B %Y}: please review it."
    newest = seats.order_by("-started_on").first()
    if newest.started_on > review.reviewed_on:
        return f"Your seat on the {newest.body.name} started on {newest.started_on:%-d %B %Y}: please review your register."
    return ""


# --- Calendar --------------------------------------------------------------------------------


def replace_calendar_token(*, user) -> CalendarToken:
    """A new secret for the user's private feed; the old address stops working at once."""

    token, created = CalendarToken.objects.get_or_create(user=user)
    if not created:
        token.token = new_feed_token()
        token.created_at = timezone.now()
        token.save(update_fields=["token", "created_at"])
    return token


# --- Seminars --------------------------------------------------------------------------------


def check_executive_report(upload) -> None:
    """An executive report is a PDF, checked by its content as papers are (`check_upload`: size,
    type, a name that matches), and readable within the limits a pack would apply. Raises a
    ValidationError about the `executive_report` field."""
    from diz_portal.pdf import inspect_pdf

    try:
        extension, _mime = check_upload(upload)
        if extension != "pdf":
            raise ValidationError(
                "The executive report must be a PDF (this is a %(kind)s file).",
                params={"kind": ALLOWED_TYPES[extension]},
            )
        check = inspect_pdf(upload.read(), seconds=settings.PAPER_CHECK_REQUEST_SECONDS)
        upload.seek(0)
        # A check that ran out of time is no verdict: the programme manager's own upload goes up.
        if check.finished and not check.ok:
            raise ValidationError("This file cannot be used: %(reason)s.", params={"reason": check.reason})
    except ValidationError as error:
        raise ValidationError({"executive_report": error.error_list}) from None


def _write_seminar(seminar: Seminar, report, write) -> Seminar:
    """Check a new executive report, store it, then `write()` the row (which checks the record
    and saves it). On any failure the stored report is removed again: nothing is left behind."""
    if report:
        check_executive_report(report)
        seminar.executive_report.save(report.name, report, save=False)
    try:
        return write()
    except Exception:
        if report:
            seminar.executive_report.delete(save=False)
        raise


def save_seminar(*, seminar: Seminar, report=None, by) -> Seminar:
    """Save the seminar as it is (a draft stays a draft, a published one changes in public), with
    a new executive report if given. Checks everything first; on a ValidationError nothing is
    written. The history records `by`; the public pages follow (the "meetings" topic)."""

    def write():
        seminar.full_clean()
        return save_as(seminar, by)

    return _write_seminar(seminar, report, write)


def publish_seminar(*, seminar: Seminar, at: datetime | None = None, report=None, by) -> Seminar:
    """Publish now, or schedule for `at` (it appears by itself then), with the form's changes."""
    return _write_seminar(seminar, report, lambda: publishing.publish(record=seminar, at=at, by=by))


def unpublish_seminar(*, seminar: Seminar, report=None, by) -> Seminar:
    """Back to a draft, with the form's changes: its page, report and files answer 404 again."""
    return _write_seminar(seminar, report, lambda: publishing.unpublish(record=seminar, by=by))

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
    Action,
    AgendaItem,
    CalendarToken,
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


def change_meeting(*, meeting: Meeting, by, **changes) -> Meeting:
    """Move the meeting or change how it is held. Calendar subscribers see the change (SEQUENCE)."""
    if meeting.is_cancelled:
        raise ValidationError("This meeting is cancelled: schedule a new one instead.")
    for field, value in changes.items():
        setattr(meeting, field, value)
    meeting.full_clean(exclude=["uid"])
    working_days = meeting.series.papers_due_working_days if meeting.series else 5
    meeting.papers_due_at = meeting.compute_papers_due(working_days)
    meeting.sequence += 1
    _as(meeting, by).save()
    if meeting.is_published:
        # The cover and agenda carry the date, time and place.
        from meetings import documents

        documents.request_documents(meeting=meeting, reason="meeting changed after publication")
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
    if extension == "pdf":
        from diz_portal.pdf import inspect_pdf

        check = inspect_pdf(upload.read())
        upload.seek(0)
        version.page_count = check.pages if check.ok else None
        version.problem = "" if check.ok else (check.reason or "The PDF cannot be read.")
    version.file.save(upload.name, upload, save=False)
    try:
        version.save()
    except Exception:
        version.file.delete(save=False)  # no orphan file for a row that was never written
        raise
    return version


def _ensure_open_for_papers(item: AgendaItem) -> None:
    if Meeting.objects.filter(pk=item.meeting_id, status=MeetingStatus.CANCELLED).exists():
        raise ValidationError("This meeting is cancelled: it takes no papers.")


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
    _ensure_open_for_papers(item)
    paper.full_clean()
    with transaction.atomic():
        _as(paper, by).save()
        _add_version(paper=paper, upload=upload, by=by)
    _after_paper_change(item.meeting_id)
    return paper


def replace_paper(*, paper: Paper, upload, by) -> PaperVersion:
    """A new version; the earlier ones are kept."""
    _ensure_open_for_papers(paper.item)
    with transaction.atomic():
        version = _add_version(paper=paper, upload=upload, by=by)
    _after_paper_change(paper.item.meeting_id)
    return version


def _after_paper_change(meeting_id: int) -> None:
    """After publication, a changed paper means a supplement and rebuilt packs."""
    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    if meeting.is_published:
        from meetings import documents

        documents.request_documents(meeting=meeting, reason="papers changed after publication")


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


# --- Attendance, quorum, declarations --------------------------------------------------------


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


def respond_to_meeting(*, meeting: Meeting, person, response: str, deputy=None, now: datetime | None = None):
    """A member's answer before the meeting: attending, apologies, or sending a deputy (their named
    deputy or a colleague from the organisation they represent)."""
    from meetings.models import Attendance, Response

    seat = members_of(meeting).filter(person=person).first()
    if seat is None:
        raise ValidationError(
            "Only members of the %(body)s can answer for this meeting.", params={"body": meeting.body}
        )
    now = now or timezone.now()
    if meeting.is_cancelled or meeting.ends_at < now:
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


def record_attendance(*, meeting: Meeting, present_ids: set[int], deputy_present_ids: set[int], by) -> None:
    """At the meeting: who was there. Everyone named must be a member (a deputy counts for the
    member they stand in for)."""
    from meetings.models import Attendance

    seats = {m.person_id: m for m in members_of(meeting)}
    unknown = (present_ids | deputy_present_ids) - set(seats)
    if unknown:
        raise ValidationError(
            "Attendance can only be recorded for members of the %(body)s.", params={"body": meeting.body.name}
        )
    with transaction.atomic():
        for person_id, seat in seats.items():
            attendance, _ = Attendance.objects.get_or_create(
                meeting=meeting, person_id=person_id, defaults={"organisation": seat.organisation}
            )
            attendance.present = person_id in present_ids or person_id in deputy_present_ids
            attendance.deputy_present = person_id in deputy_present_ids and person_id not in present_ids
            attendance.recorded_by = by
            _as(attendance, by).save()


def quorum(meeting: Meeting, attendances=None) -> dict:
    """Whether the meeting was quorate under its body's rule: a count of members present (in
    person or by deputy) and, optionally, at least one from each named sector."""
    from meetings.models import Attendance
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


def declare_interest(*, item: AgendaItem, person, interest: str):
    from meetings.models import Declaration

    if not members_of(item.meeting).filter(person=person).exists():
        raise ValidationError(
            "Only members of the %(body)s declare interests at its meetings.", params={"body": item.meeting.body.name}
        )
    if not interest.strip():
        raise ValidationError({"interest": "Describe the interest."})
    return Declaration.objects.create(meeting=item.meeting, item=item, person=person, interest=interest.strip())


# --- Minutes, decisions, actions -------------------------------------------------------------


def _ensure_minutes_editable(meeting: Meeting) -> None:
    if meeting.minutes_locked:
        raise ValidationError("These minutes are approved and locked: record an erratum instead.")


def _mark_minutes_started(meeting: Meeting, by) -> None:
    from meetings.models import MinutesStatus

    if meeting.minutes_status == MinutesStatus.NONE:
        meeting.minutes_status = MinutesStatus.DRAFT
        _as(meeting, by).save(update_fields=["minutes_status", "updated_at"])


def save_minute(*, item: AgendaItem, text: str, by):
    from meetings.models import Minute, MinutesStatus

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
    from meetings.models import Decision

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
    from meetings.models import Action

    _ensure_minutes_editable(item.meeting)
    action = Action(meeting=item.meeting, item=item, description=description, owner=owner, due_on=due_on)
    action.full_clean()
    _as(action, by).save()
    _mark_minutes_started(item.meeting, by)
    return action


def complete_action(*, action, update: str = "", by):
    from meetings.models import ActionStatus

    if action.status == ActionStatus.DONE:
        return action
    action.status = ActionStatus.DONE
    action.completed_at = timezone.now()
    action.update = update or action.update
    _as(action, by).save(update_fields=["status", "completed_at", "update"])
    return action


def record_action_progress(*, action: Action, update: str, by) -> Action:
    """Progress on an open action (services has `complete_action` for finishing one)."""
    action.update = update
    _as(action, by).save(update_fields=["update"])
    return action


def circulate_draft_minutes(*, meeting: Meeting, by) -> Meeting:
    from meetings.models import MinutesStatus

    meeting = Meeting.objects.select_related("body").get(pk=meeting.pk)  # the caller's copy may be stale
    _ensure_minutes_editable(meeting)
    if meeting.minutes_status == MinutesStatus.NONE:
        raise ValidationError("Write at least one minute, decision or action before circulating the draft.")
    meeting.minutes_status = MinutesStatus.CIRCULATED
    _as(meeting, by).save(update_fields=["minutes_status", "updated_at"])
    from meetings import documents

    documents.request_minutes(meeting=meeting)
    return meeting


def approve_minutes(*, meeting: Meeting, at_meeting: Meeting, by) -> Meeting:
    """Minutes are approved under "minutes of the last meeting" at a later meeting of the same
    body, once; then they are locked (a later correction is an erratum)."""
    from meetings.models import MinutesStatus

    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.minutes_locked:
            raise ValidationError(
                "These minutes were already approved on %(date)s.",
                params={"date": f"{timezone.localtime(meeting.minutes_approved_at):%-d %B %Y}"},
            )
        if at_meeting.body_id != meeting.body_id or at_meeting.starts_at <= meeting.starts_at:
            raise ValidationError("Minutes are approved at a later meeting of the same body.")
        if meeting.minutes_status == MinutesStatus.NONE:
            raise ValidationError("There are no draft minutes to approve.")
        meeting.minutes_status = MinutesStatus.APPROVED
        meeting.minutes_approved_at = timezone.now()
        meeting.minutes_approved_at_meeting = at_meeting
        _as(meeting, by).save(
            update_fields=["minutes_status", "minutes_approved_at", "minutes_approved_at_meeting", "updated_at"]
        )
        from meetings import documents

        documents.request_minutes(meeting=meeting)
    return meeting


def record_erratum(*, meeting: Meeting, text: str, by):
    from meetings.models import Erratum

    if not meeting.minutes_locked:
        raise ValidationError("The minutes are not approved yet: correct them directly.")
    if not text.strip():
        raise ValidationError({"text": "Describe the correction."})
    erratum = Erratum.objects.create(meeting=meeting, text=text.strip(), recorded_by=by)
    from meetings import documents

    documents.request_minutes(meeting=meeting)
    return erratum


# --- Calendar --------------------------------------------------------------------------------


def replace_calendar_token(*, user) -> CalendarToken:
    """A new secret for the user's private feed; the old address stops working at once."""
    from meetings.models import new_feed_token

    token, created = CalendarToken.objects.get_or_create(user=user)
    if not created:
        token.token = new_feed_token()
        token.created_at = timezone.now()
        token.save(update_fields=["token", "created_at"])
    return token

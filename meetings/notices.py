"""The emails a meeting sends. Each says why it was sent, and goes at most once (diz_portal.mail
`send_once`, keyed by what it is about), however often a worker retries.

- Papers published: once per person per meeting, when the members' pack is first ready.
- Papers updated: changes after publication are gathered into supplements; one email per person
  per supplement, listing what changed, at most once an hour, never for an empty supplement. A
  presenter's change waits for the programme manager, who is told of it.
- Meeting cancelled: to everyone who was sent its papers.
- Notice of meeting, and a message to the body's members: sent by the programme manager.
- Draft minutes circulated; papers left out of a pack (to the programme manager)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from diz_portal.mail import send_once, subject
from diz_portal.models import DocumentStatus, GeneratedDocument, SentEmail
from meetings.models import Meeting, MeetingChange, MinutesStatus, Supplement
from meetings.permissions import split_kind

SUPPLEMENT_INTERVAL = timedelta(hours=1)


def _link(meeting: Meeting) -> str:
    return settings.SITE_URL + meeting.get_absolute_url()


def _partnership():
    from partners.models import Partnership

    return Partnership.current()


def papers_recipients(meeting: Meeting) -> list[tuple[object, object, bool]]:
    """Who is sent a meeting's papers: each seat's member and their usual deputy, as
    (person, seat, as_deputy)."""
    from meetings.services import members_of

    recipients, seen = [], set()
    for seat in members_of(meeting):
        for person, as_deputy in ((seat.person, False), (seat.deputy, True)):
            if person is not None and person.is_active and person.pk not in seen:
                seen.add(person.pk)
                recipients.append((person, seat, as_deputy))
    return recipients


def _to_each_recipient(meeting: Meeting, *, template: str, key: str, subject_text: str, context: dict) -> int:
    """One email to each person sent the meeting's papers (`papers_recipients`), keyed
    "<key>:<person id>" so that each goes once, saying why they receive it."""
    sent = 0
    shared = {"meeting": meeting, "link": _link(meeting), "partnership": _partnership(), **context}
    for person, seat, as_deputy in papers_recipients(meeting):
        body = render_to_string(template, shared | {"person": person, "seat": seat, "as_deputy": as_deputy})
        sent += send_once(key=f"{key}:{person.pk}", to=person.email, subject=subject(subject_text), body=body)
    return sent


def _managers():
    from partners.permissions import programme_managers

    return programme_managers()


# --- After a document is built --------------------------------------------------------------


def after_build(*, document: GeneratedDocument, meeting: Meeting) -> int:
    """Members hear the papers are published (once per meeting); members hear the draft minutes
    are circulated (once per version of them); the programme manager hears of papers left out."""
    sent = 0
    name, _audience = split_kind(document.kind)
    ready = document.status == DocumentStatus.READY
    partnership = _partnership()
    link = _link(meeting)
    if document.kind == "pack:members" and ready and not meeting.is_cancelled:
        sent += _to_each_recipient(
            meeting,
            template="meetings/email/pack_ready.txt",
            key=f"meetings.pack:{meeting.pk}",
            subject_text=f"Papers for the {meeting}",
            context={},
        )
    if document.kind == "minutes:members" and ready and meeting.minutes_status == MinutesStatus.CIRCULATED:
        from meetings.services import members_of

        for seat in members_of(meeting):
            body = render_to_string(
                "meetings/email/draft_minutes.txt",
                {"person": seat.person, "meeting": meeting, "link": link, "seat": seat, "partnership": partnership},
            )
            sent += send_once(
                key=f"meetings.draft-minutes:{meeting.pk}:v{document.version}:{seat.person_id}",
                to=seat.person.email,
                subject=subject(f"Draft minutes of the {meeting}"),
                body=body,
            )
    if document.problems:
        for manager in _managers():
            body = render_to_string(
                "meetings/email/pack_problems.txt",
                {"person": manager, "meeting": meeting, "document": document, "link": link, "partnership": partnership},
            )
            sent += send_once(
                key=f"meetings.pack-problems:{document.pk}:v{document.version}:{manager.pk}",
                to=manager.email,
                subject=subject(f"Papers left out of the {meeting} {name}"),
                body=body,
            )
    return sent


# --- Changes after publication --------------------------------------------------------------


def issue_supplement(*, meeting_id: int, now: datetime | None = None, force: bool = False) -> Supplement | None:
    """Gather the changes waiting since the last supplement into a new one, if it is time: there
    is at least one change, the programme manager made one of them (or `force`: they asked for the
    notice), and the last supplement went out over an hour ago. Locks the meeting, so two workers
    never issue the same changes twice."""
    now = now or timezone.now()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
        if meeting.is_cancelled or not meeting.is_published:
            return None
        waiting = list(meeting.changes.filter(supplement__isnull=True))
        if not waiting or not (force or any(change.by_manager for change in waiting)):
            return None
        last = meeting.supplements.order_by("-number").first()
        if last is not None and last.issued_at > now - SUPPLEMENT_INTERVAL:
            return None
        supplement = Supplement.objects.create(meeting=meeting, number=(last.number if last else 0) + 1, issued_at=now)
        MeetingChange.objects.filter(pk__in=[c.pk for c in waiting]).update(supplement=supplement)
    return supplement


def email_supplement(*, supplement: Supplement) -> int:
    """One "papers updated" email per person for this supplement, listing its changes."""
    meeting = Meeting.objects.select_related("body").get(pk=supplement.meeting_id)
    changes = list(supplement.changes.order_by("at", "pk"))
    sent = 0
    if changes:
        count = f"{len(changes)} change{'s' if len(changes) != 1 else ''}"
        sent = _to_each_recipient(
            meeting,
            template="meetings/email/papers_updated.txt",
            key=f"meetings.supplement:{supplement.pk}",
            subject_text=f"Papers updated ({count}): {meeting}",
            context={"supplement": supplement, "changes": changes},
        )
    Supplement.objects.filter(pk=supplement.pk).update(emailed_at=timezone.now())
    return sent


def send_supplement_notice(*, meeting_id: int, force: bool = False) -> int:
    """Issue a supplement if it is time, and email any supplement not fully emailed yet."""
    issue_supplement(meeting_id=meeting_id, force=force)
    sent = 0
    for supplement in Supplement.objects.filter(meeting_id=meeting_id, emailed_at__isnull=True):
        sent += email_supplement(supplement=supplement)
    return sent


def due_supplement_meeting_ids(now: datetime | None = None) -> list[int]:
    """Meetings with a programme manager's change waiting (beat sends what the hourly limit held
    back), or a supplement whose emails did not all go."""
    waiting = MeetingChange.objects.filter(supplement__isnull=True, by_manager=True).values_list(
        "meeting_id", flat=True
    )
    unsent = Supplement.objects.filter(emailed_at__isnull=True).values_list("meeting_id", flat=True)
    return sorted(set(waiting) | set(unsent))


def tell_managers_of_change(*, change_id: int) -> int:
    """A presenter changed a published meeting's papers: the programme manager decides when members
    hear of it (the agenda page has the button)."""
    change = MeetingChange.objects.select_related("meeting__body", "by").filter(pk=change_id).first()
    if change is None:
        return 0
    sent = 0
    for manager in _managers():
        body = render_to_string(
            "meetings/email/presenter_change.txt",
            {
                "person": manager,
                "change": change,
                "meeting": change.meeting,
                "partnership": _partnership(),
                "link": settings.SITE_URL + f"/manage/meetings/{change.meeting_id}/agenda/#changes",
            },
        )
        sent += send_once(
            key=f"meetings.presenter-change:{change.pk}:{manager.pk}",
            to=manager.email,
            subject=subject(f"A paper changed after publication: {change.meeting}"),
            body=body,
        )
    return sent


# --- Cancellation, notice of meeting, messages ----------------------------------------------


def send_cancellation_notice(*, meeting_id: int) -> int:
    """Everyone who was sent the meeting's papers hears it is cancelled, and why."""
    from partners.models import User

    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    if not meeting.is_cancelled:
        return 0
    addresses = set(
        SentEmail.objects.filter(key__startswith=f"meetings.pack:{meeting.pk}:").values_list("to", flat=True)
    )
    addresses |= {person.email for person, _seat, _deputy in papers_recipients(meeting)}
    people = {u.email: u for u in User.objects.filter(email__in=addresses)}
    sent = 0
    for address in sorted(addresses):
        person = people.get(address)
        body = render_to_string(
            "meetings/email/meeting_cancelled.txt",
            {"person": person, "meeting": meeting, "link": _link(meeting), "partnership": _partnership()},
        )
        sent += send_once(
            key=f"meetings.cancelled:{meeting.pk}:{address.lower()}",
            to=address,
            subject=subject(f"Cancelled: {meeting}"),
            body=body,
        )
    return sent


def send_notice_of_meeting(*, meeting_id: int, by_id: int | None = None) -> int:
    """The formal notice: when and where, how to join, when papers are due, and the agenda so far.
    Once per person per version of the meeting's details (SEQUENCE), so a moved meeting can be
    noticed again."""
    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    if meeting.is_cancelled:
        return 0
    return _to_each_recipient(
        meeting,
        template="meetings/email/notice_of_meeting.txt",
        key=f"meetings.notice:{meeting.pk}:s{meeting.sequence}",
        subject_text=f"Notice of meeting: {meeting}",
        context={"items": list(meeting.items.filter(withdrawn_at__isnull=True).order_by("number", "suffix"))},
    )


def send_message_to_members(*, message_id: int) -> int:
    """A message from the programme manager to the meeting's body (members and their deputies)."""
    from meetings.models import MemberMessage

    message = MemberMessage.objects.select_related("meeting__body", "sent_by").get(pk=message_id)
    return _to_each_recipient(
        message.meeting,
        template="meetings/email/member_message.txt",
        key=f"meetings.message:{message.pk}",
        subject_text=message.subject,
        context={"message": message},
    )


def send_register_prompts(*, today=None) -> int:
    """A member whose seat has started since they last confirmed their register of interests (or
    whose confirmation is over a year old) is asked to review it: once per seat, and once a year."""
    from meetings.services import register_review_due
    from partners.models import Membership

    today = today or timezone.localdate()
    sent = 0
    for seat in Membership.objects.current(today).exclude(role="secretariat").with_people():
        reason = register_review_due(seat.person, today=today)
        if not reason or not seat.person.is_active:
            continue
        body = render_to_string(
            "meetings/email/register_prompt.txt",
            {
                "person": seat.person,
                "seat": seat,
                "reason": reason,
                "link": settings.SITE_URL + "/meetings/interests/mine/",
                "partnership": _partnership(),
            },
        )
        sent += send_once(
            key=f"meetings.register-prompt:{seat.pk}:{today:%Y}",
            to=seat.person.email,
            subject=subject("Please review your register of interests"),
            body=body,
        )
    return sent

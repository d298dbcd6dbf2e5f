"""What the meetings app tells the dashboards (diz_portal/dashboards.py) and the Board reports.

Each function answers one question a dashboard panel asks, in a fixed number of queries whatever
the number of meetings, and applies the same visibility rules as the meetings pages
(meetings.permissions): a panel never shows someone a paper, action or decision the meetings pages
would not. Links point to where the thing is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone

from diz_portal.models import DocumentStatus, GeneratedDocument
from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    CalendarToken,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    Paper,
    PaperVersion,
)
from meetings.permissions import member_body_ids
from partners.models import Membership, Sector

# "Meetings in the next six weeks" (issue 13).
PAPERS_WINDOW = timedelta(weeks=6)
# An agenda should be out once its papers are due, and in any case a week before the meeting.
PUBLISH_BY = timedelta(days=7)
# Draft minutes are chased for meetings held in the last year.
MINUTES_LOOKBACK = timedelta(days=365)
LIST_LIMIT = 8


def _business_items():
    return Q(items__standing_kind="", items__withdrawn_at__isnull=True)


# --- The programme manager ---------------------------------------------------------------------


def meetings_with_papers_outstanding(now: datetime | None = None) -> list[Meeting]:
    """Scheduled meetings in the next six weeks with business items that have no paper yet, or
    with papers that came in late. Each has `expected`, `received`, `outstanding`, `late_papers`
    and `papers_late` (the deadline has passed with papers still outstanding)."""
    now = now or timezone.now()
    meetings = list(
        Meeting.objects.filter(status=MeetingStatus.SCHEDULED, starts_at__gte=now, starts_at__lte=now + PAPERS_WINDOW)
        .select_related("body")
        .annotate(
            expected=Count("items", filter=_business_items(), distinct=True),
            received=Count("items", filter=_business_items() & Q(items__papers__versions__isnull=False), distinct=True),
            late_papers=Count(
                "items__papers__versions", filter=Q(items__papers__versions__is_late=True), distinct=True
            ),
        )
        .order_by("starts_at")
    )
    chosen = []
    for meeting in meetings:
        meeting.outstanding = meeting.expected - meeting.received
        meeting.papers_late = meeting.outstanding > 0 and meeting.papers_are_late(now)
        if meeting.outstanding or meeting.late_papers:
            chosen.append(meeting)
    return chosen


def agendas_to_publish(now: datetime | None = None) -> list[Meeting]:
    """Scheduled meetings still to come whose agenda is not published although it should be: the
    papers are due, or the meeting is less than a week away."""
    now = now or timezone.now()
    return list(
        Meeting.objects.filter(status=MeetingStatus.SCHEDULED, agenda_published_at__isnull=True, ends_at__gte=now)
        .filter(Q(papers_due_at__lte=now) | Q(starts_at__lte=now + PUBLISH_BY))
        .select_related("body")
        .order_by("starts_at")
    )


def minutes_awaiting_circulation(now: datetime | None = None) -> list[Meeting]:
    """Meetings held in the last year whose minutes are not started or still a draft nobody has
    been sent."""
    now = now or timezone.now()
    return list(
        Meeting.objects.filter(
            status=MeetingStatus.SCHEDULED,
            ends_at__lt=now,
            starts_at__gte=now - MINUTES_LOOKBACK,
            minutes_status__in=[MinutesStatus.NONE, MinutesStatus.DRAFT],
        )
        .select_related("body")
        .order_by("starts_at")
    )


def overdue_actions_by_owner(today: date | None = None) -> list[dict]:
    """Each owner of overdue actions: `owner_id`, `name`, `count` and `oldest` (the earliest due
    date), most overdue first."""
    return list(
        Action.objects.overdue(today)
        .values("owner_id")
        .annotate(name=Max("owner__name"), count=Count("pk"), oldest=Min("due_on"))
        .order_by("oldest", "name")
    )


def failed_documents() -> list[GeneratedDocument]:
    """Meeting documents a worker could not build, each with its `meeting` (for the link)."""
    content_type = ContentType.objects.get_for_model(Meeting)
    documents = list(
        GeneratedDocument.objects.filter(content_type=content_type, status=DocumentStatus.FAILED).order_by(
            "-requested_at"
        )
    )
    meetings = Meeting.objects.select_related("body").in_bulk({d.object_id for d in documents})
    for document in documents:
        document.meeting = meetings.get(document.object_id)
    return [d for d in documents if d.meeting is not None]


# --- Figures ----------------------------------------------------------------------------------


@dataclass
class AttendanceRow:
    label: str
    expected: int
    present: int
    sector: str = ""

    @property
    def rate(self) -> int:
        """Per cent of seats filled, by the member or their deputy."""
        return round(100 * self.present / self.expected) if self.expected else 0


def attendance_by_organisation(start: date, end: date, *, body_ids=None) -> list[AttendanceRow]:
    """Seats filled at meetings held between `start` and `end` (inclusive), per organisation: a seat
    counts once attendance was recorded; a deputy who came fills it. One query."""
    recorded = Attendance.objects.filter(
        present__isnull=False,
        meeting__status=MeetingStatus.SCHEDULED,
        meeting__starts_at__date__gte=start,
        meeting__starts_at__date__lte=end,
    )
    if body_ids is not None:
        recorded = recorded.filter(meeting__body_id__in=body_ids)
    rows = (
        recorded.values("organisation__name", "organisation__sector")
        .annotate(expected=Count("pk"), present=Count("pk", filter=Q(present=True)))
        .order_by("organisation__name")
    )
    return [
        AttendanceRow(
            label=row["organisation__name"] or "No organisation",
            expected=row["expected"],
            present=row["present"],
            sector=row["organisation__sector"] or "",
        )
        for row in rows
    ]


def attendance_by_sector(rows: list[AttendanceRow]) -> list[AttendanceRow]:
    """The organisations' rows summed by sector, in the order sectors are listed."""
    totals: dict[str, list[int]] = {}
    for row in rows:
        total = totals.setdefault(row.sector, [0, 0])
        total[0] += row.expected
        total[1] += row.present
    labels = dict(Sector.choices)
    order = list(labels)
    return [
        AttendanceRow(label=labels.get(sector, "No sector"), expected=expected, present=present)
        for sector, (expected, present) in sorted(
            totals.items(), key=lambda entry: order.index(entry[0]) if entry[0] in order else len(order)
        )
    ]


# --- A member of a body ------------------------------------------------------------------------


def next_meetings_for_member(user, *, since: datetime | None, now: datetime | None = None, limit: int = 5):
    """The next meetings of the bodies `user` sits on (or deputises on), each with `my_response`
    (their answer, "" if none yet; None if they hold no seat, as a deputy) and `new_papers` (papers
    published since `since`, all of them when None)."""
    now = now or timezone.now()
    bodies = member_body_ids(user)
    if not bodies:
        return []
    answer = Attendance.objects.filter(meeting=OuterRef("pk"), person=user)
    seats = set(Membership.objects.current().filter(person=user).values_list("body_id", flat=True))
    new = Q(items__papers__versions__isnull=False)
    if since is not None:
        new &= Q(items__papers__versions__uploaded_at__gt=since) | Q(agenda_published_at__gt=since)
    meetings = list(
        Meeting.objects.filter(body_id__in=bodies)
        .upcoming(now)
        .select_related("body")
        .annotate(
            my_response=Subquery(answer.values("response")[:1]),
            new_papers=Count("items__papers", filter=new & Q(agenda_published_at__isnull=False), distinct=True),
        )[:limit]
    )
    for meeting in meetings:
        if meeting.body_id not in seats:
            meeting.my_response = None
        elif meeting.my_response is None:
            meeting.my_response = ""
    return meetings


def papers_to_read(user, *, since: datetime | None, now: datetime | None = None, limit: int = LIST_LIMIT):
    """Papers of the coming meetings of `user`'s bodies published since `since` (every paper of
    those meetings when None), newest first. Members read every level of their own bodies'
    papers (meetings.permissions.levels_for), so nothing here needs filtering by level."""
    now = now or timezone.now()
    bodies = member_body_ids(user)
    if not bodies:
        return [], 0
    papers = Paper.objects.filter(
        item__meeting__body_id__in=bodies,
        item__meeting__agenda_published_at__isnull=False,
        item__meeting__ends_at__gte=now,
        item__meeting__status=MeetingStatus.SCHEDULED,
        item__withdrawn_at__isnull=True,
    ).annotate(latest=Max("versions__uploaded_at"))
    papers = papers.filter(latest__isnull=False)
    if since is not None:
        papers = papers.filter(Q(latest__gt=since) | Q(item__meeting__agenda_published_at__gt=since))
    total = papers.count()
    chosen = list(papers.select_related("item__meeting__body").order_by("-latest", "pk")[:limit])
    return chosen, total


def open_actions_of(user, *, limit: int = LIST_LIMIT):
    """`user`'s open actions, soonest due first, and how many there are."""
    actions = Action.objects.open().filter(owner=user)
    return list(actions.select_related("meeting__body").order_by("due_on", "pk")[:limit]), actions.count()


def calendar_token_of(user) -> CalendarToken | None:
    return CalendarToken.objects.filter(user=user).first()


# --- A partner officer ------------------------------------------------------------------------


def items_presented_by(user, now: datetime | None = None, *, limit: int = LIST_LIMIT) -> list[AgendaItem]:
    """Business items of coming meetings that `user` presents (by name, or as an officer of the
    presenting organisation), with `has_paper` and their meeting's deadline."""
    now = now or timezone.now()
    presenting = Q(presenter=user)
    if user.organisation_id:
        presenting |= Q(presenter_organisation_id=user.organisation_id)
    return list(
        AgendaItem.objects.filter(presenting)
        .filter(
            meeting__status=MeetingStatus.SCHEDULED,
            meeting__ends_at__gte=now,
            withdrawn_at__isnull=True,
            standing_kind="",
        )
        .annotate(has_paper=Exists(PaperVersion.objects.filter(paper__item=OuterRef("pk"))))
        .select_related("meeting__body")
        .order_by("meeting__starts_at", "number", "suffix")[:limit]
    )


# --- For the Board reports (reports/content.py) -------------------------------------------------
# A report is read by the members of the body it is for (and goes on their agenda as a members'
# paper): it takes what those members may read of their body's minuted records
# (permissions.minuted_for_audience), and leaves restricted items out altogether, so a report can
# be passed on within the members' organisations without carrying anything restricted.


def _minuted_in(model, body_ids, start: date, end: date):
    from meetings.models import Visibility
    from meetings.permissions import minuted_for_audience

    return (
        model.objects.filter(
            meeting__body_id__in=body_ids,
            meeting__starts_at__date__gte=start,
            meeting__starts_at__date__lte=end,
        )
        .filter(minuted_for_audience("members"))
        .exclude(item__visibility=Visibility.RESTRICTED)
    )


def decisions_in(body_ids, start: date, end: date) -> list[dict]:
    from meetings.models import Decision

    decisions = _minuted_in(Decision, body_ids, start, end).select_related("meeting__body")
    return [
        {
            "reference": d.reference,
            "text": d.text,
            "date": f"{d.meeting.local_date:%-d %b %Y}",
            "body": d.meeting.body.name,
        }
        for d in decisions.order_by("meeting__starts_at", "pk")
    ]


def actions_in(body_ids, start: date, end: date) -> list[dict]:
    actions = _minuted_in(Action, body_ids, start, end).select_related("meeting__body", "owner")
    return [
        {
            "description": a.description,
            "owner": a.owner.name,
            "due_on": f"{a.due_on:%-d %b %Y}",
            "status": a.get_status_display(),
            "overdue": a.is_overdue,
            "date": f"{a.meeting.local_date:%-d %b %Y}",
        }
        for a in actions.order_by("meeting__starts_at", "due_on", "pk")
    ]


def meetings_held(body_ids, start: date, end: date) -> list[dict]:
    meetings = Meeting.objects.filter(
        body_id__in=body_ids, starts_at__date__gte=start, starts_at__date__lte=end
    ).select_related("body")
    return [
        {
            "body": m.body.name,
            "date": f"{m.local_date:%-d %b %Y}",
            "status": m.get_status_display(),
            "minutes": m.get_minutes_status_display(),
        }
        for m in meetings.order_by("starts_at")
    ]


def items_presented_by_organisation(start: date, end: date) -> dict[str, int]:
    """How many agenda items each organisation presented at meetings in the period (withdrawn
    items and cancelled meetings aside)."""
    rows = (
        AgendaItem.objects.filter(
            presenter_organisation__isnull=False,
            withdrawn_at__isnull=True,
            meeting__status=MeetingStatus.SCHEDULED,
            meeting__starts_at__date__gte=start,
            meeting__starts_at__date__lte=end,
        )
        .values("presenter_organisation__name")
        .annotate(count=Count("pk"))
    )
    return {row["presenter_organisation__name"]: row["count"] for row in rows}

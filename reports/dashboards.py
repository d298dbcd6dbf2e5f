"""The dashboards: the programme manager's (/manage/), and a member's or partner officer's
(/dashboard/). This module only composes: each app answers for its own records in its
`dashboard.py` (meetings.dashboard, partners.dashboard, and strategy/funding once they exist), with
its own visibility rules; here those answers become panels of rows, each linking to the page where
the thing is done.

An app that is not built yet has no `dashboard` module: its panels say so instead of guessing.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from diz_portal.charts import BarChart
from meetings import dashboard as meetings_panels
from partners import dashboard as partners_panels
from reports.models import LastLook

# Visits closer together than this are one look: reloading the page must not empty "new papers".
LOOK_GAP = timedelta(minutes=30)
ATTENDANCE_YEAR = timedelta(days=365)

WAITING = {
    "strategy": "The strategy, endorsements and the delivery plan are not in the portal yet: this panel fills in "
    "once they are.",
    "funding": "Funding bids, awards and claims are not in the portal yet: this panel fills in once they are.",
}


def app_ready(app: str) -> bool:
    """Whether `app` answers the dashboards (has a `dashboard` module)."""
    return importlib.util.find_spec(f"{app}.dashboard") is not None


@dataclass
class Row:
    text: str
    url: str = ""
    detail: str = ""
    tag: str = ""
    tag_colour: str = ""


@dataclass
class Panel:
    """One thing that may need attention: its rows, a count, and where the whole list is."""

    key: str
    title: str
    rows: list[Row] = field(default_factory=list)
    count: int = 0
    more_url: str = ""
    more_text: str = ""
    empty: str = "Nothing needs doing."
    waiting: str = ""

    @property
    def needs_attention(self) -> bool:
        return self.count > 0


def _waiting(key: str, title: str, app: str) -> Panel:
    return Panel(key=key, title=title, waiting=WAITING[app])


def _date(value) -> str:
    return f"{timezone.localtime(value):%a %-d %b %Y}" if isinstance(value, datetime) else f"{value:%a %-d %b %Y}"


# --- The programme manager ---------------------------------------------------------------------


def manager_attention(now: datetime | None = None) -> list[Panel]:
    now = now or timezone.now()
    panels = [
        _papers_panel(now),
        _agendas_panel(now),
        _minutes_panel(now),
        _actions_panel(now),
    ]
    panels += _app_panels("funding", "manager_panels", now, [("bids", "Bids due and claims")])
    panels += _app_panels(
        "strategy",
        "manager_panels",
        now,
        [("projects", "Projects at amber or red, and updates missing"), ("endorsements", "Endorsements outstanding")],
    )
    panels += [_invitations_panel(), _failed_documents_panel()]
    return panels


def _app_panels(app: str, function: str, now, placeholders: list[tuple[str, str]], **kwargs) -> list[Panel]:
    if not app_ready(app):
        return [_waiting(key, title, app) for key, title in placeholders]
    module = importlib.import_module(f"{app}.dashboard")
    return getattr(module, function)(now=now, **kwargs)


def _meeting_row(meeting, url_name: str, **fields) -> Row:
    return Row(
        text=f"{meeting.body.name}, {_date(meeting.starts_at)}",
        url=reverse(url_name, args=[meeting.pk]),
        **fields,
    )


def _list_panel(key: str, title: str, rows: list[Row], empty: str) -> Panel:
    return Panel(key=key, title=title, rows=rows, count=len(rows), empty=empty)


def _papers_panel(now) -> Panel:
    rows = []
    for meeting in meetings_panels.meetings_with_papers_outstanding(now):
        detail = f"{meeting.outstanding} of {meeting.expected} papers outstanding" if meeting.outstanding else ""
        if meeting.late_papers:
            detail += (", " if detail else "") + f"{meeting.late_papers} came in late"
        tag = "Deadline passed" if meeting.papers_late else ""
        rows.append(_meeting_row(meeting, "manage_meetings:papers", detail=detail, tag=tag, tag_colour="red"))
    return _list_panel(
        "papers",
        "Papers outstanding or late (next six weeks)",
        rows,
        "Every meeting in the next six weeks has its papers.",
    )


def _agendas_panel(now) -> Panel:
    rows = [
        _meeting_row(
            meeting,
            "manage_meetings:agenda",
            detail=f"Papers were due {_date(meeting.papers_due_at)}" if meeting.papers_due_at else "",
        )
        for meeting in meetings_panels.agendas_to_publish(now)
    ]
    return _list_panel("agendas", "Agendas to publish", rows, "No agenda is waiting to be published.")


def _minutes_panel(now) -> Panel:
    rows = [
        _meeting_row(
            meeting,
            "manage_meetings:minutes",
            tag=meeting.get_minutes_status_display(),
            tag_colour="yellow" if meeting.minutes_status == "draft" else "grey",
        )
        for meeting in meetings_panels.minutes_awaiting_circulation(now)
    ]
    return _list_panel(
        "minutes", "Minutes to draft or circulate", rows, "Every meeting's minutes have gone to members."
    )


def _actions_panel(now) -> Panel:
    owners = meetings_panels.overdue_actions_by_owner(timezone.localdate(now))
    url = reverse("meetings:actions") + "?show=overdue"
    rows = [
        Row(
            text=owner["name"],
            url=url,
            detail=f"{owner['count']} overdue, the oldest due {_date(owner['oldest'])}",
        )
        for owner in owners
    ]
    return Panel(
        key="actions",
        title="Overdue actions, by owner",
        rows=rows,
        count=sum(owner["count"] for owner in owners),
        more_url=url,
        more_text="All overdue actions",
        empty="No action is overdue.",
    )


def _invitations_panel() -> Panel:
    invitations, total = partners_panels.invitations_not_accepted()
    rows = [
        Row(
            text=invitation.user.name,
            url=reverse("manage:people"),
            detail=(invitation.user.organisation.name if invitation.user.organisation else "")
            + f"{', ' if invitation.user.organisation else ''}invited {_date(invitation.created_at)}",
            tag="Expired" if invitation.expired else "",
            tag_colour="red",
        )
        for invitation in invitations
    ]
    return Panel(
        key="invitations",
        title="Invitations not accepted",
        rows=rows,
        count=total,
        more_url=reverse("manage:people") if total > len(rows) else "",
        more_text=f"All {total} people invited",
        empty="Everyone invited has accepted.",
    )


def _failed_documents_panel() -> Panel:
    rows = [
        Row(
            text=f"{document.kind.replace(':', ', ').capitalize()}: {document.meeting.body.name}, "
            f"{_date(document.meeting.starts_at)}",
            url=reverse("manage_meetings:agenda", args=[document.meeting.pk]),
            detail=document.error[:160],
        )
        for document in meetings_panels.failed_documents()
    ]
    return _list_panel("documents", "Documents that failed to build", rows, "Every document built.")


def manager_figures(now: datetime | None = None) -> dict:
    """The charts under the to-do lists."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = meetings_panels.attendance_by_organisation(today - ATTENDANCE_YEAR, today)
    figures = {
        "attendance_by_organisation": attendance_chart(
            "attendance-organisation", "Attendance by organisation, last 12 months", rows
        ),
        "attendance_by_sector": attendance_chart(
            "attendance-sector", "Attendance by sector, last 12 months", meetings_panels.attendance_by_sector(rows)
        ),
        "charts": [],
        "waiting": [],
    }
    for app, title in [("funding", "Funding pipeline by stage"), ("strategy", "Projects by stage and RAG")]:
        if app_ready(app):
            figures["charts"] += importlib.import_module(f"{app}.dashboard").manager_charts(now=now)
        else:
            figures["waiting"].append(Panel(key=app, title=title, waiting=WAITING[app]))
    return figures


def attendance_chart(key: str, title: str, rows) -> BarChart:
    return BarChart(
        key=key,
        title=title,
        unit="%",
        bars=[(row.label, row.rate) for row in rows],
        columns=["Seats", "Filled", "Attendance"],
        table=[[row.expected, row.present, f"{row.rate}%"] for row in rows],
        empty="No attendance recorded in the last 12 months.",
    )


# --- A member, a partner officer ---------------------------------------------------------------


def look(user, now: datetime | None = None) -> datetime | None:
    """Record this visit; return when the person last looked before it (None the first time)."""
    now = now or timezone.now()
    last = LastLook.objects.filter(user=user).first()
    if last is None:
        LastLook.objects.create(user=user, seen_at=now)
        return None
    if now - last.seen_at > LOOK_GAP:
        last.previous = last.seen_at
    last.seen_at = now
    last.save(update_fields=["seen_at", "previous"])
    return last.previous


def member_dashboard(user, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    since = look(user, now)
    meetings = meetings_panels.next_meetings_for_member(user, since=since, now=now)
    papers, papers_total = meetings_panels.papers_to_read(user, since=since, now=now)
    actions, actions_total = meetings_panels.open_actions_of(user)
    context = {
        "since": since,
        "next_meetings": meetings,
        "papers": papers,
        "papers_total": papers_total,
        "my_actions": actions,
        "my_actions_total": actions_total,
        "calendar_token": meetings_panels.calendar_token_of(user),
        "presenting": meetings_panels.items_presented_by(user, now) if user.organisation_id else [],
        "organisation_panels": [],
    }
    if user.organisation_id:
        context["organisation_panels"] = _app_panels(
            "strategy",
            "organisation_panels",
            now,
            [("endorsement", "My organisation's endorsement"), ("projects", "My organisation's projects")],
            organisation=user.organisation,
        ) + _app_panels(
            "funding",
            "organisation_panels",
            now,
            [("contributions", "My organisation's contributions to bids")],
            organisation=user.organisation,
        )
    return context

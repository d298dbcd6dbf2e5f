"""The dashboards: the programme manager's (/manage/), and a member's or partner officer's
(/dashboard/). This module only composes: each app answers for its own records in its
`dashboard.py` (meetings.dashboard, partners.dashboard, and strategy/funding once they exist), with
its own visibility rules; here those answers become panels of rows, each linking to the page where
the thing is done.

An app that is not built yet has no `dashboard` module: its panels say so instead of guessing.
What an app's `dashboard` module may offer (each optional; what is missing shows as "not in the
portal yet"):

- `manager_panels(*, now) -> list[Panel]`: things needing the programme manager, each row linking
  to where it is done;
- `manager_charts(*, now) -> list[diz_portal.charts.BarChart]`: the figures under them;
- `organisation_panels(*, now, organisation) -> list[Panel]`: for a partner's officers and members;
- `report_<section>(*, start, end, body) -> dict`: a Board report's section as plain data
  (`paragraphs`, and `tables` of `caption`, `columns`, `rows`), see reports/content.py;
- `REGISTERS`: registers to download as spreadsheets (reports.registers.Register).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from diz_portal import caching
from diz_portal.charts import BarChart
from meetings import dashboard as meetings_panels
from partners import dashboard as partners_panels
from reports.models import LastLook

# What the dashboards show comes from these topics (diz_portal/caching.py): a change to any of them
# starts a new copy. reports/apps.py watches the models no app watches yet.
TOPICS = ["partners", "meetings", "documents", "invitations", "strategy", "funding", "reports"]

# Visits closer together than this are one look: reloading the page must not empty "new papers".
LOOK_GAP = timedelta(minutes=30)
# Within this, a visit is a reload and is not written down (a row write per page view costs more
# than the minute's precision is worth).
TOUCH_EVERY = timedelta(minutes=1)
ATTENDANCE_YEAR = timedelta(days=365)
# The organisations chart shows the lowest attendance, where action is needed; the partner
# engagement report has every organisation.
ORGANISATIONS_SHOWN = 12

# What a panel says while the part of the portal it reports on is not built yet, by feature.
WAITING = {
    "strategy": "Strategy endorsements are not in the portal yet: this panel fills in once they are.",
    "delivery": "The delivery plan (workstreams, projects, milestones and risks) is not in the portal yet: this "
    "panel fills in once it is.",
    "funding": "Funding bids, awards and claims are not in the portal yet: this panel fills in once they are.",
}
# Where each feature's answers come from: (app, prefix of its functions in the app's dashboard module).
FEATURES = {"strategy": ("strategy", ""), "delivery": ("strategy", "delivery_"), "funding": ("funding", "")}


def app_ready(app: str) -> bool:
    """Whether `app` answers the dashboards (has a `dashboard` module)."""
    return importlib.util.find_spec(f"{app}.dashboard") is not None


def app_function(app: str, name: str):
    """`app.dashboard.<name>`, or None while the app does not offer it."""
    if not app_ready(app):
        return None
    return getattr(importlib.import_module(f"{app}.dashboard"), name, None)


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


def _waiting(key: str, title: str, feature: str) -> Panel:
    return Panel(key=key, title=title, waiting=WAITING[feature])


def _date(value) -> str:
    return f"{timezone.localtime(value):%a %-d %b %Y}" if isinstance(value, datetime) else f"{value:%a %-d %b %Y}"


# --- The programme manager ---------------------------------------------------------------------


def manager_dashboard(request, now: datetime | None = None) -> str:
    """The body of the programme manager's /manage/, as HTML: kept for the day until anything it
    shows changes (the clock's own changes, such as a deadline passing at 17:00, show within the
    cache's ten minutes)."""
    now = now or timezone.now()

    def build():
        attention = manager_attention(now)
        return {
            "attention_left": attention[::2],
            "attention_right": attention[1::2],
            "attention_count": sum(panel.count for panel in attention),
            "figures": manager_figures(now),
        } | partners_panels.directory_counts()

    return caching.fragment(
        request,
        "manager-dashboard",
        ("manager", timezone.localdate(now)),
        TOPICS,
        "reports/_manager_dashboard.html",
        build,
    )


def manager_attention(now: datetime | None = None) -> list[Panel]:
    now = now or timezone.now()
    panels = [
        _papers_panel(now),
        _agendas_panel(now),
        _minutes_panel(now),
        _actions_panel(now),
    ]
    panels += _feature_panels("funding", "manager_panels", now, [("bids", "Bids due and claims")])
    panels += _feature_panels(
        "delivery", "manager_panels", now, [("projects", "Projects at amber or red, and updates missing")]
    )
    panels += _feature_panels("strategy", "manager_panels", now, [("endorsements", "Endorsements outstanding")])
    panels += [_invitations_panel(), _failed_documents_panel()]
    return panels


def feature_function(feature: str, name: str):
    """The function answering `name` for a feature (e.g. the delivery plan's `manager_panels` is
    `strategy.dashboard.delivery_manager_panels`), or None while it is not built."""
    app, prefix = FEATURES[feature]
    return app_function(app, prefix + name)


def _feature_panels(feature: str, name: str, now, placeholders: list[tuple[str, str]], **kwargs) -> list[Panel]:
    answer = feature_function(feature, name)
    if answer is None:
        return [_waiting(key, title, feature) for key, title in placeholders]
    return answer(now=now, **kwargs)


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
    from reports.documents import failed_documents

    rows += [
        Row(
            text=str(document.report),
            url=reverse("reports:body", args=[document.report.body.slug]),
            detail=document.error[:160],
        )
        for document in failed_documents()
    ]
    return _list_panel("documents", "Documents that failed to build", rows, "Every document built.")


def manager_figures(now: datetime | None = None) -> dict:
    """The charts under the to-do lists."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = meetings_panels.attendance_by_organisation(today - ATTENDANCE_YEAR, today)
    figures = {
        "attendance_by_organisation": attendance_chart(
            "attendance-organisation",
            "Attendance by organisation, last 12 months"
            + (f": the {ORGANISATIONS_SHOWN} lowest" if len(rows) > ORGANISATIONS_SHOWN else ""),
            sorted(rows, key=lambda row: (row.rate, row.label))[:ORGANISATIONS_SHOWN]
            if len(rows) > ORGANISATIONS_SHOWN
            else rows,
        ),
        "attendance_by_sector": attendance_chart(
            "attendance-sector", "Attendance by sector, last 12 months", meetings_panels.attendance_by_sector(rows)
        ),
        "charts": [],
        "waiting": [],
    }
    for feature, title in [("funding", "Funding pipeline by stage"), ("delivery", "Projects by stage and RAG")]:
        charts = feature_function(feature, "manager_charts")
        if charts is None:
            figures["waiting"].append(_waiting(f"{feature}-figures", title, feature))
        else:
            figures["charts"] += charts(now=now)
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
    if now - last.seen_at < TOUCH_EVERY:
        return last.previous  # a reload: nothing to write
    if now - last.seen_at > LOOK_GAP:
        last.previous = last.seen_at
    last.seen_at = now
    last.save(update_fields=["seen_at", "previous"])
    return last.previous


def member_dashboard(request, now: datetime | None = None) -> str:
    """The body of a member's or partner officer's /dashboard/, as HTML: kept per person and per
    look (what is new depends on when they last looked) until anything it shows changes."""
    from partners.permissions import is_programme_manager

    user, now = request.user, now or timezone.now()
    since = look(user, now)
    audience = (user.pk, since.isoformat() if since else "first", timezone.localdate(now), is_programme_manager(user))
    return caching.fragment(
        request,
        "member-dashboard",
        audience,
        TOPICS,
        "reports/_member_dashboard.html",
        lambda: _member_dashboard(user, since, now),
    )


def _member_dashboard(user, since, now) -> dict:
    meetings = meetings_panels.next_meetings_for_member(user, since=since, now=now)
    papers, papers_total = meetings_panels.papers_to_read(user, since=since, now=now)
    actions, actions_total = meetings_panels.open_actions_of(user)
    context = partners_panels.seats_of(user, timezone.localdate(now)) | {
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
        mine = {"organisation": user.organisation}
        context["organisation_panels"] = [
            *_feature_panels(
                "strategy", "organisation_panels", now, [("endorsement", "My organisation's endorsement")], **mine
            ),
            *_feature_panels(
                "delivery", "organisation_panels", now, [("projects", "My organisation's projects")], **mine
            ),
            *_feature_panels(
                "funding",
                "organisation_panels",
                now,
                [("contributions", "My organisation's contributions to bids")],
                **mine,
            ),
        ]
    return context

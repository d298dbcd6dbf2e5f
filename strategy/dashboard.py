"""What the strategy app tells the dashboards and Board reports (see reports/dashboards.py for
what each function is for): where each partner stands with the strategy, as `services.adoption`
works it out, so "endorsed" means here what it means on /strategy/.

The delivery plan's functions are `delivery_*` (reports.dashboards.FEATURES): the programme
manager's projects at amber or red or without a recent update, and projects by stage and RAG, read
through strategy.delivery.portfolio as the delivery pages read them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from diz_portal.charts import BarChart, Segment
from reports.dashboards import Panel, Row
from reports.registers import Column, Register
from strategy.models import PUBLIC_VERSION_STATUSES, Endorsement, Strategy, VersionStatus
from strategy.permissions import version_statuses_for
from strategy.services import adoption

LIST_LIMIT = 8
# Partners read consultation versions as well as final ones; drafts are the programme manager's.
PARTNER_STATUSES = PUBLIC_VERSION_STATUSES | {VersionStatus.CONSULTATION}


def _next_step(standing) -> str:
    endorsement = standing.endorsement
    parts = [standing.label]
    if endorsement.deciding_body:
        parts.append(endorsement.deciding_body)
    if endorsement.scheduled_for and not endorsement.has_outcome:
        parts.append(f"next on {endorsement.scheduled_for:%-d %b %Y}")
    return ", ".join(parts)


def manager_panels(*, now: datetime | None = None) -> list[Panel]:
    """Partners whose endorsement of the version that counts is still to come, overdue first."""
    strategy = Strategy.current()
    title = "Endorsements outstanding or overdue"
    if strategy is None:
        return [Panel(key="endorsements", title=title, empty="There is no strategy to endorse yet.")]
    outstanding = sorted((s for s in adoption(strategy).standings if not s.counts), key=lambda s: s.chase_rank)
    rows = [
        Row(
            text=standing.organisation.name,
            url=reverse("strategy:partner", kwargs={"slug": standing.organisation.slug}),
            detail=_next_step(standing),
            tag="Overdue" if standing.endorsement.is_overdue else "",
            tag_colour="red",
        )
        for standing in outstanding[:LIST_LIMIT]
    ]
    return [
        Panel(
            key="endorsements",
            title=title,
            rows=rows,
            count=len(outstanding),
            more_url=reverse("manage_strategy:tracker"),
            more_text="The endorsement tracker",
            empty="Every partner has endorsed the strategy.",
        )
    ]


def organisation_panels(*, now: datetime | None = None, organisation) -> list[Panel]:
    """Where `organisation` stands, and what it needs to do next."""
    title = "My organisation's endorsement of the strategy"
    strategy = Strategy.current()
    standing = adoption(strategy, statuses=PARTNER_STATUSES).standing_of(organisation.pk) if strategy else None
    if standing is None:
        return [Panel(key="endorsement", title=title, empty="Your organisation has not been asked to endorse it.")]
    link = reverse("strategy:partner", kwargs={"slug": organisation.slug})
    if standing.counts:
        rows = [Row(text=standing.label, url=link, tag="Done", tag_colour="green")]
    else:
        rows = [
            Row(
                text="Record your organisation's decision",
                url=link,
                detail=_next_step(standing),
                tag="Overdue" if standing.endorsement.is_overdue else "To do",
                tag_colour="red" if standing.endorsement.is_overdue else "yellow",
            )
        ]
    return [Panel(key="endorsement", title=title, rows=rows, count=0 if standing.counts else 1)]


def report_endorsement(*, start: date, end: date, body) -> dict:
    """The strategy's endorsement for a Board report: every partner's standing now, and the
    decisions partners took in the period."""
    strategy = Strategy.current()
    if strategy is None:
        return {"paragraphs": ["There is no strategy to endorse yet."], "tables": []}
    found = adoption(strategy, statuses=PARTNER_STATUSES)
    standings = [
        [
            s.organisation.name,
            s.label,
            s.endorsement.deciding_body,
            _date(s.endorsement.decision_date or s.endorsement.scheduled_for),
        ]
        for s in found.standings
    ]
    decided = [
        s for s in found.standings if s.endorsement.decision_date and start <= s.endorsement.decision_date <= end
    ]
    return {
        "paragraphs": [found.headline + "."],
        "tables": [
            {
                "heading": "Where each partner stands",
                "caption": "Each partner's latest endorsement: its status, deciding body and date",
                "columns": ["Partner", "Status", "Deciding body", "Decided or next"],
                "rows": standings,
                "empty": "No partner has been asked to endorse the strategy yet.",
            },
            {
                "heading": "Decisions in the period",
                "caption": "Endorsement decisions partners took in the period",
                "columns": ["Partner", "Outcome", "Version", "Date"],
                "rows": [
                    [
                        s.organisation.name,
                        s.endorsement.get_status_display(),
                        s.endorsement.version.label,
                        _date(s.endorsement.decision_date),
                    ]
                    for s in decided
                ],
                "empty": "No partner took a decision in the period.",
            },
        ],
    }


def _date(value) -> str:
    return f"{value:%-d %b %Y}" if value else ""


def _endorsements(user):
    strategy = Strategy.current()
    if strategy is None:
        return Endorsement.objects.none()
    return (
        Endorsement.objects.for_strategy(strategy)
        .filter(version__status__in=version_statuses_for(user))
        .order_by("organisation__name", "version__created_at")
    )


REGISTERS = [
    Register(
        key="endorsements",
        title="Endorsements",
        app="strategy",
        rows=_endorsements,
        columns=[
            Column("Partner", lambda e: e.organisation.name),
            Column("Version", lambda e: e.version.label),
            Column("Status", lambda e: e.get_status_display()),
            Column("Deciding body", lambda e: e.deciding_body),
            Column("Next date", lambda e: e.scheduled_for, "date"),
            Column("Decision date", lambda e: e.decision_date, "date"),
            Column("Resolution", lambda e: e.resolution),
            Column("Amendments", lambda e: e.amendments),
            Column("Evidence", lambda e: e.evidence_url),
        ],
    )
]


# A live project with no progress update for this long is chased (updates are monthly).
UPDATE_DUE = timedelta(days=35)


def _live_portfolio():
    from strategy.delivery import portfolio
    from strategy.models import Project

    return portfolio(Project.objects.live())


def delivery_manager_panels(*, now: datetime | None = None) -> list[Panel]:
    """Live projects at amber or red, and those whose last update is older than a month."""
    now = now or timezone.now()
    rows_needing = []
    for row in _live_portfolio():
        project, latest = row.project, row.latest_update
        stale = latest is None or latest.posted_at < now - UPDATE_DUE
        if project.rag in ("amber", "red") or stale:
            detail = project.rag_reason[:120] if project.rag in ("amber", "red") else ""
            if stale:
                detail = (detail + "; " if detail else "") + (
                    "no update yet"
                    if latest is None
                    else f"last update {timezone.localtime(latest.posted_at):%-d %b %Y}"
                )
            rows_needing.append(
                Row(
                    text=project.title,
                    url=project.get_absolute_url(),
                    detail=detail,
                    tag=project.get_rag_display(),
                    tag_colour={"red": "red", "amber": "orange"}.get(project.rag, "green"),
                )
            )
    rows_needing.sort(key=lambda r: {"Red": 0, "Amber": 1}.get(r.tag, 2))
    return [
        Panel(
            key="projects",
            title="Projects at amber or red, and updates missing",
            rows=rows_needing[:LIST_LIMIT],
            count=len(rows_needing),
            empty="Every live project is green and up to date.",
        )
    ]


def delivery_manager_charts(*, now: datetime | None = None) -> list[BarChart]:
    """Live projects by stage, each bar split by RAG."""
    from strategy.models import Rag, Stage

    rows = _live_portfolio()
    colours = {"green": "green", "amber": "amber", "red": "red"}
    bars, table = [], []
    for stage, label in Stage.choices:
        if stage == Stage.CLOSED:
            continue
        counts = {rag: sum(1 for r in rows if r.project.stage == stage and r.project.rag == rag) for rag in Rag.values}
        bars.append((label, [Segment(counts[rag], colours[rag], Rag(rag).label) for rag in Rag.values]))
        table.append([counts[rag] for rag in Rag.values] + [sum(counts.values())])
    return [
        BarChart(
            key="projects-by-stage",
            title="Live projects by stage and RAG",
            bars=bars,
            columns=[*Rag.labels, "All"],
            table=table,
            legend=[Segment(0, colours[rag], Rag(rag).label) for rag in Rag.values],
            empty="No live projects.",
        )
    ]


def delivery_organisation_panels(*, now: datetime | None = None, organisation) -> list[Panel]:
    """Live projects `organisation` leads or joins, each with its RAG status."""
    from strategy.models import Project

    projects = list(
        Project.objects.live()
        .filter(Q(lead_organisation=organisation) | Q(partner_roles__organisation=organisation))
        .distinct()
        .for_lists()
        .order_by("workstream__title", "title")
    )
    rows = [
        Row(
            text=project.title,
            url=project.get_absolute_url(),
            detail="leads" if project.lead_organisation_id == organisation.pk else "a partner",
            tag=project.get_rag_display(),
            tag_colour={"red": "red", "amber": "orange"}.get(project.rag, "green"),
        )
        for project in projects[:LIST_LIMIT]
    ]
    return [
        Panel(
            key="projects",
            title="My organisation's projects",
            rows=rows,
            count=0,  # for information
            empty="Your organisation leads or joins no live project.",
        )
    ]


def delivery_report(*, start: date, end: date, body) -> dict:
    """The delivery plan for a Board report: live projects by workstream with stage, RAG and next
    milestone; milestones met and slipped in the period; the highest open risks."""
    from strategy.delivery import top_risks
    from strategy.models import Milestone, Project

    rows = sorted(_live_portfolio(), key=lambda r: (r.project.workstream.title, r.project.title))
    milestones = Milestone.objects.filter(project__in=Project.objects.live()).select_related("project")
    met = milestones.filter(done_date__range=(start, end)).order_by("done_date")
    slipped = [
        m
        for m in milestones.filter(due_date__range=(start, end))
        if m.due_date > m.baseline_date or (m.done_date is None and m.due_date < timezone.localdate())
    ]
    risks = [
        [workstream.title, risk.project.title, risk.description[:160], risk.score]
        for workstream, items in top_risks(Project.objects.live())
        for risk in items
    ]
    return {
        "paragraphs": [f"{len(rows)} live projects."],
        "tables": [
            {
                "heading": "Projects by workstream",
                "caption": "Live projects: workstream, stage, RAG status and next milestone",
                "columns": ["Project", "Workstream", "Stage", "RAG", "Next milestone"],
                "rows": [
                    [
                        r.project.title,
                        r.project.workstream.title,
                        r.project.get_stage_display(),
                        r.project.get_rag_display(),
                        f"{r.next_milestone.title}, {_date(r.next_milestone.due_date)}" if r.next_milestone else "",
                    ]
                    for r in rows
                ],
                "empty": "No live project.",
            },
            {
                "heading": "Milestones met in the period",
                "caption": "Milestones done in the period",
                "columns": ["Milestone", "Project", "Done"],
                "rows": [[m.title, m.project.title, _date(m.done_date)] for m in met],
                "empty": "No milestone was met in the period.",
            },
            {
                "heading": "Milestones slipped",
                "caption": "Milestones due in the period that moved from their first date or are late",
                "columns": ["Milestone", "Project", "First planned", "Now due"],
                "rows": [[m.title, m.project.title, _date(m.baseline_date), _date(m.due_date)] for m in slipped],
                "empty": "No milestone slipped in the period.",
            },
            {
                "heading": "Highest open risks",
                "caption": "The highest-scoring open risks and issues of each workstream",
                "columns": ["Workstream", "Project", "Risk", "Score"],
                "numeric": [3],
                "rows": risks,
                "empty": "No open risk.",
            },
        ],
    }


def _projects(user):
    from strategy.models import Project

    return Project.objects.visible_to(user).for_lists().order_by("workstream__title", "title")


def _milestones(user):
    from strategy.models import Milestone

    return (
        Milestone.objects.filter(project__in=_projects(user))
        .select_related("project")
        .order_by("project__title", "due_date")
    )


REGISTERS += [
    Register(
        key="projects",
        title="Projects",
        app="strategy",
        rows=_projects,
        columns=[
            Column("Project", lambda p: p.title),
            Column("Workstream", lambda p: p.workstream.title),
            Column("Lead", lambda p: p.lead_organisation.name),
            Column("Stage", lambda p: p.get_stage_display()),
            Column("RAG", lambda p: p.get_rag_display()),
            Column("Starts", lambda p: p.start_date, "date"),
            Column("Ends", lambda p: p.end_date, "date"),
            Column("Budget", lambda p: p.budget, "money"),
            Column("Spend", lambda p: p.spend, "money"),
        ],
    ),
    Register(
        key="milestones",
        title="Milestones",
        app="strategy",
        rows=_milestones,
        columns=[
            Column("Milestone", lambda m: m.title),
            Column("Project", lambda m: m.project.title),
            Column("First planned", lambda m: m.baseline_date, "date"),
            Column("Due", lambda m: m.due_date, "date"),
            Column("Done", lambda m: m.done_date, "date"),
            Column("Status", lambda m: m.get_status_display()),
        ],
    ),
]

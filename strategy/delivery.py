"""Use-cases for the delivery plan: workstreams, projects, milestones, the RAID log, progress
updates, ideas and their scores, and the views of it all the Board reads (portfolio, roadmap).

Kept beside services.py (the strategy's own use-cases) because the delivery plan is a domain of its
own with the same rules of the house: each use-case checks its rules, writes in one transaction,
records who did it (history), and leaves nothing written when it refuses."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify

from partners.models import Organisation
from strategy.models import (
    CRITERIA,
    CRITERIA_NAMES,
    AgendaLink,
    CriteriaWeights,
    Idea,
    IdeaStatus,
    Milestone,
    MilestoneStatus,
    Period,
    ProgressUpdate,
    Project,
    ProjectPartner,
    ProjectVisibility,
    Rag,
    Risk,
    Score,
    Stage,
    Workstream,
    quarter_label,
    quarter_of,
    quarter_start,
)
from strategy.permissions import can_score_ideas, can_update_project, is_partner, is_programme_manager


def _as(instance, by):
    instance._history_user = by
    return instance


def _manager_only(by) -> None:
    if not is_programme_manager(by):
        raise PermissionDenied("Only the programme manager plans the delivery programme.")


# Addresses under /projects/ that a project's slug must not take.
RESERVED_SLUGS = {"portfolio", "roadmap", "ideas"}


def unique_slug(model, title: str, *, exclude_pk=None) -> str:
    base = slugify(title)[:70] or "item"
    if base in RESERVED_SLUGS:
        base = f"{base}-project"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- Workstreams and projects ----------------------------------------------------------------


def save_workstream(*, workstream: Workstream, by) -> Workstream:
    _manager_only(by)
    if not workstream.slug:
        workstream.slug = unique_slug(Workstream, workstream.title, exclude_pk=workstream.pk)
    workstream.full_clean()
    _as(workstream, by).save()
    return workstream


def milestones_outside(project: Project, start: date | None, end: date | None) -> list[Milestone]:
    if project.pk is None:
        return []
    return [
        m
        for m in project.milestones.exclude(status=MilestoneStatus.CANCELLED)
        if (start and m.due_date < start) or (end and m.due_date > end)
    ]


def save_project(
    *,
    project: Project,
    by,
    partners: list[tuple[Organisation, str]] | None = None,
    approved_by=None,
    move_milestones: bool = False,
) -> Project:
    """Create or change a project. Refuses (nothing written): amber or red without a reason, a lead
    organisation that is not an active partner, a negative budget or spend, an end before the
    start, and dates that leave milestones outside them unless `move_milestones` says to move
    them (to the nearest new date; their baseline stays, so the slip shows)."""
    _manager_only(by)
    if not project.slug:
        project.slug = unique_slug(Project, project.title, exclude_pk=project.pk)
    project.full_clean(exclude=["from_idea"])
    outside = milestones_outside(project, project.start_date, project.end_date)
    if outside and not move_milestones:
        names = ", ".join(f"“{m.title}” ({m.due_date:%-d %B %Y})" for m in outside[:3])
        raise ValidationError(
            {
                "move_milestones": f"{len(outside)} milestone{'s' if len(outside) > 1 else ''} would fall outside "
                f"the new dates: {names}. Say whether to move them to the nearest new date."
            }
        )
    with transaction.atomic():
        _as(project, by).save()
        if approved_by is not None:
            project.approved_by.set(approved_by)
        for milestone in outside:
            milestone.due_date = min(
                max(milestone.due_date, project.start_date or date.min), project.end_date or date.max
            )
            _as(milestone, by).save(update_fields=["due_date"])
        if partners is not None:
            keep = {organisation.pk for organisation, _role in partners}
            for role in project.partner_roles.exclude(organisation_id__in=keep):
                _as(role, by).delete()
            for organisation, role in partners:
                row = ProjectPartner.objects.filter(project=project, organisation=organisation).first()
                row = row or ProjectPartner(project=project, organisation=organisation)
                if row.role != role:
                    row.role = role
                    _as(row, by).save()
    return project


def _check_in_dates(project: Project, due: date, field_name: str = "due_date") -> None:
    if project.start_date and due < project.start_date:
        raise ValidationError(
            {field_name: f"The project starts on {project.start_date:%-d %B %Y}: a milestone cannot be due before."}
        )
    if project.end_date and due > project.end_date:
        raise ValidationError(
            {field_name: f"The project ends on {project.end_date:%-d %B %Y}: a milestone cannot be due after."}
        )


def add_milestone(*, project: Project, title: str, due_date: date, by) -> Milestone:
    _manager_only(by)
    if not title.strip():
        raise ValidationError({"title": "Enter what the milestone is."})
    _check_in_dates(project, due_date)
    milestone = Milestone(project=project, title=title.strip(), due_date=due_date, baseline_date=due_date)
    _as(milestone, by).save()
    return milestone


def update_milestone(
    *, milestone: Milestone, due_date: date, status: str, done_date: date | None = None, by
) -> Milestone:
    """Move or complete a milestone. Its baseline never moves: the slip is measured from it."""
    _manager_only(by)
    _check_in_dates(milestone.project, due_date)
    if status == MilestoneStatus.DONE:
        done_date = done_date or timezone.localdate()
        if done_date > timezone.localdate():
            raise ValidationError({"done_date": "A milestone is done on a day that has come: not in the future."})
    else:
        done_date = None
    milestone.due_date, milestone.status, milestone.done_date = due_date, status, done_date
    _as(milestone, by).save(update_fields=["due_date", "status", "done_date"])
    return milestone


def save_risk(*, risk: Risk, by) -> Risk:
    if not can_update_project(by, risk.project):
        raise PermissionDenied("Only the lead organisation's officers or the programme manager keep the RAID log.")
    risk.full_clean()
    _as(risk, by).save()
    return risk


# --- Progress updates ------------------------------------------------------------------------


def period_start_for(period: str, day: date) -> date:
    if period == Period.QUARTER:
        year, quarter = quarter_of(day)
        return quarter_start(year, quarter)
    return day.replace(day=1)


def post_update(
    *,
    project: Project,
    by,
    period: str,
    period_start: date,
    rag: str,
    rag_reason: str = "",
    narrative: str,
    next_steps: str = "",
    met: list[Milestone] = (),
    slipped: list[Milestone] = (),
) -> ProgressUpdate:
    """Post (or correct) the project's update for a period, and set the project's RAG from it.

    Refuses (nothing written): anyone but the lead organisation's officers and the programme
    manager; a period that has not started; amber or red without a reason; milestones of another
    project."""
    if not can_update_project(by, project):
        raise PermissionDenied("Only the lead organisation's officers or the programme manager post updates.")
    start = period_start_for(period, period_start)
    errors = {}
    if start > timezone.localdate():
        errors["period_start"] = "That period has not started yet: report on it once it has."
    if rag in (Rag.AMBER, Rag.RED) and not rag_reason.strip():
        errors["rag_reason"] = f"Say why the project is {Rag(rag).label.lower()}."
    if not narrative.strip():
        errors["narrative"] = "Say how the project went in the period."
    if any(m.project_id != project.pk for m in [*met, *slipped]):
        errors["milestones_met"] = "Choose milestones of this project."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        update = ProgressUpdate.objects.filter(project=project, period=period, period_start=start).first()
        update = update or ProgressUpdate(project=project, period=period, period_start=start)
        update.rag, update.rag_reason = rag, rag_reason.strip()
        update.narrative, update.next_steps = narrative.strip(), next_steps.strip()
        update.posted_by, update.posted_at = by, timezone.now()
        _as(update, by).save()
        update.milestones_met.set(met)
        update.milestones_slipped.set(slipped)
        latest = project.updates.order_by("-period_start", "-posted_at").first()
        if latest == update and (project.rag, project.rag_reason) != (rag, update.rag_reason):
            project.rag, project.rag_reason = rag, update.rag_reason
            _as(project, by).save(update_fields=["rag", "rag_reason"])
    return update


# --- Ideas -----------------------------------------------------------------------------------


def propose_idea(*, title: str, problem: str, beneficiaries: str, sponsor: str, by) -> Idea:
    if not is_partner(by) or not getattr(by, "organisation_id", None):
        raise PermissionDenied("Ideas come from people who work for a partner.")
    idea = Idea(
        title=title.strip(),
        problem=problem.strip(),
        beneficiaries=beneficiaries.strip(),
        sponsor=sponsor.strip(),
        organisation_id=by.organisation_id,
        proposed_by=by,
    )
    idea.full_clean()
    _as(idea, by).save()
    return idea


def score_idea(*, idea: Idea, by, marks: dict[str, int], rationales: dict[str, str] | None = None) -> Score:
    """Record (or change) one scorer's marks. Refuses a mark outside 1–5, nothing written."""
    if not can_score_ideas(by):
        raise PermissionDenied("Only the programme manager and the named scorers score ideas.")
    rationales = rationales or {}
    score = Score.objects.filter(idea=idea, scorer=by).first() or Score(idea=idea, scorer=by)
    for name in CRITERIA_NAMES:
        setattr(score, name, marks.get(name))
        setattr(score, f"{name}_rationale", (rationales.get(name) or "").strip())
    score.scored_at = timezone.now()
    score.full_clean(exclude=["idea", "scorer"], validate_unique=False)
    _as(score, by).save()
    return score


def set_weights(*, values: dict[str, int], by) -> CriteriaWeights:
    _manager_only(by)
    weights = CriteriaWeights.current()
    for name in CRITERIA_NAMES:
        setattr(weights, name, values[name])
    weights.full_clean()
    _as(weights, by).save()
    return weights


@dataclass
class RankedIdea:
    idea: Idea
    scores: list[Score]
    means: dict[str, float] = field(default_factory=dict)
    weighted_total: float = 0.0
    spread: int = 0  # between the highest and lowest scorer's total

    @property
    def scorer_count(self) -> int:
        return len(self.scores)


def ranked_ideas(ideas, weights: CriteriaWeights | None = None) -> list[RankedIdea]:
    """Ideas with their scores (prefetched: `ideas` is one query and its scores another), the mean
    of each criterion, the weighted total (the sum of weight × mean) and the spread between
    scorers, highest weighted total first; unscored ideas last."""
    weights = weights or CriteriaWeights.current()
    ranked = [
        rank(idea, list(idea.scores.all()), weights)
        for idea in ideas.prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("scorer")))
    ]
    ranked.sort(key=lambda r: (not r.scores, -r.weighted_total, r.idea.title))
    return ranked


def rank(idea: Idea, scores: list[Score], weights: CriteriaWeights) -> RankedIdea:
    """One idea's means, weighted total and spread, from its scores."""
    row = RankedIdea(idea=idea, scores=scores)
    if scores:
        values = weights.as_dict()
        row.means = {name: statistics.fmean(getattr(s, name) for s in scores) for name in CRITERIA_NAMES}
        row.weighted_total = round(sum(values[n] * row.means[n] for n in CRITERIA_NAMES), 2)
        totals = [s.total for s in scores]
        row.spread = max(totals) - min(totals)
    return row


def promote_idea(*, idea: Idea, workstream: Workstream, lead_organisation: Organisation, by) -> Project:
    """The idea becomes a project at assessment, for partners only until it is ready to be public;
    its title, problem, beneficiaries and sponsor carry over."""
    _manager_only(by)
    with transaction.atomic():
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        if idea.status == IdeaStatus.PROMOTED:
            raise ValidationError("This idea is a project already.")
        project = Project(
            title=idea.title,
            summary=f"{idea.problem}\n\nWho benefits: {idea.beneficiaries}\n\nSponsor: {idea.sponsor}",
            workstream=workstream,
            lead_organisation=lead_organisation,
            stage=Stage.ASSESSMENT,
            visibility=ProjectVisibility.PARTNERS,
            from_idea=idea,
        )
        save_project(project=project, by=by)
        idea.status = IdeaStatus.PROMOTED
        _as(idea, by).save(update_fields=["status"])
    return project


# --- What the Board reads --------------------------------------------------------------------


@dataclass
class PortfolioRow:
    project: Project
    next_milestone: Milestone | None
    latest_update: ProgressUpdate | None


def portfolio(projects) -> list[PortfolioRow]:
    """Every project with its next milestone and latest update, in three queries."""
    projects = list(
        projects.for_lists().prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date")),
            Prefetch("updates", queryset=ProgressUpdate.objects.order_by("-period_start", "-posted_at")),
        )
    )
    rows = []
    for project in projects:
        upcoming = [
            m for m in project.milestones.all() if m.status not in (MilestoneStatus.DONE, MilestoneStatus.CANCELLED)
        ]
        updates = list(project.updates.all())
        rows.append(PortfolioRow(project, upcoming[0] if upcoming else None, updates[0] if updates else None))
    return rows


STAGE_ORDER = [s.value for s in Stage]
RAG_ORDER = [r.value for r in Rag]


def counts_by(rows: list[PortfolioRow], attribute: str, order: list[str], labels) -> list[tuple[str, str, int]]:
    counted = Counter(getattr(row.project, attribute) for row in rows)
    return [(value, labels(value).label, counted.get(value, 0)) for value in order]


def rag_over_time(projects, *, periods: int = 6, today: date | None = None) -> list[tuple[str, dict[str, int]]]:
    """For each of the last `periods` months: how many projects reported green, amber and red."""
    today = today or timezone.localdate()
    months = []
    day = today.replace(day=1)
    for _ in range(periods):
        months.append(day)
        day = (day - timedelta(days=1)).replace(day=1)
    months.reverse()
    updates = ProgressUpdate.objects.filter(project__in=projects, period=Period.MONTH, period_start__gte=months[0])
    table = {month: Counter() for month in months}
    for period_start, rag in updates.values_list("period_start", "rag"):
        if period_start in table:
            table[period_start][rag] += 1
    return [(month.strftime("%b %Y"), {r: table[month].get(r, 0) for r in RAG_ORDER}) for month in months]


@dataclass
class RoadmapRow:
    workstream: Workstream
    cells: list[list[Milestone]]


def roadmap_quarters(year: int) -> list[tuple[int, int, str]]:
    return [(year, q, quarter_label(quarter_start(year, q))) for q in (1, 2, 3, 4)]


def roadmap(projects, year: int) -> list[RoadmapRow]:
    """Milestones of `projects` due in financial year `year`, by workstream and quarter."""
    start, end = quarter_start(year, 1), quarter_start(year + 1, 1)
    milestones = (
        Milestone.objects.filter(project__in=projects, due_date__gte=start, due_date__lt=end)
        .exclude(status=MilestoneStatus.CANCELLED)
        .select_related("project__workstream")
        .order_by("due_date")
    )
    rows: dict[int, RoadmapRow] = {}
    for workstream in Workstream.objects.all():
        rows[workstream.pk] = RoadmapRow(workstream, [[], [], [], []])
    for milestone in milestones:
        _year, quarter = quarter_of(milestone.due_date)
        rows[milestone.project.workstream_id].cells[quarter - 1].append(milestone)
    return [row for row in rows.values() if any(row.cells)]


def top_risks(projects, *, per_workstream: int = 3) -> list[tuple[Workstream, list[Risk]]]:
    """The highest open risks and issues of `projects`, rolled up to their workstreams."""
    risks = (
        Risk.objects.filter(project__in=projects, status="open")
        .select_related("project__workstream", "owner")
        .order_by("project__workstream__aim", "project__workstream__title")
    )
    grouped: dict[int, tuple[Workstream, list[Risk]]] = {}
    for risk in risks:
        workstream = risk.project.workstream
        grouped.setdefault(workstream.pk, (workstream, []))[1].append(risk)
    return [
        (workstream, sorted(items, key=lambda r: (-r.score, r.pk))[:per_workstream])
        for workstream, items in grouped.values()
    ]


# --- The strategy's launch -------------------------------------------------------------------

LAUNCH_TITLE = "Strategy launch event"


def propose_launch_milestone(*, strategy, by=None) -> Milestone | None:
    """When every partner has endorsed: a launch-event milestone, eight weeks on, in the project that
    carries the launch (made for partners only if there is none yet). Once per strategy version."""
    workstream = Workstream.objects.order_by("aim", "position").first()
    if workstream is None:
        return None
    project = Project.objects.filter(slug=f"{strategy.slug}-launch").first()
    if project is None:
        project = Project(
            title=f"Launch of the {strategy.title}",
            slug=f"{strategy.slug}-launch",
            summary="A high-profile launch event to raise the identity, visibility and positioning of the "
            "partnership and promote the strategy to Government and key industry stakeholders.",
            workstream=workstream,
            lead_organisation=workstream.lead_organisation,
            stage=Stage.ASSESSMENT,
            visibility=ProjectVisibility.PARTNERS,
        )
        project.full_clean(exclude=["from_idea"])
        _as(project, by).save()
    title = f"{LAUNCH_TITLE}: {strategy.all_endorsed_version.label if strategy.all_endorsed_version else ''}".rstrip(
        ": "
    )
    existing = project.milestones.filter(is_launch=True, title=title).first()
    if existing:
        return existing
    due = timezone.localdate() + timedelta(weeks=8)
    milestone = Milestone(project=project, title=title, due_date=due, baseline_date=due, is_launch=True)
    _as(milestone, by).save()
    return milestone


def criteria_labels() -> list[tuple[str, str, str]]:
    return CRITERIA


# --- Agenda items about the strategy or a project --------------------------------------------


def link_agenda_item(*, item, version=None, project=None, by) -> AgendaLink:
    """Say that an agenda item is about a strategy version or a project (one link per item: linking
    again replaces it)."""
    _manager_only(by)
    link = AgendaLink.objects.filter(item=item).first() or AgendaLink(item=item)
    link.version, link.project = version, project
    link.full_clean(exclude=["item"])
    _as(link, by).save()
    return link


def link_status(link: AgendaLink, when) -> list[str]:
    """What the meeting's page and pack say about a linked item, as things stood at `when` (the
    agenda's publication, or now for a draft). A public item says nothing of a partners-only
    project or a version that was not yet public: whoever reads the item may read this."""
    from strategy.models import PUBLIC_VERSION_STATUSES
    from strategy.services import adoption_as_of

    lines = []
    public_item = link.item.visibility == "public"
    version_was_public = False
    if link.version_id:
        then = (
            link.version.history.as_of(when) if link.version.history.filter(history_date__lte=when).exists() else None
        )
        version_was_public = then is not None and then.status in PUBLIC_VERSION_STATUSES
    if link.version_id and (version_was_public or not public_item):
        state = adoption_as_of(link.version.strategy, when)
        lines.append(f"{link.version.strategy.title}, version {link.version.label}: {state.headline}.")
    if link.project_id and (link.project.is_public or not public_item):
        project = link.project.history.as_of(when)
        update = link.project.updates.filter(posted_at__lte=when).order_by("-period_start", "-posted_at").first()
        line = f"{project.title}: {project.get_stage_display()}, RAG {project.get_rag_display().lower()}"
        if project.rag_reason:
            line += f" ({project.rag_reason})"
        if update:
            line += f". Latest update, {update.period_label}: {update.narrative}"
        lines.append(line + ("" if line.endswith(".") else "."))
    return lines

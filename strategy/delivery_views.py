"""The delivery plan's pages: /projects/ (public projects, filterable), a page per project with its
milestones, progress trail and RAG history, the portfolio for the Board, the roadmap by quarter (and
its PDF), ideas and their scores; and the programme manager's planning pages under
/manage/strategy/. Partners-only projects never reach a public page, feed or export."""

from __future__ import annotations

import csv
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST

from diz_portal import caching
from diz_portal.caching import public_page
from diz_portal.forms import apply_validation_error
from diz_portal.models import DocumentStatus
from meetings.permissions import decisions_visible_to
from partners.models import Partnership
from partners.permissions import programme_manager_required
from strategy import delivery, documents
from strategy.delivery_forms import (
    AgendaLinkForm,
    IdeaForm,
    MilestoneChangeForm,
    MilestoneForm,
    PartnerRoleForm,
    ProjectFilterForm,
    ProjectForm,
    PromoteForm,
    RiskForm,
    ScoreForm,
    UpdateForm,
    WeightsForm,
    WorkstreamForm,
)
from strategy.models import (
    CRITERIA,
    CriteriaWeights,
    Idea,
    ProgressUpdate,
    Project,
    ProjectPartner,
    Rag,
    Risk,
    Score,
    Stage,
    Workstream,
    financial_year,
)
from strategy.permissions import (
    can_score_ideas,
    can_update_project,
    get_idea_for_user,
    get_milestone_for_management,
    get_project_for_management,
    get_project_for_update,
    get_project_for_user,
    get_risk_for_update,
    is_partner,
    is_programme_manager,
    projects_for,
)


def _aims() -> list[str]:
    return Partnership.current().aims or []


def _aim_text(aims, number: int) -> str:
    return aims[number - 1] if 0 < number <= len(aims) else ""


@public_page("strategy", "partners")
def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    projects = projects_for(request.user).for_lists().order_by("title")
    if form.is_valid():
        data = form.cleaned_data
        if data["aim"]:
            projects = projects.filter(workstream__aim=data["aim"])
        if data["stage"]:
            projects = projects.filter(stage=data["stage"])
        if data["district"]:
            projects = projects.filter(
                Q(lead_organisation=data["district"]) | Q(partner_roles__organisation=data["district"])
            ).distinct()
    latest = ProgressUpdate.objects.order_by("-period_start", "-posted_at")
    projects = projects.prefetch_related(Prefetch("updates", queryset=latest))
    rows = [(project, next(iter(project.updates.all()), None)) for project in projects]
    aims = _aims()
    return render(
        request,
        "strategy/projects/list.html",
        {"form": form, "rows": rows, "aims": aims, "aim_text": dict(enumerate(aims, start=1))},
    )


@public_page("strategy", "partners", "meetings")
def project_detail(request, slug):
    project = get_project_for_user(request.user, slug)
    partner_view = is_partner(request.user)

    def build() -> dict:
        return {
            "project": project,
            "aim": _aim_text(_aims(), project.workstream.aim),
            "roles": list(project.partner_roles.select_related("organisation")),
            "milestones": list(project.milestones.all()),
            "updates": list(
                project.updates.select_related("posted_by").prefetch_related("milestones_met", "milestones_slipped")
            ),
            "partner_view": partner_view,
            # Only decisions the public may read (minutes approved, public items), whoever looks.
            "decisions": list(decisions_visible_to(AnonymousUser()).filter(approved_projects=project)),
        }

    # What every viewer of an audience sees alike (the summary, milestones and the progress trail)
    # is kept; the buttons, the RAID log and the history are the viewer's own.
    body = caching.fragment(
        request,
        "project-body",
        (project.pk, partner_view),
        ["strategy", "partners", "meetings"],  # the decisions that approved it are the meetings
        "strategy/projects/_body.html",
        build,
    )
    context = {
        "project": project,
        "body": body,
        "partner_view": partner_view,
        "can_update": can_update_project(request.user, project),
        "is_pm": is_programme_manager(request.user),
    }
    from funding.permissions import can_see_pipeline

    if can_see_pipeline(request.user):  # the funding pipeline is for members and the programme manager
        context["bids"] = list(project.bids.with_related().order_by("-created_at"))
    if partner_view:
        context["risks"] = list(project.risks.select_related("owner"))
        context["changes"] = list(project.history.select_related("history_user").order_by("-history_date")[:30])
    return render(request, "strategy/projects/detail.html", context)


@login_required
def project_update(request, slug):
    project = get_project_for_update(request.user, slug)
    form = UpdateForm(request.POST or None, project=project, initial={"period_start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            delivery.post_update(
                project=project,
                by=request.user,
                period=data["period"],
                period_start=data["period_start"],
                rag=data["rag"],
                rag_reason=data["rag_reason"],
                narrative=data["narrative"],
                next_steps=data["next_steps"],
                met=list(data["milestones_met"]),
                slipped=list(data["milestones_slipped"]),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Your progress update is posted.")
            return redirect(project)
    return render(request, "strategy/projects/update_form.html", {"project": project, "form": form})


@login_required
def risk_edit(request, slug, pk=None):
    project = get_project_for_update(request.user, slug)
    risk = get_risk_for_update(request.user, pk) if pk else Risk(project=project)
    if risk.project_id != project.pk:
        raise Http404
    form = RiskForm(request.POST or None, instance=risk)
    if request.method == "POST" and form.is_valid():
        try:
            delivery.save_risk(risk=form.instance, by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "The RAID log is updated.")
            return redirect(project)
    return render(request, "strategy/projects/risk_form.html", {"project": project, "form": form, "risk": risk})


@login_required
def portfolio(request):
    partner_view = is_partner(request.user)
    if not partner_view:
        raise Http404
    today = timezone.localdate()

    def build() -> dict:
        projects = projects_for(request.user)
        rows = delivery.portfolio(projects.order_by("workstream__aim", "title"))
        by_stage = delivery.counts_by(rows, "stage", delivery.STAGE_ORDER, Stage)
        by_rag = delivery.counts_by(rows, "rag", delivery.RAG_ORDER, Rag)
        over_time = delivery.rag_over_time(projects, today=today)
        return {
            "rows": rows,
            "stage_bars": bars(by_stage),
            "rag_bars": bars(by_rag),
            "over_time": over_time,
            "time_bars": stacked_bars(over_time),
            "risks": delivery.top_risks(projects),
        }

    # Everything on the page is decided by the audience (partners see every project, the public
    # none) and the day (RAG over time ends this month); organisations' names are "partners".
    body = caching.fragment(
        request,
        "portfolio",
        (partner_view, today.isoformat()),
        ["strategy", "partners"],
        "strategy/projects/_portfolio_body.html",
        build,
    )
    return render(request, "strategy/projects/portfolio.html", {"body": body})


CHART_WIDTH = 400  # SVG units for the longest bar


def bars(counts: list[tuple[str, str, int]]) -> list[dict]:
    """Horizontal bars for a server-drawn SVG chart: one per (value, label, count)."""
    top = max([n for _v, _l, n in counts] + [1])
    return [
        {"value": value, "label": label, "count": n, "y": i * 28, "width": round(n / top * CHART_WIDTH)}
        for i, (value, label, n) in enumerate(counts)
    ]


def stacked_bars(over_time: list[tuple[str, dict[str, int]]]) -> list[dict]:
    """One bar per period, its green, amber and red segments side by side."""
    top = max([sum(c.values()) for _p, c in over_time] + [1])
    result = []
    for i, (period, counts) in enumerate(over_time):
        x, segments = 0, []
        for rag in delivery.RAG_ORDER:
            width = round(counts[rag] / top * CHART_WIDTH)
            segments.append({"rag": rag, "x": x, "width": width, "count": counts[rag]})
            x += width
        result.append({"period": period, "y": i * 28, "segments": segments})
    return result


def _roadmap_year(request) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return financial_year(timezone.localdate())


@public_page("strategy", "partners")
def roadmap(request):
    year = _roadmap_year(request)
    if not 2000 <= year <= 2100:
        raise Http404
    audience = "partners" if is_partner(request.user) else "public"
    return render(
        request,
        "strategy/projects/roadmap.html",
        {
            "year": year,
            "quarters": delivery.roadmap_quarters(year),
            "rows": delivery.roadmap(projects_for(request.user), year),
            "document": documents.roadmap_document(year, audience),
            "audience": audience,
        },
    )


@login_required
@require_POST
def roadmap_pdf_request(request):
    year = _roadmap_year(request)
    audience = "partners" if is_partner(request.user) else "public"
    documents.request_roadmap(year=year, audience=audience)
    messages.success(request, "The roadmap PDF is being made. This page shows when it is ready.")
    return redirect(f"{reverse('projects:roadmap')}?year={year}")


def roadmap_pdf(request, year):
    audience = "partners" if is_partner(request.user) else "public"
    document = documents.roadmap_document(year, audience)
    if document is None or document.status != DocumentStatus.READY or not document.file:
        raise Http404
    response = FileResponse(document.file.open("rb"), filename=f"roadmap-fy{year}.pdf")
    if audience != "public":
        patch_cache_control(response, private=True, no_store=True)
    return response


# --- Ideas -----------------------------------------------------------------------------------


@login_required
def idea_list(request):
    partner_view = is_partner(request.user)
    if not partner_view:
        raise Http404
    # The ranking is the same for every partner; the buttons (propose, set the weights) are the viewer's.
    ranking = caching.fragment(
        request,
        "idea-ranking",
        (partner_view,),
        ["strategy", "partners"],  # ideas, scores and weights; the proposers' organisations' names
        "strategy/ideas/_ranked.html",
        lambda: {
            "ranked": delivery.ranked_ideas(Idea.objects.select_related("organisation")),
            "criteria": CRITERIA,
            "weights": CriteriaWeights.current().as_dict(),
        },
    )
    return render(
        request, "strategy/ideas/list.html", {"ranking": ranking, "is_pm": is_programme_manager(request.user)}
    )


@login_required
def idea_new(request):
    if not is_partner(request.user) or not request.user.organisation_id:
        raise Http404
    form = IdeaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            delivery.propose_idea(by=request.user, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Your idea is proposed. The programme manager will score it.")
            return redirect("projects:ideas")
    return render(request, "strategy/ideas/form.html", {"form": form})


@login_required
def idea_detail(request, pk):
    idea = get_idea_for_user(request.user, pk)
    scorer = can_score_ideas(request.user)
    scores = list(idea.scores.select_related("scorer"))
    mine = next((s for s in scores if s.scorer_id == request.user.pk), None)
    initial = {}
    if mine:
        for name, _label, _question in CRITERIA:
            initial[name] = getattr(mine, name)
            initial[f"{name}_rationale"] = getattr(mine, f"{name}_rationale")
    form = ScoreForm(request.POST or None, initial=initial) if scorer else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            delivery.score_idea(
                idea=idea,
                by=request.user,
                marks={name: data[name] for name, _l, _q in CRITERIA},
                rationales={name: data[f"{name}_rationale"] for name, _l, _q in CRITERIA},
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Your scores are saved.")
            return redirect("projects:idea", pk=idea.pk)
    ranked = delivery.rank(idea, scores, CriteriaWeights.current())
    return render(
        request,
        "strategy/ideas/detail.html",
        {
            "idea": idea,
            "ranked": ranked,
            "criteria": CRITERIA,
            "form": form,
            "promote_form": PromoteForm() if is_programme_manager(request.user) and idea.status == "proposed" else None,
            "project": getattr(idea, "promoted_project", None),
            "changes": idea.history.select_related("history_user").order_by("-history_date")[:20],
            "score_changes": Score.history.filter(idea_id=idea.pk)
            .select_related("history_user")
            .order_by("-history_date")[:30],
        },
    )


@programme_manager_required
@require_POST
def idea_promote(request, pk):
    idea = get_idea_for_user(request.user, pk)
    form = PromoteForm(request.POST)
    if form.is_valid():
        try:
            project = delivery.promote_idea(
                idea=idea,
                workstream=form.cleaned_data["workstream"],
                lead_organisation=form.cleaned_data["lead_organisation"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"“{idea.title}” is now a project. Plan its milestones.")
            return redirect("manage_strategy:project_edit", slug=project.slug)
    else:
        messages.error(request, "Choose the workstream and the lead partner.")
    return redirect("projects:idea", pk=idea.pk)


# --- Open data -------------------------------------------------------------------------------

PROJECT_FIELDS = [
    "id",
    "title",
    "summary",
    "workstream",
    "aim",
    "stage",
    "rag",
    "lead_organisation",
    "lead_organisation_org_id",
    "partners",
    "start_date",
    "end_date",
    "budget",
    "spend",
    "latest_update_period",
    "latest_update",
]


def _project_rows() -> list[dict]:
    aims = _aims()
    projects = (
        Project.objects.public()
        .for_lists()
        .prefetch_related(
            Prefetch("partner_roles", queryset=ProjectPartner.objects.select_related("organisation")),
            Prefetch("updates", queryset=ProgressUpdate.objects.order_by("-period_start", "-posted_at")),
        )
        .order_by("pk")
    )
    rows = []
    for project in projects:
        latest = next(iter(project.updates.all()), None)
        rows.append(
            {
                "id": f"project-{project.pk}",
                "title": project.title,
                "summary": project.summary,
                "workstream": project.workstream.title,
                "aim": _aim_text(aims, project.workstream.aim),
                "stage": project.stage,
                "rag": project.rag,
                "lead_organisation": project.lead_organisation.name,
                "lead_organisation_org_id": project.lead_organisation.org_id or "",
                "partners": "; ".join(f"{r.organisation.name} ({r.role})" for r in project.partner_roles.all()),
                "start_date": project.start_date.isoformat() if project.start_date else "",
                "end_date": project.end_date.isoformat() if project.end_date else "",
                "budget": str(project.budget) if project.budget is not None else "",
                "spend": str(project.spend),
                "latest_update_period": latest.period_label if latest else "",
                "latest_update": latest.narrative if latest else "",
            }
        )
    return rows


@public_page("strategy", "partners")
def projects_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="projects.csv"'
    writer = csv.DictWriter(response, fieldnames=PROJECT_FIELDS)
    writer.writeheader()
    writer.writerows(_project_rows())
    return response


@public_page("strategy", "partners")
def projects_json(request):
    body = {
        "description": "The partnership's public projects. No personal data.",
        "fields": PROJECT_FIELDS,
        "projects": _project_rows(),
    }
    return HttpResponse(json.dumps(body, indent=2, ensure_ascii=False), content_type="application/json")


# --- The programme manager's planning pages --------------------------------------------------


@programme_manager_required
def workstreams(request):
    form = WorkstreamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            delivery.save_workstream(workstream=form.instance, by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "The workstream is added.")
            return redirect("manage_strategy:workstreams")
    aims = _aims()
    rows = list(Workstream.objects.select_related("lead_organisation", "lead_person"))
    for row in rows:
        row.aim_text = _aim_text(aims, row.aim)
    return render(
        request,
        "strategy/manage/workstreams.html",
        {"form": form, "workstreams": rows, "risks": delivery.top_risks(Project.objects.all())},
    )


@programme_manager_required
def workstream_edit(request, pk):
    workstream = get_object_or_404(Workstream, pk=pk)
    form = WorkstreamForm(request.POST or None, instance=workstream)
    if request.method == "POST" and form.is_valid():
        delivery.save_workstream(workstream=form.instance, by=request.user)
        messages.success(request, "The workstream is saved.")
        return redirect("manage_strategy:workstreams")
    history = workstream.history.select_related("history_user").order_by("-history_date")[:30]
    return render(
        request, "strategy/manage/workstream_form.html", {"form": form, "workstream": workstream, "history": history}
    )


@programme_manager_required
def project_edit(request, slug=None):
    project = get_project_for_management(request.user, slug) if slug else Project()
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            project = delivery.save_project(
                project=form.instance,
                approved_by=form.cleaned_data["approved_by"],
                move_milestones=form.cleaned_data["move_milestones"],
                by=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"“{project.title}” is saved.")
            return redirect("manage_strategy:project_edit", slug=project.slug)
    context = {"form": form, "project": project if project.pk else None}
    if project.pk:
        context |= {
            "milestones": list(project.milestones.all()),
            "roles": list(project.partner_roles.select_related("organisation")),
        }
    return render(request, "strategy/manage/project_form.html", context)


@programme_manager_required
def milestone_add(request, slug):
    project = get_project_for_management(request.user, slug)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            delivery.add_milestone(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "The milestone is added.")
            return redirect("manage_strategy:project_edit", slug=project.slug)
    return render(request, "strategy/manage/milestone_form.html", {"form": form, "project": project, "milestone": None})


@programme_manager_required
def milestone_edit(request, pk):
    milestone = get_milestone_for_management(request.user, pk)
    form = MilestoneChangeForm(
        request.POST or None,
        initial={"due_date": milestone.due_date, "status": milestone.status, "done_date": milestone.done_date},
    )
    if request.method == "POST" and form.is_valid():
        try:
            delivery.update_milestone(milestone=milestone, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "The milestone is saved.")
            return redirect("manage_strategy:project_edit", slug=milestone.project.slug)
    history = milestone.history.select_related("history_user").order_by("-history_date")
    return render(
        request,
        "strategy/manage/milestone_form.html",
        {"form": form, "project": milestone.project, "milestone": milestone, "history": history},
    )


@programme_manager_required
def project_partner_add(request, slug):
    project = get_project_for_management(request.user, slug)
    form = PartnerRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["organisation"]
        roles = [(r.organisation, r.role) for r in project.partner_roles.select_related("organisation")]
        roles = [(o, r) for o, r in roles if o.pk != chosen.pk]
        delivery.save_project(project=project, partners=[*roles, (chosen, form.cleaned_data["role"])], by=request.user)
        messages.success(request, f"{chosen.name} is a partner in the project.")
        return redirect("manage_strategy:project_edit", slug=project.slug)
    return render(request, "strategy/manage/partner_form.html", {"form": form, "project": project})


@programme_manager_required
def weights(request):
    current = CriteriaWeights.current()
    form = WeightsForm(request.POST or None, initial=current.as_dict())
    if request.method == "POST" and form.is_valid():
        delivery.set_weights(values=form.cleaned_data, by=request.user)
        messages.success(request, "The weights are saved: the ranking uses them now.")
        return redirect("projects:ideas")
    return render(request, "strategy/manage/weights.html", {"form": form})


@programme_manager_required
def agenda_link(request):
    """Put a strategy version (?version=<pk>) or a project (?project=<slug>) on an agenda item."""
    from strategy.permissions import get_version_for_management

    version = project = None
    if request.GET.get("version", "").isdigit():
        version = get_version_for_management(request.user, int(request.GET["version"]))
    elif request.GET.get("project"):
        project = get_project_for_management(request.user, request.GET["project"])
    else:
        raise Http404
    form = AgendaLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            delivery.link_agenda_item(item=form.cleaned_data["item"], version=version, project=project, by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="item")
        else:
            item = form.cleaned_data["item"]
            messages.success(request, f"Item {item.label} of the meeting now shows its status.")
            return redirect(item.meeting.get_absolute_url())
    return render(request, "strategy/manage/agenda_link.html", {"form": form, "version": version, "project": project})

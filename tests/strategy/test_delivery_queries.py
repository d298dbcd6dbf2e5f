"""Every delivery-plan page makes the same number of queries with one project and with twenty,
each with milestones, updates, risks, partners and history; and with one idea and fifteen scored."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from strategy import delivery
from strategy.models import Project, Risk, Workstream
from tests.conftest import sign_in
from tests.factories import OrganisationFactory, UserFactory
from tests.support.queries import assert_constant_queries

MARKS = {"feasibility": 4, "suitability": 5, "impact": 3, "scalability": 4, "engagement": 2}


@pytest.fixture
def world(strategy, project, alice, bob, harlow):
    milestone = delivery.add_milestone(project=project, title="Survey", due_date=date(2024, 6, 1), by=alice)
    risk = delivery.save_risk(risk=Risk(project=project, description="Delay", likelihood=2, impact=3), by=bob)
    delivery.post_update(
        project=project, by=bob, period="month", period_start=timezone.localdate(), rag="green", narrative="Fine."
    )
    idea = delivery.propose_idea(
        title="Transcription", problem="Slow.", beneficiaries="Officers", sponsor="Head", by=bob
    )
    delivery.score_idea(idea=idea, by=alice, marks=MARKS)

    def grow():
        for i in range(19):
            organisation = OrganisationFactory()
            workstream = delivery.save_workstream(
                workstream=Workstream(title=f"Workstream {i}", aim=1 + i % 6, lead_organisation=organisation), by=alice
            )
            other = delivery.save_project(
                project=Project(
                    title=f"Project {i}",
                    workstream=workstream,
                    lead_organisation=organisation,
                    start_date=date(2024, 4, 1),
                    end_date=date(2026, 3, 31),
                    visibility="public" if i % 2 else "partners",
                ),
                partners=[(harlow, "Host"), (OrganisationFactory(), "Funder")],
                by=alice,
            )
            for month in (5, 8, 11):
                delivery.add_milestone(project=other, title=f"M{month}", due_date=date(2024, month, 1), by=alice)
            officer = UserFactory(organisation=organisation)
            delivery.post_update(
                project=other,
                by=officer,
                period="month",
                period_start=timezone.localdate(),
                rag="amber",
                rag_reason="Late.",
                narrative="Behind.",
                met=list(other.milestones.all()[:1]),
            )
            delivery.save_risk(
                risk=Risk(project=other, description=f"R{i}", likelihood=4, impact=4, owner=officer), by=alice
            )
            delivery.save_risk(
                risk=Risk(project=project, description=f"Extra {i}", likelihood=1, impact=2, owner=bob), by=bob
            )
            delivery.add_milestone(project=project, title=f"Extra {i}", due_date=date(2025, 1, 1), by=alice)
            new_idea = delivery.propose_idea(title=f"Idea {i}", problem="P", beneficiaries="B", sponsor="S", by=officer)
            if i % 2:
                delivery.score_idea(idea=new_idea, by=alice, marks=MARKS)
        for i in range(5):
            delivery.save_project(project=Project.objects.get(pk=project.pk), by=alice)
            delivery.update_milestone(
                milestone=milestone, due_date=date(2024, 7, i + 1), status="in_progress", by=alice
            )
            delivery.save_workstream(workstream=Workstream.objects.get(pk=project.workstream_id), by=alice)

    return {"grow": grow, "project": project, "milestone": milestone, "risk": risk, "idea": idea}


PUBLIC = [
    ("projects:list", lambda w: {}),
    ("projects:project", lambda w: {"slug": w["project"].slug}),
    ("projects:roadmap", lambda w: {}),
    ("projects:projects_json", lambda w: {}),
    ("projects:projects_csv", lambda w: {}),
]
OFFICER = [
    ("projects:project", lambda w: {"slug": w["project"].slug}),
    ("projects:update", lambda w: {"slug": w["project"].slug}),
    ("projects:risk_new", lambda w: {"slug": w["project"].slug}),
    ("projects:risk_edit", lambda w: {"slug": w["project"].slug, "pk": w["risk"].pk}),
    ("projects:portfolio", lambda w: {}),
    ("projects:ideas", lambda w: {}),
    ("projects:idea_new", lambda w: {}),
    ("projects:idea", lambda w: {"pk": w["idea"].pk}),
]
MANAGER = [
    ("projects:idea", lambda w: {"pk": w["idea"].pk}),
    ("manage_strategy:workstreams", lambda w: {}),
    ("manage_strategy:workstream_edit", lambda w: {"pk": w["project"].workstream_id}),
    ("manage_strategy:project_new", lambda w: {}),
    ("manage_strategy:project_edit", lambda w: {"slug": w["project"].slug}),
    ("manage_strategy:milestone_add", lambda w: {"slug": w["project"].slug}),
    ("manage_strategy:project_partner_add", lambda w: {"slug": w["project"].slug}),
    ("manage_strategy:milestone_edit", lambda w: {"pk": w["milestone"].pk}),
    ("manage_strategy:weights", lambda w: {}),
    ("manage_strategy:agenda_link", lambda w: {}),
]


def url(name, kwargs, world):
    address = reverse(name, kwargs=kwargs(world))
    if name == "manage_strategy:agenda_link":
        return address + f"?project={world['project'].slug}"
    return address + "?year=2024" if name == "projects:roadmap" else address


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC)
def test_public_delivery_pages_make_constant_queries(client, world, name, kwargs):
    assert_constant_queries(client, url(name, kwargs, world), world["grow"], bound=10)


@pytest.mark.parametrize(("name", "kwargs"), OFFICER)
def test_partner_delivery_pages_make_constant_queries(client, world, bob, name, kwargs):
    sign_in(client, bob)
    assert_constant_queries(client, url(name, kwargs, world), world["grow"], bound=20)


@pytest.mark.parametrize(("name", "kwargs"), MANAGER)
def test_manager_delivery_pages_make_constant_queries(client, world, alice, name, kwargs):
    sign_in(client, alice)
    assert_constant_queries(client, url(name, kwargs, world), world["grow"], bound=20)

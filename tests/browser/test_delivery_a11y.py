"""axe-core on the delivery plan's pages in headless Chromium: /projects/, a project, the roadmap,
the portfolio's charts, ideas and scoring, updates and the RAID log, the programme manager's
planning pages; and a form with an error."""

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

import pytest
from django.utils import timezone

from strategy import delivery
from strategy.models import Project, Risk, Strategy, Workstream
from tests.browser.conftest import PASSWORD, login, submit_form_with
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import ALICE_TOTP_SECRET

MARKS = {"feasibility": 4, "suitability": 5, "impact": 3, "scalability": 4, "engagement": 2}


@pytest.fixture
def world(cast, harlow):
    alice, bob = cast["alice"], cast["bob"]
    Strategy.objects.create(title="Digital Innovation Strategy", slug="digital-innovation-strategy")
    workstream = delivery.save_workstream(
        workstream=Workstream(title="Connectivity", aim=1, lead_organisation=harlow, lead_person=bob), by=alice
    )
    project = delivery.save_project(
        project=Project(
            title="Town Centre Wi-Fi",
            summary="Free public Wi-Fi.",
            workstream=workstream,
            lead_organisation=harlow,
            lead_person=bob,
            stage="experimentation",
            start_date=date(2024, 4, 1),
            end_date=date(2027, 3, 31),
            budget="120000",
            spend="30000",
        ),
        partners=[(cast["carol"].organisation, "Second pilot town")],
        by=alice,
    )
    milestone = delivery.add_milestone(project=project, title="Survey", due_date=date(2024, 6, 1), by=alice)
    delivery.update_milestone(milestone=milestone, due_date=date(2024, 7, 1), status="in_progress", by=alice)
    delivery.post_update(
        project=project,
        by=bob,
        period="month",
        period_start=timezone.localdate(),
        rag="amber",
        rag_reason="Supplier delay.",
        narrative="Survey late.",
        slipped=[milestone],
    )
    risk = delivery.save_risk(
        risk=Risk(project=project, description="Supplier capacity", likelihood=3, impact=3), by=bob
    )
    idea = delivery.propose_idea(
        title="Transcription", problem="Slow minutes.", beneficiaries="Officers", sponsor="Head", by=bob
    )
    delivery.score_idea(idea=idea, by=alice, marks=MARKS)
    return {
        "cast": cast,
        "project": project,
        "milestone": milestone,
        "risk": risk,
        "idea": idea,
        "workstream": workstream,
    }


class Target(NamedTuple):
    id: str
    who: str | None
    address: Callable[[dict], str]
    heading: str


PAGES = [
    Target("projects", None, lambda w: "/projects/", "Projects"),
    Target("project", None, lambda w: w["project"].get_absolute_url(), "Town Centre Wi-Fi"),
    Target("roadmap", None, lambda w: "/projects/roadmap/?year=2024", "Roadmap"),
    Target("project-partner", "bob", lambda w: w["project"].get_absolute_url(), "Town Centre Wi-Fi"),
    Target("update", "bob", lambda w: f"/projects/{w['project'].slug}/update/", "Post a progress update"),
    Target("risk", "bob", lambda w: f"/projects/{w['project'].slug}/risks/{w['risk'].pk}/", "Change a risk"),
    Target("portfolio", "carol", lambda w: "/projects/portfolio/", "Portfolio"),
    Target("ideas", "carol", lambda w: "/projects/ideas/", "Ideas"),
    Target("idea-new", "carol", lambda w: "/projects/ideas/new/", "Propose an idea"),
    Target("idea-score", "alice", lambda w: f"/projects/ideas/{w['idea'].pk}/", "Transcription"),
    Target("workstreams", "alice", lambda w: "/manage/strategy/workstreams/", "Workstreams"),
    Target(
        "workstream-edit",
        "alice",
        lambda w: f"/manage/strategy/workstreams/{w['workstream'].pk}/edit/",
        "Change the workstream",
    ),
    Target(
        "project-edit",
        "alice",
        lambda w: f"/manage/strategy/projects/{w['project'].slug}/edit/",
        "Plan Town Centre Wi-Fi",
    ),
    Target("project-new", "alice", lambda w: "/manage/strategy/projects/new/", "Add a project"),
    Target("milestone-edit", "alice", lambda w: f"/manage/strategy/milestones/{w['milestone'].pk}/edit/", "Survey"),
    Target(
        "partner-add",
        "alice",
        lambda w: f"/manage/strategy/projects/{w['project'].slug}/partners/add/",
        "Add a partner",
    ),
    Target(
        "agenda-link",
        "alice",
        lambda w: f"/manage/strategy/agenda-links/new/?project={w['project'].slug}",
        "Put it on an agenda",
    ),
    Target("weights", "alice", lambda w: "/manage/strategy/ideas/weights/", "Weights"),
]


def visit(page, live_server, world, target: Target):
    if target.who:
        person = world["cast"][target.who]
        login(
            page, live_server, person.email, PASSWORD, totp_secret=ALICE_TOTP_SECRET if target.who == "alice" else None
        )
    path = target.address(world)
    response = page.goto(live_server.url + path)
    assert response.status == 200, f"{path} answered {response.status}"
    assert target.heading.lower() in page.locator("h1").inner_text().lower()


@pytest.mark.parametrize("target", PAGES, ids=[p.id for p in PAGES])
def test_delivery_page_has_no_serious_accessibility_problems(page, live_server, world, target):
    visit(page, live_server, world, target)
    assert_accessible(page)


def test_an_update_with_an_error_is_accessible_and_keeps_what_was_typed(page, live_server, world):
    visit(page, live_server, world, PAGES[4])
    page.get_by_label("Red", exact=True).check()
    page.locator("form [name=narrative]").fill("Installation stopped.")
    submit_form_with(page, "narrative")
    assert page.locator("#id_rag_reason_error").is_visible()
    assert page.locator("form [name=narrative]").input_value() == "Installation stopped."
    assert_accessible(page)

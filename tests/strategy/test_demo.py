"""The demo strategy (`manage.py load_demo`): version 1.0 endorsed through every kind of route, a
material 1.1 in consultation, two amendment requests; loaded twice without duplicating anything."""

import pytest
from django.urls import reverse
from django.utils import timezone

from partners import demo as partners_demo
from strategy import demo, services
from strategy.models import (
    AmendmentRequest,
    Endorsement,
    Idea,
    Milestone,
    ProgressUpdate,
    Project,
    Risk,
    Score,
    Section,
    Strategy,
    StrategyVersion,
    Workstream,
)


@pytest.fixture
def loaded(db):
    partners_demo.load()
    demo.load()
    return Strategy.objects.get(slug=demo.SLUG)


def counts():
    models = (Strategy, StrategyVersion, Section, Endorsement, AmendmentRequest, Workstream, Project, Milestone)
    models += (ProgressUpdate, Risk, Idea, Score)
    return [m.objects.count() for m in models] + [m.history.count() for m in models]


def test_loading_twice_duplicates_nothing(loaded):
    before = counts()
    demo.load()
    assert counts() == before


def test_the_demo_has_endorsements_in_every_state_the_seed_describes(loaded):
    state = services.adoption(loaded)
    by_name = {s.organisation.short_name: s.endorsement for s in state.standings}
    assert by_name["East Herts DC"].status == "endorsed"
    assert by_name["East Herts DC"].deciding_body == "Overview and Scrutiny Committee"
    assert by_name["Epping Forest DC"].status == "scheduled"
    assert by_name["Broxbourne BC"].status == "scheduled" and by_name["Broxbourne BC"].is_overdue
    assert by_name["Harlow DC"].status == "endorsed_with_amendments"
    assert by_name["Uttlesford DC"].status == "not_started"
    assert by_name["PAH"].deciding_body == "Trust Board" and by_name["PAH"].is_endorsed
    assert by_name["Harlow College"].deciding_body == "Corporation"
    assert {e.status for e in by_name.values()} >= {"deferred", "with_officers"}
    assert state.headline == f"{state.endorsed_count} of 15 partners have endorsed version 1.0"
    v11 = loaded.versions.get(label="1.1")
    assert v11.status == "consultation" and v11.is_material
    assert set(AmendmentRequest.objects.values_list("status", flat=True)) == {"accepted", "open"}


def test_the_public_strategy_page_reads_the_demo(client, loaded):
    page = client.get(reverse("strategy:index")).content.decode()
    assert "partners have endorsed version 1.0" in page
    assert "East Hertfordshire District Council" in page
    assert "digital skills and inclusion" not in page.lower()  # 1.1 is in consultation


def test_every_evidence_link_is_on_example_org(loaded):
    links = Endorsement.objects.exclude(evidence_url="").values_list("evidence_url", flat=True)
    assert links and all(link.startswith("https://www.example.org/") for link in links)


def test_the_demo_delivery_plan_has_the_seeds_projects_ideas_and_a_year_of_milestones(client, loaded):
    from strategy import delivery
    from strategy.models import financial_year

    titles = set(Project.objects.values_list("title", flat=True))
    for title in [
        "DIZ-wide Common Asset Register",
        "Town Centre Wi-Fi",
        "Open Data Source",
        "Living Smart At Home",
        "District-led digital inclusion project",
        "Ambulance and A&E design project",
        "Local Full Fibre Network programme",
        "Superfast broadband",
        "Smart Place Seminars",
        "Transcription",
    ]:
        assert title in titles
    assert Idea.objects.count() == 6 and Score.objects.count() == 12
    ranked = delivery.ranked_ideas(Idea.objects.all())
    assert all(r.scorer_count == 2 for r in ranked)
    rows = delivery.roadmap(Project.objects.all(), financial_year(timezone.localdate()))
    assert all(any(row.cells[q] for row in rows) for q in range(4))  # four quarters of milestones
    assert Project.objects.get(slug="town-centre-wi-fi").rag == "amber"
    assert Milestone.objects.filter(project__slug="town-centre-wi-fi", title="Site survey").get().slipped_days == 31
    page = client.get("/projects/").content.decode()
    assert "Town Centre Wi-Fi" in page and "Transcription" not in page  # promoted ideas start partners-only

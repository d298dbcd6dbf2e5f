"""The demo strategy (`manage.py load_demo`): version 1.0 endorsed through every kind of route, a
material 1.1 in consultation, two amendment requests; loaded twice without duplicating anything."""

import pytest
from django.urls import reverse

from partners import demo as partners_demo
from strategy import demo, services
from strategy.models import AmendmentRequest, Endorsement, Section, Strategy, StrategyVersion


@pytest.fixture
def loaded(db):
    partners_demo.load()
    demo.load()
    return Strategy.objects.get(slug=demo.SLUG)


def counts():
    return [m.objects.count() for m in (Strategy, StrategyVersion, Section, Endorsement, AmendmentRequest)] + [
        m.history.count() for m in (StrategyVersion, Endorsement, AmendmentRequest)
    ]


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

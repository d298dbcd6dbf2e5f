"""The home page's panels fed by the strategy and funding apps: strategy adoption ("N of M
partners"), counted as the public sees it, and funding secured (published awards only)."""

import re

import pytest

from strategy import services as strategy_services
from tests.funding.conftest import award, bid, dcms, lffn  # noqa: F401 -- the funding cast's fixtures
from tests.strategy.conftest import endorse, routes, strategy, v1  # noqa: F401 -- the strategy cast's

pytestmark = pytest.mark.django_db


def panel(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return re.sub(r"\s+", " ", html[start : html.index("</aside>", start)])


def test_home_says_how_many_partners_have_endorsed_the_strategy(client, routes, v1, harlow, alice):  # noqa: F811
    endorse(harlow, v1, alice)
    html = client.get("/").content.decode()
    text = panel(html, "strategy-heading")
    assert "1 of 2</span> partners have endorsed version 1.0 of the Digital Innovation Strategy" in text
    assert 'href="/strategy/"' in text


def test_a_draft_version_is_not_counted_or_named_on_home(client, routes, v1, harlow, alice):  # noqa: F811
    strategy_services.create_version(strategy=v1.strategy, label="2.0", text="# Draft\nSecret", by=alice)
    html = client.get("/").content.decode()
    assert "2.0" not in panel(html, "strategy-heading")


def test_home_shows_funding_secured_from_published_awards_only(client, award, alice):  # noqa: F811
    assert 'id="funding-heading"' not in client.get("/").content.decode()  # recorded, not yet published
    award.is_published = True
    award.save(update_fields=["is_published"])
    text = panel(client.get("/").content.decode(), "funding-heading")
    assert "£1,700,000</span> in 1 award" in text


def test_home_has_no_strategy_or_funding_panel_before_there_is_any(client, db):
    html = client.get("/").content.decode()
    assert 'id="strategy-heading"' not in html and 'id="funding-heading"' not in html


@pytest.fixture
def projects(db, alice, harlow):
    from strategy import delivery
    from strategy.models import Project, Workstream

    workstream = delivery.save_workstream(
        workstream=Workstream(title="Connectivity", aim=1, lead_organisation=harlow, lead_person=alice), by=alice
    )
    made = {}
    for title, stage, visibility in [
        ("Town Centre Wi-Fi", "experimentation", "public"),
        ("Common Asset Register", "experimentation", "public"),
        ("Living Smart At Home", "scaling", "public"),
        ("Member enquiries pilot", "assessment", "partners"),
        ("Old project", "closed", "public"),
    ]:
        made[title] = delivery.save_project(
            project=Project(
                title=title,
                summary=f"{title} summary",
                workstream=workstream,
                lead_organisation=harlow,
                stage=stage,
                visibility=visibility,
            ),
            by=alice,
        )
    return made


def test_home_counts_public_live_projects_by_stage(client, projects):
    text = panel(client.get("/").content.decode(), "projects-heading")
    assert re.findall(r'stage=(\w+)">([^<]+)</a></dt><dd class="govuk-summary-list__value">(\d+)<', text) == [
        ("experimentation", "Experimentation (pilot)", "2"),
        ("scaling", "Scaling", "1"),
    ]  # the partners-only project and the closed one are not counted


def test_the_sitemap_and_search_show_public_projects_only(client, projects, bob):
    from diz_portal import search

    xml = client.get("/sitemap.xml").content.decode()
    assert projects["Town Centre Wi-Fi"].get_absolute_url() in xml
    assert projects["Member enquiries pilot"].get_absolute_url() not in xml
    from django.contrib.auth.models import AnonymousUser

    public = [
        r.title for g in search.search("pilot summary", AnonymousUser()) if g["key"] == "projects" for r in g["results"]
    ]
    assert "Member enquiries pilot" not in public
    partner = [r.title for g in search.search("pilot", bob) if g["key"] == "projects" for r in g["results"]]
    assert partner == ["Member enquiries pilot"]

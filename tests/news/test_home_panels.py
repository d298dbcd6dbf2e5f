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

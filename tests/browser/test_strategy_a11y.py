"""axe-core on the strategy's pages, in headless Chromium with the real CSS and JavaScript: the
public adoption page, a version and a diff; a partner's endorsement page (with its kit, and with an
error), amendment requests; the programme manager's tracker and forms."""

from collections.abc import Callable
from datetime import timedelta
from typing import NamedTuple

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from diz_portal.models import DocumentStatus, GeneratedDocument
from strategy import services
from strategy.models import Endorsement, Strategy
from tests.browser.conftest import PASSWORD, login, submit_form_with
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import ALICE_TOTP_SECRET
from tests.strategy.conftest import TEXT_1_0, TEXT_1_1


@pytest.fixture
def world(cast, harlow, broxbourne):
    alice, bob, carol = cast["alice"], cast["bob"], cast["carol"]
    strategy = Strategy.objects.create(title="Digital Innovation Strategy", slug="digital-innovation-strategy")
    v10 = services.publish_version(
        version=services.create_version(strategy=strategy, label="1.0", text=TEXT_1_0, by=alice), by=alice
    )
    harlow_row = services.add_partner(strategy=strategy, organisation=harlow, deciding_body="Cabinet", by=alice)
    services.add_partner(strategy=strategy, organisation=broxbourne, deciding_body="Scrutiny", by=alice)
    services.record_endorsement(
        organisation=harlow,
        version=v10,
        by=bob,
        status="endorsed_with_amendments",
        deciding_body="Cabinet",
        decision_date=timezone.localdate() - timedelta(days=5),
        amendments="Name full fibre.",
        evidence_url="https://democracy.example.org/decision/1",
    )
    v11 = services.publish_version(
        version=services.create_version(
            strategy=strategy, label="1.1", text=TEXT_1_1, summary_of_changes="Fibre.", by=alice
        ),
        by=alice,
    )
    draft = services.create_version(strategy=strategy, label="1.2", text=TEXT_1_1 + "\nMore.", by=alice)
    services.start_consultation(version=draft, by=alice)
    amendment = services.request_amendment(
        version=v11,
        organisation=broxbourne,
        section=v11.sections.first(),
        proposed_text="New.",
        reason="Why.",
        by=carol,
    )
    content_type = ContentType.objects.get_for_model(Endorsement)
    for kind, status in (("kit:docx", DocumentStatus.READY), ("kit:pdf", DocumentStatus.BUILDING)):
        document = GeneratedDocument.objects.create(
            content_type=content_type, object_id=harlow_row.pk, kind=kind, status=status, finished_at=timezone.now()
        )
        if status == DocumentStatus.READY:
            document.file.save("kit.docx", ContentFile(b"PK kit"))
    return {"cast": cast, "harlow": harlow, "draft": draft, "amendment": amendment}


class Target(NamedTuple):
    id: str
    who: str | None
    address: Callable[[dict], str]
    heading: str


PAGES = [
    Target("strategy", None, lambda w: "/strategy/", "Digital Innovation Strategy"),
    Target("version", None, lambda w: "/strategy/versions/1.1/", "Version 1.1"),
    Target("diff", None, lambda w: "/strategy/compare/1.0/1.1/", "Changes from version 1.0 to 1.1"),
    Target("consultation", "bob", lambda w: "/strategy/versions/1.2/", "Version 1.2"),
    Target("partner", "bob", lambda w: f"/strategy/partners/{w['harlow'].slug}/", "endorsing the strategy"),
    Target("amendments", "carol", lambda w: "/strategy/amendments/", "Amendment requests"),
    Target("amendment-new", "carol", lambda w: "/strategy/amendments/new/", "Ask for an amendment"),
    Target("tracker", "alice", lambda w: "/manage/strategy/", "Endorsement tracker"),
    Target("version-new", "alice", lambda w: "/manage/strategy/versions/new/", "Start a new version"),
    Target("version-edit", "alice", lambda w: f"/manage/strategy/versions/{w['draft'].pk}/edit/", "Edit version 1.2"),
    Target("amendment-answer", "alice", lambda w: f"/manage/strategy/amendments/{w['amendment'].pk}/", "Answer"),
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
def test_strategy_page_has_no_serious_accessibility_problems(page, live_server, world, target):
    visit(page, live_server, world, target)
    assert_accessible(page)


def test_the_endorsement_form_with_an_error_is_accessible_and_keeps_what_was_typed(page, live_server, world):
    target = PAGES[4]
    visit(page, live_server, world, target)
    page.get_by_label("Endorsed", exact=True).check()
    page.locator("form [name=deciding_body]").fill("Full Council")
    page.locator("form [name=decision_date]").fill((timezone.localdate() + timedelta(days=3)).isoformat())
    submit_form_with(page, "deciding_body")
    assert page.locator("#id_decision_date_error").is_visible()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.locator("form [name=deciding_body]").input_value() == "Full Council"
    assert_accessible(page)

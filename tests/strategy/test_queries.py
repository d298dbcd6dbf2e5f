"""Every strategy page makes the same number of queries with two partners and with thirty, more
versions, more history and more amendment requests (the harness in tests/support/queries.py)."""

import pytest
from django.urls import reverse

from strategy import services
from tests.conftest import sign_in
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.strategy.conftest import TEXT_1_1, endorse
from tests.support.queries import assert_constant_queries


@pytest.fixture
def world(routes, v1, alice, bob, carol, harlow, broxbourne, board):
    endorse(harlow, v1, bob)
    services.request_amendment(
        version=v1, organisation=broxbourne, section=v1.sections.first(), proposed_text="x", reason="y", by=carol
    )
    draft = services.create_version(strategy=v1.strategy, label="1.1", text=TEXT_1_1, by=alice)
    amendment = services.request_amendment(
        version=v1, organisation=harlow, section=v1.sections.last(), proposed_text="z", reason="w", by=bob
    )

    def grow():
        for i in range(28):
            organisation = OrganisationFactory()
            person = UserFactory(organisation=organisation)
            MembershipFactory(body=board, person=person, organisation=organisation)
            services.add_partner(strategy=v1.strategy, organisation=organisation, deciding_body="Cabinet", by=alice)
            if i % 2:
                endorse(organisation, v1, person, resolution=f"Endorsed {i}.")
            if i % 3 == 0:
                services.request_amendment(
                    version=v1,
                    organisation=organisation,
                    section=v1.sections.first(),
                    proposed_text=f"Text {i}",
                    reason="Because.",
                    by=person,
                )
        for i in range(5):
            endorse(harlow, v1, bob, resolution=f"Again {i}.")
            services.update_version(
                version=draft,
                text=TEXT_1_1 + f"\n\n# Extra {i}\nMore.",
                summary_of_changes=str(i),
                is_material=True,
                aims=[],
                by=alice,
            )

    return {"grow": grow, "v1": v1, "draft": draft, "harlow": harlow, "amendment": amendment}


PUBLIC = [
    ("strategy:index", lambda w: {}),
    ("strategy:version", lambda w: {"label": "1.0"}),
    ("strategy:feed", lambda w: {}),
    ("strategy:endorsements_csv", lambda w: {}),
    ("strategy:endorsements_json", lambda w: {}),
]
PARTNER = [
    ("strategy:partner", lambda w: {"slug": w["harlow"].slug}),
    ("strategy:amendments", lambda w: {}),
    ("strategy:amendment_new", lambda w: {}),
]
MANAGER = [
    ("manage_strategy:tracker", lambda w: {}),
    ("strategy:diff", lambda w: {"old": "1.0", "new": "1.1"}),  # 1.1 is a draft
    ("manage_strategy:version_create", lambda w: {}),
    ("manage_strategy:version_edit", lambda w: {"pk": w["draft"].pk}),
    ("manage_strategy:amendment_answer", lambda w: {"pk": w["amendment"].pk}),
]


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC)
def test_public_pages_make_constant_queries(client, world, name, kwargs):
    assert_constant_queries(client, reverse(name, kwargs=kwargs(world)), world["grow"], bound=8)


@pytest.mark.parametrize(("name", "kwargs"), PARTNER)
def test_partner_pages_make_constant_queries(client, world, bob, name, kwargs):
    sign_in(client, bob)
    assert_constant_queries(client, reverse(name, kwargs=kwargs(world)), world["grow"], bound=20)


@pytest.mark.parametrize(("name", "kwargs"), MANAGER)
def test_manager_pages_make_constant_queries(client, world, alice, name, kwargs):
    sign_in(client, alice)
    assert_constant_queries(client, reverse(name, kwargs=kwargs(world)), world["grow"], bound=20)

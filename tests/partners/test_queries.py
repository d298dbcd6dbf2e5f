"""Every page in partners makes the same number of queries with a little data and with ten times
as much (the harness in tests/support/queries.py)."""

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import sign_in
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.support.queries import assert_constant_queries, count_queries


@pytest.fixture
def grow(board, steering_group, cast):
    def grow():
        for i in range(20):
            organisation = OrganisationFactory(org_type=["acute_trust", "university", "business"][i % 3])
            person = UserFactory(organisation=organisation)
            deputy = UserFactory(organisation=organisation)
            MembershipFactory(body=board, person=person, organisation=organisation, deputy=deputy)
            MembershipFactory(body=steering_group, person=deputy, organisation=organisation, role="observer")
            MembershipFactory(
                body=board,
                person=UserFactory(organisation=organisation),
                started_on=date(2020, 1, 1),
                ended_on=date(2021, 1, 1),
            )
        # Carol's own history grows too, for her dashboard.
        MembershipFactory(
            body=steering_group, person=cast["carol"], started_on=date(2019, 1, 1), ended_on=date(2020, 1, 1)
        )

    return grow


PUBLIC_PAGES = [
    ("home", {}),
    ("partners:directory", {}),
    ("partners:bodies", {}),
    ("partners:body", {"slug": "board"}),
    ("partners:organisation", {"slug": "harlow-district-council"}),
    ("sitemap", {}),
]
MEMBERSHIP_PAGES = ["manage:membership_edit", "manage:membership_end", "manage:membership_replace"]
# manage:index, the programme manager's dashboard, is measured in tests/reports/test_queries.py.
PM_PAGES = [
    ("manage:organisations", {}),
    ("manage:organisation_create", {}),
    ("manage:organisation_edit", {"slug": "harlow-district-council"}),
    ("manage:organisation_history", {"slug": "harlow-district-council"}),
    ("manage:organisation_archive", {"slug": "harlow-district-council"}),
    ("manage:people", {}),
    ("manage:person_invite", {}),
    ("manage:body_memberships", {"slug": "board"}),
    ("manage:membership_create", {"slug": "board"}),
]


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_public_pages_make_a_constant_number_of_queries(client, grow, name, kwargs):
    # The sitemap asks each kind of public page once (news, newsletters, the strategy too); home
    # gathers news, the next meeting, a seminar, the strategy's adoption and funding secured.
    bounds = {"sitemap": 12, "home": 14}
    assert_constant_queries(client, reverse(name, kwargs=kwargs), grow, bound=bounds.get(name, 8))


def test_the_dashboard_makes_a_constant_number_of_queries(client, grow, cast):
    sign_in(client, cast["carol"])
    # The dashboard's panels (meetings, papers, actions, presenting) are one query each: see
    # tests/reports/test_queries.py, which grows what they list.
    assert_constant_queries(client, reverse("partners:dashboard"), grow, bound=22)


@pytest.mark.parametrize(("name", "kwargs"), PM_PAGES)
def test_management_pages_make_a_constant_number_of_queries(client, grow, cast, name, kwargs):
    sign_in(client, cast["alice"])
    assert_constant_queries(client, reverse(name, kwargs=kwargs), grow, bound=15)


def test_membership_pages_make_a_constant_number_of_queries(client, grow, cast, board):
    sign_in(client, cast["alice"])
    seat = cast["carol"].memberships.get(body=board)
    urls = [reverse(name, kwargs={"pk": seat.pk}) for name in MEMBERSHIP_PAGES]
    for url in urls:
        client.get(url)
    small = {url: count_queries(client, url)[0] for url in urls}
    grow()
    large = {url: count_queries(client, url)[0] for url in urls}
    assert small == large
    assert max(large.values()) <= 15

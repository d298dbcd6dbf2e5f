from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partners.models import Membership, Organisation, validate_org_id
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.mark.parametrize(
    "value",
    ["GB-LAE-EPP", "GB-LAE-ESS", "GB-NHS-RQW", "GB-NHS-07H", "GB-COH-04190816", "GB-COH-SC123456", "GB-UKPRN-10000291"],
)
def test_it_accepts_well_formed_org_ids(value):
    validate_org_id(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("GB-LAE-1", "GB-LAE identifiers are three or four capital letters"),
        ("GB-COH-123", "GB-COH identifiers are an eight-character company number"),
        ("GB-NHS-RQW-1", "GB-NHS identifiers are an ODS code"),
        ("XX-FOO-123", "starts with a known list prefix"),
        ("EPP", "starts with a known list prefix"),
    ],
)
def test_it_rejects_malformed_org_ids_saying_what_is_expected(value, message):
    with pytest.raises(ValidationError) as error:
        validate_org_id(value)
    assert message in error.value.messages[0]


@pytest.mark.django_db
def test_sector_follows_the_organisation_type():
    trust = OrganisationFactory(org_type="acute_trust")
    assert trust.sector == "health"
    trust.org_type = "university"
    trust.save(update_fields=["org_type"])
    trust.refresh_from_db()
    assert trust.sector == "education"


@pytest.mark.django_db
def test_two_partners_cannot_share_an_org_id():
    OrganisationFactory(org_id="GB-LAE-EPP")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(org_id="GB-LAE-EPP")


@pytest.mark.django_db
def test_a_former_partner_needs_a_leaving_date_after_joining():
    organisation = OrganisationFactory.build(membership_status="former", joined_on=date(2020, 1, 1))
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "left_on" in error.value.message_dict
    organisation.left_on = date(2019, 1, 1)
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert error.value.message_dict["left_on"] == ["The date the partner left must be on or after the date it joined."]


@pytest.mark.django_db
def test_a_membership_cannot_end_before_it_starts(board):
    membership = MembershipFactory.build(
        body=board, person=UserFactory(), started_on=date(2025, 5, 1), ended_on=date(2025, 4, 1)
    )
    membership.organisation = membership.person.organisation
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert error.value.message_dict["ended_on"] == ["A membership cannot end before it starts."]


@pytest.mark.django_db
def test_a_body_has_one_chair_at_a_time(board):
    MembershipFactory(body=board, role="chair", started_on=date(2024, 1, 1))
    second = MembershipFactory.build(body=board, role="chair", person=UserFactory(), started_on=date(2025, 1, 1))
    second.organisation = second.person.organisation
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "already has a chair" in error.value.message_dict["role"][0]


@pytest.mark.django_db
def test_a_new_chair_may_follow_one_whose_term_has_ended(board):
    MembershipFactory(body=board, role="chair", started_on=date(2022, 1, 1), ended_on=date(2024, 12, 31))
    successor = MembershipFactory.build(body=board, role="chair", person=UserFactory(), started_on=date(2025, 1, 1))
    successor.organisation = successor.person.organisation
    successor.full_clean()
    successor.save()
    assert Membership.objects.filter(body=board, role="chair").count() == 2


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_chair_even_without_validation(board):
    MembershipFactory(body=board, role="chair")
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(body=board, role="chair")


@pytest.mark.django_db
def test_current_memberships_are_those_running_on_the_day(board):
    today = date(2026, 6, 1)
    running = MembershipFactory(body=board, started_on=date(2025, 1, 1))
    ended = MembershipFactory(body=board, started_on=date(2020, 1, 1), ended_on=date(2025, 12, 31))
    future = MembershipFactory(body=board, started_on=date(2026, 7, 1))
    current = set(Membership.objects.current(today))
    assert running in current
    assert ended not in current
    assert future not in current


@pytest.mark.django_db
def test_directory_lists_active_and_former_partners_but_not_archived_or_prospective():
    active = OrganisationFactory()
    former = OrganisationFactory(membership_status="former", joined_on=date(2018, 1, 1), left_on=date(2020, 1, 1))
    OrganisationFactory(is_archived=True)
    OrganisationFactory(membership_status="prospective")
    assert set(Organisation.objects.listed()) == {active, former}

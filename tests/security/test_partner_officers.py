"""Issue 6, point 7: only active partners' officers are partners. An archived, prospective or
former partner's officers see what the public sees."""

import pytest
from django.urls import reverse

from meetings.permissions import audience_for, may_read_paper
from partners import services
from partners.models import MembershipStatus, User
from tests.conftest import sign_in
from tests.factories import OrganisationFactory, UserFactory


def fresh(user):
    return User.objects.get(pk=user.pk)  # as a new request would load them


def test_an_active_partners_officer_is_a_partner(world):
    assert audience_for(fresh(world["users"]["officer"]), world["board"].pk) == "partners"


def test_an_archived_partners_officer_has_the_publics_audience(world, alice):
    bob = world["users"]["officer"]
    services.archive_organisation(organisation=bob.organisation, by=alice)
    assert audience_for(fresh(bob), world["board"].pk) == "public"
    assert not may_read_paper(fresh(bob), world["papers"]["partners"])


@pytest.mark.parametrize("status", [MembershipStatus.PROSPECTIVE, MembershipStatus.FORMER])
def test_a_prospective_or_former_partners_officer_has_the_publics_audience(world, status):
    bob = world["users"]["officer"]
    bob.organisation.membership_status = status
    bob.organisation.save()
    assert audience_for(fresh(bob), world["board"].pk) == "public"


def test_an_archived_partners_officer_gets_the_public_meeting_page(client, world, alice):
    gina = UserFactory(name="Gina Grey", organisation=OrganisationFactory(membership_status=MembershipStatus.ACTIVE))
    meeting_url = reverse("meetings:meeting", kwargs={"pk": world["meeting"].pk})
    sign_in(client, gina)
    assert "Partners item" in client.get(meeting_url).content.decode()
    services.archive_organisation(organisation=gina.organisation, by=alice)
    page = client.get(meeting_url).content.decode()
    assert "Public item" in page and "Partners item" not in page

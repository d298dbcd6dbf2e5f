from datetime import timedelta

import pytest
from django.urls import reverse

from meetings import services
from tests.conftest import sign_in
from tests.support.queries import assert_constant_queries


@pytest.fixture
def minuted(meeting, alice, carol):
    """A Board meeting with interests declared on a public and a restricted item, minutes approved."""
    public = services.add_item(meeting=meeting, title="Inclusion", by=alice)
    secret = services.add_item(
        meeting=meeting, title="Pricing", visibility="restricted", restriction_reason="Commercial", by=alice
    )
    services.declare_interest(item=public, person=carol, interest="Trustee of a digital inclusion charity")
    services.declare_interest(item=secret, person=carol, interest="Spouse works for a bidder")
    services.save_minute(item=public, text="Noted.", by=alice)
    later = meeting.starts_at + timedelta(days=28)
    next_meeting = services.schedule_meeting(
        body=meeting.body, starts_at=later, ends_at=later + timedelta(hours=1), by=alice
    )
    services.approve_minutes(meeting=meeting, at_meeting=next_meeting, by=alice, today=next_meeting.local_date)
    return meeting


def test_the_public_register_shows_declarations_on_public_items_only(client, minuted):
    html = client.get(reverse("meetings:declarations")).content.decode()
    assert "Trustee of a digital inclusion charity" in html
    assert "Spouse works for a bidder" not in html and "Pricing" not in html


def test_a_partner_officer_never_sees_a_restricted_declaration(client, minuted, bob):
    sign_in(client, bob)
    assert "Spouse works for a bidder" not in client.get(reverse("meetings:declarations")).content.decode()


def test_members_of_the_body_see_every_declaration(client, minuted, carol, dave):
    sign_in(client, carol)
    assert "Spouse works for a bidder" in client.get(reverse("meetings:declarations")).content.decode()
    sign_in(client, dave)  # Steering Group only
    assert "Spouse works for a bidder" not in client.get(reverse("meetings:declarations")).content.decode()


def test_the_register_makes_a_constant_number_of_queries(client, minuted, carol, alice):
    sign_in(client, carol)

    def grow():
        for n in range(10):
            item = services.add_item(meeting=minuted, title=f"Item {n}", by=alice)
            services.declare_interest(item=item, person=carol, interest=f"Interest {n}")

    assert_constant_queries(client, reverse("meetings:declarations"), grow, bound=12)

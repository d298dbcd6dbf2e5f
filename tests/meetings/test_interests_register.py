"""The standing register of members' interests (beside the declarations made at meetings): each
member keeps theirs, confirms it yearly and when a seat starts, and members read everyone's."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings import notices, services
from meetings.models import RegisteredInterest
from tests.conftest import sign_in
from tests.factories import MembershipFactory, UserFactory
from tests.support.queries import assert_constant_queries


def page(client, name):
    return client.get(reverse(f"meetings:{name}")).content.decode()


def test_a_member_adds_ends_and_confirms_their_register(client, carol):
    sign_in(client, carol)
    assert "You have not yet confirmed your register of interests." in page(client, "my_interests")
    response = client.post(
        reverse("meetings:my_interests"),
        {"what": "add", "category": "employment", "description": "Director of Harlow Digital Ltd"},
    )
    assert response.status_code == 302
    entry = RegisteredInterest.objects.get(person=carol)
    client.post(reverse("meetings:my_interests"), {"what": "confirm"})
    client.post(reverse("meetings:my_interests"), {"what": "end", "entry": entry.pk})
    entry.refresh_from_db()
    assert entry.ended_on == timezone.localdate()
    html = page(client, "my_interests")
    assert "Interests that have ended" in html and "Director of Harlow Digital Ltd" in html
    assert f"You last confirmed your register on {timezone.localdate():%-d %B %Y}" in html


def test_an_empty_interest_is_refused_beside_the_field_and_nothing_is_written(client, carol):
    sign_in(client, carol)
    response = client.post(reverse("meetings:my_interests"), {"what": "add", "category": "gifts", "description": " "})
    assert response.status_code == 200
    assert "Describe the interest." in response.content.decode()
    assert not RegisteredInterest.objects.exists()


def test_a_member_cannot_end_someone_elses_interest(client, carol, dave):
    entry = services.register_interest(person=dave, category="land", description="Land at Epping", by=dave)
    sign_in(client, carol)
    assert client.post(reverse("meetings:my_interests"), {"what": "end", "entry": entry.pk}).status_code == 404
    entry.refresh_from_db()
    assert entry.ended_on is None


def test_members_read_every_members_current_interests(client, carol, dave, bob):
    services.register_interest(person=dave, category="land", description="Land at Epping", by=dave)
    ended = services.register_interest(person=dave, category="gifts", description="A dinner", by=dave)
    services.end_interest(entry=ended, by=dave)
    sign_in(client, carol)
    html = page(client, "interest_register")
    assert "Dave Dunn" in html and "Land at Epping" in html and "A dinner" not in html
    sign_in(client, bob)
    assert client.get(reverse("meetings:interest_register")).status_code == 404


def test_a_review_is_due_when_a_seat_starts_after_the_last_one_and_after_a_year(board, steering_group, carol):
    today = timezone.localdate()
    services.confirm_register(person=carol, by=carol, on=today - timedelta(days=10))
    assert services.register_review_due(carol) == ""
    MembershipFactory(body=steering_group, person=carol, started_on=today - timedelta(days=2))
    assert "Your seat on the Steering Group started" in services.register_review_due(carol)
    services.confirm_register(person=carol, by=carol)
    assert services.register_review_due(carol) == ""
    assert "please review it" in services.register_review_due(carol, today=today + timedelta(days=400))


def test_members_whose_review_is_due_are_emailed_once(board, carol, dave):
    services.confirm_register(person=dave, by=dave)
    assert notices.send_register_prompts() == 1
    assert notices.send_register_prompts() == 0
    assert mail.outbox[0].to == [carol.email]
    assert "because you sit on the Board" in mail.outbox[0].body


def test_the_meeting_page_prompts_a_member_whose_review_is_due(client, meeting, carol):
    sign_in(client, carol)
    assert "Review your register of interests" in client.get(meeting.get_absolute_url()).content.decode()


@pytest.mark.parametrize("name", ["interest_register", "my_interests"])
def test_the_register_pages_make_a_constant_number_of_queries(client, board, carol, name):
    sign_in(client, carol)

    def grow():
        for i in range(6):
            person = UserFactory()
            MembershipFactory(body=board, person=person)
            services.register_interest(person=person, category="land", description=f"Land {i}", by=person)
            services.register_interest(person=carol, category="contracts", description=f"Contract {i}", by=carol)
            services.confirm_register(person=person, by=person, on=date(2026, 1, 1))

    assert_constant_queries(client, reverse(f"meetings:{name}"), grow, bound=12)

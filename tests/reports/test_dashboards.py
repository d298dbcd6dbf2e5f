"""The dashboards: the programme manager starts the day from /manage/, a member lands on
/dashboard/ and finds what to read; each shows only what the meetings pages would show them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, PaperVersion
from reports.dashboards import WAITING, feature_function
from reports.models import LastLook
from tests.conftest import sign_in
from tests.reports.conftest import meeting_in, pdf


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_programme_manager_sees_what_needs_attention_each_linking_to_where_it_is_done(client, world):
    sign_in(client, world["alice"])
    html = page(client, reverse("manage:index"))
    coming, held = world["coming"], world["held"]
    # The paper Bob owes for the coming Board meeting: on the meeting's papers page.
    assert reverse("manage_meetings:papers", args=[coming.pk]) in html
    assert "1 of 2 papers outstanding" in html
    # Last week's minutes are not started: on its minutes page.
    assert reverse("manage_meetings:minutes", args=[held.pk]) in html
    # Carol's overdue action, by owner.
    assert "Carol Clark" in html and "1 overdue" in html
    assert reverse("meetings:actions") + "?show=overdue" in html
    # Erin never accepted her invitation; the failed minutes document.
    assert "Erin Ellis" in html
    assert "ValueError: the template broke" in html
    assert reverse("manage_meetings:agenda", args=[held.pk]) in html


def test_an_agenda_whose_papers_are_due_is_listed_to_publish_until_it_is(client, world):
    sign_in(client, world["alice"])
    soon = meeting_in(world["coming"].body, world["alice"], days=3)
    url = reverse("manage_meetings:agenda", args=[soon.pk])
    assert url in page(client, reverse("manage:index"))
    services.publish_agenda(meeting=soon, by=world["alice"])
    assert url not in page(client, reverse("manage:index"))


def test_panels_of_parts_not_built_yet_say_so(client, world):
    sign_in(client, world["alice"])
    html = page(client, reverse("manage:index"))
    for feature, message in WAITING.items():
        if feature_function(feature, "manager_panels") is None:
            assert message in html
        else:
            assert message not in html


def test_attendance_over_the_last_year_is_charted_with_its_data_as_a_table(client, world):
    held, carol = world["held"], world["carol"]
    services.record_attendance(meeting=held, present_ids={carol.pk}, deputy_present_ids=set(), by=world["alice"])
    sign_in(client, world["alice"])
    html = page(client, reverse("manage:index"))
    assert "<svg" in html and 'role="img"' in html
    assert "The data: attendance by organisation, last 12 months" in html
    assert "Broxbourne Borough Council" in html
    assert "100%" in html
    assert "Local government" in html


def test_a_member_lands_on_their_dashboard_after_signing_in(client, world):
    response = client.post(reverse("account_login"), {"login": "carol@example.org", "password": "a-long-test-password"})
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:dashboard")


def test_a_member_sees_their_next_meetings_whether_they_answered_and_what_to_read(client, world):
    carol, coming = world["carol"], world["coming"]
    services.publish_agenda(meeting=coming, by=world["alice"])
    sign_in(client, carol)
    html = page(client, reverse("partners:dashboard"))
    assert coming.get_absolute_url() in html
    assert "Not answered" in html
    assert "Strategic risk register" in html  # a members' paper of her own body
    assert "Steering Group secret paper" not in html  # another body's
    assert "Write to the funder" in html and "Overdue" in html
    services.respond_to_meeting(meeting=coming, person=carol, response="attending")
    assert "Attending" in page(client, reverse("partners:dashboard"))


def test_papers_are_new_only_if_published_since_the_member_last_looked(client, world):
    carol, coming, alice = world["carol"], world["coming"], world["alice"]
    services.publish_agenda(meeting=coming, by=alice)
    sign_in(client, carol)
    page(client, reverse("partners:dashboard"))
    # The agenda and its paper came out yesterday; she looked an hour ago; one paper came since.
    yesterday = timezone.now() - timedelta(days=1)
    Meeting.objects.filter(pk=coming.pk).update(agenda_published_at=yesterday)
    PaperVersion.objects.update(uploaded_at=yesterday)
    LastLook.objects.filter(user=carol).update(seen_at=timezone.now() - timedelta(hours=1))
    services.add_paper(item=world["bids"], title="Smart parking business case", purpose="x", upload=pdf(), by=alice)
    html = page(client, reverse("partners:dashboard"))
    assert "1 paper published since you last looked" in html
    assert "Smart parking business case" in html
    assert "Strategic risk register" not in html
    # Reloading straight away keeps the same "since".
    assert "Smart parking business case" in page(client, reverse("partners:dashboard"))


def test_a_partner_officer_sees_the_papers_they_present_and_their_deadline(client, world):
    bob, bids = world["bob"], world["bids"]
    sign_in(client, bob)
    html = page(client, reverse("partners:dashboard"))
    assert "Papers I present" in html
    assert "Smart parking bid" in html
    assert reverse("meetings:paper_add", args=[bids.pk]) in html
    assert "Risk register" not in html  # not his to present
    services.add_paper(item=bids, title="Bid", purpose="x", upload=pdf(), by=bob)
    assert "Received" in page(client, reverse("partners:dashboard"))


def test_a_member_is_offered_their_private_calendar_feed(client, world):
    carol = world["carol"]
    sign_in(client, carol)
    assert "Set up a private calendar feed" in page(client, reverse("partners:dashboard"))
    token = services.replace_calendar_token(user=carol)
    assert reverse("meetings:calendar_private", args=[token.token]) in page(client, reverse("partners:dashboard"))


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_a_partners_people_see_its_endorsement_projects_and_contributions(client, world, who):
    sign_in(client, world[who])
    html = page(client, reverse("partners:dashboard"))
    for title in ("endorsement of the strategy", "My organisation&#x27;s projects", "contributions to bids"):
        assert title in html
    assert "not in the portal yet" not in html


def test_what_counts_as_new_is_since_the_look_before_this_one(world):
    from reports.dashboards import look

    carol, start = world["carol"], timezone.now()
    assert look(carol, start) is None  # the first look: everything is new
    assert look(carol, start + timedelta(seconds=30)) is None  # a reload
    assert look(carol, start + timedelta(minutes=10)) is None  # the same sitting
    assert look(carol, start + timedelta(hours=2)) == start + timedelta(minutes=10)  # a new sitting
    assert look(carol, start + timedelta(hours=2, minutes=5)) == start + timedelta(minutes=10)

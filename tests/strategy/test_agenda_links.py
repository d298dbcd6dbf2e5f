"""An agenda item about the strategy or a project: the meeting's page and pack show the adoption
status, or the project's RAG and latest update, as they stood when the agenda was published."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from meetings import services as meetings_services
from strategy import delivery
from strategy.models import AgendaLink
from tests.conftest import sign_in
from tests.strategy.conftest import endorse


@pytest.fixture
def meeting(board, alice):
    starts = timezone.now() + timedelta(days=10)
    return meetings_services.schedule_meeting(
        body=board, starts_at=starts, ends_at=starts + timedelta(hours=2), by=alice
    )


def test_the_programme_manager_puts_the_strategy_on_an_agenda_and_the_page_shows_it_as_at_publication(
    client, routes, v1, meeting, alice, bob, carol, harlow, broxbourne, django_capture_on_commit_callbacks
):
    item = meetings_services.add_item(meeting=meeting, title="Digital Innovation Strategy", by=alice)
    sign_in(client, alice)
    url = reverse("manage_strategy:agenda_link") + f"?version={v1.pk}"
    response = client.post(url, {"item": item.pk})
    assert response["Location"] == meeting.get_absolute_url()
    endorse(harlow, v1, bob)
    meetings_services.publish_agenda(meeting=meeting, by=alice)
    endorse(broxbourne, v1, carol)  # after publication: the agenda still says what it said then
    client.logout()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Digital Innovation Strategy, version 1.0: 1 of 2 partners have endorsed version 1.0." in page
    assert "As at publication" in page
    meeting.refresh_from_db()
    divider = render_to_string("pdf/meetings/item_divider.html", {"item": item, "meeting": meeting})
    assert "1 of 2 partners have endorsed version 1.0" in divider


def test_a_public_item_says_nothing_of_a_partners_only_project(project, meeting, alice, bob):
    project.visibility = "partners"
    delivery.save_project(project=project, by=alice)
    delivery.post_update(
        project=project, by=bob, period="month", period_start=timezone.localdate(), rag="green", narrative="Secret."
    )
    public_item = meetings_services.add_item(meeting=meeting, title="Wi-Fi", by=alice)
    partners_item = meetings_services.add_item(
        meeting=meeting, title="Wi-Fi (partners)", visibility="partners", by=alice
    )
    public_link = delivery.link_agenda_item(item=public_item, project=project, by=alice)
    partners_link = delivery.link_agenda_item(item=partners_item, project=project, by=alice)
    now = timezone.now()
    assert delivery.link_status(public_link, now) == []
    assert (
        "Latest update" in delivery.link_status(partners_link, now)[0]
        and "Secret." in delivery.link_status(partners_link, now)[0]
    )


def test_a_link_needs_a_version_or_a_project(meeting, alice):
    from django.core.exceptions import ValidationError

    item = meetings_services.add_item(meeting=meeting, title="Anything", by=alice)
    with pytest.raises(ValidationError):
        delivery.link_agenda_item(item=item, by=alice)
    assert not AgendaLink.objects.exists()

"""Issue 6, point 6: after the meeting, only the programme manager changes its papers, and each
change is recorded (a new version with who uploaded it, and a line in the meeting's changes)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, MeetingChange, MinutesStatus
from tests.conftest import sign_in
from tests.meetings.conftest import pdf_upload


@pytest.fixture
def held(alice, bob, board, harlow):
    """A published Board meeting that has taken place, with minutes approved; Bob presented a paper."""
    starts = timezone.now() + timedelta(days=10)
    meeting = services.schedule_meeting(body=board, starts_at=starts, ends_at=starts + timedelta(hours=2), by=alice)
    item = services.add_item(meeting=meeting, title="Inclusion plan", presenter=bob, by=alice)
    paper = services.add_paper(item=item, title="Inclusion plan", purpose="x", upload=pdf_upload(), by=bob)
    services.publish_agenda(meeting=meeting, by=alice)
    past = timezone.now() - timedelta(days=20)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=past, ends_at=past + timedelta(hours=2), minutes_status=MinutesStatus.APPROVED
    )
    return paper


def test_a_presenter_cannot_replace_a_paper_after_the_meeting(client, bob, held):
    sign_in(client, bob)
    assert client.get(reverse("meetings:paper_replace", kwargs={"pk": held.pk})).status_code == 404
    response = client.post(reverse("meetings:paper_replace", kwargs={"pk": held.pk}), {"file": pdf_upload()})
    assert response.status_code == 404
    assert client.get(reverse("meetings:paper_add", kwargs={"pk": held.item_id})).status_code == 404
    with pytest.raises(ValidationError, match="only the programme manager"):
        services.replace_paper(paper=held, upload=pdf_upload(), by=bob)
    assert held.versions.count() == 1
    page = client.get(reverse("meetings:meeting", kwargs={"pk": held.item.meeting_id})).content.decode()
    assert "Upload a new version" not in page


def test_the_programme_manager_may_and_the_change_is_recorded(client, alice, held):
    sign_in(client, alice)
    url = reverse("meetings:paper_replace", kwargs={"pk": held.pk})
    assert client.post(url, {"file": pdf_upload(text="Corrected")}).status_code == 302
    version = held.versions.order_by("-number").first()
    assert (version.number, version.uploaded_by) == (2, alice)
    change = MeetingChange.objects.filter(meeting_id=held.item.meeting_id).latest("pk")
    assert change.by == alice and "version 2" in change.summary


def test_before_the_meeting_the_presenter_still_may(client, bob, held):
    Meeting.objects.filter(pk=held.item.meeting_id).update(
        starts_at=timezone.now() + timedelta(days=1), ends_at=timezone.now() + timedelta(days=1, hours=2)
    )
    sign_in(client, bob)
    assert client.get(reverse("meetings:paper_replace", kwargs={"pk": held.pk})).status_code == 200

"""`manage.py seed_bench --scale N`: synthetic data N times the DIZ's size, the same however often it runs."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings import services
from meetings.models import (
    LONDON,
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingSeries,
    Minute,
    MinutesStatus,
    Paper,
    PaperVersion,
)
from partners.models import GoverningBody, Membership, Organisation, User

MODELS = [
    Organisation,
    GoverningBody,
    User,
    Membership,
    MeetingSeries,
    Meeting,
    AgendaItem,
    Paper,
    PaperVersion,
    Attendance,
    Minute,
    Decision,
    Action,
]


def counts() -> dict[str, int]:
    result = {model.__name__: model.objects.count() for model in MODELS}
    for model in (Organisation, GoverningBody, Membership, Meeting, AgendaItem, Paper, Decision, Action):
        result[f"{model.__name__} history"] = model.history.count()
    return result


def seed(scale: int) -> str:
    out = StringIO()
    call_command("seed_bench", scale=scale, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seeding_twice_gives_the_same_rows():
    seed(1)
    first = counts()
    seed(1)
    assert counts() == first
    assert first["Meeting"] == 24  # a year of monthly meetings for each of the two bodies
    assert first["AgendaItem"] == 240
    assert first["Paper"] > 0 and first["PaperVersion"] == first["Paper"]


@pytest.mark.django_db
def test_the_meetings_have_what_the_meeting_page_and_action_log_show():
    seed(1)
    now = timezone.now()
    held = Meeting.objects.filter(ends_at__lt=now)
    assert held.count() >= 18
    assert held.filter(minutes_status=MinutesStatus.APPROVED).exists()
    assert Meeting.objects.filter(ends_at__gte=now).published().count() == 2  # each body's next meeting
    assert Meeting.objects.filter(ends_at__gte=now, agenda_published_at__isnull=True).exists()
    assert AgendaItem.objects.filter(visibility="restricted").exclude(restriction_reason="").exists()
    assert Action.objects.overdue().exists() and Action.objects.filter(status="done").exists()
    assert Decision.objects.filter(reference__startswith="BB1-").exists()
    version = PaperVersion.objects.first()
    assert version.file.storage.exists(version.file.name)


@pytest.mark.django_db
def test_seeding_leaves_other_meetings_and_their_history_alone(board, alice):
    starts = datetime(2030, 1, 8, 10, tzinfo=LONDON)
    meeting = services.schedule_meeting(body=board, starts_at=starts, ends_at=starts + timedelta(hours=2), by=alice)
    for n in range(30):  # history rows whose history_id the bench meetings' ids will overlap
        services.change_meeting(meeting=meeting, by=alice, location=f"Room {n}")
    before = (meeting.history.count(), AgendaItem.history.filter(meeting_id=meeting.pk).count())
    seed(1)
    seed(1)
    seed(0)
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert (meeting.history.count(), AgendaItem.history.filter(meeting_id=meeting.pk).count()) == before


@pytest.mark.django_db
def test_scale_zero_deletes_every_bench_row():
    before = counts()
    seed(2)
    assert Meeting.objects.count() == before["Meeting"] + 48
    seed(0)
    assert {k: v for k, v in counts().items() if "history" not in k} == {
        k: v for k, v in before.items() if "history" not in k
    }

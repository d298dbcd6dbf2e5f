from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from meetings import services
from meetings.models import LONDON, Meeting, MeetingSeries, StandingKind, nth_weekday, working_days_before


def test_nth_weekday_finds_the_second_tuesday_and_the_last_friday():
    assert nth_weekday(2026, 12, 1, 2) == date(2026, 12, 8)
    assert nth_weekday(2026, 12, 4, -1) == date(2026, 12, 25)


def test_working_days_skip_weekends():
    assert working_days_before(date(2026, 12, 8), 5) == date(2026, 12, 1)  # Tuesday to the Tuesday before
    assert working_days_before(date(2026, 12, 7), 1) == date(2026, 12, 4)  # Monday to Friday


@pytest.fixture
def series(board):
    return MeetingSeries.objects.create(
        body=board, ordinal=2, weekday=1, start_time=time(10), end_time=time(12), location="Civic Offices"
    )


def test_a_series_describes_its_rule(series):
    assert series.describe() == "Second Tuesday of each month, 10:00–12:00"


def test_generating_a_series_makes_a_year_of_meetings_with_standing_items(series, alice):
    meetings = services.generate_meetings(series=series, start=date(2026, 12, 1), months=12, by=alice)
    assert len(meetings) == 12
    first = meetings[0]
    assert first.starts_at == datetime(2026, 12, 8, 10, tzinfo=LONDON)
    assert first.papers_due_at == datetime(2026, 12, 1, 17, tzinfo=LONDON)
    assert [i.standing_kind for i in first.items.order_by("number")] == [
        StandingKind.WELCOME,
        StandingKind.DECLARATIONS,
        StandingKind.MINUTES,
        StandingKind.ACTIONS,
        StandingKind.AOB,
        StandingKind.NEXT_MEETING,
    ]


def test_generating_again_adds_nothing_even_after_a_meeting_moved(series, alice):
    [first, *_] = services.generate_meetings(series=series, start=date(2026, 12, 1), months=3, by=alice)
    services.change_meeting(
        meeting=first,
        starts_at=first.starts_at + timedelta(days=1),
        ends_at=first.ends_at + timedelta(days=1),
        by=alice,
    )
    assert services.generate_meetings(series=series, start=date(2026, 12, 1), months=3, by=alice) == []
    assert Meeting.objects.filter(series=series).count() == 3


def test_moving_a_meeting_raises_its_calendar_sequence_and_keeps_its_uid(meeting, alice):
    uid = meeting.uid
    services.change_meeting(
        meeting=meeting,
        starts_at=meeting.starts_at + timedelta(hours=1),
        ends_at=meeting.ends_at + timedelta(hours=1),
        by=alice,
    )
    meeting.refresh_from_db()
    assert meeting.uid == uid
    assert meeting.sequence == 1


def test_a_meeting_that_ends_before_it_starts_is_refused(board, alice):
    starts = datetime(2026, 12, 8, 10, tzinfo=LONDON)
    with pytest.raises(ValidationError) as error:
        services.schedule_meeting(body=board, starts_at=starts, ends_at=starts - timedelta(hours=1), by=alice)
    assert error.value.message_dict["ends_at"] == ["A meeting must end after it starts."]
    assert not Meeting.objects.exists()


def test_an_online_meeting_needs_a_joining_link(board, alice):
    starts = datetime(2026, 12, 8, 10, tzinfo=LONDON)
    with pytest.raises(ValidationError) as error:
        services.schedule_meeting(
            body=board, starts_at=starts, ends_at=starts + timedelta(hours=1), mode="online", by=alice
        )
    assert "joining_link" in error.value.message_dict


def test_cancelling_keeps_the_meeting(meeting, alice):
    services.cancel_meeting(meeting=meeting, reason="Not quorate", by=alice)
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.sequence == 1


def test_business_goes_before_any_other_business(meeting, alice):
    item = services.add_item(meeting=meeting, title="Full fibre bid", by=alice)
    titles = [i.title for i in meeting.items.order_by("number")]
    assert titles.index("Full fibre bid") == 4
    assert titles[-2:] == ["Any other business", "Date of next meeting"]
    assert item.number == 5


def test_a_restricted_item_needs_its_reason(meeting, alice):
    with pytest.raises(ValidationError) as error:
        services.add_item(meeting=meeting, title="Bid pricing", visibility="restricted", by=alice)
    assert "restriction_reason" in error.value.message_dict


def test_reordering_renumbers_and_timings_follow(meeting, alice):
    a = services.add_item(meeting=meeting, title="A", duration_minutes=20, by=alice)
    b = services.add_item(meeting=meeting, title="B", duration_minutes=30, by=alice)
    items = list(meeting.items.order_by("number"))
    order = [i.pk for i in items]
    i, j = order.index(a.pk), order.index(b.pk)
    order[i], order[j] = b.pk, a.pk
    services.reorder_items(meeting=meeting, ordered_ids=order, by=alice)
    items = list(meeting.items.order_by("number"))
    assert [i.title for i in items][4:6] == ["B", "A"]
    timed, ends = services.item_timings(meeting, items)
    assert timed[5][1] - timed[4][1] == timedelta(minutes=30)
    assert ends - meeting.starts_at == timedelta(minutes=sum(i.duration_minutes for i in items))


def test_reordering_must_name_every_item_once(meeting, alice):
    with pytest.raises(ValidationError):
        services.reorder_items(meeting=meeting, ordered_ids=[meeting.items.first().pk], by=alice)


def test_a_forward_plan_item_is_accepted_onto_an_agenda(meeting, alice, bob, harlow):
    proposal = services.propose_forward_item(
        body=meeting.body, title="Digital skills", purpose="decision", presenter=bob, organisation=harlow, by=alice
    )
    item = services.accept_forward_item(forward_item=proposal, meeting=meeting, by=alice)
    assert item.presenter == bob and item.purpose == "decision"
    with pytest.raises(ValidationError):
        services.accept_forward_item(forward_item=proposal, meeting=meeting, by=alice)

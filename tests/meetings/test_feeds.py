"""Calendar feeds (RFC 5545), read back with a small parser that checks the rules as it goes."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import feeds, services
from meetings.models import LONDON, CalendarToken
from tests.conftest import sign_in
from tests.factories import UserFactory
from tests.meetings.conftest import MEMBERS_ONLY, PARTNERS_ONLY, SECRETS, build_agenda
from tests.support.queries import assert_constant_queries

CONTENT_TYPE = "text/calendar; charset=utf-8"


def unfold(raw: bytes) -> list[str]:
    """Check the physical lines (CRLF endings, at most 75 octets) and join folded ones."""
    assert raw.endswith(b"\r\n")
    physical = raw[:-2].split(b"\r\n")
    for line in physical:
        assert b"\n" not in line and b"\r" not in line, f"a bare line break in {line!r}"
        assert len(line) <= 75, f"a line of {len(line)} octets: {line!r}"
    text = raw.decode("utf-8")  # also proves no character was split when folding
    return text[:-2].replace("\r\n ", "").split("\r\n")


def parse(raw: bytes) -> dict:
    """The calendar's properties, its VTIMEZONE and its VEVENTs, each a dict of name to
    (parameters, value); events keep their properties' order in `order`."""
    lines = unfold(raw)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    calendar: dict = {"props": {}, "events": [], "timezones": []}
    stack: list[dict] = []
    for line in lines[1:-1]:
        name_part, _, value = line.partition(":")
        name, *params = name_part.split(";")
        if name == "BEGIN":
            stack.append({"kind": value, "props": {}, "order": [], "children": []})
            continue
        if name == "END":
            component = stack.pop()
            assert component["kind"] == value
            if stack:
                stack[-1]["children"].append(component)
            elif value == "VEVENT":
                calendar["events"].append(component)
            elif value == "VTIMEZONE":
                calendar["timezones"].append(component)
            continue
        target = stack[-1] if stack else calendar
        assert name not in target["props"] or name in {"ATTENDEE"}, f"{name} twice"
        target["props"][name] = (params, value)
        if stack:
            stack[-1]["order"].append(name)
    assert not stack
    return calendar


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\":
            nxt = value[i + 1]
            out.append({"n": "\n", "N": "\n"}.get(nxt, nxt))
            assert nxt in "\\;,nN", f"a bad escape \\{nxt}"
            i += 2
        else:
            assert value[i] not in ";,", f"an unescaped {value[i]!r} in {value!r}"
            out.append(value[i])
            i += 1
    return "".join(out)


def get_feed(client, url) -> tuple[dict, bytes]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    return parse(response.content), response.content


def event_for(calendar, meeting) -> dict | None:
    return next((e for e in calendar["events"] if e["props"]["UID"][1] == meeting.uid), None)


@pytest.fixture
def published(meeting, alice, erin):
    build_agenda(meeting, by=alice, presenter=erin)
    return services.publish_agenda(meeting=meeting, by=alice)


@pytest.fixture
def erin(db):
    return UserFactory(name="Erin Ellis")


@pytest.fixture
def draft(board, alice):
    starts = timezone.now() + timedelta(days=40)
    return services.schedule_meeting(
        body=board,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        location="Online",
        mode="online",
        joining_link="https://meet.example.org/secret-board-room",
        by=alice,
    )


@pytest.fixture
def carol_token(carol):
    return CalendarToken.objects.create(user=carol)


# --- The format ------------------------------------------------------------------------------


def test_every_event_has_the_properties_a_calendar_needs(client, published):
    calendar, _ = get_feed(client, reverse("meetings:calendar_public"))
    assert calendar["props"]["VERSION"][1] == "2.0"
    assert calendar["props"]["PRODID"][1]
    (event,) = calendar["events"]
    props = event["props"]
    assert props["UID"][1] == published.uid
    assert props["SEQUENCE"][1] == str(published.sequence)
    assert props["DTSTAMP"][1].endswith("Z") and len(props["DTSTAMP"][1]) == 16
    assert props["DTSTART"] == (
        ["TZID=Europe/London"],
        timezone.localtime(published.starts_at).strftime("%Y%m%dT%H%M%S"),
    )
    assert props["DTEND"] == (["TZID=Europe/London"], timezone.localtime(published.ends_at).strftime("%Y%m%dT%H%M%S"))
    assert unescape(props["SUMMARY"][1]) == "Board meeting"
    assert unescape(props["LOCATION"][1]) == "Civic Offices, Epping"
    assert props["STATUS"][1] == "CONFIRMED"
    assert props["URL"][1].endswith(published.get_absolute_url())


def test_the_feed_embeds_the_london_time_zone_with_its_summer_time_rules(client, published):
    calendar, _ = get_feed(client, reverse("meetings:calendar_public"))
    (zone,) = calendar["timezones"]
    assert zone["props"]["TZID"][1] == "Europe/London"
    rules = {child["kind"]: child["props"] for child in zone["children"]}
    assert rules["DAYLIGHT"]["RRULE"][1] == "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"
    assert rules["DAYLIGHT"]["DTSTART"][1].endswith("T010000")  # 01:00 GMT, which is 01:00 UTC
    assert (rules["DAYLIGHT"]["TZOFFSETFROM"][1], rules["DAYLIGHT"]["TZOFFSETTO"][1]) == ("+0000", "+0100")
    assert rules["STANDARD"]["RRULE"][1] == "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"
    assert rules["STANDARD"]["DTSTART"][1].endswith("T020000")  # 02:00 BST, which is 01:00 UTC
    assert (rules["STANDARD"]["TZOFFSETFROM"][1], rules["STANDARD"]["TZOFFSETTO"][1]) == ("+0100", "+0000")


def test_a_summer_meeting_is_at_its_london_time(client, board, alice):
    starts = datetime(timezone.localdate().year + 1, 7, 14, 10, 0, tzinfo=LONDON)
    summer = services.schedule_meeting(body=board, starts_at=starts, ends_at=starts + timedelta(hours=2), by=alice)
    services.publish_agenda(meeting=summer, by=alice)
    calendar, _ = get_feed(client, reverse("meetings:calendar_public"))
    assert event_for(calendar, summer)["props"]["DTSTART"][1].endswith("T100000")


def test_long_lines_are_folded_and_text_is_escaped(client, published, alice):
    location = "Council Chamber; Civic Offices, High Street\\Epping — “the old town hall” " * 2
    services.change_meeting(meeting=published, by=alice, location=location.strip()[:200])
    calendar, raw = get_feed(client, reverse("meetings:calendar_public"))
    assert b"\r\n " in raw  # something was folded
    (event,) = calendar["events"]
    assert unescape(event["props"]["LOCATION"][1]) == location.strip()[:200]
    assert "\\;" in event["props"]["LOCATION"][1] and "\\," in event["props"]["LOCATION"][1]


def test_folding_never_splits_a_character():
    line = "DESCRIPTION:" + "é" * 100
    folded = feeds.fold(line)
    for physical in folded.split("\r\n"):
        assert len(physical.encode()) <= 75
        physical.encode().decode()
    assert folded.replace("\r\n ", "") == line


def test_newlines_are_escaped():
    assert feeds.escape_text("a\nb\r\nc, d; e\\f") == "a\\nb\\nc\\, d\\; e\\\\f"


def test_feeds_carry_no_attendees_and_no_email_addresses(client, published, carol, alice, carol_token):
    services.respond_to_meeting(meeting=published, person=carol, response="attending")
    for url in (
        reverse("meetings:calendar_public"),
        reverse("meetings:calendar_private", args=[carol_token.token]),
    ):
        _, raw = get_feed(client, url)
        text = raw.decode()
        assert "ATTENDEE" not in text and "ORGANIZER" not in text
        assert "@example.org" not in text and "mailto:" not in text


# --- What each feed holds --------------------------------------------------------------------


def test_no_agenda_item_title_ever_appears_in_a_feed(client, published, carol_token):
    """Feeds carry meetings only: restricted, members-only and partner items stay out of them all."""
    for url in (
        reverse("meetings:calendar_public"),
        reverse("meetings:calendar_body", args=[published.body.slug]),
        reverse("meetings:calendar_private", args=[carol_token.token]),
    ):
        _, raw = get_feed(client, url)
        for words in SECRETS + MEMBERS_ONLY + PARTNERS_ONLY:
            assert words.encode() not in raw.replace(b"\r\n ", b"")


def test_a_draft_meeting_is_absent_from_the_public_feed_but_in_the_members_private_one(
    client, published, draft, carol_token
):
    public, _ = get_feed(client, reverse("meetings:calendar_public"))
    assert event_for(public, published) and not event_for(public, draft)
    body_feed, _ = get_feed(client, reverse("meetings:calendar_body", args=[published.body.slug]))
    assert not event_for(body_feed, draft)
    private, _ = get_feed(client, reverse("meetings:calendar_private", args=[carol_token.token]))
    assert event_for(private, published) and event_for(private, draft)


def test_the_joining_link_is_only_in_the_private_feed(client, draft, alice, carol_token):
    services.publish_agenda(meeting=draft, by=alice)
    _, public_raw = get_feed(client, reverse("meetings:calendar_public"))
    assert b"secret-board-room" not in public_raw.replace(b"\r\n ", b"")
    private, _ = get_feed(client, reverse("meetings:calendar_private", args=[carol_token.token]))
    assert "secret-board-room" in unescape(event_for(private, draft)["props"]["DESCRIPTION"][1])


def test_a_cancelled_meeting_stays_in_the_feed_as_cancelled_with_the_same_uid_and_a_higher_sequence(
    client, published, alice
):
    before = event_for(get_feed(client, reverse("meetings:calendar_public"))[0], published)["props"]
    services.cancel_meeting(meeting=published, reason="Not quorate", by=alice)
    after = event_for(get_feed(client, reverse("meetings:calendar_public"))[0], published)["props"]
    assert after["UID"] == before["UID"]
    assert int(after["SEQUENCE"][1]) == int(before["SEQUENCE"][1]) + 1
    assert after["STATUS"][1] == "CANCELLED"


def test_a_cancelled_meeting_that_was_never_published_stays_out_of_the_public_feed(client, draft, alice):
    services.cancel_meeting(meeting=draft, reason="No business", by=alice)
    assert not event_for(get_feed(client, reverse("meetings:calendar_public"))[0], draft)


def test_a_moved_meeting_keeps_its_uid_and_raises_its_sequence(client, published, alice):
    before = event_for(get_feed(client, reverse("meetings:calendar_public"))[0], published)["props"]
    services.change_meeting(
        meeting=published, by=alice, starts_at=published.starts_at + timedelta(hours=1), ends_at=published.ends_at
    )
    after = event_for(get_feed(client, reverse("meetings:calendar_public"))[0], published)["props"]
    assert after["UID"] == before["UID"] and after["SEQUENCE"] != before["SEQUENCE"]
    assert after["DTSTART"] != before["DTSTART"]


def test_a_body_feed_holds_only_that_bodys_meetings(client, published, steering_group, alice):
    starts = timezone.now() + timedelta(days=5)
    other = services.schedule_meeting(
        body=steering_group, starts_at=starts, ends_at=starts + timedelta(hours=1), by=alice
    )
    services.publish_agenda(meeting=other, by=alice)
    board_feed, _ = get_feed(client, reverse("meetings:calendar_body", args=[published.body.slug]))
    assert event_for(board_feed, published) and not event_for(board_feed, other)
    everything, _ = get_feed(client, reverse("meetings:calendar_public"))
    assert event_for(everything, published) and event_for(everything, other)
    assert client.get(reverse("meetings:calendar_body", args=["no-such-body"])).status_code == 404


def test_the_private_feed_holds_only_the_members_bodies(client, published, steering_group, alice, dave):
    starts = timezone.now() + timedelta(days=5)
    other = services.schedule_meeting(
        body=steering_group, starts_at=starts, ends_at=starts + timedelta(hours=1), by=alice
    )
    token = CalendarToken.objects.create(user=dave)
    private, _ = get_feed(client, reverse("meetings:calendar_private", args=[token.token]))
    assert event_for(private, other) and not event_for(private, published)


def test_a_wrong_or_replaced_token_is_a_404(client, carol, carol_token):
    assert client.get(reverse("meetings:calendar_private", args=["not-a-token"])).status_code == 404
    old = carol_token.token
    sign_in(client, carol)
    client.post(reverse("meetings:calendar_replace"))
    assert client.get(reverse("meetings:calendar_private", args=[old])).status_code == 404
    new = CalendarToken.objects.get(user=carol).token
    assert new != old
    assert client.get(reverse("meetings:calendar_private", args=[new])).status_code == 200


def test_a_deactivated_accounts_feed_stops(client, carol, carol_token):
    carol.is_active = False
    carol.save()
    assert client.get(reverse("meetings:calendar_private", args=[carol_token.token])).status_code == 404


def test_the_private_feed_is_not_cached_by_shared_caches(client, carol_token):
    response = client.get(reverse("meetings:calendar_private", args=[carol_token.token]))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


# --- Query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("feed", ["public", "body", "private"])
def test_feeds_make_the_same_queries_whatever_the_number_of_meetings(
    client, published, draft, carol_token, feed, board, steering_group, alice
):
    url = {
        "public": reverse("meetings:calendar_public"),
        "body": reverse("meetings:calendar_body", args=[board.slug]),
        "private": reverse("meetings:calendar_private", args=[carol_token.token]),
    }[feed]

    def grow():
        for days in range(50, 80, 3):
            for body in (board, steering_group):
                starts = timezone.now() + timedelta(days=days)
                meeting = services.schedule_meeting(
                    body=body, starts_at=starts, ends_at=starts + timedelta(hours=1), by=alice
                )
                services.publish_agenda(meeting=meeting, by=alice)

    assert_constant_queries(client, url, grow, bound=6)

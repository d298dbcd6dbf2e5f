"""Calendar feeds of meetings (iCalendar, RFC 5545), written by hand: the format is small and a
library would bring more than it saves.

- /meetings/calendar.ics: every published meeting of every body (cancelled ones stay, marked
  CANCELLED, so subscribers' calendars drop them). The address is a stable interface.
- /meetings/calendar/<body>.ics: the same, for one body.
- /meetings/calendar/private/<token>.ics: a member's own feed: their bodies' meetings, published or
  not, with the joining link. The token is the credential (calendar apps cannot sign in).

Feeds carry meetings only: no agenda items (whose titles may be restricted) and no attendees.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from diz_portal.caching import public_page
from meetings.models import LONDON, CalendarToken, Meeting
from meetings.permissions import member_body_ids
from partners.models import GoverningBody, Partnership
from partners.permissions import bind_feed_token, is_programme_manager

CONTENT_TYPE = "text/calendar; charset=utf-8"
TZID = "Europe/London"
# Europe/London since 1996: BST from 01:00 UTC on the last Sunday of March, GMT from 01:00 UTC on
# the last Sunday of October. Each DTSTART is the local time of the change in the offset it ends.
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "TZNAME:BST",
    "DTSTART:19960331T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "TZNAME:GMT",
    "DTSTART:19961027T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


# --- The format ------------------------------------------------------------------------------


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line to at most 75 octets a line (RFC 5545 3.1), never inside a character;
    each continuation starts with a space, which counts towards its 75."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        size = len(char.encode())
        if len(current) + size > limit:
            parts.append(current.decode())
            current, limit = b"", 74
        current += char.encode()
    parts.append(current.decode())
    return "\r\n ".join(parts)


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def london(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%Y%m%dT%H%M%S")


def vevent(meeting: Meeting, *, private: bool) -> list[str]:
    url = settings.SITE_URL + meeting.get_absolute_url()
    summary = f"{meeting.body.name} meeting"
    if meeting.is_cancelled:
        summary = f"Cancelled: {summary}"
    description = [f"{meeting.get_mode_display()}.", f"Agenda and papers: {url}"]
    if meeting.is_cancelled and meeting.cancelled_reason:
        description.insert(0, f"Cancelled: {meeting.cancelled_reason}")
    if private and meeting.joining_link and not meeting.is_cancelled:
        description.append(f"Join online: {meeting.joining_link}")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{meeting.uid}",
        f"SEQUENCE:{meeting.sequence}",
        f"DTSTAMP:{utc_stamp(meeting.updated_at)}",
        f"DTSTART;TZID={TZID}:{london(meeting.starts_at)}",
        f"DTEND;TZID={TZID}:{london(meeting.ends_at)}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(chr(10).join(description))}",
    ]
    if meeting.location:
        lines.append(f"LOCATION:{escape_text(meeting.location)}")
    lines += [
        f"STATUS:{'CANCELLED' if meeting.is_cancelled else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
        f"URL:{url}",
        "END:VEVENT",
    ]
    return lines


def calendar(meetings, *, name: str, private: bool = False) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{settings.PORTAL_NAME}//Meetings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{escape_text(name)}",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{TZID}",
        *VTIMEZONE,
    ]
    for meeting in meetings:
        lines += vevent(meeting, private=private)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _response(body: str, *, private: bool) -> HttpResponse:
    response = HttpResponse(body.encode(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    if private:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    else:
        response["Cache-Control"] = "public, max-age=900"
    return response


# --- The feeds -------------------------------------------------------------------------------


def published_meetings():
    """Meetings whose agenda was published, cancelled ones included (they stay published)."""
    return Meeting.objects.published().with_body().order_by("starts_at", "pk")


@public_page("partners", "meetings")
def public_feed(request):
    partnership = Partnership.current()
    return _response(calendar(published_meetings(), name=f"{partnership.short_name} meetings"), private=False)


@public_page("partners", "meetings")
def body_feed(request, slug):
    body = get_object_or_404(GoverningBody, slug=slug)
    partnership = Partnership.current()
    meetings = published_meetings().filter(body=body)
    return _response(calendar(meetings, name=f"{partnership.short_name} {body.name} meetings"), private=False)


def private_feed(request, token):
    """A member's feed: the meetings of the bodies they sit on (in person or as a deputy), whether
    the agenda is published or not, with the joining link; the programme manager's has them all.
    An unknown or replaced token, or a deactivated account, is a 404."""
    calendar_token = get_object_or_404(CalendarToken.objects.select_related("user"), token=token, user__is_active=True)
    user = bind_feed_token(calendar_token.user, calendar_token.created_at)
    meetings = Meeting.objects.with_body().order_by("starts_at", "pk")
    if not is_programme_manager(user):
        meetings = meetings.filter(body_id__in=member_body_ids(user))
    partnership = Partnership.current()
    return _response(calendar(meetings, name=f"{partnership.short_name}: my meetings", private=True), private=True)

"""schema.org descriptions (JSON-LD) of the partnership, its meetings and seminars (Event) and its
news (NewsArticle), for search engines. Addresses are absolute (settings.SITE_URL). Only what the
public page itself shows goes in: never a meeting's joining link, never an agenda item."""

from __future__ import annotations

from django.conf import settings

CONTEXT = "https://schema.org"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def organisation(partnership, request=None) -> dict:
    data = {
        "@context": CONTEXT,
        "@type": "Organization",
        "@id": absolute("/#organisation"),
        "name": partnership.name,
        "alternateName": partnership.short_name,
        "url": absolute("/"),
        "description": partnership.vision or partnership.strapline,
    }
    if partnership.contact_email:
        data["email"] = partnership.contact_email
    return data


def _publisher(partnership) -> dict:
    return {"@type": "Organization", "name": partnership.name, "url": absolute("/")}


def news_article(item, *, partnership, request=None) -> dict:
    data = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": item.title[:110],
        "description": item.summary,
        "url": absolute(item.get_absolute_url()),
        "mainEntityOfPage": absolute(item.get_absolute_url()),
        "datePublished": item.published_at.isoformat() if item.published_at else None,
        "dateModified": max(item.updated_at, item.published_at or item.updated_at).isoformat(),
        "author": _publisher(partnership),
        "publisher": _publisher(partnership),
    }
    if item.image:
        data["image"] = [absolute(item.image.url)]
    return data


_ATTENDANCE_MODE = {
    "in_person": "https://schema.org/OfflineEventAttendanceMode",
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "hybrid": "https://schema.org/MixedEventAttendanceMode",
}


def meeting_event(meeting, *, partnership) -> dict:
    """A public meeting. Online ones are located at their public page (the joining link is for
    the people invited, and stays off public pages)."""
    place = {
        "@type": "Place",
        "name": meeting.location or "To be confirmed",
        "address": meeting.location or "To be confirmed",
    }
    page = {"@type": "VirtualLocation", "url": absolute(meeting.get_absolute_url())}
    location = {"online": page, "hybrid": [place, page]}.get(meeting.mode, place)
    return {
        "@context": CONTEXT,
        "@type": "Event",
        "name": f"{meeting.title}, {meeting.starts_at:%-d %B %Y}",
        "startDate": meeting.starts_at.isoformat(),
        "endDate": meeting.ends_at.isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if meeting.is_cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": _ATTENDANCE_MODE.get(meeting.mode, _ATTENDANCE_MODE["in_person"]),
        "location": location,
        "url": absolute(meeting.get_absolute_url()),
        "organizer": _publisher(partnership),
    }


def seminar_event(seminar, *, partnership) -> dict:
    data = {
        "@context": CONTEXT,
        "@type": "Event",
        "name": seminar.title,
        "startDate": seminar.held_on.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": _ATTENDANCE_MODE["in_person"],
        "location": {"@type": "Place", "name": seminar.venue, "address": seminar.venue},
        "url": absolute(seminar.get_absolute_url()),
        "organizer": _publisher(partnership),
    }
    if seminar.summary:
        data["description"] = seminar.summary[:500]
    return data

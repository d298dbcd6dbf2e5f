"""Template filters and tags every app's pages use: Markdown, schema.org JSON-LD, cheap links."""

import functools
import json

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import mark_safe

from diz_portal import markdown, structured_data
from partners.models import Partnership

register = template.Library()

# As Django's json_script: nothing in the data can close the <script> element or open a comment.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter(name="markdown")
def markdown_filter(text):
    return markdown.render(text)


@register.filter
def json_ld(data):
    """A schema.org description as a JSON-LD data block (not a script the browser runs, so the
    Content-Security-Policy has no objection)."""
    if not data:
        return ""
    payload = json.dumps(data, ensure_ascii=False, default=str).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 -- escaped above


@register.simple_tag(takes_context=True)
def event_json_ld(context, meeting=None, seminar=None):
    """JSON-LD for a meeting's or a seminar's page (the meetings app's templates ask for it)."""
    partnership = context.get("partnership") or Partnership.current()
    if meeting is not None:
        return json_ld(structured_data.meeting_event(meeting, partnership=partnership))
    if seminar is not None:
        return json_ld(structured_data.seminar_event(seminar, partnership=partnership))
    return ""


@functools.lru_cache(maxsize=256)
def _reverse_once(name: str, prefix: str, urlconf) -> str:
    return reverse(name, urlconf=urlconf)


@register.simple_tag
def link(name):
    """`{% url name %}` for an address without arguments, worked out once per process: the layout
    links to some twenty-five such pages on every page, and reversing each costs more than
    rendering the rest of the header and footer."""
    return _reverse_once(name, get_script_prefix(), get_urlconf())

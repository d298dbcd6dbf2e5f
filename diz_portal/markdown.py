"""Markdown that the programme manager writes (news, pages, newsletters), rendered by
markdown-it-py and then sanitised by nh3 (ammonia): raw HTML typed into the text is shown as text
by the renderer, and whatever HTML the renderer makes passes nh3's allow-list, so a link to
`javascript:` or an `onclick` never reaches a page or an email."""

from __future__ import annotations

import re

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# CommonMark with tables and strikethrough; "html": False makes typed <script> plain text.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "hr", "li", "ol", "p", "pre",
    "strong", "table", "tbody", "td", "th", "thead", "tr", "ul", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto"}

# GOV.UK Frontend's classes for the elements Markdown makes, so rendered text looks like the rest.
_CLASSES = {
    "p": "govuk-body",
    "a": "govuk-link",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "h2": "govuk-heading-m",
    "h3": "govuk-heading-s",
    "h4": "govuk-heading-s",
    "blockquote": "govuk-inset-text",
    "table": "govuk-table",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
    "tr": "govuk-table__row",
    "hr": "govuk-section-break govuk-section-break--m govuk-section-break--visible",
}
_OPEN_TAG = re.compile(r"<(" + "|".join(_CLASSES) + r")(?=[\s>/])")


def _shift_headings(html: str) -> str:
    # A page has one <h1> (its title): a "# Heading" in the text becomes <h2>, as "## Heading" is.
    return html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")


def clean_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render(text: str, *, styled: bool = True) -> SafeString:
    """Markdown to safe HTML. `styled` adds the design system's classes (pages); emails go
    without them (mail clients ignore our stylesheet)."""
    html = clean_html(_shift_headings(_md.render(text or "")))
    if styled:
        html = _OPEN_TAG.sub(lambda m: f'<{m.group(1)} class="{_CLASSES[m.group(1)]}"', html)
    return mark_safe(html)  # noqa: S308 -- rendered without raw HTML, then sanitised by nh3


def plain_text(text: str) -> str:
    """The words of a Markdown text without its markup (search, summaries, feeds)."""
    return strip_tags(_md.render(text or "")).strip()

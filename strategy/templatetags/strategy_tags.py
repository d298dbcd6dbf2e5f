"""`{% agenda_link_status item meeting %}`: on a meeting's page and in its pack, what an item about
the strategy or a project says: the adoption status, or the project's RAG and latest update, as
they stood when the agenda was published. All of a meeting's links are read in one query, the
first time the tag is used for the meeting."""

from django import template
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("strategy/_agenda_link.html")
def agenda_link_status(item, meeting):
    from strategy.delivery import link_status
    from strategy.models import AgendaLink

    links = getattr(meeting, "_strategy_links", None)
    if links is None:
        links = meeting._strategy_links = {
            link.item_id: link
            for link in AgendaLink.objects.filter(item__meeting_id=meeting.pk).select_related(
                "item", "version__strategy", "project"
            )
        }
    link = links.get(item.pk)
    if link is None:
        return {"lines": []}
    when = meeting.agenda_published_at or timezone.now()
    return {"lines": link_status(link, when), "published": meeting.agenda_published_at, "link": link}

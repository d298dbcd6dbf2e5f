"""Who sees which meetings, items and papers. Every page, feed, search, export and pack asks here.

A viewer's audience for a body is one of:
- "members": the programme manager, a current member of the body, or a current member's deputy;
- "partners": any other signed-in person working for a partner organisation;
- "public": everyone else.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from meetings.models import LEVELS_FOR, AgendaItem, Meeting, Paper
from partners.models import Membership
from partners.permissions import is_partner_officer, is_programme_manager


def member_body_ids(user) -> set[int]:
    """Bodies `user` sits on now, in person or as a current member's deputy (cached per request)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_diz_member_body_ids", None)
    if cached is None:
        from django.db.models import Q

        cached = user._diz_member_body_ids = set(
            Membership.objects.current().filter(Q(person=user) | Q(deputy=user)).values_list("body_id", flat=True)
        )
    return cached


def audience_for(user, body_id: int) -> str:
    if is_programme_manager(user) or body_id in member_body_ids(user):
        return "members"
    if is_partner_officer(user):
        return "partners"
    return "public"


def levels_for(user, body_id: int) -> set[str]:
    return LEVELS_FOR[audience_for(user, body_id)]


def can_see_level(user, body_id: int, level: str) -> bool:
    return level in levels_for(user, body_id)


def is_presenter(user, item: AgendaItem) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return item.presenter_id == user.pk or (
        bool(user.organisation_id) and item.presenter_organisation_id == user.organisation_id
    )


def can_see_agenda(user, meeting: Meeting) -> bool:
    """A draft agenda is the programme manager's; once published, everyone sees the items their
    audience allows."""
    return meeting.is_published or is_programme_manager(user)


def can_manage_meetings(user) -> bool:
    return is_programme_manager(user)


def get_meeting_for_user(user, pk: int) -> Meeting:
    """Any scheduled or cancelled meeting's date and status are public (as on a council's
    committee calendar); what is on its agenda depends on `can_see_agenda` and `levels_for`."""
    return get_object_or_404(Meeting.objects.with_body(), pk=pk)


def get_meeting_for_management(user, pk: int) -> Meeting:
    if not can_manage_meetings(user):
        raise Http404
    return get_object_or_404(Meeting.objects.with_body(), pk=pk)


def get_item_for_user(user, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)
    visible = can_see_agenda(user, item.meeting) and can_see_level(user, item.meeting.body_id, item.visibility)
    if not (visible or is_presenter(user, item)):
        raise Http404
    return item


def get_item_for_upload(user, pk: int) -> AgendaItem:
    """Presenters (the named presenter or an officer of the presenting organisation) and the
    programme manager upload papers; nobody else learns the item exists."""
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)
    if not (is_programme_manager(user) or is_presenter(user, item)):
        raise Http404
    return item


def get_paper_for_user(user, pk: int) -> Paper:
    paper = get_object_or_404(Paper.objects.select_related("item__meeting__body"), pk=pk)
    item = paper.item
    allowed = can_see_agenda(user, item.meeting) and can_see_level(user, item.meeting.body_id, item.visibility)
    allowed = allowed and can_see_level(user, item.meeting.body_id, paper.visibility)
    if not (allowed or is_presenter(user, item) or is_programme_manager(user)):
        raise Http404
    return paper

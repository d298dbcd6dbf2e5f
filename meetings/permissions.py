"""Who sees which meetings, items and papers. Every page, feed, search, export and pack asks here.

A viewer's audience for a body is one of:
- "members": the programme manager, a current member of the body, or a current member's deputy;
- "partners": any other signed-in person working for a partner organisation;
- "public": everyone else.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from diz_portal.models import DocumentStatus, GeneratedDocument
from meetings.models import (
    LEVELS_FOR,
    Action,
    AgendaItem,
    Decision,
    Declaration,
    ForwardPlanItem,
    Meeting,
    MeetingSeries,
    MinutesStatus,
    Paper,
    PaperVersion,
)
from partners.models import Membership
from partners.permissions import is_partner_officer, is_programme_manager


def member_body_ids(user) -> set[int]:
    """Bodies `user` sits on now, in person or as a current member's deputy (cached per request)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_diz_member_body_ids", None)
    if cached is None:
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


def get_item_for_management(user, meeting_pk: int, item_pk: int) -> AgendaItem:
    meeting = get_meeting_for_management(user, meeting_pk)
    item = get_object_or_404(AgendaItem.objects.select_related("presenter", "presenter_organisation"), pk=item_pk)
    if item.meeting_id != meeting.pk:
        raise Http404
    item.meeting = meeting
    return item


def get_series_for_management(user, pk: int) -> MeetingSeries:
    if not can_manage_meetings(user):
        raise Http404
    return get_object_or_404(MeetingSeries.objects.select_related("body"), pk=pk)


def get_forward_item_for_management(user, pk: int) -> ForwardPlanItem:
    if not can_manage_meetings(user):
        raise Http404
    return get_object_or_404(
        ForwardPlanItem.objects.select_related("body", "target_meeting__body", "presenter", "organisation"), pk=pk
    )


def get_action_for_management(user, pk: int) -> Action:
    if not can_manage_meetings(user):
        raise Http404
    return get_object_or_404(Action.objects.select_related("meeting__body", "owner"), pk=pk)


def get_item_for_user(user, pk: int) -> AgendaItem:
    """An agenda item at a level the viewer may see, on an agenda they may see (presenters see
    their own items before publication, still only at their levels)."""
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)
    if is_programme_manager(user):
        return item
    if item.visibility not in levels_for(user, item.meeting.body_id):
        raise Http404
    if not (can_see_agenda(user, item.meeting) or is_presenter(user, item)):
        raise Http404
    return item


def get_item_for_upload(user, pk: int) -> AgendaItem:
    """Presenters (the named presenter or an officer of the presenting organisation) and the
    programme manager upload papers; nobody else learns the item exists."""
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)
    if not (is_programme_manager(user) or is_presenter(user, item)):
        raise Http404
    return item


# --- Papers, documents, actions, decisions --------------------------------------------------


def may_read_paper(user, paper: Paper) -> bool:
    """The audience rule for a paper: its item's level and its own must both be within the viewer's
    levels for the body, on a published agenda. Presenters see their items' papers before
    publication, at their own levels (a presenter from outside the body never gets a restricted
    or members-only paper: those are for the body). The programme manager sees everything."""
    if is_programme_manager(user):
        return True
    item = paper.item
    levels = levels_for(user, item.meeting.body_id)
    if item.visibility not in levels or paper.visibility not in levels:
        return False
    return can_see_agenda(user, item.meeting) or is_presenter(user, item)


def uploaded_by(user, version: PaperVersion) -> bool:
    # Whoever uploaded a file may always fetch it back.
    return bool(user.is_authenticated and version.uploaded_by_id == user.pk)


def get_paper_version_for_download(user, pk: int) -> PaperVersion:
    """A paper's current version, for whoever may read the paper."""
    paper = get_object_or_404(Paper.objects.select_related("item__meeting__body"), pk=pk)
    version = paper.versions.order_by("-number").first()
    if version is None or not (may_read_paper(user, paper) or uploaded_by(user, version)):
        raise Http404
    version.paper = paper
    return version


def get_earlier_version_for_download(user, pk: int) -> PaperVersion:
    """Any version, earlier ones included: for the programme manager and the item's presenters
    (at their levels), and for whoever uploaded it."""
    version = get_object_or_404(PaperVersion.objects.select_related("paper__item__meeting__body"), pk=pk)
    paper = version.paper
    allowed = is_programme_manager(user) or (is_presenter(user, paper.item) and may_read_paper(user, paper))
    if not (allowed or uploaded_by(user, version)):
        raise Http404
    return version


def get_paper_for_upload(user, pk: int) -> Paper:
    """Replacing a paper: the item's presenters and the programme manager, as for adding one."""
    paper = get_object_or_404(Paper.objects.select_related("item__meeting__body"), pk=pk)
    if not (is_programme_manager(user) or is_presenter(user, paper.item)):
        raise Http404
    return paper


def get_document_for_download(user, pk: int) -> tuple[GeneratedDocument, Meeting]:
    """A ready document of a meeting, if its audience is within the viewer's: a members' pack is
    never served to anyone outside the body, nor draft minutes to the public."""
    document = get_object_or_404(
        GeneratedDocument, pk=pk, content_type=ContentType.objects.get_for_model(Meeting), status=DocumentStatus.READY
    )
    from meetings import documents  # documents imports this module

    meeting = get_meeting_for_user(user, document.object_id)
    if not document.file or document not in documents.visible_documents(meeting, user, documents=[document]):
        raise Http404
    return document, meeting


def get_action_for_update(user, pk: int) -> Action:
    """The owner and the programme manager update an action; nobody else learns it exists."""
    action = get_object_or_404(Action.objects.select_related("meeting__body", "item", "owner"), pk=pk)
    if not (is_programme_manager(user) or action.owner_id == user.pk):
        raise Http404
    return action


def actions_visible_to(user):
    """The action log: the programme manager sees every body's, a member their bodies' (the items
    of those are all within a member's levels); anyone else none."""
    actions = Action.objects.select_related("meeting__body", "item", "owner")
    if is_programme_manager(user):
        return actions
    bodies = member_body_ids(user)
    members_levels = LEVELS_FOR["members"]
    return actions.filter(meeting__body_id__in=bodies).filter(
        Q(item__isnull=True) | Q(item__visibility__in=members_levels)
    )


def _minutes_rule(user) -> Q | None:
    """Which meetings' minuted records (decisions, declarations) a viewer may read: outside a body,
    those on items within the viewer's levels once the minutes are approved (never a restricted or
    members-only one); members, their bodies' at every level once the draft is circulated. None
    means everything (the programme manager)."""
    if is_programme_manager(user):
        return None
    outside_levels = LEVELS_FOR["partners" if is_partner_officer(user) else "public"]
    rule = Q(meeting__minutes_status=MinutesStatus.APPROVED, item__visibility__in=outside_levels)
    bodies = member_body_ids(user)
    if bodies:
        rule |= Q(
            meeting__body_id__in=bodies,
            meeting__minutes_status__in=[MinutesStatus.CIRCULATED, MinutesStatus.APPROVED],
        )
    return rule


def decisions_visible_to(user):
    decisions = Decision.objects.select_related("meeting__body", "item")
    rule = _minutes_rule(user)
    return decisions if rule is None else decisions.filter(rule)


def declarations_visible_to(user):
    """The register of interests declared at meetings, on the same rule as the decisions."""
    declarations = Declaration.objects.select_related("meeting__body", "item", "person")
    rule = _minutes_rule(user)
    return declarations if rule is None else declarations.filter(rule)

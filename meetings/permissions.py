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
from django.utils import timezone

from diz_portal import caching
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
    Seminar,
    SeminarFile,
)
from partners.models import Membership
from partners.permissions import holds_manager_role, is_partner_officer, is_programme_manager


def member_body_ids(user) -> set[int]:
    """Bodies `user` sits on now, in person or as a current member's deputy (cached per request)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_diz_member_body_ids", None)
    if cached is None:
        cached = user._diz_member_body_ids = caching.cached_value(
            ("member-bodies", user.pk, timezone.localdate()),
            ["partners"],
            lambda: set(Membership.objects.held_by(user).values_list("body_id", flat=True)),
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


def is_invitee(user, meeting: Meeting, presenting: bool = False) -> bool:
    """Invited to the meeting: the programme manager, the body's members and deputies, and the
    presenters of its items (the caller says whether the viewer presents one)."""
    return is_programme_manager(user) or meeting.body_id in member_body_ids(user) or presenting


def can_see_joining_link(user, meeting: Meeting, presenting: bool = False) -> bool:
    return bool(meeting.joining_link) and not meeting.is_cancelled and is_invitee(user, meeting, presenting)


def bodies_user_may_propose_to(user) -> set[int]:
    """Members propose items for the bodies they sit on; the programme manager for any body."""
    from partners.models import GoverningBody

    if is_programme_manager(user):
        return set(GoverningBody.objects.values_list("pk", flat=True))
    return member_body_ids(user)


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


MEETING_TO_READ_TOPICS = ["meetings", "partners"]


def get_meeting_to_read(user, pk: int) -> Meeting:
    """`get_meeting_for_user` for pages that only read the meeting (its page): kept in the cache
    until a meeting or partner record changes, as read on every view of the page. Fetched with
    the signed-in person's session when there is one (one round trip for both)."""
    caching.want([(caching.value_key(("meeting", int(pk))), MEETING_TO_READ_TOPICS)])
    user.is_authenticated  # noqa: B018 - loads the session (with the meeting), if any
    meeting = caching.cached_value(
        ("meeting", int(pk)), MEETING_TO_READ_TOPICS, lambda: Meeting.objects.with_body().filter(pk=pk).first()
    )
    if meeting is None:
        raise Http404
    return meeting


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


def get_decision_for_management(user, meeting_pk: int, pk: int) -> Decision:
    meeting = get_meeting_for_management(user, meeting_pk)
    decision = get_object_or_404(Decision.objects.select_related("item"), pk=pk, meeting=meeting)
    decision.meeting = meeting
    return decision


def get_minuted_action_for_management(user, meeting_pk: int, pk: int) -> Action:
    """An action as the minutes of its meeting recorded it (to change or strike out)."""
    meeting = get_meeting_for_management(user, meeting_pk)
    action = get_object_or_404(Action.objects.select_related("item", "owner"), pk=pk, meeting=meeting)
    action.meeting = meeting
    return action


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


def may_change_papers(user, item: AgendaItem) -> bool:
    """Before the meeting ends: the item's presenters and the programme manager. Afterwards its
    papers are the record of what the meeting had before it: only the programme manager changes
    them (each change a new version, kept, with who made it)."""
    if is_programme_manager(user):
        return True
    return is_presenter(user, item) and not item.meeting.has_ended()


def get_item_for_upload(user, pk: int) -> AgendaItem:
    """Presenters (the named presenter or an officer of the presenting organisation) and the
    programme manager upload papers; nobody else learns the item exists."""
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)
    if not may_change_papers(user, item):
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
    """Whoever uploaded a file may always fetch it back; what the programme manager uploaded is
    theirs only with the programme manager's powers (they upload restricted papers too)."""
    if not (user.is_authenticated and version.uploaded_by_id == user.pk):
        return False
    return is_programme_manager(user) or not holds_manager_role(user)


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
    if not may_change_papers(user, paper.item):
        raise Http404
    return paper


def split_kind(kind: str) -> tuple[str, str]:
    """A meeting document's kind is "<document>:<audience>", e.g. "pack:members"."""
    document, audience = kind.split(":")
    return document, audience


DOCUMENT_ORDER = {"agenda": 0, "pack": 1, "supplement": 2, "minutes": 3, "attendance": 4}
AUDIENCE_RANK = {"public": 0, "partners": 1, "members": 2}


def meeting_documents(meeting: Meeting):
    content_type = ContentType.objects.get_for_model(Meeting)
    return GeneratedDocument.objects.filter(content_type=content_type, object_id=meeting.pk)


def visible_documents(meeting: Meeting, user, documents=None) -> list[GeneratedDocument]:
    """The documents of `meeting` this user may download, one of each (the fullest version this
    viewer may have), in a stable order. A members' document is never offered to anyone else;
    minutes to people outside the body only once approved."""
    allowed = levels_for(user, meeting.body_id)
    best: dict[str, GeneratedDocument] = {}
    for document in documents if documents is not None else meeting_documents(meeting):
        name, audience = split_kind(document.kind)
        if not LEVELS_FOR[audience] <= allowed:
            continue
        if name == "minutes" and audience == "public" and meeting.minutes_status != MinutesStatus.APPROVED:
            continue
        if name not in best or AUDIENCE_RANK[audience] > AUDIENCE_RANK[split_kind(best[name].kind)[1]]:
            best[name] = document
    return sorted(best.values(), key=lambda d: DOCUMENT_ORDER[split_kind(d.kind)[0]])


def get_document_for_download(user, pk: int) -> tuple[GeneratedDocument, Meeting]:
    """A ready document of a meeting, if its audience is within the viewer's: a members' pack is
    never served to anyone outside the body, nor draft minutes to the public."""
    document = get_object_or_404(
        GeneratedDocument, pk=pk, content_type=ContentType.objects.get_for_model(Meeting), status=DocumentStatus.READY
    )
    meeting = get_meeting_for_user(user, document.object_id)
    if not document.file or document not in visible_documents(meeting, user, documents=[document]):
        raise Http404
    return document, meeting


def get_action_for_update(user, pk: int) -> Action:
    """The owner and the programme manager update an action; nobody else learns it exists."""
    action = get_object_or_404(Action.objects.select_related("meeting__body", "item", "owner"), pk=pk)
    if not (is_programme_manager(user) or action.owner_id == user.pk):
        raise Http404
    return action


# --- What minutes record: decisions, actions, declarations ----------------------------------
# One rule for everything minuted, everywhere (pages, packs, registers, the action log, feeds):
# outside the body it is public once the minutes are approved, and only on items within the
# viewer's levels; the body's members read their draft once it is circulated.

MINUTES_READABLE_BY_MEMBERS = [MinutesStatus.CIRCULATED, MinutesStatus.APPROVED]


def minuted_for_audience(audience: str, prefix: str = "") -> Q:
    """Which minuted records an audience of a meeting's body may read (`prefix` leads from the
    queried model to the record, e.g. "action__")."""
    if audience == "members":
        return Q(**{f"{prefix}meeting__minutes_status__in": MINUTES_READABLE_BY_MEMBERS})
    levels = LEVELS_FOR[audience]
    return Q(**{f"{prefix}meeting__minutes_status": MinutesStatus.APPROVED}) & (
        Q(**{f"{prefix}item__isnull": True}) | Q(**{f"{prefix}item__visibility__in": levels})
    )


def _minutes_rule(user) -> Q | None:
    """`minuted_for_audience` across bodies: outside a body, the viewer's outside audience; on
    their bodies, as members. None means everything (the programme manager)."""
    if is_programme_manager(user):
        return None
    rule = minuted_for_audience("partners" if is_partner_officer(user) else "public")
    bodies = member_body_ids(user)
    if bodies:
        rule |= Q(meeting__body_id__in=bodies) & minuted_for_audience("members")
    return rule


def open_actions_before(meeting: Meeting, audience: str | None):
    """The body's open actions from earlier meetings, as the action-log item lists them (on the
    meeting page, in packs and on the minutes page) for an audience of the body; None for the
    programme manager's own pages (every action, circulated or not)."""
    actions = (
        Action.objects.open()
        .filter(meeting__body_id=meeting.body_id, meeting__starts_at__lt=meeting.starts_at)
        .select_related("owner", "meeting")
        .order_by("due_on", "pk")
    )
    return actions if audience is None else actions.filter(minuted_for_audience(audience))


def actions_visible_to(user):
    """The action log: the programme manager sees every body's, a member their bodies' once the
    minutes that recorded them are circulated; anyone else none."""
    actions = Action.objects.select_related("meeting__body", "item", "owner")
    if is_programme_manager(user):
        return actions
    bodies = member_body_ids(user)
    return actions.filter(meeting__body_id__in=bodies).filter(minuted_for_audience("members"))


def decisions_visible_to(user):
    decisions = Decision.objects.select_related("meeting__body", "item")
    rule = _minutes_rule(user)
    return decisions if rule is None else decisions.filter(rule)


def minuted_declarations():
    """Declarations the minutes record: once attendance is taken, only those of people who were
    there (a member, or the deputy who came for one)."""
    from django.db.models import Exists, OuterRef

    from meetings.models import Attendance

    taken = Attendance.objects.filter(meeting=OuterRef("meeting"), present__isnull=False)
    came = Attendance.objects.filter(meeting=OuterRef("meeting"), present=True).filter(
        Q(person=OuterRef("person"), deputy_present=False) | Q(deputy=OuterRef("person"), deputy_present=True)
    )
    return Declaration.objects.filter(~Exists(taken) | Exists(came))


def declarations_visible_to(user):
    """The register of interests declared at meetings, on the same rule as the decisions."""
    declarations = minuted_declarations().select_related("meeting__body", "item", "person")
    rule = _minutes_rule(user)
    return declarations if rule is None else declarations.filter(rule)


# --- Register of members' interests ---------------------------------------------------------


def may_keep_a_register(user) -> bool:
    """Whoever sits on a body (or deputises on one) keeps a register of interests."""
    return bool(member_body_ids(user))


def can_read_interest_register(user) -> bool:
    """The register is for the bodies' members and the programme manager."""
    return is_programme_manager(user) or bool(member_body_ids(user))


def get_own_interest(user, pk):
    from meetings.models import RegisteredInterest

    return get_object_or_404(RegisteredInterest, pk=pk or 0, person=user)


def interest_register_by_body() -> list[dict]:
    """Each body's current members with their current registered interests and when they last
    confirmed them (three queries, whatever the number of members)."""
    from meetings.models import InterestReview, RegisteredInterest
    from partners.models import GoverningBody

    seats = list(Membership.objects.current().exclude(role="secretariat").with_people().ordered_by_role())
    people = {seat.person_id for seat in seats}
    interests: dict[int, list] = {}
    for entry in RegisteredInterest.objects.filter(person_id__in=people, ended_on__isnull=True).order_by(
        "category", "pk"
    ):
        interests.setdefault(entry.person_id, []).append(entry)
    reviews = dict(InterestReview.objects.filter(person_id__in=people).values_list("person_id", "reviewed_on"))
    result = []
    for body in GoverningBody.objects.order_by("display_order", "name"):
        rows = [
            {"seat": s, "interests": interests.get(s.person_id, []), "reviewed_on": reviews.get(s.person_id)}
            for s in seats
            if s.body_id == body.pk
        ]
        if rows:
            result.append({"body": body, "rows": rows})
    return result


# --- Seminars --------------------------------------------------------------------------------


def seminars_visible_to(user):
    """Live seminars for everyone; drafts and scheduled ones too for the programme manager (to
    preview them). Lists, the sitemap and search show only live ones whoever asks."""
    return Seminar.objects.all() if is_programme_manager(user) else Seminar.objects.live()


def get_seminar_for_user(user, slug: str) -> Seminar:
    """A seminar's page, report or file: a draft or scheduled seminar answers the same 404 as one
    that does not exist, except to the programme manager."""
    seminar = seminars_visible_to(user).filter(slug=slug).prefetch_related("files").first()
    if seminar is None:
        raise Http404
    return seminar


def get_seminar_file_for_user(user, pk: int) -> SeminarFile:
    seminar_file = (
        SeminarFile.objects.filter(pk=pk, seminar__in=seminars_visible_to(user)).select_related("seminar").first()
    )
    if seminar_file is None:
        raise Http404
    return seminar_file


def get_seminar_for_management(user, pk: int) -> Seminar:
    if not can_manage_meetings(user):
        raise Http404
    return get_object_or_404(Seminar, pk=pk)

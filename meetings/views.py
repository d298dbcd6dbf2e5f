"""Meetings' public and member pages, under /meetings/ (and seminars under /seminars/).

Every record is reached through one fetch-and-authorise function (meetings.permissions, or the few
below that those don't cover yet); whoever may not see a record gets the same 404 as for one that
does not exist. What a page lists is filtered by the viewer's audience for the record's body
(`permissions.levels_for`): restricted and members-only items, papers, decisions and actions never
reach the template of anyone outside the body.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from diz_portal import caching, structured_data
from diz_portal.caching import public_page
from diz_portal.forms import apply_validation_error, filter_query
from diz_portal.templatetags import portal_tags
from diz_portal.views import file_response as _file_response
from meetings import documents, services
from meetings.member_forms import (
    ActionFilterForm,
    ActionUpdateForm,
    DecisionFilterForm,
    DeclarationForm,
    MeetingFilterForm,
    PaperForm,
    ProposeItemForm,
    RegisteredInterestForm,
    ReplacePaperForm,
    ResponseForm,
)
from meetings.models import (
    LEVELS_FOR,
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    CalendarToken,
    Declaration,
    InterestReview,
    Meeting,
    Paper,
    PaperVersion,
    RegisteredInterest,
    Seminar,
    Visibility,
)
from meetings.permissions import (
    actions_visible_to,
    audience_for,
    bodies_user_may_propose_to,
    can_read_interest_register,
    can_see_agenda,
    can_see_joining_link,
    decisions_visible_to,
    declarations_visible_to,
    get_action_for_update,
    get_document_for_download,
    get_earlier_version_for_download,
    get_item_for_upload,
    get_item_for_user,
    get_meeting_for_user,
    get_meeting_to_read,
    get_own_interest,
    get_paper_for_upload,
    get_paper_version_for_download,
    get_seminar_file_for_user,
    get_seminar_for_user,
    interest_register_by_body,
    levels_for,
    may_keep_a_register,
    may_read_paper,
    member_body_ids,
    open_actions_before,
    uploaded_by,
)
from partners.models import GoverningBody, Partnership
from partners.permissions import is_programme_manager

UPCOMING_LIMIT = 30
PAST_PAGE_SIZE = 20
ACTIONS_PAGE_SIZE = 50
DECISIONS_PAGE_SIZE = 25
SEMINARS_PAGE_SIZE = 20


# --- Helpers ---------------------------------------------------------------------------------


def seat_for(meeting: Meeting, user):
    """The viewer's seat on the meeting's body on the day, or None (deputies have no seat)."""
    if not user.is_authenticated or meeting.body_id not in member_body_ids(user):
        return None
    # Kept per person (not the whole body's seats: unpickling every seat costs more than a query).
    return caching.cached_value(
        ("seat", meeting.pk, user.pk, timezone.localdate()),
        ["partners", "meetings"],
        lambda: services.members_of(meeting).filter(person=user).first(),
    )


# --- Meetings --------------------------------------------------------------------------------


@public_page("partners", "meetings", "documents")
def meeting_list(request):
    form = MeetingFilterForm(request.GET or None)
    body = form.cleaned_data.get("body") if form.is_valid() else None
    meetings = Meeting.objects.with_body()
    if body:
        meetings = meetings.filter(body=body)
    now = timezone.now()
    upcoming = list(meetings.upcoming(now)[: UPCOMING_LIMIT + 1])
    past = Paginator(meetings.past(now), PAST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "form": form,
            "body": body,
            "upcoming": upcoming[:UPCOMING_LIMIT],
            "more_upcoming": len(upcoming) > UPCOMING_LIMIT,
            "page": past,
            "filter_query": filter_query(request),
        },
    )


@dataclass
class AgendaRow:
    item: AgendaItem
    starts_at: object
    papers: list = field(default_factory=list)
    declaration_form: DeclarationForm | None = None


def _papers_of(item_ids) -> dict[int, list[Paper]]:
    return documents.papers_by_item(
        Paper.objects.filter(item_id__in=item_ids)
        .select_related("item__meeting")
        .prefetch_related(Prefetch("versions", queryset=PaperVersion.objects.order_by("-number")))
        .order_by("position", "pk")
    )


def agenda_for_audience(meeting: Meeting, audience: str, *, agenda_visible: bool) -> dict:
    """What everyone in one audience of the meeting's body sees alike: the agenda at their levels
    with its papers, the times, the open actions under the action log. Nothing in it depends on
    who the viewer is, so it can be shared (cached) by audience."""
    levels = LEVELS_FOR[audience]
    # Every item counts towards the timings; only those within the audience's levels are shown.
    items = list(meeting.items.select_related("presenter", "presenter_organisation"))
    timings, ends_at = services.item_timings(meeting, items)
    shown = [(item, at) for item, at in timings if item.visibility in levels] if agenda_visible else []
    papers = _papers_of([item.pk for item, _at in shown])
    rows = [
        AgendaRow(
            item=item,
            starts_at=at,
            papers=[p for p in papers.get(item.pk, []) if p.visibility in levels and not item.is_withdrawn],
        )
        for item, at in shown
    ]
    show_actions = agenda_visible and any(item.standing_kind == "actions" for item, _at in shown)
    return {
        "items": items,
        "rows": rows,
        "ends_at": ends_at,
        "agenda_visible": agenda_visible,
        "hidden_count": len(timings) - len(shown) if agenda_visible else 0,
        "open_actions": list(open_actions_before(meeting, audience)) if show_actions else [],
    }


# "strategy": an item about the strategy or a project shows its status (strategy_tags).
MEETING_TOPICS = ("partners", "meetings", "strategy")
MEETING_HEAD_TOPICS = ("meetings", "partners")
DOCUMENT_TOPICS = ("meetings", "documents")


def _agenda_html(request, meeting: Meeting, *, audience: str, is_manager: bool, has_seat: bool, declaration=None):
    """The agenda section, shared by everyone of one audience (and seat, and manager or not) on
    the day: the open actions under the action log say which are overdue."""
    agenda_visible = can_see_agenda(request.user, meeting)

    def build() -> dict:
        shared = agenda_for_audience(meeting, audience, agenda_visible=agenda_visible)
        if has_seat:
            for row in shared["rows"]:
                if row.item.standing_kind or row.item.is_withdrawn:
                    continue
                if declaration and declaration[0] == row.item.pk:
                    row.declaration_form = declaration[1]
                else:
                    row.declaration_form = DeclarationForm(prefix=f"item-{row.item.pk}")
        return shared | {
            "meeting": meeting,
            "seat": has_seat,
            "is_manager": is_manager,
            "restricted": Visibility.RESTRICTED,
        }

    audience_key = (meeting.pk, audience, agenda_visible, is_manager, has_seat, timezone.localdate())
    return caching.fragment(
        request, "agenda", audience_key, MEETING_TOPICS, "meetings/_agenda.html", build, share=declaration is None
    )


def _documents_html(request, meeting: Meeting, *, audience: str, is_manager: bool) -> tuple[str, bool]:
    """The documents list and whether any is still being built (then it is not kept: the page
    polls it, and "waiting for a worker" depends on the time)."""
    pending = False

    def build() -> dict:
        nonlocal pending
        context = documents.documents_context(meeting, request.user)
        pending = context["documents_pending"]
        return context | {"keep": not pending}

    html = caching.fragment(
        request, "documents", (meeting.pk, audience, is_manager), DOCUMENT_TOPICS, "meetings/_documents.html", build
    )
    return html, pending


def _presenting(user, meeting: Meeting) -> list[AgendaItem]:
    """The items the viewer presents, with every paper they may see on them. Who presents what is
    kept with the meeting, so most viewers (who present nothing) cost no query."""
    presenters = caching.cached_value(
        ("presenters", meeting.pk),
        ["meetings"],
        lambda: list(meeting.items.values_list("presenter_id", "presenter_organisation_id")),
    )
    if not any(
        person == user.pk or (user.organisation_id and organisation == user.organisation_id)
        for person, organisation in presenters
    ):
        return []
    presenting = list(meeting.items.presented_by(user).order_by("number", "suffix"))
    papers = _papers_of([item.pk for item in presenting])
    for item in presenting:
        item.all_papers = papers.get(item.pk, [])
        for paper in item.all_papers:
            paper.downloadable = may_read_paper(user, paper) or uploaded_by(user, paper.current)
    return presenting


def _prefetch_meeting_page(request, meeting: Meeting, *, audience: str, is_manager: bool, now, declaration) -> None:
    """Ask the cache once for everything the meeting page will read from it (the keys below are
    the ones `_presenting`, `seat_for`, `_meeting_page`, `_documents_html` and `_agenda_html` use)."""
    user = request.user
    if not user.is_authenticated:
        return
    member = meeting.body_id in member_body_ids(user)
    today = timezone.localdate()
    may_answer = member and services.may_still_answer(meeting, now=now)
    late, open_ = meeting.papers_are_late(now), is_manager or not meeting.has_ended(now)
    agenda_visible = can_see_agenda(user, meeting)
    invited_by_seat = bool(meeting.joining_link) and not meeting.is_cancelled and (member or is_manager)
    entries = [
        (
            caching.fragment_key("meeting-head", _head_key(meeting, invited_by_seat, member or is_manager)),
            MEETING_HEAD_TOPICS,
        ),
        (caching.value_key(("meeting-json-ld", meeting.pk)), MEETING_HEAD_TOPICS),
        (caching.value_key(("presenters", meeting.pk)), ["meetings"]),
        (caching.fragment_key("documents", (meeting.pk, audience, is_manager)), DOCUMENT_TOPICS),
    ]
    if declaration is None:
        # A member usually has a seat (a deputy has none): the agenda with declaration forms.
        audience_key = (meeting.pk, audience, agenda_visible, is_manager, member, today)
        entries.append((caching.fragment_key("agenda", audience_key), MEETING_TOPICS))
    if member:
        entries += [
            (caching.value_key(("seat", meeting.pk, user.pk, today)), ["partners", "meetings"]),
            (caching.value_key(("register-due", user.pk, now.date())), ["meetings"]),
            (caching.value_key(("my-answer", meeting.pk, user.pk)), ["meetings", "partners"]),
            # What is theirs above the agenda, for a member with a seat who presents nothing.
            (
                caching.fragment_key(
                    "meeting-mine", _mine_key(meeting, user, may_answer, late, open_, True, False, now)
                ),
                ["meetings", "partners"],
            ),
        ]
    caching.prefetch(entries)


def _head_key(meeting, show_joining_link: bool, sees_draft_minutes: bool) -> tuple:
    """The page's heading and facts differ only by whether the joining link and the draft
    minutes' status are shown (to those invited, and to members and the programme manager)."""
    return (meeting.pk, show_joining_link, sees_draft_minutes)


def _meeting_json_ld(meeting) -> str:
    """The meeting as a schema.org event, for a published agenda (the same for everyone)."""
    if not meeting.is_published:
        return ""
    return caching.cached_value(
        ("meeting-json-ld", meeting.pk),
        MEETING_HEAD_TOPICS,
        lambda: portal_tags.json_ld(structured_data.meeting_event(meeting, partnership=Partnership.current())),
    )


def _mine_key(meeting, user, can_respond, papers_late, papers_open, has_seat, presents, now) -> tuple:
    return (meeting.pk, user.pk, can_respond, papers_late, papers_open, has_seat, presents, now.date())


def _meeting_page(request, meeting: Meeting, *, response_form=None, declaration=None):
    """Render the meeting page: the audience's shared agenda and documents (cached fragments),
    then what is the viewer's own: the items they present, their seat, answer and declarations.
    `response_form` and `declaration` ((item id, form)) carry a member's rejected input back to
    the page, beside the fields it belongs to."""
    user = request.user
    now = timezone.now()
    audience = audience_for(user, meeting.body_id)
    is_manager = is_programme_manager(user)
    _prefetch_meeting_page(request, meeting, audience=audience, is_manager=is_manager, now=now, declaration=declaration)
    presenting = _presenting(user, meeting) if user.is_authenticated else []
    seat = seat_for(meeting, user)
    attendance, declarations, register_due = None, [], ""
    can_respond = seat is not None and services.may_still_answer(meeting, now=now)
    if seat:
        register_due = caching.cached_value(
            ("register-due", user.pk, now.date()), ["meetings"], lambda: services.register_review_due(user)
        )
        attendance, declarations = caching.cached_value(
            ("my-answer", meeting.pk, user.pk),
            ["meetings", "partners"],
            lambda: (
                Attendance.objects.filter(meeting=meeting, person=user).select_related("deputy").first(),
                list(Declaration.objects.filter(meeting=meeting, person=user).select_related("item")),
            ),
        )
    papers_late, papers_open = meeting.papers_are_late(now), is_manager or not meeting.has_ended(now)
    rejected = response_form is not None

    def build_mine() -> dict:
        form = response_form
        if form is None and can_respond:
            initial = {"response": attendance.response, "deputy": attendance.deputy_id} if attendance else {}
            form = ResponseForm(initial=initial, seat=seat, colleagues=services.colleagues_of(seat))
        return {
            "meeting": meeting,
            "presenting": presenting,
            "papers_late": papers_late,
            # After the meeting its papers are the programme manager's alone (permissions.may_change_papers).
            "papers_open": papers_open,
            "restricted": Visibility.RESTRICTED,
            "seat": seat,
            "attendance": attendance,
            "can_respond": can_respond,
            "response_form": form,
            "register_due": register_due,
        }

    # What is the viewer's own above the agenda (the items they present, their answer and its
    # form): kept for them, by what the moment decides (may they still answer, are papers late or
    # closed), until the meeting or its people change; a rejected answer is rendered for its request.
    mine_html = (
        caching.fragment(
            request,
            "meeting-mine",
            _mine_key(meeting, user, can_respond, papers_late, papers_open, bool(seat), bool(presenting), now),
            ["meetings", "partners"],
            "meetings/_meeting_mine.html",
            build_mine,
            share=not rejected,
        )
        if seat or presenting
        else ""
    )
    documents_html, documents_pending = _documents_html(request, meeting, audience=audience, is_manager=is_manager)
    show_joining_link = can_see_joining_link(user, meeting, presenting=bool(presenting))
    head_key = _head_key(meeting, show_joining_link, bool(seat) or is_manager)
    context = {
        "meeting": meeting,
        "head_html": caching.fragment(
            request,
            "meeting-head",
            head_key,
            MEETING_HEAD_TOPICS,
            "meetings/_meeting_head.html",
            lambda: {"meeting": meeting, "show_joining_link": head_key[1], "sees_draft_minutes": head_key[2]},
        ),
        "json_ld_html": _meeting_json_ld(meeting),
        "mine_html": mine_html,
        "agenda_html": _agenda_html(
            request, meeting, audience=audience, is_manager=is_manager, has_seat=bool(seat), declaration=declaration
        ),
        "documents_html": documents_html,
        "is_manager": is_manager,
        "seat": seat,
        "declarations": declarations,
        # The form whose input was rejected, for the error summary at the top of the page.
        "error_form": next((f for f in (response_form, declaration and declaration[1]) if f and f.errors), None),
    }
    response = render(request, "meetings/meeting_detail.html", context)
    response.do_not_store = documents_pending
    return response


@public_page("partners", "meetings", "documents")
def meeting_detail(request, pk):
    meeting = get_meeting_to_read(request.user, pk)
    return _meeting_page(request, meeting)


@never_cache
def meeting_documents(request, pk):
    """The documents list on its own, which the meeting page polls while a document is building."""
    meeting = get_meeting_for_user(request.user, pk)
    return render(request, "meetings/_documents.html", documents.documents_context(meeting, request.user))


@require_POST
def meeting_respond(request, pk):
    """A member answers: attending, apologies, or sending a deputy."""
    meeting = get_meeting_for_user(request.user, pk)
    seat = seat_for(meeting, request.user)
    if seat is None:
        raise Http404
    form = ResponseForm(request.POST, seat=seat)
    if form.is_valid():
        try:
            attendance = services.respond_to_meeting(
                meeting=meeting,
                person=request.user,
                response=form.cleaned_data["response"],
                deputy=form.cleaned_data["deputy"],
            )
        except ValidationError as error:
            apply_validation_error(form, error, default_field="response")
        else:
            message = f"Your answer is recorded: {attendance.get_response_display().lower()}"
            if attendance.deputy_id:
                message += f" ({attendance.deputy.name})"
            messages.success(request, message + ".")
            return redirect(meeting.get_absolute_url() + "#attendance")
    return _meeting_page(request, meeting, response_form=form)


@require_POST
def item_declare(request, pk):
    """A member declares an interest in an item."""
    item = get_item_for_user(request.user, pk)
    meeting = get_meeting_for_user(request.user, item.meeting_id)
    if seat_for(meeting, request.user) is None:
        raise Http404
    form = DeclarationForm(request.POST, prefix=f"item-{item.pk}")
    if form.is_valid():
        try:
            services.declare_interest(item=item, person=request.user, interest=form.cleaned_data["interest"])
        except ValidationError as error:
            apply_validation_error(form, error, default_field="interest")
        else:
            messages.success(request, f"Your interest in item {item.label} is recorded.")
            return redirect(meeting.get_absolute_url() + "#declarations")
    return _meeting_page(request, meeting, declaration=(item.pk, form))


# --- Papers ----------------------------------------------------------------------------------


def _is_public(item: AgendaItem, paper: Paper) -> bool:
    return item.meeting.is_published and Visibility.PUBLIC == item.visibility == paper.visibility


def paper_download(request, pk):
    version = get_paper_version_for_download(request.user, pk)
    paper = version.paper
    return _file_response(
        version.file,
        filename=version.original_name,
        content_type=version.content_type,
        private=not _is_public(paper.item, paper),
    )


@login_required
def paper_version_download(request, pk):
    version = get_earlier_version_for_download(request.user, pk)
    name, dot, extension = version.original_name.rpartition(".")
    filename = f"{name} (version {version.number}){dot}{extension}" if dot else version.original_name
    return _file_response(version.file, filename=filename, content_type=version.content_type, private=True)


def _late_note(version: PaperVersion, meeting: Meeting) -> str:
    if not version.is_late:
        return ""
    due = timezone.localtime(meeting.papers_due_at)
    return f" Papers were due by {due:%H:%M} on {due:%-d %B}, so it is marked late."


@login_required
def paper_add(request, pk):
    item = get_item_for_upload(request.user, pk)
    meeting = item.meeting
    form = PaperForm(request.POST or None, request.FILES or None, item=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            paper = services.add_paper(
                item=item,
                title=data["title"],
                upload=data["file"],
                by=request.user,
                **{name: data[name] for name in PaperForm.COVER_SHEET + PaperForm.LEVELS},
            )
        except ValidationError as error:
            apply_validation_error(form, error, default_field="file")
        else:
            version = paper.versions.get()
            messages.success(request, f"“{paper.title}” is added to item {item.label}.{_late_note(version, meeting)}")
            return redirect(meeting.get_absolute_url() + f"#item-{item.pk}")
    return render(request, "meetings/paper_form.html", {"form": form, "item": item, "meeting": meeting})


@login_required
def paper_replace(request, pk):
    paper = get_paper_for_upload(request.user, pk)
    item, meeting = paper.item, paper.item.meeting
    form = ReplacePaperForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.replace_paper(paper=paper, upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="file")
        else:
            messages.success(
                request, f"Version {version.number} of “{paper.title}” is uploaded.{_late_note(version, meeting)}"
            )
            return redirect(meeting.get_absolute_url() + f"#item-{item.pk}")
    current = paper.versions.order_by("-number").first()
    return render(
        request,
        "meetings/paper_replace.html",
        {"form": form, "paper": paper, "item": item, "meeting": meeting, "current": current},
    )


def document_download(request, pk):
    document, meeting = get_document_for_download(request.user, pk)
    name, audience = documents.split_kind(document.kind)
    filename = f"{meeting.body.slug}-{meeting.local_date:%Y-%m-%d}-{name}-{audience}-v{document.version}.pdf"
    return _file_response(
        document.file, filename=filename, content_type="application/pdf", private=audience != "public"
    )


# --- Calendar subscription page (the feeds are in meetings/feeds.py) ------------------------


@login_required
def calendar_page(request):
    token = CalendarToken.objects.filter(user=request.user).first()
    return render(
        request,
        "meetings/calendar.html",
        {
            "token": token,
            "public_feed": request.build_absolute_uri(reverse("meetings:calendar_public")),
            "private_feed": (
                request.build_absolute_uri(reverse("meetings:calendar_private", kwargs={"token": token.token}))
                if token
                else ""
            ),
            "bodies": GoverningBody.objects.order_by("display_order", "name"),
        },
    )


@login_required
def calendar_replace(request):
    """GET asks for confirmation (replacing breaks every calendar subscribed to the old address);
    POST creates or replaces the address."""
    token = CalendarToken.objects.filter(user=request.user).first()
    if request.method == "POST":
        services.replace_calendar_token(user=request.user)
        if token:
            messages.success(request, "Your private calendar address is replaced: the old one no longer works.")
        else:
            messages.success(request, "Your private calendar address is ready.")
        return redirect("meetings:calendar")
    return render(request, "meetings/calendar_replace.html", {"token": token})


# --- Actions and decisions -------------------------------------------------------------------


def _item_visible(user, item: AgendaItem | None, meeting: Meeting) -> bool:
    return item is not None and can_see_agenda(user, meeting) and item.visibility in levels_for(user, meeting.body_id)


@login_required
def action_list(request):
    user = request.user
    is_manager = is_programme_manager(user)
    body_ids = sorted(member_body_ids(user))
    if not (is_manager or body_ids):
        return render(request, "meetings/action_list.html", {"sits_on_a_body": False})

    def build() -> dict:
        form = ActionFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        actions = actions_visible_to(user)
        if filters.get("body"):
            actions = actions.filter(meeting__body=filters["body"])
        show = filters.get("show")
        if show == "open":
            actions = actions.open()
        elif show == "overdue":
            actions = actions.overdue()
        elif show == ActionStatus.DONE:
            actions = actions.filter(status=ActionStatus.DONE)
        page = Paginator(actions.order_by("-status", "due_on", "pk"), ACTIONS_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return {"form": form, "page": page, "filter_query": filter_query(request), "is_manager": is_manager}

    # Shared by everyone who sits on the same bodies (overdue is a matter of the day); the
    # owner-only links are cut out for each viewer.
    audience = (tuple(body_ids), is_manager, timezone.localdate(), request.GET.urlencode())
    html = caching.fragment(
        request, "action-log", audience, ["meetings", "partners"], "meetings/_action_log.html", build
    )
    if not is_manager:
        html = caching.keep_only_for(html, {str(user.pk)})
    return render(request, "meetings/action_list.html", {"sits_on_a_body": True, "action_log_html": html})


@login_required
def my_actions(request):
    user = request.user

    def build() -> dict:
        actions = list(
            Action.objects.filter(owner=user)
            .select_related("meeting__body", "item")
            .order_by("-status", "due_on", "pk")
        )
        for action in actions:
            action.item_visible = _item_visible(user, action.item, action.meeting)
        return {
            "open_actions": [a for a in actions if a.status == ActionStatus.OPEN],
            "done_actions": [a for a in actions if a.status == ActionStatus.DONE],
        }

    # The person's own list: kept for them alone, for the day (overdue is a matter of the day);
    # which items they may name depends on their seats and role, in the key too.
    audience = (user.pk, timezone.localdate(), tuple(sorted(member_body_ids(user))), is_programme_manager(user))
    html = caching.fragment(
        request, "my-actions", audience, ["meetings", "partners"], "meetings/_my_actions.html", build
    )
    return render(request, "meetings/my_actions.html", {"my_actions_html": html})


@login_required
def action_update(request, pk):
    action = get_action_for_update(request.user, pk)
    form = ActionUpdateForm(request.POST or None, initial={"update": action.update})
    if request.method == "POST" and form.is_valid():
        update = form.cleaned_data["update"].strip()
        if form.cleaned_data["done"] and action.status == ActionStatus.OPEN:
            services.complete_action(action=action, update=update, by=request.user)
            messages.success(request, "The action is marked done.")
        else:
            services.record_action_progress(action=action, update=update or action.update, by=request.user)
            messages.success(request, "Your update is saved.")
        return redirect("meetings:my_actions" if action.owner_id == request.user.pk else "meetings:actions")
    return render(
        request,
        "meetings/action_update.html",
        {"form": form, "action": action, "item_visible": _item_visible(request.user, action.item, action.meeting)},
    )


@public_page("partners", "meetings", "documents")
def decision_list(request):
    form = DecisionFilterForm(request.GET or None)
    decisions = decisions_visible_to(request.user)
    if form.is_valid():
        filters = form.cleaned_data
        if filters["q"].strip():
            words = filters["q"].strip()
            decisions = decisions.filter(Q(reference__icontains=words) | Q(text__icontains=words))
        if filters["body"]:
            decisions = decisions.filter(meeting__body=filters["body"])
        if filters["date_from"]:
            decisions = decisions.filter(meeting__starts_at__date__gte=filters["date_from"])
        if filters["date_to"]:
            decisions = decisions.filter(meeting__starts_at__date__lte=filters["date_to"])
    page = Paginator(decisions.order_by("-meeting__starts_at", "-pk"), DECISIONS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "meetings/decision_list.html",
        {"form": form, "page": page, "filter_query": filter_query(request), "restricted": Visibility.RESTRICTED},
    )


@login_required
def forward_plan_propose(request):
    """Members (and the programme manager) propose items for future meetings of their bodies."""
    body_ids = bodies_user_may_propose_to(request.user)
    if not body_ids:
        raise Http404
    form = ProposeItemForm(request.POST or None, body_ids=body_ids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.propose_forward_item(
            body=data["body"],
            title=data["title"],
            purpose=data["purpose"],
            presenter=request.user,
            organisation=request.user.organisation,
            target_meeting=data["target_meeting"],
            notes=data["notes"],
            by=request.user,
        )
        messages.success(request, f"Thank you: the programme team will consider “{data['title']}” for the agenda.")
        return redirect("partners:dashboard")
    return render(request, "meetings/forward_plan_propose.html", {"form": form})


@public_page("partners", "meetings", "documents")
def declaration_list(request):
    """The register of interests declared at meetings, newest first, filtered by body."""
    body_slug = request.GET.get("body", "")
    declarations = declarations_visible_to(request.user)
    bodies = list(GoverningBody.objects.order_by("display_order", "name"))
    if body_slug:
        declarations = declarations.filter(meeting__body__slug=body_slug)
    page = Paginator(declarations.order_by("-meeting__starts_at", "-pk"), DECISIONS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "meetings/declaration_list.html",
        {
            "page": page,
            "bodies": bodies,
            "body_slug": body_slug,
            "filter_query": f"body={body_slug}" if body_slug else "",
            "restricted": Visibility.RESTRICTED,
        },
    )


# --- Register of members' interests ---------------------------------------------------------


@login_required
def my_interests(request):
    """A member keeps their own standing register: add, end, and confirm it is complete."""
    if not may_keep_a_register(request.user):
        raise Http404
    form = RegisteredInterestForm(request.POST if request.POST.get("what") == "add" else None)
    if request.method == "POST":
        what = request.POST.get("what")
        if what == "add" and form.is_valid():
            try:
                services.register_interest(person=request.user, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, "The interest is added to your register.")
                return redirect("meetings:my_interests")
        elif what == "end":
            entry = get_own_interest(request.user, request.POST.get("entry"))
            services.end_interest(entry=entry, by=request.user)
            messages.success(request, "The interest is marked as ended; it stays in the register with the date.")
            return redirect("meetings:my_interests")
        elif what == "confirm":
            services.confirm_register(person=request.user, by=request.user)
            messages.success(request, "Thank you: your register is confirmed as complete.")
            return redirect("meetings:my_interests")

    def build() -> dict:
        entries = list(RegisteredInterest.objects.filter(person=request.user).order_by("ended_on", "category", "pk"))
        return {
            "form": form,
            "current": [e for e in entries if not e.ended_on],
            "ended": [e for e in entries if e.ended_on],
            "review": InterestReview.objects.filter(person=request.user).first(),
            "review_due": services.register_review_due(request.user),
        }

    # The person's own register, kept for them alone on the day (a review falls due with time);
    # a form carrying their rejected input is rendered for this request only.
    html = caching.fragment(
        request,
        "my-register",
        (request.user.pk, timezone.localdate()),
        ["meetings", "partners"],
        "meetings/_my_interests.html",
        build,
        share=not form.is_bound,
    )
    return render(request, "meetings/my_interests.html", {"form": form, "register_html": html})


@login_required
def interest_register(request):
    """The standing register of every current member of the bodies, for members and the
    programme manager."""
    if not can_read_interest_register(request.user):
        raise Http404
    # Everyone who may read it reads the same register (current seats: a matter of the day).
    html = caching.fragment(
        request,
        "interest-register",
        timezone.localdate(),
        ["meetings", "partners"],
        "meetings/_interest_register.html",
        lambda: {"bodies": interest_register_by_body()},
    )
    return render(request, "meetings/interest_register.html", {"register_html": html})


# --- Seminars (public) -----------------------------------------------------------------------


@public_page("partners", "meetings", "documents")
def seminar_list(request):
    seminars = Seminar.objects.live().annotate(file_count=Count("files")).order_by("-held_on", "pk")
    page = Paginator(seminars, SEMINARS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/seminar_list.html",
        {"page": page, "filter_query": "", "seminars_title": settings.SEMINARS_TITLE},
    )


@public_page("partners", "meetings", "documents")
def seminar_detail(request, slug):
    seminar = get_seminar_for_user(request.user, slug)
    return render(
        request, "meetings/seminar_detail.html", {"seminar": seminar, "seminars_title": settings.SEMINARS_TITLE}
    )


def _basename(file) -> str:
    return file.name.rsplit("/", 1)[-1]


def seminar_report(request, slug):
    seminar = get_seminar_for_user(request.user, slug)
    if not seminar.executive_report:
        raise Http404
    # A draft's report is the programme manager's alone: no shared cache may keep it.
    return _file_response(
        seminar.executive_report, filename=_basename(seminar.executive_report), private=not seminar.is_live()
    )


def seminar_file(request, pk):
    seminar_file = get_seminar_file_for_user(request.user, pk)
    return _file_response(
        seminar_file.file, filename=_basename(seminar_file.file), private=not seminar_file.seminar.is_live()
    )

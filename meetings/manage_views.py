"""The programme manager's meetings pages, under /manage/meetings/ (second factor required, like
every page under /manage/). Everyone else gets a 404; signed-out visitors are sent to sign in.

Views read the request, call meetings.services (or meetings.documents), and render. A service's
ValidationError goes beside the form field it names, and nothing is written."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from diz_portal import caching
from diz_portal.forms import apply_validation_error
from diz_portal.models import DocumentStatus, GeneratedDocument
from meetings import documents, notices, services
from meetings.forms import (
    AcceptForwardItemForm,
    ActionForm,
    AgendaItemForm,
    AlsoPresentForm,
    AttendanceForm,
    CancelMeetingForm,
    DecisionForm,
    DeferForwardItemForm,
    EndSeriesForm,
    ErratumForm,
    ForwardItemForm,
    MeetingForm,
    MessageMembersForm,
    MinuteForm,
    OralDeclarationForm,
    SeminarForm,
    SeriesChangeForm,
    SeriesForm,
    WithdrawItemForm,
    meeting_label,
    meeting_name,
)
from meetings.models import (
    Action,
    AgendaItem,
    AlsoPresent,
    Decision,
    Declaration,
    ForwardPlanItem,
    ForwardPlanStatus,
    Meeting,
    MeetingSeries,
    MinutesStatus,
    Paper,
    PaperVersion,
    Seminar,
    StandingKind,
)
from meetings.permissions import (
    get_action_for_management,
    get_decision_for_management,
    get_forward_item_for_management,
    get_item_for_management,
    get_meeting_for_management,
    get_minuted_action_for_management,
    get_seminar_for_management,
    get_series_for_management,
    open_actions_before,
)
from partners.models import GoverningBody, Sector, User
from partners.permissions import programme_manager_required

# A meeting's services name the model's fields; the forms ask for a date and two times.
MEETING_FIELD_NAMES = {"starts_at": "start_time", "ends_at": "end_time"}
PAST_MEETINGS_SHOWN = timedelta(days=400)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


# --- Fetch and authorise ---------------------------------------------------------------------
# Meetings go through meetings.permissions.get_meeting_for_management; the records below have no
# such function there yet, so these do the same: 404 for anyone but the programme manager.


# --- What the pages show ---------------------------------------------------------------------


def _documents_by_meeting(meeting_ids) -> dict[int, list[GeneratedDocument]]:
    content_type = ContentType.objects.get_for_model(Meeting)
    grouped: dict[int, list[GeneratedDocument]] = {}
    for document in GeneratedDocument.objects.filter(content_type=content_type, object_id__in=list(meeting_ids)):
        grouped.setdefault(document.object_id, []).append(document)
    return grouped


def _documents_summary(docs: list[GeneratedDocument]) -> dict:
    """One line for a meeting's documents: a tag colour and words."""
    if not docs:
        return {"label": "None yet", "colour": "grey"}
    statuses = [d.status for d in docs]
    if DocumentStatus.FAILED in statuses:
        return {"label": f"{statuses.count(DocumentStatus.FAILED)} failed", "colour": "red"}
    ready = statuses.count(DocumentStatus.READY)
    if ready < len(docs):
        return {"label": f"Being built ({ready} of {len(docs)} ready)", "colour": "blue"}
    if any(d.problems for d in docs):
        return {"label": "Ready, papers left out", "colour": "orange"}
    return {"label": "Ready", "colour": "green"}


def _describe_documents(docs: list[GeneratedDocument]) -> list[GeneratedDocument]:
    """The documents in a stable order, each with a name people read ("Pack for members")."""
    rank = {kind: i for i, kind in enumerate(documents.DOCUMENT_ORDER)}
    ordered = sorted(docs, key=lambda d: rank.get(d.kind, len(rank)))
    for document in ordered:
        document.label = documents.document_label(document)
    return ordered


def _with_paper_counts(items):
    return items.select_related("presenter", "presenter_organisation").annotate(
        paper_count=Count("papers", distinct=True),
        late_count=Count("papers", filter=Q(papers__versions__is_late=True), distinct=True),
    )


def _agenda_rows(meeting: Meeting) -> tuple[list[dict], object]:
    items = list(_with_paper_counts(meeting.items.order_by("number", "suffix")))
    timed, ends_at = services.item_timings(meeting, items)
    last = len(timed) - 1
    rows = [{"item": item, "starts_at": at, "first": i == 0, "last": i == last} for i, (item, at) in enumerate(timed)]
    return rows, ends_at


def _quorum_summary(meeting: Meeting, attendances) -> dict:
    """Whether the meeting was quorate, in words: "Quorate: 7 present (6 needed), including local
    government and health" or "Not quorate: no health partner present"."""
    result = services.quorum(meeting, attendances=attendances)
    body = meeting.body
    sectors = [Sector(s).label.lower() for s in body.quorum_sectors or []]
    if not result["recorded"]:
        return result | {
            "text": f"Attendance is not recorded yet. Quorum: {body.quorum_rule[0].lower()}{body.quorum_rule[1:]}."
        }
    count = f"{result['present']} present ({result['needed']} needed)"
    if result["is_quorate"]:
        text = f"Quorate: {count}" + (f", including {_and(sectors)}" if sectors else "")
    else:
        reasons = []
        if result["present"] < result["needed"]:
            reasons.append(count)
        if result["missing_sectors"]:
            missing = [label.lower() for label in result["missing_sectors"]]
            reasons.append(f"no {_or(missing)} partner present")
        text = "Not quorate: " + "; ".join(reasons)
    return result | {"text": text}


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


# --- The dashboard ---------------------------------------------------------------------------


@programme_manager_required
def dashboard(request):
    now = timezone.now()
    bodies = list(GoverningBody.objects.order_by("display_order", "name"))
    upcoming = list(
        Meeting.objects.upcoming(now)
        .select_related("body")
        .annotate(
            expected=Count("items", filter=Q(items__standing_kind=""), distinct=True),
            received=Count(
                "items", filter=Q(items__standing_kind="", items__papers__versions__isnull=False), distinct=True
            ),
        )
    )
    past = list(Meeting.objects.past(now).filter(starts_at__gte=now - PAST_MEETINGS_SHOWN).select_related("body"))
    series = list(MeetingSeries.objects.select_related("body").order_by("pk"))
    docs = _documents_by_meeting(m.pk for m in upcoming)
    for meeting in upcoming:
        meeting.documents_summary = _documents_summary(docs.get(meeting.pk, [])) if meeting.is_published else None
    sections = [
        {
            "body": body,
            "upcoming": [m for m in upcoming if m.body_id == body.pk],
            "past": [m for m in past if m.body_id == body.pk],
            "series": [s for s in series if s.body_id == body.pk],
        }
        for body in bodies
    ]
    return render(request, "meetings/manage/dashboard.html", {"sections": sections})


# --- Series ----------------------------------------------------------------------------------


@programme_manager_required
def series_create(request):
    form = SeriesForm(request.POST or None, initial={"body": request.GET.get("body")})
    if request.method == "POST" and form.is_valid():
        series = form.save()
        messages.success(
            request, f"Series added: {series.body.name}, {series.describe()}. Generate its meetings when ready."
        )
        return redirect("manage_meetings:dashboard")
    return render(request, "meetings/manage/series_form.html", {"form": form})


@programme_manager_required
@require_POST
def series_generate(request, pk):
    series = get_series_for_management(request.user, pk)
    created = services.generate_meetings(series=series, by=request.user)
    if created:
        messages.success(
            request,
            f"{len(created)} meeting{'s' if len(created) != 1 else ''} of the {series.body.name} created "
            f"for the coming 12 months, from {meeting_label(created[0])}.",
        )
    else:
        messages.info(request, f"No new meetings: the {series.body.name}'s coming 12 months are already scheduled.")
    return redirect("manage_meetings:dashboard")


@programme_manager_required
def series_edit(request, pk):
    """Change a series: its future meetings that have no published agenda move with it."""
    series = get_series_for_management(request.user, pk)
    form = SeriesChangeForm(request.POST or None, instance=series)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.change_series(series=series, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                f"Series changed: {series.describe()}. {len(changed)} future meeting{'s' if len(changed) != 1 else ''} "
                "changed with it (published ones keep their time: change those one by one).",
            )
            return redirect("manage_meetings:dashboard")
    return render(request, "meetings/manage/series_form.html", {"form": form, "series": series})


@programme_manager_required
def series_end(request, pk):
    """Cancel or delete the rest of a series at once (asks first)."""
    series = get_series_for_management(request.user, pk)
    future = list(services.future_meetings_of(series))
    form = EndSeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["what"] == "delete":
                count = services.delete_rest_of_series(series=series, by=request.user)
                messages.success(
                    request, f"{count} future meeting{'s' if count != 1 else ''} deleted; the series is ended."
                )
            else:
                count = services.cancel_rest_of_series(
                    series=series, reason=form.cleaned_data["reason"], by=request.user
                )
                messages.success(
                    request, f"{count} future meeting{'s' if count != 1 else ''} cancelled; the series is ended."
                )
        except ValidationError as error:
            apply_validation_error(form, error, default_field="what")
        else:
            return redirect("manage_meetings:dashboard")
    return render(request, "meetings/manage/series_end.html", {"form": form, "series": series, "future": future})


# --- Meetings --------------------------------------------------------------------------------


def _ask_about_clash(form, error: ValidationError) -> None:
    """The body already meets then: the form grows a box to confirm a second meeting."""
    codes = [e.code for errors in getattr(error, "error_dict", {}).values() for e in errors]
    if "clash" in codes:
        form.ask_about_clash()


@programme_manager_required
def meeting_create(request):
    form = MeetingForm(request.POST or None, initial={"body": request.GET.get("body"), "papers_due_working_days": 5})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(
                body=form.cleaned_data["body"],
                papers_due_working_days=form.cleaned_data["papers_due_working_days"],
                by=request.user,
                **form.meeting_fields(),
            )
        except ValidationError as error:
            _ask_about_clash(form, error)
            apply_validation_error(form, error, names=MEETING_FIELD_NAMES)
        else:
            messages.success(request, f"Meeting scheduled: {meeting_label(meeting)}.")
            return redirect("manage_meetings:agenda", pk=meeting.pk)
    return render(request, "meetings/manage/meeting_form.html", {"form": form})


@programme_manager_required
def meeting_edit(request, pk):
    meeting = get_meeting_for_management(request.user, pk)
    form = MeetingForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_meeting(meeting=meeting, by=request.user, **form.meeting_fields())
        except ValidationError as error:
            _ask_about_clash(form, error)
            apply_validation_error(form, error, names=MEETING_FIELD_NAMES)
        else:
            messages.success(request, f"Meeting changed: {meeting_label(meeting)}. Calendars will show the change.")
            return redirect("manage_meetings:agenda", pk=meeting.pk)
    return render(request, "meetings/manage/meeting_form.html", {"form": form, "meeting": meeting})


@programme_manager_required
def meeting_cancel(request, pk):
    meeting = get_meeting_for_management(request.user, pk)
    if meeting.is_cancelled:
        messages.info(request, "This meeting is already cancelled.")
        return redirect("manage_meetings:agenda", pk=meeting.pk)
    form = CancelMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.cancel_meeting(meeting=meeting, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(request, f"Cancelled: {meeting_name(meeting)}. It stays listed, marked as cancelled.")
        return redirect("manage_meetings:agenda", pk=meeting.pk)
    return render(request, "meetings/manage/meeting_cancel.html", {"form": form, "meeting": meeting})


# --- Agenda ----------------------------------------------------------------------------------


@programme_manager_required
def agenda(request, pk):
    meeting = get_meeting_for_management(request.user, pk)
    rows, ends_at = _agenda_rows(meeting)
    all_docs = list(documents.documents_for(meeting)) if meeting.is_published else []
    docs = _describe_documents(all_docs)
    left_out: dict[tuple[str, str], list[str]] = {}
    for document in docs:
        for problem in document.problems or []:
            left_out.setdefault((problem.get("title", ""), problem.get("reason", "")), []).append(document.label)
    # templates/meetings/_documents.html (shared with the meeting's public page) shows the fullest
    # version of each document with its status, and polls while any is being built.
    shared = documents.documents_context(meeting, request.user, documents=all_docs) if meeting.is_published else {}
    return render(
        request,
        "meetings/manage/agenda.html",
        {
            **shared,
            "meeting": meeting,
            "rows": rows,
            "ends_at": ends_at,
            "refresh_url": reverse("manage_meetings:agenda", kwargs={"pk": meeting.pk}),
            "all_documents": docs,
            "proposed": list(
                ForwardPlanItem.objects.filter(target_meeting=meeting)
                .exclude(status=ForwardPlanStatus.ACCEPTED)
                .select_related("presenter", "organisation")
            ),
            "failed": [d for d in docs if d.status == DocumentStatus.FAILED],
            "waiting_changes": list(meeting.changes.filter(supplement__isnull=True).select_related("by")),
            "supplements": list(meeting.supplements.all()),
            "left_out": [{"title": t, "reason": r, "documents": labels} for (t, r), labels in left_out.items()],
            "tab": "agenda",
        },
    )


@programme_manager_required
def item_add(request, pk):
    meeting = get_meeting_for_management(request.user, pk)
    form = AgendaItemForm(request.POST or None, initial={"purpose": "discussion", "duration_minutes": 15})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.add_item(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Item {item.label}, “{item.title}”, added to the agenda.")
            return redirect(reverse("manage_meetings:agenda", kwargs={"pk": meeting.pk}) + f"#item-{item.pk}")
    return render(request, "meetings/manage/item_form.html", {"form": form, "meeting": meeting})


@programme_manager_required
def item_edit(request, pk, item_pk):
    item = get_item_for_management(request.user, pk, item_pk)
    meeting = item.meeting
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.change_item(
                item=item, by=request.user, **{name: form.cleaned_data[name] for name in services.ITEM_FIELDS}
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Item {item.label}, “{item.title}”, updated.")
            return redirect(reverse("manage_meetings:agenda", kwargs={"pk": meeting.pk}) + f"#item-{item.pk}")
    return render(request, "meetings/manage/item_form.html", {"form": form, "meeting": meeting, "item": item})


@programme_manager_required
def item_remove(request, pk, item_pk):
    """GET asks first. Before publication the item is deleted; after it, withdrawn with a reason."""
    item = get_item_for_management(request.user, pk, item_pk)
    meeting = item.meeting
    agenda_url = reverse("manage_meetings:agenda", kwargs={"pk": meeting.pk})
    form = WithdrawItemForm(request.POST or None) if meeting.is_published else None
    if request.method == "POST":
        try:
            if form is None:
                services.remove_item(item=item, by=request.user)
                messages.success(request, f"Item “{item.title}” is removed and the agenda renumbered.")
                return redirect(agenda_url)
            if form.is_valid():
                services.withdraw_item(item=item, reason=form.cleaned_data["reason"], by=request.user)
                messages.success(
                    request,
                    f"Item {item.label} is withdrawn. The documents are being rebuilt with a supplement, and members "
                    "will be told.",
                )
                return redirect(f"{agenda_url}#item-{item.pk}")
        except ValidationError as error:
            if form is None:
                messages.error(request, error.messages[0])
                return redirect(agenda_url)
            apply_validation_error(form, error, default_field="reason")
    return render(request, "meetings/manage/item_remove.html", {"meeting": meeting, "item": item, "form": form})


def _moved(order: list[int], item_id: int, direction: str) -> list[int]:
    if item_id not in order or direction not in {"up", "down"}:
        raise ValueError
    index = order.index(item_id)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(order):
        order = list(order)
        order[index], order[target] = order[target], order[index]
    return order


@programme_manager_required
@require_POST
def agenda_reorder(request, pk):
    """Move an item. Without JavaScript the "Move up"/"Move down" buttons post the item and the
    direction, and the page is shown again; static/js/agenda.js posts the whole new order instead
    and gets JSON back (the message to announce and the re-rendered rows)."""
    meeting = get_meeting_for_management(request.user, pk)
    agenda_url = reverse("manage_meetings:agenda", kwargs={"pk": meeting.pk})
    current = list(meeting.items.order_by("number", "suffix").values_list("pk", flat=True))
    try:
        item_id = int(request.POST["item"]) if request.POST.get("item") else None
        if "order" in request.POST:
            ordered = [int(value) for value in request.POST.getlist("order")]
        else:
            ordered = _moved(current, item_id, request.POST.get("direction", ""))
        services.reorder_items(meeting=meeting, ordered_ids=ordered, by=request.user)
    except ValueError:
        message = "Choose an item of this agenda and a direction to move it."
        if _wants_json(request):
            return JsonResponse({"message": message}, status=400)
        messages.error(request, message)
        return redirect(agenda_url)
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"message": error.messages[0]}, status=409)
        messages.error(request, error.messages[0])
        return redirect(agenda_url)
    rows, ends_at = _agenda_rows(meeting)
    moved = next((row for row in rows if row["item"].pk == item_id), None)
    if moved is None:
        message = "The agenda is in its new order."
    else:
        message = (
            f"“{moved['item'].title}” is now item {moved['item'].number} of {len(rows)}, "
            f"starting at {timezone.localtime(moved['starts_at']):%H:%M}."
        )
    if _wants_json(request):
        html = render_to_string(
            "meetings/manage/_agenda_rows.html", {"meeting": meeting, "rows": rows}, request=request
        )
        return JsonResponse(
            {
                "message": message,
                "html": html,
                "order": [row["item"].pk for row in rows],
                "ends_at": f"{timezone.localtime(ends_at):%H:%M}",
            }
        )
    messages.success(request, message)
    return redirect(f"{agenda_url}#item-{item_id}" if item_id else agenda_url)


@programme_manager_required
def agenda_publish(request, pk):
    meeting = get_meeting_for_management(request.user, pk)
    if meeting.is_published:
        messages.info(request, "The agenda is already published.")
        return redirect("manage_meetings:agenda", pk=meeting.pk)
    if request.method == "POST":
        try:
            services.publish_agenda(meeting=meeting, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                "The agenda is published. Its documents are being built; members will be emailed when the pack "
                "is ready.",
            )
        return redirect("manage_meetings:agenda", pk=meeting.pk)
    rows, _ends_at = _agenda_rows(meeting)
    waiting = [row["item"] for row in rows if not row["item"].standing_kind and not row["item"].paper_count]
    return render(
        request, "meetings/manage/agenda_publish.html", {"meeting": meeting, "waiting": waiting, "tab": "agenda"}
    )


@programme_manager_required
@require_POST
def send_supplement_notice(request, pk):
    """Email members about the changes waiting, now (the presenter's ones included)."""
    meeting = get_meeting_for_management(request.user, pk)
    waiting = meeting.changes.filter(supplement__isnull=True).exists()
    supplement = services.issue_supplement_notice(meeting=meeting, by=request.user)
    if supplement is None and not waiting:
        messages.info(request, "There are no changes waiting: members have been told of every change.")
    elif supplement is None:
        last = meeting.supplements.order_by("-number").first()
        next_at = timezone.localtime(last.issued_at + notices.SUPPLEMENT_INTERVAL)
        messages.info(
            request,
            f"Members were last emailed at {timezone.localtime(last.issued_at):%H:%M} and get at most one "
            f"“papers updated” email an hour: these changes go to them automatically from {next_at:%H:%M}.",
        )
    else:
        messages.success(
            request,
            f"Supplement {supplement.number}: members are being emailed about {supplement.changes.count()} changes.",
        )
    return redirect(reverse("manage_meetings:agenda", kwargs={"pk": meeting.pk}) + "#changes")


@programme_manager_required
@require_POST
def send_notice(request, pk):
    meeting = get_meeting_for_management(request.user, pk)
    try:
        services.send_notice_of_meeting(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The notice of meeting is being emailed to each member and deputy.")
    return redirect("manage_meetings:agenda", pk=meeting.pk)


@programme_manager_required
def message_members(request, pk):
    meeting = get_meeting_for_management(request.user, pk)
    form = MessageMembersForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_members(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"“{form.cleaned_data['subject']}” is being emailed to the members.")
            return redirect("manage_meetings:message_members", pk=meeting.pk)
    return render(
        request,
        "meetings/manage/message_members.html",
        {
            "meeting": meeting,
            "form": form,
            "recipients": notices.papers_recipients(meeting),
            "sent": list(meeting.messages.select_related("sent_by")[:20]),
            "tab": "email",
        },
    )


@programme_manager_required
@require_POST
def documents_rebuild(request, pk):
    meeting = get_meeting_for_management(request.user, pk)
    if not meeting.is_published:
        messages.error(request, "The agenda is not published yet: there are no documents to rebuild.")
    else:
        documents.request_documents(meeting=meeting, reason="rebuild asked for by the programme manager")
        messages.success(request, "The documents are queued to be built again.")
    return redirect(reverse("manage_meetings:agenda", kwargs={"pk": meeting.pk}) + "#documents")


@programme_manager_required
def papers(request, pk):
    meeting = get_meeting_for_management(request.user, pk)
    versions = PaperVersion.objects.select_related("uploaded_by").order_by("-number")
    paper_list = Paper.objects.prefetch_related(Prefetch("versions", queryset=versions)).order_by("position", "pk")
    items = list(
        meeting.items.select_related("presenter", "presenter_organisation")
        .prefetch_related(Prefetch("papers", queryset=paper_list))
        .order_by("number", "suffix")
    )
    return render(
        request,
        "meetings/manage/papers.html",
        {"meeting": meeting, "items": items, "papers_late": meeting.papers_are_late(), "tab": "papers"},
    )


# --- Forward plan ----------------------------------------------------------------------------


@programme_manager_required
def forward_plan(request):
    bodies = list(GoverningBody.objects.order_by("display_order", "name"))
    entries = list(
        ForwardPlanItem.objects.select_related(
            "body", "presenter", "organisation", "target_meeting__body", "agenda_item__meeting"
        ).order_by("target_meeting__starts_at", "proposed_at")
    )
    sections = [
        {
            "body": body,
            "open": [e for e in entries if e.body_id == body.pk and e.status != ForwardPlanStatus.ACCEPTED],
            "accepted": [e for e in entries if e.body_id == body.pk and e.status == ForwardPlanStatus.ACCEPTED],
        }
        for body in bodies
    ]
    return render(request, "meetings/manage/forward_plan.html", {"sections": sections})


@programme_manager_required
def forward_propose(request):
    form = ForwardItemForm(request.POST or None, initial={"body": request.GET.get("body")})
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.propose_forward_item(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"“{entry.title}” added to the {entry.body.name}'s forward plan.")
            return redirect("manage_meetings:forward_plan")
    return render(request, "meetings/manage/forward_form.html", {"form": form})


@programme_manager_required
def forward_accept(request, pk):
    entry = get_forward_item_for_management(request.user, pk)
    if entry.status == ForwardPlanStatus.ACCEPTED:
        messages.info(request, f"“{entry.title}” is already on an agenda.")
        return redirect("manage_meetings:forward_plan")
    form = AcceptForwardItemForm(request.POST or None, forward_item=entry)
    if request.method == "POST" and form.is_valid():
        meeting = form.cleaned_data["meeting"]
        try:
            item = services.accept_forward_item(forward_item=entry, meeting=meeting, by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"“{item.title}” is item {item.label} on the agenda of {meeting_name(meeting)}.")
            return redirect(reverse("manage_meetings:agenda", kwargs={"pk": meeting.pk}) + f"#item-{item.pk}")
    return render(request, "meetings/manage/forward_accept.html", {"form": form, "entry": entry})


@programme_manager_required
def forward_defer(request, pk):
    entry = get_forward_item_for_management(request.user, pk)
    if entry.status == ForwardPlanStatus.ACCEPTED:
        messages.info(request, f"“{entry.title}” is already on an agenda.")
        return redirect("manage_meetings:forward_plan")
    form = DeferForwardItemForm(request.POST or None, forward_item=entry)
    if request.method == "POST" and form.is_valid():
        to_meeting = form.cleaned_data["meeting"]
        try:
            services.defer_forward_item(forward_item=entry, to_meeting=to_meeting, by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            where = meeting_name(to_meeting) if to_meeting else "no meeting yet"
            messages.success(request, f"“{entry.title}” deferred to {where}.")
            return redirect("manage_meetings:forward_plan")
    return render(request, "meetings/manage/forward_defer.html", {"form": form, "entry": entry})


# --- Attendance ------------------------------------------------------------------------------


@programme_manager_required
def attendance(request, pk):
    """Who was there, in what capacity: members (or their deputies, named), apologies, and
    everyone else present (officers, guests, observers). Recorded from the day of the meeting."""
    meeting = get_meeting_for_management(request.user, pk)
    what = request.POST.get("what", "attendance") if request.method == "POST" else ""
    form = AttendanceForm(request.POST if what == "attendance" else None)
    also_form = AlsoPresentForm(request.POST if what == "also_present" else None, prefix="also")
    if what == "attendance" and form.is_valid():
        try:
            services.record_attendance(
                meeting=meeting,
                present_ids=form.cleaned_data["present"],
                deputy_present_ids=form.cleaned_data["deputy_present"],
                apologies_ids=form.cleaned_data["apologies"],
                deputies=form.cleaned_data["deputies"],
                by=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Attendance saved.")
            return redirect("manage_meetings:attendance", pk=meeting.pk)
    if what == "also_present" and also_form.is_valid():
        try:
            entry = services.add_also_present(meeting=meeting, by=request.user, **also_form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(also_form, error)
        else:
            messages.success(request, f"{entry.name} is recorded as also present.")
            return redirect(reverse("manage_meetings:attendance", kwargs={"pk": meeting.pk}) + "#also-present")
    if what == "remove_also_present":
        entry = get_object_or_404(AlsoPresent, pk=request.POST.get("entry") or 0, meeting=meeting)
        try:
            services.remove_also_present(entry=entry, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"{entry.name} is no longer recorded as present.")
        return redirect(reverse("manage_meetings:attendance", kwargs={"pk": meeting.pk}) + "#also-present")
    seats, colleagues = services.people_of(meeting)
    answers = {a.person_id: a for a in meeting.attendances.select_related("organisation", "deputy")}
    if form.is_bound:  # show what was ticked, not what is saved
        ticked = {name: set(request.POST.getlist(name)) for name in ("present", "deputy_present", "apologies")}
    rows = []
    for seat in seats:
        answer = answers.get(seat.person_id)
        if form.is_bound:
            marks = {name: str(seat.person_id) in ticked[name] for name in ticked}
            chosen_deputy = request.POST.get(f"deputy_for_{seat.person_id}", "")
        else:
            marks = {
                "present": bool(answer and answer.present and not answer.deputy_present),
                "deputy_present": bool(answer and answer.deputy_present),
                "apologies": bool(answer and not answer.present and answer.response == "apologies"),
            }
            chosen_deputy = str(answer.deputy_id) if answer and answer.deputy_id else ""
        deputy = answer.deputy if answer and answer.deputy_id else seat.deputy
        rows.append(
            {
                "seat": seat,
                "answer": answer,
                "deputy": deputy,
                "deputy_choices": colleagues.get(seat.organisation_id, []),
                "chosen_deputy": chosen_deputy,
                **marks,
            }
        )
    quorum = _quorum_summary(meeting, list(answers.values()))
    return render(
        request,
        "meetings/manage/attendance.html",
        {
            "meeting": meeting,
            "form": form if form.errors else (also_form if also_form.errors else form),
            "attendance_form": form,
            "also_form": also_form,
            "also_present": list(meeting.also_present.all()),
            "rows": rows,
            "quorum": quorum,
            "can_record": meeting.has_begun() and not meeting.is_cancelled,
            "sheet": documents.documents_for(meeting).filter(kind="attendance:members").first(),
            "tab": "attendance",
        },
    )


def _owners_of(meeting: Meeting, seats) -> list:
    """Who may own an action (every active person): kept until a person or seat changes."""
    return caching.cached_value(
        ("owners-of", meeting.pk, timezone.localdate()),
        ["partners", "meetings"],
        lambda: _owner_choices(meeting, seats),
    )


def _previous_meeting(meeting: Meeting):
    return caching.cached_value(
        ("previous", meeting.pk), ["partners", "meetings"], lambda: documents.previous_meeting(meeting)
    )


# --- Minutes ---------------------------------------------------------------------------------


def _owner_choices(meeting: Meeting, seats) -> list:
    """Members of the body first, then every other active person."""
    member_ids = {seat.person_id for seat in seats}
    members = [(seat.person_id, f"{seat.person.name} ({seat.organisation.display_name})") for seat in seats]
    others = [
        (person.pk, f"{person.name} ({person.organisation.display_name})" if person.organisation_id else person.name)
        for person in User.objects.filter(is_active=True).select_related("organisation").order_by("name")
        if person.pk not in member_ids
    ]
    return [(f"Members of the {meeting.body.name}", members), ("Everyone else", others)]


def _item_forms(item, owner_choices, data=None, what=None):
    """The minute, decision and action forms of one item; `data` binds the one named by `what`."""
    minute_text = item.minute.text if getattr(item, "minute", None) else ""
    forms = {
        "minute": MinuteForm(
            data if what == "minute" else None, prefix=f"item{item.pk}-minute", initial={"text": minute_text}
        ),
        "decision": DecisionForm(data if what == "decision" else None, prefix=f"item{item.pk}-decision"),
        "action": ActionForm(
            data if what == "action" else None, prefix=f"item{item.pk}-action", owner_choices=owner_choices
        ),
    }
    forms["minute"].fields["text"].label = f"Minute of item {item.label}"
    forms["decision"].fields["text"].label = f"Decision on item {item.label}"
    forms["action"].fields["description"].label = "What is to be done"
    forms["action"].fields["owner"].label = "Owner"
    return forms


def _record_for_item(what: str, item: AgendaItem, data: dict, by) -> str:
    """Do what one of an item's forms on the minutes page asks; return the message to show."""
    if what == "minute":
        services.save_minute(item=item, text=data["text"], by=by)
        return f"Minute of item {item.label} saved."
    if what == "decision":
        decision = services.record_decision(item=item, text=data["text"], by=by)
        return f"Decision {decision.reference} recorded."
    services.record_action(item=item, by=by, **data)
    return f"Action for {data['owner'].name} recorded."


def _minutes_sections(meeting: Meeting, items, forms_for) -> list[dict]:
    """Each item with its minute, decisions, actions and declarations (three queries in all)."""
    decisions, actions, declarations = caching.cached_value(
        ("minuted-records", meeting.pk),
        ["partners", "meetings"],
        lambda: (
            list(Decision.objects.filter(meeting=meeting).order_by("pk")),
            list(Action.objects.filter(meeting=meeting).select_related("owner").order_by("pk")),
            list(Declaration.objects.filter(meeting=meeting).select_related("person").order_by("declared_at")),
        ),
    )
    return [
        {
            "item": item,
            "minute": getattr(item, "minute", None),
            "decisions": [d for d in decisions if d.item_id == item.pk],
            "actions": [a for a in actions if a.item_id == item.pk],
            "declarations": [d for d in declarations if d.item_id == item.pk],
            **forms_for(item),
        }
        for item in items
    ]


def _declaration_form(seats, attendances, items, data=None) -> OralDeclarationForm:
    """Who can declare (members and the deputies recorded for them) and in which business items."""
    people = {seat.person_id: seat.person.name for seat in seats}
    for attendance in attendances:
        if attendance.deputy_id:
            people.setdefault(attendance.deputy_id, f"{attendance.deputy.name} (deputy for {attendance.person.name})")
    business = [(i.pk, f"{i.label}. {i.title}") for i in items if not i.standing_kind and not i.is_withdrawn]
    return OralDeclarationForm(
        data, people_choices=sorted(people.items(), key=lambda p: p[1]), item_choices=business, prefix="declaration"
    )


def _minutes_items(meeting: Meeting) -> list:
    return list(
        meeting.items.select_related("minute", "presenter", "presenter_organisation").order_by("number", "suffix")
    )


@programme_manager_required
def minutes(request, pk):
    """Write the minutes item by item (a minute, decisions, actions, interests declared at the
    meeting); once they are approved, the page is read-only and takes errata instead."""
    meeting = get_meeting_for_management(request.user, pk)
    if meeting.minutes_approved_at_meeting_id:  # named on the page: one query, not one per attribute
        meeting.minutes_approved_at_meeting = Meeting.objects.with_body().get(pk=meeting.minutes_approved_at_meeting_id)
    if request.method != "POST":
        return _minutes_page(request, meeting)
    minutes_url = reverse("manage_meetings:minutes", kwargs={"pk": meeting.pk})
    items = _minutes_items(meeting)
    locked = meeting.minutes_locked
    seats, _colleagues = services.people_of(meeting) if not locked else ([], {})
    what = request.POST.get("what", "")
    erratum_form = ErratumForm(request.POST if what == "erratum" else None)
    bound_form, bound_item = None, None

    if locked:
        if what != "erratum":
            messages.error(request, "These minutes are approved and locked: record an erratum instead.")
            return redirect(f"{minutes_url}#errata")
        if erratum_form.is_valid():
            try:
                services.record_erratum(meeting=meeting, text=erratum_form.cleaned_data["text"], by=request.user)
            except ValidationError as error:
                apply_validation_error(erratum_form, error)
            else:
                messages.success(request, "Erratum recorded. The minutes documents are being rebuilt.")
                return redirect(f"{minutes_url}#errata")
        bound_form = erratum_form
    elif what == "declaration":
        attendances = list(meeting.attendances.select_related("person", "deputy"))
        bound_form = _declaration_form(seats, attendances, items, request.POST)
        bound_item = next((i for i in items if i.standing_kind == StandingKind.DECLARATIONS), None)
        if bound_form.is_valid():
            data = bound_form.cleaned_data
            item = next(i for i in items if i.pk == data["item_declared"])
            item.meeting = meeting
            try:
                services.declare_interest(
                    item=item, person=data["person"], interest=data["interest"], recorded_by=request.user
                )
            except ValidationError as error:
                apply_validation_error(bound_form, error)
            else:
                messages.success(request, f"{data['person'].name}'s interest in item {item.label} is recorded.")
                return redirect(f"{minutes_url}#item-{bound_item.pk if bound_item else item.pk}")
    else:
        bound_item = next((i for i in items if str(i.pk) == request.POST.get("item", "")), None)
        if bound_item is None or what not in {"minute", "decision", "action"}:
            raise Http404
        owner_choices = ActionForm.owner_options(_owners_of(meeting, seats))
        bound_form = _item_forms(bound_item, owner_choices, request.POST, what)[what]
        if bound_form.is_valid():
            try:
                message = _record_for_item(what, bound_item, bound_form.cleaned_data, request.user)
            except ValidationError as error:
                apply_validation_error(bound_form, error)
            else:
                messages.success(request, message)
                return redirect(f"{minutes_url}#item-{bound_item.pk}")
    return _minutes_page(request, meeting, what=what, bound_item=bound_item, bound_form=bound_form)


def _minutes_page(request, meeting: Meeting, *, what="", bound_item=None, bound_form=None):
    """The minutes page. Its items, with every form, are the programme manager's alike until the
    meeting or its people change (a fragment: unpickling it costs a fraction of building fifteen
    items' forms and owner lists); a form carrying rejected input is rendered for this request."""
    locked = meeting.minutes_locked
    today = timezone.localdate()

    def build() -> dict:
        items = _minutes_items(meeting)
        seats, _colleagues = services.people_of(meeting) if not locked else ([], {})
        owner_choices = ActionForm.owner_options([] if locked else _owners_of(meeting, seats))
        attendances = list(meeting.attendances.select_related("person", "deputy"))
        if locked:
            declaration_form = None
        elif what == "declaration":
            declaration_form = bound_form
        else:
            declaration_form = _declaration_form(seats, attendances, items)

        def forms_for(item):
            if locked:
                return {"forms": {}, "open_form": ""}
            forms = _item_forms(item, owner_choices)
            if bound_item is not None and item.pk == bound_item.pk and what != "declaration":
                forms[what] = bound_form  # the form that was sent, with its errors
            return {"forms": forms, "open_form": what if bound_item is not None and item.pk == bound_item.pk else ""}

        return {
            "meeting": meeting,
            "sections": _minutes_sections(meeting, items, forms_for),
            "locked": locked,
            "previous": _previous_meeting(meeting),
            "earlier_actions": list(open_actions_before(meeting, None)),
            "declaration_form": declaration_form,
            "attended": services.attended(meeting, attendances),
            "attendance_recorded": any(a.present is not None for a in attendances),
            "today": today,
            "minutes_kind": StandingKind.MINUTES,
            "actions_kind": StandingKind.ACTIONS,
            "declarations_kind": StandingKind.DECLARATIONS,
        }

    sections_html = caching.fragment(
        request,
        "minutes-sections",
        (meeting.pk, "manager", today),
        ["meetings", "partners"],
        "meetings/manage/_minutes_sections.html",
        build,
        share=bound_form is None or what == "erratum",
    )
    return render(
        request,
        "meetings/manage/minutes.html",
        {
            "meeting": meeting,
            "sections_html": sections_html,
            "locked": locked,
            "anything_written": meeting.minutes_status != MinutesStatus.NONE,
            "errata": list(meeting.errata.select_related("recorded_by")) if locked else [],
            "erratum_form": bound_form if what == "erratum" else ErratumForm(),
            "form": bound_form,  # for the error summary
            "tab": "minutes",
        },
    )


@programme_manager_required
def decision_edit(request, pk, decision_pk):
    decision = get_decision_for_management(request.user, pk, decision_pk)
    form = DecisionForm(request.POST or None, initial={"text": decision.text})
    form.fields["text"].label = f"Decision {decision.reference}"
    if request.method == "POST" and form.is_valid():
        try:
            services.change_decision(decision=decision, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Decision {decision.reference} changed.")
            return redirect(_minutes_anchor(decision.meeting_id, decision.item_id))
    return render(
        request,
        "meetings/manage/minuted_record_form.html",
        {
            "form": form,
            "meeting": decision.meeting,
            "heading": f"Change decision {decision.reference}",
            "item": decision.item,
        },
    )


@programme_manager_required
def decision_delete(request, pk, decision_pk):
    decision = get_decision_for_management(request.user, pk, decision_pk)
    if request.method == "POST":
        try:
            services.delete_decision(decision=decision, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"Decision {decision.reference} deleted. Its reference is not used again.")
        return redirect(_minutes_anchor(decision.meeting_id, decision.item_id))
    return render(
        request,
        "meetings/manage/minuted_record_delete.html",
        {
            "meeting": decision.meeting,
            "what": f"decision {decision.reference}",
            "text": decision.text,
            "item": decision.item,
        },
    )


@programme_manager_required
def action_edit(request, pk, action_pk):
    action = get_minuted_action_for_management(request.user, pk, action_pk)
    owner_choices = _owner_choices(action.meeting, list(services.members_of(action.meeting)))
    form = ActionForm(
        request.POST or None,
        owner_choices=owner_choices,
        initial={"description": action.description, "owner": action.owner_id, "due_on": action.due_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_action(action=action, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Action changed.")
            return redirect(_minutes_anchor(action.meeting_id, action.item_id))
    return render(
        request,
        "meetings/manage/minuted_record_form.html",
        {"form": form, "meeting": action.meeting, "heading": "Change an action", "item": action.item},
    )


@programme_manager_required
def action_delete(request, pk, action_pk):
    action = get_minuted_action_for_management(request.user, pk, action_pk)
    if request.method == "POST":
        try:
            services.delete_action(action=action, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "Action deleted.")
        return redirect(_minutes_anchor(action.meeting_id, action.item_id))
    return render(
        request,
        "meetings/manage/minuted_record_delete.html",
        {"meeting": action.meeting, "what": "this action", "text": action.description, "item": action.item},
    )


def _minutes_anchor(meeting_id: int, item_id: int | None) -> str:
    url = reverse("manage_meetings:minutes", kwargs={"pk": meeting_id})
    return f"{url}#item-{item_id}" if item_id else url


@programme_manager_required
@require_POST
def minutes_circulate(request, pk):
    meeting = get_meeting_for_management(request.user, pk)
    try:
        services.circulate_draft_minutes(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The draft minutes are circulated to members.")
    return redirect("manage_meetings:minutes", pk=meeting.pk)


@programme_manager_required
@require_POST
def minutes_approve_previous(request, pk):
    """At this meeting, under "Minutes of the last meeting": approve the previous meeting's."""
    meeting = get_meeting_for_management(request.user, pk)
    previous = documents.previous_meeting(meeting)
    if previous is None:
        messages.error(request, f"This is the first {meeting.body.name} meeting: there are no earlier minutes.")
    else:
        try:
            services.approve_minutes(meeting=previous, at_meeting=meeting, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"The minutes of {meeting_name(previous)} are approved and locked.")
    return redirect("manage_meetings:minutes", pk=meeting.pk)


@programme_manager_required
@require_POST
def action_complete(request, pk):
    action = get_action_for_management(request.user, pk)
    services.complete_action(action=action, by=request.user)
    messages.success(request, f"Action done: {action}.")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("manage_meetings:minutes", kwargs={"pk": action.meeting_id})
    return redirect(next_url)


# --- Seminars --------------------------------------------------------------------------------

SEMINARS_PAGE_SIZE = 50


@programme_manager_required
def seminars(request):
    """Every seminar with its state (draft, scheduled, published), newest first."""
    listed = Seminar.objects.order_by("-held_on", "-pk").only(
        "title", "slug", "held_on", "venue", "status", "published_at"
    )
    page = Paginator(listed, SEMINARS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/manage/seminars.html", {"page": page, "filter_query": ""})


def _seminar_form(request, seminar: Seminar):
    """Write a seminar, preview it (rendered as the public will see it, nothing saved), save it,
    publish or schedule it, or take it back to a draft."""
    form = SeminarForm(request.POST or None, request.FILES or None, instance=seminar)
    preview = None
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        record = form.save(commit=False)
        report = form.cleaned_data["executive_report"]
        if action == "preview":
            preview = record
        else:
            try:
                if action == "publish":
                    services.publish_seminar(
                        seminar=record, at=form.cleaned_data["publish_at"], report=report, by=request.user
                    )
                elif action == "unpublish" and record.pk:
                    services.unpublish_seminar(seminar=record, report=report, by=request.user)
                else:
                    services.save_seminar(seminar=record, report=report, by=request.user)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"“{record.title}” is {record.state}.")
                return redirect("manage_meetings:seminars")
    return render(request, "meetings/manage/seminar_form.html", {"form": form, "seminar": seminar, "preview": preview})


@programme_manager_required
def seminar_create(request):
    return _seminar_form(request, Seminar())


@programme_manager_required
def seminar_edit(request, pk):
    return _seminar_form(request, get_seminar_for_management(request.user, pk))


@programme_manager_required
def seminar_history(request, pk):
    seminar = get_seminar_for_management(request.user, pk)
    changes = seminar.history.select_related("history_user").order_by("-history_date")[:100]
    return render(request, "meetings/manage/seminar_history.html", {"seminar": seminar, "changes": changes})

"""Rows of the permission matrix for the meetings management pages (meetings/manage_urls.py).

Only the programme manager reaches them; everyone else gets the 404 of a page that does not exist,
and signed-out visitors are sent to sign in. POST-only endpoints answer her GET with 405."""

from datetime import time, timedelta

from django.utils import timezone

from meetings import services
from meetings.models import MeetingSeries
from tests.support.matrix import pm_only


def _meeting(w):
    return {"pk": w["meeting"].pk}


def _draft(w):
    return {"pk": w["draft_meeting"].pk}


ROWS: dict = {
    "manage_meetings:dashboard": (None, pm_only()),
    "manage_meetings:series_create": (None, pm_only()),
    "manage_meetings:series_generate": (lambda w: {"pk": w["series"].pk}, pm_only(405)),
    "manage_meetings:meeting_create": (None, pm_only()),
    "manage_meetings:meeting_edit": (_meeting, pm_only()),
    "manage_meetings:meeting_cancel": (_draft, pm_only()),
    "manage_meetings:agenda": (_meeting, pm_only()),
    "manage_meetings:item_add": (_draft, pm_only()),
    "manage_meetings:item_edit": (lambda w: {"pk": w["meeting"].pk, "item_pk": w["items"]["restricted"].pk}, pm_only()),
    "manage_meetings:agenda_reorder": (_draft, pm_only(405)),
    "manage_meetings:agenda_publish": (_draft, pm_only()),
    "manage_meetings:documents_rebuild": (_meeting, pm_only(405)),
    "manage_meetings:papers": (_meeting, pm_only()),
    "manage_meetings:forward_plan": (None, pm_only()),
    "manage_meetings:forward_propose": (None, pm_only()),
    "manage_meetings:forward_accept": (lambda w: {"pk": w["forward_item"].pk}, pm_only()),
    "manage_meetings:forward_defer": (lambda w: {"pk": w["forward_item"].pk}, pm_only()),
    "manage_meetings:attendance": (_meeting, pm_only()),
    "manage_meetings:minutes": (_meeting, pm_only()),
    "manage_meetings:minutes_circulate": (_meeting, pm_only(405)),
    "manage_meetings:minutes_approve_previous": (_meeting, pm_only(405)),
    "manage_meetings:action_complete": (lambda w: {"pk": w["action"].pk}, pm_only(405)),
    "manage_meetings:series_edit": (lambda w: {"pk": w["series"].pk}, pm_only()),
    "manage_meetings:series_end": (lambda w: {"pk": w["series"].pk}, pm_only()),
    "manage_meetings:item_remove": (
        lambda w: {"pk": w["meeting"].pk, "item_pk": w["items"]["public"].pk},
        pm_only(),
    ),
    "manage_meetings:send_supplement_notice": (_meeting, pm_only(405)),
    "manage_meetings:send_notice": (_meeting, pm_only(405)),
    "manage_meetings:message_members": (_meeting, pm_only()),
    "manage_meetings:decision_edit": (lambda w: {"pk": w["meeting"].pk, "decision_pk": w["decision"].pk}, pm_only()),
    "manage_meetings:decision_delete": (lambda w: {"pk": w["meeting"].pk, "decision_pk": w["decision"].pk}, pm_only()),
    "manage_meetings:action_edit": (lambda w: {"pk": w["meeting"].pk, "action_pk": w["action"].pk}, pm_only()),
    "manage_meetings:action_delete": (lambda w: {"pk": w["meeting"].pk, "action_pk": w["action"].pk}, pm_only()),
    # Seminars (the public site's): written, previewed and published here, with their history.
    "manage_meetings:seminars": (None, pm_only()),
    "manage_meetings:seminar_create": (None, pm_only()),
    "manage_meetings:seminar_edit": (lambda w: {"pk": w["seminar"].pk}, pm_only()),
    "manage_meetings:seminar_history": (lambda w: {"pk": w["seminar"].pk}, pm_only()),
}


def extra_world(world: dict, *, cast, board, harlow) -> dict:
    """Records these rows need beyond the shared meetings world (tests/meetings/matrix.py): a series,
    a forward plan item meant for the draft meeting, and an action from the published meeting."""
    alice = cast["alice"]
    series = MeetingSeries.objects.create(body=board, ordinal=2, weekday=1, start_time=time(10), end_time=time(12))
    forward_item = services.propose_forward_item(
        body=board,
        title="Digital skills bootcamp",
        purpose="discussion",
        organisation=harlow,
        target_meeting=world["draft_meeting"],
        by=alice,
    )
    action = services.record_action(
        item=world["items"]["public"],
        description="Circulate the bid timetable",
        owner=cast["carol"],
        due_on=timezone.localdate() + timedelta(days=30),
        by=alice,
    )
    decision = services.record_decision(item=world["items"]["public"], text="Agreed the timetable", by=alice)
    return {"series": series, "forward_item": forward_item, "action": action, "decision": decision}

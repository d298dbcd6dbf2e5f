"""Every meetings management page makes the same number of queries with a little data and with
much more (the harness in tests/support/queries.py): more members, items, papers, versions,
decisions, actions, declarations, documents, forward plan items, series and meetings."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import LONDON, MeetingSeries, SeminarFile
from tests.conftest import sign_in
from tests.factories import MembershipFactory, OrganisationFactory, SeminarFactory, UserFactory
from tests.meetings.conftest import docx_upload
from tests.support.queries import assert_constant_queries


def a_meeting(body, alice, *, days):
    day = timezone.localdate() + timedelta(days=days)
    starts = datetime(day.year, day.month, day.day, 10, tzinfo=LONDON)
    return services.schedule_meeting(body=body, starts_at=starts, ends_at=starts + timedelta(hours=2), by=alice)


@pytest.fixture
def world(board, steering_group, alice, bob, carol, harlow, meeting, django_capture_on_commit_callbacks):
    """A draft Board meeting (`meeting`), a published one, last month's with approved minutes, a
    series and a forward plan item. Workers never run here: documents stay queued."""
    with django_capture_on_commit_callbacks(execute=False):
        previous = a_meeting(board, alice, days=-28)
        services.save_minute(item=previous.items.first(), text="Noted.", by=alice)
        previous = services.approve_minutes(meeting=previous, at_meeting=meeting, by=alice, today=meeting.local_date)
        published = a_meeting(board, alice, days=40)
        item = services.add_item(meeting=published, title="Published business", presenter=bob, by=alice)
        services.add_paper(item=item, title="Published paper", purpose="x", upload=docx_upload(), by=bob)
        services.publish_agenda(meeting=published, by=alice)
    series = MeetingSeries.objects.create(body=board, ordinal=2, weekday=1, start_time=time(10), end_time=time(12))
    draft_item = services.add_item(meeting=meeting, title="Draft business", presenter=bob, by=alice)
    decision = services.record_decision(item=draft_item, text="Agreed", by=alice)
    action = services.record_action(
        item=draft_item, description="Do it", owner=carol, due_on=date(2030, 1, 1), by=alice
    )
    services.add_paper(item=draft_item, title="Draft paper", purpose="x", upload=docx_upload(), by=bob)
    entry = services.propose_forward_item(
        body=board, title="Smart parking", purpose="decision", target_meeting=meeting, by=alice
    )
    return {
        "meeting": meeting,
        "published": published,
        "previous": previous,
        "entry": entry,
        "board": board,
        "series": series,
        "item": item,
        "decision": decision,
        "action": action,
    }


@pytest.fixture
def grow(world, alice, bob, carol, board, steering_group, django_capture_on_commit_callbacks):
    meeting, published, previous = world["meeting"], world["published"], world["previous"]

    def grow():
        with django_capture_on_commit_callbacks(execute=False):
            for i in range(8):
                organisation = OrganisationFactory(org_type=["acute_trust", "university", "district_council"][i % 3])
                person = UserFactory(organisation=organisation)
                MembershipFactory(
                    body=board, person=person, organisation=organisation, deputy=UserFactory(organisation=organisation)
                )
                services.respond_to_meeting(meeting=meeting, person=person, response=["attending", "deputy"][i % 2])
                item = services.add_item(
                    meeting=meeting,
                    title=f"Business {i}",
                    presenter=person,
                    presenter_organisation=organisation,
                    visibility=["public", "restricted"][i % 2],
                    restriction_reason="Sensitive" if i % 2 else "",
                    by=alice,
                )
                paper = services.add_paper(item=item, title=f"Paper {i}", purpose="x", upload=docx_upload(), by=bob)
                services.replace_paper(paper=paper, upload=docx_upload(), by=bob)
                services.save_minute(item=item, text=f"Minute {i}", by=alice)
                services.record_decision(item=item, text=f"Decision {i}", by=alice)
                services.record_action(
                    item=item, description=f"Action {i}", owner=person, due_on=date(2030, 1, 1), by=alice
                )
                services.declare_interest(item=item, person=person, interest=f"Interest {i}")
                services.record_erratum(meeting=previous, text=f"Erratum {i}", by=alice)
                later = services.add_item(meeting=published, title=f"Late business {i}", by=alice)
                services.add_paper(item=later, title=f"Late paper {i}", purpose="x", upload=docx_upload(), by=bob)
                services.propose_forward_item(
                    body=[board, steering_group][i % 2],
                    title=f"Idea {i}",
                    purpose="discussion",
                    presenter=person,
                    by=alice,
                )
                a_meeting(steering_group, alice, days=20 + i)
                past = a_meeting(board, alice, days=-60 - 7 * i)
                services.save_minute(item=past.items.first(), text="x", by=alice)
                MeetingSeries.objects.create(
                    body=steering_group, ordinal=1 + i % 4, weekday=i % 5, start_time=time(9), end_time=time(10)
                )
            seats = [m.person_id for m in services.members_of(meeting)]
            services.record_attendance(
                meeting=meeting,
                present_ids=set(seats[::2]),
                deputy_present_ids=set(),
                by=alice,
                today=meeting.local_date,
            )

    return grow


PAGES = [
    ("dashboard", lambda w: {}),
    ("series_create", lambda w: {}),
    ("meeting_create", lambda w: {}),
    ("meeting_edit", lambda w: {"pk": w["meeting"].pk}),
    ("meeting_cancel", lambda w: {"pk": w["meeting"].pk}),
    ("agenda", lambda w: {"pk": w["meeting"].pk}),
    ("agenda", lambda w: {"pk": w["published"].pk}),
    ("item_add", lambda w: {"pk": w["meeting"].pk}),
    ("item_edit", lambda w: {"pk": w["meeting"].pk, "item_pk": w["meeting"].items.first().pk}),
    ("agenda_publish", lambda w: {"pk": w["meeting"].pk}),
    ("papers", lambda w: {"pk": w["meeting"].pk}),
    ("papers", lambda w: {"pk": w["published"].pk}),
    ("forward_plan", lambda w: {}),
    ("forward_propose", lambda w: {}),
    ("forward_accept", lambda w: {"pk": w["entry"].pk}),
    ("forward_defer", lambda w: {"pk": w["entry"].pk}),
    ("attendance", lambda w: {"pk": w["meeting"].pk}),
    ("minutes", lambda w: {"pk": w["meeting"].pk}),
    ("minutes", lambda w: {"pk": w["previous"].pk}),  # approved: read-only, with errata
    ("series_edit", lambda w: {"pk": w["series"].pk}),
    ("series_end", lambda w: {"pk": w["series"].pk}),
    ("item_remove", lambda w: {"pk": w["published"].pk, "item_pk": w["item"].pk}),
    ("message_members", lambda w: {"pk": w["meeting"].pk}),
    ("decision_edit", lambda w: {"pk": w["meeting"].pk, "decision_pk": w["decision"].pk}),
    ("decision_delete", lambda w: {"pk": w["meeting"].pk, "decision_pk": w["decision"].pk}),
    ("action_edit", lambda w: {"pk": w["meeting"].pk, "action_pk": w["action"].pk}),
    ("action_delete", lambda w: {"pk": w["meeting"].pk, "action_pk": w["action"].pk}),
]
IDS = [
    "dashboard",
    "series-new",
    "meeting-new",
    "meeting-edit",
    "meeting-cancel",
    "agenda-draft",
    "agenda-published",
    "item-add",
    "item-edit",
    "publish",
    "papers-draft",
    "papers-published",
    "forward-plan",
    "forward-propose",
    "forward-accept",
    "forward-defer",
    "attendance",
    "minutes",
    "minutes-approved",
    "series-edit",
    "series-end",
    "item-withdraw",
    "message-members",
    "decision-edit",
    "decision-delete",
    "action-edit",
    "action-delete",
]
BOUND = 16


@pytest.mark.parametrize(("name", "kwargs"), PAGES, ids=IDS)
def test_management_pages_make_a_constant_number_of_queries(client, alice, world, grow, name, kwargs):
    sign_in(client, alice)
    address = reverse(f"manage_meetings:{name}", kwargs=kwargs(world) or None)
    count = assert_constant_queries(client, address, grow, bound=BOUND)
    print(f"{name} {address}: {count} queries")


SEMINAR_PAGES = [
    ("seminars", lambda seminar: {}),
    ("seminar_create", lambda seminar: {}),
    ("seminar_edit", lambda seminar: {"pk": seminar.pk}),
    ("seminar_history", lambda seminar: {"pk": seminar.pk}),
]


@pytest.mark.parametrize(("name", "kwargs"), SEMINAR_PAGES, ids=[name for name, _ in SEMINAR_PAGES])
def test_the_seminar_pages_make_a_constant_number_of_queries(client, alice, name, kwargs):
    seminar = SeminarFactory(title="Smart places", slug="smart-places")
    services.save_seminar(seminar=seminar, by=alice)

    def grow():
        # More seminars in every state, with files, and more changes in this one's history.
        for i in range(15):
            other = SeminarFactory(status=["draft", "published"][i % 2], published_at=timezone.now())
            SeminarFile.objects.create(seminar=other, title="Slides", file=ContentFile(b"x", name="s.pptx"))
            seminar.summary = f"Change {i}"
            services.save_seminar(seminar=seminar, by=alice)

    sign_in(client, alice)
    assert_constant_queries(client, reverse(f"manage_meetings:{name}", kwargs=kwargs(seminar) or None), grow, bound=12)

"""meetings/permissions.py: who sees which meetings, items, papers, documents and minuted records.
A test for each branch of each access function, with the cast: Alice (programme manager), Bob
(partner officer, no seat), Carol (Board member), Dave (Steering Group only), anonymous."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from diz_portal.models import DocumentStatus
from meetings import documents, permissions, services
from meetings.models import Action, Meeting, MinutesStatus, Paper
from tests.factories import MembershipFactory, UserFactory
from tests.meetings.conftest import a_meeting, pdf_upload

ANON = AnonymousUser()


@pytest.fixture
def board_meeting(board, alice, bob, harlow, django_capture_on_commit_callbacks):
    """A published Board meeting: a public item with a public report and a restricted (exempt)
    appendix, and a restricted item."""
    meeting = a_meeting(board, alice, days=14, joining_link="https://meet.example.org/board", mode="hybrid")
    public = services.add_item(meeting=meeting, title="Fibre", presenter=bob, presenter_organisation=harlow, by=alice)
    secret = services.add_item(
        meeting=meeting, title="Pricing", visibility="restricted", restriction_reason="Commercial", by=alice
    )
    report = services.add_paper(item=public, title="Fibre report", purpose="x", upload=pdf_upload(), by=alice)
    appendix = services.add_paper(
        item=public,
        title="Appendix: valuations",
        purpose="x",
        upload=pdf_upload(),
        visibility="restricted",
        restriction_reason="Property valuations",
        by=alice,
    )
    with django_capture_on_commit_callbacks(execute=False):
        meeting = services.publish_agenda(meeting=meeting, by=alice)
    fresh = Paper.objects.select_related("item__meeting__body")  # as the pages fetch them: published
    return {
        "meeting": meeting,
        "public": public,
        "secret": secret,
        "report": fresh.get(pk=report.pk),
        "appendix": fresh.get(pk=appendix.pk),
    }


# --- audience_for -----------------------------------------------------------------------------


def test_the_audience_is_members_for_the_programme_manager_members_and_deputies(board, alice, carol):
    deputy = UserFactory()
    MembershipFactory(body=board, deputy=deputy)
    assert permissions.audience_for(alice, board.pk) == "members"
    assert permissions.audience_for(carol, board.pk) == "members"
    assert permissions.audience_for(deputy, board.pk) == "members"


def test_the_audience_is_partners_for_other_partner_officers_and_public_for_everyone_else(board, bob, dave):
    assert permissions.audience_for(bob, board.pk) == "partners"
    assert permissions.audience_for(dave, board.pk) == "partners"  # a member of another body
    assert permissions.audience_for(ANON, board.pk) == "public"


# --- Papers: an exempt appendix follows its own level --------------------------------------------


def test_an_exempt_appendix_is_for_members_though_its_item_is_public(board_meeting, alice, bob, carol):
    report, appendix = board_meeting["report"], board_meeting["appendix"]
    for viewer in (ANON, bob):
        assert permissions.may_read_paper(viewer, report)
        assert not permissions.may_read_paper(viewer, appendix)
    assert permissions.may_read_paper(carol, appendix)
    assert permissions.may_read_paper(alice, appendix)
    with pytest.raises(Http404):
        permissions.get_paper_version_for_download(bob, appendix.pk)
    assert permissions.get_paper_version_for_download(carol, appendix.pk).paper == appendix


def test_a_presenter_sees_their_items_papers_before_publication_at_their_own_levels(board, alice, bob, harlow):
    meeting = a_meeting(board, alice, days=14)
    item = services.add_item(meeting=meeting, title="Fibre", presenter=bob, presenter_organisation=harlow, by=alice)
    paper = services.add_paper(item=item, title="Report", purpose="x", upload=pdf_upload(), by=alice)
    assert permissions.may_read_paper(bob, paper)
    assert not permissions.may_read_paper(ANON, paper)  # the agenda is a draft


def test_an_item_beyond_the_viewers_levels_is_not_found(board_meeting, bob, carol):
    secret = board_meeting["secret"]
    with pytest.raises(Http404):
        permissions.get_item_for_user(bob, secret.pk)
    assert permissions.get_item_for_user(carol, secret.pk) == secret


# --- Documents --------------------------------------------------------------------------------


def _ready(meeting):
    permissions.meeting_documents(meeting).update(status=DocumentStatus.READY, file="generated/x.pdf")
    return {d.kind: d for d in permissions.meeting_documents(meeting)}


def test_each_viewer_is_offered_the_fullest_document_they_may_have(board_meeting, alice, bob, carol):
    meeting = board_meeting["meeting"]
    _ready(meeting)
    kinds = lambda user: [d.kind for d in permissions.visible_documents(meeting, user)]  # noqa: E731
    assert kinds(ANON) == ["agenda:public", "pack:public"]
    assert kinds(bob) == ["agenda:public", "pack:partners"]
    assert kinds(carol) == ["agenda:members", "pack:members", "attendance:members"]
    assert kinds(alice) == kinds(carol)


def test_draft_minutes_are_never_offered_outside_the_body(board_meeting, alice, carol):
    meeting = board_meeting["meeting"]
    services.save_minute(item=board_meeting["public"], text="Noted.", by=alice)
    documents.request_minutes(meeting=meeting)
    docs = _ready(meeting)
    assert docs["minutes:public"] not in permissions.visible_documents(meeting, ANON)
    with pytest.raises(Http404):
        permissions.get_document_for_download(ANON, docs["minutes:public"].pk)
    assert docs["minutes:members"] in permissions.visible_documents(meeting, carol)


def test_a_members_document_is_not_found_for_anyone_outside_the_body(board_meeting, bob, carol):
    docs = _ready(board_meeting["meeting"])
    for viewer in (ANON, bob):
        with pytest.raises(Http404):
            permissions.get_document_for_download(viewer, docs["pack:members"].pk)
    assert permissions.get_document_for_download(carol, docs["pack:members"].pk)[0] == docs["pack:members"]


# --- Minuted records: one rule for actions, decisions and declarations ----------------------------


@pytest.fixture
def minuted(board, alice, carol, django_capture_on_commit_callbacks):
    """Last month's Board meeting with a decision and an action on a public item and on a restricted
    one; its minutes are a draft."""
    meeting = a_meeting(board, alice, days=-28)
    public = services.add_item(meeting=meeting, title="Inclusion", by=alice)
    secret = services.add_item(
        meeting=meeting, title="Pricing", visibility="restricted", restriction_reason="Commercial", by=alice
    )
    for item, words in ((public, "survey"), (secret, "price")):
        services.record_decision(item=item, text=f"Agreed the {words}", by=alice)
        services.record_action(
            item=item, description=f"Send the {words}", owner=carol, due_on=date(2099, 1, 1), by=alice
        )
    return meeting


def _descriptions(actions):
    return sorted(a.description for a in actions)


def test_actions_from_draft_minutes_are_seen_by_nobody_but_the_programme_manager(minuted, board, alice, bob, carol):
    later = a_meeting(board, alice, days=0)
    for audience in ("public", "partners", "members"):
        assert not permissions.open_actions_before(later, audience).exists()
    assert not permissions.actions_visible_to(carol).exists()
    assert not permissions.decisions_visible_to(ANON).exists()
    assert _descriptions(permissions.open_actions_before(later, None)) == ["Send the price", "Send the survey"]
    assert permissions.actions_visible_to(alice).count() == 2


def test_circulated_minutes_are_for_the_bodys_members_only(
    minuted, board, alice, bob, carol, dave, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        services.circulate_draft_minutes(meeting=minuted, by=alice)
    later = a_meeting(board, alice, days=0)
    assert _descriptions(permissions.open_actions_before(later, "members")) == ["Send the price", "Send the survey"]
    assert not permissions.open_actions_before(later, "public").exists()
    assert _descriptions(permissions.actions_visible_to(carol)) == ["Send the price", "Send the survey"]
    assert not permissions.actions_visible_to(dave).exists()
    assert permissions.decisions_visible_to(carol).count() == 2
    assert not permissions.decisions_visible_to(bob).exists()


def test_approved_minutes_make_actions_and_decisions_public_on_public_items_only(
    minuted, board, alice, bob, django_capture_on_commit_callbacks
):
    later = a_meeting(board, alice, days=0)
    with django_capture_on_commit_callbacks(execute=False):
        services.approve_minutes(meeting=minuted, at_meeting=later, by=alice)
    assert Meeting.objects.get(pk=minuted.pk).minutes_status == MinutesStatus.APPROVED
    for audience in ("public", "partners"):
        assert _descriptions(permissions.open_actions_before(later, audience)) == ["Send the survey"]
    assert [d.text for d in permissions.decisions_visible_to(ANON)] == ["Agreed the survey"]
    assert [d.text for d in permissions.decisions_visible_to(bob)] == ["Agreed the survey"]


def test_an_action_with_no_item_follows_its_meetings_minutes(minuted, board, alice, carol):
    Action.objects.create(meeting=minuted, description="Loose action", owner=carol, due_on=date(2099, 1, 1))
    later = a_meeting(board, alice, days=0)
    assert "Loose action" not in _descriptions(permissions.open_actions_before(later, "public"))


# --- Invitations, proposals, management ------------------------------------------------------


def test_the_joining_link_is_for_invitees_of_a_meeting_that_goes_ahead(board_meeting, alice, bob, carol, dave):
    meeting = board_meeting["meeting"]
    assert permissions.can_see_joining_link(alice, meeting)
    assert permissions.can_see_joining_link(carol, meeting)
    assert permissions.can_see_joining_link(bob, meeting, presenting=True)
    assert not permissions.can_see_joining_link(bob, meeting)
    assert not permissions.can_see_joining_link(dave, meeting)
    assert not permissions.can_see_joining_link(ANON, meeting)
    meeting.status = "cancelled"
    assert not permissions.can_see_joining_link(carol, meeting)


def test_members_propose_to_their_bodies_and_the_programme_manager_to_any(board, steering_group, alice, bob, carol):
    assert permissions.bodies_user_may_propose_to(carol) == {board.pk}
    assert permissions.bodies_user_may_propose_to(alice) == {board.pk, steering_group.pk}
    assert permissions.bodies_user_may_propose_to(bob) == set()
    assert permissions.bodies_user_may_propose_to(ANON) == set()


def test_management_records_are_not_found_for_anyone_but_the_programme_manager(minuted, alice, carol):
    decision = minuted.decisions.first()
    action = minuted.actions.first()
    assert permissions.get_decision_for_management(alice, minuted.pk, decision.pk) == decision
    assert permissions.get_minuted_action_for_management(alice, minuted.pk, action.pk) == action
    for call in (
        lambda: permissions.get_decision_for_management(carol, minuted.pk, decision.pk),
        lambda: permissions.get_minuted_action_for_management(carol, minuted.pk, action.pk),
        lambda: permissions.get_decision_for_management(alice, minuted.pk + 1000, decision.pk),
    ):
        with pytest.raises(Http404):
            call()


# --- Each access function, branch by branch ----------------------------------------------------
# Viewers are fixture names ("anon" for an anonymous visitor), so each branch is its own case.


def viewer(request, name):
    return ANON if name == "anon" else request.getfixturevalue(name)


@pytest.fixture
def eve(db):
    """Signed in, works for no partner organisation."""
    return UserFactory(email="eve@example.org", organisation=None)


def test_member_body_ids_are_empty_for_an_anonymous_visitor():
    assert permissions.member_body_ids(ANON) == set()


def test_member_body_ids_leave_out_a_seat_that_has_ended(board, carol):
    carol.memberships.update(ended_on=date(2000, 1, 1), started_on=date(1999, 1, 1))
    assert permissions.member_body_ids(carol) == set()


def test_member_body_ids_are_asked_once_per_request(board, carol, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert permissions.member_body_ids(carol) == {board.pk}
        assert permissions.member_body_ids(carol) == {board.pk}


def test_a_signed_in_person_with_no_partner_organisation_is_public(board, eve):
    assert permissions.audience_for(eve, board.pk) == "public"


@pytest.mark.parametrize(
    "name, level, expected",
    [
        ("anon", "public", True),
        ("anon", "partners", False),
        ("bob", "partners", True),
        ("bob", "members", False),
        ("carol", "restricted", True),
    ],
)
def test_can_see_level_follows_the_audience(request, board, name, level, expected):
    assert permissions.can_see_level(viewer(request, name), board.pk, level) is expected


@pytest.mark.parametrize(
    "name, presenting, expected",
    [
        ("alice", False, True),
        ("carol", False, True),
        ("bob", True, True),
        ("bob", False, False),
        ("anon", False, False),
    ],
)
def test_is_invitee(request, board_meeting, name, presenting, expected):
    meeting = board_meeting["meeting"]
    assert permissions.is_invitee(viewer(request, name), meeting, presenting) is expected


def test_there_is_no_joining_link_to_see_when_the_meeting_has_none(board_meeting, carol):
    meeting = board_meeting["meeting"]
    meeting.joining_link = ""
    assert not permissions.can_see_joining_link(carol, meeting)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("anon", False),  # not signed in
        ("bob", True),  # the named presenter
        ("dave", True),  # an officer of the presenting organisation
        ("carol", False),  # another organisation
        ("eve", False),  # no organisation: never matches an item with none
    ],
)
def test_is_presenter(request, board, alice, harlow, name, expected):
    meeting = a_meeting(board, alice, days=14)
    bob = request.getfixturevalue("bob")
    item = services.add_item(meeting=meeting, title="Fibre", presenter=bob, presenter_organisation=harlow, by=alice)
    assert permissions.is_presenter(viewer(request, name), item) is expected
    unpresented = services.add_item(meeting=meeting, title="Any other business", by=alice)
    assert not permissions.is_presenter(request.getfixturevalue("eve"), unpresented)


@pytest.mark.parametrize(
    "name, published, expected", [("anon", True, True), ("alice", False, True), ("carol", False, False)]
)
def test_can_see_agenda(request, board, alice, django_capture_on_commit_callbacks, name, published, expected):
    meeting = a_meeting(board, alice, days=14)
    if published:
        with django_capture_on_commit_callbacks(execute=False):
            meeting = services.publish_agenda(meeting=meeting, by=alice)
    assert permissions.can_see_agenda(viewer(request, name), meeting) is expected


@pytest.mark.parametrize("name, expected", [("alice", True), ("carol", False), ("bob", False), ("anon", False)])
def test_can_manage_meetings(request, db, name, expected):
    assert permissions.can_manage_meetings(viewer(request, name)) is expected


def test_any_meeting_is_found_for_anyone_and_a_missing_one_is_not(board, alice):
    meeting = a_meeting(board, alice, days=14)
    assert permissions.get_meeting_for_user(ANON, meeting.pk) == meeting
    with pytest.raises(Http404):
        permissions.get_meeting_for_user(ANON, meeting.pk + 1000)


@pytest.fixture
def records(board, alice, carol, harlow):
    """One of each thing the management pages fetch: a meeting, an item, a series, a forward plan
    item and an action."""
    from meetings.models import ForwardPlanItem, MeetingSeries

    meeting = a_meeting(board, alice, days=-7)
    item = services.add_item(meeting=meeting, title="Fibre", by=alice)
    other = a_meeting(board, alice, days=21)
    return {
        "meeting": meeting,
        "item": item,
        "other_meeting": other,
        "series": MeetingSeries.objects.create(body=board, ordinal=1, weekday=0, start_time="10:00", end_time="12:00"),
        "forward": ForwardPlanItem.objects.create(body=board, title="Later", organisation=harlow),
        "action": services.record_action(
            item=item, description="Do it", owner=carol, due_on=date(2099, 1, 1), by=alice
        ),
    }


@pytest.mark.parametrize(
    "fetch",
    [
        lambda user, r: permissions.get_meeting_for_management(user, r["meeting"].pk),
        lambda user, r: permissions.get_item_for_management(user, r["meeting"].pk, r["item"].pk),
        lambda user, r: permissions.get_series_for_management(user, r["series"].pk),
        lambda user, r: permissions.get_forward_item_for_management(user, r["forward"].pk),
        lambda user, r: permissions.get_action_for_management(user, r["action"].pk),
    ],
    ids=["meeting", "item", "series", "forward plan item", "action"],
)
def test_management_fetches_are_the_programme_managers_alone(records, alice, carol, bob, fetch):
    assert fetch(alice, records) is not None
    for outsider in (carol, bob, ANON):
        with pytest.raises(Http404):
            fetch(outsider, records)


def test_an_item_is_not_managed_through_another_meetings_address(records, alice):
    with pytest.raises(Http404):
        permissions.get_item_for_management(alice, records["other_meeting"].pk, records["item"].pk)


def test_a_minuted_action_is_not_found_through_another_meetings_address(records, alice):
    with pytest.raises(Http404):
        permissions.get_minuted_action_for_management(alice, records["other_meeting"].pk, records["action"].pk)


# get_item_for_user: the programme manager; levels; a draft agenda; presenters before publication.


def test_the_programme_manager_finds_a_restricted_item_on_a_draft_agenda(board, alice):
    meeting = a_meeting(board, alice, days=14)
    item = services.add_item(
        meeting=meeting, title="Pricing", visibility="restricted", restriction_reason="x", by=alice
    )
    assert permissions.get_item_for_user(alice, item.pk) == item


def test_an_item_on_a_draft_agenda_is_found_by_its_presenter_only(board, alice, bob, carol, harlow):
    meeting = a_meeting(board, alice, days=14)
    item = services.add_item(meeting=meeting, title="Fibre", presenter=bob, presenter_organisation=harlow, by=alice)
    assert permissions.get_item_for_user(bob, item.pk) == item
    for outsider in (carol, ANON):
        with pytest.raises(Http404):
            permissions.get_item_for_user(outsider, item.pk)


def test_a_public_item_on_a_published_agenda_is_found_by_anyone(board_meeting):
    assert permissions.get_item_for_user(ANON, board_meeting["public"].pk) == board_meeting["public"]


@pytest.mark.parametrize("name, expected", [("alice", True), ("bob", True), ("carol", False), ("anon", False)])
def test_get_item_for_upload_is_for_presenters_and_the_programme_manager(request, board_meeting, name, expected):
    fetch = lambda: permissions.get_item_for_upload(viewer(request, name), board_meeting["public"].pk)  # noqa: E731
    if expected:
        assert fetch() == board_meeting["public"]
    else:
        with pytest.raises(Http404):
            fetch()


@pytest.mark.parametrize("name, expected", [("alice", True), ("bob", True), ("carol", False), ("anon", False)])
def test_get_paper_for_upload_is_for_presenters_and_the_programme_manager(request, board_meeting, name, expected):
    fetch = lambda: permissions.get_paper_for_upload(viewer(request, name), board_meeting["report"].pk)  # noqa: E731
    if expected:
        assert fetch() == board_meeting["report"]
    else:
        with pytest.raises(Http404):
            fetch()


def test_a_paper_on_an_item_beyond_the_viewers_levels_is_not_readable(board_meeting, bob, carol, alice):
    added = services.add_paper(item=board_meeting["secret"], title="Prices", purpose="x", upload=pdf_upload(), by=alice)
    pricing = Paper.objects.select_related("item__meeting__body").get(pk=added.pk)  # as published
    assert not permissions.may_read_paper(bob, pricing)  # the paper is public, its item is not
    assert permissions.may_read_paper(carol, pricing)


@pytest.mark.parametrize("name, expected", [("anon", False), ("bob", True), ("carol", False)])
def test_uploaded_by(request, board_meeting, alice, bob, name, expected):
    version = services.replace_paper(paper=board_meeting["report"], upload=pdf_upload(), by=bob)
    assert permissions.uploaded_by(viewer(request, name), version) is expected


def test_a_paper_with_no_version_is_not_found(board_meeting, alice):
    empty = Paper.objects.create(item=board_meeting["public"], title="Nothing yet", purpose="x")
    with pytest.raises(Http404):
        permissions.get_paper_version_for_download(alice, empty.pk)


def test_whoever_uploaded_a_version_may_fetch_it_though_they_could_not_read_the_paper(board_meeting, alice, bob):
    appendix = board_meeting["appendix"]
    version = services.replace_paper(paper=appendix, upload=pdf_upload(), by=bob)
    assert not permissions.may_read_paper(bob, appendix)
    assert permissions.get_paper_version_for_download(bob, appendix.pk) == version
    assert permissions.get_earlier_version_for_download(bob, version.pk) == version


def test_earlier_versions_are_for_the_programme_manager_and_presenters_at_their_levels(
    board_meeting, alice, bob, carol
):
    first = board_meeting["report"].versions.get()
    services.replace_paper(paper=board_meeting["report"], upload=pdf_upload(), by=alice)
    assert permissions.get_earlier_version_for_download(alice, first.pk) == first
    assert permissions.get_earlier_version_for_download(bob, first.pk) == first  # presents the item
    with pytest.raises(Http404):
        permissions.get_earlier_version_for_download(carol, first.pk)  # a member, not a presenter
    appendix_first = board_meeting["appendix"].versions.get()
    with pytest.raises(Http404):
        permissions.get_earlier_version_for_download(bob, appendix_first.pk)  # beyond bob's levels


def test_approved_minutes_are_offered_to_the_public(board_meeting, alice):
    meeting = board_meeting["meeting"]
    services.save_minute(item=board_meeting["public"], text="Noted.", by=alice)
    documents.request_minutes(meeting=meeting)
    docs = _ready(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(minutes_status=MinutesStatus.APPROVED)
    meeting.refresh_from_db()
    assert docs["minutes:public"] in permissions.visible_documents(meeting, ANON)


def test_a_document_not_ready_or_without_a_file_is_not_found(board_meeting, carol):
    docs = _ready(board_meeting["meeting"])
    agenda = docs["agenda:members"]
    permissions.meeting_documents(board_meeting["meeting"]).filter(pk=agenda.pk).update(status=DocumentStatus.BUILDING)
    with pytest.raises(Http404):
        permissions.get_document_for_download(carol, agenda.pk)
    permissions.meeting_documents(board_meeting["meeting"]).filter(pk=agenda.pk).update(
        status=DocumentStatus.READY, file=""
    )
    with pytest.raises(Http404):
        permissions.get_document_for_download(carol, agenda.pk)


@pytest.mark.parametrize("name, expected", [("carol", True), ("alice", True), ("dave", False), ("bob", False)])
def test_an_action_is_updated_by_its_owner_and_the_programme_manager(request, minuted, name, expected):
    action = minuted.actions.first()  # owned by Carol
    fetch = lambda: permissions.get_action_for_update(viewer(request, name), action.pk)  # noqa: E731
    if expected:
        assert fetch() == action
    else:
        with pytest.raises(Http404):
            fetch()


def test_the_programme_manager_sees_decisions_from_draft_minutes(minuted, alice):
    assert permissions.decisions_visible_to(alice).count() == 2


def test_open_actions_before_leave_out_completed_ones_and_later_meetings(minuted, board, alice, carol):
    later = a_meeting(board, alice, days=0)
    done = minuted.actions.get(description="Send the survey")
    services.complete_action(action=done, by=carol)
    services.record_action(
        item=services.add_item(meeting=later, title="Today", by=alice),
        description="From today",
        owner=carol,
        due_on=date(2099, 1, 1),
        by=alice,
    )
    assert _descriptions(permissions.open_actions_before(later, None)) == ["Send the price"]


def test_declarations_are_minuted_for_those_present_once_attendance_is_taken(held_meeting, alice, carol):
    other = UserFactory(name="Olive Other")
    MembershipFactory(body=held_meeting.body, person=other)
    item = services.add_item(meeting=held_meeting, title="Fibre", by=alice)
    services.declare_interest(item=item, person=carol, interest="Carol's")
    services.declare_interest(item=item, person=other, interest="Olive's")
    minuted = lambda: sorted(d.interest for d in permissions.minuted_declarations())  # noqa: E731
    assert minuted() == ["Carol's", "Olive's"]  # no attendance yet: every declaration
    services.record_attendance(meeting=held_meeting, present_ids={carol.pk}, deputy_present_ids=set(), by=alice)
    assert minuted() == ["Carol's"]


def test_declarations_follow_the_minutes_rule(held_meeting, alice, carol, bob):
    item = services.add_item(meeting=held_meeting, title="Fibre", by=alice)
    services.declare_interest(item=item, person=carol, interest="Carol's")
    assert permissions.declarations_visible_to(alice).count() == 1  # the programme manager: always
    assert not permissions.declarations_visible_to(bob).exists()  # draft minutes
    assert not permissions.declarations_visible_to(carol).exists()  # not circulated yet


# --- Register of members' interests -------------------------------------------------------------


@pytest.mark.parametrize(
    "name, keeps, reads", [("carol", True, True), ("alice", False, True), ("bob", False, False), ("anon", False, False)]
)
def test_who_keeps_and_who_reads_the_register_of_interests(request, board, name, keeps, reads):
    user = viewer(request, name)
    assert permissions.may_keep_a_register(user) is keeps
    assert permissions.can_read_interest_register(user) is reads


def test_a_person_fetches_only_their_own_registered_interest(carol, dave):
    entry = services.register_interest(person=carol, category="employment", description="Consultant", by=carol)
    assert permissions.get_own_interest(carol, entry.pk) == entry
    for pk in (entry.pk, None):
        with pytest.raises(Http404):
            permissions.get_own_interest(dave, pk)


def test_the_register_lists_each_bodys_seats_and_leaves_out_the_secretariat_and_empty_bodies(
    board, steering_group, carol, alice
):
    MembershipFactory(body=board, person=alice, role="secretariat")
    services.register_interest(person=carol, category="employment", description="Consultant", by=carol)
    register = permissions.interest_register_by_body()
    assert [entry["body"] for entry in register] == [board]
    [row] = register[0]["rows"]
    assert row["seat"].person == carol
    assert [i.description for i in row["interests"]] == ["Consultant"]

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

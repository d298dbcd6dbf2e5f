"""What members, presenters and the programme manager do on the meetings pages: answer for a
meeting, declare interests, upload papers, keep their actions up to date, follow meetings by
calendar. Bad input is refused beside its field, keeps what was typed, and writes nothing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Action, ActionStatus, Attendance, CalendarToken, Declaration, Meeting, Paper, PaperVersion
from tests.conftest import sign_in
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.meetings.conftest import MEMBERS_ONLY, SECRETS, docx_upload, exe_upload, page_text, pdf
from tests.support.queries import assert_constant_queries

# The agenda, its presenter and the data grower are shared with the meeting page's tests.

# --- Answering for a meeting -----------------------------------------------------------------


def respond(client, meeting, **data):
    return client.post(reverse("meetings:respond", args=[meeting.pk]), data)


def test_a_member_answers_that_they_will_attend(client, meeting, carol):
    sign_in(client, carol)
    response = respond(client, meeting, response="attending")
    assert response.status_code == 302
    assert Attendance.objects.get(meeting=meeting, person=carol).response == "attending"
    assert "You told us: <strong>Attending</strong>" in page_text(client, meeting.get_absolute_url())


def test_a_member_sends_apologies_and_can_change_their_answer(client, meeting, carol):
    sign_in(client, carol)
    respond(client, meeting, response="attending")
    respond(client, meeting, response="apologies")
    assert Attendance.objects.get(meeting=meeting, person=carol).response == "apologies"


def test_a_member_sends_their_usual_deputy(client, meeting, carol, board):
    deputy = UserFactory(name="Dan Deputy", organisation=carol.organisation)
    carol.memberships.filter(body=board).update(deputy=deputy)
    sign_in(client, carol)
    respond(client, meeting, response="deputy", deputy="")
    attendance = Attendance.objects.get(meeting=meeting, person=carol)
    assert (attendance.response, attendance.deputy) == ("deputy", deputy)


def test_a_member_names_a_colleague_as_deputy(client, meeting, carol):
    colleague = UserFactory(organisation=carol.organisation)
    sign_in(client, carol)
    respond(client, meeting, response="deputy", deputy=colleague.pk)
    assert Attendance.objects.get(meeting=meeting, person=carol).deputy == colleague


def test_sending_a_deputy_without_one_is_refused_beside_the_deputy_field(client, meeting, carol):
    UserFactory(organisation=carol.organisation)  # a colleague who could go, so the choice is offered
    sign_in(client, carol)
    response = respond(client, meeting, response="deputy", deputy="")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_deputy_error"' in html and "Name the deputy who will attend in your place." in html
    assert "govuk-error-summary" in html
    assert 'value="deputy" checked' in html  # what was chosen is kept
    assert not Attendance.objects.exists()


def test_a_deputy_from_outside_the_members_organisation_is_refused(client, meeting, carol, bob):
    UserFactory(organisation=carol.organisation)  # a colleague who could go, so the choice is offered
    sign_in(client, carol)
    response = respond(client, meeting, response="deputy", deputy=bob.pk)
    assert 'id="id_deputy_error"' in response.content.decode()
    assert not Attendance.objects.exists()


def test_an_answer_that_is_not_one_of_the_choices_is_refused(client, meeting, carol):
    sign_in(client, carol)
    response = respond(client, meeting, response="maybe")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_response_error"' in html and 'href="#id_response"' in html
    assert 'id="id_response"' in html  # the error summary's link has somewhere to go
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("who", [None, "bob", "dave", "alice"])
def test_someone_who_is_not_a_member_cannot_answer(client, meeting, request, who):
    if who:
        sign_in(client, request.getfixturevalue(who))
    assert respond(client, meeting, response="attending").status_code == 404
    assert not Attendance.objects.exists()


def test_only_members_are_offered_the_form(client, meeting, carol, bob):
    sign_in(client, bob)
    assert "Will you attend?" not in page_text(client, meeting.get_absolute_url())
    sign_in(client, carol)
    assert "Will you attend?" in page_text(client, meeting.get_absolute_url())


def test_a_cancelled_meeting_offers_no_form(client, meeting, carol, alice):
    services.cancel_meeting(meeting=meeting, reason="Not quorate", by=alice)
    sign_in(client, carol)
    assert "Will you attend?" not in page_text(client, meeting.get_absolute_url())


# --- Declaring interests ---------------------------------------------------------------------


def declare(client, item, interest):
    return client.post(reverse("meetings:declare", args=[item.pk]), {f"item-{item.pk}-interest": interest})


def test_a_member_declares_an_interest_in_an_item(client, published, items, carol):
    sign_in(client, carol)
    response = declare(client, items["restricted"], "My council is a bidder")
    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert (declaration.person, declaration.item, declaration.interest) == (
        carol,
        items["restricted"],
        "My council is a bidder",
    )
    assert "My council is a bidder" in page_text(client, published.get_absolute_url())


def test_an_empty_declaration_is_refused_beside_its_field(client, published, items, carol):
    sign_in(client, carol)
    response = declare(client, items["public"], "   ")
    html = response.content.decode()
    assert response.status_code == 200
    field_id = f"id_item-{items['public'].pk}-interest"
    assert f'id="{field_id}_error"' in html and f'href="#{field_id}"' in html
    assert "Describe the interest." in html
    assert not Declaration.objects.exists()


@pytest.mark.parametrize("who", [None, "bob", "dave", "alice"])
def test_someone_who_is_not_a_member_cannot_declare(client, published, items, request, who):
    if who:
        sign_in(client, request.getfixturevalue(who))
    for item in items.values():
        assert declare(client, item, "An interest").status_code == 404
    assert not Declaration.objects.exists()


# --- Uploading papers ------------------------------------------------------------------------

COVER = {
    "title": "Digital skills plan",
    "purpose": "To agree the plan",
    "decision_sought": "Agree the plan",
    "finance": "£20,000 from the skills fund",
    "risk": "Low take-up",
    "equality": "Improves access",
    "data_protection": "None",
}


@pytest.fixture
def presented(meeting, alice, erin):
    return services.add_item(
        meeting=meeting, title="Digital skills", presenter=erin, presenter_organisation=erin.organisation, by=alice
    )


def upload(client, item, file, **changes):
    return client.post(reverse("meetings:paper_add", args=[item.pk]), {**COVER, **changes, "file": file})


def test_the_presenter_adds_a_paper_with_its_cover_sheet(client, presented, erin):
    sign_in(client, erin)
    form = page_text(client, reverse("meetings:paper_add", args=[presented.pk]))
    assert 'enctype="multipart/form-data"' in form and 'class="govuk-file-upload"' in form
    response = upload(client, presented, pdf())
    assert response.status_code == 302
    paper = Paper.objects.get()
    assert (paper.title, paper.finance, paper.data_protection) == (COVER["title"], COVER["finance"], "None")
    assert paper.versions.get().uploaded_by == erin


def test_an_officer_of_the_presenting_organisation_may_upload(client, presented, erin):
    colleague = UserFactory(organisation=erin.organisation)
    sign_in(client, colleague)
    assert upload(client, presented, docx_upload()).status_code == 302


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (exe_upload(), "The file must be a PDF, Word, OpenDocument, Excel or PowerPoint document"),
        (SimpleUploadedFile("paper.docx", b"%PDF-1.4 not really"), "but its content is a PDF file"),
        (SimpleUploadedFile("notes.txt", b"hello there"), "The file must be a PDF"),
    ],
    ids=["executable-renamed-pdf", "name-does-not-match", "wrong-type"],
)
def test_a_bad_file_is_refused_beside_the_file_field_keeping_what_was_typed(client, presented, erin, file, message):
    sign_in(client, erin)
    response = upload(client, presented, file)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_file_error"' in html and message in html
    assert 'href="#id_file"' in html  # the error summary
    assert COVER["finance"] in html and COVER["title"] in html  # typed fields kept
    assert not Paper.objects.exists() and not PaperVersion.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, presented, erin, settings):
    settings.PAPER_MAX_BYTES = 1_000_000
    sign_in(client, erin)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 1_100_000)
    html = upload(client, presented, big).content.decode()
    assert "papers can be at most 1 MB" in html
    assert not Paper.objects.exists()


def test_a_missing_title_and_file_are_refused_beside_their_fields(client, presented, erin):
    sign_in(client, erin)
    response = client.post(reverse("meetings:paper_add", args=[presented.pk]), {**COVER, "title": ""})
    html = response.content.decode()
    assert 'id="id_title_error"' in html and "Enter a title." in html
    assert 'id="id_file_error"' in html and "Choose the file to upload." in html
    assert not Paper.objects.exists()


def test_what_a_user_types_is_never_rendered_unescaped(client, presented, erin):
    sign_in(client, erin)
    html = upload(client, presented, exe_upload(), title="<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_paper_uploaded_after_the_deadline_is_marked_late_on_the_page(client, presented, meeting, erin, alice):
    Meeting.objects.filter(pk=meeting.pk).update(papers_due_at=timezone.now() - timedelta(hours=2))
    sign_in(client, erin)
    assert "this paper will be marked late" in page_text(client, reverse("meetings:paper_add", args=[presented.pk]))
    response = upload(client, presented, pdf())
    assert Paper.objects.get().versions.get().is_late
    follow = client.get(response["Location"])
    assert "marked late" in follow.content.decode()
    services.publish_agenda(meeting=meeting, by=alice)
    assert "Late" in page_text(client.__class__(), meeting.get_absolute_url())


def test_the_presenter_replaces_a_paper_and_the_earlier_version_is_kept(client, presented, erin):
    paper = services.add_paper(item=presented, title="Plan", purpose="To agree", upload=pdf(), by=erin)
    sign_in(client, erin)
    response = client.post(reverse("meetings:paper_replace", args=[paper.pk]), {"file": docx_upload("plan.docx")})
    assert response.status_code == 302
    assert list(paper.versions.values_list("number", flat=True)) == [2, 1]


def test_a_bad_replacement_is_refused_and_writes_nothing(client, presented, erin):
    paper = services.add_paper(item=presented, title="Plan", purpose="To agree", upload=pdf(), by=erin)
    sign_in(client, erin)
    response = client.post(reverse("meetings:paper_replace", args=[paper.pk]), {"file": exe_upload()})
    assert 'id="id_file_error"' in response.content.decode()
    assert paper.versions.count() == 1


@pytest.mark.parametrize("who", ["bob", "carol", "dave"])
def test_nobody_but_presenters_and_the_programme_manager_may_upload(client, presented, erin, request, who):
    paper = services.add_paper(item=presented, title="Plan", purpose="To agree", upload=pdf(), by=erin)
    sign_in(client, request.getfixturevalue(who))
    assert client.get(reverse("meetings:paper_add", args=[presented.pk])).status_code == 404
    assert upload(client, presented, pdf()).status_code == 404
    assert client.post(reverse("meetings:paper_replace", args=[paper.pk]), {"file": pdf()}).status_code == 404
    assert Paper.objects.count() == 1 and PaperVersion.objects.count() == 1


def test_the_programme_manager_may_upload_to_any_item(client, presented, alice):
    sign_in(client, alice)
    assert upload(client, presented, pdf()).status_code == 302


def test_a_presenter_finds_their_items_on_the_meeting_page_before_the_agenda_is_published(
    client, presented, meeting, erin
):
    sign_in(client, erin)
    html = page_text(client, meeting.get_absolute_url())
    assert "Items you are presenting" in html
    assert reverse("meetings:paper_add", args=[presented.pk]) in html


@pytest.mark.parametrize("page", ["add", "replace"])
def test_the_upload_forms_make_the_same_queries(client, presented, erin, grower, page):
    paper = services.add_paper(item=presented, title="Plan", purpose="To agree", upload=pdf(), by=erin)
    sign_in(client, erin)
    url = (
        reverse("meetings:paper_add", args=[presented.pk])
        if page == "add"
        else reverse("meetings:paper_replace", args=[paper.pk])
    )
    assert_constant_queries(client, url, grower, bound=10)


# --- Actions ---------------------------------------------------------------------------------


@pytest.fixture
def sg_meeting(steering_group, alice):
    starts = timezone.now() - timedelta(days=10)
    return services.schedule_meeting(
        body=steering_group, starts_at=starts, ends_at=starts + timedelta(hours=1), by=alice
    )


@pytest.fixture
def actions(published, items, sg_meeting, alice, carol, bob, dave, django_capture_on_commit_callbacks):
    """Actions recorded in minutes that are then circulated to members (so the action log shows
    them to the body's members; see test_permissions for the rule)."""
    sg_item = services.add_item(meeting=sg_meeting, title="Steering item", by=alice)
    recorded = _record_actions(items, sg_item, alice, carol, bob, dave)
    with django_capture_on_commit_callbacks(execute=False):
        services.circulate_draft_minutes(meeting=published, by=alice)
        services.circulate_draft_minutes(meeting=sg_meeting, by=alice)
    return recorded


def _record_actions(items, sg_item, alice, carol, bob, dave):
    today = timezone.localdate()
    return {
        "public": services.record_action(
            item=items["public"], description="Send the survey", owner=carol, due_on=today + timedelta(days=5), by=alice
        ),
        "restricted": services.record_action(
            item=items["restricted"],
            description="Check the pricing",
            owner=bob,
            due_on=today - timedelta(days=3),
            by=alice,
        ),
        "members": services.record_action(
            item=items["members"],
            description="Update the register",
            owner=carol,
            due_on=today - timedelta(days=1),
            by=alice,
        ),
        "steering": services.record_action(
            item=sg_item, description="Book the venue", owner=dave, due_on=today + timedelta(days=2), by=alice
        ),
    }


def test_a_member_sees_the_action_log_of_their_body_only(client, actions, carol):
    sign_in(client, carol)
    html = page_text(client, reverse("meetings:actions"))
    assert "Send the survey" in html and "Check the pricing" in html and SECRETS[0] in html
    assert "Book the venue" not in html


def test_a_member_of_another_body_never_sees_a_restricted_action(client, actions, dave):
    sign_in(client, dave)
    html = page_text(client, reverse("meetings:actions"))
    assert "Book the venue" in html
    assert not any(words in html for words in ["Check the pricing", "Update the register", *SECRETS, *MEMBERS_ONLY])


def test_a_partner_officer_with_no_seat_sees_no_action_log(client, actions, bob):
    sign_in(client, bob)
    html = page_text(client, reverse("meetings:actions"))
    assert "you sit on none" in html
    assert "Send the survey" not in html and "Check the pricing" not in html


def test_the_programme_manager_sees_every_bodys_actions(client, actions, alice):
    sign_in(client, alice)
    html = page_text(client, reverse("meetings:actions"))
    assert all(a.description in html for a in actions.values())


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("open", {"Send the survey", "Check the pricing", "Update the register"}),
        ("overdue", {"Check the pricing", "Update the register"}),
        ("done", {"Send the survey"}),
    ],
)
def test_the_action_log_filters_open_overdue_and_done(client, actions, carol, alice, show, expected):
    if show == "done":
        services.complete_action(action=actions["public"], by=alice)
        expected_absent = {"Check the pricing", "Update the register"}
    else:
        expected_absent = {"Send the survey", "Check the pricing", "Update the register"} - expected
    sign_in(client, carol)
    html = page_text(client, reverse("meetings:actions") + f"?show={show}")
    assert all(words in html for words in expected)
    assert not any(words in html for words in expected_absent)


def test_my_actions_lists_the_actions_i_own(client, actions, carol):
    sign_in(client, carol)
    html = page_text(client, "/meetings/actions/mine/")
    assert "Send the survey" in html and "Update the register" in html
    assert "Check the pricing" not in html and "Book the venue" not in html
    assert "Overdue" in html


def test_my_actions_never_shows_the_title_of_an_item_the_owner_may_not_see(client, actions, bob):
    """Bob owns an action on the restricted item: he sees what he must do, not the item."""
    sign_in(client, bob)
    html = page_text(client, reverse("meetings:my_actions"))
    assert "Check the pricing" in html
    assert not any(words in html for words in SECRETS)


def test_the_owner_adds_progress_and_marks_an_action_done(client, actions, carol):
    action = actions["public"]
    sign_in(client, carol)
    url = reverse("meetings:action_update", args=[action.pk])
    assert client.post(url, {"update": "Drafted"}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.update) == (ActionStatus.OPEN, "Drafted")
    client.post(url, {"update": "Sent to all partners", "done": "on"})
    action.refresh_from_db()
    assert (action.status, action.update) == (ActionStatus.DONE, "Sent to all partners")
    assert action.completed_at is not None


def test_mark_as_done_from_my_actions_needs_no_update(client, actions, carol):
    sign_in(client, carol)
    client.post(reverse("meetings:action_update", args=[actions["members"].pk]), {"done": "on"})
    assert Action.objects.get(pk=actions["members"].pk).status == ActionStatus.DONE


def test_an_update_with_no_progress_and_not_done_is_refused_beside_the_field(client, actions, carol):
    sign_in(client, carol)
    response = client.post(reverse("meetings:action_update", args=[actions["public"].pk]), {"update": "  "})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_update_error"' in html and "Write an update, or mark the action done." in html
    assert Action.objects.get(pk=actions["public"].pk).update == ""


def test_the_programme_manager_may_update_any_action(client, actions, alice):
    sign_in(client, alice)
    client.post(reverse("meetings:action_update", args=[actions["steering"].pk]), {"done": "on"})
    assert Action.objects.get(pk=actions["steering"].pk).status == ActionStatus.DONE


@pytest.mark.parametrize("who", ["bob", "dave"])
def test_nobody_else_may_update_an_action(client, actions, request, who):
    sign_in(client, request.getfixturevalue(who))
    url = reverse("meetings:action_update", args=[actions["public"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"done": "on"}).status_code == 404
    assert Action.objects.get(pk=actions["public"].pk).status == ActionStatus.OPEN


@pytest.mark.parametrize("page", ["actions", "my_actions", "action_update"])
def test_the_action_pages_make_the_same_queries(client, actions, carol, grower, page):
    sign_in(client, carol)
    url = (
        reverse("meetings:action_update", args=[actions["public"].pk])
        if page == "action_update"
        else reverse(f"meetings:{page}")
    )
    assert_constant_queries(client, url, grower, bound=12)


# --- The calendar page -----------------------------------------------------------------------


def test_the_calendar_page_creates_then_shows_the_private_address(client, carol):
    sign_in(client, carol)
    html = page_text(client, reverse("meetings:calendar"))
    assert "Create your private calendar address" in html
    assert "/meetings/calendar.ics" in html
    client.post(reverse("meetings:calendar_replace"))
    token = CalendarToken.objects.get(user=carol)
    html = page_text(client, reverse("meetings:calendar"))
    assert "Your private calendar address" in html
    assert reverse("meetings:calendar_private", args=[token.token]) in html


def test_replacing_the_address_asks_first_then_revokes_the_old_one(client, carol):
    old = CalendarToken.objects.create(user=carol).token
    sign_in(client, carol)
    html = page_text(client, reverse("meetings:calendar_replace"))
    assert "Replace your private calendar address?" in html
    assert CalendarToken.objects.get(user=carol).token == old  # asking changes nothing
    response = client.post(reverse("meetings:calendar_replace"))
    assert response.status_code == 302
    assert CalendarToken.objects.get(user=carol).token != old
    assert CalendarToken.objects.count() == 1


def test_one_persons_address_is_never_shown_to_another(client, carol, bob):
    token = CalendarToken.objects.create(user=carol)
    sign_in(client, bob)
    assert token.token not in page_text(client, reverse("meetings:calendar"))


def test_the_calendar_page_makes_the_same_queries(client, carol, grower):
    CalendarToken.objects.create(user=carol)
    sign_in(client, carol)
    assert_constant_queries(client, reverse("meetings:calendar"), grower, bound=10)


def test_a_member_proposes_an_item_for_their_body_and_a_partner_officer_cannot(
    client, carol, bob, board, steering_group
):
    from meetings.models import ForwardPlanItem

    sign_in(client, carol)
    response = client.post(
        reverse("meetings:propose_item"), {"body": board.pk, "title": "Cyber resilience", "purpose": "discussion"}
    )
    assert response.status_code == 302
    proposal = ForwardPlanItem.objects.get()
    assert (proposal.body, proposal.presenter, proposal.status) == (board, carol, "proposed")
    refused = client.post(
        reverse("meetings:propose_item"), {"body": steering_group.pk, "title": "Not my body", "purpose": "discussion"}
    )
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert ForwardPlanItem.objects.count() == 1
    sign_in(client, bob)
    assert (
        client.post(reverse("meetings:propose_item"), {"body": board.pk, "title": "x", "purpose": "x"}).status_code
        == 404
    )


def test_the_proposal_page_makes_a_constant_number_of_queries(client, carol, board, alice):
    from datetime import timedelta

    from django.utils import timezone

    from meetings import services as meeting_services
    from tests.support.queries import assert_constant_queries

    sign_in(client, carol)

    def grow():
        for n in range(1, 8):
            starts = timezone.now() + timedelta(days=30 * n)
            meeting_services.schedule_meeting(
                body=board, starts_at=starts, ends_at=starts + timedelta(hours=1), by=alice
            )

    assert_constant_queries(client, reverse("meetings:propose_item"), grow, bound=12)


def test_a_member_with_no_possible_deputy_is_told_so_instead_of_an_empty_list(client, meeting, board, alice):
    loner = UserFactory(name="Lone Member", organisation=OrganisationFactory(name="Solo Ltd"))
    MembershipFactory(body=board, person=loner, organisation=loner.organisation)
    sign_in(client, loner)
    html = page_text(client, meeting.get_absolute_url())
    assert "You have no usual deputy and nobody else from Solo Ltd uses the portal" in html
    assert "Sending a deputy" not in html and 'name="deputy"' not in html
    response = client.post(reverse("meetings:respond", args=[meeting.pk]), {"response": "deputy"})
    assert "Select a valid choice" in response.content.decode()


def test_the_shared_action_log_gives_each_owner_their_own_update_links(client, actions, carol, board, broxbourne):
    """The log is one cached fragment for everyone on the Board; the "Update" links are cut out
    per viewer, so a colleague served the same copy never gets Carol's."""
    from django.test import Client

    from tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory(email="colleague@example.org", name="Pat Colleague", organisation=broxbourne)
    MembershipFactory(body=board, person=colleague, organisation=broxbourne)
    carols_link = reverse("meetings:action_update", args=[actions["public"].pk])
    sign_in(client, carol)
    assert carols_link in page_text(client, reverse("meetings:actions"))
    other = sign_in(Client(), colleague)
    for _ in range(2):  # cold, then from the cache
        html = page_text(other, reverse("meetings:actions"))
        assert "Send the survey" in html and carols_link not in html and "diz-only" not in html
    assert carols_link in page_text(client, reverse("meetings:actions"))

"""The meetings list, the meeting page, its documents and downloads: what each audience sees.

The agenda here is a published Board meeting with an item at each level, each with a paper; its
presenter is Erin, from another partner, so that Bob (a partner officer) and Dave (Steering Group
only) are neither members nor presenters of it. Restricted and members-only titles are distinctive
words that must never appear in a page served to anyone outside the Board.
"""

from datetime import datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from diz_portal.models import DocumentStatus
from meetings import documents, services
from meetings.models import LONDON, Meeting
from tests.conftest import sign_in
from tests.factories import MembershipFactory, SeminarFactory, UserFactory
from tests.meetings.conftest import (
    MEMBERS_ONLY,
    PARTNERS_ONLY,
    PUBLIC,
    SECRETS,
    build_agenda,
    make_ready,
    page_text,
    pdf,
)
from tests.support.queries import assert_constant_queries

# --- What each audience sees on the meeting page ---------------------------------------------


def test_the_public_see_only_public_items_and_papers(client, published):
    html = page_text(client, published.get_absolute_url())
    assert all(words in html for words in PUBLIC)
    assert not any(words in html for words in SECRETS + MEMBERS_ONLY + PARTNERS_ONLY)


def test_a_partner_officer_never_sees_a_restricted_or_members_only_item(client, published, bob):
    sign_in(client, bob)
    html = page_text(client, published.get_absolute_url())
    assert all(words in html for words in PUBLIC + PARTNERS_ONLY)
    assert not any(words in html for words in SECRETS + MEMBERS_ONLY)


def test_a_member_of_another_body_never_sees_a_restricted_item(client, published, dave):
    sign_in(client, dave)
    html = page_text(client, published.get_absolute_url())
    assert all(words in html for words in PARTNERS_ONLY)
    assert not any(words in html for words in SECRETS + MEMBERS_ONLY)


def test_a_board_member_sees_restricted_items_with_the_reason_for_restriction(client, published, carol):
    sign_in(client, carol)
    html = page_text(client, published.get_absolute_url())
    assert all(words in html for words in PUBLIC + PARTNERS_ONLY + MEMBERS_ONLY + SECRETS)
    assert f"Reason for restriction: {SECRETS[1]}" in html


def test_a_deputy_of_a_board_member_sees_restricted_items(client, published, carol, board):
    deputy = UserFactory(organisation=carol.organisation)
    seat = carol.memberships.get(body=board)
    seat.deputy = deputy
    seat.save()
    sign_in(client, deputy)
    assert SECRETS[0] in page_text(client, published.get_absolute_url())


def test_the_agenda_shows_each_items_start_and_the_expected_end(client, published, carol):
    """Items start one after another from 10:00; hidden items still take their time."""
    sign_in(client, carol)
    html = page_text(client, published.get_absolute_url())
    # Four standing items (5+5+5+10 minutes), then four 20-minute items, then 15 minutes of closing items.
    assert "10:25 · For discussion" in html  # the public item
    assert "11:25 · For discussion" in html  # the restricted item, last of the business
    assert "expected to end at 12:00" in html
    public_html = page_text(client.__class__(), published.get_absolute_url())
    assert "10:25 · For discussion" in public_html
    assert "expected to end at 12:00" in public_html


def test_items_are_numbered_as_on_the_published_agenda(client, published, items):
    html = page_text(client, published.get_absolute_url())
    assert f"{items['public'].number}. {PUBLIC[0]}" in html


def test_a_draft_agenda_is_for_the_programme_manager_only(client, items, meeting, alice, carol, bob):
    assert PUBLIC[0] not in page_text(client, meeting.get_absolute_url())
    for person in (carol, bob):
        sign_in(client, person)
        html = page_text(client, meeting.get_absolute_url())
        assert PUBLIC[0] not in html and SECRETS[0] not in html
    sign_in(client, alice)
    html = page_text(client, meeting.get_absolute_url())
    assert "Draft" in html and SECRETS[0] in html


def test_a_papers_current_version_its_late_marker_and_version_count_are_shown(client, published, items, alice):
    paper = items["public"].papers.get()
    Meeting.objects.filter(pk=published.pk).update(papers_due_at=timezone.now() - timedelta(hours=1))
    services.replace_paper(paper=paper, upload=pdf(text="Revised"), by=alice)
    html = page_text(client, published.get_absolute_url())
    assert "version 2, 2 versions" in html
    assert "Late" in html
    assert reverse("meetings:paper_download", args=[paper.pk]) in html


def test_a_cover_sheet_is_shown_with_its_paper(client, published):
    assert "Cover sheet" in page_text(client, published.get_absolute_url())


# --- The joining link --------------------------------------------------------------------------


@pytest.fixture
def online(board, alice):
    starts = timezone.now() + timedelta(days=10)
    return services.schedule_meeting(
        body=board,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        mode="online",
        joining_link="https://meet.example.org/board-secret-room",
        by=alice,
    )


def test_the_joining_link_is_only_for_the_people_invited(client, online, alice, bob, carol, dave, erin):
    services.add_item(meeting=online, title="Update", presenter=erin, by=alice)
    link = "board-secret-room"
    assert link not in page_text(client, online.get_absolute_url())
    for outsider in (bob, dave):
        sign_in(client, outsider)
        assert link not in page_text(client, online.get_absolute_url())
    for invitee in (carol, alice, erin):
        sign_in(client, invitee)
        assert link in page_text(client, online.get_absolute_url())


def test_a_members_deputy_is_invited_too(client, online, carol, board):
    deputy = UserFactory(organisation=carol.organisation)
    carol.memberships.filter(body=board).update(deputy=deputy)
    sign_in(client, deputy)
    assert "board-secret-room" in page_text(client, online.get_absolute_url())


# --- The meetings list ------------------------------------------------------------------------


def test_the_list_shows_upcoming_and_past_meetings_with_cancelled_ones_marked(client, meeting, board, alice):
    past_start = timezone.now() - timedelta(days=30)
    past = services.schedule_meeting(
        body=board, starts_at=past_start, ends_at=past_start + timedelta(hours=2), by=alice
    )
    services.cancel_meeting(meeting=meeting, reason="Not quorate", by=alice)
    html = page_text(client, reverse("meetings:list"))
    assert "Coming up" in html and "Past meetings" in html
    assert "Cancelled" in html
    assert past.get_absolute_url() in html and meeting.get_absolute_url() in html
    assert "This meeting is cancelled: Not quorate." in page_text(client, meeting.get_absolute_url())


def test_the_list_filters_by_body(client, meeting, steering_group, alice):
    starts = timezone.now() + timedelta(days=3)
    other = services.schedule_meeting(
        body=steering_group, starts_at=starts, ends_at=starts + timedelta(hours=1), by=alice
    )
    html = page_text(client, reverse("meetings:list") + f"?body={steering_group.slug}")
    assert other.get_absolute_url() in html
    assert meeting.get_absolute_url() not in html


def test_an_unknown_body_in_the_filter_is_an_error_beside_the_field(client, meeting):
    html = page_text(client, reverse("meetings:list") + "?body=nonsense")
    assert "govuk-error-message" in html
    assert meeting.get_absolute_url() in html  # and the list is shown unfiltered


# --- Documents -------------------------------------------------------------------------------


def test_the_documents_list_offers_the_public_only_public_documents(client, published, bob, dave):
    for document in documents.documents_for(published):
        make_ready(document)
    members_pack = documents.documents_for(published).get(kind="pack:members")
    partners_pack = documents.documents_for(published).get(kind="pack:partners")
    public_pack = documents.documents_for(published).get(kind="pack:public")
    html = page_text(client, reverse("meetings:documents", args=[published.pk]))
    assert reverse("meetings:document_download", args=[public_pack.pk]) in html
    assert reverse("meetings:document_download", args=[members_pack.pk]) not in html
    assert "members' version" not in html
    for outsider in (bob, dave):
        sign_in(client, outsider)
        html = page_text(client, reverse("meetings:documents", args=[published.pk]))
        assert reverse("meetings:document_download", args=[partners_pack.pk]) in html
        assert reverse("meetings:document_download", args=[members_pack.pk]) not in html


def test_members_are_offered_the_members_pack(client, published, carol):
    for document in documents.documents_for(published):
        make_ready(document)
    members_pack = documents.documents_for(published).get(kind="pack:members")
    sign_in(client, carol)
    html = page_text(client, published.get_absolute_url())
    assert reverse("meetings:document_download", args=[members_pack.pk]) in html
    assert "members' version, with restricted items" in html


def test_each_document_shows_its_status_and_the_page_polls_while_any_is_not_ready(client, published):
    docs = {d.kind: d for d in documents.documents_for(published)}
    make_ready(docs["agenda:public"])
    html = page_text(client, published.get_absolute_url())
    assert "Ready" in html and "Queued" in html
    assert f'data-diz-poll="{reverse("meetings:documents", args=[published.pk])}"' in html
    assert "Refresh" in html  # without JavaScript
    docs["pack:public"].status = DocumentStatus.FAILED
    docs["pack:public"].save()
    html = page_text(client, published.get_absolute_url())
    assert "Failed" in html
    assert "data-diz-poll=" not in html  # nothing left to wait for


def test_a_document_still_queued_after_two_minutes_says_it_is_waiting_for_a_worker(client, published):
    waiting = "Waiting for a worker: the portal will build it as soon as one is available (the task queue may be down)."
    assert waiting not in page_text(client, published.get_absolute_url())
    documents.documents_for(published).update(requested_at=timezone.now() - timedelta(minutes=3))
    assert waiting in page_text(client, published.get_absolute_url())
    assert waiting in page_text(client, reverse("meetings:documents", args=[published.pk]))


def test_a_building_document_says_so(client, published):
    documents.documents_for(published).update(status=DocumentStatus.BUILDING)
    assert "It is being built now" in page_text(client, published.get_absolute_url())


def test_the_failure_detail_is_for_the_programme_manager_only(client, published, alice):
    documents.documents_for(published).update(status=DocumentStatus.FAILED, error="WeasyPrintError: out of memory")
    assert "out of memory" not in page_text(client, published.get_absolute_url())
    sign_in(client, alice)
    assert "out of memory" in page_text(client, published.get_absolute_url())


def test_draft_minutes_are_never_offered_to_the_public(client, published, items, alice, carol):
    services.save_minute(item=items["public"], text="Noted.", by=alice)
    services.circulate_draft_minutes(meeting=published, by=alice)
    for document in documents.documents_for(published):
        make_ready(document)
    public_minutes = documents.documents_for(published).get(kind="minutes:public")
    members_minutes = documents.documents_for(published).get(kind="minutes:members")
    html = page_text(client, published.get_absolute_url())
    assert "minutes" not in html.split('id="documents"')[1].lower().split("</div>")[0]
    assert client.get(reverse("meetings:document_download", args=[public_minutes.pk])).status_code == 404
    sign_in(client, carol)
    assert reverse("meetings:document_download", args=[members_minutes.pk]) in page_text(
        client, published.get_absolute_url()
    )


# --- Downloads -------------------------------------------------------------------------------


def test_the_public_pack_downloads_as_an_attachment_with_its_name(client, published):
    public_pack = make_ready(documents.documents_for(published).get(kind="pack:public"))
    response = client.get(reverse("meetings:document_download", args=[public_pack.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"board-{published.local_date:%Y-%m-%d}-pack-public-v1.pdf" in disposition
    assert b"".join(response.streaming_content) == b"%PDF-1.4 built"


def test_the_members_pack_is_never_served_to_anyone_outside_the_board(client, published, bob, dave, carol, alice):
    members_pack = make_ready(documents.documents_for(published).get(kind="pack:members"))
    url = reverse("meetings:document_download", args=[members_pack.pk])
    assert client.get(url).status_code == 404
    for outsider in (bob, dave):
        sign_in(client, outsider)
        assert client.get(url).status_code == 404
    for insider in (carol, alice):
        sign_in(client, insider)
        response = client.get(url)
        assert response.status_code == 200
        assert "private" in response["Cache-Control"]


def test_a_document_that_is_not_ready_cannot_be_downloaded(client, published):
    public_pack = documents.documents_for(published).get(kind="pack:public")
    assert client.get(reverse("meetings:document_download", args=[public_pack.pk])).status_code == 404


def test_a_restricted_paper_is_never_served_to_anyone_outside_the_board(client, published, items, bob, dave, erin):
    paper = items["restricted"].papers.get()
    url = reverse("meetings:paper_download", args=[paper.pk])
    assert client.get(url).status_code == 404
    # Not to a partner officer, a member of another body, nor even an officer of the presenting
    # organisation who did not upload it: restricted papers are for the body.
    for outsider in (bob, dave, erin):
        sign_in(client, outsider)
        assert client.get(url).status_code == 404


def test_a_board_member_downloads_a_restricted_paper(client, published, items, carol):
    paper = items["restricted"].papers.get()
    sign_in(client, carol)
    response = client.get(reverse("meetings:paper_download", args=[paper.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="paper.pdf"'
    assert "no-store" in response["Cache-Control"]


def test_a_public_paper_downloads_for_anyone_once_the_agenda_is_published(client, items, meeting, alice):
    paper = items["public"].papers.get()
    url = reverse("meetings:paper_download", args=[paper.pk])
    assert client.get(url).status_code == 404  # the agenda is a draft
    services.publish_agenda(meeting=meeting, by=alice)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_an_earlier_version_is_for_the_programme_manager_and_presenters(client, published, items, alice, carol, erin):
    paper = items["public"].papers.get()
    first = paper.versions.get()
    services.replace_paper(paper=paper, upload=pdf(text="Revised"), by=alice)
    url = reverse("meetings:paper_version_download", args=[first.pk])
    sign_in(client, carol)
    assert client.get(url).status_code == 404
    for allowed in (alice, erin):
        sign_in(client, allowed)
        response = client.get(url)
        assert response.status_code == 200
        assert "paper (version 1).pdf" in response["Content-Disposition"]


# --- Query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", [None, "bob", "carol", "alice"])
def test_the_meeting_page_makes_the_same_queries_whatever_the_agenda_size(client, published, request, who, alice):
    if who:
        sign_in(client, request.getfixturevalue(who))
    url = published.get_absolute_url()

    def grow_agenda():
        more = build_agenda(published, by=alice, presenter=request.getfixturevalue("erin"))
        for item in more.values():
            services.replace_paper(paper=item.papers.get(), upload=pdf(text="Revised"), by=alice)
        for document in documents.documents_for(published):
            make_ready(document)

    assert_constant_queries(client, url, grow_agenda, bound=20)


def test_the_meeting_page_of_a_presenter_makes_the_same_queries(client, published, erin, alice):
    sign_in(client, erin)

    def grow_agenda():
        build_agenda(published, by=alice, presenter=erin)

    assert_constant_queries(client, published.get_absolute_url(), grow_agenda, bound=20)


@pytest.mark.parametrize("who", [None, "carol"])
def test_the_meetings_list_makes_the_same_queries_whatever_the_data(
    client, published, grower, request, who, board, alice
):
    # One past meeting to begin with: an empty page of results needs no query at all.
    starts = timezone.now() - timedelta(days=7)
    services.schedule_meeting(body=board, starts_at=starts, ends_at=starts + timedelta(hours=1), by=alice)
    if who:
        sign_in(client, request.getfixturevalue(who))
    assert_constant_queries(client, reverse("meetings:list"), grower, bound=12)


def test_the_documents_fragment_makes_the_same_queries(client, published, carol, alice):
    sign_in(client, carol)

    def more_documents():
        services.save_minute(item=published.items.first(), text="Noted.", by=alice)
        services.circulate_draft_minutes(meeting=published, by=alice)
        for document in documents.documents_for(published):
            make_ready(document)

    assert_constant_queries(client, reverse("meetings:documents", args=[published.pk]), more_documents, bound=10)


@pytest.mark.parametrize("kind", ["pack:members", "paper"])
def test_downloads_make_the_same_queries(client, published, items, carol, alice, kind, grower):
    sign_in(client, carol)
    if kind == "paper":
        url = reverse("meetings:paper_download", args=[items["restricted"].papers.get().pk])
    else:
        document = make_ready(documents.documents_for(published).get(kind=kind))
        url = reverse("meetings:document_download", args=[document.pk])
    assert_constant_queries(client, url, grower, bound=10)


def test_times_are_shown_in_london_time_whatever_the_season(client, board, alice):
    """A meeting at 10:00 in summer is 09:00 UTC: the page says 10:00."""
    year = timezone.localdate().year + 1
    starts = datetime(year, 7, 14, 10, 0, tzinfo=LONDON)
    summer = services.schedule_meeting(body=board, starts_at=starts, ends_at=starts + timedelta(hours=2), by=alice)
    assert "10:00 to 12:00 (UK time)" in page_text(client, summer.get_absolute_url())


def test_a_member_of_the_board_from_another_partner_sees_the_same_agenda(client, published, board):
    other = UserFactory()
    MembershipFactory(body=board, person=other, organisation=other.organisation)
    sign_in(client, other)
    assert SECRETS[0] in page_text(client, published.get_absolute_url())


# --- The decisions register ------------------------------------------------------------------


@pytest.fixture
def decided(published, items, board, alice):
    """Decisions on items at each level; the minutes circulated, then approved at a later meeting."""
    for level, item in items.items():
        services.record_decision(item=item, text=f"Decided on the {level} item: {item.title}", by=alice)
    services.save_minute(item=items["public"], text="Noted.", by=alice)
    services.circulate_draft_minutes(meeting=published, by=alice)
    return published


def approve(meeting, alice):
    later = meeting.starts_at + timedelta(days=28)
    next_meeting = services.schedule_meeting(
        body=meeting.body, starts_at=later, ends_at=later + timedelta(hours=1), by=alice
    )
    return services.approve_minutes(meeting=meeting, at_meeting=next_meeting, by=alice, today=next_meeting.local_date)


def test_the_public_see_decisions_on_public_items_once_the_minutes_are_approved(client, decided, alice):
    assert "Decided on the public item" not in page_text(client, reverse("meetings:decisions"))
    approve(decided, alice)
    html = page_text(client, reverse("meetings:decisions"))
    assert "Decided on the public item" in html
    assert not any(words in html for words in SECRETS + MEMBERS_ONLY + PARTNERS_ONLY)


def test_a_partner_officer_never_sees_a_restricted_decision(client, decided, alice, bob):
    approve(decided, alice)
    sign_in(client, bob)
    html = page_text(client, reverse("meetings:decisions"))
    assert "Decided on the partners item" in html
    assert not any(words in html for words in SECRETS + MEMBERS_ONLY)


def test_a_member_of_another_body_never_sees_a_restricted_decision(client, decided, alice, dave):
    approve(decided, alice)
    sign_in(client, dave)
    html = page_text(client, reverse("meetings:decisions"))
    assert not any(words in html for words in SECRETS + MEMBERS_ONLY)


def test_members_see_their_bodys_decisions_at_every_level_with_the_reason_for_restriction(client, decided, carol):
    sign_in(client, carol)
    html = page_text(client, reverse("meetings:decisions"))
    assert all(f"Decided on the {level} item" in html for level in ("public", "partners", "members", "restricted"))
    assert f"Reason for restriction: {SECRETS[1]}" in html
    assert "Minutes not yet approved" in html


def test_decisions_from_minutes_still_in_draft_are_for_the_programme_manager(client, published, items, alice, carol):
    services.record_decision(item=items["public"], text="A decision in draft", by=alice)
    sign_in(client, carol)
    assert "A decision in draft" not in page_text(client, reverse("meetings:decisions"))
    sign_in(client, alice)
    assert "A decision in draft" in page_text(client, reverse("meetings:decisions"))


def test_the_register_is_searchable_by_reference_and_words(client, decided, carol):
    sign_in(client, carol)
    reference = decided.decisions.get(item__visibility="public").reference
    html = page_text(client, reverse("meetings:decisions") + f"?q={reference}")
    assert "Decided on the public item" in html and "Decided on the partners item" not in html
    html = page_text(client, reverse("meetings:decisions") + "?q=members+item")
    assert "Decided on the members item" in html and "Decided on the public item" not in html


def test_the_register_filters_by_body_and_date(client, decided, steering_group, carol):
    sign_in(client, carol)
    day = decided.local_date
    html = page_text(client, reverse("meetings:decisions") + f"?body={steering_group.slug}")
    assert "Decided on the public item" not in html
    html = page_text(client, reverse("meetings:decisions") + f"?date_from={day:%Y-%m-%d}&date_to={day:%Y-%m-%d}")
    assert "Decided on the public item" in html
    html = page_text(client, reverse("meetings:decisions") + f"?date_from={day + timedelta(days=1):%Y-%m-%d}")
    assert "Decided on the public item" not in html


def test_a_date_range_that_ends_before_it_starts_is_an_error_beside_the_field(client, decided):
    html = page_text(client, reverse("meetings:decisions") + "?date_from=2026-05-01&date_to=2026-04-01")
    assert 'id="id_date_to_error"' in html and "The end date must be the same as or after the start date." in html
    html = page_text(client, reverse("meetings:decisions") + "?date_from=not-a-date")
    assert 'id="id_date_from_error"' in html


@pytest.mark.parametrize("who", [None, "bob", "carol", "alice"])
def test_the_decisions_register_makes_the_same_queries(client, decided, alice, grower, request, who):
    approve(decided, alice)
    if who:
        sign_in(client, request.getfixturevalue(who))
    assert_constant_queries(client, reverse("meetings:decisions"), grower, bound=10)


# --- Smart Place Seminars --------------------------------------------------------------------


@pytest.fixture
def seminar(db):
    from meetings.models import SeminarFile

    seminar = SeminarFactory(
        title="Smart places and the NHS",
        slug="smart-places-nhs",
        held_on=timezone.localdate() - timedelta(days=60),
        venue="Harlow College",
        delegates=85,
        summary="What digital innovation can do for health.",
        executive_report=ContentFile(b"%PDF-1.4 report", name="executive-report.pdf"),
    )
    SeminarFile.objects.create(seminar=seminar, title="Opening presentation", file=ContentFile(b"x", name="open.pptx"))
    return seminar


def test_seminars_are_listed_publicly_with_date_venue_and_delegates(client, seminar):
    html = page_text(client, reverse("meetings:seminars"))
    assert seminar.title in html and "Harlow College" in html and "85 delegates" in html
    html = page_text(client, seminar.get_absolute_url())
    assert "Download the executive report" in html and "Opening presentation" in html


def test_a_seminars_files_download_for_anyone(client, seminar):
    response = client.get(reverse("meetings:seminar_report", args=[seminar.slug]))
    assert response.status_code == 200
    assert "executive-report" in response["Content-Disposition"]
    file = seminar.files.get()
    assert client.get(reverse("meetings:seminar_file", args=[file.pk])).status_code == 200


def test_a_seminar_without_a_report_has_no_report_to_download(client, seminar):
    seminar.executive_report = ""
    seminar.save()
    assert client.get(reverse("meetings:seminar_report", args=[seminar.slug])).status_code == 404


@pytest.mark.parametrize("page", ["list", "detail"])
def test_the_seminar_pages_make_the_same_queries(client, seminar, page):
    from meetings.models import SeminarFile

    def grow_seminars():
        for n in range(15):
            more = SeminarFactory(
                title=f"Seminar {n}", slug=f"seminar-{n}", held_on=timezone.localdate(), venue="Online"
            )
            SeminarFile.objects.create(seminar=more, title="Slides", file=ContentFile(b"x", name="s.pdf"))
            SeminarFile.objects.create(seminar=seminar, title=f"Talk {n}", file=ContentFile(b"x", name="t.pdf"))

    url = reverse("meetings:seminars") if page == "list" else seminar.get_absolute_url()
    assert_constant_queries(client, url, grow_seminars, bound=6)

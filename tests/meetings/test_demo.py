"""The demo meetings (`manage.py load_demo`): a year of Board and Steering Group meetings and the five
Smart Place Seminars, loaded twice without duplicating anything.

Loading builds some fifty PDFs, so it happens once for the module (inside a transaction that is
rolled back at the end) and each test looks at the result.
"""

import re
from itertools import pairwise

import pytest
from django.apps import apps
from django.core import mail
from django.db import models, transaction
from django.test import override_settings
from django.utils import timezone

from diz_portal.models import DocumentStatus, GeneratedDocument, SentEmail
from meetings import demo as meetings_demo
from meetings import documents, services
from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingStatus,
    Minute,
    MinutesStatus,
    Paper,
    PaperVersion,
    Seminar,
    Visibility,
)
from partners import demo as partners_demo

COUNTED = [
    Meeting,
    AgendaItem,
    Paper,
    PaperVersion,
    Attendance,
    Minute,
    Decision,
    Action,
    Seminar,
    GeneratedDocument,
    SentEmail,
]


def counts() -> dict[str, int]:
    result = {model.__name__: model.objects.count() for model in COUNTED}
    # History too: a second run changes nothing, so it records no change.
    for model in (Meeting, AgendaItem, Paper, Minute, Decision, Action, Attendance, Seminar):
        result[f"{model.__name__} history"] = model.history.count()
    result["document versions"] = sum(GeneratedDocument.objects.values_list("version", flat=True))
    return result


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        outbox = getattr(mail, "outbox", None)
        if outbox is not None:
            outbox.clear()
        partners_demo.load()
        meetings_demo.load()
        first = counts()
        first_emails = len(getattr(mail, "outbox", []))
        files = sorted(p.relative_to(media) for p in media.rglob("*") if p.is_file())
        partners_demo.load()
        meetings_demo.load()
        second = counts()
        result = {
            "first": first,
            "second": second,
            "first_emails": first_emails,
            "second_emails": len(getattr(mail, "outbox", [])) - first_emails,
            "files": files,
            "files_after": sorted(p.relative_to(media) for p in media.rglob("*") if p.is_file()),
            "media": media,
        }
        yield result
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db, settings):
    settings.MEDIA_ROOT = demo["media"]
    return demo


def next_meeting(slug: str) -> Meeting:
    return Meeting.objects.upcoming().filter(body__slug=slug, status=MeetingStatus.SCHEDULED).first()


def test_loading_twice_duplicates_nothing_and_sends_no_more_email(loaded):
    assert loaded["first"] == loaded["second"]
    assert loaded["files"] == loaded["files_after"]
    assert loaded["first"]["Meeting"] >= 24
    assert loaded["first_emails"] > 0
    assert loaded["second_emails"] == 0


def test_the_next_board_meeting_is_published_with_ready_documents(loaded):
    meeting = next_meeting("board")
    assert meeting.is_published
    assert meeting.location == "Civic Offices, Epping"
    docs = {d.kind: d for d in documents.documents_for(meeting)}
    assert set(documents.PUBLICATION_KINDS) <= set(docs)
    for document in docs.values():
        assert document.status == DocumentStatus.READY, document
        assert document.file.storage.exists(document.file.name)
        assert document.page_count
    # The members' pack has the restricted paper; the public one does not.
    assert docs["pack:members"].page_count > docs["pack:public"].page_count


def test_the_next_board_meeting_has_a_restricted_item_and_a_late_paper(loaded):
    meeting = next_meeting("board")
    restricted = meeting.items.get(visibility=Visibility.RESTRICTED)
    assert restricted.title == "LFFN contract pricing"
    assert restricted.restriction_reason == "Commercially sensitive until contracts are signed"
    assert restricted.papers.get().visibility == Visibility.RESTRICTED
    late = PaperVersion.objects.filter(paper__item__meeting=meeting, is_late=True)
    assert late.count() == 1
    assert late.get().after_publication  # and so there is a supplement
    # The partner officer presents an item with a paper (the demo sign-in can replace it); one
    # paper is a Word document.
    officer = partners_demo.email_for("partner.officer")
    assert Paper.objects.filter(item__meeting=meeting, item__presenter__email=officer).exists()
    assert PaperVersion.objects.filter(paper__item__meeting=meeting, extension="docx").exists()


def test_the_meeting_after_has_a_draft_agenda_with_papers_missing(loaded):
    board = Meeting.objects.upcoming().filter(body__slug="board")
    after = board[1]
    assert not after.is_published
    business = after.items.filter(standing_kind="")
    assert business.filter(papers__isnull=True, presenter__isnull=False).exists()
    assert business.filter(papers__isnull=False).exists()


def test_the_next_steering_group_meeting_is_online_and_published(loaded):
    meeting = next_meeting("steering-group")
    assert meeting.is_published
    assert meeting.joining_link.startswith("https://meet.example.org/")
    assert Paper.objects.filter(item__meeting=meeting).exists()


def test_past_meetings_were_quorate_with_minutes_approved_at_the_next_meeting(loaded):
    now = timezone.now()
    for slug in ("board", "steering-group"):
        held = list(Meeting.objects.filter(body__slug=slug, ends_at__lt=now, status=MeetingStatus.SCHEDULED))
        assert len(held) >= 8
        for earlier, later in pairwise(held):
            assert earlier.minutes_status == MinutesStatus.APPROVED
            assert earlier.minutes_approved_at_meeting == later
        assert held[-1].minutes_status == MinutesStatus.CIRCULATED
        for meeting in held:
            assert services.quorum(meeting)["is_quorate"], meeting
            assert not meeting.items.filter(minute__isnull=True).exists(), meeting
            assert {d.status for d in documents.documents_for(meeting)} == {DocumentStatus.READY}


def test_decisions_have_references_and_actions_are_done_open_and_overdue(loaded):
    references = list(Decision.objects.values_list("reference", flat=True))
    assert any(re.fullmatch(r"BRD-\d{4}-\d{1,2}-\d+", r) for r in references)
    assert any(re.fullmatch(r"SG-\d{4}-\d{1,2}-\d+", r) for r in references)
    assert Action.objects.filter(status="done").exists()
    assert Action.objects.overdue().exists()
    assert Action.objects.open().exclude(pk__in=Action.objects.overdue()).exists()
    member = partners_demo.email_for("board.member")
    assert Action.objects.open().filter(owner__email=member).exists()


def test_five_smart_place_seminars_with_almost_300_delegates(loaded):
    seminars = list(Seminar.objects.all())
    assert len(seminars) == 5
    assert [s.state for s in seminars] == ["published"] * 5  # on the public site, each with its history
    assert all(s.history.exists() for s in seminars)
    assert 280 <= sum(s.delegates for s in seminars) < 300
    for seminar in seminars:
        assert seminar.executive_report.storage.exists(seminar.executive_report.name)
        with seminar.executive_report.open("rb") as report:
            assert report.read(5) == b"%PDF-"


def test_every_email_address_is_on_example_org(loaded):
    checked = 0
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.EmailField):
                for value in model.objects.exclude(**{field.name: ""}).values_list(field.name, flat=True):
                    if value:
                        assert value.lower().endswith("@example.org"), (model.__name__, field.name, value)
                        checked += 1
    assert checked > 50


def test_past_actions_and_approvals_carry_dates_in_their_own_time(loaded):
    today = timezone.localdate()
    done = list(Action.objects.filter(status="done").select_related("meeting"))
    assert done
    for action in done:
        # Reported done at a later meeting, never stamped with the day the demo was loaded.
        assert action.meeting.starts_at < action.completed_at
        assert timezone.localtime(action.completed_at).date() < today
    approved = list(
        Meeting.objects.filter(minutes_status=MinutesStatus.APPROVED).select_related("minutes_approved_at_meeting")
    )
    assert approved
    for meeting in approved:
        assert meeting.minutes_approved_at == meeting.minutes_approved_at_meeting.starts_at


def test_the_next_board_meeting_has_a_public_report_with_an_exempt_appendix(loaded):
    meeting = next_meeting("board")
    appendix = Paper.objects.get(item__meeting=meeting, title__startswith="Appendix A")
    assert appendix.item.visibility == Visibility.PUBLIC
    assert appendix.visibility == Visibility.RESTRICTED and appendix.restriction_reason


def test_held_meetings_record_who_else_was_there(loaded):
    held = Meeting.objects.filter(body__slug="board", ends_at__lt=timezone.now(), status=MeetingStatus.SCHEDULED)
    for meeting in held:
        assert meeting.also_present.filter(capacity="officer").exists(), meeting
    assert Meeting.objects.filter(also_present__capacity="observer").exists()


def test_members_registers_are_confirmed_but_the_demo_board_members_is_due(loaded):
    from meetings.models import RegisteredInterest
    from partners.models import User

    member = User.objects.get(email=partners_demo.email_for("board.member"))
    chair = User.objects.get(email=partners_demo.email_for("alan.lion"))
    assert "not yet confirmed" in services.register_review_due(member)
    assert services.register_review_due(chair) == ""
    assert RegisteredInterest.objects.filter(person=chair).exists()

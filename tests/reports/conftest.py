"""The dashboards' and reports' world: a Board meeting in a fortnight (Bob's paper outstanding),
one held last week (minutes not started), an overdue action of Carol's, an invitation nobody
accepted, a document that failed to build, and a Steering Group meeting Carol does not sit on."""

from datetime import datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from diz_portal.models import DocumentStatus, GeneratedDocument
from meetings import services
from meetings.models import LONDON, Meeting
from partners import services as partner_services

_PDF: dict = {}


def pdf(name="paper.pdf", text="Paper"):
    from diz_portal.pdf import html_to_pdf

    if text not in _PDF:
        _PDF[text] = html_to_pdf(f"<html><body><p>{text}</p></body></html>")
    return SimpleUploadedFile(name, _PDF[text], content_type="application/pdf")


def meeting_in(body, by, *, days: int, hour: int = 10) -> Meeting:
    day = timezone.localdate() + timedelta(days=days)
    starts = datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)
    return services.schedule_meeting(body=body, starts_at=starts, ends_at=starts + timedelta(hours=2), by=by)


@pytest.fixture
def world(board, steering_group, cast, harlow, django_capture_on_commit_callbacks):
    alice, bob, carol, dave = cast["alice"], cast["bob"], cast["carol"], cast["dave"]
    with django_capture_on_commit_callbacks(execute=False):
        coming = meeting_in(board, alice, days=14)
        bids = services.add_item(
            meeting=coming, title="Smart parking bid", presenter=bob, presenter_organisation=harlow, by=alice
        )
        risks = services.add_item(meeting=coming, title="Risk register", visibility="members", by=alice)
        services.add_paper(item=risks, title="Strategic risk register", purpose="To note", upload=pdf(), by=alice)
        held = meeting_in(board, alice, days=-7)
        action = services.record_action(
            item=held.items.first(),
            description="Write to the funder",
            owner=carol,
            due_on=timezone.localdate() - timedelta(days=3),
            by=alice,
        )
        sg = meeting_in(steering_group, alice, days=10)
        sg_item = services.add_item(meeting=sg, title="Steering business", visibility="members", by=alice)
        services.add_paper(item=sg_item, title="Steering Group secret paper", purpose="x", upload=pdf(), by=alice)
        services.publish_agenda(meeting=sg, by=alice)
        invitation = partner_services.invite_person(
            email="erin@example.org", name="Erin Ellis", organisation=harlow, by=alice
        )
    failed = GeneratedDocument.objects.create(
        content_type=ContentType.objects.get_for_model(Meeting),
        object_id=held.pk,
        kind="minutes:members",
        status=DocumentStatus.FAILED,
        error="ValueError: the template broke",
    )
    return {
        "coming": coming,
        "bids": bids,
        "risks": risks,
        "held": held,
        "action": action,
        "sg": sg,
        "invitation": invitation,
        "failed": failed,
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "dave": dave,
    }

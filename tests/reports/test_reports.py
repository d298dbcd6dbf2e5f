"""Board reports: asked for on a page, built by a worker as a tagged PDF, not rebuilt when nothing
changed, and put on the Board's agenda by the quarterly schedule."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from diz_portal.models import DocumentStatus
from meetings import services
from meetings.models import LONDON
from reports import agenda, periods
from reports.models import Report, ReportKind, ReportRequest
from reports.services import request_report
from tests.conftest import sign_in


def pdf_text(document) -> str:
    reader = PdfReader(document.file.path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def minuted(world):
    """Last week's Board meeting minuted and circulated: a public decision and a restricted one."""
    alice, held = world["alice"], world["held"]
    item = held.items.first()
    services.record_decision(item=item, text="Agreed the digital inclusion plan", by=alice)
    secret = services.add_item(
        meeting=held, title="Bid pricing", visibility="restricted", restriction_reason="Commercial", by=alice
    )
    services.record_decision(item=secret, text="Agreed the secret bid price", by=alice)
    services.record_attendance(meeting=held, present_ids={world["carol"].pk}, deputy_present_ids=set(), by=alice)
    services.circulate_draft_minutes(meeting=held, by=alice)
    return held


def this_quarter():
    return periods.quarter_of(timezone.localdate())


def test_a_requested_report_is_recorded_and_built_as_a_tagged_pdf(
    world, minuted, board, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(kind=ReportKind.HIGHLIGHT, body=board, period=this_quarter(), by=world["carol"])
    request = ReportRequest.objects.get(report=report)
    assert request.requested_by == world["carol"]
    document = report.documents.get()
    assert document.status == DocumentStatus.READY and document.version == 1
    text = pdf_text(document)
    assert "Quarterly highlight report" in text and "Contents" in text
    assert "Agreed the digital inclusion plan" in text
    assert "secret bid price" not in text  # restricted items never reach a report
    assert "Broxbourne Borough Council" in text  # attendance by organisation
    assert f"Page 1 of {document.page_count}" in text
    reader = PdfReader(document.file.path)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title.startswith("Quarterly highlight report: Board")
    report.refresh_from_db()
    assert (report.progress, report.stage) == (100, "Ready")


def test_a_report_whose_inputs_have_not_changed_is_not_rebuilt(
    world, minuted, board, django_capture_on_commit_callbacks
):
    kwargs = {"kind": ReportKind.HIGHLIGHT, "body": board, "period": this_quarter()}
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(**kwargs, by=world["carol"])
    first = report.documents.get()
    with django_capture_on_commit_callbacks(execute=True):
        request_report(**kwargs, by=world["alice"])
    again = report.documents.get()
    assert (again.version, again.file.name, again.status) == (1, first.file.name, DocumentStatus.READY)
    report.refresh_from_db()
    assert report.stage.startswith("Up to date")
    assert report.requests.count() == 2
    services.record_decision(item=minuted.items.first(), text="Agreed a new thing", by=world["alice"])
    with django_capture_on_commit_callbacks(execute=True):
        request_report(**kwargs, by=world["alice"])
    rebuilt = report.documents.get()
    assert rebuilt.version == 2
    assert "Agreed a new thing" in pdf_text(rebuilt)


def test_a_member_asks_for_a_report_and_downloads_it(client, world, minuted, board, django_capture_on_commit_callbacks):
    sign_in(client, world["carol"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:body", args=[board.slug]), {"kind": "highlight", "period": this_quarter().key}
        )
    assert response.status_code == 302
    page = client.get(reverse("reports:body", args=[board.slug])).content.decode()
    assert "Ready" in page and "Carol Clark" in page
    document = Report.objects.get().documents.get()
    download = client.get(reverse("reports:download", args=[document.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"]


@pytest.mark.parametrize(
    ("kind", "period", "message"),
    [
        ("highlight", "2099-Q1", "That period has not started yet"),
        ("highlight", "2001-Q1", "The partnership&#x27;s records start on"),
        ("highlight", "2026", "This report covers a quarter"),
        ("funding", "2026-Q1", "This report covers a whole financial year"),
        ("highlight", "last week", "Choose a quarter or a financial year from the list"),
    ],
)
def test_a_period_that_cannot_be_reported_on_is_refused_beside_the_field_and_nothing_is_queued(
    client, world, board, kind, period, message
):
    sign_in(client, world["carol"])
    response = client.post(reverse("reports:body", args=[board.slug]), {"kind": kind, "period": period})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'id="id_period_error"' in html
    assert not Report.objects.exists() and not ReportRequest.objects.exists()


def test_nobody_outside_the_body_sees_or_asks_for_its_reports(client, world, board):
    sign_in(client, world["dave"])  # Steering Group only
    assert client.get(reverse("reports:body", args=[board.slug])).status_code == 404
    response = client.post(reverse("reports:body", args=[board.slug]), {"kind": "highlight", "period": "2026-Q1"})
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_the_schedule_puts_the_highlight_report_on_the_boards_first_meeting_of_the_quarter(
    world, minuted, board, django_capture_on_commit_callbacks
):
    alice = world["alice"]
    quarter = periods.quarter_of(timezone.localdate() + timedelta(days=100))
    first_day = quarter.start + timedelta(days=6)
    starts = datetime(first_day.year, first_day.month, first_day.day, 10, tzinfo=LONDON)
    meeting = services.schedule_meeting(body=board, starts_at=starts, ends_at=starts + timedelta(hours=2), by=alice)
    too_early = first_day - timedelta(days=8)
    assert agenda.schedule_highlight_reports(today=too_early) == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert agenda.schedule_highlight_reports(today=first_day - timedelta(days=7)) == 1
    report = Report.objects.get()
    assert report.meeting == meeting and report.period_start == periods.previous_quarter(quarter).start
    item = meeting.items.get(title="Quarterly highlight report")
    assert item.visibility == "members"
    paper = item.papers.get()
    assert paper.versions.count() == 1 and paper.versions.get().page_count
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "on the agenda" in mail.outbox[0].subject
    # The next day's run does nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert agenda.schedule_highlight_reports(today=first_day - timedelta(days=6)) == 0
    assert meeting.items.filter(title="Quarterly highlight report").count() == 1
    assert len(mail.outbox) == 1


def test_the_demo_puts_the_highlight_report_on_the_boards_next_first_meeting_of_a_quarter(
    world, minuted, board, django_capture_on_commit_callbacks
):
    from reports import demo

    quarter = periods.quarter_of(periods.quarter_of(timezone.localdate()).end + timedelta(days=1))
    day = quarter.start + timedelta(days=10)
    starts = datetime(day.year, day.month, day.day, 10, tzinfo=LONDON)
    meeting = services.schedule_meeting(
        body=board, starts_at=starts, ends_at=starts + timedelta(hours=2), by=world["alice"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        demo.load()
        demo.load()  # safe to run again
    assert meeting.items.filter(title="Quarterly highlight report").count() == 1


def test_a_report_that_failed_to_build_is_on_the_managers_dashboard(client, world, board):
    from django.contrib.contenttypes.models import ContentType

    from diz_portal.models import GeneratedDocument

    period = this_quarter()
    report = Report.objects.create(kind="highlight", body=board, period_start=period.start, period_end=period.end)
    GeneratedDocument.objects.create(
        content_type=ContentType.objects.get_for_model(Report),
        object_id=report.pk,
        kind="highlight",
        status=DocumentStatus.FAILED,
        error="ValueError: the template broke",
    )
    sign_in(client, world["alice"])
    html = client.get(reverse("manage:index")).content.decode()
    assert "Quarterly highlight report, Board" in html and "ValueError: the template broke" in html
    assert reverse("reports:body", args=[board.slug]) in html


def test_the_admin_shows_a_report_and_who_asked_for_it_without_offering_to_add_one(client, world, board):
    period = this_quarter()
    report = Report.objects.create(kind="highlight", body=board, period_start=period.start, period_end=period.end)
    ReportRequest.objects.create(report=report, requested_by=world["carol"])
    alice = world["alice"]
    alice.is_superuser = True  # every admin permission: the admin's own rule is what is tested
    alice.save(update_fields=["is_superuser"])
    sign_in(client, alice)
    page = client.get(reverse("admin:reports_report_change", args=[report.pk])).content.decode()
    assert "Carol Clark" in page
    assert client.get(reverse("admin:reports_report_add")).status_code == 403

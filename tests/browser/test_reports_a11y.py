"""axe-core on the dashboards with something in every panel, and on the reports pages (a report
ready, one building, and the request form with an error)."""

from datetime import datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from diz_portal.models import DocumentStatus, GeneratedDocument
from meetings import documents, services
from meetings.models import LONDON, Meeting
from reports import periods
from reports.models import Report, ReportRequest
from tests.browser.conftest import PASSWORD, login, submit_form_with
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import ALICE_TOTP_SECRET


def meeting_in(body, by, days):
    day = timezone.localdate() + timedelta(days=days)
    starts = datetime(day.year, day.month, day.day, 10, tzinfo=LONDON)
    return services.schedule_meeting(body=body, starts_at=starts, ends_at=starts + timedelta(hours=2), by=by)


@pytest.fixture
def world(cast, board, harlow, monkeypatch):
    """Something in every panel: a coming Board meeting with Bob's paper outstanding and a paper
    to read, last week's meeting with attendance and an overdue action of Carol's, a failed
    document, and two Board reports (one ready, one building)."""
    monkeypatch.setattr(documents, "enqueue", lambda *args: None)
    alice, bob, carol = cast["alice"], cast["bob"], cast["carol"]
    coming = meeting_in(board, alice, 10)
    services.add_item(meeting=coming, title="Smart parking bid", presenter=bob, presenter_organisation=harlow, by=alice)
    read = services.add_item(meeting=coming, title="Risk register", by=alice)
    services.add_paper(item=read, title="Strategic risk register", purpose="To note", upload=_pdf(), by=alice)
    services.publish_agenda(meeting=coming, by=alice)
    held = meeting_in(board, alice, -7)
    services.record_attendance(meeting=held, present_ids={carol.pk}, deputy_present_ids=set(), by=alice)
    services.record_action(
        item=held.items.first(),
        description="Write to the funder",
        owner=carol,
        due_on=timezone.localdate() - timedelta(days=2),
        by=alice,
    )
    GeneratedDocument.objects.create(
        content_type=ContentType.objects.get_for_model(Meeting),
        object_id=held.pk,
        kind="minutes:members",
        status=DocumentStatus.FAILED,
        error="ValueError: broken",
    )
    report_type = ContentType.objects.get_for_model(Report)
    for number, status in ((1, DocumentStatus.READY), (2, DocumentStatus.BUILDING)):
        period = periods.quarter(2026, number)
        report = Report.objects.create(
            kind="highlight",
            body=board,
            period_start=period.start,
            period_end=period.end,
            stage="Laying out the pages" if status == DocumentStatus.BUILDING else "Ready",
            progress=40,
        )
        ReportRequest.objects.create(report=report, requested_by=carol)
        document = GeneratedDocument(content_type=report_type, object_id=report.pk, kind="highlight", status=status)
        if status == DocumentStatus.READY:
            document.file.save("report.pdf", ContentFile(b"%PDF-1.4 built"), save=False)
            document.version, document.page_count, document.finished_at = 1, 6, timezone.now()
        document.save()
    return {"cast": cast, "board": board}


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from diz_portal.pdf import html_to_pdf

    return SimpleUploadedFile("paper.pdf", html_to_pdf("<html><body><p>Paper</p></body></html>"), "application/pdf")


@pytest.mark.parametrize(
    ("who", "path", "heading"),
    [
        ("carol", "/dashboard/", "Welcome, Carol"),
        ("bob", "/dashboard/", "Welcome, Bob"),
        ("carol", "/reports/", "Reports and registers"),
        ("carol", "/reports/board/", "Reports for the Board"),
    ],
)
def test_the_member_and_officer_pages_have_no_serious_accessibility_problems(
    page, live_server, world, who, path, heading
):
    login(page, live_server, world["cast"][who].email, PASSWORD)
    response = page.goto(path)
    assert response.status == 200
    assert heading.lower() in page.locator("h1").inner_text().lower()
    assert_accessible(page)


def test_the_managers_dashboard_has_no_serious_accessibility_problems(page, live_server, world):
    login(page, live_server, world["cast"]["alice"].email, PASSWORD, totp_secret=ALICE_TOTP_SECRET)
    page.goto("/manage/")
    assert "Needs attention" in page.locator("main").inner_text()
    assert page.locator("svg[role=img]").count() >= 2
    assert_accessible(page)


def test_the_report_form_with_an_error_is_accessible(page, live_server, world):
    login(page, live_server, world["cast"]["carol"].email, PASSWORD)
    page.goto("/reports/board/")
    page.locator("select[name=kind]").select_option("funding")
    page.locator("select[name=period]").select_option(periods.quarter_of(timezone.localdate()).key)
    submit_form_with(page, "kind")
    assert "This report covers a whole financial year" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)


def test_a_board_member_lands_on_their_dashboard_and_reaches_the_quarterly_report_by_keyboard(page, live_server, world):
    login(page, live_server, world["cast"]["carol"].email, PASSWORD)
    assert page.url == f"{live_server.url}/dashboard/"
    assert "Strategic risk register" in page.locator("main").inner_text()  # what to read
    page.get_by_role("link", name="Board reports and registers").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("link", name="Reports for the Board").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    download = page.get_by_role("link", name="Download the quarterly highlight report", exact=False)
    assert download.count() == 1
    with page.expect_download() as got:
        download.focus()
        page.keyboard.press("Enter")
    assert got.value.suggested_filename.startswith("board-highlight-")

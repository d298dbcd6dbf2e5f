"""Funding in the Board reports and as registers, from funding's own figures and permissions."""

import io
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from reports import periods
from reports.models import ReportKind
from reports.services import request_report
from tests.conftest import sign_in


def yearly_report_text(kind, board, by, capture) -> str:
    """Ask for this year's report of `kind`; the worker runs inline at commit. Its text."""
    with capture(execute=True):
        report = request_report(kind=kind, body=board, period=periods.year_of(timezone.localdate()), by=by)
    reader = PdfReader(report.documents.get().file.path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_funding_report_shows_the_pipeline_awards_claims_and_what_remains(
    world, funded, board, django_capture_on_commit_callbacks
):
    text = yearly_report_text(ReportKind.FUNDING, board, world["alice"], django_capture_on_commit_callbacks)
    assert "Pipeline by stage" in text
    assert "Full fibre for west Essex public buildings" in text
    assert "£1,700,000.00" in text and "£400,000.00" in text
    assert "Awards each accountable body holds" in text and "Harlow District Council" in text
    assert "not in the portal yet" not in text


def test_the_bids_register_is_for_the_bodies_members_with_money_as_currency(client, world, funded):
    sign_in(client, world["bob"])  # a partner officer does not read the pipeline
    assert client.get(reverse("reports:register", args=["bids", "xlsx"])).status_code == 404
    sign_in(client, world["carol"])
    response = client.get(reverse("reports:register", args=["awards", "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[1]]
    amount = sheet.cell(row=2, column=headers.index("Amount") + 1)
    assert amount.value == Decimal("1700000.00") or amount.value == 1700000
    assert "£" in amount.number_format
    awarded_on = sheet.cell(row=2, column=headers.index("Awarded on") + 1)
    assert awarded_on.value.date() == timezone.localdate()


def test_the_partner_engagement_report_has_each_partners_contributions_to_bids(
    world, funded, board, django_capture_on_commit_callbacks
):
    text = yearly_report_text(ReportKind.ENGAGEMENT, board, world["alice"], django_capture_on_commit_callbacks)
    assert "Contributions to bids per organisation" in text
    assert "Broxbourne Borough Council 1 £50,000.00 £0.00" in text

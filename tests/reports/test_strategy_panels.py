"""The strategy's endorsements on the dashboards, in the Board reports and as a register."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import periods
from reports.models import ReportKind
from reports.services import request_report
from tests.conftest import sign_in


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_programme_manager_sees_endorsements_outstanding_overdue_first(client, world, endorsements, harlow):
    sign_in(client, world["alice"])
    html = page(client, reverse("manage:index"))
    assert "Endorsements outstanding or overdue" in html
    assert reverse("strategy:partner", kwargs={"slug": harlow.slug}) in html
    assert "Harlow District Council" in html and "Overdue" in html
    assert reverse("manage_strategy:tracker") in html


def test_a_partner_officer_sees_what_their_organisation_must_do(client, world, endorsements, harlow):
    sign_in(client, world["bob"])
    html = page(client, reverse("partners:dashboard"))
    assert "Record your organisation&#x27;s decision" in html
    assert reverse("strategy:partner", kwargs={"slug": harlow.slug}) in html


def test_a_member_whose_organisation_endorsed_sees_it_done(client, world, endorsements):
    sign_in(client, world["carol"])
    html = page(client, reverse("partners:dashboard"))
    assert "My organisation&#x27;s endorsement of the strategy" in html
    assert "Endorsed" in html and "Done" in html


def test_the_highlight_report_carries_the_endorsement_status(
    world, endorsements, board, django_capture_on_commit_callbacks
):
    from pypdf import PdfReader

    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(
            kind=ReportKind.HIGHLIGHT, body=board, period=periods.quarter_of(timezone.localdate()), by=world["alice"]
        )
    document = report.documents.get()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(document.file.path).pages).split())
    assert "1 of 2 partners have endorsed version 1.0" in text
    assert "Overview and Scrutiny Committee" in text


@pytest.mark.parametrize(("who", "rows"), [(None, 2), ("bob", 2), ("alice", 2)])
def test_the_endorsement_register_downloads_at_each_level(client, world, endorsements, who, rows):
    if who:
        sign_in(client, world[who])
    response = client.get(reverse("reports:register", args=["endorsements", "csv"]))
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][:3] == ["Partner", "Version", "Status"]
    assert len(table) - 1 == rows


def test_a_recorded_endorsement_shows_at_once_though_the_dashboard_is_cached(client, world, endorsements, harlow):
    from strategy import services as strategy_services

    sign_in(client, world["bob"])
    assert "Record your organisation&#x27;s decision" in page(client, reverse("partners:dashboard"))
    strategy_services.record_endorsement(
        organisation=harlow,
        version=endorsements,
        by=world["bob"],
        status="endorsed",
        deciding_body="Cabinet",
        decision_date=timezone.localdate(),
    )
    html = page(client, reverse("partners:dashboard"))
    assert "Done" in html and "Record your organisation&#x27;s decision" not in html


def test_the_endorsement_status_report_lists_every_partner(
    world, endorsements, board, django_capture_on_commit_callbacks
):
    from pypdf import PdfReader

    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(
            kind=ReportKind.ENDORSEMENT, body=board, period=periods.quarter_of(timezone.localdate()), by=world["carol"]
        )
    reader = PdfReader(report.documents.get().file.path)
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Endorsement status report" in text and "Contents" in text
    assert "Harlow District Council Scheduled Cabinet" in text
    assert "Broxbourne Borough Council Endorsed" in text


def test_projects_at_red_or_without_an_update_need_the_managers_attention(
    client, world, harlow, board, django_capture_on_commit_callbacks
):
    from strategy import delivery
    from strategy.models import Project, Workstream

    alice = world["alice"]
    workstream = delivery.save_workstream(
        workstream=Workstream(title="Connectivity", aim=1, lead_organisation=harlow), by=alice
    )
    project = delivery.save_project(
        project=Project(
            title="Full fibre for west Essex",
            workstream=workstream,
            lead_organisation=harlow,
            stage="scaling",
            rag="red",
            rag_reason="The contractor has stopped work.",
        ),
        by=alice,
    )
    sign_in(client, alice)
    html = page(client, reverse("manage:index"))
    assert project.get_absolute_url() in html
    assert "The contractor has stopped work." in html and "no update yet" in html
    assert "Live projects by stage and RAG" in html
    assert "The delivery plan (workstreams, projects, milestones and risks) is not in the portal yet" not in html
    sign_in(client, world["bob"])  # Harlow's officer: Harlow leads it
    html = page(client, reverse("partners:dashboard"))
    assert "My organisation&#x27;s projects" in html and project.get_absolute_url() in html
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(
            kind=ReportKind.HIGHLIGHT, body=board, period=periods.quarter_of(timezone.localdate()), by=alice
        )
    from pypdf import PdfReader

    reader = PdfReader(report.documents.get().file.path)
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Projects by workstream" in text and "Full fibre for west Essex Connectivity" in text
    client.logout()
    response = client.get(reverse("reports:register", args=["projects", "csv"]))
    assert response.status_code == 200 and "Full fibre for west Essex" in response.content.decode("utf-8-sig")

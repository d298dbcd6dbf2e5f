"""The delivery plan as its users meet it: the public reading /projects/, a partner officer posting
an update and proposing an idea, the programme manager scoring, promoting, planning milestones and
printing the roadmap, a board member reading the portfolio; bad input refused beside its field."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from strategy import delivery
from strategy.models import Idea, Milestone, ProgressUpdate, Project, Score
from tests.conftest import sign_in
from tests.support.forms import field_error

MARKS = {"feasibility": 4, "suitability": 5, "impact": 3, "scalability": 4, "engagement": 2}


@pytest.fixture
def secret_project(workstream, alice, harlow):
    return delivery.save_project(
        project=Project(
            title="Member enquiries pilot", workstream=workstream, lead_organisation=harlow, visibility="partners"
        ),
        by=alice,
    )


def test_the_public_reads_public_projects_only_and_filters_them(client, project, secret_project, broxbourne):
    page = client.get(reverse("projects:list")).content.decode()
    assert "Town Centre Wi-Fi" in page and "Member enquiries pilot" not in page
    assert client.get(secret_project.get_absolute_url()).status_code == 404
    assert "Town Centre Wi-Fi" not in client.get(reverse("projects:list") + "?stage=scaling").content.decode()
    assert "Town Centre Wi-Fi" in client.get(reverse("projects:list") + "?aim=1").content.decode()
    url = reverse("projects:list") + f"?district={broxbourne.pk}"
    assert "Town Centre Wi-Fi" not in client.get(url).content.decode()


def test_partners_see_partners_only_projects_and_the_raid_log(client, project, secret_project, bob, carol):
    delivery.save_risk(
        risk=delivery.Risk(project=project, description="Supplier delay", likelihood=3, impact=4), by=bob
    )
    assert "Supplier delay" not in client.get(project.get_absolute_url()).content.decode()
    sign_in(client, carol)
    assert "Member enquiries pilot" in client.get(reverse("projects:list")).content.decode()
    assert "Supplier delay" in client.get(project.get_absolute_url()).content.decode()


def test_a_partner_officer_posts_an_update_and_the_page_shows_the_trail(client, project, alice, bob):
    milestone = delivery.add_milestone(project=project, title="Survey", due_date=date(2024, 6, 1), by=alice)
    sign_in(client, bob)
    url = reverse("projects:update", kwargs={"slug": project.slug})
    response = client.post(
        url,
        {
            "period": "month",
            "period_start": timezone.localdate().isoformat(),
            "rag": "amber",
            "rag_reason": "",
            "narrative": "Installation is late.",
        },
    )
    assert "Say why the project is amber" in field_error(response, "rag_reason")
    assert "Installation is late." in response.content.decode()
    assert not ProgressUpdate.objects.exists()
    client.post(
        url,
        {
            "period": "month",
            "period_start": timezone.localdate().isoformat(),
            "rag": "amber",
            "rag_reason": "Supplier delay.",
            "narrative": "Installation is late.",
            "milestones_met": [milestone.pk],
        },
    )
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Installation is late." in page and "Milestones met: Survey" in page and "RAG history" in page
    assert Project.objects.get().rag == "amber"


def test_an_update_for_next_month_is_refused_beside_the_field(client, project, bob):
    sign_in(client, bob)
    next_month = (timezone.localdate().replace(day=1) + timedelta(days=40)).isoformat()
    response = client.post(
        reverse("projects:update", kwargs={"slug": project.slug}),
        {"period": "month", "period_start": next_month, "rag": "green", "narrative": "Early."},
    )
    assert "has not started" in field_error(response, "period_start")
    assert not ProgressUpdate.objects.exists()


def test_another_partners_officer_cannot_post_an_update(client, project, carol):
    sign_in(client, carol)
    assert client.get(reverse("projects:update", kwargs={"slug": project.slug})).status_code == 404


def test_an_officer_proposes_an_idea_the_programme_manager_scores_and_promotes_it(
    client, workstream, alice, bob, harlow
):
    sign_in(client, bob)
    client.post(
        reverse("projects:idea_new"),
        {"title": "Transcription", "problem": "Minutes take days.", "beneficiaries": "Officers", "sponsor": "Head"},
    )
    idea = Idea.objects.get()
    sign_in(client, alice)
    url = reverse("projects:idea", kwargs={"pk": idea.pk})
    response = client.post(url, MARKS | {"impact": 7, "impact_rationale": "Big."})
    assert "Score impact from 1 to 5" in field_error(response, "impact")
    assert 'value="7"' in response.content.decode()
    assert not Score.objects.exists()
    client.post(url, MARKS | {"feasibility_rationale": "Proven tools."})
    ranked = client.get(reverse("projects:ideas")).content.decode()
    assert "Transcription" in ranked and "18.0" in ranked
    response = client.post(
        reverse("projects:idea_promote", kwargs={"pk": idea.pk}),
        {"workstream": workstream.pk, "lead_organisation": harlow.pk},
    )
    project = Project.objects.get(from_idea=idea)
    assert response["Location"] == reverse("manage_strategy:project_edit", kwargs={"slug": project.slug})
    assert "Minutes take days." in project.summary


def test_the_programme_manager_plans_milestones_within_the_projects_dates(client, project, alice):
    sign_in(client, alice)
    url = reverse("manage_strategy:milestone_add", kwargs={"slug": project.slug})
    response = client.post(url, {"title": "Go live", "due_date": "2027-01-01"})
    assert "cannot be due after" in field_error(response, "due_date")
    client.post(url, {"title": "Go live", "due_date": "2025-09-01"})
    assert Milestone.objects.get().baseline_date == date(2025, 9, 1)


def test_moving_a_projects_dates_past_its_milestones_asks_what_to_do(client, project, alice):
    delivery.add_milestone(project=project, title="Go live", due_date=date(2025, 12, 1), by=alice)
    sign_in(client, alice)
    url = reverse("manage_strategy:project_edit", kwargs={"slug": project.slug})
    data = {
        "title": project.title,
        "workstream": project.workstream_id,
        "lead_organisation": project.lead_organisation_id,
        "stage": "experimentation",
        "rag": "green",
        "start_date": "2024-04-01",
        "end_date": "2025-06-30",
        "spend": "0",
        "visibility": "public",
    }
    response = client.post(url, data)
    assert "would fall outside the new dates" in field_error(response, "move_milestones")
    assert Project.objects.get().end_date == date(2026, 3, 31)
    response = client.post(url, data | {"move_milestones": "on"})
    assert response.status_code == 302
    assert Milestone.objects.get().due_date == date(2025, 6, 30)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"rag": "red"}, "rag_reason", "Say why the project is red"),
        ({"budget": "-5"}, "budget", "£0 or more"),
        ({"spend": "-1"}, "spend", "£0 or more"),
    ],
)
def test_bad_project_input_is_refused_beside_its_field(client, workstream, alice, harlow, data, field, message):
    sign_in(client, alice)
    base = {
        "title": "Open Data Source",
        "workstream": workstream.pk,
        "lead_organisation": harlow.pk,
        "stage": "idea",
        "rag": "green",
        "spend": "0",
        "visibility": "public",
    }
    response = client.post(reverse("manage_strategy:project_new"), base | data)
    assert message in field_error(response, field)
    assert not Project.objects.exists()


def test_a_lead_organisation_that_is_not_a_partner_is_refused(client, workstream, alice):
    from tests.factories import OrganisationFactory

    prospective = OrganisationFactory(name="Hopeful Ltd", membership_status="prospective")
    sign_in(client, alice)
    response = client.post(
        reverse("manage_strategy:project_new"),
        {
            "title": "X",
            "workstream": workstream.pk,
            "lead_organisation": prospective.pk,
            "stage": "idea",
            "rag": "green",
            "spend": "0",
            "visibility": "public",
        },
    )
    assert "not an active partner" in field_error(response, "lead_organisation")


def test_the_portfolio_charts_have_table_alternatives(client, project, secret_project, carol):
    sign_in(client, carol)
    page = client.get(reverse("projects:portfolio")).content.decode()
    assert 'aria-hidden="true"' in page and "<caption>Projects by stage</caption>" in page
    assert "Town Centre Wi-Fi" in page and "Member enquiries pilot" in page


def test_the_roadmap_is_printed_by_a_worker_and_the_public_pdf_leaves_partners_projects_out(
    client, strategy, project, secret_project, alice, bob, django_capture_on_commit_callbacks
):
    delivery.add_milestone(project=project, title="Survey the town centres", due_date=date(2024, 5, 1), by=alice)
    secret_project.start_date = date(2024, 4, 1)
    delivery.add_milestone(project=secret_project, title="Secret pilot starts", due_date=date(2024, 8, 1), by=alice)
    page = client.get(reverse("projects:roadmap") + "?year=2024").content.decode()
    assert "Q1 FY24/25" in page and "Survey the town centres" in page and "Secret pilot starts" not in page
    sign_in(client, bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:roadmap_pdf_request") + "?year=2024")
    response = client.get(reverse("projects:roadmap_pdf", kwargs={"year": 2024}))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)
    assert "Survey the town centres" in text and "Secret pilot starts" in text and "Q1 FY24/25" in text
    client.logout()
    assert client.get(reverse("projects:roadmap_pdf", kwargs={"year": 2024})).status_code == 404  # no public one yet


def test_the_projects_open_data_has_stable_ids_and_no_personal_data(client, project, secret_project, bob):
    delivery.post_update(
        project=project, by=bob, period="month", period_start=timezone.localdate(), rag="green", narrative="On track."
    )
    data = json.loads(client.get(reverse("projects:projects_json")).content)
    assert [row["id"] for row in data["projects"]] == [f"project-{project.pk}"]
    assert data["projects"][0]["lead_organisation_org_id"] == "GB-LAE-HAR"
    assert data["projects"][0]["start_date"] == "2024-04-01"
    assert "Bob" not in json.dumps(data) and "@" not in json.dumps(data)
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("projects:projects_csv")).content.decode())))
    assert [row["title"] for row in rows] == ["Town Centre Wi-Fi"]


def test_a_project_shows_the_public_decisions_that_approved_it_and_never_a_restricted_one(
    client, project, alice, board
):

    from meetings import services as meetings_services
    from tests.meetings.conftest import a_meeting

    held = a_meeting(board, alice, days=-30)
    public_item = meetings_services.add_item(meeting=held, title="Wi-Fi pilot", by=alice)
    secret_item = meetings_services.add_item(
        meeting=held, title="Wi-Fi prices", visibility="restricted", restriction_reason="Commercial", by=alice
    )
    approved = meetings_services.record_decision(item=public_item, text="The pilot goes ahead.", by=alice)
    secret = meetings_services.record_decision(item=secret_item, text="The price is agreed.", by=alice)
    later = a_meeting(board, alice, days=-2)
    meetings_services.save_minute(item=held.items.first(), text="Noted.", by=alice)
    meetings_services.approve_minutes(meeting=held, at_meeting=later, by=alice, today=later.local_date)
    delivery.save_project(project=project, approved_by=[approved, secret], by=alice)
    page = client.get(project.get_absolute_url()).content.decode()
    assert approved.reference in page and "The pilot goes ahead." in page
    assert "The price is agreed." not in page


def test_members_see_the_bids_that_would_fund_a_project_and_the_public_does_not(
    client, project, alice, bob, carol, harlow
):
    from datetime import date
    from decimal import Decimal

    from funding import services as funding_services
    from funding.models import Funder, GoDecision, Opportunity

    funder = Funder.objects.create(name="DCMS", funder_type="central_government")
    opportunity = funding_services.decide_opportunity(
        opportunity=Opportunity.objects.create(
            funder=funder, programme="Local Full Fibre Networks", opens_on=date(2019, 1, 7), closes_on=date(2019, 4, 30)
        ),
        decision=GoDecision.GO,
        reason="Fits aim 1.",
        by=alice,
    )
    bid = funding_services.create_bid(
        title="Full fibre for west Essex",
        opportunity=opportunity,
        lead_officer=bob,
        accountable_body=harlow,
        amount_requested=Decimal("1700000.00"),
        by=alice,
    )
    bid.projects.add(project)
    assert "Full fibre for west Essex" not in client.get(project.get_absolute_url()).content.decode()
    sign_in(client, carol)
    assert "Full fibre for west Essex" in client.get(project.get_absolute_url()).content.decode()

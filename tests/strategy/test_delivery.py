from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from strategy import delivery
from strategy.models import Idea, Milestone, ProgressUpdate, Project, Score, quarter_label
from strategy.permissions import IDEA_SCORERS_GROUP
from tests.factories import OrganisationFactory

MARKS = {"feasibility": 4, "suitability": 5, "impact": 3, "scalability": 4, "engagement": 2}


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2024, 4, 1), "Q1 FY24/25"),
        (date(2024, 6, 30), "Q1 FY24/25"),
        (date(2024, 12, 1), "Q3 FY24/25"),
        (date(2025, 3, 31), "Q4 FY24/25"),
        (date(2025, 4, 1), "Q1 FY25/26"),
    ],
)
def test_quarters_are_uk_financial_quarters(day, label):
    assert quarter_label(day) == label


def test_amber_or_red_needs_a_reason(project, alice):
    project.rag = "amber"
    with pytest.raises(ValidationError) as refused:
        delivery.save_project(project=project, by=alice)
    assert "Say why the project is amber" in refused.value.message_dict["rag_reason"][0]
    assert Project.objects.get().rag == "green"


def test_a_lead_organisation_must_be_an_active_partner(project, alice):
    project.lead_organisation = OrganisationFactory(membership_status="prospective")
    with pytest.raises(ValidationError) as refused:
        delivery.save_project(project=project, by=alice)
    assert "not an active partner" in refused.value.message_dict["lead_organisation"][0]


@pytest.mark.parametrize("field", ["budget", "spend"])
def test_budget_and_spend_cannot_be_negative(project, alice, field):
    setattr(project, field, Decimal("-1"))
    with pytest.raises(ValidationError) as refused:
        delivery.save_project(project=project, by=alice)
    assert "£0 or more" in refused.value.message_dict[field][0]


def test_a_milestone_outside_the_projects_dates_is_refused(project, alice):
    with pytest.raises(ValidationError) as refused:
        delivery.add_milestone(project=project, title="Go live", due_date=date(2026, 6, 1), by=alice)
    assert "cannot be due after" in refused.value.message_dict["due_date"][0]
    assert not Milestone.objects.exists()


def test_moving_a_projects_dates_says_what_happens_to_its_milestones(project, alice):
    milestone = delivery.add_milestone(project=project, title="Go live", due_date=date(2025, 12, 1), by=alice)
    project.end_date = date(2025, 9, 30)
    with pytest.raises(ValidationError) as refused:
        delivery.save_project(project=project, by=alice)
    assert "1 milestone would fall outside" in refused.value.message_dict["move_milestones"][0]
    assert Project.objects.get().end_date == date(2026, 3, 31)
    delivery.save_project(project=project, move_milestones=True, by=alice)
    milestone.refresh_from_db()
    assert milestone.due_date == date(2025, 9, 30)
    assert milestone.baseline_date == date(2025, 12, 1)


def test_a_slipped_milestone_shows_by_how_much(project, alice):
    milestone = delivery.add_milestone(project=project, title="Survey", due_date=date(2024, 6, 1), by=alice)
    delivery.update_milestone(milestone=milestone, due_date=date(2024, 7, 15), status="in_progress", by=alice)
    assert Milestone.objects.get().slipped_days == 44
    assert Milestone.objects.get().history.count() == 2


def test_an_update_sets_the_projects_rag_and_keeps_its_history(project, bob):
    this_month = timezone.localdate().replace(day=1)
    delivery.post_update(
        project=project,
        by=bob,
        period="month",
        period_start=this_month,
        rag="amber",
        rag_reason="Supplier delay.",
        narrative="Survey done; installation late.",
    )
    project.refresh_from_db()
    assert (project.rag, project.rag_reason) == ("amber", "Supplier delay.")
    assert [h.rag for h in project.history.order_by("history_date")] == ["green", "amber"]
    # The same period again corrects the one update.
    delivery.post_update(
        project=project, by=bob, period="month", period_start=this_month, rag="green", narrative="Fixed."
    )
    assert ProgressUpdate.objects.count() == 1


def test_an_update_for_a_period_not_yet_started_is_refused(project, bob):
    next_month = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)
    with pytest.raises(ValidationError) as refused:
        delivery.post_update(
            project=project, by=bob, period="month", period_start=next_month, rag="green", narrative="x"
        )
    assert "has not started" in refused.value.message_dict["period_start"][0]
    assert not ProgressUpdate.objects.exists()


def test_only_the_lead_organisations_officers_post_updates(project, carol):
    with pytest.raises(PermissionDenied):
        delivery.post_update(
            project=project, by=carol, period="month", period_start=timezone.localdate(), rag="green", narrative="x"
        )


def test_ideas_are_scored_ranked_weighted_and_promoted(workstream, alice, bob, carol, harlow):
    transcription = delivery.propose_idea(
        title="Transcription",
        problem="Minutes take days.",
        beneficiaries="Officers",
        sponsor="Head of Democratic Services",
        by=bob,
    )
    front_door = delivery.propose_idea(
        title="A digital front door",
        problem="Residents call five numbers.",
        beneficiaries="Residents",
        sponsor="Director",
        by=carol,
    )
    Group.objects.get_or_create(name=IDEA_SCORERS_GROUP)[0].user_set.add(carol)
    delivery.score_idea(idea=transcription, by=alice, marks=MARKS, rationales={"feasibility": "Proven tools."})
    delivery.score_idea(idea=transcription, by=carol, marks=MARKS | {"impact": 5})
    delivery.score_idea(idea=front_door, by=alice, marks=dict.fromkeys(MARKS, 3))
    ranked = delivery.ranked_ideas(Idea.objects.all())
    assert [r.idea.title for r in ranked] == ["Transcription", "A digital front door"]
    assert ranked[0].means["impact"] == 4 and ranked[0].spread == 2 and ranked[0].weighted_total == 19
    delivery.set_weights(
        values={"feasibility": 1, "suitability": 1, "impact": 1, "scalability": 1, "engagement": 5}, by=alice
    )
    assert delivery.ranked_ideas(Idea.objects.all())[0].idea.title == "A digital front door"
    project = delivery.promote_idea(idea=transcription, workstream=workstream, lead_organisation=harlow, by=alice)
    assert project.title == "Transcription" and "Minutes take days." in project.summary
    assert project.stage == "assessment" and Idea.objects.get(pk=transcription.pk).status == "promoted"


def test_a_score_outside_one_to_five_is_refused(workstream, alice, bob):
    idea = delivery.propose_idea(
        title="EHCPs", problem="Slow plans.", beneficiaries="Families", sponsor="Director", by=bob
    )
    with pytest.raises(ValidationError) as refused:
        delivery.score_idea(idea=idea, by=alice, marks=MARKS | {"impact": 6})
    assert "from 1 to 5" in refused.value.message_dict["impact"][0]
    assert not Score.objects.exists()
    with pytest.raises(PermissionDenied):
        delivery.score_idea(idea=idea, by=bob, marks=MARKS)


def test_the_roadmap_puts_milestones_in_their_quarter(project, alice):
    delivery.add_milestone(project=project, title="Survey", due_date=date(2024, 5, 1), by=alice)
    delivery.add_milestone(project=project, title="Install", due_date=date(2025, 2, 1), by=alice)
    rows = delivery.roadmap(Project.objects.all(), 2024)
    assert [[m.title for m in cell] for cell in rows[0].cells] == [["Survey"], [], [], ["Install"]]
    assert [label for _y, _q, label in delivery.roadmap_quarters(2024)] == [
        "Q1 FY24/25",
        "Q2 FY24/25",
        "Q3 FY24/25",
        "Q4 FY24/25",
    ]


def test_when_every_partner_endorses_a_launch_milestone_is_proposed(
    routes, v1, workstream, bob, carol, harlow, broxbourne
):
    from tests.strategy.conftest import endorse

    endorse(harlow, v1, bob)
    assert not Milestone.objects.filter(is_launch=True).exists()
    endorse(broxbourne, v1, carol)
    launch = Milestone.objects.get(is_launch=True)
    assert launch.title == "Strategy launch event: 1.0"
    assert launch.project.visibility == "partners"


def test_a_week_before_the_board_meets_leads_without_an_update_are_reminded_once(project, alice, bob, board):
    from datetime import datetime

    from django.core import mail

    from meetings import services as meetings_services
    from meetings.models import LONDON
    from strategy import notices

    project.lead_person = bob
    delivery.save_project(project=project, by=alice)
    day = timezone.localdate() + timedelta(days=7)
    starts = datetime(day.year, day.month, day.day, 10, tzinfo=LONDON)
    meetings_services.schedule_meeting(body=board, starts_at=starts, ends_at=starts + timedelta(hours=2), by=alice)
    assert notices.send_update_reminders(today=timezone.localdate() - timedelta(days=1)) == 0  # not a week before
    assert notices.send_update_reminders() == 1
    assert mail.outbox[-1].to == [bob.email] and "Town Centre Wi-Fi" in mail.outbox[-1].body
    assert notices.send_update_reminders() == 0  # once
    delivery.post_update(
        project=project, by=bob, period="month", period_start=timezone.localdate(), rag="green", narrative="Fine."
    )
    assert not notices.projects_missing_an_update(timezone.localdate()).exists()

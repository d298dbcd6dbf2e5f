"""The dashboards make the same number of queries with a little data and with much more."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Attendance
from partners import services as partner_services
from tests.conftest import sign_in
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.reports.conftest import meeting_in, pdf
from tests.support.queries import assert_constant_queries


@pytest.fixture
def grow(world, board, steering_group, endorsements):
    from strategy import services as strategy_services

    alice, carol, bob = world["alice"], world["carol"], world["bob"]

    def grow():
        for n in range(3):
            organisation = OrganisationFactory(org_type=["acute_trust", "university", "business"][n])
            member = UserFactory(organisation=organisation)
            MembershipFactory(body=board, person=member, organisation=organisation)
            for days in (-20 - n, 5 + n, 20 + n):
                meeting = meeting_in(board, alice, days=days, hour=9 + n)
                item = services.add_item(
                    meeting=meeting, title=f"Item {n}", presenter=bob, presenter_organisation=bob.organisation, by=alice
                )
                services.add_paper(item=item, title=f"Paper {n}", purpose="x", upload=pdf(), by=alice)
                services.add_item(meeting=meeting, title=f"Unpapered {n}", by=alice)
                if days > 0:
                    services.publish_agenda(meeting=meeting, by=alice)
                for person in (carol, member):
                    Attendance.objects.update_or_create(
                        meeting=meeting,
                        person=person,
                        defaults={"present": days < 0, "organisation": person.organisation, "response": "attending"},
                    )
                services.record_action(
                    item=item,
                    description=f"Action {n}",
                    owner=[carol, member][n % 2],
                    due_on=timezone.localdate() - timedelta(days=1),
                    by=alice,
                )
            strategy_services.add_partner(
                strategy=endorsements.strategy, organisation=organisation, deciding_body="Trust Board", by=alice
            )
            partner_services.invite_person(
                email=f"new{n}@example.org", name=f"New {n}", organisation=organisation, by=alice
            )
        services.replace_calendar_token(user=carol)

    return grow


@pytest.mark.parametrize(
    ("who", "name", "bound"),
    [
        ("alice", "manage:index", 32),
        ("carol", "partners:dashboard", 22),
        ("bob", "partners:dashboard", 22),
    ],  # funding: 4 of alice's
)
def test_the_dashboards_make_a_constant_number_of_queries(
    client, world, grow, who, name, bound, django_capture_on_commit_callbacks
):
    sign_in(client, world[who])
    with django_capture_on_commit_callbacks(execute=False):
        assert_constant_queries(client, reverse(name), grow, bound=bound)


@pytest.mark.parametrize("name", ["reports:index", "reports:body", "reports:status"])
def test_the_report_pages_make_a_constant_number_of_queries(client, world, board, name):
    from django.contrib.contenttypes.models import ContentType

    from diz_portal.models import GeneratedDocument
    from reports import periods
    from reports.models import Report, ReportRequest

    def add(numbers):
        for number in numbers:
            period = periods.quarter(2025, number)
            report = Report.objects.create(
                kind="highlight", body=board, period_start=period.start, period_end=period.end
            )
            for who in (world["alice"], world["carol"], None):
                ReportRequest.objects.create(report=report, requested_by=who, scheduled=who is None)
            GeneratedDocument.objects.create(
                content_type=ContentType.objects.get_for_model(Report),
                object_id=report.pk,
                kind="highlight",
                status=["ready", "failed", "building", "queued"][number - 1],
            )

    add([1])  # one report to start with, its requests and document
    sign_in(client, world["carol"])
    url = reverse(name, kwargs={"slug": board.slug} if name != "reports:index" else None)
    assert_constant_queries(client, url, lambda: add([2, 3, 4]), bound=15)

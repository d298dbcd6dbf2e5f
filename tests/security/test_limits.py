"""Issue 6, point 9 and the free-text limit: a year-1 date was a server error; dates outside
2000–2100 and texts over 20,000 characters get a clear message beside the field, nothing written."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.urls import reverse

from diz_portal.forms import FREE_TEXT_LIMIT, SaneLimits
from meetings.models import Meeting
from partners.models import Organisation
from tests.conftest import sign_in
from tests.support.forms import field_error

PROJECT_PACKAGES = ["diz_portal", "partners", "meetings", "strategy", "funding", "reports", "news"]
MEETING = {"date": "2030-03-12", "start_time": "10:00", "end_time": "12:00", "location": "Harlow", "mode": "in_person"}


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_a_meeting_date_outside_2000_to_2100_is_refused_beside_the_field(client, alice, board, day):
    sign_in(client, alice)
    response = client.post(
        reverse("manage_meetings:meeting_create"),
        MEETING | {"body": board.pk, "date": day, "papers_due_working_days": 5},
    )
    assert response.status_code == 200
    assert "Enter a date between 2000 and 2100." in field_error(response, "date")
    assert 'value="Harlow"' in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_membership_date_in_year_one_is_refused_beside_the_field(client, alice, carol, board):
    sign_in(client, alice)
    seat = carol.memberships.get(body=board)
    response = client.post(reverse("manage:membership_end", kwargs={"pk": seat.pk}), {"ended_on": "0001-01-01"})
    assert "Enter a date between 2000 and 2100." in field_error(response, "ended_on")


def test_a_text_over_the_limit_is_refused_beside_the_field(client, alice):
    sign_in(client, alice)
    data = {"name": "Stansted Digital Ltd", "slug": "stansted-digital", "org_type": "business", "county": "essex"}
    data |= {"membership_status": "active", "description": "x" * (FREE_TEXT_LIMIT + 1)}
    response = client.post(reverse("manage:organisation_create"), data)
    assert "Keep this under 20,000 characters (it has 20001)." in field_error(response, "description")
    assert not Organisation.objects.filter(slug="stansted-digital").exists()


def project_forms():
    for package in PROJECT_PACKAGES:
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, f"{package}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            module = importlib.import_module(info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def test_every_project_form_has_the_limits():
    """SaneLimits puts the range on every date field and the limit on every text field of a form;
    a form built on Django's own classes would have neither."""
    found = list(project_forms())
    assert len(found) > 20
    missing = sorted(f"{cls.__module__}.{cls.__name__}" for cls in found if not issubclass(cls, SaneLimits))
    assert not missing, f"Build these on diz_portal.forms.Form/ModelForm: {missing}"

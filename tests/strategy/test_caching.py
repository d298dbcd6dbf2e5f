"""The public strategy pages come from the cache for anonymous visitors, are never stale after a
change commits, and never reach (or come from) a signed-in viewer."""

import pytest
from django.urls import reverse

from strategy import services
from tests.conftest import sign_in
from tests.strategy.conftest import TEXT_1_1, endorse
from tests.support.queries import count_queries


@pytest.fixture
def consultation(v1, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.create_version(
            strategy=v1.strategy, label="1.1", text=TEXT_1_1, summary_of_changes="Partners-only words.", by=alice
        )
        services.start_consultation(version=version, by=alice)
    return version


@pytest.mark.parametrize("name", ["strategy:index", "strategy:feed", "strategy:endorsements_json"])
def test_a_warm_public_page_makes_no_queries(client, routes, name):
    url = reverse(name)
    client.get(url)
    assert count_queries(client, url, cold=False)[0] == 0


def test_a_recorded_endorsement_shows_at_once(client, routes, v1, bob, harlow, django_capture_on_commit_callbacks):
    url = reverse("strategy:index")
    assert "0 of 2 partners" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        endorse(harlow, v1, bob)
    assert "1 of 2 partners" in client.get(url).content.decode()


def test_a_cached_public_page_never_reaches_a_partner_and_a_partners_page_never_the_public(
    client, routes, consultation, bob
):
    url = reverse("strategy:index")
    public = client.get(url).content.decode()
    assert "Partners-only words." not in public
    sign_in(client, bob)
    assert "Partners-only words." in client.get(url).content.decode()
    client.logout()
    assert "Partners-only words." not in client.get(url).content.decode()


def test_public_project_pages_are_cached_and_a_new_update_shows_at_once(
    client, project, bob, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from strategy import delivery

    url = project.get_absolute_url()
    client.get(url)
    assert count_queries(client, url, cold=False)[0] == 0
    with django_capture_on_commit_callbacks(execute=True):
        delivery.post_update(
            project=project, by=bob, period="month", period_start=timezone.localdate(), rag="green", narrative="News!"
        )
    assert "News!" in client.get(url).content.decode()


# --- The portfolio (one fragment for every partner, per day) -----------------------------------


@pytest.fixture
def partners_only_project(workstream, alice, harlow):
    from strategy import delivery
    from strategy.models import Project

    return delivery.save_project(
        project=Project(
            title="Member enquiries pilot", workstream=workstream, lead_organisation=harlow, visibility="partners"
        ),
        by=alice,
    )


def test_the_portfolio_kept_for_partners_never_reaches_anyone_else(
    client, project, partners_only_project, bob, harlow, django_capture_on_commit_callbacks
):
    from partners.models import MembershipStatus
    from tests.factories import OrganisationFactory, UserFactory

    url = reverse("projects:portfolio")
    sign_in(client, bob)
    assert "Member enquiries pilot" in client.get(url).content.decode()
    assert count_queries(client, url, cold=False)[0] <= 3  # the body came from the cache
    # A Board member who works for a prospective partner, someone with no organisation, the public.
    outsiders = [
        UserFactory(organisation=OrganisationFactory(membership_status=MembershipStatus.PROSPECTIVE)),
        UserFactory(organisation=None),
    ]
    for outsider in outsiders:
        sign_in(client, outsider)
        response = client.get(url)
        assert response.status_code == 404 and "Member enquiries pilot" not in response.content.decode()
    client.logout()
    assert "Member enquiries pilot" not in client.get(url).content.decode()
    # Bob's organisation stops being a partner: the portfolio kept for partners is no longer his.
    with django_capture_on_commit_callbacks(execute=True):
        harlow.membership_status = MembershipStatus.FORMER
        harlow.save(update_fields=["membership_status"])
    sign_in(client, bob)
    response = client.get(url)
    assert response.status_code == 404 and "Member enquiries pilot" not in response.content.decode()


def test_the_kept_portfolio_follows_changes_and_the_day(
    client, project, partners_only_project, alice, carol, monkeypatch, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from strategy import delivery

    url = reverse("projects:portfolio")
    sign_in(client, carol)
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        partners_only_project.title = "Resident enquiries pilot"
        delivery.save_project(project=partners_only_project, by=alice)
    page = client.get(url).content.decode()
    assert "Resident enquiries pilot" in page and "Member enquiries pilot" not in page
    # RAG over time ends with this month: next month's page is not this month's kept one.
    today = timezone.localdate()
    next_month = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    assert f"{next_month:%b %Y}" not in client.get(url).content.decode()
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: next_month)
    assert f"{next_month:%b %Y}" in client.get(url).content.decode()


# --- A comparison of two versions (one fragment per pair and the versions the viewer may see) ---


def test_a_kept_comparison_never_shows_another_audience_its_versions(
    client, v1, alice, bob, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    with django_capture_on_commit_callbacks(execute=True):
        v1_1 = services.create_version(strategy=v1.strategy, label="1.1", text=TEXT_1_1, by=alice)
        services.publish_version(version=v1_1, by=alice)
        v1_2 = services.create_version(strategy=v1.strategy, label="1.2", text=TEXT_1_1 + "\nMore.", by=alice)
        services.start_consultation(version=v1_2, by=alice)
        services.create_version(strategy=v1.strategy, label="1.3", text=TEXT_1_1 + "\nDraft.", by=alice)
    url = reverse("strategy:diff", kwargs={"old": "1.0", "new": "1.1"})
    viewers = {"public": None, "outsider": UserFactory(organisation=None), "bob": bob, "alice": alice}

    def pickers_seen() -> dict[str, set[str]]:
        seen = {}
        for name, user in viewers.items():
            client.logout()
            if user is not None:
                sign_in(client, user)
            first, second = (client.get(url).content.decode() for _ in range(2))  # cold, then kept
            seen[name] = {label for label in ("1.2", "1.3") if f'<option value="{label}"' in first}
            assert seen[name] == {label for label in ("1.2", "1.3") if f'<option value="{label}"' in second}, name
        return seen

    assert pickers_seen() == {"public": set(), "outsider": set(), "bob": {"1.2"}, "alice": {"1.2", "1.3"}}
    # The consultation version becomes final: everyone may compare with it at once; the draft stays hers.
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_version(version=v1_2, by=alice)
    assert pickers_seen() == {"public": {"1.2"}, "outsider": {"1.2"}, "bob": {"1.2"}, "alice": {"1.2", "1.3"}}


# --- A partner's endorsement page (one fragment for everyone who records for the partner) -------

EVIDENCE_NOTE = "As programme manager recording for a partner"


def test_a_kept_endorsement_page_reaches_only_those_who_record_for_the_partner(
    client, routes, v1, alice, bob, carol, broxbourne, django_capture_on_commit_callbacks
):
    url = reverse("strategy:partner", kwargs={"slug": broxbourne.slug})
    sign_in(client, carol)  # holds Broxbourne's Board seat
    for _ in range(2):  # cold, then kept
        page = client.get(url).content.decode()
        assert "Overview and Scrutiny Committee" in page and EVIDENCE_NOTE not in page
    # Bob works for Harlow: the kept page is not his to read.
    sign_in(client, bob)
    response = client.get(url)
    assert response.status_code == 404 and "Overview and Scrutiny Committee" not in response.content.decode()
    # The programme manager, recording for a partner she does not work for, is told to give evidence.
    sign_in(client, alice)
    assert EVIDENCE_NOTE in client.get(url).content.decode()
    sign_in(client, carol)
    assert EVIDENCE_NOTE not in client.get(url).content.decode()
    # A decision recorded shows at once.
    with django_capture_on_commit_callbacks(execute=True):
        endorse(broxbourne, v1, carol, resolution="Broxbourne endorses the strategy.")
    assert "Broxbourne endorses the strategy." in client.get(url).content.decode()


def test_a_rejected_endorsement_form_is_never_kept_for_anyone_else(client, routes, v1, alice, carol, broxbourne):
    url = reverse("strategy:partner", kwargs={"slug": broxbourne.slug})
    sign_in(client, carol)
    client.get(url)
    response = client.post(
        url,
        {"version": v1.pk, "status": "endorsed", "resolution": "Carol's unsaved words", "evidence_url": "not a link"},
    )
    assert response.status_code == 200 and "Carol&#x27;s unsaved words" in response.content.decode()
    assert "Error:" in response.content.decode()
    for viewer in (carol, alice):
        sign_in(client, viewer)
        page = client.get(url).content.decode()
        assert "unsaved words" not in page and "Error:" not in page


# --- The ranked ideas (one fragment for every partner; the buttons are the viewer's) ------------


def test_the_kept_idea_ranking_reaches_partners_only_and_follows_every_score(
    client, alice, bob, django_capture_on_commit_callbacks
):
    from strategy import delivery
    from strategy.models import CRITERIA_NAMES
    from tests.factories import UserFactory

    with django_capture_on_commit_callbacks(execute=True):
        idea = delivery.propose_idea(
            title="Smart bins", problem="Overflowing bins.", beneficiaries="Residents", sponsor="Harlow", by=bob
        )
    url = reverse("projects:ideas")
    sign_in(client, bob)
    for _ in range(2):  # cold, then kept
        page = client.get(url).content.decode()
        assert "Smart bins" in page and "0 scorers" in page and "Set the weights" not in page
    sign_in(client, alice)
    assert "Set the weights" in client.get(url).content.decode()
    sign_in(client, bob)
    assert "Set the weights" not in client.get(url).content.decode()
    sign_in(client, UserFactory(organisation=None))
    response = client.get(url)
    assert response.status_code == 404 and "Smart bins" not in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        delivery.score_idea(idea=idea, by=alice, marks=dict.fromkeys(CRITERIA_NAMES, 4))
    sign_in(client, bob)
    assert "1 scorer<" in client.get(url).content.decode()

"""The cast, shared by every test:

- Alice is the programme manager (with an authenticator app set up).
- Bob is a partner officer at Harlow District Council; he sits on no body.
- Carol sits on the Board for Broxbourne Borough Council.
- Dave sits on the Steering Group only: for Board records he is "a member of another body".
- Anonymous visitors are signed out.

With DIZ_REQUIRE_SERVICES set (CI does), a skipped test fails instead: CI always runs everything.
"""

import os

import pytest
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import RequestFactory

from diz_portal import caching
from partners.permissions import PROGRAMME_MANAGER_GROUP, SECOND_FACTOR_VERIFIED
from tests.factories import GoverningBodyFactory, MembershipFactory, OrganisationFactory, UserFactory

ALICE_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
REQUIRE_SERVICES = os.environ.get("DIZ_REQUIRE_SERVICES", "") not in ("", "0")


def pytest_configure(config):
    # The test client speaks plain http; production redirects to https (settings), tests don't.
    settings.SECURE_SSL_REDIRECT = False
    # Hashing passwords properly is slow by design; tests create hundreds of people.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Production serves hashed files from `collectstatic`; tests serve the sources by name.
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    # Tasks run inline in tests even when REDIS_URL is set (as in CI); tests/workers point Celery
    # at a real Redis and worker where the behaviour depends on them.
    from diz_portal.celery import app

    app.conf.task_always_eager = True


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_SERVICES and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.longrepr = f"Skipped, but DIZ_REQUIRE_SERVICES is set so everything must run: {reason}"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Nothing cached by one test reaches the next (its database rows were rolled back without
    any signal): a new epoch makes every earlier key unreachable, without flushing the Redis
    database the Celery broker shares."""
    caching._down_until = 0.0
    caching.bump_all()


@pytest.fixture
def harlow(db):
    return OrganisationFactory(name="Harlow District Council", slug="harlow-district-council", org_id="GB-LAE-HAR")


@pytest.fixture
def broxbourne(db):
    return OrganisationFactory(
        name="Broxbourne Borough Council", slug="broxbourne-borough-council", county="hertfordshire", org_id=None
    )


@pytest.fixture
def board(db):
    return GoverningBodyFactory(name="Board", slug="board", code="BRD")


@pytest.fixture
def steering_group(db):
    return GoverningBodyFactory(name="Steering Group", slug="steering-group", code="SG")


@pytest.fixture
def alice(db, harlow):
    user = UserFactory(email="alice@example.org", name="Alice Able", organisation=harlow, is_staff=True)
    user.groups.add(Group.objects.get(name=PROGRAMME_MANAGER_GROUP))
    TOTP.activate(user, ALICE_TOTP_SECRET)
    # As the programme manager acting in a session that used her code (what a request's user is
    # after `sign_in`); tests that call rules and use-cases directly act as her.
    setattr(user, SECOND_FACTOR_VERIFIED, True)
    return user


@pytest.fixture
def bob(db, harlow):
    return UserFactory(email="bob@example.org", name="Bob Baker", organisation=harlow)


@pytest.fixture
def carol(db, board, broxbourne):
    user = UserFactory(email="carol@example.org", name="Carol Clark", organisation=broxbourne)
    MembershipFactory(body=board, person=user, organisation=broxbourne)
    return user


@pytest.fixture
def dave(db, steering_group, harlow):
    user = UserFactory(email="dave@example.org", name="Dave Dunn", organisation=harlow)
    MembershipFactory(body=steering_group, person=user, organisation=harlow)
    return user


@pytest.fixture
def cast(alice, bob, carol, dave):
    return {"alice": alice, "bob": bob, "carol": carol, "dave": dave}


def sign_in(client, user, *, reauthenticated=True, code=True):
    """Sign in as `user`, as if they had just typed their password (and code). With
    `reauthenticated`, also as if they had just confirmed it again, which allauth asks for before
    sensitive actions; tests of that prompt pass False. `code=False`: a session that has not used
    the second factor (as one that got past it would be)."""
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session, request.user = client.session, user
    record_authentication(request, user, method="password", email=user.email, reauthenticated=reauthenticated or None)
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp and code:
        record_authentication(request, user, method="mfa", type="totp", id=totp.pk)
    request.session.save()
    return client

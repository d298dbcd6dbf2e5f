"""Every URL the portal serves, walked as each kind of user.

The table must name every URL pattern: a new page that is not in it fails `test_the_table_names_every_url`.
Outcomes: 200; LOGIN (a redirect to the sign-in page); 404 (the same answer for "not allowed" as for
"not there"); 405 (wrong method); REDIRECT (elsewhere, e.g. a signed-in user visiting the sign-in page).
"""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from partners import services
from tests.conftest import sign_in
from tests.funding.matrix import MATRIX as FUNDING_MATRIX
from tests.meetings.matrix import MATRIX as MEETINGS_MATRIX
from tests.meetings.matrix import meetings_world
from tests.news.matrix import ROWS as NEWS_MATRIX
from tests.news.matrix import news_world
from tests.reports.matrix import MATRIX as REPORTS_MATRIX
from tests.reports.matrix import reports_world
from tests.strategy.matrix import ROWS as STRATEGY_MATRIX
from tests.strategy.matrix import strategy_world
from tests.support.matrix import LOGIN, REDIRECT, ROLES, everyone, pm_only, pm_only_else, signed_in

# name: (kwargs builder, expected outcome per role). Builders take the `world` fixture's dict.
MATRIX = {
    "home": (None, everyone(200)),
    "accessibility": (None, everyone(200)),
    "healthz": (None, everyone(200)),
    "sitemap": (None, everyone(200)),
    "partners:directory": (None, everyone(200)),
    "partners:organisation": (lambda w: {"slug": w["harlow"].slug}, everyone(200)),
    "partners:bodies": (None, everyone(200)),
    "partners:body": (lambda w: {"slug": w["board"].slug}, everyone(200)),
    "partners:dashboard": (None, signed_in(200)),
    # The link in the email is the credential: it works for whoever holds it, signed in or not.
    "partners:accept_invitation": (lambda w: {"pk": w["invitation"].pk, "token": w["invitation"].token}, everyone(200)),
    "manage:index": (None, pm_only()),
    "manage:organisations": (None, pm_only()),
    "manage:organisation_create": (None, pm_only()),
    "manage:organisation_edit": (lambda w: {"slug": w["harlow"].slug}, pm_only()),
    "manage:organisation_history": (lambda w: {"slug": w["harlow"].slug}, pm_only()),
    "manage:organisation_archive": (lambda w: {"slug": w["harlow"].slug}, pm_only()),
    "manage:organisation_restore": (lambda w: {"slug": w["harlow"].slug}, pm_only(405)),
    "manage:people": (None, pm_only()),
    "manage:person_invite": (None, pm_only()),
    "manage:person_resend_invitation": (lambda w: {"pk": w["invitation"].user_id}, pm_only(405)),
    "manage:body_memberships": (lambda w: {"slug": w["board"].slug}, pm_only()),
    "manage:membership_create": (lambda w: {"slug": w["board"].slug}, pm_only()),
    "manage:membership_edit": (lambda w: {"pk": w["carol_seat"].pk}, pm_only()),
    "manage:membership_end": (lambda w: {"pk": w["carol_seat"].pk}, pm_only()),
    "manage:membership_replace": (lambda w: {"pk": w["carol_seat"].pk}, pm_only()),
    # django-allauth's pages.
    "account_login": (None, signed_in(REDIRECT, anonymous=200)),
    "account_logout": (None, signed_in(200, anonymous=REDIRECT)),
    "account_inactive": (None, everyone(200)),
    "account_signup": (None, signed_in(REDIRECT, anonymous=200)),  # says sign-up is closed
    "account_reauthenticate": (None, signed_in(200)),
    "account_email": (None, signed_in(200)),
    "account_email_verification_sent": (None, everyone(200)),
    "account_change_password": (None, signed_in(200)),
    "account_set_password": (None, signed_in(REDIRECT)),  # everyone here has a password already
    "account_reset_password": (None, everyone(200)),
    "account_confirm_login_code": (None, signed_in(REDIRECT)),  # login by code is off
    "account_confirm_email": (lambda w: {"key": "not-a-real-key"}, everyone(200)),
    "account_reset_password_from_key_done": (None, everyone(200)),
    "account_reset_password_from_key": (lambda w: {"uidb36": "zz", "key": "not-a-key"}, everyone(200)),
    "account_reset_password_done": (None, everyone(200)),
    "mfa_index": (None, signed_in(200)),
    "mfa_authenticate": (None, signed_in(REDIRECT)),  # only during a sign-in in progress
    # Re-authenticating with a second factor needs one: only the programme manager has one here.
    "mfa_reauthenticate": (None, pm_only_else(200, REDIRECT)),
    "mfa_activate_totp": (None, pm_only_else(REDIRECT, 200)),  # the programme manager has one already
    "mfa_deactivate_totp": (None, pm_only_else(200, 404)),
    "mfa_view_recovery_codes": (None, signed_in(404)),  # none generated yet
    "mfa_generate_recovery_codes": (None, signed_in(200)),
    "mfa_download_recovery_codes": (None, signed_in(404)),
}
MATRIX |= MEETINGS_MATRIX
MATRIX |= FUNDING_MATRIX
MATRIX |= STRATEGY_MATRIX
MATRIX |= REPORTS_MATRIX
MATRIX |= NEWS_MATRIX
# The Django admin's own pages (one per model and action) are walked as one group: the admin is
# for staff with a second factor, and every other visitor is sent to sign in.
ADMIN_SAMPLE = ["admin:index", "admin:partners_organisation_changelist", "admin:partners_membership_changelist"]
ADMIN_EXPECTED = {"anonymous": LOGIN, "officer": LOGIN, "other_member": LOGIN, "member": LOGIN, "pm": 200}
OPTIONAL = {"bench_bare"}  # only mounted when BENCH_BARE_VIEW is set, for `make bench`


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"


def test_the_table_names_every_url():
    missing = sorted(
        name
        for name in set(url_names())
        if name not in MATRIX and not name.startswith("admin:") and name not in OPTIONAL
    )
    assert not missing, f"Add these URLs to the permission matrix: {missing}"
    stale = sorted(set(MATRIX) - set(url_names()))
    assert not stale, f"The matrix names URLs that no longer exist: {stale}"


@pytest.fixture
def world(cast, board, harlow, broxbourne, alice, settings):
    # /healthz answers 503 while no worker runs (tests/workers covers that); here it is about who may ask.
    settings.REDIS_URL = ""
    invitation = services.invite_person(email="erin@example.org", name="Erin Ellis", organisation=harlow, by=alice)
    return (
        {
            "board": board,
            "harlow": harlow,
            "invitation": invitation,
            "carol_seat": cast["carol"].memberships.get(body=board),
            "users": {
                "officer": cast["bob"],
                "other_member": cast["dave"],
                "member": cast["carol"],
                "pm": cast["alice"],
            },
        }
        | meetings_world(cast=cast, board=board, harlow=harlow)
        | strategy_world(cast=cast, harlow=harlow, broxbourne=broxbourne)
        | reports_world(board=board)
        | news_world()
    )


def outcome_of(response) -> str | int:
    if response.status_code == 302:
        login_pages = (reverse(settings.LOGIN_URL), reverse("admin:login"))  # the admin's sends on to allauth's
        return LOGIN if response["Location"].startswith(login_pages) else REDIRECT
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_the_table_says(client, world, role):
    if role != "anonymous":
        sign_in(client, world["users"][role])
    wrong = []
    for name, (kwargs, expected) in MATRIX.items():
        url = reverse(name, kwargs=kwargs(world) if kwargs else None)
        actual = outcome_of(client.get(url))
        if actual != expected[role]:
            wrong.append(f"{name} ({url}): expected {expected[role]}, got {actual}")
    for name in ADMIN_SAMPLE:
        url = reverse(name)
        actual = outcome_of(client.get(url))
        if actual != ADMIN_EXPECTED[role]:
            wrong.append(f"{name} ({url}): expected {ADMIN_EXPECTED[role]}, got {actual}")
    assert not wrong, f"As {role}:\n" + "\n".join(wrong)

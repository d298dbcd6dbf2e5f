"""axe-core on every page a person can reach, in a real browser with the real CSS.

Each page is its own test: signed out, as a Board member (Carol) or as the programme manager
(Alice, with her authenticator code). A page passes when axe finds nothing "serious" or "critical"
under WCAG 2.0, 2.1 and 2.2 A and AA; lesser findings are printed (run with -s to see them).
"""

from collections.abc import Callable
from typing import NamedTuple

import pytest
from axe_playwright_python.sync_playwright import Axe

from partners import services
from tests.browser.conftest import PASSWORD, login, reauthenticate, submit_form_with
from tests.conftest import ALICE_TOTP_SECRET

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
BLOCKING = {"serious", "critical"}

_axe = Axe()


def describe(violation) -> str:
    targets = "; ".join(", ".join(map(str, node["target"])) for node in violation["nodes"][:5])
    return f"[{violation['impact']}] {violation['id']}: {violation['help']} ({len(violation['nodes'])}×: {targets})"


def assert_accessible(page):
    """Run axe on the page as it is now; fail on serious or critical violations."""
    results = _axe.run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    assert results.response["testEngine"]["name"] == "axe-core"
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    for violation in violations:
        if violation["impact"] not in BLOCKING:
            print(f"{page.url}: {describe(violation)}")
    assert not blocking, f"axe found on {page.url}:\n" + "\n".join(describe(v) for v in blocking)


@pytest.fixture
def world(cast, board, harlow, alice):
    invitation = services.invite_person(email="erin@example.org", name="Erin Ellis", organisation=harlow, by=alice)
    return {
        "harlow": harlow,
        "board": board,
        "invitation": invitation,
        "carol_seat": cast["carol"].memberships.get(body=board),
        "cast": cast,
    }


class Target(NamedTuple):
    """A page to check: its test id, who looks at it, its address (built from the `world`) and proof
    that the browser is on that page, not an error or a sign-in page: words its <h1> holds, or, for
    allauth's pages (whose wording the templates may change), a selector that must be on it."""

    id: str
    who: str | None
    address: Callable[[dict], str]
    heading: str | None = None
    shows: str | None = None
    reauthenticate: bool = False  # allauth asks for the password again before showing it


PAGES = [
    Target("home", None, lambda w: "/", heading="Partnership portal"),
    Target("directory", None, lambda w: "/partners/", heading="Our partners"),
    Target("directory-filtered", None, lambda w: "/partners/?sector=health", heading="Our partners"),
    Target("organisation", None, lambda w: f"/partners/{w['harlow'].slug}/", heading="Harlow District Council"),
    Target("governance", None, lambda w: "/governance/", heading="How Portal is governed"),
    Target("body", None, lambda w: f"/governance/{w['board'].slug}/", heading="Board"),
    Target("accessibility", None, lambda w: "/accessibility/", heading="Accessibility statement"),
    Target("sign-in", None, lambda w: "/accounts/login/", shows="form input[name=login]"),
    Target("password-reset", None, lambda w: "/accounts/password/reset/", shows="form input[name=email]"),
    Target(
        "accept-invitation",
        None,
        lambda w: w["invitation"].get_accept_url(),
        heading="Welcome to the Portal portal",
        shows="form input[name=password1]",
    ),
    Target("dashboard", "carol", lambda w: "/dashboard/", heading="Welcome, Carol"),
    Target("two-factor", "carol", lambda w: "/accounts/2fa/", shows="a[href='/accounts/2fa/totp/activate/']"),
    Target("password-change", "carol", lambda w: "/accounts/password/change/", shows="form input[name=oldpassword]"),
    Target("email", "carol", lambda w: "/accounts/email/", shows="form input[name=email]"),
    Target("reauthenticate", "carol", lambda w: "/accounts/reauthenticate/", shows="form input[name=password]"),
    Target("manage", "alice", lambda w: "/manage/", heading="Manage the partnership"),
    Target("manage-organisations", "alice", lambda w: "/manage/organisations/", heading="Partner organisations"),
    Target("manage-organisation-new", "alice", lambda w: "/manage/organisations/new/", heading="Add an organisation"),
    Target(
        "manage-organisation-edit",
        "alice",
        lambda w: f"/manage/organisations/{w['harlow'].slug}/edit/",
        heading="Edit Harlow District Council",
    ),
    Target(
        "manage-organisation-history",
        "alice",
        lambda w: f"/manage/organisations/{w['harlow'].slug}/history/",
        heading="History of Harlow District Council",
    ),
    Target(
        "manage-organisation-archive",
        "alice",
        lambda w: f"/manage/organisations/{w['harlow'].slug}/archive/",
        heading="Archive Harlow District Council?",
        reauthenticate=True,
    ),
    Target("manage-people", "alice", lambda w: "/manage/people/", heading="People"),
    Target(
        "manage-person-invite",
        "alice",
        lambda w: "/manage/people/invite/",
        heading="Invite someone",
        reauthenticate=True,
    ),
    Target(
        "manage-body-members",
        "alice",
        lambda w: f"/manage/bodies/{w['board'].slug}/members/",
        heading="Members of the Board",
    ),
    Target(
        "manage-membership-add",
        "alice",
        lambda w: f"/manage/bodies/{w['board'].slug}/members/add/",
        heading="Add a member",
        reauthenticate=True,
    ),
    Target(
        "manage-membership-edit",
        "alice",
        lambda w: f"/manage/memberships/{w['carol_seat'].pk}/edit/",
        heading="Edit Carol Clark's membership",
        reauthenticate=True,
    ),
    Target(
        "manage-membership-end",
        "alice",
        lambda w: f"/manage/memberships/{w['carol_seat'].pk}/end/",
        heading="End Carol Clark's membership of the Board",
    ),
    Target(
        "manage-membership-replace",
        "alice",
        lambda w: f"/manage/memberships/{w['carol_seat'].pk}/change-representative/",
        heading="Change representative",
        reauthenticate=True,
    ),
]


def sign_in_as(page, live_server, world, who):
    if who == "alice":
        login(page, live_server, world["cast"]["alice"].email, PASSWORD, totp_secret=ALICE_TOTP_SECRET)
    elif who:
        login(page, live_server, world["cast"][who].email, PASSWORD)


@pytest.mark.parametrize("target", PAGES, ids=[target.id for target in PAGES])
def test_page_has_no_serious_accessibility_problems(page, live_server, world, target):
    sign_in_as(page, live_server, world, target.who)
    path = target.address(world)
    response = page.goto(path)
    if target.reauthenticate:
        response = reauthenticate(page, live_server, next_path=path)
    assert response.status == 200, f"{path} answered {response.status}"
    assert page.url == live_server.url + path, f"{path} sent the browser to {page.url}"
    if target.heading:
        assert target.heading.lower() in page.locator("h1").inner_text().lower()
    if target.shows:
        assert page.locator(target.shows).count() >= 1, f"{path} has no {target.shows}"
    assert_accessible(page)


def test_the_stylesheet_loads(page, live_server):
    """axe judges contrast and focus from the real CSS: make sure there is some."""
    page.goto("/")
    hrefs = page.locator("link[rel=stylesheet]").evaluate_all("links => links.map(l => l.getAttribute('href'))")
    assert "/static/css/diz.css" in hrefs
    response = page.request.get("/static/css/diz.css")
    assert response.status == 200
    assert "govuk-skip-link" in response.text()
    # And the page is styled by it: GOV.UK Frontend hides the skip link until it has focus.
    assert page.locator(".govuk-skip-link").evaluate("el => getComputedStyle(el).position") == "absolute"


def test_the_second_sign_in_step_is_accessible(page, live_server, world):
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(world["cast"]["alice"].email)
    page.locator("input[name=password]").fill(PASSWORD)
    submit_form_with(page, "login")
    assert page.url == live_server.url + "/accounts/2fa/authenticate/"
    assert_accessible(page)


def test_the_sign_in_form_with_errors_is_accessible(page, live_server, world):
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(world["cast"]["bob"].email)
    page.locator("input[name=password]").fill("not-the-password")
    submit_form_with(page, "login")
    assert page.url == live_server.url + "/accounts/login/"
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)


def test_the_invite_form_with_errors_is_accessible(page, live_server, world):
    sign_in_as(page, live_server, world, "alice")
    page.goto("/manage/people/invite/")
    reauthenticate(page, live_server, next_path="/manage/people/invite/")
    submit_form_with(page, "email")
    assert page.url == live_server.url + "/manage/people/invite/"
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "This field is required." in summary.inner_text()
    assert page.locator("#id_name_error").is_visible()
    assert page.locator("#id_email_error").is_visible()
    assert_accessible(page)


def test_the_organisation_form_with_errors_is_accessible(page, live_server, world):
    sign_in_as(page, live_server, world, "alice")
    page.goto("/manage/organisations/new/")
    page.locator("form [name=name]").fill("Uttlesford District Council")
    page.locator("form [name=org_id]").fill("GB-LAE-1")
    submit_form_with(page, "org_id")
    assert page.url == live_server.url + "/manage/organisations/new/"
    assert "GB-LAE identifiers are three or four capital letters" in page.locator("#id_org_id_error").inner_text()
    assert_accessible(page)


def test_the_not_found_page_is_accessible(page, live_server, world):
    response = page.goto("/partners/no-such-partner/")
    assert response.status == 404
    assert "not found" in page.locator("h1").inner_text().lower()
    assert_accessible(page)


def test_the_check_fails_on_a_page_with_a_serious_problem(page, live_server, world):
    """The checks above would catch a problem: an image with no text alternative is "critical"."""
    page.goto("/accessibility/")
    page.locator("main").evaluate(
        "main => main.append(Object.assign(document.createElement('img'), {src: '/static/css/diz.css'}))"
    )
    with pytest.raises(AssertionError, match=r"\[critical\] image-alt"):
        assert_accessible(page)

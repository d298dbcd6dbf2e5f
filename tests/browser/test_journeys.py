"""Keyboard use and whole journeys, in a real browser: what people actually do with the portal."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings

from tests.browser.conftest import PASSWORD, login, reauthenticate, submit_form_with, totp_code
from tests.conftest import ALICE_TOTP_SECRET

FOCUS_PROPERTIES = ["outline-style", "outline-width", "outline-color", "box-shadow", "background-color", "color"]


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName, id: el.id, text: el.textContent.trim(), href: el.getAttribute('href')};
        }"""
    )


def computed_style(locator) -> dict:
    return locator.evaluate(
        "(el, names) => Object.fromEntries(names.map(n => [n, getComputedStyle(el).getPropertyValue(n)]))",
        FOCUS_PROPERTIES,
    )


def tab_to(page, locator, limit: int = 30):
    """Press Tab until `locator` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {locator}")


# --- Keyboard --------------------------------------------------------------------------------


def test_the_first_tab_reaches_the_skip_link_and_it_moves_focus_to_the_main_content(page, live_server, db):
    page.goto("/")
    # GOV.UK Frontend's JavaScript (a module, allowed by the CSP) has run: it handles the skip link.
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    skip_link = page.locator(".govuk-skip-link")
    assert not skip_link.evaluate("el => el.getBoundingClientRect().height > 1"), "visible before it has focus"

    page.keyboard.press("Tab")
    assert focused(page) == {"tag": "A", "id": "", "text": "Skip to main content", "href": "#main-content"}
    # Hidden until focused, then shown: a keyboard user can see where they are.
    assert skip_link.evaluate("el => el.getBoundingClientRect().height > 1")

    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"
    assert page.url == f"{live_server.url}/#main-content"
    # The next Tab continues from the main content, not from the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main-content').contains(document.activeElement)")


def test_a_focused_link_looks_different(page, live_server, db):
    page.goto("/")
    link = page.locator("main a[href='/partners/']").first
    before = computed_style(link)
    tab_to(page, link)
    after = computed_style(link)
    changed = {name: (before[name], after[name]) for name in FOCUS_PROPERTIES if before[name] != after[name]}
    assert changed, f"a focused link looks the same as an unfocused one: {before}"
    # GOV.UK's focus state: a yellow background and a thick underline (a box-shadow).
    assert after["background-color"] == "rgb(255, 221, 0)"
    assert after["box-shadow"] != "none"


# --- The programme manager -------------------------------------------------------------------


def test_the_programme_manager_signs_in_with_a_code_and_adds_an_organisation(page, live_server, alice):
    page.goto("/")
    with page.expect_navigation():
        page.locator("header a[href='/accounts/login/']").click()
    assert page.url == f"{live_server.url}/accounts/login/"
    page.locator("input[name=login]").fill(alice.email)
    page.locator("input[name=password]").fill(PASSWORD)
    submit_form_with(page, "login")

    # The password alone is not enough: the second step asks for her authenticator code.
    assert page.url == f"{live_server.url}/accounts/2fa/authenticate/"
    assert page.locator("input[name=code]").is_visible()
    assert page.locator("a[href='/manage/']").count() == 0
    assert page.locator("header a[href='/accounts/login/']").count() == 1  # not signed in yet
    page.locator("input[name=code]").fill(totp_code(ALICE_TOTP_SECRET))
    submit_form_with(page, "code")
    assert page.url == f"{live_server.url}/manage/"  # her day starts from what needs attention

    with page.expect_navigation():
        page.locator("header nav a[href='/manage/']").click()
    assert page.url == f"{live_server.url}/manage/"
    with page.expect_navigation():
        page.locator("main a[href='/manage/organisations/new/']").first.click()
    assert page.url == f"{live_server.url}/manage/organisations/new/"

    typed = {
        "name": "Uttlesford District Council",
        "slug": "uttlesford-district-council",
        "org_type": "district_council",
        "county": "essex",
        "org_id": "GB-LAE-1",
        "website": "https://www.uttlesford.gov.uk",
    }
    for name, value in typed.items():
        field = page.locator(f"form [name={name}]")
        assert field.evaluate("el => el.labels.length") == 1, f"the {name} field has no label"
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    submit_form_with(page, "org_id")

    # Not saved: the error is next to the field, summarised at the top, and what she typed is kept.
    assert page.url == f"{live_server.url}/manage/organisations/new/"
    org_id = page.locator("form [name=org_id]")
    error = page.locator("#id_org_id_error")
    assert "GB-LAE identifiers are three or four capital letters" in error.inner_text()
    group = page.locator(".govuk-form-group--error")
    assert group.count() == 1
    assert group.locator("#id_org_id").count() == 1 and group.locator("#id_org_id_error").count() == 1
    assert org_id.get_attribute("aria-invalid") == "true"
    assert "id_org_id_error" in org_id.get_attribute("aria-describedby").split()
    summary_link = page.locator(".govuk-error-summary a[href='#id_org_id']")
    assert "GB-LAE identifiers" in summary_link.inner_text()
    kept = {name: page.locator(f"form [name={name}]").input_value() for name in typed}
    assert kept == typed
    # The error summary's link takes the keyboard to the field.
    summary_link.click()
    assert focused(page)["id"] == "id_org_id"

    org_id.fill("GB-LAE-UTT")
    submit_form_with(page, "org_id")
    assert page.url == f"{live_server.url}/partners/uttlesford-district-council/"
    assert (
        "Uttlesford District Council added to the directory." in page.locator(".govuk-notification-banner").inner_text()
    )
    assert "Uttlesford District Council" in page.locator("h1").inner_text()

    # Anyone can now find it in the public directory.
    visitor = page.context.browser.new_context(base_url=live_server.url)
    try:
        public = visitor.new_page()
        public.goto("/partners/")
        entry = public.get_by_role("link", name="Uttlesford District Council")
        assert entry.count() == 1
        assert entry.get_attribute("href") == "/partners/uttlesford-district-council/"
        public.goto("/partners/?sector=local_government")
        assert public.get_by_role("link", name="Uttlesford District Council").count() == 1
    finally:
        visitor.close()


# --- Other people ----------------------------------------------------------------------------


def test_a_partner_officer_cannot_reach_the_management_pages(page, live_server, bob):
    login(page, live_server, bob.email, PASSWORD)
    assert page.locator("a[href='/manage/']").count() == 0
    for path in ["/manage/", "/manage/organisations/new/", "/manage/people/invite/"]:
        response = page.goto(path)
        assert response.status == 404, f"{path} answered {response.status} for a partner officer"
        assert page.url == live_server.url + path  # not sent to sign in, nor asked for a password
        assert "not found" in page.locator("h1").inner_text().lower()
        assert "Manage the partnership" not in page.content()


def test_a_board_member_sees_her_board_membership_on_her_dashboard(page, live_server, carol, board):
    login(page, live_server, carol.email, PASSWORD)
    assert page.url == f"{live_server.url}/dashboard/"
    assert "Welcome, Carol" in page.locator("h1").inner_text()
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1
    cells = rows.first.locator("td").all_inner_texts()
    assert cells[:3] == ["Board", "Member", "Broxbourne Borough Council"]
    assert rows.first.get_by_role("link", name="Board").get_attribute("href") == "/governance/board/"
    assert "You do not sit on any" not in page.content()


# --- Invitations -----------------------------------------------------------------------------


@pytest.fixture
def tasks_run_inline(settings):
    """Celery tasks run in the process that sends them. Without REDIS_URL they already do; with it
    (CI) they would go to a broker that no worker here reads, and the invitation email would never
    be sent."""
    from diz_portal.celery import app

    was = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    overridden = not app.conf.task_always_eager  # the app reads Django's settings lazily; if not:
    if overridden:
        app.conf.task_always_eager = True
    assert app.conf.task_always_eager
    yield
    if overridden:
        app.conf.task_always_eager = was


def test_an_invited_person_sets_a_password_from_the_email_and_signs_in(
    page, live_server, alice, harlow, mailoutbox, tasks_run_inline
):
    login(page, live_server, alice.email, PASSWORD, totp_secret=ALICE_TOTP_SECRET)
    page.goto("/manage/")
    with page.expect_navigation():
        page.locator("main a[href='/manage/people/']").click()
    with page.expect_navigation():
        page.locator("main a[href='/manage/people/invite/']").first.click()
    # Inviting someone is sensitive: allauth asks for her password again first.
    assert "/accounts/reauthenticate/" in page.url
    reauthenticate(page, live_server, next_path="/manage/people/invite/")

    page.locator("form [name=name]").fill("Erin Ellis")
    page.locator("form [name=email]").fill("Erin@Example.org")
    page.locator("form [name=job_title]").fill("Digital lead")
    page.locator("form [name=organisation]").select_option(label="Harlow District Council")
    submit_form_with(page, "email")
    assert page.url == f"{live_server.url}/manage/people/"
    assert "Invitation sent to erin@example.org." in page.locator(".govuk-notification-banner").inner_text()
    erin_row = page.locator("tbody tr", has_text="Erin Ellis")
    assert "Invited" in erin_row.inner_text()

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["erin@example.org"]
    links = re.findall(r"https?://\S+/accounts/invitation/\d+/\S+/", email.body)
    assert len(links) == 1, email.body
    link = links[0]
    assert link.startswith(django_settings.SITE_URL)
    # The email points at the configured site; this test's server has another address.
    path = urlsplit(link).path

    erin = page.context.browser.new_context(base_url=live_server.url)
    try:
        invited = erin.new_page()
        invited.goto(path)
        assert "erin@example.org" in invited.locator("main").inner_text()
        invited.locator("form [name=password1]").fill("correct-horse-battery-staple")
        invited.locator("form [name=password2]").fill("correct-horse-battery-staple")
        submit_form_with(invited, "password1")
        # Signing in is allauth's (with its second factor and limits): the link only sets the password.
        assert invited.url == f"{live_server.url}/accounts/login/"
        assert "Your password is set." in invited.locator(".govuk-notification-banner").inner_text()
        invited.locator("form [name=login]").fill("erin@example.org")
        invited.locator("form [name=password]").fill("correct-horse-battery-staple")
        submit_form_with(invited, "password")
        assert invited.url == f"{live_server.url}/dashboard/"
        assert "Welcome, Erin" in invited.locator("h1").inner_text()
        assert invited.locator("header a[href='/accounts/logout/']").count() == 1
        # The link has done its job: it does not work a second time.
        response = invited.goto(path)
        assert response.status == 404
        assert "This invitation link does not work" in invited.locator("h1").inner_text()
    finally:
        erin.close()

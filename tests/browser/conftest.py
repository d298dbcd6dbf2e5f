"""Browser tests: headless Chromium (Playwright, sync API) against pytest-django's live server.

The live server runs in a thread of this process, on a database whose transactions are committed
(`live_server` brings `transactional_db`), so what the tests create is what the browser sees, and
`mail.outbox` (locmem backend) collects what the server sends.

Every test here is marked `browser`. Chromium is Debian's (`scripts/ensure-system-deps.sh`), never
a Playwright download: without it these tests skip, which CI (DIZ_REQUIRE_SERVICES) turns into
failures.
"""

import os
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # No network here: without these Chromium keeps trying to reach Google's services.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "a-long-test-password"  # tests.factories.UserFactory's
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for every test in this folder, closed after the last of them.

    Playwright's sync API keeps an asyncio loop marked as running in this thread for as long as it
    is started, and Django refuses database work from inside one unless DJANGO_ALLOW_ASYNC_UNSAFE
    is set. The tests here are plain synchronous code that only *looks* async to Django, so the flag
    is set while the browser is up, and both end with this folder: tests elsewhere run as before."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}: run scripts/ensure-system-deps.sh")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _browser_settings(settings):
    """What the live server needs to serve pages to a browser in tests.

    - Static files by their plain names (/static/css/diz.css), served from the finders by the live
      server's static handler: the manifest storage needs `collectstatic` first, which tests do not run.
    - A cache of our own, emptied for every test: allauth keeps its rate limits (30 sign-ins a
      minute from one address) and the TOTP codes already used there, and this suite signs in
      many times a minute, the same people with the same codes.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "diz-browser-tests"}
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def context(browser, live_server):
    ctx = browser.new_context(base_url=live_server.url)
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


def totp_code(secret: str, period: int = 30, margin: float = 3.0) -> str:
    """The authenticator app's current code. allauth accepts only the current 30-second window, so
    a code read in the window's last seconds could be stale by the time the server checks it: wait
    for the next window then, as a person would for a fresh code."""
    into_window = time.time() % period
    if into_window > period - margin:
        time.sleep(period - into_window + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def submit_form_with(page, field_name: str):
    """Press the (first) submit button of the form holding the field `field_name`, and wait for the
    page it leads to. Found by field rather than by wording, which the templates may change."""
    form = page.locator("form", has=page.locator(f"[name={field_name}]"))
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").first.click()
    return navigation.value


def login(page, live_server, email: str, password: str = PASSWORD, totp_secret: str | None = None):
    """Sign in through the real allauth pages: the email and password form, then (for someone with
    an authenticator app) the code. Ends on the page allauth sends them to: their dashboard, or,
    for the programme manager who gave her code, what needs attention (/manage/)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    submit_form_with(page, "login")
    if totp_secret:
        assert page.url == f"{live_server.url}/accounts/2fa/authenticate/", (
            f"expected the second step after the password, got {page.url}"
        )
        page.locator("input[name=code]").fill(totp_code(totp_secret))
        submit_form_with(page, "code")
    if page.url not in (f"{live_server.url}/dashboard/", f"{live_server.url}/manage/"):
        problem = page.locator(".govuk-error-summary, .govuk-error-message").all_inner_texts()
        raise AssertionError(f"sign-in as {email} did not finish: on {page.url}, {problem}")
    return page


def reauthenticate(page, live_server, password: str = PASSWORD, *, next_path: str):
    """Answer allauth's "confirm it is you" prompt, which sensitive pages (inviting someone,
    archiving a partner) show even straight after signing in. Ends on the page asked for."""
    prompt = f"{live_server.url}/accounts/reauthenticate/?{urlencode({'next': next_path})}"
    assert page.url == prompt, f"expected the re-authentication prompt for {next_path}, got {page.url}"
    page.locator("input[name=password]").fill(password)
    response = submit_form_with(page, "password")
    assert page.url == live_server.url + next_path, f"re-authenticating did not lead back to {next_path}: {page.url}"
    return response

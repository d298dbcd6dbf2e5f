"""Print a signed-in session for a person, for the benchmark to load pages as them (`make bench`).

Prints one line, `<cookie name>=<session key>`, ready for a `Cookie:` header.

Without `--password`, the session is made the way django.contrib.auth.login() makes one, without a
request: no password, no second factor. That is enough for members; a programme manager's powers
need a second factor used in the session, so for them pass `--password` and `--totp-secret`: the
command then signs in through allauth's own pages (password, then the authenticator's code), as a
person does. Only for benchmark and throwaway databases.
"""

import time
from importlib import import_module

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.urls import reverse

from partners.models import User
from partners.permissions import holds_manager_role

BACKEND = "partners.backends.ModelBackend"


def sign_in_through_pages(user: User, password: str, totp_secret: str | None) -> str:
    """Sign in as a person does; return the session key. A code already used (allauth accepts
    each once) is answered by waiting for the next one."""
    host = (settings.ALLOWED_HOSTS or ["127.0.0.1"])[0].lstrip(".") or "127.0.0.1"
    client = Client(HTTP_HOST=host, secure=True)
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    if response.status_code != 302:
        raise CommandError(f"Signing in as {user.email} failed: wrong password?")
    if response["Location"] == reverse("mfa_authenticate"):
        if not totp_secret:
            raise CommandError(f"{user.email} has an authenticator: pass --totp-secret.")
        for _ in range(3):
            code = format_hotp_value(hotp_value(totp_secret, int(time.time()) // 30))
            response = client.post(reverse("mfa_authenticate"), {"code": code})
            if response.status_code == 302:
                break
            time.sleep(30 - time.time() % 30 + 0.5)
        else:
            raise CommandError(f"The code for {user.email} was refused: wrong --totp-secret?")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def session_without_request(user: User) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(settings.SESSION_COOKIE_AGE)
    store.create()
    return store.session_key


class Command(BaseCommand):
    help = "Print a session cookie (name=key) signed in as the person with this email. For benchmarks only."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--key-only", action="store_true", help="Print the session key alone.")
        parser.add_argument("--password", help="Sign in through the sign-in pages with this password.")
        parser.add_argument("--totp-secret", help="The person's authenticator secret, for the code.")

    def handle(self, *args, email: str, key_only: bool, password=None, totp_secret=None, **options):
        try:
            user = User.objects.get(email__iexact=email.strip())
        except User.DoesNotExist:
            raise CommandError(f"Nobody has the email {email}.") from None
        if not user.is_active:
            raise CommandError(f"{email} is not active: a session for them would not sign them in.")
        if password:
            key = sign_in_through_pages(user, password, totp_secret)
        elif holds_manager_role(user):
            raise CommandError(
                f"{email} is a programme manager: their session needs the second factor. "
                "Pass --password and --totp-secret."
            )
        else:
            key = session_without_request(user)
        self.stdout.write(key if key_only else f"{settings.SESSION_COOKIE_NAME}={key}")

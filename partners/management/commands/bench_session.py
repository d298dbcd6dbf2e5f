"""Print a signed-in session for a person, for the benchmark to load pages as them (`make bench`).

Prints one line, `<cookie name>=<session key>`, ready for a `Cookie:` header. The session is made
the way django.contrib.auth.login() makes one, without a request: no password, no second factor.
Only for benchmark and throwaway databases.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand, CommandError

from partners.models import User

BACKEND = "django.contrib.auth.backends.ModelBackend"


class Command(BaseCommand):
    help = "Print a session cookie (name=key) signed in as the person with this email. For benchmarks only."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--key-only", action="store_true", help="Print the session key alone.")

    def handle(self, *args, email: str, key_only: bool, **options):
        try:
            user = User.objects.get(email__iexact=email.strip())
        except User.DoesNotExist:
            raise CommandError(f"Nobody has the email {email}.") from None
        if not user.is_active:
            raise CommandError(f"{email} is not active: a session for them would not sign them in.")
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = user._meta.pk.value_to_string(user)
        store[BACKEND_SESSION_KEY] = BACKEND
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.set_expiry(settings.SESSION_COOKIE_AGE)
        store.create()
        self.stdout.write(store.session_key if key_only else f"{settings.SESSION_COOKIE_NAME}={store.session_key}")

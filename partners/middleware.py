from django.contrib.auth.middleware import get_user
from django.utils.functional import SimpleLazyObject

from partners.permissions import bind_session, needs_second_factor, second_factor_prompt, second_factor_verified


class RequireSecondFactorMiddleware:
    """Tells the signed-in user object whether this session used the second factor (the rule that
    uses it is `partners.permissions.is_programme_manager`), and keeps the programme manager and
    staff out of the management pages and the Django admin until it has. Everything else (their
    own pages, sign-out, the MFA pages themselves) stays open so they can set up or use it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._prefixes = None

    def protected_prefixes(self):
        if self._prefixes is None:
            from django.urls import reverse

            self._prefixes = (reverse("manage:index"), reverse("admin:index"))
        return self._prefixes

    def __call__(self, request):
        request.user = SimpleLazyObject(lambda: bind_session(request, get_user(request)))
        if request.path.startswith(self.protected_prefixes()):
            user = request.user
            if needs_second_factor(user) and not second_factor_verified(user):
                return second_factor_prompt(request)
        return self.get_response(request)

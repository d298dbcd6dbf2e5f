from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from partners.permissions import has_second_factor, needs_second_factor


class RequireSecondFactorMiddleware:
    """The programme manager and staff reach no management page, nor the Django admin, until they
    have set up an authenticator app. Everything else (their own pages, sign-out, the MFA set-up
    pages themselves) stays open so they can do so."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._prefixes = None

    def protected_prefixes(self):
        if self._prefixes is None:
            self._prefixes = (reverse("manage:index"), reverse("admin:index"))
        return self._prefixes

    def __call__(self, request):
        if request.path.startswith(self.protected_prefixes()):
            user = request.user
            if needs_second_factor(user) and not has_second_factor(user):
                messages.warning(
                    request,
                    "Set up an authenticator app before you manage the partnership: management pages "
                    "need a second factor.",
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Public sign-up is closed: the programme manager invites people (partners.services)."""

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        """The programme manager starts the day from what needs attention (/manage/), once the
        sign-in used the second factor; everyone else from their own dashboard."""
        from partners.permissions import holds_manager_role, second_factor_used_in_session

        user = request.user
        if holds_manager_role(user) and second_factor_used_in_session(request, user):
            return reverse("manage:index")
        return super().get_login_redirect_url(request)

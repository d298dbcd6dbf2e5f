from allauth.account.adapter import DefaultAccountAdapter


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Public sign-up is closed: the programme manager invites people (partners.services)."""

    def is_open_for_signup(self, request):
        return False

"""Authentication backends that load the signed-in person with their organisation: whether they
are a partner depends on it (partners.permissions.is_partner_officer), on nearly every page."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


class WithOrganisation:
    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("organisation").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(WithOrganisation, DjangoModelBackend):
    pass


class AuthenticationBackend(WithOrganisation, AllauthBackend):
    pass

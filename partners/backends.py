"""Authentication backends that load the signed-in person with what nearly every page asks about
them: their organisation (whether they are a partner: partners.permissions.is_partner_officer),
whether they hold the programme manager's role, and the bodies they sit on today.

All of it is read on every signed-in request, so it is kept in the cache as one entry (one round
trip instead of a query and two cache reads) until the person, their organisation, a seat, a group
or a permission changes: the `partners` topic, and the person's own topic, which every save of
the person replaces (a new password too, so a session its change ended is not revived by a copy
of the old account in the cache). When the cache is unreachable the person is loaded from the
database, as before."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.utils import timezone


def person_topic(user_id) -> str:
    return f"person-{user_id}"


def load_viewer(user_id):
    """The person with id `user_id` (None if there is none), as `WithOrganisation.get_user` gives it."""
    from diz_portal.caching import cached_value

    today = timezone.localdate()
    return cached_value(
        ("viewer", str(user_id), today), ["partners", person_topic(user_id)], lambda: _load(user_id, today)
    )


def _load(user_id, today):
    from partners.models import Membership
    from partners.permissions import has_manage_permission

    user = get_user_model()._default_manager.select_related("organisation").filter(pk=user_id).first()
    if user is None:
        return None
    # What partners.permissions.holds_manager_role and meetings.permissions.member_body_ids would
    # ask, answered now so that they need not ask (they read these attributes first).
    user._diz_holds_pm_role = user.is_superuser or has_manage_permission(user)
    user._diz_member_body_ids = set(Membership.objects.held_by(user, today).values_list("body_id", flat=True))
    return user


class WithOrganisation:
    def get_user(self, user_id):
        user = load_viewer(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(WithOrganisation, DjangoModelBackend):
    pass


class AuthenticationBackend(WithOrganisation, AllauthBackend):
    pass

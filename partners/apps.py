from django.apps import AppConfig
from django.db.models.signals import post_migrate

PROJECT_APPS = ["partners", "meetings", "strategy", "funding", "news"]


def ensure_programme_manager_group(sender, using="default", **kwargs):
    """The programme manager role is a group holding the management permission; it must exist on
    every database, so it is made after each migrate (once the permission itself exists)."""
    from django.contrib.auth.models import Group, Permission

    from partners.permissions import PROGRAMME_MANAGER_GROUP

    permissions = Permission.objects.using(using).filter(content_type__app_label__in=PROJECT_APPS)
    if not permissions.filter(codename="manage_partnership").exists():
        return
    group, _ = Group.objects.using(using).get_or_create(name=PROGRAMME_MANAGER_GROUP)
    # Every permission on the project's own records, so the Django admin works for them too.
    group.permissions.add(*permissions)


def count_enrolment_as_use(sender, request, user, authenticator, **kwargs):
    """Setting up an authenticator app means entering a code from it: this session has used the
    second factor (allauth records sign-in and re-authentication codes, not the enrolment one)."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator

    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, enrolled=True)


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners and people"

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        # After every app's migration, not only this one's: the other apps' permissions are made by
        # their own post_migrate, after this app's; the group must hold them on the first migrate.
        post_migrate.connect(ensure_programme_manager_group, dispatch_uid="partners.programme_manager_group")
        authenticator_added.connect(count_enrolment_as_use, dispatch_uid="partners.count_enrolment_as_use")

        from diz_portal.caching import read_on_every_request, watch

        # Every page's header and footer name the partnership (Partnership.current).
        read_on_every_request("partnership", ["partners"])

        # What the partner pages show; a person's sign-in bookkeeping changes nothing shown.
        for name in ("Organisation", "GoverningBody", "Membership", "Partnership"):
            watch(self.get_model(name), ["partners"])
        watch(self.get_model("User"), ["partners"], ignore_fields={"last_login", "password"})
        # The signed-in person is kept in the cache (partners.backends): any save of them, a new
        # password included, replaces their own copy.
        from partners.backends import person_topic

        watch(self.get_model("User"), lambda user: [person_topic(user.pk)], name="person")
        # Roles come from groups and permissions (kept in the cache with the person's seats).
        from django.contrib.auth.models import Group

        from diz_portal.caching import watch_m2m

        User = self.get_model("User")
        for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
            watch_m2m(through, ["partners"])

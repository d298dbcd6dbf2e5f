from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from partners.models import GoverningBody, Membership, Organisation, OrganisationType, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partner Organisation {n}")
    slug = factory.Sequence(lambda n: f"partner-organisation-{n}")
    org_type = OrganisationType.DISTRICT_COUNCIL
    county = "essex"
    org_id = factory.Sequence(lambda n: f"GB-COH-{n:08d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-password")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            # People arrive by invitation, whose link confirms their address.
            EmailAddress.objects.get_or_create(user=obj, email=obj.email, defaults={"verified": True, "primary": True})


class GoverningBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoverningBody

    name = factory.Sequence(lambda n: f"Body {n}")
    slug = factory.Sequence(lambda n: f"body-{n}")
    code = factory.Sequence(lambda n: f"B{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    body = factory.SubFactory(GoverningBodyFactory)
    person = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda m: m.person.organisation)
    role = "member"
    started_on = factory.LazyFunction(lambda: timezone.localdate().replace(year=timezone.localdate().year - 1))


class SeminarFactory(factory.django.DjangoModelFactory):
    """A seminar the public can read (published yesterday); pass status="draft" for a draft."""

    class Meta:
        model = "meetings.Seminar"

    title = factory.Sequence(lambda n: f"Seminar {n}")
    slug = factory.Sequence(lambda n: f"seminar-{n}")
    held_on = factory.LazyFunction(timezone.localdate)
    venue = "Harlow College"
    status = "published"
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))

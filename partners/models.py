"""Partner organisations, the people who work for them, the governing bodies they sit on and the
seats they hold. Rules about one row live here; use-cases that touch several live in services.py."""

from __future__ import annotations

import re
import secrets
from datetime import date

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from simple_history.models import HistoricalRecords

# --- People ----------------------------------------------------------------------------------


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Email is the login; one `name` field, as people write their own names."""

    email = models.EmailField("email address", unique=True)
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        "partners.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        help_text="The partner organisation this person works for, if any.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can sign in to the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    # Who changed a person's record and how (the admin, the invitation flow); not their password
    # hash, nor each sign-in's time.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def save(self, *args, **kwargs):
        password_set = self._password is not None and self.has_usable_password()
        if set(kwargs.get("update_fields") or ()) == {"last_login"}:
            self.skip_history_when_saving = True  # a sign-in, not a change to the person
        try:
            super().save(*args, **kwargs)
        finally:
            self.__dict__.pop("skip_history_when_saving", None)
        if password_set:
            # Whatever route set it (invitation, password reset, the admin, a command), an open
            # invitation has nothing left to do and must not work as a second way in.
            self.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(revoked_at=timezone.now())

    @property
    def is_programme_manager(self) -> bool:
        from partners.permissions import is_programme_manager

        return is_programme_manager(self)


# --- Organisations ---------------------------------------------------------------------------


class Sector(models.TextChoices):
    LOCAL_GOVERNMENT = "local_government", "Local government"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    PRIVATE = "private", "Private sector"
    CENTRAL_GOVERNMENT = "central_government", "Central government"


class OrganisationType(models.TextChoices):
    DISTRICT_COUNCIL = "district_council", "District or borough council"
    COUNTY_COUNCIL = "county_council", "County council"
    NHS_COMMISSIONER = "nhs_commissioner", "NHS commissioner"
    ACUTE_TRUST = "acute_trust", "Acute hospital trust"
    COMMUNITY_HEALTH = "community_health", "Community health provider"
    FE_COLLEGE = "fe_college", "Further education college"
    UNIVERSITY = "university", "University"
    VCS_BODY = "vcs_body", "Voluntary and community sector body"
    BUSINESS = "business", "Business"
    CONSULTANCY = "consultancy", "Consultancy"
    LOCAL_PARTNERSHIP = "local_partnership", "Local strategic partnership"
    CENTRAL_GOVERNMENT_OBSERVER = "central_government_observer", "Central government observer"


SECTOR_OF_TYPE = {
    OrganisationType.DISTRICT_COUNCIL: Sector.LOCAL_GOVERNMENT,
    OrganisationType.COUNTY_COUNCIL: Sector.LOCAL_GOVERNMENT,
    OrganisationType.LOCAL_PARTNERSHIP: Sector.LOCAL_GOVERNMENT,
    OrganisationType.NHS_COMMISSIONER: Sector.HEALTH,
    OrganisationType.ACUTE_TRUST: Sector.HEALTH,
    OrganisationType.COMMUNITY_HEALTH: Sector.HEALTH,
    OrganisationType.FE_COLLEGE: Sector.EDUCATION,
    OrganisationType.UNIVERSITY: Sector.EDUCATION,
    OrganisationType.VCS_BODY: Sector.VOLUNTARY,
    OrganisationType.BUSINESS: Sector.PRIVATE,
    OrganisationType.CONSULTANCY: Sector.PRIVATE,
    OrganisationType.CENTRAL_GOVERNMENT_OBSERVER: Sector.CENTRAL_GOVERNMENT,
}


class County(models.TextChoices):
    ESSEX = "essex", "Essex"
    HERTFORDSHIRE = "hertfordshire", "Hertfordshire"
    CAMBRIDGESHIRE = "cambridgeshire", "Cambridgeshire"
    LONDON = "london", "Greater London"
    NATIONAL = "national", "National"
    OTHER = "other", "Elsewhere"


class MembershipStatus(models.TextChoices):
    PROSPECTIVE = "prospective", "Prospective partner"
    ACTIVE = "active", "Active partner"
    FORMER = "former", "Former partner"


# org-id.guide identifiers: each list's prefix with the shape of the identifiers it issues.
ORG_ID_FORMATS: dict[str, tuple[str, str]] = {
    "GB-LAE": (r"[A-Z]{3,4}", "three or four capital letters, e.g. GB-LAE-EPP"),
    "GB-NHS": (r"[A-Z0-9]{3,5}", "an ODS code of three to five letters or digits, e.g. GB-NHS-07H"),
    "GB-COH": (r"(?:[0-9]{8}|[A-Z]{2}[0-9]{6})", "an eight-character company number, e.g. GB-COH-01234567"),
    "GB-CHC": (r"[0-9]{6,7}", "a charity number of six or seven digits, e.g. GB-CHC-1234567"),
    "GB-EDU": (r"[0-9]{6}", "a six-digit school or college URN, e.g. GB-EDU-130675"),
    "GB-UKPRN": (r"1[0-9]{7}", "an eight-digit UK provider reference number, e.g. GB-UKPRN-10007814"),
    "GB-GOR": (r"[A-Z]{1,3}[0-9]{1,4}", "a government organisation register code, e.g. GB-GOR-D5"),
}


def validate_org_id(value: str) -> None:
    # Every prefix here is a country code and a list name: split on the second dash.
    parts = value.split("-", 2)
    prefix, local = (f"{parts[0]}-{parts[1]}", parts[2]) if len(parts) == 3 else ("", value)
    known = ", ".join(ORG_ID_FORMATS)
    if prefix not in ORG_ID_FORMATS:
        raise ValidationError(
            "Enter an org-id identifier that starts with a known list prefix (%(known)s).",
            code="org_id_prefix",
            params={"known": known},
        )
    pattern, example = ORG_ID_FORMATS[prefix]
    if not re.fullmatch(pattern, local):
        raise ValidationError(
            "%(prefix)s identifiers are %(example)s.",
            code="org_id_format",
            params={"prefix": prefix, "example": example},
        )


class OrganisationQuerySet(models.QuerySet):
    def listed(self):
        """Organisations the public directory shows: not archived, not yet-to-join."""
        return self.filter(is_archived=False).exclude(membership_status=MembershipStatus.PROSPECTIVE)

    def for_directory(self, *, sector: str = "", county: str = ""):
        qs = self.listed()
        if sector:
            qs = qs.filter(sector=sector)
        if county:
            qs = qs.filter(county=county)
        return qs.order_by("name")


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    org_type = models.CharField("type", max_length=40, choices=OrganisationType.choices)
    # Derived from the type on save, stored so the directory can filter and index on it.
    sector = models.CharField(max_length=40, choices=Sector.choices, editable=False, db_index=True)
    county = models.CharField(max_length=20, choices=County.choices, blank=True, db_index=True)
    org_id = models.CharField(
        "org-id identifier",
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_org_id],
        help_text="From org-id.guide, for example GB-LAE-EPP, GB-NHS-RQW or GB-COH-01234567.",
    )
    is_legal_entity = models.BooleanField(
        "legal entity",
        default=True,
        help_text="Only a legal entity can act as accountable body for a funding bid.",
    )
    website = models.URLField(blank=True)
    membership_status = models.CharField(
        max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    population = models.PositiveIntegerField(null=True, blank=True, help_text="Residents, for places.")
    businesses = models.PositiveIntegerField(null=True, blank=True, help_text="Businesses, for places.")
    is_archived = models.BooleanField(default=False)
    archived_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [("manage_partnership", "Can manage the partnership (programme manager)")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.sector = SECTOR_OF_TYPE.get(self.org_type, "")
        if self.org_id == "":
            self.org_id = None
        if kwargs.get("update_fields") is not None and "org_type" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sector"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("partners:organisation", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def clean(self):
        super().clean()
        if self.org_id:
            self.org_id = self.org_id.strip().upper()
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": "The date the partner left must be on or after the date it joined."})
        if self.membership_status == MembershipStatus.FORMER and not self.left_on:
            raise ValidationError({"left_on": "Enter the date a former partner left."})
        if self.membership_status != MembershipStatus.FORMER and self.left_on:
            raise ValidationError({"left_on": "Only a former partner has a leaving date."})


# --- Governing bodies and seats --------------------------------------------------------------


class GoverningBody(models.Model):
    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        BIMONTHLY = "bimonthly", "Every two months"
        QUARTERLY = "quarterly", "Quarterly"
        AS_NEEDED = "as_needed", "As needed"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    code = models.CharField(
        max_length=8, unique=True, help_text="Short code used in decision references, e.g. BRD or SG."
    )
    purpose = models.TextField(blank=True)
    meeting_frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY)
    quorum_count = models.PositiveSmallIntegerField(
        default=3, help_text="The fewest members (or their deputies) present for the meeting to be quorate."
    )
    quorum_sectors = models.JSONField(
        default=list,
        blank=True,
        help_text="Sectors that must each have at least one member present, e.g. local government and health.",
    )
    terms_of_reference = models.TextField(blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name_plural = "governing bodies"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partners:body", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        unknown = [s for s in self.quorum_sectors or [] if s not in Sector.values]
        if unknown:
            raise ValidationError({"quorum_sectors": f"Unknown sectors: {', '.join(unknown)}."})

    @property
    def quorum_rule(self) -> str:
        rule = f"at least {self.quorum_count} members present"
        if self.quorum_sectors:
            labels = [Sector(s).label.lower() for s in self.quorum_sectors]
            rule += ", including at least one from each of: " + ", ".join(labels)
        return rule[0].upper() + rule[1:]


class Role(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"
    MEMBER = "member", "Member"
    OBSERVER = "observer", "Observer"
    SECRETARIAT = "secretariat", "Secretariat"


ROLE_ORDER = {Role.CHAIR: 0, Role.VICE_CHAIR: 1, Role.MEMBER: 2, Role.OBSERVER: 3, Role.SECRETARIAT: 4}


class MembershipQuerySet(models.QuerySet):
    def current(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.filter(started_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))

    def held_by(self, user, on: date | None = None):
        """The seats `user` holds on the day, in person or as the member's deputy."""
        return self.current(on).filter(Q(person=user) | Q(deputy=user))

    def with_people(self):
        return self.select_related("person", "organisation", "deputy", "body")

    def ordered_by_role(self):
        role_rank = models.Case(
            *[models.When(role=role, then=models.Value(rank)) for role, rank in ROLE_ORDER.items()],
            output_field=models.IntegerField(),
        )
        return self.annotate(role_rank=role_rank).order_by("role_rank", "organisation__name", "person__name")


class Membership(models.Model):
    """A seat on a governing body. The seat belongs to the organisation; when its representative
    changes, the old membership is ended and a new one starts, so the history stays."""

    body = models.ForeignKey(GoverningBody, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    role_note = models.CharField(
        max_length=60, blank=True, help_text="Shown after the role, e.g. Herts for 'Vice-chair (Herts)'."
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputising_for",
        help_text="Who attends in this member's place when they cannot.",
    )
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["body", "started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["body"], condition=Q(role="chair", ended_on__isnull=True), name="one_open_chair_per_body"
            ),
            models.UniqueConstraint(
                fields=["body", "person"], condition=Q(ended_on__isnull=True), name="one_open_seat_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.role_label}, {self.body}"

    @property
    def role_label(self) -> str:
        label = self.get_role_display()
        return f"{label} ({self.role_note})" if self.role_note else label

    def is_current(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.started_on <= on and (self.ended_on is None or self.ended_on >= on)

    def validate_constraints(self, exclude=None):
        # clean() checks the same rules as the constraints, date ranges included, and puts its
        # message beside the field; the database constraints stay as the backstop for races.
        return None

    def _overlapping(self, qs):
        if self.pk:
            qs = qs.exclude(pk=self.pk)
        qs = qs.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=self.started_on))
        if self.ended_on:
            qs = qs.filter(started_on__lte=self.ended_on)
        return qs

    def clean(self):
        super().clean()
        errors = {}
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = "A membership cannot end before it starts."
        if self.deputy_id and self.deputy_id == self.person_id:
            errors["deputy"] = "A member cannot be their own deputy."
        if not errors and self.body_id and self.started_on:
            same_body = Membership.objects.filter(body_id=self.body_id)
            if self.role == Role.CHAIR and self._overlapping(same_body.filter(role=Role.CHAIR)).exists():
                errors["role"] = "This body already has a chair for these dates. End that membership first."
            if self.person_id and self._overlapping(same_body.filter(person_id=self.person_id)).exists():
                errors["person"] = "This person already has a seat on this body for these dates."
        if errors:
            raise ValidationError(errors)


# --- Invitations -----------------------------------------------------------------------------


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An invitation to set a password. The link's token is an HMAC of the invitation and a stored
    nonce, so the email task can rebuild the link from the database (no secret travels through the
    broker) and a revoked or accepted invitation's link stops working."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    nonce = models.CharField(max_length=64, default=new_nonce)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.user.email}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def token(self) -> str:
        return salted_hmac("partners.invitation", f"{self.pk}:{self.nonce}", algorithm="sha256").hexdigest()

    def token_matches(self, token: str) -> bool:
        return constant_time_compare(self.token, token)

    def get_accept_url(self) -> str:
        return reverse("partners:accept_invitation", kwargs={"pk": self.pk, "token": self.token})


# --- The partnership itself ------------------------------------------------------------------


class Partnership(models.Model):
    """The partnership the portal serves: its name, vision and public words are data, so another
    partnership can run the portal by loading its own."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40)
    strapline = models.CharField(max_length=300, blank=True)
    vision = models.TextField(blank=True)
    introduction = models.TextField(blank=True)
    key_questions = models.JSONField(default=list, blank=True)
    aims = models.JSONField(default=list, blank=True)
    governance = models.TextField(blank=True)
    contact_email = models.EmailField(blank=True)
    is_legal_entity = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "partnership"

    def __str__(self):
        return self.name

    @classmethod
    def current(cls) -> Partnership:
        """The partnership (read on every page, so kept in the cache until a partner record changes)."""
        from diz_portal.caching import cached_value

        return cached_value("partnership", ["partners"], cls._load)

    @classmethod
    def _load(cls) -> Partnership:
        partnership = cls.objects.order_by("pk").first()
        return partnership or cls(name="Partnership portal", short_name="Portal")

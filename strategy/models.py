"""The partnership's strategy, its versions and their endorsement by every partner.

A strategy has versions (1.0, 1.1, …) that move draft → consultation → final → superseded; the
current version is the latest final one. Each partner endorses one version through its own decision
route (an `Endorsement` row per organisation and version). A material final version asks every
partner to endorse again: a new row is opened for it, and the old one still says what was endorsed.

Who may see what: final (and superseded) versions and the endorsements recorded against them are
public; drafts, consultation versions and amendment requests are for signed-in partners (drafts for
the programme manager only). `strategy.permissions` applies it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partners.models import Organisation

LABEL_PATTERN = re.compile(r"\d{1,3}\.\d{1,3}")


def label_key(label: str) -> tuple[int, ...]:
    """ "1.10" comes after "1.9": labels sort by their numbers, not their characters."""
    return tuple(int(part) for part in label.split(".")) if LABEL_PATTERN.fullmatch(label or "") else (0,)


class Strategy(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.TextField(blank=True)
    # When the last partner endorsed the current version and the launch was proposed to the
    # programme manager (once per version: see services.record_endorsement).
    all_endorsed_version = models.ForeignKey(
        "StrategyVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    all_endorsed_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "strategies"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("strategy:index")

    @classmethod
    def current(cls) -> Strategy | None:
        """The partnership's strategy (the portal serves one partnership, with one strategy)."""
        return cls.objects.order_by("pk").first()


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONSULTATION = "consultation", "Consultation"
    FINAL = "final", "Final"
    SUPERSEDED = "superseded", "Superseded"


PUBLIC_VERSION_STATUSES = {VersionStatus.FINAL, VersionStatus.SUPERSEDED}
ENDORSABLE_VERSION_STATUSES = {VersionStatus.CONSULTATION, VersionStatus.FINAL}


def version_upload_to(version, filename):
    return f"strategy/versions/{version.strategy_id}/{filename}"


class StrategyVersionQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLIC_VERSION_STATUSES)

    def final(self):
        return self.filter(status=VersionStatus.FINAL)


class StrategyVersion(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="versions")
    label = models.CharField(max_length=10, help_text="For example 1.0 or 1.1.")
    status = models.CharField(max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    document = models.FileField(upload_to=version_upload_to, blank=True, max_length=300)
    summary_of_changes = models.TextField(blank=True)
    is_material = models.BooleanField(
        "material change",
        default=False,
        help_text="A material change asks every partner to endorse the strategy again once it is final.",
    )
    aims = models.JSONField(
        default=list, blank=True, help_text="Which of the partnership's aims this version serves (their numbers)."
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    finalised_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = StrategyVersionQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "label"], name="one_label_per_strategy"),
            models.UniqueConstraint(
                fields=["strategy"], condition=models.Q(status="final"), name="one_final_version_per_strategy"
            ),
        ]

    def __str__(self):
        return f"{self.strategy} {self.label}"

    def get_absolute_url(self):
        return reverse("strategy:version", kwargs={"label": self.label})

    def clean(self):
        super().clean()
        if self.label and not LABEL_PATTERN.fullmatch(self.label):
            raise ValidationError({"label": "Enter a label of two numbers with a dot between them, like 1.0 or 1.1."})

    @property
    def sort_key(self) -> tuple[int, ...]:
        return label_key(self.label)

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_VERSION_STATUSES

    @property
    def can_be_endorsed(self) -> bool:
        return self.status in ENDORSABLE_VERSION_STATUSES

    @property
    def is_editable(self) -> bool:
        """Text and document change only before a version is final: a final version is what
        partners endorsed, so it stays as it was."""
        return self.status in {VersionStatus.DRAFT, VersionStatus.CONSULTATION}


class Section(models.Model):
    """A section of a version's text. Sections are matched between versions by heading."""

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200)
    text = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="one_section_per_position")]

    def __str__(self):
        return self.heading


# --- Endorsement -----------------------------------------------------------------------------


class EndorsementStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    WITH_OFFICERS = "with_officers", "With officers"
    SCHEDULED = "scheduled", "Scheduled"
    ENDORSED = "endorsed", "Endorsed"
    ENDORSED_WITH_AMENDMENTS = "endorsed_with_amendments", "Endorsed with amendments"
    DEFERRED = "deferred", "Deferred"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


ENDORSED_STATUSES = {EndorsementStatus.ENDORSED, EndorsementStatus.ENDORSED_WITH_AMENDMENTS}
# Statuses that record a decision taken: each needs its date, and the programme manager recording
# one needs evidence.
OUTCOME_STATUSES = ENDORSED_STATUSES | {
    EndorsementStatus.DEFERRED,
    EndorsementStatus.DECLINED,
    EndorsementStatus.WITHDRAWN,
}
# Which need chasing first in the tracker: overdue and stalled routes before settled ones.
CHASE_ORDER = {
    EndorsementStatus.DEFERRED: 1,
    EndorsementStatus.SCHEDULED: 2,
    EndorsementStatus.WITH_OFFICERS: 3,
    EndorsementStatus.NOT_STARTED: 4,
    EndorsementStatus.DECLINED: 5,
    EndorsementStatus.WITHDRAWN: 6,
    EndorsementStatus.ENDORSED_WITH_AMENDMENTS: 7,
    EndorsementStatus.ENDORSED: 8,
}


def evidence_upload_to(endorsement, filename):
    return f"strategy/evidence/{endorsement.organisation_id}/{filename}"


class EndorsementQuerySet(models.QuerySet):
    def for_strategy(self, strategy: Strategy):
        return self.filter(version__strategy=strategy).select_related("organisation", "version")


class Endorsement(models.Model):
    """One partner's passage of one version through its own decision route, and the outcome."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="endorsements")
    version = models.ForeignKey(StrategyVersion, on_delete=models.PROTECT, related_name="endorsements")
    deciding_body = models.CharField(
        max_length=200, blank=True, help_text="For example Overview and Scrutiny Committee, Cabinet or Trust Board."
    )
    scheduled_for = models.DateField("next date", null=True, blank=True)
    status = models.CharField(max_length=30, choices=EndorsementStatus.choices, default=EndorsementStatus.NOT_STARTED)
    decision_date = models.DateField(null=True, blank=True)
    resolution = models.TextField(blank=True, help_text="The resolution as the partner recorded it.")
    amendments = models.TextField(blank=True, help_text="The amendments the partner endorsed the strategy with.")
    evidence_url = models.URLField(
        "link to evidence", blank=True, max_length=500, help_text="The partner's own published minutes or decision."
    )
    evidence_file = models.FileField("evidence extract", upload_to=evidence_upload_to, blank=True, max_length=300)
    re_endorsement = models.BooleanField(
        default=False, editable=False, help_text="Opened because a material version followed an earlier endorsement."
    )
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()
    objects = EndorsementQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "version__created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "version"], name="one_endorsement_per_partner_version")
        ]

    def __str__(self):
        return f"{self.organisation} – {self.version.label}: {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("strategy:partner", kwargs={"slug": self.organisation.slug})

    @property
    def is_endorsed(self) -> bool:
        return self.status in ENDORSED_STATUSES

    @property
    def has_outcome(self) -> bool:
        return self.status in OUTCOME_STATUSES

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_url or self.evidence_file)

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == EndorsementStatus.SCHEDULED
            and self.scheduled_for is not None
            and self.scheduled_for < timezone.localdate()
        )

    def clean(self):
        """Rules about one row (the service checks who records it and which version)."""
        super().clean()
        errors = {}
        today = timezone.localdate()
        if self.status in OUTCOME_STATUSES and not self.decision_date:
            errors["decision_date"] = "Enter the date the decision was taken."
        if self.status in ENDORSED_STATUSES and self.decision_date and self.decision_date > today:
            errors["decision_date"] = (
                "An endorsement is recorded once it has happened: the date cannot be in the future."
            )
        if self.status == EndorsementStatus.ENDORSED_WITH_AMENDMENTS and not self.amendments.strip():
            errors["amendments"] = "Say which amendments the strategy was endorsed with."
        if self.status == EndorsementStatus.SCHEDULED and not self.scheduled_for:
            errors["scheduled_for"] = "Enter the date the deciding body will consider the strategy."
        if self.status in OUTCOME_STATUSES | {EndorsementStatus.SCHEDULED} and not self.deciding_body.strip():
            errors["deciding_body"] = "Enter the body that decides, for example Cabinet or Trust Board."
        if self.evidence_url and not self.evidence_url.lower().startswith(("https://", "http://")):
            errors["evidence_url"] = "Enter a web address that starts with https://."
        if errors:
            raise ValidationError(errors)


@dataclass
class Standing:
    """Where one partner stands with the strategy: its latest endorsement row and, when that row is
    a re-endorsement not yet decided, the version it last endorsed."""

    organisation: Organisation
    endorsement: Endorsement
    endorsed_version: StrategyVersion | None
    counts: bool  # towards "N of M partners have endorsed"

    @property
    def awaiting_re_endorsement(self) -> bool:
        return self.endorsed_version is not None and not self.counts

    @property
    def label(self) -> str:
        if self.awaiting_re_endorsement:
            return f"Endorsed {self.endorsed_version.label} — re-endorsement requested"
        return self.endorsement.get_status_display()

    @property
    def chase_rank(self) -> tuple:
        e = self.endorsement
        overdue = 0 if e.is_overdue else 1
        return (overdue, CHASE_ORDER[e.status], e.scheduled_for or timezone.localdate(), self.organisation.name)


# --- Amendment requests ----------------------------------------------------------------------


class AmendmentStatus(models.TextChoices):
    OPEN = "open", "Awaiting an answer"
    ACCEPTED = "accepted", "Accepted"
    NOT_ACCEPTED = "not_accepted", "Not accepted"


class AmendmentRequest(models.Model):
    """A partner asks for a change to a section; the programme manager answers."""

    version = models.ForeignKey(StrategyVersion, on_delete=models.PROTECT, related_name="amendment_requests")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="amendment_requests")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    section_heading = models.CharField(max_length=200, help_text="Kept if the section is later renamed.")
    proposed_text = models.TextField()
    reason = models.TextField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=AmendmentStatus.choices, default=AmendmentStatus.OPEN)
    accepted_into = models.ForeignKey(
        StrategyVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="accepted_amendments"
    )
    response = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "section_heading", "requested_at"]

    def __str__(self):
        return f"{self.organisation}: {self.section_heading}"

    def clean(self):
        super().clean()
        if self.status == AmendmentStatus.ACCEPTED and not self.accepted_into_id:
            raise ValidationError({"accepted_into": "Choose the version the amendment is accepted into."})
        if self.status == AmendmentStatus.NOT_ACCEPTED and not self.response.strip():
            raise ValidationError({"response": "Give the reason the amendment is not accepted."})

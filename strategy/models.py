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
        """The partnership's strategy (the portal serves one partnership, with one strategy); read
        by every strategy page, so kept in the cache until a strategy record changes."""
        from diz_portal.caching import cached_value

        return cached_value("strategy", ["strategy"], lambda: cls.objects.order_by("pk").first())


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


# --- The delivery plan (issue 10) ------------------------------------------------------------
#
# "Following the adoption of this document by all partners a detailed delivery plan will be drawn
# up and implemented" (seed 000). Workstreams sit under the partnership's aims; projects move
# through the seeds' pipeline (idea → assessment → experimentation → scaling → business as usual,
# or closed), report progress each period with a RAG status, and keep milestones and a small RAID
# log. Ideas are scored on seed 004's five criteria before one is promoted to a project.


class Workstream(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    aim = models.PositiveSmallIntegerField(help_text="The number of the partnership's aim it serves.")
    summary = models.TextField(blank=True)
    lead_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="led_workstreams")
    lead_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_workstreams"
    )
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["aim", "position", "title"]

    def __str__(self):
        return self.title


class Stage(models.TextChoices):
    IDEA = "idea", "Idea"
    ASSESSMENT = "assessment", "Assessment"
    EXPERIMENTATION = "experimentation", "Experimentation (pilot)"
    SCALING = "scaling", "Scaling"
    BAU = "bau", "Business as usual"
    CLOSED = "closed", "Closed"


class Rag(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


class ProjectVisibility(models.TextChoices):
    PUBLIC = "public", "Public"
    PARTNERS = "partners", "Partners only"


def validate_not_negative(value):
    if value is not None and value < 0:
        raise ValidationError("Enter an amount of £0 or more.")


class ProjectQuerySet(models.QuerySet):
    def public(self):
        """Projects the public site, /projects/ and open data show."""
        return self.filter(visibility=ProjectVisibility.PUBLIC)

    def visible_to(self, user):
        from strategy.permissions import is_partner

        return self if is_partner(user) else self.public()

    def for_lists(self):
        return self.select_related("workstream", "lead_organisation")

    def live(self):
        return self.exclude(stage=Stage.CLOSED)


class Project(models.Model):
    """A project of the delivery plan. Hook for other apps: funding links its bids here
    (`Bid.project`), dashboards list `Project.objects.public()` by `stage` and `rag`."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.TextField(blank=True)
    workstream = models.ForeignKey(Workstream, on_delete=models.PROTECT, related_name="projects")
    lead_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="led_projects")
    lead_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_projects"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.IDEA)
    rag = models.CharField("RAG status", max_length=10, choices=Rag.choices, default=Rag.GREEN)
    rag_reason = models.TextField("reason for the RAG status", blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    budget = models.DecimalField(
        "budget (£)", max_digits=12, decimal_places=2, null=True, blank=True, validators=[validate_not_negative]
    )
    spend = models.DecimalField(
        "spend to date (£)", max_digits=12, decimal_places=2, default=0, validators=[validate_not_negative]
    )
    visibility = models.CharField(max_length=10, choices=ProjectVisibility.choices, default=ProjectVisibility.PUBLIC)
    approved_by = models.ManyToManyField(
        "meetings.Decision", blank=True, related_name="approved_projects", help_text="The decisions that approved it."
    )
    from_idea = models.OneToOneField(
        "Idea", null=True, blank=True, on_delete=models.SET_NULL, related_name="promoted_project"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_start",
            ),
            models.CheckConstraint(condition=models.Q(spend__gte=0), name="project_spend_not_negative"),
            models.CheckConstraint(
                condition=models.Q(budget__isnull=True) | models.Q(budget__gte=0), name="project_budget_not_negative"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:project", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.visibility == ProjectVisibility.PUBLIC

    def validate_constraints(self, exclude=None):
        # clean() says the same with the message beside the field; the constraints are the backstop.
        return None

    def clean(self):
        super().clean()
        errors = {}
        if self.rag in (Rag.AMBER, Rag.RED) and not self.rag_reason.strip():
            errors["rag_reason"] = f"Say why the project is {self.get_rag_display().lower()}."
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be on or after the start date."
        if self.lead_organisation_id:
            from partners.models import MembershipStatus

            organisation = self.lead_organisation
            if organisation.is_archived or organisation.membership_status != MembershipStatus.ACTIVE:
                errors["lead_organisation"] = (
                    f"{organisation.name} is not an active partner: a partner leads a project."
                )
        if errors:
            raise ValidationError(errors)


class ProjectPartner(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partner_roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="project_roles")
    role = models.CharField(max_length=200, help_text="For example delivery partner, funder, host site.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [models.UniqueConstraint(fields=["project", "organisation"], name="one_role_per_partner")]

    def __str__(self):
        return f"{self.organisation}: {self.role}"


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    baseline_date = models.DateField(help_text="The due date as first planned.", editable=False)
    done_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED)
    is_launch = models.BooleanField(default=False, editable=False, help_text="The strategy's launch event.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.title

    @property
    def slipped_days(self) -> int:
        """How far the milestone has slipped from its baseline (or was done late)."""
        actual = self.done_date or self.due_date
        return max((actual - self.baseline_date).days, 0)

    @property
    def is_overdue(self) -> bool:
        return (
            self.status not in (MilestoneStatus.DONE, MilestoneStatus.CANCELLED)
            and self.due_date < timezone.localdate()
        )


class RiskKind(models.TextChoices):
    RISK = "risk", "Risk"
    ISSUE = "issue", "Issue"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Risk(models.Model):
    """A line of a project's RAID log (risks and issues)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    kind = models.CharField(max_length=10, choices=RiskKind.choices, default=RiskKind.RISK)
    description = models.TextField()
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    mitigation = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)

    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "-likelihood", "-impact"]

    def __str__(self):
        return self.description[:60]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    def clean(self):
        super().clean()
        errors = {}
        for name in ("likelihood", "impact"):
            value = getattr(self, name)
            if value is None or not 1 <= value <= 5:
                errors[name] = f"Score the {name} from 1 (lowest) to 5 (highest)."
        if errors:
            raise ValidationError(errors)


class Period(models.TextChoices):
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"


class ProgressUpdate(models.Model):
    """A project's report for one period (a month or a quarter): RAG, narrative, milestones met or
    slipped, next steps. Posting one sets the project's RAG: the updates are its RAG history."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    period = models.CharField(max_length=10, choices=Period.choices, default=Period.MONTH)
    period_start = models.DateField(help_text="The first day of the month or quarter reported on.")
    rag = models.CharField("RAG status", max_length=10, choices=Rag.choices)
    rag_reason = models.TextField("reason for the RAG status", blank=True)
    narrative = models.TextField()
    milestones_met = models.ManyToManyField(Milestone, blank=True, related_name="met_in")
    milestones_slipped = models.ManyToManyField(Milestone, blank=True, related_name="slipped_in")
    next_steps = models.TextField(blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    posted_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start", "-posted_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period", "period_start"], name="one_update_per_period")
        ]

    def __str__(self):
        return f"{self.project}: {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.period == Period.QUARTER:
            return quarter_label(self.period_start)
        return self.period_start.strftime("%B %Y")


def financial_year(day) -> int:
    """The UK financial year a date falls in, by the year it starts (April)."""
    return day.year if day.month >= 4 else day.year - 1


def quarter_of(day) -> tuple[int, int]:
    """(financial year, quarter 1–4): Q1 is April–June."""
    return financial_year(day), ((day.month - 4) % 12) // 3 + 1


def quarter_label(day) -> str:
    """ "Q1 FY24/25" for any day from 1 April to 30 June 2024."""
    year, quarter = quarter_of(day)
    return f"Q{quarter} FY{year % 100:02d}/{(year + 1) % 100:02d}"


def quarter_start(year: int, quarter: int):
    from datetime import date

    month = 4 + (quarter - 1) * 3
    return date(year + (month > 12), (month - 1) % 12 + 1, 1)


# --- Ideas and prioritisation ----------------------------------------------------------------

CRITERIA = [
    ("feasibility", "Feasibility", "Can it be done, and to a good enough result?"),
    ("suitability", "Suitability", "Should it be done: is it ethical and legal?"),
    ("impact", "Impact", "Can we act as a result, and at what scale of benefit?"),
    ("scalability", "Scalability", "Can it be reused or reapplied elsewhere?"),
    ("engagement", "Engagement", "Is there a clear and engaged sponsor from the business area?"),
]
CRITERIA_NAMES = [name for name, _label, _question in CRITERIA]


class IdeaStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    PROMOTED = "promoted", "Promoted to a project"
    SET_ASIDE = "set_aside", "Set aside"


class Idea(models.Model):
    title = models.CharField(max_length=200)
    problem = models.TextField("problem statement")
    beneficiaries = models.TextField("who benefits")
    sponsor = models.CharField(max_length=200, help_text="Who sponsors it in the business area.")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ideas")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.PROPOSED)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at"]

    def __str__(self):
        return self.title


class Score(models.Model):
    """One scorer's marks for an idea on the five criteria, 1 to 5 each, with a rationale."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="scores")
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    feasibility = models.PositiveSmallIntegerField()
    feasibility_rationale = models.TextField(blank=True)
    suitability = models.PositiveSmallIntegerField()
    suitability_rationale = models.TextField(blank=True)
    impact = models.PositiveSmallIntegerField()
    impact_rationale = models.TextField(blank=True)
    scalability = models.PositiveSmallIntegerField()
    scalability_rationale = models.TextField(blank=True)
    engagement = models.PositiveSmallIntegerField()
    engagement_rationale = models.TextField(blank=True)
    scored_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "scorer"], name="one_score_per_scorer"),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}), name=f"score_{name}_1_to_5"
                )
                for name in CRITERIA_NAMES
            ],
        ]

    def __str__(self):
        return f"{self.idea}: {self.scorer}"

    def validate_constraints(self, exclude=None):
        return None  # clean() puts the message beside the criterion; the constraints are the backstop

    def clean(self):
        super().clean()
        errors = {}
        for name, label, _question in CRITERIA:
            value = getattr(self, name)
            if value is None or not 1 <= value <= 5:
                errors[name] = f"Score {label.lower()} from 1 to 5."
        if errors:
            raise ValidationError(errors)

    @property
    def marks(self) -> list[int]:
        return [getattr(self, name) for name in CRITERIA_NAMES]

    @property
    def total(self) -> int:
        return sum(self.marks)


class CriteriaWeights(models.Model):
    """The partnership's weights for the five criteria (one row)."""

    feasibility = models.PositiveSmallIntegerField(default=1)
    suitability = models.PositiveSmallIntegerField(default=1)
    impact = models.PositiveSmallIntegerField(default=1)
    scalability = models.PositiveSmallIntegerField(default=1)
    engagement = models.PositiveSmallIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "criteria weights"

    def __str__(self):
        return ", ".join(f"{name} ×{getattr(self, name)}" for name in CRITERIA_NAMES)

    @classmethod
    def current(cls) -> CriteriaWeights:
        return cls.objects.order_by("pk").first() or cls()

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in CRITERIA_NAMES}


# --- Links from meetings' agendas ------------------------------------------------------------


class AgendaLink(models.Model):
    """An agenda item that is about the strategy (a version) or a project: the meeting's page and
    pack show the adoption status or the project's RAG and latest update as they stood when the
    agenda was published (from the records' history)."""

    item = models.OneToOneField("meetings.AgendaItem", on_delete=models.CASCADE, related_name="strategy_link")
    version = models.ForeignKey(StrategyVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="agenda_links")

    history = HistoricalRecords()

    def __str__(self):
        return f"{self.item}: {self.version or self.project}"

    def clean(self):
        super().clean()
        if not self.version_id and not self.project_id:
            raise ValidationError("Choose the strategy version or the project the item is about.")

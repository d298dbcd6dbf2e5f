"""The partnership's side of funding: what it decides to bid for, who holds the money, who puts in
what, and what it owes the funder afterwards.

The partnership is not a legal entity, so every bid is led through one partner acting as
accountable body. That rule, the allowed moves between stages, and the limits on claims and
allocations (never more than what remains of an award) live here in `clean()`, so the admin,
the forms, imports and tasks all meet the same rule. Money is `Decimal` pounds and pence; totals
are computed by the database (the querysets' `with_totals`). Every record keeps its history.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import DecimalField, F, Func, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partners.models import MembershipStatus, Organisation, validate_org_id

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def money(verbose_name: str, **kwargs) -> models.DecimalField:
    """Pounds and pence, positive."""
    kwargs.setdefault("validators", [MinValueValidator(PENNY, message="Enter an amount of at least £0.01.")])
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


def total_of(queryset, field: str = "amount"):
    """A correlated subquery summing `field` over `queryset` (filtered on OuterRef by the caller):
    one query for the whole page, however many rows it totals. SUM as a plain function, so the
    subquery has no GROUP BY and answers one row."""
    summed = queryset.order_by().annotate(total=Func(F(field), function="SUM")).values("total")
    return Coalesce(Subquery(summed, output_field=MONEY), Value(ZERO), output_field=MONEY)


# --- Funders and opportunities ---------------------------------------------------------------


class FunderType(models.TextChoices):
    CENTRAL_GOVERNMENT = "central_government", "Central government"
    LOCAL_GOVERNMENT = "local_government", "Local government"
    LOTTERY = "lottery", "Lottery distributor"
    TRUST = "trust", "Trust or foundation"
    NON_DEPARTMENTAL = "non_departmental", "Non-departmental public body"
    PRIVATE = "private", "Private sector"
    OTHER = "other", "Other"


class Funder(models.Model):
    name = models.CharField(max_length=200, unique=True)
    org_id = models.CharField(
        "360Giving org-id",
        max_length=40,
        blank=True,
        validators=[validate_org_id],
        help_text="From org-id.guide, for example GB-GOR-D5. Needed to publish its awards as open data.",
    )
    funder_type = models.CharField("type", max_length=30, choices=FunderType.choices)
    website = models.URLField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.org_id = self.org_id.strip().upper()


class GoDecision(models.TextChoices):
    PENDING = "", "Not decided"
    GO = "go", "Go"
    NO_GO = "no_go", "No go"


class Opportunity(models.Model):
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="opportunities")
    programme = models.CharField(max_length=200)
    opens_on = models.DateField("opening date", null=True, blank=True)
    closes_on = models.DateField("closing date", null=True, blank=True)
    minimum_award = money("minimum award", null=True, blank=True)
    maximum_award = money("maximum award", null=True, blank=True)
    match_percent = models.DecimalField(
        "match funding required (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
        help_text="The share of the total cost the partners must find, as a percentage. Leave empty if none.",
    )
    eligibility = models.TextField("eligibility notes", blank=True)
    link = models.URLField(blank=True)
    decision = models.CharField("go / no-go", max_length=10, choices=GoDecision.choices, blank=True, default="")
    decision_reason = models.TextField("why", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    board_decision_ref = models.CharField(
        "Board decision reference", max_length=40, blank=True, help_text="Optional, for example BRD/2019/14."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["closes_on", "programme"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(opens_on__isnull=True) | Q(closes_on__gte=F("opens_on")),
                name="opportunity_closes_after_opening",
            ),
        ]

    def __str__(self):
        return f"{self.funder}: {self.programme}"

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = "The closing date must be on or after the opening date."
        if self.minimum_award and self.maximum_award and self.maximum_award < self.minimum_award:
            errors["maximum_award"] = "The maximum award must be at least the minimum award."
        if self.match_percent is not None and self.match_percent > 100:
            errors["match_percent"] = "Match funding is a share of the total cost: at most 100%."
        if self.decision and not (self.decision_reason or "").strip():
            errors["decision_reason"] = "Say why: the reason is part of the record."
        if errors:
            raise ValidationError(errors)


# --- Bids ------------------------------------------------------------------------------------


class Stage(models.TextChoices):
    IDEA = "idea", "Idea"
    GO_NO_GO = "go_no_go", "Go / no-go"
    EXPRESSION = "expression", "Expression of interest"
    FULL_BID = "full_bid", "Full bid"
    SUBMITTED = "submitted", "Submitted"
    SUCCESSFUL = "successful", "Successful"
    UNSUCCESSFUL = "unsuccessful", "Unsuccessful"
    WITHDRAWN = "withdrawn", "Withdrawn"


OUTCOMES = {Stage.SUCCESSFUL, Stage.UNSUCCESSFUL, Stage.WITHDRAWN}
OPEN_STAGES = [s for s in Stage.values if s not in OUTCOMES]
# Stages past the go / no-go point: the opportunity must have a "go".
PAST_GO = {Stage.EXPRESSION, Stage.FULL_BID, Stage.SUBMITTED, Stage.SUCCESSFUL}
# Stages that mean the bid went to the funder: the accountable body has signed it off.
SIGNED_OFF_STAGES = {Stage.SUBMITTED, Stage.SUCCESSFUL}

ALLOWED_MOVES: dict[str, set[str]] = {
    Stage.IDEA: {Stage.GO_NO_GO, Stage.WITHDRAWN},
    Stage.GO_NO_GO: {Stage.EXPRESSION, Stage.FULL_BID, Stage.WITHDRAWN},
    # Some funders shortlist at expression of interest: they can turn a bid down there.
    Stage.EXPRESSION: {Stage.FULL_BID, Stage.UNSUCCESSFUL, Stage.WITHDRAWN},
    Stage.FULL_BID: {Stage.SUBMITTED, Stage.WITHDRAWN},
    Stage.SUBMITTED: {Stage.SUCCESSFUL, Stage.UNSUCCESSFUL, Stage.WITHDRAWN},
    Stage.SUCCESSFUL: set(),
    Stage.UNSUCCESSFUL: set(),
    Stage.WITHDRAWN: set(),
}


def accountable_body_problem(organisation: Organisation | None) -> str:
    """Why `organisation` cannot act as accountable body, or "" if it can."""
    if organisation is None:
        return ""
    if not organisation.is_legal_entity:
        return f"{organisation} is not a legal entity, so it cannot act as accountable body."
    if organisation.is_archived or organisation.membership_status != MembershipStatus.ACTIVE:
        return f"{organisation} is not an active partner, so it cannot act as accountable body."
    return ""


def partner_problem(organisation: Organisation | None) -> str:
    if organisation is not None and (
        organisation.is_archived or organisation.membership_status != MembershipStatus.ACTIVE
    ):
        return f"{organisation} is not an active partner: only partners contribute to a bid."
    return ""


class BidQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("opportunity__funder", "accountable_body", "lead_officer")

    def with_totals(self):
        """Contributions summed in the database: cash, in kind, confirmed, and all (match funding)."""
        contributions = Contribution.objects.filter(bid=OuterRef("pk"))
        return self.annotate(
            match_total=total_of(contributions),
            match_confirmed=total_of(contributions.filter(status=ContributionStatus.CONFIRMED)),
            match_cash=total_of(contributions.filter(kind=ContributionKind.CASH)),
        )

    def open(self):
        return self.filter(stage__in=OPEN_STAGES)

    def filtered(self, *, funder=None, stage="", accountable_body=None, deadline_before=None):
        qs = self
        if funder:
            qs = qs.filter(opportunity__funder=funder)
        if stage:
            qs = qs.filter(stage=stage)
        if accountable_body:
            qs = qs.filter(accountable_body=accountable_body)
        if deadline_before:
            qs = qs.filter(Q(funder_deadline__lte=deadline_before) | Q(internal_deadline__lte=deadline_before))
        return qs


class Bid(models.Model):
    title = models.CharField(max_length=200)
    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="bids")
    summary = models.TextField(blank=True)
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="funding_bids"
    )
    accountable_body = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountable_bids",
        help_text="An active partner that is a legal entity; it holds the money for the partnership.",
    )
    finance_officer = models.CharField(
        "finance sign-off by",
        max_length=200,
        blank=True,
        help_text="The accountable body's finance officer who signed the bid off, e.g. its section 151 officer.",
    )
    finance_signed_off_on = models.DateField("finance sign-off date", null=True, blank=True)
    amount_requested = money("amount requested", null=True, blank=True)
    total_cost = money("total cost", null=True, blank=True)
    internal_deadline = models.DateField(null=True, blank=True)
    funder_deadline = models.DateField(null=True, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.IDEA)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    outcome_feedback = models.TextField(
        "feedback", blank=True, help_text="What the funder said about the outcome, or why the bid was withdrawn."
    )
    created_at = models.DateTimeField(default=timezone.now)
    projects = models.ManyToManyField(
        "strategy.Project",
        blank=True,
        related_name="bids",
        verbose_name="linked projects",
        help_text="The delivery plan's projects this bid would fund.",
    )

    history = HistoricalRecords(m2m_fields=[projects])
    objects = BidQuerySet.as_manager()

    class Meta:
        ordering = ["funder_deadline", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__isnull=True)
                | Q(total_cost__isnull=True)
                | Q(amount_requested__lte=F("total_cost")),
                name="bid_requests_at_most_its_cost",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("funding:bid", kwargs={"pk": self.pk})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The stage as stored: clean() checks a change of stage against the allowed moves.
        instance._stored_stage = instance.__dict__.get("stage")
        return instance

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        fields = kwargs.get("fields") or (args[1] if len(args) > 1 else None)
        if fields is None or "stage" in fields:
            self._stored_stage = self.stage

    @property
    def is_open(self) -> bool:
        return self.stage not in OUTCOMES

    @property
    def is_signed_off(self) -> bool:
        return bool(self.finance_officer.strip() and self.finance_signed_off_on)

    def allowed_moves(self) -> list[str]:
        return [s for s in Stage.values if s in ALLOWED_MOVES[self.stage]]

    def match_required(self) -> Decimal | None:
        percent = self.opportunity.match_percent
        if percent is None or self.total_cost is None:
            return None
        return (self.total_cost * percent / 100).quantize(PENNY)

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        problem = accountable_body_problem(self.accountable_body if self.accountable_body_id else None)
        if problem:
            errors["accountable_body"] = problem
        if self.amount_requested and self.total_cost and self.amount_requested > self.total_cost:
            errors["amount_requested"] = "The amount requested cannot be more than the total cost."
        if self.internal_deadline and self.funder_deadline and self.internal_deadline > self.funder_deadline:
            errors["internal_deadline"] = "The internal deadline must be on or before the funder's deadline."
        if bool(self.finance_officer.strip()) != bool(self.finance_signed_off_on):
            field = "finance_signed_off_on" if self.finance_officer.strip() else "finance_officer"
            errors[field] = "Enter both who signed the bid off for the accountable body and when."
        stored = getattr(self, "_stored_stage", None)
        if stored is not None and self.stage != stored and self.stage not in ALLOWED_MOVES[stored]:
            errors["stage"] = (
                f"A bid cannot move from “{Stage(stored).label}” to “{Stage(self.stage).label}”. "
                + self._moves_sentence(stored)
            )
        moving_past_go = self.stage in PAST_GO and self.stage != stored and self.opportunity_id
        if moving_past_go and self.opportunity.decision != GoDecision.GO:
            errors["stage"] = "Record a “go” decision on the opportunity before the bid goes further."
        if self.stage in SIGNED_OFF_STAGES:
            if not self.accountable_body_id:
                errors["accountable_body"] = "Name the accountable body before the bid is submitted."
            elif not self.is_signed_off:
                errors.setdefault(
                    "finance_officer",
                    "The accountable body's finance sign-off (who and when) is required before submission.",
                )
            if not self.amount_requested:
                errors["amount_requested"] = "Enter the amount requested before the bid is submitted."
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _moves_sentence(stage: str) -> str:
        moves = [Stage(s).label for s in Stage.values if s in ALLOWED_MOVES[stage]]
        if not moves:
            return "It has its outcome: its stage no longer changes."
        return "From there it can move to: " + ", ".join(moves) + "."


class ContributionKind(models.TextChoices):
    CASH = "cash", "Cash"
    IN_KIND = "in_kind", "In kind"


class ContributionStatus(models.TextChoices):
    PLEDGED = "pledged", "Pledged"
    CONFIRMED = "confirmed", "Confirmed"


def letter_upload_to(contribution: Contribution, filename: str) -> str:
    return f"funding/letters/{uuid.uuid4().hex}/{filename}"


class Contribution(models.Model):
    """What a partner puts into a bid: cash or in kind, pledged or confirmed, with its letter of
    support. The sum over a bid is its match funding."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="contributions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="bid_contributions")
    kind = models.CharField(max_length=10, choices=ContributionKind.choices, default=ContributionKind.CASH)
    amount = money("amount")
    status = models.CharField(max_length=10, choices=ContributionStatus.choices, default=ContributionStatus.PLEDGED)
    description = models.CharField(max_length=300, blank=True, help_text="For in-kind support: what it is.")
    letter_of_support = models.FileField(upload_to=letter_upload_to, max_length=300, blank=True)
    letter_received_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["bid", "organisation__name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "organisation", "kind"], name="one_contribution_kind_per_partner"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="contribution_is_positive"),
        ]

    def __str__(self):
        return f"{self.organisation}: £{self.amount:,.2f} {self.get_kind_display().lower()}"

    def validate_constraints(self, exclude=None):
        # clean() says the same thing beside the field; the constraint stays as the race's backstop.
        return None

    def clean(self):
        super().clean()
        errors = {}
        problem = partner_problem(self.organisation if self.organisation_id else None)
        if problem:
            errors["organisation"] = problem
        if self.bid_id and self.organisation_id:
            same = Contribution.objects.filter(bid_id=self.bid_id, organisation_id=self.organisation_id, kind=self.kind)
            if same.exclude(pk=self.pk).exists():
                errors["organisation"] = "This partner already has a contribution of that kind: change that one."
        if errors:
            raise ValidationError(errors)


def document_upload_to(version: BidDocumentVersion, filename: str) -> str:
    return f"funding/bids/{version.document.bid_id}/{uuid.uuid4().hex}/{filename}"


class DocumentKind(models.TextChoices):
    APPLICATION = "application", "Application form"
    BUDGET = "budget", "Budget"
    BUSINESS_CASE = "business_case", "Business case"
    LETTER = "letter", "Letter"
    FEEDBACK = "feedback", "Funder's feedback"
    OTHER = "other", "Other"


class BidDocument(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["bid", "title"]

    def __str__(self):
        return self.title


class BidDocumentVersion(models.Model):
    """One uploaded file, checked by content as papers are. Replacing adds a version."""

    document = models.ForeignKey(BidDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to=document_upload_to, max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="one_number_per_bid_document")]

    def __str__(self):
        return f"{self.document} (version {self.number})"


# --- Awards ----------------------------------------------------------------------------------


def agreement_upload_to(award: Award, filename: str) -> str:
    return f"funding/agreements/{uuid.uuid4().hex}/{filename}"


class AwardQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("bid__opportunity__funder", "bid__accountable_body")

    def with_totals(self):
        """Allocated, claimed, received and paid on to partners, each summed by the database."""
        claims = Claim.objects.filter(award=OuterRef("pk"))
        allocations = Allocation.objects.filter(award=OuterRef("pk"))
        return self.annotate(
            allocated=total_of(allocations),
            paid_to_partners=total_of(allocations, "paid_amount"),
            scheduled=total_of(claims),
            claimed=total_of(claims.filter(submitted_on__isnull=False)),
            received=total_of(claims.filter(paid_on__isnull=False)),
        )

    def published(self):
        return self.filter(is_published=True)


class Award(models.Model):
    bid = models.OneToOneField(Bid, on_delete=models.PROTECT, related_name="award")
    amount = money("amount awarded")
    awarded_on = models.DateField("award date")
    funder_reference = models.CharField("the funder's reference", max_length=100, blank=True)
    conditions = models.TextField(blank=True)
    grant_agreement = models.FileField(upload_to=agreement_upload_to, max_length=300, blank=True)
    title = models.CharField(
        "public title", max_length=200, help_text="What the award is for, as the public and open data see it."
    )
    description = models.TextField("public description", help_text="What it funds, in plain words, for the public.")
    starts_on = models.DateField("planned start", null=True, blank=True)
    ends_on = models.DateField("planned end", null=True, blank=True)
    is_published = models.BooleanField(
        "published",
        default=False,
        help_text="Shown on the public funding page and in the 360Giving open data.",
    )

    history = HistoricalRecords()
    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["-awarded_on"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="award_is_positive")]

    def __str__(self):
        return self.title or str(self.bid)

    def get_absolute_url(self):
        return reverse("funding:award", kwargs={"pk": self.pk})

    def validate_constraints(self, exclude=None):
        return None

    def clean(self):
        super().clean()
        errors = {}
        if self.bid_id and Bid.objects.filter(pk=self.bid_id).exclude(stage=Stage.SUCCESSFUL).exists():
            errors["bid"] = "Only a successful bid has an award: record the bid's outcome first."
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The planned end must be on or after the planned start."
        if self.pk and self.amount:
            totals = Award.objects.with_totals().filter(pk=self.pk).values("allocated", "scheduled").first()
            if totals and max(totals["allocated"], totals["scheduled"]) > self.amount:
                errors["amount"] = (
                    "The award cannot be less than what is already allocated or scheduled to be claimed "
                    f"(£{max(totals['allocated'], totals['scheduled']):,.2f})."
                )
        if errors:
            raise ValidationError(errors)


class AwardPart(models.Model):
    """What claims and allocations share: a positive amount out of what remains of an award."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="+")
    amount = money("amount")

    # What the rest of the award is measured against; subclasses say which records count.
    remaining_label = "award"

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        return None

    def others_total(self) -> Decimal:
        others = type(self).objects.filter(award_id=self.award_id).exclude(pk=self.pk)
        return others.aggregate(total=Coalesce(Sum("amount"), Value(ZERO)))["total"]

    def clean(self):
        super().clean()
        if not (self.award_id and self.amount):
            return
        award_amount = Award.objects.values_list("amount", flat=True).get(pk=self.award_id)
        remaining = award_amount - self.others_total()
        if self.amount > remaining:
            raise ValidationError(
                {
                    "amount": f"This is more than what remains of the award to {self.remaining_label} "
                    f"(£{max(remaining, ZERO):,.2f} of £{award_amount:,.2f})."
                }
            )


class Claim(AwardPart):
    """A claim on the funder's schedule: due, submitted with its evidence, paid."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="claims")
    period = models.CharField(max_length=100, help_text="For example “Quarter 1 2020/21”.")
    due_on = models.DateField()
    evidence = models.TextField(blank=True, help_text="What evidence goes with the claim.")
    submitted_on = models.DateField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)

    remaining_label = "claim"
    history = HistoricalRecords()

    class Meta:
        ordering = ["award", "due_on"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_is_positive"),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(submitted_on__isnull=False), name="claim_paid_after_submitted"
            ),
        ]

    def __str__(self):
        return f"{self.period}: £{self.amount:,.2f}"

    @property
    def status(self) -> str:
        if self.paid_on:
            return "Paid"
        if self.submitted_on:
            return "Submitted"
        return "Overdue" if self.due_on < timezone.localdate() else "Due"

    def clean(self):
        super().clean()
        if self.paid_on and not self.submitted_on:
            raise ValidationError({"submitted_on": "A claim is submitted before it is paid: enter when."})
        if self.paid_on and self.submitted_on and self.paid_on < self.submitted_on:
            raise ValidationError({"paid_on": "A claim is paid on or after the day it was submitted."})


class Allocation(AwardPart):
    """Money the accountable body passes on to a delivery partner, and what it has paid so far."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="allocations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="funding_allocations")
    purpose = models.CharField(
        max_length=300, help_text="What the partner delivers with it (public, in the open data)."
    )
    allocated_on = models.DateField()
    paid_amount = models.DecimalField("paid so far", max_digits=14, decimal_places=2, default=ZERO)

    remaining_label = "allocate"
    history = HistoricalRecords()

    class Meta:
        ordering = ["award", "organisation__name"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_is_positive"),
            models.CheckConstraint(
                condition=Q(paid_amount__gte=0) & Q(paid_amount__lte=F("amount")), name="allocation_paid_within_amount"
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: £{self.amount:,.2f}"

    @property
    def unpaid(self) -> Decimal:
        return self.amount - self.paid_amount

    def clean(self):
        super().clean()
        errors = {}
        problem = partner_problem(self.organisation if self.organisation_id else None)
        if problem:
            errors["organisation"] = problem.replace("contribute to a bid", "receive an allocation")
        if self.paid_amount is not None and self.paid_amount < 0:
            errors["paid_amount"] = "Enter what has been paid so far: £0.00 or more."
        elif self.paid_amount is not None and self.amount and self.paid_amount > self.amount:
            errors["paid_amount"] = f"More than the allocation (£{self.amount:,.2f}) cannot have been paid."
        if errors:
            raise ValidationError(errors)


class ReportingDeadline(models.Model):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="reports")
    title = models.CharField(max_length=200, help_text="For example “Quarterly monitoring return”.")
    due_on = models.DateField()
    submitted_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["award", "due_on"]

    def __str__(self):
        return f"{self.title} (due {self.due_on:%-d %B %Y})"

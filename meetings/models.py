"""Meetings of the partnership's governing bodies, from schedule to approved minutes.

Visibility (DESIGN.md): every agenda item and paper is public, partners, members or restricted;
`Visibility.allows(level, viewer)` is the one rule every page, feed, search and pack applies.
"""

from __future__ import annotations

import calendar
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from diz_portal import markdown
from diz_portal.publishing import Publishable, PublishableQuerySet
from partners.models import GoverningBody, Organisation

LONDON = ZoneInfo("Europe/London")


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    PARTNERS = "partners", "Partners"
    MEMBERS = "members", "Members only"
    RESTRICTED = "restricted", "Restricted"


# From the most open to the most closed: a paper may be more restricted than its item, not less.
VISIBILITY_RANK = {Visibility.PUBLIC: 0, Visibility.PARTNERS: 1, Visibility.MEMBERS: 2, Visibility.RESTRICTED: 3}

# Which levels a kind of viewer may see. Restricted is for members too, but is left out of every
# public and partner output (DESIGN.md); members-only packs include it.
LEVELS_FOR = {
    "public": {Visibility.PUBLIC},
    "partners": {Visibility.PUBLIC, Visibility.PARTNERS},
    "members": {Visibility.PUBLIC, Visibility.PARTNERS, Visibility.MEMBERS, Visibility.RESTRICTED},
}


class Purpose(models.TextChoices):
    DECISION = "decision", "For decision"
    DISCUSSION = "discussion", "For discussion"
    INFORMATION = "information", "For information"


class StandingKind(models.TextChoices):
    WELCOME = "welcome", "Welcome and apologies"
    DECLARATIONS = "declarations", "Declarations of interest"
    MINUTES = "minutes", "Minutes of the last meeting"
    ACTIONS = "actions", "Action log"
    AOB = "aob", "Any other business"
    NEXT_MEETING = "next_meeting", "Date of next meeting"


# Standing items in agenda order: the ones before the business of the meeting, and after it.
STANDING_BEFORE = [
    (StandingKind.WELCOME, 5),
    (StandingKind.DECLARATIONS, 5),
    (StandingKind.MINUTES, 5),
    (StandingKind.ACTIONS, 10),
]
STANDING_AFTER = [(StandingKind.AOB, 10), (StandingKind.NEXT_MEETING, 5)]


# --- Schedule --------------------------------------------------------------------------------


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    HYBRID = "hybrid", "Hybrid (in person and online)"


ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


def nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> date | None:
    """The `ordinal`th (1-4, or -1 for last) `weekday` (0 = Monday) of a month."""
    days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
    if ordinal == -1:
        return days[-1]
    return days[ordinal - 1] if ordinal <= len(days) else None


def working_days_before(day: date, count: int) -> date:
    """`count` working days (Monday to Friday) before `day`. Bank holidays are not known here."""
    current = day
    while count > 0:
        current -= timedelta(days=1)
        if current.weekday() < 5:
            count -= 1
    return current


class MeetingSeries(models.Model):
    """A rule that generates a body's meetings, e.g. "second Tuesday of each month, 10:00–12:00"."""

    body = models.ForeignKey(GoverningBody, on_delete=models.PROTECT, related_name="series")
    ordinal = models.SmallIntegerField(choices=[(k, v.capitalize()) for k, v in ORDINALS.items()])
    weekday = models.PositiveSmallIntegerField(choices=[(i, calendar.day_name[i]) for i in range(7)])
    start_time = models.TimeField()
    end_time = models.TimeField()
    location = models.CharField(max_length=200, blank=True)
    mode = models.CharField(max_length=20, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON)
    papers_due_working_days = models.PositiveSmallIntegerField(
        default=5, help_text="Papers are due this many working days before the meeting."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "meeting series"
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="series_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.body}: {self.describe()}"

    def clean(self):
        super().clean()
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": "A meeting must end after it starts."})

    def describe(self) -> str:
        return (
            f"{ORDINALS[self.ordinal].capitalize()} {calendar.day_name[self.weekday]} of each month, "
            f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"
        )

    def dates_from(self, start: date, months: int) -> list[date]:
        dates, year, month = [], start.year, start.month
        for _ in range(months):
            day = nth_weekday(year, month, self.weekday, self.ordinal)
            if day and day >= start:
                dates.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return dates


# --- Meetings --------------------------------------------------------------------------------


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class MinutesStatus(models.TextChoices):
    NONE = "none", "Not started"
    DRAFT = "draft", "Draft"
    CIRCULATED = "circulated", "Draft circulated to members"
    APPROVED = "approved", "Approved"


def new_uid() -> str:
    return f"{uuid.uuid4()}@diz-portal"


class MeetingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(agenda_published_at__isnull=False)

    def upcoming(self, now: datetime | None = None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now: datetime | None = None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at")

    def with_body(self):
        return self.select_related("body")


class Meeting(models.Model):
    body = models.ForeignKey(GoverningBody, on_delete=models.PROTECT, related_name="meetings")
    series = models.ForeignKey(MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    # The date the series' rule gave this meeting, kept when it is moved, so generating the series
    # again never recreates a moved or cancelled meeting.
    series_date = models.DateField(null=True, blank=True, editable=False)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    name = models.CharField(
        max_length=100, blank=True, help_text="An optional title, for example “Extraordinary meeting”."
    )
    location = models.CharField(max_length=200, blank=True)
    mode = models.CharField(max_length=20, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON)
    joining_link = models.URLField(blank=True, help_text="Shown only to the people invited to the meeting.")
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    cancelled_reason = models.CharField(max_length=300, blank=True)
    papers_due_at = models.DateTimeField(null=True, blank=True)
    # Calendar identity (RFC 5545): the UID never changes; SEQUENCE rises with each change.
    uid = models.CharField(max_length=100, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    agenda_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes_status = models.CharField(max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.NONE)
    minutes_approved_at = models.DateTimeField(null=True, blank=True)
    minutes_approved_at_meeting = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="minutes_approved_here"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"),
            models.UniqueConstraint(
                fields=["series", "series_date"],
                condition=Q(series_date__isnull=False),
                name="one_meeting_per_series_date",
            ),
        ]
        # (body, starts_at): a body's meetings; starts_at alone: the meetings list and the decisions
        # register read every body's meetings newest first (EXPLAIN at bench scale 100: a sequential
        # scan and a sort of all meetings without it).
        indexes = [models.Index(fields=["body", "starts_at"]), models.Index(fields=["starts_at"])]

    def __str__(self):
        name = f" ({self.name})" if self.name else ""
        return f"{self.body.name}{name}, {timezone.localtime(self.starts_at):%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("meetings:meeting", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "A meeting must end after it starts."})
        if self.mode != MeetingMode.IN_PERSON and not self.joining_link and self.status == MeetingStatus.SCHEDULED:
            raise ValidationError({"joining_link": "An online or hybrid meeting needs a joining link."})

    @property
    def title(self) -> str:
        return f"{self.body.name}: {self.name}" if self.name else f"{self.body.name} meeting"

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def is_published(self) -> bool:
        return self.agenda_published_at is not None

    @property
    def minutes_locked(self) -> bool:
        return self.minutes_status == MinutesStatus.APPROVED

    @property
    def local_date(self) -> date:
        return timezone.localtime(self.starts_at).date()

    def has_begun(self, today: date | None = None) -> bool:
        """Whether the meeting's day has come: attendance is recorded, and earlier minutes approved,
        from the day of the meeting on."""
        return self.local_date <= (today or timezone.localdate())

    def compute_papers_due(self, working_days: int) -> datetime:
        due_day = working_days_before(self.local_date, working_days)
        # Never after the meeting has started (papers due "0 working days before" are due at the start).
        return min(datetime.combine(due_day, time(17, 0), tzinfo=LONDON), self.starts_at)

    def papers_are_late(self, now: datetime | None = None) -> bool:
        return bool(self.papers_due_at and (now or timezone.now()) > self.papers_due_at)

    def has_ended(self, now: datetime | None = None) -> bool:
        return self.ends_at <= (now or timezone.now())


class AgendaItemQuerySet(models.QuerySet):
    def current(self):
        """Items still on the agenda (a withdrawn item stays listed, as withdrawn, but has no
        papers in packs and no minutes of its own)."""
        return self.filter(withdrawn_at__isnull=True)

    def presented_by(self, user):
        """Items `user` presents, in person or for their organisation (as permissions.is_presenter)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        mine = models.Q(presenter=user)
        if user.organisation_id:
            mine |= models.Q(presenter_organisation_id=user.organisation_id)
        return self.filter(mine)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    # After publication numbers are fixed: a late item takes its place's number and a letter
    # ("7A"), as councils number supplementary items.
    suffix = models.CharField(max_length=2, blank=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.INFORMATION)
    standing_kind = models.CharField(max_length=20, choices=StandingKind.choices, blank=True)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="presenting"
    )
    presenter_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duration_minutes = models.PositiveSmallIntegerField(default=10)
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC)
    restriction_reason = models.CharField(
        max_length=300, blank=True, help_text="Why the item is restricted, e.g. commercially sensitive bid pricing."
    )
    added_after_publication = models.BooleanField(default=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()
    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "number", "suffix"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number", "suffix"], name="one_item_per_number_and_suffix")
        ]

    def __str__(self):
        return f"{self.label}. {self.title}"

    @property
    def label(self) -> str:
        """The item's number as the agenda prints it: "8", or "7A" for a late item."""
        return f"{self.number}{self.suffix}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def clean(self):
        super().clean()
        if self.visibility == Visibility.RESTRICTED and not self.restriction_reason.strip():
            raise ValidationError({"restriction_reason": "Say why the item is restricted."})


class ForwardPlanStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted onto an agenda"
    DEFERRED = "deferred", "Deferred"


class ForwardPlanItem(models.Model):
    body = models.ForeignKey(GoverningBody, on_delete=models.CASCADE, related_name="forward_plan")
    title = models.CharField(max_length=200)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.DISCUSSION)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposed_items"
    )
    status = models.CharField(max_length=20, choices=ForwardPlanStatus.choices, default=ForwardPlanStatus.PROPOSED)
    agenda_item = models.OneToOneField(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="forward_plan_item"
    )
    notes = models.TextField(blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["target_meeting__starts_at", "proposed_at"]

    def __str__(self):
        return self.title


# --- Papers ----------------------------------------------------------------------------------


def paper_upload_to(version: PaperVersion, filename: str) -> str:
    meeting = version.paper.item.meeting
    # A random directory per upload: names are not guessable and never collide.
    return f"papers/{meeting.body.slug}/{meeting.local_date:%Y-%m-%d}/{uuid.uuid4().hex}/{filename}"


def rendition_upload_to(version: PaperVersion, filename: str) -> str:
    return f"renditions/{uuid.uuid4().hex}/{filename}"


class Paper(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=200)
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC)
    restriction_reason = models.CharField(max_length=300, blank=True)
    # The cover sheet.
    purpose = models.TextField("purpose of the paper")
    decision_sought = models.TextField(blank=True)
    finance = models.TextField("financial implications", blank=True)
    risk = models.TextField("risks", blank=True)
    equality = models.TextField("equality implications", blank=True)
    data_protection = models.TextField("data protection implications", blank=True)
    position = models.PositiveSmallIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "position", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.visibility == Visibility.RESTRICTED and not self.restriction_reason.strip():
            raise ValidationError({"restriction_reason": "Say why the paper is restricted."})
        item = self.item if self.item_id else None
        if item is not None and VISIBILITY_RANK[self.visibility] < VISIBILITY_RANK[item.visibility]:
            raise ValidationError(
                {
                    "visibility": "A paper can be more restricted than its item (an exempt appendix), "
                    "never less: this item is %(level)s."
                },
                params={"level": item.get_visibility_display().lower()},
            )


CONVERTIBLE_EXTENSIONS = {"doc", "docx", "odt", "ppt", "pptx", "odp"}


class PaperVersion(models.Model):
    """One uploaded file. Replacing a paper adds a version; earlier ones are kept."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to=paper_upload_to, max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    problem = models.CharField(max_length=200, blank=True, help_text="Why the file cannot go into a pack.")
    # Word, ODF and PowerPoint papers are converted to PDF on a worker (LibreOffice) for the pack.
    rendition = models.FileField(upload_to=rendition_upload_to, max_length=300, blank=True)
    rendition_problem = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    is_late = models.BooleanField(default=False)
    after_publication = models.BooleanField(default=False)

    class Meta:
        ordering = ["paper", "-number"]
        constraints = [models.UniqueConstraint(fields=["paper", "number"], name="one_version_number_per_paper")]

    def __str__(self):
        return f"{self.paper} (version {self.number})"

    @property
    def is_pdf(self) -> bool:
        return self.extension == "pdf"

    @property
    def converts_to_pdf(self) -> bool:
        """Word, OpenDocument and PowerPoint papers are bound into packs as PDF (spreadsheets are
        linked: their pages rarely print well)."""
        return self.extension in CONVERTIBLE_EXTENSIONS

    @property
    def being_checked(self) -> bool:
        """A PDF whose check took longer than a web request may: a worker is checking it."""
        return self.is_pdf and self.page_count is None and not self.problem

    @property
    def pack_pdf(self):
        """The file the pack binds: the PDF itself once checked, or the PDF made from an office
        document."""
        if self.is_pdf:
            return None if self.being_checked else self.file
        return self.rendition or None


# --- At the meeting --------------------------------------------------------------------------


class Response(models.TextChoices):
    ATTENDING = "attending", "Attending"
    APOLOGIES = "apologies", "Apologies"
    DEPUTY = "deputy", "Sending a deputy"


class Capacity(models.TextChoices):
    MEMBER = "member", "Member"
    DEPUTY = "deputy", "Deputy"
    OBSERVER = "observer", "Observer"
    OFFICER = "officer", "Officer"
    GUEST = "guest", "Guest"


class Attendance(models.Model):
    """A member's answer before the meeting and, once recorded, whether they (or their deputy) were
    there. `person` is the member (the seat); `deputy` who came in their place. `capacity` says in
    what capacity the person who came sat: member, observer, or deputy (for `person`)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendances")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    response = models.CharField(max_length=20, choices=Response.choices, blank=True)
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="deputy_attendances"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    present = models.BooleanField(null=True, help_text="Recorded at the meeting: the member or their deputy was there.")
    deputy_present = models.BooleanField(default=False)
    capacity = models.CharField(max_length=20, choices=Capacity.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="one_attendance_per_member")]

    def __str__(self):
        return f"{self.person} at {self.meeting}"

    @property
    def attendee(self):
        """Who actually came for this seat: the member, or their deputy (None if nobody did)."""
        if not self.present:
            return None
        return self.deputy if self.deputy_present else self.person


class AlsoPresent(models.Model):
    """Someone at the meeting who holds no seat: an officer, a guest, an observer from a body that
    is not a partner (another council, a government department)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="also_present")
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    capacity = models.CharField(
        max_length=20,
        choices=[(c, c.label) for c in (Capacity.OFFICER, Capacity.GUEST, Capacity.OBSERVER)],
        default=Capacity.OFFICER,
    )
    role = models.CharField(max_length=200, blank=True, help_text="For example “Programme manager” or “Minutes”.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["capacity", "name", "pk"]
        verbose_name_plural = "also present"

    def __str__(self):
        return self.describe()

    def describe(self) -> str:
        parts = [self.name]
        if self.role:
            parts.append(self.role)
        if self.organisation:
            parts.append(self.organisation)
        return ", ".join(parts) + f" ({self.get_capacity_display().lower()})"


LOCKED_MESSAGE = "These minutes are approved and locked: record an erratum instead."


class MinutedRecord(models.Model):
    """What the minutes record (a minute, a decision, an action, a declaration): once the minutes
    are approved, its `MINUTED_FIELDS` are locked. The services check first; `clean()` keeps the
    admin (and any form) to the same rule, and `minutes_locked` lets the admin refuse deletion."""

    MINUTED_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def _meeting_id(self) -> int | None:
        return self.meeting_id if hasattr(self, "meeting_id") else getattr(self.item, "meeting_id", None)

    @property
    def minutes_locked(self) -> bool:
        meeting_id = self._meeting_id()
        return (
            bool(meeting_id) and Meeting.objects.filter(pk=meeting_id, minutes_status=MinutesStatus.APPROVED).exists()
        )

    def clean(self):
        super().clean()
        if not self.minutes_locked:
            return
        if self.pk is None:
            raise ValidationError(LOCKED_MESSAGE)
        attnames = [self._meta.get_field(name).attname for name in self.MINUTED_FIELDS]
        stored = type(self).objects.filter(pk=self.pk).values(*attnames).first()
        if stored and any(stored[name] != getattr(self, name) for name in attnames):
            raise ValidationError(LOCKED_MESSAGE)


class Declaration(MinutedRecord):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="declarations")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="declarations")
    interest = models.TextField(help_text="The interest, and whether it is pecuniary, personal or prejudicial.")
    declared_at = models.DateTimeField(default=timezone.now)
    MINUTED_FIELDS = ("meeting", "item", "person", "interest")
    # Set when the programme manager records a declaration made orally at the meeting.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-declared_at"]

    def __str__(self):
        return f"{self.person}: {self.item}"


class Minute(MinutedRecord):
    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="minute")
    text = models.TextField(blank=True)

    MINUTED_FIELDS = ("item", "text")

    history = HistoricalRecords()

    def __str__(self):
        return f"Minute of {self.item}"


class Decision(MinutedRecord):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    reference = models.CharField(max_length=40, unique=True)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    MINUTED_FIELDS = ("meeting", "item", "reference", "text")

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting__starts_at", "item__number", "item__suffix", "pk"]

    def __str__(self):
        return self.reference


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ActionStatus.OPEN)

    def overdue(self, today: date | None = None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class Action(MinutedRecord):
    # Progress and completion go on after the minutes are approved; what was minuted does not.
    MINUTED_FIELDS = ("meeting", "item", "description", "owner", "due_on")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    update = models.TextField(blank=True, help_text="Progress, or how it was done.")
    last_chased_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.description[:60]

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < timezone.localdate()


class Erratum(models.Model):
    """A correction to minutes that were approved (and so locked)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="errata")
    text = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at"]
        verbose_name_plural = "errata"

    def __str__(self):
        return f"Erratum to {self.meeting}"


# --- After publication -----------------------------------------------------------------------


class Supplement(models.Model):
    """One "papers updated" notice to the people sent a meeting's papers: the changes made since the
    last notice. Claimed (created) before any email goes, so a retried send never sends twice."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="supplements")
    number = models.PositiveSmallIntegerField()
    issued_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="one_supplement_per_number")]

    def __str__(self):
        return f"Supplement {self.number} to {self.meeting}"


class MeetingChange(models.Model):
    """A change to a published meeting's agenda or papers, waiting for the next supplement notice.
    `visibility` is the level of what changed: a member hears of everything, the public of nothing
    (they are not emailed)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="changes")
    summary = models.CharField(max_length=400)
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    by_manager = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now)
    supplement = models.ForeignKey(Supplement, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return self.summary


class MemberMessage(models.Model):
    """An email from the programme manager to a meeting's body, sent from the meeting's page."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="messages")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return self.subject


# --- Register of members' interests ----------------------------------------------------------


class InterestCategory(models.TextChoices):
    EMPLOYMENT = "employment", "Employment, office, trade or profession"
    SPONSORSHIP = "sponsorship", "Sponsorship"
    CONTRACTS = "contracts", "Contracts"
    LAND = "land", "Land and property"
    SECURITIES = "securities", "Shares and securities"
    BODIES = "bodies", "Membership of other bodies"
    GIFTS = "gifts", "Gifts and hospitality"


class RegisteredInterest(models.Model):
    """An entry in a person's standing register of interests (beside what they declare at a
    particular meeting). Ending an entry keeps it, with the date it ended."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registered_interests")
    category = models.CharField(max_length=20, choices=InterestCategory.choices)
    description = models.TextField()
    registered_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "category", "registered_on", "pk"]

    def __str__(self):
        return f"{self.person}: {self.get_category_display()}"


class InterestReview(models.Model):
    """When a person last confirmed their register is complete (yearly, and when a seat starts)."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interest_review")
    reviewed_on = models.DateField()

    history = HistoricalRecords()

    def __str__(self):
        return f"{self.person}: reviewed {self.reviewed_on}"


# --- Calendar and seminars -------------------------------------------------------------------


def new_feed_token() -> str:
    return uuid.uuid4().hex + uuid.uuid4().hex


class CalendarToken(models.Model):
    """The secret in a member's private calendar feed address; replacing it revokes the old one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Calendar feed of {self.user}"


class Seminar(Publishable):
    """A public seminar and its report. A draft until the programme manager publishes it (now, or
    scheduled for later: diz_portal.publishing); only live seminars reach the public site."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    held_on = models.DateField()
    venue = models.CharField(max_length=200)
    delegates = models.PositiveIntegerField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="A few sentences, shown in the list and in search.")
    body = models.TextField(
        "report", blank=True, help_text="Markdown: what was said and agreed, shown on the seminar's page."
    )
    executive_report = models.FileField(upload_to="seminars/", blank=True)

    history = HistoricalRecords()
    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on"]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:seminar", kwargs={"slug": self.slug})

    @property
    def body_html(self):
        return markdown.render(self.body)


class SeminarFile(models.Model):
    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="seminars/")

    def __str__(self):
        return self.title

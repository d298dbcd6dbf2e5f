"""The public site's own words: news ("DIZ Matters"), the pages the programme manager edits (about,
privacy), the newsletter's subscribers, issues and deliveries.

Everything written here is Markdown (rendered and sanitised by diz_portal.markdown). News and pages
are drafts until published; a news item published with a future date is *scheduled* and appears by
itself when the time comes (every public query asks `.live()`; diz_portal.publishing, shared with
the seminars)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from simple_history.models import HistoricalRecords

from diz_portal import markdown
from diz_portal.publishing import PublicationStatus, Publishable, PublishableQuerySet  # noqa: F401 -- PublicationStatus is imported from here too
from partners.models import OrganisationType


def news_image_upload_to(item, filename):
    return f"news/{item.slug}/{filename}"


class NewsItem(Publishable):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.CharField(max_length=300, help_text="One or two sentences, shown in lists, feeds and search.")
    body = models.TextField(help_text="Markdown.")
    image = models.ImageField(upload_to=news_image_upload_to, blank=True, max_length=300)
    image_alt = models.CharField(
        "image description",
        max_length=250,
        blank=True,
        help_text="What the image shows, for people who cannot see it. Required with an image.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    aims = models.JSONField(
        default=list, blank=True, help_text="Numbers of the partnership's strategic aims this item is about."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()
    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:item", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.image and not self.image_alt.strip():
            raise ValidationError({"image_alt": "Describe the image for people who cannot see it."})

    @property
    def body_html(self):
        return markdown.render(self.body)


class Page(Publishable):
    """A public page's editable text, found by its slug (about, privacy, get-involved)."""

    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    body = models.TextField(help_text="Markdown.")

    history = HistoricalRecords()
    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.title

    @property
    def body_html(self):
        return markdown.render(self.body)


class KeyFact(models.Model):
    """A fact about the place that partner records cannot give (e.g. "2 LEPs", "32,500
    businesses"), shown on the home page beside those counted from partner data."""

    label = models.CharField(max_length=80)
    value = models.CharField(max_length=40)
    key = models.SlugField(
        max_length=40,
        unique=True,
        help_text="districts, counties, population or businesses are replaced by partner data when it exists.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.value} {self.label}"


# --- The newsletter --------------------------------------------------------------------------


def new_secret() -> str:
    return secrets.token_urlsafe(24)


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Subscribed"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=SubscriberStatus.CONFIRMED)


class Subscriber(models.Model):
    """A newsletter subscriber. The consent is recorded as given (its words, when, where from);
    the link secret signs their confirm and unsubscribe links (changing it voids old links)."""

    email = models.EmailField(max_length=254)
    status = models.CharField(max_length=20, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING)
    consent_text = models.TextField()
    consented_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=200, help_text="Where they subscribed, e.g. the page's address.")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    secret = models.CharField(max_length=64, default=new_secret, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="one_subscriber_per_email")]

    def __str__(self):
        return self.email

    def token(self, purpose: str) -> str:
        """The secret in a link that confirms ("confirm") or manages ("manage": unsubscribe, see or
        delete their data) this subscription. Never stored; a new secret voids every old link."""
        return salted_hmac(f"news.subscriber.{purpose}", f"{self.pk}:{self.secret}", algorithm="sha256").hexdigest()

    def token_matches(self, purpose: str, token: str) -> bool:
        return constant_time_compare(self.token(purpose), token)

    def confirm_url(self) -> str:
        return reverse("news:confirm", kwargs={"pk": self.pk, "token": self.token("confirm")})

    def unsubscribe_url(self) -> str:
        return reverse("news:unsubscribe", kwargs={"pk": self.pk, "token": self.token("manage")})

    def data_url(self) -> str:
        return reverse("news:my_data", kwargs={"pk": self.pk, "token": self.token("manage")})


class IssueStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"


class NewsletterIssue(models.Model):
    """One issue of the newsletter. Sending records a Delivery per confirmed subscriber first,
    then workers send them in batches (news.services.send_issue)."""

    subject = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    body = models.TextField(help_text="Markdown. Link news, reports, meetings and projects by their addresses.")
    news_items = models.ManyToManyField(NewsItem, blank=True, related_name="issues")
    status = models.CharField(max_length=20, choices=IssueStatus.choices, default=IssueStatus.DRAFT)
    send_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    test_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("news:issue", kwargs={"slug": self.slug})

    @property
    def body_html(self):
        return markdown.render(self.body)


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One subscriber's copy of one issue: the row is locked while it is sent and marked sent in
    the same transaction, so a retried or repeated batch never sends it again."""

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    batch = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issue", "subscriber"], name="one_delivery_per_subscriber")]
        indexes = [models.Index(fields=["issue", "batch", "status"])]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.issue} to {self.subscriber}"


# --- Get involved and contact ----------------------------------------------------------------

MESSAGE_MAX_CHARS = 5000


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a reply"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class JoinRequest(models.Model):
    """An organisation asks to join the partnership (its open door). Accepting makes it a
    prospective partner and invites its contact; declining sends the programme manager's reply."""

    organisation_name = models.CharField(max_length=200)
    org_type = models.CharField("type of organisation", max_length=40, choices=OrganisationType.choices)
    organisation_website = models.URLField("website", blank=True)
    contact_name = models.CharField(max_length=200)
    contact_email = models.EmailField(max_length=254)
    contact_role = models.CharField("contact's job title", max_length=200, blank=True)
    message = models.TextField("why you would like to join", max_length=MESSAGE_MAX_CHARS)
    status = models.CharField(max_length=20, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING)
    reply = models.TextField(blank=True, max_length=MESSAGE_MAX_CHARS)
    organisation = models.ForeignKey(
        "partners.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="join_requests"
    )
    received_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.organisation_name} asks to join"


class ContactMessage(models.Model):
    """A message to the programme team from /contact/, forwarded by email (once) by a worker."""

    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    subject = models.CharField(max_length=200)
    message = models.TextField(max_length=MESSAGE_MAX_CHARS)
    received_at = models.DateTimeField(default=timezone.now)
    forwarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.subject} (from {self.name})"


# --- The site search's index -----------------------------------------------------------------


class SearchEntry(models.Model):
    """The full-text search vector of one searchable record (PostgreSQL only), kept fresh by
    signals and rebuilt by `manage.py rebuild_search_index`. It says nothing about who may read the
    record: diz_portal.search always filters the records themselves by the pages' rules, and uses
    this table only to match and rank them quickly (a GIN index instead of computing every row's
    vector on each search)."""

    kind = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    vector = SearchVectorField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_search_entry_per_record")]
        # The GIN index on `vector` is made by migration 0003 on PostgreSQL only (SQLite has none).
        verbose_name_plural = "search entries"

    def __str__(self):
        return f"{self.kind} {self.object_id}"

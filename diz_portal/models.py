"""Cross-cutting records every app uses: generated documents (PDFs built by workers) and a log of
sent emails that makes sending idempotent."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    BUILDING = "building", "Building"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


def document_upload_to(document, filename):
    return f"generated/{document.content_type.app_label}/{document.kind}/{document.object_id}/{filename}"


class GeneratedDocument(models.Model):
    """A document a worker builds for a record (an agenda PDF, a board pack, minutes).

    The request that wants it records it as queued and returns; the worker moves it to building,
    then ready (with the file) or failed (with the error). A worker that dies leaves it building;
    building again is safe: the file is replaced, never duplicated.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=40)
    status = models.CharField(max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED)
    file = models.FileField(upload_to=document_upload_to, blank=True, max_length=300)
    version = models.PositiveIntegerField(default=0, help_text="Rises each time the document is rebuilt.")
    fingerprint = models.CharField(max_length=64, blank=True, help_text="Of the inputs the ready file was built from.")
    problems = models.JSONField(default=list, blank=True, help_text="What was left out, and why.")
    error = models.TextField(blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "kind"], name="one_document_per_kind")
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self):
        return f"{self.kind} for {self.content_type.model} {self.object_id} ({self.status})"

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.READY

    def mark_queued(self) -> None:
        """Wanted (again): queued from now, the last error forgotten. The file, if any, stays
        downloadable until a new one replaces it."""
        if self.status != DocumentStatus.QUEUED:
            self.status = DocumentStatus.QUEUED
            self.requested_at = timezone.now()
            self.error = ""
            self.save(update_fields=["status", "requested_at", "error"])


class SentEmail(models.Model):
    """One row per email that must go at most once (a key such as
    "meetings.pack-ready:42:v3:user:7"). Inserting the row is the claim to send it."""

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return self.key

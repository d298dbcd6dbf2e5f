"""Draft, scheduled and published: the one publication state of everything the programme manager
writes for the public site (news, the pages' text, seminars).

A record is a draft until published; published with a time in the future it is *scheduled*, and
appears by itself when the time comes, because every public query asks `.live()` (cached pages
expire within a minute, so no task has to wake up for it). `publish` and `unpublish` keep the
record's history (django-simple-history) under the name of whoever acted."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def live(self, now: datetime | None = None):
        """What the public may read now: published, and its publication time has come."""
        return self.filter(status=PublicationStatus.PUBLISHED, published_at__lte=now or timezone.now())


class Publishable(models.Model):
    status = models.CharField(max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="Publishing with a time in the future schedules it."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.status == PublicationStatus.PUBLISHED and not self.published_at:
            raise ValidationError({"published_at": "Enter when to publish it."})

    def is_live(self, now: datetime | None = None) -> bool:
        return (
            self.status == PublicationStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= (now or timezone.now())
        )

    @property
    def state(self) -> str:
        """Draft, scheduled or published, as the programme manager sees it."""
        if self.status != PublicationStatus.PUBLISHED:
            return "draft"
        return "published" if self.is_live() else "scheduled"


def save_as(record: models.Model, by, **save_kwargs) -> models.Model:
    """Save with `by` recorded as the author of the history row."""
    record._history_user = by
    record.save(**save_kwargs)
    return record


def publish(*, record: Publishable, at: datetime | None = None, by) -> Publishable:
    """Publish now, or at `at` (scheduled), with whatever else was changed on the record. Checks
    the whole record first (`full_clean`): on a ValidationError nothing is written."""
    record.status = PublicationStatus.PUBLISHED
    record.published_at = at or timezone.now()
    record.full_clean()
    return save_as(record, by)


def unpublish(*, record: Publishable, by) -> Publishable:
    """Back to draft, with whatever else was changed on the record (an edit made in the same form is
    not lost): the public no longer sees it. Its publication time is kept, for the history."""
    record.status = PublicationStatus.DRAFT
    record.full_clean()
    return save_as(record, by)

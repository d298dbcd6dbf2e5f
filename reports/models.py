"""Board reports (PDFs built by workers) and what the dashboards remember about a visit.

A report is one kind for one body and one period ("the Board's quarterly highlight report for
Q1 2026-27"); its PDF is a GeneratedDocument (diz_portal.models) with the same statuses as a
meeting's pack. Every request for it is logged (who, when), so the page can show who asked.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone

from diz_portal.models import GeneratedDocument


class ReportKind(models.TextChoices):
    HIGHLIGHT = "highlight", "Quarterly highlight report"
    FUNDING = "funding", "Funding report"
    ENDORSEMENT = "endorsement", "Endorsement status report"
    ENGAGEMENT = "engagement", "Partner engagement report"


class Report(models.Model):
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    body = models.ForeignKey("partners.GoverningBody", on_delete=models.PROTECT, related_name="reports")
    period_start = models.DateField()
    period_end = models.DateField()
    # Where the worker has got to, for the page that polls it.
    stage = models.CharField(max_length=80, blank=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent.")
    created_at = models.DateTimeField(default=timezone.now)
    # A scheduled highlight report goes on this meeting's agenda, as a paper under this item.
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    documents = GenericRelation(GeneratedDocument, content_type_field="content_type", object_id_field="object_id")

    class Meta:
        ordering = ["-period_start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "body", "period_start"], name="one_report_per_kind_body_period")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.body}, {self.period_label}"

    @property
    def period_label(self) -> str:
        from reports.periods import Period

        return Period(self.period_start, self.period_end).label


class ReportRequest(models.Model):
    """Someone (or the quarterly schedule, with no one) asked for a report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    scheduled = models.BooleanField(default=False)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.report} requested {self.requested_at:%Y-%m-%d %H:%M}"


class LastLook(models.Model):
    """When a person last opened their dashboard, so it can show what is new since then.

    `seen_at` moves on each visit; `previous` is the visit before that session of looking (visits
    closer together than LOOK_GAP count as one), which is what "since I last looked" means."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="last_look")
    seen_at = models.DateTimeField()
    previous = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user} last looked {self.seen_at:%Y-%m-%d %H:%M}"


def report_filename(report: Report, version: int) -> str:
    start: date = report.period_start
    return f"{report.body.slug}-{report.kind}-{start:%Y-%m}-v{version}.pdf"

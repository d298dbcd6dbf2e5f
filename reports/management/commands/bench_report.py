"""The Board's quarterly highlight report, for the benchmark's timing (`make bench`).

`manage.py bench_report` records a request for the highlight report of the quarter under way, for
the Board (the body whose code is reports.agenda.BOARD_CODE), without sending it to a worker, and
prints one JSON line: the report and its document. Run again, it resets the document so the next
build starts from scratch (no fingerprint to call it unchanged).

`manage.py bench_report --enqueue ID` sends the build of document ID to the workers and prints the
moment it was sent (`time.time()`), so the caller can time enqueue → ready.
"""

from __future__ import annotations

import json
import time

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from diz_portal.models import DocumentStatus, GeneratedDocument
from diz_portal.queue import send_task_now
from partners.models import GoverningBody
from reports import agenda, periods
from reports.models import Report, ReportKind


class Command(BaseCommand):
    help = "Record the Board's highlight report for timing, or send its build to the workers."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", type=int, help="Send the build of this document to the workers.")

    def handle(self, *args, **options):
        if options["enqueue"]:
            from reports.tasks import build_report

            if not send_task_now(build_report, options["enqueue"]):
                raise CommandError("Could not reach the task queue.")
            self.stdout.write(json.dumps({"enqueued_at": time.time()}))
            return
        board = GoverningBody.objects.filter(code=agenda.BOARD_CODE).first()
        if board is None:
            raise CommandError(f"No governing body has the code {agenda.BOARD_CODE}: load the demo first.")
        period = periods.quarter_of(timezone.localdate())
        report, _ = Report.objects.get_or_create(
            kind=ReportKind.HIGHLIGHT, body=board, period_start=period.start, defaults={"period_end": period.end}
        )
        document, _ = GeneratedDocument.objects.get_or_create(
            content_type=ContentType.objects.get_for_model(Report), object_id=report.pk, kind=report.kind
        )
        GeneratedDocument.objects.filter(pk=document.pk).update(
            status=DocumentStatus.QUEUED, fingerprint="", requested_at=timezone.now()
        )
        self.stdout.write(json.dumps({"report": report.pk, "document": document.pk, "period": period.key}))

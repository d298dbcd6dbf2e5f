"""A Board meeting made for the benchmark's board-pack timing (`make bench`).

`manage.py bench_pack_meeting` makes a meeting of the "bench-pack-board" body with 20 items of
business, each with one five-page PDF paper, publishes its agenda (which records the documents to
build and queues them), and prints one JSON line: the meeting, the id of its members' pack and
what went into it. Whatever an earlier run made is deleted first. The body has no members, so
building the pack emails nobody.

`manage.py bench_pack_meeting --enqueue ID` sends the build of document ID to the workers and
prints the moment it was sent (`time.time()`), so the caller can time enqueue → ready.

For benchmark and throwaway databases only; seed_bench deletes it all with the other bench rows.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from html import escape

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.template import engines
from django.utils import timezone

from diz_portal.models import GeneratedDocument
from meetings import documents, services
from meetings.models import LONDON, Purpose
from partners.models import GoverningBody, User

BODY_SLUG = "bench-pack-board"
PRESENTER_EMAIL = "bench-person-pack-presenter@example.org"
PAPER_TEMPLATE = """{% extends "pdf/base.html" %}{% block content %}{{ body|safe }}{% endblock %}"""
TEXT = (
    "The Board is asked to note progress on the programme and to endorse the revised delivery plan. Partners "
    "have reviewed the risks and agreed the mitigations set out below; the accountable body has confirmed "
    "that the spend profile stays within the grant offer. "
) * 3


def paper_pdf(title: str, pages: int) -> bytes:
    from diz_portal.pdf import html_to_pdf

    rows = "".join(
        f"<tr><td>Workstream {row}</td><td>Partner {row}</td><td>£{row * 12_500:,}</td><td>On track</td></tr>"
        for row in range(1, 9)
    )
    page_break = ' style="break-before: page"'
    body = "".join(
        f"<section{page_break if page > 1 else ''}>"
        f"<h1>{escape(title)}</h1><h2>Page {page} of {pages}</h2><p>{TEXT}</p>"
        "<table><thead><tr><th>Workstream</th><th>Lead partner</th><th>Budget</th><th>Status</th></tr></thead>"
        f"<tbody>{rows}</tbody></table><p>{TEXT}</p></section>"
        for page in range(1, pages + 1)
    )
    return html_to_pdf(engines["django"].from_string(PAPER_TEMPLATE).render({"title": title, "body": body}))


class Command(BaseCommand):
    help = "Make a 20-item Board meeting with five-page papers for the board-pack benchmark (prints JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=20)
        parser.add_argument("--pages", type=int, default=5, help="pages in each paper")
        parser.add_argument("--enqueue", type=int, metavar="DOCUMENT_ID", help="queue this document's build")

    def handle(self, *args, items: int, pages: int, enqueue: int | None, **options):
        if enqueue is not None:
            self.enqueue(enqueue)
            return
        if items < 1 or pages < 1:
            raise CommandError("--items and --pages must be 1 or more.")
        uploads = [
            (f"Item {n}: programme update {n}", paper_pdf(f"Programme update {n}", pages)) for n in range(1, items + 1)
        ]
        with transaction.atomic():
            body, _ = GoverningBody.objects.get_or_create(
                slug=BODY_SLUG,
                defaults={
                    "name": "Bench Pack Board",
                    "code": "BPK",
                    "purpose": "A board made for the board-pack benchmark.",
                    "display_order": 9999,
                },
            )
            # Presenters upload the papers (a paper needs someone who added it): one bench person,
            # whom seed_bench deletes with the rest.
            presenter, _ = User.objects.get_or_create(
                email=PRESENTER_EMAIL, defaults={"name": "Bench Presenter", "password": make_password(None)}
            )
            from partners.management.commands.seed_bench import Command as SeedBench

            SeedBench().delete_meetings(GoverningBody.objects.filter(pk=body.pk))
            day = timezone.localdate() + timedelta(days=14)
            starts_at = datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON)
            meeting = services.schedule_meeting(
                body=body, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3), location="Bench Hall"
            )
            for title, pdf in uploads:
                item = services.add_item(meeting=meeting, title=title, purpose=Purpose.DECISION, by=None)
                services.add_paper(
                    item=item,
                    title=f"Paper: {title}",
                    purpose="To update the Board.",
                    upload=SimpleUploadedFile(f"{item.number:02d}-paper.pdf", pdf, content_type="application/pdf"),
                    by=presenter,
                )
            services.publish_agenda(meeting=meeting, by=None)
            pack = documents.documents_for(meeting).get(kind="pack:members")
        self.stdout.write(
            json.dumps(
                {"meeting": meeting.pk, "document": pack.pk, "items": items, "papers": items, "paper_pages": pages}
            )
        )

    def enqueue(self, document_id: int) -> None:
        from meetings.tasks import build_document

        if not GeneratedDocument.objects.filter(pk=document_id).exists():
            raise CommandError(f"There is no document {document_id}.")
        sent_at = time.time()
        build_document.apply_async(args=[document_id], retry=False)
        self.stdout.write(json.dumps({"document": document_id, "enqueued_at": sent_at}))

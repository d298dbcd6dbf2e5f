"""Agenda publication and board packs against a real Redis and Celery worker."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from diz_portal.models import DocumentStatus, GeneratedDocument, SentEmail
from meetings import documents, services
from meetings.tasks import build_document, requeue_stale_documents
from tests.meetings.conftest import pdf_upload
from tests.workers.conftest import wait_for

pytestmark = pytest.mark.services


@pytest.fixture
def meeting(board, alice, carol):
    starts = timezone.now() + timedelta(days=14)
    meeting = services.schedule_meeting(body=board, starts_at=starts, ends_at=starts + timedelta(hours=2), by=alice)
    for n in range(1, 9):
        item = services.add_item(meeting=meeting, title=f"Workstream {n}", by=alice)
        services.add_paper(
            item=item, title=f"Report {n}", purpose="To note", upload=pdf_upload(pages=5, text=f"Report {n}"), by=alice
        )
    secret = services.add_item(
        meeting=meeting, title="Bid pricing", visibility="restricted", restriction_reason="Commercial", by=alice
    )
    services.add_paper(item=secret, title="Prices", purpose="x", upload=pdf_upload(text="Prices"), by=alice)
    return meeting


def all_ready(meeting):
    docs = list(documents.documents_for(meeting))
    return docs and all(d.status == DocumentStatus.READY for d in docs)


def test_publishing_returns_at_once_and_a_worker_builds_the_packs_and_emails_members(worker, meeting, alice):
    services.publish_agenda(meeting=meeting, by=alice)
    assert {d.status for d in documents.documents_for(meeting)} <= {DocumentStatus.QUEUED, DocumentStatus.BUILDING}
    assert wait_for(lambda: all_ready(meeting), timeout=90)
    pack = documents.documents_for(meeting).get(kind="pack:members")
    assert len(PdfReader(pack.file.path).pages) > 45
    assert wait_for(lambda: any("To: carol@example.org" in e for e in worker.emails()))
    assert sum("To: carol@example.org" in e for e in worker.emails()) == 1


def test_building_a_pack_twice_gives_the_same_document_and_one_email_per_member(worker, meeting, alice):
    services.publish_agenda(meeting=meeting, by=alice)
    assert wait_for(lambda: all_ready(meeting), timeout=90)
    pack = documents.documents_for(meeting).get(kind="pack:members")
    assert build_document.delay(pack.pk).get(timeout=60) == "unchanged"
    assert build_document.delay(pack.pk).get(timeout=60) == "unchanged"
    pack.refresh_from_db()
    assert pack.version == 1
    assert SentEmail.objects.filter(to="carol@example.org").count() == 1
    assert sum("To: carol@example.org" in e for e in worker.emails()) == 1


def test_a_worker_killed_mid_build_leaves_the_pack_building_and_a_retry_completes_it(worker_factory, meeting, alice):
    worker = worker_factory().start()
    services.publish_agenda(meeting=meeting, by=alice)
    assert wait_for(
        lambda: GeneratedDocument.objects.filter(status=DocumentStatus.BUILDING).exists(), timeout=60, interval=0.02
    )
    worker.kill()
    building = GeneratedDocument.objects.filter(status=DocumentStatus.BUILDING)
    assert building.exists()
    # The sweep finds documents left building longer than a task may run, and sends them again.
    GeneratedDocument.objects.filter(status=DocumentStatus.BUILDING).update(
        started_at=timezone.now() - timedelta(hours=1)
    )
    GeneratedDocument.objects.filter(status=DocumentStatus.QUEUED).update(
        requested_at=timezone.now() - timedelta(hours=1)
    )
    worker_factory().start()
    assert requeue_stale_documents.delay().get(timeout=30) >= 1
    assert wait_for(lambda: all_ready(meeting), timeout=120)
    assert all(d.file and PdfReader(d.file.path).pages for d in documents.documents_for(meeting))


def test_an_agenda_published_while_redis_is_down_is_recorded_and_built_when_it_is_back(
    worker_factory, redis, meeting, alice
):
    redis.stop()
    meeting = services.publish_agenda(meeting=meeting, by=alice)
    assert meeting.is_published
    assert {d.status for d in documents.documents_for(meeting)} == {DocumentStatus.QUEUED}

    redis.start()
    worker_factory().start()
    GeneratedDocument.objects.update(requested_at=timezone.now() - timedelta(minutes=5))
    assert requeue_stale_documents.delay().get(timeout=30) == len(documents.PUBLICATION_KINDS)
    assert wait_for(lambda: all_ready(meeting), timeout=120)


def test_a_damaged_or_password_protected_paper_does_not_stop_the_pack_on_a_worker(worker, meeting, alice):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfWriter

    from tests.meetings.conftest import make_pdf

    item = meeting.items.get(title="Workstream 1")
    services.add_paper(
        item=item,
        title="Broken annex",
        purpose="x",
        upload=SimpleUploadedFile("broken.pdf", b"%PDF-1.7\n1 0 obj <<"),
        by=alice,
    )
    writer = PdfWriter(clone_from=io.BytesIO(make_pdf()))
    writer.encrypt("secret")
    locked = io.BytesIO()
    writer.write(locked)
    services.add_paper(
        item=item,
        title="Locked annex",
        purpose="x",
        upload=SimpleUploadedFile("locked.pdf", locked.getvalue()),
        by=alice,
    )
    services.publish_agenda(meeting=meeting, by=alice)
    assert wait_for(lambda: all_ready(meeting), timeout=120)
    pack = documents.documents_for(meeting).get(kind="pack:members")
    assert {p["title"] for p in pack.problems} == {"Broken annex", "Locked annex"}
    assert "Report 1 page 5" in "".join(page.extract_text() for page in PdfReader(pack.file.path).pages)
    assert wait_for(lambda: any("To: alice@example.org" in e and "Broken annex" in e for e in worker.emails()))


def test_a_word_paper_is_converted_by_the_worker_and_bound_into_the_members_pack(worker, board, alice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.demo import _docx
    from meetings.models import PaperVersion
    from tests.meetings.conftest import pdf_text

    starts = timezone.now() + timedelta(days=14)
    meeting = services.schedule_meeting(body=board, starts_at=starts, ends_at=starts + timedelta(hours=2), by=alice)
    item = services.add_item(meeting=meeting, title="Living Smart", by=alice)
    upload = SimpleUploadedFile("evaluation.docx", _docx("Evaluation", "Written in Word, bound as PDF pages."))
    paper = services.add_paper(item=item, title="Evaluation", purpose="x", upload=upload, by=alice)
    services.publish_agenda(meeting=meeting, by=alice)
    version = PaperVersion.objects.get(paper=paper)
    assert wait_for(lambda: PaperVersion.objects.get(pk=version.pk).rendition, timeout=120)
    # The conversion asked for the packs again; they end up with the paper's pages in them.
    pack = lambda: documents.documents_for(meeting).get(kind="pack:members")  # noqa: E731
    assert wait_for(
        lambda: pack().status == DocumentStatus.READY and "bound as PDF pages" in pdf_text(pack().file), timeout=120
    )

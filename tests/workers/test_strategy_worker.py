"""The endorsement kit and the strategy's emails against a real Redis and Celery worker."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from diz_portal.models import DocumentStatus, GeneratedDocument
from strategy import documents, services
from strategy.tasks import build_document, requeue_stale_documents
from tests.strategy.conftest import TEXT_1_1, endorse, routes, strategy, v1  # noqa: F401 (fixtures)
from tests.workers.conftest import wait_for

pytestmark = pytest.mark.services


def kits_ready(row):
    kits = documents.kit_documents(row)
    return len(kits) == 2 and all(k.status == DocumentStatus.READY for k in kits)


def test_a_worker_builds_the_kit_once_and_the_meetings_sweep_leaves_it_alone(worker, routes, v1, bob, harlow):  # noqa: F811
    row = routes["harlow"]
    documents.request_kit(endorsement=row)
    assert wait_for(lambda: kits_ready(row), timeout=90)
    docx_kit, pdf_kit = documents.kit_documents(row)
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx_kit.file.read())).paragraphs)
    assert "That Cabinet endorse the Digital Innovation Strategy, version 1.0." in text
    assert pdf_kit.file.read(4) == b"%PDF"
    assert build_document.delay(pdf_kit.pk).get(timeout=60) == "unchanged"
    # A stale kit is swept back to its own builder, never to the meetings' one.
    GeneratedDocument.objects.filter(pk=pdf_kit.pk).update(
        status=DocumentStatus.QUEUED, requested_at=timezone.now() - timedelta(hours=1)
    )
    from meetings.documents import stale_document_ids

    assert pdf_kit.pk not in stale_document_ids()
    assert requeue_stale_documents.delay().get(timeout=30) == 1
    assert wait_for(lambda: kits_ready(row), timeout=60)


def test_re_endorsement_emails_go_once_each_from_the_worker(worker, routes, v1, alice, bob, harlow):  # noqa: F811
    endorse(harlow, v1, bob)
    version = services.create_version(strategy=v1.strategy, label="1.1", text=TEXT_1_1, is_material=True, by=alice)
    services.publish_version(version=version, by=alice)
    assert wait_for(lambda: sum("To: bob@example.org" in e for e in worker.emails()) == 1)
    from strategy.tasks import send_re_endorsement_requests

    assert send_re_endorsement_requests.delay(version.pk).get(timeout=30) == 0
    assert sum("To: bob@example.org" in e for e in worker.emails()) == 1

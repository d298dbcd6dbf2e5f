"""The reports app's rows of the permission matrix (tests/test_permission_matrix.py): a Board
report with its PDF built, walked as each role. Reports are for the body's members and the
programme manager; the action register for members of any body."""

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from diz_portal.models import DocumentStatus, GeneratedDocument
from reports.models import Report
from tests.support.matrix import LOGIN, signed_in

BOARD_ONLY = {"anonymous": LOGIN, "officer": 404, "other_member": 404, "member": 200, "pm": 200}

MATRIX = {
    "reports:index": (None, signed_in(200)),
    "reports:body": (lambda w: {"slug": w["board"].slug}, BOARD_ONLY),
    "reports:status": (lambda w: {"slug": w["board"].slug}, BOARD_ONLY),
    "reports:regenerate": (lambda w: {"pk": w["report"].pk}, signed_in(405)),
    "reports:download": (lambda w: {"pk": w["report_document"].pk}, BOARD_ONLY),
    "reports:register": (
        lambda w: {"key": "actions", "fmt": "xlsx"},
        {"anonymous": 404, "officer": 404, "other_member": 200, "member": 200, "pm": 200},
    ),
}


def reports_world(*, board) -> dict:
    report = Report.objects.create(kind="highlight", body=board, period_start="2026-04-01", period_end="2026-06-30")
    document = GeneratedDocument(
        content_type=ContentType.objects.get_for_model(Report), object_id=report.pk, kind="highlight", version=1
    )
    document.file.save("report.pdf", ContentFile(b"%PDF-1.4 built"), save=False)
    document.status = DocumentStatus.READY
    document.save()
    return {"report": report, "report_document": document}

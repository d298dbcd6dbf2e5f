from celery import shared_task

from diz_portal.queue import RETRYING
from reports import agenda, documents


@shared_task(**RETRYING, soft_time_limit=240, time_limit=300)
def build_report(document_id: int) -> str:
    return documents.build(document_id=document_id)


@shared_task
def requeue_stale_reports() -> int:
    """Periodic sweep: reports queued while the broker was down, or left building by a dead worker."""
    return documents.requeue_stale_reports()


@shared_task
def schedule_highlight_reports() -> int:
    """Daily: the quarterly highlight report, a week before the Board's first meeting of the quarter."""
    return agenda.schedule_highlight_reports()

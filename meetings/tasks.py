from celery import shared_task

from meetings import documents, reminders


@shared_task(
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
    acks_late=True,
    soft_time_limit=240,
    time_limit=300,
)
def build_document(document_id: int) -> str:
    return documents.build(document_id=document_id)


@shared_task
def requeue_stale_documents() -> int:
    """Periodic sweep: documents queued while the broker was down, or left building by a dead worker."""
    return documents.requeue_stale_documents()


@shared_task
def send_paper_reminders() -> int:
    return reminders.send_paper_reminders()


@shared_task
def send_action_chasers() -> int:
    return reminders.send_action_chasers()

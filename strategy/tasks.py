from celery import shared_task

from meetings.tasks import RETRYING
from strategy import documents, notices


@shared_task(**RETRYING, soft_time_limit=120, time_limit=150)
def build_document(document_id: int) -> str:
    """An endorsement kit (Word or PDF) or a roadmap PDF."""
    return documents.build(document_id=document_id)


@shared_task
def requeue_stale_documents() -> int:
    """Periodic sweep: kits and roadmaps queued while the broker was down, or left building by a
    dead worker."""
    return documents.requeue_stale_documents()


@shared_task(**RETRYING)
def send_re_endorsement_requests(version_id: int) -> int:
    return notices.send_re_endorsement_requests(version_id=version_id)


@shared_task(**RETRYING)
def tell_requester_of_answer(amendment_id: int) -> int:
    return notices.tell_requester_of_answer(amendment_id=amendment_id)


@shared_task(**RETRYING)
def tell_managers_all_endorsed(strategy_id: int, version_id: int) -> int:
    return notices.tell_managers_all_endorsed(strategy_id=strategy_id, version_id=version_id)


@shared_task
def send_overdue_endorsement_reminders() -> int:
    """Daily: partners whose scheduled decision date has passed with no outcome recorded."""
    return notices.send_overdue_reminders()


@shared_task
def send_update_reminders() -> int:
    """Daily: a week before the Board meets, project leads whose progress update is missing."""
    return notices.send_update_reminders()

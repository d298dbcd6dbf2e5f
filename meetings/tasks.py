from celery import shared_task

from diz_portal.queue import RETRYING
from meetings import conversion, documents, notices, reminders


@shared_task(**RETRYING, soft_time_limit=240, time_limit=300)
def build_document(document_id: int) -> str:
    return documents.build(document_id=document_id)


@shared_task(**RETRYING, soft_time_limit=150, time_limit=180)
def convert_paper_version(version_id: int) -> str:
    return conversion.convert_version(version_id=version_id)


@shared_task(**RETRYING, soft_time_limit=90, time_limit=120)
def check_paper_version(version_id: int) -> str:
    from meetings import services

    return services.check_paper_version(version_id=version_id)


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


@shared_task(**RETRYING)
def send_supplement_notice(meeting_id: int, force: bool = False) -> int:
    return notices.send_supplement_notice(meeting_id=meeting_id, force=force)


@shared_task
def send_due_supplement_notices() -> int:
    """Periodic: supplement notices the hourly limit held back, and any whose emails did not all go."""
    return sum(notices.send_supplement_notice(meeting_id=pk) for pk in notices.due_supplement_meeting_ids())


@shared_task(**RETRYING)
def tell_managers_of_change(change_id: int) -> int:
    return notices.tell_managers_of_change(change_id=change_id)


@shared_task(**RETRYING)
def send_cancellation_notice(meeting_id: int) -> int:
    return notices.send_cancellation_notice(meeting_id=meeting_id)


@shared_task(**RETRYING)
def send_notice_of_meeting(meeting_id: int) -> int:
    return notices.send_notice_of_meeting(meeting_id=meeting_id)


@shared_task(**RETRYING)
def send_message_to_members(message_id: int) -> int:
    return notices.send_message_to_members(message_id=message_id)


@shared_task
def send_register_prompts() -> int:
    """Daily: members asked to review their register of interests (a new seat, or a year on)."""
    return notices.send_register_prompts()

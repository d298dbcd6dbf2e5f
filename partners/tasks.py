from celery import shared_task

from diz_portal.queue import send_task_now
from partners import services


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def send_invitation_email(invitation_id: int) -> bool:
    return services.deliver_invitation_email(invitation_id=invitation_id)


@shared_task
def send_unsent_invitation_emails() -> int:
    """Periodic sweep: invitations whose email never went (the broker was down, a worker died)."""
    ids = services.unsent_invitation_ids()
    for pk in ids:
        send_task_now(send_invitation_email, pk)
    return len(ids)

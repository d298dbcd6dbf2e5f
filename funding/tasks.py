from celery import shared_task

from funding import reminders


@shared_task
def send_deadline_reminders() -> int:
    """Daily: reminders before bid, claim and reporting deadlines (each at most once)."""
    return reminders.send_deadline_reminders()

"""Queueing work for the Celery workers without losing it.

A task is sent only once the transaction that recorded the work commits, so a worker never sees
a row that is not there yet. If the broker is unreachable the request still succeeds: the record
already says what is wanted (e.g. an invitation with no `sent_at`), and a periodic sweep sends it
once the broker is back. The caller is told whether the task went out.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)

# How tasks that build or send retry: with growing pauses, up to five times, acknowledged only once
# done (a worker that dies mid-task leaves the message to be redelivered).
RETRYING = {
    "autoretry_for": (Exception,),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 5,
    "acks_late": True,
}


def send_task_now(task, *args) -> bool:
    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # kombu raises OperationalError and friends while Redis is down
        logger.warning("Could not queue %s%r; the periodic sweep will retry", task.name, args, exc_info=True)
        return False
    return True


def enqueue(task, *args) -> None:
    """Send `task(*args)` after the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send_task_now(task, *args))

from celery import shared_task

from news import services

RETRYING = {
    "autoretry_for": (Exception,),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 8,
    "acks_late": True,
}


@shared_task(**RETRYING)
def send_confirmation(subscriber_id: int) -> bool:
    return services.send_confirmation(subscriber_id=subscriber_id)


@shared_task(**RETRYING, soft_time_limit=240, time_limit=300)
def send_issue_batch(issue_id: int, batch: int) -> int:
    return services.send_batch(issue_id=issue_id, batch=batch)


@shared_task
def resume_unfinished_issues() -> int:
    """Periodic sweep: batches whose task was lost (Redis restarted) or whose worker died."""
    return services.resume_unfinished_issues()


@shared_task
def delete_unconfirmed_subscribers() -> int:
    return services.delete_unconfirmed_subscribers()


@shared_task(**RETRYING)
def tell_programme_team(kind: str, pk: int) -> bool:
    return services.tell_programme_team(kind=kind, pk=pk)


@shared_task(**RETRYING)
def send_join_reply(join_request_id: int) -> bool:
    return services.send_join_reply(join_request_id=join_request_id)

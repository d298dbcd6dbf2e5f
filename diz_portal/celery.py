"""The Celery app: every app's tasks.py is discovered; tasks are JSON, time-limited, acknowledged
only once done (a worker that dies mid-task leaves the message to be redelivered) and fetched one
at a time. Tasks are sent after the surrounding transaction commits (`delay_on_commit`)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diz_portal.settings")

app = Celery("diz_portal", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_track_started=True,
    result_expires=60 * 60 * 24,
    broker_connection_retry_on_startup=True,
    # Redis redelivers an unacknowledged task after this long; longer than any task's time limit.
    broker_transport_options={"visibility_timeout": 60 * 60},
    timezone="Europe/London",
)
app.conf.beat_schedule = {
    "send-unsent-invitation-emails": {"task": "partners.tasks.send_unsent_invitation_emails", "schedule": 300.0},
    "requeue-stale-documents": {"task": "meetings.tasks.requeue_stale_documents", "schedule": 60.0},
    "send-paper-reminders": {"task": "meetings.tasks.send_paper_reminders", "schedule": crontab(hour=9, minute=0)},
    "send-register-prompts": {"task": "meetings.tasks.send_register_prompts", "schedule": crontab(hour=8, minute=0)},
    "send-due-supplement-notices": {"task": "meetings.tasks.send_due_supplement_notices", "schedule": 600.0},
    "send-funding-deadline-reminders": {
        "task": "funding.tasks.send_deadline_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
    "requeue-stale-reports": {"task": "reports.tasks.requeue_stale_reports", "schedule": 60.0},
    "schedule-highlight-reports": {
        "task": "reports.tasks.schedule_highlight_reports",
        "schedule": crontab(hour=7, minute=0),
    },
    "send-action-chasers": {
        "task": "meetings.tasks.send_action_chasers",
        "schedule": crontab(hour=9, minute=30, day_of_week="mon"),
    },
    "requeue-stale-strategy-documents": {"task": "strategy.tasks.requeue_stale_documents", "schedule": 60.0},
    "send-overdue-endorsement-reminders": {
        "task": "strategy.tasks.send_overdue_endorsement_reminders",
        "schedule": crontab(hour=9, minute=15),
    },
    "send-project-update-reminders": {
        "task": "strategy.tasks.send_update_reminders",
        "schedule": crontab(hour=9, minute=20),
    },
    "resume-unfinished-newsletters": {"task": "news.tasks.resume_unfinished_issues", "schedule": 60.0},
    "delete-unconfirmed-subscribers": {
        "task": "news.tasks.delete_unconfirmed_subscribers",
        "schedule": crontab(hour=3, minute=0),
    },
}
app.autodiscover_tasks()

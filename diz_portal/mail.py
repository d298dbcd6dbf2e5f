"""Emails that go at most once, whoever sends them and however often a task is retried.

`send_once` claims a `SentEmail` row by its key before sending: two workers cannot both send the
same email, and if sending fails the claim is released so a retry can send it. Every app's emails
go through here (meeting packs, reminders, invitations)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from diz_portal.models import SentEmail


def subject(text: str) -> str:
    """An email subject with the portal's prefix (settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)."""
    return f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{text}"


def send_once(*, key: str, to: str, subject: str, body: str) -> bool:
    """Send an email unless one with this key was sent before. Returns whether it went now."""
    try:
        with transaction.atomic():
            claim = SentEmail.objects.create(key=key, to=to, subject=subject[:300])
    except IntegrityError:
        return False
    try:
        send_mail(subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[to])
    except Exception:
        claim.delete()
        raise
    return True

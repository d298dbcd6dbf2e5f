"""System checks for the public site's settings."""

from datetime import timedelta

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils import timezone


@register()
def security_txt_expiry(app_configs=None, **kwargs):
    """RFC 9116: Expires must be a date-time, should not be in the past, and is recommended to be
    less than a year ahead."""
    from diz_portal.views import security_txt_expires

    if not settings.SECURITY_TXT_EXPIRES:
        return []
    try:
        expires = security_txt_expires()
    except ValueError:
        return [Error("SECURITY_TXT_EXPIRES is not an ISO 8601 date or time.", id="news.E001")]
    now = timezone.now()
    if expires <= now:
        return [Warning("SECURITY_TXT_EXPIRES is in the past: security.txt says it is stale.", id="news.W001")]
    if expires > now + timedelta(days=366):
        return [Warning("SECURITY_TXT_EXPIRES is more than a year ahead (RFC 9116 advises less).", id="news.W002")]
    return []

"""Keeping bots out of the public forms (subscribe, get involved, contact) without a third-party
captcha: a honeypot field people never see, a signed time stamp (a form sent back within seconds
of being shown, or with a forged stamp, is not a person's), and rate limits per address and per
email through django-allauth's limiter (settings.ACCOUNT_RATE_LIMITS).

A bot is refused quietly: it is shown the same "thank you" a person sees, and nothing is written."""

from __future__ import annotations

import time

from allauth.core import ratelimit
from django import forms
from django.core import signing

from diz_portal.forms import Form

MIN_SECONDS = 3
MAX_SECONDS = 60 * 60 * 24
_SALT = "diz_portal.spam.started"


class HumanCheckForm(Form):
    """Add to a public form: `website` is the honeypot (hidden from people and from assistive
    technology), `started` the signed time the form was shown."""

    website = forms.CharField(required=False, label="Leave this empty")
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial["started"] = signing.dumps(time.time(), salt=_SALT)

    def looks_like_a_bot(self, *, now: float | None = None) -> bool:
        """Call after is_valid(). True for a filled honeypot, a missing or forged stamp, or a form
        sent back too fast (or a day later)."""
        if self.data.get("website"):
            return True
        try:
            started = float(signing.loads(self.data.get("started", ""), salt=_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            return True
        elapsed = (now or time.time()) - started
        return not (MIN_SECONDS <= elapsed <= MAX_SECONDS)


def over_limit(request, *, action: str, key: str | None = None) -> bool:
    """Count this request against the action's limits (ACCOUNT_RATE_LIMITS); True when over."""
    return not ratelimit.consume(request, action=action, key=key)

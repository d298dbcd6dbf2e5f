from django import forms

from diz_portal.spam import HumanCheckForm
from news import services


class SubscribeForm(HumanCheckForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    consent = forms.BooleanField(
        error_messages={"required": "Tick the box to say you would like the newsletter"},
    )
    field_order = ["email", "consent", "website", "started"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = services.consent_text()

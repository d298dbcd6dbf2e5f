from django import forms
from django.utils import timezone

from diz_portal.forms import Form, LocalDateTimeInput, ModelForm
from diz_portal.spam import HumanCheckForm
from news import services
from news.models import MESSAGE_MAX_CHARS, NewsItem, NewsletterIssue, Page
from partners.models import OrganisationType


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


# --- The programme manager's forms -----------------------------------------------------------

IMAGE_MAX_BYTES = 5_000_000
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


class NewsItemForm(ModelForm):
    aims = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple, label="Strategic aims it is about"
    )
    publish_at = forms.DateTimeField(
        required=False,
        widget=LocalDateTimeInput,
        label="Publish at",
        help_text="Leave empty to publish now. A time in the future schedules it.",
    )

    class Meta:
        model = NewsItem
        fields = ["title", "slug", "summary", "body", "image", "image_alt", "aims"]
        help_texts = {
            "slug": "Its web address: /news/<this>/. Lower-case letters, numbers and hyphens.",
            "body": "Markdown: ## for a heading, **bold**, [a link](https://...), - for a list.",
        }

    def __init__(self, *args, aims: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aims"].choices = [(n, f"{n}. {aim}") for n, aim in enumerate(aims, start=1)]
        self.fields["image"].help_text = "Optional. A JPEG, PNG, WebP or GIF of up to 5 MB."
        if self.instance.pk and self.instance.published_at:
            self.fields["publish_at"].initial = timezone.localtime(self.instance.published_at)

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "image"):  # a new upload, opened and checked by Pillow
            if image.size > IMAGE_MAX_BYTES:
                raise forms.ValidationError("The image must be 5 MB or smaller.")
            if (image.image.format or "").upper() not in IMAGE_FORMATS:
                raise forms.ValidationError("The image must be a JPEG, PNG, WebP or GIF.")
        return image


class PageForm(ModelForm):
    class Meta:
        model = Page
        fields = ["title", "summary", "body"]
        help_texts = {"body": "Markdown: ## for a heading, **bold**, [a link](https://...), - for a list."}


class IssueForm(ModelForm):
    class Meta:
        model = NewsletterIssue
        fields = ["subject", "slug", "body", "news_items"]
        widgets = {"news_items": forms.CheckboxSelectMultiple}
        labels = {"news_items": "News to link"}
        help_texts = {
            "slug": "Its address in the public archive once sent: /newsletter/<this>/.",
            "body": "Markdown. Link reports, meetings and projects by their addresses on this site.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["news_items"].queryset = NewsItem.objects.live().order_by("-published_at")


MESSAGE_HELP = "Up to 5,000 characters."


def _message_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MESSAGE_HELP,
        error_messages={
            "required": f"Enter {label.lower()}",
            "max_length": "Keep it to 5,000 characters or fewer (it has %(show_value)d)",
        },
    )


EMAIL_ERRORS = {
    "required": "Enter your email address",
    "invalid": "Enter an email address in the correct format, like name@example.org",
}


class JoinForm(HumanCheckForm):
    organisation_name = forms.CharField(
        label="Organisation's name", max_length=200, error_messages={"required": "Enter your organisation's name"}
    )
    org_type = forms.ChoiceField(
        label="Type of organisation",
        choices=[("", "Choose one"), *OrganisationType.choices],
        error_messages={"required": "Choose the type of organisation"},
    )
    organisation_website = forms.URLField(label="Website", required=False, assume_scheme="https", max_length=200)
    contact_name = forms.CharField(label="Your name", max_length=200, error_messages={"required": "Enter your name"})
    contact_role = forms.CharField(label="Your job title", max_length=200, required=False)
    contact_email = forms.EmailField(label="Your email address", max_length=254, error_messages=EMAIL_ERRORS)
    message = _message_field("Why you would like to join")
    field_order = [
        "organisation_name", "org_type", "organisation_website", "contact_name", "contact_role", "contact_email", "message",
    ]  # fmt: skip


class ContactForm(HumanCheckForm):
    name = forms.CharField(label="Your name", max_length=200, error_messages={"required": "Enter your name"})
    email = forms.EmailField(label="Your email address", max_length=254, error_messages=EMAIL_ERRORS)
    subject = forms.CharField(label="Subject", max_length=200, error_messages={"required": "Enter a subject"})
    message = _message_field("Your message")
    field_order = ["name", "email", "subject", "message"]


class DeclineForm(Form):
    reply = forms.CharField(
        label="Your reply",
        max_length=MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Emailed to their contact. Say why, and what would change your answer.",
        error_messages={"required": "Write a reply to tell them why"},
    )

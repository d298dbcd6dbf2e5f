from django import forms
from django.utils import timezone

from diz_portal.spam import HumanCheckForm
from news import services
from news.models import NewsItem, NewsletterIssue, Page


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


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class NewsItemForm(forms.ModelForm):
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


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ["title", "summary", "body"]
        help_texts = {"body": "Markdown: ## for a heading, **bold**, [a link](https://...), - for a list."}


class IssueForm(forms.ModelForm):
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

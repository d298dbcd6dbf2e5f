"""Forms on the meetings pages members, presenters and the public use (the programme manager's
forms are in meetings/forms.py). Forms only read and check input: the use-cases are in services."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html

from diz_portal.forms import DateInput, Form
from meetings.models import VISIBILITY_RANK, ActionStatus, InterestCategory, Meeting, Purpose, Response, Visibility
from partners.models import GoverningBody, User

# --- Filters ---------------------------------------------------------------------------------


class BodyChoiceField(forms.ModelChoiceField):
    """Bodies by their slug, so filtered addresses read well (?body=board)."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=GoverningBody.objects.order_by("display_order", "name"),
            to_field_name="slug",
            required=False,
            empty_label="All bodies",
            **kwargs,
        )


class MeetingFilterForm(Form):
    body = BodyChoiceField()


class ActionFilterForm(Form):
    SHOW = [("", "All actions"), ("open", "Open"), ("overdue", "Overdue"), (ActionStatus.DONE, "Done")]

    body = BodyChoiceField()
    show = forms.ChoiceField(choices=SHOW, required=False)


class DecisionFilterForm(Form):
    q = forms.CharField(label="Search decisions", max_length=200, required=False, help_text="A reference or words.")
    body = BodyChoiceField()
    date_from = forms.DateField(label="Meetings from", required=False, widget=DateInput())
    date_to = forms.DateField(label="Meetings to", required=False, widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be the same as or after the start date.")
        return cleaned


# --- Members ---------------------------------------------------------------------------------


class ResponseForm(Form):
    response = forms.ChoiceField(
        label="Will you attend?",
        choices=Response.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you will attend, send apologies or send a deputy."},
    )
    deputy = forms.ModelChoiceField(
        label="If you send a deputy, who will attend in your place?",
        queryset=User.objects.none(),
        required=False,
        empty_label="My usual deputy",
    )

    def __init__(self, *args, seat, colleagues=None, **kwargs):
        """`colleagues`: the active people of the seat's organisation, if the page already has
        them (then the form is shown without querying them again; what is sent is still checked
        against the database)."""
        super().__init__(*args, **kwargs)
        # A deputy comes from the member's own organisation (the seat is the organisation's).
        self.fields["deputy"].queryset = User.objects.filter(
            organisation_id=seat.organisation_id, is_active=True
        ).exclude(pk=seat.person_id)
        others = None if colleagues is None else [p for p in colleagues if p.pk != seat.person_id]
        # Why no deputy can be sent, when none can: said instead of offering an empty list.
        self.no_possible_deputy = ""
        if seat.deputy_id:
            # Help text may carry markup (the field component renders it as it is): build it escaped.
            self.fields["deputy"].help_text = format_html("Your usual deputy is {}.", seat.deputy.name)
        elif not (others if others is not None else self.fields["deputy"].queryset.exists()):
            self.no_possible_deputy = (
                f"You have no usual deputy and nobody else from {seat.organisation.name} uses the portal, so you "
                "cannot send a deputy from here. Ask the programme team to name a deputy for your seat."
            )
            self.fields["response"].choices = [c for c in Response.choices if c[0] != Response.DEPUTY]
            del self.fields["deputy"]
        else:
            self.fields["deputy"].empty_label = "Choose someone"
            self.fields["deputy"].help_text = "You have no usual deputy: choose who will come."
        if others is not None and "deputy" in self.fields:
            field = self.fields["deputy"]
            field.choices = [("", field.empty_label), *((p.pk, field.label_from_instance(p)) for p in others)]

    def clean(self):
        cleaned = super().clean()
        cleaned.setdefault("deputy", None)
        return cleaned


class DeclarationForm(Form):
    interest = forms.CharField(
        label="Your interest",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the interest is, and whether it is pecuniary, personal or prejudicial.",
        error_messages={"required": "Describe the interest."},
    )


# --- Presenters ------------------------------------------------------------------------------


class PaperForm(Form):
    title = forms.CharField(max_length=200, label="Title of the paper", error_messages={"required": "Enter a title."})
    purpose = forms.CharField(
        label="Purpose of the paper",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the paper is for."},
    )
    decision_sought = forms.CharField(label="Decision sought", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    finance = forms.CharField(label="Financial implications", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    risk = forms.CharField(label="Risks", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    equality = forms.CharField(label="Equality implications", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    data_protection = forms.CharField(
        label="Data protection implications", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    visibility = forms.ChoiceField(
        label="Who can see this paper",
        choices=Visibility.choices,
        required=False,
        help_text="Usually the same as its item. Choose a more restricted level for an exempt appendix "
        "(for example a public report's confidential annex).",
    )
    restriction_reason = forms.CharField(
        label="Reason for restriction",
        max_length=300,
        required=False,
        help_text="Needed for a restricted paper, for example “Commercially sensitive: property valuations”.",
    )
    file = forms.FileField(
        label="Upload the paper",
        help_text="A PDF, Word, OpenDocument, Excel or PowerPoint file. PDFs go into the board pack as they are.",
        error_messages={"required": "Choose the file to upload.", "empty": "The file is empty."},
    )

    COVER_SHEET = ["purpose", "decision_sought", "finance", "risk", "equality", "data_protection"]
    LEVELS = ["visibility", "restriction_reason"]

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None:
            # A paper is as open as its item at most: offer its item's level and the closer ones.
            rank = VISIBILITY_RANK[item.visibility]
            self.fields["visibility"].choices = [c for c in Visibility.choices if VISIBILITY_RANK[c[0]] >= rank]
            self.fields["visibility"].initial = item.visibility
            self.fields["restriction_reason"].initial = item.restriction_reason


class ReplacePaperForm(Form):
    file = forms.FileField(
        label="Upload the new version",
        help_text="A PDF, Word, OpenDocument, Excel or PowerPoint file. Earlier versions are kept.",
        error_messages={"required": "Choose the file to upload.", "empty": "The file is empty."},
    )


class ActionUpdateForm(Form):
    update = forms.CharField(
        label="Progress",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What has been done, or how the action was completed.",
    )
    done = forms.BooleanField(label="This action is done", required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("done") and not (cleaned.get("update") or "").strip():
            self.add_error("update", "Write an update, or mark the action done.")
        return cleaned


class ProposeItemForm(Form):
    """A member proposes an item for a future meeting of a body they sit on."""

    body = forms.ModelChoiceField(queryset=GoverningBody.objects.none(), empty_label=None)
    title = forms.CharField(max_length=200, label="What should the meeting discuss?")
    purpose = forms.ChoiceField(choices=Purpose.choices)
    target_meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(), required=False, label="For the meeting on", empty_label="The next one possible"
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Why, and what you need")

    def __init__(self, *args, body_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = GoverningBody.objects.filter(pk__in=body_ids).order_by("display_order", "name")
        self.fields["target_meeting"].queryset = (
            Meeting.objects.upcoming().filter(body_id__in=body_ids, status="scheduled").select_related("body")
        )
        self.fields["target_meeting"].label_from_instance = str

    def clean(self):
        cleaned = super().clean()
        meeting, body = cleaned.get("target_meeting"), cleaned.get("body")
        if meeting and body and meeting.body_id != body.pk:
            self.add_error("target_meeting", "Choose a meeting of the body you are proposing to.")
        return cleaned


# --- Register of interests -------------------------------------------------------------------


class RegisteredInterestForm(Form):
    category = forms.ChoiceField(choices=InterestCategory.choices, label="Kind of interest")
    description = forms.CharField(
        label="The interest",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example “Director of Harlow Digital Ltd” or “Owner of land at Station Road, Epping”.",
        error_messages={"required": "Describe the interest."},
    )

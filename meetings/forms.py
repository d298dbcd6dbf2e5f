"""Forms for the programme manager's meetings pages. They check what was typed; the rules about
meetings (ends after it starts, restricted items need a reason, who may attend) live on the models
and in meetings/services.py, whose ValidationErrors the views put beside these forms' fields."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from diz_portal.forms import DateInput, Form, LocalDateTimeInput, ModelForm, SharedChoices
from diz_portal.forms import Select as FastSelect
from meetings.models import (
    LONDON,
    AgendaItem,
    AlsoPresent,
    Capacity,
    ForwardPlanItem,
    Meeting,
    MeetingMode,
    MeetingSeries,
    MeetingStatus,
    Purpose,
    Seminar,
)
from partners.models import GoverningBody, Organisation, User


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "govuk-input--width-5", **(attrs or {})}, format="%H:%M")


def meeting_label(meeting: Meeting) -> str:
    when = timezone.localtime(meeting.starts_at)
    name = f" ({meeting.name})" if meeting.name else ""
    return f"{meeting.body.name}{name}, {when:%-d %B %Y} at {when:%H:%M}"


def meeting_name(meeting: Meeting) -> str:
    """For sentences: "the Board meeting of 8 December 2026"."""
    name = f" ({meeting.name})" if meeting.name else ""
    return f"the {meeting.body.name} meeting{name} of {timezone.localtime(meeting.starts_at):%-d %B %Y}"


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return meeting_label(obj)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.organisation.display_name})" if obj.organisation_id else obj.name


def people():
    return User.objects.filter(is_active=True).select_related("organisation").order_by("name")


def organisations():
    return Organisation.objects.filter(is_archived=False).order_by("name")


def upcoming_meetings(body: GoverningBody | None = None):
    """Meetings an item can still be put on: scheduled, not yet over."""
    meetings = Meeting.objects.upcoming().filter(status=MeetingStatus.SCHEDULED).select_related("body")
    return meetings.filter(body=body) if body is not None else meetings


# --- Schedule --------------------------------------------------------------------------------


class SeriesForm(ModelForm):
    class Meta:
        model = MeetingSeries
        fields = ["body", "ordinal", "weekday", "start_time", "end_time", "location", "mode", "papers_due_working_days"]
        labels = {
            "body": "Governing body",
            "ordinal": "Which week of the month",
            "weekday": "Day of the week",
            "start_time": "Starts at",
            "end_time": "Ends at",
            "papers_due_working_days": "Papers are due (working days before the meeting)",
        }
        help_texts = {
            "start_time": "For example 10:00",
            "end_time": "For example 12:00",
            "papers_due_working_days": "Papers are due at 5pm this many working days before each meeting.",
        }
        widgets = {
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "papers_due_working_days": forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        }


class MeetingForm(Form):
    """A one-off meeting, or the changes to one (without `body` and the papers' deadline then)."""

    body = forms.ModelChoiceField(queryset=GoverningBody.objects.all(), label="Governing body")
    name = forms.CharField(
        max_length=100,
        required=False,
        label="Title",
        help_text="For example “Extraordinary meeting”. Leave empty for an ordinary meeting.",
    )
    date = forms.DateField(widget=DateInput(attrs={"class": "govuk-input--width-10"}))
    start_time = forms.TimeField(label="Starts at", widget=TimeInput(), help_text="For example 10:00")
    end_time = forms.TimeField(label="Ends at", widget=TimeInput(), help_text="For example 12:00")
    location = forms.CharField(max_length=200, required=False)
    mode = forms.ChoiceField(choices=MeetingMode.choices, label="How the meeting is held")
    joining_link = forms.URLField(
        required=False,
        assume_scheme="https",
        label="Joining link",
        help_text="Needed for an online or hybrid meeting. Shown only to the people invited.",
    )
    papers_due_working_days = forms.IntegerField(
        min_value=0,
        max_value=30,
        initial=5,
        label="Papers are due (working days before the meeting)",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )

    def __init__(self, *args, meeting: Meeting | None = None, **kwargs):
        if meeting is not None:
            starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
            kwargs.setdefault(
                "initial",
                {
                    "date": starts.date(),
                    "start_time": starts.time(),
                    "end_time": ends.time(),
                    "name": meeting.name,
                    "location": meeting.location,
                    "mode": meeting.mode,
                    "joining_link": meeting.joining_link,
                },
            )
        super().__init__(*args, **kwargs)
        if meeting is not None:
            del self.fields["body"]
            del self.fields["papers_due_working_days"]
        if self.data.get("allow_clash") or self.data.get("ask_clash"):
            self.ask_about_clash()

    def ask_about_clash(self) -> None:
        """Shown once the service has said the body already meets at that time."""
        self.fields["allow_clash"] = forms.BooleanField(
            required=False,
            label="Yes, schedule a second meeting of the body at this time",
        )

    def meeting_fields(self) -> dict:
        """What the services take: London wall-clock times made timezone-aware."""
        data = self.cleaned_data
        return {
            "starts_at": datetime.combine(data["date"], data["start_time"], tzinfo=LONDON),
            "ends_at": datetime.combine(data["date"], data["end_time"], tzinfo=LONDON),
            "name": data["name"],
            "location": data["location"],
            "mode": data["mode"],
            "joining_link": data["joining_link"],
            "allow_clash": bool(data.get("allow_clash")),
        }


class SeriesChangeForm(ModelForm):
    """A series' place and how its meetings are held; changing it changes its future meetings."""

    class Meta:
        model = MeetingSeries
        fields = ["start_time", "end_time", "location", "mode", "papers_due_working_days"]
        labels = SeriesForm.Meta.labels
        help_texts = SeriesForm.Meta.help_texts
        widgets = SeriesForm.Meta.widgets


class EndSeriesForm(Form):
    ACTIONS = [
        ("cancel", "Cancel them: they stay listed as cancelled, and anyone sent papers is told"),
        ("delete", "Delete them: only meetings with no published agenda, papers or minutes"),
    ]
    what = forms.ChoiceField(
        choices=ACTIONS,
        widget=forms.RadioSelect,
        label="What should happen to the series' future meetings?",
        error_messages={"required": "Choose whether to cancel or delete the future meetings."},
    )
    reason = forms.CharField(
        max_length=300,
        required=False,
        label="Why (shown on cancelled meetings)",
        help_text="For example “The Board now meets quarterly”.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("what") == "cancel" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Say why the meetings are cancelled.")
        return cleaned


class CancelMeetingForm(Form):
    reason = forms.CharField(
        max_length=300,
        label="Why is the meeting cancelled?",
        help_text="Shown on the meeting's page and in calendars, for example “Not enough business”.",
    )


# --- Agenda ----------------------------------------------------------------------------------


class AgendaItemForm(ModelForm):
    presenter = PersonChoiceField(queryset=User.objects.none(), required=False, empty_label="No presenter")
    presenter_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="No organisation",
        label="Presenting organisation",
        help_text="Its officers can upload the item's papers.",
    )

    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "description",
            "purpose",
            "presenter",
            "presenter_organisation",
            "duration_minutes",
            "visibility",
            "restriction_reason",
        ]
        labels = {
            "duration_minutes": "Time allowed (minutes)",
            "visibility": "Who can see the item",
            "restriction_reason": "Reason for restriction",
        }
        help_texts = {
            "visibility": "Restricted items are for members only and are left out of public and partner packs.",
            "restriction_reason": "Needed for a restricted item, for example “Commercially sensitive bid pricing”.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "duration_minutes": forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = people()
        current = self.instance.presenter_organisation_id
        self.fields["presenter_organisation"].queryset = Organisation.objects.filter(
            Q(is_archived=False) | Q(pk=current)
        ).order_by("name")
        self.fields["duration_minutes"].min_value = 1

    def clean_duration_minutes(self):
        minutes = self.cleaned_data["duration_minutes"]
        if minutes < 1:
            raise forms.ValidationError("An item needs at least a minute.")
        return minutes


class ForwardItemForm(ModelForm):
    presenter = PersonChoiceField(queryset=User.objects.none(), required=False, empty_label="No presenter")
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, empty_label="No organisation"
    )
    target_meeting = MeetingChoiceField(
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="No meeting yet",
        label="Meeting it is meant for",
        help_text="A meeting of the same body.",
    )

    class Meta:
        model = ForwardPlanItem
        fields = ["body", "title", "purpose", "presenter", "organisation", "target_meeting", "notes"]
        labels = {"body": "Governing body", "notes": "Notes for the agenda"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = people()
        self.fields["organisation"].queryset = organisations()
        self.fields["target_meeting"].queryset = upcoming_meetings()
        self.fields["purpose"].initial = Purpose.DISCUSSION


class AcceptForwardItemForm(Form):
    meeting = MeetingChoiceField(queryset=Meeting.objects.none(), label="Meeting", empty_label=None)

    def __init__(self, *args, forward_item: ForwardPlanItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = upcoming_meetings(forward_item.body)
        self.fields["meeting"].initial = forward_item.target_meeting_id


class DeferForwardItemForm(Form):
    meeting = MeetingChoiceField(
        queryset=Meeting.objects.none(), label="Defer to", required=False, empty_label="No meeting yet"
    )

    def __init__(self, *args, forward_item: ForwardPlanItem, **kwargs):
        super().__init__(*args, **kwargs)
        meetings = upcoming_meetings(forward_item.body)
        if forward_item.target_meeting_id:
            meetings = meetings.filter(starts_at__gt=forward_item.target_meeting.starts_at)
        self.fields["meeting"].queryset = meetings


# --- At and after the meeting ----------------------------------------------------------------


class AttendanceForm(Form):
    """The ticked boxes of the attendance table: people's ids, and who came as each member's
    deputy. Which people may be ticked is the service's rule (members of the body on the day)."""

    def clean(self):
        cleaned = super().clean()
        try:
            for name in ("present", "deputy_present", "apologies"):
                cleaned[name] = {int(value) for value in self.data.getlist(name)}
            cleaned["deputies"] = {
                int(key.removeprefix("deputy_for_")): int(value)
                for key, value in self.data.items()
                if key.startswith("deputy_for_") and value
            }
        except (TypeError, ValueError):
            raise forms.ValidationError("Tick people from the list of members.") from None
        return cleaned


class AlsoPresentForm(Form):
    name = forms.CharField(max_length=200, error_messages={"required": "Enter the person's name."})
    role = forms.CharField(max_length=200, required=False, help_text="For example “Minutes”.")
    organisation = forms.CharField(
        max_length=200,
        required=False,
        label="Organisation",
        help_text="Any organisation, a partner or not, for example “Department for Science, Innovation and Technology”.",
    )
    capacity = forms.ChoiceField(
        choices=AlsoPresent._meta.get_field("capacity").choices, label="Attending as", initial=Capacity.OFFICER
    )


class OralDeclarationForm(Form):
    """An interest declared aloud at the meeting, recorded by the programme manager."""

    person = forms.TypedChoiceField(coerce=int, label="Who declared it", error_messages={"required": "Choose who."})
    item_declared = forms.TypedChoiceField(
        coerce=int, label="In which item", error_messages={"required": "Choose the item."}
    )
    interest = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        label="The interest",
        error_messages={"required": "Describe the interest."},
    )

    def __init__(self, *args, people_choices, item_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Choose who declared it"), *people_choices]
        self.fields["item_declared"].choices = [("", "Choose the item"), *item_choices]

    def clean_person(self):
        person = User.objects.filter(pk=self.cleaned_data["person"]).first()
        if person is None:
            raise forms.ValidationError("Choose who declared it.")
        return person


class WithdrawItemForm(Form):
    reason = forms.CharField(
        max_length=300,
        label="Why is the item withdrawn?",
        help_text="Shown on the agenda, in the supplement and in the minutes, for example “Deferred to March”.",
        error_messages={"required": "Say why the item is withdrawn."},
    )


class MessageMembersForm(Form):
    subject = forms.CharField(max_length=200, error_messages={"required": "Enter a subject."})
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        error_messages={"required": "Write the message."},
    )


class MinuteForm(Form):
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))


class DecisionForm(Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "Write the decision."})


class ActionForm(Form):
    """`owner_choices` is built once per page (members of the body first, then everyone else), so
    that a form for every item costs no queries."""

    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "Describe the action."}
    )
    owner = forms.TypedChoiceField(
        coerce=int, error_messages={"required": "Choose who owns the action."}, widget=FastSelect
    )
    due_on = forms.DateField(
        label="Due on",
        widget=DateInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"required": "Enter the date the action is due."},
    )

    def __init__(self, *args, owner_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = (
            owner_choices if isinstance(owner_choices, SharedChoices) else self.owner_options(owner_choices)
        )

    @staticmethod
    def owner_options(owner_choices) -> SharedChoices:
        """The owner list once for a page of action forms (its options are joined once)."""
        return SharedChoices([("", "Choose an owner"), *owner_choices])

    def clean_owner(self):
        owner = User.objects.filter(pk=self.cleaned_data["owner"], is_active=True).first()
        if owner is None:
            raise forms.ValidationError("Choose who owns the action.")
        return owner


class ErratumForm(Form):
    text = forms.CharField(
        label="Correction",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the approved minutes got wrong, and what is right.",
        error_messages={"required": "Describe the correction."},
    )


class SeminarForm(ModelForm):
    """A seminar as the programme manager writes it. The executive report is checked by its
    content in meetings.services (check_executive_report), whose error the view puts beside it."""

    executive_report = forms.FileField(
        label="Executive report",
        required=False,
    )
    publish_at = forms.DateTimeField(
        required=False,
        widget=LocalDateTimeInput,
        label="Publish at",
        help_text="Leave empty to publish now. A time in the future schedules it.",
    )

    class Meta:
        model = Seminar
        fields = ["title", "slug", "held_on", "venue", "delegates", "summary", "body"]
        widgets = {"held_on": DateInput, "summary": forms.Textarea(attrs={"rows": 3})}
        labels = {"held_on": "Date held", "delegates": "Number of delegates"}
        help_texts = {
            "slug": "Its web address: /seminars/<this>/. Lower-case letters, numbers and hyphens.",
            "body": "Markdown: ## for a heading, **bold**, [a link](https://...), - for a list.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["executive_report"].help_text = (
            f"Optional. A PDF of up to {settings.PAPER_MAX_BYTES // 1_000_000} MB. "
            "Choosing a file replaces the current report."
        )
        if self.instance.pk and self.instance.published_at:
            self.fields["publish_at"].initial = timezone.localtime(self.instance.published_at)

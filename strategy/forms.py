"""Forms for the strategy's pages. They read input; the rules live in services and models, whose
ValidationErrors are put beside the fields (diz_portal.forms.apply_validation_error)."""

from __future__ import annotations

from django import forms

from diz_portal.forms import DateInput, Form
from diz_portal.forms import Select as FastSelect
from partners.models import Organisation, Partnership
from strategy.models import EndorsementStatus, Section, StrategyVersion, VersionStatus


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.label} ({obj.get_status_display().lower()})"


class EndorsementForm(Form):
    version = forms.TypedChoiceField(
        coerce=int,
        error_messages={
            "required": "Choose the version the decision is about.",
            "invalid_choice": "Select a valid choice: only a consultation or final version can be endorsed.",
        },
    )
    status = forms.ChoiceField(choices=EndorsementStatus.choices, widget=forms.RadioSelect)
    deciding_body = forms.CharField(
        max_length=200, required=False, help_text="For example Overview and Scrutiny Committee, Cabinet or Trust Board."
    )
    scheduled_for = forms.DateField(
        label="Date the deciding body meets", required=False, widget=DateInput, help_text="For a scheduled decision."
    )
    decision_date = forms.DateField(label="Date of the decision", required=False, widget=DateInput)
    resolution = forms.CharField(
        label="Resolution, as recorded", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    amendments = forms.CharField(
        label="Amendments endorsed with",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only for “endorsed with amendments”.",
    )
    evidence_url = forms.URLField(
        label="Link to the published minutes or decision notice",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address, like https://democracy.example.org/decision/12."},
    )
    evidence_file = forms.FileField(
        label="Or upload an extract (PDF)", required=False, error_messages={"empty": "The file is empty."}
    )

    def __init__(self, *args, versions: list[StrategyVersion], **kwargs):
        """`versions`: those that may be endorsed (already loaded: the page has them)."""
        super().__init__(*args, **kwargs)
        self._versions = {v.pk: v for v in versions}
        self.fields["version"].choices = [(v.pk, f"{v.label} ({v.get_status_display().lower()})") for v in versions]

    def clean_version(self):
        return self._versions[self.cleaned_data["version"]]


class AmendmentRequestForm(Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), empty_label=None, label="On behalf of")
    section = forms.ModelChoiceField(
        queryset=Section.objects.none(),
        label="Section",
        empty_label="Choose a section",
        error_messages={"required": "Choose the section you want changed."},
    )
    proposed_text = forms.CharField(
        label="The text you propose",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the text you propose."},
    )
    reason = forms.CharField(
        label="Why the change is needed",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the change is needed."},
    )

    def __init__(self, *args, organisations, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["section"].queryset = sections
        self.fields["section"].label_from_instance = lambda s: f"Version {s.version.label}: {s.heading}"


def aim_choices() -> list[tuple[str, str]]:
    return [(str(number), aim) for number, aim in enumerate(Partnership.current().aims or [], start=1)]


class VersionForm(Form):
    label = forms.CharField(max_length=10, help_text="For example 1.1.")
    text = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="Start each section with a line “# ” and its heading.",
        error_messages={"required": "Enter the text, with each section starting “# ” and its heading."},
    )
    summary_of_changes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_material = forms.BooleanField(
        label="This is a material change: partners must endorse it again once it is final", required=False
    )
    aims = forms.MultipleChoiceField(
        label="Aims this version serves", required=False, widget=forms.CheckboxSelectMultiple
    )
    document = forms.FileField(label="Document (PDF)", required=False, error_messages={"empty": "The file is empty."})

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aims"].choices = aim_choices()
        if editing:
            del self.fields["label"]


class AnswerAmendmentForm(Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept it into a version"), ("decline", "Do not accept it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the amendment is accepted."},
    )
    into = VersionChoiceField(
        queryset=StrategyVersion.objects.none(), required=False, label="Accepted into version", empty_label="Choose"
    )
    response = forms.CharField(
        label="Answer to the partner",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when the amendment is not accepted: the reason.",
    )

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = strategy.versions.filter(
            status__in=[VersionStatus.DRAFT, VersionStatus.CONSULTATION]
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "accept" and not data.get("into"):
            self.add_error("into", "Choose the version the amendment is accepted into.")
        return data


class AddPartnerForm(Form):
    # Every listed organisation not yet in the process: joined as strings, not a template per option.
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), empty_label="Choose a partner", widget=FastSelect
    )
    deciding_body = forms.CharField(max_length=200, help_text="For example Cabinet, Trust Board or Corporation.")

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

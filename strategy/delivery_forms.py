"""Forms for the delivery plan's pages. They read input; the rules live in the models and in
strategy.delivery, whose ValidationErrors go beside the fields."""

from __future__ import annotations

from django import forms

from diz_portal.forms import DateInput, Form, ModelForm, Select, SelectMultiple
from partners.models import Organisation, User
from strategy.forms import aim_choices
from strategy.models import (
    CRITERIA,
    Idea,
    MilestoneStatus,
    Period,
    Project,
    Rag,
    Risk,
    Stage,
    Workstream,
)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.organisation.display_name})" if obj.organisation_id else obj.name


def partners():
    return Organisation.objects.listed().filter(membership_status="active")


def people():
    return User.objects.filter(is_active=True, organisation__isnull=False).select_related("organisation")


class WorkstreamForm(ModelForm):
    aim = forms.TypedChoiceField(coerce=int, label="Aim it serves")
    lead_person = PersonChoiceField(queryset=User.objects.none(), required=False)

    class Meta:
        model = Workstream
        fields = ["title", "aim", "summary", "lead_organisation", "lead_person", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aim"].choices = [(int(n), f"{n}. {text}") for n, text in aim_choices()]
        self.fields["lead_organisation"].queryset = partners()
        self.fields["lead_person"].queryset = people()


class ProjectForm(ModelForm):
    # Every organisation, person and decision is listed: joined as strings (diz_portal.forms.Select),
    # not rendered one template per option, which was most of the planning page's time.
    lead_person = PersonChoiceField(queryset=User.objects.none(), required=False, widget=Select)
    approved_by = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        label="Decisions that approved it",
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
        widget=SelectMultiple(attrs={"size": 6}),
    )
    move_milestones = forms.BooleanField(
        label="Move milestones that fall outside new dates to the nearest new date", required=False
    )

    class Meta:
        model = Project
        fields = [
            "title",
            "summary",
            "workstream",
            "lead_organisation",
            "lead_person",
            "stage",
            "rag",
            "rag_reason",
            "start_date",
            "end_date",
            "budget",
            "spend",
            "visibility",
        ]
        widgets = {
            "workstream": Select,
            "lead_organisation": Select,
            "start_date": DateInput,
            "end_date": DateInput,
            "stage": forms.RadioSelect,
            "rag": forms.RadioSelect,
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any organisation may be chosen, so that choosing one that is not a partner gets the
        # model's own message beside the field rather than "not one of the choices".
        self.fields["lead_organisation"].queryset = Organisation.objects.filter(is_archived=False)
        self.fields["lead_person"].queryset = people()
        # The lists are the same for every visit until an organisation or a person changes; the
        # querysets above still decide what a submitted choice may be.
        cache_choices(self.fields["lead_organisation"], "strategy-organisation-choices", ["partners"])
        cache_choices(self.fields["lead_person"], "strategy-person-choices", ["partners"])
        self.fields["stage"].choices = Stage.choices
        self.fields["rag"].choices = Rag.choices
        self.fields["approved_by"].choices = decision_choices()
        if self.instance.pk:
            self.initial.setdefault("approved_by", [d.pk for d in self.instance.approved_by.all()])

    def clean_approved_by(self):
        from meetings.models import Decision

        return list(Decision.objects.filter(pk__in=self.cleaned_data["approved_by"]))


def cache_choices(field: forms.ModelChoiceField, name: str, topics: list[str]) -> None:
    """Show a model choice field's options from the cache (kept until the topics change) instead of
    reading and labelling every row on each visit. Validation still asks the field's queryset."""
    from diz_portal import caching

    field.choices = caching.cached_value(
        name, topics, lambda: [(getattr(value, "value", value), str(label)) for value, label in field.choices]
    )


def decision_choices() -> list[tuple[int, str]]:
    """Every decision, newest first, kept until a meeting's records change (the planning page is
    opened often; the decisions change only when minutes are written)."""
    from diz_portal import caching
    from meetings.models import Decision

    return caching.cached_value(
        "strategy-decision-choices",
        ["meetings"],
        lambda: [
            (pk, f"{reference}: {text[:80]}")
            for pk, reference, text in Decision.objects.order_by("-meeting__starts_at", "-pk").values_list(
                "pk", "reference", "text"
            )
        ],
    )


class PartnerRoleForm(Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), empty_label="Choose a partner")
    role = forms.CharField(max_length=200, help_text="For example delivery partner, funder or host site.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partners()


class MilestoneForm(Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter what the milestone is."})
    due_date = forms.DateField(widget=DateInput, error_messages={"required": "Enter the date it is due."})


class MilestoneChangeForm(Form):
    due_date = forms.DateField(widget=DateInput, error_messages={"required": "Enter the date it is due."})
    status = forms.ChoiceField(choices=MilestoneStatus.choices, widget=forms.RadioSelect)
    done_date = forms.DateField(
        label="Date done", required=False, widget=DateInput, help_text="For a done milestone; today if left empty."
    )


SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class RiskForm(ModelForm):
    likelihood = forms.TypedChoiceField(
        coerce=int, choices=[("", "Choose"), *SCORE_CHOICES], help_text="1 (rare) to 5 (almost certain)."
    )
    impact = forms.TypedChoiceField(
        coerce=int, choices=[("", "Choose"), *SCORE_CHOICES], help_text="1 (minor) to 5 (severe)."
    )
    owner = PersonChoiceField(queryset=User.objects.none(), required=False)

    class Meta:
        model = Risk
        fields = ["kind", "description", "likelihood", "impact", "owner", "mitigation", "status"]
        widgets = {
            "kind": forms.RadioSelect,
            "status": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people()


class UpdateForm(Form):
    period = forms.ChoiceField(choices=Period.choices, widget=forms.RadioSelect, initial=Period.MONTH)
    period_start = forms.DateField(
        label="A day in the period", widget=DateInput, help_text="Any day of the month or quarter you report on."
    )
    rag = forms.ChoiceField(label="RAG status", choices=Rag.choices, widget=forms.RadioSelect)
    rag_reason = forms.CharField(
        label="Reason for the RAG status",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required for amber or red.",
    )
    narrative = forms.CharField(label="How the period went", widget=forms.Textarea(attrs={"rows": 5}))
    milestones_met = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="Milestones met"
    )
    milestones_slipped = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="Milestones slipped"
    )
    next_steps = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        milestones = project.milestones.exclude(status=MilestoneStatus.CANCELLED)
        self.fields["milestones_met"].queryset = milestones
        self.fields["milestones_slipped"].queryset = milestones


class IdeaForm(ModelForm):
    class Meta:
        model = Idea
        fields = ["title", "problem", "beneficiaries", "sponsor"]
        widgets = {"problem": forms.Textarea(attrs={"rows": 4}), "beneficiaries": forms.Textarea(attrs={"rows": 2})}


class ScoreForm(Form):
    """A mark from 1 to 5 and a rationale for each criterion. Marks are numbers typed in, and the
    model's rule says what is wrong with one out of range, beside it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, question in CRITERIA:
            self.fields[name] = forms.IntegerField(
                label=f"{label} (1 to 5)",
                help_text=question,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={"required": f"Score {label.lower()} from 1 to 5."},
            )
            self.fields[f"{name}_rationale"] = forms.CharField(
                label=f"Why, for {label.lower()}", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def pairs(self):
        return [(self[name], self[f"{name}_rationale"]) for name, _label, _question in CRITERIA]


class WeightsForm(Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, _question in CRITERIA:
            self.fields[name] = forms.IntegerField(
                label=f"{label} weight",
                min_value=0,
                max_value=10,
                error_messages={
                    "min_value": "Enter a weight from 0 to 10.",
                    "max_value": "Enter a weight from 0 to 10.",
                },
            )


class PromoteForm(Form):
    workstream = forms.ModelChoiceField(queryset=Workstream.objects.all(), empty_label="Choose a workstream")
    lead_organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), empty_label="Choose a partner")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = partners()


class ProjectFilterForm(Form):
    aim = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    stage = forms.ChoiceField(required=False)
    district = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False, empty_label="Any district")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aim"].choices = [("", "Any aim"), *[(int(n), f"{n}. {t[:60]}") for n, t in aim_choices()]]
        self.fields["stage"].choices = [("", "Any stage"), *Stage.choices]
        self.fields["district"].queryset = Organisation.objects.listed().filter(org_type="district_council")


class AgendaLinkForm(Form):
    item = forms.ModelChoiceField(
        queryset=None,
        label="Agenda item",
        empty_label="Choose an item",
        help_text="Items of meetings to come.",
        error_messages={"required": "Choose the agenda item."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        from meetings.models import AgendaItem

        self.fields["item"].queryset = (
            AgendaItem.objects.filter(meeting__ends_at__gte=timezone.now(), standing_kind="")
            .select_related("meeting__body")
            .order_by("meeting__starts_at", "number", "suffix")
        )
        self.fields["item"].label_from_instance = lambda i: (
            f"{i.meeting.body.name}, {timezone.localtime(i.meeting.starts_at):%-d %B %Y}: {i.label}. {i.title}"
        )

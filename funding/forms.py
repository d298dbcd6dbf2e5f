"""Funding's forms. Model forms run the model's clean(), so a rule refused by the model (an
accountable body that cannot act as one, a claim past what remains) shows beside its field; the
views then call funding.services, whose ValidationError goes beside its field too."""

from __future__ import annotations

from django import forms

from diz_portal.caching import cached_value
from diz_portal.forms import DateInput, Form, ModelForm, Select, apply_validation_error
from funding.models import (
    Allocation,
    Award,
    Bid,
    BidDocument,
    Claim,
    Contribution,
    Funder,
    GoDecision,
    Opportunity,
    ReportingDeadline,
    Stage,
)
from funding.opendata import TOPICS
from partners.models import Organisation, User

DATE_WIDGETS = {
    name: DateInput()
    for name in (
        "opens_on",
        "closes_on",
        "internal_deadline",
        "funder_deadline",
        "finance_signed_off_on",
        "letter_received_on",
        "awarded_on",
        "starts_on",
        "ends_on",
        "due_on",
        "submitted_on",
        "paid_on",
        "allocated_on",
    )
}


class RulesForm(ModelForm):
    """A model form whose model's rules may name a field the form does not ask for (an award's
    bid, a claim's award): those messages go to the top of the form instead of raising ValueError,
    which is what Django's own ModelForm does with them."""

    def _update_errors(self, errors):
        apply_validation_error(self, errors)


def organisations():
    return Organisation.objects.filter(is_archived=False).order_by("name")


class OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.organisation.name})" if obj.organisation_id else obj.name


class FunderForm(RulesForm):
    website = forms.URLField(required=False, assume_scheme="https", help_text="For example https://www.example.org")

    class Meta:
        model = Funder
        fields = ["name", "org_id", "funder_type", "website"]


class OpportunityForm(RulesForm):
    link = forms.URLField(required=False, assume_scheme="https", help_text="The funder's page for the programme.")

    class Meta:
        model = Opportunity
        fields = [
            "funder",
            "programme",
            "opens_on",
            "closes_on",
            "minimum_award",
            "maximum_award",
            "match_percent",
            "eligibility",
            "link",
        ]
        widgets = DATE_WIDGETS


class DecisionForm(Form):
    decision = forms.ChoiceField(
        label="Go or no go?",
        choices=[(GoDecision.GO, "Go: bid for it"), (GoDecision.NO_GO, "No go: do not bid")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 4}))
    board_decision_ref = forms.CharField(
        label="Board decision reference",
        required=False,
        max_length=40,
        help_text="If the Board decided, e.g. BRD/2019/14.",
    )


class BidForm(RulesForm):
    accountable_body = OrganisationChoice(
        queryset=organisations(),
        required=False,
        help_text="An active partner that is a legal entity: it receives the money for the partnership.",
    )
    lead_officer = PersonChoice(
        queryset=User.objects.filter(is_active=True).select_related("organisation").order_by("name"), required=False
    )

    class Meta:
        model = Bid
        fields = [
            "title",
            "opportunity",
            "summary",
            "lead_officer",
            "accountable_body",
            "amount_requested",
            "total_cost",
            "internal_deadline",
            "funder_deadline",
            "projects",
        ]
        widgets = DATE_WIDGETS | {"projects": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].queryset = Opportunity.objects.select_related("funder").order_by("funder__name")
        self.fields["accountable_body"].queryset = organisations()
        self.fields["projects"].queryset = self.fields["projects"].queryset.order_by("title")


class SignOffForm(RulesForm):
    class Meta:
        model = Bid
        fields = ["finance_officer", "finance_signed_off_on"]
        widgets = DATE_WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True


class MoveForm(Form):
    stage = forms.ChoiceField(label="Move the bid to", widget=forms.RadioSelect)
    feedback = forms.CharField(
        label="Feedback",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For an outcome: what the funder said, or why the bid was withdrawn.",
    )

    def __init__(self, *args, bid: Bid, **kwargs):
        super().__init__(*args, **kwargs)
        # Every stage is offered, so a move that is not allowed is refused with the reason, not hidden.
        allowed = set(bid.allowed_moves())
        self.fields["stage"].choices = [
            (value, f"{label}{'' if value in allowed else ' (not allowed from here)'}")
            for value, label in Stage.choices
            if value != bid.stage
        ]


class ContributionForm(RulesForm):
    organisation = OrganisationChoice(queryset=organisations(), label="Partner")
    letter = forms.FileField(label="Letter of support", required=False, help_text="A PDF or Word document.")

    class Meta:
        model = Contribution
        fields = ["organisation", "kind", "amount", "status", "description", "letter_received_on"]
        widgets = DATE_WIDGETS | {"kind": forms.RadioSelect, "status": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations()


class DocumentForm(RulesForm):
    upload = forms.FileField(label="File", help_text="A PDF, Word, OpenDocument, Excel or PowerPoint document.")

    class Meta:
        model = BidDocument
        fields = ["title", "kind"]


class ReplaceDocumentForm(Form):
    upload = forms.FileField(label="New version", help_text="The earlier versions are kept.")


class AwardForm(RulesForm):
    agreement = forms.FileField(label="Grant agreement", required=False, help_text="A PDF or Word document.")

    class Meta:
        model = Award
        fields = [
            "amount",
            "awarded_on",
            "funder_reference",
            "conditions",
            "title",
            "description",
            "starts_on",
            "ends_on",
            "is_published",
        ]
        widgets = DATE_WIDGETS


class ClaimForm(RulesForm):
    class Meta:
        model = Claim
        fields = ["period", "due_on", "amount", "evidence", "submitted_on", "paid_on"]
        widgets = DATE_WIDGETS | {"evidence": forms.Textarea(attrs={"rows": 3})}


class AllocationForm(RulesForm):
    organisation = OrganisationChoice(queryset=organisations(), label="Delivery partner")

    class Meta:
        model = Allocation
        fields = ["organisation", "amount", "purpose", "allocated_on", "paid_amount"]
        widgets = DATE_WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations()


class ReportForm(RulesForm):
    class Meta:
        model = ReportingDeadline
        fields = ["title", "due_on", "submitted_on"]
        widgets = DATE_WIDGETS


def filter_choices() -> tuple[list, list]:
    """The table's funders and accountable bodies as (pk, name), kept until funding or the
    partners change: the filter is on a page members open often, and its lists are long."""

    def load():
        funders = list(Funder.objects.order_by("name").values_list("pk", "name"))
        bodies = list(
            Organisation.objects.filter(accountable_bids__isnull=False)
            .distinct()
            .order_by("name")
            .values_list("pk", "name")
        )
        return funders, bodies

    return cached_value("funding-bid-filter-choices", TOPICS, load)


class PipelineFilterForm(Form):
    """Funder and accountable body are chosen by id among cached choices, read only when the
    filters are checked or drawn: the unfiltered table served from the cache asks for neither."""

    funder = forms.TypedChoiceField(
        choices=lambda: [("", "Any funder"), *filter_choices()[0]],
        coerce=int,
        required=False,
        empty_value=None,
        widget=Select,
    )
    stage = forms.ChoiceField(choices=[("", "Any stage"), *Stage.choices], required=False, widget=Select)
    accountable_body = forms.TypedChoiceField(
        choices=lambda: [("", "Any accountable body"), *filter_choices()[1]],
        coerce=int,
        required=False,
        empty_value=None,
        widget=Select,
    )
    deadline_before = forms.DateField(label="Deadline on or before", required=False, widget=DateInput())

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}

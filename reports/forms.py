from django import forms
from django.utils.text import capfirst

from diz_portal.forms import Form
from reports import periods
from reports.models import ReportKind
from reports.services import periods_for


class ReportRequestForm(Form):
    kind = forms.ChoiceField(label="Report", choices=ReportKind.choices)
    period = forms.CharField(
        label="Period",
        help_text="The highlight and endorsement reports cover a quarter of the financial year; the funding "
        "and partner engagement reports a whole financial year.",
        widget=forms.Select,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        quarters = [(p.key, capfirst(p.label)) for p in periods_for(ReportKind.HIGHLIGHT)]
        years = [(p.key, capfirst(p.label)) for p in periods_for(ReportKind.FUNDING)]
        self.fields["period"].widget.choices = [("Quarters", quarters), ("Financial years", years)]

    def clean_period(self):
        try:
            return periods.parse(self.cleaned_data["period"])
        except (ValueError, TypeError):
            raise forms.ValidationError("Choose a quarter or a financial year from the list.") from None

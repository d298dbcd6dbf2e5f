"""Form plumbing shared by every app: GOV.UK Frontend classes on widgets and error messages
linked to their fields, so that any form rendered with components/field.html is accessible."""

import html
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import mark_safe

WIDGET_CLASSES = {
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "checkbox": "govuk-checkboxes__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "radioselect": "govuk-radios__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}
ERROR_CLASSES = {
    "select": "govuk-select--error",
    "textarea": "govuk-textarea--error",
    "clearablefile": "govuk-file-upload--error",
    "file": "govuk-file-upload--error",
}


class GovukBoundField(BoundField):
    """Django already links help text and errors through aria-describedby and sets aria-invalid;
    this adds the design system's classes."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        kind = self.widget_type if widget is None else widget.__class__.__name__.lower().removesuffix("input")
        classes = [WIDGET_CLASSES.get(kind, "govuk-input")]
        if self.errors:
            classes.append(ERROR_CLASSES.get(kind, "govuk-input--error"))
        if attrs.get("class"):
            classes.append(attrs["class"])
        attrs["class"] = " ".join(classes)
        return attrs


class Select(forms.Select):
    """A select whose options are joined as strings instead of rendered one template each: a list
    of every person (an action's owner, on every item of the minutes page) cost most of the page's
    time in Django's per-option templates. Named Select so the design system's class still applies
    (GovukBoundField picks the class by the widget's name)."""

    def render(self, name, value, attrs=None, renderer=None):
        if isinstance(self.choices, SharedChoices) and value in (None, ""):
            # The same long list on many forms of a page, nothing chosen yet: joined once.
            final_attrs = self.build_attrs(self.attrs, attrs)
            options = self.choices.options_html(
                lambda: self._options_html(self.optgroups(name, self.format_value(value), final_attrs))
            )
        else:
            context = self.get_context(name, value, attrs)["widget"]
            final_attrs, options = context["attrs"], self._options_html(context["optgroups"])
        return mark_safe(f'<select name="{_escape(name)}"{flatatt(final_attrs)}>{options}</select>')  # noqa: S308 - every part escaped

    @staticmethod
    def _options_html(optgroups) -> str:
        # Plain str.join and html.escape (what Django's escape does, without its lazy-string
        # wrappers): a list of a thousand people or decisions is rendered on busy pages.
        def options(group_options):
            return "".join(
                f'<option value="{_escape("" if o["value"] is None else o["value"])}"'
                f"{' selected' if o['selected'] else ''}>{_escape(o['label'])}</option>"
                for o in group_options
            )

        return "".join(
            f'<optgroup label="{_escape(group)}">{options(group_options)}</optgroup>'
            if group
            else options(group_options)
            for group, group_options, _index in optgroups
        )


def _escape(value) -> str:
    """conditional_escape without the lazy-string machinery: safe strings stay as they are."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class SelectMultiple(Select, forms.SelectMultiple):
    """The same joined-strings select, choosing several (every decision, on the project planning
    page). Named SelectMultiple so it keeps the class Django's own widget gets."""


class SharedChoices(BaseChoiceIterator):
    """Choices given to many fields of one page (every item's action owner on the minutes page):
    `Select` joins their options once for all the fields that have nothing chosen. Django passes
    a choice iterator through unchanged, so every field holds this same object."""

    def __init__(self, choices):
        self.choices = list(choices)
        self._html = None

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)

    def options_html(self, render) -> str:
        if self._html is None:
            self._html = render()
        return self._html


class GovukFormRenderer(TemplatesSetting):
    """Every form in the project, allauth's included, renders with the design system's markup."""

    bound_field_class = GovukBoundField
    form_template_name = "components/form_fields.html"
    field_template_name = "components/field.html"


# Limits on what anyone may type, on every form built from Form/ModelForm below: a date far
# outside the partnership's life (year 1 overflowed into a server error) and an unbounded text
# (megabytes into a page, a PDF, an email) get a clear message beside the field instead.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
FREE_TEXT_LIMIT = 20_000


def within_sane_dates(value) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            "Enter a date between %(earliest)s and %(latest)s.",
            code="date_out_of_range",
            params={"earliest": EARLIEST_DATE.year, "latest": LATEST_DATE.year},
        )


class SaneLimits:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField):
                field.validators.append(within_sane_dates)
            elif isinstance(field, forms.CharField) and field.max_length is None:  # longer: said explicitly
                field.max_length = FREE_TEXT_LIMIT
                field.validators.append(
                    MaxLengthValidator(
                        FREE_TEXT_LIMIT,
                        message=f"Keep this under {FREE_TEXT_LIMIT:,} characters (it has %(show_value)s).",
                    )
                )


class Form(SaneLimits, forms.Form):
    pass


class ModelForm(SaneLimits, forms.ModelForm):
    pass


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        bounds = {"min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}
        super().__init__(attrs=bounds | (attrs or {}), format="%Y-%m-%d")


def apply_validation_error(form, error, *, names: dict | None = None, default_field: str | None = None) -> None:
    """Put a service's ValidationError beside the form field it is about. `names` maps a model's
    field names to the form's (a service says "starts_at", the form asks for "start_time"); an
    error about no field of the form goes to `default_field`, or to the top of the form."""
    names = names or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = names.get(name, name)
            form.add_error(name if name in form.fields else default_field, errors)
    else:
        form.add_error(default_field, error)


def filter_query(request) -> str:
    """The page's filters as a query string without the page number, for pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")

from django import forms
from django.contrib.auth import password_validation
from django.db.models import Q
from django.utils import timezone

from diz_portal.forms import DateInput, Form, ModelForm
from partners.models import County, Membership, Organisation, Sector, User


class DirectoryFilterForm(Form):
    sector = forms.ChoiceField(choices=[("", "All sectors"), *Sector.choices], required=False)
    county = forms.ChoiceField(choices=[("", "All areas"), *County.choices], required=False)


class OrganisationForm(ModelForm):
    website = forms.URLField(required=False, assume_scheme="https", help_text="For example https://www.example.org")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "slug",
            "org_type",
            "county",
            "org_id",
            "is_legal_entity",
            "website",
            "membership_status",
            "joined_on",
            "left_on",
            "description",
            "population",
            "businesses",
        ]
        widgets = {"joined_on": DateInput(), "left_on": DateInput(), "description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"slug": "Used in the page address, e.g. epping-forest-district-council."}
        labels = {
            "org_id": "Organisation identifier (org-id)",
            "slug": "Web address name",
            "is_legal_entity": "This is a legal entity (it can act as accountable body for a bid)",
            "joined_on": "Joined the partnership on",
            "left_on": "Left the partnership on",
            "population": "Population served",
            "businesses": "Number of businesses",
        }
        error_messages = {
            "name": {"unique": "A partner with this name already exists."},
            "slug": {"unique": "Another partner already uses this web address."},
            "org_id": {"unique": "Another partner already has this org-id identifier."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", "Not in a county (or not relevant)"), *County.choices]

    def clean_org_id(self):
        value = (self.cleaned_data.get("org_id") or "").strip().upper()
        return value or None


class InviteForm(Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(label="Email address")
    job_title = forms.CharField(max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(is_archived=False), required=False, empty_label="No partner organisation"
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email address already exists.")
        return email


class AcceptInvitationForm(Form):
    password1 = forms.CharField(
        label="Choose a password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="Enter the password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        password_validation.validate_password(password, self.user)
        return password

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", "The two passwords do not match.")
        return cleaned


def people_choices():
    return User.objects.filter(is_active=True).select_related("organisation").order_by("name")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.organisation.display_name})" if obj.organisation_id else obj.name


class MembershipForm(ModelForm):
    person = PersonChoiceField(queryset=User.objects.none())
    deputy = PersonChoiceField(queryset=User.objects.none(), required=False, empty_label="No deputy")

    class Meta:
        model = Membership
        fields = ["person", "organisation", "role", "role_note", "deputy", "started_on", "ended_on"]
        labels = {"organisation": "Organisation represented", "started_on": "Starts on", "ended_on": "Ends on"}
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.body = body
        self.fields["person"].queryset = people_choices()
        self.fields["deputy"].queryset = people_choices()
        current_org = self.instance.organisation_id if self.instance.pk else None
        self.fields["organisation"].queryset = Organisation.objects.filter(
            Q(is_archived=False) | Q(pk=current_org)
        ).order_by("name")


class EndMembershipForm(Form):
    ended_on = forms.DateField(label="Last day of membership", widget=DateInput())

    def __init__(self, *args, membership, **kwargs):
        self.membership = membership
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()

    def clean_ended_on(self):
        ended_on = self.cleaned_data["ended_on"]
        if ended_on < self.membership.started_on:
            raise forms.ValidationError("A membership cannot end before it starts.")
        return ended_on


class ChangeRepresentativeForm(Form):
    person = PersonChoiceField(queryset=User.objects.none(), label="New representative")
    on = forms.DateField(label="Starts on", widget=DateInput())

    def __init__(self, *args, membership, **kwargs):
        self.membership = membership
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_choices().exclude(pk=membership.person_id)
        self.fields["on"].initial = timezone.localdate()

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on <= self.membership.started_on:
            raise forms.ValidationError("The new representative must start after the current one started.")
        return on

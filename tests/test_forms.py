"""The fast select (diz_portal.forms.Select): the same markup as Django's, and a long list shared
by many fields of a page (SharedChoices) joined once without losing what one field has chosen."""

from django import forms

from diz_portal.forms import Form, Select, SharedChoices

PEOPLE = [("", "Choose an owner"), ("Members", [(1, "Ann <Able>"), (2, "Ben")]), ("Everyone else", [(3, "Cy")])]


class OwnerForm(Form):
    owner = forms.TypedChoiceField(coerce=int, widget=Select)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = choices


def test_shared_choices_render_as_the_plain_list_does():
    shared = SharedChoices(PEOPLE)
    plain = str(OwnerForm(prefix="a", choices=PEOPLE)["owner"])
    first = str(OwnerForm(prefix="a", choices=shared)["owner"])
    second = str(OwnerForm(prefix="b", choices=shared)["owner"])
    assert first == plain
    assert second == plain.replace("a-owner", "b-owner")
    assert '<option value="" selected>Choose an owner</option>' in first
    assert '<optgroup label="Members"><option value="1">Ann &lt;Able&gt;</option>' in first
    assert 'class="govuk-select"' in first


def test_a_field_with_a_choice_shows_it_selected_and_the_shared_list_stays_blank():
    shared = SharedChoices(PEOPLE)
    blank = str(OwnerForm(prefix="a", choices=shared)["owner"])
    chosen = str(OwnerForm({"b-owner": "2"}, prefix="b", choices=shared)["owner"])
    assert '<option value="2" selected>Ben</option>' in chosen
    assert '<option value="" selected>' not in chosen
    again = str(OwnerForm(prefix="c", choices=shared)["owner"])
    assert again == blank.replace("a-owner", "c-owner")


def test_shared_choices_validate_like_a_list():
    shared = SharedChoices(PEOPLE)
    assert OwnerForm({"owner": "3"}, choices=shared).is_valid()
    form = OwnerForm({"owner": "9"}, choices=shared)
    assert not form.is_valid() and "owner" in form.errors

"""Issue 6, point 8: nothing a person types is rendered unescaped (a name in help text included)."""

from django.urls import reverse

from tests.conftest import sign_in
from tests.factories import UserFactory

MARKUP = '<img src=x onerror="alert(1)">Eve'


def test_a_deputys_name_with_markup_is_shown_as_text(client, world):
    carol = world["users"]["member"]
    seat = world["carol_seat"]
    seat.deputy = UserFactory(name=MARKUP, organisation=carol.organisation)
    seat.save()
    sign_in(client, carol)
    page = client.get(reverse("meetings:meeting", kwargs={"pk": world["meeting"].pk})).content.decode()
    assert "Your usual deputy is" in page
    assert MARKUP not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Eve" in page


def test_the_field_component_renders_help_text_escaped_unless_built_safe():
    from django import forms
    from django.template.loader import render_to_string
    from django.utils.html import format_html

    class Probe(forms.Form):
        typed = forms.CharField(help_text=MARKUP)
        built = forms.CharField(help_text=format_html("<strong>{}</strong>", MARKUP))

    form = Probe()
    html = render_to_string("components/field.html", {"field": form["typed"]})
    assert MARKUP not in html and "&lt;img" in html
    html = render_to_string("components/field.html", {"field": form["built"]})
    assert "<strong>&lt;img" in html

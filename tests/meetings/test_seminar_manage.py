"""The programme manager writes seminars as she writes news: a draft, previewed as the public will
see it, published now or scheduled, taken back to a draft, with its history; the executive report
is checked by its content. The public pages show each change straight away, even when they were
cached. Bad input is explained beside its field, what was typed is kept, and nothing is written."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diz_portal import caching
from meetings.models import Seminar
from tests.conftest import sign_in
from tests.factories import SeminarFactory
from tests.meetings.conftest import docx_upload, exe_upload, pdf_upload
from tests.support.forms import field_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def pm(alice):
    return sign_in(Client(), alice)


def seminar_data(**extra):
    return {
        "title": "Smart places and the NHS",
        "slug": "smart-places-nhs",
        "held_on": "2025-11-20",
        "venue": "Harlow College",
        "delegates": "85",
        "summary": "Health and councils together.",
        "body": "## What we heard\n\nPartners **agreed** to share data.",
    } | extra


def url(name, **kwargs):
    return reverse(f"manage_meetings:{name}", kwargs=kwargs or None)


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_programme_manager_publishes_a_seminar_with_its_report_and_history(pm, alice, client):
    response = pm.post(url("seminar_create"), seminar_data(action="publish", executive_report=pdf_upload("r.pdf")))
    assert response.status_code == 302
    seminar = Seminar.objects.get()
    assert seminar.state == "published" and seminar.delegates == 85
    assert seminar.history.get().history_user == alice
    html = client.get(seminar.get_absolute_url()).content.decode()
    assert '<h2 class="govuk-heading-m">What we heard</h2>' in html and "<strong>agreed</strong>" in html
    report = client.get(reverse("meetings:seminar_report", kwargs={"slug": seminar.slug}))
    assert report.status_code == 200 and b"".join(report.streaming_content).startswith(b"%PDF-")


def test_a_draft_stays_private_and_a_scheduled_seminar_waits_for_its_time(pm, client):
    pm.post(url("seminar_create"), seminar_data(action="save"))
    seminar = Seminar.objects.get()
    assert seminar.state == "draft"
    assert client.get(seminar.get_absolute_url()).status_code == 404
    later = timezone.localtime() + timedelta(days=2)
    pm.post(
        url("seminar_edit", pk=seminar.pk),
        seminar_data(action="publish", publish_at=later.strftime("%Y-%m-%dT%H:%M")),
    )
    seminar.refresh_from_db()
    assert seminar.state == "scheduled"
    assert client.get(seminar.get_absolute_url()).status_code == 404
    assert [change.status for change in seminar.history.order_by("history_date")] == ["draft", "published"]


def test_preview_shows_the_rendered_text_and_writes_nothing(pm, settings):
    response = pm.post(
        url("seminar_create"),
        seminar_data(
            action="preview",
            body="**Strong** <script>alert(1)</script>",
            executive_report=pdf_upload("r.pdf"),
        ),
    )
    html = response.content.decode()
    assert "Preview (not saved)" in html and "<strong>Strong</strong>" in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not Seminar.objects.exists()
    assert stored_files(settings) == []


def test_previewing_a_published_seminar_changes_nothing_in_public(pm, client):
    seminar = SeminarFactory(summary="The words in public.")
    pm.post(url("seminar_edit", pk=seminar.pk), seminar_data(slug=seminar.slug, summary="New words", action="preview"))
    seminar.refresh_from_db()
    assert seminar.summary == "The words in public."
    assert "New words" not in client.get(seminar.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (exe_upload("report.pdf"), "must be a PDF, Word"),  # an executable renamed
        (docx_upload("report.docx"), "must be a PDF (this is a Word file)"),
        (SimpleUploadedFile("report.pdf", b"%PDF-1.4\nnot really a pdf"), "cannot be used"),
    ],
    ids=["executable", "word", "damaged-pdf"],
)
def test_a_report_that_is_not_a_readable_pdf_is_refused_and_nothing_is_written(pm, settings, upload, message):
    response = pm.post(url("seminar_create"), seminar_data(action="publish", executive_report=upload))
    assert response.status_code == 200
    assert message in field_error(response, "executive_report")
    assert 'value="Smart places and the NHS"' in response.content.decode()
    assert not Seminar.objects.exists()
    assert stored_files(settings) == []


def test_bad_input_is_explained_beside_each_field_and_nothing_is_written(pm):
    SeminarFactory(slug="taken")
    response = pm.post(
        url("seminar_create"),
        seminar_data(action="publish", slug="taken", title="", held_on="31/02/2025", delegates="many"),
    )
    assert response.status_code == 200
    assert "This field is required" in field_error(response, "title")
    assert "already exists" in field_error(response, "slug")
    assert field_error(response, "held_on")
    assert field_error(response, "delegates")
    html = response.content.decode()
    assert 'value="Harlow College"' in html and "Partners **agreed** to share data." in html
    assert Seminar.objects.count() == 1


def test_an_edit_reaches_the_cached_public_pages_at_once(pm, client):
    seminar = SeminarFactory(title="Smart places", summary="The old words.")
    for address in (seminar.get_absolute_url(), reverse("meetings:seminars")):
        client.get(address)
        assert client.get(address)[caching.HIT_HEADER] == "hit"  # the public's copy is cached
    pm.post(
        url("seminar_edit", pk=seminar.pk),
        seminar_data(title="Smart places, revised", slug=seminar.slug, summary="The new words.", action="save"),
    )
    assert "The new words." in client.get(seminar.get_absolute_url()).content.decode()
    assert "Smart places, revised" in client.get(reverse("meetings:seminars")).content.decode()


def test_publishing_and_unpublishing_reach_the_cached_public_pages_at_once(pm, client):
    pm.post(url("seminar_create"), seminar_data(action="save"))
    seminar = Seminar.objects.get()
    listing = reverse("meetings:seminars")
    client.get(listing)
    assert seminar.title not in client.get(listing).content.decode()  # served from the cache
    pm.post(url("seminar_edit", pk=seminar.pk), seminar_data(action="publish"))
    assert seminar.title in client.get(listing).content.decode()
    assert client.get(seminar.get_absolute_url()).status_code == 200
    assert client.get(seminar.get_absolute_url())[caching.HIT_HEADER] == "hit"
    pm.post(url("seminar_edit", pk=seminar.pk), seminar_data(action="unpublish"))
    seminar.refresh_from_db()
    assert seminar.state == "draft"
    assert client.get(seminar.get_absolute_url()).status_code == 404
    assert seminar.title not in client.get(listing).content.decode()


def test_the_list_shows_each_seminars_state_and_typed_markup_as_text(pm):
    SeminarFactory(title="Published one")
    SeminarFactory(title="Draft one", status="draft", published_at=None)
    SeminarFactory(title="<b>Later</b> one", published_at=timezone.now() + timedelta(days=1))
    html = pm.get(url("seminars")).content.decode()
    assert "Published one" in html and "Draft one" in html
    assert "&lt;b&gt;Later&lt;/b&gt; one" in html and "<b>Later</b>" not in html
    assert html.count(">Draft</strong>") == 1 and html.count(">Scheduled</strong>") == 1
    assert html.count(">Published</strong>") == 1


def test_the_history_shows_who_changed_what_and_when(pm):
    pm.post(url("seminar_create"), seminar_data(action="save"))
    seminar = Seminar.objects.get()
    pm.post(url("seminar_edit", pk=seminar.pk), seminar_data(title="Renamed", action="publish"))
    html = pm.get(url("seminar_history", pk=seminar.pk)).content.decode()
    assert "Alice Able" in html
    assert "Renamed" in html and "Smart places and the NHS" in html
    assert "Published (" in html and "Draft" in html


def test_the_management_index_links_to_the_seminars(pm):
    assert url("seminars") in pm.get(reverse("manage:index")).content.decode()

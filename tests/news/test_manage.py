"""The programme manager writes, previews, schedules and publishes news (with history), edits the
pages' text, composes a newsletter, sends a test to themselves, sends it and watches its progress,
and exports or deletes subscribers. Bad input is explained beside its field and nothing is written."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from news.models import IssueStatus, NewsItem, NewsletterIssue, Page, Subscriber
from partners.models import Partnership
from tests.conftest import sign_in
from tests.news.conftest import issue, news_item, subscriber
from tests.support.forms import field_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def pm(client, alice):
    Partnership.objects.create(name="Test Zone", short_name="TZ", aims=["Connect", "Include"])
    return sign_in(client, alice)


def news_data(**extra):
    return {
        "title": "Full fibre arrives",
        "slug": "full-fibre",
        "summary": "It is here.",
        "body": "## Why\n\nSpeed.",
    } | extra


def test_the_programme_manager_publishes_news_now_with_history(pm, alice):
    response = pm.post(reverse("manage_news:news_create"), news_data(action="publish", aims=["2"]))
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert item.state == "published" and item.aims == [2] and item.created_by == alice
    assert item.history.first().history_user == alice
    html = pm.get(reverse("manage_news:news_history", kwargs={"pk": item.pk})).content.decode()
    assert "Alice Able" in html


def test_a_draft_saved_is_not_public_and_a_scheduled_one_waits(pm, client):
    pm.post(reverse("manage_news:news_create"), news_data(action="save"))
    item = NewsItem.objects.get()
    assert item.state == "draft"
    later = timezone.localtime() + timedelta(days=2)
    pm.post(
        reverse("manage_news:news_edit", kwargs={"pk": item.pk}),
        news_data(action="publish", publish_at=later.strftime("%Y-%m-%dT%H:%M")),
    )
    item.refresh_from_db()
    assert item.state == "scheduled"
    assert item.history.count() == 2


def test_preview_shows_the_rendered_text_and_writes_nothing(pm):
    response = pm.post(
        reverse("manage_news:news_create"), news_data(action="preview", body="**Strong** <script>x</script>")
    )
    html = response.content.decode()
    assert "Preview (not saved)" in html and "<strong>Strong</strong>" in html and "<script>x" not in html
    assert not NewsItem.objects.exists()


def test_bad_news_input_is_explained_beside_each_field_and_nothing_is_written(pm):
    news_item("taken")
    response = pm.post(
        reverse("manage_news:news_create"),
        news_data(action="publish", slug="taken", title="", image=SimpleUploadedFile("photo.png", b"not an image")),
    )
    assert response.status_code == 200
    assert "This field is required" in field_error(response, "title")
    assert "already exists" in field_error(response, "slug")
    assert "valid image" in field_error(response, "image")
    assert 'value="It is here."' in response.content.decode()
    assert NewsItem.objects.count() == 1


def test_an_image_without_a_description_is_refused(pm):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="PNG")
    response = pm.post(
        reverse("manage_news:news_create"),
        news_data(action="publish", image=SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")),
    )
    assert "Describe the image" in field_error(response, "image_alt")
    assert not NewsItem.objects.exists()


def test_the_programme_manager_edits_and_publishes_the_about_page(pm, client):
    pm.post(
        reverse("manage_news:page_edit", kwargs={"slug": "about"}),
        {"title": "About", "body": "Our **welcome**.", "action": "publish"},
    )
    page = Page.objects.get(slug="about")
    assert page.state == "published"
    assert "<strong>welcome</strong>" in client.get(reverse("news:about")).content.decode()


def test_compose_test_and_send_an_issue_then_it_is_archived(pm, alice, client, django_capture_on_commit_callbacks):
    subscriber("reader@example.org")
    pm.post(reverse("manage_news:issue_create"), {"subject": "November", "slug": "november", "body": "Hello."})
    letter = NewsletterIssue.objects.get()
    pm.post(reverse("manage_news:issue_test", kwargs={"pk": letter.pk}))
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers
    html = pm.get(reverse("manage_news:issue", kwargs={"pk": letter.pk})).content.decode()
    assert "Send to 1 subscriber" in html
    with django_capture_on_commit_callbacks(execute=True):
        pm.post(reverse("manage_news:issue_send", kwargs={"pk": letter.pk}))
    assert [m.to for m in mail.outbox[1:]] == [["reader@example.org"]]
    letter.refresh_from_db()
    assert letter.status == IssueStatus.SENT
    html = pm.get(reverse("manage_news:issue", kwargs={"pk": letter.pk})).content.decode()
    assert "<strong>1 of 1</strong> sent" in html
    # Sent: no longer editable, and in the public archive.
    assert pm.get(reverse("manage_news:issue_edit", kwargs={"pk": letter.pk})).status_code == 302
    assert client.get(letter.get_absolute_url()).status_code == 200


def test_while_sending_the_page_polls_its_progress(pm, alice, django_capture_on_commit_callbacks):
    subscriber("reader@example.org")
    letter = issue("sending", sent=False)
    with django_capture_on_commit_callbacks(execute=False):  # no worker yet
        pm.post(reverse("manage_news:issue_send", kwargs={"pk": letter.pk}))
    html = pm.get(reverse("manage_news:issue", kwargs={"pk": letter.pk})).content.decode()
    assert "<strong>0 of 1</strong> sent" in html
    assert f'data-diz-poll="{reverse("manage_news:issue", kwargs={"pk": letter.pk})}"' in html


def test_export_and_delete_subscribers(pm):
    subscriber("reader@example.org")
    subscriber("=cmd@example.org")
    response = pm.get(reverse("manage_news:subscribers_export"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["email"] for row in rows} == {"reader@example.org", "'=cmd@example.org"}
    assert rows[0]["consent"] == "I would like the newsletter."
    person = Subscriber.objects.get(email="reader@example.org")
    pm.post(reverse("manage_news:subscriber_delete", kwargs={"pk": person.pk}))
    assert not Subscriber.objects.filter(pk=person.pk).exists()

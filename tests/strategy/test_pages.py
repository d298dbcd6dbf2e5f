"""The strategy's pages as their users meet them: the public reading /strategy/ and a diff, a
partner recording its decision (and being refused with the reason beside the field), the kit, an
amendment asked for and answered, the tracker, the feed and the open data."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.urls import reverse

from strategy import services
from strategy.models import AmendmentRequest, Endorsement
from tests.conftest import sign_in
from tests.strategy.conftest import TEXT_1_1, days_ago, endorse, exe_upload, pdf_upload
from tests.support.forms import field_error

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def consultation(v1, alice):
    version = services.create_version(
        strategy=v1.strategy, label="1.1", text=TEXT_1_1, summary_of_changes="Secret draft words.", by=alice
    )
    return services.start_consultation(version=version, by=alice)


def test_the_public_reads_who_has_endorsed_and_never_a_consultation_version(
    client, routes, v1, bob, harlow, consultation
):
    endorse(harlow, v1, bob, resolution="Warmly received and endorsed.")
    page = client.get(reverse("strategy:index")).content.decode()
    assert "1 of 2 partners have endorsed version 1.0" in page
    assert "Harlow District Council" in page and "https://democracy.example.org/decision/1" in page
    assert "Secret draft words." not in page and ">1.1<" not in page
    assert client.get(reverse("strategy:version", kwargs={"label": "1.1"})).status_code == 404
    assert client.get(reverse("strategy:diff", kwargs={"old": "1.0", "new": "1.1"})).status_code == 404


def test_partners_read_the_consultation_version_and_its_diff(client, v1, bob, consultation):
    sign_in(client, bob)
    assert "Secret draft words." in client.get(reverse("strategy:version", kwargs={"label": "1.1"})).content.decode()
    page = client.get(reverse("strategy:diff", kwargs={"old": "1.0", "new": "1.1"})).content.decode()
    assert '<del class="diz-del"><span class="govuk-visually-hidden">[removed: </span>superfast broadband' in page
    assert "full fibre" in page and "Skills" in page


def test_the_diff_escapes_what_was_typed(client, v1, alice):
    version = services.create_version(
        strategy=v1.strategy, label="1.1", text="# Vision\n<script>alert(1)</script>", by=alice
    )
    services.publish_version(version=version, by=alice)
    page = client.get(reverse("strategy:diff", kwargs={"old": "1.0", "new": "1.1"})).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_a_partner_records_its_endorsement_with_evidence_from_the_page(client, routes, v1, bob, harlow):
    sign_in(client, bob)
    url = reverse("strategy:partner", kwargs={"slug": harlow.slug})
    response = client.post(
        url,
        {
            "version": v1.pk,
            "status": "endorsed",
            "deciding_body": "Cabinet",
            "decision_date": days_ago(1).isoformat(),
            "resolution": "Endorsed.",
            "evidence_file": pdf_upload(),
        },
    )
    assert response.status_code == 302
    row = Endorsement.objects.get(organisation=harlow, version=v1)
    assert row.status == "endorsed" and row.evidence_file
    page = client.get(url).content.decode()
    assert "Bob Baker" in page  # the history says who
    assert client.get(reverse("strategy:evidence", kwargs={"pk": row.pk})).status_code == 200


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"decision_date": days_ago(-2).isoformat()}, "decision_date", "cannot be in the future"),
        ({"status": "endorsed_with_amendments"}, "amendments", "Say which amendments"),
        ({"evidence_url": "not a link"}, "evidence_url", "Enter a web address"),
        ({"evidence_file": "exe"}, "evidence_file", "must be a PDF"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_kept(client, routes, v1, bob, harlow, data, field, message):
    sign_in(client, bob)
    posted = {
        "version": v1.pk,
        "status": "endorsed",
        "deciding_body": "Full Council of Harlow",
        "decision_date": days_ago(1).isoformat(),
        "resolution": "Endorsed.",
    } | data
    if posted.get("evidence_file") == "exe":
        posted["evidence_file"] = exe_upload()
    response = client.post(reverse("strategy:partner", kwargs={"slug": harlow.slug}), posted)
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert 'value="Full Council of Harlow"' in response.content.decode()
    assert Endorsement.objects.get(organisation=harlow).status == "not_started"


def test_nobody_reaches_another_organisations_endorsement_page(client, routes, bob, broxbourne, v1):
    sign_in(client, bob)
    url = reverse("strategy:partner", kwargs={"slug": broxbourne.slug})
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": v1.pk, "status": "with_officers"}).status_code == 404
    assert Endorsement.objects.get(organisation=broxbourne).status == "not_started"


def test_a_draft_version_is_not_offered_and_cannot_be_posted(client, routes, v1, alice, bob, harlow):
    draft = services.create_version(strategy=v1.strategy, label="1.1", text=TEXT_1_1, by=alice)
    sign_in(client, bob)
    response = client.post(
        reverse("strategy:partner", kwargs={"slug": harlow.slug}),
        {"version": draft.pk, "status": "with_officers"},
    )
    assert "Select a valid choice" in field_error(response, "version")
    assert not Endorsement.objects.filter(version=draft).exists()


def test_the_board_member_downloads_the_kit_as_word_and_pdf(
    client, routes, v1, bob, carol, broxbourne, harlow, django_capture_on_commit_callbacks
):
    endorse(harlow, v1, bob)
    sign_in(client, carol)
    row = routes["broxbourne"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("strategy:kit_request", kwargs={"pk": row.pk}))
    page = client.get(reverse("strategy:partner", kwargs={"slug": broxbourne.slug})).content.decode()
    assert "Endorsement kit: Word document (to edit)" in page
    from docx import Document

    from strategy.documents import kit_documents

    docx_kit, pdf_kit = kit_documents(row)
    response = client.get(reverse("strategy:kit_download", kwargs={"pk": docx_kit.pk}))
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs)
    for words in [
        "Recommendations/Decisions Required",
        "That Overview and Scrutiny Committee endorse the Digital Innovation Strategy, version 1.0.",
        "endorsed by: Harlow District Council",
        "Risk Management",
    ]:
        assert words in text
    response = client.get(reverse("strategy:kit_download", kwargs={"pk": pdf_kit.pk}))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # Another partner's people cannot have it.
    sign_in(client, bob)
    assert client.get(reverse("strategy:kit_download", kwargs={"pk": docx_kit.pk})).status_code == 404


def test_a_member_asks_for_an_amendment_and_the_programme_manager_answers(
    client, routes, v1, alice, carol, broxbourne, django_capture_on_commit_callbacks
):
    draft = services.create_version(strategy=v1.strategy, label="1.1", text=TEXT_1_1, by=alice)
    section = v1.sections.get(heading="Connectivity")
    sign_in(client, carol)
    response = client.post(
        reverse("strategy:amendment_new"),
        {"organisation": broxbourne.pk, "section": section.pk, "proposed_text": "Full fibre.", "reason": ""},
    )
    assert "Say why the change is needed" in field_error(response, "reason")
    assert not AmendmentRequest.objects.exists()
    client.post(
        reverse("strategy:amendment_new"),
        {"organisation": broxbourne.pk, "section": section.pk, "proposed_text": "Full fibre.", "reason": "Ambition."},
    )
    amendment = AmendmentRequest.objects.get()
    sign_in(client, alice)
    url = reverse("manage_strategy:amendment_answer", kwargs={"pk": amendment.pk})
    response = client.post(url, {"decision": "decline", "response": ""})
    assert "Give the reason" in field_error(response, "response")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "accept", "into": draft.pk, "response": "Agreed."})
    assert response.status_code == 302
    page = client.get(reverse("strategy:amendments")).content.decode()
    assert "Accepted into version 1.1." in page
    assert mail.outbox[-1].to == [carol.email]


def test_the_public_never_sees_amendment_requests(client, routes, v1, carol, broxbourne):
    services.request_amendment(
        version=v1, organisation=broxbourne, section=v1.sections.first(), proposed_text="x", reason="y", by=carol
    )
    assert client.get(reverse("strategy:amendments")).status_code == 302  # to sign in
    assert "amendment" not in client.get(reverse("strategy:index")).content.decode().lower().replace(
        "endorsed with amendments", ""
    ).replace("amendment requests", "")


def test_the_programme_manager_publishes_a_material_version_and_the_tracker_changes(
    client, routes, v1, alice, bob, harlow, django_capture_on_commit_callbacks
):
    endorse(harlow, v1, bob)
    sign_in(client, alice)
    response = client.post(
        reverse("manage_strategy:version_create"),
        {"label": "1.1", "text": TEXT_1_1, "summary_of_changes": "Fibre.", "is_material": "on"},
    )
    assert response.status_code == 302
    version = v1.strategy.versions.get(label="1.1")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("manage_strategy:version_publish", kwargs={"pk": version.pk}))
    tracker = client.get(reverse("manage_strategy:tracker")).content.decode()
    assert "0 of 2 partners have endorsed version 1.1" in tracker
    assert "Endorsed 1.0 — re-endorsement requested" in tracker
    assert any("please endorse it again" in m.subject for m in mail.outbox)


def test_a_new_version_with_a_used_label_is_refused_beside_the_label(client, v1, alice):
    sign_in(client, alice)
    response = client.post(reverse("manage_strategy:version_create"), {"label": "1.0", "text": TEXT_1_1})
    assert "already a version 1.0" in field_error(response, "label")
    assert v1.strategy.versions.count() == 1


def test_the_feed_is_valid_atom_with_the_recorded_outcomes(client, routes, v1, bob, harlow):
    endorse(harlow, v1, bob)
    response = client.get(reverse("strategy:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    # RFC 4287: a feed has an id, a title and an updated date; so does each entry.
    for element in (root, *root.findall(f"{ATOM}entry")):
        for name in ("id", "title", "updated"):
            assert element.find(f"{ATOM}{name}") is not None and element.find(f"{ATOM}{name}").text
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].find(f"{ATOM}title").text == "Harlow District Council: Endorsed (version 1.0)"


def test_the_open_data_has_stable_ids_org_ids_iso_dates_and_no_personal_data(client, routes, v1, bob, harlow):
    endorse(harlow, v1, bob)
    data = json.loads(client.get(reverse("strategy:endorsements_json")).content)
    rows = {row["organisation"]: row for row in data["endorsements"]}
    harlow_row = rows["Harlow District Council"]
    assert harlow_row["id"] == f"endorsement-{Endorsement.objects.get(organisation=harlow).pk}"
    assert harlow_row["organisation_org_id"] == "GB-LAE-HAR"
    assert harlow_row["decision_date"] == days_ago(3).isoformat()
    assert "Bob" not in json.dumps(data) and "@" not in json.dumps(data)
    table = list(csv.DictReader(io.StringIO(client.get(reverse("strategy:endorsements_csv")).content.decode())))
    assert {row["id"] for row in table} == {row["id"] for row in data["endorsements"]}

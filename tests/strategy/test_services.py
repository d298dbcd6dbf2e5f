import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from strategy import notices, services
from strategy.models import AmendmentStatus, Endorsement, Strategy, VersionStatus
from tests.strategy.conftest import TEXT_1_0, TEXT_1_1, days_ago, endorse, exe_upload, pdf_upload


def test_a_partner_officer_records_their_organisations_endorsement_and_recording_again_updates_it(
    routes, v1, bob, harlow
):
    endorse(harlow, v1, bob, status="scheduled", decision_date=None, scheduled_for=days_ago(-10))
    endorsement = endorse(harlow, v1, bob)
    assert Endorsement.objects.filter(organisation=harlow, version=v1).count() == 1
    assert endorsement.status == "endorsed"
    assert endorsement.recorded_by == bob
    assert [h.status for h in endorsement.history.order_by("history_date")] == ["not_started", "scheduled", "endorsed"]
    assert endorsement.history.latest().history_user == bob


def test_nobody_records_for_an_organisation_they_do_not_work_for(routes, v1, bob, broxbourne):
    with pytest.raises(PermissionDenied):
        endorse(broxbourne, v1, bob)
    assert Endorsement.objects.get(organisation=broxbourne).status == "not_started"


def test_a_board_member_records_for_the_organisation_whose_seat_they_hold(routes, v1, carol, broxbourne):
    assert endorse(broxbourne, v1, carol).is_endorsed


def test_a_draft_or_superseded_version_cannot_be_endorsed(routes, v1, alice, bob, harlow):
    draft = services.create_version(strategy=v1.strategy, label="1.1", text=TEXT_1_1, by=alice)
    with pytest.raises(ValidationError) as refused:
        endorse(harlow, draft, bob)
    assert "only a consultation or final version" in str(refused.value)
    services.publish_version(version=draft, by=alice)
    v1.refresh_from_db()
    assert v1.status == VersionStatus.SUPERSEDED
    with pytest.raises(ValidationError):
        endorse(harlow, v1, bob)
    assert not Endorsement.objects.filter(organisation=harlow, status="endorsed").exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"decision_date": days_ago(-1)}, "decision_date", "cannot be in the future"),
        ({"status": "endorsed_with_amendments", "amendments": ""}, "amendments", "which amendments"),
        ({"decision_date": None}, "decision_date", "Enter the date"),
        ({"evidence_url": "ftp://example.org/minutes"}, "evidence_url", "https://"),
        ({"status": "scheduled", "decision_date": None, "scheduled_for": None}, "scheduled_for", "Enter the date"),
    ],
)
def test_bad_outcomes_are_refused_with_the_reason_beside_the_field(routes, v1, bob, harlow, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        endorse(harlow, v1, bob, **fields)
    assert message in " ".join(refused.value.message_dict[field])
    assert Endorsement.objects.get(organisation=harlow).status == "not_started"


def test_evidence_must_be_a_pdf_by_its_content(routes, v1, bob, harlow):
    with pytest.raises(ValidationError) as refused:
        endorse(harlow, v1, bob, evidence_url="", evidence_file=exe_upload())
    assert "must be a PDF" in refused.value.message_dict["evidence_file"][0]
    endorsement = endorse(harlow, v1, bob, evidence_url="", evidence_file=pdf_upload())
    assert endorsement.evidence_file.name.endswith(".pdf")


def test_the_programme_manager_records_for_a_partner_only_with_evidence(routes, v1, alice, broxbourne):
    with pytest.raises(ValidationError) as refused:
        endorse(broxbourne, v1, alice, evidence_url="")
    assert "give its published decision" in refused.value.message_dict["evidence_url"][0]
    assert endorse(broxbourne, v1, alice).recorded_by == alice


def test_when_the_last_partner_endorses_the_programme_manager_is_told_once(
    routes, v1, alice, bob, carol, harlow, broxbourne, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        endorse(harlow, v1, bob)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        endorse(broxbourne, v1, carol)
        endorse(broxbourne, v1, carol, resolution="Endorsed unanimously.")
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "launch" in mail.outbox[0].body
    state = services.adoption(v1.strategy)
    assert state.headline == "2 of 2 partners have endorsed version 1.0"
    assert Strategy.objects.get().all_endorsed_version == v1


def test_a_material_version_asks_for_re_endorsement_and_tells_each_representative_once(
    routes, v1, alice, bob, carol, harlow, broxbourne, django_capture_on_commit_callbacks
):
    endorse(harlow, v1, bob)
    v11 = services.create_version(
        strategy=v1.strategy, label="1.1", text=TEXT_1_1, summary_of_changes="Full fibre.", is_material=True, by=alice
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_version(version=v11, by=alice)
    state = services.adoption(v1.strategy)
    harlow_standing = state.standing_of(harlow.pk)
    assert harlow_standing.label == "Endorsed 1.0 — re-endorsement requested"
    assert harlow_standing.endorsement.version == v11
    assert state.headline == "0 of 2 partners have endorsed version 1.1"
    # Harlow had endorsed: its people (Alice and Bob work there) are told, once each, what changed.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, bob.email])
    body = mail.outbox[0].body
    assert "Full fibre." in body and "Added: Skills" in body and "Removed: Public services" in body
    with django_capture_on_commit_callbacks(execute=True):
        notices.send_re_endorsement_requests(version_id=v11.pk)
    assert len(mail.outbox) == 2
    # Broxbourne had not endorsed: a new row, not a re-endorsement.
    assert not state.standing_of(broxbourne.pk).endorsement.re_endorsement
    endorse(harlow, v11, bob)
    assert services.adoption(v1.strategy).standing_of(harlow.pk).counts


def test_a_minor_version_leaves_endorsements_standing(routes, v1, alice, bob, harlow):
    endorse(harlow, v1, bob)
    minor = services.create_version(strategy=v1.strategy, label="1.1", text=TEXT_1_0 + " Typo fixed.", by=alice)
    services.publish_version(version=minor, by=alice)
    state = services.adoption(v1.strategy)
    assert state.headline == "1 of 2 partners have endorsed version 1.0"
    assert state.current == minor


def test_the_public_sees_only_rows_of_final_versions(routes, v1, alice, bob, harlow):
    consultation = services.create_version(strategy=v1.strategy, label="1.1", text=TEXT_1_1, by=alice)
    services.start_consultation(version=consultation, by=alice)
    endorse(harlow, consultation, bob, status="scheduled", decision_date=None, scheduled_for=days_ago(-5))
    public = services.adoption(v1.strategy, statuses={"final", "superseded"})
    assert public.standing_of(harlow.pk).endorsement.version == v1


def test_labels_must_be_new_and_come_after_the_latest(v1, alice):
    for label, message in [("1.0", "already a version 1.0"), ("0.9", "after the latest"), ("one", "two numbers")]:
        with pytest.raises(ValidationError) as refused:
            services.create_version(strategy=v1.strategy, label=label, text=TEXT_1_1, by=alice)
        assert message in refused.value.message_dict["label"][0]


def test_a_final_version_cannot_be_changed(v1, alice):
    with pytest.raises(ValidationError):
        services.update_version(version=v1, text=TEXT_1_1, summary_of_changes="", is_material=False, aims=[], by=alice)


def test_the_diff_reads_section_by_section(v1, alice):
    v11 = services.create_version(strategy=v1.strategy, label="1.1", text=TEXT_1_1, by=alice)
    changes = services.compare_sections(list(v1.sections.all()), list(v11.sections.all()))
    assert [(c.heading, c.change) for c in changes] == [
        ("Vision", "changed"),
        ("Connectivity", "changed"),
        ("Public services", "removed"),
        ("Skills", "added"),
    ]
    connectivity = changes[1]
    assert [(op, text.strip()) for op, text in connectivity.chunks] == [
        ("equal", "Coordinate the delivery of"),
        ("delete", "superfast broadband"),
        ("insert", "full fibre"),
        ("equal", "across the geography."),
    ]


def test_an_amendment_is_asked_for_and_answered_and_the_requester_told(
    routes, v1, alice, carol, broxbourne, django_capture_on_commit_callbacks
):
    draft = services.create_version(strategy=v1.strategy, label="1.1", text=TEXT_1_1, by=alice)
    section = v1.sections.get(heading="Connectivity")
    amendment = services.request_amendment(
        version=v1,
        organisation=broxbourne,
        section=section,
        proposed_text="Full fibre to every home.",
        reason="Superfast is not enough.",
        by=carol,
    )
    with pytest.raises(ValidationError):
        services.answer_amendment(amendment=amendment, accepted=False, into=None, response="", by=alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_amendment(amendment=amendment, accepted=True, into=draft, response="Agreed.", by=alice)
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.ACCEPTED and amendment.accepted_into == draft
    assert [m.to for m in mail.outbox] == [[carol.email]]
    assert "accepted into version 1.1" in mail.outbox[0].body


def test_an_amendment_is_asked_only_for_ones_own_organisation(routes, v1, bob, broxbourne):
    with pytest.raises(PermissionDenied):
        services.request_amendment(
            version=v1, organisation=broxbourne, section=v1.sections.first(), proposed_text="x", reason="y", by=bob
        )


def test_an_overdue_scheduled_decision_reminds_the_partners_officers_once(routes, v1, bob, harlow):
    endorse(harlow, v1, bob, status="scheduled", decision_date=None, scheduled_for=days_ago(-3))
    assert notices.send_overdue_reminders() == 0
    assert notices.send_overdue_reminders(today=days_ago(-4)) >= 1
    assert bob.email in [m.to[0] for m in mail.outbox]
    assert notices.send_overdue_reminders(today=days_ago(-4)) == 0

"""The strategy app's rows of the permission matrix, and the records they are walked with.

Roles: anonymous; officer (Bob, Harlow); other_member (Dave, Harlow, Steering Group); member (Carol,
Broxbourne's Board seat); pm (Alice). Harlow's endorsement page is for Harlow's people only."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from diz_portal.models import GeneratedDocument
from strategy import documents, services
from strategy.models import Endorsement, Strategy
from tests.strategy.conftest import TEXT_1_0, TEXT_1_1, pdf_upload
from tests.support.matrix import LOGIN, REDIRECT, everyone, pm_only, pm_only_else, signed_in

HARLOW_ONLY = {"anonymous": LOGIN, "officer": 200, "other_member": 200, "member": 404, "pm": 200}

ROWS = {
    "strategy:index": (None, everyone(200)),
    "strategy:feed": (None, everyone(200)),
    "strategy:version": (lambda w: {"label": "1.1"}, everyone(200)),
    "strategy:version_document": (lambda w: {"label": "1.1"}, everyone(200)),
    "strategy:diff_choose": (None, everyone(REDIRECT)),  # no versions chosen: back to /strategy/
    "strategy:diff": (lambda w: {"old": "1.0", "new": "1.1"}, everyone(200)),
    "strategy:evidence": (lambda w: {"pk": w["harlow_endorsement"].pk}, everyone(200)),
    "strategy:partner": (lambda w: {"slug": w["harlow"].slug}, HARLOW_ONLY),
    "strategy:kit_request": (lambda w: {"pk": w["harlow_endorsement"].pk}, signed_in(405)),
    "strategy:kit_download": (lambda w: {"pk": w["harlow_kit"].pk}, HARLOW_ONLY),
    "strategy:amendments": (None, signed_in(200)),
    "strategy:amendment_new": (None, signed_in(200)),
    "strategy:endorsements_csv": (None, everyone(200)),
    "strategy:endorsements_json": (None, everyone(200)),
    "manage_strategy:tracker": (None, pm_only()),
    "manage_strategy:version_create": (None, pm_only()),
    "manage_strategy:version_edit": (lambda w: {"pk": w["strategy_draft"].pk}, pm_only()),
    "manage_strategy:version_consult": (lambda w: {"pk": w["strategy_draft"].pk}, pm_only(405)),
    "manage_strategy:version_publish": (lambda w: {"pk": w["strategy_draft"].pk}, pm_only(405)),
    "manage_strategy:amendment_answer": (lambda w: {"pk": w["amendment"].pk}, pm_only()),
    # The delivery plan.
    "projects:list": (None, everyone(200)),
    "projects:project": (lambda w: {"slug": w["public_project"].slug}, everyone(200)),
    "projects:update": (lambda w: {"slug": w["public_project"].slug}, HARLOW_ONLY),
    "projects:risk_new": (lambda w: {"slug": w["public_project"].slug}, HARLOW_ONLY),
    "projects:risk_edit": (lambda w: {"slug": w["public_project"].slug, "pk": w["risk"].pk}, HARLOW_ONLY),
    "projects:portfolio": (None, signed_in(200)),
    "projects:roadmap": (None, everyone(200)),
    "projects:roadmap_pdf_request": (None, signed_in(405)),
    "projects:roadmap_pdf": (lambda w: {"year": 2024}, everyone(404)),  # not made yet
    "projects:ideas": (None, signed_in(200)),
    "projects:idea_new": (None, signed_in(200)),
    "projects:idea": (lambda w: {"pk": w["idea"].pk}, signed_in(200)),
    "projects:idea_promote": (lambda w: {"pk": w["idea"].pk}, pm_only(405)),
    "projects:projects_csv": (None, everyone(200)),
    "projects:projects_json": (None, everyone(200)),
    "manage_strategy:workstreams": (None, pm_only()),
    "manage_strategy:workstream_edit": (lambda w: {"pk": w["public_project"].workstream_id}, pm_only()),
    "manage_strategy:project_new": (None, pm_only()),
    "manage_strategy:project_edit": (lambda w: {"slug": w["partners_project"].slug}, pm_only()),
    "manage_strategy:milestone_add": (lambda w: {"slug": w["public_project"].slug}, pm_only()),
    "manage_strategy:project_partner_add": (lambda w: {"slug": w["public_project"].slug}, pm_only()),
    "manage_strategy:milestone_edit": (lambda w: {"pk": w["milestone"].pk}, pm_only()),
    "manage_strategy:weights": (None, pm_only()),
    "manage_strategy:agenda_link": (None, pm_only_else(404, 404)),  # needs ?version= or ?project=
}


def strategy_world(*, cast, harlow, broxbourne) -> dict:
    """Version 1.0 (superseded), 1.1 (final, material, with its PDF), 1.2 in consultation and a
    1.3 draft; Harlow endorsed 1.1 with an uploaded extract and has its kit; Broxbourne asked for
    an amendment."""
    alice, bob, carol = cast["alice"], cast["bob"], cast["carol"]
    strategy = Strategy.objects.create(title="Digital Innovation Strategy", slug="digital-innovation-strategy")
    v10 = services.publish_version(
        version=services.create_version(strategy=strategy, label="1.0", text=TEXT_1_0, by=alice), by=alice
    )
    services.add_partner(strategy=strategy, organisation=harlow, deciding_body="Cabinet", by=alice)
    services.add_partner(strategy=strategy, organisation=broxbourne, deciding_body="Scrutiny", by=alice)
    v11 = services.create_version(
        strategy=strategy, label="1.1", text=TEXT_1_1, is_material=True, document=pdf_upload("strategy.pdf"), by=alice
    )
    v11 = services.publish_version(version=v11, by=alice)
    endorsement = services.record_endorsement(
        organisation=harlow,
        version=v11,
        by=bob,
        status="endorsed",
        deciding_body="Cabinet",
        decision_date=timezone.localdate() - timedelta(days=2),
        evidence_file=pdf_upload(),
    )
    consultation = services.create_version(strategy=strategy, label="1.2", text=TEXT_1_1 + "\nMore.", by=alice)
    services.start_consultation(version=consultation, by=alice)
    draft = services.create_version(strategy=strategy, label="1.3", text=TEXT_1_1 + "\nDraft.", by=alice)
    amendment = services.request_amendment(
        version=v11,
        organisation=broxbourne,
        section=v11.sections.first(),
        proposed_text="New words.",
        reason="Clearer.",
        by=carol,
    )
    documents.request_kit(endorsement=endorsement)
    kit = GeneratedDocument.objects.get(
        content_type=ContentType.objects.get_for_model(Endorsement), object_id=endorsement.pk, kind="kit:docx"
    )
    if not kit.is_ready:  # tasks run eagerly after commit; outside a commit, build it here
        documents.build(document_id=kit.pk)
        kit.refresh_from_db()
    assert v10.pk
    return {
        **delivery_world(cast=cast, harlow=harlow),
        "broxbourne": broxbourne,
        "harlow_endorsement": endorsement,
        "harlow_kit": kit,
        "strategy_draft": draft,
        "amendment": amendment,
    }


def delivery_world(*, cast, harlow) -> dict:
    """A public project led by Harlow (with a milestone and a risk), a partners-only one, an idea."""
    from datetime import date

    from strategy import delivery
    from strategy.models import Project, Risk, Workstream

    alice, bob = cast["alice"], cast["bob"]
    workstream = delivery.save_workstream(
        workstream=Workstream(title="Connectivity", aim=1, lead_organisation=harlow), by=alice
    )
    public = delivery.save_project(
        project=Project(
            title="Town Centre Wi-Fi",
            workstream=workstream,
            lead_organisation=harlow,
            start_date=date(2024, 4, 1),
            end_date=date(2026, 3, 31),
        ),
        by=alice,
    )
    private = delivery.save_project(
        project=Project(
            title="Member enquiries", workstream=workstream, lead_organisation=harlow, visibility="partners"
        ),
        by=alice,
    )
    milestone = delivery.add_milestone(project=public, title="Survey", due_date=date(2024, 6, 1), by=alice)
    risk = delivery.save_risk(risk=Risk(project=public, description="Supplier delay", likelihood=3, impact=4), by=bob)
    idea = delivery.propose_idea(
        title="Transcription", problem="Slow minutes.", beneficiaries="Officers", sponsor="Head", by=bob
    )
    return {"public_project": public, "partners_project": private, "milestone": milestone, "risk": risk, "idea": idea}

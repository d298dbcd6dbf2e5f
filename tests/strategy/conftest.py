"""The strategy's cast: the DIZ strategy with version 1.0 final, and two partners in the
endorsement process, Harlow (Bob works there) and Broxbourne (Carol holds its Board seat)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from strategy import services
from strategy.models import Endorsement, Strategy

TEXT_1_0 = """# Vision
To be the best connected place of its type in the UK.

# Connectivity
Coordinate the delivery of superfast broadband across the geography.

# Public services
Use digital to deliver more public services in a joined up way."""

TEXT_1_1 = """# Vision
To be the best connected place of its type in the UK. A place of innovation and inclusion.

# Connectivity
Coordinate the delivery of full fibre across the geography.

# Skills
Work with the three local colleges on digital skills."""


def make_pdf(text="Extract of the minutes") -> bytes:
    from diz_portal.pdf import html_to_pdf

    return html_to_pdf(f"<html><body><p>{text}</p></body></html>")


def pdf_upload(name="minutes-extract.pdf", text="Extract of the minutes"):
    return SimpleUploadedFile(name, make_pdf(text), content_type="application/pdf")


def exe_upload(name="minutes.pdf"):
    return SimpleUploadedFile(name, b"MZ" + b"\x90" * 62 + b"PE\x00\x00" + b"\x00" * 200)


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture
def strategy(db):
    return Strategy.objects.create(title="Digital Innovation Strategy", slug="digital-innovation-strategy")


@pytest.fixture
def v1(strategy, alice):
    version = services.create_version(strategy=strategy, label="1.0", text=TEXT_1_0, by=alice)
    return services.publish_version(version=version, by=alice)


@pytest.fixture
def routes(v1, harlow, broxbourne, alice) -> dict[str, Endorsement]:
    return {
        "harlow": services.add_partner(strategy=v1.strategy, organisation=harlow, deciding_body="Cabinet", by=alice),
        "broxbourne": services.add_partner(
            strategy=v1.strategy, organisation=broxbourne, deciding_body="Overview and Scrutiny Committee", by=alice
        ),
    }


def endorse(organisation, version, by, **fields):
    values = {
        "status": "endorsed",
        "deciding_body": "Cabinet",
        "decision_date": days_ago(3),
        "resolution": "That the strategy be endorsed.",
        "evidence_url": "https://democracy.example.org/decision/1",
    } | fields
    return services.record_endorsement(organisation=organisation, version=version, by=by, **values)


# --- The delivery plan ------------------------------------------------------------------------


@pytest.fixture
def workstream(db, alice, harlow):
    from strategy import delivery
    from strategy.models import Workstream

    return delivery.save_workstream(
        workstream=Workstream(title="Connectivity", aim=1, lead_organisation=harlow, lead_person=alice), by=alice
    )


@pytest.fixture
def project(workstream, alice, harlow):
    from datetime import date

    from strategy import delivery
    from strategy.models import Project

    return delivery.save_project(
        project=Project(
            title="Town Centre Wi-Fi",
            summary="Free public Wi-Fi in the town centres.",
            workstream=workstream,
            lead_organisation=harlow,
            stage="experimentation",
            start_date=date(2024, 4, 1),
            end_date=date(2026, 3, 31),
            budget="120000.00",
            spend="30000.00",
        ),
        by=alice,
    )

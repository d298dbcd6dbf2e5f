"""The 360Giving open data: valid against the standard's schemas (offline), only published
awards, stable identifiers, no personal data, and a refusal that names a record without an id."""

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from funding import opendata, services

# The official schemas, copied into the repository from shared/standards/ so that a fresh clone
# anywhere (as CI makes) validates against them.
STANDARDS = Path(__file__).resolve().parent / "standards" / "360giving"
GRANT_URLS = [
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json",
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/360-giving-schema.json",
]


def package_validator() -> Draft202012Validator:
    """The package schema's `items` still names the 1.4.2 grant schema: register it under both URLs.
    Both declare an http `$schema` that `referencing` does not detect, so say the draft."""
    if not STANDARDS.exists():
        pytest.skip(f"No 360Giving schemas at {STANDARDS}")
    grant = Resource(contents=json.loads((STANDARDS / "360-giving-schema.json").read_text()), specification=DRAFT202012)
    package = json.loads((STANDARDS / "360-giving-package-schema.json").read_text())
    registry = Registry().with_resources([(url, grant) for url in GRANT_URLS])
    return Draft202012Validator(package, registry=registry, format_checker=FormatChecker())


@pytest.fixture
def published(award, broxbourne, alice):
    broxbourne.org_id = "GB-LAE-BRX"
    broxbourne.save()
    services.add_allocation(
        award=award,
        organisation=broxbourne,
        amount=Decimal("250000.50"),
        purpose="Ducting along the A10 corridor",
        allocated_on=date(2019, 10, 1),
        by=alice,
    )
    services.change_award(
        award=award, is_published=True, starts_on=date(2019, 10, 1), ends_on=date(2021, 3, 31), by=alice
    )
    return award


def test_the_json_is_a_valid_360giving_package(client, published, settings):
    settings.THREESIXTYGIVING_PREFIX = "360G-diztest"
    response = client.get("/open-data/360giving.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    errors = sorted(package_validator().iter_errors(data), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    award_grant, allocation_grant = data["grants"]
    assert award_grant["id"] == f"360G-diztest-award-{published.pk}"
    assert award_grant["fundingOrganization"] == [
        {"id": "GB-GOR-D5", "name": "Department for Culture, Media and Sport"}
    ]
    assert award_grant["recipientOrganization"] == [{"id": "GB-LAE-HAR", "name": "Harlow District Council"}]
    assert (award_grant["amountAwarded"], award_grant["currency"], award_grant["awardDate"]) == (
        1700000,
        "GBP",
        "2019-09-02",
    )
    assert allocation_grant["fundingOrganization"][0]["id"] == "GB-LAE-HAR"
    assert allocation_grant["amountAwarded"] == 250000.5


def test_the_schema_test_would_catch_a_broken_grant(published):
    """The validator is not a formality: a grant without its funder fails it."""
    data = opendata.package(opendata.build_grants())
    del data["grants"][0]["fundingOrganization"]
    assert list(package_validator().iter_errors(data))


def test_nothing_personal_or_private_goes_out(client, published, bob):
    text = (
        client.get("/open-data/360giving.json").content.decode()
        + client.get("/open-data/360giving.csv").content.decode()
    )
    for private in (
        bob.name,
        bob.email,
        "LFFN-W3-017",
        "Section 151 officer",
        "Gigabit connections to public buildings",
    ):
        assert private not in text


def test_an_unpublished_award_is_not_open_data(client, award):
    assert json.loads(client.get("/open-data/360giving.json").content)["grants"] == []


def test_the_csv_uses_the_standards_column_titles(client, published):
    response = client.get("/open-data/360giving.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0]["Identifier"].endswith(f"-award-{published.pk}")
    assert rows[0]["Funding Org:Identifier"] == "GB-GOR-D5"
    assert rows[0]["Recipient Org:Name"] == "Harlow District Council"
    assert rows[1]["Amount Awarded"] == "250000.5"


def test_publishing_an_award_whose_funder_has_no_identifier_is_refused(award, alice):
    funder = award.bid.opportunity.funder
    funder.org_id = ""
    funder.save()
    with pytest.raises(ValidationError) as excinfo:
        services.change_award(award=award, is_published=True, by=alice)
    assert "Department for Culture, Media and Sport" in excinfo.value.message_dict["is_published"][0]


def test_an_export_with_a_missing_identifier_names_the_record(client, published):
    partner = published.allocations.get().organisation
    partner.org_id = None
    partner.save()
    response = client.get("/open-data/360giving.json")
    assert response.status_code == 503
    assert "Broxbourne Borough Council" in response.content.decode()


def test_the_files_change_when_an_award_does(client, published, alice):
    client.get("/open-data/360giving.json")
    services.change_award(award=published, title="Gigabit west Essex", by=alice)
    assert "Gigabit west Essex" in client.get("/open-data/360giving.json").content.decode()

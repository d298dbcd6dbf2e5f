"""Registers as spreadsheets hold what the viewer may see on the register pages, never more."""

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from meetings import services
from tests.conftest import sign_in


@pytest.fixture
def minuted(world):
    """Last week's Board minutes, circulated to members (not yet approved): a decision on a public
    item and one on a restricted item."""
    alice, held = world["alice"], world["held"]
    services.record_decision(item=held.items.first(), text='=HYPERLINK("http://evil") agreed', by=alice)
    secret = services.add_item(
        meeting=held, title="Bid pricing", visibility="restricted", restriction_reason="Commercial", by=alice
    )
    services.record_decision(item=secret, text="Agreed the secret bid price", by=alice)
    services.circulate_draft_minutes(meeting=held, by=alice)
    return held


def rows_of(client, key) -> list[list[str]]:
    response = client.get(reverse("reports:register", args=[key, "csv"]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("who", "sees"),
    [(None, 0), ("bob", 0), ("dave", 0), ("carol", 2), ("alice", 2)],
)
def test_the_decisions_register_holds_what_each_viewer_may_see(client, world, minuted, who, sees):
    # Circulated draft minutes are for the Board's members (and the programme manager) only.
    if who:
        sign_in(client, world[who])
    rows = rows_of(client, "decisions")
    assert rows[0][0] == "Reference"
    assert len(rows) - 1 == sees
    if sees:
        restricted = next(r for r in rows if "secret bid price" in r[4])
        assert restricted[5] == "Commercial"


def test_once_approved_the_public_sees_the_public_decision_only(client, world, minuted):
    alice = world["alice"]
    services.approve_minutes(meeting=minuted, at_meeting=world["coming"], by=alice, today=world["coming"].local_date)
    rows = rows_of(client, "decisions")
    assert len(rows) == 2
    assert "secret" not in "".join(rows[1])
    # A cell someone typed never runs as a formula in a spreadsheet.
    assert rows[1][4].startswith("'=HYPERLINK")


def test_the_xlsx_register_has_typed_cells(client, world, minuted):
    sign_in(client, world["carol"])
    response = client.get(reverse("reports:register", args=["decisions", "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:3] == ["Reference", "Body", "Meeting"]
    meeting_cell = sheet.cell(row=2, column=3)
    assert isinstance(meeting_cell.value, datetime)
    assert meeting_cell.value.date() == minuted.local_date
    assert meeting_cell.number_format == "dd/mm/yyyy"
    texts = [sheet.cell(row=r, column=5).value for r in range(2, sheet.max_row + 1)]
    assert all(not t.startswith("=") for t in texts)


def test_the_action_register_is_for_the_bodies_members(client, world, minuted):
    sign_in(client, world["bob"])
    assert client.get(reverse("reports:register", args=["actions", "csv"])).status_code == 404
    sign_in(client, world["carol"])
    rows = rows_of(client, "actions")
    assert any("Write to the funder" in row for row in rows)
    sign_in(client, world["dave"])  # the Steering Group's members do not see the Board's actions
    assert not any("Write to the funder" in row for row in rows_of(client, "actions"))


def test_an_unknown_register_is_not_found(client, world):
    sign_in(client, world["alice"])
    assert client.get("/reports/registers/salaries.csv").status_code == 404

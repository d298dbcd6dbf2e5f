"""Rows of the permission matrix (tests/test_permission_matrix.py) for funding's pages. The public
sees published awards and the open data; the programme manager and the members of the
partnership's bodies (the Board and the Steering Group alike) read the pipeline; a partner
officer who sits on no body gets a 404; only the programme manager changes it.

The records the rows need are made the first time a row asks (`records(w)`), inside the matrix
test's database, and kept in its world dict for the rows after it."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from funding import services
from funding.models import Funder, GoDecision, Opportunity, Stage
from tests.support.matrix import LOGIN, everyone

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Members of any body and the programme manager read the pipeline; a partner officer does not.
READERS = {"anonymous": LOGIN, "officer": 404, "other_member": 200, "member": 200, "pm": 200}


def records(w) -> dict:
    if "funding" in w:
        return w["funding"]
    alice, harlow = w["users"]["pm"], w["harlow"]
    funder = Funder.objects.create(name="Matrix Funder", org_id="GB-GOR-D5", funder_type="central_government")
    opportunity = Opportunity.objects.create(funder=funder, programme="Matrix programme")
    services.decide_opportunity(opportunity=opportunity, decision=GoDecision.GO, reason="Fits", by=alice)
    bid = services.create_bid(
        title="Matrix bid",
        opportunity=opportunity,
        accountable_body=harlow,
        amount_requested=Decimal("100.00"),
        by=alice,
    )
    contribution = services.add_contribution(
        bid=bid,
        organisation=harlow,
        kind="cash",
        amount=Decimal("10.00"),
        letter=SimpleUploadedFile("letter.pdf", PDF),
        by=alice,
    )
    document = services.add_document(
        bid=bid, title="Form", kind="application", upload=SimpleUploadedFile("form.pdf", PDF), by=alice
    )
    services.sign_off(bid=bid, officer="S151 officer", on=date(2020, 1, 1), by=alice)
    for stage in (Stage.GO_NO_GO, Stage.FULL_BID, Stage.SUBMITTED, Stage.SUCCESSFUL):
        services.move_bid(bid=bid, to=stage, by=alice)
    award = services.record_award(
        bid=bid,
        amount=Decimal("100.00"),
        awarded_on=date(2020, 2, 1),
        title="Matrix award",
        description="For the matrix",
        agreement=SimpleUploadedFile("agreement.pdf", PDF),
        by=alice,
    )
    w["funding"] = {"bid": bid, "award": award, "contribution": contribution, "version": document.versions.get()}
    return w["funding"]


def _pk(name):
    return lambda w: {"pk": records(w)[name].pk}


MATRIX: dict = {
    "funding:secured": (None, everyone(200)),
    "funding:open_data_json": (None, everyone(200)),
    "funding:open_data_csv": (None, everyone(200)),
    "funding:bid": (_pk("bid"), READERS),
    "funding:award": (_pk("award"), READERS),
    "funding:agreement": (_pk("award"), READERS),
    "funding:document_version": (_pk("version"), READERS),
    "funding:letter": (_pk("contribution"), READERS),
}

"""Rows of the permission matrix (tests/test_permission_matrix.py) for funding's pages. The public
sees published awards and the open data; the programme manager and the members of the
partnership's bodies (the Board and the Steering Group alike) read the pipeline; a partner
officer who sits on no body gets a 404; only the programme manager changes it.

The records the rows need are made the first time a row asks (`records(w)`), inside the matrix
test's database, and kept in its world dict for the rows after it."""

from datetime import date
from decimal import Decimal

from funding import services
from funding.models import Funder, GoDecision, Opportunity, Stage
from tests.support.funding import pdf, take_to
from tests.support.matrix import LOGIN, everyone, pm_only

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
        letter=pdf("letter.pdf"),
        by=alice,
    )
    document = services.add_document(bid=bid, title="Form", kind="application", upload=pdf("form.pdf"), by=alice)
    take_to(bid, Stage.SUCCESSFUL, alice)
    award = services.record_award(
        bid=bid,
        amount=Decimal("100.00"),
        awarded_on=date(2020, 2, 1),
        title="Matrix award",
        description="For the matrix",
        agreement=pdf("agreement.pdf"),
        by=alice,
    )
    claim = services.add_claim(award=award, period="Q1", due_on=date(2020, 6, 30), amount=Decimal("50.00"), by=alice)
    allocation = services.add_allocation(
        award=award,
        organisation=harlow,
        amount=Decimal("20.00"),
        purpose="Delivery",
        allocated_on=date(2020, 3, 1),
        by=alice,
    )
    report = services.add_report(award=award, title="Monitoring return", due_on=date(2020, 7, 31), by=alice)
    w["funding"] = {
        "bid": bid,
        "award": award,
        "contribution": contribution,
        "version": document.versions.get(),
        "claim": claim,
        "allocation": allocation,
        "report": report,
    }
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
    "funding:pipeline": (None, READERS),
    "funding:bids": (None, READERS),
    "funding:figures": (None, READERS),
    "manage_funding:dashboard": (None, pm_only()),
    "manage_funding:funder_create": (None, pm_only()),
    "manage_funding:funder_edit": (lambda w: {"pk": records(w)["bid"].opportunity.funder_id}, pm_only()),
    "manage_funding:opportunity_create": (None, pm_only()),
    "manage_funding:opportunity_edit": (lambda w: {"pk": records(w)["bid"].opportunity_id}, pm_only()),
    "manage_funding:opportunity_decide": (lambda w: {"pk": records(w)["bid"].opportunity_id}, pm_only()),
    "manage_funding:bid_create": (None, pm_only()),
    "manage_funding:bid_edit": (_pk("bid"), pm_only()),
    "manage_funding:bid_sign_off": (_pk("bid"), pm_only()),
    "manage_funding:bid_move": (_pk("bid"), pm_only()),
    "manage_funding:contribution_add": (_pk("bid"), pm_only()),
    "manage_funding:contribution_edit": (_pk("contribution"), pm_only()),
    "manage_funding:document_add": (_pk("bid"), pm_only()),
    "manage_funding:document_replace": (lambda w: {"pk": records(w)["version"].document_id}, pm_only()),
    "manage_funding:award_create": (_pk("bid"), pm_only()),
    "manage_funding:award_edit": (_pk("award"), pm_only()),
    "manage_funding:claim_add": (_pk("award"), pm_only()),
    "manage_funding:claim_edit": (_pk("claim"), pm_only()),
    "manage_funding:allocation_add": (_pk("award"), pm_only()),
    "manage_funding:allocation_edit": (_pk("allocation"), pm_only()),
    "manage_funding:report_add": (_pk("award"), pm_only()),
    "manage_funding:report_edit": (_pk("report"), pm_only()),
}

"""The demo funding pipeline, from the seeds: the DIZ's successful £1.7m DCMS Local Full Fibre
Networks bid (seeds 000, 001) with its award, claims and onward allocations; the LGA / Design
Council "Design in the Public Sector" project (seed 001); and bids at every stage built from the
projects the seeds name (the Common Asset Register, Town Centre Wi-fi, the CVS-led Living Smart at
Home project, digital skills).

Which partner acted as accountable body, the amounts other than the £1.7m, and every date are
illustrative, and the records say so. Everything goes through funding.services, so the demo meets
the same rules and keeps the same history as real use. Safe to run again: a bid that exists is
left as it is."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from funding import services
from funding.models import Award, Bid, Funder, GoDecision, Opportunity, Stage
from partners.models import Organisation, User
from strategy.models import Project

ILLUSTRATIVE = (
    "Illustrative demo data: the seeds record the successful £1.7m bid, not which partner held the money; "
    "the demo names Epping Forest District Council as accountable body."
)

FUNDERS = [
    # (name, org-id, type). Only DCMS's awards are published, so only it needs an org-id here.
    ("Department for Culture, Media and Sport", "GB-GOR-D5", "central_government"),
    ("Local Government Association and Design Council", "", "non_departmental"),
    ("Department for Education", "", "central_government"),
    ("Geospatial Commission", "", "central_government"),
    ("The National Lottery Community Fund", "", "lottery"),
    ("South East Local Enterprise Partnership", "", "local_government"),
]

OPPORTUNITIES = [
    # (funder, programme, opens (days from today), closes, max award, match %, decision, reason)
    (
        "Department for Culture, Media and Sport",
        "Local Full Fibre Networks Challenge Fund",
        -520,
        -460,
        "5000000",
        "30",
        GoDecision.GO,
        "Full fibre to public buildings across the five districts; collective bidding reaches funds "
        "partners could not reach alone.",
    ),
    (
        "Local Government Association and Design Council",
        "Design in the Public Sector",
        -700,
        -650,
        None,
        None,
        GoDecision.GO,
        "Design support for the ambulance and A&E pathway with our NHS partners.",
    ),
    (
        "Department for Education",
        "Skills Bootcamps",
        -30,
        20,
        "750000",
        "10",
        GoDecision.GO,
        "Digital skills for residents, with the colleges and the university.",
    ),
    (
        "Geospatial Commission",
        "Public sector location data",
        -120,
        -40,
        "250000",
        None,
        GoDecision.GO,
        "Builds the DIZ-wide Common Asset Register.",
    ),
    (
        "The National Lottery Community Fund",
        "Reaching Communities",
        -300,
        -200,
        "500000",
        None,
        GoDecision.GO,
        "The CVS-led Living Smart at Home project.",
    ),
    (
        "South East Local Enterprise Partnership",
        "Getting Building Fund",
        -10,
        60,
        "1000000",
        "50",
        "",
        "",
    ),
]


def _org(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def _letter(name: str) -> SimpleUploadedFile:
    from diz_portal.pdf import html_to_pdf

    return SimpleUploadedFile(
        f"{name}.pdf",
        html_to_pdf(f"<html><body><h1>Letter of support</h1><p>{name}: demo letter on example.org.</p></body></html>"),
    )


class Loader:
    def __init__(self, pm: User, people: dict[str, User]):
        self.pm, self.people, self.today = pm, people, timezone.localdate()
        self.created: list[str] = []

    def day(self, offset: int):
        return self.today + timedelta(days=offset)

    def bid(
        self,
        title: str,
        programme: str,
        *,
        stage: str,
        contributions=(),
        sign_off=False,
        feedback="",
        projects=(),
        **fields,
    ):
        """The bid as it stands, walked to `stage` along the allowed moves (so its history shows each one),
        linked to the delivery plan's projects (strategy.demo) it would fund."""
        existing = Bid.objects.filter(title=title).first()
        if existing:
            self.link(existing, projects)
            return existing
        opportunity = Opportunity.objects.get(programme=programme)
        bid = services.create_bid(title=title, opportunity=opportunity, by=self.pm, **fields)
        for slug, kind, amount, status, description in contributions:
            services.add_contribution(
                bid=bid,
                organisation=_org(slug),
                kind=kind,
                amount=Decimal(amount),
                status=status,
                description=description,
                letter=_letter(f"{_org(slug).name}") if status == "confirmed" else None,
                letter_received_on=self.day(-100) if status == "confirmed" else None,
                by=self.pm,
            )
        path = {
            Stage.IDEA: [],
            Stage.GO_NO_GO: [Stage.GO_NO_GO],
            Stage.EXPRESSION: [Stage.GO_NO_GO, Stage.EXPRESSION],
            Stage.FULL_BID: [Stage.GO_NO_GO, Stage.FULL_BID],
            Stage.SUBMITTED: [Stage.GO_NO_GO, Stage.FULL_BID, Stage.SUBMITTED],
            Stage.SUCCESSFUL: [Stage.GO_NO_GO, Stage.FULL_BID, Stage.SUBMITTED, Stage.SUCCESSFUL],
            Stage.UNSUCCESSFUL: [Stage.GO_NO_GO, Stage.FULL_BID, Stage.SUBMITTED, Stage.UNSUCCESSFUL],
        }[stage]
        for step in path:
            if step == Stage.SUBMITTED and sign_off:
                services.sign_off(bid=bid, officer=sign_off, on=bid.internal_deadline or self.day(-200), by=self.pm)
            services.move_bid(bid=bid, to=step, feedback=feedback, by=self.pm)
        self.link(bid, projects)
        self.created.append(title)
        return bid

    def link(self, bid: Bid, slugs) -> None:
        found = list(Project.objects.filter(slug__in=slugs))
        if found and not bid.projects.exists():
            services.change_bid(bid=bid, projects=found, by=self.pm)


def _funders_and_opportunities(loader: Loader) -> None:
    for name, org_id, funder_type in FUNDERS:
        Funder.objects.update_or_create(name=name, defaults={"org_id": org_id, "funder_type": funder_type})
    for funder, programme, opens, closes, maximum, match, decision, reason in OPPORTUNITIES:
        opportunity, created = Opportunity.objects.get_or_create(
            programme=programme,
            defaults={
                "funder": Funder.objects.get(name=funder),
                "opens_on": loader.day(opens),
                "closes_on": loader.day(closes),
                "maximum_award": Decimal(maximum) if maximum else None,
                "match_percent": Decimal(match) if match else None,
                "link": "https://www.example.org/funding/" + programme.lower().replace(" ", "-"),
            },
        )
        if created and decision:
            services.decide_opportunity(opportunity=opportunity, decision=decision, reason=reason, by=loader.pm)


def _lffn(loader: Loader) -> None:
    bid = loader.bid(
        "Local Full Fibre Networks: gigabit for the Digital Innovation Zone",
        "Local Full Fibre Networks Challenge Fund",
        projects=["local-full-fibre-network"],
        stage=Stage.SUCCESSFUL,
        summary="Full fibre to council offices, libraries, health centres and colleges across the five districts, "
        "opening the market for gigabit connections to homes and businesses. " + ILLUSTRATIVE,
        lead_officer=loader.people["programme.manager"],
        accountable_body=_org("epping-forest-district-council"),
        amount_requested=Decimal("1700000.00"),
        total_cost=Decimal("2450000.00"),
        internal_deadline=loader.day(-480),
        funder_deadline=loader.day(-460),
        contributions=[
            ("epping-forest-district-council", "cash", "250000", "confirmed", ""),
            ("essex-county-council", "cash", "200000", "confirmed", ""),
            ("hertfordshire-county-council", "cash", "150000", "confirmed", ""),
            ("harlow-district-council", "in_kind", "80000", "confirmed", "Duct and building access"),
            ("bt", "in_kind", "70000", "pledged", "Network design support"),
        ],
        sign_off="Section 151 officer, Epping Forest District Council",
        feedback="Successful: a strong collective case across two counties. (Illustrative feedback.)",
    )
    if Award.objects.filter(bid=bid).exists():
        return
    award = services.record_award(
        bid=bid,
        amount=Decimal("1700000.00"),
        awarded_on=loader.day(-420),
        funder_reference="LFFN-DEMO-001",
        conditions="Quarterly claims in arrears with evidence of spend; quarterly monitoring returns. " + ILLUSTRATIVE,
        title="Local Full Fibre Networks: gigabit for the Digital Innovation Zone",
        description="Full fibre connections to public buildings across Epping Forest, Harlow, Uttlesford, "
        "East Hertfordshire and Broxbourne. " + ILLUSTRATIVE,
        starts_on=loader.day(-400),
        ends_on=loader.day(330),
        is_published=True,
        by=loader.pm,
    )
    claims = [
        ("Quarter 1", -300, "400000", True),
        ("Quarter 2", -210, "450000", True),
        ("Quarter 3", 12, "450000", False),
        ("Quarter 4", 100, "400000", False),
    ]
    for period, due, amount, paid in claims:
        claim = services.add_claim(
            award=award, period=period, due_on=loader.day(due), amount=Decimal(amount), by=loader.pm
        )
        if paid:
            services.change_claim(
                claim=claim,
                evidence="Contractor invoices and connection certificates",
                submitted_on=loader.day(due - 5),
                paid_on=loader.day(due + 25),
                by=loader.pm,
            )
    for slug, amount, purpose, paid in [
        ("harlow-district-council", "350000", "Full fibre to Harlow's public buildings", "175000"),
        ("broxbourne-borough-council", "300000", "Full fibre to Broxbourne's public buildings", "150000"),
    ]:
        services.add_allocation(
            award=award,
            organisation=_org(slug),
            amount=Decimal(amount),
            purpose=purpose,
            allocated_on=loader.day(-390),
            paid_amount=Decimal(paid),
            by=loader.pm,
        )
    for title, due, sent in [
        ("Quarterly monitoring return 2", -200, True),
        ("Quarterly monitoring return 3", 20, False),
        ("Final evaluation report", 360, False),
    ]:
        services.add_report(
            award=award,
            title=title,
            due_on=loader.day(due),
            submitted_on=loader.day(due - 3) if sent else None,
            by=loader.pm,
        )


def _pipeline(loader: Loader) -> None:
    loader.bid(
        "Design in the Public Sector: ambulance and A&E",
        "Design in the Public Sector",
        stage=Stage.SUCCESSFUL,
        summary="The LGA / Design Council 'Design in the Public Sector' programme: design support for the "
        "ambulance and A&E pathway with the NHS partners.",
        lead_officer=loader.people["oliver.brandt"],
        accountable_body=_org("harlow-district-council"),
        amount_requested=Decimal("15000.00"),
        total_cost=Decimal("30000.00"),
        contributions=[
            ("princess-alexandra-hospital", "in_kind", "10000", "confirmed", "Clinical staff time"),
            ("west-essex-ccg", "in_kind", "5000", "confirmed", "Commissioning staff time"),
        ],
        sign_off="Section 151 officer, Harlow District Council",
        feedback="A place on the programme: coaching and design support rather than a cash grant, so no award "
        "is recorded. (Illustrative.)",
    )
    loader.bid(
        "Digital skills bootcamps for west Essex and east Herts",
        "Skills Bootcamps",
        projects=["digital-inclusion"],
        stage=Stage.FULL_BID,
        summary="Twelve-week bootcamps in data, cyber and digital marketing, run by the colleges and the university.",
        lead_officer=loader.people["nadia.rahman"],
        accountable_body=_org("essex-county-council"),
        amount_requested=Decimal("620000.00"),
        total_cost=Decimal("700000.00"),
        internal_deadline=loader.day(5),
        funder_deadline=loader.day(20),
        contributions=[
            ("harlow-college", "in_kind", "40000", "confirmed", "Teaching rooms and equipment"),
            ("anglia-ruskin-university", "cash", "25000", "pledged", ""),
            ("epping-forest-college", "in_kind", "15000", "pledged", "Tutor time"),
        ],
    )
    loader.bid(
        "DIZ-wide Common Asset Register",
        "Public sector location data",
        projects=["common-asset-register"],
        stage=Stage.SUBMITTED,
        summary="One register of the partners' land and buildings, as open data, for infrastructure planning.",
        lead_officer=loader.people["tom.gale"],
        accountable_body=_org("east-hertfordshire-district-council"),
        amount_requested=Decimal("180000.00"),
        total_cost=Decimal("240000.00"),
        internal_deadline=loader.day(-50),
        funder_deadline=loader.day(-40),
        contributions=[
            ("east-hertfordshire-district-council", "cash", "30000", "confirmed", ""),
            ("uttlesford-district-council", "in_kind", "30000", "confirmed", "GIS officer time"),
        ],
        sign_off="Head of Finance, East Hertfordshire District Council",
    )
    loader.bid(
        "Living Smart at Home",
        "Reaching Communities",
        projects=["living-smart-at-home"],
        stage=Stage.UNSUCCESSFUL,
        summary="CVS-led project: technology that helps older residents live independently at home.",
        lead_officer=loader.people["jo.pearce"],
        accountable_body=_org("harlow-cvs"),
        amount_requested=Decimal("350000.00"),
        total_cost=Decimal("400000.00"),
        internal_deadline=loader.day(-230),
        funder_deadline=loader.day(-210),
        contributions=[
            ("harlow-cvs", "in_kind", "20000", "confirmed", "Volunteer coordination"),
            ("essex-partnership-university-nhs-ft", "in_kind", "30000", "pledged", "Community nursing time"),
        ],
        sign_off="Treasurer, Harlow CVS",
        feedback="Unsuccessful: strong need, but the funder wanted a longer track record of joint delivery. "
        "(Illustrative feedback.)",
    )
    loader.bid(
        "Town centre wi-fi",
        "Getting Building Fund",
        projects=["town-centre-wi-fi"],
        stage=Stage.IDEA,
        summary="Free public wi-fi and footfall sensing in the five town centres.",
        lead_officer=loader.people["partner.officer"],
        amount_requested=Decimal("400000.00"),
        total_cost=Decimal("800000.00"),
        funder_deadline=loader.day(60),
    )


@transaction.atomic
def load(stdout=None) -> dict[str, int]:
    """Load the demo funding pipeline (after partners.demo.load). Safe to run again."""
    people = {user.email.split("@")[0]: user for user in User.objects.filter(email__iendswith="@example.org")}
    loader = Loader(pm=people["programme.manager"], people=people)
    _funders_and_opportunities(loader)
    _lffn(loader)
    _pipeline(loader)
    counts = {
        "funders": Funder.objects.count(),
        "opportunities": Opportunity.objects.count(),
        "bids": Bid.objects.count(),
        "awards": Award.objects.count(),
    }
    if stdout is not None:
        stdout.write(
            "Loaded the DIZ demo funding: "
            + ", ".join(f"{n} {k}" for k, n in counts.items())
            + f" (this run: {len(loader.created)} new bids)."
        )
    return counts

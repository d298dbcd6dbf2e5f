"""The DIZ Digital Innovation Strategy and its endorsement by every partner, from the seeds.

Seed 000 (a district council's committee report, 2019) is the story: version 1.0 goes through each
partner's own decision route; East Herts had already endorsed it at scrutiny, Epping Forest takes it
to its Overview and Scrutiny Committee, a presentation is planned at Broxbourne, and partners may
ask for amendments. The NHS and college partners take it to their boards and corporations. Version
1.1, a material change (full fibre and digital skills), is out for consultation, with two amendment
requests. Evidence links point at example.org: the demo invents no real council's web address.

Everything goes through `strategy.services` as the partner's own representative (so history says
who recorded it). Idempotent: the strategy is matched on slug, versions on label, endorsements on
(organisation, version) and only recorded when their status differs, amendments on (organisation,
version, section).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from partners.models import Organisation, User
from strategy import services
from strategy.models import AmendmentRequest, Endorsement, Strategy, StrategyVersion, VersionStatus

SLUG = "digital-innovation-strategy"
TITLE = "Digital Innovation Strategy"
SUMMARY = (
    "The strategy sets out long-term ambitions and an understanding of the area’s current and future digital "
    "strengths and challenges, with recommendations for immediate action to improve digital performance. It is "
    "the first time in the UK that partners from the tiers of local government, primary and secondary health "
    "care, further and higher education, local businesses and the community and voluntary sector have come "
    "together to agree an over-arching combined digital plan."
)

TEXT_1_0 = """# Vision
To be the best connected place of its type in the UK. A place of innovation and inclusion. A place where the benefits of digital investment are harnessed, maximised and shared across residents, commuters, businesses and borders.

# Our place
Five districts, two counties and two local enterprise partnerships: 550,000 people and 32,500 businesses between the digital hotspots of Cambridge and London in the UK Innovation Corridor.

# Key questions
What does our economy currently look like, how exposed might it be to change, and how might we future-proof our economic prosperity?
How are we placed on speed and connectivity, and how might we better use our current assets to lever in the investment needed to go further, faster?
Can we work better together to use digital to deliver more public services in a joined-up way that costs less and provides more?

# Connectivity
Coordinate and jointly support the delivery of superfast broadband across the geography, including enhanced investment, and build a more productive relationship with infrastructure providers.

# Public services
Use digital as a core enabling platform for all partners: joined-up services for residents, researched across the geography (Open Data Source, a Common Asset Register, Town Centre Wi-Fi).

# Economy
Make the area a strong choice for digital businesses looking to expand or relocate, and help shape how partners respond to the Government’s industrial strategy.

# Governance and delivery
The strategy is adopted by every partner through its own decision route. Following adoption by all partners a detailed delivery plan will be drawn up and implemented, and a high-profile launch event will promote the strategy to Government and key industry stakeholders."""

TEXT_1_1 = TEXT_1_0.replace(
    "Coordinate and jointly support the delivery of superfast broadband across the geography, including enhanced "
    "investment, and build a more productive relationship with infrastructure providers.",
    "Coordinate and jointly support the delivery of superfast broadband and full fibre across the geography, "
    "building on the Local Full Fibre Network programme, and build a more productive relationship with "
    "infrastructure providers.",
).replace(
    "# Economy",
    "# Digital skills and inclusion\nWork with the three local colleges, the university and the voluntary sector "
    "so that every resident can share in the benefits of digital investment, starting with the district-led "
    "digital inclusion project.\n\n# Economy",
)

# (organisation slug, deciding body, status, days from today for the date, person recording, extra)
ROUTES = [
    (
        "east-hertfordshire-district-council",
        "Overview and Scrutiny Committee",
        "endorsed",
        "2019-03-12",
        "tom.gale",
        {},
    ),
    ("epping-forest-district-council", "Overview and Scrutiny Committee", "scheduled", 12, "alan.lion", {}),
    ("broxbourne-borough-council", "Overview and Scrutiny Committee", "scheduled", -3, "board.member", {}),
    (
        "harlow-district-council",
        "Cabinet",
        "endorsed_with_amendments",
        "2019-04-18",
        "sam.okafor",
        {
            "amendments": "That the connectivity section also name full fibre, and that Harlow’s town centre be "
            "considered for the Town Centre Wi-Fi pilot."
        },
    ),
    ("uttlesford-district-council", "Cabinet", "not_started", None, "ellen.marsh", {}),
    ("essex-county-council", "Cabinet", "with_officers", None, "nadia.rahman", {}),
    ("hertfordshire-county-council", "Cabinet", "endorsed", "2019-05-21", "peter.hughes", {}),
    ("west-essex-ccg", "Governing Body", "endorsed", "2019-04-25", "oliver.brandt", {}),
    ("princess-alexandra-hospital", "Trust Board", "endorsed", "2019-05-02", "hannah.cole", {}),
    ("essex-partnership-university-nhs-ft", "Trust Board", "scheduled", 26, "kwame.mensah", {}),
    ("harlow-college", "Corporation", "endorsed", "2019-03-28", "lucy.fairweather", {}),
    (
        "epping-forest-college",
        "Corporation",
        "deferred",
        "2019-06-20",
        "daniel.webb",
        {"resolution": "Deferred to the next meeting of the Corporation, pending the delivery plan."},
    ),
    ("hertford-regional-college", "Corporation", "endorsed", "2019-06-27", "amira.haddad", {}),
    ("voluntary-action-epping-forest", "Board of Trustees", "endorsed", "2019-04-09", "clare.morris", {}),
    ("one-epping-forest", "Partnership Board", "endorsed", "2019-03-05", "grace.adeyemi", {}),
]

AMENDMENTS = [
    # (organisation, person, version label, section, proposed text, reason, answer)
    (
        "harlow-district-council",
        "sam.okafor",
        "1.0",
        "Connectivity",
        "Coordinate and jointly support the delivery of superfast broadband and full fibre across the geography.",
        "The DCMS Local Full Fibre Network programme makes full fibre the next step; the strategy should say so.",
        ("accept", "1.1", "Accepted: version 1.1 names full fibre and the LFFN programme."),
    ),
    (
        "broxbourne-borough-council",
        "board.member",
        "1.1",
        "Digital skills and inclusion",
        "Add: “including residents in sheltered housing and care homes, with the Living Smart At Home project”.",
        "Members asked at scrutiny that the strategy name the residents most at risk of digital exclusion.",
        None,
    ),
]


def _person(local: str) -> User:
    return User.objects.get(email__iexact=f"{local}@example.org")


def _date(value):
    if value is None:
        return None
    if isinstance(value, int):
        return timezone.localdate() + timedelta(days=value)
    return datetime.strptime(value, "%Y-%m-%d").date()  # noqa: DTZ007 (a calendar date, no time)


def _version_pdf(text: str, label: str) -> SimpleUploadedFile:
    from django.utils.html import escape

    from diz_portal.pdf import html_to_pdf

    body = "".join(
        f"<h2>{escape(heading)}</h2><p>{escape(words)}</p>" for heading, words in services.parse_sections(text)
    )
    html = f'<html lang="en-GB"><head><title>{TITLE} {label}</title></head><body><h1>{TITLE}, version {label}</h1>{body}</body></html>'
    return SimpleUploadedFile(f"digital-innovation-strategy-{label}.pdf", html_to_pdf(html))


@transaction.atomic
def load(stdout=None) -> dict[str, int]:
    def say(message):
        if stdout is not None:
            stdout.write(message)

    pm = _person("programme.manager")
    strategy, _ = Strategy.objects.update_or_create(slug=SLUG, defaults={"title": TITLE, "summary": SUMMARY})
    v10 = strategy.versions.filter(label="1.0").first()
    if v10 is None:
        v10 = services.create_version(
            strategy=strategy,
            label="1.0",
            text=TEXT_1_0,
            summary_of_changes="The strategy as developed with Arup and the partners, after interviews with every "
            "sector and a major conference.",
            aims=[1, 2, 3, 4, 5, 6],
            document=_version_pdf(TEXT_1_0, "1.0"),
            by=pm,
        )
        v10 = services.publish_version(version=v10, by=pm)
        # The strategy became final in January 2019, before the partners' decisions.
        StrategyVersion.objects.filter(pk=v10.pk).update(
            finalised_at=datetime(2019, 1, 15, 12, tzinfo=timezone.get_current_timezone()),
            created_at=datetime(2018, 11, 1, 12, tzinfo=timezone.get_current_timezone()),
        )
        v10.refresh_from_db()
    for slug, body, status, when, local, extra in ROUTES:
        organisation = Organisation.objects.get(slug=slug)
        row = Endorsement.objects.filter(organisation=organisation, version=v10).first()
        if row is None:
            row = services.add_partner(strategy=strategy, organisation=organisation, deciding_body=body, by=pm)
        if row.status == status:
            continue
        fields = {"status": status, "deciding_body": body} | extra
        if status == "scheduled":
            fields["scheduled_for"] = _date(when)
        elif when is not None:
            fields["decision_date"] = _date(when)
            fields.setdefault("resolution", f"That the {TITLE} be endorsed." if "endorsed" in status else "")
            fields["evidence_url"] = f"https://www.example.org/{slug}/decisions/{when}"
        services.record_endorsement(organisation=organisation, version=v10, by=_person(local), **fields)
    v11 = strategy.versions.filter(label="1.1").first()
    if v11 is None:
        v11 = services.create_version(
            strategy=strategy,
            label="1.1",
            text=TEXT_1_1,
            summary_of_changes="Connectivity now names full fibre and the Local Full Fibre Network programme; a new "
            "section on digital skills and inclusion. A material change: partners will be asked to endorse it again.",
            is_material=True,
            aims=[1, 2, 4, 6],
            by=pm,
        )
    if v11.status == VersionStatus.DRAFT:
        services.start_consultation(version=v11, by=pm)
    for slug, local, label, heading, proposed, reason, answer in AMENDMENTS:
        organisation = Organisation.objects.get(slug=slug)
        version = strategy.versions.get(label=label)
        amendment = AmendmentRequest.objects.filter(
            organisation=organisation, version=version, section_heading=heading
        ).first()
        if amendment is None:
            amendment = services.request_amendment(
                version=version,
                organisation=organisation,
                section=version.sections.get(heading=heading),
                proposed_text=proposed,
                reason=reason,
                by=_person(local),
            )
        if answer and amendment.status == "open":
            decision, into, response = answer
            services.answer_amendment(
                amendment=amendment,
                accepted=decision == "accept",
                into=strategy.versions.get(label=into),
                response=response,
                by=pm,
            )
    state = services.adoption(strategy)
    say(f"Strategy: {state.headline}; version 1.1 in consultation.\n")
    return {"endorsements": Endorsement.objects.filter(version__strategy=strategy).count()}

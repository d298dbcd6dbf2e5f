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
    from partners.permissions import SECOND_FACTOR_VERIFIED

    person = User.objects.get(email__iexact=f"{local}@example.org")
    if local == "programme.manager":
        # The loader acts as the demo programme manager, signed in with their second factor.
        setattr(person, SECOND_FACTOR_VERIFIED, True)
    return person


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
    strategy, _ = Strategy.objects.get_or_create(slug=SLUG, defaults={"title": TITLE, "summary": SUMMARY})
    if (strategy.title, strategy.summary) != (TITLE, SUMMARY):
        strategy.title, strategy.summary = TITLE, SUMMARY
        strategy.save(update_fields=["title", "summary"])
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
    load_delivery(say)
    return {"endorsements": Endorsement.objects.filter(version__strategy=strategy).count()}


# --- The delivery plan (issue 10) ------------------------------------------------------------
#
# The projects the seeds name (001: done or begun; 000: researched across the geography; 004: the
# six AI pilot cases, scored on Essex's five criteria), with milestones across the four quarters of
# the current financial year, three months of progress updates and a small RAID log. Matched on
# slugs and titles, so loading again changes nothing.

WORKSTREAMS = [
    # (slug, title, aim, lead organisation, lead person)
    ("connectivity", "Connectivity and infrastructure", 1, "hertfordshire-county-council", "peter.hughes"),
    ("joined-up-services", "Joined-up public services", 4, "uttlesford-district-council", "ellen.marsh"),
    ("inclusion-and-skills", "Digital inclusion and skills", 4, "harlow-district-council", "partner.officer"),
    ("health-and-care", "Health and care", 4, "princess-alexandra-hospital", "hannah.cole"),
    ("ai-and-automation", "AI and automation pilots", 2, "essex-county-council", "nadia.rahman"),
    ("engagement", "Communication and engagement", 5, "epping-forest-district-council", "programme.manager"),
]

# (slug, title, workstream, lead org, lead person, stage, rag, reason, start, end, budget, spend, summary,
#  partners [(org, role)], milestones [(title, quarter, day offset in quarter, status, slip days)])
PROJECTS = [
    (
        "local-full-fibre-network",
        "Local Full Fibre Network programme",
        "connectivity",
        "epping-forest-district-council",
        "programme.manager",
        "scaling",
        "amber",
        "Two of the nine public-building connections wait for wayleaves.",
        (-1, 1),
        (1, 2),
        "1700000.00",
        "1105000.00",
        "The £1.7m DCMS Local Full Fibre Networks bid the partners won together: gigabit connections to public buildings "
        "across the DIZ, with one partner as accountable body.",
        [
            ("essex-county-council", "Delivery partner"),
            ("hertfordshire-county-council", "Delivery partner"),
            ("bt", "Infrastructure provider"),
        ],
        [
            ("Phase 2 sites surveyed", 1, 20, "done", 0),
            ("Wayleaves agreed for civic sites", 2, 40, "done", 21),
            ("Libraries connected", 3, 50, "in_progress", 30),
            ("Final claim to DCMS", 4, 60, "planned", 0),
        ],
    ),
    (
        "common-asset-register",
        "DIZ-wide Common Asset Register",
        "connectivity",
        "epping-forest-district-council",
        "programme.manager",
        "scaling",
        "green",
        "",
        (-1, 2),
        (1, 1),
        "45000.00",
        "31000.00",
        "One register of the partners' land, buildings and ducts, so operators can find where to put masts and fibre.",
        [("harlow-district-council", "Data partner"), ("uttlesford-district-council", "Data partner")],
        [("Housing association assets added", 2, 15, "done", 0), ("Operators' portal opened", 3, 30, "planned", 0)],
    ),
    (
        "superfast-broadband",
        "Superfast broadband",
        "connectivity",
        "hertfordshire-county-council",
        "peter.hughes",
        "bau",
        "green",
        "",
        (-4, 1),
        (1, 4),
        None,
        "0.00",
        "Coordinated and jointly supported delivery of superfast broadband across the geography, including enhanced investment.",
        [("essex-county-council", "Delivery partner")],
        [("Final rural premises connected", 1, 45, "done", 0)],
    ),
    (
        "town-centre-wi-fi",
        "Town Centre Wi-Fi",
        "connectivity",
        "harlow-district-council",
        "partner.officer",
        "experimentation",
        "amber",
        "The supplier's site survey slipped a month; installation follows it.",
        (0, 1),
        (1, 2),
        "120000.00",
        "38000.00",
        "Free public Wi-Fi in the town centres, piloted in Harlow, with footfall data shared with the partners.",
        [("epping-forest-district-council", "Second pilot town"), ("bt", "Supplier")],
        [
            ("Pilot sites chosen", 1, 30, "done", 0),
            ("Site survey", 2, 20, "done", 31),
            ("Access points installed", 3, 60, "planned", 30),
            ("Evaluation to the Board", 4, 70, "planned", 0),
        ],
    ),
    (
        "open-data-source",
        "Open Data Source",
        "joined-up-services",
        "uttlesford-district-council",
        "ellen.marsh",
        "assessment",
        "green",
        "",
        (0, 1),
        (1, 3),
        "20000.00",
        "4000.00",
        "Researching one open data source for the partners' datasets, across the geography.",
        [("anglia-ruskin-university", "Research partner")],
        [("Datasets audited", 2, 30, "done", 0), ("Options paper", 4, 30, "planned", 0)],
    ),
    (
        "living-smart-at-home",
        "Living Smart At Home",
        "health-and-care",
        "voluntary-action-epping-forest",
        "clare.morris",
        "experimentation",
        "green",
        "",
        (0, 1),
        (1, 4),
        "60000.00",
        "22000.00",
        "A CVS-led project helping older residents live independently with smart home technology and volunteer support.",
        [("west-essex-ccg", "Commissioner"), ("harlow-cvs", "Volunteers")],
        [("First 50 homes equipped", 2, 45, "done", 0), ("Interim evaluation", 3, 70, "planned", 0)],
    ),
    (
        "digital-inclusion",
        "District-led digital inclusion project",
        "inclusion-and-skills",
        "harlow-district-council",
        "partner.officer",
        "scaling",
        "green",
        "",
        (-1, 3),
        (1, 4),
        "35000.00",
        "19500.00",
        "Digital champions, device lending and free sessions in libraries and community centres, led by the districts.",
        [("harlow-college", "Training partner"), ("hertford-regional-college", "Training partner")],
        [
            ("Digital champions trained", 1, 40, "done", 0),
            ("Device lending in all five districts", 3, 20, "in_progress", 0),
        ],
    ),
    (
        "ambulance-a-and-e-design",
        "Ambulance and A&E design project",
        "health-and-care",
        "princess-alexandra-hospital",
        "hannah.cole",
        "bau",
        "green",
        "",
        (-3, 1),
        (-1, 4),
        "50000.00",
        "50000.00",
        "LGA and Design Council ‘Design in the Public Sector’ project on ambulance handovers at A&E; its changes are now "
        "how the hospital works.",
        [("essex-partnership-university-nhs-ft", "Partner")],
        [],
    ),
    (
        "smart-place-seminars",
        "Smart Place Seminars",
        "engagement",
        "epping-forest-district-council",
        "programme.manager",
        "bau",
        "green",
        "",
        (-4, 1),
        (2, 4),
        "15000.00",
        "11200.00",
        "Masterclasses bringing the widest range of stakeholders together on the digital revolution (almost 300 delegates so far).",
        [("anglia-ruskin-university", "Host")],
        [("Sixth seminar: AI in public services", 3, 40, "planned", 0)],
    ),
]

IDEAS = [
    # (title, problem, beneficiaries, sponsor, marks by the programme manager, marks by the second scorer)
    (
        "Transcription",
        "Officers spend days writing up meetings and interviews by hand.",
        "Officers and the residents they serve",
        "Head of Democratic Services",
        (5, 4, 4, 5, 5),
        (4, 4, 4, 5, 4),
    ),
    (
        "Information, advice and guidance",
        "Residents cannot find the right advice across many websites and phone lines.",
        "Residents, especially those in crisis",
        "Director of Customer Services",
        (3, 4, 5, 4, 4),
        (3, 3, 5, 4, 3),
    ),
    (
        "Education, Health and Care Plans (EHCPs)",
        "Drafting EHCPs is slow, and families wait beyond the statutory deadline.",
        "Children with special educational needs and their families",
        "Director of Education",
        (3, 3, 5, 3, 5),
        (2, 2, 5, 3, 4),
    ),
    (
        "A digital front door",
        "Residents call five numbers before reaching the right service.",
        "Residents and contact centre staff",
        "Director of Customer Services",
        (4, 5, 4, 5, 3),
        (4, 4, 3, 5, 3),
    ),
    (
        "Member enquiries",
        "Councillors' casework enquiries are logged and routed by hand.",
        "Councillors and their residents",
        "Head of Democratic Services",
        (4, 5, 3, 4, 4),
        (5, 4, 3, 4, 4),
    ),
    (
        "Automation pipeline for routine processes",
        "Routine back-office tasks are keyed twice into separate systems.",
        "Back-office teams",
        "Director of Finance",
        (4, 4, 3, 4, 2),
        (3, 4, 2, 4, 2),
    ),
]


def _quarter_day(year: int, quarter: int, offset: int):
    from strategy.models import quarter_start

    return quarter_start(year, quarter) + timedelta(days=offset)


def load_delivery(say) -> None:
    from django.contrib.auth.models import Group

    from strategy import delivery
    from strategy.models import (
        Idea,
        Milestone,
        ProgressUpdate,
        Project,
        Risk,
        Score,
        Workstream,
        financial_year,
        quarter_start,
    )
    from strategy.permissions import IDEA_SCORERS_GROUP

    pm = _person("programme.manager")
    today = timezone.localdate()
    year = financial_year(today)
    workstreams = {}
    for slug, title, aim, org, lead in WORKSTREAMS:
        workstream = Workstream.objects.filter(slug=slug).first() or Workstream(slug=slug)
        if workstream.pk is None:
            workstream.title, workstream.aim = title, aim
            workstream.lead_organisation = Organisation.objects.get(slug=org)
            workstream.lead_person = _person(lead)
            workstream.position = len(workstreams)
            delivery.save_workstream(workstream=workstream, by=pm)
        workstreams[slug] = workstream
    for (
        slug,
        title,
        ws,
        org,
        lead,
        stage,
        rag,
        reason,
        start,
        end,
        budget,
        spend,
        summary,
        roles,
        milestones,
    ) in PROJECTS:
        project = Project.objects.filter(slug=slug).first()
        if project is None:
            project = Project(
                slug=slug,
                title=title,
                summary=summary,
                workstream=workstreams[ws],
                lead_organisation=Organisation.objects.get(slug=org),
                lead_person=_person(lead),
                stage=stage,
                rag="green",
                start_date=quarter_start(year + start[0], start[1]),
                end_date=quarter_start(year + end[0], end[1]) + timedelta(days=89),
                budget=budget,
                spend=spend,
            )
            delivery.save_project(
                project=project,
                partners=[(Organisation.objects.get(slug=o), role) for o, role in roles],
                by=pm,
            )
            for m_title, quarter, offset, status, slip in milestones:
                baseline = _quarter_day(year, quarter, offset)
                milestone = delivery.add_milestone(project=project, title=m_title, due_date=baseline, by=pm)
                due = baseline + timedelta(days=slip)
                if status == "done":
                    done = min(due, today)
                    delivery.update_milestone(milestone=milestone, due_date=due, status="done", done_date=done, by=pm)
                elif slip or status != "planned":
                    delivery.update_milestone(milestone=milestone, due_date=due, status=status, by=pm)
        if not project.updates.exists() and stage in ("experimentation", "scaling", "assessment"):
            officer = project.lead_person
            # Three months of updates up to last month: this month's is still to come (the reminder's job).
            month = today.replace(day=1)
            history = ["green", rag if rag != "green" else "green", rag]
            for back, month_rag in zip((3, 2, 1), history, strict=True):
                start_of = month
                for _ in range(back):
                    start_of = (start_of - timedelta(days=1)).replace(day=1)
                met = [m for m in project.milestones.all() if m.done_date and m.done_date.replace(day=1) == start_of]
                slipped = [m for m in project.milestones.all() if m.slipped_days and m.status != "done"][
                    : 1 if back == 1 else 0
                ]
                delivery.post_update(
                    project=project,
                    by=officer,
                    period="month",
                    period_start=start_of,
                    rag=month_rag,
                    rag_reason=reason if month_rag != "green" else "",
                    narrative=f"{title}: work went to plan this month." if month_rag == "green" else reason,
                    next_steps="Report to the Board at its next meeting.",
                    met=met,
                    slipped=slipped,
                )
    if not Risk.objects.exists():
        fibre = Project.objects.get(slug="local-full-fibre-network")
        wifi = Project.objects.get(slug="town-centre-wi-fi")
        for project, kind, text, likelihood, impact, owner, mitigation in [
            (
                fibre,
                "issue",
                "Wayleaves for two civic sites not yet agreed",
                4,
                4,
                "programme.manager",
                "Escalated to the landlords' chief executives.",
            ),
            (
                fibre,
                "risk",
                "Grant must be claimed by the programme's deadline",
                2,
                5,
                "programme.manager",
                "Monthly claims; the accountable body's finance team tracks the profile.",
            ),
            (
                wifi,
                "risk",
                "Supplier capacity in the installation window",
                3,
                3,
                "partner.officer",
                "Second supplier on the framework kept warm.",
            ),
        ]:
            delivery.save_risk(
                risk=Risk(
                    project=project,
                    kind=kind,
                    description=text,
                    likelihood=likelihood,
                    impact=impact,
                    owner=_person(owner),
                    mitigation=mitigation,
                ),
                by=pm,
            )
    scorer = _person("nadia.rahman")
    Group.objects.get_or_create(name=IDEA_SCORERS_GROUP)[0].user_set.add(scorer)
    names = ["feasibility", "suitability", "impact", "scalability", "engagement"]
    for title, problem, beneficiaries, sponsor, pm_marks, second_marks in IDEAS:
        idea = Idea.objects.filter(title=title).first()
        if idea is None:
            idea = delivery.propose_idea(
                title=title, problem=problem, beneficiaries=beneficiaries, sponsor=sponsor, by=scorer
            )
        for person, marks in ((pm, pm_marks), (scorer, second_marks)):
            if not Score.objects.filter(idea=idea, scorer=person).exists():
                delivery.score_idea(
                    idea=idea,
                    by=person,
                    marks=dict(zip(names, marks, strict=True)),
                    rationales={"engagement": f"Sponsor: {sponsor}."},
                )
    transcription = Idea.objects.get(title="Transcription")
    if transcription.status == "proposed":
        project = delivery.promote_idea(
            idea=transcription,
            workstream=workstreams["ai-and-automation"],
            lead_organisation=Organisation.objects.get(slug="essex-county-council"),
            by=pm,
        )
        delivery.add_milestone(
            project=project, title="Transcription pilot starts", due_date=_quarter_day(year, 4, 15), by=pm
        )
    say(
        f"Delivery plan: {Project.objects.count()} projects, {Milestone.objects.count()} milestones, "
        f"{ProgressUpdate.objects.count()} updates, {Idea.objects.count()} ideas.\n"
    )

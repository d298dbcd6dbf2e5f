"""The DIZ demo partnership, from the source documents in shared/seeds.

Organisations and public office holders are those the seeds name; every other person is
fictional, and every email address is on example.org. Loading is idempotent: rows are matched on
their natural keys (slug, email, seat) and updated in place.
"""

from __future__ import annotations

from datetime import date

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.db import transaction

from partners.models import GoverningBody, Membership, Organisation, Partnership, Role, User
from partners.permissions import PROGRAMME_MANAGER_GROUP

DEMO_PASSWORD = "diz-demo-password"
# A demo-only authenticator secret for the demo programme manager, printed in the README so the
# whole demo can be walked. Nothing outside `load_demo` enrols a second factor for anyone.
DEMO_PM_TOTP_SECRET = "DIZDEMOTOTPSECRETONLYFORDEMOX234"

PARTNERSHIP = {
    "name": "Essex + Herts Digital Innovation Zone",
    "short_name": "DIZ",
    "strapline": "To be the best connected place of its type in the UK.",
    "vision": (
        "To be the best connected place of its type in the UK. A place of innovation and inclusion. "
        "A place where the benefits of digital investment are harnessed, maximised and shared across "
        "residents, commuters, businesses and borders."
    ),
    "introduction": (
        "The Digital revolution will offer many opportunities but also pose many challenges to the nature of "
        "work, the viability of business and employment models, the way we deliver services and the way we "
        "live our lives.\n\n"
        "The Essex & Hertfordshire Digital Innovation Zone (DIZ) has been created jointly by organisations "
        "from business, health, education, local authorities and the voluntary and community sector, each "
        "with a key role in making sure that our place, west Essex and eastern Hertfordshire, is ready to "
        "respond to the challenges and opportunities ahead.\n\n"
        "Five districts, two counties, 550,000 people and 32,500 businesses, between the digital hotspots of "
        "Cambridge and London in the UK Innovation Corridor. We want our place to be a beacon for the "
        "application of new technology, to use it to grow our economic prosperity and provide the best "
        "services to our local communities in the most efficient way."
    ),
    "key_questions": [
        "What does our economy currently look like and how exposed might it be to a change and how might we "
        "future proof our economic prosperity?",
        "Digital relies on infrastructure, so how are we currently placed on speed and connectivity and how "
        "might we better utilise our current assets to lever in the additional investment required from the "
        "private sector and / or government to go ‘further, faster’?",
        "Can we work better together to use digital to deliver more public services in a joined up way that "
        "costs less and provides more, or should we carry on as we are commissioning individual approaches?",
    ],
    "aims": [
        "Building a more productive and effective relationship with international infrastructure organisations",
        "Developing a strategic long-term plan for the enhancement of digital investment and applications "
        "across all partners organisations",
        "Establishing effective governance arrangements across all relevant partner organisations",
        "Identifying and delivering short-term practical digital investment and enhancement projects",
        "Developing effective communication and branding to maintain an understanding of and support for the "
        "digital programme among key stakeholders and external partners",
        "Identifying and targeting key sources of external investment and support for coordinating local "
        "partner programmes",
    ],
    "governance": (
        "The DIZ is not a legal entity in its own right but is comprised of many statutory bodies. While the "
        "DIZ applies for funding collectively, the delivery of its work and these programmes is via one of the "
        "partners acting as an accountable body.\n\n"
        "The partnership is led by the DIZ Steering Group, which meets monthly. The main DIZ Board is "
        "comprised of partners from across the geography committed to the aims and objectives of the "
        "partnership; it also meets monthly and looks at progress both strategically and on individual "
        "projects or workstreams."
    ),
    "contact_email": "programme-team@example.org",
    "is_legal_entity": False,
}

# (slug, name, short name, type, county, org-id, legal entity?, population, description)
ORGANISATIONS = [
    (
        "epping-forest-district-council",
        "Epping Forest District Council",
        "Epping Forest DC",
        "district_council",
        "essex",
        "GB-LAE-EPP",
        True,
        131_000,
        "One of the DIZ's founding partners: the DIZ began in October 2016 with discussions between One Epping "
        "Forest, Epping Forest District Council and partners within Essex County Council.",
    ),
    (
        "harlow-district-council",
        "Harlow District Council",
        "Harlow DC",
        "district_council",
        "essex",
        "GB-LAE-HAR",
        True,
        87_000,
        "District council for Harlow, one of the three Essex districts of the DIZ.",
    ),
    (
        "uttlesford-district-council",
        "Uttlesford District Council",
        "Uttlesford DC",
        "district_council",
        "essex",
        "GB-LAE-UTT",
        True,
        91_000,
        "District council for Uttlesford, home of London Stansted Airport.",
    ),
    (
        "east-hertfordshire-district-council",
        "East Hertfordshire District Council",
        "East Herts DC",
        "district_council",
        "hertfordshire",
        "GB-LAE-EHE",
        True,
        149_000,
        "District council for East Hertfordshire, where scrutiny warmly received and endorsed the strategy.",
    ),
    (
        "broxbourne-borough-council",
        "Broxbourne Borough Council",
        "Broxbourne BC",
        "district_council",
        "hertfordshire",
        "GB-LAE-BRX",
        True,
        97_000,
        "Borough council for Broxbourne in eastern Hertfordshire.",
    ),
    (
        "essex-county-council",
        "Essex County Council",
        "Essex CC",
        "county_council",
        "essex",
        "GB-LAE-ESS",
        True,
        None,
        "County council serving 1.5 million people across Essex.",
    ),
    (
        "hertfordshire-county-council",
        "Hertfordshire County Council",
        "Herts CC",
        "county_council",
        "hertfordshire",
        "GB-LAE-HRT",
        True,
        None,
        "County council for Hertfordshire.",
    ),
    (
        "one-epping-forest",
        "One Epping Forest",
        "One Epping Forest",
        "local_partnership",
        "essex",
        None,
        False,
        None,
        "The local strategic partnership for Epping Forest, where the DIZ began.",
    ),
    (
        "west-essex-ccg",
        "West Essex Clinical Commissioning Group",
        "West Essex CCG",
        "nhs_commissioner",
        "essex",
        "GB-NHS-07H",
        True,
        None,
        "The NHS commissioner for west Essex.",
    ),
    (
        "princess-alexandra-hospital",
        "The Princess Alexandra Hospital NHS Trust",
        "PAH",
        "acute_trust",
        "essex",
        "GB-NHS-RQW",
        True,
        None,
        "The local acute hospital, partner in the ambulance and A&E design project.",
    ),
    (
        "essex-partnership-university-nhs-ft",
        "Essex Partnership University NHS Foundation Trust",
        "EPUT",
        "community_health",
        "essex",
        "GB-NHS-R1L",
        True,
        None,
        "Community health services across Essex.",
    ),
    (
        "harlow-college",
        "Harlow College",
        "Harlow College",
        "fe_college",
        "essex",
        None,
        True,
        None,
        "One of the three local further education colleges.",
    ),
    (
        "epping-forest-college",
        "Epping Forest College",
        "EFC",
        "fe_college",
        "essex",
        None,
        True,
        None,
        "One of the three local further education colleges.",
    ),
    (
        "hertford-regional-college",
        "Hertford Regional College",
        "HRC",
        "fe_college",
        "hertfordshire",
        None,
        True,
        None,
        "One of the three local further education colleges.",
    ),
    (
        "anglia-ruskin-university",
        "Anglia Ruskin University",
        "ARU",
        "university",
        "essex",
        "GB-UKPRN-10000291",
        True,
        None,
        "The DIZ's university partner, through its innovation lead.",
    ),
    (
        "voluntary-action-epping-forest",
        "Voluntary Action Epping Forest",
        "VAEF",
        "vcs_body",
        "essex",
        None,
        True,
        None,
        "Umbrella body for the voluntary and community sector; lead of the ‘Living Smart At Home’ project.",
    ),
    (
        "harlow-cvs",
        "Harlow Council for Voluntary Service",
        "Harlow CVS",
        "vcs_body",
        "essex",
        None,
        True,
        None,
        "Umbrella body for the voluntary and community sector in Harlow.",
    ),
    (
        "community-voluntary-services-uttlesford",
        "Community Voluntary Services Uttlesford",
        "CVS Uttlesford",
        "vcs_body",
        "essex",
        None,
        True,
        None,
        "Umbrella body for the voluntary and community sector in Uttlesford.",
    ),
    (
        "bt",
        "BT Group",
        "BT",
        "business",
        "national",
        "GB-COH-04190816",
        True,
        None,
        "Digital infrastructure provider; hosted the DIZ Digital Adoption Conference at BT Tower.",
    ),
    (
        "london-stansted-airport",
        "London Stansted Airport",
        "Stansted",
        "business",
        "essex",
        None,
        True,
        None,
        "The airport, one of the private-sector partners.",
    ),
    (
        "cambridge-wireless",
        "Cambridge Wireless",
        "CW",
        "business",
        "cambridgeshire",
        None,
        True,
        None,
        "Often joins the Board from outside the DIZ to explore collaborative working.",
    ),
    (
        "arup",
        "Arup",
        "Arup",
        "consultancy",
        "london",
        None,
        True,
        None,
        "Key strategic digital consultant: developed the DIZ Digital Innovation Strategy with the partners.",
    ),
    (
        "dcms",
        "Department for Digital, Culture, Media and Sport",
        "DCMS",
        "central_government_observer",
        "national",
        None,
        False,
        None,
        "Central government observer; funder of the Local Full Fibre Networks programme.",
    ),
]

# (email local part, name, job title, organisation slug)
PEOPLE = [
    ("programme.manager", "Morgan Price", "DIZ Programme Manager", "epping-forest-district-council"),
    ("partner.officer", "Jordan Ellis", "Digital Lead Officer", "harlow-district-council"),
    ("board.member", "Alex Turner", "Head of Digital", "broxbourne-borough-council"),
    ("alan.lion", "Cllr Alan Lion", "Chairman of the Digital Innovation Zone", "epping-forest-district-council"),
    ("linda.haysey", "Cllr Linda Haysey", "Leader of the Council", "east-hertfordshire-district-council"),
    ("gagan.mohindra", "Cllr Gagan Mohindra", "Cabinet Member", "essex-county-council"),
    ("clare.morris", "Clare Morris", "Chief Executive", "voluntary-action-epping-forest"),
    ("sam.okafor", "Sam Okafor", "Assistant Director, Digital", "harlow-district-council"),
    ("rita.das", "Rita Das", "Head of ICT", "harlow-district-council"),
    ("ellen.marsh", "Ellen Marsh", "Director of Corporate Services", "uttlesford-district-council"),
    ("tom.gale", "Tom Gale", "Head of Strategy", "east-hertfordshire-district-council"),
    ("nadia.rahman", "Nadia Rahman", "Director, Essex Digital Service", "essex-county-council"),
    ("peter.hughes", "Peter Hughes", "Head of Connectivity", "hertfordshire-county-council"),
    ("grace.adeyemi", "Grace Adeyemi", "Partnership Manager", "one-epping-forest"),
    ("oliver.brandt", "Oliver Brandt", "Digital Transformation Lead", "west-essex-ccg"),
    ("hannah.cole", "Hannah Cole", "Chief Information Officer", "princess-alexandra-hospital"),
    ("kwame.mensah", "Kwame Mensah", "Associate Director of Digital", "essex-partnership-university-nhs-ft"),
    ("lucy.fairweather", "Lucy Fairweather", "Vice Principal", "harlow-college"),
    ("daniel.webb", "Daniel Webb", "Director of Curriculum", "epping-forest-college"),
    ("amira.haddad", "Amira Haddad", "Head of Digital Skills", "hertford-regional-college"),
    ("mark.ellison", "Mark Ellison", "Innovation Lead", "anglia-ruskin-university"),
    ("jo.pearce", "Jo Pearce", "Chief Officer", "harlow-cvs"),
    ("ben.nash", "Ben Nash", "Regional Partnership Director", "bt"),
    ("fiona.grant", "Fiona Grant", "Community Relations Manager", "london-stansted-airport"),
    ("ravi.patel", "Ravi Patel", "Director, Smart Places", "arup"),
    ("helen.shaw", "Helen Shaw", "Local Full Fibre Networks adviser", "dcms"),
]

BODIES = [
    {
        "slug": "steering-group",
        "name": "Steering Group",
        "code": "SG",
        "display_order": 1,
        "purpose": "The Steering Group leads the partnership. It meets monthly.",
        "meeting_frequency": "monthly",
        "quorum_count": 3,
        "quorum_sectors": ["local_government"],
        "terms_of_reference": (
            "The Steering Group leads the DIZ partnership between Board meetings: it sets the agenda for the "
            "Board, oversees the delivery of the Digital Innovation Strategy and agrees which partner acts as "
            "accountable body for each funding bid.\n\nQuorum: three members, at least one from local government."
        ),
    },
    {
        "slug": "board",
        "name": "Board",
        "code": "BRD",
        "display_order": 2,
        "purpose": (
            "The main DIZ Board is comprised of partners from across the geography committed to the aims and "
            "objectives of the partnership and looking to work collaboratively to meet the digital challenge. "
            "The Board identifies and pursues external funding opportunities, organises events such as Smart "
            "Place Seminars and conferences, produces DIZ Matters, and evaluates the application locally of "
            "different digital approaches and technologies."
        ),
        "meeting_frequency": "monthly",
        "quorum_count": 6,
        "quorum_sectors": ["local_government", "health"],
        "terms_of_reference": (
            "The Board meets monthly and looks at progress both strategically and on individual projects or "
            "workstreams. Its membership is continually evolving, with a collegiate and open-door approach to "
            "organisations interested in supporting and shaping the work of the DIZ.\n\nQuorum: six members, "
            "including at least one from local government and one from health."
        ),
    },
]

STARTED = date(2019, 4, 1)

# (body, person, organisation, role, role note, start, end, deputy)
SEATS = [
    ("steering-group", "alan.lion", "epping-forest-district-council", Role.CHAIR, "", STARTED, None, "sam.okafor"),
    (
        "steering-group",
        "linda.haysey",
        "east-hertfordshire-district-council",
        Role.VICE_CHAIR,
        "Herts",
        STARTED,
        None,
        "tom.gale",
    ),
    (
        "steering-group",
        "gagan.mohindra",
        "essex-county-council",
        Role.VICE_CHAIR,
        "Essex",
        STARTED,
        None,
        "nadia.rahman",
    ),
    (
        "steering-group",
        "clare.morris",
        "voluntary-action-epping-forest",
        Role.VICE_CHAIR,
        "Community",
        STARTED,
        None,
        None,
    ),
    (
        "steering-group",
        "programme.manager",
        "epping-forest-district-council",
        Role.SECRETARIAT,
        "",
        STARTED,
        None,
        None,
    ),
    ("board", "alan.lion", "epping-forest-district-council", Role.CHAIR, "", STARTED, None, None),
    ("board", "board.member", "broxbourne-borough-council", Role.MEMBER, "", STARTED, None, None),
    ("board", "rita.das", "harlow-district-council", Role.MEMBER, "", STARTED, date(2024, 3, 31), None),
    ("board", "sam.okafor", "harlow-district-council", Role.MEMBER, "", date(2024, 4, 1), None, "partner.officer"),
    ("board", "ellen.marsh", "uttlesford-district-council", Role.MEMBER, "", STARTED, None, None),
    ("board", "tom.gale", "east-hertfordshire-district-council", Role.MEMBER, "", STARTED, None, None),
    ("board", "nadia.rahman", "essex-county-council", Role.MEMBER, "", date(2024, 9, 1), None, None),
    ("board", "peter.hughes", "hertfordshire-county-council", Role.MEMBER, "", STARTED, None, None),
    ("board", "grace.adeyemi", "one-epping-forest", Role.MEMBER, "", STARTED, None, None),
    ("board", "oliver.brandt", "west-essex-ccg", Role.MEMBER, "", STARTED, None, None),
    ("board", "hannah.cole", "princess-alexandra-hospital", Role.MEMBER, "", STARTED, None, None),
    ("board", "kwame.mensah", "essex-partnership-university-nhs-ft", Role.MEMBER, "", STARTED, None, None),
    ("board", "lucy.fairweather", "harlow-college", Role.MEMBER, "", STARTED, None, None),
    ("board", "daniel.webb", "epping-forest-college", Role.MEMBER, "", STARTED, None, None),
    ("board", "amira.haddad", "hertford-regional-college", Role.MEMBER, "", STARTED, None, None),
    ("board", "mark.ellison", "anglia-ruskin-university", Role.MEMBER, "", STARTED, None, None),
    ("board", "clare.morris", "voluntary-action-epping-forest", Role.MEMBER, "", STARTED, None, None),
    ("board", "jo.pearce", "harlow-cvs", Role.MEMBER, "", STARTED, None, None),
    ("board", "ben.nash", "bt", Role.MEMBER, "", STARTED, None, None),
    ("board", "fiona.grant", "london-stansted-airport", Role.MEMBER, "", STARTED, None, None),
    ("board", "ravi.patel", "arup", Role.OBSERVER, "Strategy consultant", STARTED, None, None),
    ("board", "helen.shaw", "dcms", Role.OBSERVER, "Central government", STARTED, None, None),
    ("board", "programme.manager", "epping-forest-district-council", Role.SECRETARIAT, "", STARTED, None, None),
]

# The demo sign-ins the README lists, one per role.
DEMO_SIGN_INS = {
    "programme manager": "programme.manager@example.org",
    "partner officer": "partner.officer@example.org",
    "Board member": "board.member@example.org",
    "Steering Group chair": "alan.lion@example.org",
}


def email_for(local: str) -> str:
    return f"{local}@example.org"


@transaction.atomic
def load(stdout=None) -> dict[str, int]:
    def say(message):
        if stdout is not None:
            stdout.write(message)

    partnership = Partnership.objects.order_by("pk").first() or Partnership()
    for field, value in PARTNERSHIP.items():
        setattr(partnership, field, value)
    partnership.save()

    organisations = {}
    for slug, name, short, org_type, county, org_id, legal, population, description in ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short,
                "org_type": org_type,
                "county": county,
                "org_id": org_id,
                "is_legal_entity": legal,
                "population": population,
                "description": description,
                "membership_status": "active",
                "joined_on": date(2017, 1, 1) if org_type != "central_government_observer" else None,
                "website": "",
                "is_archived": False,
            },
        )
        organisations[slug] = organisation

    people = {}
    for local, name, title, org_slug in PEOPLE:
        email = email_for(local)
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(email=email)
            user.set_password(DEMO_PASSWORD)
        user.name, user.job_title, user.organisation = name, title, organisations[org_slug]
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        people[local] = user

    pm = people["programme.manager"]
    pm.groups.add(Group.objects.get(name=PROGRAMME_MANAGER_GROUP))
    if not pm.is_staff:
        pm.is_staff = True
        pm.save(update_fields=["is_staff"])
    if not Authenticator.objects.filter(user=pm, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(pm, DEMO_PM_TOTP_SECRET)

    bodies = {}
    for spec in BODIES:
        spec = dict(spec)
        body, _ = GoverningBody.objects.update_or_create(slug=spec.pop("slug"), defaults=spec)
        bodies[body.slug] = body

    for body_slug, person, org_slug, role, note, start, end, deputy in SEATS:
        Membership.objects.update_or_create(
            body=bodies[body_slug],
            person=people[person],
            started_on=start,
            defaults={
                "organisation": organisations[org_slug],
                "role": role,
                "role_note": note,
                "ended_on": end,
                "deputy": people[deputy] if deputy else None,
            },
        )

    counts = {
        "organisations": len(organisations),
        "people": len(people),
        "bodies": len(bodies),
        "seats": len(SEATS),
    }
    say("Loaded the DIZ demo partnership: " + ", ".join(f"{n} {k}" for k, n in counts.items()) + ".")
    return counts

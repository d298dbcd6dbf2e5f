"""Synthetic data for the benchmark (`make bench`): N times the DIZ's size.

One scale unit is about the size of the real partnership: 30 partner organisations, a Board and a
Steering Group, 40 people and 60 seats (40 current, 20 ended). Every row it makes is marked by a
"bench-" slug or a bench-person-<i>@example.org email, and a run first deletes the rows an earlier
run made, so running it twice gives the same data. `--scale 0` only deletes them.

Rows are written with bulk_create, which skips save() and the history signals: the sector that
Organisation.save() derives from the type is set here instead, and no history rows are written.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from partners.models import (
    SECTOR_OF_TYPE,
    County,
    GoverningBody,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationType,
    Role,
    Sector,
    User,
    validate_org_id,
)

PREFIX = "bench-"
ORG_SLUG = "bench-org-"
EMAIL_PREFIX = "bench-person-"
EMAIL_DOMAIN = "example.org"

ORGS_PER_UNIT = 30
PEOPLE_PER_UNIT = 40
# Per body (two bodies a unit): 20 current seats and 10 ended ones.
CURRENT_PER_BODY = 20
ENDED_PER_BODY = 10

# The roles of a body's current seats, in order of the people who hold them.
CURRENT_ROLES = [Role.CHAIR, Role.VICE_CHAIR] + [Role.MEMBER] * 15 + [Role.OBSERVER] * 2 + [Role.SECRETARIAT]
# Ended seats: a former chair among them, which the one-open-chair rule allows.
ENDED_ROLES = [Role.CHAIR, Role.VICE_CHAIR] + [Role.MEMBER] * 7 + [Role.OBSERVER]

TYPES = list(OrganisationType)
COUNTIES = [County.ESSEX, County.HERTFORDSHIRE, County.CAMBRIDGESHIRE, County.LONDON, County.NATIONAL, County.OTHER]
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _letters(n: int, width: int) -> str:
    out = ""
    for _ in range(width):
        n, rem = divmod(n, 26)
        out = LETTERS[rem] + out
    return out


def org_id_for(org_type: str, i: int) -> str:
    """A well-formed org-id for the i-th bench organisation, unique across the bench rows. Each
    type uses the list a real one would; past each list's room it falls back to a company number."""
    if i < 26**3 and org_type in {
        OrganisationType.DISTRICT_COUNCIL,
        OrganisationType.COUNTY_COUNCIL,
        OrganisationType.LOCAL_PARTNERSHIP,
    }:
        return f"GB-LAE-X{_letters(i, 3)}"
    if i < 10_000 and org_type in {
        OrganisationType.NHS_COMMISSIONER,
        OrganisationType.ACUTE_TRUST,
        OrganisationType.COMMUNITY_HEALTH,
    }:
        return f"GB-NHS-Z{i:04d}"
    if i < 100_000 and org_type == OrganisationType.FE_COLLEGE:
        return f"GB-EDU-9{i:05d}"
    if i < 1_000_000 and org_type == OrganisationType.UNIVERSITY:
        return f"GB-UKPRN-19{i:06d}"
    if i < 1_000_000 and org_type == OrganisationType.VCS_BODY:
        return f"GB-CHC-9{i:06d}"
    if i < 10_000 and org_type == OrganisationType.CENTRAL_GOVERNMENT_OBSERVER:
        return f"GB-GOR-ZZ{i:04d}"
    return f"GB-COH-9{i:07d}"


def bench_rows():
    """Querysets of every row a run of this command may have made."""
    orgs = Organisation.objects.filter(slug__startswith=ORG_SLUG)
    bodies = GoverningBody.objects.filter(slug__startswith=PREFIX)
    people = User.objects.filter(email__startswith=EMAIL_PREFIX, email__endswith=f"@{EMAIL_DOMAIN}")
    memberships = Membership.objects.filter(
        Q(body__in=bodies) | Q(person__in=people) | Q(organisation__in=orgs) | Q(deputy__in=people)
    )
    return orgs, bodies, people, memberships


class Command(BaseCommand):
    help = "Create synthetic partners, bodies, people and seats N times the DIZ's size for the benchmark."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Multiple of the DIZ's size (default 1; 0 only deletes)."
        )

    def handle(self, *args, scale: int, **options):
        if scale < 0:
            raise CommandError("--scale must be 0 or more.")
        with transaction.atomic():
            deleted = self.delete_previous()
            if deleted:
                self.stdout.write(f"Deleted earlier bench rows: {deleted}.")
            if scale == 0:
                return
            counts = self.create(scale)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created at scale {scale}: {counts['organisations']} organisations, {counts['bodies']} governing "
                f"bodies, {counts['people']} people, {counts['current']} current and {counts['ended']} ended "
                f"memberships."
            )
        )

    # --- Delete ------------------------------------------------------------------------------

    def delete_previous(self) -> str:
        orgs, bodies, people, memberships = bench_rows()
        counts = {"memberships": memberships.count(), "governing bodies": bodies.count()}
        counts |= {"organisations": orgs.count(), "people": people.count()}
        # Seats first, with a raw delete (no per-row signals, so no history rows are written for
        # rows that never had any), so that the PROTECT foreign keys let the rest go.
        memberships._raw_delete(memberships.db)
        Membership.history.filter(
            Q(body__in=bodies) | Q(person__in=people) | Q(organisation__in=orgs) | Q(deputy__in=people)
        ).delete()
        # Full deletes for the rest: other apps may hang rows off them (invitations, allauth's
        # email addresses) and the collector clears or nulls those as their models say.
        people.delete()
        bodies.delete()
        orgs.delete()
        # Deleting wrote history rows for bodies and organisations; drop all the bench ones.
        GoverningBody.history.filter(slug__startswith=PREFIX).delete()
        Organisation.history.filter(slug__startswith=ORG_SLUG).delete()
        return ", ".join(f"{n} {name}" for name, n in counts.items() if n)

    # --- Create ------------------------------------------------------------------------------

    def create(self, scale: int) -> dict[str, int]:
        today = timezone.localdate()
        taken_org_ids = set(Organisation.objects.exclude(org_id=None).values_list("org_id", flat=True))

        orgs = []
        for i in range(ORGS_PER_UNIT * scale):
            org_type = TYPES[i % len(TYPES)]
            org_id = org_id_for(org_type, i)
            validate_org_id(org_id)
            status = MembershipStatus.ACTIVE
            joined_on, left_on = today - timedelta(days=365 * 3 + i % 400), None
            if i % 15 == 7:
                status = MembershipStatus.PROSPECTIVE
                joined_on = None
            elif i % 15 == 11:
                status = MembershipStatus.FORMER
                left_on = today - timedelta(days=30 + i % 200)
            place = org_type in {OrganisationType.DISTRICT_COUNCIL, OrganisationType.COUNTY_COUNCIL}
            orgs.append(
                Organisation(
                    name=f"Bench {org_type.label} {i + 1:05d}",
                    short_name=f"Bench {i + 1}",
                    slug=f"{ORG_SLUG}{i + 1:05d}",
                    org_type=org_type,
                    sector=SECTOR_OF_TYPE[org_type],
                    county=COUNTIES[i % len(COUNTIES)],
                    org_id=None if org_id in taken_org_ids else org_id,
                    is_legal_entity=org_type != OrganisationType.LOCAL_PARTNERSHIP,
                    website=f"https://bench-{i + 1}.example.org/",
                    membership_status=status,
                    joined_on=joined_on,
                    left_on=left_on,
                    description=f"A synthetic {org_type.label.lower()} made for the benchmark.",
                    population=150_000 + 1_000 * i if place else None,
                    businesses=6_000 + 10 * i if place else None,
                )
            )
        Organisation.objects.bulk_create(orgs, batch_size=500)
        org_by_slug = {o.slug: o for o in Organisation.objects.filter(slug__startswith=ORG_SLUG)}
        orgs = [org_by_slug[o.slug] for o in orgs]
        # Seats belong to partners that are in the directory.
        seat_orgs = [o for o in orgs if o.membership_status == MembershipStatus.ACTIVE]

        bodies = []
        for unit in range(scale):
            n = unit + 1
            bodies.append(
                GoverningBody(
                    name=f"Bench Board {n}",
                    slug=f"{PREFIX}board-{n}",
                    code=f"BB{n}",
                    purpose="A synthetic board made for the benchmark.",
                    meeting_frequency=GoverningBody.Frequency.BIMONTHLY,
                    quorum_count=5,
                    quorum_sectors=[Sector.LOCAL_GOVERNMENT, Sector.HEALTH],
                    display_order=1000 + 2 * unit,
                )
            )
            bodies.append(
                GoverningBody(
                    name=f"Bench Steering Group {n}",
                    slug=f"{PREFIX}steering-group-{n}",
                    code=f"BSG{n}",
                    purpose="A synthetic steering group made for the benchmark.",
                    meeting_frequency=GoverningBody.Frequency.MONTHLY,
                    quorum_count=4,
                    quorum_sectors=[Sector.LOCAL_GOVERNMENT],
                    display_order=1001 + 2 * unit,
                )
            )
        GoverningBody.objects.bulk_create(bodies)
        body_by_slug = {b.slug: b for b in GoverningBody.objects.filter(slug__startswith=PREFIX)}
        bodies = [body_by_slug[b.slug] for b in bodies]

        unusable = make_password(None)  # nobody signs in with a password; bench_session makes sessions
        people = [
            User(
                email=f"{EMAIL_PREFIX}{i + 1}@{EMAIL_DOMAIN}",
                name=f"Bench Person {i + 1}",
                job_title=["Director", "Head of Digital", "Programme Lead", "Chief Executive", "Officer"][i % 5],
                organisation=seat_orgs[i % len(seat_orgs)],
                password=unusable,
            )
            for i in range(PEOPLE_PER_UNIT * scale)
        ]
        User.objects.bulk_create(people, batch_size=500)
        person_by_email = {
            p.email: p for p in User.objects.filter(email__startswith=EMAIL_PREFIX, email__endswith=f"@{EMAIL_DOMAIN}")
        }
        people = [person_by_email[p.email] for p in people]

        memberships = []
        current = ended = 0
        for unit in range(scale):
            block = people[unit * PEOPLE_PER_UNIT : (unit + 1) * PEOPLE_PER_UNIT]
            for b, body in enumerate(bodies[2 * unit : 2 * unit + 2]):
                # The body's own half of the block holds its current seats; the other half its ended
                # ones, so nobody holds two open seats on one body and each body has one open chair.
                holders = block[b * CURRENT_PER_BODY : (b + 1) * CURRENT_PER_BODY]
                former = block[(1 - b) * CURRENT_PER_BODY :][:ENDED_PER_BODY]
                for k, (person, role) in enumerate(zip(holders, CURRENT_ROLES, strict=True)):
                    deputy = holders[(k + 1) % len(holders)] if k % 4 == 2 else None
                    memberships.append(
                        Membership(
                            body=body,
                            organisation_id=person.organisation_id,
                            person=person,
                            role=role,
                            role_note="Herts" if role == Role.VICE_CHAIR else "",
                            deputy=deputy,
                            started_on=today - timedelta(days=30 + 25 * k),
                        )
                    )
                    current += 1
                for k, (person, role) in enumerate(zip(former, ENDED_ROLES, strict=True)):
                    started = today - timedelta(days=1500 + 30 * k)
                    memberships.append(
                        Membership(
                            body=body,
                            organisation_id=person.organisation_id,
                            person=person,
                            role=role,
                            started_on=started,
                            ended_on=started + timedelta(days=700),
                        )
                    )
                    ended += 1
        Membership.objects.bulk_create(memberships, batch_size=500)
        return {
            "organisations": len(orgs),
            "bodies": len(bodies),
            "people": len(people),
            "current": current,
            "ended": ended,
        }

"""Synthetic data for the benchmark (`make bench`): N times the DIZ's size.

One scale unit is about the size of the real partnership: 30 partner organisations, a Board and a
Steering Group, 40 people and 60 seats (40 current, 20 ended), and a year of each body's monthly
meetings (nine past, three to come): 24 meetings with 10 agenda items each, a paper (a tiny PDF,
one file shared by every bench paper) for each item of business, attendance, minutes, decisions
and actions (done, open and overdue) for the past ones, the next meeting's agenda published, the
rest in draft. Every row it makes is marked by a "bench-" slug or a bench-person-<i>@example.org
email (meetings and what hangs off them belong to "bench-" bodies), and a run first deletes the
rows an earlier run made, so running it twice gives the same data. `--scale 0` only deletes them.

Rows are written with bulk_create, which skips save() and the history signals: the sector that
Organisation.save() derives from the type is set here instead, and no history rows are written.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from diz_portal import caching
from diz_portal.models import GeneratedDocument
from meetings.models import (
    LONDON,
    STANDING_AFTER,
    STANDING_BEFORE,
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    Decision,
    Declaration,
    Erratum,
    ForwardPlanItem,
    Meeting,
    MeetingMode,
    MeetingSeries,
    Minute,
    MinutesStatus,
    Paper,
    PaperVersion,
    Purpose,
    Visibility,
    nth_weekday,
)
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

# Meetings: each body's year, months before and after this one (so 9 past and 3 to come).
MONTHS_BACK = 9
MONTHS_AHEAD = 2
BUSINESS_ITEMS = 4  # with the six standing items, ten items a meeting
DECISIONS_PER_MEETING = 2
ACTIONS_PER_MEETING = 3
# Every bench paper is this one small PDF: the rows are what the pages read.
BENCH_PAPER = "papers/bench/bench-paper.pdf"
BUSINESS = [
    "Programme update",
    "Funding pipeline",
    "Connectivity workstream",
    "Digital inclusion",
    "Data sharing",
    "Skills and colleges",
]

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


def bench_meetings():
    return Meeting.objects.filter(body__slug__startswith=PREFIX)


def month_days(today: date, weekday: int, ordinal: int) -> list[date]:
    days = []
    for offset in range(-MONTHS_BACK, MONTHS_AHEAD + 1):
        month = today.month - 1 + offset
        year, month = today.year + month // 12, month % 12 + 1
        days.append(nth_weekday(year, month, weekday, ordinal))
    return days


def bench_paper_pdf() -> bytes:
    from diz_portal.pdf import html_to_pdf

    return html_to_pdf("<h1>Bench paper</h1><p>A synthetic paper made for the benchmark.</p>")


class Command(BaseCommand):
    help = "Create synthetic partners, bodies, people and seats N times the DIZ's size for the benchmark."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Multiple of the DIZ's size (default 1; 0 only deletes)."
        )

    def handle(self, *args, scale: int, **options):
        if scale < 0:
            raise CommandError("--scale must be 0 or more.")
        # Rows are bulk-written without signals: every cached page goes when the seeding commits.
        caching.bump_all()
        with transaction.atomic():
            transaction.on_commit(caching.bump_all)
            deleted = self.delete_previous()
            if deleted:
                self.stdout.write(f"Deleted earlier bench rows: {deleted}.")
            if scale == 0:
                return
            counts = self.create(scale)
        call_command("rebuild_search_index", stdout=self.stdout)  # bulk rows skip the index's signals
        self.stdout.write(
            self.style.SUCCESS(
                f"Created at scale {scale}: {counts['organisations']} organisations, {counts['bodies']} governing "
                f"bodies, {counts['people']} people, {counts['current']} current and {counts['ended']} ended "
                f"memberships; {counts['meetings']} meetings, {counts['items']} agenda items, {counts['papers']} "
                f"papers, {counts['decisions']} decisions, {counts['actions']} actions."
            )
        )

    # --- Delete ------------------------------------------------------------------------------

    def delete_meetings(self, bodies) -> int:
        """Meetings of bench bodies and everything that hangs off them, with raw deletes (no
        signals, so no history rows for rows that had none), children first; then any history rows
        and generated files they had (the bench pack meeting is made through the services)."""
        meetings = Meeting.objects.filter(body__in=bodies)
        meeting_ids = list(meetings.values_list("pk", flat=True))
        count = len(meeting_ids)
        items = AgendaItem.objects.filter(meeting_id__in=meeting_ids)
        papers = Paper.objects.filter(item__in=items)
        versions = PaperVersion.objects.filter(paper__in=papers)
        content_type = ContentType.objects.get_for_model(Meeting)
        generated = GeneratedDocument.objects.filter(content_type=content_type, object_id__in=meeting_ids)
        files = set(versions.values_list("file", flat=True)) | set(generated.values_list("file", flat=True))
        files.discard(BENCH_PAPER)
        files.discard("")
        for queryset in (
            generated,
            versions,
            papers,
            Minute.objects.filter(item__in=items),
            Declaration.objects.filter(meeting_id__in=meeting_ids),
            Attendance.objects.filter(meeting_id__in=meeting_ids),
            Decision.objects.filter(meeting_id__in=meeting_ids),
            Action.objects.filter(meeting_id__in=meeting_ids),
            Erratum.objects.filter(meeting_id__in=meeting_ids),
            ForwardPlanItem.objects.filter(Q(body__in=bodies) | Q(target_meeting_id__in=meeting_ids)),
            items,
        ):
            queryset._raw_delete(queryset.db)
        meetings.update(minutes_approved_at_meeting=None)
        meetings._raw_delete(meetings.db)
        MeetingSeries.objects.filter(body__in=bodies)._raw_delete(MeetingSeries.objects.db)
        for model, lookup in (
            (Meeting, "id__in"),  # a history row's pk is history_id; id is the meeting's
            (AgendaItem, "meeting_id__in"),
            (Attendance, "meeting_id__in"),
            (Declaration, "meeting_id__in"),
            (Decision, "meeting_id__in"),
            (Action, "meeting_id__in"),
        ):
            model.history.filter(**{lookup: meeting_ids}).delete()
        item_ids = list(AgendaItem.history.filter(meeting_id__in=meeting_ids).values_list("id", flat=True))
        Minute.history.filter(item_id__in=item_ids).delete()
        Paper.history.filter(item_id__in=item_ids).delete()
        if files:
            transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
        return count

    def delete_previous(self) -> str:
        orgs, bodies, people, memberships = bench_rows()
        meetings = self.delete_meetings(bodies)
        counts = {"meetings": meetings, "memberships": memberships.count(), "governing bodies": bodies.count()}
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
        counts = {
            "organisations": len(orgs),
            "bodies": len(bodies),
            "people": len(people),
            "current": current,
            "ended": ended,
        }
        return counts | self.create_meetings(bodies, memberships)

    def create_meetings(self, bodies, memberships) -> dict[str, int]:
        """A year of monthly meetings for each bench body (see the module's docstring)."""
        now = timezone.now()
        today = timezone.localdate()
        if not default_storage.exists(BENCH_PAPER):
            default_storage.save(BENCH_PAPER, ContentFile(bench_paper_pdf()))
        paper_size = default_storage.size(BENCH_PAPER)
        seats_of: dict[int, list[Membership]] = {}
        for seat in memberships:
            if seat.ended_on is None and seat.role != Role.SECRETARIAT:
                seats_of.setdefault(seat.body_id, []).append(seat)
        secretary_of = {
            seat.body_id: seat.person for seat in memberships if seat.role == Role.SECRETARIAT and not seat.ended_on
        }

        series, plans = [], []
        for b, body in enumerate(bodies):
            board = b % 2 == 0
            weekday, ordinal = (2, 2) if board else (3, 3)  # second Wednesday; third Thursday
            start, end = (time(10), time(12)) if board else (time(14), time(15, 30))
            mode = MeetingMode.IN_PERSON if board else MeetingMode.ONLINE
            series.append(
                MeetingSeries(
                    body=body,
                    ordinal=ordinal,
                    weekday=weekday,
                    start_time=start,
                    end_time=end,
                    location="Bench Hall" if board else "Online",
                    mode=mode,
                )
            )
            plans.append((body, month_days(today, weekday, ordinal), start, end, mode))
        MeetingSeries.objects.bulk_create(series)

        meetings = []
        for (body, days, start, end, mode), one_series in zip(plans, series, strict=True):
            for day in days:
                starts_at = datetime.combine(day, start, tzinfo=LONDON)
                meetings.append(
                    Meeting(
                        body=body,
                        series=one_series,
                        starts_at=starts_at,
                        ends_at=datetime.combine(day, end, tzinfo=LONDON),
                        location="Bench Hall" if mode == MeetingMode.IN_PERSON else "Online",
                        mode=mode,
                        joining_link=f"https://meet.example.org/bench/{body.slug}/{day:%Y-%m-%d}"
                        if mode != MeetingMode.IN_PERSON
                        else "",
                        papers_due_at=datetime.combine(day - timedelta(days=7), time(17), tzinfo=LONDON),
                    )
                )
        Meeting.objects.bulk_create(meetings, batch_size=500)
        meetings = list(Meeting.objects.filter(body__in=bodies).select_related("body").order_by("body_id", "starts_at"))
        by_body: dict[int, list[Meeting]] = {}
        for meeting in meetings:
            by_body.setdefault(meeting.body_id, []).append(meeting)

        # Which meetings are held, published and approved: the past ones; the next one is published.
        to_update = []
        for body_meetings in by_body.values():
            past = [m for m in body_meetings if m.ends_at < now]
            upcoming = [m for m in body_meetings if m.ends_at >= now]
            for index, meeting in enumerate(past):
                meeting.agenda_published_at = meeting.papers_due_at
                if index + 1 < len(past):
                    meeting.minutes_status = MinutesStatus.APPROVED
                    meeting.minutes_approved_at = past[index + 1].ends_at
                    meeting.minutes_approved_at_meeting = past[index + 1]
                else:
                    meeting.minutes_status = MinutesStatus.CIRCULATED
                to_update.append(meeting)
            if upcoming:
                upcoming[0].agenda_published_at = min(now, upcoming[0].starts_at - timedelta(days=3))
                to_update.append(upcoming[0])
        Meeting.objects.bulk_update(
            to_update,
            ["agenda_published_at", "minutes_status", "minutes_approved_at", "minutes_approved_at_meeting"],
            batch_size=500,
        )

        items = []
        for meeting in meetings:
            seats = seats_of.get(meeting.body_id, [])
            number = 1
            for kind, minutes in STANDING_BEFORE:
                items.append(
                    AgendaItem(
                        meeting=meeting, number=number, title=kind.label, standing_kind=kind, duration_minutes=minutes
                    )
                )
                number += 1
            for k in range(BUSINESS_ITEMS):
                presenter = seats[(meeting.starts_at.month + k) % len(seats)] if seats else None
                restricted = k == BUSINESS_ITEMS - 1
                items.append(
                    AgendaItem(
                        meeting=meeting,
                        number=number,
                        title=f"{BUSINESS[(meeting.starts_at.month + k) % len(BUSINESS)]} ({k + 1})",
                        purpose=[Purpose.DECISION, Purpose.DISCUSSION, Purpose.INFORMATION][k % 3],
                        presenter=presenter.person if presenter else None,
                        presenter_organisation_id=presenter.organisation_id if presenter else None,
                        duration_minutes=15,
                        visibility=Visibility.RESTRICTED if restricted else Visibility.PUBLIC,
                        restriction_reason="Commercially sensitive (bench)" if restricted else "",
                    )
                )
                number += 1
            for kind, minutes in STANDING_AFTER:
                items.append(
                    AgendaItem(
                        meeting=meeting, number=number, title=kind.label, standing_kind=kind, duration_minutes=minutes
                    )
                )
                number += 1
        AgendaItem.objects.bulk_create(items, batch_size=1000)
        items = list(AgendaItem.objects.filter(meeting__in=meetings).order_by("meeting_id", "number"))
        items_of: dict[int, list[AgendaItem]] = {}
        for item in items:
            items_of.setdefault(item.meeting_id, []).append(item)

        papers, minutes, decisions, actions, attendances = [], [], [], [], []
        held_count = 0
        for meeting in meetings:
            held = meeting.ends_at < now
            business = [i for i in items_of[meeting.pk] if not i.standing_kind]
            # Papers: every item of business of published meetings; the first two of drafts.
            with_papers = business if meeting.agenda_published_at else business[:2]
            for item in with_papers:
                papers.append(
                    Paper(
                        item=item,
                        title=f"Paper: {item.title}",
                        visibility=item.visibility,
                        restriction_reason=item.restriction_reason,
                        purpose="To inform the meeting (bench).",
                        created_by=item.presenter,
                    )
                )
            if not held:
                continue
            held_count += 1
            seats = seats_of.get(meeting.body_id, [])
            for k, seat in enumerate(seats):
                attendances.append(
                    Attendance(
                        meeting=meeting,
                        person=seat.person,
                        organisation_id=seat.organisation_id,
                        response="apologies" if k % 9 == 4 else "attending",
                        responded_at=meeting.starts_at - timedelta(days=3),
                        present=k % 9 != 4,
                        recorded_by=secretary_of.get(meeting.body_id),
                    )
                )
            for item in items_of[meeting.pk]:
                minutes.append(Minute(item=item, text=f"The meeting considered {item.title.lower()}."))
            local = timezone.localtime(meeting.starts_at)
            for k in range(DECISIONS_PER_MEETING):
                decisions.append(
                    Decision(
                        meeting=meeting,
                        item=business[k],
                        reference=f"{meeting.body.code}-{local:%Y}-{local.month}-{k + 1}",
                        text=f"Agreed the recommendation on {business[k].title.lower()}.",
                        created_at=meeting.ends_at,
                    )
                )
            age = (today - local.date()).days
            for k in range(ACTIONS_PER_MEETING):
                owner = seats[(local.month + k) % len(seats)].person if seats else secretary_of.get(meeting.body_id)
                due = local.date() + timedelta(days=21 + 14 * k)
                done = age > 90 and k != 0  # old meetings' actions are done, but for one left overdue
                actions.append(
                    Action(
                        meeting=meeting,
                        item=business[k % len(business)],
                        description=f"Follow up {business[k % len(business)].title.lower()} (action {k + 1})",
                        owner=owner,
                        due_on=due,
                        status=ActionStatus.DONE if done else ActionStatus.OPEN,
                        completed_at=meeting.ends_at + timedelta(days=14) if done else None,
                        update="Done." if done else "",
                    )
                )
        Paper.objects.bulk_create(papers, batch_size=1000)
        papers = list(Paper.objects.filter(item__meeting__in=meetings).select_related("item__meeting"))
        PaperVersion.objects.bulk_create(
            [
                PaperVersion(
                    paper=paper,
                    number=1,
                    file=BENCH_PAPER,
                    original_name="bench-paper.pdf",
                    content_type="application/pdf",
                    extension="pdf",
                    size=paper_size,
                    sha256=f"{paper.pk:064x}",
                    page_count=1,
                    uploaded_by=paper.created_by,
                    uploaded_at=paper.item.meeting.papers_due_at - timedelta(days=1),
                )
                for paper in papers
            ],
            batch_size=1000,
        )
        Attendance.objects.bulk_create(attendances, batch_size=1000)
        Minute.objects.bulk_create(minutes, batch_size=1000)
        Decision.objects.bulk_create(decisions, batch_size=1000)
        Action.objects.bulk_create(actions, batch_size=1000)
        return {
            "meetings": len(meetings),
            "held": held_count,
            "items": len(items),
            "papers": len(papers),
            "attendances": len(attendances),
            "minutes": len(minutes),
            "decisions": len(decisions),
            "actions": len(actions),
        }

"""A year of the DIZ's Board and Steering Group meetings, and its five Smart Place Seminars.

The Board meets on the second Tuesday of each month at the Civic Offices, Epping; the Steering
Group on the first Thursday, online. Meetings run from about nine months before today to three
months after (`timezone.localdate()`), so the demo always has a past and a future:

- past meetings: an agenda of the seeds' subjects (the LFFN programme, the Common Asset Register,
  Living Smart At Home, digital inclusion, the strategy's endorsement, Smart Place Seminars, AI
  pilot prioritisation with Essex's criteria...), attendance (quorate), a minute for every item,
  decisions, actions (done, open and overdue) and minutes approved at the body's following
  meeting, except the most recent meeting's, whose draft minutes are circulated;
- the next meeting of each body: agenda published, papers (small generated PDFs and one Word
  document), a restricted item with its reason, a late paper (added after publication, so it
  also makes a supplement) and every document built;
- the meeting after that: a draft agenda whose presenters have not all sent their papers yet.

Everything goes through `meetings.services` as the demo programme manager (so history records
who did it), except what only the past can have: agendas published weeks ago are marked so
directly. Loading is idempotent: meetings are matched on (body, date) through their series,
items on (meeting, title), papers on (item, title), decisions on (item, text), actions on
(meeting, description), seminars on slug. A second run writes nothing, builds nothing and sends
no email (each email has a SentEmail key). People and email addresses are partners.demo's: all
on example.org.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from html import escape

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.template import engines
from django.utils import timezone

from diz_portal.publishing import PublicationStatus, save_as
from meetings import documents, services
from meetings.models import (
    LONDON,
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    Decision,
    Declaration,
    ForwardPlanItem,
    Meeting,
    MeetingMode,
    MeetingSeries,
    MeetingStatus,
    Minute,
    MinutesStatus,
    Paper,
    PaperVersion,
    Purpose,
    Response,
    Seminar,
    StandingKind,
    Visibility,
)
from partners.demo import email_for
from partners.models import GoverningBody, Role, User

# How far the demo year reaches either side of today, in months.
PAST_MONTHS = 9
FUTURE_MONTHS = 3

SERIES = [
    {
        "body": "board",
        "ordinal": 2,
        "weekday": 1,  # Tuesday
        "start_time": time(10, 0),
        "end_time": time(12, 0),
        "location": "Civic Offices, Epping",
        "mode": MeetingMode.IN_PERSON,
    },
    {
        "body": "steering-group",
        "ordinal": 1,
        "weekday": 3,  # Thursday
        "start_time": time(14, 0),
        "end_time": time(15, 30),
        "location": "Online",
        "mode": MeetingMode.ONLINE,
    },
]
JOINING_LINK = "https://meet.example.org/diz/{body}/{day:%Y-%m-%d}"

# Which past Steering Group meeting (counting from the oldest) was cancelled, and why.
CANCELLED_SG_INDEX = 4
CANCELLED_REASON = "Summer recess: the Steering Group's business was taken at the Board."

RESTRICTED_REASON = "Commercially sensitive until contracts are signed"


@dataclass(frozen=True)
class ActionSpec:
    description: str
    owner: str  # an email local part from partners.demo.PEOPLE
    due_days: int = 28  # after the meeting


@dataclass(frozen=True)
class Subject:
    """Business for a past meeting: its minute, and the decision and actions it led to."""

    title: str
    presenter: str
    minute: str
    purpose: str = Purpose.DISCUSSION
    decision: str = ""
    actions: tuple[ActionSpec, ...] = ()
    declaration: tuple[str, str] | None = None  # (person, interest)


AI_CRITERIA = "feasibility, suitability, impact, scalability and engagement"

BOARD_SUBJECTS = [
    Subject(
        "Local Full Fibre Networks: delivery progress",
        "peter.hughes",
        "The Board received an update on the £1.7m DCMS Local Full Fibre Networks (LFFN) programme. Surveys of "
        "the public sector sites in the first tranche are complete and build is on profile; the accountable "
        "body confirmed that claims to DCMS are up to date.",
        Purpose.DECISION,
        "The Board noted progress and agreed the revised site list for the second LFFN tranche.",
        (ActionSpec("Circulate the revised LFFN site list and build programme to all partners", "peter.hughes"),),
        ("ben.nash", "Personal interest: BT Group is a potential supplier to the LFFN programme."),
    ),
    Subject(
        "DIZ-wide Common Asset Register",
        "partner.officer",
        "Jordan Ellis presented the first release of the DIZ-wide Common Asset Register: ducts, street furniture "
        "and public buildings from the three Essex districts, in one format, for infrastructure providers.",
        Purpose.DECISION,
        "The Board agreed the common data standard for the asset register and asked every district to adopt it.",
        (
            ActionSpec("Send the asset register data template to the two Hertfordshire districts", "partner.officer"),
            ActionSpec("Confirm Broxbourne's asset data return", "board.member", 42),
        ),
    ),
    Subject(
        "Living Smart At Home",
        "clare.morris",
        "Clare Morris reported on the CVS-led 'Living Smart At Home' project: volunteers have helped residents "
        "set up and use simple smart-home devices, with the most interest from older people living alone.",
        Purpose.DISCUSSION,
        "",
        (ActionSpec("Share the project's evaluation framework with health partners", "clare.morris"),),
    ),
    Subject(
        "District-led digital inclusion project",
        "sam.okafor",
        "The Board discussed the district-led digital inclusion project: device lending through libraries, "
        "digital champions in community centres and a common referral route for residents who need help.",
        Purpose.DISCUSSION,
        "",
        (ActionSpec("Map digital inclusion support across the five districts", "ellen.marsh", 56),),
    ),
    Subject(
        "Digital Innovation Strategy: endorsement tracker",
        "programme.manager",
        "The programme manager went through the endorsement tracker: each partner is taking the Digital "
        "Innovation Strategy through its own decision route (scrutiny, cabinet or board). Two partners have "
        "asked for amendments, which the Steering Group will consider.",
        Purpose.INFORMATION,
        "The Board noted the tracker and agreed that amendments be collected until the end of the quarter.",
        (ActionSpec("Chase the partners whose endorsement is still outstanding", "programme.manager", 21),),
    ),
    Subject(
        "Smart Place Seminar planning",
        "programme.manager",
        "Members discussed the next Smart Place Seminar. The five seminars so far were attended by almost 300 "
        "delegates; members suggested a masterclass on data sharing between health and councils.",
        Purpose.DECISION,
        "The Board agreed that the next Smart Place Seminar will be on data sharing between health and local "
        "government.",
        (ActionSpec("Propose dates and a venue for the next Smart Place Seminar", "grace.adeyemi"),),
    ),
    Subject(
        "AI pilot prioritisation",
        "nadia.rahman",
        f"Nadia Rahman presented how Essex County Council prioritises AI pilots, scoring each idea on {AI_CRITERIA}, "
        "and moving the best from curiosity to experimentation to scale.",
        Purpose.DECISION,
        f"The Board agreed to score proposed DIZ AI pilots on Essex's five criteria: {AI_CRITERIA}.",
        (ActionSpec("Score the four proposed AI pilots against the five criteria", "nadia.rahman", 35),),
    ),
    Subject(
        "Ambulance and A&E design project",
        "hannah.cole",
        "Hannah Cole reported the findings of the LGA / Design Council 'Design in the Public Sector' project on "
        "ambulance handovers at A&E, and the changes the hospital is testing.",
        Purpose.INFORMATION,
        "",
        (ActionSpec("Bring the project's evaluation to a future meeting", "hannah.cole", 60),),
    ),
    Subject(
        "Digital Adoption Conference follow-up",
        "ben.nash",
        "Ben Nash summarised the feedback from the Digital Adoption Conference at BT Tower and the offers of "
        "support from businesses that attended.",
        Purpose.DISCUSSION,
        "",
        (ActionSpec("Circulate the conference report and the businesses' offers of support", "ben.nash"),),
    ),
]

SG_SUBJECTS = [
    Subject(
        "Board agenda and forward plan",
        "programme.manager",
        "The Steering Group agreed the business for the next Board meeting and reviewed the forward plan.",
        Purpose.DECISION,
        "The Steering Group agreed the Board agenda and the forward plan for the next three months.",
    ),
    Subject(
        "Funding pipeline and accountable bodies",
        "gagan.mohindra",
        "Members reviewed the funding pipeline. Because the DIZ is not a legal entity, one partner acts as "
        "accountable body for each bid; Essex County Council offered to act for the next health-focused bid.",
        Purpose.DECISION,
        "The Steering Group agreed that Essex County Council act as accountable body for the health and care "
        "connectivity bid.",
        (ActionSpec("Confirm the accountable body arrangements in writing", "nadia.rahman"),),
    ),
    Subject(
        "Digital Innovation Strategy: amendments requested",
        "linda.haysey",
        "The Steering Group considered the amendments partners asked for while endorsing the strategy and "
        "agreed how each should be answered.",
        Purpose.DECISION,
        "The Steering Group agreed to add a short section on digital inclusion in response to partners' requests.",
        (ActionSpec("Draft the digital inclusion section of the strategy", "tom.gale", 35),),
    ),
    Subject(
        "AI pilot prioritisation: scoring",
        "nadia.rahman",
        f"Members scored the proposed AI pilots on {AI_CRITERIA}. Two pilots scored well on impact and "
        "scalability; one needs more engagement with residents before it can go ahead.",
        Purpose.DISCUSSION,
        "",
        (ActionSpec("Write up the two leading AI pilot proposals for the Board", "nadia.rahman"),),
    ),
    Subject(
        "Programme risks",
        "programme.manager",
        "The Steering Group reviewed the programme's risk register: the main risks are partner capacity and "
        "the timing of government funding rounds.",
        Purpose.INFORMATION,
        "",
        (ActionSpec("Update the risk register with the new funding round dates", "programme.manager", 14),),
    ),
]

# The next meeting of each body: (title, purpose, presenter, paper slug in PAPERS or None).
NEXT_BOARD_ITEMS = [
    ("Local Full Fibre Networks: second tranche", Purpose.DECISION, "peter.hughes", "lffn-tranche"),
    ("DIZ-wide Common Asset Register: phase 2", Purpose.DECISION, "partner.officer", "asset-register"),
    ("Living Smart At Home: evaluation", Purpose.DISCUSSION, "clare.morris", "living-smart"),
    ("AI pilot prioritisation: proposals", Purpose.DECISION, "nadia.rahman", "ai-pilots"),
    ("District-led digital inclusion project", Purpose.INFORMATION, "sam.okafor", "inclusion"),
    ("LFFN contract pricing", Purpose.DECISION, "peter.hughes", "pricing"),
]
NEXT_SG_ITEMS = [
    ("Digital Innovation Strategy: endorsement tracker", Purpose.INFORMATION, "programme.manager", "tracker"),
    ("Smart Place Seminar 6: programme", Purpose.DECISION, "grace.adeyemi", "seminar-6"),
    ("Board agenda and forward plan", Purpose.DECISION, "programme.manager", None),
]
# The meeting after: a draft agenda; only the first paper is in so far.
LATER_BOARD_ITEMS = [
    ("Digital Innovation Strategy: delivery plan", Purpose.DECISION, "programme.manager", "delivery-plan"),
    ("Common Asset Register: Hertfordshire data", Purpose.DISCUSSION, "partner.officer", None),
    ("Ambulance and A&E design project: evaluation", Purpose.DISCUSSION, "hannah.cole", None),
    ("Town Centre Wi-fi: options", Purpose.DISCUSSION, "peter.hughes", None),
]
LATER_SG_ITEMS = [
    ("Funding pipeline and accountable bodies", Purpose.DECISION, "gagan.mohindra", None),
    ("AI pilot prioritisation: first results", Purpose.DISCUSSION, "nadia.rahman", None),
]
LATE_PAPER = "inclusion"
# A public report with a restricted appendix: the exempt paper is for members only.
EXEMPT_APPENDIX = ("lffn-tranche", "lffn-appendix", "Commercially sensitive: land and property valuations")
RESTRICTED_ITEM = "LFFN contract pricing"

# slug: (title, purpose of the paper, decision sought, pages; 0 pages means a Word document)
PAPERS = {
    "lffn-tranche": (
        "LFFN second tranche: sites and programme",
        "To update the Board on the Local Full Fibre Networks programme and agree the second tranche of sites.",
        "Agree the second tranche site list.",
        3,
    ),
    "lffn-appendix": (
        "Appendix A: valuations of the second tranche sites",
        "The valuations behind the site list in the LFFN report, for members only.",
        "",
        1,
    ),
    "asset-register": (
        "Common Asset Register: phase 2 proposal",
        "To propose extending the Common Asset Register to the Hertfordshire districts and publishing it as open data.",
        "Agree phase 2 and its data standard.",
        2,
    ),
    "living-smart": (
        "Living Smart At Home: evaluation framework",
        "To share the evaluation framework for the CVS-led 'Living Smart At Home' project.",
        "",
        0,  # a Word document
    ),
    "ai-pilots": (
        "AI pilots scored on Essex's criteria",
        f"To present the proposed AI pilots, each scored on {AI_CRITERIA}.",
        "Agree which two pilots go forward to experimentation.",
        2,
    ),
    "inclusion": (
        "Digital inclusion: six-month report",
        "To report progress on the district-led digital inclusion project.",
        "",
        2,
    ),
    "pricing": (
        "LFFN contract pricing schedule",
        "To set out the tendered prices for the LFFN build contracts before they are signed.",
        "Agree the preferred bidder for each lot.",
        1,
    ),
    "tracker": (
        "Strategy endorsement tracker",
        "To show where each partner has reached in endorsing the Digital Innovation Strategy.",
        "",
        1,
    ),
    "seminar-6": (
        "Smart Place Seminar 6: draft programme",
        "To agree the programme and speakers for the sixth Smart Place Seminar.",
        "Agree the programme.",
        1,
    ),
    "delivery-plan": (
        "Digital Innovation Strategy: draft delivery plan",
        "To present the draft delivery plan that follows the strategy's adoption by the partners.",
        "Agree the draft for consultation with partners.",
        2,
    ),
}

# The five Smart Place Seminars: (slug, title, held on, venue, delegates, summary).
SEMINARS = [
    (
        "smart-place-seminar-1-the-digital-revolution",
        "Smart Place Seminar 1: The digital revolution and our place",
        date(2017, 6, 15),
        "Civic Offices, Epping",
        64,
        "The first masterclass asked what the digital revolution means for west Essex and eastern "
        "Hertfordshire: the opportunities and challenges for work, business, public services and daily life.",
    ),
    (
        "smart-place-seminar-2-connectivity",
        "Smart Place Seminar 2: Connectivity, full fibre and 5G",
        date(2017, 10, 12),
        "Harlow College",
        58,
        "Infrastructure providers and partners explored how full fibre and 5G could reach the DIZ, and how "
        "public assets could lever in private investment to go further, faster.",
    ),
    (
        "smart-place-seminar-3-health-and-care",
        "Smart Place Seminar 3: Digital health and care",
        date(2018, 2, 8),
        "The Princess Alexandra Hospital, Harlow",
        52,
        "Health, care and voluntary sector partners looked at technology that helps people live well at home, "
        "and at joining up services across organisational boundaries.",
    ),
    (
        "smart-place-seminar-4-data-and-the-internet-of-things",
        "Smart Place Seminar 4: Data and the Internet of Things",
        date(2018, 6, 14),
        "Anglia Ruskin University, Chelmsford",
        61,
        "A masterclass on open data, sensors and the Internet of Things, and what a common asset register could "
        "do for partners and providers.",
    ),
    (
        "smart-place-seminar-5-skills-and-the-future-of-work",
        "Smart Place Seminar 5: Digital skills and the future of work",
        date(2018, 11, 15),
        "Hertford Regional College, Broxbourne",
        59,
        "Colleges, the university and employers discussed the skills the local economy will need, and how to "
        "make sure no resident is left behind by digital change.",
    ),
]

PAPER_TEMPLATE = """{% extends "pdf/base.html" %}{% block content %}{{ body|safe }}{% endblock %}"""


# --- Small generated files -------------------------------------------------------------------


def _pdf(title: str, paragraphs: list[str], pages: int = 1) -> bytes:
    from diz_portal.pdf import html_to_pdf

    parts = []
    for page in range(1, pages + 1):
        style = ' style="break-before: page"' if page > 1 else ""
        parts.append(f"<section{style}><h1>{escape(title)}</h1>")
        if pages > 1:
            parts.append(f"<p><em>Page {page} of {pages}</em></p>")
        parts.extend(f"<p>{escape(text)}</p>" for text in paragraphs)
        parts.append("</section>")
    html = engines["django"].from_string(PAPER_TEMPLATE).render({"title": title, "body": "".join(parts)})
    return html_to_pdf(html)


def _docx(title: str, text: str) -> bytes:
    """A minimal, valid Word document."""
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>' for line in (title, text))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>",
        )
    return buffer.getvalue()


def _upload(slug: str, meeting: Meeting) -> SimpleUploadedFile:
    title, purpose, _decision, pages = PAPERS[slug]
    name = f"{slug}-{meeting.local_date:%Y-%m-%d}"
    if pages == 0:
        return SimpleUploadedFile(
            f"{name}.docx",
            _docx(title, purpose),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    text = [
        purpose,
        f"Prepared for the {meeting.body.name} meeting on {meeting.local_date:%-d %B %Y}. Demo paper: the figures "
        "in it are illustrative.",
    ]
    return SimpleUploadedFile(f"{name}.pdf", _pdf(title, text, pages), content_type="application/pdf")


# --- Loading ---------------------------------------------------------------------------------


@dataclass
class Loader:
    pm: User
    people: dict[str, User]
    today: date
    now: datetime
    counts: dict[str, int] = field(default_factory=dict)

    def person(self, local: str) -> User:
        return self.people[local]

    def bump(self, name: str, n: int = 1) -> None:
        if n:
            self.counts[name] = self.counts.get(name, 0) + n

    # Schedule ---------------------------------------------------------------------------

    def schedule(self, spec: dict) -> list[Meeting]:
        body = GoverningBody.objects.get(slug=spec["body"])
        series, _ = MeetingSeries.objects.get_or_create(
            body=body,
            ordinal=spec["ordinal"],
            weekday=spec["weekday"],
            start_time=spec["start_time"],
            defaults={"end_time": spec["end_time"], "location": spec["location"], "mode": spec["mode"]},
        )
        month = self.today.month - PAST_MONTHS
        year = self.today.year + (month - 1) // 12
        start = date(year, (month - 1) % 12 + 1, 1)
        created = services.generate_meetings(
            series=series, start=start, months=PAST_MONTHS + 1 + FUTURE_MONTHS, by=self.pm
        )
        self.bump("meetings created", len(created))
        window_end = self.today + timedelta(days=31 * FUTURE_MONTHS + 31)
        # Every meeting of the series so far, so that a database loaded long ago has no gap of
        # meetings that were ahead then and are past now but before today's window.
        meetings = list(
            Meeting.objects.filter(series=series, starts_at__date__lte=window_end)
            .select_related("body")
            .order_by("starts_at")
        )
        for meeting in meetings:
            if meeting.mode != MeetingMode.IN_PERSON and not meeting.joining_link:
                services.change_meeting(
                    meeting=meeting,
                    by=self.pm,
                    joining_link=JOINING_LINK.format(body=body.slug, day=meeting.local_date),
                )
        return meetings

    # Agenda -----------------------------------------------------------------------------

    def item(self, meeting: Meeting, title: str, **fields) -> AgendaItem:
        existing = meeting.items.filter(title=title).first()
        if existing is not None:
            return existing
        self.bump("agenda items")
        return services.add_item(meeting=meeting, title=title, by=self.pm, **fields)

    def paper(self, item: AgendaItem, slug: str, presenter: User, **levels) -> Paper:
        title, purpose, decision, _pages = PAPERS[slug]
        existing = item.papers.filter(title=title).first()
        if existing is not None:
            return existing
        self.bump("papers")
        return services.add_paper(
            item=item,
            title=title,
            purpose=purpose,
            decision_sought=decision,
            finance="Within the programme's agreed budget." if decision else "",
            risk="Set out in the paper." if decision else "",
            upload=_upload(slug, item.meeting),
            by=presenter,
            **levels,
        )

    def standing(self, meeting: Meeting, kind: str) -> AgendaItem:
        return meeting.items.get(standing_kind=kind)

    # Past meetings ----------------------------------------------------------------------

    def hold(self, meeting: Meeting, subjects: list[Subject], previous: Meeting | None, next_date: date | None):
        """Everything a meeting that has happened has: agenda, attendance, minutes, decisions, actions."""
        pm = self.pm
        # A meeting's business is chosen once: on a later run (another day, so another window) an
        # agenda that already has business keeps it.
        business = {item.title: item for item in meeting.items.filter(standing_kind="")}
        if business:
            subjects = [s for s in subjects if s.title in business]
        items = [
            (
                subject,
                business.get(subject.title)
                or self.item(
                    meeting,
                    subject.title,
                    purpose=subject.purpose,
                    presenter=self.person(subject.presenter),
                    presenter_organisation=self.person(subject.presenter).organisation,
                ),
            )
            for subject in subjects
        ]
        if not meeting.is_published:
            # Published before the meeting, when the papers were due: the past has no other way in.
            meeting.agenda_published_at = meeting.papers_due_at or meeting.starts_at - timedelta(days=7)
            meeting.agenda_published_by = pm
            meeting._history_user = pm
            meeting.save(update_fields=["agenda_published_at", "agenda_published_by", "updated_at"])
        if meeting.minutes_locked:
            return

        seats = list(services.members_of(meeting))
        if not Attendance.objects.filter(meeting=meeting, present__isnull=False).exists():
            # A member with a deputy sends the deputy, one or two send apologies (never so many that
            # the meeting is inquorate), everyone else comes.
            deputy_seat = next((s for s in seats if s.deputy_id and s.role != Role.CHAIR), None)
            others = [s for s in seats if s is not deputy_seat and s.role != Role.CHAIR]
            count = max(0, min(2, len(seats) - meeting.body.quorum_count))
            month = meeting.local_date.month
            absent = {others[(month + 7 * k) % len(others)].person_id for k in range(count)} if others else set()
            present, deputies = set(), set()
            answered = meeting.starts_at - timedelta(days=3)  # members answered before the meeting
            for seat in seats:
                if seat is deputy_seat:
                    services.respond_to_meeting(
                        meeting=meeting, person=seat.person, response=Response.DEPUTY, now=answered
                    )
                    deputies.add(seat.person_id)
                elif seat.person_id in absent:
                    services.respond_to_meeting(
                        meeting=meeting, person=seat.person, response=Response.APOLOGIES, now=answered
                    )
                else:
                    present.add(seat.person_id)
            services.record_attendance(meeting=meeting, present_ids=present, deputy_present_ids=deputies, by=pm)
        if not meeting.also_present.exists():
            services.add_also_present(
                meeting=meeting, name=pm.name, role="Programme manager (minutes)", capacity="officer", by=pm
            )
            if meeting.local_date.month % 3 == 0:
                services.add_also_present(
                    meeting=meeting,
                    name="Priya Shah",
                    role="Local digital adviser",
                    organisation="Department for Science, Innovation and Technology",
                    capacity="observer",
                    by=pm,
                )
        apologies = list(
            Attendance.objects.filter(meeting=meeting, response=Response.APOLOGIES)
            .order_by("person__name")
            .values_list("person__name", flat=True)
        )
        chair = next((s.person.name for s in seats if s.role == Role.CHAIR), "The chair")

        for subject, item in items:
            if subject.declaration:
                who = self.person(subject.declaration[0])
                if (
                    any(s.person_id == who.pk for s in seats)
                    and not Declaration.objects.filter(item=item, person=who).exists()
                ):
                    services.declare_interest(item=item, person=who, interest=subject.declaration[1])

        declared = list(Declaration.objects.filter(meeting=meeting).select_related("person", "item"))
        open_actions = Action.objects.filter(meeting__body=meeting.body, meeting__starts_at__lt=meeting.starts_at)
        standing_minutes = {
            StandingKind.WELCOME: f"{chair} welcomed members to the meeting."
            + (f" Apologies were received from {', '.join(apologies)}." if apologies else " There were no apologies."),
            StandingKind.DECLARATIONS: " ".join(
                f"{d.person.name} declared an interest in item {d.item.label} ({d.item.title}): {d.interest}"
                for d in declared
            )
            or "No interests were declared.",
            StandingKind.MINUTES: (
                f"The minutes of the meeting held on {previous.local_date:%-d %B %Y} were agreed as a correct record."
                if previous
                else "There were no earlier minutes to approve."
            ),
            StandingKind.ACTIONS: (
                f"Members reviewed the action log: {open_actions.filter(status=ActionStatus.OPEN).count()} actions "
                "were open; the owners of overdue actions gave updates."
            ),
            StandingKind.AOB: "There was no other business.",
            StandingKind.NEXT_MEETING: (
                f"The next meeting will be held on {next_date:%A %-d %B %Y}."
                if next_date
                else "The date of the next meeting will be confirmed."
            ),
        }
        for item in meeting.items.all():
            if Minute.objects.filter(item=item).exists():
                continue
            text = standing_minutes.get(item.standing_kind) or next(
                (s.minute for s, i in items if i.pk == item.pk), "The item was discussed."
            )
            services.save_minute(item=item, text=text, by=pm)
            self.bump("minutes")

        for subject, item in items:
            if subject.decision and not Decision.objects.filter(item=item, text=subject.decision).exists():
                services.record_decision(item=item, text=subject.decision, by=pm)
                self.bump("decisions")
            for spec in subject.actions:
                if Action.objects.filter(meeting=meeting, description=spec.description).exists():
                    continue
                due = meeting.local_date + timedelta(days=spec.due_days)
                services.record_action(
                    item=item, description=spec.description, owner=self.person(spec.owner), due_on=due, by=pm
                )
                self.bump("actions")

    def member_action(self, meeting: Meeting) -> None:
        """The demo Board member owns an open action from the last meeting, due in a few weeks."""
        description = "Report back on Broxbourne's digital inclusion referrals"
        if meeting.minutes_locked or Action.objects.filter(meeting=meeting, description=description).exists():
            return
        item = meeting.items.filter(standing_kind="").order_by("number", "suffix").first() or meeting.items.first()
        due = max(meeting.local_date + timedelta(days=42), self.today + timedelta(days=14))
        services.record_action(
            item=item, description=description, owner=self.person("board.member"), due_on=due, by=self.pm
        )
        self.bump("actions")

    def settle_actions(self, past: list[Meeting]) -> None:
        """Actions from all but the two most recent meetings are done, except one left overdue; the
        Board member's newest action is open."""
        recent = {m.pk for m in past[-2:]}
        kept_overdue = False
        for index, meeting in enumerate(past):
            for action in meeting.actions.order_by("pk"):
                if meeting.pk in recent or action.status == ActionStatus.DONE:
                    continue
                if not kept_overdue and action.owner.email != email_for("board.member"):
                    kept_overdue = True  # the oldest open action stays overdue
                    continue
                # Done in its own time: reported to the body's next meeting, not on the day the demo loads.
                reported_at = past[index + 1].starts_at
                services.complete_action(
                    action=action, update="Done and reported to the meeting.", by=self.pm, completed_at=reported_at
                )

    # The next meetings ------------------------------------------------------------------

    def prepare(self, meeting: Meeting, specs: list[tuple], *, publish: bool) -> None:
        for title, purpose, presenter_local, paper_slug in specs:
            presenter = self.person(presenter_local)
            restricted = title == RESTRICTED_ITEM
            item = self.item(
                meeting,
                title,
                purpose=purpose,
                presenter=presenter,
                presenter_organisation=presenter.organisation,
                visibility=Visibility.RESTRICTED if restricted else Visibility.PUBLIC,
                restriction_reason=RESTRICTED_REASON if restricted else "",
            )
            if paper_slug and (paper_slug != LATE_PAPER or not publish):
                self.paper(item, paper_slug, presenter)
            if paper_slug == EXEMPT_APPENDIX[0]:
                self.paper(
                    item,
                    EXEMPT_APPENDIX[1],
                    presenter,
                    visibility=Visibility.RESTRICTED,
                    restriction_reason=EXEMPT_APPENDIX[2],
                )
        if not publish:
            return
        if not meeting.is_published:
            meeting = services.publish_agenda(meeting=meeting, by=self.pm)
        # The late paper arrives after the agenda went out: services mark it as after publication
        # (so a supplement is built) and as late if the deadline has passed. The deadline of the
        # next meeting is usually still ahead, so the version is flagged late directly.
        for title, _purpose, presenter_local, paper_slug in specs:
            if paper_slug == LATE_PAPER:
                item = meeting.items.get(title=title)
                paper = self.paper(item, paper_slug, self.person(presenter_local))
                PaperVersion.objects.filter(paper=paper, is_late=False).update(is_late=True)
            elif paper_slug:
                # The others came in on time, even when the loader runs after the deadline.
                PaperVersion.objects.filter(
                    paper__item__meeting=meeting, paper__item__title=title, number=1, is_late=True
                ).update(is_late=False)

    def respond(self, meeting: Meeting) -> None:
        """A few answers for the next meeting; the demo Board member has not answered yet."""
        answers = [("alan.lion", Response.ATTENDING), ("ellen.marsh", Response.APOLOGIES)]
        answers += [("sam.okafor", Response.DEPUTY), ("hannah.cole", Response.ATTENDING)]
        answers += [("linda.haysey", Response.ATTENDING), ("clare.morris", Response.APOLOGIES)]
        seated = {s.person_id for s in services.members_of(meeting)}
        for local, response in answers:
            person = self.person(local)
            if person.pk in seated and not Attendance.objects.filter(meeting=meeting, person=person).exists():
                services.respond_to_meeting(meeting=meeting, person=person, response=response)

    # Documents --------------------------------------------------------------------------

    def build_documents(self, meetings: list[Meeting]) -> None:
        """Build what publication and minutes asked for, here and now: the loader leaves every document
        ready whether or not a worker is running. Unchanged documents are not built again."""
        for meeting in meetings:
            for document in documents.documents_for(meeting).order_by("pk"):
                if documents.build(document_id=document.pk) == "built":
                    self.bump("documents built")


def body_year(loader: Loader, spec: dict, subjects: list[Subject], next_items, later_items) -> dict:
    meetings = loader.schedule(spec)
    now = loader.now
    is_sg = spec["body"] == "steering-group"
    past = [m for m in meetings if m.ends_at < now]
    if is_sg and len(past) > CANCELLED_SG_INDEX and not any(m.is_cancelled for m in past):
        cancelled = past[CANCELLED_SG_INDEX]
        if cancelled.minutes_status == MinutesStatus.NONE:
            services.cancel_meeting(meeting=cancelled, reason=CANCELLED_REASON, by=loader.pm)
            cancelled.refresh_from_db()
    held = [m for m in past if m.status == MeetingStatus.SCHEDULED]
    upcoming = [m for m in meetings if m.ends_at >= now and m.status == MeetingStatus.SCHEDULED]

    per_meeting = 2 if is_sg else 3
    for index, meeting in enumerate(held):
        # The business rotates with the month, so each meeting's agenda is the same whatever the day.
        month = meeting.local_date.year * 12 + meeting.local_date.month
        chosen = [subjects[(month * per_meeting + k) % len(subjects)] for k in range(per_meeting)]
        previous = held[index - 1] if index else None
        following = held[index + 1] if index + 1 < len(held) else (upcoming[0] if upcoming else None)
        loader.hold(meeting, chosen, previous, following.local_date if following else None)
        if previous is not None and not previous.minutes_locked:
            services.approve_minutes(meeting=previous, at_meeting=meeting, by=loader.pm)
            previous.refresh_from_db()
    if held:
        last = held[-1]
        last.refresh_from_db()
        if last.minutes_status == MinutesStatus.DRAFT:
            services.circulate_draft_minutes(meeting=last, by=loader.pm)
    if held and not is_sg:
        loader.member_action(held[-1])
    loader.settle_actions(held)

    if upcoming:
        loader.prepare(upcoming[0], next_items, publish=True)
        loader.respond(upcoming[0])
    if len(upcoming) > 1:
        loader.prepare(upcoming[1], later_items, publish=False)
    return {"meetings": meetings, "upcoming": upcoming}


def forward_plan(loader: Loader, board_upcoming: list[Meeting], sg_upcoming: list[Meeting]) -> None:
    plans = [
        (board_upcoming, "Digital Adoption Conference: a second conference", "ben.nash"),
        (sg_upcoming, "Town Centre Wi-fi: feasibility study", "peter.hughes"),
    ]
    for upcoming, title, presenter_local in plans:
        if len(upcoming) < 3:
            continue
        target = upcoming[2]
        if ForwardPlanItem.objects.filter(body=target.body, title=title).exists():
            continue
        presenter = loader.person(presenter_local)
        services.propose_forward_item(
            body=target.body,
            title=title,
            purpose=Purpose.DISCUSSION,
            presenter=presenter,
            organisation=presenter.organisation,
            target_meeting=target,
            notes="Proposed at the Steering Group.",
            by=loader.pm,
        )
        loader.bump("forward plan items")


def seminars(loader: Loader) -> int:
    for slug, title, held_on, venue, delegates, summary in SEMINARS:
        # Published on the evening of the day they were held; written only where it differs, so a
        # second run records no change in the seminars' history.
        wanted = {
            "title": title,
            "held_on": held_on,
            "venue": venue,
            "delegates": delegates,
            "summary": summary,
            "status": PublicationStatus.PUBLISHED,
            "published_at": datetime.combine(held_on, time(18), tzinfo=LONDON),
        }
        seminar = Seminar.objects.filter(slug=slug).first() or Seminar(slug=slug)
        changed = [name for name, value in wanted.items() if getattr(seminar, name) != value]
        if changed:
            for name in changed:
                setattr(seminar, name, wanted[name])
            save_as(seminar, loader.pm)
            loader.bump("seminars")
        report = seminar.executive_report
        if not report or not report.storage.exists(report.name):
            pdf = _pdf(
                f"Executive report: {title}",
                [
                    f"Held on {held_on:%-d %B %Y} at {venue}, attended by {delegates} delegates.",
                    summary,
                    "The Smart Place Seminar series brings the widest range of stakeholders and partners together "
                    "for masterclasses on different aspects of the digital revolution.",
                ],
            )
            seminar.executive_report.save(f"{slug}-executive-report.pdf", ContentFile(pdf), save=True)
            loader.bump("seminar reports")
    return len(SEMINARS)


# Standing registers of interests: every member's is confirmed (the demo Board member's is due, so
# the prompt shows); councillors register their office. (local part, category, interest)
REGISTERED = [
    ("alan.lion", "employment", "Councillor, Epping Forest District Council"),
    ("ben.nash", "employment", "Employee of BT Group, which bids for full fibre contracts"),
    ("hannah.cole", "bodies", "Trustee of a digital inclusion charity in Harlow"),
]


def registers(loader: Loader) -> None:
    from meetings.models import InterestReview, RegisteredInterest
    from partners.models import Membership

    for local, category, description in REGISTERED:
        person = loader.people.get(local)
        if person and not RegisteredInterest.objects.filter(person=person, description=description).exists():
            services.register_interest(
                person=person,
                category=category,
                description=description,
                by=person,
                on=loader.today - timedelta(days=200),
            )
            loader.bump("registered interests")
    member = email_for("board.member")
    for seat in Membership.objects.current(loader.today).exclude(person__email=member).select_related("person"):
        if not InterestReview.objects.filter(person=seat.person).exists():
            on = max(seat.started_on, loader.today - timedelta(days=200))
            services.confirm_register(person=seat.person, by=seat.person, on=on)


@transaction.atomic
def load(stdout=None) -> dict[str, int]:
    """Load the demo meetings and seminars (after partners.demo.load). Safe to run again."""
    people = {user.email.split("@")[0]: user for user in User.objects.filter(email__iendswith="@example.org")}
    pm = people["programme.manager"]
    loader = Loader(pm=pm, people=people, today=timezone.localdate(), now=timezone.now())

    board = body_year(loader, SERIES[0], BOARD_SUBJECTS, NEXT_BOARD_ITEMS, LATER_BOARD_ITEMS)
    sg = body_year(loader, SERIES[1], SG_SUBJECTS, NEXT_SG_ITEMS, LATER_SG_ITEMS)
    forward_plan(loader, board["upcoming"], sg["upcoming"])
    loader.build_documents(board["meetings"] + sg["meetings"])
    seminar_count = seminars(loader)
    registers(loader)

    demo_meetings = Meeting.objects.filter(series__body__slug__in=[s["body"] for s in SERIES])
    counts = {
        "meetings": demo_meetings.count(),
        "agenda items": AgendaItem.objects.filter(meeting__in=demo_meetings).count(),
        "papers": Paper.objects.filter(item__meeting__in=demo_meetings).count(),
        "decisions": Decision.objects.filter(meeting__in=demo_meetings).count(),
        "actions": Action.objects.filter(meeting__in=demo_meetings).count(),
        "seminars": seminar_count,
    }
    written = ", ".join(f"{n} {k}" for k, n in loader.counts.items()) or "nothing new"
    if stdout is not None:
        stdout.write(
            "Loaded the DIZ demo meetings: "
            + ", ".join(f"{n} {k}" for k, n in counts.items())
            + f" (this run: {written})."
        )
    return counts

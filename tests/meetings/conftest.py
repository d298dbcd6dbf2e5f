import functools
import io
import zipfile
from datetime import datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from diz_portal.models import DocumentStatus
from meetings import services
from meetings.models import LONDON, Action, Meeting
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@functools.cache
def make_pdf(pages: int = 1, text: str = "Paper") -> bytes:
    """A PDF paper of `pages` pages saying "<text> page <n>". Laid out once per (pages, text) in a
    test run: the same bytes serve every test that asks (bytes cannot be changed by a test)."""
    from diz_portal.pdf import html_to_pdf

    body = "".join(f'<p style="break-after: page">{text} page {n}</p>' for n in range(1, pages + 1))
    return html_to_pdf(f"<html><body>{body}</body></html>")


def pdf_upload(name="paper.pdf", pages=1, text="Paper"):
    return SimpleUploadedFile(name, make_pdf(pages, text), content_type="application/pdf")


def docx_upload(name="paper.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><document/>')
    return SimpleUploadedFile(name, buffer.getvalue())


def exe_upload(name="paper.pdf"):
    return SimpleUploadedFile(name, b"MZ" + b"\x90" * 62 + b"PE\x00\x00" + b"\x00" * 200)


@pytest.fixture
def meeting(board, alice):
    """A Board meeting a fortnight away, its papers due in a week."""
    day = timezone.localdate() + timedelta(days=14)
    starts = datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON)
    return services.schedule_meeting(
        body=board, starts_at=starts, ends_at=starts + timedelta(hours=2), location="Civic Offices, Epping", by=alice
    )


def a_meeting(body, by, *, days: int, hour: int = 10, **fields) -> Meeting:
    """A meeting of `body` `days` from today (negative: in the past), two hours long."""
    day = timezone.localdate() + timedelta(days=days)
    starts = datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)
    return services.schedule_meeting(body=body, starts_at=starts, ends_at=starts + timedelta(hours=2), by=by, **fields)


def pdf_text(source) -> str:
    """The text of a PDF (a path, bytes or a FileField), as a reader would extract it, with every
    run of white space (line breaks included) made one space."""
    from pypdf import PdfReader

    if isinstance(source, bytes):
        source = io.BytesIO(source)
    elif hasattr(source, "path"):
        source = source.path
    return " ".join(" ".join(page.extract_text() for page in PdfReader(source).pages).split())


@pytest.fixture
def held_meeting(board, alice):
    """A Board meeting held today: attendance and minutes can be recorded."""
    return a_meeting(board, alice, days=0)


@pytest.fixture
def sam_and_jordan(board, alice):
    """Sam Okafor sits on the Board for Harlow; Jordan Ellis, also of Harlow, is his usual deputy."""
    harlow_staff = OrganisationFactory(name="Epping Forest District Council", slug="epping-forest")
    jordan = UserFactory(name="Jordan Ellis", email="jordan.ellis@example.org", organisation=harlow_staff)
    sam = UserFactory(name="Sam Okafor", email="sam.okafor@example.org", organisation=harlow_staff)
    MembershipFactory(body=board, person=sam, organisation=harlow_staff, deputy=jordan)
    return sam, jordan


# --- An agenda at every level, shared by the page, feed and browser tests ----------------------

SECRETS = ["Bid pricing", "Commercially sensitive until the bid goes in", "Pricing schedule"]
MEMBERS_ONLY = ["Risk register review", "Strategic risk register"]
PARTNERS_ONLY = ["Partner budget", "Budget forecast"]
PUBLIC = ["Digital inclusion update", "Inclusion report"]

_PDF: dict = {}


def pdf(name="paper.pdf", text="Paper"):
    """A real one-page PDF, made once: WeasyPrint is slow, and these tests upload many."""
    if text not in _PDF:
        _PDF[text] = make_pdf(1, text)
    return SimpleUploadedFile(name, _PDF[text], content_type="application/pdf")


def build_agenda(meeting, *, by, presenter):
    """Business at each level with a paper, in agenda order: public, partners, members, restricted."""
    items = {}
    for level, (title, paper_title) in {
        "public": PUBLIC,
        "partners": PARTNERS_ONLY,
        "members": MEMBERS_ONLY,
        "restricted": SECRETS[::2],
    }.items():
        items[level] = services.add_item(
            meeting=meeting,
            title=title,
            visibility=level,
            restriction_reason=SECRETS[1] if level == "restricted" else "",
            presenter=presenter,
            presenter_organisation=presenter.organisation,
            duration_minutes=20,
            by=by,
        )
        services.add_paper(item=items[level], title=paper_title, purpose="To note", upload=pdf(), by=by)
    return items


@pytest.fixture
def items(meeting, alice, erin):
    return build_agenda(meeting, by=alice, presenter=erin)


@pytest.fixture
def published(items, meeting, alice):
    return services.publish_agenda(meeting=meeting, by=alice)


def page_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.content.decode()


def make_ready(document, content=b"%PDF-1.4 built"):
    """A document as a worker leaves it, without running WeasyPrint."""
    document.file.save(f"{document.kind.replace(':', '-')}.pdf", ContentFile(content), save=False)
    document.status = DocumentStatus.READY
    document.version = 1
    document.finished_at = timezone.now()
    document.save()
    return document


@pytest.fixture
def erin(db):
    return UserFactory(name="Erin Ellis", email="erin@example.org", organisation=OrganisationFactory(name="Epping"))


def grow(*, board, steering_group, alice, presenter, owner, times=2):
    """More of everything the meetings pages list: meetings of both bodies (past and to come),
    items at each level with papers in two versions, actions, decisions and approved minutes."""
    now = timezone.now()
    for n in range(times):
        for body in (board, steering_group):
            for offset in (-60 - 30 * n, 40 + 30 * n):
                starts = now + timedelta(days=offset)
                meeting = services.schedule_meeting(
                    body=body, starts_at=starts, ends_at=starts + timedelta(hours=2), by=alice
                )
                items = build_agenda(meeting, by=alice, presenter=presenter)
                for paper in [item.papers.get() for item in items.values()][:2]:
                    services.replace_paper(paper=paper, upload=pdf(text="Revised"), by=alice)
                services.publish_agenda(meeting=meeting, by=alice)
                for level, item in items.items():
                    services.record_action(
                        item=item,
                        description=f"Follow up {level} {n}",
                        owner=owner,
                        due_on=timezone.localdate() + timedelta(days=offset),
                        by=alice,
                    )
                    services.record_decision(item=item, text=f"Agreed {level} {n}", by=alice)
                services.save_minute(item=items["public"], text="Noted.", by=alice)
                services.circulate_draft_minutes(meeting=meeting, by=alice)
                if offset < 0:
                    later = now + timedelta(days=offset + 14)
                    next_meeting = services.schedule_meeting(
                        body=body, starts_at=later, ends_at=later + timedelta(hours=1), by=alice
                    )
                    services.approve_minutes(
                        meeting=meeting, at_meeting=next_meeting, by=alice, today=next_meeting.local_date
                    )
    assert Action.objects.count() > 0


@pytest.fixture
def grower(board, steering_group, alice, erin, carol):
    return lambda: grow(board=board, steering_group=steering_group, alice=alice, presenter=erin, owner=carol)


@pytest.fixture
def item(meeting, alice):
    """An item on the Board meeting's agenda."""
    return services.add_item(meeting=meeting, title="Full fibre bid", by=alice)

"""Rows of the permission matrix for meetings' public and member pages (meetings/urls.py).

The shared world (tests/meetings/matrix.py) is a published Board meeting whose items and papers
are at each level, all presented by Bob for Harlow (Dave works at Harlow too, so he counts as a
presenter of those items), and a draft Board meeting. `extra_world` adds what these rows need.
"""

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from meetings import documents, services
from meetings.models import CalendarToken, SeminarFile
from tests.factories import SeminarFactory
from tests.meetings.conftest import pdf_upload
from tests.support.matrix import LOGIN, everyone, signed_in


def members_only(outcome=200, *, anonymous=404):
    """The Board's members and the programme manager; nobody else learns it exists."""
    return {"anonymous": anonymous, "officer": 404, "other_member": 404, "member": outcome, "pm": outcome}


ROWS: dict = {
    # Meetings: dates, status and the items each audience may see are public.
    "meetings:list": (None, everyone(200)),
    "meetings:meeting": (lambda w: {"pk": w["meeting"].pk}, everyone(200)),
    "meetings:documents": (lambda w: {"pk": w["meeting"].pk}, everyone(200)),
    # Members' answers and declarations are POSTs (a non-member's POST is a 404).
    "meetings:respond": (lambda w: {"pk": w["meeting"].pk}, everyone(405)),
    "meetings:declare": (lambda w: {"pk": w["items"]["public"].pk}, everyone(405)),
    # The members' pack is for the Board only.
    "meetings:document_download": (lambda w: {"pk": w["members_pack"].pk}, members_only()),
    # A restricted paper: the Board and the programme manager only, not even its presenter's officers.
    "meetings:paper_download": (lambda w: {"pk": w["papers"]["restricted"].pk}, members_only()),
    # An earlier version: the programme manager and the item's presenter (Bob), nobody else.
    "meetings:paper_version_download": (
        lambda w: {"pk": w["earlier_version"].pk},
        {"anonymous": LOGIN, "officer": 200, "other_member": 404, "member": 404, "pm": 200},
    ),
    # Uploading: the item's presenter (Bob) and the programme manager.
    "meetings:paper_add": (
        lambda w: {"pk": w["presented_item"].pk},
        {"anonymous": LOGIN, "officer": 200, "other_member": 404, "member": 404, "pm": 200},
    ),
    "meetings:paper_replace": (
        lambda w: {"pk": w["presented_paper"].pk},
        {"anonymous": LOGIN, "officer": 200, "other_member": 404, "member": 404, "pm": 200},
    ),
    # Calendar feeds: public ones for everyone; the private one's token is the credential.
    "meetings:calendar_public": (None, everyone(200)),
    "meetings:calendar_body": (lambda w: {"slug": w["board"].slug}, everyone(200)),
    "meetings:calendar_private": (lambda w: {"token": w["carol_token"].token}, everyone(200)),
    "meetings:calendar": (None, signed_in(200)),
    "meetings:calendar_replace": (None, signed_in(200)),
    # Actions: signed-in pages; an action is updated by its owner (Carol) or the programme manager.
    "meetings:actions": (None, signed_in(200)),
    "meetings:my_actions": (None, signed_in(200)),
    "meetings:action_update": (lambda w: {"pk": w["carol_action"].pk}, members_only(anonymous=LOGIN)),
    "meetings:propose_item": (
        None,
        {"anonymous": LOGIN, "officer": 404, "other_member": 200, "member": 200, "pm": 200},
    ),
    "meetings:declarations": (None, everyone(200)),
    # The standing register of interests: members of any body and the programme manager read it;
    # each member keeps their own (the programme manager holds no seat, so has none).
    "meetings:interest_register": (
        None,
        {"anonymous": LOGIN, "officer": 404, "other_member": 200, "member": 200, "pm": 200},
    ),
    "meetings:my_interests": (
        None,
        {"anonymous": LOGIN, "officer": 404, "other_member": 200, "member": 200, "pm": 404},
    ),
    "meetings:decisions": (None, everyone(200)),
    # Smart Place Seminars are public, files included.
    "meetings:seminars": (None, everyone(200)),
    "meetings:seminar": (lambda w: {"slug": w["seminar"].slug}, everyone(200)),
    "meetings:seminar_report": (lambda w: {"slug": w["seminar"].slug}, everyone(200)),
    "meetings:seminar_file": (lambda w: {"pk": w["seminar_file"].pk}, everyone(200)),
}


def extra_world(world: dict, *, cast, board, harlow) -> dict:
    """Records these rows need beyond the shared meetings world (tests/meetings/matrix.py)."""
    alice, bob, carol = cast["alice"], cast["bob"], cast["carol"]
    meeting = world["meeting"]
    # The members' pack, built (the world's documents are queued, never built: on_commit does not
    # run in these tests).
    members_pack = documents.documents_for(meeting).get(kind="pack:members")
    documents.build(document_id=members_pack.pk)
    members_pack.refresh_from_db()
    # An item on the draft agenda that Bob alone presents, with a paper he has replaced once.
    presented_item = services.add_item(meeting=world["draft_meeting"], title="Digital skills", presenter=bob, by=alice)
    presented_paper = services.add_paper(
        item=presented_item, title="Digital skills plan", purpose="To agree the plan", upload=pdf_upload(), by=bob
    )
    earlier_version = presented_paper.versions.get()
    services.replace_paper(paper=presented_paper, upload=pdf_upload(text="Revised"), by=bob)
    carol_action = services.record_action(
        item=world["items"]["public"],
        description="Circulate the inclusion survey",
        owner=carol,
        due_on=timezone.localdate() + timedelta(days=7),
        by=alice,
    )
    services.record_decision(item=world["items"]["public"], text="The Board agreed the inclusion plan.", by=alice)
    seminar = SeminarFactory(
        title="Smart places and the NHS",
        slug="smart-places-nhs",
        held_on=date(2025, 11, 20),
        venue="Harlow College",
        delegates=85,
        executive_report=ContentFile(b"%PDF-1.4 report", name="executive-report.pdf"),
    )
    seminar_file = SeminarFile.objects.create(
        seminar=seminar, title="Opening presentation", file=ContentFile(b"slides", name="opening.pptx")
    )
    return {
        "members_pack": members_pack,
        "presented_item": presented_item,
        "presented_paper": presented_paper,
        "earlier_version": earlier_version,
        "carol_action": carol_action,
        "carol_token": CalendarToken.objects.create(user=carol),
        "seminar": seminar,
        "seminar_file": seminar_file,
    }

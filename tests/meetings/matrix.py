"""The meetings app's rows of the permission matrix, and the records they are walked with.

Each row: URL name -> (kwargs builder taking the world dict, expected outcome per role). Roles:
anonymous; officer (Bob, partner officer, no seat); other_member (Dave, Steering Group only);
member (Carol, Board); pm (Alice). The meeting under test is a Board meeting.
"""

from datetime import timedelta

from django.utils import timezone

from meetings import services
from tests.meetings import matrix_manage, matrix_public
from tests.meetings.conftest import pdf_upload

MATRIX: dict = matrix_public.ROWS | matrix_manage.ROWS


def meetings_world(*, cast, board, harlow) -> dict:
    """A published Board meeting with an item at each visibility level (each with a paper), a
    draft meeting, and what the minutes produce."""
    alice, bob = cast["alice"], cast["bob"]
    starts = timezone.now() + timedelta(days=14)
    meeting = services.schedule_meeting(body=board, starts_at=starts, ends_at=starts + timedelta(hours=2), by=alice)
    items = {}
    for level in ("public", "partners", "members", "restricted"):
        items[level] = services.add_item(
            meeting=meeting,
            title=f"{level.capitalize()} item",
            visibility=level,
            presenter=bob,
            presenter_organisation=harlow,
            restriction_reason="Commercially sensitive" if level == "restricted" else "",
            by=alice,
        )
    papers = {
        level: services.add_paper(
            item=item, title=f"{level.capitalize()} paper", purpose="x", upload=pdf_upload(), by=alice
        )
        for level, item in items.items()
    }
    meeting = services.publish_agenda(meeting=meeting, by=alice)
    draft_starts = starts + timedelta(days=28)
    draft = services.schedule_meeting(
        body=board, starts_at=draft_starts, ends_at=draft_starts + timedelta(hours=2), by=alice
    )
    world = {"meeting": meeting, "draft_meeting": draft, "items": items, "papers": papers}
    world |= matrix_public.extra_world(world, cast=cast, board=board, harlow=harlow)
    world |= matrix_manage.extra_world(world, cast=cast, board=board, harlow=harlow)
    return world

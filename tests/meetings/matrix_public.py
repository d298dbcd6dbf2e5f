"""Rows of the permission matrix for meetings' public and member pages (meetings/urls.py)."""

from tests.support.matrix import everyone

ROWS: dict = {
    "meetings:meeting": (lambda w: {"pk": w["meeting"].pk}, everyone(200)),
}


def extra_world(world: dict, *, cast, board, harlow) -> dict:
    """Records these rows need beyond the shared meetings world (tests/meetings/matrix.py)."""
    return {}

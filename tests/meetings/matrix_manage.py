"""Rows of the permission matrix for the meetings management pages (meetings/manage_urls.py)."""

ROWS: dict = {}


def extra_world(world: dict, *, cast, board, harlow) -> dict:
    """Records these rows need beyond the shared meetings world (tests/meetings/matrix.py)."""
    return {}

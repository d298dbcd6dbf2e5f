"""Outcomes and role shorthands for the permission matrix (tests/test_permission_matrix.py) and
the tables each app contributes to it."""

LOGIN = "login"
REDIRECT = "redirect"
ROLES = ["anonymous", "officer", "other_member", "member", "pm"]


def everyone(outcome):
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome, *, anonymous=LOGIN):
    return {"anonymous": anonymous} | dict.fromkeys(ROLES[1:], outcome)


def pm_only(outcome=200):
    return pm_only_else(outcome, 404)


def pm_only_else(pm_outcome, others_outcome):
    return {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:-1], others_outcome) | {"pm": pm_outcome}

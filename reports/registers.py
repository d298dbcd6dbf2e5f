"""Registers as spreadsheets: CSV, and XLSX with typed cells (dates as dates, money as currency),
each at the viewer's own visibility level, never more. The rows come from the same functions the
register pages use (meetings.permissions.*_visible_to, and the strategy and funding apps' own once
they exist), so an export can never show what the page would not.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.http import Http404
from django.utils import timezone

from meetings.permissions import (
    actions_visible_to,
    decisions_visible_to,
    declarations_visible_to,
    member_body_ids,
)
from partners.permissions import is_programme_manager
from reports.dashboards import app_function

MONEY_FORMAT = '"£"#,##0.00'
DATE_FORMAT = "dd/mm/yyyy"


@dataclass
class Column:
    header: str
    value: object  # a function of the row
    kind: str = "text"  # text, date, money, number


@dataclass
class Register:
    key: str
    title: str
    columns: list[Column]
    rows: object  # a function of the viewer: the rows they may see, or Http404
    app: str = "meetings"


def _actions(user):
    if not (is_programme_manager(user) or member_body_ids(user)):
        raise Http404  # the action log is for the bodies' members and the programme manager
    return actions_visible_to(user).order_by("meeting__starts_at", "pk")


def _restricted_reason(record) -> str:
    item = getattr(record, "item", None)
    return item.restriction_reason if item is not None and item.visibility == "restricted" else ""


MEETINGS_REGISTERS = [
    Register(
        key="actions",
        title="Actions",
        rows=_actions,
        columns=[
            Column("Body", lambda a: a.meeting.body.name),
            Column("Meeting", lambda a: a.meeting.local_date, "date"),
            Column("Action", lambda a: a.description),
            Column("Owner", lambda a: a.owner.name),
            Column("Due", lambda a: a.due_on, "date"),
            Column("Status", lambda a: a.get_status_display()),
            Column("Completed", lambda a: a.completed_at and timezone.localtime(a.completed_at).date(), "date"),
            Column("Update", lambda a: a.update),
        ],
    ),
    Register(
        key="decisions",
        title="Decisions",
        rows=lambda user: decisions_visible_to(user).order_by("meeting__starts_at", "pk"),
        columns=[
            Column("Reference", lambda d: d.reference),
            Column("Body", lambda d: d.meeting.body.name),
            Column("Meeting", lambda d: d.meeting.local_date, "date"),
            Column("Item", lambda d: d.item.title),
            Column("Decision", lambda d: d.text),
            Column("Restricted because", _restricted_reason),
        ],
    ),
    Register(
        key="declarations",
        title="Declarations of interest",
        rows=lambda user: declarations_visible_to(user).order_by("meeting__starts_at", "pk"),
        columns=[
            Column("Body", lambda d: d.meeting.body.name),
            Column("Meeting", lambda d: d.meeting.local_date, "date"),
            Column("Item", lambda d: d.item.title),
            Column("Person", lambda d: d.person.name),
            Column("Interest", lambda d: d.interest),
        ],
    ),
]


def registers() -> dict[str, Register]:
    """Every register, the strategy and funding apps' included once they are built."""
    found = {register.key: register for register in MEETINGS_REGISTERS}
    for app in ("strategy", "funding"):
        for register in app_function(app, "REGISTERS") or []:
            found[register.key] = register
    return found


# Registers the issue asks for whose records are not in the portal yet: listed as such.
PLANNED = [("projects", "Projects and milestones", "delivery")]


def planned_registers() -> list[dict]:
    from reports.dashboards import WAITING

    found = registers()
    return [{"title": title, "waiting": WAITING[feature]} for key, title, feature in PLANNED if key not in found]


def get_register_rows(user, key: str):
    register = registers().get(key)
    if register is None:
        raise Http404
    return register, register.rows(user)


def _cell(value, kind: str):
    if value is None or value == "":
        return None
    if kind == "date" and isinstance(value, datetime):
        return timezone.localtime(value).date()
    if kind == "money":
        return Decimal(value)
    return value


def as_csv(register: Register, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in register.columns])
    for row in rows:
        cells = []
        for column in register.columns:
            value = _cell(column.value(row), column.kind)
            cells.append(value.isoformat() if isinstance(value, date) else _safe_text(value))
        writer.writerow(cells)
    return ("\ufeff" + buffer.getvalue()).encode()  # a BOM, so Excel reads UTF-8


def _safe_text(value):
    # A cell starting with =, +, - or @ is a formula to a spreadsheet: what someone typed must not run.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def as_xlsx(register: Register, rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = register.title[:31]
    sheet.append([column.header for column in register.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([_xlsx_value(_cell(column.value(row), column.kind)) for column in register.columns])
        for cell, column in zip(sheet[sheet.max_row], register.columns, strict=True):
            if column.kind == "date":
                cell.number_format = DATE_FORMAT
            elif column.kind == "money":
                cell.number_format = MONEY_FORMAT
    for index, column in enumerate(register.columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = (
            14 if column.kind in ("date", "money", "number") else 40
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value):
    # openpyxl stores text as text (never a formula) only if it does not start with "=".
    if isinstance(value, str) and value.startswith("="):
        return "'" + value
    return value

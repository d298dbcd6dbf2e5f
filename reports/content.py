"""What goes into each Board report, as plain data (dicts, lists, strings and numbers).

Plain data because it does two jobs: the template lays it out, and its hash is the report's
fingerprint, so a report whose inputs have not changed is not built again (reports/documents.py).
Each app supplies its own part (meetings.dashboard, and strategy/funding `dashboard.report_*`
once those apps exist); a part whose app is not built yet says so in the report.

Who reads a report: the members of the body it is for. Restricted items are left out (see
meetings.dashboard), so nothing restricted ever reaches a report.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.utils import timezone

from meetings import dashboard as meetings_data
from partners.models import Partnership
from reports.dashboards import WAITING, feature_function
from reports.models import Report, ReportKind
from reports.periods import Period

# Each report's sections, in order: (key, title). The contents page lists them.
SECTIONS = {
    ReportKind.HIGHLIGHT: [
        ("summary", "Summary"),
        ("delivery", "Delivery plan: projects, milestones and risks"),
        ("funding", "Funding: pipeline, awards and claims"),
        ("endorsement", "Strategy endorsement"),
        ("decisions", "Decisions of the quarter"),
        ("actions", "Actions of the quarter"),
        ("attendance", "Attendance by organisation and sector"),
    ],
    ReportKind.FUNDING: [
        ("funding", "Funding: pipeline, awards and claims"),
        ("accountable", "By accountable body"),
    ],
    ReportKind.ENDORSEMENT: [
        ("endorsement", "Strategy endorsement"),
    ],
    ReportKind.ENGAGEMENT: [
        ("summary", "Summary"),
        ("attendance", "Attendance by organisation and sector"),
        ("contributions", "Items presented per organisation"),
        ("bid_contributions", "Contributions to bids per organisation"),
    ],
}
# Sections a feature supplies (reports.dashboards.FEATURES), and the function that does.
APP_SECTIONS = {
    "delivery": ("delivery", "report"),
    "endorsement": ("strategy", "report_endorsement"),
    "funding": ("funding", "report_funding"),
    "accountable": ("funding", "report_accountable_bodies"),
    "bid_contributions": ("funding", "report_contributions"),
}


def gather(report: Report) -> dict:
    """Everything the report says, for its body and period."""
    period = Period(report.period_start, report.period_end)
    body_ids = [report.body_id]
    partnership = Partnership.current()
    data = {
        "kind": report.kind,
        "title": report.get_kind_display(),
        "body": report.body.name,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label},
        "partnership": {"name": partnership.name, "short_name": partnership.short_name},
        "sections": [],
    }
    for key, title in SECTIONS[report.kind]:
        section = {"key": key, "title": title}
        if key in APP_SECTIONS:
            feature, function = APP_SECTIONS[key]
            answer = feature_function(feature, function)
            if answer is None:
                section["waiting"] = WAITING[feature]
            else:
                section["data"] = answer(start=period.start, end=period.end, body=report.body)
                section["generic"] = True
        else:
            section["data"] = _meetings_section(key, report, period, body_ids)
        data["sections"].append(section)
    return data


def _meetings_section(key: str, report: Report, period: Period, body_ids: list[int]):
    # The engagement report is about the whole partnership: every body's meetings.
    scope = None if report.kind == ReportKind.ENGAGEMENT else body_ids
    if key == "summary":
        meetings = meetings_data.meetings_held(scope or _all_bodies(), period.start, period.end)
        decisions = meetings_data.decisions_in(scope or _all_bodies(), period.start, period.end)
        actions = meetings_data.actions_in(scope or _all_bodies(), period.start, period.end)
        return {
            "meetings": meetings,
            "decisions": len(decisions),
            "actions": len(actions),
            "actions_open": sum(1 for a in actions if a["status"] == "Open"),
        }
    if key == "decisions":
        return meetings_data.decisions_in(body_ids, period.start, period.end)
    if key == "actions":
        return meetings_data.actions_in(body_ids, period.start, period.end)
    if key == "attendance":
        rows = meetings_data.attendance_by_organisation(period.start, period.end, body_ids=scope)
        return {
            "organisations": [_attendance(row) for row in rows],
            "sectors": [_attendance(row) for row in meetings_data.attendance_by_sector(rows)],
        }
    if key == "contributions":
        presented = meetings_data.items_presented_by_organisation(period.start, period.end)
        return [{"organisation": name, "items": count} for name, count in sorted(presented.items())]
    raise ValueError(f"no section {key!r}")


def _all_bodies() -> list[int]:
    from partners.models import GoverningBody

    return list(GoverningBody.objects.values_list("pk", flat=True))


def _attendance(row) -> dict:
    return {"label": row.label, "expected": row.expected, "present": row.present, "rate": row.rate}


def fingerprint(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, default=str, sort_keys=True).encode()).hexdigest()


def render_context(report: Report, data: dict) -> dict:
    """The template's context: the data, and charts drawn from it."""
    from meetings.dashboard import AttendanceRow
    from reports.dashboards import attendance_chart

    charts = {}
    for section in data["sections"]:
        if section["key"] == "attendance" and "data" in section:
            for part in ("organisations", "sectors"):
                rows = [
                    AttendanceRow(**{k: r[k] for k in ("label", "expected", "present")}) for r in section["data"][part]
                ]
                charts[part] = attendance_chart(f"report-{part}", f"Attendance by {part[:-1]}", rows)
    return {
        "report": report,
        "data": data,
        "charts": charts,
        "built_at": timezone.now(),
        "language": settings.LANGUAGE_CODE,
    }

"""Who may see and ask for which reports and registers. Reports are for the members of the body
they are written for, and the programme manager; anyone else gets the same 404 as for a report
that does not exist."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import get_object_or_404

from diz_portal import caching
from diz_portal.models import DocumentStatus, GeneratedDocument
from meetings.permissions import member_body_ids
from partners.models import GoverningBody
from partners.permissions import is_programme_manager
from reports.models import Report


def reportable_bodies(user):
    """The bodies whose reports `user` may read and request."""
    bodies = GoverningBody.objects.order_by("display_order", "name")
    if is_programme_manager(user):
        return bodies
    return bodies.filter(pk__in=member_body_ids(user))


def may_see_reports_of(user, body_id: int) -> bool:
    return is_programme_manager(user) or body_id in member_body_ids(user)


BODY_TOPICS = ["partners"]


def body_key(slug: str) -> tuple:
    return ("body-by-slug", slug)


def get_body_for_reports(user, slug: str) -> GoverningBody:
    """The body (kept in the cache until a partner record changes), if the viewer sits on it or
    manages the partnership."""
    body = caching.cached_value(body_key(slug), BODY_TOPICS, lambda: GoverningBody.objects.filter(slug=slug).first())
    if body is None or not may_see_reports_of(user, body.pk):
        raise Http404
    return body


def get_report_for_user(user, pk: int) -> Report:
    report = get_object_or_404(Report.objects.select_related("body"), pk=pk)
    if not may_see_reports_of(user, report.body_id):
        raise Http404
    return report


def get_report_document_for_download(user, pk: int) -> tuple[GeneratedDocument, Report]:
    """A report's PDF, once built (an earlier version stays downloadable while a new one builds)."""
    document = get_object_or_404(
        GeneratedDocument,
        pk=pk,
        content_type=ContentType.objects.get_for_model(Report),
        status__in=[DocumentStatus.READY, DocumentStatus.QUEUED, DocumentStatus.BUILDING],
    )
    report = get_report_for_user(user, document.object_id)
    if not document.file:
        raise Http404
    return document, report

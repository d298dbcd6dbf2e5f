"""What the partners app tells the dashboards (diz_portal/dashboards.py)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from partners.models import GoverningBody, Invitation, Membership, Organisation, User


def invitations_not_accepted(*, limit: int = 8) -> tuple[list[Invitation], int]:
    """Open invitations (neither accepted nor revoked), oldest first, each with `expired`; and how
    many there are. Resending revokes the old invitation, so each person appears once."""
    invitations = Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True)
    now = timezone.now()
    chosen = list(invitations.select_related("user__organisation").order_by("created_at", "pk")[:limit])
    for invitation in chosen:
        invitation.expired = invitation.expires_at <= now
    return chosen, invitations.count()


def seats_of(user, today) -> dict:
    """The person's seats, now and past, and whom they deputise for."""
    memberships = Membership.objects.filter(person=user).with_people().order_by("-started_on")
    return {
        "current": [m for m in memberships if m.is_current(today)],
        "past": [m for m in memberships if not m.is_current(today)],
        "deputising": list(Membership.objects.current().filter(deputy=user).with_people()),
        "today": today,
    }


def directory_counts() -> dict:
    """The figures on the management index's own cards."""
    return {
        "organisation_count": Organisation.objects.filter(is_archived=False).count(),
        "people_count": User.objects.filter(is_active=True).count(),
        "pending_invitations": Invitation.objects.pending().count(),
        "bodies": list(
            GoverningBody.objects.annotate(
                member_count=Count("memberships", filter=Q(memberships__in=Membership.objects.current()))
            )
        ),
    }

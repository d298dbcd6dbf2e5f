"""What the partners app tells the dashboards (diz_portal/dashboards.py)."""

from __future__ import annotations

from django.utils import timezone

from partners.models import Invitation


def invitations_not_accepted(*, limit: int = 8) -> tuple[list[Invitation], int]:
    """Open invitations (neither accepted nor revoked), oldest first, each with `expired`; and how
    many there are. Resending revokes the old invitation, so each person appears once."""
    invitations = Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True)
    now = timezone.now()
    chosen = list(invitations.select_related("user__organisation").order_by("created_at", "pk")[:limit])
    for invitation in chosen:
        invitation.expired = invitation.expires_at <= now
    return chosen, invitations.count()

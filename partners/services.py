"""Use-cases for partners and people: each one checks its rules, writes in one transaction, keeps
the history (who did it) and queues any email after commit."""

from __future__ import annotations

from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from diz_portal.mail import send_once
from diz_portal.mail import subject as email_subject
from diz_portal.queue import enqueue
from partners.models import Invitation, Membership, Organisation, Partnership, User


def _as(instance, by):
    """Tell django-simple-history who made the change (also outside a request)."""
    instance._history_user = by
    return instance


# --- Organisations ---------------------------------------------------------------------------


def save_organisation(*, organisation: Organisation, by: User) -> Organisation:
    organisation.full_clean()
    _as(organisation, by).save()
    return organisation


def archive_organisation(*, organisation: Organisation, by: User) -> Organisation:
    """Archive: the organisation leaves the directory but keeps its history and its seats' history.
    Its current seats end now: a seat's end date is its last day, so they end yesterday."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if organisation.is_archived:
            return organisation
        organisation.is_archived = True
        organisation.archived_at = timezone.now()
        _as(organisation, by).save(update_fields=["is_archived", "archived_at"])
        today = timezone.localdate()
        for membership in organisation.memberships.current(today):
            membership.ended_on = max(today - timedelta(days=1), membership.started_on)
            _as(membership, by).save(update_fields=["ended_on"])
    return organisation


def restore_organisation(*, organisation: Organisation, by: User) -> Organisation:
    organisation.is_archived = False
    organisation.archived_at = None
    _as(organisation, by).save(update_fields=["is_archived", "archived_at"])
    return organisation


# --- People and invitations ------------------------------------------------------------------


def invite_person(
    *, email: str, name: str, job_title: str = "", organisation: Organisation | None, by: User
) -> Invitation:
    """Create the account (no usable password yet) and an invitation, and queue the email.
    Raises ValidationError if the email already has an account."""
    email = User.objects.normalize_email(email).lower()
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError({"email": "An account with this email address already exists."})
        user = User(email=email, name=name, job_title=job_title, organisation=organisation)
        user.set_unusable_password()
        _as(user, by).save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
        invitation = Invitation.objects.create(
            user=user,
            invited_by=by,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        from partners.tasks import send_invitation_email

        enqueue(send_invitation_email, invitation.pk)
    return invitation


def resend_invitation(*, user: User, by: User) -> Invitation:
    """Revoke any open invitation for `user` and send a fresh one (a new link)."""
    if user.has_usable_password():
        raise ValidationError("This person has already set a password.")
    with transaction.atomic():
        Invitation.objects.filter(user=user, accepted_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        invitation = Invitation.objects.create(
            user=user, invited_by=by, expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
        )
        from partners.tasks import send_invitation_email

        enqueue(send_invitation_email, invitation.pk)
    return invitation


def deliver_invitation_email(*, invitation_id: int) -> bool:
    """Send the invitation email once. Safe to run twice: an invitation already sent, accepted or
    revoked is left alone. Returns whether an email went out."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("user", "user__organisation", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.sent_at or not invitation.is_usable:
            return False
        partnership = Partnership.current()
        context = {
            "invitation": invitation,
            "partnership": partnership,
            "accept_url": settings.SITE_URL + invitation.get_accept_url(),
        }
        # Claimed by key too, so even a retry that races the lock above cannot send it twice.
        send_once(
            key=f"partners.invitation:{invitation.pk}",
            to=invitation.user.email,
            subject=email_subject(f"You are invited to the {partnership.short_name} portal"),
            body=render_to_string("partners/email/invitation.txt", context),
        )
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return True


def unsent_invitation_ids(*, older_than: timedelta = timedelta(minutes=2)) -> list[int]:
    cutoff = timezone.now() - older_than
    return list(
        Invitation.objects.pending().filter(sent_at__isnull=True, created_at__lt=cutoff).values_list("pk", flat=True)
    )


def find_invitation(*, pk: int, token: str) -> Invitation | None:
    invitation = Invitation.objects.select_related("user").filter(pk=pk).first()
    if invitation is None or not invitation.token_matches(token) or not invitation.is_usable:
        return None
    if invitation.user.has_usable_password():  # set another way: the link has nothing left to do
        return None
    return invitation


def accept_invitation(*, invitation: Invitation, password: str) -> User:
    """Set the password, confirm the email address (the link proved it) and close the invitation."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update(of=("self",)).select_related("user").get(pk=invitation.pk)
        if not invitation.is_usable:
            raise ValidationError("This invitation has already been used or has expired.")
        user = invitation.user
        if user.has_usable_password():
            raise ValidationError("This invitation has already been used or has expired.")
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        user.set_password(password)  # User.save closes any other open invitation
        user.save(update_fields=["password"])
        EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True, primary=True)
        if not EmailAddress.objects.filter(user=user, email__iexact=user.email).exists():
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


# --- Seats on governing bodies ---------------------------------------------------------------


def save_membership(*, membership: Membership, by: User) -> Membership:
    """Create or change a seat. The model's rules (dates, one chair, one seat each) apply."""
    with transaction.atomic():
        # Serialise changes to one body's seats so two people can't both add a chair at once.
        type(membership.body).objects.select_for_update().get(pk=membership.body_id)
        membership.full_clean()
        _as(membership, by).save()
    return membership


def end_membership(*, membership: Membership, on: date, by: User) -> Membership:
    if on < membership.started_on:
        raise ValidationError({"ended_on": "A membership cannot end before it starts."})
    membership.ended_on = on
    _as(membership, by).save(update_fields=["ended_on"])
    return membership


def change_representative(*, membership: Membership, person: User, on: date, by: User) -> Membership:
    """The organisation keeps its seat; the old representative's membership ends the day before
    `on` and a new one starts on `on`, with the same role."""
    if person.pk == membership.person_id:
        raise ValidationError({"person": "This person already holds the seat."})
    if on <= membership.started_on:
        raise ValidationError({"on": "The new representative must start after the current one started."})
    with transaction.atomic():
        membership.ended_on = on - timedelta(days=1)
        _as(membership, by).save(update_fields=["ended_on"])
        successor = Membership(
            body=membership.body,
            organisation=membership.organisation,
            person=person,
            role=membership.role,
            role_note=membership.role_note,
            deputy=membership.deputy if membership.deputy_id != person.pk else None,
            started_on=on,
        )
        save_membership(membership=successor, by=by)
    return successor

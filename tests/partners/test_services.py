from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from partners import services
from partners.models import Invitation, Membership, Organisation, User
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def invitation(alice, harlow, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.invite_person(
            email="Erin@Example.org", name="Erin Ellis", job_title="Digital Officer", organisation=harlow, by=alice
        )


def test_inviting_someone_creates_an_account_that_cannot_sign_in_yet(invitation):
    erin = User.objects.get(email="erin@example.org")
    assert erin.name == "Erin Ellis"
    assert not erin.has_usable_password()
    assert not EmailAddress.objects.get(user=erin).verified
    assert invitation.invited_by.email == "alice@example.org"


def test_the_invitation_email_says_who_invited_them_why_and_where_to_go(invitation):
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["erin@example.org"]
    assert "Alice Able has invited you" in email.body
    assert "You are receiving this email because" in email.body
    assert invitation.get_accept_url() in email.body
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_delivering_an_invitation_twice_sends_one_email(invitation):
    assert services.deliver_invitation_email(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1


def test_an_email_that_already_has_an_account_cannot_be_invited(alice, bob):
    with pytest.raises(ValidationError) as error:
        services.invite_person(email="BOB@example.org", name="Bob again", organisation=None, by=alice)
    assert error.value.message_dict["email"] == ["An account with this email address already exists."]
    assert User.objects.filter(email__iexact="bob@example.org").count() == 1


def test_accepting_sets_the_password_confirms_the_address_and_closes_the_link(invitation):
    found = services.find_invitation(pk=invitation.pk, token=invitation.token)
    erin = services.accept_invitation(invitation=found, password="a-new-strong-password")
    assert erin.check_password("a-new-strong-password")
    assert EmailAddress.objects.get(user=erin).verified
    assert services.find_invitation(pk=invitation.pk, token=invitation.token) is None


def test_a_wrong_or_expired_token_finds_nothing(invitation):
    assert services.find_invitation(pk=invitation.pk, token="0" * 64) is None
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert services.find_invitation(pk=invitation.pk, token=invitation.token) is None


def test_resending_replaces_the_old_link(invitation, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        fresh = services.resend_invitation(user=invitation.user, by=alice)
    assert services.find_invitation(pk=invitation.pk, token=invitation.token) is None
    assert services.find_invitation(pk=fresh.pk, token=fresh.token) == fresh
    assert len(mail.outbox) == 2


def test_unsent_invitations_are_found_by_the_sweep(alice, harlow):
    # Queued outside on_commit execution: as if the broker had been down when it was made.
    invitation = services.invite_person(email="fay@example.org", name="Fay", organisation=harlow, by=alice)
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert services.unsent_invitation_ids() == [invitation.pk]
    services.deliver_invitation_email(invitation_id=invitation.pk)
    assert services.unsent_invitation_ids() == []


def test_changing_the_representative_keeps_the_seat_and_the_history(alice, carol, board, broxbourne):
    seat = carol.memberships.get(body=board)
    newcomer = UserFactory(organisation=broxbourne)
    successor = services.change_representative(membership=seat, person=newcomer, on=timezone.localdate(), by=alice)
    seat.refresh_from_db()
    assert seat.ended_on == timezone.localdate() - timedelta(days=1)
    assert successor.organisation == broxbourne
    assert successor.role == seat.role
    assert list(Membership.objects.current().filter(body=board, organisation=broxbourne)) == [successor]
    assert seat.history.first().history_user == alice


def test_a_representative_cannot_replace_themselves(alice, carol, board):
    seat = carol.memberships.get(body=board)
    with pytest.raises(ValidationError):
        services.change_representative(membership=seat, person=carol, on=timezone.localdate(), by=alice)


def test_archiving_an_organisation_ends_its_seats_and_records_who(alice, carol, board, broxbourne):
    services.archive_organisation(organisation=broxbourne, by=alice)
    broxbourne.refresh_from_db()
    assert broxbourne.is_archived
    assert not Membership.objects.current().filter(organisation=broxbourne).exists()
    assert broxbourne not in Organisation.objects.listed()
    assert broxbourne.history.first().history_user == alice


def test_saving_a_second_chair_is_refused_with_a_message_for_the_role_field(alice, board):
    MembershipFactory(body=board, role="chair")
    second = Membership(body=board, person=UserFactory(), role="chair", started_on=date(2025, 1, 1))
    second.organisation = second.person.organisation
    with pytest.raises(ValidationError) as error:
        services.save_membership(membership=second, by=alice)
    assert "role" in error.value.message_dict
    assert Membership.objects.filter(body=board, role="chair").count() == 1

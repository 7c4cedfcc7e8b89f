"""Every write the network app makes: invitations, memberships."""

from __future__ import annotations

from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from network import audit
from network.models import (
    INVITATION_SALT,
    CohortMembership,
    Invitation,
    Member,
    MemberType,
    Role,
)


class InvitationInvalid(Exception):
    """Why an invitation link cannot be used; the message is shown to the visitor."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def open_invitation(*, signed_token: str) -> Invitation:
    """Check a link's token and mark the invitation opened.

    Raises InvitationInvalid for forged, unknown, revoked, expired or used invitations.
    """
    try:
        token = signing.Signer(salt=INVITATION_SALT).unsign(signed_token)
        invitation = Invitation.objects.select_related("cohort").get(token=token)
    except (signing.BadSignature, Invitation.DoesNotExist):
        raise InvitationInvalid(
            "unknown", "This invitation link is not valid. Check that you copied all of it."
        ) from None
    if invitation.accepted_at:
        raise InvitationInvalid("used", "This invitation has already been used.")
    if invitation.revoked_at:
        raise InvitationInvalid("revoked", "This invitation has been withdrawn.")
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid("expired", "This invitation has expired.")
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk).update(opened_at=timezone.now())
    return invitation


def usable_invitation(invitation_id: int | None) -> Invitation | None:
    if invitation_id is None:
        return None
    return Invitation.objects.usable().select_related("cohort").filter(pk=invitation_id).first()


@transaction.atomic
def accept_invitation(
    *, invitation: Invitation, user, request: HttpRequest | None = None, name: str = ""
) -> CohortMembership:
    """Join the invited cohort with the invited role, making the member profile if needed.

    Accepting twice is harmless: the membership is kept and never downgraded.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    member, _ = Member.objects.get_or_create(
        user=user,
        defaults={
            "name": name or invitation.name or user.email.split("@")[0],
            "member_type": invitation.member_type or MemberType.CAREER,
            "agency": invitation.agency,
            "headline": invitation.title,
        },
    )
    membership, created = CohortMembership.objects.get_or_create(
        cohort=invitation.cohort, member=member, defaults={"role": invitation.role}
    )
    if not created and invitation.role == Role.MANAGER and membership.role != Role.MANAGER:
        membership.role = Role.MANAGER
        membership.save(update_fields=["role"])
    if invitation.accepted_at is None:
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        audit.record(
            "invitation_accepted",
            actor=user,
            request=request,
            target=invitation.cohort,
            role=invitation.role,
        )
    return membership

"""Invitations: opening and accepting links, inviting people, resending and revoking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from network import audit, directory, signals
from network.models import (
    INVITATION_SALT,
    Agency,
    Cohort,
    CohortMembership,
    Invitation,
    Member,
    MemberType,
    Position,
    Role,
    default_invitation_expiry,
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


def holds_invited_address(user, invitation: Invitation) -> bool:
    """The account has confirmed the address the invitation was sent to."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()


@transaction.atomic
def accept_invitation(
    *, invitation: Invitation, user, request: HttpRequest | None = None, name: str = ""
) -> CohortMembership:
    """Join the invited cohort with the invited role, making the member profile if needed.

    Callers accept only for the invited address, or after the signed-in person explicitly
    confirmed (a POST): then the inviting manager is told which address took the invitation.
    Accepting twice is harmless: the membership is kept and never downgraded.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    other_address = not holds_invited_address(user, invitation)
    member, made = Member.objects.get_or_create(
        user=user,
        defaults={
            "name": name or invitation.name or user.email.split("@")[0],
            "member_type": invitation.member_type or MemberType.CAREER,
            "agency": invitation.agency,
            "headline": invitation.title,
        },
    )
    if made:
        if invitation.title:
            Position.objects.create(member=member, title=invitation.title, agency=invitation.agency)
        from network.services.profiles import index_members

        index_members(member_ids=[member.pk])
    membership, created = CohortMembership.objects.get_or_create(
        cohort=invitation.cohort, member=member, defaults={"role": invitation.role}
    )
    if created:
        directory.members_changed(member_ids=[member.pk])  # the cohort's count
        signals.membership_started.send(sender=CohortMembership, membership=membership)
    if not created and invitation.role == Role.MANAGER and membership.role != Role.MANAGER:
        membership.role = Role.MANAGER
        membership.save(update_fields=["role"])
    if invitation.accepted_at is None:
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit.record(
            "invitation_accepted_by_other_address" if other_address else "invitation_accepted",
            actor=user,
            request=request,
            target=invitation.cohort,
            role=invitation.role,
            invited=invitation.email,
        )
        if other_address and invitation.invited_by_id:
            from network.tasks import tell_inviter_of_other_address

            invitation_id = invitation.pk
            transaction.on_commit(lambda: tell_inviter_of_other_address.delay(invitation_id))
    return membership


@dataclass(frozen=True)
class Invitee:
    """One person to invite, as a manager typed them or a CSV row gave them."""

    email: str
    name: str = ""
    member_type: str = ""
    agency: Agency | None = None
    title: str = ""


def _queue_invitation_email(invitation_id: int) -> None:
    from network.tasks import send_invitation

    # The moment the send was asked for lets the task tell a re-delivery (already sent after
    # it: nothing to do) from a manager's "send again" (a new moment).
    transaction.on_commit(lambda: send_invitation.delay(invitation_id, timezone.now().isoformat()))


def normalise_email(raw: str) -> str:
    """Lower-cased and checked; raises django's ValidationError when it is not an address."""
    email = raw.strip().lower()
    validate_email(email)
    return email


@transaction.atomic
def invite_people(
    *,
    cohort: Cohort,
    invitees: list[Invitee],
    invited_by: Member | None,
    role: str = Role.MEMBER,
    request: HttpRequest | None = None,
) -> tuple[list[Invitation], list[str]]:
    """Invite each person once: returns (new invitations, e-mails skipped and why).

    Someone already in the cohort or already holding an open invitation is skipped, so
    re-importing the same list creates no duplicates. Each new invitation's e-mail is queued
    after the transaction commits.
    """
    emails = {invitee.email for invitee in invitees}
    open_ones = set(
        cohort.invitations.filter(
            email__in=emails, accepted_at__isnull=True, revoked_at__isnull=True
        ).values_list("email", flat=True)
    )
    members = set(
        cohort.memberships.filter(member__user__email__in=emails).values_list(
            "member__user__email", flat=True
        )
    )
    created: list[Invitation] = []
    skipped: list[str] = []
    for invitee in invitees:
        if invitee.email in members:
            skipped.append(f"{invitee.email} is already in the cohort")
            continue
        if invitee.email in open_ones:
            skipped.append(f"{invitee.email} already has an open invitation")
            continue
        open_ones.add(invitee.email)
        invitation = Invitation.objects.create(
            cohort=cohort,
            email=invitee.email,
            name=invitee.name,
            member_type=invitee.member_type,
            agency=invitee.agency,
            title=invitee.title,
            role=role,
            invited_by=invited_by,
        )
        created.append(invitation)
        _queue_invitation_email(invitation.pk)
    if created:
        audit.record(
            "invitations_sent",
            actor=invited_by.user if invited_by else None,
            request=request,
            target=cohort,
            count=len(created),
            emails=", ".join(i.email for i in created)[:1000],
        )
    return created, skipped


def resend_invitation(*, invitation: Invitation, actor, request: HttpRequest | None = None) -> None:
    """Give the invitation a fresh expiry and send its e-mail again; used ones are left alone."""
    resend_invitations(
        invitations=Invitation.objects.filter(pk=invitation.pk), actor=actor, request=request
    )


def revoke_invitation(*, invitation: Invitation, actor, request: HttpRequest | None = None) -> None:
    """The link stops working at once; an accepted invitation cannot be revoked."""
    revoke_invitations(
        invitations=Invitation.objects.filter(pk=invitation.pk), actor=actor, request=request
    )


def _still_open(invitations: QuerySet[Invitation]) -> list[Invitation]:
    """The invitations neither used nor withdrawn, locked until the caller's transaction ends."""
    still_open = invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)
    return list(still_open.select_for_update(of=("self",)).select_related("cohort").order_by("pk"))


@transaction.atomic
def resend_invitations(
    *, invitations: QuerySet[Invitation], actor, request: HttpRequest | None = None
) -> int:
    """A fresh expiry and the e-mail again (queued after commit) for each invitation still
    open, each audited; used and withdrawn ones are left alone. The same few queries for one
    or a page of them. Returns how many were sent again."""
    chosen = _still_open(invitations)
    if not chosen:
        return 0
    Invitation.objects.filter(pk__in=[i.pk for i in chosen]).update(
        expires_at=default_invitation_expiry()
    )
    for invitation in chosen:
        _queue_invitation_email(invitation.pk)
    audit.record_each(
        "invitation_resent", actor=actor, request=request,
        entries=[(i.cohort, {"email": i.email}) for i in chosen],
    )  # fmt: skip
    return len(chosen)


@transaction.atomic
def revoke_invitations(
    *, invitations: QuerySet[Invitation], actor, request: HttpRequest | None = None
) -> int:
    """Each invitation still open stops working at once, each audited; accepted ones cannot be
    revoked. The same few queries for one or a page of them. Returns how many were revoked."""
    chosen = _still_open(invitations)
    if not chosen:
        return 0
    Invitation.objects.filter(pk__in=[i.pk for i in chosen]).update(revoked_at=timezone.now())
    audit.record_each(
        "invitation_revoked", actor=actor, request=request,
        entries=[(i.cohort, {"email": i.email}) for i in chosen],
    )  # fmt: skip
    return len(chosen)


@transaction.atomic
def mark_invitation_sent(
    *, invitation_id: int, requested_at: datetime | None = None
) -> Invitation | None:
    """Record that the e-mail goes out now; None when the invitation is no longer usable, or
    when it was already sent after ``requested_at`` (the same request run a second time).
    The row stays locked until the caller's transaction ends, so two runs cannot both send."""
    found = (
        Invitation.objects.usable()
        .select_for_update(of=("self",))
        .select_related("cohort")
        .filter(pk=invitation_id)
        .first()
    )
    if found is None:
        return None
    if requested_at is not None and found.sent_at is not None and found.sent_at >= requested_at:
        return None
    Invitation.objects.filter(pk=found.pk).update(sent_at=timezone.now())
    return found

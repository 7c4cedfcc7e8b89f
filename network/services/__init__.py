"""Every write the network app makes, by area; import them from here."""

from network.services.cohorts import (
    create_cohort,
    remove_member,
    remove_members,
    set_role,
    update_cohort,
)
from network.services.imports import (
    retry_roster_import,
    run_roster_import,
    start_roster_import,
)
from network.services.invitations import (
    InvitationInvalid,
    Invitee,
    accept_invitation,
    holds_invited_address,
    invite_people,
    mark_invitation_sent,
    normalise_email,
    open_invitation,
    resend_invitation,
    resend_invitations,
    revoke_invitation,
    revoke_invitations,
    usable_invitation,
)
from network.services.profiles import (
    add_position,
    avatar_thumbnail,
    deactivate_account,
    index_members,
    leave_government,
    link_predecessor,
    split_tags,
    update_position,
    update_profile,
)

__all__ = [
    "InvitationInvalid", "Invitee", "accept_invitation", "add_position",
    "avatar_thumbnail", "create_cohort", "deactivate_account", "holds_invited_address",
    "index_members", "invite_people",
    "leave_government", "link_predecessor", "mark_invitation_sent", "normalise_email",
    "open_invitation", "remove_member", "remove_members", "resend_invitation",
    "resend_invitations",
    "retry_roster_import", "revoke_invitation", "revoke_invitations",
    "run_roster_import", "set_role", "split_tags", "start_roster_import", "update_cohort",
    "update_position", "update_profile", "usable_invitation",
]  # fmt: skip

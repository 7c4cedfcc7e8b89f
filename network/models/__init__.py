"""Accounts, agencies, members, programs, cohorts, invitations and the audit log.

One module per idea; every name is importable from ``network.models`` as before. The migrations
name ``network.models.UserManager``, ``new_invitation_token`` and ``default_invitation_expiry``
by that path, so they stay importable here.
"""

from network.models.accounts import User, UserManager
from network.models.audit import AuditEntry, AuditEntryQuerySet
from network.models.cohorts import Cohort, CohortMembership, Program, RecordsMode, Role
from network.models.invitations import (
    IMPORT_STALLED_AFTER,
    INVITATION_SALT,
    ImportStatus,
    Invitation,
    InvitationQuerySet,
    RosterImport,
    default_invitation_expiry,
    new_invitation_token,
)
from network.models.members import (
    BIO_MAX,
    DESCRIPTION_MAX,
    Agency,
    ContactMethod,
    FieldVisibility,
    Member,
    MemberQuerySet,
    MemberType,
    Sector,
    Tag,
    Visibility,
)
from network.models.nudges import DEFAULT_NUDGE_BODY, DEFAULT_NUDGE_SUBJECT, Nudge, NudgeTemplate
from network.models.positions import Position, PositionQuerySet
from network.models.summaries import (
    CohortWeek,
    ConsoleSnapshot,
    EventTally,
    MemberDay,
    SummaryCursor,
    Tie,
)

__all__ = [
    "BIO_MAX",
    "DEFAULT_NUDGE_BODY",
    "DEFAULT_NUDGE_SUBJECT",
    "DESCRIPTION_MAX",
    "IMPORT_STALLED_AFTER",
    "INVITATION_SALT",
    "Agency",
    "AuditEntry",
    "AuditEntryQuerySet",
    "Cohort",
    "CohortMembership",
    "CohortWeek",
    "ConsoleSnapshot",
    "ContactMethod",
    "EventTally",
    "FieldVisibility",
    "ImportStatus",
    "Invitation",
    "InvitationQuerySet",
    "Member",
    "MemberDay",
    "MemberQuerySet",
    "MemberType",
    "Nudge",
    "NudgeTemplate",
    "Position",
    "PositionQuerySet",
    "Program",
    "RecordsMode",
    "Role",
    "RosterImport",
    "Sector",
    "SummaryCursor",
    "Tag",
    "Tie",
    "User",
    "UserManager",
    "Visibility",
    "default_invitation_expiry",
    "new_invitation_token",
]

from tests.matrix import LOGIN, Route, everyone, signed_in
from tests.matrix.network_setup import (
    hidden_member,
    mate_membership,
    member_position,
    member_with_picture,
    open_invitation,
    roster_import,
    team_only_member,
)

# Management pages of the member's cohort: its managers and administrators only; the cohort's
# members are refused (403) and everyone else is told it does not exist (404).
MANAGE = signed_in(403, outsider=404, other_manager=404, manager=200, admin=200)
MANAGE_POST = signed_in(403, outsider=404, other_manager=404, manager=302, admin=302)
OWN_COHORT = lambda w: {"slug": w.cohort.slug}  # noqa: E731

ROUTES = [
    Route("healthz", everyone(200)),
    Route("readyz", everyone(200)),
    Route("admin_login", everyone(LOGIN)),
    Route("network:home", signed_in(200)),
    Route("network:cohorts", signed_in(200)),
    Route(
        "network:cohort",
        signed_in(200, outsider=404, other_manager=404),
        kwargs=lambda w: {"slug": w.cohort.slug},
        case="own cohort",
    ),
    Route(
        "network:cohort",
        signed_in(404, outsider=200, other_manager=200, admin=200),
        kwargs=lambda w: {"slug": w.other_cohort.slug},
        case="other cohort",
    ),
    Route("network:cohort", signed_in(404), kwargs=lambda w: {"slug": "no-such"}, case="missing"),
    Route("network:directory", signed_in(200)),
    Route("network:member", signed_in(200), kwargs=lambda w: {"pk": w.member.pk}, case="network"),
    Route(
        "network:member",
        signed_in(404, member=200, manager=200, admin=200),
        kwargs=lambda w: {"pk": hidden_member(w).pk},
        case="hidden",
    ),
    Route(
        "network:member",
        signed_in(200, outsider=404, other_manager=404),
        kwargs=lambda w: {"pk": team_only_member(w).pk},
        case="cohorts only",
    ),
    Route("network:member", signed_in(404), kwargs=lambda w: {"pk": 999999}, case="missing"),
    Route("network:member_autocomplete", signed_in(200)),
    Route("network:own_profile", signed_in(302)),
    # Naming the previous holder of a seat: the holder, their cohorts' managers and admins.
    Route(
        "network:position_predecessor",
        signed_in(403, member=200, manager=200, admin=200),
        kwargs=lambda w: {"member_pk": w.member.pk, "pk": member_position(w).pk},
    ),
    Route(
        "network:position_predecessor",
        signed_in(404, member=200, manager=200, admin=200),
        kwargs=lambda w: {"member_pk": hidden_member(w).pk, "pk": member_position(w).pk},
        case="hidden holder",
    ),
    Route("network:avatar", signed_in(200), kwargs=lambda w: {"pk": member_with_picture(w).pk}),
    Route(
        "network:avatar",
        signed_in(404),
        kwargs=lambda w: {"pk": w.mate.pk},
        case="no picture",
    ),
    Route("network:profile_edit", signed_in(200)),
    Route("network:positions", signed_in(200)),
    Route(
        "network:position_edit",
        signed_in(404, member=200),
        kwargs=lambda w: {"pk": member_position(w).pk},
    ),
    Route("network:left_government", signed_in(302), method="post"),
    Route("network:left_government", signed_in(405), case="get"),
    Route("network:own_data", signed_in(200)),
    Route("network:own_data_archive", signed_in(200)),
    Route("network:deactivate", signed_in(200)),
    Route("network:tags", signed_in(200)),
    # Creating cohorts is for administrators and program leads, not every manager.
    Route("network:cohort_create", signed_in(403, admin=200)),
    Route("network:cohort_edit", MANAGE, kwargs=OWN_COHORT),
    Route("network:cohort_manage", MANAGE, kwargs=OWN_COHORT),
    Route("network:cohort_invite", MANAGE, kwargs=OWN_COHORT),
    Route("network:roster_export", MANAGE, kwargs=OWN_COHORT),
    Route(
        "network:roster_export",
        signed_in(404, outsider=403, other_manager=200, admin=200),
        kwargs=lambda w: {"slug": w.other_cohort.slug},
        case="other cohort",
    ),
    Route(
        "network:membership_remove",
        # Roles take turns in one world: the manager's request has already removed the
        # membership when the administrator's comes (tests/network covers an admin removing one).
        {**MANAGE_POST, "admin": 404},
        kwargs=lambda w: {"slug": w.cohort.slug, "pk": mate_membership(w).pk},
        method="post",
    ),
    Route(
        "network:membership_role",
        MANAGE_POST,
        kwargs=lambda w: {"slug": w.cohort.slug, "pk": mate_membership(w).pk},
        method="post",
    ),
    Route(
        "network:invitation_resend",
        MANAGE_POST,
        kwargs=lambda w: {"slug": w.cohort.slug, "pk": open_invitation(w).pk},
        method="post",
    ),
    Route(
        "network:invitation_revoke",
        MANAGE_POST,
        kwargs=lambda w: {"slug": w.cohort.slug, "pk": open_invitation(w).pk},
        method="post",
    ),
    Route(
        "network:import",
        MANAGE,
        kwargs=lambda w: {"slug": w.cohort.slug, "pk": roster_import(w).pk},
    ),
    Route(
        "network:import_progress",
        MANAGE,
        kwargs=lambda w: {"slug": w.cohort.slug, "pk": roster_import(w).pk},
    ),
    Route(
        "network:import_retry",
        MANAGE_POST,
        kwargs=lambda w: {"slug": w.cohort.slug, "pk": roster_import(w).pk},
        method="post",
    ),
    Route(
        "network:invitation",
        # Looking at an invitation changes nothing: signed-in people see what accepting does.
        everyone(200, anonymous=302),
        kwargs=lambda w: {"token": open_invitation(w).signed_token},
        case="valid token",
    ),
    Route(
        "network:invitation",
        everyone(404),
        kwargs=lambda w: {"token": "forged:abc"},
        case="forged token",
    ),
    # Library routes: a few that matter most, the rest are allauth's and Django's own.
    Route(
        "account_login",
        everyone(
            200, member=302, mate=302, outsider=302, manager=302, other_manager=302, admin=302
        ),
    ),
    Route(
        "account_signup",
        everyone(
            200, member=302, mate=302, outsider=302, manager=302, other_manager=302, admin=302
        ),
    ),
    Route("admin:index", everyone(302, admin=200)),
    Route("account_email", signed_in(200)),
    Route("mfa_index", signed_in(200)),
]

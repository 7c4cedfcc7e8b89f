"""The console and what hangs off it: the cohort's managers and administrators only."""

from __future__ import annotations

from tests.matrix import Route, signed_in
from tests.matrix.network_setup import roster_import

# Members of the cohort are refused (403, as on the other management pages); everyone else is
# told the cohort's console does not exist (404).
MANAGE = signed_in(403, outsider=404, other_manager=404, manager=200, admin=200)
MANAGE_POST = signed_in(403, outsider=404, other_manager=404, manager=302, admin=302)
OWN_COHORT = lambda w: {"slug": w.cohort.slug}  # noqa: E731
OWN_PROGRAM = lambda w: {"slug": w.cohort.program.slug}  # noqa: E731

ROUTES = [
    Route("network:cohort_console", MANAGE, kwargs=OWN_COHORT),
    Route(
        "network:cohort_console",
        signed_in(404, outsider=403, other_manager=200, admin=200),
        kwargs=lambda w: {"slug": w.other_cohort.slug},
        case="other cohort",
    ),
    Route("network:nudge_template", MANAGE, kwargs=OWN_COHORT),
    Route(
        "network:nudge_send",
        signed_in(403, outsider=404, other_manager=404, manager=302, admin=302),
        kwargs=OWN_COHORT,
        method="post",
    ),
    Route("network:nudge_send", signed_in(405), kwargs=OWN_COHORT, case="get"),
    Route("network:engagement_export", MANAGE, kwargs=OWN_COHORT),
    Route(
        "network:engagement_export",
        signed_in(404, outsider=403, other_manager=200, admin=200),
        kwargs=lambda w: {"slug": w.other_cohort.slug},
        case="other cohort",
    ),
    Route(
        "network:import_errors_export",
        MANAGE,
        kwargs=lambda w: {"slug": w.cohort.slug, "pk": roster_import(w).pk},
    ),
    Route("network:roster_manage", MANAGE, kwargs=OWN_COHORT),
    Route("network:invitations_manage", MANAGE, kwargs=OWN_COHORT),
    Route("network:roster_bulk", MANAGE_POST, kwargs=OWN_COHORT, method="post"),
    Route("network:invitations_bulk", MANAGE_POST, kwargs=OWN_COHORT, method="post"),
    Route("network:program_console", signed_in(404, manager=200, admin=200), kwargs=OWN_PROGRAM),
]

from tests.matrix import Route, everyone, signed_in

ROUTES = [
    Route("healthz", everyone(200)),
    Route("readyz", everyone(200)),
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

"""How each request's user is loaded: with their member profile and what the MFA rule needs, in
the same query."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from network.access import managing
from network.models import User

# Built once: building the EXISTS afresh cost every request ~0.3 ms of the ORM's time. A
# queryset is only a description of the query; each get() below runs it anew.
_USERS = User._default_manager.select_related("member").annotate(
    manages_a_cohort=Exists(managing(OuterRef("pk")))
)


class MemberBackend(ModelBackend):
    """Django's model backend, whose per-request user comes with their member profile
    (``user.member``, None-safe through network.access.member_for) and says whether they
    manage a cohort.

    Nearly every page asks for the member (and the boards' rule whether there is one): read
    here, that is no query of its own. RequireMFAMiddleware asks about managing on every
    request of a session that has not passed MFA (so a member promoted mid-session is stopped
    at once); answered here, it costs no extra query either.
    """

    def get_user(self, user_id):
        try:
            user = _USERS.get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

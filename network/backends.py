"""How each request's user is loaded: with what the MFA rule needs, in the same query."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from network.models import CohortMembership, Role, User


class MemberBackend(ModelBackend):
    """Django's model backend, whose per-request user also says whether they manage a cohort.

    RequireMFAMiddleware asks that on every request of a session that has not passed MFA (so a
    member promoted mid-session is stopped at once); answering it here costs no extra query.
    """

    def get_user(self, user_id):
        manages = CohortMembership.objects.filter(member__user=OuterRef("pk"), role=Role.MANAGER)
        try:
            user = User._default_manager.annotate(manages_a_cohort=Exists(manages)).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

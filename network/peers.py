"""Peer suggestions: visible members at other agencies who share the member's challenges."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, Value

from network import access
from network.models import Member, Tag

CHALLENGE_WEIGHT = 2  # a shared challenge says more about who to talk to than shared expertise


@dataclass(frozen=True)
class Suggestion:
    member: Member
    shared_challenges: list[str]
    shared_expertise: list[str]

    @property
    def reason(self) -> str:
        if self.shared_challenges:
            return "also working on: " + ", ".join(self.shared_challenges)
        return "shares expertise in: " + ", ".join(self.shared_expertise)


def _shared(relation: str, tag_ids: list[int]):
    # An empty IN () inside an aggregate would make Django drop the whole query, so a member
    # with no tags of one kind counts zero shared tags of that kind.
    if not tag_ids:
        return Value(0)
    return Count(relation, filter=Q(**{f"{relation}__in": tag_ids}), distinct=True)


def suggest_peers(user, member: Member, limit: int = 6) -> list[Suggestion]:
    """Ranked by shared challenge tags (counted double) and expertise tags; never the member's
    own agency or department, never a profile the user may not see. A fixed six queries."""
    challenge_ids = list(member.challenges.values_list("pk", flat=True))
    expertise_ids = list(member.expertise.values_list("pk", flat=True))
    if not challenge_ids and not expertise_ids:
        return []
    candidates = access.visible_members(user).exclude(pk=member.pk)
    if member.agency_id:
        agency = member.agency
        department = agency.parent_id or agency.pk
        candidates = candidates.exclude(agency_id=department).exclude(agency__parent_id=department)
    by_challenge = Member.challenges.through.objects.filter(tag_id__in=challenge_ids)
    by_expertise = Member.expertise.through.objects.filter(tag_id__in=expertise_ids)
    ranked = (
        candidates.filter(
            Q(pk__in=by_challenge.values("member_id")) | Q(pk__in=by_expertise.values("member_id"))
        )
        .annotate(
            n_challenges=_shared("challenges", challenge_ids),
            n_expertise=_shared("expertise", expertise_ids),
        )
        .order_by((F("n_challenges") * CHALLENGE_WEIGHT + F("n_expertise")).desc(), "name")
        .select_related("agency")
        .prefetch_related(
            Prefetch("challenges", Tag.objects.filter(pk__in=challenge_ids), to_attr="shared_c"),
            Prefetch("expertise", Tag.objects.filter(pk__in=expertise_ids), to_attr="shared_e"),
        )[:limit]
    )
    return [
        Suggestion(
            member=peer,
            shared_challenges=[tag.name for tag in peer.shared_c],
            shared_expertise=[tag.name for tag in peer.shared_e],
        )
        for peer in ranked
    ]

"""Which members match the resolved filters and the text, and how well the text matches."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, F, FloatField, IntegerField, Q, QuerySet, Value, When

from network.directory.filters import Criteria
from network.models import CohortMembership, Member


def _sql(members: QuerySet) -> tuple[str, tuple] | None:
    try:
        return members.query.sql_with_params()
    except EmptyResultSet:
        return None


def text_search(members: QuerySet[Member], q: str) -> QuerySet[Member]:
    """PostgreSQL: the stored, GIN-indexed search vector, or a name like the text (pg_trgm's
    ``<%``, GIN-indexed too) for misspelt or partial names. SQLite: every word somewhere in the
    search text or the name."""
    if connection.vendor == "postgresql":
        query = SearchQuery(q, search_type="websearch", config="english")
        return members.filter(Q(search_vector=query) | Q(name__trigram_word_similar=q))
    for word in q.split():
        members = members.filter(Q(search_text__icontains=word) | Q(name__icontains=word))
    return members


def ranked(members: QuerySet[Member], q: str) -> QuerySet[Member]:
    """The ranking of text_search: word matches first, by ts_rank (weights: name 1.0, headline
    and organisation 0.4, the rest 0.2), then names like the text, most alike first."""
    if connection.vendor != "postgresql":
        return members.annotate(matched=Value(1), rank=Value(0.0))
    query = SearchQuery(q, search_type="websearch", config="english")
    words = Q(search_vector=query)
    return members.annotate(
        matched=Case(When(words, then=1), default=0, output_field=IntegerField()),
        rank=Case(
            When(words, then=SearchRank(F("search_vector"), query)),
            default=TrigramWordSimilarity(q, "name"),
            output_field=FloatField(),
        ),
    )


def matching(members: QuerySet[Member], wanted: Criteria) -> QuerySet[Member]:
    """The members that match every filter and the text."""
    if wanted.member_type:
        members = members.filter(member_type=wanted.member_type)
    if wanted.agencies is not None:
        members = members.filter(agency_id__in=wanted.agencies)
    if wanted.cohorts is not None:
        joined = CohortMembership.objects.filter(cohort_id__in=wanted.cohorts)
        members = members.filter(pk__in=joined.values("member_id"))
    for through, slug in (
        (Member.expertise.through, wanted.expertise),
        (Member.challenges.through, wanted.challenge),
    ):
        if slug:
            members = members.filter(
                pk__in=through.objects.filter(tag__slug=slug).values_list("member_id", flat=True)
            )
    if wanted.time_zone:
        members = members.filter(time_zone=wanted.time_zone)
    return text_search(members, wanted.q) if wanted.q else members

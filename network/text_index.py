"""The directory's free text in memory (PostgreSQL): which members' search vectors hold each
word, and which names hold each trigram.

The database stays the authority on words. It turns a query into lexemes
(``websearch_to_tsquery``, the same English configuration that made the stored vectors) and
into trigrams (``show_trgm``), and it gives each member's lexemes by weight and name trigrams
when the index is built or a member changes. What it no longer does is find the members:
a common word such as "workforce" matches a sixth of the network, and finding and ranking
those rows cost 90-250 ms a search (docs/benchmarks.md), where ANDing in-memory sets costs a
few.

- **Words.** A member matches when every lexeme of the query is in their vector, as
  ``search_vector @@ query`` does. They are ranked by where each word is (name 1.0, headline or
  organisation 0.4, anywhere else 0.2: ``ts_rank``'s weights), summed over the words, then by
  name. The members of each score are found as sets, so a page needs no score per member.
- **Names like the text.** A member the words do not match is listed after those they do when
  their name is like the text (``word_similarity`` at least ``pg_trgm.word_similarity_threshold``,
  as ``<%`` decides), most alike first. The likeness is at most the share of the text's trigrams
  found in the name, so only members sharing enough trigrams are candidates; the database
  computes the likeness of those alone (usually none for a correctly spelt name: its bearers
  are matched by the words).
- **Anything else** (a quoted phrase, OR, a minus) is left to the database: ``parse`` returns
  None. A hyphenated word or a name with an apostrophe, which the parser turns into a phrase of
  its parts, is searched here as all of its parts.

Changes: members the change feed names are read again into a small overlay that masks their old
entries; past OVERLAY_LIMIT of them a fresh index is built in the background and swapped in
(MemberIndex._rebuild_words).
"""

from __future__ import annotations

import math
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection

from network.bitsets import Bits, bitset, members_of

if TYPE_CHECKING:
    from network.member_index import SortOrder

WEIGHTS = (1.0, 0.4, 0.2)  # ts_rank's defaults for weights A (name), B, C (the rest)
DENSE = 32  # a term held by more than one member in DENSE is kept as bitsets, not ids
ROWS_AT_ONCE = 2_000  # members read from the database at a time while building
OVERLAY_LIMIT = 5_000  # members re-read since the build beyond which it is built again

_LEXEME = r"'(?:[^'\\]|''|\\.)*'"
PLAIN = re.compile(rf"{_LEXEME}(?: & {_LEXEME})*")
LEXEME = re.compile(r"'((?:[^'\\]|''|\\.)*)'")
ESCAPE = re.compile(r"''|\\(.)")


@dataclass(frozen=True)
class Query:
    text: str
    words: tuple[str, ...]  # lexemes, all required
    trigrams: tuple[str, ...]
    threshold: float  # the least word_similarity for a name to count as like the text


def parse(text: str) -> Query | None:
    """The text as lexemes and trigrams; None when it is more than words to AND."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT websearch_to_tsquery('english', %s)::text, show_trgm(%s), "
            "current_setting('pg_trgm.word_similarity_threshold', true)",
            [text, text],
        )
        tsquery, trigrams, threshold = cursor.fetchone()
    if '"' not in text:
        # Unquoted, a phrase operator comes from one word the parser split (O'Brien, well-being,
        # Smith-Jones with its parts): its lexemes are required like any others.
        tsquery = tsquery.replace(" <-> ", " & ")
    if tsquery and not PLAIN.fullmatch(tsquery):
        return None
    words = (ESCAPE.sub(lambda m: m.group(1) or "'", lexeme) for lexeme in LEXEME.findall(tsquery))
    return Query(text, tuple(dict.fromkeys(words)), tuple(trigrams), float(threshold or 0.6))


def _posting(ids: list[int] | None, size: int) -> int | array:
    if not ids:
        return 0
    return bitset(ids) if len(ids) * DENSE > size else array("I", ids)


class Terms:
    """For each term (a lexeme, or a trigram), the members holding it, by class (where a word
    is: name, headline or organisation, elsewhere; trigrams have one class). A term most members
    lack is kept as an array of ids and made a bitset when searched for; a common one as a
    bitset.

    Members changed since the build are masked out of those and served from the overlay."""

    def __init__(self, postings: list[dict[str, list[int]]], size: int) -> None:
        self.classes = len(postings)
        terms = set().union(*postings)
        self.postings: dict[str, tuple[int | array, ...]] = {
            term: tuple(_posting(by_class.get(term), size) for by_class in postings)
            for term in terms
        }
        self.masked = 0
        self.fresh: dict[int, dict[str, int]] = {}  # member -> term -> class
        self.fresh_terms: dict[str, dict[int, int]] = defaultdict(dict)  # term -> member -> class

    def sets(self, term: str) -> tuple[int, ...]:
        """The members holding the term by class, each in their best class only (a word in a
        name is also in the search text)."""
        stored = self.postings.get(term) or (0,) * self.classes
        overlay: list[list[int]] = [[] for _ in range(self.classes)]
        for member_id, kind in self.fresh_terms.get(term, {}).items():
            overlay[kind].append(member_id)
        keep = ~self.masked
        sets, seen = [], 0
        for posting, fresh in zip(stored, overlay, strict=True):
            bits = posting if isinstance(posting, int) else bitset(posting)
            bits = (bits & keep | bitset(fresh)) & ~seen
            sets.append(bits)
            seen |= bits
        return tuple(sets)

    def replace(self, member_id: int, terms: dict[str, int]) -> None:
        for term in self.fresh.get(member_id, {}):
            self.fresh_terms[term].pop(member_id, None)
        self.fresh[member_id] = terms
        for term, kind in terms.items():
            self.fresh_terms[term][member_id] = kind
        self.masked |= 1 << member_id


NAME_WORD = re.compile(r"[^\W_]+")  # letters and digits: pg_trgm's words


def _word_trigrams(word: str) -> list[str]:
    padded = f"  {word} "
    return [padded[at : at + 3] for at in range(len(padded) - 2)]


def trigrams(name: str) -> set[str]:
    """pg_trgm's trigrams of an ASCII name (show_trgm): each word lower-cased and padded with two
    spaces before and one after. Other names are left to show_trgm itself (locale rules)."""
    return {t for word in NAME_WORD.findall(name.lower()) for t in _word_trigrams(word)}


def _array(ids: Iterable[int]) -> str:
    """Ids as an array literal: psycopg adapts a list of 5,000 ints in 15 ms, this in 1."""
    return "{" + ",".join(map(str, ids)) + "}"


def _rows(member_ids: Iterable[int] | None) -> Iterator[tuple]:
    """(id, lexemes weighted A, lexemes weighted B, every lexeme, name, show_trgm of a name
    that is not ASCII) per member, streamed from a server-side cursor: 100,000 members' lexemes
    as Python strings at once would take 150 MB more at the peak of a build."""
    from network.models import Member

    where, params = "", []
    if member_ids is not None:
        where, params = "WHERE id = ANY(%s::bigint[])", [_array(member_ids)]
    # The table name is the model's; the ids are a parameter.
    sql = (
        "SELECT id, tsvector_to_array(ts_filter(search_vector, '{a}')), "  # noqa: S608
        "tsvector_to_array(ts_filter(search_vector, '{b}')), tsvector_to_array(search_vector), "
        "name, CASE WHEN octet_length(name) > char_length(name) THEN show_trgm(name) END "
        f"FROM {Member._meta.db_table} {where}"
    )
    # A server-side cursor costs two more round trips: only worth it for everyone.
    opened = connection.chunked_cursor() if member_ids is None else connection.cursor()
    with opened as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(ROWS_AT_ONCE):
            yield from rows


def _name_trigrams(row: tuple) -> Iterable[str]:
    return row[5] if row[5] is not None else trigrams(row[4])


class TextIndex:
    """One process's word index: every member's lexemes (``words``, three classes) and name
    trigrams (``names``), read from the database in one pass."""

    def __init__(self) -> None:
        size = 0
        words: list[dict[str, list[int]]] = [defaultdict(list) for _ in WEIGHTS]
        grams: dict[str, list[int]] = defaultdict(list)
        # Names share words (first names, surnames): trigrams are made once per word, and
        # each trigram's members gathered from its words' members.
        word_members: dict[str, list[int]] = defaultdict(list)
        for row in _rows(None):
            size += 1
            member_id = row[0]
            for kind, by_class in enumerate(words):
                for lexeme in row[1 + kind] or ():
                    by_class[lexeme].append(member_id)
            if row[5] is not None:
                for trigram in row[5]:
                    grams[trigram].append(member_id)
            else:
                for word in NAME_WORD.findall(row[4].lower()):
                    word_members[word].append(member_id)
        for word, members in word_members.items():
            for trigram in _word_trigrams(word):
                grams[trigram].extend(members)
        self.words = Terms(words, size)
        self.names = Terms([grams], size)

    @property
    def stale(self) -> bool:
        return len(self.words.fresh) > OVERLAY_LIMIT

    def reload(self, member_ids: set[int]) -> None:
        """Reads the members again (one who is gone holds nothing)."""
        found = {row[0]: row for row in _rows(member_ids)}
        for member_id in member_ids:
            row = found.get(member_id)
            lexemes: dict[str, int] = {}
            for kind in (2, 1, 0):  # the best class written last
                for lexeme in (row[1 + kind] or ()) if row else ():
                    lexemes[lexeme] = kind
            self.words.replace(member_id, lexemes)
            self.names.replace(member_id, dict.fromkeys(_name_trigrams(row) if row else (), 0))

    def search(self, query: Query, within: int, names: SortOrder) -> Found:
        """The members of ``within`` the query finds, ranked."""
        tiers = _tiers([self.words.sets(word) for word in query.words], within)
        matched = 0
        for tier in tiers:
            matched |= tier
        similar = self._alike(query, within & ~matched, names)
        return Found(tiers, similar, matched | bitset(similar), names)

    def _alike(self, query: Query, within: int, names: SortOrder) -> list[int]:
        """Members whose name is like the text, most alike first."""
        need = math.ceil(query.threshold * len(query.trigrams) - 1e-9)
        if not query.trigrams or need <= 0:
            return []
        # at_least[n]: the members holding at least n of the trigrams seen so far.
        at_least = [within] + [0] * need
        for trigram in query.trigrams:
            (held,) = self.names.sets(trigram)
            for n in range(need, 0, -1):
                at_least[n] |= at_least[n - 1] & held
        # Asked even for no candidates: a page's queries are the same however many it finds.
        candidates = at_least[need]
        from network.models import Member

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, word_similarity(%s, name) "  # noqa: S608
                f"FROM {Member._meta.db_table} WHERE id = ANY(%s::bigint[]) AND %s <%% name",
                [query.text, _array(members_of(candidates)), query.text],
            )
            rows = cursor.fetchall()
        entry = names.entry_of
        rows.sort(key=lambda row: (-row[1], entry.get(row[0], ("",))[0], row[0]))
        return [row[0] for row in rows]


def _tiers(per_word: list[tuple[int, ...]], within: int) -> list[int]:
    """The members holding every word, grouped by score (the sum of each word's best class
    weight), highest first. Only combinations some member has are walked."""
    if not per_word:
        return []
    scores: dict[float, int] = defaultdict(int)

    def walk(at: int, bits: int, score: float) -> None:
        if not bits:
            return
        if at == len(per_word):
            scores[round(score, 6)] |= bits
            return
        for kind, members in enumerate(per_word[at]):
            walk(at + 1, bits & members, score + WEIGHTS[kind])

    walk(0, within, 0.0)
    return [scores[score] for score in sorted(scores, reverse=True)]


@dataclass
class Found:
    """A search's matches: the word matches by score, then names like the text."""

    tiers: list[int]
    similar: list[int]
    bits: int
    names: SortOrder

    def page(self, hits: int, total: int, start: int, size: int) -> list[int]:
        """Members start to start + size of ``hits`` (a subset of ``bits``), best first."""
        found: list[int] = []
        for tier in self.tiers:
            tier &= hits
            count = tier.bit_count()
            if start >= count:
                start -= count
                continue
            found += self.names.page(tier, count, start, size - len(found))
            start = 0
            if len(found) == size:
                return found
        inside = Bits(hits)
        rest = [member_id for member_id in self.similar if member_id in inside]
        return found + rest[start : start + size - len(found)]

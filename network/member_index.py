"""The directory's index in memory: for every facet value, the set of members that have it.

Each process holds one bitset (a Python int: bit n is member n) per member type, agency, time
zone, tag and cohort, and for the active whole-network and cohort-only profiles. A viewer's
visible members, a search's filters and the count of the results by each facet value are then
ANDs, ORs and popcounts: ~250 of them take 2-4 ms for 100,000 members, where the same counts in
PostgreSQL took 30-800 ms (docs/benchmarks.md). It also keeps every member in each order the
directory sorts by, so that a page of results is found without the database.

The index is built from the database when a process first needs it, and kept current by a change
feed: every change that can move a count appends the affected members to the feed, straight away
and again after commit (so that a reader who reloaded them before the commit reloads them again).
Before each use a process reads the entries it has not seen (one Redis round trip) and reloads
only those members; rows are always re-read from the database, so applying an entry twice, or
for a change that was rolled back, is harmless. The feed lives in the cache's Redis as a list
that starts with its own epoch token. When the list is lost (a flush, an eviction, a restart) or
grows past FEED_LIMIT it starts again under a new token, and every process then rebuilds once.
With a cache other than Redis (the embedded default, one process) the feed is kept in memory.

On PostgreSQL, free-text words are found in a word index held beside this one
(network.text_index: each lexeme's and each name trigram's members), built on the first search
and kept current from the same feed. A text that is more than words (a phrase, OR, a minus), and
every text on SQLite, is searched in the database and its matches kept per text, with their
ranks, patched for the members the feed names rather than searched again.
"""

from __future__ import annotations

import gc
import heapq
import logging
import threading
import unicodedata
import uuid
from bisect import bisect_left, bisect_right, insort
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import F, FloatField, Func, Q, signals

from network import text_index
from network.bitsets import Bits, bitset, bytes_of, members_of

if TYPE_CHECKING:
    from network.directory import AgencyTree

log = logging.getLogger(__name__)

REBUILD = "*"
VOCABULARY = "v"  # tag names changed
EPOCH_KEY = "directory:feed:epoch"
LIST_PREFIX = "directory:feed:list:"
FEED_LIMIT = 10_000  # entries, after which the feed starts again and every process rebuilds
RELOAD_LIMIT = 2_000  # members changed at once beyond which a rebuild is cheaper
TEXT_MATCHES_KEPT = 200_000  # matches of remembered texts per process (~30 MB)
BLOCK = 512  # entries of a sort order per block (SortOrder)
CHANGES_KEPT = 1_000  # reloads remembered for patching those searches

Key = tuple


def _seconds(moment: float | datetime) -> float:
    return moment.timestamp() if isinstance(moment, datetime) else moment


def name_key(name: str) -> str:
    """Alphabetical order for people's names: case and accents aside (Élise with Elise)."""
    if name.isascii():
        return name.casefold()
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class SortOrder:
    """Every member in one order, kept sorted as members change (bisect, not a re-sort).

    The order is cut into blocks of about BLOCK entries by key range, each with the bitset of
    its members, so that a page of a large result set skips the blocks before it with an AND
    and a popcount each and walks only the entries of the blocks it is in. Walking from the
    start instead cost up to 30 ms where the results gather late in the order (all the Okafors
    under each first name)."""

    def __init__(self) -> None:
        self.entry_of: dict[int, tuple] = {}
        self.entries: list[tuple] = []
        self.bounds: list[tuple] = []  # each block's first key, as the blocks were cut
        self.blocks: list[bytearray] = []
        self.sizes: list[int] = []
        self._ints: dict[int, int] = {}

    def fill(self, entries: Iterable[tuple]) -> None:
        self.entries = sorted(entries)
        self.entry_of = {entry[-1]: entry for entry in self.entries}
        self._cut()

    def _cut(self) -> None:
        starts = range(0, len(self.entries), BLOCK)
        self.bounds = [self.entries[at] for at in starts]
        self.blocks = [bytes_of(e[-1] for e in self.entries[at : at + BLOCK]) for at in starts]
        self.sizes = [min(BLOCK, len(self.entries) - at) for at in starts]
        self._ints = {}

    def _block(self, entry: tuple) -> int:
        return max(0, bisect_right(self.bounds, entry) - 1)

    def remove(self, member_id: int) -> None:
        entry = self.entry_of.pop(member_id, None)
        if entry is not None:
            del self.entries[bisect_left(self.entries, entry)]
            block = self._block(entry)
            self.blocks[block][member_id >> 3] &= ~(1 << (member_id & 7)) & 0xFF
            self.sizes[block] -= 1
            self._ints.pop(block, None)

    def put(self, entry: tuple) -> None:
        member_id = entry[-1]
        self.remove(member_id)
        self.entry_of[member_id] = entry
        insort(self.entries, entry)
        if not self.bounds:
            self._cut()
            return
        block = self._block(entry)
        data = self.blocks[block]
        if member_id >> 3 >= len(data):
            data.extend(bytes((member_id >> 3) + 1 - len(data)))
        data[member_id >> 3] |= 1 << (member_id & 7)
        self.sizes[block] += 1
        self._ints.pop(block, None)
        if self.sizes[block] > 4 * BLOCK:  # new members all sort first in the newest order
            self._cut()

    def _bits(self, block: int) -> int:
        value = self._ints.get(block)
        if value is None:
            value = self._ints[block] = int.from_bytes(self.blocks[block], "little")
        return value

    def page(self, hits: int, total: int, start: int, size: int) -> list[int]:
        """Members start to start + size of the bitset, in this order."""
        wanted = start + size
        if wanted * len(self.entries) >= total * total:
            # Few: sort just them.
            ranked = heapq.nsmallest(wanted, members_of(hits), key=self.entry_of.__getitem__)
            return ranked[start:]
        # Many: skip whole blocks, then walk the entries of the blocks the page is in.
        found: list[int] = []
        seen = 0
        for block, bound in enumerate(self.bounds):
            inside = hits & self._bits(block)
            count = inside.bit_count()
            if seen + count <= start:
                seen += count
                continue
            low = bisect_left(self.entries, bound) if block else 0
            high = (
                bisect_left(self.entries, self.bounds[block + 1])
                if block + 1 < len(self.bounds)
                else len(self.entries)
            )
            members = Bits(inside)
            for entry in self.entries[low:high]:
                if entry[-1] in members:
                    if seen >= start:
                        found.append(entry[-1])
                        if len(found) == size:
                            return found
                    seen += 1
        return found


@dataclass
class TextHits:
    """The members whose profile matches a text, ordered by (-rank, name key, id): what the
    database found for a text the word index leaves to it (text_index.parse)."""

    serial: int
    bits: int
    ranked: SortOrder

    def page(self, hits: int, total: int, start: int, size: int) -> list[int]:
        return self.ranked.page(hits, total, start, size)


class MemberIndex:
    """One process's index: the bitsets (``sets``, as bytearrays that change in place, read as
    ints through ``bits``), the sort orders, the tag names and agency tree, the remembered text
    matches, and where in the feed it stands (``position``)."""

    def __init__(self, position: tuple[str, int] | None) -> None:
        self.position = position
        self.sets: dict[Key, bytearray] = {}
        self._ints: dict[Key, int] = {}
        self.orders = {"name": SortOrder(), "newest": SortOrder(), "agency": SortOrder()}
        self.tree: AgencyTree
        self.tags: dict[int, tuple[str, str]] = {}
        self.tag_ids: dict[str, int] = {}
        self.serial = 0
        self.changes: list[tuple[int, frozenset[int]]] = []
        self.texts: OrderedDict[str, TextHits] = OrderedDict()
        self.words: text_index.TextIndex | None = None
        # While a fresh word index is built in the background: the members re-read meanwhile,
        # to be read into it before it replaces the old one.
        self.rebuilding: set[int] | None = None
        self.rebuild_thread: threading.Thread | None = None

    # Reading ----------------------------------------------------------------------------------

    def bits(self, key: Key) -> int:
        value = self._ints.get(key)
        if value is None:
            stored = self.sets.get(key)
            value = int.from_bytes(stored, "little") if stored else 0
            self._ints[key] = value
        return value

    def any_of(self, keys: Iterable[Key]) -> int:
        found = 0
        for key in keys:
            found |= self.bits(key)
        return found

    def keys(self, kind: str) -> list[Key]:
        return [key for key in self.sets if key[0] == kind]

    def text_hits(self, text: str, within: int) -> TextHits | text_index.Found:
        """Members matching the text, best first. On PostgreSQL, words are found in memory
        (network.text_index, built on the first search). Other texts, and every text on SQLite,
        are searched in the database once per process and then patched for changes."""
        if connection.vendor == "postgresql":
            query = text_index.parse(text)
            if query is not None:
                return self.word_index().search(query, within, self.orders["name"])
        hits = self.texts.get(text)
        if hits is not None:
            self.texts.move_to_end(text)
            changed = self._changed_since(hits.serial)
            if changed is None:
                hits = None
            elif changed:
                self._patch(hits, text, changed)
        if hits is None:
            ranked = SortOrder()
            ranked.fill(self._ranked(_text_rows(text)))
            hits = TextHits(self.serial, bitset(ranked.entry_of), ranked)
            self.texts[text] = hits
            kept = sum(len(older.ranked.entries) for older in self.texts.values())
            while kept > TEXT_MATCHES_KEPT and len(self.texts) > 1:
                kept -= len(self.texts.popitem(last=False)[1].ranked.entries)
        return hits

    def word_index(self) -> text_index.TextIndex:
        if self.words is None:
            with _collector_paused():
                self.words = text_index.TextIndex()
        return self.words

    def _rebuild_words(self) -> None:
        """Builds a word index without the overlay in a thread, while searches go on with this
        one (right, only larger and a little slower), then swaps it in after reading into it
        the members changed meanwhile: no search waits seconds for the build."""
        self.rebuilding = set()

        def build() -> None:
            try:
                with _collector_paused():
                    fresh = text_index.TextIndex()
                with _index_lock:
                    fresh.reload(self.rebuilding)
                    self.words = fresh
            finally:
                with _index_lock:
                    self.rebuilding = None

        self.rebuild_thread = _in_background(
            build, "word index not rebuilt; the overlay keeps serving"
        )

    def _ranked(self, rows: list[tuple[float, int]]) -> list[tuple[float, str, int]]:
        """(-rank, name key, id): equal ranks in name order, the name from the name order."""
        names = self.orders["name"].entry_of
        return [(rank, names.get(pk, ("",))[0], pk) for rank, pk in rows]

    def _changed_since(self, serial: int) -> set[int] | None:
        if serial == self.serial:
            return set()
        if not self.changes or self.changes[0][0] > serial + 1:
            return None  # older than what is remembered
        changed: set[int] = set()
        for at, ids in self.changes:
            if at > serial:
                changed |= ids
        return changed

    def _patch(self, hits: TextHits, text: str, changed: set[int]) -> None:
        fresh = self._ranked(_text_rows(text, changed))
        for member_id in changed:
            hits.ranked.remove(member_id)
        for entry in fresh:
            hits.ranked.put(entry)
        hits.bits = (hits.bits & ~bitset(changed)) | bitset(entry[-1] for entry in fresh)
        hits.serial = self.serial

    # Writing ----------------------------------------------------------------------------------

    def _add(self, key: Key, member_id: int) -> None:
        data = self.sets.get(key)
        if data is None:
            data = self.sets[key] = bytearray()
        at = member_id >> 3
        if at >= len(data):
            data.extend(bytes(at + 1 - len(data)))
        data[at] |= 1 << (member_id & 7)
        self._ints.pop(key, None)

    def _clear(self, member_ids: Iterable[int]) -> None:
        for member_id in member_ids:
            at, mask = member_id >> 3, 1 << (member_id & 7)
            for key, data in self.sets.items():
                if at < len(data) and data[at] & mask:
                    data[at] &= ~mask & 0xFF
                    self._ints.pop(key, None)

    def load_vocabulary(self) -> None:
        """Tag names, and the agencies with their parents and names."""
        from network.directory import AgencyTree
        from network.models import Tag

        self.tree = AgencyTree()
        self.tags = {
            pk: (slug, name) for pk, slug, name in Tag.objects.values_list("pk", "slug", "name")
        }
        self.tag_ids = {slug: pk for pk, (slug, _) in self.tags.items()}

    def _sort_entries(self, rows: list[tuple]) -> dict[str, list[tuple]]:
        """Each member's place in each order, ending with their id (the tie-break). Keys are
        made once per name, agency and organisation: 100,000 copies of an agency's name would
        be most of the index's memory."""
        folded: dict[str, str] = {}

        def key(text: str) -> str:
            if text not in folded:
                folded[text] = name_key(text)
            return folded[text]

        entries: dict[str, list[tuple]] = {sort: [] for sort in self.orders}
        for row in rows:
            pk, name = row[0], name_key(row[6])
            entries["name"].append((name, pk))
            entries["newest"].append((-_seconds(row[7]), pk))
            # By agency, then organisation, then name; members with no agency last.
            agency = self.tree.by_id.get(row[2])
            where = (0, key(agency[2])) if agency else (1, "")
            entries["agency"].append((*where, key(row[8] or ""), name, pk))
        return entries

    def load(self, member_ids: Iterable[int] = (), user_ids: Iterable[int] = ()) -> None:
        """Reads the given members (all when none are given) from the database."""
        from network.models import Member, Role, Visibility

        member_ids, user_ids = set(member_ids), set(user_ids)
        everyone = not member_ids and not user_ids
        members = Member.objects.order_by()
        if not everyone:
            members = members.filter(Q(pk__in=member_ids) | Q(user_id__in=user_ids))
        if connection.vendor == "postgresql":  # converting 100,000 datetimes took a second
            joined = Func(
                "user__date_joined",
                template="EXTRACT(EPOCH FROM %(expressions)s)::float8",
                output_field=FloatField(),
            )
        else:
            joined = F("user__date_joined")
        rows = list(
            members.values_list(
                "pk",
                "member_type",
                "agency_id",
                "time_zone",
                "visibility",
                "user__is_active",
                "name",
                joined,
                "organisation",
            )
        )
        found = [row[0] for row in rows]
        entries = self._sort_entries(rows)
        if everyone:
            for sort, order in self.orders.items():
                order.fill(entries[sort])
        else:
            self._clear(member_ids | set(found))
            for sort, order in self.orders.items():
                for member_id in member_ids - set(found):
                    order.remove(member_id)
                for entry in entries[sort]:
                    order.put(entry)
        groups: dict[Key, list[int]] = defaultdict(list)
        for pk, member_type, agency_id, time_zone, visibility, is_active, *_ in rows:
            groups["type", member_type].append(pk)
            groups["agency", agency_id].append(pk)
            groups["tz", time_zone].append(pk)
            if is_active:
                groups["active",].append(pk)
                if visibility == Visibility.NETWORK:
                    groups["network",].append(pk)
                elif visibility == Visibility.COHORTS:
                    groups["cohorts",].append(pk)
        for kind, member_id, value, role in member_links(None if everyone else found):
            groups[kind, value].append(member_id)
            if role == Role.MANAGER:
                groups["manages", value].append(member_id)
        for key, ids in groups.items():
            if everyone:
                self.sets[key] = bytes_of(ids)
            else:
                for member_id in ids:
                    self._add(key, member_id)
        if not everyone:
            if self.words is not None:
                self.words.reload(member_ids | set(found))
                if self.rebuilding is not None:
                    self.rebuilding |= member_ids | set(found)
                elif self.words.stale:
                    self._rebuild_words()
            self.serial += 1
            self.changes.append((self.serial, frozenset(member_ids | set(found))))
            del self.changes[:-CHANGES_KEPT]

    def apply(self, entries: list[str]) -> bool:
        """Applies feed entries; False when only a rebuild will do."""
        if REBUILD in entries:
            return False
        member_ids = {int(entry[2:]) for entry in entries if entry.startswith("m:")}
        user_ids = {int(entry[2:]) for entry in entries if entry.startswith("u:")}
        if len(member_ids) + len(user_ids) > RELOAD_LIMIT:
            return False
        if VOCABULARY in entries:
            self.load_vocabulary()
        if member_ids or user_ids:
            self.load(member_ids, user_ids)
        return True


def member_links(member_ids: list[int] | None) -> list[tuple[str, int, int, str]]:
    """(kind, member, tag or cohort, role) for the members' challenges, expertise and cohorts
    (everyone's for None), in one plain query: three ORM queries cost twice as much."""
    from network.models import CohortMembership, Member

    where, params = "", []
    if member_ids is not None:
        if not member_ids:
            return []
        where = f"WHERE member_id IN ({', '.join(['%s'] * len(member_ids))})"
        params = list(member_ids)
    # Only table names and placeholders are formatted in; the ids are parameters.
    tables = (
        ("challenge", "tag_id", "''", Member.challenges.through._meta.db_table),
        ("expertise", "tag_id", "''", Member.expertise.through._meta.db_table),
        ("cohort", "cohort_id", "role", CohortMembership._meta.db_table),
    )
    parts = [
        f"SELECT '{kind}', member_id, {column}, {role} FROM {table} {where}"  # noqa: S608
        for kind, column, role, table in tables
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params * len(parts))
        return cursor.fetchall()


def _text_rows(text: str, only: Iterable[int] | None = None) -> list[tuple[float, int]]:
    """(-rank, id) of the members matching the text, read through a plain cursor: Django's
    per-value converters cost as much as the search for a text that matches thousands."""
    from network.directory import text_search
    from network.models import Member

    members = Member.objects.order_by()
    if only is not None:
        members = members.filter(pk__in=list(only))
    matches = text_search(members, text).values_list("rank", "pk")
    try:
        sql, params = matches.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(-float(rank or 0), pk) for rank, pk in cursor.fetchall()]


# The feed -----------------------------------------------------------------------------------

APPEND = """
local function fresh()
  local t = redis.call('TIME')
  local epoch = t[1] .. '.' .. t[2] .. '.' .. ARGV[3]
  redis.call('SET', KEYS[1], epoch)
  redis.call('DEL', ARGV[1] .. epoch)
  redis.call('RPUSH', ARGV[1] .. epoch, epoch)
  return epoch
end
local epoch = redis.call('GET', KEYS[1])
if not epoch or redis.call('LINDEX', ARGV[1] .. epoch, 0) ~= epoch then
  epoch = fresh()
end
local n = redis.call('LLEN', ARGV[1] .. epoch)
if #ARGV > 3 then
  n = redis.call('RPUSH', ARGV[1] .. epoch, unpack(ARGV, 4))
end
if n > tonumber(ARGV[2]) then
  redis.call('DEL', ARGV[1] .. epoch)
  epoch = fresh()
  n = 1
end
return {epoch, n}
"""

SINCE = """
local epoch = redis.call('GET', KEYS[1])
if epoch ~= ARGV[2] or redis.call('LINDEX', ARGV[1] .. epoch, 0) ~= epoch then
  return false
end
return redis.call('LRANGE', ARGV[1] .. epoch, ARGV[3], -1)
"""


class RedisFeed:
    """The feed as a Redis list: [epoch token, entry, entry, ...]."""

    def __init__(self, client) -> None:
        self.client = client
        self._append = client.register_script(APPEND)
        self._since = client.register_script(SINCE)

    def append(self, entries: list[str]) -> tuple[str, int]:
        epoch, length = self._append(
            keys=[EPOCH_KEY], args=[LIST_PREFIX, FEED_LIMIT, uuid.uuid4().hex[:8], *entries]
        )
        return epoch.decode(), int(length)

    def position(self) -> tuple[str, int]:
        return self.append([])

    def since(self, position: tuple[str, int]) -> list[str] | None:
        epoch, length = position
        entries = self._since(keys=[EPOCH_KEY], args=[LIST_PREFIX, epoch, length])
        if entries is None:
            return None
        return [entry.decode() for entry in entries]


class LocalFeed:
    """The feed in this process's memory, for caches other than Redis (one process). Its epoch
    is kept in the cache, so that clearing the cache (as tests do) rebuilds the index."""

    def __init__(self) -> None:
        self.epoch = ""
        self.entries: list[str] = []

    def append(self, entries: list[str]) -> tuple[str, int]:
        epoch = cache.get(EPOCH_KEY)
        if epoch is None or epoch != self.epoch or len(self.entries) >= FEED_LIMIT:
            epoch = self.epoch = uuid.uuid4().hex
            cache.set(EPOCH_KEY, epoch, timeout=None)
            self.entries = []
        self.entries.extend(entries)
        return epoch, len(self.entries)

    def position(self) -> tuple[str, int]:
        return self.append([])

    def since(self, position: tuple[str, int]) -> list[str] | None:
        epoch, length = position
        if epoch != self.epoch or cache.get(EPOCH_KEY) != epoch:
            return None
        return self.entries[length:]


_feed = None
_feed_lock = threading.Lock()


def feed() -> RedisFeed | LocalFeed:
    global _feed
    with _feed_lock:
        if _feed is None:
            backend = settings.CACHES["default"]["BACKEND"]
            if backend == "django.core.cache.backends.redis.RedisCache":
                import redis

                _feed = RedisFeed(redis.Redis.from_url(settings.CACHES["default"]["LOCATION"]))
            else:
                _feed = LocalFeed()
        return _feed


# The process's index ------------------------------------------------------------------------

_index: MemberIndex | None = None
# Held while the index is brought up to date and while a search reads it (re-entrant: a search
# holding it brings the index up to date first).
_index_lock = threading.RLock()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """For building an index: the garbage collector would otherwise run again and again over
    the millions of objects a build makes (a quarter of a word index's build time), and
    afterwards walk the long-lived ones in every full collection (~10 ms more each). Those hold
    no cycles: a replaced index is freed by reference counting all the same, so they are
    frozen out of its sight."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def build(position: tuple[str, int] | None) -> MemberIndex:
    index = MemberIndex(position)
    with _collector_paused():
        index.load_vocabulary()
        index.load()
    return index


@contextmanager
def using() -> Iterator[MemberIndex]:
    """This process's index, up to date, held for the caller alone (a thread of the server
    could otherwise apply changes to it halfway through another's search)."""
    with _index_lock:
        yield current()


def current() -> MemberIndex:
    """This process's index, brought up to date with the feed.

    Without the feed (Redis unreachable) changes cannot be seen, so an index is built from the
    database for this use only: slow, but never showing a profile that has just been hidden.
    """
    global _index
    with _index_lock:
        try:
            source = feed()
            entries = source.since(_index.position) if _index is not None else None
            if entries is not None and _index.apply(entries):
                _index.position = (_index.position[0], _index.position[1] + len(entries))
                return _index
            # Where the feed stands is read before the database: an entry appended meanwhile is
            # applied on the next use, never lost.
            _index = build(source.position())
            return _index
        except Exception:
            log.warning(
                "directory feed unavailable; building the index for this request", exc_info=True
            )
            _index = None
            return build(None)


def warm_in_background() -> threading.Thread:
    """Builds this process's index (and on PostgreSQL its word index) in a thread as the server
    starts, so that the first directory pages do not wait for it: 5-8 s for 100,000 members
    (docs/benchmarks.md). A page asked for meanwhile waits for the lock, not for a second
    build."""

    def warm() -> None:
        with using() as index:
            if connection.vendor == "postgresql":
                index.word_index()

    return _in_background(warm, "directory index not built at start")


def _in_background(work, failure: str) -> threading.Thread:
    """Runs an index build in a daemon thread with its own database connection, closed after;
    a failure is logged (the searches go on with what they have)."""

    def run() -> None:
        try:
            work()
        except Exception:
            log.warning(failure, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=run, name="directory-index", daemon=True)
    thread.start()
    return thread


def changed(entries: list[str]) -> None:
    """Records a change now and again after commit (module docstring)."""
    _append(entries)
    transaction.on_commit(lambda: _append(entries))


def _append(entries: list[str]) -> None:
    try:
        feed().append(entries)
    except Exception:  # Redis down: readers cannot read the feed either and build afresh
        log.warning("directory feed unavailable", exc_info=True)


# What counts as a change --------------------------------------------------------------------


def _member_saved(sender, instance, **kwargs) -> None:
    changed([f"m:{instance.pk}"])


def _membership_saved(sender, instance, **kwargs) -> None:
    changed([f"m:{instance.member_id}"])


def _user_saved(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields and set(update_fields) <= {"last_login", "password"}:
        return  # every sign-in saves the user; nothing the directory counts has changed
    changed([f"u:{instance.pk}"])


def _vocabulary_saved(sender, instance, **kwargs) -> None:
    changed([VOCABULARY])


def _agency_saved(sender, instance, **kwargs) -> None:
    changed([REBUILD])  # its name places its members in the agency order


def _vocabulary_deleted(sender, instance, **kwargs) -> None:
    changed([REBUILD])  # a tag's links, or an agency's members, change without signals


def _tags_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:
        changed([f"m:{instance.pk}"])
    elif pk_set is None:
        changed([REBUILD])  # a tag's members cleared: who they were is no longer known
    else:
        changed([f"m:{pk}" for pk in pk_set])


def connect_receivers() -> None:
    """Any change to who is listed, their type, agency, zone, tags or cohorts moves a count."""
    from django.contrib.auth import get_user_model

    from network.models import Agency, CohortMembership, Member, Tag

    for model, receiver in (
        (Member, _member_saved),
        (CohortMembership, _membership_saved),
        (get_user_model(), _user_saved),
    ):
        signals.post_save.connect(receiver, sender=model, dispatch_uid=f"index-{model}")
        signals.post_delete.connect(receiver, sender=model, dispatch_uid=f"index-d-{model}")
    for model, saved in ((Tag, _vocabulary_saved), (Agency, _agency_saved)):
        signals.post_save.connect(saved, sender=model, dispatch_uid=f"index-{model}")
        signals.post_delete.connect(
            _vocabulary_deleted, sender=model, dispatch_uid=f"index-d-{model}"
        )
    for through in (Member.challenges.through, Member.expertise.through):
        signals.m2m_changed.connect(_tags_changed, sender=through, dispatch_uid=f"index-{through}")

"""Small bounded memos that keep what is used.

:class:`Recent` keeps two generations of a dict. Entries go into the young
generation; when it is full it becomes the old one and a new young one starts. A hit
in the old generation is copied back into the young one, so entries in use survive
and the rest are dropped a generation later. Memory stays within two generations,
and a hit costs one or two dict lookups.

:class:`Clock` keeps one dict of distinct entries and drops, when full, one not used
since the last round (second chance). It keeps more of what a batch uses for the
same number of distinct entries, and remembers JSON Lines rows by their text.

:func:`row_text` keeps the outputs' texts of a row on the row itself.
"""

from __future__ import annotations

import operator
import os
from collections import deque
from typing import TYPE_CHECKING, Final, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable

    from perfscore.model import Indicator
    from perfscore.scoring import Outcome

__all__ = ["MEMO_SIZE", "ByIdentities", "Clock", "PerObject", "Recent", "row_text"]

MEMO_SIZE: Final = max(16, int(os.environ.get("PERFSCORE_MEMO", "12288") or "12288"))
"""Entries per generation of the row memos (``PERFSCORE_MEMO`` in the environment).

A :class:`Recent` memo holds up to two generations; the :class:`Clock` of JSON Lines
rows holds 1.25 × as many rows, about as many distinct rows as two generations hold
at once. The default fills within the first few thousand tables of a batch, so memory
stays flat from there on; a larger memo keeps more distinct rows and is faster on
batches with many of them, at the cost of memory that grows until it is full
(docs/performance.md measures both)."""

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class Recent(Generic[K, V]):
    """Remembers up to ``2 × size`` recently used entries.

    >>> memo: Recent[str, int] = Recent(2)
    >>> memo.put("a", 1); memo.put("b", 2); memo.put("c", 3)
    >>> memo.get("a"), memo.get("c"), memo.get("z")
    (1, 3, None)
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.young: dict[K, V] = {}
        self.old: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        """The value remembered for ``key``, or ``None``."""
        value = self.young.get(key)
        if value is None:
            value = self.old.get(key)
            if value is not None:
                self.put(key, value)
        return value

    def put(self, key: K, value: V) -> None:
        """Remember ``value`` for ``key``."""
        if len(self.young) >= self.size:
            self.old = self.young
            self.young = {}
        self.young[key] = value


class Clock(Generic[K, V]):
    """Remembers up to ``size`` entries, dropping first those not used lately.

    The entries stand in a ring, oldest first, and those used since the ring last
    came round are marked (``used``). To make room, the ring's head is dropped if it
    is not marked, or unmarked and sent to the back (a second chance). Unlike
    :class:`Recent`, whose used entries are copied into each new generation and crowd
    it, every place holds a distinct entry.

    A dict or set that loses keys one by one keeps their slots, and Python rebuilds
    it larger once they run out; so after every third of ``size`` drops, the dict
    and the set are copied at the size they need (memory stays flat).

    A hit costs a lookup and a mark, which a caller can make in C for many keys at
    once: ``map(memo.entries.get, keys)``, ``memo.used.update(keys)`` (read both
    attributes afresh after a ``put``: it may replace them).

    >>> memo: Clock[str, int] = Clock(2)
    >>> memo.put("a", 1); memo.put("b", 2); memo.get("a")
    1
    >>> memo.put("c", 3)  # full: "b", not used since it came, goes; "a" stays
    >>> memo.get("a"), memo.get("b"), memo.get("c")
    (1, None, 3)
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: dict[K, V] = {}
        self.used: set[K] = set()
        self._ring: deque[K] = deque()
        self._dropped = 0

    def get(self, key: K) -> V | None:
        """The value remembered for ``key`` (marked as used), or ``None``."""
        value = self.entries.get(key)
        if value is not None:
            self.used.add(key)
        return value

    def put(self, key: K, value: V) -> None:
        """Remember ``value`` for ``key``, first dropping an entry not used lately if full."""
        entries = self.entries
        if key in entries:
            entries[key] = value
            return
        ring, used = self._ring, self.used
        while len(entries) >= self.size:
            oldest = ring.popleft()
            if oldest in used:
                used.discard(oldest)
                ring.append(oldest)
            else:
                del entries[oldest]
                self._dropped += 1
        if self._dropped * 3 >= self.size:  # compact before the tables grow
            self._dropped = 0
            self.entries = entries = dict(entries)
            self.used = set(used)
        entries[key] = value
        ring.append(key)


class ByIdentities(Generic[T, V]):
    """Values computed from a few objects (funds rows), remembered by their identities.

    Each entry keeps its objects and is checked against them, so an identity is never
    confused with a later object's. The tuple of objects itself is also looked up by
    identity first (tables read from the same text share it). ``None`` is a value like
    any other.

    >>> memo: ByIdentities[list[int], int] = ByIdentities(4)
    >>> rows = ([1], [2])
    >>> memo.value(rows, "万元", lambda: 3), memo.value(rows, "万元", lambda: 4)
    (3, 3)
    >>> memo.value((rows[0], rows[1]), "万元", lambda: 5), memo.value(([1], [2]), "万元", lambda: 6)
    (3, 6)
    """

    def __init__(self, size: int) -> None:
        self._memo: Recent[tuple[tuple[int, ...], Hashable], tuple[tuple[T, ...], V]] = Recent(size)
        self._by_tuple: Recent[tuple[int, Hashable], tuple[tuple[T, ...], V]] = Recent(size)

    def value(self, objects: tuple[T, ...], extra: Hashable, compute: Callable[[], V]) -> V:
        """The value for these very objects and ``extra``, computed on first use."""
        whole = (id(objects), extra)
        hit = self._by_tuple.young.get(whole)
        if hit is not None and hit[0] is objects:
            return hit[1]
        key = (tuple(map(id, objects)), extra)
        hit = self._memo.get(key)
        if hit is not None and all(map(operator.is_, hit[0], objects)):
            value = hit[1]  # equal keys: as many objects, so checking them pairwise suffices
        else:
            value = compute()
            self._memo.put(key, (objects, value))
        self._by_tuple.put(whole, (objects, value))
        return value


class PerObject(Generic[T, V]):
    """A value made for each object in use (a profile), the few most recent kept.

    >>> lengths: PerObject[str, int] = PerObject(len, kept=2)
    >>> lengths("abc")
    3
    """

    def __init__(self, make: Callable[[T], V], *, kept: int = 8) -> None:
        self.make = make
        self.kept = kept
        self.made: dict[int, tuple[T, V]] = {}
        self.last: tuple[T, V] | None = None  # the entry used last (it keeps its object)

    def __call__(self, key: T) -> V:
        """The value for this very object, made on first use."""
        last = self.last
        if last is not None and last[0] is key:  # the same object again: a batch's case
            return last[1]
        hit = self.made.get(id(key))
        if hit is None or hit[0] is not key:
            hit = (key, self.make(key))
            if len(self.made) >= self.kept:
                del self.made[next(iter(self.made))]
            self.made[id(key)] = hit
        self.last = hit
        return hit[1]


def row_text(
    row: Indicator, outcome: Outcome, key: Hashable, make: Callable[[Indicator, Outcome], str]
) -> str:
    """A text of a row and its outcome, made by ``make`` once and kept on the row.

    Outputs write the same rows again and again across a batch (CSV columns, JSON
    members); each kind of text has its ``key``. The row keeps its texts for the
    outcome they were made from, as ``(outcome, key, text, key, text, ...)``, a batch
    usually needing one kind; another outcome (another profile) starts anew.
    """
    kept = row._texts  # noqa: SLF001 - the row's cache slot for output texts
    if kept[0] is outcome:
        for at in range(1, len(kept), 2):
            if kept[at] == key:
                text: str = kept[at + 1]
                return text
        text = make(row, outcome)
        object.__setattr__(row, "_texts", (*kept, key, text))
        return text
    text = make(row, outcome)
    object.__setattr__(row, "_texts", (outcome, key, text))
    return text

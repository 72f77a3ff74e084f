"""The one cache of a run: work already done, remembered by value.

A batch repeats itself: the same cell texts, the same rows, the same funds blocks come
back table after table. A :class:`Memo` remembers what reading, scoring, the audit and
the outputs worked out, so that a repeat costs a lookup. It is the only place
perfscore keeps such work: domain values hold none (a row is its cells, nothing
more), and every entry is keyed by the values the work was computed from (cell texts,
a profile, a row), never by an object's identity, so an entry can only be used for
work it is the answer to.

One memo serves one run: :mod:`perfscore.batch` and the command line make one per run
(and one per worker process) and pass it to :func:`~perfscore.scoring.score`,
:func:`~perfscore.audit.audit`, the readers and the writers. Without one, each call
works everything out afresh; the results are the same.

>>> from perfscore import audit, load, score
>>> tables = load("examples/changji-2023")
>>> memo = Memo()
>>> cards = [score(table, profile="changji-2023", memo=memo) for table in tables]
>>> [str(card.total) for card in cards][:3]
['70.00', '100.00', '100.00']
>>> cards == [score(table, profile="changji-2023") for table in tables]
True

Work is kept in *scopes*, one for each kind of work and what it depends on beyond its
key (a profile): ``memo.scope("score", profile)``. Each scope holds at most two
generations of ``size`` entries (see :class:`Recent`), so memory stays bounded
whatever the batch; a memo keeps the :data:`SCOPES_KEPT` scopes used last.

Keys are values *as written*: perfscore's values compare by what they mean (the cell
``20`` equals ``20.00``, a profile holding ``Decimal("20")`` one holding
``Decimal("20.0")``), but work that quotes them (an explanation, a finding, an output)
must quote each as it was written. So the work on a row is keyed by the row and its
texts (:attr:`~perfscore.model.Indicator.cell_texts`), and a scope by what it depends
on and its ``repr``, which spells every value exactly.
"""

from __future__ import annotations

import operator
import os
from collections import deque
from typing import TYPE_CHECKING, Final, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable

__all__ = ["MEMO_SIZE", "Memo", "Recent"]

MEMO_SIZE: Final = max(16, int(os.environ.get("PERFSCORE_MEMO", "12288") or "12288"))
"""Entries per generation of a memo's scopes (``PERFSCORE_MEMO`` in the environment).

A scope holds up to two generations. The default fills within the first few thousand
tables of a batch, so memory stays flat from there on; a larger memo keeps more
distinct rows and is faster on batches with many of them, at the cost of memory that
grows until it is full (docs/performance.md measures both)."""

SCOPES_KEPT: Final = 16
"""Scopes a memo keeps (kinds of work × profiles in use); the oldest goes first."""

_RECENT_SCOPES: Final = 4

K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """Remembers up to ``2 × size`` recently used entries.

    Entries go into the young generation; when it is full it becomes the old one and
    a new young one starts. A hit in the old generation is copied back into the young
    one, so entries in use survive and the rest are dropped a generation later. A hit
    costs one or two dict lookups. ``None`` is never remembered (it means "not
    known").

    >>> memo: Recent[str, int] = Recent(2)
    >>> memo.put("a", 1); memo.put("b", 2); memo.put("c", 3)
    >>> memo.get("a"), memo.get("c"), memo.get("z")
    (1, 3, None)
    """

    __slots__ = ("old", "size", "young")

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

    def older(self, key: K) -> V | None:
        """The value remembered for ``key`` in the old generation only, or ``None``.

        For a caller that has just looked in ``young`` itself (a dict's ``get``, the
        fastest lookup there is) and missed: a hit is copied into the young generation,
        as :meth:`get` does.

        >>> memo: Recent[str, int] = Recent(1)
        >>> memo.put("a", 1); memo.put("b", 2)  # "a" is old now
        >>> memo.young.get("a"), memo.older("a"), memo.young.get("a")
        (None, 1, 1)
        """
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

    def recall(self, key: K, compute: Callable[[], V]) -> V:
        """The value remembered for ``key``, computed and remembered on first use.

        >>> memo: Recent[str, int] = Recent(4)
        >>> memo.recall("abc", lambda: 3), memo.recall("abc", lambda: 4)
        (3, 3)
        """
        value = self.get(key)
        if value is None:
            value = compute()
            self.put(key, value)
        return value


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

    >>> memo: Clock[str, int] = Clock(2)
    >>> memo.put("a", 1); memo.put("b", 2); memo.get("a")
    1
    >>> memo.put("c", 3)  # full: "b", not used since it came, goes; "a" stays
    >>> memo.get("a"), memo.get("b"), memo.get("c")
    (1, None, 3)
    """

    __slots__ = ("_dropped", "_ring", "entries", "size", "used")

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


class Memo:
    """Work one run has done, remembered by value, in scopes.

    Args:
        size: entries per generation of each scope (default :data:`MEMO_SIZE`).

    >>> memo = Memo(size=4)
    >>> lengths = memo.scope("length")
    >>> lengths.recall("三级指标", lambda: len("三级指标"))
    4
    >>> memo.scope("length") is lengths
    True
    """

    __slots__ = ("_recent", "_scopes", "size")

    def __init__(self, size: int = MEMO_SIZE) -> None:
        self.size = size
        self._scopes: dict[tuple[tuple[Hashable, ...], tuple[str, ...]], Recent[Hashable, object]]
        self._scopes = {}
        # The scopes used last, looked through before the dict: comparing the same
        # profile object again is an identity check, hashing a profile is not.
        self._recent: list[tuple[tuple[Hashable, ...], Recent[Hashable, object]]] = []

    def scope(self, *depends_on: Hashable) -> Recent[Hashable, object]:
        """The entries for one kind of work and what it depends on (a profile).

        The values are compared as written, not the objects: an equal profile loaded
        twice finds the same scope, one spelling a number otherwise (``20.0`` for
        ``20``) another.

        >>> from decimal import Decimal
        >>> memo = Memo()
        >>> memo.scope("x", Decimal("20")) is memo.scope("x", Decimal("20"))
        True
        >>> memo.scope("x", Decimal("20")) is memo.scope("x", Decimal("20.0"))
        False
        """
        for key, scope in self._recent:  # the same objects again: a run's common case
            if len(key) == len(depends_on) and all(map(operator.is_, key, depends_on)):
                return scope
        spelled = (depends_on, tuple(map(repr, depends_on)))
        found = self._scopes.get(spelled)
        if found is None:
            if len(self._scopes) >= SCOPES_KEPT:
                del self._scopes[next(iter(self._scopes))]
            found = self._scopes[spelled] = Recent(self.size)
        self._recent = [(depends_on, found), *self._recent[: _RECENT_SCOPES - 1]]
        return found

    def __repr__(self) -> str:
        """The memo's size and how much it holds."""
        held = sum(len(scope.young) + len(scope.old) for scope in self._scopes.values())
        return f"Memo(size={self.size}, scopes={len(self._scopes)}, entries={held})"

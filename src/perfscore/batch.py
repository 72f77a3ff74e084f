"""Batches at pipeline speed: stream tables in, score or audit them, in input order.

:func:`iter_tables` reads files, directories, JSON arrays, JSON Lines (``.jsonl``, one
table per line) and CSV without holding more than one file's worth of text (a JSON
Lines file or a large JSON array not even that: one table at a time).
:func:`score_many` and :func:`audit_many` score or audit any iterable of tables and
yield the results in input order; with ``jobs`` above 1 the work is spread over
processes, still in order, with a bounded number of tables in flight.

>>> from perfscore import get_profile
>>> cards = score_many(iter_tables("examples/changji-2023"), profile=get_profile("changji-2023"))
>>> [str(card.total) for card in cards][:3]
['70.00', '100.00', '100.00']
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeVar

from perfscore.auditing import audit
from perfscore.errors import InvalidTable, NoTablesFoundError, TableFormatError
from perfscore.loader import decode_json, find_files, read_bytes
from perfscore.profiles import Profile, resolve_profile
from perfscore.scoring import score
from perfscore.tableformat import table_from_dict

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from perfscore.auditing import AuditReport
    from perfscore.model import Table
    from perfscore.scoring import Scorecard

__all__ = ["Source", "audit_many", "default_jobs", "iter_sources", "iter_tables", "score_many"]

Source = tuple[str, int, "Table"]
"""A table with where it came from: ``(file, index in the file, table)``."""

_STREAM_ABOVE: Final = 8 << 20  # JSON files larger than this are read table by table
_CHUNK: Final = 1 << 20
_SUFFIXES: Final = frozenset({".json", ".jsonl", ".csv"})
T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """The machine's cores available to this process (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


# ---------------------------------------------------------------------------------
# Reading


def iter_sources(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
) -> Iterator[Source]:
    """Every table under ``paths``, with its file and position, read as needed.

    Args:
        paths: a path or several: files (``.json``, ``.jsonl``, ``.csv``), directories
            (searched recursively for those) or glob patterns.

    Raises:
        NoTablesFoundError: a path holds no table file.
        TableFormatError: a file is not the format (raised when that file is reached;
            the tables before it have been yielded).
    """
    for path in [paths] if isinstance(paths, str | os.PathLike) else paths:
        files = list(_table_files(path))
        if not files:
            raise NoTablesFoundError(str(path), "no .json, .jsonl or .csv table files found")
        for file in files:
            yield from _read_file(file)


def iter_tables(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
) -> Iterator[Table]:
    """Every table under ``paths`` (see :func:`iter_sources`), one at a time.

    >>> next(iter_tables("examples/changji-2023")).name
    '昌吉回族自治州工业和信息化局'
    """
    return (table for _, _, table in iter_sources(paths))


def _table_files(path: str | os.PathLike[str]) -> list[Path]:
    candidate = Path(path)
    if candidate.is_dir():
        return sorted(
            p for p in candidate.rglob("*") if p.suffix.lower() in _SUFFIXES and p.is_file()
        )
    return find_files(path)


def _read_file(file: Path) -> Iterator[Source]:
    name = str(file)
    suffix = file.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_lines(file)
    elif suffix == ".json" and file.stat().st_size > _STREAM_ABOVE:
        yield from _read_array(file)
    else:
        for index, table in enumerate(read_bytes(file.read_bytes(), source=name)):
            yield name, index, table


def _problem(source: str, problem: str) -> TableFormatError:
    return TableFormatError(source, [InvalidTable("", problem, source=source)])


def _read_lines(file: Path) -> Iterator[Source]:
    """A JSON Lines file: one table object per line; blank lines are skipped."""
    name = str(file)
    with file.open("rb") as stream:
        index = 0
        for number, raw in enumerate(stream, start=1):
            line = raw.removeprefix(b"\xef\xbb\xbf") if number == 1 else raw
            if not line.strip():
                continue
            source = f"{name}:{number}"
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as error:
                raise _problem(source, f"not UTF-8 text (byte {error.start})") from None
            data = decode_json(text, source=source)
            if not isinstance(data, dict):
                raise _problem(source, "a JSON Lines file holds one table object per line")
            yield name, index, table_from_dict(data, source=source)
            index += 1


_DECODER: Final = json.JSONDecoder(parse_float=Decimal, parse_int=Decimal)


def _read_array(file: Path) -> Iterator[Source]:
    """A large JSON file, decoded one array element at a time."""
    name = str(file)
    with file.open("r", encoding="utf-8-sig") as stream:
        buffer = stream.read(_CHUNK)
        position = _skip(buffer, 0)
        if buffer[position : position + 1] != "[":
            # One big object: read it whole.
            buffer += stream.read()
            yield from (
                (name, index, t) for index, t in enumerate(read_bytes(buffer.encode(), source=name))
            )
            return
        position += 1
        index = 0
        ended = False
        while True:
            position = _skip(buffer, position)
            if buffer[position : position + 1] == "]":
                return
            try:
                data, end = _DECODER.raw_decode(buffer, position)
            except json.JSONDecodeError:
                more = "" if ended else stream.read(_CHUNK)
                if not more:
                    ended = True
                    decode_json(buffer[position:], source=f"{name}[{index}]")  # raises
                    raise _problem(name, "not valid JSON") from None
                buffer = buffer[position:] + more
                position = 0
                continue
            yield name, index, table_from_dict(data, source=f"{name}[{index}]")
            index += 1
            position = _skip(buffer, end)
            if buffer[position : position + 1] == ",":
                position += 1
            if position > _CHUNK:
                buffer, position = buffer[position:], 0
            if len(buffer) - position < _CHUNK // 2 and not ended:
                more = stream.read(_CHUNK)
                ended = not more
                buffer = buffer[position:] + more
                position = 0


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


# ---------------------------------------------------------------------------------
# Scoring and auditing many


def score_many(
    tables: Iterable[Table],
    *,
    profile: str | Path | Profile = "mof-2020",
    jobs: int = 1,
) -> Iterator[Scorecard]:
    """Score tables one by one, yielding scorecards in input order.

    Args:
        tables: any iterable of tables; read lazily.
        profile: as for :func:`perfscore.score`.
        jobs: processes to spread the work over (1: this process).
    """
    rules = resolve_profile(profile)
    return _map(_Score(rules), tables, jobs=jobs)


def audit_many(
    tables: Iterable[Table],
    *,
    profile: str | Path | Profile = "mof-2020",
    jobs: int = 1,
) -> Iterator[AuditReport]:
    """Audit tables one by one, yielding reports in input order (see :func:`score_many`)."""
    rules = resolve_profile(profile)
    return _map(_Audit(rules), tables, jobs=jobs)


class _Score:
    """Scores a table under a fixed profile (a picklable callable for worker processes)."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def __call__(self, table: Table) -> Scorecard:
        return score(table, profile=self.profile)


class _Audit:
    """Audits a table under a fixed profile (a picklable callable for worker processes)."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def __call__(self, table: Table) -> AuditReport:
        return audit(table, profile=self.profile)


def _apply(function: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [function(item) for item in chunk]


def _map(function: Callable[[T], R], items: Iterable[T], *, jobs: int) -> Iterator[R]:
    """``map`` in input order, over ``jobs`` processes, with bounded work in flight."""
    if jobs <= 1:
        yield from map(function, items)
        return
    iterator = iter(items)
    size = 64
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending = []
        for _ in range(jobs * 2):
            chunk = list(islice(iterator, size))
            if not chunk:
                break
            pending.append(pool.submit(_apply, function, chunk))
        while pending:
            done = pending.pop(0)
            chunk = list(islice(iterator, size))
            if chunk:
                pending.append(pool.submit(_apply, function, chunk))
            yield from done.result()

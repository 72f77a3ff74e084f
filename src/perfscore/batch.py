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

import heapq
import json
import operator
import os
import sys
import uuid
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from contextlib import suppress
from decimal import Context, Decimal
from functools import partial
from itertools import islice, tee
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Final, Literal, TextIO, TypeAlias, TypeVar, cast

import attrs

from perfscore._values import value_repr
from perfscore.audit import AuditReport, BatchSummary, audit, repeats_target, total_gap
from perfscore.errors import InvalidTable, NoTablesFoundError, PerfscoreError, TableFormatError
from perfscore.findings import SEVERITIES
from perfscore.io.csv import iter_csv
from perfscore.io.files import (
    NONE_FOUND,
    FileId,
    find_files,
    iter_bytes,
    json_line_table,
    read_bytes,
    unseen,
)
from perfscore.io.json import JSON_DECODER, decode_json, table_from_dict
from perfscore.memo import Memo
from perfscore.profiles import Profile, resolve_profile
from perfscore.scoring import Scorecard, score

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from perfscore.findings import Finding, Severity
    from perfscore.model import JSONValue, Table
    from perfscore.scoring import FundsScore, Outcome

__all__ = [
    "Source",
    "Tally",
    "audit_many",
    "default_jobs",
    "iter_sources",
    "iter_tables",
    "score_many",
    "summarize",
]

Source = tuple[str, int, "Table"]
"""A table with where it came from: ``(file, index in the file, table)``."""

_STREAM_ABOVE: Final = 8 << 20  # JSON files larger than this are read table by table
_CHUNK: Final = 1 << 20
T = TypeVar("T")
R = TypeVar("R")


def input_size(files: Iterable[Path | PerfscoreError | None]) -> int:
    """The total size in bytes of the files of :func:`input_files` (others count 0)."""
    total = 0
    for file in files:
        if isinstance(file, Path):
            with suppress(OSError):
                total += file.stat().st_size
    return total


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
    *,
    memo: Memo | None = None,
) -> Iterator[Source]:
    """Every table under ``paths``, with its file and position, read as needed.

    Args:
        paths: a path or several: files (``.json``, ``.jsonl``, ``.csv``), directories
            (searched recursively for those) or glob patterns.
        memo: the run's :class:`~perfscore.memo.Memo` (a new one if not given): rows
            repeated across the tables are read once.

    Raises:
        NoTablesFoundError: a path holds no table file.
        TableFormatError: a file is not the format (raised when that file is reached;
            the tables before it have been yielded).
    """
    memo = Memo() if memo is None else memo
    for path in [paths] if isinstance(paths, str | os.PathLike) else paths:
        files = list(find_files(path))
        if not files:
            raise NoTablesFoundError(str(path), NONE_FOUND)
        for file in files:
            yield from _ahead(_read_file(file, memo))


def iter_tables(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    memo: Memo | None = None,
) -> Iterator[Table]:
    """Every table under ``paths`` (see :func:`iter_sources`), one at a time.

    >>> next(iter_tables("examples/changji-2023")).name
    '昌吉回族自治州工业和信息化局'
    """
    return (table for _, _, table in iter_sources(paths, memo=memo))


def _read_file(file: Path, memo: Memo) -> Iterator[Source]:
    name = str(file)
    suffix = file.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_lines(file, memo)
    elif suffix == ".json" and file.stat().st_size > _STREAM_ABOVE:
        yield from _read_array(file, memo)
    elif suffix == ".csv" and file.is_file():
        with file.open("rb") as stream:
            for index, item in enumerate(iter_csv(stream, source=name, memo=memo)):
                if isinstance(item, TableFormatError):
                    raise item
                yield name, index, item
    else:
        for index, table in enumerate(read_bytes(file.read_bytes(), source=name, memo=memo)):
            yield name, index, table


def _problem(source: str, problem: str) -> TableFormatError:
    return TableFormatError(source, [InvalidTable("", problem, source=source)])


def _read_lines(file: Path, memo: Memo) -> Iterator[Source]:
    """A JSON Lines file: one table object per line; blank lines are skipped."""
    name = str(file)
    for index, (number, line) in enumerate(_numbered_lines(file)):
        yield name, index, json_line_table(line, file=name, number=number, memo=memo)


# Tables are read a few dozen ahead, then handed over: reading and scoring (or
# auditing) then each run a while without evicting the other's data from the
# processor's caches, which made scoring a batch about 15% faster.
_READ_AHEAD: Final = 64


def _ahead(items: Iterator[T], size: int = _READ_AHEAD) -> Iterator[T]:
    """The items, ``size`` at a time: each group is read, then handed over.

    An error while reading is raised after the items read before it are handed over,
    as reading one at a time would.
    """
    while True:
        chunk: list[T] = []
        try:
            chunk.extend(islice(items, size))
        except Exception:
            yield from chunk
            raise
        yield from chunk
        if len(chunk) < size:
            return


def _read_array(file: Path, memo: Memo) -> Iterator[Source]:
    """A large JSON file, decoded one array element at a time."""
    name = str(file)
    for index, data in enumerate(_array_items(file)):
        yield name, index, table_from_dict(data, source=f"{name}[{index}]", memo=memo)


def _array_items(file: Path) -> Iterator[JSONValue]:
    """The elements of a JSON array in a file, decoded one at a time."""
    name = str(file)
    with file.open("r", encoding="utf-8-sig") as stream:
        reader = _Buffer(stream)
        reader.skip()
        if reader.peek() != "[":
            # One big object: read it whole.
            yield decode_json(reader.rest(), source=name)
            return
        reader.position += 1
        index = 0
        while True:
            reader.skip()
            character = reader.peek()
            if character == "]":
                return
            if character == ",":
                reader.position += 1
                continue
            if not character:
                raise _problem(name, "not valid JSON (the array is not closed)")
            try:
                data, end = JSON_DECODER.raw_decode(reader.text, reader.position)
            except json.JSONDecodeError:
                if reader.ended:
                    decode_json(reader.text[reader.position :], source=f"{name}[{index}]")
                    raise _problem(name, "not valid JSON") from None  # pragma: no cover
                reader.fill()
                continue
            except (ValueError, RecursionError):
                decode_json(reader.text[reader.position :], source=f"{name}[{index}]")
                raise  # pragma: no cover - decode_json raised already
            yield data
            index += 1
            reader.position = end


class _Buffer:
    """A window on a text stream that is refilled as decoding moves along."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.text = ""
        self.position = 0
        self.ended = False
        self.fill()

    def fill(self) -> None:
        """Drop what has been read and append the next chunk."""
        more = self.stream.read(_CHUNK)
        self.ended = not more
        self.text = self.text[self.position :] + more
        self.position = 0

    def skip(self) -> None:
        """Move past white space, reading on as needed."""
        while True:
            self.position = _skip(self.text, self.position)
            if self.position < len(self.text) or self.ended:
                return
            self.fill()

    def peek(self) -> str:
        """The next character, or ``""`` at the end."""
        return self.text[self.position : self.position + 1]

    def rest(self) -> str:
        """Everything from here to the end of the stream."""
        return self.text[self.position :] + self.stream.read()


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


# ---------------------------------------------------------------------------------
# Units of work: raw input, decoded where the work is done


@attrs.frozen
class Unit:
    """A piece of input to decode and process in one go (in any process).

    Attributes:
        file: the file it comes from (``<stdin>`` for standard input).
        start: the position in the file of its first table.
        kind: ``bytes`` (a whole JSON file's or a stream's bytes), ``range`` (lines
            of a JSON Lines file, read from the file by whoever processes the unit),
            ``dicts`` (tables of a large JSON array, already decoded), ``items``
            (tables of a CSV file, already read, or their errors) or ``refused`` (an
            input that could not be read at all: the payload is the error).
        payload: the bytes; for ``range``, the offset and length in bytes and the
            number of the first line; the decoded tables; the tables; or the error.
        number: the file's number among the inputs (from 1), and ``files`` their count.
    """

    __repr__ = value_repr

    file: str
    start: int
    kind: Literal["bytes", "range", "dicts", "items", "refused"]
    payload: (
        bytes | tuple[int, int, int] | tuple[JSONValue, ...] | tuple[Item, ...] | PerfscoreError
    )
    number: int = 1
    files: int = 1


Item: TypeAlias = "Table | PerfscoreError"
"""What a unit yields at each position: a table, or why the input there was refused."""


def input_files(
    paths: Iterable[str], *, exclude: Iterable[FileId] = ()
) -> list[Path | NoTablesFoundError | None]:
    """The files to read for ``paths``, in order, each once; ``None`` stands for stdin.

    A path that holds nothing (or cannot be searched) is there as its error, in its
    place, so that a batch reports it where it stands and goes on.

    Args:
        paths: files, directories, glob patterns, or ``-`` for standard input.
        exclude: identities of files never to read (the command's own output).
    """
    seen: set[FileId] = set(exclude)
    files: list[Path | NoTablesFoundError | None] = []
    for path in paths:
        if path == "-":
            files.append(None)
            continue
        problems: list[NoTablesFoundError] = []
        try:
            found = find_files(path, problems=problems)
        except NoTablesFoundError as error:
            files.append(error)
            continue
        if not found and not problems:
            problems.append(NoTablesFoundError(path, NONE_FOUND))
        files.extend(problems)
        files.extend(unseen(found, seen))  # a file met through another path is read once
    return files


def iter_units(
    paths: Iterable[str],
    *,
    per_unit: int = 1024,
    stdin: BinaryIO | None = None,
    files: list[Path | NoTablesFoundError | None] | None = None,
) -> Iterator[Unit]:
    """The input cut into units of work: a file, or ``per_unit`` tables of a long one.

    ``-`` reads ``stdin`` (standard input by default). ``files`` gives the files
    already found (see :func:`input_files`); else they are found from ``paths``. A
    path or file that cannot be read is a ``refused`` unit in its place.
    """
    if files is None:
        files = input_files(paths)
    for number, file in enumerate(files, start=1):
        if isinstance(file, NoTablesFoundError):
            yield Unit(file.path, 0, "refused", file, number, len(files))
        elif file is None:
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield Unit("<stdin>", 0, "bytes", stream.read(), number, len(files))
        else:
            try:
                yield from _file_units(file, per_unit, number, len(files))
            except OSError as error:  # unreadable, or gone since it was found
                refused = NoTablesFoundError(str(file), _os_reason(error))
                yield Unit(str(file), 0, "refused", refused, number, len(files))


def _os_reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _file_units(file: Path, per_unit: int, number: int, files: int) -> Iterator[Unit]:
    if file.suffix.lower() == ".jsonl" and file.is_file():
        yield from _line_units(file, per_unit, number, files)
    elif file.suffix.lower() == ".json" and file.is_file() and file.stat().st_size > _STREAM_ABOVE:
        start = 0
        try:
            for chunk in _batched(_array_items(file), per_unit):
                yield Unit(str(file), start, "dicts", tuple(chunk), number, files)
                start += len(chunk)
        except TableFormatError as error:
            yield Unit(str(file), start, "refused", error, number, files)
    elif file.suffix.lower() == ".csv" and file.is_file():
        with file.open("rb") as stream:
            start = 0
            for chunk in _batched(iter_csv(stream, source=str(file)), per_unit):
                yield Unit(str(file), start, "items", tuple(chunk), number, files)
                start += len(chunk)
    else:  # a file read whole, or a named pipe
        yield Unit(str(file), 0, "bytes", file.read_bytes(), number, files)


def unit_tables(unit: Unit, *, memo: Memo | None = None) -> Iterator[tuple[int, Item]]:
    """The tables of a unit, with their positions in the file (read a few dozen ahead).

    A table that cannot be read is its error, in its place, and reading goes on
    with the next (the next line of a JSON Lines file, the next element of an
    array); an input that cannot be read at all is one error. Rows are read with
    ``memo``, the run's (in a worker, the worker's: see :func:`run_memo`).
    """
    return _ahead(_unit_tables(unit, Memo() if memo is None else memo))


def _unit_tables(unit: Unit, memo: Memo) -> Iterator[tuple[int, Item]]:
    if unit.kind == "refused":
        assert isinstance(unit.payload, PerfscoreError)  # noqa: S101 - the kind says so
        yield unit.start, unit.payload
    elif unit.kind == "bytes":
        assert isinstance(unit.payload, bytes)  # noqa: S101 - the kind says so
        items = iter_bytes(unit.payload, source=unit.file, memo=memo)
        yield from enumerate(items, start=unit.start)
    elif unit.kind == "range":
        offset, length, first = cast("tuple[int, int, int]", unit.payload)  # the kind says
        with Path(unit.file).open("rb") as stream:
            stream.seek(offset)
            lines = _table_lines(enumerate(_range_lines(stream, length), start=first))
            for position, (number, line) in enumerate(lines, start=unit.start):
                yield position, _line_item(line, unit.file, number, memo)
    elif unit.kind == "items":
        yield from enumerate(cast("tuple[Item, ...]", unit.payload), start=unit.start)
    else:
        for offset, data in enumerate(cast("tuple[JSONValue, ...]", unit.payload)):
            index = unit.start + offset
            try:
                yield index, table_from_dict(data, source=f"{unit.file}[{index}]", memo=memo)
            except TableFormatError as error:
                yield index, error


def _line_item(line: bytes, file: str, number: int, memo: Memo) -> Item:
    try:
        return json_line_table(line, file=file, number=number, memo=memo)
    except TableFormatError as error:
        return error


def _range_lines(stream: BinaryIO, length: int) -> Iterator[bytes]:
    """The lines in the next ``length`` bytes of a stream, as iterating a file gives them.

    They are read one at a time, as a file is read line by line: a unit's lines made
    all at once (a megabyte of them) left memory fragmented as the batch went on.
    """
    while length > 0 and (line := stream.readline(length)):
        length -= len(line)
        yield line


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


_READ_BYTES: Final = 1 << 20


def _line_units(file: Path, per_unit: int, number: int, files: int) -> Iterator[Unit]:
    """``per_unit`` tables of a JSON Lines file at a time, as ranges of its bytes.

    Only where each unit ends is worked out here (a search per line, no copies);
    whoever processes a unit reads its lines from the file, so a worker process is
    sent a few numbers, not the lines.
    """
    name = str(file)
    start, unit_offset, first_line = 0, 0, 1  # the unit's first table, byte and line
    base, line_number, tables = 0, 1, 0  # the block's offset; the next line; tables so far
    with file.open("rb") as stream:
        while block := stream.read(_READ_BYTES):
            end = len(block)
            if end == _READ_BYTES:  # stop after the block's last whole line
                end = block.rfind(b"\n") + 1
                if end:
                    stream.seek(base + end)
                else:  # one line longer than the block
                    block += stream.readline()
                    end = len(block)
            at = 0
            while at < end:
                line_end = block.find(b"\n", at, end) + 1 or end
                # A line opening with "{" holds a table; any other is looked at closely.
                if block[at] == _BRACE or _holds_table(block[at:line_end], line_number):
                    tables += 1
                at = line_end
                line_number += 1
                if tables == per_unit:
                    offset = base + at
                    payload = (unit_offset, offset - unit_offset, first_line)
                    yield Unit(name, start, "range", payload, number, files)
                    start, tables = start + tables, 0
                    unit_offset, first_line = offset, line_number
            base += end
    if tables:
        payload = (unit_offset, base - unit_offset, first_line)
        yield Unit(name, start, "range", payload, number, files)


_BRACE: Final = ord("{")


def _holds_table(line: bytes, number: int) -> bool:
    """Whether a JSON Lines line holds a table: it is not blank (nor a lone BOM)."""
    if number == 1:
        line = line.removeprefix(_BOM)
    return bool(line) and not line.isspace()


def _table_lines(numbered: Iterable[tuple[int, bytes]]) -> Iterator[tuple[int, bytes]]:
    """The numbered lines that hold a table, the first line's byte order mark removed."""
    for number, line in numbered:
        text = line.removeprefix(_BOM) if number == 1 else line
        if text and not text.isspace():  # _holds_table, inline: once per line of a batch
            yield number, text


_BOM: Final = b"\xef\xbb\xbf"


def _numbered_lines(file: Path) -> Iterator[tuple[int, bytes]]:
    with file.open("rb") as stream:
        yield from _table_lines(enumerate(stream, start=1))


# ---------------------------------------------------------------------------------
# Scoring and auditing many


def score_many(
    tables: Iterable[Table],
    *,
    profile: str | Path | Profile = "mof-2020",
    jobs: int = 1,
) -> Iterator[Scorecard]:
    """Score tables one by one, yielding scorecards in input order.

    Each scorecard holds the very table it was given (``card.table is table``), with
    one process or many.

    Args:
        tables: any iterable of tables; read lazily.
        profile: as for :func:`perfscore.score`.
        jobs: processes to spread the work over (1: this process). Tables are pickled
            to the workers and the scores back (not the tables again), which costs
            more than scoring tables whose rows repeat; for files, the command line's
            ``--jobs`` (workers that read their own input) is the faster way.
    """
    rules = resolve_profile(profile)
    if jobs <= 1:
        return map(partial(score, profile=rules, memo=Memo()), tables)
    return _score_parts(tables, rules, jobs)


# Tables sent to a worker at a time. Rows shared by tables are pickled once per task,
# so larger tasks send much less: 10,000 synthetic tables scored over two processes
# took 1.52 s in tasks of 64, 1.04 s of 256 and 0.67 s of 1,024.
_TABLES_PER_TASK: Final = 1024


def _score_parts(tables: Iterable[Table], rules: Profile, jobs: int) -> Iterator[Scorecard]:
    # The workers' results are a scorecard's parts; the table is the caller's own
    # (tee keeps the tables in flight, a bounded number: see map_ordered).
    sent, kept = tee(tables)
    results = map_ordered(_ScoreParts(rules), sent, jobs=jobs, size=_TABLES_PER_TASK)
    for table, parts in zip(kept, results, strict=True):
        yield Scorecard(table, rules, *parts)


def audit_many(
    tables: Iterable[Table],
    *,
    profile: str | Path | Profile = "mof-2020",
    jobs: int = 1,
) -> Iterator[AuditReport]:
    """Audit tables one by one, yielding reports in input order (see :func:`score_many`)."""
    rules = resolve_profile(profile)
    if jobs <= 1:
        return map(partial(audit, profile=rules, memo=Memo()), tables)
    return _audit_parts(tables, rules, jobs)


def _audit_parts(tables: Iterable[Table], rules: Profile, jobs: int) -> Iterator[AuditReport]:
    sent, kept = tee(tables)
    results = map_ordered(_AuditParts(rules), sent, jobs=jobs, size=_TABLES_PER_TASK)
    for table, (funds, outcomes, total, grade, findings) in zip(kept, results, strict=True):
        yield AuditReport(Scorecard(table, rules, funds, outcomes, total, grade), findings)


# A scorecard without its table and profile: funds, outcomes, total, grade; with
# the findings, an audit report.
_CardParts: TypeAlias = tuple["FundsScore | None", "tuple[Outcome, ...]", "Decimal", str]
_ReportParts: TypeAlias = tuple[
    "FundsScore | None", "tuple[Outcome, ...]", "Decimal", str, "tuple[Finding, ...]"
]


class _ScoreParts:
    """A worker's scoring: the scorecard's parts, for the caller to put with its table."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.run = new_run()

    def __call__(self, table: Table) -> _CardParts:
        card = score(table, profile=self.profile, memo=run_memo(self.run))
        return card.funds, card.outcomes, card.total, card.grade


class _AuditParts:
    """A worker's audit: the scorecard's parts and the findings."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.run = new_run()

    def __call__(self, table: Table) -> _ReportParts:
        report = audit(table, profile=self.profile, memo=run_memo(self.run))
        card = report.scorecard
        return card.funds, card.outcomes, card.total, card.grade, report.findings


# ---------------------------------------------------------------------------------
# Runs and their memos


def new_run() -> str:
    """A name for a new run, the same in every process it is sent to."""
    return uuid.uuid4().hex


_RUN_MEMOS: dict[str, Memo] = {}


def run_memo(run: str) -> Memo:
    """This process's :class:`~perfscore.memo.Memo` for a run, made on first use.

    A run's work is sent to worker processes as pickled callables, task after task;
    each process keeps one memo for the run it is working for (a new run's replaces
    it), so a worker remembers across the tasks of its run what it has read, scored,
    audited and rendered.
    """
    memo = _RUN_MEMOS.get(run)
    if memo is None:
        _RUN_MEMOS.clear()
        memo = _RUN_MEMOS[run] = Memo()
    return memo


def _apply(function: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [function(item) for item in chunk]


def map_ordered(
    function: Callable[[T], R], items: Iterable[T], *, jobs: int, size: int = 64
) -> Iterator[R]:
    """``map`` in input order over ``jobs`` processes, ``size`` items per task.

    A bounded number of tasks is in flight, so memory stays flat on any batch. No
    more processes start than there are tasks to give them, and none for one task.
    """
    if jobs <= 1:
        yield from map(function, items)
        return
    iterator = iter(items)
    first = list(islice(iterator, size * jobs * 2))
    chunks = [first[start : start + size] for start in range(0, len(first), size)]
    if len(chunks) <= 1:  # no work to share: no process is started
        yield from map(function, first)
        return
    # Never more workers than tasks to give them (nor than asked).
    with ProcessPoolExecutor(max_workers=min(jobs, len(chunks))) as pool:
        pending = [pool.submit(_apply, function, chunk) for chunk in chunks]
        while pending:
            done = pending.pop(0)
            chunk = list(islice(iterator, size))
            if chunk:
                pending.append(pool.submit(_apply, function, chunk))
            yield from done.result()


# ---------------------------------------------------------------------------------
# The batch summary, tallied as reports come


_HUNDRED: Final = Decimal(100)
_ZERO: Final = Decimal(0)
_EXACT: Final = Context(prec=120)
_GAP_ORDER: Final = operator.itemgetter(0, 1)  # of a gap's heap item: |gap|, then -order
_SEVERITY_OF: Final = operator.itemgetter(1)  # of a (check id, severity) pair


@attrs.frozen
class TallyEntry:
    """What a batch summary needs of one scored or audited table.

    It is small, so it travels cheaply back from a worker process.
    """

    __repr__ = value_repr

    file: str | None
    index: int
    name: str
    findings: tuple[tuple[str, Severity], ...]
    printed_total: Decimal | None
    numeric_rows: int
    repeating_rows: int
    total: Decimal = _ZERO
    grade: str = ""

    @classmethod
    def of(cls, file: str | None, index: int, report: AuditReport) -> TallyEntry:
        """The entry for one audit report."""
        return cls.of_card(file, index, report.scorecard, report.findings)

    @classmethod
    def of_card(
        cls, file: str | None, index: int, card: Scorecard, findings: tuple[Finding, ...] = ()
    ) -> TallyEntry:
        """The entry for one scorecard (with its audit's findings, if audited)."""
        numeric = repeating = 0
        # The rows and their outcomes directly: no ItemScore is made.
        for row, outcome in zip(card.table.indicators, card.outcomes, strict=True):
            if row.target.kind == "quantity" and row.actual.kind == "quantity":
                numeric += 1
                repeating += repeats_target(row, outcome)
        return cls(
            file=file,
            index=index,
            name=card.table.name,
            findings=tuple((finding.id, finding.severity) for finding in findings),
            printed_total=card.printed_total,
            numeric_rows=numeric,
            repeating_rows=repeating,
            total=card.total,
            grade=card.grade,
        )


class Tally:
    """A batch summary built one table at a time, in memory that does not grow.

    Only the ``keep`` tables with the most errors (then warnings), and the ``keep``
    whose printed total is furthest from the computed one, are remembered by name;
    everything else is a count. Each distinct pair of printed and computed totals is
    kept once with its count (for the charts), so that memory grows with the pairs
    seen, never with the tables. ``audited=False`` tallies a batch that was only scored.

    >>> from perfscore import load
    >>> tally = Tally()
    >>> for index, table in enumerate(load("examples/changji-2023")):
    ...     tally.add(None, index, audit(table, profile="changji-2023"))
    >>> summary = tally.summary()
    >>> summary.by_severity
    {'error': 4, 'warning': 9, 'info': 67}
    >>> summary.reproduced, summary.printed_totals, summary.gap_sum, summary.grades
    (13, 16, Decimal('-20.00'), (('优', 8), ('良', 1), ('中', 2), ('差', 6)))
    """

    def __init__(self, *, keep: int = 100, audited: bool = True) -> None:
        self.keep = keep
        self.audited = audited
        self.tables = 0
        # How many findings of each (check id, severity): counted in C, table by table.
        self.found: Counter[tuple[str, Severity]] = Counter()
        # A min-heap of (errors, warnings, -order, entry): the weakest on top.
        self.ranked: list[tuple[int, int, int, tuple[str | None, int, str, int, int]]] = []
        self.printed_totals = self.totals_100 = self.totals_90 = 0
        self.numeric_rows = self.repeating_rows = 0
        self.refused = 0
        self.reproduced = 0
        self.gap_sum = _ZERO
        # A min-heap of (|gap|, -order, entry) of the tables whose totals differ.
        self.gaps: list[tuple[Decimal, int, tuple[str | None, int, str, Decimal, Decimal]]] = []
        # Each grade's count, and the highest total given it (to order the grades).
        self.grades: Counter[str] = Counter()
        self.grade_tops: dict[str, Decimal] = {}
        self.points: Counter[tuple[Decimal, Decimal]] = Counter()

    def add(self, file: str | None, index: int, report: AuditReport) -> None:
        """Count one audited table."""
        self.add_entry(TallyEntry.of(file, index, report))

    def add_card(self, file: str | None, index: int, card: Scorecard) -> None:
        """Count one scored table."""
        self.add_entry(TallyEntry.of_card(file, index, card))

    def add_entry(self, entry: TallyEntry) -> None:
        """Count one table, given as its entry."""
        self.tables += 1
        findings = entry.findings
        if findings:
            self.found.update(findings)
            severities = list(map(_SEVERITY_OF, findings))
            errors, warnings = severities.count("error"), severities.count("warning")
            if errors or warnings:
                ranked = (entry.file, entry.index, entry.name, errors, warnings)
                item = (errors, warnings, -self.tables, ranked)
                if len(self.ranked) < self.keep:
                    heapq.heappush(self.ranked, item)
                elif item > self.ranked[0]:
                    heapq.heapreplace(self.ranked, item)
        total = entry.printed_total
        if total is not None:
            self.printed_totals += 1
            self.totals_100 += total == _HUNDRED
            self.totals_90 += total >= 90
            self.points[entry.total, total] += 1
            if total == entry.total:
                self.reproduced += 1
            else:
                self._gap(entry, total)
        self.grades[entry.grade] += 1
        top = self.grade_tops.get(entry.grade)
        if top is None or entry.total > top:
            self.grade_tops[entry.grade] = entry.total
        self.numeric_rows += entry.numeric_rows
        self.repeating_rows += entry.repeating_rows

    def _gap(self, entry: TallyEntry, printed: Decimal) -> None:
        """Count a table whose printed total differs from the computed one."""
        gap = total_gap(printed, entry.total)
        # In a context of its own, wide enough to keep every digit of any total.
        self.gap_sum = _EXACT.add(self.gap_sum, gap)
        size = _EXACT.abs(gap)
        item = (
            size,
            -self.tables,
            (entry.file, entry.index, entry.name, printed, entry.total),
        )
        if len(self.gaps) < self.keep:
            heapq.heappush(self.gaps, item)
        elif item[:2] > self.gaps[0][:2]:
            heapq.heapreplace(self.gaps, item)

    @property
    def by_id(self) -> dict[str, Counter[str]]:
        """How many findings of each severity, by check id."""
        by_id: dict[str, Counter[str]] = {}
        for (check, severity), count in self.found.items():
            by_id.setdefault(check, Counter())[severity] += count
        return by_id

    @property
    def by_severity(self) -> Counter[str]:
        """How many findings of each severity."""
        counts: Counter[str] = Counter()
        for (_, severity), count in self.found.items():
            counts[severity] += count
        return counts

    def summary(self) -> BatchSummary:
        """The summary of every table added so far."""
        by_severity = self.by_severity
        ordered = sorted(
            self.by_id.items(),
            key=lambda pair: (*(-pair[1][severity] for severity in SEVERITIES), pair[0]),
        )
        ranked = [entry for *_, entry in sorted(self.ranked, reverse=True)]
        return BatchSummary(
            tables=self.tables,
            by_id=tuple(
                (check, {s: counts[s] for s in SEVERITIES if counts[s]})
                for check, counts in ordered
            ),
            by_severity={severity: by_severity[severity] for severity in SEVERITIES},
            ranked=tuple(ranked),
            printed_totals=self.printed_totals,
            totals_100=self.totals_100,
            totals_90=self.totals_90,
            numeric_rows=self.numeric_rows,
            repeating_rows=self.repeating_rows,
            refused=self.refused,
            audited=self.audited,
            reproduced=self.reproduced,
            gap_sum=self.gap_sum,
            gaps=tuple(entry for *_, entry in sorted(self.gaps, key=_GAP_ORDER, reverse=True)),
            grades=tuple(
                (grade, self.grades[grade])
                for grade in sorted(self.grades, key=self.grade_tops.__getitem__, reverse=True)
            ),
            points=tuple((computed, printed, n) for (computed, printed), n in self.points.items()),
        )


def summarize(reports: Iterable[tuple[str | None, int, AuditReport]]) -> BatchSummary:
    """Tally the findings of many audited tables.

    Args:
        reports: ``(file, index, report)`` for each table, in any order; read once.

    >>> from perfscore import load
    >>> tables = load("examples/changji-2023")
    >>> summary = summarize((None, 0, audit(t, profile="changji-2023")) for t in tables)
    >>> summary.tables, summary.by_severity["error"]
    (17, 4)
    """
    tally = Tally()
    for file, index, report in reports:
        tally.add(file, index, report)
    return tally.summary()

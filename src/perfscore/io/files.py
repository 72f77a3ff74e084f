"""Reading tables from files and JSON text.

>>> tables = load("examples/changji-2023")
>>> len(tables), tables[1].name
(17, '2022（新疆昌吉）“一带一路”国际葡萄酒大赛')
"""

from __future__ import annotations

import glob
import io
import os
import stat
from typing import TYPE_CHECKING, Final

from perfscore.errors import (
    InvalidTable,
    NoTablesFoundError,
    PerfscoreError,
    TableFormatError,
)
from perfscore.io.documents import DOCUMENT_SUFFIXES, LEGACY_SUFFIXES, document_kind, read_document
from perfscore.io.json import (
    decode_json,
    table_from_dict,
    table_from_json_line,
)
from perfscore.memo import Memo

# pathlib (with the urllib.parse and ipaddress it imports, about 3 ms) is imported by
# the functions that make paths, not with this module: `import perfscore` needs none.
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

    from perfscore.model import JSONValue, Table

__all__ = [
    "iter_bytes",
    "iter_files",
    "load",
    "loads",
    "read_bytes",
]

_GLOB_CHARS = frozenset("*?[")
NONE_FOUND: Final = (
    "no table files or documents found (.json, .jsonl, .csv, .xlsx, .xls, .docx, .html, .pdf, .txt)"
)
"""Why a directory or a pattern gives nothing to read."""
_TABLE_SUFFIXES: Final = frozenset({".json", ".jsonl", ".csv"})
_SUFFIXES: Final = _TABLE_SUFFIXES | DOCUMENT_SUFFIXES | frozenset(LEGACY_SUFFIXES)
"""What a directory is searched for: table files, the documents read, and the
documents perfscore does not read (so that each is named, with what to do)."""


def loads(text: str, *, source: str = "<string>", memo: Memo | None = None) -> list[Table]:
    """Read the tables in JSON text: one table object, or an array of them.

    Args:
        text: the JSON.
        source: a name for the text, used in error messages.
        memo: the run's :class:`~perfscore.memo.Memo` (rows read before are reused).

    Raises:
        TableFormatError: the text is not JSON or not the table format; every
            problem of the first bad table is listed with its path.

    >>> try:
    ...     loads('{"name": "x", "indicators": []}')
    ... except TableFormatError as error:
    ...     print(error)
    <string>: not a perfscore table (1 problem)
      indicators: a table needs at least one indicator row
    """
    return _every(_json_tables(decode_json(text, source=source), source, memo))


def _every(items: Iterable[Table | PerfscoreError]) -> list[Table]:
    """The tables, or the first error among them raised."""
    tables: list[Table] = []
    for item in items:
        if isinstance(item, PerfscoreError):
            raise item
        tables.append(item)
    return tables


def _json_tables(
    data: JSONValue, source: str, memo: Memo | None
) -> Iterator[Table | TableFormatError]:
    """The tables of a decoded JSON file: one table object, or an array of them."""
    if not isinstance(data, list):
        yield _table_or_error(data, source, memo)
    elif not data:
        yield TableFormatError(
            source, [InvalidTable("", "an empty array holds no table", source=source)]
        )
    else:
        for index, item in enumerate(data):
            yield _table_or_error(item, f"{source}[{index}]", memo)


def _json_lines(raw: bytes, source: str, memo: Memo | None) -> Iterator[Table | TableFormatError]:
    """The tables of a JSON Lines file: one table object per line, blank lines skipped."""
    empty = True
    for number, line in enumerate(raw.removeprefix(b"\xef\xbb\xbf").splitlines(), start=1):
        if not line.strip():
            continue
        empty = False
        try:
            yield json_line_table(line, file=source, number=number, memo=memo)
        except TableFormatError as error:
            yield error
    if empty:
        yield TableFormatError(source, [InvalidTable("", "no table in the file", source=source)])


def json_line_table(line: bytes, *, file: str, number: int, memo: Memo | None = None) -> Table:
    """The table on line ``number`` of the JSON Lines file ``file``.

    A line whose rows the run's ``memo`` remembers is read from them; any other is
    decoded whole (errors name ``file:number``).

    Raises:
        TableFormatError: the line is not UTF-8, not JSON, or not one table object.
    """
    table = table_from_json_line(line, memo=memo)
    if table is not None:
        return table
    source = f"{file}:{number}"  # made only here: a batch's lines are mostly remembered
    data = decode_json(_utf8(line.rstrip(b"\r\n"), source), source=source)
    if not isinstance(data, dict):
        problem = "a JSON Lines file holds one table object per line"
        raise TableFormatError(source, [InvalidTable("", problem, source=source)])
    return table_from_dict(data, source=source, memo=memo)


def _utf8(raw: bytes, source: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problem = f"not UTF-8 text (byte {error.start}: {raw[error.start : error.start + 1]!r})"
        raise TableFormatError(source, [InvalidTable("", problem, source=source)]) from None


FileId = tuple[int, int]
"""A file's identity (device, inode): the same for every path that leads to it."""


def file_id(path: str | os.PathLike[str]) -> FileId | None:
    """The identity of the file at ``path`` (links followed), or ``None`` if there is none."""
    from pathlib import Path  # noqa: PLC0415 - see the note on pathlib above

    try:
        info = Path(path).stat()
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


_KINDS: Final = (
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISCHR, "a character device (for standard input, give -)"),
)


def find_files(
    path: str | os.PathLike[str], *, problems: list[NoTablesFoundError] | None = None
) -> list[Path]:
    """The table files at a path.

    That is the file itself (a named pipe too, such as a shell's ``<(…)``), a
    directory's ``*.json``, ``*.jsonl`` and ``*.csv`` files (recursively, in name order;
    links to directories are not followed), or a glob pattern's matches. Each file is
    listed once, however many links or patterns lead to it.

    Args:
        path: a file, a directory or a glob pattern.
        problems: where to put what cannot be searched (an unreadable directory)
            instead of raising it; the search goes on.

    Raises:
        NoTablesFoundError: nothing exists at ``path``, or it is not a file or a
            directory (a socket, a device), or it cannot be read.

    >>> find_files("examples/changji-2023/0[12]_*.json")
    [PosixPath('examples/changji-2023/01_dept-changji-gongxinju.json'), \
PosixPath('examples/changji-2023/02_wine-competition-2022.json')]
    """
    return unseen(_files(os.fspath(path), problems), set())


def unseen(files: list[Path], seen: set[FileId]) -> list[Path]:
    """The files not in ``seen`` (by identity), each once; ``seen`` gains them."""
    found: list[Path] = []
    for file in files:
        identity = file_id(file)
        if identity is None or identity not in seen:
            found.append(file)
            if identity is not None:
                seen.add(identity)
    return found


def _files(text: str, problems: list[NoTablesFoundError] | None) -> list[Path]:
    from pathlib import Path  # noqa: PLC0415 - see the note on pathlib above

    try:
        info = Path(text).stat()
    except FileNotFoundError:
        if _GLOB_CHARS & set(text):
            matches = glob.glob(text, recursive=True)  # noqa: PTH207 - a user's pattern may be absolute
            return sorted(Path(match) for match in matches if Path(match).is_file())
        raise NoTablesFoundError(text, "no such file or directory") from None
    except OSError as error:  # permission, a loop of links, a name too long
        raise NoTablesFoundError(text, _reason(error)) from None
    if stat.S_ISDIR(info.st_mode):
        return _walk(text, problems)
    for test, kind in _KINDS:
        if test(info.st_mode):
            raise NoTablesFoundError(text, f"{kind}, not a file of tables")
    return [Path(text)]  # a regular file or a named pipe


def _walk(top: str, problems: list[NoTablesFoundError] | None) -> list[Path]:
    """A directory's table files, in name order; unreadable directories are problems."""
    from pathlib import Path  # noqa: PLC0415 - see the note on pathlib above

    unreadable: list[NoTablesFoundError] = []

    def refused(error: OSError) -> None:
        unreadable.append(NoTablesFoundError(str(error.filename or top), _reason(error)))

    files = [
        Path(root, name)
        for root, _, names in os.walk(top, onerror=refused)
        for name in names
        if Path(name).suffix.lower() in _SUFFIXES
    ]
    if unreadable and problems is None:
        raise unreadable[0]
    if problems is not None:
        problems.extend(unreadable)
    return sorted(file for file in files if file.is_file())


def _reason(error: OSError) -> str:
    """An operating system error in a few words (``permission denied``)."""
    return (error.strerror or str(error)).lower()


def iter_files(
    path: str | os.PathLike[str], *, memo: Memo | None = None
) -> Iterator[tuple[str, list[Table]]]:
    """Read a file, a directory or a glob pattern one file at a time.

    Yields each file's name with the tables it holds, in name order, so a caller can
    say which file (and which position in it) a table came from. The files are read
    with one :class:`~perfscore.memo.Memo` (``memo``, or a new one): rows repeated
    across them are read once.

    Raises:
        NoTablesFoundError: nothing at ``path``, or no table file under it.
        TableFormatError: a file is not text, not JSON or not the table format.

    >>> [(name, len(tables)) for name, tables in iter_files("examples/changji-2023")][:1]
    [('examples/changji-2023/01_dept-changji-gongxinju.json', 1)]
    """
    files = find_files(path)
    if not files:
        raise NoTablesFoundError(str(path), NONE_FOUND)
    memo = Memo() if memo is None else memo
    for file in files:
        yield str(file), read_bytes(file.read_bytes(), source=str(file), memo=memo)


def read_bytes(
    raw: bytes, *, source: str, csv: bool | None = None, memo: Memo | None = None
) -> list[Table]:
    """The tables in a file's bytes: JSON, CSV, or a document.

    JSON is UTF-8, with or without a byte order mark; a document is a workbook, a Word
    report, a web page, a PDF or a PDF's text layer.

    Args:
        raw: the file's bytes.
        source: the file's name, for messages; its suffix says what it holds (see
            :mod:`perfscore.io.csv`, :mod:`perfscore.io.documents`).
        csv: ``True`` or ``False`` to say whether it is CSV; ``None`` decides by the
            name, and for a name without a known suffix (standard input) by the
            content: a document by its first bytes, JSON starts with ``{`` or ``[``.
        memo: the run's :class:`~perfscore.memo.Memo` (rows read before are reused).

    Raises:
        TableFormatError: the bytes are not text, not JSON or CSV, or not the format
            (the first table that is not: see :func:`iter_bytes` to read on past it).
        DocumentError: a document that cannot be read, or holds no table.
        MissingExtraError: the library that reads the document is not installed.
    """
    if csv is None and document_kind(source, raw) is not None:
        return _every(read_document(raw, source=source))
    if _is_csv(raw, source, csv=csv):
        from perfscore.io.csv import read_csv  # noqa: PLC0415 - only CSV input needs it

        return read_csv(raw, source=source, memo=memo)  # every problem of the file, together
    return _every(iter_bytes(raw, source=source, csv=False, memo=memo))


def iter_bytes(
    raw: bytes, *, source: str, csv: bool | None = None, memo: Memo | None = None
) -> Iterator[Table | PerfscoreError]:
    """The tables in a file's bytes, each in its place, or the error of one that is not.

    As :func:`read_bytes`, but a table that cannot be read (an element of a JSON
    array, a line of a JSON Lines file, a table of a CSV file) is yielded as its error
    and reading goes on with the next; bytes that cannot be read at all are one error.

    >>> text = b'[{"name": "a", "indicators": []}, {"name": "b", "indicators": null}]'
    >>> [str(item).splitlines()[1] for item in iter_bytes(text, source="two.json")]
    ['  indicators: a table needs at least one indicator row', \
'  indicators: expected an array of indicator rows, got null']
    """
    from pathlib import Path  # noqa: PLC0415 - see the note on pathlib above

    if Path(source).suffix.lower() == ".jsonl":
        yield from _json_lines(raw, source, memo)
        return
    if csv is None and document_kind(source, raw) is not None:
        yield from read_document(raw, source=source)
        return
    if _is_csv(raw, source, csv=csv):
        from perfscore.io.csv import iter_csv  # noqa: PLC0415 - only CSV input needs it

        yield from iter_csv(io.BytesIO(raw), source=source, memo=memo)
        return
    try:
        data = decode_json(_json_text(raw, source), source=source)
    except TableFormatError as error:
        yield error
        return
    yield from _json_tables(data, source, memo)


def _is_csv(raw: bytes, source: str, *, csv: bool | None) -> bool:
    """Whether to read bytes as CSV: as told, else by the name, else by the content."""
    from pathlib import Path  # noqa: PLC0415 - see the note on pathlib above

    if csv is not None:
        return csv
    suffix = Path(source).suffix.lower()
    if suffix in _TABLE_SUFFIXES:
        return suffix == ".csv"
    start = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return bool(start) and start not in {b"{", b"["}


def _table_or_error(data: JSONValue, source: str, memo: Memo | None) -> Table | TableFormatError:
    try:
        return table_from_dict(data, source=source, memo=memo)
    except TableFormatError as error:
        return error


def _json_text(raw: bytes, source: str) -> str:
    nul = raw.find(b"\x00")
    if nul >= 0:
        problem = f"binary data, not JSON text (a NUL byte at byte {nul})"
        raise TableFormatError(source, [InvalidTable("", problem, source=source)])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problem = f"not UTF-8 text (byte {error.start}: {raw[error.start : error.start + 1]!r})"
        raise TableFormatError(source, [InvalidTable("", problem, source=source)]) from None


def load(path: str | os.PathLike[str], *, memo: Memo | None = None) -> list[Table]:
    """Read every table in a file, a directory or a glob pattern.

    A directory is read for its table files and documents, recursively, in name
    order; rows repeated across the files are read once (with ``memo``, the run's
    :class:`~perfscore.memo.Memo`, or a new one).

    Raises:
        NoTablesFoundError: nothing at ``path``, or no table file under it.
        TableFormatError: a file is not text, not JSON or not the table format.
    """
    return [table for _, tables in iter_files(path, memo=memo) for table in tables]

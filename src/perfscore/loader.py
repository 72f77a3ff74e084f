"""Reading tables from files and JSON text.

>>> tables = load("examples/changji-2023")
>>> len(tables), tables[1].name
(17, '2022（新疆昌吉）“一带一路”国际葡萄酒大赛')
"""

from __future__ import annotations

import glob
import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Final

from perfscore.errors import FloatRefusedError, InvalidTable, NoTablesFoundError, TableFormatError
from perfscore.tableformat import (
    JSON_DECODER,
    RepeatedKeyError,
    bad_text_problems,
    json_problems,
    suspect_escapes,
    table_from_dict,
    table_from_json_line,
)

if TYPE_CHECKING:
    import os
    from collections.abc import Iterator

    from perfscore.model import JSONValue, Table

__all__ = [
    "decode_json",
    "encode_json",
    "find_files",
    "iter_files",
    "json_line_table",
    "load",
    "loads",
    "read_bytes",
]

_GLOB_CHARS = frozenset("*?[")
_SUFFIXES = frozenset({".json", ".jsonl", ".csv"})


def decode_json(text: str, *, source: str = "<string>") -> JSONValue:
    """Decode JSON exactly: every number as a ``Decimal``, ``NaN``/``Infinity`` refused.

    A key given twice in one object, and text holding a NUL character or a lone
    surrogate (which no UTF-8 output can hold), are refused too: see
    :func:`~perfscore.tableformat.json_problems`.

    Raises:
        TableFormatError: the text is not JSON (the problem names line and column), or
            holds what no table may hold (each problem names its path).

    >>> decode_json('{"weight": 10.50}')
    {'weight': Decimal('10.50')}
    >>> decode_json('{"indicators": [], "indicators": []}')
    Traceback (most recent call last):
    ...
    perfscore.errors.TableFormatError: <string>: not a perfscore table (1 problem)
      indicators: key 'indicators' is given twice (which one is meant?)
    """
    try:
        data: JSONValue = JSON_DECODER.decode(text)
    except RepeatedKeyError:
        problems = json_problems(text, len(text) - len(text.lstrip(_JSON_SPACE)))
        raise TableFormatError(
            source, [InvalidTable(path, problem, source=source) for path, problem in problems]
        ) from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise TableFormatError(
            source, [InvalidTable("", f"not valid JSON ({error.msg} at {where})", source=source)]
        ) from None
    except (ValueError, RecursionError) as error:
        raise TableFormatError(
            source, [InvalidTable("", f"not valid JSON ({error})", source=source)]
        ) from None
    if suspect_escapes(text) and (problems := bad_text_problems(data)):
        raise TableFormatError(
            source, [InvalidTable(path, problem, source=source) for path, problem in problems]
        )
    return data


_JSON_SPACE: Final = " \t\r\n"


def encode_json(value: JSONValue, *, indent: int = 1, level: int = 0) -> str:
    r"""JSON text for decoded JSON data, numbers written with their exact digits.

    The inverse of :func:`decode_json`: ``Decimal`` values (as the decoder makes them)
    are written digit for digit, never through ``float``.

    >>> encode_json({"name": "项目", "weight": Decimal("10.00"), "tags": [1, None, True]})
    '{\n "name": "项目",\n "weight": 10.00,\n "tags": [\n  1,\n  null,\n  true\n ]\n}'
    """
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = " " * (indent * (level + 1))
        items = ",\n".join(
            f"{inner}{json.dumps(str(key), ensure_ascii=False)}: "
            + encode_json(item, indent=indent, level=level + 1)
            for key, item in value.items()
        )
        return "{\n" + items + "\n" + " " * (indent * level) + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = " " * (indent * (level + 1))
        items = ",\n".join(
            inner + encode_json(item, indent=indent, level=level + 1) for item in value
        )
        return "[\n" + items + "\n" + " " * (indent * level) + "]"
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a number JSON can hold")
        return str(value)
    if isinstance(value, float):
        raise FloatRefusedError(value, where="JSON output")
    return json.dumps(value, ensure_ascii=False)


def loads(text: str, *, source: str = "<string>") -> list[Table]:
    """Read the tables in JSON text: one table object, or an array of them.

    Args:
        text: the JSON.
        source: a name for the text, used in error messages.

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
    data = decode_json(text, source=source)
    if isinstance(data, list):
        if not data:
            raise TableFormatError(
                source, [InvalidTable("", "an empty array holds no table", source=source)]
            )
        return [
            table_from_dict(item, source=f"{source}[{index}]") for index, item in enumerate(data)
        ]
    return [table_from_dict(data, source=source)]


def _json_lines(raw: bytes, source: str) -> list[Table]:
    """The tables of a JSON Lines file: one table object per line, blank lines skipped."""
    tables: list[Table] = []
    for number, line in enumerate(raw.removeprefix(b"\xef\xbb\xbf").splitlines(), start=1):
        if not line.strip():
            continue
        tables.append(json_line_table(line, file=source, number=number))
    if not tables:
        raise TableFormatError(source, [InvalidTable("", "no table in the file", source=source)])
    return tables


def json_line_table(line: bytes, *, file: str, number: int) -> Table:
    """The table on line ``number`` of the JSON Lines file ``file``.

    A line whose rows are remembered is read from them; any other is decoded whole
    (errors name ``file:number``).

    Raises:
        TableFormatError: the line is not UTF-8, not JSON, or not one table object.
    """
    table = table_from_json_line(line)
    if table is not None:
        return table
    source = f"{file}:{number}"  # made only here: a batch's lines are mostly remembered
    data = decode_json(_utf8(line, source), source=source)
    if not isinstance(data, dict):
        problem = "a JSON Lines file holds one table object per line"
        raise TableFormatError(source, [InvalidTable("", problem, source=source)])
    return table_from_dict(data, source=source)


def _utf8(raw: bytes, source: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problem = f"not UTF-8 text (byte {error.start}: {raw[error.start : error.start + 1]!r})"
        raise TableFormatError(source, [InvalidTable("", problem, source=source)]) from None


def find_files(path: str | os.PathLike[str]) -> list[Path]:
    """The table files at a path.

    That is the file itself, a directory's ``*.json``, ``*.jsonl`` and ``*.csv`` files
    (recursively, in name order), or a glob pattern's matches.

    Raises:
        NoTablesFoundError: nothing exists at ``path``.
    """
    return _files(path)


def _files(path: str | os.PathLike[str]) -> list[Path]:
    candidate = Path(path)
    if candidate.is_dir():
        return sorted(
            p for p in candidate.rglob("*") if p.suffix.lower() in _SUFFIXES and p.is_file()
        )
    if candidate.is_file():
        return [candidate]
    text = str(path)
    if _GLOB_CHARS & set(text):
        return sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())  # noqa: PTH207 - a user's pattern may be absolute
    raise NoTablesFoundError(text, "no such file or directory")


def iter_files(path: str | os.PathLike[str]) -> Iterator[tuple[str, list[Table]]]:
    """Read a file, a directory or a glob pattern one file at a time.

    Yields each file's name with the tables it holds, in name order, so a caller can
    say which file (and which position in it) a table came from.

    Raises:
        NoTablesFoundError: nothing at ``path``, or no table file under it.
        TableFormatError: a file is not text, not JSON or not the table format.

    >>> [(name, len(tables)) for name, tables in iter_files("examples/changji-2023")][:1]
    [('examples/changji-2023/01_dept-changji-gongxinju.json', 1)]
    """
    files = _files(path)
    if not files:
        raise NoTablesFoundError(str(path), "no .json, .jsonl or .csv table files found")
    for file in files:
        yield str(file), read_bytes(file.read_bytes(), source=str(file))


def read_bytes(raw: bytes, *, source: str, csv: bool | None = None) -> list[Table]:
    """The tables in a file's bytes: JSON (UTF-8, with or without a BOM) or CSV.

    Args:
        raw: the file's bytes.
        source: the file's name, for messages; a name ending in ``.csv`` is read as
            CSV (see :mod:`perfscore.csvformat`).
        csv: ``True`` or ``False`` to say which; ``None`` decides by the name, and for
            a name without a known suffix (standard input) by the content: JSON starts
            with ``{`` or ``[``.

    Raises:
        TableFormatError: the bytes are not text, not JSON or CSV, or not the format.
    """
    if Path(source).suffix.lower() == ".jsonl":
        return _json_lines(raw, source)
    if csv is None:
        suffix = Path(source).suffix.lower()
        if suffix in _SUFFIXES:
            csv = suffix == ".csv"
        else:
            start = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
            csv = bool(start) and start not in {b"{", b"["}
    if csv:
        from perfscore.csvformat import read_csv  # noqa: PLC0415 - only CSV input needs it

        return read_csv(raw, source=source)
    nul = raw.find(b"\x00")
    if nul >= 0:
        problem = f"binary data, not JSON text (a NUL byte at byte {nul})"
        raise TableFormatError(source, [InvalidTable("", problem, source=source)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problem = f"not UTF-8 text (byte {error.start}: {raw[error.start : error.start + 1]!r})"
        raise TableFormatError(source, [InvalidTable("", problem, source=source)]) from None
    return loads(text, source=source)


def load(path: str | os.PathLike[str]) -> list[Table]:
    """Read every table in a file, a directory or a glob pattern.

    A directory is read for its ``*.json`` files, recursively, in name order.

    Raises:
        NoTablesFoundError: nothing at ``path``, or no table file under it.
        TableFormatError: a file is not text, not JSON or not the table format.
    """
    return [table for _, tables in iter_files(path) for table in tables]

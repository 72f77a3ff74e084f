"""Tables as CSV in a long layout: one row per record, any number of tables per file.

A spreadsheet holds a table more easily as rows than as nested JSON. In this layout
each row is one *record*: a ``表`` record with the table's own fields, a ``资金``
record per funds row and a ``指标`` record per indicator row. The ``项目名称`` column
on every record names the table it belongs to. Cells keep their text: one that a
spreadsheet would take as a formula or convert (``=120 人``, ``10.00``) is written as
a formula whose result is the text (``="=120 人"``, see :func:`escape_cell`), and what
a flat row cannot say (extra keys, cells present but blank) goes into the
``附加字段`` column as JSON, so reading a file back gives the very same tables.

Reading builds one ``perfscore.table/1`` object per table and hands it to
:func:`perfscore.io.json.table_from_dict`: cells that cannot be read load as
unreadable cells (the audit reports them), while a file whose *shape* is wrong raises
one :class:`~perfscore.errors.TableFormatError` listing every problem by CSV line.
:func:`iter_csv` reads a file of any size a table at a time.

>>> import csv
>>> from perfscore.io.files import loads
>>> table = loads('''{"name": "示例项目", "year": 2023, "indicators": [
...   {"level1": "产出指标", "level2": "数量指标", "level3": "培训人数",
...    "target": ">=100 人", "actual": "=120 人", "weight": "50", "score": "50"}]}''')[0]
>>> text = tables_to_csv([table])
>>> header, *records = csv.reader(text.splitlines())
>>> for record in records:
...     print({column: cell for column, cell in zip(header, record) if cell})
{'项目名称': '示例项目', '行类型': '表', '表类型': '项目', '年度': '2023', '金额单位': '万元'}
{'项目名称': '示例项目', '行类型': '指标', '一级指标': '产出指标', '二级指标': '数量指标',
 '三级指标': '培训人数', '年度指标值': '>=100 人', '实际完成值': '="=120 人"', '分值': '50',
 '得分': '50'}
>>> tables_from_csv(text) == [table]
True
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, BinaryIO, Final, Literal, NamedTuple, TypeAlias

import attrs

from perfscore._text import fold
from perfscore._values import value_repr
from perfscore.errors import FloatRefusedError, InvalidTable, Problems, TableFormatError
from perfscore.io.json import (
    FUND_KEYS,
    INDICATOR_KEYS,
    TABLE_KEYS,
    decode_json,
    table_from_dict,
    table_to_dict,
)
from perfscore.units import conversion_factor, normalize_unit, unit_family

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from perfscore.memo import Memo
    from perfscore.model import JSONValue, Table

__all__ = [
    "CSV_COLUMNS",
    "CsvColumn",
    "RecordType",
    "escape_cell",
    "iter_csv",
    "read_csv",
    "tables_from_csv",
    "tables_to_csv",
    "unescape_cell",
    "write_csv",
]

RecordType = Literal["table", "funds", "indicator"]
"""What a CSV row holds: the table's own fields (``表``), a funds row (``资金``) or an
indicator row (``指标``)."""


@attrs.frozen
class CsvColumn:
    """One column of the long CSV layout.

    Attributes:
        header: the official Chinese header; the writer writes it.
        alias: the English alias, also read.
        records: the record types that use the column. Columns of the ``table``
            record may also be repeated on the table's other records.
        required: the record types whose rows must have the column.
        also: other headers read as this column.
    """

    __repr__ = value_repr

    header: str
    alias: str
    records: tuple[RecordType, ...]
    required: tuple[RecordType, ...] = ()
    also: tuple[str, ...] = ()


_ALL: Final[tuple[RecordType, ...]] = ("table", "funds", "indicator")
_TABLE: Final[tuple[RecordType, ...]] = ("table",)
_FUNDS: Final[tuple[RecordType, ...]] = ("funds",)
_INDICATOR: Final[tuple[RecordType, ...]] = ("indicator",)
_ROWS: Final[tuple[RecordType, ...]] = ("funds", "indicator")

CSV_COLUMNS: Final[tuple[CsvColumn, ...]] = (
    CsvColumn("项目名称", "name", _ALL, _ALL, also=("单位名称",)),
    CsvColumn("行类型", "record", _ALL, _ALL),
    CsvColumn("表类型", "kind", _TABLE),
    CsvColumn("年度", "year", _TABLE),
    CsvColumn("主管部门", "department", _TABLE),
    CsvColumn("实施单位", "implementer", _TABLE),
    CsvColumn("来源", "source", _TABLE),
    CsvColumn("金额单位", "money_unit", _TABLE),
    CsvColumn("年度总体目标", "goal_expected", _TABLE, also=("预期目标", "expected")),
    CsvColumn("实际完成情况", "goal_achieved", _TABLE, also=("achieved",)),
    CsvColumn("总分", "total", _TABLE),
    CsvColumn("备注", "remarks", _TABLE),
    CsvColumn("资金项目", "fund_label", _FUNDS, _FUNDS, also=("label",)),
    CsvColumn("年初预算数", "initial_budget", _FUNDS, _FUNDS),
    CsvColumn("全年预算数", "annual_budget", _FUNDS, _FUNDS),
    CsvColumn("全年执行数", "executed", _FUNDS, _FUNDS),
    CsvColumn("执行率", "rate", _FUNDS),
    CsvColumn("一级指标", "level1", _INDICATOR, _INDICATOR),
    CsvColumn("二级指标", "level2", _INDICATOR, _INDICATOR),
    CsvColumn("三级指标", "level3", _INDICATOR, _INDICATOR),
    CsvColumn("年度指标值", "target", _INDICATOR, _INDICATOR),
    CsvColumn("实际完成值", "actual", _INDICATOR, _INDICATOR),
    CsvColumn("分值", "weight", _ROWS, _INDICATOR),
    CsvColumn("得分", "score", _ROWS),
    CsvColumn("偏差原因分析及改进措施", "deviation_note", _INDICATOR, also=("偏差原因分析",)),
    CsvColumn("指标值设定依据", "basis", _INDICATOR),
    CsvColumn("附加字段", "extra", _ALL),
)
"""Every column, in the order the writer writes them."""

_RECORD_NAMES: Final[dict[RecordType, str]] = {"table": "表", "funds": "资金", "indicator": "指标"}
_RECORD_SPELLINGS: Final[dict[str, RecordType]] = {
    "表": "table",
    "table": "table",
    "资金": "funds",
    "funds": "funds",
    "指标": "indicator",
    "indicator": "indicator",
}
_KIND_NAMES: Final[dict[str, str]] = {"project": "项目", "department": "部门"}
_KIND_SPELLINGS: Final[dict[str, str]] = {
    "项目": "project",
    "project": "project",
    "部门": "department",
    "department": "department",
}
# The table format's keys where they differ from the column's alias.
_KEYS: Final[dict[str, str]] = {
    "fund_label": "label",
    "goal_expected": "expected",
    "goal_achieved": "achieved",
}
# A blank cell in these columns is a mistake (often a merged cell copied once), not a
# blank print: the writer marks a truly empty label in the extra column instead.
_IDENTITY: Final = frozenset({"name", "record", "fund_label", "level1", "level2", "level3"})
# The table format's own keys per record: an extra key may not take one of them.
_KNOWN_KEYS: Final[dict[RecordType, frozenset[str]]] = {
    "table": frozenset(TABLE_KEYS),
    "funds": frozenset(FUND_KEYS),
    "indicator": frozenset(INDICATOR_KEYS),
}
_GOAL_KEYS: Final = frozenset({"expected", "achieved"})
_BLANK: Final = "perfscore:blank"
_GOAL: Final = "perfscore:goal"
_EXTRA: Final = "perfscore:extra"
# Where a table read from a document came from, kept in the extra column: a row's
# places (perfscore:places) and the table's origin (perfscore:origin, on its 表 record).
_PROVENANCE: Final[dict[str, str]] = {"perfscore:places": "places", "perfscore:origin": "origin"}
_RESERVED_PREFIX: Final = "perfscore:"
_YEAR: Final = re.compile(r"-?[0-9]+")
# What the reader hands out: a table, or the problems of one (or of the file), by line.
_Item: TypeAlias = "Table | Problems[TableFormatError]"
_ROW_PATH: Final = re.compile(r"(funds|indicators)\[(\d+)\](?:\.(.+))?")


# Characters that show as nothing: Unicode's default-ignorable code points (zero-width
# spaces and joiners, U+2060, the BOM, the soft hyphen, bidi marks, variation selectors,
# Hangul fillers …) and control characters. A header copied from a web page or a word
# processor often carries one, unseen.
_INVISIBLE: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


@lru_cache(maxsize=1024)
def _header_key(text: str) -> str:
    """A header (or record type) reduced for matching.

    NFKC, nothing invisible, no space, ``_`` or ``-``, lower case.
    """
    folded, _ = fold(_INVISIBLE.sub("", text))
    return _INVISIBLE.sub("", folded).lower().replace("_", "").replace("-", "")


# A unit in brackets after a header: 得分（分）, 年初预算数(万元), 执行率【%】. After NFKC the
# full-width （） and ［］ are the ASCII ones; 【】, 〔〕 and 〖〗 stay as they are.
_UNIT_SUFFIX: Final = re.compile(
    r"(?P<name>.+?)(?:\((?P<round>[^()]*)\)|\[(?P<square>[^\[\]]*)\]"
    r"|【(?P<lenticular>[^【】]*)】|〔(?P<shell>[^〔〕]*)〕|〖(?P<white>[^〖〗]*)〗)"
)
_MONEY_COLUMNS: Final = frozenset({"initial_budget", "annual_budget", "executed"})
# The units other columns may state (as normalize_unit spells them).
_COLUMN_UNITS: Final[dict[str, frozenset[str]]] = {
    "weight": frozenset({"分"}),
    "score": frozenset({"分"}),
    "total": frozenset({"分"}),
    "rate": frozenset({"%"}),
    "year": frozenset({"年"}),
}


def _column_of(key: str) -> tuple[CsvColumn | None, str]:
    """The column a header key names, and the unit its brackets state (``""``: none).

    A bracketed suffix counts only when it is a unit the column can have: a money unit
    for the amounts, 分 for weights and scores, % for the rate, 年 for the year. Any
    other suffix (得分（复核）) leaves the header unknown.
    """
    column = _BY_HEADER.get(key)
    if column is not None:
        return column, ""
    match = _UNIT_SUFFIX.fullmatch(key)
    if match is None:
        return None, ""
    column = _BY_HEADER.get(match["name"])
    unit = next(part for part in match.groups()[1:] if part is not None)
    if column is None or not unit:
        return None, ""
    if column.alias in _MONEY_COLUMNS:
        fits = unit_family(unit) == "money"
    else:
        fits = normalize_unit(unit) in _COLUMN_UNITS.get(column.alias, frozenset())
    return (column, unit) if fits else (None, "")


_BY_ALIAS: Final[dict[str, CsvColumn]] = {column.alias: column for column in CSV_COLUMNS}
_BY_HEADER: Final[dict[str, CsvColumn]] = {
    _header_key(spelling): column
    for column in CSV_COLUMNS
    for spelling in (column.header, column.alias, *column.also)
}
_TABLE_FIELDS: Final[tuple[str, ...]] = tuple(
    column.alias for column in CSV_COLUMNS if column.records == _TABLE
)


def _uses(column: CsvColumn, record: RecordType) -> bool:
    """Whether a record may fill the column (table fields may repeat on any record)."""
    return record in column.records or column.records == _TABLE


def _blank_reads_empty(column: CsvColumn, record: RecordType) -> bool:
    """Whether an empty cell reads as a blank printed cell (``""``) without a mark."""
    return record in column.required and column.alias not in _IDENTITY


def _describe(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return "null" if value is None else f"the number {value}"


# ------------------------------------------------------------------------ reading


@attrs.define
class _Record:
    """One CSV row: its line, its type, its cells by alias, its extra keys."""

    __repr__ = value_repr

    line: int
    record_type: RecordType
    values: dict[str, str | None]
    extra: list[tuple[str, JSONValue]]
    goal_extra: dict[str, JSONValue] | None = None
    provenance: dict[str, JSONValue] = attrs.field(factory=dict)

    @property
    def name(self) -> str:
        return self.values.get("name") or ""


@attrs.define
class _Built:
    """A table object built from records, with the CSV line behind each part."""

    __repr__ = value_repr

    data: dict[str, JSONValue]
    first_line: int
    field_lines: dict[str, int]
    fund_lines: list[int]
    indicator_lines: list[int]


class _CsvReader:
    """Reads one CSV text line by line, noting every problem with its line.

    Problems are kept per table: :meth:`tables` hands out each table, or the problems
    of the table, as soon as the table's records are read.
    """

    def __init__(self, source: str, memo: Memo | None = None) -> None:
        self.source = source
        self.memo = memo
        self.problems = Problems(TableFormatError, source=source)
        self.header_line = 1
        self.positions: dict[str, int] = {}
        self.headers: dict[str, str] = {}
        self.unknown: list[tuple[int, str]] = []
        self.repeated: set[int] = set()
        self.named: frozenset[int] = frozenset()  # the positions that have a header
        self.money_unit: tuple[str, str] | None = None  # (unit, header) the amounts state
        self.checked: set[RecordType] = set()  # record types whose columns were checked
        # The problem that stops the reading (its line, place and message), and the
        # first cells of its record.
        self.stop: tuple[int, str, str] | None = None
        self.stop_prefix: list[str] = []

    def problem(self, line: int, message: str, *, column: str = "", header: str = "") -> None:
        """Note a problem on a line, in a column (by alias, or by its header as written)."""
        where = f"line {line}" if line else ""
        if column or header:
            where = f"{where}: {header or self.column_name(column)}"
        self.problems.add(where, message, order=line)

    def column_name(self, column: str) -> str:
        """The header the file uses for a column, else its official header."""
        if column in self.headers:
            return self.headers[column]
        known = _BY_ALIAS.get(column)
        return known.header if known else column

    def taken(self) -> Problems[TableFormatError]:
        """The problems noted so far (listed by line); the reader starts anew.

        The problem that stops the reading, if any, is among them.
        """
        problems = self.problems
        if self.stop is not None:
            line, where, message = self.stop
            problems.add(where, message, order=line)
        self.problems = Problems(TableFormatError, source=self.source)
        self.stop = None
        return problems

    # ---- rows and header

    def rows(self, lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
        """The rows that hold something, each with the line it starts on.

        A quote problem confined to one line (text after a closing quote) is noted and
        the row is read as a spreadsheet reads it, so that its table fails with the
        problem. A quote that is never closed, or that closes on a later line before
        text, and any other text the :mod:`csv` module cannot read, end the rows: the
        problem is kept in ``stop``.
        """
        kept: list[str] = []  # the lines of the record being read

        def keep(lines: Iterable[str]) -> Iterator[str]:
            for number, line in enumerate(lines):
                kept.append(line.removeprefix("\ufeff") if number == 0 else line)
                yield kept[-1]

        reader = csv.reader(keep(lines), strict=True)
        start = 1
        while True:
            kept.clear()
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                if not self.quote_problem(start, kept, error):
                    return
                cells = next(csv.reader(kept))  # as a spreadsheet reads the line
            if any(cells):
                yield start, cells
            start = reader.line_num + 1

    def quote_problem(self, start: int, lines: list[str], error: csv.Error) -> bool:
        """Note why the record starting on line ``start`` cannot be read.

        Returns whether reading can go on: the problem is confined to one line.
        """
        fault = _quote_fault(lines)
        if fault is None:
            self.stop = (start, f"line {start}", f"not readable as CSV ({error})")
            self.stop_prefix = []
            return False
        line = start + fault.line
        where = f"line {line}: {self.position_name(fault.column)}"
        if fault.closed is not None and fault.closed == fault.line:
            message = (
                f"text follows the closing quote of this quoted cell ({fault.text!r}); "
                'a quote inside a quoted cell is written twice ("")'
            )
            self.problem(line, message, header=self.position_name(fault.column))
            return True
        if fault.closed is None:
            last = start + len(lines) - 1
            rest = f" (it takes in the rest of the file, lines {line} to {last})"
            message = "the quote opening this cell is never closed" + (rest if last > line else "")
        else:
            message = (
                f"the quote opening this cell closes on line {start + fault.closed}, where "
                f"text follows it ({fault.text!r}): a closing quote is missing, or a quote "
                "inside the cell is not written twice"
            )
        self.stop = (line, where, message)
        try:  # the cells left of the quote (a cell there may hold a quoted line break)
            self.stop_prefix = next(csv.reader([fault.before]), [])[: fault.column]
        except csv.Error:  # pragma: no cover - the csv module read these cells already
            self.stop_prefix = []
        return False

    def starts_table(self, cells: list[str], group: list[_Record]) -> bool:
        """Whether a row's first cells say it starts a table after ``group``.

        ``False`` when the cells do not say.
        """
        record = self.positions["record"]
        name = self.positions["name"]
        if record >= len(cells) or name >= len(cells):
            return False
        if _RECORD_SPELLINGS.get(_header_key(self.cell(cells, "record"))) == "table":
            return True
        return self.cell(cells, "name") != group[0].name

    def position_name(self, position: int) -> str:
        """A column by its place: its header as the file writes it, and its number."""
        for alias, at in self.positions.items():
            if at == position:
                return f"{self.headers[alias]} (column {position + 1})"
        for at, header in self.unknown:
            if at == position:
                return f"{header} (column {position + 1})"
        return f"column {position + 1}"

    def header(self, line: int, cells: list[str]) -> bool:
        """Read the header row; whether the file has the columns to go on."""
        self.header_line = line
        seen: dict[str, int] = {}
        units: dict[str, tuple[str, str]] = {}
        for position, raw in enumerate(cells):
            header = raw.strip()
            key = _header_key(unescape_cell(header))
            if not key:
                continue
            column, unit = _column_of(key)
            name = header if column is None else column.alias
            if name in seen:
                self.problem(
                    line,
                    f"column {position + 1} repeats column {seen[name] + 1}",
                    header=header,
                )
                self.repeated.add(position)
                continue
            seen[name] = position
            if column is None:
                self.unknown.append((position, header))
                continue
            self.positions[column.alias] = position
            self.headers[column.alias] = header
            if unit and column.alias in _MONEY_COLUMNS:
                units[column.alias] = (unit, header)
        for alias in ("name", "record"):
            if alias not in self.positions:
                self.problem(line, f"no {_BY_ALIAS[alias].header} ({alias}) column")
        self.money_units(line, list(units.values()))
        self.named = frozenset(
            {*self.positions.values(), *(at for at, _ in self.unknown), *self.repeated}
        )
        return "name" in self.positions and "record" in self.positions

    def money_units(self, line: int, units: list[tuple[str, str]]) -> None:
        """Take the money unit the amounts' headers state; they must agree."""
        if not units:
            return
        unit, header = units[0]
        for other, other_header in units[1:]:
            if conversion_factor(other, unit) != 1:
                message = f"the unit {other} differs from {unit} in {header}"
                self.problem(line, message, header=other_header)
        self.money_unit = (unit, header)

    def check_columns(self, record_type: RecordType) -> bool:
        """Whether the header has the columns a record type needs (each missing one noted).

        Checked the first time a record of the type comes.
        """
        self.checked.add(record_type)
        missing = [
            column
            for column in CSV_COLUMNS
            if record_type in column.required and column.alias not in self.positions
        ]
        for column in missing:
            self.problem(
                self.header_line,
                f"no {column.header} ({column.alias}) column; "
                f"{_RECORD_NAMES[record_type]} records need it",
            )
        return not missing

    # ---- records

    def cell(self, cells: list[str], alias: str) -> str:
        """The text of a known column's cell ("" when the row is short)."""
        position = self.positions.get(alias)
        if position is None or position >= len(cells):
            return ""
        text = cells[position]
        return unescape_cell(text) if text[:1] == "=" else text

    def record(self, line: int, cells: list[str]) -> _Record | None:
        """Read one row; ``None`` when it cannot be a record at all."""
        named = self.named
        for position, text in enumerate(cells):
            if text and position not in named:
                self.problem(line, f"column {position + 1} holds {text!r} but has no header")
        record_type = self.record_type(line, self.cell(cells, "record"))
        if record_type is None:
            return None
        record = _Record(line, record_type, {}, [])
        blanks = self.extras(record, cells)
        for column in CSV_COLUMNS:
            if column.alias not in {"record", "extra"}:
                self.value(record, column, self.cell(cells, column.alias), blanks)
        return record

    def record_type(self, line: int, text: str) -> RecordType | None:
        """The record type a 行类型 cell names, noting a problem when it names none."""
        record_type = _RECORD_SPELLINGS.get(_header_key(text))
        expected = "expected 表 (table), 资金 (funds) or 指标 (indicator)"
        if not text.strip():
            self.problem(line, f"required cell is blank; {expected}", column="record")
        elif record_type is None:
            self.problem(line, f"unknown record type {text!r}; {expected}", column="record")
        return record_type

    def value(self, record: _Record, column: CsvColumn, text: str, blanks: set[str]) -> None:
        """Put one cell's value (``None`` for not given) into the record."""
        alias = column.alias
        if not _uses(column, record.record_type):
            if text:
                name = _RECORD_NAMES[record.record_type]
                self.problem(record.line, f"a {name} record does not use this column", column=alias)
            return
        value: str | None = text or None
        if not text and alias in blanks:
            value = ""
        elif not text and record.record_type in column.required:
            if alias in _IDENTITY and alias in self.positions:
                hint = " (a label printed once is repeated on every row)"
                hint = hint if alias in {"level1", "level2"} else ""
                self.problem(record.line, f"required cell is blank{hint}", column=alias)
            value = ""
        if alias == "kind" and value is not None:
            value = _KIND_SPELLINGS.get(_header_key(value))
            if value is None:
                self.problem(
                    record.line,
                    f"expected 项目 (project) or 部门 (department), got {text!r}",
                    column=alias,
                )
        record.values[alias] = value

    # ---- extra keys

    def extras(self, record: _Record, cells: list[str]) -> set[str]:
        """Read unknown columns and the extra column into the record; the blank aliases."""
        seen: dict[str, str] = {}
        for position, header in self.unknown:
            if position < len(cells) and (text := cells[position]):
                self.add_extra(record, header, unescape_cell(text), header, seen)
        text = self.cell(cells, "extra")
        data = self.json(record.line, text) if text else None
        if data is None:
            return set()
        blanks: set[str] = set()
        for key, value in data.items():
            if key == _BLANK:
                blanks = self.blank_list(record, value, cells)
            elif key.startswith(_RESERVED_PREFIX):
                self.reserved(record, key, value, seen)
            else:
                self.add_extra(record, key, value, self.column_name("extra"), seen)
        return blanks

    def reserved(self, record: _Record, key: str, value: JSONValue, seen: dict[str, str]) -> None:
        """Take one of the extra column's ``perfscore:`` keys."""
        if key == _GOAL:
            self.goal_extra(record, value)
        elif key in _PROVENANCE:
            self.provenance(record, key, value)
        elif key != _EXTRA:
            message = f"unknown key {key!r}; keys starting with {_RESERVED_PREFIX!r} go in {_EXTRA}"
            self.problem(record.line, message, column="extra")
        elif isinstance(value, dict):
            for inner, item in value.items():
                self.add_extra(record, inner, item, self.column_name("extra"), seen)
        else:
            message = f"{_EXTRA} must be a JSON object, got {_describe(value)}"
            self.problem(record.line, message, column="extra")

    def add_extra(
        self, record: _Record, key: str, value: JSONValue, header: str, seen: dict[str, str]
    ) -> None:
        """Add one extra key, from the column ``header``, unless it is taken or repeated."""
        if key in _KNOWN_KEYS[record.record_type]:
            message = f"{key!r} is a key of the table format, not an extra one"
            self.problem(record.line, message, header=header)
        elif key in seen:
            message = f"{key!r} is given twice (also in {seen[key]})"
            self.problem(record.line, message, header=header)
        else:
            seen[key] = header
            record.extra.append((key, value))

    def json(self, line: int, text: str) -> dict[str, JSONValue] | None:
        """The extra column's JSON object, or ``None`` (and a problem) when it is not one."""
        # Imported here: the loader reads CSV files through this module.

        try:
            data = decode_json(text, source=self.source)
        except TableFormatError as error:
            for problem in error.exceptions:
                if isinstance(problem, InvalidTable):
                    self.problem(line, problem.problem, column="extra")
            return None
        if not isinstance(data, dict):
            self.problem(line, f"expected a JSON object, got {_describe(data)}", column="extra")
            return None
        return data

    def blank_list(self, record: _Record, value: JSONValue, cells: list[str]) -> set[str]:
        """The aliases a ``perfscore:blank`` list names, checked."""
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            message = f"{_BLANK} must be an array of column names"
            self.problem(record.line, message, column="extra")
            return set()
        blanks: set[str] = set()
        for item in value:
            column = _BY_HEADER.get(_header_key(item))
            if column is None or column.alias in {"record", "extra"}:
                column = None
            if column is None or not _uses(column, record.record_type):
                name = _RECORD_NAMES[record.record_type]
                message = f"{_BLANK} names {item!r}, not a column of a {name} record"
                self.problem(record.line, message, column="extra")
            elif text := self.cell(cells, column.alias):
                message = f"{_BLANK} names {item!r}, but its cell holds {text!r}"
                self.problem(record.line, message, column="extra")
            else:
                blanks.add(column.alias)
        return blanks

    def provenance(self, record: _Record, key: str, value: JSONValue) -> None:
        """Take a row's places or a table's origin (on its 表 record)."""
        wanted = "table" if key == "perfscore:origin" else record.record_type
        if record.record_type != wanted or (wanted == "table" and key != "perfscore:origin"):
            belongs = "a 表 record" if key == "perfscore:origin" else "资金 and 指标 records"
            self.problem(record.line, f"{key} belongs on {belongs}", column="extra")
        elif not isinstance(value, dict):
            message = f"{key} must be a JSON object, got {_describe(value)}"
            self.problem(record.line, message, column="extra")
        else:
            record.provenance[_PROVENANCE[key]] = value

    def goal_extra(self, record: _Record, value: JSONValue) -> None:
        """Take a ``perfscore:goal`` object: the goal's extra keys (and its presence)."""
        if record.record_type != "table":
            self.problem(record.line, f"{_GOAL} belongs on a 表 record", column="extra")
        elif not isinstance(value, dict):
            message = f"{_GOAL} must be a JSON object, got {_describe(value)}"
            self.problem(record.line, message, column="extra")
        elif clash := sorted(value.keys() & _GOAL_KEYS):
            message = f"{_GOAL} holds {clash[0]!r}, a key of the table format, not an extra one"
            self.problem(record.line, message, column="extra")
        else:
            record.goal_extra = value

    # ---- tables

    def tables(self, lines: Iterable[str]) -> Iterator[_Item]:
        """Each table of the text, or its problems by line, as soon as it is read.

        A new table starts at a 表 record or a change of name. Problems of a row that
        is no record at all (its type unreadable) go with the table its name gives. A
        problem of the file as a whole (its header, a column some record type needs,
        text that cannot be read on) ends the reading: the last item holds it, with
        the problems of the table being read.
        """
        rows = self.rows(lines)
        first = next(rows, None)
        if first is None:
            if not self.problems and self.stop is None:
                self.problem(0, "the file is empty")
            yield self.taken()
        elif not self.header(*first) or self.problems:
            yield self.taken()
        else:
            yield from self.body(rows, first[0])

    def body(self, rows: Iterator[tuple[int, list[str]]], header_line: int) -> Iterator[_Item]:
        """The tables of the rows below the header (see :meth:`tables`)."""
        group: list[_Record] = []
        mark = len(self.problems)  # the problems from here on are the next row's
        empty = True
        for line, cells in rows:
            empty = False
            record = self.record(line, cells)
            if group and (
                self.starts_table(cells, group)
                if record is None
                else record.record_type == "table" or record.name != group[0].name
            ):
                following = self.problems.split(mark)
                yield self.finish(group)
                self.problems = following
                group = []
            if record is not None:
                if record.record_type not in self.checked and not self.check_columns(
                    record.record_type
                ):
                    yield self.taken()
                    return
                group.append(record)
            mark = len(self.problems)
        if self.stop is not None:
            # The open table is complete when the unreadable record starts another.
            if group and self.starts_table(self.stop_prefix, group):
                yield self.finish(group)
            yield self.taken()
        elif group:
            yield self.finish(group)
        elif self.problems or empty:
            if not self.problems:
                self.problem(header_line, "no records below the header")
            yield self.taken()

    def finish(self, group: list[_Record]) -> _Item:
        """The table of a group of records, or the problems of the group."""
        table = self.table(self.build(group))
        if table is None or self.problems:
            return self.taken()
        return table

    def fields(self, group: list[_Record]) -> dict[str, tuple[str, int]]:
        """The table fields the records give, each with its line; a clash is a problem."""
        fields: dict[str, tuple[str, int]] = {}
        for record in group:
            for alias in _TABLE_FIELDS:
                value = record.values.get(alias)
                if value is None:
                    continue
                if alias not in fields:
                    fields[alias] = (value, record.line)
                elif fields[alias][0] != value:
                    earlier, line = fields[alias]
                    message = f"{value!r} differs from {earlier!r} on line {line}"
                    self.problem(record.line, message, column=alias)
        return fields

    def build(self, group: list[_Record]) -> _Built:
        """The ``perfscore.table/1`` object of one table's records."""
        first = group[0]
        fields = self.fields(group)
        data: dict[str, JSONValue] = {"name": first.name}
        for alias in ("kind", "year", "department", "implementer", "source", "money_unit"):
            if alias in fields:
                value = fields[alias][0]
                data[alias] = _year(value) if alias == "year" else value
        if self.money_unit is not None:
            self.header_money_unit(data, fields)
        funds = [record for record in group if record.record_type == "funds"]
        indicators = [record for record in group if record.record_type == "indicator"]
        data["funds"] = [_row_dict(record) for record in funds]
        table_record = first if first.record_type == "table" else None
        goal = _goal(fields, table_record.goal_extra if table_record else None)
        if goal is not None:
            data["goal"] = goal
        data["indicators"] = [_row_dict(record) for record in indicators]
        for alias in ("total", "remarks"):
            if alias in fields:
                data[alias] = fields[alias][0]
        if table_record is not None:
            data.update(table_record.provenance)
            data.update(table_record.extra)
        return _Built(
            data=data,
            first_line=first.line,
            field_lines={alias: line for alias, (_, line) in fields.items()},
            fund_lines=[record.line for record in funds],
            indicator_lines=[record.line for record in indicators],
        )

    def header_money_unit(
        self, data: dict[str, JSONValue], fields: Mapping[str, tuple[str, int]]
    ) -> None:
        """Give the table the money unit the amounts' headers state.

        A 金额单位 cell that says another unit is a problem.
        """
        assert self.money_unit is not None  # noqa: S101 - the caller checked
        unit, header = self.money_unit
        if "money_unit" not in fields:
            data["money_unit"] = normalize_unit(unit)
            return
        given, line = fields["money_unit"]
        if conversion_factor(given, unit) != 1:
            message = f"{given!r} differs from the unit {unit} in the header {header}"
            self.problem(line, message, column="money_unit")

    def table(self, built: _Built) -> Table | None:
        """The table, or ``None`` with its problems noted by CSV line."""
        try:
            return table_from_dict(built.data, source=self.source, memo=self.memo)
        except TableFormatError as error:
            for problem in error.exceptions:
                if isinstance(problem, InvalidTable):
                    self.map_problem(built, problem)
            return None

    def map_problem(self, built: _Built, problem: InvalidTable) -> None:
        """Note a problem of :func:`table_from_dict` at the CSV line it comes from."""
        path = problem.path
        match = _ROW_PATH.fullmatch(path)
        if match:
            part, index, key = match.groups()
            lines = built.fund_lines if part == "funds" else built.indicator_lines
            column = _ALIASES.get(key, key) if key else ""
            line = lines[int(index)] if int(index) < len(lines) else built.first_line
            self.problem(line, problem.problem, column=column)
        elif path == "indicators":
            name = built.data["name"]
            message = (
                f"table {name!r} has no 指标 records; a table needs at least one indicator row"
            )
            self.problem(built.first_line, message)
        else:
            column = _ALIASES.get(path.removeprefix("goal."), path)
            line = built.field_lines.get(column, built.first_line)
            self.problem(line, problem.problem, column=column)


# The column alias of a table-format key, where they differ.
_ALIASES: Final[dict[str, str]] = {key: alias for alias, key in _KEYS.items()}
_ROW_ALIASES: Final[dict[RecordType, tuple[str, ...]]] = {
    record_type: tuple(
        column.alias
        for column in CSV_COLUMNS
        if record_type in column.records and column.alias not in {"name", "record", "extra"}
    )
    for record_type in _ROWS
}


def _goal(
    fields: Mapping[str, tuple[str, int]], extra: dict[str, JSONValue] | None
) -> dict[str, JSONValue] | None:
    """The goal object: there when a goal cell is given or ``perfscore:goal`` is."""
    given = [alias for alias in ("goal_expected", "goal_achieved") if alias in fields]
    if not given and extra is None:
        return None
    goal: dict[str, JSONValue] = {_KEYS[alias]: fields[alias][0] for alias in given}
    goal.update(extra or {})
    return goal


def _row_dict(record: _Record) -> dict[str, JSONValue]:
    """A funds or indicator record as its ``perfscore.table/1`` object."""
    out: dict[str, JSONValue] = {
        _KEYS.get(alias, alias): value
        for alias in _ROW_ALIASES[record.record_type]
        if (value := record.values.get(alias)) is not None
    }
    out.update(record.provenance)
    out.update(record.extra)
    return out


def _year(text: str) -> int | str:
    """A year cell as an int when it is one (else as given, for the format to judge)."""
    if _YEAR.fullmatch(text):
        try:
            return int(text)
        except ValueError:  # more digits than int() reads from a string
            return text
    return text


def tables_from_csv(text: str, *, source: str = "<string>") -> list[Table]:
    """Read the tables in CSV text in the long layout.

    Args:
        text: the CSV, a header row then one row per record.
        source: a name for the text, used in error messages.

    Returns:
        The tables, in the order their records appear.

    Raises:
        TableFormatError: the text is not tables in this layout; every problem of the
            file is listed, each naming its CSV line (the header is line 1) and column.

    >>> text = '''项目名称,行类型,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值
    ... 示例,指标,产出指标,数量指标,培训人数,>=100 人,120 人,二十
    ... '''
    >>> [table] = tables_from_csv(text)
    >>> table.indicators[0].weight.kind
    'unreadable'
    >>> try:
    ...     tables_from_csv(text.replace(",指标,", ",指示,"), source="data.csv")
    ... except TableFormatError as error:
    ...     print(error)
    data.csv: not a perfscore table (1 problem)
      line 2: 行类型: unknown record type '指示';
              expected 表 (table), 资金 (funds) or 指标 (indicator)
    """
    return _all_or_nothing(
        _field_limit_raised(_CsvReader(source).tables(io.StringIO(text, newline=""))), source
    )


def read_csv(raw: bytes, *, source: str, memo: Memo | None = None) -> list[Table]:
    """Read the tables in a CSV file's bytes.

    The bytes are decoded as UTF-8 (with or without a byte order mark), else as
    GB18030, which Excel on Chinese Windows writes. This is :func:`iter_csv` on the
    bytes, all or nothing.

    Args:
        raw: the file's bytes.
        source: the file's name, used in error messages.
        memo: the run's :class:`~perfscore.memo.Memo` (rows read before are reused).

    Raises:
        TableFormatError: the bytes are empty, binary or not text in either encoding,
            or the text is not tables in the long layout; every problem of the file is
            listed.

    >>> text = '''项目名称,行类型,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值
    ... 示例,指标,产出指标,数量指标,培训人数,>=100 人,120 人,10
    ... '''
    >>> read_csv(text.encode("gb18030"), source="gbk.csv")[0].indicators[0].level3
    '培训人数'
    >>> try:
    ...     read_csv(b"PNG" + bytes(4), source="image.csv")
    ... except TableFormatError as error:
    ...     print(error)
    image.csv: not a perfscore table (1 problem)
      binary data, not CSV text (a NUL byte at byte 3)
    """
    return _all_or_nothing(_items(io.BytesIO(raw), source, memo), source)


def iter_csv(
    stream: BinaryIO, *, source: str, memo: Memo | None = None
) -> Iterator[Table | TableFormatError]:
    """Read the tables of a CSV file one at a time, as each table's records are read.

    The stream is read twice: once to tell its encoding (UTF-8 with or without a byte
    order mark, else GB18030; a NUL byte means binary data), then to read the
    records. It must be seekable; a stream that is not (a pipe) is read into memory
    first. Reading starts at the stream's position. Memory stays that of the table
    being read, whatever the file's size.

    A problem of one table (a blank label, a bad year, a cell in the wrong column)
    comes as a :class:`~perfscore.errors.TableFormatError` in that table's place,
    naming CSV lines, and reading goes on with the next table. A problem of the file
    (its encoding, binary data, its header, a column some records need, a quote that
    runs on over several lines) comes as a last ``TableFormatError``, with the
    problems of the table being read, and nothing follows it.

    The :mod:`csv` module's field size limit (131,072 characters unless changed) is
    a setting of the whole process: the reader raises it while it reads, so that a
    cell of any length is read, and sets it back to what it was before each table
    (or error) it hands out.

    Args:
        stream: the file, opened in binary mode.
        source: the file's name, used in error messages.
        memo: the run's :class:`~perfscore.memo.Memo` (rows read before are reused).

    Yields:
        Each table, or the ``TableFormatError`` of a table or of the file, in order.

    >>> text = '''项目名称,行类型,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值
    ... 甲,指标,产出指标,数量指标,培训人数,>=100 人,120 人,10
    ... 乙,指标,,数量指标,培训人数,>=100 人,120 人,10
    ... 丙,指标,产出指标,数量指标,培训人数,>=100 人,120 人,10
    ... 丁,指标,产出指标,数量指标,培训人数,>=100 人,"120 人,10
    ... '''
    >>> for item in iter_csv(io.BytesIO(text.encode()), source="data.csv"):
    ...     print(item if isinstance(item, TableFormatError) else item.name)
    甲
    data.csv: not a perfscore table (1 problem)
      line 3: 一级指标: required cell is blank (a label printed once is repeated on every row)
    丙
    data.csv: not a perfscore table (1 problem)
      line 5: 实际完成值 (column 7): the quote opening this cell is never closed
    """
    for item in _items(stream, source, memo):
        yield item.error() if isinstance(item, Problems) else item


def _items(stream: BinaryIO, source: str, memo: Memo | None) -> Iterator[_Item]:
    """The reader's items over a binary stream: tables, and problems by line."""
    if not stream.seekable():
        stream = io.BytesIO(stream.read())
    start = stream.tell()
    encoding = _encoding(stream, source)
    if isinstance(encoding, InvalidTable):
        problems = Problems(TableFormatError, source=source)
        problems.add(encoding.path, encoding.problem)
        yield problems
        return
    stream.seek(start)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        yield from _field_limit_raised(_CsvReader(source, memo).tables(text))
    finally:
        text.detach()  # the caller's stream stays open


# Large enough for any cell (a C long on every platform): the limit stops nothing.
_FIELD_LIMIT: Final = 2**31 - 1


def _field_limit_raised(items: Iterator[_Item]) -> Iterator[_Item]:
    """The items, the :mod:`csv` field size limit raised only while each is made.

    The limit is global to the process, so it is set back to the caller's value
    before every item is handed out, and the caller never sees it changed.
    """
    while True:
        saved = csv.field_size_limit(_FIELD_LIMIT)
        try:
            item = next(items, None)
        finally:
            csv.field_size_limit(saved)
        if item is None:
            return
        yield item


def _all_or_nothing(items: Iterable[_Item], source: str) -> list[Table]:
    """The tables, or one error listing every problem of the file by line."""
    tables: list[Table] = []
    problems = Problems(TableFormatError, source=source)
    for item in items:
        if isinstance(item, Problems):
            problems.extend(item)
        else:
            tables.append(item)
    problems.raise_if_any()
    return tables


_CHUNK: Final = 1 << 20


def _encoding(stream: BinaryIO, source: str) -> str | InvalidTable:
    """The encoding to read the stream with, or the problem that it has none.

    Reads the stream to its end (from where it is) in chunks: nothing is held.
    """
    start = stream.tell()
    head = stream.read(3)
    stream.seek(start)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problem = "UTF-16 text, which perfscore does not read; save the file as CSV UTF-8"
        return InvalidTable("", problem, source=source)
    bom = head == codecs.BOM_UTF8
    utf8 = _decode_error(stream, "utf-8", nul=True)
    if isinstance(utf8, int):
        problem = f"binary data, not CSV text (a NUL byte at byte {utf8})"
        return InvalidTable("", problem, source=source)
    if utf8 is None:
        return "utf-8-sig"
    if bom:
        return InvalidTable(
            "", f"not UTF-8 text, though it starts with a UTF-8 BOM ({utf8})", source=source
        )
    stream.seek(start)
    gb18030 = _decode_error(stream, "gb18030", nul=False)
    if gb18030 is None:
        return "gb18030"
    return InvalidTable("", f"neither UTF-8 nor GB18030 text ({gb18030})", source=source)


def _decode_error(stream: BinaryIO, encoding: str, *, nul: bool) -> str | int | None:
    """Where the stream's bytes stop being text in an encoding: ``byte N: b'..'``.

    ``None`` when they never do. With ``nul``, a NUL byte anywhere comes first: its
    offset, an int.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    found: str | None = None
    while chunk := stream.read(_CHUNK):
        if nul and (at := chunk.find(b"\0")) >= 0:
            return offset + at
        if found is None:
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                found = _where(error, offset - pending)
                if not nul:
                    return found
        offset += len(chunk)
    if found is None:
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            found = _where(error, offset - pending)
    return found


def _where(error: UnicodeDecodeError, base: int) -> str:
    """``byte N: b'..'``, the first byte that cannot be decoded, counted in the file."""
    byte = error.object[error.start : error.start + 1]
    return f"byte {base + error.start}: {byte!r}"


class _QuoteFault(NamedTuple):
    """Where a record's quoting goes wrong (see :func:`_quote_fault`)."""

    line: int  # the line of the quote that opens the cell, from the record's first (0)
    column: int  # the cell's column, from 0
    before: str  # the record's text before that quote
    closed: int | None  # the line where text follows its closing quote; None: never closes
    text: str  # the cell from its quote when it closes on that line, else the text after


def _quote_fault(lines: list[str]) -> _QuoteFault | None:  # noqa: C901 - one branch per state
    """Where a record's quoting goes wrong, read as the :mod:`csv` module reads it.

    ``None`` when the quoting is sound.
    """
    at_start, in_cell, in_quotes, after_quote = 0, 1, 2, 3
    state = at_start
    column = 0
    opened = (0, 0, 0, 0)  # line, column, index in the line, offset in the record
    offset = 0
    for number, line in enumerate(lines):
        for index, char in enumerate(line):
            if state == in_quotes:
                if char == '"':
                    state = after_quote
            elif state == after_quote and char not in ',"\r\n':
                opened_line, opened_column, opened_index, opened_offset = opened
                # The cell as far as the next comma, from its opening quote when it
                # closes on its own line, else from the closing quote.
                cell_start = opened_index if number == opened_line else index - 1
                cell_end = min(line.find(end, index) % (len(line) + 1) for end in ",\r\n")
                text = line[cell_start:cell_end][:40]
                before = "".join(lines[: opened_line + 1])[:opened_offset]
                return _QuoteFault(opened_line, opened_column, before, number, text)
            elif state == after_quote and char == '"':
                state = in_quotes
            elif char == ",":
                column, state = column + 1, at_start
            elif char in "\r\n":
                state = at_start
            elif char == '"' and state == at_start:
                opened, state = (number, column, index, offset + index), in_quotes
            else:
                state = in_cell  # a quote inside a cell that does not start with one is text
        offset += len(line)
    if state != in_quotes:
        return None
    before = "".join(lines[: opened[0] + 1])[: opened[3]]
    return _QuoteFault(opened[0], opened[1], before, None, "")


# ------------------------------------------------------------------------ spreadsheet cells

# Characters that make a spreadsheet take a cell as a formula (= + - @, their
# full-width and small forms, the minus sign) or that start a CSV injection (tab, CR).
_FORMULA_START: Final = frozenset("=+-@\t\r\n＝＋－＠﹦﹢﹣−")
# A number every spreadsheet shows as written: no sign, no leading zero, no trailing
# zero after a point, at most 11 characters (Excel's general format shows 11).
_PLAIN_NUMBER: Final = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?", re.ASCII)
_PLAIN_NUMBER_LENGTH: Final = 11
# What numbers, dates, times, fractions, percentages, currencies and booleans are made
# of, in English and Chinese spreadsheets (after NFKC): a cell of these characters
# alone may be converted. Any other character (件, 人, ≥, <, a quote, a line break …)
# makes the cell text.
_NUMBER_ASCII: Final = frozenset(
    "0123456789 .,:/-+()%$'#abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)
_NUMBER_OTHER: Final = frozenset("¥€£‰年月日时分秒上下午点元")
# Letters that numbers, dates and times hold (exponent, AM/PM, months, booleans).
_NUMBER_WORDS: Final = frozenset(
    {"e", "a", "p", "am", "pm", "t", "z", "true", "false"}
    | {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov"}
    | {"dec", "january", "february", "march", "april", "june", "july", "august"}
    | {"september", "october", "november", "december"}
)
_LETTERS: Final = re.compile(r"[a-z]+", re.ASCII)
_BOOLEANS: Final = frozenset({"true", "false"})
# The formula the writer wraps text in: ="…" pieces and CHAR(10) / CHAR(13) for line
# breaks (LibreOffice does not evaluate a formula that holds a line break), joined by &.
_PIECE: Final = r'(?:"(?:[^"\r\n]|"")*"|CHAR\(1[03]\))'
_WRAPPED: Final = re.compile(rf"={_PIECE}(?:&{_PIECE})*")
_PIECES: Final = re.compile(r'"((?:[^"\r\n]|"")*)"|CHAR\((1[03])\)')
# Excel reads at most 255 characters (UTF-16 units) in one string of a formula.
_PIECE_UNITS: Final = 255


def escape_cell(text: str) -> str:
    r"""A cell's text as written to CSV, so that a spreadsheet shows exactly that text.

    Excel and LibreOffice take a cell starting with ``=`` (or ``+ - @``) as a formula
    and convert what looks like a number, date, time, percentage or boolean
    (``10.00`` shows as ``10``, ``1/2`` as a date, ``true`` as ``TRUE``). Such a cell
    is written as a formula whose result is the text: ``="…"``, quotes doubled, long
    text in pieces of at most 255 characters joined by ``&``, line breaks as
    ``CHAR(10)`` and ``CHAR(13)``. Every other cell, and every cell that the
    spreadsheet shows as written (``>=700 件``, ``10``, ``年度资金总额``), is written as
    it is. :func:`unescape_cell` gives the text back.

    >>> escape_cell("=1044 件"), escape_cell("10.00"), escape_cell(">=700 件"), escape_cell("10")
    ('="=1044 件"', '="10.00"', '>=700 件', '10')
    >>> print(escape_cell("+cmd|' /C calc'!A0"), escape_cell('="x'), escape_cell("-\n1"))
    ="+cmd|' /C calc'!A0" ="=""x" ="-"&CHAR(10)&"1"
    """
    if len(text) <= _CACHED_LENGTH:
        return _escaped_cell(text)
    return _escape(text)


# Cells repeat across a batch; long ones seldom do, and are not kept.
_CACHED_LENGTH: Final = 200


def _escape(text: str) -> str:
    """``escape_cell``, worked out."""
    if _shows_as_written(text):
        return text
    pieces: list[str] = []
    for part in re.split("(\r|\n)", text):
        if part in {"\r", "\n"}:
            pieces.append(f"CHAR({ord(part)})")
        elif part:
            pieces.extend(f'"{piece}"' for piece in _pieces(part.replace('"', '""')))
    return "=" + "&".join(pieces)


def _shows_as_written(text: str) -> bool:  # noqa: PLR0911 - one return per kind of cell
    """Whether a spreadsheet opening the CSV shows the cell as written (see escape_cell)."""
    if not text:
        return True
    start = text.lstrip()[:1] or text[0]
    if start in _FORMULA_START or text[0] in _FORMULA_START or start == "#":
        return False  # a formula, or an error value such as #N/A
    if _PLAIN_NUMBER.fullmatch(text) and len(text) <= _PLAIN_NUMBER_LENGTH:
        return True
    folded = unicodedata.normalize("NFKC", text)
    if folded.lstrip()[:1] in _FORMULA_START:
        return False
    for char in folded:
        if char not in _NUMBER_ASCII and char not in _NUMBER_OTHER and not char.isdigit():
            return True  # a character no number, date or time holds: text
    lowered = folded.lower()
    if any(word not in _NUMBER_WORDS for word in _LETTERS.findall(lowered)):
        return True
    if lowered.strip() in _BOOLEANS:
        return False
    return not any(char.isdigit() for char in folded)


_escaped_cell: Final = lru_cache(maxsize=1 << 14)(_escape)


def _pieces(escaped: str) -> Iterator[str]:
    """The text (quotes doubled) in pieces of at most 255 UTF-16 units.

    A doubled quote is never split.
    """
    if len(escaped) <= _PIECE_UNITS // 2:
        yield escaped
        return
    start = units = 0
    index = 0
    while index < len(escaped):
        step = 2 if escaped.startswith('""', index) else 1
        width = sum(2 if ord(char) > 0xFFFF else 1 for char in escaped[index : index + step])
        if units + width > _PIECE_UNITS:
            yield escaped[start:index]
            start, units = index, 0
        units += width
        index += step
    yield escaped[start:]


def unescape_cell(text: str) -> str:
    r"""The text of a cell as read from CSV: the inverse of :func:`escape_cell`.

    A formula :func:`escape_cell` writes gives its text back; any other cell is its
    text as it is.

    >>> unescape_cell('="=1044 件"'), unescape_cell('="a ""b"&CHAR(10)&"c"'), unescape_cell("=1+1")
    ('=1044 件', 'a "b\nc', '=1+1')
    """
    if text[:1] != "=":
        return text
    return _unescaped_cell(text) if len(text) <= _CACHED_LENGTH else _unescape(text)


def _unescape(text: str) -> str:
    """``unescape_cell``, worked out."""
    if not _WRAPPED.fullmatch(text):
        return text
    return "".join(
        piece.replace('""', '"') if code is None else chr(int(code))
        for piece, code in (match.groups() for match in _PIECES.finditer(text))
    )


_unescaped_cell: Final = lru_cache(maxsize=1 << 12)(_unescape)


# ------------------------------------------------------------------------ writing


def tables_to_csv(tables: Iterable[Table]) -> str:
    """The tables as CSV text in the long layout, every cell's text kept.

    Every column of :data:`CSV_COLUMNS` is written, with its Chinese header; each
    table gets a ``表`` record, then a ``资金`` record per funds row and a ``指标``
    record per indicator row. A cell a spreadsheet would not show as written is
    escaped (:func:`escape_cell`). Lines end in CRLF (RFC 4180, as Excel writes), as
    in every CSV perfscore writes.

    Raises:
        FloatRefusedError: an extra key holds a float (it could not come back equal).
        TypeError: an extra key holds a value JSON cannot hold.
        ValueError: an extra key holds a NaN or infinite Decimal.

    >>> from perfscore.io.files import load
    >>> table = load("examples/changji-2023/02_wine-competition-2022.json")[0]
    >>> text = tables_to_csv([table])
    >>> text.splitlines()[0].split(",")[:5]
    ['项目名称', '行类型', '表类型', '年度', '主管部门']
    >>> [line.split(",")[1] for line in text.splitlines()[1:]]
    ['表', '资金', '资金', '资金', '指标', '指标', '指标', '指标', '指标', '指标', '指标', '指标']
    >>> tables_from_csv(text)[0].to_dict() == table.to_dict()
    True
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.header for column in CSV_COLUMNS])
    for table in tables:
        writer.writerows(_records_of(table))
    return out.getvalue()


def stream_csv(tables: Iterable[Table], stream: BinaryIO) -> int:
    """Write tables as a CSV file to a binary stream, one table at a time.

    The bytes are those of :func:`write_csv` (UTF-8 with a byte order mark), but the
    tables are read lazily, so a batch of any size takes constant memory.

    Returns:
        The number of tables written.
    """
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([column.header for column in CSV_COLUMNS])
    stream.write(text.getvalue().encode("utf-8-sig"))
    count = 0
    for table in tables:
        text.seek(0)
        text.truncate()
        writer.writerows(_records_of(table))
        stream.write(text.getvalue().encode("utf-8"))
        count += 1
    return count


def write_csv(tables: Iterable[Table]) -> bytes:
    """The tables as a CSV file's bytes: UTF-8 with a byte order mark, so Excel reads it.

    >>> raw = write_csv([])
    >>> raw.startswith(codecs.BOM_UTF8), raw.decode("utf-8-sig").split(",")[:2]
    (True, ['项目名称', '行类型'])
    """
    return tables_to_csv(tables).encode("utf-8-sig")


def _records_of(table: Table) -> Iterator[list[str]]:
    data = table_to_dict(table)
    yield _table_record(data)
    parts: tuple[tuple[str, RecordType], ...] = (("funds", "funds"), ("indicators", "indicator"))
    for part, record_type in parts:
        for row in data[part]:
            values: dict[str, JSONValue] = {"name": data["name"]}
            for alias in _ROW_ALIASES[record_type]:
                if (key := _KEYS.get(alias, alias)) in row:
                    values[alias] = row[key]
            provenance = {"perfscore:places": row["places"]} if "places" in row else {}
            yield _cells(record_type, values, _own_extra(row, record_type), None, provenance)


def _table_record(data: Mapping[str, JSONValue]) -> list[str]:
    values: dict[str, JSONValue] = {
        "name": data["name"],
        "kind": _KIND_NAMES.get(data["kind"], data["kind"]),
    }
    if "year" in data:
        values["year"] = str(data["year"])
    for alias in ("department", "implementer", "source", "money_unit", "total", "remarks"):
        if alias in data:
            values[alias] = data[alias]
    goal_extra = None
    if (goal := data.get("goal")) is not None:
        for alias in ("goal_expected", "goal_achieved"):
            if _KEYS[alias] in goal:
                values[alias] = goal[_KEYS[alias]]
        goal_extra = {key: value for key, value in goal.items() if key not in _GOAL_KEYS}
        if not goal_extra and goal.keys() & _GOAL_KEYS:
            goal_extra = None  # the goal's cells say it is there
    provenance = {"perfscore:origin": data["origin"]} if "origin" in data else {}
    return _cells("table", values, _own_extra(data, "table"), goal_extra, provenance)


def _own_extra(
    data: Mapping[str, JSONValue], record_type: RecordType
) -> list[tuple[str, JSONValue]]:
    return [(key, value) for key, value in data.items() if key not in _KNOWN_KEYS[record_type]]


def _cells(
    record_type: RecordType,
    values: Mapping[str, JSONValue],
    own: list[tuple[str, JSONValue]],
    goal_extra: dict[str, JSONValue] | None,
    provenance: Mapping[str, JSONValue],
) -> list[str]:
    """One record's row: its cells in column order, what they cannot say as JSON."""
    extra: dict[str, JSONValue] = {}
    blanks = [
        column.alias
        for column in CSV_COLUMNS
        if values.get(column.alias) == "" and not _blank_reads_empty(column, record_type)
    ]
    if blanks:
        extra[_BLANK] = blanks
    if goal_extra is not None:
        extra[_GOAL] = goal_extra
    extra.update(provenance)
    if any(key.startswith(_RESERVED_PREFIX) for key, _ in own):
        extra[_EXTRA] = dict(own)  # keeps the keys clear of the reserved ones
    else:
        extra.update(own)
    cells = {**values, "record": _RECORD_NAMES[record_type]}
    cells["extra"] = _json(extra, "extra") if extra else ""
    return [escape_cell(str(cells.get(column.alias, ""))) for column in CSV_COLUMNS]


def _json(value: JSONValue, where: str) -> str:
    """JSON text for an extra value, numbers exactly as their Decimal digits."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{where}: {value} is not a number JSON can hold")
        return str(value)
    if isinstance(value, float):
        raise FloatRefusedError(value, where=where)
    if isinstance(value, dict):
        return _json_object(value, where)
    if isinstance(value, list | tuple):
        return (
            "["
            + ", ".join(_json(item, f"{where}[{index}]") for index, item in enumerate(value))
            + "]"
        )
    raise TypeError(f"{where}: cannot write {type(value).__name__} as JSON")


def _json_object(value: dict[object, JSONValue], where: str) -> str:
    items = []
    for key, item in value.items():
        if not isinstance(key, str):
            raise TypeError(f"{where}: a JSON object's keys are strings, got {key!r}")
        items.append(f"{json.dumps(key, ensure_ascii=False)}: {_json(item, f'{where}.{key}')}")
    return "{" + ", ".join(items) + "}"

"""Tables as CSV in a long layout: one row per record, any number of tables per file.

A spreadsheet holds a table more easily as rows than as nested JSON. In this layout
each row is one *record*: a ``表`` record with the table's own fields, a ``资金``
record per funds row and a ``指标`` record per indicator row. The ``项目名称`` column
on every record names the table it belongs to. Cells are written verbatim, and what a
flat row cannot say (extra keys, cells present but blank) goes into the ``附加字段``
column as JSON, so reading a file back gives the very same tables.

Reading builds one ``perfscore.table/1`` object per table and hands it to
:func:`perfscore.tableformat.table_from_dict`: cells that cannot be read load as
unreadable cells (the audit reports them), while a file whose *shape* is wrong raises
one :class:`~perfscore.errors.TableFormatError` listing every problem by CSV line.

>>> import csv
>>> from perfscore.loader import loads
>>> table = loads('''{"name": "示例项目", "year": 2023, "indicators": [
...   {"level1": "产出指标", "level2": "数量指标", "level3": "培训人数",
...    "target": ">=100 人", "actual": "=120 人", "weight": "50", "score": "50"}]}''')[0]
>>> text = tables_to_csv([table])
>>> header, *records = csv.reader(text.splitlines())
>>> for record in records:
...     print({column: cell for column, cell in zip(header, record) if cell})
{'项目名称': '示例项目', '行类型': '表', '表类型': '项目', '年度': '2023', '金额单位': '万元'}
{'项目名称': '示例项目', '行类型': '指标', '一级指标': '产出指标', '二级指标': '数量指标',
 '三级指标': '培训人数', '年度指标值': '>=100 人', '实际完成值': '=120 人', '分值': '50',
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
from decimal import Decimal
from typing import TYPE_CHECKING, BinaryIO, Final, Literal, NoReturn

import attrs

from perfscore._text import fold
from perfscore.errors import FloatRefusedError, InvalidTable, TableFormatError
from perfscore.tableformat import (
    FUND_KEYS,
    INDICATOR_KEYS,
    TABLE_KEYS,
    table_from_dict,
    table_to_dict,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from perfscore.model import JSONValue, Table

__all__ = [
    "CSV_COLUMNS",
    "CsvColumn",
    "RecordType",
    "read_csv",
    "stream_csv",
    "tables_from_csv",
    "tables_to_csv",
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
_RESERVED_PREFIX: Final = "perfscore:"
_YEAR: Final = re.compile(r"-?[0-9]+")
_ROW_PATH: Final = re.compile(r"(funds|indicators)\[(\d+)\](?:\.(.+))?")


def _header_key(text: str) -> str:
    """A header (or record type) reduced for matching: NFKC, no space, ``_`` or ``-``."""
    folded, _ = fold(text)
    return folded.lower().replace("_", "").replace("-", "")


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

    line: int
    record_type: RecordType
    values: dict[str, str | None]
    extra: list[tuple[str, JSONValue]]
    goal_extra: dict[str, JSONValue] | None = None

    @property
    def name(self) -> str:
        return self.values.get("name") or ""


@attrs.define
class _Built:
    """A table object built from records, with the CSV line behind each part."""

    data: dict[str, JSONValue]
    first_line: int
    field_lines: dict[str, int]
    fund_lines: list[int]
    indicator_lines: list[int]


class _CsvReader:
    """Reads one CSV text, noting every problem with its line."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[tuple[int, InvalidTable]] = []
        self.header_line = 1
        self.positions: dict[str, int] = {}
        self.headers: dict[str, str] = {}
        self.unknown: list[tuple[int, str]] = []
        self.repeated: set[int] = set()

    def problem(self, line: int, message: str, *, column: str = "", header: str = "") -> None:
        """Note a problem on a line, in a column (by alias, or by its header as written)."""
        where = f"line {line}" if line else ""
        if column or header:
            where = f"{where}: {header or self.column_name(column)}"
        self.problems.append((line, InvalidTable(where, message, source=self.source)))

    def column_name(self, column: str) -> str:
        """The header the file uses for a column, else its official header."""
        if column in self.headers:
            return self.headers[column]
        known = _BY_ALIAS.get(column)
        return known.header if known else column

    def error(self) -> TableFormatError:
        ordered = sorted(self.problems, key=lambda item: item[0])
        return TableFormatError(self.source, [problem for _, problem in ordered])

    # ---- rows and header

    def rows(self, text: str) -> list[tuple[int, list[str]]]:
        """The rows that hold something, each with the line it starts on."""
        reader = csv.reader(io.StringIO(text, newline=""))
        rows: list[tuple[int, list[str]]] = []
        start = 1
        try:
            for cells in reader:
                if any(cells):
                    rows.append((start, cells))
                start = reader.line_num + 1
        except csv.Error as error:
            self.problem(start, f"not readable as CSV ({error})")
        return rows

    def header(self, line: int, cells: list[str]) -> bool:
        """Read the header row; whether the file has the columns to go on."""
        self.header_line = line
        seen: dict[str, int] = {}
        for position, raw in enumerate(cells):
            header = raw.strip()
            key = _header_key(header)
            if not key:
                continue
            column = _BY_HEADER.get(key)
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
            else:
                self.positions[column.alias] = position
                self.headers[column.alias] = header
        for alias in ("name", "record"):
            if alias not in self.positions:
                self.problem(line, f"no {_BY_ALIAS[alias].header} ({alias}) column")
        return "name" in self.positions and "record" in self.positions

    def check_columns(self, records: list[_Record]) -> None:
        """Each column that the records present need must be in the header."""
        present = {record.record_type for record in records}
        for column in CSV_COLUMNS:
            need = [_RECORD_NAMES[kind] for kind in column.required if kind in present]
            if need and column.alias not in self.positions:
                self.problem(
                    self.header_line,
                    f"no {column.header} ({column.alias}) column; "
                    f"{' and '.join(need)} records need it",
                )

    # ---- records

    def cell(self, cells: list[str], alias: str) -> str:
        """The cell of a known column ("" when the row is short)."""
        position = self.positions.get(alias)
        return cells[position] if position is not None and position < len(cells) else ""

    def record(self, line: int, cells: list[str]) -> _Record | None:
        """Read one row; ``None`` when it cannot be a record at all."""
        named = {*self.positions.values(), *(position for position, _ in self.unknown)}
        named |= self.repeated
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
            if position < len(cells) and cells[position]:
                self.add_extra(record, header, cells[position], header, seen)
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
        from perfscore.loader import decode_json  # noqa: PLC0415

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

    def read(self, text: str) -> list[Table]:
        """Every table in the text (problems noted, not raised)."""
        rows = self.rows(text)
        if not rows:
            if not self.problems:
                self.problem(0, "the file is empty")
            return []
        (line, cells), *body = rows
        if not self.header(line, cells):
            return []
        if not body:
            if not self.problems:
                self.problem(line, "no records below the header")
            return []
        records = [record for line, cells in body if (record := self.record(line, cells))]
        self.check_columns(records)
        built = [self.build(group) for group in _groups(records)]
        return [table for part in built if (table := self.table(part)) is not None]

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
            data.update(table_record.extra)
        return _Built(
            data=data,
            first_line=first.line,
            field_lines={alias: line for alias, (_, line) in fields.items()},
            fund_lines=[record.line for record in funds],
            indicator_lines=[record.line for record in indicators],
        )

    def table(self, built: _Built) -> Table | None:
        """The table, or ``None`` with its problems noted by CSV line."""
        try:
            return table_from_dict(built.data, source=self.source)
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


def _groups(records: list[_Record]) -> list[list[_Record]]:
    """Records split into tables: a new table at a 表 record or a change of name."""
    groups: list[list[_Record]] = []
    for record in records:
        if not groups or record.record_type == "table" or record.name != groups[-1][0].name:
            groups.append([record])
        else:
            groups[-1].append(record)
    return groups


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
    reader = _CsvReader(source)
    tables = reader.read(text.removeprefix("\ufeff"))
    if reader.problems:
        raise reader.error()
    return tables


def read_csv(raw: bytes, *, source: str) -> list[Table]:
    """Read the tables in a CSV file's bytes.

    The bytes are decoded as UTF-8 (with or without a byte order mark), else as
    GB18030, which Excel on Chinese Windows writes.

    Args:
        raw: the file's bytes.
        source: the file's name, used in error messages.

    Raises:
        TableFormatError: the bytes are empty, binary or not text in either encoding,
            or the text is not tables in the long layout.

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
    return tables_from_csv(_decode(raw, source), source=source)


def _decode(raw: bytes, source: str) -> str:
    def refuse(problem: str) -> NoReturn:
        raise TableFormatError(source, [InvalidTable("", problem, source=source)])

    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        refuse("UTF-16 text, which perfscore does not read; save the file as CSV UTF-8")
    if (nul := raw.find(b"\0")) >= 0:
        refuse(f"binary data, not CSV text (a NUL byte at byte {nul})")
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            byte = raw[error.start + 3 : error.start + 4]
            where = f"byte {error.start + 3}: {byte!r}"
            refuse(f"not UTF-8 text, though it starts with a UTF-8 BOM ({where})")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as error:
        byte = raw[error.start : error.start + 1]
        refuse(f"neither UTF-8 nor GB18030 text (byte {error.start}: {byte!r})")


# ------------------------------------------------------------------------ writing


def tables_to_csv(tables: Iterable[Table]) -> str:
    """The tables as CSV text in the long layout, every cell verbatim.

    Every column of :data:`CSV_COLUMNS` is written, with its Chinese header; each
    table gets a ``表`` record, then a ``资金`` record per funds row and a ``指标``
    record per indicator row. Lines end in CRLF, as the :mod:`csv` module writes.

    Raises:
        FloatRefusedError: an extra key holds a float (it could not come back equal).
        TypeError: an extra key holds a value JSON cannot hold.
        ValueError: an extra key holds a NaN or infinite Decimal.

    >>> from perfscore.loader import load
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
            yield _cells(record_type, values, _own_extra(row, record_type), None)


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
    return _cells("table", values, _own_extra(data, "table"), goal_extra)


def _own_extra(
    data: Mapping[str, JSONValue], record_type: RecordType
) -> list[tuple[str, JSONValue]]:
    return [(key, value) for key, value in data.items() if key not in _KNOWN_KEYS[record_type]]


def _cells(
    record_type: RecordType,
    values: Mapping[str, JSONValue],
    own: list[tuple[str, JSONValue]],
    goal_extra: dict[str, JSONValue] | None,
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
    if any(key.startswith(_RESERVED_PREFIX) for key, _ in own):
        extra[_EXTRA] = dict(own)  # keeps the keys clear of the reserved ones
    else:
        extra.update(own)
    cells = {**values, "record": _RECORD_NAMES[record_type]}
    cells["extra"] = _json(extra, "extra") if extra else ""
    return [str(cells.get(column.alias, "")) for column in CSV_COLUMNS]


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

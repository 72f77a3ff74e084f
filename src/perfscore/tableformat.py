"""The ``perfscore.table/1`` JSON format, to and from :class:`~perfscore.model.Table`.

Reading is lenient about what real prints hold (blank cells, weights printed as
``20%``, unreadable targets: those load and become audit findings later) and strict
about the shape: a value of the wrong type, a missing required key or an unknown
format version is a problem. All problems of one table are gathered into a single
:class:`~perfscore.errors.TableFormatError`, each with its path.

>>> from perfscore.tableformat import table_from_dict
>>> try:
...     table_from_dict({"name": "x", "indicators": [{"level1": "产出指标"}]}, source="t.json")
... except TableFormatError as error:
...     print(error)
t.json: not a perfscore table (5 problems)
  indicators[0].level2: required key missing
  indicators[0].level3: required key missing
  indicators[0].target: required key missing
  indicators[0].actual: required key missing
  indicators[0].weight: required key missing
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Final, TypeVar, get_args

from perfscore._cache import MEMO_SIZE, Recent
from perfscore._text import fold
from perfscore.cells import (
    Actual,
    Figure,
    Target,
    decimal_text,
    parse_actual,
    parse_figure,
    parse_target,
)
from perfscore.errors import FloatRefusedError, InvalidCell, InvalidTable, TableFormatError
from perfscore.model import (
    FORMAT,
    FundRow,
    Goal,
    Indicator,
    JSONValue,
    Label,
    Table,
    TableKind,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = [
    "FUND_KEYS",
    "INDICATOR_KEYS",
    "TABLE_KEYS",
    "parse_label",
    "table_from_dict",
    "table_to_dict",
]

TABLE_KEYS: Final = (  # the keys a table object may hold, in writing order
    "format",
    "kind",
    "name",
    "year",
    "department",
    "implementer",
    "source",
    "money_unit",
    "funds",
    "goal",
    "indicators",
    "total",
    "remarks",
)
FUND_KEYS: Final = (
    "label",
    "initial_budget",
    "annual_budget",
    "executed",
    "weight",
    "rate",
    "score",
)
_GOAL_KEYS: Final = ("expected", "achieved")
INDICATOR_KEYS: Final = (
    "level1",
    "level2",
    "level3",
    "target",
    "actual",
    "weight",
    "score",
    "deviation_note",
    "basis",
)
_KINDS: Final = get_args(TableKind)
CellT = TypeVar("CellT", Target, Actual, Figure)

# 产出指标(50分), 产出指标（50%）, 产出指标 50分: a label that declares its weight.
_LABEL_WEIGHT: Final = re.compile(
    r"(?P<name>.*?)(?:\((?P<a>\d+(?:\.\d+)?)(?:分|%)?\)|(?<=\D)(?P<b>\d+(?:\.\d+)?)分)",
    re.ASCII,
)


@lru_cache(maxsize=1 << 12)
def parse_label(text: str) -> Label:
    """Read a level-1 or level-2 label, with the weight it may declare.

    >>> parse_label("产出指标（50分）")
    Label(text='产出指标（50分）', name='产出指标', declared_weight=Decimal('50'))
    >>> parse_label(" 效益指标 ").name
    '效益指标'
    """
    folded, _ = fold(text)
    match = _LABEL_WEIGHT.fullmatch(folded)
    if match and match.group("name"):
        weight = match.group("a") or match.group("b")
        return Label(text=text, name=match.group("name"), declared_weight=Decimal(weight))
    return Label(text=text, name=folded)


class _Reader:
    """Reads one table object, noting every problem with its path."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[InvalidTable] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(InvalidTable(path, message, source=self.source))

    def mapping(self, data: object, path: str, what: str) -> Mapping[str, JSONValue] | None:
        if isinstance(data, dict):
            return data
        self.problem(path, f"expected {what} (a JSON object), got {_describe(data)}")
        return None

    def text(
        self, data: Mapping[str, JSONValue], key: str, path: str, *, required: bool = False
    ) -> str | None:
        """A free-text field: a string (a number is taken as its digits)."""
        where = _join(path, key)
        if key not in data or data[key] is None:
            if required:
                self.problem(where, "required key missing")
            return None
        value = data[key]
        if isinstance(value, str):
            return value
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return decimal_text(value) if isinstance(value, Decimal) else str(value)
        self.problem(where, f"expected a string, got {_describe(value)}")
        return None

    def raw_cell(
        self, data: Mapping[str, JSONValue], key: str, path: str, *, required: bool
    ) -> str | int | Decimal | None:
        """A printed cell's raw value, when it has a type a cell can have."""
        where = _join(path, key)
        if key not in data:
            if required:
                self.problem(where, "required key missing")
            return None
        value = data[key]
        if value is None:
            return ""  # a null cell is a blank cell
        if isinstance(value, float):
            self.problem(where, FloatRefusedError(value, where=where).advice)
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            self.problem(where, f"expected a string or a number, got {_describe(value)}")
            return None
        if isinstance(value, Decimal) and not value.is_finite():
            self.problem(where, f"expected a finite number, got {value}")
            return None
        return value

    def extras(
        self, data: Mapping[str, JSONValue], known: tuple[str, ...]
    ) -> tuple[tuple[str, JSONValue], ...]:
        return tuple((key, value) for key, value in data.items() if key not in known)

    def target(self, data: Mapping[str, JSONValue], path: str) -> Target | None:
        raw = self.raw_cell(data, "target", path, required=True)
        return None if raw is None else _parse_or_keep(raw, parse_target, Target.unreadable)

    def actual(self, data: Mapping[str, JSONValue], path: str) -> Actual | None:
        raw = self.raw_cell(data, "actual", path, required=True)
        return None if raw is None else _parse_or_keep(raw, parse_actual, Actual.unreadable)

    def figure(
        self, data: Mapping[str, JSONValue], key: str, path: str, *, required: bool = False
    ) -> Figure | None:
        raw = self.raw_cell(data, key, path, required=required)
        if raw is None:
            return None
        return _parse_or_keep(raw, partial(parse_figure, role=key), Figure.unreadable)


def _parse_or_keep(
    raw: str | int | Decimal,
    parse: Callable[[str | int | Decimal], CellT],
    unreadable: Callable[[str, str], CellT],
) -> CellT:
    """The parsed cell, or (when it cannot be read) the cell kept as unreadable."""
    try:
        return parse(raw)
    except InvalidCell as error:
        return unreadable(_raw_text(raw), str(error))


def _raw_text(raw: str | int | Decimal) -> str:
    return decimal_text(raw) if isinstance(raw, Decimal) else str(raw)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _describe(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    if isinstance(value, int | Decimal | float):
        return f"the number {value}"
    return type(value).__name__


def _build_fund_row(reader: _Reader, raw: object, path: str) -> FundRow | None:
    data = reader.mapping(raw, path, "a funds row")
    if data is None:
        return None
    label = reader.text(data, "label", path, required=True)
    amounts = [reader.figure(data, key, path, required=True) for key in FUND_KEYS[1:4]]
    weight, rate, score = (reader.figure(data, key, path) for key in FUND_KEYS[4:])
    initial, annual, executed = amounts
    if label is None or initial is None or annual is None or executed is None:
        return None
    return FundRow(
        label=label,
        initial_budget=initial,
        annual_budget=annual,
        executed=executed,
        weight=weight,
        rate=rate,
        score=score,
        extra=reader.extras(data, FUND_KEYS),
    )


# Rows repeat across a batch (the same 满意度 row in a thousand tables); rows are
# immutable, so a row whose every value is a string is built once. Only rows that built
# without a problem are kept, so errors are always reported with their path. A hit
# needs an equal key, and a stored key holds only strings, so a number given as a JSON
# number never matches a cached string (nor 10.0 a cached 10).
_ROWS: Recent[tuple[tuple[str, JSONValue], ...], Indicator | FundRow] = Recent(MEMO_SIZE)
RowT = TypeVar("RowT", Indicator, FundRow)


def _cached_row(
    reader: _Reader,
    raw: object,
    path: str,
    build: Callable[[_Reader, object, str], RowT | None],
    kind: type[RowT],
) -> RowT | None:
    if type(raw) is not dict:
        return build(reader, raw, path)
    key = tuple(raw.items())
    try:
        cached = _ROWS.get(key)
    except TypeError:  # an unhashable value (a list in an extra key)
        return build(reader, raw, path)
    if type(cached) is kind:
        return cached
    problems = len(reader.problems)
    row = build(reader, raw, path)
    if (
        row is not None
        and len(reader.problems) == problems
        and all(type(value) is str for value in raw.values())
    ):
        _ROWS.put(key, row)
    return row


def _read_indicator(reader: _Reader, raw: object, path: str) -> Indicator | None:
    return _cached_row(reader, raw, path, _build_indicator, Indicator)


def _read_fund_row(reader: _Reader, raw: object, path: str) -> FundRow | None:
    return _cached_row(reader, raw, path, _build_fund_row, FundRow)


def _build_indicator(reader: _Reader, raw: object, path: str) -> Indicator | None:
    data = reader.mapping(raw, path, "an indicator row")
    if data is None:
        return None
    level1, level2, level3 = (
        reader.text(data, key, path, required=True) for key in INDICATOR_KEYS[:3]
    )
    target = reader.target(data, path)
    actual = reader.actual(data, path)
    weight = reader.figure(data, "weight", path, required=True)
    score = reader.figure(data, "score", path)
    note = reader.text(data, "deviation_note", path)
    basis = reader.text(data, "basis", path)
    if level1 is None or level2 is None or level3 is None:
        return None
    if target is None or actual is None or weight is None:
        return None
    return Indicator(
        level1=parse_label(level1),
        level2=parse_label(level2),
        level3=level3,
        target=target,
        actual=actual,
        weight=weight,
        score=score,
        deviation_note=note,
        basis=basis,
        extra=reader.extras(data, INDICATOR_KEYS),
    )


def _read_list(reader: _Reader, data: Mapping[str, JSONValue], key: str) -> list[JSONValue]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        reader.problem(key, f"expected an array, got {_describe(value)}")
        return []
    return value


def _read_year(reader: _Reader, data: Mapping[str, JSONValue]) -> int | None:
    value = data.get("year")
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, Decimal) and _is_small_integer(value):
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}", value.strip(), re.ASCII):
        return int(value)
    reader.problem("year", f"expected a year such as 2023, got {_describe(value)}")
    return None


def _is_small_integer(value: Decimal) -> bool:
    # The size check comes first: to_integral_value of 1E+999999999 is costly.
    return value.is_finite() and abs(value) < 10**6 and value == value.to_integral_value()


def _read_kind(reader: _Reader, data: Mapping[str, JSONValue]) -> TableKind:
    kind = data.get("kind", "project")
    if kind == "project":
        return "project"
    if kind == "department":
        return "department"
    reader.problem("kind", f"expected one of {', '.join(map(repr, _KINDS))}, got {kind!r}")
    return "project"


def table_from_dict(data: object, *, source: str = "<dict>") -> Table:
    """Build a :class:`~perfscore.model.Table` from one decoded table object.

    Args:
        data: the object, as decoded by ``json.loads(..., parse_float=Decimal)``.
        source: the file (and table index) it came from, named in errors.

    Raises:
        TableFormatError: ``data`` is not a table: every problem, with its path.
    """
    reader = _Reader(source)
    table = reader.mapping(data, "", "a table")
    if table is None:
        raise TableFormatError(source, reader.problems)
    version = table.get("format", FORMAT)
    if version != FORMAT:
        reader.problem("format", f"unknown format {version!r}; this version reads {FORMAT!r}")
    kind = _read_kind(reader, table)
    name = reader.text(table, "name", "", required=True)
    year = _read_year(reader, table)
    department, implementer, source_doc, remarks = (
        reader.text(table, key, "") for key in ("department", "implementer", "source", "remarks")
    )
    money_unit = reader.text(table, "money_unit", "")
    funds = tuple(
        row
        for index, raw in enumerate(_read_list(reader, table, "funds"))
        if (row := _read_fund_row(reader, raw, f"funds[{index}]")) is not None
    )
    goal = None
    if table.get("goal") is not None:
        goal_data = reader.mapping(table["goal"], "goal", "the goal texts")
        if goal_data is not None:
            goal = Goal(
                expected=reader.text(goal_data, "expected", "goal"),
                achieved=reader.text(goal_data, "achieved", "goal"),
                extra=reader.extras(goal_data, _GOAL_KEYS),
            )
    if "indicators" not in table:
        reader.problem("indicators", "required key missing")
    raw_indicators = _read_list(reader, table, "indicators")
    if "indicators" in table and not raw_indicators and isinstance(table["indicators"], list):
        reader.problem("indicators", "a table needs at least one indicator row")
    indicators = tuple(
        indicator
        for index, raw in enumerate(raw_indicators)
        if (indicator := _read_indicator(reader, raw, f"indicators[{index}]")) is not None
    )
    total = reader.figure(table, "total", "")
    if reader.problems or name is None:
        raise TableFormatError(source, reader.problems)
    return Table(
        name=name,
        kind=kind,
        year=year,
        department=department,
        implementer=implementer,
        source=source_doc,
        money_unit="万元" if money_unit is None else money_unit,
        funds=funds,
        goal=goal,
        indicators=indicators,
        total=total,
        remarks=remarks,
        extra=reader.extras(table, TABLE_KEYS),
    )


def _put(out: dict[str, JSONValue], key: str, value: str | int | Figure | None) -> None:
    if value is None:
        return
    out[key] = value.text if isinstance(value, Figure) else value


def table_to_dict(table: Table) -> dict[str, JSONValue]:
    """The table as a ``perfscore.table/1`` object, every cell as its verbatim text.

    ``format``, ``kind``, ``money_unit`` and ``funds`` are always written; other
    optional keys only when the table has them. Cells given as JSON numbers come back as strings
    of the same digits.
    """
    out: dict[str, JSONValue] = {"format": FORMAT, "kind": table.kind, "name": table.name}
    _put(out, "year", table.year)
    _put(out, "department", table.department)
    _put(out, "implementer", table.implementer)
    _put(out, "source", table.source)
    out["money_unit"] = table.money_unit
    out["funds"] = [_fund_row_to_dict(row) for row in table.funds]
    if table.goal is not None:
        goal: dict[str, JSONValue] = {}
        _put(goal, "expected", table.goal.expected)
        _put(goal, "achieved", table.goal.achieved)
        goal.update(table.goal.extra)
        out["goal"] = goal
    out["indicators"] = [_indicator_to_dict(row) for row in table.indicators]
    _put(out, "total", table.total)
    _put(out, "remarks", table.remarks)
    out.update(table.extra)
    return out


def _fund_row_to_dict(row: FundRow) -> dict[str, JSONValue]:
    out: dict[str, JSONValue] = {"label": row.label}
    for key in FUND_KEYS[1:]:
        _put(out, key, getattr(row, key))
    out.update(row.extra)
    return out


def _indicator_to_dict(row: Indicator) -> dict[str, JSONValue]:
    out: dict[str, JSONValue] = {
        "level1": row.level1.text,
        "level2": row.level2.text,
        "level3": row.level3,
        "target": row.target.text,
        "actual": row.actual.text,
        "weight": row.weight.text,
    }
    _put(out, "score", row.score)
    _put(out, "deviation_note", row.deviation_note)
    _put(out, "basis", row.basis)
    out.update(row.extra)
    return out

"""perfscore.io.json's careful reader as it was before the one reader (main 16de7f6).

Kept as a test oracle: tests/test_fastpaths.py reads generated and hostile table
objects with this copy and with ``perfscore.io.json.table_from_dict`` and requires the
same tables and byte-identical errors (every problem, its path, its order). Do not edit
it: it is the old behaviour. Only the run's row memo is left out (a table read here
builds every row; rows read from a memo are equal to them), and the label reader and
the cell readers are perfscore's own (tests/cells_before.py holds the cells).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Final, TypeVar, get_args

from perfscore._text import shorten
from perfscore.cells import (
    Actual,
    Figure,
    Target,
    decimal_text,
    parse_actual,
    parse_figure,
    parse_target,
)
from perfscore.errors import FloatRefusedError, InvalidCell, Problems, TableFormatError
from perfscore.io.json import FUND_KEYS, INDICATOR_KEYS, TABLE_KEYS, parse_label
from perfscore.model import FORMAT, FundRow, Goal, Indicator, JSONValue, Origin, Table, TableKind

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

_GOAL_KEYS: Final = ("expected", "achieved", "places")
_KINDS: Final = get_args(TableKind)
_TABLE_KEY_SET: Final = frozenset(TABLE_KEYS)
_FUND_KEY_SET: Final = frozenset(FUND_KEYS)
_GOAL_KEY_SET: Final = frozenset(_GOAL_KEYS)
_INDICATOR_KEY_SET: Final = frozenset(INDICATOR_KEYS)
_FUND_FIGURES: Final = FUND_KEYS[1:7]  # initial_budget … score
RowT = TypeVar("RowT", Indicator, FundRow)


class _Reader:
    """Reads one table object, noting every problem with its path."""

    def __init__(self, source: str) -> None:
        self.problems = Problems(TableFormatError, source=source)

    def problem(self, path: str, message: str) -> None:
        self.problems.add(path, message)

    def mapping(self, data: object, path: str, what: str) -> Mapping[str, JSONValue] | None:
        if isinstance(data, dict):
            return data
        self.problem(path, f"expected {what} (a JSON object), got {_describe(data)}")
        return None

    def text(
        self, data: Mapping[str, JSONValue], key: str, path: str, *, required: bool = False
    ) -> str | None:
        """A free-text field: a string (a number is taken as its digits)."""
        value = data.get(key)
        if type(value) is str:
            return self.checked(value, _join(path, key))
        if value is None:
            if required:
                self.problem(_join(path, key), "required key missing")
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return decimal_text(value) if isinstance(value, Decimal) else str(value)
        self.problem(_join(path, key), f"expected a string, got {_describe(value)}")
        return None

    def raw_cell(  # noqa: PLR0911 - one return per kind of value
        self, data: Mapping[str, JSONValue], key: str, path: str, *, required: bool
    ) -> str | int | Decimal | None:
        """A printed cell's raw value, when it has a type a cell can have."""
        value = data.get(key, _MISSING)
        if type(value) is str:
            return self.checked(value, _join(path, key))
        where = _join(path, key)
        if value is _MISSING:
            if required:
                self.problem(where, "required key missing")
            return None
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

    def places(self, data: Mapping[str, JSONValue], path: str) -> tuple[tuple[str, str], ...]:
        """Where a row's (or the goal's) cells were printed: an object of texts."""
        value = data.get("places")
        where = _join(path, "places")
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.problem(where, f"expected an object of places by key, got {_describe(value)}")
            return ()
        places: list[tuple[str, str]] = []
        for key, place in value.items():
            if type(place) is not str:
                self.problem(_join(where, key), f"expected a place (text), got {_describe(place)}")
            elif (checked := self.checked(place, _join(where, key))) is not None:
                places.append((key, checked))
        return tuple(places)

    def origin(self, data: Mapping[str, JSONValue]) -> Origin | None:
        """Where the table was read from (a document, a place, a number, places)."""
        value = data.get("origin")
        if value is None:
            return None
        origin = self.mapping(value, "origin", "the origin")
        if origin is None:
            return None
        document = self.text(origin, "document", "origin", required=True)
        place = self.text(origin, "place", "origin")
        number = origin.get("number")
        if number is not None and not (
            isinstance(number, int | Decimal)
            and not isinstance(number, bool)
            and _is_small_integer(Decimal(number))
            and number >= 1
        ):
            problem = f"expected a table number from 1, got {_describe(number)}"
            self.problem("origin.number", problem)
            number = None
        for key in origin:
            if key not in _ORIGIN_KEYS:
                self.problem(_join("origin", key), "not a key of the origin")
        places = self.places(origin, "origin")
        if document is None:
            return None
        return Origin(document, place or "", None if number is None else int(number), places)

    def checked(self, text: str, path: str) -> str | None:
        """The text, unless it holds what no table may hold (then a problem)."""
        if (found := _BAD_CHARACTERS.search(text)) is None:
            return text
        self.problem(path, _bad_character(found.group()))
        return None

    def extras(
        self, data: Mapping[str, JSONValue], known: frozenset[str], path: str
    ) -> tuple[tuple[str, JSONValue], ...]:
        if known.issuperset(data):
            return ()
        extra = tuple((key, value) for key, value in data.items() if key not in known)
        for place, problem in bad_text_problems(dict(extra)):
            self.problem(_join(path, place), problem)
        return extra

    def target(self, data: Mapping[str, JSONValue], path: str) -> Target | None:
        raw = self.raw_cell(data, "target", path, required=True)
        if raw is None:
            return None
        try:
            return parse_target(raw)
        except InvalidCell as error:
            return Target.unreadable(_raw_text(raw), str(error))

    def actual(self, data: Mapping[str, JSONValue], path: str) -> Actual | None:
        raw = self.raw_cell(data, "actual", path, required=True)
        if raw is None:
            return None
        try:
            return parse_actual(raw)
        except InvalidCell as error:
            return Actual.unreadable(_raw_text(raw), str(error))

    def figure(
        self, data: Mapping[str, JSONValue], key: str, path: str, *, required: bool = False
    ) -> Figure | None:
        raw = self.raw_cell(data, key, path, required=required)
        if raw is None:
            return None
        try:
            return parse_figure(raw, role=key)
        except InvalidCell as error:
            return Figure.unreadable(_raw_text(raw), str(error))


_MISSING: Final = object()
_ORIGIN_KEYS: Final = frozenset({"document", "place", "number", "places"})


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
        return f"the number {shorten(str(value))}"
    return type(value).__name__


def _build_fund_row(reader: _Reader, raw: object, path: str) -> FundRow | None:
    data = reader.mapping(raw, path, "a funds row")
    if data is None:
        return None
    label = reader.text(data, "label", path, required=True)
    amounts = [reader.figure(data, key, path, required=True) for key in _FUND_FIGURES[:3]]
    weight, rate, score = (reader.figure(data, key, path) for key in _FUND_FIGURES[3:])
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
        places=reader.places(data, path),
        extra=reader.extras(data, _FUND_KEY_SET, path),
    )


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
        places=reader.places(data, path),
        extra=reader.extras(data, _INDICATOR_KEY_SET, path),
    )


def _read_rows(
    reader: _Reader,
    raws: list[JSONValue],
    name: str,
    build: Callable[[_Reader, object, str], RowT | None],
) -> tuple[RowT, ...]:
    """The rows of one list (``funds`` or ``indicators``), each built."""
    rows: list[RowT] = []
    for index, raw in enumerate(raws):
        row = build(reader, raw, f"{name}[{index}]")
        if row is not None:
            rows.append(row)
    return tuple(rows)


def _read_list(reader: _Reader, data: Mapping[str, JSONValue], key: str) -> list[JSONValue]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        reader.problem(key, f"expected an array, got {_describe(value)}")
        return []
    return value


FIRST_YEAR: Final = 1900
LAST_YEAR: Final = 2100


def _read_year(reader: _Reader, data: Mapping[str, JSONValue]) -> int | None:
    value = data.get("year")
    if value is None:
        return None
    year: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    elif (isinstance(value, Decimal) and _is_small_integer(value)) or (
        isinstance(value, str) and re.fullmatch(r"\d{4}", value.strip(), re.ASCII)
    ):
        year = int(value)
    if year is not None and FIRST_YEAR <= year <= LAST_YEAR:
        return year
    if year is None:
        reader.problem("year", f"expected a year such as 2023, got {_describe(value)}")
    else:
        reader.problem(
            "year", f"expected a year from {FIRST_YEAR} to {LAST_YEAR}, got {shorten(str(year))}"
        )
    return None


def _is_small_integer(value: Decimal) -> bool:
    # The size check comes first: to_integral_value of 1E+999999999 is costly.
    return value.is_finite() and value.adjusted() < 6 and value == value.to_integral_value()


def _read_kind(reader: _Reader, data: Mapping[str, JSONValue]) -> TableKind:
    kind = data.get("kind", "project")
    if kind == "project":
        return "project"
    if kind == "department":
        return "department"
    reader.problem("kind", f"expected one of {', '.join(map(repr, _KINDS))}, got {kind!r}")
    return "project"


def careful_table(data: object, source: str = "<dict>") -> Table:
    """The table read with every check, as ``table_from_dict`` read it (rows not remembered)."""
    reader = _Reader(source)
    table = reader.mapping(data, "", "a table")
    if table is None:
        raise reader.problems.error()
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
    funds = _read_rows(
        reader,
        _read_list(reader, table, "funds"),
        "funds",
        _build_fund_row,
    )
    goal = None
    if table.get("goal") is not None:
        goal_data = reader.mapping(table["goal"], "goal", "the goal texts")
        if goal_data is not None:
            goal = Goal(
                expected=reader.text(goal_data, "expected", "goal"),
                achieved=reader.text(goal_data, "achieved", "goal"),
                places=reader.places(goal_data, "goal"),
                extra=reader.extras(goal_data, _GOAL_KEY_SET, "goal"),
            )
    if "indicators" not in table:
        reader.problem("indicators", "required key missing")
    elif table["indicators"] is None:
        reader.problem("indicators", "expected an array of indicator rows, got null")
    raw_indicators = _read_list(reader, table, "indicators")
    if "indicators" in table and not raw_indicators and isinstance(table["indicators"], list):
        reader.problem("indicators", "a table needs at least one indicator row")
    indicators = _read_rows(reader, raw_indicators, "indicators", _build_indicator)
    total = reader.figure(table, "total", "")
    origin = reader.origin(table)
    extra = reader.extras(table, _TABLE_KEY_SET, "")
    if reader.problems or name is None:
        raise reader.problems.error()
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
        origin=origin,
        extra=extra,
    )


_BAD_CHARACTERS: Final = re.compile("[\x00\ud800-\udfff]")


def bad_text_problems(data: JSONValue) -> list[tuple[str, str]]:
    """The places in decoded data whose text holds a NUL or a lone surrogate."""
    problems: list[tuple[str, str]] = []
    _walk(data, "", problems)
    return problems


def _walk(value: JSONValue, path: str, problems: list[tuple[str, str]]) -> None:
    if isinstance(value, str):
        if (found := _BAD_CHARACTERS.search(value)) is not None:
            problems.append((path, _bad_character(found.group())))
    elif isinstance(value, dict):
        problems.extend(
            (_join(path, key), f"key {key!r} is given twice (which one is meant?)")
            for key in getattr(value, "repeated", ())
        )
        for key, item in getattr(value, "pairs", None) or value.items():
            if isinstance(key, str) and (found := _BAD_CHARACTERS.search(key)) is not None:
                problems.append((path, f"a key {_bad_character(found.group())}"))
            _walk(item, _join(path, key), problems)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, f"{path}[{index}]", problems)


def _bad_character(character: str) -> str:
    if character == "\x00":
        return "holds U+0000 (NUL), a character no table cell holds"
    return (
        f"holds U+{ord(character):04X}, half of a UTF-16 surrogate pair: not a character "
        "(text cut inside a character, or mis-encoded)"
    )

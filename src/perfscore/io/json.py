"""The ``perfscore.table/1`` JSON format, to and from :class:`~perfscore.model.Table`.

Reading is lenient about what real prints hold (blank cells, weights printed as
``20%``, unreadable targets: those load and become audit findings later) and strict
about the shape: a value of the wrong type, a missing required key or an unknown
format version is a problem. All problems of one table are gathered into a single
:class:`~perfscore.errors.TableFormatError`, each with its path.

One reader builds every table, whichever way it came (a JSON file, a line of JSON
Lines, a CSV table, a document): each value (the table, a funds row, the goal, an
indicator row) has one builder, which takes the common case (the format's keys, every
value a string) as it is and checks anything else field by field. The JSON Lines
reader (:func:`table_from_json_line`) only skips work: it finds rows it has met by
their text, and hands a new row, decoded alone, to the same builder.

>>> from perfscore.io.json import table_from_dict
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

import json
import operator
import re
from collections import Counter
from decimal import Decimal
from functools import lru_cache
from itertools import compress
from typing import TYPE_CHECKING, Final, TypeAlias, TypeVar, cast, get_args

from perfscore._text import fold, shorten
from perfscore.cells import (
    Actual,
    Figure,
    Target,
    actual_from_text,
    decimal_text,
    figure_from_text,
    target_from_text,
)
from perfscore.errors import (
    FloatRefusedError,
    InvalidCell,
    InvalidTable,
    Problems,
    TableFormatError,
)
from perfscore.memo import Clock, Recent
from perfscore.model import (
    FORMAT,
    LATER,
    FundRow,
    Goal,
    Indicator,
    JSONValue,
    Label,
    Origin,
    Table,
    TableKind,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from perfscore.memo import Memo

__all__ = [
    "FIRST_YEAR",
    "FUND_KEYS",
    "INDICATOR_KEYS",
    "LAST_YEAR",
    "TABLE_KEYS",
    "RepeatedKeyError",
    "bad_text_problems",
    "decode_json",
    "encode_json",
    "json_problems",
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
    "origin",
)
FUND_KEYS: Final = (
    "label",
    "initial_budget",
    "annual_budget",
    "executed",
    "weight",
    "rate",
    "score",
    "places",
)
_GOAL_KEYS: Final = ("expected", "achieved", "places")
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
    "places",
)
_KINDS: Final = get_args(TableKind)
CellT = TypeVar("CellT", Target, Actual, Figure)
_TABLE_KEY_SET: Final = frozenset(TABLE_KEYS)
_FUND_KEY_SET: Final = frozenset(FUND_KEYS)
_GOAL_KEY_SET: Final = frozenset(_GOAL_KEYS)
_INDICATOR_KEY_SET: Final = frozenset(INDICATOR_KEYS)
_FUND_FIGURES: Final = FUND_KEYS[1:7]  # initial_budget … score
# The keys of the common case, whose values are taken as they are: a row or table read
# from a document (with its places and origin) has each field checked.
_COMMON_TABLE_KEYS: Final = _TABLE_KEY_SET - {"origin"}
_COMMON_FUND_KEYS: Final = _FUND_KEY_SET - {"places"}
_COMMON_GOAL_KEYS: Final = _GOAL_KEY_SET - {"places"}
_COMMON_INDICATOR_KEYS: Final = _INDICATOR_KEY_SET - {"places"}

# 产出指标(50分), 产出指标（50%）, 产出指标 50分: a label that declares its weight.
# A declared weight has a few digits (at most 12, and 12 places); a longer run is
# not a weight but part of the label's name.
_LABEL_WEIGHT: Final = re.compile(
    r"(?P<name>.*?)(?:\((?P<a>\d{1,12}(?:\.\d{1,12})?)(?:分|%)?\)"
    r"|(?<=\D)(?P<b>\d{1,12}(?:\.\d{1,12})?)分)",
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


class _Checks(Problems[TableFormatError]):
    """The problems of one table object, and the checks of its fields that note them.

    Each builder below (:func:`_table`, :func:`_fund_row`, :func:`_goal`,
    :func:`_indicator`) takes its value's common case (the format's keys, every value
    a string, no character a table may not hold) as it is, and reads anything else
    through these checks, field by field, noting each problem with its path. Either
    way it gives the same texts, from which the builder makes its value once.
    """

    __slots__ = ()

    def mapping(self, data: object, path: str, what: str) -> Mapping[str, JSONValue] | None:
        if isinstance(data, dict):
            return data
        self.add(path, f"expected {what} (a JSON object), got {_describe(data)}")
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
                self.add(_join(path, key), "required key missing")
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return _number_text(value)
        self.add(_join(path, key), f"expected a string, got {_describe(value)}")
        return None

    def cell(  # noqa: PLR0911 - one return per kind of value
        self, data: Mapping[str, JSONValue], key: str, path: str, *, required: bool = False
    ) -> str | None:
        """A printed cell's text, when it has a type a cell can have (a number: its digits)."""
        value = data.get(key, _MISSING)
        if type(value) is str:
            return self.checked(value, _join(path, key))
        where = _join(path, key)
        if value is _MISSING:
            if required:
                self.add(where, "required key missing")
            return None
        if value is None:
            return ""  # a null cell is a blank cell
        if isinstance(value, float):
            self.add(where, FloatRefusedError(value, where=where).advice)
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            self.add(where, f"expected a string or a number, got {_describe(value)}")
            return None
        if isinstance(value, Decimal) and not value.is_finite():
            self.add(where, f"expected a finite number, got {value}")
            return None
        return value if isinstance(value, str) else _number_text(value)

    def places(self, data: Mapping[str, JSONValue], path: str) -> tuple[tuple[str, str], ...]:
        """Where a row's (or the goal's) cells were printed: an object of texts."""
        value = data.get("places")
        where = _join(path, "places")
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.add(where, f"expected an object of places by key, got {_describe(value)}")
            return ()
        places: list[tuple[str, str]] = []
        for key, place in value.items():
            if type(place) is not str:
                self.add(_join(where, key), f"expected a place (text), got {_describe(place)}")
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
            self.add("origin.number", f"expected a table number from 1, got {_describe(number)}")
            number = None
        for key in origin:
            if key not in _ORIGIN_KEYS:
                self.add(_join("origin", key), "not a key of the origin")
        places = self.places(origin, "origin")
        if document is None:
            return None
        return Origin(document, place or "", None if number is None else int(number), places)

    def checked(self, text: str, path: str) -> str | None:
        """The text, unless it holds what no table may hold (then a problem)."""
        if (found := _BAD_CHARACTERS.search(text)) is None:
            return text
        self.add(path, _bad_character(found.group()))
        return None

    def extras(
        self, data: Mapping[str, JSONValue], known: frozenset[str], path: str
    ) -> tuple[tuple[str, JSONValue], ...]:
        if known.issuperset(data):
            return ()
        extra = tuple((key, value) for key, value in data.items() if key not in known)
        for place, problem in bad_text_problems(dict(extra)):
            self.add(_join(path, place), problem)
        return extra

    def list(self, data: Mapping[str, JSONValue], key: str) -> list[JSONValue]:
        """The array under ``key`` (absent or null: none)."""
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(key, f"expected an array, got {_describe(value)}")
            return []
        return value

    def header(self, table: Mapping[str, JSONValue]) -> _Header:
        """The table's fields before its rows, each checked: its kind, name, year, texts."""
        version = table.get("format", FORMAT)
        if version != FORMAT:
            shown = _shown(version)
            self.add("format", f"unknown format {shown}; this version reads {FORMAT!r}")
        kind = self.kind(table)
        name = self.text(table, "name", "", required=True)
        year = self.year(table)
        department, implementer, source, remarks = (
            self.text(table, key, "") for key in ("department", "implementer", "source", "remarks")
        )
        money_unit = self.text(table, "money_unit", "")
        return kind, name, year, department, implementer, source, remarks, money_unit

    def kind(self, data: Mapping[str, JSONValue]) -> TableKind:
        kind = data.get("kind", "project")
        if kind == "project":
            return "project"
        if kind == "department":
            return "department"
        kinds = ", ".join(map(repr, _KINDS))
        self.add("kind", f"expected one of {kinds}, got {_shown(kind)}")
        return "project"

    def year(self, data: Mapping[str, JSONValue]) -> int | None:
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
            self.add("year", f"expected a year such as 2023, got {_describe(value)}")
        else:
            shown = shorten(_number_text(year))
            self.add("year", f"expected a year from {FIRST_YEAR} to {LAST_YEAR}, got {shown}")
        return None


class _Declined(Exception):  # noqa: N818 - not an error: the table is read again
    """A table read without noting problems has one: it is read again, noting them."""


class _Declining(_Checks):
    """The checks stopping at the first problem (:class:`_Declined`), noting none.

    Every table is read with these first: well-formed input, the common case, needs
    no collector. A table with a problem is read again with :class:`_Checks`, which
    note every problem with its path (:func:`table_from_dict`); a JSON Lines line is
    then decoded whole (:func:`table_from_json_line`).
    """

    __slots__ = ()

    def add(self, path: str, problem: str, *, order: int = 0) -> None:  # noqa: ARG002
        raise _Declined


_DECLINE: Final = _Declining(TableFormatError, source="")  # holds no problem, ever


_MISSING: Final = object()
_ORIGIN_KEYS: Final = frozenset({"document", "place", "number", "places"})
_NOTHING: Final[dict[str, JSONValue]] = {}  # what a value that is not an object holds


def _number_text(value: int | Decimal) -> str:
    """A JSON number's digits, as a cell holding it prints them.

    ``Decimal`` spells an ``int`` of any size (``str`` refuses one of more than 4,300
    digits), digit for digit as ``str`` does below that.
    """
    return decimal_text(value if isinstance(value, Decimal) else Decimal(value))


def _shown(value: object) -> str:
    """``repr(value)``, or the value described if it holds an int too long to spell."""
    try:
        return repr(value)
    except ValueError:  # more than 4,300 digits (sys.get_int_max_str_digits)
        return _describe(value)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _describe(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    if isinstance(value, int):
        return f"the number {shorten(_number_text(value))}"
    if isinstance(value, Decimal | float):
        return f"the number {shorten(str(value))}"
    return type(value).__name__


def _cell(
    text: str, parse: Callable[[str], CellT], unreadable: Callable[[str, str], CellT]
) -> CellT:
    """A cell read from its text, or kept as unreadable with the reason."""
    try:
        return parse(text)
    except InvalidCell as error:
        return unreadable(text, str(error))


def _figure(text: str, role: str) -> Figure:
    """A figure (an amount, weight, rate, score, total) read from its text, or unreadable."""
    try:
        return figure_from_text(text, role)
    except InvalidCell as error:
        return Figure.unreadable(text, str(error))


_Header: TypeAlias = tuple[
    TableKind, str | None, int | None, str | None, str | None, str | None, str | None, str | None
]
_Places: TypeAlias = tuple[tuple[str, str], ...]
_Extra: TypeAlias = tuple[tuple[str, JSONValue], ...]
# What the checks give for a row: its texts (cells as printed), places and extra keys.
_IndicatorTexts: TypeAlias = tuple[
    str, str, str, str, str, str, str | None, str | None, str | None, _Places, _Extra
]
_FundTexts: TypeAlias = tuple[
    str, str, str, str, str | None, str | None, str | None, _Places, _Extra
]


def _indicator(data: object, path: str, checks: _Checks) -> Indicator | None:
    """An indicator row from its decoded object, or ``None`` (its problems noted).

    The common row (the format's keys but ``places``, every value a string, no
    character a table may not hold) is read as it is; any other through the checks
    (:func:`_checked_indicator`). The row is built from the texts either gives.
    """
    row = data if type(data) is dict else _NOTHING
    get = row.get
    level1, level2, level3 = get("level1"), get("level2"), get("level3")
    target, actual, weight = get("target"), get("actual"), get("weight")
    score, note, basis = get("score"), get("deviation_note"), get("basis")
    if (
        type(level1) is str
        and type(level2) is str
        and type(level3) is str
        and type(target) is str
        and type(actual) is str
        and type(weight) is str
        and (type(score) is str or (score is None and "score" not in row))  # null: checked
        and (note is None or type(note) is str)
        and (basis is None or type(basis) is str)
        and _COMMON_INDICATOR_KEYS.issuperset(row)
        and not _BAD_CHARACTERS.search(
            f"{level1}{level2}{level3}{target}{actual}{weight}{score}{note}{basis}"
        )
    ):
        places: _Places = ()
        extra: _Extra = ()
    else:
        texts = _checked_indicator(data, path, checks)
        if texts is None:
            return None
        level1, level2, level3, target, actual, weight, score, note, basis, places, extra = texts
    try:  # cells that read, the common case, without a frame per cell
        target_cell = target_from_text(target)
        actual_cell = actual_from_text(actual)
        weight_cell = figure_from_text(weight, "weight")
        score_cell = None if score is None else figure_from_text(score, "score")
    except InvalidCell:
        target_cell = _cell(target, target_from_text, Target.unreadable)
        actual_cell = _cell(actual, actual_from_text, Actual.unreadable)
        weight_cell = _figure(weight, "weight")
        score_cell = None if score is None else _figure(score, "score")
    # Positional, in the fields' order (INDICATOR_KEYS, then extra; a test holds it):
    # attrs matches keywords at a cost.
    return Indicator(
        parse_label(level1),
        parse_label(level2),
        level3,
        target_cell,
        actual_cell,
        weight_cell,
        score_cell,
        note,
        basis,
        places,
        extra,
    )


def _checked_indicator(data: object, path: str, checks: _Checks) -> _IndicatorTexts | None:
    """An indicator row's texts, each field checked, or ``None`` (its problems noted)."""
    row = checks.mapping(data, path, "an indicator row")
    if row is None:
        return None
    level1, level2, level3 = (
        checks.text(row, key, path, required=True) for key in INDICATOR_KEYS[:3]
    )
    target, actual, weight = (
        checks.cell(row, key, path, required=True) for key in ("target", "actual", "weight")
    )
    score = checks.cell(row, "score", path)
    note = checks.text(row, "deviation_note", path)
    basis = checks.text(row, "basis", path)
    if level1 is None or level2 is None or level3 is None:
        return None
    if target is None or actual is None or weight is None:
        return None
    places = checks.places(row, path)
    extra = checks.extras(row, _INDICATOR_KEY_SET, path)
    return level1, level2, level3, target, actual, weight, score, note, basis, places, extra


def _fund_row(data: object, path: str, checks: _Checks) -> FundRow | None:
    """A funds row from its decoded object, or ``None`` (its problems noted).

    As :func:`_indicator`: the common row read as it is, any other through the checks.
    """
    row = data if type(data) is dict else _NOTHING
    get = row.get
    label, initial, annual = get("label"), get("initial_budget"), get("annual_budget")
    executed, weight, rate, score = get("executed"), get("weight"), get("rate"), get("score")
    if (
        type(label) is str
        and type(initial) is str
        and type(annual) is str
        and type(executed) is str
        and (type(weight) is str or (weight is None and "weight" not in row))  # null: checked
        and (type(rate) is str or (rate is None and "rate" not in row))
        and (type(score) is str or (score is None and "score" not in row))
        and _COMMON_FUND_KEYS.issuperset(row)
        and not _BAD_CHARACTERS.search(f"{label}{initial}{annual}{executed}{weight}{rate}{score}")
    ):
        places: _Places = ()
        extra: _Extra = ()
    else:
        texts = _checked_fund_row(data, path, checks)
        if texts is None:
            return None
        label, initial, annual, executed, weight, rate, score, places, extra = texts
    return FundRow(
        label,
        _figure(initial, "initial_budget"),
        _figure(annual, "annual_budget"),
        _figure(executed, "executed"),
        None if weight is None else _figure(weight, "weight"),
        None if rate is None else _figure(rate, "rate"),
        None if score is None else _figure(score, "score"),
        places,
        extra,
    )


def _checked_fund_row(data: object, path: str, checks: _Checks) -> _FundTexts | None:
    """A funds row's texts, each field checked, or ``None`` (its problems noted)."""
    row = checks.mapping(data, path, "a funds row")
    if row is None:
        return None
    label = checks.text(row, "label", path, required=True)
    initial, annual, executed = (
        checks.cell(row, key, path, required=True) for key in _FUND_FIGURES[:3]
    )
    weight, rate, score = (checks.cell(row, key, path) for key in _FUND_FIGURES[3:])
    if label is None or initial is None or annual is None or executed is None:
        return None
    places = checks.places(row, path)
    extra = checks.extras(row, _FUND_KEY_SET, path)
    return label, initial, annual, executed, weight, rate, score, places, extra


def _goal(value: JSONValue, checks: _Checks) -> Goal | None:
    """The goal from its decoded object, or ``None`` (its problems noted).

    As :func:`_indicator`: the common goal read as it is, any other through the checks.
    """
    get = value.get if type(value) is dict else _NOTHING.get
    expected, achieved = get("expected"), get("achieved")
    if (
        type(value) is dict
        and (expected is None or type(expected) is str)
        and (achieved is None or type(achieved) is str)
        and _COMMON_GOAL_KEYS.issuperset(value)
        and not _BAD_CHARACTERS.search(f"{expected}{achieved}")
    ):
        places: _Places = ()
        extra: _Extra = ()
    else:
        goal = checks.mapping(value, "goal", "the goal texts")
        if goal is None:
            return None
        expected = checks.text(goal, "expected", "goal")
        achieved = checks.text(goal, "achieved", "goal")
        places = checks.places(goal, "goal")
        extra = checks.extras(goal, _GOAL_KEY_SET, "goal")
    return Goal(expected, achieved, places, extra)


# Rows repeat across a batch (the same 满意度 row in a thousand tables); rows are
# immutable, so a row is built once and remembered by its keys and its values. The
# keys' layout (their names in order) is one shared tuple per layout; the values, all
# strings, are joined by a separator none of them holds. Equal memo keys therefore mean
# the same keys in the same order with equal values. Only rows that built without a
# problem are kept, so errors are always reported with their path; a value that is not
# a string (a JSON number, null) keeps its row out of the memo, so a number never
# matches a cached string (nor 10.0 a cached 10).
_SEPARATOR: Final = "\x1f"
_LAYOUTS_KEPT: Final = 256  # distinct key layouts remembered; real batches have a few
RowKey: TypeAlias = tuple[tuple[str, ...], str]
RowT = TypeVar("RowT", Indicator, FundRow)
_NO_KEY: Final[RowKey] = ((), "")  # the key of no row (a row without keys is not kept)


class _Rows(Recent[RowKey, RowT]):
    """Rows remembered by their keys and values, with the key layouts met (shared)."""

    __slots__ = ("layouts",)

    def __init__(self, size: int, layouts: dict[tuple[str, ...], tuple[str, ...]]) -> None:
        super().__init__(size)
        self.layouts = layouts


class _RowMemos:
    """The rows one run has read, remembered by their text, and the key layouts met.

    They live in the run's :class:`~perfscore.memo.Memo` (see :func:`_row_memos`).
    Rows by their text, for JSON Lines, are kept in clocks (:class:`~perfscore.memo.Clock`)
    a quarter larger than a generation: about the most distinct rows two generations
    of a :class:`~perfscore.memo.Recent` memo hold at once.
    """

    __slots__ = (
        "fund_rows",
        "fund_rows_by_text",
        "funds_by_text",
        "indicators",
        "indicators_by_text",
        "layouts",
    )

    def __init__(self, size: int) -> None:
        self.layouts: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.indicators: _Rows[Indicator] = _Rows(size, self.layouts)
        self.fund_rows: _Rows[FundRow] = _Rows(size, self.layouts)
        self.indicators_by_text: Clock[bytes, Indicator] = Clock(size + size // 4)
        self.fund_rows_by_text: Clock[bytes, FundRow] = Clock(size + size // 4)
        self.funds_by_text: Recent[bytes, tuple[FundRow, ...]] = Recent(size)  # whole blocks


_ALONE: Final = 64  # rows remembered while reading one table without a run's memo


def _row_memos(memo: Memo | None) -> _RowMemos:
    """The run's row memos (a table read without a memo has its own, for itself)."""
    if memo is None:
        return _RowMemos(_ALONE)
    scope = memo.scope(_RowMemos)
    found = scope.get(_RowMemos)
    if found is None:
        found = _RowMemos(memo.size)
        scope.put(_RowMemos, found)
    return cast("_RowMemos", found)


def _rows(
    raws: list[JSONValue],
    name: str,
    build: Callable[[object, str, _Checks], RowT | None],
    memo: _Rows[RowT],
    checks: _Checks,
) -> tuple[RowT, ...]:
    """The rows of one array (``funds`` or ``indicators``), each remembered or built.

    A batch's rows are mostly remembered: a table's rows are looked up at once, in C
    (``map`` over the memo's ``dict.get``); only those not found are built, one by one
    with their paths, and those built without a problem are remembered.
    """
    try:
        keys: list[RowKey] = list(
            zip(
                map(memo.layouts.__getitem__, map(tuple, raws)),
                map(_SEPARATOR.join, map(dict.values, raws)),
                strict=True,
            )
        )
    except (KeyError, TypeError):  # a new layout, a value not a string, not an object
        keys = [_row_key(memo, raw) for raw in raws]
    remembered = list(map(memo.young.get, keys))
    if all(remembered):  # the common case, looped in C
        return tuple(remembered)  # type: ignore[arg-type] # all(...) excludes None
    rows: list[RowT] = []
    for index, row in enumerate(remembered):
        found = row or memo.get(keys[index])  # the older generation
        if found is None:
            raw = raws[index]
            problems = len(checks)
            found = build(raw, f"{name}[{index}]", checks)
            if found is None:
                continue
            if len(checks) == problems:
                _remember(memo, raw, found)
        rows.append(found)
    return tuple(rows)


def _row_key(memo: _Rows[RowT], raw: JSONValue) -> RowKey:
    """The row's memo key, or a key no row has (a new layout, a value not a string)."""
    if type(raw) is dict:
        try:
            return memo.layouts[tuple(raw)], _SEPARATOR.join(raw.values())
        except (KeyError, TypeError):
            pass
    return _NO_KEY


def _remember(memo: _Rows[RowT], raw: dict[str, JSONValue], row: RowT) -> None:
    """Keep a row built without a problem, if its values are all strings."""
    try:
        joined = _SEPARATOR.join(raw.values())
    except TypeError:  # a value is not a string
        return
    if joined.count(_SEPARATOR) != len(raw) - 1:  # a value holds the separator
        return
    layout = tuple(raw)
    layouts = memo.layouts
    if layout not in layouts:
        if len(layouts) >= _LAYOUTS_KEPT:
            return
        layouts[layout] = layout
    memo.put((layouts[layout], joined), row)


FIRST_YEAR: Final = 1900
LAST_YEAR: Final = 2100
"""The years a table may be of (a printed year outside them is a slip or garbage)."""

# Years as decoded (JSON numbers are read as Decimal): equal numbers, the same year.
_YEARS: Final[dict[Decimal | int, int]] = {
    number: year for year in range(FIRST_YEAR, LAST_YEAR + 1) for number in (Decimal(year), year)
}


def _is_small_integer(value: Decimal) -> bool:
    # The size check comes first: to_integral_value of 1E+999999999 is costly.
    return value.is_finite() and value.adjusted() < 6 and value == value.to_integral_value()


def _table(
    data: object,
    checks: _Checks,
    memos: _RowMemos,
    rows: tuple[tuple[FundRow, ...], tuple[Indicator, ...]] | None = None,
) -> Table | None:
    """A table from its decoded object, or ``None`` (its problems noted in ``checks``).

    The common table (the format's keys but ``origin``, text fields that are strings,
    a year that is a number) has its fields taken as they are; any other has each
    checked in turn, in the order the problems are reported. The rows are remembered
    or built (:func:`_rows`), unless given: the JSON Lines reader gives those it found
    for the line's arrays, which its ``data`` holds as ``[]``.
    """
    table = data if type(data) is dict else checks.mapping(data, "", "a table")
    if table is None:
        return None
    get = table.get
    kind, name, year = get("kind", "project"), get("name"), get("year")
    department, implementer, source = get("department"), get("implementer"), get("source")
    remarks, money_unit, total = get("remarks"), get("money_unit"), get("total")
    if type(year) is int or (type(year) is Decimal and year.is_finite()):
        year = _YEARS.get(year, year)  # a year in range as an int; any other, checked
    common = (
        type(name) is str
        and (department is None or type(department) is str)
        and (implementer is None or type(implementer) is str)
        and (source is None or type(source) is str)
        and (remarks is None or type(remarks) is str)
        and (money_unit is None or type(money_unit) is str)
        and (type(total) is str or (total is None and "total" not in table))  # null: checked
        and (year is None or (type(year) is int and FIRST_YEAR <= year <= LAST_YEAR))
        and kind in _KINDS
        and get("format", FORMAT) == FORMAT
        and _COMMON_TABLE_KEYS.issuperset(table)
        and not _BAD_CHARACTERS.search(
            f"{name}{department}{implementer}{source}{remarks}{money_unit}{total}"
        )
    )
    if not common:
        kind, name, year, department, implementer, source, remarks, money_unit = checks.header(
            table
        )
    funds = _funds(table, checks, memos) if rows is None else rows[0]
    goal = None if (raw_goal := get("goal")) is None else _goal(raw_goal, checks)
    indicators = _indicators(table, checks, memos) if rows is None else rows[1]
    if not common:
        total = checks.cell(table, "total", "")
    origin = None if common else checks.origin(table)
    extra: _Extra = () if common else checks.extras(table, _TABLE_KEY_SET, "")
    if checks or name is None:
        return None
    # Positional, in the fields' order: attrs matches keywords at a cost.
    return Table(
        name,
        indicators,
        kind,
        year,
        department,
        implementer,
        source,
        "万元" if money_unit is None else money_unit,  # money_unit
        funds,
        goal,
        None if total is None else _figure(total, "total"),
        remarks,
        origin,
        extra,
    )


def _funds(
    table: Mapping[str, JSONValue], checks: _Checks, memos: _RowMemos
) -> tuple[FundRow, ...]:
    """The funds rows (an array, if any)."""
    raws = table.get("funds")
    if type(raws) is not list:
        raws = checks.list(table, "funds")
    return _rows(raws, "funds", _fund_row, memos.fund_rows, checks)


def _indicators(
    table: Mapping[str, JSONValue], checks: _Checks, memos: _RowMemos
) -> tuple[Indicator, ...]:
    """The indicator rows (a required array, with a row at least)."""
    raws = table.get("indicators")
    if type(raws) is not list or not raws:
        if "indicators" not in table:
            checks.add("indicators", "required key missing")
        elif raws is None:
            checks.add("indicators", "expected an array of indicator rows, got null")
        raws = checks.list(table, "indicators")
        if "indicators" in table and not raws and isinstance(table["indicators"], list):
            checks.add("indicators", "a table needs at least one indicator row")
    return _rows(raws, "indicators", _indicator, memos.indicators, checks)


# JSON Lines, the batch format, repeat their rows byte for byte. A line whose rows are
# remembered is read without decoding them: the ``funds`` and ``indicators`` arrays are
# cut out of the line, each row's text (between its ``{`` and ``}``) is looked up, and
# only the rest, the header, is decoded. That reading is the line's own when
#   - the header (the line with ``[]`` in place of each array) holds no backslash, so
#     every key in it is written plainly, and holds the keys ``"funds"`` and
#     ``"indicators"`` once each (so neither is duplicated);
#   - the header decodes as a plain table whose two arrays are those ``[]``;
#   - every row text, when it was first met, decoded alone as a whole JSON object (a
#     text cut at a ``}, {`` or ``}]`` inside a string does not) and built a plain row.
# A valid value then stands in each ``[]`` (whole objects joined by ``", "``), so the
# line is valid JSON and decodes to exactly these rows. Anything else (other spacing,
# escapes in the header, a row that is not plain) returns ``None``, and the line is
# decoded whole. A test compares the two readings on generated and hostile lines.
_FUNDS_KEY: Final = b'"funds"'
_INDICATORS_KEY: Final = b'"indicators"'
_FUNDS_OPENING: Final = b'"funds": [{'
_INDICATORS_OPENING: Final = b'"indicators": [{'
_ROW_BOUNDARY: Final = b"}, {"


def _refuse_constant(name: str) -> JSONValue:
    msg = f"{name} is not a number a table can hold"
    raise ValueError(msg)


class RepeatedKeyError(ValueError):
    """A JSON object names a key twice (:func:`json_problems` says where)."""


def _unique_keys(pairs: list[tuple[str, JSONValue]]) -> dict[str, JSONValue]:
    """A decoded object, refused when a key repeats (a plain dict keeps only the last)."""
    data = dict(pairs)
    if len(data) != len(pairs):
        raise RepeatedKeyError("a key is repeated")
    return data


def _decoder(
    objects: Callable[[list[tuple[str, JSONValue]]], dict[str, JSONValue]],
) -> json.JSONDecoder:
    """A JSON decoder of tables: every number a ``Decimal``, each object made by ``objects``."""
    return json.JSONDecoder(
        parse_float=Decimal,
        parse_int=Decimal,
        parse_constant=_refuse_constant,
        object_pairs_hook=objects,
    )


JSON_DECODER: Final[json.JSONDecoder] = _decoder(_unique_keys)
"""The exact JSON decoder of tables: every number a ``Decimal``, ``NaN`` and repeated
keys refused (:class:`RepeatedKeyError`)."""


class _Repeated(dict[str, JSONValue]):
    """An object that repeated keys, decoded to find where (see :func:`json_problems`)."""

    repeated: tuple[str, ...] = ()
    pairs: tuple[tuple[str, JSONValue], ...] = ()


def _marking_object(pairs: list[tuple[str, JSONValue]]) -> dict[str, JSONValue]:
    data = dict(pairs)
    if len(data) == len(pairs):
        return data
    marked = _Repeated(data)
    counts = Counter(key for key, _ in pairs)
    marked.repeated = tuple(key for key, count in counts.items() if count > 1)
    marked.pairs = tuple(pairs)
    return marked


_MARKING_DECODER: Final[json.JSONDecoder] = _decoder(_marking_object)

# What no text of a table may hold: NUL (a CSV reads it as binary data) and lone
# surrogates (no UTF-8 output can encode them). JSON escapes are their only way in.
_BAD_CHARACTERS: Final = re.compile("[\x00\ud800-\udfff]")


def json_problems(text: str, start: int = 0) -> list[tuple[str, str]]:
    r"""The places in the JSON value at ``start`` that no table may hold, with why.

    Those are keys given twice in one object (a decoder keeps only one of them), and
    text holding a NUL character or a lone surrogate (half of a UTF-16 pair, which no
    UTF-8 file can hold: every output would fail on it). Each place is a path such
    as ``indicators[0].level3``. Empty when the value is fine or is not JSON.

    >>> for problem in json_problems('{"name": "a", "name": "b", "x": ["\\u0000"]}'):
    ...     print(problem)
    ('name', "key 'name' is given twice (which one is meant?)")
    ('x[0]', 'holds U+0000 (NUL), a character no table cell holds')
    """
    try:
        data, _ = _MARKING_DECODER.raw_decode(text, start)
    except (ValueError, RecursionError):
        return []
    problems: list[tuple[str, str]] = []
    _walk(data, "", problems)
    return problems


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


# The decoder's scanner: one JSON value at an offset, as (value, end); no whitespace
# skipped, no trailing text checked (JSONDecoder.decode's own two regex passes).
_SCAN: Final[Callable[[str, int], tuple[JSONValue, int]]] = JSON_DECODER.scan_once  # type: ignore[attr-defined]


def _array_span(line: bytes, opening: bytes) -> tuple[int, int] | None:
    """Where the rows after ``opening`` lie: the offsets of ``[`` and ``]``, or ``None``.

    The ``]`` is that of the first ``}]`` after ``opening``, found by looking for
    ``]`` alone (a search for one byte is many times faster than for two) and
    checking the byte before it. (The header's key count then tells an absent key
    from one written otherwise.)
    """
    at = line.find(opening)
    if at < 0:
        return None
    closing = line.find(b"]", at + len(opening))
    while closing >= 0 and line[closing - 1] != _CLOSING_BRACE:
        closing = line.find(b"]", closing + 1)
    if closing < 0:
        return None
    return at + len(opening) - 2, closing


_CLOSING_BRACE: Final = ord("}")


def _json_object(text: bytes) -> dict[str, JSONValue] | None:
    """The JSON object the text holds (whitespace may follow it), else ``None``."""
    try:
        decoded = text.decode("utf-8")
        data, end = _SCAN(decoded, 0)
    except (ValueError, RecursionError, StopIteration):
        return None
    if end != len(decoded) and decoded[end:].strip(_JSON_SPACE):
        return None
    return data if type(data) is dict else None


_JSON_SPACE: Final = " \t\n\r"


def _header(line: bytes, spans: list[tuple[int, int]]) -> dict[str, JSONValue] | None:
    """The line decoded with ``[]`` for each array, if it may be read this way."""
    header = b""
    start = 0
    for opening, closing in sorted(spans):
        if opening < start:  # the arrays overlap
            return None
        header += line[start : opening + 1]
        start = closing
    header += line[start:]
    if (
        b"\\" in header
        or header.count(_INDICATORS_KEY) != 1
        or header.count(_FUNDS_KEY) != len(spans) - 1
    ):
        return None
    return _json_object(header)


def _raw_rows(
    inner: bytes,
    raw_memo: Clock[bytes, RowT],
    build: Callable[[object, str, _Checks], RowT | None],
) -> tuple[RowT, ...] | None:
    """The rows of an array's text (without its outer braces), or ``None``.

    A row text not remembered is decoded alone and built by ``build``, as the line
    decoded whole would build it (a problem raises :class:`_Declined`). It is
    remembered unless it holds keys the format does not define: their values may be
    arrays or objects, which no two tables may share.
    """
    texts = inner.split(_ROW_BOUNDARY)
    remembered = tuple(map(raw_memo.entries.get, texts))
    if all(remembered):
        raw_memo.used.update(texts)
        return remembered  # type: ignore[return-value] # all(...) excludes None
    raw_memo.used.update(compress(texts, remembered))
    found = list(remembered)
    for index in compress(range(len(found)), map(operator.not_, found)):
        text = texts[index]
        row = raw_memo.entries.get(text)  # the same new row earlier on this line
        if row is None:
            raw = _json_object(b"{%b}" % text)
            if raw is None or (row := build(raw, "", _DECLINE)) is None:
                return None
            if not row.extra:
                raw_memo.put(text, row)
        found[index] = row
    return tuple(found)  # type: ignore[arg-type] # every None was replaced


def table_from_json_line(line: bytes, *, memo: Memo | None) -> Table | None:
    """The table on one line of JSON Lines, read from the run's remembered rows.

    ``None`` when the line is not read this way (without a memo, a line of other
    spacing or with escapes in its header, a table with a problem): decode it whole
    and use :func:`table_from_dict`, which gives the same table (or says what is
    wrong, with paths).
    """
    if memo is None:
        return None
    rows_span = _array_span(line, _INDICATORS_OPENING)
    if rows_span is None:
        return None
    funds_span = _array_span(line, _FUNDS_OPENING)
    data = _header(line, [rows_span] if funds_span is None else [rows_span, funds_span])
    if data is None or data.get("indicators") != [] or data.get("funds", []) != []:
        return None
    memos = _row_memos(memo)
    try:
        funds: tuple[FundRow, ...] | None = ()
        if funds_span is not None:
            inner = line[funds_span[0] + 2 : funds_span[1] - 1]
            funds = memos.funds_by_text.get(inner)
            if funds is None:
                funds = _raw_rows(inner, memos.fund_rows_by_text, _fund_row)
                if funds is not None and not any(row.extra for row in funds):
                    memos.funds_by_text.put(inner, funds)
        inner = line[rows_span[0] + 2 : rows_span[1] - 1]
        indicators = _raw_rows(inner, memos.indicators_by_text, _indicator)
        if funds is None or indicators is None:
            return None
        return _table(data, _DECLINE, memos, (funds, indicators))
    except _Declined:
        return None


def table_from_dict(data: object, *, source: str = "<dict>", memo: Memo | None = None) -> Table:
    """Build a :class:`~perfscore.model.Table` from one decoded table object.

    Args:
        data: the object, as decoded by ``json.loads(..., parse_float=Decimal)``.
        source: the file (and table index) it came from, named in errors.
        memo: the run's :class:`~perfscore.memo.Memo`: rows read before from the same
            text are taken from it, not read again.

    Raises:
        TableFormatError: ``data`` is not a table: every problem, with its path.
    """
    memos = _row_memos(memo)
    try:
        table = _table(data, _DECLINE, memos)
    except _Declined:  # something is off: read again, noting every problem with its path
        table = None
    if table is None:
        checks = _Checks(TableFormatError, source=source)
        _table(data, checks, memos)
        raise checks.error()
    return table


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
        _put_places(goal, table.goal.places)
        goal.update(table.goal.extra)
        out["goal"] = goal
    out["indicators"] = [_indicator_to_dict(row) for row in table.indicators]
    _put(out, "total", table.total)
    _put(out, "remarks", table.remarks)
    if table.origin is not None:
        out["origin"] = _origin_to_dict(table.origin)
    out.update(table.extra)
    return out


def _origin_to_dict(origin: Origin) -> dict[str, JSONValue]:
    out: dict[str, JSONValue] = {"document": origin.document}
    if origin.place:
        out["place"] = origin.place
    _put(out, "number", origin.number)
    _put_places(out, origin.places)
    return out


def _put_places(out: dict[str, JSONValue], places: tuple[tuple[str, str], ...]) -> None:
    if places:
        out["places"] = dict(places)


def _fund_row_to_dict(row: FundRow) -> dict[str, JSONValue]:
    out: dict[str, JSONValue] = {"label": row.label}
    for key in _FUND_FIGURES:
        _put(out, key, getattr(row, key))
    _put_places(out, row.places)
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
    _put_places(out, row.places)
    out.update(row.extra)
    return out


def decode_json(text: str, *, source: str = "<string>") -> JSONValue:
    """Decode JSON exactly: every number as a ``Decimal``, ``NaN``/``Infinity`` refused.

    A key given twice in one object is refused too: a decoder would keep only one
    of its values (see :func:`~perfscore.io.json.json_problems`).

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
        # Some of the decoder's messages end in "at" already ("… starting at").
        what = error.msg.removesuffix(" at")
        where = f"at line {error.lineno} column {error.colno}"
        raise TableFormatError(
            source, [InvalidTable("", f"not valid JSON ({what} {where})", source=source)]
        ) from None
    except (ValueError, RecursionError) as error:
        raise TableFormatError(
            source, [InvalidTable("", f"not valid JSON ({error})", source=source)]
        ) from None
    return data


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
    return _scalar_json(value)


def _scalar_json(value: JSONValue) -> str:
    """A JSON scalar's text: numbers digit for digit, never through ``float``."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a number JSON can hold")
        return str(value)
    if isinstance(value, float):
        raise FloatRefusedError(value, where="JSON output")
    if type(value) is int and not -_SHORT_INT < value < _SHORT_INT:
        # Past Python's limit on int-to-text conversion: the digits through Decimal.
        return str(Decimal(value))
    return json.dumps(value, ensure_ascii=False)


_SHORT_INT: Final = 10**4000  # ints below this convert to text without Python's limit


def _table_from_dict(_kind: type, data: object, *, source: str) -> Table:
    return table_from_dict(data, source=source)


LATER.provide(Table, "to_dict", table_to_dict)
LATER.provide(Table, "from_dict", _table_from_dict)

"""The ``perfscore.table/1`` JSON format, to and from :class:`~perfscore.model.Table`.

Reading is lenient about what real prints hold (blank cells, weights printed as
``20%``, unreadable targets: those load and become audit findings later) and strict
about the shape: a value of the wrong type, a missing required key or an unknown
format version is a problem. All problems of one table are gathered into a single
:class:`~perfscore.errors.TableFormatError`, each with its path.

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
from functools import lru_cache, partial
from itertools import compress
from typing import TYPE_CHECKING, Final, Literal, TypeAlias, TypeVar, cast, get_args

from perfscore._text import fold, shorten
from perfscore.cells import (
    Actual,
    Figure,
    Target,
    actual_from_text,
    decimal_text,
    figure_from_text,
    parse_actual,
    parse_figure,
    parse_target,
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
# What the plain readers read: a row or table read from a document (with its places
# and origin) is read carefully.
_PLAIN_TABLE_KEYS: Final = _TABLE_KEY_SET - {"origin"}
_PLAIN_FUND_KEYS: Final = _FUND_KEY_SET - {"places"}
_PLAIN_GOAL_KEYS: Final = _GOAL_KEY_SET - {"places"}
_PLAIN_INDICATOR_KEYS: Final = _INDICATOR_KEY_SET - {"places"}

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


def _plain_fund_row(raw: dict[str, JSONValue]) -> FundRow | None:
    """A funds row of known keys and string values, built directly; else ``None``."""
    if not _PLAIN_FUND_KEYS.issuperset(raw):
        return None
    label = raw.get("label")
    figures = [raw.get(key, _MISSING) for key in _FUND_FIGURES]
    if type(label) is not str or not all(type(value) is str for value in figures[:3]):
        return None
    if not all(value is _MISSING or type(value) is str for value in figures[3:]):
        return None  # a null cell is read carefully
    initial, annual, executed, weight, rate, score = (
        _cell(text, _FIGURE_READERS[key], Figure.unreadable) if type(text) is str else None
        for key, text in zip(_FUND_FIGURES, figures, strict=True)
    )
    if initial is None or annual is None or executed is None:  # pragma: no cover - checked
        return None
    return FundRow(label, initial, annual, executed, weight, rate, score)


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


def _read_rows(
    reader: _Reader,
    raws: list[JSONValue],
    name: str,
    build: Callable[[_Reader, object, str], RowT | None],
    memo: _Rows[RowT],
) -> tuple[RowT, ...]:
    """The rows of one list (``funds`` or ``indicators``), each built or remembered."""
    rows: list[RowT] = []
    for index, raw in enumerate(raws):
        if type(raw) is dict:
            try:
                key = (memo.layouts[tuple(raw)], _SEPARATOR.join(raw.values()))
            except (KeyError, TypeError):  # a new layout, a value not a string
                pass
            else:
                row = memo.get(key)
                if row is not None:
                    rows.append(row)
                    continue
        problems = len(reader.problems)
        row = build(reader, raw, f"{name}[{index}]")
        if row is None:
            continue
        rows.append(row)
        if len(reader.problems) == problems:
            _remember(memo, raw, row)
    return tuple(rows)


def _cell(
    raw: str, parse: Callable[[str], CellT], unreadable: Callable[[str, str], CellT]
) -> CellT:
    try:
        return parse(raw)
    except InvalidCell as error:
        return unreadable(raw, str(error))


_FIGURE_READERS: Final[dict[str, Callable[[str], Figure]]] = {
    key: partial(parse_figure, role=key) for key in (*_FUND_FIGURES, "weight", "score", "total")
}


def _plain_indicator(raw: dict[str, JSONValue]) -> Indicator | None:
    """A row of known keys and string values, built directly; else ``None``.

    It is the careful :func:`_build_indicator` without the checks such a row cannot
    fail (rows read in a batch are mostly like this), and it gives the same row (a
    property test compares the two, which share no code).
    """
    if not _PLAIN_INDICATOR_KEYS.issuperset(raw):
        return None
    get = raw.get
    level1, level2, level3 = get("level1"), get("level2"), get("level3")
    target, actual, weight = get("target"), get("actual"), get("weight")
    score, note, basis = get("score", _MISSING), get("deviation_note"), get("basis")
    if not (
        type(level1) is str
        and type(level2) is str
        and type(level3) is str
        and type(target) is str
        and type(actual) is str
        and type(weight) is str
        and (score is _MISSING or type(score) is str)  # a null cell is read carefully
        and (note is None or type(note) is str)
        and (basis is None or type(basis) is str)
    ):
        return None
    try:  # cells that read, the common case, without a frame per cell
        target_cell = target_from_text(target)
        actual_cell = actual_from_text(actual)
        weight_cell = figure_from_text(weight, "weight")
        score_cell = figure_from_text(score, "score") if type(score) is str else None
    except InvalidCell:
        target_cell = _cell(target, parse_target, Target.unreadable)
        actual_cell = _cell(actual, parse_actual, Actual.unreadable)
        weight_cell = _cell(weight, _FIGURE_READERS["weight"], Figure.unreadable)
        score_cell = (
            _cell(score, _FIGURE_READERS["score"], Figure.unreadable)
            if type(score) is str
            else None
        )
    return Indicator(
        level1=parse_label(level1),
        level2=parse_label(level2),
        level3=level3,
        target=target_cell,
        actual=actual_cell,
        weight=weight_cell,
        score=score_cell,
        deviation_note=note,
        basis=basis,
    )


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


def _plain_rows(
    raws: list[JSONValue],
    memo: _Rows[RowT],
    plain: Callable[[dict[str, JSONValue]], RowT | None],
) -> tuple[RowT, ...] | None:
    """The rows remembered or built directly, or ``None`` if one needs the careful reader.

    A new row whose text holds a character no table may hold is left to the careful
    reader, which reports it (the callers of ``plain`` check that, on text they hold).
    """
    try:
        keys = list(
            zip(
                map(memo.layouts.__getitem__, map(tuple, raws)),
                map(_SEPARATOR.join, map(dict.values, raws)),
                strict=True,
            )
        )
    except (KeyError, TypeError):  # a new layout, a value not a string, not a dict
        keys = []
    if not keys:  # a new layout or an odd value
        return _plain_built(raws, memo, plain)
    remembered = list(map(memo.young.get, keys))
    if all(remembered):  # the common case, looped in C
        return tuple(remembered)  # type: ignore[arg-type] # all(...) excludes None
    for index, row in enumerate(remembered):
        if row is not None:
            continue
        key = keys[index]
        found = memo.get(key)  # the older generation
        if found is None:
            raw = raws[index]
            if _BAD_CHARACTERS.search(key[1]) or (found := plain(raw)) is None:
                return None
            _remember(memo, raw, found)
        remembered[index] = found
    return tuple(remembered)  # type: ignore[arg-type] # every None was replaced


def _bad_text(raw: dict[str, JSONValue]) -> bool:
    """Whether a row's texts hold a character no table may hold."""
    texts = _SEPARATOR.join(value for value in raw.values() if type(value) is str)
    return _BAD_CHARACTERS.search(texts) is not None


def _plain_built(
    raws: list[JSONValue],
    memo: _Rows[RowT],
    plain: Callable[[dict[str, JSONValue]], RowT | None],
) -> tuple[RowT, ...] | None:
    """Each row built directly (and remembered), or ``None`` if one cannot be."""
    rows: list[RowT] = []
    for raw in raws:
        if type(raw) is not dict or _bad_text(raw) or (row := plain(raw)) is None:
            return None
        _remember(memo, raw, row)
        rows.append(row)
    return tuple(rows)


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
"""The years a table may be of (a printed year outside them is a slip or garbage)."""


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


# Years as decoded (JSON numbers are read as Decimal): equal numbers, the same year.
_YEARS: Final[dict[Decimal | int, int]] = {
    number: year for year in range(FIRST_YEAR, LAST_YEAR + 1) for number in (Decimal(year), year)
}


def _plain_year(value: JSONValue) -> int | None:
    """The year of a plain table (absent or a year in range), else -1."""
    if value is None:
        return None
    if type(value) is int or (type(value) is Decimal and value.is_finite()):
        year = _YEARS.get(value)
        if year is not None:
            return year
    return -1


def _plain_goal(value: JSONValue) -> Goal | Literal[False] | None:
    """The goal of a plain table (absent, or texts under known keys), else ``False``."""
    if value is None:
        return None
    if type(value) is not dict or not _PLAIN_GOAL_KEYS.issuperset(value):
        return False
    expected, achieved = value.get("expected"), value.get("achieved")
    if (expected is not None and type(expected) is not str) or (
        achieved is not None and type(achieved) is not str
    ):
        return False
    if _BAD_CHARACTERS.search(f"{expected or ''}{_SEPARATOR}{achieved or ''}"):
        return False
    return Goal(expected=expected, achieved=achieved)


def _plain_table(data: dict[str, JSONValue], memos: _RowMemos) -> Table | None:
    """A table in the common plain shape, read directly; else ``None``.

    Plain means: only the format's keys, text fields that are strings, a year that is
    a number, rows of strings. Such a table cannot have a problem, so the
    careful reader's checks are skipped; any other table is left to that reader,
    which gives the same table (a property test holds this).
    """
    raw_funds, raw_rows = data.get("funds", []), data.get("indicators")
    if type(raw_funds) is not list or type(raw_rows) is not list or not raw_rows:
        return None
    funds = _plain_rows(raw_funds, memos.fund_rows, _plain_fund_row)
    indicators = _plain_rows(raw_rows, memos.indicators, _plain_indicator)
    if funds is None or indicators is None:
        return None
    return _plain_header(data, funds, indicators)


def _plain_header(
    data: dict[str, JSONValue], funds: tuple[FundRow, ...], indicators: tuple[Indicator, ...]
) -> Table | None:
    """The table of a plain header (every key but the rows) and its rows, else ``None``."""
    if not _PLAIN_TABLE_KEYS.issuperset(data):
        return None
    get = data.get
    kind = get("kind", "project")
    name, department, implementer = get("name"), get("department"), get("implementer")
    source, remarks, money_unit = get("source"), get("remarks"), get("money_unit")
    total = get("total", _MISSING)
    if (
        get("format", FORMAT) != FORMAT
        or kind not in _KINDS
        or type(name) is not str
        or (department is not None and type(department) is not str)
        or (implementer is not None and type(implementer) is not str)
        or (source is not None and type(source) is not str)
        or (remarks is not None and type(remarks) is not str)
        or (money_unit is not None and type(money_unit) is not str)
        or (total is not _MISSING and type(total) is not str)  # a null cell, carefully
    ):
        return None
    year = _plain_year(get("year"))
    if year == -1:
        return None
    texts = (name, department, implementer, source, remarks, money_unit, total)
    if _BAD_CHARACTERS.search(_SEPARATOR.join(text for text in texts if type(text) is str)):
        return None  # the careful reader reports the bad character
    goal = _plain_goal(get("goal"))
    if goal is False:
        return None
    # Positional, in the fields' order (attrs matches keywords at a cost, 0.4 µs of a
    # line's 12); a property test holds this table to the careful reader's.
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
        _cell(total, _FIGURE_READERS["total"], Figure.unreadable) if type(total) is str else None,
        remarks,
    )


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
_BAD_ESCAPE: Final = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")  # in JSON text


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
    plain: Callable[[dict[str, JSONValue]], RowT | None],
) -> tuple[RowT, ...] | None:
    """The rows of an array's text (without its outer braces), or ``None``."""
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
            if b"\\u" in text and _BAD_ESCAPE.search(text):  # left to the careful reader
                return None
            raw = _json_object(b"{%b}" % text)
            if raw is None or (row := plain(raw)) is None:
                return None
            raw_memo.put(text, row)
        found[index] = row
    return tuple(found)  # type: ignore[arg-type] # every None was replaced


def table_from_json_line(line: bytes, *, memo: Memo | None) -> Table | None:
    """The table on one line of JSON Lines, read from the run's remembered rows.

    ``None`` when the line is not read this way (without a memo, the first time its
    rows are seen, a line of other spacing or with escapes in its header, a table not
    in the plain shape): decode it whole and use :func:`table_from_dict`, which gives
    the same table.
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
    funds: tuple[FundRow, ...] | None = ()
    if funds_span is not None:
        inner = line[funds_span[0] + 2 : funds_span[1] - 1]
        funds = memos.funds_by_text.get(inner)
        if funds is None:
            funds = _raw_rows(inner, memos.fund_rows_by_text, _plain_fund_row)
            if funds is not None:
                memos.funds_by_text.put(inner, funds)
    inner = line[rows_span[0] + 2 : rows_span[1] - 1]
    indicators = _raw_rows(inner, memos.indicators_by_text, _plain_indicator)
    if funds is None or indicators is None:
        return None
    return _plain_header(data, funds, indicators)


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
    if type(data) is dict and (plain := _plain_table(data, memos)) is not None:
        return plain
    return _careful_table(data, source, memos)


def _careful_table(data: object, source: str, memos: _RowMemos) -> Table:
    """The table read with every check (any table; the plain path gives the same)."""
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
        memos.fund_rows,
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
    indicators = _read_rows(
        reader, raw_indicators, "indicators", _build_indicator, memos.indicators
    )
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
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a number JSON can hold")
        return str(value)
    if isinstance(value, float):
        raise FloatRefusedError(value, where="JSON output")
    return json.dumps(value, ensure_ascii=False)


def _table_from_dict(_kind: type, data: object, *, source: str) -> Table:
    return table_from_dict(data, source=source)


LATER.provide(Table, "to_dict", table_to_dict)
LATER.provide(Table, "from_dict", _table_from_dict)

"""Fit: find the rule parameters that explain a set of printed scores.

Every province, and in practice every unit, scores a little differently, and the rules
are rarely published. :func:`fit` searches the space of profile parameters for the
settings that reproduce the most printed scores, and for each numeric threshold
reports the whole **window** of values consistent with the data rather than one point.

Thresholds are not searched on a grid: each printed score bounds a threshold from one
side (a cost row printed in full says the floor is at most its spending share; one
printed 0 says the floor is above it), so the best window is found by sweeping the
sorted bounds once. Categorical choices (rounding, all-or-nothing or proportional,
the reverse and equal formulas, the execution rule) are few; rows are grouped by the
parameters that can change their score, so each row is scored only under the
settings that matter to it.

>>> from perfscore import load
>>> result = fit(load("examples/changji-2023"))
>>> best = result.best
>>> best.funds_reproduced, best.funds_total
(17, 17)
>>> best.parameters["quantitative.mode"], best.parameters["execution.rule"]
('all-or-nothing', 'interval')
>>> print(best.windows["execution.full_at"])
(0.616410, 0.983579]
>>> print(best.windows["quantitative.cost_floor"])
(0.699728, 0.976972]
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    localcontext,
)
from functools import cache
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, cast

import attrs

from perfscore._values import value_repr
from perfscore.cells import DATE_UNIT
from perfscore.model import LATER
from perfscore.profiles import (
    MAX_PLACES,
    EqualRule,
    ExecutionRule,
    FitSearch,
    Profile,
    QualitativeRules,
    QuantitativeMode,
    QuantitativeRules,
    ReverseRule,
    Rounding,
    RoundingMode,
    ScoredTier,
    ZeroBudget,
    get_profile,
)
from perfscore.scoring import ItemScore, score, score_indicator

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    from perfscore.model import Table

__all__ = ["Candidate", "FitResult", "Residual", "SearchSpace", "Window", "fit"]

# The search's arithmetic: ample digits, any exponent, as scoring computes.
_CONTEXT: Final = Context(prec=50, Emax=MAX_EMAX, Emin=MIN_EMIN)
_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)
_TIERS: Final[tuple[ScoredTier, ...]] = ("achieved", "partial", "not-achieved")
_SHOWN_PLACES: Final = Decimal("0.000001")
_JSON_PLACES: Final = Decimal("1E-12")  # a bound is a ratio: twelve decimals say it
_FINEST: Final = Decimal(1).scaleb(-MAX_PLACES)


def _within_places(value: Decimal) -> Decimal:
    """``value``, rounded to the places a profile holds if it has more."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -MAX_PLACES:
        return value
    return value.quantize(_FINEST, rounding=ROUND_HALF_EVEN)


ExecutionChoice = Literal["proportional", "proportional-uncapped", "interval"]


def _searched() -> Iterator[tuple[str, attrs.Attribute[Any]]]:
    """The parameters fit sets, by dotted name: the fields whose metadata says how."""
    for section in attrs.fields(Profile):
        cls = type(section.default)
        if attrs.has(cls):  # a table of parameters ([rounding])
            for field in attrs.fields(cls):
                if "fit" in field.metadata:
                    yield f"{section.name}.{field.name}", field


def _as_text(value: object) -> str:
    """A parameter's value as a candidate gives it (``off``, ``true``, ``0.7``)."""
    if value is None:
        return "off"
    if isinstance(value, bool):
        return str(value).lower()
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


_PARAMETERS: Final[dict[str, attrs.Attribute[Any]]] = dict(_searched())
# Each parameter's default, from which a candidate's simplicity is counted.
_DEFAULTS: Final[dict[str, str]] = {
    name: _as_text(field.default) for name, field in _PARAMETERS.items()
}


def _search(name: str) -> FitSearch:
    """How fit searches a parameter, as its field says."""
    search: FitSearch = _PARAMETERS[name].metadata["fit"]
    return search


def _tried(name: str) -> Any:  # noqa: ANN401 - the values of the parameter's own type
    """The values fit tries for a parameter, in order."""
    return _search(name).values


@cache
def _range(name: str) -> Window:
    """The range in which fit looks for a numeric parameter's window."""
    search = _search(name)
    if search.low is None or search.high is None:  # pragma: no cover - a choice, not a number
        raise ValueError(name)
    return Window(search.low, search.high, low_open=search.low_open, high_open=search.high_open)


# ---------------------------------------------------------------------------------
# Intervals and windows


@attrs.frozen
class Window:
    """A set of values on the line: from ``low`` to ``high``, each end open or closed.

    >>> window = Window(Decimal("0.6164"), Decimal("0.9836"), low_open=True, high_open=False)
    >>> print(window)
    (0.616400, 0.983600]
    >>> window.contains(Decimal("0.9836")), window.contains(Decimal("0.6164"))
    (True, False)
    >>> window.pick()
    Decimal('0.8')
    """

    __repr__ = value_repr

    low: Decimal
    high: Decimal
    low_open: bool = False
    high_open: bool = False

    def contains(self, value: Decimal) -> bool:
        """Whether ``value`` lies in the window."""
        above = value > self.low or (value == self.low and not self.low_open)
        below = value < self.high or (value == self.high and not self.high_open)
        return above and below

    @property
    def empty(self) -> bool:
        """Whether no value lies in the window."""
        return self.low > self.high or (self.low == self.high and (self.low_open or self.high_open))

    def pick(self) -> Decimal:
        """The simplest value in the window: fewest decimal places, nearest the middle.

        A profile holds at most :data:`~perfscore.profiles.MAX_PLACES` decimal places;
        a window too narrow to hold such a value gives the one nearest its middle.
        """
        if self.low == self.high:
            return _within_places(self.low)
        middle = (self.low + self.high) / 2
        for places in range(MAX_PLACES + 1):
            step = Decimal(1).scaleb(-places)
            start = (self.low / step).to_integral_value(rounding=ROUND_DOWN)
            stop = (self.high / step).to_integral_value(rounding=ROUND_DOWN) + 1
            inside = [
                value
                for value in (k * step for k in range(int(start), int(stop) + 1))
                if self.contains(value)
            ]
            if inside:
                return min(inside, key=lambda value: abs(value - middle)).normalize()
        return _within_places(middle)

    def __str__(self) -> str:
        """Interval notation, the ends at six decimals."""
        left = "(" if self.low_open else "["
        right = ")" if self.high_open else "]"
        return f"{left}{_shown(self.low)}, {_shown(self.high)}{right}"

    def to_dict(self) -> dict[str, Any]:
        """The window as the ``perfscore.fit/1`` format writes it."""
        return {
            "low": f"{self.low.quantize(_JSON_PLACES, ROUND_HALF_EVEN):f}",
            "high": f"{self.high.quantize(_JSON_PLACES, ROUND_HALF_EVEN):f}",
            "low_open": self.low_open,
            "high_open": self.high_open,
        }


def _shown(value: Decimal) -> str:
    return f"{value.quantize(_SHOWN_PLACES, ROUND_HALF_UP):f}"


def _inner(window: Window) -> str:
    """The window in interval notation, each end rounded toward the inside.

    Every value shown lies in the window, so a value copied from the note reproduces
    what the window does; an end moved inward is shown closed. Six decimals, as the
    report shows them; more for a window too narrow to show with six.

    >>> print(_inner(Window(Decimal("0.6164"), Decimal("0.98357899"), low_open=True)))
    (0.616400, 0.983578]
    >>> print(_inner(Window(Decimal("0.61641"), Decimal("0.6164101"), low_open=True)))
    (0.6164100, 0.6164101]
    """
    with localcontext(_CONTEXT):
        for places in range(6, 13):
            step = _ONE.scaleb(-places)
            low = window.low.quantize(step, ROUND_CEILING)
            high = window.high.quantize(step, ROUND_FLOOR)
            if low < high or (low == high == window.low == window.high):
                break
        else:
            low, high = window.low, window.high
    # An end moved inward lies inside the window: it is shown closed.
    left = "(" if window.low_open and low == window.low else "["
    right = ")" if window.high_open and high == window.high else "]"
    return f"{left}{low:f}, {high:f}{right}"


class _Piece(NamedTuple):
    """A piece of the line between consecutive breakpoints, or a breakpoint itself."""

    window: Window
    probe: Decimal


def _pieces(points: Iterable[Decimal], domain: Window) -> list[_Piece]:
    """The line cut at ``points``: each point, and each open gap, inside ``domain``."""
    cuts = sorted({p for p in points if domain.contains(p)} | {domain.low, domain.high})
    pieces: list[_Piece] = []
    for index, cut in enumerate(cuts):
        point = Window(cut, cut)
        if domain.contains(cut):
            pieces.append(_Piece(point, cut))
        if index + 1 < len(cuts):
            gap = Window(cut, cuts[index + 1], low_open=True, high_open=True)
            pieces.append(_Piece(gap, (cut + cuts[index + 1]) / 2))
    return pieces


def _merge(first: Window, last: Window) -> Window:
    return Window(first.low, last.high, low_open=first.low_open, high_open=last.high_open)


def _best_run(pieces: Sequence[_Piece], counts: Sequence[int]) -> tuple[int, Window]:
    """The best count and the first maximal run of consecutive pieces reaching it."""
    best = max(counts)
    start = counts.index(best)
    end = start
    while end + 1 < len(counts) and counts[end + 1] == best:
        end += 1
    return best, _merge(pieces[start].window, pieces[end].window)


class _Constraint(NamedTuple):
    """A row reproduced when the parameter lies in any of ``sets``."""

    sets: tuple[Window, ...]

    def holds(self, value: Decimal) -> bool:
        return any(window.contains(value) for window in self.sets)


def _best_window(constraints: Sequence[_Constraint], domain: Window) -> tuple[int, Window]:
    """The most constraints one value satisfies, and the window of such values."""
    points = [w.low for c in constraints for w in c.sets] + [
        w.high for c in constraints for w in c.sets
    ]
    pieces = _pieces(points, domain)
    counts = [sum(c.holds(piece.probe) for c in constraints) for piece in pieces]
    return _best_run(pieces, counts)


# ---------------------------------------------------------------------------------
# Rounding preimages


def _round(value: Decimal, mode: RoundingMode, places: int = 2) -> Decimal:
    return Rounding(places=places, mode=mode).round(value)


def _preimage(printed: Decimal, mode: RoundingMode, places: int = 2) -> Window:
    """The raw values that round to ``printed``."""
    half = Decimal(5).scaleb(-places - 1)
    unit = Decimal(1).scaleb(-places)
    if mode == "down":
        return (
            Window(printed, printed + unit, high_open=True)
            if printed >= 0
            else Window(printed - unit, printed, low_open=True)
        )
    if mode == "half-up":
        return Window(printed - half, printed + half, high_open=True)
    even = int((printed / unit).to_integral_value()) % 2 == 0
    return Window(printed - half, printed + half, low_open=not even, high_open=not even)


# ---------------------------------------------------------------------------------
# The search space and results


@attrs.frozen
class SearchSpace:
    """The parameter values :func:`fit` tries.

    Attributes:
        rounding: rounding modes.
        modes: quantitative modes.
        reverse: formulas for an exceeded at-most target.
        equal: formulas for a missed ``=`` target.
        execution: ``proportional`` (capped), ``proportional-uncapped`` and
            ``interval`` (with its floor and full-marks windows).
        cost_floor: whether to fit a cost floor window.
        qualitative: whether to fit the qualitative tier fractions.
    """

    __repr__ = value_repr

    rounding: tuple[RoundingMode, ...] = _tried("rounding.mode")
    modes: tuple[QuantitativeMode, ...] = _tried("quantitative.mode")
    reverse: tuple[ReverseRule, ...] = _tried("quantitative.reverse")
    equal: tuple[EqualRule, ...] = _tried("quantitative.equal")
    execution: tuple[ExecutionChoice, ...] = ("proportional", "proportional-uncapped", "interval")
    cost_floor: bool = True
    qualitative: bool = True


@attrs.frozen
class Residual:
    """A printed score the candidate does not reproduce: an anomaly."""

    __repr__ = value_repr

    file: str
    where: str
    path: str
    printed: str
    expected: str | None

    def to_dict(self) -> dict[str, str | None]:
        """The residual as the ``perfscore.fit/1`` format writes it."""
        return {
            "file": self.file,
            "where": self.where,
            "path": self.path,
            "printed": self.printed,
            "expected": self.expected,
        }


@attrs.frozen
class Candidate:
    """One setting of the parameters, with how much of the print it reproduces.

    Attributes:
        parameters: the chosen value of each parameter, by dotted name.
        windows: for each fitted threshold, the window of values consistent with the
            data (every value in it reproduces the same rows).
        rows_reproduced, rows_total: indicator rows with a printed score.
        numeric_rows_reproduced, numeric_rows_total: those whose target is a number.
        funds_reproduced, funds_total: printed 执行率 scores.
        residuals: the printed scores not reproduced (filled for the best candidates).
        simplicity: how many parameters differ from ``mof-2020`` (fewer is simpler).
    """

    parameters: dict[str, str]
    windows: dict[str, Window]
    rows_reproduced: int
    rows_total: int
    numeric_rows_reproduced: int
    numeric_rows_total: int
    funds_reproduced: int
    funds_total: int
    simplicity: int
    residuals: tuple[Residual, ...] = ()

    def profile(self, name: str = "fitted") -> Profile:
        """The candidate as a profile: each threshold at the simplest value of its window."""
        return _profile(self.parameters, self.windows, name=name)

    def profile_toml(self, name: str = "fitted") -> str:
        """:meth:`profile` as a TOML file, saying where each fitted value came from.

        The file opens with what the candidate reproduces, and each fitted threshold
        carries its window as a comment beside its value (the ends rounded toward the
        inside, so every value shown lies in the window). It reads back to
        :meth:`profile` (``perfscore fit --save-profile`` writes it).

        >>> from perfscore import load
        >>> best = fit(load("examples/changji-2023")).best
        >>> toml = best.profile_toml()
        >>> print(toml[toml.index("[execution]") : toml.index("steps")], end="")
        [execution]
        rule = "interval"
        cap = true
        floor = 0.6  # 拟合区间 [0.599803, 0.600219]
        full_at = 0.8  # 拟合区间 [0.616411, 0.983578]
        """
        profile = self.profile(name)
        heading = (
            f"perfscore fit 据印刷得分拟合的规则：复现指标行 {self.rows_reproduced}/"
            f"{self.rows_total}（定量 {self.numeric_rows_reproduced}/"
            f"{self.numeric_rows_total}），执行率 {self.funds_reproduced}/{self.funds_total}。\n"
            "阈值旁注明其拟合区间：与印刷得分一致的取值（端点取六位小数，向区间内舍入）；\n"
            "文件取区间内最简的值。"
        )
        notes = {name: f"拟合区间 {_inner(window)}" for name, window in self.windows.items()}
        return profile.to_toml(heading=heading, notes=notes)

    def __repr__(self) -> str:
        """One line: how much of the print the candidate reproduces, how simple it is."""
        return (
            f"<Candidate rows {self.rows_reproduced}/{self.rows_total} "
            f"(numeric {self.numeric_rows_reproduced}/{self.numeric_rows_total}), "
            f"执行率 {self.funds_reproduced}/{self.funds_total}, "
            f"{self.simplicity} parameters off mof-2020, {len(self.residuals)} residuals>"
        )

    def to_dict(self) -> dict[str, Any]:
        """The candidate as the ``perfscore.fit/1`` format writes it."""
        return {
            "rows_reproduced": self.rows_reproduced,
            "rows_total": self.rows_total,
            "numeric_rows_reproduced": self.numeric_rows_reproduced,
            "numeric_rows_total": self.numeric_rows_total,
            "funds_reproduced": self.funds_reproduced,
            "funds_total": self.funds_total,
            "simplicity": self.simplicity,
            "parameters": dict(self.parameters),
            "windows": {name: window.to_dict() for name, window in self.windows.items()},
            "residuals": [residual.to_dict() for residual in self.residuals],
        }


@attrs.frozen
class FitResult:
    """Every candidate, best first."""

    candidates: tuple[Candidate, ...]

    @property
    def best(self) -> Candidate:
        """The candidate that reproduces the most, and among those the simplest."""
        return self.candidates[0]

    def __repr__(self) -> str:
        """One line: how many candidates, and the best of them.

        >>> from perfscore import load
        >>> fit(load("examples/changji-2023"))
        <FitResult 99 candidates, best <Candidate rows 138/142 (numeric 116/119), 执行率 17/17,
        4 parameters off mof-2020, 4 residuals>>
        """
        best = repr(self.best) if self.candidates else "none"
        return f"<FitResult {len(self.candidates)} candidates, best {best}>"

    def __str__(self) -> str:
        """The best candidates as ``perfscore fit`` prints them."""
        return cast("str", LATER.call(self, "text"))

    def to_dict(self, *, top: int | None = None) -> dict[str, Any]:
        """The ``perfscore.fit/1`` document."""
        shown = self.candidates if top is None else self.candidates[:top]
        return {"format": "perfscore.fit/1", "candidates": [c.to_dict() for c in shown]}


# ---------------------------------------------------------------------------------
# Reading the print


@attrs.frozen
class _Row:
    """One indicator row with a printed score, and what can change its score."""

    __repr__ = value_repr

    file: str
    index: int
    item: ItemScore
    printed: Decimal
    kind: Literal["fixed", "at-least", "at-most", "equal", "floor", "tier"]


class _Funds(NamedTuple):
    file: str
    label: str
    weight: Decimal
    rate: Decimal | None
    printed: Decimal


def _rows(tables: Sequence[tuple[str, Table]], base: Profile) -> tuple[list[_Row], list[_Funds]]:
    rows: list[_Row] = []
    funds: list[_Funds] = []
    for file, table in tables:
        card = score(table, profile=base)
        item_funds = card.funds
        if (
            item_funds is not None
            and item_funds.printed_score is not None
            and item_funds.weight is not None
            and item_funds.budget is not None
            and item_funds.executed is not None
        ):
            funds.append(
                _Funds(
                    file,
                    item_funds.label,
                    item_funds.weight,
                    item_funds.rate,
                    item_funds.printed_score,
                )
            )
        for item in card.items:
            printed = item.printed_score
            if printed is None:
                continue
            rows.append(_Row(file, item.index, item, printed, _kind(item)))
    return rows, funds


def _kind(item: ItemScore) -> Literal["fixed", "at-least", "at-most", "equal", "floor", "tier"]:
    if item.status == "qualitative":
        return "tier"
    if (
        item.score is None
        or item.target_value is None
        or item.actual_value is None
        or item.indicator.target.unit == DATE_UNIT  # a deadline: all or nothing, whatever the rules
    ):
        return "fixed"
    actual, target, op = item.actual_value, item.target_value, item.comparator
    if op in {">=", ">"}:
        return "at-least"
    if op in {"<=", "<"}:
        within = actual < target or (op == "<=" and actual == target)
        if not within:
            return "at-most"
        return "floor" if item.cost_row and target > 0 else "fixed"
    return "fixed" if actual == target else "equal"


# ---------------------------------------------------------------------------------
# Fitting each part


def _profile_for(
    base: Profile,
    rounding: RoundingMode,
    mode: QuantitativeMode,
    reverse: ReverseRule,
    equal: EqualRule,
) -> Profile:
    return attrs.evolve(
        base,
        rounding=Rounding(mode=rounding),
        quantitative=attrs.evolve(
            base.quantitative, mode=mode, reverse=reverse, equal=equal, cost_floor=None
        ),
    )


def _reproduces(row: _Row, profile: Profile) -> bool:
    computed = score_indicator(row.item.indicator, profile=profile).score
    return computed is not None and computed == row.printed


def _row_table(
    rows: Sequence[_Row], base: Profile, space: SearchSpace
) -> dict[tuple[RoundingMode, QuantitativeMode, ReverseRule, EqualRule], tuple[int, int]]:
    """For each categorical setting: (rows reproduced, numeric rows reproduced)."""
    keys = list(itertools.product(space.rounding, space.modes, space.reverse, space.equal))
    profiles = {key: _profile_for(base, *key) for key in keys}
    totals = dict.fromkeys(keys, (0, 0))
    for row in rows:
        if row.kind in {"floor", "tier"}:
            continue
        # Score the row once per value of the parameters that can change it.
        relevant: Callable[[tuple[Any, ...]], tuple[Any, ...]] = {
            "fixed": lambda key: (key[0],),
            "at-least": lambda key: (key[0], key[1]),
            "at-most": lambda key: (key[0], key[1], key[2]),
            "equal": lambda key: (key[0], key[1], key[3]),
        }[row.kind]
        seen: dict[tuple[Any, ...], bool] = {}
        for key in keys:
            short = relevant(key)
            if short not in seen:
                seen[short] = _reproduces(row, profiles[key])
            if seen[short]:
                rows_ok, numeric_ok = totals[key]
                totals[key] = (rows_ok + 1, numeric_ok + 1)
    return totals


def _floor_fit(rows: Sequence[_Row], rounding: RoundingMode) -> tuple[int, Window]:
    constraints = []
    for row in rows:
        if row.kind != "floor" or row.item.weight is None:
            continue
        target, actual = row.item.target_value, row.item.actual_value
        if target is None or actual is None:
            continue
        share = actual / target
        sets: list[Window] = []
        if row.printed == _round(row.item.weight, rounding):
            sets.append(Window(_ZERO, share))  # met: the floor is at most the share
        if row.printed == 0:
            sets.append(Window(share, _ONE, low_open=True))  # 0: the floor is above it
        constraints.append(_Constraint(tuple(sets)))
    domain = _range("quantitative.cost_floor")
    if not constraints:
        return 0, domain
    return _best_window(constraints, domain)


def _tier_of(row: _Row, unknown: ScoredTier) -> ScoredTier:
    tier = row.item.tier or "unknown"
    return unknown if tier == "unknown" else tier


def _tier_fit(
    rows: Sequence[_Row], rounding: RoundingMode
) -> tuple[int, ScoredTier, dict[ScoredTier, Window | None]]:
    """The tier fractions (and the tier unknown wording counts as) that fit best."""
    tiered = [row for row in rows if row.kind == "tier" and row.item.weight]
    best: tuple[int, ScoredTier, dict[ScoredTier, Window | None]] | None = None
    unknowns: tuple[ScoredTier, ...] = _tried("qualitative.unknown")
    for unknown in unknowns:
        total = 0
        windows: dict[ScoredTier, Window | None] = {}
        for tier in _TIERS:
            constraints = []
            for row in tiered:
                weight = row.item.weight
                if weight is None or _tier_of(row, unknown) != tier:
                    continue
                raw = _preimage(row.printed, rounding)
                sets = (Window(raw.low / weight, raw.high / weight, raw.low_open, raw.high_open),)
                constraints.append(_Constraint(sets))
            if constraints:
                domain = _range(f"qualitative.{tier.replace('-', '_')}")
                count, window = _best_window(constraints, domain)
                total += count
                windows[tier] = window
            else:
                windows[tier] = None
        if best is None or total > best[0]:
            best = (total, unknown, windows)
    if best is None:  # pragma: no cover - the loop always runs
        return 0, "achieved", dict.fromkeys(_TIERS)
    return best


def _proportional_funds(funds: Sequence[_Funds], rounding: RoundingMode, *, cap: bool) -> int:
    count = 0
    for item in funds:
        if item.rate is None:
            continue
        raw = item.weight * item.rate
        if cap:
            raw = min(raw, item.weight)
        count += _round(raw, rounding) == item.printed
    return count


def _zero_budget_fit(funds: Sequence[_Funds], rounding: RoundingMode) -> tuple[int, ZeroBudget]:
    zero = [item for item in funds if item.rate is None]
    full = sum(item.printed == _round(item.weight, rounding) for item in zero)
    nothing = sum(item.printed == 0 for item in zero)
    return (full, "full") if full >= nothing else (nothing, "zero")


def _partial_floor(item: _Funds, rate: Decimal, rounding: RoundingMode) -> Window | None:
    """The floors F for which w × (ρ − F) / (1 − F) rounds to the printed score."""
    if item.weight <= 0 or rate >= 1:
        return None
    raw = _preimage(item.printed, rounding)
    low_x, low_x_open = raw.low / item.weight, raw.low_open
    if low_x < 0:
        low_x, low_x_open = _ZERO, False
    high_x, high_x_open = raw.high / item.weight, raw.high_open
    if low_x >= 1:  # x = 1 needs ρ = 1
        return None
    # F = (ρ − x) / (1 − x) falls as x rises: x's high end gives F's low end.
    if high_x >= 1:
        low_f, low_open = _ZERO, False
    else:
        low_f, low_open = (rate - high_x) / (1 - high_x), high_x_open
        if low_f < 0:
            low_f, low_open = _ZERO, False
    high_f, high_open = (rate - low_x) / (1 - low_x), low_x_open
    if high_f > rate:  # x ≥ 0 means F ≤ ρ
        high_f, high_open = rate, False
    window = Window(low_f, high_f, low_open=low_open, high_open=high_open)
    return None if window.empty else window


@attrs.frozen
class _IntervalFit:
    __repr__ = value_repr

    count: int
    floor: Window
    full_at: Window


def _interval_fit(funds: Sequence[_Funds], rounding: RoundingMode) -> _IntervalFit:
    """The interval rule's floor F and full-marks threshold T that fit the most tables.

    A table at rate ρ printing p is reproduced when: ρ < F and p = 0; or ρ ≥ T and p is
    the full weight; or F ≤ ρ < T and p = round(w × (ρ − F) / (1 − F)), which puts F in
    a narrow window found by inverting the formula. The floor's line is cut at every
    bound; pieces are tried in order of how many tables they could at best reproduce,
    and the search stops when no piece left can beat the best found.
    """
    rated = [(item, item.rate) for item in funds if item.rate is not None]
    search = _IntervalSearch(
        rows=[(item, rate, _partial_floor(item, rate, rounding)) for item, rate in rated],
        full=[item.printed == _round(item.weight, rounding) for item, _ in rated],
    )
    floor_domain = _range("execution.floor")
    points = [rate for _, rate in rated] + [
        edge
        for *_, window in search.rows
        if window is not None
        for edge in (window.low, window.high)
    ]
    pieces = _pieces(points, floor_domain)
    order = sorted(range(len(pieces)), key=lambda i: -search.bound(pieces[i].probe))
    best: tuple[int, int, Window] | None = None  # count, piece index, T window
    for index in order:
        if best is not None and search.bound(pieces[index].probe) < best[0]:
            break
        count, full_at = search.exact(pieces[index].probe)
        if best is None or count > best[0]:
            best = (count, index, full_at)
    if best is None:
        return _IntervalFit(0, floor_domain, _range("execution.full_at"))
    count, index, full_at = best
    start = end = index
    while start > 0 and search.exact(pieces[start - 1].probe)[0] == count:
        start -= 1
    while end + 1 < len(pieces) and search.exact(pieces[end + 1].probe)[0] == count:
        end += 1
    return _IntervalFit(count, _merge(pieces[start].window, pieces[end].window), full_at)


class _IntervalSearch(NamedTuple):
    """The tables an interval rule is fitted to, and how many a floor F reproduces."""

    rows: list[tuple[_Funds, Decimal, Window | None]]  # table, rate, partial F-window
    full: list[bool]  # whether the table prints its full weight

    def bound(self, floor: Decimal) -> int:
        """At most how many tables some T reproduces with this floor."""
        count = 0
        for (item, rate, window), full in zip(self.rows, self.full, strict=True):
            if rate < floor:
                count += item.printed == 0
            else:
                count += full or (window is not None and window.contains(floor))
        return count

    def exact(self, floor: Decimal) -> tuple[int, Window]:
        """How many tables the best T reproduces with this floor, and the T window."""
        fixed = 0
        full_needs: list[Decimal] = []  # reproduced if T ≤ ρ
        partial_needs: list[Decimal] = []  # reproduced if T > ρ
        for (item, rate, window), full in zip(self.rows, self.full, strict=True):
            if rate < floor:
                fixed += item.printed == 0
                continue
            if full:
                full_needs.append(rate)
            if window is not None and window.contains(floor):
                partial_needs.append(rate)
        domain = _range("execution.full_at")
        pieces = [p for p in _pieces(full_needs + partial_needs, domain) if p.probe > floor]
        if not pieces:
            return fixed, Window(floor, _ONE, low_open=True)
        full_needs.sort()
        partial_needs.sort()
        counts = [
            fixed
            + len(full_needs)
            - bisect_left(full_needs, piece.probe)
            + bisect_left(partial_needs, piece.probe)
            for piece in pieces
        ]
        return _best_run(pieces, counts)


# ---------------------------------------------------------------------------------
# Candidates


def _simplicity(parameters: dict[str, str]) -> int:
    return sum(
        1
        for name, value in parameters.items()
        if name in _DEFAULTS and _differs(value, _DEFAULTS[name])
    )


def _differs(value: str, default: str) -> bool:
    try:
        return Decimal(value) != Decimal(default)
    except ArithmeticError:
        return value != default


def _profile(parameters: dict[str, str], windows: dict[str, Window], *, name: str) -> Profile:
    base = get_profile("mof-2020")
    floor_window = windows.get("quantitative.cost_floor")
    cost_floor = None
    if parameters.get("quantitative.cost_floor") == "on" and floor_window is not None:
        cost_floor = floor_window.pick()
    rule = parameters["execution.rule"]
    execution = ExecutionRule(
        rule="interval" if rule == "interval" else "proportional",
        cap=parameters.get("execution.cap", "true") == "true",
        zero_budget=parameters.get("execution.zero_budget", "full"),  # type: ignore[arg-type]
    )
    if rule == "interval":
        floor = windows["execution.floor"].pick()
        full_at = windows["execution.full_at"].pick()
        if full_at <= floor:  # the simplest value of its window above the floor
            window = windows["execution.full_at"]
            full_at = Window(floor, window.high, low_open=True, high_open=window.high_open).pick()
        execution = attrs.evolve(execution, floor=floor, full_at=full_at)
    qualitative = QualitativeRules(
        achieved=Decimal(parameters["qualitative.achieved"]),
        partial=Decimal(parameters["qualitative.partial"]),
        not_achieved=Decimal(parameters["qualitative.not_achieved"]),
        unknown=parameters["qualitative.unknown"],  # type: ignore[arg-type]
        bands=base.qualitative.bands,
    )
    return attrs.evolve(
        base,
        name=name,
        title="据印刷得分拟合的规则（perfscore fit）",
        sources=("perfscore fit：由印刷得分反推",),
        rounding=Rounding(mode=parameters["rounding.mode"]),  # type: ignore[arg-type]
        execution=execution,
        quantitative=QuantitativeRules(
            mode=parameters["quantitative.mode"],  # type: ignore[arg-type]
            reverse=parameters["quantitative.reverse"],  # type: ignore[arg-type]
            equal=parameters["quantitative.equal"],  # type: ignore[arg-type]
            cost_floor=cost_floor,
        ),
        qualitative=qualitative,
    )


def _normalized(mode: QuantitativeMode, reverse: ReverseRule, equal: EqualRule) -> tuple[str, str]:
    """Formulas that cannot matter are set to their defaults (so candidates dedupe)."""
    if mode == "all-or-nothing":
        return "ratio", "as-at-least" if equal == "as-at-least" else "symmetric"
    return reverse, equal


def fit(
    tables: Iterable[Table | tuple[str, Table]],
    *,
    space: SearchSpace | None = None,
    residuals_for: int = 5,
) -> FitResult:
    """Find the rule parameters that reproduce the most printed scores.

    Args:
        tables: the printed tables, or ``(file, table)`` pairs (the file names the
            residuals).
        space: the parameter values to try (all of them by default).
        residuals_for: for how many of the best candidates to list the residuals
            (their counts are then re-checked by scoring every table).

    Returns:
        Every candidate, best first: most rows and 执行率 scores reproduced, then the
        fewest parameters differing from ``mof-2020``.
    """
    space = space or SearchSpace()
    named = [item if isinstance(item, tuple) else (item.name, item) for item in tables]
    with localcontext(_CONTEXT):  # the search's own arithmetic, as scoring's
        base = get_profile("mof-2020")
        rows, funds = _rows(named, base)
        totals = _row_table(rows, base, space)
        candidates: dict[tuple[tuple[str, str], ...], Candidate] = {}
        for rounding in space.rounding:
            shared = _shared_part(rows, rounding, space)
            for execution in _execution_parts(funds, rounding, space):
                for quantitative in itertools.product(space.modes, space.reverse, space.equal):
                    candidate = _candidate(
                        rounding,
                        quantitative,
                        shared=shared,
                        execution=execution,
                        totals=totals,
                        rows=rows,
                        funds=funds,
                    )
                    key = tuple(sorted(candidate.parameters.items()))
                    candidates.setdefault(key, candidate)
        ranked = sorted(candidates.values(), key=_rank)
        checked = [_with_residuals(candidate, named) for candidate in ranked[:residuals_for]]
    ordered = sorted(checked, key=_rank) + ranked[residuals_for:]
    return FitResult(candidates=tuple(ordered))


@attrs.frozen
class _Part:
    """Part of a candidate: the rows it reproduces, its parameters and windows."""

    __repr__ = value_repr

    count: int
    parameters: dict[str, str]
    windows: dict[str, Window]
    numeric: int = 0  # of ``count``, the rows whose target is a number


def _shared_part(rows: Sequence[_Row], rounding: RoundingMode, space: SearchSpace) -> _Part:
    """The cost floor and the qualitative tiers: fitted once per rounding mode."""
    parameters: dict[str, str] = {}
    windows: dict[str, Window] = {}
    if space.cost_floor:
        floor_count, floor_window = _floor_fit(rows, rounding)
        floor_on = not floor_window.contains(_ZERO)
        if floor_on:
            windows["quantitative.cost_floor"] = floor_window
    else:
        floor_on = False
        floor_count = sum(
            row.kind == "floor" and row.printed == _round(row.item.weight or _ZERO, rounding)
            for row in rows
        )
    parameters["quantitative.cost_floor"] = "on" if floor_on else "off"
    tier_count, unknown, tier_windows = _tier_fit(rows, rounding)
    parameters["qualitative.unknown"] = unknown
    for tier in _TIERS:
        name = f"qualitative.{tier.replace('-', '_')}"
        window = tier_windows.get(tier) if space.qualitative else None
        default = _DEFAULTS[name]
        if window is None or window.contains(Decimal(default)):
            parameters[name] = default
        else:
            parameters[name] = f"{window.pick():f}"
        if window is not None:
            windows[name] = window
    return _Part(floor_count + tier_count, parameters, windows, numeric=floor_count)


def _execution_parts(
    funds: Sequence[_Funds], rounding: RoundingMode, space: SearchSpace
) -> list[_Part]:
    """One part per execution rule tried, the zero-budget policy included."""
    zero_count, zero_policy = _zero_budget_fit(funds, rounding)
    parts = []
    for choice in space.execution:
        parameters: dict[str, str] = {"execution.zero_budget": zero_policy}
        if choice == "interval":
            interval = _interval_fit(funds, rounding)
            parameters |= {"execution.rule": "interval", "execution.cap": "true"}
            windows = {"execution.floor": interval.floor, "execution.full_at": interval.full_at}
            parts.append(_Part(interval.count + zero_count, parameters, windows))
        else:
            cap = choice == "proportional"
            count = _proportional_funds(funds, rounding, cap=cap)
            parameters |= {"execution.rule": "proportional", "execution.cap": str(cap).lower()}
            parts.append(_Part(count + zero_count, parameters, {}))
    return parts


def _candidate(  # noqa: PLR0913 - the parts a candidate is assembled from
    rounding: RoundingMode,
    quantitative: tuple[QuantitativeMode, ReverseRule, EqualRule],
    *,
    shared: _Part,
    execution: _Part,
    totals: dict[tuple[RoundingMode, QuantitativeMode, ReverseRule, EqualRule], tuple[int, int]],
    rows: Sequence[_Row],
    funds: Sequence[_Funds],
) -> Candidate:
    mode, reverse, equal = quantitative
    row_count, numeric_count = totals[(rounding, mode, reverse, equal)]
    norm_reverse, norm_equal = _normalized(mode, reverse, equal)
    parameters = {
        "rounding.mode": rounding,
        "quantitative.mode": mode,
        "quantitative.reverse": norm_reverse,
        "quantitative.equal": norm_equal,
        **shared.parameters,
        **execution.parameters,
    }
    return Candidate(
        parameters=parameters,
        windows={**shared.windows, **execution.windows},
        rows_reproduced=row_count + shared.count,
        rows_total=len(rows),
        numeric_rows_reproduced=numeric_count + shared.numeric,
        numeric_rows_total=sum(row.kind != "tier" for row in rows),
        funds_reproduced=execution.count,
        funds_total=len(funds),
        simplicity=_simplicity(parameters),
    )


def _rank(candidate: Candidate) -> tuple[int, int]:
    reproduced = candidate.rows_reproduced + candidate.funds_reproduced
    return (-reproduced, candidate.simplicity)


def _with_residuals(candidate: Candidate, tables: Sequence[tuple[str, Table]]) -> Candidate:
    """The candidate re-checked: its profile scores every table; misses are residuals."""
    profile = candidate.profile()
    residuals: list[Residual] = []
    rows = numeric = rows_total = numeric_total = funds_ok = funds_total = 0
    for file, table in tables:
        card = score(table, profile=profile)
        if (
            card.funds is not None
            and card.funds.printed_score is not None
            and card.funds.budget is not None
            and card.funds.executed is not None
        ):
            funds_total += 1
            if card.funds.score == card.funds.printed_score:
                funds_ok += 1
            else:
                residuals.append(
                    _residual(
                        file,
                        "funds",
                        card.funds.label,
                        card.funds.printed_score,
                        card.funds.score,
                    )
                )
        for item in card.items:
            printed = item.printed_score
            if printed is None:
                continue
            rows_total += 1
            is_numeric = item.status != "qualitative"
            numeric_total += is_numeric
            if item.score == printed:
                rows += 1
                numeric += is_numeric
            else:
                residuals.append(
                    _residual(file, f"indicators[{item.index}]", item.path, printed, item.score)
                )
    return attrs.evolve(
        candidate,
        rows_reproduced=rows,
        rows_total=rows_total,
        numeric_rows_reproduced=numeric,
        numeric_rows_total=numeric_total,
        funds_reproduced=funds_ok,
        funds_total=funds_total,
        residuals=tuple(residuals),
    )


def _residual(
    file: str, where: str, path: str, printed: Decimal, expected: Decimal | None
) -> Residual:
    return Residual(
        file=file,
        where=where,
        path=path,
        printed=f"{printed:f}",
        expected=None if expected is None else f"{expected:f}",
    )

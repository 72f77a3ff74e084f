"""Scoring a table under a rule profile, with every number explained.

:func:`score` takes a :class:`~perfscore.model.Table` and a profile and gives a
:class:`Scorecard`: the 执行率 item, one :class:`ItemScore` per indicator row (the
score, a status, and the computation in words, 计算过程), subtotals per level-1 and
level-2 label, the total and the grade. Scoring is pure: the same table and profile
always give the same scorecard, and nothing the table holds is changed.

>>> from perfscore import loads
>>> table = loads('''{"name": "示例", "funds": [{"label": "年度资金总额",
...   "initial_budget": "100", "annual_budget": "100", "executed": "95", "weight": "10"}],
...   "indicators": [{"level1": "产出指标", "level2": "数量指标", "level3": "培训人次",
...   "target": ">=15 个", "actual": "6 个", "weight": "8"}]}''')[0]
>>> card = score(table, profile="mof-2020")
>>> card.items[0].score, card.items[0].status
(Decimal('3.20'), 'partial')
>>> print(card.items[0].explanation)
实际 6 个 < 指标值 15 个，按完成比例 6/15 × 8 = 3.20
>>> print(card.funds.explanation)
执行率 95/100 = 95.00%，按比例 95.00% × 10 = 9.50
>>> card.total, card.grade
(Decimal('12.70'), '差')
>>> score(table, profile="changji-2023").items[0].score
Decimal('0.00')
"""

from __future__ import annotations

import functools
import operator
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext
from itertools import repeat
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, TypeAlias, cast

import attrs

from perfscore._format import percent, share
from perfscore._text import on_demand
from perfscore._values import value_repr
from perfscore.cells import DATE_UNIT, date_text, name_hint
from perfscore.model import LATER, Shown
from perfscore.profiles import Profile, Rounding, resolve_profile
from perfscore.units import conversion_factor

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Sequence
    from pathlib import Path

    from perfscore.cells import Actual, Figure, Op, Target, Tier
    from perfscore.memo import Memo, Recent
    from perfscore.model import FundRow, Indicator, Table
    from perfscore.profiles import ScoredTier

__all__ = [
    "FundsScore",
    "ItemScore",
    "Outcome",
    "Scorecard",
    "Status",
    "Subtotal",
    "score",
    "score_indicator",
    "score_items",
    "scorecard",
]

Status = Literal["met", "partial", "not-met", "qualitative", "unscored"]
"""How an item came out: its target ``met`` (full weight, unless an overshoot penalty
applies), ``partial`` credit, ``not-met`` (0), scored by ``qualitative`` tier, or
``unscored`` (a blank or unreadable cell: no score at all)."""

# Intermediate arithmetic: ample digits, any exponent; the traps stay on, and a trap
# makes the item unscored rather than escaping.
_CONTEXT: Final = Context(prec=50, Emax=MAX_EMAX, Emin=MIN_EMIN)
# Totals and subtotals: exact, whatever the size of the scores and the caller's context.
_EXACT: Final = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)
_HUNDRED: Final = Decimal(100)

_TIER_WORDS: Final[dict[str, str]] = {
    "achieved": "达成",
    "partial": "部分达成",
    "not-achieved": "未达成",
    "unknown": "无法判断",
}
_SYMBOLS: Final[dict[str, str]] = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}


def _num(value: Decimal) -> str:
    return f"{value:f}"


def _quantity(value: Decimal, unit: str) -> str:
    if not unit:
        return _num(value)
    return f"{_num(value)}{unit}" if unit in {"%", "‰"} else f"{_num(value)} {unit}"


def _figure_value(figure: Figure | None) -> Decimal | None:
    return None if figure is None or figure.kind != "number" else figure.value


# ---------------------------------------------------------------------------------
# Results


@attrs.frozen
class Outcome:
    """How a row scores under a profile.

    It is everything an :class:`ItemScore` says but where the row sits, so rows that
    repeat across a batch share one outcome.

    Attributes:
        weight: the row's weight (分值), or ``None`` when it is blank or unreadable.
        score: the score, rounded as the profile says; ``None`` when unscored.
        status: see :data:`Status`.
        explanation: the computation in words, in Chinese, numbers included.
        comparator: the comparison applied (a bare number's direction resolved), or
            ``None`` for rows not compared by number.
        cost_row: whether the row is a cost row under the profile.
        target_value: the target's number, or ``None``.
        actual_value: the actual's number in the target's unit, or ``None``.
        units_compatible: ``False`` when target and actual units cannot convert
            (``期`` against ``%``), ``None`` when either has no number.
        overshoot: how far the actual is beyond the target in the good direction, as
            a share of the target (0.49 for 1044 against ``>=700``), else ``None``.
        tier: for rows scored by tier, the tier read from the actual (``unknown``
            included); else ``None``.
    """

    __repr__ = value_repr

    weight: Decimal | None
    score: Decimal | None
    status: Status
    explanation: str
    comparator: Op | None = None
    cost_row: bool = False
    target_value: Decimal | None = None
    actual_value: Decimal | None = None
    units_compatible: bool | None = None
    overshoot: Decimal | None = None
    tier: Tier | None = None


@attrs.frozen
class ItemScore:
    """The score of one indicator row, and how it was reached.

    Attributes:
        index: the row's position in the table's ``indicators``.
        indicator: the row as read.
        outcome: how it scores (its fields are also read through this item:
            ``weight``, ``score``, ``status``, ``explanation``, ``comparator``,
            ``cost_row``, ``target_value``, ``actual_value``, ``units_compatible``,
            ``overshoot``, ``tier``; see :class:`Outcome`).
    """

    __repr__ = value_repr

    index: int
    indicator: Indicator
    outcome: Outcome

    @property
    def weight(self) -> Decimal | None:
        """The row's weight, or ``None`` when blank or unreadable."""
        return self.outcome.weight

    @property
    def score(self) -> Decimal | None:
        """The score under the profile, or ``None`` when unscored."""
        return self.outcome.score

    @property
    def status(self) -> Status:
        """``met``, ``partial``, ``not-met``, ``qualitative`` or ``unscored``."""
        return self.outcome.status

    @property
    def explanation(self) -> str:
        """The computation in words (计算过程)."""
        return self.outcome.explanation

    @property
    def comparator(self) -> Op | None:
        """The comparison applied, or ``None``."""
        return self.outcome.comparator

    @property
    def cost_row(self) -> bool:
        """Whether the profile counts the row as a cost row."""
        return self.outcome.cost_row

    @property
    def target_value(self) -> Decimal | None:
        """The target's number, or ``None``."""
        return self.outcome.target_value

    @property
    def actual_value(self) -> Decimal | None:
        """The actual's number in the target's unit, or ``None``."""
        return self.outcome.actual_value

    @property
    def units_compatible(self) -> bool | None:
        """``False`` when the units cannot convert; ``None`` without numbers."""
        return self.outcome.units_compatible

    @property
    def overshoot(self) -> Decimal | None:
        """The share beyond the target in the good direction, or ``None``."""
        return self.outcome.overshoot

    @property
    def tier(self) -> Tier | None:
        """For rows scored by tier, the tier read from the actual."""
        return self.outcome.tier

    @property
    def printed_score(self) -> Decimal | None:
        """The score the table prints for this row, or ``None``."""
        return _figure_value(self.indicator.score)

    @property
    def path(self) -> str:
        """``一级/二级/三级``, the row's readable address."""
        return self.indicator.path


@attrs.frozen
class FundsScore:
    """The 执行率 item: the funds block's execution rate and its score.

    Attributes:
        label: the label of the funds row the rate is taken from (年度资金总额 …).
        weight: the item's weight, printed on some funds row; ``None`` if unreadable.
        budget: 全年预算数 of that row, in the table's money unit, or ``None``.
        executed: 全年执行数 of that row, in the table's money unit, or ``None``.
        rate: executed / budget (unrounded, 50 significant digits), or ``None``.
        score: the score, rounded as the profile says; ``None`` when unscored.
        status: see :data:`Status`.
        explanation: the computation in words, in Chinese.
        printed_rate: the 执行率 the table prints, as a figure, or ``None``.
        printed_score: the score the table prints, or ``None``.
    """

    __repr__ = value_repr

    label: str
    weight: Decimal | None
    budget: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    score: Decimal | None
    status: Status
    explanation: str
    printed_rate: Figure | None = None
    printed_score: Decimal | None = None


@attrs.frozen
class Subtotal:
    """The scores under one level-1 or level-2 label.

    Attributes:
        name: the label's name.
        declared_weight: the weight the label prints (``产出指标(50分)``), or ``None``.
        weight: the sum of the rows' readable weights.
        score: the sum of the rows' rounded scores (unscored rows count 0).
        printed_score: the sum of the printed scores, or ``None`` when none is printed.
        children: the level-2 subtotals of a level-1 label.
    """

    __repr__ = value_repr

    name: str
    declared_weight: Decimal | None
    weight: Decimal
    score: Decimal
    printed_score: Decimal | None
    children: tuple[Subtotal, ...] = ()


@attrs.frozen(slots=False)
class Scorecard(Shown):
    """A table scored under a profile.

    Attributes:
        table: the table scored.
        profile: the profile it was scored under.
        funds: the 执行率 item, or ``None`` when no funds row prints a weight.
        outcomes: how each indicator row scores, in printed order (:attr:`items`
            pairs each with its row).
        total: the 执行率 score plus every scored row's rounded score.
        grade: the grade of ``total`` under the profile.
    """

    table: Table
    profile: Profile
    funds: FundsScore | None
    outcomes: tuple[Outcome, ...]
    total: Decimal
    grade: str

    @functools.cached_property
    def items(self) -> tuple[ItemScore, ...]:
        """One :class:`ItemScore` per indicator row, in printed order.

        They are made when first asked, so batches that need only totals do not pay.
        """
        return tuple(
            ItemScore(index, row, outcome)
            for index, (row, outcome) in enumerate(
                zip(self.table.indicators, self.outcomes, strict=True)
            )
        )

    @property
    def level1(self) -> tuple[Subtotal, ...]:
        """Subtotals per level-1 label, each with its level-2 subtotals.

        They are computed when asked, so batches that need only totals do not pay.
        """
        return _subtotals(self.items)

    @property
    def printed_total(self) -> Decimal | None:
        """The 总分 the table prints, or ``None``."""
        return _figure_value(self.table.total)

    @property
    def unscored(self) -> tuple[ItemScore, ...]:
        """The rows that could not be scored (they count 0 in the total)."""
        return tuple(item for item in self.items if item.score is None)

    @property
    def complete(self) -> bool:
        """Whether every row and the 执行率 item (if any) were scored."""
        # The outcomes directly, as `unscored` reads them, without making the items.
        if any(map(operator.is_, map(_SCORE, self.outcomes), repeat(None))):
            return False
        return self.funds is None or self.funds.score is not None

    def to_dict(self, *, file: str | None = None, index: int = 0) -> dict[str, Any]:
        """The scorecard as one ``tables[]`` entry of the ``perfscore.report/1`` format.

        Every number is a string; absent values are ``None`` (JSON ``null``).
        """
        return cast("dict[str, Any]", LATER.call(self, "to_dict", file=file, index=index))

    def to_records(
        self, *, file: str | None = None, index: int | None = None
    ) -> list[dict[str, Any]]:
        """One plain dict per item, numbers as :class:`~decimal.Decimal` (for a data frame).

        ``file`` and ``index`` (where a batch read the table) are ``None`` unless
        given. See :func:`perfscore.render.records.scorecard_records`.
        """
        records = LATER.call(self, "to_records", file=file, index=index)
        return cast("list[dict[str, Any]]", records)

    def __repr__(self) -> str:
        """One line: the table's name, the profile, the computed and printed totals.

        >>> from perfscore import load
        >>> score(load("examples/changji-2023/02_wine-competition-2022.json")[0])
        <Scorecard '2022（新疆昌吉）“一带一路”国际葡萄酒大赛' under mof-2020:
        total 99.84 (优), printed 90, 8 rows>
        """
        printed = self.printed_total
        shown = "no printed total" if printed is None else f"printed {printed:f}"
        return (
            f"<Scorecard {self.table.name!r} under {self.profile.name}: "
            f"total {self.total:f} ({self.grade}), {shown}, {len(self.outcomes)} rows>"
        )

    def __str__(self) -> str:
        """The scorecard as ``perfscore score`` prints it: the official layout, explained."""
        return cast("str", LATER.call(self, "text"))


# ---------------------------------------------------------------------------------
# Scoring


def score(
    table: Table, *, profile: str | Path | Profile = "mof-2020", memo: Memo | None = None
) -> Scorecard:
    """Score a table under a rule profile.

    Args:
        table: the table to score.
        profile: a :class:`~perfscore.profiles.Profile`, a built-in profile's name
            (``mof-2020``, ``changji-2023``) or the path of a TOML profile.
        memo: the run's :class:`~perfscore.memo.Memo`: rows and funds blocks scored
            before under an equal profile are looked up, not scored again. Without
            one, everything is scored afresh (the scorecard is the same).

    Returns:
        The scorecard: every item with its score, status and explanation, the
        subtotals, the total and the grade. A row that cannot be scored (a blank or
        unreadable cell) gets ``score=None`` and says why; scoring itself never
        raises on a loaded table.

    Raises:
        UnknownProfileError: ``profile`` names no built-in profile and no file.
        InvalidProfile: the profile file is not usable.

    >>> from perfscore import load
    >>> table = load("examples/changji-2023/02_wine-competition-2022.json")[0]
    >>> card = score(table, profile="changji-2023")
    >>> card.funds.score, card.total, card.printed_total
    (Decimal('10.00'), Decimal('100.00'), Decimal('90'))
    """
    rules = resolve_profile(profile)
    funds, outcomes = score_items(table, rules, memo=memo)
    return scorecard(table, rules, funds, outcomes)


def score_items(
    table: Table,
    profile: Profile,
    *,
    memo: Memo | None = None,
    rows: Sequence[Indicator] | None = None,
) -> tuple[FundsScore | None, tuple[Outcome, ...]]:
    """The 执行率 item and the outcomes of indicator rows, as :func:`score` works them out.

    For a later stage that has some rows' outcomes already (the audit remembers them
    with its own facts): ``rows`` (default: the table's) are scored, each looked up in
    the memo first, and :func:`scorecard` puts the items together.

    >>> from perfscore import get_profile, load
    >>> table = load("examples/changji-2023/02_wine-competition-2022.json")[0]
    >>> funds, outcomes = score_items(table, get_profile("changji-2023"))
    >>> funds.score, len(outcomes), outcomes[0].score
    (Decimal('10.00'), 8, Decimal('10.00'))
    """
    rows = table.indicators if rows is None else rows
    if memo is None:
        with localcontext(_CONTEXT):
            return _score_funds(table, profile), tuple([_compute(row, profile) for row in rows])
    scope = memo.scope(score, profile)
    return _remembered_funds(table, profile, scope), _remembered(rows, profile, scope)


def scorecard(
    table: Table, profile: Profile, funds: FundsScore | None, outcomes: tuple[Outcome, ...]
) -> Scorecard:
    """The scorecard of a table's items (:func:`score_items`): their total and grade added.

    The total is the 执行率 score plus every scored row's score, added exactly.
    """
    total = functools.reduce(_EXACT.add, filter(_SCORED, map(_SCORE, outcomes)), _ZERO)
    if funds is not None and funds.score is not None:
        total = _EXACT.add(total, funds.score)
    # Positional, in the fields' order: attrs matches keywords at a cost (0.2 µs).
    return Scorecard(table, profile, funds, outcomes, total, profile.grades.grade(total))


_SCORE: Final = operator.attrgetter("score")
_SCORED: Final = functools.partial(operator.is_not, None)


def _bounded(raw: Decimal, weight: Decimal | None, rounding: Rounding) -> tuple[Decimal, str]:
    """A score rounded as the profile says, never above the weight; words when cut down.

    Rounding can carry a score past a weight printed with more places than the
    profile keeps (3.205 met, rounded half up to 2 places, is 3.21). The score is then
    rounded down instead: the highest score with the profile's places that is not
    above the weight (3.20), and the words say so. ``weight=None`` sets no bound (an
    uncapped 执行率 item above 100%). A zero score is never negative.

    >>> _bounded(Decimal("3.205"), Decimal("3.205"), Rounding())
    (Decimal('3.20'), '（舍入为 3.21 将超过分值 3.205，改为舍去尾数）')
    >>> _bounded(Decimal("3.2"), Decimal("5"), Rounding())
    (Decimal('3.20'), '')
    """
    value = rounding.round(raw)
    if weight is not None and value > weight:
        down = attrs.evolve(rounding, mode="down").round(min(raw, weight))
        if raw <= weight:
            return down, f"（舍入为 {_num(value)} 将超过分值 {_num(weight)}，改为舍去尾数）"
        return down, f"（{_num(value)} 超过分值 {_num(weight)}，以分值为限并舍去尾数）"
    return value or value.copy_abs(), ""


def _status(value: Decimal, weight: Decimal) -> Status:
    if value >= weight:
        return "met"
    return "partial" if value > 0 else "not-met"


# --- the 执行率 item ---------------------------------------------------------------


def _in_money_unit(figure: Figure, money_unit: str) -> Decimal | None:
    value = _figure_value(figure)
    if value is None or not figure.unit or figure.unit in {"%", "‰", "分"}:
        return value
    factor = conversion_factor(figure.unit, money_unit)
    return value if factor is None else value * factor


def _score_funds(table: Table, profile: Profile) -> FundsScore | None:  # noqa: PLR0911 - one per case
    weight_figure, rate_figure, score_figure = table.execution_print
    if weight_figure is None:
        return None
    row = table.total_fund_row
    if row is None:  # pragma: no cover - a printed weight implies a row
        return None
    fields: dict[str, Any] = {
        "label": row.label,
        "weight": None,
        "budget": None,
        "executed": None,
        "rate": None,
        "score": None,
        "status": "unscored",
        "explanation": "",
        "printed_rate": rate_figure,
        "printed_score": _figure_value(score_figure),
    }
    weight = _figure_value(weight_figure)
    if weight is None:
        why = f"执行率分值{_quoted(weight_figure.text)}无法读取，不计分"
        return FundsScore(**fields | {"explanation": why})
    fields["weight"] = weight
    if weight < 0:
        return FundsScore(**fields | {"explanation": f"执行率分值 {_num(weight)} 为负数，不计分"})
    budget = _in_money_unit(row.annual_budget, table.money_unit)
    executed = _in_money_unit(row.executed, table.money_unit)
    fields |= {"budget": budget, "executed": executed}
    if budget is None or executed is None:
        blank = "全年预算数" if budget is None else "全年执行数"
        why = f"{row.label}的{blank}空白或无法读取，执行率不计分"
        return FundsScore(**fields | {"explanation": why})
    if budget < 0 or executed < 0:
        return FundsScore(**fields | {"explanation": f"{row.label}的金额为负数，执行率不计分"})
    try:
        return FundsScore(**fields | _execution_score(weight, budget, executed, profile))
    except ArithmeticError:
        return FundsScore(**fields | {"explanation": "金额超出可计算范围，执行率不计分"})


def _execution_score(
    weight: Decimal, budget: Decimal, executed: Decimal, profile: Profile
) -> dict[str, Any]:
    rule = profile.execution
    rounding = profile.rounding
    if budget == 0:
        policy = rule.zero_budget
        if policy == "unscored":
            why = "全年预算数为 0，执行率无定义，按规则不计分"
            return {"explanation": why}
        raw = weight if policy == "full" else _ZERO
        value, capped = _bounded(raw, weight, rounding)
        words = "得满分" if policy == "full" else "得"
        why = f"全年预算数为 0，执行率无定义，按规则{words} {_num(value)}{capped}"
        status = "met" if raw >= weight else _status(value, weight)
        return {"score": value, "status": status, "explanation": why}
    rate = executed / budget
    head = f"执行率 {_num(executed)}/{_num(budget)} = {percent(rate)}"
    limit: Decimal | None = weight
    if rule.rule == "proportional":
        raw = weight * executed / budget
        if rule.cap and raw > weight:
            raw, why = weight, f"{head}，超过 100%，按比例计分以分值为限，得满分"
        else:
            limit = weight if raw <= weight else None  # uncapped: above 100%, above weight
            why = f"{head}，按比例 {percent(rate)} × {_num(weight)} ="
    elif rule.rule == "interval":
        if rate < rule.floor:
            raw, why = _ZERO, f"{head}，低于 {share(rule.floor)}，得"
        elif rate >= rule.full_at:
            raw, why = weight, f"{head}，达到 {share(rule.full_at)}，得满分"
        else:
            raw = min(weight * (rate - rule.floor) / (_ONE - rule.floor), weight)
            why = (
                f"{head}，在 {share(rule.floor)} 与 {share(rule.full_at)} 之间，按 "
                f"({percent(rate)} − {share(rule.floor)})/(100% − {share(rule.floor)})"
                f" × {_num(weight)} ="
            )
    else:
        step = next((step for step in rule.steps if rate >= step.at), None)
        if step is None:
            lowest = rule.steps[-1].at if rule.steps else _ZERO
            raw, why = _ZERO, f"{head}，低于最低档 {share(lowest)}，得"
        else:
            raw = weight * step.fraction
            why = f"{head}，达到 {share(step.at)} 档，得 {share(step.fraction)} × {_num(weight)} ="
    value, capped = _bounded(raw, limit, rounding)
    status = "met" if raw >= weight else _status(value, weight)
    why = f"{why} {_num(value)}{capped}"
    return {"rate": rate, "score": value, "status": status, "explanation": why}


# --- indicator rows ----------------------------------------------------------------


def _remembered_funds(
    table: Table, profile: Profile, memo: Recent[Hashable, object]
) -> FundsScore | None:
    """The 执行率 item, looked up in the memo first.

    Remembered by the funds rows' labels and texts and the money unit, for equal funds
    rows (see :func:`_remembered`).
    """
    funds_rows = table.funds
    funds_key = (tuple([(row.label, row.cell_texts) for row in funds_rows]), table.money_unit)
    found = cast("tuple[tuple[FundRow, ...], object] | None", memo.get(funds_key))
    if found is not None and found[0] == funds_rows:
        funds = found[1]
    else:
        with localcontext(_CONTEXT):
            funds = _score_funds(table, profile) or _NO_FUNDS
        memo.put(funds_key, (funds_rows, funds))
    return None if funds is _NO_FUNDS else cast("FundsScore", funds)


def _remembered(
    rows: Sequence[Indicator], profile: Profile, memo: Recent[Hashable, object]
) -> tuple[Outcome, ...]:
    """The rows' outcomes, each looked up in the memo first.

    A row's outcome is remembered by what it is computed from: the labels' names, the
    indicator's name (a bare target takes its comparator and unit from it) and the
    three cells' texts (an explanation quotes them); an entry keeps the cells too and
    serves only cells equal to them (a cell built by hand may say other than its
    text).
    """
    outcomes: list[Outcome] = []
    young: Callable[[Hashable], _Remembered | None] = memo.young.get  # type: ignore[assignment]
    for row in rows:
        target, actual, weight = row.target, row.actual, row.weight
        key = (row.level1.name, row.level2.name, row.level3, target.text, actual.text, weight.text)
        entry = young(key) or cast("_Remembered | None", memo.older(key))
        if (  # the same cells (the very objects, as a rule): their outcome
            entry is not None
            and (entry[0] is target or entry[0] == target)
            and (entry[1] is actual or entry[1] == actual)
            and (entry[2] is weight or entry[2] == weight)
        ):
            outcomes.append(entry[3])
            continue
        outcome = _computed(row, profile)
        memo.put(key, (target, actual, weight, outcome))
        outcomes.append(outcome)
    return tuple(outcomes)


# A row's remembered outcome, with the cells it was computed from.
_Remembered: TypeAlias = "tuple[Target, Actual, Figure, Outcome]"
_NO_FUNDS: Final = object()  # a table whose funds block prints no weight (None: not known)


def score_indicator(row: Indicator, *, profile: str | Path | Profile = "mof-2020") -> Outcome:
    """One indicator row scored on its own, as :func:`score` scores it in its table.

    >>> from perfscore import load
    >>> row = load("examples/changji-2023/02_wine-competition-2022.json")[0].indicators[0]
    >>> outcome = score_indicator(row, profile="changji-2023")
    >>> outcome.score, outcome.status
    (Decimal('10.00'), 'met')
    """
    rules = resolve_profile(profile)
    with localcontext(_CONTEXT):
        return _compute(row, rules)


def _computed(row: Indicator, profile: Profile) -> Outcome:
    """A row's outcome, computed in scoring's own arithmetic."""
    with localcontext(_CONTEXT):
        return _compute(row, profile)


def _compute(row: Indicator, profile: Profile) -> Outcome:
    cost_row = profile.quantitative.cost_rows.matches(row.level1.name, row.level2.name)
    weight = row.weight_value
    problem = _unscorable(row)
    if problem:
        return Outcome(
            weight=weight, score=None, status="unscored", explanation=problem, cost_row=cost_row
        )
    try:
        if row.target.kind == "qualitative" or row.actual.kind == "qualitative":
            return _score_by_tier(row, weight, cost_row, profile)
        return _score_quantity(row, weight, cost_row, profile)
    except ArithmeticError:
        why = "数值超出可计算范围，不计分"
        return Outcome(
            weight=weight, score=None, status="unscored", explanation=why, cost_row=cost_row
        )


_QUOTED_CHARS: Final = 40


def _quoted(text: str) -> str:
    """A cell quoted in an explanation: a long one cut short, so no explanation runs on.

    >>> _quoted(">=" + "9" * 500 + " 个")
    '「>=999999999999999999999999999999…」（共 504 字）'
    """
    if len(text) <= _QUOTED_CHARS:
        return f"「{text}」"
    return f"「{text[: _QUOTED_CHARS - 8]}…」（共 {len(text)} 字）"


def _unscorable(row: Indicator) -> str:
    weight = row.weight
    if weight.kind == "unreadable":
        return f"分值{_quoted(weight.text)}无法读取，不计分"
    if row.weight_value is None:
        return "分值空白，不计分"
    if row.weight_value < 0:
        return f"分值 {_num(row.weight_value)} 为负数，不计分"
    for cell, name in ((row.target, "年度指标值"), (row.actual, "实际完成值")):
        if cell.kind == "unreadable":
            return f"{name}{_quoted(cell.text)}无法读取，不计分"
        if cell.kind == "not-applicable":
            return f"{name}空白或不适用（{_quoted(cell.text)}），不计分"
    return ""


def _tier_of(row: Indicator) -> tuple[Tier, str]:
    """How a row's actual reads against its target, and a note where not by its words.

    An actual that says nothing happened (``未发生``, ``无``, ``零事故``, 0) against a
    target that asks for nothing to happen (``0起``, ``无重大安全事故``, ``不发生…``)
    meets it, though ``未`` and ``0`` read as not achieved anywhere else; against a
    target of at least a positive number (``≥1个``) it does not.
    """
    actual, target = row.actual, row.target
    if _says_none(actual):
        if _wants_none(target):
            return "achieved", "（实际为无，正是指标值所求）"
        if target.kind == "quantity" and target.op in {">=", ">"} and (target.value or 0) > 0:
            return "not-achieved", "（实际为无，指标值要求至少为正数）"
    if actual.kind == "qualitative":
        return actual.tier or "unknown", ""
    if actual.value == 0:
        return "not-achieved", ""
    if actual.unit == "%" and actual.value == _HUNDRED:
        return "achieved", ""
    return "unknown", ""


def _says_none(actual: Actual) -> bool:
    if actual.kind == "quantity":
        return actual.value == 0
    return actual.kind == "qualitative" and on_demand(_NONE).match(actual.phrase) is not None


def _wants_none(target: Target) -> bool:
    if target.kind == "quantity":
        return target.value == 0 and target.op in {None, "=", "<="}
    return (
        target.kind == "qualitative" and on_demand(_NONE_WANTED).search(target.phrase) is not None
    )


# Words saying nothing happened (未发生安全事故, 无投诉, 零事故), not a lack of effect
# (无明显变化, 无法完成).
_NOT_NONE_AFTER: Final = (
    r"(?!效|法|力|明显|进展|变化|改善|提升|提高|完成|达成|实施|开展|成效|影响|进度"
    r"|星|散|售|件|部件|碎)"  # 零星 (a few), 零售, 零件: no "none"
)
_NONE: Final = (  # compiled on demand, as the next
    r"(?:未发生|未出现|未发现|未收到|没有发生|没有出现|杜绝|从未|[无零]" + _NOT_NONE_AFTER + ")"
)
_NONE_WANTED: Final = (
    r"(?:不发生|不出现|杜绝|确保无|确保零|未发生|未出现|(?:^|[，,、])[无零]" + _NOT_NONE_AFTER + ")"
)


def _score_by_tier(
    row: Indicator,
    row_weight: Decimal | None,
    cost_row: bool,  # noqa: FBT001
    profile: Profile,
) -> Outcome:
    weight = row_weight if row_weight is not None else _ZERO
    rules = profile.qualitative
    tier, because = _tier_of(row)
    scored: ScoredTier = rules.unknown if tier == "unknown" else tier
    fraction = rules.fraction(scored)
    value, capped = _bounded(weight * fraction, weight, profile.rounding)
    reading = f"读作{_TIER_WORDS[tier]}{because}"
    if tier == "unknown":
        reading += f"，按{_TIER_WORDS[scored]}计"
    if row.target.kind == "qualitative":
        head = f"定性指标「{row.target.phrase}」：实际「{row.actual.text.strip()}」{reading}"
    else:
        head = f"指标值 {row.target}，实际为文字「{row.actual.phrase}」，{reading}"
    why = f"{head}，得 {share(fraction)} × {_num(weight)} = {_num(value)}{capped}"
    return Outcome(
        weight=row_weight,
        score=value,
        status="qualitative",
        explanation=why,
        cost_row=cost_row,
        tier=tier,
    )


class _Result(NamedTuple):
    """A quantitative comparison's result before rounding."""

    raw: Decimal
    met: bool
    words: str  # the rule applied, ending where the rounded value is appended


def _score_quantity(
    row: Indicator,
    row_weight: Decimal | None,
    cost_row: bool,  # noqa: FBT001
    profile: Profile,
) -> Outcome:
    rules = profile.quantitative
    weight = row_weight if row_weight is not None else _ZERO
    target, actual = row.target, row.actual
    if target.value is None or actual.value is None:  # pragma: no cover - kinds checked
        return Outcome(row_weight, None, "unscored", "", cost_row=cost_row)
    if DATE_UNIT in {target.unit, actual.unit}:
        return _score_date(row, row_weight, cost_row, profile)
    target_value = target.value
    actual_value = actual.value
    target_op, target_unit, hint_note = _with_name_hint(row)
    actual_text = _quantity(actual.value, actual.unit or target_unit)
    compatible: bool | None = True
    unit_note = ""
    if target_unit and actual.unit and target_unit != actual.unit:
        factor = conversion_factor(actual.unit, target_unit)
        if factor is None:
            compatible = False
            unit_note = f"单位不一致（指标值 {target.unit}，实际 {actual.unit}）"
            if rules.unit_mismatch == "unscored":
                return Outcome(
                    weight=row_weight,
                    score=None,
                    status="unscored",
                    explanation=f"{unit_note}，按规则不计分",
                    cost_row=cost_row,
                    target_value=target_value,
                    actual_value=actual_value,
                    units_compatible=False,
                )
            unit_note += "，按数值比较："
        else:
            actual_value = actual.value * factor
            actual_text += f"（= {_quantity(actual_value, target_unit)}）"
    direction = _comparator(target_op, cost_row, profile)
    target_text = _quantity(target_value, target_unit)
    case = _Case(direction, actual_value, target_value, weight, cost_row=cost_row)
    outcome = _RULES[direction](case, profile)
    overshoot = _overshoot(direction, actual_value, target_value)
    raw, penalty_words = _penalised(outcome, overshoot, weight, profile)
    value, capped = _bounded(raw, weight, profile.rounding)
    relation = _relation(actual_value, target_value)
    bare = "（未写比较符，按" + ("反向" if direction in {"<=", "<"} else "正向") + "指标）"
    why = f"{unit_note}实际 {actual_text} {relation} 指标值 {target_text}{hint_note}"
    if target_op is None:
        why += bare
    why += f"，{outcome.words} {_num(value)}{capped}{penalty_words}"
    status: Status = "met" if outcome.met else _status(value, weight)
    if not outcome.met and status == "met":
        status = "partial"
    return Outcome(
        weight=row_weight,
        score=value,
        status=status,
        explanation=why,
        comparator=direction,
        cost_row=cost_row,
        target_value=target_value,
        actual_value=actual_value,
        units_compatible=compatible,
        overshoot=overshoot,
    )


def _score_date(
    row: Indicator,
    row_weight: Decimal | None,
    cost_row: bool,  # noqa: FBT001
    profile: Profile,
) -> Outcome:
    """A deadline (``2023年12月31日前``) against the day it was done: met or not.

    A date target with no comparator, ``=`` or ``<=`` is a deadline: met on or before
    it (``<`` before it; ``>=`` and ``>`` on or after it, not before). Days are not
    shares of a weight: a late row scores 0 under every profile. An actual printed
    as a year (``2023年``) is read as that year's first day; any other actual that is
    no date cannot be compared.
    """
    weight = row_weight if row_weight is not None else _ZERO
    target, actual = row.target, row.actual
    target_day = _as_date(target.value, target.unit, last=True)
    actual_day = _as_date(actual.value, actual.unit, last=False)
    if target_day is None or actual_day is None:
        words = (
            f"指标值{_quoted(target.text.strip())}与实际{_quoted(actual.text.strip())}"
            "一为日期一为数值，无法比较，不计分"
        )
        return Outcome(
            weight=row_weight,
            score=None,
            status="unscored",
            explanation=words,
            cost_row=cost_row,
            units_compatible=False,
        )
    op: Op = target.op if target.op in {"<", ">=", ">"} else "<="
    met = {
        "<=": actual_day <= target_day,
        "<": actual_day < target_day,
        ">=": actual_day >= target_day,
        ">": actual_day > target_day,
    }[op]
    value, capped = _bounded(weight if met else _ZERO, weight, profile.rounding)
    late = "早于" if op in {">=", ">"} else "晚于"
    words = _MET if met else f"{late}指标值，未达成，日期不按比例计分，得"
    relation = _relation(actual_day, target_day)
    why = (
        f"实际 {_day(actual, actual_day)} {relation} "
        f"指标值 {_DATE_OPS[op]}{_day(target, target_day)}，{words} {_num(value)}{capped}"
    )
    return Outcome(
        weight=row_weight,
        score=value,
        status="met" if met else _status(value, weight),
        explanation=why,
        comparator=op,
        cost_row=cost_row,
        target_value=target_day,
        actual_value=actual_day,
        units_compatible=True,
    )


def _as_date(value: Decimal | None, unit: str, *, last: bool) -> Decimal | None:
    """A cell's value as a date (``YYYYMMDD``): a date, or a year (``2023年``)."""
    if value is None:
        return None
    if unit == DATE_UNIT:
        return value
    if unit == "年" and value == value.to_integral_value() and 1900 <= value < 2100:
        return value * 10000 + (1231 if last else 101)
    return None


def _day(cell: Target | Actual, day: Decimal) -> str:
    """The day a cell is read as; the cell quoted too where it names no day (``2023年12月``)."""
    if on_demand(_NAMES_A_DAY).search(cell.text):
        return date_text(day)
    return f"{_quoted(cell.text.strip())}（按 {date_text(day)}）"


_NAMES_A_DAY: Final = r"\d\s*[日号]|\d[-./]\d{1,2}[-./]\d"


_DATE_OPS: Final[dict[str, str]] = {"<=": "不晚于 ", "<": "早于 ", ">=": "不早于 ", ">": "晚于 "}


def _with_name_hint(row: Indicator) -> tuple[Op | None, str, str]:
    """The target's comparator and unit, completed from the indicator's name.

    A target printed as a bare number (``22.8``) takes what the name says of it
    (``公猪舍(≥**平方米)``: at least, in 平方米); the third value says so in the
    explanation (empty when the cell says it all, or the name says nothing).
    """
    target = row.target
    if target.op is not None and target.unit:
        return target.op, target.unit, ""
    hint = name_hint(row.level3)
    if hint is None:
        return target.op, target.unit, ""
    op = target.op or hint.op
    unit = target.unit or hint.unit
    taken = [
        word
        for word, used in (
            ("比较符", target.op is None and hint.op),
            ("单位", not target.unit and hint.unit),
        )
        if used
    ]
    if not taken:
        return target.op, target.unit, ""
    return op, unit, f"（{'和'.join(taken)}取自指标名称「{hint.text}」）"


def _comparator(op: Op | None, cost_row: bool, profile: Profile) -> Op:  # noqa: FBT001
    if op is not None:
        return op
    rules = profile.quantitative
    direction = rules.bare_number_on_cost if cost_row else rules.bare_number
    return ">=" if direction == "at-least" else "<="


def _relation(actual: Decimal, target: Decimal) -> str:
    if actual == target:
        return "="
    return ">" if actual > target else "<"


_MET: Final = "达成，得满分"


class _Case(NamedTuple):
    """One quantitative comparison: the numbers in the target's unit, and the row."""

    op: Op
    actual: Decimal
    target: Decimal
    weight: Decimal
    cost_row: bool


def _at_least(case: _Case, profile: Profile) -> _Result:
    actual, target = case.actual, case.target
    if actual > target or (case.op == ">=" and actual == target):
        return _Result(case.weight, met=True, words=_MET)
    return _short(case, proportional=profile.quantitative.mode == "proportional")


def _at_most(case: _Case, profile: Profile) -> _Result:
    rules = profile.quantitative
    actual, target = case.actual, case.target
    if actual < target or (case.op == "<=" and actual == target):
        floor = rules.cost_floor
        if case.cost_row and floor is not None and target > 0 and actual < target * floor:
            spent = percent(actual / target)
            words = f"成本指标实际为指标值的 {spent}，低于下限 {share(floor)}，视为未达成，得"
            return _Result(_ZERO, met=False, words=words)
        return _Result(case.weight, met=True, words=_MET)
    if rules.mode != "proportional":
        return _Result(_ZERO, met=False, words="未达成，全有全无规则得")
    return _over(case, rules.reverse)


def _equal(case: _Case, profile: Profile) -> _Result:
    rules = profile.quantitative
    actual, target, weight = case.actual, case.target, case.weight
    proportional = rules.mode == "proportional"
    if actual == target:
        return _Result(weight, met=True, words=_MET)
    if rules.equal == "as-at-least":
        if actual > target:
            return _Result(weight, met=True, words="按 ≥ 计，达成，得满分")
        return _short(case, proportional=proportional)
    if rules.equal == "exact" or not proportional:
        return _Result(_ZERO, met=False, words="与指标值不等，未达成，得")
    if actual <= 0 or target <= 0:
        return _Result(_ZERO, met=False, words="与指标值不等且有一方不为正，得")
    low, high = min(actual, target), max(actual, target)
    words = f"按对称比例 {_num(low)}/{_num(high)} × {_num(weight)} ="
    return _Result(weight * low / high, met=False, words=words)


_RULES: Final[dict[str, Callable[[_Case, Profile], _Result]]] = {
    ">=": _at_least,
    ">": _at_least,
    "<=": _at_most,
    "<": _at_most,
    "=": _equal,
}


def _short(case: _Case, *, proportional: bool) -> _Result:
    actual, target, weight = case.actual, case.target, case.weight
    if not proportional:
        return _Result(_ZERO, met=False, words="未达成，全有全无规则得")
    if actual <= 0 or target <= 0:
        return _Result(_ZERO, met=False, words="未达成且无正的完成比例，得")
    words = f"按完成比例 {_num(actual)}/{_num(target)} × {_num(weight)} ="
    return _Result(weight * actual / target, met=False, words=words)


def _over(case: _Case, reverse: str) -> _Result:
    actual, target, weight = case.actual, case.target, case.weight
    if reverse == "zero" or target <= 0:
        why = "超过反向指标值，得" if reverse == "zero" else "超过不为正的反向指标值，得"
        return _Result(_ZERO, met=False, words=why)
    if reverse == "ratio":
        words = f"按反向比例 {_num(target)}/{_num(actual)} × {_num(weight)} ="
        return _Result(weight * target / actual, met=False, words=words)
    raw = max(_ZERO, weight * (2 - actual / target))
    words = f"按 (2 − {_num(actual)}/{_num(target)}) × {_num(weight)}（不低于 0）="
    return _Result(raw, met=False, words=words)


def _overshoot(op: Op, actual: Decimal, target: Decimal) -> Decimal | None:
    if target <= 0:
        return None
    if op in {">=", ">"} and actual > target:
        return (actual - target) / target
    if op in {"<=", "<"} and 0 <= actual < target:
        return (target - actual) / target
    return None


def _penalised(
    outcome: _Result, overshoot: Decimal | None, weight: Decimal, profile: Profile
) -> tuple[Decimal, str]:
    rule = profile.overshoot
    if rule.penalty == "none" or overshoot is None or not outcome.met:
        return outcome.raw, ""
    if overshoot <= rule.note_threshold:
        return outcome.raw, ""
    beyond = f"（超出指标值 {percent(overshoot)}，超过 {share(rule.note_threshold)}"
    if rule.penalty == "zero":
        return _ZERO, beyond + "，按偏离度扣为 0）"
    raw = max(_ZERO, weight * (_ONE - (overshoot - rule.note_threshold)))
    value, _ = _bounded(raw, weight, profile.rounding)
    return raw, beyond + f"，按偏离度调减为 {_num(value)}）"


# --- subtotals ---------------------------------------------------------------------


def _subtotals(items: tuple[ItemScore, ...]) -> tuple[Subtotal, ...]:
    return _group(items, level=1)


def _group(items: tuple[ItemScore, ...], *, level: Literal[1, 2]) -> tuple[Subtotal, ...]:
    members: dict[str, list[ItemScore]] = {}
    declared: dict[str, Decimal | None] = {}
    for item in items:
        label = item.indicator.level1 if level == 1 else item.indicator.level2
        members.setdefault(label.name, []).append(item)
        if declared.get(label.name) is None:
            declared[label.name] = label.declared_weight
    subtotals = []
    for name, group in members.items():
        printed = [value for item in group if (value := item.printed_score) is not None]
        weights = (item.weight for item in group if item.weight is not None)
        scores = (item.score for item in group if item.score is not None)
        subtotals.append(
            Subtotal(
                name=name,
                declared_weight=declared[name],
                weight=functools.reduce(_EXACT.add, weights, _ZERO),
                score=functools.reduce(_EXACT.add, scores, _ZERO),
                printed_score=functools.reduce(_EXACT.add, printed, _ZERO) if printed else None,
                children=_group(tuple(group), level=2) if level == 1 else (),
            )
        )
    return tuple(subtotals)

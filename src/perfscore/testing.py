"""Hypothesis strategies for property-testing code built on perfscore.

perfscore holds its own rules with property tests (0 ≤ score ≤ weight, the total is
the sum of the items, a table printed by perfscore audits clean). The strategies here
are the same kind of generator, made public so that a pipeline built on perfscore (a
report, an export to a data frame, a batch job) can be tested against every shape of
table perfscore reads:

- cells: :func:`targets`, :func:`actuals` and :func:`figures` give parsed values built
  from drawn parts, each with a printed ``text`` that parses back to it;
  :func:`target_texts`, :func:`actual_texts` and :func:`figure_texts` give the text only;
- tables: :func:`table_dicts` (the ``perfscore.table/1`` format) and :func:`tables`,
  optionally "self-printed" (scores, rate, total and notes filled in as perfscore
  computes them under a profile);
- rules: :func:`profiles`, valid rule profiles across every parameter.

Hypothesis is a test dependency, not a dependency of perfscore: import this module from
tests only (``import perfscore`` does not import it).

>>> from hypothesis import given, settings
>>> from perfscore import score
>>> @settings(max_examples=20, deadline=None)
... @given(tables(), profiles())
... def test_total_is_the_sum_of_the_items(table, profile):
...     card = score(table, profile=profile)
...     assert card.total == card.funds.score + sum(item.score for item in card.items)
>>> test_total_is_the_sum_of_the_items()
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from itertools import pairwise
from typing import TYPE_CHECKING, Final, get_args

import attrs

from perfscore._values import value_repr
from perfscore.cells import (
    Actual,
    CellKind,
    Figure,
    FigureKind,
    Op,
    Target,
    Tier,
    parse_target,
)
from perfscore.errors import InvalidCell
from perfscore.findings import CHECKS
from perfscore.model import FORMAT, JSONValue, Table
from perfscore.profiles import (
    BUILTIN_PROFILES,
    AuditRules,
    CostRows,
    Direction,
    EqualRule,
    ExecutionRule,
    ExecutionRuleName,
    GradeLevel,
    Grades,
    Overshoot,
    OvershootPenalty,
    Profile,
    QualitativeRules,
    QuantitativeMode,
    QuantitativeRules,
    ReverseRule,
    Rounding,
    RoundingMode,
    ScoredTier,
    SeverityChoice,
    Step,
    UnitMismatch,
    ZeroBudget,
    get_profile,
    resolve_profile,
)
from perfscore.scoring import score

try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
except ImportError as error:
    raise ImportError(
        "perfscore.testing needs hypothesis, a test dependency that perfscore does not "
        "install: pip install hypothesis (or pip install 'perfscore[test]')",
        name="hypothesis",
    ) from error

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

__all__ = [
    "actual_texts",
    "actuals",
    "figure_texts",
    "figures",
    "profiles",
    "table_dicts",
    "tables",
    "target_texts",
    "targets",
]

# ---------------------------------------------------------------------------------
# The parts a printed cell is built from

# Comparator spellings written before the number: ASCII, mathematical, full-width, words.
_FRONT: Final[dict[Op, tuple[str, ...]]] = {
    ">=": (">=", "≥", "≧", "＞＝", "不低于", "不少于", "大于等于", "至少", "达到"),
    "<=": ("<=", "≤", "≦", "＜＝", "不高于", "不超过", "小于等于", "最多"),
    "=": ("=", "＝", "﹦", "等于"),
    ">": (">", "＞", "大于", "高于", "超过"),
    "<": ("<", "＜", "小于", "低于"),
}
# Comparator words written after the number and unit.
_BACK: Final[dict[Op, tuple[str, ...]]] = {
    ">=": ("以上", "及以上"),
    "<=": ("以下", "及以下", "以内"),
}
# After a month, ``前`` makes a deadline: 9月前 is at most month 9.
_DEADLINE_BACK: Final = ("前", "底前", "以前")
_TARGET_OPS: Final[tuple[Op | None, ...]] = (None, ">=", "<=", "=", ">", "<")
# An actual's comparator is rare; a leading = or a filler word is notation only.
_ACTUAL_OPS: Final[tuple[Op | None, ...]] = (None, ">=", "<=")
_ACTUAL_PREFIXES: Final = ("", "=", "＝", "完成", "实际完成", "共")
_GAPS: Final = ("", " ", "\u3000")

# Each normalised unit and the spellings that read as it.
_UNITS: Final[dict[str, tuple[str, ...]]] = {
    "": ("",),
    "%": ("%", "％"),
    "个": ("个",),
    "件": ("件",),
    "人": ("人",),
    "人次": ("人次",),
    "户": ("户",),
    "家": ("家",),
    "场": ("场",),
    "项": ("项",),
    "次": ("次",),
    "天": ("天",),
    "个月": ("个月",),
    "月": ("月",),
    "元": ("元",),
    "万元": ("万元", "万"),
    "元/人": ("元/人", "元／人"),
    "平方米": ("平方米", "m2", "㎡"),
}
_FIGURE_UNITS: Final[dict[str, tuple[str, ...]]] = {
    "": ("",),
    "%": ("%", "％"),
    "‰": ("‰",),
    "分": ("分",),
    "元": ("元",),
    "千元": ("千元",),
    "万元": ("万元", "万"),
    "亿元": ("亿元",),
}
_FULL_WIDTH: Final = str.maketrans("0123456789", "０１２３４５６７８９")

_QUALITATIVE_TARGETS: Final = (
    "进一步提高",
    "有效保障",
    "显著提升",
    "逐步改善",
    "长期",
    "持续发挥作用",
    "明显改善",
    "稳步提升",
)
_QUALITATIVE_ACTUALS: Final[dict[Tier, tuple[str, ...]]] = {
    "achieved": ("有效提高", "显著提升", "达成预期指标", "已完成", "按时完成", "持续改善"),
    "partial": ("部分达成", "基本完成", "有所提高", "初步实现", "大部分完成"),
    "not-achieved": ("未完成", "未达到预期", "没有提高", "项目暂停", "进度滞后"),
    "unknown": ("意见被采纳的情况", "详见附件", "见说明"),
}
_NOT_APPLICABLE: Final = ("/", "", "-", "—", "——", "／", "不适用", "N/A")

_CELL_KINDS: Final[tuple[CellKind, ...]] = ("quantity", "qualitative", "not-applicable")
_FIGURE_KINDS: Final[tuple[FigureKind, ...]] = ("number", "not-applicable")


# ---------------------------------------------------------------------------------
# Checking arguments


def _kinds(given: Iterable[str], allowed: tuple[str, ...], function: str) -> tuple[str, ...]:
    """The kinds asked for, in the order of ``allowed``; bad ones are an InvalidArgument."""
    if isinstance(given, str):
        raise InvalidArgument(f"{function}(kinds=...) takes a collection of kinds, not {given!r}")
    chosen = tuple(given)
    unknown = [kind for kind in chosen if kind not in allowed]
    if unknown or not chosen:
        listed = ", ".join(map(repr, allowed))
        raise InvalidArgument(
            f"{function}(kinds=...) takes one or more of {listed}, got {chosen!r}"
        )
    return tuple(kind for kind in allowed if kind in chosen)


def _spellings(unit: str) -> tuple[str, ...]:
    return _UNITS.get(unit, (unit,))


def _cell_units(units: Iterable[str] | None, function: str) -> tuple[str, ...]:
    """The units asked for, each checked to print and read back as itself."""
    if units is None:
        return tuple(_UNITS)
    if isinstance(units, str):
        raise InvalidArgument(f"{function}(units=...) takes a collection of units, not {units!r}")
    chosen = tuple(dict.fromkeys(units))
    if not chosen:
        raise InvalidArgument(f"{function}(units=...) needs at least one unit")
    for unit in chosen:
        tails = ("", *_BACK[">="], *_BACK["<="], *(_DEADLINE_BACK if unit == "月" else ()))
        for text in (f"1{spelled}{tail}" for spelled in _spellings(unit) for tail in tails):
            try:
                read = parse_target(text).unit
            except InvalidCell as error:
                message = f"{function}(units=...): {unit!r} cannot be printed in a cell: {error}"
                raise InvalidArgument(message) from None
            if read != unit:
                raise InvalidArgument(
                    f"{function}(units=...): perfscore reads {text!r} with the unit {read!r}, "
                    f"not {unit!r}; give normalised units"
                )
    return chosen


def _figure_units(units: Iterable[str] | None) -> tuple[str, ...]:
    if units is None:
        return tuple(_FIGURE_UNITS)
    if isinstance(units, str):
        raise InvalidArgument(f"figures(units=...) takes a collection of units, not {units!r}")
    chosen = tuple(dict.fromkeys(units))
    if not chosen or any(unit not in _FIGURE_UNITS for unit in chosen):
        listed = ", ".join(map(repr, _FIGURE_UNITS))
        raise InvalidArgument(f"figures(units=...) takes one or more of {listed}, got {chosen!r}")
    return chosen


# ---------------------------------------------------------------------------------
# Cells


def _spell_number(draw: st.DrawFn, whole: int, fraction: str) -> str:
    """A printed spelling: thousands separators maybe, ASCII or full-width digits."""
    text = f"{whole:,}" if whole >= 1000 and draw(st.booleans()) else str(whole)
    if fraction:
        text += "." + fraction
    return text.translate(_FULL_WIDTH) if draw(st.booleans()) else text


@st.composite
def _numbers(draw: st.DrawFn) -> tuple[Decimal, str]:
    """A non-negative number, exactly as printed (trailing zeros kept), and its text."""
    whole = draw(st.integers(0, 10**7))
    places = draw(st.integers(0, 4))
    fraction = f"{draw(st.integers(0, 10**places - 1)):0{places}d}" if places else ""
    value = Decimal(f"{whole}.{fraction}" if places else str(whole))
    return value, _spell_number(draw, whole, fraction)


def _quantity_text(
    draw: st.DrawFn, *, op: Op | None, unit: str, number: str, prefixes: tuple[str, ...]
) -> str:
    """A quantity cell: comparator (before or after), number, unit, in drawn spellings."""
    front = back = ""
    if op is None:
        front = draw(st.sampled_from(prefixes))
    else:
        backs = _BACK.get(op, ()) + (_DEADLINE_BACK if op == "<=" and unit == "月" else ())
        at_back: bool = draw(st.booleans()) if backs else False
        if at_back:
            back = draw(st.sampled_from(backs))
        else:
            front = draw(st.sampled_from(_FRONT[op]))
    gap = draw(st.sampled_from(_GAPS)) if front else ""
    tail = draw(st.sampled_from(_spellings(unit))) + back
    unit_gap = draw(st.sampled_from(_GAPS)) if tail else ""
    return f"{front}{gap}{number}{unit_gap}{tail}"


@st.composite
def _quantity_targets(draw: st.DrawFn, units: tuple[str, ...]) -> Target:
    unit = draw(st.sampled_from(units))
    value, number = draw(_numbers())
    op = draw(st.sampled_from(_TARGET_OPS))
    text = _quantity_text(draw, op=op, unit=unit, number=number, prefixes=("",))
    return Target(text=text, kind="quantity", op=op, value=value, unit=unit)


@st.composite
def _quantity_actuals(draw: st.DrawFn, units: tuple[str, ...]) -> Actual:
    unit = draw(st.sampled_from(units))
    value, number = draw(_numbers())
    op = draw(st.sampled_from(_ACTUAL_OPS))
    text = _quantity_text(draw, op=op, unit=unit, number=number, prefixes=_ACTUAL_PREFIXES)
    return Actual(text=text, kind="quantity", op=op, value=value, unit=unit)


@st.composite
def _qualitative_actuals(draw: st.DrawFn) -> Actual:
    tier = draw(st.sampled_from(tuple(_QUALITATIVE_ACTUALS)))
    phrase = draw(st.sampled_from(_QUALITATIVE_ACTUALS[tier]))
    return Actual(text=phrase, kind="qualitative", phrase=phrase, tier=tier)


def targets(
    *,
    kinds: Iterable[CellKind] = _CELL_KINDS,
    units: Iterable[str] | None = None,
) -> st.SearchStrategy[Target]:
    """Parsed 年度指标值 cells, each built from drawn parts, with a printed ``text``.

    A quantity is a comparator (or none) in one of its spellings, written before the
    number (``>=``, ``≥``, ``＞＝``, ``不低于``, ``至少`` …) or after it (``以上``, ``以内``,
    ``9月前``), a non-negative number (thousands separators, full-width digits, trailing
    zeros kept) and a unit in one of its spellings (``万`` for 万元, ``％`` for %, ``㎡``
    for 平方米); a qualitative target is a phrase such as ``进一步提高``; a
    not-applicable one is ``/``, ``-``, blank and the like.

    Guarantees: ``parse_target(target.text) == target``, with ``value`` exact to the
    digit, and ``parse_target(str(target)) == target``.

    Args:
        kinds: which kinds of cell to draw: ``quantity``, ``qualitative``,
            ``not-applicable``.
        units: the normalised units a quantity may carry (default: ``""``, ``%``,
            counting words, durations, ``月``, money and a few compound units).

    Returns:
        A strategy for :class:`~perfscore.cells.Target` values.

    Raises:
        InvalidArgument: an unknown kind, or a unit that does not print and read back
            as itself (``万`` reads as ``万元``: give ``万元``).

    >>> from hypothesis import given, settings
    >>> from perfscore import parse_target
    >>> @settings(max_examples=50)
    ... @given(targets(kinds=["quantity"], units=["万元"]))
    ... def test_money_targets(target):
    ...     assert parse_target(target.text) == target
    ...     assert target.unit == "万元"
    >>> test_money_targets()
    """
    chosen = _kinds(kinds, _CELL_KINDS, "targets")
    unit_list = _cell_units(units, "targets")
    options: dict[str, st.SearchStrategy[Target]] = {
        "quantity": _quantity_targets(unit_list),
        "qualitative": st.sampled_from(_QUALITATIVE_TARGETS).map(
            lambda phrase: Target(text=phrase, kind="qualitative", phrase=phrase)
        ),
        "not-applicable": st.sampled_from(_NOT_APPLICABLE).map(
            lambda text: Target(text=text, kind="not-applicable")
        ),
    }
    return st.one_of(*(options[kind] for kind in chosen))


def actuals(
    *,
    kinds: Iterable[CellKind] = _CELL_KINDS,
    units: Iterable[str] | None = None,
) -> st.SearchStrategy[Actual]:
    """Parsed 实际完成值 cells, each built from drawn parts, with a printed ``text``.

    A quantity is mostly a number and a unit after notation that says nothing (``=``,
    ``＝``, ``完成``, ``实际完成``, ``共``: ``op`` is ``None``), sometimes with a comparator
    kept (``≥95%``, ``100 个以上``); numbers and units as in :func:`targets`. A
    qualitative actual is drawn from phrases of a known tier (``有效提高`` achieved,
    ``基本完成`` partial, ``未完成`` not achieved, ``详见附件`` unknown).

    Guarantees: ``parse_actual(actual.text) == actual`` (``tier`` included) and
    ``parse_actual(str(actual)) == actual``.

    Args:
        kinds: which kinds of cell to draw: ``quantity``, ``qualitative``,
            ``not-applicable``.
        units: the normalised units a quantity may carry (as in :func:`targets`).

    Returns:
        A strategy for :class:`~perfscore.cells.Actual` values.

    Raises:
        InvalidArgument: an unknown kind, or a unit that does not read back as itself.

    >>> from hypothesis import given, settings
    >>> from perfscore import parse_actual
    >>> @settings(max_examples=50)
    ... @given(actuals(kinds=["qualitative"]))
    ... def test_tiers(actual):
    ...     assert parse_actual(actual.text).tier == actual.tier
    >>> test_tiers()
    """
    chosen = _kinds(kinds, _CELL_KINDS, "actuals")
    unit_list = _cell_units(units, "actuals")
    options: dict[str, st.SearchStrategy[Actual]] = {
        "quantity": _quantity_actuals(unit_list),
        "qualitative": _qualitative_actuals(),
        "not-applicable": st.sampled_from(_NOT_APPLICABLE).map(
            lambda text: Actual(text=text, kind="not-applicable")
        ),
    }
    return st.one_of(*(options[kind] for kind in chosen))


@st.composite
def _number_figures(draw: st.DrawFn, units: tuple[str, ...]) -> Figure:
    unit = draw(st.sampled_from(units))
    value, number = draw(_numbers())
    spelled = draw(st.sampled_from(_FIGURE_UNITS[unit]))
    gap = draw(st.sampled_from(_GAPS)) if spelled else ""
    return Figure(text=f"{number}{gap}{spelled}", kind="number", value=value, unit=unit)


def figures(
    *,
    kinds: Iterable[FigureKind] = ("number",),
    units: Iterable[str] | None = None,
) -> st.SearchStrategy[Figure]:
    """Parsed figure cells (amounts, weights, rates, scores, totals) with a printed ``text``.

    A number is non-negative, printed with thousands separators or full-width digits
    at times, trailing zeros kept (``10.00``), and followed by one of the units a
    figure may carry (``%``, ``‰``, ``分``, ``元``, ``千元``, ``万元`` or ``万``, ``亿元``)
    or none; a not-applicable figure is ``-``, ``/``, blank and the like.

    Guarantees: ``parse_figure(figure.text) == figure`` and
    ``parse_figure(str(figure)) == figure``.

    Args:
        kinds: ``number``, ``not-applicable`` or both.
        units: the units a number may carry (default: all of them, and none).

    Returns:
        A strategy for :class:`~perfscore.cells.Figure` values.

    Raises:
        InvalidArgument: an unknown kind or unit.

    >>> from hypothesis import given, settings
    >>> from perfscore import parse_figure
    >>> @settings(max_examples=50)
    ... @given(figures(units=["", "%"]))
    ... def test_rates(figure):
    ...     assert parse_figure(figure.text).value == figure.value
    >>> test_rates()
    """
    chosen = _kinds(kinds, _FIGURE_KINDS, "figures")
    options: dict[str, st.SearchStrategy[Figure]] = {
        "number": _number_figures(_figure_units(units)),
        "not-applicable": st.sampled_from(_NOT_APPLICABLE).map(
            lambda text: Figure(text=text, kind="not-applicable")
        ),
    }
    return st.one_of(*(options[kind] for kind in chosen))


def target_texts(
    *,
    kinds: Iterable[CellKind] = _CELL_KINDS,
    units: Iterable[str] | None = None,
) -> st.SearchStrategy[str]:
    """Printed 年度指标值 cells: the ``text`` of :func:`targets` (same arguments).

    Every text parses with :func:`~perfscore.cells.parse_target` (no
    :class:`~perfscore.errors.InvalidCell`).

    Args:
        kinds: which kinds of cell to draw.
        units: the normalised units a quantity may carry.

    Returns:
        A strategy for strings.

    >>> from hypothesis import given, settings
    >>> from perfscore import parse_target
    >>> @settings(max_examples=50)
    ... @given(target_texts(kinds=["quantity"]))
    ... def test_my_reader(text):
    ...     assert parse_target(text).value is not None
    >>> test_my_reader()
    """
    return targets(kinds=kinds, units=units).map(lambda target: target.text)


def actual_texts(
    *,
    kinds: Iterable[CellKind] = _CELL_KINDS,
    units: Iterable[str] | None = None,
) -> st.SearchStrategy[str]:
    """Printed 实际完成值 cells: the ``text`` of :func:`actuals` (same arguments).

    Every text parses with :func:`~perfscore.cells.parse_actual`.

    Args:
        kinds: which kinds of cell to draw.
        units: the normalised units a quantity may carry.

    Returns:
        A strategy for strings.

    >>> from hypothesis import given, settings
    >>> from perfscore import parse_actual
    >>> @settings(max_examples=50)
    ... @given(actual_texts())
    ... def test_actuals_read(text):
    ...     assert parse_actual(text).kind != "unreadable"
    >>> test_actuals_read()
    """
    return actuals(kinds=kinds, units=units).map(lambda actual: actual.text)


def figure_texts(
    *,
    kinds: Iterable[FigureKind] = ("number",),
    units: Iterable[str] | None = None,
) -> st.SearchStrategy[str]:
    """Printed figure cells: the ``text`` of :func:`figures` (same arguments).

    Every text parses with :func:`~perfscore.cells.parse_figure`.

    Args:
        kinds: ``number``, ``not-applicable`` or both.
        units: the units a number may carry.

    Returns:
        A strategy for strings.

    >>> from hypothesis import given, settings
    >>> from perfscore import parse_figure
    >>> @settings(max_examples=50)
    ... @given(figure_texts(units=["分"]))
    ... def test_points(text):
    ...     assert parse_figure(text).unit == "分"
    >>> test_points()
    """
    return figures(kinds=kinds, units=units).map(lambda figure: figure.text)


# ---------------------------------------------------------------------------------
# Tables


@attrs.frozen
class _RowKind:
    """A kind of indicator row: where it sits, what it is called, what its cells hold.

    ``ops`` empty makes a qualitative row. Target values run from ``low`` to ``high``
    (in the unit, with ``places`` decimals); an actual from ``actual_low`` to twice the
    target, or to ``cap`` (a percentage stops at 100).
    """

    __repr__ = value_repr

    level1: str
    level2: str
    items: tuple[tuple[str, str], ...]  # (三级指标, normalised unit)
    ops: tuple[Op | None, ...] = ()
    low: int = 1
    high: int = 100
    places: int = 0
    cap: int | None = None
    actual_low: int = 0


# In printed order. Names are neutral: no positive rate (合格率, 满意度) carries an
# at-most comparator, and money appears only on cost rows with an at-most target, so
# the audit's direction checks have nothing to say whatever the profile.
_ROW_KINDS: Final[tuple[_RowKind, ...]] = (
    _RowKind(
        "产出指标",
        "数量指标",
        (
            ("培训人次", "人次"),
            ("参赛样品数量", "件"),
            ("举办活动场次", "场"),
            ("服务企业数量", "家"),
            ("完成项目数量", "项"),
            ("开展检查次数", "次"),
            ("新建站点数量", "个"),
        ),
        ops=(">=", ">", "=", None),
        high=2000,
    ),
    _RowKind(
        "产出指标",
        "质量指标",
        (
            ("验收合格率", "%"),
            ("设备完好率", "%"),
            ("资料归档完整率", "%"),
            ("培训考核通过率", "%"),
        ),
        ops=(">=", "=", None),
        low=60,
        cap=100,
    ),
    _RowKind(
        "产出指标",
        "时效指标",
        (("问题整改时限", "天"), ("审批办理时限", "天"), ("设备到货周期", "天")),
        ops=("<=",),
        high=90,
    ),
    _RowKind(
        "产出指标",
        "时效指标",
        (("任务完成及时率", "%"), ("资金拨付及时率", "%")),
        ops=(">=", "="),
        low=80,
        cap=100,
    ),
    _RowKind(
        "产出指标",
        "时效指标",
        (("项目完成时间", "月"), ("验收完成时间", "月")),
        ops=("<=",),
        high=12,
        cap=12,
        actual_low=1,
    ),
    _RowKind("产出指标", "时效指标", (("项目实施周期", "个月"),), ops=("=", "<="), high=36),
    _RowKind(
        "成本指标",
        "经济成本指标",
        (
            ("项目总成本", "万元"),
            ("设备采购成本", "万元"),
            ("培训费用", "万元"),
            ("宣传印刷成本", "万元"),
        ),
        ops=("<=", None),
        high=5000,
        places=2,
    ),
    _RowKind(
        "成本指标", "经济成本指标", (("人均培训成本", "元/人"),), ops=("<=",), low=50, high=2000
    ),
    _RowKind(
        "效益指标",
        "经济效益指标",
        (("带动就业人数", "人"), ("带动农户增收户数", "户")),
        ops=(">=", None),
        high=500,
    ),
    _RowKind("效益指标", "社会效益指标", (("政策知晓率", "%"),), ops=(">=",), low=60, cap=100),
    _RowKind(
        "效益指标",
        "社会效益指标",
        (("行业影响力", ""), ("群众获得感", ""), ("服务保障能力", "")),
    ),
    _RowKind("效益指标", "生态效益指标", (("生态环境改善", ""),)),
    _RowKind("效益指标", "可持续影响指标", (("长效管理机制", ""), ("项目持续发挥作用", ""))),
    _RowKind(
        "满意度指标",
        "服务对象满意度指标",
        (("参训人员满意度", "%"), ("服务对象满意度", "%"), ("企业满意度", "%")),
        ops=(">=", None),
        low=80,
        cap=100,
    ),
)
_NUMERIC_ACTUALS_OF_WORDS: Final = ("=100%", "100%", "=0%")
_EXECUTION_WEIGHTS: Final = (10, 5, 15, 20)
_WEIGHT_STYLES: Final = ("{}", "{}.00", "{}分")
_COMPONENTS: Final[tuple[tuple[str, ...], ...]] = (
    (),
    ("其他资金",),
    ("上年结转资金",),
    ("上年结转资金", "其他资金"),
)
_PROJECT_NAMES: Final = (
    "工业发展专项资金项目",
    "中小企业服务能力提升项目",
    "数字化转型试点项目",
    "安全生产监督检查项目",
    "职业技能培训项目",
    "农产品品牌推广项目",
)
_DEPARTMENTS: Final = ("某州工业和信息化局", "某县农业农村局", "某市应急管理局")
_IMPLEMENTERS: Final = ("某州中小企业服务中心", "某县农业技术推广站", "某市应急管理局")
_GOALS: Final = (
    ("按计划完成项目建设任务，提升服务能力", "项目按计划实施，达到预期效果"),
    ("提高资金使用效益，推动产业发展", "资金按进度拨付，产业发展水平有所提升"),
)
_REASONS: Final = (
    "预算目标值把握不准确，下年度合理设置",
    "受外部因素影响，进度滞后，下年度加强管理",
    "实际需求变化，下年度加强预判",
)
_MAX_ROWS: Final = 50


def _split(draw: st.DrawFn, total: int, parts: int, *, least: int) -> list[int]:
    """``total`` as ``parts`` whole numbers of at least ``least`` (0 or 1) that sum to it."""
    low = 1 if least else 0
    high = total - 1 if least else total
    cuts = sorted(
        draw(
            st.lists(
                st.integers(low, high), min_size=parts - 1, max_size=parts - 1, unique=bool(least)
            )
        )
    )
    bounds = [0, *cuts, total]
    return [end - start for start, end in pairwise(bounds)][::-1]


def _money(cents: int, *, grouped: bool) -> str:
    return format(Decimal(cents).scaleb(-2), ",.2f" if grouped else ".2f")


def _funds(draw: st.DrawFn, weight: str) -> list[dict[str, JSONValue]]:
    """The 项目资金 block: the total row (with the 执行率 weight) and its components."""
    annual = draw(st.integers(1, 10**9))
    initial = draw(st.one_of(st.just(annual), st.integers(1, 10**9)))
    executed = draw(st.one_of(st.just(annual), st.integers(0, annual)))
    labels = ("其中：当年财政拨款", *draw(st.sampled_from(_COMPONENTS)))
    grouped = draw(st.booleans())
    columns = {
        key: _split(draw, total, len(labels), least=0)
        for key, total in (
            ("initial_budget", initial),
            ("annual_budget", annual),
            ("executed", executed),
        )
    }
    total_row: dict[str, JSONValue] = {
        "label": "年度资金总额",
        "initial_budget": _money(initial, grouped=grouped),
        "annual_budget": _money(annual, grouped=grouped),
        "executed": _money(executed, grouped=grouped),
        "weight": weight,
    }
    components: list[dict[str, JSONValue]] = [
        {"label": label}
        | {key: _money(parts[index], grouped=grouped) for key, parts in columns.items()}
        for index, label in enumerate(labels)
    ]
    return [total_row, *components]


def _slipped(target: Decimal, actual: Decimal) -> bool:
    """Whether the audit would read the actual as the target with a slipped decimal point."""
    if target <= 0 or actual <= 0 or target == actual:
        return False

    def digits(value: Decimal) -> str:
        return "".join(map(str, value.as_tuple().digits)).strip("0")

    return digits(target) == digits(actual) and max(target, actual) / min(target, actual) in {
        Decimal(10),
        Decimal(100),
        Decimal(1000),
    }


def _number_text(draw: st.DrawFn, scaled: int, places: int) -> str:
    scale = 10**places
    fraction = f"{scaled % scale:0{places}d}" if places else ""
    return _spell_number(draw, scaled // scale, fraction)


def _cells(draw: st.DrawFn, kind: _RowKind, unit: str) -> tuple[str, str]:
    """The target and actual cells of one row."""
    if not kind.ops:
        target = draw(st.sampled_from(_QUALITATIVE_TARGETS))
        words = _qualitative_actuals().map(lambda actual: actual.text)
        return target, draw(st.one_of(words, st.sampled_from(_NUMERIC_ACTUALS_OF_WORDS)))
    scale = 10**kind.places
    target_value = draw(st.integers(kind.low * scale, kind.high * scale))
    top = 2 * target_value + scale
    if kind.cap is not None:
        top = min(top, kind.cap * scale)
    actual_value = draw(st.one_of(st.just(target_value), st.integers(kind.actual_low * scale, top)))
    if kind.places and _slipped(
        Decimal(target_value).scaleb(-kind.places), Decimal(actual_value).scaleb(-kind.places)
    ):
        actual_value = target_value
    op = draw(st.sampled_from(kind.ops))
    target = _quantity_text(
        draw, op=op, unit=unit, number=_number_text(draw, target_value, kind.places), prefixes=("",)
    )
    actual = _quantity_text(
        draw,
        op=None,
        unit=draw(st.sampled_from((unit, ""))),
        number=_number_text(draw, actual_value, kind.places),
        prefixes=_ACTUAL_PREFIXES,
    )
    return target, actual


def _indicators(
    draw: st.DrawFn, count: int, weights: list[int], style: str
) -> list[dict[str, JSONValue]]:
    kinds = sorted(
        draw(st.lists(st.integers(0, len(_ROW_KINDS) - 1), min_size=count, max_size=count))
    )
    declared = draw(st.booleans())
    sums: dict[str, int] = {}
    for index, weight in zip(kinds, weights, strict=True):
        level1 = _ROW_KINDS[index].level1
        sums[level1] = sums.get(level1, 0) + weight
    rows: list[dict[str, JSONValue]] = []
    seen: dict[str, int] = {}
    for index, weight in zip(kinds, weights, strict=True):
        kind = _ROW_KINDS[index]
        name, unit = draw(st.sampled_from(kind.items))
        seen[name] = seen.get(name, 0) + 1
        level3 = name if seen[name] == 1 else f"{name}（{seen[name]}）"
        target, actual = _cells(draw, kind, unit)
        level1 = f"{kind.level1}（{sums[kind.level1]}分）" if declared else kind.level1
        rows.append(
            {
                "level1": level1,
                "level2": kind.level2,
                "level3": level3,
                "target": target,
                "actual": actual,
                "weight": style.format(weight),
            }
        )
    return rows


def _known(value: Decimal | None) -> Decimal:
    if value is None:  # pragma: no cover - the tables drawn here always score
        raise AssertionError("perfscore.testing drew a table perfscore cannot score")
    return value


def _print(draw: st.DrawFn, data: dict[str, JSONValue], profile: Profile) -> None:
    """Fill in the printed scores, rate, total and notes as perfscore computes them."""
    card = score(Table.from_dict(data), profile=profile)
    threshold = profile.overshoot.note_threshold
    for row, item in zip(data["indicators"], card.items, strict=True):
        points = _known(item.score)
        row["score"] = f"{points:f}"
        beyond = item.overshoot is not None and item.overshoot > threshold
        if points < _known(item.weight) or beyond:
            row["deviation_note"] = f"{row['level3']}：{draw(st.sampled_from(_REASONS))}"
    funds = card.funds
    if funds is None:  # pragma: no cover - the total row always prints a weight
        raise AssertionError("perfscore.testing drew a table without the 执行率 item")
    with localcontext() as context:
        context.prec = 60  # as the audit reads the rate: no rounding before the last
        rate = (_known(funds.rate) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    total_row = data["funds"][0]
    total_row["rate"] = f"{rate:f}%"
    total_row["score"] = f"{_known(funds.score):f}"
    data["total"] = f"{card.total:f}"


@st.composite
def _table_dicts(
    draw: st.DrawFn, *, min_rows: int, max_rows: int, profile: Profile | None
) -> dict[str, JSONValue]:
    count = draw(st.integers(min_rows, max_rows))
    execution_weight = draw(st.sampled_from(_EXECUTION_WEIGHTS))
    weights = _split(draw, 100 - execution_weight, count, least=1)
    style = draw(st.sampled_from(_WEIGHT_STYLES))
    data: dict[str, JSONValue] = {
        "format": FORMAT,
        "kind": "project",
        "name": draw(st.sampled_from(_PROJECT_NAMES)),
    }
    year = draw(st.none() | st.integers(2019, 2025))
    if year is not None:
        data["year"] = year
    if draw(st.booleans()):
        data["department"] = draw(st.sampled_from(_DEPARTMENTS))
        data["implementer"] = draw(st.sampled_from(_IMPLEMENTERS))
    data["money_unit"] = "万元"
    data["funds"] = _funds(draw, style.format(execution_weight))
    if draw(st.booleans()):
        expected, achieved = draw(st.sampled_from(_GOALS))
        data["goal"] = {"expected": expected, "achieved": achieved}
    data["indicators"] = _indicators(draw, count, weights, style)
    if profile is not None:
        _print(draw, data, profile)
    return data


def table_dicts(
    *,
    min_rows: int = 1,
    max_rows: int = 8,
    printed: bool = False,
    profile: Profile | str | Path = "mof-2020",
) -> st.SearchStrategy[dict[str, JSONValue]]:
    """Valid ``perfscore.table/1`` objects: project tables, every cell a string.

    Every table drawn has

    - a funds block: 年度资金总额 (printing the 执行率 weight, 5 to 20) and one to three
      components (其中：当年财政拨款, 上年结转资金, 其他资金) whose amounts sum exactly to the
      total row's, column by column; a 全年预算数 above 0 and a 全年执行数 not above it;
    - ``min_rows`` to ``max_rows`` indicator rows in printed order, each level-2 category
      under its own level-1 (数量/质量/时效指标 under 产出指标, 经济成本指标 under 成本指标,
      经济/社会/生态效益指标 and 可持续影响指标 under 效益指标, 服务对象满意度指标 under
      满意度指标), 三级指标 names unique, at times a level-1 label that declares its
      weight (``产出指标（40分）``, always the right sum);
    - whole-number weights of at least 1 that, with the 执行率 weight, total 100;
    - targets and actuals as in :func:`targets` and :func:`actuals`, in units that
      compare (the actual sometimes without its unit), qualitative rows among the
      效益指标 (with worded or 100%/0% actuals), and no blank or unreadable cell.

    It loads with :meth:`Table.from_dict <perfscore.model.Table.from_dict>`,
    ``to_dict()`` of the loaded table gives the object back, and it scores under any
    profile with no unscored item.

    With ``printed=True`` the table is *self-printed*: every row's 得分, the 执行率 and
    its score, and the 总分 are filled in as :func:`perfscore.score` computes them under
    ``profile``, and a deviation note is written on every row below its weight and on
    every row beyond the profile's overshoot threshold. Auditing it under that profile
    finds no error and no warning, unless the profile's ``[audit.severity]`` raises a
    check (see :func:`profiles`).

    Args:
        min_rows: the fewest indicator rows (at least 1).
        max_rows: the most indicator rows (at most 50).
        printed: whether to fill in the printed values as perfscore computes them.
        profile: the profile the printed values are computed under (a profile, a
            built-in name or a TOML file); unused unless ``printed``.

    Returns:
        A strategy for dicts that ``json.dumps`` can write.

    Raises:
        InvalidArgument: row bounds out of order or out of range.
        UnknownProfileError: ``profile`` names no built-in profile and no file.
        InvalidProfile: ``profile`` is a file that is not a usable profile.

    >>> import json
    >>> from hypothesis import given, settings
    >>> from perfscore import loads
    >>> @settings(max_examples=20, deadline=None)
    ... @given(table_dicts(max_rows=3))
    ... def test_json_round_trip(data):
    ...     [table] = loads(json.dumps(data, ensure_ascii=False))
    ...     assert table.to_dict() == data
    >>> test_json_round_trip()
    """
    if not 1 <= min_rows <= max_rows <= _MAX_ROWS:
        raise InvalidArgument(
            f"table_dicts needs 1 <= min_rows <= max_rows <= {_MAX_ROWS}, "
            f"got min_rows={min_rows!r}, max_rows={max_rows!r}"
        )
    rules = resolve_profile(profile) if printed else None
    return _table_dicts(min_rows=min_rows, max_rows=max_rows, profile=rules)


def tables(
    *,
    min_rows: int = 1,
    max_rows: int = 8,
    printed: bool = False,
    profile: Profile | str | Path = "mof-2020",
) -> st.SearchStrategy[Table]:
    """Valid :class:`~perfscore.model.Table` values: :func:`table_dicts`, loaded.

    Args:
        min_rows: the fewest indicator rows (at least 1).
        max_rows: the most indicator rows (at most 50).
        printed: whether the table is self-printed under ``profile``.
        profile: the profile the printed values are computed under.

    Returns:
        A strategy for tables; see :func:`table_dicts` for what every one holds.

    Raises:
        InvalidArgument: row bounds out of order or out of range.
        UnknownProfileError: ``profile`` names no built-in profile and no file.

    >>> from hypothesis import given, settings
    >>> from perfscore import audit
    >>> @settings(max_examples=20, deadline=None)
    ... @given(tables(printed=True, profile="changji-2023"))
    ... def test_self_printed_tables_audit_clean(table):
    ...     report = audit(table, profile="changji-2023")
    ...     assert report.count("error") == report.count("warning") == 0
    >>> test_self_printed_tables_audit_clean()
    """
    return table_dicts(min_rows=min_rows, max_rows=max_rows, printed=printed, profile=profile).map(
        Table.from_dict
    )


# ---------------------------------------------------------------------------------
# Profiles

_ROUNDING_MODES: Final[tuple[RoundingMode, ...]] = get_args(RoundingMode)
_EXECUTION_RULES: Final[tuple[ExecutionRuleName, ...]] = get_args(ExecutionRuleName)
_ZERO_BUDGETS: Final[tuple[ZeroBudget, ...]] = get_args(ZeroBudget)
_QUANTITATIVE_MODES: Final[tuple[QuantitativeMode, ...]] = get_args(QuantitativeMode)
_REVERSE_RULES: Final[tuple[ReverseRule, ...]] = get_args(ReverseRule)
_EQUAL_RULES: Final[tuple[EqualRule, ...]] = get_args(EqualRule)
_DIRECTIONS: Final[tuple[Direction, ...]] = get_args(Direction)
_UNIT_MISMATCHES: Final[tuple[UnitMismatch, ...]] = get_args(UnitMismatch)
_PENALTIES: Final[tuple[OvershootPenalty, ...]] = get_args(OvershootPenalty)
_SCORED_TIERS: Final[tuple[ScoredTier, ...]] = get_args(ScoredTier)
_SEVERITIES: Final[tuple[SeverityChoice, ...]] = get_args(SeverityChoice)

_PROFILE_NAMES: Final = ("custom", "province-2024", "county", "某省-2023", "自定义口径")
_TITLES: Final = ("某省项目支出绩效自评口径", "Provincial reading", "测试用规则")
_SOURCES: Final = ("某省财政厅绩效自评工作通知", "《项目支出绩效评价管理办法》", "observed")
_COST_ROWS: Final = (
    CostRows(),
    CostRows(level1=("成本指标",), level2_endings=()),
    CostRows(level1=(), level2_endings=("成本指标",)),
    CostRows(level1=("成本指标", "成本"), level2_endings=("成本指标", "成本")),
)
_GRADE_LABELS: Final = (
    ("优", "良", "中", "差"),
    ("A", "B", "C", "D"),
    ("优秀", "良好", "合格", "不合格"),
)
_LEVEL1_MIXES: Final[tuple[tuple[tuple[str, ...], ...], ...]] = (
    (("执行率",), ("产出指标", "成本指标"), ("效益指标",), ("满意度指标",)),
    (("执行率",), ("产出指标",), ("成本指标",), ("效益指标",), ("满意度指标",)),
)


def _hundredths(low: int, high: int) -> st.SearchStrategy[Decimal]:
    """Decimals from low/100 to high/100 with two places (``0.60``)."""
    return st.integers(low, high).map(lambda n: Decimal(n).scaleb(-2))


@st.composite
def _execution_rules(draw: st.DrawFn) -> ExecutionRule:
    rule = draw(st.sampled_from(_EXECUTION_RULES))
    floor = draw(st.integers(0, 99))
    full_at = draw(st.integers(floor + 1, 100))
    count = draw(st.integers(1 if rule == "steps" else 0, 4))
    ats = sorted(draw(st.lists(st.integers(0, 120), min_size=count, max_size=count, unique=True)))
    fractions = sorted(draw(st.lists(st.integers(0, 100), min_size=count, max_size=count)))
    steps = tuple(
        Step(at=Decimal(at).scaleb(-2), fraction=Decimal(fraction).scaleb(-2))
        for at, fraction in zip(ats[::-1], fractions[::-1], strict=True)
    )
    return ExecutionRule(
        rule=rule,
        cap=draw(st.booleans()),
        floor=Decimal(floor).scaleb(-2),
        full_at=Decimal(full_at).scaleb(-2),
        steps=steps,
        zero_budget=draw(st.sampled_from(_ZERO_BUDGETS)),
    )


@st.composite
def _quantitative_rules(draw: st.DrawFn) -> QuantitativeRules:
    return QuantitativeRules(
        mode=draw(st.sampled_from(_QUANTITATIVE_MODES)),
        reverse=draw(st.sampled_from(_REVERSE_RULES)),
        equal=draw(st.sampled_from(_EQUAL_RULES)),
        cost_floor=draw(st.none() | _hundredths(0, 100)),
        bare_number=draw(st.sampled_from(_DIRECTIONS)),
        bare_number_on_cost=draw(st.sampled_from(_DIRECTIONS[::-1])),
        unit_mismatch=draw(st.sampled_from(_UNIT_MISMATCHES)),
        cost_rows=draw(st.sampled_from(_COST_ROWS)),
    )


@st.composite
def _qualitative_rules(draw: st.DrawFn) -> QualitativeRules:
    # Cut points 0 < low < high <= 1 split [0, 1] into the three bands; each tier's
    # fraction is drawn inside its own band.
    low = draw(st.integers(1, 99))
    high = draw(st.integers(low + 1, 100))
    not_achieved, partial, achieved = (
        Decimal(draw(st.integers(start, end))).scaleb(-2)
        for start, end in ((0, low - 1), (low, high - 1), (high, 100))
    )
    cuts = Decimal(low).scaleb(-2), Decimal(high).scaleb(-2)
    return QualitativeRules(
        achieved=achieved,
        partial=partial,
        not_achieved=not_achieved,
        unknown=draw(st.sampled_from(_SCORED_TIERS)),
        bands=((cuts[1], Decimal(1)), cuts, (Decimal(0), cuts[0])),
    )


@st.composite
def _grades(draw: st.DrawFn) -> Grades:
    labels = draw(st.sampled_from(_GRADE_LABELS))
    count = draw(st.integers(0, len(labels) - 1))
    ats = sorted(draw(st.lists(st.integers(0, 1000), min_size=count, max_size=count, unique=True)))
    return Grades(
        levels=tuple(
            GradeLevel(at=Decimal(at).scaleb(-1), label=label)
            for at, label in zip(ats[::-1], labels, strict=False)
        ),
        below=labels[count],
    )


@st.composite
def _expected_weights(draw: st.DrawFn) -> tuple[tuple[tuple[str, ...], Decimal], ...]:
    if not draw(st.booleans()):
        return ()
    groups = draw(st.sampled_from(_LEVEL1_MIXES))
    weights = _split(draw, 100, len(groups), least=0)
    return tuple((names, Decimal(weight)) for names, weight in zip(groups, weights, strict=True))


@st.composite
def _audit_rules(draw: st.DrawFn, *, severities: bool) -> AuditRules:
    overrides: list[tuple[str, SeverityChoice]] = []
    if severities:
        overrides = draw(
            st.lists(
                st.tuples(st.sampled_from(sorted(CHECKS)), st.sampled_from(_SEVERITIES)),
                max_size=4,
                unique_by=lambda pair: pair[0],
            )
        )
    return AuditRules(
        severity=tuple(overrides),
        score_tolerance=draw(_hundredths(0, 50)),
        boilerplate_min_rows=draw(st.integers(2, 10)),
    )


@st.composite
def _drawn_profiles(draw: st.DrawFn, *, severities: bool) -> Profile:
    return Profile(
        name=draw(st.sampled_from(_PROFILE_NAMES)),
        title=draw(st.one_of(st.sampled_from(_TITLES), st.text(max_size=20))),
        sources=tuple(draw(st.lists(st.sampled_from(_SOURCES), max_size=2, unique=True))),
        rounding=Rounding(
            places=draw(st.integers(0, 10)), mode=draw(st.sampled_from(_ROUNDING_MODES))
        ),
        execution=draw(_execution_rules()),
        quantitative=draw(_quantitative_rules()),
        overshoot=Overshoot(
            note_threshold=draw(_hundredths(0, 100)), penalty=draw(st.sampled_from(_PENALTIES))
        ),
        qualitative=draw(_qualitative_rules()),
        grades=draw(_grades()),
        expected_weights=draw(_expected_weights()),
        audit=draw(_audit_rules(severities=severities)),
    )


def profiles(*, builtins: bool = True, severities: bool = True) -> st.SearchStrategy[Profile]:
    """Valid rule profiles, across every parameter.

    A profile drawn is a built-in one (shrinking goes to ``mof-2020``) or one with every
    parameter drawn: rounding (0 to 10 places, each mode), the 执行率 rule (each rule,
    cap, floor below ``full_at``, one to four steps for ``steps``, each zero-budget
    policy), the quantitative rules (each mode, reverse and equal rule, bare-number
    direction and unit-mismatch policy, a cost floor or none, several cost-row
    definitions), overshoot (threshold 0 to 100%, each penalty), the qualitative
    fractions and bands, grades (none to three levels), an expected level-1 mix or
    none, and the ``[audit]`` section.

    Guarantees: ``loads_profile(profile.to_toml()) == profile``; step fractions and
    qualitative fractions never fall as the rate or the tier rises, and each drawn
    qualitative fraction lies in its own audit band.

    Args:
        builtins: whether to draw the built-in profiles too.
        severities: whether to draw ``[audit.severity]`` overrides. An override may
            raise any check, even an ``info`` one, to ``error``; without overrides a
            self-printed table (:func:`table_dicts` with ``printed=True``) audits with
            no error and no warning.

    Returns:
        A strategy for :class:`~perfscore.profiles.Profile` values.

    >>> from hypothesis import given, settings
    >>> from perfscore.profiles import loads_profile
    >>> @settings(max_examples=30, deadline=None)
    ... @given(profiles())
    ... def test_toml_round_trip(profile):
    ...     assert loads_profile(profile.to_toml()) == profile
    >>> test_toml_round_trip()
    """
    drawn = _drawn_profiles(severities=severities)
    if not builtins:
        return drawn
    # mof-2020 first: the national reading is what a failing example shrinks to.
    names = sorted(BUILTIN_PROFILES, key=lambda name: name != "mof-2020")
    return st.one_of(st.sampled_from([get_profile(name) for name in names]), drawn)

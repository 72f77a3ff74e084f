"""The charts of the HTML report: a batch summary drawn as inline SVG, by hand.

Four charts, each a standalone ``<svg>`` element (no script, no external asset, no
plotting library): printed against computed totals (:func:`totals_scatter`, with
the line where they agree), the distribution of the gap between them
(:func:`gap_histogram`), findings by id (:func:`findings_bars`, each id with its
title) and tables by grade (:func:`grade_bars`). Axes are labelled in Chinese.

Every coordinate is computed from the summary's exact numbers in ``Decimal`` and
written with one decimal (rounded half up); counts are whole numbers. A batch of any
size makes charts of bounded size: the scatter merges points into cells when there
are many, the histogram has at most 31 bins, the bars one per id or grade.

>>> from decimal import Decimal
>>> svg = totals_scatter(((Decimal("100.00"), Decimal("90"), 1),))
>>> svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"'), svg.count('<circle class="differ"')
(True, 1)
"""

from __future__ import annotations

import functools
import html
from collections import Counter
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal, localcontext
from typing import TYPE_CHECKING, Final, ParamSpec

from perfscore.audit import total_gap

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

_P = ParamSpec("_P")

__all__ = ["findings_bars", "gap_histogram", "grade_bars", "totals_scatter"]

# Room for any total a table may print: coordinates are worked out exactly, then
# rounded once, to a tenth of a pixel.
_CONTEXT: Final = Context(prec=120)
_TENTH: Final = Decimal("0.1")
_ONE: Final = Decimal(1)
_ZERO: Final = Decimal(0)
_FONT: Final = (
    'font-family="Noto Sans CJK SC,Source Han Sans SC,Microsoft YaHei,sans-serif" font-size="12"'
)
# Colours: agreeing and differing totals; severities (the page's own hues).
_SAME: Final = "#2e7d32"
_DIFFER: Final = "#c62828"
_BELOW: Final = "#1565c0"
_SEVERITY_FILLS: Final = (
    ("error", "#c62828", "错误"),
    ("warning", "#e0a100", "警告"),
    ("info", "#6d8fb3", "提示"),
)
_GRADE_FILL: Final = "#5c6bc0"
_GRID: Final = "#dddddd"
_AXIS: Final = "#444444"
# Above this many distinct pairs of totals, the scatter merges them into cells.
_MOST_POINTS: Final = 400
_MOST_BINS: Final = 30


def _exact(draw: Callable[_P, str]) -> Callable[_P, str]:
    """A chart drawn in an arithmetic context of its own, wide enough for any total."""

    @functools.wraps(draw)
    def drawn(*args: _P.args, **kwargs: _P.kwargs) -> str:
        with localcontext(_CONTEXT):
            return draw(*args, **kwargs)

    return drawn


def _px(value: Decimal) -> str:
    """A coordinate, to a tenth of a pixel."""
    with localcontext(_CONTEXT):
        return f"{value.quantize(_TENTH, ROUND_HALF_UP):f}"


def _scale(value: Decimal, low: Decimal, high: Decimal, start: int, length: int) -> Decimal:
    """Where ``value`` falls on an axis from ``low`` to ``high`` drawn over ``length`` pixels."""
    with localcontext(_CONTEXT):
        return start + (value - low) * length / (high - low)


def nice_step(span: Decimal, most: int) -> Decimal:
    """The least of 1, 2 and 5 times a power of ten that cuts ``span`` in ``most`` parts or fewer.

    >>> nice_step(Decimal(100), 10), nice_step(Decimal(30), 30), nice_step(Decimal("0.3"), 5)
    (Decimal('1E+1'), Decimal('1'), Decimal('0.1'))
    """
    if span <= 0:
        return _ONE
    with localcontext(_CONTEXT):
        exponent = span.adjusted() - 3
        while True:
            for multiple in (1, 2, 5):
                step = Decimal(multiple).scaleb(exponent)
                if span / step <= most:
                    return step
            exponent += 1


def _bounds(
    values: Iterable[Decimal], low: Decimal, high: Decimal
) -> tuple[Decimal, Decimal, Decimal]:
    """An axis's ends (on ticks) holding ``values`` and ``low`` to ``high``, and its tick step."""
    low = min(low, *values) if values else low
    with localcontext(_CONTEXT):
        step = nice_step(high - low, 10)
        low = (low / step).to_integral_value(ROUND_FLOOR) * step
        high = (high / step).to_integral_value(ROUND_CEILING) * step
    return low, high, step


def _ticks(low: Decimal, high: Decimal, step: Decimal) -> list[Decimal]:
    with localcontext(_CONTEXT):
        count = int((high - low) / step)
        return [low + step * number for number in range(count + 1)]


def _number(value: Decimal) -> str:
    """A tick's label: its digits, without trailing zeros after the point."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _svg(width: int, height: int, title: str, body: Iterable[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" {_FONT}>'
        f"<title>{html.escape(title)}</title>"
        f'<rect class="ground" x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>'
        + "".join(body)
        + "</svg>"
    )


def _text(x: object, y: object, text: str, *, anchor: str = "middle", extra: str = "") -> str:
    return (
        f'<text x="{x}" y="{y}" text-anchor="{anchor}" fill="{_AXIS}"{extra}>'
        f"{html.escape(text)}</text>"
    )


# ---------------------------------------------------------------------------------
# Printed against computed totals


@_exact
def totals_scatter(points: Sequence[tuple[Decimal, Decimal, int]]) -> str:
    """Printed totals (up) against computed ones (across), one dot per pair of totals.

    ``points`` are ``(computed, printed, tables)``. A dot's area grows with the tables
    it stands for, and its tooltip gives both totals and the count; dots on the
    dashed line agree, the others are red. Beyond 400 distinct pairs, pairs are
    merged into the finest square cells (a twentieth of a tick wide, a tenth, a fifth,
    a half, a whole tick) that leave at most 400 dots; the tooltip then gives the
    cell's middle with ``≈``. The chart stays small for any batch.
    """
    size, left, top = 320, 64, 34
    values = [value for computed, printed, _ in points for value in (computed, printed)]
    low, high, step = _bounds(values, Decimal(0), max([Decimal(100), *values]))
    cell = None
    shown = [(c, p, n, c != p) for c, p, n in points]
    # Many pairs: merged into the finest cells (a twentieth of a tick, a tenth, ...)
    # that leave at most _MOST_POINTS dots.
    for parts in (20, 10, 5, 2, 1) if len(points) > _MOST_POINTS else ():
        cell = step / parts
        merged: Counter[tuple[Decimal, Decimal, bool]] = Counter()
        for computed, printed, count in points:
            at = (
                (computed / cell).to_integral_value(ROUND_HALF_UP) * cell,
                (printed / cell).to_integral_value(ROUND_HALF_UP) * cell,
                computed != printed,
            )
            merged[at] += count
        shown = [(c, p, n, differ) for (c, p, differ), n in merged.items()]
        if len(shown) <= _MOST_POINTS:
            break
    body = [
        f'<rect x="{left}" y="{top}" width="{size}" height="{size}" fill="none" stroke="{_AXIS}"/>'
    ]
    for tick in _ticks(low, high, step):
        x = _px(_scale(tick, low, high, left, size))
        y = _px(_scale(tick, low, high, top + size, -size))
        body.append(
            f'<line class="grid" x1="{x}" y1="{top}" x2="{x}" y2="{top + size}" '
            f'stroke="{_GRID}"/><line class="grid" x1="{left}" y1="{y}" x2="{left + size}" '
            f'y2="{y}" stroke="{_GRID}"/>'
        )
        body.append(_text(x, top + size + 16, _number(tick)))
        body.append(_text(left - 6, y, _number(tick), anchor="end", extra=' dy="4"'))
    body.append(
        f'<line class="agree" x1="{left}" y1="{top + size}" x2="{left + size}" y2="{top}" '
        f'stroke="{_SAME}" stroke-dasharray="5 4"/>'
    )
    # Most tables first, so that the small dots are drawn over the large ones.
    for computed, printed, count, differ in sorted(shown, key=lambda dot: (-dot[2], dot[:2])):
        x = _px(_scale(computed, low, high, left, size))
        y = _px(_scale(printed, low, high, top + size, -size))
        near = "≈" if cell is not None else ""
        tip = f"算 {near}{computed:f}，印 {near}{printed:f}：{count} 张"
        colour = _DIFFER if differ else _SAME
        body.append(
            f'<circle class="{"differ" if differ else "same"}" cx="{x}" cy="{y}" '
            f'r="{_radius(count)}" fill="{colour}" fill-opacity="0.6" '
            f'stroke="{colour}"><title>{html.escape(tip)}</title></circle>'
        )
    body.append(_text(left + size // 2, top + size + 36, "总分（计算）"))
    middle = top + size // 2
    body.append(_text(18, middle, "总分（印刷）", extra=f' transform="rotate(-90 18 {middle})"'))
    body.append(
        f'<circle cx="{left + 8}" cy="16" r="5" fill="{_SAME}"/>'
        + _text(left + 18, 20, "一致（在虚线上）", anchor="start")
        + f'<circle cx="{left + 150}" cy="16" r="5" fill="{_DIFFER}"/>'
        + _text(left + 160, 20, "不一致", anchor="start")
    )
    return _svg(left + size + 24, top + size + 48, "总分：印刷与计算", body)


def _radius(count: int) -> int:
    """A dot's radius: 3 pixels for one table, a pixel more for each fourfold more, at most 10.

    >>> [_radius(n) for n in (1, 3, 4, 16, 1000, 10**6)]
    [3, 3, 4, 5, 7, 10]
    """
    return min(3 + (count.bit_length() - 1) // 2, 10)


# ---------------------------------------------------------------------------------
# The gap between printed and computed totals


@_exact
def gap_histogram(points: Sequence[tuple[Decimal, Decimal, int]]) -> str:
    """How many tables have each gap (printed total minus computed), in at most 31 bins.

    Bins are as wide as a round step (1, 2 or 5 times a power of ten) and centred on
    its multiples, so the middle bin holds the totals that agree. Each bar's tooltip
    gives its bin and count; bars above zero (the print gives more) are red, below
    blue, the middle one green.
    """
    width, height, left, top = 620, 300, 48, 34
    plot_width, plot_height = width - left - 16, height - top - 52
    gaps: Counter[Decimal] = Counter()
    for computed, printed, count in points:
        gaps[total_gap(printed, computed)] += count
    with localcontext(_CONTEXT):
        # The bins reach 0 whatever the gaps: the span runs from 0 too.
        span = max(_ZERO, *gaps) - min(_ZERO, *gaps)
        bin_width = max(nice_step(span, _MOST_BINS), Decimal("0.01")) if span else _ONE
        bins: Counter[int] = Counter()
        for gap, count in gaps.items():
            bins[int((gap / bin_width).to_integral_value(ROUND_HALF_UP))] += count
    first, last = min([0, *bins]), max([0, *bins])
    numbers = range(first, last + 1)
    tallest = max(bins.values(), default=0)
    count_step = max(nice_step(Decimal(tallest), 5), _ONE)
    count_high = max((Decimal(tallest) / count_step).to_integral_value(ROUND_CEILING), _ONE)
    count_high *= count_step
    body = []
    for tick in _ticks(Decimal(0), count_high, count_step):
        tick_y = _px(_scale(tick, Decimal(0), count_high, top + plot_height, -plot_height))
        body.append(
            f'<line class="grid" x1="{left}" y1="{tick_y}" x2="{left + plot_width}" '
            f'y2="{tick_y}" stroke="{_GRID}"/>'
            + _text(left - 6, tick_y, _number(tick), anchor="end", extra=' dy="4"')
        )
    slot = Decimal(plot_width) / len(numbers)
    # Bins labelled at round multiples, 0 among them: at most 8 labels.
    label_every = next(k for k in (1, 2, 5, 10, 20, 50) if len(numbers) <= 8 * k)
    for position, number in enumerate(numbers):
        with localcontext(_CONTEXT):
            x0 = left + slot * position
            centre = bin_width * number
            half = bin_width / 2
        count = bins.get(number, 0)
        if count:
            y = _scale(Decimal(count), Decimal(0), count_high, top + plot_height, -plot_height)
            colour = _SAME if number == 0 else (_DIFFER if number > 0 else _BELOW)
            tip = f"差额 {_number(centre - half)} 至 {_number(centre + half)}：{count} 张"
            body.append(
                f'<rect class="bar" x="{_px(x0 + 1)}" y="{_px(y)}" width="{_px(slot - 2)}" '
                f'height="{_px(top + plot_height - y)}" fill="{colour}">'
                f"<title>{html.escape(tip)}</title></rect>"
            )
            if slot >= 6 * len(str(count)):  # a count wider than its bar: in the tooltip only
                body.append(
                    _text(_px(x0 + slot / 2), _px(y - 3), str(count), extra=' font-size="10"')
                )
        if number % label_every == 0:
            body.append(_text(_px(x0 + slot / 2), top + plot_height + 16, _number(centre)))
    body.append(
        f'<line x1="{left}" y1="{top + plot_height}" x2="{left + plot_width}" '
        f'y2="{top + plot_height}" stroke="{_AXIS}"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_height}" stroke="{_AXIS}"/>'
    )
    body.append(
        _text(
            left + plot_width // 2,
            height - 14,
            f"差额：印刷总分 − 计算总分（每格 {_number(bin_width)} 分）",
        )
    )
    middle = top + plot_height // 2
    body.append(_text(14, middle, "表数", extra=f' transform="rotate(-90 14 {middle})"'))
    body.append(_text(left, 20, "印刷高于计算为正", anchor="start"))
    return _svg(width, height, "总分差额的分布", body)


# ---------------------------------------------------------------------------------
# Bars: findings by id, tables by grade


def _bars(
    rows: Sequence[tuple[str, Sequence[tuple[int, str, str]]]],
    *,
    title: str,
    axis: str,
    label_width: int,
    legend: Sequence[tuple[str, str]] = (),
) -> str:
    """Horizontal bars, one per row, each a stack of ``(count, colour, name)`` parts."""
    bar_width, row_height, top = 300, 22, 34 if legend else 14
    width = label_width + bar_width + 60
    height = top + row_height * len(rows) + 44
    totals = [sum(count for count, _, _ in parts) for _, parts in rows]
    longest = max(totals, default=0)
    step = max(nice_step(Decimal(longest), 6), _ONE)
    high = max((Decimal(longest) / step).to_integral_value(ROUND_CEILING), _ONE) * step
    left = label_width
    bottom = top + row_height * len(rows)
    body = []
    for tick in _ticks(Decimal(0), high, step):
        tick_x = _px(_scale(tick, Decimal(0), high, left, bar_width))
        body.append(
            f'<line class="grid" x1="{tick_x}" y1="{top}" x2="{tick_x}" y2="{bottom}" '
            f'stroke="{_GRID}"/>' + _text(tick_x, bottom + 16, _number(tick))
        )
    for number, ((label, parts), total) in enumerate(zip(rows, totals, strict=True)):
        y = top + row_height * number
        body.append(_text(left - 8, y + 15, label, anchor="end"))
        start = Decimal(0)
        for count, colour, name in parts:
            if not count:
                continue
            x0 = _scale(start, Decimal(0), high, left, bar_width)
            x1 = _scale(start + count, Decimal(0), high, left, bar_width)
            body.append(
                f'<rect class="bar" x="{_px(x0)}" y="{y + 4}" width="{_px(x1 - x0)}" '
                f'height="{row_height - 8}" fill="{colour}">'
                f"<title>{html.escape(f'{label}：{name} {count}')}</title></rect>"
            )
            start += count
        end = _scale(Decimal(total), Decimal(0), high, left, bar_width)
        body.append(_text(_px(end + 4), y + 15, str(total), anchor="start"))
    body.append(
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="{_AXIS}"/>'
        + _text(left + bar_width // 2, height - 10, axis)
    )
    for number, (colour, name) in enumerate(legend):
        key_x = left + 64 * number
        body.append(
            f'<rect x="{key_x}" y="8" width="12" height="12" fill="{colour}"/>'
            + _text(key_x + 16, 19, name, anchor="start")
        )
    return _svg(width, height, title, body)


@_exact
def findings_bars(by_id: Sequence[tuple[str, dict[str, int]]], titles: dict[str, str]) -> str:
    """Findings by id: a bar per id (with its title), errors, warnings and notes stacked."""
    rows = [
        (
            f"{check} {titles.get(check, '')}".rstrip(),
            [(counts.get(severity, 0), colour, name) for severity, colour, name in _SEVERITY_FILLS],
        )
        for check, counts in by_id
    ]
    return _bars(
        rows,
        title="发现（按问题）",
        axis="发现数",
        label_width=400,
        legend=[(colour, name) for _, colour, name in _SEVERITY_FILLS],
    )


@_exact
def grade_bars(grades: Sequence[tuple[str, int]]) -> str:
    """Tables by grade, the best first."""
    rows = [(grade, [(count, _GRADE_FILL, "表")]) for grade, count in grades]
    return _bars(rows, title="等级分布", axis="表数", label_width=80)

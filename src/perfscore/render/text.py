"""Everything perfscore writes as text for a terminal.

- :func:`render_text`: a scorecard in the official 自评表 layout. It follows the
  printed form: 项目名称 / 主管部门 / 实施单位, the 项目资金 block, 年度总体目标, then the
  绩效指标 rows (一级 / 二级 / 三级指标, 年度指标值, 实际完成值, 分值, 得分,
  偏差原因分析及改进措施) and 总分. perfscore adds the computed score next to the printed
  one and, for an audit, marks each row's findings and lists them below.
- :func:`render_summary`: the batch summary of ``perfscore score`` and ``perfscore audit``.
- :func:`render_table`: a table with every cell as printed and as read (``perfscore show``).
- :func:`render_fit`: the best candidates of a fit (``perfscore fit``).
- :func:`render_profiles`: rule profiles, one a line (``perfscore profiles``).
- :class:`TextWriter`: a batch of scorecards or audits, then the summary.

>>> from perfscore import audit, load
>>> report = audit(load("examples/changji-2023/12_industrial-internet-study.json")[0],
...                profile="changji-2023")
>>> text = render_text(report.scorecard, findings=report.findings)
>>> print(text.splitlines()[0])
项目支出绩效自评表 · 昌吉州工业互联网发展路径分析研究项目
>>> "警 direction-suspect" in text
True
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from perfscore._text import break_lines, display_width, longest_run, pad
from perfscore.render._shape import (
    FUND_HEADERS,
    KIND_TITLES,
    MARKS,
    RANKED_TITLE,
    SEVERITY_WORDS,
    concerned,
    counted,
    facts,
    findings_by_place,
    fund_rows,
    funds_line,
    gap_rows,
    grades_line,
    inflation_lines,
    marked_rows,
    placed,
    source_text,
    summary_rows,
    titled,
    total_line,
    totals_line,
)
from perfscore.render.writer import Writer

if TYPE_CHECKING:
    from collections.abc import Sequence

    from perfscore.audit import BatchSummary
    from perfscore.cells import Actual, Figure, Target
    from perfscore.findings import Finding
    from perfscore.fit import FitResult
    from perfscore.model import Table
    from perfscore.profiles import Profile
    from perfscore.scoring import Scorecard

__all__ = [
    "MIN_WIDTH",
    "TextWriter",
    "layout_width",
    "render_fit",
    "render_profiles",
    "render_summary",
    "render_table",
    "render_text",
]

# Column widths (in terminal columns) beyond which text cells wrap, when no width is
# given (a file, a pipe): the layout perfscore has always written.
_TEXT_WIDTHS: Final = (10, 12, 24, 14, 14, 6, 8, 8, 24, 26)
_FUND_WIDTHS: Final = (24, 12, 12, 12, 6, 8, 8)
_GOAL_WIDTH: Final = 100

MIN_WIDTH: Final = 72
"""The narrowest layout: an audit's ten columns of at least two Chinese characters each.

A narrower width is laid out at this one (the terminal then wraps its lines); at
four columns a column can carry a closing mark down with the character before it,
so no line starts with one (see :func:`perfscore._text.break_lines`).
"""
_FLOOR: Final = 4  # the narrowest a column is made: two Chinese characters


def layout_width(width: int | None) -> int | None:
    """The width a layout is made for: none (the fixed layout), or at least :data:`MIN_WIDTH`.

    >>> layout_width(None), layout_width(40), layout_width(100)
    (None, 72, 100)
    """
    return None if width is None else max(width, MIN_WIDTH)


def _wrap(text: str, width: int, *, ambiguous_wide: bool = False) -> list[str]:
    """Split text into lines of at most ``width`` terminal columns (Chinese line breaking)."""
    return [line for line, _ in _measured_lines(text, width, ambiguous_wide=ambiguous_wide)]


# Cells repeat across a batch's tables (labels, targets, explanations): each is broken
# into lines once. A line's width is counted as the line is made, not measured again.
_measured_lines: Final = lru_cache(maxsize=1 << 14)(break_lines)


def _share(
    table: list[list[str]],
    natural: Sequence[int],
    least: Sequence[int],
    available: int,
    *,
    ambiguous_wide: bool = False,
) -> list[int]:
    """Column widths within ``available`` columns, each between its least and natural width.

    ``least`` are the widths below which a column would break its cells where the line
    breaking rules forbid it (a number, a comparison: see :func:`_least`). Each column
    starts at its least width; then, a few columns at a time, the room left goes where
    it saves the most lines of the table for the columns it takes (a label that fits
    whole at two more columns, a row's tallest cell), and what no line saves is shared
    out in proportion to how much more each column would take. When even the least
    widths do not fit, columns are given their natural width, narrowest first, while it
    is no more than an equal share of what is left; the wider ones share the rest, none
    narrower than :data:`_FLOOR` (or its natural width, if less).

    >>> _share([["一级指标", "说明"], ["产出指标", "很长的说明" * 4]], [8, 40], [4, 4], 28)
    [8, 20]
    >>> _share([["a" * 30, "b" * 40]], [30, 40], [20, 20], 30)
    [15, 15]
    """
    if sum(natural) <= available:
        return list(natural)
    if sum(least) > available:
        widths = list(natural)
        left, count = available, len(natural)
        for column in sorted(range(len(natural)), key=natural.__getitem__):
            share = left // count if count > 1 else left
            widths[column] = max(min(natural[column], share), min(_FLOOR, natural[column]))
            left -= widths[column]
            count -= 1
        return widths
    widths = _fewest_lines(table, natural, least, available, ambiguous_wide=ambiguous_wide)
    room = [wide - narrow for wide, narrow in zip(natural, widths, strict=True)]
    extra = available - sum(widths)
    if not extra or not sum(room):
        return widths
    shared = [narrow + extra * more // sum(room) for narrow, more in zip(widths, room, strict=True)]
    # What division leaves over goes to the columns with the most room, one each.
    for column in sorted(range(len(shared)), key=lambda at: room[at], reverse=True):
        if sum(shared) >= available:
            break
        if shared[column] < natural[column]:
            shared[column] += 1
    return shared


_LOOK_AHEAD: Final = 8  # how many columns more a step may give one column


def _fewest_lines(
    table: list[list[str]],
    natural: Sequence[int],
    least: Sequence[int],
    available: int,
    *,
    ambiguous_wide: bool,
) -> list[int]:
    """Widths from ``least`` up, each step widening the column that saves most lines.

    A step gives one column up to :data:`_LOOK_AHEAD` more columns, the one that saves
    the most lines of the table per column given (a Chinese label needs two more to
    lose a line); where no step shortens a row, the one that saves most lines of cells
    (a label kept whole in a row another column makes tall). It stops when no step
    saves a line.
    """
    widths = list(least)
    known: dict[tuple[int, int], tuple[list[int], int]] = {}

    def counts(column: int, width: int) -> tuple[list[int], int]:
        """Each row's lines in ``column`` at ``width``, and their sum."""
        if (column, width) not in known:
            cells = [
                len(_measured_lines(row[column], width, ambiguous_wide=ambiguous_wide))
                for row in table
            ]
            known[column, width] = cells, sum(cells)
        return known[column, width]

    lines = [counts(column, width) for column, width in enumerate(widths)]
    left = available - sum(widths)
    row_weight = len(table) * len(widths) + 1  # a row saved outweighs every cell line
    while left > 0:
        heights = [
            sorted(cells, reverse=True) for cells in zip(*(c for c, _ in lines), strict=True)
        ]
        best: tuple[int, int, int, tuple[list[int], int]] | None = None
        for column in range(len(widths)):
            if widths[column] >= natural[column]:
                continue
            # Only rows this column makes tallest can get shorter: each with the height
            # it would have without this column (the second tallest cell).
            cells, total = lines[column]
            tall = [
                (row, height[0], height[1] if len(height) > 1 else 0)
                for row, height in enumerate(heights)
                if cells[row] == height[0] and cells[row] > 1
            ]
            for more in range(1, min(_LOOK_AHEAD, left, natural[column] - widths[column]) + 1):
                trial = counts(column, widths[column] + more)
                rows_saved = sum(high - max(low, trial[0][row]) for row, high, low in tall)
                saved = rows_saved * row_weight + total - trial[1]
                # The most lines saved per column given (compared without division).
                if saved > 0 and (best is None or saved * best[1] > best[0] * more):
                    best = (saved, more, column, trial)
        if best is None:
            break
        _, more, column, trial = best
        widths[column] += more
        lines[column] = trial
        left -= more
    return widths


_LONGEST_RUN: Final = 16  # a longer word or number may be broken to keep its column narrow


def _least(table: list[list[str]], natural: Sequence[int], *, ambiguous_wide: bool) -> list[int]:
    """Each column's least width: its widest unbreakable run, at least :data:`_FLOOR`."""
    return [
        min(
            natural[i],
            max(
                _FLOOR,
                min(
                    _LONGEST_RUN,
                    max(_longest_run(row[i], ambiguous_wide=ambiguous_wide) for row in table),
                ),
            ),
        )
        for i in range(len(natural))
    ]


_longest_run: Final = lru_cache(maxsize=1 << 14)(longest_run)


def _grid(
    headers: Sequence[str],
    rows: list[list[str]],
    widths: Sequence[int],
    *,
    total: int | None = None,
    ambiguous_wide: bool = False,
) -> list[str]:
    """An ASCII grid whose cells wrap at their column's width, aligned by display width.

    ``widths`` are the columns' widest; with ``total`` the grid is also made to fit
    in that many terminal columns, narrowing the widest columns first.
    """
    table = [list(headers), *rows]
    # Each cell wrapped once, at its column's widest: a column is then as wide as its
    # widest line, and wrapping again at that width would break every cell where it
    # breaks now (a line ends at the last place that fits the wider width).
    # Each line's width is known from wrapping, and pads it.
    limits = list(widths[: len(headers)])  # a table without the audit's column uses fewer
    cells = _broken(table, limits, ambiguous_wide=ambiguous_wide)
    columns = _widest(cells, limits)
    space = " "
    if total is not None and sum(columns) + 3 * len(headers) + 1 > total:
        # Too wide: the cells lose the spaces beside the rules (a column more for text
        # each), and the widest columns are narrowed.
        space = ""
        least = _least(table, columns, ambiguous_wide=ambiguous_wide)
        limits = _share(
            table, columns, least, total - len(headers) - 1, ambiguous_wide=ambiguous_wide
        )
        cells = _broken(table, limits, ambiguous_wide=ambiguous_wide)
        columns = _widest(cells, limits)
    rule = "+" + "+".join("-" * (width + 2 * len(space)) for width in columns) + "+"
    out = [rule]
    blank = ("", 0)
    left, middle, right = f"|{space}", f"{space}|{space}", f"{space}|"
    for number, wrapped in enumerate(cells):
        for line in range(max(map(len, wrapped))):
            parts = []
            for cell, width in zip(wrapped, columns, strict=True):
                text, size = cell[line] if line < len(cell) else blank
                parts.append(text + " " * (width - size))
            out.append(left + middle.join(parts) + right)
        if number == 0:
            out.append(rule)
    out.append(rule)
    return out


def _broken(
    table: list[list[str]], limits: Sequence[int], *, ambiguous_wide: bool
) -> list[list[tuple[tuple[str, int], ...]]]:
    """Every cell of ``table`` broken into lines at its column's limit."""
    return [
        [
            _measured_lines(cell, width, ambiguous_wide=ambiguous_wide)
            for cell, width in zip(row, limits, strict=True)
        ]
        for row in table
    ]


def _widest(cells: list[list[tuple[tuple[str, int], ...]]], limits: Sequence[int]) -> list[int]:
    """Each column's width: its widest line, at most its limit."""
    return [
        min(max(size for row in cells for _, size in row[i]), limits[i]) for i in range(len(limits))
    ]


def _columns(
    rows: list[list[str]], *, width: int | None = None, ambiguous_wide: bool = False
) -> list[str]:
    """Rows as lines of columns aligned by display width, two spaces apart (no grid).

    With ``width``, cells of a row too wide for it are folded within their columns.
    """
    columns = [
        max(display_width(row[i], ambiguous_wide=ambiguous_wide) for row in rows)
        for i in range(len(rows[0]))
    ]
    gaps = 2 * (len(columns) - 1)
    if width is None or sum(columns) + gaps <= width:
        return [
            "  ".join(
                pad(cell, column, ambiguous_wide=ambiguous_wide)
                for cell, column in zip(row, columns, strict=True)
            ).rstrip()
            for row in rows
        ]
    least = _least(rows, columns, ambiguous_wide=ambiguous_wide)
    limits = _share(rows, columns, least, width - gaps, ambiguous_wide=ambiguous_wide)
    cells = _broken(rows, limits, ambiguous_wide=ambiguous_wide)
    columns = _widest(cells, limits)
    out = []
    for row in cells:
        for line in range(max(map(len, row))):
            parts = []
            for cell, column in zip(row, columns, strict=True):
                text, size = cell[line] if line < len(cell) else ("", 0)
                parts.append(text + " " * (column - size))
            out.append("  ".join(parts).rstrip())
    return out


def _fit(lines: list[str], width: int | None, *, ambiguous_wide: bool = False) -> list[str]:
    """Lines folded to ``width`` columns (none without one), continued two columns in.

    A line wider than ``width`` is broken (Chinese line breaking) and its continuation
    lines are indented two columns further than the line itself.

    >>> _fit(["  1. 产出指标/数量指标/参赛样品数量：实际 1044 件，达成"], 32)
    ['  1. 产出指标/数量指标/参赛样', '    品数量：实际 1044 件，达成']
    """
    if width is None:
        return lines
    out = []
    for line in lines:
        if display_width(line, ambiguous_wide=ambiguous_wide) <= width:
            out.append(line)
            continue
        text = line.lstrip(" ")
        lead = len(line) - len(text)
        indent = min(lead + 2, width // 2)
        lead = min(lead, indent)
        parts = _wrap(text, width - indent, ambiguous_wide=ambiguous_wide)
        out.append(" " * lead + parts[0])
        out.extend(" " * indent + part for part in parts[1:])
    return out


# ---------------------------------------------------------------------------------
# Scorecards and audits


def render_text(  # noqa: PLR0913 - the scorecard, then its layout's settings as keywords
    card: Scorecard,
    *,
    findings: Sequence[Finding] = (),
    source: str = "",
    explain: bool = True,
    width: int | None = None,
    ambiguous_wide: bool = False,
    findings_only: bool = False,
) -> str:
    """A scorecard in the official layout, for a terminal.

    Columns align by display width (a CJK character takes two columns, and so does an
    East Asian ambiguous one such as ``≥`` or ``“`` with ``ambiguous_wide``) and long
    cells wrap by the Chinese line-breaking rules. The computed score stands next to
    the printed one (``≠`` between them where they differ); with ``findings`` (an
    audit's) each row's are marked in a 复核 column and listed below in full, each id
    with its title. With ``explain`` every computation follows. With
    ``findings_only`` the table is cut to its identity, the funds block and rows its
    findings concern, its totals and its findings.

    Without ``width`` the columns keep fixed widths (the layout of a file or a pipe);
    with one, every line fits in ``width`` terminal columns (at least
    :data:`MIN_WIDTH`): the widest columns are narrowed and their cells folded, and
    long lines continue two columns further in.
    """
    width = layout_width(width)
    wide = ambiguous_wide
    table = card.table
    places = findings_by_place(findings)
    shown = concerned(card, places) if findings_only else None
    explain = explain and not findings_only
    lines = [f"{KIND_TITLES[table.kind]} · {table.name}"]
    lines.append("  ".join(f"{key}：{value}" for key, value in facts(table)[1:]) or "")
    if source:
        lines.append(f"文件：{source}")
    if table.origin is not None:
        lines.append(f"原件：{table.origin}")
    lines = [line for line in lines if line]
    if table.funds and (not findings_only or "funds" in places):
        lines.append(f"项目资金（{table.money_unit}）")
        lines += _grid(
            FUND_HEADERS, fund_rows(card), _FUND_WIDTHS, total=width, ambiguous_wide=wide
        )
        funds_marks = "；".join(f"{MARKS[f.severity]} {f.id}" for f in places.get("funds", []))
        lines.append(funds_line(card) + (f"  [{funds_marks}]" if funds_marks else ""))
    if table.goal is not None and not findings_only:
        # Goal texts run to paragraphs: wrap them as wide as a terminal usually is.
        goal = _GOAL_WIDTH if width is None else min(width, _GOAL_WIDTH)
        lines += _wrap(f"年度总体目标：{table.goal.expected or ''}", goal, ambiguous_wide=wide)
        lines += _wrap(f"实际完成情况：{table.goal.achieved or ''}", goal, ambiguous_wide=wide)
    headers, rows = marked_rows(card, places, marked=bool(findings), separator="\n", shown=shown)
    if rows or not findings_only:
        lines += _grid(headers, rows, _TEXT_WIDTHS, total=width, ambiguous_wide=wide)
    lines.append(total_line(card))
    if findings:
        lines.append("复核发现：")
        lines.extend(
            f"  [{SEVERITY_WORDS[f.severity]}] {titled(f.id)} · {f.where}{placed(f)} {f.path}："
            f"{f.message}"
            for f in findings
        )
    if explain:
        lines.append("计算过程：")
        if card.funds is not None:
            lines.append(f"  执行率：{card.funds.explanation}")
        lines.extend(f"  {item.index}. {item.path}：{item.explanation}" for item in card.items)
    return "\n".join(_fit(lines, width, ambiguous_wide=wide))


def render_summary(
    summary: BatchSummary,
    *,
    top: int = 10,
    width: int | None = None,
    ambiguous_wide: bool = False,
) -> str:
    """A batch summary as text.

    The tables counted; for an audit, the findings by severity; the printed totals
    the rules reproduce and the gap between printed and computed totals, with the
    tables whose totals differ; the grades; for an audit, the findings by id (each
    with its title) and the tables with the most errors; the signs of inflated
    self-evaluation. ``width`` and ``ambiguous_wide`` as for :func:`render_text`.
    """
    width = layout_width(width)
    wide = ambiguous_wide
    lines = [f"== 汇总：{counted(summary)}"]
    if summary.audited:
        lines.append(
            "   "
            + " · ".join(
                f"{SEVERITY_WORDS[severity]} {count}"
                for severity, count in summary.by_severity.items()
            )
        )
    if not summary.tables:
        return "\n".join(_fit(lines, width, ambiguous_wide=wide))
    lines.append(f"   {totals_line(summary)}")
    gaps = gap_rows(summary, top=top)
    if gaps:
        lines.append("   总分不一致的表：")
        rows = [
            [f"     印 {printed}", mark, f"算 {computed}", f"差 {gap}", name + _origin(file, index)]
            for (printed, mark, computed, gap, name), file, index in gaps
        ]
        lines += _columns(rows, width=width, ambiguous_wide=wide)
    lines.append(f"   {grades_line(summary)}")
    if summary.by_id:
        rows = [["   问题", "错误", "警告", "提示", "说明"]]
        rows += [[f"   {row[0]}", *row[1:]] for row in summary_rows(summary)]
        lines += _columns(rows, width=width, ambiguous_wide=wide)
    if summary.ranked:
        lines.append(f"   {RANKED_TITLE}：")
        for file, index, name, errors, warnings in summary.ranked[:top]:
            lines.append(f"     {errors} 错误 · {warnings} 警告  {name}{_origin(file, index)}")
    signs = inflation_lines(summary)
    if signs:
        lines.append(f"   自评虚高迹象：{signs[0]}")
        lines.extend(f"   {line}" for line in signs[1:])
    return "\n".join(_fit(lines, width, ambiguous_wide=wide))


def _origin(file: str | None, index: int) -> str:
    return f"（{source_text(file, index)}）" if file else ""


class TextWriter(Writer):
    """The official layout for a terminal, then the batch summary."""

    def render_table(
        self,
        file: str | None,
        index: int,
        card: Scorecard,
        findings: Sequence[Finding] | None,
    ) -> str:
        """One table in the official layout."""
        text = render_text(
            card,
            findings=findings or (),
            source=source_text(file, index),
            width=self.width,
            ambiguous_wide=self.ambiguous_wide,
            findings_only=self.findings_only,
        )
        return text + "\n\n"

    def render_refused(self, message: str) -> str:
        """The input's error under a 未读入 heading."""
        first, *rest = message.splitlines()
        lines = _fit([f"未读入 · {first}", *rest], self.width, ambiguous_wide=self.ambiguous_wide)
        return "\n".join(lines) + "\n\n"

    def end(self, summary: BatchSummary | None) -> None:
        """Write the batch summary, at the end."""
        if summary is not None:
            text = render_summary(summary, width=self.width, ambiguous_wide=self.ambiguous_wide)
            shown = f"   只列出有发现的表：{self.count} 张\n" if self.findings_only else ""
            self.out(text + "\n" + shown)


# ---------------------------------------------------------------------------------
# Tables as printed and as read (perfscore show)


def describe_cell(cell: Target | Actual) -> str:
    """How a target or actual cell was read, in a few words.

    >>> from perfscore import parse_target, parse_actual
    >>> describe_cell(parse_target("≥ 700件")), describe_cell(parse_actual("部分完成"))
    ('>=700 件', '定性「部分完成」 partial')
    >>> describe_cell(parse_target("12 个月"))
    '12 个月 (无比较符)'
    """
    if cell.kind == "quantity":
        bare = cell.op is None and type(cell).__name__ == "Target"
        return f"{cell} (无比较符)" if bare else str(cell)
    if cell.kind == "qualitative":
        tier = getattr(cell, "tier", None)
        return f"定性「{cell.phrase}」" + (f" {tier}" if tier else "")
    if cell.kind == "not-applicable":
        return "不适用"
    return "无法读取: " + cell.error.splitlines()[0]


def _figure_as_read(figure: Figure | None) -> str:
    """A figure's cell as printed, marked where it could not be read."""
    if figure is None:
        return ""
    if figure.kind == "unreadable":
        return f"{figure.text}(无法读取)"
    return figure.text


_CELL_ADDRESS: Final = re.compile(r"(?P<sheet>.+)!(?P<column>[A-Z]+)(?P<row>[0-9]+)")


def places_text(places: tuple[tuple[str, str], ...]) -> str:
    """A row's cells' places in a few characters.

    Cells of a sheet are shown as the range of the row most of them are on (a label
    merged down from a row above is left out); other places (pages, table cells) as
    the distinct ones, in order.

    >>> places_text((("label", "表2!B7"), ("initial_budget", "表2!C7"), ("score", "表2!H7")))
    '表2!B7:H7'
    >>> places_text((("level1", "表1!B16"), ("level3", "表1!D17"), ("score", "表1!H17")))
    '表1!D17:H17'
    >>> places_text((("level3", "第5页"), ("target", "第5页"), ("score", "第6页")))
    '第5页、第6页'
    """
    texts = list(dict.fromkeys(place for _, place in places))
    found = [match for text in texts if (match := _CELL_ADDRESS.fullmatch(text))]
    if len(texts) > 1 and len(found) == len(texts) and len({m["sheet"] for m in found}) == 1:
        rows = Counter(m["row"] for m in found)
        row = rows.most_common(1)[0][0]
        columns = sorted((len(m["column"]), m["column"]) for m in found if m["row"] == row)
        sheet = found[0]["sheet"]
        if len(columns) == 1:
            return f"{sheet}!{columns[0][1]}{row}"
        return f"{sheet}!{columns[0][1]}{row}:{columns[-1][1]}{row}"
    return "、".join(texts)


def render_table(
    table: Table, *, source: str = "", width: int | None = None, ambiguous_wide: bool = False
) -> str:
    """A table as text: the funds block, then every indicator row as printed and as read.

    A table read from a document shows where: its origin, and each row's cells' places
    (``表2!B13:I13``, ``第5页``). ``width`` and ``ambiguous_wide`` as for
    :func:`render_text`.

    >>> from perfscore import load
    >>> table = load("examples/changji-2023/02_wine-competition-2022.json")[0]
    >>> print(render_table(table).splitlines()[0])
    == 2022（新疆昌吉）“一带一路”国际葡萄酒大赛
    """
    width = layout_width(width)
    wide = ambiguous_wide
    lines = [f"== {table.name}" + (f"  ({source})" if source else "")]
    about = [table.kind, str(table.year) if table.year else "", table.department or ""]
    lines.append("   " + " · ".join(fact for fact in about if fact))
    if table.origin is not None:
        lines.append(f"   原件：{table.origin}")
    if table.funds:
        lines.append(f"   项目资金（{table.money_unit}）")
        rows = [["   资金", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]]
        rows += [
            [
                "   " + row.label,
                _figure_as_read(row.initial_budget),
                _figure_as_read(row.annual_budget),
                _figure_as_read(row.executed),
                _figure_as_read(row.weight),
                _figure_as_read(row.rate),
                _figure_as_read(row.score),
            ]
            + ([places_text(row.places)] if table.origin is not None else [])
            for row in table.funds
        ]
        if table.origin is not None:
            rows[0].append("位置")
        lines += _columns(rows, width=width, ambiguous_wide=wide)
    rows = [
        ["   #", "一级/二级/三级指标", "年度指标值", "读作", "实际完成值", "读作", "分值", "得分"]
    ]
    if table.origin is not None:
        rows[0].append("位置")
    for index, row in enumerate(table.indicators):
        rows.append(
            [
                f"   {index}",
                row.path,
                row.target.text,
                describe_cell(row.target),
                row.actual.text,
                describe_cell(row.actual),
                _figure_as_read(row.weight),
                _figure_as_read(row.score),
            ]
            + ([places_text(row.places)] if table.origin is not None else [])
        )
    lines += _columns(rows, width=width, ambiguous_wide=wide)
    weight_line = f"   权重合计 {table.total_weight:f}"
    if table.total is not None:
        weight_line += f" · 总分（印） {_figure_as_read(table.total)}"
    lines.append(weight_line)
    return "\n".join(_fit(lines, width, ambiguous_wide=wide))


# ---------------------------------------------------------------------------------
# Fits (perfscore fit)


def render_fit(
    result: FitResult, *, top: int = 3, width: int | None = None, ambiguous_wide: bool = False
) -> str:
    """The best candidates as text: counts, parameters, windows and residuals.

    ``width`` and ``ambiguous_wide`` as for :func:`render_text`.

    >>> from perfscore import fit, load
    >>> print(render_fit(fit(load("examples/changji-2023")), top=1).splitlines()[0])
    == 候选 1：指标行 138/142（定量 116/119） · 执行率 17/17 · 非默认参数 4 个
    """
    lines = []
    for rank, candidate in enumerate(result.candidates[:top], start=1):
        lines.append(
            f"== 候选 {rank}：指标行 {candidate.rows_reproduced}/{candidate.rows_total}"
            f"（定量 {candidate.numeric_rows_reproduced}/{candidate.numeric_rows_total}）"
            f" · 执行率 {candidate.funds_reproduced}/{candidate.funds_total}"
            f" · 非默认参数 {candidate.simplicity} 个"
        )
        lines.extend(f"   {name} = {value}" for name, value in candidate.parameters.items())
        if candidate.windows:
            lines.append("   区间（与全部数据一致的取值）：")
            lines.extend(f"     {name} ∈ {window}" for name, window in candidate.windows.items())
        if candidate.residuals:
            lines.append(f"   未复现 {len(candidate.residuals)} 处（异常）：")
            lines.extend(
                f"     {r.file} {r.where} {r.path}：印 {r.printed}，算 {r.expected or '不计分'}"
                for r in candidate.residuals
            )
        lines.append("")
    lines = _fit(lines, layout_width(width), ambiguous_wide=ambiguous_wide)
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------------------------
# Rule profiles (perfscore profiles)


def render_profiles(
    profiles: Sequence[Profile], *, width: int | None = None, ambiguous_wide: bool = False
) -> str:
    """Rule profiles, one a line: name, title and sources, in aligned columns.

    ``width`` and ``ambiguous_wide`` as for :func:`render_text`.

    >>> from perfscore import get_profile
    >>> print(render_profiles([get_profile("mof-2020")]).splitlines()[0])
    名称      说明  依据
    """
    rows = [["名称", "说明", "依据"]]
    rows += [[profile.name, profile.title, "；".join(profile.sources)] for profile in profiles]
    rows_text = _columns(rows, width=layout_width(width), ambiguous_wide=ambiguous_wide)
    return "\n".join(rows_text)

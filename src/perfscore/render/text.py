"""Everything perfscore writes as text for a terminal.

- :func:`render_text`: a scorecard in the official 自评表 layout. It follows the
  printed form: 项目名称 / 主管部门 / 实施单位, the 项目资金 block, 年度总体目标, then the
  绩效指标 rows (一级 / 二级 / 三级指标, 年度指标值, 实际完成值, 分值, 得分,
  偏差原因分析及改进措施) and 总分. perfscore adds the computed score next to the printed
  one and, for an audit, marks each row's findings and lists them below.
- :func:`render_summary`: an audit's batch summary.
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

from perfscore._text import display_width, pad
from perfscore.render._shape import (
    FUND_HEADERS,
    KIND_TITLES,
    MARKS,
    SEVERITY_WORDS,
    counted,
    differs,
    facts,
    findings_by_place,
    fund_rows,
    funds_line,
    inflation_lines,
    marked_rows,
    placed,
    source_text,
    total_line,
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
    "TextWriter",
    "render_fit",
    "render_profiles",
    "render_summary",
    "render_table",
    "render_text",
]

# Column widths (in terminal columns) beyond which text cells wrap.
_TEXT_WIDTHS: Final = (10, 12, 24, 14, 14, 6, 8, 8, 24, 26)
_GOAL_WIDTH: Final = 100


def _wrap(text: str, width: int) -> list[str]:
    """Split text into lines of at most ``width`` terminal columns."""
    return [line for line, _ in _measured_lines(text, width)]


@lru_cache(maxsize=1 << 14)
def _measured_lines(text: str, width: int) -> tuple[tuple[str, int], ...]:
    """:func:`_wrap`'s lines, each with its display width.

    A line's width is the sum of its characters', so it is counted as the line is
    made, not measured again. Cells repeat across a batch's tables (labels, targets,
    explanations), so each is wrapped once.
    """
    lines: list[tuple[str, int]] = []
    for paragraph in text.splitlines() or [""]:
        size = display_width(paragraph)
        if size <= width:  # it fits: most cells
            lines.append((paragraph, size))
            continue
        line, used = "", 0
        for char in paragraph:
            char_size = display_width(char)
            if used + char_size > width and line:
                lines.append((line, used))
                line, used = "", 0
            line += char
            used += char_size
        lines.append((line, used))
    return tuple(lines)


def _grid(headers: Sequence[str], rows: list[list[str]], widths: Sequence[int]) -> list[str]:
    """An ASCII grid whose cells wrap at their column's width, aligned by display width."""
    table = [list(headers), *rows]
    # Each cell wrapped once, at its column's widest: a column is then as wide as its
    # widest line, and wrapping again at that width would break every cell where it
    # breaks now (a line ends where the next character would pass the wider width).
    # Each line's width is known from wrapping, and pads it.
    limits = widths[: len(headers)]  # a table without the audit's column uses fewer
    cells = [
        [_measured_lines(cell, width) for cell, width in zip(row, limits, strict=True)]
        for row in table
    ]
    columns = [
        min(max(size for row in cells for _, size in row[i]), limits[i])
        for i in range(len(headers))
    ]
    rule = "+" + "+".join("-" * (width + 2) for width in columns) + "+"
    out = [rule]
    blank = ("", 0)
    for number, wrapped in enumerate(cells):
        for line in range(max(map(len, wrapped))):
            parts = []
            for cell, width in zip(wrapped, columns, strict=True):
                text, size = cell[line] if line < len(cell) else blank
                parts.append(text + " " * (width - size))
            out.append("| " + " | ".join(parts) + " |")
        if number == 0:
            out.append(rule)
    out.append(rule)
    return out


def _columns(rows: list[list[str]]) -> list[str]:
    """Rows as lines of columns aligned by display width, two spaces apart (no grid)."""
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


# ---------------------------------------------------------------------------------
# Scorecards and audits


def render_text(
    card: Scorecard,
    *,
    findings: Sequence[Finding] = (),
    source: str = "",
    explain: bool = True,
) -> str:
    """A scorecard in the official layout, for a terminal.

    Columns align by display width (a CJK character takes two columns) and long cells
    wrap. The computed score stands next to the printed one; with ``findings`` (an
    audit's) each row's are marked in a 复核 column and listed below in full. With
    ``explain`` every computation follows.
    """
    table = card.table
    places = findings_by_place(findings)
    lines = [f"{KIND_TITLES[table.kind]} · {table.name}"]
    lines.append("  ".join(f"{key}：{value}" for key, value in facts(table)[1:]) or "")
    if source:
        lines.append(f"文件：{source}")
    if table.origin is not None:
        lines.append(f"原件：{table.origin}")
    lines = [line for line in lines if line]
    if table.funds:
        lines.append(f"项目资金（{table.money_unit}）")
        lines += _grid(FUND_HEADERS, fund_rows(card), (24, 12, 12, 12, 6, 8, 8))
        funds_marks = "；".join(f"{MARKS[f.severity]} {f.id}" for f in places.get("funds", []))
        lines.append(funds_line(card) + (f"  [{funds_marks}]" if funds_marks else ""))
    if table.goal is not None:
        # Goal texts run to paragraphs: wrap them as wide as a terminal usually is.
        lines += _wrap(f"年度总体目标：{table.goal.expected or ''}", _GOAL_WIDTH)
        lines += _wrap(f"实际完成情况：{table.goal.achieved or ''}", _GOAL_WIDTH)
    headers, rows = marked_rows(card, places, marked=bool(findings), separator="\n")
    for index, row in enumerate(rows):
        if differs(card, index):
            row[7] = f"{row[7]} ≠"
    lines += _grid(headers, rows, _TEXT_WIDTHS)
    lines.append(total_line(card))
    if findings:
        lines.append("复核发现：")
        lines.extend(
            f"  [{SEVERITY_WORDS[f.severity]}] {f.id} · {f.where}{placed(f)} {f.path}：{f.message}"
            for f in findings
        )
    if explain:
        lines.append("计算过程：")
        if card.funds is not None:
            lines.append(f"  执行率：{card.funds.explanation}")
        lines.extend(f"  {item.index}. {item.path}：{item.explanation}" for item in card.items)
    return "\n".join(lines)


def render_summary(summary: BatchSummary, *, top: int = 10) -> str:
    """A batch summary as text: counts by id and severity, worst tables, inflation signs."""
    lines = [f"== 汇总：{counted(summary)}"]
    lines.append(
        "   "
        + " · ".join(
            f"{SEVERITY_WORDS[severity]} {count}" for severity, count in summary.by_severity.items()
        )
    )
    if summary.by_id:
        rows = [["   问题", "错误", "警告", "提示"]]
        rows += [
            [f"   {check}", *(str(counts.get(s, "")) for s in ("error", "warning", "info"))]
            for check, counts in summary.by_id
        ]
        lines += _columns(rows)
    if summary.ranked:
        lines.append("   错误最多的表：")
        for file, index, name, errors, warnings in summary.ranked[:top]:
            origin = f"（{file}#{index}）" if file else ""
            lines.append(f"     {errors} 错误 · {warnings} 警告  {name}{origin}")
    signs = inflation_lines(summary)
    if signs:
        lines.append(f"   自评虚高迹象：{signs[0]}")
        lines.extend(f"   {line}" for line in signs[1:])
    return "\n".join(lines)


class TextWriter(Writer):
    """The official layout for a terminal, then the batch summary."""

    def render(
        self,
        file: str | None,
        index: int,
        card: Scorecard,
        findings: Sequence[Finding] | None,
    ) -> str:
        """One table in the official layout."""
        return render_text(card, findings=findings or (), source=source_text(file, index)) + "\n\n"

    def render_refused(self, message: str) -> str:
        """The input's error under a 未读入 heading."""
        first, *rest = message.splitlines()
        return "\n".join([f"未读入 · {first}", *rest]) + "\n\n"

    def end(self, summary: BatchSummary | None) -> None:
        """Write the summary of an audit."""
        if summary is not None:
            self.out(render_summary(summary) + "\n")


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


def render_table(table: Table, *, source: str = "") -> str:
    """A table as text: the funds block, then every indicator row as printed and as read.

    A table read from a document shows where: its origin, and each row's cells' places
    (``表2!B13:I13``, ``第5页``).

    >>> from perfscore import load
    >>> table = load("examples/changji-2023/02_wine-competition-2022.json")[0]
    >>> print(render_table(table).splitlines()[0])
    == 2022（新疆昌吉）“一带一路”国际葡萄酒大赛
    """
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
        lines += _columns(rows)
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
    lines += _columns(rows)
    weight_line = f"   权重合计 {table.total_weight:f}"
    if table.total is not None:
        weight_line += f" · 总分（印） {_figure_as_read(table.total)}"
    lines.append(weight_line)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------
# Fits (perfscore fit)


def render_fit(result: FitResult, *, top: int = 3) -> str:
    """The best candidates as text: counts, parameters, windows and residuals.

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
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------------------------
# Rule profiles (perfscore profiles)


def render_profiles(profiles: Sequence[Profile]) -> str:
    """Rule profiles, one a line: name, title and sources, in aligned columns.

    >>> from perfscore import get_profile
    >>> print(render_profiles([get_profile("mof-2020")]).splitlines()[0])
    名称      说明  依据
    """
    rows = [["名称", "说明", "依据"]]
    rows += [[profile.name, profile.title, "；".join(profile.sources)] for profile in profiles]
    return "\n".join(_columns(rows))

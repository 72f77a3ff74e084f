"""Scorecards in the official 自评表 layout: text, Markdown and a standalone HTML page.

The layout follows the printed form: 项目名称 / 主管部门 / 实施单位, the 项目资金 block,
年度总体目标, then the 绩效指标 rows (一级 / 二级 / 三级指标, 年度指标值, 实际完成值, 分值,
得分, 偏差原因分析及改进措施) and 总分. perfscore adds the computed score next to the
printed one and, for an audit, marks each row's findings and lists them below.

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

import html
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from perfscore._format import percent
from perfscore._text import display_width

if TYPE_CHECKING:
    from collections.abc import Sequence
    from decimal import Decimal

    from perfscore.cells import Figure
    from perfscore.findings import Finding
    from perfscore.model import Table
    from perfscore.scoring import Scorecard

__all__ = [
    "html_head",
    "html_page",
    "html_tail",
    "plain_table_html",
    "render_html",
    "render_markdown",
    "render_text",
    "table_html",
]

_KIND_TITLES: Final = {"project": "项目支出绩效自评表", "department": "部门整体支出绩效自评表"}
_MARKS: Final = {"error": "错", "warning": "警", "info": "提"}
_SEVERITY_ORDER: Final = ("error", "warning", "info")
_SEVERITY_WORDS: Final = {"error": "错误", "warning": "警告", "info": "提示"}
_FUND_HEADERS: Final = (
    "项目资金",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "分值",
    "执行率",
    "得分",
)
_ROW_HEADERS: Final = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分(印)",
    "得分(算)",
    "偏差原因分析及改进措施",
)
# Column widths (in terminal columns) beyond which text cells wrap.
_TEXT_WIDTHS: Final = (10, 12, 24, 14, 14, 6, 8, 8, 24, 26)
_GOAL_WIDTH: Final = 100


def _num(value: Decimal | None) -> str:
    return "" if value is None else f"{value:f}"


def _fig(figure: Figure | None) -> str:
    return "" if figure is None else figure.text


def _percent(rate: Decimal | None) -> str:
    return "" if rate is None else percent(rate)


def _by_place(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    places: dict[str, list[Finding]] = {}
    for finding in findings:
        places.setdefault(finding.where, []).append(finding)
    return places


def _facts(table: Table) -> list[tuple[str, str]]:
    facts = [("项目名称" if table.kind == "project" else "单位名称", table.name)]
    if table.year is not None:
        facts.append(("年度", str(table.year)))
    if table.department:
        facts.append(("主管部门", table.department))
    if table.implementer:
        facts.append(("实施单位", table.implementer))
    return facts


def _fund_rows(card: Scorecard) -> list[list[str]]:
    return [
        [
            row.label,
            _fig(row.initial_budget),
            _fig(row.annual_budget),
            _fig(row.executed),
            _fig(row.weight),
            _fig(row.rate),
            _fig(row.score),
        ]
        for row in card.table.funds
    ]


def _indicator_rows(card: Scorecard) -> list[list[str]]:
    rows = []
    previous = ("", "")
    for item in card.items:
        row = item.indicator
        level1 = row.level1.text if row.level1.text != previous[0] else ""
        level2 = row.level2.text if (row.level1.text, row.level2.text) != previous else ""
        previous = (row.level1.text, row.level2.text)
        rows.append(
            [
                level1,
                level2,
                row.level3,
                row.target.text,
                row.actual.text,
                row.weight.text,
                _fig(row.score),
                _num(item.score) if item.score is not None else "不计分",
                row.deviation_note or "",
            ]
        )
    return rows


def _marked_rows(
    card: Scorecard, places: dict[str, list[Finding]], *, marked: bool, separator: str
) -> tuple[tuple[str, ...], list[list[str]]]:
    """The indicator rows, with a 复核 column of finding marks when ``marked``."""
    rows = _indicator_rows(card)
    if not marked:
        return _ROW_HEADERS, rows
    for index, row in enumerate(rows):
        marks = places.get(f"indicators[{index}]", [])
        row.append(separator.join(f"{_MARKS[f.severity]} {f.id}" for f in marks))
    return (*_ROW_HEADERS, "复核"), rows


def _differs(card: Scorecard, index: int) -> bool:
    item = card.items[index]
    return (
        item.score is not None
        and item.printed_score is not None
        and (item.score != item.printed_score)
    )


def _funds_line(card: Scorecard) -> str:
    funds = card.funds
    if funds is None:
        return ""
    computed = _num(funds.score) if funds.score is not None else "不计分"
    printed = "" if funds.printed_score is None else f"，印刷得分 {_num(funds.printed_score)}"
    return f"执行率 {_percent(funds.rate) or '无定义'}，得分(算) {computed}{printed}"


def _total_line(card: Scorecard) -> str:
    printed = "" if card.printed_total is None else f" · 总分(印) {_num(card.printed_total)}"
    return f"总分(算) {_num(card.total)}（{card.grade}）{printed} · 规则 {card.profile.name}"


# ---------------------------------------------------------------------------------
# Text


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
    places = _by_place(findings)
    lines = [f"{_KIND_TITLES[table.kind]} · {table.name}"]
    lines.append("  ".join(f"{key}：{value}" for key, value in _facts(table)[1:]) or "")
    if source:
        lines.append(f"文件：{source}")
    if table.origin is not None:
        lines.append(f"原件：{table.origin}")
    lines = [line for line in lines if line]
    if table.funds:
        lines.append(f"项目资金（{table.money_unit}）")
        lines += _grid(_FUND_HEADERS, _fund_rows(card), (24, 12, 12, 12, 6, 8, 8))
        funds_marks = "；".join(f"{_MARKS[f.severity]} {f.id}" for f in places.get("funds", []))
        lines.append(_funds_line(card) + (f"  [{funds_marks}]" if funds_marks else ""))
    if table.goal is not None:
        # Goal texts run to paragraphs: wrap them as wide as a terminal usually is.
        lines += _wrap(f"年度总体目标：{table.goal.expected or ''}", _GOAL_WIDTH)
        lines += _wrap(f"实际完成情况：{table.goal.achieved or ''}", _GOAL_WIDTH)
    headers, rows = _marked_rows(card, places, marked=bool(findings), separator="\n")
    for index, row in enumerate(rows):
        if _differs(card, index):
            row[7] = f"{row[7]} ≠"
    lines += _grid(headers, rows, _TEXT_WIDTHS)
    lines.append(_total_line(card))
    if findings:
        lines.append("复核发现：")
        lines.extend(
            f"  [{_SEVERITY_WORDS[f.severity]}] {f.id} · {f.where}{_at(f)} {f.path}：{f.message}"
            for f in findings
        )
    if explain:
        lines.append("计算过程：")
        if card.funds is not None:
            lines.append(f"  执行率：{card.funds.explanation}")
        lines.extend(f"  {item.index}. {item.path}：{item.explanation}" for item in card.items)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------
# Markdown


def _md(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", "<br>")


def _md_table(headers: Sequence[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(_md(h) for h in headers) + " |"]
    out.append("|" + "|".join(" --- " for _ in headers) + "|")
    out.extend("| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows)
    return out


def render_markdown(card: Scorecard, *, findings: Sequence[Finding] = (), source: str = "") -> str:
    """A scorecard in the official layout as Markdown (GitHub tables)."""
    table = card.table
    places = _by_place(findings)
    lines = [f"## {_md(_KIND_TITLES[table.kind])}：{_md(table.name)}", ""]
    lines += [f"- {key}：{_md(value)}" for key, value in _facts(table)[1:]]
    if source:
        lines.append(f"- 文件：`{source}`")
    if table.origin is not None:
        lines.append(f"- 原件：{_md(str(table.origin))}")
    lines.append(f"- 规则：`{card.profile.name}`")
    lines.append("")
    if table.funds:
        lines.append(f"**项目资金（{_md(table.money_unit)}）**")
        lines.append("")
        lines += _md_table(_FUND_HEADERS, _fund_rows(card))
        lines += ["", _md(_funds_line(card)), ""]
    if table.goal is not None:
        lines += [
            f"**年度总体目标**：{_md(table.goal.expected or '')}",
            "",
            f"**实际完成情况**：{_md(table.goal.achieved or '')}",
            "",
        ]
    headers, rows = _marked_rows(card, places, marked=bool(findings), separator="；")
    for index, row in enumerate(rows):
        if _differs(card, index):
            row[7] = f"**{row[7]}**"
    lines += _md_table(headers, rows)
    lines += ["", f"**{_md(_total_line(card))}**", ""]
    if findings:
        lines.append("**复核发现**")
        lines.append("")
        lines += [
            f"- {_SEVERITY_WORDS[f.severity]} `{f.id}` · {f.where}{_md(_at(f))} {_md(f.path)}："
            f"{_md(f.message)}"
            for f in findings
        ]
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------
# HTML

_PAGE_STYLE: Final = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;
margin:2em;color:#111}
h1{font-size:1.4em}h2{font-size:1.2em;margin-top:2em}
table.perfscore{border-collapse:collapse;margin:.6em 0;font-size:.9em}
.perfscore th,.perfscore td{border:1px solid #888;padding:3px 6px;vertical-align:top;
text-align:left}
.perfscore th{background:#eee}.perfscore td.num{text-align:right;white-space:nowrap}
.perfscore tr.error td{background:#fde2e2}.perfscore tr.warning td{background:#fff4d6}
.perfscore td.diff{font-weight:bold;color:#b00020}
.findings li.error{color:#b00020}.findings li.warning{color:#8a5a00}
.facts{color:#333}.why{color:#555;font-size:.85em}
section.table{page-break-after:always}
@media print{body{margin:0}section.table{page-break-inside:avoid}}
"""


def _td(text: str, css: str = "", attributes: str = "") -> str:
    classes = f' class="{css}"' if css else ""
    return f"<td{classes}{attributes}>{html.escape(text)}</td>"


def _run_lengths(keys: list[tuple[str, ...]]) -> list[int]:
    """For each row, how many rows its merged cell spans (0: merged into the one above)."""
    spans = [0] * len(keys)
    start = 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            spans[start] = index - start
            start = index
    return spans


def _spans(card: Scorecard) -> list[tuple[int, int]]:
    rows = [item.indicator for item in card.items]
    level1 = _run_lengths([(row.level1.text,) for row in rows])
    level2 = _run_lengths([(row.level1.text, row.level2.text) for row in rows])
    return list(zip(level1, level2, strict=True))


def _html_funds(card: Scorecard, places: dict[str, list[Finding]]) -> str:
    table = card.table
    if not table.funds:
        return ""
    head = "".join(f"<th>{header}</th>" for header in _FUND_HEADERS)
    rows = "".join(
        "<tr>" + _td(row[0]) + "".join(_td(cell, "num") for cell in row[1:]) + "</tr>"
        for row in _fund_rows(card)
    )
    marks = "；".join(f"{_MARKS[f.severity]} {f.id}" for f in places.get("funds", []))
    line = _funds_line(card) + (f"  [{marks}]" if marks else "")
    return (
        f"<p>项目资金（{html.escape(table.money_unit)}）</p>"
        f'<table class="perfscore"><tr>{head}</tr>{rows}</table><p>{html.escape(line)}</p>'
    )


def _html_marks(marks: Sequence[Finding]) -> str:
    return "<br>".join(
        f'<span title="{html.escape(f.message)}">{_MARKS[f.severity]} {html.escape(f.id)}</span>'
        for f in marks
    )


def _html_rows(card: Scorecard, places: dict[str, list[Finding]], *, marked: bool) -> str:
    headers = [*_ROW_HEADERS, "复核"] if marked else list(_ROW_HEADERS)
    parts = ['<table class="perfscore"><tr>' + "".join(f"<th>{h}</th>" for h in headers) + "</tr>"]
    for item, (span1, span2) in zip(card.items, _spans(card), strict=True):
        row = item.indicator
        marks = places.get(f"indicators[{item.index}]", [])
        worst = min((f.severity for f in marks), key=_SEVERITY_ORDER.index, default="info")
        cells = ""
        if span1:
            cells += _td(row.level1.text, attributes=f' rowspan="{span1}"' if span1 > 1 else "")
        if span2:
            cells += _td(row.level2.text, attributes=f' rowspan="{span2}"' if span2 > 1 else "")
        computed = _num(item.score) if item.score is not None else "不计分"
        css = "num diff" if _differs(card, item.index) else "num"
        cells += (
            _td(row.level3)
            + _td(row.target.text)
            + _td(row.actual.text)
            + _td(row.weight.text, "num")
            + _td(_fig(row.score), "num")
            + _td(computed, css, f' title="{html.escape(item.explanation)}"')
            + _td(row.deviation_note or "")
        )
        if marked:
            cells += f"<td>{_html_marks(marks)}</td>"
        row_class = f' class="{worst}"' if worst != "info" else ""
        parts.append(f"<tr{row_class}>{cells}</tr>")
    parts.append("</table>")
    return "".join(parts)


def _at(finding: Finding) -> str:
    """Where in the original document a finding's cell was printed, in brackets."""
    return f"（{finding.place}）" if finding.place else ""


def _html_findings(findings: Sequence[Finding]) -> str:
    if not findings:
        return ""
    items = "".join(
        f'<li class="{f.severity}">{_SEVERITY_WORDS[f.severity]} '
        f"<code>{html.escape(f.id)}</code> · {html.escape(f.where + _at(f))} "
        f"{html.escape(f.path)}："
        f"{html.escape(f.message)}</li>"
        for f in findings
    )
    return f'<h3>复核发现</h3><ul class="findings">{items}</ul>'


def _html_explanations(card: Scorecard) -> str:
    explanations = "".join(
        f"<li>{item.index}. {html.escape(item.path)}：{html.escape(item.explanation)}</li>"
        for item in card.items
    )
    funds = f"<li>执行率：{html.escape(card.funds.explanation)}</li>" if card.funds else ""
    return (
        f'<details><summary>计算过程</summary><ol class="why">{funds}{explanations}</ol></details>'
    )


def table_html(card: Scorecard, *, findings: Sequence[Finding] = (), source: str = "") -> str:
    """One scorecard as an HTML ``<section>`` in the official layout (no page around it)."""
    table = card.table
    places = _by_place(findings)
    facts = " · ".join(f"{key}：{html.escape(value)}" for key, value in _facts(table)[1:])
    origin = f" · 文件：{html.escape(source)}" if source else ""
    if table.origin is not None:
        origin += f" · 原件：{html.escape(str(table.origin))}"
    goal = ""
    if table.goal is not None:
        goal = (
            '<table class="perfscore"><tr><th>年度总体目标</th><th>实际完成情况</th></tr>'
            f"<tr>{_td(table.goal.expected or '')}{_td(table.goal.achieved or '')}</tr></table>"
        )
    return (
        f'<section class="table"><h2>{html.escape(_KIND_TITLES[table.kind])}：'
        f"{html.escape(table.name)}</h2>"
        f'<p class="facts">{facts}{origin} · 规则：{html.escape(card.profile.name)}</p>'
        + _html_funds(card, places)
        + goal
        + _html_rows(card, places, marked=bool(findings))
        + f"<p><b>{html.escape(_total_line(card))}</b></p>"
        + _html_findings(findings)
        + _html_explanations(card)
        + "</section>"
    )


def html_head(title: str) -> str:
    """The start of a standalone page, up to and including its ``<h1>``."""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_PAGE_STYLE}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>\n"
    )


def html_tail() -> str:
    """The end of a standalone page."""
    return "</body></html>\n"


def html_page(title: str, body: str) -> str:
    """A standalone HTML page: inline CSS, no external assets, printable."""
    return html_head(title) + body + html_tail()


def render_html(card: Scorecard, *, findings: Sequence[Finding] = (), source: str = "") -> str:
    """One scorecard as a standalone HTML page."""
    title = f"perfscore · {card.table.name} · {card.profile.name}"
    return html_page(title, table_html(card, findings=findings, source=source))


def plain_table_html(table: Table) -> str:
    """A table as printed, as HTML (for notebooks): funds, goal and rows, no scoring."""
    funds = ""
    if table.funds:
        head = "".join(f"<th>{header}</th>" for header in _FUND_HEADERS)
        rows = "".join(
            "<tr>"
            + _td(row.label)
            + "".join(
                _td(_fig(cell), "num")
                for cell in (
                    row.initial_budget,
                    row.annual_budget,
                    row.executed,
                    row.weight,
                    row.rate,
                    row.score,
                )
            )
            + "</tr>"
            for row in table.funds
        )
        funds = f'<table class="perfscore"><tr>{head}</tr>{rows}</table>'
    headers = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")
    head = "".join(f"<th>{header}</th>" for header in headers)
    rows = "".join(
        "<tr>"
        + _td(row.level1.text)
        + _td(row.level2.text)
        + _td(row.level3)
        + _td(row.target.text)
        + _td(row.actual.text)
        + _td(row.weight.text, "num")
        + _td(_fig(row.score), "num")
        + "</tr>"
        for row in table.indicators
    )
    total = "" if table.total is None else f"<p>总分：{html.escape(table.total.text)}</p>"
    return (
        f"<style>{_PAGE_STYLE}</style><p><b>{html.escape(table.name)}</b></p>{funds}"
        f'<table class="perfscore"><tr>{head}</tr>{rows}</table>{total}'
    )

"""Scorecards, audits, batch summaries and tables as HTML.

A scorecard is a ``<section>`` in the official layout (:func:`table_html`): level-1
and level-2 labels merged over their rows as printed, rows with errors or warnings
highlighted, each computed score's explanation as its tooltip. :func:`html_page` puts
a body in a standalone page (inline CSS, no external assets, printable), and
:class:`HtmlWriter` writes a batch as one such page. :func:`plain_table_html` shows a
table as printed, for notebooks; :func:`notebook_html` wraps what a value shows in a
notebook with its own style, scoped to the wrapper.

>>> from perfscore import audit, load
>>> report = audit(load("examples/changji-2023/12_industrial-internet-study.json")[0],
...                profile="changji-2023")
>>> section = table_html(report.scorecard, findings=report.findings)
>>> section[:60]
'<section class="table"><h2>项目支出绩效自评表：昌吉州工业互联网发展路径分析研究项目</h2>'
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Final

from perfscore.render._shape import (
    FUND_HEADERS,
    KIND_TITLES,
    MARKS,
    ROW_HEADERS,
    SEVERITY_WORDS,
    counted,
    differs,
    facts,
    figure_text,
    findings_by_place,
    fund_rows,
    funds_line,
    inflation_lines,
    number_text,
    placed,
    source_text,
    summary_rows,
    total_line,
)
from perfscore.render.writer import Writer

if TYPE_CHECKING:
    from collections.abc import Sequence

    from perfscore.audit import BatchSummary
    from perfscore.findings import Finding
    from perfscore.model import Table
    from perfscore.scoring import Scorecard

__all__ = [
    "NOTEBOOK_SCOPE",
    "HtmlWriter",
    "html_page",
    "notebook_html",
    "plain_table_html",
    "render_html",
    "summary_html",
    "table_html",
]

_SEVERITY_ORDER: Final = ("error", "warning", "info")

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


NOTEBOOK_SCOPE: Final = "perfscore-repr"
"""The class of the element that wraps a value's HTML in a notebook (``_repr_html_``)."""

# The page's rules for what a value's HTML holds, each selector under the wrapper, so
# that the highlighting shows in Jupyter (which keeps a <style> in an output) and
# nothing reaches the notebook's own page: no body, heading or list rule.
_NOTEBOOK_STYLE: Final = """
.perfscore-repr{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",
sans-serif;color:#111}
.perfscore-repr h2{font-size:1.2em;margin:.6em 0}
.perfscore-repr table.perfscore{border-collapse:collapse;margin:.6em 0;font-size:.9em}
.perfscore-repr .perfscore th,.perfscore-repr .perfscore td{border:1px solid #888;
padding:3px 6px;vertical-align:top;text-align:left}
.perfscore-repr .perfscore th{background:#eee}
.perfscore-repr .perfscore td.num{text-align:right;white-space:nowrap}
.perfscore-repr .perfscore tr.error td{background:#fde2e2}
.perfscore-repr .perfscore tr.warning td{background:#fff4d6}
.perfscore-repr .perfscore td.diff{font-weight:bold;color:#b00020}
.perfscore-repr .findings li.error{color:#b00020}
.perfscore-repr .findings li.warning{color:#8a5a00}
.perfscore-repr .facts{color:#333}.perfscore-repr .why{color:#555;font-size:.85em}
"""


def notebook_html(body: str) -> str:
    """A value's HTML for a notebook: wrapped, with its own style scoped to the wrapper.

    >>> notebook_html("<p>x</p>").startswith('<div class="perfscore-repr"><style>')
    True
    """
    return f'<div class="{NOTEBOOK_SCOPE}"><style>{_NOTEBOOK_STYLE}</style>{body}</div>'


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
    head = "".join(f"<th>{header}</th>" for header in FUND_HEADERS)
    rows = "".join(
        "<tr>" + _td(row[0]) + "".join(_td(cell, "num") for cell in row[1:]) + "</tr>"
        for row in fund_rows(card)
    )
    marks = "；".join(f"{MARKS[f.severity]} {f.id}" for f in places.get("funds", []))
    line = funds_line(card) + (f"  [{marks}]" if marks else "")
    return (
        f"<p>项目资金（{html.escape(table.money_unit)}）</p>"
        f'<table class="perfscore"><tr>{head}</tr>{rows}</table><p>{html.escape(line)}</p>'
    )


def _html_marks(marks: Sequence[Finding]) -> str:
    return "<br>".join(
        f'<span title="{html.escape(f.message)}">{MARKS[f.severity]} {html.escape(f.id)}</span>'
        for f in marks
    )


def _html_rows(card: Scorecard, places: dict[str, list[Finding]], *, marked: bool) -> str:
    headers = [*ROW_HEADERS, "复核"] if marked else list(ROW_HEADERS)
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
        computed = number_text(item.score) if item.score is not None else "不计分"
        css = "num diff" if differs(card, item.index) else "num"
        cells += (
            _td(row.level3)
            + _td(row.target.text)
            + _td(row.actual.text)
            + _td(row.weight.text, "num")
            + _td(figure_text(row.score), "num")
            + _td(computed, css, f' title="{html.escape(item.explanation)}"')
            + _td(row.deviation_note or "")
        )
        if marked:
            cells += f"<td>{_html_marks(marks)}</td>"
        row_class = f' class="{worst}"' if worst != "info" else ""
        parts.append(f"<tr{row_class}>{cells}</tr>")
    parts.append("</table>")
    return "".join(parts)


def _html_findings(findings: Sequence[Finding]) -> str:
    if not findings:
        return ""
    items = "".join(
        f'<li class="{f.severity}">{SEVERITY_WORDS[f.severity]} '
        f"<code>{html.escape(f.id)}</code> · {html.escape(f.where + placed(f))} "
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
    places = findings_by_place(findings)
    shown = " · ".join(f"{key}：{html.escape(value)}" for key, value in facts(table)[1:])
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
        f'<section class="table"><h2>{html.escape(KIND_TITLES[table.kind])}：'
        f"{html.escape(table.name)}</h2>"
        f'<p class="facts">{shown}{origin} · 规则：{html.escape(card.profile.name)}</p>'
        + _html_funds(card, places)
        + goal
        + _html_rows(card, places, marked=bool(findings))
        + f"<p><b>{html.escape(total_line(card))}</b></p>"
        + _html_findings(findings)
        + _html_explanations(card)
        + "</section>"
    )


def _html_head(title: str) -> str:
    """The start of a standalone page, up to and including its ``<h1>``."""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_PAGE_STYLE}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>\n"
    )


def _html_tail() -> str:
    """The end of a standalone page."""
    return "</body></html>\n"


def html_page(title: str, body: str) -> str:
    r"""A standalone HTML page: inline CSS, no external assets, printable.

    >>> html_page("报告", "<p>正文</p>").endswith("<h1>报告</h1>\n<p>正文</p></body></html>\n")
    True
    """
    return _html_head(title) + body + _html_tail()


def render_html(card: Scorecard, *, findings: Sequence[Finding] = (), source: str = "") -> str:
    """One scorecard as a standalone HTML page."""
    title = f"perfscore · {card.table.name} · {card.profile.name}"
    return html_page(title, table_html(card, findings=findings, source=source))


def plain_table_html(table: Table) -> str:
    """A table as printed, as HTML (for notebooks): funds, goal and rows, no scoring."""
    funds = ""
    if table.funds:
        head = "".join(f"<th>{header}</th>" for header in FUND_HEADERS)
        rows = "".join(
            "<tr>"
            + _td(row.label)
            + "".join(
                _td(figure_text(cell), "num")
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
        + _td(figure_text(row.score), "num")
        + "</tr>"
        for row in table.indicators
    )
    total = "" if table.total is None else f"<p>总分：{html.escape(table.total.text)}</p>"
    return (
        f"<p><b>{html.escape(table.name)}</b></p>{funds}"
        f'<table class="perfscore"><tr>{head}</tr>{rows}</table>{total}'
    )


def summary_html(summary: BatchSummary, *, top: int = 10) -> str:
    """A batch summary as an HTML ``<section>``."""
    counts = " · ".join(f"{SEVERITY_WORDS[s]} {count}" for s, count in summary.by_severity.items())
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
        for row in summary_rows(summary)
    )
    ranked = "".join(
        f"<li>{errors} 错误 · {warnings} 警告 {html.escape(name)}"
        + (f"（{html.escape(file)}#{index}）" if file else "")
        + "</li>"
        for file, index, name, errors, warnings in summary.ranked[:top]
    )
    signs = "".join(f"<li>{html.escape(line)}</li>" for line in inflation_lines(summary))
    return (
        f'<section class="summary"><h2>汇总：{counted(summary)}</h2><p>{counts}</p>'
        '<table class="perfscore"><tr><th>问题</th><th>错误</th><th>警告</th><th>提示</th></tr>'
        f"{rows}</table><ol>{ranked}</ol><p>自评虚高迹象：</p><ul>{signs}</ul></section>"
    )


class HtmlWriter(Writer):
    """One standalone page: a section per table, then the summary."""

    def begin(self) -> None:
        """Write the page's head."""
        self.out(_html_head(f"perfscore {self.command} · 规则 {self.profile_name}"))

    def render(
        self,
        file: str | None,
        index: int,
        card: Scorecard,
        findings: Sequence[Finding] | None,
    ) -> str:
        """One table as a section."""
        return table_html(card, findings=findings or (), source=source_text(file, index)) + "\n"

    def render_refused(self, message: str) -> str:
        """The input's error as a section."""
        first, *rest = message.splitlines()
        body = f"<pre>{html.escape(chr(10).join(rest))}</pre>" if rest else ""
        return (
            f'<section class="refused"><h2>未读入</h2><p>{html.escape(first)}</p>{body}</section>\n'
        )

    def end(self, summary: BatchSummary | None) -> None:
        """Write the summary and close the page."""
        if summary is not None:
            self.out(summary_html(summary))
        self.out(_html_tail())

"""Scorecards, audits, batch summaries and tables as HTML.

A scorecard is a ``<section>`` in the official layout (:func:`table_html`): level-1
and level-2 labels merged over their rows as printed, rows with errors or warnings
highlighted, each computed score's explanation as its tooltip, every computed figure
that differs from the printed one highlighted (class ``diff``) and marked ``≠``.
:func:`html_page` puts a body in a standalone page (inline CSS, no external assets,
printable), and :class:`HtmlWriter` writes a batch as one such page: the batch
summary first (:func:`summary_html`, with its charts as inline SVG and links to the
tables), then a list of the tables, then the tables. :func:`plain_table_html` shows a
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
import shutil
import tempfile
from typing import IO, TYPE_CHECKING, Final

from perfscore.render._charts import findings_bars, gap_histogram, grade_bars, totals_scatter
from perfscore.render._shape import (
    DIFF_MARK,
    FUND_HEADERS,
    GAP_HEADERS,
    KIND_TITLES,
    MARKS,
    RANKED_TITLE,
    ROW_HEADERS,
    SEVERITY_WORDS,
    SUMMARY_HEADERS,
    anchor,
    check_title,
    computed_text,
    concerned,
    counted,
    differs,
    facts,
    figure_text,
    findings_by_place,
    fund_rows,
    funds_differ,
    funds_line,
    gap_rows,
    grades_line,
    inflation_lines,
    number_text,
    placed,
    run_lengths,
    source_text,
    summary_rows,
    titled,
    total_differs,
    total_line,
    totals_line,
)
from perfscore.render.writer import Writer

if TYPE_CHECKING:
    from collections.abc import Container, Sequence

    from perfscore.audit import BatchSummary
    from perfscore.errors import PerfscoreError
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
.perfscore td.diff,p.diff{font-weight:bold;color:#b00020;background:#ffe3e3}
.findings li.error{color:#b00020}.findings li.warning{color:#8a5a00}
.facts{color:#333}.why{color:#555;font-size:.85em}
section.table{page-break-after:always}
@media print{body{margin:0}section.table{page-break-inside:avoid}}
"""

# The batch report's own parts: the summary, its charts and the list of tables.
_REPORT_STYLE: Final = """
.summary .charts{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}
.summary figure{margin:0;border:1px solid #ccc;padding:4px}
.summary figcaption{font-size:.85em;color:#555;max-width:460px}
table.toc td.num,table.gaps td.num{text-align:right;white-space:nowrap}
table.toc th,table.toc td:last-child{white-space:nowrap}
section.summary{page-break-after:always}
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
.perfscore-repr .perfscore td.diff,.perfscore-repr p.diff{font-weight:bold;color:#b00020;
background:#ffe3e3}
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


def _spans(card: Scorecard, shown: Sequence[int]) -> list[tuple[int, int]]:
    rows = [card.items[index].indicator for index in shown]
    level1 = run_lengths([(row.level1.text,) for row in rows])
    level2 = run_lengths([(row.level1.text, row.level2.text) for row in rows])
    return list(zip(level1, level2, strict=True))


def _html_funds(card: Scorecard, places: dict[str, list[Finding]]) -> str:
    table = card.table
    if not table.funds:
        return ""
    head = "".join(f"<th>{header}</th>" for header in FUND_HEADERS)
    differ = funds_differ(card)
    # The printed 得分 that differs from the computed one: the total row's.
    scored = table.total_fund_row if differ else None
    rows = "".join(
        "<tr>"
        + _td(cells[0])
        + "".join(_td(cell, "num") for cell in cells[1:-1])
        + _td(cells[-1], "num diff" if row is scored else "num")
        + "</tr>"
        for row, cells in zip(table.funds, fund_rows(card), strict=True)
    )
    marks = "；".join(f"{MARKS[f.severity]} {f.id}" for f in places.get("funds", []))
    line = funds_line(card) + (f"  [{marks}]" if marks else "")
    css = ' class="diff"' if differ else ""
    return (
        f"<p>项目资金（{html.escape(table.money_unit)}）</p>"
        f'<table class="perfscore"><tr>{head}</tr>{rows}</table><p{css}>{html.escape(line)}</p>'
    )


def _html_marks(marks: Sequence[Finding]) -> str:
    return "<br>".join(
        f'<span title="{html.escape(titled(f.id))}：{html.escape(f.message)}">'
        f"{MARKS[f.severity]} {html.escape(f.id)}</span>"
        for f in marks
    )


def _html_rows(
    card: Scorecard,
    places: dict[str, list[Finding]],
    *,
    marked: bool,
    shown: Sequence[int] | None = None,
) -> str:
    headers = [*ROW_HEADERS, "复核"] if marked else list(ROW_HEADERS)
    parts = ['<table class="perfscore"><tr>' + "".join(f"<th>{h}</th>" for h in headers) + "</tr>"]
    shown = range(len(card.items)) if shown is None else shown
    for index, (span1, span2) in zip(shown, _spans(card, shown), strict=True):
        item = card.items[index]
        row = item.indicator
        marks = places.get(f"indicators[{item.index}]", [])
        worst = min((f.severity for f in marks), key=_SEVERITY_ORDER.index, default="info")
        cells = ""
        if span1:
            cells += _td(row.level1.text, attributes=f' rowspan="{span1}"' if span1 > 1 else "")
        if span2:
            cells += _td(row.level2.text, attributes=f' rowspan="{span2}"' if span2 > 1 else "")
        computed = computed_text(card, index)
        css = "num diff" if differs(card, index) else "num"
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
        f"<code>{html.escape(f.id)}</code>（{html.escape(check_title(f.id))}） · "
        f"{html.escape(f.where + placed(f))} "
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


def table_html(
    card: Scorecard,
    *,
    findings: Sequence[Finding] = (),
    source: str = "",
    findings_only: bool = False,
    anchor: str = "",
) -> str:
    """One scorecard as an HTML ``<section>`` in the official layout (no page around it).

    With ``findings_only`` the table is cut to its identity, the funds block and rows
    its findings concern, its totals and its findings; ``anchor`` is the section's
    ``id``.
    """
    table = card.table
    places = findings_by_place(findings)
    shown = concerned(card, places) if findings_only else None
    facts_line = " · ".join(f"{key}：{html.escape(value)}" for key, value in facts(table)[1:])
    origin = f" · 文件：{html.escape(source)}" if source else ""
    if table.origin is not None:
        origin += f" · 原件：{html.escape(str(table.origin))}"
    goal = ""
    if table.goal is not None and not findings_only:
        goal = (
            '<table class="perfscore"><tr><th>年度总体目标</th><th>实际完成情况</th></tr>'
            f"<tr>{_td(table.goal.expected or '')}{_td(table.goal.achieved or '')}</tr></table>"
        )
    identity = f' id="{anchor}"' if anchor else ""
    funds = "" if findings_only and "funds" not in places else _html_funds(card, places)
    rows = "" if shown == [] else _html_rows(card, places, marked=bool(findings), shown=shown)
    total_css = ' class="diff"' if total_differs(card) else ""
    return (
        f'<section class="table"{identity}><h2>{html.escape(KIND_TITLES[table.kind])}：'
        f"{html.escape(table.name)}</h2>"
        f'<p class="facts">{facts_line}{origin} · 规则：{html.escape(card.profile.name)}</p>'
        + funds
        + goal
        + rows
        + f"<p{total_css}><b>{html.escape(total_line(card))}</b></p>"
        + _html_findings(findings)
        + ("" if findings_only else _html_explanations(card))
        + "</section>"
    )


def _html_head(title: str) -> str:
    """The start of a standalone page, up to and including its ``<h1>``."""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_PAGE_STYLE}{_REPORT_STYLE}</style></head>"
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


def _link(name: str, file: str | None, index: int, shown: Container[str] | None) -> str:
    """A table's name, linked to its section when the page holds it."""
    target = anchor(file, index)
    text = html.escape(name)
    if shown is not None and target not in shown:
        return text
    return f'<a href="#{target}">{text}</a>'


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{html.escape(caption)}</figcaption></figure>"


def summary_charts(summary: BatchSummary) -> str:
    """The summary's charts, each an inline SVG in a ``<figure>``.

    Printed against computed totals and the distribution of their gap (when some
    table prints a total), findings by id (for an audit with findings) and grades.
    """
    figures = []
    if summary.points:
        figures.append(
            _figure(
                totals_scatter(summary.points),
                "每个点是一组（计算总分，印刷总分），点越大表越多；虚线上的点两者一致。"
                "悬停可见数值。",
            )
        )
        figures.append(
            _figure(gap_histogram(summary.points), "印刷总分减计算总分：0 为一致，正数为印刷偏高。")
        )
    if summary.by_id:
        titles = {check: check_title(check) for check, _ in summary.by_id}
        figures.append(
            _figure(findings_bars(summary.by_id, titles), "每个问题的发现数，按严重程度分色。")
        )
    if summary.grades:
        figures.append(_figure(grade_bars(summary.grades), "按计算总分评定的等级。"))
    return f'<div class="charts">{"".join(figures)}</div>' if figures else ""


def summary_html(
    summary: BatchSummary, *, top: int = 10, shown: Container[str] | None = None
) -> str:
    """A batch summary as an HTML ``<section>``, with its charts.

    The tables it names link to their sections (``shown``: the anchors the page
    holds; every table by default).
    """
    parts = [f'<section class="summary" id="summary"><h2>汇总：{counted(summary)}</h2>']
    if summary.audited:
        counts = " · ".join(
            f"{SEVERITY_WORDS[s]} {count}" for s, count in summary.by_severity.items()
        )
        parts.append(f"<p>{counts}</p>")
    if not summary.tables:
        return "".join(parts) + "</section>\n"
    parts.append(f"<p>{html.escape(totals_line(summary))}</p>")
    parts.append(f"<p>{html.escape(grades_line(summary))}</p>")
    parts.append(summary_charts(summary))
    gaps = gap_rows(summary, top=top)
    if gaps:
        head = "".join(f"<th>{header}</th>" for header in GAP_HEADERS)
        rows = "".join(
            '<tr class="differ">'
            + "".join(
                _td(cell, "num diff" if at != 1 else "num") for at, cell in enumerate(cells[:4])
            )
            + f"<td>{_link(cells[4], file, index, shown)}</td></tr>"
            for cells, file, index in gaps
        )
        parts.append(
            f'<h3>总分不一致的表</h3><table class="perfscore gaps"><tr>{head}</tr>{rows}</table>'
        )
    if summary.by_id:
        head = "".join(f"<th>{header}</th>" for header in SUMMARY_HEADERS)
        rows = "".join(
            "<tr>"
            f"<td><code>{html.escape(row[0])}</code></td>"
            + "".join(_td(cell, "num") for cell in row[1:4])
            + _td(row[4])
            + "</tr>"
            for row in summary_rows(summary)
        )
        parts.append(
            f'<h3>发现（按问题）</h3><table class="perfscore"><tr>{head}</tr>{rows}</table>'
        )
    if summary.ranked:
        ranked = "".join(
            f"<li>{errors} 错误 · {warnings} 警告 {_link(name, file, index, shown)}"
            + (f"（{html.escape(source_text(file, index))}）" if file else "")
            + "</li>"
            for file, index, name, errors, warnings in summary.ranked[:top]
        )
        parts.append(f"<h3>{RANKED_TITLE}</h3><ol>{ranked}</ol>")
    signs = "".join(f"<li>{html.escape(line)}</li>" for line in inflation_lines(summary))
    if signs:
        parts.append(f"<p>自评虚高迹象：</p><ul>{signs}</ul>")
    parts.append("</section>\n")
    return "".join(parts)


# Above this many tables, the list of tables starts folded.
_OPEN_LIST: Final = 100


class HtmlWriter(Writer):
    """One standalone page: the batch summary, a list of the tables, then a section per table.

    The summary is known only once every table has been seen, and goes first: the
    list and the sections wait in temporary files (in memory up to a few megabytes,
    on disk beyond), so a batch of any size is written in bounded memory.
    """

    def setup(self) -> None:
        """No spools yet, no anchors."""
        # Made on the first table kept: a worker's writer only renders.
        self.spools: tuple[IO[str], IO[str]] | None = None
        self.anchors: set[str] = set()

    def _spools(self) -> tuple[IO[str], IO[str]]:
        """The list of tables and the sections so far, waiting for the summary."""
        if self.spools is None:
            self.spools = (_spool(), _spool())
        return self.spools

    def render_table(
        self,
        file: str | None,
        index: int,
        card: Scorecard,
        findings: Sequence[Finding] | None,
    ) -> str:
        """One table: its anchor, its row in the list of tables (a line each), its section."""
        target = anchor(file, index)
        section = table_html(
            card,
            findings=findings or (),
            source=source_text(file, index),
            findings_only=self.findings_only,
            anchor=target,
        )
        return f"{target}\n{_list_row(card, findings, target, file, index)}\n{section}\n"

    def write(self, rendered: str) -> None:
        """Keep one table's row and section until the summary is written."""
        if not rendered:
            return
        target, row, section = rendered.split("\n", 2)
        rows, sections = self._spools()
        self.count += 1
        self.anchors.add(target)
        rows.write(f'<tr><td class="num">{self.count}</td>{row}</tr>\n')
        sections.write(section)

    def render_refused(self, message: str) -> str:
        """The input's error as a section."""
        first, *rest = message.splitlines()
        body = f"<pre>{html.escape(chr(10).join(rest))}</pre>" if rest else ""
        return (
            f'<section class="refused"><h2>未读入</h2><p>{html.escape(first)}</p>{body}</section>\n'
        )

    def refused(self, error: PerfscoreError) -> None:
        """Keep the refused input's section in its place among the tables."""
        self._spools()[1].write(self.render_refused(str(error)))

    def end(self, summary: BatchSummary | None) -> None:
        """Write the page: the summary, the list of tables, the sections."""
        self.out(_html_head(f"perfscore {self.command} · 规则 {self.profile_name}"))
        if summary is not None:
            self.out(summary_html(summary, shown=self.anchors))
        rows, sections = self._spools()
        if self.count:
            opened = " open" if self.count <= _OPEN_LIST else ""
            what = "有发现的表" if self.findings_only else "表"
            findings = "<th>发现</th>" if self.command == "audit" else ""
            self.out(
                f'<details class="tables"{opened}><summary>{what}：{self.count} 张</summary>'
                '<table class="perfscore toc"><tr><th>#</th><th>表</th><th>文件</th>'
                f"<th>总分(印)</th><th>总分(算)</th><th>等级</th>{findings}</tr>\n"
            )
            self._copy(rows)
            self.out("</table></details>\n")
        self._copy(sections)
        self.spools = None
        self.out(_html_tail())

    def _copy(self, spool: IO[str]) -> None:
        spool.seek(0)
        if self.stream is not None:
            shutil.copyfileobj(spool, self.stream)
        spool.close()


_SPOOL: Final = 8 << 20  # characters kept in memory before a temporary file takes over


def _spool() -> IO[str]:
    """Text kept in memory up to :data:`_SPOOL` characters, in a temporary file beyond."""
    return tempfile.SpooledTemporaryFile(max_size=_SPOOL, mode="w+", encoding="utf-8")


def _list_row(
    card: Scorecard,
    findings: Sequence[Finding] | None,
    target: str,
    file: str | None,
    index: int,
) -> str:
    """A table's cells in the list of tables, on one line (after its number)."""
    printed = number_text(card.printed_total)
    computed = number_text(card.total)
    differ = total_differs(card)
    cells = (
        f'<td><a href="#{target}">{html.escape(card.table.name)}</a></td>'
        f"<td>{html.escape(source_text(file, index))}</td>"
        + _td(printed, "num diff" if differ else "num")
        + _td(f"{computed} {DIFF_MARK}" if differ else computed, "num diff" if differ else "num")
        + _td(card.grade)
    )
    if findings is not None:
        counts = dict.fromkeys(_SEVERITY_ORDER, 0)
        for finding in findings:
            counts[finding.severity] += 1
        cells += _td(" · ".join(f"{SEVERITY_WORDS[s]} {n}" for s, n in counts.items() if n) or "—")
    # One line: a name or a file name may hold line breaks.
    return cells.replace("\n", "&#10;").replace("\r", "&#13;")

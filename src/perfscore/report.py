"""Scorecards as reports: the ``perfscore.report/1`` JSON document, text and HTML.

The JSON layout is a contract with other tools (see ``docs/report-format.md``): every
number is a string holding an exact decimal, absent values are ``null``, items are in
input order.

>>> from perfscore import load, score
>>> card = score(load("examples/changji-2023/02_wine-competition-2022.json")[0],
...              profile="changji-2023")
>>> entry = scorecard_entry(card, file="02.json")
>>> entry["funds"]["rate"], entry["funds"]["score"], entry["funds"]["printed_score"]
('0.983578', '10.00', '10.00')
>>> item = entry["items"][0]
>>> item["target"], item["actual"], item["score"], item["printed_score"], item["status"]
('>=700 件', '=1044 件', '10.00', '0.00', 'met')
"""

from __future__ import annotations

import html
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Final

from perfscore._text import display_width, pad

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from perfscore.auditing import AuditReport, BatchSummary
    from perfscore.cells import Figure
    from perfscore.findings import Finding, Severity
    from perfscore.scoring import FundsScore, ItemScore, Scorecard

__all__ = [
    "REPORT_FORMAT",
    "audit_html",
    "render_audit",
    "render_scorecard",
    "render_summary",
    "report_document",
    "scorecard_entry",
    "scorecard_html",
]

REPORT_FORMAT: Final = "perfscore.report/1"
"""The version of the JSON report layout."""

_RATE_PLACES: Final = Decimal("0.000001")


def _percent(rate: Decimal | None) -> str:
    if rate is None:
        return ""
    return f"{(rate * 100).quantize(Decimal('0.01'), ROUND_HALF_UP):f}%"


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _figure(figure: Figure | None) -> str | None:
    if figure is None or figure.kind != "number" or figure.value is None:
        return None
    return f"{figure.value:f}"


def _funds_entry(funds: FundsScore) -> dict[str, Any]:
    # The rate's first six decimals, cut rather than rounded: every digit shown is a digit
    # of the exact ratio (the report format's "unrounded" reading).
    rate = None if funds.rate is None else funds.rate.quantize(_RATE_PLACES, ROUND_DOWN)
    return {
        "label": funds.label,
        "rate": _text(rate),
        "printed_rate": None if funds.printed_rate is None else funds.printed_rate.text,
        "weight": _text(funds.weight),
        "score": _text(funds.score),
        "printed_score": _text(funds.printed_score),
        "status": funds.status,
        "explanation": funds.explanation,
    }


def _item_entry(item: ItemScore) -> dict[str, Any]:
    row = item.indicator
    return {
        "index": item.index,
        "level1": row.level1.text,
        "level2": row.level2.text,
        "level3": row.level3,
        "target": row.target.text,
        "actual": row.actual.text,
        "weight": row.weight.text if row.weight.kind != "number" else _text(row.weight.value),
        "score": _text(item.score),
        "printed_score": _text(item.printed_score),
        "status": item.status,
        "explanation": item.explanation,
    }


def scorecard_entry(
    card: Scorecard,
    *,
    file: str | None = None,
    index: int = 0,
    findings: Sequence[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One ``tables[]`` entry of the report document.

    Args:
        card: the scorecard.
        file: the input file the table came from.
        index: the table's position in that file.
        findings: audit findings as report dicts; the key is left out when ``None``.
    """
    entry: dict[str, Any] = {
        "file": file,
        "index": index,
        "name": card.table.name,
        "funds": None if card.funds is None else _funds_entry(card.funds),
        "items": [_item_entry(item) for item in card.items],
        "total": _text(card.total),
        "printed_total": _text(card.printed_total),
        "grade": card.grade,
        "complete": card.complete,
    }
    if findings is not None:
        entry["findings"] = list(findings)
    return entry


def report_document(
    profile_name: str,
    entries: Iterable[dict[str, Any]],
    *,
    summary: BatchSummary | None = None,
) -> dict[str, Any]:
    """The whole ``perfscore.report/1`` document (with an audit's batch ``summary``).

    >>> report_document("mof-2020", [])
    {'format': 'perfscore.report/1', 'profile': 'mof-2020', 'tables': []}
    """
    document: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "profile": profile_name,
        "tables": list(entries),
    }
    if summary is not None:
        document["summary"] = summary.to_dict()
    return document


# ---------------------------------------------------------------------------------
# Text


def _columns(rows: list[list[str]]) -> list[str]:
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _mark(computed: Decimal | None, printed: Decimal | None) -> str:
    if computed is None or printed is None:
        return ""
    return "" if computed == printed else "≠"


def render_scorecard(card: Scorecard, *, source: str = "", explain: bool = True) -> str:
    """A scorecard as text: each item's computed score next to the printed one.

    Rows whose computed score differs from the print are marked ``≠``; with
    ``explain`` each row is followed by its explanation.
    """
    profile = card.profile
    lines = [f"== {card.table.name}" + (f"  ({source})" if source else "")]
    lines.append(f"   规则：{profile.name}" + (f"（{profile.title}）" if profile.title else ""))
    rows = [["   #", "一级/二级/三级指标", "年度指标值", "实际完成值", "分值", "得分", "印刷", ""]]
    notes: dict[int, str] = {}
    funds = card.funds
    if funds is not None:
        rows.append(
            [
                "   资金",
                f"预算执行率（{funds.label}）",
                "",
                _percent(funds.rate),
                _text(funds.weight) or "",
                _text(funds.score) or "不计分",
                _text(funds.printed_score) or "",
                _mark(funds.score, funds.printed_score),
            ]
        )
        notes[len(rows) - 1] = funds.explanation
    for item in card.items:
        row = item.indicator
        rows.append(
            [
                f"   {item.index}",
                row.path,
                row.target.text,
                row.actual.text,
                row.weight.text,
                _text(item.score) or "不计分",
                _text(item.printed_score) or "",
                _mark(item.score, item.printed_score),
            ]
        )
        notes[len(rows) - 1] = item.explanation
    for number, line in enumerate(_columns(rows)):
        lines.append(line)
        if explain and number in notes:
            lines.append(f"        {notes[number]}")
    total = f"   总分 {_text(card.total)}"
    if card.printed_total is not None:
        total += f"（印 {_text(card.printed_total)}）"
    total += f" · 等级 {card.grade}"
    if not card.complete:
        count = len(card.unscored) + (1 if card.funds and card.funds.score is None else 0)
        total += f" · {count} 项不计分"
    lines.append(total)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------
# HTML

_STYLE: Final = (
    "<style>.perfscore td,.perfscore th{padding:2px 6px;border:1px solid #ccc;"
    "text-align:left;vertical-align:top}.perfscore .num{text-align:right}"
    ".perfscore .diff{background:#fde2e2}.perfscore .why{color:#555;font-size:90%}</style>"
)


def _cell(text: str | None, css: str = "") -> str:
    attribute = f' class="{css}"' if css else ""
    return f"<td{attribute}>{html.escape(text or '')}</td>"


def scorecard_html(card: Scorecard) -> str:
    """A scorecard as an HTML table, for notebooks.

    Computed and printed scores stand side by side, rows that differ are highlighted,
    and each row carries its explanation.
    """
    head = (
        "<tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>年度指标值</th>"
        "<th>实际完成值</th><th>分值</th><th>得分</th><th>印刷得分</th><th>计算过程</th></tr>"
    )
    rows = [head]
    funds = card.funds
    if funds is not None:
        css = "diff" if _mark(funds.score, funds.printed_score) else ""
        rows.append(
            f'<tr class="{css}"><td colspan="3">预算执行率（{html.escape(funds.label)}）</td>'
            + _cell("")
            + _cell(_percent(funds.rate), "num")
            + _cell(_text(funds.weight), "num")
            + _cell(_text(funds.score) or "不计分", "num")
            + _cell(_text(funds.printed_score), "num")
            + _cell(funds.explanation, "why")
            + "</tr>"
        )
    for item in card.items:
        row = item.indicator
        css = "diff" if _mark(item.score, item.printed_score) else ""
        rows.append(
            f'<tr class="{css}">'
            + _cell(row.level1.text)
            + _cell(row.level2.text)
            + _cell(row.level3)
            + _cell(row.target.text)
            + _cell(row.actual.text)
            + _cell(row.weight.text, "num")
            + _cell(_text(item.score) or "不计分", "num")
            + _cell(_text(item.printed_score), "num")
            + _cell(item.explanation, "why")
            + "</tr>"
        )
    printed = "" if card.printed_total is None else f"（印 {_text(card.printed_total)}）"
    caption = (
        f"{html.escape(card.table.name)} · 规则 {html.escape(card.profile.name)} · "
        f"总分 {_text(card.total)}{html.escape(printed)} · 等级 {html.escape(card.grade)}"
    )
    return (
        f'{_STYLE}<table class="perfscore"><caption>{caption}</caption>'
        + "".join(rows)
        + "</table>"
    )


# ---------------------------------------------------------------------------------
# Audit

_SEVERITY_WORDS: Final[dict[str, str]] = {"error": "错误", "warning": "警告", "info": "提示"}


def _finding_line(finding: Finding) -> str:
    place = finding.where if finding.where == "table" else f"{finding.where} {finding.path}"
    return f"   [{_SEVERITY_WORDS[finding.severity]}] {finding.id} · {place}：{finding.message}"


def render_audit(report: AuditReport, *, source: str = "", min_severity: Severity = "info") -> str:
    """An audit as text: the table's totals, then one line per finding."""
    card = report.scorecard
    lines = [f"== {card.table.name}" + (f"  ({source})" if source else "")]
    printed = "" if card.printed_total is None else f"，印刷总分 {_text(card.printed_total)}"
    lines.append(
        f"   规则：{card.profile.name} · 计算总分 {_text(card.total)}（{card.grade}）{printed}"
    )
    counts = " · ".join(
        f"{_SEVERITY_WORDS[severity]} {report.count(severity)}"
        for severity in ("error", "warning", "info")
    )
    lines.append(f"   {counts}")
    lines.extend(_finding_line(finding) for finding in report.at_least(min_severity))
    return "\n".join(lines)


def render_summary(summary: BatchSummary, *, top: int = 10) -> str:
    """A batch summary as text: counts by id and severity, worst tables, inflation signs."""
    lines = [f"== 汇总：{summary.tables} 张表"]
    lines.append(
        "   "
        + " · ".join(
            f"{_SEVERITY_WORDS[severity]} {count}"
            for severity, count in summary.by_severity.items()
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
    data = summary.to_dict()["inflation"]
    if summary.printed_totals:
        lines.append(
            f"   自评虚高迹象：印刷总分 100 的表 {summary.totals_100}/{summary.printed_totals}"
            f"（{_share(data['share_totals_100'])}），≥ 90 的 {summary.totals_90}/"
            f"{summary.printed_totals}（{_share(data['share_totals_90_or_more'])}）"
        )
    if summary.numeric_rows:
        lines.append(
            f"   实际完成值照抄指标值的定量行 {summary.repeating_rows}/{summary.numeric_rows}"
            f"（{_share(data['share_rows_repeating_target'])}）"
        )
    return "\n".join(lines)


def _share(value: str | None) -> str:
    if value is None:
        return "-"
    return f"{(Decimal(value) * 100).quantize(Decimal('0.1'), ROUND_HALF_UP):f}%"


def audit_html(report: AuditReport) -> str:
    """An audit as HTML, for notebooks: the scorecard, then the findings."""
    items = "".join(
        f"<li><b>{html.escape(_SEVERITY_WORDS[f.severity])}</b> <code>{html.escape(f.id)}</code> "
        f"{html.escape(f.where)} {html.escape(f.path)}：{html.escape(f.message)}</li>"
        for f in report.findings
    )
    return scorecard_html(report.scorecard) + f'<ul class="perfscore-findings">{items}</ul>'

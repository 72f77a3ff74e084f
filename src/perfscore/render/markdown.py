"""Scorecards, audits and batch summaries as Markdown (GitHub tables).

The layout is the text layout's (:mod:`perfscore.render.text`): the facts, the 项目资金
block, 年度总体目标, the 绩效指标 rows with the computed score next to the printed one
(in bold, with ``≠``, where they differ) and, for an audit, a 复核 column and the findings
below, each id with its title. The batch summary comes last.

>>> from perfscore import audit, load
>>> report = audit(load("examples/changji-2023/12_industrial-internet-study.json")[0],
...                profile="changji-2023")
>>> print(render_markdown(report.scorecard, findings=report.findings).splitlines()[0])
## 项目支出绩效自评表：昌吉州工业互联网发展路径分析研究项目
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from perfscore.render._shape import (
    FUND_HEADERS,
    GAP_HEADERS,
    KIND_TITLES,
    SEVERITY_WORDS,
    SUMMARY_HEADERS,
    check_title,
    concerned,
    counted,
    differs,
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
    total_line,
    totals_line,
)
from perfscore.render.writer import Writer

if TYPE_CHECKING:
    from collections.abc import Sequence

    from perfscore.audit import BatchSummary
    from perfscore.findings import Finding
    from perfscore.scoring import Scorecard

__all__ = ["MarkdownWriter", "render_markdown", "summary_markdown"]


def _md(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", "<br>")


def _md_table(headers: Sequence[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(_md(h) for h in headers) + " |"]
    out.append("|" + "|".join(" --- " for _ in headers) + "|")
    out.extend("| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows)
    return out


def render_markdown(
    card: Scorecard,
    *,
    findings: Sequence[Finding] = (),
    source: str = "",
    findings_only: bool = False,
) -> str:
    """A scorecard in the official layout as Markdown (GitHub tables).

    With ``findings_only`` the table is cut to its identity, the funds block and rows
    its findings concern, its totals and its findings.
    """
    table = card.table
    places = findings_by_place(findings)
    shown = concerned(card, places) if findings_only else None
    lines = [f"## {_md(KIND_TITLES[table.kind])}：{_md(table.name)}", ""]
    lines += [f"- {key}：{_md(value)}" for key, value in facts(table)[1:]]
    if source:
        lines.append(f"- 文件：`{source}`")
    if table.origin is not None:
        lines.append(f"- 原件：{_md(str(table.origin))}")
    lines.append(f"- 规则：`{card.profile.name}`")
    lines.append("")
    if table.funds and (not findings_only or "funds" in places):
        lines.append(f"**项目资金（{_md(table.money_unit)}）**")
        lines.append("")
        lines += _md_table(FUND_HEADERS, fund_rows(card))
        lines += ["", _md(funds_line(card)), ""]
    if table.goal is not None and not findings_only:
        lines += [
            f"**年度总体目标**：{_md(table.goal.expected or '')}",
            "",
            f"**实际完成情况**：{_md(table.goal.achieved or '')}",
            "",
        ]
    headers, rows = marked_rows(card, places, marked=bool(findings), separator="；", shown=shown)
    for index, row in zip(range(len(card.items)) if shown is None else shown, rows, strict=True):
        if differs(card, index):
            row[7] = f"**{row[7]}**"
    if rows or not findings_only:
        lines += [*_md_table(headers, rows), ""]
    lines += [f"**{_md(total_line(card))}**", ""]
    if findings:
        lines.append("**复核发现**")
        lines.append("")
        lines += [
            f"- {SEVERITY_WORDS[f.severity]} `{f.id}`（{_md(check_title(f.id))}） · "
            f"{f.where}{_md(placed(f))} {_md(f.path)}："
            f"{_md(f.message)}"
            for f in findings
        ]
        lines.append("")
    return "\n".join(lines)


def summary_markdown(summary: BatchSummary, *, top: int = 10) -> str:
    """A batch summary as Markdown (what :func:`~perfscore.render.text.render_summary` says)."""
    lines = [f"## 汇总：{counted(summary)}", ""]
    if summary.audited:
        lines.append(
            " · ".join(f"{SEVERITY_WORDS[s]} {count}" for s, count in summary.by_severity.items())
        )
        lines.append("")
    if not summary.tables:
        return "\n".join(lines)
    lines += [_md(totals_line(summary)), ""]
    gaps = gap_rows(summary, top=top)
    if gaps:
        lines += ["**总分不一致的表**", ""]
        lines += _md_table(
            GAP_HEADERS,
            [[*cells[:4], cells[4] + _origin(file, index)] for cells, file, index in gaps],
        )
        lines.append("")
    lines += [_md(grades_line(summary)), ""]
    if summary.by_id:
        lines += _md_table(SUMMARY_HEADERS, summary_rows(summary))
        lines.append("")
    for file, index, name, errors, warnings in summary.ranked[:top]:
        lines.append(f"- {errors} 错误 · {warnings} 警告 {_md(name)}{_origin(file, index)}")
    lines += ["", *(f"- 自评虚高迹象：{line}" for line in inflation_lines(summary)), ""]
    return "\n".join(lines)


def _origin(file: str | None, index: int) -> str:
    return f"（`{source_text(file, index)}`）" if file else ""


class MarkdownWriter(Writer):
    """One Markdown section per table, then the summary."""

    def begin(self) -> None:
        """Write the document's title."""
        self.out(f"# perfscore {self.command} · 规则 `{self.profile_name}`\n\n")

    def render_table(
        self,
        file: str | None,
        index: int,
        card: Scorecard,
        findings: Sequence[Finding] | None,
    ) -> str:
        """One table as a Markdown section."""
        text = render_markdown(
            card,
            findings=findings or (),
            source=source_text(file, index),
            findings_only=self.findings_only,
        )
        return text + "\n"

    def render_refused(self, message: str) -> str:
        """The input's error as a section, the message as printed (in a fence)."""
        fence = "`" * (max(map(len, re.findall("`+", message)), default=2) + 1)
        return f"## 未读入\n\n{fence}text\n{message}\n{fence}\n\n"

    def end(self, summary: BatchSummary | None) -> None:
        """Write the batch summary, at the end."""
        if summary is not None:
            shown = f"只列出有发现的表：{self.count} 张\n\n" if self.findings_only else ""
            self.out(summary_markdown(summary) + "\n" + shown)

"""Scorecards and audits as an Excel workbook (``--format xlsx``), the way re-checkers pass them on.

The workbook holds, in this order:

- ``汇总``: one row per table (file, sheet, name, year, 主管部门, kind, the printed and the
  computed total, their difference, the grade, the findings by severity), the batch's
  totals above it and, for an audit, the findings counted by id;
- ``复核发现`` (audits only): every finding, the table-level ones included: sheet, file,
  table, severity, id and its Chinese title, message, where and path, the printed and
  the expected value, the place in the original document, and a link to the cell;
- one sheet per table in the official layout of the 自评表: the title, 项目名称,
  主管部门 and 实施单位, the funds block, 年度总体目标, the indicator rows with
  得分(算) beside the printed 得分, and 总分 with the computed total beside it.

A row with a finding is filled by its most serious finding's severity, and the cell
the finding is about by its own (:data:`FILLS`: error red, warning amber, info blue);
the cell carries the finding's message as its comment. Computed values are blue, and
bold red where they differ from the printed ones.

Every text is stored as text (a cell reading ``=100%`` never becomes a formula) and
every printed number as a number whose format shows the printed digits (``10.00`` is
10 formatted ``0.00``, ``98.36%`` is 0.9836 formatted ``0.00%``); a cell whose print a
number format cannot reproduce exactly stays text. Pages print on A4 landscape, one
page wide, the table's title rows repeated.

:class:`XlsxWriter` renders each table to a :class:`SheetPlan` (plain values, so worker
processes can render) and writes each plan with openpyxl (the ``xlsx`` extra) in its
write-only mode as its sheet, closed at once; the summary's and the findings' lines
are kept and written at the end.

>>> from perfscore import audit, load
>>> report = audit(load("examples/changji-2023/02_wine-competition-2022.json")[0])
>>> plan = sheet_plan(report.scorecard, report.findings, file="02.json")
>>> plan.summary.computed_total, plan.summary.printed_total, len(plan.findings)
(Decimal('99.84'), Decimal('90'), 7)
"""

from __future__ import annotations

import functools
import re
import shutil
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Final, NamedTuple, cast

from perfscore._text import display_width
from perfscore.audit import FINDING_CELLS
from perfscore.errors import MissingExtraError
from perfscore.findings import SEVERITIES, severity_rank
from perfscore.model import weight_sum
from perfscore.render._shape import (
    FUND_HEADERS,
    KIND_TITLES,
    MARKS,
    SEVERITY_WORDS,
    check_title,
    cut_rate,
    run_lengths,
    source_text,
)
from perfscore.render.writer import Writer

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from perfscore.audit import BatchSummary
    from perfscore.cells import Figure
    from perfscore.errors import PerfscoreError
    from perfscore.findings import Finding
    from perfscore.memo import Memo
    from perfscore.model import FundRow, Indicator, Table
    from perfscore.scoring import Scorecard

__all__ = [
    "FILLS",
    "FindingRow",
    "PlanCell",
    "SheetPlan",
    "SummaryRow",
    "XlsxWriter",
    "cell_number",
    "sheet_name",
    "sheet_plan",
]

FILLS: Final[dict[str, str]] = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
"""The fill (RGB) of a row or cell with a finding, by the finding's severity."""

_COMPUTED_COLOUR: Final = "1F4E79"  # computed values: dark blue
_DIFFERS_COLOUR: Final = "C00000"  # a computed value that differs from the print: red
_HEAD_FILL: Final = "D9D9D9"
_FONT: Final = "宋体"  # the official forms' typeface; a viewer without it substitutes
_FONT_SIZE: Final = 10
_LINE_HEIGHT: Final = 14  # points per line of 10-point text
_TEXT: Final = "@"
_MAX_CELL: Final = 32767  # Excel's limit on a cell's characters
_MAX_DIGITS: Final = 15  # digits a spreadsheet number (a double) holds exactly
_SUMMARY: Final = "汇总"
_FINDINGS: Final = "复核发现"

# Columns of a table's sheet, from 1 (A). The funds block and the indicator rows share
# the official grid: 得分 in H for both, and 得分(算) beside it in I.
_LAST_PLAIN: Final = 10  # J: 偏差原因分析及改进措施
_REVIEW: Final = 11  # K: 复核 (audits)
_INDICATOR_HEADERS: Final = (
    "绩效指标",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "得分(算)",
    "偏差原因分析及改进措施",
)
# The funds block's headers, with the computed score and rate beside the printed ones
# (the first cell is the block's merged label).
_FUND_HEADERS: Final = ("", *FUND_HEADERS[1:], "得分(算)", "执行率(算)")
_INDICATOR_COLUMNS: Final[dict[str, int]] = {
    "level1": 2,
    "level2": 3,
    "level3": 4,
    "target": 5,
    "actual": 6,
    "weight": 7,
    "score": 8,
    "deviation_note": 10,
}
_FUND_COLUMNS: Final[dict[str, int]] = {
    "label": 2,
    "initial_budget": 3,
    "annual_budget": 4,
    "executed": 5,
    "weight": 6,
    "rate": 7,
    "score": 8,
}
# Fitted widths stay within these (characters of the default font); longer text wraps.
_MIN_WIDTHS: Final = (6, 10, 10, 14, 10, 10, 6, 7, 8, 16, 12)
_MAX_WIDTHS: Final = (8, 14, 14, 28, 18, 18, 10, 10, 10, 30, 24)
# A sheet name may not hold these, and is at most 31 characters.
_SHEET_FORBIDDEN: Final = re.compile(r"[\[\]:*?/\\'\x00-\x1f]")
_SHEET_LENGTH: Final = 31
# Characters XML cannot hold, and text that Excel would read as such an escape.
_UNWRITABLE: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")

# ---------------------------------------------------------------------------------
# A table's sheet as plain values


class PlanCell(NamedTuple):
    """One cell of a sheet to write.

    Attributes:
        row: the row, from 1.
        column: the column, from 1.
        value: text, a number, or ``None`` for an empty cell (still styled).
        style: ``title``, ``note``, ``head``, ``label``, ``text``, ``number``,
            ``computed`` or ``differs``.
        number_format: ``@`` for text, else the number's format.
        severity: the fill's severity, or ``None``.
        comment: the comment (the findings' messages), or ``None``.
    """

    row: int
    column: int
    value: str | Decimal | None
    style: str
    number_format: str = _TEXT
    severity: str | None = None
    comment: str | None = None


class SummaryRow(NamedTuple):
    """A table's line on the summary sheet."""

    file: str
    name: str
    year: int | None
    department: str
    kind: str
    printed_total: Decimal | None
    printed_format: str
    computed_total: Decimal
    computed_format: str
    grade: str
    counts: tuple[int, int, int]  # errors, warnings, notes


class FindingRow(NamedTuple):
    """A finding's line on the findings sheet, with the cell of its table's sheet."""

    finding: Finding
    row: int
    column: int


class SheetPlan(NamedTuple):
    """A table's sheet as plain values (see :func:`sheet_plan`).

    Attributes:
        name: the table's name (the sheet's title is made from it).
        cells: the cells, row by row.
        merges: merged ranges as ``(first row, first column, last row, last column)``.
        widths: each column's width, in characters.
        heights: ``(row, points)`` for rows taller than one line.
        title_rows: the last row repeated at the top of each printed page.
        summary: the table's line on the summary sheet.
        findings: the table's findings with the cells they are about.
    """

    name: str
    cells: tuple[PlanCell, ...]
    merges: tuple[tuple[int, int, int, int], ...]
    widths: tuple[int, ...]
    heights: tuple[tuple[int, int], ...]
    title_rows: int
    summary: SummaryRow
    findings: tuple[FindingRow, ...]


def cell_number(figure: Figure | None) -> tuple[str | Decimal | None, str]:
    """A printed figure as a spreadsheet cell: a number and its format, or its text.

    The number's format shows the printed digits (places, thousands separators, a
    percent sign, a unit after the number); a print no format reproduces exactly, or
    one with more digits than a spreadsheet number holds, stays text (``@``).

    >>> from perfscore.cells import parse_figure
    >>> cell_number(parse_figure("10.00")), cell_number(parse_figure("98.36%"))
    ((Decimal('10.00'), '0.00'), (Decimal('0.9836'), '0.00%'))
    >>> cell_number(parse_figure("2,528.87")), cell_number(parse_figure("10 "))
    ((Decimal('2528.87'), '#,##0.00'), ('10 ', '@'))
    """
    if figure is None:
        return None, _TEXT
    value = figure.value
    text = figure.text
    if figure.kind != "number" or value is None or not value.is_finite():
        return text, _TEXT
    sign, digits, exponent = value.as_tuple()
    if len(digits) > _MAX_DIGITS or (sign and not value) or not isinstance(exponent, int):
        return text, _TEXT
    places = max(0, -exponent)
    grouped = "," in text
    shown = f"{value:,.{places}f}" if grouped else f"{value:.{places}f}"
    number_format = ("#,##0" if grouped else "0") + ("." + "0" * places if places else "")
    unit = figure.unit
    if unit == "%":
        value = value.scaleb(-2)
        shown += "%"
        number_format += "%"
    elif unit:
        if '"' in unit or "\\" in unit:
            return text, _TEXT
        shown += unit
        number_format += f'"{unit}"'
    if shown != text:
        return text, _TEXT
    return value, number_format


def _computed(value: Decimal) -> tuple[Decimal, str]:
    """A computed value with a format showing its places."""
    places = max(0, -value.as_tuple().exponent) if value.is_finite() else 0  # type: ignore[operator]
    return value, "0" + ("." + "0" * places if places else "")


def sheet_name(number: int, name: str) -> str:
    r"""A sheet's title: the table's number and name, as a sheet name may be.

    At most 31 characters (UTF-16 units, as Excel counts), none of ``[]:*?/\\'`` or
    control characters; the number keeps titles unique.

    >>> sheet_name(3, "昌吉州[工业]互联网：研究/分析")
    '3 昌吉州_工业_互联网：研究_分析'
    """
    title = f"{number} {_SHEET_FORBIDDEN.sub('_', name)}".rstrip()
    while len(title.encode("utf-16-le")) > _SHEET_LENGTH * 2:
        title = title[:-1]
    return title


def _writable(text: str) -> str:
    r"""Text as a cell can hold it: XML's forbidden characters escaped as Excel reads them.

    Excel and LibreOffice read ``_x000B_`` in a cell as the character U+000B, so a
    control character is written so, and a ``_`` that would start such an escape in
    the text itself is written ``_x005F_``. Text beyond Excel's 32,767 characters is
    cut, with a note saying how long the cell is.

    >>> _writable("a\x0bb_x0041_")
    'a_x000B_b_x005F_x0041_'
    """
    if _UNWRITABLE.search(text):
        text = _UNWRITABLE.sub(lambda match: f"_x{ord(match.group()):04X}_", text)
    if len(text) > _MAX_CELL:
        note = f"…（原文 {len(text)} 字，超出单元格上限，余下略去）"
        text = text[: _MAX_CELL - len(note)] + note
    return text


class _Sheet:
    """A sheet being planned: cells, merges and the rows' findings."""

    def __init__(self, columns: int) -> None:
        self.columns = columns
        self.cells: dict[tuple[int, int], PlanCell] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self.cell_severities: dict[tuple[int, int], str] = {}
        self.row = 0

    def put(  # noqa: PLR0913 - a cell's value, look and span
        self,
        column: int,
        value: str | Decimal | None,
        style: str,
        number_format: str = _TEXT,
        *,
        across: int = 1,
        down: int = 1,
    ) -> None:
        at = self.row
        if value == "":
            value = None
        self.cells[at, column] = PlanCell(at, column, value, style, number_format)
        if across > 1 or down > 1:
            self.merges.append((at, column, at + down - 1, column + across - 1))
            for extra_row in range(at, at + down):
                for extra_column in range(column, column + across):
                    if (extra_row, extra_column) != (at, column):
                        self.cells.setdefault(
                            (extra_row, extra_column),
                            PlanCell(extra_row, extra_column, None, style, number_format),
                        )

    def figure(self, column: int, figure: Figure | None) -> None:
        value, number_format = cell_number(figure)
        self.put(column, value, "number" if number_format != _TEXT else "text", number_format)

    def computed(self, column: int, value: Decimal | None, *, differs: bool = False) -> None:
        if value is None:
            self.put(column, "不计分", "computed")
            return
        number, number_format = _computed(value)
        self.put(column, number, "differs" if differs else "computed", number_format)

    def fill(self, row: int, first: int, last: int, severity: str) -> None:
        for column in range(first, last + 1):
            cell = self.cells.get((row, column))
            if cell is not None and _worse(severity, cell.severity):
                self.cells[row, column] = cell._replace(severity=severity)

    def comment(self, row: int, column: int, finding: Finding) -> None:
        cell = self.cells.get((row, column)) or PlanCell(row, column, None, "text")
        text = finding.message if cell.comment is None else f"{cell.comment}\n{finding.message}"
        self.cells[row, column] = cell._replace(comment=text)
        if _worse(finding.severity, self.cell_severities.get((row, column))):
            self.cell_severities[row, column] = finding.severity

    def finish(self) -> list[PlanCell]:
        """The cells in order, each cell a finding is about filled by its own severity."""
        for key, severity in self.cell_severities.items():
            self.cells[key] = self.cells[key]._replace(severity=severity)
        return [self.cells[key] for key in sorted(self.cells)]


def _worse(severity: str, than: str | None) -> bool:
    return than is None or severity_rank(severity) < severity_rank(than)  # type: ignore[arg-type]


def _cell_key(finding: Finding, texts: dict[str, str | None], default: str) -> str:
    """Which cell of a row a finding is about: the one it quotes, else its kind's, else ``default``.

    The same choice the audit makes for a finding's place in the original document.
    """
    if finding.printed is not None:
        for key, text in texts.items():
            if text == finding.printed:
                return key
    key = FINDING_CELLS.get(finding.id, "")
    return key if key in texts else default


def _indicator_texts(row: Indicator) -> dict[str, str | None]:
    return {
        "target": row.target.text,
        "actual": row.actual.text,
        "weight": row.weight.text,
        "score": None if row.score is None else row.score.text,
        "deviation_note": row.deviation_note,
        "level3": row.level3,
    }


def _fund_texts(row: FundRow) -> dict[str, str | None]:
    return {
        key: None if figure is None else figure.text
        for key, figure in (
            ("initial_budget", row.initial_budget),
            ("annual_budget", row.annual_budget),
            ("executed", row.executed),
            ("weight", row.weight),
            ("rate", row.rate),
            ("score", row.score),
        )
    } | {"label": row.label}


def sheet_plan(  # noqa: C901, PLR0912, PLR0915 - the official grid, block by block
    card: Scorecard, findings: Sequence[Finding] | None, *, file: str | None = None, index: int = 0
) -> SheetPlan:
    """A scorecard (and its audit's findings) as a sheet in the official layout.

    ``findings`` is ``None`` for scoring (no 复核 column), a sequence for an audit.
    """
    table = card.table
    reviewed = findings is not None
    last = _REVIEW if reviewed else _LAST_PLAIN
    sheet = _Sheet(last)
    source = source_text(file, index)

    # Title, year, where from, money unit
    sheet.row = 1
    sheet.put(1, KIND_TITLES[table.kind], "title", across=last)
    if table.year is not None:
        sheet.row += 1
        sheet.put(1, f"（{table.year}年度）", "title", across=last)
    sheet.row += 1
    notes = [f"文件：{source}"] if source else []
    if table.origin is not None:
        notes.append(f"原件：{table.origin}")
    notes.append(f"规则：{card.profile.name}")
    sheet.put(1, " · ".join(notes), "note", across=last - 2)
    sheet.put(last - 1, f"单位：{table.money_unit}", "note", across=2)

    # Identity
    sheet.row += 1
    name_row = sheet.row
    sheet.put(1, "项目名称" if table.kind == "project" else "单位名称", "head", across=2)
    sheet.put(3, table.name, "text", across=last - 2)
    sheet.row += 1
    sheet.put(1, "主管部门", "head", across=2)
    sheet.put(3, table.department or "", "text", across=3)
    sheet.put(6, "实施单位", "head", across=2)
    sheet.put(8, table.implementer or "", "text", across=last - 7)
    title_rows = sheet.row

    places: dict[str, list[Finding]] = {}
    for finding in findings or ():
        places.setdefault(finding.where, []).append(finding)
    finding_rows: list[FindingRow] = []

    def attach(finding: Finding, row: int, column: int) -> None:
        sheet.comment(row, column, finding)
        finding_rows.append(FindingRow(finding, row, column))

    # Funds
    funds = card.funds
    if table.funds:
        sheet.row += 1
        first = sheet.row
        sheet.put(1, f"项目资金（{table.money_unit}）", "head", down=len(table.funds) + 1)
        for column, header in enumerate(_FUND_HEADERS, 2):
            sheet.put(column, header, "head")
        if reviewed:
            sheet.put(_REVIEW, "复核", "head")
        fund_rows: dict[str, int] = {}
        for fund in table.funds:
            sheet.row += 1
            fund_rows.setdefault(fund.label, sheet.row)
            sheet.put(2, fund.label, "label")
            for key in ("initial_budget", "annual_budget", "executed", "weight", "rate", "score"):
                sheet.figure(_FUND_COLUMNS[key], getattr(fund, key))
            for column in (9, 10):
                sheet.put(column, None, "computed")
            if reviewed:
                sheet.put(_REVIEW, None, "text")
            if (
                funds is not None
                and fund.label == funds.label
                and sheet.row == fund_rows[fund.label]
            ):
                differs = funds.score is not None and funds.printed_score is not None
                sheet.computed(
                    9, funds.score, differs=differs and funds.score != funds.printed_score
                )
                rate = cut_rate(funds.rate)
                if rate is None:
                    sheet.put(10, "无定义", "computed")
                else:
                    sheet.put(10, Decimal(rate), "computed", "0.0000%")
        for finding in places.get("funds", ()):
            label_row = next(
                (r for r in table.funds if r.label == finding.path),
                table.total_fund_row or table.funds[0],
            )
            at = fund_rows.get(label_row.label, first + 1)
            key = _cell_key(finding, _fund_texts(label_row), "label")
            sheet.fill(at, 2, last, finding.severity)
            attach(finding, at, _FUND_COLUMNS[key])
            _mark(sheet, at, finding, reviewed=reviewed)

    # Goal
    goal_row = None
    if table.goal is not None:
        sheet.row += 1
        sheet.put(1, "年度总体目标", "head", down=2)
        sheet.put(2, "预期目标", "head", across=4)
        sheet.put(6, "实际完成情况", "head", across=last - 5)
        sheet.row += 1
        goal_row = sheet.row
        sheet.put(2, table.goal.expected or "", "text", across=4)
        sheet.put(6, table.goal.achieved or "", "text", across=last - 5)

    # Indicators
    sheet.row += 1
    sheet.put(1, "绩效指标", "head", down=len(card.items) + 1)
    for column, header in enumerate(_INDICATOR_HEADERS[1:], 2):
        sheet.put(column, header, "head")
    if reviewed:
        sheet.put(_REVIEW, "复核", "head")
    rows = [item.indicator for item in card.items]
    spans1 = run_lengths([(row.level1.text,) for row in rows])
    spans2 = run_lengths([(row.level1.text, row.level2.text) for row in rows])
    first_item = sheet.row + 1
    for item, span1, span2 in zip(card.items, spans1, spans2, strict=True):
        sheet.row += 1
        row = item.indicator
        if span1:
            sheet.put(2, row.level1.text, "label", down=span1)
        if span2:
            sheet.put(3, row.level2.text, "label", down=span2)
        sheet.put(4, row.level3, "text")
        sheet.put(5, row.target.text, "text")
        sheet.put(6, row.actual.text, "text")
        sheet.figure(7, row.weight)
        sheet.figure(8, row.score)
        printed = item.printed_score
        sheet.computed(
            9,
            item.score,
            differs=item.score is not None and printed is not None and printed != item.score,
        )
        sheet.put(10, row.deviation_note or "", "text")
        if reviewed:
            sheet.put(_REVIEW, None, "text")
    for finding in findings or ():
        if not finding.where.startswith("indicators["):
            continue
        position = _row_index(finding.where)
        if position is None or position >= len(rows):
            continue  # no such row: on the table (below)
        at = first_item + position
        key = _cell_key(finding, _indicator_texts(rows[position]), "level3")
        column = _INDICATOR_COLUMNS[key]
        if key in {"level1", "level2"} or (spans1[position] and column == 2):
            column = 4
        sheet.fill(at, 4, last, finding.severity)
        for level_column, spans in ((2, spans1), (3, spans2)):
            if spans[position] == 1:  # a label of this row alone
                sheet.fill(at, level_column, level_column, finding.severity)
        attach(finding, at, column)
        _mark(sheet, at, finding, reviewed=reviewed)

    # Total
    sheet.row += 1
    total_row = sheet.row
    sheet.put(1, "总分", "head", across=6)
    execution = funds.weight if funds is not None and funds.weight is not None else Decimal(0)
    sheet.computed(7, weight_sum(table.indicators) + execution)
    sheet.figure(8, table.total)
    printed_total = card.printed_total
    sheet.computed(9, card.total, differs=printed_total is not None and printed_total != card.total)
    sheet.put(10, f"等级：{card.grade}", "computed")
    if reviewed:
        sheet.put(_REVIEW, None, "text")
    for finding in findings or ():
        if _placed_in_grid(finding, table, len(rows)):
            continue
        if finding.id == "total-mismatch":
            at, column = total_row, 8
        elif finding.id in {
            "weights-not-100",
            "no-weights",
            "level-weight-mismatch",
            "level1-weights",
        }:
            at, column = total_row, 7
        elif finding.id == "narrative-mismatch" and goal_row is not None:
            at, column = goal_row, 6
        else:
            at, column = name_row, 3
        attach(finding, at, column)
        _mark(sheet, total_row, finding, reviewed=reviewed)

    cells = sheet.finish()
    widths = _widths(cells, sheet.merges, last)
    printed_value, printed_format = cell_number(table.total)
    counts = [0, 0, 0]
    for finding in findings or ():
        counts[severity_rank(finding.severity)] += 1
    summary = SummaryRow(
        file=source,
        name=table.name,
        year=table.year,
        department=table.department or "",
        kind=KIND_TITLES[table.kind],
        printed_total=printed_total,
        printed_format=printed_format if isinstance(printed_value, Decimal) else "0.##",
        computed_total=card.total,
        computed_format=_computed(card.total)[1],
        grade=card.grade,
        counts=(counts[0], counts[1], counts[2]),
    )
    return SheetPlan(
        name=table.name,
        cells=tuple(cells),
        merges=tuple(sheet.merges),
        widths=widths,
        heights=_heights(cells, sheet.merges, widths),
        title_rows=title_rows,
        summary=summary,
        findings=tuple(sorted(finding_rows, key=lambda f: (f.row, f.column))),
    )


def _row_index(where: str) -> int | None:
    """The row of ``indicators[N]``, or ``None`` for anything else."""
    digits = where[len("indicators[") : -1]
    return int(digits) if where.endswith("]") and digits.isascii() and digits.isdigit() else None


def _placed_in_grid(finding: Finding, table: Table, rows: int) -> bool:
    """Whether a finding sits on a funds or indicator row (else on the table's own cells)."""
    if finding.where == "funds":
        return bool(table.funds)
    position = _row_index(finding.where) if finding.where.startswith("indicators[") else None
    return position is not None and position < rows


def _mark(sheet: _Sheet, row: int, finding: Finding, *, reviewed: bool) -> None:
    """Add a finding's mark (``错 score-mismatch``) to the row's 复核 cell."""
    if not reviewed:
        return
    cell = sheet.cells.get((row, _REVIEW)) or PlanCell(row, _REVIEW, None, "text")
    mark = f"{MARKS[finding.severity]} {finding.id}"
    value = mark if not cell.value else f"{cell.value}\n{mark}"
    severity = finding.severity if _worse(finding.severity, cell.severity) else cell.severity
    sheet.cells[row, _REVIEW] = cell._replace(value=value, severity=severity)


def _shown_width(value: str | Decimal | None, number_format: str) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        return max(display_width(line) for line in value.split("\n"))
    return len(f"{value:f}") + (1 if "%" in number_format else 0) + 1


def _widths(
    cells: Iterable[PlanCell], merges: Sequence[tuple[int, int, int, int]], columns: int
) -> tuple[int, ...]:
    """Each column's width: its widest single cell's, within the column's bounds."""
    spanning = {(top, left) for top, left, _, right in merges if right > left}
    widths = list(_MIN_WIDTHS[:columns])
    for cell in cells:
        if (cell.row, cell.column) in spanning or cell.style in {"title", "note"}:
            continue
        at = cell.column - 1
        wanted = _shown_width(cell.value, cell.number_format) + 2
        widths[at] = max(widths[at], min(wanted, _MAX_WIDTHS[at]))
    return tuple(widths)


def _heights(
    cells: Iterable[PlanCell], merges: Sequence[tuple[int, int, int, int]], widths: Sequence[int]
) -> tuple[tuple[int, int], ...]:
    """Rows whose wrapped text needs more than one line, and their height in points.

    Spreadsheets fit a row's height to wrapped text only in cells that are not
    merged; the lines are counted here for every cell, merged ones included.
    """
    span_width: dict[tuple[int, int], tuple[int, int]] = {}
    for top, left, bottom, right in merges:
        span_width[top, left] = (sum(widths[left - 1 : right]), bottom - top + 1)
    lines: dict[int, int] = {}
    for cell in cells:
        if not isinstance(cell.value, str):
            continue
        width, rows = span_width.get((cell.row, cell.column), (widths[cell.column - 1], 1))
        room = max(1, width - 1)
        needed = sum(max(1, -(-display_width(line) // room)) for line in cell.value.split("\n"))
        per_row = -(-needed // rows)
        lines[cell.row] = max(lines.get(cell.row, 1), per_row)
    return tuple(
        (row, count * _LINE_HEIGHT + 4) for row, count in sorted(lines.items()) if count > 1
    )


# ---------------------------------------------------------------------------------
# The workbook

_FINDING_HEADERS: Final = (
    "工作表",
    "文件",
    "项目名称",
    "严重程度",
    "问题",
    "问题说明",
    "信息",
    "位置",
    "路径",
    "印刷值",
    "应为",
    "原件位置",
)
# The findings sheet's columns fit their widest cell within these bounds; the long
# texts (name, title, message, path) wrap, and each row is as tall as they need.
_FINDING_BOUNDS: Final = (
    (10, 20),
    (10, 36),
    (12, 30),
    (8, 8),
    (12, 24),
    (12, 30),
    (30, 60),
    (10, 16),
    (16, 36),
    (8, 16),
    (8, 16),
    (8, 16),
)
_FINDING_WRAPPED: Final = frozenset({2, 5, 6, 8})  # from 0: name, title, message, path
_SUMMARY_HEADERS: Final = (
    "序号",
    "工作表",
    "文件",
    "项目名称",
    "年度",
    "主管部门",
    "类型",
    "总分(印)",
    "总分(算)",
    "差额(印−算)",
    "等级",
    "错误",
    "警告",
    "提示",
)
# The summary's columns fit their widest cell within these bounds; longer text wraps.
_SUMMARY_BOUNDS: Final = (
    (6, 8),
    (12, 20),
    (12, 36),
    (16, 40),
    (6, 6),
    (12, 30),
    (12, 26),
    (9, 12),
    (9, 12),
    (10, 12),
    (6, 10),
    (6, 8),
    (6, 8),
    (6, 8),
)
_SCORE_COLUMNS: Final = 11  # a scoring's summary has no counts of findings

Value = str | Decimal | int | None


def _lines_needed(texts: Iterable[tuple[str, int]]) -> int:
    """The lines the tallest of these texts takes wrapped in its width (characters)."""
    return max(
        (
            sum(max(1, -(-display_width(line) // max(1, width - 1))) for line in text.split("\n"))
            for text, width in texts
            if text
        ),
        default=1,
    )


class _Styles:
    """The workbook's cell looks, each made once on a prototype cell and copied."""

    def __init__(self, openpyxl: Any) -> None:  # noqa: ANN401 - the optional library
        self.openpyxl = openpyxl
        self.sheet: Any = None
        styles = openpyxl.styles
        thin = styles.Side(style="thin", color="808080")
        self.border = styles.Border(left=thin, right=thin, top=thin, bottom=thin)
        font = styles.Font
        self.fonts = {
            "plain": font(name=_FONT, size=_FONT_SIZE),
            "bold": font(name=_FONT, size=_FONT_SIZE, bold=True),
            "title": font(name=_FONT, size=14, bold=True),
            "computed": font(name=_FONT, size=_FONT_SIZE, color=_COMPUTED_COLOUR),
            "differs": font(name=_FONT, size=_FONT_SIZE, bold=True, color=_DIFFERS_COLOUR),
            "link": font(name=_FONT, size=_FONT_SIZE, color="0563C1", underline="single"),
        }
        self.fills = {
            key: styles.PatternFill("solid", start_color=colour, end_color=colour)
            for key, colour in (*FILLS.items(), ("head", _HEAD_FILL))
        }
        alignment = styles.Alignment
        self.alignments = {
            "left": alignment(horizontal="left", vertical="top", wrap_text=True),
            "right": alignment(horizontal="right", vertical="top", wrap_text=True),
            "line": alignment(horizontal="left", vertical="top"),
            "center": alignment(horizontal="center", vertical="center", wrap_text=True),
            "title": alignment(horizontal="center", vertical="center"),
        }
        self.made: dict[tuple[str, str | None, str], Any] = {}

    # Each style's font, alignment, and whether it has borders.
    LOOKS: Final = {
        "title": ("title", "title", False),
        "note": ("plain", "line", False),
        "head": ("bold", "center", True),
        "label": ("plain", "left", True),
        "text": ("plain", "left", True),
        "line": ("plain", "line", True),
        "link": ("link", "line", True),
        "number": ("plain", "right", True),
        "computed": ("computed", "right", True),
        "differs": ("differs", "right", True),
    }

    def cell(
        self,
        value: Value,
        style: str = "text",
        number_format: str = _TEXT,
        severity: str | None = None,
    ) -> Any:  # noqa: ANN401 - an openpyxl cell
        """A write-only cell: text stored as text, numbers as numbers, and the look."""
        made = self.openpyxl.cell.WriteOnlyCell(self.sheet)
        key = (style, severity, number_format)
        prototype = self.made.get(key)
        if prototype is None:
            prototype = self.made[key] = self._prototype(style, number_format, severity)
        made._style = prototype._style  # noqa: SLF001 - the look made once, shared (never changed)
        if isinstance(value, str):
            if value:
                made.value = _writable(value)
                made.data_type = "s"  # text, never a formula (=100%, +1, @x)
        elif value is not None:
            made.value = value
        return made

    def _prototype(self, style: str, number_format: str, severity: str | None) -> Any:  # noqa: ANN401
        made = self.openpyxl.cell.WriteOnlyCell(self.sheet)
        font, alignment, bordered = self.LOOKS[style]
        made.font = self.fonts[font]
        made.alignment = self.alignments[alignment]
        if bordered:
            made.border = self.border
        fill = severity or ("head" if style == "head" else None)
        if fill is not None:
            made.fill = self.fills[fill]
        made.number_format = number_format
        return made


def _openpyxl() -> Any:  # noqa: ANN401 - the optional library's module
    """openpyxl, or an error saying which extra installs it."""
    try:
        import openpyxl  # noqa: PLC0415 - the optional extra, imported when used
        import openpyxl.cell  # noqa: PLC0415
        import openpyxl.comments  # noqa: PLC0415
        import openpyxl.styles  # noqa: PLC0415
        import openpyxl.worksheet._write_only  # noqa: PLC0415
        import openpyxl.worksheet.hyperlink  # noqa: PLC0415
        import openpyxl.writer.excel  # noqa: PLC0415
    except ImportError:
        raise MissingExtraError("an .xlsx workbook", "xlsx", "openpyxl", action="writing") from None
    return openpyxl


def _new_sheet(openpyxl: Any, workbook: Any, title: str) -> Any:  # noqa: ANN401 - openpyxl's
    """A write-only sheet whose rows are given as cells (``None`` for an empty one).

    openpyxl's write-only sheet first tries each value of a row as a plain value and
    takes it as a cell when that fails: an exception per cell. Every cell here is made
    by :class:`_Styles`, so a row is taken as it is.
    """
    base = openpyxl.worksheet._write_only.WriteOnlyWorksheet  # noqa: SLF001
    sheet = _cell_sheet(base)(parent=workbook, title=title)
    workbook._add_sheet(sheet)  # noqa: SLF001 - how create_sheet adds a sheet
    return sheet


@functools.cache
def _cell_sheet(base: type) -> type:
    """The write-only sheet of openpyxl, taking rows of cells as they are, titled as given.

    openpyxl checks a new sheet's title against every other sheet's (a scan of all
    the titles, lower-cased, per sheet: a batch's time grew with the square of its
    tables); the titles here are unique by construction (:func:`sheet_name`).
    """

    def values_to_row(_: Any, values: list[Any], row_idx: int) -> Iterator[Any]:  # noqa: ANN401
        for column, cell in enumerate(values, 1):
            if cell is not None:
                cell.row = row_idx
                cell.column = column
                if cell.hyperlink is not None:
                    cell.hyperlink.ref = cell.coordinate
                yield cell

    def get_title(sheet: Any) -> str:  # noqa: ANN401
        return cast("str", sheet.given_title)

    def set_title(sheet: Any, title: str) -> None:  # noqa: ANN401
        sheet.given_title = title

    members = {"_values_to_row": values_to_row, "title": property(get_title, set_title)}
    return type("CellSheet", (base,), members)


def _page_setup(sheet: Any, *, title_rows: int, widths: Sequence[int]) -> None:  # noqa: ANN401
    """Column widths; A4 landscape, one page wide, the title rows on every page."""
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[_letter(column)].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.print_options.horizontalCentered = True
    sheet.print_title_rows = f"1:{title_rows}"


def _finding_texts(title: str, plan: SheetPlan) -> Iterator[tuple[FindingRow, tuple[str, ...]]]:
    """Each finding of a table's sheet with its line's texts on the findings sheet."""
    for entry in plan.findings:
        finding = entry.finding
        texts = (
            title,
            plan.summary.file,
            plan.name,
            SEVERITY_WORDS[finding.severity],
            finding.id,
            check_title(finding.id),
            finding.message,
            finding.where,
            finding.path,
            finding.printed or "",
            finding.expected or "",
            finding.place or "",
        )
        yield entry, texts


class XlsxWriter(Writer):
    """One workbook: the summary, the findings (audits), then a sheet per table.

    The stream is binary; ``None`` makes a writer that only renders (worker
    processes). Each table's :meth:`render` is a :class:`SheetPlan`; :meth:`write`
    writes it as its sheet at once and closes it (openpyxl's write-only mode keeps
    its rows in a file, not in memory); only each table's line of the summary and its
    findings' lines are kept until :meth:`end` writes those two sheets and saves the
    workbook. Between two calls no sheet is left half written.
    """

    def __init__(
        self,
        stream: BinaryIO | None,
        *,
        profile_name: str,
        command: str,
        memo: Memo | None = None,
        findings_only: bool = False,
    ) -> None:
        super().__init__(
            None,
            profile_name=profile_name,
            command=command,
            memo=memo,
            findings_only=findings_only,
        )
        self.binary = stream
        self.lines: list[tuple[str, SummaryRow]] = []
        self.refused_messages: list[str] = []
        self.workbook: Any = None
        self.styles: Any = None
        self.summary_sheet: Any = None
        self.findings_sheet: Any = None
        self.findings: list[tuple[FindingRow, tuple[str, ...]]] = []

    def begin(self) -> None:
        """Start the workbook: the summary sheet first, then the findings sheet."""
        openpyxl = _openpyxl()
        self.workbook = openpyxl.Workbook(write_only=True)
        self.styles = _Styles(openpyxl)
        self.summary_sheet = _new_sheet(openpyxl, self.workbook, _SUMMARY)
        if self.command == "audit":  # written at the end, second all the same
            self.findings_sheet = _new_sheet(openpyxl, self.workbook, _FINDINGS)

    def render_table(
        self,
        file: str | None,
        index: int,
        card: Scorecard,
        findings: Sequence[Finding] | None,
    ) -> SheetPlan:
        """One table as a :class:`SheetPlan` (plain values: any process can make it)."""
        reviewed = (findings or ()) if self.command == "audit" else None
        return sheet_plan(card, reviewed, file=file, index=index)

    def write(self, rendered: SheetPlan | None) -> None:
        """Write one table's sheet and its findings, and keep its line of the summary."""
        if rendered is None:  # left out (findings_only)
            return
        plan = rendered
        self.count += 1
        title = sheet_name(self.count, plan.name)
        styles = self.styles
        sheet = _new_sheet(styles.openpyxl, self.workbook, title)
        styles.sheet = sheet
        _page_setup(sheet, title_rows=plan.title_rows, widths=plan.widths)
        for row, height in plan.heights:
            sheet.row_dimensions[row].height = height
        for top, left, bottom, right in plan.merges:
            sheet.merged_cells.add(f"{_letter(left)}{top}:{_letter(right)}{bottom}")
        comment = styles.openpyxl.comments.Comment
        cells: list[Any] = []
        current = 1
        for cell in plan.cells:
            while cell.row > current:
                sheet.append(cells)
                cells = []
                current += 1
            cells.extend([None] * (cell.column - 1 - len(cells)))
            made = styles.cell(cell.value, cell.style, cell.number_format, cell.severity)
            if cell.comment is not None:
                lines = _lines_needed([(cell.comment, 40)])
                made.comment = comment(
                    _writable(cell.comment), "perfscore", height=24 + 15 * lines, width=300
                )
            cells.append(made)
        sheet.append(cells)
        sheet.close()  # its rows are complete: the file behind them is closed, not kept open
        self.lines.append((title, plan.summary))
        self.findings.extend(_finding_texts(title, plan))

    def _write_findings(self) -> None:
        """The findings sheet: a line per finding, each linked to its cell."""
        styles = self.styles
        styles.sheet = sheet = self.findings_sheet
        widths = [display_width(header) + 3 for header in _FINDING_HEADERS]
        for _, texts in self.findings:
            for n, text in enumerate(texts):
                low, high = _FINDING_BOUNDS[n]
                widths[n] = max(widths[n], low, min(high, display_width(text) + 2))
        _page_setup(sheet, title_rows=1, widths=widths)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{_letter(len(widths))}{len(self.findings) + 1}"
        sheet.append([styles.cell(header, "head") for header in _FINDING_HEADERS])
        link = styles.openpyxl.worksheet.hyperlink.Hyperlink
        for at, (entry, texts) in enumerate(self.findings, 2):
            severity = entry.finding.severity
            cells = [
                styles.cell(
                    text,
                    "text" if n in _FINDING_WRAPPED else "line",
                    severity=severity if n == 3 else None,  # 严重程度
                )
                for n, text in enumerate(texts)
            ]
            cells[0] = styles.cell(texts[0], "link")
            target = f"'{texts[0]}'!{_letter(entry.column)}{entry.row}"
            cells[0].hyperlink = link(ref=f"A{at}", location=target)
            lines = _lines_needed((texts[n], widths[n]) for n in _FINDING_WRAPPED)
            if lines > 1:
                sheet.row_dimensions[at].height = lines * _LINE_HEIGHT + 4
            sheet.append(cells)

    def refused(self, error: PerfscoreError) -> None:
        """Note an input that could not be read, for the summary."""
        self.refused_messages.append(str(error))

    def end(self, summary: BatchSummary | None) -> None:
        """Write the summary sheet and save the workbook to the stream."""
        self.styles.sheet = self.summary_sheet
        self._write_summary(summary)
        if self.findings_sheet is not None:
            self._write_findings()
        if self.binary is None:  # pragma: no cover - a rendering-only writer
            raise ValueError("this writer only renders")
        properties = self.workbook.properties
        properties.creator = "perfscore"
        properties.title = f"perfscore {self.command} · 规则 {self.profile_name}"
        _save(self.styles.openpyxl, self.workbook, self.binary)

    def _summary_head(self, batch: BatchSummary | None) -> list[tuple[str, Value]]:
        """The batch's figures: from its summary (every table), else from the lines."""
        lines = [line for _, line in self.lines]
        printed = [line for line in lines if line.printed_total is not None]
        same = sum(line.printed_total == line.computed_total for line in printed)
        tables, printed_totals = len(lines), len(printed)
        found = [sum(line.counts[n] for line in lines) for n in range(len(SEVERITIES))]
        grades = ""
        if batch is not None:
            tables, printed_totals, same = batch.tables, batch.printed_totals, batch.reproduced
            found = [batch.by_severity.get(severity, 0) for severity in SEVERITIES]
            grades = " · ".join(f"{grade} {count}" for grade, count in batch.grades)
        head: list[tuple[str, Value]] = [
            ("命令", f"perfscore {self.command} · 规则 {self.profile_name}"),
            ("表数", tables),
        ]
        if self.findings_only:
            head.append(("列出的表（有发现）", len(lines)))
        head += [
            ("印有总分的表", printed_totals),
            ("总分复算一致", same),
            ("总分复算不一致", printed_totals - same),
        ]
        if grades:
            head.append(("等级", grades))
        if self.command == "audit":
            head += [
                (f"发现：{SEVERITY_WORDS[severity]}", count)
                for severity, count in zip(SEVERITIES, found, strict=True)
            ]
        if self.refused_messages:
            head.append(("未读入的输入", len(self.refused_messages)))
        return head

    def _summary_widths(self, columns: int) -> list[int]:
        widths = [display_width(header) + 3 for header in _SUMMARY_HEADERS[:columns]]
        for title, line in self.lines:
            texts = (str(len(self.lines)), title, line.file, line.name, "", line.department)
            for n, text in enumerate((*texts, line.kind)):
                low, high = _SUMMARY_BOUNDS[n]
                widths[n] = max(widths[n], low, min(high, display_width(text) + 2))
        widths[1] = max(widths[1], 12)
        widths[2] = max(widths[2], 16)  # the head's labels and values stand in B and C
        return widths

    def _write_summary(self, batch: BatchSummary | None) -> None:
        styles = self.styles
        sheet = self.summary_sheet
        columns = len(_SUMMARY_HEADERS) if self.command == "audit" else _SCORE_COLUMNS
        head = self._summary_head(batch)
        first = len(head) + 3  # the title, the head, a blank row, then the list's header
        widths = self._summary_widths(columns)
        _page_setup(sheet, title_rows=first, widths=widths)
        sheet.freeze_panes = f"A{first + 1}"
        sheet.merged_cells.add(f"A1:{_letter(columns)}1")
        sheet.append([styles.cell("perfscore 复核汇总", "title")])
        for number, (label, value) in enumerate(head, 2):
            sheet.merged_cells.add(f"A{number}:B{number}")
            sheet.merged_cells.add(f"C{number}:{_letter(min(columns, 6))}{number}")
            shown = styles.cell(value, "line", _TEXT if isinstance(value, str) else "0")
            sheet.append([styles.cell(label, "head"), styles.cell(None, "head"), shown])
        sheet.append([])
        sheet.append([styles.cell(header, "head") for header in _SUMMARY_HEADERS[:columns]])
        link = styles.openpyxl.worksheet.hyperlink.Hyperlink
        for number, (title, line) in enumerate(self.lines, 1):
            cells = self._summary_line(number, title, line)[:columns]
            cells[1].hyperlink = link(ref=f"B{first + number}", location=f"'{title}'!A1")
            height = _lines_needed(
                (text, widths[n]) for n, text in ((3, line.name), (5, line.department))
            )
            if height > 1:
                sheet.row_dimensions[first + number].height = height * _LINE_HEIGHT + 4
            sheet.append(cells)
        sheet.auto_filter.ref = f"A{first}:{_letter(columns)}{first + len(self.lines)}"
        if batch is not None and batch.by_id:
            sheet.append([])
            headers = ("问题", "", "问题说明", *(SEVERITY_WORDS[s] for s in SEVERITIES))
            row = first + len(self.lines) + 2
            sheet.merged_cells.add(f"A{row}:B{row}")
            sheet.append([styles.cell(header, "head") for header in headers])
            for check, counts in batch.by_id:
                row += 1
                sheet.merged_cells.add(f"A{row}:B{row}")
                sheet.append(
                    [
                        styles.cell(check, "line"),
                        styles.cell(None, "line"),
                        styles.cell(check_title(check), "line"),
                        *(
                            styles.cell(counts[severity], "number", "0", severity)
                            if counts.get(severity)
                            else styles.cell(None, "number")
                            for severity in SEVERITIES
                        ),
                    ]
                )
        if self.refused_messages:
            sheet.append([])
            sheet.append([styles.cell("未读入", "head")])
            for message in self.refused_messages:
                sheet.append([styles.cell(message, "line")])

    def _summary_line(self, number: int, title: str, line: SummaryRow) -> list[Any]:
        styles = self.styles
        printed = line.printed_total
        difference = None if printed is None else printed - line.computed_total
        if difference is None:
            gap = styles.cell(None, "computed")
        elif difference:
            gap = styles.cell(difference, "differs", _computed(difference)[1], "error")
        else:
            gap = styles.cell(difference, "computed", _computed(difference)[1])
        return [
            styles.cell(number, "number", "0"),
            styles.cell(title, "link"),
            styles.cell(line.file, "line"),
            styles.cell(line.name),
            styles.cell(line.year, "number", "0"),
            styles.cell(line.department),
            styles.cell(line.kind, "line"),
            styles.cell(printed, "number", line.printed_format),
            styles.cell(line.computed_total, "computed", line.computed_format),
            gap,
            styles.cell(line.grade, "line"),
            *(
                styles.cell(count, "number", "0", severity if count else None)
                for count, severity in zip(line.counts, SEVERITIES, strict=True)
            ),
        ]


# Every part of the archive is dated the earliest time a ZIP file can hold.
_ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)


def _save(openpyxl: Any, workbook: Any, stream: BinaryIO) -> None:  # noqa: ANN401
    """Save the workbook: the same input gives the same bytes.

    openpyxl's own ``save`` stamps the workbook and each part of its archive with the
    time of saving; here the document's creation and modification times and the
    parts' dates are all 1980-01-01 00:00 (the earliest a ZIP archive holds), so that
    a workbook can be compared with another byte for byte, like every other output.
    """
    workbook.properties.created = workbook.properties.modified = datetime(*_ZIP_TIME)  # noqa: DTZ001 - a fixed time, UTC as the format says
    with _Archive(stream, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        openpyxl.writer.excel.ExcelWriter(workbook, archive).write_data()


class _Archive(zipfile.ZipFile):
    """A ZIP archive whose parts carry a fixed date (see :func:`_save`)."""

    def writestr(  # type: ignore[override]
        self, name: str | zipfile.ZipInfo, data: bytes | str
    ) -> None:
        """Write a part from memory, dated :data:`_ZIP_TIME` (as openpyxl calls it)."""
        super().writestr(self._dated(name), data)

    def write(  # type: ignore[override]
        self, filename: str, arcname: str | None = None
    ) -> None:
        """Write a part from a file (a sheet's rows), dated :data:`_ZIP_TIME`."""
        info = self._dated(arcname or filename)
        with Path(filename).open("rb") as source, self.open(info, "w", force_zip64=True) as target:
            shutil.copyfileobj(source, target)

    def _dated(self, name: str | zipfile.ZipInfo) -> zipfile.ZipInfo:
        if isinstance(name, zipfile.ZipInfo):
            name.date_time = _ZIP_TIME
            return name
        info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info


def _letter(column: int) -> str:
    """A column's letters (1 → ``A``, 27 → ``AA``)."""
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters

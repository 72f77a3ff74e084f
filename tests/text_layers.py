"""Text layers written from tables, as PDF text extractions print them (test fixtures).

``write_text_layer(tables, variant, seed)`` prints tables the way a PDF's extracted text
shows them: each cell's text wrapped at its column's width, a wrapped cell's lines on
lines of their own with blank lines between some of them, consecutive one-line cells
of a row on one line, prose before and after, page breaks with page numbers and a
running head between the pieces, rows cut by a page break (the cut row's remaining
lines come after the break in column order), header spellings and column orders as
``documents.md`` lists them. The ``interleaved`` variant also prints a wrapped 三级
cell's first line before the row's figures and its other lines after them.

Run as a script, it regenerates the committed fixtures in tests/data/documents/:

    python tests/text_layers.py
"""

from __future__ import annotations

import json
import random
import sys
import unicodedata
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
EXAMPLES = HERE.parent / "examples" / "changji-2023"
FIXTURES = HERE / "data" / "documents"

TARGETS = ("年度指标值", "指标值", "目标值", "预期指标值", "年度指标值（A）")
ACTUALS = ("实际完成值", "实际值", "实际完成指标值", "全年实际值", "实际完成值（B）")
WEIGHTS = ("分值", "权重", "分值权重", "分值（分）")
SCORES = ("得分", "自评得分")
NOTES = ("偏差原因分析及改进措施", "偏差原因分析及下一步改进措施", "未完成原因分析及改进措施")
PROSE = (
    "本单位按照预算绩效管理要求，对下列项目开展了绩效自评，自评情况如下。",
    "以上自评结果经单位审核，真实反映了项目的绩效目标完成情况。",
)
RUNNING_HEAD = "某某局2023年度部门决算公开说明"


def width(text: str) -> int:
    """Printed width: CJK and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, columns: int) -> list[str]:
    """Lines of a cell ``columns`` wide; ASCII runs are not broken, spaces at a break go."""
    words: list[str] = []
    for char in text:
        if (
            char.isascii()
            and not char.isspace()
            and words
            and words[-1][-1:].isascii()
            and not words[-1][-1:].isspace()
        ):
            words[-1] += char
        else:
            words.append(char)
    lines = [""]
    for word in words:
        if lines[-1] and width(lines[-1] + word) > columns:
            lines.append("")
        if not (word.isspace() and not lines[-1]):
            lines[-1] += word
    return [line.strip() for line in lines if line.strip()] or [""]


class Printer:
    """Lines of a text layer with pages: page numbers, running heads, blank lines."""

    def __init__(self, rng: random.Random, page_lines: int) -> None:
        self.rng = rng
        self.page_lines = page_lines
        self.lines: list[str] = []
        self.on_page = 0
        self.page = 1

    def line(self, text: str) -> None:
        """One line, and now and then a blank line after it."""
        self.lines.append(text)
        self.on_page += 1
        if self.rng.random() < 0.4:
            self.lines.append("")

    def full(self) -> bool:
        """Whether the page has no room left."""
        return self.on_page >= self.page_lines

    def page_break(self) -> None:
        """The page number, a form feed or not, and the next page's running head."""
        self.lines.extend(["", f"- {self.page} -" if self.rng.random() < 0.5 else str(self.page)])
        self.page += 1
        self.lines.append("\f" + RUNNING_HEAD)
        self.on_page = 0


def cells_of(row: dict[str, Any], order: list[str], widths: dict[str, int]) -> list[list[str]]:
    """Each column's wrapped lines for one indicator row ([] for a blank cell)."""
    return [
        wrap(str(row[key]), widths[key]) if row.get(key) not in (None, "") else [] for key in order
    ]


def print_row(
    printer: Printer, cells: list[list[str]], order: list[str], *, interleaved: bool
) -> None:
    """One row: cells in column order, one-line neighbours on one line, cut by a page."""
    if printer.full() and any(len(lines) > 1 for lines in cells):
        # The page cuts the row: each cell's first lines here, the rest after the break.
        cut = printer.rng.uniform(0.3, 0.7)
        first = [
            lines[: max(1, round(len(lines) * cut))]
            if len(lines) > 1
            else (lines if cut >= 0.5 else [])
            for lines in cells
        ]
        rest = [lines[len(head) :] for lines, head in zip(cells, first, strict=True)]
        print_cells(printer, first, order, interleaved=False)
        printer.page_break()
        print_cells(printer, rest, order, interleaved=False)
        return
    if printer.full():
        printer.page_break()
    print_cells(printer, cells, order, interleaved=interleaved)


def print_cells(
    printer: Printer, cells: list[list[str]], order: list[str], *, interleaved: bool
) -> None:
    """Cells in column order; consecutive one-line cells share a line."""
    if interleaved and "level3" in order:
        at = order.index("level3")
        if len(cells[at]) > 1:
            # The 三级 cell's first line, the row's other cells, then its other lines.
            head, tail = cells[at][:1], cells[at][1:]
            cells = list(cells)
            cells[at] = head
            print_cells(printer, cells[: at + 1], order[: at + 1], interleaved=False)
            print_cells(printer, [[]] * (at + 1) + cells[at + 1 :], order, interleaved=False)
            for line in tail:
                printer.line(line)
            return
    pending: list[str] = []
    for lines in cells:
        if len(lines) == 1:
            pending.append(lines[0])
            continue
        if pending:
            printer.line(" ".join(pending))
            pending = []
        for line in lines:
            printer.line(line)
    if pending:
        printer.line(" ".join(pending))


def print_head(printer: Printer, table: dict[str, Any], rng: random.Random) -> None:
    """Title, year, identity rows and the funds block."""
    department = table.get("kind") == "department"
    title = "部门（单位）整体支出绩效自评表" if department else "项目支出绩效自评表"
    printer.line(" ".join(title) if rng.random() < 0.5 else title)
    printer.line(f"（{table.get('year', 2023)} 年度）")
    if department:
        printer.line(f"部门（单位）名称 {table['name']}")
    else:
        name = wrap(table["name"], 40)
        printer.line(f"项目名称 {name[0]}")
        for line in [*name[1:], "主管部门", *wrap(table.get("department", ""), 26)]:
            printer.line(line)
        printer.line(f"实施单位 {table.get('implementer', '')}")
    for line in wrap(f"项目资金（{table.get('money_unit', '万元')}）", 8):
        printer.line(line)
    printer.line("年初预算数 全年预算数 全年执行数 分值 执行率 得分")
    for row in table.get("funds", []):
        label = wrap(row["label"], 12)
        keys = ("initial_budget", "annual_budget", "executed", "weight", "rate", "score")
        for line in label[:-1]:
            printer.line(line)
        printer.line(" ".join([label[-1], *(row.get(key) or "—" for key in keys)]))
    goal = table.get("goal") or {}
    if goal:
        for line in ("年度", "总体", "目标", "预期目标 实际完成情况"):
            printer.line(line)
        for line in wrap(goal.get("expected", ""), rng.choice((44, 48))):
            printer.line(line)
        for line in wrap(goal.get("achieved", ""), rng.choice((38, 40))):
            printer.line(line)


def print_table(
    printer: Printer, table: dict[str, Any], rng: random.Random, *, interleaved: bool
) -> None:
    """One table, header spellings and column order drawn from ``rng``."""
    print_head(printer, table, rng)
    rows = table["indicators"]
    order = ["level1", "level2", "level3", "target", "actual", "weight", "score"]
    if any("basis" in row for row in rows):
        order = ["level1", "level2", "level3", "target", "basis", "weight", "actual", "score"]
    if any("deviation_note" in row for row in rows) or rng.random() < 0.5:
        order.append("deviation_note")
    names = {
        "level1": "一级指标",
        "level2": "二级指标",
        "level3": "三级指标",
        "target": rng.choice(TARGETS),
        "actual": rng.choice(ACTUALS),
        "weight": rng.choice(WEIGHTS),
        "score": rng.choice(SCORES),
        "deviation_note": rng.choice(NOTES),
        "basis": "指标值设定依据",
    }
    widths = {
        "level1": 6,
        "level2": rng.choice((8, 12)),
        "level3": rng.choice((10, 12)),
        "target": 12,
        "actual": 12,
        "weight": 4,
        "score": 6,
        "basis": 10,
        "deviation_note": rng.choice((8, 10)),
    }
    print_cells(printer, [wrap(names[key], widths[key]) for key in order], order, interleaved=False)
    for line in ("年度", "绩效", "指标", "完成", "情况"):
        printer.line(line)
    above: dict[str, str] = {}
    for row in rows:
        # A merged label is printed once, on the first row of its group.
        shown = dict(row)
        if above.get("level1") == row["level1"]:
            shown["level1"] = ""
            if above.get("level2") == row["level2"]:
                shown["level2"] = ""
        above = {"level1": row["level1"], "level2": row["level2"]}
        print_row(printer, cells_of(shown, order, widths), order, interleaved=interleaved)
    if "total" in table:
        printer.line(f"总分 100 {table['total']} 分")


def write_text_layer(tables: list[dict[str, Any]], *, interleaved: bool, seed: int) -> str:
    """The text layer of a document holding ``tables`` among prose."""
    rng = random.Random(seed)  # noqa: S311 - reproducible fixtures, not secrets
    printer = Printer(rng, page_lines=rng.choice((45, 60, 80)))
    printer.line(PROSE[0])
    for table in tables:
        if rng.random() < 0.5:
            printer.page_break()
        print_table(printer, table, rng, interleaved=interleaved)
    printer.line(PROSE[1])
    return "\n".join(printer.lines) + "\n"


def examples() -> list[dict[str, Any]]:
    """The seed's 17 tables, in order."""
    return [
        json.loads(path.read_text(encoding="utf-8")) for path in sorted(EXAMPLES.glob("*.json"))
    ]


def main() -> None:
    """Write the fixtures."""
    FIXTURES.mkdir(parents=True, exist_ok=True)
    tables = examples()
    for name, interleaved, seed in (("stream", False, 17), ("interleaved", True, 23)):
        path = FIXTURES / f"changji-2023-{name}.txt"
        path.write_text(
            write_text_layer(tables, interleaved=interleaved, seed=seed), encoding="utf-8"
        )
        sys.stdout.write(f"wrote {path}\n")


if __name__ == "__main__":
    main()

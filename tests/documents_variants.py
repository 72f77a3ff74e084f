"""Documents written from tables, in the layout variants real prints use.

Give ``perfscore.table/1`` dicts (the examples, or :func:`perfscore.testing.table_dicts`)
and a :class:`Variant`, a frozen record of layout choices, and :func:`write` writes
them as a workbook (openpyxl), a Word report (python-docx) or a web page (string
building), laid out as the official form with that variant's choices: every variation
``documents.md`` lists (titles inside or above the grid, traditional characters, the
year and unit lines, identity rows merged or split, the funds block's first cell, its
header spellings and the row printing the 执行率, the goal block's layouts, a leading
绩效指标 column, the indicator block's header spellings, order, group headers and extra
or missing columns, labels merged, repeated or printed once, the total row, several
tables to a sheet or a table, numbers stored as numbers with number formats, prose
around the tables, Word-exported and hand-typed web pages).

:func:`write` returns a :class:`Written`: the document's bytes, the tables a reader
should give back (the dicts as the document prints them: what the variant leaves out
is not there, a blank column reads blank) and the place of every value it wrote, by
the value's key, so a test checks the values read and where each was read from.

:func:`variants` draws variants with Hypothesis. ``tests/data/documents/make.py``
writes the committed fixtures (:data:`FIXTURES`) with this module.
"""

from __future__ import annotations

import copy
import html
import io
import math
import re
import unicodedata
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs
from hypothesis import strategies as st

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

Key = tuple[Any, ...]  # (0, "indicators", 3, "target"), (1, "name"), (0, "goal", "expected")
Format = Literal["xlsx", "docx", "html"]
FORMATS: Final[tuple[Format, ...]] = ("xlsx", "docx", "html")
Labels = Literal["merged", "repeated", "once"]

# ---------------------------------------------------------------------------------
# The choices


@attrs.frozen
class Variant:
    """One way of printing the form: each choice a real print makes differently."""

    # Title lines
    title: Literal["grid", "above", "none"] = "grid"
    title_merged: bool = True  # a title in the grid merged across, or in its first cell
    caption: bool = False  # web page: the lines above the grid in the table's <caption>
    traditional: bool = False  # the form's own words in traditional characters
    year: Literal["line", "title", "title_end", "none"] = "line"
    year_style: int = 0  # of a year line: （2023年度）, 2023年度, (2023年), 2023年
    unit_line: Literal["none", "unit", "filler"] = "unit"  # 单位：万元 / 填报单位：… 单位：万元
    filler: str = "昌吉回族自治州工业和信息化局"  # the 填报单位
    footer: bool = False  # 填表人：… 填报日期：2024年3月15日 under the grid
    # Identity rows
    identity: Literal["split", "stacked", "inline", "inline_above"] = "split"
    identity_label_columns: int = 2
    identity_merged: bool = True  # a value merged across the columns it has
    blank_identity: bool = True  # 主管部门 / 实施单位 printed with blank values
    no_department: bool = False  # 主管部门 blank, 实施单位 filled
    department_words: int = 0  # 部门（单位）名称, 部门名称, 单位名称
    contact_row: bool = False  # 项目负责人 | … | 联系电话 | …
    tasks: bool = False  # a department form's 年度主要任务 block (预算数 | 执行数)
    # Funds block
    funds_first: Literal["merged", "header", "label_header", "none"] = "merged"
    funds_words: int = 0  # 项目资金（万元）, 资金情况, 年度资金, 项目资金, 资金来源
    funds_label_columns: int = 1
    amounts: Literal["all", "no_initial"] = "all"
    fund_tail: tuple[str, ...] = ("weight", "rate", "score")
    fund_spellings: int = 0
    fund_dashes: bool = False  # — in the 分值 / 执行率 / 得分 cells of the other rows
    execution: Literal["as_is", "first_row", "total_last", "department"] = "as_is"
    # Goal block
    goal: Literal["merged", "unmerged", "single", "rows"] = "merged"
    # Indicator block
    lead: Literal["none", "绩效指标", "年度绩效指标完成情况"] = "绩效指标"
    lead_merged: bool = True
    indicator_header: Literal["one_row", "group_levels", "group_values"] = "one_row"
    order: tuple[str, ...] = ("target", "actual", "weight", "score", "deviation_note")
    spellings: tuple[int, ...] = (0, 0, 0, 0, 0)  # target, actual, weight, score, note
    extras: tuple[str, ...] = ()  # 备注, 评分标准, 指标值设定依据, after the others
    extras_filled: bool = False
    weight_column: bool = True  # False: no 分值 column at all
    score_column: bool = True  # a 得分 column where the table prints no score
    note_column: bool = True  # a 偏差原因 column where the table has no note
    labels: Labels = "merged"  # 一级指标 labels
    labels2: Labels = "merged"  # 二级指标 labels
    total_row: Literal["总分", "合计", "总　分", "none"] = "总分"
    header_breaks: bool = False  # 年初预\n算数: a header broken over two lines
    wide: Literal["last", "level3", "note"] = "last"  # the column taking the spare width
    # Cells
    money_unit: Literal["as_is", "元"] = "as_is"
    multiline: bool = False  # a goal and a note of two lines
    kind: Literal["as_is", "department"] = "as_is"
    # Documents
    stacked: bool = False  # the tables in one sheet / one Word or HTML table
    split: Literal["none", "bare", "header"] = "none"  # Word / web: a form cut in two tables
    gap: int = 2  # blank rows between stacked tables
    offset: tuple[int, int] = (0, 0)  # workbook: where the first table starts
    numbers: bool = False  # workbook: numbers stored as numbers with a number format
    # 0.00; 0.00_ and #,##0.00_);[Red](#,##0.00); 会计专用 (_ * #,##0.00_ ;…)
    number_style: Literal["plain", "padded", "accounting"] = "plain"
    computed_rates: bool = False  # workbook: 执行率 stored as a formula leaves it
    prose: bool = False  # Word / web page: prose before, between and after the tables
    markup: Literal["plain", "word", "loose"] = "plain"  # web page: Word-exported, HTML 4
    encoding: Literal["utf-8", "gb18030"] = "utf-8"
    layout_table: bool = False  # web page: laid out in a table, the forms nested in a cell
    # Printing (what a PDF printed from the workbook or the Word report looks like)
    borders: Literal["all", "body", "none"] = "all"  # workbook: ruled cells; body: not the
    # title and unit rows inside the grid (as many sheets print them); none: no rulings
    orientation: Literal["portrait", "landscape"] = "portrait"
    paper: Literal["a4", "letter"] = "a4"  # Word: A4 with 25 mm margins, or python-docx's
    # own page (Letter, 1¼-inch margins left and right)
    fit_width: bool = True  # workbook: printed fit to the page's width
    repeat_header: bool = False  # the indicator header rows repeated on every page
    rows_whole: bool = False  # Word: rows may not break across pages (else Word's default)
    widths: Literal["fitted", "equal"] = "fitted"  # Word: column widths by the texts, or
    # equal (python-docx's own, its table laid out automatically)


PROJECT_TITLE: Final = "项目支出绩效自评表"
DEPARTMENT_TITLES: Final = ("部门整体支出绩效自评表", "部门（单位）整体支出绩效自评表")
YEAR_STYLES: Final = ("（{}年度）", "{}年度", "({}年)", "{}年")
DEPARTMENT_WORDS: Final = ("部门（单位）名称", "部门名称", "单位名称")
FUNDS_WORDS: Final = ("项目资金（{unit}）", "资金情况", "年度资金", "项目资金", "资金来源")
FUND_HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "initial_budget": ("年初预算数", "年初预算数（A）", "年初预算数（{unit}）"),
    "annual_budget": ("全年预算数", "全年预算数（B）", "全年预算数（{unit}）"),
    "executed": ("全年执行数", "全年执行数（C）", "全年执行数（{unit}）"),
    "weight": ("分值", "分值权重", "权重"),
    "rate": ("执行率", "执行率（C/B）", "预算执行率"),
    "score": ("得分", "得分", "自评得分"),
}
INDICATOR_HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "target": ("年度指标值", "指标值", "年度指标值（A）", "目标值"),
    "actual": ("实际完成值", "实际值", "全年实际值", "实际完成值（B）"),
    "weight": ("分值", "权重", "分值（分）", "分值"),
    "score": ("得分", "自评得分", "得分（分）", "得分"),
    "deviation_note": (
        "偏差原因分析及改进措施",
        "偏差原因分析及下一步改进措施",
        "未完成原因分析及改进措施",
        "偏差原因分析及改进措施",
    ),
}
EXTRA_HEADERS: Final = ("备注", "评分标准", "指标值设定依据")
EXTRA_TEXTS: Final = {"备注": "无", "评分标准": "完成得满分"}
VALUE_FIELDS: Final = ("target", "actual", "weight", "score", "deviation_note")
FUND_TAILS: Final = (
    ("weight", "rate", "score"),
    ("rate", "weight", "score"),
    ("weight", "score", "rate"),
    ("rate", "score"),
    ("rate",),
    (),
)
# 元谋县 starts with the money unit's character: a 填报单位 is not a unit line.
FILLERS: Final = ("昌吉回族自治州工业和信息化局", "元谋县财政局", "")
TASKS: Final = (
    ("推进工业经济运行", "开展运行监测分析", "120.00", "118.50"),
    ("开展安全生产检查", "检查民爆企业14家", "35.00", "35.00"),
)

# The form's own words in traditional characters, as mirror sites print them.
_TRADITIONAL: Final = str.maketrans(
    "项目支出绩效自评表级标实际值预算数执行总单门称资万产质时满价务备注说据设体权调报进况额计划来源",
    "項目支出績效自評表級標實際值預算數執行總單門稱資萬產質時滿價務備註說據設體權調報進況額計劃來源",
)


def variants() -> st.SearchStrategy[Variant]:
    """Variants drawn across every choice."""
    return st.builds(
        Variant,
        title=st.sampled_from(["grid", "above", "none"]),
        title_merged=st.booleans(),
        caption=st.booleans(),
        traditional=st.booleans(),
        year=st.sampled_from(["line", "title", "title_end", "none"]),
        year_style=st.integers(0, len(YEAR_STYLES) - 1),
        unit_line=st.sampled_from(["none", "unit", "filler"]),
        filler=st.sampled_from(FILLERS),
        footer=st.booleans(),
        identity=st.sampled_from(["split", "stacked", "inline", "inline_above"]),
        identity_label_columns=st.integers(1, 2),
        identity_merged=st.booleans(),
        blank_identity=st.booleans(),
        no_department=st.booleans(),
        department_words=st.integers(0, len(DEPARTMENT_WORDS) - 1),
        contact_row=st.booleans(),
        tasks=st.booleans(),
        funds_first=st.sampled_from(["merged", "header", "label_header", "none"]),
        funds_words=st.integers(0, len(FUNDS_WORDS) - 1),
        funds_label_columns=st.integers(1, 2),
        amounts=st.sampled_from(["all", "no_initial"]),
        fund_tail=st.sampled_from(FUND_TAILS),
        fund_spellings=st.integers(0, 2),
        fund_dashes=st.booleans(),
        execution=st.sampled_from(["as_is", "first_row", "total_last", "department"]),
        goal=st.sampled_from(["merged", "unmerged", "single", "rows"]),
        lead=st.sampled_from(["none", "绩效指标", "年度绩效指标完成情况"]),
        lead_merged=st.booleans(),
        indicator_header=st.sampled_from(["one_row", "group_levels", "group_values"]),
        order=st.permutations(VALUE_FIELDS).map(tuple),
        spellings=st.tuples(*(st.integers(0, 3) for _ in VALUE_FIELDS)),
        extras=st.lists(st.sampled_from(EXTRA_HEADERS), unique=True, max_size=2).map(tuple),
        extras_filled=st.booleans(),
        weight_column=st.booleans(),
        score_column=st.booleans(),
        note_column=st.booleans(),
        labels=st.sampled_from(["merged", "repeated", "once"]),
        labels2=st.sampled_from(["merged", "repeated", "once"]),
        total_row=st.sampled_from(["总分", "合计", "总　分", "none"]),
        header_breaks=st.booleans(),
        wide=st.sampled_from(["last", "level3", "note"]),
        money_unit=st.sampled_from(["as_is", "元"]),
        multiline=st.booleans(),
        kind=st.sampled_from(["as_is", "department"]),
        stacked=st.booleans(),
        split=st.sampled_from(["none", "bare", "header"]),
        gap=st.integers(1, 3),
        offset=st.tuples(st.integers(0, 3), st.integers(0, 2)),
        numbers=st.booleans(),
        number_style=st.sampled_from(["plain", "padded", "accounting"]),
        computed_rates=st.booleans(),
        prose=st.booleans(),
        markup=st.sampled_from(["plain", "word", "loose"]),
        encoding=st.sampled_from(["utf-8", "gb18030"]),
        layout_table=st.booleans(),
        borders=st.sampled_from(["all", "body", "none"]),
        orientation=st.sampled_from(["portrait", "landscape"]),
        paper=st.sampled_from(["a4", "letter"]),
        fit_width=st.booleans(),
        repeat_header=st.booleans(),
        rows_whole=st.booleans(),
        widths=st.sampled_from(["fitted", "equal"]),
    )


# ---------------------------------------------------------------------------------
# What a variant prints of a table, and what a reader should give back


def printed(table: dict[str, Any], variant: Variant) -> dict[str, Any]:
    """The table as the variant prints it: its rows moved, its goal joined, its kind."""
    table = copy.deepcopy(table)
    for key in ("origin", "places", "source", "format"):
        table.pop(key, None)
    if variant.kind == "department":
        table["kind"] = "department"
    if variant.money_unit == "元":
        table["money_unit"] = "元"
    if variant.no_department:
        table.pop("department", None)
    _move_execution(table.get("funds", []), variant)
    if variant.multiline:
        if table.get("goal", {}).get("expected"):
            table["goal"]["expected"] += "\n（二）按期完成年度各项任务。"
        noted = next((row for row in table["indicators"] if row.get("deviation_note")), None)
        if noted is not None:
            noted["deviation_note"] = f"1.原因：{noted['deviation_note']}\n2.措施：加强管理"
    goal = table.get("goal")
    if goal and variant.goal == "single":
        table["goal"] = {"expected": goal.get("expected") or goal.get("achieved")}
    return table


def _move_execution(funds: list[dict[str, Any]], variant: Variant) -> None:
    """The total row printed last (as 合计), the 执行率's cells on the first row."""
    total_at = next(
        (i for i, row in enumerate(funds) if row["label"] in {"年度资金总额", "合计", "总计"}),
        None,
    )
    if variant.execution in {"total_last", "department"} and total_at is not None:
        row = funds.pop(total_at)
        row["label"] = "合计" if variant.execution == "department" else row["label"]
        funds.append(row)
    if variant.execution in {"first_row", "department"} and len(funds) > 1:
        source = next((row for row in funds if "rate" in row or "weight" in row), None)
        if source is not None and source is not funds[0]:
            for field in ("weight", "rate", "score"):
                if field in source:
                    funds[0][field] = source.pop(field)


def expected(table: dict[str, Any], variant: Variant) -> dict[str, Any]:
    """What a reader should give back of a printed table (see :func:`printed`).

    What the variant does not print is not there (a year printed nowhere, a money unit
    printed nowhere is the default 万元, the weights of a form with no 分值 column, a
    total with no total row); a column printed blank reads blank (``""``) where the
    format keeps a blank cell (分值, 得分, the amounts); an extra column is kept under
    its header.
    """
    table = copy.deepcopy(table)
    if variant.year == "none" or (variant.year != "line" and variant.title == "none"):
        table.pop("year", None)
    if not _money_unit_printed(variant):
        table["money_unit"] = "万元"
    for row in table.get("funds", []):
        if variant.amounts == "no_initial":
            row["initial_budget"] = ""
        for field in ("weight", "rate", "score"):
            if field not in variant.fund_tail:
                row.pop(field, None)
    columns = _indicator_columns(table, variant)
    fields = {field for field, _ in columns}
    for row in table["indicators"]:
        _expected_row(row, columns, variant)
    if variant.total_row == "none" or "score" not in fields:
        table.pop("total", None)
    return table


def _expected_row(row: dict[str, Any], columns: list[tuple[str, str]], variant: Variant) -> None:
    """An indicator row as read: no 分值 column reads blank, a blank 得分 column too."""
    fields = {field for field, _ in columns}
    row["weight"] = row.get("weight", "") if "weight" in fields else ""
    if "score" in fields:
        row.setdefault("score", "")
    else:
        row.pop("score", None)
    for field, header in columns:
        if field == "extra" and variant.extras_filled:
            row[_extra_key(header, variant)] = EXTRA_TEXTS[header]


def _extra_key(header: str, variant: Variant) -> str:
    """The key an extra column's cells are kept under: its header as printed, unbroken."""
    return "".join(_word(header, variant).split())


def _money_unit_printed(variant: Variant) -> bool:
    if variant.unit_line != "none":
        return True
    heads = FUNDS_WORDS[variant.funds_words] if variant.funds_first != "none" else ""
    spelled = [FUND_HEADERS[field][variant.fund_spellings] for field in _amount_fields(variant)]
    return "{unit}" in heads or any("{unit}" in head for head in spelled)


def _amount_fields(variant: Variant) -> tuple[str, ...]:
    if variant.amounts == "no_initial":
        return ("annual_budget", "executed")
    return ("initial_budget", "annual_budget", "executed")


def _indicator_columns(table: dict[str, Any], variant: Variant) -> list[tuple[str, str]]:
    """The indicator block's columns after the three levels: (field, header).

    ``field`` is an indicator field, or ``extra`` for a column the format does not
    define (备注, 评分标准).
    """
    has = {field for row in table["indicators"] for field, text in row.items() if text}
    wanted = {
        "target": True,
        "actual": True,
        "weight": variant.weight_column,
        "score": "score" in has or variant.score_column,
        "deviation_note": "deviation_note" in has or variant.note_column,
    }
    columns = [
        (field, INDICATOR_HEADERS[field][variant.spellings[VALUE_FIELDS.index(field)]])
        for field in variant.order
        if wanted[field]
    ]
    extras = list(variant.extras)
    if "basis" in has and "指标值设定依据" not in extras:
        extras.append("指标值设定依据")
    columns.extend(
        ("basis" if header == "指标值设定依据" else "extra", header) for header in extras
    )
    return columns


# ---------------------------------------------------------------------------------
# The form as cells


@attrs.frozen
class Put:
    """A cell put on a grid: its text, its span, the keys of the values it prints."""

    row: int
    column: int
    text: str
    rows: int = 1
    columns: int = 1
    keys: tuple[Key, ...] = ()
    number: bool = False  # a workbook may store it as a number
    word: bool = False  # one of the form's own words (a title, a header, a label)
    # body: a cell of the form; title: a title or unit row printed in the grid (unruled
    # where the variant rules the body only); line: a line of text, never ruled or wrapped
    frame: Literal["body", "title", "line"] = "body"


@attrs.define
class Drawing:
    """A grid being drawn: cells put at positions, and its size."""

    width: int
    puts: list[Put] = attrs.field(factory=list)
    height: int = 0

    def put(
        self,
        row: int,
        column: int,
        text: str,
        rows: int = 1,
        columns: int = 1,
        keys: Iterable[Key] = (),
        *,
        number: bool = False,
        word: bool = False,
        frame: Literal["body", "title", "line"] = "body",
    ) -> None:
        """Put a cell (``rows`` × ``columns`` from ``row``, ``column``)."""
        self.puts.append(Put(row, column, text, rows, columns, tuple(keys), number, word, frame))
        self.height = max(self.height, row + rows)
        self.width = max(self.width, column + columns)

    def below(self, other: Drawing, gap: int) -> None:
        """Draw another grid under this one, ``gap`` blank rows between."""
        top = self.height + gap if self.puts else 0
        for put in other.puts:
            self.puts.append(attrs.evolve(put, row=put.row + top))
        self.height = top + other.height
        self.width = max(self.width, other.width)


@attrs.frozen
class Line:
    """A line printed outside the grid: a title or note above or below it, prose."""

    text: str
    heading: bool = False


@attrs.frozen
class Form:
    """One table printed: the lines above its grid, the grid, the lines below."""

    above: tuple[Line, ...]
    grid: Drawing
    below: tuple[Line, ...]
    header: tuple[int, int] = (0, 0)  # the indicator block's header rows, in the grid
    rows: tuple[int, int] = (0, 0)  # its indicator rows
    continues: bool = False  # the second grid of a form cut in two
    whole: Drawing | None = None  # of a form cut in two: the form's grid (its widths)


def _word(text: str, variant: Variant, *, breaks: bool = True) -> str:
    """One of the form's own words, in the variant's characters and line breaks."""
    if variant.traditional:
        text = text.translate(_TRADITIONAL)
    if breaks and variant.header_breaks and len(text) >= 4 and "（" not in text:
        middle = len(text) // 2
        text = f"{text[:middle]}\n{text[middle:]}"
    return text


def _spread(count: int, width: int, start: int = 0, wide: int = -1) -> list[tuple[int, int]]:
    """``count`` columns from ``start`` filling ``width``: column ``wide`` takes the rest."""
    if not count:
        return []
    spans = [1] * count
    spans[wide] += width - start - count
    placed, column = [], start
    for span in spans:
        placed.append((column, span))
        column += span
    return placed


class _Former:
    """Draws one table's form in a variant, block by block."""

    def __init__(self, table: dict[str, Any], number: int, variant: Variant) -> None:
        self.table = table
        self.number = number
        self.variant = variant
        self.columns = _indicator_columns(table, variant)
        self.lead = 1 if variant.lead != "none" else 0
        self.label_at = 1 if variant.funds_first in {"merged", "header"} else 0
        self.amounts = _amount_fields(variant)
        funds_width = (
            self.label_at + variant.funds_label_columns + len(self.amounts) + len(variant.fund_tail)
        )
        self.width = max(
            self.lead + 3 + len(self.columns),
            funds_width,
            2 * variant.identity_label_columns + 2,
            5,
        )
        self.drawing = Drawing(self.width)
        self.above: list[Line] = []
        self.below: list[Line] = []
        self.row = 0
        self.header_rows = self.body_rows = (0, 0)

    def word(self, text: str, *, breaks: bool = True) -> str:
        return _word(text, self.variant, breaks=breaks)

    def form(self) -> Form:
        self.title()
        self.identity()
        if self.variant.tasks and self.table.get("kind") == "department":
            self.tasks()
        if self.table.get("funds"):
            self.funds()
        if self.table.get("goal"):
            self.goal()
        self.indicators()
        if self.variant.footer:
            self.below.append(
                Line("填表人：张三　　联系电话：0994-2345678　　填报日期：2024年3月15日")
            )
        return Form(
            tuple(self.above), self.drawing, tuple(self.below), self.header_rows, self.body_rows
        )

    # ---- title lines

    def title_lines(self) -> list[str]:
        """The title (with the year, where the variant puts it there) and the year line."""
        variant, table = self.variant, self.table
        if table.get("kind") == "department":
            title = DEPARTMENT_TITLES[self.number % 2]
        else:
            title = PROJECT_TITLE
        year = table.get("year")
        if year is not None and variant.year == "title":
            title = f"{year}年度{title}"
        elif year is not None and variant.year == "title_end":
            title = f"{title}（{year}年度）"
        lines: list[str] = []
        if variant.title != "none":
            lines.append(self.word(title, breaks=False))
        if year is not None and variant.year == "line":
            lines.append(YEAR_STYLES[variant.year_style].format(year))
        return lines

    def title(self) -> None:
        """The title lines and the unit line, in the grid or above it."""
        variant, table = self.variant, self.table
        lines = self.title_lines()
        unit = self.word(f"单位：{table.get('money_unit', '万元')}", breaks=False)
        filler = f"填报单位：{variant.filler}" if variant.unit_line == "filler" else ""
        in_grid = variant.title == "grid"
        for text in lines:
            if in_grid:
                columns = self.width if variant.title_merged else 1
                self.drawing.put(self.row, 0, text, columns=columns, word=True, frame="title")
                self.row += 1
            else:
                self.above.append(Line(text, heading=True))
        if variant.unit_line == "none":
            return
        if in_grid:
            if filler:
                self.drawing.put(self.row, 0, filler, columns=self.width - 2, frame="title")
            self.drawing.put(self.row, self.width - 2, unit, columns=2, word=True, frame="title")
            self.row += 1
        else:
            self.above.append(Line(f"{filler}　　{unit}" if filler else unit))

    # ---- identity

    def labelled(self, label: str, value: str, keys: list[Key], start: int, stop: int) -> None:
        """A label and its value, the value merged over the columns to ``stop`` or not."""
        span = self.variant.identity_label_columns
        row = self.row
        self.drawing.put(row, start, self.word(label), columns=span, word=True)
        rest = stop - start - span
        if self.variant.identity_merged or rest == 1:
            self.drawing.put(row, start + span, value, columns=rest, keys=keys)
        else:
            self.drawing.put(row, start + span, value, keys=keys)
            for column in range(start + span + 1, stop):
                self.drawing.put(row, column, "")

    def identity(self) -> None:
        variant, table, number = self.variant, self.table, self.number
        label = (
            DEPARTMENT_WORDS[variant.department_words]
            if table.get("kind") == "department"
            else "项目名称"
        )
        department, implementer = table.get("department"), table.get("implementer")
        if variant.identity in {"inline", "inline_above"}:
            self.inline_identity(label, department, implementer)
            return
        self.labelled(
            label, table["name"], [(number, "name")] if table["name"] else [], 0, self.width
        )
        self.row += 1
        if department is not None or implementer is not None or variant.blank_identity:
            department_keys = [(number, "department")] if department else []
            implementer_keys = [(number, "implementer")] if implementer else []
            if variant.identity == "split":
                span = variant.identity_label_columns
                middle = min(span + max(1, (self.width - 2 * span) // 2), self.width - span - 1)
                self.labelled("主管部门", department or "", department_keys, 0, middle)
                self.labelled("实施单位", implementer or "", implementer_keys, middle, self.width)
                self.row += 1
            else:
                self.labelled("主管部门", department or "", department_keys, 0, self.width)
                self.row += 1
                self.labelled("实施单位", implementer or "", implementer_keys, 0, self.width)
                self.row += 1
        if variant.contact_row:
            half = max(variant.identity_label_columns + 1, self.width // 2)
            self.labelled("项目负责人", "张三", [], 0, half)
            self.labelled("联系电话", "0994-2345678", [], half, self.width)
            self.row += 1

    def inline_identity(self, label: str, department: str | None, implementer: str | None) -> None:
        """项目名称：… and 主管部门：…　　实施单位：… in one cell each, or lines above."""
        table, number = self.table, self.number
        lines = [(f"{self.word(label, breaks=False)}：{table['name']}", [(number, "name")])]
        if department is not None or implementer is not None or self.variant.blank_identity:
            text = (
                f"{self.word('主管部门', breaks=False)}：{department or ''}　　"
                f"{self.word('实施单位', breaks=False)}：{implementer or ''}"
            )
            keys = [(number, "department")] if department else []
            lines.append((text, keys + ([(number, "implementer")] if implementer else [])))
        for text, keys in lines:
            if self.variant.identity == "inline_above":
                self.above.append(Line(text))
            else:
                self.drawing.put(self.row, 0, text, columns=self.width, keys=keys)
                self.row += 1

    # ---- a department's tasks

    def tasks(self) -> None:
        """年度主要任务 | 任务名称 | 主要内容 | 预算数 | 执行数: not a funds block."""
        top, drawing = self.row, self.drawing
        spans = _spread(4, self.width, 1)
        drawing.put(top, 0, self.word("年度主要任务"), rows=len(TASKS) + 1, word=True)
        for head, (column, span) in zip(
            ("任务名称", "主要内容", "预算数", "执行数"), spans, strict=True
        ):
            drawing.put(top, column, self.word(head), columns=span, word=True)
        for index, task in enumerate(TASKS):
            for text, (column, span) in zip(task, spans, strict=True):
                drawing.put(top + 1 + index, column, text, columns=span, number=True)
        self.row = top + 1 + len(TASKS)

    # ---- funds

    def funds(self) -> None:
        variant, drawing, number = self.variant, self.drawing, self.number
        funds = self.table["funds"]
        top = self.row
        words = self.word(
            FUNDS_WORDS[variant.funds_words].format(unit=self.table.get("money_unit", "万元"))
        )
        label_columns = variant.funds_label_columns
        if variant.funds_first == "merged":
            drawing.put(top, 0, words, rows=len(funds) + 1, word=True)
        elif variant.funds_first == "header":
            drawing.put(top, 0, words, word=True)
        if variant.funds_first == "label_header":
            drawing.put(top, 0, words, columns=label_columns, word=True)
        else:
            drawing.put(top, self.label_at, "", columns=label_columns)
        fields = [*self.amounts, *variant.fund_tail]
        spans = _spread(len(fields), self.width, self.label_at + label_columns)
        unit = self.table.get("money_unit", "万元")
        for field, (column, span) in zip(fields, spans, strict=True):
            head = FUND_HEADERS[field][variant.fund_spellings].format(unit=unit)
            drawing.put(top, column, self.word(head), columns=span, word=True)
        for index, fund in enumerate(funds):
            row = top + 1 + index
            if variant.funds_first == "header":
                drawing.put(row, 0, "")
            label_keys = [(number, "funds", index, "label")]
            drawing.put(row, self.label_at, fund["label"], columns=label_columns, keys=label_keys)
            for field, (column, span) in zip(fields, spans, strict=True):
                text = fund.get(field, "")
                if not text and variant.fund_dashes and field not in self.amounts:
                    text = "—"  # printed, but says nothing: not a value
                    keys = []
                else:
                    keys = [(number, "funds", index, field)] if text else []
                drawing.put(row, column, text, columns=span, keys=keys, number=True)
        self.row = top + 1 + len(funds)

    # ---- goal

    def goal(self) -> None:
        variant, drawing, number = self.variant, self.drawing, self.number
        goal = self.table["goal"]
        row, width = self.row, self.width
        label = self.word("年度总体目标")
        columns = min(max(1, self.label_at + variant.funds_label_columns), width - 2)

        def keys(field: str) -> list[Key]:
            return [(number, "goal", field)] if goal.get(field) else []

        if variant.goal == "single":
            drawing.put(row, 0, label, columns=columns, word=True)
            text = goal.get("expected") or ""
            drawing.put(row, columns, text, columns=width - columns, keys=keys("expected"))
            self.row += 1
            return
        if variant.goal == "rows":
            drawing.put(row, 0, label, rows=2, columns=columns, word=True)
            for offset, (field, head) in enumerate(
                (("expected", "预期目标"), ("achieved", "实际完成情况"))
            ):
                drawing.put(row + offset, columns, self.word(head), word=True)
                text = goal.get(field) or ""
                span = width - columns - 1
                drawing.put(row + offset, columns + 1, text, columns=span, keys=keys(field))
            self.row += 2
            return
        merged = variant.goal == "merged"
        drawing.put(row, 0, label, rows=2 if merged else 1, columns=columns, word=True)
        if not merged:
            drawing.put(row + 1, 0, "", columns=columns)
        half = columns + max(1, (width - columns) // 2)
        for field, head, start, stop in (
            ("expected", "预期目标", columns, half),
            ("achieved", "实际完成情况", half, width),
        ):
            drawing.put(row, start, self.word(head), columns=stop - start, word=True)
            text = goal.get(field) or ""
            drawing.put(row + 1, start, text, columns=stop - start, keys=keys(field))
        self.row += 2

    # ---- indicators

    def indicators(self) -> None:
        variant, drawing = self.variant, self.drawing
        rows = self.table["indicators"]
        columns = self.columns
        fields = [field for field, _ in columns]
        grouped = variant.indicator_header
        if grouped == "group_values" and abs(fields.index("target") - fields.index("actual")) != 1:
            grouped = "one_row"  # a group header needs its columns side by side
        header_rows = 1 if grouped == "one_row" else 2
        if self.lead:
            height = len(rows) + header_rows if variant.lead_merged else header_rows
            drawing.put(self.row, 0, self.word(variant.lead), rows=height, word=True)
        wide = {"last": -1, "level3": 2}.get(variant.wide, -1)
        if variant.wide == "note" and "deviation_note" in fields:
            wide = 3 + fields.index("deviation_note")
        spans = _spread(3 + len(columns), self.width, self.lead, wide)
        level_spans, value_spans = spans[:3], spans[3:]
        head_row = self.row
        first = self.indicator_header(grouped, level_spans, value_spans) + 1
        self.header_rows, self.body_rows = (head_row, first), (first, first + len(rows))
        for level, mode, (column, span) in zip(
            ("level1", "level2"), (variant.labels, variant.labels2), level_spans, strict=False
        ):
            self.labels(rows, level, mode, first, column, span)
        for index, indicator in enumerate(rows):
            self.indicator(index, indicator, first + index, level_spans[2], value_spans)
        self.row = first + len(rows)
        if variant.total_row != "none":
            self.total(value_spans)

    def indicator_header(
        self, grouped: str, level_spans: list[tuple[int, int]], value_spans: list[tuple[int, int]]
    ) -> int:
        """The indicator block's header, of one row or two (a group header); its last row."""
        drawing, fields = self.drawing, [field for field, _ in self.columns]
        head_row = self.row
        header_rows = 1 if grouped == "one_row" else 2
        top = head_row + header_rows - 1
        levels = ("一级指标", "二级指标", "三级指标")
        if grouped == "group_levels":
            start, stop = level_spans[0][0], level_spans[2][0] + level_spans[2][1]
            drawing.put(head_row, start, self.word("绩效指标"), columns=stop - start, word=True)
            for head, (column, span) in zip(levels, level_spans, strict=True):
                drawing.put(top, column, self.word(head), columns=span, word=True)
        else:
            for head, (column, span) in zip(levels, level_spans, strict=True):
                drawing.put(
                    head_row, column, self.word(head), rows=header_rows, columns=span, word=True
                )
        for (field, head), (column, span) in zip(self.columns, value_spans, strict=True):
            under_group = grouped == "group_values" and field in {"target", "actual"}
            drawing.put(
                top if under_group else head_row,
                column,
                self.word(head),
                rows=1 if under_group else header_rows,
                columns=span,
                word=True,
            )
        if grouped == "group_values":
            at = min(fields.index("target"), fields.index("actual"))
            (start, _), (column, span) = value_spans[at], value_spans[at + 1]
            drawing.put(
                head_row, start, self.word("年度绩效指标"), columns=column + span - start, word=True
            )
        return top

    def labels(
        self,
        rows: Sequence[dict[str, Any]],
        level: str,
        mode: Labels,
        first: int,
        column: int,
        span: int,
    ) -> None:
        """一级 or 二级 labels: merged down their run, on every row, or once and blank below."""
        for start, stop in _runs(rows, level):
            text = rows[start][level]
            keys = [(self.number, "indicators", index, level) for index in range(start, stop)]
            keys = keys if text else []
            if mode == "repeated":
                for index in range(start, stop):
                    own = [(self.number, "indicators", index, level)] if text else []
                    self.drawing.put(first + index, column, text, columns=span, keys=own)
            elif mode == "merged":
                self.drawing.put(
                    first + start, column, text, rows=stop - start, columns=span, keys=keys
                )
            else:
                self.drawing.put(first + start, column, text, columns=span, keys=keys)
                for index in range(start + 1, stop):
                    self.drawing.put(first + index, column, "", columns=span)

    def indicator(
        self,
        index: int,
        indicator: dict[str, Any],
        row: int,
        level3: tuple[int, int],
        value_spans: list[tuple[int, int]],
    ) -> None:
        if self.lead and not self.variant.lead_merged:
            self.drawing.put(row, 0, "")
        text = indicator["level3"]
        keys = [(self.number, "indicators", index, "level3")] if text else []
        self.drawing.put(row, level3[0], text, columns=level3[1], keys=keys)
        for (field, head), (column, span) in zip(self.columns, value_spans, strict=True):
            if field == "extra":
                text = EXTRA_TEXTS[head] if self.variant.extras_filled else ""
                key = _extra_key(head, self.variant)
            else:
                text = indicator.get(field, "")
                key = field
            keys = [(self.number, "indicators", index, key)] if text else []
            numeric = field in {"weight", "score", "target", "actual"}
            self.drawing.put(row, column, text, columns=span, keys=keys, number=numeric)

    def total(self, value_spans: list[tuple[int, int]]) -> None:
        """总分 over the level columns, the weights' 100 and the printed total."""
        row = self.row
        label_end = value_spans[0][0]
        self.drawing.put(row, 0, self.word(self.variant.total_row), columns=label_end, word=True)
        for (field, _), (column, span) in zip(self.columns, value_spans, strict=True):
            text, keys = "", []
            if field == "weight":
                text = "100"
            elif field == "score" and self.table.get("total"):
                text, keys = self.table["total"], [(self.number, "total")]
            self.drawing.put(row, column, text, columns=span, keys=keys, number=True)
        self.row += 1


def form(table: dict[str, Any], number: int, variant: Variant) -> Form:
    """One table printed in a variant (the ``number``-th of its document, from 0)."""
    return _Former(table, number, variant).form()


def _runs(rows: Sequence[dict[str, Any]], level: str) -> list[tuple[int, int]]:
    """Rows printing one label in a run: a 二级 run also ends where the 一级 label changes."""
    runs: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(rows) + 1):
        if (
            index == len(rows)
            or rows[index][level] != rows[start][level]
            or (level == "level2" and rows[index]["level1"] != rows[index - 1]["level1"])
        ):
            runs.append((start, index))
            start = index
    return runs


# ---------------------------------------------------------------------------------
# Writing


@attrs.frozen
class Written:
    """A document written: its bytes, the tables to read back, the place of each value."""

    raw: bytes
    tables: list[dict[str, Any]]
    places: dict[Key, str]


PROSE: Final = (
    "一、项目基本情况",
    "本项目由本单位组织实施，资金来源为财政拨款，绩效目标已按要求完成，详见下表。",
    "二、绩效自评结果",
)


def write(tables: Sequence[dict[str, Any]], variant: Variant, kind: Format) -> Written:
    """Tables written as a document of a kind, in a variant."""
    shown = [printed(table, variant) for table in tables]
    forms = [form(table, number, variant) for number, table in enumerate(shown)]
    if kind != "xlsx" and variant.split != "none" and not variant.stacked:
        forms = [
            part for form_ in forms for part in _split(form_, repeat=variant.split == "header")
        ]
    writer = {"xlsx": _xlsx, "docx": _docx, "html": _html}[kind]
    raw, places = writer(_stack(forms, variant), variant)
    return Written(raw, [expected(table, variant) for table in shown], places)


def _split(form_: Form, *, repeat: bool) -> list[Form]:
    """A form cut in two grids half-way down its indicator rows (a Word table split).

    A cell merged down across the cut leaves an empty cell below it, as Word does;
    ``repeat`` prints the indicator header again at the top of the second grid.
    """
    first, stop = form_.rows
    if stop - first < 2:
        return [form_]
    cut = first + (stop - first) // 2
    top, bottom = Drawing(form_.grid.width), Drawing(form_.grid.width)
    start, end = form_.header
    shift = end - start if repeat else 0
    for put in form_.grid.puts:
        if repeat and start <= put.row < end:
            rows = min(put.rows, end - put.row)
            bottom.put(put.row - start, put.column, put.text, rows, put.columns, word=put.word)
        if put.row < cut:
            rows = min(put.rows, cut - put.row)
            top.put(put.row, put.column, put.text, rows, put.columns, put.keys, word=put.word)
            if put.row + put.rows > cut:
                bottom.put(shift, put.column, "", put.row + put.rows - cut, put.columns)
        else:
            bottom.put(
                put.row - cut + shift,
                put.column,
                put.text,
                put.rows,
                put.columns,
                put.keys,
                number=put.number,
                word=put.word,
            )
    return [
        Form(form_.above, top, (), whole=form_.grid),
        Form((Line(""),), bottom, form_.below, (0, shift), continues=True, whole=form_.grid),
    ]


def _stack(forms: list[Form], variant: Variant) -> list[Form]:
    """Stacked tables as one grid: each table's lines in grid rows, blank rows between."""
    if not variant.stacked or len(forms) < 2:
        return forms
    whole = Drawing(0)
    for form_ in forms:
        drawing = Drawing(form_.grid.width)
        for line in form_.above:
            drawing.put(drawing.height, 0, line.text, word=line.heading, frame="line")
        drawing.below(form_.grid, 0)
        for line in form_.below:
            drawing.put(drawing.height, 0, line.text, frame="line")
        whole.below(drawing, variant.gap)
    return [Form((), whole, ())]


def _xlsx(forms: list[Form], variant: Variant) -> tuple[bytes, dict[Key, str]]:
    import openpyxl  # noqa: PLC0415 - an optional extra
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    book = openpyxl.Workbook()
    book.properties.creator = "perfscore tests"
    places: dict[Key, str] = {}
    for number, form_ in enumerate(forms):
        sheet = book.active if number == 0 else book.create_sheet()
        sheet.title = f"表{number + 1}"
        top, left = variant.offset
        for line in form_.above:
            sheet.cell(top + 1, left + 1, line.text)
            top += 1
        top += 1 if form_.above else 0  # a blank row between a title and its grid
        for put in form_.grid.puts:
            row, column = top + put.row + 1, left + put.column + 1
            cell = sheet.cell(row, column)
            value, number_format = _stored(put, variant)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # text, though it starts with = (=90%)
            if number_format:
                cell.number_format = number_format
            if put.rows > 1 or put.columns > 1:
                sheet.merge_cells(
                    start_row=row,
                    start_column=column,
                    end_row=row + put.rows - 1,
                    end_column=column + put.columns - 1,
                )
            for key in put.keys:
                places[key] = f"{sheet.title}!{get_column_letter(column)}{row}"
        for offset, line in enumerate(form_.below):
            sheet.cell(top + form_.grid.height + offset + 1, left + 1, line.text)
        _print_setup(sheet, form_, variant, (variant.offset[0], top, left))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), places


# A workbook's column widths count characters of the default font: a CJK character is
# about two. What fits on an A4 page as Calc prints it (about 7 points a unit, margins
# of ¾ inch) at 100%, and what is fitted to the page's width.
_PAGE_UNITS: Final = {
    ("portrait", False): 66.0,
    ("landscape", False): 100.0,
    ("portrait", True): 110.0,
    ("landscape", True): 150.0,
}
_LINE_POINTS: Final = 16.5  # one line of 11-point CJK text, with its leading
_CELL_POINTS: Final = 6.0  # a cell's padding above and below its text


def _units(text: str) -> float:
    """How wide a line of text is, in column-width units."""
    return sum(2.0 if unicodedata.east_asian_width(char) in "WF" else 1.1 for char in text)


def _lines_in(text: str, units: float) -> int:
    """How many lines a text wraps to in a cell ``units`` wide (a generous guess)."""
    room = max(units - 1.5, 2.0)
    return sum(max(1, math.ceil(_units(line) / room)) for line in text.split("\n"))


def _print_setup(sheet: Any, form_: Form, variant: Variant, at: tuple[int, int, int]) -> None:
    """Rulings, wrapped text, widths and heights, and the page: a sheet as people print it.

    ``at`` is the sheet row of the first line above the grid, the row before the grid
    and the column before it. The grid's cells are ruled (all of them, or the body
    without the title rows, or none), their text wraps, the columns are as wide as
    their texts need (within what the page holds), each row as tall as its longest
    text, and the page is A4, fitted to the width, perhaps repeating the header rows.
    """
    from openpyxl.utils import get_column_letter  # noqa: PLC0415
    from openpyxl.worksheet.properties import PageSetupProperties  # noqa: PLC0415

    first, top, left = at
    drawing = form_.grid
    in_grid = [put for put in drawing.puts if put.frame != "line"]
    _rule_and_wrap(sheet, drawing, in_grid, variant, (top, left))
    widths = _column_widths(in_grid, drawing.width, variant)
    for column, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(left + column + 1)].width = round(width, 1)
    for row, height in enumerate(_row_heights(in_grid, drawing.height, widths)):
        sheet.row_dimensions[top + row + 1].height = round(height, 1)
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = variant.orientation
    budget = _PAGE_UNITS[variant.orientation, variant.fit_width]
    if variant.fit_width:
        setup.fitToWidth, setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    elif sum(widths) > budget:  # scaled down by hand to the page's width
        setup.scale = max(10, math.floor(100 * budget / sum(widths)))
    last = top + drawing.height + len(form_.below)
    sheet.print_area = (
        f"{get_column_letter(left + 1)}{first + 1}:{get_column_letter(left + drawing.width)}{last}"
    )
    start, stop = form_.header
    if variant.repeat_header and stop > start:
        sheet.print_title_rows = f"{top + start + 1}:{top + stop}"


def _rule_and_wrap(
    sheet: Any, drawing: Drawing, in_grid: list[Put], variant: Variant, at: tuple[int, int]
) -> None:
    """The grid's cells wrapped and centred up and down, its rows ruled as the variant
    rules them (every row of a ruled cell, across the grid's width)."""
    from openpyxl.styles import Alignment, Border, Side  # noqa: PLC0415

    top, left = at
    thin = Side(style="thin")
    ruled = Border(left=thin, right=thin, top=thin, bottom=thin)
    framed = {"all": {"body", "title"}, "body": {"body"}, "none": set()}[variant.borders]
    rows_ruled = {
        row for put in in_grid if put.frame in framed for row in range(put.row, put.row + put.rows)
    }
    for put in in_grid:
        cell = sheet.cell(top + put.row + 1, left + put.column + 1)
        cell.alignment = Alignment(
            wrap_text=True, vertical="center", horizontal="center" if put.word else None
        )
    for row in rows_ruled:
        for column in range(drawing.width):
            sheet.cell(top + row + 1, left + column + 1).border = ruled


def _column_widths(in_grid: list[Put], width: int, variant: Variant) -> list[float]:
    """Each column as wide as its longest one-column text, within what the page holds.

    A column of numbers stays wide enough for them: Calc prints ### for a number that
    does not fit, where it wraps a text.
    """
    widths = [0.0] * width
    floors = [5.0] * width
    for put in in_grid:
        if put.columns == 1:
            need = max(_units(line) for line in put.text.split("\n")) + 2
            widths[put.column] = max(widths[put.column], need)
            if put.number and variant.numbers:
                floors[put.column] = max(floors[put.column], _units(put.text) + 4)
    widths = [
        min(max(width, 7.0, floor), 30.0) for width, floor in zip(widths, floors, strict=True)
    ]
    budget = _PAGE_UNITS[variant.orientation, variant.fit_width]
    if sum(widths) > budget:
        scale = budget / sum(widths)
        widths = [max(floor, width * scale) for width, floor in zip(widths, floors, strict=True)]
    return widths


def _row_heights(in_grid: list[Put], height: int, widths: list[float]) -> list[float]:
    """Each row as tall as the lines its texts wrap to (a merged cell's over its rows)."""
    heights = [_LINE_POINTS + _CELL_POINTS] * height
    for put in sorted(in_grid, key=lambda put: put.rows):
        span = sum(widths[put.column : put.column + put.columns])
        need = _lines_in(put.text, span) * _LINE_POINTS + _CELL_POINTS
        rows = range(put.row, put.row + put.rows)
        have = sum(heights[row] for row in rows)
        if have < need:
            for row in rows:
                heights[row] += (need - have) / put.rows
    return heights


_PLAIN: Final = re.compile(r"(?P<whole>0|[1-9][0-9]*)(?:\.(?P<places>[0-9]+))?(?P<percent>%)?")
_GROUPED: Final = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.(?P<places>[0-9]+))?")
_AMOUNT: Final = re.compile(
    r"(?:0|[1-9][0-9]{0,2}(?:,[0-9]{3})+|[1-9][0-9]*)(?:\.(?P<places>[0-9]+))?"
)
_POINTS: Final = re.compile(r"(?P<number>(?:0|[1-9][0-9]*)(?:\.[0-9]+)?)分")


def _stored(put: Put, variant: Variant) -> tuple[Any, str | None]:  # noqa: PLR0911 - per kind
    """What a workbook stores for a cell: text, or a number and the format printing it."""
    text = put.text
    if not text:
        return None, None
    if not (variant.numbers and put.number):
        return text, None
    padded = variant.number_style == "padded"
    if variant.number_style == "accounting" and (stored := _accounting(text)):
        return stored
    if match := _PLAIN.fullmatch(text):
        places = len(match.group("places") or "")
        pattern = "0" + ("." + "0" * places if places else "")
        value = Decimal(text.rstrip("%"))
        if match.group("percent"):
            stored = float(value / 100)
            if variant.computed_rates:
                stored = _as_computed(stored, put.row)
            return stored, pattern + ("%_ " if padded else "%")
        if not places and len(text) < 11 and not padded:
            return int(text), "General"
        return float(value), pattern + ("_ " if padded else "")
    if match := _GROUPED.fullmatch(text):
        places = len(match.group("places") or "")
        pattern = "#,##0" + ("." + "0" * places if places else "")
        return float(Decimal(text.replace(",", ""))), (
            f"{pattern}_);[Red]({pattern})" if padded else pattern
        )
    if match := _POINTS.fullmatch(text):
        places = len(match.group("number").partition(".")[2])
        pattern = "0" + ("." + "0" * places if places else "")
        return float(Decimal(match.group("number"))), f'{pattern}"分"'
    return text, None


def _accounting(text: str) -> tuple[float, str] | None:
    """An amount in Excel's 会计专用 format: the sign's and unit's room as spaces."""
    match = _AMOUNT.fullmatch(text)
    value = Decimal(text.replace(",", "")) if match else Decimal(0)
    if not match or not value:
        return None  # zero prints as a dash in this format
    places = len(match.group("places") or "")
    grouped = "," in text or value < 1000  # grouped as printed
    pattern = ("#,##0" if grouped else "0") + ("." + "0" * places if places else "")
    return float(value), f'_ * {pattern}_ ;_ * -{pattern}_ ;_ * "-"??_ ;_ @_ '


def _as_computed(stored: float, row: int) -> float:
    """A rate as a formula leaves it: digits beyond the printed places.

    Off the printed value by far less than half its last place, one way or the other,
    so the format prints the same text.
    """
    return stored * (1 + (3e-9 if row % 2 else -3e-9))


def _docx(forms: list[Form], variant: Variant) -> tuple[bytes, dict[Key, str]]:
    import docx  # noqa: PLC0415 - an optional extra

    document = docx.Document()
    document.core_properties.author = "perfscore tests"
    _docx_page(document, variant)
    places: dict[Key, str] = {}
    if variant.prose:
        document.add_heading("关于2023年度项目支出绩效自评情况的报告", level=1)
        for text in PROSE:
            document.add_paragraph(text)
    for number, form_ in enumerate(forms, start=1):
        if number > 1 and variant.prose and not form_.continues:
            document.add_paragraph(f"附件{number}")
            document.add_paragraph(PROSE[1])
        for line in form_.above:
            document.add_paragraph(line.text)
        table = _docx_table(document, form_.grid, number, places)
        _docx_print(table, form_, variant)
        for line in form_.below:
            document.add_paragraph(line.text)
    if variant.prose:
        document.add_paragraph("说明：以上数据来源于单位财务核算系统。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), places


def _docx_table(document: Any, drawing: Drawing, number: int, places: dict[Key, str]) -> Any:
    """A grid as a Word table: merged cells by python-docx's merge (gridSpan, vMerge)."""
    table = document.add_table(rows=drawing.height, cols=drawing.width)
    table.style = "Table Grid"
    # table.cell() walks the whole table each time: take the cells once, before
    # merging changes the rows (a merge finds its place from its own XML).
    cells = table._cells  # noqa: SLF001 - python-docx's one list of every cell
    for put in drawing.puts:
        cell = cells[put.row * drawing.width + put.column]
        if put.rows > 1 or put.columns > 1:
            last = (put.row + put.rows - 1) * drawing.width + put.column + put.columns - 1
            cell = cell.merge(cells[last])
        lines = put.text.split("\n")
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
        for key in put.keys:
            places[key] = f"表格{number} 第{put.row + 1}行第{put.column + 1}列"
    return table


# The pages' sizes and margins, in mm.
_PAPER: Final = {"a4": (210.0, 297.0, 25.0, 25.0), "letter": (215.9, 279.4, 25.4, 31.75)}


def _text_width(variant: Variant) -> float:
    """How wide the text of a page is, in mm."""
    width, height, _, side = _PAPER[variant.paper]
    return (height if variant.orientation == "landscape" else width) - 2 * side


def _docx_page(document: Any, variant: Variant) -> None:
    """The page: A4 or Letter, upright or turned."""
    from docx.enum.section import WD_ORIENT  # noqa: PLC0415
    from docx.shared import Mm  # noqa: PLC0415

    section = document.sections[0]
    width, height, margin, side = _PAPER[variant.paper]
    if variant.paper == "letter" and variant.orientation == "portrait":
        return  # python-docx's own page
    if variant.orientation == "landscape":
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin = section.bottom_margin = Mm(margin)
    section.left_margin = section.right_margin = Mm(side)


def _column_needs(form_: Form) -> list[float]:
    """Each column's share of the width: its longest line (at most 40 units, at least 6)."""
    need = [6.0] * form_.grid.width
    for put in (form_.whole or form_.grid).puts:
        if put.columns == 1 and put.frame != "line":
            longest = max(_units(line) for line in put.text.split("\n"))
            need[put.column] = max(need[put.column], min(longest, 40.0))
    return need


def _docx_print(table: Any, form_: Form, variant: Variant) -> None:
    """A Word table's column widths and row properties as the variant prints them.

    Widths by the texts (a long text's column wider) or equal, across the page's
    text width; rows kept whole on a page or (Word's default) broken across pages;
    the table's head repeated on every page: its first row, or its indicator header
    where the table starts with it (the second part of a form cut in two).
    """
    from docx.oxml import OxmlElement  # noqa: PLC0415
    from docx.oxml.ns import qn  # noqa: PLC0415
    from docx.shared import Mm  # noqa: PLC0415

    drawing = form_.grid
    if variant.widths == "fitted":
        need = _column_needs(form_)
        total = _text_width(variant)
        table.autofit = False
        for column, units in zip(table.columns, need, strict=True):
            column.width = Mm(total * units / sum(need))

    def mark(row: Any, name: str) -> None:
        properties = row._tr.get_or_add_trPr()  # noqa: SLF001 - python-docx has no API for it
        element = OxmlElement(name)
        element.set(qn("w:val"), "true")
        properties.append(element)

    if variant.rows_whole:
        for row in table.rows:
            mark(row, "w:cantSplit")
    if variant.repeat_header:
        start, stop = form_.header
        head = range(start, stop) if start == 0 and stop else range(1)
        # A first row holding a cell merged down past it is no head people repeat
        # (Word repeats the row, cut from the rest of its merged cell).
        if all(put.row + put.rows <= head.stop for put in drawing.puts if put.row < head.stop):
            for index in head:
                mark(table.rows[index], "w:tblHeader")


_WORD_CELL: Final = (
    "<td{spans} width={width} valign=top"
    " style='border:solid windowtext 1.0pt;padding:0cm 5.4pt'>{paragraphs}</td>"
)
_WORD_PARAGRAPH: Final = (
    "<p class=MsoNormal align=center style='text-align:center'>{spans}<o:p></o:p></p>"
)


def _html(forms: list[Form], variant: Variant) -> tuple[bytes, dict[Key, str]]:
    places: dict[Key, str] = {}
    charset = "gb2312" if variant.encoding == "gb18030" else "utf-8"
    out = [
        "<!DOCTYPE html>",
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        "<title>绩效自评公开</title><style>td{border:1px solid}</style></head><body>",
    ]
    nav = '<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 预决算'
    if variant.layout_table:  # the page laid out in a table, the forms in one of its cells
        out.append(f'<table width="100%"><tr><td>{nav}</td></tr><tr><td>')
    else:
        out.append(f'<div class="nav">{nav}</div>')
    outer = 1 if variant.layout_table else 0
    if variant.prose:
        out.extend(f"<p>{html.escape(text)}</p>" for text in PROSE)
    for number, form_ in enumerate(forms, start=1):
        if number > 1 and variant.prose and not form_.continues:
            out.append(f"<p>{html.escape(PROSE[1])}</p>")
        caption = ""
        if variant.caption and form_.above and not form_.continues:
            caption = "<caption>" + "<br>".join(html.escape(line.text) for line in form_.above)
            caption += "</caption>"
        else:
            for line in form_.above:
                tag = "h2" if line.heading else "p"
                out.append(f"<{tag}>{_html_text(line.text, variant)}</{tag}>")
        out.append(_html_table(form_.grid, number + outer, variant, places, caption))
        out.extend(f"<p>{html.escape(line.text)}</p>" for line in form_.below)
    if variant.layout_table:
        out.append("</td></tr></table>")
    out.append('<div class="footer">主办单位：某某局　版权所有</div></body></html>')
    return "\n".join(out).encode(variant.encoding), places


def _html_text(text: str, variant: Variant) -> str:
    """A cell's text in markup: lines as <br> (or Word's paragraphs), runs split."""
    # Spaces in a row show as typed only where all but one are no-break spaces.
    lines = [html.escape(line).replace("  ", "&nbsp; ") for line in text.split("\n")]
    if variant.markup == "plain":
        return "<br>".join(lines)
    if variant.markup == "loose":  # a hand-indented page: white space a browser collapses
        return "\n      " + "<BR>\n      ".join(lines) + "\n    "
    paragraphs = []
    for escaped in lines:
        middle = len(escaped) // 2
        # Word splits a cell's text into runs where its formatting changes.
        if middle and "&" not in escaped:
            spans = (
                f"<span style='font-size:10.0pt;font-family:宋体'>{escaped[:middle]}</span>"
                f"<span lang=EN-US style='font-size:10.0pt'>{escaped[middle:]}</span>"
            )
        else:
            spans = f"<span style='font-size:10.0pt'>{escaped or '&nbsp;'}</span>"
        paragraphs.append(_WORD_PARAGRAPH.format(spans=spans))
    return "".join(paragraphs)


def _html_table(
    drawing: Drawing, number: int, variant: Variant, places: dict[Key, str], caption: str
) -> str:
    """A grid as a <table>: every position a cell, spans as rowspan and colspan.

    Plain markup quotes its attributes and closes its cells; Word's leaves attributes
    unquoted and wraps each cell's text in paragraphs and runs; loose markup is HTML 4
    as typed by hand: upper case, <TH> for the form's words, no </TD> nor </TR>.
    """
    by_row: dict[int, list[Put]] = {}
    for put in _filled(drawing):
        by_row.setdefault(put.row, []).append(put)
    markup = variant.markup
    rows = [
        {
            "plain": '<table border="1">',
            "word": "<table class=MsoNormalTable border=0 cellspacing=0 cellpadding=0"
            " style='border-collapse:collapse'>",
            "loose": "<TABLE BORDER=1 CELLPADDING=2>",
        }[markup]
        + caption
        + ("<tbody>" if markup == "word" else "")
    ]
    for row in range(drawing.height):
        cells = []
        for put in sorted(by_row.get(row, []), key=lambda put: put.column):
            cells.append(_html_cell(put, variant))
            for key in put.keys:
                places[key] = f"表格{number} 第{put.row + 1}行第{put.column + 1}列"
        if markup == "word":
            rows.append(f"<tr style='height:20.0pt'>{''.join(cells)}</tr>")
        elif markup == "loose":
            rows.append(f"  <TR>{''.join(cells)}")
        else:
            rows.append(f"<tr>{''.join(cells)}</tr>")
    rows.append({"plain": "</table>", "word": "</tbody></table>", "loose": "</TABLE>"}[markup])
    return "\n".join(rows)


def _html_cell(put: Put, variant: Variant) -> str:
    """One cell's markup, with its spans."""
    markup = variant.markup
    quote = '"' if markup == "plain" else ""
    spans = ""
    if put.rows > 1:
        spans += f" rowspan={quote}{put.rows}{quote}"
    if put.columns > 1:
        spans += f" colspan={quote}{put.columns}{quote}"
    text = _html_text(put.text, variant)
    if markup == "word":
        return _WORD_CELL.format(spans=spans, width=60 * put.columns, paragraphs=text)
    if markup == "loose":
        tag = "TH" if put.word else "TD"
        return f"\n    <{tag}{spans.upper()}>{text}"
    return f"<td{spans}>{text}</td>"


def _filled(drawing: Drawing) -> list[Put]:
    """A grid's cells and an empty cell at every position none covers."""
    taken = {
        (row, column)
        for put in drawing.puts
        for row in range(put.row, put.row + put.rows)
        for column in range(put.column, put.column + put.columns)
    }
    empty = [
        Put(row, column, "")
        for row in range(drawing.height)
        for column in range(drawing.width)
        if (row, column) not in taken
    ]
    return [*drawing.puts, *empty]


# ---------------------------------------------------------------------------------
# The committed fixtures: a handful of variants per format, of the examples

FIXTURES: Final[list[tuple[str, tuple[int, ...], Variant]]] = [
    # The seed's layout, numbers stored as numbers: one sheet per table.
    ("seed-layout.xlsx", (0, 1, 2, 12), Variant(numbers=True)),
    (
        "stacked.xlsx",
        (5, 6, 7),
        Variant(
            title="above",
            traditional=True,
            year="title",
            unit_line="filler",
            filler="元谋县财政局",
            identity="stacked",
            identity_merged=False,
            funds_first="header",
            funds_label_columns=2,
            fund_dashes=True,
            execution="total_last",
            goal="unmerged",
            indicator_header="group_levels",
            labels="once",
            labels2="once",
            total_row="合计",
            stacked=True,
            gap=2,
            offset=(2, 1),
            numbers=True,
            number_style="padded",
            computed_rates=True,
        ),
    ),
    (
        "variety.xlsx",
        (0, 8, 9),
        Variant(
            title_merged=False,
            year="none",
            unit_line="none",
            kind="department",
            department_words=1,
            tasks=True,
            contact_row=True,
            funds_first="label_header",
            funds_words=1,
            amounts="no_initial",
            fund_tail=("rate", "score"),
            fund_spellings=2,
            execution="department",
            goal="rows",
            lead="none",
            order=("target", "weight", "actual", "score", "deviation_note"),
            spellings=(2, 3, 1, 1, 2),
            extras=("备注", "评分标准"),
            extras_filled=True,
            labels="repeated",
            labels2="merged",
            total_row="总　分",
            header_breaks=True,
            wide="level3",
            money_unit="元",
            multiline=True,
            numbers=True,
        ),
    ),
    # Word reports: the form among prose, its title and year lines above it.
    ("report.docx", (0, 1, 2), Variant(title="above", prose=True, footer=True)),
    (
        "report-variety.docx",
        (3, 4, 10),
        Variant(
            title="above",
            year="title_end",
            unit_line="filler",
            identity="inline",
            no_department=True,
            goal="single",
            lead="年度绩效指标完成情况",
            lead_merged=False,
            indicator_header="group_values",
            order=("target", "actual", "score", "weight", "deviation_note"),
            spellings=(1, 1, 3, 1, 1),
            extras=("指标值设定依据",),
            labels="once",
            labels2="repeated",
            total_row="none",
            prose=True,
            split="bare",
        ),
    ),
    (
        "report-stacked.docx",
        (11, 13),
        Variant(
            traditional=True,
            year_style=2,
            funds_first="none",
            weight_column=False,
            score_column=False,
            note_column=False,
            stacked=True,
        ),
    ),
    # Web pages: Word-exported (GB18030), typed by hand, plain.
    (
        "page-word.html",
        (12, 14),
        Variant(
            title="above",
            caption=True,
            identity="inline_above",
            split="header",
            markup="word",
            encoding="gb18030",
            fund_spellings=1,
            spellings=(2, 3, 2, 2, 1),
            multiline=True,
        ),
    ),
    (
        "page-loose.html",
        (15, 16),
        Variant(
            traditional=True,
            layout_table=True,
            title="above",
            markup="loose",
            goal="unmerged",
            labels="once",
            labels2="once",
            header_breaks=True,
            indicator_header="group_levels",
        ),
    ),
    (
        "page-plain.html",
        (0, 5),
        Variant(title="none", year="none", unit_line="none", prose=True, stacked=True),
    ),
]
"""The committed documents (``tests/data/documents/variants``): name, examples, variant."""

# ---------------------------------------------------------------------------------
# The committed PDFs: documents in a variant printed by LibreOffice (Calc, Writer)

Pick = int | tuple[Any, ...]  # an example; ("join", a, b, ...); ("trim", a, rows)


def picked(examples: Sequence[dict[str, Any]], pick: Pick) -> dict[str, Any]:
    """An example table, several examples' indicator rows under the first one's head
    (a long form running over pages), or an example cut short (a small form)."""
    if isinstance(pick, int):
        return copy.deepcopy(examples[pick])
    how, first, *rest = pick
    table = copy.deepcopy(examples[first])
    if how == "join":
        for other in rest:
            table["indicators"].extend(copy.deepcopy(examples[other]["indicators"]))
    else:
        (rows,) = rest
        table["indicators"] = table["indicators"][:rows]
        table.pop("goal", None)
    return table


PRINTED: Final[list[tuple[str, tuple[Pick, ...], Variant]]] = [
    # Workbooks printed by Calc: ruled, wrapped, fitted to an A4 page's width.
    ("seed.xlsx", (0, 1, 2, 12), Variant(numbers=True)),
    (
        "stacked-landscape.xlsx",
        (5, 6, 7),
        attrs.evolve(FIXTURES[1][2], orientation="landscape", borders="body"),
    ),
    # A form over four pages, its header rows printed again on each (print titles),
    # the 一级 labels and the 绩效指标 column merged down over the page breaks.
    (
        "long-print-titles.xlsx",
        (("join", 9, 10, 2, 3), 4),
        Variant(numbers=True, repeat_header=True, borders="body", multiline=True),
    ),
    ("variety.xlsx", (0, 8, 9), attrs.evolve(FIXTURES[2][2], fit_width=False)),
    (
        "accounting.xlsx",
        (14, 15),
        Variant(
            numbers=True,
            number_style="accounting",
            offset=(1, 1),
            header_breaks=True,
            labels="once",
            orientation="landscape",
            title="above",
        ),
    ),
    # Word reports printed by Writer.
    ("report.docx", (0, 1, 2), attrs.evolve(FIXTURES[3][2], paper="letter", widths="equal")),
    # python-docx's Letter page, equal columns: narrow cells, rows wrapping a lot, a
    # clean break between rows whose labels run on over it.
    ("report-letter.docx", (11, 13), attrs.evolve(FIXTURES[5][2], paper="letter", widths="equal")),
    ("report-split.docx", (3, 4, 10), attrs.evolve(FIXTURES[4][2], paper="letter", widths="equal")),
    # Rows broken across pages (Word's default), the table's first row repeated.
    (
        "long-cut.docx",
        (("join", 9, 10, 2, 3), 14),
        Variant(multiline=True, repeat_header=True, prose=True, wide="note"),
    ),
    # Rows kept whole, labels merged over the page breaks.
    (
        "long-whole.docx",
        (("join", 10, 11, 15), 16),
        Variant(rows_whole=True, orientation="landscape", title="above", labels2="merged"),
    ),
    # A form cut in two tables, the second repeating the indicator header on each page.
    (
        "split-header.docx",
        (12, ("join", 9, 3), 15),
        Variant(split="header", repeat_header=True, multiline=True, prose=True, goal="rows"),
    ),
    # Found by printing drawn variants: a label merged over a whole page (only its
    # side rulings on that page), the indicator header's sub-headers below unmerged
    # neighbours, goal rows cut by a page, wrapped text reaching into the next cell,
    # a year line right below a table, a merged label's text printed pages further.
    (
        "department-long.xlsx",
        (7, 3, 0),
        Variant(
            title="none",
            title_merged=False,
            year="title_end",
            unit_line="filler",
            identity="inline",
            identity_merged=False,
            no_department=True,
            department_words=2,
            funds_words=1,
            funds_label_columns=2,
            fund_spellings=1,
            fund_dashes=True,
            execution="first_row",
            goal="single",
            indicator_header="group_levels",
            order=("actual", "deviation_note", "score", "weight", "target"),
            spellings=(3, 1, 3, 3, 3),
            extras=("评分标准", "备注"),
            weight_column=False,
            score_column=False,
            note_column=False,
            labels2="repeated",
            total_row="合计",
            header_breaks=True,
            wide="note",
            multiline=True,
            kind="department",
            gap=1,
            offset=(1, 1),
            number_style="padded",
            computed_rates=True,
            prose=True,
            borders="body",
            orientation="landscape",
            fit_width=False,
            rows_whole=True,
        ),
    ),
    (
        "department-rows.docx",
        (11, 8, 0),
        Variant(
            title="above",
            year="title",
            year_style=1,
            filler="元谋县财政局",
            identity="stacked",
            identity_label_columns=1,
            identity_merged=False,
            no_department=True,
            department_words=1,
            contact_row=True,
            funds_words=2,
            funds_label_columns=2,
            fund_tail=(),
            fund_spellings=1,
            fund_dashes=True,
            execution="department",
            goal="rows",
            lead="年度绩效指标完成情况",
            lead_merged=False,
            indicator_header="group_values",
            order=("score", "deviation_note", "target", "weight", "actual"),
            spellings=(0, 0, 3, 0, 2),
            extras_filled=True,
            weight_column=False,
            score_column=False,
            note_column=False,
            labels="repeated",
            labels2="once",
            wide="note",
            money_unit="元",
            multiline=True,
            kind="department",
            split="bare",
            gap=1,
            offset=(3, 2),
            prose=True,
            paper="letter",
            repeat_header=True,
            rows_whole=True,
        ),
    ),
    (
        "stacked-rows.xlsx",
        (("join", 5, 13, 12), 16, 14),
        Variant(
            title="above",
            year="title",
            year_style=1,
            unit_line="filler",
            footer=True,
            identity_label_columns=1,
            identity_merged=False,
            blank_identity=False,
            contact_row=True,
            funds_first="label_header",
            funds_words=1,
            amounts="no_initial",
            execution="first_row",
            goal="rows",
            lead="年度绩效指标完成情况",
            indicator_header="group_values",
            order=("deviation_note", "target", "actual", "weight", "score"),
            spellings=(1, 1, 3, 0, 1),
            weight_column=False,
            score_column=False,
            note_column=False,
            labels2="once",
            total_row="none",
            header_breaks=True,
            multiline=True,
            stacked=True,
            offset=(0, 1),
            number_style="padded",
            borders="body",
            orientation="landscape",
            fit_width=False,
            repeat_header=True,
        ),
    ),
    (
        "narrow-notes.xlsx",
        (14, ("join", 11, 12, 3), 3),
        Variant(
            title="none",
            title_merged=False,
            traditional=True,
            year="title_end",
            year_style=1,
            unit_line="none",
            footer=True,
            identity="inline_above",
            no_department=True,
            contact_row=True,
            funds_words=4,
            funds_label_columns=2,
            fund_tail=("rate", "weight", "score"),
            fund_spellings=2,
            goal="single",
            lead="none",
            indicator_header="group_values",
            order=("actual", "deviation_note", "weight", "target", "score"),
            spellings=(0, 2, 2, 0, 0),
            extras=("指标值设定依据", "评分标准"),
            extras_filled=True,
            weight_column=False,
            score_column=False,
            labels2="once",
            total_row="none",
            header_breaks=True,
            wide="level3",
            money_unit="元",
            multiline=True,
            gap=1,
            offset=(3, 2),
            numbers=True,
            number_style="padded",
            prose=True,
            fit_width=False,
        ),
    ),
    (
        "year-below.docx",
        (13, 9, 5),
        Variant(
            title="none",
            unit_line="none",
            identity_label_columns=1,
            identity_merged=False,
            blank_identity=False,
            lead="none",
            weight_column=False,
            score_column=False,
            note_column=False,
        ),
    ),
    # Text below an empty cell merged down from above (it once raised IndexError).
    (
        "department-landscape.xlsx",
        (0, 1),
        Variant(
            title="none",
            traditional=True,
            year="title",
            year_style=1,
            unit_line="none",
            filler="",
            footer=True,
            identity_label_columns=1,
            blank_identity=False,
            department_words=1,
            contact_row=True,
            funds_first="label_header",
            funds_words=2,
            amounts="no_initial",
            fund_tail=("rate", "weight", "score"),
            lead="年度绩效指标完成情况",
            order=("score", "weight", "target", "actual", "deviation_note"),
            spellings=(3, 0, 0, 0, 3),
            extras=("指标值设定依据", "备注"),
            weight_column=False,
            labels="repeated",
            total_row="合计",
            header_breaks=True,
            gap=3,
            offset=(2, 1),
            numbers=True,
            number_style="padded",
            prose=True,
            orientation="landscape",
            fit_width=False,
        ),
    ),
    # Forms stacked in one Word table, the next form's header at the top of a page:
    # no head repeated by the printer, a row of its own.
    (
        "stacked-forms.docx",
        (8, ("join", 3, 16, 12)),
        Variant(
            title="above",
            year="title_end",
            year_style=3,
            unit_line="none",
            filler="",
            footer=True,
            identity="inline",
            identity_merged=False,
            no_department=True,
            department_words=2,
            funds_first="header",
            funds_words=3,
            funds_label_columns=2,
            fund_tail=("rate", "weight", "score"),
            fund_spellings=1,
            fund_dashes=True,
            goal="single",
            lead="年度绩效指标完成情况",
            lead_merged=False,
            indicator_header="group_values",
            order=("deviation_note", "actual", "weight", "target", "score"),
            spellings=(2, 2, 1, 0, 3),
            note_column=False,
            labels="once",
            labels2="repeated",
            total_row="总　分",
            header_breaks=True,
            money_unit="元",
            multiline=True,
            kind="department",
            stacked=True,
            gap=1,
            offset=(3, 1),
            number_style="accounting",
            prose=True,
            paper="letter",
            rows_whole=True,
        ),
    ),
    # Several small forms on a page.
    (
        "small-forms.docx",
        (("trim", 1, 3), ("trim", 4, 2), ("trim", 7, 3), ("trim", 13, 2)),
        Variant(title="above", orientation="landscape", identity="inline", funds_first="none"),
    ),
]
"""The committed PDFs (``tests/data/documents/pdf/variants``): name, tables, variant."""

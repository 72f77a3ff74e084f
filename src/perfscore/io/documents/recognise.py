"""Finding self-evaluation tables in a grid, whatever document it came from.

A printed 绩效自评表 is a grid of landmarks: a title (``项目支出绩效自评表``), identity
rows (``项目名称``, ``主管部门``, ``实施单位``), the funds block with its header row
(``年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分``), the goal block
(``年度总体目标``: ``预期目标 | 实际完成情况``), the indicator block with its header
row (``一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | …``) and a
total row (``总分``). :func:`recognise` walks a grid's rows once, finds each landmark by
its words (in any of the spellings real prints use, traditional characters and units
in brackets included), reads the cells under each header by column, and builds one
``perfscore.table/1`` object per table, with the place in the document of every cell
it read.

It does not depend on column positions, on the order of columns, on leading columns
(``绩效指标`` merged down the indicator block), on missing columns (no ``年初预算数``,
no ``分值``), on a header of two rows (``绩效指标`` over ``一级 | 二级 | 三级``), on
labels merged down, repeated or printed once, on identity labels with their values in
one cell (``项目名称：…``), on titles and prose inside or around the grid, nor on how
many tables a grid holds: a new title, a new ``项目名称`` or a new funds header after an
indicator block starts a new table. A block the format has no place for (a department
form's ``年度主要任务``) is passed over. A table cut into two grids (a Word table split
at a page) is read as one when the grids are recognised with one
:class:`Continuation`.

>>> from perfscore.io.documents.grid import Grid
>>> grid = Grid.from_rows([
...     ["项目支出绩效自评表", "", "", "", "", "", ""],
...     ["项目名称", "培训项目", "", "", "", "", ""],
...     ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
...     ["产出指标", "数量指标", "培训人数", ">=100 人", "120 人", "50", "50"],
...     ["", "", "培训天数", ">=3 天", "3 天", "50", "50"],
...     ["总分", "", "", "", "", "100", "100"],
... ], place_of=lambda row, column: f"表1!{'ABCDEFG'[column]}{row + 1}")
>>> [table] = recognise(grid, document="a.xlsx")
>>> table["name"], table["total"], [row["level3"] for row in table["indicators"]]
('培训项目', '100', ['培训人数', '培训天数'])
>>> table["indicators"][1]["level1"], table["indicators"][1]["places"]["target"]
('产出指标', '表1!D5')
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING, Final, Literal

import attrs

from perfscore._text import fold
from perfscore._values import value_repr
from perfscore.cells import direction_op
from perfscore.io.documents.grid import GridCell
from perfscore.model import DIRECTION_COLUMNS, UNIT_COLUMNS

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from perfscore.io.documents.grid import Grid
    from perfscore.model import JSONValue

__all__ = ["Continuation", "header_key", "recognise"]

# Traditional characters of the form's own words (titles, headers, labels), for
# matching only: cells keep the characters they were printed with.
_SIMPLIFIED: Final = str.maketrans(
    "項績評門單體預數執總級標實際進資來額當財撥結轉況稱報萬設據產質時滿價務內"
    "備註說緣釐規劃經費態審計劃節會並與處號圍積億圓畫歷權調後準為對應組織員題",
    "项绩评门单体预数执总级标实际进资来额当财拨结转况称报万设据产质时满价务内"
    "备注说缘厘规划经费态审计划节会并与处号围积亿圆画历权调后准为对应组织员题",
)
# A header's unit or note in brackets: 分值（分）, 年初预算数（A）, 执行率（C/B）.
_BRACKETED: Final = re.compile(r"[(\[【〔［](.*?)[)\]】〕］]")
_YEAR: Final = re.compile(r"(?<![0-9])((?:19|20|21)[0-9]{2})\s*年")
_YEAR_LINE: Final = re.compile(r"[(（]?((?:19|20|21)[0-9]{2})\s*年度?[)）]?")
# 单位：万元, 金额单位：元, read with white space kept; not 填报单位：元谋县财政局 nor
# 实施单位：元江县… (a 单位 that is part of a word, a 元 that starts a place's name).
_MONEY_UNIT: Final = re.compile(
    r"(?<![\u3400-\u9fff])(?:金额)?单位\s*[:：]?\s*(万元|千元|亿元|元)(?![\u3400-\u9fff])"
)
# 项目资金（万元）; its closing bracket may be cut off where a narrow cell clips it (a PDF).
_BRACKET_UNIT: Final = re.compile(r"[(（](万元|千元|亿元|元)(?:[)）]|$)")
_DASHES: Final = frozenset({"-", "—", "–", "―", "--", "——", "/", "／", "\\", "－"})


def header_key(text: str) -> str:
    """A cell's text reduced for matching the form's words.

    NFKC, look-alikes and white space folded away (see :func:`perfscore._text.fold`),
    traditional characters simplified, and a bracketed note or unit dropped.

    >>> header_key("年初预算数（A）"), header_key(" 項 目 支 出 績 效 自 評 表 ")
    ('年初预算数', '项目支出绩效自评表')
    """
    return _header_key(text)


# A grid's cells are matched against the form's words again as each block looks for
# its end; the same texts (labels, headers, blanks) recur all through a document.
@functools.lru_cache(maxsize=8192)
def _header_key(text: str) -> str:
    folded, _ = fold(text)
    return _BRACKETED.sub("", folded.translate(_SIMPLIFIED)).replace(":", "").strip()


# ---------------------------------------------------------------------------------
# The words of the form

IndicatorField = Literal[
    "level1", "level2", "level3", "target", "actual", "weight", "score", "deviation_note", "basis"
]
FundField = Literal["initial_budget", "annual_budget", "executed", "weight", "rate", "score"]


def _indicator_field(key: str) -> IndicatorField | None:  # noqa: PLR0911 - one return per field
    """Which indicator column a header names (``None``: not one of the form's)."""
    if key.startswith("一级指标"):
        return "level1"
    if key.startswith("二级指标"):
        return "level2"
    if key.startswith("三级指标") or key in {"指标名称", "指标内容", "绩效指标名称"}:
        return "level3"
    if "依据" in key:
        return "basis"
    if "原因" in key or "改进措施" in key or key.startswith("偏差"):
        return "deviation_note"
    if "实际" in key or key in {"完成值", "完成情况", "年度完成值", "全年完成值"}:
        return "actual"
    if "指标值" in key or "目标值" in key or key in {"年度目标", "计划值", "预期值"}:
        return "target"
    if key in _WEIGHT_WORDS:
        return "weight"
    if key in _SCORE_WORDS:
        return "score"
    return None


_WEIGHT_WORDS: Final = frozenset({"分值", "权重", "分值权重", "权重分值", "指标分值", "标准分值"})
_SCORE_WORDS: Final = frozenset({"得分", "自评得分", "评分", "实际得分", "评价得分", "自评分"})
# What an indicator header row must name: enough of the form to be sure of it.
_INDICATOR_CORE: Final = frozenset({"level1", "level2", "level3", "target", "actual"})


def _fund_field(key: str) -> FundField | None:  # noqa: PLR0911 - one return per field
    """Which funds column a header names."""
    if key.startswith("年初预算") or key == "年初数":
        return "initial_budget"
    if key.startswith(("全年预算", "调整后预算", "全年调整预算")) or key in {
        "预算数",
        "年度预算数",
    }:
        return "annual_budget"
    if key.startswith(("全年执行", "实际执行", "实际支出")) or key in {"执行数", "年度执行数"}:
        return "executed"
    if "执行率" in key:  # 执行率, 预算执行率, 资金执行率
        return "rate"
    if key in _WEIGHT_WORDS:
        return "weight"
    if key in _SCORE_WORDS:
        return "score"
    return None


_AMOUNTS: Final = ("initial_budget", "annual_budget", "executed")
_IDENTITY: Final[dict[str, str]] = {
    "项目名称": "name",
    "部门单位名称": "name",
    "部门名称": "name",
    "单位名称": "name",
    "部门(单位)名称": "name",
    "主管部门": "department",
    "主管部门及代码": "department",
    "项目主管部门": "department",
    "主管单位": "department",
    "实施单位": "implementer",
    "项目实施单位": "implementer",
}
_TASK_WORDS: Final = ("年度主要任务", "主要任务", "任务名称", "任务", "主要内容")
_GOAL_WORDS: Final = ("年度总体目标", "总体目标", "年度绩效目标", "绩效目标")
_TOTAL_WORDS: Final = frozenset({"总分", "合计", "总计", "总得分", "得分合计", "自评总分"})


def _goal_head(key: str) -> Literal["expected", "achieved"] | None:
    """Which text of the goal a header names (预期目标, 实际完成情况)."""
    if key in {"预期目标", "年度目标", "目标", "预期目标内容", "年初设定目标"}:
        return "expected"
    if key in {"实际完成情况", "实际完成", "完成情况", "实际完成目标", "目标实际完成情况"}:
        return "achieved"
    return None


# A label and its value in one cell or line: 项目名称：培训项目, 主管部门:某局.
_INLINE: Final = re.compile(
    r"(项目名称|部门[(（]单位[)）]名称|部门名称|单位名称|主管部门|主管单位|项目实施单位|实施单位)"
    r"\s*[:：]\s*"
)


def _inline_identity(text: str) -> list[tuple[str, str, str]]:
    """The identity labels a text gives with their values: (field, label, value).

    >>> _inline_identity("主管部门：某局　　實施單位：某中心")
    [('department', '主管部门', '某局'), ('implementer', '实施单位', '某中心')]
    """
    simplified = text.translate(_SIMPLIFIED)  # one character for one: positions kept
    found = list(_INLINE.finditer(simplified))
    if not found or (found[0].start() and simplified[: found[0].start()].strip()):
        return []  # a label inside prose is not one
    pairs = []
    for match, after in zip(found, [*found[1:], None], strict=True):
        label = match.group(1)
        value = text[match.end() : after.start() if after else len(text)].strip()
        pairs.append((_IDENTITY[header_key(label)], label, value))
    return pairs


def _is_title(key: str) -> bool:
    return "自评表" in key and ("绩效" in key or "支出" in key)


def _title_kind(key: str) -> Literal["project", "department"]:
    return "department" if "部门" in key or "整体" in key else "project"


# ---------------------------------------------------------------------------------
# Reading one grid


@attrs.define
class _Table:
    """A table being read: its data so far, and where its parts were found."""

    __repr__ = value_repr

    data: dict[str, JSONValue] = attrs.field(factory=dict)
    places: dict[str, str] = attrs.field(factory=dict)
    funds: list[dict[str, JSONValue]] = attrs.field(factory=list)
    indicators: list[dict[str, JSONValue]] = attrs.field(factory=list)
    heading: dict[str, JSONValue] = attrs.field(factory=dict)  # from its title lines
    first_place: str = ""
    last_place: str = ""
    has_weight_column: bool | None = None
    built: dict[str, JSONValue] | None = None  # its perfscore.table/1 object, once made

    @property
    def started(self) -> bool:
        return bool(self.funds or self.indicators or "name" in self.data)


@attrs.define
class Continuation:
    """What one grid leaves open for the next: a table cut off in its indicator block.

    A Word table split in two (at a page, or by hand), a web page whose form is cut
    into several ``<table>`` elements: the rows of the next grid, before any landmark of
    their own, continue the table (with or without the header repeated), their 一级
    and 二级 labels carried from the rows above. Pass one object to
    :func:`recognise` for every grid of a document, in order.
    """

    __repr__ = value_repr

    table: _Table | None = None
    columns: dict[str, int] = attrs.field(factory=dict)  # a field's column
    extras: dict[str, int] = attrs.field(factory=dict)
    carried: dict[str, tuple[str, str]] = attrs.field(factory=dict)
    width: int = 0


class _Reader:
    """Walks one grid's rows and gathers its tables."""

    def __init__(
        self,
        grid: Grid,
        document: str,
        preamble: Iterable[str],
        continuation: Continuation | None = None,
    ) -> None:
        self.grid = grid
        self.document = document
        self.tables: list[_Table] = []
        self.current = _Table()
        # Title facts seen after a table's indicator block: the next table's.
        self.pending: dict[str, JSONValue] = {}
        self.year_from_line = False
        self.continuation = continuation or Continuation()
        lines = list(preamble)
        if any(_is_title(header_key(line)) or _inline_identity(line) for line in lines):
            self.continuation.table = None  # a table of its own begins
        for line in lines:
            self.title_facts(line)

    # ---- rows

    def read(self) -> list[_Table]:
        grid = self.grid
        row = self.continued() if self.continuation.table is not None else 0
        while row < grid.height:
            cells = [cell for cell in grid.row(row) if cell.row == row or cell.column == 0]
            row = self.landmark(row, cells)
        self.finish()
        return self.tables

    def landmark(self, row: int, cells: list[GridCell]) -> int:  # noqa: PLR0911 - one a landmark
        """Read the landmark starting at ``row``; the next row to look at."""
        starting = [cell for cell in cells if cell.row == row]
        keys = [header_key(cell.text) for cell in starting]
        if any(_is_title(key) for key in keys):
            self.title_row(starting, keys)
            return row + 1
        fields = [_fund_field(key) for key in keys]
        if len(set(_AMOUNTS) & set(fields)) >= 2:
            if any(key.startswith(_TASK_WORDS) for key in keys):
                return self.skip_block(row)
            return self.funds_block(row, starting, fields)
        if (found := self.indicator_header(row)) is not None:
            last, header = found
            named = [_indicator_field(header_key(cell.text)) for cell in header]
            return self.indicator_block(last, header, named)
        if any(key.startswith(_GOAL_WORDS) for key in keys):
            return self.goal_block(row)
        if any(key in _IDENTITY for key in keys):
            self.identity_row(starting, keys)
            return row + 1
        inline = [(cell, pairs) for cell in starting if (pairs := _inline_identity(cell.text))]
        if inline:
            for cell, pairs in inline:
                self.inline_identity(cell, pairs)
            return row + 1
        for cell in starting:
            self.title_facts(cell.text)
        return row + 1

    def title_row(self, cells: list[GridCell], keys: list[str]) -> None:
        """A row with the title, and what its other cells say (the year, the unit)."""
        title = next(cell for cell, key in zip(cells, keys, strict=True) if _is_title(key))
        if self.current.funds or self.current.indicators:
            # A title starts the next table; identity rows printed above it (项目名称
            # on a line before the title) are the table's own.
            self.new_table_if_started()
        self.title_facts(title.text)
        self.current.first_place = self.current.first_place or title.place
        for cell in cells:
            if cell is not title:
                self.title_facts(cell.text)

    def new_table_if_started(self) -> None:
        if self.current.started:
            self.finish()
            self.current = _Table(heading=self.pending)
            self.pending = {}

    def finish(self) -> None:
        if self.current.built is not None:
            return  # a table continued from the grid before, already made
        if self.current.started and (self.current.indicators or self.current.funds):
            self.current.data = {**self.current.heading, **self.current.data}
            self.tables.append(self.current)

    def title_facts(self, text: str) -> None:
        """The year, money unit and kind a title line or a note around the grid gives.

        Lines before a table, or among its head, are its own; lines after its indicator
        block (a table stacked below it in a sheet) are the next table's.
        """
        folded = fold(text)[0].translate(_SIMPLIFIED)
        if not folded:
            return
        target = self.pending if self.current.indicators else self.current.heading
        key = header_key(text)
        title = _is_title(key)
        if title:
            target.setdefault("kind", _title_kind(key))
        # A line of its own saying the year (（2023年度）) is the table's year; a year in
        # a title is taken only when no such line says it; a year in prose, never.
        if year_line := _YEAR_LINE.fullmatch(folded):
            target["year"] = int(year_line.group(1))
            self.year_from_line = True
        elif title and (year := _YEAR.search(folded)) and "year" not in target:
            target["year"] = int(year.group(1))
        if unit := _MONEY_UNIT.search(unicodedata.normalize("NFKC", text).translate(_SIMPLIFIED)):
            target["money_unit"] = unit.group(1)
        for field, label, value in _inline_identity(text):
            if value:
                target.setdefault(field, value)
            if field == "name" and label != "项目名称":
                target.setdefault("kind", "department")

    # ---- identity

    def identity_row(self, cells: list[GridCell], keys: list[str]) -> None:
        if any(_IDENTITY.get(key) == "name" for key in keys) and self.current.started:
            self.new_table_if_started()
        table = self.current
        for index, (cell, key) in enumerate(zip(cells, keys, strict=True)):
            field = _IDENTITY.get(key)
            if field is None:
                continue
            # The label's value: the first cell after it with text, before the next label
            # (a blank value is no value, not the next label's).
            value = None
            for other, other_key in zip(cells[index + 1 :], keys[index + 1 :], strict=True):
                if other_key in _IDENTITY:
                    break
                if other.text.strip():
                    value = other
                    break
            if field == "name" and key != "项目名称":  # 部门（单位）名称, 单位名称
                table.data.setdefault("kind", "department")
            if value is not None and field not in table.data:
                table.data[field] = value.text.strip()
                table.places[field] = value.place
                table.first_place = table.first_place or cell.place

    def inline_identity(self, cell: GridCell, pairs: list[tuple[str, str, str]]) -> None:
        """Labels and values in one cell or line (项目名称：…, 主管部门：… 实施单位：…)."""
        if any(field == "name" for field, _, _ in pairs) and self.current.started:
            self.new_table_if_started()
        table = self.current
        for field, label, value in pairs:
            if field == "name" and label != "项目名称":
                table.data.setdefault("kind", "department")
            if value and field not in table.data:
                table.data[field] = value
                if cell.place:
                    table.places[field] = cell.place
                table.first_place = table.first_place or cell.place

    def skip_block(self, row: int) -> int:
        """Pass over a block the table format has no place for, up to the next landmark.

        A department form's 年度主要任务 (任务名称 | 主要内容 | 预算数 | 执行数) names
        amounts as the funds block does, but its rows are tasks, not funds.
        """
        row += 1
        while row < self.grid.height and not self.ends_block(self.grid.row(row), row):
            row += 1
        return row

    # ---- funds

    def funds_block(self, row: int, header: list[GridCell], fields: list[FundField | None]) -> int:
        if self.current.indicators:
            self.new_table_if_started()
        table = self.current
        table.first_place = table.first_place or header[0].place
        columns = {
            field: cell for cell, field in zip(header, fields, strict=True) if field is not None
        }
        for cell in header:
            if unit := _BRACKET_UNIT.search(fold(cell.text)[0]):
                table.data.setdefault("money_unit", unit.group(1))
        first_amount = min(cell.column for cell in columns.values())
        row += 1
        while row < self.grid.height:
            cells = self.grid.row(row)
            if self.ends_block(cells, row):
                break
            label_cells = [
                cell
                for cell in cells
                if cell.last_column < first_amount and cell.row == row and cell.text.strip()
            ]
            label = "".join(cell.text.strip() for cell in label_cells)
            values = {field: self.text_under(row, cell) for field, cell in columns.items()}
            if not label and not any(text for text, _ in values.values()):
                row += 1
                continue
            # A form without one of the amount columns (no 年初预算数) prints it blank.
            fund: dict[str, JSONValue] = {"label": label, **dict.fromkeys(_AMOUNTS, "")}
            places: dict[str, str] = {"label": label_cells[0].place} if label_cells else {}
            for field, (text, place) in values.items():
                if field in _AMOUNTS or (text and text not in _DASHES):
                    fund[field] = text
                else:
                    continue
                places[field] = place
            fund["places"] = places
            table.funds.append(fund)
            table.last_place = places.get("label", table.last_place)
            row += 1
        return row

    def text_under(self, row: int, header: GridCell) -> tuple[str, str]:
        """The text of the cell in ``row`` under a header cell's first column."""
        cell = self.grid.at(row, header.column)
        if cell is None or cell.row != row:
            return "", "" if cell is None else cell.place
        return cell.text.strip(), cell.place

    def ends_block(self, cells: list[GridCell], row: int) -> bool:
        """Whether a row starts another landmark (so the block before it has ended)."""
        keys = [header_key(cell.text) for cell in cells if cell.row == row]
        if any(_is_title(key) or key.startswith(_GOAL_WORDS) for key in keys):
            return True
        if any(key in _IDENTITY for key in keys):
            return True
        if any(_inline_identity(cell.text) for cell in cells if cell.row == row):
            return True
        fields = {_fund_field(key) for key in keys}
        if len(fields.intersection(_AMOUNTS)) >= 2:
            return True
        return self.indicator_header(row) is not None

    def indicator_header(self, row: int) -> tuple[int, list[GridCell]] | None:
        """The indicator block's header starting at ``row``: its last row and its cells.

        One row naming enough of the form (一级指标 | 二级指标 | 三级指标 | 年度指标值 …),
        or two: a group header over some columns (绩效指标 over 一级 | 二级 | 三级, or
        年度绩效指标 over 指标值 | 实际值) with the other headers beside it, merged down
        or not. Its cells are, column by column, the lowest header naming a field, and
        the other cells of its last row (备注, 评分标准).
        """
        first = self.core_fields(row)
        if len(first) >= 3:
            last = row
        elif first and row + 1 < self.grid.height:
            if all(
                _goal_head(header_key(cell.text)) is not None
                for cell in self.grid.row(row)
                if cell.row == row and _indicator_field(header_key(cell.text)) is not None
            ):
                return None  # the goal's 实际完成情况 above the header: not a group header
            second = self.core_fields(row + 1)
            if not second or len(first | second) < 3:
                return None
            last = row + 1
        else:
            return None
        named = [
            cell
            for cell in self.grid.row(row)
            if cell.row == row and _indicator_field(header_key(cell.text)) is not None
        ]
        # A header merged down over sub-headers (指标值 | 实际值 under it) ends below.
        last = min(max([last, *(cell.last_row for cell in named)]), row + 2)
        if last == row and row + 1 < self.grid.height:
            # Sub-headers under a group header (年度绩效指标) whose neighbours are not
            # merged down over them (a PDF whose printer left those rulings out).
            below = self.core_fields(row + 1)
            if below and not below & first:
                last = row + 1
        cells = list(
            dict.fromkeys(cell for cells in self.grid.rows_of(row, last + 1) for cell in cells)
        )
        fielded = [cell for cell in cells if _indicator_field(header_key(cell.text)) is not None]
        header = [
            cell
            for cell in fielded
            if not any(
                other.row > cell.row
                and other.column <= cell.last_column
                and cell.column <= other.last_column
                for other in fielded
            )
        ]
        header.extend(
            cell for cell in self.grid.row(last) if _indicator_field(header_key(cell.text)) is None
        )
        return last, sorted(header, key=lambda cell: cell.column)

    def core_fields(self, row: int) -> set[IndicatorField]:
        """The indicator block's core headers among the cells starting in ``row``."""
        return {
            field
            for cell in self.grid.row(row)
            if cell.row == row
            and (field := _indicator_field(header_key(cell.text))) in _INDICATOR_CORE
            and field is not None
        }

    # ---- goal

    def goal_block(self, row: int) -> int:
        """The goal: 预期目标 and 实际完成情况 texts by their headers, or one text.

        A header's text is below it (the rows the 年度总体目标 label is merged over, or,
        where the label is not merged down, the rows after it up to the next landmark),
        else beside it (a form that prints each header and its text on a row).
        """
        grid = self.grid
        label = next(
            cell for cell in grid.row(row) if header_key(cell.text).startswith(_GOAL_WORDS)
        )
        stop = self.goal_rows_below(label, max(label.last_row + 1, row + 1))
        heads: dict[Literal["expected", "achieved"], GridCell] = {}
        for cells in grid.rows_of(row, stop):
            for cell in cells:
                if (head := _goal_head(header_key(cell.text))) is not None:
                    heads.setdefault(head, cell)
        if heads and all(head.last_row + 1 >= stop for head in heads.values()):
            # Nothing below the headers inside the label's rows: the texts follow.
            while stop < grid.height and not self.ends_block(grid.row(stop), stop):
                under = [grid.at(stop, head.column) for head in heads.values()]
                if not any(cell is not None and cell.text.strip() for cell in under):
                    break
                stop += 1
        found = {field: self.goal_texts(head, heads, stop) for field, head in heads.items()}
        if not heads:
            found["expected"] = [
                cell
                for cells in grid.rows_of(row, stop)
                for cell in cells
                if cell is not label and cell.column > label.column and cell.text.strip()
            ]
        goal: dict[str, JSONValue] = {
            field: "\n".join(cell.text.strip() for cell in texts)
            for field, texts in found.items()
            if texts
        }
        if goal:
            goal["places"] = {field: texts[0].place for field, texts in found.items() if texts}
            self.current.data["goal"] = goal
        return stop

    def goal_rows_below(self, label: GridCell, stop: int) -> int:
        """Where the goal's rows end, past the label's own rows (from ``stop``).

        A row blank under the label and naming the goal header not named yet (its
        实际完成情况 row) is the goal's still: the label's merge was cut short (a
        PDF's page break between its rows, the label's part below printed blank).
        """
        grid = self.grid
        named = {
            _goal_head(header_key(cell.text))
            for cells in grid.rows_of(label.row, stop)
            for cell in cells
        }
        while stop < grid.height:
            beneath = grid.at(stop, label.column)
            here = {
                head
                for cell in grid.row(stop)
                if cell.row == stop and (head := _goal_head(header_key(cell.text))) is not None
            }
            if beneath is None or beneath.row != stop or beneath.text.strip():
                break
            if not here or here & named:
                break
            named |= here
            stop += 1
        return stop

    def goal_texts(
        self, head: GridCell, heads: dict[Literal["expected", "achieved"], GridCell], stop: int
    ) -> list[GridCell]:
        """The cells of a goal header's text: below it up to ``stop``, else beside it."""
        grid = self.grid
        others = set(map(id, heads.values()))
        below = (grid.at(number, head.column) for number in range(head.last_row + 1, stop))
        texts = list(
            dict.fromkeys(  # a cell merged down is met once per row it covers
                cell
                for cell in below
                if cell is not None
                and cell.row > head.row
                and id(cell) not in others
                and cell.text.strip()
            )
        )
        if not texts:
            beside = grid.at(head.row, head.last_column + 1)
            if beside is not None and id(beside) not in others and beside.text.strip():
                texts = [beside]
        return texts

    # ---- indicators

    def continued(self) -> int:
        """Read the rows continuing the previous grid's table; the next row to look at.

        They continue it up to its total row or the first landmark; a header repeated
        at the top is the header of the rows below it. A grid that starts with a
        landmark of its own, or whose columns are not the previous grid's, continues
        nothing.
        """
        continuation, grid = self.continuation, self.grid
        table, continuation.table = continuation.table, None
        assert table is not None  # noqa: S101 - read() asks for a table
        row = 0
        while row < grid.height and not any(cell.text.strip() for cell in grid.row(row)):
            row += 1
        if row >= grid.height:
            continuation.table = table  # a grid of blank cells: still open
            return row
        if (found := self.indicator_header(row)) is not None:
            last, header = found
            named = [_indicator_field(header_key(cell.text)) for cell in header]
            columns, extras = _header_columns(header, named)
            row = last + 1
        else:
            columns = {
                field: _column_head(column) for field, column in continuation.columns.items()
            }
            extras = {name: _column_head(column) for name, column in continuation.extras.items()}
            if (
                grid.width != continuation.width
                or self.ends_block(grid.row(row), row)
                or self.indicator_row(row, columns, extras, dict(continuation.carried)) is None
            ):
                return 0  # not a row of the block: the grid is a table of its own
        self.current = table
        row = self.indicator_rows(row, columns, extras, continuation.carried)
        self.current = _Table(heading=self.pending)
        self.pending = {}
        return row

    def indicator_block(
        self, row: int, header: list[GridCell], fields: list[IndicatorField | None]
    ) -> int:
        if self.current.indicators:
            self.new_table_if_started()
        table = self.current
        table.first_place = table.first_place or header[0].place
        columns, extras = _header_columns(header, fields)
        table.has_weight_column = "weight" in columns
        return self.indicator_rows(row + 1, columns, extras, {})

    def indicator_rows(
        self,
        row: int,
        columns: dict[str, GridCell],
        extras: dict[str, GridCell],
        carried: dict[str, tuple[str, str]],
    ) -> int:
        """The indicator block's rows from ``row`` to its total row or the next landmark.

        A block that runs to the grid's end is left open for the next grid (see
        :class:`Continuation`).
        """
        table = self.current
        while row < self.grid.height:
            cells = self.grid.row(row)
            keys = [header_key(cell.text) for cell in cells if cell.row == row]
            if any(key in _TOTAL_WORDS for key in keys):
                self.total_row(row, columns)
                row += 1
                break
            if (repeated := self.indicator_header(row)) is not None:
                row = repeated[0] + 1  # a header repeated after a page break
                continue
            if self.ends_block(cells, row):
                break
            indicator = self.indicator_row(row, columns, extras, carried)
            if indicator is not None:
                table.indicators.append(indicator)
            else:  # no row of the block: perhaps the next table's year or unit line
                for cell in cells:
                    if cell.row == row:
                        self.title_facts(cell.text)
            row += 1
        else:
            self.continuation = Continuation(
                table,
                {field: head.column for field, head in columns.items()},
                {name: head.column for name, head in extras.items()},
                carried,
                self.grid.width,
            )
        return row

    def indicator_row(
        self,
        row: int,
        columns: dict[str, GridCell],
        extras: dict[str, GridCell],
        carried: dict[str, tuple[str, str]],
    ) -> dict[str, JSONValue] | None:
        """One indicator row, its labels carried down from the rows above where blank."""
        values = {field: self.value_under(row, head, field) for field, head in columns.items()}
        own = [text for field, (text, _) in values.items() if field not in _CARRIED and text]
        if not own or self.across(row, columns):
            return None
        _carry(values, carried)
        indicator: dict[str, JSONValue] = {}
        places: dict[str, str] = {}
        for field in _INDICATOR_ORDER:
            if field not in values and field not in _REQUIRED:
                continue
            text, place = values.get(field, ("", ""))
            if field in _OPTIONAL and not text:
                continue
            indicator[field] = text
            if place:
                places[field] = place
        for name, head in extras.items():
            text, place = self.value_under(row, head, "extra")
            if text:
                indicator[name] = text
                places[name] = place
        _join_split_target(indicator, extras)
        indicator["places"] = places
        self.current.last_place = places.get("level3", self.current.last_place)
        return indicator

    def across(self, row: int, columns: dict[str, GridCell]) -> bool:
        """Whether a row's one cell with text runs across the block (a note, a unit line).

        An indicator row prints its name, target and actual in cells of their own.
        """
        cells = [cell for cell in self.grid.row(row) if cell.row == row and cell.text.strip()]
        if len(cells) != 1:
            return False
        [cell] = cells
        under = [
            head for head in columns.values() if cell.column <= head.column <= cell.last_column
        ]
        return len(under) >= 3

    def value_under(self, row: int, head: GridCell, field: str) -> tuple[str, str]:
        """The text and place of the cell in ``row`` under a header cell.

        A label merged down from a row above reads as that label; any other cell that
        does not start in this row reads blank.
        """
        cell = self.grid.at(row, head.column)
        if cell is None:
            return "", ""
        if cell.row != row and field not in _CARRIED:
            return "", ""
        return cell.text.strip(), cell.place

    def total_row(self, row: int, columns: dict[str, GridCell]) -> None:
        """The printed total: under the 得分 header (blank there: no total printed).

        Only a form with no 得分 column is searched for a number, and never under the
        分值 header (that is the weights' total, ``100``).
        """
        score_head = columns.get("score")
        if score_head is not None:
            cell = self.grid.at(row, score_head.column)
            if cell is not None and cell.row == row and cell.text.strip():
                self.set_total(cell)
            return
        weight_head = columns.get("weight")
        weights = self.grid.at(row, weight_head.column) if weight_head is not None else None
        numbers = [
            cell
            for cell in self.grid.row(row)
            if cell.row == row
            and cell is not weights
            and re.fullmatch(r"[0-9.]+", fold(cell.text)[0])
        ]
        if numbers:
            self.set_total(numbers[-1])

    def set_total(self, cell: GridCell) -> None:
        """The printed total, also into the table made already (one continued here)."""
        table = self.current
        table.data["total"] = cell.text.strip()
        table.places["total"] = cell.place
        if table.built is not None:
            table.built["total"] = cell.text.strip()
            origin = table.built["origin"]
            if isinstance(origin, dict) and isinstance(origin["places"], dict):
                origin["places"]["total"] = cell.place


def _column_head(column: int) -> GridCell:
    """A header cell standing for a column of the grid before (a continued block's)."""
    return GridCell(-1, column, "")


def _join_split_target(indicator: dict[str, JSONValue], extras: dict[str, GridCell]) -> None:
    """A target printed over columns of its own, joined as one cell would print it.

    Forms exported by budget systems print the comparator and the unit apart
    (指标性质 ``≤`` | 指标值 ``35.5`` | 计量单位 ``万元``); read alone, ``35.5`` would be
    scored as at least 35.5 in no unit. The target becomes ``≤35.5万元`` and keeps its
    own place; the columns are kept as printed under their headers. A target that
    prints its own comparator or unit keeps it; a direction that names no comparator
    (定量, 定性) adds none; a target that would not read joined stays as printed.

    >>> row = {"target": "35.5", "指标性质": "反向指标", "计量单位": "万元"}
    >>> heads = {name: GridCell(0, 0, name) for name in ("指标性质", "计量单位")}
    >>> _join_split_target(row, heads)
    >>> row["target"], row["指标性质"], row["计量单位"]
    ('≤35.5万元', '反向指标', '万元')
    """
    target = indicator.get("target")
    op, unit = _target_parts(indicator, extras)
    if not (op or unit) or not isinstance(target, str) or not target.strip():
        return
    from perfscore.cells import parse_target  # noqa: PLC0415 - a form that needs it
    from perfscore.errors import InvalidCell  # noqa: PLC0415

    try:
        read = parse_target(target)
        if read.kind != "quantity":
            return
        joined = target.strip() + (unit if unit and not read.unit else "")
        joined = (op if op and read.op is None else "") + joined
        parse_target(joined)
    except InvalidCell:  # as printed, or what the columns say does not read with it
        return
    indicator["target"] = joined


def _target_parts(indicator: dict[str, JSONValue], extras: dict[str, GridCell]) -> tuple[str, str]:
    """The comparator (its sign) and the unit a row prints in columns of their own."""
    op = unit = ""
    for name, head in extras.items():
        key, value = header_key(head.text), indicator.get(name)
        if not isinstance(value, str):
            continue
        if key in UNIT_COLUMNS:
            unit = value.strip()
        elif key in DIRECTION_COLUMNS and (named := direction_op(value)) is not None:
            op = _SIGNS[named]
    return op, unit


_SIGNS: Final[dict[str, str]] = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}


def _header_columns(
    header: list[GridCell], fields: list[IndicatorField | None]
) -> tuple[dict[str, GridCell], dict[str, GridCell]]:
    """The indicator header's cells by field, and its other columns by their header.

    A column the form does not define (备注, 评分标准) is kept under its header as
    printed, less the line breaks of a narrow cell; a column before the first named
    one (绩效指标 merged down the block) is not a column of the rows.
    """
    columns: dict[str, GridCell] = {}
    extras: dict[str, GridCell] = {}
    first_column = min(
        cell.column for cell, field in zip(header, fields, strict=True) if field is not None
    )
    for cell, field in zip(header, fields, strict=True):
        if field is not None:
            columns.setdefault(field, cell)
        elif cell.column > first_column and header_key(cell.text):
            extras["".join(cell.text.split())] = cell
    return columns, extras


_CARRIED: Final = ("level1", "level2")
_REQUIRED: Final = frozenset({"level1", "level2", "level3", "target", "actual", "weight"})


def _carry(values: dict[str, tuple[str, str]], carried: dict[str, tuple[str, str]]) -> None:
    """Fill blank 一级 and 二级 labels from the rows above (a label printed once).

    A new 一级 label starts a new group, so the 二级 label above it is not carried; the
    same 一级 label again (merged down, or repeated on every row) is the same group.
    """
    for field in _CARRIED:
        if field not in values:
            continue
        if values[field][0]:
            if field == "level1" and values[field][0] != carried.get(field, ("", ""))[0]:
                carried.pop("level2", None)
            carried[field] = values[field]
        elif field in carried:
            values[field] = carried[field]


_INDICATOR_ORDER: Final[tuple[IndicatorField, ...]] = (
    "level1",
    "level2",
    "level3",
    "target",
    "actual",
    "weight",
    "score",
    "deviation_note",
    "basis",
)
_OPTIONAL: Final = frozenset({"deviation_note", "basis"})


def recognise(  # noqa: PLR0913 - the grid, and options by keyword
    grid: Grid,
    *,
    document: str,
    preamble: Iterable[str] = (),
    first_number: int = 1,
    place_of_grid: Callable[[Grid], str] | None = None,
    continuation: Continuation | None = None,
) -> list[dict[str, JSONValue]]:
    """The self-evaluation tables in a grid, as ``perfscore.table/1`` objects.

    Args:
        grid: the grid (a sheet, a Word or HTML table, a PDF table).
        document: the document's file name, kept in each table's ``origin``.
        preamble: lines printed before the grid (a title, ``（2023年度）``,
            ``单位：万元``), read for what the grid itself may not say.
        first_number: the number in the document of the first table found here.
        place_of_grid: the place a table reports for itself (the grid's by default).
        continuation: what the grid before left open (one object for all the grids
            of a document, in order): rows at the top of this grid that continue its
            table are added to that table's object (made already), not to a new one.

    Returns:
        One object per table, with ``origin`` (the document, the place, the table's
        number in the document, the places of its own cells) and each row's and the
        goal's ``places``.
    """
    reader = _Reader(grid, document, preamble, continuation)
    tables = reader.read()
    if continuation is not None:
        # What this grid leaves open, for the next one.
        for name in ("table", "columns", "extras", "carried", "width"):
            setattr(continuation, name, getattr(reader.continuation, name))
    found: list[dict[str, JSONValue]] = []
    for number, table in enumerate(tables, start=first_number):
        data: dict[str, JSONValue] = {"kind": table.data.pop("kind", "project")}
        name = table.data.pop("name", "")
        data["name"] = name
        data.update(table.data)
        data["funds"] = table.funds
        data["indicators"] = table.indicators
        data["origin"] = {
            "document": document,
            "place": place_of_grid(grid) if place_of_grid else grid.place,
            "number": number,
            "places": dict(table.places),
        }
        table.built = data
        found.append(data)
    return found

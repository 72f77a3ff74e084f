r"""Reading self-evaluation tables from the extracted text layer of a PDF (``.txt``).

A PDF's text layer, copied out or extracted by a tool, keeps the words of the table but
loses its grid: cells come one after another, a cell's text is broken over several
lines, cells printed on one baseline share a line, blank lines, page numbers and
running heads fall between the pieces, and a page break can cut a row in two. This
module puts the cells back from what such text still reliably shows. It is the
fallback for people who hold only text; a PDF is read through its geometry elsewhere.

>>> text = '''
... 项目支出绩效自评表
... （2023 年度）
... 项目名称 示例项目
... 主管部门 示例局 实施单位 示例中心
... 年初预算数 全年预算数 全年执行数 分值 执行率 得分
... 年度资金总额 10.00 10.00 9.00 10 90% 9.00
... 年度总体目标
... 预期目标 实际完成情况
... 培训 100 人。
... 培训 120 人。
... 一级指标 二级指标 三级指标 指标值 实际完成值 分值 得分
... 产出指标 数量指标
... 培训人
... 数
... >=100 人 =120 人 90 90
... 总分 100 99
... '''
>>> [table] = read_text_tables(text, source="说明.txt")
>>> table["name"], table["department"], table["implementer"], table["year"]
('示例项目', '示例局', '示例中心', 2023)
>>> table["funds"][0]["rate"], table["goal"]["achieved"], table["total"]
('90%', '培训 120 人。', '99')
>>> row = table["indicators"][0]
>>> row["level3"], row["target"], row["actual"], row["weight"], row["places"]["level3"]
('培训人数', '>=100 人', '=120 人', '90', '第14–15行')
>>> table["origin"]["place"], table["origin"]["number"]
('第2–17行', 1)

How the text is read
--------------------

* **Lines, pages.** A form feed (``\f``) ends a page; so does a line that only holds a
  printed page number (``- 7 -``, ``第 7 页``, a bare number beside a form feed or in
  a run ``N``, ``N+1``), which is dropped. A line that starts with white space after
  a line that does not marks a new page in extractions that indent each page's first
  line (the seed); it only allows a row to continue, it drops nothing. Lines that
  repeat at the top or bottom of several pages (running heads) are dropped.
* **Tables.** A table starts at a title line (``项目支出绩效自评表``,
  ``部门（单位）整体支出绩效（目标）自评表``, spaced out or in traditional
  characters: the title's key is read with white space removed), or, without a title,
  at an identity row (``项目名称`` …) once the table before it has its indicators. It
  ends at the next table, at its total row (``总分`` / ``合计``), at a heading of the
  prose (``第三部分 …``) or at the end of the text.
* **Tokens and keys.** Each line is cut at white space into tokens. Labels and headers
  are matched on the keys of whole tokens joined (white space removed, NFKC,
  traditional characters folded), so a label broken over lines (``一级指`` / ``标``)
  is found, and a word inside a cell (``…类项目资金``) is not taken for a label.
* **Sections.** Identity labels (``项目名称``, ``主管部门``, ``实施单位``,
  ``部门（单位）名称``) take the text up to the next label; the funds header
  (``年初预算数`` … in the order printed) gives the columns, each funds row is a label
  followed by figures (``—`` / ``-`` is no value); the goal block's lines are split
  into 预期目标 and 实际完成情况 where the line widths change (a wrapped cell's lines
  are full but for its last); the indicator header (every spelling in
  ``documents.md``, in the order printed) gives the columns of the indicator rows.
* **Indicator rows** are found by a best-scoring segmentation (a semi-Markov Viterbi
  search) of the tokens into rows of cells in the header's column order. A cell scores
  by what it reads as: ``一级``/``二级`` labels by the known vocabularies (产出指标,
  数量指标, … or a label ending in 指标); targets and actuals by
  :func:`~perfscore.cells.parse_target` / :func:`~perfscore.cells.parse_actual` (a
  quantity with a comparator or unit reads best, short words next, an unreadable text
  worst); weights and scores must be figures (:func:`~perfscore.cells.parse_figure`);
  text cells score by their line widths (every line of a wrapped cell but the last is
  about as wide as its widest: a short line ends a cell). A 一级 or 二级 label left out
  of a row is the merged label above it. After a page break a row may continue: its
  cells' remaining lines come again in column order (``社会效`` | page | ``益指标``).
  Lines of neighbouring cells interleaved (a cell's second line after the next cell)
  are taken back into their cell at a cost.
* **Total**: the last figure of the total row (``总分 100 90 分`` gives ``90``).
* **Text laid out in columns** (``pdftotext -layout``: a third or more of a table's
  lines have wide gaps between words) is read again by the words' columns, where that
  reads (:mod:`perfscore.io.documents._layout`): the header row's words give the columns,
  a line with a weight marks a row's middle, and a merged label covers the rows that
  centre on it.

Where it gives up: a cell the search cannot place confidently is still returned where
it fell (an unreadable target, a blank weight), never invented: the audit reports it.
Two text cells of one row printed on one line with a single space between them
(``增强 有效增强``) are split at the space. Lines of several wrapped cells interleaved
line by line (a 三级 cell's second line after the row's figures *and* a note beside
it) can be told apart only by their widths, which often do not differ: such text reads
partly, as does text whose cells are scrambled beyond reading order (a column's labels
all printed before its values, as plain ``pdftotext`` prints some grids) and laid-out
text whose columns are too narrow for a space between cells or whose header row is
wrapped. A text with no table gives an empty list; nothing here raises.
"""

from __future__ import annotations

import math
import re
import unicodedata
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from perfscore._text import display_width
from perfscore.cells import parse_actual, parse_target
from perfscore.errors import DocumentError, PerfscoreError
from perfscore.io.documents._layout import (
    Cell,
    Word,
    column_edges,
    layout_goal,
    layout_rows,
    looks_laid_out,
    words_of,
)
from perfscore.units import unit_family

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

__all__ = ["read_text_file", "read_text_tables"]

# ---------------------------------------------------------------------------------
# Keys: what labels and headers are matched on.

# Traditional characters of the form's words (mirror sites print 項目支出績效自評表).
_TRADITIONAL: Final = str.maketrans(
    "項績評體門單稱標際實數額預執權總資級質時滿務現況設據進計個萬產類規準價結轉撥",
    "项绩评体门单称标际实数额预执权总资级质时满务现况设据进计个万产类规准价结转拨",
)
_SPACE: Final = re.compile(r"\s+")


def _key(text: str) -> str:
    """The key a label is matched on: NFKC, traditional folded, no white space."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).translate(_TRADITIONAL))


# An optional note after a header: （A）, （万元）, (C/B), （分）.
_NOTE: Final = r"(?:\([^()]{0,8}\))?"


def _names(*spellings: str) -> re.Pattern[str]:
    """One pattern matching any spelling in full, with an optional note after it."""
    longest_first = sorted(spellings, key=len, reverse=True)
    return re.compile(f"(?:{'|'.join(longest_first)}){_NOTE}")


_TITLE: Final = re.compile(r"[^。，,;；:：]{0,30}?绩效(?:目标)?自评(?:价)?表(?:\(.{0,12}\))?")
_YEAR: Final = re.compile(r"(?<!\d)((?:19|20)\d\d)年度?", re.ASCII)
_MONEY_UNIT: Final = re.compile(r"单位:(万元|元)|资金\((万元|元)\)|\((万元|元)\)")
# What a running head never holds: a year line, a total row, table words.
_STRUCTURE: Final = re.compile(
    r"^\(?(?:19|20)\d\d年度?\)?$|^(?:总分|合计|总计)|指标|自评表|预算数|项目名称|主管部门"
)
_HEADING: Final = re.compile(r"第[一二三四五六七八九十\d]+部分|附件\d*[:：]?$|附表\d*")

_IDENTITY: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    ("name", re.compile(r"(?:项目名称|部门\(单位\)名称|部门名称|单位名称|预算单位名称):?")),
    ("department", re.compile(r"(?:主管部门(?:\(单位\))?|主管单位):?")),
    ("implementer", re.compile(r"(?:项目)?实施单位:?")),
)
_FILLER: Final = re.compile(r"填报单位:?")

_FUNDS_COLUMNS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    ("label", _names("资金来源", "资金类别", "资金性质")),
    ("initial_budget", _names("年初预算数", "年初预算", "年初预算金额")),
    ("annual_budget", _names("全年预算数", "全年预算", "调整后预算数", "全年预算金额")),
    ("executed", _names("全年执行数", "全年执行", "实际执行数", "全年实际支出", "执行数")),
    ("weight", _names("分值权重", "分值", "权重")),
    ("rate", _names("预算执行率", "执行率")),
    ("score", _names("自评得分", "得分")),
)
_FUNDS_HEADER: Final = re.compile("|".join(pattern.pattern for _, pattern in _FUNDS_COLUMNS[:3]))
# The funds block's own label, merged down over the block (项目资金（万元）), or pieces of
# it where its lines fell among the rows.
_FUNDS_BLOCK: Final = re.compile(
    r"(?:项目|部门|单位|年度|预算)?资金(?:情况)?(?:\((?:万元|元)\)?)?|\(?(?:万元|元)?\)|\(万|元\)"
)
_FUNDS_LABEL_END: Final = re.compile(r".*(?:资金|拨款|安排|合计|总计|总额|收入|支出|补助|经费)")

_GOAL_BLOCK: Final = re.compile(r"年度总体目标|总体目标|年度目标|绩效目标")
_GOAL_COLUMNS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    ("expected", _names("预期目标", "年初目标", "年度预期目标", "目标")),
    ("achieved", _names("实际完成情况", "全年实际完成情况", "实际完成", "完成情况")),
)

_INDICATOR_COLUMNS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    ("level1", _names("一级指标")),
    ("level2", _names("二级指标")),
    ("level3", _names("三级指标")),
    (
        "target",
        _names(
            "年度指标值",
            "预期指标值",
            "年度目标值",
            "预期目标值",
            "全年指标值",
            "计划指标值",
            "指标值",
            "目标值",
        ),
    ),
    (
        "actual",
        _names("实际完成指标值", "全年实际完成值", "实际完成值", "全年实际值", "实际值", "完成值"),
    ),
    ("weight", _names("分值权重", "分值", "权重")),
    ("score", _names("自评得分", "得分")),
    (
        "deviation_note",
        _names(
            "偏差原因分析及下一步改进措施",
            "偏差原因分析及改进措施",
            "未完成原因分析及改进措施",
            "偏差原因分析",
            "原因分析及改进措施",
            "偏差原因",
        ),
    ),
    ("basis", _names("指标值设定依据", "设定依据")),
    ("remarks", _names("备注")),
    ("standard", _names("评分标准", "评分规则")),
)
# A leading column merged down over the indicator block.
_INDICATOR_BLOCK: Final = re.compile(r"年度绩效指标完成情况|年度绩效指标|绩效指标")
_TOTAL: Final = re.compile(r"总分|合计|总计")

_FIGURE: Final = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?%?分?", re.ASCII)
_DASH: Final = re.compile(r"[-—–―/／\\]+|无|-?")
_SENTENCE_END: Final = ("。", ".", "；", ";", "！", "!")

_LEVEL1: Final = frozenset(
    {
        "产出指标",
        "效益指标",
        "满意度指标",
        "成本指标",
        "效果指标",
        "影响指标",
        "履职效能",
        "管理效率",
        "社会效应",
        "可持续性",
        "预算执行",
        "运行管理",
        "决策指标",
        "过程指标",
        "履职效果",
        "运行成本",
        "社会效益",
        "工作效率",
    }
)
_LEVEL2: Final = frozenset(
    {
        "数量指标",
        "质量指标",
        "时效指标",
        "成本指标",
        "经济成本指标",
        "社会成本指标",
        "生态环境成本指标",
        "经济效益指标",
        "社会效益指标",
        "生态效益指标",
        "可持续影响指标",
        "服务对象满意度指标",
        "满意度指标",
        "社会公众满意度指标",
        "群众满意度指标",
        "环境效益指标",
        "生态环境效益指标",
        "可持续发展指标",
        "重点工作完成情况",
        "履职目标实现",
        "预算管理",
        "资产管理",
    }
)


# ---------------------------------------------------------------------------------
# Lines and tokens.


class _Line(NamedTuple):
    number: int  # from 1, as an editor counts
    text: str
    page: int | None  # the page number where the text shows it
    new_page: bool  # the first line after a page break


class _Token(NamedTuple):
    text: str
    key: str
    line: int  # index into the table's lines
    gap: int  # before it: 0 a space on its line, 1 a line break, 2 a page break
    width: int


_PAGE_MARK: Final = re.compile(
    r"\s*(?:[-—–]\s*(\d{1,4})\s*[-—–]|第\s*(\d{1,4})\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|(\d{1,4})\s*/\s*\d{1,4}|(\d{1,4}))\s*"
)


def _lines(text: str) -> list[_Line]:
    """The text's lines with their pages; page-number lines and running heads dropped."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    feeds = any("\f" in line for line in raw)
    # Pages by form feeds first: a line after a form feed is on the next page.
    sheet: list[tuple[int, str, int]] = []
    page = 1
    for number, line in enumerate(raw, start=1):
        pieces = line.split("\f")
        for index, piece in enumerate(pieces):
            if index:
                page += 1
            if piece.strip() or index == len(pieces) - 1:
                sheet.append((number, piece, page))
    marks = _page_marks(sheet, feeds=feeds)
    heads = _running_heads(sheet) if feeds or marks else set()
    lines: list[_Line] = []
    printed: int | None = None
    previous_page = 1
    indented_before = True
    last_mark = 0
    upcoming = sorted(marks)
    for index, (number, piece, page) in enumerate(sheet):
        if index in marks:
            last_mark = marks[index]
            printed = last_mark + 1
            lines.append(_Line(number, "", None, new_page=True))
            continue
        stripped = piece.strip()
        if stripped and _key(stripped) in heads and _at_page_edge(sheet, index):
            continue
        new_page = page != previous_page
        previous_page = page
        indented = piece[:1].isspace() and bool(stripped) and "  " not in stripped
        if indented and not indented_before and not feeds:
            new_page = True
        if stripped:
            indented_before = indented or piece[:1].isspace()
        shown = page if feeds else _page_of(index, upcoming, marks, printed if last_mark else None)
        lines.append(_Line(number, piece.rstrip(), shown, new_page=new_page))
    return lines


def _at_page_edge(sheet: Sequence[tuple[int, str, int]], index: int) -> bool:
    """Whether a line is among the first or last two printed lines of its page."""
    page = sheet[index][2]
    for step in (-1, 1):
        printed = 0
        other = index + step
        while 0 <= other < len(sheet) and sheet[other][2] == page and printed < 2:
            printed += bool(sheet[other][1].strip())
            other += step
        if printed < 2:
            return True
    return False


def _page_of(
    index: int, upcoming: list[int], marks: dict[int, int], printed: int | None
) -> int | None:
    """The printed page of a line: the next page-number line's, else the one counted on."""
    for mark in upcoming:
        if mark > index:
            return marks[mark]
    return printed


def _page_marks(sheet: Sequence[tuple[int, str, int]], *, feeds: bool) -> dict[int, int]:
    """The lines that only print a page number, and the number they print."""
    found: dict[int, int] = {}
    bare: dict[int, int] = {}
    for index, (_, piece, page) in enumerate(sheet):
        match = _PAGE_MARK.fullmatch(piece)
        if match is None:
            continue
        dashed, worded, slashed, plain = match.groups()
        if dashed or worded or slashed:
            found[index] = int(dashed or worded or slashed)
            continue
        before = sheet[index - 1] if index else None
        after = sheet[index + 1] if index + 1 < len(sheet) else None
        blank_around = (before is None or not before[1].strip()) and (
            after is None or not after[1].strip()
        )
        at_feed = feeds and (
            (after is not None and after[2] != page) or (before is not None and before[2] != page)
        )
        if at_feed:
            found[index] = int(plain)
        elif blank_around:
            bare[index] = int(plain)
    # Bare numbers count as page numbers only in a run N, N+1, … (a weight printed on
    # a line of its own is not one).
    values = set(bare.values())
    found.update({index: value for index, value in bare.items() if {value - 1, value + 1} & values})
    return found


def _running_heads(sheet: Sequence[tuple[int, str, int]]) -> set[str]:
    """Keys of lines printed at the top or bottom of three or more pages."""
    by_page: dict[int, list[str]] = {}
    for _, piece, page in sheet:
        key = _key(piece)
        if key:
            by_page.setdefault(page, []).append(key)
    seen: dict[str, int] = {}
    for keys in by_page.values():
        for key in {*keys[:2], *keys[-2:]}:
            seen[key] = seen.get(key, 0) + 1
    return {
        key
        for key, count in seen.items()
        if count >= 3
        and len(key) >= 6
        and not _STRUCTURE.search(key)
        and not _TITLE.fullmatch(key)
        and not _FIGURE.fullmatch(key)
    }


_LABELLED: Final = re.compile(
    r"((?:项目名称|主管部门|实施单位|部门[（(]单位[）)]名称|单位名称|填报单位)[:：])(.+)"
)


def _tokens(lines: Sequence[_Line], start: int, stop: int) -> list[_Token]:
    """The tokens of lines ``start`` to ``stop``: pieces of lines between white space."""
    tokens: list[_Token] = []
    gap = 1
    for index in range(start, stop):
        line = lines[index]
        if line.new_page:
            gap = 2
        for word in line.text.split():
            # 项目名称：示例 is a label and its value, as if a space stood after the colon.
            labelled = _LABELLED.match(word)
            for piece in labelled.groups() if labelled else (word,):
                key = _key(piece)
                if key:
                    tokens.append(_Token(piece, key, index, gap, display_width(piece)))
                    gap = 0
        gap = max(gap, 1)
    return tokens


def _joined(tokens: Sequence[_Token]) -> str:
    """Tokens as one cell's text: a space within a line, nothing across lines."""
    text = ""
    for index, token in enumerate(tokens):
        if index and token.line == tokens[index - 1].line:
            text += " "
        text += token.text
    return text


def _match(tokens: Sequence[_Token], start: int, pattern: re.Pattern[str]) -> int | None:
    """The end of the longest run of whole tokens from ``start`` whose keys match."""
    key = ""
    found = None
    for index in range(start, min(len(tokens), start + 12)):
        key += tokens[index].key
        if len(key) > 40:
            break
        if pattern.fullmatch(key):
            found = index + 1
    return found


def _find(
    tokens: Sequence[_Token], pattern: re.Pattern[str], start: int = 0, stop: int | None = None
) -> tuple[int, int] | None:
    """The first run of whole tokens matching ``pattern``, as ``(start, end)``."""
    for index in range(start, len(tokens) if stop is None else min(stop, len(tokens))):
        end = _match(tokens, index, pattern)
        if end is not None:
            return index, end
    return None


# ---------------------------------------------------------------------------------
# Entry points.


def read_text_file(raw: bytes, *, source: str) -> list[dict[str, Any]]:
    r"""The self-evaluation tables in a ``.txt`` file holding a PDF's text layer.

    The bytes are UTF-8 (with or without a byte order mark), else GB18030.

    Args:
        raw: the file's bytes.
        source: the file's name, for messages and each table's origin.

    Returns:
        One ``perfscore.table/1`` dict per table (see :func:`read_text_tables`).

    Raises:
        DocumentError: binary data, text in neither encoding, or a text with no
            self-evaluation table.

    >>> read_text_file("一级指标 二级指标".encode("gb18030"), source="a.txt")
    Traceback (most recent call last):
    ...
    perfscore.errors.DocumentError: a.txt: no self-evaluation table found in the text
    >>> read_text_file(b"PK\x03\x04\x00\x00", source="b.txt")
    Traceback (most recent call last):
    ...
    perfscore.errors.DocumentError: b.txt: binary data, not text (a NUL byte at byte 4); ...
    """
    nul = raw.find(b"\x00", 0, 1 << 16)
    if nul >= 0:
        raise DocumentError(
            source,
            f"binary data, not text (a NUL byte at byte {nul}); give the document itself "
            "(.pdf, .docx, .xlsx) or its text saved as UTF-8",
        )
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise DocumentError(source, "neither UTF-8 nor GB18030 text; save it as UTF-8")
    tables = read_text_tables(text, source=source)
    if not tables:
        raise DocumentError(source, "no self-evaluation table found in the text")
    return tables


def read_text_tables(text: str, *, source: str) -> list[dict[str, Any]]:
    """Every self-evaluation table in a PDF's extracted text, as table dicts.

    Args:
        text: the text layer.
        source: the file it came from (its name goes in ``source`` and ``origin``).

    Returns:
        One ``perfscore.table/1`` dict per table, in the order printed, with an
        ``origin`` (``document``, ``place`` as lines and pages, ``number`` from 1,
        ``places`` of the name and total) and each row's and the goal's ``places``.
        Cells are the text as printed, a wrapped cell's lines joined without
        inserted characters; a cell not found is left out or blank. Never raises.

    >>> read_text_tables("no table here", source="x.txt")
    []
    """
    document = PurePath(source).name if source else source
    try:
        lines = _lines(text)
        spans = _table_spans(lines)
    except (PerfscoreError, ValueError, ArithmeticError, IndexError):  # pragma: no cover
        return []
    tables = []
    for number, (start, stop) in enumerate(spans, start=1):
        table = _read_table(lines, start, stop, document=document, number=number)
        if table is not None:
            tables.append(table)
    return tables


# ---------------------------------------------------------------------------------
# Finding the tables.


def _table_spans(lines: Sequence[_Line]) -> list[tuple[int, int]]:
    """Where the tables are: ``(first line, line after the last)`` per table."""
    keys = [_key(line.text) for line in lines]
    starts: list[int] = []
    has_indicators = has_identity = closed = False
    for index, key in enumerate(keys):
        if not key:
            continue
        title = len(key) <= 48 and _TITLE.fullmatch(key) is not None
        identity = key.startswith(("项目名称", "部门(单位)名称"))
        header = "一级指标" in key or (
            key.startswith("一级指") and index + 1 < len(keys) and keys[index + 1][:1] == "标"
        )
        if title and starts and not has_identity and not has_indicators:
            starts[-1] = min(starts[-1], index)  # the title above a table's first rows
        elif (
            title
            or (identity and (not starts or has_indicators or has_identity))
            or (header and (not starts or closed))
        ):
            starts.append(index)
            has_indicators = has_identity = closed = False
        if starts:
            has_identity = has_identity or identity
            has_indicators = has_indicators or header
            first = lines[index].text.split()[:1]
            closed = closed or (
                has_indicators and bool(first) and _TOTAL.fullmatch(_key(first[0])) is not None
            )
    spans = []
    for position, start in enumerate(starts):
        stop = starts[position + 1] if position + 1 < len(starts) else len(lines)
        spans.append((start, _table_end(lines, keys, start, stop)))
    return spans


def _table_end(lines: Sequence[_Line], keys: Sequence[str], start: int, stop: int) -> int:
    """The line after a table's last: its total row, a prose heading, or ``stop``."""
    seen_header = False
    for index in range(start, stop):
        key = keys[index]
        if "一级指标" in key or key.startswith("一级指"):
            seen_header = True
        if not seen_header or index == start:
            continue
        first = lines[index].text.split()[:1]
        first_key = _key(first[0]) if first else ""
        if _TOTAL.fullmatch(first_key):
            # The figures of the total row may stand on the lines after it.
            end = index + 1
            while end < stop and (
                not keys[end]
                or all(
                    _FIGURE.fullmatch(_key(piece)) or _key(piece) == "分"
                    for piece in lines[end].text.split()
                )
            ):
                end += 1
                if keys[end - 1]:
                    break
            return end
        if _HEADING.match(key) and len(key) <= 30:
            return index
    return stop


# ---------------------------------------------------------------------------------
# One table.


class _Sections(NamedTuple):
    identity: tuple[int, int]
    funds_header: tuple[int, int] | None
    goal_header: tuple[int, int] | None
    indicator_header: tuple[int, int] | None


def _read_table(
    lines: Sequence[_Line], start: int, stop: int, *, document: str, number: int
) -> dict[str, Any] | None:
    """One table's dict from its lines, or ``None`` where no indicator header is."""
    tokens = _tokens(lines, start, stop)
    header = _find(tokens, _INDICATOR_COLUMNS[0][1])
    funds = _find(tokens, _FUNDS_HEADER, 0, header[0] if header else None)
    if header is None and funds is None:
        return None
    place = _Places(lines, tokens)
    table: dict[str, Any] = {"format": "perfscore.table/1"}
    head_stop = funds[0] if funds else header[0] if header else len(tokens)
    _read_head(tokens, head_stop, table, place)
    table["source"] = document
    table["money_unit"] = _money_unit(tokens, header[0] if header else len(tokens))
    goal = _find(
        tokens, _GOAL_COLUMNS[0][1], funds[1] if funds else 0, header[0] if header else None
    )
    goal_block = _find(tokens, _GOAL_BLOCK, funds[1] if funds else 0, header[0] if header else None)
    funds_stop = min(
        (found[0] for found in (goal, goal_block) if found is not None),
        default=header[0] if header else len(tokens),
    )
    if funds is not None:
        table["funds"] = _read_funds(tokens, funds[0], funds_stop, place)
    if goal is not None or goal_block is not None:
        goal_start = min(found[0] for found in (goal, goal_block) if found is not None)
        table["goal"] = _read_goal(tokens, goal_start, header[0] if header else len(tokens), place)
    if header is not None:
        indicators, total = _read_indicators(tokens, header[0], place)
        table["indicators"] = indicators
        if total is not None:
            table["total"] = total[0]
            table.setdefault("_places", {})["total"] = total[1]
    else:
        table["indicators"] = []
    if not (table["indicators"] or table.get("name") or table.get("funds")):
        return None  # headers with nothing under them: not a table
    if looks_laid_out([line.text for line in lines[start:stop]]):
        _read_laid_out(lines, start, stop, table)
    first_line = lines[tokens[0].line] if tokens else lines[start]
    last_line = lines[tokens[-1].line] if tokens else lines[stop - 1]
    table["origin"] = {
        "document": document,
        "place": _place_of(first_line, last_line),
        "number": number,
        "places": table.pop("_places", {}),
    }
    return table


class _Places:
    """Places of tokens: the lines (and pages) a cell's tokens came from."""

    def __init__(self, lines: Sequence[_Line], tokens: Sequence[_Token]) -> None:
        self.lines = lines
        self.tokens = tokens

    def of(self, tokens: Sequence[_Token]) -> str:
        """``第712行``, ``第712–716行``, with the page where the text shows it."""
        if not tokens:
            return ""
        first = min(token.line for token in tokens)
        last = max(token.line for token in tokens)
        return _place_of(self.lines[first], self.lines[last])


def _place_of(first: _Line, last: _Line) -> str:
    """A place for people: lines, and pages where known (``第5–6页 第523–610行``)."""
    where = (
        f"第{first.number}行"
        if first.number == last.number
        else f"第{first.number}–{last.number}行"
    )
    if first.page is not None and last.page is not None:
        pages = f"第{first.page}页" if first.page == last.page else f"第{first.page}–{last.page}页"
        return f"{pages} {where}"
    return where


def _money_unit(tokens: Sequence[_Token], stop: int) -> str:
    """The money unit printed before the indicators (万元 unless 元 is printed)."""
    key = "".join(token.key for token in tokens[:stop])
    match = _MONEY_UNIT.search(key)
    if match is None:
        return "万元"
    return next(group for group in match.groups() if group)


def _read_head(tokens: Sequence[_Token], stop: int, table: dict[str, Any], place: _Places) -> None:
    """Kind, year and the identity rows (name, department, implementer)."""
    key = "".join(token.key for token in tokens[: min(stop, 40)])
    title = _TITLE.search(key)
    table["kind"] = "department" if title and "整体" in title.group() else "project"
    year = _YEAR.search(key)
    if year is not None:
        table["year"] = int(year.group(1))
    found: list[tuple[int, int, str]] = []
    index = 0
    while index < stop:
        for field, pattern in _IDENTITY:
            end = _match(tokens[:stop], index, pattern)
            if end is not None:
                found.append((index, end, field))
                index = end
                break
        else:
            index += 1
    if not found:
        return
    places = table.setdefault("_places", {})
    for position, (_, end, field) in enumerate(found):
        value_stop = found[position + 1][0] if position + 1 < len(found) else stop
        value_tokens = _value_tokens(tokens, end, value_stop)
        value = _joined(value_tokens)
        if field in table or not value:
            continue
        table[field] = value
        places[field] = place.of(value_tokens)


def _value_tokens(tokens: Sequence[_Token], start: int, stop: int) -> list[_Token]:
    """An identity value's tokens: a leading colon, the funds block's label, 填报单位 off."""
    chosen = list(tokens[start:stop])
    while chosen and chosen[0].key in {":", "："}:
        chosen.pop(0)
    # The funds block's label (项目资金（万元）) may close the last value.
    for cut in range(len(chosen)):
        if (
            cut
            and chosen[cut].gap
            and _FUNDS_BLOCK.fullmatch("".join(token.key for token in chosen[cut:]))
        ):
            chosen = chosen[:cut]
            break
    for cut in range(len(chosen)):
        if _FILLER.match(chosen[cut].key) or _HEADING.match(chosen[cut].key):
            chosen = chosen[:cut]
            break
    return chosen


# ---------------------------------------------------------------------------------
# Funds.


def _header_columns(
    tokens: Sequence[_Token],
    start: int,
    columns: Sequence[tuple[str, re.Pattern[str]]],
    skip: re.Pattern[str] | None = None,
) -> tuple[list[str], int]:
    """The columns of a header row from ``start`` in the order printed, and its end."""
    found: list[str] = []
    index = start
    while index < len(tokens):
        best: tuple[int, str] | None = None
        for field, pattern in columns:
            end = _match(tokens, index, pattern)
            if end is not None and (best is None or end > best[0]) and field not in found:
                best = (end, field)
        if best is None and skip is not None:
            end = _match(tokens, index, skip)
            if end is not None:
                index = end
                continue
        if best is None:
            break
        found.append(best[1])
        index = best[0]
    return found, index


def _is_figure(key: str) -> bool:
    """A printed figure (``10``, ``98.36%``, ``1,234.5``) or an empty mark (``—``)."""
    return (_FIGURE.fullmatch(key) is not None and any(c.isdigit() for c in key)) or (
        _DASH.fullmatch(key) is not None and key != ""
    )


def _read_funds(
    tokens: Sequence[_Token], start: int, stop: int, place: _Places
) -> list[dict[str, Any]]:
    """The funds rows: each a label and its figures in the header's column order."""
    columns, index = _header_columns(tokens, start, _FUNDS_COLUMNS, _FUNDS_BLOCK)
    figures_of = [column for column in columns if column != "label"]
    body = [
        token
        for position, token in enumerate(tokens[index:stop], start=index)
        if not _in_block_label(tokens, position, stop)
    ]
    rows: list[dict[str, Any]] = []
    labels: list[list[_Token]] = []
    text: list[_Token] = []
    pending_figures: list[_Token] = []

    def close_row() -> None:
        if pending_figures and labels:
            label = labels.pop(0)
            rows.append(_funds_row(label, pending_figures, figures_of, place))
        pending_figures.clear()

    for position, token in enumerate(body):
        if _is_figure(token.key):
            if text:
                labels.extend(_split_labels(text))
                text = []
            if len(pending_figures) >= len(figures_of) or (
                len(pending_figures) == 3 and not _row_goes_on(body, position, figures_of)
            ):
                close_row()
            pending_figures.append(token)
        else:
            if pending_figures:
                close_row()
            text.append(token)
    close_row()
    return rows


def _row_goes_on(body: Sequence[_Token], position: int, figures_of: Sequence[str]) -> bool:
    """Whether figures after a row's amounts are its weight, rate and score.

    They are when they stand on the same line as the amounts, or when the one in the
    rate's column is a percentage or a dash (a row of amounts only is then followed by
    the next row's amounts).
    """
    if body[position].gap == 0:
        return True
    if "rate" not in figures_of:
        return False
    rate_at = figures_of.index("rate") - 3
    ahead = body[position + rate_at] if rate_at >= 0 and position + rate_at < len(body) else None
    return ahead is not None and (ahead.key.endswith("%") or _DASH.fullmatch(ahead.key) is not None)


def _split_labels(tokens: Sequence[_Token]) -> list[list[_Token]]:
    """A run of label text: one label, or several where they were printed one after another."""
    labels: list[list[_Token]] = []
    current: list[_Token] = []
    for token in tokens:
        current.append(token)
        if _FUNDS_LABEL_END.fullmatch("".join(t.key for t in current)):
            labels.append(current)
            current = []
    if current:
        if labels and len(labels) >= 1 and not _FUNDS_LABEL_END.fullmatch(current[0].key):
            labels[-1] = labels[-1] + current if current[0].gap == 0 else labels[-1]
            if current[0].gap != 0:
                labels.append(current)
        else:
            labels.append(current)
    return labels


def _in_block_label(tokens: Sequence[_Token], position: int, stop: int) -> bool:
    """Whether a token is part of the funds block's own label (项目资金（万元）)."""
    token = tokens[position]
    if _FUNDS_BLOCK.fullmatch(token.key) and not _FUNDS_LABEL_END.fullmatch(token.key):
        return True
    # 项目资金 / （万元） over two lines, or 部门资 / 金（万 / 元）.
    for begin in range(max(0, position - 3), position + 1):
        end = _match(tokens[:stop], begin, _FUNDS_BLOCK)
        if end is not None and end > position and end - begin > 1:
            return True
    return token.key.startswith("项目资金") and "(" in token.key


def _funds_row(
    label: Sequence[_Token], figures: Sequence[_Token], columns: Sequence[str], place: _Places
) -> dict[str, Any]:
    """One funds row's dict; an empty mark leaves its figure out."""
    row: dict[str, Any] = {"label": _joined(label)}
    places = {"label": place.of(label)}
    for column, token in zip(columns, figures, strict=False):
        if _DASH.fullmatch(token.key) and column not in row:
            continue
        row[column] = token.text
        places[column] = place.of([token])
    for column in ("initial_budget", "annual_budget", "executed"):
        row.setdefault(column, "")
    row["places"] = places
    return row


# ---------------------------------------------------------------------------------
# Goal.


def _read_goal(tokens: Sequence[_Token], start: int, stop: int, place: _Places) -> dict[str, Any]:
    """预期目标 and 实际完成情况: the block's lines, split where their widths change."""
    index = start
    while index < stop:
        end = _match(tokens, index, _GOAL_BLOCK)
        if end is not None:
            index = end
            continue
        columns, after = _header_columns(tokens, index, _GOAL_COLUMNS, _GOAL_BLOCK)
        if columns:
            index = after
            continue
        break
    body = [
        token
        for position, token in enumerate(tokens[index:stop], start=index)
        if _match(tokens[:stop], position, _GOAL_BLOCK) is None
        and not _inside_match(tokens, position, stop, _GOAL_BLOCK)
    ]
    split = _goal_split(body)
    expected = body[:split]
    achieved = body[split:]
    goal: dict[str, Any] = {"expected": _joined(expected), "achieved": _joined(achieved)}
    goal["places"] = {"expected": place.of(expected), "achieved": place.of(achieved)}
    return goal


def _inside_match(
    tokens: Sequence[_Token], position: int, stop: int, pattern: re.Pattern[str]
) -> bool:
    """Whether a token is inside a whole-token match of ``pattern`` that starts before it."""
    for begin in range(max(0, position - 5), position):
        end = _match(tokens[:stop], begin, pattern)
        if end is not None and end > position:
            return True
    return False


def _line_parts(tokens: Sequence[_Token]) -> list[list[_Token]]:
    """Tokens grouped by the line they stand on."""
    parts: list[list[_Token]] = []
    for token in tokens:
        if parts and parts[-1][-1].line == token.line:
            parts[-1].append(token)
        else:
            parts.append([token])
    return parts


def _part_width(part: Sequence[_Token]) -> int:
    """A line's printed width; the spaces an extraction puts between words count nothing."""
    return sum(token.width for token in part)


def _goal_split(tokens: Sequence[_Token]) -> int:
    """Where 实际完成情况 starts among the goal block's tokens.

    A wrapped cell's lines are all about as wide as its widest but for its last, which
    is shorter and mostly ends a sentence; the two cells print their own widths. Both
    cells on one line split at a space.
    """
    count = len(tokens)
    if count <= 1:
        return count
    best = (_goal_cost(tokens, count) + 4.0, count)
    for split in range(1, count):
        if tokens[split].gap == 2:
            continue
        cost = _goal_cost(tokens, split)
        if cost < best[0]:
            best = (cost, split)
    return best[1]


def _goal_cost(tokens: Sequence[_Token], split: int) -> float:
    """How unlike two wrapped cells the tokens are when split at ``split``."""
    first = _line_parts(tokens[:split])
    second = _line_parts(tokens[split:])
    cost = _roughness(first) + _roughness(second)
    if split == len(tokens):
        return cost
    if tokens[split].gap == 0:
        cost += 1.0  # two cells on one line: less common than a cell per line
    ending = tokens[split - 1].text
    cost += -2.0 if ending.endswith(_SENTENCE_END) else 2.0
    widths = [_part_width(part) for part in first]
    if len(first) > 1 and widths[-1] >= max(widths) - 2 and not ending.endswith(_SENTENCE_END):
        cost += 3.0
    return cost


# ---------------------------------------------------------------------------------
# Indicators: the segmentation.

_INFINITY: Final = math.inf
_REQUIRED: Final[dict[str, float]] = {
    "level3": 6.0,
    "target": 3.0,
    "actual": 3.0,
    "weight": 3.0,
    "score": 1.5,
}
_LABELS: Final = frozenset({"level1", "level2"})
_FIGURES: Final = frozenset({"weight", "score"})
_QUANTITIES: Final = frozenset({"target", "actual"})
_LONGEST: Final[dict[str, int]] = {"label": 8, "figure": 2, "quantity": 8, "text": 60}
_ROW_COST: Final = 0.3
_CONTINUED_ROW_COST: Final = 1.0
_ASIDE_COST: Final = 1.2
_ASIDE_COLUMNS: Final = ("level3", "target", "actual")
_ASIDE_LONGEST: Final = 6


def _kind_of(column: str) -> str:
    if column in _LABELS:
        return "label"
    if column in _FIGURES:
        return "figure"
    if column in _QUANTITIES:
        return "quantity"
    return "text"


def _read_indicators(
    tokens: Sequence[_Token], start: int, place: _Places
) -> tuple[list[dict[str, Any]], tuple[str, str] | None]:
    """The indicator rows after the header at ``start``, and the total row's figure."""
    columns, index = _header_columns(tokens, start, _INDICATOR_COLUMNS, _INDICATOR_BLOCK)
    body: list[_Token] = []
    total: tuple[str, str] | None = None
    position = index
    while position < len(tokens):
        token = tokens[position]
        if token.gap and _TOTAL.fullmatch(token.key):
            figures = [
                t
                for t in tokens[position + 1 : position + 4]
                if _FIGURE.fullmatch(t.key.rstrip("分")) and any(c.isdigit() for c in t.key)
            ]
            if figures:
                total = (figures[-1].text.removesuffix("分"), place.of([figures[-1]]))
            break
        # A header row printed again after a page break, and the merged leading
        # column's label, are not cells.
        repeated, after = _header_columns(tokens, position, _INDICATOR_COLUMNS, _INDICATOR_BLOCK)
        if len(repeated) >= 3:
            position = after
            continue
        block = _match(tokens, position, _INDICATOR_BLOCK)
        if block is not None and token.gap:
            position = block
            continue
        body.append(token)
        position += 1
    if len(body) > 6000:  # past any real table: read what a search can afford
        body = body[:6000]
    body = _stitch_labels(body)
    return _indicator_rows(_segment(body, columns), columns, place), total


def _stitch_labels(body: list[_Token]) -> list[_Token]:
    """Labels cut by a page break put back together by the vocabularies.

    A row cut by a page break prints a merged label's first line before the break and
    the rest after it (``社会效`` | page | ``益指标``); where a piece before the break and
    the first piece after it make a known 一级 or 二级 label, they are one token.
    """
    labels = _LEVEL1 | _LEVEL2
    stitched = list(body)
    for index in range(len(stitched) - 1, 0, -1):
        after = stitched[index]
        if after.gap != 2 or _is_figure(after.key):
            continue
        for back in range(index - 1, max(-1, index - 40), -1):
            before = stitched[back]
            if before.key not in labels and before.key + after.key in labels:
                stitched[back] = before._replace(
                    text=before.text + after.text,
                    key=before.key + after.key,
                    width=before.width + after.width,
                )
                follower = stitched[index + 1] if index + 1 < len(stitched) else None
                if follower is not None and follower.gap < 2:
                    stitched[index + 1] = follower._replace(gap=2)
                del stitched[index]
                break
    return stitched


class _State(NamedTuple):
    kind: int  # 0 a row, 1 a row continued after a page break, 2 a cell's lines aside
    column: int  # the furthest column of the row so far
    aside: int  # the column whose lines are taken aside (kind 2), else -1


def _segment(  # noqa: C901, PLR0912 - one search: states, moves, then the cells
    body: Sequence[_Token], columns: Sequence[str]
) -> list[dict[str, list[_Token]]]:
    """The best split of the body's tokens into rows of cells (see the module's notes)."""
    count = len(body)
    if count == 0 or not columns:
        return []
    width = len(columns)
    states = [_State(0, c, -1) for c in range(width)] + [_State(1, c, -1) for c in range(width)]
    asides = [c for c, name in enumerate(columns) if name in _ASIDE_COLUMNS]
    states += [_State(2, c, a) for c in range(width) for a in asides if a < c]
    required = [_REQUIRED.get(name, 0.0) for name in columns]
    kinds = [_kind_of(name) for name in columns]
    costs = _CellCosts(body)
    memo: dict[tuple[int, str], list[float]] = {}

    def cell_costs(i: int, column: int) -> list[float]:
        """The costs of the cells from token ``i`` in a column, by their length."""
        name = columns[column]
        kind = kinds[column]
        key = (i, name if kind != "text" or name == "level3" else "text")
        found = memo.get(key)
        if found is None:
            found = memo[key] = costs.costs(i, name, kind, _LONGEST[kind])
        return found

    def skipped(first: int, last: int) -> float:
        return sum(required[first:last])

    # The finite transitions, worked out once: (state, page break) -> (target, cost).
    moves: dict[tuple[_State, bool], list[tuple[_State, float]]] = {}
    for state in [_State(0, -1, -1), *states]:
        row_end = _row_end(state, skipped, width)
        for page in (False, True):
            moves[state, page] = [
                (target, extra)
                for target in states
                if (extra := _transition(state, target, row_end, skipped, columns, page=page))
                != _INFINITY
            ]

    best: list[dict[_State, tuple[float, int, _State | None]]] = [{} for _ in range(count + 1)]
    best[0][_State(0, -1, -1)] = (0.0, 0, None)
    for i in range(count):
        if not best[i]:
            continue
        page = body[i].gap == 2
        into: dict[_State, tuple[float, _State]] = {}
        for state, (cost, _, _) in best[i].items():
            for target, extra in moves[state, page]:
                total = cost + extra
                known = into.get(target)
                if known is None or total < known[0]:
                    into[target] = (total, state)
        for target, (cost, previous) in into.items():
            column = target.aside if target.kind == 2 else target.column
            longest = _ASIDE_LONGEST if target.kind == 2 else _LONGEST[kinds[column]]
            figure = kinds[column] == "figure"
            by_length = cell_costs(i, column)
            for j in range(i + 1, min(count, i + longest) + 1):
                if j > i + 1 and figure and body[j - 1].gap == 0:
                    break
                total = cost + by_length[j - i - 1]
                if total == _INFINITY:
                    continue
                current = best[j].get(target)
                if current is None or total < current[0]:
                    best[j][target] = (total, i, previous)
    if not best[count]:
        return []
    final = min(
        best[count].items(),
        key=lambda item: item[1][0] + _row_end(item[0], skipped, width),
    )[0]
    return _backtrack(best, final, body, columns)


def _row_end(state: _State, skipped: Callable[[int, int], float], width: int) -> float:
    return skipped(state.column + 1, width) if state.kind in {0, 2} else 0.0


def _transition(  # noqa: PLR0911, PLR0913 - one return per kind of move
    state: _State,
    target: _State,
    row_end: float,
    skipped: Callable[[int, int], float],
    columns: Sequence[str],
    *,
    page: bool,
) -> float:
    """The cost of the next cell being in ``target`` after a cell in ``state``."""
    if state.column == -1:  # the first cell of the body: a row's first
        if target.kind != 0:
            return _INFINITY
        missing_labels = sum(2.0 for name in columns[: target.column] if name in _LABELS)
        return skipped(0, target.column) + missing_labels
    if target.kind == 0:
        if target.column > state.column and state.kind != 1:
            return skipped(state.column + 1, target.column)  # the same row goes on
        # A new row; 一级 and 二级 labels left out are the merged ones above.
        return row_end + _ROW_COST + skipped(0, target.column)
    if target.kind == 1:
        if state.kind == 1 and target.column > state.column:
            return 0.0
        if not page:
            return _INFINITY
        return row_end + _CONTINUED_ROW_COST
    # Lines of an earlier cell of the same row, printed among later cells.
    if state.kind == 1 or target.column != state.column:
        return _INFINITY
    return _ASIDE_COST


def _backtrack(
    best: Sequence[dict[_State, tuple[float, int, _State | None]]],
    final: _State,
    body: Sequence[_Token],
    columns: Sequence[str],
) -> list[dict[str, list[_Token]]]:
    """The rows of cells along the best path."""
    cells: list[tuple[_State, int, int]] = []
    state: _State | None = final
    j = len(body)
    while state is not None and j > 0:
        _, i, previous = best[j][state]
        cells.append((state, i, j))
        state, j = previous, i
    cells.reverse()
    rows: list[dict[str, list[_Token]]] = []
    previous_state: _State | None = None
    for state, i, j in cells:
        tokens = list(body[i:j])
        if state.kind == 2:
            rows[-1].setdefault(columns[state.aside], []).extend(tokens)
        elif state.kind == 1 and rows:
            rows[-1].setdefault(columns[state.column], []).extend(tokens)
        elif (
            not rows
            or previous_state is None
            or state.column <= previous_state.column
            or previous_state.kind == 1
        ):
            rows.append({columns[state.column]: tokens})
        else:
            rows[-1][columns[state.column]] = tokens
        if state.kind != 2:
            previous_state = state
    return rows


def _roughness(parts: Sequence[Sequence[_Token]]) -> float:
    """How unlike one wrapped cell some lines are (see :func:`_roughness_of_widths`)."""
    if len(parts) <= 1:
        return 0.0
    return _roughness_of_widths(
        [_part_width(part) for part in parts],
        [part[-1].text.endswith(_SENTENCE_END) for part in parts],
    )


def _roughness_of_widths(widths: Sequence[int], ends: Sequence[bool]) -> float:
    """How unlike one wrapped cell lines of these widths are (see :func:`_roughness_of`)."""
    widest = max(widths)
    return _roughness_of(
        _shortfall(widths[:-1], widest), sum(ends[:-1]), widths[-1], widest, ends=ends[-1]
    )


def _shortfall(widths: Iterable[int], widest: int) -> int:
    """How much narrower than the widest line (less 2) lines are, in all."""
    return sum(max(0, widest - width - 2) for width in widths)


def _roughness_of(shortfall: int, sentences: int, last: int, widest: int, *, ends: bool) -> float:
    """How unlike one wrapped cell some lines are, from their figures.

    Every line of a wrapped cell but the last is about as wide as the widest (the
    ``shortfall`` of those lines); a line that ends a sentence mostly ends its cell
    (``sentences`` of them before the last); a ``last`` line as wide as the others that
    ends no sentence mostly goes on.
    """
    cost = 0.4 * shortfall
    cost += sentences
    if last >= widest - 1 and not ends:
        cost += 0.6
    return cost


class _CellCosts:
    """The cost of a run of the body's tokens being one cell, from sums worked out once."""

    def __init__(self, body: Sequence[_Token]) -> None:
        self.body = body
        self.widths = [0]
        self.marks = [0]  # figures and compared quantities, counted
        self.line_end: list[int] = [0] * len(body)  # the first token of the next line
        for token in body:
            self.widths.append(self.widths[-1] + token.width)
            counted = _is_figure(token.key) or _COMPARED.match(token.key) is not None
            self.marks.append(self.marks[-1] + counted)
        end = len(body)
        for index in range(len(body) - 1, -1, -1):
            self.line_end[index] = end
            if body[index].gap:
                end = index

    def costs(self, i: int, column: str, kind: str, longest: int) -> list[float]:
        """How unlikely it is that the tokens from ``i`` are one cell of ``column``.

        A cost for each length, 1 to ``longest`` tokens (fewer at the body's end).
        """
        stop = min(len(self.body), i + longest)
        if kind != "text":
            return [_cell_cost(self.body[i:j], column, kind) for j in range(i + 1, stop + 1)]
        costs = self._texts(i, stop)
        if column != "level3":
            return costs
        keys = ""
        for j in range(i + 1, stop + 1):
            keys += self.body[j - 1].key
            if j - i <= 3 and keys in _LABELS_KNOWN:
                costs[j - i - 1] += 2.0  # a 一级 or 二级 label is not a 三级 cell
            if self.marks[j] - self.marks[i] and _COMPARED.search(keys):
                costs[j - i - 1] += 2.0  # a compared quantity: the target after the name
        return costs

    def _texts(self, i: int, stop: int) -> list[float]:
        """The costs of the tokens from ``i`` to each end up to ``stop`` as a text cell.

        The cell's lines (its widths, and whether each ends a sentence) grow a token at
        a time: a token either widens the last line or starts the next.
        """
        body = self.body
        earlier: list[int] = []  # the widths of the lines before the last
        sentences = earlier_widest = earlier_sum = 0  # of those: sentences ended, widest, sum
        shortfall, shortfall_of = 0, -1  # their shortfall, and the widest it is worked for
        last = 0  # the last line's width
        ends = False  # whether it ends a sentence
        line_start = line_stop = i  # the last line's first token, and where it ends
        costs: list[float] = []
        for j in range(i + 1, stop + 1):
            if j - 1 >= line_stop:  # token j - 1 starts a line of the cell
                if j - 1 > i:
                    earlier.append(last)
                    earlier_sum += last
                    sentences += ends
                    earlier_widest = max(earlier_widest, last)
                    shortfall += _shortfall((last,), shortfall_of)  # still of that widest
                line_start, line_stop = j - 1, self.line_end[j - 1]
            last = self.widths[j] - self.widths[line_start]
            ends = body[j - 1].text.endswith(_SENTENCE_END)
            cost = 0.2
            if earlier:
                widest = max(earlier_widest, last)
                if widest >= earlier_widest + 2:  # no line within 2 of the widest: in one go
                    shortfall, shortfall_of = len(earlier) * (widest - 2) - earlier_sum, widest
                elif widest != shortfall_of:
                    shortfall, shortfall_of = _shortfall(earlier, widest), widest
                cost += _roughness_of(shortfall, sentences, last, widest, ends=ends)
            else:
                cost += 0.0
            marks = self.marks[j] - self.marks[i]
            if j - i == 1 and marks and _is_figure(body[i].key):
                cost += 2.5
            # Figures and compared quantities in a text cell: mostly other cells of the row.
            cost += 0.6 * marks
            if earlier and body[i].gap == 0:
                cost += 0.8  # a wrapped cell sharing its first line with the cell before
            costs.append(cost)
        return costs


def _cell_cost(  # noqa: C901, PLR0911 - one return per kind of cell
    tokens: Sequence[_Token], column: str, kind: str
) -> float:
    """How unlikely it is that ``tokens`` are one label, quantity or figure cell."""
    key = "".join(token.key for token in tokens)
    if kind == "figure":
        if len(tokens) == 1:
            return 0.0 if _is_figure(key) else _INFINITY
        # A long number wrapped in a narrow column (38766 / 4.62).
        wrapped = tokens[1].gap == 1 and _FIGURE.fullmatch(key) is not None
        return 0.5 if wrapped and key[:1].isdigit() else _INFINITY
    parts = _line_parts(tokens)
    cost = _roughness(parts) + (0.8 if len(parts) > 1 and tokens[0].gap == 0 else 0.0)
    if kind == "label":
        own, other = (_LEVEL1, _LEVEL2) if column == "level1" else (_LEVEL2, _LEVEL1)
        # A known label is a reward: taking it for the start of a 三级 cell is wrong.
        if key in own:
            return cost - 1.0
        if key in other:
            return cost + 0.5
        if key.endswith("指标") and len(key) <= 10:
            return cost - 0.3
        return cost + 4.0 + 0.3 * len(key)
    if key in _UNIT_WORDS or unit_family(key) in {"money", "percent"}:
        return cost + 3.0  # a unit alone: the end of the number before it
    parse = parse_target if column == "target" else parse_actual
    try:
        cell = parse(_joined(tokens))
    except (PerfscoreError, ValueError, ArithmeticError):
        return cost + 4.0 + 0.8 * (len(parts) - 1)
    cost += 0.8 * (len(parts) - 1)
    if (
        len(tokens) > 1
        and len(key) > 1
        and _UNIT_FIRST.match(tokens[0].key)
        and (_COMPARED.match(tokens[1].key) or tokens[1].key[:1].isdigit())
    ):
        cost += 1.5  # a unit, then a number: the unit ends the cell before
    if cell.kind == "quantity":
        if cell.unit and len(cell.unit) > 2 and unit_family(cell.unit).startswith("unit:"):
            cost += 1.0  # a word no unit list knows (2023 年工业): text, likely
        return cost + (0.0 if cell.op is not None or cell.unit else 0.8)
    if cell.kind == "not-applicable":
        return cost + 0.5
    return cost + 0.6 + 0.15 * max(0, len(key) - 6)


_LABELS_KNOWN: Final = _LEVEL1 | _LEVEL2
_UNIT_WORDS: Final = frozenset(
    {
        "个",
        "人",
        "件",
        "次",
        "家",
        "项",
        "套",
        "份",
        "户",
        "期",
        "轮",
        "批",
        "部",
        "台",
        "辆",
        "场",
        "篇",
        "本",
        "册",
        "名",
        "人次",
        "天",
        "日",
        "月",
        "年",
        "万",
        "元",
        "亩",
        "座",
        "所",
    }
)
_UNIT_FIRST: Final = re.compile(r"[^\d<>=≥≤]{1,2}")
_COMPARED: Final = re.compile(r"(?:[<>=≥≤]|大于|小于|不低于|不高于|不少于|不超过)[=]?\d")


def _indicator_rows(
    rows: Sequence[dict[str, list[_Token]]], columns: Sequence[str], place: _Places
) -> list[dict[str, Any]]:
    """The indicator dicts: 一级 and 二级 labels left out repeat the ones above."""
    result: list[dict[str, Any]] = []
    above: dict[str, str] = {}
    for cells in rows:
        if "level1" in cells:
            above.pop("level2", None)  # a merged 二级 label ends with its 一级 group
        row: dict[str, Any] = {}
        places: dict[str, str] = {}
        for column in ("level1", "level2", "level3", "target", "actual", "weight"):
            tokens = cells.get(column, [])
            if tokens:
                row[column] = _joined(tokens)
                places[column] = place.of(tokens)
            elif column in _LABELS and column in above:
                row[column] = above[column]
            else:
                row[column] = ""
        for column in columns:
            if column in row or column not in cells:
                continue
            row[column] = _joined(cells[column])
            places[column] = place.of(cells[column])
        for column in _LABELS:
            if row[column]:
                above[column] = row[column]
        row["places"] = places
        result.append(row)
    return result


# ---------------------------------------------------------------------------------
# Text laid out in columns (pdftotext -layout): see perfscore.io.documents._layout.


def _read_laid_out(lines: Sequence[_Line], start: int, stop: int, table: dict[str, Any]) -> None:
    """Funds, goal and indicators read again by the words' columns, where they read."""
    texts = [line.text for line in lines]
    words = words_of(texts, start, stop)

    def place(first: int, last: int) -> str:
        return _place_of(lines[start + first], lines[start + last])

    header = _header_line(words, _INDICATOR_COLUMNS, least=4)
    funds = _header_line(words, _FUNDS_COLUMNS, least=3, stop=header)
    goal = next(
        (
            index
            for index, line in enumerate(words[: header if header is not None else None])
            if {"预期目标", "实际完成情况"} <= {_key(word.text) for word in line}
        ),
        None,
    )
    if header is not None:
        rows, total = _laid_out_indicators(words, header, place)
        if rows:
            table["indicators"] = rows
            if total is not None:
                table["total"] = total[0]
                table.setdefault("_places", {})["total"] = total[1]
    if funds is not None:
        funds_stop = goal if goal is not None else header if header is not None else len(words)
        rows = _laid_out_funds(words, funds, funds_stop, place)
        if rows:
            table["funds"] = rows
    if goal is not None:
        marks = {_key(word.text): word.x for word in words[goal]}
        expected, achieved = layout_goal(
            words[goal + 1 : header if header is not None else len(words)],
            marks["预期目标"],
            marks["实际完成情况"],
        )
        if expected.text or achieved.text:
            table["goal"] = {
                "expected": expected.text,
                "achieved": achieved.text,
                "places": {
                    name: _place_of(lines[cell.first], lines[cell.last]) if cell.text else ""
                    for name, cell in (("expected", expected), ("achieved", achieved))
                },
            }


def _header_line(
    words: Sequence[Sequence[Word]],
    columns: Sequence[tuple[str, re.Pattern[str]]],
    *,
    least: int,
    stop: int | None = None,
) -> int | None:
    """The first line with ``least`` or more header words of ``columns``, one a word."""
    for index, line in enumerate(words[:stop]):
        fields = {_field_of(word.text, columns) for word in line} - {None}
        if len(fields) >= least:
            return index
    return None


def _field_of(text: str, columns: Sequence[tuple[str, re.Pattern[str]]]) -> str | None:
    key = _key(text)
    return next((field for field, pattern in columns if pattern.fullmatch(key)), None)


def _is_printed_figure(text: str) -> bool:
    key = _key(text)
    return _is_figure(key) and any(char.isdigit() for char in key)


def _laid_out_indicators(
    words: Sequence[Sequence[Word]], header: int, place: Callable[[int, int], str]
) -> tuple[list[dict[str, Any]], tuple[str, str] | None]:
    """Indicator rows under a header line, and the total row's figure."""
    named = [
        (word, field)
        for word in words[header]
        if (field := _field_of(word.text, _INDICATOR_COLUMNS)) is not None
    ]
    edges = column_edges([word for word, _ in named])
    columns = [(edge, field) for edge, (_, field) in zip(edges, named, strict=True)]
    body: list[Sequence[Word]] = []
    total: tuple[str, str] | None = None
    for index in range(header + 1, len(words)):
        line = words[index]
        if line and _TOTAL.fullmatch(_key(line[0].text)):
            figures = [w for w in line if _is_printed_figure(w.text.removesuffix("分"))]
            if figures:
                total = (figures[-1].text.removesuffix("分"), place(index, index))
            break
        repeated = {_field_of(word.text, _INDICATOR_COLUMNS) for word in line} - {None}
        body.append([] if len(repeated) >= 3 else line)
    rows = layout_rows(
        body,
        columns,
        anchor_fields=("weight", "score", "actual"),
        label_fields=("level1", "level2"),
        left=columns[0][0] if columns else 0,
        is_anchor=_is_printed_figure,
        is_label=lambda text: _key(text) in _LABELS_KNOWN or _key(text).endswith("指标"),
    )
    result = []
    for row in rows:
        indicator: dict[str, Any] = {}
        places: dict[str, str] = {}
        for field in ("level1", "level2", "level3", "target", "actual", "weight"):
            cell = row.get(field)
            indicator[field] = cell.text if cell else ""
            if cell:
                places[field] = place(header + 1 + cell.first, header + 1 + cell.last)
        for field, cell in row.items():
            if field not in indicator:
                indicator[field] = cell.text
                places[field] = place(header + 1 + cell.first, header + 1 + cell.last)
        indicator["places"] = places
        result.append(indicator)
    return result, total


def _laid_out_funds(
    words: Sequence[Sequence[Word]],
    header: int,
    stop: int,
    place: Callable[[int, int], str],
) -> list[dict[str, Any]]:
    """Funds rows under a header line: a label left of the figures, then the figures."""
    named = [
        (word, field)
        for word in words[header]
        if (field := _field_of(word.text, _FUNDS_COLUMNS)) not in {None, "label"}
    ]
    if not named:
        return []
    edges = column_edges([word for word, _ in named])
    # The first figure column starts where its header word does, less a figure's width.
    edges[0] = named[0][0].x - 2
    figures = [(edge, str(field)) for edge, (_, field) in zip(edges, named, strict=True)]
    first_edge = figures[0][0]
    starts = [
        word.x
        for line in words[header + 1 : stop]
        for word in line
        if word.x < first_edge
        and not _is_printed_figure(word.text)
        and not _FUNDS_BLOCK.fullmatch(_key(word.text))
    ]
    if not starts:
        return []
    label_edge = max(set(starts), key=lambda x: (starts.count(x), -x))
    body = [
        [w for w in line if not (w.x < label_edge and _FUNDS_BLOCK.fullmatch(_key(w.text)))]
        for line in words[header + 1 : stop]
    ]
    rows = layout_rows(
        body,
        [(label_edge, "label"), *figures],
        anchor_fields=("initial_budget", "annual_budget", "executed"),
        left=label_edge,
        is_anchor=_is_printed_figure,
    )
    result = []
    for row in rows:
        cells: dict[str, Cell] = {
            field: cell
            for field, cell in row.items()
            if field == "label" or not _DASH.fullmatch(_key(cell.text))
        }
        funds: dict[str, Any] = {field: cell.text for field, cell in cells.items()}
        funds.setdefault("label", "")
        for field in ("initial_budget", "annual_budget", "executed"):
            funds.setdefault(field, "")
        funds["places"] = {
            field: place(header + 1 + cell.first, header + 1 + cell.last)
            for field, cell in cells.items()
        }
        result.append(funds)
    return result

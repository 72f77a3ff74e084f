"""Web pages (``.html``, ``.htm``): each ``<table>`` read into a grid.

The standard library's :mod:`html.parser` reads the page.

政务公开 pages hold the form as a ``<table>`` with ``rowspan`` and ``colspan``, often in
Word-exported markup (``<p><span>`` inside cells, ``&nbsp;``), among navigation,
headers and footers. Cells are placed by the HTML table algorithm (a cell takes the
first column its row leaves free of cells spanning down from above); a cell's text is
its text with white space collapsed as a browser shows it, and a line of its own for
each paragraph or ``<br>``. The text before a table (a title, ``（2023年度）``,
``单位：万元``) is kept for the recogniser. A table nested in a cell is read as a
table of its own.

>>> page = '''<h2>项目支出绩效自评表</h2><table>
... <tr><td colspan=2>项目名称</td><td>示例</td></tr>
... <tr><td rowspan=2>产出指标</td><td>数量指标</td><td>a</td></tr>
... <tr><td>质量指标</td><td>b&nbsp;c</td></tr></table>'''
>>> [(grid, preamble)] = read_html(page, source="p.html")
>>> preamble, grid.at(2, 0).text, grid.text(2, 2), grid.at(2, 2).place
(['项目支出绩效自评表'], '产出指标', 'b c', '表格1 第3行第3列')
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Final

import attrs

from perfscore._values import value_repr
from perfscore.errors import DocumentError
from perfscore.io.documents.grid import MAX_AREA, Grid, GridCell, GridTooLargeError

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["read_html", "read_html_bytes"]

_BLOCKS: Final = frozenset(
    {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "caption", "section"}
)
_SKIPPED: Final = frozenset({"script", "style", "head", "title", "noscript", "template"})
# HTML's white space, which a browser collapses; a no-break space (&nbsp;) and an
# ideographic space (U+3000) are text (a browser shows each), so they are kept, the
# no-break space as the space it shows.
_SPACE: Final = re.compile(r"[ \t\r\n\f]+")
# Lines before a table kept for its head: a title, the year, the unit, 项目名称：… lines.
_PREAMBLE_LINES: Final = 12
MAX_CELLS: Final = 2_000_000


@attrs.define
class _Cell:
    __repr__ = value_repr

    row: int
    rowspan: int
    colspan: int
    lines: list[str] = attrs.field(factory=lambda: [""])
    since: int = 0  # where the lines before a table nested in it start


@attrs.define
class _Table:
    __repr__ = value_repr

    number: int
    preamble: list[str]
    rows: list[list[_Cell]] = attrs.field(factory=list)
    cell: _Cell | None = None
    # Its text outside any cell: a <caption> (a title, （2023年度）, 单位：万元).
    outside: list[str] = attrs.field(factory=lambda: [""])


class _Parser(HTMLParser):
    """Gathers tables (cells with spans and text) and the text between them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Table] = []
        self.done: list[_Table] = []
        self.text: list[str] = [""]  # lines outside any table
        self.skipping = 0
        self.numbered = 0
        self.cells = 0

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
            return
        if tag == "table":
            self.numbered += 1
            # A table nested in a cell (a page laid out in a table) has the cell's lines
            # before it as its preamble: its title, year and unit lines.
            outer = self.stack[-1].cell if self.stack else None
            lines = outer.lines[outer.since :] if outer is not None else self.text
            preamble = [line.strip() for line in lines if line.strip()][-_PREAMBLE_LINES:]
            self.stack.append(_Table(self.numbered, preamble))
            if outer is None:
                self.text = [""]
            return
        if not self.stack:
            if tag in _BLOCKS:
                self.text.append("")
            return
        self.table_tag(self.stack[-1], tag, attrs_)

    def table_tag(self, table: _Table, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        """A tag inside a table: a row, a cell, a line break in a cell or a caption."""
        if tag == "tr":
            table.rows.append([])
            table.cell = None
        elif tag in {"td", "th"}:
            if not table.rows:
                table.rows.append([])
            values = dict(attrs_)
            table.cell = _Cell(
                len(table.rows) - 1, _span(values.get("rowspan")), _span(values.get("colspan"))
            )
            table.rows[-1].append(table.cell)
            self.cells += 1
            if self.cells > MAX_CELLS:
                msg = "too many cells"
                raise _TooLargeError(msg)
        elif tag in _BLOCKS and table.cell is not None and table.cell.lines[-1]:
            table.cell.lines.append("")
        elif (tag in _BLOCKS or tag == "caption") and table.cell is None:
            table.outside.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag == "table" and self.stack:
            self.done.append(self.stack.pop())
            outer = self.stack[-1].cell if self.stack else None
            if outer is not None:
                outer.lines.append("")
                outer.since = len(outer.lines) - 1
            else:
                self.text = [""]
        elif tag in {"td", "th"} and self.stack:
            self.stack[-1].cell = None
        elif tag in _BLOCKS and not self.stack:
            self.text.append("")

    def handle_startendtag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.handle_starttag(tag, attrs_)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        text = _SPACE.sub(" ", data).replace("\u00a0", " ")
        if self.stack:
            cell = self.stack[-1].cell
            if cell is not None:
                cell.lines[-1] += text
            else:
                self.stack[-1].outside[-1] += text
        else:
            self.text[-1] += text


class _TooLargeError(Exception):
    pass


def _span(value: str | None) -> int:
    """A rowspan or colspan: a whole number from 1 to 1,000 (browsers cap it too)."""
    try:
        number = int((value or "1").strip())
    except ValueError:
        return 1
    return min(max(number, 1), 1000)


def read_html(text: str, *, source: str) -> list[tuple[Grid, list[str]]]:
    """The tables of a web page as grids, each with the lines printed before it.

    Args:
        text: the page.
        source: the file's name, for messages.

    Raises:
        DocumentError: the page has more cells than a table document holds.
    """
    parser = _Parser()
    try:
        parser.feed(text)
        parser.close()
    except _TooLargeError:
        raise DocumentError(
            source, f"more than {MAX_CELLS:,} table cells: not a page of tables"
        ) from None
    while parser.stack:  # tables never closed: read what they hold
        parser.done.append(parser.stack.pop())
    tables = sorted(parser.done, key=lambda table: table.number)
    return [
        (grid, [*table.preamble, *(line.strip() for line in table.outside if line.strip())])
        for table in tables
        if (grid := _grid(table)).cells
    ]


def _grid(table: _Table) -> Grid:
    """A table's cells placed by the HTML table algorithm."""
    taken: set[tuple[int, int]] = set()
    cells: list[GridCell] = []
    for row, row_cells in enumerate(table.rows):
        column = 0
        for cell in row_cells:
            while (row, column) in taken:
                column += 1
            rows = min(cell.rowspan, max(1, len(table.rows) - row))
            if len(taken) + rows * cell.colspan > MAX_AREA:  # spans no page of tables has
                raise GridTooLargeError(
                    f"表格{table.number}", len(table.rows), column + cell.colspan
                )
            for r in range(row, row + rows):
                for c in range(column, column + cell.colspan):
                    taken.add((r, c))
            text = "\n".join(line.strip() for line in cell.lines if line.strip())
            place = f"表格{table.number} 第{row + 1}行第{column + 1}列"
            cells.append(GridCell(row, column, text, rows, cell.colspan, place))
            column += cell.colspan
    return Grid(cells, f"表格{table.number}")


def read_html_bytes(raw: bytes, *, source: str) -> Iterator[tuple[Grid, list[str]]]:
    """The tables of a web page's bytes (UTF-8, GB18030 or what its ``charset`` says)."""
    yield from read_html(_decode(raw, source), source=source)


_CHARSET: Final = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _decode(raw: bytes, source: str) -> str:
    """The page's text in the encoding it is in.

    Its byte order mark, else its declared charset, else UTF-8, else GB18030 (which
    Chinese pages use without saying).
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    if raw[:2] in {b"\xff\xfe", b"\xfe\xff"}:
        return raw.decode("utf-16", "replace")
    declared = _CHARSET.search(raw[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        if name in {"gb2312", "gbk", "gb_2312-80", "x-gbk"}:
            name = "gb18030"
        try:
            return raw.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as error:
        raise DocumentError(
            source, f"a page in an encoding perfscore cannot tell (byte {error.start})"
        ) from None

"""Word reports (``.docx``): each table read into a grid, with python-docx.

A 自评报告 holds the form as one or more Word tables among prose. A table's cells are
read from its XML as Word lays them out: ``gridSpan`` merges cells across columns,
``vMerge`` down rows, ``gridBefore`` leaves columns empty at a row's start. A cell's
text is its paragraphs, each on a line of its own; a table nested in a cell is read
as a table of its own. The paragraphs before a table (a title, ``（2023年度）``,
``单位：万元``) are kept for the recogniser. Each cell's place is its table's number
and its row and column (``表格3 第5行第2列``).

python-docx (MIT) is the reader, installed by the ``docx`` extra: it opens the
package and gives the XML, which perfscore walks itself to keep merged cells exact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, TypeAlias

import attrs

from perfscore._values import value_repr
from perfscore.errors import DocumentError, MissingExtraError
from perfscore.io.documents._containers import check_zip
from perfscore.io.documents.grid import Grid, GridCell

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import BinaryIO

__all__ = ["read_docx"]

Element: TypeAlias = Any  # an lxml element of the document's XML (python-docx gives no types)

_W: Final = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Paragraphs before a table kept for its head: a title, the year, the unit, 项目名称：….
_PREAMBLE_LINES: Final = 12
MAX_CELLS: Final = 2_000_000


@attrs.define
class _Counter:
    __repr__ = value_repr

    tables: int = 0
    cells: int = 0


def read_docx(stream: BinaryIO, *, source: str) -> Iterator[tuple[Grid, list[str]]]:
    """The tables of a Word document as grids, each with the lines printed before it.

    Args:
        stream: the document, a seekable binary stream.
        source: the file's name, for messages.

    Raises:
        MissingExtraError: python-docx is not installed.
        DocumentError: the file is not a Word document (a legacy ``.doc`` says so),
            is encrypted or damaged, or unpacks to more than a report needs.
    """
    try:
        import docx  # noqa: PLC0415 - an optional extra, imported when needed
    except ImportError:
        raise MissingExtraError(".docx files", "docx", "python-docx") from None
    check_zip(stream, source=source, what="Word document (.docx)")
    try:
        document = docx.Document(stream)
    except Exception as error:  # noqa: BLE001 - python-docx raises many kinds on a damaged file
        raise DocumentError(
            source, f"a damaged Word document ({type(error).__name__}: {error})"
        ) from None
    counter = _Counter()
    lines: list[str] = []
    for grid, preamble in _body(document.element.body, lines, counter):
        if counter.cells > MAX_CELLS:
            raise DocumentError(source, f"more than {MAX_CELLS:,} table cells: not a report")
        yield grid, preamble


def _body(body: Element, lines: list[str], counter: _Counter) -> Iterator[tuple[Grid, list[str]]]:
    """The tables of a body (or a cell) in document order, with the lines before each."""
    for child in body.iterchildren():
        if child.tag == _W + "p":
            text = _paragraph_text(child)
            if text.strip():
                lines.append(text.strip())
        elif child.tag == _W + "tbl":
            counter.tables += 1
            number = counter.tables
            preamble = lines[-_PREAMBLE_LINES:]
            lines.clear()
            nested: list[tuple[Grid, list[str]]] = []
            grid = _table(child, number, counter, nested)
            if grid.cells:
                yield grid, preamble
            yield from nested
        elif child.tag in {_W + "sdt", _W + "customXml"}:  # content controls wrap content
            content = child.find(_W + "sdtContent")
            yield from _body(content if content is not None else child, lines, counter)


def _paragraph_text(paragraph: Element) -> str:
    """A paragraph's text: its runs' text, tabs and breaks as white space."""
    parts: list[str] = []
    for node in paragraph.iter(_W + "t", _W + "tab", _W + "br", _W + "cr", _W + "noBreakHyphen"):
        if node.tag == _W + "t":
            parts.append(node.text or "")
        elif node.tag == _W + "noBreakHyphen":
            parts.append("-")
        elif node.tag == _W + "tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _table(
    table: Element, number: int, counter: _Counter, nested: list[tuple[Grid, list[str]]]
) -> Grid:
    """One Word table as a grid: gridSpan across, vMerge down."""
    cells: list[GridCell] = []
    open_merges: dict[int, int] = {}  # a column → the index in cells of the merge it continues
    for row_number, row in enumerate(table.iterchildren(_W + "tr")):
        column = _grid_before(row)
        for tc in _row_cells(row):
            span, merge = _cell_properties(tc)
            if merge == "continue" and column in open_merges:
                index = open_merges[column]
                cells[index] = attrs.evolve(cells[index], rows=row_number - cells[index].row + 1)
                column += span
                continue
            text = _cell_text(tc, counter, nested)
            place = f"表格{number} 第{row_number + 1}行第{column + 1}列"
            cells.append(GridCell(row_number, column, text, 1, span, place))
            counter.cells += 1
            if merge == "restart":
                open_merges[column] = len(cells) - 1
            else:
                open_merges.pop(column, None)
            column += span
    return Grid(cells, f"表格{number}")


def _row_cells(row: Element) -> Iterator[Element]:
    """A row's cells (a cell inside a content control too)."""
    for cell in row.iterchildren(_W + "tc", _W + "sdt"):
        tc = cell if cell.tag == _W + "tc" else cell.find(f"{_W}sdtContent/{_W}tc")
        if tc is not None:
            yield tc


def _cell_text(cell: Element, counter: _Counter, nested: list[tuple[Grid, list[str]]]) -> str:
    """A cell's paragraphs, a line each; a table inside it is kept as a table of its own."""
    paragraphs: list[str] = []
    for child in cell.iterchildren():
        if child.tag == _W + "p":
            text = _paragraph_text(child).strip()
            if text:
                paragraphs.append(text)
        elif child.tag == _W + "tbl":
            counter.tables += 1
            inner = _table(child, counter.tables, counter, nested)
            if inner.cells:
                nested.append((inner, paragraphs[-_PREAMBLE_LINES:]))
    return "\n".join(paragraphs)


def _grid_before(row: Element) -> int:
    properties = row.find(_W + "trPr")
    if properties is None:
        return 0
    before = properties.find(_W + "gridBefore")
    return _whole(before.get(_W + "val") if before is not None else None, 0)


def _cell_properties(cell: Element) -> tuple[int, str | None]:
    """A cell's column span and its vertical merge (``restart``, ``continue`` or none)."""
    properties = cell.find(_W + "tcPr")
    if properties is None:
        return 1, None
    span_node = properties.find(_W + "gridSpan")
    span = _whole(span_node.get(_W + "val") if span_node is not None else None, 1)
    merge_node = properties.find(_W + "vMerge")
    merge = None
    if merge_node is not None:
        merge = "restart" if merge_node.get(_W + "val") == "restart" else "continue"
    return max(1, min(span, 1000)), merge


def _whole(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default

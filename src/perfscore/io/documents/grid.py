r"""Grids: what every document format becomes before its tables are recognised.

A spreadsheet's sheet, a Word table, an HTML ``<table>`` and a PDF page's ruled table
are all read into the same thing: a :class:`Grid` of :class:`GridCell`\\ s, each with
its text as printed, its merged span and its place in the original (``表3!F12``,
``第5页``). The recogniser (:mod:`perfscore.io.documents.recognise`) then finds the
self-evaluation tables in a grid without knowing which format it came from.

>>> grid = Grid.from_rows(
...     [["项目名称", "", "示例"], ["一级指标", "二级指标", "三级指标"]],
...     spans={(0, 0): (1, 2)},
...     place="表1",
... )
>>> grid.height, grid.width
(2, 3)
>>> grid.at(0, 1).text, grid.at(0, 1).column
('项目名称', 0)
>>> [cell.text for cell in grid.row(1)]
['一级指标', '二级指标', '三级指标']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import attrs

from perfscore._values import value_repr

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

__all__ = ["BLANK_RUN", "MAX_AREA", "Grid", "GridCell", "GridTooLargeError", "column_letters"]

BLANK_RUN: Final = 16
"""The most rows (or columns) a grid keeps of a run that no cell starts or ends in."""
MAX_AREA: Final = 4_000_000
"""The most positions (rows × columns) a grid may have, blank runs shortened.

The official form is about 12 columns wide; a sheet of a hundred tables stacked is a
few thousand rows. A grid larger than this is a data dump, or a damaged or hostile
file, and would take minutes to search.
"""


class GridTooLargeError(ValueError):
    """A grid too large to be a document's tables (see :data:`MAX_AREA`).

    >>> str(GridTooLargeError("表1", 5000, 1000))
    '表1 spans 5,000 rows × 1,000 columns, more than the 4,000,000 cells a table document needs'
    """

    def __init__(self, place: str, height: int, width: int) -> None:
        self.place, self.height, self.width = place, height, width
        super().__init__(
            f"{place} spans {height:,} rows × {width:,} columns, more than the "
            f"{MAX_AREA:,} cells a table document needs"
        )


@attrs.frozen
class GridCell:
    """One cell of a grid: its text as printed, where it starts, how far it spans.

    Attributes:
        row: the first row it covers (from 0).
        column: the first column it covers (from 0).
        text: the text as printed: a spreadsheet number through its number format,
            a PDF cell's wrapped lines joined without inserted characters, a Word or
            HTML cell's paragraphs on lines of their own.
        rows: how many rows it spans (a vertically merged cell: more than 1).
        columns: how many columns it spans.
        place: where it is in the original document, for a person to find it
            (``表3!F12``, ``第5页``, ``表格2 第3行第4列``).
    """

    __repr__ = value_repr

    row: int
    column: int
    text: str
    rows: int = 1
    columns: int = 1
    place: str = ""

    @property
    def last_row(self) -> int:
        """The last row it covers."""
        return self.row + self.rows - 1

    @property
    def last_column(self) -> int:
        """The last column it covers."""
        return self.column + self.columns - 1


class Grid:
    """A rectangle of cells, some merged, from one place of a document.

    Every position of the rectangle is covered by at most one cell (a position no
    cell covers reads as an empty cell). A grid is built once by a reader and then
    only read: it is an index of its cells by position, not a value to compare.

    Attributes:
        cells: the cells, in reading order (by row, then column).
        place: where the grid is in the document (a sheet's name, a page, a table's
            number), for messages.
        height: the number of rows.
        width: the number of columns.
    """

    __slots__ = ("_covering", "cells", "height", "place", "width")

    def __init__(self, cells: Sequence[GridCell], place: str = "") -> None:
        """Index the cells (in reading order) by the positions they cover.

        A run of more than :data:`BLANK_RUN` rows (or columns) that no cell starts or
        ends in is shortened to that many: a stray cell far down a sheet, a range
        merged to its last column or a ``gridBefore`` of a million make no grid of a
        million rows. The cells keep their places in the original. A cell that starts
        in a position another cell covers (a value left inside a merged range) is
        dropped, as a spreadsheet shows only the range's first cell.

        Raises:
            GridTooLargeError: the grid, blank runs shortened, is still larger than
                :data:`MAX_AREA` positions.
        """
        cells = _shortened(cells)
        self.place = place
        self.height = max((cell.row + cell.rows for cell in cells), default=0)
        self.width = max((cell.column + cell.columns for cell in cells), default=0)
        if self.height * self.width > MAX_AREA:
            raise GridTooLargeError(place, self.height, self.width)
        covering: dict[tuple[int, int], GridCell] = {}
        kept: list[GridCell] = []
        spanned = 0  # positions gone over: overlapping spans may go over one many times
        for cell in cells:
            if (cell.row, cell.column) in covering:
                continue
            spanned += cell.rows * cell.columns
            if spanned > 2 * MAX_AREA:
                raise GridTooLargeError(place, self.height, self.width)
            kept.append(cell)
            for row in range(cell.row, cell.row + cell.rows):
                for column in range(cell.column, cell.column + cell.columns):
                    covering.setdefault((row, column), cell)
        self.cells = tuple(kept)
        self._covering = covering

    def __repr__(self) -> str:
        """The grid's place and size."""
        return f"Grid(place={self.place!r}, height={self.height}, width={self.width})"

    @classmethod
    def from_rows(
        cls,
        rows: Sequence[Sequence[str]],
        *,
        spans: Mapping[tuple[int, int], tuple[int, int]] | None = None,
        place: str = "",
        place_of: Callable[[int, int], str] | None = None,
    ) -> Grid:
        """A grid from rows of texts, some merged.

        ``spans`` maps a cell's ``(row, column)`` to its ``(rows, columns)``; the texts
        of the positions a span covers are dropped. ``place_of`` gives each cell's
        place from its position (else every cell has the grid's ``place``).
        """
        spans = spans or {}
        covered: set[tuple[int, int]] = set()
        cells: list[GridCell] = []
        for row, texts in enumerate(rows):
            for column, text in enumerate(texts):
                if (row, column) in covered:
                    continue
                height, width = spans.get((row, column), (1, 1))
                covered.update(
                    (r, c) for r in range(row, row + height) for c in range(column, column + width)
                )
                where = place_of(row, column) if place_of else place
                cells.append(GridCell(row, column, text, height, width, where))
        return cls(cells, place)

    def at(self, row: int, column: int) -> GridCell | None:
        """The cell covering a position, or ``None`` where no cell is."""
        return self._covering.get((row, column))

    def text(self, row: int, column: int) -> str:
        """The text of the cell that *starts* at a position (``""`` elsewhere).

        A merged cell's text is read once, at its first position, as a printed form
        shows it once.
        """
        cell = self._covering.get((row, column))
        return cell.text if cell is not None and (cell.row, cell.column) == (row, column) else ""

    def row(self, row: int) -> list[GridCell]:
        """The distinct cells that start in or cover a row, left to right."""
        seen: list[GridCell] = []
        for column in range(self.width):
            cell = self._covering.get((row, column))
            if cell is not None and (not seen or seen[-1] is not cell):
                seen.append(cell)
        return seen

    def rows_of(self, start: int, stop: int) -> Iterator[list[GridCell]]:
        """The rows from ``start`` up to ``stop`` (see :meth:`row`)."""
        for row in range(start, min(stop, self.height)):
            yield self.row(row)


def _shortened(cells: Sequence[GridCell]) -> Sequence[GridCell]:
    """The cells with each run of rows (and columns) no cell starts or ends in shortened.

    A run is kept to :data:`BLANK_RUN`; with no longer run, the cells themselves.

    Rows between two consecutive edges (a cell's first row, the row after its last)
    are covered by the same cells and hold no cell's start: dropping some of them
    changes how far the cells covering them reach, not which cells meet.

    >>> far = [GridCell(0, 0, "一级指标"), GridCell(1_048_575, 16_383, "x", place="A!XFD1048576")]
    >>> [(cell.row, cell.column, cell.place) for cell in _shortened(far)]
    [(0, 0, ''), (17, 17, 'A!XFD1048576')]
    """
    rows, rows_moved = _edges(
        {cell.row for cell in cells} | {cell.row + cell.rows for cell in cells}
    )
    columns, columns_moved = _edges(
        {cell.column for cell in cells} | {cell.column + cell.columns for cell in cells}
    )
    if not rows_moved and not columns_moved:
        return cells
    return [
        GridCell(
            rows[cell.row],
            columns[cell.column],
            cell.text,
            rows[cell.row + cell.rows] - rows[cell.row],
            columns[cell.column + cell.columns] - columns[cell.column],
            cell.place,
        )
        for cell in cells
    ]


def _edges(edges: set[int]) -> tuple[dict[int, int], bool]:
    """Each edge's new coordinate, every gap kept to :data:`BLANK_RUN`; whether any moved."""
    moved: dict[int, int] = {}
    previous = at = 0
    for edge in sorted(edges):
        at += min(edge - previous, BLANK_RUN)
        moved[edge] = at
        previous = edge
    return moved, at != previous


def column_letters(column: int) -> str:
    """A spreadsheet's letters for a column counted from 0.

    >>> column_letters(0), column_letters(25), column_letters(26), column_letters(701)
    ('A', 'Z', 'AA', 'ZZ')
    """
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters

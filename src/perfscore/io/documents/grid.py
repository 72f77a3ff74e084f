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

from typing import TYPE_CHECKING

import attrs

from perfscore._values import value_repr

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

__all__ = ["Grid", "GridCell", "column_letters"]


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
        self.cells = tuple(cells)
        self.place = place
        self._covering: dict[tuple[int, int], GridCell] = {}
        self.height = self.width = 0
        for cell in self.cells:
            for row in range(cell.row, cell.row + cell.rows):
                for column in range(cell.column, cell.column + cell.columns):
                    self._covering.setdefault((row, column), cell)
            self.height = max(self.height, cell.row + cell.rows)
            self.width = max(self.width, cell.column + cell.columns)

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

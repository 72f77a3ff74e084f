"""Workbooks (``.xlsx``, ``.xlsm``): each sheet read into a grid, with openpyxl.

Every cell's text is what the sheet shows: a number through its number format (see
:mod:`perfscore.documents._numbers`), text as typed. Merged ranges become spans; each
cell's place is its sheet and address (``表3!F12``). A sheet may hold any number of
tables; the recogniser finds them.

openpyxl (MIT) is the reader: it is the well-kept library for the format, reads number
formats and merged ranges (which a faster reader such as python-calamine does not
give), and is installed by the ``xlsx`` extra.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, TypeAlias

from perfscore.documents._containers import check_zip, count_cells
from perfscore.documents._numbers import formatted
from perfscore.documents.grid import Grid, GridCell, column_letters
from perfscore.errors import DocumentError, MissingExtraError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import BinaryIO

__all__ = ["read_xlsx"]

Worksheet: TypeAlias = Any  # openpyxl's worksheet (openpyxl ships no types)

MAX_CELLS: Final = 2_000_000  # cells shown, of all sheets


def read_xlsx(stream: BinaryIO, *, source: str) -> Iterator[Grid]:
    """The grids of a workbook: one per sheet that holds anything, in sheet order.

    Args:
        stream: the workbook, a seekable binary stream.
        source: the file's name, for messages.

    Raises:
        MissingExtraError: openpyxl is not installed.
        DocumentError: the file is not a workbook, is encrypted or damaged, or
            unpacks to more than a table document needs.
    """
    try:
        import openpyxl  # noqa: PLC0415 - an optional extra, imported when needed
    except ImportError:
        raise MissingExtraError(".xlsx files", "xlsx", "openpyxl") from None
    check_zip(stream, source=source, what="workbook (.xlsx)")
    count_cells(stream, source=source)
    try:
        workbook = openpyxl.load_workbook(stream, data_only=True, read_only=False)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise DocumentError(
            source, f"a damaged workbook ({type(error).__name__}: {error})"
        ) from None
    cells_read = 0
    try:
        for sheet in workbook.worksheets:
            grid = _sheet_grid(sheet)
            cells_read += len(grid.cells)
            if cells_read > MAX_CELLS:
                raise DocumentError(
                    source, f"more than {MAX_CELLS:,} cells: not a workbook of tables"
                )
            if grid.cells:
                yield grid
    finally:
        workbook.close()


def _sheet_grid(sheet: Worksheet) -> Grid:
    """One sheet as a grid: every cell that shows something, merged ranges as spans."""
    name = sheet.title
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        height, width = merged.max_row - merged.min_row + 1, merged.max_col - merged.min_col + 1
        spans[(top, left)] = (height, width)
        covered.update(
            (row, column)
            for row in range(top, top + height)
            for column in range(left, left + width)
            if (row, column) != (top, left)
        )
    cells: list[GridCell] = []
    for row in sheet.iter_rows():
        for cell in row:
            position = (cell.row - 1, cell.column - 1)
            if position in covered:
                continue
            text = formatted(cell.value, cell.number_format)
            height, width = spans.get(position, (1, 1))
            if not text.strip() and (height, width) == (1, 1):
                continue
            place = f"{name}!{column_letters(position[1])}{position[0] + 1}"
            cells.append(GridCell(position[0], position[1], text, height, width, place))
    return Grid(cells, name)

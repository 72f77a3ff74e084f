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

import zipfile
from typing import TYPE_CHECKING, Any, Final, TypeAlias

from perfscore.documents._numbers import formatted
from perfscore.documents.grid import Grid, GridCell, column_letters
from perfscore.errors import DocumentError, MissingExtraError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import BinaryIO

__all__ = ["read_xlsx"]

Worksheet: TypeAlias = Any  # openpyxl's worksheet (openpyxl ships no types)

# A workbook is a zip of XML files: what they hold when unpacked is checked before
# reading, so that a small file that unpacks to gigabytes (a zip bomb) is refused.
MAX_UNPACKED: Final = 512 << 20
MAX_CELLS: Final = 2_000_000  # cells of all sheets read at the most


def check_zip(stream: BinaryIO, *, source: str, what: str) -> None:
    """Refuse a zip container that is not one, or that unpacks to too much.

    Raises:
        DocumentError: not a zip file (say what it may be instead), or a zip bomb.
    """
    position = stream.tell()
    try:
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        head = _head(stream, position)
        raise DocumentError(source, _not_zip(head, what, error)) from None
    finally:
        stream.seek(position)
    if unpacked > MAX_UNPACKED:
        raise DocumentError(
            source,
            f"the {what} unpacks to {unpacked >> 20} MB, more than the {MAX_UNPACKED >> 20} MB "
            "a table document needs (a damaged or hostile file?)",
        )


def _head(stream: BinaryIO, position: int) -> bytes:
    stream.seek(position)
    head = stream.read(8)
    stream.seek(position)
    return head


_OLE: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc, .xls, .wps, .et


def _not_zip(head: bytes, what: str, error: Exception) -> str:
    if head.startswith(_OLE):
        return (
            f"a legacy binary Office file (.doc, .xls, .wps or .et) named as a {what}, "
            "or an encrypted one; open it and save it as .xlsx or .docx"
        )
    if not head:
        return f"an empty file, not a {what}"
    return f"not a {what} (it is not a zip archive: {error})"


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

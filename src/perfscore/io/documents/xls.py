"""Legacy workbooks (``.xls``): each sheet read into a grid, with xlrd.

As for ``.xlsx`` (:mod:`perfscore.io.documents.xlsx`): every cell's text is what the sheet
shows (a number through its number format), merged ranges become spans, and each cell's
place is its sheet and address (``表3!F12``).

xlrd (BSD) is the reader, installed by the ``xls`` extra: since version 2 it reads only
``.xls``, which is what it is kept for, and with ``formatting_info`` it gives the merged
ranges and number formats a printed table needs.
"""

from __future__ import annotations

from itertools import compress, count
from typing import TYPE_CHECKING, Any, Final, TypeAlias

from perfscore.errors import DocumentError, MissingExtraError
from perfscore.io.documents._containers import ole_content, ole_message
from perfscore.io.documents._numbers import formatted
from perfscore.io.documents.grid import Grid, GridCell, column_letters

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["read_xls"]

Sheet: TypeAlias = Any  # xlrd's sheet (xlrd ships no types)
Book: TypeAlias = Any
MAX_BYTES: Final = 64 << 20  # an .xls of tables is far smaller
MAX_CELLS: Final = 2_000_000


def read_xls(raw: bytes, *, source: str) -> Iterator[Grid]:
    """The grids of a legacy workbook: one per sheet that holds anything.

    Args:
        raw: the file's bytes.
        source: the file's name, for messages.

    Raises:
        MissingExtraError: xlrd is not installed.
        DocumentError: the file is not an ``.xls`` workbook (an ``.xlsx`` or a ``.et``
            named so says what it is), is encrypted or damaged, or is too large.
    """
    try:
        import xlrd  # noqa: PLC0415 - an optional extra, imported when needed
    except ImportError:
        raise MissingExtraError(".xls files", "xls", "xlrd") from None
    if len(raw) > MAX_BYTES:
        raise DocumentError(source, f"a workbook of {len(raw) >> 20} MB: not a workbook of tables")
    if raw.startswith(b"PK"):
        raise DocumentError(source, "an .xlsx workbook named .xls; rename it to .xlsx")
    book = _open_book(raw, source, xlrd)
    try:
        cells = 0
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            cells += sum(map(sheet.row_len, range(sheet.nrows)))  # rows as long as they are
            if cells > MAX_CELLS:
                reason = f"more than {MAX_CELLS:,} cells: not a workbook of tables"
                raise DocumentError(source, reason)
            grid = _sheet_grid(book, sheet, xlrd)
            book.unload_sheet(index)
            if grid.cells:
                yield grid
    finally:
        book.release_resources()


def _open_book(raw: bytes, source: str, xlrd: Any) -> Book:  # noqa: ANN401 - the module
    """The workbook opened, or what the file is instead."""
    if not raw:
        raise DocumentError(source, "an empty file, not a workbook (.xls)")
    if (content := ole_content(raw)) in {"encrypted", "word", "powerpoint"}:
        raise DocumentError(source, ole_message(content, "workbook (.xls)"))
    try:
        return xlrd.open_workbook(
            file_contents=raw, formatting_info=True, on_demand=True, ragged_rows=True
        )
    except Exception as error:  # noqa: BLE001 - xlrd raises many kinds on a damaged file
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        if "encrypted" in reason.lower():
            raise DocumentError(source, ole_message("encrypted", "workbook (.xls)")) from None
        raise DocumentError(source, f"not a readable .xls workbook ({reason})") from None


def _sheet_grid(book: Book, sheet: Sheet, xlrd: Any) -> Grid:  # noqa: ANN401 - the module
    """One sheet as a grid: every cell that shows something, merged ranges as spans.

    Only the cells a row holds are looked at (its empty and blank ones skipped by
    type); a merged range's first cell is kept even when it holds nothing.
    """
    spans = {
        (top, left): (bottom - top, right - left) for top, bottom, left, right in sheet.merged_cells
    }
    merged_from: dict[int, list[int]] = {}  # a row → the columns merged ranges start at
    for top, left in spans:
        merged_from.setdefault(top, []).append(left)
    blank = {xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK}
    cells: list[GridCell] = []
    for row in range(sheet.nrows):
        types = sheet.row_types(row)
        shown = compress(count(), (kind not in blank for kind in types))
        for column in sorted({*shown, *merged_from.get(row, ())}):
            text = _cell_text(book, sheet, row, column, xlrd) if column < len(types) else ""
            height, width = spans.get((row, column), (1, 1))
            if not text.strip() and (height, width) == (1, 1):
                continue
            place = f"{sheet.name}!{column_letters(column)}{row + 1}"
            cells.append(GridCell(row, column, text, height, width, place))
    return Grid(cells, sheet.name)


def _cell_text(  # noqa: PLR0911 - one return per kind of cell
    book: Book,
    sheet: Sheet,
    row: int,
    column: int,
    xlrd: Any,  # noqa: ANN401 - the module, untyped
) -> str:
    cell = sheet.cell(row, column)
    kind = cell.ctype
    if kind in {xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK}:
        return ""
    if kind == xlrd.XL_CELL_TEXT:
        return str(cell.value)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if kind == xlrd.XL_CELL_ERROR:
        return str(xlrd.error_text_from_code.get(cell.value, "#ERROR"))
    number_format = _format_of(book, cell.xf_index)
    if kind == xlrd.XL_CELL_DATE:
        try:
            return formatted(xlrd.xldate_as_datetime(cell.value, book.datemode), number_format)
        except (ValueError, OverflowError, xlrd.XLDateError):
            return formatted(cell.value, None)
    return formatted(cell.value, number_format)


def _format_of(book: Book, xf_index: int | None) -> str | None:
    if xf_index is None or xf_index >= len(book.xf_list):
        return None
    entry = book.format_map.get(book.xf_list[xf_index].format_key)
    return None if entry is None else str(entry.format_str)

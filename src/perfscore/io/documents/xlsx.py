"""Workbooks (``.xlsx``, ``.xlsm``): each sheet read into a grid, with openpyxl.

Every cell's text is what the sheet shows: a number through its number format (see
:mod:`perfscore.io.documents._numbers`), text as typed. Merged ranges become spans; each
cell's place is its sheet and address (``表3!F12``). A sheet may hold any number of
tables; the recogniser finds them.

openpyxl (MIT) is the reader: it is the well-kept library for the format, reads number
formats (which a faster reader such as python-calamine does not give), and is
installed by the ``xlsx`` extra. It reads in its read-only mode, which streams each
sheet's cells (six times faster than building the whole workbook, and in memory that
does not grow with the sheet), and the merged ranges, which that mode does not give,
are read from the sheet's own XML.
"""

from __future__ import annotations

import html
import operator
import re
import zipfile
from itertools import compress, repeat
from operator import is_not
from typing import TYPE_CHECKING, Any, Final, TypeAlias

from perfscore.errors import DocumentError, MissingExtraError
from perfscore.io.documents._containers import check_zip, count_cells
from perfscore.io.documents._numbers import formatted
from perfscore.io.documents.grid import MAX_AREA, Grid, GridCell, GridTooLargeError, column_letters

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
        workbook = openpyxl.load_workbook(stream, data_only=True, read_only=True)
        archive = zipfile.ZipFile(stream)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise DocumentError(
            source, f"a damaged workbook ({type(error).__name__}: {error})"
        ) from None
    cells_read = 0
    try:
        paths = _sheet_paths(archive)
        for sheet in workbook.worksheets:
            try:
                grid = _sheet_grid(sheet, _merged_ranges(archive, paths.get(sheet.title)))
            except GridTooLargeError:
                raise
            except (KeyError, ValueError, zipfile.BadZipFile) as error:
                reason = f"a damaged workbook (sheet {sheet.title}: {error})"
                raise DocumentError(source, reason) from None
            cells_read += len(grid.cells)
            if cells_read > MAX_CELLS:
                raise DocumentError(
                    source, f"more than {MAX_CELLS:,} cells: not a workbook of tables"
                )
            if grid.cells:
                yield grid
    finally:
        workbook.close()


_MERGE_CELL: Final = re.compile(
    rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)\""
)


def _merged_ranges(archive: zipfile.ZipFile, path: str | None) -> list[tuple[int, int, int, int]]:
    """A sheet's merged ranges as (top, left, bottom, right), counted from 0.

    They are the ``mergeCell`` elements of the sheet's XML part (openpyxl's read-only
    mode skips them); the part is at most ``MAX_PART``, checked with the package.
    """
    if path is None:
        return []
    xml = archive.read(path)
    if xml.count(b"mergeCell ") > MAX_MERGED:
        message = f"more than {MAX_MERGED:,} merged ranges (a damaged or hostile file?)"
        raise ValueError(message)
    return [
        (int(top) - 1, _column(left), int(bottom) - 1, _column(right))
        for left, top, right, bottom in _MERGE_CELL.findall(xml)
    ]


MAX_MERGED: Final = 100_000  # merged ranges in a sheet; a sheet of 100 forms merges ~3,000


_ELEMENT: Final = re.compile(rb"<(?:\w+:)?(sheet|Relationship)\b([^>]*)>")
_ATTRIBUTE: Final = re.compile(rb"([\w:]+)\s*=\s*\"([^\"]*)\"")


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's XML part by the sheet's name, from the workbook's own parts.

    The ``sheet`` elements of ``xl/workbook.xml`` name each sheet and its relation,
    the ``Relationship`` elements of its relations file the part; their attributes are
    read without an XML parser (these parts are small, and no entity is expanded).
    """
    try:
        workbook = archive.read("xl/workbook.xml")
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {
        found.get("Id", ""): found.get("Target", "")
        for kind, found in _elements(relations)
        if kind == "Relationship"
    }
    paths: dict[str, str] = {}
    for kind, found in _elements(workbook):
        relation = next((value for key, value in found.items() if key.endswith(":id")), "")
        if kind == "sheet" and (target := targets.get(relation)):
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            paths[found.get("name", "")] = path
    return paths


def _elements(xml: bytes) -> Iterator[tuple[str, dict[str, str]]]:
    for element in _ELEMENT.finditer(xml):
        attributes = {
            key.decode("utf-8", "replace"): html.unescape(value.decode("utf-8", "replace"))
            for key, value in _ATTRIBUTE.findall(element.group(2))
        }
        yield element.group(1).decode(), attributes


def _column(letters: bytes) -> int:
    """A column's number, from 0, for its letters (``A`` is 0, ``AA`` 26)."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number - 1


def _sheet_grid(sheet: Worksheet, merged: list[tuple[int, int, int, int]]) -> Grid:
    """One sheet as a grid: every cell that shows something, merged ranges as spans.

    The rows are read as the sheet's XML holds them, each as far as its last cell:
    the dimensions the sheet records (which a formatted row, or one stray cell far
    off, can stretch to the sheet's last row and column) are dropped first, and the
    empty cells openpyxl fills rows out with are skipped without a look.
    """
    from openpyxl.cell.read_only import EMPTY_CELL  # noqa: PLC0415 - the optional extra

    name = sheet.title
    spans = {
        (top, left): (bottom - top + 1, right - left + 1) for top, left, bottom, right in merged
    }
    sheet.reset_dimensions()
    cells: list[GridCell] = []
    started: set[tuple[int, int]] = set()
    rows = looked_at = widest = 0
    for row in sheet.iter_rows():
        rows += 1
        looked_at += len(row)
        widest = max(widest, len(row))
        if looked_at > MAX_AREA:
            raise GridTooLargeError(name, rows, widest)
        for cell in compress(row, map(is_not, row, repeat(EMPTY_CELL))):
            position = (cell.row - 1, cell.column - 1)
            height, width = spans.get(position, (1, 1))
            text = formatted(cell.value, cell.number_format)
            if not text.strip() and (height, width) == (1, 1):
                continue
            started.add(position)
            cells.append(GridCell(*position, text, height, width, _place(name, *position)))
    # A merged range whose first cell the sheet does not hold still shows (blank).
    unheld = [(position, span) for position, span in spans.items() if position not in started]
    if unheld:
        cells.extend(
            GridCell(*position, "", *span, _place(name, *position)) for position, span in unheld
        )
        cells.sort(key=_READING_ORDER)
    return Grid(cells, name)


def _place(sheet: str, row: int, column: int) -> str:
    """A cell's place: its sheet and address (``表3!F12``)."""
    return f"{sheet}!{column_letters(column)}{row + 1}"


_READING_ORDER: Final = operator.attrgetter("row", "column")

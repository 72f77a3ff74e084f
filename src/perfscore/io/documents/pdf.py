r"""Reading PDFs: each ruled table of a PDF as a grid, joined across page breaks.

A PDF printed from a workbook or a Word report draws every table as ruled cells: lines
(or thin filled rectangles) along the cell borders, and the text of each cell inside
them. :func:`read_pdf` reads that geometry, not the text flow a PDF-to-text tool gives
(which interleaves the lines of neighbouring cells):

- **Rulings become a grid.** The horizontal and vertical rulings of a page are snapped
  together (a double or thick line is one ruling), joined into connected groups, and
  each group with at least two cells is a table. Its columns are the union of its
  vertical rulings and its rows the union of its horizontal ones; a cell whose inner
  borders are missing is a merged cell spanning several rows or columns.
- **Each character goes into the cell its centre lies in.** A cell's text is read line
  by line, top to bottom: the lines of a wrapped cell join with nothing between them
  (``年初预\n算数`` → ``年初预算数``, ``38766\n4.62`` → ``387664.62``). A space glyph
  in the text layer is kept inside a line (``=1044 件``); a line break at a space keeps
  one space; a wide gap between two Latin letters or digits of a line reads as a space,
  never a gap next to a CJK character (forms spread ``项 目 名 称`` across a cell).
  A spreadsheet's text that does not wrap runs on over empty neighbours and stays
  its cell's, and so does one the print clips at a neighbour with text of its own
  (the clipped characters stay in the text layer); text wrapped in its cell that
  reaches past its edge stays its cell's too, whatever it touches next door. A
  character printed twice on the same spot (bold by overprinting, shadows) counts
  once; characters are kept as printed (traditional characters, full-width forms).
- **A table continued on the next page is one grid.** The last table of a page and the
  first of the next are one table when their outer rulings line up, nothing but page
  furniture lies below the one and above the other (page numbers; running heads and
  feet: the same line at the same height on the neighbouring page, set off from the
  table by at least half a line, so that a title printed on top of every sheet's
  table does not pass for one), and the first page had no room left for the row that
  opens the next (taking the bottom margin to be about as wide as the top one). A
  head repeated at the top of the next page (Word's repeated header rows: the
  table's first rows; a spreadsheet's print titles: rows with text in every cell) is
  left out there: the table goes on below it as if it were not printed. A side
  ruling that crosses nothing but runs the table's full height on its page (a label
  merged over the whole page) is the table's.
- **A row cut by the page break is put back together.** Word and LibreOffice let a
  row break across pages: ``社会效`` at the foot of one page, ``益指标`` at the head of
  the next. The two halves are one row when the cut shows in the geometry: no
  closing ruling at the cut; or, where the printer closes both halves with rulings,
  the first row of the new page has the same cells as the last row of the old one
  and text only below cells that were cut off: their text runs down to the bottom of
  the row, and either the row is uneven (only its longest cells go on; a label
  merged down from the rows above says nothing of that) or each line above is full,
  the text below not fitting on it (a word too long for any line breaks where the
  line is full: ``15.00`` above ``15.00`` is two rows, each line having room for
  more). Each cell's texts are then concatenated (with one space if a space glyph
  stood at the cut).
- **A merged cell over the page break is one span.** A cell open at the page edge (a
  spreadsheet leaves out the ruling there) continues in the open cell below it on the
  next page (below a head printed again, the cell under it). Word's printers close
  both parts of a merged cell: an empty cell continues a merged cell when it is
  merged down itself or stands at the row's left under a merged label (a new row's
  empty note under its merged header is the row's own), and never where the printer
  leaves merged cells open at the cut. A spreadsheet prints such a cell's text on
  both pages, each copy clipped to its part: the copy beyond the page edge is read
  as the same text, once.
- **Lines above a table** are the table's preamble (a title, ``（2023年度）``), also
  those at the foot of the page before when the table opens its page.

Each cell's ``place`` is its page (``第5页``, or ``第5–6页`` for a cell continued across
a page break), and each grid's ``place`` the pages it spans. Pages are read one at a
time and released, so memory stays bounded however long the PDF.

>>> with open("tests/data/documents/pdf/two-tables.pdf", "rb") as stream:
...     grids = list(read_pdf(stream, source="two-tables.pdf"))
>>> [(grid.place, grid.height, grid.width) for grid in grids]
[('第1页', 3, 3), ('第1页', 2, 4)]
>>> [cell.text for cell in grids[0].row(0)]
['一级指标', '二级指标', '三级指标']
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import unicodedata
from typing import TYPE_CHECKING, Any, BinaryIO, Final, cast

import attrs

from perfscore._values import value_repr
from perfscore.errors import DocumentError, MissingExtraError
from perfscore.io.documents.grid import Grid, GridCell

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from io import BytesIO

    from pdfplumber.page import Page
    from pdfplumber.pdf import PDF

__all__ = ["SCANNED", "read_pdf", "read_pdf_tables"]

#: What :func:`read_pdf` says of a PDF without a text layer.
SCANNED: Final = (
    "a scanned PDF without a text layer; run OCR on it (e.g. ocrmypdf) "
    "or give the document it was printed from"
)

# Geometry tolerances, in PDF points (1/72 inch). Printers draw one ruling as a line,
# a thin rectangle or two strokes a fraction of a point apart, and end segments a
# half line-width early or late; no real row or column is this thin.
_SNAP: Final = 2.0  # rulings closer than this are one ruling
_JOIN: Final = 4.0  # collinear segments with a gap up to this are one ruling (dashes)
_THIN: Final = 2.5  # a filled rectangle this thin is a ruling, not an area
_TIGHT: Final = 0.05  # of the font size: a gap up to this is no gap (kerning)
_SHORT: Final = 2.0  # a segment shorter than this is an end cap, not a ruling
_OPEN: Final = 3.0  # rulings running past the last crossing ruling by more: open end
_ALIGN: Final = 3.0  # outer rulings of two pieces of one table differ by at most this
_ROOM: Final = 18.0  # slack for unequal top and bottom margins
_PAGE_HEAD_DRIFT: Final = 3.0  # a running head or foot sits at the same height

# A page number alone on its line: 5, - 5 -, 第5页, 第 5 页 共 35 页, 5/35, Page 5 of 35.
_PAGE_NUMBER: Final = re.compile(
    r"""\s*(?:
        [-—–\s]*\d+[-—–\s]*
      | (?:共\s*\d+\s*页\s*[,，]?\s*)?第\s*[\d一二三四五六七八九十百千〇零]+\s*页
        (?:\s*[,，/]?\s*共\s*\d+\s*页)?
      | \d+\s*/\s*\d+
      | (?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?
    )\s*""",
    re.ASCII | re.IGNORECASE | re.VERBOSE,
)
_DIGITS: Final = re.compile(r"\d+", re.ASCII)
# pdfminer spells a glyph that has no Unicode mapping as "(cid:123)".
_UNMAPPED: Final = re.compile(r"\(cid:\d+\)", re.ASCII)
# CJK punctuation that may not begin a line: the typesetter carries the character
# before it over to the next line too, so the line above ends a character short.
_NO_LINE_START: Final = frozenset("，。、；：！？）》」』】〕〉”’％…—·,.;:!?)%")
# Where a line may break inside a run of Latin letters and digits: after a hyphen, a
# slash or a dash.
_BREAK_AFTER: Final = frozenset("-/—–")


def read_pdf(stream: BinaryIO, *, source: str) -> Iterator[Grid]:
    """The ruled tables of a PDF, each as a grid, in document order.

    Args:
        stream: the PDF, open for binary reading and seekable (a file or
            :class:`io.BytesIO`); it must stay open while the grids are read.
        source: the file's name, for messages.

    Returns:
        An iterator of one :class:`~perfscore.io.documents.grid.Grid` per table found
        (a table continued across pages is one grid). A PDF with text but no ruled
        table gives none.

    Raises:
        MissingExtraError: pdfplumber is not installed (raised at once).
        DocumentError: the file is not a PDF, is damaged, or is encrypted (raised at
            once); a page cannot be read, or the PDF has no text layer at all (a
            scan), raised while iterating.

    >>> import io
    >>> list(read_pdf(io.BytesIO(b"%PDF-1.4 broken"), source="x.pdf"))
    Traceback (most recent call last):
    ...
    perfscore.errors.DocumentError: x.pdf: a damaged PDF that cannot be opened (...); ...
    """
    return (grid for grid, _ in read_pdf_tables(stream, source=source))


def read_pdf_tables(stream: BinaryIO, *, source: str) -> Iterator[tuple[Grid, list[str]]]:
    """The ruled tables of a PDF, each with the lines printed above it on its page.

    The grids are those of :func:`read_pdf`; the lines (a title, ``（2023年度）``,
    ``单位：万元``) are what a spreadsheet prints without rulings around them, so they
    are not in the grid.

    Raises:
        MissingExtraError, DocumentError: as :func:`read_pdf`.
    """
    pdf = _open(stream, source)
    return _grids(pdf, source)


# --------------------------------------------------------------------------- opening


def _open(stream: BinaryIO, source: str) -> PDF:
    """The PDF opened by pdfplumber, or the error that says why it cannot be."""
    try:
        import pdfplumber  # noqa: PLC0415 - an optional extra, imported when used
        from pdfminer.pdfdocument import (  # noqa: PLC0415
            PDFEncryptionError,
            PDFPasswordIncorrect,
        )
    except ImportError as error:
        raise MissingExtraError(".pdf files", "pdf", "pdfplumber") from error
    start = stream.tell()
    head = stream.read(1024)
    stream.seek(start)
    if b"%PDF-" not in head:
        raise DocumentError(
            source,
            "not a PDF (it does not start with %PDF-); "
            "check that the file is the document you meant",
        )
    try:
        # pdfplumber reads any seekable binary stream, though it names two kinds.
        return pdfplumber.open(cast("BytesIO", stream))
    except Exception as error:  # pdfminer raises many kinds; all mean "cannot be read"
        cause = error.args[0] if error.args and isinstance(error.args[0], Exception) else error
        if isinstance(cause, PDFPasswordIncorrect):
            reason = (
                "an encrypted PDF that needs a password to open; "
                "save a copy without the password and read that"
            )
        elif isinstance(cause, PDFEncryptionError):
            reason = (
                f"an encrypted PDF that cannot be opened ({_detail(cause)}); "
                "save a copy without encryption and read that"
            )
        else:
            reason = (
                f"a damaged PDF that cannot be opened ({_detail(cause)}); "
                "open it in a PDF viewer and save or print it as a new PDF"
            )
        raise DocumentError(source, reason) from error


def _detail(error: BaseException) -> str:
    """An exception in a few words, for a one-line message."""
    text = " ".join(str(error).split())
    name = type(error).__name__
    if not text:
        return name
    return f"{name}: {text[:80]}…" if len(text) > 80 else f"{name}: {text}"


def _grids(pdf: PDF, source: str) -> Iterator[tuple[Grid, list[str]]]:
    """The grids of an open PDF, reading one page at a time."""
    seen = {"characters": 0, "drawings": 0}

    def counted() -> Iterator[_PageRead]:
        for read in _pages(pdf, source):
            seen["characters"] += read.characters
            seen["drawings"] += read.drawings
            yield read

    yield from _tables(counted())
    if seen["characters"] == 0 and seen["drawings"]:
        raise DocumentError(source, SCANNED)


def _pages(pdf: PDF, source: str) -> Iterator[_PageRead]:
    """What each page of an open PDF holds, one page at a time, each released after."""
    from pdfminer.pdfpage import PDFPage  # noqa: PLC0415 - present with pdfplumber
    from pdfplumber.page import Page  # noqa: PLC0415

    pages = PDFPage.create_pages(pdf.doc)
    number = 0
    try:
        while True:
            number += 1
            try:
                page_object = next(pages, None)
                if page_object is None:
                    return
                page = Page(pdf, page_object, page_number=number, initial_doctop=0)
                try:
                    objects, bbox = _parse(page), page.bbox
                finally:
                    page.close()
            except Exception as error:  # a damaged page makes pdfminer raise anything
                raise DocumentError(
                    source,
                    f"a damaged PDF: page {number} cannot be read ({_detail(error)}); "
                    "open it in a PDF viewer and save or print it as a new PDF",
                ) from error
            _forget(pdf)
            yield _read_page(objects, bbox, number)
            del objects
    finally:
        pdf.flush_cache()


def _tables(reads: Iterable[_PageRead]) -> Iterator[tuple[Grid, list[str]]]:
    """Each table of a document's pages once, joined over page breaks, with its lines.

    The lines are those printed above the table on its first page.

    A table is given when it is known to end: when the next table starts, or the
    next page does not continue it.
    """
    table: _Table | None = None
    preamble: list[str] = []
    previous: _PageText | None = None
    # The lines after the last table of the pages before: a title and year printed at
    # the foot of a page, the table starting on the next.
    carried: list[_Line] = []
    for read in reads:
        pieces = read.pieces
        above = 0.0
        if table is not None:
            if previous is not None and pieces and _continues(table, previous, read, pieces[0]):
                table.append(pieces[0])
                above = pieces[0].bottom
                pieces = pieces[1:]
                carried = []
            else:
                yield table.grid(), preamble
                table = None
        carried = [line for line in carried if not _furniture(line, read.text.lines, _FAR)]
        for piece in pieces:
            if table is not None:
                yield table.grid(), preamble
            table = _Table(piece)
            preamble = _above([*carried, *_between(read.text, above, piece.top)])
            carried = []
            above = piece.bottom
        carried = [*carried, *_between(read.text, above, read.text.height)][-_PREAMBLE_LINES:]
        previous = read.text
    if table is not None:
        yield table.grid(), preamble


_PREAMBLE_LINES: Final = 12
_FAR: Final = math.inf  # the gap of a line from a table on another page (in points)


def _between(text: _PageText, top: float, bottom: float) -> list[_Line]:
    """The page's lines between ``top`` and ``bottom``.

    By their middles: a line set right below a table may reach a fraction of a point
    above its ruling.
    """
    return [line for line in text.lines if top <= (line.top + line.bottom) / 2 <= bottom]


def _above(lines: Iterable[_Line]) -> list[str]:
    """The texts of the lines above a table, the last few."""
    return [line.text for line in lines if line.text.strip()][-_PREAMBLE_LINES:]


def _forget(pdf: PDF) -> None:
    """Let go of what pdfminer keeps of the pages read so far.

    pdfminer caches every object it parses (content streams included) for the life
    of the document; over 10,000 pages that is the whole file, parsed. Nothing of a
    page read is needed again, and what later pages share (fonts) is parsed again
    when needed, or kept in pdfminer's font cache while that stays small. There is no
    public way to bound these caches, hence the guarded private names.
    """
    for owner, name, keep in (
        (pdf.doc, "_cached_objs", 0),
        (pdf.doc, "_parsed_objs", 64),
        (pdf.rsrcmgr, "_cached_fonts", 256),
    ):
        cache = getattr(owner, name, None)
        if isinstance(cache, dict) and len(cache) > keep:
            cache.clear()


# ------------------------------------------------------------------ one page's content


@attrs.frozen
class _Line:
    """One line of text: its characters joined, and the geometry the joins need.

    Attributes:
        text: the characters, spaces read as described in the module's docstring.
        x0, x1, top, bottom: where its visible characters lie.
        size: the font size of its first character.
        lead: how wide its first unbreakable piece is (one CJK character, or a run of
            Latin letters and digits up to a space): what would have had to fit on the
            line above for the typesetter not to wrap.
        last: how wide its last character is.
        first: how wide its first character is.
        tail: how wide its last unbreakable piece is (as ``lead``, from the end).
        starts_wide, ends_wide: whether it starts / ends with a wide (CJK) character.
        space_before, space_after: whether a space glyph stood at its start / end.
    """

    __repr__ = value_repr

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    lead: float
    last: float
    first: float
    tail: float
    starts_wide: bool
    ends_wide: bool
    space_before: bool
    space_after: bool


@attrs.define
class _PieceCell:
    """A cell of one table piece (the part of a table on one page).

    ``row`` and ``rows`` count the piece's own row bands; ``lines`` is its text;
    ``open_top`` / ``open_bottom``: no ruling closes it there (the page cut it);
    ``shadow``: text beyond that open edge (see :func:`_fill`).
    """

    __repr__ = value_repr

    row: int
    rows: int
    x0: float
    x1: float
    top: float
    bottom: float
    lines: list[_Line] = attrs.field(factory=list)
    open_top: bool = False
    open_bottom: bool = False
    shadow: list[_Line] = attrs.field(factory=list)

    @property
    def visible(self) -> str:
        """The text printed inside the cell, its lines joined."""
        return _join_lines(self.lines)

    @property
    def text(self) -> str:
        """The cell's text: what is printed inside it, or else its copy below it.

        A cell open at the bottom may have its text printed below it, clipped (see
        :func:`_fill`). The copy above a cell open at the top is only compared, never taken: the
        page's running head may stand there.
        """
        visible = _join_lines(self.lines)
        if visible or not self.open_bottom:
            return visible
        return _join_lines(self.shadow)

    @property
    def whole(self) -> str:
        """A cut cell's text with the copy beyond its open edge, top to bottom."""
        if self.open_top:
            return _join_lines([*self.shadow, *self.lines])
        return _join_lines([*self.lines, *self.shadow])


@attrs.define
class _Piece:
    """The part of a ruled table drawn on one page."""

    __repr__ = value_repr

    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    rows: int
    cells: list[_PieceCell]
    padding: float = 2.0
    # The lattice: column and row rulings, and which cell owns each elementary cell
    # (the columns and owners are needed only while the page's characters are placed).
    xs: list[float] = attrs.field(factory=list, repr=False)
    ys: list[float] = attrs.field(factory=list, repr=False)
    owner: list[list[int]] = attrs.field(factory=list, repr=False)

    def starting(self, row: int) -> list[_PieceCell]:
        """The cells whose first band is ``row``, left to right."""
        return [cell for cell in self.cells if cell.row == row]

    def ending(self) -> list[_PieceCell]:
        """The cells that reach down to the piece's last band, left to right."""
        return [cell for cell in self.cells if cell.row + cell.rows == self.rows]

    def band_height(self, band: int) -> float:
        """How tall one of the piece's row bands is."""
        if band + 1 >= len(self.ys):
            return 0.0
        return self.ys[band + 1] - self.ys[band]


@attrs.frozen
class _PageText:
    """The text of a page outside its tables: what lies between the table pieces."""

    __repr__ = value_repr

    number: int
    height: float
    lines: tuple[_Line, ...]


@attrs.frozen
class _PageRead:
    """What one page holds, as far as the tables are concerned."""

    __repr__ = value_repr

    pieces: list[_Piece]
    text: _PageText
    characters: int
    drawings: int


def _parse(page: Page) -> dict[str, list[dict[str, Any]]]:
    """The characters, lines, rectangles, curves and images of a page (pdfplumber's)."""
    return page.objects


def _read_page(
    objects: dict[str, list[dict[str, Any]]], bbox: tuple[float, float, float, float], number: int
) -> _PageRead:
    """A page's table pieces (top to bottom) and the text lines outside them.

    ``objects`` are the page's as pdfplumber gives them, ``bbox`` the page's box
    (``x0, top, x1, bottom``), ``number`` its number from 1.
    """
    chars = _dedupe(objects.get("char", []))
    drawings = len(objects.get("image", [])) + len(objects.get("curve", []))
    drawings += len(objects.get("rect", [])) + len(objects.get("line", []))
    horizontal, vertical = _segments(objects)
    pieces = [
        piece
        for group in _groups(horizontal, vertical)
        if (piece := _piece(number, *group)) is not None
    ]
    # A frame drawn around tables (a page border) is not a table itself.
    pieces = [
        piece
        for piece in pieces
        if not any(other is not piece and _inside(other, piece) for other in pieces)
    ]
    pieces.sort(key=lambda piece: (piece.top, piece.x0))
    outside = _fill(pieces, chars, bbox)
    height = bbox[3] - bbox[1]  # points, as the PDF lays them out (geometry, not a score)
    text = _PageText(number, height, tuple(_lines(outside, split_gaps=True)))
    return _PageRead(pieces, text, len(chars), drawings)


def _inside(inner: _Piece, outer: _Piece) -> bool:
    """Whether one piece lies within another's outline."""
    return (
        outer.x0 - _SNAP <= inner.x0
        and inner.x1 <= outer.x1 + _SNAP
        and outer.top - _SNAP <= inner.top
        and inner.bottom <= outer.bottom + _SNAP
    )


def _dedupe(chars: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The characters, each printed copy on (nearly) the same spot counted once.

    Bold by overprinting and drop shadows draw a glyph two or more times, a fraction
    of a point apart; a real text never has one character on top of the same one.
    """
    kept: list[dict[str, Any]] = []
    seen: dict[tuple[str, int, int], list[dict[str, Any]]] = {}
    for char in chars:
        text = char["text"]
        x0, top = char["x0"], char["top"]
        column, row = int(x0), int(top)
        duplicate = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in seen.get((text, column + dx, row + dy), ()):
                    if abs(other["x0"] - x0) <= 1 and abs(other["top"] - top) <= 1:
                        duplicate = True
        if not duplicate and not text.isspace():
            seen.setdefault((text, column, row), []).append(char)
        if not duplicate:
            kept.append(char)
    return kept


# ------------------------------------------------------------------------- rulings


@attrs.frozen
class _Segment:
    """A ruling: horizontal at ``at`` from ``start`` to ``end`` (x), or vertical (y)."""

    __repr__ = value_repr

    at: float
    start: float
    end: float


def _white(color: object) -> bool:
    """Whether a PDF colour is white (gray 1, RGB 1 1 1 or CMYK 0 0 0 0)."""
    if not isinstance(color, tuple | list) or not color:
        return False
    values = list(color)
    if len(values) == 4:
        return all(value == 0 for value in values)
    return all(value == 1 for value in values)


def _segments(objects: dict[str, list[dict[str, Any]]]) -> tuple[list[_Segment], list[_Segment]]:
    """The page's horizontal and vertical rulings, snapped and joined."""
    edges: list[tuple[float, float, float, float]] = [
        (line["x0"], line["top"], line["x1"], line["bottom"])
        for line in objects.get("line", [])
        if not _white(line.get("stroking_color"))
    ]
    for rect in objects.get("rect", []):
        edges.extend(_rect_edges(rect))
    for curve in objects.get("curve", []):
        if curve.get("stroke") and not _white(curve.get("stroking_color")):
            for (ax, ay), (bx, by) in itertools.pairwise(curve.get("pts") or []):
                edges.append((min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []
    for x0, top, x1, bottom in edges:
        if bottom - top <= _THIN and x1 - x0 >= _SHORT:
            horizontal.append(((top + bottom) / 2, x0, x1))
        elif x1 - x0 <= _THIN and bottom - top >= _SHORT:
            vertical.append(((x0 + x1) / 2, top, bottom))
    return _merge(horizontal), _merge(vertical)


def _rect_edges(rect: dict[str, Any]) -> list[tuple[float, float, float, float]]:
    """The rulings a rectangle draws: itself if thin, else its four sides.

    A rectangle painted white (a background, a mask) draws nothing.
    """
    stroked = rect.get("stroke") and not _white(rect.get("stroking_color"))
    filled = rect.get("fill") and not _white(rect.get("non_stroking_color"))
    if not (stroked or filled):
        return []
    x0, top, x1, bottom = rect["x0"], rect["top"], rect["x1"], rect["bottom"]
    if bottom - top <= _THIN or x1 - x0 <= _THIN:
        return [(x0, top, x1, bottom)]
    return [
        (x0, top, x1, top),
        (x0, bottom, x1, bottom),
        (x0, top, x0, bottom),
        (x1, top, x1, bottom),
    ]


def _merge(raw: list[tuple[float, float, float]]) -> list[_Segment]:
    """Segments snapped to shared positions and joined where they touch or overlap."""
    raw.sort()
    groups: list[list[tuple[float, float, float]]] = []
    for item in raw:
        if groups and item[0] - groups[-1][-1][0] <= _SNAP:
            groups[-1].append(item)
        else:
            groups.append([item])
    merged: list[_Segment] = []
    for group in groups:
        at = sum(item[0] for item in group) / len(group)
        runs = sorted((start, end) for _, start, end in group)
        start, end = runs[0]
        for next_start, next_end in runs[1:]:
            if next_start <= end + _JOIN:
                end = max(end, next_end)
            else:
                merged.append(_Segment(at, start, end))
                start, end = next_start, next_end
        merged.append(_Segment(at, start, end))
    return merged


def _groups(
    horizontal: list[_Segment], vertical: list[_Segment]
) -> Iterator[tuple[list[_Segment], list[_Segment]]]:
    """The connected groups of crossing rulings, each the frame of one table."""
    parent = list(range(len(horizontal) + len(vertical)))

    def find(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    by_height = sorted(range(len(horizontal)), key=lambda index: horizontal[index].at)
    heights = [horizontal[index].at for index in by_height]
    for v_index, line in enumerate(vertical):
        low = bisect.bisect_left(heights, line.start - _SNAP)
        high = bisect.bisect_right(heights, line.end + _SNAP)
        for h_index in by_height[low:high]:
            crossing = horizontal[h_index]
            if crossing.start - _SNAP <= line.at <= crossing.end + _SNAP:
                parent[find(len(horizontal) + v_index)] = find(h_index)
    members: dict[int, tuple[list[_Segment], list[_Segment]]] = {}
    for index, segment in enumerate(horizontal):
        members.setdefault(find(index), ([], []))[0].append(segment)
    for index, segment in enumerate(vertical):
        members.setdefault(find(len(horizontal) + index), ([], []))[1].append(segment)
    tables = [(hs, vs) for hs, vs in members.values() if hs and vs]
    _sides(tables, [vs[0] for hs, vs in members.values() if not hs and len(vs) == 1])
    yield from tables


def _sides(tables: list[tuple[list[_Segment], list[_Segment]]], alone: list[_Segment]) -> None:
    """Give each table the vertical rulings that cross nothing but run its full height.

    A merged cell running over a page from the page before to the next (a
    spreadsheet's label merged down a long block) is drawn there by its side rulings
    alone: they belong to the table they run alongside, from its top to its bottom.
    """
    for side in alone:
        for _, vertical in tables:
            top, bottom = min(s.start for s in vertical), max(s.end for s in vertical)
            if abs(side.start - top) <= _SNAP and abs(side.end - bottom) <= _SNAP:
                vertical.append(side)
                break


# A form's page is ruled into at most a few thousand elementary cells (60 rows by 20
# columns is 1,200); a lattice far larger is no table of the form.
_MOST_LATTICE: Final = 40_000


def _covers(segments: Sequence[_Segment], start: float, end: float) -> bool:
    """Whether one of the segments runs the whole way from ``start`` to ``end``."""
    return any(s.start <= start + _SNAP and s.end >= end - _SNAP for s in segments)


def _piece(  # noqa: C901, PLR0912, PLR0915 - one pass over the cell lattice, kept together
    page: int, horizontal: list[_Segment], vertical: list[_Segment]
) -> _Piece | None:
    """The table a group of rulings draws, or ``None`` for fewer than two cells.

    (``None`` too for a lattice of more than :data:`_MOST_LATTICE` elementary cells:
    graph paper or a chart's grid, not a form, which would take seconds to read.)

    The lattice of all the group's rulings is cut into elementary cells; neighbours
    with no ruling between them are one (merged) cell. An area open to the left or
    right is outside the table (a row shorter than the rest). A cell open at the top
    or bottom (no ruling closes it there) is cut by the page edge: a row or merged
    cell the printer continues on the next page. Where the vertical rulings run on
    past the last horizontal one, or the horizontal rulings past the outer vertical
    ones (a table drawn without side borders), their ends close the table.
    """
    ys = sorted({s.at for s in horizontal})
    xs = sorted({s.at for s in vertical})
    rows_at: dict[float, list[_Segment]] = {}
    for s in horizontal:
        rows_at.setdefault(s.at, []).append(s)
    columns_at: dict[float, list[_Segment]] = {}
    for s in vertical:
        columns_at.setdefault(s.at, []).append(s)
    sides: set[float] = set()  # made-up closing rulings at the ends of open sides
    ends: set[float] = set()  # made-up rulings at open tops and bottoms
    top = min(s.start for s in vertical)
    bottom = max(s.end for s in vertical)
    left = min(s.start for s in horizontal)
    right = max(s.end for s in horizontal)
    if top < ys[0] - _OPEN and sum(s.start <= top + _SNAP for s in vertical) >= 2:
        ys.insert(0, top)
        ends.add(top)
    if bottom > ys[-1] + _OPEN and sum(s.end >= bottom - _SNAP for s in vertical) >= 2:
        ys.append(bottom)
        ends.add(bottom)
    if left < xs[0] - _OPEN and sum(s.start <= left + _SNAP for s in horizontal) >= 2:
        xs.insert(0, left)
        sides.add(left)
    if right > xs[-1] + _OPEN and sum(s.end >= right - _SNAP for s in horizontal) >= 2:
        xs.append(right)
        sides.add(right)
    height, width = len(ys) - 1, len(xs) - 1
    if height < 1 or width < 1 or height * width > _MOST_LATTICE:
        return None

    def wall(j: int, i: int) -> bool:
        """Whether a vertical ruling at xs[j] closes row band i."""
        x = xs[j]
        return x in sides or _covers(columns_at.get(x, ()), ys[i], ys[i + 1])

    def floor(i: int, j: int) -> bool:
        """Whether a horizontal ruling at ys[i] closes column band j."""
        y = ys[i]
        return y not in ends and _covers(rows_at.get(y, ()), xs[j], xs[j + 1])

    parent = list(range(height * width))

    def find(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    outside: set[int] = set()
    opened_top: set[int] = set()
    opened_bottom: set[int] = set()
    for i in range(height):
        for j in range(width):
            here = i * width + j
            if j + 1 < width and not wall(j + 1, i):
                parent[find(here + 1)] = find(here)
            if i + 1 < height and not floor(i + 1, j):
                parent[find(here + width)] = find(here)
            if (j == 0 and not wall(0, i)) or (j == width - 1 and not wall(width, i)):
                outside.add(here)
            if i == 0 and not floor(0, j):
                opened_top.add(here)
            if i == height - 1 and not floor(height, j):
                opened_bottom.add(here)
    regions: dict[int, list[tuple[int, int]]] = {}
    for i in range(height):
        for j in range(width):
            regions.setdefault(find(i * width + j), []).append((i, j))
    outside = {find(index) for index in outside}
    opened_top = {find(index) for index in opened_top}
    opened_bottom = {find(index) for index in opened_bottom}
    owner = [[-1] * width for _ in range(height)]
    cells: list[_PieceCell] = []

    def add(root: int, i0: int, i1: int, j0: int, j1: int) -> None:
        for i in range(i0, i1):
            for j in range(j0, j1):
                owner[i][j] = len(cells)
        cell = _PieceCell(i0, i1 - i0, xs[j0], xs[j1], ys[i0], ys[i1])
        cell.open_top = i0 == 0 and root in opened_top
        cell.open_bottom = i1 == height and root in opened_bottom
        cells.append(cell)

    for root, members in sorted(regions.items(), key=lambda item: item[1][0]):
        if root in outside:
            continue
        i0 = min(i for i, _ in members)
        i1 = max(i for i, _ in members) + 1
        j0 = min(j for _, j in members)
        j1 = max(j for _, j in members) + 1
        if len(members) == (i1 - i0) * (j1 - j0):
            add(root, i0, i1, j0, j1)
            continue
        # A region that is no rectangle (a ruling broken off half-way): read it
        # row by row, each run of its cells in a row as one cell.
        by_row: dict[int, list[int]] = {}
        for i, j in members:
            by_row.setdefault(i, []).append(j)
        for i, js in sorted(by_row.items()):
            for start, stop in _consecutive(sorted(js)):
                add(root, i, i + 1, start, stop)
    if len(cells) < 2:
        return None
    cells.sort(key=lambda cell: (cell.row, cell.x0))
    return _Piece(page, xs[0], xs[-1], ys[0], ys[-1], height, cells, xs=xs, ys=ys, owner=owner)


def _consecutive(numbers: list[int]) -> list[tuple[int, int]]:
    """Runs of consecutive numbers (sorted), each as ``(first, last + 1)``.

    >>> _consecutive([1, 2, 3, 5, 7, 8])
    [(1, 4), (5, 6), (7, 9)]
    """
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and runs[-1][1] == number:
            runs[-1] = (runs[-1][0], number + 1)
        else:
            runs.append((number, number + 1))
    return runs


def _fill(
    pieces: list[_Piece], chars: list[dict[str, Any]], bbox: tuple[float, float, float, float]
) -> list[dict[str, Any]]:
    """Put each character into the cell of the piece its centre lies in.

    A spreadsheet prints the text of a merged cell that spans a page break on both
    pages, each copy clipped to the part of the cell on its page (and often drawn off
    the page). What lies beyond the open edge of a cell the page cut (above a cell
    open at the top, below one open at the bottom, up to the next table) is such a
    copy: it is kept as the cell's ``shadow``, apart from its visible text.

    A run of characters set tight (no gap: one text, as a cell's padding always
    leaves one between two cells) belongs to the cell its first character is in,
    though it runs on over empty neighbours or past the table's edge as a spreadsheet
    lets a long text do, or is clipped at the edge of a neighbour with text of its own.

    Returns the characters on the page outside every table (prose and furniture).
    """
    left, top, right, bottom = bbox
    outside: list[dict[str, Any]] = []
    placed: dict[tuple[int, int], list[dict[str, Any]]] = {}
    shadows: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for char, cell in _owners(pieces, chars):
        if cell is not None:
            placed.setdefault(cell, []).append(char)
            continue
        x, y = _centre(char)
        if (cell := _shadow(pieces, x, y)) is not None:
            shadows.setdefault(cell, []).append(char)
        elif left <= x <= right and top <= y <= bottom:
            outside.append(char)
    for (number, index), members in placed.items():
        pieces[number].cells[index].lines = _lines(members)
    for (number, index), members in shadows.items():
        pieces[number].cells[index].shadow = _lines(members)
    for piece in pieces:
        piece.xs, piece.owner = [], []
        gaps = [cell.lines[0].x0 - cell.x0 for cell in piece.cells if cell.lines]
        if gaps:
            piece.padding = max(0.0, min([12.0, *gaps]))
    return outside


def _owners(
    pieces: list[_Piece], chars: list[dict[str, Any]]
) -> Iterator[tuple[dict[str, Any], tuple[int, int] | None]]:
    """Each character with the cell (piece and index) it belongs to, if any.

    A character belongs to the cell its centre lies in, except that a run of
    characters set tight that starts in a cell and runs on over cells holding nothing
    else (or past the table's edge) is all that cell's: a spreadsheet lets a long text
    run on over empty neighbours. A line that is not wrapped and runs past its cell's
    edge over a neighbour's own text is that cell's too: the print clips it there, but
    the clipped characters stay in the text layer (年度资金总额 beside 500000).
    """
    if not pieces:
        yield from ((char, None) for char in chars)
        return
    runs = list(_runs(chars))
    where = [[_cell_at(pieces, *_centre(char)) for char in run] for run in runs]
    used_by: dict[tuple[int, int], set[int]] = {}
    lines_in: dict[tuple[int, int], set[int]] = {}
    for number, (run, cells) in enumerate(zip(runs, where, strict=True)):
        for cell in cells:
            if cell is not None:
                used_by.setdefault(cell, set()).add(number)
                lines_in.setdefault(cell, set()).add(round(run[0]["top"]))
    for number, (run, cells) in enumerate(zip(runs, where, strict=True)):
        owner = cells[0]
        # Text wrapped in its cell (lines of its own) does not run on: a line that
        # reaches past the cell's edge is clipped there, not continued next door.
        wrapped = owner is not None and len(lines_in[owner]) > 1
        for char, cell in zip(run, cells, strict=True):
            alone = cell is None or (used_by[cell] == {number} and not wrapped)
            clipped = cell is not None and not wrapped  # past its edge, over a neighbour's text
            yield char, (owner if owner is not None and (alone or clipped) else cell)


def _cell_at(pieces: list[_Piece], x: float, y: float) -> tuple[int, int] | None:
    """The cell (piece and index) a point lies in, if any."""
    for number, piece in enumerate(pieces):
        if piece.x0 <= x < piece.x1 and piece.top <= y < piece.bottom:
            i = bisect.bisect_right(piece.ys, y) - 1
            j = bisect.bisect_right(piece.xs, x) - 1
            index = piece.owner[i][j]
            if index >= 0:
                return number, index
    return None


def _shadow(pieces: list[_Piece], x: float, y: float) -> tuple[int, int] | None:
    """The cell (piece and index) open towards a point outside the tables, if any."""
    for number, piece in enumerate(pieces):
        if y < piece.top:
            ceiling = max(
                (other.bottom for other in pieces[:number] if other.bottom <= piece.top),
                default=-math.inf,
            )
            if y > ceiling:
                for index, cell in enumerate(piece.cells):
                    if cell.open_top and cell.x0 <= x < cell.x1:
                        return number, index
        elif y >= piece.bottom:
            floor = min(
                (other.top for other in pieces[number + 1 :] if other.top >= piece.bottom),
                default=math.inf,
            )
            if y < floor:
                for index, cell in enumerate(piece.cells):
                    if cell.open_bottom and cell.x0 <= x < cell.x1:
                        return number, index
    return None


# ---------------------------------------------------------------------------- text


def _wide(text: str) -> bool:
    """Whether a character is wide (CJK ideographs, kana, full-width forms)."""
    return unicodedata.east_asian_width(text[:1]) in {"W", "F"}


def _centre(char: dict[str, Any]) -> tuple[float, float]:
    """The middle of a character's box."""
    return (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2


def _rows(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Characters grouped by the line they stand on, top to bottom, each left to right.

    A character is on a line when its middle is within half a character's height of
    the middle of the line's first character (superscripts and mixed fonts stay on
    their line).
    """
    ordered = sorted(chars, key=lambda char: (char["top"] + char["bottom"]) / 2)
    rows: list[list[dict[str, Any]]] = []
    centre = extent = 0.0
    for char in ordered:
        middle = (char["top"] + char["bottom"]) / 2
        size = char["bottom"] - char["top"]
        if rows and middle - centre <= max(extent, size) / 2:
            rows[-1].append(char)
        else:
            rows.append([char])
            centre, extent = middle, size
    for row in rows:
        row.sort(key=lambda char: char["x0"])
    return rows


def _runs(chars: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """The page's characters in runs set tight: on one line, no gap between them."""
    for row in _rows(chars):
        run = [row[0]]
        for before, char in itertools.pairwise(row):
            # Touching, give or take kerning; an overlap is two texts, one clipped.
            gap = char["x0"] - before["x1"]
            if -_TIGHT * char["size"] <= gap <= _TIGHT * min(before["size"], char["size"]):
                run.append(char)
            else:
                yield run
                run = [char]
        yield run


def _lines(chars: list[dict[str, Any]], *, split_gaps: bool = False) -> list[_Line]:
    """Characters grouped into lines, top to bottom, each read left to right.

    ``split_gaps`` cuts a line at a gap wider than two characters (text outside a
    table: a page number and a running foot side by side are two lines).
    """
    rows = _rows(chars)
    lines: list[_Line] = []
    for row in rows:
        if split_gaps:
            start = 0
            for index in range(1, len(row)):
                gap = row[index]["x0"] - row[index - 1]["x1"]
                if gap > 2 * max(row[index]["size"], 1.0):
                    lines.extend(_line(row[start:index]))
                    start = index
            lines.extend(_line(row[start:]))
        else:
            lines.extend(_line(row))
    return lines


def _line(chars: list[dict[str, Any]]) -> list[_Line]:
    """One line of characters (left to right), or nothing if it is all spaces."""
    visible = [char for char in chars if not char["text"].isspace()]
    if not visible:
        return []
    parts: list[str] = []
    previous: dict[str, Any] | None = None
    pending_space = False
    for char in chars:
        text = char["text"]
        if text.isspace():
            pending_space = previous is not None
            continue
        if previous is not None:
            gap = char["x0"] - previous["x1"]
            spread = gap > 0.25 * min(char["size"], previous["size"])
            latin = not _wide(previous["text"]) and not _wide(text)
            if pending_space or (spread and latin):
                parts.append(" ")
        parts.append(_UNMAPPED.sub("\ufffd", text))
        previous, pending_space = char, False
    first, last = visible[0], visible[-1]
    lead = first["x1"] - first["x0"]
    if not _wide(first["text"]):
        before = first
        for char in chars[chars.index(first) + 1 :]:
            gap = char["x0"] - before["x1"]
            if char["text"].isspace() or _wide(char["text"]) or gap > 0.25 * char["size"]:
                break
            lead, before = char["x1"] - first["x0"], char
    return [
        _Line(
            text="".join(parts),
            x0=first["x0"],
            x1=last["x1"],
            top=min(char["top"] for char in visible),
            bottom=max(char["bottom"] for char in visible),
            size=first["size"],
            lead=lead,
            last=last["x1"] - last["x0"],
            first=first["x1"] - first["x0"],
            tail=_tail(chars),
            starts_wide=_wide(first["text"]),
            ends_wide=_wide(last["text"]),
            space_before=chars[0]["text"].isspace(),
            space_after=chars[-1]["text"].isspace(),
        )
    ]


def _tail(chars: list[dict[str, Any]]) -> float:
    """How wide the last unbreakable piece of a line is.

    That is its last CJK character, or its run of Latin letters and digits back to a
    space or a gap.
    """
    ends = [index for index, char in enumerate(chars) if not char["text"].isspace()]
    last = chars[ends[-1]]
    start = last
    if not _wide(last["text"]):
        for char in reversed(chars[: ends[-1]]):
            gap = start["x0"] - char["x1"]
            if char["text"].isspace() or _wide(char["text"]) or gap > 0.25 * start["size"]:
                break
            start = char
    width: float = last["x1"] - start["x0"]  # points (geometry, not a score)
    return width


def _join_lines(lines: Sequence[_Line]) -> str:
    """A cell's lines as one text.

    Lines join with nothing between them, or with one space where a space glyph
    stood at the line break.
    """
    parts: list[str] = []
    for index, line in enumerate(lines):
        if index and (lines[index - 1].space_after or line.space_before):
            parts.append(" ")
        parts.append(line.text)
    return "".join(parts)


def _furniture(line: _Line, neighbour: Iterable[_Line], gap: float) -> bool:
    """Whether a line outside the tables is page furniture, not part of the text.

    A page number (``5``, ``- 5 -``, ``第5页 共35页``, ``Page 5 of 35``), or a running
    head or foot: the same words (numbers aside) at the same height on the
    neighbouring page, set off from the table by at least half a line (``gap`` is
    the distance between them): a title printed on every page right on top of its
    table is part of the document, not of the page.
    """
    text = unicodedata.normalize("NFKC", line.text)
    if _PAGE_NUMBER.fullmatch(text):
        return True
    if gap < (line.bottom - line.top) / 2:
        return False
    masked = _DIGITS.sub("#", text)
    return any(
        abs(other.top - line.top) <= _PAGE_HEAD_DRIFT
        and _DIGITS.sub("#", unicodedata.normalize("NFKC", other.text)) == masked
        for other in neighbour
    )


# ---------------------------------------------------------------- tables over pages


@attrs.define
class _Cell:
    """A cell of a table being put together from its pieces."""

    __repr__ = value_repr

    row: int
    rows: int
    x0: float
    x1: float
    texts: list[str]
    first_page: int
    last_page: int


def _page_place(first: int, last: int) -> str:
    """``第5页``, or ``第5–6页`` for something running over several pages."""
    return f"第{first}页" if first == last else f"第{first}–{last}页"


def _same_columns(a: _PieceCell | _Cell, b: _PieceCell | _Cell) -> bool:
    """Whether two cells (on two pages) stand between the same two vertical rulings."""
    return abs(a.x0 - b.x0) <= _ALIGN and abs(a.x1 - b.x1) <= _ALIGN


class _Table:
    """A table put together piece by piece, page after page."""

    def __init__(self, piece: _Piece) -> None:
        self.cells: list[_Cell] = []
        self.height = 0
        self.first_page = self.last_page = piece.page
        # Each row's texts, to know a header row repeated on a new page.
        self.signatures: list[tuple[str, ...]] = []
        # The head the printer repeats at the top of each page (none: []), once known.
        self.head: list[tuple[str, ...]] | None = None
        self.tail: list[tuple[_PieceCell, _Cell]] = []
        self.last_piece = piece
        rows = {row: self.height + row for row in range(piece.rows)}
        self._place(piece, rows, {})
        self.height += piece.rows

    def _place(self, piece: _Piece, rows: dict[int, int], joined: dict[int, _Cell]) -> None:
        """Add a piece's cells at the given rows.

        ``joined`` maps a cell (by its index) already put into an earlier cell to
        that cell.
        """
        made: dict[int, _Cell] = {}
        for index, cell in enumerate(piece.cells):
            if index in joined:
                continue
            made[index] = _Cell(
                row=rows[cell.row],
                rows=cell.rows,
                x0=cell.x0,
                x1=cell.x1,
                texts=[cell.text],
                first_page=piece.page,
                last_page=piece.page,
            )
            self.cells.append(made[index])
        by_band: dict[int, list[_PieceCell]] = {}  # the cells by their first band, in order
        for cell in piece.cells:
            by_band.setdefault(cell.row, []).append(cell)
        for band in range(piece.rows):
            if band in rows and rows[band] >= len(self.signatures):
                starting = by_band.get(band, [])
                single = all(cell.rows == 1 for cell in starting)
                texts = tuple(cell.text for cell in starting)
                self.signatures.append(texts if single and any(texts) else ())
        self.tail = sorted(
            (
                (cell, joined.get(index) or made[index])
                for index, cell in enumerate(piece.cells)
                if cell.row + cell.rows == piece.rows
            ),
            key=lambda pair: pair[0].x0,
        )
        self.last_piece = piece
        self.last_page = piece.page

    def repeated_header(self, piece: _Piece) -> int:
        """How many of a new piece's first rows are a head the printer repeated."""
        count, head = self._repeat(piece)
        return count if head else 0

    def _repeat(self, piece: _Piece, *, learn: bool = False) -> tuple[int, bool]:
        """How many first rows of a new piece repeat the table's, and whether a head.

        A head (what a printer prints again on every page) is the table's own first
        rows (Word repeats those) or rows with text in every cell (a spreadsheet's
        print titles: the header rows), and the same on every page: the first page
        the table runs on to says whether it has one. Rows repeating other rows (an
        indicator row printed twice; the next form's header, stacked in one table, at
        the top of a page) are left as printed.
        """
        for count in range(min(5, piece.rows - 1), 0, -1):
            wanted: list[tuple[str, ...]] = []
            for band in range(count):
                starting = piece.starting(band)
                if not starting or any(cell.rows != 1 for cell in starting):
                    break
                wanted.append(tuple(cell.text for cell in starting))
            else:
                if not any(any(texts) for texts in wanted):
                    continue
                for start in range(len(self.signatures) - count + 1):
                    if self.signatures[start : start + count] == wanted:
                        head = start == 0 or all(all(texts) for texts in wanted)
                        if learn and self.head is None:
                            self.head = wanted if head else []
                        same = self.head is None or wanted == self.head
                        return count, head and same
        if learn and self.head is None:
            self.head = []
        return 0, False

    def append(self, piece: _Piece) -> None:
        """Continue the table with its piece on the next page.

        A head the printer repeated at the top of the page is left out: the table
        goes on below it as if it were not there (a row cut by the page break, a
        merged cell running over it).
        """
        header, head = self._repeat(piece, learn=True)
        reprinted = head and header > 0
        if reprinted:
            piece = _without_head(piece, header)
            header = 0
        first = [(index, cell) for index, cell in enumerate(piece.cells) if cell.row == header]
        above = {index: pair for index, cell in first if (pair := self._above(cell))}
        whole = len(above) == len(first) == len(self.tail) > 0
        if whole and _row_cut(
            self.last_piece,
            [old for old, _ in self.tail],
            [cell for _, cell in first],
            header=header,
        ):
            self._append_cut(piece, header, first, above)
        else:
            self._append_below(piece, header, first, above, reprinted=reprinted)

    def _append_cut(
        self,
        piece: _Piece,
        header: int,
        first: list[tuple[int, _PieceCell]],
        above: dict[int, tuple[_PieceCell, _Cell]],
    ) -> None:
        """Add a piece whose first row holds the second half of the table's last row.

        Each cell of that row (the first after a repeated header) goes into the
        cell above it.
        """
        last_row = self.height - 1
        rows = {}
        for band in range(piece.rows):
            if band < header:
                rows[band] = self.height + band
            elif band == header:
                rows[band] = last_row
            else:
                rows[band] = self.height + band - 1
        joined: dict[int, _Cell] = {}
        remainders: list[_Cell] = []
        for index, cell in first:
            old, into = above[index]
            joined[index] = into
            if old.open_bottom and cell.open_top:
                _join_cut(old, cell, into)
            else:
                into.texts.append(_space_between(old.lines, cell.lines) + cell.visible)
            into.last_page = piece.page
            if cell.rows > 1 and header == 0:
                into.rows += cell.rows - 1
            elif cell.rows > 1:
                # The repeated header stands between the row's halves: the rest of
                # the merged cell starts again below it.
                row = self.height + header
                remainders.append(
                    _Cell(row, cell.rows - 1, cell.x0, cell.x1, [""], piece.page, piece.page)
                )
        self._place(piece, rows, joined)
        self.cells.extend(remainders)
        self.height += piece.rows - 1

    def _append_below(
        self,
        piece: _Piece,
        header: int,
        first: list[tuple[int, _PieceCell]],
        above: dict[int, tuple[_PieceCell, _Cell]],
        *,
        reprinted: bool = False,
    ) -> None:
        """Add a piece whose rows follow the table's last row.

        A cell that continues a merged cell across the page break (no ruling between
        them, or an empty continuation of a merged label) goes into it. Below a head
        printed again (``reprinted``, left out of the piece) a cell open at the foot
        of the page before goes on in the cell below the head.
        """
        joined: dict[int, _Cell] = {}
        # A printer that leaves a merged cell open at the page cut (a spreadsheet)
        # closes only the cells that end there: an empty cell below a closed one is
        # a cell of its own (an empty note below its merged header).
        leaves_open = any(old.open_bottom for old, _ in self.tail)
        # Labels merged down stand at the left of their rows (绩效指标, 一级指标, the
        # goal's label): an empty cell right of a new row's text is that row's own.
        labels = True
        for index, cell in first:
            if index not in above or header:
                labels = False
                continue
            old, into = above[index]
            cut_through = old.open_bottom and (cell.open_top or reprinted)
            # Word's printers close both parts of a merged cell at the page break; the
            # part below is empty, and merged on or standing under a merged label.
            merged_on = (
                not leaves_open
                and not cell.text  # nor its text printed below, past the page (its own)
                and (cell.rows > 1 or (labels and into.rows > 1))
            )
            labels = labels and (cut_through or merged_on)
            if cut_through or merged_on:
                joined[index] = into
                if cut_through:
                    _join_cut(old, cell, into)
                into.rows += cell.rows
                into.last_page = piece.page
        self._place(piece, {band: self.height + band for band in range(piece.rows)}, joined)
        self.height += piece.rows

    def _above(self, cell: _PieceCell) -> tuple[_PieceCell, _Cell] | None:
        """The table's bottom cell standing over a cell of a new piece's first row."""
        for pair in self.tail:
            if _same_columns(pair[0], cell):
                return pair
        return None

    def grid(self) -> Grid:
        """The finished table as a grid, its columns the union of all its rulings."""
        edges = sorted({edge for cell in self.cells for edge in (cell.x0, cell.x1)})
        columns: list[float] = []
        for edge in edges:
            if not columns or edge - columns[-1] > _ALIGN:
                columns.append(edge)

        def column(x: float) -> int:
            index = bisect.bisect_left(columns, x - _ALIGN)
            return min(index, len(columns) - 1)

        cells = []
        for cell in sorted(self.cells, key=lambda cell: (cell.row, cell.x0)):
            start = column(cell.x0)
            cells.append(
                GridCell(
                    row=cell.row,
                    column=start,
                    text="".join(cell.texts),
                    rows=cell.rows,
                    columns=max(1, column(cell.x1) - start),
                    place=_page_place(cell.first_page, cell.last_page),
                )
            )
        return Grid(cells, _page_place(self.first_page, self.last_page))


def _without_head(piece: _Piece, count: int) -> _Piece:
    """A piece without its first ``count`` rows (a head printed again on its page)."""
    cells = [attrs.evolve(cell, row=cell.row - count) for cell in piece.cells if cell.row >= count]
    ys = piece.ys[count:]
    return attrs.evolve(piece, top=ys[0], rows=piece.rows - count, cells=cells, ys=ys)


def _join_cut(old: _PieceCell, new: _PieceCell, into: _Cell) -> None:
    """Join the two parts of a cell with no ruling at the page break.

    A spreadsheet prints a cut merged cell's whole text on both pages, each copy
    clipped: the same text twice means one text. Otherwise the parts are the two
    halves of the text, printed once each.
    """
    if old.whole and old.whole == new.whole:
        into.texts[-1:] = [old.whole]
    else:
        into.texts.append(_space_between(old.lines, new.lines) + new.visible)


def _space_between(above: Sequence[_Line], below: Sequence[_Line]) -> str:
    """One space where a space glyph stood at a page break inside a cell, else nothing."""
    if (above and above[-1].space_after) or (below and below[0].space_before):
        return " "
    return ""


def _row_cut(above: _Piece, olds: list[_PieceCell], news: list[_PieceCell], *, header: int) -> bool:
    """Whether the page break cut the table's last row in two (see the module doc).

    ``olds`` are the bottom cells of the piece above, ``news`` the cells of the first
    row of the piece below (after ``header`` repeated header rows), matched one to one.
    """
    if all(cell.open_bottom for cell in olds) or (
        header == 0 and all(cell.open_top for cell in news)
    ):
        return True
    bottoms = [cell.lines[-1].bottom for cell in olds if cell.lines]
    if not bottoms or not any(cell.lines for cell in news):
        return False
    row_bottom = max(bottoms)

    def reaches(cell: _PieceCell) -> bool:
        if not cell.lines:
            return False
        last = cell.lines[-1]
        return last.bottom >= row_bottom - (last.bottom - last.top) / 2

    # The cells of the row itself, and those merged down from the rows above (a label,
    # a header over two rows): where a merged cell's text ends says nothing of where
    # the row's own texts end, and a printer may carry a merged cell's last words
    # over the page though its part above had room (LibreOffice does).
    own = [old.row == above.rows - 1 for old in olds]
    pairs = [(old, new, mine) for old, new, mine in zip(olds, news, own, strict=True) if new.lines]
    if any(not old.lines or (mine and not reaches(old)) for old, _, mine in pairs):
        return False  # text below a cell whose own text ended above: a new row's
    if any(not mine and not _wrapped(old, new, above.padding) for old, new, mine in pairs):
        return False  # a merged cell's text ends above: the text below is a new cell's
    if any(old.lines and not reaches(old) for old, mine in zip(olds, own, strict=True) if mine):
        # The row above is uneven, and text went on only below its longest cells.
        return True
    return all(_wrapped(old, new, above.padding) for old, new, _ in pairs)


def _wrapped(old: _PieceCell, new: _PieceCell, padding: float) -> bool:
    """Whether a cell's last line above was full: the text below would not fit on it.

    A typesetter wraps a line when the next unbreakable piece (a CJK character, a
    Latin word or number) does not fit; a CJK punctuation mark that may not start a
    line takes the character before it along. The room a line has is the cell's
    width less its padding: the table's, or where the cell's own lines (wrapped, so
    the widest starts at the padding) stand further in, theirs.
    """
    last, following = old.lines[-1], new.lines[0]
    if len(old.lines) > 1:
        padding = min(max(padding, min(line.x0 for line in old.lines) - old.x0), 2 * padding)
    room = old.x1 - old.x0 - 2 * padding
    used = last.x1 - last.x0
    latin = not last.ends_wide and not following.starts_wide
    slack = 1.0 + (0.35 * last.size if latin else 0.0)
    one_word = (
        latin
        and not (last.space_after or following.space_before)
        and last.text[-1:] not in _BREAK_AFTER
    )
    if one_word and last.tail + following.lead > room - slack:
        # One word too long for any line: the typesetter breaks it where the line is
        # full, so the line above was full only if the next character did not fit
        # (``15.00`` above ``15.00`` is two numbers, not ``15.0015.00`` broken).
        return used + following.first > room - 1.0
    if used + following.lead > room - slack:
        return True
    opening = following.text[:1]
    return opening in _NO_LINE_START and used + last.last + following.lead > room - slack


def _continues(table: _Table, previous: _PageText, page: _PageRead, piece: _Piece) -> bool:
    """Whether a page's first piece continues the table that ended the page before."""
    above = table.last_piece
    if above.page != previous.number or piece.page != previous.number + 1:
        return False
    if abs(above.x0 - piece.x0) > _ALIGN or abs(above.x1 - piece.x1) > _ALIGN:
        return False
    below_table = [line for line in previous.lines if line.top >= above.bottom - 1]
    if not all(_furniture(line, page.text.lines, line.top - above.bottom) for line in below_table):
        return False
    # A spreadsheet prints a copy of a cut merged cell's text on the next page too,
    # clipped away: in the margin or behind a repeated header row.
    cut = [(old.x0, old.x1) for old, _ in table.tail if old.open_bottom]
    above_piece = [
        line
        for line in page.text.lines
        if line.bottom <= piece.top + 1
        and not any(x0 - 1 <= line.x0 and line.x1 <= x1 + 1 for x0, x1 in cut)
    ]
    if not all(_furniture(line, previous.lines, piece.top - line.bottom) for line in above_piece):
        return False
    # The page before had no room for the next row: the table's bottom plus the
    # height of the row that opens the new page passes the foot of the page body,
    # taking the bottom margin to be about as wide as the top one (where the new
    # page's body starts: with the table, as only furniture stands above it).
    next_row = piece.band_height(table.repeated_header(piece))
    return above.bottom + next_row > previous.height - piece.top - _ROOM

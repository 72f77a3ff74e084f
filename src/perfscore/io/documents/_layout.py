"""Reading a table from text laid out in columns (``pdftotext -layout`` and the like).

Such text keeps each cell's horizontal place: the header row's words give the
columns' left edges, and every word below belongs to the column whose edge is the
nearest at or left of it. Rows are found by their figures: a line with a weight (else a
score, an actual) is a row's middle line, and the other lines of each column are given
to rows as whole runs of consecutive lines (a run holding several rows' middle lines is
cut half-way between them; a run holding none goes to the nearest row). A merged
一级 or 二级 label, printed in the middle of the rows it covers, covers the rows that
centre on it, one group after another.

Where it gives up: columns too narrow for the extraction to leave a space between them
(``标大数据``: two cells in one word) put a word in one column only; a table whose header
row is wrapped over several lines is not read here (the stream reader takes it).
"""

from __future__ import annotations

import re
from functools import partial
from itertools import pairwise
from typing import TYPE_CHECKING, Final, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


_GAP: Final = re.compile(r"\S+")
_WIDE_GAP: Final = re.compile(r"\S {3,}\S")


class Word(NamedTuple):
    """A word of a laid-out line: its text, its line (an index) and its column."""

    text: str
    line: int
    x: int


def words_of(lines: Sequence[str], start: int, stop: int) -> list[list[Word]]:
    """The words of lines ``start`` to ``stop``, each with its column.

    Laid-out text places words by characters, a CJK character counting one like any
    other (pdftotext ``-layout`` does so): a column is a character's index.
    """
    found: list[list[Word]] = []
    for index in range(start, stop):
        text = lines[index]
        found.append([Word(match.group(), index, match.start()) for match in _GAP.finditer(text)])
    return found


def looks_laid_out(lines: Sequence[str]) -> bool:
    """Whether a third or more of the lines with words have wide gaps between words."""
    printed = [line for line in lines if line.strip()]
    wide = sum(1 for line in printed if _WIDE_GAP.search(line.strip()))
    return bool(printed) and wide * 3 >= len(printed)


def _column_of(edges: Sequence[int], x: int) -> int:
    """The column whose left edge is the nearest at or left of ``x``."""
    column = 0
    for index, edge in enumerate(edges):
        if edge <= x:
            column = index
    return column


def column_edges(header: Sequence[Word]) -> list[int]:
    """Columns' left edges from a header row's words: half-way between two words.

    A header word is centred over its column or starts at its edge, and a cell's text
    starts at its edge: the edge lies between the end of one header word and the start
    of the next.
    """
    edges = []
    for index, word in enumerate(header):
        if index == 0:
            edges.append(max(0, word.x - 2))
            continue
        before = header[index - 1]
        end = before.x + len(before.text)
        edges.append((end + word.x + 1) // 2)
    return edges


def _slices(
    rows_of_words: Sequence[Sequence[Word]], edges: Sequence[int], left: int
) -> list[dict[int, list[Word]]]:
    """Each line's words by column; words left of ``left`` (a leading label) dropped."""
    sliced: list[dict[int, list[Word]]] = []
    for words in rows_of_words:
        line: dict[int, list[Word]] = {}
        for word in words:
            if word.x < left:
                continue
            line.setdefault(_column_of(edges, word.x), []).append(word)
        sliced.append(line)
    return sliced


def _runs(sliced: Sequence[dict[int, list[Word]]], column: int) -> list[tuple[int, int]]:
    """Runs of consecutive lines with words in ``column``, as ``(first, last)``."""
    runs: list[tuple[int, int]] = []
    for index, line in enumerate(sliced):
        if column not in line:
            continue
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def _assign(
    run: tuple[int, int], anchors: Sequence[int], filled: Callable[[int], bool]
) -> list[tuple[int, int, int]]:
    """A run's lines given to rows: ``(row, first, last)`` pieces.

    The run is cut half-way between every two rows' middle lines that fall around or in
    it; each piece goes to the nearest row. A line right half-way goes to the later row
    when that row's middle line is empty in this column (its cell is printed around
    it), else to the earlier.
    """
    first, last = run
    cuts: list[int] = []  # the last line of a piece
    for before, after in pairwise(anchors):
        middle = (before + after) / 2
        cut = int(middle)
        if middle == cut and not filled(after):
            cut -= 1
        if first <= cut < last:
            cuts.append(cut)
    pieces = []
    start = first
    for cut in [*cuts, last]:
        centre = (start + cut) / 2
        nearest = min(range(len(anchors)), key=lambda row: (abs(anchors[row] - centre), row))
        pieces.append((nearest, start, cut))
        start = cut + 1
    return pieces


def _filled(sliced: Sequence[dict[int, list[Word]]], column: int, line: int) -> bool:
    """Whether a line has words in a column."""
    return column in sliced[line]


def _text(sliced: Sequence[dict[int, list[Word]]], column: int, first: int, last: int) -> str:
    """A cell's text: its lines joined without characters, words on a line by a space."""
    return "".join(
        " ".join(word.text for word in sliced[index].get(column, []))
        for index in range(first, last + 1)
    )


class Cell(NamedTuple):
    """A cell read from laid-out text: its text and the lines it spans (indexes)."""

    text: str
    first: int
    last: int


def layout_rows(  # noqa: C901, PLR0913 - lines, columns, what marks rows and labels
    rows_of_words: Sequence[Sequence[Word]],
    columns: Sequence[tuple[int, str]],
    *,
    anchor_fields: Sequence[str],
    label_fields: Sequence[str] = (),
    left: int = 0,
    is_anchor: Callable[[str], bool],
    is_label: Callable[[str], bool] = bool,
) -> list[dict[str, Cell]]:
    """Rows of cells from laid-out lines, given the columns' left edges and fields.

    Args:
        rows_of_words: each line's words (see :func:`words_of`).
        columns: ``(left edge, field)`` for each column, left to right.
        anchor_fields: the fields whose figure marks a row's middle line, in order of
            preference.
        label_fields: merged labels printed once in the middle of their group.
        left: words left of this column are dropped (a merged leading label).
        is_anchor: whether a cell's text is a figure that marks a row.
        is_label: whether a merged label's lines so far make a whole label (labels of
            groups one after another print on lines one after another).
    """
    edges = [edge for edge, _ in columns]
    fields = [field for _, field in columns]
    sliced = _slices(rows_of_words, edges, left)
    anchors: list[int] = []
    for field in anchor_fields:
        if field not in fields:
            continue
        column = fields.index(field)
        anchors = [
            index
            for index, line in enumerate(sliced)
            if column in line and is_anchor(" ".join(w.text for w in line[column]))
        ]
        if anchors:
            break
    if not anchors:
        return []
    rows: list[dict[str, Cell]] = [{} for _ in anchors]
    labels: dict[str, list[Cell]] = {}
    for column, field in enumerate(fields):
        for run in _runs(sliced, column):
            if field in label_fields:
                labels.setdefault(field, []).extend(_split_labels(sliced, column, run, is_label))
                continue
            for row, first, last in _assign(run, anchors, partial(_filled, sliced, column)):
                cell = Cell(_text(sliced, column, first, last), first, last)
                known = rows[row].get(field)
                if known is not None:  # a cell's lines on both sides of another row's
                    cell = Cell(
                        known.text + cell.text, min(first, known.first), max(last, known.last)
                    )
                rows[row][field] = cell
    # The rows' extents before any label is spread over them.
    extents = []
    for cells_of_row, anchor in zip(rows, anchors, strict=True):
        firsts = [cell.first for cell in cells_of_row.values()] or [anchor]
        lasts = [cell.last for cell in cells_of_row.values()] or [anchor]
        extents.append((min(firsts), max(lasts)))
    for field, cells in labels.items():
        _spread_labels(rows, extents, field, cells)
    return rows


def _split_labels(
    sliced: Sequence[dict[int, list[Word]]],
    column: int,
    run: tuple[int, int],
    is_label: Callable[[str], bool],
) -> list[Cell]:
    """A run of label lines cut where the lines so far make a whole label."""
    cells = []
    start = run[0]
    for index in range(run[0], run[1] + 1):
        text = _text(sliced, column, start, index)
        if index == run[1] or is_label(text):
            cells.append(Cell(text, start, index))
            start = index + 1
    if start <= run[1]:  # pragma: no cover - the loop closes the last cell
        cells.append(Cell(_text(sliced, column, start, run[1]), start, run[1]))
    return cells


def _spread_labels(
    rows: list[dict[str, Cell]],
    extents: Sequence[tuple[int, int]],
    field: str,
    cells: Sequence[Cell],
) -> None:
    """Merged labels over the rows that centre on them, one group after another."""
    start = 0
    for index, cell in enumerate(cells):
        if start >= len(rows):
            break
        centre = (cell.first + cell.last) / 2
        left = len(cells) - index - 1  # labels still to place: each needs a row
        ends = range(start, len(rows) - left) if left else [len(rows) - 1]
        end = min(
            ends,
            key=lambda last: (abs((extents[start][0] + extents[last][1]) / 2 - centre), last),
            default=start,
        )
        for row in range(start, end + 1):
            rows[row][field] = cell
        start = end + 1


def layout_goal(
    rows_of_words: Sequence[Sequence[Word]], expected_x: int, achieved_x: int
) -> tuple[Cell, Cell]:
    """预期目标 and 实际完成情况 side by side: the words left and right of their edge."""
    parts: dict[str, list[tuple[int, str]]] = {"expected": [], "achieved": []}
    for words in rows_of_words:
        for field, chosen in (
            ("expected", [w for w in words if expected_x - 2 <= w.x < achieved_x - 2]),
            ("achieved", [w for w in words if w.x >= achieved_x - 2]),
        ):
            if chosen:
                parts[field].append((chosen[0].line, " ".join(w.text for w in chosen)))

    def cell(field: str) -> Cell:
        found = parts[field]
        if not found:
            return Cell("", -1, -1)
        return Cell("".join(text for _, text in found), found[0][0], found[-1][0])

    return cell("expected"), cell("achieved")

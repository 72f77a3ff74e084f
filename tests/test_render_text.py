"""The text layout: its wrapping, its grid and its width.

``display_width`` counts ASCII text by its length and remembers other texts; ``_grid``
wraps each cell once. Each is compared here with the straightforward version it
replaced, on hostile text: CJK and full-width characters, combining marks, line breaks
of every kind, control characters. Then the layout at a width: every line fits, every
cell's text is there, rows align whether ambiguous characters are narrow or wide, and
no folded line starts with a closing mark.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfscore import audit, load, score
from perfscore._text import break_lines, display_width, pad
from perfscore.render._shape import fund_rows, indicator_rows
from perfscore.render.text import (
    MIN_WIDTH,
    _columns,
    _grid,
    _wrap,
    render_fit,
    render_table,
    render_text,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

_CHARS = st.sampled_from(
    list("ab 7.%≥≤=>×“”·…")
    + list("件万元人次率满意度，。（）％")
    + ["\u0301", "\u20dd", "\n", "\r\n", "\u2028", "\x1c", "\t", "\x00", "Ａ", "😀"]
)
TEXT = st.lists(_CHARS, max_size=30).map("".join)


def reference_width(text: str, *, ambiguous_wide: bool = False) -> int:
    wide = {"W", "F", "A"} if ambiguous_wide else {"W", "F"}
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in wide else 1
    return width


def reference_wrap(text: str, width: int) -> list[str]:
    """A cell's lines: wrapping is break_lines' (its own rules are held in test_text.py)."""
    return [line for line, _ in break_lines(text, width)]


def reference_grid(
    headers: Sequence[str], rows: list[list[str]], widths: Sequence[int]
) -> list[str]:
    """The grid as it was: every cell wrapped at its limit, then again at its column."""
    table = [list(headers), *rows]
    columns = [
        min(
            max(
                max(reference_width(part) for part in reference_wrap(row[i], widths[i]))
                for row in table
            ),
            widths[i],
        )
        for i in range(len(headers))
    ]
    rule = "+" + "+".join("-" * (width + 2) for width in columns) + "+"
    out = [rule]
    for number, row in enumerate(table):
        wrapped = [reference_wrap(cell, width) for cell, width in zip(row, columns, strict=True)]
        for line in range(max(len(cell) for cell in wrapped)):
            parts = [
                (cell[line] if line < len(cell) else "")
                + " " * max(0, width - reference_width(cell[line] if line < len(cell) else ""))
                for cell, width in zip(wrapped, columns, strict=True)
            ]
            out.append("| " + " | ".join(parts) + " |")
        if number == 0:
            out.append(rule)
    out.append(rule)
    return out


@given(TEXT, st.booleans())
def test_display_width_counts_as_character_by_character(text, wide):
    assert display_width(text, ambiguous_wide=wide) == reference_width(text, ambiguous_wide=wide)
    assert display_width(text, ambiguous_wide=wide) == reference_width(text, ambiguous_wide=wide)


@given(TEXT, st.integers(min_value=1, max_value=12))
def test_pad_fills_to_the_width(text, width):
    assert pad(text, width) == text + " " * max(0, width - reference_width(text))


@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda columns: st.tuples(
            st.lists(TEXT, min_size=columns, max_size=columns),
            st.lists(st.lists(TEXT, min_size=columns, max_size=columns), max_size=4),
            st.lists(st.integers(min_value=1, max_value=10), min_size=columns, max_size=6),
        )
    )
)
def test_grid_wrapping_each_cell_once_gives_the_same_lines(grid):
    """Also with more widths than columns, as a scorecard without the audit's column has."""
    headers, rows, widths = grid
    assert _grid(headers, rows, widths) == reference_grid(headers, rows, widths)


def test_wrap_keeps_a_cell_that_fits_whole():
    assert _wrap("满意度≥95%", 10) == ["满意度≥95%"]
    assert _wrap("满意度≥95%", 6) == ["满意度", "≥95%"]
    assert _wrap("", 4) == [""]


def test_wrap_carries_a_closing_mark_down_with_the_character_before_it():
    """The cell the issue saw folded before 。 and ，: the mark goes with its character."""
    assert _wrap("预算目标值把握不准确，导致超出预期", 20) == [
        "预算目标值把握不准",
        "确，导致超出预期",
    ]
    assert _wrap("参赛样品合格率。", 14) == ["参赛样品合格", "率。"]
    assert _wrap("公众对产区（葡萄酒）的熟识度", 12) == ["公众对产区", "（葡萄酒）的", "熟识度"]


# ---------------------------------------------------------------------------------
# The layout at a width

EXAMPLES = Path(__file__).parent.parent / "examples" / "changji-2023"
SEED = EXAMPLES / "02_wine-competition-2022.json"
_CLOSING_START = re.compile(r"(^ *|\|)[，。、；：？！）》」』】〕…％”’·]")


def _grid_cells(text: str) -> list[str]:
    """Each column of each grid block, its lines joined, without white space."""
    columns: dict[tuple[int, int], str] = {}
    block = 0
    for line in text.splitlines():
        if line.startswith("+"):
            block += 1
        elif line.startswith("|"):
            for at, part in enumerate(line[1:-1].split("|")):
                columns[block, at] = columns.get((block, at), "") + part
    return ["".join(column.split()) for column in columns.values()]


def _seed_card():
    return score(load(SEED)[0], profile="changji-2023")


@pytest.mark.parametrize("width", [MIN_WIDTH, 80, 100, 120])
def test_the_seed_table_fits_with_every_cell_there(width):
    """At a width every line fits, and every cell's text is in its column, whole."""
    card = _seed_card()
    text = render_text(card, width=width)
    assert max(map(display_width, text.splitlines())) <= width
    columns = "\n".join(_grid_cells(text))
    cells = [cell for row in [*fund_rows(card), *indicator_rows(card)] for cell in row if cell]
    assert len(cells) == 75
    for cell in cells:
        assert "".join(cell.split()) in columns
    assert "预算目标值把握不准确，导致超出预期" in columns
    flat = "".join(text.split())
    for item in card.items:  # the explanations, folded, every character kept
        assert "".join(item.explanation.split()) in flat


def test_without_a_width_the_fixed_layout_stays():
    """No width: the layout of a file or a pipe, as wide as its fixed columns."""
    text = render_text(_seed_card())
    assert max(map(display_width, text.splitlines())) == 143
    assert "| 一级指标   | 二级指标     | 三级指标                 |" in text


def test_a_width_below_the_least_is_laid_out_at_the_least():
    """MIN_WIDTH is the narrowest layout, whatever is asked."""
    card = _seed_card()
    assert render_text(card, width=20) == render_text(card, width=MIN_WIDTH)


@pytest.mark.parametrize("width", [None, MIN_WIDTH, 80, 100])
def test_no_folded_line_starts_with_a_closing_mark(width):
    """Every example audited: no line nor grid cell line starts with ，。》 and their kind."""
    for table in load(EXAMPLES):
        report = audit(table, profile="changji-2023")
        text = render_text(report.scorecard, findings=report.findings, width=width)
        starts = [line for line in text.splitlines() if _CLOSING_START.search(line)]
        assert starts == []
        lines = text.splitlines()
        for line in lines:
            for part in line.strip("|").split("|"):
                assert part.strip() not in {"。", "，", "、", "）", "》"}


@pytest.mark.parametrize("wide", [False, True])
@pytest.mark.parametrize("width", [None, 80])
def test_rows_align_with_ambiguous_characters_narrow_or_wide(wide, width):
    """The ≠ mark and “ ” are ambiguous: each grid's lines are equally wide either way."""
    report = audit(load(SEED)[0], profile="changji-2023")
    text = render_text(report.scorecard, findings=report.findings, width=width, ambiguous_wide=wide)
    assert "≠" in text
    grids = _grid_lines(text)
    assert len(grids) == 2
    for grid in grids:
        assert len({display_width(line, ambiguous_wide=wide) for line in grid}) == 1
        # counted the other way, the ≠ row is one column out
    indicator_grid = grids[1]
    assert len({display_width(line, ambiguous_wide=not wide) for line in indicator_grid}) == 2


def _grid_lines(text: str) -> list[list[str]]:
    grids: list[list[str]] = []
    inside = False
    for line in text.splitlines():
        if line[:1] in {"+", "|"}:
            if not inside:
                grids.append([])
            grids[-1].append(line)
            inside = True
        else:
            inside = False
    return grids


@given(
    st.lists(st.lists(TEXT, min_size=3, max_size=3), min_size=1, max_size=4),
    st.integers(min_value=MIN_WIDTH, max_value=100),
    st.booleans(),
)
def test_a_grid_at_a_width_fits_and_aligns(rows, width, wide):
    """Any cells: every line of the grid is the same width, within the total given."""
    rows = [[" ".join(cell.splitlines()) for cell in row] for row in rows]
    lines = _grid(["一", "二", "三"], rows, (40, 40, 40), total=width, ambiguous_wide=wide)
    sizes = {display_width(line, ambiguous_wide=wide) for line in lines}
    assert len(sizes) == 1
    assert sizes.pop() <= width


def test_show_and_fit_fit_a_width():
    """perfscore show's columns and fit's lines fold to the width too."""
    from perfscore import fit  # noqa: PLC0415

    table = load(SEED)[0]
    shown = render_table(table, width=80)
    assert max(map(display_width, shown.splitlines())) <= 80
    assert max(map(display_width, render_table(table).splitlines())) > 80
    fitted = render_fit(fit(load(EXAMPLES)), top=1, width=80)
    assert max(map(display_width, fitted.splitlines())) <= 80


def test_columns_fold_cells_within_their_column():
    """_columns at a width: each cell folds in its own column, the columns stay aligned."""
    rows = [["名称", "说明"], ["a", "很长的说明文字，" * 12]]
    lines = _columns(rows, width=MIN_WIDTH)
    assert max(map(display_width, lines)) <= MIN_WIDTH
    assert all(line.startswith(("名称  ", "a     ", "      ")) for line in lines)
    assert "".join(line[6:] for line in lines[1:]) == "很长的说明文字，" * 12

"""The text layout's wrapping and grid, held to the plain character-by-character ways.

``display_width`` counts ASCII text by its length and remembers other texts;
``_wrap`` keeps a paragraph that fits whole; ``_grid`` wraps each cell once. Each is
compared here with the straightforward version it replaced, on hostile text: CJK and
full-width characters, combining marks, line breaks of every kind, control
characters.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from hypothesis import given
from hypothesis import strategies as st

from perfscore._text import display_width, pad
from perfscore.render.text import _grid, _wrap

if TYPE_CHECKING:
    from collections.abc import Sequence

_CHARS = st.sampled_from(
    list("ab 7.%≥≤=>")
    + list("件万元人次率满意度，。（）％")
    + ["\u0301", "\u20dd", "\n", "\r\n", "\u2028", "\x1c", "\t", "\x00", "Ａ", "😀"]
)
TEXT = st.lists(_CHARS, max_size=30).map("".join)


def reference_width(text: str) -> int:
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1
    return width


def reference_wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, used = "", 0
        for char in paragraph:
            size = reference_width(char)
            if used + size > width and line:
                lines.append(line)
                line, used = "", 0
            line += char
            used += size
        lines.append(line)
    return lines


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


@given(TEXT)
def test_display_width_counts_as_character_by_character(text):
    assert display_width(text) == reference_width(text)
    assert display_width(text) == reference_width(text)  # remembered, the same


@given(TEXT, st.integers(min_value=1, max_value=12))
def test_pad_fills_to_the_width(text, width):
    assert pad(text, width) == text + " " * max(0, width - reference_width(text))


@given(TEXT, st.integers(min_value=1, max_value=12))
def test_wrap_breaks_as_character_by_character(text, width):
    assert _wrap(text, width) == reference_wrap(text, width)


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

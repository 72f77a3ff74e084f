"""Text helpers: normalising printed cells, and measuring text in a terminal.

Printed tables spell the same thing many ways: full-width digits and signs, look-alike
comparators, stray spaces. :func:`fold` maps a cell to one spelling and keeps, for every
character of the result, the index of the character it came from, so an error can
point at the spot in the text the user gave.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

__all__ = ["SHOWN_CHARACTERS", "caret_line", "display_width", "fold", "pad", "shorten"]

# Characters NFKC leaves alone that tables use as comparators, dashes or separators.
_LOOKALIKES: Final[dict[str, str]] = {
    "≥": ">=",
    "≧": ">=",
    "⩾": ">=",
    "≮": ">=",  # "not less than"
    "≤": "<=",
    "≦": "<=",
    "⩽": "<=",
    "≯": "<=",  # "not greater than"
    "═": "=",  # box-drawing double line, from PDF conversions
    "〓": "=",
    "—": "-",
    "–": "-",
    "―": "-",
    "‐": "-",
    "‑": "-",
    "−": "-",  # minus sign
    "。": ".",  # a full stop typed for a decimal point
    "×": "*",
    "·": "*",
    "•": "*",
    "∙": "*",
    "／": "/",
    "÷": "/",
}

_LOOKALIKE_OR_SPACE: Final = re.compile(f"[{re.escape(''.join(_LOOKALIKES))}]|\\s")

_WIDE: Final[frozenset[str]] = frozenset({"W", "F"})


def fold(text: str) -> tuple[str, tuple[int, ...]]:
    """Normalise a cell for reading and map each result character to its source.

    NFKC turns full-width digits and signs into ASCII (``１２％`` → ``12%``,
    ``＞＝`` → ``>=``); look-alike comparators and dashes are mapped on top
    (``≥`` → ``>=``, ``═`` → ``=``, ``—`` → ``-``); all white space is dropped.

    Args:
        text: the cell as printed.

    Returns:
        The folded text and, for each of its characters, the index in ``text`` of the
        character it came from.

    >>> fold("≥ 95 ％")
    ('>=95%', (0, 0, 2, 3, 5))
    """
    if unicodedata.is_normalized("NFKC", text) and not _LOOKALIKE_OR_SPACE.search(text):
        # Most cells need no change: NFKC leaves each character of an NFKC text alone.
        return text, tuple(range(len(text)))
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        mapped = unicodedata.normalize("NFKC", char)
        mapped = "".join(_LOOKALIKES.get(part, part) for part in mapped)
        for part in mapped:
            if part.isspace():
                continue
            chars.append(part)
            origin.append(index)
    return "".join(chars), tuple(origin)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK and full-width characters take two.

    >>> display_width("件700"), display_width("700")
    (5, 3)
    """
    if text.isascii():  # every ASCII character takes one column
        return len(text)
    return _wide_text_width(text)


@lru_cache(maxsize=8192)
def _wide_text_width(text: str) -> int:
    """``display_width`` of a text that is not all ASCII (cells repeat: worked out once)."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in _WIDE else 1
    return width


def pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` terminal columns.

    >>> pad("件", 4) + "|"
    '件  |'
    """
    return text + " " * max(0, width - display_width(text))


def caret_line(text: str, position: int) -> str:
    """A line with a caret under ``text[position]``, counting wide characters as two.

    >>> caret_line(">=件700", 2)
    '  ^'
    """
    position = max(0, min(position, len(text)))
    return " " * display_width(text[:position]) + "^"


SHOWN_CHARACTERS: Final = 24
"""How much of a long number or text a message quotes (see :func:`shorten`)."""


def shorten(text: str, limit: int = SHOWN_CHARACTERS) -> str:
    """Text as a message quotes it: whole up to ``limit`` characters, else its start.

    A message never spells out a number of a million digits a hostile input holds;
    it says how long the rest is.

    >>> shorten("2023"), shorten("9" * 100)
    ('2023', '999999999999999999999999… (100 characters)')
    """
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} characters)"

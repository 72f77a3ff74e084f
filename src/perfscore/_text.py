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
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Callable


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

# A table of every character of Unicode would take a second or more to build, and cells
# use a few hundred characters: the translation tables here and in perfscore.cells are
# filled as characters are first seen, up to this many (text of every script at once
# would grow them to all of Unicode); a character past it is worked out each time.
_TABLE_LIMIT: Final = 1 << 14


class CharacterTable(dict[int, str]):
    """A ``str.translate`` table filled as characters are first seen.

    ``text.translate(table)`` maps each character to ``function(char)``, running in C
    for every character seen before; ``function`` must map each character on its own.

    >>> vowels = CharacterTable(lambda char: "v" if char in "aeiou" else "-")
    >>> "perfscore".translate(vowels)
    '-v----v-v'
    """

    __slots__ = ("_function",)

    def __init__(self, function: Callable[[str], str]) -> None:
        super().__init__()
        self._function = function

    def __missing__(self, code: int) -> str:
        """Work out a character not in the table, and keep it while there is room."""
        value = self._function(chr(code))
        if len(self) < _TABLE_LIMIT:
            self[code] = value
        return value

    def cache_clear(self) -> None:
        """Forget every character (for benchmarks that measure a first reading)."""
        self.clear()


def _fold_character(char: str) -> str:
    """What one character folds to: NFKC, look-alikes mapped, white space dropped."""
    mapped = unicodedata.normalize("NFKC", char)
    if len(mapped) == 1:  # nearly every character: no joins, no loop
        mapped = _LOOKALIKES.get(mapped, mapped)
        return "" if mapped.isspace() else mapped
    mapped = "".join(_LOOKALIKES.get(part, part) for part in mapped)
    return "".join(part for part in mapped if not part.isspace())


_FOLDED: Final = CharacterTable(_fold_character)
# How many characters each character folds to, as one character: chr(0), chr(1) …
_LENGTHS: Final = CharacterTable(lambda char: chr(len(_FOLDED[ord(char)])))
_NOT_ONE: Final = re.compile("[^\x01]")  # in a text of lengths: a character that is not 1:1


def fold(text: str) -> tuple[str, tuple[int, ...]]:
    """Normalise a cell for reading and map each result character to its source.

    NFKC turns full-width digits and signs into ASCII (``１２％`` → ``12%``,
    ``＞＝`` → ``>=``); look-alike comparators and dashes are mapped on top
    (``≥`` → ``>=``, ``═`` → ``=``, ``—`` → ``-``); all white space is dropped.
    Each character is folded on its own (NFKC does not join a letter and a combining
    mark that follows it), unless the text needs no change at all.

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
    # Two translations, both run in C: the folded text, and how long each character's
    # share of it is; the origin is then built from the few characters that are not
    # one for one (a space dropped, >= for ≥).
    lengths = text.translate(_LENGTHS)
    origin: list[int] = []
    start = 0
    for odd in _NOT_ONE.finditer(lengths):
        at = odd.start()
        origin += range(start, at)
        origin += (at,) * ord(odd.group())
        start = at + 1
    origin += range(start, len(text))
    return text.translate(_FOLDED), tuple(origin)


def fold_text(text: str) -> str:
    """The folded text of :func:`fold`, for a caller that needs no origins.

    >>> fold_text("≥ 95 ％")
    '>=95%'
    """
    if unicodedata.is_normalized("NFKC", text) and not _LOOKALIKE_OR_SPACE.search(text):
        return text
    return text.translate(_FOLDED)


_WIDE: Final[frozenset[str]] = frozenset({"W", "F"})


def _columns(char: str) -> str:
    """The columns a character takes, as that many characters (``""`` for none)."""
    if unicodedata.combining(char):
        return ""
    return "ww" if unicodedata.east_asian_width(char) in _WIDE else "w"


_COLUMNS: Final = CharacterTable(_columns)


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
    return len(text.translate(_COLUMNS))


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

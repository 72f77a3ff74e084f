"""Text helpers: normalising printed cells, and measuring text in a terminal.

Printed tables spell the same thing many ways: full-width digits and signs, look-alike
comparators, stray spaces. :func:`fold` maps a cell to one spelling and keeps, for every
character of the result, the index of the character it came from, so an error can
point at the spot in the text the user gave.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
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
        invisible = mapped.isspace() or (len(mapped) == 1 and unicodedata.category(mapped) == "Cf")
        return "" if invisible else mapped
    mapped = "".join(_LOOKALIKES.get(part, part) for part in mapped)
    return "".join(
        part for part in mapped if not part.isspace() and unicodedata.category(part) != "Cf"
    )


_FOLDED: Final = CharacterTable(_fold_character)
# How many characters each character folds to, as one character: chr(0), chr(1) …
_LENGTHS: Final = CharacterTable(lambda char: chr(len(_FOLDED[ord(char)])))
_NOT_ONE: Final = re.compile("[^\x01]")  # in a text of lengths: a character that is not 1:1


def _unchanged(text: str) -> bool:
    """Whether folding leaves a text as it is (checked in C, before any folding).

    Not if it holds a look-alike, white space, or a character that is not printable: an
    invisible format character (zero-width space, direction mark, byte order mark) is
    dropped, as white space is.
    """
    return (
        text.isprintable()
        and unicodedata.is_normalized("NFKC", text)
        and not _LOOKALIKE_OR_SPACE.search(text)
    )


def fold(text: str) -> tuple[str, tuple[int, ...]]:
    """Normalise a cell for reading and map each result character to its source.

    NFKC turns full-width digits and signs into ASCII (``１２％`` → ``12%``,
    ``＞＝`` → ``>=``); look-alike comparators and dashes are mapped on top
    (``≥`` → ``>=``, ``═`` → ``=``, ``—`` → ``-``); all white space and invisible format
    characters (zero-width spaces, direction marks, a byte order mark) are dropped.
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
    if _unchanged(text):
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
    if _unchanged(text):
        return text
    return text.translate(_FOLDED)


_WIDE: Final[frozenset[str]] = frozenset({"W", "F"})
_WIDE_OR_AMBIGUOUS: Final[frozenset[str]] = frozenset({"W", "F", "A"})


def _columns(char: str) -> str:
    """The columns a character takes, as that many characters (``""`` for none)."""
    if unicodedata.combining(char):
        return ""
    return "ww" if unicodedata.east_asian_width(char) in _WIDE else "w"


def _columns_ambiguous_wide(char: str) -> str:
    """As :func:`_columns`, with East Asian ambiguous characters (``≥ × “``) taking two."""
    if unicodedata.combining(char):
        return ""
    return "ww" if unicodedata.east_asian_width(char) in _WIDE_OR_AMBIGUOUS else "w"


_COLUMNS: Final = CharacterTable(_columns)
_COLUMNS_AMBIGUOUS_WIDE: Final = CharacterTable(_columns_ambiguous_wide)


def display_width(text: str, *, ambiguous_wide: bool = False) -> int:
    """Columns ``text`` takes in a terminal: CJK and full-width characters take two.

    East Asian *ambiguous* characters (``≥ ≤ × “ ” · …``) take one column in most
    terminals and two in those set up for CJK (a CJK locale's console, a terminal's
    "ambiguous width: wide" setting); ``ambiguous_wide`` counts them as two.

    >>> display_width("件700"), display_width("700")
    (5, 3)
    >>> display_width("≥95%"), display_width("≥95%", ambiguous_wide=True)
    (4, 5)
    """
    if text.isascii():  # every ASCII character takes one column
        return len(text)
    if ambiguous_wide:
        return _ambiguous_wide_text_width(text)
    return _wide_text_width(text)


@lru_cache(maxsize=8192)
def _wide_text_width(text: str) -> int:
    """``display_width`` of a text that is not all ASCII (cells repeat: worked out once)."""
    return len(text.translate(_COLUMNS))


@lru_cache(maxsize=8192)
def _ambiguous_wide_text_width(text: str) -> int:
    """``display_width`` with ambiguous characters wide, of a text that is not all ASCII."""
    return len(text.translate(_COLUMNS_AMBIGUOUS_WIDE))


# Line breaking by the Chinese rules (GB/T 15834-2011, W3C "Requirements for Chinese
# Text Layout" 3.1.7 禁则): no line starts with a closing mark, and none ends with an
# opening one. The ellipsis and the dash count as closing, so that ``……`` and ``——``
# (one mark each) are never split and never start a line; so does the 间隔号 ``·``.
CLOSING_MARKS: Final = frozenset(
    "，。、；：？！）》」』】〕〉〗〙〛｝］｠’”…—·‥％‰℃°,.;:?!)]}%｡､"  # half-width 。、
)
"""Marks no line may start with (closing brackets and quotes, pause and stop marks)."""
OPENING_MARKS: Final = frozenset("（《「『【〔〈〖〘〚｛［｟‘“([{")
"""Marks no line may end with (opening brackets and quotes)."""
# Latin words, numbers and comparisons are not split either (``428.71``, ``>=700``,
# ``changji-2023``): no break between two printable ASCII characters.
_GLUED: Final = frozenset(map(chr, range(0x21, 0x7F)))


def may_break(before: str, after: str) -> bool:
    """Whether a line may end after ``before`` and the next start with ``after``.

    Not before a closing mark, a space (it stays at the end of its line) or a
    combining mark; not after an opening mark; not inside a Latin word or a number,
    except after a hyphen that a letter follows (``direction-`` / ``suspect``).

    >>> may_break("字", "字"), may_break("字", "。"), may_break("（", "字")
    (True, False, False)
    >>> may_break("4", "."), may_break("=", "7"), may_break("b", " "), may_break(" ", "b")
    (False, False, False, True)
    >>> may_break("-", "s"), may_break("-", "2")
    (True, False)
    """
    return not (
        after in CLOSING_MARKS
        or before in OPENING_MARKS
        or after == " "
        or (before in _GLUED and after in _GLUED and not (before == "-" and after.isalpha()))
        or unicodedata.combining(after)
    )


def longest_run(text: str, *, ambiguous_wide: bool = False) -> int:
    """The width of the widest part of ``text`` that :func:`may_break` keeps on one line.

    A column at least this wide breaks the text only where the rules allow.

    >>> longest_run("<=305.71 万元"), longest_run("参赛样品。")
    (9, 4)
    """
    longest = used = 0
    before = ""
    for char in text:
        if char in "\n\r" or (before and may_break(before, char)):
            longest, used = max(longest, used), 0
        if char not in "\n\r":
            used += display_width(char, ambiguous_wide=ambiguous_wide)
        before = char
    return max(longest, used)


def break_lines(
    text: str, width: int, *, ambiguous_wide: bool = False
) -> tuple[tuple[str, int], ...]:
    """Break ``text`` into lines of at most ``width`` terminal columns, each with its width.

    Each paragraph (a line of ``text``) is broken on its own, greedily, at the last
    place :func:`may_break` allows that keeps the line within ``width``: a closing
    mark is carried to the next line with the character before it, an opening mark
    goes down with the character after it. Where a line holds no such place at all
    (a run of marks, a word or a number wider than ``width``), it is broken at the
    width all the same: every line fits, whatever the text. Nothing is dropped: the
    lines of a paragraph joined give it back; a character wider than ``width`` stands
    alone on its line.

    >>> [line for line, _ in break_lines("按照自治区要求，进一步加快发展。", 8)]
    ['按照自治', '区要求，', '进一步加', '快发展。']
    >>> [line for line, _ in break_lines("参赛样品（国际）合格率", 8)]
    ['参赛样品', '（国际）', '合格率']
    >>> break_lines("", 4)
    (('', 0),)
    """
    lines: list[tuple[str, int]] = []
    for paragraph in text.splitlines() or [""]:
        size = display_width(paragraph, ambiguous_wide=ambiguous_wide)
        if size <= width:  # it fits: most cells
            lines.append((paragraph, size))
            continue
        sizes = [display_width(char, ambiguous_wide=ambiguous_wide) for char in paragraph]
        start = at = used = 0
        while at < len(paragraph):
            if used + sizes[at] <= width or at == start:
                used += sizes[at]
                at += 1
                continue
            end = at  # the last place a line may end, at or before the one that overflows
            while end > start and not may_break(paragraph[end - 1], paragraph[end]):
                end -= 1
            if end == start:  # no place at all: broken at the width (the fallback)
                end = at
            lines.append((paragraph[start:end], sum(sizes[start:end])))
            start, used = end, sum(sizes[end:at])
        lines.append((paragraph[start:], used))
    return tuple(lines)


def pad(text: str, width: int, *, ambiguous_wide: bool = False) -> str:
    """Left-align ``text`` in ``width`` terminal columns.

    >>> pad("件", 4) + "|"
    '件  |'
    """
    return text + " " * max(0, width - display_width(text, ambiguous_wide=ambiguous_wide))


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


@cache
def on_demand(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern compiled when it is first needed, then kept.

    For what only some cells or rows hold (a label before the number, a date, words
    saying nothing happened): compiling a pattern of CJK characters takes 0.1 to
    1.3 ms, which every ``import perfscore`` would otherwise pay.

    >>> on_demand("[年月]").search("2023年").group()
    '年'
    """
    return re.compile(pattern, flags)

import re
import sys
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from perfscore import _text
from perfscore._text import display_width, fold, fold_text

# ---------------------------------------------------------------------------------
# The folding and measuring perfscore did before they ran on translation tables
# (perfscore 5a5e142, a Python loop over each character): the new code must give the
# same text and the same origins for every character.

_LOOKALIKES_BEFORE = {
    **dict.fromkeys("≥≧⩾≮", ">="),
    **dict.fromkeys("≤≦⩽≯", "<="),
    **dict.fromkeys("═〓", "="),
    **dict.fromkeys("—–―‐‑−", "-"),
    "。": ".",
    **dict.fromkeys("×·•∙", "*"),
    **dict.fromkeys("／÷", "/"),
}
_LOOKALIKE_OR_SPACE_BEFORE = re.compile(f"[{re.escape(''.join(_LOOKALIKES_BEFORE))}]|\\s")


def test_the_lookalikes_are_those_before():
    """The copy below folds with the same look-alikes as perfscore."""
    assert _LOOKALIKES_BEFORE == _text._LOOKALIKES  # noqa: SLF001 - the table under test


def _fold_before(text: str) -> tuple[str, tuple[int, ...]]:
    if unicodedata.is_normalized("NFKC", text) and not _LOOKALIKE_OR_SPACE_BEFORE.search(text):
        return text, tuple(range(len(text)))
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        mapped = unicodedata.normalize("NFKC", char)
        mapped = "".join(_LOOKALIKES_BEFORE.get(part, part) for part in mapped)
        for part in mapped:
            if part.isspace():
                continue
            chars.append(part)
            origin.append(index)
    return "".join(chars), tuple(origin)


def _width_before(text: str) -> int:
    if text.isascii():
        return len(text)
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1
    return width


@pytest.fixture
def empty_tables():
    """Every translation table empty before and after the test."""
    tables = (_text._FOLDED, _text._LENGTHS, _text._COLUMNS)  # noqa: SLF001 - under test
    memo = _text._wide_text_width  # noqa: SLF001
    for table in (*tables, memo):
        table.cache_clear()
    yield tables
    for table in (*tables, memo):
        table.cache_clear()


_CHUNK = 512


def _chunks():
    for start in range(0, sys.maxunicode + 1, _CHUNK):
        yield "".join(map(chr, range(start, min(start + _CHUNK, sys.maxunicode + 1))))


def test_every_character_folds_as_before(empty_tables):
    """Each of Unicode's characters folds to the same text, with the same origin, as before."""
    for chunk in _chunks():
        text = " " + chunk  # a space: the character-by-character way, not the no-change one
        assert fold(text) == _fold_before(text), f"U+{ord(chunk[0]):04X}…"
        assert fold_text(text) == _fold_before(text)[0]
    limit = _text._TABLE_LIMIT  # noqa: SLF001 - the tables stop growing there
    assert all(0 < len(table) <= limit for table in empty_tables[:2])


@pytest.mark.usefixtures("empty_tables")
def test_every_character_measures_as_before():
    """Each of Unicode's characters takes as many columns as before."""
    for chunk in _chunks():
        widths = [display_width(char) for char in chunk]
        assert widths == [_width_before(char) for char in chunk], f"U+{ord(chunk[0]):04X}…"


@given(st.text())
@example("≥ 95 ％")
@example("e\u0301 ｅ\u0301")  # NFKC would join e and the accent; a cell folds each alone
@example("ﷺ ≥")  # a character that folds to 18
@example("\u3000\u2003>=\t1")
def test_fold_is_as_before(text):
    """Any text folds, and measures, as it did before the translation tables."""
    assert fold(text) == _fold_before(text)
    assert fold_text(text) == _fold_before(text)[0]
    assert display_width(text) == _width_before(text)


def test_a_full_table_still_folds_every_character(monkeypatch, empty_tables):
    """Past the tables' limit characters are worked out each time, with the same result."""
    monkeypatch.setattr(_text, "_TABLE_LIMIT", 4)
    text = " ≥１２３ ４５％ 件—m²"
    assert fold(text) == _fold_before(text)
    assert display_width(text) == _width_before(text)
    assert fold(text) == _fold_before(text)  # read again from the full tables
    assert [len(table) for table in empty_tables] == [4, 4, 4]


def test_fold_points_each_character_at_its_source():
    """A space is dropped, ≥ becomes two characters of one origin, ％ is %."""
    assert fold("≥ 95 ％") == (">=95%", (0, 0, 2, 3, 5))
    assert fold("１２ 件") == ("12件", (0, 1, 3))
    assert fold("95%") == ("95%", (0, 1, 2))

import itertools
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
    """The fold character by character: NFKC, look-alikes, white space and invisible
    format characters (category Cf, dropped since) left out."""
    if (
        text.isprintable()
        and unicodedata.is_normalized("NFKC", text)
        and not _LOOKALIKE_OR_SPACE_BEFORE.search(text)
    ):
        return text, tuple(range(len(text)))
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        mapped = unicodedata.normalize("NFKC", char)
        mapped = "".join(_LOOKALIKES_BEFORE.get(part, part) for part in mapped)
        for part in mapped:
            if part.isspace() or unicodedata.category(part) == "Cf":
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


# ---------------------------------------------------------------------------------
# Line breaking by the Chinese rules (GB/T 15834, W3C clreq): break_lines

_BREAK_CHARS = st.sampled_from(
    list("项目资金年度指标值满意率")  # CJK
    + list("ab7 .%-=<>/")  # ASCII: words, numbers, comparisons, spaces
    + list("，。、；：？！）》」』】〕…—％”’·")  # closing
    + list("（《「『【〔“‘")  # opening
    + list("≥≤×≠")  # ambiguous
    + ["\u0301", "😀", "Ａ"]  # a combining mark, an emoji, a full-width letter
)
BREAK_TEXT = st.lists(_BREAK_CHARS, max_size=60).map("".join)


def _allowed(text: str, at: int) -> bool:
    """Whether a line may end before text[at]."""
    return _text.may_break(text[at - 1], text[at])


@given(BREAK_TEXT, st.integers(min_value=2, max_value=24), st.booleans())
@example(text="预算目标值把握不准确，导致超出预期", width=20, wide=False)
@example(text="。。。。。", width=4, wide=False)  # a run of marks wider than the width
@example(text="（（（（字", width=4, wide=False)
def test_break_lines_keeps_the_chinese_line_breaking_rules(text, width, wide):
    """GB/T 15834 / clreq: lines fit, nothing is lost, no line starts with a closing mark
    nor ends with an opening one, except where a line holds no allowed break at all
    (a run of marks, a word or a number wider than the width: it is broken at the
    width); and each line is as full as the rules allow.
    """
    lines = _text.break_lines(text, width, ambiguous_wide=wide)
    assert "".join(line for line, _ in lines) == text
    for line, size in lines:
        assert size == display_width(line, ambiguous_wide=wide)
        assert size <= width
    start = 0
    for line, _ in lines[:-1]:
        end = start + len(line)
        if not _allowed(text, end):
            # The fallback: no place in the line (nor at its end) allowed a break.
            assert not any(_allowed(text, at) for at in range(start + 1, end + 1))
        else:
            # As full as the rules allow: up to the next allowed break it would not fit.
            after = next((at for at in range(end + 1, len(text)) if _allowed(text, at)), len(text))
            assert display_width(text[start:after], ambiguous_wide=wide) > width
        start = end


@given(BREAK_TEXT, st.integers(min_value=4, max_value=24))
def test_no_line_is_a_lone_closing_mark_after_a_breakable_line(text, width):
    """A line of closing marks alone only follows a line that no rule let break."""
    lines = [line for line, _ in _text.break_lines(text, width)]
    for before, line in itertools.pairwise(lines):
        if line and all(char in _text.CLOSING_MARKS for char in line):
            assert not any(_text.may_break(a, b) for a, b in itertools.pairwise(before + line[0]))


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("按照自治区要求，进一步加快发展。", 8, ["按照自治", "区要求，", "进一步加", "快发展。"]),
        ("参赛样品（国际）合格率", 8, ["参赛样品", "（国际）", "合格率"]),
        ("实际 298.67 万元", 10, ["实际 ", "298.67 万", "元"]),
        ("警 direction-suspect", 12, ["警 ", "direction-", "suspect"]),
        ("“一带一路”国际", 6, ["“一带", "一路”", "国际"]),
        ("。。。", 4, ["。。", "。"]),  # the fallback: a run of marks broken at the width
        ("项目\n资金", 4, ["项目", "资金"]),
        ("", 4, [""]),
    ],
)
def test_break_lines_cases(text, width, lines):
    """Closing marks go down with the character before them, opening marks with the one
    after; numbers, comparisons and words stay whole; a hyphen before a letter breaks."""
    assert [line for line, _ in _text.break_lines(text, width)] == lines


def test_ambiguous_characters_count_two_columns_when_asked():
    """≥ ≤ × “ ” · … are East Asian ambiguous: one column, or two with ambiguous_wide."""
    text = "≥≤×“”·…"
    assert display_width(text) == 7
    assert display_width(text, ambiguous_wide=True) == 14
    assert [line for line, _ in _text.break_lines("≥≥≥≥", 4, ambiguous_wide=True)] == ["≥≥", "≥≥"]

"""A JSON Lines line read from its remembered rows is the line decoded whole.

``perfscore.io.json.table_from_json_line`` cuts the ``funds`` and ``indicators`` arrays
out of a line and looks their rows up by text in the run's memo. It may decline
(``None``) but must never give another table than decoding the line would, nor a
table where decoding fails. These
tests compare the two on generated lines and on lines built to mislead a text cut:
strings holding ``}, {``, ``}]``, quotes and keys, keys written with escapes,
duplicated keys, broken JSON.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from perfscore.errors import TableFormatError
from perfscore.io.files import json_line_table
from perfscore.io.json import _row_memos, decode_json, table_from_dict
from perfscore.io.json import table_from_json_line as read_line
from perfscore.memo import Memo
from perfscore.testing import table_dicts
from test_fastpaths import FUND, ROW  # the same plain row and funds row

MEMO = Memo()  # the module's run: lines read in one test are remembered in the next


def table_from_json_line(line: bytes, memo: Memo = MEMO) -> Any:
    return read_line(line, memo=memo)


# Texts that look like the structure the cut relies on.
TRICKS = [
    "}, {",
    "}]",
    '"}, {"',
    '"}], "indicators": [{"',
    '"funds": [{',
    '"indicators": [{"level1": "x"}]',
    "\\",
    '"',
    "\n",
    "{",
    "]",
    "\x1f",
    "=100%",
]


def _decoded(line: bytes) -> Any:
    """What decoding the whole line gives: the table, or the error's message."""
    try:
        data = decode_json(line.decode("utf-8"))
        if not isinstance(data, dict):
            return "not an object"
        return table_from_dict(data, source="<line>")
    except (TableFormatError, UnicodeDecodeError) as error:
        return f"error: {error}"


def _reads_as_decoded(line: bytes) -> None:
    expected = _decoded(line)
    for _ in range(3):  # rows met, then remembered
        fast = table_from_json_line(line)
        if fast is not None:
            assert not isinstance(expected, str), f"read {line!r}, which does not decode"
            assert fast == expected
            assert fast.to_dict() == expected.to_dict()
    try:
        loaded: Any = json_line_table(line, file="<line>", number=1, memo=MEMO)
    except TableFormatError:
        assert isinstance(expected, str)
    else:
        assert loaded == expected


STYLES = ["utf-8", "ascii", "compact"]  # how the line is written


def _line(data: dict[str, Any], style: str = "utf-8") -> bytes:
    separators = (",", ":") if style == "compact" else (", ", ": ")
    text = json.dumps(data, ensure_ascii=style == "ascii", separators=separators)
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate: not UTF-8


def _table(*rows: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"name": "示例", "funds": [FUND], "indicators": list(rows), **fields}


@settings(max_examples=200, deadline=None)
@given(table_dicts(max_rows=6), st.sampled_from(STYLES))
def test_generated_lines_read_as_decoded(data: dict[str, Any], style: str) -> None:
    _reads_as_decoded(_line(data, style))


def test_plain_lines_are_read_from_remembered_rows() -> None:
    """The fast reading is taken (not only declined) for the usual line."""
    line = _line(_table(ROW, {**ROW, "level3": "覆盖乡镇数"}, year=2023))
    table_from_json_line(line)
    table = table_from_json_line(line)
    assert table is not None
    assert table == _decoded(line)
    assert [row.level3 for row in table.indicators] == ["培训人次", "覆盖乡镇数"]


_TRICKY_TEXT = st.one_of(
    st.sampled_from(TRICKS), st.lists(st.sampled_from(TRICKS), max_size=3).map("".join)
)
_ROW_FIELDS = st.sampled_from([*ROW, "deviation_note", "basis"])


@st.composite
def _tricky_rows(draw: st.DrawFn) -> dict[str, Any]:
    row: dict[str, Any] = dict(ROW)
    for key in draw(st.lists(_ROW_FIELDS, max_size=3)):
        row[key] = draw(_TRICKY_TEXT)
    return row


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.one_of(st.just(ROW), _tricky_rows()), min_size=1, max_size=4),
    st.dictionaries(
        st.sampled_from(["name", "department", "remarks", "total"]), _TRICKY_TEXT, max_size=2
    ),
    st.sampled_from(STYLES),
)
@example([{**ROW, "level3": "a}, {b"}, ROW], {}, "utf-8")
@example([{**ROW, "deviation_note": '"}, {"level1": "x'}], {}, "utf-8")
@example([{**ROW, "level3": "x}]"}], {"remarks": "}]"}, "utf-8")
@example([{**ROW, "level3": "[注] a]"}, {**ROW, "deviation_note": "} ]]"}], {}, "utf-8")
def test_tricky_strings_read_as_decoded(
    rows: list[dict[str, Any]], fields: dict[str, Any], style: str
) -> None:
    _reads_as_decoded(_line(_table(*rows, **fields), style))


# Edits of a good line's text: duplicated keys (JSON keeps the last), keys written
# with escapes, arrays elsewhere, broken JSON.
EDITS = [
    lambda text: text[:-1] + ', "indicators": []}',
    lambda text: text[:-1] + ', "funds": []}',
    lambda text: text[:-1] + ', "\\u0066unds": []}',
    lambda text: text[:-1] + ', "indic\\u0061tors": []}',
    lambda text: text[:-1] + ', "indicators": [{"level1": "x"}]}',
    lambda text: '{"indicators": [], ' + text[1:],
    lambda text: text.replace('"funds"', '"\\u0066unds"'),
    lambda text: text.replace('"name": "示例"', '"name": "\\u793a例"'),
    lambda text: text.replace('"name"', '"remarks": "}, {", "name"'),
    lambda text: text + "\r\n",
    lambda text: text + " \t",
    lambda text: "  " + text,
    lambda text: text + " x",
    lambda text: text + "}",
    lambda text: text[: len(text) // 2],
    lambda text: text.replace("}, {", "},{", 1),
    lambda text: text.replace("}]", "} ]", 1),
    lambda text: text.replace('"level1"', '"level1": "a", "level1"', 1),
    lambda text: text.replace('"level1"', '"extra": {"funds": [{"a": 1}]}, "level1"', 1),
    lambda text: text.replace(': [{"label"', ': [{"label": "x"}], "goal": {"expected": [{"label"'),
    lambda text: text.replace('"funds": [', '"goal": {"achieved": "x"}, "funds": [', 1),
    lambda text: text.replace('"format"', '"x\\"funds": 1, "format"', 1),
    lambda text: text.replace('"20"', "20", 1),
    lambda text: text.replace('"20"', "NaN", 1),
    lambda text: text.replace('"20"', "20.0", 1),
    lambda text: text.replace('"16.00"', "null", 1),
]


@pytest.mark.parametrize("edit", range(len(EDITS)))
@pytest.mark.parametrize("rows", [1, 3])
def test_edited_lines_read_as_decoded(edit: int, rows: int) -> None:
    named = [{**ROW, "level3": f"指标{n}"} for n in range(rows)]
    data = _table(*named, year=2023, format="perfscore.table/1")
    text = EDITS[edit](_line(data).decode("utf-8"))
    _reads_as_decoded(_line(data))  # the rows are remembered first
    _reads_as_decoded(text.encode("utf-8"))


# Values of every kind a row or a header may hold, good and bad.
_ODD = st.sampled_from(
    [None, 10, 1.5, "", " ", True, ["x"], {"a": [1]}, "10.0", "\x00", "\ud800", "a\x1fb", "}, {"]
)
_PLACES = st.one_of(
    st.just({"target": "表1!E5"}), st.dictionaries(st.sampled_from(["target", "x"]), _ODD)
)
_ODD_ROW_KEYS = st.sampled_from([*ROW, "deviation_note", "basis", "places", "extra"])


@st.composite
def _odd_rows(draw: st.DrawFn) -> dict[str, Any]:
    row: dict[str, Any] = dict(ROW)
    for key in draw(st.lists(_ODD_ROW_KEYS, max_size=3)):
        if draw(st.booleans()):
            row[key] = draw(_PLACES if key == "places" else _ODD)
        else:
            row.pop(key, None)
    return row


_ODD_FIELDS = st.dictionaries(
    st.sampled_from(["year", "kind", "total", "goal", "origin", "remarks", "x"]),
    st.one_of(
        _ODD,
        st.sampled_from(["2023", 2023, 1800, "department", "项目"]),
        st.fixed_dictionaries({"expected": _ODD}),
        st.fixed_dictionaries({"document": st.sampled_from(["a.xlsx", 1]), "places": _PLACES}),
    ),
    max_size=3,
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.one_of(st.just(ROW), _odd_rows()), min_size=1, max_size=4),
    _ODD_FIELDS,
    st.sampled_from(STYLES),
)
@example([{**ROW, "score": None}, {**ROW, "weight": 20}], {"year": "2023"}, "utf-8")
@example([{**ROW, "places": {"target": "表1!E5"}}], {"origin": {"document": "a.xlsx"}}, "utf-8")
@example([{**ROW, "level3": "\x00"}], {}, "utf-8")
@example([{**ROW, "level3": "\ud800"}], {}, "ascii")
@example([{**ROW, "extra": {"a": [1]}}, ROW], {}, "utf-8")
def test_lines_of_odd_values_read_as_decoded(
    rows: list[dict[str, Any]], fields: dict[str, Any], style: str
) -> None:
    """Nulls, numbers, places, keys the format does not define, bad characters, in the
    rows or the header: read from the rows or declined, never another table or error."""
    _reads_as_decoded(_line(_table(*rows, **fields), style))


def test_lines_of_any_shape_are_read_from_their_rows() -> None:
    """A row with a null, a number, places or a key the format does not define, and a
    header with an origin and a year in a string, are read from the line's text as the
    line decoded whole reads them: a row with a key the format does not define afresh
    each time, so that no two tables share its values."""
    rows = [
        {**ROW, "score": None},
        {**ROW, "level3": "二", "weight": 20},
        {**ROW, "level3": "三", "places": {"target": "表1!E5"}},
        {**ROW, "level3": "四", "note": {"a": [1]}},
    ]
    line = _line(_table(*rows, year="2023", origin={"document": "a.xlsx", "number": 2}))
    first, second = table_from_json_line(line), table_from_json_line(line)
    assert first is not None
    assert second is not None
    decoded = _decoded(line)
    assert first == second == decoded
    assert first.to_dict() == second.to_dict() == decoded.to_dict()
    assert first.origin == decoded.origin
    assert [row.places for row in first.indicators] == [row.places for row in decoded.indicators]
    assert second.indicators[2] is first.indicators[2]  # remembered by its text
    assert second.indicators[3] == first.indicators[3]
    assert second.indicators[3].extra[0][1] is not first.indicators[3].extra[0][1]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("\x00", "holds U+0000 (NUL), a character no table cell holds"),
        (
            "\udc00",
            (
                "holds U+DC00, half of a UTF-16 surrogate pair: not a character "
                "(text cut inside a character, or mis-encoded)"
            ),
        ),
    ],
)
def test_a_row_holding_a_bad_character_is_declined_and_reported(value: str, problem: str) -> None:
    line = _line(_table(ROW, {**ROW, "level3": f"x{value}"}), "ascii")
    table_from_json_line(_line(_table(ROW)))
    assert table_from_json_line(line) is None
    with pytest.raises(TableFormatError) as raised:
        json_line_table(line, file="<line>", number=1, memo=MEMO)
    assert str(raised.value) == (
        f"<line>:1: not a perfscore table (1 problem)\n  indicators[1].level3: {problem}"
    )


def test_lines_that_are_not_utf8_or_json_are_errors() -> None:
    good = _line(_table(ROW))
    _reads_as_decoded(good)
    for bad in (good.replace("示".encode(), b"\xff"), good[:-5], b"[]", b"null", b"{}"):
        _reads_as_decoded(bad)


@pytest.mark.parametrize("size", [1, 2, 3])
def test_a_small_memo_drops_rows_safely(size: int) -> None:
    """Lines that mix remembered and new rows, in a memo that keeps dropping them."""
    memo = Memo(size=size)
    rows = [{**ROW, "level3": f"指标{n}"} for n in range(6)]
    lines = [_line(_table(*rows[start : start + 4])) for start in (0, 1, 2, 0, 2, 1, 0)]
    for line in lines * 2:
        expected = _decoded(line)
        for _ in range(2):
            fast = table_from_json_line(line, memo)
            assert fast is None or fast == expected
        assert table_from_json_line(line, memo) is not None
    assert len(_row_memos(memo).indicators_by_text.entries) <= size + size // 4


def test_no_memo_no_shortcut() -> None:
    """Without a run's memo there is nothing remembered: the line is decoded whole."""
    line = _line(_table(ROW))
    assert read_line(line, memo=None) is None
    assert json_line_table(line, file="<line>", number=1) == _decoded(line)


def test_repeated_rows_in_one_line() -> None:
    line = _line(_table(ROW, ROW, {**ROW, "level3": "x"}, ROW))
    for _ in range(2):
        table = table_from_json_line(line)
        assert table is not None
        assert table == _decoded(line)


def test_rows_before_funds_read_as_decoded() -> None:
    """Key order is the writer's: indicators first, funds after, or no funds at all."""
    rows = [{**ROW, "level3": f"先{n}"} for n in range(3)]
    first = {"name": "示例", "indicators": rows, "funds": [FUND, FUND], "year": 2023}
    without = {"name": "示例", "indicators": rows}
    for data in (first, without, first, without):
        line = _line(data)
        _reads_as_decoded(line)
        assert table_from_json_line(line) is not None

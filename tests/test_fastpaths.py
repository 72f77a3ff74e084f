"""The fast paths give what the careful ones give.

The reader takes a table's common case as it is and checks anything else field by
field, and rows, outcomes and audit facts are remembered across tables in a run's
memo; none of that may change a result. These tests compare each with the careful
way, on generated tables and on the hostile cases the memo keys must tell apart: the
reader with the careful reader as it was before it became one (tests/json_before.py).
They read, score and audit with one memo, as a run does, so every remembered path is
taken.
"""

from __future__ import annotations

import copy
import json
import pickle
import sys
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from json_before import careful_table
from perfscore import audit as audit_alone
from perfscore import get_profile, load
from perfscore import score as score_alone
from perfscore.cells import parse_target
from perfscore.errors import TableFormatError
from perfscore.io.json import FUND_KEYS, INDICATOR_KEYS, _Checks, _row_memos, decode_json
from perfscore.io.json import table_from_dict as read_alone
from perfscore.memo import Clock, Memo
from perfscore.model import FundRow, Indicator
from perfscore.testing import table_dicts

MEMO = Memo()  # the module's run: what one test reads, scores or audits, the next reuses


def table_from_dict(data: Any, **options: Any) -> Any:
    return read_alone(data, memo=MEMO, **options)


def score(table: Any, **options: Any) -> Any:
    return score_alone(table, memo=MEMO, **options)


def audit(table: Any, **options: Any) -> Any:
    return audit_alone(table, memo=MEMO, **options)


ROW = {
    "level1": "产出指标",
    "level2": "数量指标",
    "level3": "培训人次",
    "target": ">=100 人次",
    "actual": "=80 人次",
    "weight": "20",
    "score": "16.00",
}


def _table(*rows: dict[str, Any], **fields: Any) -> dict[str, Any]:
    table: dict[str, Any] = {
        "name": "示例",
        "indicators": [dict(row) if isinstance(row, dict) else row for row in rows],
    }
    table.update(fields)
    return table


def _same(first: Any, second: Any) -> None:
    assert first == second
    assert first.to_dict() == second.to_dict()


@settings(max_examples=150, deadline=None)
@given(table_dicts(max_rows=6))
def test_generated_tables_read_as_the_careful_reader_read_them(data: dict[str, Any]) -> None:
    careful = careful_table(copy.deepcopy(data), "<test>")
    for _ in range(2):  # the second time, rows come from the memo
        _same(table_from_dict(copy.deepcopy(data), source="<test>"), careful)


def _unchecked(*_: Any) -> Any:
    raise AssertionError("a field was checked")


@settings(max_examples=50, deadline=None)
@given(table_dicts(max_rows=6))
def test_generated_tables_take_the_common_path(data: dict[str, Any]) -> None:
    """Generated tables are the common case: no field is read through the checks (so
    the tests comparing them with the careful reader compare the common path)."""
    careful = careful_table(copy.deepcopy(data), "<test>")
    with pytest.MonkeyPatch.context() as patch:
        for name in ("mapping", "text", "cell", "header", "places", "origin", "extras"):
            patch.setattr(_Checks, name, _unchecked)
        _same(read_alone(copy.deepcopy(data), source="<test>"), careful)


_VALUES = st.one_of(
    st.text(max_size=6),
    st.sampled_from(["=100%", ">=5 个", "10", "", " ", "\x1f", "a\x1fb", "-"]),
    st.integers(-5, 200),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=1000),
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=1),
)
_ROW_KEYS = st.sampled_from([*ROW, "deviation_note", "basis", "note", "extra"])


FUND = {
    "label": "年度资金总额",
    "initial_budget": "10",
    "annual_budget": "10",
    "executed": "9.5",
    "weight": "10",
    "rate": "95%",
    "score": "9.50",
}


@st.composite
def _near_plain(draw: st.DrawFn, base: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    """A row like ``base`` with a few values changed (to odd types too) or keys dropped."""
    row = dict(base)
    for key in draw(st.lists(st.sampled_from(keys), max_size=2)):
        if draw(st.booleans()):
            row[key] = draw(st.one_of(_ODD, _VALUES))
        else:
            row.pop(key, None)
    return row


_ODD = st.sampled_from([None, 10, Decimal("1.50"), "", " ", "\x1f", ["x"], True, {"a": 1}])


_NEAR_ROWS = _near_plain(ROW, [*ROW, "deviation_note", "basis", "note"])
_NEAR_FUNDS = _near_plain(FUND, [*FUND, "extra"])
_TABLE_FIELDS = st.one_of(
    st.just({}),
    st.dictionaries(
        st.sampled_from(["year", "kind", "total", "money_unit", "goal", "format", "remarks", "x"]),
        st.one_of(_ODD, _VALUES, st.fixed_dictionaries({"achieved": _VALUES})),
        max_size=2,
    ),
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.one_of(st.just(ROW), _NEAR_ROWS), min_size=1, max_size=3),
    st.lists(st.one_of(st.just(FUND), _NEAR_FUNDS), max_size=2),
    _TABLE_FIELDS,
)
@example([{**ROW, "score": None}], [], {})  # a null cell is a blank cell, not no cell
@example([ROW], [{**FUND, "rate": None}], {})
@example([ROW], [FUND], {"total": None})
@example([{**ROW, "deviation_note": None}], [FUND], {"year": None, "remarks": None})
def test_near_plain_tables_load_as_the_careful_reader_says(
    rows: list[dict[str, Any]], funds: list[dict[str, Any]], fields: dict[str, Any]
) -> None:
    """Tables one value away from plain: the fast path must hand them over, not misread."""
    _loads_as_the_careful_reader_says(_table(*rows, funds=funds, **fields))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.dictionaries(_ROW_KEYS, _VALUES, min_size=0, max_size=9), max_size=3),
    st.dictionaries(
        st.sampled_from(["year", "kind", "total", "money_unit", "goal", "format", "x"]),
        _VALUES,
        max_size=3,
    ),
)
def test_any_table_object_loads_as_the_careful_reader_says(
    rows: list[dict[str, Any]], fields: dict[str, Any]
) -> None:
    """Odd values, odd keys: the result (or the error) is the careful reader's."""
    _loads_as_the_careful_reader_says(_table(*rows, **fields))


_PLACES = st.one_of(
    st.none(),
    st.just({"target": "表1!E5", "weight": "表1!F5"}),
    st.dictionaries(st.sampled_from(["target", "x"]), st.one_of(_ODD, _VALUES), max_size=2),
    _ODD,
)
_ORIGINS = st.one_of(
    st.fixed_dictionaries(
        {"document": st.sampled_from(["a.xlsx", 1, None, "\x00"])},
        optional={
            "place": st.sampled_from(["表2", 3, ["x"]]),
            "number": st.sampled_from([1, 0, Decimal("2.0"), Decimal("1.5"), True, "2"]),
            "places": _PLACES,
            "x": _ODD,
        },
    ),
    _ODD,
)


@st.composite
def _placed(draw: st.DrawFn, base: st.SearchStrategy[Any]) -> Any:
    value = draw(base)
    if isinstance(value, dict) and draw(st.booleans()):
        value = {**value, "places": draw(_PLACES)}
    return value


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.one_of(_placed(st.one_of(st.just(ROW), _NEAR_ROWS)), _ODD), max_size=3),
    st.lists(st.one_of(_placed(st.one_of(st.just(FUND), _NEAR_FUNDS)), _ODD), max_size=2),
    st.one_of(st.none(), _placed(st.fixed_dictionaries({}, optional={"expected": _VALUES})), _ODD),
    st.one_of(st.none(), _ORIGINS),
)
def test_tables_read_from_documents_load_as_the_careful_reader_says(
    rows: list[Any], funds: list[Any], goal: Any, origin: Any
) -> None:
    """Places on rows, funds rows and the goal, an origin on the table, rows that are
    not objects: the checked path gives the careful reader's table or error."""
    fields = {"funds": funds, "goal": goal, "origin": origin}
    _loads_as_the_careful_reader_says(
        _table(*rows, **{key: value for key, value in fields.items() if value is not None})
    )


def _loads_as_the_careful_reader_says(data: dict[str, Any]) -> None:
    """The table from the fast path, or its error, is the careful reader's."""
    try:
        careful = careful_table(copy.deepcopy(data), "<test>")
    except TableFormatError as error:
        problem = str(error)
    else:
        for _ in range(2):  # the second time, rows come from the memo
            _same(table_from_dict(copy.deepcopy(data), source="<test>"), careful)
        return
    with pytest.raises(TableFormatError) as raised:
        table_from_dict(copy.deepcopy(data), source="<test>")
    assert str(raised.value) == problem


def test_separator_in_values_does_not_confuse_rows() -> None:
    first = {**ROW, "level3": "a\x1fb", "deviation_note": "c"}
    second = {**ROW, "level3": "a", "deviation_note": "b\x1fc"}
    for _ in range(2):
        one = table_from_dict(_table(first)).indicators[0]
        two = table_from_dict(_table(second)).indicators[0]
        assert (one.level3, one.deviation_note) == ("a\x1fb", "c")
        assert (two.level3, two.deviation_note) == ("a", "b\x1fc")


def test_key_order_and_key_names_are_part_of_a_rows_identity() -> None:
    reordered = dict(reversed(list(ROW.items())))
    renamed = {**ROW, "deviation_note": "x"}
    noted = {**ROW, "basis": "x"}
    for _ in range(2):
        rows = [table_from_dict(_table(row)).indicators[0] for row in (reordered, renamed, noted)]
        assert rows[0] == table_from_dict(_table(ROW)).indicators[0]
        assert (rows[1].deviation_note, rows[1].basis) == ("x", None)
        assert (rows[2].deviation_note, rows[2].basis) == (None, "x")


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_a_small_row_memo_drops_rows_safely(size: int) -> None:
    """Tables that mix remembered and new rows, in a memo that keeps dropping them."""
    memo = Memo(size=size)
    rows = [{**ROW, "level3": f"指标{n}"} for n in range(6)]
    tables = [_table(*rows[start : start + 4]) for start in (0, 1, 2, 0, 2, 1, 0)]
    for data in tables * 2:
        read = read_alone(copy.deepcopy(data), memo=memo)
        _same(read, careful_table(copy.deepcopy(data), "<t>"))
    remembered = _row_memos(memo).indicators
    assert len(remembered.young) <= size
    assert len(remembered.old) <= size


def test_a_json_number_never_matches_a_remembered_string() -> None:
    as_text = decode_json(json.dumps(_table({**ROW, "weight": "10.0"}), ensure_ascii=False))
    as_number = decode_json(json.dumps(_table(ROW), ensure_ascii=False).replace('"20"', "10"))
    for _ in range(2):
        assert table_from_dict(as_text).indicators[0].weight.text == "10.0"
        assert table_from_dict(as_number).indicators[0].weight.text == "10"


def test_a_hand_built_cell_is_scored_on_its_own_value() -> None:
    """Outcomes remembered by cell texts are used only for the very cells."""
    table = table_from_dict(_table(ROW))
    assert score(table).items[0].score == Decimal("16.00")
    row = table.indicators[0]
    other = attrs.evolve(row, target=attrs.evolve(row.target, value=Decimal(80)))
    assert other.target.text == row.target.text
    card = score(attrs.evolve(table, indicators=(other,)))
    assert card.items[0].score == Decimal("20.00")


def test_remembered_outcomes_and_findings_are_those_computed_afresh() -> None:
    """A run's memo gives each table what it gets alone, in any order."""
    tables = load("examples/changji-2023")
    for profile in ("mof-2020", "changji-2023"):
        rules = get_profile(profile)
        first = [audit(table, profile=rules) for table in tables]
        second = [audit(table, profile=rules) for table in reversed(tables)][::-1]
        fresh = [audit_alone(read_alone(table.to_dict()), profile=rules) for table in tables]
        for one, two, three in zip(first, second, fresh, strict=True):
            assert one.findings == two.findings == three.findings
            assert one.scorecard.total == two.scorecard.total == three.scorecard.total
            assert [i.explanation for i in one.scorecard.items] == [
                i.explanation for i in three.scorecard.items
            ]


def test_the_same_row_at_another_place_is_found_there() -> None:
    short = {**ROW, "actual": "=10 人次", "score": "20"}
    first = audit(table_from_dict(_table(short, {**ROW, "level3": "其他"})))
    second = audit(table_from_dict(_table({**ROW, "level3": "其他"}, short)))
    assert {f.where for f in first.findings if f.id == "score-mismatch"} == {"indicators[0]"}
    assert {f.where for f in second.findings if f.id == "score-mismatch"} == {"indicators[1]"}


def test_a_rows_cached_outcome_is_its_profiles_own() -> None:
    """One row object scored under profiles in turn: each profile's outcome, every time."""
    short = {**ROW, "actual": "=70 人次"}
    table = table_from_dict(_table(short))
    fresh = {
        name: score(table_from_dict(_table(short)), profile=get_profile(name)).items[0]
        for name in ("mof-2020", "changji-2023")
    }
    assert fresh["mof-2020"].explanation != fresh["changji-2023"].explanation
    for name in ("mof-2020", "changji-2023", "mof-2020", "changji-2023"):
        item = score(table, profile=get_profile(name)).items[0]
        assert (item.score, item.explanation) == (fresh[name].score, fresh[name].explanation)


def test_a_rows_cached_findings_follow_the_tables_shape() -> None:
    """The same row object in tables of other shapes (year, kind) is audited for each
    shape, in any order."""
    row = {**ROW, "actual": "=70 人次", "score": "20.00"}
    shapes = [{"year": 2023}, {"year": 2024}, {"year": 2023, "kind": "department"}]
    alone = [audit(table_from_dict(_table(row, **shape))).findings for shape in shapes]
    assert len(set(alone)) > 1  # the shape matters to this row (the kind does)
    shared = table_from_dict(_table(row)).indicators[0]
    tables = [
        attrs.evolve(table_from_dict(_table(row, **shape)), indicators=(shared,))
        for shape in shapes
    ]
    for _ in range(2):
        for table, expected in zip(tables, alone, strict=True):
            assert audit(table).findings == expected


def test_a_row_holds_its_cells_and_nothing_else() -> None:
    """What was worked out for a row stays in the run's memo, never on the row."""
    table = table_from_dict(_table(ROW))
    row = table.indicators[0]
    score(table)
    audit(table)
    fields = [field.name for field in attrs.fields(Indicator)]
    assert fields == [*INDICATOR_KEYS, "extra"]  # the format's keys, then the rest
    assert [field.name for field in attrs.fields(FundRow)] == [*FUND_KEYS, "extra"]
    assert set(Indicator.__slots__) <= {*fields, "__weakref__"}
    assert list(attrs.asdict(row)) == fields  # no cache, no profile inside
    copied = pickle.loads(pickle.dumps(row))  # noqa: S301 - our own object
    assert copied == row
    assert hash(copied) == hash(row)
    assert repr(copied) == repr(row)
    assert copy.deepcopy(row) == row
    assert len(pickle.dumps(row)) == len(pickle.dumps(read_alone(_table(ROW)).indicators[0]))


def test_rows_alike_but_for_the_name_that_gives_their_comparator_score_apart() -> None:
    """A bare target takes its comparator from the indicator's name, so the name is part
    of what a row's outcome is remembered by (≥ and ≤ rows with the same cells)."""
    at_least = {**ROW, "level3": "公猪舍(≥**平方米)", "target": "22.8", "actual": "20"}
    at_most = {**at_least, "level3": "公猪舍(≤**平方米)"}
    both = table_from_dict(_table(at_least, at_most))
    for card in (score(both), score(both), score_alone(both)):
        assert [item.status for item in card.items] == ["partial", "met"]
        assert [str(item.score) for item in card.items] == ["17.54", "20.00"]


def test_parsed_cells_are_shared_so_outcomes_can_be() -> None:
    assert parse_target(">=100 人次") is parse_target(">=100 人次")


def test_a_total_of_zeros_keeps_its_places() -> None:
    """A total of rounded zeros is 0.00, as the sum of the printed places gives."""
    zero = {**ROW, "actual": "=0 人次", "score": "0"}
    card = score(table_from_dict(_table(zero, {**zero, "level3": "另一"})))
    assert [item.score for item in card.items] == [Decimal("0.00")] * 2
    assert str(card.total) == "0.00"


class _Text(str):
    """A str subclass, as data frames give (numpy.str_)."""

    __slots__ = ()


def test_string_subclasses_read_as_strings() -> None:
    data = _table({key: _Text(value) for key, value in ROW.items()}, name=_Text("项目"))
    for _ in range(2):
        table = table_from_dict(copy.deepcopy(data))
        assert table.name == "项目"
        assert table.indicators[0].target.value == Decimal(100)
    _same(table_from_dict(_table(ROW, name="项目")), table)


def test_equal_numbers_printed_differently_are_reported_as_printed() -> None:
    """20 and 20.00 are equal Decimals; no memo may give one's wording to the other."""
    for text in ("20", "20.00", "20"):
        funds = [{**FUND, "weight": text, "score": text}]
        report = audit(table_from_dict(_table({**ROW, "weight": "80"}, funds=funds)))
        [mix] = [f for f in report.findings if f.id == "level1-weights"]
        assert f"执行率 {text}（预期 10）" in mix.message


def _reference_clock(size: int, keys: list[int]) -> list[bool]:
    """Second chance, written plainly: whether each key was remembered when asked."""
    kept: list[int] = []  # the ring, oldest first
    used: set[int] = set()
    hits = []
    for key in keys:
        if key in kept:
            hits.append(True)
            used.add(key)
            continue
        hits.append(False)
        while len(kept) >= size:
            oldest = kept.pop(0)
            if oldest in used:
                used.discard(oldest)
                kept.append(oldest)
        kept.append(key)
    return hits


@given(st.integers(min_value=1, max_value=6), st.lists(st.integers(0, 12), max_size=200))
def test_the_clock_memo_keeps_what_second_chance_keeps(size: int, keys: list[int]) -> None:
    """Clock remembers exactly the keys a plain second-chance ring would, values intact."""
    memo: Clock[int, str] = Clock(size)
    hits = []
    for key in keys:
        value = memo.get(key)
        hits.append(value is not None)
        if value is None:
            memo.put(key, f"v{key}")
        else:
            assert value == f"v{key}"
        assert len(memo.entries) <= size
        assert memo.used <= memo.entries.keys()
    assert hits == _reference_clock(size, keys)


def test_the_clock_memo_compacts_its_tables_as_it_drops() -> None:
    """After many drops the dict and set are copies, not tables full of dropped slots."""
    memo: Clock[int, int] = Clock(30)
    for key in range(1000):
        memo.put(key, key)
        memo.get(key - 1)
    assert len(memo.entries) == 30
    assert sys.getsizeof(memo.entries) <= sys.getsizeof(dict.fromkeys(range(30)))
    assert sys.getsizeof(memo.used) <= sys.getsizeof(set(range(30)))


def test_a_rows_remembered_json_keeps_each_tables_places() -> None:
    """Places are not part of a row's value, but the report prints them: two tables
    whose rows differ only in where they were printed each report their own."""
    from perfscore.render.json import entry_json  # noqa: PLC0415

    memo = Memo()
    here = read_alone(_table({**ROW, "places": {"target": "表1!E5"}}), memo=memo)
    there = read_alone(_table({**ROW, "places": {"target": "表2!E9"}}), memo=memo)
    assert here.indicators[0] == there.indicators[0]
    for table, place in ((here, "表1!E5"), (there, "表2!E9"), (here, "表1!E5")):
        text = entry_json(score_alone(table, memo=memo), memo=memo)
        assert f'"target": "{place}"' in text
        assert text == entry_json(score_alone(table))

"""Data frames of records: pandas an optional extra, dtypes chosen and documented."""

import pickle
import sys
from decimal import Decimal

import pytest

from perfscore import MissingExtraError, audit, load, score
from perfscore.render.frames import DECIMAL_COLUMNS, INT_COLUMNS, to_dataframe
from perfscore.render.records import FINDING_COLUMNS, ITEM_COLUMNS, ROW_COLUMNS

pd = pytest.importorskip("pandas")

WINE = "02_wine-competition-2022.json"


def test_a_scorecards_frame_has_its_records_and_dtypes(examples):
    """One row per record, the records' columns in order; numbers Decimal in object
    columns, index and year Int64, text object."""
    card = score(load(examples / WINE)[0], profile="changji-2023")
    frame = card.to_dataframe()
    assert list(frame.columns) == list(ITEM_COLUMNS)
    assert frame.to_dict("records") == card.to_records()  # <NA> given back as None
    assert frame["table_index"].isna().all()
    for column in frame.columns:
        expected = "Int64" if column in INT_COLUMNS else "object"
        assert str(frame[column].dtype) == expected, column
    assert frame["score"].map(type).eq(Decimal).all()
    assert frame.loc[1, "printed_score"] == Decimal("0.00")


def test_groupby_works_on_decimals(examples):
    """groupby(...).sum() on the Decimal columns is exact (each table's items sum to its
    total); .mean() works, pandas dividing in floating point; an exact mean is the sum
    over the count."""
    cards = [score(table, profile="changji-2023") for table in load(examples)]
    frame = to_dataframe(cards)
    sums = frame.groupby("table")["score"].sum()
    assert sums["2022（新疆昌吉）“一带一路”国际葡萄酒大赛"] == Decimal("100.00")
    assert all(sums[card.table.name] == card.total for card in cards)
    weights = frame.groupby("level1")["weight"]
    exact = weights.agg(lambda column: column.sum() / column.count())
    assert exact["产出指标"] == Decimal(644) / 73
    means = weights.mean()
    places = Decimal("0.000001")
    assert Decimal(str(means["产出指标"])).quantize(places) == exact["产出指标"].quantize(places)
    assert frame.groupby("status")["score"].mean()["not-met"] == 0


def test_exact_false_gives_floats_for_describe(examples):
    """exact=False makes the number columns float64 (NaN for none), for describe and
    plots; indexes and years stay Int64."""
    frame = to_dataframe(load(examples), exact=False)
    for column in DECIMAL_COLUMNS & set(frame.columns):
        assert str(frame[column].dtype) == "float64", column
    assert str(frame["year"].dtype) == "Int64"
    assert frame["weight"].describe()["count"] == frame["weight"].notna().sum()


def test_a_batch_of_triples_carries_file_and_index(examples):
    """(file, index, value) triples put each table's file and index on its rows."""
    tables = load(examples)
    reports = [audit(table, profile="changji-2023") for table in tables]
    frame = to_dataframe([("seed.json", index, report) for index, report in enumerate(reports)])
    assert list(frame.columns) == list(FINDING_COLUMNS)
    assert set(frame["file"]) == {"seed.json"}
    assert frame["table_index"].max() == 16
    assert (frame["where"] == "table").sum() == 23


def test_kinds_mixed_give_the_union_of_their_columns(examples):
    """A table and its scorecard together: the columns of both, in first-seen order."""
    table = load(examples / WINE)[0]
    frame = to_dataframe([table, score(table)])
    assert list(frame.columns)[: len(ROW_COLUMNS)] == list(ROW_COLUMNS)
    assert set(frame.columns) == set(ROW_COLUMNS) | set(ITEM_COLUMNS)
    assert len(frame) == len(table.to_records()) + len(score(table).to_records())


def test_values_give_their_frames(examples):
    """A table's, a scorecard's and an audit's to_dataframe is to_dataframe of the value."""
    table = load(examples / WINE)[0]
    report = audit(table)
    for value in (table, report.scorecard, report):
        assert value.to_dataframe(file="a", index=1).equals(to_dataframe(value, file="a", index=1))


def test_anything_else_is_refused():
    """A value of another kind: a TypeError naming what is taken."""
    with pytest.raises(TypeError) as raised:
        to_dataframe([1])
    assert str(raised.value) == (
        "to_dataframe takes a Table, a Scorecard or an AuditReport, or an iterable of them "
        "(or of (file, index, value) triples), not int"
    )


def test_without_pandas_the_error_names_the_extra(examples, monkeypatch):
    """pandas missing: a MissingExtraError (an ImportError) naming the pip install."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    card = score(load(examples / WINE)[0])
    with pytest.raises(MissingExtraError) as raised:
        card.to_dataframe()
    assert str(raised.value) == (
        'making data frames needs pandas, which is not installed: pip install "perfscore[pandas]"'
    )
    assert isinstance(raised.value, ImportError)
    assert str(pickle.loads(pickle.dumps(raised.value))) == str(raised.value)  # noqa: S301

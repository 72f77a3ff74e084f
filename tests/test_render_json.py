"""The report JSON: indented_json writes exactly what json.dumps(indent=1) writes."""

import json
from functools import cache
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfscore import audit, load
from perfscore.render.json import entry_json, indented_json, scorecard_entry

SCALAR = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and infinities included, as json.dumps allows them
    | st.text(alphabet=st.sampled_from(list('a"\\\n\t甲\u2028 {}[],:')))
    | st.text()
)
KEY = st.text(max_size=5) | st.integers() | st.none() | st.booleans()
JSON = st.recursive(
    SCALAR,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(KEY, inner, max_size=4)
    ),
    max_leaves=20,
)


EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "changji-2023"


@cache
def wine_table():
    """The seed's 02 table (two funds rows, rows with findings)."""
    return load(EXAMPLES / "02_wine-competition-2022.json")[0]


def dumped(value, margin):
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * margin)


@given(JSON, st.integers(min_value=0, max_value=4))
def test_indented_json_is_json_dumps(value, margin):
    """Any JSON value, nested or flat, with any keys json accepts."""
    assert indented_json(value, margin=margin) == dumped(value, margin)


def test_indented_json_of_report_entries(examples):
    """The report's own entries: funds, items and findings."""
    for index, table in enumerate(load(examples)):
        report = audit(table)
        findings = [finding.to_dict() for finding in report.findings]
        entry = scorecard_entry(report.scorecard, file="f", index=index, findings=findings)
        assert indented_json(entry, margin=2) == dumped(entry, 2)


def test_indented_json_refuses_what_json_refuses():
    """Values json cannot write raise the same TypeError."""
    with pytest.raises(TypeError, match="not JSON serializable"):
        indented_json({"a": [object()]})
    with pytest.raises(TypeError):
        indented_json({(1, 2): "tuple key"})


def test_indented_json_refuses_a_cycle_as_json_dumps_does():
    """A value that contains itself is not JSON: ValueError, not RecursionError."""
    looped: list[object] = [1]
    looped.append({"again": looped})
    with pytest.raises(ValueError, match="Circular reference"):
        json.dumps(looped, indent=1)
    with pytest.raises(ValueError, match="Circular reference"):
        indented_json(looped)


def test_entry_json_is_the_entry_laid_out(examples):
    """entry_json writes what indented_json writes of scorecard_entry, at any margin,
    with and without findings, under either profile, and again from the kept texts."""
    tables = load(examples)
    for _ in range(2):
        for profile in ("mof-2020", "changji-2023"):
            for index, table in enumerate(tables):
                report = audit(table, profile=profile)
                card = report.scorecard
                findings = [finding.to_dict() for finding in report.findings]
                for margin in (0, 2, 3):
                    for listed in (None, findings):
                        entry = scorecard_entry(card, file="f", index=index, findings=listed)
                        expected = dumped(entry, margin)
                        text = entry_json(
                            card, file="f", index=index, findings=listed, margin=margin
                        )
                        assert text == expected


HOSTILE = st.text(alphabet=st.sampled_from(list('a"\\\n\t甲\u2028 {},:')), max_size=6)


@given(HOSTILE, HOSTILE, st.sampled_from(["f.jsonl", None, 'q"\\.json']))
def test_entry_json_of_hostile_rows(level3, note, file):
    """Rows with quotes, backslashes and line breaks, and a table without rows."""
    table = wine_table()
    hostile = attrs.evolve(table.indicators[0], level3=level3, deviation_note=note)
    for rows in ((hostile, table.indicators[1], hostile), ()):
        changed = attrs.evolve(table, name=level3 or "表", indicators=rows)
        report = audit(changed)
        findings = [finding.to_dict() for finding in report.findings]
        entry = scorecard_entry(report.scorecard, file=file, index=1, findings=findings)
        assert entry_json(report.scorecard, file=file, index=1, findings=findings, margin=2) == (
            dumped(entry, 2)
        )

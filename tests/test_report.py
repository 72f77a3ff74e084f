"""The report module: indented_json writes exactly what json.dumps(indent=1) writes."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfscore import audit, load
from perfscore.report import indented_json, scorecard_entry

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

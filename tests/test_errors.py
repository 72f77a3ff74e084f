import pickle

import pytest

from perfscore.errors import (
    FloatRefusedError,
    InvalidCell,
    InvalidProfile,
    InvalidTable,
    NoTablesFoundError,
    PerfscoreError,
    TableFormatError,
    UnknownProfileError,
)


@pytest.mark.parametrize(
    "error",
    [
        InvalidCell(">=件700", 2, "expected a number after '>='", role="target"),
        FloatRefusedError(0.1, where="weight"),
        InvalidTable("indicators[3].weight", "expected a string", source="t.json"),
        TableFormatError("t.json", [InvalidTable("name", "required key missing")]),
        NoTablesFoundError("x/", "no .json table files found"),
        InvalidProfile("x.toml", [("execution.floor", "expected a fraction")]),
        InvalidProfile("x.toml", [("", "a directory, not a profile file")]),
        UnknownProfileError("mof2020", ("changji-2023", "mof-2020")),
        UnknownProfileError("x.toml", ("changji-2023", "mof-2020"), reason="no such file"),
    ],
)
def test_errors_pickle_and_share_a_base(error):
    """Every error is a PerfscoreError and pickles with its message intact."""
    assert isinstance(error, PerfscoreError)
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert type(copy) is type(error)
    assert str(copy) == str(error)


def test_builtin_bases():
    """Leaves also subclass the builtin they refine."""
    assert issubclass(InvalidCell, ValueError)
    assert issubclass(FloatRefusedError, TypeError)
    assert issubclass(InvalidTable, ValueError)
    assert issubclass(NoTablesFoundError, FileNotFoundError)
    assert issubclass(TableFormatError, ExceptionGroup)
    assert issubclass(InvalidProfile, ValueError)
    assert issubclass(UnknownProfileError, LookupError)


def test_table_format_error_splits_keep_class():
    """Splitting the group keeps its class and source."""
    error = TableFormatError(
        "t.json", [InvalidTable("name", "required key missing"), InvalidTable("kind", "bad")]
    )
    matched, rest = error.split(
        lambda problem: isinstance(problem, InvalidTable) and problem.path == "name"
    )
    assert isinstance(matched, TableFormatError)
    assert matched.source == "t.json"
    assert [problem.path for problem in matched.exceptions] == ["name"]
    assert rest is not None
    assert str(rest) == "t.json: not a perfscore table (1 problem)\n  kind: bad"


def test_caret_counts_wide_characters():
    """The caret sits under the failing character even after CJK text."""
    error = InvalidCell("产出≥x", 3, "expected a number after '>='", role="target")
    assert str(error).splitlines()[-1] == "         ^"

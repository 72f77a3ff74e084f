import pickle

import pytest

from perfscore.errors import (
    FloatRefusedError,
    InvalidCell,
    InvalidParameter,
    InvalidProfile,
    InvalidTable,
    NoTablesFoundError,
    PerfscoreError,
    Problems,
    TableFormatError,
    UnknownProfileError,
)
from perfscore.profiles import loads_profile


@pytest.mark.parametrize(
    "error",
    [
        InvalidCell(">=件700", 2, "expected a number after '>='", role="target"),
        FloatRefusedError(0.1, where="weight"),
        InvalidTable("indicators[3].weight", "expected a string", source="t.json"),
        InvalidParameter("execution.floor", "expected a fraction", source="t.toml"),
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


def test_problems_are_raised_together_with_their_paths():
    """The collector gathers each problem with its path and raises them as one group of
    its type, each problem an exception of the group's leaf type."""
    problems = Problems(TableFormatError, source="t.json")
    assert len(problems) == 0
    problems.raise_if_any()  # nothing noted: nothing raised
    problems.add("name", "required key missing")
    problems.add("indicators[3].target", "expected a string, got an array")
    with pytest.raises(TableFormatError) as caught:
        problems.raise_if_any()
    error = caught.value
    assert str(error) == (
        "t.json: not a perfscore table (2 problems)\n"
        "  name: required key missing\n"
        "  indicators[3].target: expected a string, got an array"
    )
    assert [type(problem) for problem in error.exceptions] == [InvalidTable, InvalidTable]
    assert [(p.path, p.problem, p.source) for p in error.exceptions] == [
        ("name", "required key missing", "t.json"),
        ("indicators[3].target", "expected a string, got an array", "t.json"),
    ]


def test_problems_are_listed_by_their_order_then_as_found():
    """Problems with an order (a CSV line) are listed by it; equal orders as found;
    a split moves the later problems to a collector of their own."""
    problems = Problems(TableFormatError, source="x.csv")
    problems.add("line 5: 分值", "c", order=5)
    problems.add("line 2: 分值", "a", order=2)
    problems.add("line 5: 得分", "d", order=5)
    mark = len(problems)
    problems.add("line 1: 得分", "b", order=1)
    later = problems.split(mark)
    assert [p.problem for p in problems.error().exceptions] == ["a", "c", "d"]
    assert [p.problem for p in later.error().exceptions] == ["b"]
    problems.extend(later)
    assert [p.problem for p in problems.error().exceptions] == ["b", "a", "c", "d"]


def test_except_star_picks_out_the_problems_of_a_profile():
    """A profile's problems are an ExceptionGroup of InvalidParameter, each with its
    path: ``except*`` takes them out; the group keeps its message and pairs."""
    text = 'colour = 1\n[execution]\nfloor = "x"\n'
    groups = []
    try:
        loads_profile(text, source="p.toml")
    except* InvalidParameter as group:
        groups.append(group)
    [group] = groups
    assert isinstance(group, InvalidProfile)
    assert isinstance(group, ValueError)
    assert group.problems == (
        ("colour", "unknown parameter"),
        ("execution.floor", "expected a number, got 'x'"),
    )
    assert str(group) == (
        "p.toml: not a usable rule profile (2 problems)\n"
        "  colour: unknown parameter\n"
        "  execution.floor: expected a number, got 'x'"
    )
    caught = [(problem.path, problem.problem, problem.source) for problem in group.exceptions]
    assert caught == [
        ("colour", "unknown parameter", "p.toml"),
        ("execution.floor", "expected a number, got 'x'", "p.toml"),
    ]


def test_a_profile_error_splits_and_pickles_as_itself():
    """Splitting a profile's group keeps its class, source and one-line form."""
    error = InvalidProfile("p.toml", [("", "no such file"), ("colour", "unknown parameter")])
    matched, rest = error.split(lambda problem: getattr(problem, "path", None) == "")
    assert isinstance(matched, InvalidProfile)
    assert str(matched) == "p.toml: not a usable rule profile: no such file"
    assert matched.args == ("p.toml", (("", "no such file"),))
    assert str(rest) == "p.toml: not a usable rule profile (1 problem)\n  colour: unknown parameter"
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert (type(copy), copy.problems, str(copy)) == (InvalidProfile, error.problems, str(error))

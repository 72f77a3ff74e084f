import importlib
import json
import subprocess
import sys

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from perfscore import (
    InvalidCell,
    Table,
    UnknownProfileError,
    audit,
    get_profile,
    loads,
    parse_actual,
    parse_figure,
    parse_target,
    score,
)
from perfscore.profiles import BUILTIN_PROFILES, loads_profile
from perfscore.testing import (
    actual_texts,
    actuals,
    figure_texts,
    figures,
    profiles,
    table_dicts,
    tables,
    target_texts,
    targets,
)

# Where each level-2 category drawn belongs.
HOMES = {
    "数量指标": "产出指标",
    "质量指标": "产出指标",
    "时效指标": "产出指标",
    "经济成本指标": "成本指标",
    "经济效益指标": "效益指标",
    "社会效益指标": "效益指标",
    "生态效益指标": "效益指标",
    "可持续影响指标": "效益指标",
    "服务对象满意度指标": "满意度指标",
}
SERIOUS = {"error", "warning"}
CHANGJI = get_profile("changji-2023")
# Find a first example without shrinking it.
FIND = settings(phases=[Phase.generate], database=None, max_examples=2000)


def digits(value):
    return None if value is None else value.as_tuple()


# ---------------------------------------------------------------------------------
# The module itself


def test_import_without_hypothesis_says_what_to_install(monkeypatch):
    """Without hypothesis, importing perfscore.testing raises an ImportError naming it."""
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    monkeypatch.delitem(sys.modules, "perfscore.testing")
    with pytest.raises(ImportError) as caught:
        importlib.import_module("perfscore.testing")
    assert str(caught.value) == (
        "perfscore.testing needs hypothesis, a test dependency that perfscore does not "
        "install: pip install hypothesis (or pip install 'perfscore[test]')"
    )
    assert caught.value.name == "hypothesis"
    assert isinstance(caught.value.__cause__, ImportError)


def test_perfscore_does_not_import_the_testing_module():
    """import perfscore loads neither perfscore.testing nor hypothesis."""
    code = (
        "import sys, perfscore\n"
        "print('perfscore.testing' in sys.modules, 'hypothesis' in sys.modules)"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: targets(kinds=["unreadable"]),
            (
                "targets(kinds=...) takes one or more of 'quantity', 'qualitative', "
                "'not-applicable', got ('unreadable',)"
            ),
        ),
        (
            lambda: actuals(kinds=[]),
            (
                "actuals(kinds=...) takes one or more of 'quantity', 'qualitative', "
                "'not-applicable', got ()"
            ),
        ),
        (
            lambda: targets(kinds="quantity"),
            "targets(kinds=...) takes a collection of kinds, not 'quantity'",
        ),
        (
            lambda: targets(units=["万"]),
            (
                "targets(units=...): perfscore reads '1万' with the unit '万元', not '万'; "
                "give normalised units"
            ),
        ),
        (
            lambda: actuals(units="%"),
            "actuals(units=...) takes a collection of units, not '%'",
        ),
        (
            lambda: figures(units=["件"]),
            (
                "figures(units=...) takes one or more of '', '%', '‰', '分', '元', '千元', "
                "'万元', '亿元', got ('件',)"
            ),
        ),
        (
            lambda: table_dicts(min_rows=0),
            "table_dicts needs 1 <= min_rows <= max_rows <= 50, got min_rows=0, max_rows=8",
        ),
        (
            lambda: tables(min_rows=4, max_rows=3),
            "table_dicts needs 1 <= min_rows <= max_rows <= 50, got min_rows=4, max_rows=3",
        ),
        (
            lambda: tables(max_rows=51),
            "table_dicts needs 1 <= min_rows <= max_rows <= 50, got min_rows=1, max_rows=51",
        ),
    ],
)
def test_bad_arguments_are_refused_at_once(make, message):
    """Bad arguments raise InvalidArgument when the strategy is made, saying what is wanted."""
    with pytest.raises(InvalidArgument) as caught:
        make()
    assert str(caught.value) == message


def test_unit_that_cannot_be_printed_is_refused():
    """A unit perfscore cannot read in a cell is refused with the parser's reason."""
    with pytest.raises(InvalidArgument, match=r"^targets\(units=...\): '1-3' cannot be printed"):
        targets(units=["1-3"])


# ---------------------------------------------------------------------------------
# Cells


@settings(max_examples=100)
@given(targets())
def test_targets_parse_to_their_drawn_parts(target):
    """A drawn target's text parses to the drawn parts, digit for digit; str() round-trips."""
    parsed = parse_target(target.text)
    assert parsed == target
    assert digits(parsed.value) == digits(target.value)
    assert parse_target(str(target)) == target


@settings(max_examples=100)
@given(actuals())
def test_actuals_parse_to_their_drawn_parts(actual):
    """A drawn actual's text parses to the drawn parts, tier included; str() round-trips."""
    parsed = parse_actual(actual.text)
    assert parsed == actual
    assert parsed.tier == actual.tier
    assert digits(parsed.value) == digits(actual.value)
    assert parse_actual(str(actual)) == actual


@settings(max_examples=100)
@given(figures(kinds=["number", "not-applicable"]))
def test_figures_parse_to_their_drawn_parts(figure):
    """A drawn figure's text parses to the drawn parts, digit for digit; str() round-trips."""
    parsed = parse_figure(figure.text)
    assert parsed == figure
    assert digits(parsed.value) == digits(figure.value)
    assert parse_figure(str(figure)) == figure


@given(target_texts(), actual_texts(), figure_texts(kinds=["number", "not-applicable"]))
def test_texts_always_parse(target, actual, figure):
    """Every drawn text parses: no InvalidCell."""
    try:
        parse_target(target)
        parse_actual(actual)
        parse_figure(figure)
    except InvalidCell as error:  # pragma: no cover - the failure message
        pytest.fail(str(error))


@given(
    targets(kinds=["quantity"], units=["%", "万元", "月"]),
    actuals(kinds=["quantity", "qualitative"], units=["件"]),
    figures(units=["分"]),
)
def test_kinds_and_units_are_respected(target, actual, figure):
    """kinds and units restrict what is drawn."""
    assert target.kind == "quantity"
    assert target.unit in {"%", "万元", "月"}
    assert actual.kind in {"quantity", "qualitative"}
    assert actual.kind == "qualitative" or actual.unit == "件"
    assert figure.unit == "分"


@pytest.mark.parametrize(
    ("strategy", "spelling"),
    [
        (target_texts(kinds=["quantity"]), "不低于"),
        (target_texts(kinds=["quantity"]), "以内"),
        (target_texts(kinds=["quantity"]), "＞＝"),
        (target_texts(kinds=["quantity"], units=["万元"]), "万以"),
        (target_texts(kinds=["quantity"], units=["月"]), "月前"),
        (actual_texts(kinds=["quantity"]), "实际完成"),
        (figure_texts(), ",０"),
    ],
)
def test_spellings_vary(strategy, spelling):
    """Comparators, units and numbers are drawn in their other spellings too."""
    assert spelling in find(strategy, lambda text: spelling in text, settings=FIND)


# ---------------------------------------------------------------------------------
# Tables


@settings(max_examples=30, deadline=None)
@given(st.one_of(table_dicts(), table_dicts(printed=True, profile="changji-2023")))
def test_table_dicts_load_and_round_trip(data):
    """A drawn object loads; to_dict() gives it back; JSON carries it unchanged."""
    table = Table.from_dict(data)
    assert table.to_dict() == data
    assert Table.from_dict(table.to_dict()) == table
    assert loads(json.dumps(data, ensure_ascii=False)) == [table]


@settings(max_examples=30, deadline=None)
@given(table_dicts())
def test_tables_not_printed_carry_no_printed_values(data):
    """Without printed=True no score, rate, total or note is filled in."""
    assert "total" not in data
    assert all("rate" not in row and "score" not in row for row in data["funds"])
    assert all("score" not in row and "deviation_note" not in row for row in data["indicators"])


@settings(max_examples=30, deadline=None)
@given(tables(min_rows=2, max_rows=12))
def test_tables_are_well_formed(table):
    """Rows within bounds, weights total 100, categories at home, names unique, cells read."""
    assert 2 <= len(table.indicators) <= 12
    assert table.total_weight == 100
    assert table.execution_weight in {5, 10, 15, 20}
    names = [row.level3 for row in table.indicators]
    assert len(set(names)) == len(names)
    for row in table.indicators:
        assert HOMES[row.level2.name] == row.level1.name
        assert row.weight_value >= 1
        assert row.weight_value == row.weight_value.to_integral_value()
        assert row.target.kind in {"quantity", "qualitative"}
        assert row.actual.kind in {"quantity", "qualitative"}
    for group in table.level1_groups:
        assert group.declared_weight in {None, group.weight}
    total, *parts = table.funds
    assert total.is_total
    assert parts
    for column in ("initial_budget", "annual_budget", "executed"):
        assert getattr(total, column).value == sum(getattr(row, column).value for row in parts)
    assert total.annual_budget.value > 0
    assert 0 <= total.executed.value <= total.annual_budget.value


@settings(max_examples=30, deadline=None)
@given(tables(), profiles())
def test_tables_score_completely_under_any_profile(table, profile):
    """Every row and the 执行率 item score, each between 0 and its weight."""
    card = score(table, profile=profile)
    assert card.complete
    assert card.unscored == ()
    for item in card.items:
        assert 0 <= item.score <= item.weight
    assert 0 <= card.funds.score <= card.funds.weight


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_self_printed_tables_audit_clean(data):
    """Rule: a table printed by perfscore under a profile without severity overrides
    audits with no error and no warning under that profile; its printed values are the
    computed ones."""
    profile = data.draw(profiles(severities=False), label="profile")
    table = data.draw(tables(printed=True, profile=profile), label="table")
    report = audit(table, profile=profile)
    assert [f for f in report.findings if f.severity in SERIOUS] == []
    card = report.scorecard
    assert [item.printed_score for item in card.items] == [item.score for item in card.items]
    assert card.printed_total == card.total
    assert card.funds.printed_score == card.funds.score


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_self_printed_tables_are_flagged_only_by_overrides(data):
    """Under any profile, an error or warning on a self-printed table comes from a check
    the profile's [audit.severity] set to that severity."""
    profile = data.draw(profiles(), label="profile")
    table = data.draw(tables(printed=True, profile=profile, max_rows=5), label="table")
    overrides = dict(profile.audit.severity)
    for finding in audit(table, profile=profile).findings:
        if finding.severity in SERIOUS:
            assert overrides.get(finding.id) == finding.severity


def test_printed_needs_a_known_profile():
    """The profile of a self-printed table is resolved when the strategy is made."""
    with pytest.raises(UnknownProfileError, match="unknown rule profile 'mof2020'"):
        tables(printed=True, profile="mof2020")
    tables(printed=False, profile="mof2020")  # unused, so not resolved


# ---------------------------------------------------------------------------------
# Profiles


@settings(max_examples=50, deadline=None)
@given(profiles())
def test_profiles_round_trip_through_toml(profile):
    """A drawn profile written to TOML reads back equal."""
    assert loads_profile(profile.to_toml()) == profile


@settings(max_examples=50)
@given(profiles(builtins=False, severities=False))
def test_drawn_profiles_are_coherent(profile):
    """Steps and tiers never fall as the rate or tier rises; fractions sit in their bands."""
    assert profile.audit.severity == ()
    assert profile.name not in BUILTIN_PROFILES
    execution = profile.execution
    assert execution.floor < execution.full_at
    if execution.rule == "steps":
        assert execution.steps
    ats = [step.at for step in execution.steps]
    fractions = [step.fraction for step in execution.steps]
    assert ats == sorted(ats, reverse=True)
    assert fractions == sorted(fractions, reverse=True)
    rules = profile.qualitative
    assert rules.not_achieved < rules.partial < rules.achieved
    (a_low, a_high), (p_low, p_high), (n_low, n_high) = rules.bands
    assert a_low <= rules.achieved <= a_high == 1
    assert p_low <= rules.partial < p_high == a_low
    assert n_low == 0 <= rules.not_achieved < n_high == p_low
    if profile.expected_weights:
        assert sum(weight for _, weight in profile.expected_weights) == 100


def test_profiles_include_the_builtins():
    """Both built-in profiles are drawn, and the simplest of them is mof-2020."""
    assert find(profiles(), lambda p: p.name == "changji-2023", settings=FIND) == CHANGJI
    assert find(profiles(), lambda p: p.name in BUILTIN_PROFILES) == get_profile("mof-2020")

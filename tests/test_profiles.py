import pickle
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfscore.errors import InvalidProfile, UnknownProfileError
from perfscore.findings import CHECKS
from perfscore.profiles import (
    BUILTIN_PROFILES,
    AuditRules,
    CostRows,
    ExecutionRule,
    GradeLevel,
    Grades,
    Overshoot,
    Profile,
    QualitativeRules,
    QuantitativeRules,
    Rounding,
    Step,
    get_profile,
    load_profile,
    loads_profile,
    profile_text,
    resolve_profile,
)


def test_builtin_profiles_are_listed_and_load():
    """Every built-in name loads to a profile of that name with a title and sources."""
    assert BUILTIN_PROFILES == ("changji-2023", "mof-2020")
    for name in BUILTIN_PROFILES:
        profile = get_profile(name)
        assert profile.name == name
        assert profile.title
        assert profile.sources


def test_mof_2020_parameters():
    """mof-2020 holds the national reading, parameter by parameter."""
    profile = get_profile("mof-2020")
    assert profile.rounding == Rounding(places=2, mode="half-up")
    assert profile.execution == ExecutionRule(rule="proportional", cap=True, zero_budget="full")
    quantitative = profile.quantitative
    assert (quantitative.mode, quantitative.reverse, quantitative.equal) == (
        "proportional",
        "ratio",
        "symmetric",
    )
    assert quantitative.cost_floor is None
    assert quantitative.unit_mismatch == "compare-numbers"
    assert profile.overshoot == Overshoot(note_threshold=Decimal("0.30"), penalty="none")
    qualitative = profile.qualitative
    assert (qualitative.achieved, qualitative.partial, qualitative.not_achieved) == (
        Decimal(1),
        Decimal("0.7"),
        Decimal("0.3"),
    )
    assert qualitative.unknown == "achieved"
    assert qualitative.bands == (
        (Decimal("0.8"), Decimal(1)),
        (Decimal("0.6"), Decimal("0.8")),
        (Decimal(0), Decimal("0.6")),
    )
    assert [(level.at, level.label) for level in profile.grades.levels] == [
        (Decimal(90), "优"),
        (Decimal(80), "良"),
        (Decimal(60), "中"),
    ]
    assert profile.grades.below == "差"
    assert profile.expected_weights == (
        (("执行率",), Decimal(10)),
        (("产出指标", "成本指标"), Decimal(50)),
        (("效益指标",), Decimal(30)),
        (("满意度指标",), Decimal(10)),
    )


def test_changji_2023_overrides_mof_2020():
    """changji-2023 changes only the observed rules and keeps everything else of mof-2020."""
    changji, mof = get_profile("changji-2023"), get_profile("mof-2020")
    assert changji.execution == ExecutionRule(
        rule="interval", floor=Decimal("0.60"), full_at=Decimal("0.90")
    )
    assert changji.quantitative.mode == "all-or-nothing"
    assert changji.quantitative.equal == "exact"
    assert changji.quantitative.cost_floor == Decimal("0.90")
    assert (changji.qualitative.partial, changji.qualitative.not_achieved) == (0, 0)
    assert changji.rounding == mof.rounding
    assert changji.grades == mof.grades
    assert changji.overshoot == mof.overshoot
    assert changji.expected_weights == mof.expected_weights
    assert "无公开文件" in changji.title


def test_builtin_text_keeps_comments():
    """The built-in TOML text is shipped as written, comments included."""
    text = profile_text("mof-2020")
    assert text.startswith("# perfscore rule profile")
    assert "[verified" in text


def test_unknown_profile_names_the_known_ones():
    """An unknown name says which names exist."""
    with pytest.raises(UnknownProfileError) as caught:
        get_profile("mof2020")
    assert str(caught.value) == (
        "unknown rule profile 'mof2020'; built-in profiles: changji-2023, mof-2020 "
        "(or give a .toml file)"
    )
    with pytest.raises(UnknownProfileError):
        resolve_profile("missing.toml")


def test_user_profile_extends_a_builtin(tmp_path):
    """A user file extends a built-in profile and overrides single parameters."""
    path = tmp_path / "province.toml"
    path.write_text(
        'extends = "mof-2020"\n'
        'title = "某省口径"\n'
        "[execution]\n"
        'rule = "steps"\n'
        'steps = [{at = 0.9, fraction = 1}, {at = "60%", fraction = 0.5}]\n'
        "[quantitative]\n"
        'reverse = "linear"\n'
        "[grades]\n"
        'levels = [{at = 80, label = "优"}, {at = 70, label = "良"}, {at = 60, label = "中"}]\n',
        encoding="utf-8",
    )
    profile = load_profile(path)
    assert profile.name == "province"
    assert profile.title == "某省口径"
    assert profile.execution.steps == (
        Step(at=Decimal("0.9"), fraction=Decimal(1)),
        Step(at=Decimal("0.6"), fraction=Decimal("0.5")),
    )
    assert profile.quantitative.reverse == "linear"
    assert profile.quantitative.mode == "proportional"
    assert profile.grades.grade(Decimal(75)) == "良"
    assert profile.sources == get_profile("mof-2020").sources
    assert resolve_profile(str(path)) == profile


def test_user_profile_extends_another_file(tmp_path):
    """``extends`` may name another TOML file, relative to the extending one."""
    (tmp_path / "base.toml").write_text(
        'extends = "changji-2023"\n[rounding]\nmode = "down"\n', encoding="utf-8"
    )
    (tmp_path / "child.toml").write_text(
        'extends = "base.toml"\nname = "child"\n[rounding]\nplaces = 1\n', encoding="utf-8"
    )
    profile = load_profile(tmp_path / "child.toml")
    assert profile.name == "child"
    assert profile.rounding == Rounding(places=1, mode="down")
    assert profile.quantitative.mode == "all-or-nothing"


def test_extends_cycle_is_refused(tmp_path):
    """Two files extending each other give a clear error, not a recursion."""
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n', encoding="utf-8")
    with pytest.raises(InvalidProfile, match="extends itself in a cycle"):
        load_profile(tmp_path / "a.toml")


def test_every_problem_is_listed_with_its_path():
    """Bad parameters are gathered, each with its dotted path."""
    text = (
        "colour = 1\n"
        '[rounding]\nplaces = 2.5\nmode = "ceiling"\n'
        '[execution]\nfloor = 1.5\ncap = "yes"\n'
        '[quantitative]\ncost_floor = "most"\n'
        "[grades]\nlevels = [{at = 90}]\n"
    )
    with pytest.raises(InvalidProfile) as caught:
        loads_profile(text, source="bad.toml")
    assert str(caught.value) == (
        "bad.toml: not a usable rule profile (7 problems)\n"
        "  colour: unknown parameter\n"
        "  rounding.places: expected a whole number of places from 0 to 10, got 2.5\n"
        "  rounding.mode: expected one of 'half-up', 'down', 'half-even', got 'ceiling'\n"
        "  execution.cap: expected true or false, got 'yes'\n"
        "  execution.floor: expected a fraction from 0 to 1 (or 0% to 100%), got 1.5\n"
        "  quantitative.cost_floor: expected a number, got 'most'\n"
        "  grades.levels: level 0: expected {at = …, label = …}, got {'at': 90}"
    )
    assert caught.value.problems[0] == ("colour", "unknown parameter")


@pytest.mark.parametrize(
    ("text", "path", "problem"),
    [
        (
            '[execution]\nrule = "interval"\nfloor = 0.9\nfull_at = 0.8\n',
            "execution.full_at",
            "must be above execution.floor",
        ),
        (
            '[execution]\nrule = "steps"\n',
            "execution.steps",
            "a steps rule needs at least one step",
        ),
        (
            "[execution]\nsteps = [{at = 1, fraction = 1}, {at = 1, fraction = 0}]\n",
            "execution.steps",
            "two steps start at the same rate",
        ),
        (
            "[qualitative.bands]\npartial = [0.8, 0.6]\n",
            "qualitative.bands.partial",
            "low 0.8 is above high 0.6",
        ),
        (
            "[overshoot]\nnote_threshold = -0.1\n",
            "overshoot.note_threshold",
            "expected a number of at least 0, got -0.1",
        ),
        (
            '[quantitative]\nmode = "proportional "\n',
            "quantitative.mode",
            "expected one of 'proportional', 'all-or-nothing', got 'proportional '",
        ),
        ("rounding = 2\n", "rounding", "expected a table, got 2"),
        ("[execution]\nfloor = nan\n", "execution.floor", "expected a finite number, got NaN"),
        (
            'extends = "mof-2021"\n',
            "extends",
            "no built-in profile or file 'mof-2021'; built-in: changji-2023, mof-2020",
        ),
    ],
)
def test_bad_parameter(text, path, problem):
    """Each kind of bad parameter is named with its path and what was expected."""
    with pytest.raises(InvalidProfile) as caught:
        loads_profile(text)
    assert (path, problem) in caught.value.problems


def test_invalid_toml_is_a_profile_error():
    """Text that is not TOML is reported as such, with TOML's own position."""
    with pytest.raises(InvalidProfile, match=r"not valid TOML: .*line 1"):
        loads_profile("[rounding\n")


def test_percent_strings_and_off():
    """Fractions may be written as percentages; the cost floor may be switched off."""
    profile = loads_profile(
        'extends = "changji-2023"\n[execution]\nfloor = "50%"\n[quantitative]\ncost_floor = "off"\n'
    )
    assert profile.execution.floor == Decimal("0.5")
    assert profile.quantitative.cost_floor is None


def test_profiles_are_frozen():
    """A profile cannot be changed in place; attrs.evolve makes a new one."""
    profile = get_profile("mof-2020")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        profile.name = "x"  # type: ignore[misc]
    assert attrs.evolve(profile, name="x").name == "x"


@pytest.mark.parametrize(
    ("mode", "value", "expected"),
    [
        ("half-up", "3.205", "3.21"),
        ("half-up", "3.2049999", "3.20"),
        ("half-even", "3.205", "3.20"),
        ("half-even", "3.215", "3.22"),
        ("down", "3.209", "3.20"),
        ("half-up", "-0.005", "-0.01"),
        ("half-up", "123456789012345678901234567890.005", "123456789012345678901234567890.01"),
    ],
)
def test_rounding_modes(mode, value, expected):
    """Each rounding mode rounds x.xx5 its own way, at any size."""
    assert str(Rounding(mode=mode).round(Decimal(value))) == expected


def test_grades_boundaries():
    """A total exactly on a threshold earns that grade."""
    grades = Grades()
    assert [grades.grade(Decimal(v)) for v in ("100", "90.00", "89.995", "80", "60", "0")] == [
        "优",
        "优",
        "良",
        "良",
        "中",
        "差",
    ]


# ---------------------------------------------------------------------------------
# Round trip: a profile written to TOML and read back is equal.

fractions = st.decimals(min_value=0, max_value=1, places=3, allow_nan=False)
labels = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1).filter(
    str.strip
)


@st.composite
def profiles(draw):
    steps = draw(
        st.lists(
            st.builds(Step, at=st.decimals(0, 2, places=4), fraction=fractions),
            max_size=4,
            unique_by=lambda step: step.at,
        )
    )
    rule = draw(st.sampled_from(["proportional", "interval", "steps"]))
    if rule == "steps" and not steps:
        steps = [Step(Decimal("0.6"), Decimal(1))]
    floor = draw(st.decimals(0, Decimal("0.99"), places=2))
    full_at = draw(st.decimals(floor + Decimal("0.01"), 2, places=2))
    bands = tuple(tuple(sorted(draw(st.tuples(fractions, fractions)))) for _ in range(3))
    levels = draw(
        st.lists(
            st.builds(GradeLevel, at=st.decimals(-100, 200, places=2), label=labels),
            max_size=4,
            unique_by=lambda level: level.at,
        )
    )
    return Profile(
        name=draw(labels),
        title=draw(st.text()),
        sources=tuple(draw(st.lists(labels, max_size=3))),
        rounding=Rounding(
            places=draw(st.integers(0, 10)),
            mode=draw(st.sampled_from(["half-up", "down", "half-even"])),
        ),
        execution=ExecutionRule(
            rule=rule,
            cap=draw(st.booleans()),
            floor=floor,
            full_at=full_at,
            steps=tuple(sorted(steps, key=lambda step: step.at, reverse=True)),
            zero_budget=draw(st.sampled_from(["full", "zero", "unscored"])),
        ),
        quantitative=QuantitativeRules(
            mode=draw(st.sampled_from(["proportional", "all-or-nothing"])),
            reverse=draw(st.sampled_from(["ratio", "linear", "zero"])),
            equal=draw(st.sampled_from(["symmetric", "as-at-least", "exact"])),
            cost_floor=draw(st.none() | fractions),
            bare_number=draw(st.sampled_from(["at-least", "at-most"])),
            bare_number_on_cost=draw(st.sampled_from(["at-least", "at-most"])),
            unit_mismatch=draw(st.sampled_from(["compare-numbers", "unscored"])),
            cost_rows=CostRows(
                level1=tuple(draw(st.lists(labels, max_size=3))),
                level2_endings=tuple(draw(st.lists(labels, max_size=3))),
            ),
        ),
        overshoot=Overshoot(
            note_threshold=draw(st.decimals(0, 5, places=3)),
            penalty=draw(st.sampled_from(["none", "zero", "linear"])),
        ),
        qualitative=QualitativeRules(
            achieved=draw(fractions),
            partial=draw(fractions),
            not_achieved=draw(fractions),
            unknown=draw(st.sampled_from(["achieved", "partial", "not-achieved"])),
            bands=bands,
        ),
        grades=Grades(
            levels=tuple(sorted(levels, key=lambda level: level.at, reverse=True)),
            below=draw(labels),
        ),
        expected_weights=tuple(
            draw(
                st.lists(
                    st.tuples(
                        st.lists(
                            labels.filter(lambda name: "+" not in name and name == name.strip()),
                            min_size=1,
                            max_size=2,
                        ).map(tuple),
                        st.decimals(0, 100, places=1),
                    ),
                    max_size=4,
                    unique_by=lambda pair: "+".join(pair[0]),
                )
            )
        ),
        audit=AuditRules(
            severity=tuple(
                draw(
                    st.lists(
                        st.tuples(
                            st.sampled_from(sorted(CHECKS)),
                            st.sampled_from(["error", "warning", "info", "off"]),
                        ),
                        max_size=4,
                        unique_by=lambda pair: pair[0],
                    )
                )
            ),
            score_tolerance=draw(st.decimals(0, 1, places=2)),
            boilerplate_min_rows=draw(st.integers(2, 10)),
        ),
    )


@given(profiles())
def test_toml_round_trip(profile):
    """A profile written to TOML and read back is equal (rule: profiles are data)."""
    assert loads_profile(profile.to_toml()) == profile


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_builtin_round_trip(name):
    """The built-in profiles survive the TOML round trip too."""
    profile = get_profile(name)
    assert loads_profile(profile.to_toml()) == profile


def test_a_profile_unpickles_as_one_object_per_process(tmp_path):
    """Worker processes are sent the profile with each unit of work; equal profiles
    unpickle as one object, so what scoring remembers per profile is kept."""
    profile = get_profile("mof-2020")
    first, second = (pickle.loads(pickle.dumps(profile)) for _ in range(2))  # noqa: S301
    assert first == profile
    assert first is second
    other = attrs.evolve(profile, name="变体")
    again = pickle.loads(pickle.dumps(other))  # noqa: S301 - our own object
    assert again == other
    assert again is not first
    path = tmp_path / "p.toml"
    path.write_text(other.to_toml(), "utf-8")
    assert pickle.loads(pickle.dumps(load_profile(path))) is again  # noqa: S301
    by_hand = Profile(name="手工", sources=["一个列表"])  # type: ignore[arg-type]
    assert pickle.loads(pickle.dumps(by_hand)) == by_hand  # noqa: S301 - unhashable: kept as is


def test_a_profile_file_is_read_once_until_it_or_its_parent_changes(tmp_path):
    """score(table, profile=path) table by table gets one profile object (what scoring
    remembers is per object), read again when the file or a file it extends changes."""
    base = tmp_path / "base.toml"
    child = tmp_path / "child.toml"
    base.write_text('extends = "mof-2020"\n[overshoot]\nnote_threshold = 0.3\n', "utf-8")
    child.write_text('extends = "base.toml"\nname = "child"\n', "utf-8")
    first = resolve_profile(str(child))
    assert resolve_profile(child) is first
    assert first.overshoot.note_threshold == Decimal("0.3")
    base.write_text('extends = "mof-2020"\n[overshoot]\nnote_threshold = 0.35\n', "utf-8")
    second = resolve_profile(child)
    assert second.overshoot.note_threshold == Decimal("0.35")
    assert resolve_profile(child) is second
    child.write_text('extends = "base.toml"\nname = "child"\ntitle = "改"\n', "utf-8")
    assert resolve_profile(child).title == "改"
    child.write_text('extends = "base.toml"\nname = "child"\n', "utf-8")
    assert resolve_profile(child) is second  # equal profiles are one object
    child.unlink()
    with pytest.raises(UnknownProfileError):
        resolve_profile(child)

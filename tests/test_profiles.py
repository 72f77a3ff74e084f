import functools
import os
import pickle
import re
import tracemalloc
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import perfscore
from perfscore import audit, load, score
from perfscore.cli import main
from perfscore.errors import FloatRefusedError, InvalidProfile, UnknownProfileError
from perfscore.findings import CHECKS
from perfscore.memo import Memo
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
from perfscore.scoring import score_indicator

ROOT = Path(__file__).resolve().parent.parent


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


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_builtin_text_is_the_shipped_file(name):
    """The package's loader reads the same bytes importlib.resources gives."""
    from importlib import resources  # noqa: PLC0415 - the reference reading

    shipped = resources.files("perfscore").joinpath("builtin_profiles", f"{name}.toml")
    assert profile_text(name) == shipped.read_text(encoding="utf-8")


def test_builtin_profiles_load_from_a_zipped_package(tmp_path):
    """Installed as a zip archive (zipimport), perfscore still reads its profiles."""
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415
    import zipfile  # noqa: PLC0415

    package = Path(perfscore.__file__).parent
    archive = tmp_path / "perfscore.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in sorted(package.rglob("*")):
            if file.is_file() and "__pycache__" not in file.parts:
                zipped.write(file, file.relative_to(package.parent).as_posix())
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import perfscore;"
        "assert perfscore.__file__.startswith(sys.argv[1]), perfscore.__file__;"
        "from perfscore.profiles import get_profile;"
        "print(get_profile('changji-2023').name, get_profile('mof-2020').grades.below)"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-c", script, str(archive)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["changji-2023", get_profile("mof-2020").grades.below]


def test_a_file_profile_text_is_the_file_as_written(tmp_path):
    """profile_text of a file gives its text unchanged (comments, layout), BOM dropped."""
    text = '# 我的口径\nextends = "mof-2020"  # 全国口径\n\n[grades]\nbelow = "差"  # 不变\n'
    path = tmp_path / "mine.toml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert profile_text(path) == text
    assert profile_text(str(path)) == text
    with pytest.raises(UnknownProfileError) as caught:
        profile_text(tmp_path / "missing.toml")
    assert str(caught.value) == (
        f"unknown rule profile '{tmp_path / 'missing.toml'}': no such file; "
        "built-in profiles: changji-2023, mof-2020"
    )


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
    assert profile.sources == ()
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


@pytest.mark.parametrize("parent", ["mof-2020", "changji-2023", "base.toml"])
def test_a_derived_profile_names_only_its_own_sources(tmp_path, parent):
    """A profile that extends another, built-in or a file, never takes its sources (nor
    its name and title): those say where the parent's rules come from, not its own."""
    (tmp_path / "base.toml").write_text(
        'extends = "mof-2020"\ntitle = "基础"\nsources = ["某省2024年通知"]\n', "utf-8"
    )
    bare = f'extends = "{parent}"\n[grades]\nbelow = "不合格"\n'
    own = f'extends = "{parent}"\nsources = ["某市补充说明"]\n'
    (tmp_path / "bare.toml").write_text(bare, "utf-8")
    (tmp_path / "own.toml").write_text(own, "utf-8")
    from_file = load_profile(tmp_path / "bare.toml")
    assert (from_file.name, from_file.title, from_file.sources) == ("bare", "", ())
    assert from_file.grades.below == "不合格"
    assert load_profile(tmp_path / "own.toml").sources == ("某市补充说明",)
    if parent != "base.toml":  # text has no directory to find a file parent in
        from_text = loads_profile(bare)
        assert (from_text.name, from_text.title, from_text.sources) == ("custom", "", ())
        assert loads_profile(own).sources == ("某市补充说明",)
    # The parent's own rules are inherited all the same.
    base = get_profile(parent) if parent != "base.toml" else tmp_path / "base.toml"
    assert from_file.quantitative == resolve_profile(base).quantitative


def test_a_builtin_keeps_its_own_sources():
    """changji-2023 extends mof-2020 and names its own source, not 财政部's documents."""
    changji, national = get_profile("changji-2023"), get_profile("mof-2020")
    assert len(changji.sources) == 1
    assert changji.sources[0].startswith("昌吉回族自治州工业和信息化局2023年部门决算公开说明")
    assert not set(changji.sources) & set(national.sources)


def test_extends_cycle_is_refused(tmp_path):
    """Two files extending each other give a clear error, not a recursion."""
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n', encoding="utf-8")
    with pytest.raises(InvalidProfile) as caught:
        load_profile(tmp_path / "a.toml")
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    assert caught.value.problems == (("extends", f"a loop: {a} → {b} → {a}"),)


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
        "  grades.levels[0]: expected {at = …, label = …}, got {'at': 90}"
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
            "expected a share from 0 to 100 (or 0% to 10000%), got -0.1",
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


def _dotted_paths(data, prefix=""):
    """The dotted path of every value of a profile's data (``execution.full_at``)."""
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _dotted_paths(value, path + ".")
        else:
            yield path


@given(profiles(), st.data())
def test_toml_with_notes_round_trips(profile, data):
    """Notes beside any values and a heading, whatever their text (line breaks, #,
    quotes), leave the document reading back to an equal profile; each note stands on
    its value's line."""
    paths = sorted(_dotted_paths(profile.to_data()))
    chosen = data.draw(st.lists(st.sampled_from(paths), unique=True, max_size=6))
    words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
    notes = {path: data.draw(words) for path in chosen}
    heading = data.draw(words)
    toml = profile.to_toml(heading=heading, notes=notes)
    assert loads_profile(toml) == profile
    # TOML's lines end at "\n" alone: a title may hold U+0085 or U+2028, which
    # str.splitlines would take for line breaks.
    lines = toml.removesuffix("\n").split("\n")
    opening = [line for line in lines if line.startswith("#")]
    assert len(opening) == len(heading.splitlines())
    plain = profile.to_toml().removesuffix("\n").split("\n")
    noted = lines[len(opening) :]
    assert len(noted) == len(plain)
    comments = []
    for before, after in zip(plain, noted, strict=True):
        if before != after:
            assert after.startswith(before + "  # ")
            comments.append(after.removeprefix(before + "  # "))
    shown = [
        "".join(" " if _breaks_a_line(c) else c for c in note).strip() for note in notes.values()
    ]
    assert sorted(comments) == sorted(filter(None, shown))


def test_a_title_with_a_unicode_line_separator_stays_on_its_line():
    """U+0085 and U+2028 are text in TOML, not line breaks: the title keeps them."""
    profile = attrs.evolve(get_profile("mof-2020"), title="\x85# \u2028#")
    toml = profile.to_toml(heading="拟合", notes={"rounding.places": "窗口"})
    assert loads_profile(toml) == profile
    assert [line for line in toml.split("\n") if line.startswith("#")] == ["# 拟合"]


def _breaks_a_line(char):
    """Whether a comment may not hold ``char``: a control character or a line break."""
    return ord(char) < 0x20 or ord(char) == 0x7F or len(f"a{char}b".splitlines()) > 1


def test_a_note_on_no_parameter_is_refused():
    """A note whose path names no parameter is an error, not a comment lost."""
    with pytest.raises(ValueError, match=r"^notes on no parameter of a profile: execution\.flor$"):
        get_profile("mof-2020").to_toml(notes={"execution.flor": "x"})


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_builtin_round_trip(name):
    """The built-in profiles survive the TOML round trip too."""
    profile = get_profile(name)
    assert loads_profile(profile.to_toml()) == profile


def test_a_profile_pickles_by_value_and_shares_a_memo_by_value(tmp_path):
    """Worker processes are sent the profile with each unit of work: it unpickles as an
    equal profile (no interning), and a run's memo serves equal profiles alike."""
    profile = get_profile("mof-2020")
    first, second = (pickle.loads(pickle.dumps(profile)) for _ in range(2))  # noqa: S301
    assert first == second == profile
    assert repr(first) == repr(profile)
    other = attrs.evolve(profile, name="变体")
    path = tmp_path / "p.toml"
    path.write_text(other.to_toml(), "utf-8")
    assert pickle.loads(pickle.dumps(load_profile(path))) == other  # noqa: S301
    memo = Memo()
    assert memo.scope("score", first) is memo.scope("score", second)
    assert memo.scope("score", first) is not memo.scope("score", other)
    by_hand = Profile(name="手工", sources=["一个列表"])  # type: ignore[arg-type]
    assert pickle.loads(pickle.dumps(by_hand)) == by_hand  # noqa: S301


def test_a_profile_file_is_read_once_until_it_or_its_parent_changes(tmp_path):
    """score(table, profile=path) table by table reads the file once, and again when
    the file or a file it extends changes."""
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
    assert resolve_profile(child) == second  # read again: an equal profile
    child.unlink()
    with pytest.raises(UnknownProfileError):
        resolve_profile(child)


# ---------------------------------------------------------------------------------
# Deeply immutable: a profile never changes after it is built, so no outcome remembered
# for it can go stale.

SEED = ROOT / "examples" / "changji-2023"
STUDY = SEED / "12_industrial-internet-study.json"
MOF = get_profile("mof-2020")


def with_cost_level1(level1):
    return attrs.evolve(
        MOF, quantitative=attrs.evolve(MOF.quantitative, cost_rows=CostRows(level1=level1))
    )


def fresh_outcomes(table, profile):
    """Each row scored afresh, on its own, nothing remembered."""
    return [score_indicator(row, profile=profile) for row in table.indicators]


def test_a_list_given_to_a_profile_is_copied():
    """A list given for cost_rows.level1 becomes a tuple: appending to the list later
    changes neither the profile nor its scores, for this row or any with the same cells."""
    table = load(STUDY)[0]
    twin = attrs.evolve(
        table,
        indicators=tuple(
            attrs.evolve(row, level3=f"{row.level3}（另）") for row in table.indicators
        ),
    )
    level1 = ["成本指标"]
    profile = with_cost_level1(level1)
    memo = Memo()
    before = [item.outcome for item in score(table, profile=profile, memo=memo).items]
    level1.append("产出指标")
    assert profile.quantitative.cost_rows.level1 == ("成本指标",)
    assert profile == with_cost_level1(("成本指标",))
    for scored in (table, twin):
        outcomes = [item.outcome for item in score(scored, profile=profile, memo=memo).items]
        assert outcomes == before == fresh_outcomes(scored, profile)
    assert [outcome.cost_row for outcome in before] == [False] * 4 + [True] * 2 + [False]
    wide = with_cost_level1(level1)
    assert wide.quantitative.cost_rows.level1 == ("成本指标", "产出指标")
    assert [item.outcome.cost_row for item in score(twin, profile=wide).items] == (
        [True] * 6 + [False]
    )


def test_profiles_differing_in_one_nested_parameter_never_share_an_outcome():
    """Two profiles that differ only in cost_rows.level1, scored alternately on rows
    with the same cells, each give their own outcomes every time."""
    table = load(STUDY)[0]
    twin = attrs.evolve(
        table,
        indicators=tuple(
            attrs.evolve(row, level3=f"{row.level3}（另）") for row in table.indicators
        ),
    )
    narrow, wide = with_cost_level1(["成本指标"]), with_cost_level1(["成本指标", "产出指标"])
    expected = {id(narrow): fresh_outcomes(table, narrow), id(wide): fresh_outcomes(table, wide)}
    assert expected[id(narrow)] != expected[id(wide)]
    memo = Memo()
    for _ in range(3):
        for profile in (narrow, wide, narrow, wide, wide):
            for scored in (table, twin):
                card = score(scored, profile=profile, memo=memo)
                assert [item.outcome for item in card.items] == expected[id(profile)]


def test_equal_profiles_spelled_differently_report_apart():
    """Profiles equal in value but spelled differently (20 and 20.0), pickled and back,
    each keep their own spelling in what they write and report, in one run's memo too."""
    weights = ((("执行率",), Decimal(20)), *MOF.expected_weights[1:])
    plain = attrs.evolve(MOF, name="口径", expected_weights=weights)
    spelled = attrs.evolve(plain, expected_weights=((("执行率",), Decimal("20.0")), *weights[1:]))
    assert plain == spelled
    first, second = (pickle.loads(pickle.dumps(p)) for p in (plain, spelled))  # noqa: S301
    assert '"执行率" = 20\n' in first.to_toml()
    assert '"执行率" = 20.0\n' in second.to_toml()
    table = load(SEED / "13_unit-project-funds-training.json")[0]
    memo = Memo()
    for remembering in (None, memo, memo):
        messages = [
            finding.message
            for profile in (first, second, plain, spelled)
            for finding in audit(table, profile=profile, memo=remembering).findings
            if finding.id == "level1-weights"
        ]
        assert len(messages) == 4
        assert "执行率 10（预期 20）" in messages[0]
        assert "执行率 10（预期 20.0）" in messages[1]
        assert messages[2:] == messages[:2]


# Every field that holds a container, by class: each must convert to tuples on
# construction. A test below checks that no such field is missing from the list.
CONTAINER_FIELDS = {
    (Profile, "sources"),
    (Profile, "expected_weights"),
    (CostRows, "level1"),
    (CostRows, "level2_endings"),
    (ExecutionRule, "steps"),
    (QualitativeRules, "bands"),
    (Grades, "levels"),
    (AuditRules, "severity"),
}
PROFILE_CLASSES = (
    Profile,
    Rounding,
    ExecutionRule,
    Step,
    CostRows,
    QuantitativeRules,
    Overshoot,
    QualitativeRules,
    GradeLevel,
    Grades,
    AuditRules,
)


def test_every_container_field_is_listed():
    """The container fields the property below covers are all the profile has."""
    found = {
        (cls, field.name)
        for cls in PROFILE_CLASSES
        for field in attrs.fields(cls)
        if str(field.type).startswith("tuple")
    }
    assert found == CONTAINER_FIELDS


def deeply_immutable(value):
    """Whether a value is built of frozen attrs values, tuples and immutable scalars."""
    if attrs.has(type(value)):
        return all(deeply_immutable(getattr(value, f.name)) for f in attrs.fields(type(value)))
    if type(value) is tuple:
        return all(map(deeply_immutable, value))
    return type(value) in {str, Decimal, int, bool, type(None)}


def mutable_form(value, *, mapping):
    """The tuple value of a container field as lists (and dicts where a field takes one)."""
    if mapping == "pairs":
        return {names if len(names) == 1 else "+".join(names): weight for names, weight in value}
    if mapping == "dict":
        return dict(value)
    if mapping == "bands":
        return dict(zip(("achieved", "partial", "not_achieved"), map(list, value), strict=True))
    return [list(item) if type(item) is tuple else item for item in value]


@given(profiles(), st.booleans())
def test_containers_given_as_lists_and_dicts_become_tuples(profile, as_mappings):
    """Every container field built from lists (or dicts) holds hashable tuples equal to
    those built from tuples, and later changes to the lists do not reach it."""
    quantitative, cost_rows = profile.quantitative, profile.quantitative.cost_rows
    pairs = "pairs" if as_mappings else None
    given_lists = {
        "sources": mutable_form(profile.sources, mapping=None),
        "expected_weights": mutable_form(profile.expected_weights, mapping=pairs),
        "level1": mutable_form(cost_rows.level1, mapping=None),
        "level2_endings": mutable_form(cost_rows.level2_endings, mapping=None),
        "steps": mutable_form(profile.execution.steps[::-1], mapping=None),
        "bands": mutable_form(profile.qualitative.bands, mapping="bands" if as_mappings else None),
        "levels": mutable_form(profile.grades.levels[::-1], mapping=None),
        "severity": mutable_form(profile.audit.severity, mapping="dict" if as_mappings else None),
    }
    built = attrs.evolve(
        profile,
        sources=given_lists["sources"],
        expected_weights=given_lists["expected_weights"],
        execution=attrs.evolve(profile.execution, steps=given_lists["steps"]),
        quantitative=attrs.evolve(
            quantitative,
            cost_rows=CostRows(
                level1=given_lists["level1"], level2_endings=given_lists["level2_endings"]
            ),
        ),
        qualitative=attrs.evolve(profile.qualitative, bands=given_lists["bands"]),
        grades=attrs.evolve(profile.grades, levels=given_lists["levels"]),
        audit=attrs.evolve(profile.audit, severity=given_lists["severity"]),
    )
    assert built == profile
    assert hash(built) == hash(profile)
    assert deeply_immutable(built)
    for given_list in given_lists.values():
        if isinstance(given_list, dict):
            given_list.clear()
        else:
            for item in given_list:
                if isinstance(item, list):
                    item.clear()
            given_list.append("改")
    assert built == profile


def test_a_set_becomes_a_sorted_tuple_and_a_string_is_not_split():
    """A set of names has no order: it is kept sorted. A lone string where a list of
    names belongs is refused rather than read as a list of characters."""
    assert CostRows(level1={"成本指标", "产出指标"}).level1 == ("产出指标", "成本指标")
    with pytest.raises(InvalidProfile) as caught:
        CostRows(level1="成本指标")
    assert str(caught.value) == (
        "CostRows(…): not a usable rule profile (1 problem)\n"
        "  quantitative.cost_rows.level1: expected a list of strings, got '成本指标'"
    )


@pytest.mark.parametrize(
    ("make", "where"),
    [
        (lambda: Overshoot(note_threshold=0.3), "overshoot.note_threshold"),
        (lambda: Step(at=Decimal(1), fraction=0.5), "execution.steps.fraction"),
        (
            lambda: QualitativeRules(bands=((0.8, 1), (0.6, 0.8), (0, 0.6))),
            "qualitative.bands.achieved",
        ),
        (lambda: Profile(name="x", expected_weights={"执行率": 10.0}), "expected_weights.执行率"),
    ],
)
def test_floats_are_refused(make, where):
    """A float anywhere in a profile is refused, naming the parameter."""
    with pytest.raises(FloatRefusedError) as caught:
        make()
    assert caught.value.where == where


def test_numbers_convert_from_strings_and_ints():
    """Python construction takes str, int or Decimal, as a TOML file does."""
    assert QualitativeRules(partial="70%", not_achieved="0.3", achieved=1).fraction("partial") == (
        Decimal("0.7")
    )
    assert Profile(name="x", expected_weights={"产出指标+成本指标": 50}).expected_weights == (
        (("产出指标", "成本指标"), Decimal(50)),
    )
    assert AuditRules(severity={"level1-weights": "off"}).severity == (("level1-weights", "off"),)


# ---------------------------------------------------------------------------------
# Files that cannot be read, through the command line


def refused(arguments, capsys):
    """What a command that must exit 2, writing nothing, prints on stderr."""
    status = main(arguments)
    captured = capsys.readouterr()
    assert (status, captured.out) == (2, "")
    return captured.err


def test_a_profile_that_is_not_utf8_is_one_line_of_error(tmp_path, capsys):
    """A profile file that is not UTF-8 (or one it extends) names the file and the byte."""
    bad = tmp_path / "p.toml"
    bad.write_bytes(b"\xff\xfe")
    assert refused(["score", str(STUDY), "--profile", str(bad)], capsys) == (
        f"perfscore: {bad}: not a usable rule profile: not UTF-8: byte 0xff at line 1, "
        "column 1 (save the file as UTF-8)\n"
    )
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes('name = "口径"\ntitle = "某省"\n'.encode("gb18030"))
    assert refused(["score", str(STUDY), "--profile", str(gbk)], capsys) == (
        f"perfscore: {gbk}: not a usable rule profile: not UTF-8: byte 0xbf at line 1, "
        "column 9 (save the file as UTF-8)\n"
    )
    child = tmp_path / "child.toml"
    child.write_text('extends = "p.toml"\n', "utf-8")
    assert refused(["audit", str(STUDY), "--profile", str(child)], capsys) == (
        f"perfscore: {bad} (extended by {child}): not a usable rule profile: not UTF-8: "
        "byte 0xff at line 1, column 1 (save the file as UTF-8)\n"
    )


def test_a_profile_path_that_is_not_a_file_says_what_it_is(tmp_path, capsys):
    """A directory or a named pipe is named as such, never read, never "no such file"."""
    directory = tmp_path / "dir.toml"
    directory.mkdir()
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    for path, what in ((directory, "a directory"), (fifo, "a named pipe (FIFO)")):
        assert refused(["score", str(STUDY), "--profile", str(path)], capsys) == (
            f"perfscore: {path}: not a usable rule profile: {what}, not a profile file\n"
        )
    child = tmp_path / "child.toml"
    child.write_text('extends = "dir.toml"\n', "utf-8")
    assert refused(["score", str(STUDY), "--profile", str(child)], capsys) == (
        f"perfscore: {directory} (extended by {child}): not a usable rule profile: "
        "a directory, not a profile file\n"
    )


def test_a_missing_profile_file_says_so(tmp_path, capsys):
    """A path to no file says "no such file" and lists the built-in profiles."""
    missing = tmp_path / "missing.toml"
    assert refused(["score", str(STUDY), "--profile", str(missing)], capsys) == (
        f"perfscore: unknown rule profile '{missing}': no such file; "
        "built-in profiles: changji-2023, mof-2020\n"
    )


def test_an_unreadable_profile_file_says_so(tmp_path, capsys, monkeypatch):
    """A file that cannot be opened says why, with its name."""
    locked = tmp_path / "locked.toml"
    locked.write_text('name = "x"\n', "utf-8")
    opened = Path.open

    def refuse(self, *arguments, **keywords):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return opened(self, *arguments, **keywords)

    monkeypatch.setattr(Path, "open", refuse)
    assert refused(["score", str(STUDY), "--profile", str(locked)], capsys) == (
        f"perfscore: {locked}: not a usable rule profile: cannot be read: Permission denied\n"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_a_profile_file_without_read_permission(tmp_path, capsys):
    """The same with real permissions, where the tests do not run as root."""
    locked = tmp_path / "locked.toml"
    locked.write_text('name = "x"\n', "utf-8")
    locked.chmod(0)
    assert refused(["score", str(STUDY), "--profile", str(locked)], capsys) == (
        f"perfscore: {locked}: not a usable rule profile: cannot be read: Permission denied\n"
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "[rounding\n",
            "not valid TOML: Expected ']' at the end of a table declaration (at line 1, column 10)",
        ),
        ("name = 1" + "0" * 5000 + "\n", "not valid TOML: an integer of more than 4300 digits"),
        ("name = " + "[" * 50_000 + "]" * 50_000 + "\n", "not valid TOML: nested too deeply"),
        (
            "[execution]\nfloor = 1e99999999999999999999999\n",
            "not valid TOML: a number beyond any size perfscore reads (1e99999999999999999999999)",
        ),
    ],
)
def test_a_profile_that_is_not_toml_is_one_line_of_error(tmp_path, capsys, text, problem):
    """Text that TOML (or Python reading it) cannot take is one line naming the file."""
    path = tmp_path / "p.toml"
    path.write_text(text, "utf-8")
    assert refused(["score", str(STUDY), "--profile", str(path)], capsys) == (
        f"perfscore: {path}: not a usable rule profile: {problem}\n"
    )


def test_a_huge_profile_file_is_refused_unread(tmp_path, capsys):
    """A profile file is a few kilobytes; one beyond a mebibyte is not read."""
    path = tmp_path / "p.toml"
    path.write_text("# " + "x" * (1 << 20) + "\n", "utf-8")
    assert refused(["score", str(STUDY), "--profile", str(path)], capsys) == (
        f"perfscore: {path}: not a usable rule profile: {(1 << 20) + 3} bytes, larger than "
        "a profile file may be (1048576 bytes)\n"
    )


def test_an_extends_loop_names_the_files(tmp_path, capsys):
    """Files extending each other in a loop are an error listing the loop."""
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text('extends = "b.toml"\n', "utf-8")
    second.write_text('extends = "a.toml"\n', "utf-8")
    assert refused(["score", str(STUDY), "--profile", str(first)], capsys) == (
        f"perfscore: {first}: not a usable rule profile (1 problem)\n"
        f"  extends: a loop: {first} → {second} → {first}\n"
    )


# ---------------------------------------------------------------------------------
# Numbers of extreme size: every number has bounds, and no message spells one out.


@pytest.mark.parametrize(
    ("text", "path", "problem"),
    [
        (
            '[overshoot]\nnote_threshold = 1e-999999999\npenalty = "linear"\n',
            "overshoot.note_threshold",
            "expected at most 10 decimal places (8 in a percentage), got 1E-999999999",
        ),
        (
            '[execution]\nrule = "steps"\nsteps = [{at = 1e-999999999, fraction = 0.5}]\n',
            "execution.steps[0].at",
            "expected at most 10 decimal places (8 in a percentage), got 1E-999999999",
        ),
        (
            '[expected_weights]\n"产出指标" = 1e999999999\n',
            "expected_weights.产出指标",
            "expected a number of points from 0 to 1000000, got 1E+999999999",
        ),
        (
            '[execution]\nfloor = "1e-999999999%"\n',
            "execution.floor",
            "expected at most 10 decimal places (8 in a percentage), got '1e-999999999%'",
        ),
        (
            "[execution]\nfull_at = 10.5\n",
            "execution.full_at",
            "expected a rate from 0 to 10 (or 0% to 1000%), got 10.5",
        ),
        (
            "[overshoot]\nnote_threshold = 100.01\n",
            "overshoot.note_threshold",
            "expected a share from 0 to 100 (or 0% to 10000%), got 100.01",
        ),
        (
            "[overshoot]\nnote_threshold = -0.1\n",
            "overshoot.note_threshold",
            "expected a share from 0 to 100 (or 0% to 10000%), got -0.1",
        ),
        (
            '[grades]\nlevels = [{at = 1e400, label = "优"}]\n',
            "grades.levels[0].at",
            "expected a total from -1000000 to 1000000, got 1E+400",
        ),
        (
            "[audit]\nscore_tolerance = 0." + "1" * 200 + "\n",
            "audit.score_tolerance",
            "expected at most 10 decimal places, got 1.11111…E-1",
        ),
        (
            "[audit]\nboilerplate_min_rows = 1" + "0" * 30 + "\n",
            "audit.boilerplate_min_rows",
            "expected a whole number from 2 to 1000000, got 1.00000…E+30",
        ),
        (
            "[audit]\nboilerplate_min_rows = 0x" + "f" * 5000 + "\n",
            "audit.boilerplate_min_rows",
            "expected a whole number from 2 to 1000000, got an integer of about 6021 digits",
        ),
        (
            '[expected_weights]\n"执行率" = "10%"\n',
            "expected_weights.执行率",
            "expected a number, got '10%'",
        ),
        (
            '[qualitative]\npartial = "' + "9" * 100 + '"\n',
            "qualitative.partial",
            (
                "expected a fraction from 0 to 1 (or 0% to 100%), got "
                "'9999999999999999999999999999999999999999'… (100 characters)"
            ),
        ),
        (
            '[qualitative]\npartial = "٠.٧"\n',
            "qualitative.partial",
            "expected a number, got '٠.٧'",
        ),
        ("[qualitative]\npartial = -0.0\n", None, None),
    ],
)
def test_profile_numbers_have_bounds(text, path, problem):
    """Each number is checked against its documented bounds, and a refused number is
    quoted briefly (its first digits and exponent), never spelled out."""
    if path is None:
        assert str(loads_profile(text).qualitative.partial) == "0.0"  # no negative zero
        return
    with pytest.raises(InvalidProfile) as caught:
        loads_profile(text)
    assert caught.value.problems == ((path, problem),)


def test_python_construction_checks_the_same_bounds():
    """A profile built in Python is held to the bounds a TOML file is."""
    with pytest.raises(InvalidProfile) as caught:
        Overshoot(note_threshold=Decimal("1e-999999999"), penalty="linear")
    assert str(caught.value) == (
        "Overshoot(…): not a usable rule profile (1 problem)\n"
        "  overshoot.note_threshold: expected at most 10 decimal places (8 in a percentage), "
        "got 1E-999999999"
    )
    with pytest.raises(InvalidProfile) as caught:
        Profile(name="x", expected_weights={"产出指标": Decimal("1e999999999")})
    assert caught.value.problems == (
        (
            "expected_weights.产出指标",
            "expected a number of points from 0 to 1000000, got 1E+999999999",
        ),
    )
    with pytest.raises(InvalidProfile) as caught:
        ExecutionRule(rule="interval", floor=Decimal("0.9"), full_at=Decimal("0.8"))
    assert caught.value.problems == (("execution.full_at", "must be above execution.floor"),)
    with pytest.raises(InvalidProfile) as caught:
        Rounding(mode="ceiling")
    assert caught.value.problems == (
        ("rounding.mode", "expected one of 'half-up', 'down', 'half-even', got 'ceiling'"),
    )
    with pytest.raises(InvalidProfile) as caught:
        AuditRules(severity={"no-such-check": "off"})
    assert caught.value.problems == (("audit.severity.no-such-check", "no such check"),)


NUMERIC_PARAMETERS = (
    ("rounding", "places"),
    ("execution", "floor"),
    ("execution", "full_at"),
    ("execution", "steps"),
    ("quantitative", "cost_floor"),
    ("overshoot", "note_threshold"),
    ("qualitative", "achieved"),
    ("qualitative", "partial"),
    ("qualitative", "not_achieved"),
    ("qualitative.bands", "partial"),
    ("grades", "levels"),
    ("expected_weights", "执行率"),
    ("expected_weights", "产出指标+成本指标"),
    ("audit", "score_tolerance"),
    ("audit", "boilerplate_min_rows"),
)


@st.composite
def toml_numbers(draw):
    """A number as a TOML file might hold it: tiny or huge exponents, many digits."""
    digits = draw(st.text("0123456789", min_size=1, max_size=draw(st.sampled_from([3, 40, 400]))))
    exponent = draw(
        st.one_of(
            st.integers(-12, 12),
            st.integers(-(10**9), 10**9),
            st.sampled_from([-999999999, 999999999, -(10**18), 10**18]),
        )
    )
    sign = draw(st.sampled_from(["", "-", "+"]))
    mantissa = digits.lstrip("0") or "0"
    mantissa = mantissa[0] + ("." + mantissa[1:] if len(mantissa) > 1 else "")
    number = f"{sign}{mantissa}e{exponent}"
    general = [
        number,
        f'"{number}"',
        f'"{number}%"',
        f"{sign}{digits.lstrip('0') or '0'}",
        "nan",
        "-inf",
        f"0x{digits}",
    ]
    # Values at and just beyond the documented bounds, which a profile may hold.
    edges = ["0", "1", "10", "100", "1000000", "-1000000", "1e-10", "0.9999999999", "2"]
    edges += ['"100%"', '"1000%"', '"0.00000001%"', "1e-11", "1000000.0000000001", "-0.0"]
    return draw(st.sampled_from(general) | st.sampled_from(edges))


def render(section, key, value):
    if (section, key) == ("execution", "steps"):
        return f'[execution]\nrule = "steps"\nsteps = [{{at = {value}, fraction = {value}}}]\n'
    if (section, key) == ("grades", "levels"):
        return f'[grades]\nlevels = [{{at = {value}, label = "优"}}]\n'
    if section == "qualitative.bands":
        return f"[{section}]\n{key} = [{value}, {value}]\n"
    if section == "expected_weights":
        return f'[{section}]\n"{key}" = {value}\n'
    penalty = '[overshoot]\npenalty = "linear"\n' if section != "overshoot" else ""
    extra = 'penalty = "linear"\n' if section == "overshoot" else ""
    rule = 'rule = "interval"\n' if section == "execution" else ""
    return f"{penalty}[{section}]\n{rule}{extra}{key} = {value}\n"


LONGEST_RUN_OF_DIGITS = 40


def longest_digits(text):
    return max((len(run) for run in re.findall(r"\d+", text)), default=0)


@functools.cache
def seed_tables():
    return [table for path in sorted(SEED.glob("*.json")) for table in load(path)]


@settings(deadline=10_000)  # a guard against hangs only
@given(st.sampled_from(NUMERIC_PARAMETERS), toml_numbers())
def test_extreme_profile_numbers_are_refused_or_harmless(parameter, value):
    """Any number in any parameter is refused with a short message naming the parameter,
    or the profile scores and audits the seed tables in bounded memory, every number in
    its explanations and findings at most a few dozen digits long."""
    section, key = parameter
    text = 'extends = "changji-2023"\n' + render(section, key, value)
    tracemalloc.start()
    try:
        try:
            profile = loads_profile(text)
        except InvalidProfile as error:
            problems = error.problems
        else:
            problems = None
        if problems is not None:
            assert problems
            for path, problem in problems:
                assert len(f"  {path}: {problem}") < 200
                assert longest_digits(problem) <= LONGEST_RUN_OF_DIGITS
            return
        for table in seed_tables():
            report = audit(table, profile=profile)
            texts = [item.explanation for item in report.scorecard.items]
            if report.scorecard.funds is not None:
                texts.append(report.scorecard.funds.explanation)
            texts += [finding.message for finding in report.findings]
            texts.append(profile.to_toml())
            for text_out in texts:
                assert longest_digits(text_out) <= LONGEST_RUN_OF_DIGITS, text_out[:200]
        _, peak = tracemalloc.get_traced_memory()
        assert peak < 64 << 20
    finally:
        tracemalloc.stop()


@st.composite
def python_numbers(draw):
    """A value as Python code might pass it: Decimals of any size, ints, strings, floats."""
    return draw(
        st.one_of(
            st.builds(
                lambda sign, digits, exponent: Decimal((sign, tuple(digits), exponent)),
                st.sampled_from([0, 1]),
                st.lists(st.integers(0, 9), min_size=1, max_size=60),
                st.integers(-(10**9), 10**9) | st.integers(-12, 12),
            ),
            st.decimals(allow_nan=True, allow_infinity=True),
            st.integers() | st.integers(-(10**200), 10**200),
            st.floats(),
            st.from_regex(r"-?[0-9]{1,60}(\.[0-9]{0,60})?(e-?[0-9]{1,10})?%?", fullmatch=True),
        )
    )


PYTHON_FIELDS = (
    (lambda v: Overshoot(note_threshold=v), "note_threshold"),
    (lambda v: ExecutionRule(floor=v), "floor"),
    (lambda v: ExecutionRule(full_at=v), "full_at"),
    (lambda v: Step(at=v, fraction=Decimal(1)), "at"),
    (lambda v: Step(at=Decimal(1), fraction=v), "fraction"),
    (lambda v: QuantitativeRules(cost_floor=v), "cost_floor"),
    (lambda v: QualitativeRules(partial=v), "partial"),
    (lambda v: GradeLevel(at=v, label="优"), "at"),
    (lambda v: AuditRules(score_tolerance=v), "score_tolerance"),
    (lambda v: AuditRules(boilerplate_min_rows=v), "boilerplate_min_rows"),
    (lambda v: Rounding(places=v), "places"),
    (lambda v: Profile(name="x", expected_weights={"执行率": v}), None),
)


@given(st.sampled_from(PYTHON_FIELDS), python_numbers())
def test_python_profile_numbers_are_refused_or_bounded(field, value):
    """Built in Python, a number is refused briefly or kept with a few dozen digits."""
    make, name = field
    try:
        made = make(value)
    except (InvalidProfile, FloatRefusedError) as error:
        message = str(error)
    else:
        message = None
    if message is not None:
        assert len(message) < 250
        assert longest_digits(message.split("\n", 1)[-1]) <= LONGEST_RUN_OF_DIGITS
        return
    kept = made.expected_weights[0][1] if name is None else getattr(made, name)
    assert isinstance(kept, Decimal | int)
    assert longest_digits(f"{kept:f}" if isinstance(kept, Decimal) else str(kept)) <= 20


# ---------------------------------------------------------------------------------
# Each parameter defined once: its field says its default, its checks, its TOML form


# Every parameter's dotted path, as a TOML file and an error name it.
PARAMETER_PATHS = {
    (Profile, "name"): "name",
    (Profile, "title"): "title",
    (Profile, "sources"): "sources",
    (Profile, "expected_weights"): "expected_weights",
    (Rounding, "places"): "rounding.places",
    (Rounding, "mode"): "rounding.mode",
    (ExecutionRule, "rule"): "execution.rule",
    (ExecutionRule, "cap"): "execution.cap",
    (ExecutionRule, "floor"): "execution.floor",
    (ExecutionRule, "full_at"): "execution.full_at",
    (ExecutionRule, "steps"): "execution.steps",
    (ExecutionRule, "zero_budget"): "execution.zero_budget",
    (Step, "at"): "execution.steps.at",
    (Step, "fraction"): "execution.steps.fraction",
    (QuantitativeRules, "mode"): "quantitative.mode",
    (QuantitativeRules, "reverse"): "quantitative.reverse",
    (QuantitativeRules, "equal"): "quantitative.equal",
    (QuantitativeRules, "cost_floor"): "quantitative.cost_floor",
    (QuantitativeRules, "bare_number"): "quantitative.bare_number",
    (QuantitativeRules, "bare_number_on_cost"): "quantitative.bare_number_on_cost",
    (QuantitativeRules, "unit_mismatch"): "quantitative.unit_mismatch",
    (CostRows, "level1"): "quantitative.cost_rows.level1",
    (CostRows, "level2_endings"): "quantitative.cost_rows.level2_endings",
    (Overshoot, "note_threshold"): "overshoot.note_threshold",
    (Overshoot, "penalty"): "overshoot.penalty",
    (QualitativeRules, "achieved"): "qualitative.achieved",
    (QualitativeRules, "partial"): "qualitative.partial",
    (QualitativeRules, "not_achieved"): "qualitative.not_achieved",
    (QualitativeRules, "unknown"): "qualitative.unknown",
    (QualitativeRules, "bands"): "qualitative.bands",
    (GradeLevel, "at"): "grades.levels.at",
    (GradeLevel, "label"): "grades.levels.label",
    (Grades, "levels"): "grades.levels",
    (Grades, "below"): "grades.below",
    (AuditRules, "severity"): "audit.severity",
    (AuditRules, "score_tolerance"): "audit.score_tolerance",
    (AuditRules, "boilerplate_min_rows"): "audit.boilerplate_min_rows",
}
# Tables of parameters a field holds: each a value of its own class.
TABLE_FIELDS = {
    (Profile, name)
    for name in ("rounding", "execution", "quantitative", "overshoot", "qualitative", "grades")
} | {(Profile, "audit"), (QuantitativeRules, "cost_rows")}
REQUIRED = {Step: {"at": 1, "fraction": 1}, GradeLevel: {"at": 1, "label": "优"}}


def test_every_parameter_is_listed():
    """The parameters below are all the profile classes have."""
    found = {(cls, field.name) for cls in PROFILE_CLASSES for field in attrs.fields(cls)}
    assert found == set(PARAMETER_PATHS) | TABLE_FIELDS


@pytest.mark.parametrize(("cls", "name"), sorted(PARAMETER_PATHS, key=str))
def test_a_bad_value_is_named_by_its_dotted_path(cls, name):
    """Built in Python, each parameter refuses a value it cannot take with the path a
    TOML file names it by, as given once by where its class stands in a profile."""
    given = {**REQUIRED.get(cls, {"name": "x"} if cls is Profile else {}), name: object()}
    with pytest.raises(InvalidProfile) as caught:
        cls(**given)
    [(path, _problem)] = caught.value.problems
    assert path == PARAMETER_PATHS[cls, name]
    assert caught.value.source == f"{cls.__name__}(…)"


def test_a_file_that_gives_nothing_is_every_default():
    """A TOML file without parameters reads to each class's defaults, and a profile of
    defaults writes every parameter under its field's name."""
    assert loads_profile("") == Profile(name="custom")
    data = Profile(name="custom").to_data()
    assert list(data) == [
        "name",
        "title",
        "sources",
        "rounding",
        "execution",
        "quantitative",
        "overshoot",
        "qualitative",
        "grades",
        "expected_weights",
        "audit",
    ]
    assert list(data["audit"]) == ["score_tolerance", "boilerplate_min_rows", "severity"]
    assert data["quantitative"]["cost_floor"] == "off"
    assert data["qualitative"]["bands"] == {
        "achieved": [Decimal("0.8"), Decimal(1)],
        "partial": [Decimal("0.6"), Decimal("0.8")],
        "not_achieved": [Decimal(0), Decimal("0.6")],
    }


def test_problems_of_a_table_list_its_keys_before_its_values():
    """Within a table, unknown keys (its sub-tables' too) come before bad values; the
    tables are read in the order of the profile's fields."""
    text = (
        'extends = "mof-2020"\n'
        '[quantitative]\nmode = "partial"\nshape = 1\n'
        "[quantitative.cost_rows]\nlevel1 = 1\nlevel3 = []\n"
        "[qualitative]\npartial = 2\nbands = 1\n"
        "[audit]\nscore_tolerance = -1\n"
        'severity = {"no-such-check" = "off", "score-mismatch" = 1}\n'
        '[rounding]\nmode = "up"\n'
    )
    with pytest.raises(InvalidProfile) as caught:
        loads_profile(text)
    assert caught.value.problems == (
        ("rounding.mode", "expected one of 'half-up', 'down', 'half-even', got 'up'"),
        ("quantitative.shape", "unknown parameter"),
        ("quantitative.cost_rows.level3", "unknown parameter"),
        ("quantitative.mode", "expected one of 'proportional', 'all-or-nothing', got 'partial'"),
        ("quantitative.cost_rows.level1", "expected a list of strings, got 1"),
        ("qualitative.bands", "expected a table, got 1"),
        ("qualitative.partial", "expected a fraction from 0 to 1 (or 0% to 100%), got 2"),
        ("audit.severity.no-such-check", "no such check"),
        (
            "audit.severity.score-mismatch",
            "expected one of 'error', 'warning', 'info', 'off', got 1",
        ),
        ("audit.score_tolerance", "expected a number of points from 0 to 1000000, got -1"),
    )


def test_loads_profile_is_a_quick_start_name():
    """Reading a profile from text is exported next to reading one from a file."""
    assert perfscore.loads_profile is loads_profile
    assert {"load_profile", "loads_profile"} <= set(perfscore.__all__)
    assert perfscore.__all__ == sorted(perfscore.__all__)
    assert perfscore.loads_profile('extends = "mof-2020"').rounding.mode == "half-up"


ANY_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.decimals()
    | st.text(max_size=5)
    | st.sampled_from(["60%", "off", "error", "成本指标", "执行率", "achieved"])
    | st.builds(object)
    | st.builds(Step, st.just(1), st.just(1))
    | st.builds(GradeLevel, st.just(1), st.just("优")),
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.frozensets(st.integers() | st.text(max_size=3), max_size=3)
        | st.dictionaries(st.text(max_size=3) | st.sampled_from(["achieved", "partial"]), children)
    ),
    max_leaves=8,
)


@given(st.sampled_from(sorted(PARAMETER_PATHS, key=str)), ANY_VALUE)
@example((ExecutionRule, "steps"), None)  # was a TypeError: not iterable
@example((Grades, "levels"), 90)
@example((AuditRules, "severity"), [([], "off")])  # was a TypeError: unhashable
def test_any_value_is_taken_or_refused_with_its_path(parameter, value):
    """Whatever Python code gives a parameter, the profile is built or the value is
    refused naming the parameter: never a TypeError or another builtin error."""
    cls, name = parameter
    given_values = {**REQUIRED.get(cls, {"name": "x"} if cls is Profile else {}), name: value}
    try:
        made = cls(**given_values)
    except FloatRefusedError as error:
        paths = [error.where]
    except InvalidProfile as error:
        paths = [path for path, _ in error.problems]
    else:
        assert deeply_immutable(made)
        assert hash(made) == hash(attrs.evolve(made))
        return
    # the parameter's own path, or (for one at odds with another) its table's
    assert paths
    assert all(path.startswith(PARAMETER_PATHS[cls, name].split(".")[0]) for path in paths)

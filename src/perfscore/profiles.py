r"""Rule profiles: every parameter of a scoring rule, as one frozen value.

No single rule is *the* rule for a 绩效自评表: provinces, years and units score
differently. A :class:`Profile` names one reading and holds all its parameters
(rounding, the 执行率 rule, the quantitative and qualitative rules, overshoot, grades,
the expected level-1 weights); :func:`perfscore.score` takes it as a keyword argument.

Built-in profiles ship as TOML files inside the package; a user profile is a TOML file
that may start from one (``extends = "mof-2020"``) and override any parameter.

>>> profile = get_profile("changji-2023")
>>> profile.execution.rule, profile.execution.floor, profile.execution.full_at
('interval', Decimal('0.60'), Decimal('0.90'))
>>> profile.rounding.mode, profile.grades.grade(Decimal("89.99"))
('half-up', '良')
>>> custom = loads_profile('extends = "mof-2020"\n[quantitative]\nreverse = "linear"\n')
>>> custom.quantitative.reverse, custom.quantitative.mode
('linear', 'proportional')
>>> loads_profile(custom.to_toml()) == custom
True
"""

from __future__ import annotations

import os
import tomllib
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    InvalidOperation,
)
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias, get_args

import attrs

from perfscore.errors import InvalidProfile, UnknownProfileError
from perfscore.findings import CHECKS

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

__all__ = [
    "BUILTIN_PROFILES",
    "AuditRules",
    "CostRows",
    "Direction",
    "EqualRule",
    "ExecutionRule",
    "ExecutionRuleName",
    "GradeLevel",
    "Grades",
    "Overshoot",
    "OvershootPenalty",
    "Profile",
    "QualitativeRules",
    "QuantitativeMode",
    "QuantitativeRules",
    "ReverseRule",
    "Rounding",
    "RoundingMode",
    "ScoredTier",
    "SeverityChoice",
    "Step",
    "UnitMismatch",
    "ZeroBudget",
    "get_profile",
    "load_profile",
    "loads_profile",
    "profile_text",
    "resolve_profile",
]

RoundingMode = Literal["half-up", "down", "half-even"]
ExecutionRuleName = Literal["proportional", "interval", "steps"]
ZeroBudget = Literal["full", "zero", "unscored"]
QuantitativeMode = Literal["proportional", "all-or-nothing"]
ReverseRule = Literal["ratio", "linear", "zero"]
EqualRule = Literal["symmetric", "as-at-least", "exact"]
Direction = Literal["at-least", "at-most"]
UnitMismatch = Literal["compare-numbers", "unscored"]
OvershootPenalty = Literal["none", "zero", "linear"]
ScoredTier = Literal["achieved", "partial", "not-achieved"]
SeverityChoice = Literal["error", "warning", "info", "off"]

DECIMAL_ROUNDING: Final[dict[str, str]] = {
    "half-up": ROUND_HALF_UP,
    "down": ROUND_DOWN,
    "half-even": ROUND_HALF_EVEN,
}
"""The :mod:`decimal` rounding constant behind each rounding mode's name."""

BUILTIN_PROFILES: Final[tuple[str, ...]] = ("changji-2023", "mof-2020")
"""The names of the profiles shipped with perfscore."""

# ---------------------------------------------------------------------------------
# The parameters


@attrs.frozen
class Rounding:
    """How each item's score is rounded (once; the total sums the rounded items).

    Attributes:
        places: decimal places kept (tables print 2).
        mode: ``half-up`` (what deployed systems and Oracle's ROUND do), ``down``
            (truncate) or ``half-even`` (Python's default, banker's rounding).

    >>> Rounding().round(Decimal("3.205")), Rounding(mode="half-even").round(Decimal("3.205"))
    (Decimal('3.21'), Decimal('3.20'))
    """

    places: int = 2
    mode: RoundingMode = "half-up"

    def round(self, value: Decimal) -> Decimal:
        """``value`` rounded to ``places`` with ``mode``, whatever its size."""
        # Enough digits for the rounded value at any size; an absurd magnitude raises
        # InvalidOperation instead of building a number of millions of digits.
        digits = min(max(value.adjusted() + self.places + 3, 28), 100_000)
        exponent = Decimal(1).scaleb(-self.places)
        return value.quantize(exponent, rounding=DECIMAL_ROUNDING[self.mode], context=_wide(digits))


@cache
def _wide(digits: int) -> Context:
    """A context wide enough to hold ``digits`` digits at any exponent."""
    return Context(prec=digits, Emax=MAX_EMAX, Emin=MIN_EMIN)


@attrs.frozen
class Step:
    """One step of a ``steps`` execution rule: at or above ``at``, ``fraction`` of the weight."""

    at: Decimal
    fraction: Decimal


def _steps_highest_first(steps: Iterable[Step]) -> tuple[Step, ...]:
    return tuple(sorted(steps, key=lambda step: step.at, reverse=True))


@attrs.frozen
class ExecutionRule:
    """The 执行率 item: rate = 全年执行数 / 全年预算数 of the total funds row.

    Attributes:
        rule: ``proportional`` (weight × rate), ``interval`` (0 below ``floor``, then
            weight × (rate − floor) / (1 − floor), full weight at or above
            ``full_at``) or ``steps`` (the highest step at or below the rate).
        cap: for ``proportional``, whether the score stops at the weight.
        floor: for ``interval``, the rate below which the item scores 0.
        full_at: for ``interval``, the rate from which the item scores full weight.
        steps: for ``steps``, the thresholds, highest first.
        zero_budget: a 全年预算数 of 0 scores ``full``, ``zero`` or is ``unscored``.
    """

    rule: ExecutionRuleName = "proportional"
    cap: bool = True
    floor: Decimal = Decimal("0.60")
    full_at: Decimal = Decimal(1)
    steps: tuple[Step, ...] = attrs.field(default=(), converter=_steps_highest_first)
    zero_budget: ZeroBudget = "full"


@attrs.frozen
class CostRows:
    """Which indicator rows are cost rows (a bare number there reads as at-most).

    Attributes:
        level1: level-1 names that make a row a cost row (成本指标).
        level2_endings: endings of a level-2 name that make a row a cost row
            (经济成本指标, 社会成本指标 … end in 成本指标).
    """

    level1: tuple[str, ...] = ("成本指标",)
    level2_endings: tuple[str, ...] = ("成本指标",)

    def matches(self, level1: str, level2: str) -> bool:
        """Whether a row under these labels is a cost row.

        >>> rows = CostRows()
        >>> rows.matches("产出指标", "经济成本指标"), rows.matches("产出指标", "数量指标")
        (True, False)
        """
        return level1 in self.level1 or level2.endswith(self.level2_endings)


@attrs.frozen
class QuantitativeRules:
    """Rules for rows whose target is a number.

    Attributes:
        mode: ``proportional`` (partial credit) or ``all-or-nothing`` (0 or the weight).
        reverse: an at-most target exceeded scores ``ratio`` (weight × target/actual),
            ``linear`` (weight × max(0, 2 − actual/target)) or ``zero``.
        equal: an ``=`` target missed scores ``symmetric`` (weight × the smaller of
            actual/target and target/actual), ``as-at-least`` (read as ``>=``) or
            ``exact`` (0 unless equal).
        cost_floor: ``None`` (off), or the share of the target an at-most cost row must
            reach to count as met (spending close to plan).
        bare_number: the direction of a target written without a comparator.
        bare_number_on_cost: the same, on a cost row.
        unit_mismatch: target and actual in incompatible units (``%`` against ``期``):
            ``compare-numbers`` (as real tables do) or ``unscored``.
        cost_rows: which rows are cost rows.
    """

    mode: QuantitativeMode = "proportional"
    reverse: ReverseRule = "ratio"
    equal: EqualRule = "symmetric"
    cost_floor: Decimal | None = None
    bare_number: Direction = "at-least"
    bare_number_on_cost: Direction = "at-most"
    unit_mismatch: UnitMismatch = "compare-numbers"
    cost_rows: CostRows = CostRows()


@attrs.frozen
class Overshoot:
    """Actuals far beyond their target (指标值设置偏低).

    Attributes:
        note_threshold: the share beyond the target from which a deviation note is
            expected (0.30: an actual above 130% of an at-least target).
        penalty: what overshooting does to the score: ``none``; ``zero``; or
            ``linear``, one point of weight per point of share beyond the threshold
            (weight × max(0, 1 − (overshoot − note_threshold))).
    """

    note_threshold: Decimal = Decimal("0.30")
    penalty: OvershootPenalty = "none"


@attrs.frozen
class QualitativeRules:
    """Rules for rows with a qualitative target (or a qualitative actual).

    The actual's wording gives its tier (see :func:`perfscore.qualitative_tier`); a
    numeric actual of 100% reads as achieved and 0% as not achieved; anything else is
    ``unknown`` and scored as the tier ``unknown`` names.

    Attributes:
        achieved, partial, not_achieved: the fraction of the weight each tier scores.
        unknown: the tier an unknown reading scores as.
        bands: for the audit, the range of fractions a printed score of each tier may
            take, as ``(low, high)``: ``[low, high)``, and ``[low, high]`` for achieved.
    """

    achieved: Decimal = Decimal(1)
    partial: Decimal = Decimal("0.7")
    not_achieved: Decimal = Decimal("0.3")
    unknown: ScoredTier = "achieved"
    bands: tuple[tuple[Decimal, Decimal], tuple[Decimal, Decimal], tuple[Decimal, Decimal]] = (
        (Decimal("0.8"), Decimal(1)),
        (Decimal("0.6"), Decimal("0.8")),
        (Decimal(0), Decimal("0.6")),
    )

    def fraction(self, tier: ScoredTier) -> Decimal:
        """The share of the weight a tier scores.

        >>> QualitativeRules().fraction("partial")
        Decimal('0.7')
        """
        return {"achieved": self.achieved, "partial": self.partial}.get(tier, self.not_achieved)

    def band(self, tier: ScoredTier) -> tuple[Decimal, Decimal]:
        """The ``(low, high)`` band of a tier."""
        return self.bands[("achieved", "partial", "not-achieved").index(tier)]


@attrs.frozen
class GradeLevel:
    """A grade and the lowest total that earns it."""

    at: Decimal
    label: str


def _levels_highest_first(levels: Iterable[GradeLevel]) -> tuple[GradeLevel, ...]:
    return tuple(sorted(levels, key=lambda level: level.at, reverse=True))


@attrs.frozen
class Grades:
    """评价等级: the highest level whose threshold the total reaches, else ``below``.

    >>> grades = Grades()
    >>> [grades.grade(Decimal(t)) for t in ("90", "89.99", "80", "60", "59.99")]
    ['优', '良', '良', '中', '差']
    """

    levels: tuple[GradeLevel, ...] = attrs.field(
        default=(
            GradeLevel(Decimal(90), "优"),
            GradeLevel(Decimal(80), "良"),
            GradeLevel(Decimal(60), "中"),
        ),
        converter=_levels_highest_first,
    )
    below: str = "差"

    def grade(self, total: Decimal) -> str:
        """The grade of a total."""
        for level in self.levels:
            if total >= level.at:
                return level.label
        return self.below


@attrs.frozen
class AuditRules:
    """How the audit judges a printed table (see ``docs/audit.md``).

    Attributes:
        severity: ``(check id, severity)`` overrides; ``off`` silences a check.
        score_tolerance: how far a printed score may be from the computed one before
            ``score-mismatch`` / ``funds-score-mismatch`` / ``total-mismatch`` (0: exact).
        boilerplate_min_rows: how many rows must carry the same note for
            ``boilerplate-note``.

    >>> AuditRules(severity=(("level1-weights", "off"),)).severity_of("level1-weights")
    'off'
    >>> AuditRules().severity_of("score-mismatch")
    'error'
    """

    severity: tuple[tuple[str, SeverityChoice], ...] = ()
    score_tolerance: Decimal = Decimal(0)
    boilerplate_min_rows: int = 3

    def severity_of(self, check: str) -> SeverityChoice:
        """The severity a check reports with under this profile, or ``off``."""
        return dict(self.severity).get(check, CHECKS[check].severity)


@attrs.frozen
class Profile:
    """A named rule profile: every parameter scoring and the audit use.

    Attributes:
        name: what the profile is called (``mof-2020``).
        title: a one-line description, in Chinese.
        sources: the documents (or observations) the rules come from.
        rounding, execution, quantitative, overshoot, qualitative, grades: the rules.
        audit: how the audit judges a printed table.
        expected_weights: the expected level-1 mix, as ``(names, weight)`` pairs; a
            group of names shares one weight (产出指标 and 成本指标: 50), and the name
            ``执行率`` stands for the funds item.
    """

    name: str
    title: str = ""
    sources: tuple[str, ...] = ()
    rounding: Rounding = Rounding()
    execution: ExecutionRule = ExecutionRule()
    quantitative: QuantitativeRules = QuantitativeRules()
    overshoot: Overshoot = Overshoot()
    qualitative: QualitativeRules = QualitativeRules()
    grades: Grades = Grades()
    expected_weights: tuple[tuple[tuple[str, ...], Decimal], ...] = ()
    audit: AuditRules = AuditRules()

    def to_toml(self) -> str:
        """Every parameter as a TOML document that reads back to an equal profile."""
        return _write_toml(self.to_data())

    def to_data(self) -> dict[str, Any]:
        """Every parameter as plain data (the TOML document's tables)."""
        return _profile_data(self)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled by value, unpickled as the equal profile this process already holds.

        Scoring and the audit remember their work per profile object, so a worker
        process that is sent the profile with every unit of work keeps one profile, and
        what it remembered, instead of starting again with each unit.
        """
        fields = tuple(getattr(self, field.name) for field in attrs.fields(Profile))
        return (_unpickled_profile, (fields,))


def _unpickled_profile(fields: tuple[Any, ...]) -> Profile:
    return _held(Profile(*fields))


def _held(profile: Profile) -> Profile:
    """The equal profile this process already holds, or this one, now held."""
    try:
        held = _HELD.setdefault(profile, profile)
    except TypeError:  # a profile built by hand with a list or a dict in it
        return profile
    if len(_HELD) > _HELD_KEPT:
        _HELD.clear()
        _HELD[profile] = profile
    return held


# Profiles unpickled or read from files in this process, each once: equal profiles are
# one object, and what scoring remembers for it serves them all.
_HELD: Final[dict[Profile, Profile]] = {}
_HELD_KEPT: Final = 64


# ---------------------------------------------------------------------------------
# Reading profiles


def get_profile(name: str) -> Profile:
    """A built-in profile by name.

    Raises:
        UnknownProfileError: no built-in profile has that name.

    >>> get_profile("mof-2020").quantitative.mode
    'proportional'
    """
    if name not in BUILTIN_PROFILES:
        raise UnknownProfileError(name, BUILTIN_PROFILES)
    return _builtin(name)


@cache
def _builtin(name: str) -> Profile:
    # Profiles are frozen, so one parsed copy serves every caller.
    return _read(profile_text(name), source=f"<built-in {name}>", default_name=name, seen=())


def profile_text(name: str) -> str:
    """The TOML text of a built-in profile, comments included.

    Raises:
        UnknownProfileError: no built-in profile has that name.
    """
    if name not in BUILTIN_PROFILES:
        raise UnknownProfileError(name, BUILTIN_PROFILES)
    return (resources.files("perfscore") / "builtin_profiles" / f"{name}.toml").read_text(
        encoding="utf-8"
    )


def load_profile(path: str | Path) -> Profile:
    """Read a profile from a TOML file.

    ``extends`` names a built-in profile or another TOML file (relative to this one);
    the file's parameters override it table by table. ``name`` defaults to the file's
    stem.

    Raises:
        InvalidProfile: the file is not valid TOML or holds unknown or bad parameters;
            every problem is listed with its dotted path.
        OSError: the file cannot be read.
    """
    return _load(Path(path), [])


def _load(path: Path, read: list[tuple[Path, _Stamp]]) -> Profile:
    """The profile in a file; each file read is added to ``read`` with its stamp."""
    read.append((path, _stamp(path)))  # before reading: a later change is seen next time
    text = path.read_text(encoding="utf-8-sig")
    return _read(
        text,
        source=str(path),
        default_name=path.stem,
        seen=(path.resolve(),),
        base=path.parent,
        read=read,
    )


def _file_profile(path: Path) -> Profile:
    """The profile in a file, read again only when a file it reads has changed.

    Scoring remembers its work per profile object, so ``score(table, profile=path)``
    called table by table must get one object, not a new one per call.
    """
    key = os.path.abspath(path)  # noqa: PTH100 - no system calls, unlike Path.resolve
    held = _FILE_PROFILES.get(key)
    if held is not None:
        profile, stamps = held
        if all(_stamp(file) == stamp for file, stamp in stamps):
            return profile
    read: list[tuple[Path, _Stamp]] = []
    profile = _held(_load(path, read))
    if len(_FILE_PROFILES) >= _FILE_PROFILES_KEPT:
        _FILE_PROFILES.clear()
    _FILE_PROFILES[key] = (profile, tuple(read))
    return profile


_Stamp: TypeAlias = tuple[int, int, int]  # a file's inode, size and modification time


def _stamp(path: Path) -> _Stamp:
    try:
        status = path.stat()
    except OSError:
        return (-1, -1, -1)
    return (status.st_ino, status.st_size, status.st_mtime_ns)


_FILE_PROFILES: Final[dict[str, tuple[Profile, tuple[tuple[Path, _Stamp], ...]]]] = {}
_FILE_PROFILES_KEPT: Final = 64


def loads_profile(text: str, *, source: str = "<string>", name: str = "custom") -> Profile:
    r"""Read a profile from TOML text (see :func:`load_profile`).

    >>> loads_profile('name = "mine"\nextends = "changji-2023"').quantitative.cost_floor
    Decimal('0.90')
    """
    return _read(text, source=source, default_name=name, seen=())


def resolve_profile(profile: str | Path | Profile) -> Profile:
    """A :class:`Profile` from a profile, a built-in name or a path to a TOML file.

    Raises:
        UnknownProfileError: a name that is neither built in nor an existing file.
        InvalidProfile: the file is not a usable profile.

    >>> resolve_profile("mof-2020").name
    'mof-2020'
    """
    if type(profile) is str and profile in BUILTIN_PROFILES:  # the common call, first
        return _builtin(profile)
    if isinstance(profile, Profile):
        return profile
    text = str(profile)
    if text in BUILTIN_PROFILES:
        return get_profile(text)
    path = Path(text)
    if path.is_file():
        return _file_profile(path)
    raise UnknownProfileError(text, BUILTIN_PROFILES)


def _read(  # noqa: PLR0913 - the text, where it came from, and the files behind it
    text: str,
    *,
    source: str,
    default_name: str,
    seen: tuple[Path, ...],
    base: Path | None = None,
    read: list[tuple[Path, _Stamp]] | None = None,
) -> Profile:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise InvalidProfile(source, [("", f"not valid TOML: {error}")]) from None
    parent = data.pop("extends", None)
    if parent is not None:
        files = [] if read is None else read
        data = _merge(_parent_data(parent, source=source, seen=seen, base=base, read=files), data)
    data.setdefault("name", default_name)
    return _build(data, source)


def _parent_data(
    parent: object,
    *,
    source: str,
    seen: tuple[Path, ...],
    base: Path | None,
    read: list[tuple[Path, _Stamp]],
) -> dict[str, Any]:
    if not isinstance(parent, str):
        raise InvalidProfile(source, [("extends", f"expected a profile name, got {parent!r}")])
    if parent in BUILTIN_PROFILES:
        data = tomllib.loads(profile_text(parent), parse_float=Decimal)
        grand = data.pop("extends", None)
        if grand is not None:
            data = _merge(_parent_data(grand, source=source, seen=seen, base=None, read=read), data)
        return _without_identity(data)
    path = (base or Path()) / parent
    if not path.is_file():
        problem = f"no built-in profile or file {parent!r}; built-in: {', '.join(BUILTIN_PROFILES)}"
        raise InvalidProfile(source, [("extends", problem)])
    if path.resolve() in seen:
        raise InvalidProfile(source, [("extends", f"{parent!r} extends itself in a cycle")])
    read.append((path, _stamp(path)))
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise InvalidProfile(str(path), [("", f"not valid TOML: {error}")]) from None
    grand = data.pop("extends", None)
    if grand is not None:
        data = _merge(
            _parent_data(
                grand, source=str(path), seen=(*seen, path.resolve()), base=path.parent, read=read
            ),
            data,
        )
    return _without_identity(data)


def _without_identity(data: dict[str, Any]) -> dict[str, Any]:
    """A parent's rules without its name and title: those describe the parent only."""
    data.pop("name", None)
    data.pop("title", None)
    return data


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` on top of ``base``: tables merge key by key, other values replace."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


class _Reader:
    """Takes parameters out of a TOML table, noting every problem with its path."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def table(self, data: Mapping[str, Any], key: str, path: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            self.problems.append((_join(path, key), f"expected a table, got {_show(value)}"))
            return {}
        return value

    def take(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        convert: Callable[[object], Any],
        default: Any,  # noqa: ANN401 - any parameter's default
    ) -> Any:  # noqa: ANN401 - the converted parameter
        if key not in data:
            return default
        try:
            return convert(data[key])
        except _BadValueError as error:
            self.problems.append((_join(path, key), str(error)))
            return default

    def unknown(self, data: Mapping[str, Any], known: set[str], path: str) -> None:
        self.problems.extend(
            (_join(path, key), "unknown parameter") for key in data if key not in known
        )


class _BadValueError(Exception):
    pass


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _show(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{value:f}"
    return repr(value)


def _choice(options: tuple[str, ...]) -> Callable[[object], str]:
    def convert(value: object) -> str:
        if value not in options:
            listed = ", ".join(repr(option) for option in options)
            raise _BadValueError(f"expected one of {listed}, got {_show(value)}")
        return str(value)

    return convert


def _number(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise _BadValueError(f"expected a number, got {_show(value)}")
    text = str(value).strip()
    percent = text.endswith("%")
    try:
        number = Decimal(text.removesuffix("%"))
    except InvalidOperation:
        raise _BadValueError(f"expected a number, got {_show(value)}") from None
    if not number.is_finite():
        raise _BadValueError(f"expected a finite number, got {_show(value)}")
    return number / 100 if percent else number


def _share(value: object) -> Decimal:
    """A fraction in [0, 1], written ``0.6`` or ``"60%"``."""
    number = _number(value)
    if not Decimal(0) <= number <= 1:
        raise _BadValueError(f"expected a fraction from 0 to 1 (or 0% to 100%), got {_show(value)}")
    return number


def _non_negative(value: object) -> Decimal:
    number = _number(value)
    if number < 0:
        raise _BadValueError(f"expected a number of at least 0, got {_show(value)}")
    return number


def _places(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise _BadValueError(f"expected a whole number of places from 0 to 10, got {_show(value)}")
    return value


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise _BadValueError(f"expected true or false, got {_show(value)}")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _BadValueError(f"expected a non-empty string, got {_show(value)}")
    return value


def _any_text(value: object) -> str:
    if not isinstance(value, str):
        raise _BadValueError(f"expected a string, got {_show(value)}")
    return value


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _BadValueError(f"expected a list of strings, got {_show(value)}")
    return tuple(_text(item) for item in value)


def _cost_floor(value: object) -> Decimal | None:
    if value == "off" or value is False:
        return None
    return _share(value)


def _steps(value: object) -> tuple[Step, ...]:
    if not isinstance(value, list):
        raise _BadValueError("expected a list of {at = …, fraction = …} tables")
    steps: list[Step] = []
    for index, item in enumerate(value):
        if not isinstance(item, dict) or set(item) != {"at", "fraction"}:
            raise _BadValueError(
                f"step {index}: expected {{at = …, fraction = …}}, got {_show(item)}"
            )
        try:
            steps.append(Step(at=_non_negative(item["at"]), fraction=_share(item["fraction"])))
        except _BadValueError as error:
            raise _BadValueError(f"step {index}: {error}") from None
    ats = [step.at for step in steps]
    if len(set(ats)) != len(ats):
        raise _BadValueError("two steps start at the same rate")
    return tuple(sorted(steps, key=lambda step: step.at, reverse=True))


def _band(value: object) -> tuple[Decimal, Decimal]:
    if not isinstance(value, list) or len(value) != 2:
        raise _BadValueError(f"expected [low, high], got {_show(value)}")
    low, high = _share(value[0]), _share(value[1])
    if low > high:
        raise _BadValueError(f"low {low:f} is above high {high:f}")
    return low, high


def _grade_levels(value: object) -> tuple[GradeLevel, ...]:
    if not isinstance(value, list):
        raise _BadValueError("expected a list of {at = …, label = …} tables")
    levels: list[GradeLevel] = []
    for index, item in enumerate(value):
        if not isinstance(item, dict) or set(item) != {"at", "label"}:
            raise _BadValueError(
                f"level {index}: expected {{at = …, label = …}}, got {_show(item)}"
            )
        try:
            levels.append(GradeLevel(at=_number(item["at"]), label=_text(item["label"])))
        except _BadValueError as error:
            raise _BadValueError(f"level {index}: {error}") from None
    ats = [level.at for level in levels]
    if len(set(ats)) != len(ats):
        raise _BadValueError("two grades start at the same total")
    return tuple(sorted(levels, key=lambda level: level.at, reverse=True))


_SECTIONS: Final = {
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
}


def _build(data: dict[str, Any], source: str) -> Profile:
    reader = _Reader()
    reader.unknown(data, _SECTIONS, "")
    name = reader.take(data, "name", "", _text, "custom")
    title = reader.take(data, "title", "", _any_text, "")
    sources = reader.take(data, "sources", "", _texts, ())

    section = reader.table(data, "rounding", "")
    reader.unknown(section, {"places", "mode"}, "rounding")
    rounding = Rounding(
        places=reader.take(section, "places", "rounding", _places, 2),
        mode=reader.take(section, "mode", "rounding", _choice(get_args(RoundingMode)), "half-up"),
    )

    execution = _execution_rule(reader, reader.table(data, "execution", ""))

    section = reader.table(data, "quantitative", "")
    path = "quantitative"
    known = {"mode", "reverse", "equal", "cost_floor", "bare_number", "bare_number_on_cost"}
    reader.unknown(section, known | {"unit_mismatch", "cost_rows"}, path)
    cost_section = reader.table(section, "cost_rows", path)
    reader.unknown(cost_section, {"level1", "level2_endings"}, "quantitative.cost_rows")
    directions = _choice(get_args(Direction))
    quantitative = QuantitativeRules(
        mode=reader.take(
            section, "mode", path, _choice(get_args(QuantitativeMode)), "proportional"
        ),
        reverse=reader.take(section, "reverse", path, _choice(get_args(ReverseRule)), "ratio"),
        equal=reader.take(section, "equal", path, _choice(get_args(EqualRule)), "symmetric"),
        cost_floor=reader.take(section, "cost_floor", path, _cost_floor, None),
        bare_number=reader.take(section, "bare_number", path, directions, "at-least"),
        bare_number_on_cost=reader.take(
            section, "bare_number_on_cost", path, directions, "at-most"
        ),
        unit_mismatch=reader.take(
            section, "unit_mismatch", path, _choice(get_args(UnitMismatch)), "compare-numbers"
        ),
        cost_rows=CostRows(
            level1=reader.take(cost_section, "level1", f"{path}.cost_rows", _texts, ("成本指标",)),
            level2_endings=reader.take(
                cost_section, "level2_endings", f"{path}.cost_rows", _texts, ("成本指标",)
            ),
        ),
    )

    section = reader.table(data, "overshoot", "")
    reader.unknown(section, {"note_threshold", "penalty"}, "overshoot")
    overshoot = Overshoot(
        note_threshold=reader.take(
            section, "note_threshold", "overshoot", _non_negative, Decimal("0.30")
        ),
        penalty=reader.take(
            section, "penalty", "overshoot", _choice(get_args(OvershootPenalty)), "none"
        ),
    )

    section = reader.table(data, "qualitative", "")
    path = "qualitative"
    reader.unknown(section, {"achieved", "partial", "not_achieved", "unknown", "bands"}, path)
    bands = reader.table(section, "bands", path)
    reader.unknown(bands, {"achieved", "partial", "not_achieved"}, "qualitative.bands")
    default = QualitativeRules()
    qualitative = QualitativeRules(
        achieved=reader.take(section, "achieved", path, _share, default.achieved),
        partial=reader.take(section, "partial", path, _share, default.partial),
        not_achieved=reader.take(section, "not_achieved", path, _share, default.not_achieved),
        unknown=reader.take(section, "unknown", path, _choice(get_args(ScoredTier)), "achieved"),
        bands=(
            reader.take(bands, "achieved", "qualitative.bands", _band, default.bands[0]),
            reader.take(bands, "partial", "qualitative.bands", _band, default.bands[1]),
            reader.take(bands, "not_achieved", "qualitative.bands", _band, default.bands[2]),
        ),
    )

    section = reader.table(data, "grades", "")
    reader.unknown(section, {"levels", "below"}, "grades")
    grades = Grades(
        levels=reader.take(section, "levels", "grades", _grade_levels, Grades().levels),
        below=reader.take(section, "below", "grades", _text, "差"),
    )

    section = reader.table(data, "expected_weights", "")
    expected: list[tuple[tuple[str, ...], Decimal]] = []
    for key in section:
        weight = reader.take(section, key, "expected_weights", _non_negative, None)
        names = tuple(part.strip() for part in key.split("+"))
        if weight is not None and all(names):
            expected.append((names, weight))
        elif weight is not None:
            reader.problems.append((_join("expected_weights", key), "empty level-1 name"))

    audit = _audit_rules(reader, reader.table(data, "audit", ""))
    if reader.problems:
        raise InvalidProfile(source, reader.problems)
    return Profile(
        name=name,
        title=title,
        sources=sources,
        rounding=rounding,
        execution=execution,
        quantitative=quantitative,
        overshoot=overshoot,
        qualitative=qualitative,
        grades=grades,
        expected_weights=tuple(expected),
        audit=audit,
    )


def _execution_rule(reader: _Reader, section: dict[str, Any]) -> ExecutionRule:
    path = "execution"
    reader.unknown(section, {"rule", "cap", "floor", "full_at", "steps", "zero_budget"}, path)
    execution = ExecutionRule(
        rule=reader.take(
            section, "rule", path, _choice(get_args(ExecutionRuleName)), "proportional"
        ),
        cap=reader.take(section, "cap", path, _flag, True),  # noqa: FBT003 - a default value
        floor=reader.take(section, "floor", path, _share, Decimal("0.60")),
        full_at=reader.take(section, "full_at", path, _non_negative, Decimal(1)),
        steps=reader.take(section, "steps", path, _steps, ()),
        zero_budget=reader.take(
            section, "zero_budget", path, _choice(get_args(ZeroBudget)), "full"
        ),
    )
    if execution.rule == "interval":
        if execution.floor >= 1:
            reader.problems.append(("execution.floor", "an interval rule needs a floor below 100%"))
        elif execution.full_at <= execution.floor:
            reader.problems.append(("execution.full_at", "must be above execution.floor"))
    if execution.rule == "steps" and not execution.steps:
        reader.problems.append(("execution.steps", "a steps rule needs at least one step"))
    return execution


def _audit_rules(reader: _Reader, section: dict[str, Any]) -> AuditRules:
    reader.unknown(section, {"severity", "score_tolerance", "boilerplate_min_rows"}, "audit")
    overrides = reader.table(section, "severity", "audit")
    severity: list[tuple[str, SeverityChoice]] = []
    choice = _choice(get_args(SeverityChoice))
    for check in overrides:
        if check not in CHECKS:
            reader.problems.append((f"audit.severity.{check}", "no such check"))
            continue
        value = reader.take(overrides, check, "audit.severity", choice, None)
        if value is not None:
            severity.append((check, value))
    return AuditRules(
        severity=tuple(severity),
        score_tolerance=reader.take(section, "score_tolerance", "audit", _non_negative, Decimal(0)),
        boilerplate_min_rows=reader.take(section, "boilerplate_min_rows", "audit", _count, 3),
    )


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 2:
        raise _BadValueError(f"expected a whole number of at least 2, got {_show(value)}")
    return value


# ---------------------------------------------------------------------------------
# Writing profiles


def _profile_data(profile: Profile) -> dict[str, Any]:
    execution = profile.execution
    quantitative = profile.quantitative
    qualitative = profile.qualitative
    return {
        "name": profile.name,
        "title": profile.title,
        "sources": list(profile.sources),
        "rounding": {"places": profile.rounding.places, "mode": profile.rounding.mode},
        "execution": {
            "rule": execution.rule,
            "cap": execution.cap,
            "floor": execution.floor,
            "full_at": execution.full_at,
            "steps": [{"at": step.at, "fraction": step.fraction} for step in execution.steps],
            "zero_budget": execution.zero_budget,
        },
        "quantitative": {
            "mode": quantitative.mode,
            "reverse": quantitative.reverse,
            "equal": quantitative.equal,
            "cost_floor": "off" if quantitative.cost_floor is None else quantitative.cost_floor,
            "bare_number": quantitative.bare_number,
            "bare_number_on_cost": quantitative.bare_number_on_cost,
            "unit_mismatch": quantitative.unit_mismatch,
            "cost_rows": {
                "level1": list(quantitative.cost_rows.level1),
                "level2_endings": list(quantitative.cost_rows.level2_endings),
            },
        },
        "overshoot": {
            "note_threshold": profile.overshoot.note_threshold,
            "penalty": profile.overshoot.penalty,
        },
        "qualitative": {
            "achieved": qualitative.achieved,
            "partial": qualitative.partial,
            "not_achieved": qualitative.not_achieved,
            "unknown": qualitative.unknown,
            "bands": {
                "achieved": list(qualitative.bands[0]),
                "partial": list(qualitative.bands[1]),
                "not_achieved": list(qualitative.bands[2]),
            },
        },
        "grades": {
            "levels": [{"at": level.at, "label": level.label} for level in profile.grades.levels],
            "below": profile.grades.below,
        },
        "expected_weights": {"+".join(names): weight for names, weight in profile.expected_weights},
        "audit": {
            "score_tolerance": profile.audit.score_tolerance,
            "boilerplate_min_rows": profile.audit.boilerplate_min_rows,
            "severity": dict(profile.audit.severity),
        },
    }


def _toml_key(key: str) -> str:
    if key and all(char.isascii() and (char.isalnum() or char in "-_") for char in key):
        return key
    return _toml_string(key)


def _toml_string(text: str) -> str:
    escaped = []
    for char in text:
        if char in {'"', "\\"}:
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        text = f"{value:f}"
        # A TOML float needs a digit after the point; an integral Decimal reads back equal.
        return text.removesuffix(".")
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = ", ".join(f"{_toml_key(key)} = {_toml_value(item)}" for key, item in value.items())
        return "{" + pairs + "}" if pairs else "{}"
    raise TypeError(value)  # pragma: no cover - the writer only gets profile data


def _write_toml(data: Mapping[str, Any]) -> str:
    lines: list[str] = []
    tables: list[tuple[str, Mapping[str, Any]]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    for key, table in tables:
        lines.append("")
        lines.append(f"[{key}]")
        nested = [(name, value) for name, value in table.items() if isinstance(value, dict)]
        lines.extend(
            f"{_toml_key(name)} = {_toml_value(value)}"
            for name, value in table.items()
            if not isinstance(value, dict)
        )
        for name, value in nested:
            lines.append("")
            lines.append(f"[{key}.{_toml_key(name)}]")
            lines.extend(
                f"{_toml_key(inner)} = {_toml_value(item)}" for inner, item in value.items()
            )
    return "\n".join(lines) + "\n"

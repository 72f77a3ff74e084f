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

import codecs
import os
import re
import reprlib
import stat
import sys
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
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
from typing import (
    TYPE_CHECKING,
    Any,
    Final,
    Literal,
    NamedTuple,
    TypeAlias,
    TypeVar,
    cast,
    get_args,
)

import attrs

from perfscore._values import value_repr
from perfscore.errors import FloatRefusedError, InvalidProfile, Problems, UnknownProfileError
from perfscore.findings import CHECKS

# pathlib (with the urllib.parse and ipaddress it imports, about 3 ms) is imported by
# the functions that make paths, not with this module: `import perfscore` needs none.
if TYPE_CHECKING:
    from collections.abc import Callable, Container, Iterator
    from pathlib import Path

    from attrs import AttrsInstance

__all__ = [
    "BUILTIN_PROFILES",
    "MAX_PLACES",
    "AuditRules",
    "CostRows",
    "Direction",
    "EqualRule",
    "ExecutionRule",
    "ExecutionRuleName",
    "FitSearch",
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
# Checking values: one set of rules for a TOML file and for construction in Python


class _BadValueError(Exception):
    """A value a parameter cannot take, and what was expected.

    ``at`` is where inside the value (such as ``[0].at``), appended to the parameter's
    path.
    """

    def __init__(self, message: str, *, at: str = "") -> None:
        super().__init__(message)
        self.at = at


@contextmanager
def _inside(at: str) -> Iterator[None]:
    """Errors raised within name their place in the value: ``at``, then their own."""
    try:
        yield
    except _BadValueError as error:
        error.at = at + error.at
        raise


class _FloatGivenError(_BadValueError):
    """A float where a number belongs (only Python gives one: TOML is read as Decimal)."""

    def __init__(self, value: float, *, at: str = "") -> None:
        super().__init__(FloatRefusedError(value).advice, at=at)
        self.value = value


class _UnreadableNumberError(Exception):
    """A TOML number beyond the exponents :class:`~decimal.Decimal` can hold."""


MAX_PLACES: Final = 10
"""The most decimal places a number in a profile may have (``0.0000000001``)."""

# Beyond this many bits an integer is not converted, only described: Decimal(int) and
# str(int) take time that grows faster than the integer's length.
_LONG_INT_BITS: Final = 12_000
# A refused number is quoted in full up to this many characters, else briefly.
_SHOWN: Final = 30
_SHOWN_TEXT: Final = 40


class _Bound(NamedTuple):  # not an attrs class: that would cost a millisecond at import
    """The numbers one kind of parameter takes.

    From ``low`` to ``high``, with at most :data:`MAX_PLACES` decimal places;
    ``percent``: whether ``"60%"`` may stand for 0.6.
    """

    noun: str
    low: Decimal
    high: Decimal
    percent: bool

    def words(self) -> str:
        """The range in words, as a message gives it."""
        words = f"{self.noun} from {self.low:f} to {self.high:f}"
        if self.percent:
            words += f" (or {self.low * 100:f}% to {self.high * 100:f}%)"
        return words


_FRACTION: Final = _Bound("a fraction", Decimal(0), Decimal(1), percent=True)
_RATE: Final = _Bound("a rate", Decimal(0), Decimal(10), percent=True)
_BEYOND: Final = _Bound("a share", Decimal(0), Decimal(100), percent=True)
_POINTS: Final = _Bound("a number of points", Decimal(0), Decimal(1_000_000), percent=False)
_TOTAL: Final = _Bound("a total", Decimal(-1_000_000), Decimal(1_000_000), percent=False)
_NUMBER_TEXT: Final = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def _parsed(value: object, *, percent: bool) -> Decimal:
    """A number from a Decimal, an int or a string (``"0.6"``, ``"60%"`` if ``percent``)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        raise _FloatGivenError(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > _LONG_INT_BITS:
            raise _BadValueError(f"expected a number of a readable size, got {_show(value)}")
        return Decimal(value)
    if not isinstance(value, str):
        raise _BadValueError(f"expected a number, got {_show(value)}")
    text = value.strip()
    scale = 0
    if percent and text.endswith("%"):
        text, scale = text[:-1].rstrip(), -2
    # ASCII digits only: Decimal would also read ٠.٧ and full-width digits.
    if not _NUMBER_TEXT.fullmatch(text):
        raise _BadValueError(f"expected a number, got {_show(value)}")
    try:
        number = Decimal(text)
        if scale:  # exactly, whatever the number of digits
            sign, digits, exponent = number.as_tuple()
            number = Decimal((sign, digits, cast("int", exponent) + scale))
    except InvalidOperation:  # an exponent beyond any Decimal's
        raise _BadValueError(f"expected a number of a readable size, got {_show(value)}") from None
    return number


def _number(value: object, bound: _Bound) -> Decimal:
    """A number within ``bound``, with at most :data:`MAX_PLACES` decimal places.

    The bounds are checked by comparison alone, which costs the same at any size; only
    a number within them is ever formatted or calculated with.
    """
    if isinstance(value, int) and value.bit_length() > _LONG_INT_BITS:
        raise _BadValueError(f"expected {bound.words()}, got {_show(value)}")
    number = _parsed(value, percent=bound.percent)
    if not number.is_finite():
        raise _BadValueError(f"expected a finite number, got {_show(value)}")
    if not bound.low <= number <= bound.high:
        raise _BadValueError(f"expected {bound.words()}, got {_show(value)}")
    if _places_of(number) > MAX_PLACES:
        in_percent = f" ({MAX_PLACES - 2} in a percentage)" if bound.percent else ""
        raise _BadValueError(
            f"expected at most {MAX_PLACES} decimal places{in_percent}, got {_show(value)}"
        )
    return number.copy_abs() if number.is_zero() else number  # never a negative zero


def _places_of(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _fraction(value: object) -> Decimal:
    """A fraction from 0 to 1, written ``0.6`` or ``"60%"``."""
    return _number(value, _FRACTION)


def _rate(value: object) -> Decimal:
    """An execution rate from 0 to 10 (1000%)."""
    return _number(value, _RATE)


def _beyond(value: object) -> Decimal:
    """A share beyond the target, from 0 to 100 (10000%)."""
    return _number(value, _BEYOND)


def _points(value: object) -> Decimal:
    """A weight or a tolerance in points, from 0 to 1,000,000."""
    return _number(value, _POINTS)


def _total(value: object) -> Decimal:
    """A total in points, from -1,000,000 to 1,000,000 (a grade's threshold)."""
    return _number(value, _TOTAL)


def _places(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PLACES:
        raise _BadValueError(
            f"expected a whole number of places from 0 to {MAX_PLACES}, got {_show(value)}"
        )
    return value


_MOST_ROWS: Final = 1_000_000


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 2 <= value <= _MOST_ROWS:
        raise _BadValueError(f"expected a whole number from 2 to {_MOST_ROWS}, got {_show(value)}")
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


def _choice(options: tuple[str, ...]) -> Callable[[object], str]:
    def convert(value: object) -> str:
        if value not in options:
            listed = ", ".join(repr(option) for option in options)
            raise _BadValueError(f"expected one of {listed}, got {_show(value)}")
        return str(value)

    return convert


def _show(value: object) -> str:
    """A value as a message quotes it.

    A long number shows its first digits and its exponent, a long string its start and
    length, a container its first few items: a message stays a line long, whatever
    the value.
    """
    if isinstance(value, Decimal):
        return _brief(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > _LONG_INT_BITS:
            return f"an integer of about {int(value.bit_length() * _LOG10_2) + 1} digits"
        return _brief(Decimal(value))
    if isinstance(value, str) and len(value) > _SHOWN_TEXT:
        return f"{value[:_SHOWN_TEXT]!r}… ({len(value)} characters)"
    try:
        return _REPR.repr(value)
    except (ValueError, RecursionError):  # an integer too long for str() inside
        return f"a {type(value).__name__}"


_LOG10_2: Final = 0.30103
_REPR: Final = reprlib.Repr()
_REPR.maxlevel, _REPR.maxdict, _REPR.maxlist = 3, 4, 4
_REPR.maxstring, _REPR.maxother = _SHOWN_TEXT, _SHOWN


def _brief(number: Decimal) -> str:
    """A number in full if short, else its first six digits and its exponent.

    >>> _brief(Decimal("0.30")), _brief(Decimal("1e-999999999")), _brief(Decimal(10) ** 40)
    ('0.30', '1E-999999999', '1.00000…E+40')
    """
    sign, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int):
        return str(number)  # NaN, Infinity
    count = len(digits)
    length = count + exponent if exponent >= 0 else max(count, 1 - exponent) + 1
    if length <= _SHOWN:
        return f"{number:f}"
    head = "".join(map(str, digits[:6]))
    mantissa = head[0] + ("." + head[1:] if len(head) > 1 else "") + ("…" if count > 6 else "")
    return f"{'-' if sign else ''}{mantissa}E{number.adjusted():+d}"


def _key(key: str) -> str:
    """A TOML key as a path shows it: a long or odd key quoted briefly."""
    return key if len(key) <= _SHOWN_TEXT and key.isprintable() else _show(key)


def _join(path: str, key: str) -> str:
    return f"{path}.{_key(key)}" if path else _key(key)


# --- the same checks, on values built in Python -------------------------------------
#
# Converters turn what Python code passes (lists, sets, dicts, str and int numbers) into
# the frozen form; a value they cannot convert is left as it is, and the field's
# validator refuses it, naming the parameter's dotted path.


def _checked(check: Callable[[Any], object]) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """An attrs validator: ``check`` the value, refusing it with the parameter's path."""

    def validate(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:  # noqa: ANN401 - any value given
        try:
            check(value)
        except _FloatGivenError as error:
            path = _path_of(type(instance), attribute.name)
            raise FloatRefusedError(error.value, where=path + error.at) from None
        except _BadValueError as error:
            path = _path_of(type(instance), attribute.name)
            source = f"{type(instance).__name__}(…)"
            raise InvalidProfile(source, [(path + error.at, str(error))]) from None

    return validate


def _path_of(cls: type, name: str) -> str:
    """A parameter's dotted path: where its class stands in a profile, then its name."""
    return _join(_PLACES.get(cls, ""), name)


def _sequence(value: Iterable[Any]) -> tuple[Any, ...]:
    """A tuple of the items; a set's in sorted order, as it has none of its own."""
    if isinstance(value, AbstractSet):
        try:
            return tuple(sorted(value))
        except TypeError:  # items that do not compare: the validator says which
            return tuple(value)
    return tuple(value)


def _is_items(value: object) -> bool:
    return isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping)


def _to_share(value: Decimal | int | str) -> Decimal:
    """A fraction or rate as a Decimal (``"60%"`` is 0.6)."""
    try:
        return _parsed(value, percent=True)
    except _BadValueError:
        return cast("Decimal", value)  # refused by the validator, with its path


def _to_optional_share(value: Decimal | int | str | None) -> Decimal | None:
    return None if value is None else _to_share(value)


def _to_decimal(value: Decimal | int | str) -> Decimal:
    """A number of points as a Decimal (no percentages)."""
    try:
        return _parsed(value, percent=False)
    except _BadValueError:
        return cast("Decimal", value)  # refused by the validator, with its path


def _to_texts(value: Iterable[str]) -> tuple[str, ...]:
    if not _is_items(value):
        return cast("tuple[str, ...]", value)  # a lone string is no list of names
    return _sequence(value)


def _to_steps(value: Iterable[Step]) -> tuple[Step, ...]:
    if not _is_items(value):
        return cast("tuple[Step, ...]", value)  # refused by the validator
    steps = _sequence(value)
    if all(isinstance(step, Step) for step in steps):
        return tuple(sorted(steps, key=lambda step: step.at, reverse=True))
    return steps


def _to_levels(value: Iterable[GradeLevel]) -> tuple[GradeLevel, ...]:
    if not _is_items(value):
        return cast("tuple[GradeLevel, ...]", value)  # refused by the validator
    levels = _sequence(value)
    if all(isinstance(level, GradeLevel) for level in levels):
        return tuple(sorted(levels, key=lambda level: level.at, reverse=True))
    return levels


_TIERS: Final = ("achieved", "partial", "not_achieved")
_Bands: TypeAlias = tuple[tuple[Decimal, Decimal], tuple[Decimal, Decimal], tuple[Decimal, Decimal]]
_Weights: TypeAlias = tuple[tuple[tuple[str, ...], Decimal], ...]
_Severities: TypeAlias = tuple[tuple[str, SeverityChoice], ...]
_ItemT = TypeVar("_ItemT", bound="AttrsInstance")
_TableReader: TypeAlias = "Callable[[_Reader, dict[str, Any], str, Any], Any]"


def _to_bands(
    value: Mapping[str, Iterable[Decimal | int | str]] | Iterable[Iterable[Decimal | int | str]],
) -> _Bands:
    bands: object = value
    if isinstance(value, Mapping):
        if set(value) != set(_TIERS):
            return cast("_Bands", value)  # refused by the validator
        bands = [value[tier] for tier in _TIERS]
    if not _is_items(bands):
        return cast("_Bands", value)  # refused by the validator
    return cast(
        "_Bands",
        tuple(
            tuple(map(_to_share, band)) if _is_items(band) else band
            for band in _sequence(cast("Iterable[Any]", bands))
        ),
    )


def _to_names(value: str | Iterable[str]) -> tuple[str, ...]:
    """Level-1 names: a string is ``+``-joined names, as a TOML key is."""
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split("+"))
    return _to_texts(value)


def _to_weights(
    value: Mapping[str | tuple[str, ...], Decimal | int | str]
    | Iterable[tuple[str | Iterable[str], Decimal | int | str]],
) -> _Weights:
    pairs = tuple(value.items()) if isinstance(value, Mapping) else value
    if not _is_items(pairs):
        return cast("_Weights", value)  # refused by the validator
    converted: list[Any] = []
    for pair in _sequence(pairs):
        if _is_items(pair) and len(pair := tuple(pair)) == 2:
            converted.append((_to_names(pair[0]), _to_decimal(pair[1])))
        else:
            converted.append(pair)
    return tuple(converted)


def _to_severity(
    value: Mapping[str, SeverityChoice] | Iterable[tuple[str, SeverityChoice]],
) -> _Severities:
    pairs = tuple(value.items()) if isinstance(value, Mapping) else value
    if not _is_items(pairs):
        return cast("_Severities", value)  # refused by the validator
    return tuple(tuple(pair) if _is_items(pair) else pair for pair in _sequence(pairs))


def _text_tuple(value: object) -> None:
    if type(value) is not tuple:
        raise _BadValueError(f"expected a list of strings, got {_show(value)}")
    for index, item in enumerate(value):
        with _inside(f"[{index}]"):
            _text(item)


def _steps_problem(steps: Iterable[Step]) -> str | None:
    return _same_start([step.at for step in steps], "two steps start at the same rate")


def _levels_problem(levels: Iterable[GradeLevel]) -> str | None:
    return _same_start([level.at for level in levels], "two grades start at the same total")


def _same_start(starts: list[Decimal], problem: str) -> str | None:
    return problem if len(set(starts)) != len(starts) else None


def _step_tuple(value: object) -> None:
    _distinct_tuple(value, Step, _steps_problem)


def _level_tuple(value: object) -> None:
    _distinct_tuple(value, GradeLevel, _levels_problem)


def _distinct_tuple(
    value: object, kind: type[Step | GradeLevel], problem_of: Callable[[Any], str | None]
) -> None:
    """A tuple of ``kind`` values (steps, grade levels), no two starting at one place."""
    if type(value) is not tuple or not all(isinstance(item, kind) for item in value):
        raise _BadValueError(f"expected a list of {kind.__name__} values, got {_show(value)}")
    if problem := problem_of(value):
        raise _BadValueError(problem)


def _band_pair(value: object) -> tuple[Decimal, Decimal]:
    """A ``(low, high)`` band of fractions, ``low`` not above ``high``."""
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise _BadValueError(f"expected [low, high], got {_show(value)}")
    low, high = _fraction(value[0]), _fraction(value[1])
    if low > high:
        raise _BadValueError(f"low {low:f} is above high {high:f}")
    return low, high


def _band_tuple(value: object) -> None:
    if type(value) is not tuple or len(value) != len(_TIERS):
        raise _BadValueError(f"expected three [low, high] bands, got {_show(value)}")
    for tier, band in zip(_TIERS, value, strict=True):
        if type(band) is not tuple:
            raise _BadValueError(f"expected [low, high], got {_show(band)}", at=f".{tier}")
        with _inside(f".{tier}"):
            _band_pair(band)


def _names_problem(names: object) -> str | None:
    if type(names) is not tuple or not names:
        return f"expected level-1 names, got {_show(names)}"
    for name in names:
        if not isinstance(name, str) or not name.strip():
            return f"expected a non-empty level-1 name, got {_show(name)}"
        if "+" in name:  # TOML joins the names of a group with it
            return f"a level-1 name cannot hold '+', got {_show(name)}"
    return None


def _weight_tuple(value: object) -> None:
    if type(value) is not tuple:
        raise _BadValueError(f"expected (names, weight) pairs, got {_show(value)}")
    for pair in value:
        if type(pair) is not tuple or len(pair) != 2:
            raise _BadValueError(f"expected (names, weight) pairs, got {_show(pair)}")
        names, weight = pair
        problem = _names_problem(names)
        if problem:
            raise _BadValueError(problem)
        with _inside("." + _key("+".join(names))):
            _points(weight)


_SEVERITY_CHOICE: Final = _choice(get_args(SeverityChoice))


def _severity_tuple(value: object) -> None:
    if type(value) is not tuple:
        raise _BadValueError(f"expected (check, severity) pairs, got {_show(value)}")
    for pair in value:
        if type(pair) is not tuple or len(pair) != 2:
            raise _BadValueError(f"expected (check, severity) pairs, got {_show(pair)}")
        check, severity = pair
        if not isinstance(check, str) or check not in CHECKS:
            at = "." + (_key(check) if isinstance(check, str) else _show(check))
            raise _BadValueError("no such check", at=at)
        with _inside(f".{check}"):
            _SEVERITY_CHOICE(severity)


def _execution_problems(
    rule: str, floor: Decimal, full_at: Decimal, steps: tuple[Step, ...]
) -> list[tuple[str, str]]:
    """What a rule's parameters say against each other."""
    problems = []
    if rule == "interval":
        if floor >= 1:
            problems.append(("execution.floor", "an interval rule needs a floor below 100%"))
        elif full_at <= floor:
            problems.append(("execution.full_at", "must be above execution.floor"))
    if rule == "steps" and not steps:
        problems.append(("execution.steps", "a steps rule needs at least one step"))
    return problems


def _instance_of(cls: type) -> Callable[[object], None]:
    def check(value: object) -> None:
        if not isinstance(value, cls):
            raise _BadValueError(f"expected a {cls.__name__}, got {_show(value)}")

    return check


# --- the TOML forms of parameters that a TOML file writes otherwise ----------------


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _BadValueError(f"expected a list of strings, got {_show(value)}")
    texts = []
    for index, item in enumerate(value):
        with _inside(f"[{index}]"):
            texts.append(_text(item))
    return tuple(texts)


def _cost_floor(value: object) -> Decimal | None:
    if value == "off" or value is False:
        return None
    return _fraction(value)


def _optional(value: Decimal | None) -> Decimal | str:
    return "off" if value is None else value


def _tables(value: object, cls: type[_ItemT]) -> list[_ItemT]:
    """Each ``{key = …, key = …}`` table of a list as a ``cls`` (its keys are the fields).

    Each value is read as its field reads one; an error names the item and the key.
    """
    fields = attrs.fields(cls)
    keys = [field.name for field in fields]
    shape = "{" + ", ".join(f"{key} = …" for key in keys) + "}"
    if not isinstance(value, list):
        raise _BadValueError(f"expected a list of {shape} tables")
    items = []
    for index, item in enumerate(value):
        if not isinstance(item, dict) or set(item) != set(keys):
            raise _BadValueError(f"expected {shape}, got {_show(item)}", at=f"[{index}]")
        with _inside(f"[{index}]"):
            items.append(cls(**{field.name: _in(field, item) for field in fields}))
    return items


def _in(field: attrs.Attribute[Any], item: dict[str, Any]) -> Any:  # noqa: ANN401 - the checked value
    """The value of a table's ``field``, read as the field reads one; an error names it."""
    with _inside(f".{field.name}"):
        return field.metadata["toml"](item[field.name])


def _as_items(data: list[Any]) -> list[dict[str, Any]]:
    return [_data(item) for item in data]


def _steps(value: object) -> tuple[Step, ...]:
    steps = _to_steps(_tables(value, Step))
    _step_tuple(steps)
    return steps


def _grade_levels(value: object) -> tuple[GradeLevel, ...]:
    levels = _to_levels(_tables(value, GradeLevel))
    _level_tuple(levels)
    return levels


def _bands(reader: _Reader, table: dict[str, Any], path: str, default: _Bands) -> _Bands:
    """The ``[qualitative.bands]`` table: a ``[low, high]`` pair for each tier."""
    return cast(
        "_Bands",
        tuple(
            reader.take(table, tier, path, _band_pair, band)
            for tier, band in zip(_TIERS, default, strict=True)
        ),
    )


def _bands_data(bands: _Bands) -> dict[str, list[Decimal]]:
    return {tier: list(band) for tier, band in zip(_TIERS, bands, strict=True)}


def _weights(reader: _Reader, table: dict[str, Any], path: str, _default: _Weights) -> _Weights:
    """The ``[expected_weights]`` table: a weight for each level-1 name (``+``-joined)."""
    expected: list[tuple[tuple[str, ...], Decimal]] = []
    for key in table:
        weight = reader.take(table, key, path, _points, None)
        names = tuple(part.strip() for part in key.split("+"))
        if weight is not None and all(names):
            expected.append((names, weight))
        elif weight is not None:
            reader.problems.add(_join(path, key), "empty level-1 name")
    return tuple(expected)


def _weights_data(weights: _Weights) -> dict[str, Decimal]:
    return {"+".join(names): weight for names, weight in weights}


def _severity(
    reader: _Reader, table: dict[str, Any], path: str, _default: _Severities
) -> _Severities:
    """The ``[audit.severity]`` table: a severity for each check named."""
    severity: list[tuple[str, SeverityChoice]] = []
    for check in table:
        if check not in CHECKS:
            reader.problems.add(f"{path}.{check}", "no such check")
            continue
        value = reader.take(table, check, path, _SEVERITY_CHOICE, None)
        if value is not None:
            severity.append((check, value))
    return tuple(severity)


class FitSearch(NamedTuple):
    """How :func:`perfscore.fit.fit` searches a parameter: its field's ``metadata["fit"]``.

    A parameter with one is a parameter fit sets; a candidate whose value differs from
    the field's default counts as one parameter less simple.

    Attributes:
        values: the values fit tries, in the order it tries them; empty where fit
            works the value out otherwise.
        low, high: for a number, the range in which fit looks for its window.
        low_open, high_open: whether that range leaves out its low or high end.

    >>> attrs.fields(Rounding).mode.metadata["fit"].values
    ('half-up', 'half-even', 'down')
    >>> attrs.fields(ExecutionRule).floor.metadata["fit"][1:]
    (Decimal('0'), Decimal('1'), False, True)
    """

    values: tuple[str, ...] = ()
    low: Decimal | None = None
    high: Decimal | None = None
    low_open: bool = False
    high_open: bool = False


_SEARCHED: Final = FitSearch()  # a parameter fit sets by its own reasoning
_UNIT: Final = FitSearch(low=Decimal(0), high=Decimal(1))  # a window within [0, 1]


def _parameter(  # noqa: PLR0913 - the parts of one parameter's definition
    default: Any = attrs.NOTHING,  # noqa: ANN401 - any parameter's default
    *,
    check: Callable[[Any], object],
    convert: Callable[[Any], Any] | None = None,
    toml: Callable[[Any], Any] | None = None,
    table: _TableReader | None = None,
    data: Callable[[Any], Any] | None = None,
    fit: FitSearch | None = None,
    **metadata: object,
) -> Any:  # noqa: ANN401 - an attrs field, typed by its annotation
    """A profile parameter: its default and everything said about its values, once.

    Args:
        default: its value when a profile does not give one.
        check: what a value must be (raising :class:`_BadValueError` with what was
            expected); the validator runs it on every value, which puts the
            parameter's dotted path in the error, and a TOML value is read with it.
        convert: turns what Python code may pass (a list, ``"60%"``) into the frozen
            value, or leaves it for ``check`` to refuse.
        toml: reads a TOML value where ``check`` does not (a list of tables).
        table: reads a TOML table of keys (``[qualitative.bands]``), each key's problem
            with its own path; ``keys`` lists the keys it may hold, if fixed.
        data: writes the value as TOML data, where the value is not written as it is.
        fit: how :func:`perfscore.fit.fit` searches it, if it does.
        metadata: more to say (``items``: the class of a list's tables).
    """
    said = {"toml": toml or check, "table": table, "data": data, "fit": fit, **metadata}
    return attrs.field(
        default=default,
        converter=convert,
        validator=_checked(check),
        metadata={key: value for key, value in said.items() if value is not None},
    )


# ---------------------------------------------------------------------------------
# The parameters
#
# Every field converts what it is given to a frozen value (lists and sets to tuples,
# dicts to tuples of pairs, numbers to Decimal) and checks it against its documented
# bounds, so a profile never changes once built and holds no number of absurd size:
# what scoring remembers for a profile object stays true for it. Its TOML key is its
# name, and a TOML file is read and written by the fields: each is defined once, here.


@attrs.frozen
class Rounding:
    """How each item's score is rounded (once; the total sums the rounded items).

    Attributes:
        places: decimal places kept (tables print 2), 0 to 10.
        mode: ``half-up`` (what deployed systems and Oracle's ROUND do), ``down``
            (truncate) or ``half-even`` (Python's default, banker's rounding).

    >>> Rounding().round(Decimal("3.205")), Rounding(mode="half-even").round(Decimal("3.205"))
    (Decimal('3.21'), Decimal('3.20'))
    """

    __repr__ = value_repr

    places: int = _parameter(2, check=_places)
    mode: RoundingMode = _parameter(
        "half-up",
        check=_choice(get_args(RoundingMode)),
        fit=FitSearch(("half-up", "half-even", "down")),
    )

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
    """One step of a ``steps`` execution rule: at or above ``at``, ``fraction`` of the weight.

    ``at`` is a rate from 0 to 10 (1000%), ``fraction`` a fraction from 0 to 1; either
    may be given as ``"60%"``.
    """

    __repr__ = value_repr

    at: Decimal = _parameter(check=_rate, convert=_to_share)
    fraction: Decimal = _parameter(check=_fraction, convert=_to_share)


@attrs.frozen
class ExecutionRule:
    """The 执行率 item: rate = 全年执行数 / 全年预算数 of the total funds row.

    Attributes:
        rule: ``proportional`` (weight × rate), ``interval`` (0 below ``floor``, then
            weight × (rate − floor) / (1 − floor), full weight at or above
            ``full_at``) or ``steps`` (the highest step at or below the rate).
        cap: for ``proportional``, whether the score stops at the weight.
        floor: for ``interval``, the rate below which the item scores 0 (0 to 1; below
            1 for ``interval``).
        full_at: for ``interval``, the rate from which the item scores full weight (0
            to 10, above ``floor``).
        steps: for ``steps``, the thresholds, highest first (at least one for ``steps``).
        zero_budget: a 全年预算数 of 0 scores ``full``, ``zero`` or is ``unscored``.
    """

    __repr__ = value_repr

    rule: ExecutionRuleName = _parameter(
        "proportional", check=_choice(get_args(ExecutionRuleName)), fit=_SEARCHED
    )
    cap: bool = _parameter(True, check=_flag, fit=_SEARCHED)  # noqa: FBT003 - a default value
    # fit looks for an interval rule's floor below 1, and its full_at above 0.
    floor: Decimal = _parameter(
        Decimal("0.60"), check=_fraction, convert=_to_share, fit=_UNIT._replace(high_open=True)
    )
    full_at: Decimal = _parameter(
        Decimal(1), check=_rate, convert=_to_share, fit=_UNIT._replace(low_open=True)
    )
    steps: tuple[Step, ...] = _parameter(
        (),
        check=_step_tuple,
        convert=_to_steps,
        toml=_steps,
        data=_as_items,
        items=Step,
    )
    zero_budget: ZeroBudget = _parameter("full", check=_choice(get_args(ZeroBudget)), fit=_SEARCHED)

    def __attrs_post_init__(self) -> None:
        """Check the parameters against each other, as a TOML file's are."""
        problems = _execution_problems(self.rule, self.floor, self.full_at, self.steps)
        if problems:
            raise InvalidProfile("ExecutionRule(…)", problems)


@attrs.frozen
class CostRows:
    """Which indicator rows are cost rows (a bare number there reads as at-most).

    Attributes:
        level1: level-1 names that make a row a cost row (成本指标).
        level2_endings: endings of a level-2 name that make a row a cost row
            (经济成本指标, 社会成本指标 … end in 成本指标).
    """

    __repr__ = value_repr

    level1: tuple[str, ...] = _parameter(
        ("成本指标",), check=_text_tuple, convert=_to_texts, toml=_texts, data=list
    )
    level2_endings: tuple[str, ...] = _parameter(
        ("成本指标",), check=_text_tuple, convert=_to_texts, toml=_texts, data=list
    )

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
            reach to count as met (spending close to plan), a fraction from 0 to 1.
        bare_number: the direction of a target written without a comparator.
        bare_number_on_cost: the same, on a cost row.
        unit_mismatch: target and actual in incompatible units (``%`` against ``期``):
            ``compare-numbers`` (as real tables do) or ``unscored``.
        cost_rows: which rows are cost rows.
    """

    __repr__ = value_repr

    mode: QuantitativeMode = _parameter(
        "proportional",
        check=_choice(get_args(QuantitativeMode)),
        fit=FitSearch(get_args(QuantitativeMode)),
    )
    reverse: ReverseRule = _parameter(
        "ratio", check=_choice(get_args(ReverseRule)), fit=FitSearch(get_args(ReverseRule))
    )
    equal: EqualRule = _parameter(
        "symmetric", check=_choice(get_args(EqualRule)), fit=FitSearch(get_args(EqualRule))
    )
    cost_floor: Decimal | None = _parameter(
        None,
        check=lambda value: value is None or _fraction(value),
        convert=_to_optional_share,
        toml=_cost_floor,
        data=_optional,
        fit=_UNIT,
    )
    bare_number: Direction = _parameter("at-least", check=_choice(get_args(Direction)))
    bare_number_on_cost: Direction = _parameter("at-most", check=_choice(get_args(Direction)))
    unit_mismatch: UnitMismatch = _parameter(
        "compare-numbers", check=_choice(get_args(UnitMismatch))
    )
    cost_rows: CostRows = _parameter(CostRows(), check=_instance_of(CostRows))


@attrs.frozen
class Overshoot:
    """Actuals far beyond their target (指标值设置偏低).

    Attributes:
        note_threshold: the share beyond the target from which a deviation note is
            expected (0.30: an actual above 130% of an at-least target); 0 to 100.
        penalty: what overshooting does to the score: ``none``; ``zero``; or
            ``linear``, one point of weight per point of share beyond the threshold
            (weight × max(0, 1 − (overshoot − note_threshold))).
    """

    __repr__ = value_repr

    note_threshold: Decimal = _parameter(Decimal("0.30"), check=_beyond, convert=_to_share)
    penalty: OvershootPenalty = _parameter("none", check=_choice(get_args(OvershootPenalty)))


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
            Given as three pairs, or a dict of ``achieved``, ``partial`` and
            ``not_achieved``.
    """

    __repr__ = value_repr

    achieved: Decimal = _parameter(Decimal(1), check=_fraction, convert=_to_share, fit=_UNIT)
    partial: Decimal = _parameter(Decimal("0.7"), check=_fraction, convert=_to_share, fit=_UNIT)
    not_achieved: Decimal = _parameter(
        Decimal("0.3"), check=_fraction, convert=_to_share, fit=_UNIT
    )
    unknown: ScoredTier = _parameter(
        "achieved", check=_choice(get_args(ScoredTier)), fit=FitSearch(get_args(ScoredTier))
    )
    bands: tuple[tuple[Decimal, Decimal], tuple[Decimal, Decimal], tuple[Decimal, Decimal]] = (
        _parameter(
            (
                (Decimal("0.8"), Decimal(1)),
                (Decimal("0.6"), Decimal("0.8")),
                (Decimal(0), Decimal("0.6")),
            ),
            check=_band_tuple,
            convert=_to_bands,
            table=_bands,
            keys=_TIERS,
            data=_bands_data,
        )
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
    """A grade and the lowest total that earns it (-1,000,000 to 1,000,000)."""

    __repr__ = value_repr

    at: Decimal = _parameter(check=_total, convert=_to_decimal)
    label: str = _parameter(check=_text)


@attrs.frozen
class Grades:
    """评价等级: the highest level whose threshold the total reaches, else ``below``.

    >>> grades = Grades()
    >>> [grades.grade(Decimal(t)) for t in ("90", "89.99", "80", "60", "59.99")]
    ['优', '良', '良', '中', '差']
    """

    __repr__ = value_repr

    levels: tuple[GradeLevel, ...] = _parameter(
        (
            GradeLevel(Decimal(90), "优"),
            GradeLevel(Decimal(80), "良"),
            GradeLevel(Decimal(60), "中"),
        ),
        check=_level_tuple,
        convert=_to_levels,
        toml=_grade_levels,
        data=_as_items,
        items=GradeLevel,
    )
    below: str = _parameter("差", check=_text)

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
        severity: ``(check id, severity)`` overrides (or a dict of them); ``off``
            silences a check.
        score_tolerance: how far a printed score may be from the computed one before
            ``score-mismatch`` / ``funds-score-mismatch`` / ``total-mismatch`` (0: exact);
            0 to 1,000,000 points.
        boilerplate_min_rows: how many rows must carry the same note for
            ``boilerplate-note`` (2 to 1,000,000).

    >>> AuditRules(severity={"level1-weights": "off"}).severity_of("level1-weights")
    'off'
    >>> AuditRules().severity_of("score-mismatch")
    'error'
    """

    __repr__ = value_repr

    severity: tuple[tuple[str, SeverityChoice], ...] = _parameter(
        (), check=_severity_tuple, convert=_to_severity, table=_severity, data=dict
    )
    score_tolerance: Decimal = _parameter(Decimal(0), check=_points, convert=_to_decimal)
    boilerplate_min_rows: int = _parameter(3, check=_count)

    def severity_of(self, check: str) -> SeverityChoice:
        """The severity a check reports with under this profile, or ``off``."""
        return dict(self.severity).get(check, CHECKS[check].severity)


@attrs.frozen
class Profile:
    """A named rule profile: every parameter scoring and the audit use.

    A profile is deeply immutable: lists, sets and dicts given to it (or to any of its
    parts) are copied into tuples, numbers given as ``str`` or ``int`` become
    :class:`~decimal.Decimal` (a ``float`` is refused), and every number is checked
    against its bounds (see ``docs/profiles.md``), so a profile never changes once
    built.

    Attributes:
        name: what the profile is called (``mof-2020``).
        title: a one-line description, in Chinese.
        sources: the documents (or observations) the rules come from.
        rounding, execution, quantitative, overshoot, qualitative, grades: the rules.
        audit: how the audit judges a printed table.
        expected_weights: the expected level-1 mix, as ``(names, weight)`` pairs (or a
            dict); a group of names shares one weight (产出指标 and 成本指标: 50), and
            the name ``执行率`` stands for the funds item. A string of names joined
            with ``+`` is a group, as in a TOML file.

    >>> profile = Profile(name="mine", sources=["某省通知"], expected_weights={"执行率": 10})
    >>> profile.sources, profile.expected_weights
    (('某省通知',), ((('执行率',), Decimal('10')),))
    """

    __repr__ = value_repr

    name: str = _parameter(check=_text)
    title: str = _parameter("", check=_any_text)
    sources: tuple[str, ...] = _parameter(
        (), check=_text_tuple, convert=_to_texts, toml=_texts, data=list
    )
    rounding: Rounding = _parameter(Rounding(), check=_instance_of(Rounding))
    execution: ExecutionRule = _parameter(ExecutionRule(), check=_instance_of(ExecutionRule))
    quantitative: QuantitativeRules = _parameter(
        QuantitativeRules(), check=_instance_of(QuantitativeRules)
    )
    overshoot: Overshoot = _parameter(Overshoot(), check=_instance_of(Overshoot))
    qualitative: QualitativeRules = _parameter(
        QualitativeRules(), check=_instance_of(QualitativeRules)
    )
    grades: Grades = _parameter(Grades(), check=_instance_of(Grades))
    expected_weights: tuple[tuple[tuple[str, ...], Decimal], ...] = _parameter(
        (), check=_weight_tuple, convert=_to_weights, table=_weights, data=_weights_data
    )
    audit: AuditRules = _parameter(AuditRules(), check=_instance_of(AuditRules))

    def to_toml(self, *, heading: str = "", notes: Mapping[str, str] | None = None) -> str:
        r"""Every parameter as a TOML document that reads back to an equal profile.

        Args:
            heading: comment lines to open the document with (each line becomes a
                ``#`` comment).
            notes: a comment to write beside a parameter's value, by its dotted path
                (``execution.full_at``): why the value is what it is.

        Raises:
            ValueError: a note names no parameter of a profile.

        >>> toml = Profile(name="某省").to_toml(
        ...     heading="某省口径", notes={"rounding.mode": "财政厅通知第3条"}
        ... )
        >>> print("\n".join(toml.splitlines()[:8]))
        # 某省口径
        name = "某省"
        title = ""
        sources = []
        <BLANKLINE>
        [rounding]
        places = 2
        mode = "half-up"  # 财政厅通知第3条
        """
        return _write_toml(self.to_data(), heading=heading, notes=notes or {})

    def to_data(self) -> dict[str, Any]:
        """Every parameter as plain data (the TOML document's tables)."""
        return _data(self)


def _table_of(field: attrs.Attribute[Any]) -> type | None:
    """The class of a table of parameters a field holds (``[rounding]``), if it holds one."""
    cls = type(field.default)
    return cls if attrs.has(cls) else None


def _places_in(cls: type, path: str) -> Iterator[tuple[type, str]]:
    yield cls, path
    for field in attrs.fields(cls):
        inner = _table_of(field) or field.metadata.get("items")
        if inner is not None:
            yield from _places_in(inner, _join(path, field.name))


# Where each class of parameters stands in a profile (``quantitative.cost_rows``), for
# the paths its validators name.
_PLACES: Final[dict[type, str]] = dict(_places_in(Profile, ""))


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


def profile_text(profile: str | Path) -> str:
    """A profile's TOML text as written, comments included.

    For a built-in name, the TOML file shipped with perfscore; for a path, the file's
    text (UTF-8, without a byte order mark), unchanged: what ``extends`` it names, its
    comments and its layout are the user's. The text is not checked here:
    :func:`load_profile` reads it.

    Raises:
        UnknownProfileError: neither a built-in name nor an existing file.
        InvalidProfile: the file is not a regular file, is too large, cannot be read
            or is not UTF-8.

    >>> profile_text("mof-2020").splitlines()[0]
    '# perfscore rule profile: the national reading.'
    """
    text = str(profile)
    if text in BUILTIN_PROFILES:
        return _builtin_text(text)
    from pathlib import Path  # noqa: PLC0415 - see the note on pathlib above

    path = Path(text)
    if _missing(path):
        raise _unknown(text, path)
    return _file_text(path, source=text)


def _builtin_text(name: str) -> str:
    """A built-in profile's file, read through the loader that imported perfscore.

    The loader reads the files beside the package's modules wherever they are (a
    directory or a zip archive), at a fraction of what :mod:`importlib.resources` costs
    to import and set up (about 10 ms, much of a first table's time); a loader that
    cannot read files is left to :mod:`importlib.resources`.
    """
    relative = ("builtin_profiles", f"{name}.toml")
    loader = getattr(__spec__, "loader", None)
    get_data = getattr(loader, "get_data", None)
    if get_data is not None:
        # os.path, not pathlib: see the note on pathlib above.
        directory = os.path.dirname(__file__)  # noqa: PTH120
        data = cast("bytes", get_data(os.path.join(directory, *relative)))  # noqa: PTH118
        return data.decode("utf-8")
    from importlib import resources  # noqa: PLC0415 - a loader of another kind

    return (
        resources.files(__package__ or "perfscore").joinpath(*relative).read_text(encoding="utf-8")
    )


def load_profile(path: str | Path) -> Profile:
    """Read a profile from a TOML file.

    ``extends`` names a built-in profile or another TOML file (relative to this one);
    the file's parameters override it table by table. ``name`` defaults to the file's
    stem.

    Raises:
        InvalidProfile: the file (or a file it extends) is missing, not a regular file,
            unreadable, not UTF-8, not valid TOML, or holds unknown or bad parameters;
            every problem is listed with its dotted path.
    """
    from pathlib import Path  # noqa: PLC0415 - see the note on pathlib above

    return _load(Path(path), [])


def _load(path: Path, read: list[tuple[Path, _Stamp]]) -> Profile:
    """The profile in a file; each file read is added to ``read`` with its stamp."""
    read.append((path, _stamp(path)))  # before reading: a later change is seen next time
    text = _file_text(path, source=str(path))
    return _read(
        text,
        source=str(path),
        default_name=path.stem,
        seen=(path,),
        base=path.parent,
        read=read,
    )


MAX_FILE_BYTES: Final = 1 << 20
"""The largest profile file read (a profile is a few kilobytes)."""

_NOT_FILES: Final[tuple[tuple[Callable[[int], bool], str], ...]] = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _file_text(path: Path, *, source: str) -> str:
    """The text of a profile file, or :class:`InvalidProfile` saying why there is none.

    Only a regular file is opened: a directory is not a profile, and opening a named
    pipe would wait for a writer.
    """
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            kind = next((kind for test, kind in _NOT_FILES if test(status.st_mode)), "no file")
            raise InvalidProfile(source, [("", f"{kind}, not a profile file")])
        if status.st_size > MAX_FILE_BYTES:
            raise InvalidProfile(source, [("", _too_large(status.st_size))])
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise InvalidProfile(source, [("", "no such file")]) from None
    except OSError as error:
        raise InvalidProfile(source, [("", f"cannot be read: {error.strerror or error}")]) from None
    if len(data) > MAX_FILE_BYTES:  # it grew after the look
        raise InvalidProfile(source, [("", _too_large(len(data)))])
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidProfile(source, [("", _not_utf8(data, start + error.start))]) from None


def _too_large(size: int) -> str:
    return f"{size} bytes, larger than a profile file may be ({MAX_FILE_BYTES} bytes)"


def _not_utf8(data: bytes, at: int) -> str:
    """Where the first byte that is not UTF-8 stands, in lines and characters."""
    line_start = data.rfind(b"\n", 0, at) + 1
    line = data.count(b"\n", 0, at) + 1
    # Everything before the byte decoded, so the column counts characters.
    column = len(data[line_start:at].decode("utf-8-sig")) + 1
    return (
        f"not UTF-8: byte 0x{data[at]:02x} at line {line}, column {column} (save the file as UTF-8)"
    )


def _missing(path: Path) -> bool:
    """Whether nothing is at ``path``.

    A thing that is there but cannot be looked at is not missing: reading it says why.
    """
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


def _file_profile(path: Path) -> Profile:
    """The profile in a file, read again only when a file it reads has changed.

    ``score(table, profile=path)`` called table by table reads and checks the file
    once, not once per table.
    """
    key = os.path.abspath(path)  # noqa: PTH100 - no system calls, unlike Path.resolve
    held = _FILE_PROFILES.get(key)
    if held is not None:
        profile, stamps = held
        if all(_stamp(file) == stamp for file, stamp in stamps):
            return profile
    read: list[tuple[Path, _Stamp]] = []
    profile = _load(path, read)
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
        InvalidProfile: the path is not a usable profile file (a directory, unreadable,
            not UTF-8, not valid TOML, bad parameters).

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
    from pathlib import Path  # noqa: PLC0415 - see the note on pathlib above

    path = Path(text)
    if not _missing(path):
        return _file_profile(path)
    raise _unknown(text, path)


def _unknown(text: str, path: Path) -> UnknownProfileError:
    """The error for a profile that is neither built in nor an existing file."""
    reason = ""
    if path.is_symlink():
        reason = "a link to a missing file"
    elif text.endswith(".toml") or os.sep in text or "/" in text:
        reason = "no such file"
    return UnknownProfileError(text, BUILTIN_PROFILES, reason=reason)


def _read(  # noqa: PLR0913 - the text, where it came from, and the files behind it
    text: str,
    *,
    source: str,
    default_name: str,
    seen: tuple[Path, ...],
    base: Path | None = None,
    read: list[tuple[Path, _Stamp]] | None = None,
) -> Profile:
    data = _toml(text, source)
    try:
        parent = data.pop("extends", None)
        if parent is not None:
            files = [] if read is None else read
            parent_data = _parent_data(
                parent, source=source, top=source, seen=seen, base=base, read=files
            )
            data = _merge(parent_data, data)
        data.setdefault("name", default_name)
        return _build(data, source)
    except RecursionError:  # tables nested thousands deep
        raise InvalidProfile(source, [("", "not valid TOML: nested too deeply")]) from None


def _toml(text: str, source: str) -> dict[str, Any]:
    """The TOML document in ``text``, numbers with a point as Decimal."""
    import tomllib  # noqa: PLC0415 - only reading a profile needs it (import time)

    try:
        return tomllib.loads(text, parse_float=_toml_float)
    except tomllib.TOMLDecodeError as error:
        problem = f"not valid TOML: {error}"
    except _UnreadableNumberError as error:
        number = str(error)
        number = number if len(number) <= _SHOWN_TEXT else number[:_SHOWN_TEXT] + "…"
        problem = f"not valid TOML: a number beyond any size perfscore reads ({number})"
    except RecursionError:
        problem = "not valid TOML: nested too deeply"
    except ValueError as error:  # an integer longer than Python converts from text
        limit = sys.get_int_max_str_digits()
        problem = (
            f"not valid TOML: an integer of more than {limit} digits"
            if "integer string conversion" in str(error)
            else f"not valid TOML: {error}"
        )
    raise InvalidProfile(source, [("", problem)])


def _toml_float(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:  # an exponent beyond any Decimal's
        raise _UnreadableNumberError(text) from None


def _parent_data(  # noqa: PLR0913 - where the extends stands, and the files behind it
    parent: object,
    *,
    source: str,
    top: str,
    seen: tuple[Path, ...],
    base: Path | None,
    read: list[tuple[Path, _Stamp]],
) -> dict[str, Any]:
    from pathlib import Path  # noqa: PLC0415 - see the note on pathlib above

    if not isinstance(parent, str):
        problem = f"expected a profile name, got {_show(parent)}"
        raise InvalidProfile(source, [("extends", problem)])
    if parent in BUILTIN_PROFILES:
        data = _toml(profile_text(parent), f"<built-in {parent}>")
        grand = data.pop("extends", None)
        if grand is not None:
            grand_data = _parent_data(
                grand, source=source, top=top, seen=seen, base=None, read=read
            )
            data = _merge(grand_data, data)
        return _without_identity(data)
    path = (base or Path()) / parent
    if _missing(path):
        problem = (
            f"no built-in profile or file {_show(parent)}; built-in: {', '.join(BUILTIN_PROFILES)}"
        )
        raise InvalidProfile(source, [("extends", problem)])
    if path.resolve() in {file.resolve() for file in seen}:
        loop = " → ".join(str(file) for file in (*seen, path))
        raise InvalidProfile(top, [("extends", f"a loop: {loop}")])
    read.append((path, _stamp(path)))
    where = f"{path} (extended by {source})"
    data = _toml(_file_text(path, source=where), where)
    grand = data.pop("extends", None)
    if grand is not None:
        grand_data = _parent_data(
            grand, source=where, top=top, seen=(*seen, path), base=path.parent, read=read
        )
        data = _merge(grand_data, data)
    return _without_identity(data)


_IDENTITY: Final = ("name", "title", "sources")


def _without_identity(data: dict[str, Any]) -> dict[str, Any]:
    """A parent's rules without its name, title and sources: those describe the parent.

    A profile that extends ``mof-2020`` is not 财政部's reading: it names the documents
    its own changes come from, or none (``profiles show`` prints what it extends).
    """
    for key in _IDENTITY:
        data.pop(key, None)
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
    """Reads a profile's parameters out of its TOML tables by their fields.

    Every problem is noted with its dotted path and reading goes on; the problems are
    raised together at the end. They are listed in the order the file is read: the
    top-level keys, then ``name``, ``title`` and ``sources``, then each table in turn,
    and within a table its keys (and those of the tables inside it) before its values.
    """

    def __init__(self, source: str) -> None:
        self.problems = Problems(InvalidProfile, source=source)

    def profile(self, data: dict[str, Any]) -> Profile:
        self.unknown(data, Profile, "")
        given: dict[str, Any] = {}
        for field in attrs.fields(Profile):
            if field.name not in data:
                continue
            cls = _table_of(field)
            if cls is not None:
                given[field.name] = self.section(cls, self.table(data, field.name, ""), field.name)
                continue
            if "table" in field.metadata:  # [expected_weights]: its keys are its values
                self.table(data, field.name, "")
            self.value(field, data, "", given)
        self.problems.raise_if_any()
        return Profile(**given)

    def section(self, cls: type[_SectionT], data: dict[str, Any], path: str) -> _SectionT:
        """A table of parameters (``[execution]``); its defaults if it has a problem."""
        self.keys(cls, data, path)
        return self.build(cls, data, path)

    def keys(self, cls: type, data: dict[str, Any], path: str) -> None:
        """Note the keys of ``data`` that are no parameter, and those of its tables."""
        self.unknown(data, cls, path)
        for field in attrs.fields(cls):
            inner = _table_of(field)
            if field.name not in data or (inner is None and "table" not in field.metadata):
                continue
            table = self.table(data, field.name, path)
            where = _join(path, field.name)
            if inner is not None:
                self.keys(inner, table, where)
            elif "keys" in field.metadata:
                self.unknown_keys(table, field.metadata["keys"], where)

    def build(self, cls: type[_SectionT], data: dict[str, Any], path: str) -> _SectionT:
        """``cls`` from the values in ``data``, the others left at their defaults."""
        known = len(self.problems)
        given: dict[str, Any] = {}
        for field in attrs.fields(cls):
            if field.name not in data:
                continue
            inner = _table_of(field)
            if inner is not None:
                given[field.name] = self.build(
                    inner, _table_or_empty(data[field.name]), _join(path, field.name)
                )
            else:
                self.value(field, data, path, given)
        if len(self.problems) > known:  # a bad value: how the rest fit it says nothing
            return cls()
        try:
            return cls(**given)
        except InvalidProfile as error:  # parameters at odds with each other
            for problem in error.problems:
                self.problems.add(*problem)
            return cls()

    def value(
        self, field: attrs.Attribute[Any], data: dict[str, Any], path: str, given: dict[str, Any]
    ) -> None:
        """Put the parameter ``field`` in ``data`` into ``given``, or note its problem."""
        read_table = field.metadata.get("table")
        if read_table is not None:  # a table that is not one was noted with the keys
            table = _table_or_empty(data[field.name])
            given[field.name] = read_table(self, table, _join(path, field.name), field.default)
            return
        value = self.take(data, field.name, path, field.metadata["toml"], _MISSING)
        if value is not _MISSING:
            given[field.name] = value

    def table(self, data: Mapping[str, Any], key: str, path: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            self.problems.add(_join(path, key), f"expected a table, got {_show(value)}")
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
            self.problems.add(_join(path, key) + error.at, str(error))
            return default

    def unknown(self, data: Mapping[str, Any], cls: type, path: str) -> None:
        self.unknown_keys(data, _keys(cls), path)

    def unknown_keys(self, data: Mapping[str, Any], known: Container[str], path: str) -> None:
        for key in data:
            if key not in known:
                self.problems.add(_join(path, key), "unknown parameter")


_MISSING: Final[Any] = object()
_SectionT = TypeVar("_SectionT", bound="AttrsInstance")


@cache
def _keys(cls: type) -> frozenset[str]:
    """The TOML keys of a table of parameters: its fields' names."""
    return frozenset(field.name for field in attrs.fields(cls))


def _table_or_empty(value: object) -> dict[str, Any]:
    """A table's value, or an empty table for one that is not (its problem is noted)."""
    return value if isinstance(value, dict) else {}


def _build(data: dict[str, Any], source: str) -> Profile:
    return _Reader(source).profile(data)


# ---------------------------------------------------------------------------------
# Writing profiles


def _data(value: AttrsInstance) -> dict[str, Any]:
    """A table of parameters as plain data, by TOML key: its values, then its tables."""
    values: dict[str, Any] = {}
    tables: dict[str, Any] = {}
    for field in attrs.fields(type(value)):
        item = getattr(value, field.name)
        write = field.metadata.get("data")
        data = write(item) if write else _data(item) if attrs.has(type(item)) else item
        (tables if isinstance(data, dict) else values)[field.name] = data
    return values | tables


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


def _write_toml(
    data: Mapping[str, Any], *, heading: str = "", notes: Mapping[str, str] | None = None
) -> str:
    notes = notes or {}
    unused = set(notes)

    def line(path: str, key: str, value: object) -> str:
        text = f"{_toml_key(key)} = {_toml_value(value)}"
        note = notes.get(path)
        if note is None:
            return text
        unused.discard(path)
        comment = _comment(note).strip()
        return f"{text}  # {comment}" if comment else text

    lines = [f"# {_comment(text).strip()}".rstrip() for text in heading.splitlines()]
    tables: list[tuple[str, Mapping[str, Any]]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(line(key, key, value))
    for key, table in tables:
        lines.append("")
        lines.append(f"[{key}]")
        nested = [(name, value) for name, value in table.items() if isinstance(value, dict)]
        lines.extend(
            line(f"{key}.{name}", name, value)
            for name, value in table.items()
            if not isinstance(value, dict)
        )
        for name, value in nested:
            lines.append("")
            lines.append(f"[{key}.{_toml_key(name)}]")
            lines.extend(
                line(f"{key}.{name}.{inner}", inner, item) for inner, item in value.items()
            )
    if unused:
        raise ValueError(f"notes on no parameter of a profile: {', '.join(sorted(unused))}")
    return "\n".join(lines) + "\n"


def _comment(text: str) -> str:
    """Text as one line of a TOML comment: line breaks and control characters as spaces."""
    return "".join(" " if char in _NOT_IN_COMMENTS else char for char in text)


# What a one-line comment may not hold: TOML's control characters, and every character
# that editors (and str.splitlines) take for a line break.
_NOT_IN_COMMENTS: Final = frozenset([*map(chr, range(0x20)), "\x7f", "\x85", "\u2028", "\u2029"])

"""Units of printed cells: one spelling each, and which ones can be compared.

A unit belongs to a *family* (money, a duration, a kind of thing counted …) and has
a *scale* within it: ``万元`` is 10 000 ``元``, ``年`` is 12 ``个月``. Two units are
compatible when they share a family; a value then converts exactly by the ratio of
the scales. A percentage never equals a count: ``%`` and ``个`` share nothing.

Units not in the tables below (real tables count things in words nobody can list in
advance: 家, 台套, 万页 …) form a family of their own, so ``件`` matches ``件`` only.
A magnitude prefix scales any unit (``万页`` is 10 000 ``页``, ``千人`` 1 000 ``人``), and
a compound unit (``元/人``, ``万元/人*月``) is compared part by part.

>>> normalize_unit("万")
'万元'
>>> convert(Decimal("2.5"), "亿元", "万元")
Decimal('25000.0')
>>> compatible("%", "个")
False
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext
from functools import lru_cache
from typing import Final

from perfscore.errors import PerfscoreError

__all__ = [
    "FACTOR_DIGITS",
    "IncompatibleUnitsError",
    "compatible",
    "conversion_factor",
    "convert",
    "normalize_unit",
    "unit_family",
]


class IncompatibleUnitsError(PerfscoreError, ValueError):
    """Two units that do not measure the same thing.

    >>> print(IncompatibleUnitsError("%", "个"))
    cannot convert '%' to '个': the units measure different things
    """

    def __init__(self, source: str, target: str) -> None:
        self.source = source
        self.target = target
        super().__init__(source, target)

    def __str__(self) -> str:
        """Name both units."""
        return (
            f"cannot convert {self.source!r} to {self.target!r}: the units measure different things"
        )


# Spellings with one canonical form. Latin abbreviations map to the Chinese name used
# in tables so that ``km`` and ``公里`` print alike.
_ALIASES: Final[dict[str, str]] = {
    "万": "万元",  # a bare 万 after an amount is 万元 in every table seen
    "百分比": "%",
    "百分率": "%",
    "月份": "月",
    "月底": "月",
    "月末": "月",
    "个百分点": "百分点",
    "km": "公里",
    "千米": "公里",
    "m": "米",
    "cm": "厘米",
    "mm": "毫米",
    "kg": "千克",
    "公斤": "千克",
    "g": "克",
    "t": "吨",
    "m2": "平方米",
    "km2": "平方公里",
    "m3": "立方米",
    "h": "小时",
    "min": "分钟",
    "s": "秒",
    "度": "千瓦时",
    "kwh": "千瓦时",
    "个工作日": "工作日",
    "星期": "周",
    "个星期": "周",
    "个季度": "季度",
}

# (family, scale) of the units that convert into each other.
_KNOWN: Final[dict[str, tuple[str, Decimal]]] = {
    "元": ("money", Decimal(1)),
    "千元": ("money", Decimal(1000)),
    "万元": ("money", Decimal(10000)),
    "百万元": ("money", Decimal(1000000)),
    "亿元": ("money", Decimal(100000000)),
    "%": ("percent", Decimal(1)),
    "‰": ("percent", Decimal("0.1")),
    "年": ("months", Decimal(12)),
    "半年": ("months", Decimal(6)),
    "季度": ("months", Decimal(3)),
    "个月": ("months", Decimal(1)),
    "周": ("days", Decimal(7)),
    "天": ("days", Decimal(1)),
    "日": ("days", Decimal(1)),
    "小时": ("seconds", Decimal(3600)),
    "分钟": ("seconds", Decimal(60)),
    "秒": ("seconds", Decimal(1)),
    "公里": ("length", Decimal(1000)),
    "米": ("length", Decimal(1)),
    "厘米": ("length", Decimal("0.01")),
    "毫米": ("length", Decimal("0.001")),
    "平方公里": ("area", Decimal(1000000)),
    "公顷": ("area", Decimal(10000)),
    "平方米": ("area", Decimal(1)),
    "吨": ("mass", Decimal(1000000)),
    "千克": ("mass", Decimal(1000)),
    "斤": ("mass", Decimal(500)),
    "克": ("mass", Decimal(1)),
}

# Magnitude prefixes, longest first. Units starting with these characters that are
# not a prefix and a unit (百分点) are listed in _KNOWN or _NOT_PREFIXED.
_PREFIXES: Final[tuple[tuple[str, Decimal], ...]] = (
    ("千万", Decimal(10000000)),
    ("百万", Decimal(1000000)),
    ("十万", Decimal(100000)),
    ("亿", Decimal(100000000)),
    ("万", Decimal(10000)),
    ("千", Decimal(1000)),
    ("百", Decimal(100)),
)
_NOT_PREFIXED: Final[frozenset[str]] = frozenset({"百分点", "千瓦时", "千瓦", "千伏"})

FACTOR_DIGITS: Final = 40
"""Significant digits of a conversion factor that does not terminate in decimal."""

_CONTEXT: Final = Context(prec=FACTOR_DIGITS, rounding=ROUND_HALF_EVEN)
_LATIN: Final = re.compile(r"[A-Za-z]+[23]?", re.ASCII)
_PARTS: Final = re.compile(r"[/*]")


def normalize_unit(unit: str) -> str:
    """The canonical spelling of a unit (``""`` stays ``""``).

    >>> [normalize_unit(u) for u in ("百分比", "万", "KM", "元/人·月", "月份")]
    ['%', '万元', '公里', '元/人*月', '月']
    """
    unit = unit.replace("·", "*").replace("×", "*").replace("／", "/")
    if _LATIN.fullmatch(unit):
        unit = unit.lower()
    if "/" in unit or "*" in unit:
        pieces = re.split(r"([/*])", unit)
        return "".join(piece if piece in "/*" else normalize_unit(piece) for piece in pieces)
    return _ALIASES.get(unit, unit)


@lru_cache(maxsize=1024)
def _family_and_scale(unit: str) -> tuple[str, Decimal]:
    with localcontext(_CONTEXT):
        return _family_and_scale_in_context(normalize_unit(unit))


def _family_and_scale_in_context(unit: str) -> tuple[str, Decimal]:
    if _PARTS.search(unit):
        family_parts: list[str] = []
        scale = Decimal(1)
        dividing = False
        for piece in re.split(r"([/*])", unit):
            if piece in {"/", "*"}:
                dividing = piece == "/"
                family_parts.append(piece)
                continue
            family, piece_scale = _family_and_scale_in_context(normalize_unit(piece))
            family_parts.append(family)
            scale = scale / piece_scale if dividing else scale * piece_scale
        return "".join(family_parts), scale
    if unit in _KNOWN:
        return _KNOWN[unit]
    if unit not in _NOT_PREFIXED:
        for prefix, factor in _PREFIXES:
            rest = unit[len(prefix) :]
            if unit.startswith(prefix) and rest and rest[0] != "分":
                family, scale = _family_and_scale_in_context(rest)
                return family, scale * factor
    return f"unit:{unit}", Decimal(1)


def unit_family(unit: str) -> str:
    """The family a unit belongs to; units of one family convert into each other.

    >>> unit_family("亿元"), unit_family("万页"), unit_family("")
    ('money', 'unit:页', 'unit:')
    """
    return _family_and_scale(unit)[0]


def compatible(first: str, second: str) -> bool:
    """Whether values in these two units can be compared.

    >>> compatible("万元", "元"), compatible("年", "个月"), compatible("%", "个")
    (True, True, False)
    """
    return unit_family(first) == unit_family(second)


def conversion_factor(source: str, target: str) -> Decimal | None:
    """The exact factor taking a value in ``source`` units to ``target`` units.

    Returns ``None`` when the units are not compatible. Scales are whole powers of ten
    or small whole numbers, so factors are exact except between units whose ratio does
    not terminate in decimal (``个月`` to ``季度`` is 1/3): those are rounded to
    ``FACTOR_DIGITS`` significant digits, ``ROUND_HALF_EVEN``.

    >>> conversion_factor("万元", "元"), conversion_factor("个", "%")
    (Decimal('10000'), None)
    """
    source_family, source_scale = _family_and_scale(source)
    target_family, target_scale = _family_and_scale(target)
    if source_family != target_family:
        return None
    with localcontext(_CONTEXT):
        return source_scale / target_scale


def convert(value: Decimal, source: str, target: str) -> Decimal:
    """Convert ``value`` from ``source`` units to ``target`` units, exactly.

    Raises:
        IncompatibleUnitsError: the units measure different things.

    >>> convert(Decimal("3"), "年", "个月")
    Decimal('36')
    """
    factor = conversion_factor(source, target)
    if factor is None:
        raise IncompatibleUnitsError(source, target)
    with localcontext() as context:
        # Enough digits for the exact product, whatever the caller's context says.
        context.prec = len(value.as_tuple().digits) + len(factor.as_tuple().digits) + 2
        return value * factor

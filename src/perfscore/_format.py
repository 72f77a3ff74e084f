"""Numbers as perfscore prints them in explanations, messages and reports."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Final

_HUNDRED: Final = Decimal(100)
_CENT: Final = Decimal("0.01")


def plain(value: Decimal | None) -> str | None:
    """A number's exact digits, never in exponent form; ``None`` stays ``None``.

    >>> plain(Decimal("1E+2")), plain(None)
    ('100', None)
    """
    return None if value is None else f"{value:f}"


def percent(fraction: Decimal) -> str:
    """A fraction as a percentage with two decimals, rounded half up (display only).

    >>> percent(Decimal("0.61641"))
    '61.64%'
    """
    return f"{(fraction * _HUNDRED).quantize(_CENT, rounding=ROUND_HALF_UP):f}%"


def share(fraction: Decimal) -> str:
    """A profile's fraction as a percentage, without trailing zeros.

    >>> share(Decimal("0.60")), share(Decimal("0.075"))
    ('60%', '7.5%')
    """
    text = f"{fraction * _HUNDRED:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + "%"

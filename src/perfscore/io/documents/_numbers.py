"""A spreadsheet number as it is printed: through its number format.

A workbook stores ``0.9836`` and shows it as ``98.36%`` because the cell's format is
``0.00%``; it stores ``10`` and shows ``10.00``. A printed table holds what is shown,
so the readers of workbooks pass every number through :func:`formatted`, which reads
the common number formats (places, thousands separators, percentages, literal text,
sections for negative numbers and zero, dates) exactly, in ``Decimal``, rounding half
away from zero as spreadsheets do.

>>> formatted(0.9836, "0.00%"), formatted(10, "0.00"), formatted(1234.5, "#,##0.00")
('98.36%', '10.00', '1,234.50')
>>> formatted(428.71, "General"), formatted(1 / 3, "General"), formatted(-5, "0;(0)")
('428.71', '0.33333333333', '(5)')
>>> formatted(2.675, "0.00"), formatted(12.5, '0.0"万元"'), formatted(0, '0.00;-0.00;"-"')
('2.68', '12.5万元', '-')
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

# One token of a format section: a quoted literal, an escaped character, a space
# the width of a character (_x), a fill (*x), a colour or condition ([Red]), the
# number's placeholders, or any other character (printed as it is).
_TOKEN: Final = re.compile(
    r'"(?P<quoted>[^"]*)"?|\\(?P<escaped>.)|_(?P<space>.)|\*(?P<fill>.)|\[(?P<bracket>[^\]]*)\]'
    r"|(?P<number>[0#?][0#?,]*(?:\.[0#?]*)?|\.[0#?]+)|(?P<other>.)",
    re.DOTALL,
)
_DATE_LETTERS: Final = frozenset("yYdDhHsS")
_GENERAL_DIGITS: Final = 11  # what a spreadsheet's General format shows at most
_LARGEST_SHOWN: Final = 10**15  # beyond this a float's digits are not all printed


def formatted(value: object, number_format: str | None) -> str:
    """The text a spreadsheet shows for a cell's value in its number format.

    Args:
        value: the cell's value (a number, a date, text, a boolean or ``None``).
        number_format: the cell's format code (``General`` when ``None``).
    """
    if value is None or isinstance(value, str):
        return value or ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return _date_text(value, number_format or "")
    if not isinstance(value, int | float | Decimal):
        return str(value)
    return _number(value if isinstance(value, Decimal) else Decimal(repr(value)), number_format)


def _number(number: Decimal, number_format: str | None) -> str:
    """A number through its format (General when none), in its section."""
    if not number.is_finite():
        return str(number)
    if abs(number) >= _LARGEST_SHOWN:
        return _general(number)
    sections = _sections(number_format or "General")
    section = sections[0]
    if number < 0 and len(sections) > 1:
        section, number = sections[1], -number  # the section prints its own sign
    elif number == 0 and len(sections) > 2:
        section = sections[2]
    return _through(number, section)


def _sections(code: str) -> list[str]:
    """A format code's sections (positive; negative; zero; text), quotes respected."""
    sections: list[str] = []
    current: list[str] = []
    quoted = False
    for character in code:
        if character == '"':
            quoted = not quoted
        if character == ";" and not quoted:
            sections.append("".join(current))
            current = []
        else:
            current.append(character)
    sections.append("".join(current))
    return sections


def _through(number: Decimal, section: str) -> str:
    """A number through one section of a format."""
    if section.strip().lower() in {"general", "", "@"}:
        return _general(number)
    before: list[str] = []
    after: list[str] = []
    pattern = ""
    percent = 0
    for token in _TOKEN.finditer(section):
        kind = token.lastgroup
        text = token.group(kind or "other") or ""
        if kind == "number" and not pattern:
            pattern = text
            continue
        if kind in {"fill", "bracket"}:
            continue
        if kind == "space":
            text = " "
        if kind == "other" and text == "%":
            percent += 1
        if kind == "other" and text in _DATE_LETTERS:
            return _general(number)  # a date format on a plain number: shown as General
        (after if pattern else before).append(text)
    if not pattern:
        return "".join(before) or _general(number)
    return "".join(before) + _digits(number * Decimal(100) ** percent, pattern) + "".join(after)


def _digits(number: Decimal, pattern: str) -> str:
    """A number's digits through a placeholder pattern such as ``#,##0.00``."""
    whole, point, places = pattern.partition(".")
    scale_commas = len(whole) - len(whole.rstrip(","))
    number /= Decimal(1000) ** scale_commas  # a trailing comma counts in thousands
    whole = whole.rstrip(",")
    most, least = len(places), places.count("0")
    rounded = number.quantize(Decimal(1).scaleb(-most), rounding=ROUND_HALF_UP)
    integer, _, fraction = f"{abs(rounded):f}".partition(".")
    if most > least:
        fraction = fraction.rstrip("0").ljust(least, "0")
    if "," in whole:
        integer = f"{int(integer):,}"
    integer = integer.rjust(whole.count("0"), "0")
    if integer.strip("0") == "" and "0" not in whole:
        integer = ""
    sign = "-" if rounded < 0 else ""
    return sign + integer + (point if fraction or (point and not places) else "") + fraction


def _general(number: Decimal) -> str:
    """A number as the General format shows it: at most 11 significant digits."""
    if number == 0:
        return "0"
    if len(number.as_tuple().digits) > _GENERAL_DIGITS:
        exponent = number.adjusted() - _GENERAL_DIGITS + 1
        number = number.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


_DATE_TOKEN: Final = re.compile(
    r'"(?P<quoted>[^"]*)"|\\(?P<escaped>.)|\[[^\]]*\]'
    r"|(?P<code>(?i:yyyy|yy|mmmm|mmm|mm|m|dd|d|hh|h|ss|s))|(?P<other>.)"
)


def _date_text(value: dt.date | dt.time, code: str) -> str:
    """A date or time in its format (years, months, days, hours, minutes, seconds)."""
    tokens = list(_DATE_TOKEN.finditer(code))
    if not any(token.group("code") for token in tokens):
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S").removesuffix(" 00:00:00")
        return value.isoformat()
    out: list[str] = []
    after_hours = False
    for token in tokens:
        code_text = token.group("code")
        if code_text is None:
            out.append(
                token.group("quoted") or token.group("escaped") or token.group("other") or ""
            )
            continue
        letter = code_text[0].lower()
        if letter == "m" and after_hours:
            out.append(_two(getattr(value, "minute", 0), code_text))
        elif letter == "m":
            out.append(_month(value, code_text))
        elif letter == "y":
            year = getattr(value, "year", 0)
            out.append(f"{year:04d}" if len(code_text) > 2 else f"{year % 100:02d}")
        elif letter == "d":
            out.append(_two(getattr(value, "day", 0), code_text))
        elif letter == "h":
            out.append(_two(getattr(value, "hour", 0), code_text))
        else:
            out.append(_two(getattr(value, "second", 0), code_text))
        after_hours = letter == "h"
    return "".join(out)


def _two(number: int, code: str) -> str:
    return f"{number:02d}" if len(code) > 1 else str(number)


def _month(value: dt.date | dt.time, code: str) -> str:
    month = getattr(value, "month", 0)
    if len(code) >= 3 and isinstance(value, dt.date):
        return value.strftime("%B" if len(code) > 3 else "%b")
    return _two(month, code)

"""Printed cells, read exactly: targets (年度指标值), actuals (实际完成值) and figures.

A target such as ``>=700 件`` becomes a :class:`Target` with ``op=">="``,
``value=Decimal("700")`` and ``unit="件"``; ``进一步提高`` becomes a qualitative target;
``/`` or an empty cell is *not applicable*. The verbatim text is kept on every value
(``text``, not part of equality), and ``str()`` gives a canonical spelling that parses
back to an equal value.

>>> target = parse_target("≥ 700件")
>>> target.op, target.value, target.unit
('>=', Decimal('700'), '件')
>>> str(target)
'>=700 件'
>>> parse_actual("=1044 件").op is None  # a leading = on an actual is notation
True
>>> parse_actual("有效增强").tier
'achieved'

What a cell says is read here and nowhere else; what it means for a score is the rule
profile's business (a bare number's direction, a qualitative tier's points).
"""

from __future__ import annotations

import operator
import re
import unicodedata
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Final, Literal, NamedTuple, Self

import attrs

from perfscore._text import CharacterTable, fold, fold_text, on_demand
from perfscore.errors import FloatRefusedError, InvalidCell
from perfscore.units import normalize_unit, unit_family

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = [
    "DATE_UNIT",
    "MAX_DIGITS",
    "Actual",
    "CellKind",
    "Figure",
    "FigureKind",
    "NameHint",
    "Op",
    "Target",
    "Tier",
    "date_text",
    "direction_op",
    "name_hint",
    "parse_actual",
    "parse_figure",
    "parse_target",
    "qualitative_tier",
]

Op = Literal[">=", "<=", "=", ">", "<"]
"""A comparator, in its ASCII spelling."""

CellKind = Literal["quantity", "qualitative", "not-applicable", "unreadable"]
"""What a target or actual cell holds.

``quantity``: a number with an optional comparator and unit; ``qualitative``: words
only; ``not-applicable``: empty, ``/``, ``-`` and the like; ``unreadable``: only made by
the loader for a cell :func:`parse_target` or :func:`parse_actual` refused, so that
the table still loads and the audit can report it.
"""

Tier = Literal["achieved", "partial", "not-achieved", "unknown"]
"""How an actual's wording reads: 达成 / 部分达成 / 未达成, or not telling."""

FigureKind = Literal["number", "not-applicable", "unreadable"]
"""What a figure cell (amount, weight, rate, score, total) holds."""

# ---------------------------------------------------------------------------------
# The lexicon. Everything is matched against folded text (see _text.fold): NFKC,
# look-alikes mapped to ASCII, no white space.

_SYMBOLS: Final = re.compile(r">=|<=|=>|=<|==|>|<|=|≈", re.ASCII)
_SYMBOL_OPS: Final[dict[str, Op | None]] = {
    ">=": ">=",
    "=>": ">=",
    "<=": "<=",
    "=<": "<=",
    "==": "=",
    "=": "=",
    ">": ">",
    "<": "<",
    "≈": "=",
}

# Comparator words written before the number, longest first when matched.
_FRONT_WORDS: Final[dict[str, Op | None]] = {
    "大于或等于": ">=",
    "大于等于": ">=",
    "不低于": ">=",
    "不少于": ">=",
    "不小于": ">=",
    "不得低于": ">=",
    "不得少于": ">=",
    "至少": ">=",
    "最少": ">=",
    "达到": ">=",
    "小于或等于": "<=",
    "小于等于": "<=",
    "不高于": "<=",
    "不超过": "<=",
    "不大于": "<=",
    "不多于": "<=",
    "不得高于": "<=",
    "不得超过": "<=",
    "最多": "<=",
    "控制在": None,  # "keep within": the direction comes from 以内 / 以下 after the number
    "大于": ">",
    "高于": ">",
    "多于": ">",
    "超过": ">",
    "小于": "<",
    "低于": "<",
    "少于": "<",
    "等于": "=",
    "约": None,
    "约为": None,
}
# Words an actual (or a sloppy target) puts before its number without meaning a
# comparison: 完成100%, 实际完成 12 个月, 共 3 次.
_FILLER_WORDS: Final[tuple[str, ...]] = (
    "实际完成",
    "已完成",
    "完成",
    "实现",
    "共计",
    "累计",
    "合计",
    "共",
    "为",
)
# Words after the number and unit, longest first when matched. "deadline" marks the
# words that make ``9月前`` a deadline (at most month 9).
_BACK_WORDS: Final[dict[str, Op | Literal["deadline"] | None]] = {
    "及以上": ">=",
    "以上": ">=",
    "(含)以上": ">=",
    "及以下": "<=",
    "以下": "<=",
    "(含)以下": "<=",
    "以内": "<=",
    "之内": "<=",
    "内": "<=",
    "左右": None,
    "(含)": None,
    "完成": None,
    "已完成": None,
    "之前": "deadline",
    "以前": "deadline",
    "底前": "deadline",
    "末前": "deadline",
    "份前": "deadline",
    "前": "deadline",
    "底": None,
    "末": None,
}
_DEADLINE_UNITS: Final[frozenset[str]] = frozenset({"月"})

_NOT_APPLICABLE: Final[frozenset[str]] = frozenset(
    {
        "",
        "/",
        "//",
        "\\",
        "-",
        "--",
        "---",
        "----",
        "——",
        "n/a",
        "N/A",
        "NA",
        "na",
        "无需",
        "不适用",
        "…",
        "...",
        "......",
    }
)

_NUMBER: Final = re.compile(r"[+-]?(?:\d+(?:,\d{3,4})*(?:\.\d+)?|\.\d+)", re.ASCII)
_DIGIT: Final = re.compile(r"\d", re.ASCII)
# A unit: % or ‰, a run of CJK characters, or a Latin abbreviation (m2, kWh), and
# compounds of these joined by / or * (元/人*月). The pattern reads the unit's
# characters by class (see _unit_class): one that spells out the CJK block takes 2 ms
# to compile, as long as reading a hundred cells.
_UNIT_ATOM: Final = "(?:%|c{1,8}|a{1,6}2?)"
_UNIT: Final = re.compile(f"{_UNIT_ATOM}(?:/{_UNIT_ATOM}){{0,3}}")
_NOT_IN_A_UNIT: Final = re.compile("[2?]")  # alone, neither an atom nor a joint


def _unit_class(char: str) -> str:
    """``%`` for % and ‰, ``c`` CJK, ``a`` A-Za-z, ``2`` 2 or 3, ``/`` / and *, else ``?``."""
    if char in "%‰":
        return "%"
    if "\u3400" <= char <= "\u9fff":
        return "c"
    if char.isascii() and char.isalpha():
        return "a"
    if char in "23":
        return "2"
    return "/" if char in "/*" else "?"


_UNIT_CLASSES: Final = CharacterTable(_unit_class)

# Chinese numerals, for cells that spell the number out (三轮, 一年, 十二个月, 九十五%).
_CN_DIGITS: Final[dict[str, int]] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_ZEROS: Final = frozenset("零〇")
_CN_DECIMAL_DIGITS: Final = frozenset("零〇一二三四五六七八九")  # after 点: 九十五点五
_CN_SMALL_UNITS: Final[dict[str, int]] = {"十": 1, "百": 2, "千": 3}  # powers of ten
_CN_BIG_UNITS: Final[tuple[tuple[str, int], ...]] = (("亿", 8), ("万", 4))
_CN_NUMERALS: Final = frozenset("零〇一二两三四五六七八九十百千万亿")
# After digits, these begin the unit as a magnitude (3万元, 5千克, 2百万元).
_CN_MAGNITUDES: Final = frozenset("十百千万亿")


def _numeral_class(char: str) -> str:
    """``n`` for a CJK character with a numeric value, else ``.``.

    The numerals read here, and those that are words unless they stand where a
    number does (参, 伍, 陆, 壹, 廿, 〡).
    """
    numeric = char == "两" or (
        (
            "\u3000" <= char <= "\u303f"
            or "\u3400" <= char <= "\u9fff"
            or "\uf900" <= char <= "\ufaff"
        )
        and char.isnumeric()
    )
    return "n" if numeric else "."


# Runs of numerals, found in a cell translated by _NUMERALS (the same length, one
# class character for each character).
_NUMERALS: Final = CharacterTable(_numeral_class)
_NUMERAL_RUN: Final = re.compile("n+")


def _in_other_script(char: str) -> bool:
    """Whether ``char`` is outside ASCII, the CJK blocks and the full-width forms.

    There a digit or a numeral of another script (٣, ①, Ⅲ) can hide.
    """
    return not (
        char <= "\x7f"
        or "\u3000" <= char <= "\u303f"
        or "\u3400" <= char <= "\u4dbf"
        or "\u4e00" <= char <= "\u9fff"
        or "\uff00" <= char <= "\uffef"
    )


# Counting words perfscore knows as units (三轮, ≤300(个)); with the units of
# perfscore.units they are what a spelled-out number may carry where no comparator
# sign stands before it: anything else after 一/十 there is prose (一定, 十分满意).
_CN_COUNT_UNITS: Final[frozenset[str]] = frozenset(
    {
        "万元",
        "个",
        "个月",
        "亩",
        "人",
        "人次",
        "件",
        "份",
        "位",
        "例",
        "元",
        "册",
        "只",
        "台",
        "台套",
        "名",
        "周",
        "场",
        "块",
        "处",
        "天",
        "头",
        "套",
        "季度",
        "家",
        "小时",
        "年",
        "座",
        "张",
        "户",
        "所",
        "批",
        "支",
        "日",
        "月",
        "期",
        "本",
        "村",
        "条",
        "栋",
        "次",
        "片",
        "种",
        "篇",
        "类",
        "组",
        "轮",
        "辆",
        "部",
        "镇",
        "间",
        "项",
    }
)

# Wording of qualitative actuals. Negations are checked first: 未完成 holds 完成.
_NOT_ACHIEVED: Final = re.compile(
    "未(?!来)|没有|尚未|无法|无效|不能|不足|不达标|不合格|不满意|不到位|不理想|不明显|不佳|"
    "不及|较差|很差|(?<![偏误落])差(?!异|距|别)|失败|^否$|暂停|停止|终止|取消|搁置|延期|延迟|滞后|"
    "未达成|未完成"
)
_PARTIAL: Final = re.compile(
    "部分|基本|初步|有所|一定程度|大部分|大多|多数|尚可|一般|"
    # Under way, or only planned: not done when the table was filled in.
    "进行中|推进中|实施中|建设中|施工中|正在|尚在|预计|拟于|拟在|拟将|有待|"
    "待验收|待完成|待实施|待审|待建"
)
# Not fully: part of it done (checked before the negations, which 未 would match).
_NOT_FULLY: Final = "未完全|不完全|未全部|没有全部|未能全部"  # compiled on demand
_ACHIEVED: Final = re.compile(
    "达成|完成|达到|达标|实现|提高|提升|增强|改善|有效|显著|明显|保障|满意|良好|优秀|^优$|合格|"
    "^是$|已|按时|及时|准时|长期|持续|稳定|促进|增加|增长|优化|规范|加强|推进|落实|发挥|健全|完善|"
    "到位|符合|正常|安全|顺利|全部|全面|圆满|积极|较好|很好|良性|有力|充分|覆盖|保证|确保|"
    "验收|按期"
)

# ---------------------------------------------------------------------------------
# Digits. A number is written with 0-9 (full-width ０-９ fold to them) or in Chinese
# numerals; any other digit is refused, never read as a digit or as a word.

MAX_DIGITS: Final = 24
"""The most digits a number in a cell may have (real tables need 15 at most).

The product of two such numbers is exact in scoring's 50-digit context, and no
explanation has to spell out a number of hundreds of digits.
"""

_EXPONENT: Final = re.compile(r"[eE][+-]?\d", re.ASCII)
_WRITTEN_DIGIT: Final = re.compile("[0-9０-９]")
_SQUARED_UNIT: Final = re.compile(r"[A-Za-z]+[23]", re.ASCII)  # ㎡ is m2, ㎥ is m3
_ASCII_LETTER: Final = re.compile(r"[A-Za-z]", re.ASCII)


def _is_foreign_digit(char: str) -> bool:
    """Whether ``char`` is a digit that is not 0-9 (٣, ①, ², 𝟑) or folds to one (½, ㉑)."""
    return char.isdigit() or any("0" <= part <= "9" for part in unicodedata.normalize("NFKC", char))


def _foreign_digit_class(char: str) -> str:
    """``d`` for a digit of another script (٣, ①, ², ½, ㎡), else ``.``."""
    return "d" if _in_other_script(char) and _is_foreign_digit(char) else "."


def _foreign_numeral_class(char: str) -> str:
    """``n`` for a character of another script with a numeric value (٣, Ⅲ), else ``.``."""
    return "n" if _in_other_script(char) and char.isnumeric() else "."


_FOREIGN_DIGITS: Final = CharacterTable(_foreign_digit_class)
_FOREIGN_NUMERALS: Final = CharacterTable(_foreign_numeral_class)


def _refuse_foreign_digits(text: str, role: str) -> None:
    """Raise InvalidCell at the first digit of another script; ``m²`` and ``㎡`` are units."""
    marks = text.translate(_FOREIGN_DIGITS)
    at = marks.find("d")
    while at >= 0:
        char = text[at]
        before = unicodedata.normalize("NFKC", text[at - 1]) if at else ""
        if not (
            _SQUARED_UNIT.fullmatch(unicodedata.normalize("NFKC", char))
            or (char in "²³" and _ASCII_LETTER.fullmatch(before))  # a unit's power: m², km³
        ):
            name = unicodedata.name(char, f"U+{ord(char):04X}")
            reason = (
                f"{char!r} ({name}) is not a digit perfscore reads; "
                "write the number with 0-9 or in Chinese numerals"
            )
            raise InvalidCell(text, at, reason, role=role)
        at = marks.find("d", at + 1)


def _digit_count(number: str) -> int:
    """The digits of a number as ``_NUMBER`` matched it (separators, point and sign aside)."""
    return len(number) - number.count(",") - number.count(".") - (number[0] in "+-")


# ---------------------------------------------------------------------------------
# Values


_MAX_EXPANDED_DIGITS: Final = MAX_DIGITS


def decimal_text(value: Decimal) -> str:
    """A number's digits as a printed cell would hold them (``1E+3`` is ``1000``).

    A number whose plain spelling would take more digits than a cell may hold
    (:data:`MAX_DIGITS`; ``1E+999999999`` from a JSON file) keeps its exponent form
    instead, which no cell reader accepts: the cell is then kept as unreadable rather
    than spelled out in a gigabyte.

    >>> decimal_text(Decimal("1E+3")), decimal_text(Decimal("1E+999999999"))
    ('1000', '1E+999999999')
    """
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and (
        value.adjusted() > _MAX_EXPANDED_DIGITS or exponent < -_MAX_EXPANDED_DIGITS
    ):
        return str(value)
    return f"{value:f}"


_INT_LIMIT: Final = 10**MAX_DIGITS


def _to_text(raw: object, role: str) -> str:
    """The verbatim text of a cell given as str, int or Decimal; floats are refused."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        raise InvalidCell(repr(raw), 0, "expected a str, int or Decimal, got a bool", role=role)
    if isinstance(raw, float):
        raise FloatRefusedError(raw, where=role)
    if isinstance(raw, int):
        # str() refuses an int of more than 4,300 digits; Decimal spells it out.
        return str(raw) if -_INT_LIMIT < raw < _INT_LIMIT else decimal_text(Decimal(raw))
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise InvalidCell(str(raw), 0, "not a finite number", role=role)
        return decimal_text(raw)
    kind = type(raw).__name__
    raise InvalidCell(repr(raw), 0, f"expected a str, int or Decimal, got {kind}", role=role)


def _format_quantity(op: str | None, value: Decimal, unit: str) -> str:
    if unit == DATE_UNIT:
        return f"{op or ''}{date_text(value)}"
    number = f"{value:f}"
    if not unit:
        return f"{op or ''}{number}"
    separator = "" if unit in {"%", "‰"} else " "
    return f"{op or ''}{number}{separator}{unit}"


@attrs.frozen
class _Cell:
    """What targets and actuals share: the fields, the canonical form, the repr."""

    text: str = attrs.field(eq=False)
    kind: CellKind
    op: Op | None = None
    value: Decimal | None = None
    unit: str = ""
    phrase: str = ""
    error: str = ""

    def __attrs_post_init__(self) -> None:
        """Refuse a float value at construction, with a message saying what to pass."""
        if isinstance(self.value, float):
            raise FloatRefusedError(self.value, where="value")

    def __repr__(self) -> str:
        """Show only the fields that say something for this kind of cell."""
        return _cell_repr(self)

    def __str__(self) -> str:
        """The canonical spelling; parsing it gives an equal value."""
        return _cell_str(self)

    @property
    def is_quantity(self) -> bool:
        """Whether the cell holds a number."""
        return self.kind == "quantity"

    @classmethod
    def unreadable(cls, text: str, error: str) -> Self:
        """A cell kept for the record although it could not be read."""
        return cls(text=text, kind="unreadable", phrase=text, error=error)


@attrs.frozen(repr=False)
class Target(_Cell):
    """A parsed 年度指标值 cell.

    Attributes:
        text: the cell exactly as printed (kept, but not part of equality).
        kind: ``quantity``, ``qualitative``, ``not-applicable`` or ``unreadable``.
        op: the written comparator (``>=``, ``<=``, ``=``, ``>``, ``<``), or ``None``
            when none is written: the rule profile decides a bare number's direction.
        value: the number, exactly as printed (``700.00`` keeps its places), or ``None``.
        unit: the normalised unit (``万`` is ``万元``, ``％`` is ``%``), ``""`` if none.
        phrase: the wording of a qualitative cell (folded: no spaces, ASCII digits).
        error: why an ``unreadable`` cell could not be read.

    >>> parse_target("9月前")
    Target(text='9月前', kind='quantity', op='<=', value=Decimal('9'), unit='月')
    """


@attrs.frozen(repr=False)
class Actual(_Cell):
    """A parsed 实际完成值 cell.

    Like :class:`Target`, and a leading ``=`` is notation (``=1044 件`` is 1044 件,
    ``op`` is ``None``); a comparator other than ``=`` is kept (``≥95%``).

    Attributes:
        text: the cell exactly as printed (kept, but not part of equality).
        kind: ``quantity``, ``qualitative``, ``not-applicable`` or ``unreadable``.
        op: a comparator written on the actual (rare: ``≥95%``), else ``None``.
        value: the number, exactly as printed, or ``None``.
        unit: the normalised unit, ``""`` if none.
        phrase: the wording of a qualitative cell.
        error: why an ``unreadable`` cell could not be read.
        tier: for a qualitative actual, how its wording reads: ``achieved`` (达成, 完成,
            提高, 有效 …), ``partial`` (部分, 基本 …), ``not-achieved`` (未, 没有, 无法 …)
            or ``unknown``; ``None`` for other kinds.

    >>> parse_actual("部分完成").tier
    'partial'
    """

    tier: Tier | None = None


def _cell_str(cell: _Cell) -> str:
    if cell.kind == "quantity" and cell.value is not None:
        return _format_quantity(cell.op, cell.value, cell.unit)
    if cell.kind == "qualitative":
        return cell.phrase
    if cell.kind == "not-applicable":
        return "/"
    return cell.text


def _cell_repr(cell: _Cell) -> str:
    parts = [f"text={cell.text!r}", f"kind={cell.kind!r}"]
    if cell.kind == "quantity":
        parts += [f"op={cell.op!r}", f"value={cell.value!r}", f"unit={cell.unit!r}"]
    elif cell.kind == "qualitative":
        parts.append(f"phrase={cell.phrase!r}")
    if isinstance(cell, Actual) and cell.tier is not None:
        parts.append(f"tier={cell.tier!r}")
    if cell.error:
        parts.append(f"error={cell.error!r}")
    return f"{type(cell).__name__}({', '.join(parts)})"


@attrs.frozen
class Figure:
    """A printed number that is not a target: an amount, weight, rate, score or total.

    Attributes:
        text: the cell exactly as printed (kept, but not part of equality).
        kind: ``number``, ``not-applicable`` (blank, ``-``, ``/``) or ``unreadable``.
        value: the number exactly as printed (``10.00`` keeps its places), or ``None``.
        unit: ``""``, ``%`` (a rate, or a weight printed as ``20%``), ``分``, or a money
            unit when the cell names one.
        error: why an ``unreadable`` figure could not be read.

    >>> parse_figure("2,528.87")
    Figure(text='2,528.87', kind='number', value=Decimal('2528.87'), unit='')
    """

    text: str = attrs.field(eq=False)
    kind: FigureKind
    value: Decimal | None = None
    unit: str = ""
    error: str = ""

    def __attrs_post_init__(self) -> None:
        """Refuse a float value at construction, with a message saying what to pass."""
        if isinstance(self.value, float):
            raise FloatRefusedError(self.value, where="value")

    def __repr__(self) -> str:
        """Show only the fields that say something for this kind of figure."""
        parts = [f"text={self.text!r}", f"kind={self.kind!r}"]
        if self.kind == "number":
            parts += [f"value={self.value!r}", f"unit={self.unit!r}"]
        if self.error:
            parts.append(f"error={self.error!r}")
        return f"Figure({', '.join(parts)})"

    def __str__(self) -> str:
        """The canonical spelling; parsing it gives an equal value."""
        if self.kind == "number" and self.value is not None:
            return f"{self.value:f}{self.unit}"
        if self.kind == "not-applicable":
            return "-"
        return self.text

    @classmethod
    def unreadable(cls, text: str, error: str) -> Self:
        """A figure kept for the record although it could not be read."""
        return cls(text=text, kind="unreadable", error=error)


# ---------------------------------------------------------------------------------
# Reading


def qualitative_tier(phrase: str) -> Tier:
    """How the wording of a qualitative actual reads.

    Negations win over the words they negate (``未完成`` is not achieved), partial
    wording over plain achievement (``基本完成`` is partial): "not fully" (``未完全达到``),
    "under way" (``正在推进``) and "planned" (``预计2024年完成``) are partial.

    >>> [qualitative_tier(p) for p in ("有效提高", "基本达成", "未完成", "意见被采纳的情况")]
    ['achieved', 'partial', 'not-achieved', 'unknown']
    >>> [qualitative_tier(p) for p in ("未完全达到", "正在推进", "预计2024年完成", "通过验收")]
    ['partial', 'partial', 'partial', 'achieved']
    """
    folded = fold_text(phrase)
    if on_demand(_NOT_FULLY).search(folded):
        return "partial"
    if _NOT_ACHIEVED.search(folded):
        return "not-achieved"
    if _PARTIAL.search(folded):
        return "partial"
    if _ACHIEVED.search(folded):
        return "achieved"
    return "unknown"


def direction_op(text: str) -> Op | None:
    """The comparator a direction cell names (a 指标性质 or 指标方向 column), if any.

    A comparator as a cell writes it before its number (``≥``, ``<=``, ``不高于``), or
    the kind of indicator: 正向 (more is better, at least), 反向 (less is better, at
    most). ``定量``, ``定性`` and anything else name none.

    >>> [direction_op(t) for t in ("≥", "＜", "不高于", "正向指标", "反向", "定量", "")]
    ['>=', '<', '<=', '>=', '<=', None, None]
    """
    folded = fold_text(text).strip()
    return _FRONT_OPS.get(folded) or _DIRECTION_WORDS.get(folded)


_DIRECTION_WORDS: Final[dict[str, Op]] = {
    "正向": ">=",
    "正向指标": ">=",
    "反向": "<=",
    "反向指标": "<=",
    "等于": "=",
}


# ---------------------------------------------------------------------------------
# The lexer, after packaging's _tokenizer: each token is a compiled pattern tried with
# match() where reading stands in the folded cell. A cell is read from both ends:
# comparators and the number from the front, comparator words and remarks in brackets
# from the back; what is left between them is the unit.

# The word lists as alternatives, longest first: the first that matches is the longest.
_FRONT_WORDS_BY_LENGTH: Final = tuple(sorted(_FRONT_WORDS, key=len, reverse=True))
_BACK_WORDS_BY_LENGTH: Final = tuple(sorted(_BACK_WORDS, key=len, reverse=True))
_FRONT_ALTERNATIVES: Final = "|".join(map(re.escape, _FRONT_WORDS_BY_LENGTH))

# What a token before the number says: a comparator, or None for a word that says none
# (约, 控制在) and for the filler words.
_FRONT_OPS: Final[dict[str, Op | None]] = {
    **_SYMBOL_OPS,
    **_FRONT_WORDS,
    **dict.fromkeys(_FILLER_WORDS),
}

# Tokens read forwards.
_RULES: Final[dict[str, re.Pattern[str]]] = {
    # Before the number: a comparator sign, else a comparator word, else a filler word.
    "FRONT": re.compile(
        f"{_SYMBOLS.pattern}|{_FRONT_ALTERNATIVES}|{'|'.join(map(re.escape, _FILLER_WORDS))}"
    ),
    "NUMBER": _NUMBER,
    "EXPONENT": _EXPONENT,  # right after a number: 1e5, refused
}
# Tokens read backwards, from the end of the cell (the patterns are spelled backwards).
_BACK_RULES: Final[dict[str, re.Pattern[str]]] = {
    # A comparator word after the number and unit: 以上, 以内, 前 (9月前).
    "BACK": re.compile("|".join(re.escape(word[::-1]) for word in _BACK_WORDS_BY_LENGTH)),
    # Words in brackets with no digit: a remark (≥95%(抽查)) or the unit (≤300(元)).
    "BRACKETS": re.compile(r"\)[^(0-9]*\("),
}


class _Tokenizer:
    """One folded cell, read from both ends; raises InvalidCell at the spot it stops.

    Like packaging's Tokenizer: :meth:`check` says whether a token comes next,
    :meth:`read` takes it, :meth:`expect` requires it. ``position`` moves forwards
    over what stands before the unit; :meth:`check_back` and :meth:`read_back` move
    ``end`` backwards over what stands after it.
    """

    __slots__ = ("_backwards", "_token", "end", "folded", "origin", "position", "role", "text")

    def __init__(self, text: str, role: str, folded: str, origin: tuple[int, ...]) -> None:
        self.text = text
        self.role = role
        self.folded = folded
        self.origin = origin  # for each folded character, its index in text
        self.position = 0
        self.end = len(folded)
        self._token: re.Match[str] | None = None
        self._backwards: str | None = None

    def check(self, name: str) -> bool:
        """Whether the token ``name`` starts at ``position`` (then :meth:`read` takes it)."""
        self._token = _RULES[name].match(self.folded, self.position)
        return self._token is not None

    def read(self) -> re.Match[str]:
        """Take the token :meth:`check` found, moving ``position`` past it."""
        token = self._token
        assert token is not None  # noqa: S101 - read() follows a check() that found one
        self._token = None
        self.position = token.end()
        return token

    def expect(self, name: str, *, expected: str) -> re.Match[str]:
        """Take the token ``name``, or fail with ``expected`` where reading stands."""
        if not self.check(name):
            raise self.fail(expected)
        return self.read()

    def check_back(self, name: str) -> bool:
        """Whether the token ``name`` ends at ``end`` and starts at or after ``position``."""
        if self._backwards is None:
            self._backwards = self.folded[::-1]
        length = len(self.folded)
        self._token = _BACK_RULES[name].match(
            self._backwards, length - self.end, length - self.position
        )
        return self._token is not None

    def read_back(self) -> str:
        """Take the token :meth:`check_back` found, moving ``end`` before it; its text."""
        token = self._token
        assert token is not None  # noqa: S101 - read_back() follows a check_back()
        self._token = None
        word = token.group()
        self.end -= len(word)
        return word[::-1]

    def fail(self, reason: str, at: int | None = None) -> InvalidCell:
        """The error of a cell that cannot be read at ``at`` (default: ``position``)."""
        at = self.position if at is None else at
        where = self.origin[at] if at < len(self.origin) else len(self.text)
        return InvalidCell(self.text, where, reason, role=self.role)

    def again(self, position: int) -> _Tokenizer:
        """A tokenizer of the same cell, reading from ``position`` (to try a reading)."""
        other = _Tokenizer(self.text, self.role, self.folded, self.origin)
        other.position = position
        return other

    def replaced(self, start: int, end: int, new: str, origin: tuple[int, ...]) -> _Tokenizer:
        """A tokenizer of the same cell with ``folded[start:end]`` read as ``new``.

        ``origin`` gives, for each character of ``new``, the index in the cell it
        stands for, so errors still point at what the user wrote.
        """
        return _Tokenizer(
            self.text,
            self.role,
            self.folded[:start] + new + self.folded[end:],
            self.origin[:start] + origin + self.origin[end:],
        )

    def is_numeral(self, at: int) -> bool:
        """Whether the folded character at ``at`` is (or comes from) a numeral, not a digit.

        A Chinese numeral (一, 十, 〇), or a character of numeric value that is not
        a digit: another numeral (壹, 参, Ⅲ, 〡) or what it folds to (Ⅲ is ``III``).
        """
        if self.folded[at] in _CN_NUMERALS:
            return True
        source = self.text[self.origin[at]]
        return source.isnumeric() and not source.isdigit()


# ---------------------------------------------------------------------------------
# The grammar of a quantity cell:
#
#     quantity := label? FRONT* NUMBER unit? (BACK | BRACKETS)*
#
# FRONT and NUMBER read forwards, BACK and BRACKETS backwards from the end, and the
# unit is what is left between them. A label (合格率, 满意度:) is skipped only where
# no FRONT token comes first. A number spelled in Chinese numerals where a number
# stands is written in digits before reading (九十五% is read as 95%, 百分之九十五 as
# 95%).

# What a number, an optional unit and the comparators in a quantity cell read as.
_Quantity = tuple[list[tuple[Op, int]], Decimal, str]


def _read_front(tokens: _Tokenizer) -> list[tuple[Op, int]]:
    """Comparators and filler words before the number, each comparator with its place."""
    ops: list[tuple[Op, int]] = []
    while tokens.check("FRONT"):
        start = tokens.position
        op = _FRONT_OPS[tokens.read().group()]
        if op is not None:
            ops.append((op, start))
    return ops


def _skip_label(tokens: _Tokenizer) -> None:
    """Skip a label before the comparator or number: ``合格率≥95%``, ``满意度:90%``."""
    s = tokens.folded
    first_digit = _DIGIT.search(s)
    end = first_digit.start() if first_digit else len(s)
    colon = max(s.rfind(":", 0, end), s.rfind("：", 0, end))
    if colon >= 0:
        tokens.position = colon + 1
        return
    comparator = on_demand(_SYMBOL_OR_FRONT_WORD).search(s, 1, end)
    if comparator:
        tokens.position = comparator.start()
        return
    if s.endswith(_MEASURE_LABELS, 0, end):
        tokens.position = end  # 完成率100%, 满意度95%: the label names what the number measures
        return
    if _is_word_label(s[:end]):
        tokens.position = end  # 开展培训10次, 惠及1000户: what was done, then how much


def _is_word_label(words: str) -> bool:
    """Whether words before a cell's number name what was done (开展培训, 发放补贴).

    Not a change (提高, 减少: a relative change is no level, see :func:`parse_target`),
    not a negation (未完成10件), not a plan (预计10件), not an ordinal (第1季度), and
    words only: no digit, sign or punctuation.

    >>> [_is_word_label(w) for w in ("开展培训", "惠及", "提高", "未完成", "完成，共")]
    [True, True, False, False, False]
    """
    return (
        1 < len(words) <= _LONGEST_LABEL  # one character is a unit or a word's part
        and on_demand(_WORDS_ONLY).fullmatch(words) is not None
        and not on_demand(_NEGATION).search(words)
        and not on_demand(_PLANNED).search(words)  # 预计2024年完成: a plan, not what was done
        and not words.endswith(_CHANGE_WORDS)
        and not words.endswith("第")  # 第1季度: an ordinal, not an amount
        and not _is_known_unit(words)  # 件700: a unit out of place
        and not any(word in words for word in _COMPARATOR_WORDS)  # 以上5%: out of place
    )


_LONGEST_LABEL: Final = 12
_COMPARATOR_WORDS: Final = frozenset(
    [*_FRONT_WORDS, *(word for word, meaning in _BACK_WORDS.items() if meaning is not None)]
)
_WORDS_ONLY: Final = r"[\u4e00-\u9fff]+"  # compiled on demand (0.7 ms)
_NEGATION: Final = "[未没无不非否]"  # compiled on demand
_CHANGE_WORDS: Final = (
    "提高", "提升", "增加", "增长", "增幅", "上升", "扩大", "减少", "下降", "降低", "降幅",
    "缩短", "压缩", "缩减", "节约", "节省", "翻番", "同比", "环比",
)  # fmt: skip


def _read_number(tokens: _Tokenizer, ops: list[tuple[Op, int]]) -> Decimal:
    if tokens.check("NUMBER"):
        return _number_value(tokens, tokens.read())
    if ops:
        written = tokens.folded[ops[-1][1] : tokens.position] or ops[-1][0]
        raise tokens.fail(f"expected a number after {written!r}")
    raise tokens.fail("expected a comparator or a number")


def _number_value(tokens: _Tokenizer, number: re.Match[str]) -> Decimal:
    """The value of a NUMBER token just read, refusing exponents and too many digits."""
    if tokens.check("EXPONENT"):
        raise tokens.fail("exponent notation is not read; write the number in full")
    digits = _digit_count(number.group())
    if digits > MAX_DIGITS:
        raise tokens.fail(
            f"a number of {digits} digits; a cell's number has at most {MAX_DIGITS}",
            at=number.start(),
        )
    return Decimal(number.group().replace(",", ""))


def _read_tail(tokens: _Tokenizer) -> tuple[str, list[tuple[Op | Literal["deadline"], int]]]:
    """The unit and the comparator words after the number, read from the end back."""
    s = tokens.folded
    if tokens.position < len(s):
        _refuse_numeral_after_number(tokens)
    tail_ops: list[tuple[Op | Literal["deadline"], int]] = []
    bracketed_unit = ""
    while tokens.end > tokens.position:
        if tokens.check_back("BACK"):
            meaning = _BACK_WORDS[tokens.read_back()]
            if meaning is not None:
                tail_ops.append((meaning, tokens.end))
        elif tokens.check_back("BRACKETS"):
            inside = tokens.read_back()[1:-1]
            if tokens.end == tokens.position and _is_known_unit(inside):
                bracketed_unit = inside  # the unit in brackets: ≤300(元)
            # otherwise a remark in brackets: ≥95%(抽查)
        else:
            break
    start, end = tokens.position, tokens.end
    unit = s[start:end] or bracketed_unit
    if unit and not _UNIT.fullmatch(unit.translate(_UNIT_CLASSES)):
        digit = _DIGIT.search(s, start, end)
        if digit:
            raise tokens.fail("expected one number, found another", at=digit.start())
        bad = _NOT_IN_A_UNIT.search(s[start:end].translate(_UNIT_CLASSES))
        raise tokens.fail(f"cannot read the unit {unit!r}", at=start + (bad.start() if bad else 0))
    tokens.position = len(s)
    return unit, tail_ops


def _refuse_numeral_after_number(tokens: _Tokenizer) -> None:
    """Refuse a numeral right after digits (``1九``, ``5Ⅲ``).

    A magnitude there begins the unit (``3万元``, ``5千克``); a CJK word with a
    numeric value is a word (``5参赛队``).
    """
    at = tokens.position
    if (
        tokens.is_numeral(at)
        and tokens.folded[at] not in _CN_MAGNITUDES
        and not _is_cjk_word(tokens.text[tokens.origin[at]])
    ):
        raise tokens.fail("expected one number, found another")


def _read_quantity(tokens: _Tokenizer) -> _Quantity:
    ops = _read_front(tokens)
    if not ops and not tokens.check("NUMBER"):
        _skip_label(tokens)
        ops += _read_front(tokens)
    value = _read_number(tokens, ops)
    unit_start = tokens.position
    unit, tail = _read_tail(tokens)
    if unit[:1] in _MORE_THAN and (len(unit) == 1 or _is_known_unit(unit[1:])):
        # 1000余人, 100多万元, 1000余: more than the number
        if not ops:
            ops.append((">", unit_start))
        unit = unit[1:]
    unit = normalize_unit(unit)
    for meaning, position in tail:
        if meaning == "deadline":
            if unit not in _DEADLINE_UNITS:
                raise tokens.fail(
                    f"'前' (before) must follow a month, as in 9月前; found the unit {unit!r}",
                    at=position,
                )
            ops.append(("<=", position))
        else:
            ops.append((meaning, position))
    return ops, value, unit


_MORE_THAN: Final = frozenset("余多")  # right after a number: more than it


def _is_cjk_word(char: str) -> bool:
    """Whether ``char`` is a CJK ideograph other than the Chinese numerals read here."""
    return char not in _CN_NUMERALS and (
        "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"
    )


# A label that names what the number measures may stand right before it: 完成率100%.
# (Where it is followed by a colon, the colon decides first.)
_MEASURE_LABELS: Final = ("率", "度", "数", "量", "额", "比例", "占比")
_SYMBOL_OR_FRONT_WORD: Final = f"{_SYMBOLS.pattern}|{_FRONT_ALTERNATIVES}"  # on demand


def _is_known_unit(text: str) -> bool:
    """Whether ``text`` is a unit perfscore knows by name (元, 万元, 个, %), not any word."""
    unit = normalize_unit(text)
    return unit in _CN_COUNT_UNITS or not unit_family(unit).startswith("unit:")


def _merge_ops(tokens: _Tokenizer, ops: list[tuple[Op, int]]) -> Op | None:
    """One comparator from all those written; ``=`` yields to a stronger word."""
    distinct = {op for op, _ in ops}
    if len(distinct) > 1:
        distinct.discard("=")
    if distinct == {">", ">="}:
        return ">="
    if distinct == {"<", "<="}:
        return "<="
    if len(distinct) > 1:  # two, or more: "≥超过1之内" writes three
        *first, last = map(repr, sorted(distinct))
        position = max(position for _, position in ops)
        raise tokens.fail(f"conflicting comparators {', '.join(first)} and {last}", at=position)
    return next(iter(distinct), None)


# ---------------------------------------------------------------------------------
# Numbers in Chinese numerals


def _cn_number(numeral: str) -> int | None:
    """The value of a number in Chinese numerals written in full, or None.

    十二, 两百, 三千零五十, 一万零五, 三万五千, 一亿五千万; a leading 十, 百 or 千 may
    stand alone (十二, 百分之百). A colloquial shortening (三百五 for 350, 两万五 for
    25 000), a 零 where no place is skipped, and a list of digits (一二, 二〇二三) are
    not one number.

    >>> [_cn_number(n) for n in ("十二", "两百", "一百零五", "三万五千", "三百五", "二〇二三")]
    [12, 200, 105, 35000, None, None]
    """
    if numeral in _CN_ZEROS:
        return 0
    parsed = _cn_parse(numeral, leading=True)
    return None if parsed is None else parsed[0]


def _cn_parse(numeral: str, *, leading: bool) -> tuple[int, int] | None:
    """(value, the power of ten of its first digit) of a positive numeral, or None."""
    for char, power in _CN_BIG_UNITS:
        at = numeral.rfind(char)
        if at < 0:
            continue
        high = _cn_parse(numeral[:at], leading=leading) if at else None
        if high is None or (power == 4 and high[1] >= 4):  # 万万 is not a number
            return None
        value, top = high[0] * 10**power, high[1] + power
        rest = numeral[at + 1 :]
        if not rest:
            return value, top
        zero = rest[0] in _CN_ZEROS
        low = _cn_parse(rest[1:] if zero else rest, leading=False)
        # 零 stands for skipped places: 一万零五 is 10 005; 一万五 (15 000) is slang.
        if low is None or zero == (low[1] == power - 1):
            return None
        return value + low[0], top
    return _cn_section(numeral, leading=leading)


def _cn_section(numeral: str, *, leading: bool) -> tuple[int, int] | None:
    """(value, the power of ten of its first digit) of a numeral below 10 000, or None."""
    places: list[tuple[int, int]] = []
    zero = False
    index = 0
    while index < len(numeral):
        char = numeral[index]
        index += 1
        if char in _CN_ZEROS:
            if zero or not places:
                return None
            zero = True
            continue
        place = _cn_place(numeral, index - 1, leading=leading and not places)
        if place is None:
            return None
        digit, power, index = place
        if places:
            last = places[-1][1]
            if power >= last or zero != (last - power > 1):
                return None  # out of order, or a place skipped without 零 (三百五)
        places.append((digit, power))
        zero = False
    if zero or not places:
        return None
    return sum(digit * 10**power for digit, power in places), places[0][1]


def _cn_place(numeral: str, at: int, *, leading: bool) -> tuple[int, int, int] | None:
    """A digit, the power of ten it stands for, and the index after them, or None.

    ``五十`` at 0 is (5, 1, 2); ``五`` alone is (5, 0, 1); a leading 十, 百 or 千
    stands for one of its place.
    """
    char = numeral[at]
    if char in _CN_DIGITS:
        after = numeral[at + 1 : at + 2]
        if after and after in _CN_SMALL_UNITS:
            return _CN_DIGITS[char], _CN_SMALL_UNITS[after], at + 2
        if char == "两" and at:
            return None  # 两 is never the last digit: 十二, not 十两
        return _CN_DIGITS[char], 0, at + 1
    if char in _CN_SMALL_UNITS and leading:
        return 1, _CN_SMALL_UNITS[char], at + 1  # 十二 is 12, 百分之百 is 100%
    return None


def _numeral_runs(tokens: _Tokenizer) -> Iterator[tuple[int, int]]:
    """The spans of the folded cell that are runs of numerals (see _Tokenizer.is_numeral)."""
    s = tokens.folded
    if "n" not in tokens.text.translate(_FOREIGN_NUMERALS):
        yield from map(_SPAN, _NUMERAL_RUN.finditer(s.translate(_NUMERALS)))
        return
    start = None  # a numeral of another script: Ⅲ folds to III
    for index in range(len(s) + 1):
        if index < len(s) and tokens.is_numeral(index):
            start = index if start is None else start
        elif start is not None:
            yield start, index
            start = None


_SPAN: Final = operator.methodcaller("span")


def _stands_for_number(s: str, at: int, start_of_number: int) -> bool:
    """Whether a number written at ``at`` would be read as the cell's number.

    At the start (after comparator and filler words), after a colon, after a
    comparator word, or after a label that names a measure (率, 度 …).
    """
    return (
        at == start_of_number
        or s[at - 1] == ":"
        or s.endswith(_FRONT_WORDS_BY_LENGTH, 0, at)
        or s.endswith(_MEASURE_LABELS, 0, at)
    )


def _unit_follows(tokens: _Tokenizer, start: int, end: int) -> int | None:
    """Where a run of numerals ends if only a unit and comparator words follow it.

    The unit must be one perfscore knows (个, 万元, %, 分 …), so that prose that starts
    with a numeral (十分满意, 一定程度) stays prose. A magnitude at the end of the run
    may begin the unit instead (九十五百分比 is 九十五 百分比). A % or ‰ anywhere after
    the run makes it the number too (it is then read, or refused). None otherwise.
    """
    for cut in range(end, start, -1):
        if cut < end and tokens.folded[cut] not in _CN_MAGNITUDES:
            break
        try:
            unit, _ = _read_tail(tokens.again(cut))
        except InvalidCell:
            continue
        unit = normalize_unit(unit)
        if not unit or unit == "分" or _is_known_unit(unit):
            return cut
    rest = tokens.folded[end:]
    return end if "%" in rest or "‰" in rest else None  # a percent sign marks a number


_DECIMALS: Final = "点[零〇一二三四五六七八九]+"  # after a numeral: 九十五点五 (on demand)


def _with_decimals(s: str, end: int) -> int:
    """Where a numeral run ends with its decimals: 九十五点五 (95.5), 三点五万."""
    decimals = on_demand(_DECIMALS).match(s, end)
    return end if decimals is None else decimals.end()


_NOT_A_NUMERAL: Final = "[^零〇一二两三四五六七八九十百千万亿点]"  # on demand


def _as_digits(tokens: _Tokenizer, start: int, end: int) -> _Tokenizer:
    """The cell with the numerals at ``start:end`` written in digits (九十五 is 95).

    A 万 or 亿 that ends the numeral stays with the unit, as after digits: 五十万元
    reads as 50 万元, like 50万元.

    Raises:
        InvalidCell: the run is not one number in Chinese numerals.
    """
    s = tokens.folded
    other = on_demand(_NOT_A_NUMERAL).search(s, start, end)
    if other is not None:
        source = tokens.text[tokens.origin[other.start()]]
        raise tokens.fail(
            f"{source!r} is not a numeral perfscore reads; "
            "write the number with 0-9 or in Chinese numerals",
            at=other.start(),
        )
    run = s[start:end]
    whole, point, decimals = run.partition("点")
    value = _cn_number(whole)
    if value is None or not all(map(_CN_DECIMAL_DIGITS.__contains__, decimals)):
        raise tokens.fail(
            f"cannot read {run!r} as one number in Chinese numerals; write it in full "
            "(三百五十, 一千零五, 九十五点五) or with 0-9",
            at=start,
        )
    magnitude = run[-1] if value and not point and run[-1] in "万亿" else ""
    if magnitude:
        value //= 10_000 if magnitude == "万" else 100_000_000
    digits = str(value)
    if point:
        digits += "." + "".join(str(_CN_DIGITS[digit]) for digit in decimals)
    origin = (tokens.origin[start],) * len(digits) + (tokens.origin[end - 1],) * len(magnitude)
    return tokens.replaced(start, end, digits + magnitude, origin)


def _read_spelled_out(tokens: _Tokenizer, strict: int | None) -> _Quantity | None:
    """Read a number spelled out in Chinese numerals; None when the numerals are words.

    A run of numerals right after a comparator sign (``≥九十五%``, or ``strict``,
    where 百分之 stood) is the number. Elsewhere it is the number only where a
    number in digits would be read (:func:`_stands_for_number`) and a unit perfscore
    knows, or nothing, follows (``九十五%``, ``不少于两次``, ``满意度：九十五%``);
    anywhere else numerals are words (``十分满意``, ``一定程度``, ``统一``).
    """
    s = tokens.folded
    start_of_number = -1  # where the front words end, found when first needed
    for start, run_end in _numeral_runs(tokens):
        end = _with_decimals(s, run_end)
        cut: int | None = end
        if start != strict and not (start and s[start - 1] in "<>=≈"):
            if start_of_number < 0:
                _read_front(tokens)
                start_of_number, tokens.position = tokens.position, 0
            if not _stands_for_number(s, start, start_of_number):
                continue
            cut = _unit_follows(tokens, start, end)
        if cut is not None:
            return _read_quantity(_as_digits(tokens, start, cut))
    return None


_PER: Final = re.compile("([百千])分之")


def _per_hundred(tokens: _Tokenizer) -> tuple[_Tokenizer, int | None]:
    """百分之九十五 read as 九十五%, 千分之五 as 五‰, 百分之95 as 95%.

    Returns the tokenizer of the rewritten cell and where its number now starts (None
    when the cell has no 百分之 before a number).
    """
    s = tokens.folded
    per = _PER.search(s)
    if per is None:
        return tokens, None
    number = _NUMBER.match(s, per.end())
    if number is not None:
        end = number.end()
    else:
        numeral = _NUMERAL_RUN.match(s.translate(_NUMERALS), per.end())
        if numeral is None:
            return tokens, None
        end = _with_decimals(s, numeral.end())
    sign = "%" if per.group(1) == "百" else "‰"
    # The sign stands for 分之 (not for 百, a numeral): an error after it points there.
    origin = (*tokens.origin[per.end() : end], tokens.origin[per.start() + 1])
    rewritten = tokens.replaced(per.start(), end, s[per.end() : end] + sign, origin)
    return rewritten, per.start()


# What a target or actual cell says: kind, comparator, number, unit, phrase.
_Reading = tuple[CellKind, Op | None, Decimal | None, str, str]
_NOT_APPLICABLE_READING: Final[_Reading] = ("not-applicable", None, None, "", "")


def _read(text: str, role: str, *, leading_equals_is_notation: bool) -> _Reading:
    if not text.isascii():
        _refuse_foreign_digits(text, role)
    folded, origin = fold(text)
    if _is_not_applicable(folded):
        return _NOT_APPLICABLE_READING
    if (
        (date := _date(folded)) is not None
        and not on_demand(_NOT_DONE).search(date["done"])
        and not (role == "actual" and on_demand(_PLANNED).search(date["front"] or ""))
    ):
        return _date_reading(date, _Tokenizer(text, role, folded, origin))
    tokens = _Tokenizer(text, role, folded, origin)
    strict = None
    if "分之" in folded:
        tokens, strict = _per_hundred(tokens)
    quantity: _Quantity | None
    if _WRITTEN_DIGIT.search(text):
        quantity = _read_quantity(tokens)
    else:
        quantity = _read_spelled_out(tokens, strict)
        if quantity is None and _DIGIT.search(folded):  # m² without a number: not words
            tokens.position = 0
            quantity = _read_quantity(tokens)
        if quantity is None:
            if _SYMBOLS.sub("", folded) == "":
                tokens.position = len(folded)
                written = folded if len(folded) <= 2 else folded[-2:]
                raise tokens.fail(f"expected a number after {written!r}")
            return "qualitative", None, None, "", folded
    ops, value, unit = quantity
    if leading_equals_is_notation and ops and ops[0] == ("=", 0):
        ops = ops[1:]
    return "quantity", _merge_ops(tokens, ops), value, unit, ""


# A calendar date (a deadline, the day a task was done): 2023年12月31日前, 2023-12-31,
# 截至2023年12月底, 已于2023年6月上旬完成验收, 2023年底前. A year alone (2023年) is not
# one; words after it that say it was not done (未完成, 延期) make it no date reading.
_DATE: Final = (  # compiled on demand (1.3 ms), ASCII
    r"(?P<front>>=|<=|=|>|<|截至|截止到|截止|不晚于|不迟于"
    r"|(?:已经|已|计划|预计|按期|按时)?[于在]|预计|计划)?"
    r"(?P<year>(?:19|20)\d\d)"
    r"(?:年(?P<year_part>底|末|年底|年末|内|度内)"
    r"|年(?P<month>1[0-2]|0?[1-9])月份?"
    r"(?:(?P<day>3[01]|[12]\d|0?[1-9])[日号]|(?P<month_part>底|末|初|上旬|中旬|下旬))?"
    r"|[-./](?P<iso_month>1[0-2]|0?[1-9])[-./](?P<iso_day>3[01]|[12]\d|0?[1-9])[日号]?)"
    r"(?P<back>之前|以前|前|以内|内|止)?"
    r"(?P<done>[\u4e00-\u9fff]{0,10})"
)


def _date(folded: str) -> re.Match[str] | None:
    """The parts of a folded cell that is a calendar date (see :data:`_DATE`), if it is one."""
    if "年" not in folded and "-" not in folded and "/" not in folded and folded.count(".") < 2:
        return None  # no year, no separators: no date (and no pattern compiled)
    return on_demand(_DATE, re.ASCII).fullmatch(folded)


_BEFORE: Final = frozenset({"截至", "截止", "截止到", "不晚于", "不迟于", "<="})
# Words before a date in an actual that say it is only planned (预计2024年6月完成).
_PLANNED: Final = "预计|计划|拟|预期|力争|争取"  # compiled on demand
# Words after a date that say it was not done, or not then: the cell is no date reading.
_NOT_DONE: Final = "[未没无不尚否]|延期|推迟|逾期|滞后|暂缓|取消"  # compiled on demand
_FIRST_DAY: Final[dict[str | None, int]] = {None: 1, "初": 1, "上旬": 1, "中旬": 11, "下旬": 21}
_LAST_DAY: Final[dict[str | None, int | None]] = {
    None: None, "初": 10, "上旬": 10, "中旬": 20, "下旬": None, "底": None, "末": None,
}  # fmt: skip  # None: the month's last day

DATE_UNIT: Final = "日期"
"""The unit of a calendar date, whose value is the date as the number ``YYYYMMDD``."""


def _date_reading(date: re.Match[str], tokens: _Tokenizer) -> _Reading:
    """A date cell: the comparator, the date as ``YYYYMMDD``, the unit :data:`DATE_UNIT`.

    A month or a part of one (``2023年12月``, ``6月上旬``) is, in a target, its last
    day (a deadline of December is met in December) and, in an actual, its first
    (done in December: the benefit of the doubt); ``底`` and ``末`` are the last day
    in both. ``前``, ``以内``, ``截至`` make a target "no later than".
    """
    year = int(date["year"])
    month = int(date["month"] or date["iso_month"] or 12)
    day_text = date["day"] or date["iso_day"]
    if day_text is not None:
        day = int(day_text)
    elif date["month"] is None and date["iso_month"] is None:
        day = 31  # the year's end: 2023年底
    else:
        part = date["month_part"]
        if tokens.role != "target" and part not in {"底", "末"}:
            day = _FIRST_DAY.get(part, 1)
        else:
            day = _LAST_DAY.get(part) or _month_days(year, month)
    if day > _month_days(year, month):
        at = date.start("day") if date["day"] else date.start("iso_day")
        raise tokens.fail(f"{year}年{month}月 has no day {day}", at=at)
    front, back = date["front"], date["back"]
    op: Op | None = None
    if front in _SYMBOL_OPS:
        op = _SYMBOL_OPS[front]
    if front in _BEFORE or back is not None or (date["done"] or "").startswith("前"):
        op = "<=" if op in {None, "<="} else _conflict(tokens, op)
    return "quantity", op, Decimal(year * 10000 + month * 100 + day), DATE_UNIT, ""


def _conflict(tokens: _Tokenizer, op: Op) -> Op:
    raise tokens.fail(f"'{op}' and '前' (no later than) say different things")


def _month_days(year: int, month: int) -> int:
    # calendar.monthrange would import calendar, datetime and locale with perfscore.
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in {4, 6, 9, 11} else 31


def date_text(value: Decimal) -> str:
    """A date's value (``YYYYMMDD``) as a table prints it.

    >>> date_text(Decimal("20231231"))
    '2023年12月31日'
    """
    number = int(value)
    return f"{number // 10000}年{number // 100 % 100}月{number % 100}日"


def _is_not_applicable(folded: str) -> bool:
    return folded in _NOT_APPLICABLE or not folded.strip("-/\\.…")


def parse_target(text: str | int | Decimal) -> Target:
    """Read a 年度指标值 cell.

    Args:
        text: the cell as printed; an int or a Decimal is read as its digits.

    Returns:
        The parsed target; its ``text`` is the input, verbatim.

    Raises:
        InvalidCell: the cell holds digits that do not read as one quantity (two
            numbers, an unknown unit, conflicting comparators); the message quotes
            the cell and points at the spot.
        FloatRefusedError: a ``float`` was passed.

    >>> parse_target("不低于95%").op
    '>='
    >>> parse_target("<=2230.86 万")
    Target(text='<=2230.86 万', kind='quantity', op='<=', value=Decimal('2230.86'), unit='万元')
    >>> parse_target("100万元以内").op
    '<='
    >>> parse_target("进一步提高").kind
    'qualitative'
    >>> parse_target("≥件700")
    Traceback (most recent call last):
    ...
    perfscore.errors.InvalidCell: cannot read target '≥件700': expected a number after '>='
        ≥件700
         ^
    """
    return _target(_to_text(text, "target"))


# Printed tables repeat the same cells (=100%, >=90%, 10.00) thousands of times; a
# parsed cell is immutable, so each distinct text is read once. The cache is keyed by
# the text itself, never by a number (Decimal("10.0") == Decimal("10") would share).
_CACHE_SIZE: Final = 1 << 14


@lru_cache(maxsize=_CACHE_SIZE)
def _target(text: str) -> Target:
    text = _to_text(text, "target")
    kind, op, value, unit, phrase = _read(text, "target", leading_equals_is_notation=False)
    return Target(text=text, kind=kind, op=op, value=value, unit=unit, phrase=phrase)


def parse_actual(text: str | int | Decimal) -> Actual:
    """Read a 实际完成值 cell.

    A leading ``=`` is notation (``=1044 件`` reads as 1044 件 with ``op=None``); any
    other comparator is kept. A qualitative actual gets a :data:`Tier`.

    Args:
        text: the cell as printed; an int or a Decimal is read as its digits.

    Returns:
        The parsed actual; its ``text`` is the input, verbatim.

    Raises:
        InvalidCell: the digits do not read as one quantity.
        FloatRefusedError: a ``float`` was passed.

    >>> parse_actual("=1044 件")
    Actual(text='=1044 件', kind='quantity', op=None, value=Decimal('1044'), unit='件')
    >>> parse_actual("≥95%").op
    '>='
    >>> parse_actual("未完成").tier
    'not-achieved'
    """
    return _actual(_to_text(text, "actual"))


@lru_cache(maxsize=_CACHE_SIZE)
def _actual(text: str) -> Actual:
    text = _to_text(text, "actual")
    kind, op, value, unit, phrase = _read(text, "actual", leading_equals_is_notation=True)
    tier = qualitative_tier(phrase) if kind == "qualitative" else None
    return Actual(text=text, kind=kind, op=op, value=value, unit=unit, phrase=phrase, tier=tier)


_FIGURE_UNITS: Final[frozenset[str]] = frozenset({"", "%", "‰", "分", "元", "千元", "万元", "亿元"})


def parse_figure(text: str | int | Decimal, *, role: str = "figure") -> Figure:
    """Read an amount, weight, rate, score or total.

    Thousands separators, full-width digits and spaces are read; ``%`` and ``分`` are
    kept as the unit; a blank, ``-`` or ``/`` is not applicable.

    Args:
        text: the cell as printed, or an int or Decimal (a JSON number).
        role: what the figure is, for the error message (``weight``, ``score`` …).

    Raises:
        InvalidCell: the cell is not one number.
        FloatRefusedError: a ``float`` was passed.

    >>> parse_figure("98.36%").value, parse_figure("98.36%").unit
    (Decimal('98.36'), '%')
    >>> parse_figure("10分").value
    Decimal('10')
    >>> parse_figure("-").kind
    'not-applicable'
    """
    return _figure(_to_text(text, role), role)


@lru_cache(maxsize=_CACHE_SIZE)
def _figure(text: str, role: str) -> Figure:
    if not text.isascii():
        _refuse_foreign_digits(text, role)
    folded, origin = fold(text)
    if _is_not_applicable(folded):
        return Figure(text=text, kind="not-applicable")
    tokens = _Tokenizer(text, role, folded, origin)
    number = tokens.expect("NUMBER", expected="expected a number")
    value = _number_value(tokens, number)
    unit = normalize_unit(folded[number.end() :])
    if unit not in _FIGURE_UNITS:
        another = _DIGIT.search(folded, number.end())
        if another:
            raise tokens.fail("expected one number, found another", at=another.start())
        reason = f"expected a number, optionally with % or 分; found {unit!r} after it"
        raise tokens.fail(reason, at=number.end())
    return Figure(text=text, kind="number", value=value, unit=unit)


# The cached readers of cells given as text, for callers that have checked the type
# (the batch reader): parse_target, parse_actual and parse_figure without that check.
target_from_text: Final[Callable[[str], Target]] = _target
actual_from_text: Final[Callable[[str], Actual]] = _actual
figure_from_text: Final[Callable[[str, str], Figure]] = _figure


# ---------------------------------------------------------------------------------
# What an indicator's name says of its target: 公猪舍(≥**平方米), 满意度(%), 带动贫困户(人)


class NameHint(NamedTuple):
    """The comparator and unit an indicator's name gives its target, and the words.

    Attributes:
        op: the comparator written in the name, or ``None``.
        unit: the unit written in the name (normalised), or ``""``.
        text: the bracketed words they were read from (``≥**平方米``).
    """

    op: Op | None
    unit: str
    text: str


_BRACKETED_HINT: Final = re.compile(r"[(（]([^()（）]{1,16})[)）]")
_PLACEHOLDERS: Final = re.compile(r"[*＊×xXＸ?？…_＿]+")
_HINT_PREFIX: Final = re.compile(r"^(?:单位|计量单位)[:：]?")


@lru_cache(maxsize=1 << 12)
def name_hint(name: str) -> NameHint | None:
    """What an indicator's name says its target's number is: a comparator and a unit.

    Printed forms put them in brackets after the name when the target cell holds a
    bare number: ``公猪舍(≥**平方米)`` with ``22.8``, ``满意度(%)`` with ``90``,
    ``带动贫困户(人)`` with ``11442``. The last bracket that reads as a comparator and
    a unit perfscore knows by name (placeholders such as ``**`` standing for the
    number) is the hint; brackets with digits, or with words that are no unit
    (``（含税）``, ``（2023年）``), are not.

    >>> name_hint("公猪舍(≥**平方米)"), name_hint("满意度（%）")
    (NameHint(op='>=', unit='平方米', text='≥**平方米'), NameHint(op=None, unit='%', text='%'))
    >>> name_hint("带动贫困户(人)").unit, name_hint("采购费用（含税）"), name_hint("培训人数")
    ('人', None, None)
    """
    for content in reversed(_BRACKETED_HINT.findall(name)):
        hint = _hint(content)
        if hint is not None:
            return hint
    return None


def _hint(content: str) -> NameHint | None:
    words = _HINT_PREFIX.sub("", content.strip())
    folded = fold_text(words)
    if not folded or _DIGIT.search(folded) or any(c.isdigit() for c in folded):
        return None
    if _PLACEHOLDERS.search(folded):
        candidates = [_PLACEHOLDERS.sub("1", folded, count=1)]
    else:
        symbol = _SYMBOLS.match(folded)
        cut = symbol.end() if symbol else 0
        candidates = [folded[:cut] + "1" + folded[cut:]]
    for candidate in candidates:
        try:
            target = parse_target(candidate)
        except InvalidCell:
            continue
        if target.kind != "quantity" or target.value != 1:
            continue
        if (target.unit and _is_known_unit(target.unit)) or (target.op and not target.unit):
            return NameHint(target.op, target.unit or "", content.strip())
    return None

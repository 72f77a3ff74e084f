import functools
import json
import pickle
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import cells_before
import perfscore.cells as cells_module
from perfscore import (
    InvalidCell,
    PerfscoreError,
    cells,
    loads,
    parse_actual,
    parse_figure,
    parse_target,
)
from perfscore._text import fold_text
from perfscore.audit import audit
from perfscore.cells import MAX_DIGITS, Actual, Figure, Target, name_hint, qualitative_tier
from perfscore.errors import FloatRefusedError

D = Decimal


@pytest.mark.parametrize(
    ("text", "op", "value", "unit"),
    [
        # ASCII, mathematical, full-width and look-alike comparators
        (">=700 件", ">=", "700", "件"),
        ("<=35.50 万元", "<=", "35.50", "万元"),
        ("=100%", "=", "100", "%"),
        (">5", ">", "5", ""),
        ("<3 天", "<", "3", "天"),
        ("≥95%", ">=", "95", "%"),
        ("≤ 600 元/人", "<=", "600", "元/人"),
        ("≧90%", ">=", "90", "%"),
        ("≦2 万元", "<=", "2", "万元"),
        ("＞＝90％", ">=", "90", "%"),
        ("＜＝10 万元", "<=", "10", "万元"),
        ("＝100%", "=", "100", "%"),
        ("＞1 个", ">", "1", "个"),
        ("＜1 个", "<", "1", "个"),
        ("﹦100%", "=", "100", "%"),
        ("═100%", "=", "100", "%"),
        ("=>80%", ">=", "80", "%"),
        # word forms at the front and at the back
        ("不低于95%", ">=", "95", "%"),
        ("不少于 20 家", ">=", "20", "家"),
        ("大于等于90%", ">=", "90", "%"),
        ("不高于100万元", "<=", "100", "万元"),
        ("不超过5 万元", "<=", "5", "万元"),
        ("小于等于3%", "<=", "3", "%"),
        ("达到100%", ">=", "100", "%"),
        ("等于12 个月", "=", "12", "个月"),
        ("95%以上", ">=", "95", "%"),
        ("100万元以内", "<=", "100", "万元"),
        ("5%以下", "<=", "5", "%"),
        ("30 天内", "<=", "30", "天"),
        ("达到90%以上", ">=", "90", "%"),
        ("≥95%以上", ">=", "95", "%"),
        ("=100%以上", ">=", "100", "%"),
        ("控制在 50 万元以内", "<=", "50", "万元"),
        ("95%(含)以上", ">=", "95", "%"),
        # numbers: separators, full-width digits, spaces anywhere
        ("2,528.87", None, "2528.87", ""),
        ("１２３件", None, "123", "件"),
        ("1 044 件", None, "1044", "件"),
        ("0.5万元", None, "0.5", "万元"),
        ("12,0000 元", None, "120000", "元"),
        # units: percentages, money, counts, compound, durations and deadlines
        ("95百分比", None, "95", "%"),
        ("<=2230.86 万", "<=", "2230.86", "万元"),
        ("≤1.5 亿元", "<=", "1.5", "亿元"),
        ("≥8 万页", ">=", "8", "万页"),
        ("≥1000 人次", ">=", "1000", "人次"),
        ("≥200 平方米", ">=", "200", "平方米"),
        ("≤300 元/人*月", "<=", "300", "元/人*月"),
        ("≤300 元/人·月", "<=", "300", "元/人*月"),
        ("=12 个月", "=", "12", "个月"),
        ("9月前", "<=", "9", "月"),
        ("11月前", "<=", "11", "月"),
        ("12月底前", "<=", "12", "月"),
        ("≥50 亩", ">=", "50", "亩"),
        ("≥2 km", ">=", "2", "公里"),
        # a bare number, and labels before a comparator
        ("700", None, "700", ""),
        ("12 个月", None, "12", "个月"),
        ("合格率≥95%", ">=", "95", "%"),
        ("满意度：90%", None, "90", "%"),
        ("≥95%(抽查)", ">=", "95", "%"),
        ("≤300（元）", "<=", "300", "元"),
        ("≥95(抽查)", ">=", "95", ""),
        ("完成率100%", None, "100", "%"),
        ("满意度≥90%", ">=", "90", "%"),
        # spelled-out numbers
        ("三轮", None, "3", "轮"),
        ("不少于两次", ">=", "2", "次"),
        ("十二个月", None, "12", "个月"),
    ],
)
def test_parse_target_reads_quantities(text, op, value, unit):
    """A quantity target reads to its comparator, exact value and normalised unit."""
    target = parse_target(text)
    assert target.kind == "quantity"
    assert (target.op, target.value, target.unit) == (op, D(value), unit)
    assert str(target.value) == value
    assert target.text == text


@pytest.mark.parametrize(
    ("text", "op", "value", "unit"),
    [
        ("=1044 件", None, "1044", "件"),
        ("1 个", None, "1", "个"),
        ("=90%", None, "90", "%"),
        ("=67.5 万", None, "67.5", "万元"),
        ("≥95%", ">=", "95", "%"),
        ("=≥95%", ">=", "95", "%"),
        ("95%以上", ">=", "95", "%"),
        ("完成100%", None, "100", "%"),
        ("=0 万元", None, "0", "万元"),
        ("=600 元/人", None, "600", "元/人"),
    ],
)
def test_parse_actual_reads_quantities(text, op, value, unit):
    """A leading = on an actual is notation; other comparators are kept."""
    actual = parse_actual(text)
    assert (actual.kind, actual.op, actual.value, actual.unit) == ("quantity", op, D(value), unit)
    assert actual.tier is None


@pytest.mark.parametrize(
    "text",
    [
        "进一步提高",
        "有效保障",
        "达成预期指标",
        "显著提升",
        "在项目计划完成时间内完成",
        "长期",
        "一定程度提高",
        "十分满意",
    ],
)
def test_qualitative_target_has_no_value(text):
    """Words without a number are a qualitative target, its wording kept."""
    target = parse_target(text)
    assert (target.kind, target.op, target.value, target.unit) == ("qualitative", None, None, "")
    assert target.phrase == text
    assert str(target) == text


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("有效增强", "achieved"),
        ("达成预期指标", "achieved"),
        ("已完成", "achieved"),
        ("显著提升", "achieved"),
        ("不断提高", "achieved"),
        ("部分达成", "partial"),
        ("基本完成", "partial"),
        ("有所提高", "partial"),
        ("未完成", "not-achieved"),
        ("未达到预期", "not-achieved"),
        ("没有提高", "not-achieved"),
        ("无法完成", "not-achieved"),
        ("项目暂停", "not-achieved"),
        ("否", "not-achieved"),
        ("意见被采纳的情况", "unknown"),
        ("无", "unknown"),
    ],
)
def test_qualitative_actual_tier(text, tier):
    """The wording of a qualitative actual is classified; negation wins over achievement."""
    actual = parse_actual(text)
    assert actual.kind == "qualitative"
    assert actual.tier == tier
    assert qualitative_tier(text) == tier


@pytest.mark.parametrize("text", ["", " ", "/", "／", "-", "—", "——", "－", "N/A", "不适用", "\\"])
def test_not_applicable_cells(text):
    """Blank and dash-like cells are not applicable: no op, no value, no unit."""
    for parse in (parse_target, parse_actual):
        cell = parse(text)
        assert (cell.kind, cell.op, cell.value, cell.unit) == ("not-applicable", None, None, "")
    assert parse_figure(text).kind == "not-applicable"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            ">=件700",
            "cannot read target '>=件700': expected a number after '>='\n    >=件700\n      ^",
        ),
        (
            "≥件700",
            "cannot read target '≥件700': expected a number after '>='\n    ≥件700\n     ^",
        ),
        (
            "1-3年",
            "cannot read target '1-3年': expected one number, found another\n    1-3年\n      ^",
        ),
        (
            "提高10%",
            "cannot read target '提高10%': expected a comparator or a number\n    提高10%\n    ^",
        ),
        (
            "≤100 以上",
            (
                "cannot read target '≤100 以上': conflicting comparators '<=' and '>='\n"
                "    ≤100 以上\n         ^"
            ),
        ),
        (
            "≥超过1之内",  # three comparators: each named (this used to crash the reader)
            (
                "cannot read target '≥超过1之内': conflicting comparators '<=', '>' and '>='\n"
                "    ≥超过1之内\n          ^"
            ),
        ),
        (
            "12 件前",
            (
                "cannot read target '12 件前': '前' (before) must follow a month, as in 9月前; "
                "found the unit '件'\n    12 件前\n         ^"
            ),
        ),
        (
            "12月31日前",
            (
                "cannot read target '12月31日前': expected one number, found another\n"
                "    12月31日前\n        ^"
            ),
        ),
        (
            "2023年2月30日前",
            (
                "cannot read target '2023年2月30日前': 2023年2月 has no day 30\n"
                "    2023年2月30日前\n             ^"
            ),
        ),
        (
            "1e999999999",
            (
                "cannot read target '1e999999999': exponent notation is not read; "
                "write the number in full\n    1e999999999\n     ^"
            ),
        ),
    ],
)
def test_unreadable_target_message_points_at_the_spot(text, message):
    """The error quotes the cell and puts a caret under the spot, wide characters counted twice."""
    with pytest.raises(InvalidCell) as caught:
        parse_target(text)
    assert str(caught.value) == message
    assert caught.value.text == text


def test_invalid_cell_is_a_value_error_and_pickles():
    """InvalidCell is a PerfscoreError and a ValueError, and survives pickling."""
    with pytest.raises(InvalidCell) as caught:
        parse_target(">=")
    error = caught.value
    assert isinstance(error, PerfscoreError)
    assert isinstance(error, ValueError)
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert str(copy) == str(error)
    assert (copy.text, copy.position, copy.role) == (">=", 2, "target")


def test_float_is_refused_with_advice():
    """A float is refused with a message that says what to pass instead."""
    with pytest.raises(FloatRefusedError, match=r"pass a str \('0.1'\)"):
        parse_target(0.1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        parse_figure(10.5)  # type: ignore[arg-type]
    with pytest.raises(FloatRefusedError):
        Figure(text="1", kind="number", value=1.0)  # type: ignore[arg-type]


def test_int_and_decimal_cells_read_as_their_digits():
    """JSON numbers given as int or Decimal read exactly."""
    assert parse_figure(10).value == D(10)
    assert parse_figure(D("10.00")).text == "10.00"
    assert parse_target(D("95.5")).value == D("95.5")
    with pytest.raises(InvalidCell, match="not a finite number"):
        parse_figure(D("NaN"))


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("10", "10", ""),
        ("10.00", "10.00", ""),
        ("20%", "20", "%"),
        ("98.36%", "98.36", "%"),
        ("0.9836", "0.9836", ""),
        ("2,528.87", "2528.87", ""),
        ("10分", "10", "分"),
        ("３０", "30", ""),
        ("-5", "-5", ""),
        ("428.71万元", "428.71", "万元"),
    ],
)
def test_parse_figure(text, value, unit):
    """Amounts, weights, rates and scores read exactly with their unit."""
    figure = parse_figure(text)
    assert (figure.kind, figure.value, figure.unit) == ("number", D(value), unit)
    assert str(figure.value) == value


@pytest.mark.parametrize("text", ["十", "10 件", "1/2", "abc", "10.5.1"])
def test_parse_figure_refuses_non_numbers(text):
    """A figure holds one number, optionally % or 分."""
    with pytest.raises(InvalidCell):
        parse_figure(text, role="weight")


def test_canonical_strings():
    """str() is canonical: ASCII comparator, number as printed, one space before a word unit."""
    assert str(parse_target("≥ 700件")) == ">=700 件"
    assert str(parse_target("＞＝90％")) == ">=90%"
    assert str(parse_target("9月前")) == "<=9 月"
    assert str(parse_actual("=1044 件")) == "1044 件"
    assert str(parse_target("/")) == "/"
    assert str(parse_figure("2,528.87")) == "2528.87"
    assert str(parse_target("0.0000001")) == "0.0000001"


def test_text_is_kept_but_not_compared():
    """Two spellings of one value are equal; each keeps its own text."""
    first, second = parse_target("≥700 件"), parse_target(">= 700件")
    assert first == second
    assert hash(first) == hash(second)
    assert (first.text, second.text) == ("≥700 件", ">= 700件")
    assert parse_target(">=700 件") != parse_actual(">=700 件")


def test_cells_are_frozen():
    """Parsed cells are immutable."""
    target = parse_target(">=1 个")
    with pytest.raises(AttributeError):
        target.value = D(2)  # type: ignore[misc]


# ------------------------------------------------------------------- properties

OPS = {
    ">=": [">=", "≥", "≧", "＞＝", "不低于", "不少于", "大于等于"],
    "<=": ["<=", "≤", "≦", "＜＝", "不高于", "不超过", "小于等于"],
    "=": ["=", "＝", "﹦", "═", "等于"],
    ">": [">", "＞"],
    "<": ["<", "＜"],
    None: [""],
}
UNITS = {
    "": "",
    "%": "%",
    "％": "%",
    "件": "件",
    "个": "个",
    "万元": "万元",
    "万": "万元",
    "元/人": "元/人",
    "人次": "人次",
    "个月": "个月",
    "平方米": "平方米",
    "万页": "万页",
}

numbers = st.builds(
    lambda whole, frac: f"{whole}.{frac}" if frac else str(whole),
    st.integers(min_value=0, max_value=10**12),
    st.one_of(st.just(""), st.from_regex(r"[0-9]{1,6}", fullmatch=True)),
)


@given(
    op=st.sampled_from(list(OPS)),
    data=st.data(),
    number=numbers,
    unit=st.sampled_from(list(UNITS)),
    spaces=st.sampled_from(["", " ", "  ", "\u3000"]),
)
def test_drawn_target_reads_back_its_parts(op, data, number, unit, spaces):
    """A target built from a comparator spelling, a number and a unit reads to those parts."""
    spelling = data.draw(st.sampled_from(OPS[op]))
    text = f"{spelling}{spaces}{number}{spaces}{unit}"
    target = parse_target(text)
    assert target.kind == "quantity"
    assert target.op == op
    assert str(target.value) == number  # exactly as written, trailing zeros kept
    assert target.unit == UNITS[unit]
    assert target.text == text


# The pieces a printed target is made of: every comparator the reader knows, in words and
# signs, numbers, units and a few other characters. Arbitrary text rarely puts two or
# three comparators in one cell; these pieces do it often.
_COMPARATOR_WORDS = sorted({*cells_module._FRONT_WORDS, *cells_module._BACK_WORDS})  # noqa: SLF001
_PIECES = st.sampled_from(
    [
        *_COMPARATOR_WORDS,
        ">=",
        "<=",
        ">",
        "<",
        "=",
        "≥",
        "≤",
        "1",
        "100",
        "3.5",
        "%",
        "件",
        "万元",
        "月",
        " ",
        "（",
        "）",
        "-",
        "年",
    ]
)


@given(st.lists(_PIECES, max_size=8).map("".join))
@example("≥超过1之内")  # three comparators: once a ValueError escaped
def test_cells_of_many_comparators_parse_or_say_why(text):
    """A cell of comparators, numbers and units parses or raises InvalidCell."""
    _parses_or_says_why(text)


@given(st.text(max_size=40))
@example("≥")
@example("=")
@example("1e999999999")
@example("9" * 5000)
@example("٣٤")  # Arabic-Indic digits are not read as digits
def test_parsers_never_crash(text):
    """Arbitrary text parses or raises InvalidCell; nothing else escapes."""
    _parses_or_says_why(text)


def _parses_or_says_why(text):
    """Each reader reads the text or raises InvalidCell quoting it, with a message."""
    for parse in (parse_target, parse_actual, parse_figure):
        try:
            parse(text)
        except InvalidCell as error:
            caught = error
        else:
            continue
        assert caught.text == text
        assert str(caught)


cell_texts = st.one_of(
    st.text(max_size=30),
    st.builds(
        lambda ops, num, unit, tail: f"{ops}{num}{unit}{tail}",
        st.sampled_from([spelling for spellings in OPS.values() for spelling in spellings]),
        numbers,
        st.sampled_from(list(UNITS)),
        st.sampled_from(["", "以上", "以内", "以下", "前", "左右"]),
    ),
)


@given(cell_texts)
def test_str_round_trips(text):
    """str() of a parsed cell parses back to an equal value."""
    for parse in (parse_target, parse_actual, parse_figure):
        try:
            cell = parse(text)
        except InvalidCell:
            continue
        assert parse(str(cell)) == cell


@given(numbers)
def test_figure_value_exact(number):
    """A figure keeps every digit of its number."""
    assert str(parse_figure(number).value) == number


def test_repr_shows_what_matters():
    """repr() shows the fields that say something for the cell's kind."""
    assert repr(parse_actual("有效增强")) == (
        "Actual(text='有效增强', kind='qualitative', phrase='有效增强', tier='achieved')"
    )
    assert repr(Target.unreadable("x1y2", "bad")) == (
        "Target(text='x1y2', kind='unreadable', error='bad')"
    )
    assert isinstance(Actual.unreadable("1-3", "bad"), Actual)


# ------------------------------------------------------------- digits and numerals
# One rule (docs/cells.md, "Digits and numerals"): a number is written with 0-9
# (full-width digits fold to them) or in Chinese numerals, and is read exactly where
# a number stands; any other digit, an exponent or too many digits make the cell
# unreadable. Never a qualitative reading of a number.


@pytest.mark.parametrize(
    ("text", "op", "value", "unit"),
    [
        # the same number for every unit, % included
        ("≥九十五%", ">=", "95", "%"),
        ("≥九十五个", ">=", "95", "个"),
        ("≥九十五", ">=", "95", ""),
        ("≥九十五分", ">=", "95", "分"),
        ("≥九十五‰", ">=", "95", "‰"),
        ("≥十二个月", ">=", "12", "个月"),
        ("≥一千零五十人次", ">=", "1050", "人次"),
        # where a number stands: at the start, after a comparator word, a colon or a
        # label naming a measure, and before comparator words
        ("九十五%", None, "95", "%"),
        ("不低于九十五%", ">=", "95", "%"),
        ("达到九十五%以上", ">=", "95", "%"),
        ("合格率≥九十五%", ">=", "95", "%"),
        ("满意度：九十五%", None, "95", "%"),
        ("完成率九十五%", None, "95", "%"),
        ("九月前", "<=", "9", "月"),
        ("一年内完成", "<=", "1", "年"),
        ("三万五千人", None, "35000", "人"),
        ("一百零五个", None, "105", "个"),
        ("两百元", None, "200", "元"),
        ("零", None, "0", ""),
        # decimals after 点, one digit each
        ("九十五点五%", None, "95.5", "%"),
        ("≥三点五万元", ">=", "3.5", "万元"),
        ("零点零五", None, "0.05", ""),
        # 万 and 亿 at the end stay with the unit, as after digits (50万元)
        ("五十万元", None, "50", "万元"),
        ("五十万", None, "50", "万元"),
        ("一亿五千万元", None, "15000", "万元"),
        ("≥三万人次", ">=", "3", "万人次"),
        # 百分之 and 千分之
        ("百分之九十五", None, "95", "%"),
        ("不低于百分之九十五", ">=", "95", "%"),
        ("百分之百", None, "100", "%"),
        ("百分之95", None, "95", "%"),
        ("千分之五", None, "5", "‰"),
        ("百分之九十五点五", None, "95.5", "%"),
        # a magnitude before a unit word (九十五 百分比), full-width digits, unit powers
        ("九十五百分比", None, "95", "%"),
        ("≥９５％", ">=", "95", "%"),
        ("≥500m²", ">=", "500", "平方米"),
        ("≥500㎡", ">=", "500", "平方米"),
        ("≥五百m²", ">=", "500", "平方米"),
        # numerals that fold to a Chinese numeral read as it (〸 is 十)
        ("≥〸%", ">=", "10", "%"),
        # the widest number a cell may hold
        ("≥" + "9" * MAX_DIGITS, ">=", "9" * MAX_DIGITS, ""),
        ("0." + "0" * (MAX_DIGITS - 2) + "1", None, "0." + "0" * (MAX_DIGITS - 2) + "1", ""),
    ],
)
def test_numbers_read_exactly_in_every_spelling(text, op, value, unit):
    """A number in digits or Chinese numerals reads to its exact value, for every unit."""
    for parse in (parse_target, parse_actual):
        cell = parse(text)
        assert (cell.kind, cell.value, cell.unit) == ("quantity", D(value), unit)
        assert parse is parse_actual or cell.op == op
        assert parse(str(cell)) == cell


@pytest.mark.parametrize(
    "text",
    [
        "十分满意",
        "一定程度",
        "一定程度提高",
        "统一",
        "规范统一",
        "达到一流水平",
        "两学一做",
        "千方百计",
        "零事故",
        "一次性",
        "进一步提高",
        "达到Ⅲ类水质标准",
        "陆续完成",
        "参赛样品齐全",
        "每年一次",  # 一 after 每年: not where a number stands
        "一点一滴",
    ],
)
def test_numerals_in_prose_stay_words(text):
    """Numerals that do not stand where a number does are words: the cell is qualitative."""
    assert parse_target(text).kind == "qualitative"
    assert parse_actual(text).kind == "qualitative"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "≥٩٥%",
            (
                "cannot read target '≥٩٥%': '٩' (ARABIC-INDIC DIGIT NINE) is not a digit "
                "perfscore reads; write the number with 0-9 or in Chinese numerals\n"
                "    ≥٩٥%\n     ^"
            ),
        ),
        (
            "=٩%",
            (
                "cannot read target '=٩%': '٩' (ARABIC-INDIC DIGIT NINE) is not a digit "
                "perfscore reads; write the number with 0-9 or in Chinese numerals\n"
                "    =٩%\n     ^"
            ),
        ),
        (
            "≥९५%",
            (
                "cannot read target '≥९५%': '९' (DEVANAGARI DIGIT NINE) is not a digit "
                "perfscore reads; write the number with 0-9 or in Chinese numerals\n"
                "    ≥९५%\n     ^"
            ),
        ),
        (
            "≥①个",
            (
                "cannot read target '≥①个': '①' (CIRCLED DIGIT ONE) is not a digit "
                "perfscore reads; write the number with 0-9 or in Chinese numerals\n"
                "    ≥①个\n     ^"
            ),
        ),
        (
            "≥5²",
            (
                "cannot read target '≥5²': '²' (SUPERSCRIPT TWO) is not a digit "
                "perfscore reads; write the number with 0-9 or in Chinese numerals\n"
                "    ≥5²\n      ^"
            ),
        ),
        (
            "½个",
            (
                "cannot read target '½个': '½' (VULGAR FRACTION ONE HALF) is not a digit "
                "perfscore reads; write the number with 0-9 or in Chinese numerals\n"
                "    ½个\n    ^"
            ),
        ),
        (
            "≥1e3",
            (
                "cannot read target '≥1e3': exponent notation is not read; write the number "
                "in full\n    ≥1e3\n      ^"
            ),
        ),
        (
            "≥2e5",
            (
                "cannot read target '≥2e5': exponent notation is not read; write the number "
                "in full\n    ≥2e5\n      ^"
            ),
        ),
        (
            "≥1.5E-3 个",
            (
                "cannot read target '≥1.5E-3 个': exponent notation is not read; write the "
                "number in full\n    ≥1.5E-3 个\n        ^"
            ),
        ),
        (
            "≥" + "9" * (MAX_DIGITS + 1),
            (
                f"cannot read target '≥{'9' * (MAX_DIGITS + 1)}': a number of 25 digits; "
                f"a cell's number has at most 24\n    ≥{'9' * (MAX_DIGITS + 1)}\n     ^"
            ),
        ),
        (
            "≥Ⅳ个",
            (
                "cannot read target '≥Ⅳ个': 'Ⅳ' is not a numeral perfscore reads; write the "
                "number with 0-9 or in Chinese numerals\n    ≥Ⅳ个\n     ^"
            ),
        ),
        (
            "Ⅲ类",
            (
                "cannot read target 'Ⅲ类': 'Ⅲ' is not a numeral perfscore reads; write the "
                "number with 0-9 or in Chinese numerals\n    Ⅲ类\n    ^"
            ),
        ),
        (
            "≥参赛",
            (
                "cannot read target '≥参赛': '参' is not a numeral perfscore reads; write the "
                "number with 0-9 or in Chinese numerals\n    ≥参赛\n     ^"
            ),
        ),
        (
            "三百五个",
            (
                "cannot read target '三百五个': cannot read '三百五' as one number in Chinese "
                "numerals; write it in full (三百五十, 一千零五, 九十五点五) or with 0-9\n"
                "    三百五个\n    ^"
            ),
        ),
        (
            "二〇二三年",
            (
                "cannot read target '二〇二三年': cannot read '二〇二三' as one number in "
                "Chinese numerals; write it in full (三百五十, 一千零五, 九十五点五) or with 0-9\n"
                "    二〇二三年\n    ^"
            ),
        ),
        (
            "九十五点%",
            (
                "cannot read target '九十五点%': cannot read the unit '点%'\n"
                "    九十五点%\n          ^"
            ),
        ),
        (
            "≥1九",
            ("cannot read target '≥1九': expected one number, found another\n    ≥1九\n      ^"),
        ),
        (
            "≥九十5%",
            ("cannot read target '≥九十5%': expected a number after '>='\n    ≥九十5%\n     ^"),
        ),
    ],
)
def test_other_digits_exponents_and_long_numbers_are_refused(text, message):
    """Digits of other scripts, exponents, too many digits and broken numerals: unreadable."""
    with pytest.raises(InvalidCell) as caught:
        parse_target(text)
    assert str(caught.value) == message
    with pytest.raises(InvalidCell):
        parse_actual(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("٩٥", "'٩' (ARABIC-INDIC DIGIT NINE) is not a digit perfscore reads"),
        ("1e3", "exponent notation is not read; write the number in full"),
        ("1E+3", "exponent notation is not read; write the number in full"),
        ("9" * 25, "a number of 25 digits; a cell's number has at most 24"),
        (D("1E+30"), "exponent notation is not read; write the number in full"),
        (10**30, "a number of 31 digits; a cell's number has at most 24"),
        (10**5000, "a number of 5001 digits; a cell's number has at most 24"),
    ],
    ids=["arabic-indic", "1e3", "1E+3", "25-digits", "json-1E+30", "int-31", "int-5001"],
)
def test_figures_follow_the_same_rule(text, reason):
    """Weights, amounts and scores refuse the same digits, exponents and lengths."""
    with pytest.raises(InvalidCell) as caught:
        parse_figure(text, role="weight")
    assert caught.value.reason.startswith(reason)


def test_a_wide_json_number_keeps_its_exponent_in_the_text():
    """A JSON number too wide for a cell is not spelled out: its text keeps the exponent."""
    with pytest.raises(InvalidCell) as caught:
        parse_target(D("1E+999999999"))
    assert caught.value.text == "1E+999999999"
    assert parse_target(D("1E+3")).value == D(1000)


def _numeric_characters():
    """Every character Python calls a digit or numeric, except 0-9 and ０-９."""
    accepted = set("0123456789０１２３４５６７８９")
    return [
        char
        for char in map(chr, range(0x110000))
        if (char.isdigit() or char.isnumeric()) and char not in accepted and char != "\x00"
    ]


NUMERIC_CHARACTERS = _numeric_characters()
# What a lone numeral means (docs/cells.md); 万 and 亿 alone are not numbers.
NUMERAL_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
NUMERAL_VALUES |= {"六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "百": 100, "千": 1000}
# Templates that put the character where a number stands.
NUMBER_POSITIONS = [
    "≥{c}%",
    "≥{c}个",
    "={c}",
    "<={c}万元",
    "{c}%",
    "{c}个",
    "{c}",
    "不低于{c}%",
    "{c}个以上",
    "满意度：{c}%",
    "完成率{c}%",
]


def _read_or_none(parse, text):
    """The cell read, or None when it is unreadable (the error quoting the text)."""
    try:
        return parse(text)
    except InvalidCell as error:
        if error.text != text:
            raise
        return None


def _meaning(char):
    """The value a lone character means as a number, or None if it is not one."""
    folded = unicodedata.normalize("NFKC", char)
    return NUMERAL_VALUES.get(folded)


@given(
    char=st.sampled_from([*NUMERIC_CHARACTERS, "两"]),
    template=st.sampled_from(NUMBER_POSITIONS),
    parse=st.sampled_from([parse_target, parse_actual]),
)
@example(char="九", template="≥{c}%", parse=parse_target)
@example(char="٣", template="{c}%", parse=parse_target)
@example(char="参", template="{c}%", parse=parse_target)
@example(char="Ⅲ", template="≥{c}个", parse=parse_actual)
@example(char="万", template="{c}", parse=parse_target)
def test_a_numeral_where_a_number_stands_is_read_or_refused(char, template, parse):
    """Rule: a numeric character where a number stands reads as its meaning or not at all."""
    text = template.format(c=char)
    cell = _read_or_none(parse, text)
    if cell is None:
        return
    assert cell.kind == "quantity", text  # never qualitative, never a guess
    assert cell.value == _meaning(char), text


@given(
    char=st.sampled_from([*NUMERIC_CHARACTERS, "两"]),
    digits=st.sampled_from(["5", "12", "3.5"]),
    before=st.booleans(),
)
def test_a_numeral_touching_digits_is_refused_or_a_unit(char, digits, before):
    """Rule: a numeral next to digits is not part of the number: refused, or it begins the
    unit as a magnitude (3万元) or a word (5参赛队)."""
    text = f"≥{char}{digits}" if before else f"≥{digits}{char}"
    cell = _read_or_none(parse_target, text)
    if cell is None:
        return
    assert not before, text
    assert (cell.kind, cell.value) == ("quantity", D(digits)), text
    folded = unicodedata.normalize("NFKC", char)
    assert folded in "十百千万亿" or "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


@given(
    char=st.sampled_from([*NUMERIC_CHARACTERS, "两"]),
    template=st.sampled_from(NUMBER_POSITIONS),
)
def test_a_row_with_such_a_target_never_scores_full_marks_silently(char, template):
    """Rule: a row whose target holds such a numeral is scored by its number, or it is
    unscored and the audit reports the unreadable cell; never a qualitative full score."""
    text = template.format(c=char)
    row = {
        "level1": "产出指标",
        "level2": "数量指标",
        "level3": "指标",
        "target": text,
        "actual": "=10%",
        "weight": "10",
    }
    (table,) = loads(json.dumps({"name": "示例", "indicators": [row]}))
    report = audit(table, profile="mof-2020")
    (item,) = report.scorecard.items
    assert item.status != "qualitative", text
    if table.indicators[0].target.kind == "unreadable":
        assert item.status == "unscored"
        assert any(f.id == "unparsed-cell" and f.where == "indicators[0]" for f in report.findings)


# ------------------------------------------------------- the reading before the lexer
# tests/cells_before.py is perfscore.cells as it was before the lexer of compiled
# patterns (perfscore 5a5e142): every cell must read to the same value, print the same
# str() and repr(), and be refused with a byte-identical InvalidCell.


def _outcome(parse, text):
    """What one reader makes of one text, as data that compares across the two modules."""
    try:
        cell = parse(text)
    except InvalidCell as error:
        return ("refused", type(error).__name__, error.text, error.position, error.reason,
                error.role, str(error))  # fmt: skip
    except FloatRefusedError as error:
        return ("float", str(error))
    if cell is None or isinstance(cell, tuple):  # name_hint: None or a NameHint
        return ("hint", cell)
    fields = {field.name: repr(getattr(cell, field.name)) for field in attrs.fields(type(cell))}
    return ("read", type(cell).__name__, repr(cell), str(cell), fields)


READERS = {
    "target": (parse_target, cells_before.parse_target),
    "actual": (parse_actual, cells_before.parse_actual),
    "figure": (parse_figure, cells_before.parse_figure),
    "weight": (
        functools.partial(parse_figure, role="weight"),
        functools.partial(cells_before.parse_figure, role="weight"),
    ),
    "name_hint": (name_hint, cells_before.name_hint),
}


def _same_as_before(text):
    if any(unicodedata.category(char) == "Cf" for char in text):
        return  # invisible format characters: folded away since
    folded = fold_text(text)
    if cells_module._date(folded):  # noqa: SLF001 - dates: read since
        return
    if re.search(r"\d[余多]", folded):  # 1000余人: more than 1000 人, read since
        return
    words = re.split(r"\d", folded, maxsplit=1)[0]
    if cells_module._is_word_label(words):  # noqa: SLF001 - words before the number: read since
        return
    labelled = re.match("[\u4e00-\u9fff]{2}", folded) is not None
    for name, (new, old) in READERS.items():
        now, before = _outcome(new, text), _outcome(old, text)
        if labelled and now[0] == before[0] == "refused":
            continue  # words first: refused still, though maybe further on (a label read)
        assert now == before, (name, text)


# Pieces of cells: every word and sign the reader knows, digits in every spelling,
# numerals, units, brackets, spaces, and characters that must be refused.
_PIECES = sorted(
    {
        *cells_before._SYMBOL_OPS,  # noqa: SLF001 - the old reader's own words
        *cells_before._FRONT_WORDS,  # noqa: SLF001
        *cells_before._FILLER_WORDS,  # noqa: SLF001
        *cells_before._BACK_WORDS,  # noqa: SLF001
        *cells_before._NOT_APPLICABLE,  # noqa: SLF001
        *cells_before._CN_COUNT_UNITS,  # noqa: SLF001
        *"0123456789０１２３４５６７８９",
        *"0123456789",
        "1,000", "12.5", ".5", "1,2345", "+", "-", ",", ".", "e", "E", "e5", "E-3",
        *"零〇一二两三四五六七八九十百千万亿点", "百分之", "千分之", "百分比", "个百分点",
        "%", "％", "‰", "分", "元", "万", "万元", "亿元", "元/人", "元/人·月", "m", "m2",
        "㎡", "m²", "km³", "kWh", "KM", "x", "年", "月", "个月", "日", "天", "季度", "次",
        "(", ")", "（", "）", ":", "：", "/", "*", "·", "×", "…", "n/a", "\\",
        " ", "\u3000", "\t", "≥", "≤", "≧", "＞＝", "＜", "═", "—", "−", "。", "≈",
        "٣", "①", "Ⅲ", "²", "½", "𝟑", "壹", "参", "伍", "廿", "〡", "㉑", "⑴", "፫",
        "率", "度", "数", "比例", "满意度", "合格率", "完成率", "抽查",
        "完成", "未完成", "部分", "基本", "提高", "有效", "达到预期", "一定程度", "十分",
        "计量单位", "单位", "**", "＊", "?", "_",
    }
)  # fmt: skip
# The grammar's own signs, drawn often so that they meet; and words in brackets.
_CORE = ["1", "5", "0", ".", ",", "(", ")", "%", "≥", "<=", "=", "个", "万", "月", "前",
         "以上", "以内", "九", "十", "点", "百分之", ":", " ", "m", "2", "不低于",
         "培训"]  # fmt: skip
_piece = st.one_of(st.sampled_from(_CORE), st.sampled_from(_PIECES))
_piece_or_brackets = st.one_of(
    _piece,
    st.lists(_piece, max_size=3).map(lambda inner: "(" + "".join(inner) + ")"),
)
_pieced_cells = st.lists(_piece_or_brackets, max_size=8).map("".join)


@settings(max_examples=1500)
@given(_pieced_cells)
@example("≥ 700 件")
@example("不低于九十五%")
@example("百分之九十五点五")
@example("9月前")
@example("≤300(元)")
@example("≥95%(抽查)")
@example("满意度：90%")
@example("1九")
@example("5参赛队")
@example("2,528.87万元")
@example("1e5")
@example("9" * 30)
@example("三百五")
@example("公猪舍(≥**平方米)")
@example("5(1)")
@example("≥95%(抽查)以上")
@example("≥300(元)(含)")
@example("5m3")
@example("≥九十五个点五")  # 点 after the unit is no decimal point
@example("培训至少两次")  # numerals after a label and a comparator word
@example("满意度九十五%")  # numerals after a measure
@example("5km2以上")
@example("10kWh")
@example("+" + "9" * MAX_DIGITS)
@example("-" + "9" * MAX_DIGITS + "个")
@example("+" + "9" * (MAX_DIGITS + 1))
def test_cells_read_as_before_the_lexer(text):
    """Cells built from the reader's pieces read, print and are refused exactly as before."""
    _same_as_before(text)


@given(st.text(max_size=30))
def test_any_text_reads_as_before_the_lexer(text):
    """Arbitrary text reads, prints and is refused exactly as before."""
    _same_as_before(text)


@given(st.one_of(st.integers(), st.decimals(allow_nan=True, allow_infinity=True)))
def test_numbers_read_as_before_the_lexer(number):
    """An int or a Decimal cell reads, or is refused, exactly as before."""
    for name in ("target", "actual", "figure"):
        new, old = READERS[name]
        assert _outcome(new, number) == _outcome(old, number), (name, number)


def test_every_numeric_character_reads_as_before_the_lexer():
    """Every numeral and digit of every script, where a number or a unit stands, as before."""
    for char in [*NUMERIC_CHARACTERS, "两", "点"]:
        for template in [*NUMBER_POSITIONS, "≥{c}5", "≥5{c}", "{c}{c}", "百分之{c}"]:
            _same_as_before(template.format(c=char))


def test_example_cells_read_as_before_the_lexer(examples):
    """Every cell of the example tables reads as before."""
    for path in sorted(examples.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        for row in data["indicators"]:
            for key in ("target", "actual", "weight", "score", "level3"):
                if isinstance(row.get(key), str):
                    _same_as_before(row[key])
        for fund in data["funds"]:
            for value in fund.values():
                if isinstance(value, str):
                    _same_as_before(value)


def _all_characters(size=4096):
    for start in range(0, 0x110000, size):
        yield "".join(map(chr, range(start, min(start + size, 0x110000))))


def test_every_character_is_classed_as_the_old_patterns_class_it():
    """The character classes the lexer reads by are the old patterns' classes, for all of
    Unicode: other scripts, CJK numerals, unit characters."""
    other_scripts = cells_before._OTHER_SCRIPTS  # noqa: SLF001 - the old patterns
    numerals = re.compile(cells_before._NUMERAL_RUN.pattern[:-1])  # noqa: SLF001 - one character
    unit_atom = re.compile(cells_before._UNIT_ATOM)  # noqa: SLF001
    for chunk in _all_characters():
        where = f"U+{ord(chunk[0]):04X}…"
        other = [bool(other_scripts.fullmatch(char)) for char in chunk]
        assert list(map(cells._in_other_script, chunk)) == other, where  # noqa: SLF001
        runs = "".join(map(cells._numeral_class, chunk))  # noqa: SLF001
        assert runs == "".join("n" if numerals.fullmatch(char) else "." for char in chunk), where
        classes = "".join(map(cells._unit_class, chunk))  # noqa: SLF001
        assert classes == "".join(
            "/" if char in "/*" else "2" if char in "23" else
            ("%" if char in "%‰" else "c" if "\u3400" <= char <= "\u9fff" else "a")
            if unit_atom.fullmatch(char) else "?"
            for char in chunk
        ), where  # fmt: skip


def test_foreign_digits_and_numerals_are_classed_as_before():
    """A digit or numeral of another script is found where the old pattern found it: every
    numeric character, and the whole Basic Multilingual Plane."""
    other_scripts = cells_before._OTHER_SCRIPTS  # noqa: SLF001 - the old pattern
    is_foreign_digit = cells_before._is_foreign_digit.__wrapped__  # noqa: SLF001 - no memo
    for char in [*NUMERIC_CHARACTERS, *map(chr, range(0x10000))]:
        other = bool(other_scripts.fullmatch(char))
        assert cells._foreign_digit_class(char) == (  # noqa: SLF001
            "d" if other and is_foreign_digit(char) else "."
        ), char
        assert cells._foreign_numeral_class(char) == (  # noqa: SLF001
            "n" if other and char.isnumeric() else "."
        ), char


_unit_characters = st.sampled_from(["m", "K", "w", "h", "2", "3", "/", "*", "%", "‰", "元",
                                    "人", "㐀", "鿿", "〇", "x", "5", "·", "-", "_"])  # fmt: skip


@given(st.lists(_unit_characters, max_size=30).map("".join))
@example("元/人*月*日*次")  # four parts joined: one too many
@example("千瓦时千瓦时千瓦时")  # nine CJK characters
@example("kwhkwh2")
def test_a_unit_is_read_as_the_old_pattern_reads_it(unit):
    """A unit's shape, read by character classes, is the old pattern's."""
    shape = cells._UNIT.fullmatch(unit.translate(cells._UNIT_CLASSES))  # noqa: SLF001
    assert bool(shape) == bool(cells_before._UNIT.fullmatch(unit))  # noqa: SLF001


# ------------------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("text", "target", "actual"),
    [
        ("2023年12月31日前", ("<=", "20231231"), ("<=", "20231231")),
        ("２０２３年１２月３１日前", ("<=", "20231231"), ("<=", "20231231")),
        ("2023-12-31前", ("<=", "20231231"), ("<=", "20231231")),
        ("2023.12.31", (None, "20231231"), (None, "20231231")),
        ("2023/12/31", (None, "20231231"), (None, "20231231")),
        ("截至2023年12月31日", ("<=", "20231231"), ("<=", "20231231")),
        ("2023年12月31日之前完成", ("<=", "20231231"), ("<=", "20231231")),
        ("2023年12月31号前", ("<=", "20231231"), ("<=", "20231231")),
        ("≤2023年12月31日", ("<=", "20231231"), ("<=", "20231231")),
        ("≥2023年6月1日", (">=", "20230601"), (">=", "20230601")),
        # A month: a target's last day, an actual's first; 底 and 末 the last in both.
        ("2023年12月", (None, "20231231"), (None, "20231201")),
        ("2023年12月份", (None, "20231231"), (None, "20231201")),
        ("2023年2月前", ("<=", "20230228"), ("<=", "20230201")),
        ("2024年2月", (None, "20240229"), (None, "20240201")),
        ("2023年12月底前完成", ("<=", "20231231"), ("<=", "20231231")),
        ("2023年6月末", (None, "20230630"), (None, "20230630")),
        ("2023年6月上旬完成", (None, "20230610"), (None, "20230601")),
        ("2023年6月中旬", (None, "20230620"), (None, "20230611")),
        ("2023年6月下旬", (None, "20230630"), (None, "20230621")),
        ("2023年底前", ("<=", "20231231"), ("<=", "20231231")),
        ("2023年年底", (None, "20231231"), (None, "20231231")),
        ("2023年内", (None, "20231231"), (None, "20231231")),
        ("已于2023年12月20日完成验收", (None, "20231220"), (None, "20231220")),
        ("2023年12月31日前完成全部建设任务", ("<=", "20231231"), ("<=", "20231231")),
    ],
)
def test_a_calendar_date_reads_as_its_day(text, target, actual):
    """A date is a quantity in 日期, its value the day as YYYYMMDD; str() prints the day."""
    for parse, (op, day) in ((parse_target, target), (parse_actual, actual)):
        cell = parse(text)
        assert (cell.kind, cell.op, cell.value, cell.unit) == ("quantity", op, Decimal(day), "日期")
        assert str(cell) == (op or "") + cells_module.date_text(Decimal(day))
        assert parse(str(cell)) == cell


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("2023年", "2023", "年"), ("2023年度", "2023", "年度"), ("2023.12", "2023.12", ""),
     ("12月底前", "12", "月"), ("9月前", "9", "月")],
)  # fmt: skip
def test_what_is_no_calendar_date_reads_as_before(text, value, unit):
    """A year alone, a decimal, a month without a year: quantities, as they were."""
    cell = parse_target(text)
    assert (cell.value, cell.unit) == (Decimal(value), unit)
    _same_as_before(text)


_years = st.integers(1900, 2099)
_months = st.integers(1, 12)


_day_spellings = st.sampled_from(
    [
        "{y}年{m}月{d}日",
        "{y}-{m:02d}-{d:02d}",
        "{y}.{m}.{d}",
        "{y}/{m}/{d}",
        "{y}年{m:02d}月{d:02d}号",
    ]
)


@given(
    _years,
    _months,
    st.integers(1, 31),
    _day_spellings,
    st.sampled_from(["", "前", "之前", "以前完成", "完成"]),
    st.sampled_from(["", "截至"]),
)
def test_any_day_reads_or_is_refused_as_no_such_day(year, month, day, spelling, back, front):
    """Every spelling of every day reads as that day (no later than it, with 前 or 截至);
    a day past the month's end is refused, pointing at the day."""
    import calendar  # noqa: PLC0415

    text = front + spelling.format(y=year, m=month, d=day) + back
    if day > calendar.monthrange(year, month)[1]:
        with pytest.raises(InvalidCell) as caught:
            parse_target(text)
        assert caught.value.reason == f"{year}年{month}月 has no day {day}"
        assert text[caught.value.position :].lstrip("0").startswith(str(day))
        return
    cell = parse_target(text)
    assert cell.value == Decimal(f"{year:04d}{month:02d}{day:02d}")
    assert cell.op == ("<=" if back.endswith("前") or "前" in back or front else None)
    assert parse_target(str(cell)) == cell


@pytest.mark.parametrize(
    ("text", "op", "value", "unit"),
    [
        ("1000余人", ">", "1000", "人"),
        ("1000多人", ">", "1000", "人"),
        ("10余家", ">", "10", "家"),
        ("100多万元", ">", "100", "万元"),
        ("1000余", ">", "1000", ""),
        ("≥1000余人", ">=", "1000", "人"),  # the comparator written says it
        ("余额100万元", None, "100", "万元"),  # 余 before the number is a word
    ],
)
def test_more_than_a_number_keeps_its_unit(text, op, value, unit):
    """1000余人 is more than 1000 人 (it read as 1000 in the unit 余人, which no target has)."""
    cell = parse_actual(text)
    assert (cell.op, cell.value, cell.unit) == (op, Decimal(value), unit)
    assert parse_actual(str(cell)) == cell


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("开展10次", "10", "次"),
        ("培训1044人次", "1044", "人次"),
        ("举办3期", "3", "期"),
        ("发生1起", "1", "起"),
        ("新增10家", "10", "家"),
        ("惠及1000户", "1000", "户"),
        ("发放补贴100万元", "100", "万元"),
        ("完成率达100%", "100", "%"),
    ],
)
def test_words_saying_what_was_done_before_the_number_are_a_label(text, value, unit):
    """开展培训10次 is 10 次: the words name what was done (the cell was refused)."""
    for parse in (parse_actual, parse_target):
        cell = parse(text)
        assert (cell.kind, cell.op, cell.value, cell.unit) == ("quantity", None, D(value), unit)


@pytest.mark.parametrize(
    "text",
    ["提高10%", "同比增长5%", "减少5%", "未完成10件", "第1季度", "件700", "完成，共10件", "前5%"],
)
def test_a_change_a_negation_an_ordinal_or_a_unit_before_the_number_is_still_refused(text):
    """A relative change is no level, 未 negates, 第 counts places, 件 is out of place."""
    with pytest.raises(InvalidCell) as caught:
        parse_target(text)
    assert caught.value.reason == "expected a comparator or a number"


@pytest.mark.parametrize(
    "text", ["2023年12月未完成", "2023年12月延期完成", "2023年12月尚未完成", "2023年12月推迟"]
)
def test_a_date_said_not_done_is_no_date(text):
    """Words after a date saying it was not done, or late, make no day to meet a deadline
    with: the cell is refused as before (and the audit reports it), never read as done."""
    with pytest.raises(InvalidCell):
        parse_actual(text)


@pytest.mark.parametrize(
    ("phrase", "tier"),
    [
        ("未完全达到", "partial"),
        ("未能全部完成", "partial"),
        ("正在推进", "partial"),
        ("项目建设中", "partial"),
        ("待验收", "partial"),
        ("拟于明年实施", "partial"),
        ("通过验收", "achieved"),
        ("按期", "achieved"),
        ("待遇提高", "achieved"),
        ("未完成", "not-achieved"),
        ("按计划推进", "achieved"),
    ],
)
def test_under_way_not_fully_or_planned_is_partial(phrase, tier):
    """正在推进 was achieved (推进), 未完全达到 not achieved (未); both are part of the way."""
    assert qualitative_tier(phrase) == tier


@pytest.mark.parametrize(
    "text", ["预计2024年完成", "预计2024年6月完成", "计划于2023年12月底前完成"]
)
def test_a_plan_in_an_actual_is_no_value_done(text):
    """An actual saying what is planned is refused (reported), never read as done."""
    with pytest.raises(InvalidCell):
        parse_actual(text)


def test_a_planned_date_in_a_target_is_its_deadline():
    """In a target, 计划于 a day is what the target is: no later than it."""
    target = parse_target("计划于2023年12月底前完成")
    assert (target.op, target.value, target.unit) == ("<=", D("20231231"), "日期")


_INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad",
              "\u202a", "\u202c"]  # fmt: skip
_EXAMPLE_TEXTS = sorted(
    {
        row[key]
        for data in (
            json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(Path(__file__).parent.parent.glob("examples/changji-2023/*.json"))
        )
        for row in data["indicators"]
        for key in ("target", "actual")
    }
)


@given(st.sampled_from(_EXAMPLE_TEXTS), st.data())
def test_invisible_characters_anywhere_change_no_reading(text, data):
    """Zero-width spaces, direction marks, a byte order mark or a soft hyphen copied in
    from a web page or Word read as nothing (≥95% with U+200F after it was unreadable)."""
    spots = data.draw(st.lists(st.integers(0, len(text)), max_size=3))
    marked = text
    for spot in sorted(spots, reverse=True):
        marked = marked[:spot] + data.draw(st.sampled_from(_INVISIBLE)) + marked[spot:]
    for parse in (parse_target, parse_actual):
        assert _outcome_of(parse, marked) == _outcome_of(parse, text)


def _outcome_of(parse, text):
    try:
        cell = parse(text)
    except InvalidCell as error:
        return ("refused", error.reason)
    return (cell.kind, cell.op, cell.value, cell.unit, cell.phrase)

"""Golden scores: the 17 example tables scored under both built-in profiles, value by value.

Every expected value below was worked out by hand, with plain Decimal arithmetic on the
numbers the tables print and the rules as documented (the comments of the built-in TOML
profiles, the docstrings of ExecutionRule, QuantitativeRules and QualitativeRules, and the
"Scoring rules" section of the domain primer, shared/domain/README.md). None was copied
from perfscore's output. Comments cite the lines of the seed document
(shared/seeds/000_cf34223da48d0767.txt) the numbers are printed on.

The rules, as read from those documents:

- Each item is rounded half up to 2 places; the total is the sum of the rounded items
  plus the 执行率 score.
- 执行率 = 全年执行数 / 全年预算数 of the 年度资金总额 (合计) row. mof-2020: weight × rate,
  capped at the weight. changji-2023: 0 below 60%, weight × (rate − 60%)/40% from 60% up
  to 90%, full weight from 90%.
- A numeric target without a comparator reads as at-least, as at-most on cost rows (level-1
  成本指标, or a level-2 name ending in 成本指标). Units that do not convert (期 against %)
  compare the bare numbers.
- mof-2020: an at-least target missed scores weight × actual/target (0 when either is not
  positive); an at-most target exceeded scores weight × target/actual; an ``=`` target
  missed scores weight × min(a/t, t/a) (0 when either is not positive).
- changji-2023: met scores the weight, anything else 0; ``=`` is met only when exact; an
  at-most cost row is met only when actual/target ≥ 90% (spending close to plan).
- A worded target is scored by the tier of the actual: ``=100%`` achieved, 0 in any unit not
  achieved, anything else unknown and scored as achieved. mof-2020 gives 100% / 70% / 30%
  of the weight to achieved / partial / not achieved, changji-2023 100% / 0 / 0.
- Grades: 优 from 90, 良 from 80, 中 from 60, else 差.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import NamedTuple

import pytest

import perfscore
from perfscore import Scorecard, Table

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "changji-2023"
FILES = sorted(EXAMPLES.glob("*.json"))
PROFILES = ("mof-2020", "changji-2023")


@pytest.fixture(scope="module")
def tables() -> dict[str, Table]:
    """Each example file's table, keyed by the file's two-digit prefix."""
    loaded = {}
    for path in FILES:
        (table,) = perfscore.load(path)
        loaded[path.name[:2]] = table
    return loaded


@pytest.fixture(scope="module")
def cards(tables) -> dict[tuple[str, str], Scorecard]:
    """Each table's scorecard under each built-in profile, keyed by (profile, file)."""
    return {
        (profile, file): perfscore.score(table, profile=profile)
        for profile in PROFILES
        for file, table in tables.items()
    }


# ---------------------------------------------------------------------------------
# 1. The 执行率 item: rate from the total funds row (the same under both profiles)

STATUS = {"M": "met", "P": "partial", "N": "not-met", "Q": "qualitative"}


class Rate(NamedTuple):
    """The total funds row of one table, and its execution rate worked out by hand."""

    file: str
    label: str  # the row the rate is taken from
    budget: str  # 全年预算数
    executed: str  # 全年执行数
    rate: str  # executed / budget, rounded half up to 4 places


RATES = [
    Rate("01", "合计", "2528.87", "2528.87", "1.0000"),  # line 566
    Rate("02", "年度资金总额", "428.71", "421.67", "0.9836"),  # line 712: 0.983578…
    Rate("03", "年度资金总额", "8.00", "7.98", "0.9975"),  # line 899
    Rate("04", "年度资金总额", "78.00", "48.08", "0.6164"),  # line 1058: 0.616410…
    Rate("05", "年度资金总额", "3.00", "0.00", "0.0000"),  # line 1280
    Rate("06", "年度资金总额", "15.00", "15.00", "1.0000"),  # line 1618
    Rate("07", "年度资金总额", "30.00", "29.70", "0.9900"),  # line 1768
    Rate("08", "年度资金总额", "4.00", "4.00", "1.0000"),  # line 1922
    Rate("09", "年度资金总额", "200.00", "10.00", "0.0500"),  # line 2058
    Rate("10", "年度资金总额", "3519.86", "969.45", "0.2754"),  # line 2390: 0.275423…
    Rate("11", "年度资金总额", "2083.33", "0.00", "0.0000"),  # line 2699
    Rate("12", "年度资金总额", "6.47", "6.47", "1.0000"),  # line 2952
    Rate("13", "年度资金总额", "114.00", "56.85", "0.4987"),  # line 3120: 0.498684…
    Rate("14", "年度资金总额", "5.20", "5.20", "1.0000"),  # line 3288
    Rate("15", "年度资金总额", "10.00", "0.00", "0.0000"),  # line 3431
    Rate("16", "年度资金总额", "28.42", "28.31", "0.9961"),  # line 3690: 0.996129…
    Rate("17", "年度资金总额", "29.60", "0.00", "0.0000"),  # line 3861
]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("rate", [pytest.param(r, id=r.file) for r in RATES])
def test_execution_rate_comes_from_the_total_funds_row(cards, profile, rate):
    """The 执行率 is 全年执行数/全年预算数 of 年度资金总额 (合计 in the department table)."""
    funds = cards[profile, rate.file].funds
    assert funds is not None
    assert funds.label == rate.label
    assert funds.weight == Decimal(10)
    assert (funds.budget, funds.executed) == (Decimal(rate.budget), Decimal(rate.executed))
    assert funds.rate.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) == Decimal(rate.rate)


@pytest.mark.parametrize("rate", [pytest.param(r, id=r.file) for r in RATES])
def test_printed_execution_rate_matches_the_amounts(tables, rate):
    """Every printed 执行率 is the amounts' rate as a percentage, rounded to 2 places."""
    _, printed, _ = tables[rate.file].execution_print
    assert printed.unit == "%"
    assert printed.value == Decimal(rate.rate) * 100


# ---------------------------------------------------------------------------------
# 2. Every item, the 执行率 score, the total and the grade


class Golden(NamedTuple):
    """One table's expected scorecard under one profile."""

    file: str  # the example file's two-digit prefix
    funds: str  # the 执行率 score
    funds_status: str  # its status: M met, P partial, N not-met
    items: tuple[str, ...]  # each row's score, in printed order
    statuses: str  # each row's status: M met, P partial, N not-met, Q qualitative
    total: str
    grade: str


MOF_2020 = [
    # lines 550-566, rows 633-694. Row 0: >=6 个, actual 1 个: 1/6 × 30 = 5.00 (line 655)
    Golden("01", "10.00", "M", ("5.00", "30.00", "30.00"), "PMM", "75.00", "中"),
    # lines 712, 778-879. 执行率 98.3579% × 10 = 9.8358. Row 0: 1044 against >=700 is met,
    # no overshoot penalty (line 786); rows 5, 6: =100% against a worded target (863, 869)
    Golden(
        "02",
        "9.84",
        "P",
        ("10.00", "15.00", "15.00", "10.00", "10.00", "10.00", "10.00", "10.00"),
        "MMMMMQQM",
        "99.84",
        "优",
    ),
    # lines 899, 953-1038. 执行率 99.75% × 10 = 9.975, half up 9.98. Rows 9-11: worded
    # targets under 社会成本指标, =100% achieved (1023, 1028, 1038)
    Golden(
        "03",
        "9.98",
        "P",
        (
            "7.00",
            "7.00",
            "6.00",
            "7.00",
            "6.00",
            "6.00",
            "7.00",
            "7.00",
            "7.00",
            "10.00",
            "10.00",
            "10.00",
        ),
        "MMMMMMMMMQQQ",
        "99.98",
        "优",
    ),
    # lines 1058, 1114-1260. 执行率 61.6410% × 10 = 6.1641. Row 0: ≥1 期 against =1%, the
    # bare numbers 1 = 1 (line 1120). Row 5: ≤35.50 万元 against =60%, 60 exceeds 35.50:
    # 35.50/60 × 10 = 5.9167 (line 1151). Row 6: 14.49 ≤ 30, no cost floor (line 1200)
    Golden(
        "04",
        "6.16",
        "P",
        ("7.00", "7.00", "8.00", "8.00", "10.00", "5.92", "5.00", "5.00", "20.00", "10.00"),
        "MMMMMPMMQM",
        "92.08",
        "优",
    ),
    # lines 1280, 1322-1568. Row 1: =100% against =0%, 0 is not positive. Row 3: <=3 万元
    # against 0 is met (line 1441). Rows 5, 6: =0% not achieved, 30% × 15 = 4.50 (1526, 1568)
    Golden(
        "05",
        "0.00",
        "N",
        ("0.00", "0.00", "0.00", "10.00", "0.00", "4.50", "4.50"),
        "NNNMNQQ",
        "19.00",
        "差",
    ),
    # lines 1618, 1688-1748. Row 2: ≥3 个 against =3% (line 1704). Row 8: =30% against
    # 占比增加 reads unknown, scored as achieved (line 1748)
    Golden(
        "06",
        "10.00",
        "M",
        ("6.00", "6.00", "7.00", "7.00", "7.00", "7.00", "10.00", "10.00", "30.00"),
        "MMMMMMMMQ",
        "100.00",
        "优",
    ),
    # lines 1768, 1830-1902. 执行率 99% × 10 = 9.90. Row 5: >=80% on a cost row stays
    # at-least (line 1878)
    Golden(
        "07",
        "9.90",
        "P",
        ("15.00", "15.00", "10.00", "5.00", "10.00", "5.00", "15.00", "15.00"),
        "MMMMMMQQ",
        "99.90",
        "优",
    ),
    # lines 1922, 1974-2038
    Golden(
        "08",
        "10.00",
        "M",
        ("10.00", "10.00", "10.00", "10.00", "10.00", "10.00", "30.00"),
        "MMMMMMQ",
        "100.00",
        "优",
    ),
    # lines 2058, 2122-2334. 执行率 5% × 10 = 0.50. Row 0: ≥1 家 against =0% (line 2130).
    # Row 3: ≥95% against =9.5%: 9.5/95 × 10 = 1.00 (line 2191). Row 4: <=190 万元 against 0
    # is met (line 2240). Row 6: =100% achieved (line 2293)
    Golden(
        "09",
        "0.50",
        "P",
        ("0.00", "10.00", "10.00", "1.00", "10.00", "10.00", "20.00", "0.00"),
        "NMMPMMQN",
        "61.50",
        "中",
    ),
    # lines 2390, 2496-2673. 执行率 27.5423% × 10 = 2.7542. Row 1: 1/6 × 5 = 0.8333 (line
    # 2517). Rows 4, 6: =100% against =20%: 20/100 × 5 = 1.00 (2560, 2590). Rows 8, 9: under
    # their cost targets (2625, 2636). Row 10: =0% not achieved, 30% × 20 = 6.00 (2657)
    Golden(
        "10",
        "2.75",
        "P",
        (
            "5.00",
            "0.83",
            "5.00",
            "5.00",
            "1.00",
            "5.00",
            "1.00",
            "5.00",
            "10.00",
            "10.00",
            "6.00",
            "0.00",
        ),
        "MPMMPMPMMMQN",
        "56.58",
        "差",
    ),
    # lines 2699, 2761-2926. Rows 9, 10: <=2083.33 万元 and ≤95% against 0 are met (2878,
    # 2889). Row 11: =0% not achieved, 30% × 20 = 6.00 (2910)
    Golden(
        "11",
        "0.00",
        "N",
        (
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "10.00",
            "10.00",
            "6.00",
            "0.00",
        ),
        "NNNNNNNNNMMQN",
        "26.00",
        "差",
    ),
    # lines 2952, 3038-3099. Row 3: <=90% against =90% is met (line 3068)
    Golden(
        "12",
        "10.00",
        "M",
        ("10.00", "10.00", "10.00", "10.00", "10.00", "10.00", "30.00"),
        "MMMMMMQ",
        "100.00",
        "优",
    ),
    # lines 3120, 3174-3248. 执行率 49.8684% × 10 = 4.9868. Row 3: 56.85 ≤ 114, no cost
    # floor (line 3201). Row 5: 有效增强 achieved (line 3239)
    Golden(
        "13",
        "4.99",
        "P",
        ("15.00", "10.00", "15.00", "10.00", "10.00", "20.00", "10.00"),
        "MMMMMQM",
        "94.99",
        "优",
    ),
    # lines 3288, 3352-3403
    Golden(
        "14",
        "10.00",
        "M",
        ("15.00", "15.00", "10.00", "10.00", "10.00", "20.00", "10.00"),
        "MMMMMQM",
        "100.00",
        "优",
    ),
    # lines 3431, 3496-3654. Rows 3, 4: cost targets against 0 are met (3574, 3599). Row 5: =0%
    # not achieved, 30% × 20 = 6.00 (3628)
    Golden(
        "15",
        "0.00",
        "N",
        ("0.00", "0.00", "0.00", "10.00", "10.00", "6.00", "0.00"),
        "NNNMMQN",
        "26.00",
        "差",
    ),
    # lines 3690, 3752-3837. 执行率 99.6129% × 10 = 9.9613. Row 5: <=95% against =100%:
    # 95/100 × 10 = 9.50 (line 3799)
    Golden(
        "16",
        "9.96",
        "P",
        ("10.00", "10.00", "10.00", "10.00", "10.00", "9.50", "10.00", "10.00", "10.00"),
        "MMMMMPQQM",
        "99.46",
        "优",
    ),
    # lines 3861, 3914-4073. Row 4: <=29.60 万元 against 0 is met (line 4003). Rows 6, 7:
    # =0% not achieved, 30% × 15 = 4.50 (4049, 4073)
    Golden(
        "17",
        "0.00",
        "N",
        ("0.00", "0.00", "0.00", "0.00", "10.00", "0.00", "4.50", "4.50"),
        "NNNNMNQQ",
        "19.00",
        "差",
    ),
]

CHANGJI_2023 = [
    # Row 0: 1 个 against >=6 个 is not met: 0 (the table prints 6, line 655)
    Golden("01", "10.00", "M", ("0.00", "30.00", "30.00"), "NMM", "70.00", "中"),
    # 执行率 98.36% ≥ 90%: full. Row 3: 298.67/305.71 = 97.70% ≥ 90%, met (line 838)
    Golden(
        "02",
        "10.00",
        "M",
        ("10.00", "15.00", "15.00", "10.00", "10.00", "10.00", "10.00", "10.00"),
        "MMMMMQQM",
        "100.00",
        "优",
    ),
    # 执行率 99.75%: full. Row 6: 4.97/5 = 99.4% ≥ 90%, met (line 1004)
    Golden(
        "03",
        "10.00",
        "M",
        (
            "7.00",
            "7.00",
            "6.00",
            "7.00",
            "6.00",
            "6.00",
            "7.00",
            "7.00",
            "7.00",
            "10.00",
            "10.00",
            "10.00",
        ),
        "MMMMMMMMMQQQ",
        "100.00",
        "优",
    ),
    # 执行率 61.6410%: (61.6410% − 60%)/40% × 10 = 0.4103 (line 1058 prints 0.41). Row 5:
    # 60 exceeds 35.50 (line 1151). Row 6: 14.49/30 = 48.3% < 90%, cost floor (line 1200)
    Golden(
        "04",
        "0.41",
        "P",
        ("7.00", "7.00", "8.00", "8.00", "10.00", "0.00", "0.00", "5.00", "20.00", "10.00"),
        "MMMMMNNMQM",
        "75.41",
        "中",
    ),
    # Row 3: 0 of <=3 万元 is under the cost floor (line 1441)
    Golden(
        "05",
        "0.00",
        "N",
        ("0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00"),
        "NNNNNQQ",
        "0.00",
        "差",
    ),
    # Rows 6, 7: 2/2 and 13/13 meet the cost floor exactly at 100%
    Golden(
        "06",
        "10.00",
        "M",
        ("6.00", "6.00", "7.00", "7.00", "7.00", "7.00", "10.00", "10.00", "30.00"),
        "MMMMMMMMQ",
        "100.00",
        "优",
    ),
    # Row 3: =12 个月 exactly; row 4: 29.7/30 = 99% (lines 1863, 1873)
    Golden(
        "07",
        "10.00",
        "M",
        ("15.00", "15.00", "10.00", "5.00", "10.00", "5.00", "15.00", "15.00"),
        "MMMMMMQQ",
        "100.00",
        "优",
    ),
    Golden(
        "08",
        "10.00",
        "M",
        ("10.00", "10.00", "10.00", "10.00", "10.00", "10.00", "30.00"),
        "MMMMMMQ",
        "100.00",
        "优",
    ),
    # 执行率 5% < 60%. Row 3: 9.5 < 95 (line 2191). Row 4: 0 of <=190 万元 is under the cost
    # floor (line 2240). Row 6: =100% achieved, 20 (the table prints 0, line 2293)
    Golden(
        "09",
        "0.00",
        "N",
        ("0.00", "10.00", "10.00", "0.00", "0.00", "10.00", "20.00", "0.00"),
        "NMMNNMQN",
        "50.00",
        "差",
    ),
    # 执行率 27.54% < 60%. Rows 4, 6: =20% is not =100%. Row 8: 67.5/2230.86 = 3.03% and
    # row 9: 901.95/1289 = 69.97%, both under the cost floor (lines 2625, 2636)
    Golden(
        "10",
        "0.00",
        "N",
        (
            "5.00",
            "0.00",
            "5.00",
            "5.00",
            "0.00",
            "5.00",
            "0.00",
            "5.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
        ),
        "MNMMNMNMNNQN",
        "25.00",
        "差",
    ),
    # Rows 9, 10: 0 against <=2083.33 万元 and ≤95%, under the cost floor (2878, 2889)
    Golden(
        "11",
        "0.00",
        "N",
        (
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
        ),
        "NNNNNNNNNNNQN",
        "0.00",
        "差",
    ),
    # Row 5: 3.67/3.68 = 99.73% ≥ 90% (line 3082)
    Golden(
        "12",
        "10.00",
        "M",
        ("10.00", "10.00", "10.00", "10.00", "10.00", "10.00", "30.00"),
        "MMMMMMQ",
        "100.00",
        "优",
    ),
    # 执行率 49.87% < 60%. Row 3: 56.85/114 = 49.87% < 90%, cost floor (line 3201)
    Golden(
        "13",
        "0.00",
        "N",
        ("15.00", "10.00", "15.00", "0.00", "10.00", "20.00", "10.00"),
        "MMMNMQM",
        "80.00",
        "良",
    ),
    Golden(
        "14",
        "10.00",
        "M",
        ("15.00", "15.00", "10.00", "10.00", "10.00", "20.00", "10.00"),
        "MMMMMQM",
        "100.00",
        "优",
    ),
    Golden(
        "15",
        "0.00",
        "N",
        ("0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00"),
        "NNNNNQN",
        "0.00",
        "差",
    ),
    # Row 4: 28.31/28.42 = 99.61%. Row 5: 100% exceeds <=95%: 0 (the table prints 10, 3799)
    Golden(
        "16",
        "10.00",
        "M",
        ("10.00", "10.00", "10.00", "10.00", "10.00", "0.00", "10.00", "10.00", "10.00"),
        "MMMMMNQQM",
        "90.00",
        "优",
    ),
    Golden(
        "17",
        "0.00",
        "N",
        ("0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00"),
        "NNNNNNQQ",
        "0.00",
        "差",
    ),
]

GOLDEN = [("mof-2020", golden) for golden in MOF_2020] + [
    ("changji-2023", golden) for golden in CHANGJI_2023
]
GOLDEN_PARAMS = [pytest.param(p, g, id=f"{p}-{g.file}") for p, g in GOLDEN]


@pytest.mark.parametrize(("profile", "golden"), GOLDEN_PARAMS)
def test_golden_tables_add_up(tables, profile, golden):
    """The hand-worked tables are consistent: one entry per row, total = items + funds."""
    assert len(golden.items) == len(golden.statuses) == len(tables[golden.file].indicators)
    assert sum(map(Decimal, golden.items), Decimal(golden.funds)) == Decimal(golden.total)
    assert profile in PROFILES


def test_golden_tables_cover_every_file_once():
    """Each profile's golden table lists the 17 example files once, in file order."""
    files = [path.name[:2] for path in FILES]
    assert [golden.file for golden in MOF_2020] == files
    assert [golden.file for golden in CHANGJI_2023] == files


@pytest.mark.parametrize(("profile", "golden"), GOLDEN_PARAMS)
def test_item_scores_and_statuses(cards, profile, golden):
    """Every row scores the hand-worked value, rounded half up to 2 places, with its status."""
    card = cards[profile, golden.file]
    assert [str(item.score) for item in card.items] == list(golden.items)
    assert [item.status for item in card.items] == [STATUS[s] for s in golden.statuses]
    assert [item.index for item in card.items] == list(range(len(golden.items)))


@pytest.mark.parametrize(("profile", "golden"), GOLDEN_PARAMS)
def test_execution_score_and_status(cards, profile, golden):
    """The 执行率 item scores the hand-worked value under the profile's rule."""
    funds = cards[profile, golden.file].funds
    assert funds is not None
    assert str(funds.score) == golden.funds
    assert funds.status == STATUS[golden.funds_status]


@pytest.mark.parametrize(("profile", "golden"), GOLDEN_PARAMS)
def test_total_and_grade(cards, profile, golden):
    """The total sums the rounded items and the 执行率 score; the grade follows it."""
    card = cards[profile, golden.file]
    assert str(card.total) == golden.total
    assert card.grade == golden.grade
    assert card.complete
    assert card.unscored == ()


@pytest.mark.parametrize(("profile", "golden"), GOLDEN_PARAMS)
def test_level1_subtotals_sum_their_rows(cards, tables, profile, golden):
    """Each level-1 subtotal is the sum of its rows' hand-worked scores."""
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for row, value in zip(tables[golden.file].indicators, golden.items, strict=True):
        expected[row.level1.name] += Decimal(value)
    card = cards[profile, golden.file]
    assert {group.name: group.score for group in card.level1} == expected


# ---------------------------------------------------------------------------------
# 3. How rows are compared: comparators, cost rows, units, tiers

# Rows whose target and actual units do not convert: the bare numbers are compared.
UNIT_MISMATCHES = {
    ("04", 0): ("期", "%"),  # line 1120: ≥1 期 against =1%
    ("04", 5): ("万元", "%"),  # line 1151: ≤35.50 万元 against =60%
    ("06", 2): ("个", "%"),  # line 1704: ≥3 个 against =3%
    ("09", 0): ("家", "%"),  # line 2130: ≥1 家 against =0%
    ("09", 1): ("册", "%"),  # line 2176: ≥1 册 against =100%
    ("10", 0): ("套", "%"),  # line 2507: ≥20 套 against =100%
}


@pytest.mark.parametrize("profile", PROFILES)
def test_only_the_listed_rows_have_incompatible_units(cards, profile):
    """Six rows compare numbers across units; the other numeric rows have compatible units."""
    mismatched = {
        (file, item.index): (item.indicator.target.unit, item.indicator.actual.unit)
        for (name, file), card in cards.items()
        if name == profile
        for item in card.items
        if item.units_compatible is False
    }
    assert mismatched == UNIT_MISMATCHES
    compatible = [
        item.units_compatible
        for (name, _), card in cards.items()
        if name == profile
        for item in card.items
        if item.indicator.target.kind == "quantity" and item.units_compatible is not False
    ]
    assert len(compatible) == 119 - len(UNIT_MISMATCHES)
    assert set(compatible) == {True}


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(
    ("file", "row", "comparator", "cost_row", "target", "actual"),
    [
        ("01", 0, ">=", False, "6", "1"),  # lines 647, 655
        ("02", 3, "<=", True, "305.71", "298.67"),  # lines 821-838
        ("04", 5, "<=", True, "35.50", "60"),  # line 1151: ≤ read as <=, % number kept
        ("07", 5, ">=", True, "80", "100"),  # line 1878: a written >= beats the cost default
        ("08", 5, ">=", True, "95", "100"),  # line 2023
        ("10", 4, "=", False, "100", "20"),  # line 2560
        ("12", 3, "<=", False, "90", "90"),  # line 3068: a 时效 row written <=
        ("16", 5, "<=", True, "95", "100"),  # line 3799
    ],
)
def test_comparator_cost_row_and_numbers(
    cards, profile, file, row, comparator, cost_row, target, actual
):
    """A row keeps its written comparator; cost rows are the 成本指标 rows."""
    item = cards[profile, file].items[row]
    assert item.comparator == comparator
    assert item.cost_row is cost_row
    assert (item.target_value, item.actual_value) == (Decimal(target), Decimal(actual))


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(
    ("file", "row", "tier"),
    [
        ("02", 5, "achieved"),  # line 863: =100%
        ("05", 5, "not-achieved"),  # line 1526: =0%
        ("06", 8, "unknown"),  # line 1748: =30% tells nothing
        ("09", 6, "achieved"),  # line 2293: =100%
        ("13", 5, "achieved"),  # line 3239: 有效增强
        ("17", 7, "not-achieved"),  # line 4073: =0%
    ],
)
def test_worded_target_is_scored_by_the_tier_of_the_actual(cards, profile, file, row, tier):
    """=100% reads achieved, 0 not achieved, other numbers unknown; no comparator is set."""
    item = cards[profile, file].items[row]
    assert item.tier == tier
    assert item.status == "qualitative"
    assert item.comparator is None
    assert item.units_compatible is None


@pytest.mark.parametrize("profile", PROFILES)
def test_overshoot_is_measured_but_not_penalised(cards, profile):
    """1044 件 against >=700 件 is 49.14% beyond the target and still scores full (line 786)."""
    item = cards[profile, "02"].items[0]
    assert item.overshoot.quantize(Decimal("0.0001")) == Decimal("0.4914")
    assert (str(item.score), item.status) == ("10.00", "met")


# ---------------------------------------------------------------------------------
# 4. Explanations (计算过程), in full

ITEM_EXPLANATIONS = [
    # proportional: lines 647, 655
    (
        "mof-2020",
        "01",
        0,
        "实际 1 个 < 指标值 6 个，按完成比例 1/6 × 30 = 5.00",
    ),
    # reverse ratio: line 3799
    (
        "mof-2020",
        "16",
        5,
        "实际 100% > 指标值 95%，按反向比例 95/100 × 10 = 9.50",
    ),
    # unit mismatch, then reverse ratio: line 1151
    (
        "mof-2020",
        "04",
        5,
        (
            "单位不一致（指标值 万元，实际 %），按数值比较：实际 60% > 指标值 35.50 万元，"
            "按反向比例 35.50/60 × 10 = 5.92"
        ),
    ),
    # unit mismatch, met: line 1120
    (
        "mof-2020",
        "04",
        0,
        "单位不一致（指标值 期，实际 %），按数值比较：实际 1% = 指标值 1 期，达成，得满分 7.00",
    ),
    # unit mismatch, an actual of 0: line 2130
    (
        "mof-2020",
        "09",
        0,
        (
            "单位不一致（指标值 家，实际 %），按数值比较：实际 0% < 指标值 1 家，"
            "未达成且无正的完成比例，得 0.00"
        ),
    ),
    # = missed, symmetric: line 2560
    (
        "mof-2020",
        "10",
        4,
        "实际 20% < 指标值 100%，按对称比例 20/100 × 5 = 1.00",
    ),
    # overshoot, no penalty: line 786
    (
        "mof-2020",
        "02",
        0,
        "实际 1044 件 > 指标值 700 件，达成，得满分 10.00",
    ),
    # qualitative, not achieved: line 1526
    (
        "mof-2020",
        "05",
        5,
        "定性指标「有效提高」：实际「=0%」读作未达成，得 30% × 15 = 4.50",
    ),
    # qualitative, unknown scored as achieved: line 1748
    (
        "mof-2020",
        "06",
        8,
        "定性指标「占比增加」：实际「=30%」读作无法判断，按达成计，得 100% × 30 = 30.00",
    ),
    # qualitative actual: line 3239
    (
        "mof-2020",
        "13",
        5,
        "定性指标「增强」：实际「有效增强」读作达成，得 100% × 20 = 20.00",
    ),
    # cost floor: line 3201
    (
        "changji-2023",
        "13",
        3,
        (
            "实际 56.85 万元 < 指标值 114 万元，成本指标实际为指标值的 49.87%，低于下限 90%，"
            "视为未达成，得 0.00"
        ),
    ),
    # cost floor, the highest ratio scored 0 in the seeds: line 2636
    (
        "changji-2023",
        "10",
        9,
        (
            "实际 901.95 万元 < 指标值 1289 万元，成本指标实际为指标值的 69.97%，低于下限 90%，"
            "视为未达成，得 0.00"
        ),
    ),
    # cost row above the floor, the lowest ratio scored full in the seeds: lines 821-838
    (
        "changji-2023",
        "02",
        3,
        "实际 298.67 万元 < 指标值 305.71 万元，达成，得满分 10.00",
    ),
    # all-or-nothing: line 655
    (
        "changji-2023",
        "01",
        0,
        "实际 1 个 < 指标值 6 个，未达成，全有全无规则得 0.00",
    ),
    # = missed, exact: line 2560
    (
        "changji-2023",
        "10",
        4,
        "实际 20% < 指标值 100%，与指标值不等，未达成，得 0.00",
    ),
    # unit mismatch, all-or-nothing: line 1151
    (
        "changji-2023",
        "04",
        5,
        (
            "单位不一致（指标值 万元，实际 %），按数值比较：实际 60% > 指标值 35.50 万元，"
            "未达成，全有全无规则得 0.00"
        ),
    ),
    # at-most exceeded, all-or-nothing: line 3799
    (
        "changji-2023",
        "16",
        5,
        "实际 100% > 指标值 95%，未达成，全有全无规则得 0.00",
    ),
    # qualitative, not achieved scores 0: line 1526
    (
        "changji-2023",
        "05",
        5,
        "定性指标「有效提高」：实际「=0%」读作未达成，得 0% × 15 = 0.00",
    ),
]


@pytest.mark.parametrize(
    ("profile", "file", "row", "explanation"),
    [pytest.param(*case, id=f"{case[0]}-{case[1]}-{case[2]}") for case in ITEM_EXPLANATIONS],
)
def test_item_explanation(cards, profile, file, row, explanation):
    """A row's 计算过程 states the comparison, the rule and the rounded score."""
    assert cards[profile, file].items[row].explanation == explanation


FUNDS_EXPLANATIONS = [
    # proportional: line 712
    ("mof-2020", "02", "执行率 421.67/428.71 = 98.36%，按比例 98.36% × 10 = 9.84"),
    # proportional, 9.975 rounded half up: line 899
    ("mof-2020", "03", "执行率 7.98/8.00 = 99.75%，按比例 99.75% × 10 = 9.98"),
    # the department table's 合计 row: line 566
    ("mof-2020", "01", "执行率 2528.87/2528.87 = 100.00%，按比例 100.00% × 10 = 10.00"),
    # interval, between the floor and full marks: line 1058
    (
        "changji-2023",
        "04",
        (
            "执行率 48.08/78.00 = 61.64%，在 60% 与 90% 之间，"
            "按 (61.64% − 60%)/(100% − 60%) × 10 = 0.41"
        ),
    ),
    # interval, full marks: line 712
    ("changji-2023", "02", "执行率 421.67/428.71 = 98.36%，达到 90%，得满分 10.00"),
    # interval, below the floor: line 3120
    ("changji-2023", "13", "执行率 56.85/114.00 = 49.87%，低于 60%，得 0.00"),
]


@pytest.mark.parametrize(
    ("profile", "file", "explanation"),
    [pytest.param(*case, id=f"{case[0]}-{case[1]}") for case in FUNDS_EXPLANATIONS],
)
def test_execution_explanation(cards, profile, file, explanation):
    """The 执行率 item's 计算过程 states the amounts, the rate and the rule applied."""
    assert cards[profile, file].funds.explanation == explanation


# ---------------------------------------------------------------------------------
# 5. changji-2023 against the scores the document prints


def _changji_items(cards, *, numeric: bool):
    return [
        (file, item)
        for (profile, file), card in sorted(cards.items())
        if profile == "changji-2023"
        for item in card.items
        if (item.indicator.target.kind == "quantity") is numeric
    ]


def test_changji_reproduces_every_printed_execution_score(cards):
    """All 17 printed 执行率 scores, 0.41 at 61.64% included (line 1058), are reproduced."""
    pairs = [
        (file, card.funds.score, card.funds.printed_score)
        for (profile, file), card in sorted(cards.items())
        if profile == "changji-2023"
    ]
    assert len(pairs) == 17
    assert [file for file, computed, printed in pairs if computed != printed] == []


class Anomaly(NamedTuple):
    """A row whose printed score the changji-2023 rules do not reproduce."""

    file: str
    row: int
    printed: str
    computed: str
    reason: str


NUMERIC_ANOMALIES = [
    Anomaly(
        "01",
        0,
        "6",
        "0.00",
        (
            "line 655: a shortfall (1 个 against >=6 个) printed 6; all-or-nothing gives 0, and "
            "even the proportional 1/6 × 30 gives 5.00, so the printed 6 fits neither rule"
        ),
    ),
    Anomaly(
        "02",
        0,
        "0.00",
        "10.00",
        (
            "lines 786-798: an over-achieving row (1044 件 against >=700 件) printed 0, its note "
            "invoking 预算目标值把握不准确 (the target was set too low)"
        ),
    ),
    Anomaly(
        "16",
        5,
        "10.00",
        "0.00",
        (
            "line 3799: <=95% with actual 100% printed 10; the at-most target is exceeded (the "
            "same 单位预算成本控制率 is written >=95% in 08, line 2023)"
        ),
    ),
]


def test_changji_reproduces_116_of_119_numeric_rows(cards):
    """116 of the 119 rows with a numeric target score what the document prints."""
    rows = _changji_items(cards, numeric=True)
    assert len(rows) == 119
    missed = [(file, item.index) for file, item in rows if item.score != item.printed_score]
    assert len(rows) - len(missed) == 116
    assert missed == [(anomaly.file, anomaly.row) for anomaly in NUMERIC_ANOMALIES]


@pytest.mark.parametrize(
    "anomaly", [pytest.param(a, id=f"{a.file}-{a.row}") for a in NUMERIC_ANOMALIES]
)
def test_changji_numeric_row_not_reproduced(cards, anomaly):
    """Each row not reproduced prints a score the rules contradict, for the reason given."""
    item = cards["changji-2023", anomaly.file].items[anomaly.row]
    assert item.indicator.score.text == anomaly.printed
    assert str(item.score) == anomaly.computed
    assert anomaly.reason


def test_changji_anomalous_rows_say_why(cards):
    """02 row 0 invokes the target-set-too-low clause; 01 row 0 and 16 row 5 give no note."""
    card = cards["changji-2023", "02"]
    assert "预算目标值把握不准确" in card.items[0].indicator.deviation_note
    assert cards["changji-2023", "01"].items[0].indicator.deviation_note is None
    # 01 row 0's printed 6 is not the proportional score either (1/6 × 30 = 5.00)
    assert str(cards["mof-2020", "01"].items[0].score) == "5.00"
    assert cards["changji-2023", "16"].items[5].indicator.deviation_note is None


def test_changji_reproduces_22_of_23_worded_rows(cards):
    """Of the 23 worded targets only 09 row 6 (规范, =100%, printed 0, line 2293) is missed."""
    rows = _changji_items(cards, numeric=False)
    assert len(rows) == 23
    missed = [
        (file, item.index, item.indicator.score.text, str(item.score))
        for file, item in rows
        if item.score != item.printed_score
    ]
    assert missed == [("09", 6, "0.00", "20.00")]
    note = cards["changji-2023", "09"].items[6].indicator.deviation_note
    assert "没有新建酒庄" in note


@pytest.mark.parametrize(
    ("file", "gap"),
    [
        ("02", "10.00"),  # line 881 prints 90: row 0 printed 0
        ("03", "0.00"),
        ("04", "0.00"),  # line 1262 prints 75.41
        ("05", "0.00"),
        ("06", "0.00"),
        ("07", "0.00"),
        ("08", "0.00"),
        ("09", "20.00"),  # line 2372 prints 30: row 6 printed 0
        ("10", "0.00"),  # line 2681 prints 25
        ("11", "0.00"),
        ("12", "0.00"),
        ("13", "0.00"),  # line 3270 prints 80
        ("14", "0.00"),
        ("15", "0.00"),
        ("16", "-10.00"),  # line 3839 prints 100: row 5 printed 10
        ("17", "0.00"),
    ],
)
def test_changji_totals_differ_from_print_only_by_the_anomalies(cards, file, gap):
    """Computed minus printed 总分 is 0 but for the tables holding an anomalous row."""
    card = cards["changji-2023", file]
    assert card.total - card.printed_total == Decimal(gap)


def test_department_table_prints_no_total(cards):
    """01 prints no 总分, so its anomalous row (line 655) changes no printed total."""
    assert cards["changji-2023", "01"].printed_total is None

import random
from decimal import Decimal

import attrs
import pytest
from hypothesis import example, given, reject, settings
from hypothesis import strategies as st

from perfscore import Table, get_profile, score
from perfscore.cells import Figure, Target
from perfscore.errors import TableFormatError
from perfscore.profiles import (
    ExecutionRule,
    Overshoot,
    Profile,
    QuantitativeRules,
    Rounding,
    Step,
    loads_profile,
)

MOF = get_profile("mof-2020")
CHANGJI = get_profile("changji-2023")


def row(target, actual, weight="10", *, level1="产出指标", level2="数量指标", name="指标", **more):
    return {
        "level1": level1,
        "level2": level2,
        "level3": name,
        "target": target,
        "actual": actual,
        "weight": weight,
        **more,
    }


def make_table(*rows, funds=None, **fields):
    data = {"name": "测试项目", "indicators": list(rows), **fields}
    if funds is not None:
        data["funds"] = funds
    return Table.from_dict(data)


def one(target, actual, weight="10", *, profile=MOF, **more):
    return score(make_table(row(target, actual, weight, **more)), profile=profile).items[0]


def fund(budget, executed, weight="10", label="年度资金总额", **more):
    return {
        "label": label,
        "initial_budget": budget,
        "annual_budget": budget,
        "executed": executed,
        "weight": weight,
        **more,
    }


def funds_score(budget, executed, weight="10", *, profile=MOF):
    table = make_table(row(">=1 个", "1 个"), funds=[fund(budget, executed, weight)])
    return score(table, profile=profile).funds


def with_quantitative(profile=MOF, **changes):
    return attrs.evolve(profile, quantitative=attrs.evolve(profile.quantitative, **changes))


# ---------------------------------------------------------------------------------
# Quantitative rules, one by one


@pytest.mark.parametrize(
    ("target", "actual", "profile", "score_", "status", "explanation"),
    [
        (
            ">=15 个",
            "6 个",
            MOF,
            "3.20",
            "partial",
            "实际 6 个 < 指标值 15 个，按完成比例 6/15 × 8 = 3.20",
        ),
        (
            ">=15 个",
            "6 个",
            CHANGJI,
            "0.00",
            "not-met",
            "实际 6 个 < 指标值 15 个，未达成，全有全无规则得 0.00",
        ),
        (">=15 个", "15 个", MOF, "8.00", "met", "实际 15 个 = 指标值 15 个，达成，得满分 8.00"),
        (
            ">=700 件",
            "=1044 件",
            MOF,
            "8.00",
            "met",
            "实际 1044 件 > 指标值 700 件，达成，得满分 8.00",
        ),
        (
            ">15 个",
            "15 个",
            CHANGJI,
            "0.00",
            "not-met",
            "实际 15 个 = 指标值 15 个，未达成，全有全无规则得 0.00",
        ),
        (
            "<=30 天",
            "40 天",
            MOF,
            "6.00",
            "partial",
            "实际 40 天 > 指标值 30 天，按反向比例 30/40 × 8 = 6.00",
        ),
        (
            "<30 天",
            "30 天",
            CHANGJI,
            "0.00",
            "not-met",
            "实际 30 天 = 指标值 30 天，未达成，全有全无规则得 0.00",
        ),
        (
            "=100%",
            "90%",
            MOF,
            "7.20",
            "partial",
            "实际 90% < 指标值 100%，按对称比例 90/100 × 8 = 7.20",
        ),
        (
            "=100%",
            "110%",
            MOF,
            "7.27",
            "partial",
            "实际 110% > 指标值 100%，按对称比例 100/110 × 8 = 7.27",
        ),
        (
            "=100%",
            "90%",
            CHANGJI,
            "0.00",
            "not-met",
            "实际 90% < 指标值 100%，与指标值不等，未达成，得 0.00",
        ),
        (
            "=12 个月",
            "12 个月",
            CHANGJI,
            "8.00",
            "met",
            "实际 12 个月 = 指标值 12 个月，达成，得满分 8.00",
        ),
        (
            "≥1 期",
            "=1%",
            CHANGJI,
            "8.00",
            "met",
            "单位不一致（指标值 期，实际 %），按数值比较：实际 1% = 指标值 1 期，达成，得满分 8.00",
        ),
        (
            ">=1 万元",
            "5000 元",
            MOF,
            "4.00",
            "partial",
            "实际 5000 元（= 0.5000 万元） < 指标值 1 万元，按完成比例 0.5000/1 × 8 = 4.00",
        ),
        (
            "100 人",
            "80 人",
            MOF,
            "6.40",
            "partial",
            "实际 80 人 < 指标值 100 人（未写比较符，按正向指标），按完成比例 80/100 × 8 = 6.40",
        ),
        (">=0 个", "0 个", MOF, "8.00", "met", "实际 0 个 = 指标值 0 个，达成，得满分 8.00"),
        (
            ">=5 个",
            "0 个",
            MOF,
            "0.00",
            "not-met",
            "实际 0 个 < 指标值 5 个，未达成且无正的完成比例，得 0.00",
        ),
        (
            ">=5 个",
            "-2 个",
            MOF,
            "0.00",
            "not-met",
            "实际 -2 个 < 指标值 5 个，未达成且无正的完成比例，得 0.00",
        ),
        (
            "<=0 起",
            "2 起",
            MOF,
            "0.00",
            "not-met",
            "实际 2 起 > 指标值 0 起，超过不为正的反向指标值，得 0.00",
        ),
        (
            "=0 起",
            "2 起",
            MOF,
            "0.00",
            "not-met",
            "实际 2 起 > 指标值 0 起，与指标值不等且有一方不为正，得 0.00",
        ),
        (">=95%", "95", MOF, "8.00", "met", "实际 95% = 指标值 95%，达成，得满分 8.00"),
    ],
)
def test_quantitative_rule(target, actual, profile, score_, status, explanation):
    """Each comparator scores and explains itself as the profile says."""
    item = one(target, actual, "8", profile=profile)
    assert (str(item.score), item.status, item.explanation) == (score_, status, explanation)


def test_reverse_rules():
    """An exceeded at-most target scores by ratio, linear or zero, as the profile says."""
    assert one("<=30 天", "40 天", "9").score == Decimal("6.75")
    linear = with_quantitative(reverse="linear")
    item = one("<=30 天", "40 天", "9", profile=linear)
    assert item.score == Decimal("6.00")
    assert item.explanation.endswith("按 (2 − 40/30) × 9（不低于 0）= 6.00")
    assert one("<=30 天", "70 天", "9", profile=linear).score == 0
    assert one("<=30 天", "40 天", "9", profile=with_quantitative(reverse="zero")).score == 0


def test_equal_as_at_least():
    """``as-at-least`` reads = as >=: above is met, below is proportional."""
    profile = with_quantitative(equal="as-at-least")
    assert one("=100%", "110%", profile=profile).status == "met"
    assert one("=100%", "90%", profile=profile).score == Decimal("9.00")


def test_bare_number_on_cost_row_is_at_most():
    """A target without comparator is at-least, except on a cost row: at-most."""
    item = one("30 万元", "35 万元", level1="成本指标", level2="经济成本指标")
    assert item.comparator == "<="
    assert item.cost_row
    assert item.score == Decimal("8.57")
    assert "（未写比较符，按反向指标）" in item.explanation
    assert one("30 万元", "35 万元", level2="社会成本指标").comparator == "<="
    assert one("30 个", "35 个").comparator == ">="


@pytest.mark.parametrize(
    ("actual", "expected"),
    [("30 万元", "10.00"), ("27 万元", "10.00"), ("26.99 万元", "0.00"), ("0 万元", "0.00")],
)
def test_cost_floor_boundary(actual, expected):
    """Exactly at the cost floor (90%) is met; a cent below is not (changji-2023)."""
    item = one("<=30 万元", actual, profile=CHANGJI, level1="成本指标", level2="经济成本指标")
    assert str(item.score) == expected


def test_cost_floor_explanation_and_scope():
    """The cost floor names the share; it applies to cost rows only."""
    item = one(
        "<=114 万元", "56.85 万元", profile=CHANGJI, level1="成本指标", level2="经济成本指标"
    )
    assert item.explanation == (
        "实际 56.85 万元 < 指标值 114 万元，成本指标实际为指标值的 49.87%，低于下限 90%，"
        "视为未达成，得 0.00"
    )
    assert item.status == "not-met"
    assert one("<=114 天", "56 天", profile=CHANGJI).score == Decimal("10.00")


def test_unit_mismatch_unscored():
    """With ``unit_mismatch = unscored`` incompatible units leave the row unscored."""
    item = one("≥1 期", "=1%", profile=with_quantitative(unit_mismatch="unscored"))
    assert (item.score, item.status, item.units_compatible) == (None, "unscored", False)
    assert item.explanation == "单位不一致（指标值 期，实际 %），按规则不计分"


def test_overshoot_is_measured_and_penalised():
    """Overshoot is the share beyond target; penalties apply beyond the note threshold."""
    item = one(">=700 件", "1044 件")
    assert item.overshoot is not None
    assert round(item.overshoot, 4) == Decimal("0.4914")
    zero = attrs.evolve(MOF, overshoot=Overshoot(penalty="zero"))
    assert one(">=700 件", "1044 件", profile=zero).score == 0
    assert one(">=700 件", "910 件", profile=zero).score == Decimal("10.00")  # exactly 30%
    linear = attrs.evolve(MOF, overshoot=Overshoot(penalty="linear"))
    item = one(">=100 件", "150 件", profile=linear)
    assert item.score == Decimal("8.00")
    assert item.explanation.endswith("（超出指标值 50.00%，超过 30%，按偏离度调减为 8.00）")
    assert item.status == "met"


# ---------------------------------------------------------------------------------
# Qualitative rows


@pytest.mark.parametrize(
    ("target", "actual", "mof", "changji", "tier"),
    [
        ("有效提高", "=100%", "10.00", "10.00", "achieved"),
        ("有效提高", "=0%", "3.00", "0.00", "not-achieved"),
        ("有效提高", "部分完成", "7.00", "0.00", "partial"),
        ("有效提高", "未完成", "3.00", "0.00", "not-achieved"),
        ("占比增加", "=30%", "10.00", "10.00", "unknown"),
        ("有效提高", "意见被采纳的情况", "10.00", "10.00", "unknown"),
        (">=90%", "基本达到", "7.00", "0.00", "partial"),
    ],
)
def test_qualitative_tiers(target, actual, mof, changji, tier):
    """A qualitative row scores the fraction of its actual's tier; unknown reads as achieved."""
    item = one(target, actual, profile=MOF)
    assert (str(item.score), item.status, item.tier) == (mof, "qualitative", tier)
    assert str(one(target, actual, profile=CHANGJI).score) == changji


def test_qualitative_explanation():
    """The explanation quotes the target and the actual and names the tier."""
    assert one("有效提高", "=0%", "15").explanation == (
        "定性指标「有效提高」：实际「=0%」读作未达成，得 30% × 15 = 4.50"
    )
    assert one("占比增加", "=30%", "30").explanation == (
        "定性指标「占比增加」：实际「=30%」读作无法判断，按达成计，得 100% × 30 = 30.00"
    )


# ---------------------------------------------------------------------------------
# Rows that cannot be scored


@pytest.mark.parametrize(
    ("cells", "explanation"),
    [
        ((">=1 个", "1 个", ""), "分值空白，不计分"),
        ((">=1 个", "1 个", "十分"), "分值「十分」无法读取，不计分"),
        ((">=1 个", "1 个", "-5"), "分值 -5 为负数，不计分"),
        (("1-3 年", "2 年", "10"), "年度指标值「1-3 年」无法读取，不计分"),
        ((">=1 个", "/", "10"), "实际完成值空白或不适用（「/」），不计分"),
        (("", "1 个", "10"), "年度指标值空白或不适用（「」），不计分"),
    ],
)
def test_unscored_rows(cells, explanation):
    """A blank or unreadable cell leaves the row unscored, saying which cell and why."""
    item = one(*cells)
    assert (item.score, item.status, item.explanation) == (None, "unscored", explanation)


def test_unscored_rows_count_zero_and_mark_the_card_incomplete():
    """Unscored rows count 0 in the total and the card says it is incomplete."""
    card = score(make_table(row(">=1 个", "1 个", "10"), row(">=1 个", "/", "10")), profile=MOF)
    assert card.total == Decimal("10.00")
    assert not card.complete
    assert [item.index for item in card.unscored] == [1]


def built(table, index=0, **cells):
    """The table with cells of one row replaced by values built in Python, not read.

    The cell readers refuse numbers of more than MAX_DIGITS digits; a value built in
    Python can be as wide as a test needs.
    """
    rows = list(table.indicators)
    rows[index] = attrs.evolve(rows[index], **cells)
    return attrs.evolve(table, indicators=tuple(rows))


def full_marks(weight, rounding):
    """The weight rounded as the profile says, or rounded down if that would exceed it."""
    rounded = rounding.round(weight)
    return rounded if rounded <= weight else attrs.evolve(rounding, mode="down").round(weight)


@pytest.mark.parametrize(
    ("target", "actual", "weight", "places", "expected", "explanation"),
    [
        (
            ">=15 个",
            "16 个",
            "3.205",
            2,
            "3.20",
            (
                "实际 16 个 > 指标值 15 个，达成，得满分 3.20"
                "（舍入为 3.21 将超过分值 3.205，改为舍去尾数）"
            ),
        ),
        (
            "有效提高",
            "有效增强",
            "3.205",
            2,
            "3.20",
            (
                "定性指标「有效提高」：实际「有效增强」读作达成，得 100% × 3.205 = 3.20"
                "（舍入为 3.21 将超过分值 3.205，改为舍去尾数）"
            ),
        ),
        (
            ">=15 个",
            "16 个",
            "8.5",
            0,
            "8",
            "实际 16 个 > 指标值 15 个，达成，得满分 8（舍入为 9 将超过分值 8.5，改为舍去尾数）",
        ),
        (">=15 个", "16 个", "3.204", 2, "3.20", "实际 16 个 > 指标值 15 个，达成，得满分 3.20"),
    ],
    ids=["met-3.205", "qualitative-3.205", "places-0", "not-capped"],
)
def test_rounding_never_lifts_a_score_above_its_weight(
    target, actual, weight, places, expected, explanation
):
    """A score that rounding would carry past its weight is rounded down, and says so."""
    profile = attrs.evolve(MOF, rounding=Rounding(places=places))
    item = one(target, actual, weight, profile=profile)
    assert (item.score, item.explanation) == (Decimal(expected), explanation)
    assert item.status in {"met", "qualitative"}


@pytest.mark.parametrize(
    ("profile", "explanation"),
    [
        (
            MOF,
            (
                "执行率 100/100 = 100.00%，按比例 100.00% × 3.205 = 3.20"
                "（舍入为 3.21 将超过分值 3.205，改为舍去尾数）"
            ),
        ),
        (
            CHANGJI,
            (
                "执行率 100/100 = 100.00%，达到 90%，得满分 3.20"
                "（舍入为 3.21 将超过分值 3.205，改为舍去尾数）"
            ),
        ),
    ],
    ids=["mof-2020", "changji-2023"],
)
def test_execution_score_never_rounds_above_its_weight(profile, explanation):
    """The 执行率 item at 100% with a weight of 3.205 scores 3.20, met, and says why."""
    funds = funds_score("100", "100", "3.205", profile=profile)
    assert (funds.score, funds.status, funds.explanation) == (Decimal("3.20"), "met", explanation)


def test_a_zero_score_is_never_negative():
    """A weight of -0 scores 0.00, not -0.00."""
    item = one(">=15 个", "16 个", "-0")
    assert str(item.score) == "0.00"


def test_absurd_numbers_read_from_cells_leave_the_row_unscored():
    """A cell of 5,000 digits is unreadable: unscored, and the explanation stays short."""
    huge = "9" * 5000
    item = one(f">={huge} 个", "1 个", "10")
    assert (item.score, item.status) == (None, "unscored")
    assert item.explanation == f"年度指标值「>={'9' * 30}…」（共 5004 字）无法读取，不计分"
    item = one(">=1 个", "1 个", huge)
    assert (item.score, item.status) == (None, "unscored")
    assert item.explanation == f"分值「{'9' * 32}…」（共 5000 字）无法读取，不计分"


def test_absurd_numbers_built_in_python_do_not_escape():
    """Numbers beyond any sensible size give a score or an unscored row, never an exception."""
    huge = Decimal("9" * 5000)
    table = make_table(row(">=1 个", "1 个", "10"))
    target = Target(text="x", kind="quantity", op=">=", value=huge, unit="个")
    (item,) = score(built(table, target=target)).items
    assert item.score == Decimal("0.00")
    (item,) = score(built(table, weight=Figure(text="x", kind="number", value=huge))).items
    assert item.score == huge


# ---------------------------------------------------------------------------------
# The 执行率 item


@pytest.mark.parametrize(
    ("budget", "executed", "mof", "changji"),
    [
        ("428.71", "421.67", "9.84", "10.00"),
        ("78.00", "48.08", "6.16", "0.41"),
        ("100", "60", "6.00", "0.00"),  # exactly the floor: (60% − 60%) / 40% × 10
        ("100", "90", "9.00", "10.00"),  # exactly full_at
        ("100", "89.99", "9.00", "7.50"),
        ("100", "59.99", "6.00", "0.00"),
        ("100", "120", "10.00", "10.00"),
        ("114.00", "56.85", "4.99", "0.00"),
    ],
)
def test_execution_rules(budget, executed, mof, changji):
    """mof-2020 scores weight × rate (capped); changji-2023 its interval rule."""
    assert str(funds_score(budget, executed, profile=MOF).score) == mof
    assert str(funds_score(budget, executed, profile=CHANGJI).score) == changji


def test_execution_explanations():
    """Each execution rule explains its arithmetic with the amounts."""
    assert funds_score("78.00", "48.08", profile=CHANGJI).explanation == (
        "执行率 48.08/78.00 = 61.64%，在 60% 与 90% 之间，"
        "按 (61.64% − 60%)/(100% − 60%) × 10 = 0.41"
    )
    assert funds_score("100", "59.99", profile=CHANGJI).explanation == (
        "执行率 59.99/100 = 59.99%，低于 60%，得 0.00"
    )
    assert funds_score("100", "120", profile=MOF).explanation == (
        "执行率 120/100 = 120.00%，超过 100%，按比例计分以分值为限，得满分 10.00"
    )


def test_execution_uncapped_and_steps():
    """Without the cap the score follows the rate; a steps rule takes the highest step."""
    uncapped = attrs.evolve(MOF, execution=ExecutionRule(cap=False))
    assert funds_score("100", "120", profile=uncapped).score == Decimal("12.00")
    steps = attrs.evolve(
        MOF,
        execution=ExecutionRule(
            rule="steps",
            steps=(Step(Decimal("0.9"), Decimal(1)), Step(Decimal("0.6"), Decimal("0.5"))),
        ),
    )
    assert funds_score("100", "95", profile=steps).score == Decimal("10.00")
    assert funds_score("100", "90", profile=steps).score == Decimal("10.00")
    item = funds_score("100", "75", profile=steps)
    assert item.score == Decimal("5.00")
    assert item.explanation == "执行率 75/100 = 75.00%，达到 60% 档，得 50% × 10 = 5.00"
    assert funds_score("100", "59", profile=steps).score == 0


@pytest.mark.parametrize(
    ("policy", "expected", "status"),
    [
        ("full", Decimal("10.00"), "met"),
        ("zero", Decimal("0.00"), "not-met"),
        ("unscored", None, "unscored"),
    ],
)
def test_zero_budget(policy, expected, status):
    """A budget of 0 scores as the profile's zero_budget policy says."""
    profile = attrs.evolve(MOF, execution=ExecutionRule(zero_budget=policy))
    item = funds_score("0", "0", profile=profile)
    assert (item.score, item.status, item.rate) == (expected, status, None)
    assert item.explanation.startswith("全年预算数为 0，执行率无定义")


def test_execution_item_needs_a_printed_weight():
    """Without a weight on any funds row there is no 执行率 item."""
    table = make_table(
        row(">=1 个", "1 个"),
        funds=[
            {"label": "年度资金总额", "initial_budget": "1", "annual_budget": "1", "executed": "1"}
        ],
    )
    assert score(table).funds is None


def test_execution_weight_on_another_row():
    """The weight may be printed on a component row; the rate comes from the total row."""
    table = make_table(
        row(">=1 个", "1 个", "90"),
        funds=[
            fund("2528.87", "2528.87", "10", label="中央安排", score="10"),
            fund("2528.87", "2500.00", "", label="合计"),
        ],
    )
    funds = score(table).funds
    assert funds is not None
    assert (funds.label, funds.weight, funds.score, funds.printed_score) == (
        "合计",
        Decimal(10),
        Decimal("9.89"),
        Decimal(10),
    )


@pytest.mark.parametrize(
    ("budget", "executed", "explanation"),
    [
        ("", "5", "年度资金总额的全年预算数空白或无法读取，执行率不计分"),
        ("10", "-", "年度资金总额的全年执行数空白或无法读取，执行率不计分"),
        ("-10", "5", "年度资金总额的金额为负数，执行率不计分"),
    ],
)
def test_execution_unscored(budget, executed, explanation):
    """Blank or negative amounts leave the 执行率 item unscored."""
    item = funds_score(budget, executed)
    assert (item.score, item.status, item.explanation) == (None, "unscored", explanation)


def test_amounts_in_other_money_units_convert():
    """Amounts printed with their own money unit convert to the table's unit."""
    item = funds_score("100万元", "950000元")
    assert (item.budget, item.executed, item.score) == (
        Decimal(100),
        Decimal("95.0000"),
        Decimal("9.50"),
    )


# ---------------------------------------------------------------------------------
# Totals, subtotals, grades


def test_total_subtotals_and_grade():
    """The total sums the rounded items; subtotals group by level-1 and level-2."""
    table = make_table(
        row(">=3 个", "1 个", "10"),  # 3.333… → 3.33
        row(">=3 个", "1 个", "10", level2="质量指标"),  # 3.33
        row(">=3 个", "1 个", "10", level1="效益指标(30分)", level2="社会效益指标"),
        funds=[fund("100", "100")],
        total="50",
    )
    card = score(table, profile=MOF)
    assert [item.score for item in card.items] == [Decimal("3.33")] * 3
    assert card.total == Decimal("19.99")  # not 20.00: each item is rounded once
    assert card.printed_total == Decimal(50)
    assert card.grade == "差"
    assert [(s.name, s.weight, s.score, s.declared_weight) for s in card.level1] == [
        ("产出指标", Decimal(20), Decimal("6.66"), None),
        ("效益指标", Decimal(10), Decimal("3.33"), Decimal(30)),
    ]
    assert [child.name for child in card.level1[0].children] == ["数量指标", "质量指标"]


def test_rounding_half_up_boundary():
    """An item landing on x.xx5 rounds half up under mof-2020, half even if asked."""
    half_even = attrs.evolve(MOF, rounding=Rounding(mode="half-even"))
    down = attrs.evolve(MOF, rounding=Rounding(mode="down"))
    assert one(">=10 个", "3.205 个", "10").score == Decimal("3.21")
    assert one(">=10 个", "3.205 个", "10", profile=half_even).score == Decimal("3.20")
    assert one(">=10 个", "3.215 个", "10", profile=half_even).score == Decimal("3.22")
    assert one(">=10 个", "3.209 个", "10", profile=down).score == Decimal("3.20")


def test_profile_by_name_path_or_value(tmp_path):
    """``profile`` takes a Profile, a built-in name or a TOML file."""
    path = tmp_path / "p.toml"
    path.write_text('extends = "mof-2020"\n[quantitative]\nmode = "all-or-nothing"\n', "utf-8")
    table = make_table(row(">=15 个", "6 个", "8"))
    assert score(table, profile=path).items[0].score == 0
    assert score(table, profile=str(path)).profile.name == "p"
    assert score(table, profile=MOF).items[0].score == Decimal("3.20")
    assert score(table).profile == MOF


def test_scoring_does_not_change_the_decimal_context():
    """Scoring runs in its own decimal context; the caller's is left as it was."""
    import decimal  # noqa: PLC0415

    with decimal.localcontext() as context:
        context.prec = 3
        context.rounding = decimal.ROUND_FLOOR
        item = one(">=3 个", "1 个", "10")
        assert item.score == Decimal("3.33")
        assert (decimal.getcontext().prec, decimal.getcontext().rounding) == (
            3,
            decimal.ROUND_FLOOR,
        )


def test_scorecard_html():
    """The notebook view shows the table name, profile and every row."""
    card = score(make_table(row(">=15 个", "6 个", "8", score="8")), profile=MOF)
    page = card._repr_html_()
    assert "测试项目" in page
    assert "mof-2020" in page
    assert 'class="num diff"' in page
    assert "按完成比例 6/15 × 8 = 3.20" in page


# ---------------------------------------------------------------------------------
# Properties

units = st.sampled_from(["个", "%", "万元", "天", ""])
amounts = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False)
weights = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False)
ops = st.sampled_from([">=", "<=", "=", ">", "<", ""])


def draw_profile(draw):
    return attrs.evolve(
        MOF,
        rounding=Rounding(
            places=draw(st.integers(0, 4)),
            mode=draw(st.sampled_from(["half-up", "down", "half-even"])),
        ),
        execution=ExecutionRule(
            rule=draw(st.sampled_from(["proportional", "interval", "steps"])),
            floor=Decimal("0.6"),
            full_at=draw(st.sampled_from([Decimal("0.9"), Decimal(1), Decimal("1.2")])),
            steps=(Step(Decimal("0.8"), Decimal(1)), Step(Decimal("0.5"), Decimal("0.4"))),
            zero_budget=draw(st.sampled_from(["full", "zero", "unscored"])),
        ),
        quantitative=QuantitativeRules(
            mode=draw(st.sampled_from(["proportional", "all-or-nothing"])),
            reverse=draw(st.sampled_from(["ratio", "linear", "zero"])),
            equal=draw(st.sampled_from(["symmetric", "as-at-least", "exact"])),
            cost_floor=draw(st.none() | st.decimals(0, 1, places=2)),
        ),
        overshoot=Overshoot(penalty=draw(st.sampled_from(["none", "zero", "linear"]))),
    )


@st.composite
def tables(draw):
    count = draw(st.integers(1, 12))
    rows = []
    for index in range(count):
        unit = draw(units)
        level1 = draw(st.sampled_from(["产出指标", "成本指标", "效益指标", "满意度指标"]))
        target = draw(
            st.one_of(
                st.builds(lambda op, v, u: f"{op}{v}{u}", ops, amounts, st.just(unit)),
                st.sampled_from(["有效提高", "进一步提升", "长期"]),
            )
        )
        actual = draw(
            st.one_of(
                st.builds(lambda v, u: f"{v}{u}", amounts, units),
                st.sampled_from(["有效增强", "部分完成", "未完成", "=100%", "=0%"]),
            )
        )
        rows.append(row(target, actual, str(draw(weights)), level1=level1, name=f"指标{index}"))
    budget, executed = draw(amounts), draw(amounts)
    return make_table(*rows, funds=[fund(str(budget), str(executed), str(draw(weights)))])


@st.composite
def profiles(draw):
    return draw_profile(draw)


@given(tables(), profiles())
def test_scores_stay_within_weights(table, profile):
    """Rule: 0 ≤ score ≤ weight for every item (the execution score capped)."""
    card = score(table, profile=profile)
    for item in card.items:
        assert item.score is not None
        assert item.weight is not None
        assert 0 <= item.score <= item.weight
    assert card.funds is not None
    if card.funds.score is not None:
        assert 0 <= card.funds.score <= card.funds.weight


# Weights printed with any number of places, up to the widest a cell may hold.
any_weights = st.integers(0, 8).flatmap(
    lambda places: st.decimals(min_value=0, max_value=10**6, places=places, allow_nan=False)
)


@st.composite
def weighted_tables(draw):
    """Tables whose weights have any places, rows of every kind, a funds row."""
    rows = []
    for index in range(draw(st.integers(1, 6))):
        unit = draw(units)
        target = draw(
            st.one_of(
                st.builds(lambda op, v, u: f"{op}{v}{u}", ops, amounts, st.just(unit)),
                st.sampled_from(["有效提高", "进一步提升"]),
            )
        )
        actual = draw(
            st.one_of(
                st.builds(lambda v, u: f"{v}{u}", amounts, st.just(unit)),
                st.sampled_from(["有效增强", "部分完成", "未完成", "=100%"]),
            )
        )
        level1 = draw(st.sampled_from(["产出指标", "成本指标", "效益指标"]))
        weight = f"{draw(any_weights):f}"
        rows.append(row(target, actual, weight, level1=level1, name=f"指标{index}"))
    budget, executed = draw(amounts), draw(amounts)
    return make_table(*rows, funds=[fund(f"{budget:f}", f"{executed:f}", f"{draw(any_weights):f}")])


@given(
    table=weighted_tables(),
    name=st.sampled_from(["mof-2020", "changji-2023"]),
    places=st.integers(0, 10),
    mode=st.sampled_from(["half-up", "down", "half-even"]),
)
@example(
    table=make_table(row(">=15 个", "16 个", "3.205"), funds=[fund("100", "100", "3.205")]),
    name="mof-2020",
    places=2,
    mode="half-up",
)
def test_no_item_scores_above_its_weight(table, name, places, mode):
    """Rule: 0 ≤ score ≤ weight for every item and the 执行率 item, under every built-in
    profile, rounding mode and number of places; so the total ≤ the sum of the weights."""
    profile = attrs.evolve(get_profile(name), rounding=Rounding(places=places, mode=mode))
    card = score(table, profile=profile)
    weights = sum(item.weight for item in card.items)
    for item in card.items:
        assert 0 <= item.score <= item.weight, item.explanation
        assert item.score == profile.rounding.round(item.score)  # on the profile's places
        assert not item.score.is_signed()
    funds = card.funds
    if funds.score is not None:
        assert 0 <= funds.score <= funds.weight, funds.explanation
        weights += funds.weight
    assert card.total <= weights


@given(tables(), profiles())
def test_total_is_the_sum_of_rounded_items(table, profile):
    """Rule: total = sum of the rounded item scores plus the 执行率 score."""
    card = score(table, profile=profile)
    items = sum(item.score for item in card.items if item.score is not None)
    funds = card.funds.score if card.funds and card.funds.score is not None else 0
    assert card.total == items + funds
    assert sum(subtotal.score for subtotal in card.level1) == items
    assert card.grade == profile.grades.grade(card.total)
    for item in card.items:
        assert item.score == profile.rounding.round(item.score)


@given(
    op=st.sampled_from([">=", ">"]),
    target=amounts,
    first=amounts,
    second=amounts,
    weight=weights,
)
def test_at_least_is_monotone(op, target, first, second, weight):
    """Rule: proportional at-least scores never decrease as the actual grows."""
    low, high = sorted((first, second))
    scores = [one(f"{op}{target} 个", f"{actual} 个", str(weight)).score for actual in (low, high)]
    assert scores[0] <= scores[1]


@given(
    op=st.sampled_from(["<=", "<"]),
    reverse=st.sampled_from(["ratio", "linear", "zero"]),
    target=amounts,
    first=amounts,
    second=amounts,
    weight=weights,
)
def test_at_most_is_monotone(op, reverse, target, first, second, weight):
    """Rule: at-most scores never increase as the actual grows (no cost floor)."""
    profile = with_quantitative(reverse=reverse)
    low, high = sorted((first, second))
    scores = [
        one(f"{op}{target} 天", f"{actual} 天", str(weight), profile=profile).score
        for actual in (low, high)
    ]
    assert scores[0] >= scores[1]


@given(tables(), profiles())
def test_all_or_nothing_scores_are_zero_or_the_weight(table, profile):
    """Rule: under all-or-nothing, a numeric row scores 0 or its full weight."""
    profile = attrs.evolve(
        with_quantitative(profile, mode="all-or-nothing"), overshoot=Overshoot(penalty="none")
    )
    for item in score(table, profile=profile).items:
        if item.status != "qualitative":
            assert item.score in {0, full_marks(item.weight, profile.rounding)}


@given(
    op=st.sampled_from([">=", "<=", "=", ">", "<"]),
    target=amounts,
    actual=amounts,
    weight=weights,
    profile=profiles(),
    level1=st.sampled_from(["产出指标", "成本指标"]),
)
def test_unit_scale_does_not_change_the_score(op, target, actual, weight, profile, level1):
    """Rule: the same amounts in 元 or 万元 (on either side) score the same."""
    wan = one(f"{op}{target} 万元", f"{actual} 万元", str(weight), profile=profile, level1=level1)
    yuan = one(
        f"{op}{target * 10000} 元",
        f"{actual * 10000} 元",
        str(weight),
        profile=profile,
        level1=level1,
    )
    mixed = one(
        f"{op}{target} 万元", f"{actual * 10000} 元", str(weight), profile=profile, level1=level1
    )
    assert wan.score == yuan.score == mixed.score
    assert wan.status == yuan.status == mixed.status


@given(tables(), profiles(), st.randoms(use_true_random=False))
def test_row_order_changes_no_score(table, profile, rnd):
    """Rule: reordering rows changes no row's score, no subtotal and not the total."""
    order = list(range(len(table.indicators)))
    rnd.shuffle(order)
    shuffled = attrs.evolve(table, indicators=tuple(table.indicators[i] for i in order))
    before, after = score(table, profile=profile), score(shuffled, profile=profile)
    assert [after.items[position].score for position in range(len(order))] == [
        before.items[i].score for i in order
    ]
    assert after.total == before.total
    assert sorted((s.name, s.score) for s in after.level1) == sorted(
        (s.name, s.score) for s in before.level1
    )


cell_text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "/", "-", "≥95%", "<=2230.86 万", "=1044 件", "1-3年", "十分", "9" * 300]),
    st.builds(lambda op, v: f"{op}{v}", ops, st.decimals(allow_nan=True, allow_infinity=True)),
)


@settings(max_examples=200)
@given(
    st.lists(st.tuples(cell_text, cell_text, cell_text, cell_text), min_size=1, max_size=6),
    st.tuples(cell_text, cell_text, cell_text),
    profiles(),
)
def test_scoring_never_raises_on_a_loaded_table(cells, funds_cells, profile):
    """Rule: any table that loads can be scored; bad cells become unscored items."""
    rows = [row(target, actual, weight, score=printed) for target, actual, weight, printed in cells]
    budget, executed, weight = funds_cells
    try:
        table = make_table(*rows, funds=[fund(budget, executed, weight)])
    except TableFormatError:
        reject()
    card = score(table, profile=profile)
    assert len(card.items) == len(rows)
    for item in card.items:
        assert (item.score is None) == (item.status == "unscored")
        assert item.explanation


def test_scoring_is_deterministic():
    """The same table and profile always give equal scorecards."""
    table = make_table(*(row(">=3 个", f"{n} 个", "10") for n in range(5)))
    assert score(table, profile=MOF) == score(table, profile=MOF)
    assert random.Random(0).random() == random.Random(0).random()  # noqa: S311 - a seed check


def test_profile_is_recorded_on_the_card():
    """A scorecard names the profile that produced it."""
    custom = loads_profile('extends = "changji-2023"\nname = "mine"')
    card = score(make_table(row(">=1 个", "1 个")), profile=custom)
    assert card.profile.name == "mine"
    assert isinstance(card.profile, Profile)


def test_totals_and_subtotals_are_exact_at_any_size():
    """A 50-digit weight (built, not read) next to a cent: totals keep the cent."""
    wide = "1" + "0" * 49
    table = make_table(row(">=1 个", "1 个"), row(">=1 个", "1 个", "0.01"))
    card = score(built(table, weight=Figure(text=wide, kind="number", value=Decimal(wide))))
    assert card.total == Decimal(wide + ".01")
    (level1,) = card.level1
    assert (level1.weight, level1.score) == (Decimal(wide + ".01"), Decimal(wide + ".01"))


def test_subtotals_do_not_depend_on_the_decimal_context():
    """Subtotals are computed when asked, in an exact context, not the caller's."""
    import decimal  # noqa: PLC0415

    table = make_table(
        row(">=1 个", "1 个", "10.25", score="10.25"), row(">=1 个", "1 个", "20.5", score="20.5")
    )
    with decimal.localcontext() as context:
        context.prec = 3
        (level1,) = score(table).level1
    assert (level1.weight, level1.score, level1.printed_score) == (
        Decimal("30.75"),
        Decimal("30.75"),
        Decimal("30.75"),
    )


NAME_HINTS = [
    ("公猪舍(≥**平方米)", "22.8", "23", "50.00", "（比较符和单位取自指标名称「≥**平方米」）"),
    ("满意度（%）", "90", "85%", "47.22", "（单位取自指标名称「%」）（未写比较符，按正向指标）"),
    ("带动贫困户(人)", "11442", "11442", "50.00", "（单位取自指标名称「人」）"),
    ("运行费用（≤万元）", "30", "35", "42.86", "（比较符和单位取自指标名称「≤万元」）"),
    ("运行费用（万元）", "<=30 万元", "28 万元", "50.00", None),
]


@pytest.mark.parametrize(("name", "target", "actual", "expected", "said"), NAME_HINTS)
def test_a_bare_target_takes_its_comparator_and_unit_from_the_name(
    name, target, actual, expected, said
):
    """A bare-number target reads its comparator and unit from the indicator's name, as
    real prints mean it, and the explanation says so; a full target needs nothing."""
    table = Table.from_dict(
        {
            "name": "x",
            "indicators": [
                {"level1": "产出指标", "level2": "数量指标", "level3": name, "target": target,
                 "actual": actual, "weight": "50"},
            ],
        }
    )  # fmt: skip
    item = score(table, profile="mof-2020").items[0]
    assert str(item.score) == expected
    if said is None:
        assert "取自指标名称" not in item.explanation
    else:
        assert said in item.explanation


# ------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize("profile", [MOF, get_profile("changji-2023")])
@pytest.mark.parametrize(
    ("target", "actual", "status", "points", "explanation"),
    [
        (
            "2023年12月31日前",
            "2023年12月20日",
            "met",
            "10.00",
            "实际 2023年12月20日 < 指标值 不晚于 2023年12月31日，达成，得满分 10.00",
        ),
        (
            "2023年12月31日前",
            "2023年12月31日完成",
            "met",
            "10.00",
            "实际 2023年12月31日 = 指标值 不晚于 2023年12月31日，达成，得满分 10.00",
        ),
        (
            "2023年12月31日前",
            "2024年1月5日",
            "not-met",
            "0.00",
            (
                "实际 2024年1月5日 > 指标值 不晚于 2023年12月31日，晚于指标值，未达成，"
                "日期不按比例计分，得 0.00"
            ),
        ),
        (
            "2023年12月底前",
            "2023年12月",
            "met",
            "10.00",
            (
                "实际 「2023年12月」（按 2023年12月1日） < 指标值 不晚于 「2023年12月底前」"
                "（按 2023年12月31日），达成，得满分 10.00"
            ),
        ),
        (
            "2023年底",
            "2023年",
            "met",
            "10.00",
            (
                "实际 「2023年」（按 2023年1月1日） < 指标值 不晚于 「2023年底」"
                "（按 2023年12月31日），达成，得满分 10.00"
            ),
        ),
        (
            "≥2023年6月1日",
            "2023年5月1日",
            "not-met",
            "0.00",
            (
                "实际 2023年5月1日 < 指标值 不早于 2023年6月1日，早于指标值，未达成，"
                "日期不按比例计分，得 0.00"
            ),
        ),
    ],
)
def test_a_deadline_is_met_on_or_before_its_day_and_never_in_part(
    profile, target, actual, status, points, explanation
):
    """A date is met or not under every profile: a day late is not 99.99% of a deadline."""
    item = one(target, actual, "10", level2="时效指标", name="项目完成时间", profile=profile)
    assert (item.outcome.status, item.outcome.score) == (status, Decimal(points))
    assert item.outcome.explanation == explanation


def test_a_deadline_against_words_reads_the_words_and_against_a_number_is_not_scored():
    """按时完成 is achieved wording; 100% cannot be compared with a day."""
    words = one("2023年12月31日前", "按时完成", "10", level2="时效指标")
    assert (words.outcome.status, words.outcome.score) == ("qualitative", Decimal("10.00"))
    number = one("2023年12月31日前", "100%", "10", level2="时效指标")
    assert (number.outcome.status, number.outcome.score) == ("unscored", None)
    assert number.outcome.explanation == (
        "指标值「2023年12月31日前」与实际「100%」一为日期一为数值，无法比较，不计分"
    )


# --------------------------------------------------------------- nothing happened


@pytest.mark.parametrize(
    ("target", "actual", "tier", "note"),
    [
        ("0起", "未发生", "achieved", "（实际为无，正是指标值所求）"),
        ("=0", "未出现", "achieved", "（实际为无，正是指标值所求）"),
        ("≤0次", "无", "achieved", "（实际为无，正是指标值所求）"),
        ("无重大安全事故", "未发生", "achieved", "（实际为无，正是指标值所求）"),
        ("无重大安全事故", "0起", "achieved", "（实际为无，正是指标值所求）"),
        ("不发生安全责任事故", "零事故", "achieved", "（实际为无，正是指标值所求）"),
        ("杜绝重大质量问题", "没有发生", "achieved", "（实际为无，正是指标值所求）"),
        ("≥1个", "无", "not-achieved", "（实际为无，指标值要求至少为正数）"),
        ("≥3次", "未发生", "not-achieved", "（实际为无，指标值要求至少为正数）"),
        # A lack of effect is no "nothing happened": the actual's own words decide.
        ("无重大安全事故", "无法完成", "not-achieved", ""),
        ("有效提高", "未完成", "not-achieved", ""),
        ("无重大安全事故", "已完成", "achieved", ""),
    ],
)
def test_nothing_happened_meets_a_target_of_nothing(target, actual, tier, note):
    """未发生 against 0起 or 无重大安全事故 meets it (未 and 0 read as not achieved
    elsewhere); against ≥1个 it does not."""
    item = one(target, actual, "10", level2="质量指标", name="安全事故")
    assert item.outcome.tier == tier
    words = {"achieved": "达成", "not-achieved": "未达成"}[tier]
    assert f"读作{words}{note}，得" in item.outcome.explanation


def test_a_few_happened_is_not_nothing():
    """零星发生 (a few happened) starts with 零 but says something happened."""
    item = one("无重大安全事故", "零星发生", "10", level2="质量指标", name="安全事故")
    assert item.outcome.tier == "unknown"
    assert "实际为无" not in item.outcome.explanation

"""The 17 example tables in examples/changji-2023 against the document they come from.

Every expected value below is read from the seed document
/work/shared/seeds/000_cf34223da48d0767.txt (a 2023 部门决算公开说明); the comments give
the document line a value was taken from, so a reader can check the print. The JSON files
are what the tests read, the document is what they assert.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pytest

import perfscore
from perfscore import Table

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "changji-2023"
FILES = sorted(EXAMPLES.glob("*.json"))


def _prefix(path: Path) -> str:
    return path.name[:2]


@pytest.fixture(scope="module")
def tables() -> dict[str, Table]:
    """Each example file's table, keyed by the file's two-digit prefix."""
    loaded = {}
    for path in FILES:
        (table,) = perfscore.load(path)
        loaded[_prefix(path)] = table
    return loaded


# ---------------------------------------------------------------------------------
# 1. The tables as a whole

# Level-1 groups and their weight sums, as the document prints them.
FOUR_GROUPS = (("产出指标", 40), ("成本指标", 20), ("效益指标", 20), ("满意度指标", 10))
THREE_GROUPS = (("产出指标", 40), ("成本指标", 20), ("效益指标", 30))


class Facts(NamedTuple):
    """What the document prints about one table."""

    file: str  # the example file's two-digit prefix
    name: str  # 项目名称 (the unit's name for the department table)
    rows: int  # number of 三级指标 rows
    execution: tuple[str, str, str]  # printed 分值, 执行率, 得分 of the funds block
    budget: tuple[str, str]  # 全年预算数, 全年执行数 of the total funds row
    total: str | None  # 总分 as printed (without the trailing 分)
    groups: tuple[tuple[str, int], ...]  # level-1 names with their weight sums


FACTS = [
    # lines 536, 550 (中央安排), 566 (合计), rows 631-694; the department table has no 总分
    Facts(
        "01",
        "昌吉回族自治州工业和信息化局",
        3,
        ("10", "100%", "10"),
        ("2528.87", "2528.87"),
        None,
        (("履职效能", 90),),
    ),
    # lines 698, 712, 778-879, 881
    Facts(
        "02",
        "2022（新疆昌吉）“一带一路”国际葡萄酒大赛",
        8,
        ("10", "98.36%", "10.00"),
        ("428.71", "421.67"),
        "90",
        FOUR_GROUPS,
    ),
    # lines 885, 899, 953-1038, 1040
    Facts(
        "03",
        "2023 年为民办实事工队工作经费",
        12,
        ("10", "99.75%", "10.00"),
        ("8.00", "7.98"),
        "100",
        (("产出指标", 39), ("成本指标", 51)),
    ),
    # lines 1044, 1058, 1114-1260, 1262
    Facts(
        "04",
        "2023 年度单位运转类项目资金",
        10,
        ("10", "61.64%", "0.41"),
        ("78.00", "48.08"),
        "75.41",
        FOUR_GROUPS,
    ),
    # lines 1266, 1280, 1322-1568, 1600
    Facts(
        "05",
        "2023 年度安全生产和消防工作考核奖金项目",
        7,
        ("10", "0.00%", "0.00"),
        ("3.00", "0.00"),
        "0",
        THREE_GROUPS,
    ),
    # lines 1604, 1618, 1688-1748, 1750
    Facts(
        "06",
        "“数字昌吉”发展规划（2021-2025）",
        9,
        ("10", "100.00%", "10.00"),
        ("15.00", "15.00"),
        "100",
        THREE_GROUPS,
    ),
    # lines 1754, 1768, 1830-1902, 1904
    Facts(
        "07",
        "《昌吉回族自治州工业高质量发展“十四五”规划》中期评估及调整修订",
        8,
        ("10", "99.00%", "10.00"),
        ("30.00", "29.70"),
        "100",
        (("产出指标", 45), ("成本指标", 15), ("效益指标", 30)),
    ),
    # lines 1908, 1922, 1974-2038, 2040
    Facts(
        "08",
        "二轻局下属破产改制企业遗留档案资料归集整理项目",
        7,
        ("10", "100.00%", "10.00"),
        ("4.00", "4.00"),
        "100",
        THREE_GROUPS,
    ),
    # lines 2044, 2058, 2122-2334, 2372
    Facts(
        "09",
        "昌吉州 2023 年葡萄酒发展专项",
        8,
        ("10", "5.00%", "0.00"),
        ("200.00", "10.00"),
        "30",
        FOUR_GROUPS,
    ),
    # lines 2376, 2390 (amounts printed with thousands separators), 2496-2673, 2681
    Facts(
        "10",
        "昌吉州“数字政府—大数据运营管理平台”项目",
        12,
        ("10", "27.54%", "0.00"),
        ("3519.86", "969.45"),
        "25",
        FOUR_GROUPS,
    ),
    # lines 2685, 2699, 2761-2926, 2934
    Facts(
        "11",
        "昌吉州大数据运营管理平台政府购买服务项目",
        13,
        ("10", "0.00%", "0.00"),
        ("2083.33", "0.00"),
        "0",
        FOUR_GROUPS,
    ),
    # lines 2938, 2952, 3038-3099, 3101
    Facts(
        "12",
        "昌吉州工业互联网发展路径分析研究项目",
        7,
        ("10", "100.00%", "10.00"),
        ("6.47", "6.47"),
        "100",
        THREE_GROUPS,
    ),
    # lines 3106, 3120, 3174-3248, 3270
    Facts(
        "13",
        "昌吉州工信局单位项目资金项目",
        7,
        ("10", "49.87%", "0.00"),
        ("114.00", "56.85"),
        "80",
        FOUR_GROUPS,
    ),
    # lines 3274, 3288, 3352-3403, 3405
    Facts(
        "14",
        "昌吉州工信局工业高质量发展研究项目",
        7,
        ("10", "100.00%", "10.00"),
        ("5.20", "5.20"),
        "100",
        FOUR_GROUPS,
    ),
    # lines 3409, 3431, 3496-3654, 3672
    Facts(
        "15",
        "正格勒得村村委会办公楼维修项目",
        7,
        ("10", "0.00%", "0.00"),
        ("10.00", "0.00"),
        "0",
        FOUR_GROUPS,
    ),
    # lines 3676, 3690, 3752-3837, 3839
    Facts(
        "16",
        "民爆行业及重点工业企业安全生产检查指导项目",
        9,
        ("10", "99.61%", "10.00"),
        ("28.42", "28.31"),
        "100",
        FOUR_GROUPS,
    ),
    # lines 3843, 3861, 3914-4073, 4087
    Facts(
        "17",
        "民爆行业及重点工业企业安全生产检查指导项目（2024 年）",
        8,
        ("10", "0.00%", "0.00"),
        ("29.60", "0.00"),
        "0",
        THREE_GROUPS,
    ),
]


def test_all_seventeen_tables_load_in_file_name_order():
    """Loading the directory (or a glob) gives the 17 tables in file-name order."""
    by_directory = perfscore.load(EXAMPLES)
    by_glob = perfscore.load(str(EXAMPLES / "*.json"))
    assert len(FILES) == 17
    assert [table.name for table in by_directory] == [facts.name for facts in FACTS]
    assert by_glob == by_directory


@pytest.mark.parametrize("facts", [pytest.param(f, id=f.file) for f in FACTS])
def test_table_matches_the_document(tables, facts):
    """Name, row count, weights, funds print and total are the document's."""
    table = tables[facts.file]
    assert table.name == facts.name
    assert table.kind == ("department" if facts.file == "01" else "project")
    assert table.year == 2023
    assert len(table.indicators) == facts.rows
    assert table.indicator_weight == Decimal(90)
    assert table.execution_weight == Decimal(10)
    assert table.total_weight == Decimal(100)
    weight, rate, score = table.execution_print
    assert (weight.text, rate.text, score.text) == facts.execution
    assert rate.unit == "%"
    total_row = table.total_fund_row
    assert (total_row.annual_budget.value, total_row.executed.value) == tuple(
        Decimal(amount) for amount in facts.budget
    )
    assert (None if table.total is None else table.total.text) == facts.total


@pytest.mark.parametrize("facts", [pytest.param(f, id=f.file) for f in FACTS])
def test_level1_groups_match_the_document(tables, facts):
    """Level-1 groups come in printed order with the weights the document sums to."""
    groups = tables[facts.file].level1_groups
    assert [(group.name, group.weight) for group in groups] == [
        (name, Decimal(weight)) for name, weight in facts.groups
    ]
    assert all(group.declared_weight is None for group in groups)
    assert sum(len(group.indicators) for group in groups) == facts.rows


# ---------------------------------------------------------------------------------
# 2. Single indicator cells


def qty(op: str | None, value: str, unit: str = "") -> tuple[str, str | None, Decimal, str]:
    """A quantity cell as (kind, op, value, unit)."""
    return ("quantity", op, Decimal(value), unit)


WORDS = ("qualitative", None, None, "")


class Cell(NamedTuple):
    """One indicator row as the document prints it."""

    file: str
    row: int  # index in table.indicators
    level3: str
    target: str  # 年度指标值, verbatim
    target_reads: tuple[str, str | None, Decimal | None, str]
    actual: str  # 实际完成值, verbatim
    actual_reads: tuple[str, str | None, Decimal | None, str]
    weight: str
    score: str


CELLS = [
    # lines 633-655: the department table prints actuals without a leading =
    Cell(
        "01",
        0,
        "昌吉州大数据运营管理平台项目基础库、数据库、主题库建设",
        ">=6 个",
        qty(">=", "6", "个"),
        "1 个",
        qty(None, "1", "个"),
        "30",
        "6",
    ),
    # lines 657-672
    Cell(
        "01",
        1,
        "培育创新型、专精特新、小巨人企业",
        ">=20 家",
        qty(">=", "20", "家"),
        "29 家",
        qty(None, "29", "家"),
        "30",
        "30",
    ),
    # lines 783-786
    Cell(
        "02",
        0,
        "参赛样品数量",
        ">=700 件",
        qty(">=", "700", "件"),
        "=1044 件",
        qty(None, "1044", "件"),
        "10",
        "0.00",
    ),
    # lines 821-838 (万 and 元 broken over two lines)
    Cell(
        "02",
        3,
        "国际协同项目、接待考察项目、保障工作项目等费用",
        "<=305.71 万元",
        qty("<=", "305.71", "万元"),
        "=298.67 万元",
        qty(None, "298.67", "万元"),
        "10",
        "10.00",
    ),
    # lines 857-863
    Cell(
        "02",
        5,
        "公众对产区葡萄酒的熟识度",
        "进一步提高",
        WORDS,
        "=100%",
        qty(None, "100", "%"),
        "10",
        "10.00",
    ),
    # lines 974-977: a target written with =
    Cell(
        "03",
        2,
        "为民办好事实事完成率",
        "=100%",
        qty("=", "100", "%"),
        "=100%",
        qty(None, "100", "%"),
        "6",
        "6.00",
    ),
    # lines 1001-1004
    Cell(
        "03",
        6,
        "为民办实事好事经费",
        "<=5 万元",
        qty("<=", "5", "万元"),
        "=4.97 万元",
        qty(None, "4.97", "万元"),
        "7",
        "7.00",
    ),
    # line 1120: a count target, a percentage actual (the audit must flag it)
    Cell(
        "04",
        0,
        "开展培训班",
        "≥1 期",
        qty(">=", "1", "期"),
        "=1%",
        qty(None, "1", "%"),
        "7",
        "7.00",
    ),
    # lines 1148-1151: an amount target, a percentage actual (the audit must flag it)
    Cell(
        "04",
        5,
        "单位运转经费",
        "≤35.50 万元",
        qty("<=", "35.50", "万元"),
        "=60%",
        qty(None, "60", "%"),
        "10",
        "0.00",
    ),
    # line 1234
    Cell(
        "04",
        7,
        "培训班经费",
        "<=12.50 万元",
        qty("<=", "12.50", "万元"),
        "=12.5 万元",
        qty(None, "12.5", "万元"),
        "5",
        "5.00",
    ),
    # lines 1327-1330
    Cell(
        "05",
        0,
        "制作安全生产专题片",
        ">=1 部",
        qty(">=", "1", "部"),
        "=0 部",
        qty(None, "0", "部"),
        "15",
        "0.00",
    ),
    # lines 1473-1476
    Cell(
        "05",
        4,
        "单位预算成本控制率",
        ">=95%",
        qty(">=", "95", "%"),
        "=0%",
        qty(None, "0", "%"),
        "10",
        "0.00",
    ),
    # line 1699
    Cell(
        "06",
        1,
        "调研单位",
        ">=15 个",
        qty(">=", "15", "个"),
        "=15 个",
        qty(None, "15", "个"),
        "6",
        "6.00",
    ),
    # lines 1701-1704: a count target, a percentage actual
    Cell(
        "06",
        2,
        "重点调研内容方面",
        "≥3 个",
        qty(">=", "3", "个"),
        "=3%",
        qty(None, "3", "%"),
        "7",
        "7.00",
    ),
    # lines 1860-1863
    Cell(
        "07",
        3,
        "中期评估完成时限",
        "=12 个月",
        qty("=", "12", "个月"),
        "=12 个月",
        qty(None, "12", "个月"),
        "5",
        "5.00",
    ),
    # lines 1870-1873
    Cell(
        "07",
        4,
        "形成中期评估报告经费",
        "<=30 万元",
        qty("<=", "30", "万元"),
        "=29.7 万元",
        qty(None, "29.7", "万元"),
        "10",
        "10.00",
    ),
    # lines 1990-2000
    Cell(
        "08",
        1,
        "整理二轻局下属破产改制企业遗留档案资料数量",
        ">=8 万页",
        qty(">=", "8", "万页"),
        "=8 万页",
        qty(None, "8", "万页"),
        "10",
        "10.00",
    ),
    # lines 2015-2018
    Cell(
        "08",
        4,
        "档案资料整理费用",
        "<=4 万元",
        qty("<=", "4", "万元"),
        "=3.99 万元",
        qty(None, "3.99", "万元"),
        "10",
        "10.00",
    ),
    # lines 2127-2130: a count target, a percentage actual
    Cell(
        "09",
        0,
        "全年改扩建酒庄",
        "≥1 家",
        qty(">=", "1", "家"),
        "=0%",
        qty(None, "0", "%"),
        "10",
        "0.00",
    ),
    # lines 2188-2191: 9.5% printed against a 95% target
    Cell(
        "09",
        3,
        "项目完成时限及时率",
        "≥95%",
        qty(">=", "95", "%"),
        "=9.5%",
        qty(None, "9.5", "%"),
        "10",
        "0.00",
    ),
    # lines 2501-2507: a count target, a percentage actual
    Cell(
        "10",
        0,
        "LED大屏及配套硬件设施采购和安装",
        "≥20 套",
        qty(">=", "20", "套"),
        "=100%",
        qty(None, "100", "%"),
        "5",
        "5.00",
    ),
    # lines 2619-2625: a bare 万 reads as 万元, the text stays as printed
    Cell(
        "10",
        8,
        "项目软件设备及咨询服务金额",
        "<=2230.86 万",
        qty("<=", "2230.86", "万元"),
        "=67.5 万",
        qty(None, "67.5", "万元"),
        "10",
        "0.00",
    ),
    # lines 2633-2636
    Cell(
        "10",
        9,
        "项目硬件设备经费",
        "<=1289 万",
        qty("<=", "1289", "万元"),
        "=901.95 万",
        qty(None, "901.95", "万元"),
        "10",
        "0.00",
    ),
    # lines 2767-2770
    Cell(
        "11",
        0,
        "标准体系建设",
        ">=1 套",
        qty(">=", "1", "套"),
        "=0 套",
        qty(None, "0", "套"),
        "4",
        "0.00",
    ),
    # lines 2867-2878 (万 and 元 broken over two lines)
    Cell(
        "11",
        9,
        "昌吉州“数字政府—大数据运营管理平台”项目",
        "<=2083.33 万元",
        qty("<=", "2083.33", "万元"),
        "=0 万元",
        qty(None, "0", "万元"),
        "10",
        "0.00",
    ),
    # line 2889: a cost-control rate capped at 95%
    Cell(
        "11",
        10,
        "单位预算成本控制率",
        "≤95%",
        qty("<=", "95", "%"),
        "=0%",
        qty(None, "0", "%"),
        "10",
        "0.00",
    ),
    # lines 3065-3068: a timeliness rate capped at 90%
    Cell(
        "12",
        3,
        "项目按时完成及时率",
        "<=90%",
        qty("<=", "90", "%"),
        "=90%",
        qty(None, "90", "%"),
        "10",
        "10.00",
    ),
    # line 3074
    Cell(
        "12",
        4,
        "专家咨询费",
        "<=2.80 万元",
        qty("<=", "2.80", "万元"),
        "=2.8 万元",
        qty(None, "2.8", "万元"),
        "10",
        "10.00",
    ),
    # lines 3179-3182
    Cell(
        "13",
        0,
        "计划开展培训班次数",
        "<=5 个",
        qty("<=", "5", "个"),
        "=5 个",
        qty(None, "5", "个"),
        "15",
        "15.00",
    ),
    # lines 3223-3226: a compound unit
    Cell(
        "13",
        4,
        "培训班人均经费",
        "<=600 元/人",
        qty("<=", "600", "元/人"),
        "=600 元/人",
        qty(None, "600", "元/人"),
        "10",
        "10.00",
    ),
    # lines 3233-3239: the seeds' only qualitative actual
    Cell(
        "13",
        5,
        "增强参加培训人员业务能力",
        "增强",
        WORDS,
        "有效增强",
        WORDS,
        "20",
        "20.00",
    ),
    # line 3371
    Cell(
        "14",
        3,
        "专家费",
        "<=0.60 万元",
        qty("<=", "0.60", "万元"),
        "=0.6 万元",
        qty(None, "0.6", "万元"),
        "10",
        "10.00",
    ),
    # lines 3383-3390
    Cell(
        "14",
        5,
        "意见被采纳的次数",
        "意见被采纳的情况",
        WORDS,
        "=100%",
        qty(None, "100", "%"),
        "20",
        "20.00",
    ),
    # lines 3523-3526
    Cell(
        "15",
        1,
        "维修工程合格率",
        ">=95%",
        qty(">=", "95", "%"),
        "=0%",
        qty(None, "0", "%"),
        "15",
        "0.00",
    ),
    # lines 3570-3577 (万 and 元 broken over two lines)
    Cell(
        "15",
        3,
        "维修工作经费",
        "<=8.30 万元",
        qty("<=", "8.30", "万元"),
        "=0 万元",
        qty(None, "0", "万元"),
        "10",
        "0.00",
    ),
    # lines 3758-3764
    Cell(
        "16",
        0,
        "民爆生产销售企业全覆盖检查轮",
        ">=7 轮",
        qty(">=", "7", "轮"),
        "=8 轮",
        qty(None, "8", "轮"),
        "10",
        "10.00",
    ),
    # lines 3796-3799: a cost-control rate capped at 95%
    Cell(
        "16",
        5,
        "单位预算成本控制率",
        "<=95%",
        qty("<=", "95", "%"),
        "=100%",
        qty(None, "100", "%"),
        "10",
        "10.00",
    ),
    # lines 4000-4003
    Cell(
        "17",
        4,
        "开展安全指导检查费用1",
        "<=29.60 万元",
        qty("<=", "29.60", "万元"),
        "=0 万元",
        qty(None, "0", "万元"),
        "10",
        "0.00",
    ),
    # lines 4063-4073
    Cell(
        "17",
        7,
        "长期帮助企业提高安全生产管理水平和安全管理意识",
        "长期",
        WORDS,
        "=0%",
        qty(None, "0", "%"),
        "15",
        "0.00",
    ),
]


def _reads(cell: perfscore.Target | perfscore.Actual) -> tuple[object, ...]:
    return (cell.kind, cell.op, cell.value, cell.unit)


@pytest.mark.parametrize("cell", [pytest.param(c, id=f"{c.file}-{c.row}") for c in CELLS])
def test_indicator_cell_matches_the_document(tables, cell):
    """Target and actual keep the printed text verbatim and parse to op, value and unit."""
    row = tables[cell.file].indicators[cell.row]
    assert row.level3 == cell.level3
    assert row.target.text == cell.target
    assert _reads(row.target) == cell.target_reads
    assert row.actual.text == cell.actual
    assert _reads(row.actual) == cell.actual_reads
    assert row.weight.text == cell.weight
    assert row.score is not None
    assert row.score.text == cell.score


@pytest.mark.parametrize(
    ("file", "row", "target", "actual"),
    [
        ("01", 0, ">=6 个", "1 个"),  # line 647, 655
        ("04", 0, ">=1 期", "1%"),  # line 1120: ≥ becomes >=, the = of an actual goes
        ("04", 7, "<=12.50 万元", "12.5 万元"),  # line 1234: decimal places are kept
        ("10", 8, "<=2230.86 万元", "67.5 万元"),  # line 2625: 万 is spelled 万元
        ("13", 5, "增强", "有效增强"),  # line 3239
    ],
)
def test_cells_print_canonically_and_reparse(tables, file, row, target, actual):
    """str() of a cell is its canonical spelling, and parsing that gives an equal cell."""
    indicator = tables[file].indicators[row]
    assert str(indicator.target) == target
    assert str(indicator.actual) == actual
    assert perfscore.parse_target(target) == indicator.target
    assert perfscore.parse_actual(actual) == indicator.actual


def test_department_table_prints_execution_on_the_central_row(tables):
    """01 prints 分值/执行率/得分 on 中央安排 while 合计 is the scored row (lines 550-566)."""
    table = tables["01"]
    central, *others = table.funds
    assert central.label == "中央安排"
    assert [row.label for row in others] == [
        "自治区安排",
        "地（州、市）安排",
        "县（市、区）安排",
        "其他资金",
        "合计",
    ]
    # line 550: 中央安排 0.00 0.00 0.00 10 100% 10
    assert [a.value for a in (central.initial_budget, central.annual_budget, central.executed)] == [
        Decimal("0.00")
    ] * 3
    assert (central.weight.text, central.rate.text, central.score.text) == ("10", "100%", "10")
    assert table.execution_print == (central.weight, central.rate, central.score)
    assert all(row.weight is None and row.rate is None and row.score is None for row in others)
    # line 566: 合计 7111.51 2528.87 2528.87
    total_row = table.total_fund_row
    assert total_row.label == "合计"
    assert total_row.initial_budget.value == Decimal("7111.51")
    assert total_row.annual_budget.value == Decimal("2528.87")
    assert total_row.executed.value == Decimal("2528.87")
    assert table.total is None
    # lines 649-653: every row's 指标值设定依据
    assert {row.basis for row in table.indicators} == {"2023 年工业经济工作要点"}


def test_thousands_separators_are_kept_in_text_and_read_as_numbers(tables):
    """10 prints 3,519.86 (line 2390): the text stays verbatim, the value is exact."""
    total_row = tables["10"].total_fund_row
    assert total_row.label == "年度资金总额"
    assert total_row.annual_budget.text == "3,519.86"
    assert total_row.annual_budget.value == Decimal("3519.86")


# ---------------------------------------------------------------------------------
# 3. Qualitative cells

QUALITATIVE_TARGETS = {
    ("02", 5): "进一步提高",  # line 863
    ("02", 6): "进一步提升",  # line 869
    ("03", 9): "改善",  # line 1023
    ("03", 10): "提升",  # line 1028
    ("03", 11): "减轻",  # line 1038
    ("04", 8): "有效保障",  # line 1250
    ("05", 5): "有效提高",  # line 1526
    ("05", 6): "长期",  # line 1568
    ("06", 8): "占比增加",  # line 1748
    ("07", 6): "长期",  # line 1891
    ("07", 7): "长期",  # line 1902
    ("08", 6): "有效提高",  # line 2038
    ("09", 6): "规范",  # line 2293
    ("10", 10): "提升",  # line 2657
    ("11", 11): "持续提升",  # line 2910
    ("12", 6): "提升",  # line 3099
    ("13", 5): "增强",  # line 3239
    ("14", 5): "意见被采纳的情况",  # lines 3387-3389
    ("15", 5): "提升",  # line 3628
    ("16", 6): "有效提高",  # line 3816
    ("16", 7): "长期",  # line 3827
    ("17", 6): "有效提高",  # line 4049
    ("17", 7): "长期",  # line 4073
}


@pytest.mark.parametrize(
    ("where", "phrase"),
    [pytest.param(w, p, id=f"{w[0]}-{w[1]}") for w, p in QUALITATIVE_TARGETS.items()],
)
def test_worded_target_is_qualitative(tables, where, phrase):
    """A target printed in words loads as qualitative, its wording as the phrase."""
    file, row = where
    target = tables[file].indicators[row].target
    assert target.text == phrase
    assert target.kind == "qualitative"
    assert target.phrase == phrase
    assert (target.op, target.value, target.unit) == (None, None, "")


def test_only_the_worded_targets_are_qualitative(tables):
    """Every other target in the seeds is a quantity: the worded ones are all listed."""
    qualitative = {
        (file, index)
        for file, table in tables.items()
        for index, row in enumerate(table.indicators)
        if row.target.kind == "qualitative"
    }
    assert qualitative == set(QUALITATIVE_TARGETS)


def test_no_seed_cell_is_unreadable(tables):
    """No target or actual in any seed table is unreadable, and none is left blank."""
    kinds = {
        cell.kind
        for table in tables.values()
        for row in table.indicators
        for cell in (row.target, row.actual)
    }
    assert kinds == {"quantity", "qualitative"}


def test_the_one_qualitative_actual_reads_as_achieved(tables):
    """有效增强 (13, line 3239) is the seeds' only qualitative actual, and it is achieved."""
    qualitative = [
        (file, row.actual)
        for file, table in tables.items()
        for row in table.indicators
        if row.actual.kind == "qualitative"
    ]
    assert [(file, actual.text) for file, actual in qualitative] == [("13", "有效增强")]
    (_, actual), *_ = qualitative
    assert actual.tier == "achieved"
    assert actual.op is None
    assert actual.value is None
    quantities = [
        row.actual
        for table in tables.values()
        for row in table.indicators
        if row.actual.kind == "quantity"
    ]
    assert all(actual.tier is None for actual in quantities)


# ---------------------------------------------------------------------------------
# 4. Round trip


@pytest.mark.parametrize("path", FILES, ids=_prefix)
def test_round_trip_through_dict(path):
    """from_dict(to_dict()) gives the same table, and to_dict keeps every key and value."""
    original = json.loads(path.read_text(encoding="utf-8"))
    (table,) = perfscore.load(path)
    out = table.to_dict()
    assert Table.from_dict(out) == table
    for key, value in original.items():
        assert out[key] == value, key
    assert set(out) - set(original) <= {"format", "kind", "money_unit"}

"""Every audit check, on the seed's real anomalies and on minimal synthetic tables.

Each of the 27 ids in :data:`perfscore.findings.CHECKS` is tested three ways: on a real
row of ``examples/changji-2023`` where the seed document prints that kind of anomaly
(where the seed has one; comments give the line of
/work/shared/seeds/000_cf34223da48d0767.txt), on a synthetic table that must raise it,
and on a near miss that must not. Findings are compared whole: id, severity, where,
path, printed, expected and the full message.
"""

from __future__ import annotations

import html
import pickle
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path

import attrs
import pytest

from perfscore import Table, TableFormatError, load
from perfscore.audit import AuditReport, audit
from perfscore.cells import MAX_DIGITS, Actual, Figure
from perfscore.findings import CHECKS, SEVERITIES, Finding
from perfscore.profiles import loads_profile

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "changji-2023"
FILES = {path.name[:2]: path for path in sorted(EXAMPLES.glob("*.json"))}
PROFILES = ("changji-2023", "mof-2020")


@cache
def seed(prefix: str) -> Table:
    """The example table whose file name starts with this two-digit prefix."""
    (table,) = load(FILES[prefix])
    return table


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


def cost(target, actual, weight="10", *, level1="成本指标", level2="经济成本指标", **more):
    return row(target, actual, weight, level1=level1, level2=level2, **more)


def benefit(target, actual, weight="10", *, level1="效益指标", level2="社会效益指标", **more):
    return row(target, actual, weight, level1=level1, level2=level2, **more)


def fund(budget, executed, weight="10", label="年度资金总额", **more):
    return {
        "label": label,
        "initial_budget": budget,
        "annual_budget": budget,
        "executed": executed,
        "weight": weight,
        **more,
    }


def part(label, budget, executed, **more):
    """A funds row without 分值 / 执行率 / 得分 (其中：当年财政拨款, 其他资金 …)."""
    return {
        "label": label,
        "initial_budget": budget,
        "annual_budget": budget,
        "executed": executed,
        **more,
    }


def make_table(*rows, funds=None, **fields):
    data = {"name": "测试项目", "indicators": list(rows), **fields}
    if funds is not None:
        data["funds"] = funds
    return Table.from_dict(data)


def built(table: Table, index: int = 0, **cells: object) -> Table:
    """The table with cells of one row replaced by values built in Python.

    The cell readers refuse numbers of more than MAX_DIGITS digits; a value built
    in Python is not read from text, so it can be as wide as a test needs.
    """
    rows = list(table.indicators)
    rows[index] = attrs.evolve(rows[index], **cells)
    return attrs.evolve(table, indicators=tuple(rows))


def wide(text: str) -> Figure:
    """A figure of any width, built rather than read (see :func:`built`)."""
    return Figure(text=text, kind="number", value=Decimal(text))


def found(report: AuditReport, check: str, where: str | None = None) -> list[Finding]:
    return [f for f in report.findings if f.id == check and (where is None or f.where == where)]


def ids(report: AuditReport) -> list[str]:
    return [finding.id for finding in report.findings]


def param(*values, id_):
    return pytest.param(*values, id=id_)


# ---------------------------------------------------------------------------------
# 1. The seed's own anomalies

P01_0 = "履职效能/数量指标/昌吉州大数据运营管理平台项目基础库、数据库、主题库建设"
P01_1 = "履职效能/数量指标/培育创新型、专精特新、小巨人企业"
P09_6 = "效益指标/社会效益指标/规范天山北麓精品葡萄酒庄建设"
UNIT = "的单位 % 不能换算，按数值直接比较"

SEED = [
    # score-mismatch. Line 786: >=700 件 =1044 件 10 0.00, over-achieved and scored 0.
    param(
        "02",
        "changji-2023",
        Finding(
            "score-mismatch",
            "error",
            "indicators[0]",
            "产出指标/数量指标/参赛样品数量",
            "得分 0.00 与规则计算值 10.00 不符（实际 1044 件 > 指标值 700 件，达成，得满分 10.00）",
            printed="0.00",
            expected="10.00",
        ),
        id_="02-row0-score-mismatch",
    ),
    # Lines 647, 655: >=6 个, 30, 1 个, printed 6: neither all-or-nothing nor 1/6 × 30.
    param(
        "01",
        "changji-2023",
        Finding(
            "score-mismatch",
            "error",
            "indicators[0]",
            P01_0,
            "得分 6 与规则计算值 0.00 不符（实际 1 个 < 指标值 6 个，未达成，全有全无规则得 0.00）",
            printed="6",
            expected="0.00",
        ),
        id_="01-row0-score-mismatch-changji",
    ),
    param(
        "01",
        "mof-2020",
        Finding(
            "score-mismatch",
            "error",
            "indicators[0]",
            P01_0,
            "得分 6 与规则计算值 5.00 不符（实际 1 个 < 指标值 6 个，按完成比例 1/6 × 30 = 5.00）",
            printed="6",
            expected="5.00",
        ),
        id_="01-row0-score-mismatch-mof",
    ),
    # Line 3799: 单位预算成本控制率 <=95% =100% 10 10.00, a missed cap scored in full.
    param(
        "16",
        "changji-2023",
        Finding(
            "score-mismatch",
            "error",
            "indicators[5]",
            "成本指标/经济成本指标/单位预算成本控制率",
            "得分 10.00 与规则计算值 0.00 不符"
            "（实际 100% > 指标值 95%，未达成，全有全无规则得 0.00）",
            printed="10.00",
            expected="0.00",
        ),
        id_="16-row5-score-mismatch",
    ),
    # Line 2293: 规范 =100% 20 0.00, a qualitative row read as achieved and scored 0.
    param(
        "09",
        "changji-2023",
        Finding(
            "score-mismatch",
            "error",
            "indicators[6]",
            P09_6,
            "得分 0.00 与规则计算值 20.00 不符"
            "（定性指标「规范」：实际「=100%」读作达成，得 100% × 20 = 20.00）",
            printed="0.00",
            expected="20.00",
        ),
        id_="09-row6-score-mismatch",
    ),
    # funds-score-mismatch. Line 712: 428.71 428.71 421.67 10 98.36% 10.00.
    param(
        "02",
        "mof-2020",
        Finding(
            "funds-score-mismatch",
            "error",
            "funds",
            "年度资金总额",
            "执行率得分 10.00 与规则计算值 9.84 不符"
            "（执行率 421.67/428.71 = 98.36%，按比例 98.36% × 10 = 9.84）",
            printed="10.00",
            expected="9.84",
        ),
        id_="02-funds-score-mismatch",
    ),
    # Line 1058: 78.00 78.00 48.08 10 61.64% 0.41.
    param(
        "04",
        "mof-2020",
        Finding(
            "funds-score-mismatch",
            "error",
            "funds",
            "年度资金总额",
            "执行率得分 0.41 与规则计算值 6.16 不符"
            "（执行率 48.08/78.00 = 61.64%，按比例 61.64% × 10 = 6.16）",
            printed="0.41",
            expected="6.16",
        ),
        id_="04-funds-score-mismatch",
    ),
    # unit-mismatch. Line 1120: 开展培训班 ≥1 期 =1% 7 7.00.
    param(
        "04",
        "changji-2023",
        Finding(
            "unit-mismatch",
            "warning",
            "indicators[0]",
            "产出指标/数量指标/开展培训班",
            f"指标值「≥1 期」的单位 期 与实际完成值「=1%」{UNIT}",
            printed="=1%",
            expected="≥1 期",
        ),
        id_="04-row0-unit-mismatch",
    ),
    # Line 1151: 单位运转经费 ≤35.50 万元 =60% 10 0.00.
    param(
        "04",
        "changji-2023",
        Finding(
            "unit-mismatch",
            "warning",
            "indicators[5]",
            "成本指标/经济成本指标/单位运转经费",
            f"指标值「≤35.50 万元」的单位 万元 与实际完成值「=60%」{UNIT}",
            printed="=60%",
            expected="≤35.50 万元",
        ),
        id_="04-row5-unit-mismatch",
    ),
    # Line 1704: 重点调研内容方面 ≥3 个 =3% 7 7.00.
    param(
        "06",
        "changji-2023",
        Finding(
            "unit-mismatch",
            "warning",
            "indicators[2]",
            "产出指标/数量指标/重点调研内容方面",
            f"指标值「≥3 个」的单位 个 与实际完成值「=3%」{UNIT}",
            printed="=3%",
            expected="≥3 个",
        ),
        id_="06-row2-unit-mismatch",
    ),
    # Line 2130: 全年改扩建酒庄 ≥1 家 =0% 10 0.00.
    param(
        "09",
        "changji-2023",
        Finding(
            "unit-mismatch",
            "warning",
            "indicators[0]",
            "产出指标/数量指标/全年改扩建酒庄",
            f"指标值「≥1 家」的单位 家 与实际完成值「=0%」{UNIT}",
            printed="=0%",
            expected="≥1 家",
        ),
        id_="09-row0-unit-mismatch",
    ),
    # Line 2176: 制定《天山北麓精品葡萄酒庄建设标准》 ≥1 册 =100% 10 10.00.
    param(
        "09",
        "changji-2023",
        Finding(
            "unit-mismatch",
            "warning",
            "indicators[1]",
            "产出指标/数量指标/制定《天山北麓精品葡萄酒庄建设标准》",
            f"指标值「≥1 册」的单位 册 与实际完成值「=100%」{UNIT}",
            printed="=100%",
            expected="≥1 册",
        ),
        id_="09-row1-unit-mismatch",
    ),
    # Line 2507: LED大屏及配套硬件设施采购和安装 ≥20 套 =100% 5 5.00.
    param(
        "10",
        "changji-2023",
        Finding(
            "unit-mismatch",
            "warning",
            "indicators[0]",
            "产出指标/数量指标/LED大屏及配套硬件设施采购和安装",
            f"指标值「≥20 套」的单位 套 与实际完成值「=100%」{UNIT}",
            printed="=100%",
            expected="≥20 套",
        ),
        id_="10-row0-unit-mismatch",
    ),
    # typo-suspect. Line 2191: 项目完成时限及时率 ≥95% =9.5% 10 0.00.
    param(
        "09",
        "changji-2023",
        Finding(
            "typo-suspect",
            "warning",
            "indicators[3]",
            "产出指标/时效指标/项目完成时限及时率",
            "实际完成值「=9.5%」与指标值「≥95%」数字相同而小数点位置不同，疑似笔误",
            printed="=9.5%",
            expected="≥95%",
        ),
        id_="09-row3-typo-suspect",
    ),
    # direction-suspect. Line 3068: 项目按时完成及时率 <=90% =90% 10 10.00.
    param(
        "12",
        "changji-2023",
        Finding(
            "direction-suspect",
            "warning",
            "indicators[3]",
            "产出指标/时效指标/项目按时完成及时率",
            "「项目按时完成及时率」越高越好，指标值却写作「<=90%」（上限）",
            printed="<=90%",
        ),
        id_="12-row3-direction-suspect",
    ),
    # qualitative-mismatch. Line 863: 进一步提高 =100% 10 10.00.
    param(
        "02",
        "changji-2023",
        Finding(
            "qualitative-mismatch",
            "info",
            "indicators[5]",
            "效益指标/社会效益指标/公众对产区葡萄酒的熟识度",
            "定性指标值「进一步提高」配了数值实际完成值「=100%」",
            printed="=100%",
        ),
        id_="02-row5-qualitative-mismatch",
    ),
    # Lines 3387-3390: 意见被采纳的情况 =100% 20 20.00.
    param(
        "14",
        "changji-2023",
        Finding(
            "qualitative-mismatch",
            "info",
            "indicators[5]",
            "效益指标/社会效益指标/意见被采纳的次数",
            "定性指标值「意见被采纳的情况」配了数值实际完成值「=100%」",
            printed="=100%",
        ),
        id_="14-row5-qualitative-mismatch",
    ),
    # Line 2293 again: the printed 0.00 lies outside the achieved band.
    param(
        "09",
        "changji-2023",
        Finding(
            "qualitative-mismatch",
            "info",
            "indicators[6]",
            P09_6,
            "定性指标实际读作达成，应在分值的 80%–100% 之间，印刷得分 0.00 为分值 20 的 0.00%",
            printed="0.00",
        ),
        id_="09-row6-qualitative-band",
    ),
    # overshoot. Lines 663, 671: >=20 家, 29 家, and the department table has no note column.
    param(
        "01",
        "changji-2023",
        Finding(
            "overshoot",
            "warning",
            "indicators[1]",
            P01_1,
            "实际 29 家 超出指标值 >=20 家 45.00%，超过 30%",
            printed="29 家",
            expected=">=20 家",
        ),
        id_="01-row1-overshoot-warning",
    ),
    # Lines 786-798: 1044 against >=700, with the note 预算目标值把握不准确，导致超出预期.
    param(
        "02",
        "changji-2023",
        Finding(
            "overshoot",
            "info",
            "indicators[0]",
            "产出指标/数量指标/参赛样品数量",
            "实际 =1044 件 超出指标值 >=700 件 49.14%，超过 30%，已说明偏差原因",
            printed="=1044 件",
            expected=">=700 件",
        ),
        id_="02-row0-overshoot-info",
    ),
    # Lines 1200-1232: <=30 万元 =14.49 万元 5 0.00, with a note: below an at-most target.
    param(
        "04",
        "changji-2023",
        Finding(
            "overshoot",
            "info",
            "indicators[6]",
            "成本指标/经济成本指标/保障援疆干部资金",
            "实际 =14.49 万元 低于指标值 <=30 万元 51.70%，超过 30%，已说明偏差原因",
            printed="=14.49 万元",
            expected="<=30 万元",
        ),
        id_="04-row6-overshoot-info",
    ),
    # missing-deviation-note: the seed's one shortfall without a note (01 row 0, line 655)
    # is on the department table, which has no 偏差原因 column, so it is not asked for.
    # note-on-full-score. Lines 2531-2537: >=6 次 =6 次 5 5.00 with 项目2023年 9月暂停。
    param(
        "10",
        "changji-2023",
        Finding(
            "note-on-full-score",
            "info",
            "indicators[2]",
            "产出指标/数量指标/大数据运营管理项目阶段性咨询",
            "得分为满分 5.00，却填写了偏差说明「项目2023年 9月暂停。」",
        ),
        id_="10-row2-note-on-full-score",
    ),
    # Lines 2606-2612: the same on the 及时率 row.
    param(
        "10",
        "changji-2023",
        Finding(
            "note-on-full-score",
            "info",
            "indicators[7]",
            "产出指标/时效指标/大数据运营管理项目阶段性咨询完成及时率",
            "得分为满分 5.00，却填写了偏差说明「项目2023年 9月暂停。」",
        ),
        id_="10-row7-note-on-full-score",
    ),
    # Lines 3248-3268: >=90% =90% 10 10.00 with a note about late payment.
    param(
        "13",
        "changji-2023",
        Finding(
            "note-on-full-score",
            "info",
            "indicators[6]",
            "满意度指标/满意度指标/学员满意情况",
            "得分为满分 10.00，却填写了偏差说明"
            "「最后一次培训在12月，等培训结束之后，单位资金已经扎账，未及时支付」",
        ),
        id_="13-row6-note-on-full-score",
    ),
    # boilerplate-note. Lines 1332-1360 and on: one note pasted on all seven rows.
    param(
        "05",
        "changji-2023",
        Finding(
            "boilerplate-note",
            "info",
            "table",
            "2023 年度安全生产和消防工作考核奖金项目",
            "同一偏差说明「项目资金 2023年年底下达，目前已完成政府采购手续，"
            "等待验收宣传片合格后支付。…」粘贴在 7 行（第 1、2、3、4、5、6、7 行）",
        ),
        id_="05-boilerplate-note",
    ),
    # Lines 2132-2166, 2193-2227, 2242-2276, 2295-2329, 2336-2370.
    param(
        "09",
        "changji-2023",
        Finding(
            "boilerplate-note",
            "info",
            "table",
            "昌吉州 2023 年葡萄酒发展专项",
            "同一偏差说明「截至2023 年年底，项目完成《天山北麓精品葡萄酒庄建设标准》"
            "1册，由于 202…」粘贴在 5 行（第 1、4、5、7、8 行）",
        ),
        id_="09-boilerplate-note",
    ),
    # Lines 2521 and on: 项目2023年 9月暂停。 on nine rows.
    param(
        "10",
        "changji-2023",
        Finding(
            "boilerplate-note",
            "info",
            "table",
            "昌吉州“数字政府—大数据运营管理平台”项目",
            "同一偏差说明「项目2023年 9月暂停。」粘贴在 9 行（第 2、3、5、7、8、9、10、11、12 行）",
        ),
        id_="10-boilerplate-note",
    ),
    # Lines 2772-2776 and on: 2023年 9月暂停项目 on all thirteen rows.
    param(
        "11",
        "changji-2023",
        Finding(
            "boilerplate-note",
            "info",
            "table",
            "昌吉州大数据运营管理平台政府购买服务项目",
            "同一偏差说明「2023年 9月暂停项目」粘贴在 13 行"
            "（第 1、2、3、4、5、6、7、8、9、10、11、12、13 行）",
        ),
        id_="11-boilerplate-note",
    ),
    # Lines 3506-3520 and on.
    param(
        "15",
        "changji-2023",
        Finding(
            "boilerplate-note",
            "info",
            "table",
            "正格勒得村村委会办公楼维修项目",
            "同一偏差说明「木垒哈萨克自治县雀仁乡正格勒得村工作队援疆经费项目为援疆项目，"
            "由于截至2023 …」粘贴在 7 行（第 1、2、3、4、5、6、7 行）",
        ),
        id_="15-boilerplate-note",
    ),
    # Lines 3928-3938 and on.
    param(
        "17",
        "changji-2023",
        Finding(
            "boilerplate-note",
            "info",
            "table",
            "民爆行业及重点工业企业安全生产检查指导项目（2024 年）",
            "同一偏差说明「项目资金 2023年年底下达，目前已完成政府采购手续，"
            "2024年项目继续开展工作…」粘贴在 8 行（第 1、2、3、4、5、6、7、8 行）",
        ),
        id_="17-boilerplate-note",
    ),
    # qualitative-cost. Lines 1020-1038: 改善, 提升, 减轻 under 社会成本指标.
    param(
        "03",
        "changji-2023",
        Finding(
            "qualitative-cost",
            "info",
            "indicators[9]",
            "成本指标/社会成本指标/改善村民人居环境",
            "成本指标「改善村民人居环境」的指标值「改善」未量化，看起来是效益内容",
            printed="改善",
        ),
        id_="03-row9-qualitative-cost",
    ),
    param(
        "03",
        "changji-2023",
        Finding(
            "qualitative-cost",
            "info",
            "indicators[10]",
            "成本指标/社会成本指标/提升村民居住幸福感",
            "成本指标「提升村民居住幸福感」的指标值「提升」未量化，看起来是效益内容",
            printed="提升",
        ),
        id_="03-row10-qualitative-cost",
    ),
    param(
        "03",
        "changji-2023",
        Finding(
            "qualitative-cost",
            "info",
            "indicators[11]",
            "成本指标/社会成本指标/慰问看望送温暖，减轻低收入家庭生活压力",
            "成本指标「慰问看望送温暖，减轻低收入家庭生活压力」的指标值「减轻」未量化，看起来是效益内容",
            printed="减轻",
        ),
        id_="03-row11-qualitative-cost",
    ),
    # copied-actuals. Lines 3356-3403: every numeric actual repeats its target.
    param(
        "14",
        "changji-2023",
        Finding(
            "copied-actuals",
            "info",
            "table",
            "昌吉州工信局工业高质量发展研究项目",
            "全部 6 个定量指标的实际完成值都与指标值相同，疑似照抄",
        ),
        id_="14-copied-actuals",
    ),
    # narrative-mismatch. Line 590 says 建设完成 6个, line 655 prints 1 个.
    param(
        "01",
        "changji-2023",
        Finding(
            "narrative-mismatch",
            "info",
            "indicators[0]",
            P01_0,
            "年度目标完成情况写「…6个…」，指标表实际完成值为「1 个」",
            printed="1 个",
            expected="6个",
        ),
        id_="01-row0-narrative-mismatch",
    ),
    # Line 596 says 小巨人企业 20家, line 671 prints 29 家.
    param(
        "01",
        "changji-2023",
        Finding(
            "narrative-mismatch",
            "info",
            "indicators[1]",
            P01_1,
            "年度目标完成情况写「…20家…」，指标表实际完成值为「29 家」",
            printed="29 家",
            expected="20家",
        ),
        id_="01-row1-narrative-mismatch",
    ),
    # Line 751 says 参赛样品合格率 100%, line 804 prints =90%.
    param(
        "02",
        "changji-2023",
        Finding(
            "narrative-mismatch",
            "info",
            "indicators[1]",
            "产出指标/质量指标/参赛样品合格率",
            "年度目标完成情况写「…100%…」，指标表实际完成值为「=90%」",
            printed="=90%",
            expected="100%",
        ),
        id_="02-row1-narrative-mismatch",
    ),
    # level1-weights. Lines 778-879: 产出 30 + 成本 20 (+ 执行率 10), 效益 20, 满意度 10.
    param(
        "02",
        "changji-2023",
        Finding(
            "level1-weights",
            "info",
            "table",
            "2022（新疆昌吉）“一带一路”国际葡萄酒大赛",
            "一级指标权重：产出指标+成本指标 60（预期 50），效益指标 20（预期 30）",
        ),
        id_="02-level1-weights",
    ),
    # Lines 953-1038: only 产出 and 成本 rows.
    param(
        "03",
        "mof-2020",
        Finding(
            "level1-weights",
            "info",
            "table",
            "2023 年为民办实事工队工作经费",
            "一级指标权重：产出指标+成本指标 90（预期 50），"
            "效益指标 0（预期 30），满意度指标 0（预期 10）",
        ),
        id_="03-level1-weights",
    ),
]


@pytest.mark.parametrize(("file", "profile", "expected"), SEED)
def test_seed_anomaly_is_reported_in_full(file, profile, expected):
    """A row the seed prints with an anomaly gets this finding, every field as given."""
    report = audit(seed(file), profile=profile)
    assert expected in found(report, expected.id, expected.where)


# What the 17 tables give under each profile, by (id, severity).
SEED_COUNTS = {
    "changji-2023": {
        ("score-mismatch", "error"): 4,
        ("unit-mismatch", "warning"): 6,
        ("overshoot", "warning"): 1,
        ("overshoot", "info"): 12,
        ("direction-suspect", "warning"): 1,
        ("typo-suspect", "warning"): 1,
        ("qualitative-mismatch", "info"): 23,
        ("level1-weights", "info"): 16,
        ("boilerplate-note", "info"): 6,
        ("narrative-mismatch", "info"): 3,
        ("note-on-full-score", "info"): 3,
        ("qualitative-cost", "info"): 3,
        ("copied-actuals", "info"): 1,
    },
}
SEED_COUNTS["mof-2020"] = {
    **SEED_COUNTS["changji-2023"],
    ("score-mismatch", "error"): 27,
    ("funds-score-mismatch", "error"): 8,
}


@pytest.mark.parametrize("profile", PROFILES)
def test_seed_findings_tally(profile):
    """The 17 tables give exactly these findings, by id and severity, under each profile."""
    tally = Counter(
        (finding.id, finding.severity)
        for prefix in FILES
        for finding in audit(seed(prefix), profile=profile).findings
    )
    assert dict(tally) == SEED_COUNTS[profile]


SELF_CONSISTENT = ("rate-mismatch", "total-mismatch", "weights-not-100", "funds-rows-inconsistent")


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("prefix", sorted(FILES))
def test_seed_print_is_arithmetically_self_consistent(prefix, profile):
    """The seed's rates, totals, weights and fund rows agree with each other."""
    report = audit(seed(prefix), profile=profile)
    assert not set(SELF_CONSISTENT) & set(ids(report))


@pytest.mark.parametrize("prefix", sorted(FILES))
def test_seed_execution_scores_fit_the_changji_profile(prefix):
    """changji-2023 was fitted to the seed: no printed 执行率 score disagrees with it."""
    assert not found(audit(seed(prefix), profile="changji-2023"), "funds-score-mismatch")


@pytest.mark.parametrize("prefix", sorted(FILES))
def test_level1_weights_is_reported_on_project_tables_only(prefix):
    """Each seed project table gets one level1-weights info; the department table none."""
    table = seed(prefix)
    severities = [f.severity for f in found(audit(table, profile="mof-2020"), "level1-weights")]
    assert severities == ([] if table.kind == "department" else ["info"])


def test_every_id_the_seed_raises_has_a_seed_case():
    """Each id the 17 tables raise is asserted in full on at least one seed row above."""
    raised = {check for check, _ in SEED_COUNTS["mof-2020"]}
    assert {p.values[2].id for p in SEED} == raised
    assert raised < set(CHECKS)


# ---------------------------------------------------------------------------------
# 2. Synthetic tables: each check fires ...

T1 = "一级指标权重：执行率 0（预期 10），"
RATE_FUNDS = ("428.71", "421.67")  # the seed's 02, 98.3578…%
THREE_COPIED = (
    row(">=1 次", "=1 次", "30", name="开展调研"),
    row(">=90%", "=90%", "30", level2="质量指标", name="报告质量"),
    cost("<=4.6 万元", "=4.6 万元", "30", name="项目保障工作经费"),
)
GOAL = {"achieved": "培育创新型、专精特新、小巨人企业 20家，完成任务。"}
SME = "培育创新型、专精特新、小巨人企业"
PAUSED = "项目2023年 9月暂停。"

FIRES = [
    param(
        built(
            make_table(row(">=1 个", "1 个", "100", score="100")),
            actual=Actual(
                text="1" + "0" * 60 + " 个", kind="quantity", value=Decimal("1E60"), unit="个"
            ),
        ),
        "mof-2020",
        Finding(
            "number-out-of-range",
            "error",
            "indicators[0]",
            "产出指标/数量指标/指标",
            "数值超出可计算范围，无法复核",
        ),
        id_="number-out-of-range",
    ),
    param(
        make_table(row(">=1 个", "1 个", "90"), funds=[fund(*RATE_FUNDS, rate="98.37%")]),
        "mof-2020",
        Finding(
            "rate-mismatch",
            "error",
            "funds",
            "年度资金总额",
            "执行率印为 98.37%，按 年度资金总额 全年执行数 421.67 / 全年预算数 428.71 应为 98.36%",
            printed="98.37%",
            expected="98.36%",
        ),
        id_="rate-mismatch",
    ),
    param(
        make_table(row(">=1 个", "1 个", "90"), funds=[fund("100", "95", score="10")]),
        "mof-2020",
        Finding(
            "funds-score-mismatch",
            "error",
            "funds",
            "年度资金总额",
            "执行率得分 10 与规则计算值 9.50 不符"
            "（执行率 95/100 = 95.00%，按比例 95.00% × 10 = 9.50）",
            printed="10",
            expected="9.50",
        ),
        id_="funds-score-mismatch",
    ),
    param(
        make_table(
            row(">=1 个", "1 个", "90"),
            funds=[
                fund("100", "90", label="合计"),
                part("其中：当年财政拨款", "60", "60"),
                part("其他资金", "30", "30"),
            ],
        ),
        "mof-2020",
        Finding(
            "funds-rows-inconsistent",
            "warning",
            "funds",
            "合计",
            "合计的全年预算数 100 与分项（其中：当年财政拨款、其他资金）之和 90 不符",
            printed="100",
            expected="90",
        ),
        id_="funds-rows-inconsistent",
    ),
    param(
        make_table(row(">=15 个", "6 个", "8", score="8")),
        "mof-2020",
        Finding(
            "score-mismatch",
            "error",
            "indicators[0]",
            "产出指标/数量指标/指标",
            "得分 8 与规则计算值 3.20 不符（实际 6 个 < 指标值 15 个，按完成比例 6/15 × 8 = 3.20）",
            printed="8",
            expected="3.20",
        ),
        id_="score-mismatch",
    ),
    param(
        make_table(row(">=1 个", "1 个", "10", score="12")),
        "mof-2020",
        Finding(
            "score-exceeds-weight",
            "error",
            "indicators[0]",
            "产出指标/数量指标/指标",
            "得分 12 超过分值 10",
            printed="12",
            expected="10",
        ),
        id_="score-exceeds-weight",
    ),
    param(
        make_table(row(">=1 个", "1 个", "90"), funds=[fund("100", "100", score="12")]),
        "mof-2020",
        Finding(
            "score-exceeds-weight",
            "error",
            "funds",
            "年度资金总额",
            "执行率得分 12 超过分值 10",
            printed="12",
            expected="10",
        ),
        id_="score-exceeds-weight-funds",
    ),
    param(
        make_table(row(">=1 个", "1 个", "90"), funds=[fund("100", "-5")]),
        "mof-2020",
        Finding(
            "negative-value",
            "error",
            "funds",
            "年度资金总额",
            "年度资金总额的全年执行数 -5 为负数",
            printed="-5",
        ),
        id_="negative-value-funds",
    ),
    param(
        make_table(row(">=1 个", "1 个", "10", score="-1")),
        "mof-2020",
        Finding(
            "negative-value",
            "error",
            "indicators[0]",
            "产出指标/数量指标/指标",
            "得分 -1 为负数",
            printed="-1",
        ),
        id_="negative-value-score",
    ),
    param(
        make_table(row(">=1 个", "1 个", "-10"), row(">=1 个", "1 个", "110", name="b")),
        "mof-2020",
        Finding(
            "negative-value",
            "error",
            "indicators[0]",
            "产出指标/数量指标/指标",
            "分值 -10 为负数",
            printed="-10",
        ),
        id_="negative-value-weight",
    ),
    param(
        make_table(
            row(">=1 个", "1 个", "90", score="90"),
            funds=[fund("100", "95", rate="95%", score="9.50")],
            total="100",
        ),
        "mof-2020",
        Finding(
            "total-mismatch",
            "error",
            "table",
            "测试项目",
            "总分印为 100，各项印刷得分之和为 99.50",
            printed="100",
            expected="99.50",
        ),
        id_="total-mismatch",
    ),
    param(
        make_table(row(">=1 个", "1 个", "95"), funds=[fund("100", "100")]),
        "mof-2020",
        Finding(
            "weights-not-100",
            "error",
            "table",
            "测试项目",
            "指标分值合计 95 加执行率分值 10 为 105，不为 100",
            printed="105",
            expected="100",
        ),
        id_="weights-not-100",
    ),
    param(
        make_table(row(">=1 个", "1 个", "90")),
        "mof-2020",
        Finding(
            "weights-not-100",
            "error",
            "table",
            "测试项目",
            "指标分值合计 90 加执行率分值 0 为 90，不为 100",
            printed="90",
            expected="100",
        ),
        id_="weights-not-100-no-funds",
    ),
    param(
        make_table(
            row(">=1 个", "1 个", "40", level1="产出指标(50分)"),
            benefit("有效提高", "有效提高", "50", level1="效益指标（50分）"),
        ),
        "mof-2020",
        Finding(
            "level-weight-mismatch",
            "warning",
            "table",
            "产出指标",
            "一级指标「产出指标」标注 50 分，下属指标分值之和为 40",
            printed="50",
            expected="40",
        ),
        id_="level-weight-mismatch",
    ),
    param(
        make_table(row(">=1 个", "1 个", "100")),
        "mof-2020",
        Finding(
            "level1-weights",
            "info",
            "table",
            "测试项目",
            T1 + "产出指标+成本指标 100（预期 50），效益指标 0（预期 30），满意度指标 0（预期 10）",
        ),
        id_="level1-weights",
    ),
    param(
        make_table(row("≥件700", "1 个", "100")),
        "mof-2020",
        Finding(
            "unparsed-cell",
            "error",
            "indicators[0]",
            "产出指标/数量指标/指标",
            "年度指标值「≥件700」无法读取："
            "cannot read target '≥件700': expected a number after '>='",
            printed="≥件700",
        ),
        id_="unparsed-cell-target",
    ),
    param(
        make_table(row(">=1 个", "1 个", "十分")),
        "mof-2020",
        Finding(
            "unparsed-cell",
            "error",
            "indicators[0]",
            "产出指标/数量指标/指标",
            "分值「十分」无法读取",
            printed="十分",
        ),
        id_="unparsed-cell-weight",
    ),
    param(
        make_table(row(">=1 个", "1 个", "90"), funds=[fund("100", "100", rate="百分百")]),
        "mof-2020",
        Finding(
            "unparsed-cell",
            "error",
            "funds",
            "年度资金总额",
            "年度资金总额的执行率「百分百」无法读取",
            printed="百分百",
        ),
        id_="unparsed-cell-funds",
    ),
    param(
        make_table(row(">=1 个", "/", "100")),
        "mof-2020",
        Finding(
            "blank-cell",
            "warning",
            "indicators[0]",
            "产出指标/数量指标/指标",
            "实际完成值为空（「/」）",
            printed="/",
        ),
        id_="blank-cell-actual",
    ),
    param(
        make_table(row(">=1 个", "1 个", "50", score="50"), row(">=1 个", "1 个", "50", name="b")),
        "mof-2020",
        Finding("blank-cell", "warning", "indicators[1]", "产出指标/数量指标/b", "得分为空"),
        id_="blank-cell-score",
    ),
    param(
        make_table(row(">=1 个", "1 个", "90"), funds=[fund("100", "")]),
        "mof-2020",
        Finding(
            "blank-cell",
            "warning",
            "funds",
            "年度资金总额",
            "执行率有分值，但年度资金总额的全年执行数为空",
        ),
        id_="blank-cell-funds",
    ),
    param(
        make_table(row("≥1 期", "=1%", "100")),
        "mof-2020",
        Finding(
            "unit-mismatch",
            "warning",
            "indicators[0]",
            "产出指标/数量指标/指标",
            f"指标值「≥1 期」的单位 期 与实际完成值「=1%」{UNIT}",
            printed="=1%",
            expected="≥1 期",
        ),
        id_="unit-mismatch",
    ),
    param(
        make_table(row("≥95%", "=950%", "100")),
        "mof-2020",
        Finding(
            "typo-suspect",
            "warning",
            "indicators[0]",
            "产出指标/数量指标/指标",
            "实际完成值「=950%」与指标值「≥95%」数字相同而小数点位置不同，疑似笔误",
            printed="=950%",
            expected="≥95%",
        ),
        id_="typo-suspect-above-100-percent",
    ),
    param(
        make_table(row("≥95%", "=9.5%", "100")),
        "mof-2020",
        Finding(
            "typo-suspect",
            "warning",
            "indicators[0]",
            "产出指标/数量指标/指标",
            "实际完成值「=9.5%」与指标值「≥95%」数字相同而小数点位置不同，疑似笔误",
            printed="=9.5%",
            expected="≥95%",
        ),
        id_="typo-suspect-point",
    ),
    param(
        make_table(row("≥95%", "0.98", "100")),
        "mof-2020",
        Finding(
            "share-suspect",
            "info",
            "indicators[0]",
            "产出指标/数量指标/指标",
            "实际完成值「0.98」没有单位，指标值「≥95%」是百分比：按 0.98% 计；若是比例，应写作 98%",
            printed="0.98",
            expected="≥95%",
        ),
        id_="share-suspect",
    ),
    param(
        make_table(row("<=90%", "=90%", "100", level2="时效指标", name="项目按时完成及时率")),
        "mof-2020",
        Finding(
            "direction-suspect",
            "warning",
            "indicators[0]",
            "产出指标/时效指标/项目按时完成及时率",
            "「项目按时完成及时率」越高越好，指标值却写作「<=90%」（上限）",
            printed="<=90%",
        ),
        id_="direction-suspect-rate",
    ),
    param(
        make_table(
            row(
                "<=90%",
                "=90%",
                "100",
                level1="满意度指标",
                level2="满意度指标",
                name="群众满意情况",
            )
        ),
        "mof-2020",
        Finding(
            "direction-suspect",
            "warning",
            "indicators[0]",
            "满意度指标/满意度指标/群众满意情况",
            "「群众满意情况」越高越好，指标值却写作「<=90%」（上限）",
            printed="<=90%",
        ),
        id_="direction-suspect-satisfaction",
    ),
    param(
        make_table(cost("≥300 元", "=300 元", "100", name="人均成本")),
        "mof-2020",
        Finding(
            "direction-suspect",
            "warning",
            "indicators[0]",
            "成本指标/经济成本指标/人均成本",
            "成本指标「人均成本」的金额指标值写作「≥300 元」（下限），成本通常是上限",
            printed="≥300 元",
        ),
        id_="direction-suspect-cost-at-least",
    ),
    param(
        make_table(benefit("进一步提高", "=100%", "100", name="熟识度")),
        "mof-2020",
        Finding(
            "qualitative-mismatch",
            "info",
            "indicators[0]",
            "效益指标/社会效益指标/熟识度",
            "定性指标值「进一步提高」配了数值实际完成值「=100%」",
            printed="=100%",
        ),
        id_="qualitative-mismatch-numeric-actual",
    ),
    param(
        make_table(benefit(">=90%", "已完成", "100", name="覆盖率")),
        "mof-2020",
        Finding(
            "qualitative-mismatch",
            "info",
            "indicators[0]",
            "效益指标/社会效益指标/覆盖率",
            "定量指标值「>=90%」配了文字实际完成值「已完成」",
            printed="已完成",
        ),
        id_="qualitative-mismatch-text-actual",
    ),
    param(
        make_table(benefit("有效提高", "有效提高", "100", score="70", deviation_note="略")),
        "mof-2020",
        Finding(
            "qualitative-mismatch",
            "info",
            "indicators[0]",
            "效益指标/社会效益指标/指标",
            "定性指标实际读作达成，应在分值的 80%–100% 之间，印刷得分 70 为分值 100 的 70.00%",
            printed="70",
        ),
        id_="qualitative-mismatch-band",
    ),
    param(
        make_table(row(">=20 家", "29 家", "100", score="100")),
        "mof-2020",
        Finding(
            "overshoot",
            "warning",
            "indicators[0]",
            "产出指标/数量指标/指标",
            "实际 29 家 超出指标值 >=20 家 45.00%，超过 30%，未说明偏差原因",
            printed="29 家",
            expected=">=20 家",
        ),
        id_="overshoot-without-note",
    ),
    param(
        make_table(row(">=20 家", "29 家", "100", score="100", deviation_note="无")),
        "mof-2020",
        Finding(
            "overshoot",
            "warning",
            "indicators[0]",
            "产出指标/数量指标/指标",
            "实际 29 家 超出指标值 >=20 家 45.00%，超过 30%，未说明偏差原因",
            printed="29 家",
            expected=">=20 家",
        ),
        id_="overshoot-note-says-nothing",
    ),
    param(
        make_table(row(">=20 家", "29 家", "100", score="100", deviation_note="超额完成")),
        "mof-2020",
        Finding(
            "overshoot",
            "info",
            "indicators[0]",
            "产出指标/数量指标/指标",
            "实际 29 家 超出指标值 >=20 家 45.00%，超过 30%，已说明偏差原因",
            printed="29 家",
            expected=">=20 家",
        ),
        id_="overshoot-with-note",
    ),
    param(
        make_table(cost("≤1 万元", "=5000 元", "100")),
        "mof-2020",
        Finding(
            "overshoot",
            "warning",
            "indicators[0]",
            "成本指标/经济成本指标/指标",
            "实际 =5000 元 低于指标值 ≤1 万元 50.00%，超过 30%，未说明偏差原因",
            printed="=5000 元",
            expected="≤1 万元",
        ),
        id_="overshoot-below-at-most",
    ),
    param(
        make_table(row(">=6 个", "1 个", "100", score="16.67", deviation_note="/")),
        "mof-2020",
        Finding(
            "missing-deviation-note",
            "warning",
            "indicators[0]",
            "产出指标/数量指标/指标",
            "得分 16.67 低于分值 100，未填写偏差原因分析",
            printed="16.67",
        ),
        id_="missing-deviation-note",
    ),
    param(
        make_table(row(">=6 次", "=6 次", "100", score="100.00", deviation_note=PAUSED)),
        "mof-2020",
        Finding(
            "note-on-full-score",
            "info",
            "indicators[0]",
            "产出指标/数量指标/指标",
            "得分为满分 100.00，却填写了偏差说明「项目2023年 9月暂停。」",
        ),
        id_="note-on-full-score",
    ),
    param(
        make_table(
            *(row(">=6 个", "1 个", "30", name=f"r{i}", deviation_note=PAUSED) for i in range(3))
        ),
        "mof-2020",
        Finding(
            "boilerplate-note",
            "info",
            "table",
            "测试项目",
            "同一偏差说明「项目2023年 9月暂停。」粘贴在 3 行（第 1、2、3 行）",
        ),
        id_="boilerplate-note",
    ),
    param(
        make_table(
            row("有效", "=100%", "100", level1="成本指标", level2="社会成本指标", name="改善环境")
        ),
        "mof-2020",
        Finding(
            "qualitative-cost",
            "info",
            "indicators[0]",
            "成本指标/社会成本指标/改善环境",
            "成本指标「改善环境」的指标值「有效」未量化，看起来是效益内容",
            printed="有效",
        ),
        id_="qualitative-cost",
    ),
    param(
        make_table(row(">=1 个", "1 个", "100", level1="效益指标", level2="数量指标")),
        "mof-2020",
        Finding(
            "category-mismatch",
            "warning",
            "indicators[0]",
            "效益指标/数量指标/指标",
            "二级指标「数量指标」应属于产出指标，却在「效益指标」下",
        ),
        id_="category-mismatch",
    ),
    param(
        make_table(cost("<=1 万元", "1 万元", "100", level1="产出指标"), year=2023),
        "mof-2020",
        Finding(
            "category-mismatch",
            "warning",
            "indicators[0]",
            "产出指标/经济成本指标/指标",
            "二级指标「经济成本指标」应属于成本指标，却在「产出指标」下",
        ),
        id_="category-mismatch-cost-since-2021",
    ),
    param(
        make_table(cost("<=1 万元", "1 万元", "100", level1="效益指标"), year=2020),
        "mof-2020",
        Finding(
            "category-mismatch",
            "warning",
            "indicators[0]",
            "效益指标/经济成本指标/指标",
            "二级指标「经济成本指标」应属于产出指标或成本指标，却在「效益指标」下",
        ),
        id_="category-mismatch-cost-before-2021",
    ),
    param(
        make_table(
            row(">=1 个", "1 个", "50", name="培训人次"),
            row(">=2 个", "2 个", "50", name="培训 人次"),
        ),
        "mof-2020",
        Finding(
            "duplicate-indicator",
            "warning",
            "indicators[1]",
            "产出指标/数量指标/培训 人次",
            "三级指标「培训 人次」与第 1 行重复",
        ),
        id_="duplicate-indicator",
    ),
    param(
        make_table(*THREE_COPIED),
        "mof-2020",
        Finding(
            "copied-actuals",
            "info",
            "table",
            "测试项目",
            "全部 3 个定量指标的实际完成值都与指标值相同，疑似照抄",
        ),
        id_="copied-actuals",
    ),
    param(
        make_table(row(">=20 家", "29 家", "100", name=SME, deviation_note="超额"), goal=GOAL),
        "mof-2020",
        Finding(
            "narrative-mismatch",
            "info",
            "indicators[0]",
            f"产出指标/数量指标/{SME}",
            "年度目标完成情况写「…20家…」，指标表实际完成值为「29 家」",
            printed="29 家",
            expected="20家",
        ),
        id_="narrative-mismatch",
    ),
    # unknown-column: a CSV column headed 得分（复核） (not a unit: the column is unknown)
    # is kept as an extra key; the 100 it prints is not the row's score.
    param(
        make_table(row(">=1 个", "1 个", "100", score="100", **{"得分（复核）": "90"})),
        "mof-2020",
        Finding(
            "unknown-column",
            "warning",
            "indicators[0]",
            "产出指标/数量指标/指标",
            "未知的列或字段「得分（复核）」：已原样保留，但不用于计分和复核",
            printed="90",
        ),
        id_="unknown-column",
    ),
    # no-weights: a form without a 分值 column, every row's weight blank: one finding for
    # the table, not a blank cell on every row.
    param(
        make_table(row(">=1 个", "1 个", ""), row(">=2 个", "2 个", "", name="另一")),
        "mof-2020",
        Finding(
            "no-weights",
            "warning",
            "table",
            "测试项目",
            "表中没有分值（2 行指标的分值均为空，或表格没有分值列），各指标无法按规则计分，"
            "总分只含执行率",
        ),
        id_="no-weights",
    ),
]


@pytest.mark.parametrize(("table", "profile", "expected"), FIRES)
def test_check_fires_on_a_minimal_table(table, profile, expected):
    """A minimal table with the anomaly gets the finding, every field as given."""
    assert expected in found(audit(table, profile=profile), expected.id, expected.where)


# ... and stays quiet on a near miss.

QUIET = [
    param(
        make_table(row(">=1 个", "1" + "0" * (MAX_DIGITS - 1) + " 个", "100", score="100")),
        "mof-2020",
        "number-out-of-range",
        id_="number-out-of-range-widest-cell",
    ),
    # rate-mismatch: rounding half up, half even or cut at the printed places all pass;
    # a bare number up to 1.5 is a fraction, above it a percentage.
    *(
        param(
            make_table(row(">=1 个", "1 个", "90"), funds=[fund(*RATE_FUNDS, rate=rate)]),
            "mof-2020",
            "rate-mismatch",
            id_=f"rate-mismatch-{rate}",
        )
        for rate in (
            "98.36%",
            "98.35%",
            "98.4%",
            "98.3%",
            "98%",
            "98.3578%",
            "0.9836",
            "0.9835",
            "0.98",
            "98.36",
        )
    ),
    # 99.61% printed as 99% (cut) or 100% (rounded).
    *(
        param(
            make_table(row(">=1 个", "1 个", "90"), funds=[fund("28.42", "28.31", rate=rate)]),
            "mof-2020",
            "rate-mismatch",
            id_=f"rate-mismatch-99.61-as-{rate}",
        )
        for rate in ("99%", "100%", "99.6%")
    ),
    # A rate printed on a component row may be that row's own.
    param(
        make_table(
            row(">=1 个", "1 个", "90"),
            funds=[
                part("年度资金总额", "100", "90"),
                part("其中：当年财政拨款", "60", "60", weight="10", rate="100%", score="9"),
                part("其他资金", "40", "30"),
            ],
        ),
        "mof-2020",
        "rate-mismatch",
        id_="rate-mismatch-component-row-own-rate",
    ),
    param(
        make_table(row(">=1 个", "1 个", "90"), funds=[fund("100", "95", score="9.50")]),
        "mof-2020",
        "funds-score-mismatch",
        id_="funds-score-mismatch-proportional",
    ),
    param(
        make_table(row(">=1 个", "1 个", "90"), funds=[fund("100", "95", score="10")]),
        "changji-2023",
        "funds-score-mismatch",
        id_="funds-score-mismatch-interval-full-from-90",
    ),
    # Each of two parts may be off by half a unit of the last printed place.
    param(
        make_table(
            row(">=1 个", "1 个", "90"),
            funds=[
                fund("100.01", "90.00"),
                part("其中：当年财政拨款", "60.00", "50.00"),
                part("其他资金", "40.00", "40.00"),
            ],
        ),
        "mof-2020",
        "funds-rows-inconsistent",
        id_="funds-rows-inconsistent-within-rounding",
    ),
    param(
        make_table(
            row(">=1 个", "1 个", "90"),
            funds=[
                part("其中：当年财政拨款", "60", "50", weight="10"),
                part("其他资金", "30", "40"),
            ],
        ),
        "mof-2020",
        "funds-rows-inconsistent",
        id_="funds-rows-inconsistent-no-total-row",
    ),
    param(
        make_table(row(">=15 个", "6 个", "8", score="3.20")),
        "mof-2020",
        "score-mismatch",
        id_="score-mismatch-proportional",
    ),
    param(
        make_table(row(">=15 个", "6 个", "8", score="0")),
        "changji-2023",
        "score-mismatch",
        id_="score-mismatch-all-or-nothing",
    ),
    param(
        make_table(row(">=1 个", "1 个", "10", score="10.00")),
        "mof-2020",
        "score-exceeds-weight",
        id_="score-exceeds-weight-full",
    ),
    param(
        make_table(row(">=1 个", "1 个", "90"), funds=[fund("100", "100", score="10.00")]),
        "mof-2020",
        "score-exceeds-weight",
        id_="score-exceeds-weight-funds-full",
    ),
    param(
        make_table(
            row(">=1 个", "1 个", "90", score="0.00"),
            funds=[fund("0.00", "0.00", rate="0.00%", score="0.00")],
        ),
        "mof-2020",
        "negative-value",
        id_="negative-value-zeros",
    ),
    param(
        make_table(
            row(">=1 个", "1 个", "90", score="90"),
            funds=[fund("100", "95", rate="95%", score="9.50")],
            total="99.50 分",
        ),
        "mof-2020",
        "total-mismatch",
        id_="total-mismatch-with-unit",
    ),
    # A row without a printed score: the total cannot be checked.
    param(
        make_table(
            row(">=1 个", "1 个", "50", score="50"), row(">=1 个", "1 个", "50"), total="60"
        ),
        "mof-2020",
        "total-mismatch",
        id_="total-mismatch-unprinted-score",
    ),
    param(
        make_table(row(">=1 个", "1 个", "90"), funds=[fund("100", "100")]),
        "mof-2020",
        "weights-not-100",
        id_="weights-not-100-ninety-plus-ten",
    ),
    param(
        make_table(
            row(">=1 个", "1 个", "45%"),
            row(">=1 个", "1 个", "45%", name="b"),
            funds=[fund("100", "100")],
        ),
        "mof-2020",
        "weights-not-100",
        id_="weights-not-100-percent-weights",
    ),
    param(
        make_table(
            row(">=1 个", "1 个", "40", level1="产出指标（100分）"),
            row(">=1 个", "1 个", "60", level1="产出指标", name="b"),
        ),
        "mof-2020",
        "level-weight-mismatch",
        id_="level-weight-mismatch-label-on-first-row-only",
    ),
    param(
        make_table(
            row(">=1 个", "1 个", "30"),
            cost("<=1 万元", "1 万元", "20"),
            benefit("有效提高", "有效提高", "30"),
            row(">=90%", "=90%", "10", level1="满意度指标", level2="满意度指标"),
            funds=[fund("100", "100")],
        ),
        "mof-2020",
        "level1-weights",
        id_="level1-weights-expected-mix",
    ),
    param(
        make_table(row(">=1 个", "1 个", "100", level1="履职效能"), kind="department"),
        "mof-2020",
        "level1-weights",
        id_="level1-weights-department-table",
    ),
    param(
        make_table(row("≥700 件", "=1,044 件", "10分")),
        "mof-2020",
        "unparsed-cell",
        id_="unparsed-cell-readable",
    ),
    param(
        make_table(row(">=1 个", "1 个", "50"), row(">=1 个", "1 个", "50", name="b")),
        "mof-2020",
        "blank-cell",
        id_="blank-cell-no-score-printed-anywhere",
    ),
    param(
        make_table(row(">=1 个", "1 个", "90"), funds=[part("年度资金总额", "100", "")]),
        "mof-2020",
        "blank-cell",
        id_="blank-cell-funds-without-weight",
    ),
    param(
        make_table(cost("≤1 万元", "=9000 元", "100")),
        "mof-2020",
        "unit-mismatch",
        id_="unit-mismatch-convertible",
    ),
    param(
        make_table(row("≥1 期", "=1 期", "100")),
        "mof-2020",
        "unit-mismatch",
        id_="unit-mismatch-same-unit",
    ),
    param(
        make_table(row("≥100 个", "=10 个", "100")),
        "mof-2020",
        "typo-suspect",
        id_="typo-suspect-whole-numbers",
    ),
    param(
        make_table(row("≤5%", "0.5", "100")),  # against a low percentage, as likely 0.5%
        "mof-2020",
        "share-suspect",
        id_="share-suspect-low-target",
    ),
    param(
        make_table(row("≥95%", "=90%", "100")),
        "mof-2020",
        "typo-suspect",
        id_="typo-suspect-other-digits",
    ),
    # The seed's 14 row 3 (line 3371): <=0.60 万元 =0.6 万元 is the same amount.
    param(seed("14"), "mof-2020", "typo-suspect", id_="typo-suspect-trailing-zero"),
    param(
        make_table(row(">=90%", "=90%", "100", level2="时效指标", name="项目按时完成及时率")),
        "mof-2020",
        "direction-suspect",
        id_="direction-suspect-at-least-rate",
    ),
    param(
        make_table(cost("<=5 万元", "=5 万元", "100", name="培训经费")),
        "mof-2020",
        "direction-suspect",
        id_="direction-suspect-cost-at-most",
    ),
    param(
        make_table(cost(">=95%", "=95%", "100", name="单位预算成本控制率")),
        "mof-2020",
        "direction-suspect",
        id_="direction-suspect-cost-percentage",
    ),
    param(
        make_table(benefit(">=5 万元", "=5 万元", "100", name="带动收入")),
        "mof-2020",
        "direction-suspect",
        id_="direction-suspect-money-not-cost",
    ),
    param(
        make_table(benefit("有效提高", "有效提高", "100", score="100")),
        "mof-2020",
        "qualitative-mismatch",
        id_="qualitative-mismatch-words-both",
    ),
    param(
        make_table(benefit("有效提高", "基本完成", "100", score="70", deviation_note="略")),
        "mof-2020",
        "qualitative-mismatch",
        id_="qualitative-mismatch-partial-in-band",
    ),
    # 80% is the achieved band's lower end: a score-mismatch, but inside the band.
    param(
        make_table(benefit("有效提高", "有效提高", "100", score="80", deviation_note="略")),
        "mof-2020",
        "qualitative-mismatch",
        id_="qualitative-mismatch-band-edge",
    ),
    # Exactly 30% beyond is not more than 30%.
    param(
        make_table(row(">=20 家", "26 家", "100", score="100")),
        "mof-2020",
        "overshoot",
        id_="overshoot-at-threshold",
    ),
    param(
        make_table(row(">=1 册", "=100%", "100", score="100")),
        "mof-2020",
        "overshoot",
        id_="overshoot-units-incompatible",
    ),
    param(
        make_table(row("=20 家", "29 家", "100", score="68.97")),
        "mof-2020",
        "overshoot",
        id_="overshoot-equal-target",
    ),
    param(
        make_table(row(">=6 个", "1 个", "100", score="16.67", deviation_note="项目暂停")),
        "mof-2020",
        "missing-deviation-note",
        id_="missing-deviation-note-noted",
    ),
    param(
        make_table(row(">=6 个", "6 个", "100", score="100")),
        "mof-2020",
        "missing-deviation-note",
        id_="missing-deviation-note-full-score",
    ),
    param(
        make_table(row(">=6 次", "=6 次", "100", score="100", deviation_note="无")),
        "mof-2020",
        "note-on-full-score",
        id_="note-on-full-score-note-says-nothing",
    ),
    # A note on an overshooting full-score row explains the overshoot.
    param(
        make_table(row(">=20 家", "29 家", "100", score="100", deviation_note="超额完成")),
        "mof-2020",
        "note-on-full-score",
        id_="note-on-full-score-overshoot",
    ),
    param(
        make_table(
            *(row(">=6 个", "1 个", "45", name=f"r{i}", deviation_note=PAUSED) for i in range(2))
        ),
        "mof-2020",
        "boilerplate-note",
        id_="boilerplate-note-two-rows",
    ),
    param(
        make_table(
            *(row(">=6 个", "6 个", "30", name=f"r{i}", deviation_note="无") for i in range(3))
        ),
        "mof-2020",
        "boilerplate-note",
        id_="boilerplate-note-empty-notes",
    ),
    param(
        make_table(benefit("有效", "=100%", "100")),
        "mof-2020",
        "qualitative-cost",
        id_="qualitative-cost-benefit-row",
    ),
    param(
        make_table(cost("<=1 万元", "=1 万元", "100")),
        "mof-2020",
        "qualitative-cost",
        id_="qualitative-cost-quantified",
    ),
    param(
        make_table(cost("<=1 万元", "1 万元", "100", level1="产出指标"), year=2020),
        "mof-2020",
        "category-mismatch",
        id_="category-mismatch-cost-under-output-before-2021",
    ),
    param(
        make_table(
            row("<=1 万元", "1 万元", "100", level2="成本指标"),
            year=2023,
        ),
        "mof-2020",
        "category-mismatch",
        id_="category-mismatch-plain-cost-under-output",
    ),
    param(
        make_table(
            row(">=1 个", "1 个", "100", level1="履职效能", level2="社会效益指标"),
            kind="department",
        ),
        "mof-2020",
        "category-mismatch",
        id_="category-mismatch-department-level1",
    ),
    param(
        make_table(
            row(">=1 个", "1 个", "50", name="培训人次"),
            row(">=1 个", "1 个", "50", level2="质量指标", name="培训人次"),
        ),
        "mof-2020",
        "duplicate-indicator",
        id_="duplicate-indicator-other-level2",
    ),
    param(
        make_table(*THREE_COPIED[:2], benefit("有效提高", "有效提高", "30")),
        "mof-2020",
        "copied-actuals",
        id_="copied-actuals-two-numeric-rows",
    ),
    param(
        make_table(*THREE_COPIED[:2], cost("<=4.6 万元", "=4.5 万元", "30")),
        "mof-2020",
        "copied-actuals",
        id_="copied-actuals-one-differs",
    ),
    param(
        make_table(row(">=20 家", "20 家", "100", name=SME), goal=GOAL),
        "mof-2020",
        "narrative-mismatch",
        id_="narrative-mismatch-same-number",
    ),
    param(
        make_table(row(">=20 个", "29 个", "100", name=SME, deviation_note="超额"), goal=GOAL),
        "mof-2020",
        "narrative-mismatch",
        id_="narrative-mismatch-other-unit",
    ),
    param(
        make_table(
            row(">=20 家", "29 家", "100", name=SME, deviation_note="超额"),
            goal={"expected": GOAL["achieved"]},
        ),
        "mof-2020",
        "narrative-mismatch",
        id_="narrative-mismatch-no-achieved-text",
    ),
    param(
        make_table(
            row(">=1 个", "1 个", "100", score="100"),
            funds=[fund("10", "10", "0", score="0")],
            goal={"expected": "目标"},
        ),
        "mof-2020",
        "unknown-column",
        id_="unknown-column-no-extra-keys",
    ),
    param(
        make_table(row(">=1 个", "1 个", ""), row(">=2 个", "2 个", "10", name="另一")),
        "mof-2020",
        "no-weights",
        id_="no-weights-one-weight-printed",
    ),
]


@pytest.mark.parametrize(("table", "profile", "check"), QUIET)
def test_check_is_quiet_on_a_near_miss(table, profile, check):
    """A near miss of an anomaly does not raise that check."""
    assert check not in ids(audit(table, profile=profile))


def test_every_check_is_tested_firing_and_quiet():
    """Every id in CHECKS has a synthetic table that fires it and a near miss that does not."""
    fired = {p.values[2].id for p in FIRES}
    quiet = {p.values[2] for p in QUIET}
    assert fired == set(CHECKS) == quiet
    assert len(CHECKS) == 29


# ---------------------------------------------------------------------------------
# 3. Rates as printed

RATE_MISMATCHES = [
    ("98.37%", RATE_FUNDS, "98.36%"),
    ("98.2%", RATE_FUNDS, "98.4%"),  # neither 98.4 (rounded) nor 98.3 (cut)
    ("97%", RATE_FUNDS, "98%"),
    ("0.9837", RATE_FUNDS, "98.36%"),  # a fraction: 98.37%
    ("1", RATE_FUNDS, "98%"),  # a fraction: 100%
    ("99.7%", ("28.42", "28.31"), "99.6%"),
]


@pytest.mark.parametrize(("rate", "amounts", "expected"), RATE_MISMATCHES)
def test_rate_mismatch_names_the_rate_at_the_printed_places(rate, amounts, expected):
    """A printed 执行率 no rounding of the amounts gives is reported at its own places."""
    budget, executed = amounts
    table = make_table(row(">=1 个", "1 个", "90"), funds=[fund(budget, executed, rate=rate)])
    message = (
        f"执行率印为 {rate}，按 年度资金总额 全年执行数 {executed} / 全年预算数 {budget} "
        f"应为 {expected}"
    )
    assert found(audit(table), "rate-mismatch") == [
        Finding(
            "rate-mismatch",
            "error",
            "funds",
            "年度资金总额",
            message,
            printed=rate,
            expected=expected,
        )
    ]


def test_funds_rows_inconsistent_reports_each_column():
    """Each of 年初预算数, 全年预算数 and 全年执行数 that misses its parts' sum is reported."""
    table = make_table(
        row(">=1 个", "1 个", "90"),
        funds=[
            fund("100.02", "90.00"),
            part("其中：当年财政拨款", "60.00", "50.00"),
            part("其他资金", "40.00", "40.00"),
        ],
    )
    findings = found(audit(table), "funds-rows-inconsistent")
    assert [f.message for f in findings] == [
        "年度资金总额的年初预算数 100.02 与分项（其中：当年财政拨款、其他资金）之和 100.00 不符",
        "年度资金总额的全年预算数 100.02 与分项（其中：当年财政拨款、其他资金）之和 100.00 不符",
    ]
    assert {(f.severity, f.where, f.printed, f.expected) for f in findings} == {
        ("warning", "funds", "100.02", "100.00")
    }


# ---------------------------------------------------------------------------------
# 4. Tuning through the profile

TUNED = loads_profile(
    'extends = "changji-2023"\n[audit.severity]\n"level1-weights" = "off"\n"overshoot" = "error"\n'
)


def test_severity_override_silences_a_check():
    """A check set to off is dropped from every table's findings."""
    for prefix in FILES:
        assert "level1-weights" not in ids(audit(seed(prefix), profile=TUNED))


@pytest.mark.parametrize(
    ("prefix", "where", "default", "tuned"),
    [("01", "indicators[1]", "warning", "error"), ("02", "indicators[0]", "info", "info")],
)
def test_severity_override_changes_a_severity(prefix, where, default, tuned):
    """An override replaces the severity; an explained overshoot stays info."""
    (before,) = found(audit(seed(prefix), profile="changji-2023"), "overshoot", where)
    (after,) = found(audit(seed(prefix), profile=TUNED), "overshoot", where)
    assert before.severity == default
    assert after == Finding(
        before.id,
        tuned,
        before.where,
        before.path,
        before.message,
        printed=before.printed,
        expected=before.expected,
    )


def test_severity_override_leaves_other_findings_alone():
    """Apart from the overridden ids, a tuned profile reports what its base reports."""
    base = audit(seed("02"), profile="changji-2023")
    tuned = audit(seed("02"), profile=TUNED)
    untouched = ("level1-weights", "overshoot")
    assert [f for f in tuned.findings if f.id not in untouched] == [
        f for f in base.findings if f.id not in untouched
    ]
    assert tuned.has_errors
    assert tuned.count("error") == base.count("error")  # 02's overshoot is explained: info


TOLERANT = loads_profile('extends = "mof-2020"\n[audit]\nscore_tolerance = 0.01\n')


@pytest.mark.parametrize(
    ("printed", "profile", "reported"),
    [
        ("3.20", "mof-2020", False),
        ("3.21", "mof-2020", True),
        ("3.21", TOLERANT, False),
        ("3.19", TOLERANT, False),
        ("3.22", TOLERANT, True),
    ],
)
def test_score_tolerance_lets_a_close_row_score_pass(printed, profile, reported):
    """A printed row score within score_tolerance of the rule's 3.20 passes."""
    table = make_table(row(">=15 个", "6 个", "8", score=printed))
    assert bool(found(audit(table, profile=profile), "score-mismatch")) is reported


@pytest.mark.parametrize(("profile", "reported"), [("mof-2020", True), (TOLERANT, False)])
def test_score_tolerance_covers_funds_score_and_total(profile, reported):
    """score_tolerance applies to the 执行率 score and to the printed total as well."""
    table = make_table(
        row(">=1 个", "1 个", "90", score="90"),
        funds=[fund(*RATE_FUNDS, rate="98.36%", score="9.85")],
        total="99.84",
    )
    report = audit(table, profile=profile)
    assert bool(found(report, "funds-score-mismatch")) is reported
    assert bool(found(report, "total-mismatch")) is reported


@pytest.mark.parametrize(
    ("minimum", "rows", "reported"),
    [(2, 2, True), (3, 2, False), (3, 3, True), (4, 3, False)],
)
def test_boilerplate_min_rows(minimum, rows, reported):
    """The same note is boilerplate from boilerplate_min_rows rows on."""
    profile = loads_profile(f'extends = "mof-2020"\n[audit]\nboilerplate_min_rows = {minimum}\n')
    table = make_table(
        *(row(">=6 个", "1 个", "10", name=f"r{i}", deviation_note=PAUSED) for i in range(rows))
    )
    assert bool(found(audit(table, profile=profile), "boilerplate-note")) is reported


def test_boilerplate_min_rows_on_the_seed():
    """09 pastes its note on 5 rows: reported from 5 rows up, not from 6."""
    five = loads_profile('extends = "changji-2023"\n[audit]\nboilerplate_min_rows = 5\n')
    six = loads_profile('extends = "changji-2023"\n[audit]\nboilerplate_min_rows = 6\n')
    assert found(audit(seed("09"), profile=five), "boilerplate-note")
    assert not found(audit(seed("09"), profile=six), "boilerplate-note")


# ---------------------------------------------------------------------------------
# 5. The report


def _position(where: str) -> tuple[int, int]:
    if where == "funds":
        return (0, 0)
    if where == "table":
        return (2, 0)
    return (1, int(where.removeprefix("indicators[").removesuffix("]")))


ORDERED = make_table(
    row(">=1 个", "1 个", "40", score="50"),
    row(">=1 个", "/", "40", name="b"),
    row(">=1 个", "1 个", "10", score="11", name="c"),
    funds=[fund("100", "90", rate="80%", score="10")],
    total="1",
)


def test_findings_come_funds_first_then_rows_in_order_then_table():
    """Funds findings come first, then rows by index, then the table's."""
    report = audit(ORDERED, profile="mof-2020")
    wheres = [finding.where for finding in report.findings]
    assert wheres[0] == "funds"
    assert wheres[-1] == "table"
    assert wheres == sorted(wheres, key=_position)
    assert {"funds", "indicators[0]", "indicators[1]", "indicators[2]", "table"} == set(wheres)


@pytest.mark.parametrize("prefix", ["01", "02"])
def test_seed_findings_follow_the_documented_order(prefix):
    """AuditReport.findings: funds first, then rows in order, then the table."""
    wheres = [finding.where for finding in audit(seed(prefix), profile="changji-2023").findings]
    assert wheres == sorted(wheres, key=_position)


def test_finding_to_dict_has_the_report_keys_in_order():
    """Finding.to_dict gives the perfscore.report/1 keys, in order, with the field values."""
    finding = found(audit(seed("02"), profile="changji-2023"), "score-mismatch")[0]
    assert finding.to_dict() == {
        "id": "score-mismatch",
        "severity": "error",
        "where": "indicators[0]",
        "path": "产出指标/数量指标/参赛样品数量",
        "printed": "0.00",
        "expected": "10.00",
        "message": finding.message,
    }
    assert list(finding.to_dict()) == [
        "id",
        "severity",
        "where",
        "path",
        "printed",
        "expected",
        "message",
    ]


def test_finding_is_an_immutable_value():
    """A finding cannot be changed in place; _replace makes a changed copy."""
    finding = found(audit(seed("02"), profile="changji-2023"), "score-mismatch")[0]
    with pytest.raises(AttributeError):
        finding.severity = "info"  # type: ignore[misc]
    quieter = finding._replace(severity="info")
    assert (quieter.severity, finding.severity) == ("info", "error")
    assert quieter._replace(severity="error") == finding
    assert hash(quieter._replace(severity="error")) == hash(finding)
    assert pickle.loads(pickle.dumps(finding)) == finding  # noqa: S301 - our own bytes


def test_report_counts_and_filters_by_severity():
    """count, at_least and has_errors agree with the findings (09 under changji-2023)."""
    report = audit(seed("09"), profile="changji-2023")
    assert (report.count("error"), report.count("warning"), report.count("info")) == (1, 3, 5)
    assert report.has_errors
    assert [f.id for f in report.at_least("error")] == ["score-mismatch"]
    assert [(f.id, f.where) for f in report.at_least("warning")] == [
        ("unit-mismatch", "indicators[0]"),
        ("unit-mismatch", "indicators[1]"),
        ("typo-suspect", "indicators[3]"),
        ("score-mismatch", "indicators[6]"),
    ]
    assert report.at_least("info") == report.findings
    assert sum(report.count(severity) for severity in SEVERITIES) == len(report.findings)


def test_report_without_errors():
    """A table with only infos has no errors and nothing at warning level or above."""
    report = audit(seed("14"), profile="changji-2023")
    assert not report.has_errors
    assert report.at_least("warning") == ()
    assert report.count("info") == len(report.findings) == 3


def test_report_keeps_table_and_profile():
    """The report holds the table audited and the resolved profile."""
    report = audit(seed("02"), profile=TUNED)
    assert report.table is seed("02")
    assert report.profile is TUNED
    assert report.scorecard.table is seed("02")


def test_report_html_lists_every_finding():
    """_repr_html_ shows each finding's id and its (escaped) message."""
    report = audit(seed("02"), profile="changji-2023")
    page = report._repr_html_()
    for finding in report.findings:
        assert finding.id in page
        assert html.escape(finding.message) in page


def test_report_to_dict_filters_findings():
    """AuditReport.to_dict keeps the findings at or above min_severity."""
    report = audit(seed("02"), profile="changji-2023")
    entry = report.to_dict(min_severity="warning")
    assert entry["findings"] == [f.to_dict() for f in report.at_least("warning")]
    assert len(report.to_dict()["findings"]) == len(report.findings)


# ---------------------------------------------------------------------------------
# 6. Odd tables never raise

ODD = [
    param(make_table(row("", "", "", score="")), id_="all-blank"),
    param(
        make_table(
            row("/", "/", "/", score="/"),
            funds=[fund("", "", "", rate="", score="")],
            total="",
        ),
        id_="all-not-applicable",
    ),
    param(
        make_table(
            row(">=0 个", "0 个", "0", score="0"),
            funds=[fund("0", "0", "0", rate="0%", score="0")],
            total="0",
        ),
        id_="all-zero",
    ),
    param(
        make_table(benefit("有效提高", "有效提高", "0", score="0")), id_="qualitative-zero-weight"
    ),
    param(make_table(cost("<=0 万元", "=0 万元", "100", score="100")), id_="zero-cost-target"),
    param(make_table(row(">=1 个", "1 个", "20%", score="20%"), kind="department"), id_="percent"),
    param(
        make_table(row(">=1 个", "1 个", "100", score="100", name=""), goal={"achieved": "1个"}),
        id_="nameless-row",
    ),
    param(
        make_table(
            row(">=1 个", "1 个", "100", score="100"),
            funds=[part("年度资金总额", "", "", rate="-", score="-")],
        ),
        id_="blank-funds",
    ),
    param(
        make_table(
            row(">=1 个", "1 个", "90", score="90"),
            funds=[fund("一百", "1" + "0" * 400, rate="百分百", score="满分")],
        ),
        id_="unreadable-and-huge-funds",
    ),
    param(
        make_table(row(">=" + "9" * 400 + " 个", "1 个", "9" * 400, score="9" * 400)),
        id_="huge-row",
    ),
]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("table", ODD)
def test_audit_never_raises_on_odd_tables(table, profile):
    """Blank, zero, unreadable or huge cells become findings, not exceptions."""
    report = audit(table, profile=profile)
    assert isinstance(report, AuditReport)
    assert all(finding.id in CHECKS for finding in report.findings)


def test_an_empty_table_does_not_load():
    """A table needs indicator rows: there is no row-less table to audit."""
    with pytest.raises(TableFormatError) as caught:
        make_table()
    assert [problem.problem for problem in caught.value.exceptions] == [
        "a table needs at least one indicator row"
    ]


CRASHES = [
    # overshoot: (actual − target) / target × 100 quantized in a 60-digit context
    param(make_table(row(">=1 个", "1" + "0" * 60 + " 个", "100", score="100")), id_="overshoot"),
    # the qualitative band: printed / weight as a percentage
    param(
        make_table(benefit("有效提高", "有效提高", "1", score="1" + "0" * 70)),
        id_="qualitative-band",
    ),
    # the printed rate's places: 98.333… with 62 decimals
    param(
        make_table(
            row(">=1 个", "1 个", "90"), funds=[fund(*RATE_FUNDS, rate="98." + "3" * 62 + "%")]
        ),
        id_="rate-places",
    ),
]


@pytest.mark.parametrize("table", CRASHES)
def test_audit_never_raises_on_extreme_numbers(table):
    """Numbers beyond the audit's precision become findings, not exceptions."""
    assert isinstance(audit(table), AuditReport)


# ---------------------------------------------------------------------------------
# 7. Behaviour fixed after review (these were strict xfails)


@pytest.mark.parametrize("name", ["产品不合格率", "群众不满意率", "任务未完成率"])
def test_direction_suspect_spares_negated_rates(name):
    """A <= cap on a rate where less is better (不合格率) is not a contradiction."""
    table = make_table(row("<=2%", "=1.5%", "100", score="100", level2="质量指标", name=name))
    assert "direction-suspect" not in ids(audit(table))


def test_qualitative_band_agrees_with_the_profiles_own_score():
    """Under changji-2023 a partial row printed at the profile's own score is in its band."""
    table = make_table(benefit("有效提高", "基本完成", "100", score="0", deviation_note="略"))
    report = audit(table, profile="changji-2023")
    assert "score-mismatch" not in ids(report)  # 0 is the profile's own score ...
    assert "qualitative-mismatch" not in ids(report)  # ... so it is inside the band


def test_rate_in_per_mille_is_read_as_per_mille():
    """983.6‰ is 98.36%: it agrees with 421.67 / 428.71."""
    table = make_table(row(">=1 个", "1 个", "90"), funds=[fund(*RATE_FUNDS, rate="983.6‰")])
    assert "rate-mismatch" not in ids(audit(table))


def test_small_bare_rate_read_as_percentage_when_it_matches():
    """1.20 printed in a 执行率(%) column for 6 / 500 = 1.2% agrees with the amounts."""
    table = make_table(row(">=1 个", "1 个", "90"), funds=[fund("500", "6", rate="1.20")])
    assert "rate-mismatch" not in ids(audit(table))


# ---------------------------------------------------------------------------------
# 8. Table sums: exact at any size, and in the order of the rows

# Built, not read: wider than a cell may print (MAX_DIGITS), as a table made in Python
# may hold.
BIG = "1" + "0" * 40  # 41 digits: beyond the audit's 60-digit context with TINY
TINY = "0." + "0" * 29 + "1"


def test_weights_add_exactly_beyond_the_audit_context():
    """Weights too wide for 60 digits are still summed exactly (weights-not-100)."""
    table = make_table(row(">=1 个", "1 个"), row(">=1 个", "1 个", name="另一指标"))
    table = built(built(table, 0, weight=wide(BIG)), 1, weight=wide(TINY))
    (finding,) = found(audit(table), "weights-not-100")
    exact = BIG + TINY[1:]
    assert finding.message == f"指标分值合计 {exact} 加执行率分值 0 为 {exact}，不为 100"
    assert finding.printed == exact


def test_printed_scores_add_exactly_beyond_the_audit_context():
    """Printed scores too wide for 60 digits are still summed exactly (total-mismatch)."""
    table = make_table(
        row(">=1 个", "1 个", "50", score="1"),
        benefit("有效提高", "有效提高", "50", score="1"),
        total="100",
    )
    table = built(built(table, 0, score=wide(BIG)), 1, score=wide(TINY))
    (finding,) = found(audit(table), "total-mismatch")
    assert finding.expected == BIG + TINY[1:]


def test_small_sums_keep_the_printed_places():
    """Sums made in the audit's own context keep each number's places: 40 + 9.50 = 49.50."""
    table = make_table(
        row(">=1 个", "1 个", "40", score="40"),
        benefit("有效提高", "有效提高", "9.50", score="9.5"),
        total="50",
    )
    report = audit(table)
    assert found(report, "weights-not-100")[0].printed == "49.50"
    assert found(report, "total-mismatch")[0].expected == "49.5"


def test_level_weight_mismatches_follow_the_first_row_of_each_level():
    """A level whose label declares its weight only on a later row keeps its place."""
    table = make_table(
        row(">=1 个", "1 个", "20"),
        benefit("有效提高", "有效提高", "30", level1="效益指标（50分）"),
        row(">=1 个", "1 个", "20", level1="产出指标（60分）", name="另一指标"),
    )
    mismatches = found(audit(table), "level-weight-mismatch")
    assert [(f.path, f.printed, f.expected) for f in mismatches] == [
        ("产出指标", "60", "40"),
        ("效益指标", "50", "30"),
    ]


def test_level1_weights_names_a_wide_level_sum_exactly():
    """A level's weight of 71 digits is named as summed, not rounded to 60 digits."""
    weight = BIG + TINY[1:]
    table = make_table(
        row(">=1 个", "1 个", "50"),
        benefit("有效提高", "有效提高", "30"),
        row(">=90%", "=95%", level1="满意度指标", level2="服务对象满意度指标"),
    )
    table = built(table, 2, weight=wide(weight))
    (finding,) = found(audit(table), "level1-weights")
    assert f"满意度指标 {weight}（预期 10）" in finding.message


def test_level1_weights_names_a_wide_group_sum_exactly():
    """A group of levels (产出 + 成本) too wide for 60 digits is named as summed."""
    table = make_table(
        row(">=1 个", "1 个"),
        cost("<=5 万元", "=4 万元", name="成本"),
        benefit("有效提高", "有效提高", "30"),
    )
    table = built(built(table, 0, weight=wide(BIG)), 1, weight=wide(TINY))
    (finding,) = found(audit(table), "level1-weights")
    assert f"产出指标+成本指标 {BIG + TINY[1:]}（预期 50）" in finding.message


def test_unknown_column_once_per_key_at_its_first_place():
    """Extra keys of the table, its goal, funds rows and indicator rows are each reported
    once per table, where they first occur, whatever format the table came from."""
    table = make_table(
        row(">=1 个", "1 个", "50", name="甲"),
        row(">=1 个", "1 个", "25", name="乙", 页码="3", 复核=True),
        row(">=1 个", "1 个", "25", name="丙", 页码="4"),
        funds=[fund("10", "10", "0", 来源文件="a.pdf"), part("其中", "10", "10", 来源文件="b")],
        goal={"expected": "目标", "附注": "x"},
        审核人="张三",
    )
    unknown = [f for f in audit(table).findings if f.id == "unknown-column"]
    message = "未知的列或字段「{}」{}：已原样保留，但不用于计分和复核"
    assert unknown == [
        Finding("unknown-column", "warning", "funds", "年度资金总额",
                message.format("来源文件", ""), printed="a.pdf"),
        Finding("unknown-column", "warning", "indicators[1]", "产出指标/数量指标/乙",
                message.format("页码", ""), printed="3"),
        Finding("unknown-column", "warning", "indicators[1]", "产出指标/数量指标/乙",
                message.format("复核", "")),
        Finding("unknown-column", "warning", "table", "测试项目",
                message.format("审核人", ""), printed="张三"),
        Finding("unknown-column", "warning", "table", "测试项目",
                message.format("附注", "（年度总体目标）"), printed="x"),
    ]  # fmt: skip
    quiet = loads_profile('extends = "mof-2020"\n[audit.severity]\n"unknown-column" = "off"\n')
    assert "unknown-column" not in ids(audit(table, profile=quiet))
    again = audit(table, profile="changji-2023").findings  # the rows' facts anew
    assert [f for f in again if f.id == "unknown-column"] == unknown


def test_a_table_without_weights_has_one_finding_not_one_per_row():
    """No 分值 at all: no blank-cell for weights, no weight-sum findings, unscored rows."""
    table = make_table(row(">=1 个", "1 个", ""), row(">=2 个", "2 个", "", name="另一"))
    report = audit(table, profile="mof-2020")
    assert [finding.id for finding in report.findings] == ["no-weights"]
    assert [item.status for item in report.scorecard.items] == ["unscored", "unscored"]


# ---------------------------------------------------------------------------------
# Deadlines


def test_a_deadline_is_no_upper_bound_on_a_rate_and_is_never_compared_with_a_number():
    """≤ a day is "no later than", not a cap on a 及时率; a day against 100% is not scored."""
    table = make_table(
        row("2023年12月31日前", "2023年12月20日", "10", score="10", name="项目完成及时率"),
        row("2023年12月31日前", "100%", "10", score="10", name="项目完成时间"),
        row("2023年12月31日前", "2024年1月5日", "10", score="10", name="项目完成时间"),
    )
    report = audit(table, profile="mof-2020")
    assert found(report, "direction-suspect") == []
    assert [finding.message for finding in found(report, "unit-mismatch")] == [
        "指标值「2023年12月31日前」的单位 日期 与实际完成值「100%」的单位 % 不能换算，不计分"
    ]
    [late] = found(report, "score-mismatch")
    assert late.where == "indicators[2]"
    assert (late.printed, late.expected) == ("10", "0.00")


def test_level1_labels_without_zhibiao_are_their_levels():
    """产出, 效益, 满意度 printed without 指标 are 产出指标, 效益指标, 满意度指标: their
    weights meet the profile's (they were summed as 0 against 50, 30 and 10)."""
    rows = [
        row(">=100人", "120人", "25", level1="产出", level2="数量", score="25"),
        row("≤0.5万元", "0.45万元", "25", level1="产出", level2="成本", score="25"),
        row("有效提升", "明显提升", "30", level1="效益", level2="社会效益", score="30"),
        row(">=90%", "95%", "10", level1="满意度", level2="服务对象满意度", score="10"),
    ]
    funds = [fund("100", "100", score="10")]
    report = audit(make_table(*rows, funds=funds, year=2023), profile="mof-2020")
    assert found(report, "level1-weights") == []
    short = audit(
        make_table(*rows[1:], row(">=1个", "1个", "20", level1="产出"), funds=funds),
        profile="mof-2020",
    )
    [finding] = found(short, "level1-weights")
    assert finding.message == "一级指标权重：产出指标+成本指标 45（预期 50）"


def test_a_share_where_a_percentage_goes_is_a_share_suspect():
    """0.98 against ≥95% reads as 0.98%: say so, and what it would be as a share."""
    report = audit(
        make_table(
            row("≥95%", "0.98", "10", score="10", name="合格率"),
            row("≤5%", "0.5", "10", score="10", name="差错率"),  # 0.5% is as likely
            row("=100%", "1", "10", score="10", name="覆盖率"),
        ),
        profile="mof-2020",
    )
    assert [(f.where, f.severity, f.message) for f in found(report, "share-suspect")] == [
        (
            "indicators[0]",
            "info",
            "实际完成值「0.98」没有单位，指标值「≥95%」是百分比：按 0.98% 计；若是比例，应写作 98%",
        ),
        (
            "indicators[2]",
            "info",
            "实际完成值「1」没有单位，指标值「=100%」是百分比：按 1% 计；若是比例，应写作 100%",
        ),
    ]
    assert [(f.where, f.message) for f in found(report, "typo-suspect")] == [
        ("indicators[1]", "实际完成值「0.5」与指标值「≤5%」数字相同而小数点位置不同，疑似笔误")
    ]

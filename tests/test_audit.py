import json
import re
from decimal import ROUND_HALF_UP, Decimal, Inexact, getcontext, localcontext
from pathlib import Path

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from perfscore import Table, get_profile, load, score
from perfscore.audit import audit
from perfscore.batch import summarize
from perfscore.cli import main
from perfscore.profiles import ExecutionRule, QuantitativeRules, Rounding

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "changji-2023"

# Level-1 / level-2 pairs that belong together, and a unit for each.
CATEGORIES = [
    ("产出指标", "数量指标", "个"),
    ("产出指标", "质量指标", "%"),
    ("产出指标", "时效指标", "天"),
    ("成本指标", "经济成本指标", "万元"),
    ("效益指标", "社会效益指标", "%"),
    ("满意度指标", "服务对象满意度指标", "%"),
]


@st.composite
def clean_tables(draw):
    """Tables whose content is consistent: compatible units, categories in place,
    weights totalling 100, neutral names; only the printed values are left to fill."""
    count = draw(st.integers(1, 9))
    shares = draw(st.lists(st.integers(1, 20), min_size=count, max_size=count))
    # Split 90 points over the rows in proportion to the drawn shares, exactly.
    weights = [90 * share // sum(shares) for share in shares]
    weights[-1] += 90 - sum(weights)
    rows = []
    for index, weight in enumerate(weights):
        level1, level2, unit = draw(st.sampled_from(CATEGORIES))
        qualitative = draw(st.booleans()) and level1 == "效益指标"
        ceiling = 100 if unit == "%" else 500
        target_value = draw(st.integers(1, ceiling))
        actual_value = draw(st.integers(0, ceiling if unit == "%" else 1000))
        if level1 == "成本指标":
            op = draw(st.sampled_from(["<=", ""]))
        else:
            op = draw(st.sampled_from([">=", "=", ">"]))
        sep = "" if unit == "%" else " "
        if qualitative:
            target = draw(st.sampled_from(["有效提高", "进一步提升", "长期"]))
            actual = draw(st.sampled_from(["=100%", "=0%", "有效增强", "部分完成", "未完成"]))
        else:
            target = f"{op}{target_value}{sep}{unit}"
            actual = f"={actual_value}{sep}{unit}"
        rows.append(
            {
                "level1": level1,
                "level2": level2,
                "level3": f"指标{index}",
                "target": target,
                "actual": actual,
                "weight": str(weight),
            }
        )
    budget = draw(st.integers(1, 100_000))
    executed = draw(st.integers(0, 120_000))
    amounts = {"initial_budget": str(budget), "annual_budget": str(budget)}
    funds = [
        {"label": "年度资金总额", **amounts, "executed": str(executed), "weight": "10"},
        {"label": "其中：当年财政拨款", **amounts, "executed": str(executed)},
    ]
    return {"name": "自动生成", "year": 2023, "funds": funds, "indicators": rows}


@st.composite
def profiles(draw):
    base = draw(st.sampled_from([get_profile("mof-2020"), get_profile("changji-2023")]))
    return attrs.evolve(
        base,
        rounding=Rounding(mode=draw(st.sampled_from(["half-up", "down", "half-even"]))),
        execution=draw(
            st.sampled_from(
                [
                    base.execution,
                    ExecutionRule(),
                    ExecutionRule(rule="interval", full_at=Decimal(1)),
                ]
            )
        ),
        quantitative=attrs.evolve(
            base.quantitative,
            mode=draw(st.sampled_from(["proportional", "all-or-nothing"])),
            reverse=draw(st.sampled_from(["ratio", "linear", "zero"])),
            equal=draw(st.sampled_from(["symmetric", "as-at-least", "exact"])),
        ),
    )


def printed_by_perfscore(data, profile):
    """Fill a table's printed values (scores, rate, total, notes) as perfscore computes them."""
    card = score(Table.from_dict(data), profile=profile)
    threshold = profile.overshoot.note_threshold
    for row, item in zip(data["indicators"], card.items, strict=True):
        row["score"] = f"{item.score:f}"
        beyond = item.overshoot is not None and item.overshoot > threshold
        if item.score < item.weight or beyond:
            row["deviation_note"] = f"{row['level3']}的偏差原因"
    funds = card.funds
    data["funds"][0]["score"] = f"{funds.score:f}"
    with localcontext() as context:
        context.prec = 60  # round the exact rate once, as the audit reads it
        rate = (funds.rate * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    data["funds"][0]["rate"] = f"{rate:f}%"
    data["total"] = f"{card.total:f}"
    return Table.from_dict(data)


@settings(max_examples=150, deadline=None)
@given(clean_tables(), profiles())
def test_self_printed_tables_audit_clean(data, profile):
    """Rule: a table printed by perfscore under a profile, with notes on every row below
    weight, audits with no error and no warning under that profile."""
    table = printed_by_perfscore(data, profile)
    report = audit(table, profile=profile)
    serious = [f for f in report.findings if f.severity != "info"]
    assert serious == []


@given(clean_tables(), profiles())
def test_audit_never_changes_the_scorecard(data, profile):
    """The audit's scorecard is the scorecard score() gives for the same table and profile."""
    table = Table.from_dict(data)
    assert audit(table, profile=profile).scorecard == score(table, profile=profile)


def test_quantitative_rules_are_visible_to_the_audit():
    """Changing a rule changes the audit: the same print is right under one profile only."""
    table = printed_by_perfscore(
        {
            "name": "示例",
            "indicators": [
                {
                    "level1": "产出指标",
                    "level2": "数量指标",
                    "level3": "培训人次",
                    "target": ">=15 个",
                    "actual": "6 个",
                    "weight": "100",
                }
            ],
        }
        | {
            "funds": [
                {
                    "label": "年度资金总额",
                    "initial_budget": "1",
                    "annual_budget": "1",
                    "executed": "1",
                    "weight": "0",
                }
            ]
        },
        get_profile("mof-2020"),
    )
    assert not audit(table, profile="mof-2020").has_errors
    strict = attrs.evolve(
        get_profile("mof-2020"), quantitative=QuantitativeRules(mode="all-or-nothing")
    )
    [finding] = [f for f in audit(table, profile=strict).findings if f.severity == "error"]
    assert (finding.id, finding.printed, finding.expected) == ("score-mismatch", "40.00", "0.00")


# ---------------------------------------------------------------------------------
# The seed, as a batch


def test_seed_summary_under_changji():
    """Under changji-2023 the seed's errors are exactly its four anomalous rows."""
    tables = load("examples/changji-2023")
    reports = [audit(table, profile="changji-2023") for table in tables]
    errors = [
        (index, f.where, f.id)
        for index, r in enumerate(reports)
        for f in r.findings
        if f.severity == "error"
    ]
    assert errors == [
        (0, "indicators[0]", "score-mismatch"),
        (1, "indicators[0]", "score-mismatch"),
        (8, "indicators[6]", "score-mismatch"),
        (15, "indicators[5]", "score-mismatch"),
    ]
    summary = summarize((None, i, r) for i, r in enumerate(reports))
    assert summary.tables == 17
    assert summary.printed_totals == 16
    assert (summary.totals_100, summary.totals_90) == (7, 8)
    assert (summary.repeating_rows, summary.numeric_rows) == (57, 119)
    assert summary.to_dict()["inflation"]["share_totals_100"] == "0.4375"
    assert [entry[3] for entry in summary.ranked[:4]] == [1, 1, 1, 1]


def test_seed_summary_under_mof():
    """Under mof-2020, 8 of 17 execution scores and 27 rows (19 numeric, 8 worded) differ."""
    tables = load("examples/changji-2023")
    summary = summarize((None, i, audit(t, profile="mof-2020")) for i, t in enumerate(tables))
    counts = dict(summary.by_id)
    assert counts["funds-score-mismatch"] == {"error": 8}
    assert counts["score-mismatch"] == {"error": 27}


# ---------------------------------------------------------------------------------
# The command


def test_audit_command_text_and_exit_status(examples, capsys):
    """audit prints findings and a summary, and exits 1 when a finding is an error."""
    assert (
        main(
            ["audit", str(examples / "02_wine-competition-2022.json"), "--profile", "changji-2023"]
        )
        == 1
    )
    out = capsys.readouterr().out
    assert (
        "[错误] score-mismatch（得分与规则计算值不符） · indicators[0] "
        "产出指标/数量指标/参赛样品数量" in out
    )
    assert "== 汇总：1 张表" in out
    assert (
        main(
            ["audit", str(examples / "03_village-work-team-2023.json"), "--profile", "changji-2023"]
        )
        == 0
    )
    capsys.readouterr()


def test_audit_min_severity_filters_display_not_status(examples, capsys):
    """--min-severity hides lesser findings; errors still set the exit status."""
    path = str(examples / "09_wine-development-2023.json")
    assert main(["audit", path, "--profile", "changji-2023", "--min-severity", "error"]) == 1
    out = capsys.readouterr().out
    table_part = out.split("== 汇总")[0]
    assert "[错误]" in table_part
    assert "[警告]" not in table_part
    assert "[提示]" not in table_part


def test_audit_command_json(examples, capsys):
    """audit --format json gives the report document with findings and a summary."""
    code = main(["audit", str(examples), "--profile", "changji-2023", "--format", "json"])
    assert code == 1
    document = json.loads(capsys.readouterr().out)
    assert document["format"] == "perfscore.report/1"
    assert len(document["tables"]) == 17
    finding = document["tables"][1]["findings"][0]
    assert finding == {
        "id": "score-mismatch",
        "severity": "error",
        "where": "indicators[0]",
        "path": "产出指标/数量指标/参赛样品数量",
        "printed": "0.00",
        "expected": "10.00",
        "message": (
            "得分 0.00 与规则计算值 10.00 不符（实际 1044 件 > 指标值 700 件，达成，得满分 10.00）"
        ),
    }
    summary = document["summary"]
    assert summary["tables"] == 17
    assert summary["by_severity"]["error"] == 4
    assert summary["ranked"][0]["errors"] == 1


def test_department_table_without_note_column_is_not_asked_for_notes():
    """A department table with no 偏差原因 column gets no note findings; overshoot stays."""
    report = audit(load("examples/changji-2023/01_dept-changji-gongxinju.json")[0])
    ids = [(f.id, f.where) for f in report.findings]
    assert ("missing-deviation-note", "indicators[0]") not in ids
    assert ("overshoot", "indicators[1]") in ids
    [overshoot] = [f for f in report.findings if f.id == "overshoot"]
    assert overshoot.message == "实际 29 家 超出指标值 >=20 家 45.00%，超过 30%"


def test_huge_json_numbers_stay_unreadable_cells():
    """A JSON number such as 1e999999999 is kept as an unreadable cell, never spelled out."""
    from perfscore import loads  # noqa: PLC0415

    text = (
        '{"name": "n", "indicators": [{"level1": "产出指标", "level2": "数量指标", '
        '"level3": "x", "target": ">=1 个", "actual": 1e999999999, "weight": 1E+999999}]}'
    )
    table = loads(text)[0]
    assert (table.indicators[0].actual.kind, table.indicators[0].actual.text) == (
        "unreadable",
        "1E+999999999",
    )
    assert table.indicators[0].weight.kind == "unreadable"
    errors = [f.id for f in audit(table).at_least("error")]
    assert errors == ["unparsed-cell", "unparsed-cell", "weights-not-100"]


def test_audit_does_not_depend_on_or_change_the_decimal_context():
    """The audit works in its own context: a caller's narrow one changes no finding,
    and is the caller's context again afterwards, flags and all."""
    tables = [table for path in sorted(EXAMPLES.glob("*.json")) for table in load(path)]
    expected = [audit(table).findings for table in tables]
    with localcontext() as context:
        context.prec = 3
        context.traps[Inexact] = True
        context.clear_flags()
        assert [audit(table).findings for table in tables] == expected
        assert getcontext() is context
        assert (context.prec, context.traps[Inexact]) == (3, True)
        assert not any(context.flags.values())


LONG_CELLS = st.sampled_from(
    ["9" * 5000, "1" + "0" * 300 + " 个", ">=" + "7" * 100 + "%", "4" * 30]
)


@given(data=st.data(), long_cell=LONG_CELLS)
def test_no_message_spells_out_a_long_number(data, long_cell):
    """Whatever number a hostile table's cell holds, no finding's message and no
    explanation spells out more than a few dozen of its digits."""
    from perfscore import loads  # noqa: PLC0415

    seed = json.loads(
        (Path(__file__).resolve().parent.parent / "examples" / "changji-2023"
         / "02_wine-competition-2022.json").read_text("utf-8")
    )  # fmt: skip
    index = data.draw(st.integers(0, len(seed["indicators"]) - 1))
    key = data.draw(st.sampled_from(["target", "actual", "weight", "score", "level3"]))
    seed["indicators"][index][key] = long_cell
    if data.draw(st.booleans()):
        seed["funds"][0]["executed"] = long_cell
    [table] = loads(json.dumps(seed, ensure_ascii=False))
    report = audit(table, profile="changji-2023")
    texts = [finding.message for finding in report.findings]
    texts += [outcome.explanation for outcome in report.scorecard.outcomes]
    if report.scorecard.funds is not None:
        texts.append(report.scorecard.funds.explanation)
    for text in texts:
        assert max(map(len, re.findall("[0-9]+", text)), default=0) <= 40, text[:200]


def test_every_finding_has_every_field(examples):
    """Findings made on the audit's fast paths are whole (every field, place included)."""
    from perfscore.findings import Finding  # noqa: PLC0415

    for table in load(examples):
        for finding in audit(table, profile="changji-2023").findings:
            assert len(finding) == len(Finding._fields)
            assert finding.place is None

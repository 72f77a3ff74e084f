"""Synthetic self-evaluation tables for benchmarks, generated reproducibly.

The cells are realistic rather than random: a table has 8 to 14 rows drawn from
templates of the kinds real tables carry (counts, rates, deadlines, cost amounts,
qualitative benefits, satisfaction), written with the comparators and units real
prints use (``>=``, ``≥``, ``不低于``, ``<=``, ``≤``, ``=``, no comparator; 个, 人次,
%, 万元, 元/人, 天), and actuals mostly meeting their targets, sometimes short or far
over. Cells therefore repeat heavily, as they do in real batches.

    python benchmarks/synthetic.py 1000 tables.jsonl [--seed 2023] [--printed PROFILE]

writes JSON Lines (one table per line). With ``--printed``, every printed score is the
profile's own, so ``perfscore fit`` can recover it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from typing import Any

# (level1, level2, name, comparator choices, unit, target choices, qualitative)
TEMPLATES = [
    ("产出指标", "数量指标", "培训人次", (">=", "≥", "不低于"), "人次", (50, 100, 200, 500), False),
    ("产出指标", "数量指标", "建设项目个数", (">=", "≥", ""), "个", (1, 2, 3, 5, 8), False),
    ("产出指标", "数量指标", "覆盖乡镇数", (">=", "≥"), "个", (6, 10, 12), False),
    ("产出指标", "质量指标", "验收合格率", (">=", "≥", "="), "%", (90, 95, 100), False),
    ("产出指标", "质量指标", "资金拨付准确率", ("=", ">="), "%", (100,), False),
    ("产出指标", "时效指标", "完成及时率", (">=", "≥"), "%", (90, 95, 100), False),
    ("产出指标", "时效指标", "完成时限", ("<=", "≤"), "天", (30, 60, 90), False),
    ("成本指标", "经济成本指标", "项目经费", ("<=", "≤", ""), "万元", (5, 12.5, 30, 120), False),
    ("成本指标", "经济成本指标", "人均补助标准", ("<=", "≤"), "元/人", (300, 600, 1000), False),
    ("效益指标", "社会效益指标", "群众知晓率", (">=", "≥"), "%", (80, 85, 90), False),
    ("效益指标", "社会效益指标", "服务能力", ("",), "", ("有效提高", "进一步提升", "长期"), True),
    ("效益指标", "经济效益指标", "带动就业人数", (">=",), "人", (20, 50, 100), False),
    ("效益指标", "可持续影响指标", "长效机制", ("",), "", ("持续发挥作用", "长期"), True),
    (
        "满意度指标",
        "服务对象满意度指标",
        "服务对象满意度",
        (">=", "≥", "不低于"),
        "%",
        (85, 90, 95),
        False,
    ),
]
QUALITATIVE_ACTUALS = ("=100%", "有效增强", "达到预期", "部分完成", "=0%")
NOTES = ("", "", "", "受疫情影响，部分工作延期", "预算目标值把握不准确，导致超出预期")


def _number(value: float) -> str:
    text = f"{value}"
    return text.removesuffix(".0")


def _cell(op: str, value: str, unit: str) -> str:
    if op == "不低于":
        return f"不低于{value}{unit}"
    gap = "" if unit in {"%", ""} else " "
    return f"{op}{value}{gap}{unit}"


def _row(rng: random.Random, template: tuple[Any, ...], weight: int) -> dict[str, str]:
    level1, level2, name, ops, unit, targets, qualitative = template
    row = {"level1": level1, "level2": level2, "level3": name, "weight": str(weight)}
    if qualitative:
        row["target"] = rng.choice(targets)
        row["actual"] = rng.choices(QUALITATIVE_ACTUALS, weights=(6, 3, 2, 1, 1))[0]
    else:
        op = rng.choice(ops)
        target = rng.choice(targets)
        row["target"] = _cell(op, _number(target), unit)
        at_most = op in {"<=", "≤"} or (op == "" and level1 == "成本指标")
        luck = rng.random()
        if luck < 0.7:
            actual = target
        elif luck < 0.85:  # short of (or above) the target
            actual = target * rng.choice((0.5, 0.8, 0.9)) if not at_most else target * 1.2
        else:  # far beyond it, or well under a cost ceiling
            actual = target * rng.choice((1.5, 2)) if not at_most else target * 0.6
        if unit == "%":
            actual = min(actual, 100)
        actual = round(actual, 2)
        row["actual"] = "=" + _number(actual) + ("" if unit in {"%", ""} else " ") + unit
    row["score"] = f"{weight}.00"
    note = rng.choice(NOTES)
    if note:
        row["deviation_note"] = note
    return row


def table(rng: random.Random, number: int) -> dict[str, Any]:
    """One synthetic table."""
    count = rng.randint(8, 14)
    templates = rng.sample(TEMPLATES, k=min(count, len(TEMPLATES)))
    shares = [rng.choice((1, 2, 2, 3)) for _ in templates]
    weights = [90 * share // sum(shares) for share in shares]
    weights[-1] += 90 - sum(weights)
    rows = [
        _row(rng, template, weight) for template, weight in zip(templates, weights, strict=True)
    ]
    budget = rng.choice((5, 8, 10, 30, 50, 120, 428.71, 3519.86))
    executed = round(budget * rng.choice((1, 1, 0.99, 0.95, 0.8, 0.6164, 0.3)), 2)
    return {
        "format": "perfscore.table/1",
        "kind": "project",
        "name": f"合成项目 {number:06d}",
        "year": 2023,
        "department": "示例局",
        "funds": [
            {
                "label": "年度资金总额",
                "initial_budget": _number(budget),
                "annual_budget": _number(budget),
                "executed": _number(executed),
                "weight": "10",
                "rate": f"{executed / budget * 100:.2f}%",
                "score": "10.00",
            },
            {
                "label": "其中：当年财政拨款",
                "initial_budget": _number(budget),
                "annual_budget": _number(budget),
                "executed": _number(executed),
            },
        ],
        "indicators": rows,
        "total": "100",
    }


def tables(count: int, seed: int = 2023) -> list[dict[str, Any]]:
    """``count`` tables, the same for the same seed."""
    rng = random.Random(seed)
    return [table(rng, number) for number in range(count)]


def print_as(data: dict[str, Any], profile: Any) -> dict[str, Any]:  # noqa: ANN401
    """The table with every printed score as the profile computes it."""
    from perfscore import Table, score  # noqa: PLC0415

    card = score(Table.from_dict(data), profile=profile)
    for row, item in zip(data["indicators"], card.items, strict=True):
        row["score"] = f"{item.score:f}"
    data["funds"][0]["score"] = f"{card.funds.score:f}"
    data["total"] = f"{card.total:f}"
    return data


def main(argv: list[str] | None = None) -> int:
    """Write synthetic tables as JSON Lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("output")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--printed", metavar="PROFILE", help="print scores as this profile")
    arguments = parser.parse_args(argv)
    rng = random.Random(arguments.seed)
    with open(arguments.output, "w", encoding="utf-8") as stream:  # noqa: PTH123
        for number in range(arguments.count):
            data = table(rng, number)
            if arguments.printed:
                data = print_as(data, arguments.printed)
            stream.write(json.dumps(data, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

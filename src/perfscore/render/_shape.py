"""What the output formats share: titles, marks, headers, and a scorecard as cell texts.

Text, Markdown and HTML lay out the same 自评表: the same facts, funds rows and
indicator rows, the same lines under them; records and CSV give the same values per
item; the batch summary reads the same in every format. Each is shaped here once, and
each format module only lays it out.

>>> from perfscore import load, score
>>> card = score(load("examples/changji-2023/02_wine-competition-2022.json")[0])
>>> facts(card.table)[0]
('项目名称', '2022（新疆昌吉）“一带一路”国际葡萄酒大赛')
>>> indicator_rows(card)[0][:4]
['产出指标', '数量指标', '参赛样品数量', '>=700 件']
>>> total_line(card)
'总分(算) 99.84（优） · 总分(印) 90 · 规则 mof-2020'
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Final, cast

from perfscore._format import percent, plain

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Sequence

    from perfscore.audit import BatchSummary
    from perfscore.cells import Figure
    from perfscore.findings import Finding
    from perfscore.memo import Recent
    from perfscore.model import Indicator, Table
    from perfscore.scoring import Outcome, Scorecard

KIND_TITLES: Final = {"project": "项目支出绩效自评表", "department": "部门整体支出绩效自评表"}
MARKS: Final = {"error": "错", "warning": "警", "info": "提"}
SEVERITY_WORDS: Final = {"error": "错误", "warning": "警告", "info": "提示"}
FUND_HEADERS: Final = (
    "项目资金",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "分值",
    "执行率",
    "得分",
)
ROW_HEADERS: Final = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分(印)",
    "得分(算)",
    "偏差原因分析及改进措施",
)

_RATE_PLACES: Final = Decimal("0.000001")

# ---------------------------------------------------------------------------------
# Numbers and cells


def number_text(value: Decimal | None) -> str:
    """A number's exact digits; nothing for no number."""
    return "" if value is None else f"{value:f}"


def figure_text(figure: Figure | None) -> str:
    """A figure's cell as printed; nothing for no cell."""
    return "" if figure is None else figure.text


def percent_text(rate: Decimal | None) -> str:
    """A rate as a percentage with two decimals; nothing for no rate."""
    return "" if rate is None else percent(rate)


def cut_rate(rate: Decimal | None) -> str | None:
    """A rate's first six decimals, cut rather than rounded, as the report gives it.

    Every digit shown is a digit of the exact ratio (the report format's "unrounded"
    reading).

    >>> cut_rate(Decimal("0.98357899")), cut_rate(None)
    ('0.983578', None)
    """
    return None if rate is None else plain(rate.quantize(_RATE_PLACES, ROUND_DOWN))


def source_text(file: str | None, index: int) -> str:
    """Where a table came from: the file, and its position when it is not the first."""
    return f"{file}#{index}" if file and index else (file or "")


# ---------------------------------------------------------------------------------
# A scorecard in the official layout (text, Markdown, HTML)


def findings_by_place(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    """The findings by their place (``funds``, ``indicators[N]``, ``table``)."""
    places: dict[str, list[Finding]] = {}
    for finding in findings:
        places.setdefault(finding.where, []).append(finding)
    return places


def facts(table: Table) -> list[tuple[str, str]]:
    """The table's name, year, 主管部门 and 实施单位, each with its label."""
    found = [("项目名称" if table.kind == "project" else "单位名称", table.name)]
    if table.year is not None:
        found.append(("年度", str(table.year)))
    if table.department:
        found.append(("主管部门", table.department))
    if table.implementer:
        found.append(("实施单位", table.implementer))
    return found


def fund_rows(card: Scorecard) -> list[list[str]]:
    """The funds rows' cells as printed, in :data:`FUND_HEADERS` order."""
    return [
        [
            row.label,
            figure_text(row.initial_budget),
            figure_text(row.annual_budget),
            figure_text(row.executed),
            figure_text(row.weight),
            figure_text(row.rate),
            figure_text(row.score),
        ]
        for row in card.table.funds
    ]


def indicator_rows(card: Scorecard) -> list[list[str]]:
    """The indicator rows' cells in :data:`ROW_HEADERS` order, labels merged as printed.

    A 一级 or 二级 label is given on the first of the rows it covers only; the
    computed score stands next to the printed one (``不计分`` where there is none).
    """
    rows = []
    previous = ("", "")
    for item in card.items:
        row = item.indicator
        level1 = row.level1.text if row.level1.text != previous[0] else ""
        level2 = row.level2.text if (row.level1.text, row.level2.text) != previous else ""
        previous = (row.level1.text, row.level2.text)
        rows.append(
            [
                level1,
                level2,
                row.level3,
                row.target.text,
                row.actual.text,
                row.weight.text,
                figure_text(row.score),
                number_text(item.score) if item.score is not None else "不计分",
                row.deviation_note or "",
            ]
        )
    return rows


def marked_rows(
    card: Scorecard, places: dict[str, list[Finding]], *, marked: bool, separator: str
) -> tuple[tuple[str, ...], list[list[str]]]:
    """The indicator rows, with a 复核 column of finding marks when ``marked``."""
    rows = indicator_rows(card)
    if not marked:
        return ROW_HEADERS, rows
    for index, row in enumerate(rows):
        marks = places.get(f"indicators[{index}]", [])
        row.append(separator.join(f"{MARKS[f.severity]} {f.id}" for f in marks))
    return (*ROW_HEADERS, "复核"), rows


def differs(card: Scorecard, index: int) -> bool:
    """Whether an item's computed score differs from its printed one (both there)."""
    item = card.items[index]
    return (
        item.score is not None
        and item.printed_score is not None
        and (item.score != item.printed_score)
    )


def funds_line(card: Scorecard) -> str:
    """The line under the funds rows: the rate, the computed and the printed score."""
    funds = card.funds
    if funds is None:
        return ""
    computed = number_text(funds.score) if funds.score is not None else "不计分"
    printed = (
        "" if funds.printed_score is None else f"，印刷得分 {number_text(funds.printed_score)}"
    )
    return f"执行率 {percent_text(funds.rate) or '无定义'}，得分(算) {computed}{printed}"


def total_line(card: Scorecard) -> str:
    """The line under the rows: the computed total and grade, the printed total, the rules."""
    printed = "" if card.printed_total is None else f" · 总分(印) {number_text(card.printed_total)}"
    return f"总分(算) {number_text(card.total)}（{card.grade}）{printed} · 规则 {card.profile.name}"


def placed(finding: Finding) -> str:
    """Where in the original document a finding's cell was printed, in brackets."""
    return f"（{finding.place}）" if finding.place else ""


# ---------------------------------------------------------------------------------
# A scorecard's items as records and CSV rows


def ids_by_place(findings: Sequence[Finding] | None) -> dict[str, list[str]]:
    """The findings' ids by their place (``funds``, ``indicators[N]``, ``table``)."""
    places: dict[str, list[str]] = {}
    for finding in findings or ():
        places.setdefault(finding.where, []).append(finding.id)
    return places


def score_place(places: tuple[tuple[str, str], ...]) -> str | None:
    """Where a row's printed score stands (else its name, else its first cell)."""
    if not places:
        return None
    by_key = dict(places)
    return by_key.get("score") or by_key.get("level3") or by_key.get("label") or places[0][1]


def funds_cells(card: Scorecard, head: list[Any], found: Sequence[Any]) -> list[Any]:
    """The 执行率 item's values, after the table's (``head``), as records give them.

    ``found`` holds the ``findings`` and ``messages`` values.
    """
    funds = card.funds
    assert funds is not None  # noqa: S101 - called for a table with funds
    total_row = card.table.total_fund_row
    return [
        *head,
        "funds",
        funds.label,
        None,  # level1
        None,  # level2
        None,  # level3
        None,  # target
        cut_rate(funds.rate),  # actual
        funds.weight,
        funds.score,
        funds.printed_score,
        funds.status,
        funds.explanation,
        *found,
        None if total_row is None else score_place(total_row.places),
    ]


def item_cells(row: Indicator, outcome: Outcome) -> list[Any]:
    """A row's values from ``path`` to ``explanation``, as records give them."""
    printed = row.score
    return [
        row.path,
        row.level1.text,
        row.level2.text,
        row.level3,
        row.target.text,
        row.actual.text,
        outcome.weight,
        outcome.score,
        None if printed is None or printed.kind != "number" else printed.value,
        outcome.status,
        outcome.explanation,
    ]


# ---------------------------------------------------------------------------------
# A batch summary


def counted(summary: BatchSummary) -> str:
    """How many tables were audited, and how many inputs could not be read."""
    refused = f"，未读入 {summary.refused} 处输入" if summary.refused else ""
    return f"{summary.tables} 张表{refused}"


def share_text(value: str | None) -> str:
    """A share of the summary's JSON as a percentage with one decimal (``-`` for none)."""
    if value is None:
        return "-"
    return f"{(Decimal(value) * 100).quantize(Decimal('0.1'), ROUND_HALF_UP):f}%"


def summary_rows(summary: BatchSummary) -> list[list[str]]:
    """Each finding id with its counts of errors, warnings and notes."""
    return [
        [check, *(str(counts.get(s, "")) for s in ("error", "warning", "info"))]
        for check, counts in summary.by_id
    ]


def inflation_lines(summary: BatchSummary) -> list[str]:
    """The signs of inflated self-evaluation: totals of 100 and actuals copying targets."""
    data = summary.to_dict()["inflation"]
    lines = []
    if summary.printed_totals:
        lines.append(
            f"印刷总分 100 的表 {summary.totals_100}/{summary.printed_totals}"
            f"（{share_text(data['share_totals_100'])}），≥ 90 的 {summary.totals_90}/"
            f"{summary.printed_totals}（{share_text(data['share_totals_90_or_more'])}）"
        )
    if summary.numeric_rows:
        lines.append(
            f"实际完成值照抄指标值的定量行 {summary.repeating_rows}/{summary.numeric_rows}"
            f"（{share_text(data['share_rows_repeating_target'])}）"
        )
    return lines


def remembered_text(
    texts: Recent[Hashable, object] | None,
    row: Indicator,
    outcome: Outcome,
    make: Callable[[Indicator, Outcome], str],
    *also: Hashable,
) -> str:
    """A row's text in an output, made once per row and outcome with the run's memo.

    Rows repeat across a batch, and so does their text in a report. The text is
    remembered by the row's printed texts, the outcome's words and ``also`` (what
    else the text shows that the row's value leaves out: its places); an entry keeps
    the row and outcome it was made for and serves only equal ones.
    """
    if texts is None:
        return make(row, outcome)
    printed = row.score
    key = (
        row.level1.text,
        row.level2.text,
        row.level3,
        row.target.text,
        row.actual.text,
        row.weight.text,
        None if printed is None else printed.text,
        outcome.status,
        outcome.explanation,
        *also,
    )
    found = cast("tuple[Indicator, Outcome, str] | None", texts.get(key))
    if (
        found is not None
        and (found[0] is row or found[0] == row)
        and (found[1] is outcome or found[1] == outcome)
    ):
        return found[2]
    text = make(row, outcome)
    texts.put(key, (row, outcome, text))
    return text

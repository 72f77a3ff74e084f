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
'总分(算) 99.84（优） ≠ 总分(印) 90 · 规则 mof-2020'
"""

from __future__ import annotations

import hashlib
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Final, cast

from perfscore._format import percent, plain
from perfscore.audit import total_gap
from perfscore.findings import CHECKS

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

DIFF_MARK: Final = "≠"
"""What every human format puts between a computed figure and a printed one that differ."""

_RATE_PLACES: Final = Decimal("0.000001")

# ---------------------------------------------------------------------------------
# Numbers and cells


def run_lengths(keys: list[tuple[str, ...]]) -> list[int]:
    """For each row, how many rows its merged cell spans (0: merged into the one above).

    Labels merge as the official form prints them: a run of rows with equal keys.

    >>> run_lengths([("产出",), ("产出",), ("效益",)])
    [2, 0, 1]
    """
    spans = [0] * len(keys)
    start = 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            spans[start] = index - start
            start = index
    return spans


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


def anchor(file: str | None, index: int) -> str:
    """A table's anchor in an HTML report, the same wherever the table is rendered.

    It is made of the file's name and the table's position, so the batch summary
    links to a table without knowing where it was written.

    >>> anchor("a.json", 3)
    't-e4fc289d-3'
    """
    digest = hashlib.blake2s((file or "").encode("utf-8", "surrogatepass"), digest_size=4)
    return f"t-{digest.hexdigest()}-{index}"


def check_title(check: str) -> str:
    """A finding id's Chinese title (``""`` for an id perfscore does not define).

    >>> check_title("score-mismatch"), check_title("my-own-check")
    ('得分与规则计算值不符', '')
    """
    found = CHECKS.get(check)
    return "" if found is None else found.title


def titled(check: str) -> str:
    """A finding id with its Chinese title beside it.

    >>> titled("typo-suspect")
    'typo-suspect（实际完成值疑似数量级笔误）'
    """
    title = check_title(check)
    return f"{check}（{title}）" if title else check


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


def concerned(card: Scorecard, places: dict[str, list[Finding]]) -> list[int]:
    """The positions of the items that have a finding (what ``--findings-only`` shows)."""
    return [index for index in range(len(card.items)) if f"indicators[{index}]" in places]


def indicator_rows(card: Scorecard, shown: Sequence[int] | None = None) -> list[list[str]]:
    """The indicator rows' cells in :data:`ROW_HEADERS` order, labels merged as printed.

    A 一级 or 二级 label is given on the first of the rows it covers only; the
    computed score stands next to the printed one (``不计分`` where there is none,
    :data:`DIFF_MARK` after it where they differ). ``shown`` gives the rows to lay
    out (every row by default); labels are merged among those.
    """
    rows = []
    previous = ("", "")
    items = card.items
    for index in range(len(items)) if shown is None else shown:
        item = items[index]
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
                computed_text(card, index),
                row.deviation_note or "",
            ]
        )
    return rows


def marked_rows(
    card: Scorecard,
    places: dict[str, list[Finding]],
    *,
    marked: bool,
    separator: str,
    shown: Sequence[int] | None = None,
) -> tuple[tuple[str, ...], list[list[str]]]:
    """The indicator rows (``shown`` of them), with a 复核 column of marks when ``marked``."""
    rows = indicator_rows(card, shown)
    if not marked:
        return ROW_HEADERS, rows
    for index, row in zip(range(len(card.items)) if shown is None else shown, rows, strict=True):
        marks = places.get(f"indicators[{index}]", [])
        row.append(separator.join(f"{MARKS[f.severity]} {f.id}" for f in marks))
    return (*ROW_HEADERS, "复核"), rows


def differs_from_print(computed: Decimal | None, printed: Decimal | None) -> bool:
    """Whether a computed figure differs from the printed one (both there).

    Figures are compared as numbers: a printed ``90`` is the computed ``90.00``.
    Every format marks what this says differs, and nothing else.

    >>> differs_from_print(Decimal("9.84"), Decimal("10.00"))
    True
    >>> differs_from_print(Decimal("90.00"), Decimal("90")), differs_from_print(None, Decimal(5))
    (False, False)
    """
    return computed is not None and printed is not None and computed != printed


def differs(card: Scorecard, index: int) -> bool:
    """Whether an item's computed score differs from its printed one (both there)."""
    item = card.items[index]
    return differs_from_print(item.score, item.printed_score)


def funds_differ(card: Scorecard) -> bool:
    """Whether the 执行率 item's computed score differs from its printed one."""
    funds = card.funds
    return funds is not None and differs_from_print(funds.score, funds.printed_score)


def total_differs(card: Scorecard) -> bool:
    """Whether the computed total differs from the printed one."""
    return differs_from_print(card.total, card.printed_total)


def computed_text(card: Scorecard, index: int) -> str:
    """An item's computed score as shown: ``不计分`` for none, marked where it differs."""
    score = card.items[index].score
    if score is None:
        return "不计分"
    return f"{score:f} {DIFF_MARK}" if differs(card, index) else f"{score:f}"


def funds_line(card: Scorecard) -> str:
    """The line under the funds rows: the rate, the computed and the printed score."""
    funds = card.funds
    if funds is None:
        return ""
    computed = number_text(funds.score) if funds.score is not None else "不计分"
    between = f" {DIFF_MARK} " if funds_differ(card) else "，"
    printed = (
        ""
        if funds.printed_score is None
        else f"{between}印刷得分 {number_text(funds.printed_score)}"
    )
    return f"执行率 {percent_text(funds.rate) or '无定义'}，得分(算) {computed}{printed}"


def total_line(card: Scorecard) -> str:
    """The line under the rows: the computed total and grade, the printed total, the rules.

    The two totals stand either side of :data:`DIFF_MARK` where they differ.
    """
    between = f" {DIFF_MARK} " if total_differs(card) else " · "
    printed = (
        "" if card.printed_total is None else f"{between}总分(印) {number_text(card.printed_total)}"
    )
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


RANKED_TITLE: Final = "错误最多的表"
"""The heading of the summary's tables with the most errors."""

SUMMARY_HEADERS: Final = ("问题", "错误", "警告", "提示", "说明")
"""The headers of the summary's findings by id (:func:`summary_rows`)."""

GAP_HEADERS: Final = ("总分(印)", "", "总分(算)", "差额(印−算)", "表")
"""The headers of the summary's tables whose totals differ (:func:`gap_rows`)."""


def summary_rows(summary: BatchSummary) -> list[list[str]]:
    """Each finding id with its counts of errors, warnings and notes, and its title."""
    return [
        [
            check,
            *(str(counts.get(s, "")) for s in ("error", "warning", "info")),
            check_title(check),
        ]
        for check, counts in summary.by_id
    ]


def signed(value: Decimal) -> str:
    """A difference with its sign, ``+`` included (``0`` without one).

    >>> signed(Decimal("10.00")), signed(Decimal("-20.00")), signed(Decimal("0.00"))
    ('+10.00', '-20.00', '0.00')
    """
    return f"+{value:f}" if value > 0 else f"{value:f}"


def totals_line(summary: BatchSummary) -> str:
    """How many printed totals the rules reproduce, and the gap between the two totals.

    The gap is the printed total minus the computed one: positive where the print
    gives more than the rules.
    """
    if not summary.printed_totals:
        return "总分：没有表印有总分"
    line = (
        f"总分：印有总分的表 {summary.printed_totals} 张，与计算一致 {summary.reproduced} 张，"
        f"不一致 {summary.differing} 张"
    )
    if summary.gaps:
        _, _, name, printed, computed = summary.gaps[0]
        largest = signed(total_gap(printed, computed))
        line += f"；差额（印−算）合计 {signed(summary.gap_sum)}，最大 {largest}（{name}）"
    return line


def gap_rows(summary: BatchSummary, *, top: int = 10) -> list[tuple[list[str], str | None, int]]:
    """The tables whose printed total differs from the computed one, largest gap first.

    Each is its cells in :data:`GAP_HEADERS` order, then its file and position (for
    a link to it).
    """
    return [
        (
            [
                number_text(printed),
                DIFF_MARK,
                number_text(computed),
                signed(total_gap(printed, computed)),
                name,
            ],
            file,
            index,
        )
        for file, index, name, printed, computed in summary.gaps[:top]
    ]


def grades_line(summary: BatchSummary) -> str:
    """The count of tables per grade, the best first.

    >>> from perfscore.audit import BatchSummary
    >>> grades_line(BatchSummary(3, (), {}, (), 0, 0, 0, 0, 0, grades=(("优", 2), ("差", 1))))
    '等级：优 2 · 差 1'
    """
    if not summary.grades:
        return "等级：无"
    return "等级：" + " · ".join(f"{grade} {count}" for grade, count in summary.grades)


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

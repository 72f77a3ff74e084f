"""Tables, scorecards and audits as records: lists of plain dicts, one key scheme.

Records are what a data frame wants: ``pandas.DataFrame.from_records(card.to_records())``
works without perfscore depending on pandas, and ``card.to_dataframe()`` (the
``pandas`` extra) makes that frame with documented dtypes. Every kind of record
(a table's rows, a scorecard's items, an audit's findings) carries the same keys in
the same order first:

- the table's identity (:data:`TABLE_COLUMNS`): ``file`` and ``table_index`` (where a
  batch read it, ``None`` when not given), ``origin`` (its place in the original
  document), its name, ``kind``, ``year``, ``department``, then ``profile``,
  ``printed_total``, computed ``total`` and ``grade`` (``None`` for a table not scored);
- ``where``: the address findings use, ``funds`` (the 执行率 item),
  ``funds[N]`` (a printed funds row), ``indicators[N]`` or ``table``, and ``path``.

Numbers are :class:`~decimal.Decimal` (exact, as printed or as computed), counts and
years ``int``, absent values ``None``; texts are ``str``.

>>> from decimal import Decimal
>>> from perfscore import load, score
>>> card = score(load("examples/changji-2023/02_wine-competition-2022.json")[0])
>>> record = scorecard_records(card)[1]
>>> record["where"], record["score"], record["printed_score"], record["status"]
('indicators[0]', Decimal('10.00'), Decimal('0.00'), 'met')
>>> record["table_index"], record["year"], record["printed_total"], record["total"]
(None, 2023, Decimal('90'), Decimal('99.84'))
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Final, TypeAlias

from perfscore.render._shape import funds_cells, item_cells, score_place

if TYPE_CHECKING:
    from collections.abc import Sequence

    from perfscore.audit import AuditReport
    from perfscore.cells import Figure
    from perfscore.findings import Finding
    from perfscore.model import Table
    from perfscore.scoring import Scorecard

__all__ = [
    "FINDING_COLUMNS",
    "ITEM_COLUMNS",
    "MESSAGE_SEPARATOR",
    "NUMBER_COLUMNS",
    "ROW_COLUMNS",
    "TABLE_COLUMNS",
    "Record",
    "Value",
    "audit_records",
    "item_rows",
    "scorecard_records",
    "table_head",
    "table_records",
]

Value: TypeAlias = str | int | Decimal | None
"""One value of a record: text, an exact number, an int (index, year), or ``None``."""

Record = dict[str, Value]
"""One record: column name to value."""

TABLE_COLUMNS: Final = (
    "file",
    "table_index",
    "origin",
    "table",
    "kind",
    "year",
    "department",
    "profile",
    "printed_total",
    "total",
    "grade",
)
"""The table's identity, first on every record of every kind.

``file`` and ``table_index`` are where a batch read the table (the file's path and the
table's position in it, from 0): a :class:`~perfscore.model.Table` does not hold them,
so records made from a value have ``None`` there unless they are given
(``to_records(file=..., index=...)``). ``origin`` is the table's place in the original
document (``tables.xlsx 表3（第3张表）``), ``None`` for a table not read from a
document. ``profile``, ``total`` and ``grade`` are ``None`` on a table's own records
(it is not scored)."""

ROW_COLUMNS: Final = (
    *TABLE_COLUMNS,
    "where",
    "path",
    "label",
    "level1",
    "level2",
    "level3",
    "target",
    "target_kind",
    "target_op",
    "target_value",
    "target_unit",
    "actual",
    "actual_kind",
    "actual_value",
    "actual_unit",
    "initial_budget",
    "annual_budget",
    "executed",
    "rate",
    "weight",
    "printed_score",
    "initial_budget_text",
    "annual_budget_text",
    "executed_text",
    "rate_text",
    "weight_text",
    "printed_score_text",
    "deviation_note",
    "place",
)
"""The columns of :func:`table_records`: a table's rows, every cell as printed and as read.

A figure (an amount, a rate, a weight, a score) is its number in its own column
(``None`` for a blank or unreadable cell) and its text as printed in ``…_text``; a
target or an actual is its text, and its parts in ``…_kind``, ``…_op``, ``…_value``
(the number), ``…_unit``. ``label`` is a funds row's; the levels, target, actual and
note are an indicator row's; the others' are ``None``."""

ITEM_COLUMNS: Final = (
    *TABLE_COLUMNS,
    "where",
    "path",
    "level1",
    "level2",
    "level3",
    "target",
    "actual",
    "weight",
    "score",
    "printed_score",
    "status",
    "explanation",
    "findings",
    "messages",
    "place",
)
"""The columns of :func:`scorecard_records` and of ``--format csv``, in order.

``weight``, ``score`` (computed) and ``printed_score`` are numbers; ``findings`` lists
the ids of the item's findings (``;`` between them) and ``messages`` their messages
(`` | `` between them), for an audit; ``place`` is where the item's printed score stands in the
original document (``表2!H13``, ``第5页``), for a table read from a document. An
audit's findings about the table as a whole go on a record of their own,
``where`` = ``table``, whose ``place`` is where the printed total stands."""

FINDING_COLUMNS: Final = (
    *TABLE_COLUMNS,
    "where",
    "path",
    "id",
    "severity",
    "printed",
    "expected",
    "message",
    "place",
)
"""The columns of :func:`audit_records`: one record per finding.

``printed`` and ``expected`` are the finding's texts (the values quoted, as the
message quotes them); ``place`` is where the cell concerned was printed in the
original document."""

# The columns of numbers, written bare in the CSV (perfscore.render.csv) so that a
# spreadsheet takes them as numbers; every other cell shows its text as written (see
# perfscore.io.csv.escape_cell).
NUMBER_COLUMNS: Final = (
    "table_index",
    "year",
    "printed_total",
    "total",
    "weight",
    "score",
    "printed_score",
)
"""The columns of :data:`ITEM_COLUMNS` that hold numbers (``Decimal`` or ``int``)."""


def table_head(
    table: Table, *, file: str | None, index: int | None, card: Scorecard | None = None
) -> list[Value]:
    """The values of :data:`TABLE_COLUMNS` for a table (and its scorecard, if scored).

    >>> from perfscore import load
    >>> table = load("examples/changji-2023/02_wine-competition-2022.json")[0]
    >>> table_head(table, file="02.json", index=0)[:7]
    ['02.json', 0, None, '2022（新疆昌吉）“一带一路”国际葡萄酒大赛', 'project', 2023,
     '昌吉回族自治州工业和信息化局']
    """
    total = table.total
    return [
        file,
        index,
        None if table.origin is None else str(table.origin),
        table.name,
        table.kind,
        table.year,
        table.department,
        None if card is None else card.profile.name,
        None if total is None or total.kind != "number" else total.value,
        None if card is None else card.total,
        None if card is None else card.grade,
    ]


def _number(figure: Figure | None) -> Decimal | None:
    """A figure's number; ``None`` for no cell, a blank or an unreadable one."""
    return None if figure is None or figure.kind != "number" else figure.value


def _text(figure: Figure | None) -> str | None:
    """A figure's cell as printed; ``None`` for no cell."""
    return None if figure is None else figure.text


def table_records(
    table: Table, *, file: str | None = None, index: int | None = None
) -> list[Record]:
    """One record per funds row and per indicator row, every cell as printed and as read.

    >>> from perfscore import load
    >>> records = table_records(load("examples/changji-2023/02_wine-competition-2022.json")[0])
    >>> row = records[3]
    >>> row["where"], row["target"], row["target_op"], row["target_value"], row["target_unit"]
    ('indicators[0]', '>=700 件', '>=', Decimal('700'), '件')
    >>> records[0]["where"], records[0]["executed"], records[0]["executed_text"]
    ('funds[0]', Decimal('421.67'), '421.67')
    """
    head = table_head(table, file=file, index=index)
    empty: Record = dict.fromkeys(ROW_COLUMNS)
    records: list[Record] = []
    for position, funds in enumerate(table.funds):
        record = dict(empty)
        record.update(zip(TABLE_COLUMNS, head, strict=True))
        record |= {
            "where": f"funds[{position}]",
            "path": funds.label,
            "label": funds.label,
            "place": score_place(funds.places),
        }
        for key, figure in (
            ("initial_budget", funds.initial_budget),
            ("annual_budget", funds.annual_budget),
            ("executed", funds.executed),
            ("rate", funds.rate),
            ("weight", funds.weight),
            ("printed_score", funds.score),
        ):
            record[key] = _number(figure)
            record[f"{key}_text"] = _text(figure)
        records.append(record)
    for position, row in enumerate(table.indicators):
        record = dict(empty)
        record.update(zip(TABLE_COLUMNS, head, strict=True))
        target, actual = row.target, row.actual
        record |= {
            "where": f"indicators[{position}]",
            "path": row.path,
            "level1": row.level1.text,
            "level2": row.level2.text,
            "level3": row.level3,
            "target": target.text,
            "target_kind": target.kind,
            "target_op": target.op,
            "target_value": target.value,
            "target_unit": target.unit,
            "actual": actual.text,
            "actual_kind": actual.kind,
            "actual_value": actual.value,
            "actual_unit": actual.unit,
            "weight": row.weight_value,
            "weight_text": row.weight.text,
            "printed_score": _number(row.score),
            "printed_score_text": _text(row.score),
            "deviation_note": row.deviation_note,
            "place": score_place(row.places),
        }
        records.append(record)
    return records


def scorecard_records(
    card: Scorecard,
    *,
    file: str | None = None,
    index: int | None = None,
    findings: Sequence[Finding] | None = None,
) -> list[Record]:
    """One record per item: the 执行率 item (``where`` = ``funds``) and each row.

    With ``findings`` (an audit's), each record lists the ids of its findings in
    ``findings`` and their messages in ``messages``; the findings about the table as a
    whole go on one more record, ``where`` = ``table``.
    """
    return [
        dict(zip(ITEM_COLUMNS, values, strict=True))
        for values in item_rows(card, file=file, index=index, findings=findings)
    ]


def by_place(findings: Sequence[Finding] | None) -> dict[str, list[Finding]]:
    """The findings by their place (``funds``, ``indicators[N]``, ``table``)."""
    places: dict[str, list[Finding]] = {}
    for finding in findings or ():
        places.setdefault(finding.where, []).append(finding)
    return places


MESSAGE_SEPARATOR: Final = " | "
"""What stands between an item's findings' messages in ``messages`` (a line break would
split the CSV's one row per line; messages are Chinese text, with full-width
punctuation)."""


def found_cells(found: Sequence[Finding] | None) -> list[Value]:
    """The ``findings`` and ``messages`` values of an item: ids and messages, or ``None``.

    ``None`` for both when no audit was given; empty strings when it found nothing here.
    """
    if found is None:
        return [None, None]
    return [";".join(f.id for f in found), MESSAGE_SEPARATOR.join(f.message for f in found)]


def item_rows(
    card: Scorecard,
    *,
    file: str | None = None,
    index: int | None = None,
    findings: Sequence[Finding] | None = None,
) -> list[list[Value]]:
    """The values of :func:`scorecard_records`, one list per item in ITEM_COLUMNS order.

    >>> from perfscore import load, score
    >>> card = score(load("examples/changji-2023/02_wine-competition-2022.json")[0])
    >>> dict(zip(ITEM_COLUMNS, item_rows(card)[1])) == scorecard_records(card)[1]
    True
    """
    places = by_place(findings)
    listed = findings is not None
    table = card.table
    head = table_head(table, file=file, index=index, card=card)
    rows: list[list[Value]] = []
    if card.funds is not None:
        found = found_cells(places.get("funds", []) if listed else None)
        rows.append(funds_cells(card, [*head], found))
    # The rows and their outcomes directly: what ItemScore would read, without making one.
    for position, (row, outcome) in enumerate(zip(table.indicators, card.outcomes, strict=True)):
        where = f"indicators[{position}]"
        found = found_cells(places.get(where, []) if listed else None)
        rows.append([*head, where, *item_cells(row, outcome), *found, score_place(row.places)])
    if places.get("table"):
        rows.append(table_row(table, head, places["table"]))
    return rows


def table_row(table: Table, head: Sequence[Value], found: Sequence[Finding]) -> list[Value]:
    """The record of an audit's findings about the table as a whole, in ITEM_COLUMNS order."""
    place = None if table.origin is None else table.origin.place_of("total")
    items = [None] * (ITEM_COLUMNS.index("findings") - len(head) - 1)
    return [*head, "table", *items, *found_cells(found), place]


def audit_records(
    report: AuditReport, *, file: str | None = None, index: int | None = None
) -> list[Record]:
    """One record per finding, table-level ones included.

    >>> from perfscore import audit, load
    >>> report = audit(load("examples/changji-2023/12_industrial-internet-study.json")[0])
    >>> [(r["id"], r["severity"], r["where"]) for r in audit_records(report)][:1]
    [('direction-suspect', 'warning', 'indicators[3]')]
    """
    values = table_head(report.table, file=file, index=index, card=report.scorecard)
    head = dict(zip(TABLE_COLUMNS, values, strict=True))
    return [
        {
            **head,
            "where": finding.where,
            "path": finding.path,
            "id": finding.id,
            "severity": finding.severity,
            "printed": finding.printed,
            "expected": finding.expected,
            "message": finding.message,
            "place": finding.place,
        }
        for finding in report.findings
    ]

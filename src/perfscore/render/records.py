"""Tables, scorecards and audits as records: lists of plain dicts of strings.

Records are what a data frame wants: ``pandas.DataFrame.from_records(card.to_records())``
works without perfscore depending on pandas. Every number is a string holding an exact
decimal (convert with ``decimal.Decimal``, or ``pandas.to_numeric`` if floats will do);
absent values are ``None``.

>>> from perfscore import load, score
>>> card = score(load("examples/changji-2023/02_wine-competition-2022.json")[0])
>>> record = scorecard_records(card)[1]
>>> record["where"], record["score"], record["printed_score"], record["status"]
('indicators[0]', '10.00', '0.00', 'met')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from perfscore._format import plain
from perfscore.render._shape import funds_cells, ids_by_place, item_cells, score_place

if TYPE_CHECKING:
    from collections.abc import Sequence

    from perfscore.audit import AuditReport
    from perfscore.cells import Figure
    from perfscore.findings import Finding
    from perfscore.model import Table
    from perfscore.scoring import Scorecard

__all__ = [
    "ITEM_COLUMNS",
    "NUMBER_COLUMNS",
    "Record",
    "audit_records",
    "item_rows",
    "scorecard_records",
    "table_records",
]

Record = dict[str, str | int | None]
"""One record: column name to a string (numbers as exact decimal strings), int or None."""


def _figure_or_none(figure: Figure | None) -> str | None:
    """A figure's cell as printed; ``None`` for no cell."""
    return None if figure is None else figure.text


def table_records(table: Table) -> list[Record]:
    """One record per funds row and per indicator row, every cell verbatim and as read.

    >>> from perfscore import load
    >>> records = table_records(load("examples/changji-2023/02_wine-competition-2022.json")[0])
    >>> row = records[3]
    >>> row["record"], row["target"], row["target_op"], row["target_value"], row["target_unit"]
    ('indicator', '>=700 件', '>=', '700', '件')
    """
    records: list[Record] = [
        {
            "table": table.name,
            "record": "funds",
            "index": index,
            "label": row.label,
            "initial_budget": _figure_or_none(row.initial_budget),
            "annual_budget": _figure_or_none(row.annual_budget),
            "executed": _figure_or_none(row.executed),
            "weight": _figure_or_none(row.weight),
            "rate": _figure_or_none(row.rate),
            "score": _figure_or_none(row.score),
        }
        for index, row in enumerate(table.funds)
    ]
    for index, row in enumerate(table.indicators):
        records.append(
            {
                "table": table.name,
                "record": "indicator",
                "index": index,
                "level1": row.level1.name,
                "level2": row.level2.name,
                "level3": row.level3,
                "target": row.target.text,
                "target_kind": row.target.kind,
                "target_op": row.target.op,
                "target_value": plain(row.target.value),
                "target_unit": row.target.unit,
                "actual": row.actual.text,
                "actual_kind": row.actual.kind,
                "actual_value": plain(row.actual.value),
                "actual_unit": row.actual.unit,
                "weight": plain(row.weight_value),
                "score": _figure_or_none(row.score),
                "deviation_note": row.deviation_note,
            }
        )
    return records


ITEM_COLUMNS: Final = (
    "file",
    "table_index",
    "table",
    "profile",
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
    "place",
)
"""The columns of :func:`scorecard_records` and of ``--format csv``, in order.

``place`` is where the item's printed score stands in the original document
(``表2!H13``, ``第5页``), for a table read from a document."""


def scorecard_records(
    card: Scorecard,
    *,
    file: str | None = None,
    index: int = 0,
    findings: Sequence[Finding] | None = None,
) -> list[Record]:
    """One record per item: the 执行率 item (``where`` = ``funds``) and each row.

    With ``findings`` (an audit's), each record lists the ids of its findings in
    ``findings``, separated by ``;``; table-level findings go on no row.
    """
    return [
        dict(zip(ITEM_COLUMNS, values, strict=True))
        for values in item_rows(card, file=file, index=index, findings=findings)
    ]


def item_rows(
    card: Scorecard,
    *,
    file: str | None = None,
    index: int = 0,
    findings: Sequence[Finding] | None = None,
) -> list[list[str | int | None]]:
    """The values of :func:`scorecard_records`, one list per item in ITEM_COLUMNS order.

    >>> from perfscore import load, score
    >>> card = score(load("examples/changji-2023/02_wine-competition-2022.json")[0])
    >>> dict(zip(ITEM_COLUMNS, item_rows(card)[1])) == scorecard_records(card)[1]
    True
    """
    places = ids_by_place(findings)
    listed = findings is not None
    table = card.table
    head = [file, index, table.name, card.profile.name]
    rows: list[list[str | int | None]] = []
    if card.funds is not None:
        rows.append(funds_cells(card, head, places, listed=listed))
    # The rows and their outcomes directly: what ItemScore would read, without making one.
    for position, (row, outcome) in enumerate(zip(table.indicators, card.outcomes, strict=True)):
        where = f"indicators[{position}]"
        found = ";".join(places.get(where, ())) if listed else None
        rows.append([*head, where, *item_cells(row, outcome), found, score_place(row.places)])
    return rows


def audit_records(report: AuditReport, *, file: str | None = None, index: int = 0) -> list[Record]:
    """One record per finding.

    >>> from perfscore import audit, load
    >>> report = audit(load("examples/changji-2023/12_industrial-internet-study.json")[0])
    >>> [(r["id"], r["severity"], r["where"]) for r in audit_records(report)][:1]
    [('direction-suspect', 'warning', 'indicators[3]')]
    """
    return [
        {
            "file": file,
            "table_index": index,
            "table": report.table.name,
            "profile": report.profile.name,
            **finding.to_dict(),
        }
        for finding in report.findings
    ]


# The columns of computed numbers (perfscore's own canonical digits), written bare in
# the CSV (perfscore.render.csv) so that a spreadsheet takes them as numbers; every
# other cell shows its text as written (see perfscore.io.csv.escape_cell).
NUMBER_COLUMNS: Final = ("table_index", "score", "printed_score")

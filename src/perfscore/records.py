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

import csv
import io
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING, Final

from perfscore._format import plain

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from perfscore.auditing import AuditReport
    from perfscore.cells import Figure
    from perfscore.findings import Finding
    from perfscore.model import Table
    from perfscore.scoring import Scorecard

__all__ = [
    "ITEM_COLUMNS",
    "Record",
    "audit_records",
    "items_csv",
    "scorecard_records",
    "table_records",
]

Record = dict[str, str | int | None]
"""One record: column name to a string (numbers as exact decimal strings), int or None."""


def _figure(figure: Figure | None) -> str | None:
    return None if figure is None else figure.text


def _rate(rate: Decimal) -> str:
    """The rate cut to six decimals, as in the JSON report."""
    return f"{rate.quantize(Decimal('0.000001'), ROUND_DOWN):f}"


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
            "initial_budget": _figure(row.initial_budget),
            "annual_budget": _figure(row.annual_budget),
            "executed": _figure(row.executed),
            "weight": _figure(row.weight),
            "rate": _figure(row.rate),
            "score": _figure(row.score),
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
                "score": _figure(row.score),
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
)
"""The columns of :func:`scorecard_records` and of ``--format csv``, in order."""


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
    places: dict[str, list[str]] = {}
    for finding in findings or ():
        places.setdefault(finding.where, []).append(finding.id)
    base: Record = {
        "file": file,
        "table_index": index,
        "table": card.table.name,
        "profile": card.profile.name,
    }
    records: list[Record] = []
    funds = card.funds
    if funds is not None:
        records.append(
            {
                **base,
                "where": "funds",
                "path": funds.label,
                "level1": None,
                "level2": None,
                "level3": None,
                "target": None,
                "actual": None if funds.rate is None else _rate(funds.rate),
                "weight": plain(funds.weight),
                "score": plain(funds.score),
                "printed_score": plain(funds.printed_score),
                "status": funds.status,
                "explanation": funds.explanation,
                "findings": ";".join(places.get("funds", [])) if findings is not None else None,
            }
        )
    for item in card.items:
        row = item.indicator
        where = f"indicators[{item.index}]"
        records.append(
            {
                **base,
                "where": where,
                "path": item.path,
                "level1": row.level1.text,
                "level2": row.level2.text,
                "level3": row.level3,
                "target": row.target.text,
                "actual": row.actual.text,
                "weight": row.weight.text,
                "score": plain(item.score),
                "printed_score": plain(item.printed_score),
                "status": item.status,
                "explanation": item.explanation,
                "findings": ";".join(places.get(where, [])) if findings is not None else None,
            }
        )
    return records


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


def items_csv(records: Iterable[Record], *, header: bool = True) -> str:
    """Item records as CSV text (the ``--format csv`` output), columns in ITEM_COLUMNS order.

    >>> print(items_csv([], header=True).strip())
    file,table_index,table,profile,where,path,level1,level2,level3,target,actual,weight,score,printed_score,status,explanation,findings
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")  # writes None as an empty field
    if header:
        writer.writerow(ITEM_COLUMNS)
    writer.writerows([record.get(key) for key in ITEM_COLUMNS] for record in records)
    return out.getvalue()

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
from functools import cache
from typing import TYPE_CHECKING, Final, cast

from perfscore._format import plain
from perfscore.io.csv import escape_cell

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from perfscore.audit import AuditReport
    from perfscore.cells import Figure
    from perfscore.findings import Finding
    from perfscore.memo import Memo
    from perfscore.model import Indicator, Table
    from perfscore.scoring import Outcome, Scorecard

__all__ = [
    "ITEM_COLUMNS",
    "NUMBER_COLUMNS",
    "Record",
    "audit_records",
    "card_csv",
    "csv_text",
    "item_rows",
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
    places = _places(findings)
    listed = findings is not None
    table = card.table
    head = [file, index, table.name, card.profile.name]
    rows: list[list[str | int | None]] = []
    if card.funds is not None:
        rows.append(_funds_row(card, head, places, listed=listed))
    # The rows and their outcomes directly: what ItemScore would read, without making one.
    for position, (row, outcome) in enumerate(zip(table.indicators, card.outcomes, strict=True)):
        where = f"indicators[{position}]"
        found = ";".join(places.get(where, ())) if listed else None
        rows.append([*head, where, *_item_values(row, outcome), found, _place(row.places)])
    return rows


def _place(places: tuple[tuple[str, str], ...]) -> str | None:
    """Where a row's printed score stands (else its name, else its first cell)."""
    if not places:
        return None
    by_key = dict(places)
    return by_key.get("score") or by_key.get("level3") or by_key.get("label") or places[0][1]


def _places(findings: Sequence[Finding] | None) -> dict[str, list[str]]:
    """The findings' ids by their place (``funds``, ``indicators[N]``, ``table``)."""
    places: dict[str, list[str]] = {}
    for finding in findings or ():
        places.setdefault(finding.where, []).append(finding.id)
    return places


def _funds_row(
    card: Scorecard, head: list[str | int | None], places: dict[str, list[str]], *, listed: bool
) -> list[str | int | None]:
    """The 执行率 item's values, after the table's (``head``)."""
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
        None if funds.rate is None else _rate(funds.rate),  # actual
        plain(funds.weight),
        plain(funds.score),
        plain(funds.printed_score),
        funds.status,
        funds.explanation,
        ";".join(places.get("funds", ())) if listed else None,
        None if total_row is None else _place(total_row.places),
    ]


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


# The columns of computed numbers (perfscore's own canonical digits), written bare so
# that a spreadsheet takes them as numbers; every other cell shows its text as written
# (see perfscore.io.csv.escape_cell).
NUMBER_COLUMNS: Final = ("table_index", "score", "printed_score")
# The columns whose cells are escaped: not the numbers, nor where and status, which
# hold perfscore's own words (funds, indicators[3], met, partial …), text to any
# spreadsheet.
_TEXT_AT: Final = tuple(
    at
    for at, column in enumerate(ITEM_COLUMNS)
    if column not in NUMBER_COLUMNS and column not in {"where", "status"}
)


def _escaped(values: Sequence[str | int | None], first: int = 0) -> list[str | int | None]:
    """Some of an item's values (from column ``first``) as written to CSV: text escaped."""
    out = list(values)
    for at in _text_positions(first, len(out)):
        if (value := out[at]) is not None:
            out[at] = escape_cell(str(value))
    return out


@cache
def _text_positions(first: int, count: int) -> tuple[int, ...]:
    """Where the text cells are among ``count`` values from column ``first``."""
    return tuple(at - first for at in _TEXT_AT if first <= at < first + count)


def items_csv(records: Iterable[Record], *, header: bool = True) -> str:
    """Item records as CSV text (the ``--format csv`` output), columns in ITEM_COLUMNS order.

    Lines end in CRLF. Cells a spreadsheet would take as a formula or convert are
    escaped (see :func:`perfscore.io.csv.escape_cell`); the computed numbers of
    :data:`NUMBER_COLUMNS` are written bare.

    >>> print(items_csv([], header=True).strip())
    file,table_index,table,profile,where,path,level1,level2,level3,target,actual,weight,score,printed_score,status,explanation,findings,place
    """
    rows = (_escaped([record.get(key) for key in ITEM_COLUMNS]) for record in records)
    return csv_text([ITEM_COLUMNS, *rows] if header else rows)


def card_csv(
    card: Scorecard,
    *,
    file: str | None = None,
    index: int = 0,
    findings: Sequence[Finding] | None = None,
    memo: Memo | None = None,
) -> str:
    """A scorecard's items as CSV rows without a header: ``items_csv`` of its records.

    A row's columns from ``path`` to ``explanation`` depend only on the row and its
    outcome, so with the run's ``memo`` their CSV text is made once per distinct row
    and outcome (rows repeat across a batch); each line is that text between the
    table's columns, the place and the findings. Lines end in CRLF.

    >>> from perfscore import load, score
    >>> card = score(load("examples/changji-2023/02_wine-competition-2022.json")[0])
    >>> card_csv(card) == items_csv(scorecard_records(card), header=False)
    True
    """
    table = card.table
    places = _places(findings)
    listed = findings is not None
    head_values: list[str | int | None] = [file, index, table.name, card.profile.name]
    head = csv_text([_escaped(head_values)])[:-2]
    lines = []
    if card.funds is not None:
        funds = _funds_row(card, [], places, listed=listed)
        lines.append(f"{head},{csv_text([_escaped(funds, _WHERE_AT)])}")
    texts = None if memo is None else memo.scope(card_csv)
    for position, (row, outcome) in enumerate(zip(table.indicators, card.outcomes, strict=True)):
        if texts is None:
            text = _item_text(row, outcome)
        else:
            key = (row, row.cell_texts, outcome)
            remembered = texts.get(key)
            if remembered is None:
                remembered = _item_text(row, outcome)
                texts.put(key, remembered)
            text = cast("str", remembered)
        where = f"indicators[{position}]"
        found = ";".join(places.get(where, ())) if listed else ""
        if found and not _PLAIN_IDS.issuperset(found):  # never so for the built-in ids
            found = csv_text([[escape_cell(found)]])[:-2]
        place = "" if not row.places else csv_text([_escaped([_place(row.places)])])[:-2]
        lines.append(f"{head},{where},{text},{found},{place}\r\n")
    return "".join(lines)


# What a finding id may hold and be written as it is: the built-in ids are lower-case
# words and dashes (a spreadsheet takes them as text: see escape_cell).
_PLAIN_IDS: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_;")


def _item_values(row: Indicator, outcome: Outcome) -> list[str | int | None]:
    """A row's columns from ``path`` to ``explanation``."""
    printed = row.score
    return [
        row.path,
        row.level1.text,
        row.level2.text,
        row.level3,
        row.target.text,
        row.actual.text,
        row.weight.text,
        plain(outcome.score),
        None if printed is None or printed.kind != "number" else plain(printed.value),
        outcome.status,
        outcome.explanation,
    ]


def _item_text(row: Indicator, outcome: Outcome) -> str:
    """A row's columns from ``path`` to ``explanation`` as CSV text, escaped."""
    return csv_text([_escaped(_item_values(row, outcome), _PATH_AT)])[:-2]


_PATH_AT: Final = ITEM_COLUMNS.index("path")
_WHERE_AT: Final = ITEM_COLUMNS.index("where")


def csv_text(rows: Iterable[Sequence[str | int | None]]) -> str:
    r"""Rows as CSV text, exactly as :mod:`csv` writes them: each row ends in CRLF.

    A row whose values hold no comma, quote or line break is joined directly (the
    common case, several times faster); any other row goes through :mod:`csv`. The
    values are written as they are (escaping is the caller's).

    >>> csv_text([["a", None, 3], ['say "hi" now', "x,y", ""]])
    'a,,3\r\n"say ""hi"" now","x,y",\r\n'
    """
    lines = []
    for row in rows:
        fields = ["" if value is None else str(value) for value in row]
        line = ",".join(fields)
        if (
            '"' in line
            or "\n" in line
            or "\r" in line  # quoted by some versions of csv
            or line.count(",") != len(fields) - 1
            or not line
        ):
            out = io.StringIO()
            csv.writer(out).writerow(row)
            line = out.getvalue()[:-2]
        lines.append(line)
    lines.append("")
    return "\r\n".join(lines) if len(lines) > 1 else ""

"""Scorecards and audits as CSV: one row per item, the ``--format csv`` output.

The columns are those of the records (:data:`~perfscore.render.records.ITEM_COLUMNS`);
lines end in CRLF. The CSV opens in a spreadsheet showing each cell as printed: a cell
a spreadsheet would take as a formula or convert is escaped (see
:func:`perfscore.io.csv.escape_cell`), and the computed numbers of
:data:`~perfscore.render.records.NUMBER_COLUMNS` are written bare.

>>> import io
>>> from perfscore import load, score
>>> stream = io.StringIO()
>>> writer = CsvWriter(stream, profile_name="mof-2020", command="score")
>>> writer.begin()
>>> table = load("examples/changji-2023/02_wine-competition-2022.json")[0]
>>> writer.table("02.json", 0, score(table))
>>> writer.end(None)
>>> print(stream.getvalue().splitlines()[2][:96])
02.json,0,,2022（新疆昌吉）“一带一路”国际葡萄酒大赛,project,2023,昌吉回族自治州工业和信息化局,mof-2020,90,99.84,优,indicators[0]
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Final

from perfscore.io.csv import escape_cell
from perfscore.render._shape import funds_cells, item_cells, remembered_text, score_place
from perfscore.render.records import (
    ITEM_COLUMNS,
    NUMBER_COLUMNS,
    by_place,
    found_cells,
    table_head,
    table_row,
)
from perfscore.render.writer import Writer

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from perfscore.findings import Finding
    from perfscore.memo import Memo
    from perfscore.model import Indicator
    from perfscore.render.records import Record, Value
    from perfscore.scoring import Outcome, Scorecard

__all__ = ["CsvWriter", "card_csv", "csv_text", "items_csv"]

# The columns whose cells are escaped: not the numbers, nor where and status, which
# hold perfscore's own words (funds, indicators[3], met, partial …), nor kind and
# grade (project, 优 …), text to any spreadsheet.
_TEXT_AT: Final = tuple(
    at
    for at, column in enumerate(ITEM_COLUMNS)
    if column not in NUMBER_COLUMNS and column not in {"where", "status", "kind", "grade"}
)
_NUMBER_AT: Final = tuple(ITEM_COLUMNS.index(column) for column in NUMBER_COLUMNS)


def _escaped(values: Sequence[Value], first: int = 0) -> list[Value]:
    """Some of an item's values (from column ``first``) as written to CSV.

    Text is escaped; numbers are written in their exact digits (never in exponent form).
    """
    out = list(values)
    for at in _text_positions(first, len(out)):
        if (value := out[at]) is not None:
            out[at] = escape_cell(str(value))
    for at in _number_positions(first, len(out)):
        if isinstance(value := out[at], Decimal):
            out[at] = f"{value:f}"
    return out


@cache
def _text_positions(first: int, count: int) -> tuple[int, ...]:
    """Where the text cells are among ``count`` values from column ``first``."""
    return tuple(at - first for at in _TEXT_AT if first <= at < first + count)


@cache
def _number_positions(first: int, count: int) -> tuple[int, ...]:
    """Where the number cells are among ``count`` values from column ``first``."""
    return tuple(at - first for at in _NUMBER_AT if first <= at < first + count)


def items_csv(records: Iterable[Record], *, header: bool = True) -> str:
    """Item records as CSV text (the ``--format csv`` output), columns in ITEM_COLUMNS order.

    Lines end in CRLF. Cells a spreadsheet would take as a formula or convert are
    escaped (see :func:`perfscore.io.csv.escape_cell`); the numbers of
    :data:`NUMBER_COLUMNS` are written bare.

    >>> print(items_csv([], header=True).strip())
    file,table_index,origin,table,kind,year,department,profile,printed_total,total,grade,where,path,level1,level2,level3,target,actual,weight,score,printed_score,status,explanation,findings,messages,place
    """
    rows = (_escaped([record.get(key) for key in ITEM_COLUMNS]) for record in records)
    return csv_text([ITEM_COLUMNS, *rows] if header else rows)


def card_csv(  # noqa: PLR0913 - the table's own fields, the run's memo and its cut
    card: Scorecard,
    *,
    file: str | None = None,
    index: int | None = None,
    findings: Sequence[Finding] | None = None,
    memo: Memo | None = None,
    findings_only: bool = False,
) -> str:
    """A scorecard's items as CSV rows without a header: ``items_csv`` of its records.

    With ``findings_only``, only the items (the 执行率 item, rows) with a finding.

    A row's columns from ``path`` to ``explanation`` depend only on the row and its
    outcome, so with the run's ``memo`` their CSV text is made once per distinct row
    and outcome (rows repeat across a batch); each line is that text between the
    table's columns, the place and the findings. An audit's findings about the table
    as a whole make one more row (``where`` = ``table``). Lines end in CRLF.

    >>> from perfscore import load, score
    >>> from perfscore.render.records import scorecard_records
    >>> card = score(load("examples/changji-2023/02_wine-competition-2022.json")[0])
    >>> card_csv(card) == items_csv(scorecard_records(card), header=False)
    True
    """
    table = card.table
    places = by_place(findings)
    listed = findings is not None
    head_values = table_head(table, file=file, index=index, card=card)
    head = csv_text([_escaped(head_values)])[:-2]
    lines = []
    if card.funds is not None and (not findings_only or "funds" in places):
        found = found_cells(places.get("funds", []) if listed else None)
        funds = funds_cells(card, [], found)
        lines.append(f"{head},{csv_text([_escaped(funds, _WHERE_AT)])}")
    texts = None if memo is None else memo.scope(card_csv)
    for position, (row, outcome) in enumerate(zip(table.indicators, card.outcomes, strict=True)):
        where = f"indicators[{position}]"
        if findings_only and where not in places:
            continue
        text = remembered_text(texts, row, outcome, _item_text)
        marked = ","  # no findings: two empty cells
        if listed and (marks := places.get(where)):
            marked = csv_text([_escaped(found_cells(marks), _FINDINGS_AT)])[:-2]
        place = "" if not row.places else csv_text([_escaped([score_place(row.places)])])[:-2]
        lines.append(f"{head},{where},{text},{marked},{place}\r\n")
    if places.get("table"):
        lines.append(csv_text([_escaped(table_row(table, head_values, places["table"]))]))
    return "".join(lines)


def _item_text(row: Indicator, outcome: Outcome) -> str:
    """A row's columns from ``path`` to ``explanation`` as CSV text, escaped."""
    return csv_text([_escaped(item_cells(row, outcome), _PATH_AT)])[:-2]


_PATH_AT: Final = ITEM_COLUMNS.index("path")
_WHERE_AT: Final = ITEM_COLUMNS.index("where")
_FINDINGS_AT: Final = ITEM_COLUMNS.index("findings")


def csv_text(rows: Iterable[Sequence[Value]]) -> str:
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


class CsvWriter(Writer):
    """One CSV row per item: computed and printed score, status, findings."""

    def begin(self) -> None:
        """Write the header row."""
        self.out(items_csv([], header=True))

    def render_table(
        self,
        file: str | None,
        index: int,
        card: Scorecard,
        findings: Sequence[Finding] | None,
    ) -> str:
        """The table's items, one CSV row each (with ``findings_only``, those with findings)."""
        return card_csv(
            card,
            file=file,
            index=index,
            findings=findings,
            memo=self.memo,
            findings_only=self.findings_only,
        )

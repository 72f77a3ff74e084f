"""Scorecards and audits as the ``perfscore.report/1`` JSON document.

The JSON layout is a contract with other tools (see ``docs/report-format.md``): every
number is a string holding an exact decimal, absent values are ``null``, items are in
input order. :class:`JsonWriter` writes a batch as one document, table by table, laid
out as ``json.dumps(..., ensure_ascii=False, indent=1)`` lays it out.

>>> from perfscore import load, score
>>> card = score(load("examples/changji-2023/02_wine-competition-2022.json")[0],
...              profile="changji-2023")
>>> entry = scorecard_entry(card, file="02.json")
>>> entry["funds"]["rate"], entry["funds"]["score"], entry["funds"]["printed_score"]
('0.983578', '10.00', '10.00')
>>> item = entry["items"][0]
>>> item["target"], item["actual"], item["score"], item["printed_score"], item["status"]
('>=700 件', '=1044 件', '10.00', '0.00', 'met')
"""

from __future__ import annotations

import functools
import json
from itertools import repeat
from typing import TYPE_CHECKING, Any, Final

from perfscore._format import plain
from perfscore.render._shape import cut_rate, remembered_text
from perfscore.render.writer import Writer

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from perfscore.audit import BatchSummary
    from perfscore.errors import PerfscoreError
    from perfscore.findings import Finding
    from perfscore.memo import Memo
    from perfscore.model import Indicator, JSONValue
    from perfscore.scoring import FundsScore, ItemScore, Outcome, Scorecard

__all__ = [
    "REPORT_FORMAT",
    "JsonWriter",
    "entry_json",
    "indented_json",
    "report_document",
    "scorecard_entry",
]

REPORT_FORMAT: Final = "perfscore.report/1"
"""The version of the JSON report layout."""


def _funds_entry(funds: FundsScore) -> dict[str, Any]:
    return {
        "label": funds.label,
        "rate": cut_rate(funds.rate),
        "printed_rate": None if funds.printed_rate is None else funds.printed_rate.text,
        "weight": plain(funds.weight),
        "score": plain(funds.score),
        "printed_score": plain(funds.printed_score),
        "status": funds.status,
        "explanation": funds.explanation,
    }


def _item_entry(item: ItemScore) -> dict[str, Any]:
    return {"index": item.index, **_item_values(item.indicator, item.outcome)}


def _item_values(row: Indicator, outcome: Outcome) -> dict[str, Any]:
    """An item's members after ``index``: its row's cells and its outcome."""
    printed = row.score
    weight = row.weight
    return {
        "level1": row.level1.text,
        "level2": row.level2.text,
        "level3": row.level3,
        "target": row.target.text,
        "actual": row.actual.text,
        "weight": weight.text if weight.kind != "number" else plain(weight.value),
        "score": plain(outcome.score),
        "printed_score": None
        if printed is None or printed.kind != "number"
        else plain(printed.value),
        "status": outcome.status,
        "explanation": outcome.explanation,
    } | ({"places": dict(row.places)} if row.places else {})


def scorecard_entry(
    card: Scorecard,
    *,
    file: str | None = None,
    index: int = 0,
    findings: Sequence[dict[str, Any]] | None = None,
    findings_only: bool = False,
) -> dict[str, Any]:
    """One ``tables[]`` entry of the report document.

    Args:
        card: the scorecard.
        file: the input file the table came from.
        index: the table's position in that file.
        findings: audit findings as report dicts; the key is left out when ``None``.
        findings_only: keep only the items the findings concern (each keeps its
            ``index``), and ``funds`` only if a finding concerns it (else ``null``).
    """
    places = _places(findings) if findings_only else None
    items = [
        _item_entry(item)
        for item in card.items
        if places is None or f"indicators[{item.index}]" in places
    ]
    funds = places is None or "funds" in places
    return _entry(card, file=file, index=index, findings=findings, items=items, funds=funds)


def _places(findings: Sequence[dict[str, Any]] | None) -> set[str]:
    """Where the findings are (``funds``, ``indicators[N]``, ``table``)."""
    return {finding["where"] for finding in findings or ()}


def _entry(  # noqa: PLR0913 - the entry's own fields
    card: Scorecard,
    *,
    file: str | None,
    index: int,
    findings: Sequence[dict[str, Any]] | None,
    items: list[dict[str, Any]],
    funds: bool = True,
) -> dict[str, Any]:
    """A ``tables[]`` entry with the items given (:func:`entry_json` lays its own)."""
    entry: dict[str, Any] = {
        "file": file,
        "index": index,
        "name": card.table.name,
    }
    origin = card.table.origin
    if origin is not None:
        entry["origin"] = {"document": origin.document, "place": origin.place}
        entry["origin"]["number"] = origin.number
    entry |= {
        "funds": None if card.funds is None or not funds else _funds_entry(card.funds),
        "items": items,
        "total": plain(card.total),
        "printed_total": plain(card.printed_total),
        "grade": card.grade,
        "complete": card.complete,
    }
    if findings is not None:
        entry["findings"] = list(findings)
    return entry


def entry_json(  # noqa: PLR0913 - the entry's own fields, its indent and the run's memo
    card: Scorecard,
    *,
    file: str | None = None,
    index: int = 0,
    findings: Sequence[dict[str, Any]] | None = None,
    margin: int = 0,
    memo: Memo | None = None,
    findings_only: bool = False,
) -> str:
    """``indented_json(scorecard_entry(...), margin=margin)``, faster on a batch.

    An item's members after its ``index`` depend only on the row and its outcome, so
    with the run's ``memo`` their text is made once per distinct row and outcome and
    each item is laid out around it; the rest is laid out as :func:`indented_json`
    does.

    >>> from perfscore import load, score
    >>> card = score(load("examples/changji-2023/02_wine-competition-2022.json")[0])
    >>> entry_json(card, file="02.json", margin=2) == indented_json(
    ...     scorecard_entry(card, file="02.json"), margin=2
    ... )
    True
    """
    table = card.table
    inner = " " * (margin + 1)
    places = _places(findings) if findings_only else None
    rows = [
        (position, row, outcome)
        for position, (row, outcome) in enumerate(zip(table.indicators, card.outcomes, strict=True))
        if places is None or f"indicators[{position}]" in places
    ]
    if rows:
        depth = margin + 2  # the items' own
        item_inner = " " * (depth + 1)
        head, separator = "{\n" + item_inner + '"index": ', ",\n" + item_inner
        close = "\n" + " " * depth + "}"
        make = _item_members(depth)
        texts = None if memo is None else memo.scope(entry_json, depth)
        items = []
        for position, row, outcome in rows:
            text = remembered_text(texts, row, outcome, make, row.places)
            items.append(head + str(position) + separator + text + close)
        between = ",\n" + " " * depth
        items_text = "[\n" + " " * depth + between.join(items) + "\n" + inner + "]"
    else:
        items_text = "[]"
    funds = places is None or "funds" in places
    entry = _entry(card, file=file, index=index, findings=findings, items=[], funds=funds)
    members = [
        f"{_scalar(key)}: {items_text if key == 'items' else _indented(value, margin + 1)}"
        for key, value in entry.items()
    ]
    return "{\n" + inner + (",\n" + inner).join(members) + "\n" + " " * margin + "}"


@functools.lru_cache(maxsize=64)
def _item_members(depth: int) -> Callable[[Indicator, Outcome], str]:
    """Makes an item's members after ``index``, as the flat encoder lays them at ``depth``."""
    encode = _flat_encoder(depth + 1)

    def members(row: Indicator, outcome: Outcome) -> str:
        return encode(_item_values(row, outcome))[1:-1]

    return members


def indented_json(value: Any, *, margin: int = 0) -> str:  # noqa: ANN401 - any JSON value
    """A JSON value as ``json.dumps(value, ensure_ascii=False, indent=1)`` writes it, faster.

    The value is a tree, as JSON documents are (a cycle raises ``ValueError``, as
    ``json.dumps`` does). Each line after the first is indented by ``margin`` more
    spaces. Objects and arrays whose members are all scalars (the report's items,
    findings and funds) are written by the C encoder, with the line break and
    indentation as its item separator; the rest is laid out here. A test compares it
    with ``json.dumps`` on generated values.

    >>> print(indented_json({"a": [{"b": None, "c": "甲"}], "d": []}, margin=2))
    {
       "a": [
        {
         "b": null,
         "c": "甲"
        }
       ],
       "d": []
      }
    """
    try:
        return _indented(value, margin)
    except RecursionError:
        # A cycle, or nesting deeper than the stack: json's own encoder says which
        # (ValueError: Circular reference detected), as json.dumps would.
        return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * margin)


def _indented(value: Any, depth: int) -> str:  # noqa: ANN401 - any JSON value
    """``value`` laid out with one space per level, its first line at ``depth``."""
    members: Iterable[Any]
    if isinstance(value, dict):
        opening, closing, members = "{", "}", value.values()
    elif isinstance(value, list | tuple):
        opening, closing, members = "[", "]", value
    else:
        return _scalar(value)
    if not value:
        return opening + closing
    inner = " " * (depth + 1)
    if not any(map(isinstance, members, repeat(_CONTAINERS))):
        # Scalars only: the C encoder writes them, each on its own line.
        flat = _flat_encoder(depth + 1)(value)
    elif isinstance(value, dict):
        if not all(type(key) is str for key in value):  # keys json would convert
            return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * depth)
        flat = (
            "{"
            + (",\n" + inner).join(
                f"{_scalar(key)}: {_indented(member, depth + 1)}" for key, member in value.items()
            )
            + "}"
        )
    else:
        flat = "[" + (",\n" + inner).join(_indented(member, depth + 1) for member in value) + "]"
    return opening + "\n" + inner + flat[1:-1] + "\n" + " " * depth + closing


_CONTAINERS: Final = (dict, list, tuple)


@functools.lru_cache(maxsize=64)
def _flat_encoder(depth: int) -> Callable[[Any], str]:
    """Encodes a value, separating members by a line break and ``depth`` spaces.

    It is the C encoder that ``json.dumps`` uses without ``indent``, made once rather
    than at every call (a ``JSONEncoder`` makes it again for each value).
    """
    separator = ",\n" + " " * depth
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - a Python without the json accelerator
        return json.JSONEncoder(ensure_ascii=False, separators=(separator, ": ")).encode
    encode = make(
        None,  # no check for cycles: reports are trees
        json.JSONEncoder().default,
        json.encoder.encode_basestring,
        None,
        ": ",
        separator,
        False,  # noqa: FBT003 - sort_keys (the C function takes positions only)
        False,  # noqa: FBT003 - skipkeys
        True,  # noqa: FBT003 - allow_nan
    )
    return lambda value: "".join(encode(value, 0))


def _scalar(value: Any) -> str:  # noqa: ANN401 - any JSON scalar
    if type(value) is str:
        return json.encoder.encode_basestring(value)
    return _flat_encoder(0)(value)


def report_document(
    profile_name: str,
    entries: Iterable[dict[str, Any]],
    *,
    summary: BatchSummary | None = None,
    findings_only: bool = False,
) -> dict[str, Any]:
    """The whole ``perfscore.report/1`` document (with the batch ``summary``).

    ``findings_only`` says the entries were cut to their findings
    (``scorecard_entry(..., findings_only=True)``).

    >>> report_document("mof-2020", [])
    {'format': 'perfscore.report/1', 'profile': 'mof-2020', 'tables': []}
    """
    document: dict[str, Any] = {"format": REPORT_FORMAT, "profile": profile_name}
    if findings_only:
        document["findings_only"] = True
    document["tables"] = list(entries)
    if summary is not None:
        document["summary"] = summary.to_dict()
    return document


class JsonWriter(Writer):
    """The ``perfscore.report/1`` document, written table by table."""

    def setup(self) -> None:
        """No refused inputs yet."""
        self.refusals: list[JSONValue] = []

    def begin(self) -> None:
        """Open the document (saying ``findings_only`` when the tables are cut)."""
        profile = json.dumps(self.profile_name, ensure_ascii=False)
        cut = '\n "findings_only": true,' if self.findings_only else ""
        self.out(f'{{\n "format": "{REPORT_FORMAT}",\n "profile": {profile},{cut}\n "tables": [')

    def render_table(
        self,
        file: str | None,
        index: int,
        card: Scorecard,
        findings: Sequence[Finding] | None,
    ) -> str:
        """One ``tables[]`` entry."""
        return entry_json(
            card,
            file=file,
            index=index,
            findings=None if findings is None else [f.to_dict() for f in findings],
            margin=2,
            memo=self.memo,
            findings_only=self.findings_only,
        )

    def write(self, rendered: str) -> None:
        """Write one entry, after a comma from the one before."""
        if not rendered:
            return
        self.out(("," if self.count else "") + "\n  " + rendered)
        self.count += 1

    def refused(self, error: PerfscoreError) -> None:
        """Keep the refused input for the document's ``refused`` list."""
        self.refusals.append(_refusal(error))

    def end(self, summary: BatchSummary | None) -> None:
        """Close the document, with the batch summary and the refused inputs."""
        self.out("\n ]" if self.count else "]")
        if summary is not None:
            self.out(',\n "summary": ' + indented_json(summary.to_dict(), margin=1))
        if self.refusals:
            self.out(',\n "refused": ' + indented_json(self.refusals, margin=1))
        self.out("\n}\n")


def _refusal(error: PerfscoreError) -> JSONValue:
    """A refused input as the report's JSON: where, and the message."""
    where = getattr(error, "source", None) or getattr(error, "path", None) or ""
    return {"source": str(where), "message": str(error)}

"""Scorecards, audits and tables as people and programs read them.

One module per output: :mod:`~perfscore.render.text` (the official layout for a
terminal, and the text of ``perfscore show`` and ``perfscore fit``),
:mod:`~perfscore.render.markdown`, :mod:`~perfscore.render.html`,
:mod:`~perfscore.render.json` (the ``perfscore.report/1`` document),
:mod:`~perfscore.render.csv`, :mod:`~perfscore.render.xlsx` (the workbook re-checkers
pass on; openpyxl, the ``xlsx`` extra, imported only when one is written) and
:mod:`~perfscore.render.records`. Each holds its format's renderers and its
:class:`~perfscore.render.writer.Writer`, which writes a batch table by table;
:func:`make_writer` picks the writer by the format's name.

Importing this package provides the methods of the earlier stages' values that render
them (``to_records``, ``to_dataframe``, ``to_dict``, ``_repr_html_`` and ``str()`` of a
:class:`~perfscore.model.Table`, a :class:`~perfscore.scoring.Scorecard` and an
:class:`~perfscore.audit.AuditReport`, and ``str()`` of a
:class:`~perfscore.audit.BatchSummary` and a :class:`~perfscore.fit.FitResult`) through
:data:`perfscore.model.LATER`.

>>> import io
>>> from perfscore import load, score
>>> stream = io.StringIO()
>>> writer = make_writer("csv", stream, profile_name="mof-2020", command="score")
>>> writer.begin()
>>> table = load("examples/changji-2023/02_wine-competition-2022.json")[0]
>>> writer.table("02.json", 0, score(table))
>>> writer.end(None)
>>> print(stream.getvalue().splitlines()[2][:96])
02.json,0,,2022（新疆昌吉）“一带一路”国际葡萄酒大赛,project,2023,昌吉回族自治州工业和信息化局,mof-2020,90,99.84,优,indicators[0]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, BinaryIO, Final, TextIO, cast

from perfscore.audit import AuditReport, BatchSummary
from perfscore.fit import FitResult
from perfscore.model import LATER, Table
from perfscore.render.csv import CsvWriter
from perfscore.render.frames import to_dataframe
from perfscore.render.html import HtmlWriter, notebook_html, plain_table_html, table_html
from perfscore.render.json import JsonWriter, scorecard_entry
from perfscore.render.markdown import MarkdownWriter
from perfscore.render.records import audit_records, scorecard_records, table_records
from perfscore.render.text import (
    TextWriter,
    render_fit,
    render_summary,
    render_table,
    render_text,
)
from perfscore.scoring import Scorecard

if TYPE_CHECKING:
    from perfscore.findings import Severity
    from perfscore.memo import Memo
    from perfscore.render.writer import Writer

__all__ = ["BINARY_FORMATS", "FORMATS", "make_writer"]

FORMATS: Final = ("text", "markdown", "html", "json", "csv", "xlsx")
"""The output formats of ``perfscore score`` and ``perfscore audit``."""

BINARY_FORMATS: Final = frozenset({"xlsx"})
"""The formats whose writer takes a binary stream (the others take a text stream)."""

_WRITERS: Final[dict[str, type[Writer]]] = {
    "text": TextWriter,
    "markdown": MarkdownWriter,
    "html": HtmlWriter,
    "json": JsonWriter,
    "csv": CsvWriter,
}


def make_writer(  # noqa: PLR0913 - the format, the stream, and the run's settings
    output_format: str,
    stream: TextIO | BinaryIO | None,
    *,
    profile_name: str,
    command: str,
    memo: Memo | None = None,
    width: int | None = None,
    ambiguous_wide: bool = False,
    findings_only: bool = False,
) -> Writer:
    """The writer for an output format (one of :data:`FORMATS`), with the run's memo.

    ``width`` and ``ambiguous_wide`` shape the text layout
    (:func:`~perfscore.render.text.render_text`); other formats ignore them.
    ``findings_only`` writes only the tables with findings, each cut to what they
    concern (see :class:`~perfscore.render.writer.Writer`).
    A format of :data:`BINARY_FORMATS` takes a binary stream, the others a text stream;
    ``None`` makes a writer that only renders.
    """
    if output_format == "xlsx":
        # Imported when a workbook is written: every other command is spared its import.
        from perfscore.render.xlsx import XlsxWriter  # noqa: PLC0415

        return XlsxWriter(
            cast("BinaryIO | None", stream),
            profile_name=profile_name,
            command=command,
            memo=memo,
            findings_only=findings_only,
        )
    writer = _WRITERS[output_format]
    return writer(
        cast("TextIO | None", stream),
        profile_name=profile_name,
        command=command,
        memo=memo,
        width=width,
        ambiguous_wide=ambiguous_wide,
        findings_only=findings_only,
    )


def _audit_entry(
    report: AuditReport, *, file: str | None, index: int, min_severity: Severity
) -> dict[str, Any]:
    findings = [finding.to_dict() for finding in report.at_least(min_severity)]
    return scorecard_entry(report.scorecard, file=file, index=index, findings=findings)


def _audit_html(report: AuditReport) -> str:
    return notebook_html(table_html(report.scorecard, findings=report.findings))


def _card_html(card: Scorecard) -> str:
    return notebook_html(table_html(card))


def _table_html(table: Table) -> str:
    return notebook_html(plain_table_html(table))


def _card_text(card: Scorecard) -> str:
    return render_text(card)


def _audit_text(report: AuditReport) -> str:
    return render_text(report.scorecard, findings=report.findings)


def _summary_text(summary: BatchSummary) -> str:
    return render_summary(summary)


def _table_text(table: Table) -> str:
    return render_table(table)


def _fit_text(result: FitResult) -> str:
    return render_fit(result)


LATER.provide(Table, "to_records", table_records)
LATER.provide(Table, "to_dataframe", to_dataframe)
LATER.provide(Table, "_repr_html_", _table_html)
LATER.provide(Table, "text", _table_text)
LATER.provide(Scorecard, "to_dict", scorecard_entry)
LATER.provide(Scorecard, "to_records", scorecard_records)
LATER.provide(Scorecard, "to_dataframe", to_dataframe)
LATER.provide(Scorecard, "_repr_html_", _card_html)
LATER.provide(Scorecard, "text", _card_text)
LATER.provide(AuditReport, "to_dict", _audit_entry)
LATER.provide(AuditReport, "to_records", audit_records)
LATER.provide(AuditReport, "to_dataframe", to_dataframe)
LATER.provide(AuditReport, "_repr_html_", _audit_html)
LATER.provide(AuditReport, "text", _audit_text)
LATER.provide(BatchSummary, "text", _summary_text)
LATER.provide(FitResult, "text", _fit_text)

"""Scorecards, audits and tables as people and programs read them.

One module per output: text, Markdown, HTML, the ``perfscore.report/1`` JSON document,
CSV and records. Importing this package provides the methods of the earlier stages'
values that render them (``to_records``, ``to_dict``, ``_repr_html_`` of a
:class:`~perfscore.model.Table`, a :class:`~perfscore.scoring.Scorecard` and an
:class:`~perfscore.audit.AuditReport`) through :data:`perfscore.model.LATER`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from perfscore.audit import AuditReport
from perfscore.model import LATER, Table
from perfscore.render.layout import plain_table_html, table_html
from perfscore.render.records import audit_records, scorecard_records, table_records
from perfscore.render.report import scorecard_entry
from perfscore.scoring import Scorecard

if TYPE_CHECKING:
    from perfscore.findings import Severity

__all__: list[str] = []


def _audit_entry(
    report: AuditReport, *, file: str | None, index: int, min_severity: Severity
) -> dict[str, Any]:
    findings = [finding.to_dict() for finding in report.at_least(min_severity)]
    return scorecard_entry(report.scorecard, file=file, index=index, findings=findings)


def _audit_html(report: AuditReport) -> str:
    return table_html(report.scorecard, findings=report.findings)


LATER.provide(Table, "to_records", table_records)
LATER.provide(Table, "_repr_html_", plain_table_html)
LATER.provide(Scorecard, "to_dict", scorecard_entry)
LATER.provide(Scorecard, "to_records", scorecard_records)
LATER.provide(Scorecard, "_repr_html_", table_html)
LATER.provide(AuditReport, "to_dict", _audit_entry)
LATER.provide(AuditReport, "to_records", audit_records)
LATER.provide(AuditReport, "_repr_html_", _audit_html)

"""The audit (复核): recompute a printed table and report every inconsistency as data.

:func:`audit` scores a table under a profile and compares the print with the rules and
with itself: arithmetic (执行率, scores, totals, weights), cells and their meaning
(units, comparators, notes, typos) and structure (categories, duplicates, narrative).
Each inconsistency is a :class:`~perfscore.findings.Finding` with a stable id, a
severity, a place, the printed and expected values and a Chinese message; nothing is
raised. :func:`summarize` tallies findings across a batch of tables.

>>> from perfscore import load
>>> table = load("examples/changji-2023/02_wine-competition-2022.json")[0]
>>> report = audit(table, profile="changji-2023")
>>> report.has_errors
True
>>> finding = report.findings[0]
>>> finding.id, finding.where, finding.printed, finding.expected
('score-mismatch', 'indicators[0]', '0.00', '10.00')
>>> print(finding.message)
得分 0.00 与规则计算值 10.00 不符（实际 1044 件 > 指标值 700 件，达成，得满分 10.00）
"""

from __future__ import annotations

import functools
import operator
import re
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    localcontext,
)
from functools import lru_cache
from itertools import compress, repeat
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TypeAlias, cast

import attrs

from perfscore._format import percent, plain, share
from perfscore._text import fold, fold_text, shorten
from perfscore.cells import DATE_UNIT, direction_op
from perfscore.findings import CHECKS, Finding, Severity, severity_rank
from perfscore.model import DIRECTION_COLUMNS, LATER, UNIT_COLUMNS, Shown
from perfscore.profiles import Profile, resolve_profile
from perfscore.scoring import Scorecard, score, score_items, scorecard
from perfscore.units import normalize_unit, unit_family

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterable, Iterator
    from pathlib import Path

    from perfscore.cells import Figure
    from perfscore.memo import Memo, Recent
    from perfscore.model import FundRow, Indicator, JSONValue, Table
    from perfscore.scoring import FundsScore, Outcome

__all__ = ["AuditReport", "BatchSummary", "audit", "repeats_target", "total_gap"]

_ZERO: Final = Decimal(0)
_HUNDRED: Final = Decimal(100)
# Notes that say nothing: they count as no note at all.
_EMPTY_NOTES: Final = frozenset(
    {"", "无", "/", "-", "--", "—", "——", "…", "无偏差", "不适用", "未偏差"}
)
# Indicators where more is better: a <= on them contradicts their nature.
_POSITIVE_RATES: Final = re.compile(
    # Not after a negation: 不合格率, 不满意率 and 未完成率 are better low.
    "(?<![不未非无])(?:及时率|合格率|完成率|满意度|满意率|覆盖率|达标率|知晓率|通过率|准确率|到位率|达成率|验收率|优良率|参与率)"
)
_LEVEL2_HOMES: Final[dict[str, frozenset[str]]] = {
    "数量": frozenset({"产出"}),
    "质量": frozenset({"产出"}),
    "时效": frozenset({"产出"}),
    "经济效益": frozenset({"效益"}),
    "社会效益": frozenset({"效益"}),
    "生态效益": frozenset({"效益"}),
    "可持续影响": frozenset({"效益"}),
    "服务对象满意度": frozenset({"满意度"}),
    "满意度": frozenset({"满意度"}),
    "社会公众满意度": frozenset({"满意度"}),
}
_COST_LEVEL2: Final = frozenset({"成本", "经济成本", "社会成本", "生态环境成本", "生态成本"})
_PROJECT_LEVEL1: Final = frozenset({"产出", "成本", "效益", "满意度"})
_CLAUSES: Final = re.compile("[;；。，,\n]")
_NUMBER_UNIT: Final = re.compile(r"(\d+(?:\.\d+)?)\s*", re.ASCII)


@lru_cache(maxsize=1 << 13)
def _folded(text: str) -> str:
    """The text folded (see ``perfscore._text.fold``), each distinct text once."""
    return fold(text)[0]


@lru_cache(maxsize=1 << 12)
def _note(text: str | None) -> str:
    """The note reduced for comparison; ``""`` when it says nothing."""
    if text is None:
        return ""
    folded, _ = fold(text)
    return "" if folded in _EMPTY_NOTES else folded


@lru_cache(maxsize=4096)
@functools.lru_cache(maxsize=1024)
def _category(name: str) -> str:
    """A level's category, as its name says it with or without 指标 (产出, 产出指标)."""
    folded, _ = fold(name)
    return folded.removesuffix("指标")


# ---------------------------------------------------------------------------------
# Results


@attrs.frozen
class AuditReport(Shown):
    """A table's audit: its scorecard under the profile and every finding.

    Attributes:
        scorecard: the table scored under the profile.
        findings: the findings, funds first, then rows in order, then the table.
    """

    scorecard: Scorecard
    findings: tuple[Finding, ...]

    @property
    def table(self) -> Table:
        """The table audited."""
        return self.scorecard.table

    @property
    def profile(self) -> Profile:
        """The profile the table was audited under."""
        return self.scorecard.profile

    @property
    def has_errors(self) -> bool:
        """Whether any finding is an ``error``."""
        return any(finding.severity == "error" for finding in self.findings)

    def count(self, severity: Severity) -> int:
        """How many findings have this severity."""
        return sum(finding.severity == severity for finding in self.findings)

    def at_least(self, severity: Severity) -> tuple[Finding, ...]:
        """The findings at least as serious as ``severity``.

        >>> from perfscore import load
        >>> report = audit(load("examples/changji-2023/12_industrial-internet-study.json")[0])
        >>> [f.id for f in report.at_least("warning")]
        ['direction-suspect']
        """
        rank = severity_rank(severity)
        return tuple(f for f in self.findings if severity_rank(f.severity) <= rank)

    def to_dict(
        self, *, file: str | None = None, index: int = 0, min_severity: Severity = "info"
    ) -> dict[str, Any]:
        """One ``tables[]`` entry of the ``perfscore.report/1`` format, findings included."""
        entry = LATER.call(self, "to_dict", file=file, index=index, min_severity=min_severity)
        return cast("dict[str, Any]", entry)

    def to_records(
        self, *, file: str | None = None, index: int | None = None
    ) -> list[dict[str, Any]]:
        """One plain dict per finding, table-level ones included (for a data frame).

        ``file`` and ``index`` (where a batch read the table) are ``None`` unless
        given. See :func:`perfscore.render.records.audit_records`.
        """
        records = LATER.call(self, "to_records", file=file, index=index)
        return cast("list[dict[str, Any]]", records)

    def __repr__(self) -> str:
        """One line: the table's name, the profile, the totals, the findings counted.

        >>> from perfscore import load
        >>> audit(load("examples/changji-2023/02_wine-competition-2022.json")[0])
        <AuditReport '2022（新疆昌吉）“一带一路”国际葡萄酒大赛' under mof-2020:
        total 99.84 (优), printed 90; 2 errors, 0 warnings, 5 notes>
        """
        card = self.scorecard
        printed = card.printed_total
        shown = "no printed total" if printed is None else f"printed {printed:f}"
        return (
            f"<AuditReport {self.table.name!r} under {self.profile.name}: "
            f"total {card.total:f} ({card.grade}), {shown}; {_counts(self.findings)}>"
        )

    def __str__(self) -> str:
        """The audit as ``perfscore audit`` prints it: the layout, findings marked and listed."""
        return cast("str", LATER.call(self, "text"))


def _counts(findings: Iterable[Finding]) -> str:
    """How many findings of each severity, in words (``1 error, 2 warnings, 0 notes``)."""
    counts = dict.fromkeys(("error", "warning", "info"), 0)
    for finding in findings:
        counts[finding.severity] += 1
    return ", ".join(
        f"{count} {_WORDS[severity]}{'' if count == 1 else 's'}"
        for severity, count in counts.items()
    )


# The severities in the one-line reprs' words.
_WORDS: Final = {"error": "error", "warning": "warning", "info": "note"}


# ---------------------------------------------------------------------------------
# The audit


def audit(
    table: Table, *, profile: str | Path | Profile = "mof-2020", memo: Memo | None = None
) -> AuditReport:
    """Audit a printed table under a rule profile.

    Args:
        table: the table as printed.
        profile: a profile, a built-in profile's name or the path of a TOML profile.
        memo: the run's :class:`~perfscore.memo.Memo`: rows and funds blocks audited
            before under an equal profile, in a table of the same shape, are looked
            up (and the table is scored with it). Without one, everything is worked
            out afresh (the report is the same).

    Returns:
        The scorecard and every finding. The profile's ``[audit]`` section may change
        a check's severity or silence it. Findings are data: auditing never raises on
        a loaded table.

    Raises:
        UnknownProfileError: ``profile`` names no built-in profile and no file.
        InvalidProfile: the profile file is not usable.
    """
    rules = resolve_profile(profile)
    if memo is None:
        card = score(table, profile=rules)
        report = _Auditor(rules).audit(card, None, _Auditor.row_columns(card, rules))
    else:
        scope = memo.scope(audit, rules)
        auditor = cast("_Auditor | None", scope.get(_Auditor))
        if auditor is None:
            auditor = _Auditor(rules)
            scope.put(_Auditor, auditor)
        card, columns = auditor.scored(table, memo, scope)
        report = auditor.audit(card, scope, columns)
    if table.indicators and all(map(_NO_WEIGHT, table.indicators)):
        report = _without_weights(report, rules)
    if table.origin is None:
        return report
    return AuditReport(report.scorecard, tuple(_placed(table, f) for f in report.findings))


_FROM_NO_WEIGHTS: Final = frozenset({"weights-not-100", "level1-weights", "level-weight-mismatch"})


def _NO_WEIGHT(row: Indicator) -> bool:  # noqa: N802 - used as a predicate, like the constants
    return row.weight.kind == "not-applicable"


def _without_weights(report: AuditReport, profile: Profile) -> AuditReport:
    """A table that prints no weight at all (a form without a 分值 column).

    One finding for the table instead of a blank weight on every row and the weight
    sums that follow from it; its rows are unscored.
    """
    kept = [
        finding
        for finding in report.findings
        if finding.id not in _FROM_NO_WEIGHTS
        and not (finding.id == "blank-cell" and finding.message.startswith("分值为空"))
    ]
    message = (
        f"表中没有分值（{len(report.table.indicators)} 行指标的分值均为空，或表格没有分值列），"
        "各指标无法按规则计分，总分只含执行率"
    )
    kept += _with_severities([_finding("no-weights", "table", report.table.name, message)], profile)
    return AuditReport(report.scorecard, tuple(kept))


FINDING_CELLS: Final[dict[str, str]] = {
    "score-mismatch": "score",
    "score-exceeds-weight": "score",
    "missing-deviation-note": "deviation_note",
    "note-on-full-score": "deviation_note",
    "boilerplate-note": "deviation_note",
    "unit-mismatch": "actual",
    "typo-suspect": "actual",
    "share-suspect": "actual",
    "overshoot": "actual",
    "copied-actuals": "actual",
    "direction-suspect": "target",
    "qualitative-cost": "target",
    "funds-score-mismatch": "score",
    "rate-mismatch": "rate",
    "total-mismatch": "total",
}
"""The cell (a row's key) a finding of each kind is about, where its printed value
does not say: where the audit places it, and where a workbook comments it."""


def _placed(table: Table, finding: Finding) -> Finding:
    """A finding of a table read from a document, with the place of the cell it is about.

    That is the cell whose text the finding quotes (its ``printed``), else the cell its
    kind is about, else the row's first cell; for the table, its own cell (the total)
    or the place of the table.
    """
    places: tuple[tuple[str, str], ...] = ()
    texts: dict[str, str] = {}
    if finding.where.startswith("indicators["):
        index = int(finding.where[len("indicators[") : -1])
        if index < len(table.indicators):
            row = table.indicators[index]
            places = row.places
            texts = _row_texts(row)
    elif finding.where == "funds":
        row_funds = next((row for row in table.funds if row.label == finding.path), None)
        if row_funds is not None:
            places = row_funds.places
            texts = {
                key: getattr(row_funds, key).text for key in _FUND_TEXTS if getattr(row_funds, key)
            }
    elif table.origin is not None:
        places = table.origin.places
        texts = {"total": table.total.text} if table.total is not None else {}
    by_key = dict(places)
    place = next(
        (by_key[key] for key, text in texts.items() if text == finding.printed and key in by_key),
        None,
    )
    place = place or by_key.get(FINDING_CELLS.get(finding.id, ""))
    if place is None and places:
        place = places[0][1]
    if place is None and table.origin is not None:
        place = table.origin.place or None
    return finding._replace(place=place)


_FUND_TEXTS: Final = ("initial_budget", "annual_budget", "executed", "weight", "rate", "score")


def _row_texts(row: Indicator) -> dict[str, str]:
    texts = {
        "target": row.target.text,
        "actual": row.actual.text,
        "weight": row.weight.text,
        "level3": row.level3,
    }
    if row.score is not None:
        texts["score"] = row.score.text
    if row.deviation_note is not None:
        texts["deviation_note"] = row.deviation_note
    return texts


def _with_severities(found: Iterable[Finding], profile: Profile) -> tuple[Finding, ...]:
    """The findings with the profile's severity overrides; those turned ``off`` dropped."""
    overrides = profile.audit.severity
    if not overrides:
        return tuple(found)
    severities = dict(overrides)
    kept = []
    for finding in found:
        severity = severities.get(finding.id, finding.severity)
        if severity == "off":
            continue
        if finding.id == "overshoot" and finding.severity == "info":
            severity = "info"  # an explained overshoot stays information, whatever the override
        kept.append(
            finding if severity == finding.severity else finding._replace(severity=severity)
        )
    return tuple(kept)


class _Columns(NamedTuple):
    """What the audit needs of a table's rows, column by column, each in row order.

    Each row's facts (its row of these columns) are one tuple, ``(drafts, ...)`` in
    this order, so that a table's columns come from its rows' tuples in one
    transposition (``zip(*rows)``); with a memo they are worked out once per distinct
    row, profile and table shape (rows repeat across a batch).
    """

    drafts: tuple[tuple[_RowDraft, ...], ...]  # the row's own findings, without `where`
    duplicate_hashes: tuple[int, ...]
    duplicate_keys: tuple[tuple[str, str, str], ...]  # level1, level2, level3 folded
    small: tuple[bool, ...]  # the weight and printed score add exactly (see _small)
    printed_scores: tuple[Decimal | None, ...]
    level1_names: tuple[str, ...]
    weights: tuple[Decimal, ...]  # 0 for a row without one (adding 0 changes no sum)
    declared_weights: tuple[Decimal | None, ...]  # the level-1 label's
    notes: tuple[str, ...]  # reduced (see _note): "" when the row has none
    copied: tuple[bool | None, ...]  # the actual repeats the target; None: no numeric target


# A row's own finding before it is placed: id, severity, path, message, printed, expected.
_RowDraft: TypeAlias = tuple[str, str, str, str, str | None, str | None]
_RowFacts: TypeAlias = tuple[
    tuple[_RowDraft, ...],
    int,
    tuple[str, str, str],
    bool,
    Decimal | None,
    str,
    Decimal,
    Decimal | None,
    str,
    bool | None,
]
_NEW_COLUMNS: Final = tuple.__new__
_NO_ROWS: Final = _Columns((), (), (), (), (), (), (), (), (), ())


_DRAFT_OF: Final = operator.itemgetter(0, 1, 3, 4, 5, 6)  # a Finding without its `where`
_WHERES_MADE: Final = 1024
_WHERES: Final = tuple(f"indicators[{index}]" for index in range(_WHERES_MADE))


class _Auditor:
    """The audit under one profile, with what it needs of the profile worked out once.

    Findings are made with the profile's severities already applied. Given a memo
    scope (the run's memo for this profile), funds findings and row facts are looked
    up there first and kept there: funds findings by the funds rows and the money
    unit, a row's facts by the row's texts and the table's shape (each entry kept
    with the rows it was worked out for, and used only for rows equal to them).
    """

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        # level1-weights' groups with their words: (the one level, or None when the
        # group adds several or 执行率; names; weight; "names "; "（预期 weight）").
        self.expected_weights = tuple(
            (
                _category(names[0]) if len(names) == 1 and names[0] != "执行率" else None,
                tuple(name if name == "执行率" else _category(name) for name in names),
                expected,
                f"{'+'.join(names)} ",
                f"（预期 {expected:f}）",
            )
            for names, expected in profile.expected_weights
        )

    def audit(
        self, card: Scorecard, memo: Recent[Hashable, object] | None, columns: _Columns
    ) -> AuditReport:
        """The audit of a scored table, given its rows' facts (see :class:`_Columns`)."""
        profile = self.profile
        table = card.table
        with localcontext(_AUDIT_CONTEXT):  # the audit's own arithmetic
            found = list(self.funds_findings(card, memo))
            _place_rows(columns.drafts, found)
            # Rows whose keys hash apart are told apart without comparing the keys.
            hashes = columns.duplicate_hashes
            if len(set(hashes)) < len(hashes):
                keys = columns.duplicate_keys
                if len(set(keys)) < len(keys):  # each after its row's own findings
                    duplicates = _duplicates(table.indicators, keys, profile)
                    found = sorted([*found, *duplicates], key=_place)
            table_found: list[Finding] = []
            if table.extra or (table.goal is not None and table.goal.extra):
                table_found.extend(_table_unknown_keys(table))
            try:
                self.table_checks(card, columns, table_found)
            except ArithmeticError:
                message = "数值超出可计算范围，无法复核"
                table_found.append(_finding("number-out-of-range", "table", table.name, message))
        if table_found:
            placed = _with_severities(table_found, profile)
            if table.goal is not None and table.goal.achieved:  # narrative: at rows
                found = sorted([*found, *placed], key=_place)
            else:
                found.extend(placed)
        return AuditReport(card, tuple(found))  # scorecard, findings

    def table_checks(self, card: Scorecard, columns: _Columns, found: list[Finding]) -> None:
        """The whole table's checks, appended to ``found`` as they are made.

        Run in the audit's context (:meth:`audit`), where small numbers add exactly.
        """
        table = card.table
        profile = self.profile
        # Sums of small numbers (nearly all tables) are exact in the audit's context;
        # others are added in an exact context, one addition at a time.
        small = all(columns.small)
        _total_check(card, profile, columns.printed_scores, found, small=small)
        execution = card.funds.weight if card.funds and card.funds.weight is not None else _ZERO
        sums, declared = _levels(columns, small=small)
        drafts = _weight_checks(
            table.kind,
            bool(table.indicators),
            execution,
            small=small and _small(execution),
            sums=sums,
            declared=declared,
            expected_weights=self.expected_weights,
        )
        for check, path, message, printed, expected in drafts:
            where_path = table.name if path is None else path
            found.append(
                _finding(check, "table", where_path, message, printed=printed, expected=expected)
            )
        _boilerplate_check(table, profile, columns.notes, found)
        _copied_check(card, columns.copied, found)
        if table.goal is not None and table.goal.achieved:
            found.extend(_narrative_check(card))

    def funds_findings(
        self, card: Scorecard, memo: Recent[Hashable, object] | None
    ) -> tuple[Finding, ...]:
        """The funds block's findings."""
        if memo is None:
            return self._funds_findings(card)
        funds = card.table.funds
        key = (_FUNDS, tuple([(row.label, row.cell_texts) for row in funds]), card.table.money_unit)
        found = cast("tuple[tuple[FundRow, ...], tuple[Finding, ...]] | None", memo.get(key))
        if found is not None and found[0] == funds:
            return found[1]
        findings = self._funds_findings(card)
        memo.put(key, (funds, findings))
        return findings

    def _funds_findings(self, card: Scorecard) -> tuple[Finding, ...]:
        found = _guarded(_funds_checks(card, self.profile), "funds", "执行率")
        return _with_severities(found, self.profile)

    @staticmethod
    def row_columns(card: Scorecard, profile: Profile) -> _Columns:
        """The rows' facts, column by column, worked out afresh."""
        table = card.table
        if not table.indicators:
            return _NO_ROWS
        shape = _shape(table)
        with localcontext(_AUDIT_CONTEXT):
            worked_out = [
                _facts(row, outcome, shape, profile)
                for row, outcome in zip(table.indicators, card.outcomes, strict=True)
            ]
        return _NEW_COLUMNS(_Columns, zip(*worked_out, strict=True))

    def scored(
        self, table: Table, memo: Memo, scope: Recent[Hashable, object]
    ) -> tuple[Scorecard, _Columns]:
        """The table scored, and its rows' facts, each row looked up in the memo first.

        A row's entry holds its outcome with its facts: it is remembered by the row's
        texts and the table's shape, with the row (it serves only rows equal to it, the
        very object as a rule; the outcome follows from the row). Rows not found are
        scored as :func:`~perfscore.scoring.score` scores them (through scoring's own
        memo), so a row costs one lookup, not one for its score and one for its facts.
        """
        profile = self.profile
        rows = table.indicators
        if not rows:
            funds, outcomes = score_items(table, profile, memo=memo)
            return scorecard(table, profile, funds, outcomes), _NO_ROWS
        shape = _shape(table)
        entries: list[_RowEntry | None] = []
        missing: list[tuple[int, Hashable]] = []
        young: Callable[[Hashable], _RowEntry | None]
        young = scope.young.get  # type: ignore[assignment]
        for index, row in enumerate(rows):
            printed = row.score
            key = (
                row.level1.text,
                row.level2.text,
                row.level3,
                row.target.text,
                row.actual.text,
                row.weight.text,
                None if printed is None else printed.text,
                row.deviation_note,
                row.basis,
                shape,
            )
            found = young(key) or cast("_RowEntry | None", scope.older(key))
            if found is not None and (found[0] is row or found[0] == row):
                entries.append(found)
                continue
            entries.append(None)
            missing.append((index, key))
        funds, computed = score_items(
            table, profile, memo=memo, rows=[rows[index] for index, _ in missing]
        )
        if missing:
            with localcontext(_AUDIT_CONTEXT):
                for (index, row_key), outcome in zip(missing, computed, strict=True):
                    row = rows[index]
                    entry = (row, outcome, _facts(row, outcome, shape, profile))
                    scope.put(row_key, entry)
                    entries[index] = entry
        found_entries = cast("list[_RowEntry]", entries)
        card = scorecard(table, profile, funds, tuple([entry[1] for entry in found_entries]))
        columns = _NEW_COLUMNS(_Columns, zip(*[entry[2] for entry in found_entries], strict=True))
        return card, columns


# A table's shape, as a row's facts depend on it: whether the table prints scores,
# whether it has a 偏差原因 column, its year.
_Shape: TypeAlias = tuple[bool, bool, int | None]


def _shape(table: Table) -> _Shape:
    """Whether the table prints scores and notes, and its year (see :class:`_Columns`)."""
    rows = table.indicators
    prints_scores = any(map(_NOT_NONE, map(_SCORE_CELL, rows)))
    # Department tables may have no 偏差原因 column at all.
    notes = table.kind == "project" or any(map(_NOT_NONE, map(_NOTE_CELL, rows)))
    return prints_scores, notes, table.year


def _facts(row: Indicator, outcome: Outcome, shape: _Shape, profile: Profile) -> _RowFacts:
    """A row's facts (see :class:`_Columns`) under the profile, in a table of a shape."""
    prints_scores, notes, year = shape
    score_cell = row.score
    printed = score_cell.value if score_cell is not None and score_cell.kind == "number" else None
    note = _note(row.deviation_note)
    path = row.path
    found: list[Finding] = []
    try:
        _row_checks(
            row,
            outcome,
            found,
            printed=printed,
            note=note,
            path=path,
            profile=profile,
            prints_scores=prints_scores,
            notes=notes,
            year=year,
        )
    except ArithmeticError:
        message = "数值超出可计算范围，无法复核"
        found.append(_finding("number-out-of-range", "", path, message))
    findings = _with_severities(found, profile)
    weight = outcome.weight
    duplicate_key = (row.level1.name, row.level2.name, _folded(row.level3))
    return (
        tuple(map(_DRAFT_OF, findings)),
        hash(duplicate_key),
        duplicate_key,
        _small(weight) and _small(printed),
        printed,
        row.level1.name,
        _ZERO if weight is None else weight,
        row.level1.declared_weight,
        note,
        repeats_target(row, outcome) if row.target.kind == "quantity" else None,
    )


# A row remembered by the audit: the row, its outcome, its facts.
_RowEntry: TypeAlias = "tuple[Indicator, Outcome, _RowFacts]"


_FUNDS: Final = "funds"  # the funds findings' keys begin with it
_NEW_FINDING: Final = tuple.__new__  # a Finding from its fields, with no call to __new__
_SCORE_CELL: Final = operator.attrgetter("score")
_NOTE_CELL: Final = operator.attrgetter("deviation_note")
# The audit's own arithmetic: ample digits, whatever the caller's context.
_AUDIT_CONTEXT: Final = Context(prec=60)
# A table finding before it is placed: check, path (None: the table's name), message,
# printed, expected.
_Draft: TypeAlias = tuple[str, str | None, str, str | None, str | None]


def _place_rows(drafts: tuple[tuple[_RowDraft, ...], ...], found: list[Finding]) -> None:
    """Each row's findings placed at its index (most rows have none), added to ``found``.

    ``unknown-column`` comes once per key, at the first row that holds the key.
    """
    append = found.append
    unknown: set[str] = set()
    for index, row_drafts in compress(enumerate(drafts), drafts):
        where = _WHERES[index] if index < _WHERES_MADE else f"indicators[{index}]"
        for check, severity, path, message, printed, expected in row_drafts:
            if check == _UNKNOWN_COLUMN:
                if message in unknown:
                    continue
                unknown.add(message)
            draft = (check, severity, where, path, message, printed, expected, None)
            append(_NEW_FINDING(Finding, draft))


def _duplicates(
    rows: tuple[Indicator, ...], keys: tuple[tuple[str, str, str], ...], profile: Profile
) -> tuple[Finding, ...]:
    """``duplicate-indicator`` for each row that repeats an earlier row's name."""
    seen: dict[tuple[str, str, str], int] = {}
    found = []
    for index, key in enumerate(keys):
        if key[2] and key in seen:
            row = rows[index]
            message = f"三级指标「{row.level3}」与第 {seen[key] + 1} 行重复"
            found.append(_finding("duplicate-indicator", f"indicators[{index}]", row.path, message))
        seen.setdefault(key, index)
    return _with_severities(found, profile)


def _place(finding: Finding) -> tuple[int, int]:
    """Sort key: the funds first, then rows in order, then the table."""
    if finding.where == "funds":
        return (0, 0)
    if finding.where.startswith("indicators["):
        return (1, int(finding.where[len("indicators[") : -1]))
    return (2, 0)


def _guarded(checks: Iterator[Finding], where: str, path: str) -> list[Finding]:
    """The findings of some checks; an arithmetic trap becomes a finding, not an error."""
    found: list[Finding] = []
    try:
        found.extend(checks)
    except ArithmeticError:
        message = "数值超出可计算范围，无法复核"
        found.append(_finding("number-out-of-range", where, path, message))
    return found


def _finding(  # noqa: PLR0913 - one argument per field of a finding
    check: str,
    where: str,
    path: str,
    message: str,
    *,
    printed: str | None = None,
    expected: str | None = None,
) -> Finding:
    fields = (check, _SEVERITY[check], where, path, message, printed, expected, None)
    return _NEW_FINDING(Finding, fields)


_SEVERITY: Final = {check.id: check.severity for check in CHECKS.values()}


def _differs(printed: Decimal, expected: Decimal, profile: Profile) -> bool:
    return abs(printed - expected) > profile.audit.score_tolerance


# --- keys the format does not know ----------------------------------------------------

_UNKNOWN_COLUMN: Final = "unknown-column"


def _unknown_keys(
    extra: tuple[tuple[str, JSONValue], ...], where: str, path: str, *, part: str = ""
) -> Iterator[Finding]:
    """``unknown-column`` for each extra key: a CSV column or JSON key nothing reads.

    The key is kept (and written back by every output) but no check or score uses it:
    a column headed 得分（复核） does not hold the score, whatever it says.
    """
    for key, value in extra:
        message = f"未知的列或字段「{key}」{part}：已原样保留，但不用于计分和复核"
        printed = value if isinstance(value, str) else None
        yield _finding(_UNKNOWN_COLUMN, where, path, message, printed=printed)


def _funds_unknown_keys(table: Table) -> Iterator[Finding]:
    """The funds rows' unknown keys, each once, at the first row that holds it."""
    seen: set[str] = set()
    for row in table.funds:
        for finding in _unknown_keys(row.extra, "funds", row.label):
            if finding.message not in seen:
                seen.add(finding.message)
                yield finding


def _table_unknown_keys(table: Table) -> Iterator[Finding]:
    """The table's own unknown keys, and its goal's."""
    yield from _unknown_keys(table.extra, "table", table.name)
    if table.goal is not None:
        yield from _unknown_keys(table.goal.extra, "table", table.name, part="（年度总体目标）")


# --- the funds block ---------------------------------------------------------------

_FUND_COLUMNS: Final = (
    ("initial_budget", "年初预算数"),
    ("annual_budget", "全年预算数"),
    ("executed", "全年执行数"),
    ("weight", "分值"),
    ("rate", "执行率"),
    ("score", "得分"),
)


def _funds_checks(card: Scorecard, profile: Profile) -> Iterator[Finding]:
    yield from _funds_cell_checks(card.table)
    yield from _funds_unknown_keys(card.table)
    funds = card.funds
    if funds is None:
        return
    yield from _rate_check(card)
    yield from _funds_score_checks(funds, profile)
    yield from _funds_rows_check(card.table)


def _funds_cell_checks(table: Table) -> Iterator[Finding]:
    for row in table.funds:
        for attribute, column in _FUND_COLUMNS:
            figure: Figure | None = getattr(row, attribute)
            if figure is None:
                continue
            if figure.kind == "unreadable":
                message = f"{row.label}的{column}「{shorten(figure.text, 40)}」无法读取"
                yield _finding("unparsed-cell", "funds", row.label, message, printed=figure.text)
            elif figure.kind == "number" and figure.value is not None and figure.value < 0:
                message = f"{row.label}的{column} {figure.text} 为负数"
                yield _finding("negative-value", "funds", row.label, message, printed=figure.text)
    weight = table.execution_print[0]
    total_row = table.total_fund_row
    if weight is None or total_row is None:
        return
    for figure, column in (
        (total_row.annual_budget, "全年预算数"),
        (total_row.executed, "全年执行数"),
    ):
        if figure.kind == "not-applicable":
            message = f"执行率有分值，但{total_row.label}的{column}为空"
            yield _finding("blank-cell", "funds", total_row.label, message)


def _funds_score_checks(funds: FundsScore, profile: Profile) -> Iterator[Finding]:
    printed = funds.printed_score
    if printed is None:
        return
    if funds.score is not None and _differs(printed, funds.score, profile):
        message = f"执行率得分 {printed:f} 与规则计算值 {funds.score:f} 不符（{funds.explanation}）"
        yield _finding(
            "funds-score-mismatch",
            "funds",
            funds.label,
            message,
            printed=plain(printed),
            expected=plain(funds.score),
        )
    if funds.weight is not None and printed > funds.weight:
        message = f"执行率得分 {printed:f} 超过分值 {funds.weight:f}"
        yield _finding(
            "score-exceeds-weight",
            "funds",
            funds.label,
            message,
            printed=plain(printed),
            expected=plain(funds.weight),
        )


def _printed_rates(figure: Figure) -> list[tuple[Decimal, int]]:
    """The ways to read a printed rate, as percentages with their decimal places.

    ``98.36%`` and ``983.6‰`` are percentages; a bare number is a percentage, and a
    bare number up to 1.5 may also be a fraction (``0.9836``).
    """
    value = figure.value
    if figure.kind != "number" or value is None:
        return []
    places = max(0, -int(value.as_tuple().exponent))
    if figure.unit == "‰":
        return [(value / 10, places + 1)]
    if figure.unit == "" and value <= Decimal("1.5"):
        return [(value * _HUNDRED, max(0, places - 2)), (value, places)]
    return [(value, places)]


def _rate_agrees(printed: Decimal, places: int, rate: Decimal) -> bool:
    """Whether a printed percentage is the rate rounded (up, even or down) to its places."""
    percent = rate * _HUNDRED
    exponent = Decimal(1).scaleb(-places)
    return any(
        percent.quantize(exponent, rounding=mode) == printed
        for mode in (ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN)
    )


def _row_rate(row: FundRow) -> Decimal | None:
    budget, executed = row.annual_budget.value, row.executed.value
    if budget is None or executed is None or budget <= 0 or row.annual_budget.kind != "number":
        return None
    return executed / budget


def _rate_check(card: Scorecard) -> Iterator[Finding]:
    funds = card.funds
    if funds is None or funds.printed_rate is None or funds.rate is None:
        return
    readings = _printed_rates(funds.printed_rate)
    if not readings:
        return
    # A rate printed on a component row may be that row's own.
    printing_row = next((row for row in card.table.funds if row.rate is funds.printed_rate), None)
    own = None if printing_row is None else _row_rate(printing_row)
    rates = [funds.rate] if own is None else [funds.rate, own]
    if any(_rate_agrees(printed, places, rate) for printed, places in readings for rate in rates):
        return
    _, places = readings[0]
    expected = (funds.rate * _HUNDRED).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    message = (
        f"执行率印为 {funds.printed_rate.text}，按 {funds.label} 全年执行数 "
        f"{plain(funds.executed)} / 全年预算数 {plain(funds.budget)} 应为 {expected:f}%"
    )
    yield _finding(
        "rate-mismatch",
        "funds",
        funds.label,
        message,
        printed=funds.printed_rate.text,
        expected=f"{expected:f}%",
    )


def _funds_rows_check(table: Table) -> Iterator[Finding]:
    total = next((row for row in table.funds if row.is_total), None)
    if total is None:
        return
    parts = [row for row in table.funds if row is not total]
    if not parts:
        return
    for attribute, column in _FUND_COLUMNS[:3]:
        total_figure: Figure = getattr(total, attribute)
        figures: list[Figure] = [getattr(row, attribute) for row in parts]
        if total_figure.kind != "number" or any(f.kind == "unreadable" for f in figures):
            continue
        values = [f.value for f in figures if f.kind == "number" and f.value is not None]
        if not values or total_figure.value is None:
            continue
        places = max(
            max(0, -int(f.value.as_tuple().exponent))
            for f in (total_figure, *figures)
            if f.value is not None
        )
        # Each printed part may be off by half a unit of its last place.
        tolerance = Decimal(len(values)) * Decimal(5).scaleb(-places - 1)
        summed = sum(values, _ZERO)
        if abs(summed - total_figure.value) > tolerance:
            labels = "、".join(row.label for row in parts)
            message = (
                f"{total.label}的{column} {total_figure.text} "
                f"与分项（{labels}）之和 {summed:f} 不符"
            )
            yield _finding(
                "funds-rows-inconsistent",
                "funds",
                total.label,
                message,
                printed=total_figure.text,
                expected=f"{summed:f}",
            )


# --- indicator rows ------------------------------------------------------------------


def _row_checks(  # noqa: PLR0913 - the row, its outcome, the list, its parts, the table's shape
    row: Indicator,
    outcome: Outcome,
    found: list[Finding],
    *,
    printed: Decimal | None,
    note: str,
    path: str,
    profile: Profile,
    prints_scores: bool,
    notes: bool,
    year: int | None,
) -> None:
    """Every check of one row on its own, added to ``found`` as each is made.

    ``where`` is left blank: rows move, findings do not. Each check is a plain
    function given the row's parts (a new row pays for every check, so none is a
    generator or works a part out twice): the printed score, the reduced note
    (:func:`_note`) and the path.
    """
    _cell_checks(row, path, found, prints_scores=prints_scores)
    if printed is not None:
        _score_checks(outcome, printed, path, found, profile)
    _meaning_checks(row, outcome, printed, path, found, profile=profile)
    _note_checks(row, outcome, printed, path, found, note=note, profile=profile, notes=notes)
    _category_check(row, path, found, year)
    if row.extra:
        unknown = tuple((key, value) for key, value in row.extra if not _joined(row, key, value))
        found.extend(_unknown_keys(unknown, "", path))


def _joined(row: Indicator, key: str, value: JSONValue) -> bool:
    """Whether an extra key is a target's comparator or unit column it agrees with.

    Such a column (指标性质, 计量单位) is one a document reader joined to the target,
    not an unknown one.

    >>> from perfscore.cells import parse_target
    >>> from perfscore.model import Indicator, Label
    >>> label = Label("产出指标", "产出指标")
    >>> row = Indicator(label, label, "单位成本", parse_target("≤35.5万元"), None, None)
    >>> [_joined(row, *item) for item in [("指标性质", "反向指标"), ("计量单位", "万元"),
    ...     ("计量单位", "元"), ("指标性质", "≥"), ("备注", "≤")]]
    [True, True, False, False, False]
    """
    if not isinstance(value, str):
        return False
    target = row.target
    if key in UNIT_COLUMNS:
        return target.kind == "quantity" and normalize_unit(value.strip()) == target.unit
    if key in DIRECTION_COLUMNS:
        op = direction_op(value)
        return op == target.op if op is not None else fold_text(value).strip() in _KIND_WORDS
    return False


_KIND_WORDS: Final = frozenset({"定量", "定性", "定量指标", "定性指标"})


_TROUBLED_KINDS: Final = frozenset({"unreadable", "not-applicable"})


def _cell_checks(row: Indicator, path: str, found: list[Finding], *, prints_scores: bool) -> None:
    target, actual, weight, score = row.target, row.actual, row.weight, row.score
    if (
        target.kind in _TROUBLED_KINDS
        or actual.kind in _TROUBLED_KINDS
        or weight.kind in _TROUBLED_KINDS
        or (score is not None and score.kind in _TROUBLED_KINDS)
    ):
        cells: list[tuple[str, str, str, bool]] = [
            ("年度指标值", target.kind, target.text, True),
            ("实际完成值", actual.kind, actual.text, True),
            ("分值", weight.kind, weight.text, True),
        ]
        if score is not None:
            cells.append(("得分", score.kind, score.text, prints_scores))
        for column, kind, text, required in cells:
            if kind == "unreadable":
                error = (
                    target.error
                    if column == "年度指标值"
                    else actual.error
                    if column == "实际完成值"
                    else ""
                )
                reason = f"：{error.splitlines()[0]}" if error else ""
                message = f"{column}「{shorten(text, 40)}」无法读取{reason}"
                found.append(_finding("unparsed-cell", "", path, message, printed=text))
            elif kind == "not-applicable" and required:
                message = f"{column}为空（「{text}」）"
                found.append(_finding("blank-cell", "", path, message, printed=text))
    if score is None and prints_scores:
        found.append(_finding("blank-cell", "", path, "得分为空"))
    for column, figure in (("分值", weight), ("得分", score)):
        if (
            figure is not None
            and figure.kind == "number"
            and figure.value is not None
            and figure.value < 0
        ):
            message = f"{column} {figure.text} 为负数"
            found.append(_finding("negative-value", "", path, message, printed=figure.text))


def _score_checks(
    outcome: Outcome, printed: Decimal, path: str, found: list[Finding], profile: Profile
) -> None:
    weight, score = outcome.weight, outcome.score
    if weight is not None and weight >= 0 and printed > weight:
        message = f"得分 {printed:f} 超过分值 {weight:f}"
        found.append(
            _finding(
                "score-exceeds-weight",
                "",
                path,
                message,
                printed=plain(printed),
                expected=plain(weight),
            )
        )
    if score is not None and _differs(printed, score, profile):
        message = f"得分 {printed:f} 与规则计算值 {score:f} 不符（{outcome.explanation}）"
        found.append(
            _finding(
                "score-mismatch",
                "",
                path,
                message,
                printed=plain(printed),
                expected=plain(score),
            )
        )


def _same_digits(first: Decimal, second: Decimal) -> bool:
    """Whether two different numbers have the same digits but for zeros at either end."""
    if first == second:
        return False
    return _digits(first) == _digits(second)


def _digits(value: Decimal) -> bytes:
    return bytes(value.as_tuple().digits).strip(b"\x00")


def _typo(row: Indicator, outcome: Outcome) -> bool:
    """Whether the actual reads like the target with a slipped decimal point."""
    target, actual = outcome.target_value, outcome.actual_value
    if target is None or actual is None or target <= 0 or actual <= 0:
        return False
    # A ratio of 10, 100 or 1000 puts the leading digits one to three places apart.
    if not 1 <= abs(target.adjusted() - actual.adjusted()) <= 3:
        return False
    if not _same_digits(target, actual):
        return False
    ratio = max(target, actual) / min(target, actual)
    if ratio not in {Decimal(10), Decimal(100), Decimal(1000)}:
        return False
    pointed = "." in f"{row.target.value:f}" or "." in f"{row.actual.value:f}"
    beyond_whole = row.actual.unit == "%" and actual > _HUNDRED
    return pointed or beyond_whole


def _typo_checks(row: Indicator, outcome: Outcome, path: str, found: list[Finding]) -> None:
    """typo-suspect (a slipped decimal point), or share-suspect (a share for a percentage)."""
    target, actual = row.target, row.actual
    if _typo(row, outcome):
        check = "typo-suspect"
        message = (
            f"实际完成值「{actual.text}」与指标值「{target.text}」"
            "数字相同而小数点位置不同，疑似笔误"
        )
    elif _share_for_percent(row):
        check = "share-suspect"
        share = actual.value or _ZERO
        message = (
            f"实际完成值「{actual.text}」没有单位，指标值「{target.text}」是百分比："
            f"按 {plain(share)}% 计；若是比例，应写作 {plain((share * _HUNDRED).normalize())}%"
        )
    else:
        return
    found.append(_finding(check, "", path, message, printed=actual.text, expected=target.text))


def _share_for_percent(row: Indicator) -> bool:
    """Whether a bare actual of at most 1 stands against a target of 50% or more.

    ``0.98`` against ``≥95%`` is read as 0.98%, scoring about 1% of the weight; it is
    most likely the share 98%. (Against ``≤5%``, ``0.5`` is as likely 0.5%.)
    """
    target, actual = row.target, row.actual
    return (
        target.kind == "quantity"
        and actual.kind == "quantity"
        and target.unit == "%"
        and not actual.unit
        and target.value is not None
        and actual.value is not None
        and target.value >= _HALF_HUNDRED
        and 0 < actual.value <= 1
    )


_HALF_HUNDRED: Final = Decimal(50)


def _meaning_checks(  # noqa: PLR0913 - the row, its outcome, print and path, the list, the rules
    row: Indicator,
    outcome: Outcome,
    printed: Decimal | None,
    path: str,
    found: list[Finding],
    *,
    profile: Profile,
) -> None:
    target, actual = row.target, row.actual
    if outcome.units_compatible is False:
        message = (
            f"指标值「{target.text}」的单位 {target.unit} 与实际完成值「{actual.text}」的单位 "
            f"{actual.unit} 不能换算，"
            + (
                "按数值直接比较"
                if profile.quantitative.unit_mismatch == "compare-numbers"
                and outcome.score is not None  # a date is never compared with a number
                else "不计分"
            )
        )
        found.append(
            _finding("unit-mismatch", "", path, message, printed=actual.text, expected=target.text)
        )
    _typo_checks(row, outcome, path, found)
    op = target.op
    if target.kind == "quantity" and op in {"<=", "<"} and target.unit != DATE_UNIT:
        match = _POSITIVE_RATES.search(_folded(row.level3)) or (
            _category(row.level1.name) == "满意度" and re.search("满意", _folded(row.level3))
        )
        if match:
            message = f"「{row.level3}」越高越好，指标值却写作「{target.text}」（上限）"
            found.append(_finding("direction-suspect", "", path, message, printed=target.text))
    if (
        target.kind == "quantity"
        and op in {">=", ">"}
        and outcome.cost_row
        and unit_family(target.unit) == "money"
    ):
        message = (
            f"成本指标「{row.level3}」的金额指标值写作「{target.text}」（下限），成本通常是上限"
        )
        found.append(_finding("direction-suspect", "", path, message, printed=target.text))
    if target.kind == "qualitative" and actual.kind == "quantity":
        message = f"定性指标值「{target.text}」配了数值实际完成值「{actual.text}」"
        found.append(_finding("qualitative-mismatch", "", path, message, printed=actual.text))
    elif target.kind == "quantity" and actual.kind == "qualitative":
        message = f"定量指标值「{target.text}」配了文字实际完成值「{actual.text}」"
        found.append(_finding("qualitative-mismatch", "", path, message, printed=actual.text))
    if outcome.tier is not None and printed is not None:
        _band_check(outcome, printed, path, found, profile)
    if outcome.cost_row and target.kind == "qualitative":
        message = f"成本指标「{row.level3}」的指标值「{target.text}」未量化，看起来是效益内容"
        found.append(_finding("qualitative-cost", "", path, message, printed=target.text))


def _band_check(
    outcome: Outcome, printed: Decimal, path: str, found: list[Finding], profile: Profile
) -> None:
    weight, tier = outcome.weight, outcome.tier
    if tier is None or weight is None or weight <= 0:
        return
    rules = profile.qualitative
    scored = rules.unknown if tier == "unknown" else tier
    low, high = rules.band(scored)
    given = printed / weight
    inside = given == rules.fraction(scored) or (
        low <= given <= high if scored == "achieved" else low <= given < high
    )
    if not inside:
        words = {"achieved": "达成", "partial": "部分达成", "not-achieved": "未达成"}[scored]
        message = (
            f"定性指标实际读作{words}，应在分值的 {share(low)}–{share(high)} 之间，"
            f"印刷得分 {printed:f} 为分值 {weight:f} 的 {percent(given)}"
        )
        found.append(_finding("qualitative-mismatch", "", path, message, printed=plain(printed)))


def _note_checks(  # noqa: PLR0913 - the row, its outcome, print and path, the list, the rules
    row: Indicator,
    outcome: Outcome,
    printed: Decimal | None,
    path: str,
    found: list[Finding],
    *,
    note: str,
    profile: Profile,
    notes: bool,
) -> None:
    """Overshoot and the deviation notes; ``notes``: whether the table has a note column.

    ``note`` is the row's note reduced (:func:`_note`).
    """
    overshoot = outcome.overshoot
    threshold = profile.overshoot.note_threshold
    beyond = (
        overshoot is not None
        and overshoot > threshold
        and outcome.units_compatible is not False  # 100% against ≥1 册 measures nothing
    )
    if beyond and overshoot is not None:
        side = "超出" if outcome.comparator in {">=", ">"} else "低于"
        message = (
            f"实际 {row.actual.text} {side}指标值 {row.target.text} {percent(overshoot)}，"
            f"超过 {share(threshold)}"
        )
        if notes:
            message += "，已说明偏差原因" if note else "，未说明偏差原因"
        finding = _finding(
            "overshoot",
            "",
            path,
            message,
            printed=row.actual.text,
            expected=row.target.text,
        )
        found.append(finding if not note else finding._replace(severity="info"))
    weight = outcome.weight
    if printed is None or weight is None or not notes:
        return
    if printed < weight and not note:
        message = f"得分 {printed:f} 低于分值 {weight:f}，未填写偏差原因分析"
        found.append(_finding("missing-deviation-note", "", path, message, printed=plain(printed)))
    if printed >= weight and note and not beyond:
        message = f"得分为满分 {printed:f}，却填写了偏差说明「{row.deviation_note}」"
        found.append(_finding("note-on-full-score", "", path, message))


_COST_HOMES: Final = frozenset({"成本", "产出"})
_COST_HOME_SINCE_2021: Final = frozenset({"成本"})


def _category_check(row: Indicator, path: str, found: list[Finding], year: int | None) -> None:
    level1 = _category(row.level1.name)
    if level1 not in _PROJECT_LEVEL1:
        return
    level2 = _category(row.level2.name)
    if level2 in _COST_LEVEL2:
        homes = _COST_HOMES
        if level2 != "成本" and year is not None and year >= 2021:
            homes = _COST_HOME_SINCE_2021
    else:
        homes = _LEVEL2_HOMES.get(level2, frozenset())
    if homes and level1 not in homes:
        where_to = "或".join(f"{home}指标" for home in sorted(homes))
        message = f"二级指标「{row.level2.text}」应属于{where_to}，却在「{row.level1.text}」下"
        found.append(_finding("category-mismatch", "", path, message))


# --- the whole table -------------------------------------------------------------------


def _total_check(
    card: Scorecard,
    profile: Profile,
    printed: tuple[Decimal | None, ...],
    found: list[Finding],
    *,
    small: bool,
) -> None:
    printed_total = card.printed_total
    if printed_total is None:
        return
    if any(map(operator.is_, printed, repeat(None))):  # not `None in`: Decimal == None is slow
        return
    scores = cast("tuple[Decimal, ...]", printed)  # none is None
    summed = sum(scores, _ZERO) if small else functools.reduce(_EXACT.add, scores, _ZERO)
    if card.funds is not None:
        if card.funds.printed_score is None:
            return
        summed += card.funds.printed_score
    if _differs(printed_total, summed, profile):
        message = f"总分印为 {printed_total:f}，各项印刷得分之和为 {summed:f}"
        found.append(
            _finding(
                "total-mismatch",
                "table",
                card.table.name,
                message,
                printed=plain(printed_total),
                expected=plain(summed),
            )
        )


# Weights add exactly, whatever their size.
_EXACT: Final = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
_SEVERITY_OF: Final = operator.itemgetter(1)  # of a (check id, severity) pair
# Numbers of at most 24 digits either side of the point: sums of fewer than 10**10 of
# them have at most 58 digits, so they add exactly in the audit's context (60 digits).
_SMALL_PLACE: Final = Decimal("1E-24")
_SMALL_ADJUSTED: Final = 23
_SMALL_CONTEXT: Final = Context(prec=60)  # its flags are set and never read


def _small(value: Decimal | None) -> bool:
    """Whether ``value`` is ``None`` or a finite number that sums exactly in the audit's context.

    >>> _small(Decimal("12.50")), _small(Decimal("1E-24")), _small(Decimal("9" * 24))
    (True, True, True)
    >>> _small(Decimal("1E-25")), _small(Decimal("1E+24")), _small(Decimal("Infinity"))
    (False, False, False)
    """
    if value is None:
        return True
    # Quantizing to the smallest place (at most 48 digits) changes only a number with
    # digits beyond it.
    return (
        value.is_finite()
        and value.adjusted() <= _SMALL_ADJUSTED
        and _SMALL_CONTEXT.quantize(value, _SMALL_PLACE) == value
    )


def _levels(columns: _Columns, *, small: bool) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Each level-1 name's rows' weights summed, and the weights labels declare.

    Names come in the order of their first rows; a name's declared weight is its
    first row's that declares one (names with none are left out).
    """
    names = columns.level1_names
    sums = dict.fromkeys(names, _ZERO)
    if small:
        for name, weight in zip(names, columns.weights, strict=True):
            sums[name] += weight
    else:
        add = _EXACT.add
        for name, weight in zip(names, columns.weights, strict=True):
            sums[name] = add(sums[name], weight)
    declared: dict[str, Decimal] = {}
    if any(map(_NOT_NONE, columns.declared_weights)):
        for name, label_weight in zip(names, columns.declared_weights, strict=True):
            if label_weight is not None:
                declared.setdefault(name, label_weight)
    return sums, declared


_NOT_NONE: Final = functools.partial(operator.is_not, None)
_ExpectedWeights: TypeAlias = tuple[tuple[str | None, tuple[str, ...], Decimal, str, str], ...]


def _weight_checks(  # noqa: PLR0913 - the table's weights, summed, and the profile's
    kind: str,
    has_rows: bool,  # noqa: FBT001
    execution: Decimal,
    *,
    small: bool,
    sums: dict[str, Decimal],
    declared: dict[str, Decimal],
    expected_weights: _ExpectedWeights,
) -> list[_Draft]:
    """weights-not-100, level-weight-mismatch and level1-weights, as drafts.

    ``sums`` maps each level-1 name to its rows' weight sum, ``declared`` to the
    weight its label declares; ``expected_weights`` are the profile's groups with their
    words (:attr:`_AuditMemo.expected_weights`).
    """
    drafts: list[_Draft] = []
    if small:  # exact in the audit's context (see _small)
        indicator_weight = sum(sums.values(), _ZERO)
        total_weight = indicator_weight + execution
    else:
        indicator_weight = functools.reduce(_EXACT.add, sums.values(), _ZERO)
        total_weight = _EXACT.add(indicator_weight, execution)
    if has_rows and total_weight != _HUNDRED:
        message = (
            f"指标分值合计 {indicator_weight:f} 加执行率分值 {execution:f} "
            f"为 {total_weight:f}，不为 100"
        )
        drafts.append(("weights-not-100", None, message, plain(total_weight), "100"))
    for name, weight in sums.items() if declared else ():
        label_weight = declared.get(name)
        if label_weight is not None and label_weight != weight:
            message = f"一级指标「{name}」标注 {label_weight:f} 分，下属指标分值之和为 {weight:f}"
            drafts.append(
                ("level-weight-mismatch", name, message, plain(label_weight), plain(weight))
            )
    if kind == "project" and expected_weights and has_rows:
        message = _level1_weights(execution, sums, expected_weights, small=small)
        if message:
            drafts.append(("level1-weights", None, message, None, None))
    return drafts


def _level1_weights(
    execution: Decimal,
    sums: dict[str, Decimal],
    expected_weights: _ExpectedWeights,
    *,
    small: bool,
) -> str:
    """level1-weights' message: each expected group whose weight differs, or ``""``."""
    differences = []
    add = operator.add if small else _EXACT.add
    by_category: dict[str, Decimal] = {}  # 产出 and 产出指标 are one level
    for name, weight in sums.items():
        category = _category(name)
        by_category[category] = add(by_category.get(category, _ZERO), weight)
    get = by_category.get
    for level, names, expected, label, wanted in expected_weights:
        if level is not None:
            # A level's sum started from 0: adding it to 0 again changes nothing.
            actual = get(level, _ZERO)
        else:
            actual = _ZERO
            for name in names:
                actual = add(actual, execution if name == "执行率" else get(name, _ZERO))
        if actual != expected:
            differences.append(f"{label}{actual:f}{wanted}")
    return "一级指标权重：" + "，".join(differences) if differences else ""


def _boilerplate_check(
    table: Table, profile: Profile, notes: tuple[str, ...], found: list[Finding]
) -> None:
    least = profile.audit.boilerplate_min_rows
    blank = notes.count("")
    filled = len(notes) - blank
    if filled < least or len(set(notes)) - (blank > 0) == filled:  # no note twice
        return
    for note in dict.fromkeys(notes):  # in the order of their first rows
        if not note or notes.count(note) < least:
            continue
        numbers = list(compress(range(1, len(notes) + 1), map(operator.eq, notes, repeat(note))))
        text = table.indicators[numbers[0] - 1].deviation_note or ""
        shown = text if len(text) <= 40 else text[:40] + "…"
        listed = "、".join(map(str, numbers))
        message = f"同一偏差说明「{shown}」粘贴在 {len(numbers)} 行（第 {listed} 行）"
        found.append(_finding("boilerplate-note", "table", table.name, message))


def repeats_target(row: Indicator, outcome: Outcome) -> bool:
    """Whether a row's actual is its target over again (照抄), in the target's unit."""
    target, actual = row.target, row.actual
    if target.kind != "quantity" or actual.kind != "quantity":
        return False
    if not actual.unit or actual.unit == target.unit:
        return actual.value == target.value
    return outcome.units_compatible is True and outcome.actual_value == target.value


def _copied_check(card: Scorecard, copied: tuple[bool | None, ...], found: list[Finding]) -> None:
    numeric = len(copied) - copied.count(None)
    if numeric >= 3 and False not in copied:
        message = f"全部 {numeric} 个定量指标的实际完成值都与指标值相同，疑似照抄"
        found.append(_finding("copied-actuals", "table", card.table.name, message))


def _grams(text: str, size: int = 4) -> set[str]:
    return {text[i : i + size] for i in range(len(text) - size + 1)}


def _narrative_check(card: Scorecard) -> Iterator[Finding]:
    goal = card.table.goal
    if goal is None or not goal.achieved:
        return
    clauses = [fold(clause)[0] for clause in _CLAUSES.split(goal.achieved)]
    for item in card.items:
        row = item.indicator
        actual = row.actual
        if actual.kind != "quantity" or actual.value is None:
            continue
        unit = actual.unit or row.target.unit
        name = _folded(row.level3)
        grams = _grams(name) if len(name) >= 4 else {name}
        if not unit or not grams:
            continue
        for clause in clauses:
            if not any(gram in clause for gram in grams):
                continue
            said = [
                Decimal(match.group(1))
                for match in _NUMBER_UNIT.finditer(clause)
                if clause.startswith(unit, match.end())
                and _unit_ends(clause, match.end() + len(unit))
            ]
            if said and actual.value not in said:
                number = f"{said[-1]:f}"
                message = (
                    f"年度目标完成情况写「…{number}{unit}…」，指标表实际完成值为「{actual.text}」"
                )
                yield _finding(
                    "narrative-mismatch",
                    f"indicators[{item.index}]",
                    item.path,
                    message,
                    printed=actual.text,
                    expected=f"{number}{unit}",
                )
                break


def _unit_ends(clause: str, end: int) -> bool:
    """Whether a unit read at this point ends there (件 in 件数 would not)."""
    return end >= len(clause) or not ("\u4e00" <= clause[end] <= "\u9fff") or clause[end] in "的，"


# ---------------------------------------------------------------------------------
# Batch summary


@attrs.frozen
class BatchSummary:
    """A batch of audited (or only scored) tables, tallied: findings, totals, grades.

    Attributes:
        tables: how many tables were audited.
        by_id: ``(check id, {severity: count})`` for every id found, most errors first.
        by_severity: how many findings of each severity.
        ranked: ``(file, index, name, errors, warnings)`` of the (at most 100) tables
            with the most errors, then warnings; among equals, the first read first.
        printed_totals: how many tables print a total.
        totals_100: how many print a total of 100.
        totals_90: how many print a total of 90 or more.
        numeric_rows: rows with a numeric target and actual.
        repeating_rows: of those, rows whose actual merely repeats the target.
        refused: inputs that could not be read (files, lines, array elements), so
            that the tables counted are not all the batch held.
        audited: whether the tables were audited (``perfscore audit``); for a batch
            only scored (``perfscore score``) no finding was looked for, and
            ``by_id``, ``by_severity`` and ``ranked`` are empty.
        reproduced: of the tables that print a total, how many print the computed
            one (equal as numbers: ``90`` and ``90.00`` agree).
        gap_sum: the sum over those tables of the printed total minus the computed
            one (negative: the print gives less than the rules).
        gaps: ``(file, index, name, printed, computed)`` of the (at most 100)
            tables whose printed total differs from the computed one, the largest
            difference (either way) first; among equals, the first read first.
        grades: ``(grade, tables)`` for every grade given, the best first.
        points: ``(computed, printed, tables)`` for every distinct pair of totals
            of the tables that print one, in order: what the charts draw.
    """

    tables: int
    by_id: tuple[tuple[str, dict[str, int]], ...]
    by_severity: dict[str, int]
    ranked: tuple[tuple[str | None, int, str, int, int], ...]
    printed_totals: int
    totals_100: int
    totals_90: int
    numeric_rows: int
    repeating_rows: int
    refused: int = 0
    audited: bool = True
    reproduced: int = 0
    gap_sum: Decimal = _ZERO
    gaps: tuple[tuple[str | None, int, str, Decimal, Decimal], ...] = ()
    grades: tuple[tuple[str, int], ...] = ()
    points: tuple[tuple[Decimal, Decimal, int], ...] = ()

    @property
    def differing(self) -> int:
        """How many tables print a total other than the computed one."""
        return self.printed_totals - self.reproduced

    def __repr__(self) -> str:
        """One line: how many tables, findings of each severity, inputs refused.

        >>> BatchSummary(2, (), {"error": 1, "warning": 0, "info": 4}, (), 2, 1, 2, 10, 3)
        <BatchSummary 2 tables: 1 error, 0 warnings, 4 notes; 1 of 2 printed totals 100>
        """
        counts = ", ".join(
            f"{count} {_WORDS[severity]}{'' if count == 1 else 's'}"
            for severity, count in self.by_severity.items()
        )
        refused = f", {self.refused} inputs refused" if self.refused else ""
        return (
            f"<BatchSummary {self.tables} tables{refused}: {counts}; "
            f"{self.totals_100} of {self.printed_totals} printed totals 100>"
        )

    def __str__(self) -> str:
        """The summary as ``perfscore audit`` prints it at the end of a batch."""
        return cast("str", LATER.call(self, "text"))

    def to_dict(self) -> dict[str, Any]:
        """The summary as plain data (numbers as strings where they are shares or totals).

        A batch that was only scored (``audited`` false) has no ``by_severity``,
        ``by_id`` nor ``ranked``: no finding was looked for.
        """

        def ratio(part: int, whole: int) -> str | None:
            if not whole:
                return None
            return f"{(Decimal(part) / whole).quantize(Decimal('0.0001'), ROUND_HALF_UP):f}"

        data: dict[str, Any] = {"tables": self.tables, "refused": self.refused}
        if self.audited:
            data |= {
                "by_severity": dict(self.by_severity),
                "by_id": {check: dict(counts) for check, counts in self.by_id},
                "ranked": [
                    {
                        "file": file,
                        "index": index,
                        "name": name,
                        "errors": errors,
                        "warnings": warnings,
                    }
                    for file, index, name, errors, warnings in self.ranked
                ],
            }
        gaps = [
            {
                "file": file,
                "index": index,
                "name": name,
                "printed": plain(printed),
                "computed": plain(computed),
                "gap": plain(total_gap(printed, computed)),
            }
            for file, index, name, printed, computed in self.gaps
        ]
        return data | {
            "inflation": {
                "printed_totals": self.printed_totals,
                "totals_100": self.totals_100,
                "share_totals_100": ratio(self.totals_100, self.printed_totals),
                "totals_90_or_more": self.totals_90,
                "share_totals_90_or_more": ratio(self.totals_90, self.printed_totals),
                "numeric_rows": self.numeric_rows,
                "rows_repeating_target": self.repeating_rows,
                "share_rows_repeating_target": ratio(self.repeating_rows, self.numeric_rows),
            },
            "totals": {
                "printed": self.printed_totals,
                "reproduced": self.reproduced,
                "differing": self.differing,
                "gap_sum": plain(self.gap_sum),
                "largest_gap": gaps[0] if gaps else None,
                "gaps": gaps,
            },
            "grades": dict(self.grades),
        }


_GAP_CONTEXT: Final = Context(prec=120)


def total_gap(printed: Decimal, computed: Decimal) -> Decimal:
    """A printed total minus the computed one, exactly (the digits of both kept).

    >>> total_gap(Decimal("90"), Decimal("100.00"))
    Decimal('-10.00')
    """
    return _GAP_CONTEXT.subtract(printed, computed)

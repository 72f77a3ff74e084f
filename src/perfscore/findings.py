"""Findings: what an audit reports, as data.

A :class:`Finding` names one place where a printed table disagrees with the rules or
with itself. Each kind has a stable kebab-case id and a default severity, listed in
:data:`CHECKS`; a profile's ``[audit.severity]`` table may change a severity or turn a
check ``off``.

>>> CHECKS["score-mismatch"].severity, CHECKS["score-mismatch"].title
('error', '得分与规则计算值不符')
>>> finding = Finding("score-mismatch", "error", "indicators[0]", "产出指标/数量指标/x",
...                   "得分 0.00 与规则计算值 10.00 不符", printed="0.00", expected="10.00")
>>> finding.to_dict()["where"]
'indicators[0]'
"""

from __future__ import annotations

from typing import Final, Literal, NamedTuple

import attrs

from perfscore._values import value_repr

__all__ = [
    "CHECKS",
    "SEVERITIES",
    "Check",
    "Finding",
    "Severity",
]

Severity = Literal["error", "warning", "info"]
"""How much a finding matters: ``error`` (the print is wrong), ``warning`` (a reviewer
should look), ``info`` (worth knowing)."""

SEVERITIES: Final[tuple[Severity, ...]] = ("error", "warning", "info")
"""The severities, most serious first."""


def severity_rank(severity: Severity) -> int:
    """0 for ``error``, 1 for ``warning``, 2 for ``info``: lower is more serious.

    >>> sorted(["info", "error", "warning"], key=severity_rank)
    ['error', 'warning', 'info']
    """
    return SEVERITIES.index(severity)


@attrs.frozen
class Check:
    """One kind of finding.

    Attributes:
        id: the stable kebab-case id.
        severity: the default severity.
        title: a short Chinese title.
        group: ``arithmetic``, ``cells`` or ``structure``.
    """

    __repr__ = value_repr

    id: str
    severity: Severity
    title: str
    group: Literal["arithmetic", "cells", "structure"]


def _checks(*checks: Check) -> dict[str, Check]:
    return {check.id: check for check in checks}


CHECKS: Final[dict[str, Check]] = _checks(
    # Arithmetic
    Check("rate-mismatch", "error", "执行率与金额不符", "arithmetic"),
    Check("funds-score-mismatch", "error", "执行率得分与规则计算值不符", "arithmetic"),
    Check("funds-rows-inconsistent", "warning", "资金总额与分项之和不符", "arithmetic"),
    Check("score-mismatch", "error", "得分与规则计算值不符", "arithmetic"),
    Check("score-exceeds-weight", "error", "得分超过分值", "arithmetic"),
    Check("negative-value", "error", "金额、分值或得分为负数", "arithmetic"),
    Check("total-mismatch", "error", "总分与各项得分之和不符", "arithmetic"),
    Check("weights-not-100", "error", "分值合计不为 100", "arithmetic"),
    Check("level-weight-mismatch", "warning", "一级指标标注分值与下属分值之和不符", "arithmetic"),
    Check("level1-weights", "info", "一级指标权重结构与规则预期不同", "arithmetic"),
    # Cells and semantics
    Check("unparsed-cell", "error", "单元格无法读取", "cells"),
    Check("blank-cell", "warning", "必填单元格为空", "cells"),
    Check("unit-mismatch", "warning", "指标值与实际完成值单位不一致", "cells"),
    Check("typo-suspect", "warning", "实际完成值疑似数量级笔误", "cells"),
    Check("share-suspect", "info", "实际完成值疑为比例，指标值为百分比", "cells"),
    Check("direction-suspect", "warning", "比较符与指标性质相反", "cells"),
    Check("qualitative-mismatch", "info", "定性指标与定量数值混用或得分超出档次区间", "cells"),
    Check("overshoot", "warning", "实际完成值大幅偏离指标值", "cells"),
    Check("missing-deviation-note", "warning", "扣分但未说明偏差原因", "cells"),
    Check("note-on-full-score", "info", "满分指标填写了偏差说明", "cells"),
    Check("boilerplate-note", "info", "多行粘贴同一偏差说明", "cells"),
    Check("qualitative-cost", "info", "成本指标未量化", "cells"),
    Check("number-out-of-range", "error", "数值超出可计算范围", "cells"),
    # Structure and narrative
    Check("category-mismatch", "warning", "二级指标不属于所在一级指标", "structure"),
    Check("duplicate-indicator", "warning", "三级指标重复", "structure"),
    Check("copied-actuals", "info", "实际完成值照抄指标值", "structure"),
    Check("narrative-mismatch", "info", "年度目标完成情况与指标表数值不一致", "structure"),
    Check("unknown-column", "warning", "未知的列或字段，未用于计分", "structure"),
    Check("no-weights", "warning", "表中没有分值，各指标无法计分", "structure"),
)
"""Every check the audit runs, by id."""


class Finding(NamedTuple):
    """One inconsistency found in a printed table.

    A named tuple, not an attrs class like the model's values: an audit builds one
    for nearly every row of a batch, and a tuple is built four to five times faster.
    It is immutable all the same; ``finding._replace(severity="info")`` is a changed
    copy, and ``finding.to_dict()`` the report's entry.

    >>> finding = Finding("blank-cell", "warning", "indicators[2]", "产出/数量/x", "得分为空")
    >>> finding.printed is None, finding._replace(severity="info").severity
    (True, 'info')

    Attributes:
        id: the check's stable kebab-case id (see :data:`CHECKS`).
        severity: ``error``, ``warning`` or ``info``.
        where: ``funds``, ``indicators[N]`` or ``table``.
        path: a readable address (``产出指标/数量指标/参赛样品数量``, ``年度资金总额``).
        message: what is wrong, in Chinese, naming the numbers.
        printed: the printed value concerned, where one applies.
        expected: the value the rules or the table's own numbers give, where one applies.
        place: where the cell concerned was printed in the original document
            (``表2!H13``, ``第5页``), for a table read from a document.
    """

    id: str
    severity: Severity
    where: str
    path: str
    message: str
    printed: str | None = None
    expected: str | None = None
    place: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """The finding as a ``perfscore.report/1`` ``findings[]`` entry.

        ``place`` is there only for a table read from a document.
        """
        entry = {
            "id": self.id,
            "severity": self.severity,
            "where": self.where,
            "path": self.path,
            "printed": self.printed,
            "expected": self.expected,
            "message": self.message,
        }
        if self.place is not None:
            entry["place"] = self.place
        return entry

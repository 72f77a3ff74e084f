"""perfscore: read, score and audit budget performance self-evaluation tables (绩效自评表).

The quick-start names live here; each concept has its own module (:mod:`perfscore.cells`,
:mod:`perfscore.units`, :mod:`perfscore.model`, :mod:`perfscore.io.files`,
:mod:`perfscore.profiles`, :mod:`perfscore.scoring`, :mod:`perfscore.findings`,
:mod:`perfscore.audit`, :mod:`perfscore.fit`, :mod:`perfscore.render`).

>>> import perfscore
>>> perfscore.parse_target("≥95%").op
'>='
>>> [t.name for t in perfscore.load("examples/changji-2023")][:1]
['昌吉回族自治州工业和信息化局']
>>> perfscore.score(perfscore.load("examples/changji-2023")[1], profile="changji-2023").total
Decimal('100.00')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from perfscore._version import __version__
from perfscore.audit import AuditReport, BatchSummary, audit
from perfscore.cells import Actual, Figure, Target, parse_actual, parse_figure, parse_target
from perfscore.errors import (
    DocumentError,
    FloatRefusedError,
    InvalidCell,
    InvalidProfile,
    InvalidTable,
    MissingExtraError,
    NoTablesFoundError,
    PerfscoreError,
    TableFormatError,
    UnknownProfileError,
)
from perfscore.findings import Finding
from perfscore.fit import FitResult, fit
from perfscore.io.files import load, loads
from perfscore.memo import Memo
from perfscore.model import LATER, FundRow, Goal, Indicator, Label, Origin, Table
from perfscore.profiles import Profile, get_profile, load_profile, loads_profile
from perfscore.scoring import FundsScore, ItemScore, Outcome, Scorecard, Subtotal, score

if TYPE_CHECKING:
    from collections.abc import Callable

    from perfscore.batch import summarize

__all__ = [
    "Actual",
    "AuditReport",
    "BatchSummary",
    "DocumentError",
    "Figure",
    "Finding",
    "FitResult",
    "FloatRefusedError",
    "FundRow",
    "FundsScore",
    "Goal",
    "Indicator",
    "InvalidCell",
    "InvalidProfile",
    "InvalidTable",
    "ItemScore",
    "Label",
    "Memo",
    "MissingExtraError",
    "NoTablesFoundError",
    "Origin",
    "Outcome",
    "PerfscoreError",
    "Profile",
    "Scorecard",
    "Subtotal",
    "Table",
    "TableFormatError",
    "Target",
    "UnknownProfileError",
    "__version__",
    "audit",
    "fit",
    "get_profile",
    "load",
    "load_profile",
    "loads",
    "loads_profile",
    "parse_actual",
    "parse_figure",
    "parse_target",
    "score",
    "summarize",
]


def _from_render(method: str) -> Callable[..., Any]:
    """A value's rendering method, served by :mod:`perfscore.render` once first used.

    The render stage is imported when a value is first shown or written (it then
    provides its own functions in place of these), not by ``import perfscore``.
    """

    def render(value: object, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401 - the provider's
        import perfscore.render  # noqa: F401, PLC0415 - the last stage, on first use

        return LATER.call(value, method, *args, **kwargs)

    return render


for _kind in (Table, Scorecard, AuditReport):
    for _method in ("to_records", "to_dataframe", "_repr_html_", "text"):
        LATER.provide(_kind, _method, _from_render(_method))
for _shown in (BatchSummary, FitResult):
    LATER.provide(_shown, "text", _from_render("text"))
for _kind in (Scorecard, AuditReport):
    LATER.provide(_kind, "to_dict", _from_render("to_dict"))


def __getattr__(name: str) -> Any:  # noqa: ANN401 - a module attribute
    """``summarize``, from the batch stage, imported on first use (import time)."""
    if name == "summarize":
        from perfscore.batch import summarize  # noqa: PLC0415 - a later stage, on first use

        globals()["summarize"] = summarize
        return summarize
    message = f"module 'perfscore' has no attribute {name!r}"
    raise AttributeError(message)

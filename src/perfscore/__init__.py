"""perfscore: read, score and audit budget performance self-evaluation tables (绩效自评表).

The quick-start names live here; each concept has its own module (:mod:`perfscore.cells`,
:mod:`perfscore.units`, :mod:`perfscore.model`, :mod:`perfscore.io.files`,
:mod:`perfscore.profiles`, :mod:`perfscore.scoring`, :mod:`perfscore.findings`,
:mod:`perfscore.audit`, :mod:`perfscore.fit`, :mod:`perfscore.render.report`).

>>> import perfscore
>>> perfscore.parse_target("≥95%").op
'>='
>>> [t.name for t in perfscore.load("examples/changji-2023")][:1]
['昌吉回族自治州工业和信息化局']
>>> perfscore.score(perfscore.load("examples/changji-2023")[1], profile="changji-2023").total
Decimal('100.00')
"""

from perfscore._version import __version__
from perfscore.audit import AuditReport, audit, summarize
from perfscore.cells import Actual, Figure, Target, parse_actual, parse_figure, parse_target
from perfscore.errors import (
    InvalidCell,
    InvalidProfile,
    PerfscoreError,
    TableFormatError,
    UnknownProfileError,
)
from perfscore.findings import Finding
from perfscore.fit import FitResult, fit
from perfscore.io.files import load, loads
from perfscore.model import FundRow, Indicator, Table
from perfscore.profiles import Profile, get_profile, load_profile, loads_profile
from perfscore.scoring import ItemScore, Scorecard, score

__all__ = [
    "Actual",
    "AuditReport",
    "Figure",
    "Finding",
    "FitResult",
    "FundRow",
    "Indicator",
    "InvalidCell",
    "InvalidProfile",
    "ItemScore",
    "PerfscoreError",
    "Profile",
    "Scorecard",
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

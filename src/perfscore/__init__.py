"""perfscore: read, score and audit budget performance self-evaluation tables (绩效自评表).

The quick-start names live here; each concept has its own module (:mod:`perfscore.cells`,
:mod:`perfscore.units`, :mod:`perfscore.model`, :mod:`perfscore.loader`).

>>> import perfscore
>>> perfscore.parse_target("≥95%").op
'>='
>>> [t.name for t in perfscore.load("examples/changji-2023")][:1]
['昌吉回族自治州工业和信息化局']
"""

from perfscore._version import __version__
from perfscore.cells import Actual, Figure, Target, parse_actual, parse_figure, parse_target
from perfscore.errors import InvalidCell, PerfscoreError, TableFormatError
from perfscore.loader import load, loads
from perfscore.model import FundRow, Indicator, Table

__all__ = [
    "Actual",
    "Figure",
    "FundRow",
    "Indicator",
    "InvalidCell",
    "PerfscoreError",
    "Table",
    "TableFormatError",
    "Target",
    "__version__",
    "load",
    "loads",
    "parse_actual",
    "parse_figure",
    "parse_target",
]

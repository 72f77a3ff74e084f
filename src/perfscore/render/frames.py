"""Records as pandas data frames (the optional ``pandas`` extra).

:func:`to_dataframe` makes one ``pandas.DataFrame`` of the records of a table, a
scorecard or an audit report, or of a batch of them (the frames stacked, each row
with its table's identity). pandas is imported when a frame is first made, never by
``import perfscore``; without it the error names the extra that installs it.

The dtypes are chosen, not inferred, so that a frame looks the same under pandas 2
and 3 and whatever its first rows hold:

- numbers (``score``, ``weight``, ``printed_total`` … :data:`DECIMAL_COLUMNS`) are
  ``object`` columns of :class:`~decimal.Decimal` (``None`` where there is none):
  exact, as perfscore computed or read them. ``sum()``, ``min()``, ``max()``,
  comparisons and sorting give exact ``Decimal``; ``groupby(...).mean()`` works, pandas
  dividing in floating point (an exact mean is the sum over the count). What needs
  floats (``describe()``, ``mean(numeric_only=True)``, which leaves ``object`` columns
  out, plots) takes ``exact=False``, which makes them ``float64`` (``NaN`` where there
  is none): the analyst's choice, made once, where the frame is made;
- ``table_index`` and ``year`` are ``Int64`` (pandas' integers with ``<NA>``), never
  floats;
- every other column is ``object``, holding ``str`` or ``None``.

>>> from perfscore import load, score
>>> card = score(load("examples/changji-2023/02_wine-competition-2022.json")[0])
>>> frame = card.to_dataframe()
>>> frame.groupby("level1")["score"].sum()["产出指标"]
Decimal('40.00')
>>> str(frame["score"].dtype), str(card.to_dataframe(exact=False)["score"].dtype)
('object', 'float64')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

from perfscore.audit import AuditReport
from perfscore.errors import MissingExtraError
from perfscore.model import Table
from perfscore.render.records import FINDING_COLUMNS, ITEM_COLUMNS, ROW_COLUMNS
from perfscore.scoring import Scorecard

if TYPE_CHECKING:
    from perfscore.render.records import Record

__all__ = ["DECIMAL_COLUMNS", "INT_COLUMNS", "to_dataframe"]

DECIMAL_COLUMNS: Final = frozenset(
    {
        "printed_total",
        "total",
        "weight",
        "score",
        "printed_score",
        "target_value",
        "actual_value",
        "initial_budget",
        "annual_budget",
        "executed",
        "rate",
    }
)
"""The columns of numbers, every one a :class:`~decimal.Decimal` (or ``None``)."""

INT_COLUMNS: Final = frozenset({"table_index", "year"})
"""The columns of whole numbers, ``Int64`` in a frame."""


def _records(
    value: Any,  # noqa: ANN401 - a table, scorecard or audit report
    file: str | None,
    index: int | None,
) -> tuple[tuple[str, ...], list[Record]]:
    """A value's columns and records."""
    if isinstance(value, Table):
        return ROW_COLUMNS, value.to_records(file=file, index=index)
    if isinstance(value, Scorecard):
        return ITEM_COLUMNS, value.to_records(file=file, index=index)
    if isinstance(value, AuditReport):
        return FINDING_COLUMNS, value.to_records(file=file, index=index)
    message = (
        "to_dataframe takes a Table, a Scorecard or an AuditReport, or an iterable of "
        f"them (or of (file, index, value) triples), not {type(value).__name__}"
    )
    raise TypeError(message)


def to_dataframe(
    values: Any,  # noqa: ANN401 - a value, or an iterable of values or triples
    *,
    file: str | None = None,
    index: int | None = None,
    exact: bool = True,
) -> Any:  # noqa: ANN401 - a pandas.DataFrame; pandas is an optional extra
    """The records of a value, or of a batch of values, as one ``pandas.DataFrame``.

    Args:
        values: a :class:`~perfscore.model.Table`, :class:`~perfscore.scoring.Scorecard`
            or :class:`~perfscore.audit.AuditReport`; or an iterable of them, or of
            ``(file, index, value)`` triples (as :func:`perfscore.batch.iter_sources`
            gives tables), whose file and index go on every row.
        file: the file of a single value (where a batch read it), if known.
        index: the value's position in that file, if known.
        exact: numbers as ``Decimal`` (``object`` columns, the default) or, with
            ``False``, as ``float64``.

    Returns:
        A frame with the records' columns in order (a batch mixing kinds has the
        union of their columns, a record's missing ones ``None``), dtypes as the
        module says.

    Raises:
        MissingExtraError: pandas is not installed.
        TypeError: a value is none of those kinds.
    """
    try:
        import pandas as pd  # noqa: PLC0415 - an optional extra, imported when used
    except ImportError:
        raise MissingExtraError("data frames", "pandas", "pandas", "making") from None
    columns: dict[str, None] = {}
    records: list[Record] = []
    items = [(file, index, values)] if not isinstance(values, Iterable) else values
    for item in items:
        if isinstance(item, tuple) and len(item) == 3:  # (file, index, value)
            known_file, known_index, value = item
        else:
            known_file, known_index, value = file, index, item
        kind_columns, found = _records(value, known_file, known_index)
        columns.update(dict.fromkeys(kind_columns))
        records += found
    frame = pd.DataFrame(
        [[record.get(name) for name in columns] for record in records],
        columns=list(columns),
        dtype=object,
    )
    for name in columns:
        if name in INT_COLUMNS:
            frame[name] = frame[name].astype("Int64")
        elif name in DECIMAL_COLUMNS and not exact:
            frame[name] = frame[name].astype("float64")
    return frame

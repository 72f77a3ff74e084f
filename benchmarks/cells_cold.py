"""What reading a cell costs the first time: every distinct cell once, every cache empty.

    python benchmarks/cells_cold.py                  # 5 fresh processes, the median
    python benchmarks/cells_cold.py --runs 9 --drawn 3000

Parsed cells are memoised by their text (a batch repeats ``>=100%`` thousands of
times), so what decides a cold run is the cost of a *miss*. The cells come from:

- ``synthetic``: the targets, actuals, weights and scores of the indicator rows and
  the figures of the funds rows of the 1,500-table synthetic batch
  (benchmarks/synthetic.py, seed 2023);
- ``examples``: the same cells of the 17 tables in examples/changji-2023;
- ``drawn``: target, actual and figure texts drawn from perfscore.testing's
  strategies (Hypothesis, derandomised) on first use and kept in benchmarks/.data, so
  that every run reads the same texts; the measuring processes do not import
  Hypothesis.

Each group's distinct (reader, text, role) cells are read once, in a fresh process
that has imported perfscore, each group after emptying every cache of
perfscore.cells, perfscore.units and perfscore._text: ``cold`` is that pass (tables
and patterns built on first use included), ``miss`` a second pass over the same
cells with only the cell memos emptied (what a miss costs once the process is
warm). Cells perfscore refuses are timed too. The time is the process's CPU time
(other work on a shared machine inflates it less than wall time); the report gives
the fastest and the median of the runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

_FUND_FIGURES = ("initial_budget", "annual_budget", "executed", "weight", "rate", "score")
_ROW_FIGURES = ("weight", "score")

Cell = tuple[str, str, str]  # (reader, text, role)


def table_cells(data: dict[str, object]) -> list[Cell]:
    """The cells of one table in the perfscore.table/1 format, as the loader reads them."""
    cells: list[Cell] = []
    rows = data.get("indicators")
    funds = data.get("funds")
    for row in rows if isinstance(rows, list) else ():
        cells.extend(
            (reader, row[reader], reader)
            for reader in ("target", "actual")
            if isinstance(row.get(reader), str)
        )
        cells.extend(
            ("figure", row[role], role) for role in _ROW_FIGURES if isinstance(row.get(role), str)
        )
    for fund in funds if isinstance(funds, list) else ():
        cells.extend(
            ("figure", fund[role], role)
            for role in _FUND_FIGURES
            if isinstance(fund.get(role), str)
        )
    if isinstance(data.get("total"), str):
        cells.append(("figure", str(data["total"]), "total"))
    return cells


def synthetic_cells(data: Path) -> list[Cell]:
    """The cells of the 1,500-table synthetic batch (generated on first use)."""
    path = data / "tables-1500.jsonl"
    if not path.exists():
        data.mkdir(parents=True, exist_ok=True)
        synthetic.main(["1500", str(path)])
    with path.open(encoding="utf-8") as stream:
        return [cell for line in stream for cell in table_cells(json.loads(line))]


def example_cells() -> list[Cell]:
    """The cells of the tables in examples/changji-2023."""
    cells: list[Cell] = []
    for path in sorted((ROOT / "examples" / "changji-2023").glob("*.json")):
        cells += table_cells(json.loads(path.read_text(encoding="utf-8")))
    return cells


def drawn_cells(count: int, data: Path) -> list[Cell]:
    """Texts drawn from perfscore.testing's strategies, kept in ``data`` once drawn.

    Kept, so that two versions of perfscore are measured on the same texts (what
    Hypothesis draws, derandomised, is the same in one place, not across checkouts).
    """
    path = data / f"cells-drawn-{count}.json"
    if path.exists():
        return [tuple(cell) for cell in json.loads(path.read_text(encoding="utf-8"))]  # type: ignore[misc]
    cells = _draw(count)
    data.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(cells, ensure_ascii=False), encoding="utf-8")
    return cells


def _draw(count: int) -> list[Cell]:
    from hypothesis import HealthCheck, given, settings  # noqa: PLC0415
    from hypothesis import strategies as st  # noqa: PLC0415

    from perfscore import testing  # noqa: PLC0415

    cells: list[Cell] = []
    kinds = ("quantity", "qualitative", "not-applicable")
    drawn = st.one_of(
        testing.target_texts(kinds=kinds).map(lambda text: ("target", text, "target")),
        testing.actual_texts(kinds=kinds).map(lambda text: ("actual", text, "actual")),
        testing.figure_texts(kinds=("number", "not-applicable")).map(
            lambda text: ("figure", text, "weight")
        ),
    )

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(drawn)
    def draw(cell: Cell) -> None:
        cells.append(cell)

    draw()
    return cells


def distinct(cells: list[Cell]) -> list[Cell]:
    """Each (reader, text, role) once, in first-seen order."""
    return list(dict.fromkeys(cells))


# --- the measuring process -----------------------------------------------------------


def _clear_caches(*, everything: bool) -> None:
    import perfscore._text  # noqa: PLC0415
    import perfscore.cells  # noqa: PLC0415
    import perfscore.units  # noqa: PLC0415

    modules = (perfscore.cells, perfscore.units, perfscore._text)  # noqa: SLF001
    memos = (perfscore.cells._target, perfscore.cells._actual, perfscore.cells._figure)  # noqa: SLF001
    for memo in memos:
        memo.cache_clear()
    if everything:
        for module in modules:
            for value in vars(module).values():
                if not isinstance(value, type) and callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def _read_all(cells: list[Cell]) -> float:
    """CPU seconds to read every cell once."""
    from perfscore import InvalidCell  # noqa: PLC0415
    from perfscore.cells import actual_from_text, figure_from_text, target_from_text  # noqa: PLC0415

    started = time.process_time()
    for reader, text, role in cells:
        try:
            if reader == "target":
                target_from_text(text)
            elif reader == "actual":
                actual_from_text(text)
            else:
                figure_from_text(text, role)
        except InvalidCell:
            pass
    return time.process_time() - started


def measure(corpus: Path) -> dict[str, dict[str, float]]:
    """Per group of cells: microseconds per cell, cold and on a later miss."""
    import perfscore  # noqa: F401, PLC0415 - the whole package, as a run imports it

    groups: dict[str, list[Cell]] = {
        name: [tuple(cell) for cell in cells]  # type: ignore[misc]
        for name, cells in json.loads(corpus.read_text(encoding="utf-8")).items()
    }
    figures: dict[str, dict[str, float]] = {}
    for name, cells in groups.items():
        _clear_caches(everything=True)
        figures[name] = {"cells": len(cells), "cold": _read_all(cells) / len(cells) * 1e6}
    for name, cells in groups.items():
        _clear_caches(everything=False)
        figures[name]["miss"] = _read_all(cells) / len(cells) * 1e6
    return figures


# --- the report --------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Measure in fresh processes and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--drawn", type=int, default=2000)
    parser.add_argument("--data", default=str(HERE / ".data"))
    parser.add_argument("--measure", metavar="CORPUS", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.measure:
        print(json.dumps(measure(Path(arguments.measure))))
        return 0
    groups = {
        "synthetic": distinct(synthetic_cells(Path(arguments.data))),
        "examples": distinct(example_cells()),
        "drawn": distinct(drawn_cells(arguments.drawn, Path(arguments.data))),
    }
    groups["all"] = distinct([cell for cells in groups.values() for cell in cells])
    with tempfile.TemporaryDirectory() as directory:
        corpus = Path(directory) / "cells.json"
        corpus.write_text(json.dumps(groups, ensure_ascii=False), encoding="utf-8")
        runs = [
            json.loads(
                subprocess.run(  # noqa: S603 - this script, our arguments
                    [sys.executable, __file__, "--measure", str(corpus)],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            for _ in range(arguments.runs)
        ]
    print(f"µs per cell, fastest / median of {arguments.runs} runs")
    print(f"{'cells':<10} {'distinct':>8} {'cold':>13} {'miss':>13}")
    for name, cells in groups.items():
        cold = sorted(run[name]["cold"] for run in runs)
        miss = sorted(run[name]["miss"] for run in runs)
        print(
            f"{name:<10} {len(cells):>8} "
            f"{cold[0]:>6.1f} /{statistics.median(cold):>5.1f} "
            f"{miss[0]:>6.1f} /{statistics.median(miss):>5.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: reading documents, per format, and where the time goes.

    python benchmarks/documents.py              # the example documents, 5 runs each
    python benchmarks/documents.py --runs 20 --copies 10

For each of the example documents (examples/documents: the seed's 17 tables printed as
a workbook, a Word report, a web page and two PDFs) it prints, best of ``--runs``:

- the time to read the document into grids (the library's parse and perfscore's
  reader), to recognise the tables in the grids, and to build the tables;
- sheets, Word or HTML tables, or PDF pages read per second;
- the share of the time spent in perfscore's recogniser against the reading.

``--copies N`` makes each document N times larger (the same tables again: sheets,
tables or pages repeated) to see how the cost grows.
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from perfscore.io.documents.grid import Grid

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT / "examples" / "documents"


def _grids(kind: str, raw: bytes, source: str) -> Iterator[tuple[Grid, list[str]]]:
    from perfscore.io.documents import _grids as grids  # noqa: PLC0415

    return grids(raw, source=source, kind=kind)


def _best(function: Callable[[], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def _units(kind: str, raw: bytes) -> tuple[int, str]:
    """How many sheets, tables or pages a document holds, and their name."""
    if kind == "pdf":
        import pdfplumber  # noqa: PLC0415

        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            return len(pdf.pages), "pages"
    if kind == "xlsx":
        import openpyxl  # noqa: PLC0415

        return len(openpyxl.load_workbook(io.BytesIO(raw), read_only=True).worksheets), "sheets"
    return len(list(_grids(kind, raw, "x"))), "tables"


def main(argv: list[str] | None = None) -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    from perfscore.errors import PerfscoreError  # noqa: PLC0415
    from perfscore.io.documents import document_kind, read_document  # noqa: PLC0415
    from perfscore.io.documents.recognise import recognise  # noqa: PLC0415

    print(f"{'document':34} {'read':>9} {'recognise':>10} {'tables':>9} {'units/s':>9}  share")
    for path in sorted(DOCUMENTS.iterdir()):
        raw = path.read_bytes()
        kind = document_kind(path.name, raw)
        if kind is None:
            continue
        if kind == "text":  # read straight into tables: no grids, no recogniser
            whole = _best(
                lambda raw=raw, name=path.name: list(read_document(raw, source=name)), args.runs
            )
            print(f"{path.name:34} {'':>9} {'':>10} {whole * 1000:7.1f}ms (the text-layer reader)")
            continue
        try:
            grids = list(_grids(kind, raw, path.name))
        except (ImportError, PerfscoreError) as error:
            print(f"{path.name:34} skipped: {error}")
            continue
        read = _best(lambda kind=kind, raw=raw: list(_grids(kind, raw, "x")), args.runs)

        def recognised(grids: list[tuple[Grid, list[str]]] = grids) -> None:
            for grid, preamble in grids:
                recognise(grid, document="x", preamble=preamble)

        recognising = _best(recognised, args.runs)
        whole = _best(
            lambda raw=raw, name=path.name: list(read_document(raw, source=name)), args.runs
        )
        count, name = _units(kind, raw)
        share = recognising / whole
        print(
            f"{path.name:34} {read * 1000:7.1f}ms {recognising * 1000:8.1f}ms "
            f"{whole * 1000:7.1f}ms {count / whole:7.1f} {name:>6}/s  {share:5.1%}"
        )
    print("read: the library's parse and perfscore's reader into grids; recognise: the")
    print("recogniser on those grids; tables: the whole read_document (tables built);")
    print("share: the recogniser's part of the whole.")


if __name__ == "__main__":
    main()

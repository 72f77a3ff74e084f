"""How many cells of the example tables each example document gives as printed.

    python benchmarks/cells_read.py                       # examples/documents
    python benchmarks/cells_read.py some.pdf other.xlsx   # documents of the same tables
    python benchmarks/cells_read.py --printed             # tests/data/documents/pdf/variants

Each document is read with ``perfscore.load``; its tables are matched in order to the
17 tables of examples/changji-2023, and every cell (the table's fields, the funds rows'
figures, the goal texts, every indicator row's cells) is compared once white space is
removed. Provenance (origin, places) and the ``source`` field are left out.

With ``--printed`` it reads the PDFs LibreOffice printed from workbooks and Word
reports in the form's layout variants (``tests/data/documents/make_pdfs.py``) and
compares each with the tables its source document holds (their ``expected.json``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import perfscore  # noqa: E402

_LEFT_OUT = frozenset({"places", "origin", "source", "format"})


def cells(value: object, prefix: str = "") -> dict[str, object]:
    """Every cell of a table's data by its path, white space removed."""
    if isinstance(value, dict):
        found: dict[str, object] = {}
        for key, item in value.items():
            if key not in _LEFT_OUT:
                found.update(cells(item, f"{prefix}.{key}" if prefix else key))
        return found
    if isinstance(value, list):
        found = {}
        for index, item in enumerate(value):
            found.update(cells(item, f"{prefix}[{index}]"))
        return found
    return {prefix: "".join(value.split()) if isinstance(value, str) else value}


def counted(path: Path, examples: list[perfscore.Table]) -> tuple[int, int, int]:
    """(tables found, cells as printed, cells in the examples) for one document."""
    tables = perfscore.load(path)
    right = total = 0
    for table, example in zip(tables, examples, strict=False):
        want, have = cells(example.to_dict()), cells(table.to_dict())
        total += len(want)
        right += sum(have.get(key) == value for key, value in want.items())
    for example in examples[len(tables) :]:
        total += len(cells(example.to_dict()))
    return len(tables), right, total


PRINTED = ROOT / "tests" / "data" / "documents" / "pdf" / "variants"


def printed() -> list[tuple[str, int, int, int, int]]:
    """(PDF, tables found, tables printed, cells as printed, cells) per printed PDF."""
    from perfscore.io.json import table_from_dict  # noqa: PLC0415

    expected = json.loads((PRINTED / "expected.json").read_text(encoding="utf-8"))
    found = []
    for name, source in expected.items():
        tables = [table_from_dict(data) for data in source["tables"]]
        try:
            count, right, total = counted(PRINTED / name, tables)
        except perfscore.PerfscoreError:  # a table found but not loaded: none read
            count, right = 0, 0
            total = sum(len(cells(table.to_dict())) for table in tables)
        found.append((name, count, len(tables), right, total))
    return found


def main(argv: list[str]) -> None:
    """Print the cells read per document."""
    if argv == ["--printed"]:
        for name, count, tables, right, total in printed():
            print(
                f"{name:28} {count:2}/{tables} tables  {right:4} / {total} cells "
                f"({right / total:.1%})"
            )
        return
    examples = perfscore.load(ROOT / "examples" / "changji-2023")
    paths = [Path(arg) for arg in argv] or sorted((ROOT / "examples" / "documents").iterdir())
    for path in paths:
        found, right, total = counted(path, examples)
        print(f"{path.name:36} {found:3} tables  {right:5} / {total} cells ({right / total:.1%})")


if __name__ == "__main__":
    main(sys.argv[1:])

"""Benchmark: reading PDFs into grids, pages per second, and where the time goes.

    python benchmarks/documents_pdf.py                     # the seed PDFs and the fixtures
    python benchmarks/documents_pdf.py a.pdf b.pdf --repeat 5
    python benchmarks/documents_pdf.py --alternatives      # also pypdfium2's parse, if installed

For each PDF it reads every grid with :func:`perfscore.io.documents.pdf.read_pdf` (best of
``--repeat`` runs) and prints the pages, the grids, the pages per second and the split
of the time between

- pdfminer: pdfminer.six interpreting each page's content stream into characters,
  lines and rectangles (``page.layout``): what reading with pdfminer.six directly costs;
- pdfplumber: pdfplumber turning those objects into dictionaries (``page.objects``);
- perfscore: everything else: rulings, the cell lattice, characters into cells, text
  lines, tables joined across pages.

``--alternatives`` adds the time pypdfium2 (PDFium) takes to give the same raw material
(every character with its box, every path object with its bounds), for comparison.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from perfscore.io.documents import pdf as reader  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds" / "changji-2023-documents"
FIXTURES = ROOT / "tests" / "data" / "documents" / "pdf"


def default_files() -> list[Path]:
    """The seed's PDFs (when at hand) and the fixtures that hold tables."""
    files = [SEEDS / "tables.pdf", SEEDS / "report.pdf"]
    files = [path for path in files if path.exists()]
    names = ("two-tables", "row-split", "rows-whole", "workbook")
    return files + [FIXTURES / f"{name}.pdf" for name in names]


def measure(path: Path) -> dict[str, float]:
    """One read of a PDF: its pages and grids, and seconds per share of the work."""
    original = reader._parse  # noqa: SLF001 - the benchmark times inside the reader
    spent = {"pdfminer": 0.0, "pdfplumber": 0.0}
    pages = 0

    def timed(page):  # noqa: ANN001, ANN202 - pdfplumber's Page and objects
        nonlocal pages
        pages += 1
        start = time.perf_counter()
        _ = page.layout
        middle = time.perf_counter()
        objects = original(page)
        spent["pdfminer"] += middle - start
        spent["pdfplumber"] += time.perf_counter() - middle
        return objects

    reader._parse = timed  # noqa: SLF001
    try:
        start = time.perf_counter()
        with path.open("rb") as stream:
            grids = sum(1 for _ in reader.read_pdf(stream, source=path.name))
        total = time.perf_counter() - start
    finally:
        reader._parse = original  # noqa: SLF001
    return {
        "pages": pages,
        "grids": grids,
        "total": total,
        "pdfminer": spent["pdfminer"],
        "pdfplumber": spent["pdfplumber"],
        "perfscore": total - spent["pdfminer"] - spent["pdfplumber"],
    }


def pdfium_parse(path: Path) -> float | None:
    """Seconds pypdfium2 takes to list every character box and path object, or None."""
    try:
        import pypdfium2  # noqa: PLC0415
        from pypdfium2 import raw  # noqa: PLC0415
    except ImportError:
        return None
    start = time.perf_counter()
    document = pypdfium2.PdfDocument(str(path))
    for page in document:
        text = page.get_textpage()
        for index in range(text.count_chars()):
            text.get_charbox(index)
        text.get_text_range()
        for item in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH]):
            item.get_bounds()
        text.close()
        page.close()
    document.close()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    """Measure the PDFs given (or the default ones) and print a line for each."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="PDFs (default: seeds, fixtures)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per file; the best counts")
    parser.add_argument("--alternatives", action="store_true", help="time pypdfium2 too")
    options = parser.parse_args(argv)
    files = options.files or default_files()
    header = f"{'file':<22} {'pages':>5} {'grids':>5} {'pages/s':>8}  "
    header += f"{'pdfminer':>8} {'pdfplumber':>10} {'perfscore':>9}"
    if options.alternatives:
        header += f"  {'pypdfium2 parse':>15}"
    print(header)
    totals = {"pages": 0.0, "total": 0.0, "pdfminer": 0.0, "pdfplumber": 0.0, "perfscore": 0.0}
    for path in files:
        best = min((measure(path) for _ in range(options.repeat)), key=lambda run: run["total"])
        for key in totals:
            totals[key] += best[key]
        line = (
            f"{path.name:<22} {best['pages']:>5.0f} {best['grids']:>5.0f} "
            f"{best['pages'] / best['total']:>8.1f}  "
            + " ".join(
                f"{best[share] / best['total']:>{width}.0%}"
                for share, width in (("pdfminer", 8), ("pdfplumber", 10), ("perfscore", 9))
            )
        )
        if options.alternatives:
            runs = [pdfium_parse(path) for _ in range(options.repeat)]
            seconds = min((run for run in runs if run is not None), default=None)
            shown = "not installed" if seconds is None else f"{best['pages'] / seconds:.0f} pages/s"
            line += f"  {shown:>15}"
        print(line)
    print(
        f"{'all':<22} {totals['pages']:>5.0f} {'':>5} {totals['pages'] / totals['total']:>8.1f}  "
        + " ".join(
            f"{totals[share] / totals['total']:>{width}.0%}"
            for share, width in (("pdfminer", 8), ("pdfplumber", 10), ("perfscore", 9))
        )
    )


if __name__ == "__main__":
    main()

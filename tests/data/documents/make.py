"""Regenerate the committed documents of tests/data/documents/variants.

Each is written by ``tests/documents_variants.py`` from the examples of
``examples/changji-2023`` in one layout variant (its ``FIXTURES``); the tests read
them back (``tests/test_documents.py``). Run from anywhere, with the ``documents``
extra installed: ``python tests/data/documents/make.py``. The output is the same on
every run (the packages' dates are fixed), so a change shows as a change.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests"))

import documents_variants as dv  # noqa: E402 - the tests' module, found above

OUT = Path(__file__).resolve().parent / "variants"
DATE = (2024, 1, 1, 0, 0, 0)


def _fixed(raw: bytes) -> bytes:
    """A zip package with every part dated the same: the same bytes on every run."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w") as package:
        for entry in source.infolist():
            data = source.read(entry)
            data = _fixed_dates(entry.filename, data)
            fixed = zipfile.ZipInfo(entry.filename, DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(fixed, data)
    return out.getvalue()


def _fixed_dates(name: str, data: bytes) -> bytes:
    """docProps/core.xml's created and modified dates, fixed."""
    if name != "docProps/core.xml":
        return data
    text = data.decode("utf-8")
    for tag in ("dcterms:created", "dcterms:modified"):
        start = text.find(f"<{tag}")
        if start >= 0:
            opened = text.index(">", start) + 1
            closed = text.index(f"</{tag}>", opened)
            text = text[:opened] + "2024-01-01T00:00:00Z" + text[closed:]
    return text.encode("utf-8")


def main() -> None:
    """Write every fixture."""
    examples = [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / "examples" / "changji-2023").glob("*.json"))
    ]
    OUT.mkdir(exist_ok=True)
    for name, chosen, variant in dv.FIXTURES:
        kind = name.rsplit(".", 1)[1]
        written = dv.write([examples[index] for index in chosen], variant, kind)
        raw = written.raw if kind == "html" else _fixed(written.raw)
        (OUT / name).write_bytes(raw)
        sys.stdout.write(f"{name}: {len(raw):,} bytes, {len(chosen)} tables\n")


if __name__ == "__main__":
    main()

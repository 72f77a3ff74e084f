r"""Reading the documents people hold: workbooks, Word reports, web pages, PDFs, text.

Each format is read into :class:`~perfscore.io.documents.grid.Grid`\ s by a reader of its
own, built on the well-kept library of its field (installed by an optional extra:
``pip install "perfscore[documents]"`` installs them all); one recogniser
(:mod:`perfscore.io.documents.recognise`) finds the self-evaluation tables in every grid.
A PDF's text layer copied out as ``.txt`` is read by a reader of such text
(:mod:`perfscore.io.documents.text`). Every table keeps where it came from (its
``origin``) and every cell its place (``表3!F12``, ``第5页``).

:func:`read_document` is what :func:`perfscore.load` and the command line use for a
file whose name (or, for standard input, whose first bytes) says it is a document.

>>> from pathlib import Path
>>> raw = Path("tests/data/documents/two.html").read_bytes()
>>> [(table.name, str(table.origin)) for table in read_document(raw, source="two.html")]
[('示例培训项目', 'two.html 表格1（第1张表）'), ('示例维修项目', 'two.html 表格2（第2张表）')]
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Final

from perfscore.errors import DocumentError, PerfscoreError, TableFormatError
from perfscore.io.documents._containers import ole_content
from perfscore.io.json import table_from_dict

# pathlib (with the urllib.parse and ipaddress it imports, about 3 ms) is imported by
# the functions that make paths, not with this module: `import perfscore` needs none.
if TYPE_CHECKING:
    from collections.abc import Iterator

    from perfscore.io.documents.grid import Grid
    from perfscore.model import JSONValue, Table

__all__ = ["DOCUMENT_SUFFIXES", "LEGACY_SUFFIXES", "document_kind", "read_document"]

DOCUMENT_SUFFIXES: Final = frozenset(
    {".xlsx", ".xlsm", ".xls", ".docx", ".html", ".htm", ".pdf", ".txt"}
)
"""The names of the documents read (what a directory is searched for, besides tables)."""

LEGACY_SUFFIXES: Final[dict[str, str]] = {
    ".doc": "a legacy Word document (.doc); open it in Word or WPS and save it as .docx",
    ".wps": "a WPS document (.wps); open it in WPS and save it as .docx",
    ".et": "a WPS spreadsheet (.et); open it in WPS and save it as .xlsx",
    ".dps": "a WPS presentation (.dps), not a document of tables",
    ".ppt": "a presentation, not a document of tables",
    ".pptx": "a presentation, not a document of tables",
}
"""Formats perfscore does not read, and what to do with each."""

_KINDS: Final[dict[str, str]] = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".txt": "text",
}


def document_kind(source: str, raw: bytes) -> str | None:
    """Which document reader reads a file (``None``: a table file, JSON or CSV).

    By the file's suffix; for a name without one of the known suffixes (standard
    input), by its first bytes: a PDF, a zip holding a workbook or a Word document,
    a legacy Office file, a web page.

    >>> document_kind("a.PDF", b""), document_kind("<stdin>", b"%PDF-1.7")
    ('pdf', 'pdf')
    >>> document_kind("t.json", b"{"), document_kind("<stdin>", b"[")
    (None, None)
    """
    from pathlib import Path  # noqa: PLC0415 - see the note on pathlib above

    suffix = Path(source).suffix.lower()
    if suffix in _KINDS:
        return _KINDS[suffix]
    if suffix in LEGACY_SUFFIXES:
        return "legacy"
    if suffix in {".json", ".jsonl", ".csv"}:
        return None
    return _sniffed(raw)


def _sniffed(raw: bytes) -> str | None:
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in raw[:65536]:
            return "docx"
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    lowered = head[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<table" in lowered:
        return "html"
    return None


def _by_content(kind: str | None, raw: bytes) -> str | None:
    """The reader of an Office file by its bytes where its name says another.

    A workbook saved as .xls and named .xlsx (an OLE file holding a ``Workbook``), an
    .xlsx named .xls, a Word document named .xlsx (a zip of ``word/`` parts and no
    ``xl/`` ones): each is read as what it is.
    """
    if kind in {"xlsx", "docx"} and ole_content(raw) == "excel":
        return "xls"
    if kind in {"xlsx", "xls", "docx"} and raw.startswith(b"PK\x03\x04"):
        word, workbook = b"word/" in raw, b"xl/" in raw
        if word and not workbook:
            return "docx"
        if workbook and not word:
            return "xlsx"
        return "xlsx" if kind == "xls" else kind
    return kind


def read_document(
    raw: bytes, *, source: str, kind: str | None = None
) -> Iterator[Table | PerfscoreError]:
    """The tables of a document, each in its place, or the error of one that is not.

    Args:
        raw: the document's bytes.
        source: its file name (for messages and each table's ``origin``).
        kind: the reader (``xlsx``, ``xls``, ``docx``, ``html``, ``pdf``, ``text``);
            ``None`` tells it from the name and the bytes.

    Yields:
        Each table found, in document order; a table the format cannot hold is its
        :class:`~perfscore.errors.TableFormatError`. A document that cannot be read,
        or in which no table is found, is one
        :class:`~perfscore.errors.DocumentError` (what it is and what to do).
    """
    from pathlib import Path  # noqa: PLC0415 - see the note on pathlib above

    kind = _by_content(kind or document_kind(source, raw), raw)
    document = Path(source).name
    try:
        found = list(_table_dicts(raw, source=source, kind=kind or "", document=document))
    except PerfscoreError as error:
        yield error
        return
    if not found:
        yield DocumentError(
            source,
            "no self-evaluation table found (perfscore looks for the form's header rows: "
            "一级指标 … 三级指标 … 实际完成值, or 年初预算数 … 全年执行数)",
        )
        return
    for data in found:
        data.setdefault("source", document)
        origin = data.get("origin") or {}
        where = f"{source} {origin.get('place', '')}（第{origin.get('number', '?')}张表）"
        try:
            yield table_from_dict(data, source=where.replace(f"{source} （", f"{source}（"))
        except TableFormatError as error:
            yield error


def _table_dicts(
    raw: bytes, *, source: str, kind: str, document: str
) -> Iterator[dict[str, JSONValue]]:
    """The ``perfscore.table/1`` objects of a document, by its reader and the recogniser."""
    from pathlib import Path  # noqa: PLC0415 - see the note on pathlib above

    if kind == "legacy":
        suffix = Path(source).suffix.lower()
        raise DocumentError(source, LEGACY_SUFFIXES[suffix])
    if kind == "text":
        from perfscore.io.documents.text import read_text_file  # noqa: PLC0415 - this format only

        yield from read_text_file(raw, source=source)
        return
    from perfscore.io.documents.grid import GridTooLargeError  # noqa: PLC0415
    from perfscore.io.documents.recognise import Continuation, recognise  # noqa: PLC0415

    number = 1
    # A table cut into two Word or HTML tables (split at a page, or by hand) is read
    # as one; a workbook's sheets are tables of their own.
    continuation = Continuation() if kind in {"docx", "html", "pdf"} else None
    try:
        for grid, preamble in _grids(raw, source=source, kind=kind):
            tables = recognise(
                grid,
                document=document,
                preamble=preamble,
                first_number=number,
                continuation=continuation,
            )
            number += len(tables)
            yield from tables
    except GridTooLargeError as error:
        raise DocumentError(source, f"{error} (a damaged or hostile file?)") from None


def _grids(raw: bytes, *, source: str, kind: str) -> Iterator[tuple[Grid, list[str]]]:
    """A document's grids, each with the lines printed before it."""
    if kind == "xlsx":
        from perfscore.io.documents.xlsx import read_xlsx  # noqa: PLC0415 - this format only

        yield from ((grid, []) for grid in read_xlsx(io.BytesIO(raw), source=source))
    elif kind == "xls":
        from perfscore.io.documents.xls import read_xls  # noqa: PLC0415 - this format only

        yield from ((grid, []) for grid in read_xls(raw, source=source))
    elif kind == "docx":
        from perfscore.io.documents.docx import read_docx  # noqa: PLC0415 - this format only

        yield from read_docx(io.BytesIO(raw), source=source)
    elif kind == "pdf":
        from perfscore.io.documents.pdf import read_pdf_tables  # noqa: PLC0415 - this format only

        yield from read_pdf_tables(io.BytesIO(raw), source=source)
    elif kind == "html":
        from perfscore.io.documents.html import read_html_bytes  # noqa: PLC0415 - this format only

        yield from read_html_bytes(raw, source=source)
    else:
        raise DocumentError(source, f"not a document perfscore reads ({kind or 'unknown'})")

"""The containers of Office documents: zip packages checked before reading, OLE files told.

A workbook (``.xlsx``) and a Word document (``.docx``) are zip packages of XML parts.
Before a library reads one, :func:`check_zip` refuses what would exhaust memory: a
package whose parts unpack to more than a document of tables needs (a zip bomb), or
one XML part too large to parse; :func:`count_cells` counts a workbook's cells from
its sheets' XML, streamed, so that a sheet of millions of tiny cells (which compresses
a thousandfold) is refused before openpyxl builds a cell object for each.

Legacy binary Office files (``.doc``, ``.xls``, ``.wps``, ``.et``) and encrypted
(password-protected) ``.xlsx`` and ``.docx`` files are OLE compound files;
:func:`ole_content` tells which by the names of the streams inside, so that a message
can say what the file is and what to do with it.

>>> ole_content(OLE + "EncryptedPackage".encode("utf-16-le"))
'encrypted'
>>> ole_content(OLE + "WordDocument".encode("utf-16-le")), ole_content(b"PK")
('word', None)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final, Literal

from perfscore.errors import DocumentError

if TYPE_CHECKING:
    from typing import IO, BinaryIO


MAX_UNPACKED: Final = 512 << 20
"""All of a package's parts, unpacked (python-docx reads every part into memory)."""
MAX_PART: Final = 64 << 20
"""One XML part unpacked (a sheet, the shared strings, a Word body): parsed whole."""
MAX_CELLS: Final = 500_000
"""A workbook's cells, counted in its sheets' XML before openpyxl reads them."""

OLE: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first bytes of an OLE compound file: .doc, .xls, .wps, .et, encrypted OOXML."""

OleContent = Literal["encrypted", "word", "excel", "powerpoint"]
# The streams that say what an OLE file holds, by their UTF-16 names in its directory.
_STREAMS: Final[tuple[tuple[bytes, OleContent], ...]] = (
    ("EncryptedPackage".encode("utf-16-le"), "encrypted"),
    ("EncryptionInfo".encode("utf-16-le"), "encrypted"),
    ("WordDocument".encode("utf-16-le"), "word"),
    ("Workbook".encode("utf-16-le"), "excel"),
    ("Book".encode("utf-16-le") + b"\x00\x00", "excel"),
    ("PowerPoint Document".encode("utf-16-le"), "powerpoint"),
)
# A cell of a sheet's XML: <c r="A1" …>, <c/>, with or without a namespace prefix.
_CELL: Final = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")


def check_zip(stream: BinaryIO, *, source: str, what: str) -> None:
    """Refuse a package that is not a zip archive, or that unpacks to too much.

    Args:
        stream: the document, a seekable binary stream (left where it was).
        source: the file's name, for messages.
        what: what the file was taken for (``workbook (.xlsx)``), for messages.

    Raises:
        DocumentError: not a zip archive (saying what it is instead: an empty file,
            a legacy Office file, an encrypted one), or a zip bomb.
    """
    import zipfile  # noqa: PLC0415 - only documents need it (import time)

    position = stream.tell()
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        stream.seek(position)
        raise DocumentError(source, _not_zip(stream.read(), what, error)) from None
    finally:
        stream.seek(position)
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED:
        raise DocumentError(
            source,
            f"the {what} unpacks to {unpacked >> 20} MB, more than the {MAX_UNPACKED >> 20} MB "
            "a table document needs (a damaged or hostile file?)",
        )
    largest = max(
        (entry for entry in entries if entry.filename.endswith((".xml", ".rels"))),
        key=lambda entry: entry.file_size,
        default=None,
    )
    if largest is not None and largest.file_size > MAX_PART:
        raise DocumentError(
            source,
            f"the {what}'s part {largest.filename} unpacks to {largest.file_size >> 20} MB, "
            f"more than the {MAX_PART >> 20} MB a table document needs (a damaged or "
            "hostile file?)",
        )


def count_cells(stream: BinaryIO, *, source: str) -> int:
    """A workbook's cells, counted in its sheets' XML as it unpacks, up to a limit.

    Raises:
        DocumentError: more than :data:`MAX_CELLS` cells, or a damaged package.
    """
    import zipfile  # noqa: PLC0415 - only documents need it (import time)

    position = stream.tell()
    total = 0
    try:
        with zipfile.ZipFile(stream) as archive:
            for entry in archive.infolist():
                name = entry.filename
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                with archive.open(entry) as part:
                    total += _cells_in(part, MAX_CELLS - total)
                if total > MAX_CELLS:
                    break
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        raise DocumentError(source, f"a damaged workbook ({error})") from None
    finally:
        stream.seek(position)
    if total > MAX_CELLS:
        raise DocumentError(
            source,
            f"more than {MAX_CELLS:,} cells: not a workbook of tables (a damaged or hostile file?)",
        )
    return total


def _cells_in(part: IO[bytes], limit: int) -> int:
    """Cell tags in a part, read a megabyte at a time; stops once past ``limit``."""
    count = 0
    rest = b""
    while count <= limit and (chunk := part.read(1 << 20)):
        data = rest + chunk
        # A tag cut by the chunk's end is counted with the next chunk: cut after a '>'.
        cut = data.rfind(b">") + 1
        count += len(_CELL.findall(data, 0, cut))
        rest = data[cut:]
    return count + len(_CELL.findall(rest))


def ole_content(raw: bytes) -> OleContent | None:
    """What an OLE compound file holds, by its streams' names (``None``: not OLE, unknown).

    An encrypted ``.xlsx`` or ``.docx`` is an OLE file of an ``EncryptedPackage``; a
    ``.doc`` (and a WPS ``.wps``) holds a ``WordDocument``; an ``.xls`` (and a WPS
    ``.et``) a ``Workbook`` (or, from Excel 5, a ``Book``).
    """
    if not raw.startswith(OLE):
        return None
    for name, content in _STREAMS:
        if name in raw:
            return content
    return None


def ole_message(content: OleContent | None, what: str) -> str:
    """What to tell of an OLE file of some content taken for a ``what`` (``workbook``)."""
    if content == "encrypted":
        return (
            "an encrypted (password-protected) Office file; open it with its password and "
            "save a copy without one"
        )
    if content == "word":
        return (
            f"a legacy Word document (.doc or .wps), not a {what}; open it in Word or WPS "
            "and save it as .docx"
        )
    if content == "excel":
        return (
            f"a legacy workbook (.xls or .et), not a {what}; name it .xls, or open it in "
            "Excel or WPS and save it as .xlsx"
        )
    if content == "powerpoint":
        return "a presentation (.ppt), not a document of tables"
    return (
        f"a legacy binary Office file (.doc, .xls, .wps or .et), not a {what}; open it "
        "and save it as .xlsx or .docx"
    )


def _not_zip(raw: bytes, what: str, error: Exception) -> str:
    if raw.startswith(OLE):
        return ole_message(ole_content(raw), what)
    if not raw:
        return f"an empty file, not a {what}"
    return f"not a {what} (it is not a zip archive: {error})"

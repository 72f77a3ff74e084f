r"""Reading the documents people hold: workbooks, Word reports, web pages, PDFs, text.

Each format is read into :class:`~perfscore.documents.grid.Grid`\\ s by a reader of its
own, built on the well-kept library of its field (installed by an optional extra);
one recogniser finds the self-evaluation tables in every grid.
"""

from __future__ import annotations

__all__: list[str] = []

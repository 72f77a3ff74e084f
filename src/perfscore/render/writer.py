"""Writing a batch of scorecards or audits in one output format, table by table.

A :class:`Writer` receives the tables one at a time (so a batch of any size streams)
and writes them to a text stream; each format's module holds its writer
(:class:`~perfscore.render.text.TextWriter`, :class:`~perfscore.render.markdown.MarkdownWriter`,
:class:`~perfscore.render.html.HtmlWriter`, :class:`~perfscore.render.json.JsonWriter`,
:class:`~perfscore.render.csv.CsvWriter`, and :class:`~perfscore.render.xlsx.XlsxWriter`,
which writes a workbook to a binary stream), and :func:`perfscore.render.make_writer`
picks one by the format's name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from collections.abc import Sequence

    from perfscore.audit import BatchSummary
    from perfscore.errors import PerfscoreError
    from perfscore.findings import Finding
    from perfscore.memo import Memo
    from perfscore.scoring import Scorecard

__all__ = ["Writer"]


class Writer:
    """Writes a batch in one format; subclasses say how.

    Call :meth:`begin` once, :meth:`table` per table, and :meth:`end` once with the
    batch summary (or ``None`` for none). :meth:`render` is pure (it only builds the
    table's text, or for the workbook a plain plan of its sheet), so worker processes
    can render while one process writes, in order, with :meth:`write`.

    With ``findings_only`` (``perfscore audit --findings-only``) a table without a
    finding renders as nothing, and one with findings as its identity, the rows and
    lines its findings concern, and the findings.
    """

    def __init__(  # noqa: PLR0913 - the stream and the run's settings, each a keyword
        self,
        stream: TextIO | None,
        *,
        profile_name: str,
        command: str,
        memo: Memo | None = None,
        width: int | None = None,
        ambiguous_wide: bool = False,
        findings_only: bool = False,
    ) -> None:
        self.stream = stream
        # The text layout's (see perfscore.render.text.render_text); other formats
        # ignore them.
        self.width = width
        self.ambiguous_wide = ambiguous_wide
        self.profile_name = profile_name
        self.command = command
        self.memo = memo  # the run's: texts of rows that repeat are made once
        self.findings_only = findings_only
        self.count = 0
        self.setup()

    def setup(self) -> None:
        """Make the format's own state, with the writer (none by default)."""

    def out(self, text: str) -> None:
        """Write text to the stream."""
        if self.stream is None:  # pragma: no cover - a rendering-only writer
            raise ValueError("this writer only renders")
        self.stream.write(text)

    def begin(self) -> None:
        """Write what comes before the first table."""

    def table(
        self,
        file: str | None,
        index: int,
        card: Scorecard,
        findings: Sequence[Finding] | None = None,
    ) -> None:
        """Render and write one table."""
        self.write(self.render(file, index, card, findings))

    def render(
        self,
        file: str | None,
        index: int,
        card: Scorecard,
        findings: Sequence[Finding] | None,
    ) -> Any:  # noqa: ANN401 - each format's own: text, or a workbook's sheet plan
        """One table rendered in this format (a picklable value), or ``None``.

        ``None`` is a table left out: one without findings under ``findings_only``.
        """
        if self.findings_only and not findings:
            return None
        return self.render_table(file, index, card, findings)

    def render_table(
        self,
        file: str | None,
        index: int,
        card: Scorecard,
        findings: Sequence[Finding] | None,
    ) -> Any:  # noqa: ANN401 - each format's own: text, or a workbook's sheet plan
        """One table in this format: its text, or for the workbook its sheet's plan."""
        raise NotImplementedError

    def write(self, rendered: Any) -> None:  # noqa: ANN401 - what render returned
        """Write one rendered table (nothing for a table left out)."""
        if rendered:
            self.out(rendered)
            self.count += 1

    def refused(self, error: PerfscoreError) -> None:
        """Note, where the batch stands, an input that could not be read."""
        self.out(self.render_refused(str(error)))

    def render_refused(self, message: str) -> str:
        """The note of a refused input in this format (none by default)."""
        del message
        return ""

    def end(self, summary: BatchSummary | None) -> None:
        """Write what comes after the last table."""

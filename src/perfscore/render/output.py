"""Writing a batch of scorecards or audits in one output format, table by table.

A :class:`Writer` receives the tables one at a time (so a batch of any size streams)
and writes them to a text stream as ``text`` (the official layout for a terminal),
``markdown``, ``html`` (one standalone page), ``json`` (the ``perfscore.report/1``
document) or ``csv`` (one row per item). :class:`Progress` reports on stderr how a
long batch is going.

>>> import io
>>> from perfscore import load, score
>>> stream = io.StringIO()
>>> writer = make_writer("csv", stream, profile_name="mof-2020", command="score")
>>> writer.begin()
>>> table = load("examples/changji-2023/02_wine-competition-2022.json")[0]
>>> writer.table("02.json", 0, score(table))
>>> writer.end(None)
>>> print(stream.getvalue().splitlines()[2][:60])
02.json,0,2022（新疆昌吉）“一带一路”国际葡萄酒大赛,mof-2020,indicators[0],产出指
"""

from __future__ import annotations

import html
import json
import re
import sys
import time
from typing import TYPE_CHECKING, Final, TextIO

from perfscore.render.layout import html_head, html_tail, render_markdown, render_text, table_html
from perfscore.render.records import card_csv, items_csv
from perfscore.render.report import (
    REPORT_FORMAT,
    entry_json,
    indented_json,
    render_summary,
    summary_html,
    summary_markdown,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from perfscore.audit import BatchSummary
    from perfscore.errors import PerfscoreError
    from perfscore.findings import Finding
    from perfscore.memo import Memo
    from perfscore.model import JSONValue
    from perfscore.scoring import Scorecard

__all__ = ["FORMATS", "Progress", "Writer", "make_writer"]

FORMATS: Final = ("text", "markdown", "html", "json", "csv")
"""The output formats of ``perfscore score`` and ``perfscore audit``."""


class Writer:
    """Writes a batch in one format; subclasses say how.

    Call :meth:`begin` once, :meth:`table` per table, and :meth:`end` once with the
    audit's batch summary (or ``None`` for scoring). :meth:`render` is pure (it only
    builds the table's text), so worker processes can render while one process
    writes, in order, with :meth:`write`.
    """

    def __init__(
        self,
        stream: TextIO | None,
        *,
        profile_name: str,
        command: str,
        memo: Memo | None = None,
    ) -> None:
        self.stream = stream
        self.profile_name = profile_name
        self.command = command
        self.memo = memo  # the run's: texts of rows that repeat are made once
        self.count = 0

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
    ) -> str:
        """One table's text in this format."""
        raise NotImplementedError

    def write(self, rendered: str) -> None:
        """Write one rendered table."""
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


def _source(file: str | None, index: int) -> str:
    """Where a table came from: the file, and its position when it is not the first."""
    return f"{file}#{index}" if file and index else (file or "")


class TextWriter(Writer):
    """The official layout for a terminal, then the batch summary."""

    def render(
        self,
        file: str | None,
        index: int,
        card: Scorecard,
        findings: Sequence[Finding] | None,
    ) -> str:
        """One table in the official layout."""
        return render_text(card, findings=findings or (), source=_source(file, index)) + "\n\n"

    def render_refused(self, message: str) -> str:
        """The input's error under a 未读入 heading."""
        first, *rest = message.splitlines()
        return "\n".join([f"未读入 · {first}", *rest]) + "\n\n"

    def end(self, summary: BatchSummary | None) -> None:
        """Write the summary of an audit."""
        if summary is not None:
            self.out(render_summary(summary) + "\n")


class MarkdownWriter(Writer):
    """One Markdown section per table, then the summary."""

    def begin(self) -> None:
        """Write the document's title."""
        self.out(f"# perfscore {self.command} · 规则 `{self.profile_name}`\n\n")

    def render(
        self,
        file: str | None,
        index: int,
        card: Scorecard,
        findings: Sequence[Finding] | None,
    ) -> str:
        """One table as a Markdown section."""
        return render_markdown(card, findings=findings or (), source=_source(file, index)) + "\n"

    def render_refused(self, message: str) -> str:
        """The input's error as a section, the message as printed (in a fence)."""
        fence = "`" * (max(map(len, re.findall("`+", message)), default=2) + 1)
        return f"## 未读入\n\n{fence}text\n{message}\n{fence}\n\n"

    def end(self, summary: BatchSummary | None) -> None:
        """Write the summary of an audit."""
        if summary is not None:
            self.out(summary_markdown(summary) + "\n")


class HtmlWriter(Writer):
    """One standalone page: a section per table, then the summary."""

    def begin(self) -> None:
        """Write the page's head."""
        self.out(html_head(f"perfscore {self.command} · 规则 {self.profile_name}"))

    def render(
        self,
        file: str | None,
        index: int,
        card: Scorecard,
        findings: Sequence[Finding] | None,
    ) -> str:
        """One table as a section."""
        return table_html(card, findings=findings or (), source=_source(file, index)) + "\n"

    def render_refused(self, message: str) -> str:
        """The input's error as a section."""
        first, *rest = message.splitlines()
        body = f"<pre>{html.escape(chr(10).join(rest))}</pre>" if rest else ""
        return (
            f'<section class="refused"><h2>未读入</h2><p>{html.escape(first)}</p>{body}</section>\n'
        )

    def end(self, summary: BatchSummary | None) -> None:
        """Write the summary and close the page."""
        if summary is not None:
            self.out(summary_html(summary))
        self.out(html_tail())


class JsonWriter(Writer):
    """The ``perfscore.report/1`` document, written table by table."""

    def __init__(
        self,
        stream: TextIO | None,
        *,
        profile_name: str,
        command: str,
        memo: Memo | None = None,
    ) -> None:
        super().__init__(stream, profile_name=profile_name, command=command, memo=memo)
        self.refusals: list[JSONValue] = []

    def begin(self) -> None:
        """Open the document."""
        profile = json.dumps(self.profile_name, ensure_ascii=False)
        self.out(f'{{\n "format": "{REPORT_FORMAT}",\n "profile": {profile},\n "tables": [')

    def render(
        self,
        file: str | None,
        index: int,
        card: Scorecard,
        findings: Sequence[Finding] | None,
    ) -> str:
        """One ``tables[]`` entry."""
        return entry_json(
            card,
            file=file,
            index=index,
            findings=None if findings is None else [f.to_dict() for f in findings],
            margin=2,
            memo=self.memo,
        )

    def write(self, rendered: str) -> None:
        """Write one entry, after a comma from the one before."""
        self.out(("," if self.count else "") + "\n  " + rendered)
        self.count += 1

    def refused(self, error: PerfscoreError) -> None:
        """Keep the refused input for the document's ``refused`` list."""
        self.refusals.append(_refusal(error))

    def end(self, summary: BatchSummary | None) -> None:
        """Close the document, with the audit's summary and the refused inputs."""
        self.out("\n ]" if self.count else "]")
        if summary is not None:
            self.out(',\n "summary": ' + indented_json(summary.to_dict(), margin=1))
        if self.refusals:
            self.out(',\n "refused": ' + indented_json(self.refusals, margin=1))
        self.out("\n}\n")


def _refusal(error: PerfscoreError) -> JSONValue:
    """A refused input as the report's JSON: where, and the message."""
    where = getattr(error, "source", None) or getattr(error, "path", None) or ""
    return {"source": str(where), "message": str(error)}


class CsvWriter(Writer):
    """One CSV row per item: computed and printed score, status, findings."""

    def begin(self) -> None:
        """Write the header row."""
        self.out(items_csv([], header=True))

    def render(
        self,
        file: str | None,
        index: int,
        card: Scorecard,
        findings: Sequence[Finding] | None,
    ) -> str:
        """The table's items, one CSV row each."""
        return card_csv(card, file=file, index=index, findings=findings, memo=self.memo)


_WRITERS: Final[dict[str, type[Writer]]] = {
    "text": TextWriter,
    "markdown": MarkdownWriter,
    "html": HtmlWriter,
    "json": JsonWriter,
    "csv": CsvWriter,
}


def make_writer(
    output_format: str,
    stream: TextIO | None,
    *,
    profile_name: str,
    command: str,
    memo: Memo | None = None,
) -> Writer:
    """The writer for an output format (one of :data:`FORMATS`), with the run's memo."""
    writer = _WRITERS[output_format]
    return writer(stream, profile_name=profile_name, command=command, memo=memo)


class Progress:
    """A progress line on stderr for long batches: count, rate and time left.

    Nothing is shown before ``threshold`` tables, nor when ``quiet``; the line is
    rewritten in place on a terminal and printed at most every ``interval`` seconds.
    """

    def __init__(
        self,
        total_files: int,
        *,
        quiet: bool = False,
        stream: TextIO | None = None,
        threshold: int = 300,
        interval: float = 0.5,
    ) -> None:
        self.total_files = total_files
        self.quiet = quiet
        self.stream = stream if stream is not None else sys.stderr
        self.threshold = threshold
        self.interval = interval
        self.started = time.monotonic()
        self.last = 0.0
        self.shown = False

    def update(self, files_done: int, tables: int) -> None:
        """Note progress; print a line when it is due."""
        now = time.monotonic()
        if self.quiet or tables < self.threshold or now - self.last < self.interval:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-9)
        rate = tables / elapsed
        line = f"perfscore: {tables} tables, {rate:.0f} tables/s"
        if self.total_files > 1:
            line += f", file {files_done}/{self.total_files}"
            if files_done:
                left = elapsed / files_done * (self.total_files - files_done)
                line += f", about {_duration(left)} left"
        terminal = self.stream.isatty()
        self.stream.write(("\r" + line + "   ") if terminal else line + "\n")
        self.stream.flush()
        self.shown = True

    def interrupt(self) -> None:
        """End a progress line shown in place, so that a message can follow."""
        if self.shown and self.stream.isatty():
            self.stream.write("\n")
            self.shown = False

    def finish(self) -> None:
        """End the progress line."""
        self.interrupt()


def _duration(seconds: float) -> str:
    whole = int(seconds + 0.5)
    return f"{whole // 60}:{whole % 60:02d}"

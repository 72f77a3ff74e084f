"""The ``perfscore`` command.

- ``perfscore show PATH...`` prints each table with every cell as printed and as read.
- ``perfscore score PATH... --profile NAME|FILE --format FORMAT`` scores them.
- ``perfscore audit PATH... --profile NAME|FILE --format FORMAT`` audits them: every
  place where the print disagrees with the rules or with itself, and a batch summary;
  exit status 1 when a finding is an ``error``.

``FORMAT`` is ``text`` (the official layout), ``markdown``, ``html``, ``json``, ``csv`` or
``xlsx`` (a workbook: to a file, or to a standard output that is not a terminal);
``--output PATH`` writes to a file and ``-`` as a path reads standard input.
- ``perfscore convert INPUT... --to json|csv`` converts tables without loss.
- ``perfscore fit PATH...`` finds the rules that explain the printed scores.
- ``perfscore profiles`` lists the built-in rule profiles; ``perfscore profiles show
  NAME|FILE`` prints one's TOML as written, comments included (``--resolved``: every
  parameter, what it extends filled in).

Errors in the input print one message per problem on stderr and exit with status 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import codecs
import io
import itertools
import os
import shutil
import stat
import sys
import tempfile
import time
import traceback
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Final, TextIO

from perfscore._text import break_lines, display_width
from perfscore._version import __version__
from perfscore.audit import audit
from perfscore.batch import (
    Tally,
    TallyEntry,
    Unit,
    default_jobs,
    input_files,
    input_size,
    iter_units,
    map_ordered,
    new_run,
    run_memo,
    unit_tables,
)
from perfscore.errors import NoTablesFoundError, PerfscoreError
from perfscore.findings import SEVERITIES
from perfscore.fit import fit
from perfscore.io.csv import stream_csv
from perfscore.io.files import FileId, file_id
from perfscore.io.json import encode_json
from perfscore.memo import Memo
from perfscore.profiles import BUILTIN_PROFILES, get_profile, profile_text, resolve_profile
from perfscore.render import BINARY_FORMATS, FORMATS, make_writer
from perfscore.render.text import MIN_WIDTH, render_fit, render_profiles, render_table
from perfscore.scoring import score

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from perfscore.findings import Severity
    from perfscore.model import Table
    from perfscore.profiles import Profile

__all__ = ["main"]

EXIT_OK: Final = 0
"""Done (for ``audit``: no finding is an error)."""
EXIT_FINDINGS: Final = 1
"""``audit`` found an error in a table."""
EXIT_BAD_INPUT: Final = 2
"""Bad usage, or an input was refused (the others are reported all the same)."""
EXIT_INTERNAL: Final = 70
"""A bug in perfscore (sysexits' ``EX_SOFTWARE``): an unexpected exception."""
EXIT_INTERRUPTED: Final = 130
"""Stopped by Ctrl-C (128 + SIGINT, as a shell reports it)."""


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


# ---------------------------------------------------------------------------------
# Inputs: found once, each read in its place; one that cannot be read is reported and
# the batch goes on.


class _Run:
    """What a command has read so far: how many tables, and how many inputs refused."""

    def __init__(self) -> None:
        self.tables = 0
        self.refused = 0

    def refuse(self, error: PerfscoreError, progress: Progress | None = None) -> None:
        """Report an input that could not be read, on stderr, where the batch stands."""
        self.refused += 1
        if progress is not None:
            progress.interrupt()
        sys.stdout.flush()
        print(f"perfscore: {error}", file=sys.stderr, flush=True)

    def status(self, *, findings: bool = False) -> int:
        """The exit status: a refused input says the output is not the whole input."""
        if self.refused:
            return EXIT_BAD_INPUT
        return EXIT_FINDINGS if findings else EXIT_OK


def _tables(
    paths: Sequence[str], run: _Run, *, output: FileId | None = None
) -> Iterator[tuple[str, int, Table]]:
    """Every table under ``paths`` with its file and position; refused inputs reported."""
    files = input_files(paths, exclude=[] if output is None else [output])
    memo = Memo()
    for unit in iter_units(paths, files=files):
        for index, item in unit_tables(unit, memo=memo):
            if isinstance(item, PerfscoreError):
                run.refuse(item)
            else:
                run.tables += 1
                yield unit.file, index, item


def _show(arguments: argparse.Namespace) -> int:
    width, wide = _layout(arguments, to_terminal=True)
    run = _Run()
    for file, index, table in _tables(arguments.paths, run):
        source = file if not index else f"{file}#{index}"
        print(render_table(table, source=source, width=width, ambiguous_wide=wide))
        print()
    return run.status()


AMBIGUOUS_WIDE_VARIABLE: Final = "PERFSCORE_AMBIGUOUS_WIDE"
"""An environment variable: set to ``1`` it counts ambiguous characters as wide."""
_TRUE: Final = frozenset({"1", "true", "yes", "on"})


def _layout(arguments: argparse.Namespace, *, to_terminal: bool) -> tuple[int | None, bool]:
    """The text layout's width and whether ambiguous characters are wide.

    The width is ``--width``'s; else, on standard output that is a terminal, the
    terminal's (``COLUMNS`` first, as :func:`shutil.get_terminal_size` reads it); else
    none, the fixed layout of a file or a pipe. Ambiguous characters are wide with
    ``--ambiguous-wide`` or ``PERFSCORE_AMBIGUOUS_WIDE=1``.
    """
    width = arguments.width
    if width is None and to_terminal and sys.stdout.isatty():
        width = max(shutil.get_terminal_size().columns, MIN_WIDTH)
    variable = os.environ.get(AMBIGUOUS_WIDE_VARIABLE, "").strip().lower()
    return width, arguments.ambiguous_wide or variable in _TRUE


class _Render:
    """Scores or audits a unit of input and renders its tables (in any process)."""

    def __init__(  # noqa: PLR0913 - the run's settings, each a keyword
        self,
        output_format: str,
        profile: Profile,
        command: str,
        min_severity: Severity,
        *,
        width: int | None = None,
        ambiguous_wide: bool = False,
        findings_only: bool = False,
    ) -> None:
        self.output_format = output_format
        self.profile = profile
        self.command = command
        self.min_severity = min_severity
        self.width = width
        self.ambiguous_wide = ambiguous_wide
        self.findings_only = findings_only
        self.run = new_run()  # each process keeps one memo for the run (run_memo)

    def __call__(
        self, unit: Unit
    ) -> tuple[int, int, list[tuple[Any, TallyEntry, bool] | PerfscoreError]]:
        memo = run_memo(self.run)
        writer = make_writer(
            self.output_format,
            None,
            profile_name=self.profile.name,
            command=self.command,
            memo=memo,
            width=self.width,
            ambiguous_wide=self.ambiguous_wide,
            findings_only=self.findings_only,
        )
        rendered: list[tuple[Any, TallyEntry, bool] | PerfscoreError] = []
        for index, table in unit_tables(unit, memo=memo):
            if isinstance(table, PerfscoreError):
                rendered.append(table)
            elif self.command == "audit":
                report = audit(table, profile=self.profile, memo=memo)
                text = writer.render(
                    unit.file, index, report.scorecard, report.at_least(self.min_severity)
                )
                rendered.append((text, TallyEntry.of(unit.file, index, report), report.has_errors))
            else:
                card = score(table, profile=self.profile, memo=memo)
                text = writer.render(unit.file, index, card, None)
                rendered.append((text, TallyEntry.of_card(unit.file, index, card), False))
        return unit.number, unit.files, rendered


# Below this much input, starting worker processes costs more than it saves.
_PARALLEL_ABOVE = 4 << 20


def _jobs(asked: int | None, files: list[Path | NoTablesFoundError | None]) -> int:
    """Worker processes: as asked (or by the input's size), never more than the cores."""
    cores = default_jobs()
    if asked is not None:
        return min(asked, cores)
    return cores if input_size(files) > _PARALLEL_ABOVE else 1


def _batch(arguments: argparse.Namespace) -> int:
    profile = resolve_profile(arguments.profile)
    destination = _Destination(arguments.output, arguments.format)
    if destination.path is None and arguments.format in BINARY_FORMATS and sys.stdout.isatty():
        raise BinaryToTerminalError(arguments.format)
    destination.check([*arguments.paths, *_profile_files(arguments.profile)])
    files = input_files(arguments.paths, exclude=destination.identities())
    auditing = arguments.command == "audit"
    width, wide = _layout(arguments, to_terminal=destination.path is None)
    findings_only = getattr(arguments, "findings_only", False)
    render = _Render(
        arguments.format,
        profile,
        arguments.command,
        getattr(arguments, "min_severity", "info"),
        width=width,
        ambiguous_wide=wide,
        findings_only=findings_only,
    )
    tally = Tally(audited=auditing)
    errors = False
    run = _Run()
    with destination.open_stream() as stream:
        writer = make_writer(
            arguments.format,
            stream,
            profile_name=profile.name,
            command=arguments.command,
            width=width,
            ambiguous_wide=wide,
            findings_only=findings_only,
        )
        progress = Progress(0, quiet=arguments.quiet)
        writer.begin()
        units = iter_units(arguments.paths, files=files)
        results = map_ordered(render, units, jobs=_jobs(arguments.jobs, files), size=1)
        for number, count, rendered in results:
            progress.total_files = count
            for item in rendered:
                if isinstance(item, PerfscoreError):
                    run.refuse(item, progress)
                    writer.refused(item)
                    tally.refused += 1
                    continue
                text, entry, has_errors = item
                writer.write(text)
                tally.add_entry(entry)
                errors = errors or has_errors
                run.tables += 1
            progress.update(number - 1, run.tables)
        progress.finish()
        writer.end(tally.summary())
        destination.keep = bool(run.tables) or not run.refused
    return run.status(findings=errors)


def _profile_files(profile: str) -> list[str]:
    """The profile as an input file, when it is one (so no output overwrites it)."""
    return [profile] if profile not in BUILTIN_PROFILES else []


def _convert(arguments: argparse.Namespace) -> int:
    destination = _Destination(arguments.output, "csv" if arguments.to == "csv" else "json")
    destination.check(arguments.paths)
    run = _Run()
    tables = (table for _, _, table in _tables(arguments.paths, run, output=destination.identity))
    with destination.open_binary() as stream:
        if arguments.to == "csv":
            count = stream_csv(tables, stream)
            destination.keep = bool(count) or not run.refused
            return run.status()
        # One table is written as an object, several as an array, streamed.
        first = next(tables, None)
        second = next(tables, None)
        if first is None:
            destination.keep = False
        elif second is None:
            stream.write((encode_json(first.to_dict()) + "\n").encode("utf-8"))
        else:
            stream.write(b"[\n")
            for number, table in enumerate(itertools.chain((first, second), tables)):
                text = encode_json(table.to_dict(), level=1)
                stream.write(((",\n" if number else "") + " " + text).encode("utf-8"))
            stream.write(b"\n]\n")
    return run.status()


def _fit(arguments: argparse.Namespace) -> int:
    destination = _Destination(arguments.save_profile, "toml")
    if arguments.save_profile:
        destination.check(arguments.paths)
    run = _Run()
    tables = [
        (file if not index else f"{file}#{index}", table)
        for file, index, table in _tables(arguments.paths, run, output=destination.identity)
    ]
    if not tables:
        return run.status()
    result = fit(tables, residuals_for=max(arguments.top, 1))
    if arguments.save_profile:
        with destination.open() as stream:
            stream.write(result.best.profile_toml())
    if arguments.format == "json":
        print(encode_json(result.to_dict(top=arguments.top)))
    else:
        width, wide = _layout(arguments, to_terminal=True)
        print(render_fit(result, top=arguments.top, width=width, ambiguous_wide=wide), end="")
    return run.status()


# ---------------------------------------------------------------------------------
# Outputs: a file is replaced only when complete, and never one the command reads.

# Reports for machines and browsers are UTF-8 wherever they go (CSV with a byte order
# mark, so Excel reads it as UTF-8); the text layouts follow the console's encoding.
_UTF8_FORMATS: Final = frozenset({"csv", "json", "html", "toml"})


class _Destination:
    """Where a command writes: standard output, or a file.

    A file is written to a temporary file beside it and renamed over it only when the
    output is complete (and :attr:`keep` is still true): a run that fails or is
    stopped leaves the file as it was. A device or a pipe (``/dev/null``) is written
    in place. An output that is also one of the command's inputs is refused before
    anything is read (:meth:`check`).
    """

    def __init__(self, path: str | None, output_format: str) -> None:
        self.path = None if path in {None, "-"} else path
        self.output_format = output_format
        self.identity = None if self.path is None else file_id(self.path)
        self.keep = True

    def identities(self) -> list[FileId]:
        """The output file's identity, for inputs to leave out (if it exists)."""
        return [] if self.identity is None else [self.identity]

    def check(self, inputs: Sequence[str]) -> None:
        """Refuse an output that is one of ``inputs`` (a file given by name, any link).

        Raises:
            OutputIsInputError: it is.
        """
        if self.identity is None:
            return
        for path in inputs:
            if path != "-" and file_id(path) == self.identity:
                raise OutputIsInputError(self.path or "", path)

    @contextmanager
    def open(self) -> Iterator[TextIO]:
        """A text stream to write the output to, in the format's encoding.

        CSV is UTF-8 with a byte order mark (so Excel reads it as UTF-8), on every
        route; JSON, HTML and TOML are UTF-8; text and Markdown are UTF-8 in a file and
        in the console's encoding on standard output.
        """
        if self.path is None and self.output_format not in _UTF8_FORMATS:
            yield sys.stdout  # the console's encoding (see _console)
            sys.stdout.flush()
            return
        encoding = "utf-8-sig" if self.output_format == "csv" else "utf-8"
        with self.open_binary() as raw:
            stream = io.TextIOWrapper(raw, encoding=encoding, newline="", write_through=True)
            try:
                yield stream
                stream.flush()
            finally:
                stream.detach()  # the binary stream is closed by its own owner

    @contextmanager
    def open_stream(self) -> Iterator[TextIO | BinaryIO]:
        """A binary stream for a binary format (:data:`BINARY_FORMATS`), else :meth:`open`."""
        opened = self.open_binary() if self.output_format in BINARY_FORMATS else self.open()
        with opened as stream:
            yield stream

    @contextmanager
    def open_binary(self) -> Iterator[BinaryIO]:
        """A binary stream to write the output to."""
        if self.path is None:
            sys.stdout.flush()
            yield sys.stdout.buffer
            sys.stdout.buffer.flush()
            return
        with self._file() as stream:
            yield stream

    @contextmanager
    def _file(self) -> Iterator[BinaryIO]:
        assert self.path is not None  # noqa: S101 - only called for a file
        real = Path(os.path.realpath(self.path))  # write beside the file a link leads to
        try:
            mode = real.stat().st_mode
        except FileNotFoundError:
            mode = None
        except OSError as error:
            raise _named(error, self.path) from None
        try:
            if mode is not None and not stat.S_ISREG(mode):
                with real.open("wb") as stream:  # a device or a pipe: written in place
                    yield stream
                return
            with self._replacing(real, mode) as stream:
                yield stream
        except OSError as error:
            raise _named(error, self.path) from None

    @contextmanager
    def _replacing(self, real: Path, mode: int | None) -> Iterator[BinaryIO]:
        descriptor, temporary = tempfile.mkstemp(
            dir=real.parent, prefix=f".{real.name}.", suffix=".perfscore-part"
        )
        try:
            with os.fdopen(descriptor, "wb") as stream:
                yield stream
            if not self.keep:
                Path(temporary).unlink()
                return
            Path(temporary).chmod(stat.S_IMODE(mode) if mode is not None else _new_file_mode())
            Path(temporary).replace(real)
        except BaseException:
            with suppress(OSError):
                Path(temporary).unlink()
            raise


def _new_file_mode() -> int:
    """The mode a new file gets (0666 less the umask), as ``open`` would give it."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _named(error: OSError, path: str) -> OSError:
    """The error, naming the output file as the user gave it (not its temporary file)."""
    error.filename = path
    error.filename2 = None
    return error


class OutputIsInputError(PerfscoreError, ValueError):
    """An output file that is also an input: writing it would destroy what is read."""

    def __init__(self, output: str, given: str) -> None:
        self.output = output
        self.given = given
        super().__init__(output, given)

    def __str__(self) -> str:
        """Which output, which input."""
        same = "" if self.given == self.output else f" (the same file as {self.given})"
        return (
            f"{self.output}: the output is also an input{same}; "
            "write to another file (nothing was read or written)"
        )

    def __reduce__(self) -> tuple[type[OutputIsInputError], tuple[str, str]]:
        """Pickle through the constructor."""
        return (type(self), (self.output, self.given))


class BinaryToTerminalError(PerfscoreError, ValueError):
    """A binary output (a workbook) asked for on a terminal, where it would be garbage."""

    def __init__(self, output_format: str) -> None:
        self.output_format = output_format
        super().__init__(output_format)

    def __str__(self) -> str:
        """Which format, and how to write it."""
        return (
            f"--format {self.output_format} writes a binary file: give --output FILE "
            f"(or redirect standard output away from the terminal)"
        )

    def __reduce__(self) -> tuple[type[BinaryToTerminalError], tuple[str]]:
        """Pickle through the constructor."""
        return (type(self), (self.output_format,))


def _profiles(name: str | None, *, resolved: bool, layout: tuple[int | None, bool]) -> int:
    if name is None:
        width, ambiguous_wide = layout
        profiles = [get_profile(builtin) for builtin in BUILTIN_PROFILES]
        print(render_profiles(profiles, width=width, ambiguous_wide=ambiguous_wide))
        return EXIT_OK
    profile = resolve_profile(name)  # a file that is no usable profile is refused first
    if resolved:
        print(profile.to_toml(), end="")
        return EXIT_OK
    # As written: the user's comments, layout and `extends` are the profile's story.
    text = profile_text(name)
    print(text, end="" if text.endswith("\n") else "\n")
    return EXIT_OK


def _batch_arguments(parser: argparse.ArgumentParser, paths_help: str) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help=paths_help + "；- 为标准输入")
    parser.add_argument(
        "--profile",
        default="mof-2020",
        metavar="NAME|FILE",
        help="内置规则名（默认 %(default)s，见 perfscore profiles）或 TOML 规则文件",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text：供终端阅读的官方版式；markdown；html：独立网页；json：perfscore.report/1 "
        "文档；csv：每项一行；xlsx：复核工作簿（汇总、复核发现、每表一页；需 --output "
        "或重定向）（默认 %(default)s）",
    )
    parser.add_argument("--output", "-o", metavar="PATH", help="写入该文件，而非标准输出")
    parser.add_argument("--quiet", "-q", action="store_true", help="长批次不显示进度行")
    parser.add_argument(
        "--jobs",
        "-j",
        type=_positive,
        metavar="N",
        help="工作进程数，至多为本机核数（默认：输入超过 4 MB 时用全部核数，否则 1）；"
        "输出仍按输入顺序",
    )
    _layout_arguments(parser)


def _layout_arguments(parser: argparse.ArgumentParser) -> None:
    """``--width`` and ``--ambiguous-wide``, for a command that prints the text layout."""
    parser.add_argument(
        "--width",
        type=_width,
        metavar="N",
        help=f"文本版式的宽度（终端列数，至少 {MIN_WIDTH}）；默认：输出到终端时取终端的宽度，"
        "输出到文件或管道时用固定版式",
    )
    parser.add_argument(
        "--ambiguous-wide",
        action="store_true",
        help="把宽度不定的字符（≥ ≤ × “ ” 等）算作两列，供把它们显示为全角的终端使用；"
        f"也可设环境变量 {AMBIGUOUS_WIDE_VARIABLE}=1",
    )


def _positive(text: str) -> int:
    """A count of at least 1 (for ``--jobs``)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _width(text: str) -> int:
    """A layout width of at least :data:`MIN_WIDTH` columns (for ``--width``)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < MIN_WIDTH:
        raise argparse.ArgumentTypeError(
            f"expected a width of at least {MIN_WIDTH} columns, got {text!r}"
        )
    return value


class _ChineseHelp(argparse.HelpFormatter):
    """argparse's help with its own words in Chinese (``用法：``, ``选项：``).

    Help texts are folded by display width and the Chinese line-breaking rules
    (argparse's own folding counts a Chinese character as one column and breaks only
    at spaces).
    """

    class _Section(argparse.HelpFormatter._Section):  # noqa: SLF001 - argparse's heading
        def format_help(self) -> str:
            """The section, its heading followed by a full-width colon."""
            text = super().format_help()
            if self.heading is None or self.heading is argparse.SUPPRESS:
                return text
            return text.replace(f"{self.heading}:\n", f"{self.heading}：\n", 1)

    def _split_lines(self, text: str, width: int) -> list[str]:
        text = " ".join(text.split())
        return [line.rstrip() for line, _ in break_lines(text, max(width, 8))]

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = self._split_lines(text, width - len(indent))
        return "\n".join(indent + line for line in lines)

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        """The usage line, headed ``用法：``."""
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose help is in Chinese, argparse's own words included.

    argparse words its headings and its ``-h`` help through gettext, which has no
    Chinese catalogue for it: the headings are retitled and ``-h`` is added here.
    Its error messages (``unrecognized arguments``) stay as argparse words them,
    in English like every message of perfscore.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 - argparse's, passed on
        kwargs.setdefault("formatter_class", _ChineseHelp)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出"
        )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``perfscore`` command (its help in Chinese)."""
    parser = _Parser(prog="perfscore", description="读取、评分、复核预算绩效自评表。")
    parser.add_argument(
        "--version", action="version", version=f"perfscore {__version__}", help="显示版本号并退出"
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="遇到内部错误（perfscore 的缺陷）时打印调用栈",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="命令")
    paths_help = "表格文件、目录或通配模式"
    show = commands.add_parser(
        "show",
        help="列出表格的每一格：印刷原文与读法",
        description="打印每张表：项目资金，以及每个指标行的年度指标值和实际完成值，"
        "印刷原文与 perfscore 的读法并列。",
    )
    show.add_argument("paths", nargs="+", metavar="PATH", help=paths_help)
    _layout_arguments(show)
    scoring = commands.add_parser(
        "score",
        help="按规则为表格评分",
        description="按规则为每张表评分：执行率一项和每个指标行，算得的得分与印刷得分并列，"
        "每一步计算都有说明。",
    )
    _batch_arguments(scoring, paths_help)
    auditing = commands.add_parser(
        "audit",
        help="复核表格：印刷与规则、与自身不符之处",
        description="按规则重算每张表，列出每一处不一致（算术、单元格、结构），各有固定的编号、"
        "严重程度和写明数字的说明；最后是整批的汇总。有 error 级的发现时退出状态为 1。",
    )
    _batch_arguments(auditing, paths_help)
    auditing.add_argument(
        "--min-severity",
        choices=SEVERITIES,
        default="info",
        help="只显示至少这一严重程度的发现（默认 %(default)s）；退出状态仍计入每个 error",
    )
    auditing.add_argument(
        "--findings-only",
        action="store_true",
        help="只写出有发现（不低于 --min-severity）的表，每张表只留表的身份、发现涉及的行和"
        "发现本身；汇总仍计入全部表",
    )
    convert = commands.add_parser(
        "convert",
        help="在 JSON 与 CSV 之间转换表格，每一格原样保留",
        description="读取表格（JSON 或 CSV，- 为标准输入），写成 JSON（perfscore.table/1："
        "一张表为一个对象，多张表为一个数组）或长格式的 CSV（带 BOM 的 UTF-8，官方中文表头）。"
        "不丢任何内容：转换回来得到相同的表。",
    )
    convert.add_argument("paths", nargs="+", metavar="INPUT", help=paths_help + "；- 为标准输入")
    convert.add_argument("--to", choices=("json", "csv"), required=True, help="输出格式")
    convert.add_argument("--output", "-o", metavar="PATH", help="写入该文件，而非标准输出")
    fitting = commands.add_parser(
        "fit",
        help="找出能解释一批印刷得分的规则",
        description="搜索规则的参数（舍入、定量指标的算法与公式、成本指标的下限、执行率规则及其"
        "阈值、定性指标的得分比例），找出复现印刷得分最多的设置；报告每个阈值可取的区间，"
        "以及任何设置都复现不了的得分（异常）。",
    )
    fitting.add_argument("paths", nargs="+", metavar="PATH", help=paths_help + "；- 为标准输入")
    fitting.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")
    fitting.add_argument(
        "--top", type=int, default=3, metavar="N", help="显示最好的 N 个候选（默认 3）"
    )
    fitting.add_argument("--save-profile", metavar="FILE", help="把最好的候选写成 TOML 规则文件")
    _layout_arguments(fitting)
    profiles = commands.add_parser(
        "profiles",
        help="列出内置规则，或打印其中一个",
        description="列出内置规则（名称、说明、依据）；perfscore profiles show NAME|FILE "
        "以 TOML 打印其中一个。",
    )
    _layout_arguments(profiles)
    profile_commands = profiles.add_subparsers(
        dest="profiles_command", metavar="show", title="命令"
    )
    show_profile = profile_commands.add_parser(
        "show",
        help="以 TOML 打印规则",
        description="打印规则的 TOML，注释照录：内置规则的文件，或规则文件的原文；"
        "--resolved 打印每个参数，所继承规则的取值也一并填入（不含注释）。",
    )
    show_profile.add_argument("name", metavar="NAME|FILE", help="内置规则名或 TOML 文件")
    show_profile.add_argument(
        "--resolved",
        action="store_true",
        help="打印每个参数，所继承规则的取值也一并填入",
    )
    for command in commands.choices.values():  # also after the command's name
        command.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
    return parser


def _run(arguments: argparse.Namespace) -> int:
    if arguments.command == "show":
        return _show(arguments)
    if arguments.command in {"score", "audit"}:
        return _batch(arguments)
    if arguments.command == "convert":
        return _convert(arguments)
    if arguments.command == "fit":
        return _fit(arguments)
    name = arguments.name if arguments.profiles_command == "show" else None
    layout = _layout(arguments, to_terminal=True)
    return _profiles(name, resolved=getattr(arguments, "resolved", False), layout=layout)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status.

    0: done (for ``audit``: no finding is an error); 1: ``audit`` found an error;
    2: bad usage, or an input was refused (the message is on stderr; every other
    input is still reported); 70: a bug in perfscore (an unexpected exception: one
    line on stderr, the traceback with ``--debug``); 130: interrupted.
    """
    _console()
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        parser.print_help()
        return EXIT_OK
    return _guarded(arguments)


def _guarded(arguments: argparse.Namespace) -> int:
    """Run the command; every error becomes a message on stderr and an exit status."""
    try:
        return _run(arguments)
    except BrokenPipeError:
        # The reader (head, less) stopped reading: not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except PerfscoreError as error:
        print(f"perfscore: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(f"perfscore: {error.filename or ''}: {_os_reason(error)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("perfscore: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # noqa: BLE001 - the last resort: a bug, said so, not a traceback
        return _internal_error(error, debug=arguments.debug)


def _os_reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _internal_error(error: Exception, *, debug: bool) -> int:
    if debug:
        traceback.print_exception(error, file=sys.stderr)
    if isinstance(error, BrokenProcessPool):
        what = "a worker process stopped unexpectedly (killed, or out of memory?)"
    else:
        what = f"{type(error).__name__}: {error}".splitlines()[0][:300]
    hint = "" if debug else "; run with --debug for the traceback"
    print(
        f"perfscore: internal error, a bug in perfscore {__version__} ({what}){hint}. "
        "Please report it with the input that caused it.",
        file=sys.stderr,
    )
    return EXIT_INTERNAL


# GBK and its narrower relatives (Chinese Windows consoles and redirects) cannot encode
# every character a report holds (−, rare names, emoji); GB18030 is their superset that
# encodes all of Unicode, and reads the same for everything GBK can hold.
_GBK_FAMILY: Final = frozenset({"gbk", "gb2312", "gb18030", "hz"})
# A GBK terminal shows GB18030's four-byte sequences as mojibake: there, a character it
# cannot show is spelt another way, as wide as the character (alignment holds).
_GBK_TERMINALS: Final = frozenset({"gbk", "gb2312"})
_SPELT: Final = {"\u2212": "-", "\u2012": "-", "\u2013": "-", "\u2010": "-", "\u2011": "-"}
_ERRORS: Final = "perfscore-terminal"


def _spelt_otherwise(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler: what a terminal cannot show, spelt as it can.

    Minus signs and dashes as ``-``; any other character as ``?``, or ``？`` where it
    takes two columns.
    """
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    spelt = "".join(
        _SPELT.get(char) or ("？" if display_width(char) == 2 else "?") for char in text
    )
    return spelt, error.end


def _console() -> None:
    """Make standard output and error able to write every character.

    A GBK console gets GB18030 when it is a file or a pipe (nothing is lost), and on a
    terminal spells what GBK lacks another way (``−`` as ``-``); any other encoding
    that cannot write a character writes it as an escape instead of failing.
    """
    codecs.register_error(_ERRORS, _spelt_otherwise)
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        if not encoding or not hasattr(stream, "reconfigure"):
            continue
        name = codecs.lookup(encoding).name
        if name in _GBK_TERMINALS and stream.isatty():
            stream.reconfigure(errors=_ERRORS)
        elif name in _GBK_FAMILY:
            stream.reconfigure(encoding="gb18030")
        elif name not in {"utf-8", "utf-16", "utf-32"}:
            stream.reconfigure(errors="backslashreplace")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

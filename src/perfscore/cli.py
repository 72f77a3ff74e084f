"""The ``perfscore`` command.

- ``perfscore show PATH...`` prints each table with every cell as printed and as read.
- ``perfscore score PATH... --profile NAME|FILE --format FORMAT`` scores them.
- ``perfscore audit PATH... --profile NAME|FILE --format FORMAT`` audits them: every
  place where the print disagrees with the rules or with itself, and a batch summary;
  exit status 1 when a finding is an ``error``.

``FORMAT`` is ``text`` (the official layout), ``markdown``, ``html``, ``json`` or ``csv``;
``--output PATH`` writes to a file and ``-`` as a path reads standard input.
- ``perfscore convert INPUT... --to json|csv`` converts tables without loss.
- ``perfscore fit PATH...`` finds the rules that explain the printed scores.
- ``perfscore profiles`` lists the built-in rule profiles; ``perfscore profiles show
  NAME|FILE`` prints one as TOML.

Errors in the input print one message per problem on stderr and exit with status 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from perfscore._text import display_width, pad
from perfscore._version import __version__
from perfscore.auditing import Tally, TallyEntry, audit
from perfscore.batch import (
    Unit,
    default_jobs,
    input_size,
    iter_units,
    map_ordered,
    unit_tables,
)
from perfscore.csvformat import stream_csv
from perfscore.errors import PerfscoreError
from perfscore.findings import SEVERITIES
from perfscore.fitting import fit, render_fit
from perfscore.loader import encode_json, load
from perfscore.output import FORMATS, Progress, make_writer
from perfscore.profiles import BUILTIN_PROFILES, get_profile, profile_text, resolve_profile
from perfscore.scoring import score

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from perfscore.cells import Actual, Figure, Target
    from perfscore.findings import Severity
    from perfscore.model import Table
    from perfscore.profiles import Profile

__all__ = ["main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


def describe_cell(cell: Target | Actual) -> str:
    """How a target or actual cell was read, in a few words.

    >>> from perfscore import parse_target, parse_actual
    >>> describe_cell(parse_target("≥ 700件")), describe_cell(parse_actual("部分完成"))
    ('>=700 件', '定性「部分完成」 partial')
    >>> describe_cell(parse_target("12 个月"))
    '12 个月 (无比较符)'
    """
    if cell.kind == "quantity":
        bare = cell.op is None and type(cell).__name__ == "Target"
        return f"{cell} (无比较符)" if bare else str(cell)
    if cell.kind == "qualitative":
        tier = getattr(cell, "tier", None)
        return f"定性「{cell.phrase}」" + (f" {tier}" if tier else "")
    if cell.kind == "not-applicable":
        return "不适用"
    return "无法读取: " + cell.error.splitlines()[0]


def _figure(figure: Figure | None) -> str:
    if figure is None:
        return ""
    if figure.kind == "unreadable":
        return f"{figure.text}(无法读取)"
    return figure.text


def _columns(rows: list[list[str]]) -> list[str]:
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def render_table(table: Table, *, source: str = "") -> str:
    """A table as text: the funds block, then every indicator row as printed and as read."""
    lines = [f"== {table.name}" + (f"  ({source})" if source else "")]
    facts = [table.kind, str(table.year) if table.year else "", table.department or ""]
    lines.append("   " + " · ".join(fact for fact in facts if fact))
    if table.funds:
        lines.append(f"   项目资金（{table.money_unit}）")
        rows = [["   资金", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]]
        rows += [
            [
                "   " + row.label,
                _figure(row.initial_budget),
                _figure(row.annual_budget),
                _figure(row.executed),
                _figure(row.weight),
                _figure(row.rate),
                _figure(row.score),
            ]
            for row in table.funds
        ]
        lines += _columns(rows)
    rows = [
        ["   #", "一级/二级/三级指标", "年度指标值", "读作", "实际完成值", "读作", "分值", "得分"]
    ]
    for index, row in enumerate(table.indicators):
        rows.append(
            [
                f"   {index}",
                row.path,
                row.target.text,
                describe_cell(row.target),
                row.actual.text,
                describe_cell(row.actual),
                _figure(row.weight),
                _figure(row.score),
            ]
        )
    lines += _columns(rows)
    weight_line = f"   权重合计 {table.total_weight:f}"
    if table.total is not None:
        weight_line += f" · 总分（印） {_figure(table.total)}"
    lines.append(weight_line)
    return "\n".join(lines)


def _show(paths: Sequence[str]) -> int:
    for path in paths:
        for table in load(path):
            print(render_table(table, source=path))
            print()
    return EXIT_OK


def _sources(paths: Sequence[str]) -> Iterator[tuple[int, int, str, list[Table]]]:
    """Each input file's tables, with the files' count so far and in all.

    ``-`` reads standard input.
    """
    current: tuple[int, int, str] | None = None
    tables: list[Table] = []
    for unit in iter_units(paths):
        key = (unit.number, unit.files, unit.file)
        if current is not None and key != current:
            yield (*current, tables)
            tables = []
        current = key
        tables.extend(table for _, table in unit_tables(unit))
    if current is not None:
        yield (*current, tables)


@contextmanager
def _output(path: str | None, output_format: str) -> Iterator[TextIO]:
    """Standard output, or the file at ``path`` (CSV with a BOM, so Excel reads UTF-8)."""
    if path is None or path == "-":
        yield sys.stdout
        return
    encoding = "utf-8-sig" if output_format == "csv" else "utf-8"
    with Path(path).open("w", encoding=encoding, newline="") as stream:
        yield stream


class _Render:
    """Scores or audits a unit of input and renders its tables (in any process)."""

    def __init__(
        self, output_format: str, profile: Profile, command: str, min_severity: Severity
    ) -> None:
        self.output_format = output_format
        self.profile = profile
        self.command = command
        self.min_severity = min_severity

    def __call__(self, unit: Unit) -> tuple[int, int, list[tuple[str, TallyEntry | None, bool]]]:
        writer = make_writer(
            self.output_format, None, profile_name=self.profile.name, command=self.command
        )
        rendered: list[tuple[str, TallyEntry | None, bool]] = []
        for index, table in unit_tables(unit):
            if self.command == "audit":
                report = audit(table, profile=self.profile)
                text = writer.render(
                    unit.file, index, report.scorecard, report.at_least(self.min_severity)
                )
                rendered.append((text, TallyEntry.of(unit.file, index, report), report.has_errors))
            else:
                card = score(table, profile=self.profile)
                rendered.append((writer.render(unit.file, index, card, None), None, False))
        return unit.number, unit.files, rendered


# Below this much input, starting worker processes costs more than it saves.
_PARALLEL_ABOVE = 4 << 20


def _jobs(arguments: argparse.Namespace) -> int:
    asked: int | None = arguments.jobs
    if asked is not None:
        return max(1, asked)
    return default_jobs() if input_size(arguments.paths) > _PARALLEL_ABOVE else 1


def _batch(arguments: argparse.Namespace) -> int:
    profile = resolve_profile(arguments.profile)
    auditing = arguments.command == "audit"
    render = _Render(
        arguments.format, profile, arguments.command, getattr(arguments, "min_severity", "info")
    )
    tally = Tally()
    errors = False
    with _output(arguments.output, arguments.format) as stream:
        writer = make_writer(
            arguments.format, stream, profile_name=profile.name, command=arguments.command
        )
        progress = Progress(0, quiet=arguments.quiet)
        writer.begin()
        tables = 0
        results = map_ordered(render, iter_units(arguments.paths), jobs=_jobs(arguments), size=1)
        for number, files, rendered in results:
            progress.total_files = files
            for text, entry, has_errors in rendered:
                writer.write(text)
                if entry is not None:
                    tally.add_entry(entry)
                errors = errors or has_errors
                tables += 1
            progress.update(number - 1, tables)
        progress.finish()
        writer.end(tally.summary() if auditing else None)
    return EXIT_FINDINGS if errors else EXIT_OK


def _convert(arguments: argparse.Namespace) -> int:
    tables = (table for unit in iter_units(arguments.paths) for _, table in unit_tables(unit))
    with _binary_output(arguments.output) as stream:
        if arguments.to == "csv":
            stream_csv(tables, stream)
            return EXIT_OK
        # One table is written as an object, several as an array, streamed.
        first = next(tables, None)
        second = next(tables, None)
        if first is None:  # pragma: no cover - iter_units raises on an empty input
            return EXIT_OK
        if second is None:
            stream.write((encode_json(first.to_dict()) + "\n").encode("utf-8"))
            return EXIT_OK
        stream.write(b"[\n")
        for number, table in enumerate(itertools.chain((first, second), tables)):
            text = encode_json(table.to_dict(), level=1)
            stream.write(((",\n" if number else "") + " " + text).encode("utf-8"))
        stream.write(b"\n]\n")
    return EXIT_OK


@contextmanager
def _binary_output(path: str | None) -> Iterator[BinaryIO]:
    if path is None or path == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with Path(path).open("wb") as stream:
        yield stream


def _fit(arguments: argparse.Namespace) -> int:
    tables = [
        (file if len(batch) == 1 else f"{file}#{index}", table)
        for _, _, file, batch in _sources(arguments.paths)
        for index, table in enumerate(batch)
    ]
    result = fit(tables, residuals_for=max(arguments.top, 1))
    if arguments.save_profile:
        Path(arguments.save_profile).write_text(result.best.profile().to_toml(), encoding="utf-8")
    if arguments.format == "json":
        print(encode_json(result.to_dict(top=arguments.top)))
    else:
        print(render_fit(result, top=arguments.top), end="")
    return EXIT_OK


def _profiles(name: str | None, *, resolved: bool) -> int:
    if name is None:
        rows = [["名称", "说明", "依据"]]
        for builtin in BUILTIN_PROFILES:
            profile = get_profile(builtin)
            rows.append([profile.name, profile.title, "；".join(profile.sources)])
        for line in _columns(rows):
            print(line)
        return EXIT_OK
    if name in BUILTIN_PROFILES and not resolved:
        print(profile_text(name), end="")
        return EXIT_OK
    print(resolve_profile(name).to_toml(), end="")
    return EXIT_OK


def _batch_arguments(parser: argparse.ArgumentParser, paths_help: str) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help=paths_help + "; - reads stdin")
    parser.add_argument(
        "--profile",
        default="mof-2020",
        metavar="NAME|FILE",
        help="a built-in profile (%(default)s by default; see 'perfscore profiles') "
        "or a TOML profile file",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text: the official layout for a terminal; markdown; html: a standalone "
        "page; json: the perfscore.report/1 document; csv: one row per item "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--output", "-o", metavar="PATH", help="write to this file instead of standard output"
    )
    parser.add_argument(
        "--quiet", "-q", action="store_true", help="no progress line on long batches"
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        metavar="N",
        help="worker processes (default: the machine's cores for inputs over 4 MB, "
        "else 1); output stays in input order",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``perfscore`` command."""
    parser = argparse.ArgumentParser(
        prog="perfscore",
        description="Read, score and audit budget performance self-evaluation tables (绩效自评表).",
    )
    parser.add_argument("--version", action="version", version=f"perfscore {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    paths_help = "a table file, a directory or a glob"
    show = commands.add_parser(
        "show",
        help="print tables with every cell as printed and as read",
        description="Print each table: the funds block, and every indicator row with its "
        "target and actual as printed and as perfscore reads them.",
    )
    show.add_argument("paths", nargs="+", metavar="PATH", help=paths_help)
    scoring = commands.add_parser(
        "score",
        help="score tables under a rule profile",
        description="Score each table under a rule profile: the 执行率 item and every "
        "indicator row, the computed score next to the printed one, every computation "
        "explained.",
    )
    _batch_arguments(scoring, paths_help)
    auditing = commands.add_parser(
        "audit",
        help="audit tables: where the print disagrees with the rules or with itself",
        description="Recompute each table under a rule profile and report every "
        "inconsistency (arithmetic, cells, structure) with a stable id, a severity and a "
        "message naming the numbers; then a batch summary. Exit status 1 when any finding "
        "is an error.",
    )
    _batch_arguments(auditing, paths_help)
    auditing.add_argument(
        "--min-severity",
        choices=SEVERITIES,
        default="info",
        help="show findings at least this serious (default: %(default)s); the exit "
        "status still counts every error",
    )
    convert = commands.add_parser(
        "convert",
        help="convert tables between JSON and CSV, every cell verbatim",
        description="Read tables (JSON or CSV, - for stdin) and write them as JSON "
        "(perfscore.table/1: one object, or an array for several tables) or as CSV in the "
        "long layout (UTF-8 with BOM, official Chinese headers). Nothing is lost: "
        "converting back gives equal tables.",
    )
    convert.add_argument("paths", nargs="+", metavar="INPUT", help=paths_help + "; - reads stdin")
    convert.add_argument("--to", choices=("json", "csv"), required=True, help="the output format")
    convert.add_argument(
        "--output", "-o", metavar="PATH", help="write to this file instead of standard output"
    )
    fitting = commands.add_parser(
        "fit",
        help="find the rules that explain a set of printed scores",
        description="Search the rule parameters (rounding, quantitative mode and formulas, "
        "cost floor, execution rule with its thresholds, qualitative fractions) for the "
        "settings that reproduce the most printed scores; report each threshold's window "
        "and the scores no setting reproduces (the anomalies).",
    )
    fitting.add_argument("paths", nargs="+", metavar="PATH", help=paths_help + "; - reads stdin")
    fitting.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    fitting.add_argument(
        "--top", type=int, default=3, metavar="N", help="show the N best candidates (default 3)"
    )
    fitting.add_argument(
        "--save-profile", metavar="FILE", help="write the best candidate as a TOML profile"
    )
    profiles = commands.add_parser(
        "profiles",
        help="list the built-in rule profiles, or print one",
        description="List the built-in rule profiles (name, title, sources); "
        "'perfscore profiles show NAME|FILE' prints one as TOML.",
    )
    profile_commands = profiles.add_subparsers(dest="profiles_command", metavar="show")
    show_profile = profile_commands.add_parser(
        "show",
        help="print a profile as TOML",
        description="Print a built-in profile's TOML file (comments included), or a "
        "profile file with every parameter resolved.",
    )
    show_profile.add_argument("name", metavar="NAME|FILE", help="a built-in name or a TOML file")
    show_profile.add_argument(
        "--resolved",
        action="store_true",
        help="print every parameter, with what the profile extends filled in",
    )
    return parser


def _run(arguments: argparse.Namespace) -> int:
    if arguments.command == "show":
        return _show(arguments.paths)
    if arguments.command in {"score", "audit"}:
        return _batch(arguments)
    if arguments.command == "convert":
        return _convert(arguments)
    if arguments.command == "fit":
        return _fit(arguments)
    name = arguments.name if arguments.profiles_command == "show" else None
    return _profiles(name, resolved=getattr(arguments, "resolved", False))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status.

    0: done (for ``audit``: no finding is an error); 1: ``audit`` found an error;
    2: bad input or usage (the message is on stderr).
    """
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        parser.print_help()
        return EXIT_OK
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
        print(f"perfscore: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

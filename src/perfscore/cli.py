"""The ``perfscore`` command.

- ``perfscore show PATH...`` prints each table with every cell as printed and as read.
- ``perfscore score PATH... --profile NAME|FILE --format text|json`` scores them.
- ``perfscore audit PATH... --profile NAME|FILE --format text|json`` audits them: every
  place where the print disagrees with the rules or with itself, and a batch summary;
  exit status 1 when a finding is an ``error``.
- ``perfscore profiles`` lists the built-in rule profiles; ``perfscore profiles show
  NAME|FILE`` prints one as TOML.

Errors in the input print one message per problem on stderr and exit with status 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from perfscore._text import display_width, pad
from perfscore._version import __version__
from perfscore.auditing import audit, summarize
from perfscore.errors import PerfscoreError
from perfscore.findings import SEVERITIES
from perfscore.loader import iter_files, load
from perfscore.profiles import BUILTIN_PROFILES, get_profile, profile_text, resolve_profile
from perfscore.report import (
    render_audit,
    render_scorecard,
    render_summary,
    report_document,
    scorecard_entry,
)
from perfscore.scoring import score

if TYPE_CHECKING:
    from collections.abc import Sequence

    from perfscore.auditing import AuditReport
    from perfscore.cells import Actual, Figure, Target
    from perfscore.findings import Severity
    from perfscore.model import Table

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


def _score(paths: Sequence[str], *, profile_name: str, output_format: str) -> int:
    profile = resolve_profile(profile_name)
    entries = []
    for path in paths:
        for file, tables in iter_files(path):
            for index, table in enumerate(tables):
                card = score(table, profile=profile)
                if output_format == "json":
                    entries.append(scorecard_entry(card, file=file, index=index))
                else:
                    print(render_scorecard(card, source=file))
                    print()
    if output_format == "json":
        document = report_document(profile.name, entries)
        print(json.dumps(document, ensure_ascii=False, indent=1))
    return EXIT_OK


def _audit(
    paths: Sequence[str], *, profile_name: str, output_format: str, min_severity: Severity
) -> int:
    profile = resolve_profile(profile_name)
    entries = []
    audited: list[tuple[str | None, int, AuditReport]] = []
    for path in paths:
        for file, tables in iter_files(path):
            for index, table in enumerate(tables):
                report = audit(table, profile=profile)
                audited.append((file, index, report))
                if output_format == "json":
                    entries.append(
                        report.to_dict(file=file, index=index, min_severity=min_severity)
                    )
                else:
                    print(render_audit(report, source=file, min_severity=min_severity))
                    print()
    summary = summarize(audited)
    if output_format == "json":
        document = report_document(profile.name, entries, summary=summary)
        print(json.dumps(document, ensure_ascii=False, indent=1))
    else:
        print(render_summary(summary))
    errors = any(report.has_errors for _, _, report in audited)
    return EXIT_FINDINGS if errors else EXIT_OK


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
        "indicator row, with the computation in words next to the printed score.",
    )
    scoring.add_argument("paths", nargs="+", metavar="PATH", help=paths_help)
    scoring.add_argument(
        "--profile",
        default="mof-2020",
        metavar="NAME|FILE",
        help="a built-in profile (%(default)s by default; see 'perfscore profiles') "
        "or a TOML profile file",
    )
    scoring.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people, json as the perfscore.report/1 format (default: %(default)s)",
    )
    auditing = commands.add_parser(
        "audit",
        help="audit tables: where the print disagrees with the rules or with itself",
        description="Recompute each table under a rule profile and report every "
        "inconsistency (arithmetic, cells, structure) with a stable id, a severity and a "
        "message naming the numbers; then a batch summary. Exit status 1 when any finding "
        "is an error.",
    )
    auditing.add_argument("paths", nargs="+", metavar="PATH", help=paths_help)
    auditing.add_argument(
        "--profile",
        default="mof-2020",
        metavar="NAME|FILE",
        help="a built-in profile (%(default)s by default) or a TOML profile file",
    )
    auditing.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people, json as the perfscore.report/1 format (default: %(default)s)",
    )
    auditing.add_argument(
        "--min-severity",
        choices=SEVERITIES,
        default="info",
        help="show findings at least this serious (default: %(default)s); the exit "
        "status still counts every error",
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
    if arguments.command == "score":
        return _score(
            arguments.paths, profile_name=arguments.profile, output_format=arguments.format
        )
    if arguments.command == "audit":
        return _audit(
            arguments.paths,
            profile_name=arguments.profile,
            output_format=arguments.format,
            min_severity=arguments.min_severity,
        )
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
    except PerfscoreError as error:
        print(f"perfscore: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(f"perfscore: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""The ``perfscore`` command.

``perfscore show PATH...`` prints each table with every cell as printed and as read.
Errors in the input print one message per problem on stderr and exit with status 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from perfscore._text import display_width, pad
from perfscore._version import __version__
from perfscore.errors import PerfscoreError
from perfscore.loader import load

if TYPE_CHECKING:
    from collections.abc import Sequence

    from perfscore.cells import Actual, Figure, Target
    from perfscore.model import Table

__all__ = ["main"]

EXIT_OK = 0
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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``perfscore`` command."""
    parser = argparse.ArgumentParser(
        prog="perfscore",
        description="Read, score and audit budget performance self-evaluation tables (绩效自评表).",
    )
    parser.add_argument("--version", action="version", version=f"perfscore {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    show = commands.add_parser(
        "show",
        help="print tables with every cell as printed and as read",
        description="Print each table: the funds block, and every indicator row with its "
        "target and actual as printed and as perfscore reads them.",
    )
    show.add_argument(
        "paths", nargs="+", metavar="PATH", help="a table file, a directory or a glob"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (0 ok, 2 bad input or usage)."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        parser.print_help()
        return EXIT_OK
    try:
        return _show(arguments.paths)
    except PerfscoreError as error:
        print(f"perfscore: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(f"perfscore: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""Byte-identical output: perfscore's commands against a reference commit.

    python benchmarks/identical.py                    # against 5a5e142: examples, 10,000 tables
    python benchmarks/identical.py --quick            # the examples only
    python benchmarks/identical.py --reference HEAD~1 --candidate ../other-checkout
    python benchmarks/identical.py --cases 'audit .*json' --keep   # some cases; keep outputs

Runs the same command lines with two versions of perfscore and compares, byte for byte,
everything a run leaves: its standard output, its standard error, its exit status and
every file it writes (``-o``, ``--save-profile``; a file left over on one side only is a
difference too). The two sides:

- the reference: a git commit (``--reference``, 5a5e142 by default, the last commit
  before the rebuild of issue 18), its ``src/`` taken out with ``git archive`` into a
  temporary directory;
- the candidate: a source tree (``--candidate``, by default the checkout this script
  lives in).

Each side runs as ``python -m perfscore ...`` with this interpreter and
``PYTHONPATH=<tree>/src`` (so the document extras installed here serve both), from a
directory of its own in which ``examples`` and ``data`` are links to the same inputs:
the two command lines are the same to the byte, output paths included, and nothing
needs rewriting before the comparison.

The inputs, taken from this checkout whatever the candidate: ``examples/changji-2023``
(17 JSON tables), ``examples/changji-2023.csv``, the documents of ``examples/documents``
(the workbook, Word report and web page in ``--quick``; the two PDFs and the text layer
too in a full run), standard input (JSON, CSV, a workbook), inputs that are refused or
hold bad cells, and, in a full run, 10,000 synthetic tables (benchmarks/synthetic.py,
seed 2023) as JSON Lines, the same with every score printed under changji-2023 (for
``fit``), and as CSV (written by the reference's ``convert --to csv``). The commands:
``score`` and ``audit`` in every ``--format`` the reference's help offers, under every
built-in profile and a profile file, to a file and to standard output (in UTF-8, GBK and
ASCII), ``audit --min-severity`` at every level; over the batch ``--jobs 1``, ``--jobs
2`` and the default; ``fit`` in every format, with ``--top`` and ``--save-profile``;
``convert`` to every ``--to``; ``show``; ``profiles``; every ``--help``; errors of usage.
Runs over the batch pass ``--quiet``: the progress line shows a rate and a time left,
which no two runs share (it is the only output left out of the comparison).

Prints one line per case (verdict, the reference's exit status and bytes written, the
two wall times, the command line) with, for a case that differs, each differing stream
or file and its first differing byte and line on each side; then a summary with each
side's wall and processor time. Exits 0 only when every case is identical (1 when one
differs, 2 on bad usage).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_REFERENCE = "5a5e142"
SIDES = ("reference", "candidate")

# An argument "@NAME" is a file the run writes: out/<case>/NAME in the side's directory.
OUT = "@"
CHUNK = 1 << 20
NEWLINE = b"\n"
# How much of a differing line to show.
SHOWN = 160
RUN_TIMEOUT = 900

EXAMPLES = "examples/changji-2023"
EXAMPLE = "examples/changji-2023/02_wine-competition-2022.json"
EXAMPLES_CSV = "examples/changji-2023.csv"
QUICK_DOCUMENTS = (
    "examples/documents/changji-2023-tables.xlsx",
    "examples/documents/changji-2023-report.docx",
    "examples/documents/changji-2023-page.html",
)
DOCUMENTS = "examples/documents"
COMMANDS = ("show", "score", "audit", "fit", "convert", "profiles")

PROFILE_TOML = """\
# A profile file for identical.py: extends a built-in one, as users' files do.
extends = "mof-2020"
title = "某省2024年自评口径（identical.py）"

[execution]
rule = "steps"
steps = [{at = 0.9, fraction = 1}, {at = "60%", fraction = 0.6}]

[quantitative]
reverse = "linear"
"""


@dataclass(frozen=True)
class Case:
    """One command line, run the same way on both sides."""

    args: tuple[str, ...]
    stdin: str | None = None
    env: tuple[tuple[str, str], ...] = ()
    # Files put in the case's output directory before the run: (NAME, source).
    seed: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        """The command line as a shell would take it (output files by their names)."""
        words = ["perfscore", *(arg.removeprefix(OUT) for arg in self.args)]
        text = shlex.join(words)
        if self.stdin:
            text += f" < {shlex.quote(self.stdin)}"
        return " ".join([*(f"{key}={value}" for key, value in self.env), text])


@dataclass
class Side:
    """One version of perfscore, the directory its runs start in, and their times."""

    name: str
    src: Path
    home: Path
    seconds: float = 0.0
    cpu: float = 0.0
    runs: int = 0


@dataclass
class Outcome:
    """A case's verdict: the differences found, one entry per file or stream."""

    case: Case
    differences: list[str] = field(default_factory=list)
    # Per side: the wall time and the processor time of the run.
    seconds: dict[str, tuple[float, float]] = field(default_factory=dict)
    # The reference's exit status and the bytes it wrote (stdout, stderr and files).
    status: str = ""
    written: int = 0


# --- the two sides ----------------------------------------------------------------


def git(*args: str) -> bytes:
    """Run git in this checkout; its standard output."""
    return subprocess.run(  # noqa: S603 - git with our arguments
        ["git", "-C", str(ROOT), *args],  # noqa: S607 - git from PATH, as a user runs it
        capture_output=True,
        check=True,
    ).stdout


def extract_reference(revision: str, into: Path) -> str:
    """The reference commit's ``src/`` written under ``into``; its short hash."""
    commit = git("rev-parse", "--verify", "--short", f"{revision}^{{commit}}").decode().strip()
    archive = git("archive", "--format=tar", commit, "src")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return commit


def environment(side: Side, extra: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
    """This process's environment with the side's perfscore first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(side.src)
    env.update(extra)
    return env


def check_imports(side: Side) -> str:
    """Where the side's ``import perfscore`` comes from; refuses any other tree."""
    found = subprocess.run(
        [sys.executable, "-c", "import perfscore; print(perfscore.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        env=environment(side),
        cwd=side.home,
    ).stdout.strip()
    if not Path(found).resolve().is_relative_to(side.src.resolve()):
        sys.exit(f"identical.py: the {side.name} imports perfscore from {found}, not {side.src}")
    return found


def perfscore(side: Side, *args: str) -> str:
    """A command's standard output on one side (for the help texts that shape the matrix)."""
    return subprocess.run(  # noqa: S603 - this interpreter, our arguments
        [sys.executable, "-m", "perfscore", *args],
        capture_output=True,
        text=True,
        check=True,
        env=environment(side),
        cwd=side.home,
    ).stdout


def choices(help_text: str, option: str) -> tuple[str, ...]:
    """The choices an option offers, as ``--help`` prints them (``--format {a,b}``)."""
    match = re.search(rf"{re.escape(option)} \{{([^}}]*)\}}", help_text)
    if match is None:
        sys.exit(f"identical.py: the reference's help names no choices for {option}")
    return tuple(match.group(1).split(","))


# --- the inputs ---------------------------------------------------------------------


def write_small_inputs(data: Path) -> None:
    """A profile file and inputs that are refused or hold bad cells."""
    (data / "profile.toml").write_text(PROFILE_TOML, encoding="utf-8")
    refused = data / "refused"
    refused.mkdir()
    shutil.copyfile(ROOT / EXAMPLE, refused / "good.json")
    table = json.loads((ROOT / EXAMPLES / "03_village-work-team-2023.json").read_text("utf-8"))
    bad = json.loads(json.dumps(table))
    bad["name"] = "坏单元格"
    bad["indicators"][0]["weight"] = "abc"
    bad["indicators"][1]["actual"] = "=２０户"
    bad["funds"][0]["executed"] = 1.5
    lines = [
        json.dumps(table, ensure_ascii=False),
        '{"format": "perfscore.table/1", "name": "断行"',
        json.dumps({"format": "perfscore.table/1", "name": "缺指标"}, ensure_ascii=False),
        json.dumps(bad, ensure_ascii=False),
    ]
    (refused / "lines.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (refused / "array.json").write_text(
        f'[{lines[0]}, {{"name": "无指标"}}, {lines[3]}]\n', encoding="utf-8"
    )
    (refused / "notatable.json").write_text('{"hello": "world"}\n', encoding="utf-8")
    rows = (ROOT / EXAMPLES_CSV).read_text("utf-8-sig").splitlines(keepends=True)[:30]
    rows[5] = rows[5].replace(",资金,", ",资全,", 1)
    (refused / "broken.csv").write_text("".join(rows), encoding="utf-8-sig")


def write_batch(data: Path, reference: Side, count: int) -> None:
    """The synthetic batch as JSON Lines, printed under changji-2023, and as CSV."""
    env = environment(reference)
    synthetic = str(HERE / "synthetic.py")
    name = f"tables-{count}"
    printed = (["--printed", "changji-2023"], f"printed-{count}.jsonl")
    for extra, target in (([], f"{name}.jsonl"), printed):
        subprocess.run(  # noqa: S603 - this interpreter, our script
            [sys.executable, synthetic, str(count), str(data / target), *extra],
            check=True,
            env=env,
        )
    subprocess.run(  # noqa: S603 - this interpreter, our arguments
        [
            sys.executable,
            "-m",
            "perfscore",
            *f"convert data/{name}.jsonl --to csv -o data/{name}.csv".split(),
        ],
        check=True,
        env=env,
        cwd=reference.home,
    )


# --- the cases ----------------------------------------------------------------------


def case(line: str, *, stdin: str | None = None, env: str = "", seed: str = "") -> Case:
    """A case from its command line (after ``perfscore``; no argument holds a space).

    ``env`` is ``NAME=VALUE`` words; ``seed`` is ``NAME=SOURCE`` words, files copied into the
    case's output directory before it runs.
    """
    return Case(
        tuple(line.split()),
        stdin=stdin,
        env=tuple(tuple(word.split("=", 1)) for word in env.split()),  # type: ignore[misc]
        seed=tuple(tuple(word.split("=", 1)) for word in seed.split()),  # type: ignore[misc]
    )


def cases(reference: Side, *, quick: bool, count: int) -> list[Case]:
    """Every case, the examples first, then the batch."""
    helps = {command: perfscore(reference, command, "--help") for command in COMMANDS[1:5]}
    formats = {command: choices(helps[command], "--format") for command in COMMANDS[1:3]}
    formats["fit"] = choices(helps["fit"], "--format")
    targets = choices(helps["convert"], "--to")
    severities = choices(helps["audit"], "--min-severity")
    listing = perfscore(reference, "profiles").splitlines()[1:]
    profiles = tuple(line.split()[0] for line in listing if line.strip())
    other = next(name for name in profiles if name != "mof-2020")
    e, csv = EXAMPLES, EXAMPLES_CSV

    out = [case("--help"), *(case(f"{command} --help") for command in COMMANDS)]
    out += [case("profiles"), *(case(f"profiles show {name}") for name in profiles)]
    out += [case("profiles show data/profile.toml"), case(f"show {e}"), case(f"show {csv}")]
    # Every format under every built-in profile (mof-2020 as the default, unnamed).
    for command in ("score", "audit"):
        for profile in profiles:
            chosen = "" if profile == "mof-2020" else f"--profile {profile}"
            out += [
                case(f"{command} {e} {chosen} --format {form} -o @{command}.{form}")
                for form in formats[command]
            ]
        out.append(case(f"{command} {e} --profile data/profile.toml -o @{command}.txt"))
    out += [
        case(f"audit {e} --profile {other} --min-severity {level} --format {form} -o @audit.{form}")
        for level in severities
        for form in ("text", "json")
    ]
    # Standard output: the text layouts go out in the console's encoding there.
    out += [
        case(f"score {e}"),
        case(f"audit {e} --profile {other} --format markdown"),
        case(f"convert {e} --to csv"),
        case(f"score {e}", env="PYTHONIOENCODING=gbk"),
        case(f"audit {e} --profile {other}", env="PYTHONIOENCODING=ascii"),
    ]
    out += [case(f"fit {e} --format {form}") for form in formats["fit"]]
    out.append(case(f"fit {e} --top 1 --save-profile @fitted.toml"))
    out += [case(f"convert {e} --to {to} -o @tables.{to}") for to in targets]
    out += [
        case(f"convert {csv} --to json -o @tables.json"),
        case(f"score {csv} --format json -o @score.json"),
        case(f"audit {csv} --profile {other} -o @audit.txt"),
        # Standard input: JSON and CSV by the first character, a workbook by its bytes.
        case("score - --format json", stdin=EXAMPLE),
        case("convert - --to json", stdin=csv),
        case(f"audit - --profile {other}", stdin=QUICK_DOCUMENTS[0]),
    ]
    out += document_cases(" ".join(QUICK_DOCUMENTS), other, targets)
    # Refused inputs, bad cells and bad usage: the messages and exit statuses.
    out += [
        case("score data/refused -o @score.txt"),
        case("audit data/refused --format json -o @audit.json"),
        case("convert data/refused --to csv -o @tables.csv"),
        case("show data/refused"),
        case("score data/missing.json"),
        case(f"score {e} --profile no-such-profile"),
        case(f"score {e} --profile data/missing.toml"),
        case(f"score {e} --jobs 0"),
        case(f"audit {e} --format yaml"),
        case(f"convert {e}"),
        case("score @input.json -o @input.json", seed=f"input.json={EXAMPLE}"),
    ]
    if quick:
        return out
    out += document_cases(DOCUMENTS, other, targets)[:-1]  # fit reads no places
    out += batch_cases(count, formats, targets, other)
    return out


def document_cases(paths: str, profile: str, targets: tuple[str, ...]) -> list[Case]:
    """Documents read by every command (the formats are covered on the JSON examples)."""
    return [
        case(f"show {paths}"),
        *(case(f"convert {paths} --to {to} -o @tables.{to}") for to in targets),
        case(f"score {paths} --profile {profile} -o @score.txt"),
        case(f"audit {paths} --profile {profile} --format json -o @audit.json"),
        case(f"fit {paths}"),
    ]


def batch_cases(
    count: int, formats: dict[str, tuple[str, ...]], targets: tuple[str, ...], profile: str
) -> list[Case]:
    """The synthetic batch: every format, workers or not, CSV in, fitting."""
    tables, printed = f"data/tables-{count}.jsonl", f"data/printed-{count}.jsonl"
    csv = f"data/tables-{count}.csv"
    out = [case(f"show {tables}")]
    for command in ("score", "audit"):
        out += [
            case(f"{command} {tables} -q -j1 --format {form} -o @{command}.{form}")
            for form in formats[command]
        ]
        # The output may not depend on the workers: two of them, and the default.
        out += [
            case(f"{command} {tables} -q -j2 --format json -o @{command}.json"),
            case(f"{command} {tables} -q -o @{command}.txt"),
            case(f"{command} {printed} -q -j1 --profile {profile} --format csv -o @{command}.csv"),
        ]
    out += [
        case(f"audit {csv} -q -j2 --format json -o @audit.json"),  # the CSV reader in workers
        case(f"audit {tables} -q -j1 --min-severity error -o @audit.txt"),
        case(f"fit {printed} --top 5 --save-profile @fitted.toml"),
        case(f"fit {tables} --format json"),
        *(case(f"convert {tables} --to {to} -o @tables.{to}") for to in targets),
        case(f"convert {csv} --to json -o @tables.json"),
    ]
    return out


# --- running and comparing -------------------------------------------------------------


def run(case: Case, number: int, side: Side) -> tuple[float, float]:
    """Run one case on one side; its wall time and its processor time (workers included).

    Everything the run leaves is in out/<number>: its output files, ``.stdout``,
    ``.stderr`` and ``.status``.
    """
    directory = side.home / "out" / str(number)
    directory.mkdir(parents=True)
    for name, source in case.seed:
        shutil.copyfile(ROOT / source, directory / name)
    args = [f"out/{number}/{arg[1:]}" if arg.startswith(OUT) else arg for arg in case.args]
    with contextlib.ExitStack() as files:
        stdin = files.enter_context((ROOT / case.stdin).open("rb")) if case.stdin else None
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 - this interpreter, our arguments
            [sys.executable, "-m", "perfscore", *args],
            stdin=stdin or subprocess.DEVNULL,
            stdout=files.enter_context((directory / ".stdout").open("wb")),
            stderr=files.enter_context((directory / ".stderr").open("wb")),
            env=environment(side, case.env),
            cwd=side.home,
        )
        killed = threading.Event()
        timer = threading.Timer(RUN_TIMEOUT, lambda: (killed.set(), process.kill()))
        timer.start()
        # The output goes to files, not pipes, so the process can be waited for directly:
        # os.wait4 gives its processor time, with that of the workers it waited for.
        _, wait_status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(wait_status)
    status = f"killed after {RUN_TIMEOUT} s" if killed.is_set() else str(process.returncode)
    (directory / ".status").write_text(status + "\n", encoding="utf-8")
    return seconds, usage.ru_utime + usage.ru_stime


def first_difference(one: Path, other: Path) -> int | None:
    """The offset of the first byte in which two files differ; None when they are equal."""
    offset = 0
    with one.open("rb") as a, other.open("rb") as b:
        while True:
            left, right = a.read(CHUNK), b.read(CHUNK)
            if left != right:
                shorter = min(len(left), len(right))
                return offset + next((i for i in range(shorter) if left[i] != right[i]), shorter)
            if not left:
                return None
            offset += len(left)


def line_at(path: Path, offset: int) -> str:
    """The line holding byte ``offset`` of a file, numbered, as it reads (cut if long)."""
    number, start = 1, 0
    with path.open("rb") as stream:
        while start + CHUNK <= offset:  # count the lines before the chunk holding it
            block = stream.read(CHUNK)
            number += block.count(b"\n")
            start += len(block)
        stream.seek(start)
        block = stream.read(offset - start + 64 * 1024)
    here = offset - start
    if here >= len(block):
        return f"line {number + block.count(NEWLINE)}: (end of file)"
    begin = block.rfind(b"\n", 0, here) + 1
    end = block.find(b"\n", here)
    line = block[begin : end if end >= 0 else len(block)]
    number += block.count(b"\n", 0, begin)
    text = line.decode("utf-8", errors="backslashreplace")
    if len(text) > SHOWN:
        text = text[:SHOWN] + "…"
    return f"line {number}: {text!r}"


def compare(number: int, reference: Side, candidate: Side) -> list[str]:
    """Every difference between what the case left on the two sides."""
    left, right = (side.home / "out" / str(number) for side in (reference, candidate))
    names = sorted({path.name for path in left.iterdir()} | {path.name for path in right.iterdir()})
    differences = []
    for name in names:
        what = {".stdout": "stdout", ".stderr": "stderr", ".status": "exit status"}.get(name, name)
        one, other = left / name, right / name
        if not one.exists() or not other.exists():
            missing = "reference" if not one.exists() else "candidate"
            differences.append(f"{what}: written by one side only (not by the {missing})")
            continue
        offset = first_difference(one, other)
        if offset is None:
            continue
        if name == ".status":
            status = (one.read_text("utf-8").strip(), other.read_text("utf-8").strip())
            differences.append(f"{what}: reference {status[0]}, candidate {status[1]}")
            continue
        differences.append(
            f"{what}: first difference at byte {offset}\n"
            f"      reference {line_at(one, offset)}\n"
            f"      candidate {line_at(other, offset)}"
        )
    return differences


def run_case(numbered: tuple[int, Case], reference: Side, candidate: Side) -> Outcome:
    """Run a case on both sides (the reference first) and compare."""
    number, case = numbered
    outcome = Outcome(case)
    for side in (reference, candidate):
        outcome.seconds[side.name] = run(case, number, side)
    outcome.differences = compare(number, reference, candidate)
    left = reference.home / "out" / str(number)
    outcome.status = (left / ".status").read_text("utf-8").strip()
    outcome.written = sum(path.stat().st_size for path in left.iterdir() if path.name != ".status")
    return outcome


def prepare(work: Path, reference_rev: str, candidate_src: Path) -> tuple[Side, Side, str]:
    """The two sides' directories, with the links to the shared inputs."""
    commit = extract_reference(reference_rev, work / "reference-tree")
    data = work / "data"
    data.mkdir()
    sides = []
    for name, src in zip(SIDES, (work / "reference-tree" / "src", candidate_src), strict=True):
        home = work / name
        home.mkdir()
        (home / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
        (home / "data").symlink_to(data, target_is_directory=True)
        sides.append(Side(name, src, home))
    return sides[0], sides[1], commit


def describe_candidate(src: Path) -> str:
    """The candidate tree, with its commit when it is a git checkout."""
    try:
        described = subprocess.run(  # noqa: S603 - git with our arguments
            ["git", "-C", str(src), "describe", "--always", "--dirty"],  # noqa: S607 - git from PATH
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return str(src.parent)
    return f"{src.parent} ({described})"


def report(outcomes: Iterable[Outcome], sides: tuple[Side, Side]) -> int:
    """Print each case's line (and its differences) as it comes; the cases that differ."""
    different = 0
    for outcome in outcomes:
        for side in sides:
            wall, cpu = outcome.seconds[side.name]
            side.seconds += wall
            side.cpu += cpu
            side.runs += 1
        verdict = "DIFFERENT" if outcome.differences else "identical"
        different += bool(outcome.differences)
        times = " ".join(f"{outcome.seconds[side.name][0]:6.2f}" for side in sides)
        print(
            f"{verdict:<9} exit {outcome.status:<2} {outcome.written:>11,} B "
            f"{times} s  {outcome.case.label}",
            flush=True,
        )
        for difference in outcome.differences:
            print(f"    {difference}")
    return different


def main(argv: list[str] | None = None) -> int:
    """Run every case on both sides; 0 when all are identical, 1 when any differs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reference",
        default=DEFAULT_REFERENCE,
        metavar="REV",
        help=f"the git commit to compare with (default {DEFAULT_REFERENCE})",
    )
    parser.add_argument(
        "--candidate",
        default=str(ROOT),
        metavar="DIR",
        help="the source tree under test, holding src/ (default: this checkout)",
    )
    parser.add_argument("--quick", action="store_true", help="the examples only, no batch")
    parser.add_argument("--tables", type=int, default=10_000, help="the batch's size")
    parser.add_argument("--cases", metavar="REGEX", help="only the cases whose line matches")
    parser.add_argument(
        "--parallel",
        type=int,
        default=min(2, os.cpu_count() or 1),
        metavar="N",
        help="cases run N at a time (default: 2, or 1 on one core); the processor times "
        "stay each run's own, the wall times overlap",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary directory, with every output of both sides",
    )
    arguments = parser.parse_args(argv)
    candidate_src = Path(arguments.candidate).resolve() / "src"
    if not (candidate_src / "perfscore").is_dir():
        parser.error(f"--candidate: no src/perfscore in {arguments.candidate}")

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="perfscore-identical-"))
    try:
        try:
            reference, candidate, commit = prepare(work, arguments.reference, candidate_src)
        except subprocess.CalledProcessError as error:
            print(f"identical.py: git: {error.stderr.decode().strip()}", file=sys.stderr)
            return 2
        print(f"reference: {commit} -> {check_imports(reference)}")
        print(f"candidate: {describe_candidate(candidate_src)} -> {check_imports(candidate)}")
        write_small_inputs(work / "data")
        if not arguments.quick:
            made = time.perf_counter()
            write_batch(work / "data", reference, arguments.tables)
            print(f"generated {arguments.tables} tables in {time.perf_counter() - made:.1f} s")
        selected = cases(reference, quick=arguments.quick, count=arguments.tables)
        if arguments.cases:
            pattern = re.compile(arguments.cases)
            selected = [case for case in selected if pattern.search(case.label)]
            if not selected:
                print(f"identical.py: no case matches {arguments.cases!r}", file=sys.stderr)
                return 2
        parallel = max(1, arguments.parallel)
        with ThreadPoolExecutor(parallel) as pool:
            outcomes = pool.map(
                lambda numbered: run_case(numbered, reference, candidate), enumerate(selected)
            )
            different = report(outcomes, (reference, candidate))
        print(
            f"{len(selected)} cases: {len(selected) - different} identical, {different} different"
        )
        print(
            ", ".join(
                f"{side.name} {side.seconds:.1f} s (processor {side.cpu:.1f} s)"
                for side in (reference, candidate)
            )
            + f"; {reference.runs} runs each, {parallel} at a time; "
            f"{time.perf_counter() - started:.1f} s in all"
        )
    finally:
        if arguments.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())

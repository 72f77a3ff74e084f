"""Benchmark: perfscore's batch speed against a minimal pure-Python baseline.

    python benchmarks/bench.py                       # 1k, 10k and 100k tables
    python benchmarks/bench.py --sizes 1000,10000    # a quicker run
    python benchmarks/bench.py --modes baseline,score-warm,audit-warm   # memos warm

For each batch size it generates synthetic tables reproducibly (fixed seed; see
benchmarks/synthetic.py) as JSON Lines, then measures, each in a fresh process
(perfscore imported before the clock starts: ``python benchmarks/bench.py --imports``
measures ``import perfscore`` on its own):

- baseline: json.loads, one regex per cell, Decimal arithmetic of the mof-2020
  quantitative rules; no objects, no explanations: the floor of what pure Python does;
- load + score, and load + score + audit, on one process;
- the same as the command line does it with --jobs 1 and --jobs 2: the input cut into
  units, each table's result written as a line of text (-j1: the units one after the
  other in this process; -j2: over two worker processes), so that -j2 / -j1 is the
  speed-up of the same work;

and prints indicator rows per second, the ratio to the baseline, the peak memory
(resource.getrusage, the main process and the largest worker) and the time per row,
so the cost per row can be seen to stay flat as the batch grows.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

MODES = ("baseline", "score", "audit", "score-j1", "audit-j1", "score-j2", "audit-j2")
# Not run by default: the same batch a second time in one process, every memo warm.
WARM_MODES = ("score-warm", "audit-warm")

# --- the baseline --------------------------------------------------------------------

CELL = re.compile(r"\s*(>=|<=|=|≥|≤|不低于|不高于)?\s*(\d+(?:\.\d+)?)\s*(.*?)\s*$")
AT_LEAST = {">=", "≥", "不低于", None, ""}
AT_MOST = {"<=", "≤", "不高于"}
CENT = Decimal("0.01")


def baseline(path: Path) -> int:
    """Score every table the minimal way; returns the rows read."""
    rows = 0
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            data = json.loads(line)
            total = Decimal(0)
            fund = data["funds"][0]
            budget, executed = Decimal(fund["annual_budget"]), Decimal(fund["executed"])
            weight = Decimal(fund["weight"])
            total += min(weight * executed / budget, weight).quantize(CENT, ROUND_HALF_UP)
            for row in data["indicators"]:
                rows += 1
                w = CELL.match(row["weight"])
                t = CELL.match(row["target"])
                a = CELL.match(row["actual"])
                weight = Decimal(w.group(2)) if w else Decimal(0)
                if t is None or a is None:
                    total += weight  # qualitative: achieved
                    continue
                target, actual = Decimal(t.group(2)), Decimal(a.group(2))
                op = t.group(1)
                if op in AT_MOST:
                    score = weight if actual <= target else weight * target / actual
                elif op == "=":
                    if actual == target:
                        score = weight
                    elif actual > 0 and target > 0:
                        score = weight * min(actual, target) / max(actual, target)
                    else:
                        score = Decimal(0)
                elif actual >= target:
                    score = weight
                else:
                    score = weight * actual / target if target > 0 else Decimal(0)
                total += score.quantize(CENT, ROUND_HALF_UP)
    return rows


# --- perfscore ---------------------------------------------------------------------


# Workers send back text, one line per table, as the CLI's workers send rendered output,
# and are given the profile itself with each unit, as the CLI's are.
def _work_unit(mode, profile, run, unit):  # noqa: ANN001, ANN202 - a worker function
    from perfscore import audit, score  # noqa: PLC0415
    from perfscore.batch import run_memo, unit_tables  # noqa: PLC0415

    memo = run_memo(run)  # the worker's memo for the run, as the command line's
    rows, lines = 0, []
    for _, table in unit_tables(unit, memo=memo):
        if mode == "score":
            result = score(table, profile=profile, memo=memo).total
        else:
            result = len(audit(table, profile=profile, memo=memo).findings)
        lines.append(f"{table.name}\t{result}")
        rows += len(table.indicators)
    return rows, "\n".join(lines)


def perfscore_run(path: Path, mode: str, memo: object = None) -> int:
    """Load and score (or audit) every table with the run's memo; returns the rows read."""
    from perfscore import audit, get_profile, score  # noqa: PLC0415
    from perfscore.batch import iter_tables, iter_units, map_ordered, new_run  # noqa: PLC0415
    from perfscore.memo import Memo  # noqa: PLC0415

    rows = 0
    if mode in {"score", "audit"}:
        work = score if mode == "score" else audit
        memo = Memo() if memo is None else memo
        for table in iter_tables(path, memo=memo):
            work(table, memo=memo)
            rows += len(table.indicators)
        return rows
    work, jobs = mode.split("-j")
    worker = partial(_work_unit, work, get_profile("mof-2020"), new_run())
    for count, _ in map_ordered(worker, iter_units([str(path)]), jobs=int(jobs), size=1):
        rows += count
    return rows


def measure(path: Path, mode: str) -> dict[str, float]:
    """Run one mode on one file in this process; the figures as a dict."""
    if mode != "baseline":  # imports are not timed: the figures exclude them
        import perfscore.batch  # noqa: PLC0415
        import perfscore.memo  # noqa: F401, PLC0415
    memo = None
    if mode.endswith("-warm"):
        from perfscore.memo import Memo  # noqa: PLC0415

        mode = mode.removesuffix("-warm")
        memo = Memo()
        perfscore_run(path, mode, memo)  # untimed: fills the run's memo
    started = time.perf_counter()
    rows = baseline(path) if mode == "baseline" else perfscore_run(path, mode, memo)
    seconds = time.perf_counter() - started
    main_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"rows": rows, "seconds": seconds, "peak_kb": main_peak, "worker_peak_kb": worker_peak}


# --- the report --------------------------------------------------------------------


def data_file(count: int, directory: Path) -> Path:
    """The synthetic batch of ``count`` tables, generated on first use."""
    path = directory / f"tables-{count}.jsonl"
    if not path.exists():
        started = time.perf_counter()
        synthetic.main([str(count), str(path)])
        print(f"   generated {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def run_isolated(path: Path, mode: str) -> dict[str, float]:
    """One mode measured in a fresh process (its peak memory its own)."""
    result = subprocess.run(  # noqa: S603 - this script, our arguments
        [sys.executable, __file__, "--measure", mode, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def describe_machine() -> str:
    """The processor, its cores, Python and the system, in one line."""
    cpu = platform.processor() or platform.machine()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        model = cpu
    return (
        f"{model}, {os.cpu_count()} cores; Python {platform.python_version()} "
        f"({platform.python_implementation()}) on {platform.system()} {platform.release()}"
    )


def memo_size() -> str:
    """Perfscore's memo size, asked of a child process.

    This process must not import perfscore: a child's peak memory as Linux reports it
    includes the memory of the process it was forked from.
    """
    code = "from perfscore.memo import MEMO_SIZE; print(MEMO_SIZE)"
    result = subprocess.run(  # noqa: S603 - this interpreter, our code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def import_time(runs: int = 9) -> float:
    """Milliseconds to ``import perfscore`` in a fresh process, the median of ``runs``."""
    code = (
        "import time; started = time.perf_counter(); import perfscore; "
        "print((time.perf_counter() - started) * 1000)"
    )
    # As a user's Python imports it: from bytecode written by a first import (an
    # environment may set PYTHONDONTWRITEBYTECODE, which would time compiling instead).
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def once() -> float:
        result = subprocess.run(  # noqa: S603 - this interpreter, our code
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env=environment,
        )
        return float(result.stdout)

    once()  # writes the bytecode
    times = sorted(once() for _ in range(runs))
    return times[runs // 2]


def main(argv: list[str] | None = None) -> int:
    """Measure every mode at every size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--data", default=str(HERE / ".data"))
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--measure", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--imports", action="store_true", help="time `import perfscore` only")
    arguments = parser.parse_args(argv)
    if arguments.imports:
        print(f"machine: {describe_machine()}")
        print(f"import perfscore: {import_time():.1f} ms (median of 9 fresh processes)")
        return 0
    if arguments.measure:
        mode, file = arguments.measure
        print(json.dumps(measure(Path(file), mode)))
        return 0
    directory = Path(arguments.data)
    directory.mkdir(parents=True, exist_ok=True)
    modes = arguments.modes.split(",")
    print(f"machine: {describe_machine()}")
    print(f"row memos: {memo_size()} entries per generation (PERFSCORE_MEMO)")
    header = (
        f"{'tables':>8} {'mode':<10} {'rows':>9} {'seconds':>8} {'rows/s':>9} "
        f"{'× base':>7} {'µs/row':>7} {'peak MB':>8} {'worker MB':>9}"
    )
    print(header)
    for count in (int(size) for size in arguments.sizes.split(",")):
        path = data_file(count, directory)
        base_rate = None
        for mode in modes:
            figures = run_isolated(path, mode)
            rate = figures["rows"] / figures["seconds"]
            if mode == "baseline":
                base_rate = rate
            ratio = f"{rate / base_rate:7.2f}" if base_rate else "      -"
            print(
                f"{count:>8} {mode:<10} {figures['rows']:>9} {figures['seconds']:>8.2f} "
                f"{rate:>9.0f} {ratio} {1e6 / rate:>7.1f} {figures['peak_kb'] / 1024:>8.1f} "
                f"{figures['worker_peak_kb'] / 1024:>9.1f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: instructions per table, counted by valgrind (the same on every run).

    python benchmarks/instructions.py                  # 2,000 streamed, 500 remembered
    python benchmarks/instructions.py --tables 20000   # closer to a long batch

Time on a shared machine varies by ±5% from run to run, more than most changes are
worth; instruction counts do not. For the first ``--tables`` tables of the 100k
synthetic batch (benchmarks/synthetic.py), each in a fresh process under
``valgrind --tool=cachegrind``, it prints the instructions per table of:

- reading the tables (streamed, as ``iter_tables`` reads a JSON Lines file), then
  scoring them, then auditing them (each step's cost is what it adds to the one
  before, garbage collection included);
- scoring and auditing ``--warm`` tables again, every row remembered, garbage
  collection off: the cost of a table whose rows were all seen before.

Fewer instructions usually mean less time, but not always: a change that keeps more
objects alive can save instructions and lose time to the garbage collector and the
processor's caches (docs/performance.md has such a case). Confirm a change's effect
on time with benchmarks/bench.py.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench  # noqa: E402

STEPS = ("none", "read", "score", "audit")


def run_step(step: str, path: Path, count: int, passes: int) -> None:
    """Do one step in this process (under valgrind, as a child of main)."""
    from perfscore import audit, score  # noqa: PLC0415
    from perfscore.batch import iter_tables  # noqa: PLC0415
    from perfscore.memo import Memo  # noqa: PLC0415

    if step == "none":  # the cost of starting and importing, to subtract
        return
    memo = Memo()  # the run's, as the command line makes one
    tables = itertools.islice(iter_tables(path, memo=memo), count)
    if passes == 1:
        work = {"read": None, "score": score, "audit": audit}[step]
        for table in tables:
            if work is not None:
                work(table, memo=memo)
        return
    # Warm: read and audit once, then time `passes - 1` more rounds over the same tables.
    kept = list(tables)
    for table in kept:
        audit(table, memo=memo)
    gc.disable()
    work = score if step == "score" else audit
    for _ in range(passes - 1):
        for table in kept:
            work(table, memo=memo)


def instructions(step: str, path: Path, count: int, passes: int) -> int:
    """Instructions of a fresh process doing one step, as cachegrind counts them."""
    command = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--step",
        step,
        str(path),
        str(count),
        str(passes),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    match = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
    if match is None:  # pragma: no cover - valgrind's output changed
        raise RuntimeError(result.stderr[-2000:])
    return int(match.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    """Count and print; 1 if valgrind is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=2000, help="tables streamed")
    parser.add_argument("--warm", type=int, default=500, help="tables audited again")
    parser.add_argument("--data", default=str(HERE / ".data"))
    parser.add_argument("--step", nargs=4, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.step:
        step, file, count, passes = arguments.step
        run_step(step, Path(file), int(count), int(passes))
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed; this benchmark counts instructions with it")
        return 1
    directory = Path(arguments.data)
    directory.mkdir(parents=True, exist_ok=True)
    path = bench.data_file(100_000, directory)
    print(f"machine: {bench.describe_machine()}")
    print(f"row memos: {bench.memo_size()} entries per generation (PERFSCORE_MEMO)")
    count = arguments.tables
    totals = {step: instructions(step, path, count, 1) for step in STEPS}
    print(f"{count} tables streamed, instructions per table:")
    for before, step in itertools.pairwise(STEPS):
        added = (totals[step] - totals[before]) / count
        print(f"  {step:<6} +{added:>10,.0f}")
    warm = arguments.warm
    print(f"{warm} tables again, every row remembered, GC off, instructions per table:")
    for step in ("score", "audit"):
        once, twice = (instructions(step, path, warm, passes) for passes in (2, 3))
        print(f"  {step:<6} {(twice - once) / warm:>11,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How long fitting takes: synthetic tables printed under a known profile, fitted back.

    python benchmarks/fit_bench.py [--tables 1000] [--profile changji-2023]

Generates the tables reproducibly (benchmarks/synthetic.py), prints every score as the
profile computes it, then times ``perfscore.fit`` and shows what it recovered.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic
from perfscore import Table, fit, get_profile
from perfscore.render.text import render_fit


def main(argv: list[str] | None = None) -> int:
    """Time fitting on a synthetic batch and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--profile", default="changji-2023")
    parser.add_argument("--seed", type=int, default=2023)
    arguments = parser.parse_args(argv)
    profile = get_profile(arguments.profile)
    rng = random.Random(arguments.seed)
    tables = [
        Table.from_dict(synthetic.print_as(synthetic.table(rng, number), profile))
        for number in range(arguments.tables)
    ]
    rows = sum(len(table.indicators) for table in tables)
    started = time.perf_counter()
    result = fit(tables)
    seconds = time.perf_counter() - started
    print(
        f"fitted {len(tables)} tables ({rows} rows) printed under {profile.name} "
        f"in {seconds:.2f} s; {len(result.candidates)} candidates"
    )
    print(render_fit(result, top=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

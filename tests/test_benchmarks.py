import json
import sys
from pathlib import Path

from perfscore import Table, audit, get_profile, score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import synthetic


def test_synthetic_tables_are_valid_and_reproducible():
    """The benchmark's generator makes loadable tables, the same for the same seed."""
    first = synthetic.tables(30, seed=7)
    assert first == synthetic.tables(30, seed=7)
    assert first != synthetic.tables(30, seed=8)
    for data in first:
        table = Table.from_dict(data)
        card = score(table)
        assert card.complete
        assert table.total_weight == 100
        assert audit(table).scorecard == card


def test_synthetic_tables_printed_under_a_profile_reproduce_it():
    """Tables printed as a profile computes them score exactly as printed under it."""
    profile = get_profile("changji-2023")
    for data in synthetic.tables(20, seed=3):
        card = score(Table.from_dict(synthetic.print_as(data, profile)), profile=profile)
        assert all(item.score == item.printed_score for item in card.items)
        assert card.total == card.printed_total


def test_baseline_reads_every_row(tmp_path):
    """The benchmark's baseline reads the same rows perfscore does."""
    import bench  # noqa: PLC0415

    path = tmp_path / "t.jsonl"
    synthetic.main(["25", str(path), "--seed", "5"])
    rows = sum(len(Table.from_dict(d).indicators) for d in synthetic.tables(25, seed=5))
    assert bench.baseline(path) == rows
    assert bench.perfscore_run(path, "score") == rows


def test_cells_cold_reads_every_cell_of_a_table(tmp_path):
    """The cold-reading benchmark takes a table's cells and times each group of them."""
    import cells_cold  # noqa: PLC0415

    data = synthetic.tables(1, seed=5)[0]
    cells = cells_cold.table_cells(data)
    rows, funds = data["indicators"], data["funds"]
    assert ("target", rows[0]["target"], "target") in cells
    assert ("figure", rows[0]["weight"], "weight") in cells
    assert ("figure", funds[0]["executed"], "executed") in cells
    corpus = tmp_path / "cells.json"
    corpus.write_text(json.dumps({"one": cells, "refused": [["target", "≥件700", "target"]]}))
    figures = cells_cold.measure(corpus)
    assert figures["one"]["cells"] == len(cells)
    assert figures["refused"]["cells"] == 1
    assert all(group["cold"] >= 0 and group["miss"] >= 0 for group in figures.values())

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


# --- benchmarks/identical.py --------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def _is_git_checkout() -> bool:
    try:
        subprocess.run(  # noqa: S603 - git with our arguments
            ["git", "-C", str(ROOT), "rev-parse", "--verify", "HEAD"],  # noqa: S607
            capture_output=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return False
    return True


needs_git = pytest.mark.skipif(not _is_git_checkout(), reason="not a git checkout")

# A case's line: verdict, the reference's exit status and bytes written, both times, the case.
CASE_LINE = re.compile(r"^(identical|DIFFERENT) exit (\d+) +[\d,]+ B +[\d.]+ +[\d.]+ s  (.+)$")

# One case of each kind the machinery handles: every format to a file, stdout in another
# encoding, stdin, fit with a profile written, refused inputs (stderr, status 2), a file
# put in place before the run.
SAMPLE = (
    r"^perfscore (score examples/changji-2023 --format"
    r"|fit examples/changji-2023 --top"
    r"|convert - "
    r"|show data/refused"
    r"|score input\.json)"
    r"|^PYTHONIOENCODING=gbk "
)


def _run_identical(capsys, *args):
    import identical  # noqa: PLC0415

    status = identical.main(["--quick", "--reference", "HEAD", "--parallel", "2", *args])
    lines = capsys.readouterr().out.splitlines()
    return status, lines


@needs_git
def test_identical_finds_the_same_commit_identical(capsys):
    """HEAD against this tree: every case identical, each run leaving what it should."""
    status, lines = _run_identical(capsys, "--cases", SAMPLE)
    cases = [CASE_LINE.match(line).groups() for line in lines if CASE_LINE.match(line)]
    assert cases == [
        ("identical", "0", "perfscore score examples/changji-2023 --format text -o score.text"),
        (
            "identical",
            "0",
            "perfscore score examples/changji-2023 --format markdown -o score.markdown",
        ),
        ("identical", "0", "perfscore score examples/changji-2023 --format html -o score.html"),
        ("identical", "0", "perfscore score examples/changji-2023 --format json -o score.json"),
        ("identical", "0", "perfscore score examples/changji-2023 --format csv -o score.csv"),
        ("identical", "0", "perfscore score examples/changji-2023 --format xlsx -o score.xlsx"),
        ("identical", "0", "PYTHONIOENCODING=gbk perfscore score examples/changji-2023"),
        (
            "identical",
            "0",
            "perfscore fit examples/changji-2023 --top 1 --save-profile fitted.toml",
        ),
        ("identical", "0", "perfscore convert - --to json < examples/changji-2023.csv"),
        ("identical", "2", "perfscore show data/refused"),
        ("identical", "2", "perfscore score input.json -o input.json"),
    ]
    assert "11 cases: 11 identical, 0 different" in lines
    assert status == 0


@needs_git
def test_identical_reports_a_changed_message(capsys, tmp_path, monkeypatch):
    """A candidate with one message changed: its case is named, with both lines; exit 1."""
    from perfscore.cli import main  # noqa: PLC0415

    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    holding = [
        path
        for path in (tmp_path / "src").rglob("*.py")
        if "错误最多的表" in path.read_text(encoding="utf-8")
    ]
    assert len(holding) == 1
    text = holding[0].read_text(encoding="utf-8")
    holding[0].write_text(text.replace("错误最多的表", "错误最多之表"), encoding="utf-8")
    monkeypatch.chdir(ROOT)
    report = tmp_path / "audit.text"
    assert main(["audit", "examples/changji-2023", "-o", str(report)]) == 1
    printed = report.read_bytes()
    offset = printed.index("错误最多的表".encode()) + len("错误最多".encode())
    line = printed[:offset].count(b"\n") + 1
    capsys.readouterr()

    status, lines = _run_identical(
        capsys,
        "--candidate",
        str(tmp_path),
        "--cases",
        r"^perfscore audit examples/changji-2023 --format (text|json) ",
    )
    verdicts = [CASE_LINE.match(line).groups() for line in lines if CASE_LINE.match(line)]
    assert verdicts == [
        ("DIFFERENT", "1", "perfscore audit examples/changji-2023 --format text -o audit.text"),
        ("identical", "1", "perfscore audit examples/changji-2023 --format json -o audit.json"),
    ]
    at = next(i for i, text in enumerate(lines) if text.startswith("DIFFERENT"))
    assert lines[at + 1 : at + 4] == [
        f"    audit.text: first difference at byte {offset}",
        f"      reference line {line}: '   错误最多的表：'",
        f"      candidate line {line}: '   错误最多之表：'",
    ]
    assert "2 cases: 1 identical, 1 different" in lines
    assert status == 1

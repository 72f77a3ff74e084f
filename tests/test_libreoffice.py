"""The CSV perfscore writes opens in a real spreadsheet showing every cell as printed.

LibreOffice (Debian's ``libreoffice-calc-nogui``) opens each file as a user would, with
formula evaluation on, and saves the cells as it shows them; every shown cell must be
the cell's text. The test skips when LibreOffice is not installed (``.ci/run`` installs
it).
"""

import csv
import os
import shutil
import subprocess
from decimal import Decimal

import attrs
import pytest

from perfscore import audit, load
from perfscore.io.csv import read_csv, unescape_cell, write_csv
from perfscore.io.json import table_from_dict
from perfscore.render import make_writer
from perfscore.render.records import ITEM_COLUMNS, NUMBER_COLUMNS

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")

# CSV filter options (LibreOffice help, "CSV Filter Options"), by token: 1 comma,
# 2 double quote, 3 UTF-8, 4 from line 1, 5 no column formats, 6 the language,
# 7 quoted fields not forced to text (as Excel), 8 detect special numbers (dates,
# times, scientific notation: as Excel does), 9-12 export settings, 13 evaluate
# formulas. Exported: 9 "save cell contents as shown".
IMPORT = "Text - txt - csv (StarCalc):44,34,76,1,,{language},false,true,false,false,false,-1,true"
EXPORT = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false"
LANGUAGES = {"en-US": 1033, "zh-CN": 2052}

# Cells a spreadsheet takes as a formula, or converts to a number, date, time,
# percentage, currency or boolean, and their near neighbours that it leaves alone.
HOSTILE = [
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-1",
    "=1+1",
    "10.00",
    "1/2",
    "TRUE",
    "true",
    "0012",
    "=1044 件",
    "=90%",
    "90.0%",
    "98.36%",
    "10 %",
    "1月2日",
    "2023年1月",
    "12:30",
    "10:00 AM",
    "2023-1-1",
    "2023/1/1",
    "1.5.2023",
    "$10",
    "¥10",
    "(10)",
    "1,000",
    " 10",
    ".5",
    "1.",
    "1e3",
    "123456789012",
    "3.14159265358979",
    "#N/A",
    "１２",
    "＝1+1",
    "\t=1",
    '="x"',
    "=a\nb",
    "=" + "长" * 1000,
    '-"' * 200,
    "10",
    "98.36",
    ">=700 件",
    "≥95%",
    "年度资金总额",
    "多\n行",
]


def shown(paths, tmp_path, language):
    """Each file's cells as LibreOffice shows them, file by file."""
    out = tmp_path / f"shown-{language}"
    subprocess.run(  # noqa: S603 - a fixed LibreOffice command on our own files
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            f"--infilter={IMPORT.format(language=LANGUAGES[language])}",
            "--convert-to",
            EXPORT,
            "--outdir",
            str(out),
            *map(str, paths),
        ],
        capture_output=True,
        timeout=300,
        check=True,
        env={**os.environ, "LANG": "C.UTF-8"},
    )
    return [read_cells(out / path.name) for path in paths]


def read_cells(path):
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def printed(path):
    """The cells' texts, as perfscore reads them back."""
    return [[unescape_cell(cell) for cell in row] for row in read_cells(path)]


def hostile_tables(examples):
    """Tables carrying every hostile text as name, labels, target, actual and note."""
    seed = load(examples / "02_wine-competition-2022.json")[0]
    data = seed.to_dict()
    rows = []
    for index, text in enumerate(HOSTILE):
        rows.append(
            {
                **data["indicators"][0],
                "level3": text,
                "target": text,
                "actual": text,
                "score": text,
                "deviation_note": f"{text}{index}",
            }
        )
    data = {**data, "name": "=HYPERLINK(1)", "indicators": rows, "remarks": "@1"}
    return [table_from_dict(data), attrs.evolve(seed, name="-")]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_written_csv_shows_every_cell_as_printed(examples, tmp_path, language):
    """The 17 seed tables, hostile cells, and the --format csv report open in
    LibreOffice showing each cell's text; computed numbers show as the same numbers."""
    seed, hostile = load(examples), hostile_tables(examples)
    tables = tmp_path / "seed.csv"
    tables.write_bytes(write_csv(seed))
    cells = tmp_path / "hostile.csv"
    cells.write_bytes(write_csv(hostile))
    report = tmp_path / "report.csv"
    with report.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = make_writer("csv", stream, profile_name="mof-2020", command="audit")
        writer.begin()
        for index, table in enumerate([*seed, *hostile]):
            result = audit(table)
            writer.table(f"={index}.json", index, result.scorecard, result.findings)
        writer.end(None)
    seed_shown, hostile_shown, report_shown = shown([tables, cells, report], tmp_path, language)
    assert seed_shown == printed(tables)
    assert hostile_shown == printed(cells)
    assert read_csv(cells.read_bytes(), source="hostile.csv") == hostile
    numbers = {ITEM_COLUMNS.index(column) for column in NUMBER_COLUMNS}
    expected = printed(report)
    assert len(report_shown) == len(expected) > len(HOSTILE)
    for shown_row, row in zip(report_shown, expected, strict=True):
        for at, (shown_cell, cell) in enumerate(zip(shown_row, row, strict=True)):
            if at in numbers and cell and shown_row is not report_shown[0]:
                assert Decimal(shown_cell) == Decimal(cell)
            else:
                assert shown_cell == cell

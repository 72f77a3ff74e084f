"""examples/notebook.ipynb, run as a reader runs it: in a real Jupyter kernel.

The notebook is stored with the outputs of a run, so that it reads on GitHub with its
tables and figures; a test runs it afresh and holds the stored outputs to that run.
After changing the notebook or what it shows, store a fresh run with
``python tests/test_notebook.py``.
"""

import copy
import json
import os
import re
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "notebook.ipynb"

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("pandas")

# pandas' own HTML of a data frame (its markup changes between pandas versions).
DATAFRAME = '<table border="1" class="dataframe">'


def run(notebook):
    """The notebook executed in a fresh python3 kernel, from examples/ (outputs replaced)."""
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    # Jupyter's paths as its next major version has them (and without the warning).
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
        record_timing=False,
    )
    client.execute()
    return notebook


@pytest.fixture(scope="module")
def executed():
    return run(nbformat.read(NOTEBOOK, as_version=4))


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def texts(cell):
    """A cell's printed text and the plain text of its displayed value."""
    out = []
    for output in cell.outputs:
        if output.output_type == "stream":
            out.append(output.text)
        elif "data" in output:
            out.append(output.data.get("text/plain", ""))
    return "".join(out)


def html(cell):
    return "".join(output.get("data", {}).get("text/html", "") for output in cell.outputs)


def test_notebook_runs_in_a_jupyter_kernel(executed):
    """Every code cell runs in order in a python3 kernel, none with an error."""
    cells = code_cells(executed)
    assert [cell.execution_count for cell in cells] == list(range(1, len(cells) + 1))
    for cell in cells:
        assert all(output.output_type != "error" for output in cell.outputs), cell.source
        assert cell.outputs, cell.source  # every cell shows something


def test_executed_outputs_carry_the_figures(executed):
    """What a reader sees: the reprs, the frames and the text carry real figures."""
    cells = code_cells(executed)
    shown = [texts(cell) for cell in cells]
    pages = [html(cell) for cell in cells]
    # A table shows as printed; its repr is one line.
    assert shown[0] == (
        "17 tables\n<Table '2022（新疆昌吉）“一带一路”国际葡萄酒大赛' project 2023: "
        "8 indicators, 3 funds rows, printed total 90>"
    )
    assert pages[0].startswith('<div class="perfscore-repr"><style>')
    assert "参赛样品数量" in pages[0]
    # The table's rows as a frame: numbers as read.
    assert re.search(r"3 +indicators\[0\] +产出指标/数量指标/参赛样品数量 +>=700 件", shown[1])
    assert re.search(r"\n3 +700 +1044 +10 +0\.00 *\n", shown[1])
    # Totals under both profiles, beside the printed ones.
    assert shown[2].startswith("changji-2023 reproduces 13 of 16 printed totals\n")
    assert re.search(r"2022（新疆昌吉）“一带一路”国际葡萄酒大赛 +90 +100\.00 +99\.84", shown[2])
    assert DATAFRAME in pages[2]
    # Exact sums per level-1 label, and floats for describe().
    assert re.search(r"产出指标 +644 +449\.00 +69\.72%", shown[3])
    assert re.search(r"met +84\.0 +9\.761905", shown[4])
    # A scorecard: its repr, its explanations, its HTML with the style that marks it.
    assert shown[5].startswith(
        "<Scorecard '昌吉州“数字政府—大数据运营管理平台”项目' under mof-2020: "
        "total 56.58 (差), printed 25, 12 rows>\n"
        "执行率 969.45/3519.86 = 27.54%，按比例 27.54% × 10 = 2.75\n"
    )
    assert pages[5].startswith('<div class="perfscore-repr"><style>')
    assert ".perfscore-repr .perfscore td.diff," in pages[5]
    assert '<td class="num diff"' in pages[5]
    assert "总分(算) 56.58（差） ≠ 总分(印) 25 · 规则 mof-2020" in pages[5]  # marked: they differ
    # print(card): the official layout perfscore score prints.
    assert shown[6].startswith("项目支出绩效自评表 · 昌吉州工业互联网发展路径分析研究项目\n")
    assert "总分(算) 100.00（优） · 总分(印) 100 · 规则 changji-2023" in shown[6]
    # The findings frame: the errors printed, counts by id and severity.
    assert shown[7].count("与规则计算值") == 4
    assert re.search(r"level1-weights +0 +16 +0", shown[7])
    assert re.search(r"score-mismatch +4 +0 +0", shown[7])
    # An audit report highlighted.
    assert '<tr class="error">' in pages[8]
    assert ".perfscore-repr .perfscore tr.error td{background:#fde2e2}" in pages[8]
    assert "score-mismatch" in pages[8]
    # The batch summary: its repr, and the text perfscore audit ends with.
    assert shown[9].startswith(
        "<BatchSummary 17 tables: 4 errors, 9 warnings, 67 notes; 7 of 16 printed totals 100>\n"
        "== 汇总：17 张表\n"
    )


def comparable(notebook):
    """The outputs as a reader reads them: printed text, values' text and perfscore's
    HTML; pandas' HTML only as there (its markup is pandas', version by version)."""
    cells = []
    for cell in code_cells(notebook):
        outputs = []
        for output in cell.outputs:
            if output.output_type == "stream":
                outputs.append((output.name, output.text))
            elif "data" in output:
                data = dict(output.data)
                if DATAFRAME in data.get("text/html", ""):
                    data["text/html"] = DATAFRAME
                outputs.append((output.output_type, json.dumps(data, sort_keys=True)))
            else:
                outputs.append((output.output_type, ""))
        cells.append((cell.source, cell.execution_count, outputs))
    return cells


def test_stored_outputs_are_those_of_a_fresh_run(executed):
    """The notebook is stored with its outputs (readers see them on GitHub), and they
    are what a run gives today: no stale numbers. Refresh: python tests/test_notebook.py."""
    stored = nbformat.read(NOTEBOOK, as_version=4)
    assert comparable(stored) == comparable(executed)


if __name__ == "__main__":
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    fresh = run(notebook)
    fresh.metadata = notebook.metadata  # the kernel's own details vary machine by machine
    nbformat.write(fresh, NOTEBOOK)
    print(f"stored a fresh run of {NOTEBOOK}")  # noqa: T201 - a script's report

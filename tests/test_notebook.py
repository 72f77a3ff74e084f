import ast
import json
from pathlib import Path

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "notebook.ipynb"


def code_cells():
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    return ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]


def test_notebook_code_cells_run(monkeypatch, capsys):
    """Every code cell of examples/notebook.ipynb runs, in order, as Jupyter would run it."""
    monkeypatch.chdir(NOTEBOOK.parent)
    namespace = {"__name__": "__main__"}
    for source in code_cells():
        tree = ast.parse(source)
        # Like Jupyter, evaluate a last bare expression (the cell's displayed value).
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, str(NOTEBOOK), "exec"), namespace)  # noqa: S102 - our own notebook
        if last is not None:
            eval(compile(ast.Expression(last.value), str(NOTEBOOK), "eval"), namespace)  # noqa: S307
    out = capsys.readouterr().out
    assert "changji-2023 reproduces 13 of 16 printed totals" in out
    assert "执行率 969.45/3519.86 = 27.54%，按比例 27.54% × 10 = 2.75" in out
    assert "== 汇总：17 张表" in out
    assert len(namespace["tables"]) == 17


def test_notebook_has_no_stored_outputs():
    """The notebook is stored without outputs, so it never shows stale numbers."""
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == []
            assert cell["execution_count"] is None

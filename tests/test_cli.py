import subprocess
import sys

import pytest

from perfscore import __version__
from perfscore.cli import main


def test_version(capsys):
    """--version prints the version."""
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"perfscore {__version__}"


def test_help_without_command(capsys):
    """Without a command the help is printed."""
    assert main([]) == 0
    assert "show" in capsys.readouterr().out


def test_show_prints_every_cell_as_read(examples, capsys):
    """show prints the funds block and each row's cells as printed and as read."""
    assert main(["show", str(examples / "02_wine-competition-2022.json")]) == 0
    out = capsys.readouterr().out
    assert "== 2022（新疆昌吉）“一带一路”国际葡萄酒大赛" in out
    assert "年度资金总额        428.71      428.71      421.67      10    98.36%  10.00" in out
    assert ">=700 件       >=700 件" in out
    assert "=1044 件      1044 件" in out
    assert "进一步提高     定性「进一步提高」" in out
    assert "权重合计 100 · 总分（印） 90" in out


def test_show_all_examples(examples, capsys):
    """Every bundled table shows without an unreadable cell."""
    assert main(["show", str(examples)]) == 0
    out = capsys.readouterr().out
    assert out.count("== ") == 17
    assert "无法读取" not in out


def test_bad_input_exits_2_without_traceback(tmp_path, capsys):
    """A missing file or a broken one prints a message and exits 2."""
    assert main(["show", str(tmp_path / "missing.json")]) == 2
    assert "missing.json: no such file or directory" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert main(["show", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "broken.json: not a perfscore table (1 problem)" in err
    assert "Traceback" not in err


def test_module_entry_point(examples):
    """python -m perfscore runs the command."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "perfscore",
            "show",
            str(examples / "01_dept-changji-gongxinju.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "中央安排" in result.stdout

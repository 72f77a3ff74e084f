import argparse
import fcntl
import itertools
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from decimal import Decimal

import pytest

from perfscore import __version__, load, score
from perfscore._text import display_width
from perfscore.cli import _ERRORS, AMBIGUOUS_WIDE_VARIABLE, build_parser, main
from perfscore.profiles import load_profile, loads_profile
from perfscore.render._shape import fund_rows, indicator_rows
from perfscore.render.text import MIN_WIDTH, render_text


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


def test_score_text_shows_computed_next_to_printed(examples, capsys):
    """score prints the official layout with computed next to printed scores, explained."""
    path = str(examples / "04_unit-operation-2023.json")
    assert main(["score", path, "--profile", "changji-2023"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("项目支出绩效自评表 · 2023 年度单位运转类项目资金\n")
    funds = "| 年度资金总额       | 78.00      | 78.00      | 48.08      | 10   | 61.64% | 0.41 |"
    assert funds in out
    assert "执行率 61.64%，得分(算) 0.41，印刷得分 0.41" in out
    assert "| 产出指标   | 数量指标     | 开展培训班               | ≥1 期        | =1%   " in out
    assert "总分(算) 75.41（中） · 总分(印) 75.41 · 规则 changji-2023" in out
    assert "执行率 48.08/78.00 = 61.64%，在 60% 与 90% 之间" in out
    assert "≠" not in out
    assert main(["score", path]) == 0
    out = capsys.readouterr().out
    assert "规则 mof-2020" in out
    # The funds score differs from the print under the national rules: marked.
    assert "执行率 61.64%，得分(算) 6.16 ≠ 印刷得分 0.41" in out


def test_score_json_follows_the_report_format(examples, capsys):
    """score --format json prints the perfscore.report/1 document."""
    assert main(["score", str(examples), "--profile", "changji-2023", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["format"] == "perfscore.report/1"
    assert document["profile"] == "changji-2023"
    assert len(document["tables"]) == 17
    wine = document["tables"][1]
    assert wine["file"].endswith("02_wine-competition-2022.json")
    assert wine["index"] == 0
    assert wine["funds"]["rate"] == "0.983578"
    assert wine["funds"]["score"] == wine["funds"]["printed_score"] == "10.00"
    first = wine["items"][0]
    assert {key: first[key] for key in ("index", "target", "actual", "weight")} == {
        "index": 0,
        "target": ">=700 件",
        "actual": "=1044 件",
        "weight": "10",
    }
    assert (first["score"], first["printed_score"], first["status"]) == ("10.00", "0.00", "met")
    assert (wine["total"], wine["printed_total"], wine["grade"]) == ("100.00", "90", "优")
    reproduced = sum(
        Decimal(table["funds"]["score"]) == Decimal(table["funds"]["printed_score"])
        for table in document["tables"]
    )
    assert reproduced == 17


def test_score_with_a_profile_file(examples, tmp_path, capsys):
    """--profile takes a TOML file."""
    profile = tmp_path / "strict.toml"
    profile.write_text('extends = "mof-2020"\n[quantitative]\nmode = "all-or-nothing"\n', "utf-8")
    path = str(examples / "10_bigdata-platform-project.json")
    assert main(["score", path, "--profile", str(profile), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["profile"] == "strict"
    assert document["tables"][0]["items"][1]["score"] == "0.00"


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        (
            "mof2020",
            (
                "perfscore: unknown rule profile 'mof2020'; built-in profiles: "
                "changji-2023, mof-2020 (or give a .toml file)"
            ),
        ),
        ("nowhere.toml", "perfscore: unknown rule profile 'nowhere.toml'"),
    ],
)
def test_score_unknown_profile_exits_2(examples, profile, message, capsys):
    """An unknown profile is bad input: a message and exit status 2."""
    assert main(["score", str(examples), "--profile", profile]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(message)
    assert captured.out == ""


def test_score_bad_profile_file_lists_problems(examples, tmp_path, capsys):
    """A bad profile file lists every problem with its path, exit status 2."""
    profile = tmp_path / "bad.toml"
    profile.write_text('[execution]\nrule = "linear"\n', "utf-8")
    assert main(["score", str(examples), "--profile", str(profile)]) == 2
    assert capsys.readouterr().err == (
        f"perfscore: {profile}: not a usable rule profile (1 problem)\n"
        "  execution.rule: expected one of 'proportional', 'interval', 'steps', got 'linear'\n"
    )


def test_profiles_lists_builtins(capsys):
    """profiles lists each built-in profile with its title."""
    assert main(["profiles"]) == 0
    out = capsys.readouterr().out
    assert "changji-2023  昌吉州2023年自评表实际做法" in out
    assert "mof-2020      全国通行口径" in out


def test_profiles_show(tmp_path, capsys):
    """profiles show prints the TOML file, or every parameter with --resolved."""
    assert main(["profiles", "show", "changji-2023"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# perfscore rule profile")
    assert 'extends = "mof-2020"' in out
    assert main(["profiles", "show", "changji-2023", "--resolved"]) == 0
    resolved = capsys.readouterr().out
    assert "extends" not in resolved
    assert 'reverse = "ratio"' in resolved
    custom = tmp_path / "mine.toml"
    custom.write_text('extends = "changji-2023"\n', "utf-8")
    assert main(["profiles", "show", str(custom), "--resolved"]) == 0
    assert capsys.readouterr().out.startswith('name = "mine"\n')
    assert main(["profiles", "show", "nope"]) == 2


# A profile as a user writes one: comments on their own lines and beside values, a BOM,
# blank lines, keys in the user's order, and no newline at the end.
COMMENTED = (
    "\ufeff# 某省2024年自评口径：在全国口径上改两处\n"
    'extends = "mof-2020"   # 财预〔2020〕10号\n'
    'sources = ["某省财政厅2024年通知"]\n'
    "\n"
    "[grades]\n"
    "# 省里按 80/70/60 定级\n"
    'levels = [{at = 80, label = "优"}, {at = 70, label = "良"}, {at = 60, label = "中"}]\n'
    "\n"
    "[quantitative]\n"
    'reverse = "linear"  # 见通知第三条'
)


@pytest.mark.parametrize("saved", [COMMENTED, COMMENTED.removeprefix("\ufeff") + "\n"])
def test_profiles_show_prints_a_file_as_written(tmp_path, capsys, saved):
    """profiles show FILE prints the user's file, comments included; --resolved every
    parameter, without them."""
    path = tmp_path / "province.toml"
    path.write_text(saved, "utf-8")
    assert main(["profiles", "show", str(path)]) == 0
    shown = capsys.readouterr().out
    assert shown == saved.removeprefix("\ufeff").removesuffix("\n") + "\n"
    assert "# 省里按 80/70/60 定级\n" in shown
    assert 'reverse = "linear"  # 见通知第三条\n' in shown
    assert main(["profiles", "show", str(path), "--resolved"]) == 0
    resolved = capsys.readouterr().out
    assert "#" not in resolved
    head = 'name = "province"\ntitle = ""\nsources = ["某省财政厅2024年通知"]\n'
    assert resolved.startswith(head)
    assert loads_profile(resolved) == load_profile(path)


def test_profiles_show_refuses_a_file_that_is_no_profile(tmp_path, capsys):
    """A file with a bad parameter is refused with its problems, not printed."""
    path = tmp_path / "bad.toml"
    path.write_text("# 注释\n[rounding]\nplaces = 12\n", "utf-8")
    assert main(["profiles", "show", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"perfscore: {path}: not a usable rule profile (1 problem)\n"
        "  rounding.places: expected a whole number of places from 0 to 10, got 12\n"
    )


def _report(arguments, capsys):
    """Run a command with a JSON report; (status, tables as (file, index), refused, stderr)."""
    status = main([*arguments, "--format", "json", "-q"])
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    tables = [(entry["file"], entry["index"]) for entry in document["tables"]]
    refused = [entry["source"] for entry in document.get("refused", [])]
    return status, tables, refused, captured.err


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("command", ["score", "audit"])
def test_a_broken_input_among_good_ones_is_reported_in_its_place(
    examples, tmp_path, capsys, jobs, command
):
    """Every good table is reported in order, each broken input where it stands, exit 2."""
    good = (examples / "02_wine-competition-2022.json").read_text("utf-8")
    line = json.dumps(json.loads(good), ensure_ascii=False)
    (tmp_path / "a.json").write_text(good, "utf-8")
    (tmp_path / "b.json").write_text("{", "utf-8")
    (tmp_path / "c.jsonl").write_text(f"{line}\n[1]\n{line}\n{{\n{line}", "utf-8")
    (tmp_path / "d.json").write_text(f'[{good}, {{"name": "x"}}, {good}]', "utf-8")
    (tmp_path / "e.csv").write_bytes(b"\x00")
    (tmp_path / "f.json").write_text(good, "utf-8")
    status, tables, refused, err = _report(
        [command, str(tmp_path), str(tmp_path / "missing.json"), "--jobs", jobs], capsys
    )
    name = str(tmp_path)
    assert status == 2
    assert tables == [
        (f"{name}/a.json", 0),
        (f"{name}/c.jsonl", 0),  # a line's place counts the broken lines too
        (f"{name}/c.jsonl", 2),
        (f"{name}/c.jsonl", 4),
        (f"{name}/d.json", 0),
        (f"{name}/d.json", 2),
        (f"{name}/f.json", 0),
    ]
    assert refused == [
        f"{name}/b.json",
        f"{name}/c.jsonl:2",
        f"{name}/c.jsonl:4",
        f"{name}/d.json[1]",
        f"{name}/e.csv",
        f"{name}/missing.json",
    ]
    messages = [line for line in err.splitlines() if line.startswith("perfscore: ")]
    assert messages == [
        *(f"perfscore: {source}: not a perfscore table (1 problem)" for source in refused[:-1]),
        f"perfscore: {name}/missing.json: no such file or directory",
    ]


@pytest.mark.parametrize("bad", [1, 1023, 1024, 1025, 2048, 2100])
def test_a_broken_line_loses_no_line_around_it(examples, tmp_path, capsys, bad):
    """A broken line of a long JSON Lines file (units of 1,024 lines) is reported in its
    place, and every line before and after it, in its unit or the next, is reported."""
    line = json.dumps(
        json.loads((examples / "02_wine-competition-2022.json").read_text("utf-8")),
        ensure_ascii=False,
    )
    lines = [line] * 2100
    lines[bad - 1] = '{"name": "unterminated'
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, tables, refused, err = _report(["score", str(path), "--jobs", "1"], capsys)
    assert status == 2
    assert [index for _, index in tables] == [i for i in range(2100) if i != bad - 1]
    assert refused == [f"{path}:{bad}"]
    assert err == (
        f"perfscore: {path}:{bad}: not a perfscore table (1 problem)\n"
        "  not valid JSON (Unterminated string starting at line 1 column 10)\n"
    )


@pytest.mark.parametrize(
    ("output_format", "note"),
    [
        ("text", "未读入 · {path}: not a perfscore table (1 problem)\n  not valid JSON"),
        ("markdown", "## 未读入\n\n```text\n{path}: not a perfscore table (1 problem)\n"),
        ("html", '<section class="refused"><h2>未读入</h2><p>{path}: not a perfscore table'),
    ],
)
def test_a_report_notes_a_refused_input_where_it_stands(
    examples, tmp_path, capsys, output_format, note
):
    """The text, Markdown and HTML reports carry a 未读入 note in the refused input's place,
    between the tables before and after it."""
    bad = tmp_path / "b.json"
    bad.write_text("{", "utf-8")
    first = examples / "01_dept-changji-gongxinju.json"
    last = examples / "02_wine-competition-2022.json"
    assert main(["audit", str(first), str(bad), str(last), "--format", output_format]) == 2
    out = capsys.readouterr().out
    if output_format == "html":  # the tables, after the summary and the list of them
        out = out[out.index("</details>") :]
    place = out.index(note.format(path=bad))
    assert out.index("昌吉回族自治州工业和信息化局") < place < out.index("国际葡萄酒大赛")


# ---------------------------------------------------------------------------------
# The terminal: width, ambiguous width, help in Chinese, GBK consoles

SEED = "examples/changji-2023/02_wine-competition-2022.json"


def _perfscore(*arguments, env=None):
    """The command in a subprocess with its output piped, as a user's pipe gets it."""
    environment = {key: value for key, value in os.environ.items() if key != "COLUMNS"}
    environment.pop(AMBIGUOUS_WIDE_VARIABLE, None)
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "perfscore", *arguments],
        capture_output=True,
        check=False,
        env={**environment, **(env or {})},
    )


def _on_a_terminal(*arguments, columns, env=None, status=0):
    """The command with its standard output on a pseudo-terminal ``columns`` wide."""
    environment = {key: value for key, value in os.environ.items() if key != "COLUMNS"}
    environment.pop(AMBIGUOUS_WIDE_VARIABLE, None)
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "perfscore", *arguments],
        stdout=follower,
        stderr=subprocess.PIPE,
        env={**environment, **(env or {})},
    )
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 1 << 16)
        except OSError:  # the terminal closed: the command has ended
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert process.stderr is not None
    with process.stderr:
        errors = process.stderr.read()
    assert process.wait() == status, errors
    return output.replace(b"\r\n", b"\n")


def _column_texts(text: str) -> str:
    """Each grid column's lines joined, white space left out, one column a line."""
    columns: dict[tuple[int, int], str] = {}
    block = 0
    for line in text.splitlines():
        if line.startswith("+"):
            block += 1
        elif line.startswith("|"):
            for at, part in enumerate(line[1:-1].split("|")):
                columns[block, at] = columns.get((block, at), "") + "".join(part.split())
    return "\n".join(columns.values())


def _widest(text: str, *, ambiguous_wide: bool = False) -> int:
    return max(display_width(line, ambiguous_wide=ambiguous_wide) for line in text.splitlines())


def test_score_at_width_80_fits_with_every_cell(capsys):
    """The seed table's report at --width 80: every line within 80 columns, cells whole."""
    assert main(["score", SEED, "--profile", "changji-2023", "--width", "80"]) == 0
    out = capsys.readouterr().out
    assert _widest(out) == 80
    card = score(load(SEED)[0], profile="changji-2023")
    for row in [*fund_rows(card), *indicator_rows(card)]:
        for cell in row:  # each cell, folded in its column: its text read down the column
            assert "".join(cell.split()) in _column_texts(out)
    assert (
        "|产出|数量指|参赛样品数量    |>=700 件 |=1044 件|10  |0.00 |10.00 |预算目标值把|\n"
        "|指标|标    |                |         |        |    |     |≠     |握不准确，导|\n"
    ) in out
    assert out.startswith("项目支出绩效自评表 · 2022（新疆昌吉）“一带一路”国际葡萄酒大赛\n")


@pytest.mark.parametrize("command", ["show", "score", "audit", "fit"])
def test_every_text_command_takes_a_width(command, capsys):
    """show, score, audit and fit fold their text to --width."""
    main([command, "examples/changji-2023", "--width", "80"])
    assert _widest(capsys.readouterr().out) <= 80
    main([command, "examples/changji-2023", "--width", "120"])
    assert 80 < _widest(capsys.readouterr().out) <= 120


def test_the_profile_list_takes_a_width(capsys):
    """perfscore profiles folds its list to --width too, every word of it kept."""
    main(["profiles"])
    plain = capsys.readouterr().out
    main(["profiles", "--width", "80"])
    narrow = capsys.readouterr().out
    assert _widest(plain) > 80
    assert _widest(narrow) <= 80
    # The columns fold side by side, so the same characters, in another order.
    assert sorted("".join(narrow.split())) == sorted("".join(plain.split()))
    assert narrow.splitlines()[1].startswith("changji-2023  ")


def test_piped_output_keeps_the_fixed_layout_even_with_columns_set():
    """A pipe gets the layout a file gets (143 columns for the seed), COLUMNS or not."""
    plain = _perfscore("score", SEED, "--profile", "changji-2023")
    columns = _perfscore("score", SEED, "--profile", "changji-2023", env={"COLUMNS": "80"})
    assert plain.returncode == columns.returncode == 0
    assert columns.stdout == plain.stdout
    assert _widest(plain.stdout.decode()) == 143
    narrow = _perfscore("score", SEED, "--profile", "changji-2023", "--width", "80")
    assert _widest(narrow.stdout.decode()) == 80


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX pseudo-terminal")
def test_a_terminal_gets_its_own_width():
    """On a terminal the layout takes its width; COLUMNS, when set, is the width."""
    out = _on_a_terminal("score", SEED, "--profile", "changji-2023", columns=90).decode()
    assert 80 < _widest(out) <= 90
    out = _on_a_terminal(
        "score", SEED, "--profile", "changji-2023", columns=90, env={"COLUMNS": "100"}
    ).decode()
    assert 90 < _widest(out) <= 100
    out = _on_a_terminal("score", SEED, "--profile", "changji-2023", columns=40).decode()
    assert _widest(out) == MIN_WIDTH  # narrower than the least: laid out at the least


def test_a_width_below_the_least_is_a_usage_error():
    """--width under MIN_WIDTH is refused with the least width named."""
    result = _perfscore("score", SEED, "--width", "60")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines()[-1] == (
        "perfscore score: error: argument --width: expected a width of at least 72 columns, "
        "got '60'"
    )


@pytest.mark.parametrize(
    ("arguments", "env"),
    [
        (["--ambiguous-wide"], {}),
        ([], {AMBIGUOUS_WIDE_VARIABLE: "1"}),
        ([], {AMBIGUOUS_WIDE_VARIABLE: "yes"}),
    ],
)
def test_ambiguous_characters_wide_by_option_or_variable(arguments, env):
    """--ambiguous-wide or PERFSCORE_AMBIGUOUS_WIDE=1: ≠ counts two columns, rows align."""
    base = ["score", SEED, "--profile", "changji-2023", "--width", "80"]
    wide = _perfscore(*base, *arguments, env=env).stdout.decode()
    narrow = _perfscore(*base).stdout.decode()
    card = score(load(SEED)[0], profile="changji-2023")
    # The table, then the batch summary (laid out at the same width).
    assert wide.startswith(render_text(card, source=SEED, width=80, ambiguous_wide=True) + "\n\n")
    assert narrow.startswith(render_text(card, source=SEED, width=80) + "\n\n")
    assert "\n== 汇总：1 张表\n" in wide
    assert wide != narrow
    funds, indicators = (
        list(lines)
        for in_grid, lines in itertools.groupby(
            wide.splitlines(), lambda line: line[:1] in {"|", "+"}
        )
        if in_grid
    )
    assert len({display_width(line, ambiguous_wide=True) for line in funds}) == 1
    assert len({display_width(line, ambiguous_wide=True) for line in indicators}) == 1
    assert len({display_width(line) for line in indicators}) == 2  # counted narrow: out
    assert _widest(wide, ambiguous_wide=True) <= 80


def test_ambiguous_variable_off():
    """PERFSCORE_AMBIGUOUS_WIDE=0 (or empty) leaves them narrow."""
    base = ["score", SEED, "--profile", "changji-2023"]
    assert _perfscore(*base, env={AMBIGUOUS_WIDE_VARIABLE: "0"}).stdout == _perfscore(*base).stdout


def _parsers(parser):
    yield parser
    for action in parser._actions:  # noqa: SLF001 - every subcommand's parser
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            for sub in action.choices.values():
                yield from _parsers(sub)


_CJK = re.compile("[\u4e00-\u9fff]")


def test_every_description_and_option_help_is_in_chinese():
    """Each command's description and each option's help are Chinese; names stay."""
    parsers = list(_parsers(build_parser()))
    assert len(parsers) == 8
    for parser in parsers:
        assert _CJK.search(parser.description or ""), parser.prog
        for action in parser._actions:  # noqa: SLF001
            if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
                continue  # its commands' help, each checked as the command's parser
            if action.help is not argparse.SUPPRESS:
                assert _CJK.search(action.help or ""), (parser.prog, action.option_strings)


def test_help_words_of_argparse_in_chinese(capsys):
    """usage:, options:, positional arguments: and -h's help are in Chinese too."""
    with pytest.raises(SystemExit):
        main(["score", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：perfscore score [-h] [--profile NAME|FILE]")
    assert "\n位置参数：\n" in out
    assert "\n选项：\n" in out
    assert "  -h, --help            显示本帮助并退出\n" in out
    assert "  --width N             文本版式的宽度" in out
    for english in ("usage:", "options:", "positional arguments:", "show this help"):
        assert english not in out


@pytest.mark.parametrize("command", ["", "show", "score", "audit", "convert", "fit", "profiles"])
def test_help_on_a_gbk_console(command):
    """PYTHONIOENCODING=gbk perfscore [COMMAND] --help: every character is GBK."""
    result = _perfscore(*command.split(), "--help", env={"PYTHONIOENCODING": "gbk"})
    assert result.returncode == 0
    text = result.stdout.decode("gbk")  # strict: nothing GBK lacks
    assert text.startswith("用法：perfscore")


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX pseudo-terminal")
def test_a_gbk_terminal_spells_what_gbk_lacks():
    """On a GBK terminal − (not in GBK) is written -, ≥ ≤ × ≠ · “ ” as they are; no crash."""
    out = _on_a_terminal(
        "audit",
        "examples/changji-2023/04_unit-operation-2023.json",
        "examples/changji-2023/02_wine-competition-2022.json",
        "--profile",
        "changji-2023",
        columns=200,
        env={"PYTHONIOENCODING": "gbk"},
        status=1,
    ).decode("gbk")
    assert "按 (61.64% - 60%)/(100% - 60%) × 10 = 0.41" in out
    assert "| 10.00 ≠  |" in out
    assert "“一带一路”" in out


def test_spelt_otherwise_keeps_the_width():
    """What a GBK terminal cannot show is spelt as wide as it is: ? or ？ (alignment holds)."""
    assert "a−😀b".encode("gbk", errors=_ERRORS) == "a-？b".encode("gbk")
    assert "\U00020000".encode("gbk", errors=_ERRORS) == "？".encode("gbk")
    assert "\u0100".encode("gbk", errors=_ERRORS) == b"?"

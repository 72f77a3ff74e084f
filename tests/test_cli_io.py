import csv
import io
import json
import os
import signal
import stat
import subprocess
import sys
import threading
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfscore import TableFormatError, audit, load
from perfscore import testing as perfscore_testing
from perfscore.cli import Progress, main

WINE = "02_wine-competition-2022.json"


def run(*arguments, stdin=b""):
    """Run the installed command in a subprocess, as a user would."""
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "perfscore", *arguments],
        input=stdin,
        capture_output=True,
        check=False,
    )


# ---------------------------------------------------------------------------------
# Errors a person sees


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bad.json",
            b'{"name": "x", "indicators": [',
            (
                "perfscore: {path}: not a perfscore table (1 problem)\n"
                "  not valid JSON (Expecting value at line 1 column 30)\n"
            ),
        ),
        (
            "empty.json",
            b"",
            (
                "perfscore: {path}: not a perfscore table (1 problem)\n"
                "  not valid JSON (Expecting value at line 1 column 1)\n"
            ),
        ),
        (
            "binary.json",
            b"\x7fELF\x02\x01\x01\x00\x00\x00\xd0\x8f",
            (
                "perfscore: {path}: not a perfscore table (1 problem)\n"
                "  binary data, not JSON text (a NUL byte at byte 7)\n"
            ),
        ),
        (
            "latin.json",
            b'{"name": "caf\xe9"}',
            (
                "perfscore: {path}: not a perfscore table (1 problem)\n"
                "  not UTF-8 text (byte 13: b'\\xe9')\n"
            ),
        ),
        (
            "nan.json",
            (
                b'{"name": "x", "indicators": [{"level1": "a", "level2": "b", "level3": "c", '
                b'"target": NaN, "actual": "1", "weight": "1"}]}'
            ),
            (
                "perfscore: {path}: not a perfscore table (1 problem)\n"
                "  not valid JSON (NaN is not a number a table can hold)\n"
            ),
        ),
        (
            "deep.json",
            b"[" * 100_000 + b"]" * 100_000,
            (
                "perfscore: {path}: not a perfscore table (1 problem)\n"
                "  not valid JSON (maximum recursion depth exceeded while decoding a JSON array "
                "from a unicode string)\n"
            ),
        ),
        (
            "headers.csv",
            "名称,类型\nx,y\n".encode(),
            (
                "perfscore: {path}: not a perfscore table (2 problems)\n"
                "  line 1: no 项目名称 (name) column\n"
                "  line 1: no 行类型 (record) column\n"
            ),
        ),
        (
            "empty.csv",
            b"",
            "perfscore: {path}: not a perfscore table (1 problem)\n  the file is empty\n",
        ),
        (
            "binary.csv",
            b"\x7fELF\x02\x01\x01\x00\x00\x00",
            (
                "perfscore: {path}: not a perfscore table (1 problem)\n"
                "  binary data, not CSV text (a NUL byte at byte 7)\n"
            ),
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and value.endswith((".json", ".csv")) else "",
)
def test_broken_inputs_name_the_file_and_exit_2(tmp_path, name, content, message):
    """Each broken input gets one clear message naming the file, exit 2, no traceback.

    A report notes it too, where it stands (未读入); ``show`` only shows tables.
    """
    path = tmp_path / name
    path.write_bytes(content)
    for command in ("score", "audit", "show"):
        result = run(command, str(path))
        assert result.returncode == 2
        expected = message.format(path=path)
        assert result.stderr.decode() == expected
        noted = "" if command == "show" else "未读入 · " + expected.removeprefix("perfscore: ")
        counted = "== 汇总：0 张表，未读入 1 处输入\n"
        assert (
            result.stdout.decode()
            == {
                "show": "",
                "score": noted + "\n" + counted,
                "audit": noted + "\n" + counted + "   错误 0 · 警告 0 · 提示 0\n",
            }[command]
        )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["score", "missing.json"], "perfscore: missing.json: no such file or directory\n"),
        (
            ["audit", "{examples}", "--profile", "nope"],
            (
                "perfscore: unknown rule profile 'nope'; built-in profiles: changji-2023, "
                "mof-2020 (or give a .toml file)\n"
            ),
        ),
        (
            ["convert", "{examples}", "--to", "csv", "--profile", "x"],
            (
                "用法：perfscore [-h] [--version] [--debug] COMMAND ...\n"
                "perfscore: error: unrecognized arguments: --profile x\n"
            ),
        ),
    ],
)
def test_usage_errors_exit_2(examples, arguments, message):
    """Missing files, unknown profiles and bad options exit 2 with one message."""
    result = run(*(argument.format(examples=examples) for argument in arguments))
    assert result.returncode == 2
    assert result.stderr.decode() == message
    assert b"Traceback" not in result.stderr


def test_hostile_values_become_findings(tmp_path):
    """Absurd numbers load as cells or findings: no hang, no traceback, no wrong score."""
    rows = [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "level3": f"x{index}",
            "target": ">=1 个",
            "actual": actual,
            "weight": weight,
        }
        for index, (actual, weight) in enumerate(
            [("1 个", "9" * 5000), ("1 个", "-5"), ("1" + "0" * 80 + " 个", "10"), ("1 个", "1e5")]
        )
    ]
    text = json.dumps({"name": "hostile", "indicators": rows})
    text = text.replace('"1e5"', "1e999999999")
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    result = run("audit", str(path), "--format", "json")
    assert result.returncode == 1
    document = json.loads(result.stdout)
    findings = {(f["where"], f["id"]) for f in document["tables"][0]["findings"]}
    assert ("indicators[1]", "negative-value") in findings
    assert ("indicators[0]", "unparsed-cell") in findings  # more digits than a cell holds
    assert ("indicators[2]", "unparsed-cell") in findings
    assert ("indicators[3]", "unparsed-cell") in findings
    items = document["tables"][0]["items"]
    assert [item["score"] for item in items] == [None, None, None, None]
    assert items[3]["weight"] == "1E+999999999"


# ---------------------------------------------------------------------------------
# Formats, files and standard input


def test_convert_round_trip_json_csv_json(examples, tmp_path):
    """JSON → CSV → JSON gives equal tables, every cell verbatim."""
    csv_path, json_path = tmp_path / "all.csv", tmp_path / "all.json"
    assert main(["convert", str(examples), "--to", "csv", "--output", str(csv_path)]) == 0
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert main(["convert", str(csv_path), "--to", "json", "--output", str(json_path)]) == 0
    original = [table.to_dict() for table in load(examples)]
    assert [table.to_dict() for table in load(json_path)] == original
    assert [table.to_dict() for table in load(csv_path)] == original
    assert json.loads(json_path.read_text("utf-8"))[1]["indicators"][0]["actual"] == "=1044 件"


def test_convert_one_table_to_json_object(examples, capsysbinary):
    """Converting a single table writes one JSON object, not an array."""
    assert main(["convert", str(examples / WINE), "--to", "json"]) == 0
    document = json.loads(capsysbinary.readouterr().out)
    assert document["name"] == "2022（新疆昌吉）“一带一路”国际葡萄酒大赛"


def test_bundled_csv_example_equals_the_json_tables(examples):
    """examples/changji-2023.csv holds the same 17 tables as the JSON files."""
    from_csv = load(examples.parent / "changji-2023.csv")
    assert [t.to_dict() for t in from_csv] == [t.to_dict() for t in load(examples)]


def test_stdin_reads_json_and_csv(examples):
    """- reads standard input, JSON or CSV by its first character."""
    raw = (examples / WINE).read_bytes()
    result = run("score", "-", "--format", "json", stdin=raw)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["tables"][0]["file"] == "<stdin>"
    csv_bytes = run("convert", "-", "--to", "csv", stdin=raw).stdout
    result = run("audit", "-", "--format", "csv", "--profile", "changji-2023", stdin=csv_bytes)
    assert result.returncode == 1
    rows = list(csv.reader(io.StringIO(result.stdout.decode("utf-8-sig"), newline="")))
    assert rows[0][:4] == ["file", "table_index", "origin", "table"]
    row = dict(zip(rows[0], rows[2], strict=True))
    assert (row["file"], row["where"], row["findings"]) == (
        "<stdin>",
        "indicators[0]",
        "score-mismatch;overshoot",
    )
    assert row["place"] == ""  # no place: not a document


@pytest.mark.parametrize("output_format", ["text", "markdown", "html", "json", "csv"])
def test_every_format_writes_every_table(examples, tmp_path, output_format):
    """Each output format writes all 17 tables, to a file with --output."""
    path = tmp_path / f"out.{output_format}"
    code = main(
        [
            "audit",
            str(examples),
            "--profile",
            "changji-2023",
            "--format",
            output_format,
            "--output",
            str(path),
        ]
    )
    assert code == 1
    text = path.read_text("utf-8-sig")
    if output_format == "json":
        assert len(json.loads(text)["tables"]) == 17
    elif output_format == "csv":
        assert len({line.split(",")[0] for line in text.splitlines()[1:]}) == 17
    else:
        assert text.count("绩效自评表") >= 17
    if output_format != "csv":
        assert "参赛样品数量" in text


class _Structure(HTMLParser):
    """Checks a page is well formed and counts its table cells per row."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link"})

    def __init__(self):
        super().__init__()
        self.stack = []
        self.rows = []
        self.spans = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag == "tr":
            self.rows.append(0)
        if tag in {"td", "th"}:
            self.rows[-1] += 1
            rowspan = int(dict(attrs).get("rowspan", "1"))
            if rowspan > 1:
                self.spans.append(rowspan)

    def handle_endtag(self, tag):
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1]}>"
        self.stack.pop()


def test_html_page_is_standalone_and_well_formed(examples, tmp_path):
    """The HTML page has inline CSS, no external assets, balanced tags and full rows."""
    path = tmp_path / "page.html"
    main(
        [
            "audit",
            str(examples / WINE),
            "--profile",
            "changji-2023",
            "--format",
            "html",
            "--output",
            str(path),
        ]
    )
    page = path.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page
    assert "@media print" in page
    for external in ("src=", "@import", "url("):
        assert external not in page
    # Links only within the page: from the summary and the list to the tables.
    assert page.count("href=") == page.count('href="#')
    assert page.count('href="#') == 3  # the list, the tables whose totals differ, the ranking
    parser = _Structure()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    assert 'class="error"' in page  # the row with the score mismatch is highlighted
    assert "规则 changji-2023" in page


def test_progress_line_for_long_batches():
    """The progress line appears past the threshold, with count, rate and time left."""
    stream = io.StringIO()
    progress = Progress(10, stream=stream, threshold=5, interval=0)
    progress.update(0, 4)
    assert stream.getvalue() == ""
    progress.update(5, 500)
    line = stream.getvalue()
    assert line.startswith("perfscore: 500 tables, ")
    assert "tables/s, file 5/10, about " in line
    assert line.endswith(" left\n")
    quiet = io.StringIO()
    Progress(10, stream=quiet, threshold=0, interval=0, quiet=True).update(5, 500)
    assert quiet.getvalue() == ""


def test_a_table_of_100000_rows(tmp_path):
    """A table with 100,000 rows loads, scores and audits: no hang, no wrong score."""
    rows = ",".join(
        f'{{"level1": "产出指标", "level2": "数量指标", "level3": "指标{index}", '
        f'"target": ">=10 个", "actual": "{index % 20} 个", "weight": "1"}}'
        for index in range(100_000)
    )
    path = tmp_path / "big.json"
    path.write_text('{"name": "大表", "indicators": [' + rows + "]}", encoding="utf-8")
    [table] = load(path)
    report = audit(table, profile="mof-2020")
    # Half the rows reach 10 个 (1.00 each); the rest score a/10: 0.00 … 0.90.
    assert report.scorecard.total == Decimal("72500.00")
    assert [f.id for f in report.at_least("error")] == ["weights-not-100"]


# ---------------------------------------------------------------------------------
# Outputs: never onto an input, replaced only when complete


def _seed_copy(examples, tmp_path, name="t.json"):
    path = tmp_path / name
    path.write_bytes((examples / WINE).read_bytes())
    return path


@pytest.mark.parametrize(
    "arguments",
    [
        ["score", "{input}", "-o", "{output}"],
        ["audit", "{input}", "--format", "json", "-o", "{output}"],
        ["convert", "{input}", "--to", "csv", "-o", "{output}"],
        ["convert", "{input}", "--to", "json", "-o", "{output}"],
        ["fit", "{input}", "--save-profile", "{output}"],
        ["score", "{examples}", "{input}", "-o", "{output}"],
        ["score", "{examples}", "--profile", "{output}", "-o", "{output}"],
    ],
)
@pytest.mark.parametrize("through", ["same name", "a link", "a relative path"])
def test_an_output_that_is_an_input_is_refused_before_anything_is_read(
    examples, tmp_path, monkeypatch, capsys, arguments, through
):
    """Writing onto an input (by name, a link or another path to it) is refused, exit 2,
    and the input is left byte for byte as it was."""
    source = _seed_copy(examples, tmp_path)
    if "--profile" in arguments:
        source.write_text('extends = "mof-2020"\n', "utf-8")
    before = source.read_bytes()
    output = {"same name": source, "a link": tmp_path / "link.json", "a relative path": None}[
        through
    ]
    if through == "a link":
        output.symlink_to(source)
    if through == "a relative path":
        monkeypatch.chdir(tmp_path)
        output = "./sub/../t.json"
        (tmp_path / "sub").mkdir()
    filled = [part.format(input=source, output=output, examples=examples) for part in arguments]
    assert main(filled) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"perfscore: {output}: the output is also an input")
    assert err.endswith("write to another file (nothing was read or written)\n")
    assert source.read_bytes() == before


def test_a_directory_input_never_reads_the_runs_own_output(examples, tmp_path):
    """An output inside an input directory is left out of the inputs, run after run."""
    folder = tmp_path / "tables"
    folder.mkdir()
    _seed_copy(examples, folder, "a.json")
    _seed_copy(examples, folder, "b.json")
    out = folder / "out.json"
    assert main(["convert", str(folder), "--to", "json", "-o", str(out)]) == 0
    first = out.read_bytes()
    assert len(json.loads(first)) == 2
    assert main(["convert", str(folder), "--to", "json", "-o", str(out)]) == 0
    assert out.read_bytes() == first
    assert sorted(path.name for path in folder.iterdir()) == ["a.json", "b.json", "out.json"]


def test_a_failed_run_leaves_the_output_file_as_it_was(examples, tmp_path, monkeypatch, capsys):
    """Output goes to a temporary file renamed over the target only when complete: a run
    that fails half way leaves the old file, and no temporary file behind."""
    from perfscore import cli  # noqa: PLC0415

    out = tmp_path / "report.txt"
    out.write_text("the old report", "utf-8")
    calls = []

    def failing(table, *, profile):
        calls.append(table)
        if len(calls) == 3:
            raise RuntimeError("disk on fire")
        return cli.score(table, profile=profile)

    monkeypatch.setattr(cli, "score", failing)
    assert main(["score", str(examples), "-o", str(out)]) == 70
    assert "internal error" in capsys.readouterr().err
    assert out.read_text("utf-8") == "the old report"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.txt"]


def test_a_new_output_file_gets_the_usual_mode_and_an_old_one_keeps_its_own(examples, tmp_path):
    """The temporary file does not leave its private mode on the output."""
    new = tmp_path / "new.txt"
    umask = os.umask(0o022)
    try:
        assert main(["score", str(examples / WINE), "-o", str(new)]) == 0
    finally:
        os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o644
    old = tmp_path / "old.txt"
    old.write_text("", "utf-8")
    old.chmod(0o600)
    assert main(["score", str(examples / WINE), "-o", str(old)]) == 0
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    assert old.read_text("utf-8").startswith("项目支出绩效自评表")


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("/dev/full", "perfscore: /dev/full: no space left on device\n"),
        (
            "{tmp}/missing/report.txt",
            "perfscore: {tmp}/missing/report.txt: no such file or directory\n",
        ),
        ("{tmp}", "perfscore: {tmp}: is a directory\n"),
    ],
)
def test_an_output_that_cannot_be_written_is_named(examples, tmp_path, capsys, output, message):
    """An output the system refuses is named in the message (not a temporary file)."""
    output = output.format(tmp=tmp_path)
    if output == "/dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    assert main(["score", str(examples / WINE), "-o", output]) == 2
    assert capsys.readouterr().err == message.format(tmp=tmp_path)
    assert sorted(tmp_path.iterdir()) == []


def test_devices_are_written_in_place(examples):
    """A device such as /dev/null is written to, not replaced."""
    assert main(["score", str(examples / WINE), "-o", os.devnull]) == 0
    assert Path(os.devnull).exists()
    assert not Path(os.devnull).is_file()


# ---------------------------------------------------------------------------------
# Encodings: every report arrives whole on any console


@pytest.mark.parametrize("encoding", ["gbk", "gb2312", "cp936", "ascii", "latin-1"])
@pytest.mark.parametrize("output_format", ["text", "markdown"])
def test_text_reports_arrive_whole_on_any_console_encoding(examples, encoding, output_format):
    """On a GBK console (Chinese Windows without UTF-8 mode) the text layouts are written
    in GB18030, which encodes every character; other encodings escape what they lack."""
    expected = run("audit", str(examples), "--profile", "changji-2023", "--format", output_format)
    assert expected.returncode == 1
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "perfscore",
            "audit",
            str(examples),
            "--profile",
            "changji-2023",
            "--format",
            output_format,
        ],
        capture_output=True,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": encoding, "PYTHONUTF8": "0"},
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr == b""
    if encoding in {"gbk", "gb2312", "cp936"}:
        assert result.stdout.decode("gb18030") == expected.stdout.decode("utf-8")
    else:
        text = result.stdout.decode(encoding)
        assert text.encode(encoding).decode("unicode_escape", "replace")
        assert len(text.splitlines()) == len(expected.stdout.decode("utf-8").splitlines())


@pytest.mark.parametrize("output_format", ["csv", "json", "html"])
def test_machine_formats_are_utf8_whatever_the_console(examples, output_format):
    """CSV, JSON and HTML are UTF-8 on every route, whatever the console's encoding."""
    plain = run("score", str(examples), "--format", output_format)
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "perfscore", "score", str(examples), "--format", output_format],
        capture_output=True,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "gbk"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == plain.stdout
    result.stdout.decode("utf-8")


def test_messages_on_a_gbk_console_never_fail(tmp_path):
    """An error message holding characters GBK lacks reaches a GBK stderr whole."""
    path = tmp_path / "坏−表.json"
    path.write_text("{", "utf-8")
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "perfscore", "show", str(path)],
        capture_output=True,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "gbk"},
    )
    assert result.returncode == 2
    assert result.stderr.decode("gb18030").startswith(f"perfscore: {path}: not a perfscore table")


# ---------------------------------------------------------------------------------
# Crashes: a bug is said to be one, with a code of its own


def test_an_unexpected_exception_is_a_bug_with_its_own_exit_status(examples, monkeypatch, capsys):
    """A crash exits 70, not 1 (findings) or 2 (bad input), with one line saying it is a
    bug in perfscore; --debug adds the traceback."""
    from perfscore import cli  # noqa: PLC0415

    def broken(table, *, profile, memo):  # noqa: ARG001 - audit's signature
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "audit", broken)
    assert main(["audit", str(examples / WINE)]) == 70
    err = capsys.readouterr().err
    assert err.startswith("perfscore: internal error, a bug in perfscore ")
    assert "(ZeroDivisionError: division by zero); run with --debug for the traceback." in err
    assert len(err.splitlines()) == 1
    assert main(["audit", str(examples / WINE), "--debug"]) == 70
    err = capsys.readouterr().err
    assert "Traceback (most recent call last):" in err
    assert main(["--debug", "audit", str(examples / WINE)]) == 70
    assert "Traceback (most recent call last):" in capsys.readouterr().err


def test_a_worker_that_dies_is_reported_as_a_bug(examples, monkeypatch, capsys):
    """A worker process killed under --jobs is reported in one line, exit 70."""
    from perfscore import cli  # noqa: PLC0415

    def dying(table, *, profile, memo):  # noqa: ARG001 - score's signature
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(cli, "score", dying)
    assert main(["score", str(examples), "--jobs", "2"]) == 70
    err = capsys.readouterr().err
    assert "a worker process stopped unexpectedly" in err
    assert "BrokenProcessPool" not in err
    assert len(err.splitlines()) == 1


# ---------------------------------------------------------------------------------
# --jobs, and paths


@pytest.mark.parametrize("jobs", ["0", "-1", "two", "1.5"])
def test_jobs_must_be_a_positive_count(examples, capsys, jobs):
    """--jobs 0 or -1 is a usage error, not silently 1."""
    with pytest.raises(SystemExit) as stopped:
        main(["score", str(examples), "--jobs", jobs])
    assert stopped.value.code == 2
    assert f"argument --jobs/-j: expected a whole number of at least 1, got '{jobs}'" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize(("jobs", "files"), [(1000, 6), (1000, 1), (2, 6), (3, 2)])
def test_never_more_workers_than_work_or_cores(examples, tmp_path, monkeypatch, jobs, files):
    """Workers are at most the tasks to share and the machine's cores; none for one task."""
    from perfscore import batch, cli  # noqa: PLC0415

    started = []

    class Recording(batch.ProcessPoolExecutor):
        def __init__(self, max_workers):
            started.append(max_workers)
            super().__init__(max_workers=max_workers)

    monkeypatch.setattr(batch, "ProcessPoolExecutor", Recording)
    monkeypatch.setattr(cli, "default_jobs", lambda: 4)
    for number in range(files):
        _seed_copy(examples, tmp_path, f"{number}.json")
    assert main(["score", str(tmp_path), "--jobs", str(jobs), "-o", os.devnull]) == 0
    expected = min(jobs, 4, files)
    assert started == ([] if expected <= 1 else [expected])


def test_a_glob_through_a_link_loop_reads_each_file_once(examples, tmp_path, capsys):
    """However many links and patterns lead to a file, it is read once."""
    folder = tmp_path / "tables"
    folder.mkdir()
    _seed_copy(examples, folder, "a.json")
    (folder / "loop").symlink_to(folder)
    (folder / "alias.json").symlink_to(folder / "a.json")
    status, tables = (
        main(
            [
                "score",
                f"{folder}/**/*.json",
                str(folder),
                str(folder / "a.json"),
                "--format",
                "json",
            ]
        ),
        None,
    )
    assert status == 0
    tables = json.loads(capsys.readouterr().out)["tables"]
    assert [entry["file"] for entry in tables] == [f"{folder}/a.json"]


def test_a_named_pipe_is_read_as_a_stream(examples, tmp_path, capsys):
    """A named pipe (a shell's <(…)) is read like standard input."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    raw = (examples / WINE).read_bytes()

    def feed():
        with pipe.open("wb") as stream:
            stream.write(raw)

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        assert main(["score", str(pipe), "--format", "json"]) == 0
    finally:
        writer.join()
    [entry] = json.loads(capsys.readouterr().out)["tables"]
    assert entry["file"] == str(pipe)


def test_what_a_path_is_is_said(examples, tmp_path, capsys, monkeypatch):
    """A socket, a device or an unreadable directory is named for what it is."""
    import socket  # noqa: PLC0415

    from perfscore.io import files as loader  # noqa: PLC0415

    address = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(address))
    try:
        assert main(["score", str(address)]) == 2
        assert capsys.readouterr().err == f"perfscore: {address}: a socket, not a file of tables\n"
    finally:
        server.close()
    assert main(["score", "/dev/zero"]) == 2
    assert capsys.readouterr().err == (
        "perfscore: /dev/zero: a character device (for standard input, give -), "
        "not a file of tables\n"
    )
    folder = tmp_path / "tables"
    (folder / "locked").mkdir(parents=True)
    _seed_copy(examples, folder, "a.json")
    real_walk = os.walk

    def walk(top, onerror=None):  # as os.walk does on a directory it may not list
        for root, dirs, files in real_walk(top, onerror=onerror):
            if root.endswith("locked"):
                onerror(PermissionError(13, "Permission denied", root))
                continue
            yield root, dirs, files

    monkeypatch.setattr(loader.os, "walk", walk)
    assert main(["score", str(folder), "-o", os.devnull]) == 2
    assert capsys.readouterr().err == f"perfscore: {folder}/locked: permission denied\n"


# ---------------------------------------------------------------------------------
# CSV: one choice on every route


def test_csv_is_the_same_bytes_on_every_route(examples, tmp_path, capsysbinary):
    """CSV starts with a UTF-8 byte order mark whether it goes to a file or stdout."""
    out = tmp_path / "out.csv"
    for arguments in (
        ["score", str(examples), "--format", "csv"],
        ["convert", str(examples), "--to", "csv"],
    ):
        assert main(arguments) == 0
        stdout = capsysbinary.readouterr().out
        assert main([*arguments, "-o", str(out)]) == 0
        assert out.read_bytes() == stdout
        assert stdout.startswith(b"\xef\xbb\xbf")
        assert not stdout.startswith(b"\xef\xbb\xbf" * 2)


# ---------------------------------------------------------------------------------
# One rule for both directions: what loads converts and reads back equal


HOSTILE_TEXT = st.one_of(
    st.sampled_from(
        [
            "长" * 200_000,
            "\x00",
            "a\x00b",
            "\ud800",
            "示\udfff例",
            '"' * 50,
            "line\nbreak\r\nand\rmore",
            "=1044 件",
            "+cmd|' /C calc'!A0",
            '="x"',
            "10.00",
            "",
            " ",
        ]
    ),
    st.text(),  # any characters, NUL included (surrogates come from the list above)
)


def _texts(value):
    """Every string in decoded JSON data."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _escaped_json(data):
    """JSON text for data that may hold lone surrogates (written as escapes, as JSON can)."""
    return json.dumps(data, ensure_ascii=True)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=perfscore_testing.table_dicts(max_rows=3), draw=st.data())
def test_every_table_that_loads_converts_and_reads_back_equal(tmp_path, data, draw):
    """Hostile cell text (NUL, lone surrogates, 200,000 characters, line breaks,
    quotes, formula-like cells) either makes the load refuse the table, naming the
    place, or converts to JSON and to CSV and reads back equal, through the command."""
    places = [("name",), ("department",)] + [
        ("indicators", index, key)
        for index in range(len(data["indicators"]))
        for key in ("level1", "level3", "target", "actual", "weight", "score")
    ]
    for place in draw.draw(st.lists(st.sampled_from(places), max_size=3), label="places"):
        holder = data
        for part in place[:-1]:
            holder = holder[part]
        holder[place[-1]] = draw.draw(HOSTILE_TEXT, label=str(place))
    source = tmp_path / "in.json"
    source.write_text(_escaped_json(data), "utf-8")
    refusable = any(
        character == "\x00" or "\ud800" <= character <= "\udfff"
        for text in _texts(data)
        for character in text
    )
    if refusable:
        with pytest.raises(TableFormatError) as refused:
            load(source)
        assert all(problem.problem.startswith("holds U+") for problem in refused.value.exceptions)
        return
    tables = load(source)
    for to in ("json", "csv"):
        out = tmp_path / f"out.{to}"
        assert main(["convert", str(source), "--to", to, "-o", str(out)]) == 0
        assert load(out) == tables
        again = tmp_path / f"again.{to}"
        assert main(["convert", str(out), "--to", to, "-o", str(again)]) == 0
        assert again.read_bytes() == out.read_bytes()

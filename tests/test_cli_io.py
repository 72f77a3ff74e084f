import io
import json
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from perfscore import audit, load
from perfscore.cli import main
from perfscore.output import Progress

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
)
def test_broken_inputs_name_the_file_and_exit_2(tmp_path, name, content, message):
    """Each broken input gets one clear message naming the file, exit 2, no traceback."""
    path = tmp_path / name
    path.write_bytes(content)
    for command in ("score", "audit", "show"):
        result = run(command, str(path))
        assert result.returncode == 2
        assert result.stdout == b""
        assert result.stderr.decode() == message.format(path=path)


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
                "usage: perfscore [-h] [--version] COMMAND ...\n"
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
    lines = result.stdout.decode().splitlines()
    assert lines[0].startswith("file,table_index,table,profile,where,path")
    assert lines[2].endswith(",score-mismatch;overshoot")


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
    for external in ("src=", "href=", "@import", "url("):
        assert external not in page
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

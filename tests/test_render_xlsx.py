"""The workbook (``--format xlsx``), opened with openpyxl as a re-checker's script would.

The last test prints it with LibreOffice, as a person would, and reads the PDF back;
it skips when LibreOffice is not installed (``.ci/run`` installs it).
"""

import io
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfscore import audit, load, score
from perfscore.cells import Figure, parse_figure
from perfscore.cli import main
from perfscore.errors import InvalidCell, MissingExtraError
from perfscore.findings import CHECKS, Finding
from perfscore.render import make_writer
from perfscore.render.xlsx import FILLS, cell_number, sheet_name, sheet_plan
from perfscore.testing import tables

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "changji-2023"
WINE = EXAMPLES / "02_wine-competition-2022.json"
DOCUMENT = ROOT / "examples" / "documents" / "changji-2023-tables.xlsx"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    """The 17 seed tables audited into a workbook (one run for the tests that read it)."""
    path = tmp_path_factory.mktemp("xlsx") / "复核.xlsx"
    assert main(["audit", str(EXAMPLES), "--format", "xlsx", "-o", str(path), "-q"]) == 1
    return openpyxl.load_workbook(path)


def _sheet_of(workbook, name):
    """The table sheet whose 项目名称 cell holds ``name``."""
    for sheet in workbook.worksheets[2:]:
        if sheet["C4"].value == name:
            return sheet
    raise LookupError(name)


def _row_of(sheet, column, text):
    return next(
        row[0].row
        for row in sheet.iter_rows(min_col=column, max_col=column)
        if row[0].value == text
    )


def test_the_sheets_come_summary_findings_then_one_per_table(audited):
    """汇总 first, 复核发现 second, then the 17 tables numbered in input order."""
    names = audited.sheetnames
    assert names[:2] == ["汇总", "复核发现"]
    assert len(names) == 2 + 17
    assert names[3] == "2 2022（新疆昌吉）“一带一路”国际葡萄酒大赛"
    assert all(len(name) <= 31 for name in names)


def test_a_table_sheet_holds_printed_and_computed_totals(audited):
    """The wine competition prints 总分 90; the rules give 99.84, beside it, in red."""
    sheet = _sheet_of(audited, "2022（新疆昌吉）“一带一路”国际葡萄酒大赛")
    total = _row_of(sheet, 1, "总分")
    assert sheet.cell(total, 7).value == 100  # the weights' sum
    assert sheet.cell(total, 8).value == 90
    assert sheet.cell(total, 9).value == 99.84
    assert sheet.cell(total, 9).number_format == "0.00"
    assert sheet.cell(total, 9).font.color.rgb.endswith("C00000")
    assert sheet.cell(total, 10).value == "等级：优"
    # The funds block: 执行率 printed 98.36% (0.9836 as 0.00%), computed 9.84 beside 10.00.
    funds = _row_of(sheet, 2, "年度资金总额")
    assert (sheet.cell(funds, 7).value, sheet.cell(funds, 7).number_format) == (0.9836, "0.00%")
    assert (sheet.cell(funds, 8).value, sheet.cell(funds, 8).number_format) == (10, "0.00")
    assert sheet.cell(funds, 9).value == 9.84
    assert sheet.cell(funds, 10).value == 0.983578


def test_the_summary_lists_every_table_with_both_totals(audited):
    """One line per table: printed and computed totals, their gap, the grade, the counts."""
    summary = audited["汇总"]
    header = _row_of(summary, 1, "序号")
    headers = [cell.value for cell in summary[header]]
    assert headers == [
        "序号", "工作表", "文件", "项目名称", "年度", "主管部门", "类型",
        "总分(印)", "总分(算)", "差额(印−算)", "等级", "错误", "警告", "提示",
    ]  # fmt: skip
    lines = {
        row[3]: row
        for row in summary.iter_rows(min_row=header + 1, max_row=header + 17, values_only=True)
    }
    assert len(lines) == 17
    wine = lines["2022（新疆昌吉）“一带一路”国际葡萄酒大赛"]
    assert wine[4] == 2023
    assert (wine[7], wine[8], wine[9], wine[10]) == (90, 99.84, -9.84, "优")
    report = audit(load(WINE)[0])
    assert wine[11:] == (report.count("error"), report.count("warning"), report.count("info"))
    assert summary.auto_filter.ref == f"A{header}:N{header + 17}"
    assert summary.freeze_panes == f"A{header + 1}"
    heads = {
        row[0]: row[2] for row in summary.iter_rows(min_row=2, max_row=header - 2, values_only=True)
    }
    assert heads["表数"] == 17
    assert heads["印有总分的表"] == 16
    errors = sum(
        audit(table).count("error")
        for path in sorted(EXAMPLES.glob("*.json"))
        for table in load(path)
    )
    assert heads["发现：错误"] == errors


def test_a_finding_fills_its_row_and_comments_its_cell(audited):
    """score-mismatch on 参赛样品数量: the row red, the 得分 cell's comment is the message."""
    sheet = _sheet_of(audited, "2022（新疆昌吉）“一带一路”国际葡萄酒大赛")
    row = _row_of(sheet, 4, "参赛样品数量")
    report = audit(load(WINE)[0])
    mismatch = next(
        f for f in report.findings if f.id == "score-mismatch" and f.where == "indicators[0]"
    )
    overshoot = next(
        f for f in report.findings if f.id == "overshoot" and f.where == "indicators[0]"
    )
    score_cell = sheet.cell(row, 8)
    assert score_cell.value == 0
    assert score_cell.comment.text == mismatch.message
    assert score_cell.fill.fgColor.rgb.endswith(FILLS["error"])
    assert sheet.cell(row, 4).fill.fgColor.rgb.endswith(FILLS["error"])  # the row: its worst
    # The actual carries the overshoot note (info): its own cell, its own fill.
    assert sheet.cell(row, 6).comment.text == overshoot.message
    assert sheet.cell(row, 6).fill.fgColor.rgb.endswith(FILLS[overshoot.severity])
    assert sheet.cell(row, 11).value == "错 score-mismatch\n提 overshoot"
    # A row without findings has no fill.
    clean = _row_of(sheet, 4, "完成年度计划任务及时率")
    assert sheet.cell(clean, 8).fill.fill_type is None


def test_the_three_severities_have_three_fills():
    """Error, warning and info fills differ from each other."""
    assert len(set(FILLS.values())) == 3


def test_the_findings_sheet_lists_every_finding_table_level_included(audited):
    """One row per finding of the 17 audits (table-level ones too), filtered and frozen."""
    findings = audited["复核发现"]
    reports = [audit(table) for path in sorted(EXAMPLES.glob("*.json")) for table in load(path)]
    expected = sum(len(report.findings) for report in reports)
    assert findings.max_row - 1 == expected
    assert findings.auto_filter.ref == f"A1:L{expected + 1}"
    assert findings.freeze_panes == "A2"
    rows = list(findings.iter_rows(min_row=2, values_only=True))
    table_level = [row for row in rows if row[7] == "table"]
    assert len(table_level) == sum(f.where == "table" for r in reports for f in r.findings) > 0
    total = next(row for row in rows if row[4] == "level1-weights" and row[2].startswith("2022"))
    wine = audit(load(WINE)[0])
    finding = next(f for f in wine.findings if f.id == "level1-weights")
    assert total[3:] == (
        "提示",
        "level1-weights",
        CHECKS["level1-weights"].title,
        finding.message,
        "table",
        finding.path,
        finding.printed,
        finding.expected,
        None,
    )
    link = findings.cell(rows.index(total) + 2, 1).hyperlink
    sheet = _sheet_of(audited, "2022（新疆昌吉）“一带一路”国际葡萄酒大赛")
    total_row = _row_of(sheet, 1, "总分")
    assert link.location == f"'{sheet.title}'!G{total_row}"  # about the weights' sum
    assert sheet.cell(total_row, 7).comment.text == finding.message
    assert sheet.cell(total_row, 7).fill.fgColor.rgb.endswith(FILLS["info"])


def test_text_is_stored_as_text_never_a_formula(audited):
    """An actual printed ``=100%`` is the text ``=100%``, not a formula or a number."""
    sheet = _sheet_of(audited, "2022（新疆昌吉）“一带一路”国际葡萄酒大赛")
    row = _row_of(sheet, 4, "公众对产区葡萄酒的熟识度")
    cell = sheet.cell(row, 6)
    assert (cell.value, cell.data_type, cell.number_format) == ("=100%", "s", "@")


HOSTILE = [
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-1",
    "@SUM(1)",
    '=HYPERLINK("x")',
    "10.00",
    "a\x0bb",
    "_x0041_",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_cells_come_back_as_printed(tmp_path, text):
    """Formulas, numbers in text cells, control characters and escapes: all text, verbatim."""
    table = load(WINE)[0]
    row = attrs.evolve(table.indicators[0], level3=text, deviation_note=text)
    table = attrs.evolve(table, name=text, indicators=(row, *table.indicators[1:]))
    path = tmp_path / "x.xlsx"
    with path.open("wb") as stream:
        writer = make_writer("xlsx", stream, profile_name="mof-2020", command="audit")
        writer.begin()
        report = audit(table)
        writer.table("x.json", 0, report.scorecard, report.findings)
        writer.end(None)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[2]
    for cell in (
        sheet["C4"],
        sheet.cell(_first_indicator_row(sheet), 4),
        sheet.cell(_first_indicator_row(sheet), 10),
    ):
        assert cell.data_type == "s"
        assert _unescaped(cell.value) == text


def _first_indicator_row(sheet):
    return _row_of(sheet, 2, "一级指标") + 1


def _unescaped(value):
    """A cell's text with Excel's ``_xHHHH_`` escapes read, as Excel reads them."""
    from openpyxl.utils.escape import unescape  # noqa: PLC0415

    return unescape(value)


@pytest.mark.parametrize(
    ("text", "value", "number_format"),
    [
        ("10", Decimal(10), "0"),
        ("10.00", Decimal("10.00"), "0.00"),
        ("98.36%", Decimal("0.9836"), "0.00%"),
        ("100%", Decimal("1.00"), "0%"),
        ("2,528.87", Decimal("2528.87"), "#,##0.00"),
        ("-5.5", Decimal("-5.5"), "0.0"),
        ("0.00", Decimal("0.00"), "0.00"),
        ("1234567890123456", "1234567890123456", "@"),  # beyond a double's digits
        ("约10", "约10", "@"),
        ("10 ", "10 ", "@"),
        ("/", "/", "@"),
        ("１０", "１０", "@"),
    ],
)
def test_a_printed_number_is_a_number_formatted_as_printed(text, value, number_format):
    """The number and a format that shows the printed digits, else the text verbatim."""
    try:
        figure = parse_figure(text)
    except InvalidCell as error:
        figure = Figure.unreadable(text, str(error))
    assert cell_number(figure) == (value, number_format)


@given(st.integers(min_value=1, max_value=99999), st.text())
def test_sheet_names_are_valid_and_unique(number, name):
    """At most 31 UTF-16 units, none of []:*?/\\' or control characters, numbered."""
    title = sheet_name(number, name)
    assert len(title.encode("utf-16-le")) <= 62
    assert not set(title) & set("[]:*?/\\'")
    assert all(ord(char) >= 32 for char in title)
    assert title.split(" ")[0] == str(number)


def test_score_writes_the_layout_and_summary_without_findings(tmp_path):
    """Scoring: no findings sheet, no 复核 column, the summary without counts."""
    path = tmp_path / "scores.xlsx"
    assert (
        main(
            [
                "score",
                str(WINE),
                str(EXAMPLES / "12_industrial-internet-study.json"),
                "--format",
                "xlsx",
                "-o",
                str(path),
            ]
        )
        == 0
    )
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "汇总",
        "1 2022（新疆昌吉）“一带一路”国际葡萄酒大赛",
        "2 昌吉州工业互联网发展路径分析研究项目",
    ]
    sheet = book.worksheets[1]
    header = _row_of(sheet, 2, "一级指标")
    assert sheet.cell(header, 11).value is None
    assert sheet.cell(header, 9).value == "得分(算)"
    summary = book["汇总"]
    first = _row_of(summary, 1, "序号")
    assert [c.value for c in summary[first]][-1] == "等级"
    assert summary.cell(first + 1, 9).value == 99.84


def test_a_table_read_from_a_document_names_its_cells_places(tmp_path):
    """The findings sheet gives the original's sheet and cell (表2!H13) of each finding."""
    path = tmp_path / "doc.xlsx"
    main(["audit", str(DOCUMENT), "--format", "xlsx", "-o", str(path), "-q"])
    book = openpyxl.load_workbook(path)
    rows = list(book["复核发现"].iter_rows(min_row=2, values_only=True))
    wine = next(row for row in rows if row[4] == "score-mismatch" and row[2].startswith("2022"))
    assert wine[11] == "表2!H13"
    sheet = book.worksheets[3]
    assert "原件：changji-2023-tables.xlsx 表2（第2张表）" in sheet["A3"].value


def test_print_setup_is_a4_landscape_one_page_wide(audited):
    """Every sheet prints on A4 landscape, fitted to one page wide, titles repeated."""
    for sheet in audited.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.print_title_rows.startswith("$1:")
    sheet = _sheet_of(audited, "2022（新疆昌吉）“一带一路”国际葡萄酒大赛")
    assert sheet.print_title_rows == "$1:$5"
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["G"].width


def test_a_workbook_is_not_written_to_a_terminal(monkeypatch, capsys):
    """Without --output, on a terminal: one line saying what to do, status 2, nothing read."""
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["audit", str(WINE), "--format", "xlsx"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "perfscore: --format xlsx writes a binary file: give --output FILE "
        "(or redirect standard output away from the terminal)\n"
    )


def test_a_workbook_goes_to_a_pipe():
    """Standard output that is not a terminal receives the workbook's bytes."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "perfscore", "score", str(WINE), "--format", "xlsx"],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(io.BytesIO(done.stdout))
    assert book.sheetnames == ["汇总", "1 2022（新疆昌吉）“一带一路”国际葡萄酒大赛"]


def test_without_openpyxl_the_error_names_the_extra(monkeypatch):
    """The message says what to install; nothing is written."""
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    writer = make_writer("xlsx", io.BytesIO(), profile_name="mof-2020", command="score")
    with pytest.raises(MissingExtraError) as caught:
        writer.begin()
    assert str(caught.value) == (
        "writing an .xlsx workbook needs openpyxl, which is not installed: "
        'pip install "perfscore[xlsx]"'
    )


def test_the_plan_is_plain_values():
    """A sheet's plan pickles (worker processes render it) and names its findings' cells."""
    import pickle  # noqa: PLC0415

    report = audit(load(WINE)[0])
    plan = sheet_plan(report.scorecard, report.findings, file="02.json")
    assert pickle.loads(pickle.dumps(plan)) == plan  # noqa: S301 - our own bytes
    assert len(plan.findings) == len(report.findings)
    scored = sheet_plan(score(load(WINE)[0]), None)
    assert scored.findings == ()
    assert max(cell.column for cell in scored.cells) == 10


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_the_workbook_on_landscape_pages(tmp_path):
    """Printed to PDF: landscape pages, the summary and each table's name and totals on them."""
    pdfplumber = pytest.importorskip("pdfplumber")
    path = tmp_path / "复核.xlsx"
    main(
        [
            "audit",
            str(WINE),
            str(EXAMPLES / "12_industrial-internet-study.json"),
            "--format",
            "xlsx",
            "-o",
            str(path),
        ]
    )
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(  # noqa: S603 - a fixed LibreOffice command on our own files
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=240,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    with pdfplumber.open(tmp_path / "复核.pdf") as pdf:
        pages = [(page.width, page.height, page.extract_text() or "") for page in pdf.pages]
    assert len(pages) >= 4  # the summary, the findings, two tables
    assert all(width > height for width, height, _ in pages)
    assert round(pages[0][0]) == 842  # A4's long side, in points
    text = "\n".join(text for _, _, text in pages)
    assert "perfscore 复核汇总" in pages[0][2]
    assert "2022（新疆昌吉）“一带一路”国际葡萄酒大赛" in text
    assert "99.84" in text
    assert "项目支出绩效自评表" in text
    assert "score-mismatch" in text


def test_the_same_input_gives_the_same_bytes(tmp_path):
    """No time of writing is stored: two runs (one with workers, one to a pipe) agree."""
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    main(["audit", str(EXAMPLES), "--format", "xlsx", "-o", str(first), "-q"])
    main(["audit", str(EXAMPLES), "--format", "xlsx", "-o", str(second), "-q", "-j", "2"])
    assert first.read_bytes() == second.read_bytes()
    book = openpyxl.load_workbook(first)
    assert book.properties.creator == "perfscore"
    assert book.properties.title == "perfscore audit · 规则 mof-2020"


@pytest.mark.parametrize("where", ["indicators[99]", "indicators[x]", "funds", "elsewhere"])
def test_a_finding_without_its_row_is_on_the_table(where):
    """A finding the grid has no row for sits on 项目名称, and is listed all the same."""
    table = attrs.evolve(load(WINE)[0], funds=())
    finding = Finding("blank-cell", "warning", where, "x/y/z", "得分为空")
    plan = sheet_plan(score(table), [finding])
    assert [(entry.row, entry.column) for entry in plan.findings] == [(4, 3)]
    cell = next(cell for cell in plan.cells if (cell.row, cell.column) == (4, 3))
    assert (cell.value, cell.comment, cell.severity) == (table.name, "得分为空", "warning")


def test_the_summary_lists_inputs_not_read(tmp_path):
    """An input that cannot be read: counted and quoted on the summary; status 2."""
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    path = tmp_path / "out.xlsx"
    assert main(["audit", str(WINE), str(bad), "--format", "xlsx", "-o", str(path), "-q"]) == 2
    summary = openpyxl.load_workbook(path)["汇总"]
    values = [row for row in summary.iter_rows(values_only=True) if any(row)]
    assert values[[row[0] for row in values].index("未读入的输入")][:3] == ("未读入的输入", None, 1)
    assert values[-2][0] == "未读入"
    assert values[-1][0].startswith(f"{bad}:")


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are Unix's")
def test_a_batch_needs_no_open_file_per_table(tmp_path):
    """Each table's sheet is closed once written: 80 tables under a limit of 40 open files."""
    import resource  # noqa: PLC0415

    tables = tmp_path / "tables.jsonl"
    line = WINE.read_text(encoding="utf-8").replace("\n", " ")
    tables.write_text((line + "\n") * 80, encoding="utf-8")
    path = tmp_path / "out.xlsx"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (40, 40))

    done = subprocess.run(  # noqa: S603 - our own interpreter; the limit is the test
        [
            sys.executable,
            "-m",
            "perfscore",
            "score",
            str(tables),
            "--format",
            "xlsx",
            "-o",
            str(path),
        ],
        capture_output=True,
        check=False,
        preexec_fn=limit,
    )
    assert done.returncode == 0, done.stderr.decode()[-300:]
    assert len(openpyxl.load_workbook(path, read_only=True).sheetnames) == 81


def test_a_batch_stopped_midway_leaves_no_sheet_half_written():
    """Stopped between two tables (Ctrl-C): nothing of openpyxl's is left open to complain."""
    import gc  # noqa: PLC0415

    seen = []
    hook, sys.unraisablehook = sys.unraisablehook, seen.append
    try:
        writer = make_writer("xlsx", io.BytesIO(), profile_name="mof-2020", command="audit")
        writer.begin()
        for index in range(2):
            report = audit(load(WINE)[0])
            writer.table("02.json", index, report.scorecard, report.findings)
        del writer
        gc.collect()
    finally:
        sys.unraisablehook = hook
    assert seen == []


def test_a_sheet_is_added_without_scanning_the_others(monkeypatch):
    """No title is checked against every other sheet's (the batch's time stays linear)."""
    scans = []

    def sheetnames(book):
        scans.append(1)
        return [sheet.title for sheet in book.worksheets]

    monkeypatch.setattr(openpyxl.Workbook, "sheetnames", property(sheetnames))
    stream = io.BytesIO()
    writer = make_writer("xlsx", stream, profile_name="mof-2020", command="audit")
    writer.begin()
    for index in range(3):
        report = audit(load(WINE)[0])
        writer.table("02.json", index, report.scorecard, report.findings)
    writer.end(None)
    assert scans == []
    monkeypatch.undo()
    assert openpyxl.load_workbook(stream).sheetnames[2:] == [
        "1 2022（新疆昌吉）“一带一路”国际葡萄酒大赛",
        "2 2022（新疆昌吉）“一带一路”国际葡萄酒大赛",
        "3 2022（新疆昌吉）“一带一路”国际葡萄酒大赛",
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(max_rows=6), st.lists(st.text(), min_size=3, max_size=3), st.booleans())
def test_any_table_comes_back_from_its_workbook(table, texts, printed):
    """Texts verbatim, figures as their numbers or texts, every finding listed and placed.

    Any table (its name, a 三级指标 and a note arbitrary text), printed or not.
    """
    name, level3, note = texts
    row = attrs.evolve(table.indicators[0], level3=level3, deviation_note=note)
    table = attrs.evolve(table, name=name, indicators=(row, *table.indicators[1:]))
    if not printed:
        table = attrs.evolve(table, total=None)
    report = audit(table)
    stream = io.BytesIO()
    writer = make_writer("xlsx", stream, profile_name="mof-2020", command="audit")
    writer.begin()
    plan = writer.render("t.json", 0, report.scorecard, report.findings)
    writer.write(plan)
    writer.end(None)
    book = openpyxl.load_workbook(stream)
    sheet = book.worksheets[2]
    assert book["复核发现"].max_row - 1 == len(report.findings) == len(plan.findings)
    for cell in plan.cells:
        shown = sheet.cell(cell.row, cell.column)
        if isinstance(cell.value, str):
            assert shown.data_type == "s"
            assert _unescaped(shown.value) == cell.value
        elif cell.value is not None:
            assert Decimal(repr(shown.value)) == cell.value
            assert shown.number_format == cell.number_format
    first = _row_of(sheet, 2, "一级指标") + 1
    assert _unescaped(sheet.cell(_row_of(sheet, 1, "项目名称"), 3).value or "") == name
    assert _unescaped(sheet.cell(first, 4).value or "") == level3
    assert _unescaped(sheet.cell(first, 10).value or "") == note
    for entry in plan.findings:
        assert entry.finding.message in _unescaped(sheet.cell(entry.row, entry.column).comment.text)


def test_findings_only_leaves_out_the_tables_without_findings(tmp_path):
    """--findings-only: a sheet for each table with findings shown; the head counts all."""
    path = tmp_path / "errors.xlsx"
    arguments = ["audit", str(EXAMPLES), "--format", "xlsx", "-o", str(path), "-q"]
    assert main([*arguments, "--min-severity", "error", "--findings-only"]) == 1
    book = openpyxl.load_workbook(path)
    reports = [audit(table) for file in sorted(EXAMPLES.glob("*.json")) for table in load(file)]
    shown = [report for report in reports if report.at_least("error")]
    assert 0 < len(shown) < len(reports)
    assert len(book.sheetnames) == 2 + len(shown)
    assert [sheet["C4"].value for sheet in book.worksheets[2:]] == [
        report.table.name for report in shown
    ]
    summary = book["汇总"]
    heads = {row[0]: row[2] for row in summary.iter_rows(min_row=2, max_row=12, values_only=True)}
    assert heads["表数"] == len(reports)
    assert heads["列出的表（有发现）"] == len(shown)
    assert book["复核发现"].max_row - 1 == sum(report.count("error") for report in shown)

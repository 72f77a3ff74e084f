import io
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("pdfplumber")

from perfscore.errors import DocumentError, MissingExtraError
from perfscore.io.documents import pdf as reader
from perfscore.io.documents.pdf import SCANNED, read_pdf

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "documents" / "pdf"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
SEEDS = ROOT.parent / "shared" / "seeds" / "changji-2023-documents"
EXAMPLES = ROOT / "examples" / "changji-2023"
HEADER = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
]


def read(path: Path) -> list:
    with path.open("rb") as stream:
        return list(read_pdf(stream, source=path.name))


def texts(grid) -> list[list[str]]:
    """The grid as rows of texts, a merged cell's text at its first position only."""
    return [[grid.text(row, column) for column in range(grid.width)] for row in range(grid.height)]


def covered_once(grid) -> bool:
    """Every position of the grid is covered by exactly one cell."""
    area = sum(cell.rows * cell.columns for cell in grid.cells)
    return area == grid.height * grid.width


# ------------------------------------------------------------------- the seed's PDFs


def expected_cells(table: dict) -> list[tuple[str, str]]:
    """Every cell of an example table, as (path, text)."""
    cells = [(key, table.get(key)) for key in ("name", "department", "implementer", "total")]
    for number, row in enumerate(table.get("funds", [])):
        cells.extend((f"funds[{number}].{key}", value) for key, value in row.items())
    cells.extend((f"goal.{key}", value) for key, value in (table.get("goal") or {}).items())
    for number, row in enumerate(table["indicators"]):
        keys = ("level1", "level2", "level3", "target", "actual", "weight", "score")
        cells.extend((f"indicators[{number}].{key}", row.get(key)) for key in keys)
        cells.append((f"indicators[{number}].deviation_note", row.get("deviation_note")))
    return [(path, text) for path, text in cells if isinstance(text, str) and text]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not at hand")
@pytest.mark.parametrize("name", ["tables.pdf", "report.pdf"])
def test_seed_pdfs_give_every_cell_of_the_examples(name):
    """Every cell of the 17 example tables is a cell of the matching grid (whitespace aside)."""
    grids = read(SEEDS / name)
    examples = sorted(EXAMPLES.glob("*.json"))
    assert len(grids) == len(examples) == 17
    missing = []
    found = total = 0
    for grid, example in zip(grids, examples, strict=True):
        table = json.loads(example.read_text(encoding="utf-8"))
        cells = {squash(cell.text) for cell in grid.cells}
        for path, text in expected_cells(table):
            total += 1
            if squash(text) in cells:
                found += 1
            else:
                missing.append(f"{example.name} {grid.place} {path}: {text!r}")
        assert covered_once(grid)
    assert missing == []
    assert (found, total) == (1414, 1414)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not at hand")
def test_seed_report_tables_run_over_pages():
    """The Word report's tables are cut by page breaks: each is one grid over its pages."""
    places = [grid.place for grid in read(SEEDS / "report.pdf")]
    assert places[:5] == ["第1–2页", "第2–4页", "第4–5页", "第5–7页", "第8–11页"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not at hand")
def test_seed_report_rows_cut_by_the_page_are_one_row():
    """`其中：|当年财政拨款`, `428.7|1` (pages 2 and 3 of the report) read as one row."""
    grid = read(SEEDS / "report.pdf")[1]
    row = next(r for r in range(grid.height) if grid.text(r, 1) == "其中：当年财政拨款")
    assert [grid.text(row, column) for column in range(1, 5)] == [
        "其中：当年财政拨款",
        "428.71",
        "428.71",
        "421.67",
    ]
    assert grid.at(row, 2).place == "第2–3页"


# ----------------------------------------------------------------- printed fixtures


def test_two_tables_on_one_page_with_prose_around_them():
    """Two tables on a page are two grids; the prose between them is in neither."""
    grids = read(DATA / "two-tables.pdf")
    assert [texts(grid) for grid in grids] == EXPECTED["two-tables"]["tables"]
    assert [grid.place for grid in grids] == ["第1页", "第1页"]
    assert {cell.place for grid in grids for cell in grid.cells} == {"第1页"}


def test_wrapped_cells_join_without_inserted_characters():
    """A cell printed over several lines reads as its text: nothing between the lines."""
    import pdfplumber  # noqa: PLC0415

    with pdfplumber.open(DATA / "two-tables.pdf") as document:
        words = {word["text"] for word in document.pages[0].extract_words()}
    # The narrow cells did wrap in the print ...
    assert {"38766", "4.62", "≧735", "人次", "=1044", "件"} <= words
    # ... and read back whole; traditional characters as printed.
    grid = read(DATA / "two-tables.pdf")[1]
    assert texts(grid)[1] == ["387664.62", "=1044 件", "≧735人次", "項目支出績效自評表"]


@pytest.mark.parametrize("name", ["row-split", "row-split-header"])
def test_a_row_cut_by_the_page_break_is_one_row(name):
    """Word breaks a tall row across pages; its halves are joined cell by cell."""
    rows = EXPECTED[name]["rows"]
    (grid,) = read(DATA / f"{name}.pdf")
    assert grid.place == "第1–2页"
    cut = rows[10]
    assert texts(grid)[10] == ["", *cut[1:]]  # the first column is merged from row 1
    # Every cell of the cut row continued on page 2: the cut ran through all of them.
    assert [cell.place for cell in grid.row(10)][1:] == ["第1–2页"] * 7
    assert covered_once(grid)


def test_a_cut_row_and_a_merged_cell_over_the_page_break():
    """Without a repeated header the merged first column is one span over both pages."""
    rows = EXPECTED["row-split"]["rows"]
    (grid,) = read(DATA / "row-split.pdf")
    expected = [rows[0], rows[1]] + [["", *row[1:]] for row in rows[2:]]
    assert texts(grid) == expected
    merged = grid.at(1, 0)
    assert (merged.text, merged.row, merged.rows, merged.place) == ("产出指标", 1, 12, "第1–2页")


def test_a_header_row_repeated_on_the_next_page_is_left_out():
    """The header Word repeats on page 2 is no row of the grid: the cut row's halves
    join across it and the merged first column runs on over it."""
    rows = EXPECTED["row-split-header"]["rows"]
    (grid,) = read(DATA / "row-split-header.pdf")
    assert texts(grid) == [rows[0], rows[1]] + [["", *row[1:]] for row in rows[2:]]
    merged = grid.at(1, 0)
    assert (merged.text, merged.row, merged.rows, merged.place) == ("产出指标", 1, 12, "第1–2页")
    assert [cell.place for cell in grid.row(10)][1:] == ["第1–2页"] * 7


def test_rows_kept_whole_are_not_joined_across_pages():
    """A table over five pages whose rows may not break: one grid, every row as written."""
    rows = EXPECTED["rows-whole"]["rows"]
    (grid,) = read(DATA / "rows-whole.pdf")
    assert grid.place == "第1–5页"
    blanked = [list(row) for row in rows]
    for column, first, last in EXPECTED["rows-whole"]["merged"]:
        for row in range(first + 1, last + 1):
            blanked[row][column] = ""
    assert texts(grid) == blanked
    # The merged labels run over the page breaks as one span each.
    spans = [(cell.row, cell.rows, cell.place) for cell in grid.cells if cell.rows > 1]
    assert spans == [
        (1, 45, "第1–5页"),
        (1, 15, "第1–2页"),
        (16, 15, "第2–3页"),
        (31, 15, "第3–5页"),
    ]


def test_a_workbook_printed_over_pages_with_print_titles():
    """Calc's print: header rows repeated on each page (read once), merged labels cut
    by the page (one span each)."""
    expected = EXPECTED["workbook"]
    grids = read(DATA / "workbook.pdf")
    assert [grid.place for grid in grids] == ["第1–3页", "第4页", "第5页"]
    rows = texts(grids[0])
    headers = [number for number, row in enumerate(rows) if row == expected["header"]]
    assert headers == [0]  # printed again on pages 2 and 3: left out there
    spans = [
        (cell.row, cell.rows, cell.text, cell.place) for cell in grids[0].cells if cell.rows > 1
    ]
    assert spans == [
        (1, 70, "绩效指标", "第1–3页"),
        (1, 40, "产出指标", "第1–2页"),
        (41, 30, "效益指标", "第2–3页"),
    ]
    data = rows[1:]
    # Numbers as printed through their formats (0.00, 0.00%), texts as written.
    assert [row[2:] for row in data] == [row[1:] for row in expected["rows"]]
    assert texts(grids[1]) == expected["second"]
    assert covered_once(grids[0])


def test_a_spreadsheets_text_running_over_empty_cells_is_its_cells():
    """A long text that does not wrap runs on over an empty neighbour and past the
    table's edge: it stays the text of the cell it starts in."""
    (*_, grid) = read(DATA / "workbook.pdf")
    assert texts(grid) == EXPECTED["workbook"]["third"]


def test_a_row_with_no_ruling_at_the_page_break_is_one_row():
    """No closing ruling below the last row, none above the first: one row, texts joined.

    Also: a word printed twice for bold reads once; the page numbers are not cells.
    """
    (grid,) = read(DATA / "open-cut.pdf")
    assert texts(grid) == EXPECTED["open-cut"]["rows"]
    assert grid.at(3, 0).place == "第1–2页"


def test_a_pdf_with_text_but_no_table_gives_no_grid():
    """Prose and a heading rule are no table."""
    assert read(DATA / "prose.pdf") == []


def _ruled_page(lines: int, texts: list[tuple[float, float, str]]) -> bytes:
    """A one-page PDF ruled into a ``lines`` by ``lines`` lattice, with some words."""
    import zlib  # noqa: PLC0415

    step = 1900 / lines
    drawing = ["0.1 w"]
    for k in range(lines + 1):
        at = 50 + k * step
        drawing += [f"{at:.2f} 50 m {at:.2f} 1950 l S", f"50 {at:.2f} m 1950 {at:.2f} l S"]
    drawing += [f"BT /F1 4 Tf {x:.2f} {y:.2f} Td ({text}) Tj ET" for x, y, text in texts]
    stream = zlib.compress("\n".join(drawing).encode())
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 2000 2000] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    table = b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return (
        out
        + b"xref\n0 %d\n0000000000 65535 f \n%b" % (len(objects) + 1, table)
        + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, len(out))
    )


def test_a_text_clipped_at_its_cells_edge_stays_in_its_cell():
    """A label too wide for its cell, clipped next to a neighbour's own text, is the
    label's whole: its last characters went to the neighbour (年度资金总 | 额500000)."""
    step = 1900 / 30
    row = 1950 - step + 20
    texts = [(52, row, "A" * 25), (50 + step + 22, row, "500")]
    [grid] = read_pdf(io.BytesIO(_ruled_page(30, texts)), source="p")
    assert [(cell.row, cell.column, cell.text) for cell in grid.cells if cell.text] == [
        (0, 0, "A" * 25),
        (0, 1, "500"),
    ]


def test_graph_paper_is_no_table_and_is_read_in_little_time_and_memory(tmp_path):
    """A page ruled into 640,000 cells (graph paper, a chart's grid) is no form: it was
    read cell by cell (20 s, 500 MB); a lattice past 40,000 cells is passed over."""
    import tracemalloc  # noqa: PLC0415

    words = [(52 + c * 2.375, 1946 - r * 2.375, f"x{r}{c}") for r in range(60) for c in range(10)]
    path = tmp_path / "graph.pdf"
    path.write_bytes(_ruled_page(800, words))
    tracemalloc.start()
    try:
        assert read(path) == []
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 << 20


def test_a_ruled_lattice_of_a_forms_size_is_read():
    """Up to the limit, a lattice is read as a table: 30 by 30 cells, one a word."""
    [grid] = read_pdf(io.BytesIO(_ruled_page(30, [(60, 1890, "w")])), source="p")
    assert (grid.height, grid.width) == (30, 30)
    assert [cell.text for cell in grid.cells if cell.text] == ["w"]


# ---------------------------------------------------------------------- bad input


def test_a_scanned_pdf_is_refused_in_one_line():
    """A PDF of pictures without a text layer: say so, and what to do."""
    with pytest.raises(DocumentError) as caught:
        read(DATA / "scanned.pdf")
    assert str(caught.value) == f"scanned.pdf: {SCANNED}"
    assert str(caught.value) == (
        "scanned.pdf: a scanned PDF without a text layer; run OCR on it (e.g. ocrmypdf) "
        "or give the document it was printed from"
    )


def test_an_encrypted_pdf_is_refused_at_once():
    """A PDF that needs a password: refused when opened, before any iteration."""
    with (DATA / "encrypted.pdf").open("rb") as stream, pytest.raises(DocumentError) as caught:
        read_pdf(stream, source="encrypted.pdf")
    assert str(caught.value) == (
        "encrypted.pdf: an encrypted PDF that needs a password to open; "
        "save a copy without the password and read that"
    )


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 a zip file", b"plain text\n" * 200])
def test_a_file_that_is_no_pdf_is_refused(data):
    """Anything that does not start with %PDF- is not read as a PDF."""
    with pytest.raises(DocumentError) as caught:
        read_pdf(io.BytesIO(data), source="x.pdf")
    assert str(caught.value) == (
        "x.pdf: not a PDF (it does not start with %PDF-); "
        "check that the file is the document you meant"
    )


@pytest.mark.parametrize(
    ("cut", "detail"),
    [
        (slice(0, 8000), "PSEOF: Unexpected EOF"),
        (slice(0, 9), "PDFSyntaxError: No /Root object! - Is this really a PDF?"),
    ],
)
def test_a_damaged_pdf_is_refused_in_one_line(cut, detail):
    """A truncated PDF names what is wrong in one line."""
    data = (DATA / "two-tables.pdf").read_bytes()[cut]
    with pytest.raises(DocumentError) as caught:
        read_pdf(io.BytesIO(data), source="x.pdf")
    assert str(caught.value) == (
        f"x.pdf: a damaged PDF that cannot be opened ({detail}); "
        "open it in a PDF viewer and save or print it as a new PDF"
    )


def test_a_page_that_cannot_be_read_is_named():
    """A page pdfminer cannot read stops the reading with the page's number."""
    sys.path.insert(0, str(DATA.parent))
    try:
        from make_pdfs import HandPDF  # noqa: PLC0415
    finally:
        sys.path.remove(str(DATA.parent))
    document = HandPDF()
    document.page()
    document.text(10, 10, "fine")
    document.page()
    document.text(10, 10, "broken")
    # Page 2's media box (its page object follows its content, object 6) is broken.
    page = b"/MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 6"
    data = document.bytes().replace(page, page.replace(b"595 842", b"x"))
    with pytest.raises(DocumentError) as caught:
        list(read_pdf(io.BytesIO(data), source="x.pdf"))
    assert str(caught.value) == (
        "x.pdf: a damaged PDF: page 2 cannot be read (MalformedPDFException: Bounding box "
        "contains non-number coordinate(s): [0, 0, /b'x']); "
        "open it in a PDF viewer and save or print it as a new PDF"
    )


def test_without_pdfplumber_the_message_names_the_extra(monkeypatch):
    """Reading a PDF without the extra installed says which pip install fixes it."""
    monkeypatch.setitem(sys.modules, "pdfplumber", None)
    with pytest.raises(MissingExtraError) as caught:
        read_pdf(io.BytesIO(b"%PDF-1.4"), source="x.pdf")
    assert str(caught.value) == (
        'reading .pdf files needs pdfplumber, which is not installed: pip install "perfscore[pdf]"'
    )


# ---------------------------------------------------------------- text of a cell


def char(text: str, x0: float, top: float, *, size: float = 10.0, width: float | None = None):
    """A character as pdfplumber gives it (the keys the reader uses)."""
    if width is None:
        width = size if reader._wide(text) else size / 2  # noqa: SLF001
    return {
        "text": text,
        "x0": x0,
        "x1": x0 + width,
        "top": top,
        "bottom": top + size,
        "size": size,
        "upright": True,
    }


def line_of(text: str, x0: float, top: float, *, gap: float = 0.0) -> list[dict]:
    """The characters of a text set left to right, ``gap`` apart."""
    chars = []
    x = x0
    for letter in text:
        chars.append(char(letter, x, top))
        x = chars[-1]["x1"] + gap
    return chars


def cell_text(chars: list[dict]) -> str:
    return reader._join_lines(reader._lines(chars))  # noqa: SLF001


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["年初预", "算数"], "年初预算数"),
        (["38766", "4.62"], "387664.62"),
        (["≧735", "人次"], "≧735人次"),
        (["=1044 件"], "=1044 件"),  # a space glyph inside a line is kept
        (["Annual ", "budget"], "Annual budget"),  # a space glyph at the break: one space
        (["項目支出", "績效自評"], "項目支出績效自評"),
        (["(cid:12)元"], "\ufffd元"),  # a glyph without Unicode: the replacement mark
    ],
)
def test_a_cells_lines_join_as_printed(lines, expected):
    """Wrapped lines join with nothing between them; spaces are the text layer's own."""
    chars = [c for number, text in enumerate(lines) for c in line_of(text, 100, 100 + 14 * number)]
    chars = [c for c in chars if c["text"] != "(cid:12)"]
    if "(cid:12)" in lines[0]:
        chars = [char("(cid:12)", 100, 100, width=10), char("元", 110, 100)]
    assert cell_text(chars) == expected


@pytest.mark.parametrize(
    ("text", "gap", "expected"),
    [
        ("项目名称", 8.0, "项目名称"),  # a form spreads a label over the cell: no spaces
        ("ab12", 8.0, "a b 1 2"),  # Latin letters and digits far apart: words
        ("ab12", 1.0, "ab12"),  # kerning and tracking are no spaces
    ],
)
def test_gaps_between_characters(text, gap, expected):
    """A wide gap is a space between Latin letters or digits, never next to CJK text."""
    assert cell_text(line_of(text, 100, 100, gap=gap)) == expected


def test_overprinted_characters_count_once():
    """Bold by overprinting (the same glyph a fraction of a point off) reads once."""
    chars = line_of("得分", 100, 100)
    bold = [dict(c, x0=c["x0"] + 0.3, x1=c["x1"] + 0.3) for c in chars]
    assert cell_text(reader._dedupe(chars + bold)) == "得分"  # noqa: SLF001
    # Different characters on one spot are not duplicates.
    assert len(reader._dedupe([char("一", 100, 100), char("二", 100, 100)])) == 2  # noqa: SLF001


WRAPPABLE = st.text(
    alphabet=st.sampled_from("年初预算数执行率指标值社會效益≧≤%.0123456789ABCxyz（）：，-"),
    min_size=1,
    max_size=60,
)


@given(text=WRAPPABLE, per_line=st.integers(1, 12), pitch=st.floats(11.0, 20.0))
def test_any_wrapped_text_reads_back_whole(text, per_line, pitch):
    """Any text wrapped at any width reads back exactly, in any content order."""
    chunks = textwrap.wrap(text, per_line, break_long_words=True, drop_whitespace=False)
    chars = [
        c for number, chunk in enumerate(chunks) for c in line_of(chunk, 100, 100 + pitch * number)
    ]
    assert cell_text(chars) == text
    assert cell_text(list(reversed(chars))) == text


# Coordinates on a coarse lattice, so that random rulings meet and make cells.
AT = st.integers(0, 30).map(lambda step: 40.0 + 12.0 * step)


@st.composite
def ruling(draw):
    """A line from pdfplumber: horizontal or vertical, between lattice points."""
    fixed, start, end = draw(AT), draw(AT), draw(AT)
    start, end = min(start, end), max(start, end) + 12.0
    if draw(st.booleans()):
        return {"x0": start, "x1": end, "top": fixed, "bottom": fixed, "stroking_color": None}
    return {"x0": fixed, "x1": fixed, "top": start, "bottom": end, "stroking_color": None}


@st.composite
def box(draw):
    """A stroked rectangle (a cell border drawn as a box) or a thin filled one (a rule)."""
    x0, top = draw(AT), draw(AT)
    width, height = draw(st.sampled_from([0.5, 12.0, 24.0, 60.0])), draw(AT) - 28.0
    return {
        "x0": x0,
        "x1": x0 + width,
        "top": top,
        "bottom": top + max(height, 0.5),
        "stroke": width > 1,
        "fill": width <= 1,
        "stroking_color": (0,),
        "non_stroking_color": (0,),
    }


@st.composite
def glyph(draw):
    """A character anywhere on the page, often set right after the one before."""
    return char(
        draw(st.sampled_from("年初预算数分值得分一二三 ab12.%")),
        draw(st.floats(30.0, 420.0)),
        draw(st.floats(30.0, 420.0)),
    )


PAGE = st.fixed_dictionaries(
    {
        "line": st.lists(ruling(), max_size=25),
        "rect": st.lists(box(), max_size=6),
        "char": st.lists(glyph(), max_size=40),
    }
)


def visible(text: str) -> int:
    return sum(not letter.isspace() for letter in text)


@given(pages=st.lists(PAGE, min_size=1, max_size=3))
def test_any_drawing_reads_without_error_and_loses_no_character(pages):
    """Whatever the rulings and characters, a page reads without an error, every
    character lands in one cell or outside the tables, and no two cells of a grid
    cover one position."""
    reads = [
        reader._read_page(objects, (0.0, 0.0, 500.0, 500.0), number)  # noqa: SLF001
        for number, objects in enumerate(pages, start=1)
    ]
    for objects, read in zip(pages, reads, strict=True):
        kept = reader._dedupe(objects["char"])  # noqa: SLF001
        placed = sum(
            visible(line.text)
            for piece in read.pieces
            for cell in piece.cells
            for line in [*cell.lines, *cell.shadow]
        )
        placed += sum(visible(line.text) for line in read.text.lines)
        assert placed == sum(visible(c["text"]) for c in kept)
    for grid, _ in reader._tables(reads):  # noqa: SLF001
        positions = [
            (row, column)
            for cell in grid.cells
            for row in range(cell.row, cell.row + cell.rows)
            for column in range(cell.column, cell.column + cell.columns)
        ]
        assert len(positions) == len(set(positions))
        assert all(cell.rows >= 1 and cell.columns >= 1 for cell in grid.cells)


@pytest.mark.parametrize(
    "text",
    ["5", "- 5 -", "—5—", "第 5 页", "第5页 共35页", "第五页", "5/35", "5 / 35", "Page 5 of 35"],
)
def test_page_numbers_are_page_furniture(text):
    """A page number between two pieces of a table does not end the table."""
    line = reader._lines(line_of(text, 300, 800), split_gaps=True)[0]  # noqa: SLF001
    assert reader._furniture(line, [], gap=0)  # noqa: SLF001


def test_running_heads_are_furniture_but_titles_are_not():
    """The same line at the same height on the next page is a running head, unless it
    sits right on top of the table (a title printed on every page)."""
    (head,) = reader._lines(line_of("某某局2023年度部门决算", 60, 40))  # noqa: SLF001
    (other,) = reader._lines(line_of("某某局2024年度部门决算", 60, 41))  # noqa: SLF001
    (prose,) = reader._lines(line_of("说明：以上数据来源于单位财务系统。", 60, 40))  # noqa: SLF001
    assert reader._furniture(head, [other], gap=20)  # noqa: SLF001
    assert not reader._furniture(head, [other], gap=2)  # noqa: SLF001
    assert not reader._furniture(prose, [other], gap=20)  # noqa: SLF001


# ----------------------------------------------------------------------- memory

# The peak is read from /proc (VmHWM): ru_maxrss would count the parent's memory
# too, as Linux keeps it across the exec that starts the child.
MEMORY = """
from pathlib import Path
from perfscore.io.documents.pdf import read_pdf
count = 0
with open({path!r}, "rb") as stream:
    for grid in read_pdf(stream, source="many.pdf"):
        count += 1
status = Path("/proc/self/status").read_text()
peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
print(count, peak)
"""


def peak_memory(tmp_path: Path, pages: int) -> tuple[int, int]:
    """Grids read from a PDF of so many pages, and the reading process's peak memory
    (kB); the PDF is written beforehand, in this process."""
    sys.path.insert(0, str(DATA.parent))
    try:
        from make_pdfs import many_pages  # noqa: PLC0415
    finally:
        sys.path.remove(str(DATA.parent))
    path = tmp_path / f"many-{pages}.pdf"
    path.write_bytes(many_pages(pages))
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", MEMORY.format(path=str(path))],
        capture_output=True,
        text=True,
        check=True,
        timeout=3600,
    )
    count, peak = map(int, result.stdout.split())
    return count, peak


@pytest.mark.skipif(
    not os.environ.get("PERFSCORE_SLOW_TESTS"), reason="slow: set PERFSCORE_SLOW_TESTS=1"
)
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak from /proc")
def test_memory_stays_bounded_on_a_ten_thousand_page_pdf(tmp_path):
    """Pages are read one at a time: 10,000 pages need no more memory than 1,000."""
    small_count, small = peak_memory(tmp_path, 1_000)
    large_count, large = peak_memory(tmp_path, 10_000)
    assert (small_count, large_count) == (1_000, 10_000)
    assert large < small + 10_000, (small, large)  # kB


def test_the_benchmark_splits_the_time_it_measures():
    """The benchmark counts pages and grids, and its shares add up to the time taken."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import documents_pdf  # noqa: PLC0415
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    run = documents_pdf.measure(DATA / "two-tables.pdf")
    assert (run["pages"], run["grids"]) == (1, 2)
    shares = run["pdfminer"] + run["pdfplumber"] + run["perfscore"]
    assert shares == pytest.approx(run["total"])
    assert min(run["pdfminer"], run["pdfplumber"], run["perfscore"]) > 0


def test_the_lines_above_a_table_come_with_it():
    """A spreadsheet prints its title and year lines without rulings: they come with the
    table's grid, for the recogniser (the year of every seed table read from the PDF)."""
    from perfscore.io.documents.pdf import read_pdf_tables  # noqa: PLC0415

    path = Path(__file__).resolve().parent.parent / "examples" / "documents"
    with (path / "changji-2023-tables.pdf").open("rb") as stream:
        first = next(iter(read_pdf_tables(stream, source="tables.pdf")))
    grid, preamble = first
    assert grid.cells
    assert preamble[:2] == ["部门整体支出绩效自评表", "（2023年度）"]


# -------------------------------------------- PDFs printed from the layout variants

VARIANTS = DATA / "variants"
PRINTED = json.loads((VARIANTS / "expected.json").read_text(encoding="utf-8"))


def cells_of(value):
    """A table's cells (of its dict), white space removed (a PDF prints a cell's line
    breaks as wrapped lines), without where they came from."""
    if isinstance(value, dict):
        return {
            key: cells_of(item)
            for key, item in value.items()
            if key not in {"origin", "source", "format", "places"}
        }
    if isinstance(value, list):
        return [cells_of(item) for item in value]
    return squash(value) if isinstance(value, str) else value


@pytest.mark.parametrize("name", sorted(PRINTED))
def test_a_pdf_printed_from_a_variant_document_gives_its_sources_tables(name):
    """A workbook or Word report in a layout variant, printed by LibreOffice (pages
    fitted or scaled, header rows repeated, rows broken across pages or kept whole,
    labels merged over the page breaks, several tables to a page): the PDF gives
    the source's tables, cell for cell."""
    from perfscore import load  # noqa: PLC0415
    from perfscore.io.json import table_from_dict  # noqa: PLC0415

    want = [cells_of(table_from_dict(data).to_dict()) for data in PRINTED[name]["tables"]]
    source = load(VARIANTS / PRINTED[name]["source"])
    assert [cells_of(table.to_dict()) for table in source] == want
    assert [cells_of(table.to_dict()) for table in load(VARIANTS / name)] == want


def test_the_cells_read_of_the_printed_pdfs_are_reported():
    """benchmarks/cells_read.py --printed counts every printed PDF's cells, all read."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import cells_read  # noqa: PLC0415
    finally:
        sys.path.pop(0)
    counts = cells_read.printed()
    assert [name for name, *_ in counts] == list(PRINTED)
    assert all(found == tables and right == total for _, found, tables, right, total in counts)
    assert sum(total for *_, total in counts) > 3000

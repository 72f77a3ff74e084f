"""Regenerate the PDF fixtures of tests/test_pdf.py.

Word documents (python-docx) and a workbook (openpyxl) are written here and printed to
PDF by LibreOffice headless, as people print theirs; a few PDFs whose geometry no
office suite makes (a table whose closing ruling is missing at the page break, text
printed twice for bold) are written by hand. The PDFs are committed, so the tests need
neither LibreOffice nor this script.

Needs: python-docx, openpyxl, Pillow (comes with pdfplumber), and LibreOffice with CJK
fonts (Debian: libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk).

    python tests/data/documents/make_pdfs.py          # writes tests/data/documents/pdf/
    python tests/data/documents/make_pdfs.py variants # only pdf/variants/

pdf/variants/ holds documents in the form's layout variants (workbooks and Word
reports written by tests/documents_variants.py, its PRINTED list) with the PDFs
LibreOffice prints of them, and expected.json: each PDF's source and the tables the
source holds (what reading the source gives back, as the property tests hold).

The texts each fixture holds are in EXPECTED (imported by the tests), so the tests
compare the grids with what was written, not with what was read before.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "pdf"

INDICATOR_HEADER = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
]

# A long text, as deviation notes and goals are, to make rows taller than what is
# left of a page (so the row breaks across pages).
LONG = (
    "截至2023年年底，项目完成《天山北麓精品葡萄酒庄建设标准》1册，由于2023年没有新建酒庄，"
    "补助资金未做支付，年底收回财政。下一步将加强项目前期论证，合理设定绩效目标，"
    "及时跟踪项目进度，确保资金使用效益。"
)


def indicator_rows(count: int, *, long_at: int | None = None) -> list[list[str]]:
    """Rows of an indicator block; the row ``long_at`` has long text in every cell."""
    rows = []
    for number in range(count):
        if number == long_at:
            rows.append(
                [
                    "效益指标",
                    "社会效益指标" * 12,
                    "公众对产区葡萄酒的熟识度和产区影响力" * 6,
                    "≧735人次" * 12,
                    "=428.71 万元" * 10,
                    "10",
                    "387664.62" * 8,
                    LONG * 2,
                ]
            )
        else:
            rows.append(
                [
                    "产出指标",
                    "数量指标",
                    f"参赛样品数量第{number + 1}项",
                    f">={700 + number} 件",
                    f"={1000 + number} 件",
                    "10",
                    "10.00",
                    "预算目标值把握不准确" if number % 3 == 0 else "",
                ]
            )
    return rows


# ----------------------------------------------------------------------- Word tables


def _docx() -> Any:
    """A new A4 Word document with a CJK body font."""
    import docx  # noqa: PLC0415
    from docx.oxml.ns import qn  # noqa: PLC0415
    from docx.shared import Mm, Pt  # noqa: PLC0415

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25))
    style = document.styles["Normal"]
    style.font.name = "Noto Sans CJK SC"
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Sans CJK SC")
    return document


def _table(document: Any, rows: list[list[str]], widths_mm: list[float]) -> Any:
    """A bordered Word table of the given texts and column widths."""
    from docx.shared import Mm  # noqa: PLC0415

    table = document.add_table(rows=len(rows), cols=len(widths_mm))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text, width in zip(row.cells, texts, widths_mm, strict=True):
            cell.width = Mm(width)
            cell.text = text
    return table


def _row_property(row: Any, name: str) -> None:
    """Set a row property such as w:tblHeader (repeat) or w:cantSplit."""
    from docx.oxml import OxmlElement  # noqa: PLC0415
    from docx.oxml.ns import qn  # noqa: PLC0415

    properties = row._tr.get_or_add_trPr()  # noqa: SLF001 - python-docx has no API for it
    element = OxmlElement(name)
    element.set(qn("w:val"), "true")
    properties.append(element)


def _merge_down(table: Any, column: int, first: int, last: int) -> None:
    """Merge a column's cells from row ``first`` to ``last`` (keeping the first text)."""
    top = table.cell(first, column)
    text = top.text
    merged = top.merge(table.cell(last, column))
    merged.text = text


def _header_footer(document: Any) -> None:
    """A running head and a page-number foot, as reports have."""
    from docx.oxml import OxmlElement  # noqa: PLC0415
    from docx.oxml.ns import qn  # noqa: PLC0415

    section = document.sections[0]
    section.header.paragraphs[0].text = "某某局2023年度部门决算公开说明"
    paragraph = section.footer.paragraphs[0]
    run = paragraph.add_run("第 ")
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        element = OxmlElement("w:fldChar" if kind else "w:instrText")
        if kind:
            element.set(qn("w:fldCharType"), kind)
        else:
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run = paragraph.add_run()
        run._r.append(element)  # noqa: SLF001
    paragraph.add_run(" 页")


FORM_WIDTHS = [16, 16, 24, 18, 18, 12, 14, 42]  # mm: 160 mm of a 160 mm text width

EXPECTED: dict[str, Any] = {}


def two_tables(directory: Path) -> Path:
    """Two tables on one page with prose around them; wrapped and traditional text."""
    document = _docx()
    document.add_paragraph("附：项目支出绩效自评表（节选）。下表列出一级至三级指标。")
    first = [["一级指标", "二级指标", "三级指标"], ["产出指标", "数量指标", "参赛样品数量"]]
    first.append(["效益指标", "社会效益指标", "公众对产区葡萄酒的熟识度"])
    _table(document, first, [40, 40, 80])
    document.add_paragraph("说明：以上数据来源于单位财务系统。下表为资金情况。")
    second = [
        ["年初预算数", "全年执行数", "实际完成值", "项目名称"],
        ["387664.62", "=1044 件", "≧735人次", "項目支出績效自評表"],
    ]
    _table(document, second, [15, 15, 15, 20])
    document.add_paragraph("以上为两张表。")
    EXPECTED["two-tables"] = {"tables": [first, second]}
    return _save(document, directory, "two-tables")


def row_split(directory: Path, *, header: bool) -> Path:
    """A form whose tall row breaks across pages (Word's default), its first column
    merged over the whole block; with or without the header row repeated."""
    document = _docx()
    _header_footer(document)
    for _ in range(3):
        document.add_paragraph("（一）部门基本情况。" * 12)
    rows = [INDICATOR_HEADER, *indicator_rows(12, long_at=9)]
    table = _table(document, rows, FORM_WIDTHS)
    if header:
        _row_property(table.rows[0], "w:tblHeader")
    _merge_down(table, 0, 1, 12)
    document.add_paragraph("说明：以上数据来源于单位财务系统。")
    name = "row-split-header" if header else "row-split"
    EXPECTED[name] = {"rows": rows, "merged": [[0, 1, 12]]}
    return _save(document, directory, name)


def rows_whole(directory: Path) -> Path:
    """A form over three pages whose rows may not break: every page ends on a row."""
    document = _docx()
    _header_footer(document)
    rows = [INDICATOR_HEADER] + [
        [
            "产出指标",
            "质量指标",
            f"第{number + 1}项安全生产检查覆盖率及整改完成率",
            ">=95%",
            f"={90 + number % 10}%",
            "5",
            "5.00",
            "检查工作按计划完成，部分整改仍在推进，下一步加强督导。" if number % 2 else "",
        ]
        for number in range(45)
    ]
    table = _table(document, rows, FORM_WIDTHS)
    for row in table.rows:
        _row_property(row, "w:cantSplit")
    # The first column merged over all rows, the second over groups of 15: labels
    # that run over the page breaks.
    merged = [[0, 1, 45], [1, 1, 15], [1, 16, 30], [1, 31, 45]]
    for column, first, last in merged:
        _merge_down(table, column, first, last)
    document.add_paragraph("说明：以上数据来源于单位财务系统。")
    EXPECTED["rows-whole"] = {"rows": rows, "merged": merged}
    return _save(document, directory, "rows-whole")


def prose(directory: Path) -> Path:
    """Text and a horizontal rule, no table."""
    document = _docx()
    document.add_heading("部门决算公开说明", level=1)
    for _ in range(6):
        document.add_paragraph("本部门2023年度收入支出决算总计1234.56万元。" * 4)
    EXPECTED["prose"] = {}
    return _save(document, directory, "prose")


def scanned(directory: Path) -> Path:
    """A page that is only a picture of a table: what a scanner gives."""
    from docx.shared import Mm  # noqa: PLC0415
    from PIL import Image, ImageDraw  # noqa: PLC0415

    image = Image.new("L", (600, 300), 255)
    draw = ImageDraw.Draw(image)
    for x in range(20, 600, 140):
        draw.line([(x, 20), (x, 280)], fill=0, width=2)
    for y in range(20, 300, 65):
        draw.line([(20, y), (580, y)], fill=0, width=2)
    picture = io.BytesIO()
    image.save(picture, format="PNG")
    picture.seek(0)
    document = _docx()
    for paragraph in list(document.paragraphs):
        paragraph._element.getparent().remove(paragraph._element)  # noqa: SLF001
    document.add_picture(picture, width=Mm(150))
    EXPECTED["scanned"] = {}
    return _save(document, directory, "scanned")


def _save(document: Any, directory: Path, name: str) -> Path:
    path = directory / f"{name}.docx"
    document.save(path)
    return path


# ------------------------------------------------------------------------ workbook


def _form_rows() -> list[list[Any]]:
    """The indicator rows of the workbook's long form, as stored (numbers as numbers)."""
    return [
        [
            "",
            ("产出指标" if number == 0 else "效益指标") if number in {0, 40} else "",
            "数量指标",
            f"第{number + 1}项培训人次",
            f">={100 + number} 人次",
            f"={110 + number} 人次",
            1,
            0.9836 if number % 7 == 0 else 1,
            "已完成" if number % 5 else "",
        ]
        for number in range(70)
    ]


OVERFLOW = [
    ["一级指标", "二级指标", "三级指标", "偏差原因"],
    ["产出指标", "数量指标很长的文字", "", "无"],
    ["效益指标", "社会效益", "公众满意度", "预算目标值把握不准确导致超出预期"],
]


def _second_sheets(book: Any, border: Any) -> None:
    """A short funds table (numbers through their formats), and a table whose long
    texts do not wrap: they run on over an empty neighbour and past the table's
    right edge, as spreadsheets print them."""
    second = book.create_sheet("表2")
    second.append(["年初预算数", "全年预算数", "全年执行数", "执行率"])
    second.append([428.71, 428.71, 421.67, 0.9836])
    third = book.create_sheet("表3")
    for row in OVERFLOW:
        third.append(row)
    for column in "ABCD":
        third.column_dimensions[column].width = 10
    for sheet in (second, third):
        for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=4):
            for cell in row:
                cell.border = border
    for cell in second[2]:
        cell.number_format = "0.00%" if cell.column == 4 else "0.00"


def workbook(directory: Path) -> Path:
    """A sheet with a long form over three pages (header rows repeated on each page,
    a merged label spanning the page breaks) and a second sheet with a short one."""
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.styles import Alignment, Border, Side  # noqa: PLC0415

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    book = Workbook()
    sheet = book.active
    sheet.title = "表1"
    sheet.append(["项目支出绩效自评表"])
    sheet.append(["填报单位：某某局", "", "", "", "", "", "", "单位：万元"])
    header_row = 3
    sheet.append(["绩效指标", *INDICATOR_HEADER])
    values = _form_rows()
    for row in values:
        sheet.append(row)
    first, last = header_row + 1, header_row + len(values)
    for row in sheet.iter_rows(min_row=header_row, max_row=last, max_col=9):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(("=", ">", "<")):
                cell.data_type = "s"  # a text such as =110 人次, not a formula
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    sheet.cell(first, 1, "绩效指标")
    sheet.merge_cells(start_row=first, start_column=1, end_row=last, end_column=1)
    sheet.merge_cells(start_row=first, start_column=2, end_row=first + 39, end_column=2)
    sheet.merge_cells(start_row=first + 40, start_column=2, end_row=last, end_column=2)
    for row in range(first, last + 1):
        sheet.cell(row, 7).number_format = "0.00"
        sheet.cell(row, 8).number_format = "0.00%"
    widths = {"A": 8, "B": 10, "C": 10, "D": 18, "E": 12, "F": 12, "G": 7, "H": 8, "I": 26}
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    _second_sheets(book, border)
    path = directory / "workbook.xlsx"
    book.save(path)
    EXPECTED["workbook"] = {
        "header": ["绩效指标", *INDICATOR_HEADER],
        # As printed: through the number formats 0.00 and 0.00%.
        "rows": [[*row[1:6], f"{row[6]:.2f}", f"{row[7]:.2%}", row[8]] for row in values],
        "second": [
            ["年初预算数", "全年预算数", "全年执行数", "执行率"],
            ["428.71", "428.71", "421.67", "98.36%"],
        ],
        "third": OVERFLOW,
    }
    return path


# ------------------------------------------------------------------- PDFs by hand


class HandPDF:
    """A minimal PDF writer: pages of lines and Helvetica text, nothing else."""

    def __init__(self, width: float = 595, height: float = 842) -> None:
        self.width, self.height = width, height
        self.pages: list[list[str]] = []

    def page(self) -> None:
        self.pages.append([])

    def line(self, x0: float, top: float, x1: float, bottom: float) -> None:
        y0, y1 = self.height - top, self.height - bottom
        self.pages[-1].append(f"0 0 0 RG 0.5 w {x0:.2f} {y0:.2f} m {x1:.2f} {y1:.2f} l S")

    def text(self, x: float, top: float, text: str, size: float = 10) -> None:
        baseline = self.height - top - size * 0.8
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        self.pages[-1].append(f"BT /F1 {size:g} Tf {x:.2f} {baseline:.2f} Td ({escaped}) Tj ET")

    def grid(
        self,
        xs: list[float],
        ys: list[float],
        *,
        top: float | None = None,
        bottom: float | None = None,
    ) -> None:
        """A ruled grid; ``top``/``bottom`` run the vertical rulings on past the
        first/last horizontal ruling to there, leaving that end open."""
        for x in xs:
            self.line(x, ys[0] if top is None else top, x, ys[-1] if bottom is None else bottom)
        for y in ys:
            self.line(xs[0], y, xs[-1], y)

    def bytes(self) -> bytes:
        objects: list[bytes] = []
        kids = []
        font = 3
        objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
        objects.append(b"")  # the page tree, filled in below
        objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        for content in self.pages:
            stream = zlib.compress("\n".join(content).encode("latin-1"))
            objects.append(
                b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
                + stream
                + b"\nendstream"
            )
            content_number = len(objects)
            objects.append(
                (
                    f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {self.width} {self.height}] "
                    f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content_number} 0 R >>"
                ).encode()
            )
            kids.append(f"{len(objects)} 0 R")
        objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        for offset in offsets:
            out += b"%010d 00000 n \n" % offset
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(objects) + 1,
            xref,
        )
        return bytes(out)


def open_cut() -> bytes:
    """A table whose last row on page 1 has no closing ruling and whose first row on
    page 2 no opening one: the printer's sign of a row cut by the page break. The
    cut row's first cell reads 'Social bene' + 'fit', its second '428.7' + '1'.
    Also: a page number below the table, and a word printed twice (bold by
    overprint)."""
    pdf = HandPDF()
    xs = [60.0, 200.0, 300.0, 400.0]
    pdf.page()
    ys = [600.0, 620.0, 640.0, 760.0]
    pdf.grid(xs, ys, bottom=782)
    pdf.text(64, 604, "Level")
    pdf.text(204, 604, "Weight")
    pdf.text(304, 604, "Score")
    pdf.text(64, 624, "Output")
    pdf.text(64.3, 624, "Output")  # overprinted for bold
    pdf.text(204, 624, "10")
    pdf.text(304, 624, "10.00")
    pdf.text(64, 644, "Lorem ipsum")
    pdf.text(64, 766, "Social bene")
    pdf.text(204, 766, "428.7")
    pdf.text(304, 766, "8")
    pdf.text(290, 810, "- 1 -")
    pdf.page()
    ys = [60.0, 80.0, 100.0]
    pdf.grid(xs, ys, top=40)
    pdf.text(64, 44, "fit")
    pdf.text(204, 44, "1")
    pdf.text(64, 64, "Satisfaction")
    pdf.text(204, 64, "20")
    pdf.text(304, 64, "18.00")
    pdf.text(64, 84, "Total")
    pdf.text(304, 84, "36.00")
    pdf.text(290, 810, "- 2 -")
    EXPECTED["open-cut"] = {
        "rows": [
            ["Level", "Weight", "Score"],
            ["Output", "10", "10.00"],
            ["Lorem ipsum", "", ""],
            ["Social benefit", "428.71", "8"],
            ["Satisfaction", "20", "18.00"],
            ["Total", "", "36.00"],
        ]
    }
    return pdf.bytes()


def many_pages(pages: int) -> bytes:
    """A long PDF for the memory test: each page a title and a table of 20 rows."""
    pdf = HandPDF()
    xs = [60.0, 140.0, 220.0, 300.0, 380.0, 460.0, 540.0]
    ys = [100.0 + 20 * row for row in range(21)]
    for number in range(pages):
        pdf.page()
        pdf.text(60, 70, f"Table {number + 1}")
        pdf.grid(xs, ys)
        for row in range(20):
            for column in range(6):
                pdf.text(xs[column] + 4, ys[row] + 4, f"r{row}c{column}p{number}")
    return pdf.bytes()


# --------------------------------------------------------------------------- print


def _print(paths: list[Path], directory: Path) -> None:
    """Print documents to PDF with LibreOffice headless."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice (soffice) is needed to print the fixtures")
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    command = [
        soffice,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(directory),
        *map(str, paths),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=600)  # noqa: S603
    shutil.rmtree(profile, ignore_errors=True)


def _print_encrypted(path: Path, directory: Path) -> Path:
    """Print a document to a PDF that needs the password 'secret' to open."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    options = json.dumps(
        {
            "EncryptFile": {"type": "boolean", "value": "true"},
            "DocumentOpenPassword": {"type": "string", "value": "secret"},
        }
    )
    target = directory / "encrypted"
    target.mkdir(exist_ok=True)
    command = [
        soffice,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--convert-to",
        f"pdf:writer_pdf_Export:{options}",
        "--outdir",
        str(target),
        str(path),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=600)  # noqa: S603
    shutil.rmtree(profile, ignore_errors=True)
    return target / (path.stem + ".pdf")


# ------------------------------------------------------------- variants, printed

VARIANTS = OUT / "variants"


def variant_pdfs() -> None:
    """Documents in layout variants (tests/documents_variants.py's PRINTED), each
    written, printed by LibreOffice (a workbook by Calc, a Word report by Writer) and
    committed with the tables the document holds (what reading it gives back)."""
    sys.path.insert(0, str(HERE.parents[1]))
    from make import _fixed  # noqa: PLC0415 - fixed dates: the same bytes each run

    import documents_variants as dv  # noqa: PLC0415 - the tests' module

    examples = [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((HERE.parents[2] / "examples" / "changji-2023").glob("*.json"))
    ]
    VARIANTS.mkdir(exist_ok=True)
    expected: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        documents = []
        for name, picks, variant in dv.PRINTED:
            kind = name.rsplit(".", 1)[1]
            written = dv.write([dv.picked(examples, pick) for pick in picks], variant, kind)
            raw = _fixed(written.raw)
            (work / name).write_bytes(raw)
            (VARIANTS / name).write_bytes(raw)
            documents.append(work / name)
            expected[Path(name).stem + ".pdf"] = {"source": name, "tables": written.tables}
        _print(documents, work)
        for document in documents:
            shutil.copy(work / (document.stem + ".pdf"), VARIANTS / (document.stem + ".pdf"))
    (VARIANTS / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    for path in sorted(VARIANTS.iterdir()):
        print(f"variants/{path.name}: {path.stat().st_size} bytes")  # noqa: T201


def main() -> None:
    if sys.argv[1:] == ["variants"]:
        variant_pdfs()
        return
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        documents = [
            two_tables(work),
            row_split(work, header=False),
            row_split(work, header=True),
            rows_whole(work),
            prose(work),
            scanned(work),
            workbook(work),
        ]
        _print(documents, work)
        for document in documents:
            shutil.copy(work / (document.stem + ".pdf"), OUT / (document.stem + ".pdf"))
        encrypted = _print_encrypted(documents[0], work)
        shutil.copy(encrypted, OUT / "encrypted.pdf")
    (OUT / "open-cut.pdf").write_bytes(open_cut())
    (OUT / "expected.json").write_text(
        json.dumps(EXPECTED, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    for path in sorted(OUT.iterdir()):
        if path.is_file():
            print(f"{path.name}: {path.stat().st_size} bytes")  # noqa: T201
    variant_pdfs()


if __name__ == "__main__":
    main()

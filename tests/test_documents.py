"""Documents in every layout variant read back as the tables they print.

The property: any table (the 17 examples, or one drawn by
:func:`perfscore.testing.table_dicts`), written as a workbook, a Word report or a web
page in any layout variant (:mod:`documents_variants`), reads back through
:func:`perfscore.load` as an equal table, every cell equal, and every value's place
naming the cell that printed it. Then the committed fixtures, the seed's documents
(cells read per file), and bad documents (one line each, exit 2, the batch unharmed).
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perfscore
from perfscore import load
from perfscore.cli import main
from perfscore.errors import DocumentError
from perfscore.io.documents import _containers
from perfscore.io.documents.grid import BLANK_RUN, Grid, GridCell
from perfscore.io.documents.recognise import Continuation, recognise
from perfscore.io.json import table_from_dict
from perfscore.testing import table_dicts

openpyxl = pytest.importorskip("openpyxl")
pytest.importorskip("docx")

import documents_variants as dv  # noqa: E402 - after the extras are known to be there

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples" / "changji-2023").glob("*.json"))
EXAMPLE_DICTS = [json.loads(path.read_text(encoding="utf-8")) for path in EXAMPLES]
FIXTURES = ROOT / "tests" / "data" / "documents" / "variants"
DOCUMENTS = ROOT / "examples" / "documents"


# ---------------------------------------------------------------------------------
# Comparing what was read with what was written


def _cells(data: dict[str, Any]) -> dict[str, Any]:
    """A table's cells, without where they came from (the value, not the provenance)."""
    data = dict(data)
    for key in ("origin", "source", "format"):
        data.pop(key, None)
    for block in ("funds", "indicators"):
        data[block] = [{k: v for k, v in row.items() if k != "places"} for row in data[block]]
    if "goal" in data:
        data["goal"] = {k: v for k, v in data["goal"].items() if k != "places"}
    return data


def _places(table: Any, number: int) -> dict[dv.Key, str]:
    """Every place a table read from a document gives, by the key of its value."""
    found: dict[dv.Key, str] = {(number, key): place for key, place in table.origin.places}
    for block in ("funds", "indicators"):
        for index, row in enumerate(getattr(table, block)):
            found.update(((number, block, index, key), place) for key, place in row.places)
    if table.goal is not None:
        found.update(((number, "goal", key), place) for key, place in table.goal.places)
    return found


def _assert_reads_back(path: Path, written: dv.Written) -> None:
    tables = load(path)
    assert len(tables) == len(written.tables)
    for number, (table, want) in enumerate(zip(tables, written.tables, strict=True)):
        assert _cells(table.to_dict()) == _cells(table_from_dict(want).to_dict())
        assert table.origin.document == path.name
        assert table.origin.number == number + 1
        read = _places(table, number)
        wrote = {key: place for key, place in written.places.items() if key[0] == number}
        assert {key: read.get(key) for key in wrote} == wrote


TABLES = st.lists(
    st.one_of(
        st.sampled_from(EXAMPLE_DICTS),
        table_dicts(max_rows=6, printed=True),
        table_dicts(max_rows=5),
    ),
    min_size=1,
    max_size=3,
)


@pytest.mark.parametrize("kind", dv.FORMATS)
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tables=TABLES, variant=dv.variants())
def test_any_table_in_any_variant_reads_back(kind, tables, variant):
    """Any table, written as a workbook, a Word report or a web page in any layout
    variant, reads back equal, each value's place the cell that printed it."""
    written = dv.write(tables, variant, kind)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"tables.{kind}"
        path.write_bytes(written.raw)
        _assert_reads_back(path, written)


@pytest.mark.parametrize("example", EXAMPLES, ids=[path.stem[:2] for path in EXAMPLES])
def test_every_example_reads_back_from_a_workbook_in_the_seed_layout(tmp_path, example):
    """The 17 examples, each written as a workbook of numbers with formats, read back."""
    table = json.loads(example.read_text(encoding="utf-8"))
    written = dv.write([table], dv.Variant(numbers=True), "xlsx")
    (tmp_path / "t.xlsx").write_bytes(written.raw)
    _assert_reads_back(tmp_path / "t.xlsx", written)


# ---------------------------------------------------------------------------------
# The committed fixtures


def _fixture_ids() -> list[str]:
    return [name for name, _, _ in dv.FIXTURES]


@pytest.mark.parametrize(("name", "examples", "variant"), dv.FIXTURES, ids=_fixture_ids())
def test_committed_fixtures_read_back(name, examples, variant):
    """Each committed document (tests/data/documents/make.py) reads back as its tables."""
    kind = name.rsplit(".", 1)[1]
    written = dv.write([EXAMPLE_DICTS[index] for index in examples], variant, kind)
    _assert_reads_back(FIXTURES / name, written)


@pytest.mark.parametrize("name", [name for name, _, _ in dv.FIXTURES if name.endswith(".xlsx")])
def test_a_rows_places_in_a_workbook_name_the_cells_holding_its_text(name):
    """Open the workbook at each place a row gives: the cell there shows the row's text."""
    from perfscore.io.documents._numbers import formatted  # noqa: PLC0415 - the printed text

    book = openpyxl.load_workbook(FIXTURES / name, data_only=True)
    checked = 0
    for table in load(FIXTURES / name):
        rows = [*table.funds, *table.indicators]
        for row, cells in zip(rows, [_row_texts(row) for row in rows], strict=True):
            for key, place in row.places:
                sheet, address = place.split("!")
                cell = book[sheet][address.split(":")[0]]
                assert formatted(cell.value, cell.number_format).strip() == cells[key], place
                checked += 1
    assert checked > 100


def _row_texts(row: Any) -> dict[str, str]:
    data = attrs.asdict(row, recurse=False)
    texts = {}
    for key, value in data.items():
        text = getattr(value, "text", value)
        if isinstance(text, str):
            texts[key] = text
    texts.update((key, value) for key, value in row.extra if isinstance(value, str))
    return texts


# ---------------------------------------------------------------------------------
# The seed's documents: printed by someone else


def _flat(value: Any, prefix: str = "") -> dict[str, str]:
    if isinstance(value, dict):
        out: dict[str, str] = {}
        for key, item in value.items():
            if key not in {"format", "source", "origin", "places"}:
                out.update(_flat(item, f"{prefix}.{key}" if prefix else key))
        return out
    if isinstance(value, list):
        out = {}
        for index, item in enumerate(value):
            out.update(_flat(item, f"{prefix}[{index}]"))
        return out
    return {prefix: "".join(str(value).split())}


@pytest.mark.parametrize(
    "name",
    ["changji-2023-tables.xlsx", "changji-2023-report.docx", "changji-2023-page.html"],
)
def test_the_seeds_documents_read_cell_for_cell(name):
    """The seed's 17 tables printed by someone else: 1465 of the 1468 cells read as
    printed; the 3 others are 指标值设定依据 cells these prints do not have."""
    read = [table.to_dict() for table in load(DOCUMENTS / name)]
    assert len(read) == len(EXAMPLE_DICTS) == 17
    missing = []
    total = 0
    for number, (table, want) in enumerate(zip(read, EXAMPLE_DICTS, strict=True), start=1):
        got, cells = _flat(table), _flat(want)
        total += len(cells)
        missing += [f"{number} {key}" for key, text in cells.items() if got.get(key) != text]
        assert set(got) <= set(cells) | {"kind", "money_unit"}
    assert total == 1468
    assert missing == [f"1 indicators[{row}].basis" for row in range(3)]


# ---------------------------------------------------------------------------------
# What the property found, held case by case


def _grid(rows: list[list[str]], spans: dict[tuple[int, int], tuple[int, int]] | None = None):
    return Grid.from_rows(rows, spans=spans, place_of=lambda row, column: f"{row + 1}:{column + 1}")


HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
ROW = ["产出指标", "数量指标", "培训人数", ">=100人", "120人", "90", "90"]


def test_a_total_row_printing_only_the_weights_has_no_total():
    """总分 | 100 | (blank 得分): no total printed, not the weights' 100."""
    [table] = recognise(_grid([HEADER, ROW, ["总分", "", "", "", "", "100", ""]]), document="d")
    assert "total" not in table
    [table] = recognise(_grid([HEADER, ROW, ["总分", "", "", "", "", "100", "90"]]), document="d")
    assert table["total"] == "90"
    assert table["origin"]["places"] == {"total": "3:7"}


def test_a_header_of_two_rows_names_its_columns():
    """绩效指标 over 一级 | 二级 | 三级, the other headers merged down beside them."""
    rows = [
        ["绩效指标", "", "", "年度指标值", "实际完成值", "分值", "得分"],
        ["一级指标", "二级指标", "三级指标", "", "", "", ""],
        ROW,
    ]
    spans = {(0, 0): (1, 3), **{(0, column): (2, 1) for column in range(3, 7)}}
    [table] = recognise(_grid(rows, spans), document="d")
    assert table["indicators"][0]["target"] == ">=100人"
    assert table["indicators"][0]["places"]["score"] == "3:7"


def test_a_group_header_over_target_and_actual():
    """年度绩效指标 over 指标值 | 实际值, the levels merged down beside it."""
    rows = [
        ["一级指标", "二级指标", "三级指标", "年度绩效指标", "", "分值", "得分"],
        ["", "", "", "指标值", "实际值", "", ""],
        ROW,
    ]
    spans = {(0, 3): (1, 2), **{(0, column): (2, 1) for column in (0, 1, 2, 5, 6)}}
    [table] = recognise(_grid(rows, spans), document="d")
    assert [row["actual"] for row in table["indicators"]] == ["120人"]


@pytest.mark.parametrize(
    ("rows", "spans"),
    [
        # The label not merged down: the texts are on the row after the headers.
        (
            [
                ["年度总体目标", "预期目标", "实际完成情况"],
                ["", "办好培训", "办了培训"],
                HEADER[:3],
            ],
            {},
        ),
        # Each header with its text beside it, on a row of its own.
        (
            [
                ["年度总体目标", "预期目标", "办好培训"],
                ["", "实际完成情况", "办了培训"],
                HEADER[:3],
            ],
            {(0, 0): (2, 1)},
        ),
    ],
    ids=["unmerged", "rows"],
)
def test_the_goals_texts_by_their_headers(rows, spans):
    """The goal's two texts, below their headers or beside them, never a header."""
    rows = [["项目名称", "培训", ""], *rows, ["产出指标", "数量指标", "培训人数"]]
    spans = {(row + 1, column): span for (row, column), span in spans.items()}
    [table] = recognise(_grid([row + [""] * 4 for row in rows], spans), document="d")
    assert {key: table["goal"][key] for key in ("expected", "achieved")} == {
        "expected": "办好培训",
        "achieved": "办了培训",
    }


def test_a_funds_block_without_the_initial_budget_loads_blank():
    """全年预算数 | 全年执行数 only: 年初预算数 reads blank, the table loads."""
    rows = [
        ["项目名称", "培训", "", "", "", ""],
        ["", "全年预算数", "全年执行数", "分值", "预算执行率", "得分"],
        ["年度资金总额", "10.00", "9.00", "10", "90.00%", "9.00"],
        HEADER[:6],
        ROW[:6],
    ]
    [table] = recognise(_grid(rows), document="d")
    assert table["funds"][0]["initial_budget"] == ""
    assert table["funds"][0]["rate"] == "90.00%"
    assert table_from_dict(table).funds[0].rate.text == "90.00%"


def test_a_department_forms_tasks_are_not_funds():
    """年度主要任务 | 任务名称 | 主要内容 | 预算数 | 执行数 is passed over."""
    rows = [
        ["部门（单位）名称", "某局", "", "", ""],
        ["年度主要任务", "任务名称", "主要内容", "预算数", "执行数"],
        ["", "运行监测", "分析", "120.00", "118.50"],
        ["资金情况", "年初预算数", "全年预算数", "全年执行数", "执行率"],
        ["合计", "5.00", "5.00", "5.00", "100%"],
        HEADER[:5],
        ROW[:5],
    ]
    [table] = recognise(_grid(rows, {(1, 0): (2, 1)}), document="d")
    assert [row["label"] for row in table["funds"]] == ["合计"]
    assert table["kind"] == "department"


@pytest.mark.parametrize(
    ("line", "unit"),
    [
        ("填报单位：元谋县财政局　　单位：万元", "万元"),
        ("填报单位：元谋县财政局", None),
        ("实施单位：元江县水利局", None),
        ("金额单位：元", "元"),
        ("單位：萬元", "万元"),
    ],
)
def test_a_unit_line_is_not_a_name_beginning_with_yuan(line, unit):
    """单位：元 is a money unit; 填报单位：元谋县… is a name."""
    [table] = recognise(_grid([HEADER, ROW]), document="d", preamble=[line])
    assert table.get("money_unit") == unit


def test_a_year_line_between_stacked_tables_is_the_next_tables():
    """A year line after a table with no total row belongs to the table below it."""
    rows = [
        ["（2022年度）"],
        ["项目名称", "甲"],
        HEADER,
        ROW,
        [""],
        ["（2023年度）"],
        ["项目名称", "乙"],
        HEADER,
        ROW,
    ]
    tables = recognise(_grid([row + [""] * (7 - len(row)) for row in rows]), document="d")
    assert [(table["name"], table["year"]) for table in tables] == [("甲", 2022), ("乙", 2023)]


@pytest.mark.parametrize(
    ("level1", "level2"),
    [(["产出指标", "产出指标"], ["数量指标", ""]), (["产出指标", ""], ["数量指标", ""])],
    ids=["repeated", "once"],
)
def test_a_level2_printed_once_is_carried_under_a_repeated_level1(level1, level2):
    """The same 一级 label again is the same group: the 二级 label above is carried."""
    rows = [HEADER, [level1[0], level2[0], *ROW[2:]], [level1[1], level2[1], "天数", *ROW[3:]]]
    [table] = recognise(_grid(rows), document="d")
    assert [row["level2"] for row in table["indicators"]] == ["数量指标", "数量指标"]
    assert table["indicators"][1]["places"]["level2"] == "2:2"


def test_other_spellings_of_the_funds_and_identity_labels():
    """年度预算数 | 年度执行数, 项目主管部门: spellings of other provinces' forms."""
    rows = [
        ["项目名称", "培训", "项目主管部门", "某局", "", "", ""],
        ["", "年度预算数", "年度执行数", "执行率", "", "", ""],
        ["年度资金总额", "10.00", "9.00", "90.00%", "", "", ""],
        HEADER,
        ROW,
    ]
    [table] = recognise(_grid(rows), document="d")
    assert table["department"] == "某局"
    assert {key: table["funds"][0][key] for key in ("annual_budget", "executed", "rate")} == {
        "annual_budget": "10.00",
        "executed": "9.00",
        "rate": "90.00%",
    }


SPLIT_HEADER = [
    "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "计量单位",
    "实际完成值", "分值", "得分",
]  # fmt: skip


@pytest.mark.parametrize(
    ("direction", "target", "unit", "joined"),
    [
        ("≤", "35.5", "万元", "≤35.5万元"),
        ("反向指标", "35.5", "万元", "≤35.5万元"),
        ("正向", "100", "%", "≥100%"),
        (">=", "12", "个", "≥12个"),
        ("不高于", "12", "个", "≤12个"),
        ("定量", "12", "个", "12个"),
        ("", "12", "个", "12个"),
        ("≤", "", "万元", ""),
        ("≤", "<=40万元", "万元", "<=40万元"),  # the cell says it all: as printed
        ("定性", "有效提升", "", "有效提升"),
        ("≥", "有效提升", "", "有效提升"),
        ("≤", "35.5", "年度", "≤35.5年度"),
        ("≤", "十五", "万元", "≤十五万元"),  # Chinese numerals read
        ("≤", "#REF!", "万元", "#REF!"),  # does not read: as printed, and found by the audit
    ],
)
def test_a_target_split_over_direction_and_unit_columns_is_joined(direction, target, unit, joined):
    """指标性质 | 指标值 | 计量单位 read as one target; the columns are kept as printed."""
    row = ["产出指标", "成本指标", "单位成本", direction, target, unit, "40", "10", "5"]
    [table] = recognise(_grid([SPLIT_HEADER, row]), document="d")
    [indicator] = table["indicators"]
    assert indicator.get("target", "") == joined
    assert indicator.get("指标性质") == (direction or None)
    assert indicator.get("计量单位") == (unit or None)
    assert indicator["places"]["target"] == "2:5"


def test_a_reverse_target_printed_apart_is_scored_as_reverse():
    """Read alone, ``35.5`` would be at least 35.5, and 40 would meet it; as a reverse
    target in 万元, 40 is over it: 35.5/40 × 10 = 8.875, 8.88 under mof-2020."""
    row = ["产出指标", "数量指标", "单位成本", "反向指标", "35.5", "万元", "40", "10", "10"]
    [data] = recognise(_grid([SPLIT_HEADER, row]), document="d")
    card = perfscore.score(table_from_dict(data), profile="mof-2020")
    [outcome] = card.outcomes
    assert (outcome.comparator, outcome.status, outcome.score) == ("<=", "partial", Decimal("8.88"))


def test_the_joined_columns_are_not_unknown_to_the_audit():
    """指标性质 and 计量单位 that agree with the target are the reader's doing; a unit
    column the target does not take (it prints its own) is still reported."""
    rows = [
        SPLIT_HEADER,
        ["产出指标", "成本指标", "单位成本", "反向指标", "35.5", "万元", "30", "10", "10"],
        ["产出指标", "数量指标", "培训人数", "定量", ">=100人", "个", "120人", "10", "10"],
    ]
    [data] = recognise(_grid(rows), document="d")
    report = perfscore.audit(table_from_dict(data), profile="mof-2020")
    assert [
        (finding.where, finding.message)
        for finding in report.findings
        if finding.id == "unknown-column"
    ] == [("indicators[1]", "未知的列或字段「计量单位」：已原样保留，但不用于计分和复核")]


def test_a_money_unit_whose_bracket_a_narrow_cell_cut_off():
    """项目资金（元 (its closing bracket clipped in a PDF) still says 元."""
    rows = [
        ["项目资金（元", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["", "年度资金总额", "500000", "480000", "456000", "10", "95%", "9.5"],
        [*HEADER, ""],
        [*ROW, ""],
    ]
    [table] = recognise(_grid(rows, {(0, 0): (2, 1)}), document="d")
    assert table["money_unit"] == "元"


def test_traditional_headers_are_read():
    """權重, 預算執行率, 評分標準 (kept under the header as printed)."""
    header = ["一級指標", "二級指標", "三級指標", "指標值", "實際值", "權重", "評分\n標準"]
    [table] = recognise(_grid([header, [*ROW[:6], "完成得满分"]]), document="d")
    assert table["indicators"][0]["weight"] == "90"
    assert table["indicators"][0]["評分標準"] == "完成得满分"


def test_a_web_pages_spaces_are_as_a_browser_shows_them():
    """U+3000 and &nbsp; are text; white space of the markup collapses."""
    page = (
        "<table><caption>项目支出绩效自评表<br>（2023年度）</caption><tr>"
        + "".join(f"<td>{head}</td>" for head in HEADER)
        + "</tr><tr>"
        + "".join(f"<td>\n  {text}\n</td>" for text in ROW[:3])
        + "<td>≥　100&nbsp; 人</td>"
        + "".join(f"<td>{text}</td>" for text in ROW[4:])
        + "</tr></table>"
    )
    [table] = _load_html(page)
    assert table.indicators[0].target.text == "≥　100  人"
    assert table.year == 2023


def test_a_blank_identity_value_is_not_the_next_labels():
    """主管部门 with its value cell blank (a workbook drops it): not 实施单位's value."""
    grid = Grid(
        [
            GridCell(0, 0, "项目名称", place="A1"),
            GridCell(0, 1, "培训", columns=3, place="B1"),
            GridCell(1, 0, "主管部门", place="A2"),
            GridCell(1, 2, "实施单位", place="C2"),
            GridCell(1, 3, "某中心", place="D2"),
            *(GridCell(2, column, text) for column, text in enumerate(HEADER[:4])),
            *(GridCell(3, column, text) for column, text in enumerate(ROW[:4])),
        ]
    )
    [table] = recognise(grid, document="d")
    assert "department" not in table
    assert (table["implementer"], table["origin"]["places"]["implementer"]) == ("某中心", "D2")


@pytest.mark.parametrize(
    ("cells", "preamble"),
    [
        (["项目名称：培训项目", "主管部门：某局　　實施單位：某中心"], []),
        ([], ["项目名称：培训项目", "主管部门:某局  实施单位:某中心"]),
    ],
    ids=["cells", "lines-above"],
)
def test_identity_labels_and_values_in_one_cell_or_line(cells, preamble):
    """项目名称：… in one cell (or a line above the grid) is the name, and so on."""
    rows = [[text, *[""] * 6] for text in cells]
    spans = {(row, 0): (1, 7) for row in range(len(rows))}
    grid = _grid([*rows, HEADER, ROW], spans)
    [table] = recognise(grid, document="d", preamble=preamble)
    assert (table["name"], table["department"], table["implementer"]) == (
        "培训项目",
        "某局",
        "某中心",
    )
    assert table["origin"]["places"] == (
        {"name": "1:1", "department": "2:1", "implementer": "2:1"} if cells else {}
    )


def test_identity_rows_printed_above_the_title_are_the_tables():
    """项目名称 on a line above the title: the title does not start another table."""
    rows = [["项目名称", "培训"], ["项目支出绩效自评表"]]
    rows = [[*row, *[""] * (7 - len(row))] for row in rows]
    [table] = recognise(_grid([*rows, HEADER, ROW]), document="d")
    assert table["name"] == "培训"


def test_a_line_across_the_indicator_block_is_not_a_row():
    """A note or unit line merged across the block is the next table's, not a row."""
    rows = [HEADER, ROW, ["填报单位：某局　　单位：元", *[""] * 6], ["项目名称", "乙", *[""] * 5]]
    rows += [HEADER, ROW]
    first, second = recognise(_grid(rows, {(2, 0): (1, 7)}), document="d")
    assert len(first["indicators"]) == 1
    assert (second["name"], second["money_unit"]) == ("乙", "元")


@pytest.mark.parametrize("kind", ["docx", "html"])
@pytest.mark.parametrize("split", ["bare", "header"])
def test_a_table_cut_in_two_word_or_html_tables_reads_as_one(tmp_path, kind, split):
    """A form split in two tables (the header repeated or not, the labels merged across
    the cut left blank below it) reads as one table, each row's place in its own table."""
    variant = dv.Variant(split=split, labels="merged", labels2="merged", prose=True)
    written = dv.write(EXAMPLE_DICTS[1:3], variant, kind)
    path = tmp_path / f"split.{kind}"
    path.write_bytes(written.raw)
    _assert_reads_back(path, written)
    first = load(path)[0]
    assert [row.place_of("level3").split()[0] for row in first.indicators] == ["表格1"] * 4 + [
        "表格2"
    ] * 4
    # 成本指标, merged over rows 4 and 5, cut between them: carried from the first table.
    assert first.indicators[4].level1.name == "成本指标"
    assert first.indicators[4].place_of("level1") == first.indicators[3].place_of("level1")


def test_a_grid_starting_with_its_own_head_continues_nothing():
    """After a block cut off by its grid's end, a grid with a title is a new table."""
    continuation = Continuation()
    recognise(_grid([HEADER, ROW]), document="d", continuation=continuation)
    assert continuation.table is not None
    [table] = recognise(
        _grid([["项目名称", "乙", *[""] * 5], HEADER, ROW]),
        document="d",
        continuation=continuation,
    )
    assert table["name"] == "乙"
    [] = recognise(
        _grid([ROW]), document="d", preamble=["项目支出绩效自评表"], continuation=Continuation()
    )


def test_a_workbooks_sheets_do_not_continue_each_other(tmp_path):
    """A sheet whose table has no total row, then a sheet of the next table's rows."""
    book = openpyxl.Workbook()
    book.active.append(["项目名称", "甲"])
    book.active.append(HEADER)
    book.active.append(ROW)
    book.create_sheet().append(ROW)
    book.save(tmp_path / "two.xlsx")
    [table] = load(tmp_path / "two.xlsx")
    assert len(table.indicators) == 1


def test_a_page_laid_out_in_a_table_gives_its_forms_their_lines():
    """Forms nested in a layout table's cell: each has the lines before it in the cell."""
    form = (
        "<table>"
        + "".join(
            "<tr>" + "".join(f"<td>{text}</td>" for text in row) + "</tr>" for row in (HEADER, ROW)
        )
        + "</table>"
    )
    page = (
        "<table><tr><td>首页 &gt; 政务公开</td></tr><tr><td>"
        f"<h2>项目支出绩效自评表</h2><p>（2022年度）</p><p>项目名称：甲</p>{form}"
        f"<p>说明：略。</p><h2>项目支出绩效自评表</h2><p>项目名称：乙</p>{form}"
        "</td></tr></table>"
    )
    tables = _load_html(page)
    assert [(table.name, table.year) for table in tables] == [("甲", 2022), ("乙", None)]
    assert tables[1].indicators[0].place_of("level3") == "表格3 第2行第3列"


def test_a_web_pages_blank_lines_before_a_table_are_not_counted():
    """Lines of white space between the tags do not push the title out of the lines kept."""
    lines = ["项目支出绩效自评表", "（2023年度）", *(f"说明{n}" for n in range(9))]
    page = (
        "\n \n".join(f"<p>{line}</p>" for line in lines)
        + "<table>"
        + "".join(
            "<tr>" + "".join(f"<td>{text}</td>" for text in row) + "</tr>" for row in (HEADER, ROW)
        )
        + "</table>"
    )
    [table] = _load_html(page)
    assert table.year == 2023


def _load_html(page: str) -> list[Any]:
    from perfscore.io.documents import read_document  # noqa: PLC0415

    return list(read_document(page.encode(), source="p.html"))


# ---------------------------------------------------------------------------------
# Bad documents: one line each, exit 2, the rest of a batch unharmed

OLE = _containers.OLE


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le").ljust(64, b"\0")


def _ole(*streams: str) -> bytes:
    """An OLE compound file's first sector and a directory naming its streams."""
    return OLE + bytes(504) + b"".join(_utf16(name) + bytes(64) for name in streams)


def _zip_bomb(part_name: str, size: int) -> bytes:
    """A small zip whose one part unpacks to ``size`` bytes of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(part_name, "w", force_zip64=True) as part:
            for _ in range(size >> 20):
                part.write(bytes(1 << 20))
    return out.getvalue()


def _cell_bomb(cells: int) -> bytes:
    """A valid workbook whose one sheet holds ``cells`` tiny cells (no addresses)."""
    book = openpyxl.Workbook()
    book.active["A1"] = "x"
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for entry in source.infolist():
            if entry.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(entry, source.read(entry))
                continue
            with archive.open(entry.filename, "w") as part:
                part.write(
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                    b'main"><sheetData>'
                )
                row = b"<row>" + b"<c><v>1</v></c>" * 100 + b"</row>"
                for _ in range(cells // 100):
                    part.write(row)
                part.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _workbook(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _corrupt_docx() -> bytes:
    return (DOCUMENTS / "changji-2023-report.docx").read_bytes()[:20_000]


NO_TABLE = (
    "no self-evaluation table found (perfscore looks for the form's header rows: "
    "一级指标 … 三级指标 … 实际完成值, or 年初预算数 … 全年执行数)"
)
BAD: list[tuple[str, bytes, str]] = [
    (
        "bomb.xlsx",
        _zip_bomb("xl/worksheets/sheet1.xml", 600 << 20),
        (
            "the workbook (.xlsx) unpacks to 600 MB, more than the 512 MB a table document "
            "needs (a damaged or hostile file?)"
        ),
    ),
    (
        "bomb.docx",
        _zip_bomb("word/document.xml", 100 << 20),
        (
            "the Word document (.docx)'s part word/document.xml unpacks to 100 MB, more "
            "than the 64 MB a table document needs (a damaged or hostile file?)"
        ),
    ),
    (
        "cells.xlsx",
        _cell_bomb(600_000),
        "more than 500,000 cells: not a workbook of tables (a damaged or hostile file?)",
    ),
    (
        "corrupt.xlsx",
        b"PK\x03\x04" + bytes(range(256)) * 8,
        "not a workbook (.xlsx) (it is not a zip archive: File is not a zip file)",
    ),
    (
        "corrupt.docx",
        _corrupt_docx(),
        "not a Word document (.docx) (it is not a zip archive: File is not a zip file)",
    ),
    (
        "encrypted.xlsx",
        _ole("Root Entry", "EncryptionInfo", "EncryptedPackage"),
        (
            "an encrypted (password-protected) Office file; open it with its password and save "
            "a copy without one"
        ),
    ),
    (
        "encrypted.docx",
        _ole("Root Entry", "EncryptionInfo", "EncryptedPackage"),
        (
            "an encrypted (password-protected) Office file; open it with its password and save "
            "a copy without one"
        ),
    ),
    (
        "legacy.doc",
        _ole("Root Entry", "WordDocument"),
        "a legacy Word document (.doc); open it in Word or WPS and save it as .docx",
    ),
    (
        "legacy.wps",
        _ole("Root Entry", "WordDocument"),
        "a WPS document (.wps); open it in WPS and save it as .docx",
    ),
    (
        "legacy.et",
        _ole("Root Entry", "Workbook"),
        "a WPS spreadsheet (.et); open it in WPS and save it as .xlsx",
    ),
    (
        "doc-named.docx",
        _ole("Root Entry", "WordDocument"),
        (
            "a legacy Word document (.doc or .wps), not a Word document (.docx); open it in Word "
            "or WPS and save it as .docx"
        ),
    ),
    (
        "doc-named.xls",
        _ole("Root Entry", "WordDocument"),
        (
            "a legacy Word document (.doc or .wps), not a workbook (.xls); open it in Word or WPS "
            "and save it as .docx"
        ),
    ),
    (
        "damaged.xls",
        _ole("Root Entry", "Workbook"),
        "not a readable .xls workbook (Expected \"little-endian\" marker, found b'\\x00\\x00')",
    ),
    ("empty.xlsx", b"", "an empty file, not a workbook (.xlsx)"),
    ("empty.docx", b"", "an empty file, not a Word document (.docx)"),
    ("empty.xls", b"", "an empty file, not a workbook (.xls)"),
    (
        "empty.html",
        b"",
        NO_TABLE,
    ),
    (
        "no-table.html",
        "<html><body><h1>项目支出绩效自评表</h1><p>见附件。</p></body></html>".encode(),
        NO_TABLE,
    ),
    (
        "no-table.xlsx",
        _workbook([["部门预算表"], ["科目", "金额"], ["一般公共服务", "12.00"]]),
        NO_TABLE,
    ),
]


@pytest.mark.parametrize(("name", "raw", "message"), BAD, ids=[name for name, _, _ in BAD])
def test_a_bad_document_is_one_line_and_exit_2(tmp_path, capsys, name, raw, message):
    """Each bad document is one line saying what it is and what to do, exit 2."""
    path = tmp_path / name
    path.write_bytes(raw)
    with pytest.raises(DocumentError) as raised:
        load(path)
    assert str(raised.value) == f"{path}: {message}"
    assert main(["score", str(path), "-q"]) == 2
    assert capsys.readouterr().err == f"perfscore: {path}: {message}\n"


@pytest.mark.parametrize("name", ["bomb.xlsx", "bomb.docx", "cells.xlsx"])
def test_a_bomb_is_refused_before_it_takes_memory(tmp_path, name):
    """A zip bomb, or a sheet of 600,000 tiny cells, is refused in little memory."""
    import tracemalloc  # noqa: PLC0415

    raw = next(raw for bad, raw, _ in BAD if bad == name)
    (tmp_path / name).write_bytes(raw)
    tracemalloc.start()
    try:
        with pytest.raises(DocumentError):
            load(tmp_path / name)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 << 20


def test_an_xls_named_xlsx_and_an_xlsx_named_xls_are_read_as_what_they_are(tmp_path):
    """A workbook's name is taken for a hint: its bytes say what it is."""
    raw = (DOCUMENTS / "changji-2023-tables.xlsx").read_bytes()
    (tmp_path / "tables.xls").write_bytes(raw)
    assert len(load(tmp_path / "tables.xls")) == 17


def test_a_table_partly_unreadable_loads_its_unreadable_cells_as_findings(tmp_path, capsys):
    """A weight printed 五十, a target 见附件: the table loads, its cells are findings."""
    table = json.loads(EXAMPLES[12].read_text(encoding="utf-8"))
    table["indicators"][0]["weight"] = "十五"
    written = dv.write([table], dv.Variant(), "xlsx")
    path = tmp_path / "partly.xlsx"
    path.write_bytes(written.raw)
    assert main(["audit", str(path), "--format", "json", "-q"]) == 1
    report = json.loads(capsys.readouterr().out)
    [finding] = [
        finding for finding in report["tables"][0]["findings"] if finding["id"] == "unparsed-cell"
    ]
    assert finding["place"] == written.places[(0, "indicators", 0, "weight")] == "表1!G13"
    assert finding["message"] == "分值「十五」无法读取"


def test_a_batch_of_bad_and_good_documents(tmp_path, capsys):
    """A folder of every bad document and good ones: each bad one a line, the good read."""
    for name, raw, _ in BAD:
        (tmp_path / name).write_bytes(raw)
    good = dv.write(EXAMPLE_DICTS[1:3], dv.Variant(numbers=True), "xlsx")
    (tmp_path / "good.xlsx").write_bytes(good.raw)
    (tmp_path / "good.html").write_bytes(dv.write(EXAMPLE_DICTS[3:4], dv.Variant(), "html").raw)
    assert main(["score", str(tmp_path), "--format", "json", "-q"]) == 2
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert [Path(entry["file"]).name for entry in document["tables"]] == [
        ("good.html"),
        ("good.xlsx"),
        "good.xlsx",
    ]
    refused = {entry["source"]: entry["message"] for entry in document["refused"]}
    bad = {str(tmp_path / name): f"{tmp_path / name}: {message}" for name, _, message in BAD}
    # A directory lists documents by their suffixes: .doc, .wps and .et among them.
    assert refused == bad
    assert re.fullmatch(r"(perfscore: .*\n)*", captured.err)


# ---------------------------------------------------------------------------------
# Documents stretched far: a stray cell, a range merged to the sheet's end


def _with_sheet_xml(raw: bytes, edit: Any) -> bytes:
    """The workbook with its first sheet's XML passed through ``edit``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w") as archive:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            archive.writestr(entry, data)
    return out.getvalue()


_FAR_CELL = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(
            lambda xml: xml.replace(b"</sheetData>", _FAR_CELL + b"</sheetData>"), id="far-cell"
        ),
        pytest.param(
            lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml),
            id="stretched-dimension",
        ),
        pytest.param(
            lambda xml: xml.replace(
                b"</mergeCells>", b'<mergeCell ref="A400:XFD1048576"/></mergeCells>'
            ),
            id="merged-to-the-end",
        ),
    ],
)
def test_a_sheet_stretched_to_its_last_cell_reads_as_it_shows(tmp_path, edit):
    """A stray cell at XFD1048576, dimensions saying so, or a range merged to the end:
    the tables read as from the sheet without them, places and all (once, a minute's
    hang and more; the grid keeps at most BLANK_RUN of a run of blank rows)."""
    written = dv.write(EXAMPLE_DICTS[1:3], dv.Variant(), "xlsx")
    (tmp_path / "plain").mkdir()
    (tmp_path / "stretched").mkdir()
    plain, stretched = tmp_path / "plain" / "t.xlsx", tmp_path / "stretched" / "t.xlsx"
    plain.write_bytes(written.raw)
    stretched.write_bytes(_with_sheet_xml(written.raw, edit))
    assert stretched.read_bytes() != plain.read_bytes()
    want = [table.to_dict() for table in load(plain)]
    assert [table.to_dict() for table in load(stretched)] == want
    assert len(want) == 2


def test_a_merged_range_in_a_far_corner_of_a_grid_is_kept_small():
    """Blank runs are shortened in both directions, spans with them; places stay."""
    grid = Grid(
        [
            GridCell(0, 0, "一级指标", place="A1"),
            GridCell(3, 2, "", rows=1_000_000, columns=16_000, place="C4"),
            GridCell(2_000_000, 20_000, "x", place="far"),
        ]
    )
    assert (grid.height, grid.width) == (1 + 2 + 16 + 16 + 1, 1 + 1 + 16 + 16 + 1)
    assert [
        (cell.row, cell.column, cell.rows, cell.columns, cell.place) for cell in grid.cells
    ] == [
        (0, 0, 1, 1, "A1"),
        (3, 2, 16, 16, "C4"),
        (35, 34, 1, 1, "far"),
    ]


def test_a_value_left_inside_a_merged_range_is_not_a_cell_of_its_own():
    """As a spreadsheet shows a merged range: its first cell only."""
    grid = Grid([GridCell(0, 0, "产出指标", rows=3), GridCell(1, 0, "stale"), GridCell(1, 1, "a")])
    assert [cell.text for cell in grid.cells] == ["产出指标", "a"]
    assert grid.at(1, 0).text == "产出指标"


def test_a_page_of_spans_larger_than_any_table_is_refused(tmp_path):
    """A web page whose spans cover millions of positions: one line, exit 2."""
    rows = "".join("<tr><td colspan=1000>x</td></tr>" for _ in range(4001))
    path = tmp_path / "spans.html"
    path.write_text(f"<table>{rows}</table>", encoding="utf-8")
    with pytest.raises(DocumentError) as raised:
        load(path)
    assert str(raised.value) == (
        f"{path}: 表格1 spans 4,001 rows × 1,000 columns, more than the 4,000,000 cells a "
        "table document needs (a damaged or hostile file?)"
    )


@pytest.fixture(scope="module")
def seed_grids() -> list[Grid]:
    from perfscore.io.documents.xlsx import read_xlsx  # noqa: PLC0415

    with (DOCUMENTS / "changji-2023-tables.xlsx").open("rb") as stream:
        return list(read_xlsx(stream, source="t.xlsx"))


def _spread(grid: Grid, rows: dict[int, int], columns: dict[int, int]) -> Grid:
    """The grid with ``rows[r]`` blank rows put before row ``r`` (columns likewise);
    a cell across the gap reaches over it."""

    def moved(at: int, gaps: dict[int, int]) -> int:
        return at + sum(size for before, size in gaps.items() if before <= at)

    return Grid(
        [
            GridCell(
                moved(cell.row, rows),
                moved(cell.column, columns),
                cell.text,
                moved(cell.last_row, rows) - moved(cell.row, rows) + 1,
                moved(cell.last_column, columns) - moved(cell.column, columns) + 1,
                cell.place,
            )
            for cell in grid.cells
        ],
        grid.place,
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_blank_rows_and_columns_put_anywhere_change_no_table(seed_grids, data):
    """However many blank rows or columns lie between a form's cells (a stray cell far
    off, a gridBefore of millions), the tables read are the same."""
    grid = data.draw(st.sampled_from(seed_grids))
    gaps = st.dictionaries(st.integers(0, 60), st.integers(BLANK_RUN + 1, 2_000_000), max_size=3)
    rows = data.draw(gaps.map(lambda found: {at % grid.height: n for at, n in found.items()}))
    columns = data.draw(gaps.map(lambda found: {at % grid.width: n for at, n in found.items()}))
    spread = _spread(grid, rows, columns)
    assert recognise(spread, document="d") == recognise(grid, document="d")

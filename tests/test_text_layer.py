"""The reader of a PDF's extracted text layer (perfscore.io.documents.text)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfscore.errors import DocumentError
from perfscore.io.documents.text import read_text_file, read_text_tables

if TYPE_CHECKING:
    import random

HERE = Path(__file__).parent
SEED = HERE.parent / "examples" / "documents" / "000_cf34223da48d0767.txt"  # the seed's text
EXAMPLES = sorted((HERE.parent / "examples" / "changji-2023").glob("*.json"))
FIXTURES = HERE / "data" / "documents"

needs_seed = pytest.mark.skipif(not SEED.exists(), reason="the seed's text is not in examples")


def _bare(value: object) -> str:
    return re.sub(r"\s+", "", str(value))


def cells_of(table: dict[str, Any]) -> dict[str, str]:
    """Every cell of a table dict by its path, white space removed, places left out."""
    cells = {
        key: _bare(table[key])
        for key in ("name", "kind", "year", "department", "implementer", "money_unit", "total")
        if key in table
    }
    for index, row in enumerate(table.get("funds", [])):
        cells.update({f"funds[{index}].{k}": _bare(v) for k, v in row.items() if k != "places"})
    goal = table.get("goal") or {}
    cells.update({f"goal.{k}": _bare(goal[k]) for k in ("expected", "achieved") if goal.get(k)})
    for index, row in enumerate(table.get("indicators", [])):
        cells.update(
            {f"indicators[{index}].{k}": _bare(v) for k, v in row.items() if k != "places" and v}
        )
    return cells


def matched(expected: dict[str, Any], got: dict[str, Any]) -> tuple[int, int, list[str]]:
    """Cells equal after removing white space, cells in all, and the paths that differ."""
    want, have = cells_of(expected), cells_of(got)
    paths = sorted(set(want) | set(have))
    wrong = [path for path in paths if want.get(path) != have.get(path)]
    return len(paths) - len(wrong), len(paths), wrong


@pytest.fixture(scope="module")
def seed_tables() -> list[dict[str, Any]]:
    return read_text_tables(SEED.read_text(encoding="utf-8"), source=str(SEED))


@needs_seed
def test_the_seed_gives_the_17_tables_of_the_examples(seed_tables):
    """The seed's text gives 17 tables, project and department, in the examples' order."""
    assert len(seed_tables) == 17
    assert [table["name"] for table in seed_tables] == [
        json.loads(path.read_text(encoding="utf-8"))["name"] for path in EXAMPLES
    ]
    assert [table["kind"] for table in seed_tables] == ["department"] + ["project"] * 16


@needs_seed
@pytest.mark.parametrize("number", range(1, 18))
def test_the_seed_reads_every_cell_of_each_table(seed_tables, number):
    """Every cell of each seed table equals the example's, white space removed."""
    expected = json.loads(EXAMPLES[number - 1].read_text(encoding="utf-8"))
    good, total, wrong = matched(expected, seed_tables[number - 1])
    assert wrong == []
    assert good == total > 50


@needs_seed
def test_the_seed_tables_say_where_they_came_from(seed_tables):
    """Each table has its origin: document, lines, number; rows and the goal have places."""
    table = seed_tables[1]
    assert table["source"] == "000_cf34223da48d0767.txt"
    assert table["origin"] == {
        "document": "000_cf34223da48d0767.txt",
        "place": "第695–881行",
        "number": 2,
        "places": {
            "name": "第698行",
            "department": "第701–703行",
            "implementer": "第704行",
            "total": "第881行",
        },
    }
    assert table["indicators"][0]["places"] == {
        "level1": "第778–780行",
        "level2": "第782行",
        "level3": "第783–785行",
        "target": "第786行",
        "actual": "第786行",
        "weight": "第786行",
        "score": "第786行",
        "deviation_note": "第788–798行",
    }
    assert table["funds"][0]["places"]["rate"] == "第712行"
    assert table["goal"]["places"] == {"expected": "第729–739行", "achieved": "第741–753行"}
    assert [t["origin"]["number"] for t in seed_tables] == list(range(1, 18))


@needs_seed
def test_the_seed_row_cut_by_a_page_break_is_put_back(seed_tables):
    """A 三级 cell whose last line is printed after the page break is one cell."""
    row = seed_tables[0]["indicators"][1]
    assert row["level3"] == "培育创新型、专精特新、小巨人企业"
    assert row["places"]["level3"] == "第657–672行"


# Text layers of the examples printed by others (pdftotext) and written here
# (tests/text_layers.py): the cells each reads right, held as floors.
LAYERS = {
    "changji-2023-stream.txt": 1434,
    "changji-2023-interleaved.txt": 1263,
    "changji-2023-tables-layout.txt": 1350,
    "changji-2023-tables-plain.txt": 293,
    "changji-2023-report-plain.txt": 49,
}


def read_layer(name: str) -> tuple[int, int, int]:
    """Tables found, cells right and cells in all, reading one text layer."""
    tables = read_text_tables((FIXTURES / name).read_text(encoding="utf-8"), source=name)
    good = total = 0
    for index, path in enumerate(EXAMPLES):
        expected = json.loads(path.read_text(encoding="utf-8"))
        found, count, _ = matched(expected, tables[index] if index < len(tables) else {})
        good += found
        total += count
    return len(tables), good, total


@pytest.mark.parametrize(("name", "floor"), LAYERS.items())
def test_other_text_layers_read_at_least_as_many_cells(name, floor):
    """Each text layer reads at least the cells it read when this reader was made."""
    _, good, total = read_layer(name)
    assert good >= floor
    assert total >= 1460


@pytest.mark.parametrize("name", ["changji-2023-stream.txt", "changji-2023-interleaved.txt"])
def test_written_text_layers_find_every_table(name):
    """The text layers written from the examples find all 17 tables among the prose."""
    tables, _, _ = read_layer(name)
    assert tables == 17


SMALL = """\
前言：本单位开展了绩效自评。
 项 目 支 出 绩 效 自 评 表
（2022年度）
項目名稱 示例项目
主管部门 示例局
实施单位 示例中心
项目资金
（元）
年初预算数（A） 全年预算数（B） 全年执行数（C） 分值 执行率（C/B） 得分
年度资金总额 100 100 90 10 90% 9
其中：财政资金 100 100 90 — — —
年度总体目标
预期目标 实际完成情况
培训 100 人。
培训 120 人。
绩效指标 一级指标 二级指标 三级指标 目标值 实际值 权重 自评得分 未完成原因分析及改进措施
产出指标 数量指标
培训人
数
>=100 人 =120 人 50 50
质量指标 合格率 >=90% =95% 40 40
- 3 -
\f满意度
指标 满意度指标 满意度 >=90% =80% 10 8 宣传不
够
合计 100 98
后记：以上。
"""


def test_a_small_text_reads_with_its_spellings():
    """Header spellings, a leading column, traditional labels, a form feed, 元, 合计."""
    [table] = read_text_tables(SMALL, source="dir/small.txt")
    assert {k: table[k] for k in ("kind", "name", "year", "department", "implementer")} == {
        "kind": "project",
        "name": "示例项目",
        "year": 2022,
        "department": "示例局",
        "implementer": "示例中心",
    }
    assert table["money_unit"] == "元"
    assert table["funds"][1] == {
        "label": "其中：财政资金",
        "initial_budget": "100",
        "annual_budget": "100",
        "executed": "90",
        "places": {
            "label": "第1页 第11行",
            "initial_budget": "第1页 第11行",
            "annual_budget": "第1页 第11行",
            "executed": "第1页 第11行",
        },
    }
    assert [
        (r["level1"], r["level2"], r["level3"], r["target"], r["actual"], r["weight"], r["score"])
        for r in table["indicators"]
    ] == [
        ("产出指标", "数量指标", "培训人数", ">=100 人", "=120 人", "50", "50"),
        ("产出指标", "质量指标", "合格率", ">=90%", "=95%", "40", "40"),
        ("满意度指标", "满意度指标", "满意度", ">=90%", "=80%", "10", "8"),
    ]
    assert table["indicators"][2]["deviation_note"] == "宣传不够"
    assert table["total"] == "98"
    assert table["origin"]["place"] == "第1–2页 第2–26行"
    assert table["indicators"][2]["places"]["level1"] == "第2页 第23–24行"
    assert table["origin"]["document"] == "small.txt"


def test_a_cell_that_cannot_be_read_is_left_blank_not_invented():
    """A row without its figures keeps what was printed and leaves the rest blank."""
    text = (
        "一级指标 二级指标 三级指标 指标值 实际值 分值 得分\n产出指标 数量指标 培训人数 >=100 人\n"
    )
    [table] = read_text_tables(text, source="t.txt")
    [row] = table["indicators"]
    assert (row["level3"], row["target"], row["actual"], row["weight"]) == (
        "培训人数",
        ">=100 人",
        "",
        "",
    )
    assert "score" not in row


@needs_seed
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_read_text_file_decodes_like_the_csv_reader(encoding):
    """UTF-8, UTF-8 with a byte order mark and GB18030 give the same tables."""
    raw = SMALL.encode(encoding)
    assert read_text_file(raw, source="s.txt") == read_text_tables(SMALL, source="s.txt")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            b"%PDF-1.7\n\x00\x01",
            (
                "x.txt: binary data, not text (a NUL byte at byte 9); give the document itself "
                "(.pdf, .docx, .xlsx) or its text saved as UTF-8"
            ),
        ),
        (b"\xff\xfe\xfd\x80\x81", "x.txt: neither UTF-8 nor GB18030 text; save it as UTF-8"),
        ("本年收入 2,528.87 万元。".encode(), "x.txt: no self-evaluation table found in the text"),
        (b"", "x.txt: no self-evaluation table found in the text"),
    ],
)
def test_read_text_file_refuses_what_is_not_a_text_with_a_table(raw, message):
    """Binary data, undecodable bytes and a text with no table: one line saying so."""
    with pytest.raises(DocumentError) as caught:
        read_text_file(raw, source="x.txt")
    assert str(caught.value) == message


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=600))
def test_any_text_reads_without_raising(text):
    """Arbitrary text gives a list of table dicts, never an exception."""
    tables = read_text_tables(text, source="any.txt")
    assert all(isinstance(table["indicators"], list) for table in tables)


@settings(max_examples=150, deadline=None)
@given(
    st.randoms(use_true_random=False),
    st.sampled_from(["shuffle", "cut", "drop", "split"]),
    st.sampled_from(["SMALL", "LAID_OUT"]),
)
def test_a_cut_or_shuffled_table_reads_without_raising(rng: random.Random, how: str, piece: str):
    """Lines of a table shuffled, cut short, dropped or split mid-line: never an exception."""
    lines = globals()[piece].splitlines()
    if how == "shuffle":
        rng.shuffle(lines)
    elif how == "cut":
        lines = lines[: rng.randrange(len(lines))]
    elif how == "drop":
        lines = [line for line in lines if rng.random() < 0.7]
    else:
        split = []
        for line in lines:
            at = rng.randrange(len(line) + 1)
            split += [line[:at], line[at:]]
        lines = split
    tables = read_text_tables("\n".join(lines), source="cut.txt")
    for table in tables:
        for row in table["indicators"]:
            assert set(row) >= {"level1", "level2", "level3", "target", "actual", "weight"}


@needs_seed
@settings(max_examples=20, deadline=None)
@given(st.integers(0, 3000), st.integers(1, 400))
def test_slices_of_the_seed_read_without_raising(start: int, length: int):
    """Any slice of the seed's text, however it cuts a table, reads without raising."""
    lines = SEED.read_text(encoding="utf-8").splitlines()[start : start + length]
    read_text_tables("\n".join(lines), source="slice.txt")


def laid_out(*lines: tuple[tuple[int, str], ...]) -> str:
    """Lines with words at character columns, as pdftotext -layout places them."""
    printed = []
    for words in lines:
        line = ""
        for column, word in words:
            line = line.ljust(column if not line else max(column, len(line) + 1)) + word
        printed.append(line)
    return "\n".join(printed) + "\n"


HEADER = (
    (4, "一级指标"),
    (13, "二级指标"),
    (22, "三级指标"),
    (34, "年度指标值"),
    (45, "实际完成值"),
    (56, "分值"),
    (61, "得分"),
)
LAID_OUT = laid_out(
    ((0, "项目支出绩效自评表"),),
    ((0, "（2023年度）"),),
    ((0, "项目名称"), (12, "示例项目")),
    ((0, "主管部门"), (12, "示例局"), (30, "实施单位"), (40, "示例中心")),
    (
        (16, "年初预算数"),
        (26, "全年预算数"),
        (36, "全年执行数"),
        (46, "分值"),
        (52, "执行率"),
        (58, "得分"),
    ),
    (
        (0, "项目资金（万元"),
        (8, "年度资金总额"),
        (16, "10.00"),
        (26, "10.00"),
        (36, "9.00"),
        (46, "10"),
        (52, "90%"),
        (58, "9.00"),
    ),
    ((0, "）"), (8, "其中：当年财政拨款"), (18, "10.00"), (28, "10.00"), (38, "9.00")),
    ((12, "预期目标"), (34, "实际完成情况")),
    ((0, "年度总体目标"), (12, "培训 100 人，提升能力。"), (34, "培训 120 人，能力得到")),
    ((34, "提升。"),),
    HEADER,
    ((22, "培训人数"), (34, ">=100 人"), (45, "=120 人"), (56, "40"), (61, "40")),
    ((13, "数量指标"),),
    ((22, "培训班次"), (34, ">=2 期"), (45, "=2 期"), (56, "30"), (61, "30")),
    ((4, "产出指标"),),
    ((22, "学员合格率（经考"),),
    ((13, "质量指标"), (34, ">=90%"), (45, "=95%"), (56, "30"), (61, "30")),
    ((22, "核认定）"),),
    ((0, "总分"), (56, "100"), (61, "100")),
)


def test_text_laid_out_in_columns_reads_by_the_columns():
    """pdftotext -layout text: columns by the header's words, merged labels centred."""
    [table] = read_text_tables(LAID_OUT, source="layout.txt")
    assert [
        (r["level1"], r["level2"], r["level3"], r["target"], r["actual"], r["weight"], r["score"])
        for r in table["indicators"]
    ] == [
        ("产出指标", "数量指标", "培训人数", ">=100 人", "=120 人", "40", "40"),
        ("产出指标", "数量指标", "培训班次", ">=2 期", "=2 期", "30", "30"),
        ("产出指标", "质量指标", "学员合格率（经考核认定）", ">=90%", "=95%", "30", "30"),
    ]
    assert [(row["label"], row["executed"]) for row in table["funds"]] == [
        ("年度资金总额", "9.00"),
        ("其中：当年财政拨款", "9.00"),
    ]
    assert table["funds"][0]["rate"] == "90%"
    assert table["goal"]["expected"] == "培训 100 人，提升能力。"
    assert table["goal"]["achieved"] == "培训 120 人，能力得到提升。"
    assert (table["name"], table["implementer"], table["total"]) == ("示例项目", "示例中心", "100")
    assert table["indicators"][2]["places"]["level3"] == "第16–18行"

import codecs
import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from perfscore import TableFormatError, audit, load
from perfscore import testing as perfscore_testing
from perfscore.errors import FloatRefusedError, InvalidTable
from perfscore.io import csv as csvformat
from perfscore.io.csv import (
    CSV_COLUMNS,
    escape_cell,
    iter_csv,
    read_csv,
    tables_from_csv,
    tables_to_csv,
    unescape_cell,
    write_csv,
)
from perfscore.io.json import FUND_KEYS, INDICATOR_KEYS, TABLE_KEYS, table_from_dict

D = Decimal
ROOT = Path(__file__).resolve().parent.parent

HEADER = [
    "项目名称",
    "行类型",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
]
ROW = ["示例", "指标", "产出指标", "数量指标", "培训人数", ">=100 人", "=120 人", "10"]
INDICATOR = {
    "level1": "产出指标",
    "level2": "数量指标",
    "level3": "培训人数",
    "target": ">=100 人",
    "actual": "=120 人",
    "weight": "10",
}
NO_INDICATORS = "table '示例' has no 指标 records; a table needs at least one indicator row"


def make(*rows, header=HEADER):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def row(**cells):
    """ROW with cells replaced by header name."""
    out = list(ROW)
    for header, value in cells.items():
        out[HEADER.index(header)] = value
    return out


def error_text(text, source="data.csv"):
    with pytest.raises(TableFormatError) as caught:
        tables_from_csv(text, source=source)
    return str(caught.value)


def dicts(tables):
    return [table.to_dict() for table in tables]


# ------------------------------------------------------------------- the seed


def test_seed_round_trip(examples):
    """The 17 seed tables come back equal, every verbatim cell included."""
    tables = load(examples)
    back = tables_from_csv(tables_to_csv(tables))
    assert back == tables
    assert dicts(back) == dicts(tables)
    assert repr(dicts(back)) == repr(dicts(tables))
    assert read_csv(write_csv(tables), source="seed.csv") == tables
    targets = [row.target.text for table in back for row in table.indicators]
    assert targets == [row.target.text for table in tables for row in table.indicators]


def test_example_file_is_the_seed(examples):
    """examples/changji-2023.csv holds the 17 JSON tables, written by this writer."""
    raw = (ROOT / "examples" / "changji-2023.csv").read_bytes()
    tables = load(examples)
    assert raw.startswith(codecs.BOM_UTF8)
    assert raw == write_csv(tables)
    read = read_csv(raw, source="examples/changji-2023.csv")
    assert len(read) == 17
    assert dicts(read) == dicts(tables)


def test_writer_layout(examples):
    """The writer writes every column with its Chinese header, a 表 record first."""
    table = load(examples / "02_wine-competition-2022.json")[0]
    header, *records = csv.reader(io.StringIO(tables_to_csv([table]), newline=""))
    assert header == [column.header for column in CSV_COLUMNS]
    assert [record[1] for record in records] == ["表"] + ["资金"] * 3 + ["指标"] * 8
    first = dict(zip(header, records[0], strict=True))
    assert first["表类型"] == "项目"
    assert first["年度"] == "2023"
    assert first["总分"] == "90"
    assert first["附加字段"] == ""
    fund = dict(zip(header, records[1], strict=True))
    assert (fund["资金项目"], fund["执行率"], fund["分值"], fund["得分"]) == (
        "年度资金总额",
        '="98.36%"',  # a spreadsheet would show 98.36% as a number; see escape_cell
        "10",
        '="10.00"',
    )
    assert all(len(record) == len(CSV_COLUMNS) for record in records)
    assert tables_to_csv([table]).endswith("\r\n")


def test_columns_are_unambiguous():
    """Every header, alias and other spelling names one column."""
    spellings = [
        spelling
        for column in CSV_COLUMNS
        for spelling in (column.header, column.alias, *column.also)
    ]
    assert len(spellings) == len(set(spellings))
    assert [column.alias for column in CSV_COLUMNS][:2] == ["name", "record"]
    assert CSV_COLUMNS[-1].header == "附加字段"


# ------------------------------------------------------------------- reading


def test_minimal_file():
    """Indicator rows alone make a table; omitted columns are absent keys."""
    [table] = tables_from_csv(make(ROW))
    assert table.name == "示例"
    assert table.kind == "project"
    assert table.money_unit == "万元"
    assert table.goal is None
    assert table.total is None
    assert table.funds == ()
    indicator = table.indicators[0]
    assert (indicator.target.text, indicator.actual.text, indicator.weight.text) == (
        ">=100 人",
        "=120 人",
        "10",
    )
    assert indicator.score is None


def test_english_headers_any_order_and_case():
    """English aliases, in any case and order, with stray spaces, read like the Chinese."""
    header = ["Weight", " record ", "NAME", "level1", "Level2", "level 3", "target", "actual"]
    cells = ["10", "indicator", "示例", "产出指标", "数量指标", "培训人数", ">=100 人", "=120 人"]
    assert tables_from_csv(make(cells, header=header)) == tables_from_csv(make(ROW))


def test_other_spellings():
    """Full-width header text, 偏差原因分析, label/expected and English record types read."""
    header = [
        "项目名称",
        "行类型",
        "表类型",
        "预期目标",
        "ｌａｂｅｌ",
        "initial-budget",
        "全年 预算数",
        "全年执行数",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "偏差原因分析",
    ]
    rows = [
        ["示例", "Table", "Department", "目标", *[""] * 11],
        ["示例", "FUNDS", "", "", "合计", "1", "2", "3", *[""] * 7],
        ["示例", "指标", "", "", "", "", "", "", "产出指标", "数量指标", "x", "1", "1", "10", "无"],
    ]
    [table] = tables_from_csv(make(*rows, header=header))
    assert table.kind == "department"
    assert table.goal is not None
    assert table.goal.expected == "目标"
    assert table.funds[0].label == "合计"
    assert table.funds[0].executed.text == "3"
    assert table.indicators[0].deviation_note == "无"


def test_blank_cells():
    """An empty optional cell is absent; an empty required cell is a blank printed cell."""
    header = [*HEADER, "得分", "年度总体目标"]
    [table] = tables_from_csv(make([*row(年度指标值="", 分值=""), "", ""], header=header))
    indicator = table.indicators[0]
    assert indicator.target.kind == "not-applicable"
    assert indicator.target.text == ""
    assert indicator.weight.kind == "not-applicable"
    assert indicator.score is None
    assert table.goal is None


def test_blank_marks():
    """perfscore:blank says an optional cell (or a label) is present but blank."""
    header = [*HEADER, "得分", "年度总体目标", "附加字段"]
    mark = json.dumps({"perfscore:blank": ["score", "三级指标", "goal_expected"]})
    rows = [[*row(三级指标=""), "", "", mark]]
    [table] = tables_from_csv(make(*rows, header=header))
    assert table.indicators[0].score is not None
    assert table.indicators[0].score.text == ""
    assert table.indicators[0].level3 == ""
    assert table.goal is not None
    assert table.goal.expected == ""
    assert table.goal.achieved is None


def test_unparseable_cells_are_not_errors():
    """Cells that cannot be read load as unreadable cells, for the audit to report."""
    [table] = tables_from_csv(make(row(分值="二十", 年度指标值="1-3年")))
    assert table.indicators[0].weight.kind == "unreadable"
    assert table.indicators[0].weight.text == "二十"
    assert table.indicators[0].target.kind == "unreadable"


def test_unknown_columns_become_extra_keys():
    """Unknown columns are kept as extra keys (string values) and written back."""
    header = ["页码", *HEADER, "审核人"]
    rows = [
        ["", "示例", "表", *[""] * 6, "张三"],
        ["12", *ROW, ""],
    ]
    [table] = tables_from_csv(make(*rows, header=header))
    assert table.extra == (("审核人", "张三"),)
    assert table.indicators[0].extra == (("页码", "12"),)
    text = tables_to_csv([table])
    assert '"{""审核人"": ""张三""}"' in text
    assert tables_from_csv(text) == [table]
    assert dicts(tables_from_csv(text)) == dicts([table])


def test_extra_column_values_are_exact():
    """JSON in 附加字段 keeps Decimal digits, nesting and key order."""
    header = [*HEADER, "附加字段"]
    extra = '{"b": 1.50, "a": [1E+2, {"x": null, "y": true}], "c": "文字"}'
    [table] = tables_from_csv(make([*ROW, extra], header=header))
    assert table.indicators[0].extra == (
        ("b", D("1.50")),
        ("a", [D("1E+2"), {"x": None, "y": True}]),
        ("c", "文字"),
    )
    assert repr(tables_from_csv(tables_to_csv([table]))[0].indicators[0].extra) == repr(
        table.indicators[0].extra
    )


def test_reserved_keys_round_trip():
    """Extra keys that look like the reserved ones, and goal extras, come back."""
    data = {
        "name": "示例",
        "goal": {"note": D("1.0")},
        "perfscore:blank": ["x"],
        "other": "y",
        "indicators": [{**INDICATOR, "perfscore:goal": D(1)}],
    }
    table = table_from_dict(data)
    text = tables_to_csv([table])
    assert '"perfscore:extra"' in text
    back = tables_from_csv(text)
    assert back == [table]
    assert repr(dicts(back)) == repr(dicts([table]))


def test_goal_present_but_empty():
    """A goal object with nothing in it survives (perfscore:goal marks it)."""
    table = table_from_dict({"name": "x", "goal": {}, "indicators": [INDICATOR]})
    assert table.goal is not None
    text = tables_to_csv([table])
    assert '"{""perfscore:goal"": {}}"' in text
    assert tables_from_csv(text)[0].goal == table.goal


def test_several_tables():
    """A new table starts at a change of name, or at a 表 record (even of the same name)."""
    header = ["项目名称", "行类型", "年度", *HEADER[2:]]
    rows = [
        ["甲", "指标", "", *ROW[2:]],
        ["乙", "表", "2023", *[""] * 6],
        ["乙", "指标", "", *ROW[2:]],
        ["乙", "表", "2024", *[""] * 6],
        ["乙", "指标", "", *ROW[2:]],
        ["乙", "指标", "", *ROW[2:]],
        ["甲", "指标", "", *ROW[2:]],
    ]
    tables = tables_from_csv(make(*rows, header=header))
    assert [(table.name, table.year, len(table.indicators)) for table in tables] == [
        ("甲", None, 1),
        ("乙", 2023, 1),
        ("乙", 2024, 2),
        ("甲", None, 1),
    ]
    assert tables_from_csv(tables_to_csv(tables)) == tables


def test_table_fields_may_repeat():
    """A table field repeated on the table's other records is read when it agrees."""
    header = ["项目名称", "行类型", "年度", "主管部门", *HEADER[2:]]
    rows = [["示例", "指标", "2023", "工信局", *ROW[2:]], ["示例", "指标", "2023", "", *ROW[2:]]]
    [table] = tables_from_csv(make(*rows, header=header))
    assert (table.year, table.department, len(table.indicators)) == (2023, "工信局", 2)


def test_excel_quirks():
    """CRLF, blank rows, trailing empty columns and a BOM in the text are read."""
    text = "\ufeff" + make(ROW).replace("\n", ",,\r\n") + "\r\n,,,\r\n"
    assert tables_from_csv(text) == tables_from_csv(make(ROW))


def test_lines_count_quoted_newlines():
    """Line numbers are physical lines: a cell holding newlines moves the next record down."""
    rows = [row(三级指标="多\n行\n名称"), row(分值="10", 一级指标="")]
    assert error_text(make(*rows)) == (
        "data.csv: not a perfscore table (1 problem)\n"
        "  line 5: 一级指标: required cell is blank (a label printed once is repeated on every row)"
    )


def test_year():
    """A year is an int; a year that is not one is the format's problem, by line."""
    header = ["项目名称", "行类型", "年度"]
    [table] = tables_from_csv(
        make(["示例", "表", "2023"], ["示例", "指标", "", *ROW[2:]], header=header + HEADER[2:])
    )
    assert table.year == 2023
    text = make(
        ["示例", "表", "二〇二三"], ["示例", "指标", "", *ROW[2:]], header=header + HEADER[2:]
    )
    assert error_text(text) == (
        "data.csv: not a perfscore table (1 problem)\n"
        "  line 2: 年度: expected a year such as 2023, got a string"
    )


# ------------------------------------------------------------------- errors


def extra_row(extra):
    return make([*ROW, extra], header=[*HEADER, "附加字段"])


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        pytest.param("", ["the file is empty"], id="empty"),
        pytest.param("\n\r\n,,\n", ["the file is empty"], id="blank-lines"),
        pytest.param(make(), ["line 1: no records below the header"], id="header-only"),
        pytest.param(
            make(ROW[1:], header=HEADER[1:]), ["line 1: no 项目名称 (name) column"], id="no-name"
        ),
        pytest.param(
            make(ROW[2:], header=HEADER[2:]),
            ["line 1: no 项目名称 (name) column", "line 1: no 行类型 (record) column"],
            id="no-name-no-record",
        ),
        pytest.param(
            make(row(行类型="指示")),
            [
                (
                    "line 2: 行类型: unknown record type '指示'; "
                    "expected 表 (table), 资金 (funds) or 指标 (indicator)"
                )
            ],
            id="unknown-record",
        ),
        pytest.param(
            make(ROW, row(行类型=" ")),
            [
                (
                    "line 3: 行类型: required cell is blank; "
                    "expected 表 (table), 资金 (funds) or 指标 (indicator)"
                )
            ],
            id="blank-record",
        ),
        pytest.param(
            make(ROW, row(一级指标="")),
            [
                (
                    "line 3: 一级指标: required cell is blank "
                    "(a label printed once is repeated on every row)"
                )
            ],
            id="blank-level1",
        ),
        pytest.param(
            make(row(三级指标="")), ["line 2: 三级指标: required cell is blank"], id="blank-level3"
        ),
        pytest.param(
            make(row(项目名称="")), ["line 2: 项目名称: required cell is blank"], id="blank-name"
        ),
        pytest.param(
            make(ROW[:2] + ROW[3:], header=HEADER[:2] + HEADER[3:]),
            ["line 1: no 一级指标 (level1) column; 指标 records need it"],
            id="missing-column",
        ),
        pytest.param(
            make(["示例", "资金"], ROW, header=HEADER),
            [
                "line 1: no 资金项目 (fund_label) column; 资金 records need it",
                "line 1: no 年初预算数 (initial_budget) column; 资金 records need it",
                "line 1: no 全年预算数 (annual_budget) column; 资金 records need it",
                "line 1: no 全年执行数 (executed) column; 资金 records need it",
            ],
            id="missing-fund-columns",
        ),
        pytest.param(
            make(["示例", "资金", "产出指标"], ROW, header=HEADER),
            [
                "line 1: no 资金项目 (fund_label) column; 资金 records need it",
                "line 1: no 年初预算数 (initial_budget) column; 资金 records need it",
                "line 1: no 全年预算数 (annual_budget) column; 资金 records need it",
                "line 1: no 全年执行数 (executed) column; 资金 records need it",
                "line 2: 一级指标: a 资金 record does not use this column",
            ],
            id="column-not-used",
        ),
        pytest.param(
            make(["示例", "表", *ROW[2:]]),
            [
                "line 2: 一级指标: a 表 record does not use this column",
                "line 2: 二级指标: a 表 record does not use this column",
                "line 2: 三级指标: a 表 record does not use this column",
                "line 2: 年度指标值: a 表 record does not use this column",
                "line 2: 实际完成值: a 表 record does not use this column",
                "line 2: 分值: a 表 record does not use this column",
                f"line 2: {NO_INDICATORS}",
            ],
            id="indicator-cells-on-table-record",
        ),
        pytest.param(
            make(
                ["示例", "表", "2023"],
                ["示例", "指标", "2024", *ROW[2:]],
                header=["项目名称", "行类型", "年度", *HEADER[2:]],
            ),
            ["line 3: 年度: '2024' differs from '2023' on line 2"],
            id="table-field-conflict",
        ),
        pytest.param(
            make(
                ["示例", "表", "专项"],
                ["示例", "指标", "", *ROW[2:]],
                header=["项目名称", "行类型", "表类型", *HEADER[2:]],
            ),
            ["line 2: 表类型: expected 项目 (project) or 部门 (department), got '专项'"],
            id="unknown-kind",
        ),
        pytest.param(
            make(["示例", "表"], ["示例", "表"], ROW),
            [
                f"line 2: {NO_INDICATORS}",
            ],
            id="no-indicators",
        ),
        pytest.param(
            extra_row("{"),
            [
                (
                    "line 2: 附加字段: not valid JSON (Expecting property name enclosed in double "
                    "quotes at line 1 column 2)"
                )
            ],
            id="bad-json",
        ),
        pytest.param(
            extra_row("NaN"),
            ["line 2: 附加字段: not valid JSON (NaN is not a number a table can hold)"],
            id="nan-json",
        ),
        pytest.param(
            extra_row("[1]"),
            ["line 2: 附加字段: expected a JSON object, got an array"],
            id="json-not-object",
        ),
        pytest.param(
            extra_row('{"perfscore:blank": "score"}'),
            ["line 2: 附加字段: perfscore:blank must be an array of column names"],
            id="blank-not-list",
        ),
        pytest.param(
            extra_row('{"perfscore:blank": ["colour", "rate"]}'),
            [
                "line 2: 附加字段: perfscore:blank names 'colour', not a column of a 指标 record",
                "line 2: 附加字段: perfscore:blank names 'rate', not a column of a 指标 record",
            ],
            id="blank-unknown-column",
        ),
        pytest.param(
            extra_row('{"perfscore:blank": ["weight"]}'),
            ["line 2: 附加字段: perfscore:blank names 'weight', but its cell holds '10'"],
            id="blank-but-filled",
        ),
        pytest.param(
            extra_row('{"perfscore:goal": {}}'),
            ["line 2: 附加字段: perfscore:goal belongs on a 表 record"],
            id="goal-on-indicator",
        ),
        pytest.param(
            make(
                ["示例", "表", *[""] * 6, '{"perfscore:goal": []}'],
                ROW,
                header=[*HEADER, "附加字段"],
            ),
            ["line 2: 附加字段: perfscore:goal must be a JSON object, got an array"],
            id="goal-not-object",
        ),
        pytest.param(
            make(
                ["示例", "表", *[""] * 6, '{"perfscore:goal": {"expected": "x"}}'],
                ROW,
                header=[*HEADER, "附加字段"],
            ),
            [
                (
                    "line 2: 附加字段: perfscore:goal holds 'expected', "
                    "a key of the table format, not an extra one"
                )
            ],
            id="goal-known-key",
        ),
        pytest.param(
            extra_row('{"perfscore:colour": 1}'),
            [
                (
                    "line 2: 附加字段: unknown key 'perfscore:colour'; "
                    "keys starting with 'perfscore:' go in perfscore:extra"
                )
            ],
            id="unknown-reserved-key",
        ),
        pytest.param(
            extra_row('{"perfscore:extra": 1}'),
            ["line 2: 附加字段: perfscore:extra must be a JSON object, got the number 1"],
            id="extra-not-object",
        ),
        pytest.param(
            extra_row('{"weight": "5", "perfscore:extra": {"score": "1"}}'),
            [
                "line 2: 附加字段: 'weight' is a key of the table format, not an extra one",
                "line 2: 附加字段: 'score' is a key of the table format, not an extra one",
            ],
            id="extra-known-key",
        ),
        pytest.param(
            make(["示例", "表", *[""] * 6, "perfscore.table/2"], ROW, header=[*HEADER, "format"]),
            ["line 2: format: 'format' is a key of the table format, not an extra one"],
            id="reserved-column-name",
        ),
        pytest.param(
            make([*ROW, "12", '{"页码": 12}'], header=[*HEADER, "页码", "extra"]),
            ["line 2: extra: '页码' is given twice (also in 页码)"],
            id="extra-twice",
        ),
        pytest.param(
            make([*ROW, "10"], header=[*HEADER, "weight"]),
            ["line 1: weight: column 9 repeats column 8"],
            id="repeated-column",
        ),
        pytest.param(
            make([*ROW, "", "x"], header=[*HEADER, "页码", "页码"]),
            ["line 1: 页码: column 10 repeats column 9"],
            id="repeated-unknown-column",
        ),
        pytest.param(
            make([*ROW, "", "多余"]),
            ["line 2: column 10 holds '多余' but has no header"],
            id="cell-without-header",
        ),
    ],
)
def test_structural_errors(text, problems):
    """Each problem of the shape is reported in full, by line and column."""
    noun = "problem" if len(problems) == 1 else "problems"
    expected = [f"data.csv: not a perfscore table ({len(problems)} {noun})"]
    expected += [f"  {problem}" for problem in problems]
    assert error_text(text).splitlines() == expected


def test_all_problems_together_in_line_order():
    """Every problem of a file is raised at once, sorted by line, in the file's own headers."""
    header = ["name", "record", "year", "level1", "level2", "level3", "target", "actual", "weight"]
    rows = [
        ["甲", "indicator", "", "产出指标", "数量指标", "a", "1", "1", "10"],
        ["甲", "indicator", "", "", "数量指标", "b", "1", "1", "10"],
        ["乙", "table", "二〇二三", "", "", "", "", "", ""],
        ["乙", "row", "", "", "", "", "", "", ""],
    ]
    with pytest.raises(TableFormatError) as caught:
        tables_from_csv(make(*rows, header=header), source="data.csv")
    assert str(caught.value).splitlines() == [
        "data.csv: not a perfscore table (4 problems)",
        "  line 3: level1: required cell is blank (a label printed once is repeated on every row)",
        "  line 4: year: expected a year such as 2023, got a string",
        "  line 4: table '乙' has no 指标 records; a table needs at least one indicator row",
        (
            "  line 5: record: unknown record type 'row'; "
            "expected 表 (table), 资金 (funds) or 指标 (indicator)"
        ),
    ]
    assert all(problem.source == "data.csv" for problem in caught.value.exceptions)


def test_format_problems_map_to_lines(monkeypatch):
    """Problems table_from_dict reports by path are reported at the CSV line and column."""

    def refuse(_data, *, source, memo=None):  # noqa: ARG001 - the reader's signature
        problems = ["indicators[1].weight", "funds[0].label", "goal.expected", "total", ""]
        raise TableFormatError(
            source, [InvalidTable(path, "bad", source=source) for path in problems]
        )

    monkeypatch.setattr(csvformat, "table_from_dict", refuse)
    header = ["name", "record", "goal_expected", "total", "fund_label", "initial_budget"]
    header += ["annual_budget", "executed", *HEADER[2:]]
    rows = [
        ["示例", "表", "目标", "90", *[""] * 10],
        ["示例", "资金", "", "", "合计", "1", "1", "1", *[""] * 6],
        ["示例", "指标", "", "", "", "", "", "", *ROW[2:]],
        ["示例", "指标", "", "", "", "", "", "", *ROW[2:]],
    ]
    assert error_text(make(*rows, header=header)).splitlines()[1:] == [
        "  line 2: goal_expected: bad",
        "  line 2: total: bad",
        "  line 2: bad",
        "  line 3: fund_label: bad",
        "  line 5: 分值: bad",
    ]


# ------------------------------------------------------------------- bytes


def test_encodings():
    """UTF-8, UTF-8 with a BOM and GB18030 bytes read the same tables."""
    text = make(ROW, row(三级指标="参赛样品合格率（％）"))
    expected = tables_from_csv(text)
    assert read_csv(text.encode(), source="a.csv") == expected
    assert read_csv(codecs.BOM_UTF8 + text.encode(), source="b.csv") == expected
    assert read_csv(text.encode("gb18030"), source="c.csv") == expected
    assert dicts(read_csv(text.encode("gb18030"), source="c.csv")) == dicts(expected)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"", "the file is empty"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "binary data, not CSV text (a NUL byte at byte 8)",
        ),
        (
            "项目名称".encode("utf-16"),
            "UTF-16 text, which perfscore does not read; save the file as CSV UTF-8",
        ),
        (b"name,record\n\x80\xff", "neither UTF-8 nor GB18030 text (byte 12: b'\\x80')"),
        (
            codecs.BOM_UTF8 + "项目".encode("gb18030"),
            "not UTF-8 text, though it starts with a UTF-8 BOM (byte 3: b'\\xcf')",
        ),
    ],
)
def test_bytes_that_are_not_csv_text(raw, problem):
    """Empty, binary and undecodable files are refused with a clear message."""
    with pytest.raises(TableFormatError) as caught:
        read_csv(raw, source="in.csv")
    assert str(caught.value) == f"in.csv: not a perfscore table (1 problem)\n  {problem}"


# ------------------------------------------------------------------- writing


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (0.1, FloatRefusedError, "extra.note: got the float 0.1"),
        ([D("NaN")], ValueError, r"extra.note\[0\]: NaN is not a number JSON can hold"),
        ({1: "x"}, TypeError, "extra.note: a JSON object's keys are strings, got 1"),
        (object(), TypeError, "extra.note: cannot write object as JSON"),
    ],
)
def test_writer_refuses_values_json_cannot_hold(value, error, message):
    """An extra value that could not come back equal is refused, naming where it is."""
    table = table_from_dict({"name": "x", "note": value, "indicators": [INDICATOR]})
    with pytest.raises(error, match=message):
        tables_to_csv([table])


# ------------------------------------------------------------------- properties

# Cell text built from parts a CSV writer must quote or keep: separators, quotes,
# line ends, CJK, spaces at either end, formula-like = signs.
_PARTS = st.sampled_from(
    [
        ",",
        '"',
        "\n",
        "\r",
        "\r\n",
        " ",
        "\t",
        "=",
        "=1044 件",
        ">=700 件",
        "≥95%",
        "产出指标",
        "（50分）",
        "—",
        "'",
        ";",
        "\ufeff",
        "10.00",
        "",
        "/",
    ]
)
cell_text = st.lists(st.one_of(_PARTS, st.text(max_size=4)), max_size=5).map("".join)
cell = st.one_of(cell_text, st.none())
json_number = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False),
    st.integers().map(Decimal),
)
json_value = st.recursive(
    st.none() | st.booleans() | json_number | cell_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(cell_text, inner, max_size=3),
    max_leaves=8,
)
KNOWN = {*TABLE_KEYS, *FUND_KEYS, *INDICATOR_KEYS, "expected", "achieved"}  # and the goal's
extra_key = st.one_of(
    st.sampled_from(["note", "perfscore:blank", "perfscore:goal", "perfscore:extra", "页码", ""]),
    cell_text,
).filter(lambda key: key not in KNOWN)
extras = st.dictionaries(extra_key, json_value, max_size=2)


def with_extras(strategy):
    return st.tuples(strategy, extras).map(lambda pair: {**pair[0], **pair[1]})


indicator = with_extras(
    st.fixed_dictionaries(
        {
            "level1": cell_text,
            "level2": cell_text,
            "level3": cell_text,
            "target": cell,
            "actual": cell,
            "weight": cell,
        },
        optional={"score": cell, "deviation_note": cell, "basis": cell},
    )
)
fund = with_extras(
    st.fixed_dictionaries(
        {"label": cell_text, "initial_budget": cell, "annual_budget": cell, "executed": cell},
        optional={"weight": cell, "rate": cell, "score": cell},
    )
)
goal = with_extras(st.fixed_dictionaries({}, optional={"expected": cell, "achieved": cell}))
table_dict = with_extras(
    st.fixed_dictionaries(
        {"name": cell_text, "indicators": st.lists(indicator, min_size=1, max_size=3)},
        optional={
            "kind": st.sampled_from(["project", "department"]),
            "year": st.integers(),
            "department": cell,
            "implementer": cell,
            "source": cell,
            "money_unit": cell_text,
            "funds": st.lists(fund, max_size=3),
            "goal": st.one_of(goal, st.none()),
            "total": cell,
            "remarks": cell,
        },
    )
)


@given(st.lists(table_dict, min_size=1, max_size=3), st.booleans())
def test_round_trip(data, repeat):
    """Any tables come back equal from CSV, every verbatim cell and extra value included."""
    try:
        tables = [table_from_dict(item) for item in data]
    except TableFormatError:
        reject()
    if repeat:
        tables.append(tables[-1])  # the same name twice in a row
    back = tables_from_csv(tables_to_csv(tables))
    assert back == tables
    assert repr(dicts(back)) == repr(dicts(tables))
    raw = write_csv(tables)
    if b"\x00" not in raw:
        assert read_csv(raw, source="x.csv") == tables


_SPELLINGS = [
    spelling for column in CSV_COLUMNS for spelling in (column.header, column.alias, *column.also)
]
_CELLS = st.one_of(
    st.sampled_from(
        [
            "表",
            "资金",
            "指标",
            "table",
            "项目",
            "部门",
            "2023",
            "",
            "10",
            "示例",
            "{",
            "[]",
            '{"a": 1}',
            '{"perfscore:blank": ["score", 1]}',
            '{"perfscore:blank": ["name", "goal"]}',
            '{"perfscore:goal": {}}',
            '{"perfscore:extra": {"weight": 1}}',
        ]
    ),
    st.text(max_size=5),
)
random_csv = st.tuples(
    st.lists(st.one_of(st.sampled_from(_SPELLINGS), st.text(max_size=3)), max_size=12),
    st.lists(st.lists(_CELLS, max_size=12), max_size=5),
).map(lambda parts: make(*parts[1], header=parts[0]))


def outcome(read, *args, **kwargs):
    """The tables read, or the TableFormatError raised (any other exception escapes)."""
    try:
        return read(*args, **kwargs)
    except TableFormatError as error:
        return error


@given(st.one_of(st.text(), random_csv))
def test_any_text_loads_or_raises_table_format_error(text):
    """Arbitrary text gives tables or a TableFormatError, never another exception."""
    result = outcome(tables_from_csv, text, source="any.csv")
    if isinstance(result, TableFormatError):
        assert result.exceptions
        assert all(problem.source == "any.csv" for problem in result.exceptions)
    else:
        assert result


@given(st.binary())
def test_any_bytes_load_or_raise_table_format_error(raw):
    """Arbitrary bytes give tables or a TableFormatError, never another exception."""
    result = outcome(read_csv, raw, source="any.csv")
    assert isinstance(result, (TableFormatError, list))


def test_stream_csv_writes_what_write_csv_writes():
    """Streaming tables to a file gives the same bytes as writing them at once."""
    from perfscore.io.csv import stream_csv, write_csv  # noqa: PLC0415

    tables = load("examples/changji-2023")
    stream = io.BytesIO()
    assert stream_csv(iter(tables), stream) == 17
    assert stream.getvalue() == write_csv(tables)


# ------------------------------------------------------------------- quotes (item 3)

QUOTE_HEADER = [*HEADER, "得分"]


def column_label(position):
    """How a problem names a column by its place."""
    if position < len(QUOTE_HEADER):
        return f"{QUOTE_HEADER[position]} (column {position + 1})"
    return f"column {position + 1}"


@settings(max_examples=300)
@given(
    count=st.integers(1, 5),
    data=st.data(),
    newline=st.sampled_from(["\n", "\r\n"]),
    closed_later=st.booleans(),
)
def test_an_unterminated_quote_is_an_error_at_the_line_it_opens(count, data, newline, closed_later):
    """A quote opening a cell and never closed (or closed only on a later line, before
    text) is an error naming the line and column where it opened, in any column of any
    line, LF or CRLF; the tables before it are read, nothing after it."""
    broken = data.draw(st.integers(-1, count - 1), label="broken row (-1: the header)")
    column = data.draw(st.integers(0, len(QUOTE_HEADER) + 1), label="column")
    rows = [list(QUOTE_HEADER)] + [[f"表{index}", *ROW[1:], "10"] for index in range(count)]
    cells = rows[broken + 1]
    cells.extend([""] * (column + 1 - len(cells)))
    cells[column] = '"' + (cells[column] or "培训人数")
    line = broken + 2
    last = count + 1
    closes = closed_later and broken < count - 1
    if closes:
        rows[broken + 2][0] = f'"{rows[broken + 2][0]}"'  # a sound quoted cell on the next line
    text = "".join(",".join(row) + newline for row in rows)
    if closes:
        problem = (
            f"line {line}: {column_label(column) if broken >= 0 else f'column {column + 1}'}: "
            f"the quote opening this cell closes on line {line + 1}, where text follows it "
            f"('\"表{broken + 1}\"'): a closing quote is missing, or a quote inside the cell "
            "is not written twice"
        )
    else:
        rest = f" (it takes in the rest of the file, lines {line} to {last})" if line < last else ""
        name = column_label(column) if broken >= 0 else f"column {column + 1}"
        problem = f"line {line}: {name}: the quote opening this cell is never closed{rest}"
    expected = f"data.csv: not a perfscore table (1 problem)\n  {problem}"
    assert error_text(text) == expected
    items = list(iter_csv(io.BytesIO(text.encode()), source="data.csv"))
    assert str(items[-1]) == expected
    # The table before the broken row is complete when the row's own name and type,
    # left of the quote, start another table.
    complete = broken if column >= len(["name", "record"]) else broken - 1
    assert [item.name for item in items[:-1]] == [f"表{index}" for index in range(max(complete, 0))]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("inside", ["\n", "\r\n", "\n\n", "\r"])
def test_closed_multiline_cells_read(newline, inside):
    """A quoted cell holding line breaks that is closed reads, and the rows after it too."""
    rows = [
        ",".join(HEADER),
        ",".join(row(三级指标=f'"多{inside}行""名称"""')),
        ",".join(row(三级指标="下一行")),
    ]
    tables = tables_from_csv(newline.join(rows) + newline)
    assert [r.level3 for r in tables[0].indicators] == [f'多{inside}行"名称"', "下一行"]


def test_text_after_a_closing_quote_fails_its_table_only():
    """Text after the closing quote of a cell on one line is a problem of that table;
    the row is read as a spreadsheet reads it and the other tables are read."""
    rows = [
        ",".join(HEADER),
        ",".join(row(项目名称="甲")),
        ",".join(row(项目名称="乙", 三级指标='"培训""人数"x')),
        ",".join(row(项目名称="丙")),
    ]
    raw = ("\r\n".join(rows) + "\r\n").encode()
    first, error, third = iter_csv(io.BytesIO(raw), source="data.csv")
    assert (first.name, third.name) == ("甲", "丙")
    assert str(error) == (
        "data.csv: not a perfscore table (1 problem)\n"
        "  line 3: 三级指标 (column 5): text follows the closing quote of this quoted cell "
        '(\'"培训""人数"x\'); a quote inside a quoted cell is written twice ("")'
    )


def test_text_the_csv_module_cannot_read(monkeypatch):
    """Any other text the csv module refuses stops the reading at its line."""
    monkeypatch.setattr(csvformat, "_FIELD_LIMIT", 10)
    assert error_text(make(ROW, row(三级指标="x" * 11))) == (
        "data.csv: not a perfscore table (1 problem)\n"
        "  line 3: not readable as CSV (field larger than field limit (10))"
    )


# ------------------------------------------------------------------- long cells (item 2)

LONG = "长" * 200_000


def test_cells_of_any_length_read_back():
    """Cells longer than the csv module's field limit (131,072) read back, escaped or
    not, and the caller's field limit is what it was."""
    before = csv.field_size_limit()
    table = table_from_dict(
        {
            "name": "示例",
            "indicators": [
                {**INDICATOR, "level3": LONG, "target": "=" + LONG, "deviation_note": LONG + "\n"}
            ],
        }
    )
    text = tables_to_csv([table])
    assert tables_from_csv(text) == [table]
    assert read_csv(write_csv([table]), source="x.csv") == [table]
    assert list(iter_csv(io.BytesIO(write_csv([table])), source="x.csv")) == [table]
    assert csv.field_size_limit() == before


def test_iter_csv_gives_the_caller_its_field_limit_between_tables():
    """The reader raises the csv field limit only while it reads: between the tables it
    hands out, the caller's own limit holds."""
    before = csv.field_size_limit(1000)
    try:
        tables = [table_from_dict({"name": name, "indicators": [{**INDICATOR, "level3": LONG}]})
                  for name in ("甲", "乙", "丙")]  # fmt: skip
        limits = []
        for item in iter_csv(io.BytesIO(write_csv(tables)), source="x.csv"):
            limits.append((item.name, csv.field_size_limit()))
            assert len(next(csv.reader(["x" * 999]))[0]) == 999
        assert limits == [("甲", 1000), ("乙", 1000), ("丙", 1000)]
    finally:
        csv.field_size_limit(before)


# Hostile cell text: what CSV quotes, what a spreadsheet takes as a formula or converts,
# long cells. NUL and lone surrogates are refused when a table loads.
HOSTILE = st.one_of(
    st.sampled_from(
        [
            LONG,
            "=" + LONG[:300],
            '"' * 300,
            "=1+1",
            "+cmd|' /C calc'!A0",
            "@SUM(1)",
            "-1",
            "10.00",
            "1/2",
            "TRUE",
            "0012",
            '="x"',
            "=CHAR(10)",
            "\r\n=\n",
            " ",
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
)


@settings(deadline=None, max_examples=60)
@given(perfscore_testing.table_dicts(max_rows=3), st.data())
def test_hostile_cells_round_trip(data, draw):
    """perfscore.testing tables with hostile text in any cell come back equal from CSV."""
    cells = [("name",), *(("indicators", index, key) for index in range(len(data["indicators"]))
                          for key in ("level3", "target", "actual", "weight"))]  # fmt: skip
    for path in draw.draw(st.lists(st.sampled_from(cells), max_size=3), label="cells"):
        place = data
        for part in path[:-1]:
            place = place[part]
        place[path[-1]] = draw.draw(HOSTILE, label=str(path))
    table = table_from_dict(data)
    assert tables_from_csv(tables_to_csv([table])) == [table]
    assert read_csv(write_csv([table]), source="x.csv") == [table]


# ------------------------------------------------------------------- streaming (item 19)


def seed_copies(examples, copies):
    return load(examples) * copies


def test_iter_csv_streams(examples):
    """The first table comes before the reader has read far into the file (the first
    pass, which tells the encoding, reads in chunks and keeps nothing)."""
    raw = write_csv(seed_copies(examples, 20))
    assert len(raw) > 1_000_000
    stream = io.BytesIO(raw)
    items = iter_csv(stream, source="big.csv")
    first = next(items)
    assert first == load(examples)[0]
    assert stream.tell() < 100_000
    assert len(list(items)) == 17 * 20 - 1


def test_iter_csv_reads_what_read_csv_reads(examples, tmp_path):
    """From an open file, from its position, or from a stream that cannot seek, the
    tables are those of read_csv."""
    path = tmp_path / "seed.csv"
    raw = write_csv(load(examples))
    path.write_bytes(b"junk" + raw)
    expected = read_csv(raw, source="seed.csv")
    with path.open("rb") as stream:
        stream.seek(4)
        assert list(iter_csv(stream, source="seed.csv")) == expected
        assert not stream.closed

    class Pipe(io.RawIOBase):
        def __init__(self, data):
            self.data = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = self.data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    assert list(iter_csv(io.BufferedReader(Pipe(raw)), source="-")) == expected


def test_iter_csv_reports_each_bad_table_in_its_place():
    """A table with a problem is an error in its place; the tables after it are read."""
    text = make(
        row(项目名称="甲"),
        row(项目名称="乙", 一级指标=""),
        row(项目名称="乙"),
        row(项目名称="丙"),
        row(项目名称="丁", 行类型="指示"),
        row(项目名称="丁"),
    )
    items = list(iter_csv(io.BytesIO(text.encode("gb18030")), source="data.csv"))
    shown = [str(item) if isinstance(item, TableFormatError) else item.name for item in items]
    blank = "required cell is blank (a label printed once is repeated on every row)"
    unknown = "unknown record type '指示'; expected 表 (table), 资金 (funds) or 指标 (indicator)"
    assert shown == [
        "甲",
        f"data.csv: not a perfscore table (1 problem)\n  line 3: 一级指标: {blank}",
        "丙",
        f"data.csv: not a perfscore table (1 problem)\n  line 6: 行类型: {unknown}",
    ]  # the row of unreadable type is 丁's: 丁 fails with it
    with pytest.raises(TableFormatError) as caught:
        tables_from_csv(text, source="data.csv")
    assert [str(problem) for problem in caught.value.exceptions] == [
        str(problem) for item in items if isinstance(item, TableFormatError)
        for problem in item.exceptions
    ]  # fmt: skip


def test_iter_csv_stops_at_a_problem_of_the_file():
    """A column some records need, missing from the header, stops the reading where
    those records first come; the tables before are read."""
    text = make(row(项目名称="甲"), ["乙", "资金"], row(项目名称="乙"), row(项目名称="丙"))
    items = list(iter_csv(io.BytesIO(text.encode()), source="data.csv"))
    assert items[0].name == "甲"
    assert str(items[1]).splitlines() == [
        "data.csv: not a perfscore table (4 problems)",
        "  line 1: no 资金项目 (fund_label) column; 资金 records need it",
        "  line 1: no 年初预算数 (initial_budget) column; 资金 records need it",
        "  line 1: no 全年预算数 (annual_budget) column; 资金 records need it",
        "  line 1: no 全年执行数 (executed) column; 资金 records need it",
    ]
    assert len(items) == 2
    for raw, problem in [
        (b"", "the file is empty"),
        (make(ROW[1:], header=HEADER[1:]).encode(), "line 1: no 项目名称 (name) column"),
        (b"\x00" + make(ROW).encode(), "binary data, not CSV text (a NUL byte at byte 0)"),
    ]:
        [error] = iter_csv(io.BytesIO(raw), source="data.csv")
        assert str(error) == f"data.csv: not a perfscore table (1 problem)\n  {problem}"


def reference_decode(raw):
    """What read_csv decoded before it read in chunks: the whole file at once."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16 text, which perfscore does not read; save the file as CSV UTF-8"
    if (nul := raw.find(b"\0")) >= 0:
        return f"binary data, not CSV text (a NUL byte at byte {nul})"
    bom = raw.startswith(codecs.BOM_UTF8)
    for encoding in ("utf-8-sig",) if bom else ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as error:
            start = error.start + (3 if bom else 0)
            where = f"byte {start}: {raw[start : start + 1]!r}"
    if bom:
        return f"not UTF-8 text, though it starts with a UTF-8 BOM ({where})"
    return f"neither UTF-8 nor GB18030 text ({where})"


ENCODED = st.one_of(
    st.binary(max_size=40),
    st.tuples(
        st.text(max_size=12),
        st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
        st.binary(max_size=3),
    ).map(lambda parts: parts[0].encode(parts[1], "replace") + parts[2]),
)


@given(ENCODED, st.integers(1, 8))
def test_encoding_is_told_by_chunks_as_by_the_whole(raw, chunk):
    """Telling the encoding chunk by chunk gives the verdict and the byte offsets that
    decoding the whole file gives, wherever a character is cut."""
    expected = reference_decode(raw)
    original = csvformat._CHUNK  # noqa: SLF001 - the chunk size under test
    csvformat._CHUNK = chunk  # noqa: SLF001
    try:
        result = csvformat._encoding(io.BytesIO(raw), "x.csv")  # noqa: SLF001
    finally:
        csvformat._CHUNK = original  # noqa: SLF001
    text = result.problem if isinstance(result, InvalidTable) else raw.decode(result)
    assert text == expected


# ------------------------------------------------------------------- headers (item 5)


def test_a_unit_in_the_score_header_is_the_score():
    """得分（分）is the 得分 column: a row printed 100 and computed 10 is found out."""
    text = make([*ROW, "100"], header=[*HEADER, "得分（分）"])
    [table] = tables_from_csv(text)
    assert table.indicators[0].score.text == "100"
    assert table.indicators[0].extra == ()
    report = audit(table)
    assert {"score-mismatch", "score-exceeds-weight"} <= {f.id for f in report.findings}


def test_an_invisible_character_in_a_header_is_ignored():
    """项目名称 with a zero-width space inside names the 项目名称 column."""
    header = ["项目\u200b名称", *HEADER[1:]]
    assert tables_from_csv(make(ROW, header=header)) == tables_from_csv(make(ROW))


# Zero-width space, non-joiner and joiner, word joiner, BOM, soft hyphen, direction
# marks and isolates, Mongolian vowel separator, Hangul filler, a variation selector,
# the grapheme joiner, a tag character, controls.
INVISIBLE = st.sampled_from(
    [
        *("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u202a"),
        *("\u2066", "\u180e", "\u3164", "\ufe0f", "\u034f", "\U000e0001", "\x7f", "\x1f"),
    ]
)
BRACKETS = st.sampled_from(["()", "（）", "[]", "［］", "【】", "〔〕", "〖〗"])
UNITS = {
    "weight": ["分"],
    "score": ["分"],
    "rate": ["%", "％", "百分比"],
    "initial_budget": ["万元"],
    "annual_budget": ["万元", "万"],
    "executed": ["万元"],
}
FUNDS_HEADER = [
    "项目名称",
    "行类型",
    "资金项目",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "执行率",
]
FUNDS_HEADER += [*HEADER[2:], "得分"]


@st.composite
def spelling(draw, header):
    """A header as real sheets spell it: any of its names, maybe a unit in brackets,
    invisible characters anywhere, spaces around."""
    column = next(column for column in CSV_COLUMNS if column.header == header)
    text = draw(st.sampled_from([column.header, column.alias, *column.also]))
    if column.alias in UNITS and draw(st.booleans()):
        left, right = draw(BRACKETS)
        text += left + draw(st.sampled_from(UNITS[column.alias])) + right
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(INVISIBLE) + text[at:]
    return draw(st.sampled_from(["", " "])) + text


@given(st.data())
def test_headers_read_whatever_their_unit_and_invisible_characters(data):
    """Every column is found under any of its names with a unit it can have in any
    brackets and invisible characters anywhere; nothing becomes an extra key."""
    header = [data.draw(spelling(name), label=name) for name in FUNDS_HEADER]
    rows = [
        ["示例", "资金", "年度资金总额", "10", "10", "9", "90%", *[""] * 5, "10", "9"],
        ["示例", "指标", "", "", "", "", "", *ROW[2:], "90"],
    ]
    plain = tables_from_csv(make(*rows, header=FUNDS_HEADER))
    [table] = tables_from_csv(make(*rows, header=header))
    assert table == plain[0]
    assert table.funds[0].extra == table.indicators[0].extra == ()


@pytest.mark.parametrize(
    "header",
    ["得分（复核）", "分值(权重)", "年初预算数（人）", "三级指标（分）", "执行率[分]", "得分（）"],
)
def test_a_suffix_that_is_no_unit_of_the_column_leaves_it_unknown(header):
    """A bracketed suffix that is not a unit the column can have keeps the column
    unknown: an extra key the audit reports as unknown-column."""
    text = make([*ROW, "100"], header=[*HEADER, header])
    [table] = tables_from_csv(text)
    assert table.indicators[0].extra == ((header, "100"),)
    [finding] = [f for f in audit(table).findings if f.id == "unknown-column"]
    assert finding.message == f"未知的列或字段「{header}」：已原样保留，但不用于计分和复核"


def test_the_money_unit_in_the_amounts_headers():
    """A money unit in the amounts' headers is the table's 金额单位; a 金额单位 cell or
    another amount's header that says otherwise is a problem."""
    header = [
        "项目名称",
        "行类型",
        "资金项目",
        "年初预算数（元）",
        "全年预算数(元)",
        "全年执行数【元】",
    ]
    header += HEADER[2:]
    funds = ["示例", "资金", "合计", "1", "1", "1", *[""] * 6]
    indicator = ["示例", "指标", "", "", "", "", *ROW[2:]]
    [table] = tables_from_csv(make(funds, indicator, header=header))
    assert table.money_unit == "元"
    header[3] = "年初预算数(万)"  # normalize_unit: 万 is 万元
    [table] = tables_from_csv(
        make(funds, indicator, header=[*header[:4], "全年预算数", "全年执行数", *header[6:]])
    )
    assert table.money_unit == "万元"
    header[3] = "年初预算数（元）"
    unit_header = [*header, "金额单位"]
    text = make([*funds, "万元"], [*indicator, ""], header=unit_header)
    assert error_text(text).splitlines()[1:] == [
        "  line 2: 金额单位: '万元' differs from the unit 元 in the header 年初预算数（元）"
    ]
    [table] = tables_from_csv(make([*funds, "元"], [*indicator, ""], header=unit_header))
    assert table.money_unit == "元"
    header[4] = "全年预算数（万元）"
    assert error_text(make(funds, indicator, header=header)).splitlines()[1:] == [
        "  line 1: 全年预算数（万元）: the unit 万元 differs from 元 in 年初预算数（元）"
    ]


# ------------------------------------------------------------------- formula cells (item 21)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1044 件", '="=1044 件"'),
        ("=90%", '="=90%"'),
        ("+cmd|' /C calc'!A0", "=\"+cmd|' /C calc'!A0\""),
        ("@SUM(1)", '="@SUM(1)"'),
        ("-1", '="-1"'),
        ("=1+1", '="=1+1"'),
        ("10.00", '="10.00"'),
        ("1/2", '="1/2"'),
        ("TRUE", '="TRUE"'),
        ("true", '="true"'),
        ("0012", '="0012"'),
        ("98.36%", '="98.36%"'),
        ("1月2日", '="1月2日"'),
        ("12:30", '="12:30"'),
        ("1e3", '="1e3"'),
        ("#N/A", '="#N/A"'),
        ("１２", '="１２"'),
        ("＝1", '="＝1"'),
        ("\t1", '="\t1"'),
        ('="x"', '="=""x"""'),
        ("=\r\n", '="="&CHAR(13)&CHAR(10)'),
        ("10", "10"),
        ("98.36", "98.36"),
        ("2023", "2023"),
        (">=700 件", ">=700 件"),
        ("≥95%", "≥95%"),
        ("年度资金总额", "年度资金总额"),
        ("level1-weights", "level1-weights"),
        ("多\n行", "多\n行"),
        ("", ""),
    ],
)
def test_escape_cell(text, written):
    """What a spreadsheet would not show as written goes out as ="…"; the rest as is."""
    assert escape_cell(text) == written
    assert unescape_cell(written) == text


EXCEL_STRING = 255  # the most characters (UTF-16 units) of a string in an Excel formula


def test_long_cells_are_escaped_in_pieces():
    """A long cell is written in pieces of at most 255 characters (Excel's limit for a
    string in a formula), quotes doubled and never split, astral characters as two."""
    for text in ("=" + "x" * 1000, "=" + '"' * 300, "=" + "😀" * 300, "=" + "中" * 254 + '"'):
        written = escape_cell(text)
        pieces = re.findall(r'"((?:[^"]|"")*)"', written[1:])
        assert "&".join(f'"{piece}"' for piece in pieces) == written[1:]
        assert max(len(piece.encode("utf-16-le")) // 2 for piece in pieces) <= EXCEL_STRING
        assert unescape_cell(written) == text


@given(st.text())
def test_escaped_cells_open_as_text(text):
    """Any text comes back from its escaped form; a written cell starts with a formula
    character only when it is the text-formula, which gives the text back."""
    written = escape_cell(text)
    assert unescape_cell(written) == text
    if written[:1] in {"=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"}:
        assert written.startswith("=")
        assert written != text
    if written != text:
        assert "\n" not in written
        assert "\r" not in written


@pytest.mark.parametrize("text", ["=1+1", '="a"b', '="a', "=CHAR(9)", '="a"&B1', '="a\nb"'])
def test_only_the_writers_formulas_are_read_as_text(text):
    """A cell is unescaped only when it is exactly a formula the writer writes."""
    assert unescape_cell(text) == text
    assert tables_from_csv(make(row(三级指标=text)))[0].indicators[0].level3 == text


def test_written_csv_reads_back_the_seed_with_its_formula_cells(examples):
    """The seed's =1044 件 and 10.00 are escaped in the written file and read back as
    the printed text."""
    tables = load(examples)
    raw = write_csv(tables)
    text = raw.decode("utf-8-sig")
    assert '"=""=1044 件"""' in text
    assert read_csv(raw, source="seed.csv") == tables
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert not [cell for cell in cells if cell[:1] in "+-@\t\r" and cell]
    assert all(unescape_cell(cell) != cell for cell in cells if cell.startswith("="))


def test_a_bad_origin_on_a_table_record_is_a_problem_of_its_line():
    """perfscore:origin with a bad number or an unknown key fails the table on its 表
    record's line, instead of loading without them."""
    origin = '{"perfscore:origin": {"document": "a.docx", "number": "二", "page": 3}}'
    table_record = ["示例", "表", *[""] * (len(HEADER) - 2), origin]
    text = make(table_record, [*ROW, ""], header=[*HEADER, "附加字段"])
    assert error_text(text).splitlines() == [
        "data.csv: not a perfscore table (2 problems)",
        "  line 2: origin.number: expected a table number from 1, got a string",
        "  line 2: origin.page: not a key of the origin",
    ]

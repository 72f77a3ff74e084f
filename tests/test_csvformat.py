import codecs
import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, reject
from hypothesis import strategies as st

from perfscore import TableFormatError, csvformat, load
from perfscore.csvformat import (
    CSV_COLUMNS,
    read_csv,
    tables_from_csv,
    tables_to_csv,
    write_csv,
)
from perfscore.errors import FloatRefusedError, InvalidTable
from perfscore.tableformat import table_from_dict

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
        "98.36%",
        "10",
        "10.00",
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
        pytest.param(
            make(["示例", "指标", "x" * 200_000]),
            ["line 2: not readable as CSV (field larger than field limit (131072))"],
            id="csv-error",
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

    def refuse(_data, *, source):
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
KNOWN = {
    "format",
    "kind",
    "name",
    "year",
    "department",
    "implementer",
    "source",
    "money_unit",
    "funds",
    "goal",
    "indicators",
    "total",
    "remarks",
    "label",
    "initial_budget",
    "annual_budget",
    "executed",
    "weight",
    "rate",
    "score",
    "level1",
    "level2",
    "level3",
    "target",
    "actual",
    "deviation_note",
    "basis",
    "expected",
    "achieved",
}
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
    from perfscore.csvformat import stream_csv, write_csv  # noqa: PLC0415

    tables = load("examples/changji-2023")
    stream = io.BytesIO()
    assert stream_csv(iter(tables), stream) == 17
    assert stream.getvalue() == write_csv(tables)

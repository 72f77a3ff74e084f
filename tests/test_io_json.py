from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfscore import Table, TableFormatError
from perfscore.io.json import parse_label, table_from_dict, table_to_dict

D = Decimal


def row(**overrides):
    base = {
        "level1": "产出指标",
        "level2": "数量指标",
        "level3": "培训人数",
        "target": ">=100 人",
        "actual": "=120 人",
        "weight": "50",
        "score": "50.00",
    }
    base.update(overrides)
    return base


def table(**overrides):
    base = {"name": "示例项目", "indicators": [row()]}
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    ("text", "name", "weight"),
    [
        ("产出指标(50分)", "产出指标", "50"),
        ("产出指标（50分）", "产出指标", "50"),
        ("效益指标（30%）", "效益指标", "30"),
        ("满意度指标(10)", "满意度指标", "10"),
        ("产出指标 40分", "产出指标", "40"),
        ("产出指标", "产出指标", None),
        (" 成本 指标 ", "成本指标", None),
        ("履职效能", "履职效能", None),
    ],
)
def test_parse_label(text, name, weight):
    """A label may declare its weight in brackets or with 分; the name loses it."""
    label = parse_label(text)
    assert label.text == text
    assert label.name == name
    assert label.declared_weight == (None if weight is None else D(weight))


def test_messy_print_loads():
    """Blank cells, weights as 20% or 10.00, labels with weights, odd fund labels all load."""
    data = table(
        funds=[
            {
                "label": "其中：当年财政拨款",
                "initial_budget": "5",
                "annual_budget": "5",
                "executed": "4",
            },
            {
                "label": "年度資金總額：",
                "initial_budget": "10",
                "annual_budget": "10",
                "executed": "9",
                "weight": "10.00",
                "rate": "90%",
                "score": "9",
            },
        ],
        indicators=[
            row(level1="产出指标(50分)", weight="20%", score=""),
            row(level1="产出指标(50分)", level3="x", target="", actual="/", weight="30"),
            row(level1="效益指标", target="进一步提高", actual="有效增强", weight="10.00"),
            row(level1="满意度指标", target="1-3年", actual="≥95%", weight=""),
        ],
    )
    loaded = table_from_dict(data)
    first, second, third, fourth = loaded.indicators
    assert first.weight_value == D(20)
    assert first.score is not None
    assert first.score.kind == "not-applicable"
    assert second.target.kind == "not-applicable"
    assert third.actual.tier == "achieved"
    assert fourth.target.kind == "unreadable"
    assert "expected one number" in fourth.target.error
    assert fourth.weight.kind == "not-applicable"
    assert loaded.total_fund_row is not None
    assert loaded.total_fund_row.label == "年度資金總額："
    weight, rate, score = loaded.execution_print
    assert (weight.text, rate.text, score.text) == ("10.00", "90%", "9")  # type: ignore[union-attr]
    assert loaded.execution_weight == D(10)
    assert loaded.indicator_weight == D(60)
    assert loaded.total_weight == D(70)
    output, benefit, satisfaction = loaded.level1_groups
    assert (output.name, output.declared_weight, output.weight) == ("产出指标", D(50), D(50))
    assert [child.name for child in output.children] == ["数量指标"]
    assert (benefit.name, satisfaction.weight) == ("效益指标", D(0))


def test_total_row_not_first_and_fallback():
    """The 合计 row is the total wherever it sits; without one, the first row is."""
    funds = [
        {"label": "中央安排", "initial_budget": "0", "annual_budget": "0", "executed": "0"},
        {"label": "合 计", "initial_budget": "1", "annual_budget": "1", "executed": "1"},
    ]
    assert table_from_dict(table(funds=funds)).total_fund_row.label == "合 计"  # type: ignore[union-attr]
    assert table_from_dict(table(funds=funds[:1])).total_fund_row.label == "中央安排"  # type: ignore[union-attr]
    assert table_from_dict(table()).total_fund_row is None


def test_groups_join_rows_split_by_a_page_break():
    """Rows of one level-1 label printed apart still fall in one group, in first-seen order."""
    data = table(
        indicators=[
            row(level1="产出指标", weight="10"),
            row(level1="效益指标", weight="20"),
            row(level1="产出指标", level2="质量指标", weight="30"),
        ]
    )
    groups = table_from_dict(data).level1_groups
    assert [(group.name, group.weight) for group in groups] == [
        ("产出指标", D(40)),
        ("效益指标", D(20)),
    ]
    assert [child.name for child in groups[0].children] == ["数量指标", "质量指标"]


def test_every_problem_is_gathered_with_its_path():
    """A file that is not the format lists every problem with its path."""
    data = {
        "format": "perfscore.table/9",
        "kind": "项目",
        "year": "二〇二三",
        "funds": [
            {"label": "合计", "initial_budget": 1.5, "annual_budget": [], "executed": "1"},
            3,
        ],
        "goal": "text",
        "indicators": [row(weight=True), {"level1": "x"}, row(target={"a": 1})],
    }
    with pytest.raises(TableFormatError) as caught:
        table_from_dict(data, source="bad.json")
    lines = str(caught.value).splitlines()
    assert lines == (
        [
            "bad.json: not a perfscore table (15 problems)",
            "  format: unknown format 'perfscore.table/9'; this version reads 'perfscore.table/1'",
            "  kind: expected one of 'project', 'department', got '项目'",
            "  name: required key missing",
            "  year: expected a year such as 2023, got a string",
            (
                "  funds[0].initial_budget: got the float 1.5; pass a str ('1.5'), an int "
                "or a decimal.Decimal instead (read JSON with json.loads(..., parse_float=Decimal))"
            ),
            "  funds[0].annual_budget: expected a string or a number, got an array",
            "  funds[1]: expected a funds row (a JSON object), got the number 3",
            "  goal: expected the goal texts (a JSON object), got a string",
            "  indicators[0].weight: expected a string or a number, got a boolean",
            "  indicators[1].level2: required key missing",
            "  indicators[1].level3: required key missing",
            "  indicators[1].target: required key missing",
            "  indicators[1].actual: required key missing",
            "  indicators[1].weight: required key missing",
            "  indicators[2].target: expected a string or a number, got an object",
        ]
    )
    assert [problem.path for problem in caught.value.exceptions][:2] == ["format", "kind"]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([], "expected a table (a JSON object), got an array"),
        ({"name": "x"}, "indicators: required key missing"),
        ({"name": "x", "indicators": []}, "indicators: a table needs at least one indicator row"),
        ({"name": "x", "indicators": {}}, "indicators: expected an array, got an object"),
        (
            {"name": "x", "indicators": [row()], "total": D("Infinity")},
            "total: expected a finite number",
        ),
    ],
)
def test_not_a_table(data, problem):
    """Shapes that are not the format are refused with the path named."""
    with pytest.raises(TableFormatError, match="not a perfscore table") as caught:
        table_from_dict(data)
    assert problem in str(caught.value)


def test_json_numbers_read_exactly():
    """Cells given as JSON numbers (Decimal, int) keep their digits."""
    loaded = table_from_dict(table(indicators=[row(weight=D("10.50"), score=D(10))], year=D(2023)))
    assert loaded.indicators[0].weight.text == "10.50"
    assert loaded.indicators[0].weight.value == D("10.50")
    assert loaded.year == 2023
    assert table_to_dict(loaded)["indicators"][0]["weight"] == "10.50"


def test_extra_keys_are_kept():
    """Keys the format does not define survive a round trip."""
    data = table(remarks="备注", note="kept", indicators=[row(source_page=12)])
    out = table_from_dict(data).to_dict()
    assert out["note"] == "kept"
    assert out["remarks"] == "备注"
    assert out["indicators"][0]["source_page"] == 12


def test_to_dict_writes_format_kind_and_money_unit():
    """to_dict always writes format, kind, money_unit and funds; other keys when present."""
    out = Table.from_dict(table()).to_dict()
    assert out["format"] == "perfscore.table/1"
    assert out["kind"] == "project"
    assert out["money_unit"] == "万元"
    assert "total" not in out
    assert out["funds"] == []


# ------------------------------------------------------------------- properties


def text(**bounds):
    """Text of any characters but NUL and lone surrogates, which no table may hold (see
    test_loader)."""
    alphabet = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))
    return st.text(alphabet=alphabet, **bounds)


cell = st.one_of(
    text(max_size=12),
    st.sampled_from(
        [">=700 件", "=1044 件", "≥95%", "进一步提高", "/", "", "1-3年", "20%", "10.00"]
    ),
)
indicator = st.fixed_dictionaries(
    {
        "level1": st.sampled_from(
            ["产出指标", "产出指标(50分)", "效益指标", "满意度指标", "成本指标"]
        ),
        "level2": text(max_size=6),
        "level3": text(max_size=12),
        "target": cell,
        "actual": cell,
        "weight": cell,
    },
    optional={"score": cell, "deviation_note": text(max_size=10), "basis": text(max_size=5)},
)
fund = st.fixed_dictionaries(
    {
        "label": st.sampled_from(["年度资金总额", "其中：当年财政拨款", "其他资金", "合计"]),
        "initial_budget": cell,
        "annual_budget": cell,
        "executed": cell,
    },
    optional={"weight": cell, "rate": cell, "score": cell},
)
tables = st.fixed_dictionaries(
    {"name": text(max_size=20), "indicators": st.lists(indicator, min_size=1, max_size=6)},
    optional={
        "format": st.just("perfscore.table/1"),
        "kind": st.sampled_from(["project", "department"]),
        "year": st.integers(min_value=2000, max_value=2100),
        "department": text(max_size=8),
        "implementer": text(max_size=8),
        "source": text(max_size=8),
        "money_unit": st.sampled_from(["万元", "元"]),
        "funds": st.lists(fund, max_size=4),
        "goal": st.fixed_dictionaries({}, optional={"expected": text(), "achieved": text()}),
        "total": cell,
        "remarks": text(max_size=8),
    },
)


@given(tables)
def test_dict_round_trip(data):
    """Every key and cell comes back verbatim, and the table rebuilt from it is equal."""
    loaded = table_from_dict(data)
    out = table_to_dict(loaded)
    for key, value in data.items():
        assert out[key] == value
    assert table_from_dict(out) == loaded
    assert table_to_dict(table_from_dict(out)) == out


def test_weight_sums_ignore_callers_context():
    """Weight sums are exact whatever precision the caller's decimal context has."""
    loaded = table_from_dict(table(indicators=[row(weight="12.345"), row(weight="0.001")]))
    with localcontext() as context:
        context.prec = 2
        assert loaded.indicator_weight == D("12.346")
        assert loaded.level1_groups[0].weight == D("12.346")


YEARS = st.one_of(
    st.integers(),
    st.integers(min_value=1800, max_value=2200),
    st.sampled_from([-2023, 0, 1899, 1900, 2100, 2101, 10**20, -0]),
)


@given(year=YEARS, spelling=st.sampled_from(["int", "decimal", "text", "jsonl"]))
def test_a_year_loads_only_in_range_on_every_path(year, spelling):
    """A year from 1900 to 2100 loads; any other is a problem naming ``year``.

    The plain path (plain tables), the careful one (a string year) and the JSON Lines
    path follow the one rule.
    """
    from perfscore.io.files import json_line_table  # noqa: PLC0415

    value = {"int": year, "decimal": D(year), "text": str(year)}.get(spelling, year)
    in_range = 1900 <= year <= 2100
    if spelling == "jsonl":
        line = (
            f'{{"name": "x", "year": {year}, "indicators": [{{"level1": "产出指标", '
            '"level2": "b", "level3": "c", "target": "1", "actual": "1", "weight": "1"}]}'
        )
        read = lambda: json_line_table(line.encode(), file="y.jsonl", number=1)  # noqa: E731
    else:
        read = lambda: table_from_dict(table(year=value), source="y.json")  # noqa: E731
    if in_range and (spelling != "text" or len(str(year)) == 4):
        assert read().year == year
        return
    with pytest.raises(TableFormatError) as error:
        read()
    [problem] = error.value.exceptions
    assert problem.path == "year"
    assert len(problem.problem) < 120


@pytest.mark.parametrize(
    ("extra", "problems"),
    [
        (
            {"origin": {"document": "a.docx", "number": "二", "page": 3}},
            [
                "origin.number: expected a table number from 1, got a string",
                "origin.page: not a key of the origin",
            ],
        ),
        ({"origin": {"place": "表2"}}, ["origin.document: required key missing"]),
        ({"origin": "a.docx"}, ["origin: expected the origin (a JSON object), got a string"]),
        (
            {"origin": {"document": "a.docx", "places": {"name": 7}}},
            ["origin.places.name: expected a place (text), got the number 7"],
        ),
        (
            {"note": "\x00"},
            ["note: holds U+0000 (NUL), a character no table cell holds"],
        ),
        (
            {"kind": "项目", "origin": {"document": "a.docx", "number": 0}},
            [
                "kind: expected one of 'project', 'department', got '项目'",
                "origin.number: expected a table number from 1, got the number 0",
            ],
        ),
    ],
)
def test_problems_of_the_origin_and_extra_keys_are_reported(extra, problems):
    """A bad origin or table-level extra key is a problem of the table, listed after
    the others, never dropped while the table loads without it."""
    with pytest.raises(TableFormatError) as caught:
        table_from_dict(table(**extra), source="t.json")
    assert str(caught.value).splitlines()[1:] == [f"  {problem}" for problem in problems]


def test_a_huge_int_is_read_as_its_digits():
    """A Python int longer than str() spells (4,300 digits) is a cell or text of its
    digits, and a year of it is refused with a message, never a ValueError."""
    huge = 10**5000
    loaded = table_from_dict(table(name=huge, indicators=[row(target=huge, weight=huge)]))
    assert loaded.name == "1" + "0" * 5000
    target = loaded.indicators[0].target
    assert (target.kind, target.text) == ("unreadable", "1" + "0" * 5000)
    assert target.error.startswith(
        "cannot read target '1000000000000000000000000000000000000000… (5001 characters)': "
        "a number of 5001 digits; a cell's number has at most 24"
    )
    assert loaded.indicators[0].weight.text == "1" + "0" * 5000
    with pytest.raises(TableFormatError) as raised:
        table_from_dict(table(year=huge, kind=[huge], indicators=[row(places={"target": -huge})]))
    assert str(raised.value) == (
        "<dict>: not a perfscore table (3 problems)\n"
        "  kind: expected one of 'project', 'department', got an array\n"
        "  year: expected a year from 1900 to 2100, got "
        "100000000000000000000000… (5001 characters)\n"
        "  indicators[0].places.target: expected a place (text), got the number "
        "-10000000000000000000000… (5002 characters)"
    )


_HUGE_PLACES = [
    *[("table", key) for key in ("format", "kind", "name", "year", "total", "remarks", "x")],
    *[("row", key) for key in ("level1", "level3", "target", "score", "deviation_note", "x")],
    *[("fund", key) for key in ("label", "executed", "rate", "x")],
    *[("goal", key) for key in ("expected", "x")],
    *[("origin", key) for key in ("document", "number", "x")],
]


@pytest.mark.parametrize(("where", "key"), _HUGE_PLACES)
@pytest.mark.parametrize(
    "value",
    [10**5000, -(10**5000), [10**5000], {"a": 10**5000}],
    ids=["int", "negative", "array", "object"],
)
def test_a_huge_int_anywhere_is_read_or_refused(where, key, value):
    """Wherever a huge int stands (alone or inside an array or object), the table loads
    or a TableFormatError says why: never another exception."""
    fund = {"label": "合计", "initial_budget": "1", "annual_budget": "1", "executed": "1"}
    data = table(funds=[fund], goal={}, origin={"document": "x.xlsx"})
    place = {
        "table": data,
        "row": data["indicators"][0],
        "fund": fund,
        "goal": data["goal"],
        "origin": data["origin"],
    }
    place[where][key] = value
    try:
        table_from_dict(data)
    except TableFormatError as error:
        message = str(error)
    else:
        return
    assert message.startswith("<dict>: not a perfscore table")


def test_a_huge_int_is_written_as_its_digits():
    """An int past Python's limit on int-to-text conversion (4,300 digits) is written
    digit for digit, as the reader reads it, not a ValueError."""
    from perfscore.io.json import encode_json  # noqa: PLC0415

    huge = 7 * 10**5000 + 3
    text = encode_json({"extra": huge, "small": 12})
    assert text == '{\n "extra": 7' + "0" * 4999 + '3,\n "small": 12\n}'
    assert encode_json(-huge) == "-7" + "0" * 4999 + "3"

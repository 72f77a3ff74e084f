"""The CSV output: the fast writer agrees with csv.writer, byte for byte."""

import csv
import io
from functools import cache
from pathlib import Path

import attrs
from hypothesis import given
from hypothesis import strategies as st

from perfscore import audit, load, parse_figure, score
from perfscore.io.csv import unescape_cell
from perfscore.memo import Memo
from perfscore.render import make_writer
from perfscore.render.csv import card_csv, csv_text, items_csv
from perfscore.render.records import ITEM_COLUMNS, NUMBER_COLUMNS, item_rows, scorecard_records

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "changji-2023"


@cache
def wine_table():
    """The seed's 02 table (two funds rows, rows with findings)."""
    return load(EXAMPLES / "02_wine-competition-2022.json")[0]


def csv_writer_text(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def read_back(text):
    """The cells a spreadsheet shows: the CSV's cells, escaped ones as their text."""
    rows = csv.reader(io.StringIO(text, newline=""))
    return [[unescape_cell(cell) for cell in row] for row in rows]


def as_text(rows):
    """Item values as the CSV's cells hold them: None as an empty cell."""
    return [["" if value is None else str(value) for value in row] for row in rows]


# Texts rich in what CSV must quote, and in what it must not.
SPECIAL = st.text(alphabet=st.sampled_from(list('ab,"\n\r \t指标;\u2028')))
VALUE = st.none() | st.integers() | SPECIAL | st.text()


@given(st.lists(st.lists(VALUE, max_size=6), max_size=5))
def test_csv_text_is_csv_writer(rows):
    """Any rows, as csv.writer writes them: empty rows and fields, quotes, commas, CR/LF."""
    assert csv_text(rows) == csv_writer_text(rows)


def test_csv_text_cases():
    """The cases csv.writer treats specially, spelled out."""
    rows = [[], [""], [None], ["", ""], ["a,b"], ['a"b'], ["a\nb"], ["a\rb"], [1, None, "x"]]
    assert csv_text(rows) == csv_writer_text(rows)
    assert csv_text([]) == ""


def test_card_csv_and_rows_agree_with_records(examples):
    """card_csv is items_csv of the records; item_rows are the records' values."""
    for table in load(examples):
        report = audit(table, profile="changji-2023")
        card = report.scorecard
        records = scorecard_records(card, file="f.json", index=3, findings=report.findings)
        rows = item_rows(card, file="f.json", index=3, findings=report.findings)
        assert [dict(zip(ITEM_COLUMNS, row, strict=True)) for row in rows] == records
        assert card_csv(card, file="f.json", index=3, findings=report.findings) == items_csv(
            records, header=False
        )
        assert read_back(card_csv(card)) == as_text(
            [record[key] for key in ITEM_COLUMNS] for record in scorecard_records(card)
        )


def test_card_csv_quotes_hostile_cells(examples):
    """Names and notes with commas, quotes and newlines are quoted as csv.writer does."""
    table = load(examples)[1]
    first = table.indicators[0]
    hostile = attrs.evolve(first, level3='参赛"样品",数量\n第二行')
    table = attrs.evolve(table, indicators=(hostile, *table.indicators[1:]))
    card = score(table)
    text = card_csv(card, file="a,b.json")
    assert read_back(text) == as_text(item_rows(card, file="a,b.json"))
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed[1][ITEM_COLUMNS.index("level3")] == '参赛"样品",数量\n第二行'
    assert parsed[0][0] == "a,b.json"


HOSTILE = st.text(alphabet=st.sampled_from(list('ab,"\n\r 指标;')), min_size=1, max_size=8)


@given(HOSTILE, HOSTILE, HOSTILE, st.sampled_from(["a,b.json", 'q"f.json', "f.jsonl", None]))
def test_card_csv_is_csv_writer_on_hostile_rows(level3, target, note, file):
    """Rows with quotes, commas and line breaks anywhere: card_csv reads back as the
    same values, the first time and again from the rows' kept text."""
    table = wine_table()
    first = table.indicators[0]
    hostile = attrs.evolve(first, level3=level3, deviation_note=note)
    second = attrs.evolve(table.indicators[1], level3=target)
    table = attrs.evolve(table, name=f"表,{level3}", indicators=(hostile, second, hostile))
    report = audit(table)
    expected = as_text(item_rows(report.scorecard, file=file, index=2, findings=report.findings))
    written = card_csv(report.scorecard, file=file, index=2, findings=report.findings)
    assert read_back(written) == expected
    assert card_csv(report.scorecard, file=file, index=2, findings=report.findings) == written


def test_card_csv_follows_the_profile():
    """A row's kept CSV text is for the outcome it was made from: another profile's
    outcome makes it anew."""
    table = wine_table()
    for _ in range(2):
        for profile in ("mof-2020", "changji-2023"):
            card = score(table, profile=profile)
            assert read_back(card_csv(card)) == as_text(item_rows(card))


def test_row_texts_are_remembered_by_row_texts_and_outcome():
    """With a run's memo a row's CSV text is made once per row, texts and outcome:
    another outcome, or the same row printed otherwise, gets its own."""
    table = wine_table()
    memo = Memo()
    alone = {name: card_csv(score(table, profile=name)) for name in ("mof-2020", "changji-2023")}
    for _ in range(2):
        for name in ("mof-2020", "changji-2023"):
            assert card_csv(score(table, profile=name, memo=memo), memo=memo) == alone[name]
    row = table.indicators[0]
    respelled = attrs.evolve(row, weight=parse_figure("10.0", role="weight"))
    assert respelled == row  # 10.0 says what 10 says
    other = attrs.evolve(table, indicators=(respelled, *table.indicators[1:]))
    text = card_csv(score(other, memo=memo), memo=memo)
    assert text == card_csv(score(other))
    assert ",10.0,10.00,0.00," in text.splitlines()[1]  # the weight as printed, a number


# Cells a spreadsheet would take as a formula or convert, and their neighbours.
HOSTILE_CELLS = [
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-1",
    "=1+1",
    "=1044 件",
    "=90%",
    "10.00",
    "1/2",
    "TRUE",
    "0012",
    "\t=1",
    "＝1+1",
]


def test_report_csv_lines_end_in_crlf(examples):
    """--format csv ends every line in CRLF (RFC 4180, as Excel writes), header included."""
    stream = io.StringIO(newline="")
    writer = make_writer("csv", stream, profile_name="changji-2023", command="audit")
    writer.begin()
    items = 0
    for index, table in enumerate(load(examples)):
        report = audit(table, profile="changji-2023")
        writer.table("seed.json", index, report.scorecard, report.findings)
        items += len(item_rows(report.scorecard, findings=report.findings))
    writer.end(None)
    text = stream.getvalue()
    assert items == 159 + 16  # the items, and the 16 tables' findings about the table as a whole
    assert text.count("\n") == text.count("\r\n") == 1 + items  # no cell holds a line break
    assert text.startswith(
        "file,table_index,origin,table,kind,year,department,profile,printed_total,total,grade,"
        "where,path,level1,level2,level3,"
    )
    assert items_csv([], header=True).endswith("findings,messages,place\r\n")


def test_report_csv_escapes_formula_cells(examples):
    """A cell a spreadsheet would take as a formula or convert is written as ="…": the
    seed's =90% and 10.00, and hostile text; the computed numbers are written bare."""
    table = load(examples / "12_industrial-internet-study.json")[0]
    first = table.indicators[0]
    rows = [
        attrs.evolve(first, level3=text, deviation_note=text, actual=first.actual)
        for text in HOSTILE_CELLS
    ]
    card = score(attrs.evolve(table, indicators=(*table.indicators, *rows)))
    text = card_csv(card, file="=cmd.json")
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    at = {column: ITEM_COLUMNS.index(column) for column in ITEM_COLUMNS}
    assert parsed[4][at["actual"]] == '="=90%"'  # the seed's actual
    assert parsed[4][at["weight"] : at["status"]] == ["10", "10.00", "10.00"]  # bare numbers
    assert parsed[0][:2] == ['="=cmd.json"', ""]  # no index given: none written
    for row, hostile in zip(parsed[-len(HOSTILE_CELLS) :], HOSTILE_CELLS, strict=True):
        assert row[at["level3"]].startswith('="')
        assert unescape_cell(row[at["level3"]]) == hostile
    bare = {ITEM_COLUMNS.index(column) for column in NUMBER_COLUMNS}
    for row in parsed:
        for at, cell in enumerate(row):
            if at not in bare and cell[:1] in {"=", "+", "-", "@", "\t", "\r"}:
                assert unescape_cell(cell) != cell, cell  # an escaped cell
    assert read_back(text) == as_text(item_rows(card, file="=cmd.json"))

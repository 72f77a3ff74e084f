"""Records: plain dicts with one key scheme, numbers as Decimal, for data frames."""

import csv
import io
import re
from decimal import Decimal

from hypothesis import given, settings

from perfscore import audit, load, score
from perfscore.io.csv import unescape_cell
from perfscore.render.csv import card_csv, items_csv
from perfscore.render.records import (
    FINDING_COLUMNS,
    ITEM_COLUMNS,
    MESSAGE_SEPARATOR,
    NUMBER_COLUMNS,
    ROW_COLUMNS,
    TABLE_COLUMNS,
    audit_records,
    item_rows,
    scorecard_records,
    table_records,
)
from perfscore.testing import tables

# The numbers of each kind of record: exact decimals, never strings.
DECIMALS = {
    "printed_total",
    "total",
    "weight",
    "score",
    "printed_score",
    "target_value",
    "actual_value",
    "initial_budget",
    "annual_budget",
    "executed",
    "rate",
}
WHERE = re.compile(r"funds|funds\[\d+\]|indicators\[\d+\]|table")


def test_item_rows_read_what_items_read(examples):
    """Each row's values are those of its ItemScore, which item_rows does not make."""
    for profile in ("mof-2020", "changji-2023"):
        for table in load(examples):
            card = score(table, profile=profile)
            rows = item_rows(card)[1 if card.funds is not None else 0 :]
            assert len(rows) == len(card.items)
            for row, item in zip(rows, card.items, strict=True):
                values = dict(zip(ITEM_COLUMNS, row, strict=True))
                assert values["where"] == f"indicators[{item.index}]"
                assert values["path"] == item.path
                assert values["score"] == item.score
                assert values["printed_score"] == item.printed_score
                assert values["weight"] == item.weight
                assert (values["status"], values["explanation"]) == (item.status, item.explanation)
                assert (values["total"], values["grade"]) == (card.total, card.grade)


def test_values_give_their_records(examples):
    """to_records of a table, a scorecard and an audit report are this module's records."""
    for table in load(examples):
        report = audit(table, profile="changji-2023")
        assert table.to_records() == table_records(table)
        assert table.to_records(file="a.json", index=2) == table_records(
            table, file="a.json", index=2
        )
        assert report.scorecard.to_records() == scorecard_records(report.scorecard)
        assert report.to_records(file="a.json", index=2) == audit_records(
            report, file="a.json", index=2
        )


def test_every_kind_of_record_has_one_key_scheme(examples):
    """Table, scorecard and audit records start with the same keys, in order: the
    table's identity, then where and path; every record of a kind has all its keys,
    and the identity is the same on every record of a table."""
    for table in load(examples):
        report = audit(table, profile="changji-2023")
        kinds = {
            ROW_COLUMNS: table.to_records(file="t.json", index=4),
            ITEM_COLUMNS: report.scorecard.to_records(file="t.json", index=4),
            FINDING_COLUMNS: report.to_records(file="t.json", index=4),
        }
        identities = set()
        for columns, records in kinds.items():
            assert columns[: len(TABLE_COLUMNS) + 2] == (*TABLE_COLUMNS, "where", "path")
            for record in records:
                assert tuple(record) == columns
                assert WHERE.fullmatch(record["where"]), record["where"]
                identity = tuple(record[key] for key in TABLE_COLUMNS)
                identities.add(identity[:7] + identity[8:9])  # the table's own, unscored
        assert identities == {
            (
                "t.json",
                4,
                None,
                table.name,
                table.kind,
                table.year,
                table.department,
                None if table.total is None else table.total.value,
            )
        }


def test_numbers_are_decimal(examples):
    """Every number of every record is a Decimal (or None): nothing a data frame must
    convert from a string; indexes and years are ints."""
    for table in load(examples):
        report = audit(table, profile="mof-2020")
        for record in [
            *table.to_records(),
            *report.scorecard.to_records(),
            *report.to_records(),
        ]:
            for key, value in record.items():
                if key in DECIMALS:
                    assert value is None or isinstance(value, Decimal), (key, value)
                elif key in {"table_index", "year"}:
                    assert value is None or type(value) is int, (key, value)
                else:
                    assert value is None or isinstance(value, str), (key, value)


def test_table_records_keep_every_cell_as_printed_and_as_read(examples):
    """A table's record holds each figure's number and its text, each target's parts."""
    table = load(examples / "02_wine-competition-2022.json")[0]
    funds, *_, row = table.to_records()
    assert (funds["where"], funds["label"], funds["rate"], funds["rate_text"]) == (
        "funds[0]",
        "年度资金总额",
        Decimal("98.36"),
        "98.36%",
    )
    assert (funds["executed"], funds["weight"], funds["printed_score"]) == (
        Decimal("421.67"),
        Decimal(10),
        Decimal("10.00"),
    )
    assert row["where"] == "indicators[7]"
    assert (row["target"], row["target_op"], row["target_value"], row["target_unit"]) == (
        ">=90%",
        ">=",
        Decimal(90),
        "%",
    )
    assert (row["weight"], row["weight_text"], row["printed_score"]) == (
        Decimal(10),
        "10",
        Decimal("10.00"),
    )


def test_records_made_from_a_value_say_what_is_not_known(examples):
    """Without a file and an index the records say None, not a made-up file or 0; the
    table's year, department and kind are there, and a scorecard's totals and grade."""
    table = load(examples / "02_wine-competition-2022.json")[0]
    record = score(table).to_records()[1]
    assert {key: record[key] for key in TABLE_COLUMNS} == {
        "file": None,
        "table_index": None,
        "origin": None,
        "table": "2022（新疆昌吉）“一带一路”国际葡萄酒大赛",
        "kind": "project",
        "year": 2023,
        "department": "昌吉回族自治州工业和信息化局",
        "profile": "mof-2020",
        "printed_total": Decimal(90),
        "total": Decimal("99.84"),
        "grade": "优",
    }


def test_records_of_a_document_table_name_its_origin(examples):
    """A table read from a workbook says where in the document it stands."""
    table = load(examples.parent / "documents" / "changji-2023-tables.xlsx")[1]
    records = audit(table).to_records()
    assert {record["origin"] for record in records} == {"changji-2023-tables.xlsx 表2（第2张表）"}


def test_audit_records_carry_table_level_findings(examples):
    """Every finding is a record, the 23 about the table as a whole (where = table) too."""
    reports = [audit(table, profile="changji-2023") for table in load(examples)]
    records = [record for report in reports for record in report.to_records()]
    assert len(records) == sum(len(report.findings) for report in reports)
    assert sum(record["where"] == "table" for record in records) == 23


def read_rows(text):
    """The CSV's rows as dicts of the cells a spreadsheet shows."""
    rows = csv.reader(io.StringIO(text, newline=""))
    return [
        dict(zip(ITEM_COLUMNS, [unescape_cell(cell) for cell in row], strict=True)) for row in rows
    ]


def test_audit_csv_carries_table_level_findings(examples):
    """The audit CSV carries the findings about a table as a whole on a row of their
    own (where = table): the seed's 23, ids and messages, with the table's identity."""
    found = []
    for index, table in enumerate(load(examples)):
        report = audit(table, profile="changji-2023")
        text = card_csv(report.scorecard, file="seed", index=index, findings=report.findings)
        rows = read_rows(text)
        whole = [f for f in report.findings if f.where == "table"]
        tail = [row for row in rows if row["where"] == "table"]
        assert len(tail) == (1 if whole else 0)
        for row in tail:
            assert row["findings"] == ";".join(f.id for f in whole)
            assert row["messages"] == MESSAGE_SEPARATOR.join(f.message for f in whole)
            assert (row["table"], row["table_index"], row["grade"]) == (
                table.name,
                str(index),
                report.scorecard.grade,
            )
            found += row["findings"].split(";")
    assert len(found) == 23


@settings(max_examples=40, deadline=None)
@given(tables(max_rows=6))
def test_audit_csv_carries_every_finding(table):
    """Any table's audit: every finding is in the CSV, on the row of its place, with its
    message; no row carries a finding that is not there."""
    report = audit(table)
    rows = read_rows(card_csv(report.scorecard, findings=report.findings))
    expected = {}
    for finding in report.findings:
        expected.setdefault(finding.where, []).append(finding)
    written = {row["where"]: row for row in rows if row["findings"]}
    assert set(written) == set(expected)
    for where, findings in expected.items():
        assert written[where]["findings"] == ";".join(f.id for f in findings)
        assert written[where]["messages"] == MESSAGE_SEPARATOR.join(f.message for f in findings)
    assert card_csv(report.scorecard, findings=report.findings) == items_csv(
        scorecard_records(report.scorecard, findings=report.findings), header=False
    )


def test_number_columns_are_the_numbers():
    """The CSV writes bare exactly the columns of numbers (Decimal, or int)."""
    assert set(NUMBER_COLUMNS) == (DECIMALS | {"table_index", "year"}) & set(ITEM_COLUMNS)

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfscore import audit, get_profile, load
from perfscore import batch as batch_module
from perfscore.batch import (
    Tally,
    _ahead,
    audit_many,
    iter_sources,
    iter_tables,
    iter_units,
    map_ordered,
    score_many,
    unit_tables,
)
from perfscore.cli import main
from perfscore.errors import TableFormatError


@pytest.fixture(scope="module")
def seed_dicts(examples_path):
    return [json.loads(path.read_text("utf-8")) for path in sorted(examples_path.glob("*.json"))]


@pytest.fixture(scope="module")
def examples_path():
    from pathlib import Path  # noqa: PLC0415

    return Path(__file__).resolve().parent.parent / "examples" / "changji-2023"


def dicts_of(tables):
    return [table.to_dict() for table in tables]


def test_iter_tables_reads_directories_lazily(examples_path):
    """iter_tables yields the same tables as load, one at a time."""
    tables = iter_tables(examples_path)
    assert next(tables).name == "昌吉回族自治州工业和信息化局"
    assert len(list(tables)) == 16


def test_json_lines_and_arrays(tmp_path, seed_dicts, monkeypatch):
    """JSON Lines and (streamed) JSON arrays give the tables, with file and position."""
    lines = tmp_path / "seed.jsonl"
    lines.write_text(
        "\n".join(json.dumps(d, ensure_ascii=False) for d in seed_dicts) + "\n\n", "utf-8"
    )
    array = tmp_path / "seed.json"
    array.write_text(json.dumps(seed_dicts * 3, ensure_ascii=False, indent=2), "utf-8")
    expected = dicts_of(load(tmp_path / "seed.json"))
    monkeypatch.setattr(batch_module, "_STREAM_ABOVE", 0)
    monkeypatch.setattr(batch_module, "_CHUNK", 4096)  # many refills of the buffer
    streamed = list(iter_sources(array))
    assert dicts_of(table for *_, table in streamed) == expected
    assert [(file, index) for file, index, _ in streamed][-1] == (str(array), 50)
    from_lines = list(iter_sources(lines))
    assert dicts_of(table for *_, table in from_lines) == expected[:17]
    assert {file for file, *_ in from_lines} == {str(lines)}


def test_units_cut_long_files(tmp_path, seed_dicts, monkeypatch):
    """A long JSON Lines file or array is cut into units of a few hundred tables."""
    lines = tmp_path / "seed.jsonl"
    lines.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in seed_dicts * 4), "utf-8")
    units = list(iter_units([str(lines)], per_unit=10))
    counts = [len(list(unit_tables(unit))) for unit in units]
    assert [(unit.kind, unit.start) for unit in units] == [
        ("range", start) for start in range(0, 68, 10)
    ]
    assert counts == [10, 10, 10, 10, 10, 10, 8]
    indexes = [index for unit in units for index, _ in unit_tables(unit)]
    assert indexes == list(range(68))
    monkeypatch.setattr(batch_module, "_STREAM_ABOVE", 0)
    array = tmp_path / "seed.json"
    array.write_text(json.dumps(seed_dicts, ensure_ascii=False), "utf-8")
    assert [unit.kind for unit in iter_units([str(array)], per_unit=5)] == ["dicts"] * 4


def test_bad_json_line_names_the_line(tmp_path, seed_dicts):
    """A bad line in a JSON Lines file is reported with its line number."""
    lines = tmp_path / "bad.jsonl"
    lines.write_text(json.dumps(seed_dicts[0], ensure_ascii=False) + "\n[1, 2]\n", "utf-8")
    with pytest.raises(TableFormatError) as caught:
        list(iter_tables(lines))
    assert str(caught.value) == (
        f"{lines}:2: not a perfscore table (1 problem)\n"
        "  a JSON Lines file holds one table object per line"
    )


def test_many_in_input_order_over_processes(examples_path):
    """score_many and audit_many give the same results in order, with one or two processes."""
    tables = load(examples_path) * 3
    profile = get_profile("changji-2023")
    one = [card.total for card in score_many(tables, profile=profile)]
    two = [card.total for card in score_many(iter(tables), profile=profile, jobs=2)]
    assert one == two
    assert len(one) == 51
    audited = list(audit_many(tables, profile="changji-2023", jobs=2))
    assert [report.findings for report in audited] == [
        audit(table, profile=profile).findings for table in tables
    ]


def test_many_over_processes_give_the_callers_tables_back(examples_path):
    """With workers, each result holds the caller's own table, and equals one process's."""
    tables = load(examples_path) * 2
    for many in (score_many, audit_many):
        alone = list(many(tables, profile="mof-2020"))
        spread = list(many(iter(tables), profile="mof-2020", jobs=2))
        assert spread == alone
        assert all(result.table is table for result, table in zip(spread, tables, strict=True))
        assert all(result.profile is get_profile("mof-2020") for result in spread)


def test_map_ordered_keeps_order():
    """Results come back in input order whatever the processes' timing."""
    assert list(map_ordered(abs, range(-500, 0), jobs=2, size=7)) == list(range(500, 0, -1))


def test_cli_jobs_give_identical_output(tmp_path, seed_dicts):
    """--jobs 2 writes exactly what one process writes, in the same order."""
    lines = tmp_path / "seed.jsonl"
    lines.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in seed_dicts * 20), "utf-8")
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.csv"
        code = main(
            [
                "audit",
                str(lines),
                "--profile",
                "changji-2023",
                "--format",
                "csv",
                "--jobs",
                jobs,
                "--quiet",
                "--output",
                str(out),
            ]
        )
        assert code == 1
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    rows = list(csv.reader(io.StringIO(outputs[0].decode("utf-8-sig"))))
    items = 17 + sum(len(d["indicators"]) for d in seed_dicts)  # every table has a funds item
    # ... and 16 of the 17 tables a row of findings about the table as a whole
    assert len(rows) == 1 + 20 * (items + 16)


def test_tally_keeps_only_the_top_tables(examples_path):
    """The batch summary ranks the tables with most errors; it keeps only `keep` of them."""
    tally = Tally(keep=2)
    for index, table in enumerate(load(examples_path) * 5):
        tally.add("x", index, audit(table, profile="mof-2020"))
    summary = tally.summary()
    assert summary.tables == 85
    assert len(summary.ranked) == 2
    assert [entry[3] for entry in summary.ranked] == [7, 7]
    assert summary.ranked[0][1] < summary.ranked[1][1]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("per_unit", [1, 2, 3, 100])
@pytest.mark.parametrize("read_bytes", [7, 300, 1 << 20])
def test_line_ranges_read_as_the_lines(
    tmp_path, seed_dicts, newline, per_unit, read_bytes, monkeypatch
):
    """Units of byte ranges give the file's tables at their positions: blank lines, a
    byte order mark, CRLF, no final newline, lines longer than a read."""
    monkeypatch.setattr(batch_module, "_READ_BYTES", read_bytes)
    good = [json.dumps(d, ensure_ascii=False) for d in seed_dicts[:5]]
    text = newline.join(["\ufeff" + good[0], "", good[1], "   ", good[2], good[3], good[4]])
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(text.encode("utf-8"))
    expected = [(index, table) for _, index, table in iter_sources(path)]
    units = list(iter_units([str(path)], per_unit=per_unit))
    assert {unit.kind for unit in units} == {"range"}
    assert [pair for unit in units for pair in unit_tables(unit)] == expected
    assert [index for index, _ in expected] == [0, 1, 2, 3, 4]


def test_a_bad_line_in_a_range_names_its_line(tmp_path, seed_dicts):
    good = json.dumps(seed_dicts[0], ensure_ascii=False)
    path = tmp_path / "bad.jsonl"
    path.write_text(f"{good}\n\n{good}\n{good}\n[1]\n{good}", "utf-8")
    units = list(iter_units([str(path)], per_unit=2))
    assert [unit.start for unit in units] == [0, 2, 4]
    assert len(list(unit_tables(units[0]))) == 2
    (_, table), (index, error) = unit_tables(units[1])
    assert table.name == seed_dicts[0]["name"]
    assert index == 3
    assert isinstance(error, TableFormatError)
    assert error.source == f"{path}:5"


@pytest.mark.parametrize("count", [0, 1, 63, 64, 65, 130])
def test_read_ahead_hands_over_every_item_then_the_error(count):
    def items():
        yield from range(count)
        raise ValueError("bad item")

    got = []
    with pytest.raises(ValueError, match="bad item"):
        got.extend(_ahead(items(), 64))
    assert got == list(range(count))
    assert list(_ahead(iter(range(count)), 64)) == list(range(count))


def test_tables_before_a_bad_line_are_yielded_first(tmp_path, seed_dicts):
    """Read-ahead does not change which tables a failing file yields before its error."""
    good = json.dumps(seed_dicts[0], ensure_ascii=False)
    path = tmp_path / "late.jsonl"
    path.write_text("\n".join([good] * 70 + ["[1]", good]), "utf-8")
    got = []
    with pytest.raises(TableFormatError, match=r"late\.jsonl:71"):
        got.extend(iter_sources(path))
    assert [index for _, index, _ in got] == list(range(70))


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_streamed_array_refuses_nan_as_load_does(tmp_path, seed_dicts, monkeypatch, constant):
    """A JSON array read table by table refuses NaN with load's message, at its element."""
    good = json.dumps(seed_dicts[0], ensure_ascii=False)
    bad = json.dumps(seed_dicts[1] | {"total": "@"}, ensure_ascii=False).replace('"@"', constant)
    array = tmp_path / "nan.json"
    array.write_text(f"[{good}, {bad}]", "utf-8")
    with pytest.raises(TableFormatError) as whole:
        load(array)
    monkeypatch.setattr(batch_module, "_STREAM_ABOVE", 0)
    read = []
    with pytest.raises(TableFormatError) as streamed:
        read.extend(table for *_, table in iter_sources(array))
    assert [table.name for table in read] == [seed_dicts[0]["name"]]
    assert str(streamed.value) == (
        f"{array}[1]: not a perfscore table (1 problem)\n"
        f"  not valid JSON ({constant} is not a number a table can hold)"
    )
    assert str(whole.value).endswith(f"({constant} is not a number a table can hold)")


def reference_units(data: bytes, per_unit: int) -> list[tuple[int, tuple[int, int, int]]]:
    """Units cut line by line, the plainest way: (first table, (offset, length, line))."""
    units, start, tables, unit_offset, first_line, offset = [], 0, 0, 0, 1, 0
    pieces = data.split(b"\n")
    lines = [piece + b"\n" for piece in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    for number, line in enumerate(lines, start=1):
        text = line.removesuffix(b"\n").removeprefix(b"\xef\xbb\xbf" if number == 1 else b"")
        offset += len(line)
        tables += bool(text) and not text.isspace()
        if tables == per_unit:
            units.append((start, (unit_offset, offset - unit_offset, first_line)))
            start, tables, unit_offset, first_line = start + tables, 0, offset, number + 1
    if tables:
        units.append((start, (unit_offset, len(data) - unit_offset, first_line)))
    return units


LINE = st.sampled_from(["{}", '{"a": "}\\n{"}', "", "  ", "\r", "{x", "x", "\t{", "{" * 40])


@given(
    lines=st.lists(LINE, max_size=40),
    bom=st.booleans(),
    crlf=st.booleans(),
    final=st.booleans(),
    per_unit=st.integers(min_value=1, max_value=5),
    read_bytes=st.sampled_from([7, 16, 50, 1 << 20]),
)
def test_line_units_cut_where_counting_line_by_line_does(
    tmp_path_factory, lines, bom, crlf, final, per_unit, read_bytes
):
    """Units end after every per_unit-th line holding a table, found a block at a time."""
    newline = "\r\n" if crlf else "\n"
    text = ("\ufeff" if bom else "") + newline.join(lines) + (newline if final and lines else "")
    data = text.encode("utf-8")
    path = tmp_path_factory.mktemp("units") / "t.jsonl"
    path.write_bytes(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch_module, "_READ_BYTES", read_bytes)
        units = list(iter_units([str(path)], per_unit=per_unit))
    assert [(unit.start, unit.payload) for unit in units] == reference_units(data, per_unit)


def test_csv_files_stream_in_units(examples_path, tmp_path):
    """A CSV file is read a table at a time into units (not whole into memory), and a
    table that cannot be read is its error in its place."""
    from perfscore.io.csv import write_csv  # noqa: PLC0415

    tables = load(examples_path)
    raw = write_csv(tables * 3).decode("utf-8-sig")
    lines = raw.split("\r\n")
    header = lines[0]
    bad = lines[1].replace(",2023,", ",-2023,", 1)  # the first table's 表 record
    path = tmp_path / "many.csv"
    path.write_text("\r\n".join([header, bad, *lines[2:]]), "utf-8-sig")
    units = iter_units([str(path)], per_unit=10)
    first = next(units)
    assert first.kind == "items"
    rest = list(units)
    assert [len(unit.payload) for unit in [first, *rest]] == [10, 10, 10, 10, 10, 1]
    items = [item for unit in [first, *rest] for _, item in unit_tables(unit)]
    assert isinstance(items[0], TableFormatError)
    assert "line 2: 年度: expected a year from 1900 to 2100, got -2023" in str(items[0])
    assert items[1:] == (tables * 3)[1:]

import json

import pytest

from perfscore import TableFormatError, load, loads
from perfscore.errors import NoTablesFoundError
from perfscore.loader import decode_json

MINIMAL = {
    "name": "x",
    "indicators": [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "level3": "y",
            "target": ">=1 个",
            "actual": "1 个",
            "weight": 10,
        }
    ],
}


def test_load_directory_file_and_glob(examples):
    """A directory, one file and a glob pattern all load, in name order."""
    every = load(examples)
    assert len(every) == 17
    assert every[0].kind == "department"
    assert load(examples / "02_wine-competition-2022.json") == [every[1]]
    assert load(str(examples / "1[0-1]_*.json")) == every[9:11]


def test_loads_one_table_or_an_array():
    """A file holds one table object or an array of them."""
    text = json.dumps(MINIMAL, ensure_ascii=False)
    assert len(loads(text)) == 1
    assert len(loads(f"[{text}, {text}]")) == 2


def test_array_errors_name_the_index():
    """Problems in the second table of an array name it."""
    with pytest.raises(TableFormatError) as caught:
        loads(json.dumps([MINIMAL, {"indicators": MINIMAL["indicators"]}]), source="many.json")
    assert str(caught.value) == (
        "many.json[1]: not a perfscore table (1 problem)\n  name: required key missing"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON (Expecting property name enclosed in double quotes"),
        ("", "not valid JSON (Expecting value at line 1 column 1)"),
        ('{"name": NaN}', "NaN is not a number a table can hold"),
        ('{"name": Infinity}', "Infinity is not a number a table can hold"),
        ("[]", "an empty array holds no table"),
        ("[" * 100_000, "not valid JSON"),
    ],
)
def test_bad_json(text, message):
    """Text that is not JSON, or holds NaN, is refused with a clear message."""
    with pytest.raises(TableFormatError) as caught:
        loads(text)
    assert message in str(caught.value)


def test_numbers_are_decimal():
    """JSON numbers decode to Decimal, never float; huge ones do not crash."""
    assert str(decode_json("[10.50, 3]")) == "[Decimal('10.50'), Decimal('3')]"
    huge = "9" * 5000
    tables = loads(json.dumps({**MINIMAL, "total": 1}).replace('"total": 1', f'"total": {huge}'))
    assert tables[0].total is not None
    assert len(tables[0].total.text) == 5000


def test_missing_paths(tmp_path):
    """A missing path or a directory without tables raises NoTablesFoundError."""
    with pytest.raises(NoTablesFoundError, match="no such file or directory"):
        load(tmp_path / "nope.json")
    with pytest.raises(NoTablesFoundError, match=r"no .json, .jsonl or .csv table files found"):
        load(tmp_path)
    with pytest.raises(NoTablesFoundError):
        load(str(tmp_path / "*.json"))


def test_encodings(tmp_path):
    """UTF-8 with a BOM loads; other bytes are refused naming the byte."""
    text = json.dumps(MINIMAL, ensure_ascii=False)
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert load(tmp_path / "bom.json")[0].name == "x"
    (tmp_path / "gbk.json").write_bytes(text.encode("gb18030"))
    with pytest.raises(TableFormatError) as caught:
        load(tmp_path / "gbk.json")
    assert "not UTF-8 text (byte 41: b'\\xb2')" in str(caught.value)

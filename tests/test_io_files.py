import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfscore import TableFormatError, load, loads
from perfscore.errors import NoTablesFoundError
from perfscore.io.json import decode_json

ROOT = Path(__file__).resolve().parent.parent
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
    with pytest.raises(NoTablesFoundError, match=r"no table files or documents found \(\.json, "):
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


# ---------------------------------------------------------------------------------
# What no table may hold, refused on every route a JSON table is read by


def _places(value, path=""):
    """Every (path, container, key) of a decoded JSON value's strings and objects."""
    if isinstance(value, dict):
        yield path, value, None
        for key, item in value.items():
            yield from _places(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, None, value


def _routes(tmp_path, monkeypatch, text):
    """The problems each reading route reports for one table's JSON text (one line)."""
    from perfscore import batch as batch_module  # noqa: PLC0415
    from perfscore.batch import iter_sources  # noqa: PLC0415

    found = {}
    good = json.dumps(MINIMAL, ensure_ascii=False)
    (tmp_path / "one.json").write_text(text, "utf-8")
    (tmp_path / "lines.jsonl").write_text(f"{good}\n{text}\n{text}\n", "utf-8")
    (tmp_path / "array.json").write_text(f"[{good}, {text}]", "utf-8")
    for name in ("one.json", "lines.jsonl"):
        with pytest.raises(TableFormatError) as error:
            load(tmp_path / name)
        found[name] = error.value
    with monkeypatch.context() as patch:  # the array read element by element
        patch.setattr(batch_module, "_STREAM_ABOVE", 0)
        with pytest.raises(TableFormatError) as error:
            list(iter_sources(tmp_path / "array.json"))
        found["streamed array"] = error.value
    return found


BAD_TEXT = st.sampled_from(["\x00", "\ud800", "\udfff", "a\x00b", "示\udfff例"])


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), bad=BAD_TEXT, ascii_only=st.booleans())
def test_nul_and_lone_surrogates_are_refused_at_their_path(
    tmp_path, monkeypatch, data, bad, ascii_only
):
    """A NUL or a lone surrogate in any text of a table is refused, naming its path.

    Such text can only come from a JSON escape; every route that reads JSON refuses it
    (no output could be written from it: UTF-8 cannot encode a lone surrogate, and a
    NUL in CSV reads back as binary data).
    """
    seed = json.loads(
        (ROOT / "examples" / "changji-2023" / "02_wine-competition-2022.json").read_text("utf-8")
    )
    strings = [(path, text) for path, _, text in _places(seed) if text is not None]
    path, original = data.draw(st.sampled_from(strings))
    target = _set_at(seed, path, original[:1] + bad + original[1:])
    text = json.dumps(target, ensure_ascii=ascii_only)  # a NUL is always escaped
    text = re.sub("[\ud800-\udfff]", lambda found: f"\\u{ord(found.group()):04x}", text)
    for route, error in _routes(tmp_path, monkeypatch, text).items():
        problems = [(problem.path, problem.problem) for problem in error.exceptions]
        assert len(problems) == 1, route
        assert problems[0][0] == path, route
        if path not in {"format", "kind"}:  # those are refused as unknown values
            assert problems[0][1].startswith("holds U+"), route


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_repeated_key_is_refused_at_its_path(tmp_path, monkeypatch, data):
    """A key given twice in any object is a load error naming its path, on every route."""
    seed = json.loads(
        (ROOT / "examples" / "changji-2023" / "02_wine-competition-2022.json").read_text("utf-8")
    )
    objects = [(path, value) for path, value, _ in _places(seed) if value is not None and value]
    path, chosen = data.draw(st.sampled_from(objects))
    key = data.draw(st.sampled_from(sorted(chosen)))
    marker = "\ue000repeat\ue000"
    chosen[marker] = "x"  # written as a second copy of `key`, after the first
    text = json.dumps(seed, ensure_ascii=False).replace(f'"{marker}"', json.dumps(key))
    where = f"{path}.{key}" if path else key
    for route, error in _routes(tmp_path, monkeypatch, text).items():
        problems = [(problem.path, problem.problem) for problem in error.exceptions]
        assert problems == [(where, f"key {key!r} is given twice (which one is meant?)")], route


def _set_at(value, path, text):
    """A copy of ``value`` with the string at ``path`` replaced by ``text``."""
    copy = json.loads(json.dumps(value))
    container, key = copy, None
    parts = [part for part in re.split(r"\.|(\[\d+\])", path) if part]
    for part in parts[:-1]:
        container = container[int(part[1:-1])] if part.startswith("[") else container[part]
    last = parts[-1]
    if last.startswith("["):
        container[int(last[1:-1])] = text
    else:
        container[last] = text
    del key
    return copy


def test_escapes_that_are_fine_still_load(tmp_path):
    """Escaped characters that are text (a pair of surrogates, CJK) load as usual."""
    text = json.dumps(MINIMAL | {"name": "𝐱示例"}, ensure_ascii=True)
    assert "\\ud835" in text
    (tmp_path / "fine.jsonl").write_text(f"{text}\n{text}\n", "utf-8")
    assert [table.name for table in load(tmp_path / "fine.jsonl")] == ["𝐱示例", "𝐱示例"]


def test_null_indicators_are_refused_as_missing_ones_are():
    """``"indicators": null`` is not a table (it could not be written back)."""
    with pytest.raises(TableFormatError) as error:
        loads('{"name": "x", "indicators": null}')
    assert str(error.value) == (
        "<string>: not a perfscore table (1 problem)\n"
        "  indicators: expected an array of indicator rows, got null"
    )

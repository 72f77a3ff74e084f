"""The documentation holds together: its links resolve, and the format pages list
every key the code reads and writes."""

import json
import re
import tomllib
from pathlib import Path

import pytest

from perfscore.cli import main
from perfscore.io.json import FUND_KEYS, INDICATOR_KEYS, TABLE_KEYS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted([*DOCS.glob("*.md"), ROOT / "README.md"])
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def _slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = _FENCE.sub("", page.read_text("utf-8"))
    return {_slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}


def _links(page: Path) -> list[str]:
    text = _FENCE.sub("", page.read_text("utf-8"))
    return [target for target in _LINK.findall(text) if "://" not in target]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_link_resolves(page):
    """Every relative link of the docs and README names a file, and a heading there."""
    broken = []
    for target in _links(page):
        file, _, anchor = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        if not linked.exists() or (
            anchor and linked.suffix == ".md" and anchor not in _anchors(linked)
        ):
            broken.append(target)
    assert broken == []


def test_the_index_links_every_page():
    """docs/index.md links every page of docs/, the primer and both formats included."""
    linked = {target.partition("#")[0] for target in _links(DOCS / "index.md")}
    pages = {page.name for page in DOCS.glob("*.md")} - {"index.md"}
    assert {"domain.md", "table-format.md", "report-format.md"} <= pages
    assert pages - linked == set()


# How the pages used to name references that were not in the repository.
_UNLINKED = ("domain primer.", "table-format contract", "see the report format", "primer's tags")


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_no_page_names_a_reference_it_does_not_hold(page):
    """The primer and the two formats are named with a link to their page, not in words."""
    text = " ".join(page.read_text("utf-8").split())
    assert [phrase for phrase in _UNLINKED if phrase in text] == []


# Objects keyed by data (a row's cells, finding ids, severities, grades): their keys are values.
_KEYED_BY_DATA = frozenset({"places", "by_id", "by_severity", "grades"})


def _keys(value: object, keys: set[str]) -> set[str]:
    """Every object key anywhere in a decoded JSON value."""
    if isinstance(value, dict):
        for key, member in value.items():
            keys.add(key)
            if key not in _KEYED_BY_DATA:
                _keys(member, keys)
    elif isinstance(value, list):
        for member in value:
            _keys(member, keys)
    return keys


def test_the_table_format_page_lists_every_key():
    """docs/table-format.md has a row for every key the reader and writer know."""
    text = (DOCS / "table-format.md").read_text("utf-8")
    origin_keys = ("document", "place", "number", "places")
    missing = [
        key
        for key in {*TABLE_KEYS, *FUND_KEYS, *INDICATOR_KEYS, "expected", "achieved"}
        if f"| `{key}` |" not in text
    ]
    missing += [key for key in origin_keys if f"`origin.{key}`" not in text]
    assert missing == []


def test_the_report_format_page_lists_every_key(tmp_path):
    """docs/report-format.md names every key the JSON reports of score and audit write,
    a table read from a document, a refused input and --findings-only included."""
    pytest.importorskip("openpyxl")
    refused = tmp_path / "refused.json"
    refused.write_text('{"name": "x"}', "utf-8")
    out = tmp_path / "report.json"
    workbook = ROOT / "examples" / "documents" / "changji-2023-tables.xlsx"
    keys: set[str] = set()
    for command in (["score"], ["audit"], ["audit", "--findings-only"]):
        arguments = [*command, str(workbook), str(refused), "--format", "json", "-o", str(out)]
        assert main(arguments) == 2
        keys |= _keys(json.loads(out.read_text("utf-8")), set())
    assert {"origin", "places", "place", "summary", "refused", "findings", "findings_only"} <= keys
    text = (DOCS / "report-format.md").read_text("utf-8")
    assert sorted(key for key in keys if f"`{key}`" not in text) == []


def test_output_keeps_to_what_users_need():
    """The writers' implementation notes are on the performance page, not in output.md."""
    notes = ("indented_json", "entry_json", "csv_text", "item_rows")
    output = (DOCS / "output.md").read_text("utf-8")
    performance = (DOCS / "performance.md").read_text("utf-8")
    assert [note for note in notes if note in output] == []
    assert [note for note in notes if note not in performance] == []


def test_the_readme_says_which_python_and_extras():
    """The README names the Python the package requires and the tools of the dev extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    readme = " ".join((ROOT / "README.md").read_text("utf-8").split())
    assert project["requires-python"] == ">=3.11"
    assert "perfscore needs Python 3.11 or later" in readme
    dev = [re.match(r"[\w-]+", tool).group() for tool in project["optional-dependencies"]["dev"]]
    assert dev == ["ruff", "mypy", "import-linter"]
    assert "`dev` brings ruff, mypy and import-linter" in readme
    assert "pytest" not in " ".join(project["optional-dependencies"]["dev"])

"""The render package: one module per output, each with its writer."""

import io
import re
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfscore import audit, load, score, summarize
from perfscore.render import BINARY_FORMATS, FORMATS, make_writer
from perfscore.render.csv import CsvWriter
from perfscore.render.html import NOTEBOOK_SCOPE, HtmlWriter
from perfscore.render.json import JsonWriter
from perfscore.render.markdown import MarkdownWriter
from perfscore.render.text import TextWriter, render_summary, render_table, render_text
from perfscore.render.writer import Writer
from perfscore.render.xlsx import XlsxWriter
from perfscore.testing import tables

WRITERS = {
    "text": TextWriter,
    "markdown": MarkdownWriter,
    "html": HtmlWriter,
    "json": JsonWriter,
    "csv": CsvWriter,
    "xlsx": XlsxWriter,
}


def test_every_format_has_its_modules_writer():
    """make_writer gives, for each of FORMATS, the writer of the format's own module."""
    assert list(FORMATS) == list(WRITERS)
    for name in FORMATS:
        stream = io.BytesIO() if name in BINARY_FORMATS else io.StringIO()
        writer = make_writer(name, stream, profile_name="mof-2020", command="score")
        assert type(writer) is WRITERS[name]
        assert isinstance(writer, Writer)


@pytest.mark.parametrize("name", sorted(set(FORMATS) - BINARY_FORMATS))
def test_a_writer_renders_what_it_writes(examples, name):
    """A writer writes a table as it renders it (workers render, one process writes)."""
    card = score(load(examples / "02_wine-competition-2022.json")[0])
    stream = io.StringIO()
    writer = make_writer(name, stream, profile_name="mof-2020", command="score")
    rendered = writer.render("02.json", 1, card, None)
    writer.table("02.json", 1, card)
    writer.end(None)
    assert rendered
    if name == "html":  # the anchor and the row in the list of tables, then the section
        anchor, row, rendered = rendered.split("\n", 2)
        assert f'<a href="#{anchor}">' in row
        assert row in stream.getvalue()
    assert rendered in stream.getvalue()


def test_the_workbook_writer_writes_the_sheet_it_renders(examples):
    """The workbook's writer renders a plan of the sheet; its sheet holds the plan's cells."""
    openpyxl = pytest.importorskip("openpyxl")
    card = score(load(examples / "02_wine-competition-2022.json")[0])
    stream = io.BytesIO()
    writer = make_writer("xlsx", stream, profile_name="mof-2020", command="score")
    writer.begin()
    rendered = writer.render("02.json", 1, card, None)
    writer.table("02.json", 1, card)
    writer.end(None)
    sheet = openpyxl.load_workbook(stream).worksheets[1]
    shown = {(cell.row, cell.column): cell.value for row in sheet.iter_rows() for cell in row}
    assert rendered.cells
    for cell in rendered.cells:
        value = shown[cell.row, cell.column]
        if isinstance(cell.value, Decimal):  # a spreadsheet's number reads back as a float
            value = Decimal(repr(value))
        assert value == cell.value


# ---------------------------------------------------------------------------------
# Values shown: repr() one line, str() the text layout, HTML with its own scoped style


def test_repr_is_one_line_of_key_figures(examples):
    """repr() of a table, a scorecard, an audit and a summary is one short line naming
    the table and its figures (it was a 13,600-character attrs dump)."""
    table = load(examples / "02_wine-competition-2022.json")[0]
    report = audit(table, profile="changji-2023")
    summary = summarize([(None, 0, report)])
    assert repr(table) == (
        "<Table '2022（新疆昌吉）“一带一路”国际葡萄酒大赛' project 2023: "
        "8 indicators, 3 funds rows, printed total 90>"
    )
    assert repr(report.scorecard) == (
        "<Scorecard '2022（新疆昌吉）“一带一路”国际葡萄酒大赛' under changji-2023: "
        "total 100.00 (优), printed 90, 8 rows>"
    )
    assert repr(report) == (
        "<AuditReport '2022（新疆昌吉）“一带一路”国际葡萄酒大赛' under changji-2023: "
        "total 100.00 (优), printed 90; 1 error, 0 warnings, 5 notes>"
    )
    assert repr(summary) == (
        "<BatchSummary 1 tables: 1 error, 0 warnings, 5 notes; 0 of 1 printed totals 100>"
    )


def test_repr_and_str_of_every_example(examples):
    """Every example under both profiles: repr one line under 200 characters; str the
    text layout perfscore score / audit / show print for the table; equality as before."""
    for table in load(examples):
        assert "\n" not in repr(table)
        assert len(repr(table)) < 200
        assert str(table) == render_table(table)
        for profile in ("mof-2020", "changji-2023"):
            report = audit(table, profile=profile)
            card = report.scorecard
            for value in (card, report):
                shown = repr(value)
                assert "\n" not in shown
                assert len(shown) < 200
                assert repr(table.name) in shown
                assert f"total {card.total:f} ({card.grade})" in shown
            assert str(card) == render_text(card)
            assert str(report) == render_text(card, findings=report.findings)
            assert card == score(table, profile=profile)
            assert attrs.evolve(card) == card


@settings(max_examples=30, deadline=None)
@given(tables(max_rows=3), st.text(min_size=1, max_size=12))
def test_repr_stays_one_line_whatever_the_name(table, name):
    """A name with line breaks, quotes or anything else: the repr is one line."""
    table = attrs.evolve(table, name=name)
    report = audit(table)
    for value in (table, report.scorecard, report):
        shown = repr(value)
        assert "\n" not in shown
        assert "\r" not in shown
        assert repr(name) in shown


def test_str_of_a_summary_is_its_text(examples):
    """str() of a batch summary is what perfscore audit prints after the tables."""
    reports = [(None, index, audit(t)) for index, t in enumerate(load(examples))]
    summary = summarize(reports)
    assert str(summary) == render_summary(summary)
    assert str(summary).startswith("== 汇总：17 张表")


STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def notebook_views(examples):
    table = load(examples / "02_wine-competition-2022.json")[0]
    report = audit(table, profile="changji-2023")
    return {"table": table, "scorecard": report.scorecard, "audit": report}


@pytest.mark.parametrize("kind", ["table", "scorecard", "audit"])
def test_repr_html_carries_its_own_scoped_style(examples, kind):
    """_repr_html_ is one wrapper element holding a <style> whose every rule is scoped
    to the wrapper: the highlighting shows in Jupyter, nothing reaches the notebook."""
    page = notebook_views(examples)[kind]._repr_html_()
    assert page.startswith(f'<div class="{NOTEBOOK_SCOPE}"><style>')
    assert page.endswith("</div>")
    (style,) = STYLE.findall(page)
    rules = re.findall(r"([^{}]+)\{[^{}]*\}", style)
    assert len(rules) > 10
    for rule in rules:
        for selector in rule.split(","):
            assert selector.strip().startswith(f".{NOTEBOOK_SCOPE}"), selector
    assert "@" not in style  # no @media or @import rule reaching out
    for needed in ("tr.error td", "tr.warning td", "td.diff", "td.num", "th"):
        assert needed in style


def test_repr_html_marks_what_the_audit_found(examples):
    """The audit's HTML marks the error row and the differing score, classes the style fills."""
    page = notebook_views(examples)["audit"]._repr_html_()
    assert '<tr class="error">' in page
    assert 'class="num diff"' in page


def test_fit_result_repr_is_one_line_and_str_its_text(examples):
    """A fit's repr is one line naming the best candidate (it was 117,000 characters);
    str() is what perfscore fit prints."""
    from perfscore import fit  # noqa: PLC0415 - this test's own
    from perfscore.render.text import render_fit  # noqa: PLC0415

    result = fit(load(examples))
    assert repr(result) == (
        "<FitResult 99 candidates, best <Candidate rows 138/142 (numeric 116/119), "
        "执行率 17/17, 4 parameters off mof-2020, 4 residuals>>"
    )
    assert str(result) == render_fit(result)

"""The render package: one module per output, each with its writer."""

import io

import pytest

from perfscore import load, score
from perfscore.render import FORMATS, make_writer
from perfscore.render.csv import CsvWriter
from perfscore.render.html import HtmlWriter
from perfscore.render.json import JsonWriter
from perfscore.render.markdown import MarkdownWriter
from perfscore.render.text import TextWriter
from perfscore.render.writer import Writer

WRITERS = {
    "text": TextWriter,
    "markdown": MarkdownWriter,
    "html": HtmlWriter,
    "json": JsonWriter,
    "csv": CsvWriter,
}


def test_every_format_has_its_modules_writer():
    """make_writer gives, for each of FORMATS, the writer of the format's own module."""
    assert list(FORMATS) == list(WRITERS)
    for name in FORMATS:
        writer = make_writer(name, io.StringIO(), profile_name="mof-2020", command="score")
        assert type(writer) is WRITERS[name]
        assert isinstance(writer, Writer)


@pytest.mark.parametrize("name", FORMATS)
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

import html
import json
import re
import shutil
import struct
import subprocess
import zlib

import pytest

from perfscore.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def headless(page, tmp_path, *flags):
    """Chromium run headless on a page of ours, with ``flags`` (what to print or shoot)."""
    return subprocess.run(  # noqa: S603 - a fixed browser command on our own file
        [
            CHROMIUM,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            *flags,
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )


def png_pixels(data):
    """Width, height and the decompressed scanlines of a PNG (no imaging library needed)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, size = 8, [], None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    return (*size, zlib.decompress(b"".join(chunks)))


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_html_report_renders_in_a_headless_browser(examples, tmp_path):
    """The audit's HTML page renders in Chromium to a screenshot that is not blank."""
    page = tmp_path / "page.html"
    main(
        [
            "audit",
            str(examples / "02_wine-competition-2022.json"),
            "--profile",
            "changji-2023",
            "--format",
            "html",
            "--output",
            str(page),
        ]
    )
    shot = tmp_path / "shot.png"
    headless(page, tmp_path, "--hide-scrollbars", f"--screenshot={shot}", "--window-size=1280,1600")
    width, height, pixels = png_pixels(shot.read_bytes())
    assert (width, height) == (1280, 1600)
    # A blank page is one colour; the report's text, borders and highlights are many.
    assert len(set(pixels)) > 50
    not_white = sum(1 for byte in pixels[::7] if byte < 200)
    assert not_white > len(pixels[::7]) // 100


# A page standing in for a notebook's: its own body, paragraph and table styles, one of
# its tables with the class names perfscore uses, and perfscore's outputs inside. A
# script reads the computed styles into the page, which --dump-dom prints.
NOTEBOOK_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<style>body{{margin:7px;font-family:serif}} p{{color:rgb(1, 2, 3)}}</style></head><body>
<p id="theirs">the notebook's own paragraph</p>
<table class="perfscore"><tr class="error"><td id="their-cell">theirs</td></tr></table>
<div class="output">{outputs}</div>
<script>
const style = (element) => getComputedStyle(element);
const ours = document.querySelector(".perfscore-repr tr.error td");
const diff = document.querySelector(".perfscore-repr td.diff");
document.body.dataset.result = JSON.stringify({{
  body_margin: style(document.body).marginTop,
  body_font: style(document.body).fontFamily,
  their_paragraph: style(document.getElementById("theirs")).color,
  their_cell: style(document.getElementById("their-cell")).backgroundColor,
  our_error_row: style(ours).backgroundColor,
  our_diff: style(diff).color,
}});
</script></body></html>
"""


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_notebook_html_is_styled_and_keeps_to_itself(examples, tmp_path):
    """In a page like a notebook's, perfscore's outputs are highlighted by their own
    style, and the page's body, paragraphs and tables keep theirs."""
    from perfscore import audit, load  # noqa: PLC0415 - this test's own

    table = load(examples / "02_wine-competition-2022.json")[0]
    report = audit(table, profile="changji-2023")
    outputs = table._repr_html_() + report.scorecard._repr_html_() + report._repr_html_()
    page = tmp_path / "notebook.html"
    page.write_text(NOTEBOOK_PAGE.format(outputs=outputs), encoding="utf-8")
    dom = headless(page, tmp_path, "--dump-dom").stdout.decode()
    found = re.search(r'data-result="([^"]*)"', dom)
    assert found, dom[-500:]
    result = json.loads(html.unescape(found.group(1)))
    assert result == {
        "body_margin": "7px",
        "body_font": "serif",
        "their_paragraph": "rgb(1, 2, 3)",
        "their_cell": "rgba(0, 0, 0, 0)",
        "our_error_row": "rgb(253, 226, 226)",
        "our_diff": "rgb(176, 0, 32)",
    }


def png_rows(data):
    """A PNG's pixels as rows of (red, green, blue) triples: the scanlines unfiltered."""
    width, height, raw = png_pixels(data)
    colour_type = data[25]  # IHDR: width, height, bit depth, then the colour type
    channels = {2: 3, 6: 4}[colour_type]
    stride = width * channels
    rows, previous, at = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[at], bytearray(raw[at + 1 : at + 1 + stride])
        at += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:  # the PNG filter types: 0 (none) to 4
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                near = min(
                    (abs(guess - left), 0, left),
                    (abs(guess - up), 1, up),
                    (abs(guess - corner), 2, corner),
                )[2]
                line[i] = (line[i] + near) & 0xFF
        rows.append([tuple(line[i : i + 3]) for i in range(0, stride, channels)])
        previous = line
    return width, height, rows


# The charts' solid fills (render/_charts.py): totals that agree, that differ, grades.
CHART_FILLS = {(0x2E, 0x7D, 0x32), (0xC6, 0x28, 0x28), (0x5C, 0x6B, 0xC0)}


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_batch_report_charts_are_drawn_in_a_headless_browser(examples, tmp_path):
    """The batch audit's page draws its charts at the top: coloured, varied, not blank."""
    page = tmp_path / "batch.html"
    main(
        [
            "audit",
            str(examples),
            "--profile",
            "changji-2023",
            "--format",
            "html",
            "--output",
            str(page),
        ]
    )
    shot = tmp_path / "batch.png"
    headless(page, tmp_path, "--hide-scrollbars", f"--screenshot={shot}", "--window-size=1280,1800")
    width, height, rows = png_rows(shot.read_bytes())
    assert (width, height) == (1280, 1800)
    # Where the charts' own colours are drawn: their region.
    found = [
        (x, y) for y, row in enumerate(rows) for x, pixel in enumerate(row) if pixel in CHART_FILLS
    ]
    assert len(found) > 2000  # bars and dots, not a stray pixel
    xs, ys = [x for x, _ in found], [y for _, y in found]
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    assert bottom < 1600  # at the top of the page, above the tables
    assert right - left > 400
    assert bottom - top > 400
    every_colour = {rows[y][x] for y in range(top, bottom + 1) for x in range(left, right + 1)}
    assert every_colour >= CHART_FILLS
    assert len(every_colour) > 100  # text, grid lines and fills: drawn, not blank

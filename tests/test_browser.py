import shutil
import struct
import subprocess
import zlib

import pytest

from perfscore.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


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
    subprocess.run(  # noqa: S603 - a fixed browser command on our own file
        [
            CHROMIUM,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--screenshot={shot}",
            "--window-size=1280,1600",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    width, height, pixels = png_pixels(shot.read_bytes())
    assert (width, height) == (1280, 1600)
    # A blank page is one colour; the report's text, borders and highlights are many.
    assert len(set(pixels)) > 50
    not_white = sum(1 for byte in pixels[::7] if byte < 200)
    assert not_white > len(pixels[::7]) // 100

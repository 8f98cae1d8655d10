"""The commands that write pictures or read a PDF back (issue 11, bug 11): `layout preview`, `layout build
--png`, `layout preflight` on a good file, a bad one and a missing one, with their exit codes."""
from __future__ import annotations

import math

import pikepdf
import pypdfium2 as pdfium
from PIL import Image

from layout.cli import main

from .test_overflow_marks import run


def expected_size(pdf, dpi: int, page: int = 0) -> tuple:
    """The pixel size of a page rendered at dpi: its media box in points × dpi / 72, rounded up."""
    doc = pdfium.PdfDocument(str(pdf))
    left, bottom, right, top = doc[page].get_mediabox()
    doc.close()
    return math.ceil((right - left) * dpi / 72), math.ceil((top - bottom) * dpi / 72)


def test_build_png_writes_the_page_and_the_grid_proof_at_60_dpi(page_copy, tmp_path):
    out = tmp_path / "page.pdf"
    status, err = run(["build", page_copy, "-o", out, "--png", "--grid"], tmp_path)
    assert status == 0
    for pdf in (out, tmp_path / "page-grid.pdf"):
        png = pdf.with_suffix(".png")
        assert f"preview {png}" in err.splitlines(), err
        assert Image.open(png).size == expected_size(pdf, 60)
    # a broadsheet page of 396 × 551 mm with its bleed: 936 × 1302 pixels at 60 dpi
    assert Image.open(out.with_suffix(".png")).size == (936, 1302)


def test_preview_takes_its_resolution_and_writes_beside_the_pdf(page_copy, tmp_path):
    status, err = run(["preview", page_copy, "--dpi", "30"], tmp_path)
    pdf, png = tmp_path / "output" / "dangqi-linghang.pdf", tmp_path / "output" / "dangqi-linghang.png"
    assert status == 0 and "wrote output/dangqi-linghang.png" in err.splitlines()
    assert Image.open(png).size == expected_size(pdf, 30) == (468, 651)


def test_preflight_passes_a_built_file_and_fails_a_broken_one(flagship_build, tmp_path, capsys):
    good, _ = flagship_build
    assert main(["preflight", str(good)]) == 0
    assert capsys.readouterr().err.splitlines()[-1] == "preflight: 0 errors, 0 warnings"
    bad = tmp_path / "bad.pdf"
    with pikepdf.open(good) as pdf:                 # the same page without its output intent
        del pdf.Root["/OutputIntents"]
        pdf.save(bad)
    assert main(["preflight", str(bad)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert f"error: {bad}: needs exactly one GTS_PDFX OutputIntent, found 0" in lines
    assert lines[-1].startswith("preflight: 1 errors")
    assert main(["preflight", str(tmp_path / "missing.pdf")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {tmp_path / 'missing.pdf'}:1:1: no such PDF") and "\n" not in err

"""An overflowing block is marked on every picture (issue 11, bug 7): a red bar under its foot labelled
`+N 字` on the PNG preview and on the grid proof, and each command says what it wrote."""
from __future__ import annotations

import contextlib
import io
import os
import shutil

import pypdfium2 as pdfium
import pytest
from PIL import Image

from layout.build import build, grid_proof_path
from layout.cli import main
from layout.grid import make_grid
from layout.spec import load_spec

from .conftest import FLAGSHIP, edit

EXAMPLE = FLAGSHIP.parent.parent / "example-edition"


def run(argv, cwd) -> tuple:
    """`layout ARGV` run in the folder cwd: (exit status, stderr)."""
    err, here = io.StringIO(), os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stderr(err):
            status = main([str(a) for a in argv])
    finally:
        os.chdir(here)
    return status, err.getvalue()


@pytest.fixture(scope="module")
def overflowing(tmp_path_factory):
    """The flagship with its lead block 6 lines short, previewed: (folder, exit status, stderr, spec)."""
    tmp = tmp_path_factory.mktemp("overflow")
    folder = tmp / "short"
    shutil.copytree(FLAGSHIP.parent, folder)
    edit(folder / "page.yaml", "    size: [3, 41]", "    size: [3, 35]")
    status, err = run(["preview", folder], tmp)
    return tmp, status, err, load_spec(folder / "page.yaml")


def red(pixel) -> bool:
    r, g, b = pixel[:3]
    return r > 180 and g < 70 and b < 70


def band(png, pdf, spec, block_id, page=0, dpi=60) -> tuple:
    """The share of red pixels in the 2 pixel rows just under the block's foot, across the block, and
    in the 2 rows just above it outside the label's tab (the block's own last line)."""
    doc = pdfium.PdfDocument(str(pdf))
    left, _, _, top = doc[page].get_trimbox()
    media_top = doc[page].get_mediabox()[3]
    doc.close()
    grid, b = make_grid(spec), next(b for b in spec.blocks if b.id == block_id)
    scale = dpi / 72
    x0 = round((left + grid.col_x(b.col)) * scale) + 2
    x1 = round((left + grid.col_x(b.col) + grid.span(b.cols)) * scale) - 2
    y = round((media_top - top + grid.line_top(b.line + b.lines)) * scale)
    image = Image.open(png).convert("RGB")
    under = [red(image.getpixel((x, y + dy))) for x in range(x0, x1) for dy in (1, 2)]
    above = [red(image.getpixel((x, y - dy))) for x in range(x0, (x0 + x1) // 2) for dy in (2, 3)]
    return sum(under) / len(under), sum(above) / len(above)


def test_preview_marks_the_overflowing_block_with_a_red_bar(overflowing):
    tmp, status, err, spec = overflowing
    png, pdf = tmp / "output" / "short.png", tmp / "output" / "short.pdf"
    under, above = band(png, pdf, spec, "lead")
    assert under > 0.95, f"no red bar under the overflowing block ({under:.0%} red)"
    assert above < 0.05, "the bar hides the block's last line"
    for other in ("practice", "community"):          # fitting blocks of the same page: no bar
        assert band(png, pdf, spec, other)[0] < 0.05


def test_the_label_and_what_the_commands_say_count_the_reported_characters(overflowing, tmp_path):
    tmp, status, err, spec = overflowing
    report = build(spec.path, tmp_path / "short.pdf", grid_proof=True)
    lead = next(a for a in report.articles if a.block == "lead")
    assert lead.status == "overflow" and lead.overflow_chars > 0
    assert [(m.page, m.block, m.label) for m in report.marks] == [(0, "lead", f"+{lead.overflow_chars} 字")]
    assert "marks" not in report.to_json()
    lines = err.splitlines()
    assert status == 0
    assert "wrote output/short.pdf (1 page; overflow: 1 block)" in lines
    assert f"wrote output/short.png (overflow marked: lead +{lead.overflow_chars} 字)" in lines
    assert lines.index("wrote output/short.pdf (1 page; overflow: 1 block)") < len(lines) - 1   # the PNG after it
    assert run(["preview", spec.folder, "--strict"], tmp)[0] == 1
    # the grid proof carries the bar and the label; the delivered file neither
    proof = grid_proof_path(tmp_path / "short.pdf")
    shown = tmp_path / "proof.png"
    doc = pdfium.PdfDocument(str(proof))
    doc[0].render(scale=144 / 72).to_pil().save(shown)     # the proof's bar is 3 pt: 6 pixels here
    assert f"+{lead.overflow_chars} 字" in doc[0].get_textpage().get_text_range()
    doc.close()
    assert band(shown, proof, spec, "lead", dpi=144)[0] > 0.95
    delivered = tmp_path / "delivered.png"
    doc = pdfium.PdfDocument(str(tmp_path / "short.pdf"))
    doc[0].render(scale=60 / 72).to_pil().save(delivered)
    assert f"+{lead.overflow_chars} 字" not in doc[0].get_textpage().get_text_range()
    doc.close()
    assert band(delivered, tmp_path / "short.pdf", spec, "lead")[0] < 0.05


def test_a_fitting_page_has_no_bar(page_copy, tmp_path):
    status, err = run(["preview", page_copy], tmp_path)
    assert status == 0 and "overflow" not in err
    assert "wrote output/dangqi-linghang.pdf (1 page)" in err.splitlines()
    spec = load_spec(FLAGSHIP)
    for block in ("lead", "practice", "community", "volunteers"):
        assert band(tmp_path / "output" / "dangqi-linghang.png", tmp_path / "output" / "dangqi-linghang.pdf",
                    spec, block)[0] < 0.05


def test_an_edition_marks_the_page_that_overflows(tmp_path):
    folder = tmp_path / "ed"
    shutil.copytree(EXAMPLE, folder)
    edit(folder / "page-2.yaml", "    size: [2, 22]", "    size: [2, 12]")
    status, err = run(["preview", folder / "edition.yaml"], tmp_path)
    assert status == 0
    assert "wrote output/ed.pdf (2 pages; overflow: 1 block)" in err.splitlines()
    marked = [line for line in err.splitlines() if "overflow marked" in line]
    assert len(marked) == 1 and marked[0].startswith("wrote output/ed-p2.png (overflow marked: lead-continued +")
    assert "wrote output/ed-p1.png" in err.splitlines()
    spec2 = load_spec(folder / "page-2.yaml")
    pdf = tmp_path / "output" / "ed.pdf"
    assert band(tmp_path / "output" / "ed-p2.png", pdf, spec2, "lead-continued", page=1)[0] > 0.95
    spec1 = load_spec(folder / "page-1.yaml")
    assert band(tmp_path / "output" / "ed-p1.png", pdf, spec1, "lead")[0] < 0.05

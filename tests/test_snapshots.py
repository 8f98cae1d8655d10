"""Snapshots: any visible change of a page fails here, with a diff image that shows where."""
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from layout.build import build, compose
from layout.render.dump import dump

from .conftest import FLAGSHIP, ROOT
from .snapshot import check_dump, check_pixels

FOCUSED = sorted((ROOT / "tests" / "fixtures" / "pages").glob("*/page.yaml"))
FLAGSHIP_DPI = 30
FOCUSED_DPI = 150


def render(pdf: Path, dpi: float):
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return doc[0].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        doc.close()


def _trim_scale_render(pdf: Path, bleed: float, dpi: float):
    """The page at dpi, cropped to the trim box so that dump coordinates map by `dpi / 72`."""
    image = render(pdf, dpi)
    b = round(bleed * dpi / 72)
    return image.crop((b, b, image.width - b, image.height - b))


def test_flagship_display_list(update_snapshots, flagship_build):
    page = compose(FLAGSHIP)
    pdf, _ = flagship_build
    check_dump("dangqi-linghang", dump(page.layout, page.faces), update_snapshots,
               lambda: _trim_scale_render(pdf, page.layout.bleed, 50), 50 / 72)


def test_flagship_pixels(update_snapshots, flagship_build):
    pdf, _ = flagship_build
    check_pixels("dangqi-linghang", render(pdf, FLAGSHIP_DPI), update_snapshots)


@pytest.mark.parametrize("spec", FOCUSED, ids=[p.parent.name for p in FOCUSED])
def test_focused_pages(update_snapshots, spec, tmp_path):
    pdf = tmp_path / "page.pdf"
    build(spec, pdf)
    page = compose(spec)
    name = f"focused-{spec.parent.name}"
    check_dump(name, dump(page.layout, page.faces), update_snapshots,
               lambda: _trim_scale_render(pdf, page.layout.bleed, FOCUSED_DPI), FOCUSED_DPI / 72)
    check_pixels(name, render(pdf, FOCUSED_DPI), update_snapshots)

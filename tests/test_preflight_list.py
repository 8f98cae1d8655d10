"""The build's preflight (display list + PDF/X keys written) and `layout preflight` (the file read back)
give the same findings on every page: the flagship, the focused pages, an edition, and pages that break rules."""
import pytest

from layout.build import build, compose
from layout.edition import build_edition, compose_edition, load_edition
from layout.preflight import preflight
from layout.preflight_list import jpeg_size, preflight_page
from layout.render.pdfx import pdfx_keys

from .conftest import FLAGSHIP, ROOT, edit

FOCUSED = sorted((ROOT / "tests" / "fixtures" / "pages").glob("*/page.yaml"))
EDITION = ROOT / "content" / "example-edition" / "edition.yaml"
ICC = ROOT / "layout" / "profiles" / "ISOcoated_v2_300_bas.icc"


def _both(spec, out, ink_limit=None):
    report = build(spec, out)
    page = compose(spec)
    fmt = page.spec.format
    limit = fmt.ink_limit if ink_limit is None else ink_limit
    from_list = [str(f) for f in preflight_page(out, [page.layout], page.images,
                                                pdfx_keys(fmt.pdfx, fmt.icc, page.layout.title), limit)]
    from_file = [str(f) for f in preflight(out, limit)]
    return report, from_list, from_file


@pytest.mark.parametrize("spec", [FLAGSHIP, *FOCUSED], ids=["flagship", *(p.parent.name for p in FOCUSED)])
def test_display_list_preflight_agrees_with_the_file(spec, tmp_path):
    report, from_list, from_file = _both(spec, tmp_path / "page.pdf")
    assert from_list == from_file
    assert [str(f) for f in report.preflight] == from_file


def test_both_find_the_same_violations(flagship_build, tmp_path):
    """An ink limit under 100 %: black text, rules and the photo all break it; both report alike."""
    pdf, _ = flagship_build
    page = compose(FLAGSHIP)
    fmt = page.spec.format
    keys = pdfx_keys(fmt.pdfx, fmt.icc, page.layout.title)
    for limit in (90.0, 60.0):
        from_list = [str(f) for f in preflight_page(pdf, [page.layout], page.images, keys, limit)]
        from_file = [str(f) for f in preflight(pdf, limit)]
        assert from_list == from_file
        assert any("text uses more than" in m for m in from_file) and any("image reaches" in m for m in from_file)


@pytest.mark.parametrize("variant", ["marks", "x4"])
def test_agreement_on_marks_and_pdfx4(variant, page_copy, tmp_path):
    spec = page_copy / "page.yaml"
    if variant == "marks":
        edit(spec, "  bleed: 3mm", "  bleed: 3mm\n  marks: true\n  slug: 12mm")
    else:
        edit(spec, "  bleed: 3mm", f"  bleed: 3mm\n  pdfx: x4\n  icc: {ICC}")
    _, from_list, from_file = _both(spec, tmp_path / "page.pdf")
    assert from_list == from_file


def test_edition_pages_agree(tmp_path):
    out = tmp_path / "edition.pdf"
    report = build_edition(EDITION, out, workers=1, progress=lambda _: None)
    pages = compose_edition(load_edition(EDITION))
    fmt = pages[0].spec.format
    images = {k: v for p in pages for k, v in p.images.items()}
    keys = pdfx_keys(fmt.pdfx, fmt.icc, load_edition(EDITION).name)
    from_list = [str(f) for f in preflight_page(out, [p.layout for p in pages], images, keys, fmt.ink_limit)]
    assert from_list == [str(f) for f in report.preflight] == [str(f) for f in preflight(out, fmt.ink_limit)]
    for limit in (90.0,):
        from_list = [str(f) for f in preflight_page(out, [p.layout for p in pages], images, keys, limit)]
        assert from_list == [str(f) for f in preflight(out, limit)]
        assert from_list


def test_jpeg_size_reads_the_frame_header(tmp_path):
    import io

    from PIL import Image
    for mode, components in (("CMYK", 4), ("L", 1), ("RGB", 3)):
        data = io.BytesIO()
        Image.new(mode, (123, 45)).save(data, "JPEG")
        assert jpeg_size(data.getvalue()) == (123, components)

"""Print readiness (issue 6): PDF/X, boxes, overprinting 100 K text, ink limit, photo checks, preflight."""
import shutil
import subprocess

import numpy as np
import pikepdf
import pytest
from PIL import Image

from layout.build import BuildError, build, compose
from layout.display import TextRun
from layout.preflight import preflight
from layout.units import MM
from layout.yamlsrc import SourceError

from .conftest import FLAGSHIP, edit

ICC = FLAGSHIP.parent.parent.parent / "layout" / "profiles" / "ISOcoated_v2_300_bas.icc"


def test_flagship_passes_preflight_and_qpdf_check(flagship_build):
    pdf, report = flagship_build
    assert [str(f) for f in preflight(pdf)] == []
    assert report.preflight == ()
    with pikepdf.open(pdf) as doc:
        assert doc.check_pdf_syntax() == []
        assert doc.pdf_version == "1.3"
        assert str(doc.docinfo.GTS_PDFXConformance) == "PDF/X-1a:2001"
        intent = doc.Root.OutputIntents[0]
        assert str(intent.OutputConditionIdentifier) == "IFRA26" and intent.S == "/GTS_PDFX"


def _separations(pdf, tmp_path, dpi=40):
    """Ghostscript tiffsep plates of the bleed box as ink fractions 0..1: {'Cyan': array, ...}."""
    gs = shutil.which("gs")
    assert gs, "Ghostscript is needed: make test installs it (apt-get install ghostscript)"
    subprocess.run([gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", f"-r{dpi}",
                    "-dUseBleedBox", f"-sOutputFile={tmp_path}/sep.tif", str(pdf)], check=True)
    plates = {}
    for ink in ("Cyan", "Magenta", "Yellow", "Black"):
        plates[ink] = 1 - np.asarray(Image.open(tmp_path / f"sep({ink}).tif").convert("L"), dtype=np.float32) / 255
    return plates


def test_separations_text_on_black_only_and_ink_within_limit(flagship_build, tmp_path):
    pdf, _ = flagship_build
    dpi = 40
    plates = _separations(pdf, tmp_path, dpi)
    total = sum(plates.values())
    assert total.max() * 100 <= 240 + 2, f"total ink reaches {total.max() * 100:.0f} %"
    page = compose(FLAGSHIP)
    scale, bleed = dpi / 72, page.layout.bleed
    colour = np.maximum(np.maximum(plates["Cyan"], plates["Magenta"]), plates["Yellow"])
    checked = 0
    for item in page.layout.items:
        if isinstance(item, TextRun) and item.color == (0, 0, 0, 1):
            x0, y0 = int((item.x + bleed) * scale), int((item.y + bleed - item.size * 0.88) * scale)
            x1 = int((item.x + bleed + item.size * len(item.text)) * scale)
            y1 = int((item.y + bleed + item.size * 0.12) * scale)
            if sum(1 for ch in item.text if "\u4e00" <= ch <= "\u9fff") >= 2:
                assert plates["Black"][y0:y1 + 1, x0:x1 + 1].max() > 0.3, item.text
            assert colour[y0:y1 + 1, x0:x1 + 1].max() == 0, f"{item.text!r} has colour ink under it"
            checked += 1
    assert checked > 500


def _spec_copy(page_copy, old, new):
    return edit(page_copy / "page.yaml", old, new)


def test_rgb_photo_is_converted_with_a_warning_naming_file_and_block(flagship_build):
    _, report = flagship_build
    warning = next(w for w in report.warnings if "RGB photo" in w)
    assert "page.yaml:" in warning and "block `photo`" in warning and "party-day.jpg" in warning


def test_low_resolution_photo_is_an_error_naming_file_and_block(page_copy, tmp_path):
    Image.new("RGB", (400, 330), (120, 140, 160)).save(page_copy / "images" / "small.jpg")  # ~46 ppi
    spec = _spec_copy(page_copy, "images/party-day.jpg", "images/small.jpg")
    earlier = tmp_path / "out.pdf"
    earlier.write_bytes(b"%PDF-1.3 earlier good file")
    with pytest.raises(BuildError) as err:
        build(spec, earlier)
    assert "block `photo`" in str(err.value) and "ppi" in str(err.value) and "small.jpg" in str(err.value)
    assert earlier.read_bytes() == b"%PDF-1.3 earlier good file"


def test_photo_between_100_and_150_ppi_is_a_warning(page_copy, tmp_path):
    Image.new("RGB", (1100, 900), (120, 140, 160)).save(page_copy / "images" / "mid.jpg")  # ~127 ppi
    spec = _spec_copy(page_copy, "images/party-day.jpg", "images/mid.jpg")
    report = build(spec, tmp_path / "out.pdf")
    assert any("under 150 ppi" in w and "block `photo`" in w for w in report.warnings)


def test_rich_black_text_in_a_spec_is_an_error_at_its_line(page_copy):
    spec = _spec_copy(page_copy, "  headline: {font: hei, size: 26pt}",
                      "  headline: {font: hei, size: 26pt, color: [40, 30, 30, 100]}")
    from layout.spec import load_spec
    with pytest.raises(SourceError) as err:
        load_spec(spec)
    line = spec.read_text(encoding="utf-8").splitlines().index(
        "  headline: {font: hei, size: 26pt, color: [40, 30, 30, 100]}") + 1
    assert err.value.line == line and "rich black" in str(err.value)


def test_small_colour_text_in_several_inks_is_an_error(page_copy):
    spec = _spec_copy(page_copy, "  byline: {font: kai}", "  byline: {font: kai, color: [0, 100, 100, 0]}")
    from layout.spec import load_spec
    with pytest.raises(SourceError, match="one ink"):
        load_spec(spec)


def test_preflight_finds_rgb_and_missing_output_intent(tmp_path):
    from reportlab.pdfgen.canvas import Canvas
    bad = tmp_path / "rgb.pdf"
    c = Canvas(str(bad), pagesize=(200, 200))
    c.setFillColorRGB(1, 0, 0)
    c.rect(10, 10, 50, 50, fill=1)
    c.save()
    messages = " | ".join(str(f) for f in preflight(bad))
    assert "RGB colour" in messages and "OutputIntent" in messages and "TrimBox" in messages
    assert "font Helvetica is not embedded" in messages or "not embedded" in messages


def test_marks_and_slug_outside_the_bleed(page_copy, tmp_path):
    spec = _spec_copy(page_copy, "  bleed: 3mm", "  bleed: 3mm\n  marks: true\n  slug: 12mm")
    out = tmp_path / "marks.pdf"
    report = build(spec, out)
    assert report.preflight_errors == []
    with pikepdf.open(out) as doc:
        page = doc.pages[0]
        media = [float(v) for v in page.MediaBox]
        trim = [float(v) for v in page.TrimBox]
        assert (media[2] - media[0]) / MM == pytest.approx(390 + 2 * 15, abs=0.01)
        assert (trim[2] - trim[0]) / MM == pytest.approx(390, abs=0.01)
        content = page.Contents.read_bytes() if not isinstance(page.Contents, pikepdf.Array) else b""
        assert b"1 1 1 1 K" in content
    import pypdfium2 as pdfium
    text = pdfium.PdfDocument(str(out))[0].get_textpage().get_text_range()
    assert "page.yaml · 党旗领航 第5版 · 2023年11月30日" in text.replace("\r\n", "").replace(" 年", "年")


def test_pdfx4_with_the_plants_profile(page_copy, tmp_path):
    spec = _spec_copy(page_copy, "  bleed: 3mm", f"  bleed: 3mm\n  pdfx: x4\n  icc: {ICC}")
    out = tmp_path / "x4.pdf"
    report = build(spec, out)
    assert report.preflight_errors == []
    with pikepdf.open(out) as doc:
        assert "/DestOutputProfile" in doc.Root.OutputIntents[0]
        with doc.open_metadata() as meta:
            assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"


def test_pdfx4_without_a_profile_is_refused(page_copy):
    spec = _spec_copy(page_copy, "  bleed: 3mm", "  bleed: 3mm\n  pdfx: x4")
    with pytest.raises(BuildError, match="needs the output profile"):
        compose(spec)

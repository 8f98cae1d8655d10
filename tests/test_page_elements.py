"""Page elements a designer places every day (issue 15, item 5): jump headlines over continuations,
tint boxes behind stories, advertisements placed as delivered."""
from __future__ import annotations

from pathlib import Path

import pytest

from layout.build import BuildError, build, compose
from layout.content import Article
from layout.display import Artwork, Box, Picture, TextRun
from layout.place.story import jump_headline_text

from .conftest import ROOT, edit

EDITION = ROOT / "content" / "example-edition"


def test_jump_headline_is_given_or_derived_from_the_headline():
    art = Article("a", Path("a.md"), headline="社区食堂开进老街巷：一碗热饭暖人心")
    assert jump_headline_text(art) == "社区食堂开进老街巷"          # the first phrase, four characters or more
    assert jump_headline_text(Article("a", Path("a.md"), headline="武川县：凝聚群团活力")) == "武川县：凝聚群团活力"
    assert jump_headline_text(Article("a", Path("a.md"), headline="长标题", jump_headline="接题")) == "接题"


def test_a_continuation_carries_its_jump_headline_above_the_jump_line():
    from layout.edition import compose_edition, load_edition
    pages = compose_edition(load_edition(EDITION / "edition.yaml"))
    runs = [r for r in pages[1].layout.items if isinstance(r, TextRun) and r.block == "lead-continued"]
    jump_heads = [r for r in runs if r.role == "jump_headline"]
    assert "".join(r.text for r in jump_heads).replace(" ", "") == "武川县：凝聚群团活力激发党员动力"
    jump_line = next(r for r in runs if r.role == "jump")
    assert max(r.y for r in jump_heads) < jump_line.y
    assert not any(r.role == "headline" for r in runs)        # the heading itself is not repeated
    first = [r for r in pages[0].layout.items if isinstance(r, TextRun) and r.block == "lead"]
    assert not any(r.role == "jump_headline" for r in first)


# ------------------------------------------------------------------------------- tints and ads

ELEMENTS = ROOT / "tests" / "fixtures" / "pages" / "story-elements"


def _ad_pdf(path, w, h, rgb=False, text=False, ink=None):
    """A delivered ad: a box in CMYK (or RGB), optionally with unembedded Helvetica text."""
    from reportlab.pdfgen.canvas import Canvas
    c = Canvas(str(path), pagesize=(w, h), invariant=1)
    if rgb:
        c.setFillColorRGB(1, 0, 0)
    else:
        c.setFillColorCMYK(*(ink or (0, 0.5, 0.5, 0)))
    c.rect(0, 0, w, h, stroke=0, fill=1)
    if text:
        c.setFont("Helvetica", 12)
        c.drawString(10, 10, "SALE")
    c.showPage()
    c.save()
    if not text:
        import pikepdf
        with pikepdf.open(path, allow_overwriting_input=True) as pdf:
            res = pdf.pages[0].Resources
            if "/Font" in res:
                del res["/Font"]
            pdf.save(path)


@pytest.fixture()
def elements(tmp_path):
    import shutil
    dest = tmp_path / "story-elements"
    shutil.copytree(ELEMENTS, dest)
    return dest


def test_the_ad_is_placed_as_a_form_xobject_and_the_page_passes_preflight(elements, tmp_path):
    import pikepdf
    out = tmp_path / "page.pdf"
    report = build(elements / "page.yaml", out)
    assert report.preflight == () and not any("advert" in w for w in report.warnings)
    with pikepdf.open(out) as pdf:
        xobjects = pdf.pages[0].Resources.XObject
        forms = [xo for xo in xobjects.values() if xo.get("/Subtype") == "/Form"]
        assert len(forms) == 1
        bbox = [float(v) for v in forms[0].BBox]
        assert abs((bbox[2] - bbox[0]) - 207.0) < 0.01 and abs((bbox[3] - bbox[1]) - 135.0) < 0.01
    page = compose(elements / "page.yaml")
    art = [i for i in page.layout.items if isinstance(i, Artwork)]
    assert [(a.block, a.source, round(a.w, 2), round(a.h, 2)) for a in art] == [("advert", "ads/advert.pdf", 207.0, 135.0)]


def test_preflight_reads_inside_a_placed_pdf(elements, tmp_path):
    """An ad in RGB, with an unembedded font, or over the ink limit is found by preflight, not hidden in
    its form XObject."""
    from layout.preflight import preflight
    _ad_pdf(elements / "ads" / "advert.pdf", 207.0, 135.0, rgb=True, text=True)
    report = build(elements / "page.yaml", tmp_path / "rgb.pdf")
    problems = " | ".join(str(f) for f in report.preflight)       # the build's, from the display list
    assert "page 1, form /Ad0: RGB colour (/DeviceRGB) in a fill" in problems and "Helvetica is not embedded" in problems
    assert [str(f) for f in report.preflight] == [str(f) for f in preflight(tmp_path / "rgb.pdf")]
    _ad_pdf(elements / "ads" / "advert.pdf", 207.0, 135.0, ink=(1, 1, 1, 1))
    report = build(elements / "page.yaml", tmp_path / "ink.pdf")
    assert any("page 1, form /Ad0: a fill uses 400 % ink" in str(f) for f in report.preflight)
    assert [str(f) for f in report.preflight] == [str(f) for f in preflight(tmp_path / "ink.pdf")]


def test_an_ad_delivered_at_another_size_is_scaled_and_reported(elements, tmp_path):
    _ad_pdf(elements / "ads" / "advert.pdf", 150.0, 135.0)
    report = build(elements / "page.yaml", tmp_path / "page.pdf")
    note = next(w for w in report.warnings if "ads/advert.pdf" in w)
    assert "placed at 100 %, centred" in note and "52.9 × 47.6 mm" in note


def test_an_image_ad_keeps_its_proportions_or_is_refused(elements, tmp_path):
    from PIL import Image
    edit(elements / "page.yaml", "ad: ads/advert.pdf", "ad: ads/advert.jpg")
    Image.new("RGB", (1380, 900), (200, 30, 30)).save(elements / "ads" / "advert.jpg")   # 207:135
    page = compose(elements / "page.yaml")
    assert [i.source for i in page.layout.items if isinstance(i, Picture) and i.block == "advert"] == ["ads/advert.jpg"]
    Image.new("RGB", (1000, 1000), (200, 30, 30)).save(elements / "ads" / "advert.jpg")
    with pytest.raises(BuildError, match=r"page\.yaml:\d+:\d+: block `advert`: ad .* is never cropped"):
        compose(elements / "page.yaml")


def test_a_missing_ad_is_an_input_error(elements):
    (elements / "ads" / "advert.pdf").unlink()
    with pytest.raises(BuildError, match=r"page\.yaml:\d+:\d+: block `advert`: ad .* not found"):
        compose(elements / "page.yaml")


def test_a_tint_lies_behind_the_story_and_its_text_stays_100_k(elements):
    page = compose(elements / "page.yaml")
    items = [i for i in page.layout.items if getattr(i, "block", None) == "notice" or isinstance(i, Box)]
    tint = next(i for i in page.layout.items if isinstance(i, Box) and i.color == (0.0, 0.0, 0.0, 0.12))
    texts = [i for i in page.layout.items if isinstance(i, TextRun) and i.block == "notice"]
    assert texts and all(t.color == (0.0, 0.0, 0.0, 1.0) for t in texts)
    assert page.layout.items.index(tint) < min(page.layout.items.index(t) for t in texts)
    for t in texts:                                      # every line of the story lies on the tint
        assert tint.x < t.x and tint.y < t.y < tint.y + tint.h
    del items


def test_a_tint_too_heavy_for_overprinting_text_is_refused(elements):
    edit(elements / "page.yaml", "tint: [0, 0, 0, 12]", "tint: [60, 60, 30, 0]")
    with pytest.raises(BuildError, match=r"page\.yaml:\d+:\d+: `tint` .* makes 250 % ink, over the 240 % limit"):
        compose(elements / "page.yaml")

"""The flagship 党旗领航 page end to end: geometry, fonts, every seed paragraph, report, determinism."""
import re

import pikepdf
import pypdfium2 as pdfium
import pytest

from layout.build import build
from layout.content import load_article
from layout.spec import load_spec
from layout.units import MM

from .conftest import FLAGSHIP, ROOT

# a copy of shared/seeds/000_d373b1a32c03f690.txt, so that the suite runs wherever the repo is cloned
SEED = ROOT / "tests" / "fixtures" / "seed-000_d373b1a32c03f690.txt"


def pdf_text(path) -> str:
    doc = pdfium.PdfDocument(str(path))
    try:
        return "".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_trim_and_bleed_boxes(flagship_build):
    pdf, _ = flagship_build
    with pikepdf.open(pdf) as doc:
        page = doc.pages[0]
        x0, y0, x1, y1 = [float(v) for v in page.TrimBox]
        assert (x1 - x0) / MM == pytest.approx(390, abs=0.01) and (y1 - y0) / MM == pytest.approx(545, abs=0.01)
        bx0, by0, bx1, by1 = [float(v) for v in page.BleedBox]
        assert (bx1 - bx0) / MM == pytest.approx(396, abs=0.01)


def test_every_font_is_embedded(flagship_build):
    pdf, _ = flagship_build
    with pikepdf.open(pdf) as doc:
        fonts = {}
        for page in doc.pages:
            for name, font in page.Resources.Font.items():
                fonts[str(font.BaseFont)] = font
        assert fonts
        for base, font in fonts.items():
            desc = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
            assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), base
            assert "/ToUnicode" in font, base


def test_every_paragraph_of_the_seed_in_article_order(flagship_build):
    pdf, _ = flagship_build
    text = squash(pdf_text(pdf))
    spec = load_spec(FLAGSHIP)
    pos = 0
    for block in spec.blocks:
        name = block.article or block.caption
        article = load_article(FLAGSHIP.parent / "articles" / f"{name}.md")
        parts = [article.rubric, article.kicker, article.headline, article.subhead, article.byline,
                 *article.paragraphs, article.credit]
        for part in filter(None, parts):
            found = text.find(squash(part), pos if part not in (article.rubric,) else 0)
            assert found >= 0, f"{name}: not in the PDF (in order): {part[:30]}…"
            pos = found
    assert squash(spec.page.credits) in text and squash(spec.page.section) in text


def test_the_page_holds_every_word_of_the_seed(flagship_build):
    pdf, _ = flagship_build
    text = squash(pdf_text(pdf))
    for para in SEED.read_text(encoding="utf-8").split("\n\n"):
        para = squash(para)
        if para:
            # paragraphs the seed split mid-sentence are joined on the page: look for each piece
            assert para in text, para[:40]


def test_report_says_every_article_fits_and_no_glyph_is_missing(flagship_build):
    _, report = flagship_build
    assert len(report.articles) == 8
    assert all(a.status == "fits" for a in report.articles), [(a.id, a.status) for a in report.articles]
    assert report.missing_glyphs == ()


def test_two_builds_are_byte_identical(flagship_build, tmp_path):
    pdf, _ = flagship_build
    again = tmp_path / "again.pdf"
    build(FLAGSHIP, again)
    assert again.read_bytes() == pdf.read_bytes()


def test_a_glyph_no_font_has_in_the_header_is_reported(page_copy):
    from layout.build import compose
    spec = page_copy / "page.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("section: 党旗领航", "section: 党旗\ue000领航"),
                    encoding="utf-8")
    page = compose(spec)
    from layout.build import report_for
    report = report_for(page.results, "x.pdf")
    assert [(m.codepoint, m.article) for m in report.missing_glyphs] == [("U+E000", "page")]


def test_composition_audit_of_the_flagship_is_clean(flagship_build):
    from .audit import audit
    pdf, _ = flagship_build
    assert audit(pdf, FLAGSHIP) == []


def test_the_audit_catches_a_page_set_without_the_rules(monkeypatch, tmp_path):
    """The audit reads the PDF, not the composer: set the body as naive 13-character chunks (no
    prohibitions, no compression, no justification) and it must say so."""
    from layout.text.justify import Run, SetLine

    from .audit import audit

    def naive(spans, measure, metrics, em, indent=None, justify=True):
        text = "".join(s.text for s in spans)
        span = spans[-1]
        lines = []
        for k in range(0, len(text), 13):
            chunk = text[k:k + 13]
            face = metrics.glyph(span.font, "中")[0]
            lines.append(SetLine((Run(0.0, chunk, face, span.size, span.color),), len(chunk) * em, measure,
                                 k + 13 >= len(text), chunk))
        return tuple(lines), []
    monkeypatch.setattr("layout.setbody.compose_paragraph", naive)     # story bodies
    monkeypatch.setattr("layout.place.photos.compose_paragraph", naive)
    out = tmp_path / "naive.pdf"
    build(FLAGSHIP, out)
    problems = "\n".join(audit(out, FLAGSHIP))
    assert "line starts with '”'" in problems or "line starts with '，'" in problems
    assert "not justified" in problems
    assert "takes 2.00 em" in problems


def test_a_header_too_long_for_its_line_is_reported_not_cut_silently(page_copy):
    from layout.build import compose, report_for
    spec = page_copy / "page.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("section: 党旗领航", "section: " + "党旗领航" * 8),
                    encoding="utf-8")
    report = report_for(compose(spec).results, "x.pdf")
    assert any("page.section is too long" in w for w in report.warnings)

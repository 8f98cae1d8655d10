"""Vertical headlines and kickers (竖题): cells, vertical forms, reading order, spec errors."""
import shutil
import subprocess

import pytest
from pytest import approx

from layout.build import build, compose
from layout.text.vertical import set_vertical

from .audit import audit
from .conftest import ROOT, FixedMetrics, edit

PAGE = ROOT / "tests" / "fixtures" / "pages" / "vertical" / "page.yaml"
EM = 20.0


def cells(text, height=1000.0):
    columns, missing = set_vertical(text, "hei", EM, FixedMetrics(), height)
    assert not missing
    return columns


def test_marks_take_their_vertical_forms_and_latin_follows_clreq_3_3():
    col = cells("聚合力，“共建”12件2024年")[0]
    by_text = {c.text: c for c in col.cells}
    assert by_text["聚"].rotate == 0 and by_text["聚"].dx == approx(-EM / 2)      # Han upright, centred
    assert by_text["，"].rotate == 0 and by_text["，"].dx == approx(0)            # ，to the upper right
    assert by_text["，"].dy == approx((0.88 - 0.5) * EM)
    assert by_text["“"].rotate == 90 and by_text["”"].rotate == 90               # quotes turned
    assert by_text["12"].rotate == 0 and by_text["12"].height == approx(EM)      # 纵中横: two digits upright
    assert by_text["2024"].rotate == 90 and by_text["2024"].height == approx(2 * EM)   # longer runs turned
    assert col.height == approx(sum(c.height for c in col.cells))


def test_columns_keep_the_line_start_and_end_rules():
    columns = cells("四圈共建聚合力，惠民生", height=7 * EM)
    assert [c.text for c in columns[1].cells][0] != "，"
    assert [c.text for c in columns[0].cells][-1] == "合"           # 力 went down with its comma (后推出)
    columns = cells("共建聚合力民生“四圈”", height=6 * EM)
    assert columns[0].cells[-1].text != "“"


@pytest.fixture(scope="module")
def vertical_pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("vertical") / "vertical.pdf"
    build(PAGE, out)
    return out


def test_the_vertical_page_passes_the_audit(vertical_pdf):
    assert audit(vertical_pdf, PAGE) == []


def test_the_vertical_heading_extracts_in_reading_order(vertical_pdf):
    text = subprocess.run(["pdftotext", "-raw", str(vertical_pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "".join(text.split()).startswith("基层治理·2024“四圈共建”聚合力，12件实事惠民生本报讯")


def test_the_heading_sits_in_the_rightmost_column_and_the_body_beside_it():
    page = compose(PAGE)
    heads = [it for it in page.layout.items if getattr(it, "role", "") in ("kicker", "headline")]
    body = [it for it in page.layout.items if getattr(it, "role", "") == "body"]
    assert heads and body
    assert min(it.x for it in heads) > max(it.x for it in body)
    assert any(it.rotate == 90 for it in heads)


def test_a_vertical_headline_needs_two_columns(tmp_path):
    dest = tmp_path / "vertical"
    shutil.copytree(PAGE.parent, dest)
    edit(dest / "page.yaml", "size: [4, 17]", "size: [1, 17]")
    with pytest.raises(Exception) as err:
        compose(dest / "page.yaml")
    assert "headline_direction" in str(err.value) or "2 columns" in str(err.value)


# -- the font's own vertical forms (vert/vrt2 GSUB) ---------------------------------------------------

MARKS = "，。、「」《》（）"
CORNER_MARKS = "，。、"


def _bounds(glyph_set, name):
    from fontTools.pens.boundsPen import BoundsPen
    pen = BoundsPen(glyph_set)
    glyph_set[name].draw(pen)
    return pen.bounds


@pytest.mark.parametrize("family", ["Noto Serif CJK SC", "Noto Sans CJK SC Bold", "LXGW WenKai"])
def test_the_derived_face_draws_the_fonts_vertical_substitute(family):
    """Each mark's code point reaches, in the derived face, the outline of the font's vert/vrt2 glyph
    (same ink box within the TrueType conversion's tolerance), not the horizontal glyph."""
    from fontTools.ttLib import TTFont

    from layout.fonts import load_catalog
    from layout.fonts.vertical import vertical_face, vertical_map

    face = load_catalog().face(family)
    derived = vertical_face(face)
    assert derived is not None
    source = TTFont(str(face.source), fontNumber=face.index, lazy=True)
    made = TTFont(str(derived.source))
    vert, cmap, made_cmap = vertical_map(source), source.getBestCmap(), made.getBestCmap()
    src_set, made_set = source.getGlyphSet(), made.getGlyphSet()
    for ch in MARKS:
        want = _bounds(src_set, vert[ord(ch)])
        got = _bounds(made_set, made_cmap[ord(ch)])
        assert got == approx(want, abs=2), (family, ch)
        assert _bounds(src_set, cmap[ord(ch)]) != approx(want, abs=2), (family, ch)   # really another form
        assert derived.advance(ch) == approx(source["hmtx"][vert[ord(ch)]][0] / source["head"].unitsPerEm)


@pytest.fixture(scope="module")
def marks_page(tmp_path_factory):
    """The vertical page with a headline holding every mark under test."""
    dest = tmp_path_factory.mktemp("vmarks") / "vertical"
    shutil.copytree(PAGE.parent, dest)
    edit(dest / "articles" / "story.md", "headline: “四圈共建”聚合力，12件实事惠民生", "headline: 「四圈」（试点）")
    edit(dest / "articles" / "story.md", "kicker: 基层治理·2024", "kicker: 《共建》聚合力，惠民生、暖人心。")
    build(dest / "page.yaml", dest / "marks.pdf")
    return dest


def _heading_glyphs(pdf, size):
    """(character, origin x, origin y, ink box l, b, r, t) of the characters set at `size`, PDF coordinates."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw
    doc = pdfium.PdfDocument(str(pdf))
    try:
        tp = doc[0].get_textpage()
        x, y = ctypes.c_double(), ctypes.c_double()
        box = [ctypes.c_double() for _ in range(4)]
        out = []
        for i in range(tp.count_chars()):
            code = raw.FPDFText_GetUnicode(tp.raw, i)
            if not code or chr(code).isspace() or raw.FPDFText_GetFontSize(tp.raw, i) != approx(size):
                continue
            raw.FPDFText_GetCharOrigin(tp.raw, i, ctypes.byref(x), ctypes.byref(y))
            raw.FPDFText_GetCharBox(tp.raw, i, *(ctypes.byref(b) for b in box))
            left, right, bottom, top = (b.value for b in box)
            out.append((chr(code), x.value, y.value, left, bottom, right, top))
        return out
    finally:
        doc.close()


def test_vertical_marks_are_the_fonts_vertical_forms_in_the_pdf(marks_page):
    """，。、 ink in the upper right quadrant of their em cell, brackets turned (ink wider than tall), drawn
    from the derived face; the page passes the audit and its text extracts as typed, in reading order."""
    pdf = marks_page / "marks.pdf"
    kicker, headline = _heading_glyphs(pdf, 12.0), _heading_glyphs(pdf, 24.0)
    assert "".join(g[0] for g in kicker) == "《共建》聚合力，惠民生、暖人心。"       # LXGW WenKai
    assert "".join(g[0] for g in headline) == "「四圈」（试点）"                      # Noto Sans CJK Bold
    for size, glyphs in ((12.0, kicker), (24.0, headline)):
        _check_marks(glyphs, size)
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "".join(text.split()).startswith("《共建》聚合力，惠民生、暖人心。「四圈」（试点）本报讯")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "LXGWWenKai-Regular-Vert" in fonts and "NotoSansCJKsc-Bold-Vert" in fonts
    assert audit(pdf, marks_page / "page.yaml") == []


def _check_marks(glyphs, size):
    centres = [(g[3] + g[5]) / 2 for g in glyphs if g[0] not in MARKS]   # Han are centred on their column
    for ch, x, y, left, bottom, right, top in glyphs:
        if ch not in MARKS:
            continue
        centre = min(centres, key=lambda c: abs(c - (left + right) / 2))
        cell_top = y + 0.88 * size                       # the em cell: `size` tall from the em box's top
        if ch in CORNER_MARKS:                           # upper right quadrant of the cell
            assert left > centre and bottom > cell_top - size / 2, (ch, left, bottom, centre, cell_top)
        else:                                            # turned: wider than tall, centred on the column
            assert right - left > 1.5 * (top - bottom), ch
            if ch in "《》（）":                          # symmetric across the column
                assert (left + right) / 2 == approx(centre, abs=size / 16), ch


class VerticalForms(FixedMetrics):
    """Fixed metrics whose font has a vertical form (an em wide) of every bracket and ，。、."""

    def vertical(self, font, ch):
        return ("fixed-vert", 1.0) if ch in "「」《》（），。、“”" else None


def test_marks_with_a_vertical_form_stand_upright_in_it():
    col = set_vertical("力，“共”", "hei", EM, VerticalForms(), 1000.0)[0][0]
    marks = [c for c in col.cells if c.text in "，“”"]
    assert [(c.face, c.rotate, c.dx, c.dy) for c in marks] == [("fixed-vert", 0.0, -EM / 2, 0.88 * EM)] * 3
    assert col.cells[0].face == col.cells[3].face == "fixed"


def test_adjacent_marks_share_their_blanks():
    def vcells(text):
        return set_vertical(text, "hei", EM, VerticalForms(), 1000.0)[0][0]
    col = vcells("圈」（试")
    assert [c.height for c in col.cells] == approx([EM, EM / 2, EM, EM])       # 」 loses its lower half
    col = vcells("说《「试")
    assert [c.height for c in col.cells] == approx([EM, EM, EM / 2, EM])      # 「 loses its upper half
    assert col.cells[2].dy == approx(col.cells[1].dy - EM / 2)


def test_an_opening_mark_at_a_column_head_is_set_in_its_half_box():
    """『四圈共建』 at the top of a column: the mark's blank upper half is dropped, so that its ink starts at
    the column's top like the first character of the next column (as a heading line's opening mark loses
    its leading blank); inside a column it keeps its em."""
    forms = set_vertical("“四圈共建”聚合力", "hei", EM, VerticalForms(), 4 * EM)[0]
    head = forms[0].cells[0]
    assert head.text == "“" and head.height == approx(EM / 2)
    whole = set_vertical("“四”", "hei", EM, VerticalForms(), 1000.0)[0][0].cells[0]
    assert head.dy == approx(whole.dy) and whole.height == approx(EM / 2)
    inside = set_vertical("力“四”", "hei", EM, VerticalForms(), 1000.0)[0][0].cells[1]
    assert inside.height == approx(EM) and inside.dy == approx(head.dy + EM / 2)
    turned = set_vertical("（四）", "hei", EM, FixedMetrics(), 1000.0)[0][0].cells[0]      # no vertical form
    assert turned.rotate == 90 and turned.height == approx(EM / 2) and turned.dy == approx(-EM / 2)


def test_a_cache_that_cannot_be_written_is_said_in_one_line(tmp_path, monkeypatch):
    from layout.fonts import FontError, load_catalog
    from layout.fonts import vertical as V
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setattr(V, "cache_dir", lambda: blocker / "cache")
    monkeypatch.setattr(V, "_DERIVED", {})
    with pytest.raises(FontError, match="LAYOUT_CACHE_DIR"):
        V.vertical_face(load_catalog().face("LXGW WenKai"))

"""Speed without a change of output: ReportLab's parsed faces from the cache (layout/render/rl_fonts.py)
and the CFF→TrueType conversion's own glyph compiler and cmap-reachable glyphs (layout/fonts/convert.py)."""
from __future__ import annotations

import os
import pickle
import random
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from reportlab.pdfbase import pdfmetrics, ttfonts

from layout import fonts
from layout.fonts import load_catalog, open_face
from layout.render import rl_fonts

SAMPLE = "中文排版，党旗领航。ABC 123 𠮷"


@pytest.fixture
def tmp_cache(tmp_path, monkeypatch):
    """An empty LAYOUT_CACHE_DIR, set after the catalog faces used here were made embeddable in the
    shared font cache (converted once per machine), so that no test converts Noto CJK again."""
    for family in ("Noto Serif CJK SC", "LXGW WenKai", "DejaVu Sans"):
        face = load_catalog().face(family)
        EMBEDDABLE[family] = face.embeddable_path()
    cache = tmp_path / "cache"
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(cache))
    return cache


EMBEDDABLE: dict = {}


def parsed_and_cached(family: str, tmp_cache: Path):
    """ReportLab's own TTFont of a catalog face, and ours restored from a freshly written cache entry."""
    face = load_catalog().face(family)
    path = EMBEDDABLE[family]
    reference = ttfonts.TTFont(face.key, str(path))
    rl_fonts._load_ttfont(face.key, path, face._cid)             # writes the entry
    assert rl_fonts.face_entry(face._cid).exists()
    cached = rl_fonts._load_ttfont(face.key, path, face._cid)    # reads it
    assert isinstance(cached.face, rl_fonts._CachedFace)
    return reference, cached


@pytest.mark.parametrize("family", ["LXGW WenKai", "DejaVu Sans", "Noto Serif CJK SC"])
def test_cached_face_holds_what_reportlab_extracts(family, tmp_cache):
    reference, cached = parsed_and_cached(family, tmp_cache)
    ref, got = reference.face, cached.face
    for name, value in vars(ref).items():
        if name in ("_ttf_data", "_pos", "glyphToChar", "_pdfScale"):
            continue
        if name in ("hmetrics", "glyphPos"):
            assert list(getattr(got, name)) == value, name
        else:
            assert getattr(got, name) == value, name
    assert [got._pdfScale(v) for v in (1, 777, 2048)] == [ref._pdfScale(v) for v in (1, 777, 2048)]
    assert got.get_table("head") == ref.get_table("head")
    mine = {k: v for k, v in vars(cached).items() if k not in ("face", "state", "encoding")}
    theirs = {k: v for k, v in vars(reference).items() if k not in ("face", "state", "encoding")}
    assert mine == theirs, "_ttfont_around() no longer does what TTFont.__init__ does"


def test_cached_face_makes_the_same_subset_bytes(tmp_cache):
    reference, cached = parsed_and_cached("Noto Serif CJK SC", tmp_cache)
    codes = [0, 32] + [ord(c) for c in SAMPLE if ord(c) in reference.face.charToGlyph]
    assert cached.face.makeSubset(codes) == reference.face.makeSubset(codes)
    reference, cached = parsed_and_cached("LXGW WenKai", tmp_cache)     # TrueType with composites
    codes = [0, 32] + sorted(random.Random(7).sample(sorted(reference.face.charToGlyph), 200))
    assert cached.face.makeSubset(codes) == reference.face.makeSubset(codes)


def test_damaged_or_stale_entry_is_parsed_again(tmp_cache):
    face = load_catalog().face("DejaVu Sans")
    path = EMBEDDABLE["DejaVu Sans"]
    rl_fonts._load_ttfont(face.key, path, face._cid)
    entry = rl_fonts.face_entry(face._cid)
    entry.write_bytes(entry.read_bytes()[:100])
    font = rl_fonts._load_ttfont(face.key, path, face._cid)
    assert font.face.charWidths and isinstance(font.face, rl_fonts._CachedFace)   # rewritten, then read
    good = pickle.loads(entry.read_bytes())["stamp"]
    data = pickle.loads(entry.read_bytes())
    data["stamp"] = good[:-1] + (good[-1] + 1,)            # as if the font file had another mtime
    entry.write_bytes(pickle.dumps(data))
    assert rl_fonts._read_face(entry, good, path) is None
    rl_fonts._load_ttfont(face.key, path, face._cid)
    assert pickle.loads(entry.read_bytes())["stamp"] == good


def test_face_cache_refuses_foreign_pickles(tmp_cache):
    entry = tmp_cache / "evil.rlface"
    tmp_cache.mkdir(parents=True, exist_ok=True)
    entry.write_bytes(pickle.dumps({"stamp": (), "state": os.system}))
    assert rl_fonts._read_face(entry, (), Path("x")) is None


def test_register_twice_is_one_face(tmp_cache):
    face = load_catalog().face("DejaVu Sans")
    assert rl_fonts.register(face) == rl_fonts.register(face) == face.key


# --------------------------------------------------------------------------- conversion


def test_simple_glyph_records_are_byte_for_byte_fonttools(tmp_cache):
    """The conversion's own compiler of simple glyphs against TTGlyphPen.glyph() + Glyph.compile()."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    face = load_catalog().face("Noto Serif CJK SC")
    glyph_set, order = fonts._worker_font(face.source, face.index)
    table = newTable("glyf")
    for gid in [0, 1, 2, 3] + random.Random(1).sample(range(len(order)), 150):
        pens = [TTGlyphPen(None), TTGlyphPen(None)]
        for pen in pens:
            glyph_set[order[gid]].draw(Cu2QuPen(pen, fonts.MAX_ERR, reverse_direction=True))
        mine = fonts._simple_record(pens[0].points, pens[0].endPts, pens[0].types)
        g = pens[1].glyph()
        theirs = fonts._EMPTY if g.numberOfContours == 0 else (
            g.compile(table, recalcBBoxes=True), g.xMin, g.yMin, g.xMax, g.yMax, len(g.coordinates),
            g.numberOfContours)
        assert mine == theirs, order[gid]


def test_only_glyphs_the_cmap_reaches_are_converted(tmp_path, tmp_cache):
    from fontTools import subset

    face = load_catalog().face("Noto Serif CJK SC")
    src = TTFont(face.source, fontNumber=face.index)
    unmapped = next(name for name in src.getGlyphOrder()[1000:] if name not in set(src.getBestCmap().values()))
    opts = subset.Options()
    opts.layout_features, opts.name_IDs, opts.notdef_outline = [], ["*"], True
    sub = subset.Subsetter(opts)
    sub.populate(text="中文", glyphs=[unmapped])
    sub.subset(src)
    path = tmp_path / "with-unmapped.otf"
    src.save(str(path))
    source = TTFont(path)
    assert unmapped in source.getGlyphOrder()
    out = TTFont(fonts.prepare([open_face("Unmapped", path)], fonts.silent)[0])
    mapped = set(source.getBestCmap().values())
    assert len(out.getGlyphOrder()) == len(source.getGlyphOrder())     # glyph ids unchanged
    for name, tt_name in zip(source.getGlyphOrder(), out.getGlyphOrder()):   # post format 3: other names
        reached = name == ".notdef" or name in mapped
        assert (out["glyf"][tt_name].numberOfContours > 0) == reached, name
        assert out["hmtx"][tt_name][0] == source["hmtx"][name][0]


def test_a_document_drawn_with_the_cached_face_is_the_document_reportlab_writes(tmp_cache):
    """The cached face's widths (as bytes) and the memoised ToUnicode maps write what ReportLab's own
    face and functions write, twice in a row (the memos answering the second time)."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    reference, cached = parsed_and_cached("Noto Serif CJK SC", tmp_cache)
    text = SAMPLE + "".join(chr(0x4E00 + 5 * i) for i in range(700))        # several subsets

    def write(font, name):
        font.fontName = name          # registered by hand: registerFont() answers with the first font of a face
        pdfmetrics._fonts[name] = font
        out = io.BytesIO()
        canvas = Canvas(out, invariant=1, initialFontName=font.fontName, initialFontSize=9)
        canvas.setFont(font.fontName, 9)
        for i in range(0, len(text), 40):
            canvas.drawString(10, 800 - i / 4, text[i:i + 40])
        canvas.showPage()
        canvas.save()
        return out.getvalue()

    theirs = write(reference, "drawn-by-reportlab")
    assert write(cached, "drawn-cached") == theirs
    assert write(cached, "drawn-cached-again") == theirs

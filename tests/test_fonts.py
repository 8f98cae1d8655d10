"""Tests of the font catalog, metrics cache, CFF conversion and ReportLab registration."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection, TTFont

from layout import fonts
from layout.atomic import write_atomic
from layout.fonts import FontError, load_catalog, open_face
from layout.render import rl_fonts

SERIF = "Noto Serif CJK SC"
SAMPLE = "𠮷𬕂中文"
ONE_LINE_AT = re.compile(r"^[^\n]*fonts\.yaml:(\d+):(\d+): [^\n]+$")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture
def tmp_cache(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(cache))
    return cache


def write_yaml(folder: Path, text: str) -> Path:
    path = folder / "fonts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def cff_subset(family: str, folder: Path) -> Path:
    """A CFF (.otf) subset of a Noto CJK face: small enough to convert in tests."""
    from fontTools import subset

    face = load_catalog().face(family)
    font = TTFont(face.source, fontNumber=face.index)
    opts = subset.Options()
    opts.layout_features, opts.name_IDs, opts.notdef_outline = [], ["*"], True
    sub = subset.Subsetter(opts)
    sub.populate(text=SAMPLE + "，A ")
    sub.subset(font)
    path = folder / f"{family.replace(' ', '')}-subset.otf"
    font.save(str(path))
    return path


@pytest.fixture(scope="module")
def small_cff(tmp_path_factory) -> Path:
    return cff_subset(SERIF, tmp_path_factory.mktemp("cff"))


def events_recorder():
    events = []
    return events, lambda family, done, total: events.append((family, done, total))


# --------------------------------------------------------------------------- catalog


def test_default_catalog_parses(catalog):
    assert {SERIF, "Noto Sans CJK SC Bold", "LXGW WenKai", "DejaVu Sans"} <= set(catalog.families)
    assert catalog.fallback == (SERIF, "Noto Sans CJK SC", "LXGW WenKai", "DejaVu Sans")
    assert catalog.path.parent / "." in catalog.search_paths
    face = catalog.face(SERIF)
    assert (face.source.name, face.index, face.family) == ("NotoSerifCJK-Regular.ttc", 2, SERIF)
    assert re.fullmatch(r"NotoSerifCJKsc-Regular-[0-9a-f]{8}", face.key)
    assert catalog.face(SERIF) is face


def test_relative_paths_are_relative_to_the_yaml_folder(tmp_path, tmp_cache):
    (tmp_path / "sub").mkdir()
    shutil.copy("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", tmp_path / "sub" / "Mine.ttf")
    path = write_yaml(tmp_path, "search_paths: [sub]\nfamilies:\n  A: Mine.ttf\n"
                                "  B: {file: sub/Mine.ttf}\n")
    cat = load_catalog(path)
    assert cat.face("A").source == tmp_path / "sub" / "Mine.ttf"
    assert cat.face("B").source == tmp_path / "sub" / "Mine.ttf"


def test_bare_name_found_by_fontconfig(tmp_path, tmp_cache):
    if not shutil.which("fc-match"):
        pytest.skip("fontconfig not installed")
    path = write_yaml(tmp_path, "families:\n  DejaVu Sans: {file: DejaVuSans.ttf}\n")
    assert load_catalog(path).face("DejaVu Sans").source.name == "DejaVuSans.ttf"


def test_unknown_family_suggests_near_name(catalog):
    with pytest.raises(FontError) as err:
        catalog.face("Noto Serif SC")
    msg = str(err.value)
    assert ONE_LINE_AT.match(msg), msg
    assert "`Noto Serif SC`" in msg and "did you mean `Noto Serif CJK SC`" in msg


def test_missing_file_points_at_yaml_and_says_what_to_install(tmp_path):
    path = write_yaml(tmp_path, "search_paths: [.]\nfamilies:\n"
                                "  Noto Serif CJK SC: {file: NotoSerifCJK-Nope.ttc, index: 2}\n")
    with pytest.raises(FontError) as err:
        load_catalog(path).face(SERIF)
    msg = str(err.value)
    assert ONE_LINE_AT.match(msg).groups() == ("3", "29"), msg
    assert "NotoSerifCJK-Nope.ttc" in msg and "apt-get install fonts-noto-cjk" in msg


def test_yaml_syntax_error_has_file_line_col(tmp_path):
    path = write_yaml(tmp_path, "families:\n  A: {file: x.ttf\n  B: {file: y.ttf}\n")
    with pytest.raises(FontError) as err:
        load_catalog(path)
    assert ONE_LINE_AT.match(str(err.value)), str(err.value)
    assert "YAML syntax" in str(err.value)


@pytest.mark.parametrize("text, line_col, needle", [
    ("families:\n  A: {flie: x.ttf}\n", ("2", "7"), "unknown key `flie` in a family; did you mean `file`?"),
    ("famlies:\n  A: x.ttf\n", ("1", "1"), "did you mean `families`?"),
    ("families:\n  A: {file: x.ttf, index: two}\n", ("2", "27"), "`index` must be a whole number"),
    ("families:\n  A: x.ttf\nfallback: [B]\n", ("3", "12"), "fallback family `B` is not defined under families:; families: A"),
    ("families:\n  A: x.ttf\n  A: y.ttf\n", ("3", "3"), "key `A` appears twice"),
    ("families:\n  A: {index: 1}\n", ("2", "6"), "missing `file` in a family"),
])
def test_catalog_errors_point_into_the_yaml(tmp_path, text, line_col, needle):
    with pytest.raises(FontError) as err:
        load_catalog(write_yaml(tmp_path, text))
    msg = str(err.value)
    assert ONE_LINE_AT.match(msg).groups() == line_col, msg
    assert needle in msg


def test_index_on_a_single_font_is_an_error(tmp_path, tmp_cache):
    path = write_yaml(tmp_path, "families:\n  D: {file: /usr/share/fonts/truetype/dejavu/"
                                "DejaVuSans.ttf, index: 1}\n")
    with pytest.raises(FontError, match=r"fonts\.yaml:2:\d+: .*not a collection"):
        load_catalog(path).face("D")


# --------------------------------------------------------------------------- metrics


@pytest.mark.parametrize("family", [SERIF, "Noto Sans CJK SC"])
def test_cjk_advances(catalog, family):
    face = catalog.face(family)
    assert face.advance("中") == 1.0
    assert face.advance("，") == 1.0
    assert 0.3 < face.advance("A") < 1.0
    assert (face.ascent, face.descent) == (0.88, 0.12)


def test_has_covers_astral_and_advance_refuses_missing(catalog):
    serif = catalog.face(SERIF)
    assert all(serif.has(ch) for ch in SAMPLE + "喆垱鄌")
    assert serif.advance("𠮷") == 1.0
    assert not serif.has("\ue000")
    with pytest.raises(KeyError, match="U\\+E000"):
        serif.advance("\ue000")


def test_latin_face_metrics(catalog):
    dejavu = catalog.face("DejaVu Sans")
    assert dejavu.advance("A") == pytest.approx(1401 / 2048)
    assert dejavu.ascent + dejavu.descent == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize("family", ["DejaVu Sans", "LXGW WenKai"])
def test_cached_metrics_agree_with_the_font(catalog, family):
    face = catalog.face(family)
    font = TTFont(face.source, fontNumber=face.index, lazy=True)
    cmap, hmtx, upem = font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm
    for cp, glyph in cmap.items():
        assert face.advance(chr(cp)) == hmtx[glyph][0] / upem
    assert [cp for cp in range(0x30000) if face.has(chr(cp)) != (cp in cmap)] == []


def test_chain_is_own_face_then_fallbacks_without_repeats(catalog):
    chain = catalog.chain(SERIF)
    assert [f.family for f in chain] == [SERIF, "Noto Sans CJK SC", "LXGW WenKai", "DejaVu Sans"]
    bold = catalog.chain("Noto Serif CJK SC Bold")
    assert bold[0].family == "Noto Serif CJK SC Bold" and len(bold) == 5


def test_fallback_reaches_a_face_that_has_the_char(catalog):
    chain = catalog.chain(SERIF)
    found = {}
    for cp in range(0x20, 0x32000):
        ch = chr(cp)
        if not chain[0].has(ch):
            owner = next((f for f in chain[1:] if f.has(ch)), None)
            if owner:
                found.setdefault(owner.family, ch)
    assert set(found) >= {"Noto Sans CJK SC", "LXGW WenKai", "DejaVu Sans"}
    for family, ch in found.items():
        assert catalog.face_for(SERIF, ch).family == family
    assert catalog.face_for(SERIF, "ə").family == "LXGW WenKai"
    assert catalog.face_for(SERIF, "中").family == SERIF


@pytest.mark.parametrize("ch", ["\ue000", "\U0010fffd"])
def test_char_no_face_has_gives_none(catalog, ch):
    assert catalog.face_for(SERIF, ch) is None


def test_metrics_cache_file_round_trip(tmp_cache):
    source = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    first = open_face("X", source)
    cached = tmp_cache / f"{fonts.cache_id(source, 0)}.metrics"
    assert cached.is_file()
    fonts._FACES.clear()
    again = open_face("X", source)
    assert again is not first and again == first and again._widths == first._widths
    cached.write_bytes(b"junk")
    fonts._FACES.clear()
    assert open_face("X", source)._widths == first._widths
    assert cached.read_bytes().startswith(b"layout-font-metrics")


def test_warm_metrics_load_is_fast(catalog):
    for family in catalog.families:
        catalog.face(family)                     # make sure the shared cache is warm
    fonts._FACES.clear()
    fresh = fonts._parse_catalog(catalog.path)
    start = time.perf_counter()
    for family in fresh.families:
        fresh.face(family)
    assert time.perf_counter() - start < 0.25    # ~40 ms measured for 8 faces


# --------------------------------------------------------------------------- conversion


def test_cache_id_keys_on_path_mtime_index_and_version(small_cff, tmp_path, monkeypatch):
    base = fonts.cache_id(small_cff, 0)
    copy = tmp_path / "copy.otf"
    shutil.copy2(small_cff, copy)
    assert fonts.cache_id(copy, 0) != base
    assert fonts.cache_id(small_cff, 1) != base
    monkeypatch.setattr(fonts.cache, "CONVERTER_VERSION", fonts.CONVERTER_VERSION + 1)
    assert fonts.cache_id(small_cff, 0) != base
    monkeypatch.undo()
    st = copy.stat()
    key = fonts.cache_id(copy, 0)
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert fonts.cache_id(copy, 0) != key


def test_cff_converted_once_into_truetype(small_cff, tmp_cache):
    face = open_face("Small", small_cff)
    assert face._needs_build
    events, record = events_recorder()
    path = face.embeddable_path(record)
    assert path.parent == tmp_cache and path.suffix == ".ttf"
    assert events[0][:2] == ("Small", 0) and events[-1][1] == events[-1][2]
    out, src = TTFont(path), TTFont(small_cff)
    assert "glyf" in out and "CFF " not in out and "VORG" not in out
    assert out["post"].formatType == 3.0 and out.sfntVersion == "\x00\x01\x00\x00"
    assert out["head"].modified == src["head"].modified
    assert [out["hmtx"][g][0] for g in out.getGlyphOrder()] == \
        [src["hmtx"][g][0] for g in src.getGlyphOrder()]
    mtime = path.stat().st_mtime_ns
    events.clear()
    assert face.embeddable_path(record) == path and not events
    assert path.stat().st_mtime_ns == mtime
    assert not list(tmp_cache.glob("*.tmp"))


def test_conversion_is_deterministic_and_faithful(small_cff, tmp_path, monkeypatch):
    paths = []
    for run in ("a", "b"):
        monkeypatch.setenv("LAYOUT_CACHE_DIR", str(tmp_path / run))
        fonts._FACES.clear()
        paths.append(fonts.prepare([open_face("Small", small_cff)], fonts.silent)[0])
    assert paths[0].read_bytes() == paths[1].read_bytes()
    src, out = TTFont(small_cff), TTFont(paths[0])     # post format 3: names differ, ids agree
    for name, tt_name in zip(src.getGlyphOrder(), out.getGlyphOrder()):
        assert bounds(out.getGlyphSet(), tt_name) == \
            pytest.approx(bounds(src.getGlyphSet(), name), abs=1.5)


def test_converted_tables_match_a_full_fonttools_recalculation(small_cff, tmp_cache):
    path = open_face("Small", small_cff).embeddable_path(fonts.silent)
    font = TTFont(path, recalcTimestamp=False)
    for name in font.getGlyphOrder():
        font["glyf"][name]                       # expand: save() recomputes every bound
    again = io.BytesIO()
    font.save(again)
    assert again.getvalue() == path.read_bytes()


def bounds(glyph_set, name: str):
    from fontTools.pens.boundsPen import BoundsPen

    pen = BoundsPen(glyph_set)
    glyph_set[name].draw(pen)
    return pen.bounds or (0, 0, 0, 0)


def test_prepare_converts_several_faces_in_parallel(small_cff, tmp_path, tmp_cache, catalog):
    faces = [open_face("Small", small_cff),
             open_face("Small Sans", cff_subset("Noto Sans CJK SC", tmp_path)),
             catalog.face("LXGW WenKai")]
    events, record = events_recorder()
    paths = fonts.prepare(faces, record, workers=2)
    assert paths[2] == faces[2].source
    assert [p.parent for p in paths[:2]] == [tmp_cache, tmp_cache] and paths[0] != paths[1]
    assert {e[0] for e in events if e[1] == 0} == {"Small", "Small Sans"}
    assert {e[0] for e in events if e[1] == e[2]} == {"Small", "Small Sans"}


def test_interrupted_write_leaves_no_cache_entry(tmp_path):
    dest = tmp_path / "face.ttf"

    def write_then_fail(tmp: Path) -> None:
        tmp.write_bytes(b"half a font")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(dest, write_then_fail)
    assert list(tmp_path.iterdir()) == []


def test_truetype_sources_are_used_as_is(catalog):
    kai = catalog.face("LXGW WenKai")
    assert kai.embeddable_path() == kai.source


def test_truetype_collection_face_is_extracted(tmp_path, tmp_cache):
    ttc = TTCollection()
    ttc.fonts = [TTFont(f"/usr/share/fonts/truetype/dejavu/{n}.ttf") for n in
                 ("DejaVuSans", "DejaVuSerif")]
    ttc.save(str(tmp_path / "two.ttc"))
    face = open_face("Serif from TTC", tmp_path / "two.ttc", 1)
    assert face.key.startswith("DejaVuSerif-")
    path = face.embeddable_path(fonts.silent)
    assert path.parent == tmp_cache and TTFont(path)["name"].getDebugName(6) == "DejaVuSerif"
    assert rl_fonts.register(face) == face.key


def test_stderr_progress_lines():
    out = io.StringIO()
    report = fonts.StderrProgress(out, cores=2)
    for done in (0, 300, 600, 1000):
        report("Noto Serif CJK SC", done, 1000)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("preparing Noto Serif CJK SC for embedding (first run only, ~")
    assert lines[1:3] == ["  Noto Serif CJK SC 30%", "  Noto Serif CJK SC 60%"]
    assert lines[3].startswith("  Noto Serif CJK SC ready (") and len(lines) == 4


# --------------------------------------------------------------------------- ReportLab


def test_to_unicode_cmap_writes_surrogate_pairs():
    from reportlab.pdfbase import ttfonts

    assert rl_fonts.to_unicode_is_patched()
    cmap = ttfonts.makeToUnicodeCMap("X", [0, 0x20BB7, 0x4E2D, 0x2C542])
    assert "<01> <D842DFB7>" in cmap and "<02> <4E2D>" in cmap and "<03> <D871DD42>" in cmap
    assert "<20BB7>" not in cmap


def draw_sample(path: Path, name: str) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=(300, 120), invariant=1, initialFontName=name,
                    initialFontSize=9)
    canvas.setFont(name, 24)
    canvas.drawString(20, 50, SAMPLE)
    canvas.showPage()
    canvas.save()
    return path


def extracted_text(path: Path) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()


def test_astral_text_round_trips_through_pdf(small_cff, tmp_path, tmp_cache):
    name = rl_fonts.register(open_face("Small", small_cff))
    pdf = draw_sample(tmp_path / "astral.pdf", name)
    assert extracted_text(pdf) == SAMPLE
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert text.strip() == SAMPLE


def test_real_serif_embeds_only_embedded_fonts(catalog, tmp_path):
    """Uses the shared cache: converts Noto Serif CJK SC once per machine (~50 s cold)."""
    name = rl_fonts.register(catalog.face(SERIF))
    assert rl_fonts.register(catalog.face(SERIF)) == name
    pdf = draw_sample(tmp_path / "serif.pdf", name)
    assert extracted_text(pdf) == SAMPLE
    if not shutil.which("pdffonts"):
        pytest.skip("poppler-utils not installed")
    rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), rows
    assert not any("Helvetica" in row for row in rows)

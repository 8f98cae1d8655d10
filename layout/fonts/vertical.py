"""Vertical forms of a face (its `vert`/`vrt2` GSUB substitutions) as a small derived TrueType face.

ReportLab embeds TrueType subsets by character: it maps each character through the cmap and cannot
reach a glyph that no code point maps to, and the vertical forms of most marks are such glyphs (Noto
CJK's vertical “ ” ‘ ’ ～ have no code point at all; the Unicode presentation forms U+FE10–FE19 and
U+FE30–FE4F cover only some marks, and a PDF drawing them extracts as those forms, not as the text).
So for each face a vertical headline uses, a small face is derived (fontTools) whose cmap maps the
*horizontal* code points (，。、「」《》（）“” …) to the outlines of the font's vertical substitutes:
the headline draws a mark in that face, upright in its em cell, and the PDF's ToUnicode maps the code
back to the character typed, so the text extracts as written and in reading order.

The derived face holds only the substitutes (a few hundred glyphs, quadratic outlines converted from
CFF where the source is CFF), with the source's advances and vertical extents; it is written once per
source file version beside the converted fonts (`vertical/<cid>/<file>-<index>-vert<N>.ttf`).
"""

from __future__ import annotations

from pathlib import Path

from ..atomic import write_atomic
from .cache import cache_dir
from .convert import MAX_ERR
from .errors import FontError
from .face import Face, open_face

VERT_FORMAT = 1            # bump when what the derived faces hold changes
FEATURES = ("vert", "vrt2")

_DERIVED: dict[str, Face | None] = {}


def vertical_face(face: Face) -> Face | None:
    """The derived face of `face`'s vertical forms (cmap: horizontal code point -> vertical glyph);
    None when the face has no vert/vrt2 substitution of any character it maps."""
    if face._cid not in _DERIVED:
        # named after its source, so that a display-list dump names it alike on every machine
        path = cache_dir() / "vertical" / face._cid / f"{face.source.stem}-{face.index}-vert{VERT_FORMAT}.ttf"
        none = path.with_suffix(".none")
        if not path.exists() and not none.exists():
            try:
                made = _derive(face.source, face.index, face.family)
            except Exception as exc:  # noqa: BLE001 - a font fontTools cannot read: no vertical forms
                raise FontError(f"reading the vertical forms of {face.family} ({face.source}) failed: "
                                f"{type(exc).__name__}: {exc}") from None
            try:
                if made is None:
                    write_atomic(none, lambda tmp: tmp.write_bytes(b""))
                else:
                    write_atomic(path, lambda tmp: made.save(str(tmp)))
            except OSError as exc:
                raise FontError(f"cannot write {path} ({exc.strerror}): set LAYOUT_CACHE_DIR "
                                "to a writable folder") from None
        _DERIVED[face._cid] = open_face(f"{face.family} (vertical forms)", path) if path.exists() else None
    return _DERIVED[face._cid]


def vertical_map(font) -> dict:
    """{code point: vertical glyph name} from the vert/vrt2 single substitutions of the font's GSUB
    (every script and language system; a code point the cmap maps to a glyph that a lookup replaces)."""
    if "GSUB" not in font:
        return {}
    gsub = font["GSUB"].table
    if gsub.FeatureList is None or gsub.LookupList is None:
        return {}
    lookups = sorted({i for rec in gsub.FeatureList.FeatureRecord if rec.FeatureTag in FEATURES
                      for i in rec.Feature.LookupListIndex})
    subst: dict = {}
    for i in lookups:
        lookup = gsub.LookupList.Lookup[i]
        for table in lookup.SubTable:
            if lookup.LookupType == 7:
                table = table.ExtSubTable
            for source, target in getattr(table, "mapping", {}).items():
                subst.setdefault(source, target)
    return {cp: subst[g] for cp, g in font.getBestCmap().items() if g in subst and subst[g] != g}


def _derive(source: Path, index: int, family: str):
    """The derived TTFont (not saved), or None when the font has no vertical substitutes."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), fontNumber=index, lazy=True)
    mapping = vertical_map(font)
    if not mapping:
        return None
    cff = "CFF " in font
    glyph_set, hmtx = font.getGlyphSet(), font["hmtx"]
    targets = sorted(set(mapping.values()))
    names = {g: f"v{n:04d}" for n, g in enumerate(targets, 1)}
    order = [".notdef"] + [names[g] for g in targets]
    glyphs, metrics = {}, {}
    for g in [".notdef"] + targets:
        rec = DecomposingRecordingPen(glyph_set)
        glyph_set[g].draw(rec)
        pen = TTGlyphPen(None)
        rec.replay(Cu2QuPen(pen, MAX_ERR, reverse_direction=cff))
        name = names.get(g, g)
        glyphs[name] = pen.glyph()
        metrics[name] = hmtx[g][0]
    head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
    ps = font["name"].getDebugName(6) or "Face"
    fb = FontBuilder(head.unitsPerEm, isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap({cp: names[g] for cp, g in mapping.items()})
    fb.setupGlyf(glyphs)
    glyf = fb.font["glyf"]
    fb.setupHorizontalMetrics({n: (metrics[n], getattr(glyf[n], "xMin", 0)) for n in order})
    fb.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent)
    fb.setupNameTable({"familyName": f"{family} Vert", "styleName": "Regular",
                       "psName": f"{ps[:50]}-Vert", "uniqueFontIdentifier": f"{ps[:50]}-Vert;{VERT_FORMAT}"})
    fb.setupOS2(sTypoAscender=os2.sTypoAscender, sTypoDescender=os2.sTypoDescender,
                sTypoLineGap=os2.sTypoLineGap, usWinAscent=os2.usWinAscent, usWinDescent=os2.usWinDescent,
                fsType=0, usWeightClass=os2.usWeightClass)
    fb.setupPost()
    fb.font["head"].created = fb.font["head"].modified = head.modified    # the same bytes every time
    return fb.font

"""Draw PageLayouts with ReportLab: the one module that talks to it."""
from __future__ import annotations

import hashlib
import io
import math
import re

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas

from ..display import Artwork, Box, PageLayout, Picture, Rule, TextRun
from . import rl_fonts
from . import parts as _parts
from . import pdfx as _pdfx

class _MemoFlate(pdfdoc.PDFStreamFilterZCompress):
    """ReportLab's Flate filter, remembering its output for the same input in this process: a
    rebuild compresses again only the streams that changed (font subsets and their ToUnicode
    maps mostly do not). The same zlib call, so the same bytes."""

    def __init__(self, budget: int = 48 << 20):
        self.memo, self.size, self.budget = {}, 0, budget

    def encode(self, text):
        if isinstance(text, str):
            text = text.encode("utf8")
        out = self.memo.get(text)
        if out is None:
            out = super().encode(text)
            if self.size + len(text) + len(out) > self.budget:
                self.memo.clear()
                self.size = 0
            self.memo[text] = out
            self.size += len(text) + len(out)
        return out


if not isinstance(pdfdoc.PDFZCompress, _MemoFlate):
    pdfdoc.PDFZCompress = _MemoFlate()       # ReportLab looks the filter up in pdfdoc when it writes
rl_config.useA85 = 0      # process-wide, once: binary streams, no ASCII85 bloat (render/seams.py checks both)

BLACK = (0.0, 0.0, 0.0, 1.0)
REGISTRATION = (1.0, 1.0, 1.0, 1.0)   # marks print on every plate
MARK_LENGTH = 14.0                    # pt
MARK_OFFSET = 3.0                     # pt beyond the bleed


def render_pdf(pages, faces: dict, images: dict, title: str = "", pdfx=None) -> bytes:
    """The PDF of `pages`; faces maps face key -> Face, images maps Picture.source -> Prepared.

    pdfx: (PdfxKeys, icc path or None) to write a finished PDF/X file (render/pdfx.py);
    None for a plain ReportLab PDF (an edition's pages, finished after they are merged)."""
    parts = render_pdf_parts(pages, faces, images, title, pdfx)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def render_pdf_parts(pages, faces: dict, images: dict, title: str = "", pdfx=None) -> list:
    """render_pdf() as the list of byte strings that make the file, in order: written one after the
    other (write_parts), a photo's JPEG is never copied (render/parts.py)."""
    keys = sorted(faces)
    names = dict(zip(keys, rl_fonts.register_all([faces[k] for k in keys])))
    first = next(iter(names.values()), None)
    kwargs = {"initialFontName": first, "initialFontSize": 9} if first else {}
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=_media(pages[0]), invariant=1, pageCompression=1, **kwargs)
    canvas.setTitle(title)
    canvas.setCreator("layout")
    canvas.setProducer("layout (ReportLab)")
    for page in pages:
        _page(canvas, page, names, images)
        canvas.showPage()
    if pdfx is not None:
        keys, icc = pdfx
        streams = [p.stream if isinstance(p.stream, bytes) else p.stream.encode("utf-8", "surrogatepass")
                   for p in canvas._doc.Pages.pages]
        _pdfx.apply(canvas, keys, icc, b"\0".join(streams) + repr(sorted(names)).encode())
    if any(isinstance(item, Artwork) for page in pages for item in page.items):
        canvas.save()
        return [_place_artwork(buffer.getvalue(), pages, images)]
    return _parts.parts_of(canvas)


def write_parts(path, parts) -> None:
    """Write the byte strings of render_pdf_parts() to `path`, one after the other."""
    with open(path, "wb") as fh:
        fh.writelines(parts)


def _place_artwork(raw: bytes, pages, images: dict) -> bytes:
    """Delivered PDFs (ads) placed as they are: the first page of each, as a form XObject scaled to fit its
    frame, proportions kept, centred (pikepdf; ReportLab cannot read PDF pages)."""
    import pikepdf

    from ..artwork import frame, place
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        sources = []
        for page, layout in zip(pdf.pages, pages):
            placed = 0
            for item in layout.items:
                delivered = images.get(item.source) if isinstance(item, Artwork) else None
                if delivered is None:
                    continue
                src = pikepdf.open(io.BytesIO(delivered.data))
                sources.append(src)
                place(page, src.pages[0], frame(layout, item), placed)
                placed += 1
        out = io.BytesIO()
        pdf.save(out, static_id=True, deterministic_id=False)
        for src in sources:
            src.close()
        return out.getvalue()


_JPEG_DIGESTS: dict = {}       # JPEG bytes -> sha256 (a dict hit on the same bytes object is O(1))


class _JpegReader(ImageReader):
    """A JPEG that ReportLab embeds as it is (DCTDecode) without decoding it, or even opening it
    with Pillow: drawImage() names the XObject after a digest of getRGBData() (here the JPEG's bytes)
    and reads width, height and components from the JPEG's header itself (jpeg_fh)."""

    def __init__(self, jpeg: bytes):       # not ImageReader.__init__: that opens the image with Pillow
        self._jpeg, self._dataA, self._ident, self._data = jpeg, None, None, None   # no alpha, no soft mask
        self.fileName, self.fp, self._image = "jpeg", io.BytesIO(jpeg), None

    def getRGBData(self):        # what ReportLab names the image XObject after: a digest suffices
        digest = _JPEG_DIGESTS.get(self._jpeg)
        if digest is None:
            if len(_JPEG_DIGESTS) > 64:
                _JPEG_DIGESTS.clear()
            digest = _JPEG_DIGESTS[self._jpeg] = hashlib.sha256(self._jpeg).digest()
        return digest

    def jpeg_fh(self):
        self.fp.seek(0)
        return self.fp


def _media(page: PageLayout) -> tuple:
    edge = page.bleed + page.slug
    return page.width + 2 * edge, page.height + 2 * edge


def _page(canvas: Canvas, page: PageLayout, names: dict, images: dict) -> None:
    o, h = page.bleed + page.slug, page.height
    canvas.setPageSize(_media(page))
    canvas.setTrimBox((o, o, o + page.width, o + page.height))
    canvas.setBleedBox((page.slug, page.slug, o + page.width + page.bleed, o + page.height + page.bleed))
    painter = _Painter(canvas, page, names, _learn_codes(page.items, names, canvas._doc))
    items, n, i = page.items, len(page.items), 0
    while i < n:
        item = items[i]
        if type(item) not in _DRAWN:              # a photo (or an ad, placed after): drawn as it comes
            painter.close()
            if isinstance(item, Picture):
                prepared = images.get(item.source)
                if prepared is not None:
                    canvas.setFillOverprint(False)      # a photo knocks out, whatever text set before it
                    canvas.drawImage(_JpegReader(prepared.jpeg), o + item.x, o + h - (item.y + item.h),
                                     item.w, item.h)
            i += 1
            continue
        block, j = getattr(item, "block", None), i + 1
        while j < n and type(items[j]) in _DRAWN and getattr(items[j], "block", None) == block:
            j += 1
        painter.segment(items[i:j])
        i = j
    painter.close()
    if page.marks:
        _marks(canvas, page)


class _Segment:
    """A block's run of display-list items (text runs, rules, boxes), held so that their ids stay theirs,
    with the faces its text uses (each face's characters, in order) and its recordings."""

    __slots__ = ("items", "faces", "recordings")

    def __init__(self, items: tuple, same: _Segment | None = None):
        self.items = items
        if same is not None:           # equal items (made again, e.g. a page's header): the same recordings
            self.faces, self.recordings = same.faces, same.recordings
            return
        texts: dict = {}
        for item in items:
            if type(item) is TextRun:
                texts.setdefault(item.face, []).append(item.text)
        self.faces = tuple((face, "".join(dict.fromkeys("".join(t)))) for face, t in texts.items())
        self.recordings: dict = {}


class _Recording:
    """What drawing a segment did: the operators it wrote (into the text object or the page), where it
    opened and closed text objects, and the state it left (text state, graphics state, fonts named)."""

    __slots__ = ("events", "state", "text", "gstate", "canvas", "named")

    def __init__(self, events, state, text, gstate, canvas, named):
        self.events, self.state, self.text, self.gstate, self.canvas, self.named = \
            events, state, text, gstate, canvas, named


_SEGMENTS: dict = {}           # (page geometry, ids of the items) -> _Segment
_EQUAL: dict = {}              # (page geometry, the items) -> _Segment: for equal items made again
SEGMENT_MEMO = 1024           # segments kept (a page has ~20); each holds its items and recordings
SEGMENT_RECORDINGS = 8        # recordings kept per segment (one per distinct state it was drawn from)
SEGMENT_STATS = {"drawn": [], "reused": []}     # the blocks of the last page, for tests and the bench
_DRAWN = (TextRun, Rule, Box)
_TEXT_STATE = ("_fontname", "_fontsize", "_leading", "_curSubset", "_charSpace", "_horizScale", "_fillColorObj",
               "_x", "_y", "_x0", "_y0")
_CANVAS_STATE = ("_fillColorObj", "_strokeColorObj", "_lineWidth")


class _Painter:
    """Draws a page's items onto the canvas. A segment (one block's run of items) drawn before in this
    process from the same state — the same items, the same codes for its characters, the same text and
    graphics state at its start — is not drawn again: the operators recorded the first time are written
    again and the state it left is restored. The codes are part of the key because a character used for
    the first time earlier on the page moves the codes of those after it (ReportLab numbers a font's
    characters in the order the page uses them)."""

    def __init__(self, canvas: Canvas, page: PageLayout, names: dict, codes: dict):
        self.canvas, self.doc, self.names, self.codes = canvas, canvas._doc, names, codes
        self.o, self.h = page.bleed + page.slug, page.height
        self.text, self.state, self.fonts, self.font = None, {}, {}, None
        self.events = None                       # while recording: what drawing does, in order
        SEGMENT_STATS["drawn"], SEGMENT_STATS["reused"] = [], []

    # -- segments
    def segment(self, items: tuple) -> None:
        where = (self.o, self.h, tuple(map(id, items)))
        seg = _SEGMENTS.get(where)
        if seg is None:                          # new objects: perhaps equal to ones drawn before
            if len(_SEGMENTS) >= SEGMENT_MEMO:
                _SEGMENTS.clear()
                _EQUAL.clear()
            same = _EQUAL.get((self.o, self.h, items))
            seg = _SEGMENTS[where] = _Segment(items, same)
            if same is None:
                _EQUAL[(self.o, self.h, items)] = seg
        key = self._start(seg)
        block = getattr(items[0], "block", None)
        rec = seg.recordings.get(key)
        if rec is not None:
            self._replay(rec)
            SEGMENT_STATS["reused"].append(block)
            return
        if len(seg.recordings) >= SEGMENT_RECORDINGS:
            seg.recordings.clear()
        named = len(self.doc.delayedFonts)
        self.events, self.c0 = [], len(self.canvas._code)
        self.t0 = len(self.text._code) if self.text is not None else 0
        for item in items:
            self.draw(item)
        self._flush()
        events, self.events = tuple(self.events), None
        text = self.text
        seg.recordings[key] = _Recording(
            events, tuple(self.state.items()),
            None if text is None else tuple((k, text.__dict__[k]) for k in _TEXT_STATE if k in text.__dict__),
            self._gstate(), tuple((k, self.canvas.__dict__[k]) for k in _CANVAS_STATE if k in self.canvas.__dict__),
            tuple(f.fontName for f in self.doc.delayedFonts[named:]))
        SEGMENT_STATS["drawn"].append(block)

    def _start(self, seg: _Segment) -> tuple:
        """Everything the operators of a segment depend on besides its items."""
        text, doc, fonts = self.text, self.doc, []
        for face, chars in seg.faces:
            codes = self.codes.get(face)
            font = self.fonts.get(face) or self.fonts.setdefault(face, pdfmetrics.getFont(self.names[face]))
            state = font.state.get(doc) if getattr(font, "_dynamicFont", False) else None
            fonts.append((face, state and state.internalName,
                          None if codes is None else (chars.translate(codes.subset), chars.translate(codes.code))))
        return (None if text is None else (text._fontname, text._fontsize, text._leading, text._curSubset,
                                            tuple(self.state.items())),
                self._gstate(), len(doc.fontMapping), tuple(fonts))

    def _gstate(self) -> tuple:
        g = self.canvas._extgstate
        return tuple(g._d.items()), tuple(g._c.items())

    def _replay(self, rec: _Recording) -> None:
        canvas = self.canvas
        for kind, strings in rec.events:
            if kind == "t":
                self.text._code.extend(strings)
            elif kind == "c":
                canvas._code.extend(strings)
            elif kind == "open":
                self.text = canvas.beginText()
            else:
                canvas.drawText(self.text)
                self.text = None
        for name in rec.named:                  # the fonts first used in the segment get their names (F1 …)
            pdfmetrics.getFont(name).getSubsetInternalName(0, self.doc)
        self.state = dict(rec.state)
        if "font" in self.state:
            face = self.state["font"][0]
            self.font = self.fonts.get(face) or self.fonts.setdefault(face, pdfmetrics.getFont(self.names[face]))
        if rec.text is not None:
            self.text.__dict__.update(rec.text)
        g = canvas._extgstate
        g._d, g._c = dict(rec.gstate[0]), dict(rec.gstate[1])
        canvas.__dict__.update(rec.canvas)

    # -- recording
    def _flush(self) -> None:
        if self.text is not None and len(self.text._code) > self.t0:
            self.events.append(("t", tuple(self.text._code[self.t0:])))
            self.t0 = len(self.text._code)
        if len(self.canvas._code) > self.c0:
            self.events.append(("c", tuple(self.canvas._code[self.c0:])))
            self.c0 = len(self.canvas._code)

    def open(self) -> None:
        if self.events is not None:
            self._flush()
            self.events.append(("open", ()))
        self.text, self.state = self.canvas.beginText(), {}
        self.t0 = len(self.text._code)

    def close(self) -> None:
        if self.text is None:
            return
        if self.events is not None:
            self._flush()
            self.events.append(("close", ()))
        self.canvas.drawText(self.text)
        self.text = None
        self.c0 = len(self.canvas._code)

    # -- drawing
    def draw(self, item) -> None:
        o, h, canvas = self.o, self.h, self.canvas
        if type(item) is TextRun:
            if self.text is None:
                self.open()
            text, state = self.text, self.state
            black = tuple(item.color) == BLACK
            # text state operators only where they change: a smaller file and a faster preflight
            if state.get("overprint") != black:     # 100 K text overprints; coloured text knocks out
                text.setFillOverprint(black)
                text.setOverprintMask(black)
                state["overprint"] = black
            if state.get("font") != (item.face, item.size):
                text.setFont(self.names[item.face], item.size)
                state["font"] = (item.face, item.size)
                self.font = self.fonts.get(item.face) or self.fonts.setdefault(
                    item.face, pdfmetrics.getFont(self.names[item.face]))
            if state.get("tc") != item.tracking:
                text.setCharSpace(item.tracking)
                state["tc"] = item.tracking
            if state.get("tz") != item.hscale:
                text.setHorizScale(item.hscale * 100)
                state["tz"] = item.hscale
            if state.get("color") != item.color:
                text.setFillColorCMYK(*item.color)
                state["color"] = item.color
            if item.rotate:              # turned clockwise about the origin (a vertical headline's marks)
                r = math.radians(item.rotate)
                c, s = math.cos(r), math.sin(r)
                text.setTextTransform(c, -s, s, c, o + item.x, o + h - item.y)
            else:
                text.setTextOrigin(o + item.x, o + h - item.y)
            known = self.codes.get(item.face)
            if known is not None:
                known.show(text, item.text)
            else:
                show_text(text, self.font, item.text)
            return
        self.close()
        if isinstance(item, Rule):
            canvas.setStrokeOverprint(tuple(item.color) == BLACK)
            canvas.setStrokeColorCMYK(*item.color)
            canvas.setLineWidth(item.width)
            canvas.line(o + item.x1, o + h - item.y1, o + item.x2, o + h - item.y2)
        elif isinstance(item, Box):
            canvas.setFillOverprint(False)
            canvas.setFillColorCMYK(*item.color)
            canvas.rect(o + item.x, o + h - (item.y + item.h), item.w, item.h, stroke=0, fill=1)


def show_text(text, font, string: str) -> None:
    """text.textOut(string) for a run whose origin was just set: the same operators ReportLab's
    _formatText writes for a TrueType font (a Tf where the subset changes, a Tj per subset's
    chunk), without measuring the string to move a text cursor that the next run sets again
    (tests/test_render_textout.py checks the two agree byte for byte)."""
    if not getattr(font, "_dynamicFont", False) or type(string) is not str:   # a standard font, shaped text
        text.textOut(string)
        return
    doc, escape, parts, tf = text._canvas._doc, text._canvas._escape, [], None
    for subset, chunk in font.splitString(string, doc):
        if subset != text._curSubset:
            if tf is None:
                tf = f"{fp_str(text._fontsize)} Tf {fp_str(text._leading)} TL"
            parts.append(f"{font.getSubsetInternalName(subset, doc)} {tf}")
            text._curSubset = subset
        parts.append(f"({escape(chunk)}) Tj")
    text._code.append(" ".join(parts))


_SAME = re.compile(r"(.)\1*", re.S)        # a run of one repeated character
_LEARNT: dict = {}     # (font, the page's characters in order) -> the codes a fresh document gives them


class _Codes:
    """The codes a TrueType font's characters take in one document, learnt for the whole page before it is
    drawn, so that a run is encoded by two str.translate() calls instead of a Python loop over its
    characters (ReportLab's splitString). The codes are ReportLab's own: splitString() assigns them, in the
    order the page uses the characters, as drawing run by run would (assignment does not depend on where
    the calls split the text); tests/test_render_textout.py checks the operators are textOut()'s."""

    __slots__ = ("font", "doc", "subset", "code", "names")

    def __init__(self, font, doc, chars: str):
        self.font, self.doc, self.names = font, doc, {}
        fresh = doc not in font.state
        known = _LEARNT.get((font, chars)) if fresh else None
        if known is not None:           # the same characters in the same order: the same codes
            assignments, next_code, subsets, self.subset, self.code = known
            state = font.state[doc] = ttfonts.TTFont.State(font._asciiReadable, font)
            state.assignments, state.nextCode, state.subsets = dict(assignments), next_code, [list(s) for s in subsets]
            return
        font.splitString(chars, doc)
        state = font.state[doc]
        assigned = state.assignments
        self.subset, self.code = {}, {}              # ord -> one character: its subset's number, its code in it
        for ch in chars:
            c = ord(ch)
            n = assigned.get(32 if c == 0xA0 else c, 0)  # a no-break space is a space; 0: a glyph the font lacks
            self.subset[c], self.code[c] = chr(n >> 8), chr(n & 0xFF)
        if fresh:
            if len(_LEARNT) >= 16:
                _LEARNT.clear()
            _LEARNT[(font, chars)] = (dict(assigned), state.nextCode, tuple(tuple(s) for s in state.subsets),
                                      self.subset, self.code)

    def show(self, text, string: str) -> None:
        """show_text(text, font, string) for a string whose characters were learnt."""
        if not string:
            text._code.append("")
            return
        subsets = string.translate(self.subset)
        data = string.translate(self.code).encode("latin-1")
        if subsets.count(subsets[0]) == len(subsets):
            chunks = ((ord(subsets[0]), data),)
        else:
            chunks = [(ord(m.group(1)), data[m.start():m.end()]) for m in _SAME.finditer(subsets)]
        escape, parts, tf = text._canvas._escape, [], None
        for subset, chunk in chunks:
            if subset != text._curSubset:
                if tf is None:
                    tf = f"{fp_str(text._fontsize)} Tf {fp_str(text._leading)} TL"
                name = self.names.get(subset)
                if name is None:      # the first use of a font names it (F1, F2 …) in this document
                    name = self.names[subset] = self.font.getSubsetInternalName(subset, self.doc)
                parts.append(f"{name} {tf}")
                text._curSubset = subset
            parts.append(f"({escape(chunk)}) Tj")
        text._code.append(" ".join(parts))


def _learn_codes(items, names: dict, doc) -> dict:
    """face key -> _Codes for the TrueType faces of the page's text runs (their characters in order)."""
    texts: dict = {}
    for item in items:
        if type(item) is TextRun and type(item.text) is str:
            texts.setdefault(item.face, []).append(item.text)
    codes = {}
    for face, strings in texts.items():
        font = pdfmetrics.getFont(names[face])
        if getattr(font, "_dynamicFont", False):
            codes[face] = _Codes(font, doc, "".join(dict.fromkeys("".join(strings))))
    return codes


def _marks(canvas: Canvas, page: PageLayout) -> None:
    """Crop marks at the trim corners, outside the bleed, in registration colour (the slug line is text
    of the display list)."""
    o, b = page.bleed + page.slug, page.bleed
    canvas.setStrokeOverprint(False)
    canvas.setStrokeColorCMYK(*REGISTRATION)
    canvas.setLineWidth(0.25)
    x0, y0, x1, y1 = o, o, o + page.width, o + page.height
    gap = b + MARK_OFFSET
    for x, y, dx, dy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
        canvas.line(x + dx * gap, y, x + dx * (gap + MARK_LENGTH), y)
        canvas.line(x, y + dy * gap, x, y + dy * (gap + MARK_LENGTH))

"""The build's preflight: PRINT.md's rules checked on the display list and the PDF/X keys written,
with the findings `layout preflight` gives when it reads the file (tests prove both agree)."""
from __future__ import annotations

from pathlib import Path

from .display import Artwork, Box, Picture, Rule, TextRun
from .plant import MIN_LINE, MIN_PPI, WARN_PPI
from .preflight import Finding, _inside, _once, _text, _within, check_artwork, info_findings

BLACK_INK = (0.0, 0.0, 0.0, 1.0)         # 100 K: the renderer sets it overprinting
REGISTRATION = (1.0, 1.0, 1.0, 1.0)      # crop marks (render/pdf.py draws them outside the bleed)


def preflight_page(path: Path | str, pages, images: dict, keys, ink_limit: float = 240.0) -> list:
    """Every violation of PRINT.md in what the build drew (`pages`: PageLayouts, `images`:
    Picture.source -> Prepared) and finished (`keys`: render.pdfx.PdfxKeys), errors first."""
    out: list = []

    def err(msg):
        out.append(Finding("error", f"{path}: {msg}"))

    def warn(msg):
        out.append(Finding("warning", f"{path}: {msg}"))

    _document(keys, err)
    for number, page in enumerate(pages, 1):
        _page(page, images, number, keys.flavour, ink_limit, err, warn)
    return sorted(out, key=lambda f: f.level != "error")


def _document(keys, err) -> None:
    info = dict(keys.info)
    info_findings(info, keys.flavour, keys.version, err)
    if not keys.has_id:
        err("trailer has no /ID")
    intents = [dict(i) for i in keys.intents if dict(i).get("S") == "/GTS_PDFX"]
    if len(intents) != 1:
        err(f"needs exactly one GTS_PDFX OutputIntent, found {len(intents)}")
    else:
        if "OutputConditionIdentifier" not in intents[0]:
            err("OutputIntent lacks OutputConditionIdentifier")
        if keys.flavour == "x4" and "DestOutputProfile" not in intents[0]:
            err("PDF/X-4 OutputIntent lacks DestOutputProfile")


class _State:
    """The graphics state the renderer leaves: fill and stroke colour, overprint, line width."""
    __slots__ = ("fill", "stroke", "op", "lw")

    def __init__(self):
        self.fill, self.stroke, self.op, self.lw = (0, 0, 0, 1), (0, 0, 0, 1), False, 1.0


def _page(page, images, number, flavour, ink_limit, err, warn) -> None:
    where = f"page {number}"
    o, h = page.bleed + page.slug, page.height
    edge = page.bleed + page.slug
    media = [0.0, 0.0, page.width + 2 * edge, page.height + 2 * edge]
    trim = [o, o, o + page.width, o + page.height]
    bleed = [page.slug, page.slug, o + page.width + page.bleed, o + page.height + page.bleed]
    if not _inside(trim, media):
        err(f"{where}: TrimBox lies outside the MediaBox")
    if not _inside(bleed, media) or not _inside(trim, bleed):
        err(f"{where}: BleedBox must lie inside the MediaBox and contain the TrimBox")
    area = bleed
    seen, texts, state = set(), set(), _State()
    for item in page.items:
        if isinstance(item, TextRun):
            black = tuple(item.color) == BLACK_INK
            state.fill, state.op = tuple(item.color), black
            key = (state.fill, item.size, black, int(black))
            if key not in texts and _within((o + item.x, o + h - item.y), area):
                texts.add(key)
                _text(_TextState(state.fill, black), item.size, where, ink_limit, seen, err, warn)
        elif isinstance(item, Rule):
            state.stroke, state.lw = tuple(item.color), item.width
            _stroke(state, (o + item.x1, o + h - item.y1), area, where, ink_limit, seen, err, warn)
        elif isinstance(item, Box):
            state.fill = tuple(item.color)
            ink = sum(state.fill) * 100
            if ink > ink_limit + 0.5:
                _once(seen, ("fill-ink", round(ink)), lambda: err(
                    f"{where}: a fill uses {ink:.0f} % ink, over the {ink_limit:g} % limit"))
        elif isinstance(item, Picture):
            prepared = images.get(item.source)
            if prepared is not None:
                _image(prepared, item.w, where, ink_limit, err, warn)
        elif isinstance(item, Artwork):           # a delivered PDF ad: what is inside it
            delivered = images.get(item.source)
            if delivered is not None:
                check_artwork(delivered.data, where, flavour, ink_limit, seen, err, warn)
    if page.marks:          # crop marks: registration colour, outside the bleed
        state.stroke, state.lw = REGISTRATION, 0.25
        gap = page.bleed + 3.0
        for x, y, dx, dy in ((trim[0], trim[1], -1, -1), (trim[2], trim[1], 1, -1), (trim[0], trim[3], -1, 1),
                             (trim[2], trim[3], 1, 1)):
            for start in ((x + dx * gap, y), (x, y + dy * gap)):
                _stroke(state, start, area, where, ink_limit, seen, err, warn)


class _TextState:
    __slots__ = ("fill", "op", "opm")

    def __init__(self, fill, black):
        self.fill, self.op, self.opm = fill, black, int(black)


def _stroke(state, start, area, where, ink_limit, seen, err, warn) -> None:
    if not _within(start, area):
        return
    ink = sum(state.stroke) * 100
    if ink > ink_limit + 0.5:
        _once(seen, ("stroke-ink", round(ink)), lambda: err(
            f"{where}: a line uses {ink:.0f} % ink, over the {ink_limit:g} % limit"))
    if state.lw < MIN_LINE:
        _once(seen, "thin", lambda: warn(f"{where}: a line of {state.lw:g} pt is under {MIN_LINE} pt"))


def _image(prepared, frame_w: float, where, ink_limit, err, warn) -> None:
    width, components = jpeg_size(prepared.jpeg)
    if components == 3:
        err(f"{where}: an RGB image; convert it to CMYK")
    width_in = frame_w / 72
    if width_in > 0:
        ppi = width / width_in
        if ppi < MIN_PPI:
            err(f"{where}: an image at {ppi:.0f} ppi, under {MIN_PPI}")
        elif ppi < WARN_PPI:
            warn(f"{where}: an image at {ppi:.0f} ppi, under {WARN_PPI}")
    if components == 4 and prepared.max_ink > ink_limit + 0.5:
        err(f"{where}: an image reaches {prepared.max_ink:.0f} % total ink, over the {ink_limit:g} % limit")


def jpeg_size(jpeg: bytes) -> tuple:
    """(pixel width, colour components) from a JPEG's frame header, without decoding it."""
    i = 2
    while i + 9 < len(jpeg):
        if jpeg[i] != 0xFF:
            i += 1
            continue
        marker = jpeg[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            i += 1 if marker == 0xFF else 2
            continue
        length = int.from_bytes(jpeg[i + 2:i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return int.from_bytes(jpeg[i + 7:i + 9], "big"), jpeg[i + 9]
        i += 2 + length
    raise ValueError("not a JPEG with a frame header")

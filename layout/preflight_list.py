"""The build's preflight: PRINT.md's rules checked on the display list and the PDF/X keys written,
with the findings `layout preflight` gives when it reads the file (tests prove both agree)."""
from __future__ import annotations

from pathlib import Path

from .display import Artwork, Box, Picture, Rule, TextRun
from .preflight import Finding, _inside, check_artwork, info_findings
from .preflight_content import (SLACK, Context, _within, fill_findings, resolution_findings, stroke_findings,
                                text_findings)

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
    ctx, texts = Context(flavour, ink_limit, err, warn), set()
    for item in page.items:
        if isinstance(item, TextRun):
            black = tuple(item.color) == BLACK_INK
            key = (tuple(item.color), item.size, black)
            if key not in texts and _within((o + item.x, o + h - item.y), bleed):
                texts.add(key)
                text_findings(ctx, where, tuple(item.color), black, int(black), item.size)
        elif isinstance(item, Rule):
            if _within((o + item.x1, o + h - item.y1), bleed):
                stroke_findings(ctx, where, tuple(item.color), item.width)
        elif isinstance(item, Box):
            fill_findings(ctx, where, tuple(item.color))
        elif isinstance(item, Picture):
            prepared = images.get(item.source)
            if prepared is not None:
                _image(ctx, where, prepared, item.w)
    if page.marks:          # crop marks: registration colour, outside the bleed
        gap = page.bleed + 3.0
        for x, y, dx, dy in ((trim[0], trim[1], -1, -1), (trim[2], trim[1], 1, -1), (trim[0], trim[3], -1, 1),
                             (trim[2], trim[3], 1, 1)):
            for start in ((x + dx * gap, y), (x, y + dy * gap)):
                if _within(start, bleed):
                    stroke_findings(ctx, where, REGISTRATION, 0.25)
    placed = [item for item in page.items if isinstance(item, Artwork) and images.get(item.source) is not None]
    for index, item in enumerate(placed):     # delivered PDF ads: drawn over the page, in this order
        check_artwork(ctx, where, page, item, index, images[item.source].data)


def _image(ctx, where, prepared, frame_w: float) -> None:
    width, components = jpeg_size(prepared.jpeg)
    if components == 3:
        ctx.err(f"{where}: an RGB image; convert it to CMYK")
    resolution_findings(ctx, where, width, frame_w)
    if components == 4 and prepared.max_ink > ctx.ink_limit + SLACK:
        ctx.err(f"{where}: an image reaches {prepared.max_ink:.0f} % total ink, over the {ctx.ink_limit:g} % limit")


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

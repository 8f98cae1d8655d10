"""The display list as JSON for the browser: the same items render/pdf.py draws, grouped by block, with
every glyph's x position worked out here (the PDF's advances: font width x size + tracking)."""
from __future__ import annotations

import zlib
from dataclasses import replace
from pathlib import Path

from ..display import Artwork, Box, PageLayout, Picture, Rule, TextRun
from .proofcolour import css_colour, page_profile

PAGE_GROUP = "page"      # header, footer, block rules: what belongs to no block


def rgb(color, profile: Path | None = None) -> str:
    """CMYK in 0..1 as a CSS colour: through the page's output profile (DEFAULT_PROFILE when None)."""
    if profile is None:
        from ..images import DEFAULT_PROFILE
        profile = DEFAULT_PROFILE
    return css_colour(color, profile)


def _n(v: float) -> float:
    return round(v, 3)


def glyph_offsets(run: TextRun, faces: dict) -> list:
    """x of each character of the run from the run's origin, before the horizontal scale (PDF Tz) is
    applied: the sum of the advances before it (advance x size + Tc). Characters are code points."""
    face = faces[run.face]
    out, x = [], 0.0
    for ch in run.text:
        out.append(_n(x))
        try:
            x += face.advance(ch) * run.size + run.tracking
        except KeyError:             # never drawn by the composer; keep the slot so that offsets stay aligned
            x += run.size + run.tracking
    return out


def source_segments(src: tuple) -> list:
    """Per-character file offsets as [start, count] runs of consecutive offsets ([-1, n]: n unknown)."""
    out: list = []
    for o in src:
        if out:
            start, count = out[-1]
            if (o < 0 and start < 0) or (o >= 0 and start >= 0 and o == start + count):
                out[-1][1] += 1
                continue
        out.append([o if o >= 0 else -1, 1])
    return out


def text_item(run: TextRun, faces: dict, profile: Path | None = None) -> dict:
    item = {"t": "text", "x": _n(run.x), "y": _n(run.y), "s": run.text, "dx": glyph_offsets(run, faces),
            "f": run.face, "z": run.size, "c": rgb(run.color, profile), "h": run.hscale, "r": run.role,
            **({"rot": run.rotate} if run.rotate else {})}
    if run.src and run.file and any(o >= 0 for o in run.src):
        item["file"], item["o"] = run.file, source_segments(run.src)   # where each character was typed
    return item


def item_json(item, faces: dict, images: dict, page: int, profile: Path | None = None) -> dict:
    if isinstance(item, TextRun):
        return text_item(item, faces, profile)
    if isinstance(item, Rule):
        return {"t": "rule", "x1": _n(item.x1), "y1": _n(item.y1), "x2": _n(item.x2), "y2": _n(item.y2),
                "w": item.width, "c": rgb(item.color, profile)}
    if isinstance(item, Box):
        return {"t": "box", "x": _n(item.x), "y": _n(item.y), "w": _n(item.w), "h": _n(item.h),
                "c": rgb(item.color, profile)}
    if isinstance(item, Picture):
        stamp = getattr(images.get(item.source), "digest", None) or abs(hash(images.get(item.source))) % 10 ** 9
        return {"t": "pic", "x": _n(item.x), "y": _n(item.y), "w": _n(item.w), "h": _n(item.h),
                "src": f"/photo/{page}/{item.source}?v={stamp}"}
    if isinstance(item, Artwork):      # a delivered ad: its first page, fitted and centred as the PDF places it
        delivered = images.get(item.source)
        stamp = zlib.crc32(delivered.data) if delivered is not None else 0
        return {"t": "art", "x": _n(item.x), "y": _n(item.y), "w": _n(item.w), "h": _n(item.h), "name": item.source,
                "src": f"/art/{page}/{item.source}?v={stamp}"}
    raise TypeError(f"no JSON form for {type(item).__name__}")


def _overflow_items(result, block, grid, faces: dict, profile: Path) -> list:
    """The lines that did not fit, set in the block's first column below its bottom edge (drawn faded)."""
    flowed = result.flowed
    if flowed is None or not flowed.overflow or block is None or grid is None:
        return []
    x0 = grid.col_x(block.col)
    top = grid.line_top(block.line + block.lines)
    out = []
    for k, line in enumerate(flowed.overflow):
        base = top + k * grid.leading + (grid.leading - grid.body_size) / 2 + 0.88 * grid.body_size
        if not hasattr(line, "runs"):        # a list item, crosshead, table row …: what its slot draws
            out += [text_item(replace(it, role="overflow", block=result.block), faces, profile)
                    for it in line.at(x0, top + k * grid.leading, result.block) if isinstance(it, TextRun)]
            continue
        src = getattr(line, "src", ())
        for j, r in enumerate(line.runs):
            run = TextRun(x=x0 + r.x, y=base, text=r.text, face=r.face, size=r.size, color=r.color,
                          role="overflow", block=result.block, tracking=r.tracking, hscale=r.hscale,
                          src=src[j] if j < len(src) else (), file=getattr(line, "file", ""))
            out.append(text_item(run, faces, profile))
    return out


def page_json(layout: PageLayout, results, spec, grid, faces: dict, images: dict, page: int,
              auto=frozenset()) -> dict:
    """One page: its size, and its items in groups (one per block, one for the page), each group with the
    block's frame and copyfit status; a group is the unit the studio sends again when it changes.
    auto: ids of the blocks whose spec says `size: [N, auto]` (their frame's lines are the lines taken)."""
    profile = page_profile(spec)
    owner = {}
    for r in results:
        for item in r.items:
            owner[id(item)] = r.block
    blocks = {b.id: b for b in spec.blocks}
    groups = {PAGE_GROUP: {"id": PAGE_GROUP, "items": []}}
    order = [PAGE_GROUP]
    for b in spec.blocks:
        groups[b.id] = {"id": b.id, "items": []}
        order.append(b.id)
    for item in layout.items:
        gid = owner.get(id(item), PAGE_GROUP)
        if gid not in groups:
            gid = PAGE_GROUP
        groups[gid]["items"].append(item_json(item, faces, images, page, profile))
    fits = {}
    for r in results:
        if r.flowed is not None:
            fits[r.block] = r
    for b in spec.blocks:
        g = groups[b.id]
        x, y = grid.col_x(b.col), grid.line_top(b.line)
        g["frame"] = {"x": _n(x), "y": _n(y), "w": _n(grid.span(b.cols)),
                      "h": _n(grid.line_top(b.line + (b.lines or 0)) - y),
                      "at": [b.col, b.line], "size": [b.cols, b.lines], "auto": b.id in auto}
        g["kind"] = b.kind
        g["article"] = b.article or b.caption or ""
        r = fits.get(b.id)
        if r is not None:
            f = r.flowed
            g["status"] = f.status
            g["overflow_chars"] = f.overflow_chars
            g["overflow_lines"] = len(f.overflow)
            g["empty_lines"] = f.empty_lines
            g["items"] += _overflow_items(r, b, grid, faces, profile)
        else:
            g["status"] = "fits"       # a photo, or a block whose article jumps on (its chain reports later)
            g["overflow_chars"] = 0
            g["overflow_lines"] = 0
            g["empty_lines"] = 0
    return {"page": page, "width": _n(layout.width), "height": _n(layout.height), "title": layout.title,
            "spec": str(spec.path.name), "order": order, "groups": groups,
            "grid": {"left": _n(grid.left), "top": _n(grid.top), "col_width": _n(grid.col_width),
                     "gutter": _n(grid.gutter), "columns": grid.columns, "leading": _n(grid.leading),
                     "lines": grid.lines}}


def characters_by_face(layouts) -> dict:
    """face key -> the set of characters drawn with it, over all pages: what the font subsets must hold."""
    out: dict = {}
    for layout in layouts:
        for item in layout.items:
            if isinstance(item, TextRun):
                out.setdefault(item.face, set()).update(item.text)
    return out

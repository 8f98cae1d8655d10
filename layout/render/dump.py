"""A stable, rounded text dump of the display list: the main snapshot oracle (SILE's debug outputter)."""
from __future__ import annotations

import re

from ..display import Artwork, Box, PageLayout, Picture, Rule, TextRun

VERSION = 1


def face_identity(face) -> str:
    """What makes glyphs look the way they do: family, file, face index and file size."""
    return f"{face.family} | {face.source.name}#{face.index} | {face.source.stat().st_size} bytes"


def fonts_header(faces: dict) -> list:
    return sorted(f"font {face_identity(face)}" for face in faces.values())


def _n(v: float) -> str:
    return f"{v:.2f}".replace("-0.00", "0.00")


def _color(c) -> str:
    return "cmyk(" + ",".join(f"{v:g}" for v in c) + ")"


def dump(layout: PageLayout, faces: dict) -> str:
    """One line per drawn item, positions to 0.01 pt; fonts named by family, identified in the header."""
    family = {key: face.family for key, face in faces.items()}
    out = [f"# layout display list v{VERSION}", *fonts_header(faces),
           f"page {_n(layout.width)} x {_n(layout.height)} bleed {_n(layout.bleed)}"]
    for item in layout.items:
        if isinstance(item, TextRun):
            extra = ""
            if abs(item.tracking) >= 0.005:
                extra += f" tc={_n(item.tracking)}"
            if abs(item.hscale - 1) >= 0.0005:
                extra += f" hs={item.hscale:.3f}"
            if item.rotate:
                extra += f" rot={item.rotate:g}"
            out.append(f"text {_n(item.x)} {_n(item.y)} [{family.get(item.face, item.face)} {_n(item.size)}]"
                       f" {item.block}/{item.role} {_color(item.color)}{extra} {item.text}")
        elif isinstance(item, Rule):
            out.append(f"rule {_n(item.x1)} {_n(item.y1)} {_n(item.x2)} {_n(item.y2)} w={_n(item.width)} "
                       f"{_color(item.color)}")
        elif isinstance(item, Box):
            out.append(f"box {_n(item.x)} {_n(item.y)} {_n(item.w)} {_n(item.h)} {_color(item.color)}")
        elif isinstance(item, Picture):
            out.append(f"picture {_n(item.x)} {_n(item.y)} {_n(item.w)} {_n(item.h)} {item.block} {item.source}")
        elif isinstance(item, Artwork):
            out.append(f"artwork {_n(item.x)} {_n(item.y)} {_n(item.w)} {_n(item.h)} {item.block} {item.source}")
    return "\n".join(out) + "\n"


_TEXT = re.compile(r"^text (\S+) (\S+) \[(.*) (\S+)\] (\S+) (\S+)(?: tc=\S+)?(?: hs=\S+)? (.*)$")


def parse_boxes(text: str) -> list:
    """(kind, x, y, w, h, line) of each item of a dump, in points, for marking where two dumps differ."""
    out = []
    for line in text.splitlines():
        parts = line.split()
        if not parts or parts[0] not in ("text", "rule", "box", "picture", "artwork"):
            continue
        kind, x, y = parts[0], float(parts[1]), float(parts[2])
        if kind == "text":
            m = _TEXT.match(line)
            size, glyphs = float(m.group(4)), m.group(7)
            w, y, h = max(1, len(glyphs)) * size, y - size, size * 1.25
        elif kind == "rule":
            x2, y2 = float(parts[3]), float(parts[4])
            x, y, w, h = min(x, x2), min(y, y2) - 1, abs(x2 - x) + 1, abs(y2 - y) + 2
        else:
            w, h = float(parts[3]), float(parts[4])
        out.append((kind, x, y, w, h, line))
    return out

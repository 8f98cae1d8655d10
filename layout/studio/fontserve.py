"""Fonts for the browser: subsets (fontTools) of the very files the PDF embeds, one chunk per batch of
new characters, each declared with its unicode-range so that the browser picks the right one."""
from __future__ import annotations

import io
import threading

from fontTools import subset
from fontTools.ttLib import TTFont


def make_subset(face, chars) -> bytes:
    """A TrueType subset of the face's embeddable file (the converted TrueType for CFF faces)."""
    path = face.embeddable_path()
    number = face.index if str(path).lower().endswith((".ttc", ".otc")) else -1
    font = TTFont(str(path), fontNumber=number, lazy=True)
    opts = subset.Options()
    opts.layout_features, opts.name_IDs, opts.notdef_outline = [], ["*"], True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted(ord(c) for c in chars))
    sub.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


class FontServer:
    """face key -> CSS family name and chunks of subset bytes; new characters add a chunk."""

    def __init__(self):
        self.lock = threading.Lock()
        self.families: dict = {}       # face key -> "f0", "f1" …
        self.covered: dict = {}        # face key -> set of characters in its chunks
        self.chunks: dict = {}         # face key -> [bytes]
        self.ranges: dict = {}         # face key -> [sorted code points per chunk]

    def update(self, faces: dict, chars_by_face: dict) -> bool:
        """Add chunks for characters not yet covered; True when the font table changed."""
        changed = False
        for key, chars in chars_by_face.items():
            face = faces.get(key)
            if face is None:
                continue
            with self.lock:
                fam = self.families.setdefault(key, f"f{len(self.families)}")
                new = {c for c in chars if not c.isspace() or c == " "} - self.covered.get(key, set())
            if not new:
                continue
            data = make_subset(face, new)
            with self.lock:
                self.chunks.setdefault(key, []).append(data)
                self.ranges.setdefault(key, []).append(sorted(ord(c) for c in new))
                self.covered.setdefault(key, set()).update(new)
            changed = True
        return changed

    def table(self) -> dict:
        """For the client: face key -> {"family", "chunks": [{"url", "range"}]}."""
        with self.lock:
            return {key: {"family": fam, "chunks": [
                {"url": f"/font/{fam}/{i}.ttf", "range": ",".join(f"U+{cp:X}" for cp in cps)}
                for i, cps in enumerate(self.ranges.get(key, []))]}
                for key, fam in self.families.items()}

    def get(self, family: str, index: int) -> bytes | None:
        with self.lock:
            for key, fam in self.families.items():
                if fam == family and 0 <= index < len(self.chunks.get(key, [])):
                    return self.chunks[key][index]
        return None

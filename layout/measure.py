"""Glyph metrics for the composer: font roles of the spec resolved through the font catalog."""
from __future__ import annotations

from .fonts import Catalog, Face


class FontMetrics:
    """Metrics for the composer: role or family -> (face key, advance in em), with fallback; memoised."""

    def __init__(self, catalog: Catalog, roles: dict):
        self.catalog, self.roles = catalog, dict(roles)
        self.faces: dict[str, Face] = {}   # face key -> Face, every face a glyph was taken from
        self._memo: dict = {}

    def family(self, font: str) -> str:
        return self.roles.get(font, font)

    def glyph(self, font: str, ch: str):
        key = (font, ch)
        hit = self._memo.get(key)
        if hit is None and key not in self._memo:
            face = self.catalog.face_for(self.family(font), ch)
            hit = None if face is None else (face.key, face.advance(ch))
            if face is not None:
                self.faces[face.key] = face
            self._memo[key] = hit
        return hit

    def ascent(self, font: str) -> float:
        return self.catalog.face(self.family(font)).ascent

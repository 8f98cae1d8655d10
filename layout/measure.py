"""Glyph metrics for the composer: font roles of the spec resolved through the font catalog."""
from __future__ import annotations

from contextlib import contextmanager
from itertools import count
from weakref import WeakKeyDictionary

from .fonts import Catalog, Face
from .fonts.vertical import vertical_face

_MISS = object()
_TOKENS = count(1)


class _Shared:
    """What the fallback chains of one catalog and one set of roles gave, for the life of the
    process, so that a rebuild (layout watch, an edition's pages) does not walk them again."""
    __slots__ = ("token", "glyphs", "faces", "fonts")

    def __init__(self):
        self.token = next(_TOKENS)     # never reused, unlike id()
        self.glyphs: dict = {}         # (font, ch) -> (Face, (face key, advance)) or None
        self.faces: dict = {}          # face key -> Face
        self.fonts = None              # (fingerprint, families, {face key: Face}) for the on-disk store


_SHARED: WeakKeyDictionary = WeakKeyDictionary()   # catalog -> roles -> _Shared


class FontMetrics:
    """Metrics for the composer: role or family -> (face key, advance in em), with fallback; memoised."""

    def __init__(self, catalog: Catalog, roles: dict):
        self.catalog, self.roles = catalog, dict(roles)
        self.faces: dict[str, Face] = {}   # face key -> Face, every face a glyph was taken from
        self._memo: dict = {}
        self._tracking: set | None = None
        try:
            by_roles = _SHARED.setdefault(catalog, {})
        except TypeError:                   # a catalog stand-in that cannot be weakly referenced
            by_roles = {}
        self._shared = by_roles.setdefault(tuple(sorted(self.roles.items())), _Shared())

    @property
    def key(self) -> tuple:
        """Equal for two FontMetrics that measure every character alike (same catalog object, same
        roles): a memo of composed text may be keyed on it, across builds of one process."""
        return ("FontMetrics", self._shared.token)

    def fingerprint(self):
        """(text, families) naming every face of every fallback chain of the catalog's families and
        the roles, by content id, in order: equal in two processes exactly when every character
        measures alike, for the on-disk store of composed text. None when some face cannot be opened."""
        shared = self._shared
        if shared.fonts is None:
            try:
                families = sorted(set(self.catalog.families) | set(self.roles.values()))
                chains = [(f, tuple(face.key for face in self.catalog.chain(f))) for f in families]
                faces = {face.key: face for f in families for face in self.catalog.chain(f)}
                shared.fonts = (repr((sorted(self.roles.items()), chains)), frozenset(families), faces)
            except Exception:  # noqa: BLE001 - a face that cannot be opened: no store, composition reports it
                shared.fonts = (None, frozenset(), {})
        text, families, _ = shared.fonts
        return None if text is None else (text, families)

    def add_stored_faces(self, keys) -> bool:
        """add_faces() for a result from the on-disk store; False when a face is not in the catalog."""
        known = self._shared.fonts[2] if self._shared.fonts else {}
        if any(k not in known for k in keys):
            return False
        for k in keys:
            self._shared.faces.setdefault(k, known[k])
        self.add_faces(keys)
        return True

    @contextmanager
    def track(self):
        """Collect the keys of the faces glyph() answers with while the block runs (a memo of
        composed text stores them, and hands them to add_faces() when it answers instead)."""
        outer, self._tracking = self._tracking, set()
        try:
            yield self._tracking
        finally:
            used, self._tracking = self._tracking, outer
            if outer is not None:
                outer |= used

    def add_faces(self, keys) -> None:
        """Count faces as used, as if glyph() had answered with them."""
        for k in keys:
            self.faces[k] = self._shared.faces[k]
            if self._tracking is not None:
                self._tracking.add(k)

    def family(self, font: str) -> str:
        return self.roles.get(font, font)

    def vertical(self, font: str, ch: str):
        """(face key, advance in em) of ch's vertical form (the font's vert/vrt2 substitute, in a face
        derived from the one glyph() takes ch from: fonts/vertical.py), or None when it has none."""
        key = ("vertical", font, ch)
        if key not in self._shared.glyphs:
            hit = self.glyph(font, ch)
            face = self._shared.faces.get(hit[0]) if hit else None
            derived = vertical_face(face) if face is not None else None
            known = None
            if derived is not None and derived.has(ch):
                known = (derived, (derived.key, derived.advance(ch)))
                self._shared.faces[derived.key] = derived
            self._shared.glyphs[key] = known
        known = self._shared.glyphs[key]
        if known is None:
            return None
        face, hit = known
        self.faces[face.key] = face
        if self._tracking is not None:
            self._tracking.add(face.key)
        return hit

    def glyph(self, font: str, ch: str):
        key = (font, ch)
        hit = self._memo.get(key)
        if hit is None and key not in self._memo:
            known = self._shared.glyphs.get(key, _MISS)
            if known is _MISS:
                face = self.catalog.face_for(self.family(font), ch)
                known = None if face is None else (face, (face.key, face.advance(ch)))
                self._shared.glyphs[key] = known
                if face is not None:
                    self._shared.faces[face.key] = face
            if known is not None:
                face, hit = known
                self.faces[face.key] = face
            self._memo[key] = hit
        if self._tracking is not None and hit is not None:
            self._tracking.add(hit[0])
        return hit

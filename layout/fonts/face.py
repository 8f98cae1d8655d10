"""One face of one font file: coverage and advances for composing, an embeddable file for drawing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .cache import cache_dir, cache_id
from .convert import prepare
from .errors import FontError
from .metrics import _metrics, _Widths
from .progress import Progress


@dataclass(frozen=True)
class Face:
    """One face of one font file, with cmap coverage and advance widths (no outlines loaded).

    advance() of a character the face lacks raises KeyError: pick the face with
    Catalog.face_for() first, so that a missing glyph is never measured (or drawn) as .notdef.
    """

    family: str
    source: Path
    index: int
    key: str
    ascent: float
    descent: float
    _widths: _Widths = field(repr=False, compare=False)
    _upem: int = field(repr=False, compare=False)
    _cid: str = field(repr=False, compare=False)
    _needs_build: bool = field(repr=False, compare=False)

    def has(self, ch: str) -> bool:
        """True when the cmap maps the character (any plane) to a real glyph."""
        return self._widths.get(ord(ch)) is not None

    def advance(self, ch: str) -> float:
        """Advance width in em; KeyError when the face has no glyph for ch."""
        width = self._widths.get(ord(ch))
        if width is None:
            raise KeyError(f"{self.family} has no glyph for U+{ord(ch):04X} {ch!r}")
        return width / self._upem

    def embeddable_path(self, progress: Progress | None = None) -> Path:
        """A single-face TrueType file ReportLab can embed; converts CFF once (cached)."""
        if not self._needs_build:
            return self.source
        dest = self._built_path()
        if not dest.exists():
            prepare([self], progress)
        return dest

    def _built_path(self) -> Path:
        return cache_dir() / f"{self._cid}.ttf"


_FACES: dict[tuple, Face] = {}


def open_face(family: str, source: Path, index: int = 0) -> Face:
    """The Face of a font file (memoised per process; metrics cached on disk)."""
    source = Path(source)
    try:
        cid = cache_id(source, index)
    except OSError as exc:
        raise FontError(f"cannot read font file {source} for {family!r}: {exc.strerror}") from None
    memo = (family, cid)
    if memo not in _FACES:
        m = _metrics(source, index, cid)
        _FACES[memo] = Face(
            family=family, source=source, index=index, key=f"{m.psname}-{cid[:8]}",
            ascent=m.ascent / m.upem, descent=m.descent / m.upem, _widths=m.widths,
            _upem=m.upem, _cid=cid, _needs_build=m.outlines != "glyf" or m.collection)
    return _FACES[memo]

"""ReportLab side of the font catalog: face registration and an astral-plane ToUnicode fix.

ReportLab parses a TrueType file in pure Python when a font is registered (0.4–0.7 s for a
CJK face, every process). register() parses a face once per font file version and keeps what
ReportLab extracted in the font cache (`<cid>.rlface<format>`); later processes restore it in a few
milliseconds, map the font file instead of reading it (only the pages of the glyphs a subset
takes are touched), and read hmtx/loca only when a subset is made. The restored face holds the
very values ReportLab computed, so the PDF is byte for byte the same.
"""

from __future__ import annotations

import array
import io
from bisect import bisect_left
import mmap
import os
import pickle
import struct
import sys
from fnmatch import fnmatch
from functools import cached_property
from pathlib import Path
from typing import Iterable
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics, ttfonts

from ..atomic import write_atomic
from ..fonts import Face, FontError, Progress, cache_dir, prepare

__all__ = ["register", "register_all", "to_unicode_is_patched"]

_REGISTERED: dict[str, str] = {}
RLFACE_FORMAT = 2        # bump when what the .rlface files hold changes (2: code tables sorted by code)


def register(face: Face, progress: Progress | None = None) -> str:
    """Registers the face with pdfmetrics under face.key (once per process) and returns that name.

    How the renderer must create its canvas, so that no unembedded Helvetica is referenced
    (ReportLab otherwise writes `BT /F1 12 Tf … ET` for Helvetica in every page preamble):

        name = register(face)            # or register_all(faces)[0]: converts in parallel
        canvas = Canvas(path, pagesize=size, invariant=1, initialFontName=name,
                        initialFontSize=9)

    and never call setFont() with a standard-14 name. Text is then drawn with
    canvas.setFont(name, size) + drawString / textobject; ReportLab embeds 256-code
    subsets with ToUnicode maps (fixed for characters beyond U+FFFF by this module).
    """
    if face.key not in _REGISTERED:
        path = face.embeddable_path(progress)
        try:
            font = _load_ttfont(face.key, path, face._cid)
        except ttfonts.TTFError as exc:
            raise FontError(f"ReportLab cannot load {path} ({face.family}): {exc}") from None
        pdfmetrics.registerFont(font)
        _REGISTERED[face.key] = face.key
    return _REGISTERED[face.key]


def register_all(faces: Iterable[Face], progress: Progress | None = None) -> tuple[str, ...]:
    """register() for several faces, converting the missing ones in parallel first."""
    faces = list(faces)
    prepare([f for f in faces if f.key not in _REGISTERED], progress)
    return tuple(register(f, progress) for f in faces)


# --------------------------------------------------------------------------- parsed-face cache

# What ReportLab's TTFontFile.extractInfo() leaves on a face, less what is rebuilt on load:
# the file bytes (mapped instead), the read position, glyphToChar (only used while parsing),
# _pdfScale (a lambda), and hmtx/loca (read from the file when a subset is made).
_NOT_STORED = ("_ttf_data", "_pos", "glyphToChar", "_pdfScale", "hmetrics", "glyphPos",
               "charToGlyph", "charWidths")


def _load_ttfont(name: str, path: Path, cid: str) -> ttfonts.TTFont:
    """ReportLab's TTFont for `path`, from the parsed-face cache when it is current."""
    path = Path(path)
    st = path.stat()
    stamp = (RLFACE_FORMAT, reportlab.Version, sys.byteorder, str(path.resolve()), st.st_size, st.st_mtime_ns)
    entry = face_entry(cid)
    face = _read_face(entry, stamp, path)
    if face is None:
        parsed = ttfonts.TTFontFace(str(path))          # the slow, pure-Python parse
        try:
            write_atomic(entry, lambda tmp: tmp.write_bytes(_dump_face(parsed, stamp)))
            face = _read_face(entry, stamp, path)
        except OSError:
            face = None                                  # read-only cache: still correct, slower
        if face is None:
            face = parsed
    return _ttfont_around(name, face)


def face_entry(cid: str) -> Path:
    """The parsed-face cache file of a font file version: each format its own file, so that checkouts
    of different formats sharing one font cache do not rewrite each other's entries at every start."""
    return cache_dir() / f"{cid}.rlface{RLFACE_FORMAT}"


def _ttfont_around(name: str, face) -> ttfonts.TTFont:
    """What TTFont.__init__ does, around an already parsed face (tests/test_rl_face_cache.py checks that
    the result has the same attributes as ReportLab's own constructor gives)."""
    font = ttfonts.TTFont.__new__(ttfonts.TTFont)
    font.fontName = name
    font.face = face
    font.encoding = ttfonts.TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)
    return font


def _dump_face(face, stamp: tuple) -> bytes:
    state = {k: v for k, v in face.__dict__.items() if k not in _NOT_STORED}
    c2g = sorted(face.charToGlyph.items())
    c2g = (array.array("L", (c for c, _ in c2g)), array.array("L", (g for _, g in c2g)))
    widths = sorted(face.charWidths.items())
    widths = (array.array("L", (c for c, _ in widths)), array.array("d", (w for _, w in widths)))
    return pickle.dumps({"stamp": stamp, "state": state, "c2g": c2g, "widths": widths},
                        protocol=pickle.HIGHEST_PROTOCOL)


class _Unpickler(pickle.Unpickler):
    """Only the types a .rlface file holds: never arbitrary callables from a cache file."""
    ALLOWED = {("array", "_array_reconstructor"), ("array", "array"),
               ("reportlab.pdfbase.ttfonts", "TTFNameBytes")}

    def find_class(self, module, name):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a face cache")
        return super().find_class(module, name)


def _read_face(entry: Path, stamp: tuple, path: Path):
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    try:
        cached = _Unpickler(io.BytesIO(data)).load()
        if cached["stamp"] != stamp:
            return None
        return _CachedFace(path, cached["state"], cached["c2g"], cached["widths"])
    except Exception:  # noqa: BLE001 - a damaged or foreign cache entry is parsed again
        return None


class CodeTable:
    """A face's code -> glyph (or width) table as two arrays sorted by code, read by bisection: what
    splitString and makeSubset ask (`in`, [], get) for the page's few thousand characters costs less
    than making a dict of every code the face maps. Iterating or writing makes that dict first."""

    __slots__ = ("codes", "found", "_dict")

    def __init__(self, codes, values):
        self.codes, self.found, self._dict = codes, values, None

    def _index(self, code) -> int:
        codes = self.codes
        i = bisect_left(codes, code) if type(code) is int and code >= 0 else len(codes)
        return i if i < len(codes) and codes[i] == code else -1

    def __contains__(self, code) -> bool:
        if self._dict is not None:
            return code in self._dict
        return self._index(code) >= 0

    def __getitem__(self, code):
        if self._dict is not None:
            return self._dict[code]
        i = self._index(code)
        if i < 0:
            raise KeyError(code)
        return self.found[i]

    def get(self, code, default=None):
        if self._dict is not None:
            return self._dict.get(code, default)
        i = self._index(code)
        return default if i < 0 else self.found[i]

    def __len__(self) -> int:
        return len(self._dict) if self._dict is not None else len(self.codes)

    def as_dict(self) -> dict:
        if self._dict is None:
            self._dict = dict(zip(self.codes, self.found))
        return self._dict

    def __iter__(self):
        return iter(self.as_dict())

    def keys(self):
        return self.as_dict().keys()

    def values(self):
        return self.as_dict().values()

    def items(self):
        return self.as_dict().items()

    def __setitem__(self, code, value) -> None:
        self.as_dict()[code] = value

    def setdefault(self, code, default=None):
        return self.as_dict().setdefault(code, default)

    def __eq__(self, other) -> bool:
        return self.as_dict() == (other.as_dict() if isinstance(other, CodeTable) else other)

    __hash__ = None


class _Glyf:
    """The glyf table as makeSubset() reads it (slices only), straight from the mapped file."""

    def __init__(self, data, offset: int, length: int):
        self.data, self.offset, self.length = data, offset, length

    def __getitem__(self, key):
        start, stop, _ = key.indices(self.length)
        return self.data[self.offset + start:self.offset + stop]

    def __len__(self) -> int:
        return self.length


class _SubsetMemo(dict):
    size = 0


_SUBSETS = _SubsetMemo()          # (font file, subset) -> font program bytes
SUBSET_MEMO_BYTES = 32 << 20


class _CachedFace(ttfonts.TTFontFace):
    """A TTFontFace restored from the cache (see the module docstring)."""

    def __init__(self, path: Path, state: dict, c2g: tuple, widths: tuple):
        pdfmetrics.TypeFace.__init__(self, None)
        self.__dict__.update(state)
        self._path = str(path)
        self._pos = 0
        self.charToGlyph = CodeTable(*c2g)      # looked up by bisection: no dict of 30–45k entries
        self._widths = CodeTable(*widths)       # to build at every start (see charWidths)
        self._width_bytes: dict = {}            # code -> its width as a Widths array writes it
        upem = self.unitsPerEm
        self._pdfScale = (lambda x: x) if upem == 1000 else (lambda x, m=1000 / upem: x * m)

    @cached_property
    def _ttf_data(self):
        """The font file, mapped when a table is first read (never, for a face only measured)."""
        with open(self._path, "rb") as fh:
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)

    def get_table(self, tag):
        if tag == "glyf":
            pos, length = self.get_table_pos(tag)
            return _Glyf(self._ttf_data, pos, length)
        return super().get_table(tag)

    def makeSubset(self, subset):
        """ReportLab's subset of these glyphs, made once per process (a rebuild after an edit
        mostly embeds the same subsets again): keyed on the file version and the code order."""
        key = (self._path, tuple(subset))
        made = _SUBSETS.get(key)
        if made is None:
            made = super().makeSubset(subset)
            if _SUBSETS.size + len(made) > SUBSET_MEMO_BYTES:
                _SUBSETS.clear()
                _SUBSETS.size = 0
            _SUBSETS[key] = made
            _SUBSETS.size += len(made)
        return made

    @property
    def charWidths(self) -> dict:
        """A real dict (ReportLab's C stringWidth wants one), made when first asked for: the renderer
        never asks; the subsets' width arrays come from getCharWidth below."""
        return self._widths.as_dict()

    def getCharWidth(self, code):
        """The width of `code` as ReportLab writes it in a subset's Widths array: the bytes its PDF
        formatting gives the number (fp_str), memoised per face. TTFont.addObjects is the one caller;
        a PDFArray formats bytes as themselves, so the array comes out the same without formatting
        some thousands of numbers a build (render/seams.py checks both)."""
        got = self._width_bytes.get(code)
        if got is None:
            got = self._width_bytes[code] = fp_str(self._widths.get(code, self.defaultWidth)).encode("latin-1")
        return got

    hmetrics = cached_property(lambda self: _HMetrics(self))     # read from the mapped file on first use
    glyphPos = cached_property(lambda self: _Loca(self))


class _HMetrics:
    """face.hmetrics as extractInfo() builds it, read entry by entry from the mapped hmtx table:
    (advance, lsb) pairs, then the trailing lsb entries with the last advance *scaled* to
    1/1000 em (a quirk of ReportLab kept, so that subsets come out the same)."""

    def __init__(self, face: _CachedFace):
        self.data, self.glyphs = face._ttf_data, face.numGlyphs
        self.count = face.get_ushort(face.get_table_pos("hhea")[0] + 34)
        self.start = face.get_table_pos("hmtx")[0]
        self.last = face._pdfScale(face.get_ushort(self.start + 4 * (self.count - 1)))

    def __len__(self) -> int:
        return self.glyphs

    def __getitem__(self, glyph: int) -> tuple:
        if not 0 <= glyph < self.glyphs:
            raise IndexError(glyph)
        if glyph < self.count:
            return _PAIR.unpack_from(self.data, self.start + 4 * glyph)
        return self.last, _USHORT.unpack_from(self.data, self.start + 4 * self.count + 2 * (glyph - self.count))[0]


class _Loca:
    """face.glyphPos (glyph offsets in glyf) read entry by entry from the mapped loca table."""

    def __init__(self, face: _CachedFace):
        self.data, self.size = face._ttf_data, face.numGlyphs + 1
        self.long = face.get_ushort(face.get_table_pos("head")[0] + 50) != 0
        self.start = face.get_table_pos("loca")[0]

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, i: int) -> int:
        if not 0 <= i < self.size:
            raise IndexError(i)
        if self.long:
            return _ULONG.unpack_from(self.data, self.start + 4 * i)[0]
        return _USHORT.unpack_from(self.data, self.start + 2 * i)[0] << 1


_PAIR, _USHORT, _ULONG = struct.Struct(">HH"), struct.Struct(">H"), struct.Struct(">L")


# ReportLab's makeToUnicodeCMap() (reportlab/pdfbase/ttfonts.py, used by
# TTFont.addObjects) writes each entry as "<%02X> <%04X>" % (code, codepoint): for
# U+20BB7 that is <20BB7>, which is not UTF-16BE, so extractors return garbage.
# The wrapper below rewrites just those lines as surrogate pairs (<D842DFB7>); it
# leaves everything else, including a future ReportLab that fixes the bug, untouched.


def _utf16_hex(codepoint: int) -> str:
    return chr(codepoint).encode("utf-16-be").hex().upper()


_CMAPS: dict = {}       # (fontname, subset) -> ToUnicode map: a rebuild embeds mostly the same subsets


def _astral_safe(make_cmap):
    def make_to_unicode_cmap(fontname, subset):
        key = (fontname, tuple(subset))
        cmap = _CMAPS.get(key)
        if cmap is None:
            if len(_CMAPS) >= 256:
                _CMAPS.clear()
            cmap = _CMAPS[key] = _astral_fix(make_cmap(fontname, subset), subset)
        return cmap

    make_to_unicode_cmap.__wrapped__ = make_cmap
    make_to_unicode_cmap.layout_astral_fix = True
    return make_to_unicode_cmap


def _astral_fix(cmap: str, subset) -> str:
    """The lines of characters beyond U+FFFF written as UTF-16 surrogate pairs."""
    fixes = {"<%02X> <%04X>" % (i, cp): "<%02X> <%s>" % (i, _utf16_hex(cp))
             for i, cp in enumerate(subset) if cp > 0xFFFF}
    if not fixes:
        return cmap
    return "\n".join(fixes.get(line, line) for line in cmap.split("\n"))


def to_unicode_is_patched() -> bool:
    """True when ReportLab's ToUnicode builder carries the astral-plane fix."""
    return getattr(ttfonts.makeToUnicodeCMap, "layout_astral_fix", False)


if not to_unicode_is_patched():
    ttfonts.makeToUnicodeCMap = _astral_safe(ttfonts.makeToUnicodeCMap)

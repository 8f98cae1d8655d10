"""Cached face metrics: cmap coverage, advance widths and vertical extents, read once per file version."""

from __future__ import annotations

import array
import json
import re
import sys
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..atomic import write_atomic
from .cache import cache_dir
from .errors import FontError

METRICS_FORMAT = 2                 # version of the .metrics cache files; stale ones are rebuilt


class _Widths:
    """Advance widths (font units) of a cmap, as runs of consecutive code points of equal width.

    A CJK face's 45,000 code points make ~2,400 runs: a cache file of 30 KB that loads in
    microseconds; a lookup is one bisect, then a dict hit for characters seen before.
    """

    __slots__ = ("starts", "ends", "widths", "seen")

    def __init__(self, starts: array.array, ends: array.array, widths: array.array):
        self.starts, self.ends, self.widths = starts, ends, widths
        self.seen: dict[int, int | None] = {}

    @classmethod
    def from_map(cls, advances: Mapping[int, int]) -> _Widths:
        starts, ends, widths = (array.array("I") for _ in range(3))
        for cp, width in sorted(advances.items()):
            if ends and cp == ends[-1] + 1 and width == widths[-1]:
                ends[-1] = cp
            else:
                starts.append(cp)
                ends.append(cp)
                widths.append(width)
        return cls(starts, ends, widths)

    def get(self, cp: int) -> int | None:
        try:
            return self.seen[cp]
        except KeyError:
            i = bisect_right(self.starts, cp) - 1
            width = self.seen[cp] = self.widths[i] if i >= 0 and cp <= self.ends[i] else None
            return width

    def __eq__(self, other) -> bool:
        return isinstance(other, _Widths) and (self.starts, self.ends, self.widths) == (
            other.starts, other.ends, other.widths)

    def to_bytes(self) -> bytes:
        return self.starts.tobytes() + self.ends.tobytes() + self.widths.tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, runs: int) -> _Widths:
        arrays = [array.array("I") for _ in range(3)]
        n = runs * arrays[0].itemsize
        if len(data) != 3 * n:
            raise ValueError("truncated metrics")
        for i, a in enumerate(arrays):
            a.frombytes(data[i * n:(i + 1) * n])
        return cls(*arrays)


@dataclass(frozen=True)
class _Metrics:
    psname: str
    upem: int
    ascent: int        # font units, positive
    descent: int       # font units, positive
    outlines: str      # "glyf" or "CFF "
    collection: bool   # source is a .ttc / .otc
    widths: _Widths


def _extract_metrics(source: Path, index: int) -> _Metrics:
    """Reads cmap, hmtx and vertical extents with fontTools (a few hundred ms for a CJK .ttc)."""
    from fontTools.ttLib import TTFont, TTLibError

    collection = _is_collection(source)
    if not collection and index:
        raise FontError(f"{source} is a single font, not a collection: remove index: {index}")
    try:
        font = TTFont(str(source), fontNumber=index, lazy=True)
        outlines = "glyf" if "glyf" in font else "CFF " if "CFF " in font else None
        if outlines is None:
            raise FontError(f"{source}: only TrueType (glyf) and CFF outlines are supported, "
                            "not CFF2 or bitmap-only fonts")
        # lazy tables are read here: a truncated or damaged file fails here, not later
        return _Metrics(_psname(font), font["head"].unitsPerEm, *_extents(font), outlines, collection,
                        _Widths.from_map(_advances(font)))
    except FontError:
        raise
    except TTLibError as exc:
        raise FontError(f"cannot read font {source} (face {index}): {exc}") from None
    except Exception as exc:  # noqa: BLE001 - fontTools raises assorted errors on junk files
        raise FontError(f"{source} is not a usable font file ({type(exc).__name__}: {exc})") from None


def _is_collection(source: Path) -> bool:
    with open(source, "rb") as fh:
        return fh.read(4) == b"ttcf"


def _psname(font) -> str:
    name = font["name"].getDebugName(6) or font["name"].getDebugName(4) or "Font"
    return re.sub(r"[^A-Za-z0-9-]", "", name)[:40] or "Font"


def _extents(font) -> tuple[int, int]:
    """Ascent and descent: OS/2 typo values when set, else hhea."""
    os2 = font["OS/2"] if "OS/2" in font else None
    if os2 is not None and os2.sTypoAscender - os2.sTypoDescender > 0:
        return os2.sTypoAscender, -os2.sTypoDescender
    return font["hhea"].ascent, -font["hhea"].descent


def _advances(font) -> dict[int, int]:
    hmtx = font["hmtx"].metrics
    return {cp: hmtx[g][0] for cp, g in font.getBestCmap().items() if g != ".notdef"}


_MAGIC = b"layout-font-metrics\n"


def _dump_metrics(m: _Metrics) -> bytes:
    head = {"version": METRICS_FORMAT, "psname": m.psname, "upem": m.upem, "ascent": m.ascent,
            "descent": m.descent, "outlines": m.outlines, "collection": m.collection,
            "runs": len(m.widths.starts), "itemsize": m.widths.starts.itemsize,
            "byteorder": sys.byteorder}
    return _MAGIC + json.dumps(head).encode() + b"\n" + m.widths.to_bytes()


def _load_metrics(data: bytes) -> _Metrics | None:
    """Parses a metrics cache file; None when it is stale or damaged."""
    if not data.startswith(_MAGIC):
        return None
    try:
        nl = data.index(b"\n", len(_MAGIC))
        head = json.loads(data[len(_MAGIC):nl])
        if (head["version"], head["itemsize"], head["byteorder"]) != (
                METRICS_FORMAT, array.array("I").itemsize, sys.byteorder):
            return None
        return _Metrics(head["psname"], head["upem"], head["ascent"], head["descent"],
                        head["outlines"], head["collection"],
                        _Widths.from_bytes(data[nl + 1:], head["runs"]))
    except (ValueError, KeyError, TypeError):
        return None


def _metrics(source: Path, index: int, cid: str) -> _Metrics:
    """Metrics from the cache file, extracting and caching them on a miss."""
    path = cache_dir() / f"{cid}.metrics"
    try:
        found = _load_metrics(path.read_bytes())
    except OSError:
        found = None
    if found is not None:
        return found
    m = _extract_metrics(source, index)
    try:
        write_atomic(path, lambda tmp: tmp.write_bytes(_dump_metrics(m)))
    except OSError:
        pass  # read-only cache: still correct, only slower next time
    return m

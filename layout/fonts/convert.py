"""CFF→TrueType conversion of the faces ReportLab cannot embed as they are, in worker processes."""

from __future__ import annotations

import array
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from ..atomic import write_atomic
from .errors import FontError
from .progress import Progress, StderrProgress

if TYPE_CHECKING:
    from .face import Face

MAX_ERR = 1.0                      # cu2qu tolerance, font units

# --------------------------------------------------------------------------- conversion
#
# A CFF face is cut into shards of SHARD glyphs; worker processes turn each shard into
# compiled TrueType glyph records (so both cores work on one face, and a worker never
# holds a whole face's outlines); the parent assembles them, in glyph order, into the
# source font with glyf/loca instead of CFF. Output depends only on the source bytes.
#
# Only the glyphs that the face's cmap (or its variation sequences) reaches are converted:
# a Noto CJK collection holds 65,535 glyphs for five regions, of which an SC face maps
# ~44,000; the rest (other regions' forms, GSUB alternates) can never be drawn by ReportLab,
# which maps characters through the cmap only. They stay in the font, empty, so that glyph
# ids and advance widths are unchanged.

SHARD = 1024
MAX_WORKERS = 8
_EMPTY = (b"", 0, 0, 0, 0, 0, 0)   # (glyph data, xMin, yMin, xMax, yMax, points, contours)


def prepare(faces: Iterable[Face], progress: Progress | None = None,
            workers: int | None = None) -> tuple[Path, ...]:
    """Makes every face embeddable, converting CFF faces in parallel worker processes.

    Returns the embeddable paths in order. Call it once with all the faces a document
    needs: on a cold cache the conversions share the cores instead of running in turn.
    """
    faces = list(faces)
    todo = {f._cid: f for f in faces if f._needs_build and not f._built_path().exists()}
    jobs = [_Job(f) for f in todo.values()]
    for job in [j for j in jobs if not j.cff]:
        job.assemble([])          # TrueType face of a collection: extraction only
    if any(j.cff for j in jobs):
        _convert([j for j in jobs if j.cff], progress or StderrProgress(), workers)
    return tuple(f.embeddable_path() for f in faces)


class _Job:
    """One face to write as a single-face TrueType file."""

    def __init__(self, face: Face):
        from fontTools.ttLib import TTFont

        self.face = face
        self.dest = face._built_path()
        self.font = TTFont(str(face.source), fontNumber=face.index, lazy=True,
                           recalcBBoxes=False, recalcTimestamp=False)
        self.cff = "CFF " in self.font
        self.glyphs = len(self.font.getGlyphOrder())
        self.wanted = _reachable(self.font) if self.cff else []
        self.total = len(self.wanted)              # glyphs to convert
        self.shards = [(face.source, face.index, tuple(self.wanted[a:a + SHARD]))
                       for a in range(0, self.total, SHARD)]

    def assemble(self, records: list[tuple]) -> None:
        if self.cff:
            every = [_EMPTY] * self.glyphs
            for gid, record in zip(self.wanted, records):
                every[gid] = record
            _replace_cff(self.font, every)
        try:
            write_atomic(self.dest, lambda tmp: self.font.save(str(tmp)))
        except OSError as exc:
            raise FontError(f"cannot write {self.dest} ({exc.strerror}): set LAYOUT_CACHE_DIR "
                            "to a writable folder") from None
        finally:
            self.font.close()


def _convert(jobs: list[_Job], progress: Progress, workers: int | None) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    n = min(workers or _cores(), sum(len(j.shards) for j in jobs))
    ex = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context())
    try:
        running = [(j, [ex.submit(_shard_glyphs, *s) for s in j.shards]) for j in jobs]
        for job, _ in running:
            progress(job.face.family, 0, job.total)
        for job, futures in running:
            job.assemble(_gather(job, futures, progress))
            progress(job.face.family, job.total, job.total)
    finally:
        ex.shutdown(wait=True, cancel_futures=True)


def _cores() -> int:
    """Usable cores, at most MAX_WORKERS (a worker peaks at ~330 MB)."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(MAX_WORKERS, usable or 1))


def _gather(job: _Job, futures: list, progress: Progress) -> list[tuple]:
    records: list[tuple] = []
    for future in futures:
        try:
            records += future.result()
        except Exception as exc:
            raise FontError(f"converting {job.face.family} ({job.face.source}, face "
                            f"{job.face.index}) for embedding failed: {type(exc).__name__}: "
                            f"{exc}") from exc
        if len(records) < job.total:
            progress(job.face.family, len(records), job.total)
    return records


_WORKER_FONT: dict[tuple, tuple] = {}


def _reachable(font) -> list[int]:
    """Ids of the glyphs the cmap (any subtable, variation sequences included) maps to, and .notdef."""
    ids = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
    wanted = {0}
    for table in font["cmap"].tables:
        if table.format == 14:
            names = (name for seqs in table.uvsDict.values() for _, name in seqs if name)
        else:
            names = table.cmap.values()
        wanted.update(ids[n] for n in names if n in ids)
    return sorted(wanted)


def _shard_glyphs(source: Path, index: int, gids: tuple) -> list[tuple]:
    """Compiled quadratic glyph records for the glyphs `gids` (runs in a worker)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    glyph_set, order = _worker_font(source, index)
    table, out = newTable("glyf"), []
    for gid in gids:
        pen = TTGlyphPen(None)
        glyph_set[order[gid]].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        if not pen.components and pen._isClosed():
            out.append(_simple_record(pen.points, pen.endPts, pen.types))
            continue
        g = pen.glyph()                 # not seen from CFF outlines: fontTools' general path
        if g.numberOfContours == 0:
            out.append(_EMPTY)
            continue
        data = g.compile(table, recalcBBoxes=True)
        out.append((data, g.xMin, g.yMin, g.xMax, g.yMax, len(g.coordinates), g.numberOfContours))
    return out


def _simple_record(points: list, end_pts: list, types: list) -> tuple:
    """The record of a simple glyph, byte for byte what TTGlyphPen.glyph() then
    Glyph.compile(glyf, recalcBBoxes=True) give, without their three passes over the points."""
    import struct
    from fontTools.misc.roundTools import otRound
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    if not end_pts:
        return _EMPTY
    deltas, xs, ys, px, py = [], [], [], 0, 0
    for x, y in points:
        x, y = otRound(x), otRound(y)
        xs.append(x)
        ys.append(y)
        deltas.append((x - px, y - py))
        px, py = x, y
    box = (min(xs), min(ys), max(xs), max(ys))
    ends = array.array("H", end_pts)
    if sys.byteorder != "big":
        ends.byteswap()
    flags, cx, cy = Glyph.compileDeltasGreedy(None, array.array("B", types), deltas)
    data = b"".join((struct.pack(">hhhhh", len(end_pts), *box), ends.tobytes(), b"\0\0", flags, cx, cy))
    return (data, *box, len(points), len(end_pts))


def _worker_font(source: Path, index: int) -> tuple:
    if (source, index) not in _WORKER_FONT:
        from fontTools.ttLib import TTFont

        _WORKER_FONT.clear()
        font = TTFont(str(source), fontNumber=index, lazy=True)
        _WORKER_FONT[source, index] = (font.getGlyphSet(), font.getGlyphOrder())
    return _WORKER_FONT[source, index]


def _replace_cff(font, records: list[tuple]) -> None:
    """Swaps CFF for glyf/loca built from the records, and fixes the tables that describe it."""
    from fontTools.ttLib import newTable
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    order = font.getGlyphOrder()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {name: Glyph(r[0]) for name, r in zip(order, records)}
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    hmtx = font["hmtx"]
    for name, r in zip(order, records):
        hmtx[name] = (hmtx[name][0], r[1])      # TrueType: left side bearing == xMin
    _set_extents(font, [(hmtx[n][0], r) for n, r in zip(order, records) if r[6]])
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"


def _set_extents(font, inked: list[tuple[int, tuple]]) -> None:
    """head bbox, hhea extents and maxp limits from the glyph records (no re-parsing)."""
    def low(i: int) -> int:
        return min((r[i] for _, r in inked), default=0)

    def high(i: int) -> int:
        return max((r[i] for _, r in inked), default=0)

    head, hhea, maxp = font["head"], font["hhea"], font["maxp"]
    head.xMin, head.yMin, head.xMax, head.yMax = low(1), low(2), high(3), high(4)
    head.flags |= 2                                  # bit 1: left side bearing at x = xMin
    hhea.minLeftSideBearing, hhea.xMaxExtent = low(1), high(3)
    hhea.minRightSideBearing = min((adv - r[3] for adv, r in inked), default=0)
    maxp.tableVersion = 0x00010000
    maxp.maxPoints, maxp.maxContours, maxp.maxZones = high(5), high(6), 1
    for attr in ("maxCompositePoints", "maxCompositeContours", "maxTwilightPoints",
                 "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                 "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth"):
        setattr(maxp, attr, 0)

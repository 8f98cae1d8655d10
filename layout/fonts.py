"""Font catalog: fonts.yaml families, cached metrics, fallback chains, CFF→TrueType conversion."""

from __future__ import annotations

import array
import difflib
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping

import yaml

# Bump when the conversion changes: every cached font (and metrics file) is rebuilt.
# 2: only the glyphs the face's cmap reaches are converted (the others are left empty).
CONVERTER_VERSION = 2
METRICS_FORMAT = 2                 # version of the .metrics cache files; stale ones are rebuilt
DEFAULT_CATALOG = Path(__file__).resolve().parent.parent / "fonts" / "fonts.yaml"
MAX_ERR = 1.0                      # cu2qu tolerance, font units
SECONDS_PER_GLYPH = 0.0011         # CPU s per CFF glyph converted, 2.8 GHz Xeon

Progress = Callable[[str, int, int], None]   # (family, glyphs done, glyphs total); done == 0 starts


class FontError(Exception):
    """A font cannot be found, read or configured; the message is one line."""


# --------------------------------------------------------------------------- cache


def cache_dir() -> Path:
    """$LAYOUT_CACHE_DIR, else $XDG_CACHE_HOME/layout/fonts, else ~/.cache/layout/fonts."""
    if os.environ.get("LAYOUT_CACHE_DIR"):
        return Path(os.environ["LAYOUT_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "layout" / "fonts"


def cache_id(source: Path, index: int) -> str:
    """Hex id of one face of one version of a file: path, size, mtime, index, CONVERTER_VERSION."""
    st = source.stat()
    raw = f"{CONVERTER_VERSION}\0{source.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\0{index}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _write_atomic(dest: Path, write: Callable[[Path], None]) -> None:
    """Calls write(tmp) on a temporary file next to dest, then renames it over dest."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=dest.name + ".", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# --------------------------------------------------------------------------- metrics


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
        _write_atomic(path, lambda tmp: tmp.write_bytes(_dump_metrics(m)))
    except OSError:
        pass  # read-only cache: still correct, only slower next time
    return m


# --------------------------------------------------------------------------- faces


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
            _write_atomic(self.dest, lambda tmp: self.font.save(str(tmp)))
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


class StderrProgress:
    """Progress reporter: a start and an end line per face; a live percentage on a terminal.

    The start line's estimate assumes faces are converted one after another on all cores.
    """

    def __init__(self, stream=None, cores: int | None = None):
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.cores = cores or _cores()
        self.started: dict[str, float] = {}
        self.percent: dict[str, int] = {}
        self.queued = 0

    def __call__(self, family: str, done: int, total: int) -> None:
        if done == 0:
            self._start(family, total)
        elif done >= total:
            self._finish(family, total)
        else:
            pct = done * 100 // total
            before, self.percent[family] = self.percent.get(family, 0), pct
            if self.tty or pct // 25 > before // 25:
                self._line(None if self.tty else f"  {family} {pct}%")

    def _start(self, family: str, total: int) -> None:
        self.started[family] = time.monotonic()
        self.percent[family] = 0
        self.queued += total
        eta = max(1, round(self.queued * SECONDS_PER_GLYPH / self.cores))
        self._line(f"preparing {family} for embedding (first run only, ~{eta} s)…")

    def _finish(self, family: str, total: int) -> None:
        self.percent.pop(family, None)
        self.queued -= total
        took = time.monotonic() - self.started.get(family, time.monotonic())
        self._line(f"  {family} ready ({took:.0f} s)")

    def _line(self, text: str | None) -> None:
        out = self.stream
        if self.tty:
            out.write("\r\x1b[K")
        if text:
            out.write(text + "\n")
        if self.tty and self.percent:
            out.write("  " + " · ".join(f"{k} {v}%" for k, v in self.percent.items()))
        out.flush()


def silent(family: str, done: int, total: int) -> None:
    """Progress callback that reports nothing."""


# --------------------------------------------------------------------------- fonts.yaml


@dataclass(frozen=True)
class _Entry:
    family: str
    file: str
    index: int
    where: str       # "FILE:LINE:COL" of the file: value


class Catalog:
    """Families of one fonts.yaml, resolved to Faces on demand (memoised)."""

    def __init__(self, path: Path, search_paths: tuple[Path, ...], entries: dict[str, _Entry],
                 fallback: tuple[str, ...], where: str):
        self.path = path
        self.search_paths = search_paths
        self.entries = entries
        self.fallback = fallback
        self._where = where
        self._faces: dict[str, Face] = {}
        self._chains: dict[str, tuple[Face, ...]] = {}

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(self.entries)

    def face(self, family: str) -> Face:
        """The face of a family; FontError says what is wrong and how to fix it."""
        if family not in self._faces:
            entry = self.entries.get(family)
            if entry is None:
                raise FontError(f"{self._where}: unknown font family {family!r}"
                                f"{_did_you_mean(family, self.entries)}; families defined: "
                                f"{', '.join(self.entries)} (add it under families:)")
            source = _resolve(entry, self.path, self.search_paths)
            try:
                self._faces[family] = open_face(family, source, entry.index)
            except FontError as exc:
                raise FontError(f"{entry.where}: {exc}") from None
        return self._faces[family]

    def chain(self, family: str) -> tuple[Face, ...]:
        """The family's face, then the fallback faces, without repeats."""
        if family not in self._chains:
            faces: dict[str, Face] = {}
            for name in (family, *self.fallback):
                face = self.face(name)
                faces.setdefault(face.key, face)
            self._chains[family] = tuple(faces.values())
        return self._chains[family]

    def face_for(self, family: str, ch: str) -> Face | None:
        """First face of the chain that has ch; None when no face has it (report it)."""
        for face in self.chain(family):
            if face.has(ch):
                return face
        return None


_CATALOGS: dict[tuple, Catalog] = {}


def load_catalog(path: Path | None = None) -> Catalog:
    """Parses a fonts.yaml (default: the repository's fonts/fonts.yaml), memoised per version."""
    path = Path(path or DEFAULT_CATALOG)
    try:
        st = path.stat()
    except OSError as exc:
        raise FontError(f"cannot read font catalog {path}: {exc.strerror}") from None
    memo = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    if memo not in _CATALOGS:
        _CATALOGS[memo] = _parse_catalog(path)
    return _CATALOGS[memo]


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)    # libyaml when available: faster
from .fontsyaml import CATALOG, FAMILY  # noqa: E402  (the keys, declared once)
_TOP_KEYS = CATALOG.names
_ENTRY_KEYS = FAMILY.names


def _parse_catalog(path: Path) -> Catalog:
    shown = _shown(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise FontError(f"{_at(shown, mark)}: invalid YAML: {exc.problem or exc.context}; "
                        "fix the syntax") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise FontError(f"{shown}: cannot read font catalog: {exc}") from None
    top = _mapping(shown, root, "the font catalog", _TOP_KEYS)
    if "families" not in top:
        raise FontError(f"{shown}:1:1: no families: mapping; "
                        "add families: {NAME: {file: FILE}}")
    fam_key, fam_node = top["families"]
    entries = _families(shown, fam_node)
    fallback = _fallback(shown, top.get("fallback", (None, None))[1], entries)
    dirs = _search_paths(shown, top.get("search_paths", (None, None))[1], path.parent)
    return Catalog(path, dirs, entries, fallback, _at(shown, fam_key.start_mark))


def _shown(path: Path) -> str:
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else str(path)


def _at(shown: str, mark) -> str:
    return f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark else f"{shown}:1:1"


def _mapping(shown: str, node, what: str, keys: tuple[str, ...]) -> dict:
    """{key: (key node, value node)} of a mapping node whose keys must be among `keys`."""
    if not isinstance(node, yaml.MappingNode):
        raise FontError(f"{_at(shown, node and node.start_mark)}: {what} must be a mapping "
                        f"with keys {', '.join(keys)}")
    out = {}
    for k, v in node.value:
        name = _scalar(shown, k, "a key")
        if name not in keys:
            raise FontError(f"{_at(shown, k.start_mark)}: unknown key {name!r} in {what}"
                            f"{_did_you_mean(name, keys)}; allowed: {', '.join(keys)}")
        out[name] = (k, v)
    return out


def _scalar(shown: str, node, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or node.value == "":
        raise FontError(f"{_at(shown, node.start_mark)}: expected {what} (a plain value)")
    return node.value


def _families(shown: str, node) -> dict[str, _Entry]:
    if not isinstance(node, yaml.MappingNode) or not node.value:
        raise FontError(f"{_at(shown, node.start_mark)}: families: must map family names "
                        "to {file: FILE, index: N}")
    entries: dict[str, _Entry] = {}
    for k, v in node.value:
        family = _scalar(shown, k, "a family name")
        if family in entries:
            raise FontError(f"{_at(shown, k.start_mark)}: family {family!r} is defined twice "
                            f"(first at {entries[family].where}); keep one")
        entries[family] = _entry(shown, family, v)
    return entries


def _entry(shown: str, family: str, node) -> _Entry:
    if isinstance(node, yaml.ScalarNode):
        return _Entry(family, _scalar(shown, node, "a font file"), 0, _at(shown, node.start_mark))
    fields = _mapping(shown, node, f"family {family!r}", _ENTRY_KEYS)
    if "file" not in fields:
        raise FontError(f"{_at(shown, node.start_mark)}: family {family!r} has no file:; "
                        "add file: NAME.ttf (or .ttc/.otf, with index: N for collections)")
    file_node = fields["file"][1]
    return _Entry(family, _scalar(shown, file_node, "a font file"),
                  _index(shown, fields.get("index", (None, None))[1]),
                  _at(shown, file_node.start_mark))


def _index(shown: str, node) -> int:
    if node is None:
        return 0
    text = _scalar(shown, node, "a face index")
    if not re.fullmatch(r"\d+", text):
        raise FontError(f"{_at(shown, node.start_mark)}: index must be a face number 0, 1, 2 … "
                        f"(got {text!r})")
    return int(text)


def _fallback(shown: str, node, entries: dict[str, _Entry]) -> tuple[str, ...]:
    if node is None:
        return ()
    if not isinstance(node, yaml.SequenceNode):
        raise FontError(f"{_at(shown, node.start_mark)}: fallback: must be a list of family names")
    names = []
    for item in node.value:
        name = _scalar(shown, item, "a family name")
        if name not in entries:
            raise FontError(f"{_at(shown, item.start_mark)}: fallback family {name!r} is not "
                            f"defined under families:{_did_you_mean(name, entries)}")
        names.append(name)
    return tuple(dict.fromkeys(names))


def _search_paths(shown: str, node, base: Path) -> tuple[Path, ...]:
    """Search folders; relative ones are relative to the folder holding fonts.yaml."""
    if node is None:
        return ()
    if not isinstance(node, yaml.SequenceNode):
        raise FontError(f"{_at(shown, node.start_mark)}: search_paths: must be a list of folders")
    return tuple(base / Path(_scalar(shown, n, "a folder")).expanduser() for n in node.value)


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    known = list(known)
    folded = {re.sub(r"[\s_-]", "", k).lower(): k for k in known}
    exact = folded.get(re.sub(r"[\s_-]", "", name).lower())
    close = [exact] if exact else difflib.get_close_matches(name, known, n=2, cutoff=0.6)
    return f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""


# --------------------------------------------------------------------------- file lookup


_PACKAGES = (("NotoSerifCJK", "fonts-noto-cjk"), ("NotoSansCJK", "fonts-noto-cjk"),
             ("LXGWWenKai", "fonts-lxgw-wenkai"), ("DejaVu", "fonts-dejavu-core"))


def _resolve(entry: _Entry, catalog: Path, dirs: tuple[Path, ...]) -> Path:
    """The font file of an entry: a path, else a name searched in dirs, else via fontconfig."""
    given = Path(entry.file).expanduser()
    if given.is_absolute() or len(given.parts) > 1:
        found = given if given.is_absolute() else catalog.parent / given
        found = found if found.is_file() else None
    else:
        found = _search(entry.file, dirs) or _fc_match(entry.family, entry.file)
    if found is None:
        raise FontError(f"{entry.where}: font file {entry.file!r} for {entry.family!r} not found "
                        f"{_looked(given, dirs)}; {_install_hint(entry.file)}")
    return found


def _looked(given: Path, dirs: tuple[Path, ...]) -> str:
    if given.is_absolute() or len(given.parts) > 1:
        return "at that path"
    return f"under {', '.join(map(str, dirs)) or '(no search_paths)'} nor by fontconfig"


def _install_hint(file: str) -> str:
    for prefix, package in _PACKAGES:
        if file.startswith(prefix):
            return (f"install it: sudo apt-get install {package} (or run make fonts), "
                    "or point file: at the font's path")
    return "copy the font into a search_paths folder (e.g. fonts/) or point file: at its path"


_INDEXES: dict[tuple[Path, ...], dict[str, str]] = {}


def _search(name: str, dirs: tuple[Path, ...]) -> Path | None:
    """First file called `name` (exact, then any case) below the folders, in their order."""
    if dirs not in _INDEXES:
        _INDEXES[dirs] = _index_files(dirs)
    index = _INDEXES[dirs]
    found = index.get(name) or index.get(name.lower())
    return Path(found) if found else None


def _index_files(dirs: tuple[Path, ...]) -> dict[str, str]:
    """File name (and lower-cased name) -> path, first found wins; plain strings, as a system font
    folder holds thousands of files and Path objects for all of them cost tens of ms per process."""
    index: dict[str, str] = {}
    for d in dirs:
        for root, subdirs, files in os.walk(d, followlinks=True):
            subdirs.sort()
            for f in sorted(files):
                path = os.path.join(root, f)
                index.setdefault(f, path)
                index.setdefault(f.lower(), path)
    return index


def _fc_match(family: str, file: str) -> Path | None:
    """fontconfig's file for the family, accepted only when its name is the requested file."""
    import shutil
    import subprocess

    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True,
                             text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out) if out and Path(out).name.lower() == file.lower() else None

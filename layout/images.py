"""Photos with Pillow: open safely, honour EXIF orientation, crop to the frame, report resolution.

Prepared photos are cached on disk (`<cache dir>/photos`, see photo_cache_dir()): the cache key
is the SHA-256 of the source bytes, the frame size, the ink limit, the colour profile's bytes,
MAX_PPI, Pillow's version and CACHE_VERSION, so a rebuild after a text edit neither decodes the
photo nor redoes the ICC conversion and the JPEG encoding. Entries are written atomically.
Pillow and numpy are imported only when a photo has to be prepared (a cache miss).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import write_atomic

MAX_PIXELS = 80_000_000      # refuse decompression bombs well before Pillow's own limit
MAX_PPI = 240                # newsprint screens need no more; larger photos are resampled down
DEFAULT_PROFILE = Path(__file__).resolve().parent / "profiles" / "ISOcoated_v2_300_bas.icc"
CACHE_VERSION = 1            # bump whenever prepare() would give other bytes for the same inputs
CACHE_MAX_BYTES = 512 << 20  # oldest entries are removed beyond this


class ImageProblem(Exception):
    """An image that cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Prepared:
    """A photo cropped to its frame, with its effective resolution in the frame."""
    ppi: float           # effective resolution of the source in the frame
    mode: str            # the source's colour mode (RGB, CMYK, L …)
    max_ink: float       # highest total area coverage of any pixel as embedded, percent
    jpeg: bytes = b""    # the image as embedded (JPEG, ink limit checked after compression)
    _image: object = field(default=None, repr=False, compare=False)

    @property
    def image(self):
        """The photo as a Pillow image: CMYK (or L), ink-limited, at most MAX_PPI in its frame.
        Decoded from `jpeg` on first use when the photo came from the cache."""
        if self._image is None:
            Image = _pil()
            im = Image.open(io.BytesIO(self.jpeg))
            im.load()
            object.__setattr__(self, "_image", im)
        return self._image


def _pil():
    """Pillow's Image module, with the decompression-bomb limit of this module."""
    from PIL import Image
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    return Image


def pixel_size(path: Path):
    """(width, height) in pixels of an image file, as displayed (EXIF orientation applied); None when
    Pillow cannot read it."""
    Image = _pil()
    try:
        with Image.open(path) as im:
            w, h = im.size
            if im.getexif().get(0x0112) in (5, 6, 7, 8):
                w, h = h, w
            return w, h
    except Exception:                       # any unreadable file: prepare() reports it properly
        return None


def prepare(path: Path, frame_w: float, frame_h: float, ink_limit: float = 240.0,
            profile: Path | None = None) -> Prepared:
    """Open `path`, turn it upright, centre-crop it to the frame (in points), convert it to CMYK
    and limit its total ink; from the photo cache when these inputs were prepared before."""
    profile = Path(profile or DEFAULT_PROFILE)
    stamp = _stamp(path)
    digest = _DIGESTS.get(stamp) if stamp else None      # the file as read before: not read nor hashed again
    hit = _MEMO.get(_cache_key(digest, frame_w, frame_h, ink_limit, profile)) if digest else None
    if hit is not None:
        return hit
    data = _read(path)
    digest = hashlib.sha256(data).hexdigest()
    if stamp:
        if len(_DIGESTS) >= 256:
            _DIGESTS.clear()
        _DIGESTS[stamp] = digest
    key = _cache_key(digest, frame_w, frame_h, ink_limit, profile)
    hit = _MEMO.get(key)
    if hit is not None:
        return hit
    folder = photo_cache_dir()
    entry = folder / f"{key}.photo" if folder else None
    hit = _read_entry(entry) if entry else None
    if hit is None:
        hit = _prepare(data, frame_w, frame_h, ink_limit, profile)
        if entry:
            _write_entry(entry, hit)
    if len(_MEMO) >= 32:
        _MEMO.clear()
        _INK.clear()
    _MEMO[key] = hit
    _INK[hashlib.sha256(hit.jpeg).digest()] = hit.max_ink
    return hit


def _read(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ImageProblem("image file not found; check the `photo:` path") from None
    except IsADirectoryError:
        raise ImageProblem("cannot read image (it is a folder); re-export it as JPEG or PNG") from None
    except OSError as err:
        raise ImageProblem(f"cannot read image ({err.strerror or err}); re-export it as JPEG or PNG") from None


def _stamp(path: Path):
    """What tells one version of a file from another without reading it: its absolute path, size,
    mtime, ctime (changed by any write, in ns) and inode; None when it cannot be read."""
    try:
        st = os.stat(path)
        where = os.path.abspath(path)
    except OSError:                 # unreadable, or a relative path in a working folder that was removed
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return where, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev


def known_max_ink(jpeg: bytes) -> float | None:
    """The total ink of this very JPEG as measured when it was prepared in this process
    (content-addressed: the same bytes decode to the same pixels), else None. Lets a check of the
    written PDF (preflight) skip decoding a photo it has just embedded."""
    return _INK.get(hashlib.sha256(jpeg).digest())


def _prepare(data: bytes, frame_w: float, frame_h: float, ink_limit: float, profile: Path) -> Prepared:
    """The work behind prepare(), without the cache."""
    Image = _pil()
    from PIL import ImageOps
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                if im.width * im.height > MAX_PIXELS:
                    raise ImageProblem(f"{im.width} × {im.height} pixels is too large; scale it below 80 megapixels")
                im.load()
                mode = im.mode
                im = ImageOps.exif_transpose(im)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem("image is too large (decompression bomb guard); scale it below 80 megapixels") from None
    except Image.UnidentifiedImageError:
        raise ImageProblem("cannot read image (not an image format Pillow knows); re-export it as JPEG or PNG") from None
    except (OSError, SyntaxError, ValueError) as err:
        raise ImageProblem(f"cannot read image ({err}); re-export it as JPEG or PNG") from None
    if im.mode not in ("RGB", "CMYK", "L"):
        im = im.convert("RGB")
    target = frame_w / frame_h
    w, h = im.size
    if w / h > target:
        new_w = max(1, round(h * target))
        box = ((w - new_w) // 2, 0, (w - new_w) // 2 + new_w, h)
    else:
        new_h = max(1, round(w / target))
        box = (0, (h - new_h) // 2, w, (h - new_h) // 2 + new_h)
    im = im.crop(box)
    ppi = im.width / (frame_w / 72.0)
    if ppi > MAX_PPI:
        size = (round(frame_w / 72.0 * MAX_PPI), round(frame_h / 72.0 * MAX_PPI))
        im = im.resize(size, Image.Resampling.LANCZOS)
    if im.mode == "RGB":
        im = to_cmyk(im, profile)
    limited, jpeg, margin = im, b"", 0.0
    for _ in range(4):          # JPEG noise can lift a pixel over the limit: tighten until it does not
        if im.mode == "CMYK":
            limited = limit_ink(im, ink_limit - margin)
        jpeg = encode_jpeg(limited)
        ink = total_ink(Image.open(io.BytesIO(jpeg)))
        if ink <= ink_limit + 0.5:
            break
        margin += ink - ink_limit + 1.0
    return Prepared(ppi=ppi, mode=mode, max_ink=ink, jpeg=jpeg, _image=limited)


def encode_jpeg(im) -> bytes:
    """The JPEG that goes into the PDF (DCTDecode, passed through by ReportLab)."""
    data = io.BytesIO()
    im.save(data, "JPEG", quality=92, optimize=True)
    return data.getvalue()


_TRANSFORMS: dict = {}


def to_cmyk(im, profile: Path):
    """sRGB -> the press profile (perceptual intent), with LittleCMS through Pillow."""
    from PIL import ImageCms
    key = str(profile)
    if key not in _TRANSFORMS:
        try:
            target = ImageCms.getOpenProfile(str(profile))
        except (OSError, ImageCms.PyCMSError) as err:
            raise ImageProblem(f"cannot read colour profile {profile} ({err})") from None
        _TRANSFORMS[key] = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), target, "RGB", "CMYK",
                                                   renderingIntent=ImageCms.Intent.PERCEPTUAL)
    return ImageCms.applyTransform(im, _TRANSFORMS[key])


def limit_ink(im, limit: float):
    """Scale C, M and Y down where C+M+Y+K exceeds `limit` percent; K is kept (it carries the detail)."""
    import numpy as np
    a = np.asarray(im, dtype=np.float32)
    cap = limit / 100.0 * 255.0
    k = a[..., 3]
    cmy = a[..., :3].sum(axis=2)
    over = (cmy + k) > cap
    if not over.any():
        return im
    scale = np.ones_like(cmy)
    scale[over] = np.clip((cap - k[over]) / np.maximum(cmy[over], 1e-6), 0.0, 1.0)
    a[..., :3] *= scale[..., None]
    return _pil().fromarray(np.floor(a).astype(np.uint8), "CMYK")


def total_ink(im) -> float:
    """Highest total area coverage of any pixel, in percent (a grey image: its darkest pixel)."""
    import numpy as np
    a = np.asarray(im, dtype=np.uint16)
    if im.mode == "L":
        return float((255 - a).max()) / 2.55
    return float(a.sum(axis=-1).max()) / 2.55


# --------------------------------------------------------------------------- the photo cache

_MEMO: dict = {}             # key -> Prepared, for a long-lived process (layout watch, editions)
_INK: dict = {}              # SHA-256 of a prepared JPEG -> its max_ink
_PROFILES: dict = {}         # (path, size, mtime) -> SHA-256 of the profile's bytes
_DIGESTS: dict = {}          # _stamp() of a source file -> SHA-256 of its bytes
_MAGIC = b"layout-photo\n"


def photo_cache_dir() -> Path | None:
    """$LAYOUT_PHOTO_CACHE ('' or 'off': no disk cache), else `photos/` in the font cache dir."""
    env = os.environ.get("LAYOUT_PHOTO_CACHE")
    if env is not None:
        return None if env.strip().lower() in ("", "0", "off", "none") else Path(env).expanduser()
    from .fonts import cache_dir
    return cache_dir() / "photos"


def _pillow_version() -> str:
    from PIL import _version
    return _version.__version__


def _profile_digest(profile: Path) -> str:
    try:
        st = profile.stat()
    except OSError:
        return f"missing:{profile}"      # to_cmyk() reports it, if the photo needs it
    memo = (str(profile), st.st_size, st.st_mtime_ns)
    if memo not in _PROFILES:
        _PROFILES[memo] = hashlib.sha256(profile.read_bytes()).hexdigest()
    return _PROFILES[memo]


def _cache_key(digest: str, frame_w: float, frame_h: float, ink_limit: float, profile: Path) -> str:
    parts = (CACHE_VERSION, _pillow_version(), digest, repr(float(frame_w)),
             repr(float(frame_h)), repr(float(ink_limit)), _profile_digest(profile), MAX_PPI, MAX_PIXELS)
    return hashlib.sha256("\0".join(map(str, parts)).encode()).hexdigest()[:32]


def _read_entry(entry: Path) -> Prepared | None:
    """A cached photo; None when absent, stale or damaged (then it is prepared again)."""
    try:
        blob = entry.read_bytes()
    except OSError:
        return None
    try:
        if not blob.startswith(_MAGIC):
            return None
        nl = blob.index(b"\n", len(_MAGIC))
        head = json.loads(blob[len(_MAGIC):nl])
        jpeg = blob[nl + 1:]
        if head["version"] != CACHE_VERSION or len(jpeg) != head["length"] or jpeg[:2] != b"\xff\xd8":
            return None
        _touch(entry)
        return Prepared(ppi=float(head["ppi"]), mode=str(head["mode"]), max_ink=float(head["max_ink"]), jpeg=jpeg)
    except (ValueError, KeyError, TypeError):
        return None


def _write_entry(entry: Path, prepared: Prepared) -> None:
    """Write atomically (temporary file + rename); a cache that cannot be written is skipped."""
    head = {"version": CACHE_VERSION, "ppi": prepared.ppi, "mode": prepared.mode, "max_ink": prepared.max_ink,
            "length": len(prepared.jpeg)}
    try:
        write_atomic(entry, lambda tmp: tmp.write_bytes(_MAGIC + json.dumps(head).encode() + b"\n" + prepared.jpeg))
        _prune(entry.parent)
    except OSError:
        pass


def _touch(entry: Path) -> None:
    """Mark an entry as recently used (pruning removes the least recently used first)."""
    try:
        os.utime(entry)
    except OSError:
        pass


def _prune(folder: Path, limit: int = CACHE_MAX_BYTES) -> None:
    """Remove the oldest entries while the cache holds more than `limit` bytes."""
    entries = []
    for p in folder.glob("*.photo"):
        try:
            st = p.stat()
        except OSError:
            continue
        entries.append((st.st_mtime_ns, st.st_size, p))
    total = sum(size for _, size, _ in entries)
    for _, size, p in sorted(entries):
        if total <= limit:
            break
        try:
            p.unlink()
            total -= size
        except OSError:
            pass

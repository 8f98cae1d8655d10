"""Photos with Pillow: open safely, honour EXIF orientation, crop to the frame, report resolution."""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms, ImageOps

MAX_PIXELS = 80_000_000      # refuse decompression bombs well before Pillow's own limit
MAX_PPI = 240                # newsprint screens need no more; larger photos are resampled down
DEFAULT_PROFILE = Path(__file__).resolve().parent / "profiles" / "ISOcoated_v2_300_bas.icc"
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ImageProblem(Exception):
    """An image that cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Prepared:
    """A photo cropped to its frame, with its effective resolution in the frame."""
    image: Image.Image   # CMYK (or L), ink-limited, at most MAX_PPI in its frame
    ppi: float           # effective resolution of the source in the frame
    mode: str            # the source's colour mode (RGB, CMYK, L …)
    max_ink: float       # highest total area coverage of any pixel as embedded, percent
    jpeg: bytes = b""    # the image as embedded (JPEG, ink limit checked after compression)


def prepare(path: Path, frame_w: float, frame_h: float, ink_limit: float = 240.0,
            profile: Path | None = None) -> Prepared:
    """Open `path`, turn it upright, centre-crop it to the frame (in points), convert it to CMYK
    and limit its total ink."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                if im.width * im.height > MAX_PIXELS:
                    raise ImageProblem(f"{im.width} × {im.height} pixels is too large; scale it below 80 megapixels")
                im.load()
                mode = im.mode
                im = ImageOps.exif_transpose(im)
    except FileNotFoundError:
        raise ImageProblem("image file not found; check the `photo:` path") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem("image is too large (decompression bomb guard); scale it below 80 megapixels") from None
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
        im = to_cmyk(im, profile or DEFAULT_PROFILE)
    limited, jpeg, margin = im, b"", 0.0
    for _ in range(4):          # JPEG noise can lift a pixel over the limit: tighten until it does not
        if im.mode == "CMYK":
            limited = limit_ink(im, ink_limit - margin)
        jpeg = encode_jpeg(limited)
        ink = total_ink(Image.open(io.BytesIO(jpeg)))
        if ink <= ink_limit + 0.5:
            break
        margin += ink - ink_limit + 1.0
    return Prepared(image=limited, ppi=ppi, mode=mode, max_ink=ink, jpeg=jpeg)


def encode_jpeg(im: Image.Image) -> bytes:
    """The JPEG that goes into the PDF (DCTDecode, passed through by ReportLab)."""
    data = io.BytesIO()
    im.save(data, "JPEG", quality=92, optimize=True)
    return data.getvalue()


_TRANSFORMS: dict = {}


def to_cmyk(im: Image.Image, profile: Path) -> Image.Image:
    """sRGB -> the press profile (perceptual intent), with LittleCMS through Pillow."""
    key = str(profile)
    if key not in _TRANSFORMS:
        try:
            target = ImageCms.getOpenProfile(str(profile))
        except (OSError, ImageCms.PyCMSError) as err:
            raise ImageProblem(f"cannot read colour profile {profile} ({err})") from None
        _TRANSFORMS[key] = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), target, "RGB", "CMYK",
                                                   renderingIntent=ImageCms.Intent.PERCEPTUAL)
    return ImageCms.applyTransform(im, _TRANSFORMS[key])


def limit_ink(im: Image.Image, limit: float) -> Image.Image:
    """Scale C, M and Y down where C+M+Y+K exceeds `limit` percent; K is kept (it carries the detail)."""
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
    return Image.fromarray(np.floor(a).astype(np.uint8), "CMYK")


def total_ink(im: Image.Image) -> float:
    """Highest total area coverage of any pixel, in percent (a grey image: its darkest pixel)."""
    a = np.asarray(im, dtype=np.uint16)
    if im.mode == "L":
        return float((255 - a).max()) / 2.55
    return float(a.sum(axis=-1).max()) / 2.55

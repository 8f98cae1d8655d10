"""Photos with Pillow: open safely, honour EXIF orientation, crop to the frame, report resolution."""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

MAX_PIXELS = 80_000_000      # refuse decompression bombs well before Pillow's own limit
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ImageProblem(Exception):
    """An image that cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Prepared:
    """A photo cropped to its frame, with its effective resolution in the frame."""
    image: Image.Image
    ppi: float
    mode: str            # the source's colour mode (RGB, CMYK, L …)


def prepare(path: Path, frame_w: float, frame_h: float) -> Prepared:
    """Open `path`, turn it upright and centre-crop it to the frame's proportions (frame in points)."""
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
        new_w = round(h * target)
        box = ((w - new_w) // 2, 0, (w - new_w) // 2 + new_w, h)
    else:
        new_h = round(w / target)
        box = (0, (h - new_h) // 2, w, (h - new_h) // 2 + new_h)
    im = im.crop(box)
    ppi = im.width / (frame_w / 72.0)
    return Prepared(image=im, ppi=ppi, mode=mode)

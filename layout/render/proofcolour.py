"""CMYK as the screen shows it through the page's output profile (LittleCMS via Pillow): the studio's
colours and photos, as a colour-managed viewer renders the PDF's DeviceCMYK under that profile."""
from __future__ import annotations

from pathlib import Path

INTENT = 1                      # ICC relative colorimetric: the paper white is the screen's white …
BLACK_POINT = True              # … and the press's black the screen's black (as Acrobat shows a page)
_TRANSFORMS: dict = {}          # profile path -> ImageCms transform CMYK -> sRGB
_COLOURS: dict = {}             # (profile path, cmyk) -> "#rrggbb"


def page_profile(spec) -> Path:
    """The page's output profile: format.icc, else the profile its photos are separated with."""
    from ..images import DEFAULT_PROFILE
    icc = getattr(spec.format, "icc", None)
    return Path(icc) if icc else DEFAULT_PROFILE


def _transform(profile: Path):
    key = str(profile)
    got = _TRANSFORMS.get(key)
    if got is None:
        from PIL import ImageCms
        got = _TRANSFORMS[key] = ImageCms.buildTransform(
            ImageCms.getOpenProfile(key), ImageCms.createProfile("sRGB"), "CMYK", "RGB",
            renderingIntent=ImageCms.Intent(INTENT),
            flags=ImageCms.Flags.BLACKPOINTCOMPENSATION if BLACK_POINT else ImageCms.Flags.NONE)
    return got


def css_colour(color, profile: Path) -> str:
    """CMYK in 0..1 as the sRGB colour the profile gives it, written for CSS."""
    key = (str(profile), tuple(color))
    got = _COLOURS.get(key)
    if got is None:
        from PIL import Image, ImageCms
        swatch = Image.new("CMYK", (1, 1), tuple(round(255 * min(1.0, max(0.0, v))) for v in color))
        got = _COLOURS[key] = "#%02x%02x%02x" % ImageCms.applyTransform(swatch, _transform(profile)).getpixel((0, 0))
    return got


def image_rgb(im, profile: Path):
    """A photo as the screen shows it: CMYK through the profile; other modes to RGB as they are."""
    if im.mode == "CMYK":
        from PIL import ImageCms
        return ImageCms.applyTransform(im, _transform(profile))
    return im.convert("RGB")

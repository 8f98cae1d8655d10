"""ReportLab side of the font catalog: face registration and an astral-plane ToUnicode fix."""

from __future__ import annotations

from typing import Iterable

from reportlab.pdfbase import pdfmetrics, ttfonts

from ..fonts import Face, FontError, Progress, prepare

__all__ = ["register", "register_all", "to_unicode_is_patched"]

_REGISTERED: dict[str, str] = {}


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
            pdfmetrics.registerFont(ttfonts.TTFont(face.key, str(path)))
        except ttfonts.TTFError as exc:
            raise FontError(f"ReportLab cannot load {path} ({face.family}): {exc}") from None
        _REGISTERED[face.key] = face.key
    return _REGISTERED[face.key]


def register_all(faces: Iterable[Face], progress: Progress | None = None) -> tuple[str, ...]:
    """register() for several faces, converting the missing ones in parallel first."""
    faces = list(faces)
    prepare(faces, progress)
    return tuple(register(f, progress) for f in faces)


# ReportLab's makeToUnicodeCMap() (reportlab/pdfbase/ttfonts.py, used by
# TTFont.addObjects) writes each entry as "<%02X> <%04X>" % (code, codepoint): for
# U+20BB7 that is <20BB7>, which is not UTF-16BE, so extractors return garbage.
# The wrapper below rewrites just those lines as surrogate pairs (<D842DFB7>); it
# leaves everything else, including a future ReportLab that fixes the bug, untouched.


def _utf16_hex(codepoint: int) -> str:
    return chr(codepoint).encode("utf-16-be").hex().upper()


def _astral_safe(make_cmap):
    def make_to_unicode_cmap(fontname, subset):
        cmap = make_cmap(fontname, subset)
        fixes = {"<%02X> <%04X>" % (i, cp): "<%02X> <%s>" % (i, _utf16_hex(cp))
                 for i, cp in enumerate(subset) if cp > 0xFFFF}
        if not fixes:
            return cmap
        return "\n".join(fixes.get(line, line) for line in cmap.split("\n"))

    make_to_unicode_cmap.__wrapped__ = make_cmap
    make_to_unicode_cmap.layout_astral_fix = True
    return make_to_unicode_cmap


def to_unicode_is_patched() -> bool:
    """True when ReportLab's ToUnicode builder carries the astral-plane fix."""
    return getattr(ttfonts.makeToUnicodeCMap, "layout_astral_fix", False)


if not to_unicode_is_patched():
    ttfonts.makeToUnicodeCMap = _astral_safe(ttfonts.makeToUnicodeCMap)

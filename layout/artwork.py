"""Delivered PDF advertisements: the first page read (pikepdf), its size checked against its frame."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf

from .units import MM

SIZE_TOLERANCE = 1 * MM     # a delivered ad may differ from its block by this much before it is scaled


class ArtworkProblem(Exception):
    """A delivered file that cannot be placed (not a PDF, no pages, encrypted …)."""


@dataclass(frozen=True)
class Delivered:
    """A delivered PDF: its bytes (placed as they are) and the size of its first page's trim box, pt."""
    data: bytes
    w: float
    h: float


def read_artwork(path: Path) -> Delivered:
    data = Path(path).read_bytes()
    try:
        with pikepdf.open(path) as pdf:
            if not pdf.pages:
                raise ArtworkProblem("the PDF has no pages")
            page = pdf.pages[0]
            box = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]
    except pikepdf.PasswordError:
        raise ArtworkProblem("the PDF is encrypted; ask for an unprotected file") from None
    except pikepdf.PdfError as err:
        raise ArtworkProblem(f"not a readable PDF ({err})") from None
    return Delivered(data, abs(box[2] - box[0]), abs(box[3] - box[1]))


def fit_note(delivered: Delivered, w: float, h: float) -> str | None:
    """What a designer must hear when an ad was delivered at another size than its block (it is scaled to
    fit, proportions kept, and centred), else None."""
    if abs(delivered.w - w) <= SIZE_TOLERANCE and abs(delivered.h - h) <= SIZE_TOLERANCE:
        return None
    scale = min(w / delivered.w, h / delivered.h) if delivered.w and delivered.h else 1.0
    return (f"delivered at {delivered.w / MM:.1f} × {delivered.h / MM:.1f} mm, the block is {w / MM:.1f} × "
            f"{h / MM:.1f} mm: placed at {scale * 100:.0f} %, centred; ask for the ad at the block's size or "
            f"size the block to the ad")


def form_name(index: int) -> str:
    """The XObject name of a page's index-th placed ad (0, 1, … in drawing order): the renderer writes it,
    both preflights report findings inside the ad under it."""
    return f"/Ad{index}"


def place(page: pikepdf.Page, delivered: pikepdf.Page, frame: tuple, index: int) -> None:
    """Draw a delivered PDF's page on `page` (pikepdf) as form XObject form_name(index), scaled to fit
    `frame` (x0, y0, x1, y1 in the page's PDF coordinates), proportions kept, centred; what pikepdf's
    add_overlay does, with a name that is the same in every build."""
    name = page.add_resource(delivered.as_form_xobject(), pikepdf.Name.XObject, name=pikepdf.Name(form_name(index)))
    placement = page.calc_form_xobject_placement(page.resources.XObject[name], name, pikepdf.Rectangle(*frame))
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\n", prepend=False)
    page.contents_add(placement, prepend=False)
    page.contents_coalesce()


def frame(layout, item) -> tuple:
    """An Artwork item's frame in its page's PDF coordinates (origin at the media box's lower left)."""
    o = layout.bleed + layout.slug
    return (o + item.x, o + layout.height - item.y - item.h, o + item.x + item.w, o + layout.height - item.y)

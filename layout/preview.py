"""PNG previews of a built PDF (pypdfium2), with a red bar and `+N 字` at the foot of each overflowing block."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

RED = (220, 0, 0)
WHITE = (255, 255, 255)
LABEL_FAMILIES = ("Noto Sans CJK SC Bold", "Noto Sans CJK SC")   # of the project's fonts.yaml
BAR_PT, LABEL_PT = 3.0, 10.0          # as on the grid proof; never smaller than BAR_PX, LABEL_PX
BAR_PX, LABEL_PX = 4, 13              # so that a 60 dpi preview still shows the bar and reads the label

def png_name(pdf: Path, page: int, pages: int) -> Path:
    """The preview of page `page` (from 0) of a `pages`-page PDF: NAME.png for a single page, NAME-p1.png …
    NAME-pN.png for every page of a longer one (so the first page's name says there are more)."""
    return pdf.with_suffix(".png") if pages == 1 else pdf.with_name(f"{pdf.stem}-p{page + 1}.png")


def write_png(pdf: Path, dpi: int = 60, page: int = 0, marks=()) -> Path:
    """Rasterise one page of `pdf` beside it, named by png_name; `marks` (overlay.OverflowMark, any page)
    of this page are drawn over it."""
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(pdf))
    try:
        pages = len(doc)
        pdf_page = doc[page]
        image = pdf_page.render(scale=dpi / 72).to_pil()
        left, _, _, top = pdf_page.get_trimbox()
        media_top = pdf_page.get_mediabox()[3]
    finally:
        doc.close()
    mine = [m for m in marks if m.page == page]
    if mine:
        image = image.convert("RGB")
        draw_marks(image, mine, dpi / 72, (left, media_top - top))
    out = png_name(Path(pdf), page, pages)
    image.save(out)
    return out


def draw_marks(image, marks, scale: float, origin: tuple) -> None:
    """Each mark's bar (just under the block's foot) and its label on a red tab standing on the bar's right end.
    origin: the trim box's top-left corner in points from the image's top-left."""
    from PIL import ImageDraw
    draw = ImageDraw.Draw(image)
    bar = max(BAR_PX, round(BAR_PT * scale))
    font = label_font(max(LABEL_PX, round(LABEL_PT * scale)))
    for m in marks:
        x0, x1 = (origin[0] + m.x0) * scale, (origin[0] + m.x1) * scale
        y = (origin[1] + m.y) * scale
        draw.rectangle((x0, y, x1, y + bar), fill=RED)
        l, t, r, b = draw.textbbox((0, 0), m.label, font=font)
        pad = max(2, bar // 2)
        tab = (x1 - (r - l) - 2 * pad, y + bar - (b - t) - 2 * pad, x1, y + bar)
        draw.rectangle(tab, fill=RED)
        draw.text((tab[0] + pad - l, tab[1] + pad - t), m.label, font=font, fill=WHITE)


@lru_cache(maxsize=8)
def label_font(pixels: int):
    """A CJK face of the project's font catalog at `pixels` (the label reads 字)."""
    from PIL import ImageFont

    from .fonts import FontError, load_catalog
    catalog, problems = load_catalog(), []
    for family in LABEL_FAMILIES:
        try:
            face = catalog.face(family)
        except FontError as err:
            problems.append(str(err))
            continue
        return ImageFont.truetype(str(face.source), pixels, index=face.index)
    raise FontError(f"no face for the overflow label in the font catalog: {'; '.join(problems)}")

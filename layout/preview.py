"""PNG previews of a built PDF (pypdfium2)."""
from __future__ import annotations

from pathlib import Path


def png_name(pdf: Path, page: int, pages: int) -> Path:
    """The preview of page `page` (from 0) of a `pages`-page PDF: NAME.png for a single page, NAME-p1.png …
    NAME-pN.png for every page of a longer one (so the first page's name says there are more)."""
    return pdf.with_suffix(".png") if pages == 1 else pdf.with_name(f"{pdf.stem}-p{page + 1}.png")


def write_png(pdf: Path, dpi: int = 60, page: int = 0) -> Path:
    """Rasterise one page of `pdf` beside it, named by png_name."""
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(pdf))
    try:
        pages = len(doc)
        image = doc[page].render(scale=dpi / 72).to_pil()
    finally:
        doc.close()
    out = png_name(Path(pdf), page, pages)
    image.save(out)
    return out

"""PNG previews of a built PDF (pypdfium2)."""
from __future__ import annotations

from pathlib import Path


def png_path(pdf: Path, page: int, pages: int) -> Path:
    """NAME.png for a document of one page; NAME-p1.png, NAME-p2.png … for every page of a longer one."""
    pdf = Path(pdf)
    return pdf.with_suffix(".png") if pages == 1 else pdf.with_name(f"{pdf.stem}-p{page + 1}.png")


def write_pngs(pdf: Path, dpi: int = 60) -> list:
    """Rasterise every page of `pdf` beside it (see png_path); the paths written."""
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(pdf))
    out = []
    try:
        for k in range(len(doc)):
            image = doc[k].render(scale=dpi / 72).to_pil()
            path = png_path(pdf, k, len(doc))
            image.save(path)
            out.append(path)
    finally:
        doc.close()
    return out


def write_png(pdf: Path, dpi: int = 60, page: int = 0) -> Path:
    """Rasterise one page of `pdf` beside it (named as write_pngs names it)."""
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(pdf))
    try:
        image = doc[page].render(scale=dpi / 72).to_pil()
        path = png_path(pdf, page, len(doc))
    finally:
        doc.close()
    image.save(path)
    return path

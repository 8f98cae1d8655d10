"""PNG previews of a built PDF (pypdfium2)."""
from __future__ import annotations

from pathlib import Path


def write_png(pdf: Path, dpi: int = 60, page: int = 0) -> Path:
    """Rasterise one page of `pdf` beside it as NAME.png (NAME-pN.png for later pages)."""
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(pdf))
    try:
        image = doc[page].render(scale=dpi / 72).to_pil()
    finally:
        doc.close()
    out = pdf.with_suffix(".png") if page == 0 else pdf.with_name(f"{pdf.stem}-p{page + 1}.png")
    image.save(out)
    return out

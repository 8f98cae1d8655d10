"""Draw PageLayouts with ReportLab: the one module that talks to it."""
from __future__ import annotations

from pathlib import Path

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from ..display import Box, PageLayout, Picture, Rule, TextRun
from . import rl_fonts


def render_pdf(pages, faces: dict, out: Path, images: dict, title: str = "") -> None:
    """Write `pages` to `out`; faces maps face key -> Face, images maps Picture.source -> Prepared."""
    keys = sorted(faces)
    names = dict(zip(keys, rl_fonts.register_all([faces[k] for k in keys])))
    first = next(iter(names.values()), None)
    first_page = pages[0]
    size = (first_page.width + 2 * first_page.bleed, first_page.height + 2 * first_page.bleed)
    kwargs = {"initialFontName": first, "initialFontSize": 9} if first else {}
    canvas = Canvas(str(out), pagesize=size, invariant=1, pageCompression=1, **kwargs)
    canvas.setTitle(title)
    canvas.setCreator("layout")
    canvas.setProducer("layout (ReportLab)")
    for page in pages:
        _page(canvas, page, names, images)
        canvas.showPage()
    canvas.save()


def _page(canvas: Canvas, page: PageLayout, names: dict, images: dict) -> None:
    b, h = page.bleed, page.height
    canvas.setPageSize((page.width + 2 * b, page.height + 2 * b))
    canvas.setTrimBox((b, b, b + page.width, b + page.height))
    canvas.setBleedBox((0, 0, page.width + 2 * b, page.height + 2 * b))

    def X(x):
        return b + x

    def Y(y):
        return b + h - y

    text = None
    for item in page.items:
        if isinstance(item, TextRun):
            if text is None:
                text = canvas.beginText()
            text.setFont(names[item.face], item.size)
            text.setCharSpace(item.tracking)
            text.setHorizScale(item.hscale * 100)
            text.setFillColorCMYK(*item.color)
            text.setTextOrigin(X(item.x), Y(item.y))
            text.textOut(item.text)
            continue
        if text is not None:
            canvas.drawText(text)
            text = None
        if isinstance(item, Rule):
            canvas.setStrokeColorCMYK(*item.color)
            canvas.setLineWidth(item.width)
            canvas.line(X(item.x1), Y(item.y1), X(item.x2), Y(item.y2))
        elif isinstance(item, Box):
            canvas.setFillColorCMYK(*item.color)
            canvas.rect(X(item.x), Y(item.y + item.h), item.w, item.h, stroke=0, fill=1)
        elif isinstance(item, Picture):
            prepared = images.get(item.source)
            if prepared is not None:
                canvas.drawImage(ImageReader(prepared.image), X(item.x), Y(item.y + item.h), item.w, item.h)
    if text is not None:
        canvas.drawText(text)

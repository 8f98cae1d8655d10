"""Advertisement blocks: the delivered file placed as it is, filling the block; never recomposed."""
from __future__ import annotations

from ..display import Artwork, Picture
from .common import BlockResult, Page

PDF_SUFFIXES = (".pdf",)


def ad_frame(page: Page, block) -> tuple:
    """(x, y, w, h) of an ad block: its columns and all its grid lines."""
    grid = page.grid
    return grid.col_x(block.col), grid.line_top(block.line), grid.span(block.cols), block.lines * grid.leading


def ad_block(page: Page, block) -> BlockResult:
    """A PDF ad as a form XObject (Artwork), an image ad as a photo (Picture), filling the block's frame."""
    x, y, w, h = ad_frame(page, block)
    if str(block.ad).lower().endswith(PDF_SUFFIXES):
        item = Artwork(x, y, w, h, str(block.ad), block.id)
    else:
        item = Picture(x, y, w, h, str(block.ad), block.id)
    return BlockResult(block.id, block.id, 0, None, (), (item,))

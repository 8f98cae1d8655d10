"""A whole page: furniture, article and photo blocks, in one display list."""
from __future__ import annotations

from ..display import PageLayout
from ..grid import Grid
from ..spec import PageSpec
from .common import BlockResult
from .furniture import block_rules, footer, header, slug_line
from .photos import photo_block
from .story import article_block, compose_stories, plan_jumps


def place_page(spec: PageSpec, grid: Grid, articles: dict, metrics, stories: dict | None = None,
               cursor: dict | None = None, jumps: dict | None = None, page_index: int = 0) -> tuple:
    """The display list of the page, one BlockResult per block, and where each story stands after it.

    stories: article id -> Story, composed once for a whole edition (filled in here as articles appear);
    cursor: article id -> next line;
    jumps: (page index, block id) -> (folio it continues from or None, folio it continues on or None)."""
    stories = compose_stories(spec, grid, articles, metrics, stories if stories is not None else {})
    cursor = dict(cursor or {})
    jumps = jumps if jumps is not None else plan_jumps([spec])
    page_missing: list = []           # characters of the header and footer that no font has
    page_notes: list = []             # header or footer text that had to be cut
    items = header(spec, grid, metrics, page_missing, page_notes) if spec.grid.header_lines else []
    results = []
    for block in spec.blocks:
        if block.kind == "photo":
            res = photo_block(spec, grid, block, articles.get(block.caption), metrics)
        else:
            prev, nxt = jumps.get((page_index, block.id), (None, None))
            res, cursor[block.article] = article_block(spec, grid, block, articles[block.article], metrics,
                                                        stories[block.article], cursor.get(block.article, 0),
                                                        prev, nxt)
        results.append(res)
        items.extend(res.items)
    items.extend(block_rules(spec, grid))
    if spec.grid.footer_lines:
        items.extend(footer(spec, grid, metrics, page_missing, page_notes))
    if spec.format.marks:
        items.extend(slug_line(spec, grid, metrics, page_missing))
    if page_missing or page_notes:
        results.append(BlockResult("page", "page", 0, None, tuple(page_missing), (), tuple(page_notes)))
    title = f"{spec.page.paper} {spec.page.section} 第{spec.page.folio}版".strip()
    f = spec.format
    return PageLayout(f.trim_w, f.trim_h, f.bleed, tuple(items), title, slug=f.slug, marks=f.marks), results, cursor

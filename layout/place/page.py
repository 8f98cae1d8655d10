"""A whole page: furniture, article and photo blocks, in one display list."""
from __future__ import annotations

from ..display import PageLayout
from .common import BlockResult, Page
from .furniture import block_rules, footer, header, slug_line
from .ads import ad_block
from .photos import photo_block
from .story import Chains, article_block


def place_page(page: Page, articles: dict, chains: Chains | None = None) -> tuple:
    """The display list of the page and one BlockResult per block.

    chains: the document's chains of blocks (Chains.of(specs)), carried from page to page: the page's
    stories are added to it as its articles appear, and its cursor moved on; None for a page alone."""
    spec = page.spec
    chains = chains if chains is not None else Chains.of([spec])
    page_missing: list = []           # characters of the header and footer that no font has
    page_notes: list = []             # header or footer text that had to be cut
    items = header(page, page_missing, page_notes) if spec.grid.header_lines else []
    results = []
    for block in spec.blocks:
        if block.kind == "photo":
            res = photo_block(page, block, articles.get(block.caption))
        elif block.kind == "ad":
            res = ad_block(page, block)
        else:
            art = articles[block.article]
            res, chains.cursor[block.article] = article_block(page, block, art, chains.link(page, block, art))
        results.append(res)
        items.extend(res.items)
    items.extend(block_rules(page))
    if spec.grid.footer_lines:
        items.extend(footer(page, page_missing, page_notes))
    if spec.format.marks:
        items.extend(slug_line(page, page_missing))
    if page_missing or page_notes:
        results.append(BlockResult("page", "page", 0, None, tuple(page_missing), (), tuple(page_notes)))
    title = f"{spec.page.paper} {spec.page.section} 第{spec.page.folio}版".strip()
    f = spec.format
    return PageLayout(f.trim_w, f.trim_h, f.bleed, tuple(items), title, slug=f.slug, marks=f.marks), tuple(results)

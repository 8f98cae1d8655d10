"""Story flow: an article's body set once, then flowed through its chain of blocks with jump lines."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from ..content import Article
from ..display import Box
from ..flow import flow_balanced, flow_sequential
from ..grid import CJK_ASCENT, Grid
from ..markup import TEXT, Para
from ..setbody import Slot, set_body
from ..spec import Block
from ..text.byline import split_people
from ..text.segment import Span
from .common import BlockResult, Page, block_at, heading_lines, text_runs
from .headings import draw_heading, plan_heading
from .vertical import draw_vertical, is_vertical, plan_vertical, text_columns


def plan_jumps(specs) -> dict:
    """Blocks that share an article form a chain in page order, then spec order: who jumps where.

    (page index, block id) -> (folio it continues from or None, folio it continues on or None)."""
    chains: dict = {}
    for index, spec in enumerate(specs):
        for block in spec.blocks:
            if block.article:
                chains.setdefault(block.article, []).append((index, block.id, spec.page.folio))
    jumps = {}
    for chain in chains.values():
        for k, (index, block_id, _) in enumerate(chain):
            prev = chain[k - 1][2] if k else None
            nxt = chain[k + 1][2] if k + 1 < len(chain) else None
            jumps[(index, block_id)] = (prev, nxt)
    return jumps


@dataclass(frozen=True)
class Story:
    """An article's body set into lines once, ready to flow through its chain of blocks."""
    article: Article
    lines: tuple
    missing: tuple
    measure: float
    notes: tuple = ()      # warnings about the body (markup outside the subset, a table too wide)


@dataclass(frozen=True)
class Link:
    """A block's place in its article's chain of blocks: the story, the line of it the block starts
    with, and the folios the block continues from and on (None at either end of the chain)."""
    story: Story
    start: int = 0
    from_folio: str | None = None
    to_folio: str | None = None

    @property
    def first(self) -> bool:
        """The chain's first block: it carries the heading."""
        return self.start == 0 and self.from_folio is None


@dataclass
class Chains:
    """Every article's chain of blocks through the pages of a document, as it is placed page by page:
    where each block jumps from and to, each story set once, and the next line of each story."""
    jumps: dict
    stories: dict = field(default_factory=dict)
    cursor: dict = field(default_factory=dict)

    @classmethod
    def of(cls, specs) -> Chains:
        return cls(plan_jumps(specs))

    def link(self, page: Page, block: Block, art: Article) -> Link:
        """The block's link, setting the article's story (on this block's measure) when it first appears."""
        if block.article not in self.stories:
            self.stories[block.article] = compose_story(page, art, body_measure(page.grid, block))
        from_folio, to_folio = self.jumps.get((page.index, block.id), (None, None))
        return Link(self.stories[block.article], self.cursor.get(block.article, 0), from_folio, to_folio)


def body_measure(grid: Grid, block: Block) -> float:
    cols = text_columns(block)
    ncols = min(block.body_columns or cols, cols)
    return (grid.span(cols) - (ncols - 1) * grid.gutter) / ncols


def compose_story(page: Page, art: Article, measure: float) -> Story:
    """Byline run in, typed paragraphs set on the measure (layout/setbody.py): the lines of the whole article."""
    st = page.spec.styles
    byline = Span(art.byline, st["byline"].font, st["byline"].size, st["byline"].color, people=True) \
        if art.byline else None
    paras = art.body or tuple(Para(TEXT, ((p, False),)) for p in art.paragraphs)
    body = set_body(paras, st, page.spec.grid.body, page.grid.leading, measure, page.metrics, byline, str(art.path),
                    art.origin("byline"))
    notes = art.notes + body.notes
    if art.byline and split_people([ln.text for ln in body.lines if hasattr(ln, "text")], art.byline):
        notes += (f"article `{art.id}`: the byline `{art.byline}` cannot break between people on a "
                  f"{measure:g} pt measure; a title or name is split: shorten it or widen the block",)
    return Story(art, body.lines, body.missing, measure, notes)


def needed_lines(page: Page, block: Block, art: Article) -> int:
    """Grid lines a block of `height: auto` takes: its heading and its balanced body."""
    head = plan_heading(page, block, art)
    story = compose_story(page, art, body_measure(page.grid, block))
    ncols = min(block.body_columns or text_columns(block), text_columns(block))
    if is_vertical(block):
        top = head.rubric_lines
        return top + max(plan_vertical(page, block, art, top).lines, math.ceil(len(story.lines) / ncols), 1)
    return head.lines + max(1, math.ceil(len(story.lines) / ncols))


def article_block(page: Page, block: Block, art: Article, link: Link) -> tuple:
    """Heading (first block of a chain only), jump lines, and the story's lines from the link's start on:
    (BlockResult, the story's next line)."""
    spec, grid, metrics = page.spec, page.grid, page.metrics
    story, start = link.story, link.start
    items, missing, notes = [], [], []
    if block.tint is not None:               # 底纹: behind everything the block draws
        items.append(_tint_box(page, block))
    head_lines = 0
    if link.first and is_vertical(block):        # 竖题: the body beside it, under the rubric
        head = plan_heading(page, block, art)
        head = replace(head, parts=(), head_lines=0)
        items += draw_heading(head, page, block, missing)
        vert = plan_vertical(page, block, art, head.rubric_lines)
        missing += vert.missing
        notes += vert.notes
        items += draw_vertical(vert, page, block, head.rubric_lines)
        head_lines = head.rubric_lines
        missing += story.missing
        notes += story.notes
    elif link.first:
        head = plan_heading(page, block, art)
        missing += head.missing
        notes += head.notes
        items += draw_heading(head, page, block, missing)
        head_lines = head.lines
        if head_lines >= block.lines:
            notes.append(f"{block_at(spec, block)}: block `{block.id}`: its heading takes {head_lines} lines but the "
                         f"block has {block.lines}; what does not fit is left out: make the block taller "
                         f"(size) or the headline smaller (headline_size)")
        missing += story.missing
        notes += story.notes
    elif link.from_folio is not None:        # a continuation from another page: its jump headline (接题)
        jump_items, head_lines = _jump_headline(page, block, art, missing)
        items += jump_items
    x0 = grid.col_x(block.col)
    ncols = min(block.body_columns or text_columns(block), text_columns(block))
    measure = body_measure(grid, block)
    if abs(measure - story.measure) > 0.01:
        notes.append(f"block `{block.id}` continues `{art.id}` on a measure of {measure:g} pt, not "
                     f"{story.measure:g} pt; give the blocks of a chain the same text columns")
    top_line = block.line + head_lines
    capacity = max(0, block.line + block.lines - top_line)
    jump_in = _jump_line(page, f"（上接第{link.from_folio}版）", measure) if link.from_folio is not None else None
    jump_out = _jump_line(page, f"（下转第{link.to_folio}版）", measure) if link.to_folio is not None else None
    remaining = story.lines[start:]
    if jump_out is not None:
        room = max(0, ncols * capacity - (1 if jump_in else 0) - 1)
        body = remaining[:room]
        flowed = flow_sequential(((jump_in,) if jump_in else ()) + body + (jump_out,), ncols, capacity)
        while flowed.overflow and body:      # lines kept together pushed some out: jump before them
            body = body[:max(0, len(body) - len(flowed.overflow))]
            flowed = flow_sequential(((jump_in,) if jump_in else ()) + body + (jump_out,), ncols, capacity)
        consumed = len(body)
    else:
        lead = (jump_in,) if jump_in else ()
        flowed = flow_balanced(lead + remaining, ncols, capacity)
        consumed = max(0, len(remaining) - len(flowed.overflow) - (1 if jump_in else 0))
    for col, row, line in flowed.placed:
        x = x0 + col * (measure + grid.gutter)
        role = "jump" if line is jump_in or line is jump_out else "body"
        if line is jump_out:
            x += measure - line.width
        if isinstance(line, Slot):
            items += line.at(x, grid.line_top(top_line + row), block.id)
            continue
        items += text_runs(line, x, grid.baseline(top_line + row), role, block.id)
    chars = art.chars
    if jump_out is not None:       # the chain goes on: this block's report is the chain's last block's
        flowed = None
    return BlockResult(block.id, art.id, chars, flowed, tuple(missing), tuple(items), tuple(notes),
                       round(measure / grid.body_size)), start + consumed


def _jump_line(page: Page, text: str, measure: float):
    lines, _ = heading_lines(text, page.spec.styles["byline"], measure, page.metrics)
    return lines[0]


def jump_headline_text(art: Article) -> str:
    """接题: the article's `jump_headline`, else its headline's first phrase (up to a space, ，：or ——)
    when that holds four characters or more, else the whole headline."""
    if art.jump_headline:
        return art.jump_headline
    head = art.headline.strip()
    first = re.split(r"[\s，：:——]+", head, maxsplit=1)[0]
    return first if len(first) >= 4 else head


def _jump_headline(page: Page, block: Block, art: Article, missing: list) -> tuple:
    """The jump headline over a continuation, centred on whole grid lines: (items, lines taken)."""
    text = jump_headline_text(art)
    if not text:
        return [], 0
    style = page.spec.styles["jump_headline"]
    grid = page.grid
    width = grid.span(block.cols)
    lines, miss = heading_lines(text, style, width - 2 * grid.body_size, page.metrics)
    missing += miss
    group = len(lines) * style.leading
    taken = math.ceil(group / grid.leading - 1e-6) + 1
    y = grid.line_top(block.line) + (taken * grid.leading - group) / 2
    items = []
    for line in lines:
        baseline = y + (style.leading - style.size) / 2 + CJK_ASCENT * style.size
        items += text_runs(line, grid.col_x(block.col) + (width - line.width) / 2, baseline, "jump_headline", block.id)
        y += style.leading
    return items, min(taken, block.lines)


TINT_PAD = 0.35        # of a gutter and of a line: how far a tint reaches beyond the block's text


def _tint_box(page: Page, block: Block) -> Box:
    """The block's tint, reaching a third of a gutter beyond its columns and of a line above and below its
    lines (clear of the rules between blocks), so that the text keeps its measure inside a margin of tint."""
    grid = page.grid
    pad_x, pad_y = grid.gutter * TINT_PAD, grid.leading * TINT_PAD
    top = grid.line_top(block.line) - pad_y
    return Box(grid.col_x(block.col) - pad_x, top, grid.span(block.cols) + 2 * pad_x,
               block.lines * grid.leading + 2 * pad_y, block.tint)

"""Story flow: an article's body set once, then flowed through its chain of blocks with jump lines."""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..content import Article
from ..flow import flow_balanced, flow_sequential
from ..grid import Grid
from ..spec import Block, PageSpec
from ..text.compose import compose_paragraph
from ..text.segment import Span
from .common import BlockResult, block_at, heading_lines, text_runs
from .headings import draw_heading, plan_heading


def plan_jumps(specs) -> dict:
    """Blocks that share an article form a chain in page order, then spec order: who jumps where."""
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


def body_measure(grid: Grid, block: Block) -> float:
    ncols = block.body_columns or block.cols
    return (grid.span(block.cols) - (ncols - 1) * grid.gutter) / ncols


def compose_story(spec: PageSpec, grid: Grid, art: Article, measure: float, metrics) -> Story:
    """Byline run in, paragraphs set on the measure: the lines of the whole article."""
    st, lines, missing = spec.styles, [], []
    for i, para in enumerate(art.paragraphs):
        spans = []
        if i == 0 and art.byline:
            spans.append(Span(art.byline, st["byline"].font, st["byline"].size, st["byline"].color))
        spans.append(Span(para, spec.grid.body.font, spec.grid.body.size, spec.grid.body.color))
        set_lines, miss = compose_paragraph(spans, measure, metrics, grid.body_size)
        missing += [(m.char, m.font) for m in miss]
        lines.extend(set_lines)
    return Story(art, tuple(lines), tuple(missing), measure)


def compose_stories(spec: PageSpec, grid: Grid, articles: dict, metrics, stories: dict) -> dict:
    """Add to `stories` (an edition's, kept from page to page) one Story per article of the page that it
    lacks, set on the measure of the article's first block."""
    for block in spec.blocks:
        if block.article and block.article not in stories:
            stories[block.article] = compose_story(spec, grid, articles[block.article], body_measure(grid, block),
                                                   metrics)
    return stories


def needed_lines(spec: PageSpec, grid: Grid, block: Block, art: Article, metrics) -> int:
    """Grid lines a block of `height: auto` takes: its heading and its balanced body."""
    head = plan_heading(spec, grid, block, art, metrics)
    story = compose_story(spec, grid, art, body_measure(grid, block), metrics)
    ncols = block.body_columns or block.cols
    return head.lines + max(1, math.ceil(len(story.lines) / ncols))


def article_block(spec: PageSpec, grid: Grid, block: Block, art: Article, metrics, story: Story, start: int,
                   prev_folio, next_folio) -> tuple:
    """Heading (first block of a chain only), jump lines, and the story's lines from `start` on."""
    items, missing, notes = [], [], []
    first = start == 0 and prev_folio is None
    head_lines = 0
    if first:
        head = plan_heading(spec, grid, block, art, metrics)
        missing += head.missing
        notes += head.notes
        items += draw_heading(head, spec, grid, block, metrics, missing)
        head_lines = head.lines
        if head_lines >= block.lines:
            notes.append(f"{block_at(spec, block)}: block `{block.id}`: its heading takes {head_lines} lines but the "
                         f"block has {block.lines}; what does not fit is left out: make the block taller "
                         f"(size) or the headline smaller (headline_size)")
        missing += story.missing
    x0 = grid.col_x(block.col)
    ncols = block.body_columns or block.cols
    measure = body_measure(grid, block)
    if abs(measure - story.measure) > 0.01:
        notes.append(f"block `{block.id}` continues `{art.id}` on a measure of {measure:g} pt, not "
                     f"{story.measure:g} pt; give the blocks of a chain the same text columns")
    top_line = block.line + head_lines
    capacity = max(0, block.line + block.lines - top_line)
    jump_in = _jump_line(spec, grid, f"（上接第{prev_folio}版）", measure, metrics) if prev_folio is not None else None
    jump_out = _jump_line(spec, grid, f"（下转第{next_folio}版）", measure, metrics) if next_folio is not None else None
    remaining = story.lines[start:]
    if jump_out is not None:
        room = max(0, ncols * capacity - (1 if jump_in else 0) - 1)
        body = remaining[:room]
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
        items += text_runs(line, x, grid.baseline(top_line + row), role, block.id)
    chars = art.chars
    if jump_out is not None:       # the chain goes on: this block's report is the chain's last block's
        flowed = None
    return BlockResult(block.id, art.id, chars, flowed, tuple(missing), tuple(items), tuple(notes),
                       round(measure / grid.body_size)), start + consumed


def _jump_line(spec: PageSpec, grid: Grid, text: str, measure: float, metrics):
    st = spec.styles["byline"]
    lines, _ = heading_lines(text, st, measure, metrics)
    return lines[0]

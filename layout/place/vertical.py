"""Vertical headings (竖题): kicker, headline and subhead top to bottom in the block's rightmost grid column."""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..content import Article
from ..display import TextRun
from ..spec import Block
from ..text.vertical import set_vertical
from .common import Page

PART_GAP = 0.5        # between the columns of two parts, in body ems
COLUMN_GAP = 0.25     # between two columns of one part, in its own em


def is_vertical(block: Block) -> bool:
    return getattr(block, "headline_direction", "horizontal") == "vertical"


def text_columns(block: Block) -> int:
    """Grid columns the body takes: all of the block's, less the heading's column when it is vertical."""
    return block.cols - (1 if is_vertical(block) else 0)


@dataclass(frozen=True)
class VerticalHeading:
    parts: tuple          # (role, columns, size), in reading order (right to left on the page)
    width: float
    height: float         # the tallest column
    lines: int            # whole grid lines it takes
    missing: tuple
    notes: tuple
    sources: tuple = ()   # per part: the file offsets of its text's characters (() when unknown)
    file: str = ""        # the article file those offsets are in


def plan_vertical(page: Page, block: Block, art: Article, top_lines: int = 0) -> VerticalHeading:
    """Set the kicker, headline and subhead as columns no taller than the block below its rubric."""
    grid, st = page.grid, page.spec.styles
    room = (block.lines - top_lines) * grid.leading
    parts, missing, notes, sources = [], [], [], []
    for role, text, size in (("kicker", art.kicker, st["kicker"].size), ("headline", art.headline, None),
                             ("subhead", art.subhead, st["subhead"].size)):
        if not text:
            continue
        style = st["headline"] if role == "headline" else st[role]
        if role == "headline":
            size = _headline_size(text, style.font, block.headline_size or style.size, room, page)
        cols, miss = set_vertical(text, style.font, size, page.metrics, room)
        missing += [(ch, style.font) for ch in miss]
        parts.append((role, tuple(cols), size))
        src = art.origin(role)
        sources.append(src if len(src) == len(text) else ())
    columns = [(c, size) for _, cols, size in parts for c in cols]
    width = sum(size for _, size in columns) + sum(COLUMN_GAP * size * (len(cols) - 1) for _, cols, size in parts) \
        + PART_GAP * grid.body_size * max(0, len(parts) - 1)
    height = max((c.height for c, _ in columns), default=0.0)
    if width > grid.col_width + 0.01:
        notes.append(f"block `{block.id}`: the vertical heading is {width:.0f} pt wide, its column "
                     f"{grid.col_width:.0f} pt: shorten the headline or make the block taller")
    lines = math.ceil(height / grid.leading - 1e-6)
    return VerticalHeading(tuple(parts), width, height, lines, tuple(missing), tuple(notes), tuple(sources),
                           str(art.path))


def _headline_size(text, font, size, room, page) -> float:
    """A fixed size; from a range the largest size that sets the headline in one column, else the smallest."""
    if not isinstance(size, tuple):
        return size
    low, high = size
    points = high
    while points > low:
        cols, _ = set_vertical(text, font, points, page.metrics, room)
        if len(cols) <= 1:
            return points
        points -= 0.5
    return low


def draw_vertical(head: VerticalHeading, page: Page, block: Block, top_lines: int = 0) -> list:
    """The columns centred across the block's rightmost grid column, the group's top on a grid line and
    centred in the whole lines it takes; reading order (what the PDF's text follows) right to left."""
    grid, st = page.grid, page.spec.styles
    strip_x = grid.col_x(block.col + block.cols - 1)
    right = strip_x + (grid.col_width + head.width) / 2
    top = grid.line_top(block.line + top_lines) + (head.lines * grid.leading - head.height) / 2
    items, x = [], right
    for n, (role, cols, size) in enumerate(head.parts):
        src = head.sources[n] if n < len(head.sources) else ()
        if n:
            x -= PART_GAP * grid.body_size
        color = st[role].color
        for k, col in enumerate(cols):
            if k:
                x -= COLUMN_GAP * size
            centre = x - size / 2
            y = top
            for cell in col.cells:
                if cell.text:
                    at = _cell_source(cell, src)
                    items.append(TextRun(x=round(centre + cell.dx, 3), y=round(y + cell.dy, 3), text=cell.text,
                                         face=cell.face, size=cell.size, color=color, role=role, block=block.id,
                                         hscale=round(cell.hscale, 5), rotate=cell.rotate,
                                         src=at, file=head.file if at else ""))
                y += cell.height
            x -= size
    return items


def _cell_source(cell, src: tuple) -> tuple:
    """The file offsets of a cell's characters, from its place in the part's text; () when unknown."""
    if not src or cell.at < 0 or cell.at + len(cell.text) > len(src):
        return ()
    return tuple(src[cell.at:cell.at + len(cell.text)])

"""The debug overlay (speedata, InDesign): columns, baseline grid, block frames and ids, for a separate proof."""
from __future__ import annotations

from typing import NamedTuple

from .display import Box, PageLayout, Rule, TextRun
from .grid import Grid
from .spec import PageSpec
from .text.compose import compose_heading
from .text.segment import Span

PROOF_CYAN = (0.6, 0.0, 0.0, 0.0)      # "non-photo blue": only ever in the -grid proof, never delivered
PROOF_MAGENTA = (0.0, 0.7, 0.0, 0.0)
LABEL_SIZE = 10.0
OVERFLOW_RED = (0.0, 1.0, 1.0, 0.0)   # proof red: the overflow bar, never in the delivered PDF
OVERFLOW_LABEL = 14.0                 # pt: `+N 字` reads at 60 dpi
BAR = 3.0                             # pt: height of the overflow bar, just under the block's foot


class OverflowMark(NamedTuple):
    """A block whose text does not all fit: a red bar along its foot (y, from x0 to x1, points from the
    trim's top-left corner) labelled `+N 字`, N the characters left over as the report counts them."""
    page: int
    x0: float
    x1: float
    y: float
    label: str
    block: str = ""


def overflow_marks(spec: PageSpec, grid: Grid, results, page: int = 0) -> tuple:
    """An OverflowMark for every block of `page` that overflows (a chain reports at its last block)."""
    blocks = {b.id: b for b in spec.blocks}
    marks = []
    for r in results:
        if r.flowed is None or not r.flowed.overflow or r.block not in blocks:
            continue
        b = blocks[r.block]
        x0 = grid.col_x(b.col)
        marks.append(OverflowMark(page, x0, x0 + grid.span(b.cols), grid.line_top(b.line + b.lines),
                                  f"+{r.flowed.overflow_chars} 字", b.id))
    return tuple(marks)


def overflow_items(marks, metrics, font: str) -> list:
    """The red bar under the block and its label (a red tab standing on the bar's right end, white type)."""
    items = []
    for m in marks:
        items.append(Box(m.x0, m.y, m.x1 - m.x0, BAR, OVERFLOW_RED))
        lines, _ = compose_heading([Span(m.label, font, OVERFLOW_LABEL, (0.0, 0.0, 0.0, 0.0))], m.x1 - m.x0, metrics,
                                   OVERFLOW_LABEL)
        width = lines[0].width if lines else 0.0
        tab_x = m.x1 - width - 4
        items.append(Box(tab_x, m.y + BAR - OVERFLOW_LABEL - 3, width + 4, OVERFLOW_LABEL + 3, OVERFLOW_RED))
        for r in (lines[0].runs if lines else ()):
            items.append(TextRun(tab_x + 2 + r.x, m.y + BAR - 3.5, r.text, r.face, r.size, r.color, "overlay",
                                 "", r.tracking, r.hscale))
    return items


def grid_overlay(spec: PageSpec, grid: Grid, layout: PageLayout, metrics, marks=()) -> PageLayout:
    """`layout` with the grid drawn over it, and a red bar at the foot of each overflowing block (marks)."""
    items = []
    top, bottom = grid.line_top(1), grid.bottom
    for c in range(1, grid.columns + 1):
        for x in (grid.col_x(c), grid.col_x(c) + grid.col_width):
            items.append(Rule(x, top, x, bottom, 0.25, PROOF_CYAN))
    for line in range(1, grid.lines + 1):
        y = grid.baseline(line)
        items.append(Rule(grid.left, y, grid.left + grid.width, y, 0.1, PROOF_CYAN))
    for b in spec.blocks:
        x0, x1 = grid.col_x(b.col), grid.col_x(b.col) + grid.span(b.cols)
        y0, y1 = grid.line_top(b.line), grid.line_top(b.line + (b.lines or 1))
        items += [Rule(x0, y0, x1, y0, 0.75, PROOF_MAGENTA), Rule(x0, y1, x1, y1, 0.75, PROOF_MAGENTA),
                  Rule(x0, y0, x0, y1, 0.75, PROOF_MAGENTA), Rule(x1, y0, x1, y1, 0.75, PROOF_MAGENTA)]
        label = f"{b.id} [{b.col},{b.line}] {b.cols}×{b.lines}"
        lines, _ = compose_heading([Span(label, spec.grid.body.font, LABEL_SIZE, PROOF_MAGENTA)],
                                   grid.span(b.cols), metrics, LABEL_SIZE)
        for line in lines[:1]:
            for r in line.runs:
                # bottom left inside the frame: clear of rubrics and headlines at the top
                items.append(TextRun(x0 + 2 + r.x, y1 - 3, r.text, r.face, r.size, r.color, "overlay", b.id,
                                     r.tracking, r.hscale))
    items += overflow_items(marks, metrics, spec.grid.body.font)
    return PageLayout(layout.width, layout.height, layout.bleed, layout.items + tuple(items), layout.title,
                      layout.slug, layout.marks)

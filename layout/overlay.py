"""The debug overlay (speedata, InDesign): columns, baseline grid, block frames and ids, for a separate proof."""
from __future__ import annotations

from .display import PageLayout, Rule, TextRun
from .grid import Grid
from .spec import PageSpec
from .text.compose import compose_heading
from .text.segment import Span

PROOF_CYAN = (0.6, 0.0, 0.0, 0.0)      # "non-photo blue": only ever in the -grid proof, never delivered
PROOF_MAGENTA = (0.0, 0.7, 0.0, 0.0)
LABEL_SIZE = 10.0


def grid_overlay(spec: PageSpec, grid: Grid, layout: PageLayout, metrics) -> PageLayout:
    """`layout` with the grid drawn over it."""
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
    return PageLayout(layout.width, layout.height, layout.bleed, layout.items + tuple(items), layout.title,
                      layout.slug, layout.marks)

"""The page grid: columns and gutters across, body baselines down; blocks are checked against it."""
from __future__ import annotations

import math
from dataclasses import dataclass

from .spec import PageSpec

CJK_ASCENT = 0.88   # ideographic em box above the baseline (Noto CJK typo ascender)


@dataclass(frozen=True)
class Grid:
    """Column positions and the baseline grid, in points from the trim's top-left corner."""
    left: float          # x of column 1
    top: float           # y of the top of body line 1
    col_width: float     # a whole number of body characters
    gutter: float
    columns: int
    leading: float       # line pitch of the baseline grid
    lines: int           # body lines from top to the footer band
    body_size: float
    header_top: float    # y of the top of the type area (header band starts here)

    def col_x(self, col: int) -> float:
        """Left edge of column `col` (1-based)."""
        return self.left + (col - 1) * (self.col_width + self.gutter)

    def span(self, cols: int) -> float:
        """Width of `cols` adjacent columns with their gutters."""
        return cols * self.col_width + (cols - 1) * self.gutter

    def line_top(self, line: int) -> float:
        """Top of the band of body line `line` (1-based; may be M+1 for the bottom edge)."""
        return self.top + (line - 1) * self.leading

    def baseline(self, line: int, size: float | None = None) -> float:
        """Baseline of a line of type `size` centred in the band of body line `line`."""
        size = size or self.body_size
        return self.line_top(line) + (self.leading - size) / 2 + CJK_ASCENT * size

    @property
    def width(self) -> float:
        return self.span(self.columns)

    @property
    def bottom(self) -> float:
        return self.line_top(self.lines + 1)


def make_grid(spec: PageSpec) -> Grid:
    """Columns of whole characters, centred in the margins; body lines below the header band."""
    f, g = spec.format, spec.grid
    size = g.body.size
    measure = f.trim_w - f.inner - f.outer
    chars = math.floor((measure - (g.columns - 1) * g.gutter) / g.columns / size + 1e-9)
    if chars < 2:
        raise spec.where.error(f"{g.columns} columns of {size:g}pt type do not fit the margins; use fewer columns")
    col_width = chars * size
    used = g.columns * col_width + (g.columns - 1) * g.gutter
    left = f.inner + (measure - used) / 2
    height = f.trim_h - f.top - f.bottom
    header_top = f.top
    top = header_top + g.header_lines * g.body.leading
    lines = math.floor(height / g.body.leading + 1e-9) - g.header_lines - g.footer_lines
    if lines < 4:
        raise spec.where.error("the type area holds fewer than 4 body lines; check margins, leading and header_lines")
    return Grid(left=left, top=top, col_width=col_width, gutter=g.gutter, columns=g.columns,
                leading=g.body.leading, lines=lines, body_size=size, header_top=header_top)


def check_blocks(spec: PageSpec, grid: Grid) -> None:
    """Every block inside the grid, no two blocks on the same cell (speedata's 'conflict in grid')."""
    owner = {}
    for b in spec.blocks:
        if b.col + b.cols - 1 > grid.columns:
            raise b.where.error(f"block `{b.id}` spans columns {b.col}–{b.col + b.cols - 1} but the grid has "
                                f"{grid.columns}; reduce `size` or move `at`")
        if b.line + b.lines - 1 > grid.lines:
            raise b.where.error(f"block `{b.id}` spans lines {b.line}–{b.line + b.lines - 1} but the page has "
                                f"{grid.lines} body lines; reduce `size` or move `at`")
        if b.body_columns and b.body_columns > b.cols:
            raise b.where.error(f"block `{b.id}` asks for {b.body_columns} text columns in {b.cols} grid columns")
        for c in range(b.col, b.col + b.cols):
            for ln in range(b.line, b.line + b.lines):
                other = owner.get((c, ln))
                if other is not None:
                    raise b.where.error(f"block `{b.id}` overlaps block `{other}` at column {c}, line {ln}; "
                                        f"move one of them")
                owner[(c, ln)] = b.id

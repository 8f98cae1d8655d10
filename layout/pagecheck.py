"""The designer's checks of a composed page: its grid in words, and warnings for grid area no block covers,
stacked blocks with no blank line between them, stories without a headline, folios an edition repeats."""
from __future__ import annotations

from .display import TextRun
from .report import PageGrid


def page_grid(spec, grid, index: int = 0) -> PageGrid:
    """What the report says of page `index`'s grid: columns, characters a column, body lines, leading."""
    return PageGrid(page=index + 1, spec=str(spec.path), columns=grid.columns,
                    column_chars=round(grid.col_width / grid.body_size), column_width=grid.col_width,
                    gutter=grid.gutter, body_lines=grid.lines, leading=grid.leading, body_size=grid.body_size,
                    body_font=spec.grid.body.font)


def page_warnings(spec, grid, layout, earlier=frozenset()) -> list:
    """Warnings (`FILE:LINE: …`) on the page's blocks; `earlier`: articles begun on earlier pages."""
    return _stacked(spec) + _uncovered(spec, grid) + _headless(spec, layout, earlier)


def _stacked(spec) -> list:
    """A block that starts on the line right under another in the same columns: the two read as one."""
    out = []
    for upper in spec.blocks:
        for lower in spec.blocks:
            shared = min(upper.col + upper.cols, lower.col + lower.cols) - max(upper.col, lower.col)
            if shared > 0 and lower.line == upper.line + upper.lines:
                out.append(f"{spec.path}:{lower.where.line}: block `{lower.id}` starts at line {lower.line}, right "
                           f"under block `{upper.id}` (lines {upper.line}–{lower.line - 1}) with no blank line "
                           f"between them; start it at line {lower.line + 1} or end `{upper.id}` a line earlier")
    return out


def _uncovered(spec, grid) -> list:
    """Runs of grid lines no block covers, column by column, merged across neighbouring columns; one blank
    line between a block above and a block below is the usual space between stories and is not reported."""
    owner = {}
    for b in spec.blocks:
        for c in range(b.col, b.col + b.cols):
            for ln in range(b.line, b.line + b.lines):
                owner[(c, ln)] = b.id
    runs = {}
    for c in range(1, grid.columns + 1):
        ln = 1
        while ln <= grid.lines:
            if (c, ln) in owner:
                ln += 1
                continue
            start = ln
            while ln <= grid.lines and (c, ln) not in owner:
                ln += 1
            if not (ln - start == 1 and start > 1 and ln <= grid.lines):    # a blank line between blocks
                runs.setdefault((start, ln - 1), []).append(c)
    out = []
    for (first, last), cols in sorted(runs.items(), key=lambda kv: (kv[1][0], kv[0])):
        groups, group = [], [cols[0]]
        for c in cols[1:]:
            if c == group[-1] + 1:
                group.append(c)
            else:
                groups.append(group)
                group = [c]
        groups.append(group)
        for g in groups:
            where = f"column {g[0]}" if len(g) == 1 else f"columns {g[0]}–{g[-1]}"
            lines = f"line {first}" if first == last else f"lines {first}–{last}"
            block = _bordering(spec.blocks, (g[0], g[-1] + 1), (first, last + 1))
            out.append(f"{spec.path}:{block.where.line}: {where}, {lines} ({len(g) * (last - first + 1)} grid "
                       f"cells): no block covers this area; grow `{block.id}` (the block along it) or move a "
                       f"block, or add one")
    return out


def _bordering(blocks, cols: tuple, lines: tuple):
    """The block nearest an area (columns and lines as half-open ranges), and of those touching it the one
    along its longest edge: the block a designer would grow into it."""
    def gap(lo, hi, start, end):            # cells between two ranges; negative: how much they share
        return max(start - hi, lo - end, -(min(hi, end) - max(lo, start)))

    def rank(b):
        across, down = gap(b.col, b.col + b.cols, *cols), gap(b.line, b.line + b.lines, *lines)
        return (max(across, down, 0), min(across, down))     # nearest first, then the longest shared edge
    return min(blocks, key=rank)


def _headless(spec, layout, earlier) -> list:
    """The first block of a story that draws no headline (a continuation carries none by design)."""
    drawn = {i.block for i in layout.items if isinstance(i, TextRun) and i.role == "headline"}
    seen, out = set(earlier), []
    for b in spec.blocks:
        if b.kind != "article" or not b.article or b.article in seen:
            continue
        seen.add(b.article)
        if b.id not in drawn:
            out.append(f"{spec.path}:{b.at('article').line}: block `{b.id}`: article `{b.article}` has no "
                       f"headline; add `headline:` to the front matter of articles/{b.article}.md")
    return out


def folio_warnings(specs, jumps) -> list:
    """Pages of one edition sharing a folio, and jump lines that name the page they stand on.
    jumps: place.story.plan_jumps(specs), (page index, block id) -> place.story.Jump."""
    out, first = [], {}
    for index, spec in enumerate(specs):
        folio = str(spec.page.folio)
        if folio in first:
            out.append(f"{spec.path}:{spec.at('page.folio').line}: page {index + 1} has folio {folio}, as page "
                       f"{first[folio] + 1} ({specs[first[folio]].path.name}) has: jump lines to 第{folio}版 "
                       f"cannot say which; give each page its own `folio:`")
        else:
            first[folio] = index
    for (index, block_id), jump in sorted(jumps.items(), key=lambda kv: kv[0]):
        spec = specs[index]
        block = next(b for b in spec.blocks if b.id == block_id)
        for text, folio in (("上接", jump.from_folio), ("下转", jump.to_folio)):
            if folio is not None and str(folio) == str(spec.page.folio):
                out.append(f"{spec.path}:{block.where.line}: block `{block_id}`: its jump line （{text}第{folio}版） "
                           f"names the page it stands on: two pages share folio {folio}")
    return out

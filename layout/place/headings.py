"""The heading zone of an article's first block: rubric, kicker, headline (fitted), subhead."""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..content import Article
from ..display import Box, Rule
from ..spec import Block, Style
from .common import WHITE, Page, block_at, baseline_in, heading_lines, text_runs, with_source


HEAD_GAP = 0.35        # air between heading parts, in lines of the baseline grid


@dataclass(frozen=True)
class Heading:
    """A block's heading zone: rubric lines, the centred kicker/headline/subhead, and their whole lines."""
    rubric: str
    rubric_lines: int
    parts: tuple          # (role, lines, style)
    group: float          # height of the centred group, pt
    head_lines: int       # grid lines of the centred zone
    missing: tuple
    notes: tuple
    rubric_src: tuple = ()    # the rubric's characters' offsets in `file`
    file: str = ""

    @property
    def lines(self) -> int:
        return self.rubric_lines + self.head_lines


def plan_heading(page: Page, block: Block, art: Article) -> Heading:
    """Compose the heading parts, pick the headline size, and count the whole lines they take."""
    spec, grid, metrics = page.spec, page.grid, page.metrics
    st, missing, notes = spec.styles, [], []
    width = grid.span(block.cols)
    measure = width - 2 * grid.body_size
    rubric_lines = math.ceil(st["rubric"].size * 2.0 / grid.leading) if art.rubric else 0
    parts = []
    for name, text, style in (("kicker", art.kicker, st["kicker"]), ("headline", art.headline, None),
                              ("subhead", art.subhead, st["subhead"])):
        if not text:
            continue
        if name == "headline":
            lines, miss, style = _fit_headline(text, st["headline"], block.headline_size, measure, metrics)
        else:
            lines, miss = heading_lines(text, style, measure, metrics)
        missing += miss
        parts.append((name, with_source(lines, text, art.origin(name), art.path), style))
    group = sum(len(lines) * style.leading for _, lines, style in parts) + HEAD_GAP * grid.leading * max(0, len(parts) - 1)
    needed = math.ceil(group / grid.leading + 1.0) if parts else 0
    head_lines = max(block.head_lines or 0, needed)
    if block.head_lines and block.head_lines < needed:
        notes.append(f"{block_at(spec, block)}: block `{block.id}`: head_lines {block.head_lines} is too small for "
                     f"its heading; using {needed}")
    return Heading(art.rubric, rubric_lines, tuple(parts), group, head_lines, tuple(missing), tuple(notes),
                   art.origin("rubric"), str(art.path))


def _fit_headline(text, base: Style, size, measure, metrics):
    """A fixed size, or from a (smallest, largest) range the largest size that keeps the headline in
    as few lines as the smallest size needs."""
    def at(points):
        style = Style(base.font, points, round(points * 1.25, 3), base.color)
        lines, miss = heading_lines(text, style, measure, metrics)
        return lines, miss, style
    if not size:
        return at(base.size)
    if not isinstance(size, tuple):
        return at(size)
    low, high = size
    target = len(at(low)[0])
    points = high
    while points > low:
        found = at(points)
        if len(found[0]) <= target:
            return found
        points -= 0.5
    return at(low)


def draw_heading(head: Heading, page: Page, block: Block, missing: list) -> list:
    """The heading zone at the top of the block: the rubric, then the parts centred in their lines."""
    grid, items = page.grid, []
    x0, width = grid.col_x(block.col), grid.span(block.cols)
    top = grid.line_top(block.line)
    if head.rubric:
        items += _rubric(head, page, block, missing)
    y = top + head.rubric_lines * grid.leading + (head.head_lines * grid.leading - head.group) / 2
    bottom = grid.line_top(block.line + block.lines)
    for name, lines, style in head.parts:
        for line in lines:
            if y + style.leading <= bottom + 0.01:        # nothing is drawn outside its block
                items += text_runs(line, x0 + (width - line.width) / 2, baseline_in(y, style.leading, style.size),
                                   name, block.id)
            y += style.leading
        y += HEAD_GAP * grid.leading
    return items


def _rubric(head: Heading, page: Page, block: Block, missing: list) -> list:
    """The 栏目 label: reversed type in a red box at the block's top left, a rule running on to the right."""
    grid, style = page.grid, page.spec.styles["rubric"]
    x0, width, top = grid.col_x(block.col), grid.span(block.cols), grid.line_top(block.line)
    height = head.rubric_lines * grid.leading
    lines, miss = heading_lines(head.rubric, Style(style.font, style.size, style.leading, WHITE), width, page.metrics)
    missing += miss
    if not lines:
        return []
    line = with_source(lines, head.rubric, head.rubric_src, head.file)[0]
    pad = style.size * 0.6
    box_h = style.size * 1.6
    box_y = top + (height - box_h) / 2
    out = [Box(x0, box_y, line.width + 2 * pad, box_h, style.color)]
    out += text_runs(line, x0 + pad, baseline_in(box_y, box_h, style.size), "rubric", block.id)
    rule_y = box_y + box_h
    out.append(Rule(x0 + line.width + 2 * pad, rule_y, x0 + width, rule_y, 1.0, style.color))
    return out

"""Blocks on the page grid: heading zones, body columns, photos and captions, rules, header and footer."""
from __future__ import annotations

import math
from dataclasses import dataclass

from .content import Article
from .display import Box, PageLayout, Picture, Rule, TextRun
from .flow import Flowed, flow_balanced
from .grid import CJK_ASCENT, Grid
from .spec import Block, PageSpec, Style
from .text.compose import compose_heading, compose_paragraph
from .text.segment import Span

BLACK = (0.0, 0.0, 0.0, 1.0)
WHITE = (0.0, 0.0, 0.0, 0.0)
RULE_WIDTH = 0.5
HEAD_GAP = 0.35        # air between heading parts, in lines of the baseline grid


@dataclass(frozen=True)
class BlockResult:
    """What a block drew and how its text fared (for the report)."""
    block: str
    article: str
    chars: int
    flowed: Flowed | None
    missing: tuple         # (char, role) pairs
    items: tuple
    notes: tuple = ()      # warnings for the report


def place_page(spec: PageSpec, grid: Grid, articles: dict, metrics) -> tuple:
    """The display list of the page and one BlockResult per block."""
    items, results = list(_header(spec, grid, metrics)) if spec.grid.header_lines else [], []
    for block in spec.blocks:
        if block.kind == "photo":
            res = _photo_block(spec, grid, block, articles.get(block.caption), metrics)
        else:
            res = _article_block(spec, grid, block, articles[block.article], metrics)
        results.append(res)
        items.extend(res.items)
    items.extend(_block_rules(spec, grid))
    if spec.grid.footer_lines:
        items.extend(_footer(spec, grid, metrics))
    title = f"{spec.page.paper} {spec.page.section} 第{spec.page.folio}版".strip()
    f = spec.format
    slug_text = f"{spec.path.name} · {spec.page.section} 第{spec.page.folio}版 · {spec.page.date}"
    return PageLayout(f.trim_w, f.trim_h, f.bleed, tuple(items), title, slug=f.slug, marks=f.marks,
                      slug_text=slug_text), results


# -- text helpers ------------------------------------------------------------------------------

def _runs(line, x0: float, baseline: float, role: str, block: str) -> list:
    return [TextRun(x=round(x0 + r.x, 3), y=round(baseline, 3), text=r.text, face=r.face, size=r.size,
                    color=r.color, role=role, block=block, tracking=r.tracking, hscale=r.hscale)
            for r in line.runs]


def _heading_lines(text: str, style: Style, measure: float, metrics):
    lines, missing = compose_heading([Span(text, style.font, style.size, style.color)], measure, metrics, style.size)
    return lines, [(m.char, style.font) for m in missing]


def _baseline_in(top: float, pitch: float, size: float) -> float:
    """Baseline of type `size` whose em box is centred in a band of height `pitch`."""
    return top + (pitch - size) / 2 + CJK_ASCENT * size


# -- article blocks ------------------------------------------------------------------------------

def _article_block(spec: PageSpec, grid: Grid, block: Block, art: Article, metrics) -> BlockResult:
    st, items, missing, notes = spec.styles, [], [], []
    x0, width = grid.col_x(block.col), grid.span(block.cols)
    top = grid.line_top(block.line)
    rubric_lines = 0
    if art.rubric:
        rubric_lines = math.ceil(st["rubric"].size * 2.0 / grid.leading)
        items += _rubric(art.rubric, st["rubric"], x0, top, width, rubric_lines * grid.leading, block.id, metrics,
                         missing)
    parts = []
    headline_style = st["headline"]
    if block.headline_size:
        headline_style = Style(headline_style.font, block.headline_size, round(block.headline_size * 1.25, 3),
                               headline_style.color)
    measure = width - 2 * grid.body_size
    for name, text, style in (("kicker", art.kicker, st["kicker"]), ("headline", art.headline, headline_style),
                              ("subhead", art.subhead, st["subhead"])):
        if text:
            lines, miss = _heading_lines(text, style, measure, metrics)
            missing += miss
            parts.append((name, lines, style))
    group = sum(len(lines) * style.leading for _, lines, style in parts) + HEAD_GAP * grid.leading * max(0, len(parts) - 1)
    needed = math.ceil(group / grid.leading + 1.0) if parts else 0
    head_lines = max(block.head_lines or 0, needed)
    if block.head_lines and block.head_lines < needed:
        notes.append(f"block `{block.id}`: head_lines {block.head_lines} is too small for its heading; "
                     f"using {needed}")
    head_top = top + rubric_lines * grid.leading
    y = head_top + (head_lines * grid.leading - group) / 2
    for name, lines, style in parts:
        for line in lines:
            x = x0 + (width - line.width) / 2
            items += _runs(line, x, _baseline_in(y, style.leading, style.size), name, block.id)
            y += style.leading
        y += HEAD_GAP * grid.leading
    body_top_line = block.line + rubric_lines + head_lines
    capacity = block.line + block.lines - body_top_line
    ncols = block.body_columns or block.cols
    measure = (width - (ncols - 1) * grid.gutter) / ncols
    body_lines = []
    for i, para in enumerate(art.paragraphs):
        spans = []
        if i == 0 and art.byline:
            spans.append(Span(art.byline, st["byline"].font, st["byline"].size, st["byline"].color))
        spans.append(Span(para, spec.grid.body.font, spec.grid.body.size, spec.grid.body.color))
        lines, miss = compose_paragraph(spans, measure, metrics, grid.body_size)
        missing += [(m.char, m.font) for m in miss]
        body_lines.extend(lines)
    flowed = flow_balanced(body_lines, ncols, max(0, capacity))
    for col, row, line in flowed.placed:
        x = x0 + col * (measure + grid.gutter)
        items += _runs(line, x, grid.baseline(body_top_line + row), "body", block.id)
    return BlockResult(block.id, art.id, art.chars, flowed, tuple(missing), tuple(items), tuple(notes))


def _rubric(text, style, x0, top, width, height, block_id, metrics, missing) -> list:
    """The 栏目 label: reversed type in a red box at the block's top left, a rule running on to the right."""
    lines, miss = _heading_lines(text, Style(style.font, style.size, style.leading, WHITE), width, metrics)
    missing += miss
    if not lines:
        return []
    line = lines[0]
    pad = style.size * 0.6
    box_h = style.size * 1.6
    box_y = top + (height - box_h) / 2
    out = [Box(x0, box_y, line.width + 2 * pad, box_h, style.color)]
    out += _runs(line, x0 + pad, _baseline_in(box_y, box_h, style.size), "rubric", block_id)
    rule_y = box_y + box_h
    out.append(Rule(x0 + line.width + 2 * pad, rule_y, x0 + width, rule_y, 1.0, style.color))
    return out


# -- photo blocks --------------------------------------------------------------------------------

def _photo_block(spec: PageSpec, grid: Grid, block: Block, caption: Article | None, metrics) -> BlockResult:
    st, items, missing = spec.styles, [], []
    x0, width = grid.col_x(block.col), grid.span(block.cols)
    lines = []
    if caption is not None:
        text = "".join(caption.paragraphs)
        cap, miss = compose_paragraph([Span(text, st["caption"].font, st["caption"].size, st["caption"].color)],
                                      width, metrics, grid.body_size, indent=0.0)
        missing += [(m.char, m.font) for m in miss]
        lines.extend(cap)
        if caption.credit:
            credit, miss = _heading_lines(caption.credit, st["credit"], width, metrics)
            missing += miss
            lines.extend(("credit", c) for c in credit)
    cap_lines = len(lines)
    frame_lines = block.lines - cap_lines
    if frame_lines < 2:
        frame_lines = 2
    frame_h = frame_lines * grid.leading - grid.leading * 0.3
    top = grid.line_top(block.line)
    items.append(Picture(x0, top, width, frame_h, str(block.photo), block.id))
    placed = []
    for k, line in enumerate(lines):
        row = block.line + frame_lines + k
        if isinstance(line, tuple):
            _, line = line
            x = x0 + width - line.width
            role = "credit"
        else:
            x, role = x0, "caption"
        placed.append((0, k, line))
        items += _runs(line, x, grid.baseline(row), role, block.id)
    fitting = max(0, block.lines - frame_lines)
    flowed = Flowed(placed=tuple(p for p in placed if p[1] < fitting), capacity=fitting, columns=1,
                    overflow=tuple(p[2] for p in placed if p[1] >= fitting), empty_lines=0)
    chars = caption.chars + sum(1 for ch in caption.credit if not ch.isspace()) if caption else 0
    return BlockResult(block.id, caption.id if caption else block.id, chars, flowed, tuple(missing), tuple(items))


# -- rules, header, footer -----------------------------------------------------------------------

def _block_rules(spec: PageSpec, grid: Grid) -> list:
    """Thin rules in the blank line between stacked blocks and in the gutter between neighbours."""
    out = []
    for a in spec.blocks:
        for b in spec.blocks:
            if a is b:
                continue
            lo, hi = max(a.col, b.col), min(a.col + a.cols, b.col + b.cols)
            if b.line == a.line + a.lines + 1 and lo < hi:
                y = grid.line_top(b.line - 1) + grid.leading / 2
                out.append(Rule(grid.col_x(lo), y, grid.col_x(hi - 1) + grid.col_width, y, RULE_WIDTH, BLACK))
            top, bottom = max(a.line, b.line), min(a.line + a.lines, b.line + b.lines)
            if b.col == a.col + a.cols and top < bottom:
                x = grid.col_x(b.col) - grid.gutter / 2
                out.append(Rule(x, grid.line_top(top), x, grid.line_top(bottom), RULE_WIDTH, BLACK))
    return out


def _header(spec: PageSpec, grid: Grid, metrics) -> list:
    """报头: the section name large on the left; paper, date and folio on the right; a heavy rule below."""
    st, p = spec.styles, spec.page
    band_top, band_h = grid.header_top, grid.top - grid.header_top
    left, right = grid.left, grid.left + grid.width
    out = []
    rule_y = grid.top - grid.leading * 0.6
    if p.section:
        sec = st["section"]
        lines, _ = _heading_lines(p.section, sec, grid.width / 2, metrics)
        for line in lines[:1]:
            out += _runs(line, left, rule_y - grid.leading * 0.5 - sec.size * (1 - CJK_ASCENT), "section", "header")
    info = st["header"]
    rows = [t for t in (p.paper, p.date, f"第{p.folio}版" if p.folio else "") if t]
    for k, text in enumerate(reversed(rows)):
        lines, _ = _heading_lines(text, info, grid.width / 2, metrics)
        for line in lines[:1]:
            y = rule_y - grid.leading * 0.5 - info.leading * k - info.size * (1 - CJK_ASCENT)
            out += _runs(line, right - line.width, y, "header", "header")
    out.append(Rule(left, rule_y, right, rule_y, 2.0, st["section"].color))
    out.append(Rule(left, rule_y + 2.5, right, rule_y + 2.5, 0.5, st["section"].color))
    return out


def _footer(spec: PageSpec, grid: Grid, metrics) -> list:
    """The foot: a thin rule and the editors' credit line."""
    st = spec.styles["footer"]
    y_rule = grid.bottom + grid.leading * 0.3
    out = [Rule(grid.left, y_rule, grid.left + grid.width, y_rule, RULE_WIDTH, BLACK)]
    if spec.page.credits:
        lines, _ = _heading_lines(spec.page.credits, st, grid.width, metrics)
        for line in lines[:1]:
            out += _runs(line, grid.left + grid.width - line.width, grid.baseline(grid.lines + 1, st.size) + grid.leading * 0.3,
                         "footer", "footer")
    return out

"""Blocks on the page grid: heading zones, body columns, photos and captions, rules, header and footer."""
from __future__ import annotations

import math
from dataclasses import dataclass

from .content import Article
from .display import Box, PageLayout, Picture, Rule, TextRun
from .flow import Flowed, flow_balanced, flow_sequential
from .grid import CJK_ASCENT, Grid
from .markup import TEXT, Para
from .setbody import Slot, set_body
from .spec import Block, PageSpec, Style
from .text.compose import compose_heading, compose_paragraph
from .text.segment import Span

BLACK = (0.0, 0.0, 0.0, 1.0)
WHITE = (0.0, 0.0, 0.0, 0.0)
RULE_WIDTH = 0.5
HEAD_GAP = 0.35        # air between heading parts, in lines of the baseline grid
MIN_FRAME_LINES = 2    # a photo frame is never shorter than this, caption or not


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
    measure_chars: int = 13


def place_page(spec: PageSpec, grid: Grid, articles: dict, metrics, stories: dict | None = None,
               cursor: dict | None = None, jumps: dict | None = None, page_index: int = 0) -> tuple:
    """The display list of the page, one BlockResult per block, and where each story stands after it.

    stories: article id -> Story, composed once for a whole edition (filled in here as articles appear);
    cursor: article id -> next line;
    jumps: (page index, block id) -> (folio it continues from or None, folio it continues on or None)."""
    stories = compose_stories(spec, grid, articles, metrics, stories if stories is not None else {})
    cursor = dict(cursor or {})
    jumps = jumps if jumps is not None else plan_jumps([spec])
    page_missing: list = []           # characters of the header and footer that no font has
    page_notes: list = []             # header or footer text that had to be cut
    items = _header(spec, grid, metrics, page_missing, page_notes) if spec.grid.header_lines else []
    results = []
    for block in spec.blocks:
        if block.kind == "photo":
            res = _photo_block(spec, grid, block, articles.get(block.caption), metrics)
        else:
            prev, nxt = jumps.get((page_index, block.id), (None, None))
            res, cursor[block.article] = _article_block(spec, grid, block, articles[block.article], metrics,
                                                        stories[block.article], cursor.get(block.article, 0),
                                                        prev, nxt)
        results.append(res)
        items.extend(res.items)
    items.extend(_block_rules(spec, grid))
    if spec.grid.footer_lines:
        items.extend(_footer(spec, grid, metrics, page_missing, page_notes))
    if spec.format.marks:
        items.extend(_slug_line(spec, grid, metrics, page_missing))
    if page_missing or page_notes:
        results.append(BlockResult("page", "page", 0, None, tuple(page_missing), (), tuple(page_notes)))
    title = f"{spec.page.paper} {spec.page.section} 第{spec.page.folio}版".strip()
    f = spec.format
    return PageLayout(f.trim_w, f.trim_h, f.bleed, tuple(items), title, slug=f.slug, marks=f.marks), results, cursor


SLUG_SIZE = 6.0
MARK_CLEARANCE = 3.0    # pt beyond the bleed, as the crop marks


def _slug_line(spec: PageSpec, grid: Grid, metrics, missing: list) -> list:
    """File name, page and date in the slug under the bleed (with the crop marks), set like any text."""
    text = f"{spec.path.name} · {spec.page.section} 第{spec.page.folio}版 · {spec.page.date}"
    style = Style(spec.grid.body.font, SLUG_SIZE, SLUG_SIZE * 1.2, BLACK)
    lines, miss = _heading_lines(text, style, spec.format.trim_w, metrics)
    missing += miss
    y = spec.format.trim_h + spec.format.bleed + MARK_CLEARANCE + SLUG_SIZE
    return [run for line in lines[:1] for run in _runs(line, 0.0, y, "slug", "sheet")]


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
    notes: tuple = ()      # warnings about the body (markup outside the subset, a table too wide)


def body_measure(grid: Grid, block: Block) -> float:
    ncols = block.body_columns or block.cols
    return (grid.span(block.cols) - (ncols - 1) * grid.gutter) / ncols


def compose_story(spec: PageSpec, grid: Grid, art: Article, measure: float, metrics) -> Story:
    """Byline run in, typed paragraphs set on the measure (layout/setbody.py): the lines of the whole article."""
    st = spec.styles
    byline = Span(art.byline, st["byline"].font, st["byline"].size, st["byline"].color) if art.byline else None
    paras = art.body or tuple(Para(TEXT, ((p, False),)) for p in art.paragraphs)
    body = set_body(paras, st, spec.grid.body, grid.leading, measure, metrics, byline, str(art.path))
    return Story(art, body.lines, body.missing, measure, art.notes + body.notes)


def compose_stories(spec: PageSpec, grid: Grid, articles: dict, metrics, stories: dict) -> dict:
    """Add to `stories` (an edition's, kept from page to page) one Story per article of the page that it
    lacks, set on the measure of the article's first block."""
    for block in spec.blocks:
        if block.article and block.article not in stories:
            stories[block.article] = compose_story(spec, grid, articles[block.article], body_measure(grid, block),
                                                   metrics)
    return stories


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

    @property
    def lines(self) -> int:
        return self.rubric_lines + self.head_lines


def plan_heading(spec: PageSpec, grid: Grid, block: Block, art: Article, metrics) -> Heading:
    """Compose the heading parts, pick the headline size, and count the whole lines they take."""
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
            lines, miss = _heading_lines(text, style, measure, metrics)
        missing += miss
        parts.append((name, lines, style))
    group = sum(len(lines) * style.leading for _, lines, style in parts) + HEAD_GAP * grid.leading * max(0, len(parts) - 1)
    needed = math.ceil(group / grid.leading + 1.0) if parts else 0
    head_lines = max(block.head_lines or 0, needed)
    if block.head_lines and block.head_lines < needed:
        notes.append(f"{_at(spec, block)}: block `{block.id}`: head_lines {block.head_lines} is too small for "
                     f"its heading; using {needed}")
    return Heading(art.rubric, rubric_lines, tuple(parts), group, head_lines, tuple(missing), tuple(notes))


def _fit_headline(text, base: Style, size, measure, metrics):
    """A fixed size, or from a (smallest, largest) range the largest size that keeps the headline in
    as few lines as the smallest size needs."""
    def at(points):
        style = Style(base.font, points, round(points * 1.25, 3), base.color)
        lines, miss = _heading_lines(text, style, measure, metrics)
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


def _draw_heading(head: Heading, spec: PageSpec, grid: Grid, block: Block, metrics, missing: list) -> list:
    items = []
    x0, width = grid.col_x(block.col), grid.span(block.cols)
    top = grid.line_top(block.line)
    if head.rubric:
        items += _rubric(head.rubric, spec.styles["rubric"], x0, top, width, head.rubric_lines * grid.leading,
                         block.id, metrics, missing)
    y = top + head.rubric_lines * grid.leading + (head.head_lines * grid.leading - head.group) / 2
    bottom = grid.line_top(block.line + block.lines)
    for name, lines, style in head.parts:
        for line in lines:
            if y + style.leading <= bottom + 0.01:        # nothing is drawn outside its block
                items += _runs(line, x0 + (width - line.width) / 2, _baseline_in(y, style.leading, style.size),
                               name, block.id)
            y += style.leading
        y += HEAD_GAP * grid.leading
    return items


def needed_lines(spec: PageSpec, grid: Grid, block: Block, art: Article, metrics) -> int:
    """Grid lines a block of `height: auto` takes: its heading and its balanced body."""
    head = plan_heading(spec, grid, block, art, metrics)
    story = compose_story(spec, grid, art, body_measure(grid, block), metrics)
    ncols = block.body_columns or block.cols
    return head.lines + max(1, math.ceil(len(story.lines) / ncols))


def _article_block(spec: PageSpec, grid: Grid, block: Block, art: Article, metrics, story: Story, start: int,
                   prev_folio, next_folio) -> tuple:
    """Heading (first block of a chain only), jump lines, and the story's lines from `start` on."""
    items, missing, notes = [], [], []
    first = start == 0 and prev_folio is None
    head_lines = 0
    if first:
        head = plan_heading(spec, grid, block, art, metrics)
        missing += head.missing
        notes += head.notes
        items += _draw_heading(head, spec, grid, block, metrics, missing)
        head_lines = head.lines
        if head_lines >= block.lines:
            notes.append(f"{_at(spec, block)}: block `{block.id}`: its heading takes {head_lines} lines but the "
                         f"block has {block.lines}; what does not fit is left out: make the block taller "
                         f"(size) or the headline smaller (headline_size)")
        missing += story.missing
        notes += story.notes
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
        if isinstance(line, Slot):
            items += line.at(x, grid.line_top(top_line + row), block.id)
            continue
        items += _runs(line, x, grid.baseline(top_line + row), role, block.id)
    chars = art.chars
    if jump_out is not None:       # the chain goes on: this block's report is the chain's last block's
        flowed = None
    return BlockResult(block.id, art.id, chars, flowed, tuple(missing), tuple(items), tuple(notes),
                       round(measure / grid.body_size)), start + consumed


def _at(spec: PageSpec, block: Block) -> str:
    """FILE:LINE:COL of a block in its spec, for warnings."""
    return f"{spec.path}:{block.where.line}:{block.where.col}"


def _jump_line(spec: PageSpec, grid: Grid, text: str, measure: float, metrics):
    st = spec.styles["byline"]
    lines, _ = _heading_lines(text, st, measure, metrics)
    return lines[0]


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
    frame_lines = min(block.lines, max(MIN_FRAME_LINES, block.lines - len(lines)))
    frame_h = frame_lines * grid.leading - grid.leading * 0.3
    top = grid.line_top(block.line)
    items.append(Picture(x0, top, width, frame_h, str(block.photo), block.id))
    fitting = block.lines - frame_lines        # caption lines that fit under the frame
    placed = []
    for k, line in enumerate(lines):
        if isinstance(line, tuple):
            _, line = line
            x = x0 + width - line.width
            role = "credit"
        else:
            x, role = x0, "caption"
        placed.append((0, k, line))
        if k < fitting:                        # nothing is drawn outside its block
            items += _runs(line, x, grid.baseline(block.line + frame_lines + k), role, block.id)
    flowed = Flowed(placed=tuple(p for p in placed if p[1] < fitting), capacity=fitting, columns=1,
                    overflow=tuple(p[2] for p in placed if p[1] >= fitting), empty_lines=0)
    chars = caption.chars + sum(1 for ch in caption.credit if not ch.isspace()) if caption else 0
    return BlockResult(block.id, caption.id if caption else block.id, chars, flowed, tuple(missing), tuple(items))


# -- rules, header, footer -----------------------------------------------------------------------

def _block_rules(spec: PageSpec, grid: Grid) -> list:
    """Thin rules in the blank line between stacked blocks and in the gutter between neighbours,
    each drawn as one continuous stroke however many block pairs it separates."""
    across: dict = {}   # gap line -> columns it separates
    down: dict = {}     # column whose left gutter holds a rule -> grid lines it runs along
    for a in spec.blocks:
        for b in spec.blocks:
            if b.line == a.line + a.lines + 1:
                across.setdefault(b.line - 1, set()).update(
                    range(max(a.col, b.col), min(a.col + a.cols, b.col + b.cols)))
            if b.col == a.col + a.cols:
                down.setdefault(b.col, set()).update(
                    range(max(a.line, b.line), min(a.line + a.lines, b.line + b.lines)))
    out = []
    for line, cols in sorted(across.items()):
        y = grid.line_top(line) + grid.leading / 2
        for first, last in _runs_of(cols):
            out.append(Rule(grid.col_x(first), y, grid.col_x(last) + grid.col_width, y, RULE_WIDTH, BLACK))
    for col, lines in sorted(down.items()):
        x = grid.col_x(col) - grid.gutter / 2
        for first, last in _runs_of(lines):
            out.append(Rule(x, grid.line_top(first), x, grid.line_top(last + 1), RULE_WIDTH, BLACK))
    return out


def _runs_of(numbers) -> list:
    """[(first, last), ...] of the runs of consecutive integers in `numbers`."""
    runs = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return [tuple(r) for r in runs]


def _first_line(lines, what: str, notes: list):
    """Header and footer texts take one line; anything longer is cut, and said so."""
    if len(lines) > 1:
        cut = "".join(line.text for line in lines[1:])
        notes.append(f"{what} is too long for its line; `{cut}` is not shown: shorten it in the spec")
    return lines[:1]


def _header(spec: PageSpec, grid: Grid, metrics, missing: list, notes: list) -> list:
    """报头: the section name large on the left; paper, date and folio on the right; a heavy rule below."""
    st, p = spec.styles, spec.page
    band_top, band_h = grid.header_top, grid.top - grid.header_top
    left, right = grid.left, grid.left + grid.width
    out = []
    rule_y = grid.top - grid.leading * 0.6
    if p.section:
        sec = st["section"]
        lines, miss = _heading_lines(p.section, sec, grid.width / 2, metrics)
        missing += miss
        for line in _first_line(lines, "page.section", notes):
            out += _runs(line, left, rule_y - grid.leading * 0.5 - sec.size * (1 - CJK_ASCENT), "section", "header")
    info = st["header"]
    rows = [t for t in (p.paper, p.date, f"第{p.folio}版" if p.folio else "") if t]
    for k, text in enumerate(reversed(rows)):
        lines, miss = _heading_lines(text, info, grid.width / 2, metrics)
        missing += miss
        for line in _first_line(lines, "a header line", notes):
            y = rule_y - grid.leading * 0.5 - info.leading * k - info.size * (1 - CJK_ASCENT)
            out += _runs(line, right - line.width, y, "header", "header")
    out.append(Rule(left, rule_y, right, rule_y, 2.0, st["section"].color))
    out.append(Rule(left, rule_y + 2.5, right, rule_y + 2.5, 0.5, st["section"].color))
    return out


def _footer(spec: PageSpec, grid: Grid, metrics, missing: list, notes: list) -> list:
    """The foot: a thin rule and the editors' credit line."""
    st = spec.styles["footer"]
    y_rule = grid.bottom + grid.leading * 0.3
    out = [Rule(grid.left, y_rule, grid.left + grid.width, y_rule, RULE_WIDTH, BLACK)]
    if spec.page.credits:
        lines, miss = _heading_lines(spec.page.credits, st, grid.width, metrics)
        missing += miss
        for line in _first_line(lines, "page.credits", notes):
            out += _runs(line, grid.left + grid.width - line.width, grid.baseline(grid.lines + 1, st.size) + grid.leading * 0.3,
                         "footer", "footer")
    return out

"""Story flow: an article's body set once, then flowed through its chain of blocks with jump lines.

A block whose text columns are narrower or wider than the block before it in the chain gets the rest
of the story set again at its own measure, from the character where the block before it stopped."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from ..content import Article
from ..display import Box
from ..flow import flow_balanced, flow_sequential
from ..grid import CJK_ASCENT, Grid
from ..markup import ITEM, TEXT, Para
from ..setbody import Slot, para_text, set_body
from ..spec import Block, PageSpec
from ..text.byline import split_people
from ..text.segment import Span
from .common import BlockResult, Page, block_at, heading_lines, text_runs, with_source
from .headings import draw_heading, plan_heading
from .vertical import draw_vertical, is_vertical, plan_vertical, text_columns


@dataclass(frozen=True)
class Jump:
    """A block's place in its article's chain: its position (0: the first block, with the heading) among
    the chain's blocks, and the folios it continues from and on (None at either end of the chain, and
    between two blocks of one page, which need no jump line)."""
    position: int = 0
    length: int = 1
    from_folio: str | None = None
    to_folio: str | None = None
    from_source: tuple = ()     # (spec file, offsets of the folio named): part of the block memo's key
    to_source: tuple = ()

    @property
    def goes_on(self) -> bool:
        """A later block takes the rest of the story."""
        return self.position + 1 < self.length


def plan_jumps(specs) -> dict:
    """Blocks that share an article form a chain in page order, then spec order: (page index, block id) -> Jump.

    A jump to another page needs that page's folio: a SourceError at `page: folio:` when it is empty."""
    chains: dict = {}
    for index, spec in enumerate(specs):
        for block in spec.blocks:
            if block.article:
                chains.setdefault(block.article, []).append((index, block))
    jumps = {}
    for article, chain in chains.items():
        for k, (index, block) in enumerate(chain):
            prev = chain[k - 1][0] if k else index
            nxt = chain[k + 1][0] if k + 1 < len(chain) else index
            jumps[(index, block.id)] = Jump(k, len(chain), _folio(specs, prev, index, article, "from"),
                                            _folio(specs, nxt, index, article, "on"),
                                            _folio_source(specs, prev, index), _folio_source(specs, nxt, index))
    return jumps


def _folio(specs, other: int, index: int, article: str, way: str) -> str | None:
    """The folio of page `other`, which the jump line of the block on page `index` names."""
    if other == index:
        return None
    spec = specs[other]
    folio = spec.page.folio.strip()
    if not folio:
        raise spec.at("page.folio").error(
            f"`{article}` continues {way} this page {'from' if way == 'on' else 'on'} {specs[index].path.name}, "
            f"whose jump line names this page by its folio: give the page a folio (page: {{folio: {other + 1}}})")
    return folio


def _folio_source(specs, other: int, index: int) -> tuple:
    """(spec file, offsets of its folio's characters) of page `other`, for click to source; () when none."""
    if other == index:
        return ()
    spec = specs[other]
    src = spec.origin("page.folio")
    return (str(spec.path), src) if len(src) == len(spec.page.folio.strip()) else ()


@dataclass(frozen=True)
class Rest:
    """What is left of a story, set at the measure of the block that last took lines from it: its lines,
    the paragraph of each and what of that paragraph's text each sets, and where in its first paragraph
    it begins (a character of a text or item, a line of a band)."""
    measure: float
    lines: tuple
    paras: tuple
    texts: tuple
    offset: int = 0


@dataclass(frozen=True)
class Story:
    """An article's body set into lines once, ready to flow through its chain of blocks."""
    article: Article
    lines: tuple
    missing: tuple
    measure: float
    notes: tuple = ()      # warnings about the body (markup outside the subset, a table too wide)
    paras: tuple = ()      # the paragraph of each line (setbody.Body.paras)
    texts: tuple = ()      # what of its paragraph's text each line sets (setbody.Body.texts)

    def whole(self) -> Rest:
        return Rest(self.measure, self.lines, self.paras, self.texts)


@dataclass(frozen=True)
class Link:
    """A block's place in its chain: the story, what is left of it, the first line of that the block
    takes, and its jump (position and folios)."""
    story: Story
    rest: Rest
    start: int = 0
    jump: Jump = Jump()

    @property
    def first(self) -> bool:
        """The chain's first block: it carries the heading."""
        return self.jump.position == 0

    @property
    def from_folio(self) -> str | None:
        return self.jump.from_folio

    @property
    def to_folio(self) -> str | None:
        return self.jump.to_folio

    def at_measure(self, page: Page, measure: float) -> Link:
        """The link with what is left set at `measure` (itself when the measure is the same)."""
        if abs(measure - self.rest.measure) <= 0.01:
            return self
        return replace(self, rest=reset(page, self.story, self.rest, self.start, measure), start=0)


@dataclass
class Chains:
    """Every article's chain of blocks through the pages of a document, as it is placed page by page:
    each block's jump, each story set once, and where each stands (article -> (Rest, next line))."""
    jumps: dict
    stories: dict = field(default_factory=dict)
    cursor: dict = field(default_factory=dict)

    @classmethod
    def of(cls, specs) -> Chains:
        return cls(plan_jumps(specs))

    def link(self, page: Page, block: Block, art: Article) -> Link:
        """The block's link, setting the article's story (at this block's measure) when it first appears."""
        if block.article not in self.stories:
            self.stories[block.article] = compose_story(page, art, body_measure(page.grid, block))
        story = self.stories[block.article]
        rest, start = self.cursor.get(block.article, (story.whole(), 0))
        return Link(story, rest, start, self.jumps.get((page.index, block.id), Jump()))

    def scratch(self) -> Chains:
        """A copy whose cursor can move without moving this one's (the stories are shared)."""
        return Chains(self.jumps, self.stories, dict(self.cursor))


def body_measure(grid: Grid, block: Block) -> float:
    cols = text_columns(block)
    ncols = min(block.body_columns or cols, cols)
    return (grid.span(cols) - (ncols - 1) * grid.gutter) / ncols


class _Same:
    """An object in a memo key by identity, held so that its id cannot be reused while the key lives."""
    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj

    def __hash__(self) -> int:
        return id(self.obj)

    def __eq__(self, other) -> bool:
        return isinstance(other, _Same) and other.obj is self.obj


_STORIES: dict = {}      # (metrics key, styles, body style, leading, measure, article) -> (Story, face keys used)
STORY_MEMO = 128


def _composers() -> tuple:
    """The composing functions the memoised steps below call, as they stand now: part of the memos' keys,
    so that one replaced (a test's stand-in composer) is called, not answered for."""
    from .. import setbody
    from . import common, headings, vertical
    return tuple(getattr(m, n, None) for m in (setbody, common, headings, vertical)
                 for n in ("compose_paragraph", "compose_heading", "set_body"))


def compose_story(page: Page, art: Article, measure: float) -> Story:
    """Byline run in, typed paragraphs set on the measure (layout/setbody.py): the lines of the whole article.

    Memoised in a process: an unchanged article file (the same Article object: content.load_article's memo)
    in an unchanged spec (the same styles: spec.load_spec's memo) is not set again by a rebuild; the faces
    its lines use are counted as used (metrics.add_faces), as setting them would."""
    mkey = getattr(page.metrics, "key", None)
    if mkey is None:
        return _compose_story(page, art, measure)
    key = (mkey, _Same(page.spec.styles), page.spec.grid.body, page.grid.leading, measure, _Same(art), _composers(),
           set_body)
    return _remembered(_STORIES, STORY_MEMO, key, page, lambda: _compose_story(page, art, measure))


def _remembered(store: dict, limit: int, key, page, make):
    """make()'s answer from the store under key, else made and kept (the store emptied at limit entries).

    The faces the answer's lines use are kept beside it and counted as used on a hit (metrics.add_faces),
    as making it again would."""
    hit = store.get(key)
    if hit is not None:
        made, faces = hit
        page.metrics.add_faces(faces)
        return made
    with page.metrics.track() as faces:
        made = make()
    if len(store) >= limit:
        store.clear()
    store[key] = (made, frozenset(faces))
    return made


def _compose_story(page: Page, art: Article, measure: float) -> Story:
    st = page.spec.styles
    byline = _byline(page, art)
    body = set_body(_paras(art), st, page.spec.grid.body, page.grid.leading, measure, page.metrics, byline,
                    str(art.path), art.origin("byline"))
    notes = art.notes + body.notes
    if art.byline and split_people([ln.text for ln in body.lines if hasattr(ln, "text")], art.byline):
        notes += (f"article `{art.id}`: the byline `{art.byline}` cannot break between people on a "
                  f"{measure:g} pt measure; a title or name is split: shorten it or widen the block",)
    return Story(art, body.lines, body.missing, measure, notes, body.paras, body.texts)


def _paras(art: Article) -> tuple:
    return art.body or tuple(Para(TEXT, ((p, False),)) for p in art.paragraphs)


def _byline(page: Page, art: Article):
    st = page.spec.styles
    return Span(art.byline, st["byline"].font, st["byline"].size, st["byline"].color, people=True) \
        if art.byline else None


def reset(page: Page, story: Story, rest: Rest, start: int, measure: float) -> Rest:
    """The story from line `start` of `rest` on, set again at `measure`: the paragraph it stops in goes on
    from the character after the last one set (no indent), the later paragraphs are set whole."""
    if start >= len(rest.lines):
        return Rest(measure, (), (), ())
    art, para = story.article, rest.paras[start]
    paras, byline = _paras(art), _byline(page, art)
    if para < 0:              # still in a byline standing alone: the whole story
        begin = (0, 0)
    else:
        offset = rest.offset if para == rest.paras[0] else 0
        before = [rest.texts[k] for k in range(start) if rest.paras[k] == para]
        if paras[para].kind in (TEXT, ITEM):
            offset = _after(para_text(paras, para, byline), offset, before)
        else:
            offset += len(before)
        begin = (para, offset)
    body = set_body(paras, page.spec.styles, page.spec.grid.body, page.grid.leading, measure, page.metrics, byline,
                    str(art.path), art.origin("byline"), begin=begin)
    return Rest(measure, body.lines, body.paras, body.texts, begin[1])


def _after(text: str, offset: int, set_texts: list) -> int:
    """The index in `text` just after the characters of `set_texts`, which were set from `offset` on.
    Spaces are not matched (a break may drop them); a set character not in the text (a hyphen added at
    a break) is passed over."""
    k = offset
    for line in set_texts:
        for ch in line:
            if ch.isspace():
                continue
            j = k
            while j < len(text) and text[j].isspace():
                j += 1
            if j < len(text) and text[j] == ch:
                k = j + 1
    while k < len(text) and text[k].isspace():
        k += 1
    return k


def needed_lines(page: Page, block: Block, art: Article, link: Link | None = None) -> int:
    """Grid lines a block of `height: auto` takes: its heading (first block of a chain), its jump lines,
    and its balanced share of what is left of the story."""
    if link is None:
        story = compose_story(page, art, body_measure(page.grid, block))
        link = Link(story, story.whole())
    link = link.at_measure(page, body_measure(page.grid, block))
    ncols = min(block.body_columns or text_columns(block), text_columns(block))
    text = len(link.rest.lines) - link.start + (link.from_folio is not None) + (link.to_folio is not None)
    if not link.first:
        head = _jump_headline(page, block, art, [])[1] if link.from_folio is not None else 0
        return head + max(1, math.ceil(text / ncols))
    head = plan_heading(page, block, art)
    if is_vertical(block):
        top = head.rubric_lines
        return top + max(plan_vertical(page, block, art, top).lines, math.ceil(text / ncols), 1)
    return head.lines + max(1, math.ceil(text / ncols))


def resolve_auto_heights(page: Page, articles: dict, chains: Chains) -> PageSpec:
    """The spec with every `size: [N, auto]` block given the lines its part of the story needs: the
    blocks of a chain before it (on this page, or earlier pages) take their share first."""
    spec = page.spec
    if all(b.lines is not None for b in spec.blocks):
        return spec
    scratch, blocks = chains.scratch(), []
    for b in spec.blocks:
        if b.lines is None and b.kind != "article":
            raise b.where.error(f"block `{b.id}`: only article blocks can have `auto` height")
        if b.kind == "article":
            art = articles[b.article]
            link = scratch.link(page, b, art)
            if b.lines is None:
                b = replace(b, lines=needed_lines(page, b, art, link))
            _, scratch.cursor[b.article] = article_block(page, b, art, link)
        blocks.append(b)
    return replace(spec, blocks=tuple(blocks))


_BLOCKS: dict = {}       # what article_block() reads -> (its result, face keys used)
BLOCK_MEMO = 256


def article_block(page: Page, block: Block, art: Article, link: Link) -> tuple:
    """Heading (first block of a chain only), jump lines, and what is left of the story from the link's
    start on, set at this block's measure: (BlockResult, (what is left, the next line of it)).

    Memoised in a process, on everything it reads: the page's styles, body style, path (in notes), grid
    and metrics, the block, the article and the link (its story and what is left of it, by identity,
    as compose_story and this memo hand them on). A rebuild after an edit places again only the blocks
    whose article (or whose share of a chain) changed; the same display-list items come back for the
    others."""
    mkey = getattr(page.metrics, "key", None)
    if mkey is None:
        return _article_block(page, block, art, link)
    rest = link.rest
    key = (mkey, _Same(page.spec.styles), page.spec.grid.body, str(page.spec.path), page.grid, block, _Same(art),
           _Same(link.story), rest.measure, _Same(rest.lines), _Same(rest.paras), _Same(rest.texts), rest.offset,
           link.start, link.jump, _composers(), set_body)
    return _remembered(_BLOCKS, BLOCK_MEMO, key, page, lambda: _article_block(page, block, art, link))


def _article_block(page: Page, block: Block, art: Article, link: Link) -> tuple:
    spec, grid = page.spec, page.grid
    measure = body_measure(grid, block)
    link = link.at_measure(page, measure)
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
    top_line = block.line + head_lines
    capacity = max(0, block.line + block.lines - top_line)
    jump_in = _jump_line(page, "上接", link.from_folio, link.jump.from_source, measure) \
        if link.from_folio is not None else None
    jump_out = _jump_line(page, "下转", link.to_folio, link.jump.to_source, measure) \
        if link.to_folio is not None else None
    remaining = link.rest.lines[start:]
    lead = (jump_in,) if jump_in else ()
    if link.jump.goes_on:          # fill the columns in turn; the chain's next block takes the rest
        tail = (jump_out,) if jump_out else ()
        room = max(0, ncols * capacity - len(lead) - len(tail))
        body = _whole_units(remaining[:room]) if room < len(remaining) else remaining
        flowed = flow_sequential(lead + body + tail, ncols, capacity)
        while flowed.overflow and body:      # lines kept together pushed some out: jump before them
            body = _whole_units(body[:max(0, len(body) - len(flowed.overflow))])
            flowed = flow_sequential(lead + body + tail, ncols, capacity)
        consumed = len(body)
    else:
        flowed = flow_balanced(lead + remaining, ncols, capacity)
        consumed = max(0, len(remaining) - len(flowed.overflow) - len(lead))
    for col, row, line in flowed.placed:
        x = x0 + col * (measure + grid.gutter)
        role = "jump" if line is jump_in or line is jump_out else "body"
        if line is jump_out:
            x += measure - line.width
        if isinstance(line, Slot):
            items += line.at(x, grid.line_top(top_line + row), block.id)
            continue
        items += text_runs(line, x, grid.baseline(top_line + row), role, block.id)
    if link.jump.goes_on:          # the chain goes on: this block's report is the chain's last block's
        flowed = None
    return BlockResult(block.id, art.id, art.chars, flowed, tuple(missing), tuple(items), tuple(notes),
                       round(measure / grid.body_size)), (link.rest, start + consumed)


def _whole_units(lines: tuple) -> tuple:
    """The lines a block takes before the chain's next block, without the first lines of a unit kept with
    what follows (a pull quote's or table's rows, a crosshead) that would lose the rest of it to the next
    block: the unit goes on there whole (a pull quote cut so drew its lines below the block's foot). A
    unit longer than everything the block takes is cut where it must be."""
    k = len(lines)
    while k and getattr(lines[k - 1], "keep", False):
        k -= 1
    return lines[:k] if k else lines


def _jump_line(page: Page, way: str, folio: str, source: tuple, measure: float):
    """（上接第N版） or （下转第N版）: the number carries the offsets of the folio it names (`page: folio:` of
    that page's spec); the words around it are typed nowhere (-1: the studio answers the nearest number)."""
    text = f"（{way}第{folio}版）"
    lines, _ = heading_lines(text, page.spec.styles["byline"], measure, page.metrics, display=False)
    if source:
        file, at = source
        lines = with_source(lines, text, (-1,) * 4 + tuple(at) + (-1,) * 2, file)
    return lines[0]


def jump_headline_source(art: Article) -> tuple:
    """The file offsets of the jump headline's characters: its own, or its headline's (the first phrase)."""
    if art.jump_headline:
        return art.origin("jump_headline")
    text, src = jump_headline_text(art), art.origin("headline")
    start = art.headline.find(text)
    return tuple(src[start:start + len(text)]) if src and start >= 0 and len(src) == len(art.headline) else ()


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
    lines = with_source(lines, text, jump_headline_source(art), art.path)
    missing += miss
    group = len(lines) * style.leading
    taken = math.ceil(group / grid.leading - 1e-6) + 1
    y = grid.line_top(block.line) + (taken * grid.leading - group) / 2
    items = []
    for line in lines:
        baseline = y + (style.leading - style.size) / 2 + CJK_ASCENT * style.size
        items += text_runs(line, grid.col_x(block.col) + (width - line.width) / 2, baseline, "jump_headline", block.id)
        y += style.leading
    return items, taken if block.lines is None else min(taken, block.lines)      # None: an `auto` height


TINT_PAD = 0.35        # of a gutter and of a line: how far a tint reaches beyond the block's text


def _tint_box(page: Page, block: Block) -> Box:
    """The block's tint, reaching a third of a gutter beyond its columns and of a line above and below its
    lines (clear of the rules between blocks), so that the text keeps its measure inside a margin of tint."""
    grid = page.grid
    pad_x, pad_y = grid.gutter * TINT_PAD, grid.leading * TINT_PAD
    top = grid.line_top(block.line) - pad_y
    return Box(grid.col_x(block.col) - pad_x, top, grid.span(block.cols) + 2 * pad_x,
               block.lines * grid.leading + 2 * pad_y, block.tint)

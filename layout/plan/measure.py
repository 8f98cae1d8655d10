"""What the planner knows exactly: lines of every story's body and heading, and of every caption, per width."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

from ..content import Article, count_chars
from ..place import Page, body_measure, compose_story, plan_heading
from ..place.common import heading_lines
from ..place.headings import HEAD_GAP
from ..spec import Block
from ..text.compose import compose_paragraph
from ..text.segment import Span


@dataclass(frozen=True)
class StoryIn:
    """A story to plan: its article, rank (1 = lead), and its photo (path, pixel aspect, caption article)."""
    article: Article
    rank: int
    photo: str | None = None
    aspect: float | None = None     # photo width / height in pixels
    caption: Article | None = None

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def has_text(self) -> bool:
        return bool(self.article.paragraphs or self.article.headline) and self.caption is not self.article


@dataclass(frozen=True)
class HeadFit:
    """A heading at one width and headline size: its whole lines and where the headline stands in them."""
    size: float
    lines: int               # rubric + centred zone, before any padding
    rubric_lines: int
    group: float             # pt, height of kicker + headline + subhead
    above: float             # pt from the top of the group to the headline
    headline_h: float        # pt, height of the headline lines
    headline_lines: int


class Measurer:
    """Line counts from the composer, cached per (story, width, size)."""

    def __init__(self, spec, grid, metrics):
        self.spec, self.grid, self.metrics = spec, grid, metrics
        self.page = Page(spec, grid, metrics)
        self._body: dict = {}
        self._chars: dict = {}
        self.head = lru_cache(maxsize=None)(self._head)
        self.caption_lines = lru_cache(maxsize=None)(self._caption_lines)

    def body_lines(self, art: Article, cols: int = 1, text_cols: int = 1) -> int:
        """Lines of the body set in `text_cols` columns across `cols` grid columns (all of them together;
        one text column per grid column gives the same count at every width)."""
        key = (art.id, art.paragraphs, 1, 1) if cols == text_cols else (art.id, art.paragraphs, cols, text_cols)
        if key not in self._body:
            block = Block(id="plan", col=1, line=1, cols=key[2], lines=None, where=self.spec.where, article=art.id,
                          body_columns=key[3])
            story = compose_story(self.page, art, body_measure(self.grid, block))
            self._body[key] = len(story.lines)
            self._chars[key] = tuple(count_chars(getattr(ln, "text", "") or "") for ln in story.lines)
        return self._body[key]

    def chars_cut(self, art: Article, cols: int, text_cols: int, lines: int) -> int:
        """Characters in the last `lines` lines of the body set as in `body_lines`: what a cut of that many
        lines takes away."""
        self.body_lines(art, cols, text_cols)
        key = (art.id, art.paragraphs, 1, 1) if cols == text_cols else (art.id, art.paragraphs, cols, text_cols)
        return sum(self._chars[key][len(self._chars[key]) - lines:]) if lines > 0 else 0

    def chars_to_cut(self, art: Article, cols: int, text_cols: int, lines: int) -> tuple:
        """(the characters to take from the end of the body for it to set in `lines` fewer lines, the lines it
        then takes): the last lines' characters, checked by composing the shortened body (a line break can move
        when the text ends earlier), more taken until it does; a table or a list marker the cut reaches goes
        whole, and the lines with it."""
        whole = self.body_lines(art, cols, text_cols)
        target = whole - lines
        chars = self.chars_cut(art, cols, text_cols, lines)
        block = Block(id="plan", col=1, line=1, cols=cols, lines=None, where=self.spec.where, article=art.id,
                      body_columns=text_cols)
        for _ in range(20):
            short = shortened(art, chars)
            story = compose_story(self.page, short, body_measure(self.grid, block))
            if len(story.lines) <= target:
                break
            chars += max(1, sum(count_chars(getattr(ln, "text", "") or "") for ln in story.lines[target:]))
        return art.chars - short.chars, whole - len(story.lines)

    def fixed_band(self, block: Block, art: Article) -> tuple:
        """(pt from the top of a fixed article block to its headline's first line, the headline's height):
        where its headline stands, for the tombstone rule (0 height: no headline)."""
        fit = self._head(art, block.cols, block.headline_size, block)
        g = self.grid
        zone = fit.lines - fit.rubric_lines
        return (fit.rubric_lines * g.leading + (zone * g.leading - fit.group) / 2 + fit.above, fit.headline_h)

    def _head(self, art: Article, cols: int, size: float, block: Block | None = None) -> HeadFit:
        block = block or Block(id="plan", col=1, line=1, cols=cols, lines=None, where=self.spec.where,
                               article=art.id, headline_size=size)
        head = plan_heading(self.page, block, art)
        above, headline_h, n = 0.0, 0.0, 0
        for role, lines, style in head.parts:
            if role == "headline":
                headline_h, n = len(lines) * style.leading, len(lines)
                break
            above += len(lines) * style.leading + HEAD_GAP * self.grid.leading
        return HeadFit(size, head.lines, head.rubric_lines, head.group, above, headline_h, n)

    def _caption_lines(self, caption: Article | None, cols: int) -> int:
        if caption is None:
            return 0
        st, width = self.spec.styles, self.grid.span(cols)
        text = "".join(caption.paragraphs)
        lines = 0
        if text:
            cap, _ = compose_paragraph([Span(text, st["caption"].font, st["caption"].size, st["caption"].color)],
                                       width, self.metrics, self.grid.body_size, indent=0.0)
            lines += len(cap)
        if caption.credit:
            lines += len(heading_lines(caption.credit, st["credit"], width, self.metrics)[0])
        return lines

    def frame_range(self, aspect: float, cols: int, max_crop: float) -> tuple:
        """Frame heights (whole lines) whose aspect is within `max_crop` of the photo's: (fewest, most)."""
        g = self.grid
        width = g.span(cols)
        shortest = width / (aspect / (1 - max_crop))          # frame wider than the photo: height cropped
        tallest = width / (aspect * (1 - max_crop))           # narrower: width cropped
        lo = math.ceil((shortest + 0.3 * g.leading) / g.leading - 1e-9)
        hi = math.floor((tallest + 0.3 * g.leading) / g.leading + 1e-9)
        return lo, hi

    def frame_aspect(self, cols: int, frame_lines: int) -> float:
        g = self.grid
        return g.span(cols) / (frame_lines * g.leading - 0.3 * g.leading)


def _cut_text(text: str, chars: int) -> tuple:
    """(the text without its last `chars` counted characters, how many it had)."""
    n = count_chars(text)
    if n <= chars:
        return "", n
    keep, k = n - chars, 0
    for pos, ch in enumerate(text):
        k += not ch.isspace()
        if k == keep:
            return text[:pos + 1], n
    return text, n


def lengthened(art: Article, times: int) -> Article:
    """The article with its body `times` over (its paragraphs repeated in order): a stand-in for a longer text."""
    return replace(art, paragraphs=tuple(art.paragraphs) * times, body=tuple(art.body) * times)


def shortened(art: Article, chars: int) -> Article:
    """The article without the last `chars` characters of its body (counted as `count_chars` counts them),
    each typed paragraph (`body`) cut in step with the text it shows (`paragraphs`: a list item's marker
    included, so the two never disagree); a table, or a marker, the cut reaches goes whole."""
    paras, body, left = list(art.paragraphs), list(art.body), chars
    typed = len(body) == len(paras)
    while left > 0 and paras:
        text, n = _cut_text(paras.pop(), left)
        para = body.pop() if typed else None
        if text and para is not None:
            para = _kept(para, n - left)
            text = para.text if para is not None else ""
        if text:
            paras.append(text)
            if para is not None:
                body.append(para)
        left -= n
    return replace(art, paragraphs=tuple(paras), body=tuple(body) if typed else art.body)


def _kept(para, keep: int):
    """The typed paragraph with only its first `keep` counted characters (its marker first), or None when
    the cut reaches a table or into the marker."""
    keep -= count_chars(para.marker)
    if not para.runs or keep <= 0:
        return None
    runs = []
    for text, *rest in para.runs:
        n = count_chars(text)
        if n >= keep:
            runs.append((_cut_text(text, n - keep)[0], *rest))
            break
        runs.append((text, *rest))
        keep -= n
    shown = sum(len(text) for text, *_ in runs)
    return replace(para, runs=tuple(runs), src=para.src[:shown])

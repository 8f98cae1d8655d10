"""Candidate shapes of one story at one width: every exact height it can take, the best way for each."""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from . import rules as R
from .measure import Measurer, StoryIn


@dataclass(frozen=True)
class Part:
    """A block of a story's rectangle, relative to the rectangle's top-left cell."""
    kind: str                 # "text" or "photo"
    dcol: int
    dline: int
    cols: int
    lines: int
    headline_size: float = 0.0
    head_lines: int = 0       # the centred zone's lines (without the rubric), padding included
    text_cols: int = 0        # text columns (0: one per grid column)
    pad: int = 0
    band: tuple = (0.0, 0.0)  # pt from the block top: where the headline's lines start, their height
    empty: int = 0            # empty line slots in the text columns
    crop: float = 0.0         # |log(frame aspect / photo aspect)|
    cut: int = 0              # body lines that would have to go for the text to fit (only when told to cut)


@dataclass(frozen=True)
class Leaf:
    """One story placed as a rectangle of `cols` x `lines` cells, made of its parts."""
    story: int
    cols: int
    lines: int
    parts: tuple
    penalty: float            # the story's own share of the score (padding, empty lines, crop, headline size)
    variants: tuple = field(default=(), compare=False, repr=False)   # other Leafs of this size, headlines elsewhere

    @property
    def empty(self) -> int:
        return sum(p.empty for p in self.parts)

    @property
    def cut(self) -> int:
        return sum(p.cut for p in self.parts)


VARIANTS = 4           # other shapes of one size kept per Leaf (headline elsewhere), for tombstone repair


def _headline_at(leaf) -> tuple:
    """Where a leaf's headline stands: (its text part's line, pt from that line to the headline's top)."""
    text = next((p for p in leaf.parts if p.kind == "text"), None)
    return (text.dline, round(text.band[0], 1), text.headline_size) if text else ()


def target_size(rank: int, count: int) -> float:
    """The headline size for a story's rank: the top of HEADLINE_RANGE for the lead, falling to the bottom."""
    low, high = R.HEADLINE_RANGE
    if count <= 1:
        return high
    size = high - (high - low) * (rank - 1) / (count - 1)
    return max(low, min(high, round(size)))


def _text_options(story: StoryIn, cols: int, m: Measurer, target: float, trim: bool = False) -> list:
    """(height, Part, penalty) for the story's text in `cols` grid columns: one text column per grid column,
    or (from WIDE_TEXT_FROM columns on) one fewer, wider text column."""
    out = []
    for tcols in (cols, cols - 1):
        if tcols < 1 or (tcols < cols and not R.WIDE_TEXT[0] <= cols <= R.WIDE_TEXT[1]):
            continue
        out += _text_options_in(story, cols, tcols, m, target, trim)
    return out


def _text_options_in(story: StoryIn, cols: int, tcols: int, m: Measurer, target: float, trim: bool = False) -> list:
    """Every (height, Part, penalty) of the text in `tcols` text columns; with `trim`, also every shorter depth,
    its last lines cut (the planner's way to say how much of a story that does not fit would have to go)."""
    full = m.body_lines(story.article, cols, tcols)
    out = []
    for body_total in (range(full, 0, -1) if trim else (full,)):
        out += _text_depth(story, cols, tcols, m, target, body_total, full - body_total)
        if trim and body_total < R.MIN_DEPTH * tcols:
            break
    return out


def _text_depth(story: StoryIn, cols: int, tcols: int, m: Measurer, target: float, body_total: int,
                cut: int) -> list:
    depth = math.ceil(body_total / tcols) if body_total else 1
    if depth > R.MAX_DEPTH or (depth < R.MIN_DEPTH and tcols > R.MIN_TEXT_COLS):
        return []
    if cut and body_total % tcols:          # a cut text ends level: whole rows of lines
        return []
    empty = depth * tcols - body_total
    wide = R.W_WIDE_TEXT if tcols < cols else 0.0
    out = []
    sizes = sorted({target, max(R.HEADLINE_RANGE[0], target - R.HEADLINE_STEP)}, reverse=True)
    g = m.grid
    for size in sizes:
        head = m.head(story.article, cols, size)
        if head.headline_lines > R.MAX_HEADLINE_LINES:
            continue
        off = (target - size) / R.HEADLINE_STEP
        for pad in range(R.MAX_HEAD_PAD + 1):
            zone = head.lines - head.rubric_lines + pad
            top = head.rubric_lines * g.leading + (zone * g.leading - head.group) / 2 + head.above
            part = Part("text", 0, 0, cols, head.lines + pad + depth, size, zone, 0 if tcols == cols else tcols,
                        pad, (top, head.headline_h), empty, cut=cut)
            penalty = (pad * R.W_HEAD_PAD + empty * R.W_EMPTY_LINE + off * R.W_HEADLINE_OFF + wide
                       + cut * R.W_CUT_LINE)
            out.append((part.lines, part, penalty))
    return out


def _frames(story: StoryIn, cols: int, m: Measurer) -> list:
    """(block lines, frame lines, crop) for the story's photo `cols` wide, caption included."""
    if cols < R.MIN_PHOTO_COLS:
        return []
    lo, hi = m.frame_range(story.aspect, cols, R.MAX_CROP)
    cap = m.caption_lines(story.caption, cols)
    return [(f + cap, f, abs(math.log(m.frame_aspect(cols, f) / story.aspect)))
            for f in range(max(lo, R.MIN_FRAME_LINES), hi + 1)]


def leaf_options(index: int, story: StoryIn, cols: int, m: Measurer, target: float, trim: bool = False) -> dict:
    """{height: best Leaf} for story `index` in a rectangle `cols` wide (`trim`: its text may be cut)."""
    best: dict = {}
    others: dict = {}

    def offer(lines, parts, penalty):
        leaf = Leaf(index, cols, lines, tuple(parts), penalty)
        if lines not in best or penalty < best[lines].penalty:
            if lines in best:
                others.setdefault(lines, []).append(best[lines])
            best[lines] = leaf
        else:
            others.setdefault(lines, []).append(leaf)

    def with_variants(shapes: dict) -> dict:
        """Each best Leaf with up to VARIANTS others of its size whose headline stands elsewhere (a way out of
        a tombstone that keeps the tiling)."""
        out = {}
        for lines, leaf in shapes.items():
            seen, kept = {_headline_at(leaf)}, []
            for other in sorted(others.get(lines, ()), key=lambda o: o.penalty):
                at = _headline_at(other)
                if at not in seen and len(kept) < VARIANTS:
                    seen.add(at)
                    kept.append(other)
            out[lines] = replace(leaf, variants=tuple(kept))
        return out

    if story.photo is None:
        if cols >= R.MIN_TEXT_COLS:
            for lines, part, pen in _text_options(story, cols, m, target, trim):
                offer(lines, [part], pen)
        return with_variants(best)
    if not story.has_text:              # a picture story: the photo and its caption
        for lines, f, crop in _frames(story, cols, m):
            offer(lines, [Part("photo", 0, 0, cols, lines, crop=crop)], crop * R.W_CROP)
        return with_variants(best)
    if cols >= max(R.MIN_TEXT_COLS, R.MIN_PHOTO_COLS):          # photo above the text, full width
        texts = _text_options(story, cols, m, target, trim)
        for plines, f, crop in _frames(story, cols, m):
            for tlines, part, pen in texts:
                text = Part(**{**part.__dict__, "dline": plines})
                offer(plines + tlines, [Part("photo", 0, 0, cols, plines, crop=crop), text], pen + crop * R.W_CROP)
    for pcols in range(R.MIN_PHOTO_COLS, cols - R.MIN_TEXT_COLS + 1):   # photo beside the text, on the right
        tcols = cols - pcols
        frames = {lines: (f, crop) for lines, f, crop in _frames(story, pcols, m)}
        for tlines, part, pen in _text_options(story, tcols, m, target, trim):
            if tlines in frames:
                crop = frames[tlines][1]
                offer(tlines, [part, Part("photo", tcols, 0, pcols, tlines, crop=crop)], pen + crop * R.W_CROP)
    return with_variants(best)

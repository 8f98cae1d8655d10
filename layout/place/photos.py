"""Photo blocks: the picture frame, its caption and credit underneath."""
from __future__ import annotations

from ..content import Article
from ..display import Picture
from ..flow import Flowed
from ..spec import Block
from ..text.byline import split_people
from ..text.compose import compose_paragraph
from ..text.segment import Span
from .common import BlockResult, Page, heading_lines, text_runs, with_source


MIN_FRAME_LINES = 2    # a photo frame is never shorter than this, caption or not


def caption_source(caption: Article) -> tuple:
    """The file offset of each character of the caption's joined paragraphs (-1 for list markers), or ()."""
    src = []
    for para in caption.body:
        text = para.text
        own = tuple(para.src) if len(para.src) == len(text) - len(para.marker) else ()
        mark = list(range(para.marker_at, para.marker_at + len(para.marker))) if para.marker_at >= 0 else []
        src += mark + [-1] * (len(text) - len(own) - len(mark)) + list(own)
    return tuple(src) if len(src) == len("".join(caption.paragraphs)) else ()


def photo_block(page: Page, block: Block, caption: Article | None) -> BlockResult:
    """The frame at the block's top, the caption and credit lines under it; what does not fit is reported."""
    grid, metrics = page.grid, page.metrics
    st, items, missing, notes = page.spec.styles, [], [], []
    x0, width = grid.col_x(block.col), grid.span(block.cols)
    lines = []
    if caption is not None:
        text = "".join(caption.paragraphs)
        cap, miss = compose_paragraph([Span(text, st["caption"].font, st["caption"].size, st["caption"].color)],
                                      width, metrics, grid.body_size, indent=0.0)
        missing += [(m.char, m.font) for m in miss]
        lines.extend(with_source(cap, text, caption_source(caption), caption.path))
        if caption.credit:
            credit, miss = heading_lines(caption.credit, st["credit"], width, metrics, people=True)
            missing += miss
            credit = with_source(credit, caption.credit, caption.origin("credit"), caption.path)
            if split_people([c.text for c in credit], caption.credit):
                notes.append(f"caption `{caption.id}`: the credit `{caption.credit}` cannot break between people "
                             f"in {width:g} pt; a title or name is split: shorten it")
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
            items += text_runs(line, x, grid.baseline(block.line + frame_lines + k), role, block.id)
    flowed = None if caption is None else Flowed(     # None: no text to report, as for an ad
        placed=tuple(p for p in placed if p[1] < fitting), capacity=fitting, columns=1,
        overflow=tuple(p[2] for p in placed if p[1] >= fitting), empty_lines=0)
    chars = caption.chars + sum(1 for ch in caption.credit if not ch.isspace()) if caption else 0
    return BlockResult(block.id, caption.id if caption else block.id, chars, flowed, tuple(missing), tuple(items),
                       tuple(notes), max(1, round(width / st["caption"].size)))

"""What every placer shares: the block result, set lines turned into text runs, colours and rules."""
from __future__ import annotations

from dataclasses import dataclass

from ..display import TextRun
from ..flow import Flowed
from ..grid import CJK_ASCENT, Grid
from ..spec import Block, PageSpec, Style
from ..text.compose import compose_heading
from ..text.justify import located
from ..text.segment import Span


BLACK = (0.0, 0.0, 0.0, 1.0)
WHITE = (0.0, 0.0, 0.0, 0.0)
RULE_WIDTH = 0.5


@dataclass(frozen=True)
class Page:
    """The page being placed: its spec, its grid, the metrics its text is measured with, and its
    index among the pages of its document (0 for a page built alone)."""
    spec: PageSpec
    grid: Grid
    metrics: object
    index: int = 0


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


def text_runs(line, x0: float, baseline: float, role: str, block: str) -> list:
    """A set line's runs on the page, each with its characters' offsets in the source file (when known)."""
    src = getattr(line, "src", ())
    return [TextRun(x=round(x0 + r.x, 3), y=round(baseline, 3), text=r.text, face=r.face, size=r.size,
                    color=r.color, role=role, block=block, tracking=r.tracking, hscale=r.hscale,
                    src=src[k] if k < len(src) else (), file=line.file if src else "")
            for k, r in enumerate(line.runs)]


def with_source(lines, text: str, src: tuple, file) -> tuple:
    """Set lines of `text` (one span) with the file offsets of its characters, when `src` matches it."""
    if not src or len(src) != len(text):
        return tuple(lines)
    return tuple(located(line, src, str(file)) for line in lines)


def heading_lines(text: str, style: Style, measure: float, metrics, people: bool = False, display: bool = True):
    """Lines of a heading-like text at natural width; people: a credit, broken only between people;
    display=False: a line set in a text column (a jump line), whose opening mark keeps its em."""
    lines, missing = compose_heading([Span(text, style.font, style.size, style.color, people)], measure, metrics,
                                     style.size, display=display)
    return lines, [(m.char, style.font) for m in missing]


def baseline_in(top: float, pitch: float, size: float) -> float:
    """Baseline of type `size` whose em box is centred in a band of height `pitch`."""
    return top + (pitch - size) / 2 + CJK_ASCENT * size


def block_at(spec: PageSpec, block: Block) -> str:
    """FILE:LINE:COL of a block in its spec, for warnings."""
    return f"{spec.path}:{block.where.line}:{block.where.col}"

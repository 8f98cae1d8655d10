"""The display list: what a page shows, in absolute points from the trim box's top-left corner."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextRun:
    """Glyphs on a baseline; each advances its font width plus tracking (PDF Tc), scaled by hscale."""
    x: float
    y: float
    text: str
    face: str
    size: float
    color: tuple
    role: str
    block: str
    tracking: float = 0.0
    hscale: float = 1.0
    rotate: float = 0.0        # degrees clockwise about (x, y): a vertical headline's turned marks and Latin
    src: tuple = ()            # the offset of each character in `file` (-1: not in it, e.g. an added hyphen)
    file: str = ""             # the article file the text was set from ("" for furniture: folios, jump lines)


@dataclass(frozen=True)
class Rule:
    """A straight line (column rules, block rules, header and footer rules)."""
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    color: tuple


@dataclass(frozen=True)
class Box:
    """A filled rectangle (rubric labels)."""
    x: float
    y: float
    w: float
    h: float
    color: tuple


@dataclass(frozen=True)
class Framed:
    """A file placed in a block's frame (x, y: its top left, pt); `source` is the file the spec named."""
    x: float
    y: float
    w: float
    h: float
    source: str
    block: str


@dataclass(frozen=True)
class Picture(Framed):
    """A photo cropped to its frame."""


@dataclass(frozen=True)
class Artwork(Framed):
    """The first page of a delivered PDF (an advertisement) placed as a form XObject, scaled to fit the frame
    and centred."""


@dataclass(frozen=True)
class PageLayout:
    """One page: trim size, bleed and everything drawn on it, in drawing order."""
    width: float
    height: float
    bleed: float
    items: tuple
    title: str = ""
    slug: float = 0.0          # room outside the bleed (crop marks, the slug line)
    marks: bool = False        # draw crop marks

"""Vertical headlines and kickers (竖题): cells top to bottom, Han upright, marks in their vertical forms.

A mark the font substitutes in vertical text (its `vert`/`vrt2` GSUB features: ，。、 in the upper right,
brackets and quotes turned, ：；！？… as the type designer drew them) is drawn upright in its em cell with
that very glyph, from a face derived from the font whose cmap maps the mark's own code point to its
vertical form (fonts/vertical.py): the PDF's text still extracts as typed. Only where the font has no
vertical form (a dash in Noto CJK; a font without GSUB) is it made by position and rotation of the
horizontal glyph:
- ，。、． move from the lower left to the upper right of their em cell (their vertical form);
- brackets, quotes, ：；, dashes, ellipses and ～ turn 90° clockwise (as the font's vert forms are drawn);
- ！？ and Han stand upright, centred;
- Latin letters and digits (clreq 3.3, mixed text in vertical writing): a run of one or two characters
  stands upright in one em cell (two digits side by side, 纵中横, squeezed to the em if wider); a longer run
  turns 90° clockwise and takes its own length.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from . import classes as C
from .segment import Metrics

CORNER = frozenset("，。、．")
TURNED = C.OPENING | C.CLOSING | frozenset("：；—…～–-") | frozenset("()[]{}<>")
UPRIGHT_RUN = 2            # Latin/digit runs up to this length stand upright (clreq 3.3)
ASCENT = 0.88              # the em box above the baseline (as the grid's)


@dataclass(frozen=True)
class Cell:
    """One step down the column: text drawn at (dx, dy) from the cell's top centre, turned `rotate`°."""
    text: str
    face: str
    size: float
    height: float
    dx: float            # the glyph origin from the column's centre line
    dy: float            # the glyph origin (baseline, or the top for turned text) from the cell's top
    rotate: float = 0.0
    hscale: float = 1.0
    at: int = -1         # index of the cell's first character in the text set (click to source)


@dataclass(frozen=True)
class Column:
    """A vertical line of cells; `height` is their total."""
    cells: tuple
    height: float
    size: float


def _runs(text: str) -> list:
    """(unit, index of its first character): Han and marks one by one; Latin letters and digits in runs."""
    out, k = [], 0
    while k < len(text):
        ch = text[k]
        if ch.isspace():
            out.append((" ", k))
            k += 1
            continue
        if ch.isascii() and ch.isalnum():
            j = k
            while j < len(text) and text[j].isascii() and (text[j].isalnum() or text[j] in ".,%"):
                j += 1
            out.append((text[k:j], k))
            k = j
            continue
        out.append((ch, k))
        k += 1
    return out


def _vertical_form(metrics: Metrics, font: str, unit: str):
    """(face key, advance) of a mark's vertical form from the font (its vert/vrt2 substitute), or None:
    for single non-Latin characters only (Latin and digits follow clreq 3.3 below)."""
    ask = getattr(metrics, "vertical", None)
    if ask is None or len(unit) != 1 or unit.isascii():
        return None
    return ask(font, unit)


def _compress(cells: list, em: float) -> list:
    """Adjacent marks in vertical form (em cells) share their blanks, as in horizontal lines (clreq 3.1.6):
    a closing mark or ，。、 (ink in the upper half) before another mark loses its lower half; an opening
    mark (ink in the lower half) after an opening mark loses its upper half."""
    def vert(c):
        return c.rotate == 0 and c.height == em and c.text in (C.OPENING | C.CLOSING | CORNER)

    out = list(cells)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        if not (vert(a) and vert(b)):
            continue
        if a.text in C.CLOSING | CORNER:
            out[k] = replace(a, height=em / 2)
        elif a.text in C.OPENING and b.text in C.OPENING:
            out[k + 1] = replace(b, height=em / 2, dy=b.dy - em / 2)
    return out


def set_vertical(text: str, font: str, size: float, metrics: Metrics, height: float):
    """Columns (right to left) of `text` set top to bottom, each at most `height` tall; (columns, missing)."""
    cells, missing = [], []
    em = size
    for unit, at in _runs(text):
        if unit == " ":
            cells.append(Cell("", "", size, em / 2, 0.0, 0.0, at=at))
            continue
        found = [metrics.glyph(font, ch) for ch in unit]
        if any(f is None for f in found):
            missing += [ch for ch, f in zip(unit, found) if f is None]
            continue
        face = found[0][0]
        vert = _vertical_form(metrics, font, unit)
        if vert is not None:                                   # the font's own vertical form, upright
            cells.append(Cell(unit, vert[0], size, em, -vert[1] * em / 2, ASCENT * em, at=at))
            continue
        width = sum(f[1] for f in found) * em
        if len(unit) > 1 and len(unit) > UPRIGHT_RUN:          # a long Latin run turns 90° clockwise
            cells.append(Cell(unit, face, size, width, -(ASCENT - 0.5) * em, 0.0, rotate=90.0, at=at))
        elif len(unit) > 1 or unit.isascii():                  # one or two stand upright in one em (纵中横)
            scale = min(1.0, 0.95 * em / width) if width else 1.0
            cells.append(Cell(unit, face, size, em, -width * scale / 2, ASCENT * em, hscale=scale, at=at))
        elif unit in CORNER:
            cells.append(Cell(unit, face, size, em, 0.0, (ASCENT - 0.5) * em, at=at))
        elif unit in TURNED:
            adv = found[0][1] * em
            cells.append(Cell(unit, face, size, adv, -(ASCENT - 0.5) * em, 0.0, rotate=90.0, at=at))
        else:
            adv = found[0][1] * em
            cells.append(Cell(unit, face, size, em, -adv / 2, ASCENT * em, at=at))
    cells = _compress(cells, em)
    columns, cur, used = [], [], 0.0
    for cell in cells:
        if cur and used + cell.height > height + 0.01:
            # the column-head and column-foot prohibitions as for lines: a mark that may not start a
            # column takes the character before it along (后推出), as does an opening mark at the foot
            carry, head = [], cell
            while len(cur) > 1 and (head.text[:1] in C.NO_START or cur[-1].text[-1:] in C.NO_END):
                head = cur.pop()
                carry.insert(0, head)
            columns.append(Column(tuple(cur), sum(c.height for c in cur), size))
            cur, used = carry, sum(c.height for c in carry)
        if not cur and not cell.text:
            continue                                   # no space at a column's head
        cur.append(cell)
        used += cell.height
    if cur:
        columns.append(Column(tuple(cur), used, size))
    return [_head_cut(c, em) for c in columns], missing


def _head_cut(column: Column, em: float) -> Column:
    """An opening mark at a column's head is set in its half box: its blank upper half dropped, so that
    its ink stands at the column's top as the next column's first character does (clreq: an opening
    bracket at the start of a line may lose its blank; the same rule as a heading line's start)."""
    head = column.cells[0] if column.cells else None
    if head is None or head.text not in C.OPENING or head.height < em - 0.01:
        return column
    if head.rotate:          # the horizontal glyph turned: its leading blank is on top, above dy
        cut = replace(head, height=head.height - em / 2, dy=head.dy - em / 2)
    else:                    # the font's vertical form, its ink in the lower half of the em
        cut = replace(head, height=em / 2, dy=head.dy - em / 2)
    cells = (cut,) + column.cells[1:]
    return Column(cells, sum(c.height for c in cells), column.size)

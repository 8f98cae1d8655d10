"""Distribute a line's slack by clreq's priorities and turn it into positioned glyph runs."""
from __future__ import annotations

from dataclasses import dataclass

from . import classes as C
from .linebreak import TOLERANCE, LineFit, Paragraph
from .segment import Atom


@dataclass(frozen=True)
class Run:
    """Glyphs drawn from x on the baseline: each advances its font width plus `tracking`."""
    x: float
    text: str
    face: str
    size: float
    color: tuple
    tracking: float = 0.0
    hscale: float = 1.0
    at: tuple = ()            # per character: its index in the spans' joined text (-1: added, e.g. a hyphen)


@dataclass(frozen=True)
class SetLine:
    """A composed line: runs relative to the line start, its set width and measure."""
    runs: tuple
    width: float
    measure: float
    last: bool
    text: str
    hyphen: bool = False      # ends with a hyphen the composer added (not a character of the text)
    src: tuple = ()           # per run: the source file offset of each character (-1: none); see located()
    file: str = ""            # the source file those offsets are in ("" when the composer's caller gave none)

    @property
    def chars(self) -> int:
        return sum(1 for ch in self.text if not ch.isspace()) - (1 if self.hyphen else 0)


def located(line: SetLine, table, file: str) -> SetLine:
    """The line with each character's offset in its source file: `table[i]` is the file offset of
    character i of the spans' joined text (the composer's Run.at), -1 where unknown."""
    n = len(table)
    return SetLine(line.runs, line.width, line.measure, line.last, line.text, line.hyphen,
                   tuple(tuple(table[i] if 0 <= i < n else -1 for i in r.at) for r in line.runs), file)


def set_line(par: Paragraph, fit: LineFit, spans, justify: bool = True) -> SetLine:
    """Positions for atoms fit.start..fit.end: shrink or stretch to the measure unless it is a last line."""
    i, j = fit.start, fit.end
    atoms, gaps = par.atoms, par.gaps
    excess = fit.natural - par.measure
    atom_cut = {}                      # shrink class -> fraction of its blanks removed
    gap_grow = {}                      # stretch class -> fraction of its stretch used (Latin, then Han–Latin)
    spread = 0.0                       # letter-spacing added at each spread slot
    unit_spread = 0.0                  # ... and inside words, for a line that is one word
    if excess > TOLERANCE:             # too long: compress to fit, justified or not (the breaks counted on it)
        left = excess
        for c, avail in zip(C.SHRINK_ORDER, par.shrinkable(i, j)):
            if left <= 0 or avail <= 0:
                continue
            take = min(left, avail)
            atom_cut[c] = take / avail
            left -= take
    elif excess < -TOLERANCE and justify and not fit.last and not par.ragged(i, j, fit.last):
        short = -excess
        for c in C.STRETCH_ORDER:
            stretch = sum(g.stretch for g in gaps[i:j] if g.shrink_class == c)
            if stretch > 0 and short > 0:
                take = min(short, stretch)
                gap_grow[c] = take / stretch
                short -= take
        slots = par.spread[j] - par.spread[i]
        if short > TOLERANCE and slots:
            spread = short / slots
        elif short > TOLERANCE:        # one long word or URL on the line: letter-space inside it
            inside = par.unit_spread[j] - par.unit_spread[i]
            if inside:
                spread, unit_spread = 0.0, short / inside
    placed, x = [], 0.0
    start_cut = par.start_cut(i, j)
    for k in range(i, j + 1):
        a = atoms[k]
        frac = atom_cut.get(C.SHRINK_CLASS.get(a.cls), 0.0)
        lb_cut = start_cut if k == i else a.lb * frac    # a line-initial mark: all of its blank or none
        rb = 0.0 if k == j else a.rb
        rb_cut = rb * frac
        if a.ch:
            placed.append((x - a.lcut - lb_cut + a.shift, a))
        x += a.width - lb_cut - rb_cut - (a.rb if k == j else 0.0)
        if k < j:
            g = gaps[k]
            x += g.width - g.shrink * atom_cut.get(g.shrink_class, 0.0) + g.stretch * gap_grow.get(g.shrink_class, 0.0)
            if g.spread:
                x += spread
            elif unit_spread and C.is_word_char(a.cls) and C.is_word_char(atoms[k + 1].cls):
                x += unit_spread
    text = _line_text(atoms, gaps, i, j)
    hyphen = gaps[j].hyphen if j < len(gaps) else None
    if hyphen:                         # broken at a hyphenation point: the hyphen ends the line
        face, width = hyphen
        mark = Atom("-", face, atoms[j].size, C.SYMBOL, width, atoms[j].span, -1)
        placed.append((x, mark))
        x += width
        text += "-"
    return SetLine(runs=_runs(placed, _starts(spans)), width=x, measure=par.measure, last=fit.last, text=text,
                   hyphen=bool(hyphen))


def _line_text(atoms, gaps, i, j) -> str:
    out = []
    for k in range(i, j + 1):
        out.append(atoms[k].ch)
        if k < j and gaps[k].space:
            out.append(" ")
    return "".join(out)


def _starts(spans) -> list:
    """(span, where its text starts in the spans' joined text) per span."""
    out, n = [], 0
    for span in spans:
        out.append((span, n))
        n += len(span.text)
    return out


def _runs(placed, spans) -> tuple:
    """Group glyphs into runs of one face whose spacing is uniform (one Tc each)."""
    runs, cur = [], None
    for x, a in placed:
        span, start = spans[a.span]
        color = span.color
        at = (start + a.pos if a.pos >= 0 else -1,) * len(a.ch)
        if cur is not None and cur["face"] == a.face and cur["size"] == a.size and cur["color"] == color \
                and a.scale == 1.0 and cur["hscale"] == 1.0:
            step = x - cur["next"]
            if cur["tracking"] is None or abs(step - cur["tracking"]) < 1e-3:
                cur["tracking"] = step if cur["tracking"] is None else cur["tracking"]
                cur["text"].append(a.ch)
                cur["at"] += at
                cur["next"] = x + a.adv
                continue
        if cur is not None:
            runs.append(_run(cur))
        cur = {"x": x, "face": a.face, "size": a.size, "color": color, "text": [a.ch], "next": x + a.adv,
               "tracking": None, "hscale": a.scale, "at": at}
    if cur is not None:
        runs.append(_run(cur))
    return tuple(runs)


def _run(cur) -> Run:
    return Run(x=round(cur["x"], 4), text="".join(cur["text"]), face=cur["face"], size=cur["size"],
               color=cur["color"], tracking=round(cur["tracking"] or 0.0, 5), hscale=round(cur["hscale"], 5),
               at=cur["at"])

"""Total-fit line breaking over atoms and gaps: prohibitions, 先挤进 before 后推出, no 孤字."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from . import classes as C

OVERFULL = 1e8          # a line wider than the measure: only when nothing else can be done
LONE_CHAR = 1e6         # the last line holds a single character (孤字)
UNSTRETCHABLE = 1e6     # a short line with nowhere to put the space
LOOSE = 1e4             # letter-spacing beyond a quarter em: visible rivers
HOLE = 5e4              # ... beyond HOLE_SPREAD: a gap that reads as a word space (next to Latin, over an em)
HOLE_SPREAD = 2 / 3     # em added between two characters beyond which the line has holes
LINE = 1.0              # every line costs a little: fewer lines when all else is equal
SHRINK_WEIGHT = 5.0     # per em of punctuation compressed, times the class's rank
STRETCH_WEIGHT = 10.0   # per em of Latin/Han–Latin space widened
SPREAD_WEIGHT = 1000.0  # per slot, times (letter-spacing in em)²
TOLERANCE = 0.01        # pt
RAGGED_SPREAD = 0.125   # em of letter-spacing beyond which a byline line is set flush left instead
RAGGED = 1e3            # a byline line set flush left, short of the measure


@dataclass(frozen=True)
class LineFit:
    """One line's span of atoms and how its width meets the measure."""
    start: int           # first atom
    end: int             # last atom (inclusive)
    natural: float       # width with line-edge rules applied
    last: bool


class Paragraph:
    """Prefix sums over a paragraph's atoms and gaps: any line's width and flexibility in O(1)."""

    def __init__(self, atoms, gaps, measure: float, em: float, display: bool = False):
        self.atoms, self.gaps, self.measure, self.em = atoms, gaps, measure, em
        self.display = display     # display lines (headings): an opening mark at a line start in its half box
        n = len(atoms)
        self.aw = _prefix(a.width for a in atoms)
        self.gw = _prefix(g.width for g in gaps)
        self.stretch = _prefix(g.stretch for g in gaps)
        self.spread = _prefix(1 if g.spread else 0 for g in gaps)
        # slots inside Latin words and numbers: letter-spaced only when a line holds nothing else
        self.unit_spread = _prefix(1 if not g.spread and C.is_word_char(atoms[k].cls)
                                   and C.is_word_char(atoms[k + 1].cls) else 0 for k, g in enumerate(gaps))
        self.letters = _prefix(1 if C.is_letter(a.cls) else 0 for a in atoms)
        self.shrink = []
        for c in C.SHRINK_ORDER:
            atom_part = _prefix((a.lb + a.rb) if C.SHRINK_CLASS.get(a.cls) == c else 0.0 for a in atoms)
            gap_part = _prefix(g.shrink if g.shrink_class == c else 0.0 for g in gaps)
            self.shrink.append((atom_part, gap_part))
        self.breaks = [k for k in range(n - 1) if gaps[k].penalty is not None]

    def natural(self, i: int, j: int) -> float:
        """Width of atoms i..j on one line; a mark at the line end is set half width; a line ending at a
        hyphenation point gets its hyphen."""
        hyphen = self.gaps[j].hyphen if j < len(self.gaps) else None
        width = self.aw[j + 1] - self.aw[i] + self.gw[j] - self.gw[i] - self.atoms[j].rb + (hyphen[1] if hyphen else 0.0)
        return width - self.start_cut(i, j, width)

    def start_cut(self, i: int, j: int, width: float | None = None) -> float:
        """An opening mark at a line start keeps its leading half em, or, when the line is too long,
        loses all of it first (before other marks are squeezed): never a part (its ink would stand off
        the column's edge). In display lines (headings, crossheads, pull quotes, as at the head of a
        vertical column) it is set in its half box always: such a line is centred or aligned by its ink,
        not on the body's grid of whole characters (clreq: an opening bracket at a line start may lose
        its blank)."""
        a = self.atoms[i]
        if a.cls != C.OPEN or not a.lb:
            return 0.0
        if self.display:
            return a.lb
        if width is None:
            hyphen = self.gaps[j].hyphen if j < len(self.gaps) else None
            width = self.aw[j + 1] - self.aw[i] + self.gw[j] - self.gw[i] - self.atoms[j].rb + \
                (hyphen[1] if hyphen else 0.0)
        return a.lb if width > self.measure + TOLERANCE else 0.0

    def shrinkable(self, i: int, j: int) -> list:
        """Shrink available per priority class for atoms i..j."""
        out = []
        end_atom, start_atom = self.atoms[j], self.atoms[i]
        end_class = C.SHRINK_CLASS.get(end_atom.cls)
        start_class = C.SHRINK_CLASS.get(start_atom.cls)
        for c, (ap, gp) in zip(C.SHRINK_ORDER, self.shrink):
            s = ap[j + 1] - ap[i] + gp[j] - gp[i]
            if c == end_class:
                s -= end_atom.rb
            if c == start_class:         # a line-initial mark keeps its leading blank whole (never half-cut)
                s -= start_atom.lb
            out.append(max(0.0, s))
        return out

    def ragged(self, i: int, j: int, last: bool) -> bool:
        """A line that ends between the people of a byline (or a title and its name) and could be filled
        only by letter-spacing it more than RAGGED_SPREAD em: it is set flush left, short of the measure
        (a byline need not be justified; kept whole, it would otherwise be spaced loosely)."""
        if last or j >= len(self.gaps) or not self.gaps[j].ragged:
            return False
        short = self.measure - self.natural(i, j) - (self.stretch[j] - self.stretch[i])
        if short <= TOLERANCE:
            return False
        slots = self.spread[j] - self.spread[i]
        return not slots or short / slots / self.em > RAGGED_SPREAD

    def cost(self, i: int, j: int, last: bool) -> float:
        """Demerits of setting atoms i..j as one line."""
        width = self.natural(i, j)
        excess = width - self.measure
        cost = LINE
        if self.ragged(i, j, last):
            return cost + RAGGED + STRETCH_WEIGHT * -excess / self.em
        if last:
            if self.letters[j + 1] - self.letters[i] == 1 and self.letters[-1] > 1:
                cost += LONE_CHAR
            if excess <= TOLERANCE:
                return cost
        if excess > TOLERANCE:
            left = excess
            for rank, s in enumerate(self.shrinkable(i, j), 1):
                take = min(left, s)
                cost += rank * SHRINK_WEIGHT * take / self.em
                left -= take
                if left <= TOLERANCE:
                    return cost
            return cost + OVERFULL + left
        if excess >= -TOLERANCE:
            return cost
        short = -excess
        take = min(short, self.stretch[j] - self.stretch[i])
        cost += STRETCH_WEIGHT * take / self.em
        short -= take
        if short <= TOLERANCE:
            return cost
        slots = self.spread[j] - self.spread[i]
        if not slots:                      # a line that is one long word or URL: letter-space inside it
            slots = self.unit_spread[j] - self.unit_spread[i]
            if not slots:
                return cost + UNSTRETCHABLE + short
            cost += LOOSE
        per = short / slots / self.em
        cost += SPREAD_WEIGHT * slots * per * per
        if per > 0.25:
            cost += LOOSE
        if per > HOLE_SPREAD:
            cost += HOLE
        return cost


def _prefix(values) -> list:
    out, total = [0.0], 0.0
    for v in values:
        total += v
        out.append(total)
    return out


def break_lines(par: Paragraph) -> list:
    """The set of breaks with the least total demerits (Knuth–Plass over clreq costs)."""
    n = len(par.atoms)
    if n == 0:
        return []
    starts = [0] + [k + 1 for k in par.breaks]          # atoms a line may begin with
    ends = par.breaks + [n - 1]                          # atoms a line may end with
    best = {0: (0.0, None)}                              # start atom -> (cost so far, previous start)
    for j in ends:
        last = j == n - 1
        penalty = 0.0 if last else par.gaps[j].penalty
        choice = None
        hi = bisect_right(starts, j)
        for idx in range(hi - 1, -1, -1):
            i = starts[idx]
            if i not in best:
                continue
            width = par.natural(i, j)
            total = best[i][0] + par.cost(i, j, last) + penalty
            if choice is None or total < choice[0]:
                choice = (total, i)
            if width > par.measure and width - sum(par.shrinkable(i, j)) > par.measure:
                break                                    # any earlier start is wider still
        if choice is not None:
            best[j + 1] = choice
    lines, k = [], n
    while k:
        i = best[k][1]
        lines.append(LineFit(i, k - 1, par.natural(i, k - 1), k == n))
        k = i
    return lines[::-1]

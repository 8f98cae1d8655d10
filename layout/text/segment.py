"""Text to break units: atoms (one glyph each) and the gaps between them, with break rules."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from . import classes as C
from .byline import people_breaks, title_breaks
from .hyphen import hyphen_points

ALLOWED = 0.0          # a break here costs nothing
HYPHEN = 300.0         # at a hyphenation point of a Latin word (a hyphen is added at the line end)
EMERGENCY = 1e5        # inside a Latin word, number or URL: only when nothing else fits
URL_BREAK = 5e4        # after / . _ ? & = @ inside a URL or address too long for a line
TITLE_NAME = 2e4       # between a title and its name in a byline (记者 / 云艳芳): when people cannot be kept whole
NAME_SPLIT = 5e6       # inside a title or a name of a byline or credit: reported when it happens
FORBIDDEN = None       # never a break: prohibitions, ——, ……, a number and its suffix


class Metrics(Protocol):
    """Where the composer learns glyph widths; tests pass fixed metrics."""

    def glyph(self, font: str, ch: str) -> tuple[str, float] | None:
        """(face key, advance in em) of ch in the font's fallback chain, or None when no face has it."""


@dataclass(frozen=True)
class Span:
    """A run of text in one font role and size (body text, a run-in byline, a headline).

    people: a byline or credit, which breaks only between people (text/byline.py)."""
    text: str
    font: str
    size: float
    color: tuple = (0.0, 0.0, 0.0, 1.0)
    people: bool = False


class Atom:
    """One glyph on the line: its class, widths and the blanks that may still shrink."""

    __slots__ = ("ch", "face", "size", "cls", "adv", "width", "lcut", "lb", "rb", "scale", "span", "shift", "pos")

    def __init__(self, ch, face, size, cls, adv, span=0, pos=0):
        self.ch, self.face, self.size, self.cls, self.adv, self.span = ch, face, size, cls, adv, span
        self.width, self.lcut, self.scale = adv, 0.0, 1.0
        self.shift = 0.0       # where the glyph is drawn in its box (a narrow opening quote: on the right)
        self.pos = pos         # offset of the character in its span's text
        self.lb = self.rb = 0.0

    def __repr__(self):
        return f"Atom({self.ch!r} w={self.width:.2f} lb={self.lb:.2f} rb={self.rb:.2f})"


class Gap:
    """The space between two atoms: natural width, how far it may shrink or stretch, and its break cost."""

    __slots__ = ("width", "shrink", "shrink_class", "stretch", "spread", "penalty", "space", "hyphen", "ragged")

    def __init__(self, width=0.0, shrink=0.0, shrink_class=C.SHRINK_LATIN_SPACE, stretch=0.0, spread=True,
                 penalty=ALLOWED, space=False):
        self.width, self.shrink, self.shrink_class = width, shrink, shrink_class
        self.stretch, self.spread, self.penalty, self.space = stretch, spread, penalty, space
        self.hyphen = None     # (face, width) of the hyphen a line ending here gets
        self.ragged = False    # a break inside a byline: a line ending here may end short (linebreak.py)


@dataclass(frozen=True)
class Missing:
    """A character no face in the font's chain can draw."""
    char: str
    font: str


def atomize(spans, metrics: Metrics, indent: float = 0.0):
    """Spans -> (atoms, gaps, missing). gaps[k] lies between atoms[k] and atoms[k+1]."""
    atoms, spaced, missing = [], [], []
    if indent:
        ind = Atom("", "", indent, "indent", indent)
        atoms.append(ind)
        spaced.append(False)
    pending_space = False
    for si, span in enumerate(spans):
        for pos, ch in enumerate(span.text):
            if ch.isspace():
                pending_space = bool(atoms)
                continue
            found = metrics.glyph(span.font, ch)
            if found is None:
                missing.append(Missing(ch, span.font))
                continue
            face, adv_em = found
            atom = Atom(ch, face, span.size, C.char_class(ch), adv_em * span.size, si, pos)
            _set_blanks(atom)
            atoms.append(atom)
            spaced.append(pending_space)
            pending_space = False
    _full_width_marks(atoms, spaced)
    _compress_pairs(atoms, spaced)
    gaps = [_gap(atoms[k], atoms[k + 1], spaced[k + 1]) for k in range(len(atoms) - 1)]
    if indent and gaps:
        gaps[0].spread, gaps[0].penalty = False, FORBIDDEN
    _people(spans, atoms, gaps)
    _hyphenation(spans, atoms, gaps, spaced, metrics)
    return atoms, gaps, missing


def _people(spans, atoms, gaps) -> None:
    """In a byline or credit, a break between a title and its name costs TITLE_NAME, one inside a title
    or a name NAME_SPLIT (text/byline.py)."""
    allowed = {si: people_breaks(span.text) for si, span in enumerate(spans) if span.people}
    if not allowed:
        return
    second = {si: title_breaks(spans[si].text) for si in allowed}
    for k, g in enumerate(gaps):
        a, b = atoms[k], atoms[k + 1]
        if a.span in allowed and b.span == a.span and a.cls != "indent" and g.penalty is not FORBIDDEN:
            g.ragged = a.pos in allowed[a.span] or a.pos in second[a.span]
            if a.pos not in allowed[a.span]:
                g.penalty = TITLE_NAME if a.pos in second[a.span] else NAME_SPLIT


def _hyphenation(spans, atoms, gaps, spaced, metrics) -> None:
    """Hyphenation points inside Latin words (text/hyphen.py): a break there costs HYPHEN and adds a hyphen."""
    k, n = 0, len(atoms)
    while k < n:
        if not C.is_word_char(atoms[k].cls):
            k += 1
            continue
        start = k
        while k + 1 < n and C.is_word_char(atoms[k + 1].cls) and not spaced[k + 1] and atoms[k + 1].span == atoms[start].span:
            k += 1
        word = "".join(a.ch for a in atoms[start:k + 1])
        points = hyphen_points(word)
        if points:
            span = spans[atoms[start].span]
            found = metrics.glyph(span.font, "-")
            if found is not None:
                face, adv_em = found
                for p in points:
                    g = gaps[start + p - 1]
                    if g.penalty is not FORBIDDEN:
                        g.penalty = HYPHEN
                        g.hyphen = (face, adv_em * span.size)
        k += 1


def _full_width_marks(atoms, spaced) -> None:
    """In Chinese text a mark a face draws narrow (LXGW WenKai's “ ” ‘ ’ are 0.35 em) is set in a full em
    box like every other mark: the ink on its side (an opening mark's on the right), the blank on the other,
    compressed by the same rules."""
    for k, a in enumerate(atoms):
        if a.cls not in (C.OPEN, C.CLOSE, C.PAUSE_C, C.STOP_C) or a.adv >= 0.9 * a.size:
            continue
        prev = atoms[k - 1] if k and not spaced[k] and atoms[k - 1].ch else None
        nxt = atoms[k + 1] if k + 1 < len(atoms) and not spaced[k + 1] else None
        if not any(o is not None and (C.is_wide(o.ch) or o.cls in C.PUNCT_CLASSES) for o in (prev, nxt)):
            continue                 # a quote in Latin text keeps its Latin width
        em = a.size
        blank = em - C.INK * em
        a.width = em
        if a.cls == C.OPEN:
            a.lb, a.rb, a.shift = blank, 0.0, em - a.adv
        else:
            a.lb, a.rb = 0.0, blank


def _set_blanks(atom: Atom) -> None:
    """Full-width marks carry their blank on one side; ——/…… fill two ems exactly."""
    em, cls = atom.size, atom.cls
    if cls in (C.DASH_C,):
        atom.scale = em / atom.adv if atom.adv else 1.0  # a proportional — is stretched to fill its em
        atom.adv = atom.width = em
        return
    blank = max(0.0, atom.adv - C.INK * em)
    if cls in (C.CLOSE, C.PAUSE_C, C.STOP_C):
        atom.rb = blank
    elif cls == C.OPEN:
        atom.lb = blank
    elif cls == C.DOT and atom.adv >= 0.9 * em:
        atom.lb = atom.rb = blank / 2


def _compress_pairs(atoms, spaced) -> None:
    """Adjacent marks take 1.5 em, not 2: half an em of the blank between them goes (clreq, 标点挤压).

    The first mark's trailing blank goes first (。” ，“ ）、 》，：“ ）·), then the second's leading blank
    (（“ “《; ·（ loses a quarter from each). An empty pair （） has no blank between its faces and stays 2 em."""
    for k in range(len(atoms) - 1):
        a, b = atoms[k], atoms[k + 1]
        if spaced[k + 1] or not (a.lb or a.rb) or not (b.lb or b.rb):
            continue                 # both must be full-width marks with a blank
        cut = 0.5 * max(a.size, b.size)   # half an em
        first = min(a.rb, cut)
        a.width -= first
        a.rb -= first
        second = min(b.lb, cut - first)
        b.width -= second
        b.lcut += second
        b.lb -= second


def _gap(a: Atom, b: Atom, space: bool) -> Gap:
    """Spacing and break rule between two atoms."""
    em = max(a.size, b.size) if a.cls != "indent" else b.size
    penalty = _break_rule(a, b, space)
    if space:
        if C.is_wide(a.ch or "中") and C.is_wide(b.ch):
            return Gap(C.CJK_SPACE * em, (C.CJK_SPACE - C.CJK_SPACE_MIN) * em, C.SHRINK_LATIN_SPACE, 0.0, True,
                       penalty, space=True)
        return Gap(C.LATIN_SPACE * em, (C.LATIN_SPACE - C.LATIN_SPACE_MIN) * em, C.SHRINK_LATIN_SPACE,
                   (C.LATIN_SPACE_MAX - C.LATIN_SPACE) * em, True, penalty, space=True)
    # a number with its unit sign or currency prefix is one Latin run: ¼ em from Han on both sides (85% 以上)
    han_latin = (a.cls == C.HAN and (b.cls in (C.LATIN, C.DIGIT) or b.ch in C.NUMBER_PREFIX_SIGNS)) or \
        (b.cls == C.HAN and (a.cls in (C.LATIN, C.DIGIT) or a.ch in C.NUMBER_SUFFIX))
    if han_latin:
        return Gap(C.HAN_LATIN * em, (C.HAN_LATIN - C.HAN_LATIN_MIN) * em, C.SHRINK_HAN_LATIN,
                   (C.HAN_LATIN_MAX - C.HAN_LATIN) * em, True, penalty)
    inside_unit = (C.is_word_char(a.cls) and C.is_word_char(b.cls)) or (a.ch == b.ch and a.cls in (C.DASH_C, C.ELLIPSIS_C))
    mark_pair = a.cls in C.PUNCT_CLASSES and b.cls in C.PUNCT_CLASSES   # 。” ，“ stay at 1.5 em
    return Gap(spread=not (inside_unit or mark_pair), penalty=penalty)


def _break_rule(a: Atom, b: Atom, space: bool):
    """May a line end after a and the next begin with b? (行首行尾禁则, numbers and words whole)."""
    if b.ch in C.NO_START or a.ch in C.NO_END:
        return FORBIDDEN
    if a.cls == C.DIGIT and b.ch in C.NUMBER_SUFFIX or a.ch in C.NUMBER_PREFIX and b.cls == C.DIGIT:
        return FORBIDDEN
    if not space and C.is_word_char(a.cls) and C.is_word_char(b.cls):
        return URL_BREAK if a.ch in C.URL_BREAK_AFTER and b.cls != C.DIGIT else EMERGENCY
    return ALLOWED

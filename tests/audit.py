"""The composition audit: glyph positions read back from the PDF (pypdfium2), checked rule by rule.

Independent of the composer: it sees only what a reader sees — characters, their origins, advances, ink
and sizes — the page geometry of the spec, and the articles' text as typed (to know where the writer put
a space, since a break there splits no word)."""
from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from layout.content import load_article
from layout.grid import make_grid
from layout.spec import load_spec
from layout.text import classes as C

TOL = 0.5          # pt: the tolerance for a justified line's right edge
GRID_TOL = 0.01    # pt: baselines on the grid


@dataclass(frozen=True)
class Glyph:
    ch: str
    x: float       # origin, pt from the trim's left edge
    y: float       # baseline, pt from the trim's top edge
    size: float
    right: float   # right edge of the ink box
    left: float = 0.0   # left edge of the ink box
    end: float = 0.0    # origin + advance width (pdfium's loose box; tracking not included)

    @property
    def centre(self) -> float:
        """Where a reader sees the glyph: the middle of its ink (its origin when it has none)."""
        return (self.left + self.right) / 2 if self.right > self.left else self.x


def read_glyphs(pdf_path, bleed: float) -> list:
    """Every character on page 1 with its origin, size and ink box, in trim coordinates (y down)."""
    doc = pdfium.PdfDocument(str(pdf_path))
    try:
        page = doc[0]
        height = page.get_height()
        tp = page.get_textpage()
        out = []
        x, y = ctypes.c_double(), ctypes.c_double()
        l, r, b, t = (ctypes.c_double() for _ in range(4))
        loose = raw.FS_RECTF()
        for i in range(tp.count_chars()):
            code = raw.FPDFText_GetUnicode(tp.raw, i)
            if not code or raw.FPDFText_IsGenerated(tp.raw, i):
                continue
            ch = chr(code)
            if ch.isspace():
                continue
            raw.FPDFText_GetCharOrigin(tp.raw, i, ctypes.byref(x), ctypes.byref(y))
            raw.FPDFText_GetCharBox(tp.raw, i, ctypes.byref(l), ctypes.byref(r), ctypes.byref(b), ctypes.byref(t))
            raw.FPDFText_GetLooseCharBox(tp.raw, i, ctypes.byref(loose))
            size = raw.FPDFText_GetFontSize(tp.raw, i)
            out.append(Glyph(ch, x.value - bleed, height - bleed - y.value, round(size, 3), r.value - bleed,
                             l.value - bleed, loose.right - bleed))
        return out
    finally:
        doc.close()


@dataclass(frozen=True)
class Line:
    block: str
    column: int
    glyphs: tuple
    left: float      # column's left edge
    right: float     # column's right edge

    @property
    def text(self) -> str:
        return "".join(g.ch for g in self.glyphs)

    @property
    def y(self) -> float:
        return self.glyphs[0].y


def body_lines(pdf_path, spec_path) -> dict:
    """Body lines of every article block in reading order: {block id: [Line, ...]}."""
    spec = load_spec(spec_path)
    grid = make_grid(spec)
    glyphs = [g for g in read_glyphs(pdf_path, spec.format.bleed) if abs(g.size - grid.body_size) < 0.01]
    out = {}
    for block in spec.blocks:
        x0, w = grid.col_x(block.col), grid.span(block.cols)
        y0, y1 = grid.line_top(block.line), grid.line_top(block.line + block.lines)
        ncols = 1 if block.kind == "photo" else (block.body_columns or block.cols)
        measure = (w - (ncols - 1) * grid.gutter) / ncols
        mine = [g for g in glyphs if x0 - grid.body_size <= g.x < x0 + w and y0 <= g.y < y1]
        rows = {}
        for g in mine:
            col = min(ncols - 1, max(0, int((g.x - x0 + grid.gutter / 2) // (measure + grid.gutter))))
            rows.setdefault((col, round(g.y, 2)), []).append(g)
        lines = []
        for (col, _), gs in sorted(rows.items()):
            left = x0 + col * (measure + grid.gutter)
            # reading order is the order of the ink: an opening mark whose leading blank was squeezed away
            # has its origin before the previous glyph's, though its ink follows it
            lines.append(Line(block.id, col, tuple(sorted(gs, key=lambda g: (g.centre, g.x))), left, left + measure))
        out[block.id] = lines
    return out


def advance(g: Glyph) -> float:
    """Set width of a glyph at a line end: half an em for a full-width mark, an em for ——/……,
    the font's advance for everything else (Han, Latin, digits, symbols)."""
    if g.ch in C.CLOSING | C.PAUSE | C.STOP:
        return g.size / 2
    if g.ch in "…—":
        return g.size        # drawn scaled to fill the em
    return g.end - g.x       # the advance, not the ink: a digit's ink stops ~0.5 pt short of it


def audit(pdf_path, spec_path) -> list:
    """Every violation of the composition rules on the page, as readable strings (empty: all good)."""
    spec = load_spec(spec_path)
    grid = make_grid(spec)
    problems = []
    all_lines = body_lines(pdf_path, spec_path)
    baselines = set()
    blocks = {b.id: b for b in spec.blocks}
    for block_id, lines in all_lines.items():
        flat = [g for line in lines for g in line.glyphs]
        gap = _source_gaps(spec, blocks[block_id], flat)
        ends = []                                  # index in `flat` of each line's last glyph
        for line in lines:
            ends.append((ends[-1] if ends else -1) + len(line.glyphs))
        for k, line in enumerate(lines):
            text, nxt = line.text, lines[k + 1] if k + 1 < len(lines) else None
            baselines.add(line.y)
            if text[0] in C.NO_START and not _indented(line, grid):
                problems.append(f"{block_id}: line starts with {text[0]!r}: {text}")
            if text[-1] in C.NO_END:
                problems.append(f"{block_id}: line ends with {text[-1]!r}: {text}")
            if nxt is not None:
                a, b = line.glyphs[-1].ch, nxt.glyphs[0].ch
                if a == b and a in "—…":
                    problems.append(f"{block_id}: {a * 2} split across lines: {text} / {nxt.text}")
                if C.is_word_char(C.char_class(a)) and C.is_word_char(C.char_class(b)) \
                        and not (gap and gap[ends[k]]) \
                        and _unit_width(flat, gap, ends[k]) <= line.right - line.left + TOL:
                    # a break at a space the writer typed (or at a paragraph end) splits nothing, and a
                    # word or URL wider than the measure cannot be kept whole
                    problems.append(f"{block_id}: number or word split: {text} / {nxt.text}")
            last = line.glyphs[-1]
            right = last.x + advance(last)
            final = nxt is None or _indented(nxt, grid) or block_id == "photo"
            if not final and abs(right - line.right) > TOL:
                problems.append(f"{block_id}: line not justified (ends {right - line.right:+.2f} pt): {text}")
            if final and nxt is not None and _indented(nxt, grid) or nxt is None:
                letters = [g for g in line.glyphs if C.is_letter(C.char_class(g.ch))]
                if len(letters) == 1 and block_id != "photo":
                    problems.append(f"{block_id}: paragraph ends with a lone character: {text}")
            problems += _pairs(line, block_id)
    base = grid.baseline(1)
    for y in sorted(baselines):
        steps = (y - base) / grid.leading
        if abs(steps - round(steps)) * grid.leading > GRID_TOL:
            problems.append(f"baseline {y:.3f} pt is off the grid by {(steps - round(steps)) * grid.leading:+.3f} pt")
    return problems


def _source_text(spec, block) -> str | None:
    """What the block sets, as typed: byline run in before the first paragraph, paragraphs one a line;
    for a photo the caption's paragraphs run together (as the caption is set), then the credit."""
    folder = spec.folder / "articles"
    if block.kind == "photo":
        if not block.caption:
            return None
        cap = load_article(folder / f"{block.caption}.md", block.caption)
        return "".join(cap.paragraphs) + "\n" + cap.credit
    if not block.article:
        return None
    art = load_article(folder / f"{block.article}.md", block.article)
    return art.byline + "\n".join(art.paragraphs)


def _source_gaps(spec, block, flat: list) -> list | None:
    """For each glyph on the page, whether the source has whitespace (or a paragraph end) after it.

    None when the page's text is not the start of the source text (a glyph no font has is left out,
    for one): then every break between two word characters counts as a split."""
    source = _source_text(spec, block)
    if source is None:
        return None
    chars, gap = [], []
    for ch in source:
        if ch.isspace():
            if gap:
                gap[-1] = True
            continue
        chars.append(ch)
        gap.append(False)
    src, shown = "".join(chars), "".join(g.ch for g in flat)
    return gap if src.startswith(shown) else None


def _unit_width(flat: list, gap, i: int) -> float:
    """Natural width of the run of word characters (no typed space inside) that holds flat[i] and flat[i + 1]."""
    def word(g):
        return C.is_word_char(C.char_class(g.ch))
    lo, hi = i, i + 1
    while lo > 0 and word(flat[lo - 1]) and not (gap and gap[lo - 1]):
        lo -= 1
    while hi + 1 < len(flat) and word(flat[hi + 1]) and not (gap and gap[hi]):
        hi += 1
    return sum(g.end - g.x for g in flat[lo:hi + 1])


def _indented(line: Line, grid) -> bool:
    return abs(line.glyphs[0].x - (line.left + C.PARAGRAPH_INDENT * grid.body_size)) < 0.6 * grid.body_size


def _pairs(line: Line, block_id: str) -> list:
    """Two adjacent full-width marks take at most 1.5 em."""
    out, gs = [], line.glyphs
    marks = C.CLOSING | C.OPENING | C.PAUSE | C.STOP
    for i in range(len(gs) - 1):
        a, b = gs[i], gs[i + 1]
        if a.ch in marks and b.ch in marks:
            # nominal extent: to the end of b's em (or its half em at a line end); the letter-spacing
            # that justification adds after the pair is not the pair's width
            end = b.x + (b.size if i + 2 < len(gs) else advance(b))
            if end - a.x > 1.5 * a.size + 0.05:
                out.append(f"{block_id}: {a.ch}{b.ch} takes {(end - a.x) / a.size:.2f} em: {line.text}")
    return out

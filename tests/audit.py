"""The composition audit: glyph positions read back from the PDF (pypdfium2), checked rule by rule.

Independent of the composer: it sees only what a reader sees (characters, their origins, advances, ink,
sizes and fill colours), the page geometry of the spec, and the articles' text as typed (where the writer
put a space or ended a paragraph). Its character classes are its own tables below, written from clreq and
GB/T 15834 / 15835, so that it can disagree with the engine's. Every text role is read: headings, body,
bylines, jump lines, captions, credits and the footer.

Tolerance: TOL = 0.05 pt for every edge and every spacing."""
from __future__ import annotations

import ctypes
import re
import statistics
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from layout.content import load_article
from layout.grid import make_grid
from layout.spec import load_spec

TOL = 0.05         # pt: edges of justified lines, centring, spacing
GRID_TOL = 0.01    # pt: baselines on the grid
ASCENT = 0.88      # the ideographic em box above the baseline, of the grid's line band

# -- the audit's own character tables (clreq #prohibition_rules_for_line_start_end, GB/T 15834) --------
#: full-width marks whose ink stands on the left of their em box (blank on the right)
INK_LEFT = frozenset("，。、；：．" "”’」』）】〗〕］｝》〉")
#: full-width marks whose ink stands on the right (blank on the left)
INK_RIGHT = frozenset("“‘「『（【〖〔［｛《〈")
#: ？！ sit in the left half in GB style but some faces centre them: counted as marks, ink side unchecked
STOPS = frozenset("？！")
MARKS = INK_LEFT | INK_RIGHT | STOPS
QUOTES = frozenset("“”‘’")
MAY_NOT_START = frozenset("、，。．：；！？" "”’」』）】〗〕］｝》〉" "～–—…·・‧/／" "%％‰℃" ",.:;!?)]}")
MAY_NOT_END = frozenset("“‘「『（【〖〔［｛《〈" "¥￥$＄" "([{")
UNIT_SIGNS = frozenset("%％‰℃°")
TWO_EM = frozenset("—…")
LOOSE_BYLINE = 0.25   # em between the characters of a justified byline line: beyond, set it flush left

def is_han(ch: str) -> bool:
    cp = ord(ch)
    return (0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x3FFFF or ch == "〇")


def is_latin(ch: str) -> bool:
    """A letter or digit set as Latin text (ASCII, Latin-1 and extended letters, Greek, Cyrillic)."""
    return ch.isascii() and ch.isalnum() or (0xC0 <= ord(ch) <= 0x24F or 0x370 <= ord(ch) <= 0x4FF) and ch.isalpha()


def is_word(ch: str) -> bool:
    """Letters, digits and the ASCII signs that build words, numbers and addresses."""
    return is_latin(ch) or (ch.isascii() and ch.isprintable() and not ch.isspace()) or ch in UNIT_SIGNS


def is_letter(ch: str) -> bool:
    """Counts as text for 孤字 (a lone last character), not punctuation."""
    return is_han(ch) or is_latin(ch)


# -- reading the PDF ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Glyph:
    ch: str
    x: float       # origin, pt from the trim's left edge
    y: float       # baseline, pt from the trim's top edge
    size: float
    right: float   # right edge of the ink box
    left: float    # left edge of the ink box
    end: float     # origin + advance width (pdfium's loose box: tracking not included)
    white: bool = False
    top: float = 0.0   # top edge of the ink box (pt from the trim's top edge)

    @property
    def centre(self) -> float:
        """Where a reader sees the glyph: the middle of its ink (its origin when it has none)."""
        return (self.left + self.right) / 2 if self.right > self.left else self.x

    @property
    def adv(self) -> float:
        return self.end - self.x


def read_glyphs(pdf_path, bleed: float, page_index: int = 0) -> list:
    """Every character on a page with its origin, size and ink box, in trim coordinates (y down)."""
    doc = pdfium.PdfDocument(str(pdf_path))
    try:
        page = doc[page_index]
        height = page.get_height()
        slug = (page.get_mediabox()[2] - page.get_trimbox()[2] + page.get_trimbox()[0]) / 2 - bleed
        off = bleed + slug
        tp = page.get_textpage()
        out = []
        x, y = ctypes.c_double(), ctypes.c_double()
        l, r, b, t = (ctypes.c_double() for _ in range(4))
        cr, cg, cb, ca = (ctypes.c_uint() for _ in range(4))
        loose = raw.FS_RECTF()
        for i in range(tp.count_chars()):
            code = raw.FPDFText_GetUnicode(tp.raw, i)
            if not code or raw.FPDFText_IsGenerated(tp.raw, i):
                continue
            ch = "-" if code == 2 else chr(code)    # pdfium reads a hyphen at a line end as U+0002
            if ch.isspace():
                continue
            raw.FPDFText_GetCharOrigin(tp.raw, i, ctypes.byref(x), ctypes.byref(y))
            raw.FPDFText_GetCharBox(tp.raw, i, ctypes.byref(l), ctypes.byref(r), ctypes.byref(b), ctypes.byref(t))
            raw.FPDFText_GetLooseCharBox(tp.raw, i, ctypes.byref(loose))
            raw.FPDFText_GetFillColor(tp.raw, i, ctypes.byref(cr), ctypes.byref(cg), ctypes.byref(cb),
                                      ctypes.byref(ca))
            size = raw.FPDFText_GetFontSize(tp.raw, i)
            white = min(cr.value, cg.value, cb.value) > 250
            out.append(Glyph(ch, x.value - off, height - off - y.value, round(size, 3), r.value - off,
                             l.value - off, loose.right - off, white, height - off - t.value))
        return out
    finally:
        doc.close()


@dataclass(frozen=True)
class Line:
    block: str
    column: int
    glyphs: tuple
    left: float      # the column's (or block's) left edge
    right: float     # ... and right edge
    role: str = "body"

    @property
    def text(self) -> str:
        return "".join(g.ch for g in self.glyphs)

    @property
    def y(self) -> float:
        return self.glyphs[0].y

    @property
    def size(self) -> float:
        return statistics.median(g.size for g in self.glyphs)


def set_advance(g: Glyph) -> float:
    """Set width of a glyph at a line end: half an em for a mark whose ink stands left (its blank is
    dropped at the line end), an em for ——/……, the font's advance for everything else."""
    if g.ch in INK_LEFT or g.ch in STOPS:
        return g.size / 2
    if g.ch in TWO_EM:
        return g.size        # drawn scaled to fill the em
    return g.adv


def line_left(line: Line) -> float:
    return line.glyphs[0].x


def line_right(line: Line) -> float:
    last = line.glyphs[-1]
    return last.x + set_advance(last)


def ink_left(line: Line) -> float:
    """Where a display line (a heading, a crosshead, a pull quote) begins for its centring: at its first
    glyph's em box, or, for an opening mark, at the half of its box that holds the ink: a display line
    sets an opening mark at its start in its half box (clreq: its blank may go), as a vertical column's
    head does; the blank kept would push the line's ink off centre by a quarter em."""
    first = line.glyphs[0]
    if first.ch not in INK_RIGHT:
        return first.x
    if len(line.glyphs) > 1:        # the half box ends where the next glyph begins (whatever the mark's own
        return line.glyphs[1].x - first.size / 2       # advance: a face may draw “ narrow, set in a full box)
    return first.x + first.size / 2


def _in_reading_order(gs) -> tuple:
    # an opening mark whose leading blank was squeezed away has its origin before the previous glyph's,
    # though its ink follows it: the order of the ink is the reading order
    return tuple(sorted(gs, key=lambda g: (g.centre, g.x)))


@dataclass
class Region:
    """What the audit knows of a block from the spec alone."""
    id: str
    kind: str
    x0: float
    x1: float
    y0: float
    y1: float
    ncols: int
    measure: float
    gutter: float
    block: object


def _regions(spec, grid) -> list:
    out = []
    for b in spec.blocks:
        x0, w = grid.col_x(b.col), grid.span(b.cols)
        y1 = grid.line_top(b.line + b.lines) if b.lines is not None else _auto_foot(spec, grid, b)
        text_cols = b.cols - (1 if getattr(b, "headline_direction", "") == "vertical" else 0)
        ncols = 1 if b.kind == "photo" else min(b.body_columns or text_cols, text_cols)
        measure = (grid.span(text_cols) - (ncols - 1) * grid.gutter) / ncols
        out.append(Region(b.id, b.kind, x0, x0 + w, grid.line_top(b.line), y1, ncols, measure, grid.gutter, b))
    return out


def _auto_foot(spec, grid, block) -> float:
    """Where a block of `auto` height may reach: the top of the first block below it in any of its columns,
    else the foot of the grid (the audit does not size blocks; it only needs to know whose glyphs are whose)."""
    below = [b.line for b in spec.blocks if b is not block and b.line > block.line
             and b.col < block.col + block.cols and block.col < b.col + b.cols]
    return grid.line_top(min(below)) if below else grid.bottom


def _owner(regions, g: Glyph):
    for r in regions:
        if r.x0 - r.gutter / 2 <= g.centre < r.x1 + r.gutter / 2 and r.y0 <= g.y < r.y1:
            return r
    return None


def page_lines(pdf_path, spec_path, page_index: int = 0) -> dict:
    """Every line of text on the page by block, in reading order, with its role:
    {block id: [Line, ...]}, plus "header" and "footer" for the page furniture."""
    spec = load_spec(spec_path)
    grid = make_grid(spec)
    regions = _regions(spec, grid)
    by_block: dict = {r.id: [] for r in regions}
    furniture: dict = {"header": [], "footer": []}
    for g in read_glyphs(pdf_path, spec.format.bleed, page_index):
        r = _owner(regions, g)
        if r is not None:
            by_block[r.id].append(g)
        elif g.y < grid.top:
            furniture["header"].append(g)
        elif g.y > grid.bottom:
            furniture["footer"].append(g)
        else:
            furniture.setdefault("stray", []).append(g)
    out = {}
    seen: set = set()
    for r in regions:
        article = getattr(r.block, "article", None)
        heading = _heading_texts(spec, r.block) if article not in seen else None     # later blocks: no heading
        seen.add(article)
        out[r.id] = _block_lines(r, by_block[r.id], grid, heading)
    for name, gs in furniture.items():
        rows: dict = {}
        for g in gs:
            rows.setdefault(round(g.y, 2), []).append(g)
        out[name] = [Line(name, 0, _in_reading_order(v), grid.left, grid.left + grid.width, name)
                     for _, v in sorted(rows.items())]
    return out


def _heading_texts(spec, block) -> str:
    """The heading parts an article block may show over its text (rubric, kicker, headline, subhead,
    jump headline), squashed, one a line: a row of these at the block's top is heading, whatever its size."""
    if block.kind == "photo" or not getattr(block, "article", None):
        return ""
    art = load_article(spec.folder / "articles" / f"{block.article}.md", block.article)
    parts = (art.rubric, art.kicker, art.headline, art.subhead, art.jump_headline)
    return "\n".join("".join(p.split()) for p in parts if p)


def _block_lines(r: Region, gs: list, grid, heading: str | None = "") -> list:
    """Rows of a block: heading lines across the block, body or caption lines per text column."""
    rows: dict = {}
    out = []
    text_right = r.x0 + r.ncols * r.measure + (r.ncols - 1) * r.gutter
    if getattr(r.block, "headline_direction", "") == "vertical":   # 竖题: the glyphs right of the text columns
        columns: dict = {}
        for g in gs:
            if g.centre > text_right + r.gutter / 2:
                columns.setdefault(round(g.size, 2), []).append(g)
        for size, cg in sorted(columns.items()):
            out.append(Line(r.id, 0, tuple(cg), text_right + r.gutter, r.x1, "vertical"))
        gs = [g for g in gs if g.centre <= text_right + r.gutter / 2]
    for g in gs:
        rows.setdefault(round(g.y, 2), []).append(g)
    body = grid.body_size
    # the heading zone of the first block of an article on the page: the rows from its top that show a
    # line of the article's heading parts (rubric, kicker, headline, subhead, jump headline), whatever
    # their size; below them, and in a later block of the story, a line of another size is a story
    # element (a crosshead, a pull quote) in its column. Without the article's text (heading ""): the
    # rows of another size than the body's, or reversed.
    head_rows = set()
    if r.kind != "photo" and heading is not None:
        parts = heading.split("\n")
        for y, row in sorted(rows.items()):
            shown = "".join(g.ch for g in _in_reading_order(row)).rstrip("-")
            if heading:
                if not shown or not (shown in parts or len(shown) > 1 and shown in heading):
                    break
            elif any(abs(g.size - body) <= 0.01 and not g.white for g in row):
                break
            head_rows.add(y)
    for y, row in sorted(rows.items()):
        if y in head_rows:
            white = all(g.white for g in row)
            out.append(Line(r.id, 0, _in_reading_order(row), r.x0, r.x1, "rubric" if white else "heading"))
            continue
        cols: dict = {}
        for g in row:
            col = min(r.ncols - 1, max(0, int((g.centre - r.x0 + r.gutter / 2) // (r.measure + r.gutter))))
            cols.setdefault(col, []).append(g)
        for col, cg in cols.items():
            left = r.x0 + col * (r.measure + r.gutter)
            role = "caption" if r.kind == "photo" else "body"
            out.append(Line(r.id, col, _in_reading_order(cg), left, left + r.measure, role))
    # reading order: headings, then text column by column, top to bottom
    return sorted(out, key=lambda ln: (ln.role == "body" or ln.role == "caption", ln.column, ln.y))


def body_lines(pdf_path, spec_path) -> dict:
    """Body lines of every article block in reading order: {block id: [Line, ...]} (jump lines left out)."""
    spec = load_spec(spec_path)
    lines = page_lines(pdf_path, spec_path)
    return {b.id: [ln for ln in lines[b.id] if ln.role == "body" and not _is_jump(ln.text)]
            for b in spec.blocks if b.kind != "photo"}


def _is_jump(text: str) -> bool:
    return bool(re.fullmatch(r"（(下转|上接)第.*版）", text))


# -- the source text: where the writer typed a space, where a paragraph ends -------------------------

@dataclass
class Source:
    """The squashed text a block shows, aligned to its glyphs."""
    chars: str            # the article's text without whitespace
    space_after: list     # chars[i] is followed by typed whitespace
    para_end: list        # chars[i] ends a paragraph
    byline: int           # the byline is chars[:byline]
    byline_text: str      # ... as typed
    kind: list = None     # what each character belongs to: "text", "crosshead", "item", "table" or "quote"
    para: list = None     # the paragraph of each character
    marker: list = None   # chars[i] is part of a list item's marker (一、 1. ·)
    cell: list = None     # the (row, column) of a table cell chars[i] stands in (None outside tables)
    header: dict = None   # paragraph -> the rows of its table's header

    def kind_of(self, i) -> str:
        return "text" if self.kind is None or i is None else self.kind[i]


def _squash_with_marks(parts: list) -> Source:
    chars, space, para = [], [], []
    for part in parts:
        for ch in part:
            if ch.isspace():
                if space:
                    space[-1] = True
                continue
            chars.append(ch)
            space.append(False)
            para.append(False)
        if para:
            para[-1] = True
            space[-1] = True
    return Source("".join(chars), space, para, 0, "")


def article_source(spec, block) -> Source | None:
    folder = spec.folder / "articles"
    if block.kind == "photo":
        if not block.caption:
            return None
        cap = load_article(folder / f"{block.caption}.md", block.caption)
        src = _squash_with_marks(["".join(cap.paragraphs), cap.credit])
        src.byline = len("".join(cap.paragraphs).replace(" ", "").replace("\n", ""))
        src.byline_text = cap.credit        # for a photo: where the credit starts, and the credit as typed
        return src
    if not block.article:
        return None
    art = load_article(folder / f"{block.article}.md", block.article)
    paras = list(art.paragraphs)
    body = list(art.body) or [None] * len(paras)
    byline = art.byline
    if byline and body and body[0] is not None and body[0].kind != "text":
        paras.insert(0, byline)                # the byline stands alone before a list, table or crosshead
        body.insert(0, None)
    elif paras and byline:
        paras[0] = byline + " " + paras[0]
    src = _squash_with_marks(paras)
    src.byline = sum(1 for ch in byline if not ch.isspace())
    src.byline_text = byline
    src.kind, src.para, src.marker, src.cell, src.header = [], [], [], [], {}
    for n, (shown, para) in enumerate(zip(paras, body)):
        count = sum(1 for ch in shown if not ch.isspace())
        kind = para.kind if para is not None else "text"
        marker = sum(1 for ch in para.marker if not ch.isspace()) if para is not None and kind == "item" else 0
        src.kind += [kind] * count
        src.para += [n] * count
        src.marker += [k < marker for k in range(count)]
        cells = [None] * count
        if kind == "table":
            cells = [(r, j) for r, row in enumerate(para.rows) for j, cell in enumerate(row)
                     for text, _ in cell for ch in text if not ch.isspace()]
            src.header[n] = para.header
        src.cell += cells
    return src


def align(lines: list, src: Source | None):
    """Source index of every glyph of `lines` (None where the glyph is not in the source: a hyphen added
    at a line end), or None when the lines do not show a stretch of the source."""
    if src is None or not lines:
        return None
    first = lines[0].text.rstrip("-") or lines[0].text
    # where the lines may start: where the first line's text stands in the source, else (a block that opens
    # with a table row whose cells wrap: the line is not one stretch of the source) where its first
    # characters do
    for probe in (first[:40], first[:2]):
        start = src.chars.find(probe)
        while start >= 0:
            out = _align_from(lines, src, start)
            if out is not None:
                return out
            start = src.chars.find(probe, start + 1)
    return None


def _align_from(lines: list, src: Source, p: int):
    out, li = [], 0
    while li < len(lines):
        cells = _table_row_at(src, p)
        if cells:                       # a table row: its cells side by side, each over as many lines as it needs
            got = _align_table_row(lines[li:], src, cells)
            if got is None:
                return None
            out += got
            li += len(got)
            p = cells[-1][1]
            continue
        idx = []
        for k, g in enumerate(lines[li].glyphs):
            if p < len(src.chars) and src.chars[p] == g.ch:
                idx.append(p)
                p += 1
            elif g.ch == "-" and k == len(lines[li].glyphs) - 1:
                idx.append(None)                 # a hyphen the composer added
            else:
                return None
        out.append(idx)
        li += 1
    return out


def _table_row_at(src: Source, p: int) -> list:
    """The cells, as (start, end) source ranges, of the table row that begins at p ([] when none does)."""
    if src.cell is None or p >= len(src.chars) or src.cell[p] is None:
        return []
    if p and src.cell[p - 1] is not None and src.para[p - 1] == src.para[p] and src.cell[p - 1][0] == src.cell[p][0]:
        return []
    row, cells, q = src.cell[p][0], [], p
    while q < len(src.chars) and src.cell[q] is not None and src.para[q] == src.para[p] and src.cell[q][0] == row:
        if cells and src.cell[q][1] == src.cell[q - 1][1]:
            cells[-1] = (cells[-1][0], q + 1)
        else:
            cells.append((q, q + 1))
        q += 1
    return cells


def _align_table_row(lines: list, src: Source, cells: list):
    """Source indexes of the lines showing one table row: line i holds the i-th line of each cell, left to
    right; None when they do not show the row."""
    at, out = [start for start, _ in cells], []
    for ln in lines:
        if all(a >= end for a, (_, end) in zip(at, cells)):
            break
        idx, j = [], 0
        for g in ln.glyphs:
            while j < len(cells) and (at[j] >= cells[j][1] or src.chars[at[j]] != g.ch):
                j += 1
            if j == len(cells):
                return None
            idx.append(at[j])
            at[j] += 1
        out.append(idx)
    return out


# -- the checks --------------------------------------------------------------------------------------

def audit(pdf_path, spec_path, page_index: int = 0) -> list:
    """Every violation of the composition rules on the page, as readable strings (empty: all good)."""
    spec = load_spec(spec_path)
    grid = make_grid(spec)
    problems: list = []
    lines = page_lines(pdf_path, spec_path, page_index)
    for gs in lines.get("stray", []):
        problems.append(f"text outside every block: {gs.text}")
    for block in spec.blocks:
        blk = lines[block.id]
        src = article_source(spec, block)
        if block.kind == "photo":
            _check_photo(blk, block, src, grid, problems)
        elif not block.article:                  # an advertisement placed as delivered: not our text
            continue
        else:
            art = load_article(spec.folder / "articles" / f"{block.article}.md", block.article)
            _check_article(blk, block, src, grid, problems, art.kicker + art.headline + art.subhead,
                           _squash_with_marks([art.rubric, art.kicker, art.headline, art.subhead, art.jump_headline]))
    _check_footer(lines["footer"], spec, grid, problems)
    for ln in lines["header"]:                  # the header band: inside the type area's width
        _check_edges_inside(ln, grid.left, grid.left + grid.width, problems)
    return problems


def _check_article(blk: list, block, src, grid, problems: list, heading: str = "", head_src=None) -> None:
    x0 = grid.col_x(block.col)
    x1 = x0 + grid.span(block.cols)
    vertical = [ln for ln in blk if ln.role == "vertical"]
    for ln in vertical:
        _check_vertical(ln, block, grid, problems)
    if vertical:
        _check_vertical_order(vertical, block, heading, problems)
        _check_vertical_heads(vertical, block, problems)
    for ln in blk:
        if ln.role in ("heading", "rubric"):
            _check_edges_inside(ln, x0, x1, problems)
            if ln.role == "heading":
                mid = (ink_left(ln) + line_right(ln)) / 2
                if abs(mid - (x0 + x1) / 2) > TOL:
                    problems.append(f"{block.id}: heading line not centred ({mid - (x0 + x1) / 2:+.2f} pt): {ln.text}")
                at = head_src.chars.find(ln.text) if head_src is not None else -1
                _check_line_inside(ln, block.id, problems, src=head_src if at >= 0 else None,
                                   idx=list(range(at, at + len(ln.glyphs))) if at >= 0 else None, justified=False)
    body = [ln for ln in blk if ln.role == "body"]
    jumps = [ln for ln in body if _is_jump(ln.text)]
    text = [ln for ln in body if not _is_jump(ln.text)]
    for ln in jumps:
        if ln.text.startswith("（下转"):
            if abs(line_right(ln) - ln.right) > TOL:
                problems.append(f"{block.id}: jump line not flush right ({line_right(ln) - ln.right:+.2f} pt): {ln.text}")
        elif abs(line_left(ln) - ln.left) > TOL:
            problems.append(f"{block.id}: jump line not flush left ({line_left(ln) - ln.left:+.2f} pt): {ln.text}")
    capacity = None
    if text:        # the column's lines under the heading: from the first text line's band to the block's foot
        top = min(ln.y - (grid.leading - grid.body_size) / 2 - ASCENT * grid.body_size for ln in body)
        foot = grid.line_top(block.line + block.lines) if block.lines is not None else grid.bottom
        capacity = round((foot - top) / grid.leading)
    _check_text_lines(text, block.id, src, grid, problems, indent=2.0, capacity=capacity)
    _check_byline(text, block.id, src, problems)
    idx = align(text, src)
    kinds = [_kind(src, i) for i in idx] if idx is not None else ["text"] * len(text)
    centred = [ln for ln, kind in zip(text, kinds) if kind in ("crosshead", "quote")]
    _check_baselines([ln for ln in body if not any(ln is c for c in centred)], grid, block.id, problems)
    groups: dict = {}
    for ln, i in zip(text, idx or []):
        if _kind(src, i) in ("crosshead", "quote"):
            groups.setdefault(src.para[next(p for p in i if p is not None)], []).append(ln)
    for group in groups.values():
        _check_centred_on_grid(group, grid, block.id, problems)


def _check_vertical(ln: Line, block, grid, problems: list) -> None:
    """A vertical heading part: inside its column strip and the block, set top to bottom in reading order
    (the order of the PDF's text), no two glyphs on one another."""
    y0 = grid.line_top(block.line)
    y1 = grid.line_top(block.line + block.lines) if block.lines is not None else grid.bottom   # auto: to the foot
    for g in ln.glyphs:
        if g.left < ln.left - TOL or g.right > ln.right + TOL:
            problems.append(f"{block.id}: vertical heading glyph {g.ch!r} outside its column strip")
        if g.y < y0 - TOL or g.y > y1 + TOL:
            problems.append(f"{block.id}: vertical heading glyph {g.ch!r} outside its block")


def _vertical_reading(lines: list) -> str:
    """The text of vertical heading parts as a reader takes it: parts and columns right to left, each top down."""
    return "".join(_vertical_columns(lines))


def _vertical_columns(lines: list) -> list:
    """The columns of vertical heading parts, right to left, each read top down."""
    out = []
    for ln in sorted(lines, key=lambda ln: -max(g.centre for g in ln.glyphs)):
        out += ["".join(g.ch for g in col) for col in _vertical_glyph_columns(ln)]
    return out


def _check_vertical_heads(lines: list, block, problems: list) -> None:
    """Every column of a vertical heading starts at the heading's top: the ink of its first glyph within a
    quarter em of the em top of the highest character (an opening mark at a column's head is set in its
    half box, not a blank half em above its ink)."""
    han = [g for ln in lines for g in ln.glyphs if is_han(g.ch)]
    if not han:
        return
    top = min(g.y - ASCENT * g.size for g in han)
    for ln in lines:
        for col in _vertical_glyph_columns(ln):
            first = min(col, key=lambda g: g.top)
            if first.top - top > 0.25 * first.size + TOL:
                problems.append(f"{block.id}: vertical heading column starts {(first.top - top) / first.size:.2f} em "
                                f"below the heading's top: {''.join(g.ch for g in col)}")


def _vertical_glyph_columns(ln: Line) -> list:
    """The glyphs of a vertical heading part by column, right to left, each top down."""
    columns: list = []
    for g in sorted(ln.glyphs, key=lambda g: -g.centre):
        if columns and abs(columns[-1][0].centre - g.centre) < 0.75 * g.size:    # columns 1.25 em apart
            columns[-1].append(g)
        else:
            columns.append([g])
    return [sorted(col, key=lambda g: (round(g.y, 1), g.x)) for col in columns]     # 纵中横: side by side


def _check_vertical_order(lines: list, block, heading: str, problems: list) -> None:
    text = _vertical_reading(lines)
    expected = "".join(heading.split())
    for col in _vertical_columns(lines):
        if col[0] in MAY_NOT_START or col[-1] in MAY_NOT_END:
            problems.append(f"{block.id}: vertical heading column breaks the line-start or line-end rule: {col}")
    if text != expected:
        problems.append(f"{block.id}: the vertical heading reads {text!r}, not {expected!r}")


def _check_photo(blk: list, block, src, grid, problems: list) -> None:
    if not blk:
        return
    idx = align(blk, src)
    cap_lines, credit_lines = [], []
    for k, ln in enumerate(blk):
        if idx is not None and idx[k] and idx[k][0] is not None and idx[k][0] >= src.byline:
            credit_lines.append(ln)
        else:
            cap_lines.append(ln)
    _check_text_lines(cap_lines, block.id, src, grid, problems, indent=0.0, photo=True)
    for n, ln in enumerate(credit_lines):
        _check_line_inside(ln, block.id, problems, src=src, idx=idx[len(cap_lines) + n] if idx else None,
                           justified=False)
        if abs(line_right(ln) - ln.right) > TOL:
            problems.append(f"{block.id}: credit not flush right ({line_right(ln) - ln.right:+.2f} pt): {ln.text}")
    if idx is not None and credit_lines:
        _check_people(credit_lines, idx[len(cap_lines):], src, src.byline, len(src.chars), src.byline_text,
                      block.id, problems)
    _check_baselines(blk, grid, block.id, problems)


def _check_text_lines(lines: list, block_id: str, src, grid, problems: list, indent: float, photo=False,
                      capacity: int | None = None) -> None:
    """Justified text: both edges within TOL (the last line of a paragraph: left edge, and inside)."""
    idx = align(lines, src)
    if src is not None and lines and idx is None:
        problems.append(f"{block_id}: the text shown is not the article's text (from {lines[0].text[:12]}…)")
    hangs: dict = {}
    for k, ln in enumerate(lines):
        nxt = lines[k + 1] if k + 1 < len(lines) else None
        em = ln.size
        kind = _kind(src, idx[k]) if idx is not None else "text"
        if kind != "text":
            _check_element(kind, lines, idx, k, src, block_id, problems, hangs, capacity)
            continue
        if idx is not None:
            last_src = next((p for p in reversed(idx[k]) if p is not None), None)
            first_src = next((p for p in idx[k] if p is not None), None)
            final = last_src is not None and src.para_end[last_src] or (photo and last_src is not None
                                                                        and last_src == src.byline - 1)
            starts = first_src is not None and (first_src == 0 or src.para_end[first_src - 1])
            if photo and first_src == src.byline:
                starts = False
        else:
            final = nxt is None or _indented(nxt, indent)
            starts = _indented(ln, indent)
        expect_left = ln.left + (indent * em if starts and indent else 0.0)
        left = line_left(ln)
        first = ln.glyphs[0]
        if first.ch in INK_RIGHT and abs(left + em / 2 - expect_left) <= TOL:
            left = expect_left        # an opening mark at a line start may lose its leading half em
        if abs(left - expect_left) > TOL:
            problems.append(f"{block_id}: line starts {left - expect_left:+.2f} pt off its edge: {ln.text}")
        right = line_right(ln)
        byline = not photo and idx is not None and _byline_only(idx[k], src)
        ragged = byline and not final and right < ln.right - TOL and _between_people(idx[k], src)
        if not final and not ragged and abs(right - ln.right) > TOL:
            problems.append(f"{block_id}: line not justified (ends {right - ln.right:+.2f} pt): {ln.text}")
        elif (final or ragged) and right > ln.right + TOL:
            problems.append(f"{block_id}: last line past the measure ({right - ln.right:+.2f} pt): {ln.text}")
        spacing = _check_line_inside(ln, block_id, problems, src, idx[k] if idx else None,
                                     justified=not final and not ragged)
        if ragged and abs(spacing) > TOL:
            problems.append(f"{block_id}: byline line set short and letter-spaced ({spacing:+.2f} pt): {ln.text}")
        elif byline and spacing > LOOSE_BYLINE * em + TOL:
            problems.append(f"{block_id}: byline line spaced loosely ({spacing / em:.2f} em between characters; "
                            f"set it flush left): {ln.text}")
        if ln.text[0] in MAY_NOT_START and not starts:
            problems.append(f"{block_id}: line starts with {ln.text[0]!r}: {ln.text}")
        if ln.text[-1] in MAY_NOT_END:
            problems.append(f"{block_id}: line ends with {ln.text[-1]!r}: {ln.text}")
        if nxt is not None:
            _check_break(ln, nxt, block_id, src, idx[k] if idx else None, idx[k + 1] if idx else None, problems)
        if final:
            letters = [g for g in ln.glyphs if is_letter(g.ch)]
            par_letters = sum(1 for ch in (src.chars if src else "") if is_letter(ch))
            if len(letters) == 1 and not (starts and len(ln.glyphs) == len(letters)) and par_letters != 1:
                problems.append(f"{block_id}: paragraph ends with a lone character: {ln.text}")


def _kind(src, line_idx) -> str:
    """What a line shows: "text", or a story element ("crosshead", "item", "table", "quote")."""
    first = next((p for p in line_idx if p is not None), None)
    return src.kind_of(first)


def _sub_line(ln: Line, glyphs, left: float | None = None, role: str | None = None) -> Line:
    return Line(ln.block, ln.column, tuple(glyphs), ln.left if left is None else left, ln.right, role or ln.role)


def _check_element(kind: str, lines: list, idx: list, k: int, src, block_id: str, problems: list, hangs: dict,
                   capacity: int | None = None) -> None:
    """A line of a story element, by the element's own rules:
    - a crosshead or a pull quote: set solid, centred in its column, inside it;
    - a list item: its marker at the column's edge (a bullet centred in the hanging indent), its text in a
      hanging indent of whole ems that the list's items share, justified to the column's right edge but on
      the item's last line;
    - a table row: inside the column, each cell set solid (not justified: cells are not spread to the
      measure), cells in order at least ½ em apart, each column's cells aligned on one side; the table
      whole in one column when it is no taller than the column (`capacity` lines)."""
    ln, line_idx = lines[k], idx[k]
    em = ln.size
    para = src.para[next(p for p in line_idx if p is not None)]
    same = [j for j in range(len(lines)) if idx[j] and any(p is not None for p in idx[j])
            and src.para[next(p for p in idx[j] if p is not None)] == para]
    last_src = next((p for p in reversed(line_idx) if p is not None), None)
    final = k == same[-1] and src.para_end[last_src]
    if kind in ("crosshead", "quote"):
        line = _sub_line(ln, ln.glyphs, role=kind)
        _check_edges_inside(line, ln.left, ln.right, problems)
        mid = (ink_left(line) + line_right(line)) / 2
        if abs(mid - (ln.left + ln.right) / 2) > TOL:
            problems.append(f"{block_id}: {kind} not centred in its column ({mid - (ln.left + ln.right) / 2:+.2f} pt): "
                            f"{ln.text}")
        _check_line_inside(line, block_id, problems, src, line_idx, justified=False)
        _check_ends(line, block_id, problems, starts=k == same[0])
        if k == same[-1] and len(same) > 1 and sum(1 for g in ln.glyphs if is_letter(g.ch)) == 1:
            problems.append(f"{block_id}: {kind} ends with a lone character: {ln.text}")
        if kind == "quote" and lines[same[0]].column != ln.column:
            problems.append(f"{block_id}: pull quote split across columns: {ln.text}")
        if kind == "crosshead" and k == same[-1]:
            _check_kept_with_next(lines, k, src, last_src, block_id, problems, "crosshead")
        return
    if kind == "table":
        cell = src.cell[last_src] if last_src is not None else None
        if cell is not None and cell[0] < src.header.get(para, 0):
            _check_kept_with_next(lines, k, src, last_src, block_id, problems, "table header")
        _check_table_line(ln, line_idx, src, block_id, problems)
        if k == same[-1]:
            _check_table_columns([lines[j] for j in same], [idx[j] for j in same], src, para, block_id, problems)
            if len({lines[j].column for j in same}) > 1 and capacity is not None and len(same) + 1 <= capacity:
                problems.append(f"{block_id}: table of {len(same)} lines split across columns of {capacity}: "
                                f"{lines[same[0]].text}")
        return
    # a list item
    marks = [g for g, p in zip(ln.glyphs, line_idx) if p is not None and src.marker[p]]
    text = [g for g, p in zip(ln.glyphs, line_idx) if p is None or not src.marker[p]]
    if not text:
        problems.append(f"{block_id}: list item marker without text: {ln.text}")
        return
    first = text[0]
    start = first.x + (first.size / 2 if first.ch in INK_RIGHT else 0.0)    # an opening mark's blank
    hang = first.x - ln.left
    if first.ch in INK_RIGHT and abs(round(hang / em) * em - hang) > TOL:
        hang = start - ln.left
    prev = para - 1 if para - 1 in hangs else None
    if k == same[0]:
        if abs(hang - round(hang / em) * em) > TOL or round(hang / em) < 1:
            problems.append(f"{block_id}: list item text not on a hanging indent of whole ems "
                            f"({hang / em:.2f} em): {ln.text}")
        if prev is not None and abs(hang - hangs[prev]) > TOL:
            problems.append(f"{block_id}: list items of one list hang by different indents "
                            f"({hangs[prev] / em:.2f} and {hang / em:.2f} em): {ln.text}")
        hangs[para] = hang
        if marks:
            if any(g.ch.isalnum() for g in marks):      # 1. 一、: at the column's edge
                if abs(marks[0].x - ln.left) > TOL:
                    problems.append(f"{block_id}: list marker {''.join(g.ch for g in marks)!r} not at the "
                                    f"column's edge ({marks[0].x - ln.left:+.2f} pt): {ln.text}")
            else:                                       # a bullet: centred in the hanging indent
                mid = (marks[0].x + marks[-1].end) / 2
                if abs(mid - (ln.left + hang / 2)) > TOL:
                    problems.append(f"{block_id}: bullet not centred in the hanging indent "
                                    f"({mid - ln.left - hang / 2:+.2f} pt): {ln.text}")
            air = first.x - max(set_advance(g) + g.x for g in marks)
            if air < 0.1 * em - TOL:
                problems.append(f"{block_id}: list marker runs into its text ({air / em:.2f} em): {ln.text}")
    elif para in hangs and abs(hang - hangs[para]) > TOL:
        problems.append(f"{block_id}: list item line starts {hang - hangs[para]:+.2f} pt off its hanging "
                        f"indent: {ln.text}")
    item = _sub_line(ln, text, left=ln.left + hangs.get(para, hang), role="item")
    right = line_right(item)
    if not final and abs(right - ln.right) > TOL:
        problems.append(f"{block_id}: list item line not justified (ends {right - ln.right:+.2f} pt): {ln.text}")
    elif final and right > ln.right + TOL:
        problems.append(f"{block_id}: list item's last line past the measure ({right - ln.right:+.2f} pt): {ln.text}")
    text_idx = [p for p in line_idx if p is None or not src.marker[p]]
    _check_line_inside(item, block_id, problems, src, text_idx, justified=not final)
    _check_ends(item, block_id, problems, starts=k == same[0])
    if not final and k + 1 < len(lines) and k + 1 in same:    # numbers and words split at the item's breaks
        nxt = lines[k + 1]
        _check_break(item, nxt, block_id, src, text_idx, idx[k + 1], problems)
    if final:
        letters = [g for g in text if is_letter(g.ch)]
        item_letters = sum(1 for p, ch in enumerate(src.chars) if src.para[p] == para and not src.marker[p]
                           and is_letter(ch))
        if len(letters) == 1 and item_letters > 1 and not (k == same[0]):
            problems.append(f"{block_id}: list item ends with a lone character: {ln.text}")


def _check_kept_with_next(lines: list, k: int, src, last_src: int, block_id: str, problems: list, what: str) -> None:
    """A crosshead or a table's header stays with the line under it: never the last line of a column."""
    more = last_src + 1 < len(src.chars)
    nxt = lines[k + 1] if k + 1 < len(lines) else None
    if more and (nxt is None or nxt.column != lines[k].column):
        problems.append(f"{block_id}: {what} left at the foot of a column: {lines[k].text}")


def _check_ends(ln: Line, block_id: str, problems: list, starts: bool, ends: bool = False) -> None:
    """The line-start and line-end prohibitions (starts / ends: the line begins / ends its text there)."""
    if ln.text[0] in MAY_NOT_START and not starts:
        problems.append(f"{block_id}: {ln.role} line starts with {ln.text[0]!r}: {ln.text}")
    if ln.text[-1] in MAY_NOT_END and not ends:
        problems.append(f"{block_id}: {ln.role} line ends with {ln.text[-1]!r}: {ln.text}")


def _table_cells(ln: Line, line_idx: list, src) -> list:
    """The cells a table line shows, left to right: [((row, column), [glyphs])]."""
    out: list = []
    for g, p in zip(ln.glyphs, line_idx):
        cell = src.cell[p] if p is not None else (out[-1][0] if out else None)
        if out and out[-1][0] == cell:
            out[-1][1].append(g)
        else:
            out.append((cell, [g]))
    return out


def _check_table_line(ln: Line, line_idx: list, src, block_id: str, problems: list) -> None:
    em = ln.size
    _check_edges_inside(_sub_line(ln, ln.glyphs, role="table"), ln.left, ln.right, problems)
    cells = _table_cells(ln, line_idx, src)
    for n, (cell, gs) in enumerate(cells):
        part = _sub_line(ln, gs, role="table cell")
        cidx = [p for g, p in zip(ln.glyphs, line_idx) if any(g is h for h in gs)]
        _check_line_inside(part, block_id, problems, src, cidx, justified=False)
        known = [p for p in cidx if p is not None]
        if known and cell is not None:      # a wrapped cell's lines keep the line-start and line-end rules
            opens = known[0] == 0 or src.cell[known[0] - 1] != cell
            closes = known[-1] + 1 >= len(src.chars) or src.cell[known[-1] + 1] != cell
            _check_ends(part, block_id, problems, starts=opens, ends=closes)
        if n:
            before = cells[n - 1][1][-1]
            gap = gs[0].x - (before.x + set_advance(before))
            if gap < em / 2 - TOL:
                problems.append(f"{block_id}: table cells {gap / em:.2f} em apart (at least ½ em): {ln.text}")
            if cells[n - 1][0] is not None and cell is not None and cells[n - 1][0][1] >= cell[1]:
                problems.append(f"{block_id}: table cells out of order: {ln.text}")


_NUMERIC = re.compile(r"[-+−]?[\d,，.]+[%％‰]?")


def _check_table_columns(lines: list, idx: list, src, para: int, block_id: str, problems: list) -> None:
    """Each column of a table: its body cells aligned all left or all right (a column of numbers right),
    its header cell standing over them."""
    header = src.header.get(para, 0)
    cols: dict = {}
    heads: dict = {}
    for ln, line_idx in zip(lines, idx):
        for cell, gs in _table_cells(ln, line_idx, src):
            if cell is None:
                continue
            # relative to the text column the line stands in (a table may go on in the next column)
            box = (gs[0].x - ln.left, gs[-1].x + set_advance(gs[-1]) - ln.left, "".join(g.ch for g in gs))
            (heads if cell[0] < header else cols).setdefault(cell[1], {}).setdefault(cell[0], []).append(box)
    for j, rows in sorted(cols.items()):
        for boxes in rows.values():       # a wrapped cell: its lines flush on one side, as its column's
            if len(boxes) > 1 and max(b[0] for b in boxes) - min(b[0] for b in boxes) > TOL \
                    and max(b[1] for b in boxes) - min(b[1] for b in boxes) > TOL:
                problems.append(f"{block_id}: table cell's lines aligned neither left nor right: "
                                f"{' / '.join(b[2] for b in boxes)}")
        firsts = [boxes[0] for _, boxes in sorted(rows.items())]
        lefts, rights = [b[0] for b in firsts], [b[1] for b in firsts]
        flush_left = max(lefts) - min(lefts) <= TOL
        flush_right = max(rights) - min(rights) <= TOL
        numbers = all(_NUMERIC.fullmatch(b[2]) for b in firsts)
        if numbers and len(firsts) > 1 and not flush_right:
            problems.append(f"{block_id}: table column {j + 1} of numbers not aligned right: "
                            f"{' / '.join(b[2] for b in firsts)}")
        elif not flush_left and not flush_right:
            problems.append(f"{block_id}: table column {j + 1} aligned neither left nor right: "
                            f"{' / '.join(b[2] for b in firsts)}")
        lo, hi = min(lefts), max(rights)
        for boxes in heads.get(j, {}).values():
            for b in boxes:
                if b[1] < lo - TOL or b[0] > hi + TOL:
                    problems.append(f"{block_id}: table header {b[2]!r} does not stand over its column")


def _byline_only(idx: list, src) -> bool:
    """The line shows only byline characters (a hyphen the composer added aside)."""
    shown = [p for p in idx if p is not None]
    return bool(shown) and src.byline > 0 and shown[-1] < src.byline


def _between_people(idx: list, src) -> bool:
    """The line ends where a byline may break: at a typed space, before its opening bracket, or before
    the date of a dateline."""
    last = next((p for p in reversed(idx) if p is not None), None)
    return last is not None and last + 1 < len(src.chars) and (
        src.space_after[last] or src.chars[last + 1] in INK_RIGHT or _before_date(src.chars, last))


def _before_date(chars: str, last: int) -> bool:
    """chars[last] ends the place of a dateline and a date follows (新华社呼和浩特 / 11月30日电): a
    dateline is typed without spaces, and may break between its place and its date, never inside either."""
    return is_han(chars[last]) and chars[last] != "年" and \
        bool(re.match(r"(\d{4}年)?\d{1,2}月\d{1,2}日", chars[last + 1:last + 13]))


def _check_break(ln: Line, nxt: Line, block_id: str, src, idx, nidx, problems: list) -> None:
    a, b = ln.glyphs[-1].ch, nxt.glyphs[0].ch
    if a == b and a in TWO_EM:
        problems.append(f"{block_id}: {a * 2} split across lines: {ln.text} / {nxt.text}")
    added_hyphen = idx is not None and idx[-1] is None
    if added_hyphen:
        a = ln.glyphs[-2].ch if len(ln.glyphs) > 1 else a
        left_word = _word_before(ln.glyphs[:-1])
        right_word = _word_after(nxt.glyphs)
        whole = left_word + right_word
        if re.search(r"\d", a + b) or "://" in whole or "@" in whole or "www." in whole or \
                re.search(r"U\+[0-9A-F]*$", left_word):
            problems.append(f"{block_id}: hyphenated inside a number, URL or code point: {ln.text} / {nxt.text}")
        elif len(re.sub(r"[^A-Za-z]", "", left_word)) < 2 or len(re.sub(r"[^A-Za-z]", "", right_word)) < 2:
            problems.append(f"{block_id}: hyphenation leaves fewer than two letters: {ln.text} / {nxt.text}")
        return
    if is_word(a) and is_word(b) and a != "-":
        typed = idx is not None and idx[-1] is not None and src.space_after[idx[-1]]
        if not typed:
            width = sum(g.adv for g in _word_glyphs(ln.glyphs, nxt.glyphs))
            if width <= ln.right - ln.left + TOL:
                problems.append(f"{block_id}: word or number split without a hyphen: {ln.text} / {nxt.text}")


def _word_before(gs) -> str:
    out = []
    for g in reversed(gs):
        if not is_word(g.ch):
            break
        out.append(g.ch)
    return "".join(reversed(out))


def _word_after(gs) -> str:
    out = []
    for g in gs:
        if not is_word(g.ch):
            break
        out.append(g.ch)
    return "".join(out)


def _word_glyphs(a, b) -> list:
    out = []
    for g in reversed(a):
        if not is_word(g.ch):
            break
        out.append(g)
    for g in b:
        if not is_word(g.ch):
            break
        out.append(g)
    return out


def _indented(line: Line, indent: float) -> bool:
    return indent > 0 and abs(line.glyphs[0].x - (line.left + indent * line.size)) < 0.6 * line.size


def _check_edges_inside(ln: Line, x0: float, x1: float, problems: list) -> None:
    first = ln.glyphs[0]
    left = first.x + first.size / 2 if first.ch in INK_RIGHT else first.x   # a blank it may have dropped
    if left < x0 - TOL or min(g.left for g in ln.glyphs) < x0 - TOL:
        problems.append(f"{ln.block}: {ln.role} line starts left of its block ({left - x0:+.2f} pt): {ln.text}")
    if line_right(ln) > x1 + TOL or max(g.right for g in ln.glyphs) > x1 + TOL:
        problems.append(f"{ln.block}: {ln.role} line ends right of its block ({line_right(ln) - x1:+.2f} pt): {ln.text}")


def _check_line_inside(ln: Line, block_id: str, problems: list, src, idx, justified: bool) -> float:
    """Within one line: even spacing, the Han–Latin gap, full-width marks, adjacent marks at 1.5 em.
    Returns the letter-spacing between Han (0 when the line has no two Han side by side)."""
    gs = ln.glyphs

    def typed_space(k):
        return idx is not None and idx[k] is not None and src.space_after[idx[k]]
    steps = [(gs[k + 1].x - gs[k].end, gs[k], gs[k + 1]) for k in range(len(gs) - 1)
             if is_han(gs[k].ch) and is_han(gs[k + 1].ch) and gs[k].size == gs[k + 1].size and not typed_space(k)]
    s = statistics.median(v for v, _, _ in steps) if steps else 0.0
    known = bool(steps) or not justified          # a justified line with no two Han side by side: unknown
    if steps:
        lo, hi = min(v for v, _, _ in steps), max(v for v, _, _ in steps)
        if hi - lo > TOL:
            problems.append(f"{block_id}: uneven spacing in a line ({lo:.2f}–{hi:.2f} pt between Han): {ln.text}")
    if not justified and abs(s) > TOL and ln.role != "body":
        problems.append(f"{block_id}: {ln.role} line letter-spaced ({s:+.2f} pt): {ln.text}")
    for k in range(len(gs) - 1):
        a, b = gs[k], gs[k + 1]
        ea = max(a.size, b.size)
        if typed_space(k) and is_han(a.ch) and is_han(b.ch):
            # a space typed between Han (a headline's two phrases, a byline's title and name): an em,
            # compressed to no less than half an em
            gap = b.x - a.end - s
            if not 0.5 * ea - TOL <= gap <= ea + TOL:
                problems.append(f"{block_id}: space between Han {gap / ea:.2f} em (wants ½–1 em) at {a.ch}{b.ch}: "
                                f"{ln.text}")
        # the Han–Latin gap: a quarter em, ⅛–⅓ em when the line is adjusted (a typed space: ¼–½ em)
        if (is_han(a.ch) and _latin_run(gs, k + 1, forward=True)) or (is_han(b.ch) and _latin_run(gs, k, forward=False)):
            gap = b.x - a.end - s
            typed = typed_space(k)
            lo, hi = (0.25, 0.5) if typed else (0.125, 1 / 3)
            if not known:
                hi = 1.0                              # its letter-spacing is not known: at most an em
            if not lo * ea - TOL <= gap <= hi * ea + TOL:
                problems.append(f"{block_id}: Han–Latin gap {gap / ea:.2f} em (wants ¼ em) at {a.ch}{b.ch}: {ln.text}")
        # full-width marks in Chinese text: at least half an em, ink on the right side of the em box
        chinese = lambda g: is_han(g.ch) or g.ch in MARKS or g.ch in UNIT_SIGNS  # noqa: E731
        if a.ch in (INK_LEFT | STOPS) and (chinese(b) or k > 0 and chinese(gs[k - 1])):
            width = b.x - a.x - (0.0 if b.ch in MARKS else s)
            if b.ch in INK_RIGHT:
                width = max(width, b.left - a.x)      # ）（ : the pair's blanks may both be gone
            if width < a.size / 2 - TOL:
                problems.append(f"{block_id}: {a.ch} set {width / a.size:.2f} em wide (a full-width mark takes "
                                f"at least ½ em): {ln.text}")
            if a.ch in QUOTES and a.right > a.x + a.size / 2 + TOL:
                problems.append(f"{block_id}: {a.ch} ink outside the left half of its em box: {ln.text}")
        if b.ch in INK_RIGHT and (chinese(a) or k + 2 < len(gs) and chinese(gs[k + 2])) \
                and not (k + 2 < len(gs) and gs[k + 2].ch in INK_RIGHT):     # 《〈: the pair rule below
            end = gs[k + 2].x - (0.0 if gs[k + 2].ch in MARKS else s) if k + 2 < len(gs) else b.x + b.size
            start = a.x + (a.size / 2 if a.ch in INK_LEFT | STOPS else a.adv + s)
            if end - start < b.size / 2 - TOL:
                problems.append(f"{block_id}: {b.ch} set {(end - start) / b.size:.2f} em wide (a full-width mark "
                                f"takes at least ½ em): {ln.text}")
            if b.ch in QUOTES and b.left < end - b.size / 2 - TOL:
                problems.append(f"{block_id}: {b.ch} ink outside the right half of its em box: {ln.text}")
        if a.ch in MARKS and b.ch in MARKS:
            # two adjacent marks take 1.5 em: from the first's origin to the end of the second's em box
            if b.ch in INK_RIGHT:
                end = gs[k + 2].x - (0.0 if gs[k + 2].ch in MARKS else s) if k + 2 < len(gs) else b.x + b.size
            else:
                end = b.x + (b.size if k + 2 < len(gs) else set_advance(b))
            if end - a.x > 1.5 * a.size + TOL:
                problems.append(f"{block_id}: {a.ch}{b.ch} takes {(end - a.x) / a.size:.2f} em: {ln.text}")
    return s


def _latin_run(gs, k: int, forward: bool) -> bool:
    """Is gs[k] the edge of a Latin run (a word, or a number with its unit sign) next to Han?"""
    ch = gs[k].ch
    if is_latin(ch):
        return True
    if ch in UNIT_SIGNS:           # 85% 以上: the sign belongs to its number
        j = k - 1
        return j >= 0 and gs[j].ch.isdigit()
    if ch in "¥$" and forward:     # 约 ¥100: so does a currency sign
        return k + 1 < len(gs) and gs[k + 1].ch.isdigit()
    return False


def _check_byline(lines: list, block_id: str, src, problems: list) -> None:
    if src is None or not src.byline or not lines:
        return
    idx = align(lines, src)
    if idx is None or idx[0][0] != 0:
        return
    _check_people(lines, idx, src, 0, src.byline, src.byline_text, block_id, problems)


def _check_people(lines, idx, src, lo: int, hi: int, typed: str, block_id: str, problems: list) -> None:
    """A byline or credit breaks only at a typed space (between people, or between a title and its name)
    or before its opening bracket (本报讯 / （记者 …); never inside a title such as 记者 or 通讯员, never
    inside a name."""
    ends, pos = {}, lo               # source index of the last character of each typed token -> the token
    for t in typed.split():
        pos += len(t)
        ends[pos - 1] = t
    for k, ln in enumerate(lines[:-1]):
        last = next((p for p in reversed(idx[k]) if p is not None), None)
        if last is None or not lo <= last < hi - 1:
            continue
        where = f"{ln.text} / {lines[k + 1].text}"
        token = ends.get(last)
        if token is None:
            if src.chars[last + 1] not in INK_RIGHT and not _before_date(src.chars, last):
                problems.append(f"{block_id}: byline or credit broken inside a title or name: {where}")
            continue
        # a break at a typed space, between people or between a title and its name, splits nothing


def _check_baselines(lines: list, grid, block_id: str, problems: list) -> None:
    base = grid.top + (grid.leading - grid.body_size) / 2 + ASCENT * grid.body_size
    for ln in lines:
        off = (ln.y - base) / grid.leading
        if abs(off - round(off)) * grid.leading > GRID_TOL:
            problems.append(f"{block_id}: baseline off the grid by {(off - round(off)) * grid.leading:+.2f} pt: {ln.text}")


def _check_centred_on_grid(lines: list, grid, block_id: str, problems: list) -> None:
    """A crosshead or pull quote takes whole grid lines, its lines' em boxes centred in them."""
    top = lines[0].y - ASCENT * lines[0].size
    bottom = lines[-1].y - ASCENT * lines[-1].size + lines[-1].size
    off = ((top + bottom) / 2 - grid.top) / (grid.leading / 2)
    if abs(off - round(off)) * grid.leading / 2 > GRID_TOL:
        problems.append(f"{block_id}: {'/'.join(ln.text for ln in lines)} not centred on whole grid lines "
                        f"({(off - round(off)) * grid.leading / 2:+.2f} pt)")


def _check_footer(lines: list, spec, grid, problems: list) -> None:
    for ln in lines:
        base = grid.top + (grid.leading - ln.size) / 2 + ASCENT * ln.size
        off = (ln.y - base) / grid.leading
        if abs(off - round(off)) * grid.leading > GRID_TOL:
            problems.append(f"footer: baseline off the body grid by {(off - round(off)) * grid.leading:+.2f} pt: {ln.text}")
        if abs(line_right(ln) - (grid.left + grid.width)) > TOL:
            problems.append(f"footer: not flush right ({line_right(ln) - grid.left - grid.width:+.2f} pt): {ln.text}")

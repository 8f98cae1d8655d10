"""A story body's typed paragraphs set into grid lines: text, crossheads, list items, tables, pull quotes.

Plain text paragraphs become the composer's SetLines, as always. Everything else becomes Slots, one per
grid line it takes, that carry what they draw relative to their column and line; a Slot marked `keep`
never ends a column (a crosshead stays with the text under it, a table row or a pull quote stays whole)."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from .display import Rule, TextRun
from .grid import CJK_ASCENT
from .markup import CROSSHEAD, ITEM, QUOTE, TABLE, TEXT, Para, plain
from .text.compose import compose_heading, compose_paragraph
from .text.justify import located
from .text.segment import Span

BLACK = (0.0, 0.0, 0.0, 1.0)
TABLE_RULE = 0.5          # the rule under a table's header row (三线表: thin inside, heavier outside)
TABLE_EDGE = 1.0          # the rules above and below a table
QUOTE_RULE = 0.75         # the rules above and below a pull quote
MARKER_AIR = 0.15         # em: the least space between a list marker and its text
MIN_CELL = 2.0            # em: a table cell is never narrowed below two characters (or its longest word)
_WORD = re.compile(r"[A-Za-z0-9.,%:/+\-]+")
_NUMBER = re.compile(r"^[-+−]?[\d,，.]+[%％]?$")


@dataclass(frozen=True)
class Slot:
    """One grid line of a story that is not a plain body line: its items have x from the column's left
    edge and y from the top of the grid line the slot lands on (and block ""), placed by `at`."""
    items: tuple = ()
    chars: int = 0
    keep: bool = False      # keep with the next line: a column never ends after this slot
    text: str = ""
    source: str = ""        # an item line's text without its marker (what of the item's text it sets)

    def at(self, x: float, top: float, block: str) -> list:
        """The slot's items in page coordinates, in block `block`."""
        out = []
        for item in self.items:
            if isinstance(item, Rule):
                out.append(replace(item, x1=round(item.x1 + x, 3), x2=round(item.x2 + x, 3),
                                   y1=round(item.y1 + top, 3), y2=round(item.y2 + top, 3)))
            else:
                out.append(replace(item, x=round(item.x + x, 3), y=round(item.y + top, 3), block=block))
        return out


@dataclass(frozen=True)
class Body:
    """A story body set: its lines (SetLines and Slots), characters no font has, and warnings."""
    lines: tuple
    missing: tuple
    notes: tuple
    paras: tuple = ()      # the paragraph of each line (-1: a byline standing alone before the first)
    texts: tuple = ()      # what of its paragraph's text each line sets (see para_text; "" for a band)


def para_text(paras, index: int, byline: Span | None = None) -> str:
    """The text of paragraph `index` that its lines set, in order: a text paragraph's runs (the byline's
    first when it runs in at the start of the story), an item's runs without its marker."""
    ran_in = index == 0 and byline is not None and paras[0].kind == TEXT
    return (run_in(byline.text) if ran_in else "") + plain(paras[index].runs)


def run_in(byline: str) -> str:
    """A byline as it runs into the first paragraph: the text follows a closing bracket or any other mark
    at once (本报讯（记者 林晓）社区…, 本报讯：…); after a name or a dateline (a letter) a space keeps them
    apart, an em between Han that may close to half an em (本报记者 王晓　老街…, 新华社北京3月5日电　近日…)."""
    if byline and byline[-1].isalnum():
        return byline + " "
    return byline


def set_body(paras, styles: dict, body_style, leading: float, measure: float, metrics, byline: Span | None = None,
             where: str = "", byline_src: tuple = (), begin: tuple = (0, 0)) -> Body:
    """Set typed paragraphs on a column measure; `byline` runs in at the start of the first text paragraph
    (or stands as a paragraph of its own when the body begins with something else). Each line carries the
    offsets of its characters in the file `where` (the paragraphs' src, the byline's `byline_src`).

    begin (paragraph, offset): set the story from there on, the rest of a story a block of another
    measure began: a text or an item goes on from character `offset` of its para_text (no indent, no
    marker); a crosshead, table or pull quote drops the `offset` lines of it already placed."""
    setter = _Setter(styles, body_style, leading, measure, metrics, where)
    setter.byline_src = tuple(byline_src)
    first, offset = begin
    hang = 0.0
    marks = []

    def mark(index: int, count: int) -> None:
        marks.extend([index] * (len(setter.lines) - count))

    for i, para in enumerate(paras):
        if i < first:
            continue
        count = len(setter.lines)
        cut = offset if i == first else 0
        lead = byline if i == 0 and (not cut or para.kind == TEXT) else None
        if lead is not None and para.kind != TEXT:
            setter.text(Para(TEXT, ()), lead)
            mark(-1, count)
            count = len(setter.lines)
            lead = None
        if para.kind == TEXT:
            setter.text(para, lead, len(para_text(paras, i, byline)) - cut if cut else None)
        elif para.kind == ITEM:
            if i == first or paras[i - 1].kind != ITEM:  # a list: the items up to the next other paragraph
                begins = next((k for k in range(i, -1, -1) if k == 0 or paras[k - 1].kind != ITEM), i)
                end = next((k for k in range(i, len(paras)) if paras[k].kind != ITEM), len(paras))
                hang = setter.hang(p.marker for p in paras[begins:end])
            setter.item(para, hang, cut)
        else:
            {CROSSHEAD: setter.crosshead, TABLE: setter.table, QUOTE: setter.quote}[para.kind](para)
            del setter.lines[count:count + cut]
        mark(i, count)
    if not paras and byline is not None:
        setter.text(Para(TEXT, ()), byline)
        mark(-1, 0)
    return Body(tuple(setter.lines), tuple(setter.missing), tuple(setter.notes), tuple(marks),
                tuple(_set_text(line) for line in setter.lines))


def _set_text(line) -> str:
    """What of its paragraph's text a line sets (a band or a table row: "")."""
    if isinstance(line, Slot):
        return line.source
    return line.text


class _Setter:
    """The paragraphs of one body set in turn; lines, missing glyphs and warnings gathered."""

    def __init__(self, styles, body_style, leading, measure, metrics, where):
        self.styles, self.body, self.leading, self.measure = styles, body_style, leading, measure
        self.metrics, self.where = metrics, where
        self.em = body_style.size
        self.lines, self.missing, self.notes = [], [], []
        self.byline_src = ()

    # -- helpers
    def spans(self, runs, style) -> list:
        """(text, strong) runs in `style`; strong runs in the strong style's face and colour, at this size."""
        strong = self.styles["strong"]
        return [Span(text, strong.font if bold else style.font, style.size, strong.color if bold else style.color)
                for text, bold in runs]

    def miss(self, missing) -> None:
        self.missing += [(m.char, m.font) for m in missing]

    def baseline(self, size: float) -> float:
        """Baseline of type `size` centred in a grid line, from the line's top."""
        return (self.leading - size) / 2 + CJK_ASCENT * size

    def runs(self, line, x: float, y: float, role: str, src: tuple = ()) -> list:
        """The line's runs as TextRuns at (x, y); `src`: the file offset of each character the composer was given."""
        n = len(src)
        return [TextRun(x=round(x + r.x, 3), y=round(y, 3), text=r.text, face=r.face, size=r.size, color=r.color,
                        role=role, block="", tracking=r.tracking, hscale=r.hscale,
                        src=tuple(src[i] if 0 <= i < n else -1 for i in r.at) if n else (), file=self.where)
                for r in line.runs]

    def band(self, items, rows: int, chars: int, text: str) -> None:
        """A unit of `rows` grid lines drawn from its first line, kept whole in one column."""
        for k in range(rows):
            first = k == 0
            self.lines.append(Slot(tuple(items) if first else (), chars if first else 0, keep=k < rows - 1,
                                   text=text if first else ""))

    # -- the kinds
    def text(self, para: Para, byline: Span | None = None, last: int | None = None) -> None:
        """A text paragraph; last: only its last characters (the byline's included), set with no indent."""
        spans, src = [], ()
        if byline is not None:
            joined = run_in(byline.text) if para.runs else byline.text
            spans.append(replace(byline, text=joined))
            src = _src(byline.text, self.byline_src) + (-1,) * (len(joined) - len(byline.text))
        spans += self.spans(para.runs, self.body)
        src += _src(plain(para.runs), para.src)
        if last is not None:
            spans, src = _last(spans, last), src[len(src) - last:]
        lines, missing = compose_paragraph(spans, self.measure, self.metrics, self.em,
                                           indent=0.0 if last is not None else None)
        self.miss(missing)
        self.lines.extend(located(line, src, self.where) for line in lines)

    def crosshead(self, para: Para) -> None:
        """小标题: the heading face, centred on whole grid lines (a line of air), kept with the next line."""
        style = self.styles["crosshead"]
        lines, missing = compose_heading(self.spans(para.runs, style), self.measure, self.metrics, style.size)
        self.miss(missing)
        if not lines:
            return
        group = len(lines) * style.leading
        rows = max(2, math.ceil(group / self.leading - 1e-6) + 1)
        top = (rows * self.leading - group) / 2
        items = []
        for k, line in enumerate(lines):
            y = top + k * style.leading + (style.leading - style.size) / 2 + CJK_ASCENT * style.size
            items += self.runs(line, (self.measure - line.width) / 2, y, "crosshead", _src(plain(para.runs), para.src))
        chars = sum(line.chars for line in lines)
        for k in range(rows):          # every line of the crosshead keeps with the next: never at a column foot
            self.lines.append(Slot(tuple(items) if k == 0 else (), chars if k == 0 else 0, keep=True,
                                   text=plain(para.runs) if k == 0 else ""))

    def natural(self, spans, em: float) -> float:
        """Width of spans set on one line."""
        lines, _ = compose_heading(spans, 1e6, self.metrics, em, display=False)    # as a table cell is set
        return max((ln.width for ln in lines), default=0.0)

    def marker(self, text: str):
        """An item's marker set as one line in the body face (None when no font has it)."""
        lines, missing = compose_heading([Span(text, self.body.font, self.body.size, self.body.color)],
                                         self.measure, self.metrics, self.em)
        self.miss(missing)
        return lines[0] if lines else None

    def hang(self, markers) -> float:
        """The hanging indent of a list: whole ems that hold its widest marker and a little air."""
        widest = max((m.width for m in (self.marker(t) for t in markers) if m is not None), default=0.0)
        return max(1, math.ceil((widest + MARKER_AIR * self.em) / self.em - 1e-6)) * self.em

    def item(self, para: Para, hang: float, cut: int = 0) -> None:
        """A list item: its marker in the list's hanging indent of whole ems, the text justified beside it;
        cut: the item goes on from this character of its text (no marker: it stood in an earlier block)."""
        marker = self.marker(para.marker) if not cut else None
        spans = self.spans(para.runs, self.body)
        src = _src(plain(para.runs), para.src)
        if cut:
            spans, src = _last(spans, len(src) - cut), src[cut:]
        lines, missing = compose_paragraph(spans, self.measure - hang, self.metrics, self.em, indent=0.0)
        self.miss(missing)
        y = self.baseline(self.em)
        for k, line in enumerate(lines or [None]):
            items = []
            if k == 0 and marker is not None:
                mx = (hang - marker.width) / 2 if para.marker == "·" else 0.0
                at = para.marker_at                   # `- ` drawn as ·; 1. and 一、 as they are typed
                items += self.runs(marker, mx, y, "item", tuple(range(at, at + len(para.marker))) if at >= 0 else ())
            if line is not None:
                items += self.runs(line, hang, y, "item", src)
            self.lines.append(Slot(tuple(items), (line.chars if line else 0) + (marker.chars if k == 0 and marker else 0),
                                   text=(para.marker if k == 0 and not cut else "") + (line.text if line else ""),
                                   source=line.text if line else ""))

    def quote(self, para: Para) -> None:
        """A pull quote: larger type, balanced and centred between two rules, on whole grid lines."""
        style = self.styles["quote"]
        inset = self.em
        lines, missing = compose_heading(self.spans(para.runs, style), self.measure - 2 * inset, self.metrics,
                                         style.size)
        self.miss(missing)
        if not lines:
            return
        group = len(lines) * style.leading
        rows = math.ceil(group / self.leading - 1e-6) + 2
        height = rows * self.leading
        top = (height - group) / 2
        items = [Rule(0.0, self.leading / 2, self.measure, self.leading / 2, QUOTE_RULE, BLACK)]
        for k, line in enumerate(lines):
            y = top + k * style.leading + (style.leading - style.size) / 2 + CJK_ASCENT * style.size
            items += self.runs(line, (self.measure - line.width) / 2, y, "quote", _src(plain(para.runs), para.src))
        items.append(Rule(0.0, height - self.leading / 2, self.measure, height - self.leading / 2, QUOTE_RULE, BLACK))
        self.band(items, rows, sum(line.chars for line in lines), plain(para.runs))

    def table(self, para: Para) -> None:
        """A pipe table on the grid (三线表): a rule above, under the header and below; columns as wide as
        their cells need, wrapped when the measure is short; reported when it cannot fit. Kept whole in one
        column: split between columns, its rows would go on without their header and rules."""
        style, strong = self.styles["table"], self.styles["strong"]
        sources = para.src if len(para.src) == len(para.rows) else ((),) * len(para.rows)
        rows_src = [s for r, s in zip(para.rows, sources) if r]
        rows = [r for r in para.rows if r]
        if not rows:
            return
        ncols = max(len(r) for r in rows)
        rows = [r + ((),) * (ncols - len(r)) for r in rows]
        em = style.size

        def cell_spans(row_index, cell):
            if row_index < para.header:
                return [Span(plain(cell), strong.font, style.size, strong.color)] if cell else []
            return self.spans(cell, style) if cell else []

        natural = [0.0] * ncols
        narrow = [em] * ncols
        for ri, row in enumerate(rows):
            for j, cell in enumerate(row):
                spans = cell_spans(ri, cell)
                if not spans:
                    continue
                width = self.natural(spans, em)
                natural[j] = max(natural[j], width)
                words = [self.natural([Span(w, s.font, s.size, s.color)], em)
                         for s in spans for w in _WORD.findall(s.text)]
                narrow[j] = max(narrow[j], min(width, MIN_CELL * em), *words)
        natural = [max(n, w) for n, w in zip(natural, narrow)]
        gap = em                    # a full em between columns, half an em before any cell is wrapped
        if sum(natural) + gap * (ncols - 1) > self.measure:
            gap = em / 2
        widths = _fit_columns(natural, narrow, self.measure - gap * (ncols - 1))
        if widths is None:
            need = sum(narrow) + gap * (ncols - 1)
            self.notes.append(f"{self.where}:{para.line}: this table needs {need:.1f} pt but its column is "
                              f"{self.measure:.1f} pt wide ({ncols} columns of text); it runs over the column: "
                              f"give the block wider text columns (columns:) or the table fewer columns")
            widths = narrow
        numeric = [all(_NUMBER.match(plain(r[j]).strip()) for r in rows[para.header:] if plain(r[j]).strip())
                   and any(plain(r[j]).strip() for r in rows[para.header:]) for j in range(ncols)]
        xs = [sum(widths[:j]) + gap * j for j in range(ncols)]
        total = xs[-1] + widths[-1]
        y0 = self.baseline(style.size)
        self.lines.append(Slot(keep=True))                       # air above the table
        for ri, row in enumerate(rows):
            cells = []
            for j, cell in enumerate(row):
                spans = cell_spans(ri, cell)
                lines, missing = compose_paragraph(spans, widths[j], self.metrics, em, indent=0.0, justify=False) \
                    if spans else ((), ())
                self.miss(missing)
                cells.append(lines)
            depth = max(1, max(len(c) for c in cells))
            header = ri < para.header
            for k in range(depth):
                items = []
                if k == 0 and ri == 0:
                    items.append(Rule(0.0, 0.0, total, 0.0, TABLE_EDGE, BLACK))
                if k == 0 and ri == para.header and ri > 0:
                    items.append(Rule(0.0, 0.0, total, 0.0, TABLE_RULE, BLACK))
                if k == depth - 1 and ri == len(rows) - 1:
                    items.append(Rule(0.0, self.leading, total, self.leading, TABLE_EDGE, BLACK))
                chars, text = 0, []
                for j, lines in enumerate(cells):
                    if k >= len(lines):
                        continue
                    line = lines[k]
                    if header:
                        x = xs[j] + (widths[j] - line.width) / 2
                    elif numeric[j]:
                        x = xs[j] + widths[j] - line.width
                    else:
                        x = xs[j]
                    cell_src = rows_src[ri][j] if j < len(rows_src[ri]) else ()
                    items += self.runs(line, x, y0, "table", _src(plain(row[j]), cell_src))
                    chars += line.chars
                    text.append(line.text)
                last_row = ri == len(rows) - 1 and k == depth - 1
                # the table kept whole in one column (a column shorter than the table breaks it where it must)
                self.lines.append(Slot(tuple(items), chars, keep=not last_row, text=" ".join(text)))
        self.lines.append(Slot())                                # air below


def _src(text: str, src: tuple) -> tuple:
    """The offsets of a text's characters, or -1 for each when they are unknown (or do not match it)."""
    return tuple(src) if len(src) == len(text) else (-1,) * len(text)


def _last(spans: list, count: int) -> list:
    """The spans' last `count` characters."""
    out = []
    for span in reversed(spans):
        if count <= 0:
            break
        out.append(span if len(span.text) <= count else replace(span, text=span.text[len(span.text) - count:]))
        count -= len(span.text)
    return out[::-1]


def _fit_columns(natural, narrow, room: float):
    """Column widths within `room`: natural widths spread to fill it, or the widest columns narrowed
    (never below the narrowest their cells allow); None when even that does not fit."""
    if sum(natural) <= room:
        total = sum(natural) or 1.0
        extra = room - sum(natural)
        return [n + extra * n / total for n in natural]
    if sum(narrow) > room + 0.01:
        return None
    lo, hi = 0.0, max(natural)
    for _ in range(50):                 # the cap on each column that makes them fill the room
        cap = (lo + hi) / 2
        if sum(max(w, min(n, cap)) for n, w in zip(natural, narrow)) > room:
            hi = cap
        else:
            lo = cap
    return [max(w, min(n, lo)) for n, w in zip(natural, narrow)]

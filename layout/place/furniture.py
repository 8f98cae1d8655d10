"""Page furniture: the header (报头), the footer, rules between blocks, the slug line under the bleed."""
from __future__ import annotations

from ..display import Rule
from ..grid import CJK_ASCENT
from ..spec import Style
from .common import BLACK, Page, RULE_WIDTH, heading_lines, text_runs, with_source


SLUG_SIZE = 6.0
MARK_CLEARANCE = 3.0    # pt beyond the bleed, as the crop marks


def slug_line(page: Page, missing: list) -> list:
    """File name, page and date in the slug under the bleed (with the crop marks), set like any text."""
    spec, metrics = page.spec, page.metrics
    text = f"{spec.path.name} · {spec.page.section} 第{spec.page.folio}版 · {spec.page.date}"
    style = Style(spec.grid.body.font, SLUG_SIZE, SLUG_SIZE * 1.2, BLACK)
    lines, miss = heading_lines(text, style, spec.format.trim_w, metrics)
    missing += miss
    y = spec.format.trim_h + spec.format.bleed + MARK_CLEARANCE + SLUG_SIZE
    return [run for line in lines[:1] for run in text_runs(line, 0.0, y, "slug", "sheet")]


def block_rules(page: Page) -> list:
    """Thin rules in the blank line between stacked blocks and in the gutter between neighbours,
    each drawn as one continuous stroke however many block pairs it separates."""
    spec, grid = page.spec, page.grid
    across: dict = {}   # gap line -> columns it separates
    down: dict = {}     # column whose left gutter holds a rule -> grid lines it runs along
    for a in spec.blocks:
        for b in spec.blocks:
            if b.line == a.line + a.lines + 1:
                across.setdefault(b.line - 1, set()).update(
                    range(max(a.col, b.col), min(a.col + a.cols, b.col + b.cols)))
            if b.col == a.col + a.cols:
                down.setdefault(b.col, set()).update(
                    range(max(a.line, b.line), min(a.line + a.lines, b.line + b.lines)))
    out = []
    for line, cols in sorted(across.items()):
        y = grid.line_top(line) + grid.leading / 2
        for first, last in _runs_of(cols):
            out.append(Rule(grid.col_x(first), y, grid.col_x(last) + grid.col_width, y, RULE_WIDTH, BLACK))
    for col, lines in sorted(down.items()):
        x = grid.col_x(col) - grid.gutter / 2
        for first, last in _runs_of(lines):
            out.append(Rule(x, grid.line_top(first), x, grid.line_top(last + 1), RULE_WIDTH, BLACK))
    return out


def _runs_of(numbers) -> list:
    """[(first, last), ...] of the runs of consecutive integers in `numbers`."""
    runs = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return [tuple(r) for r in runs]


def _first_line(lines, what: str, notes: list):
    """Header and footer texts take one line; anything longer is cut, and said so."""
    if len(lines) > 1:
        cut = "".join(line.text for line in lines[1:])
        notes.append(f"{what} is too long for its line; `{cut}` is not shown: shorten it in the spec")
    return lines[:1]


def folio_text(folio, src: tuple = ()) -> tuple:
    """("第N版", the offsets of its characters): the number's own; 第 and 版 are typed nowhere (-1: the
    studio answers a click on them with the nearest typed character of the line, the folio)."""
    if not folio:
        return "", ()
    text = f"第{folio}版"
    if len(src) != len(str(folio)):
        return text, ()
    return text, (-1, *src, -1)


def header(page: Page, missing: list, notes: list) -> list:
    """报头: the section name large on the left; paper, date and folio on the right; a heavy rule below."""
    spec, grid, metrics = page.spec, page.grid, page.metrics
    st, p = spec.styles, spec.page
    band_top, band_h = grid.header_top, grid.top - grid.header_top
    left, right = grid.left, grid.left + grid.width
    out = []
    rule_y = grid.top - grid.leading * 0.6
    if p.section:
        sec = st["section"]
        lines, miss = heading_lines(p.section, sec, grid.width / 2, metrics)
        lines = with_source(lines, p.section, spec.origin("page.section"), spec.path)
        missing += miss
        for line in _first_line(lines, "page.section", notes):
            out += text_runs(line, left, rule_y - grid.leading * 0.5 - sec.size * (1 - CJK_ASCENT), "section", "header")
    info = st["header"]
    rows = [(t, src) for t, src in ((p.paper, spec.origin("page.paper")), (p.date, spec.origin("page.date")),
                                    folio_text(p.folio, spec.origin("page.folio"))) if t]
    for k, (text, src) in enumerate(reversed(rows)):
        lines, miss = heading_lines(text, info, grid.width / 2, metrics)
        lines = with_source(lines, text, src, spec.path)
        missing += miss
        for line in _first_line(lines, "a header line", notes):
            y = rule_y - grid.leading * 0.5 - info.leading * k - info.size * (1 - CJK_ASCENT)
            out += text_runs(line, right - line.width, y, "header", "header")
    out.append(Rule(left, rule_y, right, rule_y, 2.0, st["section"].color))
    out.append(Rule(left, rule_y + 2.5, right, rule_y + 2.5, 0.5, st["section"].color))
    return out


def footer(page: Page, missing: list, notes: list) -> list:
    """The foot: a thin rule and the editors' credit line, on the last line of the body grid's footer band
    (the rule in the band above it; with a one-line band, at the grid's foot)."""
    spec, grid, metrics = page.spec, page.grid, page.metrics
    st = spec.styles["footer"]
    band = max(1, spec.grid.footer_lines)
    y_rule = grid.bottom + (grid.leading * 0.3 if band >= 2 else 0.0)
    out = [Rule(grid.left, y_rule, grid.left + grid.width, y_rule, RULE_WIDTH, BLACK)]
    if spec.page.credits:
        lines, miss = heading_lines(spec.page.credits, st, grid.width, metrics)
        lines = with_source(lines, spec.page.credits, spec.origin("page.credits"), spec.path)
        missing += miss
        for line in _first_line(lines, "page.credits", notes):
            out += text_runs(line, grid.left + grid.width - line.width, grid.baseline(grid.lines + band, st.size),
                              "footer", "footer")
    return out

"""The file preflight's content-stream interpreter: what a page paints, through every form, pattern and appearance.

The graphics state is kept as a PDF consumer keeps it (q/Q, cm, colour spaces and colours, ExtGState
overprint and line width, text state and render mode, and the clip: the page's bleed, each form's BBox and
`W` paths, as device-space rectangles that hold them); paint operations are checked against the plant's
rules (shared/design/PRINT.md) with the colour they paint in, unless they lie wholly outside the clip and
so are never seen. A spot colour's alternate space is checked as the colour the press prints it in when
it has no plate for it. Forms drawn with Do (nested, resources
falling back to the drawing context), tiling patterns and shadings used as colour, `sh`, inline and
XObject images and annotations' normal appearances are all entered; each finding names where it is:
`page 2, form /Ad0 › form /Fm1`. A form that draws itself, or nesting past MAX_DEPTH, is reported, not
followed.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from typing import Callable

from .plant import MIN_LINE, MIN_MULTI_INK_TEXT, MIN_PPI, MIN_TEXT, RICH_BLACK_K, WARN_PPI

MAX_DEPTH = 12                      # forms within forms (patterns, appearances) followed this deep
IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
SLACK = 0.5                         # % ink over the limit before an ink finding


# --------------------------------------------------------------------------- what is shared


@dataclass
class Context:
    """One page's interpretation: the plant's rules, where findings go, and what was already said."""
    flavour: str                    # x1a | x4
    ink_limit: float                # percent
    err: Callable[[str], None]
    warn: Callable[[str], None]
    seen: set = field(default_factory=set)

    def once(self, key, report: Callable[[str], None], message: str) -> None:
        if key not in self.seen:
            self.seen.add(key)
            report(message)


@dataclass(frozen=True)
class Space:
    """A colour space as far as the plant cares: its kind, how it is written, whether it is device-independent."""
    kind: str                       # Gray | RGB | CMYK | Lab | Spot | Pattern | Unknown
    label: str                      # /DeviceRGB, /ICCBased, /Indexed /DeviceRGB …
    independent: bool = False       # CalGray, CalRGB, Lab, ICCBased
    indexed: bool = False           # components are palette indices, not inks
    base: "Space | None" = None     # an uncoloured pattern's colour space
    alternate: "Space | None" = None  # a spot colour's (Separation, DeviceN) alternate space


GRAY, RGB, CMYK = Space("Gray", "/DeviceGray"), Space("RGB", "/DeviceRGB"), Space("CMYK", "/DeviceCMYK")
PATTERN = Space("Pattern", "/Pattern")
_DEVICE = {"/DeviceGray": GRAY, "/G": GRAY, "/DeviceRGB": RGB, "/RGB": RGB, "/DeviceCMYK": CMYK,
           "/CMYK": CMYK, "/Pattern": PATTERN}
_INITIAL = {"Gray": (0.0,), "RGB": (0.0, 0.0, 0.0), "CMYK": (0.0, 0.0, 0.0, 1.0), "Lab": (0.0, 0.0, 0.0)}


def cmyk_of(space: Space, components: tuple):
    """The inks of a colour, 0–1 (None when they cannot be known here: spot, indexed, RGB, patterns)."""
    if space.indexed:
        return None
    if space.kind == "CMYK" and len(components) == 4:
        return tuple(float(v) for v in components)
    if space.kind == "Gray" and len(components) == 1:
        return (0.0, 0.0, 0.0, 1.0 - float(components[0]))
    return None


@dataclass(frozen=True)
class Scope:
    """Where operations run: the page and the chain of forms around them, the resources names resolve in,
    and the objects being interpreted (the cycle guard)."""
    page: str                       # "page 3"
    resources: object               # pikepdf.Dictionary
    path: tuple = ()                # ("form /Ad0", "pattern /P1", …)
    active: tuple = ()              # objgen of every form, pattern and appearance being interpreted

    @property
    def where(self) -> str:
        return ", ".join((self.page, " › ".join(self.path))) if self.path else self.page

    def inner(self, step: str, obj, resources) -> "Scope":
        """The scope of a form (pattern, appearance) entered from this one; its resources fall back to ours."""
        own = obj.get("/Resources")
        return Scope(self.page, own if own is not None else resources, self.path + (step,),
                     self.active + (obj.objgen,))


@dataclass
class GState:
    """The part of the graphics state the plant's rules read; q copies it, Q restores it."""
    ctm: tuple = IDENTITY
    fill_space: Space = GRAY
    fill: tuple = (0.0,)
    stroke_space: Space = GRAY
    stroke: tuple = (0.0,)
    op_fill: bool = False
    op_stroke: bool = False
    opm: int = 0
    lw: float = 1.0
    size: float = 0.0               # Tf
    mode: int = 0                   # Tr
    leading: float = 0.0            # TL
    clip: tuple | None = None       # device-space rectangle holding the clip (None: nothing clips)

    def copy(self) -> "GState":
        return replace(self)


class Run:
    """One content stream being interpreted: its scope, the graphics state and its stack, the text and
    line matrices, the current point, and the page's context."""

    def __init__(self, ctx: Context, scope: Scope, state: GState | None = None):
        self.ctx, self.scope = ctx, scope
        self.state = state or GState()
        self.stack: list = []
        self.tm = self.tlm = IDENTITY
        self.path = None             # device-space rectangle holding the current path
        self.clipping = False        # W or W* seen: the path clips once it is painted (or ended by n)

    def device(self, x: float, y: float, m: tuple | None = None) -> tuple:
        a, b, c, d, e, f = _mul(m, self.state.ctm) if m is not None else self.state.ctm
        return (a * x + c * y + e, b * x + d * y + f)

    def extend(self, *xy: float) -> None:
        """Add points (user space) to the current path's bounds."""
        points = [self.device(xy[i], xy[i + 1]) for i in range(0, len(xy), 2)]
        self.path = _bounds(points, self.path)

    def visible(self, rect) -> bool:
        """Whether anything of `rect` (device space; None: not known) can show through the clip."""
        return rect is None or _overlap(rect, self.state.clip) != NOWHERE

    def end_path(self) -> None:
        """After painting (or n): a pending W clips to the path's bounds; the path is gone."""
        if self.clipping:
            self.state.clip = _overlap(self.path or NOWHERE, self.state.clip)
        self.path, self.clipping = None, False


def _mul(a, b):
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _within(pos, area) -> bool:
    return area is None or (area[0] <= pos[0] <= area[2] and area[1] <= pos[1] <= area[3])


NOWHERE = (float("inf"), float("inf"), float("-inf"), float("-inf"))     # a clip nothing shows through


def _bounds(points, rect=None) -> tuple:
    """The rectangle holding `points` (and `rect`)."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    if rect is not None:
        xs += [rect[0], rect[2]]
        ys += [rect[1], rect[3]]
    return (min(xs), min(ys), max(xs), max(ys))


def _overlap(rect, clip) -> tuple:
    """What of `rect` lies inside `clip` (None: no clip): a rectangle, or NOWHERE."""
    if clip is None:
        return rect
    x0, y0, x1, y1 = max(rect[0], clip[0]), max(rect[1], clip[1]), min(rect[2], clip[2]), min(rect[3], clip[3])
    return (x0, y0, x1, y1) if x0 <= x1 and y0 <= y1 else NOWHERE


def _placed(box, ctm) -> tuple:
    """A rectangle given in user space ([x0 y0 x1 y1], e.g. a BBox) as the device-space rectangle holding it."""
    x0, y0, x1, y1 = (float(v) for v in box)
    a, b, c, d, e, f = ctm
    return _bounds([(a * x + c * y + e, b * x + d * y + f) for x in (x0, x1) for y in (y0, y1)])


# --------------------------------------------------------------------------- entry points


def interpret(ctx: Context, scope: Scope, stream, state: GState | None = None) -> None:
    """Every operation of a page's (form's, pattern's, appearance's) content, checked."""
    import pikepdf
    try:
        operations = pikepdf.parse_content_stream(stream)
    except pikepdf.PdfError as e:
        ctx.err(f"{scope.where}: the content cannot be parsed ({e})")
        return
    run = Run(ctx, scope, state)
    for operands, op in operations:
        op = str(op)
        try:
            _operation(op, operands, run)
        except (TypeError, ValueError, IndexError, AttributeError, KeyError, pikepdf.PdfError):
            ctx.once(("malformed", scope.where, op), ctx.err,
                     f"{scope.where}: malformed `{op}` operation in the content")


def annotations(ctx: Context, page_scope: Scope, page) -> None:
    """The normal appearance of every annotation on the page (the state /AS picks, or all of them)."""
    import pikepdf
    for number, annot in enumerate(page.get("/Annots") or [], 1):
        if not isinstance(annot, pikepdf.Dictionary):
            continue
        normal = (annot.get("/AP") or {}).get("/N")
        if isinstance(normal, pikepdf.Stream):
            streams = [("", normal)]
        elif isinstance(normal, pikepdf.Dictionary):
            chosen = annot.get("/AS")
            streams = [(f" {k}", v) for k, v in normal.items()
                       if isinstance(v, pikepdf.Stream) and (chosen is None or chosen not in normal or k == str(chosen))]
        else:
            continue
        for state_name, stream in streams:
            step = f"annotation {number} ({annot.get('/Subtype', '?')}{state_name})"
            _enter(Run(ctx, page_scope), step, stream, GState(clip=_form_clip(stream, IDENTITY, None)))


def gstate_findings(ctx: Context, where: str, resources) -> None:
    """Transparency in a resource dictionary's graphics states (PDF/X-1a forbids it), once per ExtGState."""
    import pikepdf
    if ctx.flavour != "x1a":
        return
    for name, gs in (resources.get("/ExtGState") or {}).items():
        if (float(gs.get("/CA", 1)) < 1 or float(gs.get("/ca", 1)) < 1
                or gs.get("/SMask", pikepdf.Name.None_) != pikepdf.Name.None_
                or str(gs.get("/BM", "/Normal")) not in ("/Normal", "/Compatible")):
            ctx.once(("transparency", where, name), ctx.err,
                     f"{where}: transparency in ExtGState {name}; PDF/X-1a forbids it")


def font_findings(ctx: Context, where: str, resources) -> None:
    """Every font of a resource dictionary must be embedded."""
    for name, font in (resources.get("/Font") or {}).items():
        desc = font.get("/FontDescriptor")
        if desc is None and "/DescendantFonts" in font:
            desc = font.DescendantFonts[0].get("/FontDescriptor")
        if desc is None or not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            ctx.once(("font", where, name), ctx.err, f"{where}: font {font.get('/BaseFont')} is not embedded")


# --------------------------------------------------------------------------- the plant's rules


def text_findings(ctx: Context, where: str, inks: tuple, overprint: bool, opm: int, size: float) -> None:
    """Text painted in `inks` (C, M, Y, K 0–1) at `size` pt: size, rich black, one ink, overprint, ink."""
    c, m, y, k = inks
    count = sum(1 for v in inks if v > 0.001)
    if size < MIN_TEXT:
        ctx.once(("small", where), ctx.warn, f"{where}: text of {size:g} pt is under {MIN_TEXT:g} pt")
    if k >= RICH_BLACK_K and (c > 0.001 or m > 0.001 or y > 0.001):
        ctx.once(("rich", where, size), ctx.err,
                 f"{where}: {size:g} pt text in rich black ({c:.0%}/{m:.0%}/{y:.0%}/{k:.0%}); set text in 100 K")
    elif count > 1 and size < MIN_MULTI_INK_TEXT:
        ctx.once(("multi", where, size), ctx.err, f"{where}: {size:g} pt text in {count} inks; colour text "
                 f"under {MIN_MULTI_INK_TEXT:g} pt must be one ink")
    if (c, m, y) == (0, 0, 0) and k >= 0.999 and not (overprint and opm == 1):
        ctx.once(("knockout", where), ctx.err, f"{where}: 100 K text does not overprint (needs op true, OPM 1)")
    if (c + m + y + k) * 100 > ctx.ink_limit + SLACK:
        ctx.once(("text-ink", where), ctx.err, f"{where}: text uses more than {ctx.ink_limit:g} % ink")


def fill_findings(ctx: Context, where: str, inks: tuple) -> None:
    ink = sum(inks) * 100
    if ink > ctx.ink_limit + SLACK:
        ctx.once(("fill-ink", where, round(ink)), ctx.err,
                 f"{where}: a fill uses {ink:.0f} % ink, over the {ctx.ink_limit:g} % limit")


def stroke_findings(ctx: Context, where: str, inks: tuple, width: float) -> None:
    ink = sum(inks) * 100
    if ink > ctx.ink_limit + SLACK:
        ctx.once(("stroke-ink", where, round(ink)), ctx.err,
                 f"{where}: a line uses {ink:.0f} % ink, over the {ctx.ink_limit:g} % limit")
    if width < MIN_LINE:
        ctx.once(("thin", where), ctx.warn, f"{where}: a line of {width:g} pt is under {MIN_LINE} pt")


def resolution_findings(ctx: Context, where: str, pixels: int, width_pt: float) -> None:
    width_in = width_pt / 72
    if width_in > 0:
        ppi = pixels / width_in
        if ppi < MIN_PPI:
            ctx.err(f"{where}: an image at {ppi:.0f} ppi, under {MIN_PPI}")
        elif ppi < WARN_PPI:
            ctx.warn(f"{where}: an image at {ppi:.0f} ppi, under {WARN_PPI}")


def colour_findings(ctx: Context, where: str, space: Space, what: str) -> None:
    """RGB anywhere, and device-independent colour in PDF/X-1a, in what is painted; the same of a spot
    colour's alternate space, which is what a press without the spot's plate prints."""
    if space.kind == "RGB":
        ctx.once(("rgb", where, what), ctx.err, f"{where}: RGB colour ({space.label}) in {what}; use CMYK")
    elif space.independent and ctx.flavour == "x1a":
        ctx.once(("independent", where, what), ctx.err,
                 f"{where}: device-independent colour ({space.label}) in {what}; PDF/X-1a allows DeviceCMYK, "
                 "DeviceGray and spot colours")
    elif space.kind == "Spot" and space.alternate is not None:
        alternate = space.alternate
        if alternate.kind == "RGB":
            ctx.once(("rgb-alternate", where, what, space.label), ctx.err,
                     f"{where}: spot colour {space.label} has an RGB alternate ({alternate.label}) in {what}; "
                     "give it a CMYK alternate")
        elif ctx.flavour == "x1a" and alternate.independent:
            ctx.once(("independent-alternate", where, what, space.label), ctx.err,
                     f"{where}: spot colour {space.label} has a device-independent alternate ({alternate.label}) "
                     f"in {what}; PDF/X-1a allows a DeviceCMYK or DeviceGray alternate")


# --------------------------------------------------------------------------- colour spaces


def space_of(obj, resources, depth: int = 0) -> Space:
    """The colour space a name (looked up in resources' /ColorSpace unless a device family) or array denotes."""
    import pikepdf
    if depth > 4:
        return Space("Unknown", "a colour space defined in a loop")
    if isinstance(obj, pikepdf.Name):
        name = str(obj)
        if name in _DEVICE:
            return _DEVICE[name]
        named = (resources.get("/ColorSpace") or {}).get(name)
        return Space("Unknown", name) if named is None else space_of(named, resources, depth + 1)
    if not isinstance(obj, pikepdf.Array) or len(obj) == 0:
        return Space("Unknown", str(obj))
    family = str(obj[0])
    if family in ("/CalRGB", "/CalGray", "/Lab"):
        return Space({"/CalRGB": "RGB", "/CalGray": "Gray", "/Lab": "Lab"}[family], family, independent=True)
    if family == "/ICCBased":
        n = int(obj[1].get("/N", 0))
        return Space({1: "Gray", 3: "RGB", 4: "CMYK"}.get(n, "Unknown"), "/ICCBased", independent=True)
    if family in ("/Indexed", "/I"):
        base = space_of(obj[1], resources, depth + 1)
        return replace(base, label=f"/Indexed {base.label}", indexed=True)
    if family in ("/Separation", "/DeviceN"):
        names = obj[1] if len(obj) > 1 else ()
        names = " ".join(str(n) for n in (names if isinstance(names, pikepdf.Array) else [names]))
        alternate = space_of(obj[2], resources, depth + 1) if len(obj) > 2 else None
        return Space("Spot", f"{family} {names}".strip(), alternate=alternate)
    if family == "/Pattern":
        return replace(PATTERN, base=space_of(obj[1], resources, depth + 1) if len(obj) > 1 else None)
    if family in _DEVICE:
        return _DEVICE[family]
    return Space("Unknown", family)


# --------------------------------------------------------------------------- operations


def _operation(op: str, operands, run: Run) -> None:
    """One content-stream operation: update the graphics state, or check what it paints."""
    handler = _OPERATIONS.get(op)
    if handler is not None:
        handler(run, operands)


def _nums(operands) -> tuple:
    return tuple(float(v) for v in operands)


def _q(run, _):
    run.stack.append(run.state.copy())


def _Q(run, _):
    if run.stack:
        run.state = run.stack.pop()


def _cm(run, operands):
    run.state.ctm = _mul(_nums(operands), run.state.ctm)


def _resource(run: Run, category: str, name: str, what: str, kind: type = object):
    """The resource `name` in the scope's `category` dictionary (/ExtGState, /Pattern …); None, reported once as
    an error naming it, when it is not there (or not a `kind`)."""
    found = (run.scope.resources.get(category) or {}).get(name)
    if found is None or not isinstance(found, kind):
        run.ctx.once(("missing", run.scope.where, name), run.ctx.err,
                     f"{run.scope.where}: {what} {name} is not in the resources")
        return None
    return found


def _gs(run, operands):
    gs = _resource(run, "/ExtGState", str(operands[0]), "ExtGState")
    if gs is None:
        return
    state = run.state
    if "/OP" in gs:
        state.op_stroke = bool(gs.OP)
        state.op_fill = bool(gs.get("/op", gs.OP))
    elif "/op" in gs:
        state.op_fill = bool(gs.op)
    if "/OPM" in gs:
        state.opm = int(gs.OPM)
    if "/LW" in gs:
        state.lw = float(gs.LW)


def _colour_setter(stroke: bool, space: Space | None):
    """rg/RG, k/K, g/G (a device space and its colour) and sc/scn/SC/SCN (a colour in the current space)."""
    def handler(run, operands):
        s = run.state
        current = s.stroke_space if stroke else s.fill_space
        target = space or current
        if target.kind == "Pattern" and len(operands) and not isinstance(operands[-1], (int, float)):
            values = tuple(operands)                 # components of an uncoloured pattern, then its name
        else:
            values = _nums(operands)
            expected = 1 if target.indexed else len(_INITIAL.get(target.kind, values))
            if len(values) != expected:
                raise ValueError(f"{len(values)} components for {target.label}")
        if stroke:
            s.stroke_space, s.stroke = target, values
        else:
            s.fill_space, s.fill = target, values
    return handler


def _space_setter(stroke: bool):
    """cs/CS: the colour space, and its initial colour."""
    def handler(run, operands):
        space = space_of(operands[0], run.scope.resources)
        initial = () if space.indexed or space.kind == "Pattern" else _INITIAL.get(space.kind, ())
        if space.indexed:
            initial = (0.0,)
        if stroke:
            run.state.stroke_space, run.state.stroke = space, initial
        else:
            run.state.fill_space, run.state.fill = space, initial
    return handler


def _set(attr: str, convert=float):
    """w, Tr, TL: one number of the graphics (text) state."""
    def handler(run, operands):
        setattr(run.state, attr, convert(operands[0]))
    return handler


def _tf(run, operands):
    run.state.size = float(operands[1])


def _paint(fill: bool, stroke: bool):
    """Path painting: the fill colour, and the stroke colour and width, of what the path paints where any
    of it can show; then a pending clip takes effect (n: only that)."""
    def handler(run, _):
        where = run.scope.where
        if run.visible(run.path):
            if fill:
                inks = _paint_colour(run, run.state.fill_space, run.state.fill, "a fill")
                if inks is not None:
                    fill_findings(run.ctx, where, inks)
            if stroke:
                inks = _paint_colour(run, run.state.stroke_space, run.state.stroke, "a line")
                if inks is not None:
                    stroke_findings(run.ctx, where, inks, run.state.lw)
        run.end_path()
    return handler


def _path(*coordinates: int):
    """m, l, c, v, y: the points (those of `coordinates`, pairs of operand indices) grow the path's bounds;
    a curve lies within its control points."""
    def handler(run, operands):
        values = _nums(operands)
        run.extend(*(values[i] for i in coordinates))
    return handler


def _re(run, operands):
    x, y, w, h = _nums(operands)
    run.extend(x, y, x + w, y, x, y + h, x + w, y + h)


def _clip(run, _):
    run.clipping = True


def _paint_colour(run: Run, space: Space, components: tuple, what: str):
    """The colour paint is done in: its findings, a pattern entered; its inks when they are known."""
    if space.kind == "Pattern":
        _pattern(run, components, space, what)
        return None
    colour_findings(run.ctx, run.scope.where, space, what)
    return cmyk_of(space, components)


# text


def _bt(run, _):
    run.tm = run.tlm = IDENTITY


def _tm(run, operands):
    run.tm = run.tlm = _nums(operands)


def _td(run, operands, set_leading=False):
    tx, ty = _nums(operands[:2])
    if set_leading:
        run.state.leading = -ty
    run.tm = run.tlm = _mul((1, 0, 0, 1, tx, ty), run.tlm)


def _next_line(run, _=None):
    _td(run, (0.0, -run.state.leading))


def _show(run, operands, new_line=False):
    if new_line:
        _next_line(run)
    s = run.state
    if s.mode in (3, 7) or not _within(run.device(0.0, 0.0, run.tm), s.clip):
        return                                   # invisible text, or text clipped away
    paints = ([(s.fill_space, s.fill, s.op_fill)] if s.mode in (0, 2, 4, 6) else []) + \
             ([(s.stroke_space, s.stroke, s.op_stroke)] if s.mode in (1, 2, 5, 6) else [])
    for space, components, overprint in paints:
        key = ("text", run.scope.where, space, components, s.size, overprint, s.opm)
        if key in run.ctx.seen:
            continue                             # the checks depend on nothing else
        run.ctx.seen.add(key)
        inks = _paint_colour(run, space, components, "text")
        if inks is not None:
            text_findings(run.ctx, run.scope.where, inks, overprint, s.opm, s.size)


def _quote2(run, operands):
    _show(run, operands[2:], new_line=True)


# shading, images, forms


def _sh(run, operands):
    if run.state.clip == NOWHERE:
        return                                   # sh paints the clip: here nothing
    shading = _resource(run, "/Shading", str(operands[0]), "shading")
    if shading is None:
        return
    _shading(run, shading, "a shading")


def _shading(run: Run, shading, what: str) -> None:
    space = space_of(shading.get("/ColorSpace"), run.scope.resources)
    colour_findings(run.ctx, run.scope.where, space, what)


def _pattern(run: Run, components: tuple, space: Space, what: str) -> None:
    """A pattern used as colour: a tiling pattern's cell is interpreted (an uncoloured one is painted in the
    colour given with it), a shading pattern's colour space checked."""
    import pikepdf
    if not components or not isinstance(components[-1], pikepdf.Name):
        return
    name = str(components[-1])
    pattern = _resource(run, "/Pattern", name, "pattern")
    if pattern is None:
        return
    if int(pattern.get("/PatternType", 1)) == 2:
        _shading(Run(run.ctx, replace(run.scope, path=run.scope.path + (f"pattern {name}",))),
                 pattern.Shading, what)
    elif int(pattern.get("/PaintType", 1)) == 2:
        if space.base is not None:
            colour_findings(run.ctx, run.scope.where, space.base, f"{what} (pattern {name})")
    else:
        cell = GState(ctm=_mul(_nums(pattern.get("/Matrix", IDENTITY)), IDENTITY))   # a tile: all of it counts
        _enter(run, f"pattern {name}", pattern, cell)


def _do(run, operands):
    import pikepdf
    name = str(operands[0])
    xo = _resource(run, "/XObject", name, "XObject", pikepdf.Stream)
    if xo is None:
        return
    subtype = xo.get("/Subtype")
    if subtype == "/Image":
        _image(run, xo, xo.get("/Width", 0))
    elif subtype == "/Form":
        inner = run.state.copy()
        inner.ctm = _mul(_nums(xo.get("/Matrix", IDENTITY)), run.state.ctm)
        inner.clip = _form_clip(xo, inner.ctm, run.state.clip)
        _enter(run, f"form {name}", xo, inner)


def _form_clip(form, ctm: tuple, clip):
    """The clip inside a form (appearance): its BBox where `ctm` places it, within the clip it is drawn in."""
    box = form.get("/BBox")
    return clip if box is None or len(box) != 4 else _overlap(_placed(box, ctm), clip)


def _inline_image(run, operands):
    image = operands[0]
    _image(run, image.obj, image.width)


def _image(run: Run, image, pixels) -> None:
    """An image (XObject or inline): its colour space (a stencil mask paints the fill colour), soft mask,
    resolution at the size it is drawn, and ink."""
    ctx, where = run.ctx, run.scope.where
    if not run.visible(_placed((0, 0, 1, 1), run.state.ctm)):
        return                                   # the unit square it fills lies outside the clip
    if bool(image.get("/ImageMask", False)):
        inks = _paint_colour(run, run.state.fill_space, run.state.fill, "an image mask")
        if inks is not None:
            fill_findings(ctx, where, inks)
        return
    cs = image.get("/ColorSpace")
    space = space_of(cs, run.scope.resources) if cs is not None else None
    if space is not None and space.kind == "RGB":
        ctx.err(f"{where}: an RGB image; convert it to CMYK")
    elif space is not None:
        colour_findings(ctx, where, space, "an image")
    if ctx.flavour == "x1a" and "/SMask" in image:
        ctx.err(f"{where}: an image with a soft mask (transparency); PDF/X-1a forbids it")
    ctm = run.state.ctm
    resolution_findings(ctx, where, int(pixels), (ctm[0] ** 2 + ctm[1] ** 2) ** 0.5)
    if space is not None and space.kind == "CMYK" and not space.indexed:
        ink = image_ink(image)
        if ink is not None and ink > ctx.ink_limit + SLACK:
            ctx.err(f"{where}: an image reaches {ink:.0f} % total ink, over the {ctx.ink_limit:g} % limit")


def _enter(run: Run, step: str, obj, state: GState) -> None:
    """Interpret a form (pattern cell, appearance) drawn from `run`, once per page; never one
    already being drawn (a cycle), nor deeper than MAX_DEPTH."""
    import pikepdf
    ctx, scope = run.ctx, run.scope
    if obj.objgen in scope.active:
        ctx.once(("cycle", scope.where, step), ctx.err,
                 f"{scope.where}: {step} draws itself (a cycle); a RIP may loop or fail on it")
        return
    if len(scope.path) >= MAX_DEPTH:
        ctx.once(("depth", scope.where, step), ctx.err,
                 f"{scope.where}: {step} is nested deeper than {MAX_DEPTH} levels; not followed")
        return
    if state.clip == NOWHERE:
        return                                 # drawn where its BBox shows nothing (off the page, clipped)
    key = ("entered", obj.objgen, state.clip)  # once per page and place: a form drawn twice there is read once
    if key in ctx.seen:
        return
    ctx.seen.add(key)
    inner = scope.inner(step, obj, scope.resources)
    if obj.get("/Resources") is not None:
        font_findings(ctx, inner.where, inner.resources)
        gstate_findings(ctx, inner.where, inner.resources)
    group = obj.get("/Group")
    if ctx.flavour == "x1a" and isinstance(group, pikepdf.Dictionary) and group.get("/S") == "/Transparency":
        ctx.err(f"{inner.where}: a transparency group; PDF/X-1a forbids it")
    interpret(ctx, inner, obj, state)


def image_ink(xo):
    """Highest C+M+Y+K of any pixel of a CMYK image, percent (None when it cannot be decoded)."""
    try:
        import pikepdf
        filters = xo.get("/Filter")            # ReportLab writes /Filter [/DCTDecode], an array
        filters = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)]
        if filters == ["/DCTDecode"]:
            from .images import known_max_ink
            raw = xo.read_raw_bytes()
            known = known_max_ink(raw)          # this very JPEG was measured when it was prepared
            if known is not None:
                return known
            # Pillow undoes the Adobe inversion of CMYK JPEGs that /Decode [1 0 …] undoes in a PDF reader
            import numpy as np
            from PIL import Image
            im = Image.open(io.BytesIO(raw))
            a = np.asarray(im.convert("CMYK"), dtype=np.uint16)
        else:
            import numpy as np
            data = np.frombuffer(xo.read_bytes(), dtype=np.uint8)
            a = data[: int(xo.Width) * int(xo.Height) * 4].reshape(-1, 4).astype(np.uint16)
        return float(a.sum(axis=-1).max()) / 2.55
    except Exception:  # noqa: BLE001 - an undecodable image is reported by the caller as unknown ink
        return None


_OPERATIONS = {
    "q": _q, "Q": _Q, "cm": _cm, "gs": _gs,
    "rg": _colour_setter(False, RGB), "RG": _colour_setter(True, RGB),
    "k": _colour_setter(False, CMYK), "K": _colour_setter(True, CMYK),
    "g": _colour_setter(False, GRAY), "G": _colour_setter(True, GRAY),
    "sc": _colour_setter(False, None), "scn": _colour_setter(False, None),
    "SC": _colour_setter(True, None), "SCN": _colour_setter(True, None),
    "cs": _space_setter(False), "CS": _space_setter(True),
    "w": _set("lw"), "Tf": _tf, "Tr": _set("mode", int), "TL": _set("leading"),
    "m": _path(0, 1), "l": _path(0, 1), "c": _path(0, 1, 2, 3, 4, 5), "v": _path(0, 1, 2, 3),
    "y": _path(0, 1, 2, 3), "re": _re, "W": _clip, "W*": _clip, "n": _paint(False, False),
    "f": _paint(True, False), "F": _paint(True, False), "f*": _paint(True, False),
    "S": _paint(False, True), "s": _paint(False, True),
    "B": _paint(True, True), "B*": _paint(True, True), "b": _paint(True, True), "b*": _paint(True, True),
    "BT": _bt, "Tm": _tm, "Td": _td, "TD": lambda run, ops: _td(run, ops, set_leading=True), "T*": _next_line,
    "Tj": _show, "TJ": _show, "'": lambda run, ops: _show(run, ops, new_line=True), '"': _quote2,
    "sh": _sh, "Do": _do, "INLINE IMAGE": _inline_image,
}

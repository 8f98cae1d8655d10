"""The page spec: page.yaml read into frozen dataclasses, every length in points."""
from __future__ import annotations

import datetime
import difflib
import errno
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .plant import MIN_MULTI_INK_TEXT, RICH_BLACK_K
from .units import MM, UnitError, parse_length
from .yamlsrc import Map, Seq, SourceError, Where, decode_utf8, load_yaml



@dataclass(frozen=True)
class Style:
    """A text style: font role, size, leading and CMYK colour."""
    font: str
    size: float
    leading: float
    color: tuple = (0.0, 0.0, 0.0, 1.0)


@dataclass(frozen=True)
class PageInfo:
    """What the header and footer show."""
    paper: str = ""
    section: str = ""
    folio: str = ""
    date: str = ""
    credits: str = ""


@dataclass(frozen=True)
class Format:
    """Trim size, bleed and margins of the sheet."""
    trim_w: float
    trim_h: float
    bleed: float
    top: float
    bottom: float
    inner: float
    outer: float
    pdfx: str = "x1a"          # x1a (PDF/X-1a:2001, default) or x4 (PDF/X-4 with `icc`)
    icc: Path | None = None    # the plant's CMYK output profile (required for x4; used for photos)
    marks: bool = False        # crop marks and a slug line outside the bleed
    slug: float = 0.0          # room outside the bleed for marks and the slug line
    ink_limit: float = 240.0   # total area coverage, percent (ISO 12647-3 newsprint)


@dataclass(frozen=True)
class GridSpec:
    """Columns, gutter and the body baseline grid."""
    columns: int
    gutter: float
    body: Style
    header_lines: int
    footer_lines: int


@dataclass(frozen=True)
class Block:
    """A rectangle of grid cells holding an article or a photo."""
    id: str
    col: int
    line: int
    cols: int
    lines: int | None          # None: `auto`, the lines the text needs
    where: Where
    article: str | None = None
    photo: str | None = None
    caption: str | None = None
    body_columns: int | None = None
    headline_size: float | tuple | None = None   # a size, or (smallest, largest)
    head_lines: int | None = None
    fixed: bool = False        # placed by the designer: `layout plan` keeps it where it is
    refs: dict = field(default_factory=dict, compare=False, repr=False)   # key -> Where of its value

    @property
    def kind(self) -> str:
        return "photo" if self.photo else "article"

    def at(self, key: str) -> Where:
        """Where the value of `key` (article, photo, caption) stands in the spec; else the block."""
        return self.refs.get(key, self.where)


@dataclass(frozen=True)
class PageSpec:
    """The whole page: where it came from and everything in it."""
    path: Path
    folder: Path
    page: PageInfo
    format: Format
    grid: GridSpec
    fonts: dict
    styles: dict
    blocks: tuple
    where: Where = field(compare=False)



DEFAULT_FONTS = {"song": "Noto Serif CJK SC", "hei": "Noto Sans CJK SC Bold", "kai": "LXGW WenKai"}
RED = (0.0, 1.0, 1.0, 0.1)
MAX_SHEET = 5080 * MM       # 200 in: the largest page a PDF can describe (14 400 units)
#: style name -> (font role, size pt, leading pt or None = 1.25 × size, colour)
DEFAULT_STYLES = {
    "headline": ("hei", 26.0, None, (0, 0, 0, 1)),
    "kicker": ("kai", 14.0, None, (0, 0, 0, 1)),
    "subhead": ("hei", 14.0, None, (0, 0, 0, 1)),
    "rubric": ("hei", 12.0, None, (0, 0, 0, 1)),
    "byline": ("kai", None, None, (0, 0, 0, 1)),      # None size = body size
    "caption": ("kai", None, None, (0, 0, 0, 1)),
    "credit": ("kai", None, None, (0, 0, 0, 1)),
    "section": ("hei", 40.0, None, RED),
    "header": ("song", 10.5, None, (0, 0, 0, 1)),
    "footer": ("song", 9.0, None, (0, 0, 0, 1)),
}
PAGE_KEYS = {"paper", "section", "folio", "date", "credits"}
TOP_KEYS = {"page", "format", "grid", "fonts", "styles", "blocks"}
BLOCK_KEYS = {"id", "article", "photo", "caption", "at", "size", "columns", "headline_size", "head_lines",
              "fixed"}


def load_spec(path: Path | str) -> PageSpec:
    """Read and validate a page spec; raises SourceError (FILE:LINE:COL) on any problem."""
    path = Path(path)
    try:
        text = decode_utf8(path.read_bytes(), path).replace("\r\n", "\n")
    except FileNotFoundError:
        raise SourceError(path, 1, 1, "spec file not found; give the path of a page.yaml") from None
    except OSError as err:
        raise SourceError(path, 1, 1, f"cannot read: {err.strerror}") from None
    root = load_yaml(text.lstrip("\ufeff"), path)
    if not isinstance(root, Map):
        raise SourceError(path, 1, 1, "a page spec is a mapping with page:, format:, grid:, fonts:, styles:, blocks:")
    root.check_keys(TOP_KEYS, "the page spec")
    page = _page_info(_section(root, "page", path))
    fmt = _format(_section(root, "format", path))
    fonts = _fonts(_section(root, "fonts", path))
    grid = _grid(_section(root, "grid", path), fonts)
    styles = _styles(_section(root, "styles", path), fonts, grid.body.size)
    blocks = _blocks(root, path)
    return PageSpec(path=path, folder=path.parent, page=page, format=fmt, grid=grid, fonts=fonts,
                    styles=styles, blocks=blocks, where=root.where)


def _section(root: Map, key: str, path: Path) -> Map:
    value = root.get(key)
    if value is None:
        empty = Map()
        empty.where, empty.key_where, empty.value_where = root.at(key) if key in root else Where(path, 1, 1), {}, {}
        return empty
    if not isinstance(value, Map):
        raise root.at(key).error(f"`{key}` must be a mapping of keys (indented under `{key}:`)")
    return value


def _text(m: Map, key: str, default: str = "") -> str:
    value = m.get(key, default)
    if value is None:
        return default
    if isinstance(value, (datetime.date, int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise m.at(key).error(f"`{key}` must be text")
    bad = next((ch for ch in value if ch not in "\n\t" and unicodedata.category(ch) == "Cc"), None)
    if bad is not None:
        raise m.at(key).error(f"`{key}` holds the control character U+{ord(bad):04X}; delete it")
    return value


def _length(m: Map, key: str, default=None, em: float | None = None, positive: bool = True) -> float:
    if key not in m:
        if default is None:
            raise m.where.error(f"missing `{key}`: give a length such as 9pt or 3mm")
        return default
    try:
        value = parse_length(m[key], em=em)
    except UnitError as err:
        raise m.at(key).error(f"`{key}`: {err}") from None
    if positive and value <= 0 or value < 0:
        raise m.at(key).error(f"`{key}` must be {'greater than zero' if positive else 'zero or more'}, "
                              f"got {m[key]!r}; give a length such as 9pt or 3mm")
    return value


def _int(m: Map, key: str, default=None, low: int = 1) -> int:
    if key not in m:
        if default is None:
            raise m.where.error(f"missing `{key}`: give a whole number")
        return default
    value = m[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise m.at(key).error(f"`{key}` must be a whole number (digits, no unit), got {value!r}")
    if value < low:
        raise m.at(key).error(f"`{key}` must be at least {low}, got {value}")
    return value


def _page_info(m: Map) -> PageInfo:
    m.check_keys(PAGE_KEYS, "page")
    return PageInfo(**{k: _text(m, k) for k in PAGE_KEYS})


def _format(m: Map) -> Format:
    m.check_keys({"trim", "bleed", "margins", "pdfx", "icc", "marks", "slug", "ink_limit"}, "format")
    trim = m.get("trim", ["390mm", "545mm"])
    if not isinstance(trim, list) or len(trim) != 2:
        raise m.at("trim").error("`trim` is [width, height], e.g. [390mm, 545mm]")
    dims = []
    for i, value in enumerate(trim):
        try:
            dims.append(parse_length(value))
        except UnitError as err:
            where = trim.item_where[i] if isinstance(trim, Seq) else m.at("trim")
            raise where.error(f"`trim`: {err}") from None
        if dims[-1] <= 0:
            raise m.at("trim").error("`trim` sizes must be greater than zero")
        if dims[-1] > MAX_SHEET:
            raise m.at("trim").error(f"`trim` {value} is larger than a PDF page can be (5080mm); check the unit")
    margins = m.get("margins") or Map()
    if not isinstance(margins, Map):
        raise m.at("margins").error("`margins` is a mapping: {top: 20mm, bottom: 18mm, inner: 18mm, outer: 18mm}")
    if not hasattr(margins, "where"):
        margins.where, margins.key_where, margins.value_where = m.where, {}, {}
    margins.check_keys({"top", "bottom", "inner", "outer"}, "format.margins")
    pdfx = _text(m, "pdfx", "x1a").lower().replace("-", "").replace("pdf/", "")
    if pdfx not in ("x1a", "x4"):
        raise m.at("pdfx").error("`pdfx` is x1a (PDF/X-1a:2001) or x4 (PDF/X-4, needs `icc`)")
    icc = None
    if m.get("icc"):
        icc = Path(os.path.expanduser(_text(m, "icc")))
        if not icc.is_absolute():
            icc = Path(m.where.path).parent / icc
        if not icc.is_file():
            raise m.at("icc").error(f"ICC profile {icc} not found; give the path of the plant's CMYK profile")
    if pdfx == "x4" and icc is None:
        raise m.at("pdfx").error("PDF/X-4 needs the output profile: add `icc: path/to/profile.icc` under format")
    marks = m.get("marks", False)
    if not isinstance(marks, bool):
        raise m.at("marks").error("`marks` is true or false (crop marks and slug line)")
    ink = m.get("ink_limit", 240)
    if isinstance(ink, bool) or not isinstance(ink, (int, float)) or not 100 <= ink <= 400:
        raise m.at("ink_limit").error("`ink_limit` is the total ink in percent, e.g. 240")
    fmt = Format(trim_w=dims[0], trim_h=dims[1], bleed=_length(m, "bleed", 3 * MM, positive=False),
                 top=_length(margins, "top", 20 * MM), bottom=_length(margins, "bottom", 18 * MM),
                 inner=_length(margins, "inner", 18 * MM), outer=_length(margins, "outer", 18 * MM),
                 pdfx=pdfx, icc=icc, marks=marks, slug=_length(m, "slug", 10 * MM if marks else 0.0, positive=False),
                 ink_limit=float(ink))
    if fmt.inner + fmt.outer >= fmt.trim_w or fmt.top + fmt.bottom >= fmt.trim_h:
        raise m.where.error("margins leave no type area; make them smaller than the trim")
    return fmt


def _fonts(m: Map) -> dict:
    from .fonts import FontError, load_catalog
    try:
        known = load_catalog().families
    except FontError:
        known = None   # the build reports the broken catalog itself
    fonts = dict(DEFAULT_FONTS)
    for key, value in m.items():
        if not isinstance(value, str) or not value.strip():
            raise m.at(key).error(f"font role `{key}` must name a family from fonts/fonts.yaml")
        if known is not None and value.strip() not in known:
            near = difflib.get_close_matches(value.strip(), known, n=1, cutoff=0.6)
            hint = f"did you mean `{near[0]}`?" if near else "families: " + ", ".join(known)
            raise m.at(key).error(f"font role `{key}`: no family `{value.strip()}` in fonts/fonts.yaml; {hint} "
                                  f"(or add it there under families:)")
        fonts[key] = value.strip()
    return fonts


def _role(m: Map, key: str, fonts: dict, default: str) -> str:
    role = _text(m, key, default)
    if role not in fonts:
        near = difflib.get_close_matches(role, list(fonts), n=1)
        hint = f"did you mean `{near[0]}`?" if near else "define it under `fonts:`"
        raise m.at(key).error(f"unknown font role `{role}`; {hint}")
    return role


def _color(m: Map, key: str, default: tuple) -> tuple:
    if key not in m:
        return default
    value = m[key]
    ok = isinstance(value, list) and len(value) == 4 and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 100 for v in value)
    if not ok:
        raise m.at(key).error(f"`{key}` is CMYK in percent, e.g. [0, 100, 100, 10]")
    return tuple(round(v / 100.0, 4) for v in value)


def _style(m: Map, fonts: dict, default: tuple, body_size: float, context: str) -> Style:
    m.check_keys({"font", "size", "leading", "color"}, context)
    font, size, leading, color = default
    size = _length(m, "size", size or body_size, em=body_size)
    leading = _length(m, "leading", leading or round(size * 1.25, 3), em=body_size)
    color = _color(m, "color", color)
    c, mg, y, k = color
    if k >= RICH_BLACK_K and (c or mg or y):
        raise m.at("color").error(f"{context}: rich black text ({_pct(color)}) misregisters on newsprint; "
                                  f"set text in 100 K: color: [0, 0, 0, 100]")
    if size < MIN_MULTI_INK_TEXT and sum(1 for v in color if v > 0) > 1:
        raise m.at("color").error(f"{context}: {size:g} pt text in {_pct(color)} needs several plates in "
                                  f"register; colour text under 10 pt must use one ink")
    return Style(font=_role(m, "font", fonts, font), size=size, leading=leading, color=color)


def _pct(color) -> str:
    return "/".join(f"{v * 100:g}" for v in color) + " CMYK"


def _grid(m: Map, fonts: dict) -> GridSpec:
    m.check_keys({"columns", "gutter", "body", "header_lines", "footer_lines"}, "grid")
    body_map = m.get("body") or Map()
    if not isinstance(body_map, Map):
        raise m.at("body").error("`body` is a mapping: {font: song, size: 9pt, leading: 13.5pt}")
    if not hasattr(body_map, "where"):
        body_map.where, body_map.key_where, body_map.value_where = m.where, {}, {}
    body = _style(body_map, fonts, ("song", 9.0, 13.5, (0, 0, 0, 1)), 9.0, "grid.body")
    if body.leading < body.size:
        raise body_map.at("leading").error("body `leading` must be at least the body `size`")
    return GridSpec(columns=_int(m, "columns", 8), gutter=_length(m, "gutter", body.size, em=body.size),
                    body=body, header_lines=_int(m, "header_lines", 6, low=0),
                    footer_lines=_int(m, "footer_lines", 2, low=0))


def _styles(m: Map, fonts: dict, body_size: float) -> dict:
    m.check_keys(set(DEFAULT_STYLES), "styles")
    out = {}
    for name, default in DEFAULT_STYLES.items():
        given = m.get(name) or Map()
        if not isinstance(given, Map):
            raise m.at(name).error(f"style `{name}` is a mapping: {{font: hei, size: 26pt}}")
        if not hasattr(given, "where"):
            given.where, given.key_where, given.value_where = m.where, {}, {}
        out[name] = _style(given, fonts, default, body_size, f"styles.{name}")
    return out


def _pair(m: Map, key: str, what: str) -> tuple:
    value = m.get(key)
    if key == "size" and isinstance(value, list) and len(value) == 2 and value[1] == "auto":
        return _pair_auto(m, value)
    ok = isinstance(value, list) and len(value) == 2 and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value)
    if not ok:
        raise (m.at(key) if key in m else m.where).error(f"`{key}` is [{what}], two whole numbers, e.g. [1, 1]")
    if value[0] < 1 or value[1] < 1:
        which = "counts columns and lines, each at least 1" if key == "size" else "counts from 1 (column 1, line 1)"
        raise m.at(key).error(f"`{key}` {which}; got {list(value)}")
    return tuple(value)


def _pair_auto(m: Map, value) -> tuple:
    """`size: [4, auto]`: the block takes the lines its text needs (resolved when the page is composed)."""
    cols = value[0]
    if isinstance(cols, bool) or not isinstance(cols, int) or cols < 1:
        raise m.at("size").error(f"`size` is [columns, lines or auto], columns at least 1; got {list(value)}")
    return cols, None


def _headline_size(m: Map):
    """A length, or [smallest, largest] from which the largest size that keeps the lines is taken."""
    value = m.get("headline_size")
    if value is None:
        return None
    if isinstance(value, list):
        if len(value) != 2:
            raise m.at("headline_size").error("`headline_size` is a size (28pt) or a range [24pt, 36pt]")
        try:
            low, high = (parse_length(v) for v in value)
        except UnitError as err:
            raise m.at("headline_size").error(f"`headline_size`: {err}") from None
        if low > high:
            raise m.at("headline_size").error(f"`headline_size` range is [smallest, largest]; write "
                                              f"[{value[1]}, {value[0]}]")
        if low <= 0:
            raise m.at("headline_size").error("`headline_size` must be greater than zero")
        return (low, high)
    return _length(m, "headline_size")


def _blocks(root: Map, path: Path) -> tuple:
    seq = root.get("blocks")
    if not isinstance(seq, Seq) or not seq:
        raise (root.at("blocks") if "blocks" in root else Where(path, 1, 1)).error(
            "`blocks` must list at least one block (- id: lead, article: ..., at: [1, 1], size: [8, 30])")
    blocks, seen = [], {}
    for i, m in enumerate(seq):
        if not isinstance(m, Map):
            raise seq.item_where[i].error("each block is a mapping with id, article or photo, at and size")
        m.check_keys(BLOCK_KEYS, "a block")
        bid = _text(m, "id")
        if not bid:
            raise m.where.error("block without `id`; give each block a short unique id")
        if bid in seen:
            raise m.at("id").error(f"block id `{bid}` is used twice (first at line {seen[bid].line}); ids must be unique")
        seen[bid] = m.at("id")
        if ("article" in m) == ("photo" in m):
            raise m.where.error(f"block `{bid}` needs exactly one of `article:` or `photo:`")
        col, line = _pair(m, "at", "column, line")
        cols, lines = _pair(m, "size", "columns, lines")
        for key in ("article", "photo", "caption"):
            if key in m:
                _safe_relative(m, key)
        blocks.append(Block(
            id=bid, col=col, line=line, cols=cols, lines=lines, where=m.where,
            refs={k: m.at(k) for k in ("article", "photo", "caption") if k in m},
            article=_text(m, "article") or None, photo=_text(m, "photo") or None,
            caption=_text(m, "caption") or None,
            body_columns=_int(m, "columns", cols), headline_size=_headline_size(m),
            head_lines=_int(m, "head_lines", 0, low=0) or None, fixed=_flag(m, "fixed")))
    return tuple(blocks)


def _flag(m: Map, key: str) -> bool:
    value = m.get(key, False)
    if not isinstance(value, bool):
        raise m.at(key).error(f"`{key}` is true or false")
    return value


def _safe_relative(m: Map, key: str) -> None:
    """Paths in a spec stay inside the page folder."""
    value = _text(m, key)
    if not value or os.path.isabs(value) or ".." in Path(value).parts:
        example = "images/photo.jpg" if key == "photo" else "wuchuan (for articles/wuchuan.md)"
        raise m.at(key).error(f"`{key}` must name a file inside the page folder, e.g. {example}; got {value!r}")


def inside_page(spec: PageSpec, relative: Path | str, where: Where, what: str) -> Path:
    """The path of `relative` in the page folder; SourceError when a link loops or leads outside the folder."""
    path = spec.folder / relative
    try:
        os.stat(path)
        real, folder = path.resolve(), spec.folder.resolve()
    except FileNotFoundError:
        return path            # the caller says what is missing
    except (OSError, RuntimeError) as err:
        if isinstance(err, RuntimeError) or err.errno == errno.ELOOP:
            raise where.error(f"{what} {relative}: a symbolic link loops back on itself; "
                              f"replace the link with the file") from None
        raise where.error(f"{what} {relative}: cannot read ({err.strerror}); check the file") from None
    if not real.is_relative_to(folder):
        raise where.error(f"{what} {relative} is a link to {real}, outside the page folder; "
                          f"copy the file into the page folder")
    return path

"""The page spec: page.yaml read into frozen dataclasses, every length in points.

Every key of page.yaml is declared ONCE, as data, in the tables below (PAGE, MARGINS, FORMAT, BODY,
GRID, STYLES, BLOCK, TOP): its kind, its default as written in YAML and a one-line doc. The loader
reads values through these tables (layout/keys.py) and `layout schema` writes the JSON Schema from
them, so editors complete the same keys the loader accepts.

To add a key to a block (or to `page:`), add ONE line to its table, e.g.

    Key("priority", Int(low=0), "1 = the page's lead story; lower numbers are placed first", default=0),

and read it as `block.priority` (Block and PageInfo get a field per key of their table). Use the kinds of
layout/keys.py (Text, Name, Path, Length, Int, Number, Bool, Choice, Color, MapOf, ListOf, Table) or
write a Kind beside Pair below; checks across keys go in the loader function after `read`. Then
run `layout schema --write` to refresh the shipped schema files (a test compares them).
"""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path

from .keys import (MISSING, Bool, Choice, Color, Int, Key, Kind, Length, ListOf, MapOf, Name, Number, Table, Text,
                   empty_map, record)
from .keys import Path as FilePath
from .plant import MIN_MULTI_INK_TEXT, RICH_BLACK_K
from .suggest import hint
from .units import MM, UnitError, parse_length
from .yamlsrc import Map, Seq, SourceError, Where, decode_utf8, load_yaml

MAX_SHEET = 5080 * MM       # 200 in: the largest page a PDF can describe (14 400 units)
DEFAULT_FONTS = {"song": "Noto Serif CJK SC", "hei": "Noto Sans CJK SC Bold", "kai": "LXGW WenKai"}
RED = (0.0, 1.0, 1.0, 0.1)
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
    # story bodies (README, "Story bodies"): **strong** runs, ## crossheads, > pull quotes, pipe tables
    "strong": ("hei", None, None, (0, 0, 0, 1)),
    "crosshead": ("hei", 10.5, None, (0, 0, 0, 1)),
    "quote": ("kai", 12.0, None, (0, 0, 0, 1)),
    "table": ("song", None, None, (0, 0, 0, 1)),
    "jump_headline": ("hei", 14.0, None, (0, 0, 0, 1)),
}
STYLE_DOCS = {
    "headline": "主题: the headline", "kicker": "引题: the line above the headline",
    "subhead": "副题: the line below the headline", "rubric": "栏目: the column name over a story",
    "byline": "the byline run into the first paragraph", "caption": "photo captions",
    "credit": "the photographer's credit after a caption", "section": "the section name in the header band",
    "header": "paper, date and folio in the header band", "footer": "the editors' line under the last body line",
    "strong": "**strong** runs in a story body (size: the text's)", "crosshead": "## 小标题 crossheads in a story",
    "quote": "> pull quotes in a story", "table": "pipe tables in a story",
    "jump_headline": "接题: the headline over a story's continuation on a later page",
}


# ------------------------------------------------------------------------------- kinds of page.yaml

class Pdfx(Kind):
    """x1a (PDF/X-1a:2001) or x4 (PDF/X-4); also written PDF/X-1a, X-4 …"""
    PATTERN = r"^([pP][dD][fF]/)?[xX]-?(1[aA]|4)$"

    def read(self, value, where, key, env):
        import re
        if not isinstance(value, str) or not re.fullmatch(self.PATTERN, value):
            raise where.error("`pdfx` is x1a (PDF/X-1a:2001) or x4 (PDF/X-4, needs `icc`)")
        return "x4" if value.endswith("4") else "x1a"

    def schema(self):
        return {"type": "string", "pattern": self.PATTERN, "examples": ["x1a", "x4"]}


class Trim(Kind):
    """[width, height] of the trimmed sheet."""

    def read(self, value, where, key, env):
        if not isinstance(value, list) or len(value) != 2:
            raise where.error("`trim` is [width, height], e.g. [390mm, 545mm]")
        dims = []
        for i, item in enumerate(value):
            try:
                dims.append(parse_length(item))
            except UnitError as err:
                raise (value.item_where[i] if isinstance(value, Seq) else where).error(f"`trim`: {err}") from None
            if dims[-1] <= 0:
                raise where.error("`trim` sizes must be greater than zero")
            if dims[-1] > MAX_SHEET:
                raise where.error(f"`trim` {item} is larger than a PDF page can be (5080mm); check the unit")
        return tuple(dims)

    def schema(self):
        length = Length().schema()
        return {"type": "array", "items": length, "minItems": 2, "maxItems": 2}


def _whole(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _is_whole(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


class Pair(Kind):
    """[column, line] on the grid, both counted from 1."""

    def read(self, value, where, key, env):
        value = [_whole(v) for v in value] if isinstance(value, list) else value
        if not isinstance(value, list) or len(value) != 2 or not all(map(_is_whole, value)):
            raise where.error(f"`{key}` is [column, line], two whole numbers, e.g. [1, 1]")
        if value[0] < 1 or value[1] < 1:
            raise where.error(f"`{key}` counts from 1 (column 1, line 1); got {list(value)}")
        return tuple(value)

    def schema(self):
        return {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 2, "maxItems": 2}


class Size(Kind):
    """[columns, lines] of a block; lines may be `auto`: the lines its text needs."""

    def read(self, value, where, key, env):
        value = [_whole(v) for v in value] if isinstance(value, list) else value
        if isinstance(value, list) and len(value) == 2 and value[1] == "auto":
            if not _is_whole(value[0]) or value[0] < 1:
                raise where.error(f"`size` is [columns, lines or auto], columns at least 1; got {list(value)}")
            return value[0], None
        if not isinstance(value, list) or len(value) != 2 or not all(map(_is_whole, value)):
            raise where.error("`size` is [columns, lines], two whole numbers, e.g. [1, 1]")
        if value[0] < 1 or value[1] < 1:
            raise where.error(f"`size` counts columns and lines, each at least 1; got {list(value)}")
        return tuple(value)

    def schema(self):
        count = {"type": "integer", "minimum": 1}
        return {"type": "array", "items": [count, {"anyOf": [count, {"const": "auto"}]}],
                "minItems": 2, "maxItems": 2}


class HeadlineSize(Kind):
    """A size (28pt), or [smallest, largest]: the largest size that keeps the headline's lines."""

    def read(self, value, where, key, env):
        if not isinstance(value, list):
            return Length().read(value, where, key, env)
        if len(value) != 2:
            raise where.error("`headline_size` is a size (28pt) or a range [24pt, 36pt]")
        try:
            low, high = (parse_length(v) for v in value)
        except UnitError as err:
            raise where.error(f"`headline_size`: {err}") from None
        if low > high:
            raise where.error(f"`headline_size` range is [smallest, largest]; write [{value[1]}, {value[0]}]")
        if low <= 0:
            raise where.error("`headline_size` must be greater than zero")
        return (low, high)

    def schema(self):
        length = Length().schema()
        return {"anyOf": [length, {"type": "array", "items": length, "minItems": 2, "maxItems": 2}]}


# ------------------------------------------------------------------------------- the keys, as data

PAGE = Table("page", (
    Key("paper", Text(), "the paper's name, in the header", ""),
    Key("section", Text(), "the section name (版名), large in the header band", ""),
    Key("folio", Text(), "the page number (版次)", ""),
    Key("date", Text(), "the issue date, in the header", ""),
    Key("credits", Text(), "the editors' line under the page, e.g. 编辑：… 美编：…", ""),
), doc="What the header and footer show.", hint="{paper: …, section: …, folio: 5, date: …}")

MARGINS = Table("format.margins", (
    Key("top", Length(), "from the trim to the header band", "20mm"),
    Key("bottom", Length(), "from the footer to the trim", "18mm"),
    Key("inner", Length(), "at the spine side", "18mm"),
    Key("outer", Length(), "at the outer edge", "18mm"),
), doc="Margins of the type area.", hint="{top: 20mm, bottom: 18mm, inner: 18mm, outer: 18mm}")

FORMAT = Table("format", (
    Key("trim", Trim(), "[width, height] of the trimmed page", ["390mm", "545mm"], attr=("trim_w", "trim_h")),
    Key("bleed", Length(positive=False), "how far pictures and tints run past the trim", "3mm"),
    Key("margins", MARGINS, "margins of the type area", {}),
    Key("pdfx", Pdfx(), "x1a = PDF/X-1a:2001 (default, output intent IFRA26) or x4 (needs icc)", "x1a"),
    Key("icc", Text(), "the plant's CMYK profile: PDF/X-4 output intent and photo conversion"),
    Key("marks", Bool("`marks` is true or false (crop marks and slug line)"),
        "crop marks and a slug line (file, page, date) outside the bleed", False),
    Key("slug", Length(positive=False), "room outside the bleed for marks and the slug line (10mm with marks)"),
    Key("ink_limit", Number(100, 400, "`ink_limit` is the total ink in percent, e.g. 240"),
        "total area coverage in percent for photos (newsprint: 240)", 240),
), doc="Trim size, bleed, margins and print output.", hint="{trim: [390mm, 545mm], bleed: 3mm, margins: {…}}",
    extra={"if": {"required": ["pdfx"], "properties": {"pdfx": {"type": "string", "pattern": "4$"}}},
           "then": {"required": ["icc"], "properties": {"icc": {"type": ["string", "number"], "minLength": 1}}}})


def style_table(name: str, font: str, size, leading, color, doc: str) -> Table:
    """The keys of one text style, with its defaults."""
    return Table(f"styles.{name}" if name != "body" else "grid.body", (
        Key("font", Text(nonempty=True), "a font role of `fonts:` (song, hei, kai …)", font),
        Key("size", Length(em=True), "type size" + ("" if size else " (default: the body size)"),
            f"{size:g}pt" if size else MISSING),
        Key("leading", Length(em=True), "baseline to baseline" + ("" if leading else " (default: 1.25 × size)"),
            f"{leading:g}pt" if leading else MISSING),
        Key("color", Color(), "CMYK in percent, e.g. [0, 100, 100, 10]; text under 10 pt in one ink",
            [round(c * 100, 4) for c in color]),
    ), doc=doc, hint="{font: hei, size: 26pt}")


BODY = style_table("body", "song", 9.0, 13.5, (0, 0, 0, 1), "The body text: its size and leading make the grid.")
STYLES = Table("styles", tuple(Key(name, style_table(name, *d, STYLE_DOCS[name]), STYLE_DOCS[name], {})
                               for name, d in DEFAULT_STYLES.items()),
               doc="Text styles; each overrides what it names.", hint="{headline: {font: hei, size: 26pt}}")

GRID = Table("grid", (
    Key("columns", Int(), "grid columns across the type area", 8),
    Key("gutter", Length(em=True), "space between columns", "1em"),
    Key("body", BODY, "the body text: font role, size, leading", {}),
    Key("header_lines", Int(low=0), "body lines of the header band (section name, paper, date, folio)", 6),
    Key("footer_lines", Int(low=0), "body lines under the last body line for the editors' line", 2),
), doc="Columns, gutter and the body baseline grid.", hint="{columns: 8, gutter: 1em, body: {…}}")

FONTS = MapOf(Name("a family of fonts.yaml, or a font file (.ttf/.otf/.ttc, #N for a face of a collection)",
                   examples=tuple(DEFAULT_FONTS.values())),
              "a mapping of font roles to families: {song: Noto Serif CJK SC}")

BLOCK = Table("a block", (
    Key("id", Text(nonempty=True, empty="block without `id`; give each block a short unique id"),
        "a short unique name of the block", required=True),
    Key("article", FilePath("wuchuan (for articles/wuchuan.md)"), "the article file, articles/NAME.md"),
    Key("photo", FilePath("images/photo.jpg"), "an image file in the page folder (JPEG, PNG)"),
    Key("ad", FilePath("ads/advert.pdf"), "an advertisement placed as delivered, filling the block: a PDF (its "
        "first page, at the block's size) or an image with the block's proportions"),
    Key("tint", Color(), "底纹: a CMYK tint in percent behind the block, e.g. [10, 0, 0, 0]; the text stays "
        "100 K, overprinting"),
    Key("caption", FilePath("party-day (for articles/party-day.md)"),
        "an article file whose body is the photo's caption and `credit:` its credit"),
    Key("at", Pair(), "[column, line]: where its top left cell is, counted from 1", required=True,
        attr=("col", "line")),
    Key("size", Size(), "[columns, lines]; [3, auto]: the lines its text needs", required=True,
        attr=("cols", "lines")),
    Key("columns", Int(), "text columns in the block (default: its grid columns)", attr="body_columns"),
    Key("headline_size", HeadlineSize(),
        "this block's headline size, or a range [24pt, 36pt]: the largest that keeps the fewest lines"),
    Key("head_lines", Int(low=0), "lines of the heading zone (default: what it needs + 1)"),
    Key("headline_direction", Choice(("horizontal", "vertical")),
        "vertical: kicker and headline set top to bottom (竖题) in the block's rightmost grid column, the body in "
        "the others", "horizontal"),
    Key("fixed", Bool("`fixed` is true or false"), "placed by the designer: `layout plan` keeps it where it is",
        False),
), doc="A rectangle of grid cells holding an article, a photo or an ad.", one_of=(("article", "photo", "ad"),),
    hint="{id: lead, article: wuchuan, at: [1, 1], size: [3, 41]}")

TOP = Table("the page spec", (
    Key("page", PAGE, "what the header and footer show", {}),
    Key("format", FORMAT, "trim, bleed, margins, print output", {}),
    Key("grid", GRID, "columns, gutter, body text", {}),
    Key("fonts", FONTS, "font roles -> families of fonts.yaml (the project's, with a fonts.yaml in the page "
                        "or edition folder merged over it), or font files relative to the page folder", {}),
    Key("styles", STYLES, "text styles: headline kicker subhead rubric byline caption credit section header "
                          "footer", {}),
    Key("blocks", ListOf(BLOCK, "at least one block (- id: lead, article: ..., at: [1, 1], size: [8, 30])", 1),
        "the blocks of the page", required=True),
), doc="A page spec (page.yaml) of the layout engine.",
    hint="page:, format:, grid:, fonts:, styles:, blocks:")


# ------------------------------------------------------------------------------- the values

@dataclass(frozen=True)
class Style:
    """A text style: font role, size, leading and CMYK colour."""
    font: str
    size: float
    leading: float
    color: tuple = (0.0, 0.0, 0.0, 1.0)


@record(PAGE)
class PageInfo:
    """What the header and footer show (a field per key of PAGE)."""


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


@record(BLOCK)
class Block:
    """A rectangle of grid cells holding an article or a photo (a field per key of BLOCK: id, article, photo,
    caption, col, line, cols, lines (None: `auto`), body_columns, headline_size (a size or (smallest, largest)),
    head_lines …)."""
    where: Where
    refs: dict = field(default_factory=dict, compare=False, repr=False)   # key -> Where of its value

    @property
    def kind(self) -> str:
        return "photo" if self.photo else "ad" if self.ad else "article"

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
    refs: dict = field(default_factory=dict, compare=False, repr=False)   # "page.folio" … -> Where of its value
    font_folders: tuple = ()    # folders whose fonts.yaml is merged over the project's, in order
    origins: tuple = field(default=(), compare=False, repr=False)   # ("page.folio", offsets of its characters) …

    def at(self, key: str) -> Where:
        """Where a value (e.g. "page.folio") stands in the spec; else its section; else the spec's top."""
        return self.refs.get(key) or self.refs.get(key.split(".")[0]) or self.where

    def origin(self, key: str) -> tuple:
        """The offset in the spec file of each character of a page value ("page.folio" …), or ()."""
        return next((at for k, at in self.origins if k == key), ())

    def catalog(self):
        """The font catalog of this page: the project's fonts.yaml with its folders' merged over it."""
        from .fonts import load_catalog_for
        return load_catalog_for(*self.font_folders)


# ------------------------------------------------------------------------------- the loader

_SPECS: dict = {}         # (path, cwd, bytes, folders) -> (PageSpec, its catalog, (file, stamp) of the files it checked)
SPEC_MEMO = 64


def load_spec(path: Path | str, font_folders: tuple = ()) -> PageSpec:
    """Read and validate a page spec; raises SourceError (FILE:LINE:COL) on any problem.
    font_folders: folders (an edition's) whose fonts.yaml applies before the page folder's own.

    Memoised in a process (layout watch, the studio): the same bytes, the same font catalog and the
    same ICC profile and font files (size, mtime, inode) give the PageSpec read before."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(path, 1, 1, "spec file not found; give the path of a page.yaml") from None
    except OSError as err:
        raise SourceError(path, 1, 1, f"cannot read: {err.strerror}") from None
    try:
        here = os.getcwd()                      # relative paths in the spec are read from here
    except OSError:                             # a working folder that was removed: no memo
        return _load_spec(path, font_folders, data)
    key = (str(path), here, data, tuple(map(str, font_folders)))
    hit = _SPECS.get(key)
    if hit is not None and _current(*hit):
        return hit[0]
    spec = _load_spec(path, font_folders, data)
    if len(_SPECS) >= SPEC_MEMO:
        _SPECS.clear()
    _SPECS[key] = (spec, _catalog_or_none(spec.font_folders), tuple((f, _stamp(f)) for f in _files_checked(spec)))
    return spec


def _catalog_or_none(folders: tuple):
    from .fonts import FontError, load_catalog_for
    try:
        return load_catalog_for(*folders)       # memoised per version of each fonts.yaml: the same object
    except FontError:
        return None


def _files_checked(spec: PageSpec) -> list:
    """The files other than the spec whose presence (and, for a profile, header) load_spec checks."""
    files = [spec.format.icc] if spec.format.icc else []
    return files + [Path(v.split("#")[0]) for v in spec.fonts.values() if Path(v.split("#")[0]).is_absolute()]


def _stamp(path: Path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns


def _current(spec: PageSpec, catalog, files: tuple) -> bool:
    return catalog is not None and _catalog_or_none(spec.font_folders) is catalog \
        and all(_stamp(f) == stamp for f, stamp in files)


def _load_spec(path: Path, font_folders: tuple, data: bytes) -> PageSpec:
    font_folders = (*font_folders, path.parent)
    text = decode_utf8(data, path).replace("\r\n", "\n")
    root = load_yaml(text.lstrip("\ufeff"), path)
    if not isinstance(root, Map):
        raise SourceError(path, 1, 1, "a page spec is a mapping with page:, format:, grid:, fonts:, styles:, blocks:")
    root.check_keys(TOP.names, TOP.context)
    page = PageInfo(**PAGE.read(root.get("page"), root.at("page"), "page"))
    fmt = _format(_section(root, "format"))
    fonts = _fonts(_section(root, "fonts"), root.at("fonts"), font_folders)
    grid = _grid(_section(root, "grid"), fonts)
    styles = _styles(_section(root, "styles"), fonts, grid.body.size)
    blocks = _blocks(root, path, fmt.ink_limit)
    section = root.get("page")
    refs = {"page": root.at("page"), **({f"page.{k}": section.at(k) for k in section}
                                         if isinstance(section, Map) else {})}
    return PageSpec(path=path, folder=path.parent, page=page, format=fmt, grid=grid, fonts=fonts,
                    styles=styles, blocks=blocks, where=root.where, refs=refs,
                    font_folders=font_folders, origins=_page_origins(text.lstrip("\ufeff"), refs, page))


def _page_origins(text: str, refs: dict, page) -> tuple:
    """("page.KEY", offsets) of each header/footer value written as it is shown (plain or quoted on its
    key's line), for click to source; a value YAML rewrites (folded, escaped) gets none."""
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    out = []
    for key in ("paper", "section", "folio", "date", "credits"):
        where, value = refs.get(f"page.{key}"), str(getattr(page, key, "") or "")
        if where is None or not value or where.line > len(starts) - 1:
            continue
        at = starts[where.line - 1] + where.col - 1
        for start in (at, at + 1):                     # plain, or inside its quotes
            if text[start:start + len(value)] == value:
                out.append((f"page.{key}", tuple(range(start, start + len(value)))))
                break
    return tuple(out)


def _section(root: Map, key: str) -> Map:
    """The mapping under `key` (an empty one standing at the key when it is left out or empty)."""
    value = root.get(key)
    if value is None:
        return empty_map(root.at(key))
    if not isinstance(value, Map):
        raise root.at(key).error(f"`{key}` must be a mapping of keys (indented under `{key}:`)")
    return value


def output_profile_problem(path: Path) -> str | None:
    """Why the file at `path` cannot be an output intent (an ICC profile of class output, colour space CMYK),
    read from its 128-byte header; None when it can."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(128)
    except OSError as err:
        return f"cannot be read ({err.strerror})"
    if len(head) < 128 or head[36:40] != b"acsp":
        return "is not an ICC profile"
    kind = head[12:16].decode("latin-1").strip()
    space = head[16:20].decode("latin-1").strip()
    if space != "CMYK":
        return f"is an ICC profile of {space or 'an unknown'} colour, not CMYK"
    if kind != "prtr":
        names = {"mntr": "a display", "scnr": "an input", "link": "a device-link", "spac": "a colour-space",
                 "abst": "an abstract", "nmcl": "a named-colour"}
        return f"is {names.get(kind, repr(kind))} profile, not an output (printer) profile"
    return None


def _format(m: Map) -> Format:
    v = FORMAT.read(m)
    margins = v.pop("margins")
    icc = None
    if v["icc"]:
        icc = Path(os.path.expanduser(v["icc"]))
        if not icc.is_absolute():
            icc = Path(m.where.path).parent / icc
        if not icc.is_file():
            raise m.at("icc").error(f"ICC profile {icc} not found; give the path of the plant's CMYK profile")
        problem = output_profile_problem(icc)
        if problem:
            raise m.at("icc").error(f"{icc} {problem}; give the plant's CMYK output profile (e.g. ISOnewspaper26v4.icc)")
    if v["pdfx"] == "x4" and icc is None:
        raise m.at("pdfx").error("PDF/X-4 needs the output profile: add `icc: path/to/profile.icc` under format")
    if v["slug"] is None:
        v["slug"] = 10 * MM if v["marks"] else 0.0
    fmt = Format(**{**v, **margins, "icc": icc})
    if fmt.inner + fmt.outer >= fmt.trim_w or fmt.top + fmt.bottom >= fmt.trim_h:
        raise m.where.error("margins leave no type area; make them smaller than the trim")
    return fmt


def _fonts(m: Map, where: Where, folders: tuple) -> dict:
    """Font roles -> family names of the merged fonts.yaml files, or font files (absolute path[#index])."""
    from .fonts import FontError, load_catalog_for
    from .fonts.catalog import FONT_FILE
    try:
        catalog = load_catalog_for(*folders)
        known, shown = catalog.families, _catalog_names(folders)
    except FontError:
        known, shown = None, ""    # the build reports the broken catalog itself
    fonts = dict(DEFAULT_FONTS)
    for role, family in FONTS.read(m, where, "fonts", {}).items():
        as_file = FONT_FILE.match(family)
        if as_file and (known is None or family not in known):
            path = Path(os.path.expanduser(as_file["file"]))
            path = path if path.is_absolute() else folders[-1] / path
            if not path.is_file():
                raise m.at(role).error(f"font role `{role}`: font file {path} not found; give the path of a "
                                       f".ttf/.otf/.ttc file (relative to the page folder), or a family name")
            fonts[role] = str(path.resolve()) + (f"#{as_file['index']}" if as_file["index"] else "")
            continue
        if known is not None and family not in known:
            raise m.at(role).error(f"font role `{role}`: no family `{family}` in {shown}; {hint(family, known, 'families')} "
                                   f"(or add it there under families:, or give a font file's path)")
        fonts[role] = family
    return fonts


def _catalog_names(folders: tuple) -> str:
    """The fonts.yaml files that apply, as a message names them."""
    from .fonts import DEFAULT_CATALOG
    names = [os.path.relpath(DEFAULT_CATALOG)] + [os.path.relpath(Path(f) / "fonts.yaml") for f in folders
                                                   if (Path(f) / "fonts.yaml").is_file()]
    names = [n if not n.startswith("..") else str(Path(n).resolve()) for n in dict.fromkeys(names)]
    return " or ".join(names)


def _style(m: Map, table: Table, fonts: dict, body_size: float) -> Style:
    v = table.read(m, env={"em": body_size})
    size = v["size"] or body_size
    leading = v["leading"] or round(size * 1.25, 3)
    color, context = v["color"], table.context
    c, mg, y, k = color
    if k >= RICH_BLACK_K and (c or mg or y):
        raise m.at("color").error(f"{context}: rich black text ({_pct(color)}) misregisters on newsprint; "
                                  f"set text in 100 K: color: [0, 0, 0, 100]")
    if size < MIN_MULTI_INK_TEXT and sum(1 for v in color if v > 0) > 1:
        raise m.at("color").error(f"{context}: {size:g} pt text in {_pct(color)} needs several plates in "
                                  f"register; colour text under 10 pt must use one ink")
    role = v["font"]
    if role not in fonts:
        raise m.at("font").error(f"unknown font role `{role}`; {hint(role, fonts, 'the roles under `fonts:`')}")
    return Style(font=role, size=size, leading=leading, color=color)


def _pct(color) -> str:
    return "/".join(f"{v * 100:g}" for v in color) + " CMYK"


def _sub(m: Map, key: str, table: Table) -> Map:
    """The mapping under `key` of `m` (empty when left out); refused when it is not a mapping."""
    value = m.get(key)
    if value is None:
        return empty_map(m.at(key) if key in m else m.where)
    if not isinstance(value, Map):
        raise m.at(key).error(f"`{key}` is a mapping: {table.hint}")
    return value


def _grid(m: Map, fonts: dict) -> GridSpec:
    body_map = _sub(m, "body", BODY)
    body = _style(body_map, BODY, fonts, 9.0)
    if body.leading < body.size:
        raise body_map.at("leading").error("body `leading` must be at least the body `size`")
    v = GRID.read(m, env={"em": body.size})
    return GridSpec(**{**v, "body": body})


def _styles(m: Map, fonts: dict, body_size: float) -> dict:
    STYLES.read(m, env={"em": body_size})     # every key and value checked, in the order written
    return {k.name: _style(_sub(m, k.name, k.kind), k.kind, fonts, body_size) for k in STYLES.keys}


def _check_tint(tint: tuple, where: Where, ink_limit: float) -> None:
    """A tint under 100 K overprinting text: its C+M+Y plus the text's 100 % stay within the ink limit."""
    ink = round(sum(tint[:3]) * 100 + 100, 1)
    if ink > ink_limit:
        raise where.error(f"`tint` {_pct(tint)} under 100 K text makes {ink:g} % ink, over the {ink_limit:g} % "
                          f"limit; use a lighter tint")


def _blocks(root: Map, path: Path, ink_limit: float = 240.0) -> tuple:
    seq = root.get("blocks")
    TOP.key("blocks").kind.read(seq, root.at("blocks") if "blocks" in root else Where(path, 1, 1), "blocks", {})
    blocks, seen = [], {}
    for i, m in enumerate(seq):
        if not isinstance(m, Map):
            raise seq.item_where[i].error("each block is a mapping with id, article or photo, at and size")
        v = BLOCK.read(m)
        bid = v["id"]
        if bid in seen:
            raise m.at("id").error(f"block id `{bid}` is used twice (first at line {seen[bid].line}); ids must be unique")
        seen[bid] = m.at("id")
        if v.get("headline_direction") == "vertical" and v["cols"] < 2:
            raise m.at("headline_direction").error(f"block `{bid}`: a vertical headline takes the block's rightmost "
                                                   f"grid column and the body the others: give it 2 columns or more")
        v["body_columns"] = v["body_columns"] or v["cols"]
        v["head_lines"] = v["head_lines"] or None
        if v["tint"] is not None:
            _check_tint(v["tint"], m.at("tint"), ink_limit)
        blocks.append(Block(where=m.where, refs={k: m.at(k) for k in ("article", "photo", "caption", "ad") if k in m},
                            **v))
    return tuple(blocks)


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

"""The pipeline: load the spec and articles, compose, place, render, and write the PDF atomically."""
from __future__ import annotations

import errno
from dataclasses import dataclass, replace
from pathlib import Path

from . import atomic
from .content import Article, load_article
from .fonts import FontError
from .grid import check_blocks, make_grid
from .images import DEFAULT_PROFILE, ImageProblem, prepare
from .measure import FontMetrics
from .outputs import default_output
from .place import Page, needed_lines, place_page
from .plant import MIN_PPI, WARN_PPI
from .report import ArticleFit, MissingGlyph, Report
from .spec import PageSpec, inside_page, load_spec
from .suggest import hint
from .yamlsrc import SourceError

DEFAULT_SPEC = Path("content/dangqi-linghang/page.yaml")


class BuildError(Exception):
    """Invalid input: one line, `FILE:LINE:COL: what and how to fix`."""


def load_articles(spec: PageSpec, known: dict | None = None) -> dict:
    """Every article and caption the blocks name, from `articles/<id>.md` in the page folder
    (or, for an article jumping from an earlier page of an edition, the one already loaded)."""
    articles = {}
    for block in spec.blocks:
        for name in (block.article, block.caption):
            if not name or name in articles:
                continue
            if known and name in known and not (spec.folder / "articles" / f"{name}.md").exists():
                articles[name] = known[name]
                continue
            where = block.at("article" if name == block.article else "caption")
            path = inside_page(spec, Path("articles") / f"{name}.md", where, "article file")
            if not path.exists():
                names = sorted(p.stem for p in path.parent.glob("*.md"))
                raise where.error(f"block `{block.id}`: article file {path} not found; create it or fix the name "
                                  f"({hint(name, names, 'articles there')})")
            articles[name] = load_article(path, name)
    return articles


def compose_page(spec: PageSpec, metrics=None):
    """Spec -> (PageLayout, BlockResults, metrics, grid, the spec with `auto` heights resolved).
    Pure but for reading inputs."""
    if metrics is None:
        metrics = FontMetrics(spec.catalog(), spec.fonts)
    spec, grid, articles = prepare_page(spec, metrics)
    layout, results = place_page(Page(spec, grid, metrics), articles)
    return layout, results, metrics, grid, spec


def prepare_page(spec: PageSpec, metrics, known: dict | None = None) -> tuple:
    """The page's grid and articles, and its spec with `auto` heights resolved and every block checked."""
    grid = make_grid(spec)
    articles = load_articles(spec, known)
    spec = resolve_auto_heights(spec, grid, articles, metrics)
    check_blocks(spec, grid)
    return spec, grid, articles


def resolve_auto_heights(spec: PageSpec, grid, articles: dict, metrics) -> PageSpec:
    """Blocks of `size: [N, auto]` take the lines their heading and balanced text need."""
    if all(b.lines is not None for b in spec.blocks):
        return spec
    blocks = []
    for b in spec.blocks:
        if b.lines is None:
            if b.kind != "article":
                raise b.where.error(f"block `{b.id}`: only article blocks can have `auto` height")
            b = replace(b, lines=needed_lines(Page(spec, grid, metrics), b, articles[b.article]))
        blocks.append(b)
    return replace(spec, blocks=tuple(blocks))


def prepare_images(spec: PageSpec, layout) -> tuple:
    """Every photo of the page cropped, converted and checked: ({source: Prepared}, warnings)."""
    from .display import Artwork, Picture
    images, warnings = {}, []
    for item in layout.items:
        if isinstance(item, Artwork):
            images[item.source], note = _prepare_artwork(spec, item)
            warnings += [note] if note else []
            continue
        if not isinstance(item, Picture):
            continue
        block = next(b for b in spec.blocks if b.id == item.block)
        key = "ad" if block.kind == "ad" else "photo"
        path = inside_page(spec, item.source, block.at(key), key)
        if key == "ad":
            _check_ad_image(path, item, block)
        try:
            prepared = prepare(path, item.w, item.h, spec.format.ink_limit, spec.format.icc)
        except ImageProblem as err:
            raise block.at(key).error(f"block `{block.id}`: {path}: {err}") from None
        where = f"{spec.path}:{block.where.line}: block `{block.id}`: {path}"
        if prepared.ppi < MIN_PPI:
            raise SourceError(spec.path, block.where.line, block.where.col,
                              f"block `{block.id}`: {path}: effective resolution {prepared.ppi:.0f} ppi in its "
                              f"frame is under {MIN_PPI} ppi; use a larger image or a smaller frame")
        if prepared.ppi < WARN_PPI:
            warnings.append(f"{where}: effective resolution {prepared.ppi:.0f} ppi is under {WARN_PPI} ppi")
        if prepared.mode not in ("CMYK", "L", "1"):
            warnings.append(f"{where}: {prepared.mode} photo converted to CMYK "
                            f"({(spec.format.icc or DEFAULT_PROFILE).name}), total ink limited to "
                            f"{spec.format.ink_limit:g} %")
        images[item.source] = prepared
    return images, warnings


def _prepare_artwork(spec: PageSpec, item) -> tuple:
    """A delivered PDF ad read for the render layer: (Delivered, a warning when it is scaled to fit)."""
    from .artwork import ArtworkProblem, fit_note, read_artwork
    block = next(b for b in spec.blocks if b.id == item.block)
    path = inside_page(spec, item.source, block.at("ad"), "ad")
    if not path.is_file():
        raise block.at("ad").error(f"block `{block.id}`: ad {path} not found; put the delivered file there")
    try:
        delivered = read_artwork(path)
    except ArtworkProblem as err:
        raise block.at("ad").error(f"block `{block.id}`: {path}: {err}") from None
    note = fit_note(delivered, item.w, item.h)
    return delivered, (f"{spec.path}:{block.where.line}: block `{block.id}`: ad {path}: {note}" if note else None)


def _check_ad_image(path: Path, item, block) -> None:
    """An image ad fills its block as delivered: a different shape would be cropped, so it is refused."""
    from .images import pixel_size
    if not path.is_file():
        raise block.at("ad").error(f"block `{block.id}`: ad {path} not found; put the delivered file there")
    size = pixel_size(path)
    if size is None:
        return                          # prepare() says what is wrong with the file
    w, h = size
    if abs(w / h - item.w / item.h) > 0.01 * (item.w / item.h):
        raise block.at("ad").error(f"block `{block.id}`: ad {path} is {w} × {h} px (proportions {w / h:.3f}), the "
                                   f"block {item.w / item.h:.3f}: an ad is never cropped; deliver it at the "
                                   f"block's proportions or size the block to it")


def report_for(results, output: str, pages: int = 1, warnings=(), written: bool = True) -> Report:
    """Copyfit per article (a chain of blocks reports at its last block), missing glyphs, warnings."""
    fits, missing, seen = [], [], set()
    for r in results:
        for ch, role in r.missing:
            if (ch, r.article, role) not in seen:
                seen.add((ch, r.article, role))
                missing.append(MissingGlyph(ch, f"U+{ord(ch):04X}", r.article, role))
        f = r.flowed
        if f is not None:      # None: a block whose article jumps on to another block
            fits.append(ArticleFit(id=r.article, block=r.block, status=f.status, chars=r.chars,
                                   overflow_chars=f.overflow_chars, empty_lines=f.empty_lines,
                                   overflow_lines=len(f.overflow), lines_per_column=f.capacity,
                                   columns=f.columns, measure_chars=r.measure_chars))
    warn = list(warnings) + [note for r in results for note in r.notes]
    for a in fits:
        if a.status == "overflow":
            warn.append(f"article `{a.id}` in block `{a.block}` overflows by {a.overflow_chars} characters")
    return Report(output=output, pages=pages, articles=tuple(fits), missing_glyphs=tuple(missing),
                  warnings=tuple(warn), written=written)


@dataclass(frozen=True)
class Composed:
    """A page composed and ready to render: what the PDF, the dump and the report are made from."""
    spec: PageSpec
    layout: object         # PageLayout
    results: tuple         # BlockResult per block
    faces: dict            # face key -> Face, every face a glyph was taken from
    images: dict           # Picture.source -> images.Prepared
    warnings: tuple


def compose(spec_path: Path | str = DEFAULT_SPEC) -> Composed:
    """Load, compose and place a page; raises BuildError for invalid input."""
    try:
        spec = load_spec(Path(spec_path))
        layout, results, metrics, grid, spec = compose_page(spec)
        images, warnings = prepare_images(spec, layout)
    except (SourceError, FontError) as err:
        raise BuildError(str(err)) from None
    from .pagecheck import page_warnings
    warnings += page_warnings(spec, grid, layout)
    return Composed(spec, layout, tuple(results), dict(metrics.faces), images, tuple(warnings))


def grid_proof_path(out: Path) -> Path:
    return Path(out).with_name(f"{Path(out).stem}-grid.pdf")


def write_grid_proof(page: Composed, out: Path) -> Path:
    """The composed page with its grid, block frames and ids drawn over it, as a separate proof PDF."""
    from .overlay import grid_overlay, overflow_marks
    from .render.pdf import render_pdf
    spec = page.spec
    metrics = FontMetrics(spec.catalog(), spec.fonts)
    grid = make_grid(spec)
    proof = grid_overlay(spec, grid, page.layout, metrics, overflow_marks(spec, grid, page.results))
    faces = {**page.faces, **metrics.faces}
    path = grid_proof_path(out)
    write_atomic(path, lambda tmp: Path(tmp).write_bytes(render_pdf([proof], faces, page.images, proof.title)))
    return path


def build(spec_path: Path | str = DEFAULT_SPEC, out: Path | str | None = None, write: bool = True,
          grid_proof: bool = False) -> Report:
    """Build one page; raises BuildError for invalid input (and then writes nothing).

    grid_proof: also write NAME-grid.pdf, the same page with its grid drawn over it."""
    spec_path = Path(spec_path)
    out = Path(out) if out else default_output(spec_path)
    page = compose(spec_path)
    report = replace(report_for(page.results, str(out), 1, page.warnings, written=write), marks=page_marks(page))
    if write:
        refuse_non_pdf(out)
        try:
            written = []
            write_atomic(out, lambda tmp: written.append(write_pdf(page, tmp)))
        except FontError as err:   # a font that cannot be embedded (e.g. an unwritable font cache)
            raise BuildError(str(err)) from None
        from .preflight_list import preflight_page       # what was drawn, not the file read back
        report = replace(report, preflight=tuple(preflight_page(out, [page.layout], page.images, written[0],
                                                                page.spec.format.ink_limit)))
        if grid_proof:
            write_grid_proof(page, out)
    return report


def page_marks(page: Composed, index: int = 0) -> tuple:
    """The overflow marks of a composed page (page `index` of its document)."""
    from .overlay import overflow_marks
    return overflow_marks(page.spec, make_grid(page.spec), page.results, index)


def write_pdf(page: Composed, path: Path):
    """Render with ReportLab as a finished PDF/X file (its keys written as it writes); returns
    the PdfxKeys written, which the build's preflight checks."""
    from .render.pdf import render_pdf
    from .render.pdfx import pdfx_keys
    fmt = page.spec.format
    keys = pdfx_keys(fmt.pdfx, fmt.icc, page.layout.title)
    Path(path).write_bytes(render_pdf([page.layout], page.faces, page.images, page.layout.title,
                                      pdfx=(keys, fmt.icc)))
    return keys


def refuse_non_pdf(out: Path) -> None:
    """Never overwrite a spec, an article, a photo … that happens to stand at the output path."""
    if out.is_file() and not _is_pdf(out):
        raise BuildError(f"{out}:1:1: this file is not a PDF and would be overwritten; choose another -o path")


def _is_pdf(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(5) == b"%PDF-"


_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EACCES, errno.EPERM, errno.EROFS,
                 errno.EISDIR, errno.ENOTDIR, errno.EEXIST, errno.ENOTEMPTY, errno.EIO, errno.EXDEV}


def write_atomic(out: Path, write) -> None:
    """Write `out` atomically (layout/atomic.py): an earlier good file survives any failure; a disk or
    folder problem is bad input, said in one line."""
    try:
        atomic.write_atomic(out, write)
    except atomic.NotCreated as err:
        raise BuildError(f"{out}:1:1: cannot write here ({err.strerror}); choose another -o path") from None
    except OSError as err:
        if err.errno in _WRITE_ERRORS:          # disk full, a folder at OUT …
            raise BuildError(f"{out}:1:1: cannot write the PDF ({err.strerror or err}); "
                             f"free some space or choose another -o path") from None
        raise

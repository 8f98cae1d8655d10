"""Building a document (a page or an edition): compose it (document.py), render its pages, write the
PDF/X file atomically, check it, and write what was asked beside it (grid proof, PNG previews)."""
from __future__ import annotations

import errno
from dataclasses import replace
from pathlib import Path

from .document import (DEFAULT_SPEC, Composed, compose, compose_document, compose_page,
                       load_articles, load_source, prepare_images, prepare_page)
from . import atomic
from .errors import BuildError
from .fonts import FontError
from .grid import make_grid
from .outputs import default_output
from .pagecheck import page_grid
from .report import ArticleFit, MissingGlyph, Report
from .yamlsrc import SourceError

__all__ = ["DEFAULT_SPEC", "BuildError", "Composed", "build", "compose", "compose_document", "compose_page",
           "default_output", "grid_proof_path", "load_articles", "prepare_images", "prepare_page", "report_for",
           "write_atomic", "write_pdf"]

GRID_DPI = 150          # a grid proof's labels and frames read at this resolution; 60 dpi is for the page


def build(spec_path: Path | str = DEFAULT_SPEC, out: Path | str | None = None, write: bool = True,
          grid_proof: bool = False, png_dpi: int | None = None, grid_dpi: int = GRID_DPI,
          workers: int | None = None, progress=None, runner=None) -> Report:
    """Build a page or an edition into one PDF/X file; raises BuildError for invalid input (and then
    writes nothing). write=False: check only.

    grid_proof: also write NAME-grid.pdf, the pages with their grid drawn over them (never printed);
    png_dpi: also write a PNG preview of every page (and of the grid proof, at grid_dpi);
    workers, runner: what renders the pages of an edition (edition.render_edition); progress: called
    with one line per page rendered (default: stderr, for editions)."""
    try:
        source = load_source(spec_path)
    except SourceError as err:
        raise BuildError(str(err)) from None
    out = Path(out) if out else default_output(source.path)
    if write:
        refuse_non_pdf(out)
    pages = compose_document(source)
    marks = tuple(m for i, p in enumerate(pages) for m in page_marks(p, i))
    grids = tuple(page_grid(p.spec, make_grid(p.spec), i) for i, p in enumerate(pages))
    if not write:
        return replace(report_for([r for p in pages for r in p.results], str(out), len(pages),
                                  [w for p in pages for w in p.warnings], written=False), marks=marks, grids=grids)
    if source.edition:
        from .edition import render_edition
        report = render_edition(source, pages, out, workers, progress, runner)
    else:
        report = write_page(pages[0], out)
    files = []
    if grid_proof:
        files.append((write_grid_proof(pages, out), "grid proof, not for print"))
    if png_dpi:
        from .preview import write_pngs
        files += write_pngs(out, png_dpi, marks)
        if grid_proof:
            files += [(png, f"grid proof preview, {grid_dpi} dpi")
                      for png, _ in write_pngs(grid_proof_path(out), grid_dpi)]
    return replace(report, marks=marks, grids=grids, files=tuple((str(path), what) for path, what in files))


def page_marks(page: Composed, index: int = 0) -> tuple:
    """The overflow marks of a composed page (page `index` of its document)."""
    from .overlay import overflow_marks
    return overflow_marks(page.spec, make_grid(page.spec), page.results, index)


def write_page(page: Composed, out: Path) -> Report:
    """Write one composed page as a PDF/X file at `out` (atomically) and preflight what was drawn."""
    report = report_for(page.results, str(out), 1, page.warnings)
    try:
        written = []
        write_atomic(out, lambda tmp: written.append(write_pdf(page, tmp)))
    except FontError as err:   # a font that cannot be embedded (e.g. an unwritable font cache)
        raise BuildError(str(err)) from None
    from .preflight_list import preflight_page       # what was drawn, not the file read back
    return replace(report, preflight=tuple(preflight_page(out, [page.layout], page.images, written[0],
                                                          page.spec.format.ink_limit)))


def write_pdf(page: Composed, path: Path):
    """Render with ReportLab as a finished PDF/X file (its keys written as it writes); returns
    the PdfxKeys written, which the build's preflight checks."""
    from .render.pdf import render_pdf_parts, write_parts
    from .render.pdfx import pdfx_keys
    fmt = page.spec.format
    keys = pdfx_keys(fmt.pdfx, fmt.icc, page.layout.title)
    write_parts(path, render_pdf_parts([page.layout], page.faces, page.images, page.layout.title,
                                       pdfx=(keys, fmt.icc)))
    return keys


def report_for(results, output: str, pages: int = 1, warnings=(), written: bool = True) -> Report:
    """Copyfit per article (a chain of blocks reports at its last block), missing glyphs, warnings."""
    fits, missing, seen = [], [], set()
    for r in results:
        for ch, role in r.missing:
            if (ch, r.article, role) not in seen:
                seen.add((ch, r.article, role))
                missing.append(MissingGlyph(ch, f"U+{ord(ch):04X}", r.article, role))
        f = r.flowed
        if f is not None:      # None: a block whose article goes on in another block
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


def grid_proof_path(out: Path) -> Path:
    return Path(out).with_name(f"{Path(out).stem}-grid.pdf")


def write_grid_proof(pages, out: Path) -> Path:
    """The composed pages with their grid, block frames and ids drawn over them, as a separate proof PDF
    (one page of proof per page)."""
    from .measure import FontMetrics
    from .overlay import grid_overlay, overflow_marks
    from .render.pdf import render_pdf
    pages = [pages] if isinstance(pages, Composed) else list(pages)
    proofs, faces, images = [], {}, {}
    for page in pages:
        spec = page.spec
        metrics = FontMetrics(spec.catalog(), spec.fonts)
        grid = make_grid(spec)
        proofs.append(grid_overlay(spec, grid, page.layout, metrics, overflow_marks(spec, grid, page.results)))
        faces.update({**page.faces, **metrics.faces})
        images.update(page.images)
    path = grid_proof_path(out)
    write_atomic(path, lambda tmp: Path(tmp).write_bytes(render_pdf(proofs, faces, images, proofs[0].title)))
    return path


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

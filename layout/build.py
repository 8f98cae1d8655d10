"""Building a document (a page or an edition): compose it, render its pages, finish the PDF/X file
atomically, check it, and write what was asked beside it (grid proof, PNG previews)."""
from __future__ import annotations

import errno
import io
import os
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from .document import (DEFAULT_SPEC, FOLDER_FILES, Composed, compose, compose_document, compose_page,
                       load_articles, load_source, prepare_images, prepare_page, spec_path)
from .errors import BuildError
from .fonts import FontError
from .report import ArticleFit, MissingGlyph, Report
from .yamlsrc import SourceError

__all__ = ["DEFAULT_SPEC", "BuildError", "Composed", "build", "compose", "compose_document", "compose_page",
           "default_output", "grid_proof_path", "load_articles", "prepare_images", "prepare_page", "report_for",
           "write_atomic", "write_pdf"]

GRID_DPI = 150          # a grid proof's labels and frames read at this resolution; 60 dpi is for the page


def default_output(spec: Path | str) -> Path:
    """Where a build writes when no -o is given (README, "Where files go"): the `output/` folder inside
    the page's (or edition's) folder, named after the folder when the file is page.yaml or edition.yaml,
    else after the file: content/x/page.yaml -> content/x/output/x.pdf, a/page-2.yaml -> a/output/page-2.pdf.
    The same wherever the command runs from."""
    path = spec_path(spec)
    folder = path.resolve().parent
    name = folder.name if path.name in FOLDER_FILES else path.stem
    return folder / "output" / f"{name}.pdf"


def build(spec_path: Path | str = DEFAULT_SPEC, out: Path | str | None = None, write: bool = True,
          grid_proof: bool = False, png_dpi: int | None = None, grid_dpi: int = GRID_DPI,
          workers: int | None = None, progress=None) -> Report:
    """Build a page or an edition into one PDF/X file; raises BuildError for invalid input (and then
    writes nothing). write=False: check only.

    grid_proof: also write NAME-grid.pdf, the pages with their grid drawn over them (never printed);
    png_dpi: also write a PNG preview of every page (and of the grid proof, at grid_dpi);
    workers: processes rendering the pages of an edition; progress: called with one line per page
    rendered (default: stderr, for editions)."""
    try:
        source = load_source(spec_path)
    except SourceError as err:
        raise BuildError(str(err)) from None
    out = Path(out) if out else default_output(source.path)
    if write:
        refuse_non_pdf(out)
    pages = compose_document(source)
    results = [r for p in pages for r in p.results]
    warnings = [w for p in pages for w in p.warnings]
    if source.edition and len({p.spec.format for p in pages}) > 1:
        fmt = pages[0].spec.format
        warnings.append(f"{source.path}: the pages' `format` differ; the edition is finished as page 1's "
                        f"({fmt.pdfx}, ink limit {fmt.ink_limit:g} %)")
    report = report_for(results, str(out), len(pages), warnings, written=write)
    if not write:
        return report
    if progress is None and source.edition:
        progress = _stderr
    started = time.perf_counter()
    fmt = pages[0].spec.format
    rendered = Rendered(render_document(pages, workers, progress), fmt, source.name or pages[0].layout.title)
    try:
        write_atomic(out, lambda tmp: finish_pdf(rendered, tmp))
    except FontError as err:   # a font that cannot be embedded (e.g. an unwritable font cache)
        raise BuildError(str(err)) from None
    if progress and source.edition:
        progress(f"edition {source.name}: {len(pages)} pages in {time.perf_counter() - started:.2f} s")
    from .preflight import preflight
    files = []
    if grid_proof:
        files.append((write_grid_proof(pages, out), "grid proof, not for print"))
    if png_dpi:
        from .preview import write_pngs
        files += [(png, f"preview, {png_dpi} dpi") for png in write_pngs(out, png_dpi)]
        if grid_proof:
            files += [(png, f"grid proof preview, {grid_dpi} dpi")
                      for png in write_pngs(grid_proof_path(out), grid_dpi)]
    return replace(report, preflight=tuple(preflight(out, fmt.ink_limit)),
                   files=tuple((str(path), what) for path, what in files))


def _stderr(text: str) -> None:
    print(text, file=sys.stderr)


def render_document(pages, workers: int | None = None, progress=None) -> bytes:
    """The unfinished PDF of the pages, in order: a page alone rendered here; several rendered in
    parallel worker processes (here, one after the other, with workers=1), one progress line each."""
    if len(pages) == 1:
        page = pages[0]
        return _render_one(page.layout, page.faces, page.images)[0]
    rendered: list = [None] * len(pages)

    def done(i: int, pdf: bytes, seconds: float) -> None:
        rendered[i] = pdf
        if progress:
            spec = pages[i].spec
            progress(f"page {i + 1}/{len(pages)}: {spec.page.section} 第{spec.page.folio}版 "
                     f"({spec.path.name}) rendered in {seconds:.2f} s")
    if workers == 1:
        for i, p in enumerate(pages):
            done(i, *_render_one(p.layout, p.faces, p.images))
        return merge_pdfs(rendered)
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from .fonts import prepare
    try:   # convert any font not yet prepared once, here, not in every worker
        prepare({key: face for p in pages for key, face in p.faces.items()}.values())
    except FontError as err:
        raise BuildError(str(err)) from None
    slim = [{k: replace(v, _image=None) for k, v in p.images.items()} for p in pages]
    with ProcessPoolExecutor(max_workers=workers or min(len(pages), os.cpu_count() or 1)) as pool:
        futures = {pool.submit(_render_one, p.layout, p.faces, slim[i]): i for i, p in enumerate(pages)}
        for future in as_completed(futures):
            done(futures[future], *future.result())
    return merge_pdfs(rendered)


def _render_one(layout, faces, images) -> tuple:
    from .render.pdf import render_pdf
    started = time.perf_counter()
    return render_pdf([layout], faces, images, layout.title), time.perf_counter() - started


def merge_pdfs(documents) -> bytes:
    """One PDF of the pages of `documents`, in order."""
    import pikepdf
    sources = [pikepdf.open(io.BytesIO(doc)) for doc in documents]
    try:
        with pikepdf.new() as merged:
            for src in sources:
                merged.pages.extend(src.pages)
            data = io.BytesIO()
            merged.save(data, deterministic_id=True)
            return data.getvalue()
    finally:
        for src in sources:
            src.close()


@dataclass(frozen=True)
class Rendered:
    """A document rendered by ReportLab, to be finished as PDF/X: its bytes, its format, its title."""
    pdf: bytes
    format: object        # spec.Format: PDF/X flavour and output profile
    title: str


def finish_pdf(rendered: Rendered, path: Path) -> None:
    """Write the rendered document to `path` as a PDF/X file (pikepdf)."""
    from .pdfx import finish
    finish(rendered.pdf, path, rendered.format.pdfx, rendered.format.icc, rendered.title)


def write_pdf(page: Composed, path: Path) -> None:
    """Render one page with ReportLab, then finish it as PDF/X at `path`."""
    finish_pdf(Rendered(render_document([page]), page.spec.format, page.layout.title), path)


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
    """The composed pages with their grid, block frames and ids drawn over them, as a separate proof PDF."""
    from .fonts import load_catalog
    from .grid import make_grid
    from .measure import FontMetrics
    from .overlay import grid_overlay
    pages = [pages] if isinstance(pages, Composed) else list(pages)
    proofs = []
    for page in pages:
        metrics = FontMetrics(load_catalog(), page.spec.fonts)
        proof = grid_overlay(page.spec, make_grid(page.spec), page.layout, metrics)
        proofs.append(replace(page, layout=proof, faces={**page.faces, **metrics.faces}))
    path = grid_proof_path(out)
    raw = render_document(proofs, workers=1)
    write_atomic(path, lambda tmp: Path(tmp).write_bytes(raw))
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
    """Write to a temporary file beside `out`, then rename: an earlier good file survives any failure."""
    out = Path(out)
    # the name is chosen before the file exists, so that a Ctrl-C at any moment after it is created
    # (even inside the call that creates it) still finds it and removes it
    tmp = out.parent / f".{out.name}.{os.getpid()}-{os.urandom(4).hex()}.tmp"
    not_created = None
    try:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except OSError as err:
            not_created = BuildError(f"{out}:1:1: cannot write here ({err.strerror}); choose another -o path")
            raise not_created from None
        write(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException as err:
        if err is not not_created:               # else the file is not ours (or not there)
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if isinstance(err, OSError) and err.errno in _WRITE_ERRORS:   # disk full, a folder at OUT …
            raise BuildError(f"{out}:1:1: cannot write the PDF ({err.strerror or err}); "
                             f"free some space or choose another -o path") from None
        raise

"""Editions: several pages in one PDF, articles jumping between pages (转版), pages rendered in parallel."""
from __future__ import annotations

import io
import os
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from .build import (BuildError, Composed, page_marks, prepare_images, prepare_page, refuse_non_pdf, report_for,
                    write_atomic)
from .fonts import FontError
from .pagecheck import folio_warnings, page_warnings
from .measure import FontMetrics
from .outputs import default_output
from .place import Chains, Page, place_page
from .report import Report
from .spec import load_spec
from .keys import Key, ListOf, Name, Table, Text
from .yamlsrc import Map, SourceError, load_yaml

#: the keys of an edition file (see layout/keys.py; `layout schema edition` describes them)
EDITION = Table("the edition", (
    Key("name", Text(), "the edition's name, e.g. 示例版 2023-11-30 (default: the file's name)", ""),
    Key("pages", ListOf(Name("a page spec (page.yaml), relative to the edition file"),
                        "the page specs of the edition, in order", 1),
        "the page specs, in order: [page-1.yaml, page-2.yaml]", required=True),
), doc="An edition file: several page specs set into one PDF.", hint="name: …, pages: [page.yaml, …]")


@dataclass(frozen=True)
class EditionSpec:
    """An edition file: its name and its page specs in order."""
    path: Path
    name: str
    pages: tuple


def is_edition(path: Path) -> bool:
    """An edition file lists `pages:`; a page spec has `blocks:`."""
    try:
        head = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return any(line.startswith("pages:") for line in head.splitlines())


def load_edition(path: Path) -> EditionSpec:
    path = Path(path)
    root = load_yaml(path.read_text(encoding="utf-8"), path)
    if not isinstance(root, Map):
        raise SourceError(path, 1, 1, "an edition file is a mapping: name: …, pages: [page.yaml, …]")
    values = EDITION.read(root)
    pages = root["pages"]
    out = []
    for i, item in enumerate(values["pages"]):
        page = (path.parent / item).resolve()
        if not page.is_file():
            raise pages.item_where[i].error(f"page spec {item} not found (paths are relative to the edition file)")
        out.append(page)
    return EditionSpec(path, values["name"] or path.stem, tuple(out))


def compose_edition(edition: EditionSpec) -> list:
    """Compose every page in order: stories set once, their lines carried from page to page."""
    try:
        specs = [load_spec(p, font_folders=(edition.path.parent,)) for p in edition.pages]
        chains = Chains.of(specs)
        known, pages = {}, []
        for index, spec in enumerate(specs):
            metrics = FontMetrics(spec.catalog(), spec.fonts)
            spec, grid, articles = prepare_page(spec, metrics, known)
            begun = frozenset(known)
            known.update(articles)
            layout, results = place_page(Page(spec, grid, metrics, index), articles, chains)
            images, warnings = prepare_images(spec, layout)
            warnings += page_warnings(spec, grid, layout, begun) + (folio_warnings(specs, chains.jumps)
                                                                    if index == 0 else [])
            pages.append(Composed(spec, layout, tuple(results), dict(metrics.faces), images, tuple(warnings)))
    except (SourceError, FontError) as err:
        raise BuildError(str(err)) from None
    return pages


def build_edition(path: Path, out: Path | None = None, workers: int | None = None, progress=None,
                  runner=None) -> Report:
    """Build an edition into one PDF/X file: composed here in order, its pages rendered by the runner
    (the local process pool by default, or a cluster.DaskRunner), one progress line per page.
    A page that fails is named in the error and nothing is written (an earlier PDF stays)."""
    from .cluster import LocalPool, render_page
    progress = progress or (lambda text: print(text, file=sys.stderr))
    try:
        edition = load_edition(path)
    except SourceError as err:
        raise BuildError(str(err)) from None
    out = Path(out) if out else default_output(path)
    refuse_non_pdf(out)
    pages = compose_edition(edition)
    own = runner is None
    runner = runner or LocalPool(workers or min(len(pages), os.cpu_count() or 1))
    started = time.perf_counter()
    rendered, failed = [None] * len(pages), []
    try:
        runner.prepare_fonts(edition_faces(pages))    # once per worker, never per page
        for done in runner.run(render_page, page_jobs(pages)):
            progress(page_line(pages, done))
            if done.ok:
                rendered[done.index] = done.value
            else:
                failed.append(done)
    finally:
        if own:
            runner.close()
    if failed:
        raise BuildError(failed_pages(edition, pages, failed, out))
    report = finish_edition(edition, pages, rendered, out, progress)
    progress(f"edition {edition.name}: {len(pages)} pages in {time.perf_counter() - started:.2f} s")
    return report


def edition_faces(pages) -> list:
    """Every face any page of the edition draws with, once."""
    return list({key: face for p in pages for key, face in p.faces.items()}.values())


def page_jobs(pages) -> list:
    """The render job of each page: what it needs travels with it (photos as JPEG bytes only)."""
    return [(p.layout, p.faces, {k: replace(v, _image=None) for k, v in p.images.items()}) for p in pages]


def page_line(pages, done) -> str:
    """The progress line of a page: rendered in how long and where, or why it failed."""
    spec = pages[done.index].spec
    name = f"page {done.index + 1}/{len(pages)}: {spec.page.section} 第{spec.page.folio}版 ({spec.path.name})"
    where = "" if done.where == "local" else f" on {done.where}"
    if done.ok:
        return f"{name} rendered in {done.seconds:.2f} s{where}"
    return f"{name} FAILED{where}: {done.error}"


def failed_pages(edition: EditionSpec, pages, failed, out: Path) -> str:
    """One line naming the pages that failed, and that the earlier PDF is kept."""
    first = pages[min(d.index for d in failed)].spec.path
    named = "; ".join(f"page {d.index + 1} ({pages[d.index].spec.path.name}): {d.error}"
                      for d in sorted(failed, key=lambda d: d.index))
    kept = f"the earlier {out} is kept" if Path(out).exists() else f"{out} not written"
    return f"{first}:1:1: edition {edition.name}: {len(failed)} of {len(pages)} pages failed to render: {named}; {kept}"


def finish_edition(edition: EditionSpec, pages, rendered, out: Path, progress) -> Report:
    """Merge the rendered pages, finish them as one PDF/X file at `out` (atomically), preflight it."""
    from .pdfx import finish
    from .preflight import preflight
    fmt = pages[0].spec.format
    if len({p.spec.format for p in pages}) > 1:
        progress(f"warning: the pages' `format` differ; the edition is finished as page 1's "
                 f"({fmt.pdfx}, ink limit {fmt.ink_limit:g} %)")
    raw = _merge(rendered)
    write_atomic(out, lambda tmp: finish(raw, tmp, fmt.pdfx, fmt.icc, edition.name))
    results = [r for p in pages for r in p.results]
    warnings = [w for p in pages for w in p.warnings]
    report = report_for(results, str(out), len(pages), warnings)
    marks = tuple(m for i, p in enumerate(pages) for m in page_marks(p, i))
    return replace(report, preflight=tuple(preflight(out, fmt.ink_limit)), marks=marks)


def _merge(documents) -> bytes:
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

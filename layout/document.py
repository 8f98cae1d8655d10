"""What a SPEC argument names, composed: a page alone or the pages of an edition, as one document.

Pages and editions take this one path: load the source, compose its pages in order (stories set once
and carried from page to page), prepare their photos. Writing is build.py's."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .content import load_article
from .errors import BuildError
from .fonts import FontError
from .grid import check_blocks, make_grid
from .images import DEFAULT_PROFILE, ImageProblem, prepare
from .measure import FontMetrics
from .pagecheck import folio_warnings, page_warnings
from .place import Chains, Page, place_page
from .place.story import resolve_auto_heights
from .plant import MIN_PPI, WARN_PPI
from .spec import PageSpec, inside_page, load_spec
from .suggest import hint
from .yamlsrc import SourceError

DEFAULT_SPEC = Path("content/dangqi-linghang/page.yaml")
FOLDER_FILES = ("page.yaml", "edition.yaml")      # what a folder given as SPEC stands for, in this order


@dataclass(frozen=True)
class Source:
    """A document's source: the file named (page spec or edition file), its page specs in order, and
    its name (an edition's `name:`; empty for a page, whose title is its own)."""
    path: Path
    name: str
    pages: tuple
    edition: bool = False

    @property
    def folders(self) -> tuple:
        """The folders whose files make the document (what `watch` watches)."""
        return tuple(dict.fromkeys([self.path.parent, *(p.parent for p in self.pages)]))


def spec_path(given: Path | str) -> Path:
    """A folder stands for its page.yaml (or its edition.yaml)."""
    path = Path(given)
    if path.is_dir():
        for name in FOLDER_FILES:
            if (path / name).is_file():
                return path / name
    return path


def load_source(path: Path | str) -> Source:
    """The source named by a SPEC argument; SourceError on a bad edition file."""
    from .edition import is_edition, load_edition
    path = spec_path(path)
    if is_edition(path):
        return load_edition(path)
    return Source(path, "", (path,))


@dataclass(frozen=True)
class Composed:
    """A page composed and ready to render: what the PDF, the dump and the report are made from."""
    spec: PageSpec
    layout: object         # PageLayout
    results: tuple         # BlockResult per block
    faces: dict            # face key -> Face, every face a glyph was taken from
    images: dict           # Picture.source -> images.Prepared
    warnings: tuple


def compose_document(source: Source) -> tuple:
    """Every page of the source composed in order (Composed per page); BuildError for invalid input."""
    try:
        folders = (source.path.parent,) if source.edition else ()     # an edition's fonts.yaml, then the page's
        specs = [load_spec(p, font_folders=folders) for p in source.pages]
        chains = Chains.of(specs)
        known, pages = {}, []
        for index, spec in enumerate(specs):
            metrics = FontMetrics(spec.catalog(), spec.fonts)
            spec, grid, articles = prepare_page(spec, metrics, known, chains, index)
            page = Page(spec, grid, metrics, index)
            begun = frozenset(known)
            known.update(articles)
            layout, results = place_page(page, articles, chains)
            images, warnings = prepare_images(page.spec, layout)
            warnings += page_warnings(page.spec, page.grid, layout, begun)
            if source.edition and index == 0:
                warnings += folio_warnings(specs, chains.jumps)
            pages.append(Composed(page.spec, layout, tuple(results), dict(metrics.faces), images, tuple(warnings)))
    except (SourceError, FontError) as err:
        raise BuildError(str(err)) from None
    return tuple(pages)


def compose(spec_path: Path | str = DEFAULT_SPEC) -> Composed:
    """Load, compose and place one page; raises BuildError for invalid input."""
    try:
        source = Source(Path(spec_path), "", (Path(spec_path),))
    except (SourceError, OSError) as err:
        raise BuildError(str(err)) from None
    return compose_document(source)[0]


def compose_page(spec: PageSpec, metrics=None):
    """Spec -> (PageLayout, BlockResults, metrics, grid, the spec with `auto` heights resolved), for a page
    alone. Pure but for reading inputs."""
    if metrics is None:
        metrics = FontMetrics(spec.catalog(), spec.fonts)
    spec, grid, articles = prepare_page(spec, metrics)
    layout, results = place_page(Page(spec, grid, metrics), articles)
    return layout, results, metrics, grid, spec


def prepare_page(spec: PageSpec, metrics, known: dict | None = None, chains: Chains | None = None,
                 index: int = 0) -> tuple:
    """(spec, grid, articles): the page's grid and articles, its spec with `auto` heights resolved (the
    blocks of a chain before it, on this page or earlier ones, taking their share first) and every block
    checked. chains: the document's (None for a page alone); index: the page's among its pages."""
    grid = make_grid(spec)
    articles = load_articles(spec, known)
    page = Page(spec, grid, metrics, index)
    spec = resolve_auto_heights(page, articles, chains if chains is not None else Chains.of([spec]))
    check_blocks(spec, grid)
    return spec, grid, articles


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


"""Edition files: several page specs set into one PDF, articles jumping between pages (转版).

An edition is built by the same path as a page (document.py composes, build.py writes); this module
reads the edition file."""
from __future__ import annotations

from pathlib import Path

from .document import Source, compose_document
from .keys import Key, ListOf, Name, Table, Text
from .report import Report
from .yamlsrc import Map, SourceError, load_yaml

#: the keys of an edition file (see layout/keys.py; `layout schema edition` describes them)
EDITION = Table("the edition", (
    Key("name", Text(), "the edition's name, e.g. 示例版 2023-11-30 (default: the file's name)", ""),
    Key("pages", ListOf(Name("a page spec (page.yaml), relative to the edition file"),
                        "the page specs of the edition, in order", 1),
        "the page specs, in order: [page-1.yaml, page-2.yaml]", required=True),
), doc="An edition file: several page specs set into one PDF.", hint="name: …, pages: [page.yaml, …]")

EditionSpec = Source        # an edition file, read: its name and its page specs in order


def is_edition(path: Path) -> bool:
    """An edition file lists `pages:`; a page spec has `blocks:`."""
    try:
        head = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return any(line.startswith("pages:") for line in head.splitlines())


def load_edition(path: Path) -> Source:
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
    return Source(path, values["name"] or path.stem, tuple(out), edition=True)


def compose_edition(edition: Source) -> tuple:
    """Compose every page in order: stories set once, their lines carried from page to page."""
    return compose_document(edition)


def build_edition(path: Path, out: Path | None = None, workers: int | None = None, progress=None) -> Report:
    """Build an edition into one PDF/X file, rendering its pages in parallel, one progress line per page."""
    from .build import build
    return build(path, out, workers=workers, progress=progress)

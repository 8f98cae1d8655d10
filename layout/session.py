"""A long-lived build session: takes "these files changed", answers "these blocks changed".

The session keeps the spec (or edition), the composed pages, their display lists as JSON groups (one
per block) and the last good page. A rebuild composes again (the composer, the font metrics, the photo
cache and the catalog are memoised per process and keyed on content, so an edit re-sets only the
paragraphs it touched) and compares each block's group with the one shown: only changed groups go out.
An invalid input keeps the last good pages and reports the error line.
"""
from __future__ import annotations

import json
import re
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .build import BuildError, compose, report_for
from .grid import make_grid
from .render.web import page_json
from .yamlsrc import one_line

WATCHED_SUFFIXES = (".yaml", ".yml", ".md", ".txt", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp")


@dataclass
class Update:
    """What one rebuild changed: the groups (blocks) to draw again per page, or the error line."""
    build: int
    pages: list                       # per page: {"page", "width", …, "order", "groups": {changed only}}
    changed: dict                     # page index -> [group ids changed]
    error: str | None = None
    report: dict | None = None
    seconds: float = 0.0

    def message(self) -> dict:
        return {"build": self.build, "pages": self.pages, "error": self.error, "report": self.report,
                "seconds": round(self.seconds, 4)}


_AUTO: dict = {}      # spec text -> ids of its `size: [N, auto]` blocks


def auto_blocks(spec_path: Path) -> frozenset:
    """Ids of the blocks whose spec writes `size: [N, auto]` (the composed spec has their lines resolved)."""
    from .yamlsrc import Map, Seq, SourceError, load_yaml
    try:
        text = Path(spec_path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return frozenset()
    if text not in _AUTO:
        try:
            root = load_yaml(text.lstrip("\ufeff"), spec_path)
        except SourceError:
            return frozenset()
        blocks = root.get("blocks") if isinstance(root, Map) else None
        if len(_AUTO) > 32:
            _AUTO.clear()
        _AUTO[text] = frozenset(str(b.get("id")) for b in (blocks if isinstance(blocks, Seq) else ())
                                if isinstance(b, Map) and isinstance(b.get("size"), Seq) and len(b["size"]) == 2
                                and b["size"][1] == "auto")
    return _AUTO[text]


@dataclass
class Session:
    """One page or edition, composed on demand; `rebuild()` after its files change."""
    path: Path
    output: Path
    pages: list = field(default_factory=list)        # build.Composed of the last good build
    views: list = field(default_factory=list)        # page_json of each page of the last good build
    signatures: list = field(default_factory=list)   # per page: group id -> crc of its JSON
    report: object = None                            # report.Report of the last good build (not written)
    error: str | None = None
    build: int = 0
    inputs: set = field(default_factory=set)         # files the last good build read

    @property
    def is_edition(self) -> bool:
        from .edition import is_edition
        return is_edition(self.path)

    @property
    def folder(self) -> Path:
        return self.path.resolve().parent

    def specs(self) -> list:
        """The spec file of each page (the edition's pages, or the one page)."""
        return [p.spec.path for p in self.pages] if self.pages else [self.path]

    def _compose(self) -> list:
        if self.is_edition:
            from .edition import compose_edition, load_edition
            from .yamlsrc import SourceError
            try:
                edition = load_edition(self.path)
            except SourceError as err:
                raise BuildError(str(err)) from None
            return compose_edition(edition)
        return [compose(self.path)]

    def relevant(self, changed) -> bool:
        """Whether any of these paths can change the page: an input of the last build, or a new file
        of a kind the page reads (a new article a block names, a photo …)."""
        if not changed or self.error or not self.pages:
            return True
        for p in changed:
            p = Path(p).resolve()
            if p in self.inputs:
                return True
            if p.suffix.lower() in WATCHED_SUFFIXES and not p.name.startswith("."):
                return True
        return False

    def rebuild(self, changed=()) -> Update | None:
        """Compose again and say which blocks changed; None when nothing the page reads changed."""
        if not self.relevant(changed):
            return None
        started = time.perf_counter()
        try:
            pages = self._compose()
        except BuildError as err:
            self.error = f"error: {one_line(str(err))}"
            self.build += 1
            return Update(self.build, [], {}, self.error, self.report_json(), time.perf_counter() - started)
        self.error = None
        views = []
        for index, page in enumerate(pages):
            views.append(page_json(page.layout, page.results, page.spec, make_grid(page.spec), page.faces,
                                   page.images, index, auto_blocks(page.spec.path)))
        signatures = [{gid: zlib.crc32(json.dumps(g, sort_keys=True, ensure_ascii=False).encode())
                       for gid, g in v["groups"].items()} for v in views]
        out, changed_ids = [], {}
        for index, view in enumerate(views):
            before = self.signatures[index] if index < len(self.signatures) else {}
            ids = [gid for gid, sig in signatures[index].items() if before.get(gid) != sig]
            changed_ids[index] = ids
            out.append({**{k: v for k, v in view.items() if k != "groups"},
                        "groups": {gid: view["groups"][gid] for gid in ids}})
        self.pages, self.views, self.signatures = pages, views, signatures
        self.report = report_for([r for p in pages for r in p.results], str(self.output), len(pages),
                                 [w for p in pages for w in p.warnings], written=False)
        self.inputs = self._inputs(pages)
        self.build += 1
        return Update(self.build, out, changed_ids, None, self.report_json(), time.perf_counter() - started)

    def _inputs(self, pages) -> set:
        files = {self.path.resolve()}
        for page in pages:
            spec = page.spec
            files.add(spec.path.resolve())
            for b in spec.blocks:
                for name in (b.article, b.caption):
                    if name:
                        files.add((spec.folder / "articles" / f"{name}.md").resolve())
                if b.photo:
                    files.add((spec.folder / b.photo).resolve())
        return files

    def unplaced(self) -> list:
        """Article files of the page folder(s) no block names (as article or caption), by name: what the
        studio offers to place. Only names a spec can take as they are (letters, digits, - and _)."""
        named, out = set(), []
        folders = []
        for page in self.pages:
            named.update(n for b in page.spec.blocks for n in (b.article, b.caption) if n)
            if page.spec.folder not in folders:
                folders.append(page.spec.folder)
        for folder in folders:
            for path in sorted((folder / "articles").glob("*.md")):
                if path.stem not in named and re.fullmatch(r"[\w-]+", path.stem) and path.stem not in out:
                    out.append(path.stem)
        return out

    def report_json(self) -> dict | None:
        return json.loads(self.report.to_json()) if self.report is not None else None

    def snapshot(self) -> dict:
        """Everything the browser needs to draw from scratch: every group of every page."""
        return {"build": self.build, "pages": self.views, "error": self.error, "report": self.report_json(),
                "unplaced": self.unplaced()}

    def chars_by_face(self) -> dict:
        """face key -> characters drawn with it on any page (overflow text included)."""
        out: dict = {}
        for view in self.views:
            for g in view["groups"].values():
                for item in g["items"]:
                    if item["t"] == "text":
                        out.setdefault(item["f"], set()).update(item["s"])
        return out

    def faces(self) -> dict:
        out = {}
        for page in self.pages:
            out.update(page.faces)
        return out

    def find(self, block_id: str):
        """(page index, Composed, Block) of a block id (the first page that has it)."""
        for index, page in enumerate(self.pages):
            for b in page.spec.blocks:
                if b.id == block_id:
                    return index, page, b
        return None

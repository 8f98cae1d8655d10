"""A 16-page edition made from the shipped pages, for the cluster tests and the bench.

Pages 1, 4, 7 … are copies of the flagship page (seven stories and a photo); the others are the
example edition's two pages in pairs, the lead story jumping from the first to the second. Every
copy has its own article files (ids suffixed with the page number, so no story is shared between
copies) whose text ends with a character of its own, so that no two pages are the same.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "content" / "dangqi-linghang"
EXAMPLE = ROOT / "content" / "example-edition"
MARKS = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸"


def _copy_page(spec: Path, articles: Path, dest: Path, folio: int, tag: str) -> str:
    """Copy one page spec (and its articles, renamed) into dest; returns the page file's name."""
    text = spec.read_text(encoding="utf-8")
    for kind in ("article", "caption"):
        for name in set(re.findall(rf"^\s*{kind}: ([\w-]+)", text, flags=re.M)):
            text = re.sub(rf"({kind}: ){re.escape(name)}\b", rf"\g<1>{name}-{tag}", text)
            body = (articles / f"{name}.md").read_text(encoding="utf-8").rstrip("\n")
            target = dest / "articles" / f"{name}-{tag}.md"
            if not target.exists():
                target.write_text(body + MARKS[folio % len(MARKS)] + "\n", encoding="utf-8")
    text = re.sub(r"folio: \d+", f"folio: {folio}", text, count=1)
    page = dest / f"page-{folio:02d}.yaml"
    page.write_text(text, encoding="utf-8")
    return page.name


def make_edition(dest: Path, pages: int = 16) -> Path:
    """Write an edition of `pages` pages into the folder dest; returns its edition.yaml."""
    dest = Path(dest)
    (dest / "articles").mkdir(parents=True, exist_ok=True)
    shutil.copytree(FLAGSHIP / "images", dest / "images", dirs_exist_ok=True)
    names, folio = [], 1
    while folio <= pages:
        if folio % 3 == 1 or folio == pages:
            names.append(_copy_page(FLAGSHIP / "page.yaml", FLAGSHIP / "articles", dest, folio, f"{folio:02d}"))
            folio += 1
        else:
            for part in ("page-1.yaml", "page-2.yaml"):
                names.append(_copy_page(EXAMPLE / part, EXAMPLE / "articles", dest, folio, f"{folio - (part == 'page-2.yaml'):02d}"))
                folio += 1
    listed = "\n".join(f"  - {n}" for n in names)
    edition = dest / "edition.yaml"
    edition.write_text(f"name: 测试版 {pages} 版\npages:\n{listed}\n", encoding="utf-8")
    return edition


class PageFault(RuntimeError):
    """The failure render_or_fail() injects."""


def render_or_fail(folio: int, layout, faces, images) -> bytes:
    """The page job, except that the page of this folio fails (a stand-in for any failing page)."""
    from layout.cluster import render_page
    if layout.title.endswith(f"第{folio}版"):
        raise PageFault(f"injected failure on page {folio}")
    return render_page(layout, faces, images)


class FailingPage:
    """A runner that runs render_or_fail(folio, …) instead of the page job it is given."""

    def __init__(self, runner, folio: int):
        self.runner, self.folio, self.name = runner, folio, runner.name

    def prepare_fonts(self, faces) -> None:
        self.runner.prepare_fonts(faces)

    def run(self, fn, jobs):
        return self.runner.run(render_or_fail, ((self.folio, *job) for job in jobs))

    def close(self) -> None:
        self.runner.close()

"""`layout batch`: many editions in one run on one runner, one progress bar, one line per edition.

Editions are composed here, one after the other, while the runner's workers render the pages of
the editions already composed; an edition is merged and written as soon as its last page is in.
One edition's failure (bad input, a page that fails) is reported and the others still finish.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .build import BuildError
from .yamlsrc import SourceError

EXIT_FAILED_BASE = 10        # exit status 10 + N: N editions failed


@dataclass
class BatchResult:
    """What a batch did: editions built (path -> output) and failed (path -> one-line reason)."""
    built: dict = field(default_factory=dict)
    failed: dict = field(default_factory=dict)
    pages: int = 0
    seconds: float = 0.0

    @property
    def exit_status(self) -> int:
        return 0 if not self.failed else EXIT_FAILED_BASE + min(len(self.failed), 100)


def read_list(given: Path) -> list:
    """The edition files of LIST: a file naming one edition file a line (`#` comments, paths relative
    to the list), or a folder: its `*.yaml` edition files and its subfolders' `edition.yaml`."""
    from .edition import is_edition
    given = Path(given)
    if given.is_dir():
        found = [p for p in sorted(given.glob("*.yaml")) if is_edition(p)]
        found += [p for p in sorted(given.glob("*/edition.yaml")) if is_edition(p)]
        if not found:
            raise BuildError(f"{given}:1:1: no edition files here (a `*.yaml` with `pages:`, or "
                             f"`*/edition.yaml`); name the folder that holds them")
        return found
    try:
        text = given.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise BuildError(f"{given}:1:1: cannot read the list of editions ({getattr(err, 'strerror', None) or err}); "
                         f"give a text file with one edition file a line, or a folder of editions") from None
    editions = []
    for number, line in enumerate(text.splitlines(), 1):
        name = line.split("#", 1)[0].strip()
        if not name:
            continue
        path = (given.parent / name)
        if path.is_dir() and (path / "edition.yaml").is_file():
            path = path / "edition.yaml"
        if not path.is_file():
            raise BuildError(f"{given}:{number}:1: edition file {name} not found (paths are relative to the list)")
        if not is_edition(path):
            raise BuildError(f"{given}:{number}:1: {name} is not an edition file (it has no `pages:` list)")
        editions.append(path.resolve())
    if not editions:
        raise BuildError(f"{given}:1:1: the list names no edition; write one edition file a line")
    return editions


def outputs_for(editions: list, folder: Path) -> dict:
    """Each edition's PDF in `folder`: named after the edition's folder, or, when two editions share
    a folder, `<folder>-<file stem>.pdf`."""
    names = [Path(e).resolve().parent.name for e in editions]
    return {e: Path(folder) / (f"{n}.pdf" if names.count(n) == 1 else f"{n}-{Path(e).stem}.pdf")
            for e, n in zip(editions, names)}


class Bar:
    """One progress bar for the whole run, redrawn in place on a terminal; lines print above it."""

    def __init__(self, stream=None, live: bool | None = None, width: int = 30):
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.width, self.done, self.total, self.editions, self.shown = width, 0, 0, 0, False

    def line(self, text: str) -> None:
        self._clear()
        print(text, file=self.stream)
        self.draw()

    def draw(self) -> None:
        if not self.live or not self.total:
            return
        filled = round(self.width * self.done / self.total)
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} pages, "
                          f"{self.editions} editions composed")
        self.stream.flush()
        self.shown = True

    def _clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.shown = False

    def close(self) -> None:
        self._clear()


def run_batch(editions: list, runner, folder: Path, bar: Bar | None = None) -> BatchResult:
    """Build every edition with the runner; a failed edition is reported and the others go on."""
    from .cluster import render_page
    from .edition import compose_edition, edition_faces, failed_pages, finish_edition, load_edition, page_jobs
    bar = bar or Bar()
    result, outs = BatchResult(), outputs_for(editions, folder)
    started = time.perf_counter()
    owner, state = [], {}          # job index -> (edition, page); edition -> what is known of it

    def fail(path, why: str) -> None:
        result.failed[path] = why
        bar.line(f"FAILED  {path}: {why}")

    def jobs():
        for path in editions:
            try:
                edition = load_edition(path)
                pages = compose_edition(edition)
                runner.prepare_fonts(edition_faces(pages))
            except SourceError as err:
                fail(path, str(err))
                continue
            except BuildError as err:
                fail(path, str(err))
                continue
            state[path] = {"edition": edition, "pages": pages, "rendered": [None] * len(pages),
                           "failed": [], "left": len(pages), "started": time.perf_counter()}
            bar.total += len(pages)
            bar.editions += 1
            bar.draw()
            for i, job in enumerate(page_jobs(pages)):
                owner.append((path, i))
                yield job

    try:
        for done in runner.run(render_page, jobs()):
            path, i = owner[done.index]
            known = state[path]
            bar.done += 1
            if done.ok:
                known["rendered"][i] = done.value
            else:
                known["failed"].append(_at(done, i))
            known["left"] -= 1
            if known["left"] == 0:
                _finish(path, known, outs[path], result, bar, fail, failed_pages, finish_edition)
            else:
                bar.draw()
    finally:
        bar.close()
    result.seconds = time.perf_counter() - started
    return result


def _at(done, index: int):
    from dataclasses import replace
    return replace(done, index=index)


def _finish(path, known, out, result, bar, fail, failed_pages, finish_edition) -> None:
    edition, pages = known["edition"], known["pages"]
    if known["failed"]:
        fail(path, failed_pages(edition, pages, known["failed"], out))
        return
    try:
        finish_edition(edition, pages, known["rendered"], out, lambda text: None)
    except BuildError as err:
        fail(path, str(err))
        return
    result.built[path] = out
    result.pages += len(pages)
    bar.line(f"built   {path}: {len(pages)} pages -> {out} "
             f"({time.perf_counter() - known['started']:.2f} s)")

"""Pages and editions take one build path: every command and switch works on both (issue 11, bugs 3, 8, 11)."""
from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from layout.cli import main

from .conftest import FLAGSHIP, ROOT, edit

EDITION = ROOT / "content" / "example-edition" / "edition.yaml"


@pytest.fixture()
def edition_copy(tmp_path):
    """A writable copy of the example edition's folder; the path of its edition.yaml."""
    folder = tmp_path / "ed"
    shutil.copytree(EDITION.parent, folder, ignore=shutil.ignore_patterns("output"))
    return folder / "edition.yaml"


def _pages(pdf: Path) -> int:
    with pikepdf.open(pdf) as doc:
        return len(doc.pages)


def test_grid_proof_and_previews_of_an_edition(edition_copy, tmp_path, capsys):
    out = tmp_path / "paper.pdf"
    assert main(["build", str(edition_copy), "-o", str(out), "--grid", "--png", "--dpi", "20",
                 "--grid-dpi", "40"]) == 0
    err = capsys.readouterr().err
    grid = tmp_path / "paper-grid.pdf"
    assert _pages(out) == 2 and _pages(grid) == 2
    written = {Path(p).name: what for p, what in re.findall(r"^wrote (\S+)(?: \((.+)\))?$", err, re.M)}
    assert written == {"paper.pdf": "2 pages", "paper-grid.pdf": "grid proof, not for print",
                       "paper-p1.png": "", "paper-p2.png": "",
                       "paper-grid-p1.png": "grid proof preview, 40 dpi",
                       "paper-grid-p2.png": "grid proof preview, 40 dpi"}, err
    width = Image.open(tmp_path / "paper-p1.png").width
    assert Image.open(tmp_path / "paper-grid-p2.png").width in (2 * width - 1, 2 * width, 2 * width + 1)


def test_preview_takes_the_grid_switch_and_a_resolution(page_copy, tmp_path, capsys):
    out = tmp_path / "one.pdf"
    assert main(["preview", str(page_copy), "-o", str(out), "--grid", "--dpi", "30"]) == 0
    err = capsys.readouterr().err
    assert f"wrote {tmp_path / 'one.png'}" in err.splitlines()
    assert f"wrote {tmp_path / 'one-grid.png'} (grid proof preview, 150 dpi)" in err
    width = Image.open(tmp_path / "one.png").width
    assert abs(width - 1123 * 30 / 72) < 2                      # 390 mm + 2 × 3 mm bleed = 1122.5 pt
    assert abs(Image.open(tmp_path / "one-grid.png").width - 5 * width) <= 5


def test_check_of_an_edition_writes_nothing(edition_copy, capsys):
    assert main(["check", str(edition_copy.parent)]) == 0
    err = capsys.readouterr().err
    assert "checked (nothing written):" in err and "(2 pages)" in err
    assert not (edition_copy.parent / "output").exists()


def test_an_empty_folio_a_jump_line_needs_is_an_error_at_the_folio(edition_copy, capsys):
    spec = edit(edition_copy.parent / "page-2.yaml", "  folio: 6", "  folio: ''")
    assert main(["check", str(edition_copy)]) == 2
    err = capsys.readouterr().err
    line = spec.read_text(encoding="utf-8").splitlines().index("  folio: ''") + 1
    assert err.startswith(f"error: {spec}:{line}:10: `wuchuan` continues on this page from page-1.yaml, whose jump line names this page by its folio: give the page a folio (page: {{folio: 2}})"), err


class Lines:
    """A child's stderr read line by line in a thread, so that waiting for a line never blocks for ever."""

    def __init__(self, stream):
        self.queue: queue.Queue = queue.Queue()
        self.seen: list = []
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.queue.put(line)
        self.queue.put(None)             # the child closed its stderr (it ended)

    def wait_for(self, pattern: str, timeout: float = 180) -> str:
        """The next line matching `pattern`; AssertionError, with all lines seen, if none comes in time."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                line = self.queue.get(timeout=max(0.0, left))
            except queue.Empty:
                raise AssertionError(f"no {pattern!r} within {timeout} s:\n" + "".join(self.seen)) from None
            if line is None:
                raise AssertionError(f"watch ended before {pattern!r}:\n" + "".join(self.seen))
            self.seen.append(line)
            if re.search(pattern, line):
                return line

    def rest(self, timeout: float = 30) -> str:
        """Every line up to the end of the stream (or `timeout`), and all lines seen so far."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            self.seen.append(line)
        return "".join(self.seen)


BUILT = r"^built in \d+\.\d\d s$"


def test_watch_builds_an_edition_with_its_switches_and_again_on_a_save(edition_copy, tmp_path):
    out = tmp_path / "w.pdf"
    proc = subprocess.Popen([sys.executable, "-m", "layout", "watch", str(edition_copy.parent), "-o", str(out),
                             "--png", "--dpi", "10", "--grid", "--grid-dpi", "20"],
                            cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8", env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines = Lines(proc.stderr)
    try:
        lines.wait_for(BUILT)
        first = out.stat().st_mtime_ns
        png = (tmp_path / "w-p2.png").stat().st_mtime_ns
        time.sleep(0.05)
        article = edition_copy.parent / "articles" / "baohesha.md"
        article.write_text(article.read_text(encoding="utf-8") + "\n新的一段。\n", encoding="utf-8")
        lines.wait_for(BUILT)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    text = lines.rest()
    assert proc.returncode == 0, text
    assert re.search(r"^── build 1 at \d\d:\d\d:\d\d ─+$", text, re.M), text
    assert re.search(r"^── build 2 at \d\d:\d\d:\d\d ─+$", text, re.M), text
    assert "error" not in text and "stopped watching" in text
    assert out.stat().st_mtime_ns > first and _pages(out) == 2
    assert (tmp_path / "w-p2.png").stat().st_mtime_ns > png
    assert (tmp_path / "w-p1.png").exists() and _pages(tmp_path / "w-grid.pdf") == 2
    assert Image.open(tmp_path / "w-grid-p1.png").width in range(2 * Image.open(tmp_path / "w-p1.png").width - 1,
                                                                 2 * Image.open(tmp_path / "w-p1.png").width + 2)


def _body_runs(page, block: str) -> list:
    from layout.display import TextRun
    return [i for i in page.layout.items if isinstance(i, TextRun) and i.block == block and i.role == "body"]


def test_a_continuation_in_a_wider_block_is_set_at_its_own_measure(edition_copy):
    """Bug 4: page 1 sets `wuchuan` on 13-character columns; its continuation on page 2 has one text column
    two grid columns wide (27 characters): its lines are set again at that measure, from the character
    where page 1 stopped, nothing lost or doubled."""
    from layout.content import load_article
    from layout.document import compose_document, load_source
    edit(edition_copy.parent / "page-2.yaml", "    size: [2, 22]", "    size: [2, 22]\n    columns: 1")
    pages = compose_document(load_source(edition_copy))
    first, rest = _body_runs(pages[0], "lead"), _body_runs(pages[1], "lead-continued")
    lines: dict = {}                               # page 2's block has one text column: a line a baseline
    for run in rest:
        lines[round(run.y, 2)] = lines.get(round(run.y, 2), "") + run.text
    ems = sorted(sum(0.5 if ord(c) < 0x2000 else 1 for c in line) for line in lines.values())
    assert ems[len(ems) // 2] >= 25 and ems[-1] <= 30, ems          # before: 13 a line, the column half empty
    art = load_article(edition_copy.parent / "articles" / "wuchuan.md", "wuchuan")
    whole = "".join((art.byline + "".join(art.paragraphs)).split())
    got = "".join("".join(r.text for r in first + rest).split())             # in the order they are set
    assert whole.startswith(got) and len(whole) - len(got) < 27              # the block ends a line short


def test_an_auto_height_continuation_is_sized_for_its_share(edition_copy):
    """Bug 6: `size: [2, auto]` on the continuation takes the lines the rest of the story needs (its jump
    headline, its jump line and the rest balanced over its columns), not the whole article's."""
    from layout.build import build
    edit(edition_copy.parent / "page-2.yaml", "    size: [2, 22]", "    size: [2, auto]")
    report = build(edition_copy, write=False)
    fit = next(a for a in report.articles if a.id == "wuchuan")
    assert fit.block == "lead-continued" and fit.status == "fits"
    assert fit.empty_lines <= 1, fit               # before: 57 empty lines

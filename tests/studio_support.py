"""Shared by the studio tests and the latency bench: `layout serve` on a copy of a page, and a headless
system Chromium driven by Playwright (never a downloaded browser)."""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parent.parent
WAIT_MS = 90000        # generous: the machine may be loaded (CI, other builds); conditions, never sleeps


class Server:
    """`layout serve FOLDER -o OUT` in a child process; `url` from its first line."""

    def __init__(self, folder: Path, output: Path):
        self.folder, self.output = Path(folder), Path(output)
        self.proc = subprocess.Popen([sys.executable, "-m", "layout", "serve", str(folder), "-o", str(output)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        self.first_line = self.proc.stdout.readline().strip()
        if not self.first_line.startswith("serving http://127.0.0.1:"):
            self.stop()
            raise RuntimeError(f"layout serve said {self.first_line!r}: {self.proc.stderr.read()}")
        self.url = self.first_line.split()[1]
        self.port = int(self.url.rsplit(":", 1)[1].strip("/"))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def copy_page(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest


class Browser:
    """A fresh headless Chromium profile; `page()` opens a tab."""

    def __init__(self, width: int = 1400, height: int = 1000):
        from playwright.sync_api import sync_playwright
        self.profile = tempfile.mkdtemp(prefix="layout-chromium-")
        self.pw = sync_playwright().start()
        self.context = self.pw.chromium.launch_persistent_context(
            self.profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height}, device_scale_factor=1)

    def page(self, url: str):
        page = self.context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.goto(url)
        page.wait_for_function("Number(document.documentElement.dataset.build) >= 1", timeout=WAIT_MS)
        return page

    def close(self) -> None:
        try:
            self.context.close()
            self.pw.stop()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


def build_number(page) -> int:
    return int(page.evaluate("document.documentElement.dataset.build"))


def wait_build_after(page, k: int, timeout: float = WAIT_MS) -> int:
    page.wait_for_function(f"Number(document.documentElement.dataset.build) > {k}", timeout=timeout)
    return build_number(page)


def frames(page) -> dict:
    """block id -> (data-at, data-size) as the page shows them ("3 43", "2 32" or "2 auto")."""
    return page.evaluate("""Object.fromEntries([...document.querySelectorAll('[data-block]')].map(
        e => [e.dataset.block, [e.dataset.at, e.dataset.size]]))""")


def wait_frame(page, block: str, at: str | None = None, size: str | None = None, timeout: float = WAIT_MS) -> None:
    """Until the page shows `block` at `at` ("col line") and/or of `size` ("cols lines|auto")."""
    cond = [f"e.dataset.at === {at!r}"] if at else []
    cond += [f"e.dataset.size === {size!r}"] if size else []
    page.wait_for_function(f"""(() => {{ const e = document.querySelector('[data-block="{block}"]');
        return !!e && {' && '.join(cond) or 'true'}; }})()""", timeout=timeout)


def spec_frames(spec_path: Path) -> dict:
    """block id -> (at, size) as data-at/data-size spell them, from the spec file."""
    from layout.spec import load_spec
    return {b.id: [f"{b.col} {b.line}", f"{b.cols} {'auto' if b.lines is None else b.lines}"]
            for b in load_spec(spec_path).blocks}


def restore_spec(page, spec_path: Path, text: str) -> None:
    """Write the spec back and wait until the page shows its blocks where it puts them (so that no late
    rebuild of one test reaches the next)."""
    if spec_path.read_text(encoding="utf-8") != text:
        spec_path.write_text(text, encoding="utf-8")
    want = spec_frames(spec_path)
    wait_until(lambda: {k: v for k, v in frames(page).items() if k in want} == want)
    wait_idle(page)


def wait_idle(page, timeout: float = WAIT_MS) -> None:
    """Until no move the page sent is waiting for its answer."""
    page.wait_for_function("!Number(document.documentElement.dataset.pending || 0)", timeout=timeout)


def wait_until(predicate, timeout: float = WAIT_MS / 1000, step: float = 0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        got = predicate()
        if got:
            return got
        time.sleep(step)
    raise AssertionError("condition not met in time")

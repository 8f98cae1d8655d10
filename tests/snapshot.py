"""Snapshot oracles: the display-list dump (main) and rendered pixels, with self-explaining failures.

References live in tests/snapshots/ and change only with `pytest --update-snapshots`. A failure leaves
actual, expected, a diff image and an index.html side by side in tests/_failures/<name>-dump/ or
tests/_failures/<name>-pixels/."""
from __future__ import annotations

import difflib
import html
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw

from layout.render.dump import parse_boxes

HERE = Path(__file__).resolve().parent
SNAPSHOTS = HERE / "snapshots"
FAILURES = HERE / "_failures"
PIXEL_LEVEL = 48          # a pixel "differs" when its grey level moves by more than this
PIXEL_COUNT = 0           # ... and this many differing pixels are tolerated
MEAN_LEVEL = 0.25         # mean absolute difference tolerated (antialiasing noise of another pdfium)


def _font_lines(text: str) -> list:
    return [line for line in text.splitlines() if line.startswith("font ")]


def _failure_dir(name: str) -> Path:
    out = FAILURES / name
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    return out


def check_dump(name: str, actual: str, update: bool, page_png=None, scale: float = 1.0) -> None:
    """Compare a display-list dump with tests/snapshots/<name>.dump.

    page_png: a callable giving the actual page as a PIL image at `scale` pixels per point, used
    to draw the diff image (red: only in the actual page, blue: only in the reference)."""
    ref = SNAPSHOTS / f"{name}.dump"
    if update or not ref.exists():
        if not update:
            pytest.fail(f"no reference {ref}; create it with "
                        f"`pytest --update-snapshots` and review it in the diff")
        ref.parent.mkdir(parents=True, exist_ok=True)
        ref.write_text(actual, encoding="utf-8")
        return
    expected = ref.read_text(encoding="utf-8")
    if actual == expected:
        return
    if _font_lines(actual) != _font_lines(expected):
        pytest.fail("the fonts on this machine are not the ones the references were made with:\n  reference: "
                    + "\n             ".join(_font_lines(expected)) + "\n  this machine: "
                    + "\n                ".join(_font_lines(actual))
                    + "\nInstall those font versions (fonts-noto-cjk, fonts-lxgw-wenkai of Debian 12), or review "
                      "a full rebuild of the references with `pytest --update-snapshots`.", pytrace=False)
    out = _failure_dir(f"{name}-dump")
    (out / "actual.dump").write_text(actual, encoding="utf-8")
    (out / "expected.dump").write_text(expected, encoding="utf-8")
    diff = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(), "expected", "actual", lineterm="", n=1))
    (out / "dump.diff").write_text("\n".join(diff) + "\n", encoding="utf-8")
    images = {}
    if page_png is not None:
        page = page_png().convert("RGB")
        page.save(out / "actual.png")
        marked = _mark_changes(page, expected, actual, scale)
        marked.save(out / "diff.png")
        images = {"actual page": "actual.png", "changes (red: new, blue: gone)": "diff.png"}
    _html(out, name, images, "\n".join(diff[:400]))
    shown = "\n".join(diff[:30])
    pytest.fail(f"display list of `{name}` changed ({len(diff)} diff lines). See {out}/index.html "
                f"(diff image {out}/diff.png).\n{shown}\nIf the change is intended: pytest --update-snapshots",
                pytrace=False)


def _mark_changes(page: Image.Image, expected: str, actual: str, scale: float) -> Image.Image:
    exp, act = parse_boxes(expected), parse_boxes(actual)
    exp_lines, act_lines = {b[5] for b in exp}, {b[5] for b in act}
    draw = ImageDraw.Draw(page)
    for boxes, others, colour in ((act, exp_lines, (230, 0, 0)), (exp, act_lines, (0, 80, 230))):
        for kind, x, y, w, h, line in boxes:
            if line not in others:
                draw.rectangle([x * scale - 2, y * scale - 2, (x + w) * scale + 2, (y + h) * scale + 2],
                               outline=colour, width=2)
    return page


def check_pixels(name: str, actual: Image.Image, update: bool) -> None:
    """Compare a greyscale rendering with tests/snapshots/<name>.png within a tight tolerance."""
    actual = actual.convert("L")
    ref = SNAPSHOTS / f"{name}.png"
    if update or not ref.exists():
        if not update:
            pytest.fail(f"no reference {ref}; create it with `pytest --update-snapshots`")
        ref.parent.mkdir(parents=True, exist_ok=True)
        actual.save(ref, optimize=True)
        return
    expected = Image.open(ref).convert("L")
    if expected.size != actual.size:
        _pixel_failure(name, actual, expected, None, f"size {actual.size} instead of {expected.size}")
    delta = ImageChops.difference(actual, expected)
    hist = delta.histogram()
    differing = sum(hist[PIXEL_LEVEL + 1:])
    mean = sum(i * n for i, n in enumerate(hist)) / (actual.width * actual.height)
    if differing > PIXEL_COUNT or mean > MEAN_LEVEL:
        _pixel_failure(name, actual, expected, delta,
                       f"{differing} pixels differ by more than {PIXEL_LEVEL} levels, mean difference {mean:.3f}")


def _pixel_failure(name, actual, expected, delta, what) -> None:
    out = _failure_dir(f"{name}-pixels")
    actual.save(out / "actual.png")
    expected.save(out / "expected.png")
    images = {"expected": "expected.png", "actual": "actual.png"}
    if delta is not None:
        mask = delta.point(lambda v: 255 if v > PIXEL_LEVEL else 0)
        diff = Image.merge("RGB", (mask, Image.new("L", actual.size, 0), Image.new("L", actual.size, 0)))
        diff = Image.blend(actual.convert("RGB"), diff, 0.6)
        diff.save(out / "diff.png")
        images["diff (red: changed)"] = "diff.png"
    _html(out, name, images, what)
    pytest.fail(f"rendering of `{name}` changed: {what}. See {out}/index.html (diff image {out}/diff.png). "
                f"If intended: pytest --update-snapshots", pytrace=False)


def _html(out: Path, name: str, images: dict, text: str) -> None:
    cells = "".join(f'<figure><figcaption>{html.escape(k)}</figcaption><img src="{v}"></figure>'
                    for k, v in images.items())
    (out / "index.html").write_text(
        f"<!doctype html><meta charset=utf-8><title>{html.escape(name)}</title>"
        f"<style>body{{font-family:sans-serif}} figure{{display:inline-block;margin:4px}} "
        f"img{{max-width:48vw;border:1px solid #999}}</style><h1>{html.escape(name)}</h1>{cells}"
        f"<pre>{html.escape(text)}</pre>", encoding="utf-8")

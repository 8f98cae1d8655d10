"""Shared fixtures: fixed metrics for composer tests, and one flagship build per session."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from layout.text import classes as C

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "content" / "dangqi-linghang" / "page.yaml"


class FixedMetrics:
    """Every wide character and Chinese mark 1 em, Latin and digits 0.5 em, — 0.9 em; U+E000 exists in no font."""

    def glyph(self, font, ch):
        if ch in "\ue000\U0001F600":
            return None
        if ch == "—":
            return ("fixed", 0.9)
        if C.is_wide(ch) or C.char_class(ch) in C.PUNCT_CLASSES:
            return ("fixed", 1.0)
        return ("fixed", 0.5)


@pytest.fixture(scope="session")
def fixed_metrics():
    return FixedMetrics()


@pytest.fixture(scope="session")
def flagship_build(tmp_path_factory):
    """Build the flagship page once into a temporary folder: (pdf path, report)."""
    from layout.build import build
    out = tmp_path_factory.mktemp("flagship") / "dangqi-linghang.pdf"
    report = build(FLAGSHIP, out)
    return out, report


@pytest.fixture(scope="session", autouse=True)
def fonts_prepared(flagship_build):
    """On a new machine the first build converts the CJK faces and says so on stderr: do it once, up front,
    so that no test which reads a command's stderr line by line sees that one-time message."""
    return flagship_build


def edit(path, old: str, new: str):
    """Replace the first `old` with `new` in a file of a page copy (it must be there); returns the path."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.fixture()
def page_copy(tmp_path):
    """A writable copy of the flagship page folder, for tests that edit it."""
    dest = tmp_path / "dangqi-linghang"
    shutil.copytree(FLAGSHIP.parent, dest)
    return dest


def pytest_addoption(parser):
    parser.addoption("--update-snapshots", action="store_true", default=False,
                     help="rewrite the references in tests/snapshots/ (review the diff before committing)")


@pytest.fixture(scope="session")
def update_snapshots(request):
    return request.config.getoption("--update-snapshots")

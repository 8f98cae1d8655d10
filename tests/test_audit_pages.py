"""The composition audit on every focused page (tests/fixtures/pages) and every page of the example
edition: each must come back clean. A finding the engine cannot mend yet is a strict xfail here, with
its reason."""
from __future__ import annotations

import pytest

from layout.build import build

from .audit import audit
from .conftest import ROOT

FOCUSED = sorted(p.parent.name for p in (ROOT / "tests" / "fixtures" / "pages").glob("*/page.yaml"))
EDITION = ROOT / "content" / "example-edition" / "edition.yaml"
EDITION_PAGES = ("page-1.yaml", "page-2.yaml")

#: page -> why its audit cannot be clean yet (each a strict xfail: it fails the day the page comes clean)
KNOWN: dict = {}


def _mark(name: str):
    reason = KNOWN.get(name)
    return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=reason) if reason else ())


@pytest.fixture(scope="module")
def edition_pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("edition") / "edition.pdf"
    build(EDITION, out)
    return out


def test_every_focused_page_and_edition_page_is_listed():
    assert {"headings", "punctuation", "story-elements", "vertical"} <= set(FOCUSED)
    assert [p.name for p in sorted(EDITION.parent.glob("page-*.yaml"))] == list(EDITION_PAGES)


@pytest.mark.parametrize("name", [_mark(n) for n in FOCUSED])
def test_the_focused_page_passes_the_audit(name, tmp_path):
    spec = ROOT / "tests" / "fixtures" / "pages" / name / "page.yaml"
    out = tmp_path / f"{name}.pdf"
    build(spec, out)
    assert audit(out, spec) == []


@pytest.mark.parametrize("index,name", [(i, n) for i, n in enumerate(EDITION_PAGES)])
def test_each_page_of_the_example_edition_passes_the_audit(edition_pdf, index, name):
    assert audit(edition_pdf, EDITION.parent / name, index) == []

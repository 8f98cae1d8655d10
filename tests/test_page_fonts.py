"""Issue 15.6: a fonts.yaml in the page (or edition) folder merged over the project's, font files named by
path, and errors that say which fonts.yaml they mean."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pikepdf
import pytest

from layout.cli import main
from layout.fonts import DEFAULT_CATALOG, load_catalog_for

from .conftest import ROOT

KAI = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKaiMono-Regular.ttf")     # fonts-lxgw-wenkai
SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")                   # fonts-dejavu-core
HEADINGS = ROOT / "tests" / "fixtures" / "pages" / "headings"


@pytest.fixture()
def page(tmp_path) -> Path:
    """The headings page with a licensed face of its own (licensed/kai.ttf) and a role given by a file."""
    folder = tmp_path / "page"
    shutil.copytree(HEADINGS, folder)
    (folder / "licensed").mkdir()
    os.symlink(KAI, folder / "licensed" / "kai.ttf")
    os.symlink(SERIF, folder / "licensed" / "serif.ttf")
    (folder / "fonts.yaml").write_text("families:\n  报社楷体: {file: licensed/kai.ttf}\n", encoding="utf-8")
    with open(folder / "page.yaml", "a", encoding="utf-8") as f:
        f.write("fonts:\n  kai: 报社楷体\n  hei: licensed/serif.ttf\n")
    story = folder / "articles" / "story.md"      # a Latin word in the headline (hei), which DejaVu has
    story.write_text(story.read_text(encoding="utf-8").replace("headline: 聚焦", "headline: Layout 聚焦"),
                     encoding="utf-8")
    return folder


def shown(path: Path) -> str:
    """A path as messages show it: relative to the working folder when it is below it."""
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else str(path)


def _embedded(pdf: Path) -> set:
    with pikepdf.open(pdf) as doc:
        return {str(f.BaseFont).split("+")[-1] for p in doc.pages for _, f in p.Resources.Font.items()}


def test_a_page_fonts_yaml_and_a_font_file_are_used(page, tmp_path, capsys):
    out = tmp_path / "page.pdf"
    assert main(["build", str(page), "-o", str(out)]) == 0, capsys.readouterr().err
    fonts = _embedded(out)
    assert "LXGWWenKaiMono-Regular" in fonts and "DejaVuSerif" in fonts, fonts
    catalog = load_catalog_for(page)
    assert "报社楷体" in catalog.families and "Noto Serif CJK SC" in catalog.families   # merged, not replaced
    assert catalog.fallback == load_catalog_for().fallback


def _check_error(capsys, page) -> str:
    assert main(["check", str(page)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.splitlines()) == 1, err
    return err


def test_errors_name_the_fonts_yaml_they_mean(page, capsys):
    local = shown(page / "fonts.yaml")
    (page / "fonts.yaml").write_text("famlies:\n  x: {file: a.ttf}\n", encoding="utf-8")
    err = _check_error(capsys, page)
    assert err.startswith(f"error: {local}:1:1: unknown key `famlies` in the font catalog; did you mean `families`?")
    (page / "fonts.yaml").write_text("families:\n  报社楷体: {file: licensed/nokai.ttf}\n", encoding="utf-8")
    assert f"error: {local}:2:" in _check_error(capsys, page)
    (page / "fonts.yaml").write_text("families:\n  报社楷体: licensed/kai.ttf\nfallback: [Noto Serif CJK SX]\n",
                                     encoding="utf-8")
    err = _check_error(capsys, page)
    assert f"error: {local}:3:" in err and "neither here nor in" in err and "did you mean `Noto Serif CJK SC`?" in err
    (page / "fonts.yaml").write_text("families:\n  报社楷体: licensed/kai.ttf\n", encoding="utf-8")
    text = (page / "page.yaml").read_text(encoding="utf-8")
    (page / "page.yaml").write_text(text.replace("kai: 报社楷体", "kai: 报社楷休"), encoding="utf-8")
    err = _check_error(capsys, page)
    assert "no family `报社楷休`" in err and shown(DEFAULT_CATALOG) in err and local in err
    assert "did you mean `报社楷体`?" in err
    (page / "page.yaml").write_text(text.replace("licensed/serif.ttf", "licensed/seri.ttf"), encoding="utf-8")
    assert "font file" in _check_error(capsys, page) and "seri.ttf not found" in _check_error(capsys, page)


def test_an_editions_fonts_yaml_serves_its_pages(tmp_path, capsys):
    edition = tmp_path / "edition"
    shutil.copytree(ROOT / "content" / "example-edition", edition)
    (edition / "fonts.yaml").write_text(f"families:\n  版面楷体: {{file: {KAI}}}\n", encoding="utf-8")
    page1 = edition / "page-1.yaml"
    text = page1.read_text(encoding="utf-8")
    assert "\nfonts:" not in text
    page1.write_text(text + "fonts:\n  kai: 版面楷体\n", encoding="utf-8")
    assert main(["check", str(edition / "edition.yaml")]) == 0, capsys.readouterr().err
    from layout.spec import load_spec
    spec = load_spec(page1, font_folders=(edition,))
    assert spec.fonts["kai"] == "版面楷体" and "版面楷体" in spec.catalog().families

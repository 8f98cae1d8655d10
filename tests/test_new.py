"""Issue 15.2: `layout new` writes a page folder that `layout check` finds fitting, in every format."""
from __future__ import annotations

import json

import pytest

from layout.cli import main
from layout.content import FRONT, load_article
from layout.spec import load_spec


@pytest.mark.parametrize("paper, columns", [("broadsheet", None), ("tabloid", None), ("berliner", None),
                                            ("broadsheet", 5), ("tabloid", 3), ("berliner", 9)])
def test_new_page_checks_with_every_block_fitting(tmp_path, capsys, paper, columns):
    folder = tmp_path / "page"
    args = ["new", str(folder), "--format", paper] + (["--columns", str(columns)] if columns else [])
    assert main(args) == 0
    spec = load_spec(folder / "page.yaml")
    assert spec.grid.columns == (columns or {"broadsheet": 8, "tabloid": 5, "berliner": 6}[paper])
    assert [b.kind for b in spec.blocks] == ["article", "photo", "article"]
    capsys.readouterr()
    assert main(["check", str(folder), "--report", "json", "--strict"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(a["block"], a["status"]) for a in report["articles"]] == [
        ("lead", "fits"), ("photo", "fits"), ("sample", "fits")]
    assert report["missing_glyphs"] == {} or not report["missing_glyphs"]


def test_new_page_explains_its_keys_and_shows_every_front_matter_field(tmp_path, capsys):
    folder = tmp_path / "page"
    assert main(["new", str(folder)]) == 0
    text = (folder / "page.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    for key in ("paper:", "trim:", "margins:", "columns:", "gutter:", "at:", "size:", "caption:"):
        line = next(line for line in text.splitlines() if line.strip().startswith(key))
        assert "#" in line, f"{key} has no comment: {line}"
    sample = load_article(folder / "articles" / "sample.md")
    for key in FRONT.keys:
        assert getattr(sample, key.name), f"the sample does not show `{key.name}`"
    assert (folder / "images" / "photo.jpg").stat().st_size > 10_000


def test_new_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["new", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {tmp_path}:1:1: this folder is not empty; give a new folder (nothing was written)\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
    assert main(["new", str(tmp_path / "x"), "--columns", "1"]) == 2

"""Issue 11, bug 10: messages that mislead.

A poor guess is not offered (the allowed keys are listed instead), a full-width colon or comma typed on a
Chinese keyboard is named at its own LINE:COL in every YAML file the tool reads, a mistyped article name
is matched against the article files, and a photo block without a caption is not reported as an article.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from layout.build import build, load_articles
from layout.content import load_article
from layout.edition import load_edition
from layout.fonts import FontError, load_catalog
from layout.newpage import new_page
from layout.spec import load_spec
from layout.suggest import closest
from layout.yamlsrc import SourceError, load_yaml

from .conftest import ROOT, edit


def _error(call, *args) -> str:
    with pytest.raises((SourceError, FontError)) as err:
        call(*args)
    return str(err.value)


# ------------------------------------------------------------------------------------ did you mean

@pytest.mark.parametrize("typed, known, meant", [
    ("cultrue", ["wuchuan", "culture", "tabusai"], "culture"),        # two letters swapped
    ("hedline", ["headline", "kicker"], "headline"),
    ("headline-size", ["headline_size", "head_lines"], "headline_size"),
    ("Noto Serif CJK SX", ["Noto Serif CJK SC", "Noto Sans CJK SC"], "Noto Serif CJK SC"),
    ("vertical", ["id", "article", "photo", "caption", "at", "size"], None),   # `article` is a poor guess
    ("kai", ["song", "hei"], None),
    ("B", ["A"], None),
])
def test_a_name_is_suggested_only_when_the_guess_is_good(typed, known, meant):
    assert closest(typed, known) == meant


def test_an_unknown_key_with_a_poor_guess_lists_the_allowed_keys(page_copy):
    spec = edit(page_copy / "page.yaml", "    head_lines: 10\n", "    head_lines: 10\n    vertical: true\n")
    msg = _error(load_spec, spec)
    assert msg.endswith("page.yaml:42:5: unknown key `vertical` in a block; allowed: id, article, photo, ad, "
                        "tint, caption, at, size, columns, headline_size, head_lines, headline_direction, fixed"), msg
    assert "did you mean" not in msg


def test_a_mistyped_article_name_suggests_the_article_file(page_copy):
    (page_copy / "articles" / "qingshuihe.md").rename(page_copy / "articles" / "culture.md")
    spec = load_spec(edit(page_copy / "page.yaml", "article: qingshuihe", "article: cultrue"))
    msg = _error(load_articles, spec)
    assert "page.yaml:48:14: block `practice`: article file" in msg and "cultrue.md not found" in msg
    assert msg.endswith("(did you mean `culture`?)"), msg
    spec = load_spec(edit(page_copy / "page.yaml", "article: cultrue", "article: zzz"))
    assert "(articles there: baohesha, culture, daerdeng, dongfenglu" in _error(load_articles, spec)


# ------------------------------------------------------------------------------ full-width marks

COLON = "full-width colon '：' after '{}'; type ':' (ASCII) followed by a space"


@pytest.mark.parametrize("old, new, at, says", [
    ("    size: [3, 41]\n", "    size： [3, 41]\n", "39:9", COLON.format("size")),
    ("    size: [3, 41]\n", "    size: [3，41]\n", "39:13", "full-width comma '，' in `3，41`; type ',' (ASCII)"),
    ("    size: [3, 41]\n", "    size: [3， 41]\n", "39:13", "full-width comma '，' in `3， 41`"),
    ("    head_lines: 10\n", "    head_lines： 10\n", "41:15", COLON.format("head_lines")),   # the last key
    ("  columns: 8\n", "  columns： 8\n", "17:10", COLON.format("columns")),     # YAML trips a line later
    ("  paper: 呼和浩特日报", "  paper： 呼和浩特日报", "7:8", COLON.format("paper")),   # read as the value of page:
    ("headline: {font: hei,", "headline: {font： hei,", "27:18", COLON.format("font")),
    ("{font: hei, size: 26pt}", "{font: hei， size: 26pt}", "27:23", "full-width comma '，' in `font: hei， size: 26pt`"),
    ("blocks:\n", "blocks：\n", "35:7", COLON.format("blocks")),
])
def test_a_full_width_mark_in_the_page_spec_is_named_at_its_line(page_copy, old, new, at, says):
    msg = _error(load_spec, edit(page_copy / "page.yaml", old, new))
    assert f"page.yaml:{at}: {says}" in msg, msg


@pytest.mark.parametrize("front, at, says", [
    ("headline： 标题\n", "2:9", COLON.format("headline")),                      # the only key
    ("kicker: 引题\nheadline：\nbyline: 本报讯\n", "3:9", COLON.format("headline")),
    ("kicker: 引题\nheadline： 标题\n", "3:9", COLON.format("headline")),
])
def test_a_full_width_colon_in_front_matter_is_named_at_its_line(tmp_path, front, at, says):
    path = tmp_path / "a.md"
    path.write_text(f"---\n{front}---\n正文。\n", encoding="utf-8")
    msg = _error(load_article, path)
    assert msg == f"{path}:{at}: {says}"


def test_full_width_marks_inside_text_values_are_text(tmp_path, page_copy):
    """`编辑：黄涵琦` and `NBA：湖人` are text: only a key or a value inside [ ] or { } is suspect."""
    path = tmp_path / "a.md"
    path.write_text("---\nheadline: NBA：湖人，夺冠\nkicker:\n  CBA：辽宁队\n---\n正文。\n", encoding="utf-8")
    article = load_article(path)
    assert (article.headline, article.kicker) == ("NBA：湖人，夺冠", "CBA：辽宁队")
    assert load_spec(page_copy / "page.yaml").page.credits == "编辑：黄涵琦 田园 美编：马慧茹"
    assert load_yaml('trim: ["3，4"]\n', "x.yaml") == {"trim": ["3，4"]}      # quoted: kept as text


def test_a_full_width_colon_in_an_edition_file_is_named_at_its_line(tmp_path):
    import shutil
    folder = tmp_path / "edition"
    shutil.copytree(ROOT / "content" / "example-edition", folder)
    path = edit(folder / "edition.yaml", "pages:", "pages：")
    assert _error(load_edition, path).endswith(f"edition.yaml:4:6: {COLON.format('pages')}")


@pytest.mark.parametrize("text, at, says", [
    ("families:\n  A： {file: x.ttf}\n", "2:4", COLON.format("A")),      # read as the key `A： {file`
    ("families:\n  A: {file: x.ttf， index: 2}\n", "2:18", "full-width comma '，' in `file: x.ttf， index: 2`"),
    ("families:\n  A: x.ttf\nfallback：[A]\n", "3:9", COLON.format("fallback")),
])
def test_a_full_width_mark_in_fonts_yaml_is_named_at_its_line(tmp_path, text, at, says):
    path = tmp_path / "fonts.yaml"
    path.write_text(text, encoding="utf-8")
    msg = _error(load_catalog, path)
    assert f"fonts.yaml:{at}: {says}" in msg, msg


# ------------------------------------------------------------------------------------- the report

def test_a_photo_without_caption_is_not_reported_as_an_article(tmp_path):
    folder = tmp_path / "page"
    new_page(str(folder), "tabloid", None)
    spec = edit(folder / "page.yaml", "    caption: photo ", "    # caption: photo ")
    report = build(spec, tmp_path / "page.pdf", write=False)
    assert [a.block for a in report.articles] == ["lead", "sample"]


# ------------------------------------------------------------------- where output goes, and its names

def test_the_default_output_is_found_from_the_page_folder_not_the_working_directory(tmp_path, monkeypatch):
    from layout.outputs import default_output
    monkeypatch.chdir(tmp_path)
    assert default_output(ROOT / "content" / "dangqi-linghang" / "page.yaml") == ROOT / "output" / "dangqi-linghang.pdf"
    assert default_output(ROOT / "content" / "example-edition" / "edition.yaml") == \
        ROOT / "output" / "example-edition.pdf"
    (tmp_path / "work" / "content" / "sport" / "p5").mkdir(parents=True)     # deeper inside content/
    assert default_output(tmp_path / "work" / "content" / "sport" / "p5") == Path("work/output/p5.pdf")
    (tmp_path / "loose").mkdir()                                              # no content/ above: beside it
    assert default_output(tmp_path / "loose" / "page.yaml") == Path("output/loose.pdf")


def test_build_without_o_writes_into_the_projects_output_whatever_the_working_directory(tmp_path, monkeypatch,
                                                                                          capsys):
    from layout.cli import main
    folder = tmp_path / "paper" / "content" / "p1"
    new_page(str(folder), "tabloid", None)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["build", str(folder), "--png"]) == 0
    err = capsys.readouterr().err
    out = tmp_path / "paper" / "output"
    assert sorted(p.name for p in out.iterdir()) == ["p1.pdf", "p1.png"]     # one page: NAME.png
    assert f"wrote {out / 'p1.pdf'}" in err and f"preview {out / 'p1.png'}" in err
    assert not list(elsewhere.iterdir())


def test_every_page_of_a_longer_pdf_is_previewed_as_name_pN(tmp_path):
    import pypdfium2 as pdfium
    from layout.preview import write_png
    doc = pdfium.PdfDocument.new()
    for _ in range(2):
        doc.new_page(200, 300)
    doc.save(str(tmp_path / "edition.pdf"))
    doc.close()
    names = [write_png(tmp_path / "edition.pdf", dpi=10, page=k).name for k in range(2)]
    assert names == ["edition-p1.png", "edition-p2.png"]


@pytest.mark.parametrize("command", ["build", "check", "preview", "watch", "serve"])
def test_the_spec_argument_has_help(command, capsys):
    from layout.cli import main
    with pytest.raises(SystemExit):
        main([command, "--help"])
    usage = " ".join(capsys.readouterr().out.split())
    assert "spec a page folder, its page.yaml, or an edition file (default: content/dangqi-linghang)" in usage

"""Copyfitting and flow (issue 5): exact overflow, empty lines, balance, jumps, editions, fitting aids, overlay."""
import math
import re

import pikepdf
import pypdfium2 as pdfium
import pytest

from layout.build import build, compose_page, grid_proof_path
from layout.content import load_article
from layout.display import TextRun
from layout.edition import build_edition
from layout.grid import make_grid
from layout.spec import load_spec

from .conftest import FLAGSHIP, ROOT, edit

ARTICLES = ["wuchuan", "qingshuihe", "huimin", "dongfenglu", "tabusai", "daerdeng", "baohesha"]
EXTRA = load_article(FLAGSHIP.parent / "articles" / "daerdeng.md").paragraphs


def _resize(folder, name, delta):
    """Lengthen (delta > 0) or shorten (delta < 0) an article by about |delta| characters of real text."""
    path = folder / "articles" / f"{name}.md"
    text = path.read_text(encoding="utf-8")
    front, body = text.split("---\n", 2)[1], text.split("---\n", 2)[2]
    paras = [p for p in body.strip().split("\n\n") if not p.startswith("<!--")]
    if delta > 0:
        add, k = [], 0
        while sum(map(len, add)) < delta:
            add.append(EXTRA[k % len(EXTRA)])
            k += 1
        paras[-1] += "".join(add)[:delta]       # the last paragraph grows
    else:
        cut = -delta
        while cut and paras:
            if len(paras[-1]) <= cut:
                cut -= len(paras.pop())
            else:
                paras[-1] = paras[-1][: len(paras[-1]) - cut]
                cut = 0
    path.write_text(f"---\n{front}---\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")


def _set_chars(layout, block):
    return sum(len(r.text) for r in layout.items if isinstance(r, TextRun) and r.block == block
               and r.role in ("body", "jump"))


def _body_slots(layout, block):
    return {(round(r.x // 100), r.y) for r in layout.items if isinstance(r, TextRun) and r.block == block
            and r.role == "body"}


@pytest.mark.parametrize("name", ARTICLES)
@pytest.mark.parametrize("delta", [1, 60, 900, -1, -45, -400])
def test_overflow_and_empty_lines_are_exact(page_copy, name, delta):
    _resize(page_copy, name, delta)
    spec = load_spec(page_copy / "page.yaml")
    layout, results, _, grid, _ = compose_page(spec)
    result = next(r for r in results if r.article == name)
    article = load_article(page_copy / "articles" / f"{name}.md")
    set_chars = _set_chars(layout, result.block)
    f = result.flowed
    assert set_chars + f.overflow_chars == article.chars
    lines_drawn = sum(1 for _, _, line in f.placed)
    assert f.empty_lines == f.capacity * f.columns - lines_drawn
    block = next(b for b in spec.blocks if b.id == result.block)
    x0, x1 = grid.col_x(block.col), grid.col_x(block.col) + grid.span(block.cols)
    y0, y1 = grid.line_top(block.line), grid.line_top(block.line + block.lines)
    for r in layout.items:
        if isinstance(r, TextRun) and r.block == block.id:
            # an opening mark at a line start may lose its leading blank: its origin then sits left of
            # the column, its ink inside
            assert x0 - r.size / 2 - 0.01 <= r.x and r.x + 0.45 * r.size * len(r.text) <= x1 + 1 and y0 <= r.y <= y1, r.text
    assert (f.status == "overflow") == (f.overflow_chars > 0)
    if delta >= 60:                 # every flagship block has at most 3 empty line slots
        assert f.status == "overflow"
    elif delta < 0:
        assert f.status in ("fits", "underfull") and f.overflow_chars == 0


def test_overflow_matches_the_characters_missing_from_the_pdf(page_copy, tmp_path):
    _resize(page_copy, "huimin", 250)
    out = tmp_path / "over.pdf"
    report = build(page_copy / "page.yaml", out)
    fit = next(a for a in report.articles if a.id == "huimin")
    doc = pdfium.PdfDocument(str(out))
    text = re.sub(r"\s", "", doc[0].get_textpage().get_text_range())
    article = load_article(page_copy / "articles" / "huimin.md")
    body = re.sub(r"\s", "", article.byline + "".join(article.paragraphs))
    # the longest prefix of the article's text found on the page is what was set
    lo, hi = 0, len(body)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if body[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    assert fit.status == "overflow" and len(body) - lo == fit.overflow_chars


def test_check_says_what_would_fit(page_copy, capsys):
    from layout.cli import main
    _resize(page_copy, "huimin", 200)
    assert main(["check", str(page_copy / "page.yaml")]) == 0
    err = capsys.readouterr().err
    m = re.search(r"huimin .* OVERFLOW by (\d+) characters \((\d+) lines? of text\): needs (\d+) more lines? in "
                  r"the block, or about (\d+) fewer characters", err)
    assert m, err
    lines = int(m.group(2))
    assert int(m.group(3)) == math.ceil(lines / 2) and int(m.group(4)) == min(lines * 13, int(m.group(1)))
    assert main(["check", "--strict", str(page_copy / "page.yaml")]) == 1


def test_every_multi_column_block_of_the_flagship_is_balanced():
    spec = load_spec(FLAGSHIP)
    layout, results, _, grid, _ = compose_page(spec)
    for r in results:
        if r.flowed is None or r.flowed.columns < 2:
            continue
        depths = [sum(1 for c, _, _ in r.flowed.placed if c == col) for col in range(r.flowed.columns)]
        assert max(depths) - min(depths) <= 1, (r.block, depths)


EDITION = ROOT / "content" / "example-edition" / "edition.yaml"


def test_two_page_edition_with_jump_lines_rendered_in_parallel(tmp_path):
    lines = []
    out = tmp_path / "edition.pdf"
    report = build_edition(EDITION, out, workers=2, progress=lines.append)
    assert report.pages == 2 and all(a.status != "overflow" for a in report.articles)
    assert sum(1 for line in lines if line.startswith("page ")) == 2
    doc = pdfium.PdfDocument(str(out))
    p1 = re.sub(r"\s", "", doc[0].get_textpage().get_text_range())
    p2 = re.sub(r"\s", "", doc[1].get_textpage().get_text_range())
    assert "（下转第6版）" in p1 and "（上接第5版）" in p2
    # the text continues exactly where it stopped
    before, after = p1.split("（下转第6版）")[0][-12:], p2.split("（上接第5版）")[1][:12]
    wuchuan = re.sub(r"\s", "", "".join(load_article(EDITION.parent / "articles" / "wuchuan.md").paragraphs))
    assert before + after in wuchuan
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 2 and str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-1:2001"


def test_headline_range_takes_the_largest_size_that_keeps_its_lines():
    spec = load_spec(EDITION.parent / "page-1.yaml")
    layout, _, _, _, _ = compose_page(spec)
    sizes = {r.size for r in layout.items if isinstance(r, TextRun) and r.block == "grid-work" and r.role == "headline"}
    assert len(sizes) == 1 and 20 <= sizes.pop() <= 30


def test_auto_height_takes_the_lines_the_text_needs():
    spec = load_spec(EDITION.parent / "page-1.yaml")
    _, results, _, _, _ = compose_page(spec)
    r = next(r for r in results if r.block == "grid-work")
    assert r.flowed.status == "fits" and r.flowed.empty_lines < r.flowed.columns


def test_grid_overlay_renders_and_is_absent_from_the_delivered_file(tmp_path):
    out = tmp_path / "page.pdf"
    build(FLAGSHIP, out, grid_proof=True)
    proof = grid_proof_path(out)
    assert proof.exists()

    def content(path):
        with pikepdf.open(path) as pdf:
            page = pdf.pages[0]
            parts = page.Contents if isinstance(page.Contents, pikepdf.Array) else [page.Contents]
            return b"".join(p.read_bytes() for p in parts)
    assert b".6 0 0 0 K" in content(proof) and b".6 0 0 0 K" not in content(out)
    text = pdfium.PdfDocument(str(proof))[0].get_textpage().get_text_range()
    assert "lead [1,1]" in text


def test_a_heading_taller_than_its_block_is_reported_and_kept_inside(page_copy):
    spec = load_spec(edit(page_copy / "page.yaml", "    size: [3, 41]", "    size: [3, 4]"))
    layout, results, _, grid, _ = compose_page(spec)
    from layout.build import report_for
    report = report_for(results, "x.pdf")
    assert any("its heading takes 10 lines but the block has 4" in w and "page.yaml:" in w for w in report.warnings)
    bottom = grid.line_top(1 + 4)
    assert all(r.y <= bottom for r in layout.items if isinstance(r, TextRun) and r.block == "lead")
    fit = next(a for a in report.articles if a.id == "wuchuan")
    assert fit.status == "overflow" and fit.overflow_chars == fit.chars


def test_a_page_folder_stands_for_its_spec(capsys):
    from layout.cli import main
    assert main(["check", str(FLAGSHIP.parent)]) == 0
    assert "checked (nothing written)" in capsys.readouterr().err


def test_an_edition_with_a_photo_builds_and_bad_edition_files_are_input_errors(page_copy, tmp_path, capsys):
    from layout.cli import main
    edition = tmp_path / "edition.yaml"
    edition.write_text(f"name: 单页\npages: [{page_copy / 'page.yaml'}]\n", encoding="utf-8")
    report = build_edition(edition, tmp_path / "one.pdf", workers=1, progress=lambda _: None)
    assert report.pages == 1 and report.preflight == () and all(a.status == "fits" for a in report.articles)
    edition.write_text("name: 坏\npages: [nowhere.yaml]\nextra: 1\n", encoding="utf-8")
    for command in (["build", str(edition), "-o", str(tmp_path / "bad.pdf")], ["check", str(edition)]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: {edition}:") and err.count("\n") == 1, err


def test_a_chain_whose_first_block_is_all_heading_keeps_every_character(tmp_path):
    import shutil
    from layout.edition import compose_edition, load_edition
    folder = tmp_path / "ed"
    shutil.copytree(EDITION.parent, folder)
    edit(folder / "page-1.yaml", "    size: [8, 12]", "    size: [8, 5]")
    pages = compose_edition(load_edition(folder / "edition.yaml"))
    fit = next(r.flowed for p in pages for r in p.results if r.article == "wuchuan" and r.flowed)
    set_chars = sum(len(r.text) for p in pages for r in p.layout.items
                    if isinstance(r, TextRun) and r.role == "body" and r.block in ("lead", "lead-continued"))
    article = load_article(folder / "articles" / "wuchuan.md")
    assert fit.status == "overflow" and set_chars + fit.overflow_chars == article.chars


def test_caption_lines_that_do_not_fit_are_reported_not_drawn_below_the_photo(page_copy):
    spec = load_spec(edit(page_copy / "page.yaml", "    size: [5, 41]", "    size: [5, 3]"))
    layout, results, _, grid, _ = compose_page(spec)
    photo = next(r for r in results if r.block == "photo")
    assert photo.flowed.status == "overflow" and photo.flowed.overflow_chars > 0
    bottom = grid.line_top(1 + 3)
    assert all(r.y <= bottom for r in layout.items if isinstance(r, TextRun) and r.block == "photo")


def test_caption_advice_counts_characters_at_the_photo_blocks_width(page_copy):
    """Fitting advice for a caption turns lines into characters at its own measure (caption size across the
    photo block), not the 13 characters of a body column."""
    for cols in (5, 3):
        spec = load_spec(edit(page_copy / "page.yaml", "    size: [5, 41]" if cols == 5 else "    size: [5, 3]",
                              "    size: [5, 3]" if cols == 5 else "    size: [3, 3]"))
        _, results, _, grid, spec = compose_page(spec)
        photo = next(r for r in results if r.block == "photo")
        caption_size = spec.styles["caption"].size
        assert photo.measure_chars == round(grid.span(cols) / caption_size), (cols, photo.measure_chars)

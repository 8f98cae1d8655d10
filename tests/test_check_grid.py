"""`layout check` shows the page grid and warns of what a designer would catch on a proof (issue 11, bug 9):
grid area no block covers, stacked blocks with no blank line between them, a story without a headline,
folios an edition repeats."""
from __future__ import annotations

import shutil

from layout.cli import main

from .conftest import FLAGSHIP, edit

EXAMPLE = FLAGSHIP.parent.parent / "example-edition"
NEW_KINDS = ("no block covers", "no blank line", "no headline", "folio", "names the page it stands on")


def check(path, capsys) -> list:
    """The warning lines of `layout check PATH` (exit 0 asserted), and the whole stderr as lines."""
    assert main(["check", str(path)]) == 0
    return capsys.readouterr().err.splitlines()


def test_check_prints_the_grid_and_the_flagship_draws_no_new_warning(capsys):
    lines = check(FLAGSHIP.parent, capsys)
    # 390 mm trim less 2 × 18 mm margins = 1003.5 pt; less 7 gutters of 9 pt, over 8 columns, is 13 whole
    # characters of 9 pt (117 pt); 545 mm less 38 mm = 1437.2 pt is 106 lines of 13.5 pt, less 6 header
    # lines and 2 footer lines: 98 body lines
    assert any(line.endswith("page.yaml: grid: 8 columns of 13 characters (117pt, gutter 9pt); 98 body lines "
                             "at 13.5pt leading (9pt song)") for line in lines), lines[:2]
    assert not [w for w in lines if w.startswith("warning:") and any(k in w for k in NEW_KINDS)]


def test_grid_area_no_block_covers_is_named_by_columns_and_lines(page_copy, capsys):
    edit(page_copy / "page.yaml", "    size: [4, 23]", "    size: [4, 20]")        # community: 3 lines short
    warnings = [w for w in check(page_copy, capsys) if "no block covers" in w]
    assert len(warnings) == 1, warnings
    assert "page.yaml:" in warnings[0] and "columns 1–4, lines 96–98 (12 grid cells)" in warnings[0]


def test_a_block_right_under_another_is_warned_at_its_line(page_copy, capsys):
    edit(page_copy / "page.yaml", "    at: [1, 43]\n    size: [2, 32]", "    at: [1, 42]\n    size: [2, 33]")
    line = next(n for n, text in enumerate((page_copy / "page.yaml").read_text().splitlines(), 1)
                if "id: practice" in text)
    warnings = [w for w in check(page_copy, capsys) if "no blank line" in w]
    assert warnings == [f"warning: {page_copy / 'page.yaml'}:{line}: block `practice` starts at line 42, right "
                        f"under block `lead` (lines 1–41) with no blank line between them; start it at line 43 or "
                        f"end `lead` a line earlier"]


def test_a_story_without_a_headline_is_warned_at_its_article_line(page_copy, capsys):
    edit(page_copy / "articles" / "tabusai.md", "headline: 聚焦群众工作 办好为民实事\n", "")
    line = next(n for n, text in enumerate((page_copy / "page.yaml").read_text().splitlines(), 1)
                if "article: tabusai" in text)
    warnings = [w for w in check(page_copy, capsys) if "no headline" in w]
    assert warnings == [f"warning: {page_copy / 'page.yaml'}:{line}: block `village`: article `tabusai` has no "
                        f"headline; add `headline:` to the front matter of articles/tabusai.md"]


def test_an_edition_repeating_a_folio_is_warned_and_its_jump_line_named(tmp_path, capsys):
    folder = tmp_path / "ed"
    shutil.copytree(EXAMPLE, folder)
    lines = check(folder / "edition.yaml", capsys)
    assert sum("grid: 8 columns of 13 characters" in line for line in lines) == 2      # one grid line a page
    assert not [w for w in lines if "folio" in w or "names the page" in w]
    edit(folder / "page-2.yaml", "folio: 6", "folio: 5")
    warnings = [w for w in check(folder / "edition.yaml", capsys) if "folio" in w or "names the page" in w]
    folio_line = next(n for n, text in enumerate((folder / "page-2.yaml").read_text().splitlines(), 1)
                      if "folio: 5" in text)
    assert any(f"page-2.yaml:{folio_line}: page 2 has folio 5, as page 1 (page-1.yaml) has" in w for w in warnings)
    assert any("page-1.yaml:" in w and "block `lead`: its jump line （下转第5版） names the page it stands on" in w
               for w in warnings)
    assert any("page-2.yaml:" in w and "block `lead-continued`: its jump line （上接第5版）" in w for w in warnings)


def test_the_grid_is_in_checks_json_report(capsys):
    """`layout check --report json` carries each page's grid, the same numbers as the text line."""
    import json
    assert main(["check", str(FLAGSHIP.parent), "--report", "json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["grids"] == [{"page": 1, "spec": str(FLAGSHIP), "columns": 8, "column_chars": 13,
                                "column_width": 117.0, "gutter": 9.0, "body_lines": 98, "leading": 13.5,
                                "body_size": 9.0, "body_font": "song"}]
    assert report["articles"] and report["pages"] == 1          # the contract's names are all still there
    assert "grid: 8 columns of 13 characters" in captured.err    # and the text line on stderr as before


def test_an_editions_json_report_has_a_grid_a_page(tmp_path, capsys):
    import json
    folder = tmp_path / "ed"
    shutil.copytree(EXAMPLE, folder)
    assert main(["check", str(folder / "edition.yaml"), "--report", "json"]) == 0
    grids = json.loads(capsys.readouterr().out)["grids"]
    assert [(g["page"], g["spec"], g["columns"], g["body_lines"]) for g in grids] == [
        (1, str(folder / "page-1.yaml"), 8, 98), (2, str(folder / "page-2.yaml"), 8, 98)]


def _line_of(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_uncovered_area_is_warned_at_the_block_that_borders_it(page_copy, capsys):
    """Not the spec's top line: the block along the longest edge of the gap (the one to grow), here the
    block right above the three empty lines, and named in the message."""
    edit(page_copy / "page.yaml", "    size: [4, 23]", "    size: [4, 20]")        # community: 3 lines short
    warnings = [w for w in check(page_copy, capsys) if "no block covers" in w]
    line = _line_of(page_copy / "page.yaml", "id: community")
    assert len(warnings) == 1 and warnings[0].startswith(f"warning: {page_copy / 'page.yaml'}:{line}: "), warnings
    assert "`community`" in warnings[0]


def test_uncovered_column_is_warned_at_its_neighbour_beside_it(page_copy, capsys):
    """A block one column narrow leaves a strip beside it: the block along the strip's long edge is named,
    not the block whose foot touches the strip's top corner."""
    text = (page_copy / "page.yaml").read_text()
    at = text.index("  - id: volunteers")
    (page_copy / "page.yaml").write_text(text[:at] + text[at:].replace("size: [4, 23]", "size: [3, 23]", 1))
    warnings = [w for w in check(page_copy, capsys) if "no block covers" in w]
    line = _line_of(page_copy / "page.yaml", "id: volunteers")
    assert len(warnings) == 1 and warnings[0].startswith(f"warning: {page_copy / 'page.yaml'}:{line}: "), warnings
    assert "column 8, lines 75–98" in warnings[0] and "`volunteers`" in warnings[0]


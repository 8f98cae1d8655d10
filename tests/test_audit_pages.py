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


def test_heading_parts_at_the_body_size_are_read_as_heading(tmp_path):
    """A kicker and subhead styled at the body size (9 pt) are still heading lines, centred over the block,
    not body lines: the audit knows them by the article's heading text, not only by their size."""
    import shutil
    page = tmp_path / "headings"
    shutil.copytree(ROOT / "tests" / "fixtures" / "pages" / "headings", page)
    spec = page / "page.yaml"
    text = spec.read_text(encoding="utf-8")
    assert "styles:\n" in text
    spec.write_text(text.replace("styles:\n", "styles:\n  subhead: {font: hei, size: 9pt}\n"
                                              "  kicker: {font: kai, size: 9pt}\n", 1), encoding="utf-8")
    build(spec, tmp_path / "p.pdf")
    assert audit(tmp_path / "p.pdf", spec) == []


def test_a_table_with_wrapped_cells_is_kept_whole_in_one_column(tmp_path):
    """送餐上门服务（含周末和节假日）in a table on an 11-character column: the cell wraps over five lines
    (read cell by cell, each line of a cell flush with its column), and the table, shorter than a column,
    is not split between two columns (its last rows would go on without their header and rules)."""
    import shutil
    page = tmp_path / "story-elements"
    shutil.copytree(ROOT / "tests" / "fixtures" / "pages" / "story-elements", page)
    article = page / "articles" / "feature.md"
    text = article.read_text(encoding="utf-8")
    assert "| 送餐 | 45 | 15元 |" in text
    article.write_text(text.replace("| 送餐 | 45 | 15元 |", "| 送餐上门服务（含周末和节假日） | 45 | 15元 |"),
                       encoding="utf-8")
    build(page / "page.yaml", tmp_path / "p.pdf")
    assert audit(tmp_path / "p.pdf", page / "page.yaml") == []


RICHER = """---
headline: 社区食堂开进老街巷：一碗热饭暖人心
byline: 新华社呼和浩特11月30日电
---

老街巷里的社区食堂开张一个月，每天中午都坐满了附近的老人，日均接待约260人次。

## “一碗热饭”的账本，算给居民听

食堂负责人算了一笔账：

1. 场地由街道免费提供，每年节省租金约12万元；
2. 水电按居民价收取，**每月**比商业价低三成以上；
3. 老人凭卡就餐，每餐补贴3元，80岁以上再补2元。
10. 志愿者每周三次送餐上门，覆盖行动不便的老人。

| 项目 | 每日份数 | 价格 |
|---|---:|---:|
| 套餐（荤素搭配） | 320 | 12元 |
| 面食 | 150 | 8元 |

> “吃得上热饭，心里也热乎。”这是许多老人的心声，也是社区工作者最朴素的目标。

住在三楼的李奶奶说，她每天都来，“饭菜软烂，适合我们的牙口”。她的老伴前年去世，儿女都在外地。

## 下一步

- 延长晚餐时段，新增周末早餐供应
- 增加助餐点位
- 开通线上订餐（微信小程序），支持预约

街道表示，明年还将在另外两个社区复制这一模式，让更多老人在家门口吃上**放心饭**。
"""


def test_richer_story_elements_pass_the_audit(tmp_path):
    """Text the focused page does not hold: a dateline for a byline, a crosshead over two lines that opens
    with “, list items with digits and a two-digit marker, a table whose cells wrap, a pull quote in a face
    that draws “ ” narrow over six lines."""
    import shutil
    page = tmp_path / "story-elements"
    shutil.copytree(ROOT / "tests" / "fixtures" / "pages" / "story-elements", page)
    (page / "articles" / "feature.md").write_text(RICHER, encoding="utf-8")
    build(page / "page.yaml", tmp_path / "p.pdf")
    assert audit(tmp_path / "p.pdf", page / "page.yaml") == []


@pytest.mark.parametrize("richer", [False, True], ids=["focused", "richer"])
def test_wherever_the_first_block_ends_the_story_passes_the_audit(tmp_path, richer):
    """The story flowed from a first block of 12 to 28 lines on into a second: a pull quote, table or
    crosshead at the foot of the first block goes on whole into the next (a pull quote cut there drew its
    lines below the block's foot), and a block that opens with a crosshead is not read as a heading."""
    import re
    import shutil
    page = tmp_path / "story-elements"
    shutil.copytree(ROOT / "tests" / "fixtures" / "pages" / "story-elements", page)
    if richer:
        (page / "articles" / "feature.md").write_text(RICHER, encoding="utf-8")
    spec = page / "page.yaml"
    text = spec.read_text(encoding="utf-8")
    assert "size: [2, 28]" in text and "size: [2, 9]" in text and "  - id: notice" in text
    text = re.sub(r"  - id: notice.*", "", text.replace("size: [2, 9]", "size: [2, 28]"), flags=re.S)
    found = {}
    for lines in range(12, 29, 2):
        spec.write_text(text.replace("size: [2, 28]", f"size: [2, {lines}]", 1), encoding="utf-8")
        build(spec, tmp_path / "p.pdf")
        problems = audit(tmp_path / "p.pdf", spec)
        if problems:
            found[lines] = problems
    assert found == {}

"""Story bodies in the Markdown subset (issue 15, item 4): the parser's typed paragraphs, its warnings,
composition across a change of face, and how crossheads, lists, tables and pull quotes take the grid."""
from __future__ import annotations

import re

import pytest

from layout.flow import flow_balanced, flow_sequential
from layout.markup import CROSSHEAD, ITEM, QUOTE, TABLE, TEXT, parse_body
from layout.setbody import Slot, set_body
from layout.spec import Style
from layout.text import classes as C
from layout.text.compose import compose_paragraph
from layout.text.segment import Span

EM, LEADING = 9.0, 13.5
WARNING = re.compile(r"^story\.md:(\d+): \S")


class TwoFaceMetrics:
    """Fixed widths (wide 1 em, Latin 0.5 em) that name a face per role, so runs split where the face changes."""

    def glyph(self, font, ch):
        wide = C.is_wide(ch) or C.char_class(ch) in C.PUNCT_CLASSES
        return (f"face-{font}", 1.0 if wide else 0.5)


def parse(body, first_line=1):
    return parse_body(body, first_line, "story.md")


# ------------------------------------------------------------------------------------------- the parser

def test_plain_text_reads_as_before():
    """Blank lines separate paragraphs; wrapped lines join, with a space only between Latin letters."""
    paras, warnings = parse("第一段文字，\n继续App\nStore。\n\n第二段。\n")
    assert warnings == ()
    assert [p.kind for p in paras] == [TEXT, TEXT]
    assert [p.text for p in paras] == ["第一段文字，继续App Store。", "第二段。"]
    assert [p.line for p in paras] == [1, 5]


def test_each_kind_of_the_subset():
    body = ("导语。\n\n## 小标题\n正文有**强调**。\n\n一、第一条\n二、第二条，\n续行\n- 要点\n1. 数字\n\n"
            "| 项目 | 数量 |\n|---|---:|\n| 苹果 | 12 |\n\n> 引语一\n> 引语二\n")
    paras, warnings = parse(body, 10)
    assert warnings == ()
    assert [p.kind for p in paras] == [TEXT, CROSSHEAD, TEXT, ITEM, ITEM, ITEM, ITEM, TABLE, QUOTE]
    assert paras[1].text == "小标题" and paras[1].line == 12
    assert paras[2].runs == (("正文有", False), ("强调", True), ("。", False))
    assert [(p.marker, p.text) for p in paras[3:7]] == [
        ("一、", "一、第一条"), ("二、", "二、第二条，续行"), ("·", "·要点"), ("1.", "1.数字")]
    table = paras[7]
    assert table.header == 1 and len(table.rows) == 2
    assert [[c[0][0] for c in row] for row in table.rows] == [["项目", "数量"], ["苹果", "12"]]
    assert paras[8].text == "引语一引语二"


def test_a_number_at_a_paragraph_start_is_not_a_list():
    paras, _ = parse("1.5亿元投入使用。\n\n2023年，全市……\n")
    assert [p.kind for p in paras] == [TEXT, TEXT]


@pytest.mark.parametrize("body, line, says", [
    ("正文。\n\n# 一级标题\n", 3, "`# ` headings"),
    ("正文\n### 三级\n", 2, "`### ` headings"),
    ("有*斜体*字。\n", 1, "italic"),
    ("有`code`字。\n", 1, "`code`"),
    ("见[网站](http://example.cn)。\n", 1, "http://example.cn is not"),
    ("![图](a.jpg)\n", 1, "photo block"),
    ("有<b>标签</b>。\n", 1, "HTML"),
    ("上文\n\n---\n\n下文\n", 3, "horizontal rule"),
    ("```\n代码\n```\n", 1, "code blocks"),
    ("只有**开头。\n", 1, "without its closing"),
    ("- 一\n  - 二\n", 2, "nested lists"),
    ("| a | b |\n| c |\n", 2, "cells"),
])
def test_syntax_outside_the_subset_warns_with_file_and_line(body, line, says):
    _, warnings = parse(body)
    assert warnings, "no warning"
    first = warnings[0]
    assert WARNING.match(first), first
    assert int(WARNING.match(first).group(1)) == line
    assert says in first


@pytest.mark.parametrize("body", ["## 小标题\n", "**强调**\n", "> 引语\n", "- 要点\n", "1. 一条\n",
                                  "| a | b |\n|---|---|\n| c | d |\n", "*斜体*\n", "# 标题\n", "[链接](x)\n"])
def test_no_markup_is_printed_literally_without_a_warning(body):
    """Every marker is either understood (and gone from the text) or warned about."""
    paras, warnings = parse(body)
    shown = "".join(p.text for p in paras)
    literal = any(mark in shown for mark in ("##", "**", "> ", "- ", "|", "*", "# ", "]("))
    assert not literal or warnings, shown


def test_backslash_escapes_print_the_mark_itself():
    paras, warnings = parse("星号\\*\\*不是强调\\*\\*。\n")
    assert warnings == () and paras[0].text == "星号**不是强调**。"


def test_article_files_carry_typed_paragraphs_and_warnings(tmp_path):
    from layout.content import load_article
    path = tmp_path / "story.md"
    path.write_text("---\nheadline: 标题\njump_headline: 接题\n---\n\n导语。\n\n## 小标题\n\n有*斜体*。\n",
                    encoding="utf-8")
    art = load_article(path)
    assert [p.kind for p in art.body] == [TEXT, CROSSHEAD, TEXT]
    assert art.paragraphs == ("导语。", "小标题", "有斜体。")
    assert art.jump_headline == "接题"
    assert len(art.notes) == 1 and art.notes[0].startswith(f"{path}:10: ")


# ------------------------------------------------------------------------------- composition across faces

def test_strong_runs_compose_as_one_paragraph_across_the_face_change():
    """Breaking, justification and punctuation compression do not see the face change: the line is
    justified to the measure, `。”` next to a strong run still takes 1.5 em, and a line never starts
    with the `，` that follows a strong run."""
    metrics = TwoFaceMetrics()
    spans = [Span("社区食堂由街道牵头", "song", EM), Span("“社会组织运营”。", "hei", EM),
             Span("”，菜价比市面低三成，每天中午都坐满了附近的老人，", "song", EM)]
    lines, _ = compose_paragraph(spans, 13 * EM, metrics, EM)
    assert len(lines) >= 2
    faces = {r.face for line in lines for r in line.runs}
    assert faces == {"face-song", "face-hei"}
    for line in lines[:-1]:
        assert abs(line.width - 13 * EM) < 0.01, line.text
    assert not any(line.text[0] in C.NO_START for line in lines)
    plain, _ = compose_paragraph([Span("".join(s.text for s in spans), "song", EM)], 13 * EM, metrics, EM)
    assert [line.text for line in lines] == [line.text for line in plain]


# ------------------------------------------------------------------------------------------- on the grid

STYLES = {"strong": Style("hei", EM, EM * 1.25), "crosshead": Style("hei", 10.5, 13.125),
          "quote": Style("kai", 12.0, 15.0), "table": Style("song", EM, EM * 1.25)}
BODY = Style("song", EM, LEADING)


def set_(body, measure=13 * EM):
    paras, _ = parse(body)
    return set_body(paras, STYLES, BODY, LEADING, measure, TwoFaceMetrics(), where="story.md")


def test_a_crosshead_takes_whole_lines_and_never_ends_a_column():
    lines = set_("第一段，正文六个字。\n\n## 小标题\n\n第二段正文。\n").lines
    heads = [line for line in lines if isinstance(line, Slot)]
    assert len(heads) == 2 and all(s.keep for s in heads)           # two grid lines, both kept with the next
    assert heads[0].chars == 3
    run = next(i for i in heads[0].items if i.role == "crosshead")
    assert run.face == "face-hei" and run.size == 10.5
    # column 1 would end with the crosshead: flow moves it to the top of column 2
    flowed = flow_balanced(lines, 2, 3)
    assert [(c, r) for c, r, line in flowed.placed if line is heads[0]] == [(1, 0)]
    assert not flowed.overflow
    flowed = flow_sequential(lines, 2, 3)
    assert [(c, r) for c, r, line in flowed.placed if line is heads[0]] == [(1, 0)]


def test_list_items_hang_their_markers_in_whole_ems():
    lines = set_("一、第一条内容比较长需要折行才能排完；\n二、第二条。\n").lines
    first_run = [i for i in lines[0].items if i.text == "一、"]
    assert first_run and first_run[0].x == 0.0
    text_x = {round(i.x, 2) for s in lines for i in s.items if i.text not in ("一、", "二、")}
    assert text_x == {2 * EM}                            # every line of every item starts at the hang
    assert len(lines) == 3                               # the long item wraps under its hang


def test_a_table_sits_on_the_grid_between_rules_and_fits_its_measure():
    lines = set_("| 项目 | 份数 |\n|---|---:|\n| 套餐 | 320 |\n| 面食 | 150 |\n").lines
    assert all(isinstance(s, Slot) for s in lines)
    assert len(lines) == 5                              # air, header, two rows, air
    rules = [r.width for s in lines for r in s.items if not hasattr(r, "text")]
    assert rules == [1.0, 0.5, 1.0]                      # 三线表: heavy above and below, thin under the header
    runs = [i for s in lines for i in s.items if hasattr(i, "text")]
    assert max(r.x + len(r.text) * EM * (1 if C.is_wide(r.text[0]) else 0.5) for r in runs) <= 13 * EM + 0.01
    numbers = [r for r in runs if r.text in ("320", "150")]
    assert len({round(r.x, 2) for r in numbers}) == 1   # numbers right-aligned in their column
    assert lines[1].keep                                 # the header stays with the first row


def test_a_table_too_wide_for_its_measure_is_reported():
    body = "| 一二三四五 | 六七八九十 | 甲乙丙丁戊 | 子丑寅卯辰 |\n| a | b | c | d |\n"
    result = set_(body, measure=6 * EM)
    assert any(n.startswith("story.md:1: this table needs") for n in result.notes)


def test_a_pull_quote_is_larger_between_rules_and_kept_whole():
    lines = set_("> 吃得上热饭，心里也热乎。\n").lines
    assert len(lines) >= 3 and all(s.keep for s in lines[:-1]) and not lines[-1].keep
    items = lines[0].items
    assert sum(1 for i in items if not hasattr(i, "text")) == 2
    assert {i.size for i in items if hasattr(i, "text")} == {12.0}


def test_the_byline_runs_into_the_first_text_paragraph_or_stands_alone():
    byline = Span("本报记者 王晓", "kai", EM)
    paras, _ = parse("正文。\n")
    lines = set_body(paras, STYLES, BODY, LEADING, 13 * EM, TwoFaceMetrics(), byline).lines
    assert lines[0].text.startswith("本报记者") and lines[0].text.endswith("正文。")
    paras, _ = parse("## 小标题\n\n正文。\n")
    lines = set_body(paras, STYLES, BODY, LEADING, 13 * EM, TwoFaceMetrics(), byline).lines
    assert lines[0].text.startswith("本报记者") and isinstance(lines[1], Slot)


def test_a_byline_that_ends_in_a_name_is_kept_apart_from_the_text_it_runs_into():
    """本报记者 王晓 / 正文: a byline ending in a name (or a dateline: 新华社北京3月5日电) is followed by an em
    of space before the text it runs into, never set solid against it (王晓正文 reads as one name);
    after a closing bracket (本报讯（记者 王晓）正文) the text follows at once."""
    paras, _ = parse("正文写在这里。\n")
    for typed, gap in (("本报记者 王晓", EM), ("新华社北京3月5日电", EM), ("本报讯（记者 王晓）", 0.0), ("本报讯：", 0.0)):
        line = set_body(paras, STYLES, BODY, LEADING, 20 * EM, TwoFaceMetrics(), Span(typed, "kai", EM)).lines[0]
        body = next(r for r in line.runs if r.text.startswith("正文"))
        byline = next(r for r in line.runs if r.text.endswith(typed[-1]))     # these metrics: 1 em a character
        assert body.x - (byline.x + len(byline.text) * EM) == pytest.approx(gap, abs=0.01), (typed, line.text)

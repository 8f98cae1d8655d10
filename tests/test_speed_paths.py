"""Shortcuts taken for speed give what the long way gives: the markup parser's plain-line path and the
in-process memo of article files (issue 14)."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from layout import content, markup
from layout.content import load_article

# plain characters, and the ones next to the markup characters that start nothing by themselves
NEAR_MARKUP = "中文，。！!()]>#|-+.~{}"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(NEAR_MARKUP + "ab \u3000") | st.characters(), max_size=40))
def test_plain_line_path_gives_what_the_character_loop_gives(line):
    fast = markup._Parser("story.md")
    got = fast.spans(3, line)
    slow = markup._Parser("story.md")
    real = markup._MARKUP
    try:
        markup._MARKUP = re.compile("")           # matches every line: the character loop runs
        expected = slow.spans(3, line)
    finally:
        markup._MARKUP = real
    assert got == expected
    assert fast.warnings == slow.warnings


def test_a_changed_article_file_is_read_again(tmp_path):
    path = tmp_path / "story.md"
    path.write_text("---\nheadline: 标题\n---\n\n第一段。\n", encoding="utf-8")
    first = load_article(path, "story")
    assert load_article(path, "story") is first                   # same bytes: the memo answers
    path.write_text("---\nheadline: 新标题\n---\n\n第一段。\n\n第二段。\n", encoding="utf-8")
    second = load_article(path, "story")
    assert (second.headline, second.paragraphs) == ("新标题", ("第一段。", "第二段。"))
    assert load_article(path, "other").id == "other"              # the id is part of the key
    assert load_article(tmp_path / "story.md", "story") is second


def test_article_memo_is_bounded(tmp_path):
    for i in range(content.ARTICLE_MEMO + 10):
        path = tmp_path / f"a{i}.md"
        path.write_text(f"第{i}段。\n", encoding="utf-8")
        load_article(path)
    assert len(content._ARTICLES) <= content.ARTICLE_MEMO


def test_code_table_answers_as_the_dict_does():
    import array
    import random

    from layout.render.rl_fonts import CodeTable
    rng = random.Random(14)
    table = dict(zip(rng.sample(range(0x30000), 3000), (rng.randrange(60000) for _ in range(3000))))
    items = sorted(table.items())
    codes = CodeTable(array.array("L", (c for c, _ in items)), array.array("L", (v for _, v in items)))
    for code in [*rng.sample(range(0x30000), 3000), *table, -1, 0x110000, "a", 3.5, None]:
        assert (code in codes) == (code in table)
        assert codes.get(code, -7) == table.get(code, -7)
        if code in table:
            assert codes[code] == table[code]
    assert len(codes) == len(table) and bool(codes) and codes == table
    codes[0x10FFFF] = 1                                 # a write makes the dict, then answers from it
    assert 0x10FFFF in codes and codes[0x10FFFF] == 1 and len(codes) == len(table) + 1


def test_the_renderer_loads_pillow_only_when_an_image_is_opened():
    import subprocess
    import sys
    code = ("import sys, layout.render.pdf, layout.build\n"
            "assert 'PIL.ExifTags' not in sys.modules, 'Pillow loaded at start-up'\n"
            "import PIL.Image\n"
            "from PIL import Image\n"
            "assert Image is PIL.Image and Image.new('L', (2, 2)).size == (2, 2)\n"
            "from reportlab.lib.utils import ImageReader\n"
            "assert ImageReader(Image.new('RGB', (3, 1))).getSize() == (3, 1)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr

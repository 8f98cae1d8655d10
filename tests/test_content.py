"""Article files: front matter, paragraphs, comments, invisible and control characters."""
import pytest

from layout.content import load_article
from layout.yamlsrc import SourceError

from .conftest import FLAGSHIP


def test_article_parts_and_paragraphs(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("---\nkicker: 引题：\nheadline: 主题\nbyline: 本报讯（记者 甲）\n---\n\n第一段\n接续。\n\n<!-- 注释 -->\n第二段。\n",
                 encoding="utf-8")
    a = load_article(p)
    assert (a.kicker, a.headline, a.byline) == ("引题：", "主题", "本报讯（记者 甲）")
    assert a.paragraphs == ("第一段接续。", "第二段。")
    assert a.chars == len("本报讯（记者甲）") + len("第一段接续。第二段。")


def test_wrapped_latin_lines_keep_a_space(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("App\nStore 下载\n", encoding="utf-8")
    assert load_article(p).paragraphs == ("App Store 下载",)


def test_bom_and_zero_width_marks_are_dropped(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("\ufeff正\u200b文\n", encoding="utf-8")
    assert load_article(p).paragraphs == ("正文",)


def test_control_character_is_an_error_with_its_line(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("---\nheadline: 题\n---\n\n第一段\n\n第二\x07段\n", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        load_article(p)
    assert err.value.line == 7 and "U+0007" in str(err.value)


def test_not_utf8_is_an_error(tmp_path):
    p = tmp_path / "a.md"
    p.write_bytes("标题\n".encode("gbk"))
    with pytest.raises(SourceError, match="not UTF-8"):
        load_article(p)


def test_unknown_front_matter_key(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("---\nheadlin: 题\n---\n正文\n", encoding="utf-8")
    with pytest.raises(SourceError, match="did you mean `headline`") as err:
        load_article(p)
    assert err.value.line == 2


def test_the_seed_gap_is_marked_and_not_invented():
    text = (FLAGSHIP.parent / "articles" / "tabusai.md").read_text(encoding="utf-8")
    assert "GAP" in text
    a = load_article(FLAGSHIP.parent / "articles" / "tabusai.md")
    assert a.paragraphs[2].startswith("观光等为一体的特色产业")
    assert "GAP" not in "".join(a.paragraphs)

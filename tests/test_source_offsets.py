"""Source offsets: every character the page sets from an article knows where it stands in the file."""
from __future__ import annotations

from pathlib import Path

from layout.build import compose
from layout.content import load_article
from layout.display import TextRun

ROOT = Path(__file__).resolve().parent.parent


def _shown(text: str, src) -> str:
    return "".join(text[o] if o >= 0 else "\0" for o in src)


def test_markdown_offsets_point_at_the_characters_set(tmp_path):
    """Escapes, links, bold, list markers, comments, invisible marks, CRLF and a BOM: each character
    of each paragraph maps to the very character of the file (as layout reads it)."""
    path = tmp_path / "a.md"
    body = ("\ufeff---\r\nheadline: 标题甲乙\r\nbyline: 本报记者 丙\r\n---\r\n\r\n"
            "第一段**加粗**文字\\*星号，见[链接文字](http://x.example)。<!-- 注释 -->后\u200b文\r\n"
            "下一行接续。\r\n\r\n- 项目`代码`一\r\n1. 第二项\r\n\r\n## 小标题\r\n\r\n> 引文\r\n\r\n"
            "| 地区 | **数量** |\r\n|---|---|\r\n| 甲\\|乙 | 12 | 多余 |\r\n")
    path.write_bytes(body.encode("utf-8"))
    text = body.replace("\r\n", "\n").lstrip("\ufeff")
    art = load_article(path)
    assert _shown(text, art.origin("headline")) == "标题甲乙"
    assert _shown(text, art.origin("byline")) == "本报记者 丙"
    kinds = []
    for para in art.body:
        if para.kind == "table":
            kinds.append(para.kind)
            for row, src in zip(para.rows, para.src):
                for s, cell in zip(src, row):       # -1: the space joining a row's extra cells
                    shown = "".join(t for t, _ in cell)
                    assert len(s) == len(shown)
                    assert all(text[o] == ch if o >= 0 else ch == " " for o, ch in zip(s, shown)), shown
            continue
        runs = "".join(t for t, _ in para.runs)
        assert len(para.src) == len(runs)
        assert _shown(text, para.src) == runs, para
        kinds.append(para.kind)
    assert kinds == ["text", "item", "item", "crosshead", "quote", "table"]
    row = text.index("| 甲")                  # 甲\|乙: the escaped bar is the character set
    assert art.body[-1].src[1] == ((row + 2, row + 4, row + 5), tuple(
        [text.index("12"), text.index("12") + 1, -1, *range(text.index("多余"), text.index("多余") + 2)]))
    first = art.body[0].src
    assert text[first[-1]] == "。" and text.count("\n", 0, first[-1]) + 1 == 7   # line 7: the joined second line


def test_every_run_of_the_flagship_knows_its_source():
    page = compose(ROOT / "content" / "dangqi-linghang" / "page.yaml")
    runs = [it for it in page.layout.items if isinstance(it, TextRun)]
    located = [r for r in runs if r.src]
    assert {r.role for r in located} >= {"body", "headline", "kicker", "caption", "credit", "rubric"}
    assert len(located) > 0.9 * len(runs)
    files, made = {}, set()
    for r in located:
        text = files.setdefault(r.file, Path(r.file).read_text(encoding="utf-8"))
        assert len(r.src) == len(r.text)
        shown = _shown(text, r.src)
        assert all(s == t or s == "\0" for s, t in zip(shown, r.text)), (r.file, r.text)
        made.update(t for s, t in zip(shown, r.text) if s == "\0")
    assert made <= {"第", "版"}          # only the words of a folio are typed nowhere; every other character is
    folio = [r for r in located if r.role == "header" and "版" in r.text]
    assert folio and _shown(files[folio[0].file], folio[0].src) == "\x005\x00"     # page.yaml's `folio: 5`


def test_lists_and_tables_on_a_page_know_their_source(tmp_path):
    import shutil
    folder = shutil.copytree(ROOT / "content" / "dangqi-linghang", tmp_path / "page")
    article = folder / "articles" / "huimin.md"
    front = article.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    text = front + ("\n---\n\n短段落。\n\n- 第一项**加粗**文字\n- 第二项\n\n"
                    "| 项目 | 数量 |\n|---|---|\n| 走访 | 12 |\n")
    article.write_text(text, encoding="utf-8")
    page = compose(folder / "page.yaml")
    runs = [it for it in page.layout.items if isinstance(it, TextRun) and it.block == "grid-work"]
    for role in ("item", "table"):
        mine = [r for r in runs if r.role == role and r.text != "·"]
        assert mine and all(r.src and r.file == str(article) for r in mine), role
        for r in mine:
            assert _shown(text, r.src) == r.text
    bullets = [r for r in runs if r.role == "item" and r.text == "·"]      # drawn for `- `: at the `-`
    assert len(bullets) == 2 and all(len(r.src) == 1 and text[r.src[0]] == "-" for r in bullets)


def test_jump_lines_and_folios_follow_their_spec_through_the_memos(tmp_path):
    """A jump line's number carries the offsets of the folio it names in the other page's spec; a line
    added above that folio moves them on the next rebuild (the block memo keys on them), as it moves
    the header's own folio; a vertical headline's cells carry their characters' offsets."""
    import shutil
    from layout.session import Session
    folder = shutil.copytree(ROOT / "content" / "example-edition", tmp_path / "edition")
    session = Session(folder / "edition.yaml", tmp_path / "e.pdf")

    def folio_offsets() -> tuple:
        session.rebuild({str(folder / "page-2.yaml")})
        jump = [it for it in session.pages[0].layout.items if isinstance(it, TextRun) and it.role == "jump"
                and "6" in it.text]
        head = [it for it in session.pages[1].layout.items if isinstance(it, TextRun) and it.role == "header"
                and "版" in it.text]
        assert len(jump) == 1 and len(head) == 1 and jump[0].file == head[0].file == str(folder / "page-2.yaml")
        return (tuple(o for o, ch in zip(jump[0].src, jump[0].text) if ch == "6"),
                tuple(o for o, ch in zip(head[0].src, head[0].text) if ch == "6"))
    spec = folder / "page-2.yaml"
    text = spec.read_text(encoding="utf-8")
    first = folio_offsets()
    assert first[0] == first[1] == (text.index("folio: 6") + len("folio: "),)
    spec.write_text("# a comment added above\n" + text, encoding="utf-8")
    assert folio_offsets() == ((first[0][0] + len("# a comment added above\n"),),) * 2


def test_a_vertical_headline_knows_its_source():
    page = compose(ROOT / "tests" / "fixtures" / "pages" / "vertical" / "page.yaml")
    cells = [it for it in page.layout.items if isinstance(it, TextRun) and it.role in ("headline", "kicker")]
    assert cells and all(it.src and len(it.src) == len(it.text) for it in cells)
    text = Path(cells[0].file).read_text(encoding="utf-8")
    assert "".join(_shown(text, it.src) for it in cells if it.role == "headline") == "“四圈共建”聚合力，12件实事惠民生"
    assert "".join(_shown(text, it.src) for it in cells if it.role == "kicker") == "基层治理·2024"

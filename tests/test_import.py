"""Issue 15.3: `layout import` makes a page folder from the plain text of a whole page."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from layout.cli import main
from layout.content import FRONT, PLAN_KEYS, load_article
from layout.rawimport import parse_raw
from layout.spec import load_spec

from .conftest import FLAGSHIP, ROOT

SEED = ROOT / "tests" / "fixtures" / "seed-000_d373b1a32c03f690.txt"


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("import") / "page"
    assert main(["import", str(SEED), "-o", str(folder)]) == 0
    return folder


def _text_of(article) -> tuple:
    return tuple(getattr(article, k.name) for k in FRONT.keys if k.name not in PLAN_KEYS) + tuple(article.paragraphs)


def _chars(texts) -> Counter:
    return Counter(ch for t in texts for ch in t if not ch.isspace())


def test_the_seed_is_sorted_into_stories_rubric_caption_and_editors():
    page = parse_raw(SEED.read_text(encoding="utf-8"))
    assert len(page.stories) == 7
    assert [s.rubric for s in page.stories].count("基层实践") == 1
    assert page.section == "党旗领航"
    assert page.credits == "编辑：黄涵琦 田园 美编：马慧茹"
    [(caption, credit, _)] = page.captions
    assert caption.startswith("近日，市公安局") and credit == "■本报记者 杨彩霞 通讯员 王鑫 摄"
    assert page.unplaced == []
    assert all(s.headline and s.byline.startswith("本报讯（") for s in page.stories)


def test_every_character_of_the_seed_is_in_the_output_once(imported):
    spec = load_spec(imported / "page.yaml")
    texts = [spec.page.section, spec.page.credits]
    for path in sorted((imported / "articles").glob("*.md")):
        texts += _text_of(load_article(path))
    unplaced = imported / "unplaced.txt"
    if unplaced.exists():
        texts.append(unplaced.read_text(encoding="utf-8"))
    assert _chars(texts) == _chars([SEED.read_text(encoding="utf-8")])


def test_the_imported_page_rebuilds_the_flagships_text(imported, capsys):
    flagship = load_spec(FLAGSHIP)
    ours = load_spec(imported / "page.yaml")
    assert (ours.page.section, ours.page.credits) == (flagship.page.section, flagship.page.credits)

    def texts(spec):
        names = {b.article or b.caption for b in spec.blocks}
        return sorted(_text_of(load_article(spec.folder / "articles" / f"{n}.md")) for n in names)
    assert texts(ours) == texts(flagship)
    capsys.readouterr()
    assert main(["check", str(imported), "--report", "json", "--strict"]) == 0   # every block fits: all text set
    report = json.loads(capsys.readouterr().out)
    assert {a["status"] for a in report["articles"]} == {"fits"} and len(report["articles"]) == 8


OTHER = """\r
要闻·综合\r
\r
政府工作报告提出今年发展主要预期目标\r
\r
新华社北京3月5日电（记者 王某 李某）今年的政府工作报告提出，要坚持稳中求进工作总基调，推动\r
\r
经济实现质的有效提升和量的合理增长。\r
\r
报告说，过去一年经济社会发展的主要目标任务圆满完成。\r
\r
春耕时节：\r
\r
田间地头备耕忙！\r
\r
农技人员走村入户送服务\r
\r
本报记者 张三 赵四\r
\r
连日来，各地抓住有利时机开展春耕生产，田间地头一派繁忙景象。\r
\r
图为农民在田间播种。\r
\r
（张三 摄）\r
\r
第3版 广告\r
\r
责任编辑：周某\r
"""


def test_another_papers_export_is_read_by_the_same_rules(tmp_path, capsys):
    raw = tmp_path / "other.txt"
    raw.write_bytes(OTHER.encode("utf-8"))
    page = parse_raw(raw.read_text(encoding="utf-8"))
    first, second = page.stories
    assert page.section == "要闻·综合" and first.headline == "政府工作报告提出今年发展主要预期目标"
    assert page.captions == [("图为农民在田间播种。", "（张三 摄）", 1)]
    assert first.byline == "新华社北京3月5日电（记者 王某 李某）"
    assert first.paragraphs[0].endswith("推动经济实现质的有效提升和量的合理增长。")     # a column-end break joined
    assert (second.kicker, second.headline, second.subhead) == ("春耕时节：", "田间地头备耕忙！", "农技人员走村入户送服务")
    assert second.byline == "本报记者 张三 赵四"
    assert page.credits == "责任编辑：周某"
    assert main(["import", str(raw), "-o", str(tmp_path / "page")]) == 0
    err = capsys.readouterr().err
    kept = (tmp_path / "page" / "unplaced.txt").read_text(encoding="utf-8")
    assert "第3版 广告" in kept and "could not place" in err and "unplaced.txt" in err


def test_import_refuses_a_text_without_stories_and_a_full_folder(tmp_path, capsys):
    raw = tmp_path / "raw.txt"
    raw.write_text("只有一行字。\n", encoding="utf-8")
    assert main(["import", str(raw), "-o", str(tmp_path / "out")]) == 2
    assert "no story found" in capsys.readouterr().err
    assert main(["import", str(SEED), "-o", str(tmp_path)]) == 2
    assert "not empty" in capsys.readouterr().err
    raw.write_bytes("第一行。\n第二行".encode("utf-8") + "字".encode("gbk") + b"\n")
    assert main(["import", str(raw), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.startswith(f"error: {raw}:2:4: not UTF-8")

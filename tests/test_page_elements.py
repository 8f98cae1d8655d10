"""Page elements a designer places every day (issue 15, item 5): jump headlines over continuations,
tint boxes behind stories, advertisements placed as delivered."""
from __future__ import annotations

from pathlib import Path

from layout.content import Article
from layout.display import TextRun
from layout.place.story import jump_headline_text

from .conftest import ROOT

EDITION = ROOT / "content" / "example-edition"


def test_jump_headline_is_given_or_derived_from_the_headline():
    art = Article("a", Path("a.md"), headline="社区食堂开进老街巷：一碗热饭暖人心")
    assert jump_headline_text(art) == "社区食堂开进老街巷"          # the first phrase, four characters or more
    assert jump_headline_text(Article("a", Path("a.md"), headline="武川县：凝聚群团活力")) == "武川县：凝聚群团活力"
    assert jump_headline_text(Article("a", Path("a.md"), headline="长标题", jump_headline="接题")) == "接题"


def test_a_continuation_carries_its_jump_headline_above_the_jump_line():
    from layout.edition import compose_edition, load_edition
    pages = compose_edition(load_edition(EDITION / "edition.yaml"))
    runs = [r for r in pages[1].layout.items if isinstance(r, TextRun) and r.block == "lead-continued"]
    jump_heads = [r for r in runs if r.role == "jump_headline"]
    assert "".join(r.text for r in jump_heads).replace(" ", "") == "武川县：凝聚群团活力激发党员动力"
    jump_line = next(r for r in runs if r.role == "jump")
    assert max(r.y for r in jump_heads) < jump_line.y
    assert not any(r.role == "headline" for r in runs)        # the heading itself is not repeated
    first = [r for r in pages[0].layout.items if isinstance(r, TextRun) and r.block == "lead"]
    assert not any(r.role == "jump_headline" for r in first)

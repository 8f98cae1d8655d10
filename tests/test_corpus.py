"""Real Chinese text through the flagship layout: every corpus passage set, audited, and read back.

Each file of tests/corpus/ (see tests/corpus/SOURCES.md for where each passage comes from and its
licence) is poured into a copy of the 党旗领航 page: the paragraphs of the seven body articles are
replaced by the corpus paragraphs, dealt out in order (each article's first paragraph runs in after
its byline, as on the real page). Front matter stays as it was. The page is built once per corpus
file; the composition audit must find nothing, and the text the PDF shows for each block must be
exactly the start of the article, what the report calls overflow being the rest.
"""
from __future__ import annotations

import functools
import io
import re
from pathlib import Path

import pytest
from PIL import Image

from layout.build import build
from layout.content import count_chars, load_article
from layout.grid import make_grid
from layout.spec import load_spec

from .audit import align, article_source, audit, body_lines


def without_added_hyphens(lines, source) -> str:
    """The text of set lines without the hyphens the composer added at line ends (not the writer's)."""
    idx = align(lines, source)
    if idx is None:
        return "".join(line.text for line in lines)
    return "".join(g.ch for line, ix in zip(lines, idx) for g, p in zip(line.glyphs, ix) if p is not None)

CORPUS = Path(__file__).resolve().parent / "corpus"
FILES = sorted(p.name for p in CORPUS.glob("*.txt"))

#: corpus files the audit fails because of a composer bug: file -> (the bug, patterns of the audit lines
#: it causes). Such a test is an xfail(strict=True): when the bug is fixed it passes and so fails loudly;
#: any audit line the patterns do not explain fails it outright, as does a read-back error.
KNOWN_BUGS: dict = {}


class AuditProblems(AssertionError):
    """The audit found only problems that a known composer bug explains."""


def corpus_paragraphs(name: str) -> list:
    text = (CORPUS / name).read_text(encoding="utf-8")
    paras = [re.sub(r"\s*\n\s*", "", p).strip() for p in re.split(r"\n\s*\n", text)]
    return [p for p in paras if p]


def split_front(text: str) -> str:
    """The front matter block of an article file, `---` lines included."""
    m = re.match(r"---\n.*?\n---\n", text, re.S)
    return m.group(0) if m else ""


def pour(page: Path, paragraphs: list) -> dict:
    """Replace the body of each article block's file with the next corpus paragraphs; {article id: its paragraphs}.

    The corpus is dealt out in order in seven near-equal runs; with fewer than seven paragraphs it
    starts over, so that every article has text."""
    spec = load_spec(page / "page.yaml")
    names = [block.article for block in spec.blocks if block.article]
    seq = [paragraphs[i % len(paragraphs)] for i in range(max(len(paragraphs), len(names)))]
    base, extra = divmod(len(seq), len(names))
    poured, k = {}, 0
    for n, name in enumerate(names):
        take = base + (1 if n < extra else 0)
        mine, k = seq[k:k + take], k + take
        path = page / "articles" / f"{name}.md"
        path.write_text(split_front(path.read_text(encoding="utf-8")) + "\n" + "\n\n".join(mine) + "\n",
                        encoding="utf-8")
        poured[name] = mine
    return poured


def lighter_photo(page: Path, ppi: float = 150.0) -> None:
    """Scale the photo down to about `ppi` in its frame: its pixels do not matter here, and the
    colour conversion of the full-size photo would be most of each build's time. The frame is the
    block's; the crop assumed here is the tallest possible frame, so the real one holds at least `ppi`."""
    spec = load_spec(page / "page.yaml")
    grid = make_grid(spec)
    for block in spec.blocks:
        if block.photo:
            path = page / block.photo
            frame = (grid.span(block.cols), block.lines * grid.leading)
            path.write_bytes(_scaled(path.read_bytes(), frame, ppi))


@functools.lru_cache(maxsize=4)
def _scaled(data: bytes, frame: tuple, ppi: float) -> bytes:
    with Image.open(io.BytesIO(data)) as im:
        w, h = im.size
        crop_w = min(w, h * frame[0] / frame[1])
        scale = ppi * frame[0] / 72.0 / crop_w
        if scale >= 1.0:
            return data
        out = io.BytesIO()
        im.resize((round(w * scale), round(h * scale)), Image.LANCZOS).save(out, format=im.format, quality=90)
        return out.getvalue()


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def params():
    out = []
    for name in FILES:
        marks = [pytest.mark.xfail(strict=True, raises=AuditProblems, reason=KNOWN_BUGS[name][0])] \
            if name in KNOWN_BUGS else []
        out.append(pytest.param(name, marks=marks, id=name[:-4]))
    return out


def test_the_corpus_is_there():
    assert 6 <= len(FILES) <= 10, FILES
    for name in FILES:
        n = sum(count_chars(p) for p in corpus_paragraphs(name))
        assert 400 <= n <= 900, (name, n)
    assert (CORPUS / "SOURCES.md").exists()
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    for name in FILES:
        assert name in sources, f"{name} is not credited in SOURCES.md"


#: GB/T 15834—2011 marks that are characters (着重号 and 专名号 are drawn under the text), plus 「」『』
GBT15834 = set("。？！，、；：“”‘’（）〔〕【】［］–～·《》〈〉/「」『』")
#: the number, unit and address forms the corpus must hold somewhere
FORMS = {
    "Latin word": r"[A-Za-z]{4,}",
    "year": r"\d{4}年",
    "long grouped number": r"\d{1,3}(,\d{3}){2,}",
    "decimal with grouping": r"\d,\d{3}\.\d+",
    "11+ digit number": r"\d{11,}",
    "percentage": r"\d%",
    "per mille": r"\d‰",
    "degrees Celsius": r"\d℃",
    "yuan amount": r"¥\d",
    "dollar amount": r"\$\d",
    "date": r"\d{1,2}月\d{1,2}日",
    "time": r"\d{1,2}:\d{2}",
    "URL": r"https?://\S+",
    "e-mail": r"[\w.-]+@[\w-]+\.[\w.]+",
}


def test_the_corpus_covers_the_marks_and_forms():
    text = "\n".join(p for name in FILES for p in corpus_paragraphs(name))
    assert GBT15834 - set(text) == set()
    assert "——" in text and "……" in text
    missing = [what for what, pattern in FORMS.items() if not re.search(pattern, text)]
    assert missing == []


@pytest.mark.parametrize("name", params())
def test_corpus_passage_sets_cleanly(name, page_copy, tmp_path):
    paragraphs = corpus_paragraphs(name)
    poured = pour(page_copy, paragraphs)
    lighter_photo(page_copy)
    spec_path = page_copy / "page.yaml"
    pdf = tmp_path / f"{name}.pdf"
    report = build(spec_path, pdf)
    assert report.missing_glyphs == (), report.missing_glyphs

    # every set line comes back out of the PDF: what each block shows is the start of its article,
    # and what it shows plus what the report calls overflow is the whole article
    lines = body_lines(pdf, spec_path)
    spec = load_spec(spec_path)
    fits = {a.block: a for a in report.articles}
    seen = []
    for block in spec.blocks:
        if not block.article:
            continue
        art = load_article(page_copy / "articles" / f"{block.article}.md")
        assert list(art.paragraphs) == poured[block.article]
        whole = squash(art.byline) + "".join(squash(p) for p in art.paragraphs)
        shown = without_added_hyphens(lines[block.id], article_source(spec, block))
        fit = fits[block.id]
        assert whole.startswith(shown), f"{block.id}: the PDF shows text that is not the article's start"
        assert len(shown) + fit.overflow_chars == fit.chars == len(whole), \
            (block.id, len(shown), fit.overflow_chars, fit.chars, len(whole))
        seen.append(shown)
    # and every corpus paragraph was set whole somewhere on the page
    for para in paragraphs:
        assert any(squash(para) in shown for shown in seen), f"never set whole: {para[:30]}…"

    # the composition rules
    problems = audit(pdf, spec_path)
    bug, patterns = KNOWN_BUGS.get(name, ("", ()))
    unexplained = [p for p in problems if not any(re.search(pat, p) for pat in patterns)]
    assert unexplained == [], "\n".join(unexplained)
    if problems:
        raise AuditProblems("\n".join(problems))

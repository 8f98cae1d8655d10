"""Issue 15.1: the JSON Schema and the loaders accept and refuse the same files.

The schema is made from the loaders' key tables (layout/keys.py); these tests hold it to them: every example
in content/ and tests/ passes both, and each wrong file below is refused by both. A few checks need more
than one value or the outside world (LOADER_ONLY): the schema cannot say them, the loader refuses them.
"""
from __future__ import annotations

import datetime
import json
from pathlib import Path

import jsonschema
import pytest

from layout.content import load_article, _split_front_matter
from layout.edition import load_edition
from layout.fonts import FontError, _parse_catalog
from layout.schema import KINDS, schema, schema_text, shipped_path
from layout.spec import load_spec
from layout.yamlsrc import SourceError, load_yaml

from .conftest import FLAGSHIP, ROOT

VALIDATORS = {kind: jsonschema.Draft7Validator(schema(kind)) for kind in KINDS}
EXAMPLES = sorted([ROOT / "fonts" / "fonts.yaml"] + [p for top in ("content", "tests") for p in (ROOT / top).rglob("*.yaml")
                                                     if "_failures" not in p.parts])
ARTICLES = sorted(p for top in ("content", "tests") for p in (ROOT / top).rglob("*.md")
                  if "articles" in p.parts)


def kind_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.name == "fonts.yaml":
        return "fonts"
    return "edition" if any(line.startswith("pages:") for line in text.splitlines()) else "page"


def plain(value):
    """The YAML value as an editor's schema checker sees it (a date is text in YAML 1.2)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def schema_accepts(kind: str, path: Path, text: str) -> bool:
    if kind == "article":
        front, _, _ = _split_front_matter(text, path)
        data = load_yaml(front, path) if front is not None else None
        data = {} if data is None else data
    else:
        data = load_yaml(text, path)
    errors = list(VALIDATORS[kind].iter_errors(plain(data)))
    return not errors


def loader_accepts(kind: str, path: Path) -> bool:
    try:
        {"page": load_spec, "edition": load_edition, "fonts": _parse_catalog, "article": load_article}[kind](path)
    except (SourceError, FontError):
        return False
    return True


def test_the_shipped_schemas_are_the_generated_ones():
    for kind in KINDS:
        assert shipped_path(kind).read_text(encoding="utf-8") == schema_text(kind), \
            f"{shipped_path(kind)} is stale: run `layout schema --write`"
        jsonschema.Draft7Validator.check_schema(json.loads(schema_text(kind)))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_example_yaml_passes_schema_and_loader_and_names_its_schema(path):
    kind = kind_of(path)
    text = path.read_text(encoding="utf-8")
    assert schema_accepts(kind, path, text) and loader_accepts(kind, path)
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema="), f"{path}: no schema line at the top"
    assert (path.parent / first.split("=", 1)[1]).resolve() == shipped_path(kind).resolve()


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_example_article_front_matter_passes_both(path):
    text = path.read_text(encoding="utf-8")
    assert schema_accepts("article", path, text) and loader_accepts("article", path)


# ------------------------------------------------------------------------------------ wrong (and right) files
FLAG = FLAGSHIP.read_text(encoding="utf-8")
EDITION = (ROOT / "content" / "example-edition" / "edition.yaml").read_text(encoding="utf-8")
FONTS = (ROOT / "fonts" / "fonts.yaml").read_text(encoding="utf-8")
ARTICLE = "---\nrubric: 基层实践\nkicker: 引题\nheadline: 标题\nsubhead: 副题\nbyline: 本报记者 某某\n---\n\n正文。\n"


def edited(base: str, old: str, new: str) -> str:
    assert old in base, old
    return base.replace(old, new, 1)


P = lambda old, new: ("page", edited(FLAG, old, new))          # noqa: E731
CASES = {   # id: (kind, text, accepted)
    "page-flagship": ("page", FLAG, True),
    "page-columns-float-whole": (*P("  columns: 8", "  columns: 8.0"), True),
    "page-date-as-date": (*P("date: 2023年11月30日 星期四", "date: 2023-11-30"), True),
    "page-size-auto": (*P("size: [3, 41]", "size: [3, auto]"), True),
    "page-pdfx-written-long": (*P("  bleed: 3mm", "  bleed: 3mm\n  pdfx: PDF/X-1a"), True),
    "page-empty-value-is-default": (*P("  columns: 8", "  columns:"), True),
    "page-unknown-top-key": (*P("blocks:", "blocs:"), False),
    "page-unknown-block-key": (*P("    headline_size: 34pt", "    headline_sise: 34pt"), False),
    "page-unknown-style": (*P("  headline: {font: hei", "  headlin: {font: hei"), False),
    "page-unknown-style-key": (*P("headline: {font: hei, size: 26pt}", "headline: {font: hei, sise: 26pt}"), False),
    "page-columns-word": (*P("  columns: 8", "  columns: eight"), False),
    "page-columns-zero": (*P("  columns: 8", "  columns: 0"), False),
    "page-columns-fraction": (*P("  columns: 8", "  columns: 7.5"), False),
    "page-gutter-negative": (*P("gutter: 1em", "gutter: -1mm"), False),
    "page-bleed-without-unit": (*P("bleed: 3mm", "bleed: 3"), False),
    "page-unknown-unit": (*P("size: 9pt, leading", "size: 9px, leading"), False),
    "page-body-size-zero": (*P("size: 9pt, leading", "size: 0pt, leading"), False),
    "page-em-in-trim": (*P("trim: [390mm, 545mm]", "trim: [390em, 545mm]"), False),
    "page-trim-one-value": (*P("trim: [390mm, 545mm]", "trim: [390mm]"), False),
    "page-trim-zero": (*P("trim: [390mm, 545mm]", "trim: [0mm, 545mm]"), False),
    "page-margins-not-a-mapping": (*P("margins: {top: 20mm, bottom: 18mm, inner: 18mm, outer: 18mm}",
                                      "margins: 18mm"), False),
    "page-page-not-a-mapping": (*P("page:", "page: [1]\nxpage:"), False),
    "page-pdfx-unknown": (*P("  bleed: 3mm", "  bleed: 3mm\n  pdfx: x3"), False),
    "page-pdfx4-without-icc": (*P("  bleed: 3mm", "  bleed: 3mm\n  pdfx: PDF/X-4"), False),
    "page-marks-word": (*P("  bleed: 3mm", "  bleed: 3mm\n  marks: maybe"), False),
    "page-ink-limit-too-high": (*P("  bleed: 3mm", "  bleed: 3mm\n  ink_limit: 500"), False),
    "page-colour-three-values": (*P("color: [0, 100, 100, 10]}", "color: [0, 100, 100]}"), False),
    "page-colour-over-100": (*P("color: [0, 100, 100, 10]}", "color: [0, 100, 120, 10]}"), False),
    "page-font-family-number": (*P("song: Noto Serif CJK SC", "song: 5"), False),
    "page-paper-boolean": (*P("  paper: 呼和浩特日报", "  paper: true"), False),
    "page-at-one-value": (*P("at: [1, 1]", "at: [1]"), False),
    "page-at-zero": (*P("at: [1, 1]", "at: [0, 1]"), False),
    "page-size-zero": (*P("size: [3, 41]", "size: [0, 41]"), False),
    "page-size-word": (*P("size: [3, 41]", "size: [3, many]"), False),
    "page-block-without-at": (*P("    at: [1, 1]\n", ""), False),
    "page-block-without-id": (*P("  - id: lead                  # 头条: lead story beside the photo\n    article",
                                 "  - article"), False),
    "page-block-id-blank": (*P("id: lead", "id: ' '"), False),
    "page-block-article-and-photo": (*P("article: wuchuan", "article: wuchuan\n    photo: images/x.jpg"), False),
    "page-block-neither": (*P("    article: wuchuan\n", ""), False),
    "page-block-article-empty": (*P("article: wuchuan", "article:"), False),
    "page-no-blocks": ("page", FLAG.split("blocks:")[0] + "blocks: []\n", False),
    "page-photo-absolute": (*P("images/party-day.jpg", "/etc/passwd"), False),
    "page-article-dot-dot": (*P("article: wuchuan", "article: ../../outside"), False),
    "page-headline-size-one-of-range": (*P("headline_size: 34pt", "headline_size: [34pt]"), False),
    "page-headline-size-zero": (*P("headline_size: 34pt", "headline_size: 0pt"), False),
    "page-head-lines-negative": (*P("head_lines: 10", "head_lines: -1"), False),
    "edition-example": ("edition", EDITION, True),
    "edition-unknown-key": ("edition", EDITION + "title: x\n", False),
    "edition-no-pages": ("edition", "name: x\npages: []\n", False),
    "edition-page-number": ("edition", "name: x\npages: [5]\n", False),
    "edition-pages-missing": ("edition", "name: x\n", False),
    "fonts-project": ("fonts", FONTS, True),
    "fonts-unknown-key": ("fonts", FONTS + "fallbacks: []\n", False),
    "fonts-index-as-text": ("fonts", edited(FONTS, "index: 2}", "index: '2'}"), False),
    "fonts-file-number": ("fonts", edited(FONTS, "{file: DejaVuSans.ttf}", "{file: 5}"), False),
    "fonts-search-path-number": ("fonts", edited(FONTS, "search_paths: [.,", "search_paths: [5,"), False),
    "fonts-empty-fallback": ("fonts", FONTS.split("\nfallback:")[0] + "\nfallback:\n", True),
    "fonts-empty-search-paths": ("fonts", "search_paths:\n" + FONTS.split("local/share/fonts]", 1)[1], True),
    "fonts-family-without-file": ("fonts", edited(FONTS, "{file: LXGWWenKai-Bold.ttf}", "{index: 0}"), False),
    "fonts-index-negative": ("fonts", edited(FONTS, "{file: NotoSerifCJK-Bold.ttc, index: 2}",
                                             "{file: NotoSerifCJK-Bold.ttc, index: -2}"), False),
    "fonts-unknown-family-key": ("fonts", edited(FONTS, "{file: DejaVuSans.ttf}", "{fil: DejaVuSans.ttf}"), False),
    "fonts-fallback-not-a-list": ("fonts", edited(FONTS, "fallback: [", "fallback: Noto\nx: ["), False),
    "article-full": ("article", ARTICLE, True),
    "article-no-front-matter": ("article", "正文。\n", True),
    "article-number-headline": ("article", ARTICLE.replace("headline: 标题", "headline: 2024"), True),
    "article-unknown-key": ("article", ARTICLE.replace("headline:", "headlin:"), False),
    "article-headline-list": ("article", ARTICLE.replace("headline: 标题", "headline: [标, 题]"), False),
    "article-headline-boolean": ("article", ARTICLE.replace("headline: 标题", "headline: yes"), False),
    "article-headline-mapping": ("article", ARTICLE.replace("headline: 标题", "headline: {a: 1}"), False),
}
NAMES = {"page": "page.yaml", "edition": "edition.yaml", "fonts": "fonts.yaml", "article": "articles/story.md"}


def _write(tmp_path: Path, kind: str, text: str) -> Path:
    path = tmp_path / NAMES[kind]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if kind == "edition":
        for page in ("page-1.yaml", "page-2.yaml"):
            (tmp_path / page).write_text(FLAG, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", list(CASES))
def test_schema_and_loader_agree(tmp_path, case):
    kind, text, accepted = CASES[case]
    path = _write(tmp_path, kind, text)
    assert (schema_accepts(kind, path, text), loader_accepts(kind, path)) == (accepted, accepted)


LOADER_ONLY = {   # what the schema cannot say: several values, or the outside world
    "margins-leave-no-type-area": P("margins: {top: 20mm", "margins: {top: 530mm"),
    "rich-black-text": P("color: [0, 100, 100, 10]}", "color: [50, 40, 40, 100]}"),
    "unknown-font-role": P("headline: {font: hei,", "headline: {font: heii,"),
    "unknown-font-family": P("song: Noto Serif CJK SC", "song: Noto Serif CJK SX"),
    "duplicate-block-id": P("id: police", "id: lead"),
    "headline-range-reversed": P("headline_size: 34pt", "headline_size: [40pt, 20pt]"),
    "trim-beyond-a-pdf-page": P("trim: [390mm, 545mm]", "trim: [390000mm, 545mm]"),
    "leading-below-size": P("size: 9pt, leading: 13.5pt", "size: 9pt, leading: 8pt"),
    # the project's catalog needs families; a page's fonts.yaml, merged over it, may only change the fallback
    "fonts-without-families": ("fonts", "search_paths: [.]\n"),
}


@pytest.mark.parametrize("case", list(LOADER_ONLY))
def test_checks_only_the_loader_can_make(tmp_path, case):
    kind, text = LOADER_ONLY[case]
    path = _write(tmp_path, kind, text)
    assert schema_accepts(kind, path, text) and not loader_accepts(kind, path)


def test_layout_schema_prints_each_kind(capsys):
    from layout.cli import main
    for kind in KINDS:
        assert main(["schema", kind]) == 0
        printed = json.loads(capsys.readouterr().out)
        assert printed == schema(kind) and printed["properties"]
    assert set(schema("page")["properties"]["blocks"]["items"]["properties"]) >= {"id", "article", "at", "size"}

"""Fuzzing (issue 7): random edits of the flagship spec and random Unicode in its articles never end in a
traceback, and whatever text is set comes back out of the PDF unchanged.

Kept fast: a few examples per property, composed in-process with build(..., write=False); only a handful
are rendered to PDF. LAYOUT_FUZZ_EXAMPLES=500 explores more (the counts below scale with it).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from layout.build import BuildError, build, compose, write_atomic, write_pdf
from layout.grid import make_grid

from .conftest import FLAGSHIP

SCALE = int(os.environ.get("LAYOUT_FUZZ_EXAMPLES", "0"))
# A developer's run explores new examples every time; CI (CI=true) replays a fixed seed, so that a
# landing never depends on the luck of the draw (run locally, or raise LAYOUT_FUZZ_EXAMPLES, to explore).
FUZZ = dict(deadline=None, database=None, derandomize=bool(os.environ.get("CI")),
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
ONE_LINE_ERROR = re.compile(r"^[^\n]+:\d+:\d+: [^\n]+$")
ARTICLE, BLOCK = "wuchuan", "lead"         # the article the text fuzz writes into, and its (largest) block


def _examples(default: int) -> int:
    return SCALE or default


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """A copy of the flagship page with a small, smooth photo (150 ppi in its frame; renders fast)."""
    from PIL import Image
    dest = tmp_path_factory.mktemp("fuzz") / "dangqi-linghang"
    shutil.copytree(FLAGSHIP.parent, dest)
    Image.linear_gradient("L").resize((1300, 1200)).convert("RGB").save(dest / "images" / "party-day.jpg",
                                                                        quality=80)
    return dest


@pytest.fixture(scope="module")
def light(page, tmp_path_factory):
    """The same page with every other article cut to its first paragraph: composes in a fraction of the time."""
    from layout.content import load_article
    dest = tmp_path_factory.mktemp("fuzz-light") / "dangqi-linghang"
    shutil.copytree(page, dest)
    for path in (dest / "articles").glob("*.md"):
        article = load_article(path)
        front = path.read_text(encoding="utf-8").split("\n---\n", 1)[0] + "\n---\n\n"
        path.write_text(front + (article.paragraphs[0] if article.paragraphs else "") + "\n", encoding="utf-8")
    return dest


def _assert_one_line_error(err: BuildError) -> None:
    message = str(err)
    assert ONE_LINE_ERROR.match(message), message
    assert "Traceback" not in message


# ----------------------------------------------------------------------------------- random spec edits

SPEC_LINES = FLAGSHIP.read_text(encoding="utf-8").splitlines()
#: values a designer (or a cat on the keyboard) might type
VALUES = ["", "0", "-1", "1", "8", "99999", "1e9", "0pt", "-3mm", "9pt", "9", "2em", "0.01pt", "5000mm",
          "9999999mm", "abc", "党旗", "[1, 1]", "[0, 0]", "[8, 98]", "[9, 1]", "[1, 2, 3]", "[]", "{}", "{a: 1}",
          "null", "~", "true", "no", "2023-13-45", "!!python/object/apply:os.system [true]", "&a [*a]", "*a",
          "'", '"', "[", "{", ": :", "- x", "\t", "[-5, 3]", "[1.5, 2]", "[0, 100, 100]", "[0, 0, 0, 101]",
          "../outside", "/etc/passwd", "images/nothing.jpg", "articles/x", "song", "hei", "kai", "Emoji Sans",
          ".nan", ".inf", "-.inf", "0x10", "1_000", "12:30", "1.5", "100in", "1q", "3h", "0em", "9 pt", '"a\\nb"',
          '"\\e[31m"', "!!int '8\\n9'", "!!binary aGk=", "2023-11-30", "|\n  x"]
INSERTS = ["  columns: 3", "  at: [1, 1]", "  size: [1, 1]", "    head_lines: 40", "    columns: 9",
           "    headline_size: 400pt", "  - id: extra", "    article: wuchuan", "    photo: images/party-day.jpg",
           "x: 1", "  header_lines: 0", "  footer_lines: 0", "  header_lines: 500", "  gutter: 40mm",
           "  body: {font: song, size: 60pt, leading: 60pt}", "  bleed: 0mm", "  bleed: 400mm",
           "  margins: {top: 260mm, bottom: 260mm}", "  song: DejaVu Sans", "  headline: {size: 0.5pt}",
           "  headline: {font: song, size: 300pt, leading: 1pt}", "  - id: lead", "---", "...", "%YAML 1.1",
           "  rubric: {color: [0, 0, 0, 0]}", "blocks: []", "blocks:", "  trim: [1mm, 1mm]", '  "colu\\nmns": 8',
           "  caption: wuchuan", "    caption: ../x"]


def _value_edit(line: str, value: str) -> str:
    """Replace the value after the line's first `key:` (or the whole item of a `- ` line)."""
    m = re.match(r"^(\s*(?:- )?[A-Za-z_]+:)\s*(.*?)(\s+#.*)?$", line)
    return f"{m.group(1)} {value}" if m else value


EDIT = st.one_of(
    st.tuples(st.just("value"), st.integers(0, len(SPEC_LINES) - 1),
              st.one_of(st.sampled_from(VALUES), st.text(max_size=8))),
    st.tuples(st.just("delete"), st.integers(0, len(SPEC_LINES) - 1), st.none()),
    st.tuples(st.just("duplicate"), st.integers(0, len(SPEC_LINES) - 1), st.none()),
    st.tuples(st.just("insert"), st.integers(0, len(SPEC_LINES)), st.sampled_from(INSERTS)),
    st.tuples(st.just("char"), st.integers(0, len(SPEC_LINES) - 1), st.tuples(st.integers(0, 60), st.characters())),
)


def _apply(edits) -> str:
    lines = list(SPEC_LINES)
    for kind, i, arg in edits:
        i = min(i, len(lines) - 1) if kind != "insert" else min(i, len(lines))
        if not lines:
            break
        if kind == "value":
            lines[i] = _value_edit(lines[i], arg)
        elif kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "insert":
            lines.insert(i, arg)
        else:
            col, ch = arg
            lines[i] = lines[i][:col] + ch + lines[i][col:]
    return "\n".join(lines) + "\n"


@settings(max_examples=_examples(20), **FUZZ)
@given(edits=st.lists(EDIT, min_size=1, max_size=3))
def test_random_spec_edits_give_a_page_or_one_line_error(page, tmp_path, edits):
    spec = page / "fuzzed.yaml"     # beside page.yaml, which the other properties use as it is
    spec.write_text(_apply(edits), encoding="utf-8")
    try:
        report = build(spec, tmp_path / "never-written.pdf", write=False)
    except BuildError as err:
        _assert_one_line_error(err)
        return
    for a in report.articles:
        assert a.status in ("fits", "overflow", "underfull")
        assert a.overflow_chars >= 0 and a.empty_lines >= 0
        assert (a.status == "overflow") == (a.overflow_chars > 0 or a.overflow_lines > 0)
    assert not (tmp_path / "never-written.pdf").exists()


# ----------------------------------------------------------------------------------- random text

def _chars(lo: int, hi: int):
    return st.characters(min_codepoint=lo, max_codepoint=hi, exclude_categories=("Cs",))


LEFT_TO_RIGHT = [
    _chars(0x4E00, 0x9FFF),                     # common Han
    _chars(0x3000, 0x303F), _chars(0xFF01, 0xFF5E),   # CJK punctuation, full-width forms
    _chars(0x20, 0x7E),                         # ASCII
    _chars(0x20000, 0x3134F),                   # astral-plane Han (Ext B … G)
    _chars(0x0300, 0x036F),                     # combining marks
    _chars(0x1F300, 0x1FAFF),                   # emoji
    _chars(0xE000, 0xF8FF),                     # private use
    st.sampled_from(["\ufeff", "\u200b", "\u200d", "\u202e", "\u2028", "\u3000", "\xa0", "\ufe0f", "\n", "\n\n",
                     " ", "\t", "\r\n", "𬕂", "——", "……"]),
]
RIGHT_TO_LEFT = [_chars(0x0590, 0x05FF), _chars(0x0600, 0x06FF)]    # Hebrew, Arabic
CONTROLS = [_chars(0x00, 0x1F), _chars(0x7F, 0x9F)]                 # C0, DEL, C1
TEXT = st.lists(st.one_of(*LEFT_TO_RIGHT, *RIGHT_TO_LEFT, *CONTROLS), min_size=1, max_size=40).map("".join)
SETTABLE = st.lists(st.one_of(*LEFT_TO_RIGHT), min_size=1, max_size=40).map("".join)
RTL = ("R", "AL", "AN")


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" and ch not in "\n\t\r"


def _visible(text: str) -> str:
    """What a reader compares: no whitespace, none of the invisible marks the article loader drops."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "\ufeff\u200b\u2060\u00ad")


#: Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt)
IGNORABLE = ((0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
             (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
             (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
             (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF))


def _ignorable(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf" or any(lo <= ord(ch) <= hi for lo, hi in IGNORABLE)


def _readable(text: str) -> str:
    """What a PDF reader can give back: the visible characters, less three artefacts of pdfium's extraction.

    pdfium leaves out invisible characters (format characters and other default ignorables: U+200D,
    U+202E, U+034F …; the PDF maps their glyphs correctly), and it drops zero-width glyphs drawn at the
    origin of another (its overlap filter), which is what the second and later combining marks on one
    base are, marks not being stacked: only the first mark of each cluster is compared. (The fuzzer found
    U+0316 U+0332 read back as U+0316 by pdfium while pdftotext reads both from the same PDF.)
    Third, pdfium reports a hyphen that ends a line as U+0002, its mark of a word broken at the line's
    end (the fuzzer found 一- read back as 一\x02, while pdftotext reads 一- from the same PDF): U+0002 is
    read as the hyphen-minus it stands for."""
    out, in_cluster = [], False
    for ch in _visible(text.replace("\x02", "-")):
        if _ignorable(ch):
            continue
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me"):
            if in_cluster:
                continue
            in_cluster = True
        else:
            in_cluster = False
        out.append(ch)
    return "".join(out)


def _write_article(folder: Path, body: str, headline: str) -> None:
    # the headline goes through YAML as a JSON string (a valid double-quoted scalar)
    text = f"---\nheadline: {json.dumps(headline, ensure_ascii=False)}\n---\n\n{body}\n"
    (folder / "articles" / f"{ARTICLE}.md").write_text(text, encoding="utf-8")


#: roles of what a story body draws: text lines, and the Markdown subset's crossheads, list items, tables, quotes
BODY_ROLES = ("body", "crosshead", "item", "table", "quote")


def _body_runs(composed) -> list:
    return [it for it in composed.layout.items
            if getattr(it, "block", None) == BLOCK and getattr(it, "role", None) in BODY_ROLES]


def _shown(body: str):
    """What the body shows once its Markdown subset is read (markers of the subset are not printed), and
    whether it holds a table (whose cells are set row by row, line by line, not in source order)."""
    from layout.content import _INVISIBLE
    from layout.markup import TABLE, parse_body
    paras, _ = parse_body(body.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE))
    return "".join(p.text for p in paras), any(p.kind == TABLE for p in paras)


def _set_or_reported(composed, body: str) -> str:
    """Check that every visible character of `body` is set (in order) or reported missing; return what is set."""
    result = next(r for r in composed.results if r.block == BLOCK)
    assert result.flowed.status != "overflow", "the fuzz text is short enough to fit its block"
    missing = {ch for ch, _ in result.missing}
    runs = _body_runs(composed)
    set_text = _visible("".join(r.text for r in runs))
    # byline is gone (the fuzz article has none): the set text is the body, less what no font has
    shown, table = _shown(body)
    expected = "".join(ch for ch in _visible(shown) if ch not in missing)
    if table:
        assert sorted(set_text) == sorted(expected)
    else:
        assert set_text == expected
    return set_text


@settings(max_examples=_examples(40), **FUZZ)
@given(body=TEXT, headline=TEXT)
def test_random_text_is_set_or_reported_never_a_traceback(light, body, headline):
    page = light
    _write_article(page, body, headline)
    # a CR in the body is a line break (CRLF files); in the YAML headline it arrives as an escaped "\r"
    controls = [ch for ch in body if _is_control(ch)] + [ch for ch in headline if _is_control(ch) or ch == "\r"]
    try:
        composed = compose(page / "page.yaml")
    except BuildError as err:
        _assert_one_line_error(err)
        assert controls and "control character" in str(err), str(err)
        return
    assert not controls, f"control characters {controls!r} were accepted"
    _set_or_reported(composed, body)


def _extract_block_text(pdf: Path, composed) -> str:
    """The text pdfium finds inside the body area of the fuzzed block."""
    import pypdfium2 as pdfium
    runs = _body_runs(composed)
    grid = make_grid(composed.spec)
    block = next(b for b in composed.spec.blocks if b.id == BLOCK)
    lay = composed.layout
    o, height = lay.bleed + getattr(lay, "slug", 0.0), lay.height
    top = min(r.y - r.size for r in runs)
    bottom = max(r.y + r.size * 0.3 for r in runs)
    left, right = grid.col_x(block.col) - 1, grid.col_x(block.col) + grid.span(block.cols) + 1
    # select characters by their origin on the baseline, not by their ink box: a combining mark with no
    # base (a zero-width box, or ink below the line) is still set there
    import ctypes

    import pypdfium2.raw as raw
    doc = pdfium.PdfDocument(str(pdf))
    try:
        tp = doc[0].get_textpage()
        x, y, out = ctypes.c_double(), ctypes.c_double(), []
        for i in range(tp.count_chars()):
            code = raw.FPDFText_GetUnicode(tp.raw, i)
            if not code or raw.FPDFText_IsGenerated(tp.raw, i):
                continue
            raw.FPDFText_GetCharOrigin(tp.raw, i, ctypes.byref(x), ctypes.byref(y))
            if o + left <= x.value <= o + right and o + height - bottom <= y.value <= o + height - top:
                out.append(chr(code))
        # pdfium counts UTF-16 code units: join surrogate pairs back into characters
        return "".join(out).encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    finally:
        doc.close()


@settings(max_examples=_examples(8), **FUZZ)
@given(body=SETTABLE)
@example(body="一-")                    # a hyphen at a line's end, which pdfium reports as U+0002
def test_text_set_is_extracted_from_the_pdf_unchanged(light, tmp_path, body):
    # Right-to-left scripts are left out here: the composer sets them left to right without bidi
    # reordering, so a PDF reader reads them back reversed (see test_right_to_left_text_round_trips).
    assume(not any(unicodedata.bidirectional(ch) in RTL for ch in body))
    _round_trip(light, tmp_path, body)


def _round_trip(page: Path, tmp_path: Path, body: str) -> None:
    _write_article(page, body, "随机")
    composed = compose(page / "page.yaml")
    set_text = _set_or_reported(composed, body)
    if not set_text:
        return
    out = tmp_path / "fuzz.pdf"
    write_atomic(out, lambda tmp: write_pdf(composed, tmp))
    assert _readable(_extract_block_text(out, composed)) == _readable(set_text)


@pytest.mark.xfail(strict=True, reason="layout/text sets right-to-left runs left to right (no bidi reordering, "
                                      "no Arabic shaping): the PDF shows them mirrored and reads back reversed")
def test_right_to_left_text_round_trips(light, tmp_path):
    _round_trip(light, tmp_path, "中文 שלום עולם 中文")


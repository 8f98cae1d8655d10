"""Issue 7: bad input never crashes the tool and never loses work.

Every case runs the command line in-process (`layout build SPEC -o OUT`) over a copy of the flagship page,
with an earlier PDF already at OUT. An invalid input must exit 2 with exactly one line on stderr,
`error: FILE:LINE:COL: what is wrong and how to fix it`, print nothing on stdout, and leave the earlier
PDF byte for byte as it was (no temporary file left beside it either). A few inputs are not errors by
design (SPEC.md): an empty or a 100,000-character article builds and is reported (underfull, overflow with
the exact count), characters no font has build and are listed in missing_glyphs (--strict: exit 1), and
byte-order marks are dropped.
"""
from __future__ import annotations

import ast
import errno
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

import layout.build
import layout.fonts
from layout.cli import main

from .conftest import ROOT

EARLIER = b"%PDF-1.7\n% an earlier good build of this page, which no failed build may touch\n" + bytes(range(256))
ERROR_LINE = re.compile(r"^error: (?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<what>.+)$")
ARTICLE = "huimin"             # the article most cases spoil (block `grid-work`)


@pytest.fixture(scope="module")
def photo(tmp_path_factory) -> Path:
    """A smooth 1300 × 1200 photo: over 150 ppi in the flagship frame, and quick to convert and embed."""
    from PIL import Image
    path = tmp_path_factory.mktemp("photo") / "party-day.jpg"
    Image.linear_gradient("L").resize((1300, 1200)).convert("RGB").save(path, quality=80)
    return path


@pytest.fixture()
def page(page_copy, photo) -> Path:
    shutil.copyfile(photo, page_copy / "images" / "party-day.jpg")
    return page_copy


@pytest.fixture()
def out(tmp_path) -> Path:
    """The output path, holding an earlier good PDF."""
    path = tmp_path / "output" / "page.pdf"
    path.parent.mkdir()
    path.write_bytes(EARLIER)
    return path


# ------------------------------------------------------------------------------------------ helpers

def run(capsys, page: Path, out: Path, *extra: str, spec: Path | None = None) -> tuple:
    code = main(["build", str(spec or page / "page.yaml"), "-o", str(out), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def untouched(out: Path) -> None:
    assert out.read_bytes() == EARLIER, "the earlier PDF was changed"
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name], "a temporary file was left behind"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def position(path: Path, marker: str, offset: int = 0) -> tuple:
    """(line, column), 1-based, of the first `marker` in the file, `offset` characters on."""
    text = path.read_bytes().decode("utf-8", "replace")
    i = text.index(marker) + offset
    return text.count("\n", 0, i) + 1, i - text.rfind("\n", 0, i)


def spoil_article(page: Path, body: str = "", front: str = "headline: 测试\n", raw: bytes | None = None) -> Path:
    path = page / "articles" / f"{ARTICLE}.md"
    path.write_bytes(raw if raw is not None else f"---\n{front}---\n\n{body}\n".encode("utf-8"))
    return path


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width × height pixels (8-bit RGB) and carries almost no data: a decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


# ------------------------------------------------------------------------------------------ the battery

@dataclass
class Case:
    """Spoil the page; the error must name `file` (relative to the page) at the `marker`'s position."""
    id: str
    spoil: Callable[[Path], None]
    file: str
    marker: str | tuple | None      # text in `file` (or (text, offset)); a (line, col) pair; None: 1:1
    says: tuple                     # phrases the message must contain


def _spec(old, new):
    return lambda page: edit(page / "page.yaml", old, new)


def _article(**kw):
    return lambda page: spoil_article(page, **kw)


def _replace_with_link(rel: str, target: str):
    def spoil(page):
        (page / rel).unlink()
        os.symlink(target, page / rel)
    return spoil


def _outside_file(rel: str):
    def spoil(page):
        outside = page.parent / "outside" / Path(rel).name
        outside.parent.mkdir(exist_ok=True)
        shutil.copyfile(page / rel, outside)
        _replace_with_link(rel, str(outside))(page)
    return spoil


def _photo_bytes(data: bytes):
    return lambda page: (page / "images" / "party-day.jpg").write_bytes(data)


def _truncated_jpeg(page):
    path = page / "images" / "party-day.jpg"
    path.write_bytes(path.read_bytes()[:3000])


CASES = [
    # YAML syntax
    Case("yaml-unclosed-list", _spec("  columns: 8", "  columns: [8"), "page.yaml", ("  gutter:", 8),
         ("YAML syntax", "expected ',' or ']'", "check indentation")),
    Case("yaml-tab-indent", _spec("  columns: 8", "\tcolumns: 8"), "page.yaml", "\tcolumns", ("not tabs",)),
    Case("yaml-duplicate-key", _spec("  columns: 8", "  columns: 8\n  columns: 6"), "page.yaml", ("  columns: 6", 2),
         ("`columns` appears twice", "keep one")),
    Case("yaml-control-character", _spec("section: 党旗领航", "section: 党旗\x07领航"), "page.yaml", "\x07",
         ("U+0007", "delete it")),
    Case("yaml-escaped-control", _spec("section: 党旗领航", 'section: "党旗\\a领航"'), "page.yaml", '"党旗',
         ("`section` holds the control character U+0007", "delete it")),
    Case("yaml-recursive-alias", _spec("  paper: 呼和浩特日报", "  paper: &p [*p]"), "page.yaml", "&p",
         ("refers back to its own anchor", "remove the loop")),
    Case("yaml-nested-too-deeply", _spec("  paper: 呼和浩特日报", "  paper: " + "[" * 500 + "]" * 500),
         "page.yaml", None, ("nested too deeply",)),
    Case("yaml-impossible-date", _spec("  paper: 呼和浩特日报", "  paper: 2023-13-45"), "page.yaml", "2023-13-45",
         ("cannot read `2023-13-45`", "quote it")),
    Case("spec-not-utf8", lambda page: (page / "page.yaml").write_bytes((page / "page.yaml").read_bytes().replace(
        "呼和浩特日报".encode(), "呼和浩特日报".encode("gbk"), 1)), "page.yaml", ("  paper: ", 9),
         ("not UTF-8 (byte 0xBA)", "save the file as UTF-8")),
    Case("spec-empty", lambda page: (page / "page.yaml").write_text(""), "page.yaml", None,
         ("a page spec is a mapping",)),
    # unknown keys
    Case("unknown-top-key", _spec("blocks:", "blocs:"), "page.yaml", "blocs:", ("did you mean `blocks`?",)),
    Case("unknown-block-key", _spec("    headline_size: 34pt", "    headline_sise: 34pt"), "page.yaml",
         "headline_sise", ("unknown key `headline_sise` in a block", "did you mean `headline_size`?")),
    Case("unknown-style-key", _spec("headline: {font: hei, size: 26pt}", "headline: {font: hei, sise: 26pt}"),
         "page.yaml", "sise", ("did you mean `size`?",)),
    Case("unknown-key-with-escapes", _spec("  columns: 8", '  "colu\\nmns\\e[31m": 8'), "page.yaml", '"colu',
         ("unknown key `colu\\nmns\\x1b[31m` in grid", "did you mean `columns`?")),   # still one line, no ANSI
    Case("unknown-front-matter-key", _article(front="headlin: 标题\n", body="正文。"), f"articles/{ARTICLE}.md",
         "headlin", ("did you mean `headline`?",)),
    # wrong types and units
    Case("columns-not-a-number", _spec("  columns: 8", "  columns: eight"), "page.yaml", "eight",
         ("`columns` must be a whole number",)),
    Case("unknown-unit", _spec("size: 9pt, leading", "size: 9px, leading"), "page.yaml", "9px",
         ("unknown unit 'px'", "use pt, mm")),
    Case("length-without-unit", _spec("bleed: 3mm", "bleed: 3"), "page.yaml", ("bleed: 3", 7),
         ("needs a unit", "3mm")),
    Case("em-in-trim", _spec("trim: [390mm, 545mm]", "trim: [390em, 545mm]"), "page.yaml", "390em",
         ("em is not allowed here",)),
    Case("trim-beyond-pdf", _spec("trim: [390mm, 545mm]", "trim: [390000mm, 545mm]"), "page.yaml", "[390000mm",
         ("larger than a PDF page", "check the unit")),
    Case("at-not-a-pair", _spec("at: [1, 1]", "at: [1]"), "page.yaml", "[1]\n", ("two whole numbers",)),
    Case("colour-not-cmyk", _spec("color: [0, 100, 100, 10]}", "color: [0, 100, 100]}"), "page.yaml",
         "[0, 100, 100]}", ("CMYK in percent",)),
    Case("unknown-font-role", _spec("headline: {font: hei,", "headline: {font: heii,"), "page.yaml", "heii",
         ("unknown font role `heii`", "did you mean `hei`?")),
    Case("unknown-font-family", _spec("song: Noto Serif CJK SC", "song: Noto Serif CJK SX"), "page.yaml",
         "Noto Serif CJK SX", ("no family `Noto Serif CJK SX`", "did you mean `Noto Serif CJK SC`?")),
    # zero, negative and impossible sizes
    Case("block-size-zero", _spec("size: [3, 41]", "size: [0, 41]"), "page.yaml", "[0, 41]", ("at least 1",)),
    Case("block-size-negative", _spec("size: [3, 41]", "size: [3, -41]"), "page.yaml", "[3, -41]",
         ("at least 1",)),
    Case("gutter-negative", _spec("gutter: 1em", "gutter: -1mm"), "page.yaml", "-1mm", ("greater than zero",)),
    Case("body-size-zero", _spec("size: 9pt, leading", "size: 0pt, leading"), "page.yaml", "0pt, leading",
         ("greater than zero",)),
    Case("margins-fill-the-page", _spec("margins: {top: 20mm", "margins: {top: 530mm"), "page.yaml",
         ("  trim:", 2), ("margins leave no type area",)),
    # the grid
    Case("block-outside-columns", _spec("at: [4, 1]\n    size: [5, 41]", "at: [5, 1]\n    size: [5, 41]"),
         "page.yaml", "id: photo", ("spans columns 5–9 but the grid has 8", "reduce `size` or move `at`")),
    Case("block-below-the-page", _spec("size: [4, 23]", "size: [4, 90]"), "page.yaml", "id: community",
         ("but the page has", "body lines")),
    Case("blocks-overlap", _spec("at: [4, 1]", "at: [3, 1]"), "page.yaml", "id: photo",
         ("overlaps block `lead` at column 3, line 1", "move one of them")),
    # files that are missing or not what they claim
    Case("missing-article", _spec("article: wuchuan", "article: wuchaun"), "page.yaml", "wuchaun",
         ("article file", "wuchaun.md not found", "fix the name")),
    Case("missing-image", _spec("images/party-day.jpg", "images/party-day.jpeg"), "page.yaml", "images/",
         ("image file not found", "check the `photo:` path")),
    Case("article-not-utf8", _article(raw="---\nheadline: 标题\n---\n\n正文。\n".encode("gbk")),
         f"articles/{ARTICLE}.md", ("headline: ", 10), ("not UTF-8 (byte 0xB1)", "save the file as UTF-8")),
    Case("article-is-a-folder", lambda page: ((page / "articles" / f"{ARTICLE}.md").unlink(),
                                              (page / "articles" / f"{ARTICLE}.md").mkdir()),
         f"articles/{ARTICLE}.md", None, ("cannot read article",)),
    Case("front-matter-never-closed", _article(raw="---\nheadline: 标题\n\n正文。\n".encode()),
         f"articles/{ARTICLE}.md", None, ("never closed", "add a `---` line")),
    Case("front-matter-bad-yaml", _article(front="headline: [标题\nbyline: 某\n", body="正文。"),
         f"articles/{ARTICLE}.md", ("byline", 6), ("YAML syntax",)),
    Case("corrupt-image", _photo_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4), "page.yaml",
         "images/", ("cannot read image", "re-export it as JPEG or PNG")),
    Case("truncated-image", _truncated_jpeg, "page.yaml", "images/", ("cannot read image", "truncated")),
    Case("image-is-text", _photo_bytes(b"<html>not a photo</html>\n"), "page.yaml", "images/",
         ("cannot read image",)),
    Case("image-decompression-bomb", _photo_bytes(png_header_only(30_000, 30_000)), "page.yaml", "images/",
         ("too large", "below 80 megapixels")),
    # control characters in text (BOMs are dropped: see test_byte_order_marks_and_crlf_are_harmless)
    Case("control-character-in-body", _article(body="第一段。\n\n第二\x07段。"), f"articles/{ARTICLE}.md",
         "\x07", ("control character U+0007", "delete it")),
    Case("nul-in-body", _article(body="正文\x00。"), f"articles/{ARTICLE}.md", "\x00", ("U+0000",)),
    Case("c1-control-in-body", _article(body="正文\x85。"), f"articles/{ARTICLE}.md", "\x85", ("U+0085",)),
    Case("escape-sequence-in-headline", _article(front="headline: 标题\x1b[31m红\n"), f"articles/{ARTICLE}.md",
         "\x1b", ("U+001B",)),
    # paths outside the page folder
    Case("photo-absolute-path", _spec("images/party-day.jpg", "/etc/passwd"), "page.yaml", "/etc/passwd",
         ("must name a file inside the page folder",)),
    Case("photo-dot-dot", _spec("images/party-day.jpg", "../../secret.jpg"), "page.yaml", "../../secret.jpg",
         ("inside the page folder",)),
    Case("article-dot-dot", _spec("article: wuchuan", "article: ../../outside"), "page.yaml", "../../outside",
         ("inside the page folder", "articles/wuchuan.md")),
    Case("article-links-outside", _outside_file(f"articles/{ARTICLE}.md"), "page.yaml", (f"article: {ARTICLE}", 9),
         ("is a link to", "outside the page folder", "copy the file into the page folder")),
    Case("photo-links-outside", _outside_file("images/party-day.jpg"), "page.yaml", "images/",
         ("outside the page folder",)),
    Case("article-symlink-loop", _replace_with_link(f"articles/{ARTICLE}.md", f"{ARTICLE}.md"), "page.yaml",
         (f"article: {ARTICLE}", 9), ("symbolic link loops", "replace the link with the file")),
    Case("photo-symlink-loop", _replace_with_link("images/party-day.jpg", "party-day.jpg"), "page.yaml", "images/",
         ("symbolic link loops",)),
]


def _expected_at(page: Path, case: Case) -> tuple:
    if case.marker is None:
        return 1, 1
    marker, offset = case.marker if isinstance(case.marker, tuple) else (case.marker, 0)
    return position(page / case.file, marker, offset)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_one_line_exit_2_and_the_earlier_pdf_survives(capsys, page, out, case):
    case.spoil(page)
    expected = _expected_at(page, case)
    code, stdout, stderr = run(capsys, page, out)
    assert code == 2, stderr
    assert stdout == ""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    m = ERROR_LINE.match(lines[0])
    assert m, lines[0]
    assert Path(m["file"]) == page / case.file, lines[0]
    assert (int(m["line"]), int(m["col"])) == expected, lines[0]
    for phrase in case.says:
        assert phrase in m["what"], lines[0]
    untouched(out)


def test_the_battery_is_broad():
    assert len(CASES) >= 25


def test_missing_spec_file(capsys, tmp_path, out):
    spec = tmp_path / "no-such-page" / "page.yaml"
    code, stdout, stderr = run(capsys, tmp_path, out, spec=spec)
    assert (code, stdout) == (2, "")
    assert stderr == f"error: {spec}:1:1: spec file not found; give the path of a page.yaml\n"
    untouched(out)


def test_yaml_tags_never_construct_objects(capsys, page, out, tmp_path):
    marker = tmp_path / "pwned"
    edit(page / "page.yaml", "  columns: 8", f"  columns: !!python/object/apply:os.system [\"touch {marker}\"]")
    code, _, stderr = run(capsys, page, out)
    assert code == 2 and not marker.exists()
    line, col = position(page / "page.yaml", "!!python")
    assert stderr.startswith(f"error: {page / 'page.yaml'}:{line}:{col}: YAML: the tag `!!python/object/apply:")
    assert "is not allowed" in stderr and len(stderr.splitlines()) == 1
    untouched(out)


# ------------------------------------------------------------------------------------------ fonts

@pytest.fixture()
def catalog(tmp_path, monkeypatch) -> Path:
    """A copy of fonts/fonts.yaml with a family whose file is missing and one whose file is junk."""
    text = (ROOT / "fonts" / "fonts.yaml").read_text(encoding="utf-8")
    text = text.replace("search_paths: [.,", f"search_paths: [{ROOT / 'fonts'},", 1)
    junk = tmp_path / "Junk-Regular.ttf"
    junk.write_bytes(b"this is no font, only a file called .ttf\n" * 40)
    text = text.replace("families:\n", "families:\n  Missing Kai: {file: NoSuchKai-Regular.ttf}\n"
                                       f"  Junk Kai: {{file: {junk}}}\n", 1)
    path = tmp_path / "fonts.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(layout.fonts.catalog, "DEFAULT_CATALOG", path)
    return path


@pytest.mark.parametrize("family, says", [
    ("Missing Kai", "font file 'NoSuchKai-Regular.ttf' for 'Missing Kai' not found"),
    ("Junk Kai", "Junk-Regular.ttf")])
def test_a_font_file_missing_or_broken_is_an_error_in_the_catalog(capsys, page, out, catalog, family, says):
    edit(page / "page.yaml", "kai: LXGW WenKai", f"kai: {family}")
    code, stdout, stderr = run(capsys, page, out)
    assert (code, stdout) == (2, ""), stderr
    m = ERROR_LINE.match(stderr.rstrip("\n"))
    assert m and len(stderr.splitlines()) == 1, stderr
    assert Path(m["file"]).resolve() == catalog.resolve()
    assert (int(m["line"]), int(m["col"])) == position(catalog, f"{family}: {{file: ", len(family) + 9)
    assert says in m["what"]
    untouched(out)


# ------------------------------------------------------------------------------------------ the output

def test_output_folder_that_cannot_be_made(capsys, page, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"not a folder")
    target = blocker / "page.pdf"
    code, stdout, stderr = run(capsys, page, target)
    assert (code, stdout) == (2, "")
    assert re.fullmatch(rf"error: {re.escape(str(target))}:1:1: cannot write here \(.+\); choose another -o path\n",
                        stderr), stderr
    assert blocker.read_bytes() == b"not a folder"


def test_read_only_output_folder(capsys, page, out, monkeypatch):
    """A folder the user may not write to. Root writes anywhere, so where the suite runs as root (CI)
    the operating system's refusal is simulated at the one call that creates the file."""
    if os.geteuid() == 0:
        real_open = os.open

        def refuse(path, flags, *args, **kwargs):     # the exclusive create of the temporary PDF
            if flags & os.O_EXCL and Path(path).parent == out.parent:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, flags, *args, **kwargs)
        monkeypatch.setattr(os, "open", refuse)
    else:
        out.parent.chmod(0o555)
    try:
        code, stdout, stderr = run(capsys, page, out)
    finally:
        out.parent.chmod(0o755)
    assert (code, stdout) == (2, "")
    assert stderr == f"error: {out}:1:1: cannot write here (Permission denied); choose another -o path\n"
    untouched(out)


def test_output_path_that_is_a_folder(capsys, page, tmp_path):
    folder = tmp_path / "out.pdf"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    code, stdout, stderr = run(capsys, page, folder)
    assert (code, stdout) == (2, ""), stderr
    assert re.fullmatch(rf"error: {re.escape(str(folder))}:1:1: cannot write the PDF \(.+\); .+\n", stderr), stderr
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]   # no temporary file left
    assert (folder / "keep.txt").read_text() == "mine"


def test_output_that_is_not_a_pdf_is_never_overwritten(capsys, page):
    article = page / "articles" / f"{ARTICLE}.md"
    before = article.read_bytes()
    code, _, stderr = run(capsys, page, article)
    assert code == 2
    assert stderr == f"error: {article}:1:1: the output is a PDF: give -o a name ending in .pdf\n"
    assert article.read_bytes() == before
    # a file named .pdf that is not one (a misnamed spec, say) is not overwritten either
    fake = page / "notes.pdf"
    fake.write_text("not a pdf", encoding="utf-8")
    code, _, stderr = run(capsys, page, fake)
    assert code == 2
    assert stderr == f"error: {fake}:1:1: this file is not a PDF and would be overwritten; choose another -o path\n"
    assert fake.read_text(encoding="utf-8") == "not a pdf"


def test_disk_full_while_writing_keeps_the_earlier_pdf(capsys, page, out, monkeypatch):
    def full(page_, path):
        path.write_bytes(b"%PDF-1.7\n half a file")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
    monkeypatch.setattr(layout.build, "write_pdf", full)
    code, stdout, stderr = run(capsys, page, out)
    assert (code, stdout) == (2, "")
    assert stderr == f"error: {out}:1:1: cannot write the PDF (No space left on device); free some space or " \
                     f"choose another -o path\n"
    untouched(out)


def test_a_bug_is_an_internal_error_not_invalid_input(capsys, page, out, monkeypatch):
    def bug(page_, path):
        raise ZeroDivisionError("division by zero")
    monkeypatch.setattr(layout.build, "write_pdf", bug)
    code, stdout, stderr = run(capsys, page, out)
    assert (code, stdout) == (70, "")
    assert len(stderr.splitlines()) == 1 and stderr.startswith("internal error: ZeroDivisionError: division by zero")
    assert "please report it" in stderr and "Traceback" not in stderr
    untouched(out)


# ------------------------------------------------------------------------------------------ not errors, by design

def _report(stdout: str) -> dict:
    return json.loads(stdout)


def _article_report(report: dict) -> dict:
    return next(a for a in report["articles"] if a["id"] == ARTICLE)


def test_empty_article_builds_and_is_reported_underfull(capsys, page, out):
    spoil_article(page, raw=b"")
    code, stdout, stderr = run(capsys, page, out, "--report", "json", "--strict")
    assert code == 0, stderr                      # underfull is not a --strict failure (SPEC.md)
    art = _article_report(_report(stdout))
    assert (art["status"], art["chars"], art["overflow_chars"]) == ("underfull", 0, 0)
    assert art["empty_lines"] == art["lines_per_column"] * art["columns"] > 0
    assert out.read_bytes().startswith(b"%PDF-") and out.read_bytes() != EARLIER


def test_huge_article_builds_and_reports_the_exact_overflow(capsys, page, out):
    import pypdfium2 as pdfium
    mark = "龘"                                   # appears nowhere else on the page
    spoil_article(page, body="\n\n".join([mark * 1000] * 100))
    code, stdout, stderr = run(capsys, page, out, "--report", "json", "--strict")
    assert code == 1                              # built, but --strict found the overflow
    art = _article_report(_report(stdout))
    assert art["chars"] == 100_000 and art["status"] == "overflow"
    doc = pdfium.PdfDocument(str(out))
    try:
        text = doc[0].get_textpage().get_text_range()
    finally:
        doc.close()
    set_chars = text.count(mark)
    assert 0 < set_chars < 100_000
    assert art["overflow_chars"] == 100_000 - set_chars
    assert f"overflows by {art['overflow_chars']} characters" in stderr  # also on stderr, never silent


def test_characters_no_font_has_build_and_are_reported(capsys, page, out):
    body = "私用区\ue000，表情\U0001FAE8，生僻\U00030000字。"
    spoil_article(page, body=body)
    code, stdout, stderr = run(capsys, page, out, "--report", "json")
    assert code == 0, stderr
    missing = {(m["char"], m["codepoint"], m["article"]) for m in _report(stdout)["missing_glyphs"]}
    assert missing == {("\ue000", "U+E000", ARTICLE), ("\U0001FAE8", "U+1FAE8", ARTICLE),
                       ("\U00030000", "U+30000", ARTICLE)}
    built = out.read_bytes()
    assert built.startswith(b"%PDF-") and built != EARLIER
    code, _, stderr = run(capsys, page, out, "--strict")
    assert code == 1
    assert "missing glyph: \U00030000 U+30000" in stderr


def test_byte_order_marks_and_crlf_are_harmless(capsys, page, out):
    spec = page / "page.yaml"
    spec.write_bytes(b"\xef\xbb\xbf" + spec.read_bytes().replace(b"\n", b"\r\n"))
    spoil_article(page, raw="\ufeff---\r\nheadline: 标题\r\n---\r\n\r\n\ufeff正文\ufeff。\r\n".encode("utf-8"))
    code, stdout, stderr = run(capsys, page, out, "--report", "json")
    assert code == 0, stderr
    art = _article_report(_report(stdout))
    assert art["chars"] == 3                      # 正文。: the marks are dropped, not set or counted


# ------------------------------------------------------------------------------------------ Ctrl-C

#: in the child, the stage to be interrupted announces itself and then waits, so that the signal always
#: lands inside it however fast the machine is (a timed guess lets a quick build finish first)
_STAGE = {
    "composing": ("layout.document", "place_page"),
    "writing": ("layout.build", "write_pdf"),     # called with the temporary file already created
}


def _interrupt(page: Path, out: Path, when: str) -> subprocess.CompletedProcess:
    """Run `layout build` in a child, send SIGINT while it is composing or writing, wait for it."""
    module, name = _STAGE[when]
    code = ("import sys, time, importlib; import layout.cli as c\n"
            f"m = importlib.import_module({module!r}); real = getattr(m, {name!r})\n"
            "def stage(*a, **k):\n"
            "    print('stage', flush=True); time.sleep(30); return real(*a, **k)\n"
            f"setattr(m, {name!r}, stage)\n"
            "print('ready', flush=True)\n"
            f"sys.exit(c.main(['build', {str(page / 'page.yaml')!r}, '-o', {str(out)!r}]))")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    first = proc.stdout.readline()
    assert first == "ready\n", first + proc.communicate()[1]
    second = proc.stdout.readline()
    assert second == "stage\n", second + proc.communicate()[1]
    if when == "writing":
        assert any(p.name.endswith(".tmp") for p in out.parent.iterdir()), "no temporary file while writing"
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


@pytest.mark.parametrize("when", ["composing", "writing"])
def test_ctrl_c_leaves_the_earlier_pdf(page_copy, out, when):
    done = _interrupt(page_copy, out, when)
    assert done.returncode == 130, done.stderr
    assert done.stdout == ""                      # after "ready": no report, nothing written
    assert done.stderr.splitlines()[-1] == "interrupted; nothing written" and "Traceback" not in done.stderr
    untouched(out)


# ------------------------------------------------------------------------------------------ safety

def test_the_engine_has_no_shell_no_network_and_loads_yaml_safely():
    sources = {p: p.read_text(encoding="utf-8") for p in (ROOT / "layout").rglob("*.py")}
    forbidden = [r"shell\s*=\s*True", r"\bos\.system\(", r"\bos\.popen\(", r"\bsubprocess\.[a-z_]+\(\s*['\"]",
                 r"\bimport (socket|urllib|requests|http|ftplib|smtplib)\b", r"\bfrom (socket|urllib|requests|http)\b",
                 r"\byaml\.(unsafe_load|full_load)\b", r"\byaml\.load\([^)]*Loader=yaml\.(Full|Unsafe)?Loader\b",
                 r"\beval\(", r"\bexec\("]
    # the studio's server listens on 127.0.0.1 (a socket it binds itself): the one module allowed to
    listening = {ROOT / "layout" / "studio" / "server.py": r"\bimport (socket|urllib|requests|http|ftplib|smtplib)\b"}
    # layout/startup.py stands in for the exec() inside `dataclasses` (the generated __init__ … of layout's own
    # dataclasses, compiled once and kept): that one call, on the text dataclasses passes, and no other
    generated = {ROOT / "layout" / "startup.py": r"\bexec\("}
    for path, text in sources.items():
        for pattern in forbidden:
            if listening.get(path) == pattern:
                assert re.findall(pattern, text) == ["socket"], f"{path.relative_to(ROOT)}: only socket"
                continue
            if generated.get(path) == pattern:
                calls = [ast.unparse(node) for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Call)
                         and getattr(node.func, "id", getattr(node.func, "attr", None)) in ("exec", "eval")]
                assert calls == ["builtins.exec(source, globals, locals)"], f"{path.relative_to(ROOT)}: {calls}"
                continue
            assert not re.search(pattern, text), f"{path.relative_to(ROOT)}: {pattern}"
        safe = {"yaml.SafeLoader", "yaml.CSafeLoader"} | {  # names bound to a safe loader in this file
            m[1] for m in re.finditer(r"^(\w+) = .*\b(C?SafeLoader)\b", text, re.M)}
        for m in re.finditer(r"\byaml\.(load|compose|load_all|compose_all)\((?P<args>[^\n]*)", text):
            loader = re.search(r"Loader=([\w.]+)", m["args"])
            assert loader and (loader[1] in safe or loader[1] == "_loader_for"), f"{path}: {m[0]}"


def test_the_spec_loader_is_a_safe_loader():
    import yaml

    from layout.yamlsrc import _loader_for
    assert issubclass(_loader_for(Path("page.yaml")), yaml.SafeLoader)


def test_images_over_80_megapixels_are_refused_before_decoding(tmp_path):
    # 9000 × 9000 = 81 Mpx: over this engine's limit, under Pillow's own warning threshold (89 Mpx)
    from layout.images import MAX_PIXELS, ImageProblem, prepare
    assert MAX_PIXELS == 80_000_000
    path = tmp_path / "big.png"
    path.write_bytes(png_header_only(9000, 9000))
    with pytest.raises(ImageProblem, match="80 megapixels"):
        prepare(path, 600.0, 500.0)


def _srgb_profile() -> bytes:
    from PIL import ImageCms
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


@pytest.mark.parametrize("content, says", [
    (_srgb_profile, "not CMYK"),
    (lambda: b"this is a text file, not a profile\n" * 8, "is not an ICC profile"),
], ids=["srgb-profile", "not-a-profile"])
def test_an_output_intent_that_is_not_a_cmyk_output_profile(capsys, page, out, content, says):
    """An sRGB profile (or any file) given as the PDF/X-4 output intent is bad input at the `icc:` line,
    not an internal error when the photo is converted."""
    (page / "plant.icc").write_bytes(content())
    edit(page / "page.yaml", "  bleed: 3mm", "  bleed: 3mm\n  pdfx: x4\n  icc: plant.icc")
    code, stdout, stderr = run(capsys, page, out)
    assert (code, stdout) == (2, ""), stderr
    assert len(stderr.splitlines()) == 1, stderr
    m = ERROR_LINE.match(stderr.splitlines()[0])
    assert m and Path(m["file"]) == page / "page.yaml", stderr
    assert (int(m["line"]), int(m["col"])) == position(page / "page.yaml", "plant.icc"), stderr
    assert says in m["what"], stderr
    untouched(out)

"""The in-process memos a rebuild takes (issue 14: the spec, the photo's digest, the photo stream written
without copies) answer only for what did not change: an edited input is read again, and the PDF of a
rebuild is the PDF of a cold build, byte for byte."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

from PIL import Image

from layout import images, spec
from layout.build import build
from layout.render import parts
from layout.spec import load_spec
from layout.yamlsrc import SourceError

from .conftest import FLAGSHIP


def cold_build(spec_path, out, env=None):
    """The PDF a fresh process writes (no in-process memo of any kind)."""
    subprocess.run([sys.executable, "-m", "layout", "build", str(spec_path), "-o", str(out)], check=True,
                   capture_output=True, env={**os.environ, "LAYOUT_COMPOSE_CACHE": "0", **(env or {})})
    return out.read_bytes()


def page_copy(tmp_path):
    folder = tmp_path / "page"
    shutil.copytree(FLAGSHIP.parent, folder)
    return folder / "page.yaml"


def test_same_spec_bytes_give_the_same_spec_object_and_an_edit_is_read_again(tmp_path):
    path = page_copy(tmp_path)
    first = load_spec(path)
    assert load_spec(path) is first
    path.write_text(path.read_text(encoding="utf-8").replace("folio: 5 ", "folio: 6 "), encoding="utf-8")
    again = load_spec(path)
    assert again is not first and again.page.folio == "6" and first.page.folio == "5"


def test_a_spec_whose_profile_went_away_is_refused_again(tmp_path):
    path = page_copy(tmp_path)
    icc = path.parent / "plant.icc"
    shutil.copy(images.DEFAULT_PROFILE, icc)
    path.write_text(path.read_text(encoding="utf-8").replace("format:\n", "format:\n  icc: plant.icc\n", 1),
                    encoding="utf-8")
    assert load_spec(path).format.icc == icc
    icc.unlink()
    try:
        load_spec(path)
    except SourceError as err:
        assert "ICC profile" in str(err) and "not found" in str(err)
    else:
        raise AssertionError("the memo answered for a spec whose ICC profile is gone")


def test_spec_memo_is_bounded(tmp_path):
    path = page_copy(tmp_path)
    text = path.read_text(encoding="utf-8")
    for i in range(spec.SPEC_MEMO + 5):
        path.write_text(text + f"# {i}\n", encoding="utf-8")
        load_spec(path)
    assert len(spec._SPECS) <= spec.SPEC_MEMO


def test_a_photo_rewritten_with_the_same_size_is_prepared_again(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_PHOTO_CACHE", str(tmp_path / "photos"))
    path = tmp_path / "photo.jpg"
    Image.new("RGB", (400, 300), (200, 30, 30)).save(path, quality=90)
    first = images.prepare(path, 200, 150)
    assert images.prepare(path, 200, 150) is first                  # nothing changed: the memo answers
    size = path.stat().st_size
    Image.new("RGB", (400, 300), (30, 30, 200)).save(path, quality=90)
    assert path.stat().st_size == size                              # same size: only the stamp tells
    second = images.prepare(path, 200, 150)
    assert second is not first and second.jpeg != first.jpeg


def test_spliced_parts_concatenate_as_bytes_do():
    big = bytes(range(256)) * 40
    s = b"1 0 obj\n" + parts.SharedBytes(big).format(None) + b"endstream\n"
    assert isinstance(s, parts.Spliced) and s.parts[1] is big          # the big part is not copied
    assert bytes(s) == b"1 0 obj\n" + big + b"endstream\n" and len(s) == len(bytes(s))
    assert s.endswith(b"\n") and s.endswith(b"endstream\n") and not s.endswith(b"x")
    assert parts.Spliced([b"ab", b"c"]).endswith(b"abc") and not parts.Spliced([]).endswith(b"a")


def test_rebuilds_after_edits_write_the_bytes_of_a_cold_build(tmp_path):
    path = page_copy(tmp_path)
    article = path.parent / "articles" / "wuchuan.md"
    original = article.read_text(encoding="utf-8")
    out = tmp_path / "out.pdf"
    build(path, out)
    for n, text in enumerate((original.rstrip("\n") + "又\n", original, original.rstrip("\n") + "新鲜事\n")):
        article.write_text(text, encoding="utf-8")
        build(path, out)
        assert out.read_bytes() == cold_build(path, tmp_path / f"cold-{n}.pdf"), f"edit {n}"


def test_a_rebuild_redraws_the_edited_block_and_reuses_the_others(tmp_path):
    """An edit with characters the block already uses (no code moves): only the edited block's operators
    are produced again; every other block's are the recorded ones; the file is a cold build's."""
    from layout.render import pdf
    path = page_copy(tmp_path)
    article = path.parent / "articles" / "wuchuan.md"
    out = tmp_path / "out.pdf"
    build(path, out)
    assert "lead" in pdf.SEGMENT_STATS["drawn"] or "lead" in pdf.SEGMENT_STATS["reused"]
    article.write_text(article.read_text(encoding="utf-8").rstrip("\n") + "的\n", encoding="utf-8")
    build(path, out)
    drawn, reused = set(pdf.SEGMENT_STATS["drawn"]), set(pdf.SEGMENT_STATS["reused"])
    assert "lead" in drawn                                             # the edited block, drawn again
    assert {"police", "community", "volunteers", "village", "header"} <= reused - drawn
    assert out.read_bytes() == cold_build(path, tmp_path / "cold.pdf")


def test_a_new_character_moves_the_codes_after_it_and_those_blocks_are_drawn_again(tmp_path):
    """A character the page did not use takes a code before those first used later on the page: the blocks
    after it are drawn again (their recorded operators hold the old codes), and the file is a cold build's."""
    from layout.render import pdf
    path = page_copy(tmp_path)
    article = path.parent / "articles" / "wuchuan.md"
    out = tmp_path / "out.pdf"
    build(path, out)
    article.write_text(article.read_text(encoding="utf-8").rstrip("\n") + "\u9fa0\n", encoding="utf-8")
    build(path, out)
    assert {"lead", "community", "volunteers"} <= set(pdf.SEGMENT_STATS["drawn"])
    assert "header" in pdf.SEGMENT_STATS["reused"]                    # before the edit: codes unchanged
    assert out.read_bytes() == cold_build(path, tmp_path / "cold.pdf")


def test_the_rebuild_memos_stay_bounded_over_many_edits(tmp_path, monkeypatch):
    """A long session of edits (each with a character new to the page, the case that records most) keeps
    each memo within its bound, and the file is still a cold build's."""
    from layout.place import story
    from layout.render import pdf
    monkeypatch.setattr(pdf, "SEGMENT_MEMO", 40)
    monkeypatch.setattr(pdf, "SEGMENT_RECORDINGS", 2)
    monkeypatch.setattr(story, "BLOCK_MEMO", 12)
    monkeypatch.setattr(story, "STORY_MEMO", 6)
    path = page_copy(tmp_path)
    article = path.parent / "articles" / "wuchuan.md"
    original = article.read_text(encoding="utf-8")
    out = tmp_path / "out.pdf"
    for i in range(8):
        article.write_text(original.rstrip("\n") + chr(0x9FA0 + i) + "\n", encoding="utf-8")
        build(path, out)
        assert len(pdf._SEGMENTS) <= 40 and len(story._BLOCKS) <= 12 and len(story._STORIES) <= 6
        assert all(len(seg.recordings) <= 2 for seg in pdf._SEGMENTS.values())
    assert out.read_bytes() == cold_build(path, tmp_path / "cold.pdf")

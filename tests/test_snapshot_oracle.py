"""The snapshot oracles themselves: they fail on a one-glyph change, explain font mismatches, and diff pixels."""
import pytest
from PIL import Image, ImageDraw

from . import snapshot

DUMP = """# layout display list v1
font Noto Serif CJK SC | NotoSerifCJK-Regular.ttc#2 | 26297400 bytes
page 100.00 x 100.00 bleed 0.00
text 10.00 20.00 [Noto Serif CJK SC 9.00] a/body cmyk(0,0,0,1) 如火如荼
"""


@pytest.fixture()
def refs(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "SNAPSHOTS", tmp_path / "refs")
    monkeypatch.setattr(snapshot, "FAILURES", tmp_path / "failures")
    return tmp_path


def test_one_changed_glyph_fails_with_a_diff_image(refs):
    snapshot.check_dump("t", DUMP, update=True)
    page = lambda: Image.new("RGB", (100, 100), "white")  # noqa: E731
    with pytest.raises(pytest.fail.Exception, match="display list of `t` changed") as err:
        snapshot.check_dump("t", DUMP.replace("荼", "茶"), update=False, page_png=page)
    assert "diff.png" in str(err.value)
    diff = Image.open(refs / "failures" / "t-dump" / "diff.png").convert("RGB")
    assert diff.getpixel((10 - 2, 11 - 2)) != (255, 255, 255)      # the changed run is boxed
    assert (refs / "failures" / "t-dump" / "index.html").exists()
    snapshot.check_dump("t", DUMP, update=False)                   # reverting passes


def test_other_fonts_give_a_clear_message_not_a_diff(refs):
    snapshot.check_dump("t", DUMP, update=True)
    other = DUMP.replace("26297400", "26000000").replace("10.00 20.00", "10.10 20.00")
    with pytest.raises(pytest.fail.Exception, match="fonts on this machine are not the ones"):
        snapshot.check_dump("t", other, update=False)


def test_missing_reference_is_a_failure_not_a_silent_pass(refs):
    with pytest.raises(pytest.fail.Exception, match="no reference"):
        snapshot.check_dump("new", DUMP, update=False)


def test_pixels_fail_on_a_small_mark_and_pass_unchanged(refs):
    base = Image.new("L", (60, 40), 255)
    snapshot.check_pixels("p", base, update=True)
    snapshot.check_pixels("p", base.copy(), update=False)
    marked = base.copy()
    ImageDraw.Draw(marked).rectangle([20, 10, 22, 12], fill=0)
    with pytest.raises(pytest.fail.Exception, match="rendering of `p` changed"):
        snapshot.check_pixels("p", marked, update=False)
    assert (refs / "failures" / "p-pixels" / "diff.png").exists()


FLAGSHIP_EDITS = {
    "one character of an article": ("articles/huimin.md", "网格化管理，", "网格化管里，"),
    "the body size": ("page.yaml", "size: 9pt, leading: 13.5pt", "size: 9.2pt, leading: 13.5pt"),
    "a gutter": ("page.yaml", "  gutter: 1em", "  gutter: 1.1em"),
    "a block's position": ("page.yaml", "    at: [5, 76]\n    size: [4, 23]", "    at: [5, 77]\n    size: [4, 22]"),
}


@pytest.mark.parametrize("what", FLAGSHIP_EDITS)
def test_the_flagship_reference_catches_every_kind_of_change(what, page_copy, tmp_path, monkeypatch):
    """Issue 4: a changed character, body size, gutter or block position fails the flagship snapshot
    with a diff image; the unchanged page passes."""
    from layout.build import compose
    from layout.render.dump import dump
    monkeypatch.setattr(snapshot, "FAILURES", tmp_path / "failures")
    name, old, new = FLAGSHIP_EDITS[what]
    path = page_copy / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    page = compose(page_copy / "page.yaml")
    snapshot.check_dump("dangqi-linghang", dump(page.layout, page.faces), update=False)   # unchanged: passes
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    page = compose(page_copy / "page.yaml")
    blank = lambda: Image.new("RGB", (800, 1100), "white")  # noqa: E731
    with pytest.raises(pytest.fail.Exception, match="display list of `dangqi-linghang` changed"):
        snapshot.check_dump("dangqi-linghang", dump(page.layout, page.faces), update=False, page_png=blank,
                            scale=0.5)
    assert (tmp_path / "failures" / "dangqi-linghang-dump" / "diff.png").exists()

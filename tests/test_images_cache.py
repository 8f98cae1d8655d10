"""The on-disk cache of prepared photos (layout/images.py): keys, atomic writes, same bytes as uncached."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from layout import images
from layout.images import ImageProblem, prepare

FRAME = (283.5, 212.6)      # points: a 4:3 frame


@pytest.fixture
def photo_cache(tmp_path, monkeypatch):
    cache = tmp_path / "photos"
    monkeypatch.setenv("LAYOUT_PHOTO_CACHE", str(cache))
    images._MEMO.clear()
    images._INK.clear()
    yield cache
    images._MEMO.clear()
    images._INK.clear()


@pytest.fixture
def photo(tmp_path) -> Path:
    """A small RGB photo with saturated colours (so that the ink limit does some work)."""
    im = Image.linear_gradient("L").resize((640, 480))
    rgb = Image.merge("RGB", (im, im.transpose(Image.Transpose.FLIP_LEFT_RIGHT), Image.new("L", im.size, 30)))
    path = tmp_path / "photo.jpg"
    rgb.save(path, quality=90)
    return path


def entries(cache: Path) -> list:
    return sorted(cache.glob("*.photo"))


def count_work(monkeypatch) -> list:
    """Counts the calls of the uncached preparation (ICC conversion, ink limit, JPEG)."""
    calls = []
    real = images._prepare

    def counting(*args, **kwargs):
        calls.append(args[1:])
        return real(*args, **kwargs)

    monkeypatch.setattr(images, "_prepare", counting)
    return calls


def forget_process_memo():
    images._MEMO.clear()
    images._INK.clear()


def test_second_prepare_comes_from_disk_with_the_same_bytes(photo_cache, photo, monkeypatch):
    calls = count_work(monkeypatch)
    first = prepare(photo, *FRAME)
    assert len(calls) == 1 and len(entries(photo_cache)) == 1
    forget_process_memo()                                 # as a new process would start
    again = prepare(photo, *FRAME)
    assert len(calls) == 1, "a warm prepare redid the ICC conversion and the JPEG"
    assert (again.jpeg, again.ppi, again.mode, again.max_ink) == (first.jpeg, first.ppi, first.mode, first.max_ink)
    assert again.image.mode == "CMYK" and again.image.size == first.image.size   # decoded on demand


def test_cached_result_equals_an_uncached_preparation(photo_cache, photo, monkeypatch):
    prepare(photo, *FRAME)
    forget_process_memo()
    cached = prepare(photo, *FRAME)
    monkeypatch.setenv("LAYOUT_PHOTO_CACHE", "off")
    forget_process_memo()
    fresh = prepare(photo, *FRAME)
    assert fresh.jpeg == cached.jpeg and fresh.max_ink == cached.max_ink and fresh.ppi == cached.ppi


def test_in_process_memo_answers_without_reading_the_cache(photo_cache, photo, monkeypatch):
    prepare(photo, *FRAME)
    monkeypatch.setattr(images, "_read_entry", lambda entry: pytest.fail("read the disk cache again"))
    assert prepare(photo, *FRAME).jpeg


@pytest.mark.parametrize("change", ["source bytes", "frame", "ink limit", "profile", "code version"])
def test_every_input_of_the_result_is_in_the_key(photo_cache, photo, tmp_path, monkeypatch, change):
    calls = count_work(monkeypatch)
    prepare(photo, *FRAME)
    forget_process_memo()
    args, kwargs = [photo, *FRAME], {}
    if change == "source bytes":
        Image.open(photo).rotate(180).save(photo, quality=90)
    elif change == "frame":
        args[1] += 10
    elif change == "ink limit":
        kwargs["ink_limit"] = 220.0
    elif change == "profile":
        profile = tmp_path / "copy.icc"
        profile.write_bytes(images.DEFAULT_PROFILE.read_bytes() + b"\0")   # other bytes, still readable
        kwargs["profile"] = profile
    else:
        monkeypatch.setattr(images, "CACHE_VERSION", images.CACHE_VERSION + 1)
    prepare(*args, **kwargs)
    assert len(calls) == 2, f"a changed {change} was answered from the cache"


def test_entries_are_written_atomically(photo_cache, photo, monkeypatch):
    def no_rename(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(images.os, "replace", no_rename)
    prepared = prepare(photo, *FRAME)            # the photo is still prepared
    assert prepared.jpeg
    assert not entries(photo_cache) and not list(photo_cache.glob("*.tmp")), "a half-written entry was left"


def test_a_damaged_entry_is_prepared_again(photo_cache, photo, monkeypatch):
    prepare(photo, *FRAME)
    entry = entries(photo_cache)[0]
    good = entry.read_bytes()
    entry.write_bytes(good[: len(good) // 2])    # truncated (a crash of an old writer, a full disk …)
    forget_process_memo()
    calls = count_work(monkeypatch)
    again = prepare(photo, *FRAME)
    assert len(calls) == 1 and entry.read_bytes() == good and again.jpeg == good[-len(again.jpeg):]


def test_unwritable_cache_still_prepares(tmp_path, photo, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("LAYOUT_PHOTO_CACHE", str(blocker / "photos"))
    forget_process_memo()
    assert prepare(photo, *FRAME).jpeg


def test_errors_are_not_cached(photo_cache, tmp_path):
    with pytest.raises(ImageProblem, match="not found"):
        prepare(tmp_path / "nothing.jpg", *FRAME)
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"not an image at all")
    with pytest.raises(ImageProblem, match="cannot read image"):
        prepare(junk, *FRAME)
    assert not entries(photo_cache)


def test_known_max_ink_answers_for_the_prepared_jpeg_only(photo_cache, photo):
    prepared = prepare(photo, *FRAME)
    assert images.known_max_ink(prepared.jpeg) == prepared.max_ink
    assert images.known_max_ink(prepared.jpeg + b"\0") is None
    assert prepared.max_ink <= 240.5


def test_prune_removes_the_least_recently_used_first(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(5):
        p = folder / f"{i}.photo"
        p.write_bytes(b"x" * 100)
        os.utime(p, ns=(i * 10**9, i * 10**9))
    images._prune(folder, limit=250)
    assert [p.name for p in entries(folder)] == ["3.photo", "4.photo"]


@pytest.mark.slow
def test_flagship_pdf_is_the_same_from_a_warm_photo_cache(photo_cache, tmp_path, monkeypatch):
    from layout.build import build

    from .conftest import FLAGSHIP
    build(FLAGSHIP, tmp_path / "cold.pdf")            # fills the cache
    forget_process_memo()
    calls = count_work(monkeypatch)
    build(FLAGSHIP, tmp_path / "warm.pdf")
    assert not calls
    monkeypatch.setenv("LAYOUT_PHOTO_CACHE", "off")
    forget_process_memo()
    build(FLAGSHIP, tmp_path / "uncached.pdf")
    assert (tmp_path / "warm.pdf").read_bytes() == (tmp_path / "uncached.pdf").read_bytes() \
        == (tmp_path / "cold.pdf").read_bytes()

"""The on-disk store of composed paragraphs: a later process composes only what changed, with the
same lines and the same faces counted as used; stale, damaged or foreign entries are misses."""
import pytest

from layout.fonts import load_catalog
from layout.measure import FontMetrics
from layout.text import compose as C
from layout.text import store
from layout.text.segment import Span

ROLES = {"body": "Noto Serif CJK SC", "byline": "LXGW WenKai"}
SPANS = (Span("记者从呼和浩特市委组织部获悉，", "byline", 9.0), Span("今年以来全市各级党组织坚持党建引领。", "body", 9.0))


@pytest.fixture()
def store_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(folder))
    C._MEMO.clear()
    yield folder / "compose"
    C._MEMO.clear()


def _fresh_metrics():
    return FontMetrics(load_catalog(), ROLES)


def test_a_new_process_reads_the_composition_back(store_dir, monkeypatch):
    first = _fresh_metrics()
    lines, missing = C.compose_paragraph(SPANS, 120.0, first, 9.0)
    assert len(list(store_dir.rglob("*"))) >= 2          # a folder and one entry
    C._MEMO.clear()                                      # as in a new process
    calls = []
    real = C.atomize
    monkeypatch.setattr(C, "atomize", lambda *a, **k: calls.append(1) or real(*a, **k))
    again = FontMetrics(load_catalog(), ROLES)
    again.faces.clear()
    assert C.compose_paragraph(SPANS, 120.0, again, 9.0) == (lines, missing)
    assert calls == []                                   # served by the store, not composed
    assert set(again.faces) == set(first.faces) and len(again.faces) == 2


def test_other_inputs_miss(store_dir, monkeypatch):
    metrics = _fresh_metrics()
    C.compose_paragraph(SPANS, 120.0, metrics, 9.0)
    C._MEMO.clear()
    calls = []
    real = C.atomize
    monkeypatch.setattr(C, "atomize", lambda *a, **k: calls.append(1) or real(*a, **k))
    C.compose_paragraph(SPANS, 121.0, metrics, 9.0)                           # another measure
    C.compose_paragraph(SPANS, 120.0, FontMetrics(load_catalog(), {**ROLES, "body": "Noto Sans CJK SC"}),
                        9.0)                                                   # another font for a role
    assert len(calls) == 2


def test_a_damaged_or_foreign_entry_is_a_miss(store_dir):
    metrics = _fresh_metrics()
    expected = C.compose_paragraph(SPANS, 120.0, metrics, 9.0)
    entries = [p for p in store_dir.rglob("*") if p.is_file()]
    assert len(entries) == 1
    entries[0].write_bytes(b"\x80\x04garbage")
    C._MEMO.clear()
    assert C.compose_paragraph(SPANS, 120.0, _fresh_metrics(), 9.0) == expected
    assert store.load(entries[0].name) is not None       # rewritten whole
    other = entries[0].with_name("0" * 64)
    other.write_bytes(entries[0].read_bytes())           # an entry under another name is not trusted
    assert store.load(other.name) is None


def test_the_store_can_be_turned_off(store_dir, monkeypatch):
    monkeypatch.setenv("LAYOUT_COMPOSE_CACHE", "0")
    C.compose_paragraph(SPANS, 120.0, _fresh_metrics(), 9.0)
    assert not store_dir.exists()


def test_the_store_is_bounded_oldest_entries_first(store_dir, monkeypatch):
    import os
    monkeypatch.setattr(store, "TRIM_EVERY", 1)                  # trim at every save
    monkeypatch.setenv("LAYOUT_COMPOSE_CACHE_MB", str(256 * 20_000 / (1 << 20)))   # 20 kB per subfolder
    value = ("x" * 1000,)
    digests = [f"ab{i:062x}" for i in range(60)]                 # all in subfolder ab/
    for n, digest in enumerate(digests):
        store.save(digest, value)
        os.utime(store_dir / "ab" / digest, ns=(n * 10**9, n * 10**9))   # written one second apart
    sizes = [p.stat().st_size for p in (store_dir / "ab").iterdir()]
    assert sum(sizes) <= 20_000 and len(sizes) >= 10
    kept = sorted(p.name for p in (store_dir / "ab").iterdir())
    assert kept == digests[-len(kept):]                           # the newest survive, the oldest went
    assert store.load(digests[-1]) == value and store.load(digests[0]) is None

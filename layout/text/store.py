"""A persistent cache of composed paragraphs and headings, keyed by everything they are made from.

Beside the font cache (`<cache>/compose/`): one file per composition, named by a digest of the
composer's own source code, the fonts (every face of every fallback chain, by content id), the
roles, the spans and the arguments; written atomically (a temporary file renamed), so that
processes building at the same time never read half a file. A damaged or stale file is a miss.
The store is bounded: the first save of a process and every TRIM_EVERY-th after it remove the oldest
entries of the subfolder written to while it holds more than its share of STORE_MAX_BYTES (one of
256 subfolders, a few hundred files: a millisecond or two, never a walk of the whole store).
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

STORE_FORMAT = 1          # bump when what the files hold changes
STORE_MAX_BYTES = 256 << 20   # the whole store, about 100,000 compositions; LAYOUT_COMPOSE_CACHE_MB overrides
TRIM_EVERY = 32           # saves between two trims of a subfolder in one process
_SAVES = [0]              # saves by this process
_CODE: list = []          # the digest of the composer's source, computed once per process


def _code_digest() -> str:
    """Any change to the composer (text/, measure.py, fonts lookup) makes every entry stale."""
    if not _CODE:
        here = Path(__file__).resolve().parent
        h = hashlib.sha256(str(STORE_FORMAT).encode())
        for path in sorted(here.glob("*.py")) + [here.parent / "measure.py"]:
            h.update(path.name.encode() + b"\0" + path.read_bytes())
        _CODE.append(h.hexdigest())
    return _CODE[0]


def store_dir() -> Path | None:
    """<font cache>/compose, or None when LAYOUT_COMPOSE_CACHE=0 turns the store off."""
    if os.environ.get("LAYOUT_COMPOSE_CACHE", "1") == "0":
        return None
    from ..fonts.cache import cache_dir
    return cache_dir() / "compose"


def entry_name(fonts: str, name: str, key_parts: tuple) -> str:
    raw = repr((_code_digest(), fonts, name, key_parts)).encode("utf-8", "surrogatepass")
    return hashlib.sha256(raw).hexdigest()


def load(digest: str):
    """(result, face keys) stored under digest, or None."""
    folder = store_dir()
    if folder is None:
        return None
    try:
        data = (folder / digest[:2] / digest).read_bytes()
        stored_digest, value = pickle.loads(data)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return None
    return value if stored_digest == digest else None


def save(digest: str, value) -> None:
    folder = store_dir()
    if folder is None:
        return
    from ..atomic import write_atomic
    try:
        data = pickle.dumps((digest, value), protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(folder / digest[:2] / digest, lambda tmp: tmp.write_bytes(data))
    except OSError:
        return        # a read-only or full cache: still correct, only slower next time
    _SAVES[0] += 1
    if (_SAVES[0] - 1) % TRIM_EVERY == 0:            # the first save of the process, then every TRIM_EVERY-th
        trim(folder / digest[:2], max_bytes() // 256)


def max_bytes() -> int:
    try:
        return int(float(os.environ["LAYOUT_COMPOSE_CACHE_MB"]) * (1 << 20))
    except (KeyError, ValueError):
        return STORE_MAX_BYTES


def trim(folder: Path, limit: int) -> None:
    """Remove the oldest entries of one subfolder of the store while it holds more than `limit` bytes
    (files being written, `.…tmp`, are left to their writers)."""
    entries = []
    try:
        with os.scandir(folder) as found:
            for entry in found:
                if entry.name.startswith("."):
                    continue
                try:
                    st = entry.stat()
                except OSError:
                    continue
                entries.append((st.st_mtime_ns, st.st_size, entry.path))
    except OSError:
        return
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= limit:
            break
        try:
            os.unlink(path)
            total -= size
        except OSError:
            pass

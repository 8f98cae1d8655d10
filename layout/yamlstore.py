"""A cache of parsed YAML (page.yaml, fonts.yaml, front matter), so that a warm build never imports PyYAML.

`yamlsrc.load_yaml()` answers from here when the same text of the same file was parsed before: the Maps
and Seqs with every key's and value's Where, pickled beside the font cache (`<cache>/yaml/`), one file
per text, named by a digest of the text, the file's name, the line offset, the parser's own source
(yamlsrc.py, fullwidth.py) and the PyYAML installed. Only a successful parse is stored (a bad file is
parsed, and reported, every time); a damaged or foreign entry is a miss. Importing PyYAML and building
its loaders is ~10 ms of every process (issue 14, bench/PROFILES.md); unpickling a page's spec is
well under a millisecond. In a long-lived process (watch, the studio) the pickled bytes are also
kept in memory, bounded. LAYOUT_YAML_CACHE=0 turns the store off.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path

STORE_FORMAT = 1                 # bump when what the files hold changes
STORE_MAX_BYTES = 32 << 20       # the whole store; each of its 256 subfolders is trimmed to its share
MEMO = 64                        # pickled results kept in this process
_MEMO: dict = {}
_CODE: list = []                 # the digest of the parser's source and PyYAML's, once per process


def _code_digest() -> str:
    """Any change to the parser (yamlsrc, fullwidth, suggest's hints are not stored) or to PyYAML makes
    every entry stale."""
    if not _CODE:
        here = Path(__file__).resolve().parent
        h = hashlib.sha256(f"{STORE_FORMAT}\0{sys.version}".encode())
        for name in ("yamlsrc.py", "fullwidth.py", "yamlstore.py"):
            h.update(name.encode() + b"\0" + (here / name).read_bytes())
        h.update(_pyyaml_stamp().encode())
        _CODE.append(h.hexdigest())
    return _CODE[0]


def _pyyaml_stamp() -> str:
    """Where PyYAML is and its files' sizes and times, found without importing it."""
    for entry in sys.path:
        folder = os.path.join(entry or ".", "yaml")
        try:
            names = sorted(n for n in os.listdir(folder) if n.endswith((".py", ".so", ".pyd")))
            stats = [os.stat(os.path.join(folder, n)) for n in names]
        except OSError:
            continue
        stamps = [f"{n}:{st.st_size}:{st.st_mtime_ns}" for n, st in zip(names, stats)]
        if stamps:
            return folder + "|" + "|".join(stamps)
    return "no yaml"


def store_dir() -> Path | None:
    """<font cache>/yaml, or None when LAYOUT_YAML_CACHE=0 turns the store off."""
    if os.environ.get("LAYOUT_YAML_CACHE", "1") == "0":
        return None
    from .fonts.cache import cache_dir
    return cache_dir() / "yaml"


def entry_name(text: str, path, line_offset: int) -> str:
    raw = repr((_code_digest(), str(path), line_offset, text)).encode("utf-8", "surrogatepass")
    return hashlib.sha256(raw).hexdigest()


def load(digest: str):
    """(True, the parsed value) stored under digest, or (False, None)."""
    data = _MEMO.get(digest)
    if data is None:
        folder = store_dir()
        if folder is None:
            return False, None
        try:
            data = (folder / digest[:2] / digest).read_bytes()
        except OSError:
            return False, None
    try:
        stored_digest, value = pickle.loads(data)
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError, IndexError):
        return False, None
    if stored_digest != digest:
        return False, None
    _remember(digest, data)
    return True, value


def save(digest: str, value) -> None:
    try:
        data = pickle.dumps((digest, value), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return                   # something PyYAML made that does not pickle: parsed every time
    _remember(digest, data)
    folder = store_dir()
    if folder is None:
        return
    from .atomic import write_atomic
    from .text.store import trim
    try:
        write_atomic(folder / digest[:2] / digest, lambda tmp: tmp.write_bytes(data))
    except OSError:
        return                   # a read-only or full cache: still correct, only slower next time
    trim(folder / digest[:2], STORE_MAX_BYTES // 256)


def _remember(digest: str, data: bytes) -> None:
    if digest not in _MEMO and len(_MEMO) >= MEMO:
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[digest] = data

"""Start-up: the compiled methods of layout's dataclasses, kept between processes like bytecode.

`@dataclass` writes the source of `__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__` … of every
class and compiles each with exec(): six compiles a frozen class, about half of what importing layout
for `layout build` costs (issue 14, bench/PROFILES.md). Python keeps a module's own bytecode in
__pycache__ but not this generated code. `install()` (run by `layout/__init__.py`) gives the dataclasses
module an exec() that, for classes defined in layout's modules, compiles each distinct source text once
and keeps the code objects in one marshal file in the cache folder; the same text compiles to the same
code, so the classes are exactly the ones `@dataclass` makes. Other packages' dataclasses are untouched.
LAYOUT_CODE_CACHE=0 turns it off.
"""
from __future__ import annotations

import atexit
import builtins
import marshal
import os
import sys

FORMAT = 1                       # bump when what is stored changes
MAX_ENTRIES = 4000               # a cache grown past this (many versions of layout) starts afresh

_code: dict = {}                 # source text -> code object (loaded from, or to be written to, the file)
_added: list = []                # texts compiled in this process, not in the file


def cache_file() -> str:
    """<font cache>/code/dataclasses.….marshal (the font cache: $LAYOUT_CACHE_DIR, else
    $XDG_CACHE_HOME/layout/fonts, else ~/.cache/layout/fonts, as layout/fonts/cache.py says, without
    importing it): one file per Python version, whose code objects are its own."""
    folder = os.environ.get("LAYOUT_CACHE_DIR")
    if not folder:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(base, "layout", "fonts")
    tag = sys.implementation.cache_tag or "python"
    return os.path.join(os.path.expanduser(folder), "code", f"dataclasses.{tag}-{sys.hexversion:x}.v{FORMAT}.marshal")


def _load(path: str) -> dict:
    try:
        with open(path, "rb") as fh:
            data = marshal.loads(fh.read())     # one read: marshal.load(fh) reads object by object
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def _save() -> None:
    """Write the file with what this process compiled (atomically: a reader sees the old file or the new)."""
    if not _added:
        return
    path = cache_file()
    merged = _load(path)
    if len(merged) + len(_added) > MAX_ENTRIES:
        merged = {}
    merged.update((text, _code[text]) for text in _added)
    _added.clear()
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as fh:
            marshal.dump(merged, fh)
        os.replace(tmp, path)
    except OSError:              # a read-only home: the cache is only ever a saving
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _exec(source, globals=None, locals=None, /):
    """exec() as `dataclasses` calls it, with layout's generated source compiled once across processes."""
    if type(source) is str and type(globals) is dict and str(globals.get("__name__", "")).startswith("layout."):
        code = _code.get(source)
        if code is None:
            # dont_inherit: compiled as dataclasses' own exec() compiles it, without this module's
            # `from __future__ import annotations` (the generated annotations stay objects)
            code = compile(source, "<string>", "exec", dont_inherit=True)
            if not _added:
                atexit.register(_save)
            _code[source] = code
            _added.append(source)
        source = code
    return builtins.exec(source, globals, locals)


def install() -> None:
    """Give `dataclasses` the caching exec() (once; idempotent)."""
    import dataclasses
    if getattr(dataclasses, "exec", None) is _exec or os.environ.get("LAYOUT_CODE_CACHE", "1") == "0":
        return
    if not _code:
        _code.update(_load(cache_file()))
    dataclasses.exec = _exec

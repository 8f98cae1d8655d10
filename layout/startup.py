"""Start-up: the compiled methods of layout's dataclasses, kept between processes like bytecode.

`@dataclass` writes the source of `__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__` … of every
class and compiles each with exec(): six compiles a frozen class, about half of what importing layout
for `layout build` cost (issue 14, bench/PROFILES.md). Python keeps a module's own bytecode in
__pycache__ but not this generated code. `install()` (run by `layout/__init__.py`) gives the dataclasses
module an exec() that, for classes defined in layout's modules, compiles each distinct source text once
and keeps the code objects in the cache folder, one marshal file per module (read when the module's
first dataclass is made: a process reads only what it imports); the same text compiles to the same
code, so the classes are exactly the ones `@dataclass` makes. Other packages' dataclasses are untouched.
LAYOUT_CODE_CACHE=0 turns it off.
"""
from __future__ import annotations

import atexit
import builtins
import marshal
import os
import sys

FORMAT = 2                       # bump when what is stored changes

_code: dict = {}                 # module name -> {source text: code object}, as read from its file
_used: dict = {}                 # module name -> texts this process made classes from
_dirty: set = set()              # modules with a text compiled here, not in their file


def cache_folder() -> str:
    """<font cache>/code/<python>/ (the font cache: $LAYOUT_CACHE_DIR, else $XDG_CACHE_HOME/layout/fonts,
    else ~/.cache/layout/fonts, as layout/fonts/cache.py says, without importing it): a folder per Python
    version, whose code objects are its own."""
    folder = os.environ.get("LAYOUT_CACHE_DIR")
    if not folder:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(base, "layout", "fonts")
    tag = sys.implementation.cache_tag or "python"
    return os.path.join(os.path.expanduser(folder), "code", f"{tag}-{sys.hexversion:x}.v{FORMAT}")


def _load(path: str) -> dict:
    try:
        with open(path, "rb") as fh:
            data = marshal.loads(fh.read())     # one read: marshal.load(fh) reads object by object
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def _save() -> None:
    """Write the file of every module that compiled something (atomically: a reader sees the old file or
    the new). It keeps what this process used and, up to as many again, what others did (another
    version of the module, a class made only on some path); beyond that only what this process used."""
    folder = cache_folder()
    for module in sorted(_dirty):
        path = os.path.join(folder, f"{module}.marshal")
        used = _used.get(module, {})
        kept = {text: code for text, code in _load(path).items() if text not in used}
        if len(kept) > len(used) + 8:
            kept = {}
        kept.update(used)
        tmp = f"{path}.{os.getpid()}.tmp"
        try:
            os.makedirs(folder, exist_ok=True)
            with open(tmp, "wb") as fh:
                marshal.dump(kept, fh)
            os.replace(tmp, path)
        except OSError:          # a read-only home: the cache is only ever a saving
            try:
                os.unlink(tmp)
            except OSError:
                pass
    _dirty.clear()


def _exec(source, globals=None, locals=None, /):
    """exec() as `dataclasses` calls it, with layout's generated source compiled once across processes."""
    module = globals.get("__name__") if type(globals) is dict else None
    if type(source) is str and type(module) is str and module.startswith("layout."):
        known = _code.get(module)
        if known is None:
            known = _code[module] = _load(os.path.join(cache_folder(), f"{module}.marshal"))
        code = known.get(source)
        if code is None:
            # dont_inherit: compiled as dataclasses' own exec() compiles it, without this module's
            # `from __future__ import annotations` (the generated annotations stay objects)
            code = known[source] = compile(source, "<string>", "exec", dont_inherit=True)
            if not _dirty:
                atexit.register(_save)
            _dirty.add(module)
        _used.setdefault(module, {})[source] = code
        source = code
    return builtins.exec(source, globals, locals)


def install() -> None:
    """Give `dataclasses` the caching exec() (once; idempotent)."""
    import dataclasses
    if getattr(dataclasses, "exec", None) is _exec or os.environ.get("LAYOUT_CODE_CACHE", "1") == "0":
        return
    dataclasses.exec = _exec

"""Finding a catalog entry's font file: a path, a search folder, or fontconfig; install hints."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import FontError

if TYPE_CHECKING:
    from .catalog import _Entry


_PACKAGES = (("NotoSerifCJK", "fonts-noto-cjk"), ("NotoSansCJK", "fonts-noto-cjk"),
             ("LXGWWenKai", "fonts-lxgw-wenkai"), ("DejaVu", "fonts-dejavu-core"))


def _resolve(entry: _Entry, catalog: Path, dirs: tuple[Path, ...]) -> Path:
    """The font file of an entry: a path, else a name searched in dirs, else via fontconfig."""
    given = Path(entry.file).expanduser()
    if given.is_absolute() or len(given.parts) > 1:
        found = given if given.is_absolute() else catalog.parent / given
        found = found if found.is_file() else None
    else:
        found = _search(entry.file, dirs) or _fc_match(entry.family, entry.file)
    if found is None:
        raise FontError(f"{entry.where}: font file {entry.file!r} for {entry.family!r} not found "
                        f"{_looked(given, dirs)}; {_install_hint(entry.file)}")
    return found


def _looked(given: Path, dirs: tuple[Path, ...]) -> str:
    if given.is_absolute() or len(given.parts) > 1:
        return "at that path"
    return f"under {', '.join(map(str, dirs)) or '(no search_paths)'} nor by fontconfig"


def _install_hint(file: str) -> str:
    for prefix, package in _PACKAGES:
        if file.startswith(prefix):
            return (f"install it: sudo apt-get install {package} (or run make fonts), "
                    "or point file: at the font's path")
    return "copy the font into a search_paths folder (e.g. fonts/) or point file: at its path"


_INDEXES: dict[tuple[Path, ...], dict[str, str]] = {}


def _search(name: str, dirs: tuple[Path, ...]) -> Path | None:
    """First file called `name` (exact, then any case) below the folders, in their order."""
    if dirs not in _INDEXES:
        _INDEXES[dirs] = _index_files(dirs)
    index = _INDEXES[dirs]
    found = index.get(name) or index.get(name.lower())
    return Path(found) if found else None


def _index_files(dirs: tuple[Path, ...]) -> dict[str, str]:
    """File name (and lower-cased name) -> path, first found wins; plain strings, as a system font
    folder holds thousands of files and Path objects for all of them cost tens of ms per process."""
    index: dict[str, str] = {}
    for d in dirs:
        for root, subdirs, files in os.walk(d, followlinks=True):
            subdirs.sort()
            for f in sorted(files):
                path = os.path.join(root, f)
                index.setdefault(f, path)
                index.setdefault(f.lower(), path)
    return index


def _fc_match(family: str, file: str) -> Path | None:
    """fontconfig's file for the family, accepted only when its name is the requested file."""
    import shutil
    import subprocess

    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True,
                             text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out) if out and Path(out).name.lower() == file.lower() else None

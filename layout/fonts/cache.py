"""Where converted fonts and metrics are cached, and the id of one face of one file version."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

# Bump when the conversion changes: every cached font (and metrics file) is rebuilt.
# 2: only the glyphs the face's cmap reaches are converted (the others are left empty).
CONVERTER_VERSION = 2


def cache_dir() -> Path:
    """$LAYOUT_CACHE_DIR, else $XDG_CACHE_HOME/layout/fonts, else ~/.cache/layout/fonts."""
    if os.environ.get("LAYOUT_CACHE_DIR"):
        return Path(os.environ["LAYOUT_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "layout" / "fonts"


def cache_id(source: Path, index: int) -> str:
    """Hex id of one face of one version of a file: path, size, mtime, index, CONVERTER_VERSION."""
    st = source.stat()
    raw = f"{CONVERTER_VERSION}\0{source.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\0{index}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]

"""Fonts: the fonts.yaml catalog, cached metrics, fallback chains, CFF→TrueType conversion.

One concern per module: catalog (fonts.yaml), lookup (finding files), face (one face of one file),
metrics (the metrics cache), convert (CFF→TrueType), progress (what conversion prints), cache
(where it is all kept). The names below are the package's interface.
"""

from __future__ import annotations

from .cache import CONVERTER_VERSION, cache_dir, cache_id
from .catalog import DEFAULT_CATALOG, Catalog, _parse_catalog, load_catalog, load_catalog_for
from .convert import MAX_ERR, _EMPTY, _simple_record, _worker_font, prepare
from .errors import FontError
from .face import _FACES, Face, open_face
from .metrics import METRICS_FORMAT
from .progress import SECONDS_PER_GLYPH, Progress, StderrProgress, silent

__all__ = ["CONVERTER_VERSION", "DEFAULT_CATALOG", "METRICS_FORMAT", "MAX_ERR", "SECONDS_PER_GLYPH",
           "Catalog", "Face", "FontError", "Progress", "StderrProgress", "cache_dir", "cache_id",
           "load_catalog", "load_catalog_for", "open_face", "prepare", "silent"]

"""Renderers of the display list: PDF (the only ReportLab user) and the text dump."""
from __future__ import annotations

import importlib.util
import sys


def _defer(name: str) -> None:
    """Import module `name` only when one of its attributes is first used: ReportLab imports Pillow's
    Image module (7 ms) at start-up for images this renderer hands it as JPEG bytes, unopened."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)      # `import PIL.Image; PIL.Image.open` as usual


_defer("PIL.Image")

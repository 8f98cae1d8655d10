"""Where a command writes when it is not told: the one default-output rule (README "Where output goes").

The project's `output/` folder: the folder that holds `content/`, when the page folder lies inside a
folder named `content`; else the folder that holds the page folder (`output/` beside it). Found from the
page folder, never from the directory the command runs in, so every command (build, preview, watch,
serve, check's report, batch) and every working directory agree.
"""
from __future__ import annotations

import os
from pathlib import Path


def page_folder(source: Path) -> Path:
    """The folder of a page spec or edition file (a folder stands for itself)."""
    source = Path(source).resolve()
    return source if source.is_dir() else source.parent


def output_folder(source: Path) -> Path:
    """The project's `output/` for a page spec, an edition file or a folder (see the module's rule)."""
    folder = page_folder(source)
    project = next((p.parent for p in (folder, *folder.parents) if p.name == "content"), folder.parent)
    return _shown(project / "output")


def default_output(source: Path) -> Path:
    """`output/<page folder>.pdf` in the project's output folder."""
    return output_folder(source) / f"{page_folder(source).name}.pdf"


def _shown(path: Path) -> Path:
    """Relative to the working directory when inside it (messages stay short), else absolute."""
    rel = os.path.relpath(path)
    return Path(rel) if not rel.startswith("..") else path

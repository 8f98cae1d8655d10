"""JSON Schema of page.yaml, edition files, fonts.yaml and article front matter, made from the loaders' key tables."""
from __future__ import annotations

import json
from pathlib import Path

SHIPPED = Path(__file__).parent / "schemas"
KINDS = ("page", "edition", "fonts", "article")
TITLES = {"page": "layout page spec (page.yaml)", "edition": "layout edition file",
          "fonts": "layout font catalog (fonts.yaml)", "article": "layout article front matter"}


def table(kind: str):
    """The key table the loader of `kind` reads with."""
    if kind == "page":
        from .spec import TOP
        return TOP
    if kind == "edition":
        from .edition import EDITION
        return EDITION
    if kind == "fonts":
        from .fontsyaml import CATALOG
        return CATALOG
    if kind == "article":
        from .content import FRONT
        return FRONT
    raise ValueError(f"no schema `{kind}`; one of {', '.join(KINDS)}")


def schema(kind: str) -> dict:
    """The JSON Schema (draft-07, which editors' YAML plug-ins read) of one kind of file."""
    return {"$schema": "http://json-schema.org/draft-07/schema#", "title": TITLES[kind], **table(kind).schema()}


def schema_text(kind: str) -> str:
    return json.dumps(schema(kind), ensure_ascii=False, indent=2) + "\n"


def shipped_path(kind: str) -> Path:
    """The schema file shipped in the package, for `# yaml-language-server: $schema=…` lines."""
    return SHIPPED / f"{kind}.schema.json"


def write_all(folder: Path = SHIPPED) -> list:
    """Write every schema into `folder`; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for kind in KINDS:
        path = folder / f"{kind}.schema.json"
        path.write_text(schema_text(kind), encoding="utf-8")
        out.append(path)
    return out


def modeline(kind: str, beside: Path) -> str:
    """The first line that tells YAML editors (yaml-language-server) the schema of a file at `beside`."""
    import os
    rel = os.path.relpath(shipped_path(kind).resolve(), Path(beside).resolve().parent)
    return f"# yaml-language-server: $schema={rel}"

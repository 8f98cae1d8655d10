"""The font catalog: fonts.yaml families resolved to faces, with their fallback chains."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import FontError
from .face import Face, open_face
from ..fontsyaml import CATALOG
from ..keys import empty_map
from .lookup import _resolve
from ..suggest import hint
from ..yamlsrc import Map, SourceError, Where, decode_utf8, load_yaml

DEFAULT_CATALOG = Path(__file__).resolve().parent.parent.parent / "fonts" / "fonts.yaml"


@dataclass(frozen=True)
class _Entry:
    family: str
    file: str
    index: int
    where: str       # "FILE:LINE:COL" of the file: value
    catalog: Path | None = None     # the fonts.yaml it is defined in (relative files are relative to it)


#: a font file named directly as a family in a page spec's `fonts:` (absolute path, optional #index)
FONT_FILE = re.compile(r"^(?P<file>.+\.(?:ttf|otf|ttc|otc))(?:#(?P<index>\d+))?$", re.I)


class Catalog:
    """Families of one fonts.yaml, resolved to Faces on demand (memoised)."""

    def __init__(self, path: Path, search_paths: tuple[Path, ...], entries: dict[str, _Entry],
                 fallback: tuple[str, ...], where: str):
        self.path = path
        self.search_paths = search_paths
        self.entries = entries
        self.fallback = fallback
        self._where = where
        self.fallback_where: dict[str, str] = {}     # where each fallback family is named, for _merge's errors
        self._faces: dict[str, Face] = {}
        self._chains: dict[str, tuple[Face, ...]] = {}

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(self.entries)

    def face(self, family: str) -> Face:
        """The face of a family; FontError says what is wrong and how to fix it."""
        if family not in self._faces:
            entry = self.entries.get(family)
            path_given = FONT_FILE.match(family)
            if entry is None and path_given and Path(path_given["file"]).is_absolute():
                entry = _Entry(family, path_given["file"], int(path_given["index"] or 0),
                               f"{self._where}: font file {family}")
            if entry is None:
                raise FontError(f"{self._where}: unknown font family `{family}`; "
                                f"{hint(family, self.entries, 'families defined')} (add it under families:)")
            source = _resolve(entry, entry.catalog or self.path, self.search_paths)
            try:
                self._faces[family] = open_face(family, source, entry.index)
            except FontError as exc:
                raise FontError(f"{entry.where}: {exc}") from None
        return self._faces[family]

    def chain(self, family: str) -> tuple[Face, ...]:
        """The family's face, then the fallback faces, without repeats."""
        if family not in self._chains:
            faces: dict[str, Face] = {}
            for name in (family, *self.fallback):
                face = self.face(name)
                faces.setdefault(face.key, face)
            self._chains[family] = tuple(faces.values())
        return self._chains[family]

    def face_for(self, family: str, ch: str) -> Face | None:
        """First face of the chain that has ch; None when no face has it (report it)."""
        for face in self.chain(family):
            if face.has(ch):
                return face
        return None


_CATALOGS: dict[tuple, Catalog] = {}


def load_catalog(path: Path | None = None, overlay: bool = False) -> Catalog:
    """Parses a fonts.yaml (default: the repository's fonts/fonts.yaml), memoised per version.
    overlay: a page's or edition's fonts.yaml, merged over another, which may leave out `families:`."""
    path = Path(path or DEFAULT_CATALOG)
    try:
        st = path.stat()
    except OSError as exc:
        raise FontError(f"cannot read font catalog {path}: {exc.strerror}") from None
    memo = (str(path.resolve()), st.st_mtime_ns, st.st_size, overlay)
    if memo not in _CATALOGS:
        _CATALOGS[memo] = _parse_catalog(path, overlay)
    return _CATALOGS[memo]


def load_catalog_for(*folders: Path) -> Catalog:
    """The project's fonts.yaml with the fonts.yaml of each folder (an edition's, then a page's) merged over
    it, in order: their families added or replaced, their search_paths searched first, their fallback
    (when given) used instead. Memoised, so faces are opened once per combination."""
    base = load_catalog()
    overlays = []
    for folder in dict.fromkeys(Path(f).resolve() for f in folders):
        path = folder / "fonts.yaml"
        if path.is_file() and path != Path(DEFAULT_CATALOG).resolve():
            overlays.append(load_catalog(path, overlay=True))
    if not overlays:
        return base
    memo = (id(base), *map(id, overlays))
    if memo not in _MERGED:
        merged = base
        for over in overlays:
            merged = _merge(merged, over)
        _MERGED[memo] = merged
    return _MERGED[memo]


_MERGED: dict[tuple, Catalog] = {}


def _merge(base: Catalog, over: Catalog) -> Catalog:
    entries = {**base.entries, **over.entries}
    fallback = over.fallback or base.fallback
    for name in fallback:
        if name not in entries:
            where = over.fallback_where.get(name, f"{_shown(over.path)}:1:1")
            raise FontError(f"{where}: fallback family `{name}` is defined neither here nor in "
                            f"{_shown(base.path)}; {hint(name, entries, 'families')}")
    where = over._where if over.entries else base._where
    return Catalog(over.path, over.search_paths + base.search_paths, entries, fallback, where)


def _parse_catalog(path: Path, overlay: bool = False) -> Catalog:
    """One fonts.yaml, read through yamlsrc and the declared keys (layout/fontsyaml.py) like every other
    YAML file, so its errors read as theirs: `FILE:LINE:COL: what; how to fix`."""
    shown = _shown(path)
    try:
        root = load_yaml(decode_utf8(path.read_bytes(), shown), shown) or empty_map(Where(shown, 1, 1))
        values = CATALOG.read(root, Where(shown, 1, 1))
        if values["families"] is None and not overlay:
            raise SourceError(shown, 1, 1, "no `families:` mapping; add families: {NAME: {file: FILE}}")
        families = root.get("families") or {}
        entries = {}
        for name, given in (values["families"] or {}).items():
            key = next(k for k in families if str(k) == name)
            at = families[key].at("file") if isinstance(families[key], Map) else families.at(key)
            entries[name] = _Entry(name, given["file"], given["index"], str(at), path)
        fallback = values["fallback"] or ()
        places = root["fallback"].item_where if fallback else []
        named = {name: str(w) for name, w in zip(fallback, places)}
        if not overlay:     # an overlay's fallback may name the families of the catalog below it: see _merge
            for name, w in zip(fallback, places):
                if name not in entries:
                    raise w.error(f"fallback family `{name}` is not defined under families:; "
                                  f"{hint(name, entries, 'families')}")
    except SourceError as err:
        raise FontError(str(err)) from None
    except OSError as exc:
        raise FontError(f"{shown}:1:1: cannot read font catalog: {exc.strerror}") from None
    dirs = tuple(path.parent / Path(d).expanduser() for d in values["search_paths"] or ())
    where = root.key_where["families"] if "families" in root else Where(shown, 1, 1)
    catalog = Catalog(path, dirs, entries, tuple(dict.fromkeys(fallback)), str(where))
    catalog.fallback_where = named
    return catalog


def _shown(path: Path) -> str:
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else str(path)

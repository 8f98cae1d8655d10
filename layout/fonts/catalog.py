"""The font catalog: fonts.yaml families resolved to faces, with their fallback chains."""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

import yaml

from .errors import FontError
from .face import Face, open_face
from ..fontsyaml import CATALOG, FAMILY
from .lookup import _resolve

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
                raise FontError(f"{self._where}: unknown font family {family!r}"
                                f"{_did_you_mean(family, self.entries)}; families defined: "
                                f"{', '.join(self.entries)} (add it under families:)")
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
            where = getattr(over, "fallback_where", {}).get(name, f"{_shown(over.path)}:1:1")
            raise FontError(f"{where}: fallback family {name!r} is defined neither here nor in "
                            f"{_shown(base.path)}{_did_you_mean(name, entries)}")
    where = over._where if over.entries else base._where
    return Catalog(over.path, over.search_paths + base.search_paths, entries, fallback, where)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)    # libyaml when available: faster
_TOP_KEYS = CATALOG.names        # the keys, declared once (layout/fontsyaml.py)
_ENTRY_KEYS = FAMILY.names


def _parse_catalog(path: Path, overlay: bool = False) -> Catalog:
    shown = _shown(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise FontError(f"{_at(shown, mark)}: invalid YAML: {exc.problem or exc.context}; "
                        "fix the syntax") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise FontError(f"{shown}: cannot read font catalog: {exc}") from None
    top = _mapping(shown, root, f"the font catalog {shown}", _TOP_KEYS)
    if "families" not in top and not overlay:
        raise FontError(f"{shown}:1:1: no families: mapping; "
                        "add families: {NAME: {file: FILE}}")
    fam_key, fam_node = top.get("families", (None, None))
    entries = _families(shown, fam_node) if fam_node is not None else {}
    entries = {name: replace(e, catalog=path) for name, e in entries.items()}
    named = {}
    if overlay:     # its fallback may name the families of the catalog below it: checked when merged
        named = {_scalar(shown, n, "a family name"): _at(shown, n.start_mark)
                 for n in _seq(shown, top.get("fallback", (None, None))[1])}
        fallback = tuple(named)
    else:
        fallback = _fallback(shown, top.get("fallback", (None, None))[1], entries)
    dirs = _search_paths(shown, top.get("search_paths", (None, None))[1], path.parent)
    _check_kinds(path, shown)
    catalog = Catalog(path, dirs, entries, fallback, _at(shown, fam_key.start_mark if fam_key else None))
    catalog.fallback_where = named
    return catalog


def _check_kinds(path: Path, shown: str) -> None:
    """Every value read through the declared keys (layout/fontsyaml.py), as the schema describes them."""
    from ..yamlsrc import SourceError, load_yaml
    try:
        CATALOG.read(load_yaml(path.read_text(encoding="utf-8"), shown))
    except SourceError as err:
        raise FontError(str(err)) from None


def _seq(shown: str, node) -> list:
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise FontError(f"{_at(shown, node.start_mark)}: fallback: must be a list of family names")
    return node.value


def _shown(path: Path) -> str:
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else str(path)


def _at(shown: str, mark) -> str:
    return f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark else f"{shown}:1:1"


def _mapping(shown: str, node, what: str, keys: tuple[str, ...]) -> dict:
    """{key: (key node, value node)} of a mapping node whose keys must be among `keys`."""
    if not isinstance(node, yaml.MappingNode):
        raise FontError(f"{_at(shown, node and node.start_mark)}: {what} must be a mapping "
                        f"with keys {', '.join(keys)}")
    out = {}
    for k, v in node.value:
        if isinstance(v, yaml.ScalarNode) and v.tag == "tag:yaml.org,2002:null":
            continue            # an empty value: as if the key were left out
        name = _scalar(shown, k, "a key")
        if name not in keys:
            raise FontError(f"{_at(shown, k.start_mark)}: unknown key {name!r} in {what}"
                            f"{_did_you_mean(name, keys)}; allowed: {', '.join(keys)}")
        out[name] = (k, v)
    return out


def _scalar(shown: str, node, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or node.value == "":
        raise FontError(f"{_at(shown, node.start_mark)}: expected {what} (a plain value)")
    return node.value


def _families(shown: str, node) -> dict[str, _Entry]:
    if not isinstance(node, yaml.MappingNode) or not node.value:
        raise FontError(f"{_at(shown, node.start_mark)}: families: must map family names "
                        "to {file: FILE, index: N}")
    entries: dict[str, _Entry] = {}
    for k, v in node.value:
        family = _scalar(shown, k, "a family name")
        if family in entries:
            raise FontError(f"{_at(shown, k.start_mark)}: family {family!r} is defined twice "
                            f"(first at {entries[family].where}); keep one")
        entries[family] = _entry(shown, family, v)
    return entries


def _entry(shown: str, family: str, node) -> _Entry:
    if isinstance(node, yaml.ScalarNode):
        return _Entry(family, _scalar(shown, node, "a font file"), 0, _at(shown, node.start_mark))
    fields = _mapping(shown, node, f"family {family!r}", _ENTRY_KEYS)
    if "file" not in fields:
        raise FontError(f"{_at(shown, node.start_mark)}: family {family!r} has no file:; "
                        "add file: NAME.ttf (or .ttc/.otf, with index: N for collections)")
    file_node = fields["file"][1]
    return _Entry(family, _scalar(shown, file_node, "a font file"),
                  _index(shown, fields.get("index", (None, None))[1]),
                  _at(shown, file_node.start_mark))


def _index(shown: str, node) -> int:
    if node is None:
        return 0
    text = _scalar(shown, node, "a face index")
    if not re.fullmatch(r"\d+", text):
        raise FontError(f"{_at(shown, node.start_mark)}: index must be a face number 0, 1, 2 … "
                        f"(got {text!r})")
    return int(text)


def _fallback(shown: str, node, entries: dict[str, _Entry]) -> tuple[str, ...]:
    if node is None:
        return ()
    if not isinstance(node, yaml.SequenceNode):
        raise FontError(f"{_at(shown, node.start_mark)}: fallback: must be a list of family names")
    names = []
    for item in node.value:
        name = _scalar(shown, item, "a family name")
        if name not in entries:
            raise FontError(f"{_at(shown, item.start_mark)}: fallback family {name!r} is not "
                            f"defined under families:{_did_you_mean(name, entries)}")
        names.append(name)
    return tuple(dict.fromkeys(names))


def _search_paths(shown: str, node, base: Path) -> tuple[Path, ...]:
    """Search folders; relative ones are relative to the folder holding fonts.yaml."""
    if node is None:
        return ()
    if not isinstance(node, yaml.SequenceNode):
        raise FontError(f"{_at(shown, node.start_mark)}: search_paths: must be a list of folders")
    return tuple(base / Path(_scalar(shown, n, "a folder")).expanduser() for n in node.value)


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    known = list(known)
    folded = {re.sub(r"[\s_-]", "", k).lower(): k for k in known}
    exact = folded.get(re.sub(r"[\s_-]", "", name).lower())
    close = [exact] if exact else difflib.get_close_matches(name, known, n=2, cutoff=0.6)
    return f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""

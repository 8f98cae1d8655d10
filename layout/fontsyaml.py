"""The keys of fonts.yaml declared as data (see layout/keys.py): the catalog loader and `layout schema fonts`
read them."""
from __future__ import annotations

from .keys import Int, Key, Kind, ListOf, MapOf, Name, Table
from .yamlsrc import Map

FAMILY = Table("a family", (
    Key("file", Name("a font file (.ttf, .otf, .ttc)"),
        "a bare file name (searched under search_paths, then fontconfig) or a path (absolute, ~/…, or "
        "relative to the folder of this fonts.yaml)", required=True),
    Key("index", Int(low=0), "face number in a .ttc/.otc collection (Noto CJK: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK)", 0),
), doc="A family's font file.", hint="{file: NotoSerifCJK-Regular.ttc, index: 2}")


class Family(Kind):
    """A family: its font file, or {file: …, index: N}."""

    def read(self, value, where, key, env):
        if isinstance(value, Map):
            return FAMILY.read(value, where, key, env)
        return {"file": Name("a font file (.ttf, .otf, .ttc)").read(value, where, key, env), "index": 0}

    def schema(self):
        return {"anyOf": [{"type": "string", "pattern": r"\S", "description": "the font file"}, FAMILY.schema()]}


CATALOG = Table("the font catalog", (
    Key("search_paths", ListOf(Name("a folder"), "folders to search for font files"),
        "folders searched (recursively, in order) for bare file names; relative to this file's folder"),
    Key("families", MapOf(Family(), "a mapping of family names to {file: FILE, index: N}", nonempty=True),
        "family name -> font file (the project's fonts/fonts.yaml needs it; a page's or edition's "
        "fonts.yaml, merged over it, may leave it out)"),
    Key("fallback", ListOf(Name("a family of families:"), "family names"),
        "families tried in order for characters a face lacks (生僻字, Latin, symbols)"),
), doc="A font catalog (fonts.yaml): family names -> font files, and the fallback chain.",
    hint="search_paths: […], families: {NAME: {file: FILE}}, fallback: […]")

"""Keys of the YAML inputs declared as data: the loaders read values with them, `layout schema` describes them.

A `Table` lists the `Key`s of one mapping (a block, `format:`, the front matter …). Each key names its
`Kind` (how a value is read and refused, and its JSON Schema), its default as written in YAML, and a
one-line doc for editors. `Table.read(map)` checks the keys (did-you-mean), reads every value, fills
in defaults and returns {attribute: value}; `Table.schema()` is the same table as JSON Schema. So a key
added to a table is read, defaulted, documented and completed in editors at once.

Checks that need more than one value or the outside world (a margin too large for the trim, a font
role that exists, a file that exists) stay in the loaders, after `read`; the schema cannot express them.
"""
from __future__ import annotations

import dataclasses
import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from .units import UNITS, UnitError, parse_length
from .yamlsrc import Map, Seq, Where

MISSING = object()          # a key without a default: absent means absent (attribute None), or required


class Kind:
    """A value type: how a YAML value is read (raising at its FILE:LINE:COL) and its JSON Schema."""

    def read(self, value, where: Where, key: str, env: dict):
        raise NotImplementedError

    def schema(self) -> dict:
        raise NotImplementedError


@dataclass(frozen=True)
class Key:
    """One key of a mapping: its name, kind, one-line doc, default (as written in YAML) and attribute name(s)."""
    name: str
    kind: Kind
    doc: str
    default: Any = MISSING
    required: bool = False
    attr: str | tuple | None = None     # the attribute(s) it fills; default: the key's name

    @property
    def attrs(self) -> tuple:
        if self.attr is None:
            return (self.name,)
        return self.attr if isinstance(self.attr, tuple) else (self.attr,)


def empty_map(where: Where) -> Map:
    """An empty mapping standing at `where` (for a section left out or left empty)."""
    m = Map()
    m.where, m.key_where, m.value_where = where, {}, {}
    return m


@dataclass(frozen=True)
class Table(Kind):
    """The keys of one mapping; `context` names it in messages (`unknown key … in a block`)."""
    context: str
    keys: tuple
    doc: str = ""
    hint: str = ""                      # what the mapping looks like, for "must be a mapping" errors
    one_of: tuple = ()                  # groups of keys of which exactly one must be given
    extra: dict = field(default_factory=dict)   # more JSON Schema (conditions the loader checks in code)

    @property
    def names(self) -> tuple:
        return tuple(k.name for k in self.keys)

    def key(self, name: str) -> Key:
        return next(k for k in self.keys if k.name == name)

    def read(self, value, where: Where | None = None, key: str = "", env: dict | None = None) -> dict:
        """{attribute: value} of every key, defaults filled in; SourceError on the first problem."""
        env = env or {}
        if value is None or (type(value) is dict and not value):     # left out, or the default {}
            value = empty_map(where)
        if not isinstance(value, Map):
            what = f"`{key}`" if key else self.context
            raise where.error(f"{what} must be a mapping of keys" + (f": {self.hint}" if self.hint else ""))
        value.check_keys(self.names, self.context)
        for group in self.one_of:
            if sum(1 for k in group if value.get(k) is not None) != 1:
                raise value.where.error(f"{self.context} needs exactly one of " +
                                        " or ".join(f"`{k}:`" for k in group))
        out = {}
        for k in self.keys:
            given = value.get(k.name)
            if given is None:
                if k.required:
                    raise value.where.error(f"missing `{k.name}` in {self.context}: {k.doc}")
                if k.default is MISSING:
                    parsed = (None,) * len(k.attrs) if len(k.attrs) > 1 else None
                else:
                    parsed = k.kind.read(k.default, value.where, k.name, env)
            else:
                parsed = k.kind.read(given, value.at(k.name), k.name, env)
            out.update(zip(k.attrs, parsed) if len(k.attrs) > 1 else {k.attrs[0]: parsed})
        return out

    def schema(self) -> dict:
        props = {}
        for k in self.keys:
            s = dict(k.kind.schema())
            s["description"] = k.doc
            if k.default is not MISSING:
                s["default"] = _json_default(k.default)
            if not k.required and "type" in s and "null" not in _types(s["type"]):
                s["type"] = _types(s["type"]) + ["null"]     # an empty value means the default
            elif not k.required and "type" not in s:
                s = {"anyOf": [s, {"type": "null"}], "description": k.doc, **(
                    {"default": s["default"]} if "default" in s else {})}
            props[k.name] = s
        out = {"type": "object", "properties": props, "additionalProperties": False}
        if self.doc:
            out["description"] = self.doc
        required = [k.name for k in self.keys if k.required]
        if required:
            out["required"] = required
        if self.one_of:
            out["allOf"] = [{"oneOf": [{"required": [k], "properties": {k: {"not": {"type": "null"}}}}
                                       for k in group]} for group in self.one_of]
        out.update(self.extra)
        return out


def _types(t) -> list:
    return list(t) if isinstance(t, list) else [t]


def _json_default(value):
    if isinstance(value, tuple):
        return list(value)
    return value


def record(table: Table):
    """Class decorator: a frozen dataclass with a field per attribute of the table's keys (default: the key's
    default when it is a plain value such as "" or 0, else None; the loader passes every value), besides the
    class's own fields."""
    def wrap(cls):
        own = dict(cls.__dict__.get("__annotations__", {}))
        plain = {n: t for n, t in own.items() if not hasattr(cls, n)}
        defaulted = {n: t for n, t in own.items() if hasattr(cls, n)}
        annotations = dict(plain)
        for k in table.keys:
            for name in k.attrs:
                if name in own:
                    continue
                scalar = len(k.attrs) == 1 and isinstance(k.default, (str, int, float, bool))
                annotations[name] = "object"
                setattr(cls, name, k.default if scalar else None)
        annotations.update(defaulted)
        cls.__annotations__ = annotations
        return dataclasses.dataclass(frozen=True)(cls)
    return wrap


# ------------------------------------------------------------------------------------------- kinds

def _controls(value: str, where: Where, key: str) -> str:
    bad = next((ch for ch in value if ch not in "\n\t" and unicodedata.category(ch) == "Cc"), None)
    if bad is not None:
        raise where.error(f"`{key}` holds the control character U+{ord(bad):04X}; delete it")
    return value


@dataclass(frozen=True)
class Text(Kind):
    """Text (a number or a date is taken as it reads); `nonempty`: blank is refused with `empty`."""
    nonempty: bool = False
    empty: str = ""

    def read(self, value, where, key, env):
        if isinstance(value, (datetime.date, int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise where.error(f"`{key}` must be text")
        _controls(value, where, key)
        if self.nonempty and not value.strip():
            raise where.error(self.empty or f"`{key}` must not be empty")
        return value

    def schema(self):
        s = {"type": ["string", "number"]}
        if self.nonempty:
            s["pattern"] = r"\S"
        return s


@dataclass(frozen=True)
class Name(Kind):
    """A name (text only, not blank), e.g. a font family; `what` says what it names, for messages."""
    what: str
    examples: tuple = ()

    def read(self, value, where, key, env):
        if not isinstance(value, str) or not value.strip():
            raise where.error(f"`{key}` must name {self.what}")
        return _controls(value, where, key).strip()

    def schema(self):
        s = {"type": "string", "pattern": r"\S"}
        if self.examples:
            s["examples"] = list(self.examples)
        return s


@dataclass(frozen=True)
class Path(Kind):
    """A file inside the page folder: relative, without `..`; `example` shows one in the message."""
    example: str

    def read(self, value, where, key, env):
        value = Text().read(value, where, key, env)
        parts = value.replace("\\", "/").split("/")
        if not value or value.startswith("/") or ".." in parts:
            raise where.error(f"`{key}` must name a file inside the page folder, e.g. {self.example}; got {value!r}")
        return value

    def schema(self):
        return {"type": ["string", "number"], "minLength": 1,
                "pattern": r"^(?!/)(?![\s\S]*(^|[/\\])\.\.([/\\]|$))"}


def _unit_pattern(em: bool) -> str:
    units = [u for u in UNITS] + (["em"] if em else [])
    return "(" + "|".join("".join(f"[{c.lower()}{c.upper()}]" for c in u) for u in units) + ")"


@dataclass(frozen=True)
class Length(Kind):
    """A length with a unit (9pt, 3mm, 20q; `em` of the body size where `em` is true)."""
    positive: bool = True
    em: bool = False

    def read(self, value, where, key, env):
        try:
            points = parse_length(value, em=env.get("em") if self.em else None)
        except UnitError as err:
            raise where.error(f"`{key}`: {err}") from None
        if self.positive and points <= 0 or points < 0:
            raise where.error(f"`{key}` must be {'greater than zero' if self.positive else 'zero or more'}, "
                              f"got {value!r}; give a length such as 9pt or 3mm")
        return points

    def schema(self):
        number = r"([0-9]*[1-9][0-9]*(\.[0-9]+)?|[0-9]+\.[0-9]*[1-9][0-9]*)" if self.positive \
            else r"[0-9]+(\.[0-9]+)?"
        return {"type": "string", "pattern": rf"^\s*{number}\s*{_unit_pattern(self.em)}\s*$",
                "examples": ["9pt", "3mm"] + (["1em"] if self.em else [])}


@dataclass(frozen=True)
class Int(Kind):
    """A whole number, at least `low`."""
    low: int = 1

    def read(self, value, where, key, env):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise where.error(f"`{key}` must be a whole number (digits, no unit), got {value!r}")
        if value < self.low:
            raise where.error(f"`{key}` must be at least {self.low}, got {value}")
        return value

    def schema(self):
        return {"type": "integer", "minimum": self.low}


@dataclass(frozen=True)
class Number(Kind):
    """A number from `low` to `high`; `say` is the message when it is not."""
    low: float
    high: float
    say: str

    def read(self, value, where, key, env):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not self.low <= value <= self.high:
            raise where.error(self.say)
        return float(value)

    def schema(self):
        return {"type": "number", "minimum": self.low, "maximum": self.high}


@dataclass(frozen=True)
class Bool(Kind):
    """true or false; `say` is the message otherwise."""
    say: str

    def read(self, value, where, key, env):
        if not isinstance(value, bool):
            raise where.error(self.say)
        return value

    def schema(self):
        return {"type": "boolean"}


@dataclass(frozen=True)
class Choice(Kind):
    """One of a few words."""
    values: tuple

    def read(self, value, where, key, env):
        if value not in self.values:
            raise where.error(f"`{key}` is one of {', '.join(map(str, self.values))}; got {value!r}")
        return value

    def schema(self):
        return {"enum": list(self.values)}


@dataclass(frozen=True)
class Color(Kind):
    """CMYK in percent, four numbers 0–100; read as fractions 0–1."""

    def read(self, value, where, key, env):
        ok = isinstance(value, list) and len(value) == 4 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 100 for v in value)
        if not ok:
            raise where.error(f"`{key}` is CMYK in percent, e.g. [0, 100, 100, 10]")
        return tuple(round(v / 100.0, 4) for v in value)

    def schema(self):
        return {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 100},
                "minItems": 4, "maxItems": 4}


@dataclass(frozen=True)
class MapOf(Kind):
    """A mapping of free names (font roles, families) to values of one kind."""
    kind: Kind
    what: str                       # "a mapping of font roles to families", for messages
    nonempty: bool = False

    def read(self, value, where, key, env):
        if not isinstance(value, Map) or (self.nonempty and not value):
            raise where.error(f"`{key}` must be {self.what}")
        return {str(name): self.kind.read(v, value.at(name), str(name), env) for name, v in value.items()}

    def schema(self):
        s = {"type": "object", "additionalProperties": self.kind.schema()}
        if self.nonempty:
            s["minProperties"] = 1
        return s


@dataclass(frozen=True)
class ListOf(Kind):
    """A list of values of one kind, at least `min_items` long; `what` says what it lists."""
    kind: Kind
    what: str
    min_items: int = 0

    def read(self, value, where, key, env):
        if not isinstance(value, list) or len(value) < self.min_items:
            raise where.error(f"`{key}` must list {self.what}")
        places = value.item_where if isinstance(value, Seq) else [where] * len(value)
        return tuple(self.kind.read(v, w, key, env) for v, w in zip(value, places))

    def schema(self):
        s = {"type": "array", "items": self.kind.schema()}
        if self.min_items:
            s["minItems"] = self.min_items
        return s

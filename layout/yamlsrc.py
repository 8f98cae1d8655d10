"""Safe YAML loading that remembers where every key and value stood in the file."""
from __future__ import annotations

from pathlib import Path

from . import fullwidth, yamlstore
from .suggest import hint


def one_line(text: str) -> str:
    """`text` safe to print as one line: line breaks and other invisible characters written as escapes."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


class SourceError(Exception):
    """An input error located in a file: renders as `FILE:LINE:COL: message`."""

    def __init__(self, path: Path | str, line: int, col: int, message: str):
        message = one_line(message)
        super().__init__(message)
        self.path, self.line, self.col, self.message = str(path), line, col, message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class Where:
    """A position in a source file (1-based line and column)."""

    __slots__ = ("path", "line", "col")

    def __init__(self, path: Path | str, line: int, col: int):
        self.path, self.line, self.col = str(path), line, col

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    def error(self, message: str) -> SourceError:
        return SourceError(self.path, self.line, self.col, message)

    @classmethod
    def of(cls, path, mark) -> "Where":
        return cls(path, mark.line + 1, mark.column + 1)


class Map(dict):
    """A YAML mapping that knows where it, its keys and its values stand."""

    where: Where
    key_where: dict
    value_where: dict

    def at(self, key) -> Where:
        return self.value_where.get(key, self.where)

    def check_keys(self, allowed, context: str) -> None:
        """Reject unknown keys, suggesting the key that was probably meant."""
        for key in self:
            if key not in allowed:
                raise self.key_where[key].error(f"unknown key `{key}` in {context}; {hint(str(key), allowed)}")


class Seq(list):
    """A YAML sequence that knows where it and its items stand."""

    where: Where
    item_where: list


def _loader_for(path: Path, base=None, lines: list | tuple = ()):
    """A SafeLoader (`base`, by default PyYAML's pure-Python one) that makes Maps and Seqs with their Wheres
    and refuses full-width `：` `，` typed for YAML's `:` `,`."""
    import yaml                  # here, not at the top: a warm build answers from the store (yamlstore.py)
    base = base or yaml.SafeLoader

    def refuse_full_width(node, flow: bool, is_key: bool = False) -> None:
        """A plain scalar holding `：` or `，` typed for YAML's `:` or `,` (see layout/fullwidth.py)."""
        if not isinstance(node, yaml.ScalarNode) or node.style:      # plain: None (libyaml: "")
            return
        mark = node.start_mark
        line = lines[mark.line] if mark.line < len(lines) else ""
        found = fullwidth.in_plain(node.value, line[:mark.column].strip() in ("", "-"), flow, is_key)
        if found:
            offset, message = found
            before = node.value[:offset]
            col = mark.column + offset + 1 if "\n" not in before else len(before) - before.rfind("\n")
            raise SourceError(path, mark.line + 1 + before.count("\n"), col, message)

    class Loader(base):
        def construct_document(self, node):
            refuse_full_width(node, flow=False)
            return super().construct_document(node)

        def construct_object(self, node, deep=False):
            try:
                return super().construct_object(node, deep=deep)
            except (ValueError, TypeError, OverflowError) as err:  # e.g. a date 2023-13-45, `!!int x`
                raise Where.of(path, node.start_mark).error(
                    f"cannot read `{node.value}` ({err}); correct it, or quote it to keep it as text") from None

    def mapping(loader, node):
        loader.flatten_mapping(node)
        out = Map()
        out.where, out.key_where, out.value_where = Where.of(path, node.start_mark), {}, {}
        for key_node, value_node in node.value:
            refuse_full_width(key_node, node.flow_style, is_key=True)
            refuse_full_width(value_node, node.flow_style)
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise Where.of(path, key_node.start_mark).error("a key must be a plain word") from None
            if key in out:
                raise Where.of(path, key_node.start_mark).error(f"key `{key}` appears twice; keep one")
            out[key] = loader.construct_object(value_node, deep=True)
            out.key_where[key] = Where.of(path, key_node.start_mark)
            out.value_where[key] = Where.of(path, value_node.start_mark)
        return out

    def sequence(loader, node):
        for child in node.value:
            refuse_full_width(child, node.flow_style)
        out = Seq(loader.construct_object(child, deep=True) for child in node.value)
        out.where = Where.of(path, node.start_mark)
        out.item_where = [Where.of(path, child.start_mark) for child in node.value]
        return out

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, sequence)
    return Loader


def decode_utf8(raw: bytes, path: Path | str) -> str:
    """The text of a file; SourceError at the LINE:COL of the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        col = len(raw[raw.rfind(b"\n", 0, err.start) + 1: err.start].decode("utf-8", "replace")) + 1
        raise SourceError(path, line, col, f"not UTF-8 (byte 0x{raw[err.start]:02X}); save the file as UTF-8") from None


def load_yaml(text: str, path: Path | str, line_offset: int = 0):
    """Parse YAML safely (no object construction); errors become SourceError at FILE:LINE:COL. A text
    parsed before (same file name, same offset) is answered from the store without PyYAML."""
    digest = yamlstore.entry_name(text, path, line_offset)
    found, value = yamlstore.load(digest)
    if found:
        return value
    value = _parse(text, path, line_offset)
    yamlstore.save(digest, value)
    return value


def _parse(text: str, path: Path | str, line_offset: int):
    import yaml
    text = "\n" * line_offset + text  # so that marks count lines of the whole file
    lines = text.split("\n")
    fast = getattr(yaml, "CSafeLoader", None)      # libyaml's parser: the same nodes and marks, 5× faster
    if fast is not None:
        try:
            return yaml.load(text, Loader=_loader_for(Path(path), fast, lines))  # noqa: S506 - SafeLoader subclass
        except Exception:  # noqa: BLE001 - bad input: the pure-Python parser reports it, in its words
            pass
    try:
        return yaml.load(text, Loader=_loader_for(Path(path), lines=lines))  # noqa: S506 - SafeLoader subclass
    except yaml.constructor.ConstructorError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1 + line_offset, 1)
        what = (err.problem or err.context or "invalid YAML").strip()
        if "constructor for the tag" in what:  # !!python/object and friends: never constructed
            tag = what.rsplit(" ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
            what = f"the tag `{tag}` is not allowed (a spec holds plain values only); remove it"
        elif "recursive" in what:
            what = "an alias (*name) refers back to its own anchor (&name); remove the loop"
        raise SourceError(path, line, col, f"YAML: {what}") from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1 + line_offset, 1)
        first = err.context_mark.line if err.context_mark else line - 4   # a plain scalar runs on a few lines
        typed = fullwidth.in_lines(lines, min(first, line - 1), line - 1)
        if typed:
            raise SourceError(path, *typed) from None
        what = (err.problem or err.context or "invalid YAML").strip()
        hint = "indent with spaces, not tabs" if "'\\t'" in what else "check indentation, colons and quotes"
        raise SourceError(path, line, col, f"YAML syntax: {what}; {hint}") from None
    except yaml.reader.ReaderError as err:  # a control character or other unprintable one
        pos = max(0, err.position)
        line, col = text.count("\n", 0, pos) + 1, pos - text.rfind("\n", 0, pos)
        raise SourceError(path, line, col,
                          f"character U+{err.character:04X} (a control character) is not allowed; delete it") from None
    except yaml.YAMLError as err:
        raise SourceError(path, 1 + line_offset, 1, f"YAML: {err}".replace("\n", " ")) from None
    except RecursionError:
        raise SourceError(path, 1 + line_offset, 1, "YAML nested too deeply; flatten the lists and mappings") from None

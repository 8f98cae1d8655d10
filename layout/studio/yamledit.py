"""The round-trip writer: a block's `at`/`size` values changed in the text of page.yaml, nothing else.

The one YAML reader (layout/yamlsrc.py) tells where each value of the block stands (line and column);
only those scalars are replaced in the original text, so comments, key order, quoting and layout stay
byte for byte, and the diff of a drag touches only that block's values."""
from __future__ import annotations

import re

from ..yamlsrc import Map, Seq, SourceError, load_yaml

_SCALAR = re.compile(r"[^\s,\]\}#]+")


class EditError(Exception):
    """The spec cannot take the edit (no such block, a value that is not a two-item list …)."""


def _blocks(text: str) -> list:
    """The spec's block mappings (each knows where it stands); EditError when the text is not YAML."""
    try:
        root = load_yaml(text, "page.yaml")
    except SourceError as err:
        raise EditError(f"the spec does not read ({err.message}); fix it by hand") from None
    blocks = root.get("blocks") if isinstance(root, Map) else None
    return [b for b in blocks or () if isinstance(b, Map)] if isinstance(blocks, Seq) else []


def set_block_values(text: str, block_id: str, values: dict) -> str:
    """`text` with the block's `at`/`size` items set to `values` ({"at": [c, l], "size": [w, h]})."""
    block = next((b for b in _blocks(text) if str(b.get("id")) == block_id), None)
    if block is None:
        raise EditError(f"no block `{block_id}` in the spec")
    lines = text.split("\n")
    edits = []                         # (line, col, old text, new text)
    for key, new in values.items():
        seq = block.get(key)
        if not isinstance(seq, Seq) or len(seq) != 2:
            raise EditError(f"block `{block_id}`: `{key}` is not a two-item list [a, b]; edit it by hand")
        for i in range(2):
            if str(seq[i]) == str(new[i]):
                continue
            line, col = seq.item_where[i].line - 1, seq.item_where[i].col - 1
            m = _SCALAR.match(lines[line], col)
            if m is None:
                raise EditError(f"block `{block_id}`: cannot find the value of `{key}` in the text")
            edits.append((line, col, m.group(0), str(new[i])))
    for line, col, old, new in sorted(edits, reverse=True):
        lines[line] = lines[line][:col] + new + lines[line][col + len(old):]
    return "\n".join(lines)


def block_lines(text: str, block_id: str) -> tuple | None:
    """(first, last) 1-based lines of the block's entry in the spec's text, or None."""
    try:
        blocks = _blocks(text)
    except EditError:
        return None
    starts = [(b.where.line - 1, str(b.get("id"))) for b in blocks]
    total = len(text.rstrip("\n").split("\n"))
    for k, (line, bid) in enumerate(starts):
        if bid == block_id:
            end = starts[k + 1][0] - 1 if k + 1 < len(starts) else total - 1
            return line + 1, end + 1
    return None

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


def add_block(text: str, block_id: str, article: str, at: tuple, size: tuple) -> str:
    """`text` with a new article block appended to `blocks:`, written as the spec's own blocks are (their
    indentation, one key a line); every other byte stays. EditError when the spec lists no block to follow."""
    blocks = _blocks(text)
    if not blocks:
        raise EditError("the spec lists no block to write the new one after; add one by hand")
    if any(str(b.get("id")) == block_id for b in blocks):
        raise EditError(f"a block `{block_id}` is already on the page")
    lines = text.split("\n")
    first = blocks[0]
    dash = lines[first.where.line - 1][:first.where.col - 1]            # "  - " before the first key
    if not dash.strip() == "-":
        raise EditError("the spec's blocks are not written one key a line (- id: …); add the block by hand")
    keys = " " * len(dash)
    last = blocks[-1]
    span = block_lines(text, str(last.get("id")))
    end = span[1] if span else len(lines)
    while end > last.where.line and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1                                # after the last block's own lines, before comments that follow
    new = [f"{dash}id: {block_id}", f"{keys}article: {article}", f"{keys}at: [{at[0]}, {at[1]}]",
           f"{keys}size: [{size[0]}, {size[1]}]"]
    return "\n".join(lines[:end] + new + lines[end:])


def remove_block(text: str, block_id: str) -> str:
    """`text` without the block's entry (its lines up to the next block; comments after it stay)."""
    return removed_block(text, block_id)[0]


def insert_lines(text: str, at: int, entry: list) -> str:
    """`text` with lines `entry` put back before its line `at` (0-based): the undo of removed_block."""
    lines = text.split("\n")
    at = max(0, min(at, len(lines)))
    return "\n".join(lines[:at] + entry + lines[at:])


def removed_block(text: str, block_id: str) -> tuple:
    """(text without the block's entry, the 0-based line it began on, its lines)."""
    blocks = _blocks(text)
    if len(blocks) < 2:
        raise EditError("a page keeps at least one block")
    block = next((b for b in blocks if str(b.get("id")) == block_id), None)
    if block is None:
        raise EditError(f"no block `{block_id}` in the spec")
    first, end = block_lines(text, block_id)
    lines = text.split("\n")
    while end > first and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return "\n".join(lines[:first - 1] + lines[end:]), first - 1, lines[first - 1:end]


def free_spot(columns: int, lines: int, blocks, width: int = 2, least: int = 6) -> tuple | None:
    """((col, line), (cols, lines)) of the first free grid area, top to bottom then left to right, `width`
    columns wide (fewer on a narrower grid) and at least `least` lines tall, with a blank line between it
    and a block above it (the rule between stories); it takes the free lines below. None when there is none."""
    taken = {(c, ln) for b in blocks for c in range(b.col, b.col + b.cols) for ln in range(b.line, b.line + b.lines)}
    width = max(1, min(width, columns))
    for line in range(1, lines + 1):
        for col in range(1, columns - width + 2):
            cols = range(col, col + width)
            if line > 1 and any((c, line - 1) in taken for c in cols):
                continue
            height = 0
            while line + height <= lines and not any((c, line + height) in taken for c in cols):
                height += 1
            if height >= least:
                return (col, line), (width, height)
    return None

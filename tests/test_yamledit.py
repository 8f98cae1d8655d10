"""The studio's round-trip writer, read through the one YAML reader: a drag changes a block's `at`/`size`
values in the text and nothing else (comments, layout, other blocks byte for byte)."""
from __future__ import annotations

import difflib

import pytest

from layout.studio.yamledit import EditError, block_lines, set_block_values

from .conftest import FLAGSHIP


def test_a_drag_changes_only_the_blocks_values():
    text = FLAGSHIP.read_text(encoding="utf-8")
    new = set_block_values(text, "police", {"at": [3, 44], "size": [2, 31]})
    changed = [line for line in difflib.ndiff(text.split("\n"), new.split("\n")) if line[:1] in "+-"]
    assert sorted(changed) == ["+     at: [3, 44]", "+     size: [2, 31]", "-     at: [3, 43]", "-     size: [2, 32]"]
    assert set_block_values(text, "police", {"at": [3, 43]}) == text          # same values: same text


def test_block_style_lists_and_comments_are_kept():
    text = "blocks:\n  - id: a   # the lead\n    at:\n      - 1   # column\n      - 2\n    size: [3, auto]\n"
    new = set_block_values(text, "a", {"at": [4, 2], "size": [3, 12]})
    assert new == "blocks:\n  - id: a   # the lead\n    at:\n      - 4   # column\n      - 2\n    size: [3, 12]\n"


def test_block_lines_and_refusals():
    text = FLAGSHIP.read_text(encoding="utf-8")
    first, last = block_lines(text, "photo")
    lines = text.split("\n")
    assert lines[first - 1].strip() == "- id: photo" and lines[last].strip().startswith("- id: practice")
    assert block_lines(text, "nope") is None
    with pytest.raises(EditError, match="no block `nope`"):
        set_block_values(text, "nope", {"at": [1, 1]})
    with pytest.raises(EditError, match="`size` is not a two-item list"):
        set_block_values("blocks:\n  - id: a\n    size: 3\n", "a", {"size": [1, 1]})
    with pytest.raises(EditError, match="the spec does not read"):
        set_block_values("blocks: [\n", "a", {"at": [1, 1]})

"""The studio's round-trip writer, read through the one YAML reader: a drag changes a block's `at`/`size`
values in the text and nothing else (comments, layout, other blocks byte for byte)."""
from __future__ import annotations

import difflib

import pytest

from layout.studio.yamledit import EditError, add_block, block_lines, free_spot, remove_block, set_block_values

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


def test_a_placed_block_is_appended_in_the_files_style_and_removed_again():
    text = FLAGSHIP.read_text(encoding="utf-8") + "# a closing comment\n"
    new = add_block(text, "xinwen", "xinwen", (3, 80), (2, 19))
    added = [ln for ln in difflib.ndiff(text.split("\n"), new.split("\n")) if ln[:1] in "+-"]
    assert added == ["+   - id: xinwen", "+     article: xinwen", "+     at: [3, 80]", "+     size: [2, 19]"]
    assert new.index("id: xinwen") > new.index("id: volunteers") and new.endswith("# a closing comment\n")
    assert remove_block(new, "xinwen") == text
    with pytest.raises(EditError, match="already on the page"):
        add_block(text, "police", "police", (1, 1), (1, 1))
    with pytest.raises(EditError, match="at least one block"):
        remove_block("blocks:\n  - id: a\n    at: [1, 1]\n    size: [1, 1]\n", "a")


class _B:
    def __init__(self, col, line, cols, lines):
        self.col, self.line, self.cols, self.lines = col, line, cols, lines


def test_free_spot_leaves_a_blank_line_under_the_block_above():
    blocks = [_B(1, 1, 3, 10), _B(4, 1, 2, 30)]
    # columns 1-3 are free from line 11; line 11 lies right under the first block: the spot starts at 12
    assert free_spot(5, 40, blocks) == ((1, 12), (2, 29))
    assert free_spot(5, 40, blocks + [_B(1, 11, 3, 30)]) == ((4, 32), (2, 9))
    assert free_spot(5, 12, blocks + [_B(1, 11, 3, 2)]) is None                  # nothing six lines tall

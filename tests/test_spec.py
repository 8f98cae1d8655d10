"""The page spec: loading, units, grid placement and errors that name FILE:LINE:COL."""
import re
from pathlib import Path

import pytest

from layout.grid import check_blocks, make_grid
from layout.spec import load_spec
from layout.units import MM
from layout.yamlsrc import SourceError

from .conftest import FLAGSHIP


def test_flagship_spec_loads_with_broadsheet_geometry():
    spec = load_spec(FLAGSHIP)
    assert spec.format.trim_w == pytest.approx(390 * MM) and spec.format.trim_h == pytest.approx(545 * MM)
    assert spec.grid.columns == 8 and spec.grid.body.size == 9 and spec.grid.body.leading == 13.5
    assert len([b for b in spec.blocks if b.kind == "article"]) == 7
    assert [b.kind for b in spec.blocks].count("photo") == 1


def test_grid_columns_hold_whole_characters_and_fit_the_margins():
    spec = load_spec(FLAGSHIP)
    grid = make_grid(spec)
    assert grid.col_width == 13 * 9.0
    assert grid.left >= spec.format.inner - 1e-6
    assert grid.left + grid.width <= spec.format.trim_w - spec.format.outer + 1e-6
    assert grid.bottom <= spec.format.trim_h - spec.format.bottom + 1e-6
    check_blocks(spec, grid)


def _write(tmp_path: Path, text: str) -> Path:
    page = tmp_path / "page.yaml"
    page.write_text(text, encoding="utf-8")
    return page


def _edit(old: str, new: str, tmp_path: Path) -> Path:
    text = FLAGSHIP.read_text(encoding="utf-8")
    assert old in text
    return _write(tmp_path, text.replace(old, new, 1))


def _error(path):
    with pytest.raises(SourceError) as err:
        spec = load_spec(path)
        check_blocks(spec, make_grid(spec))
    message = str(err.value)
    assert re.match(r"^.+:\d+:\d+: ", message), message
    assert "\n" not in message
    return err.value


def test_unknown_key_suggests_the_right_one(tmp_path):
    err = _error(_edit("  columns: 8", "  colums: 8", tmp_path))
    assert "did you mean `columns`" in str(err)
    assert err.line == FLAGSHIP.read_text(encoding="utf-8").splitlines().index("  columns: 8") + 1


def test_yaml_syntax_error_points_at_the_line(tmp_path):
    err = _error(_edit("  bleed: 3mm", "  bleed: [3mm", tmp_path))
    assert "YAML syntax" in str(err)


def test_length_without_unit_is_refused(tmp_path):
    err = _error(_edit("  bleed: 3mm", "  bleed: 3", tmp_path))
    assert "needs a unit" in str(err)


def test_block_outside_the_grid(tmp_path):
    err = _error(_edit("    at: [5, 76]", "    at: [6, 76]", tmp_path))
    assert "columns" in str(err) and "grid has 8" in str(err)


def test_overlapping_blocks_are_named(tmp_path):
    err = _error(_edit("    at: [3, 43]", "    at: [2, 43]", tmp_path))
    assert "overlaps block" in str(err)


def test_negative_and_zero_sizes(tmp_path):
    err = _error(_edit("size: [4, 23]", "size: [0, 23]", tmp_path))
    assert "at least 1" in str(err)


def test_paths_must_stay_in_the_page_folder(tmp_path):
    err = _error(_edit("photo: images/party-day.jpg", "photo: ../../etc/passwd", tmp_path))
    assert "inside the page folder" in str(err)


def test_duplicate_block_ids(tmp_path):
    err = _error(_edit("id: police", "id: lead", tmp_path))
    assert "used twice" in str(err)


def test_headline_size_range_must_go_from_smallest_to_largest(tmp_path):
    err = _error(_edit("    headline_size: 34pt", "    headline_size: [40pt, 20pt]", tmp_path))
    assert "[smallest, largest]" in str(err) and "[20pt, 40pt]" in str(err)

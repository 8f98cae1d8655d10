"""Lengths and their units."""
import pytest

from layout.units import MM, UnitError, parse_length


@pytest.mark.parametrize("text, points", [("9pt", 9.0), ("3mm", 3 * MM), ("1cm", 10 * MM), ("1in", 72.0),
                                          ("20q", 5 * MM), ("1.5em", 13.5), ("-2pt", -2.0)])
def test_units_convert_to_points(text, points):
    assert parse_length(text, em=9.0) == pytest.approx(points)


@pytest.mark.parametrize("bad", ["9", "9 px", "abc", "", True, None, [1]])
def test_bad_lengths_are_refused_with_a_hint(bad):
    with pytest.raises(UnitError) as err:
        parse_length(bad, em=9.0)
    assert "pt" in str(err.value) or "length" in str(err.value)


def test_em_needs_a_body_size():
    with pytest.raises(UnitError, match="em is not allowed"):
        parse_length("1em")

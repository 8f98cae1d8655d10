"""Lengths: one table of units, all converted to PostScript points."""
from __future__ import annotations

import re

MM = 72.0 / 25.4
#: points per unit; `em` is resolved against the body size by the caller.
UNITS = {
    "pt": 1.0,
    "mm": MM,
    "cm": 10 * MM,
    "in": 72.0,
    "q": 0.25 * MM,   # 級 (Q): a quarter millimetre, the phototypesetting unit for type
    "h": 0.25 * MM,   # 歯 (H): a quarter millimetre, for leading and spacing
}
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")


class UnitError(ValueError):
    """A length that cannot be read; the message says what is accepted."""


def parse_length(value: object, em: float | None = None, default_unit: str | None = None) -> float:
    """Convert '12mm', '9pt', '1.5em', '20q' or a bare number (in default_unit) to points."""
    if isinstance(value, bool):
        raise UnitError(f"expected a length such as 9pt or 3mm, got {value!r}")
    if isinstance(value, (int, float)):
        if default_unit is None:
            raise UnitError(f"length {value} needs a unit: write {value}pt, {value}mm or {value}em")
        return parse_length(f"{value}{default_unit}", em)
    if not isinstance(value, str):
        raise UnitError(f"expected a length such as 9pt or 3mm, got {value!r}")
    m = _LENGTH.match(value)
    if not m:
        raise UnitError(f"cannot read length {value!r}: write a number and a unit, e.g. 9pt, 3mm, 1em")
    number, unit = float(m.group(1)), m.group(2).lower()
    if not unit:
        if default_unit is None:
            raise UnitError(f"length {value!r} needs a unit: pt, mm, cm, in, q, h or em")
        unit = default_unit
    if unit == "em":
        if em is None:
            raise UnitError(f"{value!r}: em is not allowed here; use pt or mm")
        return number * em
    if unit not in UNITS:
        raise UnitError(f"unknown unit {unit!r} in {value!r}: use pt, mm, cm, in, q, h or em")
    return number * UNITS[unit]

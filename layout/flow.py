"""Body lines through a block's columns: balanced columns, and an exact count of what does not fit."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Flowed:
    """Where each line went (column, row within the column) and what was left over."""
    placed: tuple            # ((column 0-based, row 0-based, SetLine), ...)
    capacity: int            # lines per column available
    columns: int
    overflow: tuple          # SetLines that did not fit, in order
    empty_lines: int         # line slots left empty in the block's columns

    @property
    def overflow_chars(self) -> int:
        return sum(line.chars for line in self.overflow)

    @property
    def depth(self) -> int:
        """Lines in the deepest column."""
        return max((row + 1 for _, row, _ in self.placed), default=0)

    @property
    def status(self) -> str:
        if self.overflow:
            return "overflow"
        return "underfull" if self.depth < self.capacity else "fits"


def _keeps(line) -> bool:
    """A line that must not end a column (a crosshead, a table row that goes on, a pull quote's lines)."""
    return getattr(line, "keep", False)


def _fill(lines: tuple, columns: int, capacity: int, depth: int) -> Flowed:
    """Columns of at most `depth` lines, each ended before any run of lines kept with the next."""
    placed, k, n = [], 0, len(lines)
    for col in range(columns):
        end = min(k + depth, n)
        if end < n:
            cut = end
            while cut > k and _keeps(lines[cut - 1]):
                cut -= 1
            if cut > k:                 # a unit taller than the column breaks where it must
                end = cut
        placed += [(col, row, lines[k + row]) for row in range(end - k)]
        k = end
    return Flowed(placed=tuple(placed), capacity=capacity, columns=columns, overflow=lines[k:],
                  empty_lines=columns * capacity - len(placed))


def flow_balanced(lines, columns: int, capacity: int) -> Flowed:
    """Fill `columns` columns of `capacity` lines so that they end level (the last ones at most a line short).

    With lines kept with the next (layout/setbody.py), the shallowest depth at which everything fits."""
    lines = tuple(lines)
    if columns and capacity and any(_keeps(line) for line in lines):
        for depth in range(max(1, -(-len(lines) // columns)), capacity + 1):
            flowed = _fill(lines, columns, capacity, depth)
            if not flowed.overflow:
                return flowed
        return _fill(lines, columns, capacity, capacity)
    room = columns * capacity
    fitting, overflow = lines[:room], lines[room:]
    depth, extra = divmod(len(fitting), columns) if columns else (0, 0)
    placed, k = [], 0
    for col in range(columns):
        height = depth + (1 if col < extra else 0)
        for row in range(height):
            placed.append((col, row, fitting[k]))
            k += 1
    return Flowed(placed=tuple(placed), capacity=capacity, columns=columns, overflow=overflow,
                  empty_lines=room - len(fitting))


def flow_sequential(lines, columns: int, capacity: int) -> Flowed:
    """Fill columns one after the other, top to bottom (a block that jumps on to another)."""
    lines = tuple(lines)
    if columns and capacity and any(_keeps(line) for line in lines):
        return _fill(lines, columns, capacity, capacity)
    room = columns * capacity
    placed = tuple((k // capacity, k % capacity, line) for k, line in enumerate(lines[:room])) if capacity else ()
    return Flowed(placed=placed, capacity=capacity, columns=columns, overflow=lines[room:],
                  empty_lines=room - len(placed))

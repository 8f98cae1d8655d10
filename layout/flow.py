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


def flow_balanced(lines, columns: int, capacity: int) -> Flowed:
    """Fill `columns` columns of `capacity` lines so that they end level (the last ones at most a line short)."""
    lines = tuple(lines)
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
    room = columns * capacity
    placed = tuple((k // capacity, k % capacity, line) for k, line in enumerate(lines[:room])) if capacity else ()
    return Flowed(placed=placed, capacity=capacity, columns=columns, overflow=lines[room:],
                  empty_lines=room - len(placed))

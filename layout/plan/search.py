"""The search: guillotine tilings of the free rectangles, exact to the line, found by dynamic programming
over heights (bit sets) and sampled top-down with a seeded random choice; the scorer picks the best."""
from __future__ import annotations

from dataclasses import dataclass

from . import rules as R


ACROSS_BIAS = 0.85    # how often the sampler stacks (rather than sets side by side) when it can do both
BIASES = (0.85, 0.97, 1.0)   # the samples take these in turn: side by side, two headlines stand level
                             #   (a tombstone) unless a photo heads one of the facing blocks


def bits(mask: int):
    """The heights in a bit set, lowest first."""
    h = 0
    while mask:
        if mask & 1:
            yield h
        mask >>= 1
        h += 1


@dataclass(frozen=True)
class Node:
    """A guillotine tree: a leaf (a story's shape) or a cut, across (top/bottom) or down (left/right)."""
    cut: str                  # "leaf", "across", "down"
    leaf: object = None
    first: "Node | None" = None
    second: "Node | None" = None
    size: int = 0             # across: lines of the top part; down: columns of the left part
    span: tuple = ()          # (w, i, j, h): the rectangle and the stories it holds, for resampling


def nodes(node: Node, path: tuple = ()) -> list:
    """(path, node) of every node, parents before children, first before second; a path is a tuple of 0
    (first) and 1 (second) steps."""
    out, stack = [], [(path, node)]
    while stack:
        path, node = stack.pop()
        out.append((path, node))
        if node.cut != "leaf":
            stack.append((path + (1,), node.second))
            stack.append((path + (0,), node.first))
    return out


def replaced(node: Node, path: tuple, new: Node) -> Node:
    """The tree with the node at `path` replaced by `new`."""
    if not path:
        return new
    if path[0] == 0:
        return Node(node.cut, node.leaf, replaced(node.first, path[1:], new), node.second, node.size, node.span)
    return Node(node.cut, node.leaf, node.first, replaced(node.second, path[1:], new), node.size, node.span)


class Tiler:
    """Which heights the stories order[i:j] can fill exactly in a rectangle `w` columns wide."""

    def __init__(self, options: list, order: tuple, columns: int, max_lines: int):
        self.options, self.order, self.columns = options, order, columns
        self.cap = (1 << (max_lines + 1)) - 1
        n = len(order)
        self.mask: dict = {}
        self._made: dict = {}       # (w, i, j, h): the cuts that fill it (_cuts)
        for length in range(1, n + 1):
            for i in range(0, n - length + 1):
                j = i + length
                for w in range(1, columns + 1):
                    self.mask[w, i, j] = self._combine(w, i, j)

    def _combine(self, w: int, i: int, j: int) -> int:
        if j - i == 1:
            m = 0
            for h in self.options[self.order[i]].get(w, {}):
                m |= 1 << h
            return m & self.cap
        m = 0
        gap = R.GAP_LINES
        for k in range(i + 1, j):
            top, bottom = self.mask[w, i, k], self.mask[w, k, j]
            if top and bottom:
                for a in bits(top):
                    m |= bottom << (a + gap)
            for w1 in range(1, w):
                m |= self.mask[w1, i, k] & self.mask[w - w1, k, j]
        return m & self.cap

    def fits(self, w: int, i: int, j: int, h: int) -> bool:
        return j > i and bool(self.mask.get((w, i, j), 0) >> h & 1)

    def _cuts(self, w: int, i: int, j: int, h: int) -> tuple:
        """(across, down): the cuts of w x h into two parts each filled exactly, (k, top lines) and (k, left
        columns), in a fixed order; made once per rectangle (the samples ask for the same ones again)."""
        made = self._made.get((w, i, j, h))
        if made is not None:
            return made
        gap = R.GAP_LINES
        across, down = [], []
        for k in range(i + 1, j):
            bottom = self.mask[w, k, j]
            for a in bits(self.mask[w, i, k]):
                if a + gap < h and bottom >> (h - a - gap) & 1:
                    across.append((k, a))
            for w1 in range(1, w):
                if self.fits(w1, i, k, h) and self.fits(w - w1, k, j, h):
                    down.append((k, w1))
        made = self._made[w, i, j, h] = (across, down)
        return made

    def sample(self, w: int, i: int, j: int, h: int, rng, bias: float = ACROSS_BIAS) -> Node:
        """A random tree that fills w x h exactly with order[i:j] (the caller knows that one exists)."""
        if j - i == 1:
            return Node("leaf", leaf=self.options[self.order[i]][w][h], span=(w, i, j, h))
        across, down = self._cuts(w, i, j, h)
        kind = "across" if across and (not down or rng.random() < bias) else "down"
        if kind == "across":
            k, a = rng.choice(across)
            return Node("across", first=self.sample(w, i, k, a, rng, bias),
                        second=self.sample(w, k, j, h - a - R.GAP_LINES, rng, bias),
                        size=a, span=(w, i, j, h))
        k, w1 = rng.choice(down)
        return Node("down", first=self.sample(w1, i, k, h, rng, bias), second=self.sample(w - w1, k, j, h, rng, bias),
                    size=w1,
                    span=(w, i, j, h))


def every_tree(tiler: Tiler, w: int, i: int, j: int, h: int):
    """Every tree that fills w x h exactly with order[i:j] (for a few stories: the exhaustive search)."""
    if not tiler.fits(w, i, j, h):
        return
    if j - i == 1:
        yield Node("leaf", leaf=tiler.options[tiler.order[i]][w][h], span=(w, i, j, h))
        return
    gap = R.GAP_LINES
    for k in range(i + 1, j):
        for a in bits(tiler.mask[w, i, k]):
            if a + gap < h and tiler.fits(w, k, j, h - a - gap):
                for first in every_tree(tiler, w, i, k, a):
                    for second in every_tree(tiler, w, k, j, h - a - gap):
                        yield Node("across", first=first, second=second, size=a, span=(w, i, j, h))
        for w1 in range(1, w):
            if tiler.fits(w1, i, k, h) and tiler.fits(w - w1, k, j, h):
                for first in every_tree(tiler, w1, i, k, h):
                    for second in every_tree(tiler, w - w1, k, j, h):
                        yield Node("down", first=first, second=second, size=w1, span=(w, i, j, h))


def placed_leaves(node: Node, col: int, line: int) -> list:
    """[(Leaf, column, line)] of a tree whose top-left cell is (col, line), first parts before second."""
    out, stack, gap = [], [(node, col, line)], R.GAP_LINES
    while stack:
        node, col, line = stack.pop()
        if node.cut == "leaf":
            out.append((node.leaf, col, line))
        elif node.cut == "across":
            stack.append((node.second, col, line + node.size + gap))
            stack.append((node.first, col, line))
        else:
            stack.append((node.second, col + node.size, line))
            stack.append((node.first, col, line))
    return out


def compositions(tiler: Tiler, rects: list, start: int = 0):
    """Ways to give the stories order[start:] to the free rectangles in turn, each filled exactly:
    yields [(i, j), ...] per rectangle."""
    if not rects:
        if start == len(tiler.order):
            yield []
        return
    (_, _, w, h), rest = rects[0], rects[1:]
    for j in range(start + 1, len(tiler.order) - len(rest) + 1):
        if tiler.fits(w, start, j, h):
            for more in compositions(tiler, rest, j):
                yield [(start, j)] + more


def free_rects(columns: int, lines: int, fixed: list, col: int = 1, line: int = 1) -> list:
    """Ways to cut the region (col, line, columns x lines) minus the fixed blocks into free rectangles
    by guillotine cuts along the fixed blocks' edges (a blank line between stacked parts):
    a list of alternatives, each a list of (col, line, cols, lines) in reading order."""
    inside = [b for b in fixed if col <= b[0] < col + columns and line <= b[1] < line + lines]
    if not inside:
        return [[(col, line, columns, lines)]] if columns > 0 and lines > 0 else [[]]
    if len(inside) == 1 and inside[0] == (col, line, columns, lines):
        return [[]]
    ways = []
    gap = R.GAP_LINES
    cuts_across = {b[1] for b in inside if b[1] > line} | {b[1] + b[3] + gap for b in inside if b[1] + b[3] < line + lines}
    for at in sorted(cuts_across):      # the top part ends `gap` lines above `at`
        top_h = at - gap - line
        if top_h < 0 or any(b[1] < at and b[1] + b[3] > at - gap for b in inside):
            continue
        for top in free_rects(columns, top_h, inside, col, line):
            for bottom in free_rects(columns, line + lines - at, inside, col, at):
                ways.append(top + bottom)
    cuts_down = {b[0] for b in inside if b[0] > col} | {b[0] + b[2] for b in inside if b[0] + b[2] < col + columns}
    for at in sorted(cuts_down):
        if any(b[0] < at < b[0] + b[2] for b in inside):
            continue
        for left in free_rects(at - col, lines, inside, col, line):
            for right in free_rects(col + columns - at, lines, inside, at, line):
                ways.append(left + right)
    unique = []
    for way in ways:
        way = sorted(r for r in way if r[2] > 0 and r[3] > 0)
        way.sort(key=lambda r: (r[1], r[0]))
        if way not in unique:
            unique.append(way)
    return unique[:8]


def any_tiling(options: list, ways: list, max_lines: int, every: bool = True) -> bool:
    """Whether the stories (options: per story {width: {height: Leaf}}), every one of them (or, not `every`,
    some of them), in any order, fill the free rectangles of some way exactly by guillotine cuts: dynamic
    programming over subsets of stories (a proof, for few stories, that no plan of them exists)."""
    n = len(options)
    cap = (1 << (max_lines + 1)) - 1
    widths = sorted({r[2] for way in ways for r in way})
    columns = max(widths)
    gap = R.GAP_LINES
    mask: dict = {}
    for s in range(1, 1 << n):
        low = s & -s
        for w in range(1, columns + 1):
            if s == low:
                m = 0
                for h in options[low.bit_length() - 1].get(w, {}):
                    m |= 1 << h
                mask[w, s] = m & cap
                continue
            m = 0
            rest = s ^ low
            sub = rest
            while True:                     # s1 holds the lowest story: each unordered split once
                s1, s2 = sub | low, s ^ (sub | low)
                if s2:
                    top, bottom = mask[w, s1], mask[w, s2]
                    if top and bottom:
                        for a in bits(top):
                            m |= bottom << (a + gap)
                    for w1 in range(1, w):
                        m |= mask[w1, s1] & mask[w - w1, s2]
                if not sub:
                    break
                sub = (sub - 1) & rest
            mask[w, s] = m & cap

    def fill(rects, left) -> bool:
        if not rects:
            return not left or not every
        (_, _, w, h), more = rects[0], rects[1:]
        sub = left
        while sub:
            if mask.get((w, sub), 0) >> h & 1 and fill(more, left ^ sub):
                return True
            sub = (sub - 1) & left
        return False

    return any(fill(list(way), (1 << n) - 1) for way in ways)

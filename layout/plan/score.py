"""Scoring a plan with named terms (fill, hierarchy, rule violations) and the measures printed with it."""
from __future__ import annotations

import math
from dataclasses import dataclass

from . import rules as R


def kendall_tau(xs, ys) -> float:
    """Kendall's tau-b (ties allowed); 1.0 when there are fewer than two items or no untied pairs."""
    n = len(xs)
    concordant = discordant = ties_x = ties_y = 0
    for a in range(n):
        for b in range(a + 1, n):
            dx, dy = xs[a] - xs[b], ys[a] - ys[b]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif (dx > 0) == (dy > 0):
                concordant += 1
            else:
                discordant += 1
    denom = math.sqrt((concordant + discordant + ties_x) * (concordant + discordant + ties_y))
    return 1.0 if denom == 0 else (concordant - discordant) / denom


@dataclass(frozen=True)
class Measures:
    """What every plan is judged by (the issue's goals: overlaps 0, overflow 0, fill < 1 %, tau >= 0.8,
    violations 0)."""
    overlaps: int
    overflow: int             # lines of text that would not fit (0 by construction; `layout plan` re-checks)
    placed: int               # stories on the page
    given: int                # stories given
    empty_lines: int          # empty line slots of the text columns
    body_lines: int           # line slots of the page (columns x lines)
    tau_area: float
    tau_top: float
    tombstones: int
    dog_legs: int
    photos_apart: int
    headline_order: int       # pairs of stories whose headline sizes contradict their priorities
    seconds: float = 0.0

    @property
    def fill(self) -> float:
        return self.empty_lines / self.body_lines if self.body_lines else 0.0

    @property
    def violations(self) -> int:
        return self.tombstones + self.dog_legs + self.photos_apart

    @property
    def valid(self) -> bool:
        return self.overlaps == 0 and self.overflow == 0

    @property
    def goals_met(self) -> bool:
        """Every goal of the issue but time: valid, fill < 1 %, tau >= 0.8 on both, no rule violation."""
        return (self.valid and self.fill < R.GOAL_FILL and self.tau_area >= R.GOAL_TAU and self.tau_top >= R.GOAL_TAU
                and self.violations == 0)

    def met(self) -> bool:
        return self.goals_met and self.seconds <= 10.0

    def lines(self) -> list:
        ok = lambda good: "ok" if good else "MISSED"   # noqa: E731
        return [
            f"validity: overlaps {self.overlaps}, overflow {self.overflow}, stories {self.placed}/{self.given}"
            f"  [{ok(self.valid)}]",
            f"fill: {self.empty_lines} empty of {self.body_lines} body lines = {self.fill * 100:.2f} %  "
            f"[goal < 1 %: {ok(self.fill < 0.01)}]",
            f"hierarchy: Kendall tau priority/area {self.tau_area:.2f}, priority/top {self.tau_top:.2f}  "
            f"[goal >= 0.8: {ok(self.tau_area >= 0.8 and self.tau_top >= 0.8)}]",
            f"rule violations: dog-legs {self.dog_legs}, tombstones {self.tombstones}, photos apart "
            f"{self.photos_apart} (headline sizes against priority: {self.headline_order} pairs)  "
            f"[goal 0: {ok(self.violations == 0)}]",
            f"time: {self.seconds:.2f} s per plan  [goal <= 10 s: {ok(self.seconds <= 10.0)}]",
        ]


def blocks_of(placed) -> list:
    """(story index, Part, column, line) for every block of the placed leaves."""
    return [(leaf.story, part, col + part.dcol, line + part.dline) for leaf, col, line in placed for part in leaf.parts]


def measure(placed, stories, columns: int, lines: int, given: int, leading: float, fixed=()) -> Measures:
    """The measures of a plan; `placed` is [(Leaf, column, line)]; `fixed`: the fixed article blocks as
    (negative id, Part, column, line), for the tombstones a planned headline makes beside one of them."""
    blocks = blocks_of(placed)
    overlaps = sum(1 for _, p, c, ln in blocks
                   if c < 1 or ln < 1 or c + p.cols - 1 > columns or ln + p.lines - 1 > lines)
    for k, (_, a, c1, l1) in enumerate(blocks):
        for _, b, c2, l2 in blocks[k + 1:]:
            if c1 < c2 + b.cols and c2 < c1 + a.cols and l1 < l2 + b.lines and l2 < l1 + a.lines:
                overlaps += 1
    ranks = [stories[leaf.story].rank for leaf, _, _ in placed]
    areas = [leaf.cols * leaf.lines for leaf, _, _ in placed]
    tops = [line for _, _, line in placed]
    tau_area = kendall_tau(ranks, [-a for a in areas])
    tau_top = kendall_tau(ranks, tops)
    dog_legs = sum(1 for leaf, _, _ in placed
                   if sum(p.cols * p.lines for p in leaf.parts) != leaf.cols * leaf.lines)
    apart = 0
    for leaf, _, _ in placed:
        photos = [p for p in leaf.parts if p.kind == "photo"]
        texts = [p for p in leaf.parts if p.kind == "text"]
        for ph in photos:
            if texts and not any(_adjoin(ph, t) for t in texts):
                apart += 1
    sizes = {leaf.story: max((p.headline_size for p in leaf.parts), default=0.0) for leaf, _, _ in placed}
    order = sum(1 for a in sizes for b in sizes
                if sizes[a] and sizes[b] and stories[a].rank < stories[b].rank and sizes[a] < sizes[b])
    return Measures(overlaps, 0, len(placed), given, sum(p.empty for _, p, _, _ in blocks), columns * lines,
                    tau_area, tau_top, tombstones(blocks + list(fixed), leading), dog_legs, apart, order)


def _adjoin(a, b) -> bool:
    """Two parts of one rectangle touch along a side."""
    side = (a.dcol + a.cols == b.dcol or b.dcol + b.cols == a.dcol) and a.dline < b.dline + b.lines and b.dline < a.dline + a.lines
    top = (a.dline + a.lines == b.dline or b.dline + b.lines == a.dline) and a.dcol < b.dcol + b.cols and b.dcol < a.dcol + a.cols
    return side or top


def tombstones(blocks, leading: float) -> int:
    """Pairs of text blocks of different stories whose columns touch (one beside the other, either way round)
    and whose headlines stand at the same height: their first headline lines start within one grid line of
    each other, or their headline lines overlap. Each pair counts once."""
    texts = [(s, p, c, ln) for s, p, c, ln in blocks if p.kind == "text" and p.band[1] > 0]
    count = 0
    for k, (s1, a, c1, l1) in enumerate(texts):
        for s2, b, c2, l2 in texts[k + 1:]:
            if s1 == s2 or not (c1 + a.cols == c2 or c2 + b.cols == c1):
                continue
            count += level((l1 - 1) * leading + a.band[0], a.band[1], (l2 - 1) * leading + b.band[0], b.band[1],
                           leading)
    return count


def level(top1: float, height1: float, top2: float, height2: float, leading: float) -> bool:
    """Two headlines (pt from the page's first line to their first line, and their height) stand at the same
    height: they start within one grid line of each other, or their lines overlap."""
    return abs(top1 - top2) <= leading + 1e-6 or (top1 < top2 + height2 and top2 < top1 + height1)


def score(placed, m: Measures) -> float:
    """Lower is better: the rules' weights applied to the plan's terms."""
    local = sum(leaf.penalty for leaf, _, _ in placed)
    return (R.W_TOMBSTONE * m.violations + R.W_TAU_AREA * (1 - m.tau_area) + R.W_TAU_TOP * (1 - m.tau_top)
            + R.W_HEADLINE_ORDER * m.headline_order + local + 1000.0 * m.overlaps + (0.0 if m.goals_met else R.W_MISSED)
            + R.W_GOAL * (max(0.0, R.GOAL_TAU - m.tau_area) + max(0.0, R.GOAL_TAU - m.tau_top)
                          + max(0.0, m.fill - R.GOAL_FILL) * 100))

"""From a page folder (template + articles + photos) to the best plans: stories in, ranked plans out."""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, replace
from pathlib import Path

from ..build import prepare_page
from ..content import load_article
from ..fonts import load_catalog
from ..measure import FontMetrics
from ..spec import inside_page, load_spec
from ..yamlsrc import SourceError
from . import rules as R
from .candidates import leaf_options, target_size
from .measure import Measurer, StoryIn
from .score import Measures, measure, score
from .search import Tiler, compositions, free_rects, nodes, placed_leaves, replaced

ORDERS = 16              # orders of the stories tried: priority order, then seeded variations of it
SAMPLES = 80             # trees sampled per order and way of giving the stories to the free rectangles
CLIMBS = 10              # the best sampled plans improved by local search
STEPS = 1000             # resampled subtrees per improved plan


class PlanError(Exception):
    """Input the planner cannot use: one line, `FILE:LINE:COL: what and how to fix`."""


@dataclass(frozen=True)
class Plan:
    """One plan: where each story's blocks stand, its score and its measures."""
    placed: tuple            # ((Leaf, column, line), ...)
    score: float
    measures: Measures


@dataclass(frozen=True)
class PlanResult:
    """The best distinct plans, the stories left out (id, characters) and what was searched."""
    template: object         # PageSpec of the template
    stories: tuple           # StoryIn, rank order
    plans: tuple
    left_out: tuple          # (StoryIn, ...) lowest priorities that do not fit
    shortage: str            # why no plan fills the page (too little text, or what would have to go), or ""
    rects: tuple             # the free rectangles the plans fill
    seconds: float
    cuts: tuple = ()         # (StoryIn, characters that would have to go, lines cut (0: the whole story)), ...


def is_fixed(block) -> bool:
    """A block the planner keeps where the template puts it: `fixed: true`, or an ad."""
    return bool(block.fixed or block.ad)


def template_path(folder: Path) -> Path:
    """`template.yaml` of the folder if there is one, else its `page.yaml` (only its fixed blocks are kept)."""
    for name in ("template.yaml", "page.yaml"):
        if (folder / name).is_file():
            return folder / name
    raise PlanError(f"{folder}:1:1: no template.yaml or page.yaml in the folder; write one with the page's "
                    f"format, grid, fonts and styles (see README, layout plan)")


def load_stories(spec, metrics) -> tuple:
    """Every article of the folder that is not a caption and not in a fixed block, ranked by `priority`
    (then by file name): StoryIn with its photo's aspect and its caption."""
    folder = spec.folder
    fixed = {n for b in spec.blocks for n in (b.article, b.caption) if n}   # spec: the fixed blocks
    arts = {p.stem: load_article(p) for p in sorted((folder / "articles").glob("*.md"))}
    captions = {a.caption for a in arts.values() if a.caption and a.caption != a.id}
    for a in arts.values():
        if a.caption and a.caption not in arts:
            raise PlanError(f"{a.path}:1:1: caption `{a.caption}`: no articles/{a.caption}.md; create it or fix "
                            f"`caption:`")
    chosen = [a for a in arts.values() if a.id not in fixed and a.id not in captions]
    chosen.sort(key=lambda a: (a.priority if a.priority is not None else 10 ** 6, a.id))
    out = []
    for rank, a in enumerate(chosen, 1):
        aspect = None
        if a.photo:
            path = folder / a.photo
            if not path.is_file():
                raise PlanError(f"{a.path}:1:1: photo {a.photo} not found in {folder}; fix `photo:`")
            from PIL import Image
            try:
                with Image.open(path) as im:
                    aspect = im.width / im.height
            except OSError as err:
                raise PlanError(f"{a.path}:1:1: photo {a.photo}: cannot read it ({err})") from None
        out.append(StoryIn(a, rank, a.photo or None, aspect, arts.get(a.caption) if a.caption else None))
    return tuple(out)


def plan_folder(folder: Path | str, alternatives: int = 1, seed: int = 0) -> PlanResult:
    """Plan the page of `folder`; raises PlanError for input it cannot use."""
    started = time.perf_counter()
    folder = Path(folder)
    try:
        spec = load_spec(template_path(folder))
        metrics = FontMetrics(load_catalog(), spec.fonts)
        # obstacles: every block the designer fixed (an ad, a photo, a rubric, a tint box), and every ad
        # (an ad's place is sold: the planner never moves one); `auto` heights resolved, the blocks checked
        fixed_spec, grid, _ = prepare_page(replace(spec, blocks=tuple(b for b in spec.blocks if is_fixed(b))),
                                           metrics)
        fixed_blocks = fixed_spec.blocks
        spec = replace(spec, blocks=fixed_blocks)
        stories = load_stories(spec, metrics)
    except SourceError as err:
        raise PlanError(str(err)) from None
    if not stories:
        raise PlanError(f"{folder / 'articles'}:1:1: no stories to plan; add articles/<id>.md files")
    m = Measurer(spec, grid, metrics)
    fixed = [(b.col, b.line, b.cols, b.lines) for b in fixed_blocks]
    ways = free_rects(grid.columns, grid.lines, fixed)
    count = len(stories)

    def options_for(kept, trim_last=False):
        return [{w: leaf_options(i, s, w, m, target_size(s.rank, len(kept)), trim_last and i == len(kept) - 1)
                 for w in range(1, grid.columns + 1)} for i, s in enumerate(kept)]

    def result(plans=(), left_out=(), shortage="", cuts=()):
        return PlanResult(spec, stories, tuple(plans), tuple(left_out), shortage, tuple(map(tuple, ways[0])),
                          time.perf_counter() - started, tuple(cuts))

    too_little = False
    for keep in range(count, 0, -1):
        kept = stories[:keep]
        options = options_for(kept)
        plans = _search(kept, options, ways, grid, count, seed, alternatives)
        if plans:
            left = stories[keep:]
            return result(plans, left, cuts=[(s, s.article.chars, 0) for s in left])
        if keep == count and _too_little(kept, options, ways):
            too_little = True
            break
    if too_little:
        return result(shortage=_shortage(stories, grid, ways, m))
    # no exact plan with whole stories: find the smallest cut that makes one (the last kept story cut by whole
    # lines, the stories after it left out), and say it instead of planning an overflowing page
    for keep in range(count, 0, -1):
        kept = stories[:keep]
        plans = _search(kept, options_for(kept, trim_last=True), ways, grid, count, seed, 1, samples=SAMPLES // 2)
        cut = [leaf for leaf, _, _ in plans[0].placed if leaf.cut] if plans else []
        if plans and cut:
            leaf = cut[0]
            text = next(p for p in leaf.parts if p.kind == "text")
            chars = m.chars_cut(kept[-1].article, text.cols, text.text_cols or text.cols, leaf.cut)
            cuts = [(kept[-1], chars, leaf.cut)] + [(s, s.article.chars, 0) for s in stories[keep:]]
            return result(shortage=_cut_message(cuts, text), cuts=cuts)
    return result(shortage=_shortage(stories, grid, ways, m))


def _cut_message(cuts, text) -> str:
    """Which stories do not fit and how many characters of each would have to go."""
    first, chars, lines = cuts[0]
    said = [f"{first.id} (priority {first.rank}) {chars} of its {first.article.chars} characters (its last "
            f"{lines} lines at {text.cols} columns)"]
    said += [f"{s.id} (priority {s.rank}) all {n} characters" for s, n, _ in cuts[1:]]
    total = sum(n for _, n, _ in cuts)
    return (f"the stories do not all fit: {total} characters would have to go: " + "; ".join(said)
            + "; cut them (or leave the last stories out) and plan again")


def _too_little(stories, options, ways) -> bool:
    """Even at their largest the stories cover less than the free rectangles: dropping one cannot help."""
    most = sum(max((w * h for w, hs in opts.items() for h in hs), default=0) for opts in options)
    least_free = min(sum(r[2] * r[3] for r in way) for way in ways)
    return most < least_free


def _shortage(stories, grid, ways, m) -> str:
    free = min(sum(r[2] * r[3] for r in way) for way in ways)
    text = sum(m.body_lines(s.article) for s in stories)
    chars = round((free - text) * grid.col_width / grid.body_size * 0.85)
    photos = sum(1 for s in stories if s.photo)
    if text >= free:
        over, named = text - free, []
        for s in reversed(stories):            # the lowest priorities first, until the text is no more than the room
            if over <= 0:
                break
            lines = m.body_lines(s.article)
            named.append(f"{s.id} (priority {s.rank}) {s.article.chars} characters" if lines <= over else
                         f"{s.id} (priority {s.rank}) about {round(s.article.chars * over / lines)} of its "
                         f"{s.article.chars} characters")
            over -= lines
        go = ("; at least this would have to go: " + "; ".join(named)) if named else ""
        return (f"no exact plan found: {text} lines of text for {free} free line slots, but no tiling of whole "
                f"columns and lines fits every story within the limits (layout/plan/rules.py){go}; "
                f"a photo (an elastic part) or a shorter lead would help")
    return (f"the stories cannot fill the page exactly: {text} lines of text for {free} free line slots "
            f"({photos} photo(s) as elastic parts); add about {max(chars, 0)} characters, a story or a photo")


def _orders(count: int, rng) -> list:
    """Priority order first, then variations of it with a few neighbours swapped (seeded)."""
    base = tuple(range(count))
    orders = [base]
    for _ in range(ORDERS * 3):
        if len(orders) >= ORDERS or count < 2:
            break
        order = list(base)
        for _ in range(rng.randint(1, max(1, count // 2))):
            k = rng.randrange(count - 1)
            order[k], order[k + 1] = order[k + 1], order[k]
        if tuple(order) not in orders:
            orders.append(tuple(order))
    return orders


def _evaluate(trees, rects, stories, grid, given) -> Plan:
    placed = []
    for (col, line, _, _), tree in zip(rects, trees):
        placed += placed_leaves(tree, col, line)
    placed.sort(key=lambda p: p[0].story)
    ms = measure(placed, stories, grid.columns, grid.lines, given, grid.leading)
    return Plan(tuple(placed), round(score(placed, ms), 6), ms)


def _search(stories, options, ways, grid, given, seed, alternatives, samples: int = SAMPLES) -> list:
    """Sample trees for every order and way of filling the free rectangles, then improve the best ones by
    resampling one subtree at a time (kept when the score does not get worse)."""
    rng = random.Random(seed)
    found: dict = {}
    for order in _orders(len(stories), rng):
        tiler = Tiler(options, order, grid.columns, grid.lines)
        for rects in ways:
            for groups in list(compositions(tiler, rects))[:6]:
                for _ in range(samples):
                    trees = [tiler.sample(w, i, j, h, rng) for (_, _, w, h), (i, j) in zip(rects, groups)]
                    plan = _evaluate(trees, rects, stories, grid, given)
                    key = _key(plan)
                    if key not in found or plan.score < found[key][0].score:
                        found[key] = (plan, tiler, rects, trees)
    starts = sorted(found.values(), key=lambda f: (f[0].score, _key(f[0])))[:CLIMBS]
    for plan, tiler, rects, trees in starts:
        for _ in range(STEPS):
            k = rng.randrange(len(trees))
            path, node = rng.choice(nodes(trees[k]))
            w, i, j, h = node.span
            new = trees[:k] + [replaced(trees[k], path, tiler.sample(w, i, j, h, rng))] + trees[k + 1:]
            candidate = _evaluate(new, rects, stories, grid, given)
            key = _key(candidate)
            if key not in found or candidate.score < found[key][0].score:
                found[key] = (candidate, tiler, rects, new)
            if candidate.score <= plan.score:
                plan, trees = candidate, new
    ranked = sorted((f[0] for f in found.values()), key=lambda p: (p.score, _key(p)))
    distinct, seen = [], set()
    for plan in ranked:        # distinct: not the same rectangles with only padding moved
        shape = tuple((leaf.story, leaf.cols, leaf.lines, c, ln) for leaf, c, ln in plan.placed)
        if shape in seen:
            continue
        seen.add(shape)
        distinct.append(plan)
        if len(distinct) >= alternatives:
            break
    return distinct


def _key(plan: Plan) -> tuple:
    return tuple((leaf.story, leaf.cols, leaf.lines, col, line, leaf.parts) for leaf, col, line in plan.placed)

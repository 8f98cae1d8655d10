"""From a page folder (template + articles + photos) to the best plans: stories in, ranked plans out."""
from __future__ import annotations

import itertools
import math
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
from .candidates import Part, leaf_options, target_size
from .measure import Measurer, StoryIn, lengthened, shortened
from .score import Measures, measure, score
from .search import BIASES, Tiler, any_tiling, every_tree, compositions, free_rects, nodes, placed_leaves, replaced

ORDERS = 16              # orders of the stories tried: priority order, then seeded variations of it
SAMPLES = 80             # trees sampled per order and way of giving the stories to the free rectangles
CLIMBS = 10              # the best sampled plans improved by local search (half as many when looking for a cut)
STEPS = 1000             # resampled subtrees per improved plan
CUT_TRIES = 10           # (stories kept, shapes capped by the stories above) tried in turn for a cut
EXHAUSTIVE = 4           # up to this many stories, a failed search is followed by one of every plan
EVERY_PLAN = 40000       # plans the exhaustive search evaluates at most
LEAD_TIMES = (2, 3)      # a lead too short for its page is tried again this many times as long, then as long as
MOST_TIMES = 10          #   the longest story below it (at most this many times over)
TILING_PROOF = 8         # up to this many stories, a failed search is checked against every order of them
ADVICE_PHOTO = "(a photo)"   # the stand-in photo of a lead planned with the photo advice gives it (no file)


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
    proof: object = None     # Bounds: what the stories' shapes prove before any search
    cpu: float = 0.0         # CPU seconds of this process the plan took (wall `seconds` grow with the load)
    lead_times: int = 0      # > 0: no plan found, but one is with the lead's text this many times over (advice)
    lead_photo: bool = False  # and with a photo (rules.ADVICE_ASPECT) given to the lead, which had none


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
    started, cpu = time.perf_counter(), time.process_time()
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

    # a leaf with more empty line slots than the whole page may have (fill < 1 %) can never be in a plan that
    # meets the goals: the search does without it
    most_empty = math.ceil(R.GOAL_FILL * grid.columns * grid.lines) - 1

    # a story's shapes at a width, kept for the plan's re-plans (cut tries, lead tries) that ask for them again:
    # keyed by the story object (held, so its id stays its own), its index, target, trim and width
    shapes_made: dict = {}

    def shapes_of(i, s, w, target, trim):
        key = (id(s), i, target, trim, w)
        hit = shapes_made.get(key)
        if hit is None or hit[0] is not s:
            hit = shapes_made[key] = (s, leaf_options(i, s, w, m, target, trim))
        return hit[1]

    def options_for(kept, trim=False, capped=False):
        out = []
        for i, s in enumerate(kept):
            shapes = {w: shapes_of(i, s, w, target_size(i + 1, len(kept)), trim)
                      for w in range(1, grid.columns + 1)}
            out.append({w: {h: leaf for h, leaf in hs.items() if leaf.empty <= most_empty} for w, hs in shapes.items()})
        if capped:      # stories that may be cut take no shape larger than any story above them can be
            mosts = [max((w * h for w, hs in shapes.items() for h in hs), default=0) for shapes in out]
            # "cap1": but the largest story below the lead (a photo story, often) keeps every shape, one pair
            # against priority that tau >= 0.8 allows from five stories on
            free = {max(range(1, len(out)), key=lambda i: mosts[i])} if capped == "cap1" and len(out) > 1 else set()
            cap = None
            for i, shapes in enumerate(out):
                if i in free:
                    continue
                if cap is not None:
                    for w in shapes:
                        shapes[w] = {h: leaf for h, leaf in shapes[w].items() if w * h < cap}
                cap = mosts[i] if cap is None else min(cap, mosts[i])
        return out

    def result(plans=(), left_out=(), shortage="", cuts=(), proof=None, lead_times=0, lead_photo=False):
        return PlanResult(spec, stories, tuple(plans), tuple(left_out), shortage, tuple(map(tuple, ways[0])),
                          time.perf_counter() - started, tuple(cuts), proof, time.process_time() - cpu, lead_times,
                          lead_photo)

    # the headlines of the fixed article blocks: a planned headline level beside one is a tombstone too
    heads = []
    for k, b in enumerate(fixed_blocks):
        if b.article:
            art = load_article(spec.folder / "articles" / f"{b.article}.md")
            band = m.fixed_band(b, art)
            if band[1] > 0:
                heads.append((-1 - k, Part("text", 0, 0, b.cols, b.lines, band=band), b.col, b.line))
    heads = tuple(heads)
    def whole_plans(stories):
        """(plans of every story whole that meet the goals, the best plans of them all, Bounds)."""
        count = len(stories)
        options = options_for(stories)
        proof = bounds(stories, options, ways)
        whole = []
        if proof.fits:
            whole = _search(stories, options, ways, grid, count, seed, alternatives, fixed=heads)
            plans = [p for p in whole if p.measures.goals_met]
            if plans:
                return plans, whole, proof
            for capped in ("cap", "cap1"):     # again, each story no larger than those above it (but one)
                if capped == "cap1" and count < 5:
                    continue
                plans = [p for p in _search(stories, options_for(stories, capped=capped), ways, grid, count, seed,
                                            alternatives, samples=SAMPLES // 2, fixed=heads) if p.measures.goals_met]
                if plans:
                    return plans, whole, proof
            if count <= TILING_PROOF and not any_tiling(options, ways, grid.lines):
                proof = replace(proof, no_tiling=True)
            elif count <= EXHAUSTIVE:
                plans, complete = _every_plan(stories, options, ways, grid, count, heads, alternatives)
                if plans:
                    return plans, whole, proof
                proof = replace(proof, exhausted=complete)
        return [], whole, proof

    def plan_stories(stories, lead_try=True):
        """The plans of `stories`, or the cut or the advice that gives one, or why none."""
        plans, whole, proof = whole_plans(stories)      # whole: the best plans, should none meet the goals
        if plans:
            return result(plans, proof=proof)
        if proof.too_little:
            return result(shortage=_shortage(stories, grid, ways, m, proof), proof=proof)
        # no plan of every story whole meets the goals: find the smallest cut that makes one (whole stories of the
        # lowest priorities left out, the last lines of others cut, in whole rows) and say it instead of planning
        # an overflowing page or a page that misses its goals
        for kept, capped in _cut_tries(stories, proof):
            plans = [p for p in _search(kept, options_for(kept, trim=True, capped=capped), ways, grid, count, seed, 1,
                                        samples=SAMPLES // 2, fixed=heads, climbs=CLIMBS // 2)
                     if p.measures.goals_met]
            if not plans:
                continue
            plan = plans[0]
            cuts = []
            for leaf, _, _ in plan.placed:
                if leaf.cut:
                    text = next(p for p in leaf.parts if p.kind == "text")
                    chars, lines = m.chars_to_cut(kept[leaf.story].article, text.cols, text.text_cols or text.cols,
                                                  leaf.cut)
                    cuts.append((kept[leaf.story], chars, lines, text.cols))
            cuts.sort(key=lambda c: c[0].rank)
            cuts = sorted([c[:3] for c in cuts] + [(s, s.article.chars, 0) for s in stories if s not in kept],
                          key=lambda c: c[0].rank)
            if not cuts:                        # the search with cuts found a plan of every story whole
                return result(plans, proof=proof)
            # the cut, made: the stories as they would be read again after it must be planned meeting the goals
            cut_chars = {s.id: chars for s, chars, lines in cuts if lines}
            again = tuple(StoryIn(shortened(s.article, cut_chars[s.id]) if s.id in cut_chars else s.article, rank,
                                  s.photo, s.aspect, s.caption) for rank, s in enumerate(kept, 1))
            if not whole_plans(again)[0]:
                continue
            if whole and not proof.reason(stories):
                # not proved that they cannot fit: the best plan of every story is written, its missed goals
                # printed, and the cut that would make one meeting them said as advice
                return result(whole, shortage=_cut_message(cuts, plan, kept, proof, stories), cuts=cuts,
                              proof=proof)
            if not any(lines for _, _, lines in cuts):
                return result([plan], [s for s in stories if s not in kept], cuts=cuts, proof=proof)
            return result(shortage=_cut_message(cuts, plan, kept, proof, stories), cuts=cuts, proof=proof)
        if count <= TILING_PROOF and not any_tiling(options_for(stories, trim=True), ways, grid.lines, every=False):
            proof = replace(proof, no_fill=True)     # no choice of them, whole or cut, fills the page
        if lead_try and not proof.too_little:
            # no plan, no cut: the lead is short for its page (shorter than stories below it need at their
            # smallest, or too small to be the largest story of a page that fills): planned again with the lead
            # made longer (its text twice, three times, as long as the longest below it), the outcome that gives
            # said as checked advice
            longest = math.ceil(max(s.article.chars for s in stories) / max(1, stories[0].article.chars))
            tries = [(times, False) for times in LEAD_TIMES + ((min(longest, MOST_TIMES),)
                                                               if longest > LEAD_TIMES[-1] else ())]
            if stories[0].photo is None:    # then a photo given to it (the elastic part), at its length and longer
                tries += [(times, True) for times in (1,) + LEAD_TIMES]
            for times, photo in tries:
                lead = replace(stories[0], article=lengthened(stories[0].article, times))
                if photo:
                    lead = replace(lead, photo=ADVICE_PHOTO, aspect=R.ADVICE_ASPECT, caption=None)
                longer = (lead,) + tuple(stories[1:])
                again = plan_stories(longer, lead_try=False)
                if (again.plans and not again.cuts and not again.shortage) or again.cuts:
                    return result(shortage=_lead_message(stories, proof, times, longer, again, photo), proof=proof,
                                  lead_times=times, lead_photo=photo)
        return result(shortage=_shortage(stories, grid, ways, m, proof), proof=proof)


    return plan_stories(stories)

def _cut_tries(stories, proof) -> list:
    """The sets of stories a cut keeps, tried in turn, each with its shapes capped by the stories above it
    ("cap"), all but the largest below the lead ("cap1") or not (""): the highest priorities that fit at their
    smallest (one more, one fewer ...), in turn with the same without the stories too short for their rank
    (whose largest shape is smaller than a lower story's smallest)."""
    count = len(stories)
    short = {a for a, _ in proof.forced if a > 0}
    sets = []
    for pool in (list(range(count)), [i for i in range(count) if i not in short]):
        keep = len(pool)
        while keep > 1 and sum(proof.least[i] for i in pool[:keep]) > proof.free:
            keep -= 1
        sets.append([(tuple(pool[:k]), capped) for k, capped in (
            (keep + 1, "cap"), (keep, "cap"), (keep - 1, "cap"), (len(pool), "cap1"), (keep + 2, "cap"),
            (keep + 1, "cap1"), (keep - 2, "cap"), (keep + 1, ""), (keep, ""), (len(pool), "cap"))
            if 1 <= k <= len(pool) and (capped != "cap1" or k >= 5)])
    first = ((tuple(range(count)), ""),) if proof.fits else ()
    rest = [t for pair in zip(*sets) for t in pair] if short else sets[0]
    tries = [*first, *rest]
    out = []
    for idx, capped in dict.fromkeys(tries):
        out.append((tuple(stories[i] for i in idx), capped))
    return out[:CUT_TRIES]


@dataclass(frozen=True)
class Bounds:
    """What the stories' exact shapes prove before any search: the least and the most line slots each story
    can take (its smallest and largest rectangle at any width), the free line slots, and the pairs of stories
    whose areas must contradict their priorities (the higher one's largest shape smaller than the lower one's
    smallest)."""
    least: tuple
    most: tuple
    free: int
    gaps: int                 # the most line slots rule lines between stacked stories can take: each such slot
                              #   lies right under a story's bottom row, so at most the sum of the stories' widest
    forced: tuple             # ((higher, lower) story indexes), the area order forced against priority
    no_tiling: bool = False   # no order of the stories, whole, fills the free rectangles exactly (any_tiling)
    exhausted: bool = False   # every plan of the stories, whole, was made and none meets the goals
    no_fill: bool = False     # no choice of the stories, whole or cut, fills the free rectangles exactly

    @property
    def pairs(self) -> int:
        return len(self.least) * (len(self.least) - 1) // 2

    @property
    def tau_area_max(self) -> float:
        """The largest Kendall tau between priority and area any plan can reach (tau-b is at most
        (pairs - 2 * discordant) / pairs)."""
        return 1.0 if not self.pairs else 1 - 2 * len(self.forced) / self.pairs

    @property
    def too_much(self) -> bool:
        return sum(self.least) > self.free

    @property
    def too_little(self) -> bool:
        return sum(self.most) + self.gaps < self.free or self.under_lead + self.gaps < self.free or self.no_fill

    @property
    def under_lead(self) -> int:
        """The most line slots the stories can cover in a plan whose tau priority/area reaches the goal: a
        story larger than the lead makes a pair against priority, tau-b is at most 1 - 2 * pairs against /
        all pairs, so at most `allowed` stories can be larger than the lead; the others take at most the
        lead's largest area (cuts and stories left out only lower this)."""
        if not self.most:
            return 0
        lead, rest = self.most[0], self.most[1:]
        over = sorted((m - min(m, lead) for m in rest), reverse=True)
        allowed = math.floor((1 - R.GOAL_TAU) / 2 * self.pairs + 1e-9)
        return lead + sum(min(m, lead) for m in rest) + sum(over[:allowed])

    @property
    def fits(self) -> bool:
        return not self.too_much and not self.too_little and self.tau_area_max >= R.GOAL_TAU

    def reason(self, stories) -> str:
        """Why no plan of every story whole can meet the goals, proved from the shapes, or ""."""
        if self.too_much:
            return (f"the stories need at least {sum(self.least)} line slots at their smallest, the page has "
                    f"{self.free} free")
        if self.tau_area_max < R.GOAL_TAU:
            said = ", ".join(f"{stories[b].id} needs at least {self.least[b]} line slots, {stories[a].id} "
                             f"(priority {stories[a].rank}) can take at most {self.most[a]}"
                             for a, b in self.forced[:3])
            return (f"{len(self.forced)} of {self.pairs} pairs of stories must have areas against their priorities "
                    f"({said}{', ...' if len(self.forced) > 3 else ''}): Kendall tau priority/area can reach at "
                    f"most {self.tau_area_max:.2f}")
        if self.no_tiling:
            return ("no tiling of whole columns and lines fills the free area exactly with every story whole, "
                    "in any order, within the limits of layout/plan/rules.py")
        if self.exhausted:
            return ("every plan of whole stories, in every order, was made and none meets the goals (fill, "
                    "hierarchy, no tombstone)")
        return ""


def bounds(stories, options, ways) -> Bounds:
    """The Bounds of the stories' shapes (options: per story {width: {height: Leaf}}) on the free rectangles."""
    least = tuple(min((w * h for w, hs in o.items() for h in hs), default=0) for o in options)
    most = tuple(max((w * h for w, hs in o.items() for h in hs), default=0) for o in options)
    free = min(sum(r[2] * r[3] for r in way) for way in ways)
    n = len(stories)
    forced = tuple((a, b) for a in range(n) for b in range(a + 1, n)
                   if stories[a].rank < stories[b].rank and most[a] < least[b])
    widest = sum(max((w for w, hs in o.items() if hs), default=0) for o in options)
    return Bounds(least, most, free, R.GAP_LINES * widest, forced)


def _cut_message(cuts, plan, kept, proof, stories) -> str:
    """Which stories do not fit and how many characters of each would have to go."""
    widths = {kept[leaf.story].id: next(p for p in leaf.parts if p.kind == "text") for leaf, _, _ in plan.placed}
    out = {s.id for s, _, lines in cuts if not lines}
    said = [cut_words(s, chars, lines) + (f" (its last {lines} lines at {widths[s.id].cols} columns)" if lines
                                          else short_for_rank(s, stories, proof, out)) for s, chars, lines in cuts]
    total = sum(n for _, n, _ in cuts)
    why = proof.reason(stories)
    if not why:
        return (f"no plan of every story whole that meets every goal was found (none is proved impossible); "
                f"this cut would make one: {total} characters: " + "; ".join(said))
    return (f"the stories do not all fit ({why}): {total} characters would have to go: "
            + "; ".join(said) + "; cut them (or leave the last stories out) and plan again: that page meets "
            "the goals")


def short_for_rank(story, stories, proof, out) -> str:
    """` (short for its rank: ...)` for a story left out while a story of lower priority stays (ids not in
    `out`): what proved it too small for its place (its largest shape smaller than a lower story's smallest,
    so tau cannot put it above; the highest such story that stays named first), or ""."""
    if proof is None or not any(s.rank > story.rank and s.id not in out for s in stories):
        return ""
    a = next(i for i, s in enumerate(stories) if s.id == story.id)
    below = sorted((b for a2, b in proof.forced if a2 == a), key=lambda b: (stories[b].id in out, stories[b].rank))
    if not below:
        return ""
    b = below[0]
    also = ", also left out" if stories[b].id in out else ""
    return (f" (short for its rank: it takes at most {proof.most[a]} line slots, less than {stories[b].id} (priority "
            f"{stories[b].rank}{also}) needs whole at its smallest, {proof.least[b]}; a story short for its rank goes "
            f"before the stories below it)")


def _longer_than(lead, stories) -> str:
    """`, fewer than N stories below it have (...)`, or ""."""
    longer = [s.id for s in stories[1:] if s.article.chars > lead.article.chars]
    return (f", fewer than {len(longer)} stories below it have ({', '.join(longer[:4])}"
            f"{', ...' if len(longer) > 4 else ''})" if longer else "")


def _lead_message(stories, proof, times, longer, again, photo=False) -> str:
    """The advice when no plan is found and the lead is too short for the stories below it: checked by
    planning the stories again with the lead `times` as long (and given a 3:2 photo when `photo`)."""
    lead = stories[0]
    longer_ids = [stories[b].id for a, b in proof.forced if a == 0]
    extra = longer[0].article.chars - lead.article.chars
    then = ("a plan of every story meeting every goal is made" if not again.cuts else
            ("the stories are proved not to fit whole" if again.proof.reason(longer) else
             "no plan of every story whole is found") + " and this cut gives a plan meeting every goal: "
            + "; ".join(cut_words(s, chars, lines) for s, chars, lines in again.cuts))
    why = (f"it takes at most {proof.most[0]} line slots, less than {_stories_need(len(longer_ids))} "
           f"({', '.join(longer_ids[:4])}{', ...' if len(longer_ids) > 4 else ''})" if longer_ids else
           f"{lead.article.chars} characters{_longer_than(lead, stories)}, and no plan found makes it the largest "
           f"story of a page that fills exactly")
    longer_by = f"the lead {times} times as long ({extra} characters more, its text over again)"
    if photo:
        given = f"a {R.ADVICE_ASPECT * 2:.0f}:2 photo given to the lead" + (f" and {longer_by}" if times > 1 else "")
        todo = "give the lead a photo" + (", lengthen it" if times > 1 else "")
    else:
        given, todo = longer_by, "lengthen the lead"
    return (f"no plan meeting every goal found (none is proved impossible): the lead {lead.id} (priority 1) is "
            f"short: {why}; with {given} {then}; {todo} and plan again")


def cut_words(story, chars: int, lines: int) -> str:
    """`s05 (priority 5) 925 of its 2132 characters` or `s04 (priority 4) all 620 characters`: one story's
    share of a cut, as every message says it."""
    return f"{story.id} (priority {story.rank}) " + (f"{chars} of its {story.article.chars} characters" if lines
                                                     else f"all {chars} characters")


def _stories_need(n: int) -> str:
    """`1 story below it needs at its smallest`, `3 stories below it need at their smallest`."""
    return (f"{n} story below it needs at its smallest" if n == 1 else
            f"{n} stories below it need at their smallest")


def _shortage(stories, grid, ways, m, proof) -> str:
    """Why no plan is written when no cut helps: too little text (proved), or no plan found."""
    per_line = grid.col_width / grid.body_size
    if proof.too_little and sum(proof.most) + proof.gaps < proof.free:
        missing = proof.free - sum(proof.most) - proof.gaps
        return (f"the stories cannot fill the page: at their largest they take {sum(proof.most)} line slots (and "
                f"rule lines at most {proof.gaps}), the page has {proof.free} free; add about "
                f"{math.ceil(missing * per_line)} characters, a story or a photo")
    if proof.too_little and proof.no_fill and proof.under_lead + proof.gaps >= proof.free:
        return (f"the stories cannot fill the page: no choice of them, whole or with their last lines cut, "
                f"fills the {proof.free} free line slots exactly within the limits of layout/plan/rules.py (every "
                f"order and tiling checked); add text, a story or a photo")
    if proof.too_little:
        missing = proof.free - proof.under_lead - proof.gaps
        lead = stories[0]
        below = 1 + sum(1 for m in proof.most[1:] if m > proof.most[0])      # what a longer lead lifts
        return (f"the stories cannot fill the page under their lead: {lead.id} (priority 1) takes at most "
                f"{proof.most[0]} line slots, and with no more stories larger than it than Kendall tau >= 0.8 "
                f"allows, they cover at most {proof.under_lead} line slots (and rule lines at most {proof.gaps}) "
                f"of {proof.free} free; add about {math.ceil(missing * per_line / below)} characters to {lead.id}"
                + (" (or give it a photo)" if lead.photo is None else "") + ", or a story")
    why = proof.reason(stories)
    return (f"no exact plan found that meets the goals: the stories need {sum(proof.least)} to {sum(proof.most)} "
            f"line slots for {proof.free} free, but no tiling of whole columns and lines within the limits "
            f"(layout/plan/rules.py) was found" + (f" ({why}), nor a cut that makes one" if why else "")
            + "; a photo (an elastic part), more text or a shorter story would help")


def _orders(count: int, rng, last=()) -> list:
    """Priority order first, then variations of it with a few neighbours swapped (seeded), then priority order
    with each story of `last` (the photo stories) moved to the end: set beside the rest, its photo on top,
    a photo story keeps its headline clear of the others'."""
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
    for k in last:
        order = tuple(i for i in base if i != k) + (k,)
        if order not in orders:
            orders.append(order)
    return orders


def _evaluate(trees, rects, stories, grid, given, fixed=(), made=None) -> Plan:
    """The plan of `trees` in `rects`, measured and scored; `made` (one search's memo, whose leaves its options
    hold, so their ids stay theirs): a plan of the same leaves at the same places measured once."""
    placed = []
    for (col, line, _, _), tree in zip(rects, trees):
        placed += placed_leaves(tree, col, line)
    placed.sort(key=lambda p: p[0].story)
    if made is not None:
        key = tuple((id(leaf), col, line) for leaf, col, line in placed)
        plan = made.get(key)
        if plan is None:
            plan = made[key] = _evaluate_placed(placed, stories, grid, given, fixed)
            made[id(plan)] = _key(plan)         # its key, asked for again with it (_search)
        return plan
    return _evaluate_placed(placed, stories, grid, given, fixed)


def _evaluate_placed(placed, stories, grid, given, fixed) -> Plan:
    ms = measure(placed, stories, grid.columns, grid.lines, given, grid.leading, fixed)
    return Plan(tuple(placed), round(score(placed, ms), 6), ms)


def _search(stories, options, ways, grid, given, seed, alternatives, samples: int = SAMPLES, fixed=(),
            climbs: int = CLIMBS) -> list:
    """Sample trees for every order and way of filling the free rectangles, then improve the best ones by
    resampling one subtree at a time (kept when the score does not get worse)."""
    rng = random.Random(seed)
    found: dict = {}
    made: dict = {}        # the plans measured, by their leaves and places (_evaluate)
    for order in _orders(len(stories), rng, [i for i, s in enumerate(stories) if s.photo and i > 0]):
        tiler = Tiler(options, order, grid.columns, grid.lines)
        for rects in ways:
            for groups in list(compositions(tiler, rects))[:6]:
                for n in range(samples):
                    bias = BIASES[n % len(BIASES)]
                    trees = [tiler.sample(w, i, j, h, rng, bias) for (_, _, w, h), (i, j) in zip(rects, groups)]
                    plan = _evaluate(trees, rects, stories, grid, given, fixed, made)
                    key = made[id(plan)]
                    if key not in found or plan.score < found[key][0].score:
                        found[key] = (plan, tiler, rects, trees)
    by_score = lambda kv: (kv[1][0].score, kv[0])      # noqa: E731 (ties broken by the plan's key, kept as found's)
    starts = [f for _, f in sorted(found.items(), key=by_score)[:climbs]]
    for plan, tiler, rects, trees in starts:
        for _ in range(STEPS):
            k = rng.randrange(len(trees))
            path, node = rng.choice(nodes(trees[k]))
            w, i, j, h = node.span
            new = trees[:k] + [replaced(trees[k], path, tiler.sample(w, i, j, h, rng, rng.choice(BIASES)))] + trees[k + 1:]
            candidate = _evaluate(new, rects, stories, grid, given, fixed, made)
            key = made[id(candidate)]
            if key not in found or candidate.score < found[key][0].score:
                found[key] = (candidate, tiler, rects, new)
            if candidate.score <= plan.score:
                plan, trees = candidate, new
    for _, (plan, _, _, _) in sorted(found.items(), key=by_score)[:CLIMBS]:
        if plan.measures.violations:
            better = _repair(plan, stories, grid, given, fixed)
            found.setdefault(_key(better), (better, None, None, None))
    ranked = [f[0] for _, f in sorted(found.items(), key=by_score)]
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


def _every_plan(stories, options, ways, grid, given, fixed, alternatives) -> tuple:
    """(the best plans that meet the goals, whether every plan was made): every order of the stories, every way
    to give them to the free rectangles, every tree; each plan that misses only by a tombstone repaired."""
    found, made = {}, 0
    for order in itertools.permutations(range(len(stories))):
        tiler = Tiler(options, order, grid.columns, grid.lines)
        for rects in ways:
            for groups in compositions(tiler, rects):
                pools = [every_tree(tiler, w, i, j, h) for (_, _, w, h), (i, j) in zip(rects, groups)]
                for trees in itertools.product(*map(list, pools)):
                    made += 1
                    if made > EVERY_PLAN:
                        return _ranked(found, alternatives), False
                    plan = _evaluate(list(trees), rects, stories, grid, given, fixed)
                    if plan.measures.violations and not plan.measures.goals_met:
                        plan = _repair(plan, stories, grid, given, fixed)
                    if plan.measures.goals_met:
                        found[_key(plan)] = plan
    return _ranked(found, alternatives), True


def _ranked(found: dict, alternatives: int) -> list:
    return sorted(found.values(), key=lambda p: (p.score, _key(p)))[:alternatives]


def _repair(plan: Plan, stories, grid, given, fixed=()) -> Plan:
    """The plan with leaves swapped for variants of the same size (the headline elsewhere in the block) while
    the score falls: the way out of a tombstone that keeps the tiling."""
    placed = list(plan.placed)
    for _ in range(3):
        better = False
        for k, (leaf, col, line) in enumerate(placed):
            for other in leaf.variants:
                trial = placed[:k] + [(replace(other, variants=leaf.variants), col, line)] + placed[k + 1:]
                ms = measure(trial, stories, grid.columns, grid.lines, given, grid.leading, fixed)
                candidate = Plan(tuple(trial), round(score(trial, ms), 6), ms)
                if candidate.score < plan.score:
                    plan, placed, better = candidate, trial, True
                    break
        if not better:
            break
    return plan


def _key(plan: Plan) -> tuple:
    return tuple((leaf.story, leaf.cols, leaf.lines, col, line, leaf.parts) for leaf, col, line in plan.placed)

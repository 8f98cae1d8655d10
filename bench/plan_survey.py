"""The planner on story sets drawn as the property test draws them (Hypothesis, which leans to edge cases:
several 200-character stories, short leads, pages without photos): how often each outcome comes, the CPU
seconds per set, and the sets left unsolved (no plan meeting every goal, no cut, no checked advice).

Run: .venv/bin/python bench/plan_survey.py [--sets N] [--jobs 2] [--check]. The sets are the first N of
bench/plan_sets.json (drawn once by the property test's strategy and kept, as offsets into the corpus, so
that two runs, before and after a change, plan the same sets); `--draw N` draws N new ones into it.
"""
from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


SETS = ROOT / "bench" / "plan_sets.json"


def draw(count: int, seed: int) -> list:
    """`count` story sets from the property test's strategy."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as fixed_seed
    from tests.test_plan import story_sets

    drawn = []

    @fixed_seed(seed)
    @settings(max_examples=count, database=None, deadline=None, phases=(Phase.generate,),
              suppress_health_check=list(HealthCheck))
    @given(story_sets())
    def keep(sample):
        drawn.append(sample)

    keep()
    return drawn


def kept_sets(count: int) -> list:
    """The first `count` sets of bench/plan_sets.json, as the property test's strategy gives them."""
    from tests.plan_cases import CORPUS_TEXT, paragraphs_of
    sets = json.loads(SETS.read_text(encoding="utf-8"))[:count]
    return [(len(stories), [(paragraphs_of(CORPUS_TEXT[start:start + size]), photo) for start, size, photo in stories],
             columns) for columns, stories in sets]


def keep_sets(samples) -> None:
    """Write the sets as (columns, [[start, size, photo], ...]): where each story's text starts in the corpus."""
    from tests.plan_cases import CORPUS_TEXT
    out = []
    for _, stories, columns in samples:
        rows = []
        for paragraphs, photo in stories:
            text = "".join(paragraphs)
            rows.append([CORPUS_TEXT.index(text), len(text), bool(photo)])
        out.append([columns, rows])
    SETS.write_text("[\n" + ",\n".join(json.dumps(row) for row in out) + "\n]\n", encoding="utf-8")


def outcome(args) -> dict:
    """Plan one set and name its outcome as the property test sorts them; with `check`, do what it says (cut,
    lengthen the lead, give it a photo) and plan again, as the property test does."""
    k, sample, tmp, check = args
    from layout.plan import plan_folder
    from tests.plan_cases import write_case
    folder = write_case(Path(tmp) / f"set-{k}", sample)
    r = plan_folder(folder, alternatives=1, seed=1)
    checked = _checked(folder, r, sample) if check else ""
    p = r.proof
    if r.plans and not r.cuts and not r.shortage:
        kind = "plan of every story"
    elif p.too_little:
        kind = "too little text (proved)"
    elif r.lead_times:
        kind = "short lead: checked advice" + (" (a photo)" if r.lead_photo else "")
    elif r.cuts:
        kind = "cut, proved" if p.reason(r.stories) else "cut, found (not proved necessary)"
    else:
        kind = "unsolved"
    sizes = [sum(len(x) for x in paragraphs) for paragraphs, _ in sample[1]]
    return {"k": k, "kind": kind, "cpu": r.cpu, "columns": sample[2], "sizes": sizes,
            "photos": sum(photo for _, photo in sample[1]), "said": r.shortage[:160], "checked": checked}


def _checked(folder, r, sample) -> str:
    """"" when doing what the planner said gives a plan meeting every goal (or nothing was said to do), else
    what failed."""
    from tests.test_plan import assert_cut_holds, assert_lead_advice_holds, assert_meets_the_goals
    try:
        if r.plans and not r.cuts and not r.shortage:
            assert_meets_the_goals(folder, r)
        elif r.lead_times:
            assert_lead_advice_holds(folder, r)
        elif r.cuts:
            assert_cut_holds(folder, r, sample[0])
    except AssertionError as err:
        return str(err)[:200] or "assertion failed"
    return ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", type=int, default=60, help="plan the first N kept sets")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--draw", type=int, default=0, help="draw N new sets into bench/plan_sets.json first")
    ap.add_argument("--seed", type=int, default=0, help="seed of --draw")
    ap.add_argument("--check", action="store_true", help="also do what each answer says and plan again")
    args = ap.parse_args()
    if args.draw:
        keep_sets(draw(args.draw, args.seed))
    samples = kept_sets(args.sets)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, multiprocessing.Pool(args.jobs) as pool:
        rows = pool.map(outcome, [(k, s, tmp, args.check) for k, s in enumerate(samples)], chunksize=1)
    kinds = collections.Counter(r["kind"] for r in rows)
    cpu = sorted(r["cpu"] for r in rows)
    print(f"layout plan on {len(rows)} story sets drawn as the property test draws them (bench/plan_sets.json, "
          f"{args.jobs} jobs, {time.perf_counter() - started:.0f} s)")
    for kind, n in kinds.most_common():
        print(f"  {kind:<40}{n:>5}  {100 * n / len(rows):5.1f} %")
    print(f"  CPU seconds per set: median {statistics.median(cpu):.2f}, 95th percentile "
          f"{cpu[int(0.95 * (len(cpu) - 1))]:.2f}, worst {cpu[-1]:.2f} (goal <= 10); over 10 s: "
          f"{sum(c > 10 for c in cpu)}")
    if args.check:
        failed = [r for r in rows if r["checked"]]
        print(f"  checked by doing what each answer says and planning again: {len(rows) - len(failed)} of "
              f"{len(rows)} hold")
        for r in failed:
            print(f"  FAILED: set {r['k']} ({r['kind']}): {r['checked']}")
    for r in rows:
        if r["kind"] == "unsolved" or r["cpu"] > 10:
            print(f"  {r['kind']}: set {r['k']} ({len(r['sizes'])} stories {r['sizes']}, {r['photos']} photos, "
                  f"{r['columns']} columns, {r['cpu']:.1f} s): {r['said']}")
    print(f"  load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

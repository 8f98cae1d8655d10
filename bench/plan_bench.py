"""`make bench`, the planner's rows: `layout plan` on the flagship's stories, timed, with its measures; and on
a fixed set of random story sets (tests/plan_cases.py, as the property test draws them), its success rate.

Run alone: .venv/bin/python bench/plan_bench.py [--runs N] [--seed S] [--cases N]. Each flagship run is a fresh
process-level plan (the composer's line counts are measured anew: no cache carries from one run to the next).
A random case succeeds when the planner makes a plan of every story that meets every goal, or proves that the
stories cannot all fit whole and names what must go, and doing exactly that gives a plan that meets every goal
(or proves there is too little text), or, for a lead too short for its page, says how much longer it must be
(or that a 3:2 photo given to it makes a page), and doing so (then making the cut it names) gives a plan that
meets every goal.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "content" / "dangqi-linghang"

CHILD = """
import sys, time
from layout.plan import plan_folder
t = time.perf_counter()
r = plan_folder(sys.argv[1], alternatives=1, seed=int(sys.argv[2]))
m = r.plans[0].measures
print(time.perf_counter() - t, m.overlaps, m.placed, m.given, m.fill, m.tau_area, m.tau_top, m.violations)
"""

CASES = """
import json, random, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from tests.plan_cases import apply_cuts, give_lead_photo, lengthen_lead, random_sample, write_case
from layout.plan import plan_folder
for seed in range(int(sys.argv[2])):
    sample = random_sample(random.Random(seed))
    folder = write_case(Path(sys.argv[1]) / f"case-{seed}", sample)
    r = plan_folder(folder, alternatives=1, seed=1)
    row = {"seed": seed, "stories": sample[0], "columns": sample[2], "seconds": [r.seconds]}
    p = r.proof
    if r.plans and not r.cuts:
        row["kind"], plan = "plan", r.plans[0]
    elif r.cuts:
        row["kind"] = "cut" if p.reason(r.stories) else "cut, not proved"
        apply_cuts(folder, r.cuts)
        again = plan_folder(folder, alternatives=1, seed=1)
        row["seconds"].append(again.seconds)
        plan = again.plans[0] if again.plans and not again.cuts else None
        row["kind"] += "" if plan else ", no plan after it"
    elif r.lead_times:
        row["kind"] = f"lead x{r.lead_times}" + (" + photo" if r.lead_photo else "")
        if r.lead_photo:
            give_lead_photo(folder)
        lengthen_lead(folder, r.lead_times)
        again = plan_folder(folder, alternatives=1, seed=1)
        row["seconds"].append(again.seconds)
        if again.cuts:
            row["kind"] += ", cut" + ("" if again.proof.reason(again.stories) else " (not proved)")
            apply_cuts(folder, again.cuts)
            again = plan_folder(folder, alternatives=1, seed=1)
            row["seconds"].append(again.seconds)
        plan = again.plans[0] if again.plans and not again.cuts and not again.shortage else None
        row["kind"] += "" if plan else ", no plan after it"
    else:
        row["kind"], plan = ("too little" if p.too_little else "no plan"), None
    if plan is not None:
        m = plan.measures
        row.update(met=m.goals_met, fill=m.fill, tau_area=m.tau_area, tau_top=m.tau_top, violations=m.violations)
    row["ok"] = row["kind"] == "too little" or bool(row.get("met"))
    print(json.dumps(row), flush=True)
"""


def flagship(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "dangqi-linghang"
        shutil.copytree(FLAGSHIP, folder)
        rows = []
        for _ in range(args.runs):
            out = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(args.seed)], check=True,
                                 capture_output=True, text=True, cwd=ROOT).stdout.split()
            rows.append([float(x) for x in out])
    secs = [r[0] for r in rows]
    _, overlaps, placed, given, fill, tau_a, tau_t, viol = rows[0]
    print()
    print("layout plan (flagship stories, 8 columns x 98 lines, seed %d, %d runs)" % (args.seed, args.runs))
    print(f"  {'measure':<34}{'value':>14}  {'goal':>10}  met")
    table = [("seconds per plan (median)", f"{statistics.median(secs):.2f}", "<= 10", statistics.median(secs) <= 10),
             ("seconds per plan (best)", f"{min(secs):.2f}", "", True),
             ("overlaps", f"{overlaps:.0f}", "0", overlaps == 0),
             ("stories on the page / given", f"{placed:.0f}/{given:.0f}", "all", placed == given),
             ("fill (empty body lines)", f"{fill * 100:.2f} %", "< 1 %", fill < 0.01),
             ("Kendall tau priority/area", f"{tau_a:.2f}", ">= 0.8", tau_a >= 0.8),
             ("Kendall tau priority/top", f"{tau_t:.2f}", ">= 0.8", tau_t >= 0.8),
             ("rule violations", f"{viol:.0f}", "0", viol == 0)]
    for name, value, goal, ok in table:
        print(f"  {name:<34}{value:>14}  {goal:>10}  {'yes' if ok else 'NO'}")


def random_cases(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", CASES, tmp, str(args.cases), str(ROOT)], check=True,
                             capture_output=True, text=True, cwd=ROOT).stdout
    rows = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    ok = [r for r in rows if r["ok"]]
    planned = [r for r in rows if "fill" in r and r.get("met")]
    secs = [s for r in rows for s in r["seconds"]]
    kinds: dict = {}
    for r in rows:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    print()
    print(f"layout plan (random story sets: tests/plan_cases.py seeds 0-{args.cases - 1}; 3-10 stories of "
          f"200-2,500 characters, photos, 8 or 6 columns, a fixed ad)")
    print(f"  success: {len(ok)}/{len(rows)} ({100 * len(ok) / max(1, len(rows)):.0f} %): a plan meeting every "
          f"goal, a proved cut that gives one, or checked advice for a short lead (lead xN: its text N times over)")
    print("  outcomes: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    if planned:
        print(f"  plans made: fill {100 * statistics.mean(r['fill'] for r in planned):.2f} % mean, "
              f"{100 * max(r['fill'] for r in planned):.2f} % worst; tau area {min(r['tau_area'] for r in planned):.2f} "
              f"and top {min(r['tau_top'] for r in planned):.2f} at worst; violations "
              f"{sum(r['violations'] for r in planned)}")
    print(f"  seconds per plan: median {statistics.median(secs):.2f}, worst {max(secs):.2f} (goal <= 10)")
    for r in rows:
        if not r["ok"]:
            print(f"  missed: case {r['seed']} ({r['stories']} stories, {r['columns']} columns): {r['kind']}"
                  + (f", fill {100 * r['fill']:.2f} %, tau {r['tau_area']:.2f}/{r['tau_top']:.2f}, violations "
                     f"{r['violations']}" if "fill" in r else ""))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cases", type=int, default=20, help="random story sets (0: none)")
    args = ap.parse_args()
    flagship(args)
    if args.cases:
        random_cases(args)
    print(f"  load average {os.getloadavg()[0]:.2f} (2 cores; other work slows the planner alike)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

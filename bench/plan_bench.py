"""`make bench`, the planner's row: `layout plan` on the flagship's stories, timed, with its measures.

Run alone: .venv/bin/python bench/plan_bench.py [--runs N] [--seed S]. Each run is a fresh process-level
plan (the composer's line counts are measured anew: no cache carries from one run to the next).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
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
    print(f"  load average {os.getloadavg()[0]:.2f} (2 cores; other work slows the planner alike)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

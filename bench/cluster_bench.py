#!/usr/bin/env python3
"""Editions on the local process pool and on a Dask LocalCluster: pages per minute (make bench).

    .venv/bin/python bench/cluster_bench.py [--runs N] [--pages 16] [--json FILE]

The 16-page test edition (tests/editions.py: flagship copies and jumping example pairs, every page
different) is built with build_edition() on: the local pool of 1 and 2 processes, and a LocalCluster
of 1 and 2 single-threaded workers (started once per row and warmed with one build; its start-up
is reported apart). Each row is the median of N warm builds, compose and merge included, as
`layout build EDITION [--scheduler local:N]` does them. The compose store is off
(LAYOUT_COMPOSE_CACHE=0): every page is composed as if its text had changed.

Also printed: the stages of one build on this machine (compose on the client, render in the job,
merge + PDF/X finishing + preflight on the client) per page, and the cluster's overhead per page
(the 1-worker cluster against the 1-process pool): the figures docs/scale.md works from.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["LAYOUT_COMPOSE_CACHE"] = "0"


def timed_build(edition: Path, out: Path, runner=None, workers=None) -> tuple:
    """(wall seconds, sum of the in-job render seconds) of one build_edition()."""
    from layout.edition import build_edition
    jobs = []

    def progress(line):
        found = re.search(r"rendered in ([\d.]+) s", line)
        if found:
            jobs.append(float(found.group(1)))
    started = time.perf_counter()
    build_edition(edition, out, workers=workers, runner=runner, progress=progress)
    return time.perf_counter() - started, sum(jobs)


def stages(edition: Path, runs: int) -> dict:
    """Seconds per page of compose (client), render (one process), merge + finish + preflight (client)."""
    from layout.cluster import render_page
    from layout.edition import compose_edition, finish_edition, load_edition, page_jobs
    compose, render, finish = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            started = time.perf_counter()
            pages = compose_edition(load_edition(edition))
            compose.append(time.perf_counter() - started)
            started = time.perf_counter()
            rendered = [render_page(*job) for job in page_jobs(pages)]
            render.append(time.perf_counter() - started)
            started = time.perf_counter()
            finish_edition(load_edition(edition), pages, rendered, Path(tmp) / "e.pdf", lambda line: None)
            finish.append(time.perf_counter() - started)
    n = len(pages)
    return {"pages": n, "compose": statistics.median(compose) / n, "render": statistics.median(render) / n,
            "finish": statistics.median(finish) / n,
            "job_bytes": sum(len(__import__("pickle").dumps(job)) for job in page_jobs(pages)) / n}


def row(name: str, edition: Path, runs: int, make_runner=None, workers=None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        startup = None
        runner = None
        if make_runner:
            started = time.perf_counter()
            runner = make_runner()
            startup = time.perf_counter() - started
        try:
            first = timed_build(edition, Path(tmp) / "first.pdf", runner, workers)[0]
            walls = [timed_build(edition, Path(tmp) / f"{k}.pdf", runner, workers)[0] for k in range(runs)]
        finally:
            if runner:
                runner.close()
    wall = statistics.median(walls)
    return {"name": name, "wall": wall, "best": min(walls), "first": first, "startup": startup}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pages", type=int, default=16)
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    from layout.cluster import DaskRunner
    from tests.editions import make_edition
    logging.getLogger("distributed").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        edition = make_edition(Path(tmp) / "sixteen", args.pages)
        load = os.getloadavg()[0]
        st = stages(edition, args.runs)
        rows = [row("local pool, 1 process", edition, args.runs, workers=1),
                row("local pool, 2 processes", edition, args.runs, workers=2),
                row("LocalCluster, 1 worker", edition, args.runs, lambda: DaskRunner("local:1")),
                row("LocalCluster, 2 workers", edition, args.runs, lambda: DaskRunner("local:2"))]
    n = st["pages"]
    print(f"\nEditions on a cluster — {n}-page test edition, {os.cpu_count()} cores, median of {args.runs} "
          f"warm builds (compose store off), load average {load:.1f} at start")
    print(f"{'runner':<26}{'s / edition':>12}{'pages / min':>13}{'first build':>13}{'start-up':>10}")
    for r in rows:
        start = f"{r['startup']:.1f} s" if r["startup"] is not None else "—"
        print(f"{r['name']:<26}{r['wall']:>10.2f} s{n / r['wall'] * 60:>13.0f}{r['first']:>11.2f} s{start:>10}")
    overhead = (rows[2]["wall"] - rows[0]["wall"]) / n
    print(f"cluster overhead per page (1-worker cluster − 1-process pool) / {n}: {overhead * 1000:+.0f} ms")
    print(f"stages per page, one process: compose {st['compose'] * 1000:.0f} ms (client), render "
          f"{st['render'] * 1000:.0f} ms (worker), merge + PDF/X + preflight {st['finish'] * 1000:.0f} ms "
          f"(client); a page job carries {st['job_bytes'] / 1e6:.2f} MB")
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "stages": st, "overhead": overhead, "load": load},
                                              indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
